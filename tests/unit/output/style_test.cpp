// Terminal conventions: when to colour (--color, NO_COLOR, TERM=dumb, a terminal or not), when
// to draw a progress line (a terminal, not under CI), the SGR wrapping, counted nouns, and the
// check/scan text with and without colour.
#include <gtest/gtest.h>

#include <string>

#include "enoexec/verdict.hpp"
#include "output/style.hpp"
#include "output/verdict_text.hpp"

namespace enoexec {
namespace {

TerminalEnv terminal() { return {true, nullptr, "xterm-256color", nullptr}; }
TerminalEnv not_a_terminal() { return {false, nullptr, "xterm-256color", nullptr}; }

TEST(ColorChoice, ParsesTheThreeWords) {
  EXPECT_EQ(parse_color_choice("auto"), ColorChoice::automatic);
  EXPECT_EQ(parse_color_choice("always"), ColorChoice::always);
  EXPECT_EQ(parse_color_choice("never"), ColorChoice::never);
  EXPECT_EQ(parse_color_choice("yes"), std::nullopt);
  EXPECT_EQ(parse_color_choice(""), std::nullopt);
}

TEST(UseColor, AutoOnlyOnATerminal) {
  EXPECT_TRUE(use_color(ColorChoice::automatic, terminal()));
  EXPECT_FALSE(use_color(ColorChoice::automatic, not_a_terminal()));
}

TEST(UseColor, NoColorSetAndNotEmptyTurnsAutoOff) {
  TerminalEnv env = terminal();
  env.no_color = "1";
  EXPECT_FALSE(use_color(ColorChoice::automatic, env));
  env.no_color = "";  // no-color.org: set but empty is as if unset
  EXPECT_TRUE(use_color(ColorChoice::automatic, env));
  env.no_color = "1";
  EXPECT_TRUE(use_color(ColorChoice::always, env));  // an explicit --color always wins
}

TEST(UseColor, DumbTerminalHasNone) {
  TerminalEnv env = terminal();
  env.term = "dumb";
  EXPECT_FALSE(use_color(ColorChoice::automatic, env));
  env.term = nullptr;  // TERM unset: still a terminal
  EXPECT_TRUE(use_color(ColorChoice::automatic, env));
}

TEST(UseColor, AlwaysAndNeverIgnoreTheTerminal) {
  EXPECT_TRUE(use_color(ColorChoice::always, not_a_terminal()));
  EXPECT_FALSE(use_color(ColorChoice::never, terminal()));
}

TEST(UseProgress, TerminalOnlyAndNeverUnderCi) {
  EXPECT_TRUE(use_progress(terminal()));
  EXPECT_FALSE(use_progress(not_a_terminal()));
  TerminalEnv env = terminal();
  env.ci = "true";
  EXPECT_FALSE(use_progress(env));
  env.ci = "";
  EXPECT_TRUE(use_progress(env));
  env.term = "dumb";
  EXPECT_FALSE(use_progress(env));
}

TEST(Style, PaintsOnlyWhenColoured) {
  EXPECT_EQ(Style().paint("runs", Tone::green), "runs");
  EXPECT_EQ(Style(false).paint("runs", Tone::green), "runs");
  EXPECT_EQ(Style(true).paint("runs", Tone::green), "\x1b[32mruns\x1b[0m");
  EXPECT_EQ(Style(true).paint("will not run", Tone::red), "\x1b[31mwill not run\x1b[0m");
  EXPECT_EQ(Style(true).paint("", Tone::red), "");
  EXPECT_EQ(severity_text(Style(true), "error"), "\x1b[31merror\x1b[0m");
  EXPECT_EQ(severity_text(Style(true), "warning"), "\x1b[33mwarning\x1b[0m");
  EXPECT_EQ(severity_text(Style(true), "info"), "\x1b[2minfo\x1b[0m");
  EXPECT_EQ(severity_text(Style(false), "error"), "error");
  EXPECT_EQ(severity_text(Style(true), "odd\x1b"), "odd\\x1b");  // unknown: escaped, not painted
}

TEST(Counted, SingularOnlyForOne) {
  EXPECT_EQ(counted(0, "error", "errors"), "0 errors");
  EXPECT_EQ(counted(1, "error", "errors"), "1 error");
  EXPECT_EQ(counted(2, "error", "errors"), "2 errors");
  EXPECT_EQ(counted(1, "directory", "directories"), "1 directory");
  EXPECT_EQ(counted(12, "directory", "directories"), "12 directories");
}

Verdict failing() {
  Verdict verdict;
  verdict.verdict = VerdictKind::fails;
  verdict.target = "linux/amd64";
  verdict.execve = "ENOEXEC";
  Problem problem;
  problem.severity = "error";
  problem.code = "E_WRONG_ARCH";
  problem.message = "bin/\x1b[31mx: Exec format error";
  verdict.problems.push_back(problem);
  return verdict;
}

TEST(VerdictText, PlainByDefault) {
  const Verdict verdict = failing();
  EXPECT_EQ(verdict_line("bin/x", verdict), "bin/x: will not run on linux/amd64 (execve: ENOEXEC)");
  EXPECT_EQ(problem_lines(verdict), "  error E_WRONG_ARCH: bin/\\x1b[31mx: Exec format error\n");
}

// The codes go around the verdict words and the severity; the path and the message keep their
// escapes, so nothing a file name holds reaches the terminal as a code.
TEST(VerdictText, ColouredAroundEscapedText) {
  const Style color(true);
  Verdict verdict = failing();
  EXPECT_EQ(verdict_line("bin/x", verdict, color),
            "bin/x: \x1b[31mwill not run\x1b[0m on linux/amd64 (execve: ENOEXEC)");
  EXPECT_EQ(problem_lines(verdict, color), "  \x1b[31merror\x1b[0m E_WRONG_ARCH: bin/\\x1b[31mx: Exec format error\n");
  verdict.verdict = VerdictKind::runs;
  EXPECT_EQ(verdict_line("bin/x", verdict, color), "bin/x: \x1b[32mruns\x1b[0m on linux/amd64");
  verdict.verdict = VerdictKind::emulated;
  verdict.emulator = "/usr/bin/qemu-aarch64";
  EXPECT_EQ(verdict_line("bin/x", verdict, color),
            "bin/x: \x1b[36mruns emulated\x1b[0m via /usr/bin/qemu-aarch64 on linux/amd64");
}

}  // namespace
}  // namespace enoexec
