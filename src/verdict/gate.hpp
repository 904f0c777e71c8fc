// The gate CI runs `check` and `scan` as: which problems count (--select, --ignore, like ruff's
// and flake8's) and what fails the run (--fail-on). docs/json.md, "The gate".
//
// A pattern is a rule code or a prefix of one, compared without regard to case: "E_MACHO"
// matches E_MACHO_UNSIGNED, "W_" every warning, "e_wrong_arch" E_WRONG_ARCH. A problem counts
// when it matches a --select pattern (every problem, when none is given) and no --ignore pattern:
// --ignore wins over --select. A problem that does not count is dropped from the verdict before
// anything is printed or counted, and the verdict is recomputed from the problems that remain
// (ignoring E_WRONG_ARCH on an amd64 program judged for arm64 leaves "runs"); `execve` keeps the
// kernel's answer.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/error.hpp"
#include "enoexec/verdict.hpp"

namespace enoexec {

// --fail-on: error (a program fails on the target), warning (or has a warning), never (only a
// usage or I/O error fails the run).
enum class FailOn : std::uint8_t { error, warning, never };

std::optional<FailOn> parse_fail_on(std::string_view text);  // "error", "warning", "never"
std::string_view to_string(FailOn fail_on);

// Whether `verdict` (after ProblemFilter::apply) fails the run at `fail_on`: a "fails" or "unknown" verdict,
// with warning also a problem of severity warning; never nothing.
bool fails_gate(const Verdict& verdict, FailOn fail_on);

// Whether `code` is `pattern` or starts with it, case-insensitively.
bool code_matches(std::string_view pattern, std::string_view code);

class ProblemFilter {
 public:
  void select(std::string pattern) { select_.push_back(std::move(pattern)); }
  void ignore(std::string pattern) { ignore_.push_back(std::move(pattern)); }
  bool empty() const { return select_.empty() && ignore_.empty(); }

  // Whether a problem with this code counts (the rules at the top of this file).
  bool counts(std::string_view code) const;

  // Drops from `verdict` every problem that does not count and recomputes its verdict: fails
  // while a problem of severity error remains, else unknown when the target is not modelled,
  // else emulated when an emulator took the file, else runs (judge()'s own rule, verdict/judge.cpp). Returns the dropped problems' codes, in
  // order.
  std::vector<std::string> apply(Verdict& verdict) const;

 private:
  std::vector<std::string> select_;
  std::vector<std::string> ignore_;
};

// Codes close to a mistyped one, closest first (close_rule_codes() for the rules table).
using CloseCodes = std::function<std::vector<std::string_view>(std::string_view)>;

// The patterns of one option's values: each value split on ',', blanks around items and empty
// items dropped. Every pattern must match at least one code of `known`, else a usage error
// naming the option: "--ignore: E_WRONG_ARH matches no rule (did you mean E_WRONG_ARCH?)".
Result<std::vector<std::string>> parse_code_patterns(std::string_view option,
                                                     const std::vector<std::string>& values,
                                                     std::span<const std::string_view> known,
                                                     const CloseCodes& close);

// The same against the rules table (enoexec/rules.hpp: all_rules(), close_rule_codes()).
Result<std::vector<std::string>> parse_code_patterns(std::string_view option,
                                                     const std::vector<std::string>& values);

// A filter from --select and --ignore values, checked against the rules table.
Result<ProblemFilter> make_problem_filter(const std::vector<std::string>& select,
                                          const std::vector<std::string>& ignore);

}  // namespace enoexec
