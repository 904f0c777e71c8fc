// The DOS header, COFF file header, optional header, data directories and section table.
#include <algorithm>
#include <array>
#include <span>

#include <fmt/format.h>

#include "formats/pe/pe_constants.hpp"
#include "formats/pe/pe_file.hpp"

namespace enoexec::pe {
namespace {

constexpr std::uint32_t kPeSignature = 0x00004550;  // "PE\0\0" read little-endian

std::string version(std::uint32_t major, std::uint32_t minor) {
  return fmt::format("{}.{}", major, minor);
}

// The kind of a non-PE "new executable" header, from its two-byte signature.
}  // namespace

std::uint64_t section_extent(const PeSection& section) {
  // Some linkers leave VirtualSize zero; the raw size is then all there is.
  return section.vsize != 0 ? section.vsize : section.raw_size;
}

std::uint64_t section_extent(const PeImage::Section& section) {
  return section.vsize != 0 ? section.vsize : section.raw_size;
}

namespace {

std::string_view new_header_kind(ByteView file, std::uint64_t offset) {
  auto signature = file.read<std::uint16_t>(offset, Endian::little, "new header signature");
  if (!signature) return {};
  switch (*signature) {
    case 0x454e: return "ne-executable";  // "NE": 16-bit Windows, OS/2 1.x
    case 0x454c: return "le-executable";  // "LE": VxD, DOS extenders
    case 0x584c: return "lx-executable";  // "LX": OS/2 2.x
    default: return {};
  }
}

// Why e_lfanew does not lead to a PE signature, as the error the file deserves.
Error missing_pe_header(ByteView file, std::uint32_t lfanew) {
  if (lfanew >= file.size())
    return Error{ErrorCode::out_of_bounds, kLfanewOffset,
                 fmt::format("e_lfanew {:#x} points past the end of the file ({} bytes)", lfanew,
                             file.size())};
  auto signature = file.sub(lfanew, 4, "PE signature");
  if (!signature) return signature.error();
  std::string found;
  for (std::uint64_t i = 0; i < 4; ++i)
    found += fmt::format(" {:02x}", signature->u8(i, "").value_or(0));
  return Error{ErrorCode::bad_magic, lfanew,
               fmt::format("no PE signature at e_lfanew {:#x}: found{}, expected 50 45 00 00",
                           lfanew, found)};
}

struct CoffHeader {
  std::uint16_t machine = 0, number_of_sections = 0, size_of_optional_header = 0;
  std::uint16_t characteristics = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t symbol_table = 0, symbol_count = 0;  // PointerToSymbolTable, NumberOfSymbols
  std::uint64_t header_offset = 0;
};

Result<CoffHeader> read_coff_header(ByteView file, std::uint64_t offset) {
  auto header = file.sub(offset, kCoffHeaderSize, "COFF file header");
  if (!header) return tl::unexpected(header.error());
  CoffHeader coff;
  coff.header_offset = offset;
  coff.machine = header->read<std::uint16_t>(0, Endian::little, "Machine").value_or(0);
  coff.number_of_sections = header->read<std::uint16_t>(2, Endian::little, "").value_or(0);
  coff.timestamp = header->read<std::uint32_t>(4, Endian::little, "").value_or(0);
  coff.symbol_table = header->read<std::uint32_t>(8, Endian::little, "").value_or(0);
  coff.symbol_count = header->read<std::uint32_t>(12, Endian::little, "").value_or(0);
  coff.size_of_optional_header = header->read<std::uint16_t>(16, Endian::little, "").value_or(0);
  coff.characteristics = header->read<std::uint16_t>(18, Endian::little, "").value_or(0);
  return coff;
}

// The optional header's fixed part, read from the zero-filled window (see parse_headers), so
// the reads below cannot fail.
void read_optional_fields(ByteView optional, PeImage& image) {
  auto u8 = [&](std::uint64_t at) { return optional.u8(at, "").value_or(0); };
  auto u16 = [&](std::uint64_t at) {
    return optional.read<std::uint16_t>(at, Endian::little, "").value_or(0);
  };
  auto u32 = [&](std::uint64_t at) {
    return optional.read<std::uint32_t>(at, Endian::little, "").value_or(0);
  };
  PeDetails& d = image.details;
  d.linker_version = version(u8(2), u8(3));
  d.entry_rva = u32(16);
  image.image_base = image.pe32_plus
                         ? optional.read<std::uint64_t>(24, Endian::little, "").value_or(0)
                         : u32(28);
  d.image_base = image.image_base;
  d.os_version = version(u16(40), u16(42));
  d.subsystem_version = version(u16(48), u16(50));
  d.size_of_image = u32(56);
  image.size_of_headers = u32(60);
  d.subsystem = u16(68);
  d.subsystem_name = subsystem_name(d.subsystem);
  d.dll_characteristics = u16(70);
  d.dll_characteristics_names = dll_characteristics_names(d.dll_characteristics);
}

// NumberOfRvaAndSizes is clamped to the 16 entries the format defines (a warning); the entries
// are read at their fixed place after the fixed part, as the loader reads them, whatever
// SizeOfOptionalHeader says. Returns the number read.
std::uint64_t read_data_directories(ByteView optional, std::uint64_t fixed, PeImage& image) {
  const std::uint64_t count_offset = fixed - 4;
  const std::uint32_t stated =
      optional.read<std::uint32_t>(count_offset, Endian::little, "").value_or(0);
  image.details.number_of_rva_and_sizes = stated;
  std::uint64_t count = stated;
  if (count > kMaxDataDirectories) {
    image.warn(optional.file_offset() + count_offset,
               fmt::format("NumberOfRvaAndSizes {} exceeds the {} entries the format defines; "
                           "reading {}",
                           stated, kMaxDataDirectories, kMaxDataDirectories));
    count = kMaxDataDirectories;
  }
  image.directories_offset = optional.file_offset() + fixed;
  for (std::size_t i = 0; i < count; ++i) {
    auto& dir = image.directories[i];
    dir.rva = optional.read<std::uint32_t>(fixed + 8 * i, Endian::little, "").value_or(0);
    dir.size = optional.read<std::uint32_t>(fixed + 8 * i + 4, Endian::little, "").value_or(0);
    if (dir.rva != 0 || dir.size != 0)
      image.details.data_directories.push_back({std::string(directory_name(i)), dir.rva, dir.size});
  }
  return count;
}

// The COFF string table follows the symbol table (18 bytes a symbol). Images normally have
// neither; MinGW keeps them for the long names of its debug sections ("/4" -> ".debug_info").
ByteView string_table(ByteView file, const CoffHeader& coff) {
  if (coff.symbol_table == 0) return {};
  const std::uint64_t offset = coff.symbol_table + std::uint64_t{coff.symbol_count} * 18;
  return file.clamp(offset, file.size());
}

std::string section_name(ByteView header, ByteView strings) {
  const std::string_view raw = header.clamp(0, 8).as_chars();
  const std::string_view name = raw.substr(0, std::min(raw.find('\0'), raw.size()));
  if (name.size() > 1 && name[0] == '/' && !strings.empty()) {
    std::uint64_t offset = 0;
    const auto digits = name.substr(1);
    if (std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      for (const char c : digits) offset = offset * 10 + static_cast<std::uint64_t>(c - '0');
      if (auto long_name = strings.cstring(offset, 255, "section name"))
        return printable(*long_name);
    }
  }
  return printable(name);
}

// A section (or signature) whose bytes run past the end of the file: a cut-short download.
void check_section_extent(PeImage& image, std::size_t index) {
  const PeImage::Section& section = image.table[index];
  if (section.raw_size == 0) return;
  const std::uint64_t end = std::uint64_t{section.raw_offset} + section.raw_size;
  if (end <= image.file.size()) return;
  image.truncated = true;
  if (image.details.mapped_part_cut.empty())
    image.details.mapped_part_cut =
        fmt::format("section {} raw data [{:#x}, {:#x}) runs past the end of the file ({} bytes)",
                    image.section_name(index), section.raw_offset, end, image.file.size());
  image.warn_with(section.header_offset, [&] {
    return fmt::format("section {} raw data [{:#x}, {:#x}) runs past the end of the file ({} "
                       "bytes): the file is truncated",
                       image.section_name(index), section.raw_offset, end, image.file.size());
  });
}

// Sorts the sections by address for at_rva, and warns once when they overlap or descend, which
// the Windows loader refuses.
void index_sections(PeImage& image) {
  const auto& sections = image.table;
  auto& order = image.by_address;
  order.resize(sections.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return sections[a].vaddr < sections[b].vaddr;
  });
  for (std::size_t i = 1; i < sections.size(); ++i) {
    const PeImage::Section& previous = sections[i - 1];
    if (sections[i].vaddr >= std::uint64_t{previous.vaddr} + section_extent(previous)) continue;
    image.warn(sections[i].header_offset,
               fmt::format("section {} at RVA {:#x} overlaps or precedes section {} [{:#x}, "
                           "{:#x}); RVAs resolve to the last section starting at or below them",
                           image.section_name(i), sections[i].vaddr, image.section_name(i - 1),
                           previous.vaddr, previous.vaddr + section_extent(previous)));
    return;
  }
}

// The section table: every header the file holds (up to the "sections" limit) is read; a table
// that runs past the end of the file is a cut file. The first "listed sections" are listed.
void read_sections(ByteView file, std::uint64_t offset, const CoffHeader& coff, PeImage& image) {
  std::uint64_t count = coff.number_of_sections;
  image.strings = string_table(file, coff);
  if (count > image.limits.sections) {
    image.warn(coff.header_offset + 2,
               limit_exceeded("sections",
                              fmt::format("section table has {} entries, more than {}; reading "
                                          "the first {}",
                                          count, image.limits.sections, image.limits.sections)));
    count = image.limits.sections;
  }
  const std::uint64_t in_file =
      offset < file.size() ? (file.size() - offset) / kSectionHeaderSize : 0;
  if (count > in_file) {
    image.truncated = true;
    image.details.mapped_part_cut =
        fmt::format("the file ends at {:#x}, inside the section table [{:#x}, {:#x}) of {} sections, "
                    "which the loader reads from the file",
                    file.size(), offset, offset + count * kSectionHeaderSize, count);
    image.warn(offset, fmt::format("{}: the file is truncated; {} section headers are in it",
                                   image.details.mapped_part_cut, in_file));
    count = in_file;
  }
  image.table.reserve(count);
  const ByteView table = file.clamp(offset, count * kSectionHeaderSize);
  for (std::uint64_t i = 0; i < count; ++i) {
    const ByteView header = table.clamp(i * kSectionHeaderSize, kSectionHeaderSize);
    auto u32 = [&](std::uint64_t at) {
      return header.read<std::uint32_t>(at, Endian::little, "").value_or(0);
    };
    image.table.push_back({u32(12), u32(8), u32(20), u32(16), u32(36), header.file_offset()});
    check_section_extent(image, image.table.size() - 1);
  }
  const std::uint64_t listed = std::min<std::uint64_t>(count, image.limits.listed_sections);
  auto& sections = image.details.sections;
  sections.reserve(listed);
  for (std::uint64_t i = 0; i < listed; ++i) {
    const PeImage::Section& entry = image.table[i];
    PeSection section;
    section.name = image.section_name(i);
    section.vsize = entry.vsize;
    section.vaddr = entry.vaddr;
    section.raw_size = entry.raw_size;
    section.raw_offset = entry.raw_offset;
    section.characteristics = entry.characteristics;
    section.flags = section_flag_names(entry.characteristics);
    sections.push_back(std::move(section));
  }
  image.details.sections_not_listed = count - listed;
  if (count > listed)
    image.warn(offset + listed * kSectionHeaderSize,
               limit_exceeded("listed sections",
                              fmt::format("{} sections; listing the first {}, the other {} are "
                                          "read but not listed",
                                          count, listed, count - listed)));
  index_sections(image);
}

void check_signature_extent(PeImage& image) {
  // The SECURITY directory holds a file offset, not an RVA: Authenticode sits after the sections.
  const auto& dir = image.directories[IMAGE_DIRECTORY_ENTRY_SECURITY];
  if (dir.rva == 0 || dir.size == 0) return;
  const std::uint64_t end = std::uint64_t{dir.rva} + dir.size;
  if (end <= image.file.size()) return;
  image.truncated = true;
  image.warn(image.directory_offset(IMAGE_DIRECTORY_ENTRY_SECURITY),
             fmt::format("certificate table [{:#x}, {:#x}) runs past the end of the file ({} "
                         "bytes): the file is truncated",
                         dir.rva, end, image.file.size()));
}

Result<std::uint64_t> optional_header_fixed_size(std::uint16_t magic, std::uint64_t offset) {
  if (magic == kMagicPe32) return kOptionalHeaderFixed32;
  if (magic == kMagicPe32Plus) return kOptionalHeaderFixed64;
  if (magic == kMagicRom)
    return make_error(ErrorCode::unsupported, offset,
                      "optional header magic 0x107 marks a ROM image, which is not read");
  return make_error(ErrorCode::malformed, offset,
                    fmt::format("optional header magic {:#x} is neither PE32 (0x10b) nor PE32+ "
                                "(0x20b)",
                                magic));
}

}  // namespace

std::string printable(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f && byte != '\\')
      out.push_back(c);
    else
      out += fmt::format("\\x{:02x}", byte);
  }
  return out;
}

void PeImage::warn(std::uint64_t offset, std::string_view text) {
  if (warnings_full()) ++warnings_dropped;
  else warnings.push_back(fmt::format("{} (at offset {:#x})", text, offset));
}

void PeImage::warn(const Error& error) { warn(error.offset, error.what); }

// Sections of a loadable image ascend and do not overlap, so the section holding an RVA is the
// last one starting at or below it: a binary search, so that hostile section counts stay cheap.
Result<ByteView> PeImage::at_rva(std::uint64_t rva, std::string_view what,
                                 std::uint64_t where) const {
  auto after = std::upper_bound(by_address.begin(), by_address.end(), rva,
                                [&](std::uint64_t value, std::uint32_t index) {
                                  return value < table[index].vaddr;
                                });
  if (after != by_address.begin()) {
    const std::uint32_t index = *(after - 1);
    const Section& section = table[index];
    const std::uint64_t extent = section_extent(section);
    const std::uint64_t delta = rva - section.vaddr;
    if (delta < extent) {
      if (delta >= section.raw_size)
        return make_error(ErrorCode::out_of_bounds, where,
                          fmt::format("{} at RVA {:#x} lies in the part of section {} that has "
                                      "no bytes in the file",
                                      what, rva, section_name(index)));
      const ByteView bytes = file.clamp(section.raw_offset + delta, section.raw_size - delta);
      if (bytes.empty())
        return make_error(ErrorCode::truncated, where,
                          fmt::format("{} at RVA {:#x} (section {}) is past the end of the file",
                                      what, rva, section_name(index)));
      return bytes;
    }
  }
  if (rva < size_of_headers && rva < file.size()) return file.clamp(rva, size_of_headers - rva);
  return make_error(ErrorCode::out_of_bounds, where,
                    fmt::format("{} RVA {:#x} is in no section", what, rva));
}

std::string PeImage::section_name(std::size_t index) const {
  return pe::section_name(file.clamp(table[index].header_offset, kSectionHeaderSize), strings);
}

Result<DosHeader> read_dos_header(ByteView file) {
  auto header = file.sub(0, kDosHeaderSize, "DOS header");
  if (!header) return tl::unexpected(header.error());
  const auto lfarlc = header->read<std::uint16_t>(kLfarlcOffset, Endian::little, "").value_or(0);
  const auto lfanew = header->read<std::uint32_t>(kLfanewOffset, Endian::little, "").value_or(0);
  if (file.read<std::uint32_t>(lfanew, Endian::little, "") == kPeSignature)
    return DosHeader{lfanew, {}};
  // Old DOS programs use bytes 0x1c..0x3f for relocations or code; only e_lfarlc >= 0x40 says
  // that e_lfanew is meant to lead somewhere.
  if (lfarlc < 0x40) return DosHeader{0, "dos-executable"};
  if (auto kind = new_header_kind(file, lfanew); !kind.empty()) return DosHeader{0, kind};
  return tl::unexpected(missing_pe_header(file, lfanew));
}

Result<PeImage> parse_headers(ByteView file, std::uint64_t pe_offset, FileReport& report,
                              const Limits& limits) {
  PeImage image;
  image.file = file;
  image.pe_offset = pe_offset;
  image.limits = limits;
  const std::uint64_t coff_offset = pe_offset + 4;
  auto coff = read_coff_header(file, coff_offset);
  if (!coff) return tl::unexpected(coff.error());
  image.machine = coff->machine;
  PeDetails& d = image.details;
  d.machine = coff->machine;
  d.timestamp = coff->timestamp;
  d.characteristics = coff->characteristics;
  d.characteristics_names = characteristics_names(coff->characteristics);
  report.machine = machine_name(coff->machine);
  report.endian = Endian::little;

  // The Magic says what the file is: it must be in the file.
  const std::uint64_t optional_offset = coff_offset + kCoffHeaderSize;
  auto magic = file.read<std::uint16_t>(optional_offset, Endian::little, "optional header Magic");
  if (!magic) return tl::unexpected(magic.error());
  auto fixed = optional_header_fixed_size(*magic, optional_offset);
  if (!fixed) return tl::unexpected(fixed.error());
  image.pe32_plus = *magic == kMagicPe32Plus;
  d.magic = image.pe32_plus ? "PE32+" : "PE32";
  report.bits = image.pe32_plus ? 64 : 32;

  // The loader reads the optional header's fields and data directories at their place, from its
  // mapping of the header page: past the end of a short file they are zeros. SizeOfOptionalHeader
  // only says where the section table starts.
  std::array<std::uint8_t, kOptionalHeaderFixed64 + 8 * kMaxDataDirectories> window{};
  const ByteView present = file.clamp(optional_offset, window.size());
  std::copy(present.bytes().begin(), present.bytes().end(), window.begin());
  const ByteView optional(std::span<const std::uint8_t>(window.data(), *fixed + 8 * kMaxDataDirectories),
                          optional_offset);
  read_optional_fields(optional, image);
  const std::uint64_t directories = read_data_directories(optional, *fixed, image);
  const std::uint64_t needed = *fixed + 8 * directories;  // what the loader reads
  d.optional_header_cut = present.size() < needed;
  if (d.optional_header_cut)
    image.warn(file.size(),
               fmt::format("the file ends at {:#x}, {} bytes into the {}-byte {} optional header "
                           "(with {} data directories); the loader reads the rest as zeros",
                           file.size(), present.size(), needed, d.magic, directories));
  const std::uint64_t table_offset = optional_offset + coff->size_of_optional_header;
  if (coff->size_of_optional_header < needed && coff->number_of_sections > 0)
    image.warn(coff_offset + 16,
               fmt::format("SizeOfOptionalHeader {} is smaller than the {} bytes of the {} "
                           "optional header with {} data directories: the section table at {:#x} "
                           "overlaps it; the loader reads both where they are",
                           coff->size_of_optional_header, needed, d.magic, directories,
                           table_offset));
  if (file.size() < image.size_of_headers)
    image.warn(coff_offset + kCoffHeaderSize + 60,
               fmt::format("the file ends at {:#x}, before SizeOfHeaders {:#x}: the loader maps "
                           "what the file has of the headers and zero-fills the rest",
                           file.size(), image.size_of_headers));

  read_sections(file, table_offset, *coff, image);
  check_signature_extent(image);
  return image;
}

}  // namespace enoexec::pe
