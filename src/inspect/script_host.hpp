// Host checks for scripts: does the interpreter a script names exist on this machine?
#pragma once

#include "enoexec/report.hpp"

namespace enoexec {

// For a script report with an absolute interpreter path, adds "interpreter-missing",
// "interpreter-not-executable" or "interpreter-is-script" to report.script->findings. Looks the
// path up in this machine's DirectoryRoot (support/root_fs) and reads at most BINPRM_BUF_SIZE
// bytes of a regular file; never executes anything.
// Relative interpreters are left alone: they resolve against the caller's directory.
void check_script_interpreter_on_host(FileReport& report);

}  // namespace enoexec
