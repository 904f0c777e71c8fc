#include "output/scan_printer.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "output/human.hpp"
#include "output/json.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view not_candidate_note = "not a program: no ELF, Mach-O, PE or #! magic";

std::string dump(const Json& json) {
  // Paths are bytes, not always UTF-8: replace what is not, as `inspect --json` does.
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Control characters in a file name must not reach a terminal raw.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) out += fmt::format("\\x{:02x}", byte);
    else out += c;
  }
  return out;
}

std::string platform_key(const FileReport& report) {
  if (report.platform && report.platform->arch != Arch::unknown) return to_oci(*report.platform);
  std::vector<std::string> slices;
  for (const FileReport& slice : report.slices) slices.push_back(platform_key(slice));
  if (slices.empty()) return "unknown";
  return fmt::format("{}", fmt::join(slices, "+"));
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
      result.text = dump(to_json(*result.report));
      return;
    }
    Json json{{"path", result.path}, {"type", result.type}};
    if (result.outcome == ScanOutcome::error) json["error"] = result.note;
    else json["skipped"] = result.note.empty() ? std::string(not_candidate_note) : result.note;
    result.text = dump(json);
  }

  bool write(const ScanResult& result) override {
    tally_.add(result);
    return write_line(out_, result.text);
  }

  bool finish(const ScanStats& stats) override {
    Json summary{{"directories", stats.directories}, {"entries", stats.entries},
                 {"files", stats.files},             {"candidates", tally_.candidates},
                 {"not_candidates", tally_.not_candidates}, {"skipped", tally_.skipped},
                 {"errors", tally_.errors}};
    summary["formats"] = Json(tally_.formats);
    summary["platforms"] = Json(tally_.platforms);
    const bool ok = write_line(out_, dump(Json{{"summary", summary}}));
    return std::fflush(out_) == 0 && ok;
  }

  const ScanTally& tally() const override { return tally_; }

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
        if (result.report) result.text = printable(summary_line(*result.report));
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
    tally_.add(result);
    return write_line(out_, result.text);
  }

  bool finish(const ScanStats& stats) override {
    std::string text;
    if (!tally_.platforms.empty()) {
      std::size_t width = 8;
      for (const auto& [platform, count] : tally_.platforms) width = std::max(width, platform.size());
      text += fmt::format("\n{:<{}}  {:>8}\n", "platform", width, "files");
      for (const auto& [platform, count] : tally_.platforms)
        text += fmt::format("{:<{}}  {:>8}\n", printable(platform), width, count);
    }
    text += fmt::format(
        "\n{} directories, {} files: {} candidates, {} not candidates, {} skipped, {} errors\n",
        stats.directories, stats.files, tally_.candidates, tally_.not_candidates, tally_.skipped,
        tally_.errors);
    std::fwrite(text.data(), 1, text.size(), out_);
    return std::fflush(out_) == 0 && std::ferror(out_) == 0;
  }

  const ScanTally& tally() const override { return tally_; }

 private:
  std::FILE* out_;
  ScanPrintOptions options_;
  ScanTally tally_;
};

}  // namespace

void summarize(ScanResult& result) {
  result.failed = result.outcome == ScanOutcome::error || (result.report && result.report->error);
  if (result.outcome != ScanOutcome::candidate || !result.report) return;
  result.format = to_string(result.report->format);
  result.platform = platform_key(*result.report);
}

bool is_shown(const ScanResult& result, const ScanPrintOptions& options) {
  if (options.only_failures) return result.failed;
  switch (result.outcome) {
    case ScanOutcome::candidate:
    case ScanOutcome::error: return true;
    case ScanOutcome::skipped: return options.all || !result.quiet;
    case ScanOutcome::not_candidate: return options.all;
  }
  return true;
}

void ScanTally::add(const ScanResult& result) {
  if (result.failed) ++errors;
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
