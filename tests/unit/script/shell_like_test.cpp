// script::is_shell_like: which text without "#!" reads as shell commands (the rule is in
// formats/script/text.hpp), and the negative cases: Markdown, C, SVG, HTML, prose.
#include <gtest/gtest.h>

#include <string>

#include "formats/script/shebang.hpp"
#include "formats/script/text.hpp"

namespace enoexec::script {
namespace {

bool shell(const std::string& text) {
  return is_shell_like(ByteView({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}));
}

TEST(ShellLike, CommandsAndBuiltins) {
  EXPECT_TRUE(shell("set -e\necho hi\n"));
  EXPECT_TRUE(shell("# install the tool\n\nexport PATH=/opt/bin:$PATH\n"));
  EXPECT_TRUE(shell("cd /srv && ./run\n"));
  EXPECT_TRUE(shell("if [ -f x ]; then rm x; fi\n"));
  EXPECT_TRUE(shell("[ -n \"$HOME\" ] || exit 1\n"));
  EXPECT_TRUE(shell("apt-get install -y curl\n"));
  EXPECT_TRUE(shell(". ./env.sh\n"));
}

TEST(ShellLike, AssignmentsFunctionsAndPaths) {
  EXPECT_TRUE(shell("JAVA_OPTS=-Xmx1g\n"));
  EXPECT_TRUE(shell("main() {\n  echo hi\n}\nmain\n"));
  EXPECT_TRUE(shell("main () { :; }\n"));
  EXPECT_TRUE(shell("/usr/bin/java -jar app.jar\n"));
  EXPECT_TRUE(shell("./configure --prefix=/usr\n"));
}

TEST(ShellLike, OtherCommandsByTheirOptionsOrOperators) {
  EXPECT_TRUE(shell("python3 -m http.server\n"));
  EXPECT_TRUE(shell("java --version\n"));
  EXPECT_TRUE(shell("node server.js > log 2>&1\n"));
  EXPECT_TRUE(shell("ls | wc -l\n"));
  EXPECT_TRUE(shell("exec $(dirname \"$0\")/real\n"));
  EXPECT_FALSE(shell("node server.js\n"));  // a bare command name and argument: unsure, so no
}

TEST(ShellLike, MisplacedShebangLine) {
  EXPECT_TRUE(shell("\n  #!/bin/sh\necho hi\n"));
}

TEST(ShellLike, NotShell) {
  EXPECT_FALSE(shell("# enoexec\n\nPredicts whether a file will run.\n"));       // Markdown
  EXPECT_FALSE(shell("[![CI](https://x/badge.svg)](https://x)\n"));                // Markdown badge
  EXPECT_FALSE(shell("#include <stdio.h>\n\nint main(void) { return 0; }\n"));   // C
  EXPECT_FALSE(shell("/* header */\nint x;\n"));                                  // C comment first
  EXPECT_FALSE(shell("// C++\nnamespace x {}\n"));
  EXPECT_FALSE(shell("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n"));      // SVG
  EXPECT_FALSE(shell("<!DOCTYPE html>\n<html></html>\n"));                         // HTML
  EXPECT_FALSE(shell("import os\nprint(os.name)\n"));                              // Python
  EXPECT_FALSE(shell("Hello world\n"));                                            // prose
  EXPECT_FALSE(shell("@echo off\r\ndir\r\n"));                                     // a batch file
  EXPECT_FALSE(shell("# only\n# comments\n"));
  EXPECT_FALSE(shell(""));
  EXPECT_FALSE(shell("1=2\n"));  // not a name
}

TEST(ShellLike, LooksLikeShellIsTheSameRule) {
  const std::string text = "set -e\n";
  EXPECT_TRUE(looks_like_shell(ByteView({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()})));
}

}  // namespace
}  // namespace enoexec::script
