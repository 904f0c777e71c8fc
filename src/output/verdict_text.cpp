#include "output/verdict_text.hpp"

#include <fmt/format.h>

#include "support/display_text.hpp"

namespace enoexec {

std::string verdict_line(const std::string& path, const Verdict& verdict, const Style& style) {
  switch (verdict.verdict) {
    case VerdictKind::runs:
      return fmt::format("{}: {} on {}", path, style.paint("runs", Tone::green), verdict.target);
    case VerdictKind::emulated:
      return fmt::format("{}: {} via {} on {}", path, style.paint("runs emulated", Tone::cyan), verdict.emulator,
                         verdict.target);
    case VerdictKind::unknown:
      return fmt::format("{}: {} on {} (not decided: see the warning)", path,
                         style.paint("unknown", Tone::yellow), verdict.target);
    case VerdictKind::fails:
      break;
  }
  const std::string how = verdict.execve == "ok"        ? "execve succeeds, then it fails"
                          : verdict.execve == "SIGSEGV" ? "killed by SIGSEGV during execve"
                                                        : "execve: " + verdict.execve;
  return fmt::format("{}: {} on {} ({})", path, style.paint("will not run", Tone::red), verdict.target, how);
}

std::string problem_lines(const Verdict& verdict, const Style& style) {
  std::string out;
  for (const auto& problem : verdict.problems) {
    // Each field escaped on its own, so a newline in a file name cannot forge a line.
    out += fmt::format("  {} {}: {}\n", severity_text(style, problem.severity), escape_for_display(problem.code),
                       escape_for_display(problem.message));
    if (!problem.outcome.empty()) out += fmt::format("    outcome: {}\n", escape_for_display(problem.outcome));
    if (!problem.fix.empty()) out += fmt::format("    fix: {}\n", escape_for_display(problem.fix));
  }
  return out;
}

}  // namespace enoexec
