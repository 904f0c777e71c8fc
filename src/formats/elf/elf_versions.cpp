// Symbol versions a file needs (DT_VERNEED chains), the dynamic symbols bound to each (DT_SYMTAB
// + DT_VERSYM, counted through DT_HASH, DT_GNU_HASH or .dynsym), and the minimum GLIBC, GLIBCXX
// and CXXABI versions that follow. Every chain is bounded by its declared count and by the bytes
// that hold it, so hostile links end.
#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "formats/elf/elf_reader.hpp"

namespace enoexec::elf {
namespace {

class VersionReader {
 public:
  VersionReader(ParseState& state, const VersionTables& tables) : state_(state), tables_(tables) {}

  void read() {
    if (!tables_.verneed) return;
    read_needs();
    if (needs_read_ == 0) return;
    assign_symbols();
  }

 private:
  // The name, viewing the file's bytes; empty when unreadable or past the string budget.
  std::string_view name_at(std::uint64_t offset, std::string_view what) {
    auto text = tables_.strtab.cstring(offset, kMaxStringLength, what);
    if (text && !state_.charge_string(text->size(), what)) return {};
    if (text) return *text;
    state_.warn(fmt::format("{} at DT_STRTAB+0x{:x}: {}", what, offset, to_string(text.error())));
    return {};
  }

  // One visit of a Verneed or Vernaux record; false once the records the bytes can hold have
  // all been visited (overlapping or looping links).
  bool spend() {
    if (budget_ > 0) {
      --budget_;
      return true;
    }
    state_.warn(fmt::format("DT_VERNEED: the version chains visit more records than its {} bytes "
                            "can hold; stopped",
                            needs_.size()));
    return false;
  }

  void read_needs() {
    auto view = bytes_at(state_, *tables_.verneed, ~std::uint64_t{0});
    if (!view) {
      state_.warn(fmt::format("DT_VERNEED 0x{:x} is not inside the file bytes of any PT_LOAD "
                              "segment; symbol versions unavailable",
                              *tables_.verneed));
      return;
    }
    needs_ = *view;
    budget_ = needs_.size() / kVerneedSize;
    const std::uint64_t declared = tables_.verneednum.value_or(budget_);
    std::uint64_t offset = 0;
    for (std::uint64_t n = 0; n < declared && spend(); ++n) {
      auto record = needs_.sub(offset, kVerneedSize, "Elf_Verneed");
      if (!record) {
        state_.warn(fmt::format("Elf_Verneed {}: {}", n, to_string(record.error())));
        return;
      }
      FieldReader in(*record, state_.endian, state_.bits);
      in.u16();  // vn_version
      const std::uint16_t aux_count = in.u16();
      const std::string library(name_at(in.u32(), "vn_file"));
      const std::uint32_t aux = in.u32();
      const std::uint32_t next = in.u32();
      if (!read_aux_chain(offset + aux, aux_count, library)) return;
      if (next == 0) return;
      offset += next;
    }
  }

  bool read_aux_chain(std::uint64_t offset, std::uint16_t count, const std::string& library) {
    auto& needs = state_.out.details.version_needs;
    for (std::uint16_t n = 0; n < count; ++n) {
      if (!spend()) return false;
      auto record = needs_.sub(offset, kVernauxSize, "Elf_Vernaux");
      if (!record) {
        state_.warn(fmt::format("Elf_Vernaux {} of {}: {}", n, library, to_string(record.error())));
        return true;
      }
      FieldReader in(*record, state_.endian, state_.bits);
      in.u32();  // vna_hash
      in.u16();  // vna_flags
      const auto version_index = static_cast<std::uint16_t>(in.u16() & VERSYM_VERSION);
      std::string version(name_at(in.u32(), "vna_name"));
      const std::uint32_t next = in.u32();
      // vna_other is 15 bits: the table stays small even for a hostile file.
      if (version_index >= slot_of_.size()) slot_of_.resize(version_index + 1, kNoSlot);
      slot_of_[version_index] = needs.size();
      ++needs_read_;
      needs.push_back(ElfVersionNeed{library, std::move(version), {}});
      if (next == 0) return true;
      offset += next;
    }
    return true;
  }

  struct SymbolCount {
    std::uint64_t count = 0;
    std::string source;  // "DT_HASH nchain", for warnings
  };

  std::uint64_t hash_entry_size() const {
    // 64-bit s390 and Alpha use 8-byte DT_HASH entries; every other target 4.
    const std::uint16_t machine = state_.header.machine;
    return (machine == EM_S390 && state_.bits == 64) || machine == EM_ALPHA ? 8 : 4;
  }

  std::optional<SymbolCount> count_from_hash() {
    const std::uint64_t entry = hash_entry_size();
    auto table = bytes_at(state_, *tables_.hash, 2 * entry);
    if (!table || table->size() < 2 * entry) {
      state_.warn(fmt::format("DT_HASH 0x{:x} is not inside the file bytes of any PT_LOAD segment",
                              *tables_.hash));
      return std::nullopt;
    }
    const std::uint64_t nchain =
        entry == 8 ? table->read<std::uint64_t>(entry, state_.endian, "nchain").value_or(0)
                   : table->read<std::uint32_t>(entry, state_.endian, "nchain").value_or(0);
    return SymbolCount{nchain, "DT_HASH nchain"};
  }

  // The symbol count is one past the last symbol any bucket's chain reaches.
  std::optional<SymbolCount> count_from_gnu_hash() {
    auto table = bytes_at(state_, *tables_.gnu_hash, ~std::uint64_t{0});
    if (!table || table->size() < 16) {
      state_.warn(fmt::format("DT_GNU_HASH 0x{:x} is not inside the file bytes of any PT_LOAD "
                              "segment",
                              *tables_.gnu_hash));
      return std::nullopt;
    }
    const Endian endian = state_.endian;
    const std::uint64_t nbuckets = table->read<std::uint32_t>(0, endian, "nbuckets").value_or(0);
    const std::uint64_t symoffset = table->read<std::uint32_t>(4, endian, "symoffset").value_or(0);
    const std::uint64_t bloom_size = table->read<std::uint32_t>(8, endian, "bloom").value_or(0);
    const std::uint64_t buckets_at = 16 + bloom_size * static_cast<std::uint64_t>(state_.bits / 8);
    auto buckets = table->array(buckets_at, nbuckets, 4, "DT_GNU_HASH buckets");
    if (!buckets) {
      state_.warn(to_string(buckets.error()));
      return std::nullopt;
    }
    std::uint64_t last = 0;
    for (std::uint64_t i = 0; i < nbuckets; ++i)
      last = std::max<std::uint64_t>(last, buckets->read<std::uint32_t>(i * 4, endian, "bucket")
                                               .value_or(0));
    if (last < symoffset) return SymbolCount{symoffset, "DT_GNU_HASH"};
    const std::uint64_t chains_at = buckets_at + nbuckets * 4;
    for (std::uint64_t symbol = last;; ++symbol) {
      auto chain = table->read<std::uint32_t>(chains_at + (symbol - symoffset) * 4, endian,
                                              "DT_GNU_HASH chain");
      if (!chain) {
        state_.warn(fmt::format("DT_GNU_HASH: the chain of symbol {} does not end: {}", last,
                                to_string(chain.error())));
        return SymbolCount{symbol, "DT_GNU_HASH"};
      }
      if ((*chain & 1) != 0) return SymbolCount{symbol + 1, "DT_GNU_HASH"};
    }
  }

  std::optional<SymbolCount> symbol_count() {
    if (tables_.hash)
      if (auto count = count_from_hash()) return count;
    if (tables_.gnu_hash)
      if (auto count = count_from_gnu_hash()) return count;
    if (const SectionHeader* dynsym = state_.section_of_type(SHT_DYNSYM))
      return SymbolCount{dynsym->size / sym_size(state_.bits), ".dynsym section size"};
    state_.warn("dynamic symbol count unknown (no DT_HASH, DT_GNU_HASH or .dynsym section); the "
                "symbols of each version need are not listed");
    return std::nullopt;
  }

  // Each dynamic symbol's DT_VERSYM entry names the version it needs.
  void assign_symbols() {
    if (!tables_.symtab || !tables_.versym) {
      state_.warn("DT_VERNEED without DT_SYMTAB or DT_VERSYM; the symbols of each version need "
                  "are not listed");
      return;
    }
    const auto count = symbol_count();
    if (!count) return;
    const std::uint64_t entry = sym_size(state_.bits);
    const std::uint64_t wanted = std::min(count->count, state_.file.size());  // no overflow below
    auto symbols = bytes_at(state_, *tables_.symtab, wanted * entry);
    auto versions = bytes_at(state_, *tables_.versym, wanted * 2);
    if (!symbols || !versions) {
      state_.warn(fmt::format("{} 0x{:x} is not inside the file bytes of any PT_LOAD segment",
                              symbols ? "DT_VERSYM" : "DT_SYMTAB",
                              symbols ? *tables_.versym : *tables_.symtab));
      return;
    }
    const std::uint64_t present = std::min(symbols->size() / entry, versions->size() / 2);
    if (present < count->count)
      state_.warn(fmt::format("{} says {} dynamic symbols, but DT_SYMTAB and DT_VERSYM hold only "
                              "{} in the file; reading {}",
                              count->source, count->count, present, present));
    auto& needs = state_.out.details.version_needs;
    for (std::uint64_t i = 1; i < present; ++i) {
      const auto version = static_cast<std::uint16_t>(
          versions->read_or<std::uint16_t>(i * 2, state_.endian, 0) & VERSYM_VERSION);
      if (version >= slot_of_.size() || slot_of_[version] == kNoSlot) continue;
      const std::uint32_t name =
          symbols->read_or<std::uint32_t>(i * entry, state_.endian, 0);
      needs[slot_of_[version]].symbols.push_back(name_at(name, "dynamic symbol name"));
    }
  }

  ParseState& state_;
  const VersionTables& tables_;
  ByteView needs_;
  std::uint64_t budget_ = 0;
  // version_needs slot of each needed version index (vna_other); most of a large library's
  // symbols are its own (local, global or a version it defines) and have none.
  static constexpr std::size_t kNoSlot = ~std::size_t{0};
  std::vector<std::size_t> slot_of_;
  std::size_t needs_read_ = 0;
};

// "2.34" -> {2, 34}; nullopt unless the text is dot-separated decimal numbers.
std::optional<std::vector<std::uint64_t>> version_numbers(std::string_view text) {
  std::vector<std::uint64_t> numbers;
  std::uint64_t value = 0;
  std::size_t digits = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '.') {
      if (digits == 0) return std::nullopt;
      numbers.push_back(value);
      value = 0;
      digits = 0;
    } else if (text[i] >= '0' && text[i] <= '9' && digits < 9) {
      value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
      ++digits;
    } else {
      return std::nullopt;
    }
  }
  return numbers;
}

// GLIBC_ABI_DT_RELR marks a file using DT_RELR relocations, which glibc reads since 2.36.
constexpr std::string_view kRelrMarker = "GLIBC_ABI_DT_RELR";
constexpr std::string_view kRelrGlibc = "2.36";

std::optional<ElfVersionMin> highest_version(const std::vector<ElfVersionNeed>& needs,
                                             std::string_view prefix) {
  std::optional<ElfVersionMin> best;
  std::vector<std::uint64_t> best_numbers;
  for (const ElfVersionNeed& need : needs) {
    if (!need.version.starts_with(prefix)) continue;
    std::string_view text = std::string_view(need.version).substr(prefix.size());
    if (prefix == "GLIBC_" && need.version == kRelrMarker) text = kRelrGlibc;
    auto numbers = version_numbers(text);
    if (!numbers) continue;
    if (!best || *numbers > best_numbers) {
      best = ElfVersionMin{std::string(text), need.symbols};
      best_numbers = std::move(*numbers);
    } else if (*numbers == best_numbers) {
      best->symbols.append(need.symbols);
    }
  }
  return best;
}

}  // namespace

void read_version_needs(ParseState& state, const VersionTables& tables) {
  VersionReader(state, tables).read();
}

void compute_version_minimums(ElfDetails& details) {
  details.glibc_min = highest_version(details.version_needs, "GLIBC_");
  details.glibcxx_min = highest_version(details.version_needs, "GLIBCXX_");
  details.cxxabi_min = highest_version(details.version_needs, "CXXABI_");
}

}  // namespace enoexec::elf
