// Fix texts are pasted into a shell: the file's path in them is one shell word, whatever the
// name holds (src/verdict/fixes.cpp, shell_quote in src/support/display_text.hpp).
#include <gtest/gtest.h>

#include "unit/verdict/fake_context.hpp"
#include "verdict/rules.hpp"

namespace enoexec {
namespace {

std::string fix(const std::string& code, const std::string& path) {
  FileReport report;
  report.path = path;
  return verdict::fix_for(code, report, test::amd64_host());
}

TEST(FixQuoting, PlainPathStaysAsItIs) {
  EXPECT_EQ(fix("E_NOT_EXECUTABLE", "./dist/tool-1.2"), "chmod +x ./dist/tool-1.2");
}

TEST(FixQuoting, SemicolonsCannotRunACommand) {
  EXPECT_EQ(fix("E_NOT_EXECUTABLE", "x;touch PWNED;.sh"), "chmod +x 'x;touch PWNED;.sh'");
}

TEST(FixQuoting, SpaceKeepsThePathOneWord) {
  EXPECT_EQ(fix("E_NOT_EXECUTABLE", "my script.sh"), "chmod +x 'my script.sh'");
}

TEST(FixQuoting, SingleQuoteIsClosedEscapedAndReopened) {
  EXPECT_EQ(fix("E_NOT_EXECUTABLE", "it's.sh"), "chmod +x 'it'\\''s.sh'");
}

TEST(FixQuoting, EveryPlaceholderOfAFixIsQuoted) {
  EXPECT_EQ(fix("E_SCRIPT_CRLF", "a b;c"), "sed -i 's/\\r$//' 'a b;c' # or: dos2unix 'a b;c'");
  EXPECT_EQ(fix("E_NO_SHEBANG", "$(id)"),
            "sed -i '1i #!/bin/sh' '$(id)' # execve needs a #! line; only shells fall back to "
            "running it");
}

TEST(FixQuoting, ToolchainFixQuotesThePathToo) {
  FileReport report;
  report.path = "o`id`.o";
  report.toolchain.emplace();
  report.toolchain->compiler = "gcc";
  report.toolchain->language = "c";
  const std::string text = verdict::fix_for("E_ELF_TYPE", report, test::amd64_host());
  EXPECT_TRUE(text.starts_with("link it: ")) << text;
  EXPECT_TRUE(text.ends_with(" -o prog 'o`id`.o'")) << text;
}

TEST(MakeProblem, SeverityAndFixComeWithTheCode) {
  FileReport report;
  report.path = "/p";
  const Problem error = verdict::make_problem("E_NOT_EXECUTABLE", "m", "execve: EACCES", report,
                                              test::amd64_host());
  EXPECT_EQ(error.severity, "error");
  EXPECT_EQ(error.fix, "chmod +x /p");
  const Problem warning = verdict::make_warning("W_SCRIPT_CRLF", "m", "", report, test::amd64_host());
  EXPECT_EQ(warning.severity, "warning");
  const Problem info = verdict::make_info("I_LIBRARY_NOT_EXECUTABLE", "m", "", report, test::amd64_host());
  EXPECT_EQ(info.severity, "info");
  EXPECT_EQ(info.fix, "");
}

}  // namespace
}  // namespace enoexec
