#include "target_options.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "output/json_host.hpp"

namespace enoexec::cli {
namespace {

std::optional<HostInfo> read_host_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    fmt::print(stderr, "enoexec: cannot read {}\n", path);
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto host = host_from_json(text.str());
  if (!host) {
    fmt::print(stderr, "enoexec: {}: {}\n", path, to_string(host.error()));
    return std::nullopt;
  }
  return *host;
}

}  // namespace

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

std::optional<JudgeSetup> make_judge_setup(const TargetArgs& args) {
  JudgeRequest request{args.target, args.root, std::nullopt};
  if (!args.host_file.empty()) {
    request.recorded = read_host_file(args.host_file);
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
