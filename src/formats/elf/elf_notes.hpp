// ELF notes: ABI tag (minimum kernel), build id, GNU properties (x86 ISA level, IBT/SHSTK,
// AArch64 BTI/PAC), Go build id, and the FreeBSD / NetBSD / OpenBSD / Android brand notes.
#pragma once

#include <string>
#include <vector>

#include "enoexec/details/elf.hpp"
#include "support/byte_view.hpp"

namespace enoexec::elf {

// Reads every note in `notes` (the bytes of one PT_NOTE segment or SHT_NOTE section) into
// `out`. `bits` decides the GNU property alignment (8 for ELFCLASS64, 4 for ELFCLASS32).
void parse_notes(ByteView notes, Endian endian, int bits, ElfNotes& out,
                 std::vector<std::string>& warnings);

}  // namespace enoexec::elf
