// The Linux kernel's numbers the execve model rests on: their one home. Each names where the
// kernel defines it (/work/shared/reference/linux-exec.md has the walk through fs/exec.c).
// Limits (enoexec/limits.hpp) bound the work enoexec does; these are the kernel's own rules, and
// a verdict follows them whatever a limit says (a limit set below one of them makes the answer
// "limit exceeded", never a different verdict).
#pragma once

#include <cstddef>

namespace enoexec::kernel {

// include/linux/namei.h MAXSYMLINKS: symbolic links followed in one path lookup, then ELOOP.
inline constexpr int MAXSYMLINKS = 40;

// include/uapi/linux/binfmts.h BINPRM_BUF_SIZE: the head of a file the handlers see (the #! line
// is cut there); 256 since Linux 5.1, 128 before.
inline constexpr std::size_t BINPRM_BUF_SIZE = 256;
inline constexpr std::size_t OLD_BINPRM_BUF_SIZE = 128;

// fs/exec.c exec_binprm(): an interpreter (#! or binfmt_misc) may itself be rewritten, depth
// 0..5; a sixth rewrite fails with ELOOP.
inline constexpr int MAX_INTERPRETER_DEPTH = 5;

}  // namespace enoexec::kernel
