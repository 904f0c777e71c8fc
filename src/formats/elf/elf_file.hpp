// The ELF reader: ElfFile holds everything parse() could read; describe() turns it into the
// format-neutral FileReport (platform, interpreter, linkage, libc, needed, glibc_min).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/limits.hpp"
#include "enoexec/report.hpp"
#include "support/byte_view.hpp"

namespace enoexec::elf {

struct Section {
  std::string_view name;  // in the file's bytes: an ElfFile lives no longer than they do
  std::uint32_t type = 0;    // SHT_*
  std::uint64_t flags = 0;   // SHF_*
  std::uint64_t addr = 0, offset = 0, size = 0;
};

struct ElfFile {
  int bits = 0;  // 32 or 64
  Endian endian = Endian::little;
  ElfDetails details;                      // everything user-visible
  std::vector<Section> sections;           // with file offsets, for readers that need bytes
  std::optional<std::string> interpreter;  // PT_INTERP
  bool has_dynamic = false;                // PT_DYNAMIC present
  std::vector<std::string> needed;         // DT_NEEDED, in order
  std::vector<std::string> warnings;       // what could not be read, with offsets

  // False when the DT_NEEDED list may be incomplete: the program headers or the dynamic
  // section (or its strings) could not be read. True with no PT_DYNAMIC: nothing is needed.
  bool needed_known = false;
  // A PT_LOAD segment runs past the end of the file: an interrupted download or copy.
  bool truncated = false;
};

// The file offset holding virtual address `vaddr`, through the PT_LOAD segments' file bytes;
// nullopt when no PT_LOAD maps that address from the file.
std::optional<std::uint64_t> file_offset_of(const ElfFile& elf, std::uint64_t vaddr);

// Fails only when the file header itself cannot be read; every later problem is a warning
// (a count over one of `limits` is read up to the limit, with a "limit exceeded: NAME" warning).
// The result views `file` (section names): keep the bytes while it is used.
Result<ElfFile> parse(ByteView file, const Limits& limits = {});

// Fills the ELF parts of `report` from `elf`: format, bits, endian, type, machine, platform (with
// evidence), interpreter, linkage, libc, needed, glibc_min, elf details and warnings.
void describe(const ElfFile& elf, FileReport& report);
// describe() without report.elf: for a caller that still reads `elf` and then moves
// elf.details into the report itself (inspect), sparing a copy of every table.
void describe_facts(const ElfFile& elf, FileReport& report);

}  // namespace enoexec::elf
