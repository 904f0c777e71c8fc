#include "verdict/gate.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "enoexec/rules.hpp"
#include "verdict/rules.hpp"

namespace enoexec {
namespace {

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool any_match(const std::vector<std::string>& patterns, std::string_view code) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& pattern) { return code_matches(pattern, code); });
}

}  // namespace

std::optional<FailOn> parse_fail_on(std::string_view text) {
  if (text == "error") return FailOn::error;
  if (text == "warning") return FailOn::warning;
  if (text == "never") return FailOn::never;
  return std::nullopt;
}

std::string_view to_string(FailOn fail_on) {
  switch (fail_on) {
    case FailOn::error: return "error";
    case FailOn::warning: return "warning";
    case FailOn::never: break;
  }
  return "never";
}

bool fails_gate(const Verdict& verdict, FailOn fail_on) {
  if (fail_on == FailOn::never) return false;
  // Unknown is no "runs": a gate that passed it would vouch for what nobody judged.
  if (verdict.verdict == VerdictKind::fails || verdict.verdict == VerdictKind::unknown) return true;
  return fail_on == FailOn::warning &&
         std::any_of(verdict.problems.begin(), verdict.problems.end(),
                     [](const Problem& problem) { return problem.severity == "warning"; });
}

bool code_matches(std::string_view pattern, std::string_view code) {
  if (pattern.empty() || pattern.size() > code.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i)
    if (upper(pattern[i]) != upper(code[i])) return false;
  return true;
}

bool ProblemFilter::counts(std::string_view code) const {
  if (!select_.empty() && !any_match(select_, code)) return false;
  return !any_match(ignore_, code);
}

std::vector<std::string> ProblemFilter::apply(Verdict& verdict) const {
  std::vector<std::string> dropped;
  if (empty()) return dropped;
  // Dropping problems never makes an undecided verdict known.
  const bool undecided = std::any_of(verdict.problems.begin(), verdict.problems.end(),
                                     [](const Problem& problem) { return verdict::leaves_undecided(problem.code); });
  std::vector<Problem> kept;
  kept.reserve(verdict.problems.size());
  for (Problem& problem : verdict.problems) {
    if (counts(problem.code)) kept.push_back(std::move(problem));
    else dropped.push_back(std::move(problem.code));
  }
  verdict.problems = std::move(kept);
  verdict.verdict = verdict::settle(verdict.problems, undecided, !verdict.emulator.empty());
  return dropped;
}

Result<std::vector<std::string>> parse_code_patterns(std::string_view option,
                                                     const std::vector<std::string>& values,
                                                     std::span<const std::string_view> known,
                                                     const CloseCodes& close) {
  std::vector<std::string> patterns;
  for (const std::string& value : values) {
    std::string_view rest = value;
    while (true) {
      const std::size_t comma = rest.find(',');
      const std::string_view item = trim(rest.substr(0, comma));
      if (!item.empty()) {
        const bool matches = std::any_of(known.begin(), known.end(),
                                         [&](std::string_view code) { return code_matches(item, code); });
        if (!matches) {
          const std::vector<std::string_view> near = close ? close(item) : std::vector<std::string_view>{};
          const std::string hint =
              near.empty() ? std::string(" (docs/rules.md lists the rule codes)")
                           : fmt::format(" (did you mean {}?)", fmt::join(near, ", "));
          return make_error(ErrorCode::malformed, 0,
                            fmt::format("{}: {} matches no rule{}", option, item, hint));
        }
        std::string pattern(item);
        std::transform(pattern.begin(), pattern.end(), pattern.begin(), upper);
        patterns.push_back(std::move(pattern));
      }
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return patterns;
}

Result<std::vector<std::string>> parse_code_patterns(std::string_view option,
                                                     const std::vector<std::string>& values) {
  std::vector<std::string_view> known;
  for (const RuleInfo& rule : all_rules()) known.push_back(rule.code);
  return parse_code_patterns(option, values, known,
                             [](std::string_view wrong) { return close_rule_codes(wrong); });
}

Result<ProblemFilter> make_problem_filter(const std::vector<std::string>& select,
                                          const std::vector<std::string>& ignore) {
  ProblemFilter filter;
  auto selected = parse_code_patterns("--select", select);
  if (!selected) return tl::unexpected(selected.error());
  auto ignored = parse_code_patterns("--ignore", ignore);
  if (!ignored) return tl::unexpected(ignored.error());
  for (std::string& pattern : *selected) filter.select(std::move(pattern));
  for (std::string& pattern : *ignored) filter.ignore(std::move(pattern));
  return filter;
}

}  // namespace enoexec
