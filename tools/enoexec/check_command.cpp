// The check subcommand: probes (or reads) the target, inspects each file, judges it. Nothing
// inspected is ever executed.
#include "command.hpp"
#include "exit_status.hpp"
#include "target_options.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "enoexec/inspect.hpp"
#include "enoexec/verdict.hpp"
#include "output/json.hpp"
#include "output/json_verdict.hpp"
#include "output/verdict_text.hpp"

namespace enoexec::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> paths;
  bool json = false;
  TargetArgs target;
  InspectOptions inspect;
};

int run_check(const CheckOptions& options) {
  const std::optional<JudgeSetup> setup = make_judge_setup(options.target);
  if (!setup) return 2;
  int status = 0;
  for (const std::string& path : options.paths) {
    const FileReport report = inspect_file(path, options.inspect);
    if (report.error) {
      fmt::print(stderr, "enoexec: {}: {}\n", path, *report.error);
      status = 2;
      continue;
    }
    const Verdict verdict = judge(report, setup->host, *setup->context);
    if (verdict.verdict == VerdictKind::fails && status == 0) status = 1;
    if (options.json) {
      fmt::print("{}\n", to_json_line(to_json(report, verdict)));
    } else {
      fmt::print("{}\n{}", verdict_line(path, verdict), problem_lines(verdict));
    }
    std::fflush(stdout);
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
  set_exit_statuses(*cmd, {{0, "every file runs on the target, natively or emulated"},
                           {1, "a file will not run on the target"},
                           {2, "a usage or I/O error: the target, the host file or a file could not be read"}});
  return {cmd, [options] { return run_check(*options); }};
}

}  // namespace enoexec::cli
