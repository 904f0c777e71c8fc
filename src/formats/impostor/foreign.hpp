// Programs in formats enoexec does not read in full, named from their file headers: AIX XCOFF,
// Plan 9 a.out, COFF objects and WebAssembly modules. Each header states the kind of file and,
// where it can, the machine; nothing here is guessed from anything but the header's own fields.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "enoexec/platform.hpp"
#include "support/byte_view.hpp"

namespace enoexec::impostor {

struct ForeignProgram {
  std::string kind;     // "xcoff", "plan9-aout", "coff-object", "wasm"
  std::string type;     // "executable", "shared-library", "relocatable", "module", "component"
  std::string machine;  // the format's own name for its magic or machine field: "U64_TOCMAGIC"
  int bits = 0;         // 0: the header does not say
  Endian endian = Endian::little;
  std::optional<Platform> platform;  // only when the header states it
};

// The program `file` is, when its header is one of the formats above and consistent with the
// file's size; nullopt otherwise (short files and near misses included).
std::optional<ForeignProgram> foreign_program(ByteView file);

}  // namespace enoexec::impostor
