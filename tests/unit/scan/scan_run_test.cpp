// The library's per-file loop of `scan` (scan/scan_run.hpp) over a temp tree: what it counts,
// what it prints, its verdicts, and what it tells the progress, ordered and unordered.
#include "scan/scan_run.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "enoexec/platform.hpp"
#include "enoexec/targets.hpp"
#include "verdict/judge_setup.hpp"
#include "unit/scan/temp_tree.hpp"

namespace enoexec::scan {
namespace {

using enoexec::testing::TempTree;

// Counts what the loop tells it, and checks a clear() comes before every written line.
class CountingProgress final : public ScanProgress {
 public:
  void clear() override { ++clears; }
  void update(std::string_view path, const ScanTally& tally, std::uint64_t count) override {
    (void)path;
    results += count;
    candidates = tally.candidates;
  }
  std::uint64_t clears = 0;
  std::uint64_t results = 0;
  std::uint64_t candidates = 0;
};

// Two programs (this test program itself, an ELF file, and a script), executable, and two
// data files.
void make_tree(const TempTree& tree) {
  std::ifstream self("/proc/self/exe", std::ios::binary);
  tree.file("bin/tool", std::string(std::istreambuf_iterator<char>(self), {}));
  tree.file("bin/run.sh", "#!/bin/sh\necho hi\n");
  for (const char* program : {"bin/tool", "bin/run.sh"})
    std::filesystem::permissions(tree.path(program), std::filesystem::perms::owner_all);
  tree.file("share/readme.txt", "text\n");
  tree.file("share/deep/data.bin", std::string(100, '\0'));
}

struct Scanned {
  std::string text;
  ScanTally tally;
  ScanStats stats;
  CountingProgress progress;
};

Scanned scan_tree(const std::string& root, bool ordered, bool json) {
  Scanned scanned;
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = ::open_memstream(&buffer, &size);
  {
    auto setup_made = make_judge_setup(JudgeRequest{});  // this machine, as `scan` without --target
    EXPECT_TRUE(setup_made.has_value());
    const JudgeSetup setup = std::move(*setup_made);
    ScanPrintOptions print;
    print.target = to_oci(target_platform(setup.host));
    auto printer = json ? make_json_scan_printer(out, print) : make_human_scan_printer(out, print, out);
    ScanJudge judge(setup, ProblemFilter{}, false);
    const InspectOptions inspect;
    ScanRun run(*printer, judge, inspect, &scanned.progress);
    ScanOptions options;
    options.ordered = ordered;
    options.walk.sorted = ordered;
    options.threads = 3;
    scanned.stats = run.run({root}, options);
    EXPECT_FALSE(run.output_failed());
    printer->finish(scanned.stats);
    scanned.tally = printer->tally();
  }
  std::fclose(out);
  scanned.text.assign(buffer, size);
  std::free(buffer);
  return scanned;
}

TEST(ScanRun, CountsJudgesAndPrintsEveryFile) {
  TempTree tree;
  make_tree(tree);
  for (const bool ordered : {true, false}) {
    const Scanned scanned = scan_tree(tree.root(), ordered, false);
    EXPECT_EQ(scanned.stats.files, 4U);
    EXPECT_EQ(scanned.stats.directories, 4U);
    EXPECT_EQ(scanned.tally.candidates, 2U);
    EXPECT_EQ(scanned.tally.not_candidates, 2U);
    EXPECT_EQ(scanned.tally.errors, 0U);
    EXPECT_EQ(scanned.tally.formats.at("elf"), 1U);
    EXPECT_EQ(scanned.tally.formats.at("script"), 1U);
    EXPECT_EQ(scanned.tally.verdicts.total(), 2U);
    // This very program runs here, and so does a script whose /bin/sh is this machine's.
    EXPECT_EQ(scanned.tally.verdicts.runs, 2U) << scanned.text;
    EXPECT_NE(scanned.text.find(tree.path("bin/tool") + ": runs on"), std::string::npos) << scanned.text;
    EXPECT_NE(scanned.text.find(tree.path("bin/run.sh") + ": runs on"), std::string::npos) << scanned.text;
    EXPECT_EQ(scanned.text.find("readme.txt"), std::string::npos) << scanned.text;
    // Every result reaches the progress, and a clear() before each of the two lines.
    EXPECT_EQ(scanned.progress.results, 4U);
    EXPECT_EQ(scanned.progress.candidates, 2U);
    EXPECT_GE(scanned.progress.clears, 2U);
  }
}

TEST(ScanRun, OrderedJsonIsInPathOrder) {
  TempTree tree;
  make_tree(tree);
  const Scanned scanned = scan_tree(tree.root(), true, true);
  const std::size_t script = scanned.text.find("bin/run.sh");
  const std::size_t tool = scanned.text.find("bin/tool");
  ASSERT_NE(script, std::string::npos) << scanned.text;
  ASSERT_NE(tool, std::string::npos) << scanned.text;
  EXPECT_LT(script, tool);
  EXPECT_NE(scanned.text.find("\"verdict\""), std::string::npos) << scanned.text;
}

}  // namespace
}  // namespace enoexec::scan
