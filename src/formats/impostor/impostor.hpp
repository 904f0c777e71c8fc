// formats/impostor: names files that people try to run but that are not programs.
#pragma once

#include <string>

#include "enoexec/report.hpp"
#include "support/byte_view.hpp"

namespace enoexec::impostor {

// "html", "git-lfs-pointer", "gzip", "xcoff", ... or "" when the bytes are none of the known
// impostors (plain text included: formats/impostor/text_kind.hpp names that).
std::string classify(ByteView file);

// Sets report.kind as classify() does; for a program of a format enoexec does not read in full
// (formats/impostor/foreign.hpp) also its type, machine, bits, byte order and platform.
void inspect(ByteView file, FileReport& report);

}  // namespace enoexec::impostor
