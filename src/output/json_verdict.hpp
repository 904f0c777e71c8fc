// The JSON Lines object of `check --json`: the `inspect --json` object plus target, execve,
// verdict, emulator and problems (docs/rules.md).
#pragma once

#include <nlohmann/json.hpp>

#include "enoexec/report.hpp"
#include "enoexec/verdict.hpp"

namespace enoexec {

nlohmann::ordered_json to_json(const FileReport& report, const Verdict& verdict);
// The same from the report's JSON object (to_json(report)), for a caller that has built it.
nlohmann::ordered_json to_json(nlohmann::ordered_json report_json, const Verdict& verdict);
nlohmann::ordered_json to_json(const Problem& problem);

}  // namespace enoexec
