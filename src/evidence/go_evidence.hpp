// Go build info is the strongest evidence of platform, OS and ARM variant: when a file has it,
// the report's `go` is filled and `platform` follows its GOOS/GOARCH/GOARM/GOAMD64.
//
// One adapter per format gives go::read_buildinfo the view Go's debug/buildinfo takes of it
// (its exe.DataStart and exe.ReadData). A Go program without build info (too old, or the blob
// damaged or removed) is still recognised by the marks Go's toolchain leaves in every binary;
// its report then carries `go` with has_buildinfo false and only the version, when the runtime's
// own version string can be found (recognise_go).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "enoexec/report.hpp"
#include "formats/elf/elf_file.hpp"
#include "formats/go/go_buildinfo.hpp"
#include "formats/macho/macho_file.hpp"
#include "support/byte_view.hpp"

namespace enoexec {

// ---- The build-info views (Go's DataStart/ReadData, one per format) ----

// ELF (elfExe): search the section named .go.buildinfo (the bytes at its address, within the
// PT_LOAD that maps it, clipped to its size), else the first PT_LOAD whose flags have PF_W
// without PF_X; memory is every PT_LOAD's file-backed bytes. `warnings` receives what could not
// be mapped.
go::Image go_image(ByteView file, const elf::ElfFile& elf, std::vector<std::string>& warnings);

// Mach-O, one thin file or one slice of a universal file (machoExe): search the section named
// __go_buildinfo, whatever its segment (within the segment that maps it, clipped to its size),
// else the first segment with a non-zero address and file size whose initprot and maxprot are
// both exactly rw- (3); memory is every segment's file-backed bytes but __PAGEZERO's.
go::Image go_image(ByteView slice, const macho::MachoFile& macho,
                   std::vector<std::string>& warnings);

// PE (peExe): search the first section with a non-zero VirtualAddress and SizeOfRawData whose
// characteristics, with the bits 0x00600000 cleared as Go clears them, are exactly
// CNT_INITIALIZED_DATA|MEM_READ|MEM_WRITE (Go puts the blob at the start of .data); memory is
// every section's raw data. Addresses are ImageBase + VirtualAddress, and a section spans
// SizeOfRawData bytes from there, as debug/pe's Section.Size does.
go::Image go_image(ByteView file, const PeDetails& pe);

// ---- Reading it into a report ----

// Reads the build info of an ELF file already described into `report`, then lets its settings
// settle the platform (go::apply_platform). Damaged build info becomes a warning, never an error.
void apply_go_buildinfo(ByteView file, const elf::ElfFile& elf, FileReport& report);

// The same for a file macho::inspect described: a thin file, or each readable slice of a
// universal file (every slice carries its own build info and platform). Then recognise_go on
// each.
void apply_go_evidence_macho(ByteView file, FileReport& report);

// The same for a file pe::inspect described, then recognise_go.
void apply_go_evidence_pe(ByteView file, FileReport& report);

// ---- Go without build info ----

// What a format adapter found that marks a gc-built Go program, and where the runtime's
// version string may be.
struct GoClues {
  std::vector<std::string> marks;   // "section .gopclntab", "ELF note Go/4 (Go build ID)", ...
  std::optional<ByteView> pclntab;  // the pclntab section (.gopclntab, __gopclntab)
  std::vector<go::Region> rodata;   // read-only data, where runtime.buildVersion's bytes live
  std::vector<go::Region> data;     // writable data, where its string header {pointer, len} is
  int pointer_size = 8;
  Endian endian = Endian::little;
};

// Bounds of the version search (a file may be any size; these keep it to a few milliseconds).
inline constexpr std::uint64_t kMaxGoRodataScan = 64u << 20;   // bytes searched for "go1."
inline constexpr std::size_t kMaxGoVersionCandidates = 256;    // "go1.<digit>" hits kept
inline constexpr std::uint64_t kMaxGoDataScan = 64u << 20;     // bytes searched for the header
inline constexpr std::uint64_t kMaxGoVersionLength = 64;       // "go1.22.3 X:boringcrypto" fits

// The Go runtime's version (runtime.buildVersion), found as Go stores it: the string bytes in
// read-only data ("go1." then a digit), and a pointer-aligned Go string header {pointer to those
// bytes, length} in writable data. Only a string that such a header names is taken, so a stray
// "go1.x" in some other string is never mistaken for it. nullopt when none is found within the
// bounds above.
struct GoRuntimeVersion {
  std::string version;          // "go1.19.8"
  std::uint64_t offset = 0;     // file offset of its bytes
};
std::optional<GoRuntimeVersion> find_runtime_version(const GoClues& clues);

// The Go release range a pclntab magic (its first 4 bytes, target byte order) belongs to:
// "go1.2 to go1.15", "go1.16 to go1.17", "go1.18 to go1.19", "go1.20 or later"; "" otherwise.
std::string pclntab_release_range(std::uint32_t magic);

// When `report` has no build info (`go` unset) and `clues` holds a mark: sets `go` to a
// GoBuildInfo with has_buildinfo false and the runtime version when found (else ""), and adds
// evidence: {"go", "gc", <each mark>}, {"go.version", "go1.19.8", "runtime version string at
// offset 0x..."}, and {"go.version", "go1.18 to go1.19", "pclntab magic 0xfffffff0 at offset
// 0x..."} when a pclntab is there.
void recognise_go(const GoClues& clues, FileReport& report);

// The clues of an ELF file: the Go build ID note (PT_NOTE or section), the sections .gopclntab,
// .gosymtab, .go.buildinfo and .note.go.buildid; rodata is the .rodata section, or without
// section headers each PT_LOAD that is neither writable nor executable; data is each PT_LOAD
// with PF_W.
GoClues elf_go_clues(ByteView file, const elf::ElfFile& elf);
// Mach-O: the sections __gopclntab, __gosymtab, __go_buildinfo and Go's build ID
// ("\xff Go build ID: \"") in the first 32 KiB of __TEXT,__text; rodata is every __rodata
// section, data every segment whose initprot has write.
GoClues macho_go_clues(ByteView slice, const macho::MachoFile& macho);
// PE: Go's build ID in the first 32 KiB of .text; rodata is .rdata, data every section with
// MEM_WRITE.
GoClues pe_go_clues(ByteView file, const PeDetails& pe);

// ELF: recognise_go with elf_go_clues. Called after the toolchain fingerprint, which reads the
// same marks itself and takes `go` for build info.
void recognise_go_without_buildinfo(ByteView file, const elf::ElfFile& elf, FileReport& report);

}  // namespace enoexec
