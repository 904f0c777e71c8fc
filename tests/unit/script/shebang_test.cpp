// script::inspect: the report and the named findings, messages pinned word for word.
#include "formats/script/shebang.hpp"

#include <gtest/gtest.h>

#include <string>

namespace enoexec::script {
namespace {

using namespace std::string_literals;

ByteView view(const std::string& bytes) {
  return ByteView({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

FileReport inspect_text(const std::string& bytes) {
  FileReport report;
  inspect(view(bytes), report);
  return report;
}

const ScriptDetails& details(const FileReport& report) {
  static const ScriptDetails none;
  return report.script ? *report.script : none;
}

std::vector<std::string> codes(const FileReport& report) {
  std::vector<std::string> out;
  for (const auto& finding : details(report).findings) out.push_back(finding.code);
  return out;
}

std::string message(const FileReport& report, std::size_t index = 0) {
  const auto& findings = details(report).findings;
  return index < findings.size() ? findings[index].message : "(no finding " + std::to_string(index) + ")";
}

const std::string SHELLS =
    "bash, dash, zsh and busybox sh then run the file as a shell script themselves and fish hands "
    "it to /bin/sh, but anything that calls execve directly (Docker, systemd, a program) fails";

TEST(ScriptInspect, CleanScript) {
  const FileReport report = inspect_text("#!/bin/sh -e\necho hi\n");
  EXPECT_EQ(report.format, Format::script);
  EXPECT_EQ(report.type, "script");
  EXPECT_EQ(report.interpreter, "/bin/sh");
  EXPECT_FALSE(report.bits);
  EXPECT_FALSE(report.endian);
  EXPECT_FALSE(report.platform);
  ASSERT_TRUE(report.script);
  EXPECT_EQ(report.script->interpreter, "/bin/sh");
  EXPECT_EQ(report.script->interpreter_args, "-e");
  EXPECT_EQ(report.script->line, "#!/bin/sh -e");
  EXPECT_EQ(report.script->buffer_size, 256u);
  EXPECT_FALSE(report.script->kernel_error);
  EXPECT_FALSE(report.script->env_command);
  EXPECT_TRUE(report.script->findings.empty());
}

TEST(ScriptInspect, TextWithoutShebangIsAScriptWithoutInterpreter) {
  const FileReport report = inspect_text("echo hello\n");
  EXPECT_EQ(report.format, Format::script);
  EXPECT_FALSE(report.interpreter);
  EXPECT_EQ(details(report).kernel_error, "ENOEXEC");
  EXPECT_EQ(codes(report), std::vector<std::string>{"no-shebang"});
  EXPECT_EQ(message(report), "the file does not start with \"#!\": execve fails with ENOEXEC (\"Exec format "
                             "error\"); " + SHELLS);
}

TEST(ScriptInspect, ShebangAfterBlankSpaceIsNamed) {
  EXPECT_EQ(message(inspect_text("\n  #!/bin/sh\n")),
            "\"#!\" appears at offset 3, after blank space, but the kernel only looks for it at bytes "
            "0-1: execve fails with ENOEXEC (\"Exec format error\"); " + SHELLS);
}

const std::string CRLF_SH_MESSAGE =
    "the line ends in \"\\r\\n\" (Windows line endings): the kernel looks for the interpreter "
    "\"/bin/sh\\r\", carriage return included, and execve fails with ENOENT; bash prints "
    "\"cannot execute: required file not found\", zsh \"bad interpreter: /bin/sh^M: no such file "
    "or directory\", fish \"The file uses Windows line endings (\\r\\n)\"; convert the file to "
    "Unix line endings (dos2unix)";

TEST(ScriptInspect, CrlfWithoutArgument) {
  const FileReport report = inspect_text("#!/bin/sh\r\necho hi\r\n");
  EXPECT_EQ(report.interpreter, "/bin/sh\r");
  EXPECT_EQ(details(report).line, "#!/bin/sh\\r");
  EXPECT_EQ(codes(report), std::vector<std::string>{"crlf"});
  EXPECT_EQ(message(report), CRLF_SH_MESSAGE);
}

TEST(ScriptInspect, CrlfWithArgument) {
  const FileReport report = inspect_text("#!/bin/bash -e\r\n");
  EXPECT_EQ(report.interpreter, "/bin/bash");
  EXPECT_EQ(details(report).interpreter_args, "-e\r");
  EXPECT_EQ(codes(report), std::vector<std::string>{"crlf"});
  EXPECT_EQ(message(report),
            "the line ends in \"\\r\\n\" (Windows line endings): the kernel runs \"/bin/bash\" with the "
            "argument \"-e\\r\", carriage return included (bash rejects it: \"-: invalid option\"); "
            "convert the file to Unix line endings (dos2unix)");
  EXPECT_EQ(message(inspect_text("#!/usr/bin/perl -w\r\n")),
            "the line ends in \"\\r\\n\" (Windows line endings): the kernel runs \"/usr/bin/perl\" with "
            "the argument \"-w\\r\", carriage return included; convert the file to Unix line endings "
            "(dos2unix)");
}

TEST(ScriptInspect, CrlfThroughEnv) {
  const FileReport report = inspect_text("#!/usr/bin/env python3\r\n");
  EXPECT_EQ(details(report).env_command, std::vector<std::string>{"python3\r"});
  EXPECT_EQ(codes(report), std::vector<std::string>{"crlf"});
  EXPECT_EQ(message(report),
            "the line ends in \"\\r\\n\" (Windows line endings): env looks for a program named "
            "\"python3\\r\", carriage return included: \"/usr/bin/env: 'python3\\r': No such file or "
            "directory\", then \"/usr/bin/env: use -[v]S to pass options in shebang lines\" (exit 127); "
            "convert the file to Unix line endings (dos2unix)");
}

TEST(ScriptInspect, CrlfThroughEnvSplitWorksForTheLineOnly) {
  const FileReport report = inspect_text("#!/usr/bin/env -S python3 -u\r\n");
  EXPECT_EQ(details(report).env_command, (std::vector<std::string>{"python3", "-u"}));
  EXPECT_EQ(codes(report), std::vector<std::string>{"crlf"});
  EXPECT_EQ(message(report),
            "the line ends in \"\\r\\n\" (Windows line endings): env -S reads the \"\\r\" as a blank, so "
            "this line works, but the other lines keep their \"\\r\", which shells and many "
            "interpreters do not accept; convert the file to Unix line endings (dos2unix)");
}

const std::string BOM_MESSAGE =
    "a UTF-8 byte-order mark (EF BB BF) comes before \"#!\", so the kernel does not see \"#!\" at "
    "bytes 0-1: execve fails with ENOEXEC; bash then runs the file as a shell script, where line 1 "
    "fails (\"\\ufeff#!/bin/sh: No such file or directory\") and the rest runs under bash, dash "
    "prints \"\\ufeff#!/bin/sh: not found\" and goes on, mksh refuses (\"not executable: magic "
    "EFBB\"); save the file without the BOM";

TEST(ScriptInspect, BomBeforeShebang) {
  const FileReport report = inspect_text("\xef\xbb\xbf#!/bin/sh -x\necho hi\n");
  EXPECT_EQ(report.format, Format::script);
  EXPECT_FALSE(report.interpreter);
  EXPECT_FALSE(details(report).interpreter_args);
  EXPECT_EQ(details(report).kernel_error, "ENOEXEC");
  EXPECT_EQ(details(report).line, "\\ufeff#!/bin/sh -x");
  EXPECT_EQ(codes(report), std::vector<std::string>{"bom"});
  EXPECT_EQ(message(report), BOM_MESSAGE);
}

TEST(ScriptInspect, BomAndCrlfBothNamed) {
  const FileReport report = inspect_text("\xef\xbb\xbf#!/bin/sh\r\n");
  EXPECT_EQ(codes(report), (std::vector<std::string>{"bom", "crlf"}));
  EXPECT_EQ(message(report, 1), "once the BOM is removed: " + CRLF_SH_MESSAGE);
}

TEST(ScriptInspect, EmptyInterpreterBeforeNewline) {
  for (const std::string text : {"#!\necho\n", "#!  \t \n"}) {
    const FileReport report = inspect_text(text);
    EXPECT_FALSE(report.interpreter);
    EXPECT_EQ(details(report).kernel_error, "ENOEXEC");
    EXPECT_EQ(codes(report), std::vector<std::string>{"empty-interpreter"});
    EXPECT_EQ(message(report), "\"#!\" names no interpreter (only blanks before the line end): execve "
                               "fails with ENOEXEC (\"Exec format error\"); " + SHELLS);
  }
}

TEST(ScriptInspect, EmptyInterpreterAtEndOfFileOpensTheCurrentDirectory) {
  const FileReport report = inspect_text("#!  ");
  EXPECT_EQ(report.interpreter, "");
  EXPECT_EQ(details(report).kernel_error, "EACCES");
  EXPECT_EQ(codes(report), std::vector<std::string>{"empty-interpreter"});
  EXPECT_EQ(message(report),
            "\"#!\" names no interpreter and is followed by a NUL byte or the end of the file instead "
            "of a newline: the kernel opens the empty path, which is the caller's current directory, "
            "and execve fails with EACCES (\"Permission denied\")");
}

TEST(ScriptInspect, InterpreterPathTruncated) {
  const std::string path = "/opt/" + std::string(251, 'p');
  const FileReport report = inspect_text("#!" + path + " -x\nrest\n");
  EXPECT_FALSE(report.interpreter);
  EXPECT_EQ(details(report).kernel_error, "ENOEXEC");
  EXPECT_EQ(codes(report), std::vector<std::string>{"interpreter-path-truncated"});
  EXPECT_EQ(message(report),
            "the \"#!\" line has no newline within the kernel's 256-byte buffer and no blank after the "
            "interpreter path, so the kernel takes the path (\"/opt/" + std::string(43, 'p') +
                "...\", 256 bytes) to be cut short: execve fails with ENOEXEC (Linux 5.0 and later; "
                "older kernels ran the cut path); bash then runs the file as a bash script, where the "
                "\"#!\" line is a comment");
}

TEST(ScriptInspect, ArgumentTruncated) {
  const FileReport report = inspect_text("#!/bin/echo " + std::string(300, 'b') + "xyz\n");
  EXPECT_EQ(report.interpreter, "/bin/echo");
  EXPECT_EQ(details(report).interpreter_args, std::string(243, 'b'));
  EXPECT_FALSE(details(report).kernel_error);
  EXPECT_EQ(codes(report), std::vector<std::string>{"argument-truncated"});
  EXPECT_EQ(message(report),
            "the \"#!\" line is longer than the kernel's 256-byte buffer: the interpreter runs, but its "
            "argument is cut to 243 of its 303 bytes and ends in \"..." + std::string(24, 'b') +
                "\"; the rest of the line is dropped");
}

TEST(ScriptInspect, LineOf255BytesIsWholeForTodaysKernels) {
  EXPECT_EQ(codes(inspect_text("#!/bin/echo " + std::string(243, 'b') + "\n")),
            std::vector<std::string>{"old-kernel-buffer"});
  EXPECT_EQ(codes(inspect_text("#!/bin/echo " + std::string(244, 'b') + "\n")),
            std::vector<std::string>{"argument-truncated"});
}

TEST(ScriptInspect, OldKernelBuffer) {
  const std::string path = "/opt/" + std::string(140, 'p');
  const FileReport report = inspect_text("#!" + path + "\n");
  EXPECT_EQ(report.interpreter, path);
  EXPECT_EQ(codes(report), std::vector<std::string>{"old-kernel-buffer"});
  EXPECT_EQ(message(report),
            "the \"#!\" line is 147 bytes long and kernels before 5.1 read only the first 128 bytes: "
            "there the interpreter path is cut, so execve fails with ENOEXEC (5.0 and its stable "
            "backports) or runs a cut path (older kernels)");
  EXPECT_EQ(message(inspect_text("#!/bin/echo " + std::string(140, 'b') + "\n")),
            "the \"#!\" line is 152 bytes long and kernels before 5.1 read only the first 128 bytes: "
            "there the argument is cut to 115 bytes");
}

TEST(ScriptInspect, RelativeInterpreter) {
  const FileReport report = inspect_text("#!python3\n");
  EXPECT_EQ(report.interpreter, "python3");
  EXPECT_EQ(codes(report), std::vector<std::string>{"relative-interpreter"});
  EXPECT_EQ(message(report),
            "the interpreter \"python3\" is not an absolute path: the kernel resolves it against the "
            "current directory of whoever runs the script, so it runs only where \"./python3\" exists "
            "(elsewhere execve fails with ENOENT); write the full path, or \"#!/usr/bin/env python3\" "
            "to search PATH");
}

TEST(ScriptInspect, NulInLine) {
  const FileReport report = inspect_text("#!/bin/echo a\0b c\n"s);
  EXPECT_EQ(details(report).interpreter_args, "a");
  EXPECT_EQ(details(report).line, "#!/bin/echo a\\0b c");
  EXPECT_EQ(codes(report), std::vector<std::string>{"nul-in-line"});
  EXPECT_EQ(message(report),
            "the \"#!\" line holds a NUL byte at offset 13: the kernel reads the interpreter and its "
            "argument as C strings, so nothing from the NUL on counts (interpreter \"/bin/echo\", "
            "argument \"a\")");
  EXPECT_EQ(codes(inspect_text("#!\0/bin/sh\n"s)), (std::vector<std::string>{"nul-in-line", "empty-interpreter"}));
}

TEST(ScriptInspect, EnvWithoutSplitAndTwoWords) {
  const FileReport report = inspect_text("#!/usr/bin/env python3 -u\n");
  EXPECT_EQ(report.interpreter, "/usr/bin/env");
  EXPECT_EQ(details(report).interpreter_args, "python3 -u");
  EXPECT_EQ(details(report).env_command, std::vector<std::string>{"python3 -u"});
  EXPECT_EQ(codes(report), std::vector<std::string>{"env-needs-S"});
  EXPECT_EQ(message(report),
            "the kernel gives env \"python3 -u\" as ONE argument, and env without -S does not split it: "
            "\"/usr/bin/env: 'python3 -u': No such file or directory\", then \"/usr/bin/env: use -[v]S "
            "to pass options in shebang lines\" (exit 127); write \"#!/usr/bin/env -S python3 -u\"");
  EXPECT_EQ(message(inspect_text("#!/usr/bin/env -i python3\n")),
            "the kernel gives env \"-i python3\" as ONE argument, and env without -S does not split it: "
            "\"/usr/bin/env: invalid option -- ' '\", then \"/usr/bin/env: use -[v]S to pass options in "
            "shebang lines\" (exit 125); write \"#!/usr/bin/env -S -i python3\"");
}

TEST(ScriptInspect, EnvWithSplit) {
  const FileReport report = inspect_text("#!/usr/bin/env -S python3 -u\n");
  EXPECT_EQ(details(report).interpreter_args, "-S python3 -u");
  EXPECT_EQ(details(report).env_command, (std::vector<std::string>{"python3", "-u"}));
  EXPECT_TRUE(details(report).findings.empty());
}

TEST(ScriptInspect, EnvSplitWithQuotes) {
  const FileReport report = inspect_text("#!/usr/bin/env -S awk -v OFS=\" xyz \" -f\n");
  EXPECT_EQ(details(report).env_command, (std::vector<std::string>{"awk", "-v", "OFS= xyz ", "-f"}));
  EXPECT_TRUE(details(report).findings.empty());
}

TEST(ScriptInspect, EnvSplitError) {
  const FileReport report = inspect_text("#!/usr/bin/env -S python3 \"-u\n");
  EXPECT_FALSE(details(report).env_command);
  EXPECT_EQ(codes(report), std::vector<std::string>{"env-split-error"});
  EXPECT_EQ(message(report), "env -S cannot split \"-S python3 \\\"-u\": \"/usr/bin/env: no terminating "
                             "quote in -S string\" (exit 125)");
}

TEST(ScriptInspect, EnvBadOption) {
  EXPECT_EQ(message(inspect_text("#!/usr/bin/env -x\n")),
            "env rejects the options in \"-x\": \"/usr/bin/env: invalid option -- 'x'\" (exit 125)");
}

TEST(ScriptInspect, EnvWithoutCommand) {
  const FileReport report = inspect_text("#!/usr/bin/env\n");
  EXPECT_EQ(details(report).env_command, std::vector<std::string>{});
  EXPECT_EQ(codes(report), std::vector<std::string>{"env-no-command"});
  EXPECT_EQ(message(report),
            "env is left with no command but the script's own path, so it runs the script again, "
            "which starts env again: the script re-executes itself forever");
  EXPECT_EQ(message(inspect_text("#!/usr/bin/env -S\n")),
            "env is left with no command but the script's own path (-S takes the script's own path as "
            "its value), so it runs the script again, which starts env again: the script re-executes "
            "itself forever");
}

TEST(ScriptInspect, LineIsEscapedForDisplay) {
  EXPECT_EQ(details(inspect_text("#!/bin/sh\t-x \\ \x01\xff\xc3\xa9\n")).line, "#!/bin/sh\\t-x \\ \\x01\\xffé");
  EXPECT_EQ(details(inspect_text("#!/bin/" + std::string(300, 's'))).line.size(), 256u);
}

TEST(LooksLikeText, Rules) {
  EXPECT_TRUE(looks_like_text(view("echo hi\n")));
  EXPECT_TRUE(looks_like_text(view("caf\xc3\xa9\r\n\t\x1b[1m\f\v")));
  EXPECT_FALSE(looks_like_text(view("")));
  EXPECT_FALSE(looks_like_text(view("echo\0hi"s)));
  EXPECT_FALSE(looks_like_text(view("caf\xe9\n")));           // Latin-1
  EXPECT_FALSE(looks_like_text(view("\xc0\xaf overlong\n")));  // overlong '/'
  EXPECT_FALSE(looks_like_text(view("\xed\xa0\x80 surrogate\n")));
  EXPECT_FALSE(looks_like_text(view("\xf4\x90\x80\x80 beyond U+10FFFF\n")));
  EXPECT_FALSE(looks_like_text(view("\xff\xfe" "e\0c\0"s)));  // UTF-16
}

TEST(LooksLikeText, CutSequenceAtTheWindowEndIsAllowed) {
  std::string text(4095, 'a');
  EXPECT_TRUE(looks_like_text(view(text + "\xc3\xa9")));  // the window ends inside "é"
  EXPECT_TRUE(looks_like_text(view("abc\xe2\x82")));      // the file ends inside "€"
  EXPECT_FALSE(looks_like_text(view("abc\xe2\x82" "d")));
}

TEST(LooksLikeText, ControlBytesUpToOnePercent) {
  std::string text(200, 'a');
  text[10] = '\x01';
  text[20] = '\x7f';
  EXPECT_TRUE(looks_like_text(view(text)));
  text[30] = '\x08';
  EXPECT_FALSE(looks_like_text(view(text)));
  EXPECT_FALSE(looks_like_text(view("a\x01")));
}

}  // namespace
}  // namespace enoexec::script
