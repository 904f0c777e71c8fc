// Which files `scan` inspects: decided by their first bytes only, never by name or exec bit.
#pragma once

#include <cstdint>

#include "enoexec/error.hpp"
#include "enoexec/inspect.hpp"
#include "enoexec/report.hpp"
#include "output/scan_result.hpp"

namespace enoexec::scan {

struct OpenedFile {
  int fd = -1;             // the caller's to close
  std::uint64_t size = 0;  // st_size at open
};

// Opens `name` below `dir_fd` the way scan opens every file: read-only, O_NOFOLLOW (a link
// swapped in is not followed), O_NONBLOCK (a FIFO swapped in cannot block the open), O_NOCTTY,
// O_CLOEXEC; then fstat must confirm a regular file, or the descriptor is closed unread.
// Errors: ErrorCode::io "cannot open: <errno text>", ErrorCode::not_regular "<type>, not read".
Result<OpenedFile> open_regular_at(int dir_fd, const char* name);

// The format the first bytes announce (read with pread, so the file offset is untouched):
// ELF, Mach-O, universal Mach-O, PE (MZ), or a script (#!, also after a UTF-8 BOM).
// Format::unknown means "not a candidate". Errors: ErrorCode::io "cannot read: <errno text>".
Result<Format> sniff_format(int fd);

inline bool is_candidate(Format format) { return format != Format::unknown; }

// The per-file work of `scan` today: sniff the open file and, for a candidate, inspect it
// through the same descriptor. Sets result.outcome (candidate / not_candidate / error),
// result.report, result.note. A verdict plugs in after this, on result.report.
void inspect_candidate(int fd, std::uint64_t size, ScanResult& result,
                       const InspectOptions& options = {});

}  // namespace enoexec::scan
