// Per-file cost of `inspect`: one benchmark per file named on the command line, so files of very
// different sizes can be compared side by side (bench/run-inspect.sh passes a small binary and
// the same binary grown to 100 MB). The cost should follow the headers read, not the file size.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "enoexec/inspect.hpp"

namespace {

void inspect_one(benchmark::State& state, const std::string& path) {
  for (auto _ : state) {
    auto report = enoexec::inspect_file(path);
    benchmark::DoNotOptimize(report);
    if (report.error) state.SkipWithError(report.error->c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    const std::string path = argv[i];
    benchmark::RegisterBenchmark(("inspect/" + path).c_str(), inspect_one, path);
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
