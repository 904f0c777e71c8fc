// The readable form of a host description: what `enoexec host` prints.
#pragma once

#include <string>

#include "enoexec/host.hpp"

namespace enoexec {

// "key: value" lines, one topic each (kernel, userland, page size, 32-bit programs, CPU, libc,
// binfmt_misc, noexec mounts, warnings), details indented beneath; ends with a newline.
std::string host_text(const HostInfo& host);

}  // namespace enoexec
