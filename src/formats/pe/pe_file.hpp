// formats/pe: reads the format and fills the format-neutral report.
#pragma once

#include "enoexec/report.hpp"
#include "support/byte_view.hpp"

namespace enoexec::pe {

// Fills `report` from `file`; problems become report.error (nothing usable) or warnings.
void inspect(ByteView file, FileReport& report);

}  // namespace enoexec::pe
