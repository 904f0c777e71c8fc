// The enoexec command line: parses arguments and calls the library; no logic of its own.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "command.hpp"
#include "enoexec/version.hpp"
#include "exit_status.hpp"
#include "generate.hpp"

namespace {

// A command's output is not done until it is written: a failure still held in stdio's buffer
// (a short report to a full disk, >/dev/full) shows only at this flush. Then the status is 2,
// whatever the verdicts earned. A reader that went away (EPIPE) still ends the process by
// SIGPIPE, quietly, as in other Unix tools.
int finish_output(int status) {
  if (std::fflush(stdout) == 0 && std::ferror(stdout) == 0) return status;
  const int error = errno;
  std::fprintf(stderr, "enoexec: cannot write standard output%s%s\n", error != 0 ? ": " : "",
               error != 0 ? std::strerror(error) : "");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    CLI::App app{"enoexec: will this file run on that machine? If not, why, and how to fix it."};
    std::string generate;  // --generate KIND: the man page or a shell completion (hidden)
    enoexec::cli::add_generate_option(app, generate);
    // The help flag again, after --generate: CLI11 ends the options of --help with a blank line
    // when the last option is a hidden one.
    const std::string help_names = app.get_help_ptr()->get_name(false, true);
    const std::string help_description = app.get_help_ptr()->get_description();
    app.set_help_flag(help_names, help_description);
    app.require_subcommand(1);
    app.set_version_flag("--version", fmt::format("enoexec {}", enoexec::kVersion));

    const std::vector<enoexec::cli::Command> commands{
        enoexec::cli::add_inspect_command(app),
        enoexec::cli::add_host_command(app),
        enoexec::cli::add_platforms_command(app),
        enoexec::cli::add_check_command(app),
        enoexec::cli::add_scan_command(app),
    };
    // Set after the subcommands, which would inherit it.
    enoexec::cli::set_exit_statuses(
        app, {{0, "--help or --version printed"},
              {2, "a usage error: no command, an unknown command or option, a missing or invalid value (every "
                  "command exits 2 on these)"}});
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      if (!generate.empty()) return enoexec::cli::print_generated(app, generate);
      return app.exit(e) == 0 ? 0 : 2;  // usage errors exit 2, like I/O errors
    }
    for (const auto& command : commands)
      if (command.app->parsed()) return finish_output(command.run());
    return 2;
  } catch (const std::exception& e) {
    // {fmt} throws when a write to stdout fails mid-run (the stream's error flag is then set).
    if (std::ferror(stdout) != 0) return finish_output(2);
    std::fprintf(stderr, "enoexec: internal error: %s\n", e.what());
    return 2;
  }
}
