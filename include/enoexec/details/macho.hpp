// Facts read from a Mach-O file (one slice). Filled in by formats/macho.
#pragma once

namespace enoexec {
struct MachoDetails {};
}  // namespace enoexec
