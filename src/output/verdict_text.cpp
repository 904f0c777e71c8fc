#include "output/verdict_text.hpp"

#include <fmt/format.h>

namespace enoexec {

std::string verdict_line(const std::string& path, const Verdict& verdict) {
  switch (verdict.verdict) {
    case VerdictKind::runs:
      return fmt::format("{}: runs on {}", path, verdict.target);
    case VerdictKind::emulated:
      return fmt::format("{}: runs emulated via {} on {}", path, verdict.emulator, verdict.target);
    case VerdictKind::fails:
      break;
  }
  const std::string how = verdict.execve == "ok"        ? "execve succeeds, then it fails"
                          : verdict.execve == "SIGSEGV" ? "killed by SIGSEGV during execve"
                                                        : "execve: " + verdict.execve;
  return fmt::format("{}: will not run on {} ({})", path, verdict.target, how);
}

std::string problem_lines(const Verdict& verdict) {
  std::string out;
  for (const auto& problem : verdict.problems) {
    out += fmt::format("  {} {}: {}\n", problem.severity, problem.code, problem.message);
    if (!problem.outcome.empty()) out += fmt::format("    outcome: {}\n", problem.outcome);
    if (!problem.fix.empty()) out += fmt::format("    fix: {}\n", problem.fix);
  }
  return out;
}

}  // namespace enoexec
