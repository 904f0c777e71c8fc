// PeBuilder: synthesises small PE images for the PE reader's tests, valid by default and easy to
// break on purpose. Layout: DOS header (64 bytes), PE header at e_lfanew, one ".text" section
// (RVA 0x1000, raw 0x400..0x600) and one ".data" section (RVA 0x2000, raw 0x600..end) holding, in
// order: import lookup tables, DLL names, CLR header and metadata root, load config, delay
// descriptors, import descriptors, then `data_tail`. The ".data" raw size is exact (not padded),
// so a descriptor list without terminator really runs into the end of the section.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "formats/pe/pe_file.hpp"

namespace enoexec::testing {

// What the PE reader makes of `bytes`.
inline FileReport inspect_pe(const std::vector<std::uint8_t>& bytes) {
  FileReport report;
  pe::inspect(ByteView(bytes), report);
  return report;
}

class PeBuilder {
 public:
  struct Import {
    std::string dll;
    std::uint32_t functions = 1;
    bool name_in_tail = false;  // the name RVA points at `data_tail` instead of a proper string
  };

  std::uint32_t lfanew = 0x80;
  std::uint16_t machine = 0x8664;
  bool pe32_plus = true;
  std::uint16_t characteristics = 0x0022;  // EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE
  std::uint16_t subsystem = 3;             // WINDOWS_CUI
  std::uint16_t dll_characteristics = 0x8160;
  std::uint16_t subsystem_version_major = 6, subsystem_version_minor = 0;
  std::uint16_t os_version_major = 6, os_version_minor = 0;
  std::uint32_t timestamp = 0x5f000000;
  std::uint32_t number_of_rva_and_sizes = 16;
  std::optional<std::uint16_t> size_of_optional_header;  // default: fixed part + 16 directories
  std::optional<std::uint16_t> number_of_sections;       // default: 2

  std::vector<Import> imports;
  bool import_terminator = true;
  std::vector<Import> delay_imports;
  std::optional<std::uint32_t> clr_flags;  // adds a CLR header with these flags
  std::string clr_version = "v4.0.30319";
  std::optional<std::uint64_t> chpe_pointer;  // adds a load config with this CHPEMetadataPointer
  std::string data_tail;

  static constexpr std::uint32_t kTextRva = 0x1000, kTextRaw = 0x400, kTextSize = 0x200;
  static constexpr std::uint32_t kDataRva = 0x2000, kDataRaw = 0x600;

  std::uint64_t coff_offset() const { return lfanew + 4; }
  std::uint64_t optional_offset() const { return coff_offset() + 20; }
  std::uint64_t fixed_size() const { return pe32_plus ? 112 : 96; }
  std::uint64_t directory_offset(std::size_t index) const {
    return optional_offset() + fixed_size() + 8 * index;
  }
  std::uint64_t section_table_offset() const {
    return optional_offset() + size_of_optional_header.value_or(
                                   static_cast<std::uint16_t>(fixed_size() + 16 * 8));
  }

  std::vector<std::uint8_t> build() const {
    Data data;
    std::vector<std::uint32_t> lookup, names;
    for (const auto& import : imports) lookup.push_back(data.thunks(import.functions, pe32_plus));
    for (const auto& import : delay_imports)
      lookup.push_back(data.thunks(import.functions, pe32_plus));
    for (const auto& import : imports) names.push_back(data.text(import.dll));
    for (const auto& import : delay_imports) names.push_back(data.text(import.dll));
    std::uint32_t clr_rva = 0, load_config_rva = 0, delay_rva = 0, import_rva = 0;
    if (clr_flags) clr_rva = data.clr(*clr_flags, clr_version);
    if (chpe_pointer) load_config_rva = data.load_config(*chpe_pointer, pe32_plus);
    std::vector<std::size_t> tail_names;  // name fields to point at the tail once it is placed
    auto name_field = [&](std::size_t k, const Import& import) {
      if (import.name_in_tail) tail_names.push_back(data.bytes.size());
      data.u32(names[k]);
    };
    if (!delay_imports.empty()) {
      delay_rva = data.rva();
      for (std::size_t i = 0; i < delay_imports.size(); ++i) {
        const std::size_t k = imports.size() + i;
        data.u32(1);  // Attributes: RVA based
        name_field(k, delay_imports[i]);
        data.u32(0), data.u32(0), data.u32(lookup[k]), data.u32(0), data.u32(0), data.u32(0);
      }
      data.zeros(32);
    }
    if (!imports.empty()) {
      import_rva = data.rva();
      for (std::size_t i = 0; i < imports.size(); ++i) {
        data.u32(lookup[i]), data.u32(0), data.u32(0);
        name_field(i, imports[i]);
        data.u32(lookup[i]);
      }
      if (import_terminator) data.zeros(20);
    }
    for (const std::size_t at : tail_names) put32(data.bytes, at, data.rva());
    data.raw(data_tail);
    return image(data.bytes, import_rva, delay_rva, clr_rva, load_config_rva);
  }

  static void put16(std::vector<std::uint8_t>& out, std::uint64_t at, std::uint16_t value) {
    put(out, at, value, 2);
  }
  static void put32(std::vector<std::uint8_t>& out, std::uint64_t at, std::uint32_t value) {
    put(out, at, value, 4);
  }
  static void put(std::vector<std::uint8_t>& out, std::uint64_t at, std::uint64_t value,
                  int size) {
    const auto width = static_cast<std::uint64_t>(size);
    if (out.size() < at + width) out.resize(at + width);
    for (std::uint64_t i = 0; i < width; ++i) out[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
  }

  // A PE folded into its DOS header, as the tiny PEs of public analyses are (Sotirov's 97-byte
  // "Tiny PE", the 268-byte ones that Windows 7 and later run): e_lfanew 4, so the optional
  // header starts at 0x1c and e_lfanew doubles as SectionAlignment (and FileAlignment is 4 as
  // well); no sections; `size` bytes in all, cut wherever that falls. A console program whose
  // entry point is the byte after the headers; SizeOfHeaders is the file size.
  static std::vector<std::uint8_t> folded(bool wide, std::size_t size,
                                          std::uint16_t size_of_optional_header = 0,
                                          std::uint16_t sections = 0) {
    std::vector<std::uint8_t> out(0x1c + 240, 0);
    put16(out, 0, 0x5a4d);
    put32(out, 4, 0x00004550);
    put16(out, 8, wide ? 0x8664 : 0x014c);
    put16(out, 10, sections);
    put16(out, 0x18, size_of_optional_header);
    put16(out, 0x1a, wide ? 0x0022 : 0x0103);  // EXECUTABLE_IMAGE | ..., RELOCS_STRIPPED
    const std::uint64_t opt = 0x1c;
    put16(out, opt, wide ? 0x20b : 0x10b);
    put32(out, opt + 16, static_cast<std::uint32_t>(size));  // AddressOfEntryPoint
    if (wide)
      put(out, opt + 24, 0x140000000, 8);
    else
      put32(out, opt + 28, 0x400000);
    put32(out, opt + 32, 4);  // SectionAlignment, also e_lfanew at 0x3c
    put32(out, opt + 36, 4);  // FileAlignment
    put16(out, opt + 48, 4);  // MajorSubsystemVersion 4.0
    put32(out, opt + 56, static_cast<std::uint32_t>(size) + 4);  // SizeOfImage
    put32(out, opt + 60, static_cast<std::uint32_t>(size));      // SizeOfHeaders
    put16(out, opt + 68, 3);                                      // WINDOWS_CUI
    put32(out, opt + (wide ? 108 : 92), 16);                      // NumberOfRvaAndSizes
    out.resize(size, 0);
    return out;
  }

  // A DOS program: "MZ", e_lfarlc and e_lfanew as given, `size` bytes in all.
  static std::vector<std::uint8_t> dos(std::uint16_t lfarlc, std::uint32_t lfanew,
                                       std::size_t size = 0x100) {
    std::vector<std::uint8_t> out(size, 0);
    put16(out, 0, 0x5a4d);
    put16(out, 0x18, lfarlc);
    put32(out, 0x3c, lfanew);
    return out;
  }

 private:
  // The ".data" section under construction; every RVA it hands out is kDataRva-based.
  struct Data {
    std::vector<std::uint8_t> bytes;
    std::uint32_t rva() const { return kDataRva + static_cast<std::uint32_t>(bytes.size()); }
    void u32(std::uint32_t value) { put32(bytes, bytes.size(), value); }
    void u64(std::uint64_t value) { put(bytes, bytes.size(), value, 8); }
    void zeros(std::size_t count) { bytes.resize(bytes.size() + count, 0); }
    void raw(const std::string& text) { bytes.insert(bytes.end(), text.begin(), text.end()); }
    std::uint32_t text(const std::string& value) {
      const std::uint32_t at = rva();
      raw(value);
      zeros(1);
      return at;
    }
    // `count` ordinal imports and the zero entry.
    std::uint32_t thunks(std::uint32_t count, bool wide) {
      const std::uint32_t at = rva();
      for (std::uint32_t i = 1; i <= count; ++i)
        wide ? u64((std::uint64_t{1} << 63) | i) : u32(0x80000000u | i);
      wide ? u64(0) : u32(0);
      return at;
    }
    std::uint32_t clr(std::uint32_t flags, const std::string& version) {
      const std::uint32_t header = rva();
      const std::uint32_t root = header + 72;
      u32(72), put16(bytes, bytes.size(), 2), put16(bytes, bytes.size(), 5);
      u32(root), u32(16 + static_cast<std::uint32_t>(version.size() + 4));
      u32(flags);
      zeros(72 - 20);
      u32(0x424a5342), u32(0x00010001), u32(0);
      const auto padded = static_cast<std::uint32_t>((version.size() + 4) & ~std::size_t{3});
      u32(padded);
      raw(version);
      zeros(padded - version.size());
      return header;
    }
    std::uint32_t load_config(std::uint64_t chpe, bool wide) {
      const std::uint32_t at = rva();
      const std::uint32_t size = wide ? 0x100 : 0x90;
      std::vector<std::uint8_t> config(size, 0);
      put32(config, 0, size);
      put(config, wide ? 200 : 124, chpe, wide ? 8 : 4);
      bytes.insert(bytes.end(), config.begin(), config.end());
      return at;
    }
  };

  std::vector<std::uint8_t> image(const std::vector<std::uint8_t>& data, std::uint32_t import_rva,
                                  std::uint32_t delay_rva, std::uint32_t clr_rva,
                                  std::uint32_t load_config_rva) const {
    std::vector<std::uint8_t> out(kDataRaw, 0);
    put16(out, 0, 0x5a4d);
    put16(out, 0x18, 0x40);
    put32(out, 0x3c, lfanew);
    put32(out, lfanew, 0x00004550);
    const std::uint64_t coff = coff_offset();
    const auto optional_size =
        size_of_optional_header.value_or(static_cast<std::uint16_t>(fixed_size() + 16 * 8));
    put16(out, coff, machine);
    put16(out, coff + 2, number_of_sections.value_or(2));
    put32(out, coff + 4, timestamp);
    put16(out, coff + 16, optional_size);
    put16(out, coff + 18, characteristics);
    const std::uint64_t opt = optional_offset();
    put16(out, opt, pe32_plus ? 0x20b : 0x10b);
    put(out, opt + 2, 0x0e02, 2);  // linker 14.2
    put32(out, opt + 16, kTextRva);
    if (pe32_plus)
      put(out, opt + 24, 0x140000000, 8);
    else
      put32(out, opt + 28, 0x400000);
    put16(out, opt + 40, os_version_major), put16(out, opt + 42, os_version_minor);
    put16(out, opt + 48, subsystem_version_major), put16(out, opt + 50, subsystem_version_minor);
    put32(out, opt + 56, kDataRva + 0x1000 + static_cast<std::uint32_t>(data.size()));
    put32(out, opt + 60, kTextRaw);
    put16(out, opt + 68, subsystem);
    put16(out, opt + 70, dll_characteristics);
    put32(out, opt + fixed_size() - 4, number_of_rva_and_sizes);
    auto directory = [&](std::size_t index, std::uint32_t rva, std::uint32_t size) {
      if (rva == 0) return;
      put32(out, directory_offset(index), rva);
      put32(out, directory_offset(index) + 4, size);
    };
    directory(1, import_rva, 20 * static_cast<std::uint32_t>(imports.size() + 1));
    directory(10, load_config_rva, pe32_plus ? 0x140 : 0xc0);
    directory(13, delay_rva, 32 * static_cast<std::uint32_t>(delay_imports.size() + 1));
    directory(14, clr_rva, 72);
    const std::uint64_t sections = section_table_offset();
    section(out, sections, ".text", kTextRva, kTextSize, kTextRaw, kTextSize, 0x60000020);
    const auto data_size = static_cast<std::uint32_t>(data.size());
    section(out, sections + 40, ".data", kDataRva, data_size, kDataRaw, data_size, 0xc0000040);
    out.resize(kDataRaw);
    out.insert(out.end(), data.begin(), data.end());
    return out;
  }

  static void section(std::vector<std::uint8_t>& out, std::uint64_t at, const std::string& name,
                      std::uint32_t rva, std::uint32_t vsize, std::uint32_t raw,
                      std::uint32_t raw_size, std::uint32_t flags) {
    if (at + 40 > kTextRaw) return;  // a lying SizeOfOptionalHeader pushed the table away
    for (std::size_t i = 0; i < name.size() && i < 8; ++i)
      out[at + i] = static_cast<std::uint8_t>(name[i]);
    put32(out, at + 8, vsize), put32(out, at + 12, rva);
    put32(out, at + 16, raw_size), put32(out, at + 20, raw);
    put32(out, at + 36, flags);
  }
};

}  // namespace enoexec::testing
