#include "scan/scanner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "scan/candidate.hpp"
#include "unit/scan/temp_tree.hpp"

namespace enoexec::scan {
namespace {

using enoexec::testing::open_descriptors;
using enoexec::testing::sorted_options;
using enoexec::testing::TempTree;


// Records what reaches emit(), in the order it arrives.
class Recorder : public ScanConsumer {
 public:
  void process(int fd, std::uint64_t size, ScanResult& result) override {
    (void)size;
    auto format = sniff_format(fd);
    result.outcome = format && is_candidate(*format) ? ScanOutcome::candidate : ScanOutcome::not_candidate;
  }
  bool emit(ScanResult& result) override {
    lines.push_back(fmt::format("{} {}{}", result.path, result.type,
                                result.note.empty() ? "" : " [" + result.note + "]"));
    if (result.outcome == ScanOutcome::candidate) ++candidates;
    sequences.push_back(result.sequence);
    return true;
  }
  std::vector<std::string> lines;
  std::vector<std::uint64_t> sequences;
  std::size_t candidates = 0;
};

// 10,000 small files over 100 directories, every seventh a script.
void make_many_files(const TempTree& tree) {
  for (int d = 0; d < 100; ++d) {
    const std::string dir = tree.path(fmt::format("d{:03}", d));
    std::filesystem::create_directories(dir);
    for (int f = 0; f < 100; ++f) {
      const int n = d * 100 + f;
      std::FILE* file = std::fopen(fmt::format("{}/f{:03}", dir, f).c_str(), "w");
      ASSERT_NE(file, nullptr);
      std::fputs(n % 7 == 0 ? "#!/bin/sh\n" : "data\n", file);
      std::fclose(file);
    }
  }
}

std::vector<std::string> walk_order(const std::string& root) {
  std::vector<std::string> lines;
  ScanStats stats;
  walk({root}, sorted_options(),
       [&](const WalkEntry& entry) {
         if (entry.type == EntryType::regular) lines.push_back(fmt::format("{} regular", entry.path));
         return WalkAction::next;
       },
       stats);
  return lines;
}

// The 10,000 files are made once for all the tests that read them.
class ManyFiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tree_ = new TempTree;
    make_many_files(*tree_);
  }
  static void TearDownTestSuite() {
    delete tree_;
    tree_ = nullptr;
  }
  static const std::string& root() { return tree_->root(); }

 private:
  static inline TempTree* tree_ = nullptr;
};

TEST_F(ManyFiles, OrderedResultsFollowTheWalkWhileWorkersRunAhead) {
  ScanOptions options;
  options.ordered = true;
  options.walk.sorted = true;
  options.threads = 4;
  options.queue_capacity = 8;
  options.window = 16;
  Recorder recorder;
  const int before = open_descriptors();
  const ScanStats stats = run_scan({root()}, options, recorder);
  EXPECT_EQ(open_descriptors(), before);  // every file and directory closed again
  EXPECT_EQ(stats.files, 10000u);
  EXPECT_EQ(stats.directories, 101u);
  EXPECT_EQ(recorder.candidates, 1429u);  // ceil(10000 / 7)
  EXPECT_EQ(recorder.lines, walk_order(root()));
  for (std::size_t i = 0; i < recorder.sequences.size(); ++i) ASSERT_EQ(recorder.sequences[i], i);
}

TEST_F(ManyFiles, UnorderedResultsAreTheSameSetEachOnce) {
  ScanOptions options;
  options.threads = 3;
  Recorder recorder;
  run_scan({root()}, options, recorder);
  std::vector<std::string> expected = walk_order(root());
  std::sort(expected.begin(), expected.end());
  std::sort(recorder.lines.begin(), recorder.lines.end());
  EXPECT_EQ(recorder.lines, expected);
}

// A consumer that only counts files that are not programs gets them as counts, in bulk; every
// other result is emitted as before, and nothing is lost or counted twice.
TEST_F(ManyFiles, UnorderedCountsWhatTheConsumerOnlyCounts) {
  class Counter : public Recorder {
   public:
    bool only_counted(const ScanResult& result) const override {
      return result.outcome == ScanOutcome::not_candidate;
    }
    bool emit_counted(std::uint64_t count) override {
      counted += count;
      ++handed_on;
      return true;
    }
    std::uint64_t counted = 0;
    std::size_t handed_on = 0;
  };
  ScanOptions options;
  options.threads = 3;
  Counter counter;
  const ScanStats stats = run_scan({root()}, options, counter);
  EXPECT_EQ(stats.files, 10000u);
  EXPECT_EQ(counter.candidates, 1429u);
  EXPECT_EQ(counter.counted, 10000u - 1429u);
  EXPECT_EQ(counter.lines.size(), 1429u);  // the scripts; the rest went as counts
  EXPECT_GE(counter.handed_on, 2u);  // more than one batch's worth, and each thread's rest
}

TEST(Scanner, ProblemsTakeTheirPlaceInTheOrderAndNothingHangs) {
  TempTree tree;
  ASSERT_TRUE(tree.fifo("a-fifo"));
  tree.symlink("/dev/zero", "b-zero");
  tree.symlink("c-loop", "c-loop");
  tree.symlink(".", "d-self");
  tree.file("e", "#!/bin/sh\n");
  ScanOptions options;
  options.ordered = true;
  options.walk.sorted = true;
  options.walk.follow_symlinks = true;
  Recorder recorder;
  run_scan({tree.root()}, options, recorder);
  const std::string& r = tree.root();
  EXPECT_EQ(recorder.lines,
            (std::vector<std::string>{
                fmt::format("{}/a-fifo fifo [FIFO, not opened]", r),
                fmt::format("{}/b-zero symlink [symlink to /dev/zero, outside the scanned tree]", r),
                fmt::format("{}/c-loop symlink [symlink loop: Too many levels of symbolic links]", r),
                fmt::format("{}/d-self directory [directory loop: the same directory as {}]", r, r),
                fmt::format("{}/e regular", r),
            }));
}

TEST(Scanner, AppliesFiltersBeforeOpeningAnything) {
  TempTree tree;
  tree.file("keep/x.so", "\x7f" "ELF");
  tree.file("keep/x.txt", "\x7f" "ELF");
  tree.file("skip/y.so", "\x7f" "ELF");
  ASSERT_TRUE(tree.fifo("keep/pipe"));
  ScanOptions options;
  options.ordered = true;
  options.walk.sorted = true;
  options.filters.include("*.so");
  options.filters.exclude("skip");
  Recorder recorder;
  const ScanStats stats = run_scan({tree.root()}, options, recorder);
  EXPECT_EQ(recorder.lines, (std::vector<std::string>{tree.path("keep/x.so") + " regular"}));
  EXPECT_EQ(stats.files, 1u);
}

TEST(Scanner, AFailureInsideTheWorkIsThatFilesErrorOnly) {
  class Throwing : public Recorder {
   public:
    void process(int, std::uint64_t, ScanResult& result) override {
      if (result.path.ends_with("/b")) throw std::runtime_error("boom");
      result.outcome = ScanOutcome::candidate;
    }
  };
  TempTree tree;
  tree.file("a");
  tree.file("b");
  tree.file("c");
  ScanOptions options;
  options.ordered = true;
  options.walk.sorted = true;
  Throwing recorder;
  run_scan({tree.root()}, options, recorder);
  EXPECT_EQ(recorder.lines, (std::vector<std::string>{tree.path("a") + " regular",
                                                      tree.path("b") + " regular [internal error: boom]",
                                                      tree.path("c") + " regular"}));
}

TEST_F(ManyFiles, EmitReturningFalseStopsTheScan) {
  class Stopping : public Recorder {
   public:
    bool emit(ScanResult& result) override {
      Recorder::emit(result);
      return lines.size() < 10;
    }
  };
  ScanOptions options;
  options.ordered = true;
  options.walk.sorted = true;
  options.threads = 2;
  Stopping recorder;
  const int before = open_descriptors();
  const ScanStats stats = run_scan({root()}, options, recorder);
  EXPECT_EQ(recorder.lines.size(), 10u);
  EXPECT_LT(stats.files, 10000u);
  EXPECT_EQ(open_descriptors(), before);  // queued files closed unread
}

// The reorder window is the only per-file state: while the first file is slow, the walker runs
// ahead only as far as the window lets it.
TEST_F(ManyFiles, ResultsWaitingForAnEarlierOneNeverExceedTheWindow) {
  class Slow : public Recorder {
   public:
    void process(int fd, std::uint64_t size, ScanResult& result) override {
      if (result.sequence == 1) std::this_thread::sleep_for(std::chrono::milliseconds(300));
      Recorder::process(fd, size, result);
    }
    void prepare(ScanResult&) override {
      const std::lock_guard lock(mutex);
      most = std::max(most, ++prepared - emitted);
    }
    bool emit(ScanResult& result) override {
      {
        const std::lock_guard lock(mutex);
        ++emitted;
      }
      return Recorder::emit(result);
    }
    std::mutex mutex;
    std::size_t prepared = 0;
    std::size_t emitted = 0;
    std::size_t most = 0;
  };
  ScanOptions options;
  options.ordered = true;
  options.walk.sorted = true;
  options.threads = 2;
  options.window = 64;
  Slow recorder;
  run_scan({root()}, options, recorder);
  EXPECT_EQ(recorder.emitted, 10000u);
  EXPECT_LE(recorder.most, 64u + 1);  // the window, plus the one result being emitted
  EXPECT_GE(recorder.most, 32u);  // it did run ahead while the slow one was busy
}

}  // namespace
}  // namespace enoexec::scan
