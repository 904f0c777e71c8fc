// formats/script: reads a script's first line as Linux's binfmt_script does and names its defects.
#pragma once

#include "enoexec/report.hpp"
#include "support/byte_view.hpp"

namespace enoexec::script {

// Fills `report` (format script, type "script", interpreter, details.script) from `file`, which
// starts with "#!" or a BOM and "#!", or is shell-like text without "#!" (a script with no
// interpreter).
void inspect(ByteView file, FileReport& report);

// True when the bytes read as text (rule in formats/script/text.hpp: no NUL, UTF-8, few control
// bytes in the first 4 KiB): such a file without `#!` is a script with no interpreter.
bool looks_like_text(ByteView file);

// True when such text reads as shell commands (rule in formats/script/text.hpp): the shells'
// fallback runs it, and a "#!/bin/sh" line makes it a script execve runs. Other text (Markdown,
// C, prose) is not a script: formats/impostor names it.
bool looks_like_shell(ByteView file);

}  // namespace enoexec::script
