// Findings that depend on the host: whether the interpreter a script names exists here, can be
// run, or is itself a script. inspect/script_host gathers the facts (lstat, stat, readlink and a
// 256-byte read; it never executes anything); this turns them into findings.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "enoexec/details/script.hpp"

namespace enoexec::script {

struct InterpreterOnHost {
  int stat_errno = 0;                 // errno of stat() on the interpreter path; 0 when it resolved
  std::vector<std::string> symlinks;  // link targets followed from the path itself, in order
  std::string file_type;              // "regular file", "directory", ... when stat() worked
  bool executable = false;            // any execute bit is set
  std::optional<std::string> head;    // first bytes (at most 256) of a readable regular file
};

// Adds "interpreter-missing", "interpreter-not-executable" or "interpreter-is-script" to
// `script` for the interpreter it names (script.interpreter must be set).
void add_host_findings(const InterpreterOnHost& host, ScriptDetails& script);

}  // namespace enoexec::script
