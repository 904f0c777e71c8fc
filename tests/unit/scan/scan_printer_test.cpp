#include "output/scan_printer.hpp"

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

namespace enoexec {
namespace {

// Runs results through a printer into memory, the way the scanner does: render, then write.
// With `bulk`, what only_counts() admits is counted and handed over at the end instead, as
// the unordered scan does.
std::string print(bool json, ScanPrintOptions options, std::vector<ScanResult> results,
                  ScanStats stats = {}, bool bulk = false) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = ::open_memstream(&buffer, &size);
  {
    auto printer = json ? make_json_scan_printer(out, options) : make_human_scan_printer(out, options, out);
    std::uint64_t counted = 0;
    for (ScanResult& result : results) {
      printer->render(result);
      if (bulk && ScanPrinter::only_counts(result)) ++counted;
      else printer->write(result);
    }
    printer->add_not_candidates(counted);
    printer->finish(stats);
  }
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

ScanResult special(std::string path, std::string_view type, ScanOutcome outcome, std::string note,
                   bool quiet = false) {
  ScanResult result;
  result.path = std::move(path);
  result.type = type;
  result.outcome = outcome;
  result.note = std::move(note);
  result.quiet = quiet;
  return result;
}

ScanResult candidate(std::string path, Format format, std::optional<Platform> platform) {
  ScanResult result;
  result.path = path;
  result.type = "regular";
  result.outcome = ScanOutcome::candidate;
  result.report = FileReport{};
  result.report->path = std::move(path);
  result.report->format = format;
  result.report->platform = platform;
  return result;
}

std::vector<ScanResult> sample() {
  return {
      special("t/fifo", "fifo", ScanOutcome::skipped, "FIFO, not opened"),
      special("t/locked", "directory", ScanOutcome::error, "cannot open directory: Permission denied"),
      special("t/link", "symlink", ScanOutcome::skipped, "symlink, not followed", true),
      special("t/notes", "regular", ScanOutcome::not_candidate, ""),
      candidate("t/run.sh", Format::script, std::nullopt),
  };
}

TEST(ScanPrinter, JsonLinesForProblemsAndASummary) {
  ScanStats stats{.directories = 2, .entries = 6, .files = 2};
  const std::string text = print(true, {}, sample(), stats);
  const std::string expected =
      R"({"record":"entry","path":"t/fifo","type":"fifo","skipped":"FIFO, not opened"})" "\n"
      R"({"record":"entry","path":"t/locked","type":"directory","error":"cannot open directory: Permission denied"})" "\n"
      R"({"record":"file","path":"t/run.sh","format":"script",)";
  EXPECT_EQ(text.substr(0, expected.size()), expected);
  const std::string summary =
      R"({"record":"summary","summary":{"directories":2,"entries":6,"files":2,"candidates":1,"not_candidates":1,)"
      R"("skipped":2,"errors":1,"formats":{"script":1},"platforms":{"unknown":1}}})" "\n";
  ASSERT_GE(text.size(), summary.size());
  EXPECT_EQ(text.substr(text.size() - summary.size()), summary);
}

TEST(ScanPrinter, CountingInBulkPrintsWhatWritingEachDoes) {
  std::vector<ScanResult> results = sample();
  results.push_back(special("t/more", "regular", ScanOutcome::not_candidate, ""));
  for (const bool json : {true, false})
    for (const bool all : {false, true}) {
      const ScanPrintOptions options{all, false};
      EXPECT_EQ(print(json, options, results, {}, true), print(json, options, results))
          << json << all;
    }
  std::vector<ScanResult> notes{special("t/a", "regular", ScanOutcome::not_candidate, "")};
  EXPECT_TRUE(print(false, {}, notes, {}, true)
                  .ends_with("0 candidates, 1 not a candidate, 0 skipped, 0 errors\n"));
}

TEST(ScanPrinter, AllShowsNonCandidatesAndSymlinksNotFollowed) {
  const std::string text = print(true, ScanPrintOptions{true, false}, sample());
  EXPECT_NE(text.find(R"({"record":"entry","path":"t/link","type":"symlink","skipped":"symlink, not followed"})"),
            std::string::npos);
  EXPECT_NE(text.find(R"({"record":"entry","path":"t/notes","type":"regular",)"
                      R"("skipped":"not a program: no ELF, Mach-O, PE or #! magic"})"),
            std::string::npos);
}

// A name that is not UTF-8 keeps `path` a valid JSON string (U+FFFD for the bad byte) and adds
// its bytes in base64, in every kind of line: the entry not read and the program.
TEST(ScanPrinter, NamesThatAreNotUtf8CarryTheirBytes) {
  std::vector<ScanResult> results{
      special("t/a\xff" "b", "fifo", ScanOutcome::skipped, "FIFO, not opened"),
      candidate("t/c\xff" "d", Format::script, std::nullopt),
  };
  const std::string text = print(true, {}, std::move(results));
  EXPECT_NE(text.find("{\"record\":\"entry\",\"path\":\"t/a\xef\xbf\xbd" "b\",\"path_bytes\":\"dC9h/2I=\",\"type\":\"fifo\","),
            std::string::npos) << text;
  EXPECT_NE(text.find("{\"record\":\"file\",\"path\":\"t/c\xef\xbf\xbd" "d\",\"path_bytes\":\"dC9j/2Q=\",\"format\":\"script\","),
            std::string::npos) << text;
  EXPECT_EQ(text.find("path_bytes", text.find("\"record\":\"summary\"")), std::string::npos);
}

TEST(ScanPrinter, OnlyFailuresShowsErrorsOnly) {
  const std::string text = print(false, ScanPrintOptions{false, true}, sample());
  EXPECT_EQ(text,
            "enoexec: t/locked: cannot open directory: Permission denied\n"
            "\nplatform     files\n"
            "unknown          1\n"
            "\n0 directories, 0 files: 1 candidate, 1 not a candidate, 2 skipped, 1 error\n");
}

TEST(ScanPrinter, HumanLinesEscapeControlCharactersAndTableThePlatforms) {
  std::vector<ScanResult> results{
      special("t/odd\nname", "fifo", ScanOutcome::skipped, "FIFO, not opened"),
      candidate("t/a", Format::elf, make_platform(Os::linux, Arch::arm64)),
      candidate("t/b", Format::elf, make_platform(Os::linux, Arch::arm64)),
      candidate("t/c", Format::pe, make_platform(Os::windows, Arch::amd64)),
  };
  const std::string text = print(false, {}, std::move(results), ScanStats{.directories = 1, .entries = 4, .files = 3});
  EXPECT_EQ(text.substr(0, text.find("t/a")), "t/odd\\nname: skipped: FIFO, not opened\n");
  const std::string table =
      "\nplatform          files\n"
      "linux/arm64           2\n"
      "windows/amd64         1\n"
      "\n1 directory, 3 files: 3 candidates, 0 not candidates, 1 skipped, 0 errors\n";
  ASSERT_GE(text.size(), table.size());
  EXPECT_EQ(text.substr(text.size() - table.size()), table);
}

TEST(ScanPrinter, AReportErrorCountsAsAnError) {
  ScanResult broken = candidate("t/x", Format::elf, std::nullopt);
  broken.report->error = "truncated: ELF header needs 64 bytes, 4 remain (at offset 0x0)";
  summarize(broken);
  ScanTally tally;
  tally.add(broken);
  EXPECT_EQ(tally.errors, 1u);
  EXPECT_EQ(tally.candidates, 1u);
  EXPECT_TRUE(is_shown(broken, ScanPrintOptions{false, true}));
}

}  // namespace
}  // namespace enoexec
