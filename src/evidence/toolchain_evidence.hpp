// The ELF adapter of the toolchain fingerprint and the CPU level: gathers the clues an ELF file
// carries (.comment strings, section names, symbol names, notes, needed libraries and versions,
// ARM/MIPS/RISC-V attributes, the Go build info already read) and fills `toolchain` and
// `cpu_level` of a report already described. A static program whose symbols name musl's or
// glibc's start-up code also gets its libc, with evidence, when the reader found none.
#pragma once

#include <string>
#include <vector>

#include "enoexec/inspect.hpp"
#include "enoexec/report.hpp"
#include "evidence/cpu_level.hpp"
#include "evidence/fingerprint.hpp"
#include "formats/elf/elf_file.hpp"
#include "support/byte_view.hpp"

namespace enoexec {

// Named limits of the clue reads (the symbol budget is elf::kMaxSymbolNames/-NameBytes).
inline constexpr std::uint64_t kMaxCommentBytes = 64 * 1024;  // of .comment read
inline constexpr std::size_t kMaxCommentStrings = 64;         // distinct strings kept
inline constexpr std::size_t kMaxCommentLength = 512;         // longer strings are cut

// The distinct non-empty NUL-separated strings of a .comment section, in file order.
std::vector<std::string> comment_strings(ByteView comment);

// The clues of an ELF file; `report` supplies the Go build info (its address is kept, so the
// report must outlive the clues). `warnings` receives what could not be read.
toolchain::Clues elf_toolchain_clues(ByteView file, const elf::ElfFile& elf,
                                     const FileReport& report,
                                     std::vector<std::string>& warnings);
toolchain::CpuClues elf_cpu_clues(const elf::ElfFile& elf, const FileReport& report);

// Scans the executable sections (or, without section headers, the PF_X segments) of an x86-64
// file with x86::scan_x86_64, within `budget` bytes in all; clues.scan stays empty without code.
void scan_elf_code(ByteView file, const elf::ElfFile& elf, std::uint64_t budget,
                   toolchain::CpuClues& clues);

void apply_toolchain_evidence(ByteView file, const elf::ElfFile& elf, FileReport& report,
                              const InspectOptions& options = {});

// ---- PE and Mach-O, from the details their readers put in the report ----

inline constexpr std::uint64_t kMaxPeIdentScan = 4u << 20;  // bytes of .rdata searched
inline constexpr std::size_t kMaxPeIdents = 16;              // distinct "GCC: (" strings kept

// PE: imported DLLs (and delay-loaded ones), the linker version, the CLR header, section names,
// and the "GCC: (...)" identification strings MinGW's GCC leaves in .rdata (searched within
// kMaxPeIdentScan bytes). With options.scan_code, an AMD64 image's executable sections are
// scanned as ELF code is.
toolchain::Clues pe_toolchain_clues(ByteView file, const FileReport& report);
void apply_toolchain_evidence_pe(ByteView file, FileReport& report,
                                 const InspectOptions& options = {});

// Mach-O (each slice of a universal file): dylibs and the CPU subtype. The reader keeps no
// section names, symbols or LC_BUILD_VERSION tools yet, so Apple ld, Swift and Rust are not
// recognised on Mach-O (see toolchain::Clues::build_tools for the rule waiting for them).
void apply_toolchain_evidence_macho(FileReport& report);

}  // namespace enoexec
