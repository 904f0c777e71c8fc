// The floor under `enoexec scan`: the same walk, and for each regular file only what any
// scanner must do, open it, read its first page, close it. `scan` should come within 1.5x of
// this with all cores (docs/performance.md).
//
//   enoexec_floor [-j N] PATH...     N = 1: all in one thread; default: one worker per core
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "scan/candidate.hpp"
#include "scan/scanner.hpp"
#include "scan/walker.hpp"

namespace {

using namespace enoexec;
using namespace enoexec::scan;

std::uint64_t read_first_page(int fd) {
  std::array<char, 4096> page{};
  const ssize_t got = ::pread(fd, page.data(), page.size(), 0);
  return got > 0 ? static_cast<std::uint64_t>(got) : 0;
}

struct Counts {
  std::atomic<std::uint64_t> files{0};
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> problems{0};
};

// One thread: the walker opens, reads and closes each file itself.
ScanStats floor_single(const std::vector<std::string>& roots, Counts& counts) {
  ScanStats stats;
  walk(roots, WalkOptions{},
       [&](const WalkEntry& entry) {
         if (entry.type != EntryType::regular || entry.problem != Problem::none) {
           if (entry.problem != Problem::none) ++counts.problems;
           return WalkAction::next;
         }
         const std::string name(entry.name);
         auto opened = open_regular_at(entry.dir_fd, name.c_str());
         if (!opened) {
           ++counts.problems;
           return WalkAction::next;
         }
         ++counts.files;
         counts.bytes += read_first_page(opened->fd);
         ::close(opened->fd);
         return WalkAction::next;
       },
       stats);
  return stats;
}

// All cores: the scan pipeline itself, with a first-page read as the per-file work and
// nothing printed.
class FloorConsumer final : public ScanConsumer {
 public:
  explicit FloorConsumer(Counts& counts) : counts_(counts) {}
  void process(int fd, std::uint64_t, ScanResult&) override {
    ++counts_.files;
    counts_.bytes += read_first_page(fd);
  }
  bool emit(ScanResult& result) override {
    if (result.outcome == ScanOutcome::error || result.outcome == ScanOutcome::skipped)
      ++counts_.problems;
    return true;
  }

 private:
  Counts& counts_;
};

}  // namespace

int main(int argc, char** argv) {
  unsigned threads = 0;
  std::vector<std::string> roots;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-j" && i + 1 < argc) threads = static_cast<unsigned>(std::strtoul(argv[++i], nullptr, 10));
    else roots.emplace_back(arg);
  }
  if (roots.empty()) {
    fmt::print(stderr, "usage: enoexec_floor [-j N] PATH...\n");
    return 2;
  }
  Counts counts;
  const auto start = std::chrono::steady_clock::now();
  ScanStats stats;
  if (threads == 1) {
    stats = floor_single(roots, counts);
  } else {
    ScanOptions options;
    options.threads = threads;
    FloorConsumer consumer(counts);
    stats = run_scan(roots, options, consumer);
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  fmt::print("{} directories, {} files read ({} bytes), {} skipped or unreadable, {:.3f} s\n",
             stats.directories, counts.files.load(), counts.bytes.load(), counts.problems.load(),
             elapsed.count());
  return 0;
}
