// Human-readable output: one summary line per file, and with -v the details beneath it.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "enoexec/report.hpp"

namespace enoexec {

// `text` with each control character (a CR from a CRLF #! line, a newline in a file name) as
// "\x0d": such bytes must not reach a terminal raw.
std::string printable(std::string_view text);

// "/bin/sh: ELF 64-bit little-endian pie-executable, linux/amd64, glibc >= 2.34, dynamic via /lib64/..."
std::string summary_line(const FileReport& report);

// Indented "key: value" lines for every known fact of the report (the JSON object, unrolled).
std::string detail_lines(const FileReport& report);
// The same from the report's JSON object (to_json(report)), for a caller that has built it.
std::string detail_lines(const nlohmann::ordered_json& report_json);

}  // namespace enoexec
