// The rules table: one row per rule code the verdict can report (docs/rules.md), with its
// severity, what the system does and why, where that is written, and the fix texts. The rows
// live in src/rules/rules.def; the verdict, the SARIF printer and `enoexec explain` read them.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace enoexec {

// error: it will not run; warning: it may not; info: a note that decides nothing.
enum class RuleSeverity { error, warning, info };

// "error", "warning", "info": as Problem::severity and docs/rules.md spell them.
std::string_view to_string(RuleSeverity severity);

struct RuleInfo {
  std::string_view code;         // "E_WRONG_ARCH": E_ error, W_ warning, I_ info
  RuleSeverity severity = RuleSeverity::error;
  std::string_view summary;      // one line, no final full stop
  std::string_view outcome;      // "execve: ENOEXEC", "killed by SIGSEGV", "exit 127", "—"
  std::string_view explanation;  // what the kernel, loader or OS does, and why (a few sentences)
  std::string_view source;       // where that behaviour is written: "fs/exec.c do_open_execat"
  std::string_view example;      // a message as `enoexec check` prints it
  // Fix texts with {placeholders} (src/verdict/fixes.cpp fills them); "" = none, and for go, c
  // and rust "" = the generic one. c covers C and C++ (gcc, clang).
  std::string_view fix;
  std::string_view fix_go;
  std::string_view fix_c;
  std::string_view fix_rust;
  // For rules whose fix the macOS or Windows model writes per file (darwin_exec.cpp,
  // windows_exec.cpp, artifact_name.cpp): what that fix is, for people. "" otherwise.
  std::string_view fix_elsewhere;
  std::string_view anchor;  // the section of docs/rules.md: "docs/rules.md#" + anchor
};

// Every rule, in the order docs/rules.md lists them.
std::span<const RuleInfo> all_rules();

// The row of `code` (exact spelling, upper case), or nullptr.
const RuleInfo* find_rule(std::string_view code);

// Codes close to a mistyped one (case-insensitive edit distance, as every did-you-mean of
// enoexec measures it): "E_WRONG_ARH" -> {"E_WRONG_ARCH"}. Empty when nothing is close or when
// `wrong` is a code.
std::vector<std::string_view> close_rule_codes(std::string_view wrong);

}  // namespace enoexec
