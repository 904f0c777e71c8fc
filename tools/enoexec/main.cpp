// The enoexec command line: parses arguments and calls the library; no logic of its own.
#include <cstdio>
#include <exception>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "command.hpp"
#include "enoexec/version.hpp"

int main(int argc, char** argv) {
  try {
    CLI::App app{"enoexec: will this file run on that machine? If not, why, and how to fix it."};
    app.require_subcommand(1);
    app.set_version_flag("--version", fmt::format("enoexec {}", enoexec::kVersion));

    const std::vector<enoexec::cli::Command> commands{
        enoexec::cli::add_inspect_command(app),
        enoexec::cli::add_host_command(app),
        enoexec::cli::add_platforms_command(app),
        enoexec::cli::add_check_command(app),
        enoexec::cli::add_scan_command(app),
    };
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      return app.exit(e) == 0 ? 0 : 2;  // usage errors exit 2, like I/O errors
    }
    for (const auto& command : commands)
      if (command.app->parsed()) return command.run();
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "enoexec: internal error: %s\n", e.what());
    return 2;
  }
}
