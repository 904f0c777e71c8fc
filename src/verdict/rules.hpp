// Internals of the verdict: the execve model (kernel_exec.cpp), the ELF architecture check
// (elf_arch.cpp), what fails after a successful exec (after_exec.cpp) and the fix texts
// (fixes.cpp). Rule codes are documented in docs/rules.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "enoexec/verdict.hpp"

namespace enoexec::verdict {

// How the kernel's elf_check_arch (or compat_elf_check_arch) answers for an ELF header.
enum class ArchMatch { native, compat, no_compat, oabi, wrong };

struct ElfIdentity {
  std::uint16_t machine = 0;
  int bits = 0;
  Endian endian = Endian::little;
  std::uint32_t flags = 0;
};

ArchMatch check_arch(const ElfIdentity& elf, const HostInfo& host);
// The architecture whose kernel runs the target: the kernel's, else the userland's.
Arch host_arch(const HostInfo& host);

// The result of asking the kernel to exec one file.
struct ExecResult {
  std::string execve = "ok";  // "ok", an errno name, or "SIGSEGV"
  std::string emulator;       // the binfmt_misc interpreter that took the file
  std::vector<Problem> problems;
  bool ok() const { return execve == "ok"; }
};

// Models execve(report.path) on `host` (fs/exec.c, binfmt_misc, binfmt_script, binfmt_elf).
ExecResult kernel_exec(const FileReport& report, const HostInfo& host, const JudgeContext& context);

// Problems that stop a program after execve succeeded: the dynamic loader, the C library
// version, the CPU level, a foreign OS, a script's env line.
std::vector<Problem> after_exec(const FileReport& report, const HostInfo& host,
                                const JudgeContext& context);

// The fix for rule `code`, in the vocabulary of what built the file where it is known.
std::string fix_for(const std::string& code, const FileReport& report, const HostInfo& host);

Problem make_problem(const std::string& code, std::string message, std::string outcome,
                     const FileReport& report, const HostInfo& host);
// A warning that does not decide the verdict.
Problem make_warning(const std::string& code, std::string message, std::string outcome,
                     const FileReport& report, const HostInfo& host);

}  // namespace enoexec::verdict
