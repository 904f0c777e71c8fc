// Internal to the ELF reader: the state the parse steps share, and the steps themselves.
// parse() (elf_file.cpp) runs them in order; each adds to `out` and warns instead of failing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "formats/elf/elf_file.hpp"
#include "formats/elf/elf_types.hpp"

namespace enoexec::elf {

// Named safety limits: a hostile count never costs more than this much work or memory. The
// counts are ParseState::limits (enoexec/limits.hpp, docs/limits.md); these are their defaults.
inline constexpr std::uint64_t kMaxProgramHeaders = Limits{}.program_headers;
inline constexpr std::uint64_t kMaxSections = Limits{}.sections;
inline constexpr std::uint64_t kMaxDynamicEntries = Limits{}.dynamic_entries;
inline constexpr std::uint64_t kMaxStringLength = 65536;  // one name: symbol, library, path
inline constexpr std::size_t kMaxWarnings = 100;

struct ParseState {
  ByteView file;
  FileHeader header;
  int bits = 64;
  Endian endian = Endian::little;
  std::vector<ProgramHeader> phdrs;
  bool phdrs_known = false;  // the program header table was read (it may be empty)
  std::vector<SectionHeader> shdrs;
  ElfFile& out;
  Limits limits;

  std::uint64_t string_bytes_used = 0;
  bool string_limit_reported = false;

  void warn(std::string text) { out.warnings.push_back(std::move(text)); }
  // Charges a name of `length` bytes against limits.string_bytes; false, with one warning for
  // the file, once the names read so far would pass it.
  bool charge_string(std::uint64_t length, std::string_view what) {
    if (length <= limits.string_bytes - string_bytes_used) {
      string_bytes_used += length;
      return true;
    }
    if (!string_limit_reported)
      warn(limit_exceeded("string bytes",
                          fmt::format("the dynamic names read so far fill {} bytes; {} and the "
                                      "names after it are not read (limit {})",
                                      string_bytes_used, what, limits.string_bytes)));
    string_limit_reported = true;
    return false;
  }
  // The first section of a type, if the file has section headers.
  const SectionHeader* section_of_type(std::uint32_t type) const;
};

// Reads the fields of one record in file order. The caller has checked (ByteView::sub) that the
// whole record is present, so no read here can fail; `word` is 4 or 8 bytes by class.
class FieldReader {
 public:
  FieldReader(ByteView record, Endian endian, int bits)
      : record_(record), endian_(endian), bits_(bits) {}
  std::uint8_t u8() { return next<std::uint8_t>(); }
  std::uint16_t u16() { return next<std::uint16_t>(); }
  std::uint32_t u32() { return next<std::uint32_t>(); }
  std::uint64_t u64() { return next<std::uint64_t>(); }
  std::uint64_t word() { return bits_ == 64 ? u64() : u32(); }
  void skip(std::uint64_t length) { position_ += length; }

 private:
  template <std::unsigned_integral T>
  T next() {
    // A field past the record's end reads 0 (callers size records before reading them), with
    // the same bounds check as read() but no Error built.
    const T value = record_.read_or<T>(position_, endian_, T{0});
    position_ += sizeof(T);
    return value;
  }
  ByteView record_;
  Endian endian_;
  int bits_;
  std::uint64_t position_ = 0;
};

// elf_headers.cpp
Result<FileHeader> read_file_header(ByteView file, std::vector<std::string>& warnings);
void read_header_tables(ParseState& state);  // program and section headers, section names

// elf_dynamic.cpp: PT_DYNAMIC, its strings, then symbol versions.
// The file bytes at virtual address `vaddr`, at most `length`, cut at the end of the PT_LOAD
// segment's file part and of the file; nullopt when no PT_LOAD maps the address from the file.
std::optional<ByteView> bytes_at(const ParseState& state, std::uint64_t vaddr,
                                 std::uint64_t length);
void read_dynamic(ParseState& state);

// elf_versions.cpp
struct VersionTables {
  ByteView strtab;
  std::optional<std::uint64_t> verneed, verneednum, versym, symtab, hash, gnu_hash;
};
void read_version_needs(ParseState& state, const VersionTables& tables);
// GLIBC / GLIBCXX / CXXABI minimums from details.version_needs.
void compute_version_minimums(ElfDetails& details);

}  // namespace enoexec::elf
