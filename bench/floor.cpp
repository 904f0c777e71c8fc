// The floor under `enoexec scan`: the same walk, and for each regular file only what any
// scanner must do, open it, read its first page, close it. `scan` should come within 1.5x of
// this with all cores (docs/performance.md).
//
// "All cores" is the same parallel walk as `scan --sort none` (scan/parallel_walk.hpp): every
// thread lists directories and opens, reads and closes their files itself.
//
//   enoexec_floor [-j N] PATH...     N = 1: walk() in one thread; default: one thread per core
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
#include "scan/parallel_walk.hpp"
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

// Opens, reads the first page of and closes one regular file the walk admits.
WalkAction read_entry(const WalkEntry& entry, Counts& counts) {
  if (entry.type != EntryType::regular || entry.problem != scan::Problem::none) {
    if (entry.problem != scan::Problem::none) ++counts.problems;
    return WalkAction::next;
  }
  auto opened = open_regular_at(entry.dir_fd, entry.name.data());  // NUL-terminated
  if (!opened) {
    ++counts.problems;
    return WalkAction::next;
  }
  ++counts.files;
  counts.bytes += read_first_page(opened->fd);
  ::close(opened->fd);
  return WalkAction::next;
}

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
  const Visitor visit = [&](const WalkEntry& entry) { return read_entry(entry, counts); };
  if (threads == 1)
    walk(roots, WalkOptions{}, visit, stats);
  else
    parallel_walk(roots, WalkOptions{}, threads, visit, stats);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  fmt::print("{} directories, {} files read ({} bytes), {} skipped or unreadable, {:.3f} s\n",
             stats.directories, counts.files.load(), counts.bytes.load(), counts.problems.load(),
             elapsed.count());
  return 0;
}
