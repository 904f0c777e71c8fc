// judge(): the target system's answer, folded into one verdict. Linux: the kernel's answer
// (kernel_exec.cpp), then what stops the program after a successful exec (after_exec.cpp).
// macOS (darwin_exec.cpp) and Windows (windows_exec.cpp) model their own loaders end to end.
#include "verdict/artifact_name.hpp"
#include "verdict/rules.hpp"

namespace enoexec {
namespace {

// The system a host describes, from its kernel's name (`uname -s`, or Windows_NT).
Os target_os(const HostInfo& host) {
  if (host.kernel.os == "Darwin") return Os::darwin;
  if (host.kernel.os == "Windows_NT") return Os::windows;
  return Os::linux;
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
  if (os != Os::linux) return make_platform(os, verdict::host_arch(host), host.cpu.variant, host.libc.flavour);
  // The userland's architecture (from /bin/sh) is what programs are built for; a 64-bit kernel
  // under a 32-bit userland still runs that userland's programs.
  const Arch arch = host.userland && host.userland->arch != Arch::unknown
                        ? host.userland->arch
                        : verdict::host_arch(host);
  return make_platform(Os::linux, arch, host.cpu.variant, host.libc.flavour);
}

Verdict judge(const FileReport& report, const HostInfo& host, const JudgeContext& context, JudgeAs as) {
  Verdict verdict;
  verdict.target = to_oci(target_platform(host));
  const Os os = target_os(host);
  verdict::ExecResult exec = os == Os::darwin    ? verdict::darwin_exec(report, host, context)
                             : os == Os::windows ? verdict::windows_exec(report, host, context)
                                                 : linux_exec(report, host, context, as);
  verdict.execve = exec.execve;
  verdict.emulator = exec.emulator;
  verdict.problems = std::move(exec.problems);
  for (auto& problem : artifact_name_problems(report)) verdict.problems.push_back(std::move(problem));
  bool fatal = false;
  for (const auto& problem : verdict.problems) fatal = fatal || problem.severity == "error";
  if (fatal) {
    verdict.verdict = VerdictKind::fails;
  } else {
    verdict.verdict = exec.emulator.empty() ? VerdictKind::runs : VerdictKind::emulated;
  }
  return verdict;
}

}  // namespace enoexec
