// The printed forms of `enoexec image`: a verdict line per image and platform entry with its
// problems (as `check` prints them), and the JSON Lines objects of docs/json.md ("image").
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "enoexec/image.hpp"
#include "output/style.hpp"

namespace enoexec {

// What one line of output is about: an entry judged, skipped, or a request no entry matches.
struct ImageLine {
  std::string image;   // the argument as given
  std::string shape;   // "OCI layout", ...
  const ImageEntry* entry = nullptr;             // null when no entry matched --platform
  const ImageJudgement* judgement = nullptr;     // null for a skipped entry or an error
  std::string error;   // the entry could not be judged (a layer could not be read)
  Verdict no_match;    // the verdict when no entry matched (entry == nullptr)
  bool same_platform = false;        // another entry declares the same platform: add the digest
  std::string profile;               // the profile --target named: "runs on rpi-4 (linux/arm64)"
  bool gate_filtered = false;        // --select or --ignore was given
  std::vector<std::string> ignored;  // the codes they dropped
};

// "IMAGE [linux/arm64]" as the verdict line names an entry; "IMAGE [linux/arm64 sha256:4f3c9a…]"
// when another entry declares the same platform.
std::string image_label(const std::string& image, const ImageEntry* entry, bool with_digest = false);

std::string image_text(const ImageLine& line, const Style& style);
nlohmann::ordered_json image_json(const ImageLine& line);

struct ImageTotals {
  std::size_t images = 0, entries = 0, runs = 0, emulated = 0, fails = 0, unknown = 0, skipped = 0, errors = 0;
};
nlohmann::ordered_json image_summary_json(const ImageTotals& totals);

}  // namespace enoexec
