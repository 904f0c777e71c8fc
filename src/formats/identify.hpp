// Which format a file is, from its first bytes. "Not a format we read" is Format::unknown, not an error.
#pragma once

#include "enoexec/report.hpp"
#include "support/byte_view.hpp"

namespace enoexec {

Format identify(ByteView file);

}  // namespace enoexec
