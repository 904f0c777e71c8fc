// The enoexec command line: parses arguments and calls the library; no logic of its own.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "command.hpp"
#include "enoexec/version.hpp"
#include "exit_status.hpp"
#include "generate.hpp"
#include "output_status.hpp"
#include "support/close_matches.hpp"
#include "support/display_text.hpp"
#include "target_options.hpp"

namespace {

// A command's output is not done until it is written: a failure still held in stdio's buffer
// (a short report to a full disk, >/dev/full) shows only at this flush. Then the status is 2,
// whatever the verdicts earned. A reader that went away (EPIPE: `enoexec scan / | head`) ends
// the command quietly with the status the lines written so far earned, as grep does.
int finish_output(int status) {
  if (std::fflush(stdout) == 0 && std::ferror(stdout) == 0) return status;
  if (enoexec::cli::reader_gone(stdout)) return enoexec::cli::earned_status();
  const int error = errno;
  std::fprintf(stderr, "enoexec: cannot write standard output%s%s\n", error != 0 ? ": " : "",
               error != 0 ? std::strerror(error) : "");
  return 2;
}

using enoexec::close_matches;
using enoexec::did_you_mean;
using enoexec::escape_for_display;

// The commands' names, in the order --help lists them.
std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); }))
    names.push_back(sub->get_name());
  return names;
}

// Every name of the options --help shows for `app`.
std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_positional() && !option->nonpositional()) continue;
    if (option->get_group().empty()) continue;  // hidden
    for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
    for (const std::string& name : option->get_snames()) names.push_back("-" + name);
  }
  return names;
}

// `enoexec` alone: what to type, on stderr.
void print_short_usage(const CLI::App& app) {
  std::string names;
  for (const std::string& name : command_names(app)) names += (names.empty() ? "" : ", ") + name;
  fmt::print(stderr,
             "usage: enoexec [--color WHEN] COMMAND [OPTIONS] [ARGS]...\n"
             "commands: {}\n"
             "'enoexec help' says what each does, 'enoexec help COMMAND' lists its options.\n",
             names);
}

void print_unknown_command(const CLI::App& app, std::string_view word) {
  const std::vector<std::string> names = command_names(app);
  const std::vector<std::string> close = close_matches(word, names);
  std::string known;
  for (const std::string& name : names) known += (known.empty() ? "" : ", ") + name;
  fmt::print(stderr, "enoexec: unknown command '{}'; {}\n", escape_for_display(word),
             close.empty() ? "the commands are " + known : did_you_mean(close));
}

// A failed parse: CLI11's message, turned into one that names what was meant where it can.
// Words no option or command took stay in remaining() after the failure: an unknown command is
// the first that is not an option (`enoexec inspek`), an unknown option one that starts with '-'.
int usage_error(CLI::App& app, const CLI::ParseError& error) {
  const CLI::App* command = nullptr;
  for (const CLI::App* sub : app.get_subcommands()) command = sub;
  std::vector<std::string> left = app.remaining(false);
  if (command != nullptr)
    for (std::string& word : command->remaining(false)) left.push_back(std::move(word));
  if (command == nullptr) {
    for (const std::string& word : left) {
      if (word.starts_with("-")) continue;
      print_unknown_command(app, word);
      return 2;
    }
    if (left.empty() && dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
      print_short_usage(app);
      return 2;
    }
  }
  std::vector<std::string> options = option_names(app);
  if (command != nullptr)
    for (std::string& name : option_names(*command)) options.push_back(std::move(name));
  // CLI11's words for extras, with the words in the order given (ExtrasError reverses them).
  std::string message = error.what();
  if (!left.empty()) {
    message = left.size() == 1 ? "The following argument was not expected:"
                               : "The following arguments were not expected:";
    for (const std::string& word : left) message += " " + escape_for_display(word);
  }
  const auto unknown = std::count_if(left.begin(), left.end(), [](const std::string& w) { return w.starts_with("-"); });
  for (const std::string& word : left) {
    if (!word.starts_with("-") || word == "-") continue;
    const std::string close = did_you_mean(close_matches(word.substr(0, word.find('=')), options));
    if (close.empty()) continue;
    message += unknown == 1 ? "; " + close : fmt::format("\n{}: {}", escape_for_display(word), close);
  }
  fmt::print(stderr, "{}\nRun with --help for more information.\n", message);
  return 2;
}

// `enoexec help [COMMAND]`: what --help prints, for the program or one command.
enoexec::cli::Command add_help_command(CLI::App& app) {
  auto name = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("help", "Print this help, or a command's: enoexec help COMMAND");
  cmd->add_option("command", *name, "The command whose options to list")->type_name("COMMAND");
  enoexec::cli::set_exit_statuses(*cmd, {{0, "the help was printed"}, {2, "COMMAND names no command"}});
  return {cmd, [&app, name] {
            // Formatted as --help formats it; App::help() would describe the selected `help`.
            if (name->empty()) {
              fmt::print("{}", app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal));
              return 0;
            }
            for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); })) {
              if (sub->get_name() != *name) continue;
              fmt::print("{}", sub->get_formatter()->make_help(sub, app.get_name() + " " + sub->get_name(),
                                                               CLI::AppFormatMode::Normal));
              return 0;
            }
            print_unknown_command(app, *name);
            return 2;
          }};
}

}  // namespace

int main(int argc, char** argv) {
  // A closed pipe is an error value of write(), not a signal (finish_output).
  std::signal(SIGPIPE, SIG_IGN);
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
    enoexec::cli::add_color_option(app);
    // Global options are read after the command too (`enoexec check --color never F`).
    app.fallthrough();

    const std::vector<enoexec::cli::Command> commands{
        enoexec::cli::add_inspect_command(app),
        enoexec::cli::add_host_command(app),
        enoexec::cli::add_platforms_command(app),
        enoexec::cli::add_check_command(app),
        enoexec::cli::add_scan_command(app),
        enoexec::cli::add_image_command(app),
        enoexec::cli::add_explain_command(app),
        add_help_command(app),
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
      if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
      return usage_error(app, e);  // usage errors exit 2, like I/O errors
    }
    for (const auto& command : commands)
      if (command.app->parsed()) return finish_output(command.run());
    return 2;
  } catch (const std::exception& e) {
    // {fmt} throws when a write to stdout fails mid-run (the stream's error flag is then set).
    if (std::ferror(stdout) != 0) return finish_output(enoexec::cli::earned_status());
    std::fprintf(stderr, "enoexec: internal error: %s\n", e.what());
    return 2;
  }
}
