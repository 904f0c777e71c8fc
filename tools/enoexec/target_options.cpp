#include "target_options.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "enoexec/targets.hpp"
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

std::optional<HostInfo> target_host(const TargetArgs& args) {
  auto target = parse_target(args.target);
  if (!target) {
    fmt::print(stderr, "enoexec: --target: {}\n", target.error().what);
    return std::nullopt;
  }
  if (args.root.empty()) return host_of(*target);
  return host_of(*target, probe_host(args.root));
}

}  // namespace

void add_target_options(CLI::App& cmd, TargetArgs& args) {
  auto* target = cmd.add_option("--target", args.target,
                                "The machine to judge for: a profile (enoexec platforms) or a platform "
                                "in any vocabulary: linux/arm/v6, armv7l, armhf, aarch64-unknown-linux-musl");
  auto* host_file = cmd.add_option("--host-file", args.host_file,
                                   "Judge against a recorded host (enoexec host --json)");
  cmd.add_option("--root", args.root,
                 "A target root file system (sysroot, extracted image, SD card): interpreters, "
                 "libraries and the C library version are read inside it, never outside");
  target->excludes(host_file);
}

std::optional<JudgeSetup> make_judge_setup(const TargetArgs& args) {
  std::optional<HostInfo> host;
  if (!args.host_file.empty()) {
    host = read_host_file(args.host_file);
  } else if (!args.target.empty()) {
    host = target_host(args);
  } else {
    host = probe_host(args.root.empty() ? "/" : args.root);
  }
  if (!host) return std::nullopt;
  JudgeSetup setup{std::move(*host), nullptr};
  if (!args.root.empty()) {
    setup.context = make_root_context(args.root, false);
  } else if (!args.target.empty() || !args.host_file.empty()) {
    setup.context = make_unknown_target_context();
  } else {
    setup.context = make_root_context("/", true);
  }
  return setup;
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
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

}  // namespace enoexec::cli
