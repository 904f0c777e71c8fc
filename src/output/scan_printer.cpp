#include "output/scan_printer.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "output/human.hpp"
#include "output/json.hpp"
#include "output/json_verdict.hpp"
#include "output/verdict_text.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view not_candidate_note = "not a program: no ELF, Mach-O, PE or #! magic";

// Byte-identical to json.dump(-1, ' ', false, replace), as `check --json` prints, only faster.
std::string dump(const Json& json) { return to_json_line(json); }

// `check`'s text for one file: the verdict line, then each problem. Every field is made
// printable before the lines are put together, so a newline in a file name cannot pass for one
// of the printer's own line breaks.
std::string verdict_text(const ScanResult& result) {
  Verdict shown = *result.verdict;
  shown.target = printable(shown.target);
  shown.emulator = printable(shown.emulator);
  for (Problem& problem : shown.problems) {
    problem.code = printable(problem.code);
    problem.message = printable(problem.message);
    problem.outcome = printable(problem.outcome);
    problem.fix = printable(problem.fix);
  }
  std::string text = verdict_line(printable(result.path), shown) + "\n" + problem_lines(shown);
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
      result.text = dump(result.verdict ? to_json(*result.report, *result.verdict) : to_json(*result.report));
      return;
    }
    Json json{{"path", result.path}, {"type", result.type}};
    if (result.outcome == ScanOutcome::error) json["error"] = result.note;
    else json["skipped"] = result.note.empty() ? std::string(not_candidate_note) : result.note;
    result.text = dump(json);
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
                                 {"fails", tally_.verdicts.fails}};
      summary["warnings"] = tally_.warned;
      summary["gate_failures"] = tally_.gate_failures;
    }
    const bool ok = write_line(out_, dump(Json{{"summary", summary}}));
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
  HumanScanPrinter(std::FILE* out, ScanPrintOptions options) : out_(out), options_(options) {}

  void render(ScanResult& result) const override {
    summarize(result);
    result.text.clear();
    if (!is_shown(result, options_)) return;
    switch (result.outcome) {
      case ScanOutcome::candidate:
        if (result.verdict) result.text = verdict_text(result);
        else if (result.report) result.text = printable(summary_line(*result.report));
        return;
      case ScanOutcome::not_candidate:
        result.text = fmt::format("{}: {}", printable(result.path), not_candidate_note);
        return;
      case ScanOutcome::skipped:
        result.text = fmt::format("{}: skipped: {}", printable(result.path), printable(result.note));
        return;
      case ScanOutcome::error:
        result.text = fmt::format("{}: error: {}", printable(result.path), printable(result.note));
        return;
    }
  }

  bool write(const ScanResult& result) override {
    tally_.add(result, options_);
    return write_line(out_, result.text);
  }

  bool finish(const ScanStats& stats) override {
    std::string text = platform_table();
    text += fmt::format(
        "\n{} directories, {} files: {} candidates, {} not candidates, {} skipped, {} errors\n",
        stats.directories, stats.files, tally_.candidates, tally_.not_candidates, tally_.skipped,
        tally_.errors);
    if (!options_.target.empty())
      text += fmt::format("on {}: {} run, {} run emulated, {} fail, {} with warnings\n",
                          printable(options_.target), tally_.verdicts.runs, tally_.verdicts.emulated,
                          tally_.verdicts.fails, tally_.warned);
    std::fwrite(text.data(), 1, text.size(), out_);
    return std::fflush(out_) == 0 && std::ferror(out_) == 0;
  }

  const ScanTally& tally() const override { return tally_; }
  void add_not_candidates(std::uint64_t count) override { tally_.not_candidates += count; }

 private:
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
  }
  if (result.outcome != ScanOutcome::candidate || !result.report) return;
  result.format = to_string(result.report->format);
  result.platform = platform_key(*result.report);
}

bool fails_gate(const ScanResult& result, const ScanPrintOptions& options) {
  return result.verdict_kind == "fails" || (options.fail_on_warning && result.warned);
}

bool is_shown(const ScanResult& result, const ScanPrintOptions& options) {
  if (options.only_failures) return result.failed || fails_gate(result, options);
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

std::unique_ptr<ScanPrinter> make_human_scan_printer(std::FILE* out, ScanPrintOptions options) {
  return std::make_unique<HumanScanPrinter>(out, options);
}

}  // namespace enoexec
