// Entry points: bytes or a path in, a FileReport out. Never throws for bad input.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "enoexec/report.hpp"

namespace enoexec {

// Reads the file at `path` (only regular files are opened) and reports what it is.
// I/O and parse failures land in FileReport::error; the call itself does not fail.
FileReport inspect_file(const std::string& path);

// Same, over bytes already in memory (tests, fuzzers, archive members).
FileReport inspect_bytes(std::span<const std::uint8_t> bytes, std::string path);

}  // namespace enoexec
