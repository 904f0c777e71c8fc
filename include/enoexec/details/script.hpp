// Facts read from a script's first line, as Linux's binfmt_script reads it. Filled in by formats/script.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace enoexec {

// One defect of the "#!" line. `code` is stable ("crlf", "env-needs-S", ...); `message` says what
// the kernel (and env or the shells) do with the line, in their own words.
struct ScriptFinding {
  std::string code;
  std::string message;
};

struct ScriptDetails {
  // Exactly the path the kernel opens (a CRLF line keeps its "\r"); nullopt when the kernel
  // declines the file (ENOEXEC: no "#!", a BOM, no interpreter, a cut interpreter path).
  std::optional<std::string> interpreter;
  // The ONE argument the kernel passes after the interpreter (internal blanks kept), if any.
  std::optional<std::string> interpreter_args;
  // When the interpreter is env: the command env runs (program, then its arguments; the script's
  // path follows them). Split as `env -S` splits when -S is given, else the argument is ONE name.
  // A ${NAME} is left as written: its value is only known where the script runs.
  std::optional<std::vector<std::string>> env_command;
  std::string line;                 // the first line as the kernel reads it, escaped for display
  std::uint32_t buffer_size = 256;  // BINPRM_BUF_SIZE since Linux 5.1
  std::optional<std::string> kernel_error;  // "ENOEXEC", "EACCES" when known from the bytes alone
  std::vector<ScriptFinding> findings;
};

}  // namespace enoexec
