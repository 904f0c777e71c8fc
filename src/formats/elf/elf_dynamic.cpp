// The dynamic section, found through PT_DYNAMIC (not the section table, so files stripped of
// section headers work): DT_NEEDED, DT_SONAME, DT_RPATH/DT_RUNPATH, flags, and the addresses of
// the string, symbol and version tables, translated through the PT_LOAD segments.
#include <fmt/format.h>

#include "formats/elf/elf_reader.hpp"

namespace enoexec::elf {
namespace {

struct DynamicEntries {
  std::vector<std::uint64_t> needed;  // string table offsets, in order
  // Single-valued tags: the last entry wins, as in ld.so's l_info[] table.
  std::optional<std::uint64_t> soname, rpath, runpath, strtab, strsz, symtab, hash, gnu_hash,
      verneed, verneednum, versym;
  std::uint64_t flags = 0, flags_1 = 0;
  bool bind_now = false;
};

void record(DynamicEntries& entries, std::uint64_t tag, std::uint64_t value) {
  switch (tag) {
    case DT_NEEDED: entries.needed.push_back(value); break;
    case DT_SONAME: entries.soname = value; break;
    case DT_RPATH: entries.rpath = value; break;
    case DT_RUNPATH: entries.runpath = value; break;
    case DT_STRTAB: entries.strtab = value; break;
    case DT_STRSZ: entries.strsz = value; break;
    case DT_SYMTAB: entries.symtab = value; break;
    case DT_HASH: entries.hash = value; break;
    case DT_GNU_HASH: entries.gnu_hash = value; break;
    case DT_VERNEED: entries.verneed = value; break;
    case DT_VERNEEDNUM: entries.verneednum = value; break;
    case DT_VERSYM: entries.versym = value; break;
    case DT_FLAGS: entries.flags = value; break;
    case DT_FLAGS_1: entries.flags_1 = value; break;
    case DT_BIND_NOW: entries.bind_now = true; break;
    default: break;
  }
}

// Reads Elf_Dyn entries up to DT_NULL, bounded by the segment and by kMaxDynamicEntries.
std::optional<DynamicEntries> read_entries(ParseState& state, const ProgramHeader& ph) {
  const ByteView bytes = state.file.clamp(ph.offset, ph.filesz);
  if (bytes.size() < ph.filesz)
    state.warn(fmt::format("PT_DYNAMIC at offset 0x{:x}, {} bytes, extends past the end of the "
                           "file (file is {} bytes)",
                           ph.offset, ph.filesz, state.file.size()));
  if (bytes.empty()) return std::nullopt;
  const std::uint64_t size = dyn_size(state.bits);
  std::uint64_t count = bytes.size() / size;
  if (count > state.limits.dynamic_entries) {
    state.warn(limit_exceeded("dynamic entries",
                              fmt::format("PT_DYNAMIC has room for {} entries, more than {}; the "
                                          "rest are ignored (at offset 0x{:x})",
                                          count, state.limits.dynamic_entries, ph.offset)));
    count = state.limits.dynamic_entries;
  }
  DynamicEntries entries;
  for (std::uint64_t i = 0; i < count; ++i) {
    auto record_bytes = bytes.sub(i * size, size, "Elf_Dyn");
    if (!record_bytes) break;
    FieldReader in(*record_bytes, state.endian, state.bits);
    const std::uint64_t tag = in.word();
    const std::uint64_t value = in.word();
    if (tag == DT_NULL) return entries;
    record(entries, tag, value);
  }
  state.warn(fmt::format("PT_DYNAMIC: no DT_NULL among its {} entries (at offset 0x{:x})", count,
                         ph.offset));
  return entries;
}

std::vector<std::string> split_path_list(std::string_view list) {
  std::vector<std::string> parts;
  if (list.empty()) return parts;
  for (;;) {
    const std::size_t colon = list.find(':');
    parts.emplace_back(list.substr(0, colon));
    if (colon == std::string_view::npos) return parts;
    list.remove_prefix(colon + 1);
  }
}

class DynamicStrings {
 public:
  DynamicStrings(ParseState& state, ByteView table) : state_(state), table_(table) {}

  std::optional<std::string> get(std::uint64_t offset, std::string_view tag) {
    auto text = table_.cstring(offset, kMaxStringLength, tag);
    if (text && !state_.charge_string(text->size(), tag)) return std::nullopt;
    if (text) return std::string(*text);
    state_.warn(fmt::format("{} string at DT_STRTAB+0x{:x}: {}", tag, offset,
                            to_string(text.error())));
    return std::nullopt;
  }

 private:
  ParseState& state_;
  ByteView table_;
};

// DT_STRTAB through the PT_LOADs, bounded by DT_STRSZ.
std::optional<ByteView> string_table(ParseState& state, const DynamicEntries& entries) {
  if (!entries.strtab) {
    const bool names_wanted = !entries.needed.empty() || entries.soname || entries.rpath ||
                              entries.runpath || entries.verneed;
    if (names_wanted) state.warn("dynamic section has no DT_STRTAB; its names are unavailable");
    return std::nullopt;
  }
  const std::uint64_t wanted = entries.strsz.value_or(~std::uint64_t{0});
  auto table = bytes_at(state, *entries.strtab, wanted);
  if (!table) {
    state.warn(fmt::format("DT_STRTAB 0x{:x} is not inside the file bytes of any PT_LOAD segment; "
                           "dynamic names unavailable",
                           *entries.strtab));
    return std::nullopt;
  }
  if (entries.strsz && table->size() < *entries.strsz)
    state.warn(fmt::format("DT_STRSZ {} runs past the file bytes of its PT_LOAD segment; reading {}",
                           *entries.strsz, table->size()));
  return table;
}

void apply_names(ParseState& state, const DynamicEntries& entries, DynamicStrings& strings) {
  ElfFile& out = state.out;
  ElfDetails& details = out.details;
  std::uint64_t read = 0;
  for (std::uint64_t offset : entries.needed) {
    if (read++ == state.limits.needed_libraries) {
      state.warn(limit_exceeded("needed libraries",
                                fmt::format("{} DT_NEEDED entries, more than {}; the rest are not "
                                            "read",
                                            entries.needed.size(), state.limits.needed_libraries)));
      out.needed_known = false;
      break;
    }
    if (auto name = strings.get(offset, "DT_NEEDED")) out.needed.push_back(std::move(*name));
    else out.needed_known = false;
  }
  if (entries.soname) details.soname = strings.get(*entries.soname, "DT_SONAME");
  if (entries.rpath)
    if (auto list = strings.get(*entries.rpath, "DT_RPATH")) details.rpath = split_path_list(*list);
  if (entries.runpath)
    if (auto list = strings.get(*entries.runpath, "DT_RUNPATH"))
      details.runpath = split_path_list(*list);
}

const ProgramHeader* find_dynamic(const ParseState& state) {
  for (const ProgramHeader& ph : state.phdrs)
    if (ph.type == PT_DYNAMIC) return &ph;
  return nullptr;
}

}  // namespace

std::optional<ByteView> bytes_at(const ParseState& state, std::uint64_t vaddr,
                                 std::uint64_t length) {
  for (const ProgramHeader& ph : state.phdrs) {
    if (ph.type != PT_LOAD || vaddr < ph.vaddr) continue;
    const std::uint64_t delta = vaddr - ph.vaddr;
    if (delta >= ph.filesz || delta > ~ph.offset) continue;
    const std::uint64_t offset = ph.offset + delta;
    if (offset >= state.file.size()) continue;
    return state.file.clamp(offset, std::min(length, ph.filesz - delta));
  }
  return std::nullopt;
}

void read_dynamic(ParseState& state) {
  ElfFile& out = state.out;
  out.needed_known = state.phdrs_known;
  const ProgramHeader* dynamic = find_dynamic(state);
  if (dynamic == nullptr) return;
  auto entries = read_entries(state, *dynamic);
  if (!entries) {
    out.needed_known = false;
    return;
  }
  ElfDetails& details = out.details;
  details.df_1_pie = (entries->flags_1 & DF_1_PIE) != 0;
  details.bind_now = entries->bind_now || (entries->flags & DF_BIND_NOW) != 0 ||
                     (entries->flags_1 & DF_1_NOW) != 0;

  auto table = string_table(state, *entries);
  if (!table) {
    if (!entries->needed.empty()) out.needed_known = false;
    return;
  }
  DynamicStrings strings(state, *table);
  apply_names(state, *entries, strings);
  read_version_needs(state, VersionTables{*table, entries->verneed, entries->verneednum,
                                          entries->versym, entries->symtab, entries->hash,
                                          entries->gnu_hash});
  compute_version_minimums(details);
}

}  // namespace enoexec::elf
