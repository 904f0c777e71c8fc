// The enoexec command line: parses arguments and calls the library; no logic of its own.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "enoexec/inspect.hpp"
#include "output/human.hpp"
#include "output/json.hpp"

namespace {

struct InspectOptions {
  std::vector<std::string> paths;
  bool json = false;
  bool verbose = false;
};

// Exit status: 0 when every file was read, 2 when any could not be (the others still reported).
int run_inspect(const InspectOptions& options) {
  int status = 0;
  for (const std::string& path : options.paths) {
    const enoexec::FileReport report = enoexec::inspect_file(path);
    if (report.error) status = 2;
    if (options.json) {
      fmt::print("{}\n", enoexec::to_json(report).dump(-1, ' ', false,
                                                       nlohmann::ordered_json::error_handler_t::replace));
    } else {
      fmt::print("{}\n", enoexec::summary_line(report));
      if (options.verbose) fmt::print("{}", enoexec::detail_lines(report));
    }
    std::fflush(stdout);
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    CLI::App app{"enoexec: will this file run on that machine? If not, why, and how to fix it."};
    app.require_subcommand(1);
    app.set_version_flag("--version", "enoexec 0.1.0");

    InspectOptions inspect;
    auto* cmd = app.add_subcommand("inspect", "Report what each file is and what it needs to run");
    cmd->add_option("paths", inspect.paths, "Files to inspect")->required();
    cmd->add_flag("--json", inspect.json, "JSON Lines: one object per file (docs/json.md)");
    cmd->add_flag("-v,--verbose", inspect.verbose, "Print every fact beneath the summary line");

    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      const int code = app.exit(e);
      return code == 0 ? 0 : 2;
    }
    if (cmd->parsed()) return run_inspect(inspect);
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "enoexec: internal error: {}\n", e.what());
    return 2;
  }
}
