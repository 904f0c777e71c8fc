// `enoexec inspect PATH...`: what each file is and what it needs to run.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.hpp"
#include "exit_status.hpp"
#include "output_status.hpp"
#include "target_options.hpp"
#include "enoexec/inspect.hpp"
#include "output/human.hpp"
#include "output/json.hpp"

namespace enoexec::cli {
namespace {

struct InspectSettings {
  std::vector<std::string> paths;
  bool json = false;
  bool verbose = false;
  InspectOptions options;
};

// Exit status: 0 when every file was read, 2 when any could not be (the others still reported).
int run_inspect(const InspectSettings& settings) {
  int status = 0;
  for (const std::string& path : settings.paths) {
    const FileReport report = inspect_file(path, settings.options);
    if (report.error) {
      status = 2;
      report_input_error(path, *report.error);  // on stderr, as every command says it
    }
    if (settings.json) {
      fmt::print("{}\n", to_json_line(to_json(report)));
    } else if (!report.error || report.format != Format::unknown) {
      // A file read in part still shows what was read (its summary names the error too).
      fmt::print("{}\n", printable(summary_line(report)));
      if (settings.verbose) fmt::print("{}", detail_lines(report));
    }
    std::fflush(stdout);
    earn_status(status);
  }
  return status;
}

}  // namespace

Command add_inspect_command(CLI::App& app) {
  auto settings = std::make_shared<InspectSettings>();
  auto* cmd = app.add_subcommand("inspect", "Report what each file is and what it needs to run");
  cmd->add_option("paths", settings->paths, "Files to inspect")->required()->type_name("PATH");
  cmd->add_flag("--json", settings->json, "JSON Lines: one object per file (docs/json.md)");
  cmd->add_flag("-v,--verbose", settings->verbose, "Print every fact beneath the summary line");
  cmd->add_flag("--scan-code", settings->options.scan_code,
                "Decode x86-64 code for instructions above the baseline when no metadata states a level");
  add_limit_option(*cmd, settings->options.limits);
  set_exit_statuses(*cmd, {{0, "every file was read"},
                           {2, "a file could not be read (the others are still reported), or a usage error"}});
  return {cmd, [settings] { return run_inspect(*settings); }};
}

}  // namespace enoexec::cli
