#include "output/sarif.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "enoexec/rules.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view SCHEMA =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
constexpr std::string_view SRCROOT = "%SRCROOT%";
constexpr std::size_t MAX_NOTIFICATIONS = 1000;  // entries not read, listed; the rest counted

std::string dump(const Json& json) { return json.dump(-1, ' ', false, Json::error_handler_t::replace); }

// A fix text for people: its {placeholders} (filled per file by src/verdict/fixes.cpp) as <name>.
std::string generic_fix(const RuleInfo& rule) {
  std::string text(rule.fix.empty() ? rule.fix_elsewhere : rule.fix);
  for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string::npos) break;
    text[open] = '<';
    text[close] = '>';
  }
  return text;
}

// Text as Markdown shows it verbatim: the characters that would start emphasis, code, links or
// HTML backslash-escaped (CommonMark).
std::string markdown_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::string_view("\\`*_[]<>").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// A reportingDescriptor from the rules table: the summary, the explanation with where it is
// written and the fix, the docs link (`help_uri` + "#" + the rule's section). A code the table
// does not know still gets a rule.
Json sarif_rule(const std::string& code, const std::string& help_uri) {
  const RuleInfo* rule = find_rule(code);
  const bool warning = rule ? rule->severity == RuleSeverity::warning : code.starts_with("W_");
  const bool note = rule ? rule->severity == RuleSeverity::info : code.starts_with("I_");
  std::string link = help_uri;
  if (!link.empty() && rule && !rule->anchor.empty()) link += fmt::format("#{}", rule->anchor);
  Json json{{"id", code}};
  if (!rule) {
    json["shortDescription"] = Json{{"text", fmt::format("enoexec rule {}", code)}};
  } else {
    const std::string_view explanation = rule->explanation.empty() ? rule->summary : rule->explanation;
    std::string text(explanation);
    std::string markdown = fmt::format("**{}**: {}\n\n{}", rule->code, markdown_escape(rule->summary),
                                       markdown_escape(explanation));
    if (!rule->source.empty()) {
      text += fmt::format("\n\nWhere it is decided: {}", rule->source);
      markdown += fmt::format("\n\nWhere it is decided: {}", markdown_escape(rule->source));
    }
    if (const std::string fix = generic_fix(*rule); !fix.empty()) {
      text += fmt::format("\n\nFix: {}", fix);
      markdown += fmt::format("\n\n**Fix**: {}", markdown_escape(fix));
    }
    if (!link.empty()) markdown += fmt::format("\n\n[{} in docs/rules.md](<{}>)", rule->code, link);
    json["shortDescription"] = Json{{"text", rule->summary}};
    json["fullDescription"] = Json{{"text", explanation}};
    json["help"] = Json{{"text", text}, {"markdown", markdown}};
  }
  if (!link.empty()) json["helpUri"] = link;
  json["defaultConfiguration"] = Json{{"level", note ? "note" : warning ? "warning" : "error"}};
  return json;
}

// The folder locations are relative to: absolute and normalised as given, and with its symlinks
// resolved (a checkout reached through a link is found either way).
struct Base {
  std::filesystem::path cwd;      // the current directory, once: relative result paths are under it
  std::filesystem::path lexical;  // absolute, normalised, no trailing '/'
  std::filesystem::path real;     // `lexical` with its symlinks resolved
  std::string uri;                // "file:///abs/dir/", for originalUriBaseIds
};

std::filesystem::path without_trailing_separator(std::filesystem::path path) {
  return path.has_relative_path() && !path.has_filename() ? path.parent_path() : path;
}

Base make_base(const std::string& given) {
  Base base;
  std::error_code ec;
  base.cwd = std::filesystem::current_path(ec);
  const std::filesystem::path dir = given.empty() ? base.cwd : std::filesystem::path(given);
  base.lexical = without_trailing_separator((dir.is_absolute() ? dir : base.cwd / dir).lexically_normal());
  base.real = std::filesystem::weakly_canonical(base.lexical, ec);
  if (ec || base.real.empty()) base.real = base.lexical;
  base.real = without_trailing_separator(base.real);
  std::string text = base.lexical.string();
  if (text.empty() || text.back() != '/') text += '/';
  base.uri = "file://" + uri_escape(text);
  return base;
}

// `path` below `dir`, as "a/b"; nullopt when it is not strictly below.
std::optional<std::string> below(const std::filesystem::path& path, const std::filesystem::path& dir) {
  const std::filesystem::path rest = path.lexically_relative(dir);
  if (rest.empty() || rest == "." || *rest.begin() == "..") return std::nullopt;
  return rest.generic_string();
}

// A relative URI (uriBaseId %SRCROOT%) for a path below the base, else an absolute file:// URI.
Json artifact_location(const Base& base, const std::string& given) {
  const std::filesystem::path path(given);
  const std::filesystem::path absolute = (path.is_absolute() ? path : base.cwd / path).lexically_normal();
  std::optional<std::string> relative = below(absolute, base.lexical);
  if (!relative) relative = below(absolute, base.real);
  if (!relative && absolute.has_parent_path()) {
    // Through a symlink to the base (or out of it): the folder resolved, the name kept.
    std::error_code ec;
    const std::filesystem::path folder = std::filesystem::weakly_canonical(absolute.parent_path(), ec);
    if (!ec) relative = below(folder / absolute.filename(), base.real);
  }
  if (relative) return Json{{"uri", uri_escape(*relative)}, {"uriBaseId", SRCROOT}};
  return Json{{"uri", "file://" + uri_escape(absolute.string())}};
}

Json location(const Base& base, const std::string& path) {
  return Json::array({Json{{"physicalLocation", Json{{"artifactLocation", artifact_location(base, path)}}}}});
}

class SarifScanPrinter final : public ScanPrinter {
 public:
  SarifScanPrinter(std::FILE* out, ScanPrintOptions options, SarifOptions sarif)
      : out_(out), options_(std::move(options)), sarif_(std::move(sarif)), base_(make_base(sarif_.base)) {}

  // Problems become results (those of level note only with `notes`); an entry that could not be
  // read becomes a notification.
  void render(ScanResult& result) const override {
    summarize(result);
    result.text.clear();
    result.rule_codes.clear();
    if (result.failed) {
      const std::string what = result.report && result.report->error ? *result.report->error : result.note;
      result.text = dump(Json{{"level", "error"},
                              {"message", Json{{"text", fmt::format("{}: {}", result.path, what)}}},
                              {"locations", location(base_, result.path)}});
      return;
    }
    if (!result.verdict || !is_shown(result, options_)) return;
    for (const Problem& problem : result.verdict->problems) {
      const std::string_view level = sarif_level(problem.severity);
      if (level == "note" && !sarif_.notes) continue;
      std::string text = problem.message;
      if (!problem.fix.empty()) text += "\nFix: " + problem.fix;
      Json item{{"ruleId", problem.code},
                {"level", level},
                {"message", Json{{"text", text}}},
                {"locations", location(base_, result.path)},
                {"properties", Json{{"outcome", problem.outcome},
                                    {"verdict", to_string(result.verdict->verdict)},
                                    {"execve", result.verdict->execve},
                                    {"target", result.verdict->target}}}};
      if (!result.text.empty()) result.text += ',';  // not `"," + ...`: GCC 12 -O3 -Wrestrict
      result.text += dump(item);
      result.rule_codes.push_back(problem.code);
    }
  }

  bool write(const ScanResult& result) override {
    tally_.add(result, options_);
    if (!begin()) return false;
    if (result.failed) {
      if (notifications_.size() < MAX_NOTIFICATIONS) notifications_.push_back(result.text);
      return true;
    }
    for (const std::string& code : result.rule_codes)
      if (std::find(rules_.begin(), rules_.end(), code) == rules_.end()) rules_.push_back(code);
    if (result.text.empty()) return true;
    if (results_written_++ > 0) std::fputc(',', out_);
    std::fwrite(result.text.data(), 1, result.text.size(), out_);
    return std::ferror(out_) == 0;
  }

  bool finish(const ScanStats& stats) override {
    if (!begin()) return false;
    std::string tail = "],";
    const std::string run = dump(Json{{"tool", tool()},
                                      {"originalUriBaseIds", base_ids()},
                                      {"invocations", Json::array({invocation(stats)})}});
    tail += run.substr(1);  // the object's members, after the results already written
    tail += "]}\n";
    std::fwrite(tail.data(), 1, tail.size(), out_);
    return std::fflush(out_) == 0 && std::ferror(out_) == 0;
  }

  const ScanTally& tally() const override { return tally_; }
  void add_not_candidates(std::uint64_t count) override { tally_.not_candidates += count; }

 private:
  bool begin() {
    if (begun_) return true;
    begun_ = true;
    const std::string head = fmt::format(R"({{"$schema":"{}","version":"2.1.0","runs":[{{"results":[)", SCHEMA);
    std::fwrite(head.data(), 1, head.size(), out_);
    return std::ferror(out_) == 0;
  }

  Json tool() const {
    Json rules = Json::array();
    for (const std::string& code : rules_) rules.push_back(sarif_rule(code, sarif_.help_uri));
    return Json{{"driver", Json{{"name", "enoexec"}, {"version", sarif_.version}, {"rules", rules}}}};
  }

  // %SRCROOT%: the base, for consumers that resolve relative URIs through it (code scanning reads
  // them as relative to the repository root, which the base is meant to be).
  Json base_ids() const { return Json{{SRCROOT, Json{{"uri", base_.uri}}}}; }

  Json invocation(const ScanStats& stats) const {
    Json notes = Json::array();
    for (const std::string& text : notifications_) notes.push_back(Json::parse(text));
    Json invocation{{"executionSuccessful", tally_.errors == 0}};
    if (!notes.empty()) invocation["toolExecutionNotifications"] = notes;
    invocation["properties"] = Json{{"target", options_.target},
                                    {"directories", stats.directories},
                                    {"files", stats.files},
                                    {"candidates", tally_.candidates},
                                    {"runs", tally_.verdicts.runs},
                                    {"emulated", tally_.verdicts.emulated},
                                    {"fails", tally_.verdicts.fails},
                                    {"unknown", tally_.verdicts.unknown},
                                    {"warnings", tally_.warned},
                                    {"errors", tally_.errors}};
    return invocation;
  }

  std::FILE* out_;
  ScanPrintOptions options_;
  SarifOptions sarif_;
  Base base_;
  ScanTally tally_;
  bool begun_ = false;
  std::uint64_t results_written_ = 0;
  std::vector<std::string> rules_;          // rule codes in the order first met
  std::vector<std::string> notifications_;  // rendered notification objects
};

}  // namespace

std::string_view sarif_level(std::string_view severity) {
  if (severity == "error") return "error";
  if (severity == "warning") return "warning";
  return "note";
}

bool is_absolute_uri(std::string_view uri) {
  const std::size_t colon = uri.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(uri[0])) return false;
  for (const char c : uri.substr(1, colon - 1))
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  // Neither blanks nor controls nor what RFC 3986 leaves out of URIs; no '#' either.
  constexpr std::string_view excluded = "#\"<>\\^`{|}";
  for (const char c : uri.substr(colon + 1))
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || excluded.find(c) != std::string_view::npos)
      return false;
  return true;
}

std::string uri_escape(std::string_view path) {
  // ':' is escaped too: in a relative reference's first segment it would read as a scheme.
  constexpr std::string_view keep = "-._~!$&'()*+,;=@/";
  std::string out;
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || keep.find(c) != std::string_view::npos) out += c;
    else out += fmt::format("%{:02X}", byte);
  }
  return out;
}

std::unique_ptr<ScanPrinter> make_sarif_scan_printer(std::FILE* out, ScanPrintOptions options,
                                                     SarifOptions sarif) {
  return std::make_unique<SarifScanPrinter>(out, std::move(options), std::move(sarif));
}

}  // namespace enoexec
