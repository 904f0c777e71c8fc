// The gate options `check` and `scan` share: --fail-on, --select, --ignore (verdict/gate.hpp).
// Their help texts are the man page's and the completions' (docs/man-and-completions.md).
#pragma once

#include <string>
#include <vector>

#include <fmt/format.h>

#include <CLI/CLI.hpp>

namespace enoexec::cli {

struct GateArgs {
  std::string fail_on = "error";    // --fail-on LEVEL: error, warning, never
  std::vector<std::string> select;  // --select CODE...: only these problems count
  std::vector<std::string> ignore;  // --ignore CODE...: these problems do not count
  bool filtered() const { return !select.empty() || !ignore.empty(); }
};

// `subject`: what fails, as the help says it ("a program", "a file").
inline void add_gate_options(CLI::App& cmd, GateArgs& args, std::string_view subject) {
  cmd.add_option("--fail-on", args.fail_on,
                 fmt::format("Exit 1 when {} fails on the target ('error', the default), also when "
                             "a problem is a warning ('warning'), or never: exit 0 unless a usage or "
                             "I/O error ('never')",
                             subject))
      ->type_name("LEVEL")
      ->check(CLI::IsMember({"error", "warning", "never"}))
      ->default_str("error");
  cmd.add_option("--select", args.select,
                 "Only count problems whose rule code is, or starts with, CODE (repeatable, "
                 "comma-separated, any case: E_MACHO, W_); the verdict is recomputed from them")
      ->type_name("CODE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd.add_option("--ignore", args.ignore,
                 "Drop problems whose rule code is, or starts with, CODE (repeatable, "
                 "comma-separated; wins over --select): not printed, not counted, and the verdict "
                 "is recomputed without them")
      ->type_name("CODE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

}  // namespace enoexec::cli
