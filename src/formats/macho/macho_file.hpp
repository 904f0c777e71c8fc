// formats/macho: reads the format and fills the format-neutral report.
#pragma once

#include "enoexec/report.hpp"
#include "support/byte_view.hpp"

namespace enoexec::macho {

// Fills `report` from `file`; problems become report.error (nothing usable) or warnings.
void inspect(ByteView file, FileReport& report);

}  // namespace enoexec::macho
