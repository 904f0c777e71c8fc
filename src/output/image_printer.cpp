#include "output/image_printer.hpp"

#include <fmt/format.h>

#include "output/human.hpp"
#include "output/json_verdict.hpp"
#include "output/verdict_text.hpp"
#include "support/display_text.hpp"

namespace enoexec {
namespace {

std::string declared(const ImageEntry& entry) {
  if (!entry.platform.empty()) return entry.platform;
  if (!entry.config_platform.empty()) return entry.config_platform;
  return "no platform";
}

nlohmann::ordered_json null_or(const std::string& text) {
  return text.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(text);
}

}  // namespace

std::string image_label(const std::string& image, const ImageEntry* entry, bool with_digest) {
  if (entry == nullptr) return printable(image);
  const std::string digest = with_digest && entry->digest.size() > 19 ? " " + entry->digest.substr(0, 19) + "…" : "";
  return fmt::format("{} [{}{}]", printable(image), printable(declared(*entry)), digest);
}

std::string image_text(const ImageLine& line, const Style& style) {
  const std::string label = image_label(line.image, line.entry, line.same_platform);
  if (line.entry == nullptr) {
    return fmt::format("{}\n{}", verdict_line(label, line.no_match, style), problem_lines(line.no_match, style));
  }
  if (!line.entry->skipped.empty()) {
    return fmt::format("{}: skipped ({})\n", label, escape_for_display(line.entry->skipped));
  }
  if (line.judgement == nullptr) return fmt::format("{}: cannot be judged: {}\n", label, escape_for_display(line.error));
  const ImageJudgement& j = *line.judgement;
  Verdict shown = j.verdict;  // the text names the profile; the JSON keeps the platform
  if (!line.profile.empty()) shown.target = fmt::format("{} ({})", line.profile, j.verdict.target);
  std::string out = verdict_line(label, shown, style);
  if (!line.ignored.empty()) out += fmt::format(" ({} ignored)", line.ignored.size());
  out += "\n";
  if (j.entrypoint) {
    const ImageEntrypoint& e = *j.entrypoint;
    std::string argv;
    for (const std::string& arg : e.argv) {
      if (!argv.empty()) argv += ' ';
      argv += shell_quote(arg);
    }
    if (!argv.empty()) out += fmt::format("  entrypoint: {}\n", escape_for_display(argv));
    if (!e.runtime_error.empty()) out += fmt::format("  {}\n", escape_for_display(e.runtime_error));
  }
  out += problem_lines(j.verdict, style);
  if (!j.programs.empty()) {
    std::string counts;
    for (const auto& [platform, n] : j.programs) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", n, platform);
    std::string failing;
    for (std::size_t i = 0; i < j.failing.size() && i < 3; ++i) {
      failing += fmt::format("{}{} ({})", i == 0 ? "" : ", ", escape_for_display(j.failing[i].path), j.failing[i].code);
    }
    if (j.failing.size() > 3) failing += fmt::format(", and {} more", j.failing.size() - 3);
    out += fmt::format("  programs: {}{}\n", counts,
                       j.failing.empty() ? std::string() : fmt::format("; {} will not run: {}", j.failing.size(), failing));
  }
  for (const std::string& warning : j.warnings) out += fmt::format("  note: {}\n", escape_for_display(warning));
  return out;
}

nlohmann::ordered_json image_json(const ImageLine& line) {
  nlohmann::ordered_json out;
  out["record"] = "image";
  out["image"] = line.image;
  out["shape"] = line.shape;
  if (line.entry == nullptr) {
    out["digest"] = nullptr;
    out["platform"] = nullptr;
    out["target"] = line.no_match.target;
    out["verdict"] = std::string(to_string(line.no_match.verdict));
    out["entrypoint"] = nullptr;
    auto problems = nlohmann::ordered_json::array();
    for (const Problem& p : line.no_match.problems) problems.push_back(to_json(p));
    out["problems"] = problems;
    return out;
  }
  const ImageEntry& entry = *line.entry;
  out["digest"] = null_or(entry.digest);
  out["platform"] = null_or(entry.platform.empty() ? entry.config_platform : entry.platform);
  out["config_platform"] = null_or(entry.config_platform);
  out["ref_names"] = entry.ref_names;
  if (!entry.skipped.empty() || line.judgement == nullptr) {
    out["verdict"] = nullptr;
    if (!entry.skipped.empty()) out["skipped"] = entry.skipped;
    if (!line.error.empty()) out["error"] = line.error;
    out["entrypoint"] = nullptr;
    out["problems"] = nlohmann::ordered_json::array();
    return out;
  }
  const ImageJudgement& j = *line.judgement;
  out["target"] = j.verdict.target;
  out["verdict"] = std::string(to_string(j.verdict.verdict));
  out["execve"] = j.verdict.execve;
  if (!j.verdict.emulator.empty()) out["emulator"] = j.verdict.emulator;
  if (j.entrypoint) {
    const ImageEntrypoint& e = *j.entrypoint;
    nlohmann::ordered_json ep;
    ep["argv"] = e.argv;
    ep["path"] = null_or(e.path);
    ep["runtime_error"] = null_or(e.runtime_error);
    ep["check"] = e.report ? to_json(*e.report, e.verdict) : nlohmann::ordered_json(nullptr);
    out["entrypoint"] = ep;
  } else {
    out["entrypoint"] = nullptr;
  }
  auto problems = nlohmann::ordered_json::array();
  for (const Problem& p : j.verdict.problems) problems.push_back(to_json(p));
  out["problems"] = problems;
  nlohmann::ordered_json programs;
  programs["by_platform"] = j.programs;
  auto failing = nlohmann::ordered_json::array();
  for (const auto& f : j.failing) failing.push_back({{"path", f.path}, {"code", f.code}, {"message", f.message}});
  programs["failing"] = failing;
  auto foreign = nlohmann::ordered_json::array();
  for (const ForeignProgram& f : j.foreign) {
    foreign.push_back({{"path", f.path}, {"platform", f.platform}, {"layer", f.layer + 1}, {"created_by", null_or(f.created_by)}});
  }
  programs["foreign"] = foreign;
  out["programs"] = programs;
  auto layers = nlohmann::ordered_json::array();
  for (const ImageLayer& layer : entry.layers) {
    layers.push_back({{"digest", null_or(layer.digest)}, {"media_type", null_or(layer.media_type)},
                      {"created_by", null_or(layer.created_by)}});
  }
  out["layers"] = layers;
  out["warnings"] = j.warnings;
  if (line.gate_filtered) out["ignored"] = line.ignored;
  return out;
}

nlohmann::ordered_json image_summary_json(const ImageTotals& t) {
  nlohmann::ordered_json summary;
  summary["images"] = t.images;
  summary["entries"] = t.entries;
  summary["runs"] = t.runs;
  summary["emulated"] = t.emulated;
  summary["fails"] = t.fails;
  summary["unknown"] = t.unknown;
  summary["skipped"] = t.skipped;
  summary["errors"] = t.errors;
  nlohmann::ordered_json out;
  out["record"] = "image_summary";
  out["summary"] = summary;
  return out;
}

}  // namespace enoexec
