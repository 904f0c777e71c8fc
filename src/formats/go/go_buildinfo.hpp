// Go build information, found and decoded exactly as Go's debug/buildinfo does
// (golang/go: src/debug/buildinfo/buildinfo.go, readRawBuildInfo/searchMagic/decodeString/
// readString; the text is parsed as src/runtime/debug/mod.go ParseBuildInfo does).
//
// The blob: a 32-byte header at a 16-byte-aligned address, "\xff Go buildinf:", the target's
// pointer size (4 or 8), flags (bit 0 big-endian, bit 1 inline format). Go 1.18+ (inline) follows
// the header with uvarint length + version, uvarint length + modinfo. Go <= 1.17 (pointer)
// stores at header+16 two target pointers to Go string headers {data pointer, length}.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "enoexec/details/go.hpp"
#include "enoexec/error.hpp"
#include "support/byte_view.hpp"

namespace enoexec::go {

// A file-backed range of the program's address space: bytes[i] is mapped at vaddr + i.
struct Region {
  std::uint64_t vaddr = 0;
  ByteView bytes;
};

// What the reader needs from an executable, whatever its format.
//
// An adapter for a format must provide: in `search`, the file-backed bytes of the range Go's
// `exe.DataStart` names for that format (ELF: section .go.buildinfo, else the first PT_LOAD with
// PF_W and not PF_X; Mach-O: section __go_buildinfo, else the first segment with
// initprot == maxprot == rw- and a non-zero filesize; PE: the first section whose characteristics,
// ignoring the alignment bits, are exactly INITIALIZED_DATA|MEM_READ|MEM_WRITE, at
// ImageBase + VirtualAddress) clipped to that section's size, and in `memory` the file-backed
// bytes of every loaded segment or section at its virtual address (PE: ImageBase + RVA), in the
// order Go's `exe.DataReader` tries them.
struct Image {
  std::vector<Region> search;  // where to look for the build-info header, in order of preference
  std::vector<Region> memory;  // every loaded range, to follow pre-1.18 pointers
};

// The header sits at a 16-byte-aligned virtual address and is 32 bytes long.
inline constexpr std::uint64_t kBuildInfoAlign = 16;
inline constexpr std::uint64_t kBuildInfoHeaderSize = 32;

// nullopt when the image holds no build info (not Go, or stripped of it), or when it decodes an
// empty Go version (Go's "not a Go executable").
//
// Search (Go's searchMagic): each `search` region, in order, from its first 16-byte-aligned
// virtual address to its end; the first magic at an aligned address wins, misaligned ones are
// skipped. The whole region is searched, as Go 1.22+ does over DataStart's whole size (Go 1.18
// to 1.21 read only the first 64 KiB; the linker puts the blob at the very start, so both find
// the same header).
//
// Reads after the header (inline strings, pre-1.18 pointers) go by virtual address through the
// first `memory` region holding it, then the `search` regions, and never past that region's end,
// as Go's DataReader never reads past one segment's file-backed bytes.
//
// Unlike Go, which answers "not a Go executable" for most damage, a damaged blob is an error
// naming the header's file offset, e.g. "Go build info at offset 0x111000: modinfo length
// 18446744073709551615 exceeds the 200 bytes that remain": an aligned magic with fewer than 32
// bytes after it, a pointer size other than 4 or 8 (in either format), a length varint cut off
// or over 64 bits, a length past the end of its region, a pointer outside every region, and any
// modinfo line ParseBuildInfo rejects.
Result<std::optional<GoBuildInfo>> read_buildinfo(const Image& image);

}  // namespace enoexec::go
