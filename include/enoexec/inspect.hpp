// Entry points: bytes or a path in, a FileReport out. Never throws for bad input.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "enoexec/limits.hpp"
#include "enoexec/report.hpp"

namespace enoexec {

// What inspecting may cost beyond reading headers. The defaults keep `inspect` cheap.
struct InspectOptions {
  // Decode the executable code of x86-64 files whose metadata states no level above the
  // baseline, for the instructions that need x86-64-v2/v3/v4; the level found is reported in
  // `cpu_level` as a lower bound marked found_by_scan (CLI: --scan-code).
  bool scan_code = false;
  // Bytes of code the scan decodes per file at most (all executable sections together);
  // the default, 4 MiB, covers the whole code of nearly every program in a few milliseconds.
  std::uint64_t scan_budget = 4 * 1024 * 1024;
  // Named safety limits (docs/limits.md; CLI: --limit NAME=VALUE).
  Limits limits;
};

// Reads the file at `path` (only regular files are opened) and reports what it is.
// I/O and parse failures land in FileReport::error; the call itself does not fail.
FileReport inspect_file(const std::string& path);
FileReport inspect_file(const std::string& path, const InspectOptions& options);

// Same, over bytes already in memory (tests, fuzzers, archive members).
FileReport inspect_bytes(std::span<const std::uint8_t> bytes, std::string path);
FileReport inspect_bytes(std::span<const std::uint8_t> bytes, std::string path,
                         const InspectOptions& options);

// Same, over a regular file the caller has already opened and fstat'ed (`scan` opens each file
// once, relative to its directory, and hands the descriptor on); `size` is its st_size. The
// descriptor stays the caller's to close.
FileReport inspect_fd(int fd, std::uint64_t size, const std::string& path,
                      const InspectOptions& options = {});

}  // namespace enoexec
