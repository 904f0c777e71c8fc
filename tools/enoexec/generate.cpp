// The model the generators render: read from the CLI11 App (never a list of options of its own)
// and from the library's tables of profiles and platforms.
#include "generate.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include <fmt/format.h>

#include "enoexec/platform.hpp"
#include "enoexec/targets.hpp"
#include "enoexec/version.hpp"
#include "exit_status.hpp"
#include "platform/tables.hpp"

namespace enoexec::cli {
namespace {

// "TEXT:{error,warning}" -> "TEXT", "{error,warning}"; a ':' inside braces does not split.
std::vector<std::string> type_name_parts(const std::string& type_name) {
  std::vector<std::string> parts(1);
  int depth = 0;
  for (const char c : type_name) {
    if (c == '{') ++depth;
    if (c == '}' && depth > 0) --depth;
    if (c == ':' && depth == 0) {
      parts.emplace_back();
      continue;
    }
    parts.back() += c;
  }
  return parts;
}

// "{error,warning}" (CLI::IsMember's description) -> error, warning.
std::vector<std::string> choices_of(const std::string& part) {
  std::vector<std::string> choices;
  if (part.size() < 2 || part.front() != '{' || part.back() != '}') return choices;
  std::string word;
  for (const char c : part.substr(1, part.size() - 2)) {
    if (c == ',') {
      choices.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  choices.push_back(word);
  return choices;
}

// The value names the command files give their options decide how a value is completed.
ValueKind kind_of(std::string_view value_name, bool has_choices) {
  if (has_choices) return ValueKind::choice;
  if (value_name == "TARGET") return ValueKind::target;
  if (value_name == "DIR") return ValueKind::directory;
  if (value_name == "FILE" || value_name == "PATH" || value_name.ends_with(".json")) return ValueKind::file;
  return ValueKind::text;
}

// Mirrors CLI11's help formatter: a type name and default only for options that take a value.
OptionDoc describe_option(const CLI::Option& option) {
  OptionDoc doc;
  for (const std::string& name : option.get_snames()) doc.shorts.push_back("-" + name);
  for (const std::string& name : option.get_lnames()) doc.longs.push_back("--" + name);
  doc.description = option.get_description();
  doc.repeatable = option.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll ||
                   option.get_items_expected_max() > 1;
  for (const CLI::Option* other : option.get_excludes()) doc.excludes.push_back(other->get_name());
  std::sort(doc.excludes.begin(), doc.excludes.end());
  if (option.get_expected_max() == 0 || option.get_type_size() == 0) return doc;  // a flag
  const std::vector<std::string> parts = type_name_parts(option.get_type_name());
  doc.value_name = parts.front();
  for (std::size_t i = 1; i < parts.size() && doc.choices.empty(); ++i) doc.choices = choices_of(parts[i]);
  doc.default_value = option.get_default_str();
  doc.kind = kind_of(doc.value_name, !doc.choices.empty());
  return doc;
}

PositionalDoc describe_positional(const CLI::Option& option) {
  PositionalDoc doc;
  const std::vector<std::string> parts = type_name_parts(option.get_type_name());
  doc.name = parts.front();
  if (doc.name.empty() || doc.name == "TEXT") {
    doc.name = option.get_name(true);
    for (char& c : doc.name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  doc.description = option.get_description();
  doc.required = option.get_required();
  doc.repeatable = option.get_items_expected_max() > 1;
  doc.kind = kind_of(doc.name, false);
  return doc;
}

void read_footer(const std::string& footer, CommandDoc& doc) {
  bool in_statuses = false;
  std::size_t start = 0;
  while (start <= footer.size()) {
    std::size_t end = footer.find('\n', start);
    if (end == std::string::npos) end = footer.size();
    const std::string_view line = std::string_view(footer).substr(start, end - start);
    start = end + 1;
    if (line == kExitStatusHeading) {
      in_statuses = true;
      continue;
    }
    if (in_statuses) {
      if (auto status = parse_exit_status_line(line)) {
        doc.exit_statuses.push_back({status->first, std::move(status->second)});
        continue;
      }
      in_statuses = false;
    }
    if (!line.empty()) doc.footer.emplace_back(line);
  }
}

CommandDoc describe_command(const CLI::App& app, std::vector<std::string>& environment) {
  CommandDoc doc;
  doc.name = app.get_parent() != nullptr ? app.get_name() : std::string();
  doc.description = app.get_description();
  for (const CLI::Option* option : app.get_options()) {
    if (!option->get_envname().empty()) environment.push_back(option->get_envname());
    if (option->get_positional() && !option->nonpositional()) {
      doc.positionals.push_back(describe_positional(*option));
    } else if (!option->get_group().empty()) {  // an empty group hides an option from --help
      doc.options.push_back(describe_option(*option));
      doc.options.back().stops = option == app.get_help_ptr() || option == app.get_version_ptr();
    }
  }
  read_footer(app.get_footer(), doc);
  return doc;
}

std::string platform_description(const Platform& platform) {
  const PlatformNames names = names_of(platform);
  std::vector<std::string> others;
  if (!names.uname_m.empty()) others.push_back(names.uname_m);
  if (!names.debian.empty() && names.debian != names.uname_m) others.push_back(names.debian);
  std::string text = "platform";
  for (std::size_t i = 0; i < others.size(); ++i) text += fmt::format("{}{}", i == 0 ? " (" : ", ", others[i]);
  return others.empty() ? text : text + ")";
}

// Go's ports at their baseline, every architecture Linux runs on (it has a `uname -m` or Debian
// name) at every OCI variant, and the platform of every profile; each written the way to_oci()
// prints what parse_platform() reads.
std::set<std::string> canonical_platforms() {
  std::set<std::string> names;
  const auto add = [&names](Os os, Arch arch, std::string_view variant) {
    if (const auto parsed = parse_platform(to_oci(make_platform(os, arch, std::string(variant)))))
      names.insert(to_oci(*parsed));
  };
  for (const auto& port : platform_table::go_port_rows()) add(port.os, port.arch, "");
  std::set<Arch> on_linux;
  for (const auto& row : platform_table::arch_rows()) {
    if (row.arch == Arch::unknown || (row.uname_m.empty() && row.debian.empty())) continue;
    on_linux.insert(row.arch);
    add(Os::linux, row.arch, row.oci_default);
  }
  for (const auto& row : platform_table::variant_rows())
    if (!row.oci.empty() && on_linux.contains(row.arch)) add(Os::linux, row.arch, row.oci);
  for (const Profile& profile : profiles()) add(profile.platform.os, profile.platform.arch, profile.platform.variant);
  return names;
}

}  // namespace

std::vector<std::string> OptionDoc::names() const {
  std::vector<std::string> all = shorts;
  all.insert(all.end(), longs.begin(), longs.end());
  return all;
}

std::vector<OptionDoc> ProgramDoc::shared_options() const {
  std::vector<OptionDoc> shared;
  for (const OptionDoc& option : global.options)
    if (!option.stops) shared.push_back(option);
  return shared;
}

ProgramDoc describe_program(const CLI::App& app) {
  ProgramDoc program;
  // The installed name, not argv[0] (CLI11 names the App after it): the build may run the
  // program from anywhere, under any name.
  program.name = "enoexec";
  program.version = std::string(kVersion);
  program.summary = app.get_description();
  if (const std::string prefix = program.name + ": "; program.summary.starts_with(prefix))
    program.summary.erase(0, prefix.size());
  program.global = describe_command(app, program.environment);
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); }))
    program.commands.push_back(describe_command(*sub, program.environment));
  // A COMMAND value (`help COMMAND`) is one of the commands.
  for (CommandDoc& command : program.commands)
    for (PositionalDoc& positional : command.positionals) {
      if (positional.name != "COMMAND") continue;
      positional.kind = ValueKind::choice;
      for (const CommandDoc& other : program.commands) positional.choices.push_back(other.name);
    }
  std::sort(program.environment.begin(), program.environment.end());
  program.environment.erase(std::unique(program.environment.begin(), program.environment.end()),
                            program.environment.end());
  return program;
}

std::vector<CompletionWord> target_words() {
  std::vector<CompletionWord> words;
  std::set<std::string> seen;
  const auto add = [&](const std::string& word, const std::string& description) {
    if (seen.insert(word).second) words.push_back({word, description});
  };
  for (const Profile& profile : profiles()) {
    add(profile.id, profile.name);
    for (const std::string& alias : profile.aliases) add(alias, profile.name);
  }
  for (const std::string& name : canonical_platforms()) {
    const auto platform = parse_platform(name);
    add(name, platform ? platform_description(*platform) : "platform");
  }
  return words;
}

void add_generate_option(CLI::App& app, std::string& kind) {
  app.add_option_function<std::string>(
         "--generate",
         [&kind](const std::string& value) {
           kind = value;
           throw CLI::Success();  // no subcommand needed; main() prints the file
         },
         "Print the man page or a shell completion generated from these options")
      ->type_name("KIND")
      ->check(CLI::IsMember({"man", "bash", "zsh", "fish"}))
      ->trigger_on_parse()
      ->group("");  // hidden from --help
}

int print_generated(const CLI::App& app, std::string_view kind) {
  const ProgramDoc program = describe_program(app);
  std::string text;
  if (kind == "man") {
    if (const std::string why = check_examples(program); !why.empty()) {
      fmt::print(stderr, "enoexec: --generate man: {}\n", why);
      return 2;
    }
    text = generate_man(program);
  } else if (kind == "bash") {
    text = generate_bash(program, target_words());
  } else if (kind == "zsh") {
    text = generate_zsh(program, target_words());
  } else {
    text = generate_fish(program, target_words());
  }
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    fmt::print(stderr, "enoexec: --generate {}: cannot write the output\n", kind);
    return 2;
  }
  return 0;
}

}  // namespace enoexec::cli
