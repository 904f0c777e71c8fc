// Asks the running kernel what execve does with a file, without running a single instruction of
// it: the child calls ptrace(PTRACE_TRACEME) and then execve. A successful execve stops a traced
// child with SIGTRAP before its first user-space instruction; the parent then kills it with
// SIGKILL. A failed execve sends its errno to the parent through a close-on-exec pipe.
#pragma once

#include <string>

namespace enoexec::truth {

// "ok", an errno name ("ENOEXEC", "ENOENT", ...), "SIGSEGV" (or another "SIG..." name) when the
// kernel killed the child during execve, or "error: ..." when the question could not be asked.
std::string kernel_execve(const std::string& path);

}  // namespace enoexec::truth
