// Options several subcommands share: the machine a verdict is for (--target, --root,
// --host-file), the safety limits (--limit NAME=VALUE, docs/limits.md) and the global --color.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "enoexec/host.hpp"
#include "enoexec/limits.hpp"
#include "enoexec/verdict.hpp"
#include "output/style.hpp"
#include "verdict/judge_setup.hpp"

namespace enoexec::cli {

struct TargetArgs {
  std::string target;     // a profile or a platform in any vocabulary ("rpi-zero", "linux/arm/v7")
  std::string root;       // a target root file system: interpreters and libraries resolve inside it
  std::string host_file;  // a recorded host (enoexec host --json)
};

void add_target_options(CLI::App& cmd, TargetArgs& args);

// Validators for options naming a directory or a file that must exist (a usage error otherwise).
CLI::Validator existing_directory();
CLI::Validator existing_file();

// The host to judge for and the file system the judge looks at (verdict/judge_setup.hpp).
using enoexec::JudgeSetup;

// Without --target/--root/--host-file: this machine. Prints why on stderr and returns nullopt
// when the options cannot be used (unknown target, unreadable host file, conflicting options).
std::optional<JudgeSetup> make_judge_setup(const TargetArgs& args, const Limits& limits = {});

// --limit NAME=VALUE (repeatable), applied to `limits` as the command line is parsed.
void add_limit_option(CLI::App& cmd, Limits& limits);

// "unknown target 'rpi-zer'; did you mean rpi-zero?" when `text` names no target and one is
// close (profile ids and aliases, platforms in every vocabulary); without one, why it names none.
// Empty when `text` names a target.
std::string unknown_target_message(std::string_view text);

// The global --color WHEN (auto, always, never; default auto), on the top-level App.
void add_color_option(CLI::App& app);
// How the human printers write to stdout: coloured or not (output/style.hpp), as --color,
// NO_COLOR, TERM and whether stdout is a terminal decide. JSON and SARIF never ask.
Style stdout_style();

}  // namespace enoexec::cli
