// `enoexec --generate KIND`: the man page and the bash, zsh and fish completions, generated from
// the CLI11 App itself (subcommands, options, value names, defaults, choices, footers) and from
// the library's tables of target profiles and platforms, so they cannot drift from --help.
// docs/man-and-completions.md says where they are built and installed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

namespace enoexec::cli {

// Registers the hidden option `--generate KIND` (man, bash, zsh, fish) on the top-level App. When
// parsed it stores KIND in `kind` and throws CLI::Success, so no subcommand is required; main()
// then calls print_generated().
void add_generate_option(CLI::App& app, std::string& kind);

// Prints the generated file for `kind` to stdout: 0 when written, 2 when it could not be (stdout
// failed, or an example of the man page names an option the App does not have).
int print_generated(const CLI::App& app, std::string_view kind);

// What a generator needs to know about a value: how to complete it.
enum class ValueKind {
  none,       // a flag: no value
  text,       // free text: nothing to complete
  file,       // value name FILE or PATH
  directory,  // value name DIR
  target,     // value name TARGET: profile ids and aliases, canonical platform names
  choice,     // CLI::IsMember: one of `choices`
};

struct OptionDoc {
  std::vector<std::string> shorts;  // "-j"
  std::vector<std::string> longs;   // "--threads"
  std::string value_name;           // "N", "TARGET"; empty for a flag
  std::string description;
  std::string default_value;        // as --help shows it after '='
  std::vector<std::string> choices;
  std::vector<std::string> excludes;  // names of the options this one cannot be combined with
  bool repeatable = false;
  bool stops = false;  // --help, --version: print and exit, whatever else is given
  ValueKind kind = ValueKind::none;

  std::vector<std::string> names() const;  // shorts, then longs
};

struct PositionalDoc {
  std::string name;  // the value name: "PATH", "TARGET"
  std::string description;
  bool required = false;
  bool repeatable = false;
  ValueKind kind = ValueKind::text;
  std::vector<std::string> choices;  // kind choice: the words it may be (`help COMMAND`: the commands)
};

struct ExitStatusDoc {
  int code = 0;
  std::string meaning;
};

struct CommandDoc {
  std::string name;  // "check"; empty for the program itself
  std::string description;
  std::vector<OptionDoc> options;  // hidden ones (empty group) left out
  std::vector<PositionalDoc> positionals;
  std::vector<ExitStatusDoc> exit_statuses;  // from the footer (exit_status.hpp)
  std::vector<std::string> footer;           // the footer's other lines
};

struct ProgramDoc {
  std::string name;     // "enoexec"
  std::string summary;  // the App's description without its leading "enoexec: "
  std::string version;
  CommandDoc global;    // the top-level options and exit statuses
  std::vector<CommandDoc> commands;
  std::vector<std::string> environment;  // variables options read (CLI11 envname)

  // The global options that also work after a command (--color): all but --help and --version.
  std::vector<OptionDoc> shared_options() const;
};

// A word a completion offers, with what it names ("Raspberry Pi Zero, Zero W and 1", "platform").
struct CompletionWord {
  std::string word;
  std::string description;
};

ProgramDoc describe_program(const CLI::App& app);

// Every profile id and alias, then every canonical platform name (linux/arm/v7), each once.
std::vector<CompletionWord> target_words();

// The command lines of the man page's EXAMPLES (from README.md) with what each shows.
struct Example {
  std::string_view what;
  std::string_view command;
};
const std::vector<Example>& man_examples();
// Each example's command and options, checked against the App: empty when all exist, else why.
std::string check_examples(const ProgramDoc& program);

std::string generate_man(const ProgramDoc& program);
std::string generate_bash(const ProgramDoc& program, const std::vector<CompletionWord>& targets);
std::string generate_zsh(const ProgramDoc& program, const std::vector<CompletionWord>& targets);
std::string generate_fish(const ProgramDoc& program, const std::vector<CompletionWord>& targets);

}  // namespace enoexec::cli
