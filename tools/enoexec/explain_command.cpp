// `enoexec explain [CODE...]`: a rule of the rules table (src/rules/rules.def) in words: what the
// system does and why, the outcome, where it is written, an example message, the fix and its
// section of docs/rules.md. Without a code, every code with its severity and summary.
#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "enoexec/rules.hpp"
#include "enoexec/version.hpp"
#include "exit_status.hpp"
#include "output/json.hpp"
#include "support/close_matches.hpp"
#include "support/display_text.hpp"

namespace enoexec::cli {
namespace {

struct ExplainOptions {
  std::vector<std::string> codes;
  bool json = false;
};

constexpr std::size_t kWidth = 78;

// `text` in lines of at most kWidth columns (a longer word stands alone), each after `indent`.
std::string wrapped(std::string_view text, std::string_view indent) {
  std::string out, line;
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    const std::string_view word = text.substr(0, space);
    text = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > kWidth) {
      out += fmt::format("{}{}\n", indent, line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + std::string(word);
  }
  if (!line.empty()) out += fmt::format("{}{}\n", indent, line);
  return out;
}

// The fix as a person reads it: the table's generic text, else what the macOS or Windows model
// writes per file, else nothing to do.
std::string_view shown_fix(const RuleInfo& rule) {
  if (!rule.fix.empty()) return rule.fix;
  if (!rule.fix_elsewhere.empty()) return rule.fix_elsewhere;
  return "—";
}

// The rule's section of docs/rules.md, at the address SARIF's helpUri uses (kRulesDocsUrl).
std::string docs_url(const RuleInfo& rule) { return fmt::format("{}#{}", kRulesDocsUrl, rule.anchor); }

std::string explanation(const RuleInfo& rule) {
  std::string out = fmt::format("{} ({}): {}\n", rule.code, to_string(rule.severity), rule.summary);
  out += wrapped(rule.explanation, "  ");
  out += fmt::format("outcome: {}\nsource:  {}\nexample: {}\nfix:     {}\n", rule.outcome, rule.source,
                     rule.example, shown_fix(rule));
  // The toolchain's own fix where it differs: filled for the file's toolchain by `check`.
  if (!rule.fix_go.empty()) out += fmt::format("  go:    {}\n", rule.fix_go);
  if (!rule.fix_c.empty()) out += fmt::format("  c:     {}\n", rule.fix_c);
  if (!rule.fix_rust.empty()) out += fmt::format("  rust:  {}\n", rule.fix_rust);
  out += fmt::format("docs:    {}\n", docs_url(rule));
  return out;
}

nlohmann::ordered_json text_or_null(std::string_view text) {
  return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}

nlohmann::ordered_json to_json(const RuleInfo& rule) {
  return {{"record", "rule"},  // docs/json.md: every object says what it is
          {"code", rule.code},
          {"severity", to_string(rule.severity)},
          {"summary", rule.summary},
          {"outcome", rule.outcome},
          {"explanation", rule.explanation},
          {"source", rule.source},
          {"example", rule.example},
          {"fix", text_or_null(rule.fix)},  // with {placeholders}; null: none in the table
          {"fix_go", text_or_null(rule.fix_go)},  // null: the generic fix
          {"fix_c", text_or_null(rule.fix_c)},
          {"fix_rust", text_or_null(rule.fix_rust)},
          {"fix_per_file", text_or_null(rule.fix_elsewhere)},  // written per file (macOS, Windows)
          {"docs", docs_url(rule)}};
}

// Every code, its severity and summary, in columns.
void print_listing() {
  std::size_t width = 0;
  for (const RuleInfo& rule : all_rules()) width = std::max(width, rule.code.size());
  for (const RuleInfo& rule : all_rules())
    fmt::print("{:<{}}  {:<7}  {}\n", rule.code, width, to_string(rule.severity), rule.summary);
}

// The row of `code`, matched without case.
const RuleInfo* lookup(std::string code) {
  std::transform(code.begin(), code.end(), code.begin(),
                 [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
  return find_rule(code);
}

void print_unknown(const std::string& code) {
  std::vector<std::string> close;
  for (const std::string_view match : close_rule_codes(code)) close.emplace_back(match);
  const std::string hint = close.empty() ? "'enoexec explain' lists them" : did_you_mean(close);
  fmt::print(stderr, "enoexec: unknown rule code '{}'; {}\n", escape_for_display(code), hint);
}

int run_explain(const ExplainOptions& options) {
  if (options.codes.empty()) {
    if (!options.json) print_listing();
    for (const RuleInfo& rule : all_rules())
      if (options.json) fmt::print("{}\n", to_json_line(to_json(rule)));
    return 0;
  }
  int status = 0;
  bool first = true;
  for (const std::string& code : options.codes) {
    const RuleInfo* rule = lookup(code);
    if (rule == nullptr) {
      print_unknown(code);
      status = 2;
      continue;
    }
    if (options.json) {
      fmt::print("{}\n", to_json_line(to_json(*rule)));
    } else {
      fmt::print("{}{}", first ? "" : "\n", explanation(*rule));
      first = false;
    }
  }
  return status;
}

}  // namespace

Command add_explain_command(CLI::App& app) {
  auto options = std::make_shared<ExplainOptions>();
  auto* cmd = app.add_subcommand(
      "explain", "Explain rule codes (E_WRONG_ARCH, ...): why the system does it, and the fix; "
                 "without a code, list them");
  cmd->add_option("codes", options->codes, "Rule codes, in any case (docs/rules.md)")->type_name("CODE");
  cmd->add_flag("--json", options->json, "JSON Lines: one object per rule");
  set_exit_statuses(*cmd, {{0, "every code was explained, or the list was printed"},
                           {2, "a code is not a rule code, or a usage error"}});
  return {cmd, [options] { return run_explain(*options); }};
}

}  // namespace enoexec::cli
