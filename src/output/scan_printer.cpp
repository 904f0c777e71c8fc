#include "output/scan_printer.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "output/human.hpp"
#include "output/json.hpp"
#include "output/json_object.hpp"
#include "output/json_verdict.hpp"
#include "output/style.hpp"
#include "output/verdict_text.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view not_candidate_note = "not a program: no ELF, Mach-O, PE or #! magic";

// Byte-identical to json.dump(-1, ' ', false, replace), as `check --json` prints, only faster.
std::string dump(const Json& json) { return to_json_line(json); }

// " (2 ignored)" after the verdict line of a file some of whose problems --select/--ignore
// dropped: the verdict shown is the one the remaining problems give.
std::string ignored_note(const ScanResult& result) {
  return result.ignored.empty() ? std::string() : fmt::format(" ({} ignored)", result.ignored.size());
}

// `check`'s text for one file: the verdict line, then each problem. Every field is made
// printable before the lines are put together, so a newline in a file name cannot pass for one
// of the printer's own line breaks.
// A verdict on the named profile's platform names it, as `check` does: "rpi-zero (linux/arm/v6)".
std::string verdict_text(const ScanResult& result, const ScanPrintOptions& options, const Style& style) {
  Verdict shown = *result.verdict;
  shown.target = printable(shown.target);
  if (!options.profile.empty() && result.verdict->target == options.target)
    shown.target = fmt::format("{} ({})", printable(options.profile), shown.target);
  shown.emulator = printable(shown.emulator);
  for (Problem& problem : shown.problems) {
    problem.code = printable(problem.code);
    problem.message = printable(problem.message);
    problem.outcome = printable(problem.outcome);
    problem.fix = printable(problem.fix);
  }
  std::string text =
      verdict_line(printable(result.path), shown, style) + ignored_note(result) + "\n" + problem_lines(shown, style);
  text.pop_back();  // write_line() ends the last line
  return text;
}

std::string platform_key(const FileReport& report) {
  if (report.platform && report.platform->arch != Arch::unknown) return to_oci(*report.platform);
  std::vector<std::string> slices;
  for (const FileReport& slice : report.slices) slices.push_back(platform_key(slice));
  if (slices.empty()) return "unknown";
  return fmt::format("{}", fmt::join(slices, "+"));
}

void add_verdict(VerdictCounts& counts, std::string_view kind) {
  if (kind == "runs") ++counts.runs;
  else if (kind == "emulated") ++counts.emulated;
  else if (kind == "unknown") ++counts.unknown;
  else ++counts.fails;
}

bool write_line(std::FILE* out, const std::string& text) {
  if (text.empty()) return true;
  std::fwrite(text.data(), 1, text.size(), out);
  std::fputc('\n', out);
  return std::ferror(out) == 0;
}

class JsonScanPrinter final : public ScanPrinter {
 public:
  JsonScanPrinter(std::FILE* out, ScanPrintOptions options) : out_(out), options_(options) {}

  void render(ScanResult& result) const override {
    summarize(result);
    result.text.clear();
    if (!is_shown(result, options_)) return;
    if (result.outcome == ScanOutcome::candidate && result.report) {
      // The same object as `check --json` prints for the file (`inspect --json` without a verdict).
      Json json = result.verdict ? to_json(*result.report, *result.verdict) : to_json(*result.report);
      if (options_.filtered && result.verdict) json["ignored"] = Json(result.ignored);
      result.text = dump(json);
      return;
    }
    // An "entry" record: a directory entry not read (on purpose or not); `type` is its file type.
    JsonObject json(5);
    json.add("record", "entry");
    add_path(json, result.path);
    json.add("type", result.type);
    if (result.outcome == ScanOutcome::error) json.add("error", result.note);
    else json.add("skipped", result.note.empty() ? std::string(not_candidate_note) : result.note);
    result.text = dump(json.done());
  }

  bool write(const ScanResult& result) override {
    tally_.add(result, options_);
    return write_line(out_, result.text);
  }

  bool finish(const ScanStats& stats) override {
    Json summary{{"directories", stats.directories}, {"entries", stats.entries},
                 {"files", stats.files},             {"candidates", tally_.candidates},
                 {"not_candidates", tally_.not_candidates}, {"skipped", tally_.skipped},
                 {"errors", tally_.errors}};
    summary["formats"] = Json(tally_.formats);
    summary["platforms"] = Json(tally_.platforms);
    if (!options_.target.empty()) {
      summary["target"] = options_.target;
      summary["verdicts"] = Json{{"runs", tally_.verdicts.runs},
                                 {"emulated", tally_.verdicts.emulated},
                                 {"fails", tally_.verdicts.fails},
                                 {"unknown", tally_.verdicts.unknown}};
      summary["warnings"] = tally_.warned;
      summary["gate_failures"] = tally_.gate_failures;
      summary["rules"] = Json(tally_.rules);
      if (options_.filtered) summary["ignored"] = tally_.ignored;
      if (options_.assets) summary["assets"] = true;
    }
    const bool ok =
        write_line(out_, dump(JsonObject(2).add("record", "summary").add("summary", std::move(summary)).done()));
    return std::fflush(out_) == 0 && ok;
  }

  const ScanTally& tally() const override { return tally_; }
  void add_not_candidates(std::uint64_t count) override { tally_.not_candidates += count; }

 private:
  std::FILE* out_;
  ScanPrintOptions options_;
  ScanTally tally_;
};

class HumanScanPrinter final : public ScanPrinter {
 public:
  HumanScanPrinter(std::FILE* out, ScanPrintOptions options, std::FILE* errors)
      : out_(out), errors_(errors), options_(options) {}

  void render(ScanResult& result) const override {
    summarize(result);
    result.text.clear();
    if (!is_shown(result, options_)) return;
    switch (result.outcome) {
      case ScanOutcome::candidate:
        if (result.verdict) result.text = verdict_text(result, options_, style());
        else if (result.report) result.text = printable(summary_line(*result.report));
        return;
      case ScanOutcome::not_candidate:
        result.text = fmt::format("{}: {}", printable(result.path), not_candidate_note);
        return;
      case ScanOutcome::skipped:
        result.text = fmt::format("{}: skipped: {}", printable(result.path), printable(result.note));
        return;
      case ScanOutcome::error:
        // On stderr, as every command reports what it cannot read (written by write()).
        result.text = fmt::format("enoexec: {}: {}", printable(result.path), printable(result.note));
        return;
    }
  }

  bool write(const ScanResult& result) override {
    tally_.add(result, options_);
    if (result.outcome == ScanOutcome::error) {
      write_line(errors_, result.text);
      return true;  // stdout's health is what decides the status
    }
    return write_line(out_, result.text);
  }

  bool finish(const ScanStats& stats) override {
    std::string text = platform_table();
    text += fmt::format("\n{}, {}: {}, {}, {} skipped, {}\n", counted(stats.directories, "directory", "directories"),
                        counted(stats.files, "file", "files"), counted(tally_.candidates, "candidate", "candidates"),
                        counted(tally_.not_candidates, "not a candidate", "not candidates"), tally_.skipped,
                        counted(tally_.errors, "error", "errors"));
    // Verbs agree with their counts: "1 runs, 2 run".
    if (!options_.target.empty())
      text += fmt::format("on {}: {}, {}, {}, {} with warnings\n", target_text(),
                          counted(tally_.verdicts.runs, "runs", "run"),
                          counted(tally_.verdicts.emulated, "runs emulated", "run emulated"),
                          counted(tally_.verdicts.fails, "fails", "fail"), tally_.warned);
    if (!options_.target.empty() && tally_.verdicts.unknown > 0)
      text += fmt::format("unknown: {} (not decided: W_TARGET_NOT_MODELLED, W_KERNEL_OPTION)\n",
                          tally_.verdicts.unknown);
    text += rule_table();
    std::fwrite(text.data(), 1, text.size(), out_);
    return std::fflush(out_) == 0 && std::ferror(out_) == 0;
  }

  const ScanTally& tally() const override { return tally_; }
  void add_not_candidates(std::uint64_t count) override { tally_.not_candidates += count; }

 private:
  // Problems by rule code, after --select/--ignore ("by rule (3 ignored):" when some were).
  std::string rule_table() const {
    if (tally_.rules.empty() && tally_.ignored == 0) return {};
    std::size_t width = 0;
    for (const auto& [code, count] : tally_.rules) width = std::max(width, code.size());
    std::string text = tally_.ignored == 0 ? std::string("by rule:\n")
                                           : fmt::format("by rule ({} ignored):\n", tally_.ignored);
    for (const auto& [code, count] : tally_.rules)
      text += fmt::format("  {:<{}}  {:>8}\n", printable(code), width, count);
    return text;
  }

  // The target the summary names; with --assets, only the files whose names promise no platform.
  std::string target_text() const {
    std::string target = printable(options_.target);
    if (!options_.profile.empty()) target = fmt::format("{} ({})", printable(options_.profile), target);
    return options_.assets ? fmt::format("{} (assets: the platforms their names promise)", target) : target;
  }

  Style style() const { return Style(options_.color); }

  // Candidates by platform; with verdicts, also how many of them run, run emulated, fail.
  std::string platform_table() const {
    if (tally_.platforms.empty()) return {};
    const bool judged = !options_.target.empty();
    std::size_t width = 8;
    for (const auto& [platform, count] : tally_.platforms) width = std::max(width, platform.size());
    std::string text = fmt::format("\n{:<{}}  {:>8}", "platform", width, "files");
    if (judged) text += fmt::format("  {:>8}  {:>8}  {:>8}", "runs", "emulated", "fails");
    text += "\n";
    for (const auto& [platform, count] : tally_.platforms) {
      text += fmt::format("{:<{}}  {:>8}", printable(platform), width, count);
      if (judged) {
        const auto found = tally_.platform_verdicts.find(platform);
        const VerdictCounts counts = found == tally_.platform_verdicts.end() ? VerdictCounts{} : found->second;
        text += fmt::format("  {:>8}  {:>8}  {:>8}", counts.runs, counts.emulated, counts.fails);
      }
      text += "\n";
    }
    return text;
  }

  std::FILE* out_;
  std::FILE* errors_;
  ScanPrintOptions options_;
  ScanTally tally_;
};

}  // namespace

void summarize(ScanResult& result) {
  result.failed = result.outcome == ScanOutcome::error || (result.report && result.report->error);
  if (result.verdict) {
    result.verdict_kind = to_string(result.verdict->verdict);
    result.warned = std::any_of(result.verdict->problems.begin(), result.verdict->problems.end(),
                                [](const Problem& problem) { return problem.severity == "warning"; });
    result.problem_codes.clear();
    for (const Problem& problem : result.verdict->problems) result.problem_codes.push_back(problem.code);
  }
  if (result.outcome != ScanOutcome::candidate || !result.report) return;
  result.format = to_string(result.report->format);
  result.platform = platform_key(*result.report);
}

namespace {

// A "fails" or "unknown" verdict, or a warning with fail_on_warning: what --only-failures shows.
bool fails_on_target(const ScanResult& result, const ScanPrintOptions& options) {
  return result.verdict_kind == "fails" || result.verdict_kind == "unknown" ||
         (options.fail_on_warning && result.warned);
}

}  // namespace

bool fails_gate(const ScanResult& result, const ScanPrintOptions& options) {
  return !options.fail_on_never && fails_on_target(result, options);
}

bool is_shown(const ScanResult& result, const ScanPrintOptions& options) {
  if (options.only_failures) return result.failed || fails_on_target(result, options);
  switch (result.outcome) {
    case ScanOutcome::candidate:
    case ScanOutcome::error: return true;
    case ScanOutcome::skipped: return options.all || !result.quiet;
    case ScanOutcome::not_candidate: return options.all;
  }
  return true;
}

void ScanTally::add(const ScanResult& result, const ScanPrintOptions& options) {
  if (result.failed) ++errors;
  if (fails_gate(result, options)) ++gate_failures;
  for (const std::string& code : result.problem_codes) ++rules[code];
  ignored += result.ignored.size();
  if (!result.verdict_kind.empty()) {
    add_verdict(verdicts, result.verdict_kind);
    add_verdict(platform_verdicts[result.platform], result.verdict_kind);
    if (result.warned) ++warned;
  }
  switch (result.outcome) {
    case ScanOutcome::candidate:
      ++candidates;
      if (!result.format.empty()) ++formats[result.format];
      if (!result.platform.empty()) ++platforms[result.platform];
      return;
    case ScanOutcome::not_candidate: ++not_candidates; return;
    case ScanOutcome::skipped: ++skipped; return;
    case ScanOutcome::error: return;
  }
}

std::unique_ptr<ScanPrinter> make_json_scan_printer(std::FILE* out, ScanPrintOptions options) {
  return std::make_unique<JsonScanPrinter>(out, options);
}

std::unique_ptr<ScanPrinter> make_human_scan_printer(std::FILE* out, ScanPrintOptions options,
                                                     std::FILE* errors) {
  return std::make_unique<HumanScanPrinter>(out, options, errors);
}

}  // namespace enoexec
