// What GNU env (coreutils >= 8.30) does with the one argument a "#!/usr/bin/env ..." line gives
// it: which options it takes, how -S splits, and which command it finally runs. Written from the
// coreutils manual ("env invocation", "-S/--split-string syntax") and checked against env itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace enoexec::script {

// True when the interpreter is an env program: "/usr/bin/env", "/bin/env", "env".
bool is_env(std::string_view interpreter);

enum class EnvResult {
  runs,          // env runs `command` (PATH lookup of command[0])
  needs_split,   // blanks inside one argument and no -S: env cannot do what the line means
  split_error,   // env refuses the -S string
  bad_option,    // env rejects an option and prints its usage
  no_command,    // env is left with only the script's path: it runs the script again, forever
};

struct EnvRun {
  EnvResult result = EnvResult::runs;
  bool split = false;                // -S (or --split-string) was applied
  std::vector<std::string> command;  // program and arguments, without the script's path
  std::string env_error;             // env's own complaint, without its "env: " prefix
};

// `argument`: the kernel's one argument after the env path (nullopt when the line has none).
EnvRun run_env(const std::optional<std::string>& argument);

// `env -S STRING` splitting: words, or env's error message.
tl::expected<std::vector<std::string>, std::string> split_string(std::string_view text);

}  // namespace enoexec::script
