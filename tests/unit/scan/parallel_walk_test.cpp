#include "scan/parallel_walk.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "scan/scanner.hpp"
#include "scan/candidate.hpp"
#include "unit/scan/temp_tree.hpp"

namespace enoexec::scan {
namespace {

using enoexec::testing::open_descriptors;
using enoexec::testing::TempTree;

std::string describe_entry(const WalkEntry& entry) {
  // The name matters (to open) only for entries without a problem.
  return fmt::format("{} | {} | {} | {} | depth {} | problem {} | {}", entry.path, entry.relative,
                     entry.problem == Problem::none ? entry.name : "", to_string(entry.type),
                     entry.depth, static_cast<int>(entry.problem), entry.message);
}

struct Seen {
  std::vector<std::string> lines;
  ScanStats stats;
  bool finished = false;
};

Seen serial_walk(const std::string& root, WalkOptions options) {
  Seen seen;
  options.sorted = true;
  seen.finished = walk({root}, options,
                       [&](const WalkEntry& entry) {
                         seen.lines.push_back(describe_entry(entry));
                         return WalkAction::next;
                       },
                       seen.stats);
  std::sort(seen.lines.begin(), seen.lines.end());
  return seen;
}

Seen walk_in_parallel(const std::string& root, const WalkOptions& options, unsigned threads) {
  Seen seen;
  std::mutex mutex;
  seen.finished = parallel_walk({root}, options, threads,
                                [&](const WalkEntry& entry) {
                                  std::lock_guard lock(mutex);
                                  seen.lines.push_back(describe_entry(entry));
                                  return WalkAction::next;
                                },
                                seen.stats);
  std::sort(seen.lines.begin(), seen.lines.end());
  return seen;
}

// Deep, wide, with FIFOs, links inside and outside, loops and a stand-in mount point.
void make_mixed_tree(const TempTree& tree) {
  std::string deep = "deep";
  for (int level = 0; level < 25; ++level) {
    deep += fmt::format("/level{:02}", level);
    tree.file(deep + "/file", "data\n");
  }
  for (int d = 0; d < 12; ++d)
    for (int f = 0; f < 30; ++f)
      tree.file(fmt::format("wide/d{:02}/sub/f{:02}", d, f), f % 3 == 0 ? "#!/bin/sh\n" : "x");
  for (int f = 0; f < 400; ++f) tree.file(fmt::format("big/f{:03}", f), "\x7f" "ELF");
  ASSERT_TRUE(tree.fifo("wide/d03/a-fifo"));
  ASSERT_TRUE(tree.fifo("deep/level00/level01/fifo"));
  tree.symlink("../..", "wide/d04/sub/up-loop");        // its own grandparent: a loop
  tree.symlink("../../big", "deep/level00/to-big");     // inside: followed, walked twice
  tree.symlink("/etc", "wide/outside");                 // outside the tree
  tree.symlink("self", "wide/self");                    // a symlink loop
  tree.symlink("missing", "wide/broken");
  tree.symlink("../big/f001", "wide/file-link");
  tree.dir("mnt/inner");
  tree.file("mnt/inner/hidden", "x");
}

WalkOptions mixed_options(bool follow) {
  WalkOptions options;
  options.follow_symlinks = follow;
  options.device_of = [](const struct stat& st, std::string_view path) -> std::uint64_t {
    return path.size() >= 4 && path.substr(path.size() - 4) == "/mnt" ? 999 : static_cast<std::uint64_t>(st.st_dev);
  };
  return options;
}

class ParallelWalkSameAsSerial : public ::testing::TestWithParam<unsigned> {};

TEST_P(ParallelWalkSameAsSerial, SameEntriesAndCountsAsTheOrderedWalk) {
  TempTree tree;
  make_mixed_tree(tree);
  for (const bool follow : {false, true}) {
    const Seen serial = serial_walk(tree.root(), mixed_options(follow));
    const Seen parallel = walk_in_parallel(tree.root(), mixed_options(follow), GetParam());
    ASSERT_GT(serial.lines.size(), 800u);
    EXPECT_EQ(parallel.lines, serial.lines) << "follow_symlinks " << follow;
    EXPECT_EQ(parallel.stats.directories, serial.stats.directories);
    EXPECT_EQ(parallel.stats.entries, serial.stats.entries);
    EXPECT_TRUE(parallel.finished);
  }
  const auto loop = std::string("directory loop: the same directory as ") + tree.root() + "/wide";
  const Seen followed = walk_in_parallel(tree.root(), mixed_options(true), GetParam());
  EXPECT_EQ(std::count_if(followed.lines.begin(), followed.lines.end(),
                          [&](const std::string& line) { return line.ends_with(loop); }),
            1);
}

TEST_P(ParallelWalkSameAsSerial, SameEntriesUnderMaxDepth) {
  TempTree tree;
  make_mixed_tree(tree);
  WalkOptions options = mixed_options(true);
  options.max_depth = 3;
  EXPECT_EQ(walk_in_parallel(tree.root(), options, GetParam()).lines,
            serial_walk(tree.root(), options).lines);
}

INSTANTIATE_TEST_SUITE_P(Threads, ParallelWalkSameAsSerial, ::testing::Values(1u, 2u, 8u));

TEST(ParallelWalk, ASingleHugeDirectoryEndsWithEveryFile) {
  TempTree tree;
  for (int f = 0; f < 3000; ++f) tree.file(fmt::format("f{:04}", f), "x");
  const int before = open_descriptors();
  const Seen seen = walk_in_parallel(tree.root(), WalkOptions{}, 8);
  EXPECT_EQ(open_descriptors(), before);
  EXPECT_EQ(seen.lines.size(), 3001u);
  EXPECT_EQ(seen.stats.directories, 1u);
}

// 40 levels of 200-byte names: deeper than PATH_MAX, so the walk must open such directories
// in steps.
TEST(ParallelWalk, ASingleDeepChainLongerThanPathMaxIsWalkedToTheEnd) {
  TempTree tree;
  // Made and removed with *at() calls: the full paths are too long for mkdir() and rmdir().
  std::vector<int> fds{::open(tree.root().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  std::vector<std::string> names;
  for (int level = 0; level < 40; ++level) {
    names.push_back(fmt::format("{:02}{}", level, std::string(198, 'n')));
    ASSERT_EQ(::mkdirat(fds.back(), names.back().c_str(), 0755), 0) << level;
    fds.push_back(::openat(fds.back(), names.back().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_GE(fds.back(), 0) << level;
  }
  ASSERT_EQ(::close(::openat(fds.back(), "leaf", O_WRONLY | O_CREAT | O_CLOEXEC, 0644)), 0);
  const auto remove_chain = [&] {
    ::unlinkat(fds.back(), "leaf", 0);
    for (std::size_t k = names.size(); k-- > 0;) ::unlinkat(fds[k], names[k].c_str(), AT_REMOVEDIR);
    for (const int fd : fds) ::close(fd);
    fds.clear();
  };
  const int before = open_descriptors();
  for (const unsigned threads : {1u, 8u}) {
    const Seen serial = serial_walk(tree.root(), WalkOptions{});
    const Seen parallel = walk_in_parallel(tree.root(), WalkOptions{}, threads);
    EXPECT_EQ(parallel.lines, serial.lines);
    EXPECT_EQ(parallel.stats.directories, 41u);
    EXPECT_EQ(parallel.lines.size(), 42u);  // the root, 40 directories, the leaf
    for (const std::string& line : parallel.lines)
      EXPECT_NE(line.find("| problem 0 |"), std::string::npos) << line;
  }
  EXPECT_EQ(open_descriptors(), before);
  remove_chain();
}

TEST(ParallelWalk, QuitStopsEveryThread) {
  TempTree tree;
  for (int d = 0; d < 20; ++d)
    for (int f = 0; f < 20; ++f) tree.file(fmt::format("d{:02}/f{:02}", d, f), "x");
  std::atomic<int> visits{0};
  ScanStats stats;
  const bool finished = parallel_walk({tree.root()}, WalkOptions{}, 4,
                                      [&](const WalkEntry&) {
                                        return ++visits >= 50 ? WalkAction::quit : WalkAction::next;
                                      },
                                      stats);
  EXPECT_FALSE(finished);
  EXPECT_LT(visits.load(), 50 + 4);  // at most one call in flight per other thread
}

TEST(ParallelWalk, AnExceptionFromTheVisitorStopsTheWalkAndIsRethrown) {
  TempTree tree;
  for (int d = 0; d < 10; ++d) tree.file(fmt::format("d{}/f", d), "x");
  ScanStats stats;
  const int before = open_descriptors();
  EXPECT_THROW(parallel_walk({tree.root()}, WalkOptions{}, 3,
                             [&](const WalkEntry& entry) {
                               if (entry.type == EntryType::regular) throw std::runtime_error("visitor");
                               return WalkAction::next;
                             },
                             stats),
               std::runtime_error);
  EXPECT_EQ(open_descriptors(), before);
}

// Counts emit() calls, checks they never overlap, and stops after `stop_after`.
class CountingConsumer : public ScanConsumer {
 public:
  explicit CountingConsumer(std::size_t stop_after) : stop_after_(stop_after) {}
  void process(int fd, std::uint64_t, ScanResult& result) override {
    auto format = sniff_format(fd);
    result.outcome = format && is_candidate(*format) ? ScanOutcome::candidate : ScanOutcome::not_candidate;
  }
  bool emit(ScanResult& result) override {
    if (inside_.exchange(true)) overlapped = true;
    lines.push_back(fmt::format("{} {} {} [{}]", result.path, result.type,
                                static_cast<int>(result.outcome), result.note));
    inside_ = false;
    return lines.size() < stop_after_;
  }
  std::vector<std::string> lines;
  bool overlapped = false;

 private:
  std::size_t stop_after_;
  std::atomic<bool> inside_{false};
};

TEST(ParallelScan, SameResultsAsTheOrderedScanWithEmitNeverConcurrent) {
  TempTree tree;
  make_mixed_tree(tree);
  ScanOptions ordered;
  ordered.ordered = true;
  ordered.walk = mixed_options(true);
  ordered.walk.sorted = true;
  CountingConsumer expected(SIZE_MAX);
  const ScanStats ordered_stats = run_scan({tree.root()}, ordered, expected);
  std::sort(expected.lines.begin(), expected.lines.end());
  for (const unsigned threads : {1u, 2u, 8u}) {
    ScanOptions unordered;
    unordered.threads = threads;
    unordered.walk = mixed_options(true);
    CountingConsumer got(SIZE_MAX);
    const int before = open_descriptors();
    const ScanStats stats = run_scan({tree.root()}, unordered, got);
    EXPECT_EQ(open_descriptors(), before);
    std::sort(got.lines.begin(), got.lines.end());
    EXPECT_EQ(got.lines, expected.lines) << threads << " threads";
    EXPECT_FALSE(got.overlapped);
    EXPECT_EQ(stats.files, ordered_stats.files);
    EXPECT_EQ(stats.directories, ordered_stats.directories);
    EXPECT_EQ(stats.entries, ordered_stats.entries);
  }
}

TEST(ParallelScan, EndsWhenEmitReturnsFalseAndClosesEverything) {
  TempTree tree;
  make_mixed_tree(tree);
  ScanOptions options;
  options.threads = 8;
  CountingConsumer consumer(10);
  const int before = open_descriptors();
  run_scan({tree.root()}, options, consumer);
  EXPECT_EQ(consumer.lines.size(), 10u);  // emit() is not called again once it said stop
  EXPECT_EQ(open_descriptors(), before);
}

}  // namespace
}  // namespace enoexec::scan
