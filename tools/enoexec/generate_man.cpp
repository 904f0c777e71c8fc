// `enoexec --generate man`: enoexec(1) in roff (man(7) macros), from the ProgramDoc the App
// describes. Everything that is not prose below comes from the App.
#include "generate.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>

#include <fmt/format.h>

namespace enoexec::cli {
namespace {

// UTF-8 sequence at `text[i]` as a code point (advancing i), or the byte itself when malformed.
std::uint32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(text[k])); };
  const std::uint32_t lead = byte(i);
  const std::size_t extra = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
  if (extra == 0 || i + extra >= text.size()) {
    ++i;
    return lead;
  }
  std::uint32_t code = lead & (0x3fu >> extra);
  for (std::size_t k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) {
      ++i;
      return lead;
    }
    code = (code << 6) | (byte(i + k) & 0x3f);
  }
  i += extra + 1;
  return code;
}

// Text for a roff input line or a quoted macro argument: backslashes, hyphens (\- so they
// print as the ASCII hyphen-minus a shell needs), quotes and non-ASCII characters escaped, and
// a leading '.' or '\'' made harmless with \&.
std::string roff(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      out += fmt::format("\\[u{:04X}]", next_code_point(text, i));
      continue;
    }
    ++i;
    switch (c) {
      case '\\': out += "\\(rs"; break;
      case '-': out += "\\-"; break;
      case '\'': out += "\\(aq"; break;
      case '`': out += "\\(ga"; break;
      case '"': out += "\\(dq"; break;
      case '\n': out += ' '; break;
      default: out += c;
    }
  }
  if (!out.empty() && out.front() == '.') out.insert(0, "\\&");
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string bold(std::string_view text) { return fmt::format("\\fB{}\\fR", roff(text)); }
std::string italic(std::string_view text) { return fmt::format("\\fI{}\\fR", roff(text)); }

// A description as a sentence.
std::string sentence(std::string_view text) {
  std::string out(text);
  if (!out.empty() && std::string_view(".!?:").find(out.back()) == std::string_view::npos) out += '.';
  return roff(out);
}

// Each word in bold, `separator` between them.
std::string bold_list(const std::vector<std::string>& words, std::string_view separator) {
  std::string out;
  for (const std::string& word : words) out += fmt::format("{}{}", out.empty() ? "" : separator, bold(word));
  return out;
}

std::string option_tag(const OptionDoc& option) {
  std::string tag = bold_list(option.names(), ", ");
  if (!option.value_name.empty()) tag += " " + italic(option.value_name);
  return tag;
}

std::string option_item(const OptionDoc& option) {
  std::string text = fmt::format(".TP\n{}\n{}\n", option_tag(option), sentence(option.description));
  if (!option.choices.empty()) text += fmt::format("One of: {}.\n", bold_list(option.choices, ", "));
  if (!option.default_value.empty()) text += fmt::format("Default: {}.\n", bold(option.default_value));
  if (!option.excludes.empty()) text += fmt::format("Cannot be combined with {}.\n", bold_list(option.excludes, ", "));
  return text;
}

std::string positional_usage(const PositionalDoc& positional) {
  const std::string name = italic(positional.name) + (positional.repeatable ? "..." : "");
  return positional.required ? name : "[" + name + "]";
}

std::string command_usage(const ProgramDoc& program, const CommandDoc& command) {
  std::string usage = fmt::format("{} [{}]", bold(program.name + " " + command.name), italic("OPTIONS"));
  for (const PositionalDoc& positional : command.positionals) usage += " " + positional_usage(positional);
  return usage;
}

std::string synopsis(const ProgramDoc& program) {
  std::string text = ".SH SYNOPSIS\n";
  for (const CommandDoc& command : program.commands) text += command_usage(program, command) + "\n.br\n";
  text += bold(program.name);
  for (const OptionDoc& option : program.global.options) {
    const std::string value = option.value_name.empty() ? "" : " " + italic(option.value_name);
    text += fmt::format(" [{}{}]", bold_list(option.names(), " | "), value);
  }
  return text + "\n";
}

std::string description(const ProgramDoc& program) {
  std::string text = ".SH DESCRIPTION\n";
  text += roff(
              "enoexec reads a program (ELF, Mach-O thin and universal, PE/COFF, or a #! script) and says "
              "what it is, what it needs, and whether it will run on a target machine: this one, a named "
              "profile (Raspberry Pi models, Apple silicon Macs, distributions, Windows on Arm, ...), a "
              "platform in any vocabulary (Go GOOS/GOARCH/GOARM, OCI linux/arm/v7, uname -m, Debian "
              "architectures, GNU and Rust target triples) or a root file system. When it will not, "
              "enoexec says why in the words the kernel, the dynamic loader and the toolchain use "
              "(exec format error, no such file or directory, GLIBC_2.34 not found, Illegal instruction), "
              "and prints the fix. The files it reads are never executed.") +
          "\n.PP\n";
  text += fmt::format("Each command is described under {} with its options, as {} prints them.\n",
                      bold("COMMANDS"), bold(program.name + " COMMAND --help"));
  text += ".SH OPTIONS\n";
  for (const OptionDoc& option : program.global.options) text += option_item(option);
  return text;
}

std::string commands(const ProgramDoc& program) {
  std::string text = ".SH COMMANDS\n";
  for (const CommandDoc& command : program.commands) {
    text += fmt::format(".SS {}\n{}\n.PP\n{}\n", roff(command.name), command_usage(program, command),
                        sentence(command.description));
    for (const PositionalDoc& positional : command.positionals)
      text += fmt::format(".TP\n{}\n{}\n", positional_usage(positional), sentence(positional.description));
    for (const OptionDoc& option : command.options) text += option_item(option);
    for (const std::string& line : command.footer) text += fmt::format(".PP\n{}\n", roff(line));
  }
  return text;
}

std::string status_items(const std::vector<ExitStatusDoc>& statuses) {
  std::string text;
  for (const ExitStatusDoc& status : statuses)
    text += fmt::format(".TP\n.B {}\n{}\n", status.code, sentence(status.meaning));
  return text;
}

std::string exit_status(const ProgramDoc& program) {
  std::string text = ".SH EXIT STATUS\n";
  text += status_items(program.global.exit_statuses);
  for (const CommandDoc& command : program.commands) {
    if (command.exit_statuses.empty()) continue;
    text += fmt::format(".SS {}\n", bold(program.name + " " + command.name));
    text += status_items(command.exit_statuses);
  }
  return text;
}

// The variables that shape how output looks (output/style.hpp); none changes a verdict.
struct TerminalVariable {
  std::string_view name;
  std::string_view meaning;
};
constexpr TerminalVariable kTerminalVariables[] = {
    {"NO_COLOR", "When set and not empty, --color auto (the default) prints no colour (https://no-color.org). "
                 "--color always still colours."},
    {"TERM", "When dumb, --color auto prints no colour and scan draws no progress line."},
    {"CI", "When set and not empty, scan draws no progress line on stderr, even on a terminal."},
};

std::string environment(const ProgramDoc& program) {
  std::string text = ".SH ENVIRONMENT\n";
  for (const std::string& name : program.environment)
    text += fmt::format(".TP\n{}\nSets the option of the same meaning.\n", bold(name));
  for (const TerminalVariable& variable : kTerminalVariables)
    text += fmt::format(".TP\n{}\n{}\n", bold(variable.name), roff(variable.meaning));
  return text + ".PP\n" +
         roff("None of these changes a verdict. A verdict describes the target, not the shell enoexec runs "
              "in: the caller's LD_LIBRARY_PATH and LD_PRELOAD are not taken into account (libraries are "
              "searched in DT_RPATH, DT_RUNPATH, the directories of ld.so.conf and the default ones), and for "
              "#!/usr/bin/env NAME the target's files are searched along a login shell's default PATH, not "
              "the caller's.") +
         "\n";
}

std::string examples() {
  std::string text = ".SH EXAMPLES\n";
  for (const Example& example : man_examples())
    text += fmt::format(".PP\n{}\n.PP\n.RS 4\n.nf\n$ {}\n.fi\n.RE\n", sentence(example.what), roff(example.command));
  return text;
}

}  // namespace

const std::vector<Example>& man_examples() {
  static const std::vector<Example> list{
      {"What each file is and what it needs",
       "enoexec inspect /bin/sh samples/linux-armv6-hardfloat samples/darwin-arm64"},
      {"Every fact of a file, as JSON", "enoexec inspect --json samples/linux-armv7-hardfloat"},
      {"Will these files run on this machine? If not, why, and the fix",
       "enoexec check samples/linux-arm64 samples/script-crlf.sh"},
      {"Will an ARMv7 build run on a Raspberry Pi Zero (ARMv6)?",
       "enoexec check --target rpi-zero samples/linux-armv7-hardfloat"},
      {"An x86-64 Windows program on Windows 11 on Arm (emulated by Prism)",
       "enoexec check --target windows-11-arm64 samples/windows-amd64.exe"},
      {"Every name of a platform and how to build for it", "enoexec platforms linux/arm/v6"},
      {"Programs in a release directory that will not run on a Raspberry Pi 5",
       "enoexec scan --target rpi5 --only-failures dist/"},
  };
  return list;
}

std::string check_examples(const ProgramDoc& program) {
  for (const Example& example : man_examples()) {
    std::vector<std::string> words;
    for (std::size_t start = 0; start < example.command.size();) {
      const std::size_t end = std::min(example.command.find(' ', start), example.command.size());
      words.emplace_back(example.command.substr(start, end - start));
      start = end + 1;
    }
    const auto command = std::find_if(program.commands.begin(), program.commands.end(),
                                      [&](const CommandDoc& c) { return words.size() > 1 && c.name == words[1]; });
    if (words.front() != program.name || command == program.commands.end())
      return fmt::format("example '{}' names no command", example.command);
    for (const std::string& word : words) {
      if (!word.starts_with("-")) continue;
      const std::string name = word.substr(0, word.find('='));
      const auto has = [&](const OptionDoc& o) { return std::ranges::count(o.names(), name) > 0; };
      if (std::ranges::none_of(command->options, has) && std::ranges::none_of(program.global.options, has))
        return fmt::format("example '{}': {} has no option {}", example.command, command->name, name);
    }
  }
  return {};
}

std::string generate_man(const ProgramDoc& program) {
  std::string text = fmt::format(
      ".\\\" Generated by `{0} --generate man` from the command-line definitions of {0} {1}.\n"
      ".\\\" Do not edit: see docs/man-and-completions.md.\n"
      ".TH {2} 1 \"\" \"{0} {1}\" \"User Commands\"\n.nh\n.ad l\n",
      program.name, roff(program.version), upper(program.name));
  text += fmt::format(".SH NAME\n{} \\- {}\n", roff(program.name), roff(program.summary));
  text += synopsis(program);
  text += description(program);
  text += commands(program);
  text += exit_status(program);
  text += environment(program);
  text += examples();
  text += ".SH SEE ALSO\n.BR file (1),\n.BR readelf (1),\n.BR ldd (1)\n";
  text += fmt::format(".SH VERSION\nThis page describes {} {}; {} prints the version installed.\n", roff(program.name),
                      roff(program.version), bold(program.name + " --version"));
  return text;
}

}  // namespace enoexec::cli
