// --select, --ignore and --fail-on (verdict/gate.hpp).
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "verdict/gate.hpp"

namespace enoexec {
namespace {

Problem problem(std::string code, std::string severity) {
  return Problem{std::move(code), std::move(severity), "m", "o", ""};
}

// An amd64 program judged for arm64, with a name that says arm64: what `scan` would print.
Verdict wrong_arch() {
  Verdict verdict;
  verdict.target = "linux/arm64";
  verdict.execve = "ENOEXEC";
  verdict.verdict = VerdictKind::fails;
  verdict.problems = {problem("E_WRONG_ARCH", "error"), problem("W_ARTIFACT_NAME", "warning")};
  return verdict;
}

constexpr std::array<std::string_view, 5> kKnown{"E_WRONG_ARCH", "E_MACHO_UNSIGNED", "E_MACHO_ARM64E",
                                                 "W_ARTIFACT_NAME", "I_STATIC"};

std::vector<std::string_view> close_to(std::string_view wrong) {
  if (wrong == "E_WRONG_ARH") return {"E_WRONG_ARCH"};
  return {};
}

TEST(CodeMatches, CodeOrPrefixAnyCase) {
  EXPECT_TRUE(code_matches("E_WRONG_ARCH", "E_WRONG_ARCH"));
  EXPECT_TRUE(code_matches("E_MACHO", "E_MACHO_UNSIGNED"));
  EXPECT_TRUE(code_matches("W_", "W_ARTIFACT_NAME"));
  EXPECT_TRUE(code_matches("e_wrong_arch", "E_WRONG_ARCH"));
  EXPECT_TRUE(code_matches("w", "W_ARTIFACT_NAME"));
  EXPECT_FALSE(code_matches("E_WRONG_ARCH_X", "E_WRONG_ARCH"));
  EXPECT_FALSE(code_matches("MACHO", "E_MACHO_UNSIGNED"));  // a prefix, not a substring
  EXPECT_FALSE(code_matches("", "E_WRONG_ARCH"));
}

TEST(ProblemFilter, IgnoreRecomputesTheVerdict) {
  ProblemFilter filter;
  filter.ignore("E_WRONG_ARCH");
  Verdict verdict = wrong_arch();
  EXPECT_EQ(filter.apply(verdict), std::vector<std::string>{"E_WRONG_ARCH"});
  EXPECT_EQ(verdict.verdict, VerdictKind::runs);
  EXPECT_EQ(verdict.execve, "ENOEXEC");  // the kernel's answer stays
  ASSERT_EQ(verdict.problems.size(), 1U);
  EXPECT_EQ(verdict.problems[0].code, "W_ARTIFACT_NAME");
  EXPECT_FALSE(fails_gate(verdict, FailOn::error));
  EXPECT_TRUE(fails_gate(verdict, FailOn::warning));
}

TEST(ProblemFilter, EmulatedStaysEmulated) {
  ProblemFilter filter;
  filter.ignore("W_");
  Verdict verdict;
  verdict.verdict = VerdictKind::emulated;
  verdict.emulator = "/usr/bin/qemu-aarch64-static";
  verdict.problems = {problem("W_ARTIFACT_NAME", "warning")};
  EXPECT_EQ(filter.apply(verdict).size(), 1U);
  EXPECT_EQ(verdict.verdict, VerdictKind::emulated);
}

TEST(ProblemFilter, SelectKeepsOnlyMatchesAndIgnoreWins) {
  ProblemFilter select_warnings;
  select_warnings.select("W_");
  Verdict verdict = wrong_arch();
  EXPECT_EQ(select_warnings.apply(verdict), std::vector<std::string>{"E_WRONG_ARCH"});
  EXPECT_EQ(verdict.verdict, VerdictKind::runs);

  ProblemFilter both;
  both.select("E_");
  both.select("W_");
  both.ignore("W_ARTIFACT");
  verdict = wrong_arch();
  EXPECT_EQ(both.apply(verdict), std::vector<std::string>{"W_ARTIFACT_NAME"});
  EXPECT_EQ(verdict.verdict, VerdictKind::fails);
  EXPECT_TRUE(both.counts("E_MACHO_UNSIGNED"));
  EXPECT_FALSE(both.counts("I_STATIC"));
}

TEST(ProblemFilter, EmptyFilterChangesNothing) {
  const ProblemFilter filter;
  Verdict verdict = wrong_arch();
  EXPECT_TRUE(filter.apply(verdict).empty());
  EXPECT_EQ(verdict.verdict, VerdictKind::fails);
  EXPECT_EQ(verdict.problems.size(), 2U);
}

TEST(FailOn, NeverPassesEverything) {
  EXPECT_FALSE(fails_gate(wrong_arch(), FailOn::never));
  EXPECT_TRUE(fails_gate(wrong_arch(), FailOn::error));
  EXPECT_EQ(parse_fail_on("never"), FailOn::never);
  EXPECT_EQ(parse_fail_on("warning"), FailOn::warning);
  EXPECT_FALSE(parse_fail_on("sometimes"));
  EXPECT_EQ(to_string(FailOn::never), "never");
}

TEST(ParseCodePatterns, CommasCaseAndUnknownCodes) {
  const auto patterns =
      parse_code_patterns("--ignore", {"e_macho, W_", "E_WRONG_ARCH,"}, kKnown, close_to);
  ASSERT_TRUE(patterns) << patterns.error().what;
  EXPECT_EQ(*patterns, (std::vector<std::string>{"E_MACHO", "W_", "E_WRONG_ARCH"}));

  const auto typo = parse_code_patterns("--ignore", {"E_WRONG_ARH"}, kKnown, close_to);
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().what, "--ignore: E_WRONG_ARH matches no rule (did you mean E_WRONG_ARCH?)");

  const auto nothing = parse_code_patterns("--select", {"X_"}, kKnown, close_to);
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().what, "--select: X_ matches no rule (docs/rules.md lists the rule codes)");
}

// Against the real rules table (enoexec/rules.hpp).
TEST(MakeProblemFilter, RulesTable) {
  const auto filter = make_problem_filter({"E_MACHO"}, {"w_"});
  ASSERT_TRUE(filter) << filter.error().what;
  EXPECT_TRUE(filter->counts("E_MACHO_UNSIGNED"));
  EXPECT_FALSE(filter->counts("E_WRONG_ARCH"));
  const auto typo = make_problem_filter({}, {"E_WRONG_ARH"});
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().what, "--ignore: E_WRONG_ARH matches no rule (did you mean E_WRONG_ARCH?)");
  EXPECT_FALSE(make_problem_filter({"X_NOTHING"}, {}));
}

}  // namespace
}  // namespace enoexec
