// Each subcommand lives in its own file: it registers its options on the App and returns the
// function that runs it, which returns the exit status. main() only picks the one parsed.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace enoexec::cli {

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command add_inspect_command(CLI::App& app);
Command add_host_command(CLI::App& app);
Command add_platforms_command(CLI::App& app);
// check's run() returns 0 when every file runs (natively or emulated), 1 when any will not.
Command add_check_command(CLI::App& app);
// scan's run() returns 0 when nothing fails on the target, 1 when something does, 2 when an entry
// could not be read or the output not written.
Command add_scan_command(CLI::App& app);
// explain's run() returns 0 when every code was explained (or the list printed), 2 when one is
// not a rule code.
Command add_explain_command(CLI::App& app);
// image's run() returns 0 when every judged entry runs, 1 when one does not (or no entry
// matches --platform), 2 when an image could not be read.
Command add_image_command(CLI::App& app);

}  // namespace enoexec::cli
