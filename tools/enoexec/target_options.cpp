#include "target_options.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <set>

#include "enoexec/targets.hpp"
#include "generate.hpp"
#include "host/host_json.hpp"
#include "support/close_matches.hpp"
#include "support/display_text.hpp"

namespace enoexec::cli {
namespace {

// A --host-file may be anyone's: reading stops once it passes limits.json_bytes (by at most one
// chunk), and host_from_json refuses a larger or too deeply nested one before parsing it.
std::optional<HostInfo> read_host_file(const std::string& path, const Limits& limits) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fmt::print(stderr, "enoexec: cannot read {}\n", path);
    return std::nullopt;
  }
  std::string text;
  std::array<char, 65536> chunk{};
  while (in && text.size() <= limits.json_bytes) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
  }
  auto host = host_from_json(text, limits);
  if (!host) {
    fmt::print(stderr, "enoexec: {}: {}\n", path, to_string(host.error()));
    return std::nullopt;
  }
  return *host;
}

ColorChoice g_color = ColorChoice::automatic;  // --color, set as the command line is parsed

// Every name --target accepts that a suggestion may offer: profile ids and aliases, then every
// name of each canonical platform (OCI, Go, uname and uname -m, Debian, GNU and Rust triples).
std::vector<std::string> target_candidates() {
  std::vector<std::string> names;
  std::set<std::string> seen;
  const auto add = [&](const std::string& name) {
    if (seen.insert(name).second) names.push_back(name);
  };
  for (const CompletionWord& word : target_words()) {
    add(word.word);
    if (const auto platform = parse_platform(word.word)) {
      for (const std::string& name : all_names(*platform)) add(name);
      if (const std::string machine = names_of(*platform).uname_m; !machine.empty()) add(machine);  // "aarch64"
    }
  }
  return names;
}

}  // namespace

std::string unknown_target_message(std::string_view text) {
  const auto target = parse_target(text);
  if (target) return {};
  const std::size_t start = std::min(text.find_first_not_of(" \t"), text.size());
  const std::string_view name = text.substr(start, text.find_last_not_of(" \t") + 1 - start);
  const std::vector<std::string> close = close_matches(name, target_candidates());
  if (close.empty()) return escape_for_display(target.error().what);  // says why it names nothing
  return fmt::format("unknown target '{}'; {}", escape_for_display(name), did_you_mean(close));
}

void add_color_option(CLI::App& app) {
  app.add_option_function<std::string>(
         "--color",
         [](const std::string& value) {
           if (const auto choice = parse_color_choice(value)) g_color = *choice;
         },
         "Colour the verdicts and problems: 'auto' (on a terminal, unless NO_COLOR is set or TERM is "
         "dumb), 'always' or 'never'. JSON and SARIF are never coloured")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->default_str("auto");
}

Style stdout_style() { return Style(use_color(g_color, terminal_env(STDOUT_FILENO))); }

// A --root or --host-file that is not there is a usage error (exit 2), never a verdict on an
// empty machine. The validators' own descriptions are dropped so that --help keeps the value
// names (DIR, FILE) the man page and the completions are generated from.
CLI::Validator existing_directory() { return CLI::Validator(CLI::ExistingDirectory).description(""); }
CLI::Validator existing_file() { return CLI::Validator(CLI::ExistingFile).description(""); }

void add_target_options(CLI::App& cmd, TargetArgs& args) {
  auto* target = cmd.add_option("--target", args.target,
                                "The machine to judge for: a profile (enoexec platforms) or a platform "
                                "in any vocabulary: linux/arm/v6, armv7l, armhf, aarch64-unknown-linux-musl")
                     ->type_name("TARGET");
  auto* host_file = cmd.add_option("--host-file", args.host_file,
                                   "Judge against a recorded host (enoexec host --json)")
                        ->type_name("FILE")
                        ->check(existing_file());
  cmd.add_option("--root", args.root,
                 "A target root file system (sysroot, extracted image, SD card): interpreters, "
                 "libraries and the C library version are read inside it, never outside")
      ->type_name("DIR")
      ->check(existing_directory());
  target->excludes(host_file);
}

std::optional<JudgeSetup> make_judge_setup(const TargetArgs& args, const Limits& limits) {
  if (!args.target.empty()) {
    if (const std::string why = unknown_target_message(args.target); !why.empty()) {
      fmt::print(stderr, "enoexec: {}\n", why);
      return std::nullopt;
    }
  }
  JudgeRequest request{args.target, args.root, std::nullopt};
  if (!args.host_file.empty()) {
    request.recorded = read_host_file(args.host_file, limits);
    if (!request.recorded) return std::nullopt;
  }
  auto setup = enoexec::make_judge_setup(request);
  if (!setup) {
    fmt::print(stderr, "enoexec: --target: {}\n", setup.error().what);
    return std::nullopt;
  }
  return std::move(*setup);
}

void add_limit_option(CLI::App& cmd, Limits& limits) {
  std::string names;
  for (const auto& row : kLimitNames) names += fmt::format("{}{}", names.empty() ? "" : ", ", row.option);
  cmd.add_option_function<std::vector<std::string>>(
         "--limit",
         [&limits](const std::vector<std::string>& values) {
           for (const auto& value : values) {
             if (auto set = set_limit(limits, value); !set) throw CLI::ValidationError("--limit", set.error().what);
           }
         },
         fmt::format("Change a safety limit, NAME=VALUE (repeatable; docs/limits.md): {}", names))
      ->type_name("NAME=VALUE")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

}  // namespace enoexec::cli
