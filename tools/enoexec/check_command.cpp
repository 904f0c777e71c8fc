// The check subcommand: probes (or reads) the target, inspects each file, judges it. Nothing
// inspected is ever executed.
#include "command.hpp"
#include "exit_status.hpp"
#include "gate_options.hpp"
#include "output_status.hpp"
#include "target_options.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "enoexec/inspect.hpp"
#include "enoexec/verdict.hpp"
#include "output/human.hpp"
#include "output/json.hpp"
#include "output/json_verdict.hpp"
#include "output/verdict_text.hpp"
#include "verdict/gate.hpp"

namespace enoexec::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> paths;
  bool json = false;
  TargetArgs target;
  InspectOptions inspect;
  GateArgs gate;  // --fail-on, --select, --ignore
};

int run_check(const CheckOptions& options) {
  const auto filter = make_problem_filter(options.gate.select, options.gate.ignore);
  if (!filter) {
    fmt::print(stderr, "enoexec: {}\n", filter.error().what);
    return 2;
  }
  const FailOn fail_on = parse_fail_on(options.gate.fail_on).value_or(FailOn::error);
  // --limit json-bytes/json-depth bound a --host-file.
  const std::optional<JudgeSetup> setup = make_judge_setup(options.target, options.inspect.limits);
  if (!setup) return 2;
  if (!options.json && !setup->assumption.empty()) fmt::print(stderr, "enoexec: note: {}\n", setup->assumption);
  int status = 0;
  for (const std::string& path : options.paths) {
    const FileReport report = inspect_file(path, options.inspect);
    // Unreadable or unparsable: one line on stderr, as every command says it, and exit status 2;
    // the kernel's answer is still given (it reads the bytes itself: an ELF cut inside its
    // header is ENOEXEC, a missing file ENOENT), so there is one object per input.
    if (report.error) {
      report_input_error(path, *report.error);
      status = 2;
    }
    Verdict verdict = judge(report, setup->host, *setup->context);
    const std::vector<std::string> ignored = filter->apply(verdict);  // --select, --ignore
    if (fails_gate(verdict, fail_on) && status == 0) status = 1;
    if (options.json) {
      auto json = to_json(report, verdict);
      if (options.gate.filtered()) json["ignored"] = ignored;
      fmt::print("{}\n", to_json_line(json));
    } else {
      Verdict shown = verdict;  // the verdict line names the profile: "rpi-zero (linux/arm/v6)"
      if (!setup->profile.empty()) shown.target = fmt::format("{} ({})", setup->profile, verdict.target);
      const Style style = stdout_style();  // --color
      const std::string note = ignored.empty() ? std::string() : fmt::format(" ({} ignored)", ignored.size());
      fmt::print("{}{}\n{}", verdict_line(printable(path), shown, style), note, problem_lines(verdict, style));
    }
    std::fflush(stdout);
    earn_status(status);
  }
  return status;
}

}  // namespace

Command add_check_command(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  auto* cmd =
      app.add_subcommand("check", "Predict what execve does with each file on a target, and why");
  cmd->add_option("paths", options->paths, "Files to check (never executed)")->required()->type_name("PATH");
  cmd->add_flag("--json", options->json,
                "JSON Lines: the inspect object plus target, execve, verdict, problems");
  add_target_options(*cmd, options->target);
  add_limit_option(*cmd, options->inspect.limits);
  add_gate_options(*cmd, options->gate, "a file");
  set_exit_statuses(*cmd, {{0, "every file runs on the target, natively or emulated (with --fail-on warning: "
                               "and has no warning; with --fail-on never: always, but for usage and I/O errors)"},
                           {1, "a file will not run on the target, or its verdict is unknown (not decided: the "
                               "target is not modelled, or needs a kernel option) (with --fail-on warning: or has a warning); "
                               "problems --select and --ignore leave out do not count"},
                           {2, "a usage or I/O error: the target, the host file or a file could not be read"}});
  return {cmd, [options] { return run_check(*options); }};
}

}  // namespace enoexec::cli
