// The text form of `check`: one verdict line per file, then each problem and its fix.
#pragma once

#include <string>

#include "enoexec/verdict.hpp"
#include "output/style.hpp"

namespace enoexec {

// "PATH: runs on linux/amd64", "PATH: runs emulated via /usr/bin/qemu-aarch64-static on
// linux/amd64", "PATH: will not run on linux/amd64 (execve: ENOEXEC)". With a colour style the
// verdict words are coloured: runs green, runs emulated cyan, will not run red.
std::string verdict_line(const std::string& path, const Verdict& verdict, const Style& style = {});

// "  error E_WRONG_ARCH: <message>\n    outcome: execve: ENOEXEC\n    fix: <fix>\n" per problem; with
// a colour style the severity is coloured (severity_text()).
std::string problem_lines(const Verdict& verdict, const Style& style = {});

}  // namespace enoexec
