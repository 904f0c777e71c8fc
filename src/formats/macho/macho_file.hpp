// The Mach-O reader. parse() reads one thin Mach-O (a file, or one slice of a universal binary)
// into MachoFile; describe() turns it into the format-neutral FileReport; inspect() does both for
// thin and universal files alike.
//
// Decisions (documented here because the report depends on them):
// - os comes from LC_BUILD_VERSION or LC_VERSION_MIN_* (the first one; zippered files list more
//   in details.build_versions). Without either, x86 and PowerPC files are taken as macOS (the
//   iOS simulator always states its platform); ARM files stay os unknown.
// - linkage: executables are dynamic when they name a dylinker (LC_LOAD_DYLINKER), static
//   otherwise; dylibs and bundles are dynamic (dyld loads them); other filetypes have none.
// - libc is libsystem when the file links /usr/lib/libSystem.B.dylib (any dylib command).
// - needed lists every dylib command's install name (load, weak, re-export, lazy, upward) in
//   file order; MH_OBJECT files have no needed list (the linker decides).
// - A file whose segments or load commands run past its end is kind "truncated", with a warning.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "enoexec/limits.hpp"
#include "enoexec/report.hpp"
#include "support/byte_view.hpp"

namespace enoexec::macho {

// A section, with its file offset: what later readers (Go build info) look up by name.
struct Section {
  std::string segname, sectname;  // "__DATA", "__go_buildinfo"
  std::uint64_t addr = 0, size = 0;
  std::uint32_t offset = 0;       // slice-relative file offset (0 for zero-fill sections)
};

struct MachoFile {
  int bits = 0;  // 32 or 64
  Endian endian = Endian::little;
  MachoDetails details;               // everything user-visible
  std::vector<Section> sections;      // every section of every segment, in file order
  bool truncated = false;             // the file ends before its segments or load commands do
  std::vector<std::string> warnings;  // what could not be read, with offsets
  Limits limits;                      // load commands, sections, needed libraries, signature bytes
  bool signature_command = false;     // an LC_CODE_SIGNATURE was read (even with datasize 0)
  std::uint64_t signature_bytes_hashed = 0;  // what verifying the signature hashed
};

// Reads one thin Mach-O. `slice` may be a sub-view of a universal binary (its file_offset()
// makes every offset in messages absolute). Fails only when the mach_header cannot be read.
// Counts over `limits` are read up to the limit, with a "limit exceeded: NAME" warning.
Result<MachoFile> parse(ByteView slice, const Limits& limits = {});

// Fills the Mach-O parts of `report` from `file`: format, bits, endian, type, kind, machine,
// platform (with evidence), interpreter, linkage, needed, macho details and warnings.
void describe(const MachoFile& file, FileReport& report);

// Thin or universal: fills `report` (universal: one full report per slice in report.slices).
// Problems become report.error (nothing usable) or warnings.
void inspect(ByteView file, FileReport& report, const Limits& limits = {});

// The universal reader (fat.cpp): called by inspect() for FAT_MAGIC / FAT_MAGIC_64 files.
void inspect_universal(ByteView file, FileReport& report, const Limits& limits = {});

// Adds `error` to `warnings` in the one-line form "<code>: <what> (at offset 0x..)", up to a
// fixed number of warnings per file (hostile files can ask for millions).
void warn(std::vector<std::string>& warnings, const Error& error);

}  // namespace enoexec::macho
