// Which toolchain built a file, from the clues its format reader collects. Format-neutral: the
// adapters beside it (toolchain_evidence) fill `Clues` from an ELF (and later Mach-O and PE) file.
//
// The rule is "never guess": each field of the result is set only when a clue states it, and
// every clue used is named in Toolchain::evidence. Where clues disagree, the strongest wins:
//
//   language: Go build info / Go sections > Rust (rustc .comment, Rust symbols) > Zig symbols
//             > C++ (C++ runtime needed, GLIBCXX/CXXABI versions, C++ mangled symbols)
//             > other runtimes (Fortran, Swift, .NET) > C.
//   C is said only when a C compiler is named and a complete symbol table holds no C++, Rust or
//   Zig name: a stripped C++ program linked with -static-libstdc++ looks exactly like C.
//   compiler: rustc > clang > GCC among .comment lines. Every program linked with glibc's or
//             musl's start files carries their "GCC:" line, even when clang or rustc compiled
//             the program, so "GCC:" names the compiler only when no other compiler is named.
//   linker:   "Linker: LLD" and "mold" .comment lines, the GNU gold version note, Go's internal
//             linker (Go build info, no .comment, no -linkmode=external), Apple ld's build tool
//             version, a PE linker version 2.x (GNU ld writes its binutils version; not for
//             .NET images, whose compilers write their own numbers there). GNU ld
//             (bfd) on ELF leaves no mark at all, so an ELF linked by it has no linker.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/details/go.hpp"
#include "enoexec/details/toolchain.hpp"
#include "enoexec/platform.hpp"

namespace enoexec::toolchain {

// What a symbol name says about the toolchain. One name has at most one meaning.
enum class SymbolKind {
  none,
  cxx,    // Itanium C++ mangling (_Z...) that is not Rust's legacy mangling
  rust,   // rust_begin_unwind, __rust_alloc, legacy _ZN...17h<16 hex>E, v0 _R mangling
  zig,    // Zig's start code and compiler_rt: *start.posixCallMainAndExit, __zig_probe_stack
  musl,   // musl's static start-up: __init_libc, __libc_start_init
  glibc,  // glibc's static start-up: _dl_relocate_static_pie, __libc_setup_tls, _dl_aux_init
  go,     // the gc runtime: runtime.main, runtime.buildVersion, runtime.rt0_go
};
SymbolKind classify_symbol(std::string_view name);

// The names of a symbol table that matched a rule, kept per kind (at most kKeptPerKind each),
// and whether the whole table was read.
struct SymbolClues {
  static constexpr std::size_t kKeptPerKind = 3;
  std::vector<std::string> cxx, rust, zig, musl, glibc, go;
  std::uint64_t names_read = 0;
  bool has_symtab = false;  // a full (not only dynamic) symbol table exists
  bool complete = false;    // every name of it was read: absence of a kind means something

  void add(std::string_view name);  // classifies and keeps the name
  bool empty() const;
};

// Everything a format reader can tell about the toolchain, in the reader's own words.
struct Clues {
  std::string format;                     // "elf", "macho", "pe"
  std::vector<std::string> comments;      // ELF .comment strings; PE "GCC: (...)" idents
  std::string comments_from = ".comment"; // where `comments` were read, for the evidence
  std::vector<std::string_view> sections;  // section names, viewing the reader's (which outlive these)
  SymbolClues symbols;
  std::vector<std::string> needed;        // DT_NEEDED / dylibs / imported DLLs
  std::vector<std::string> version_needs; // ELF version needs: "GLIBCXX_3.4.30", "CXXABI_1.3"
  std::optional<std::string> gold_version;  // NT_GNU_GOLD_VERSION text: "gold 1.16"
  bool go_build_id_note = false;          // ELF note "Go"/4 (or a Mach-O/PE Go build id)
  const GoBuildInfo* go = nullptr;        // the report's Go build info, when read
  // PE
  std::optional<std::string> pe_linker_version;  // MajorLinkerVersion.Minor: "2.40", "14.36"
  bool clr = false;                               // a CLR header: a .NET assembly
  std::optional<std::string> clr_runtime;         // metadata version: "v4.0.30319"
  // Mach-O: LC_BUILD_VERSION tools as "<tool> <version>": "ld 907.0", "clang 1500.0.40"
  std::vector<std::string> build_tools;
};

// One .comment line understood: a compiler or a linker with its version.
struct CommentFact {
  enum class Role { compiler, linker } role = Role::compiler;
  std::string name;     // "gcc", "clang", "rustc", "lld", "mold"
  std::string version;  // "12.2.0" ("" when the line names none)
};
std::optional<CommentFact> parse_comment(std::string_view line);

// What the clues establish about the C library of a static program (symbols only).
struct LibcClue {
  Libc libc = Libc::unknown;
  std::string source;  // "symbols __init_libc, __libc_start_init (musl's static start-up)"
};

struct Fingerprint {
  std::optional<Toolchain> toolchain;  // nullopt: no clue at all
  std::optional<LibcClue> libc;
};

Fingerprint fingerprint(const Clues& clues);

}  // namespace enoexec::toolchain
