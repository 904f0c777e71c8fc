// Host-dependent findings, from facts a probe would gather (the probe itself, in
// inspect/script_host, is exercised by tests/integration/recipes/scripts.sh).
#include "formats/script/host_findings.hpp"

#include <gtest/gtest.h>

#include <cerrno>

namespace enoexec::script {
namespace {

ScriptDetails with_interpreter(const std::string& path) {
  ScriptDetails details;
  details.interpreter = path;
  return details;
}

std::vector<ScriptFinding> findings_for(const std::string& path, const InterpreterOnHost& host) {
  ScriptDetails details = with_interpreter(path);
  add_host_findings(host, details);
  return details.findings;
}

std::string first_message(const std::string& path, const InterpreterOnHost& host) {
  const auto findings = findings_for(path, host);
  return findings.empty() ? "(no finding)" : findings.front().message;
}

InterpreterOnHost existing(std::string type, bool executable, std::optional<std::string> head = {}) {
  InterpreterOnHost host;
  host.file_type = std::move(type);
  host.executable = executable;
  host.head = std::move(head);
  return host;
}

TEST(HostFindings, MissingInterpreter) {
  InterpreterOnHost host;
  host.stat_errno = ENOENT;
  const auto findings = findings_for("/nonexistent/interp", host);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "interpreter-missing");
  EXPECT_EQ(findings[0].message,
            "\"/nonexistent/interp\" does not exist on this host: the kernel cannot open it and execve "
            "fails with ENOENT; bash prints \"cannot execute: required file not found\", zsh \"bad "
            "interpreter: /nonexistent/interp: no such file or directory\"");
}

TEST(HostFindings, DanglingSymlinkShowsTheChain) {
  InterpreterOnHost host;
  host.stat_errno = ENOENT;
  host.symlinks = {"python2", "/usr/bin/python2.7"};
  const auto findings = findings_for("/usr/bin/python", host);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message.substr(0, 106),
            "\"/usr/bin/python\" (a symbolic link: \"/usr/bin/python\" -> \"python2\" -> \"/usr/bin/python2.7\") "
            "does not exist");
}

TEST(HostFindings, CarriageReturnIsShownEscaped) {
  InterpreterOnHost host;
  host.stat_errno = ENOENT;
  const auto findings = findings_for("/bin/sh\r", host);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message.substr(0, 45), "\"/bin/sh\\r\" does not exist on this host: the ");
}

TEST(HostFindings, SymlinkLoopAndNotADirectory) {
  InterpreterOnHost loop;
  loop.stat_errno = ELOOP;
  EXPECT_EQ(first_message("/opt/a", loop),
            "\"/opt/a\" goes round symbolic links (more than 40 of them) on this host: execve fails "
            "with ELOOP (\"Too many levels of symbolic links\")");
  InterpreterOnHost not_dir;
  not_dir.stat_errno = ENOTDIR;
  EXPECT_EQ(first_message("/etc/passwd/sh", not_dir),
            "\"/etc/passwd/sh\" does not exist on this host (a part of the path is not a directory): "
            "execve fails with ENOTDIR (\"Not a directory\")");
}

TEST(HostFindings, OtherStatErrorsSayNothing) {
  InterpreterOnHost host;
  host.stat_errno = EACCES;
  EXPECT_TRUE(findings_for("/root/bin/tool", host).empty());
}

TEST(HostFindings, NotExecutable) {
  EXPECT_EQ(first_message("/usr/bin", existing("directory", true)),
            "the interpreter \"/usr/bin\" is a directory on this host: execve fails with EACCES "
            "(\"Permission denied\")");
  const auto findings = findings_for("/opt/tool", existing("regular file", false));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "interpreter-not-executable");
  EXPECT_EQ(findings[0].message,
            "the interpreter \"/opt/tool\" has no execute permission on this host: execve fails with "
            "EACCES (\"Permission denied\")");
}

TEST(HostFindings, InterpreterIsAScript) {
  const auto findings = findings_for("/usr/local/bin/wrapper", existing("regular file", true, "#!/bin/sh\nexec x\n"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, "interpreter-is-script");
  EXPECT_EQ(findings[0].message,
            "the interpreter \"/usr/local/bin/wrapper\" is itself a script on this host (its \"#!\" line "
            "names \"/bin/sh\"): Linux runs such chains up to 5 scripts deep and fails with ELOOP beyond "
            "that");
  EXPECT_EQ(first_message("/w", existing("regular file", true, "#!\n")),
            "the interpreter \"/w\" is itself a script on this host (its \"#!\" line names no usable "
            "interpreter, so execve fails with ENOEXEC): Linux runs such chains up to 5 scripts deep "
            "and fails with ELOOP beyond that");
}

TEST(HostFindings, BinaryInterpreterIsFine) {
  EXPECT_TRUE(findings_for("/bin/sh", existing("regular file", true, std::string("\x7f" "ELF\x02"))).empty());
  EXPECT_TRUE(findings_for("/bin/sh", existing("regular file", true)).empty());  // unreadable
}

TEST(HostFindings, NothingWithoutAnInterpreter) {
  ScriptDetails details;
  InterpreterOnHost host;
  host.stat_errno = ENOENT;
  add_host_findings(host, details);
  EXPECT_TRUE(details.findings.empty());
}

}  // namespace
}  // namespace enoexec::script
