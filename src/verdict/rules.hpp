// Internals of the verdict: the execve model (kernel_exec.cpp), the ELF architecture check
// (elf_arch.cpp), what fails after a successful exec (after_exec.cpp) and the fix texts
// (fixes.cpp). Rule codes are documented in docs/rules.md.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/verdict.hpp"

namespace enoexec::verdict {

// How the kernel's elf_check_arch (or compat_elf_check_arch) answers for an ELF header.
// kernel_option: taken only by a kernel built or booted with an option, or on a CPU, that the
// target does not state (kernel_option_needed() names it): undecided, never "runs".
enum class ArchMatch { native, compat, no_compat, oabi, wrong, kernel_option };

// A header as one of the kernel's loaders reads it: `bits` is the loader's struct (64: binfmt_elf
// on a 64-bit kernel, 32: compat_binfmt_elf), `endian` the kernel's byte order.
struct ElfIdentity {
  std::uint16_t machine = 0;
  int bits = 0;
  Endian endian = Endian::little;
  std::uint32_t flags = 0;
  // EI_CLASS as bits (32, 64; 0 for neither), which only some kernels check; nullopt: `bits`.
  std::optional<int> ei_class;
};

ArchMatch check_arch(const ElfIdentity& elf, const HostInfo& host);
// The ELF loaders the target's kernel tries, in its order: binfmt_elf (the kernel's class), then
// compat_binfmt_elf (32-bit) where the kernel has one; each reads headers in the kernel's byte
// order. Empty when the kernel's architecture is unknown.
struct ElfLoader {
  int bits;
  Endian endian;
};
std::vector<ElfLoader> elf_loaders(const HostInfo& host);
// For ArchMatch::kernel_option: what the kernel must have ("CONFIG_X86_X32_ABI ..."); "" else.
std::string_view kernel_option_needed(const ElfIdentity& elf, const HostInfo& host);
// The architecture whose kernel runs the target: the kernel's, else the userland's.
Arch host_arch(const HostInfo& host);

// The result of asking the kernel to exec one file.
struct ExecResult {
  std::string execve = "ok";  // "ok", an errno name, or "SIGSEGV"
  std::string emulator;       // the binfmt_misc interpreter that took the file
  std::vector<Problem> problems;
  // Set when execve fails only because the file is a library (loaded, not exec'd): what the
  // kernel would answer, and that the loader's checks still apply.
  std::string execve_if_ok;
  bool judge_after_exec = false;
  bool ok() const { return execve == "ok"; }
};

// Models execve(report.path) on `host` (fs/exec.c, binfmt_misc, binfmt_script, binfmt_elf).
ExecResult kernel_exec(const FileReport& report, const HostInfo& host, const JudgeContext& context);

// Problems that stop a program after execve succeeded: the dynamic loader, the C library
// version, the CPU level, a foreign OS, a script's env line. `loaded`: the file is a library
// that ld.so maps for a program, not a file the kernel starts at its entry.
std::vector<Problem> after_exec(const FileReport& report, const HostInfo& host,
                                const JudgeContext& context, bool loaded);

// An errno by its name, as Verdict::execve spells it: "ENOENT", "ELOOP" ("errno 95" for others).
std::string errno_name(int error);

// "/usr/lib" of "/usr/lib/libz.so.1"; "/" of "/init"; "." of a bare name.
std::string directory_of(const std::string& path);

// The fix for rule `code`, in the vocabulary of what built the file where it is known.
std::string fix_for(const std::string& code, const FileReport& report, const HostInfo& host);

// The one rule for a verdict from its problems: fails while a problem of severity error remains,
// else unknown when one that leaves it undecided was found (W_TARGET_NOT_MODELLED,
// W_KERNEL_OPTION, W_UNPARSED_PROGRAM; `undecided`, taken before --ignore drops any), else
// emulated when an emulator took the file, else runs.
bool leaves_undecided(std::string_view code);
VerdictKind settle(const std::vector<Problem>& problems, bool undecided, bool emulated);

Problem make_problem(const std::string& code, std::string message, std::string outcome,
                     const FileReport& report, const HostInfo& host);
// A note that does not decide the verdict.
Problem make_info(const std::string& code, std::string message, std::string outcome,
                  const FileReport& report, const HostInfo& host);
// A warning that does not decide the verdict.
Problem make_warning(const std::string& code, std::string message, std::string outcome,
                     const FileReport& report, const HostInfo& host);

// ---- macOS and Windows targets (darwin_exec.cpp, windows_exec.cpp, universal.cpp) ----------

// execve on macOS, then code-signing enforcement and dyld's checks, for a thin or universal
// Mach-O (or a file of another format, which macOS does not run).
ExecResult darwin_exec(const FileReport& report, const HostInfo& host, const JudgeContext& context);
// CreateProcess on Windows: the PE machine, WoW64 / Prism emulation, subsystem and its version.
ExecResult windows_exec(const FileReport& report, const HostInfo& host, const JudgeContext& context);

// How a Mac runs one Mach-O slice.
enum class MachoFit { native, rosetta, no_rosetta, i386, arm64e, wrong };
MachoFit macho_fit(const FileReport& slice, const HostInfo& host);

// The slice of a universal binary the target's kernel runs.
struct SliceChoice {
  std::optional<std::size_t> index;  // nullopt: no slice runs on the target
  MachoFit fit = MachoFit::wrong;    // how the chosen slice runs
  std::size_t closest = 0;           // no slice runs: the one whose failure explains most
  std::string names;                 // every slice's arch: "x86_64, arm64"
};
SliceChoice choose_slice(const FileReport& fat, const HostInfo& host);

// Dotted version numbers, part by part ("10.15" < "11.0", "10.0" < "10.0.22000").
bool version_less(std::string_view a, std::string_view b);
// The translation layer that runs os/arch programs on the target, or nullptr.
const HostEmulation* emulation_for(const HostInfo& host, Os os, Arch arch);
bool built_with_go(const FileReport& report);
bool built_with_rust(const FileReport& report);

}  // namespace enoexec::verdict
