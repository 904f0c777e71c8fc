// formats/script: reads the format and fills the format-neutral report.
#pragma once

#include "enoexec/report.hpp"
#include "support/byte_view.hpp"

namespace enoexec::script {

// Fills `report` from `file`; problems become report.error (nothing usable) or warnings.
void inspect(ByteView file, FileReport& report);

// True when the bytes read as text (no NUL, valid UTF-8 or ASCII in the first block): such a
// file without `#!` is a script with no interpreter.
bool looks_like_text(ByteView file);

}  // namespace enoexec::script
