// Human-readable output: one summary line per file, and with -v the details beneath it.
#pragma once

#include <string>

#include "enoexec/report.hpp"

namespace enoexec {

// "/bin/sh: ELF 64-bit little-endian pie-executable, linux/amd64, glibc >= 2.34, dynamic via /lib64/..."
std::string summary_line(const FileReport& report);

// Indented "key: value" lines for every known fact of the report (the JSON object, unrolled).
std::string detail_lines(const FileReport& report);

}  // namespace enoexec
