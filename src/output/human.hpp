// Human-readable output: one summary line per file, and with -v the details beneath it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "enoexec/report.hpp"

namespace enoexec {

// "/bin/sh: ELF 64-bit little-endian pie-executable, linux/amd64, glibc >= 2.34, dynamic via /lib64/..."
std::string summary_line(const FileReport& report);

// Indented "key: value" lines for every known fact of the report (the JSON object, unrolled).
std::string detail_lines(const FileReport& report);
// The same from the report's JSON object (to_json(report)), for a caller that has built it.
std::string detail_lines(const nlohmann::ordered_json& report_json);

}  // namespace enoexec
