#include "formats/script/findings.hpp"

#include <fmt/format.h>

#include "formats/script/text.hpp"

namespace enoexec::script::finding {
namespace {

constexpr std::string_view DOS2UNIX = "convert the file to Unix line endings (dos2unix)";

// What happens after ENOEXEC on a text file (linux-exec.md section 7, measured).
constexpr std::string_view SHELLS_RUN_IT =
    "bash, dash, zsh and busybox sh then run the file as a shell script themselves and fish "
    "hands it to /bin/sh, but anything that calls execve directly (Docker, systemd, a program) "
    "fails";

bool ends_with_cr(std::string_view text) { return !text.empty() && text.back() == '\r'; }

std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The end of a long string, for messages: "...<last `keep` bytes>".
std::string tail(std::string_view text, std::size_t keep) {
  if (text.size() <= keep) return quoted(text);
  return fmt::format("\"...{}\"", escape_for_display(text.substr(text.size() - keep)));
}

std::string head(std::string_view text, std::size_t keep) {
  if (text.size() <= keep) return quoted(text);
  return fmt::format("\"{}...\"", escape_for_display(text.substr(0, keep)));
}

}  // namespace

ScriptFinding no_shebang(std::optional<std::uint64_t> late_shebang) {
  const std::string lead =
      late_shebang ? fmt::format("\"#!\" appears at offset {}, after blank space, but the kernel "
                                 "only looks for it at bytes 0-1",
                                 *late_shebang)
                   : std::string("the file does not start with \"#!\"");
  return {"no-shebang",
          fmt::format("{}: execve fails with ENOEXEC (\"Exec format error\"); {}", lead, SHELLS_RUN_IT)};
}

ScriptFinding bom(std::string_view first_word) {
  const std::string command = "\\ufeff" + escape_for_display(first_word);
  return {"bom",
          fmt::format("a UTF-8 byte-order mark (EF BB BF) comes before \"#!\", so the kernel does not "
                      "see \"#!\" at bytes 0-1: execve fails with ENOEXEC; bash then runs the file as "
                      "a shell script, where line 1 fails (\"{0}: No such file or directory\") and the "
                      "rest runs under bash, dash prints \"{0}: not found\" and goes on, mksh refuses "
                      "(\"not executable: magic EFBB\"); save the file without the BOM",
                      command)};
}

ScriptFinding nul_in_line(std::uint64_t offset, const KernelLine& kernel) {
  std::string effect;
  if (kernel.verdict == KernelVerdict::opens_interpreter) {
    effect = kernel.argument
                 ? fmt::format("interpreter {}, argument {}", quoted(kernel.interpreter), quoted(*kernel.argument))
                 : fmt::format("interpreter {}, no argument", quoted(kernel.interpreter));
    effect = fmt::format(" ({})", effect);
  }
  return {"nul-in-line",
          fmt::format("the \"#!\" line holds a NUL byte at offset {}: the kernel reads the interpreter "
                      "and its argument as C strings, so nothing from the NUL on counts{}",
                      offset, effect)};
}

ScriptFinding empty_interpreter(bool opens_empty_path) {
  if (opens_empty_path)
    return {"empty-interpreter",
            "\"#!\" names no interpreter and is followed by a NUL byte or the end of the file "
            "instead of a newline: the kernel opens the empty path, which is the caller's current "
            "directory, and execve fails with EACCES (\"Permission denied\")"};
  return {"empty-interpreter",
          fmt::format("\"#!\" names no interpreter (only blanks before the line end): execve fails "
                      "with ENOEXEC (\"Exec format error\"); {}",
                      SHELLS_RUN_IT)};
}

ScriptFinding interpreter_path_truncated(const KernelLine& whole, std::size_t buffer_size) {
  const std::string path =
      whole.verdict == KernelVerdict::opens_interpreter
          ? fmt::format("{}, {} bytes", head(whole.interpreter, 48), whole.interpreter.size())
          : std::string("longer than the buffer");
  return {"interpreter-path-truncated",
          fmt::format("the \"#!\" line has no newline within the kernel's {}-byte buffer and no blank "
                      "after the interpreter path, so the kernel takes the path ({}) to be cut short: "
                      "execve fails with ENOEXEC (Linux 5.0 and later; older kernels ran the cut path); "
                      "bash then runs the file as a bash script, where the \"#!\" line is a comment",
                      buffer_size, path)};
}

ScriptFinding crlf(const KernelLine& kernel, const std::optional<EnvRun>& env) {
  const std::string lead = "the line ends in \"\\r\\n\" (Windows line endings)";
  if (ends_with_cr(kernel.interpreter))
    return {"crlf",
            fmt::format("{0}: the kernel looks for the interpreter {1}, carriage return included, and "
                        "execve fails with ENOENT; bash prints \"cannot execute: required file not "
                        "found\", zsh \"bad interpreter: {2}^M: no such file or directory\", fish \"The "
                        "file uses Windows line endings (\\r\\n)\"; {3}",
                        lead, quoted(kernel.interpreter),
                        escape_for_display(kernel.interpreter.substr(0, kernel.interpreter.size() - 1)),
                        DOS2UNIX)};
  if (env && env->split)
    return {"crlf", fmt::format("{}: env -S reads the \"\\r\" as a blank, so this line works, but the "
                                "other lines keep their \"\\r\", which shells and many interpreters "
                                "do not accept; {}",
                                lead, DOS2UNIX)};
  const std::string argument = kernel.argument.value_or("");
  if (env && !env->command.empty() && ends_with_cr(env->command.front()))
    return {"crlf",
            fmt::format("{0}: env looks for a program named {1}, carriage return included: \"{2}: "
                        "'{3}': No such file or directory\", then \"{2}: use -[v]S to pass options "
                        "in shebang lines\" (exit 127); {4}",
                        lead, quoted(env->command.front()), escape_for_display(kernel.interpreter),
                        escape_for_display(env->command.front()), DOS2UNIX)};
  const std::string example =
      base_name(kernel.interpreter).substr(0, 4) == "bash" && argument.size() > 1 && argument[0] == '-'
          ? " (bash rejects it: \"-: invalid option\")"
          : "";
  return {"crlf",
          fmt::format("{}: the kernel runs {} with the argument {}, carriage return included{}; {}",
                      lead, quoted(kernel.interpreter), quoted(argument), example, DOS2UNIX)};
}

ScriptFinding relative_interpreter(std::string_view interpreter) {
  return {"relative-interpreter",
          fmt::format("the interpreter {0} is not an absolute path: the kernel resolves it against the "
                      "current directory of whoever runs the script, so it runs only where "
                      "\"./{1}\" exists (elsewhere execve fails with ENOENT); write the full path, or "
                      "\"#!/usr/bin/env {1}\" to search PATH",
                      quoted(interpreter), escape_for_display(interpreter))};
}

ScriptFinding argument_truncated(const KernelLine& kernel, const KernelLine& whole,
                                 std::size_t buffer_size) {
  const std::string got = kernel.argument.value_or("");
  const std::string wanted = whole.argument.value_or("");
  return {"argument-truncated",
          fmt::format("the \"#!\" line is longer than the kernel's {}-byte buffer: the interpreter runs, "
                      "but its argument is cut to {} of its {} bytes and ends in {}; the rest of the "
                      "line is dropped",
                      buffer_size, got.size(), wanted.size(), tail(got, 24))};
}

ScriptFinding old_kernel_buffer(const KernelLine& old, std::size_t line_length) {
  const std::string lead = fmt::format(
      "the \"#!\" line is {} bytes long and kernels before 5.1 read only the first {} bytes",
      line_length, OLD_BINPRM_BUF_SIZE);
  if (old.verdict == KernelVerdict::opens_interpreter)
    return {"old-kernel-buffer",
            fmt::format("{}: there the argument is cut to {} bytes", lead, old.argument.value_or("").size())};
  return {"old-kernel-buffer",
          fmt::format("{}: there the interpreter path is cut, so execve fails with ENOEXEC (5.0 and its "
                      "stable backports) or runs a cut path (older kernels)",
                      lead)};
}

std::optional<ScriptFinding> env(std::string_view env_path,
                                 const std::optional<std::string>& argument, const EnvRun& run) {
  const std::string path = escape_for_display(env_path);
  const std::string given = quoted(argument.value_or(""));
  switch (run.result) {
    case EnvResult::runs: return std::nullopt;
    case EnvResult::needs_split:
      return ScriptFinding{
          "env-needs-S",
          fmt::format("the kernel gives env {0} as ONE argument, and env without -S does not split it: "
                      "\"{1}: {2}\", then \"{1}: use -[v]S to pass options in shebang lines\" "
                      "(exit {3}); write \"#!{1} -S {4}\"",
                      given, path, escape_for_display(run.env_error),
                      run.env_error.rfind("invalid option", 0) == 0 ? 125 : 127,
                      escape_for_display(argument.value_or("")))};
    case EnvResult::split_error:
      return ScriptFinding{"env-split-error",
                           fmt::format("env -S cannot split {}: \"{}: {}\" (exit 125)", given, path,
                                       escape_for_display(run.env_error))};
    case EnvResult::bad_option:
      return ScriptFinding{"env-bad-option",
                           fmt::format("env rejects the options in {}: \"{}: {}\" (exit 125)", given,
                                       path, escape_for_display(run.env_error))};
    case EnvResult::no_command:
      return ScriptFinding{
          "env-no-command",
          fmt::format("env is left with no command but the script's own path{}, so it runs the "
                      "script again, which starts env again: the script re-executes itself forever",
                      run.env_error.empty() ? "" : fmt::format(" ({})", run.env_error))};
  }
  return std::nullopt;
}

}  // namespace enoexec::script::finding
