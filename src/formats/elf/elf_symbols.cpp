// Symbol names under a budget. ElfFile keeps no sh_link or sh_entsize, so they are read again
// from the section header records (elf.sections[i] was read from record i of the table).
#include "formats/elf/elf_symbols.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include "formats/elf/elf_reader.hpp"

namespace enoexec::elf {
namespace {

struct TableLinks {
  std::uint32_t link = 0;
  std::uint64_t entsize = 0;
};

// sh_link and sh_entsize of section `index`, from its record in the section header table.
std::optional<TableLinks> links_of(ByteView file, const FileHeader& header, int bits,
                                   Endian endian, std::uint64_t index) {
  const std::uint64_t size = shdr_size(bits);
  if (header.shoff == 0 || index > (file.size() - std::min(file.size(), header.shoff)) / size)
    return std::nullopt;
  auto record = file.sub(header.shoff + index * size, size, "section header");
  if (!record) return std::nullopt;
  TableLinks out;
  out.link = record->read<std::uint32_t>(bits == 64 ? 40 : 24, endian, "sh_link").value_or(0);
  out.entsize = bits == 64 ? record->read<std::uint64_t>(56, endian, "sh_entsize").value_or(0)
                           : record->read<std::uint32_t>(36, endian, "sh_entsize").value_or(0);
  return out;
}

// A section's bytes, cut at the end of the file (the reader has warned about the overrun).
ByteView section_bytes(ByteView file, const Section& section) {
  auto bytes = file.sub(section.offset, section.size, "section");
  return bytes ? *bytes : file.clamp(section.offset, section.size);
}

// The NUL-terminated name at `offset`, as ByteView::cstring reads it, or a null view when it is
// not there (past the table, or longer than kMaxStringLength); the caller then asks cstring for
// the exact error. A plain view, not a Result, keeps the per-name path in registers.
std::string_view find_name(std::string_view strings, std::uint64_t offset) {
  if (offset >= strings.size()) return {};
  const char* start = strings.data() + offset;
  const std::size_t window = std::min<std::size_t>(strings.size() - offset, kMaxStringLength + 1);
  const void* nul = std::memchr(start, 0, window);
  if (nul == nullptr) return {};
  return {start, static_cast<std::size_t>(static_cast<const char*>(nul) - start)};
}

// Symbols list their names in hash or address order, so the walk jumps around the string
// table and nearly every name is a cache miss. Asking for the name a few symbols ahead lets
// those misses overlap instead of queueing one behind the other.
constexpr std::uint64_t kPrefetchAhead = 16;

void prefetch_name(ByteView symbols, std::uint64_t at, Endian endian, ByteView strings) {
  const std::uint32_t name = symbols.read_or<std::uint32_t>(at, endian, 0);
  // A hint only: never a fault, whatever the address; still, only offsets inside the table.
  if (name < strings.size()) __builtin_prefetch(strings.data() + name);
}

class NameWalker {
 public:
  NameWalker(ByteView file, const ElfFile& elf, const SymbolVisitor& visit,
             SymbolBudget budget, SymbolNameScan& out)
      : file_(file), elf_(elf), visit_(visit), budget_(budget), out_(out) {}

  // Visits one table's names; false when the budget ran out.
  bool walk(std::size_t index, const FileHeader& header) {
    const Section& table = elf_.sections[index];
    const std::string what = fmt::format("symbol table {} (section {})", table.name, index);
    auto links = links_of(file_, header, elf_.bits, elf_.endian, index);
    if (!links || links->link == 0 || links->link >= elf_.sections.size() ||
        elf_.sections[links->link].type != SHT_STRTAB) {
      warn(fmt::format("{}: sh_link names no string table; names not read", what));
      lost_ = true;
      return true;
    }
    const ByteView strings = section_bytes(file_, elf_.sections[links->link]);
    const ByteView symbols = section_bytes(file_, table);
    if (symbols.size() < table.size) lost_ = true;
    const std::uint64_t entry = links->entsize >= sym_size(elf_.bits) ? links->entsize
                                                                       : sym_size(elf_.bits);
    std::uint64_t unreadable = 0;
    const std::uint64_t ahead = kPrefetchAhead * entry;
    for (std::uint64_t at = entry; at + 4 <= symbols.size(); at += entry) {  // skip symbol 0
      if (ahead <= symbols.size() - at) prefetch_name(symbols, at + ahead, elf_.endian, strings);
      const std::uint32_t name = symbols.read_or<std::uint32_t>(at, elf_.endian, 0);
      if (name == 0) continue;
      const std::string_view text = find_name(strings.as_chars(), name);
      if (text.data() == nullptr) {
        if (unreadable++ == 0) warn_unreadable(what, strings, name);
        continue;
      }
      if (out_.names >= budget_.max_names || out_.bytes + text.size() > budget_.max_bytes)
        return false;
      ++out_.names;
      out_.bytes += text.size();
      batch_[batched_++] = text;
      if (batched_ == batch_.size()) flush();
    }
    if (unreadable > 0) lost_ = true;
    return true;
  }

  // Some names could not be read: a damaged table, or one cut short by the end of the file.
  bool lost() const { return lost_; }

  // Hands the names gathered so far to the visitor.
  void flush() {
    if (batched_ > 0) visit_(std::span<const std::string_view>(batch_.data(), batched_));
    batched_ = 0;
  }

 private:
  void warn(std::string text) {
    if (out_.warnings.size() < kMaxWarnings) out_.warnings.push_back(std::move(text));
  }

  void warn_unreadable(std::string_view what, ByteView strings, std::uint64_t offset) {
    // find_name failed on the same terms as cstring, which says why.
    auto text = strings.cstring(offset, kMaxStringLength, "symbol name");
    if (!text) warn(fmt::format("{}: {}", what, to_string(text.error())));
  }

  ByteView file_;
  const ElfFile& elf_;
  const SymbolVisitor& visit_;
  SymbolBudget budget_;
  SymbolNameScan& out_;
  bool lost_ = false;
  // Names go to the visitor a batch at a time: one indirect call per batch, not per name.
  std::array<std::string_view, 256> batch_;
  std::size_t batched_ = 0;
};

}  // namespace

SymbolNameScan for_each_symbol_name(ByteView file, const ElfFile& elf,
                                    const SymbolVisitor& visit,
                                    SymbolBudget budget) {
  SymbolNameScan out;
  std::vector<std::string> header_warnings;
  auto header = read_file_header(file, header_warnings);
  if (!header || elf.sections.empty()) return out;
  NameWalker walker(file, elf, visit, budget, out);
  bool within_budget = true;
  for (std::size_t i = 0; i < elf.sections.size() && within_budget; ++i)
    if (elf.sections[i].type == SHT_SYMTAB) {
      out.has_symtab = true;
      within_budget = walker.walk(i, *header);
    }
  out.symtab_complete = out.has_symtab && within_budget && !walker.lost();
  for (std::size_t i = 0; i < elf.sections.size() && within_budget; ++i)
    if (elf.sections[i].type == SHT_DYNSYM) within_budget = walker.walk(i, *header);
  walker.flush();
  return out;
}

}  // namespace enoexec::elf
