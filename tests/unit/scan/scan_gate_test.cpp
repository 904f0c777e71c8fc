// The gate of `scan` (verdict/gate.hpp, scan/scan_judge.hpp): --select/--ignore as the printers
// show and count them, --fail-on never, the summary by rule code, and --assets' choice of
// platform per file.
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "enoexec/targets.hpp"
#include "output/scan_printer.hpp"
#include "print_scan.hpp"
#include "scan/scan_judge.hpp"
#include "verdict/gate.hpp"

namespace enoexec {
namespace {

std::string print(bool json, const ScanPrintOptions& options, std::vector<ScanResult> results,
                  ScanTally* tally = nullptr) {
  return print_scan(json, options, std::move(results), tally);
}

// An amd64 program named for arm64 and judged there: fails with E_WRONG_ARCH and a name warning.
ScanResult mislabelled(const std::string& path, const ProblemFilter& filter = {}) {
  ScanResult result = elf_candidate(path, make_platform(Os::linux, Arch::amd64));
  Verdict verdict{"linux/arm64", "ENOEXEC", VerdictKind::fails, "",
                  {{"E_WRONG_ARCH", "error", path + ": Exec format error", "execve: ENOEXEC", ""},
                   {"W_ARTIFACT_NAME", "warning", path + ": the name says linux/arm64", "", ""}}};
  result.ignored = filter.apply(verdict);
  result.verdict = std::move(verdict);
  return result;
}

ScanPrintOptions options(bool filtered = false) {
  ScanPrintOptions print_options;
  print_options.target = "linux/amd64";
  print_options.filtered = filtered;
  return print_options;
}

ProblemFilter ignoring(std::string pattern) {
  ProblemFilter filter;
  filter.ignore(std::move(pattern));
  return filter;
}

TEST(ScanGate, IgnoredProblemsAreNotPrintedCountedOrFailing) {
  ScanTally tally;
  const std::string text = print(false, options(true), {mislabelled("r/app-linux-arm64", ignoring("E_WRONG"))}, &tally);
  EXPECT_EQ(text.substr(0, text.find('\n')), "r/app-linux-arm64: runs on linux/arm64 (1 ignored)");
  EXPECT_EQ(text.find("E_WRONG_ARCH"), std::string::npos) << text;
  EXPECT_NE(text.find("by rule (1 ignored):\n  W_ARTIFACT_NAME         1\n"), std::string::npos) << text;
  EXPECT_EQ(tally.gate_failures, 0U);
  EXPECT_EQ(tally.verdicts.runs, 1U);
  EXPECT_EQ(tally.ignored, 1U);
  EXPECT_EQ(tally.rules, (std::map<std::string, std::uint64_t>{{"W_ARTIFACT_NAME", 1}}));
}

TEST(ScanGate, JsonCarriesIgnoredAndCountsByRule) {
  const std::string text =
      print(true, options(true), {mislabelled("r/a", ignoring("E_")), mislabelled("r/b")});
  EXPECT_NE(text.find(R"("verdict":"runs",)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("ignored":["E_WRONG_ARCH"]})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("ignored":[]})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("gate_failures":1,"rules":{"E_WRONG_ARCH":1,"W_ARTIFACT_NAME":2},"ignored":1}})"),
            std::string::npos)
      << text;
  // Without --select/--ignore the objects stay those of `check --json`.
  const std::string plain = print(true, options(), {mislabelled("r/b")});
  EXPECT_EQ(plain.find(R"("ignored")"), std::string::npos) << plain;
}

TEST(ScanGate, FailOnNeverCountsNoGateFailureButOnlyFailuresStillShowsThem) {
  ScanPrintOptions never = options();
  never.fail_on_never = true;
  never.only_failures = true;
  ScanTally tally;
  const std::string text = print(false, never, {mislabelled("r/app")}, &tally);
  EXPECT_EQ(tally.gate_failures, 0U);
  EXPECT_EQ(tally.verdicts.fails, 1U);
  EXPECT_NE(text.find("r/app: will not run on linux/arm64"), std::string::npos) << text;
}

TEST(ScanGate, SelectKeepsOnlyTheMatchingRules) {
  ProblemFilter warnings;
  warnings.select("w_");
  ScanTally tally;
  print(false, options(true), {mislabelled("r/app", warnings)}, &tally);
  EXPECT_EQ(tally.rules, (std::map<std::string, std::uint64_t>{{"W_ARTIFACT_NAME", 1}}));
  EXPECT_EQ(tally.gate_failures, 0U);
}

// --assets: which setup judges each file.
TEST(AssetSetups, EachNameItsPlatformOthersTheFallback) {
  const JudgeSetup fallback = scan::platform_setup(make_platform(Os::linux, Arch::amd64));
  scan::AssetSetups setups(fallback);
  const auto target_of = [&](std::string_view path) { return to_oci(target_platform(setups.for_path(path).host)); };
  EXPECT_EQ(target_of("rel/myapp-linux-armv6"), "linux/arm/v6");
  EXPECT_EQ(target_of("rel/myapp-linux-arm64"), "linux/arm64");
  EXPECT_EQ(target_of("rel/myapp-darwin-arm64"), "darwin/arm64");
  EXPECT_EQ(target_of("rel/myapp.exe"), "windows/amd64");
  EXPECT_EQ(target_of("rel/myapp-windows-arm64.exe"), "windows/arm64");
  // The fallback's own platform and names that promise none: the fallback itself.
  EXPECT_EQ(&setups.for_path("rel/myapp-linux-amd64"), &fallback);
  EXPECT_EQ(&setups.for_path("rel/README"), &fallback);
  EXPECT_EQ(&setups.for_path("linux-arm64/myapp"), &fallback);  // folders do not promise
  // One setup per platform, made once.
  EXPECT_EQ(&setups.for_path("a/x-linux-arm64"), &setups.for_path("b/y_linux_aarch64"));
  EXPECT_NE(&setups.for_path("a/x-linux-arm64"), &setups.for_path("a/x-linux-arm64-musl"));
  EXPECT_EQ(setups.for_path("a/x-linux-arm64-musl").host.libc.flavour, Libc::musl);
}

}  // namespace
}  // namespace enoexec
