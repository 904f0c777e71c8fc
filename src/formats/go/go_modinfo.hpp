// The module text inside Go build info (`path`, `mod`, `dep`, `=>`, `build` lines), read exactly
// as golang/go: src/runtime/debug/mod.go (ParseBuildInfo) reads it.
#pragma once

#include "enoexec/details/go.hpp"
#include "enoexec/error.hpp"
#include "support/byte_view.hpp"

namespace enoexec::go {

// Fills info.path, main, deps and settings from `text` (the modinfo with its sentinels already
// removed). Like Go: lines end with '\n' and a last line without one is ignored; unknown lines
// are skipped; `=>` replaces the module of the most recent `mod`/`dep` line, once. The error
// names the 1-based line ("modinfo line 3: expected 2 or 3 columns; got 4") with Go's wording,
// and its offset is the file offset of that line.
Result<void> parse_modinfo(ByteView text, GoBuildInfo& info);

}  // namespace enoexec::go
