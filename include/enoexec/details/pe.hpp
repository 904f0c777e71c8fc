// Facts read from a PE/COFF file. Filled in by formats/pe.
#pragma once

namespace enoexec {
struct PeDetails {};
}  // namespace enoexec
