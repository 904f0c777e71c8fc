// Scan printers with verdicts: check's text and JSON per file, the gate (--only-failures,
// --fail-on warning) and the summary by platform and verdict.
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "output/json_verdict.hpp"
#include "output/scan_printer.hpp"
#include "print_scan.hpp"

namespace enoexec {
namespace {

std::string print(bool json, const ScanPrintOptions& options, std::vector<ScanResult> results,
                  ScanTally* tally = nullptr) {
  return print_scan(json, options, std::move(results), tally);
}

ScanResult judged(const std::string& path, Arch arch, VerdictKind kind, std::vector<Problem> problems = {}) {
  ScanResult result = elf_candidate(path, make_platform(Os::linux, arch));
  result.verdict = Verdict{"linux/amd64", kind == VerdictKind::fails ? "ENOEXEC" : "ok", kind, "",
                           std::move(problems)};
  return result;
}

Problem wrong_arch(const std::string& path) {
  return {"E_WRONG_ARCH", "error", path + ": Exec format error", "execve: ENOEXEC", "rebuild it"};
}

Problem name_warning(const std::string& path) {
  return {"W_ARTIFACT_NAME", "warning", path + ": the name says linux/arm64", "", "rename it"};
}

ScanPrintOptions judging(bool only_failures = false, bool fail_on_warning = false) {
  ScanPrintOptions options;
  options.only_failures = only_failures;
  options.fail_on_warning = fail_on_warning;
  options.target = "linux/amd64";
  return options;
}

std::vector<ScanResult> sample() {
  return {judged("t/ok", Arch::amd64, VerdictKind::runs),
          judged("t/arm", Arch::arm64, VerdictKind::fails, {wrong_arch("t/arm")}),
          judged("t/app-linux-arm64", Arch::amd64, VerdictKind::runs, {name_warning("t/app-linux-arm64")})};
}

TEST(ScanPrinterVerdict, HumanPrintsCheckLinesAndATableByPlatformAndVerdict) {
  ScanTally tally;
  const std::string text = print(false, judging(), sample(), &tally);
  EXPECT_EQ(text,
            "t/ok: runs on linux/amd64\n"
            "t/arm: will not run on linux/amd64 (execve: ENOEXEC)\n"
            "  error E_WRONG_ARCH: t/arm: Exec format error\n"
            "    outcome: execve: ENOEXEC\n"
            "    fix: rebuild it\n"
            "t/app-linux-arm64: runs on linux/amd64\n"
            "  warning W_ARTIFACT_NAME: t/app-linux-arm64: the name says linux/arm64\n"
            "    fix: rename it\n"
            "\nplatform        files      runs  emulated     fails\n"
            "linux/amd64         2         2         0         0\n"
            "linux/arm64         1         0         0         1\n"
            "\n1 directory, 3 files: 3 candidates, 0 not candidates, 0 skipped, 0 errors\n"
            "on linux/amd64: 2 run, 0 run emulated, 1 fails, 1 with warnings\n"
            "by rule:\n"
            "  E_WRONG_ARCH            1\n"
            "  W_ARTIFACT_NAME         1\n");
  EXPECT_EQ(tally.gate_failures, 1U);
  EXPECT_EQ(tally.warned, 1U);
}

TEST(ScanPrinterVerdict, ANewlineInAPathCannotForgeAProblemLine) {
  const std::string text =
      print(false, judging(), {judged("t/x\n  error E_FAKE", Arch::arm64, VerdictKind::fails,
                                      {wrong_arch("t/x\n  error E_FAKE")})});
  EXPECT_EQ(text.substr(0, text.find("\n\n")),
            "t/x\\n  error E_FAKE: will not run on linux/amd64 (execve: ENOEXEC)\n"
            "  error E_WRONG_ARCH: t/x\\n  error E_FAKE: Exec format error\n"
            "    outcome: execve: ENOEXEC\n"
            "    fix: rebuild it");
}

TEST(ScanPrinterVerdict, JsonLinesAreTheObjectsOfCheck) {
  std::vector<ScanResult> results = sample();
  std::string expected;
  for (const ScanResult& result : results)
    expected += to_json(*result.report, *result.verdict)
                    .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
                "\n";
  const std::string text = print(true, judging(), std::move(results));
  EXPECT_EQ(text.substr(0, expected.size()), expected);
  EXPECT_NE(text.find(R"("target":"linux/amd64","verdicts":{"runs":2,"emulated":0,"fails":1,"unknown":0},)"
                      R"("warnings":1,"gate_failures":1,"rules":{"E_WRONG_ARCH":1,"W_ARTIFACT_NAME":1}}})"),
            std::string::npos)
      << text;
}

TEST(ScanPrinterVerdict, OnlyFailuresKeepsFailsAndErrorsAndWarningsWhenTheyFail) {
  std::vector<ScanResult> results = sample();
  ScanResult locked;
  locked.path = "t/locked";
  locked.type = "directory";
  locked.outcome = ScanOutcome::error;
  locked.note = "cannot open directory: Permission denied";
  results.push_back(locked);
  std::string text = print(false, judging(true), results);
  EXPECT_EQ(text.find("t/ok"), std::string::npos);
  EXPECT_EQ(text.find("t/app-linux-arm64"), std::string::npos);
  EXPECT_NE(text.find("t/arm: will not run"), std::string::npos);
  EXPECT_NE(text.find("enoexec: t/locked: cannot open directory"), std::string::npos);

  ScanTally tally;
  text = print(false, judging(true, true), results, &tally);
  EXPECT_NE(text.find("t/app-linux-arm64: runs on linux/amd64"), std::string::npos);
  EXPECT_EQ(text.find("t/ok"), std::string::npos);
  EXPECT_EQ(tally.gate_failures, 2U);
  EXPECT_EQ(tally.errors, 1U);
}

TEST(ScanPrinterVerdict, FailsGate) {
  ScanResult result = judged("t/w", Arch::amd64, VerdictKind::runs, {name_warning("t/w")});
  summarize(result);
  EXPECT_EQ(result.verdict_kind, "runs");
  EXPECT_TRUE(result.warned);
  EXPECT_FALSE(fails_gate(result, judging()));
  EXPECT_TRUE(fails_gate(result, judging(false, true)));
  ScanResult emulated = judged("t/e", Arch::arm64, VerdictKind::emulated);
  summarize(emulated);
  EXPECT_FALSE(fails_gate(emulated, judging(false, true)));
}

}  // namespace
}  // namespace enoexec
