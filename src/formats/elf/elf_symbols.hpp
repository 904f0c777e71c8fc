// Symbol NAMES of .symtab and .dynsym, read under a budget (for toolchain fingerprints: a name
// such as rust_begin_unwind or __init_libc is the clue; values and bindings are not read).
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "formats/elf/elf_file.hpp"
#include "support/byte_view.hpp"

namespace enoexec::elf {

// The default budget: enough for the whole symbol table of nearly every program (a stripped
// binary has none; coreutils ~1,000 names; a large C++ program ~100,000) at a bounded cost.
inline constexpr std::uint64_t kMaxSymbolNames = 200000;
inline constexpr std::uint64_t kMaxSymbolNameBytes = 8u << 20;  // 8 MiB of names in all

struct SymbolBudget {
  std::uint64_t max_names = kMaxSymbolNames;
  std::uint64_t max_bytes = kMaxSymbolNameBytes;
};

struct SymbolNameScan {
  bool has_symtab = false;      // a SHT_SYMTAB section exists (the file is not stripped)
  bool symtab_complete = false; // every .symtab name was visited within the budget
  std::uint64_t names = 0;      // names visited (both tables)
  std::uint64_t bytes = 0;      // their bytes
  std::vector<std::string> warnings;  // tables or names that could not be read, with offsets
};

// Receives the names in order, a batch at a time.
using SymbolVisitor = std::function<void(std::span<const std::string_view>)>;

// Calls `visit` with each non-empty symbol name of the SHT_SYMTAB sections, then of the
// SHT_DYNSYM sections (each table's names come from the string table its sh_link names), until
// the budget is spent. Every read is bounded by the file; a damaged table becomes a warning.
SymbolNameScan for_each_symbol_name(ByteView file, const ElfFile& elf,
                                    const SymbolVisitor& visit,
                                    SymbolBudget budget = {});

}  // namespace enoexec::elf
