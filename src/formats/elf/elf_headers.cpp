// The ELF file header (read by elf_header.cpp, with the version warnings added here), the program
// header table and the section header table (with extended numbering and section names). Only the
// file header can fail; table problems are warnings.
#include <algorithm>

#include <fmt/format.h>

#include "formats/elf/elf_header.hpp"
#include "formats/elf/elf_reader.hpp"

namespace enoexec::elf {
namespace {

std::string class_name(int bits) { return bits == 64 ? "ELFCLASS64" : "ELFCLASS32"; }

// How many of `count` records of `size` bytes at `offset` the file holds (and the safety
// limit allows); warns when the table is cut short.
std::uint64_t records_present(ParseState& state, std::string_view table, std::uint64_t offset,
                              std::uint64_t count, std::uint64_t size, std::string_view limit_name,
                              std::uint64_t limit) {
  const std::uint64_t file_size = state.file.size();
  if (offset > file_size) {
    state.warn(fmt::format("{} at offset 0x{:x} starts past the end of the file (file is {} bytes)",
                           table, offset, file_size));
    return 0;
  }
  const std::uint64_t present = (file_size - offset) / size;
  if (count > present) {
    state.warn(fmt::format("{}: {} entries at offset 0x{:x}, but the file holds only {} (file is {} "
                           "bytes)",
                           table, count, offset, present, file_size));
    count = present;
  }
  if (count > limit) {
    state.warn(limit_exceeded(limit_name,
                              fmt::format("{} has {} entries, more than {}; reading the first {}",
                                          table, count, limit, limit)));
    count = limit;
  }
  return count;
}

ProgramHeader read_program_header(ByteView record, Endian endian, int bits) {
  FieldReader in(record, endian, bits);
  ProgramHeader ph;
  ph.type = in.u32();
  if (bits == 64) ph.flags = in.u32();
  ph.offset = in.word();
  ph.vaddr = in.word();
  ph.paddr = in.word();
  ph.filesz = in.word();
  ph.memsz = in.word();
  if (bits == 32) ph.flags = in.u32();
  ph.align = in.word();
  return ph;
}

SectionHeader read_section_header(ByteView record, Endian endian, int bits) {
  FieldReader in(record, endian, bits);
  SectionHeader sh;
  sh.name = in.u32();
  sh.type = in.u32();
  sh.flags = in.word();
  sh.addr = in.word();
  sh.offset = in.word();
  sh.size = in.word();
  sh.link = in.u32();
  sh.info = in.u32();
  sh.addralign = in.word();
  sh.entsize = in.word();
  return sh;
}

// Section 0 holds the real counts when they overflow their header fields (extended numbering).
std::optional<SectionHeader> read_section_zero(ParseState& state) {
  const FileHeader& h = state.header;
  if (h.shoff == 0) return std::nullopt;
  if (h.shentsize != shdr_size(state.bits)) {
    state.warn(fmt::format("e_shentsize is {}, expected {} for {}; section headers skipped",
                           h.shentsize, shdr_size(state.bits), class_name(state.bits)));
    return std::nullopt;
  }
  auto record = state.file.sub(h.shoff, shdr_size(state.bits), "section header 0");
  if (!record) {
    state.warn(fmt::format("section header table at offset 0x{:x} lies past the end of the file "
                           "(file is {} bytes); section headers skipped",
                           h.shoff, state.file.size()));
    return std::nullopt;
  }
  return read_section_header(*record, state.endian, state.bits);
}

void read_program_headers(ParseState& state, const std::optional<SectionHeader>& section_zero) {
  const FileHeader& h = state.header;
  std::uint64_t count = h.phnum;
  if (h.phnum == PN_XNUM) {
    if (section_zero) count = section_zero->info;
    else state.warn("e_phnum is PN_XNUM but section header 0 could not be read");
  }
  if (h.phoff == 0 || count == 0) {
    state.phdrs_known = true;
    return;
  }
  if (h.phentsize != phdr_size(state.bits)) {
    state.warn(fmt::format("e_phentsize is {}, expected {} for {}; program headers skipped",
                           h.phentsize, phdr_size(state.bits), class_name(state.bits)));
    return;
  }
  const std::uint64_t size = phdr_size(state.bits);
  count = records_present(state, "program header table", h.phoff, count, size, "program headers",
                          state.limits.program_headers);
  state.phdrs.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    auto record = state.file.sub(h.phoff + i * size, size, "program header");
    if (record) state.phdrs.push_back(read_program_header(*record, state.endian, state.bits));
  }
  state.phdrs_known = true;
}

void read_section_names(ParseState& state, std::uint64_t shstrndx) {
  auto& sections = state.out.sections;
  if (shstrndx == SHN_UNDEF) return;
  if (shstrndx >= state.shdrs.size()) {
    state.warn(fmt::format("e_shstrndx {} is out of range ({} sections); section names unavailable",
                           shstrndx, state.shdrs.size()));
    return;
  }
  const SectionHeader& table = state.shdrs[shstrndx];
  auto names = state.file.sub(table.offset, table.size, "section name table");
  if (!names || table.type == SHT_NOBITS) {
    state.warn(fmt::format("section name table (section {}) at offset 0x{:x}, {} bytes, is not in "
                           "the file (file is {} bytes); section names unavailable",
                           shstrndx, table.offset, table.size, state.file.size()));
    return;
  }
  std::uint64_t unreadable = 0;
  std::string first_error;
  for (std::size_t i = 0; i < state.shdrs.size(); ++i) {
    auto name = names->cstring(state.shdrs[i].name, kMaxStringLength, "section name");
    if (name) {
      sections[i].name = *name;
    } else if (unreadable++ == 0) {
      first_error = fmt::format("section {}: {}", i, to_string(name.error()));
    }
  }
  if (unreadable > 0)
    state.warn(fmt::format("{} section names could not be read; first: {}", unreadable, first_error));
}

void warn_sections_outside_file(ParseState& state) {
  for (std::size_t i = 0; i < state.shdrs.size(); ++i) {
    const SectionHeader& sh = state.shdrs[i];
    if (sh.type == SHT_NOBITS || sh.type == SHT_NULL || sh.size == 0) continue;
    if (state.file.contains(sh.offset, sh.size)) continue;
    const std::string_view name = state.out.sections[i].name;
    state.warn(fmt::format("section {}{}: sh_offset 0x{:x} + sh_size 0x{:x} extends past the end "
                           "of the file (file is {} bytes)",
                           i, name.empty() ? "" : fmt::format(" ({})", name), sh.offset, sh.size,
                           state.file.size()));
  }
}

// The names go into the report. Sections may all name one long string of the name table, so
// what is copied stays within the table's size (every name once) plus limits.string_bytes (for
// names that share bytes, as tail-merged ones do); past that a name is kept empty, with one
// warning. Without the cap, a 64 MiB file of a million sections naming one 64 KiB string
// would ask for 64 GiB.
void keep_section_names(ParseState& state, std::uint64_t shstrndx) {
  const auto& sections = state.out.sections;
  const std::uint64_t table_size =
      shstrndx < state.shdrs.size() ? std::min(state.shdrs[shstrndx].size, state.file.size()) : 0;
  std::uint64_t budget = table_size + state.limits.string_bytes;
  ElfDetails& details = state.out.details;
  details.has_section_headers = true;
  details.section_count = sections.size();
  details.sections.reserve(sections.size());
  bool exhausted = false;
  for (std::size_t i = 0; i < sections.size(); ++i) {
    if (i == 0 && sections[i].type == SHT_NULL) continue;
    std::string_view name = sections[i].name;
    if (!exhausted && name.size() > budget) {
      exhausted = true;
      state.warn(limit_exceeded(
          "string bytes", fmt::format("section names fill the name table's {} bytes and {} more; "
                                      "the names of section {} and after are not kept",
                                      table_size, state.limits.string_bytes, i)));
    }
    if (exhausted) name = {};
    budget -= name.size();
    details.sections.push_back(name);
  }
}

void read_section_headers(ParseState& state, const std::optional<SectionHeader>& section_zero) {
  if (!section_zero) return;
  const FileHeader& h = state.header;
  std::uint64_t count = h.shnum == 0 ? section_zero->size : h.shnum;
  const std::uint64_t shstrndx = h.shstrndx == SHN_XINDEX ? section_zero->link : h.shstrndx;
  const std::uint64_t size = shdr_size(state.bits);
  count = records_present(state, "section header table", h.shoff, count, size, "sections",
                          state.limits.sections);
  state.shdrs.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    auto record = state.file.sub(h.shoff + i * size, size, "section header");
    if (record) state.shdrs.push_back(read_section_header(*record, state.endian, state.bits));
  }
  auto& sections = state.out.sections;
  sections.reserve(state.shdrs.size());
  for (const SectionHeader& sh : state.shdrs)
    sections.push_back(Section{"", sh.type, sh.flags, sh.addr, sh.offset, sh.size});
  read_section_names(state, shstrndx);
  warn_sections_outside_file(state);

  keep_section_names(state, shstrndx);
}

}  // namespace

Result<FileHeader> read_file_header(ByteView file, std::vector<std::string>& warnings) {
  auto header = read_elf_header(file);
  if (!header) return header;
  if (header->ei_version != EV_CURRENT)
    warnings.push_back(fmt::format("EI_VERSION is {}, expected EV_CURRENT (1) (at offset 0x6)",
                                   header->ei_version));
  if (header->version != EV_CURRENT)
    warnings.push_back(
        fmt::format("e_version is {}, expected EV_CURRENT (1) (at offset 0x14)", header->version));
  return header;
}

void read_header_tables(ParseState& state) {
  const std::optional<SectionHeader> section_zero = read_section_zero(state);
  read_program_headers(state, section_zero);
  read_section_headers(state, section_zero);
}

const SectionHeader* ParseState::section_of_type(std::uint32_t type) const {
  auto found = std::find_if(shdrs.begin(), shdrs.end(),
                            [type](const SectionHeader& sh) { return sh.type == type; });
  return found == shdrs.end() ? nullptr : &*found;
}

}  // namespace enoexec::elf
