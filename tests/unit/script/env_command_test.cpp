// GNU env's handling of the one shebang argument. Expected words were cross-checked with
// `env -vS'...'` from coreutils 9.1.
#include "formats/script/env_command.hpp"

#include <gtest/gtest.h>

namespace enoexec::script {
namespace {

using Words = std::vector<std::string>;

Words split_ok(std::string_view text) {
  auto words = split_string(text);
  EXPECT_TRUE(words.has_value()) << (words ? "" : words.error());
  return words ? *words : Words{};
}

std::string split_error(std::string_view text) {
  auto words = split_string(text);
  EXPECT_FALSE(words.has_value());
  return words ? "" : words.error();
}

TEST(EnvSplit, BlanksOfAllKindsSeparate) {
  EXPECT_EQ(split_ok("perl -T -w"), (Words{"perl", "-T", "-w"}));
  EXPECT_EQ(split_ok("  a\t\tb\r"), (Words{"a", "b"}));
  EXPECT_EQ(split_ok(""), Words{});
}

TEST(EnvSplit, DoubleQuotesKeepSpaces) {
  EXPECT_EQ(split_ok("awk -v OFS=\" xyz \" -f"), (Words{"awk", "-v", "OFS= xyz ", "-f"}));
}

TEST(EnvSplit, EscapeSequences) {
  EXPECT_EQ(split_ok("printf %s\\n A B C"), (Words{"printf", "%s\n", "A", "B", "C"}));
  EXPECT_EQ(split_ok("a\\tb\\r\\f\\v \\\" \\' \\\\ \\$"), (Words{"a\tb\r\f\v", "\"", "'", "\\", "$"}));
}

TEST(EnvSplit, HashAtAWordStartEndsTheString) {
  EXPECT_EQ(split_ok("printf %s\\n A #B C"), (Words{"printf", "%s\n", "A"}));
  EXPECT_EQ(split_ok("printf %s\\n A# B C"), (Words{"printf", "%s\n", "A#", "B", "C"}));
  EXPECT_EQ(split_ok("printf %s\\n A \\#B C"), (Words{"printf", "%s\n", "A", "#B", "C"}));
}

TEST(EnvSplit, BackslashCEndsTheString) {
  EXPECT_EQ(split_ok("printf %s\\n A\\cB C"), (Words{"printf", "%s\n", "A"}));
}

TEST(EnvSplit, BackslashUnderscoreSeparatesOrIsASpaceInQuotes) {
  EXPECT_EQ(split_ok("a\\_b \"c\\_d\""), (Words{"a", "b", "c d"}));
}

TEST(EnvSplit, SingleQuotesKeepBackslashesButTwo) {
  EXPECT_EQ(split_ok("a 'b\\tc' d"), (Words{"a", "b\\tc", "d"}));
  EXPECT_EQ(split_ok("a 'it\\'s' \"\" e"), (Words{"a", "it's", "", "e"}));
}

TEST(EnvSplit, VariablesStayAsWritten) {
  EXPECT_EQ(split_ok("x ${HOME}y"), (Words{"x", "${HOME}y"}));
}

TEST(EnvSplit, ErrorsUseEnvsWords) {
  EXPECT_EQ(split_error("x $HOME"), "only ${VARNAME} expansion is supported, error at: $HOME");
  EXPECT_EQ(split_error("x ${1A}"), "only ${VARNAME} expansion is supported, error at: ${1A}");
  EXPECT_EQ(split_error("a\\x"), "invalid sequence '\\x' in -S");
  EXPECT_EQ(split_error("a\\"), "invalid backslash at end of string in -S");
  EXPECT_EQ(split_error("\"a\\cb\""), "'\\c' must not appear in double-quoted -S string");
  EXPECT_EQ(split_error("\"unterminated"), "no terminating quote in -S string");
  EXPECT_EQ(split_error("'unterminated\\"), "no terminating quote in -S string");
}

TEST(EnvDetect, ByBaseName) {
  EXPECT_TRUE(is_env("/usr/bin/env"));
  EXPECT_TRUE(is_env("/bin/env"));
  EXPECT_TRUE(is_env("env"));
  EXPECT_FALSE(is_env("/usr/bin/envy"));
  EXPECT_FALSE(is_env("/usr/bin/env\r"));
  EXPECT_FALSE(is_env("/usr/bin/printenv"));
}

void expect_run(const EnvRun& run, EnvResult result, bool split, const Words& command,
                const std::string& error = "") {
  EXPECT_EQ(run.result, result);
  EXPECT_EQ(run.split, split);
  EXPECT_EQ(run.command, command);
  EXPECT_EQ(run.env_error, error);
}

TEST(EnvRun, OneProgramName) { expect_run(run_env("python3"), EnvResult::runs, false, {"python3"}); }

TEST(EnvRun, TwoWordsWithoutSplitAreOneName) {
  expect_run(run_env("python3 -u"), EnvResult::needs_split, false, {"python3 -u"},
             "'python3 -u': No such file or directory");
}

TEST(EnvRun, SplitOption) {
  expect_run(run_env("-S python3 -u"), EnvResult::runs, true, {"python3", "-u"});
  expect_run(run_env("-vS python3"), EnvResult::runs, true, {"python3"});
  expect_run(run_env("-Spython3 -u"), EnvResult::runs, true, {"python3", "-u"});
  expect_run(run_env("--split-string=python3 -u"), EnvResult::runs, true, {"python3", "-u"});
  expect_run(run_env("--split=python3 -u"), EnvResult::runs, true, {"python3", "-u"});
}

TEST(EnvRun, OptionsAndAssignmentsInsideTheSplitAreRead) {
  expect_run(run_env("-S -i FOO=1 BAR= python3 -u"), EnvResult::runs, true, {"python3", "-u"});
  expect_run(run_env("-S -u HOME -C /tmp -- perl -w"), EnvResult::runs, true, {"perl", "-w"});
  expect_run(run_env("-S - perl"), EnvResult::runs, true, {"perl"});
}

TEST(EnvRun, OptionFollowedByABlankNeedsSplit) {
  expect_run(run_env("-i python3"), EnvResult::needs_split, false, {}, "invalid option -- ' '");
}

TEST(EnvRun, BadOptions) {
  expect_run(run_env("-x"), EnvResult::bad_option, false, {}, "invalid option -- 'x'");
  expect_run(run_env("--split python3"), EnvResult::bad_option, false, {},
             "unrecognized option '--split python3'");
  expect_run(run_env("--help"), EnvResult::bad_option, false, {}, "--help prints text and runs nothing");
}

TEST(EnvRun, SplitErrorsArePassedOn) {
  expect_run(run_env("-S python3 \"-u"), EnvResult::split_error, false, {},
             "no terminating quote in -S string");
}

TEST(EnvRun, NoCommandLeavesOnlyTheScript) {
  expect_run(run_env(std::nullopt), EnvResult::no_command, false, {});
  expect_run(run_env("FOO=1 python3"), EnvResult::no_command, false, {});
  expect_run(run_env("-S FOO=1"), EnvResult::no_command, true, {});
  expect_run(run_env("-S"), EnvResult::no_command, false, {}, "-S takes the script's own path as its value");
  expect_run(run_env("-i"), EnvResult::no_command, false, {});
}

TEST(EnvRun, CarriageReturnStaysInTheName) {
  expect_run(run_env("python3\r"), EnvResult::runs, false, {"python3\r"});
  expect_run(run_env("-S python3\r"), EnvResult::runs, true, {"python3"});
}

}  // namespace
}  // namespace enoexec::script
