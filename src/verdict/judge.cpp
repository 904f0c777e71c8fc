// judge(): the target system's answer, folded into one verdict. Linux: the kernel's answer
// (kernel_exec.cpp), then what stops the program after a successful exec (after_exec.cpp).
// macOS (darwin_exec.cpp) and Windows (windows_exec.cpp) model their own loaders end to end.
#include <fmt/format.h>

#include "verdict/artifact_name.hpp"
#include "verdict/rules.hpp"

namespace enoexec {
namespace {

// The system a host describes: its typed kernel system, else what its kernel's name says.
// Nothing said is unknown, never Linux.
Os target_os(const HostInfo& host) {
  if (host.kernel.system != Os::unknown) return host.kernel.system;
  return kernel_system(host.kernel.os, host.libc.flavour);
}

// Whether judge() models the target: Linux's execve on any architecture (the kernel refuses
// what it does not run), macOS on x86-64 and Apple silicon, Windows on x86, x64 and Arm.
bool modelled(Os os, Arch arch) {
  if (linux_kernel(os)) return true;
  if (os == Os::darwin) return arch == Arch::amd64 || arch == Arch::arm64;
  if (os == Os::windows) return arch == Arch::amd64 || arch == Arch::i386 || arch == Arch::arm64 || arch == Arch::arm;
  return false;
}

// A target whose system is not modelled: no execve answer, one warning that says why.
verdict::ExecResult not_modelled(const FileReport& report, const HostInfo& host, Os os, const std::string& target) {
  std::string why;
  if (os == Os::unknown) why = "nothing names the target's system (its kernel name is empty or unknown)";
  else if (os == Os::darwin) why = "enoexec models macOS on amd64 and arm64 only";
  else if (os == Os::windows) why = "enoexec models Windows on 386, amd64, arm and arm64 only";
  else why = fmt::format("enoexec does not model how {} runs programs", display_name(os));
  if (report.platform && report.platform->os != Os::unknown)
    why += fmt::format(" (the file is built for {})", to_oci(*report.platform));
  verdict::ExecResult exec;
  exec.execve = "unknown";
  exec.problems.push_back(verdict::make_warning(
      "W_TARGET_NOT_MODELLED", fmt::format("{}: no verdict for {}: {}", report.path, target, why), "unknown",
      report, host));
  return exec;
}

verdict::ExecResult linux_exec(const FileReport& report, const HostInfo& host,
                               const JudgeContext& context, JudgeAs as) {
  verdict::ExecResult exec = verdict::kernel_exec(report, host, context);
  // An emulated program's own needs are the emulator's business (its sysroot), not the target's.
  if ((exec.ok() || exec.judge_after_exec) && exec.emulator.empty()) {
    // A library is loaded by ld.so when execve would refuse it or nobody runs it; otherwise the
    // kernel starts the file at its entry.
    const bool loaded = exec.judge_after_exec || (as == JudgeAs::found && report.type == "shared-library");
    for (auto& problem : verdict::after_exec(report, host, context, loaded))
      exec.problems.push_back(std::move(problem));
  }
  return exec;
}

}  // namespace

Platform target_platform(const HostInfo& host) {
  const Os os = target_os(host);
  if (!linux_kernel(os)) return make_platform(os, verdict::host_arch(host), host.cpu.variant, host.libc.flavour);
  // The userland's architecture (from /bin/sh) is what programs are built for; a 64-bit kernel
  // under a 32-bit userland still runs that userland's programs.
  const Arch arch = host.userland && host.userland->arch != Arch::unknown
                        ? host.userland->arch
                        : verdict::host_arch(host);
  return make_platform(os, arch, host.cpu.variant, host.libc.flavour);
}

Verdict judge(const FileReport& report, const HostInfo& host, const JudgeContext& context, JudgeAs as) {
  Verdict verdict;
  const Platform platform = target_platform(host);
  verdict.target = to_oci(platform);
  const Os os = target_os(host);
  verdict::ExecResult exec = !modelled(os, platform.arch) ? not_modelled(report, host, os, verdict.target)
                             : os == Os::darwin           ? verdict::darwin_exec(report, host, context)
                             : os == Os::windows          ? verdict::windows_exec(report, host, context)
                                                          : linux_exec(report, host, context, as);
  verdict.execve = exec.execve;
  verdict.emulator = exec.emulator;
  verdict.problems = std::move(exec.problems);
  for (auto& problem : artifact_name_problems(report)) verdict.problems.push_back(std::move(problem));
  // The kernel takes a file enoexec could not parse: what follows execve (its loader, libraries,
  // CPU level) is not known, so neither is the verdict.
  if (report.error && verdict.execve == "ok") {
    verdict.problems.push_back(verdict::make_warning(
        "W_UNPARSED_PROGRAM",
        fmt::format("{}: the kernel takes it, but it could not be read as a program ({}): what happens after "
                    "execve is not known",
                    report.path, *report.error),
        "unknown after execve", report, host));
  }
  bool undecided = false;
  for (const auto& problem : verdict.problems) undecided = undecided || verdict::leaves_undecided(problem.code);
  verdict.verdict = verdict::settle(verdict.problems, undecided, !exec.emulator.empty());
  return verdict;
}

namespace verdict {

bool leaves_undecided(std::string_view code) {
  return code == "W_TARGET_NOT_MODELLED" || code == "W_KERNEL_OPTION" || code == "W_UNPARSED_PROGRAM";
}

VerdictKind settle(const std::vector<Problem>& problems, bool undecided, bool emulated) {
  for (const auto& problem : problems)
    if (problem.severity == "error") return VerdictKind::fails;
  if (undecided) return VerdictKind::unknown;
  return emulated ? VerdictKind::emulated : VerdictKind::runs;
}

}  // namespace verdict

}  // namespace enoexec
