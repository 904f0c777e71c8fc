// ELF notes: ABI tag (minimum kernel), build id, GNU properties (x86 ISA level, IBT/SHSTK,
// AArch64 BTI/PAC), Go build id, and the FreeBSD / NetBSD / OpenBSD / Android brand notes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "enoexec/details/elf.hpp"
#include "support/byte_view.hpp"

namespace enoexec::elf {

// Reads every note in `notes` (the bytes of one PT_NOTE segment or SHT_NOTE section) into
// `out`. `alignment` is the segment's p_align or the section's sh_addralign: 8 for the 64-bit
// GNU property notes, otherwise 4 (any other value is read as 4, as the kernel and glibc do).
// `bits` (32 or 64) decides the size of GNU property data padding.
void parse_notes(ByteView notes, Endian endian, std::uint64_t alignment, int bits, ElfNotes& out,
                 std::vector<std::string>& warnings);

// The same, knowing e_machine: GNU properties 0xc0000000..0xdfffffff are processor-specific
// (0xc0000000 is AArch64 BTI/PAC, RISC-V CFI, or an old x86 ISA mask, by machine). Prefer this
// form; the one above reads only the x86 properties whose numbers no other machine uses.
// At most `max_notes` notes are read (the "notes" limit, enoexec/limits.hpp).
void parse_notes(ByteView notes, Endian endian, std::uint64_t alignment, int bits,
                 std::uint16_t e_machine, ElfNotes& out, std::vector<std::string>& warnings,
                 std::uint64_t max_notes = 4096);

}  // namespace enoexec::elf
