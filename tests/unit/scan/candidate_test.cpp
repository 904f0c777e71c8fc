#include "scan/candidate.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

#include "unit/scan/temp_tree.hpp"

namespace enoexec::scan {
namespace {

using enoexec::testing::TempTree;

Format sniff_file(const TempTree& tree, const std::string& name, const std::string& content) {
  tree.file(name, content);
  auto opened = open_regular_at(AT_FDCWD, tree.path(name).c_str());
  EXPECT_TRUE(opened) << opened.error().what;
  if (!opened) return Format::unknown;
  auto format = sniff_format(opened->fd);
  ::close(opened->fd);
  EXPECT_TRUE(format);
  return format ? *format : Format::unknown;
}

TEST(Candidate, IsDecidedByTheFirstBytesOnly) {
  TempTree tree;
  using namespace std::string_literals;
  EXPECT_EQ(sniff_file(tree, "a.txt", "\x7f" "ELF\x02\x01\x01"), Format::elf);
  EXPECT_EQ(sniff_file(tree, "b", "\xcf\xfa\xed\xfe\x07\x00\x00\x01"s), Format::macho);
  EXPECT_EQ(sniff_file(tree, "c", "\xca\xfe\xba\xbe\x00\x00\x00\x02"s), Format::macho_fat);
  EXPECT_EQ(sniff_file(tree, "d.class", "\xca\xfe\xba\xbe\x00\x00\x00\x34"s), Format::unknown);
  EXPECT_EQ(sniff_file(tree, "e.png", "MZ\x90\x00"s), Format::pe);
  EXPECT_EQ(sniff_file(tree, "f", "#!/bin/sh\n"), Format::script);
  EXPECT_EQ(sniff_file(tree, "g", "\xef\xbb\xbf#!/bin/sh\n"), Format::script);
  EXPECT_EQ(sniff_file(tree, "h.sh", "echo no shebang\n"), Format::unknown);
  EXPECT_EQ(sniff_file(tree, "i.exe", ""), Format::unknown);
  EXPECT_EQ(sniff_file(tree, "j", "#"), Format::unknown);
}

TEST(Candidate, TheExecBitDoesNotMakeACandidate) {
  TempTree tree;
  tree.file("tool", "plain text");
  ASSERT_EQ(::chmod(tree.path("tool").c_str(), 0755), 0);
  auto opened = open_regular_at(AT_FDCWD, tree.path("tool").c_str());
  ASSERT_TRUE(opened);
  EXPECT_EQ(sniff_format(opened->fd), Format::unknown);
  ::close(opened->fd);
}

TEST(Candidate, OpensAFifoWithoutBlockingAndRefusesIt) {
  TempTree tree;
  ASSERT_TRUE(tree.fifo("fifo"));
  auto opened = open_regular_at(AT_FDCWD, tree.path("fifo").c_str());
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::not_regular);
  EXPECT_EQ(opened.error().what, "FIFO, not read");
}

TEST(Candidate, DoesNotFollowASymlink) {
  TempTree tree;
  tree.file("f", "#!/bin/sh\n");
  tree.symlink("f", "link");
  auto opened = open_regular_at(AT_FDCWD, tree.path("link").c_str());
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::io);
  EXPECT_EQ(opened.error().what, "cannot open: Too many levels of symbolic links");
}

TEST(Candidate, ReportsAMissingFile) {
  TempTree tree;
  auto opened = open_regular_at(AT_FDCWD, tree.path("missing").c_str());
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().what, "cannot open: No such file or directory");
}

TEST(Candidate, InspectsCandidatesThroughTheOpenDescriptor) {
  TempTree tree;
  tree.file("s", "#!/bin/sh\necho\n");
  tree.file("t", "text\n");
  for (const auto& [name, outcome] : {std::pair{"s", ScanOutcome::candidate},
                                      std::pair{"t", ScanOutcome::not_candidate}}) {
    auto opened = open_regular_at(AT_FDCWD, tree.path(name).c_str());
    ASSERT_TRUE(opened);
    ScanResult result;
    result.path = "shown/" + std::string(name);
    inspect_candidate(opened->fd, opened->size, result);
    ::close(opened->fd);
    EXPECT_EQ(result.outcome, outcome) << name;
    if (outcome == ScanOutcome::candidate) {
      ASSERT_TRUE(result.report);
      EXPECT_EQ(result.report->path, "shown/s");
      EXPECT_EQ(result.report->format, Format::script);
      EXPECT_EQ(result.report->interpreter, "/bin/sh");
    } else {
      EXPECT_FALSE(result.report);
    }
  }
}

// Files above 64 KiB are mapped rather than read whole: both ways must give the same report.
TEST(Candidate, InspectsLargeFilesThroughAMapping) {
  TempTree tree;
  tree.file("big", "#!/bin/sh\n" + std::string(100 * 1024, '#') + "\n");
  auto opened = open_regular_at(AT_FDCWD, tree.path("big").c_str());
  ASSERT_TRUE(opened);
  EXPECT_GT(opened->size, 64u * 1024);
  ScanResult result;
  result.path = "big";
  inspect_candidate(opened->fd, opened->size, result);
  ::close(opened->fd);
  ASSERT_TRUE(result.report);
  EXPECT_EQ(result.report->format, Format::script);
  EXPECT_EQ(result.report->interpreter, "/bin/sh");
  EXPECT_FALSE(result.report->error);
}

}  // namespace
}  // namespace enoexec::scan
