// The check subcommand: probes (or reads) the target, inspects each file, judges it. Nothing
// inspected is ever executed.
#include "command.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "enoexec/inspect.hpp"
#include "enoexec/verdict.hpp"
#include "output/json_host.hpp"
#include "output/json_verdict.hpp"
#include "output/verdict_text.hpp"

namespace enoexec::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> paths;
  bool json = false;
  std::string host_file;
  std::string root;
};

std::optional<HostInfo> load_host(const CheckOptions& options) {
  if (options.host_file.empty()) return probe_host(options.root.empty() ? "/" : options.root);
  std::ifstream in(options.host_file);
  if (!in) {
    fmt::print(stderr, "enoexec: cannot read {}\n", options.host_file);
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto host = host_from_json(text.str());
  if (!host) {
    fmt::print(stderr, "enoexec: {}: {}\n", options.host_file, to_string(host.error()));
    return std::nullopt;
  }
  return *host;
}

std::unique_ptr<JudgeContext> make_context(const CheckOptions& options) {
  if (!options.root.empty()) return make_root_context(options.root, false);
  if (!options.host_file.empty()) return make_unknown_target_context();
  return make_root_context("/", true);
}

int run_check(const CheckOptions& options) {
  const std::optional<HostInfo> host = load_host(options);
  if (!host) return 2;
  const std::unique_ptr<JudgeContext> context = make_context(options);
  int status = 0;
  for (const std::string& path : options.paths) {
    const FileReport report = inspect_file(path);
    if (report.error) {
      fmt::print(stderr, "enoexec: {}: {}\n", path, *report.error);
      status = 2;
      continue;
    }
    const Verdict verdict = judge(report, *host, *context);
    if (verdict.verdict == VerdictKind::fails && status == 0) status = 1;
    if (options.json) {
      fmt::print("{}\n",
                 to_json(report, verdict)
                     .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
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
  cmd->add_option("paths", options->paths, "Files to check (never executed)")->required();
  cmd->add_flag("--json", options->json,
                "JSON Lines: the inspect object plus target, execve, verdict, problems");
  cmd->add_option("--host-file", options->host_file,
                  "Judge against a recorded host (enoexec host --json)");
  cmd->add_option("--root", options->root,
                  "Resolve interpreters and libraries inside this directory");
  return {cmd, [options] { return run_check(*options); }};
}

}  // namespace enoexec::cli
