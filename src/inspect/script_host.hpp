// Host checks for scripts: does the interpreter a script names exist on this machine?
#pragma once

#include "enoexec/report.hpp"

namespace enoexec {

// For a script report with an absolute interpreter path, adds "interpreter-missing",
// "interpreter-not-executable" or "interpreter-is-script" to report.script->findings. Uses
// lstat/stat/readlink and reads at most 256 bytes of a regular file; never executes anything.
// Relative interpreters are left alone: they resolve against the caller's directory.
void check_script_interpreter_on_host(FileReport& report);

}  // namespace enoexec
