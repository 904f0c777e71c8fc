// The text form of `check`: one verdict line per file, then each problem and its fix.
#pragma once

#include <string>

#include "enoexec/verdict.hpp"

namespace enoexec {

// "PATH: runs on linux/amd64", "PATH: runs emulated via /usr/bin/qemu-aarch64-static on
// linux/amd64", "PATH: will not run on linux/amd64 (execve: ENOEXEC)".
std::string verdict_line(const std::string& path, const Verdict& verdict);

// "  error E_WRONG_ARCH: <message>\n    outcome: execve: ENOEXEC\n    fix: <fix>\n" per problem.
std::string problem_lines(const Verdict& verdict);

}  // namespace enoexec
