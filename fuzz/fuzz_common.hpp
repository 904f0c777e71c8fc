// What every fuzz target does after parsing: exercise the accessors the CLI uses (JSON and
// human output), so a report that cannot be printed counts as a finding too.
#pragma once

#include "enoexec/report.hpp"
#include "output/human.hpp"
#include "output/json.hpp"

namespace enoexec::fuzz {

// `inspect --json`, `inspect` and `inspect -v`; returns the report's JSON object for a caller
// that prints more (the verdict), as the CLI builds it once per file.
inline nlohmann::ordered_json print_everything(const FileReport& report) {
  nlohmann::ordered_json json = to_json(report);
  const auto line = to_json_line(json);
  const auto text = summary_line(report) + detail_lines(json);
  if (line.empty() || text.empty()) __builtin_trap();
  return json;
}

}  // namespace enoexec::fuzz
