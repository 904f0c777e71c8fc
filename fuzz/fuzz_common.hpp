// What every fuzz target does after parsing: exercise the accessors the CLI uses (JSON and
// human output), so a report that cannot be printed counts as a finding too.
#pragma once

#include "enoexec/report.hpp"
#include "output/human.hpp"
#include "output/json.hpp"

namespace enoexec::fuzz {

inline void print_everything(const FileReport& report) {
  const auto json = to_json(report).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  const auto text = summary_line(report) + detail_lines(report);
  if (json.empty() || text.empty()) __builtin_trap();
}

}  // namespace enoexec::fuzz
