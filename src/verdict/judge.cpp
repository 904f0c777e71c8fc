// judge(): the kernel's answer (kernel_exec.cpp), then what stops the program after a successful
// exec (after_exec.cpp), folded into one verdict.
#include "verdict/rules.hpp"

namespace enoexec {

Platform target_platform(const HostInfo& host) {
  // The userland's architecture (from /bin/sh) is what programs are built for; a 64-bit kernel
  // under a 32-bit userland still runs that userland's programs.
  const Arch arch = host.userland && host.userland->arch != Arch::unknown
                        ? host.userland->arch
                        : verdict::host_arch(host);
  return make_platform(Os::linux, arch, host.cpu.variant, host.libc.flavour);
}

Verdict judge(const FileReport& report, const HostInfo& host, const JudgeContext& context) {
  Verdict verdict;
  verdict.target = to_oci(target_platform(host));
  verdict::ExecResult exec = verdict::kernel_exec(report, host, context);
  verdict.execve = exec.execve;
  verdict.emulator = exec.emulator;
  verdict.problems = std::move(exec.problems);
  if (exec.ok()) {
    // An emulated program's own needs are the emulator's business (its sysroot), not the target's.
    if (exec.emulator.empty()) {
      for (auto& problem : verdict::after_exec(report, host, context))
        verdict.problems.push_back(std::move(problem));
    }
  }
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
