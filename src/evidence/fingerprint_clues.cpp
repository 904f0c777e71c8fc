// Reading single clues: one .comment line, one symbol name.
#include <algorithm>
#include <cctype>

#include "evidence/fingerprint.hpp"

namespace enoexec::toolchain {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

// The dotted number a version token starts with: "12.2.0" of "12.2.0", "14.0.0" of
// "14.0.0-1ubuntu1", "12" of "12-win32"; "" when the token does not start with a digit.
std::string leading_version(std::string_view token) {
  std::size_t end = 0;
  while (end < token.size() && (is_digit(token[end]) || token[end] == '.')) ++end;
  while (end > 0 && token[end - 1] == '.') --end;
  return std::string(token.substr(0, end));
}

// The whitespace-delimited word at `from` (after skipping spaces).
std::string_view word_at(std::string_view text, std::size_t from) {
  while (from < text.size() && text[from] == ' ') ++from;
  if (from >= text.size()) return {};
  const std::size_t end = text.find(' ', from);
  return text.substr(from, end == std::string_view::npos ? text.size() - from : end - from);
}

// The version right after `marker` in `line`, when the marker is there.
std::optional<std::string> version_after(std::string_view line, std::string_view marker) {
  const std::size_t at = line.find(marker);
  if (at == std::string_view::npos) return std::nullopt;
  return leading_version(word_at(line, at + marker.size()));
}

// "GCC: (Debian 12.2.0-14+deb12u1) 12.2.0": the version follows the packager's parenthesis.
std::optional<CommentFact> gcc_line(std::string_view line) {
  if (!line.starts_with("GCC: ")) return std::nullopt;
  const std::size_t close = line.find(") ");
  const std::string version =
      close == std::string_view::npos ? leading_version(word_at(line, 5))
                                      : leading_version(word_at(line, close + 2));
  return CommentFact{CommentFact::Role::compiler, "gcc", version};
}

// "Linker: LLD 14.0.6", "Linker: Debian LLD 14.0.6", "Linker: LLD 22.1.2 (/checkout/...)".
std::optional<CommentFact> lld_line(std::string_view line) {
  if (!line.starts_with("Linker: ")) return std::nullopt;
  if (auto version = version_after(line, "LLD "))
    return CommentFact{CommentFact::Role::linker, "lld", *version};
  return std::nullopt;
}

// Itanium C++ mangling: "_Z" then a nested name, a length, or a special name.
bool is_itanium(std::string_view name) {
  return name.size() > 2 && name.starts_with("_Z") &&
         (name[2] == 'N' || name[2] == 'S' || name[2] == 'T' || name[2] == 'L' ||
          name[2] == 'G' || name[2] == 'Z' || is_digit(name[2]));
}

// Rust's legacy mangling: Itanium-shaped, ending in the 17-character hash path segment
// "17h<16 hex>E".
bool is_rust_legacy(std::string_view name) {
  constexpr std::size_t kTail = 3 + 16 + 1;  // "17h" + hash + "E"
  if (!name.starts_with("_ZN") || name.size() < 3 + kTail) return false;
  const std::string_view tail = name.substr(name.size() - kTail);
  if (!tail.starts_with("17h") || tail.back() != 'E') return false;
  return std::all_of(tail.begin() + 3, tail.end() - 1, is_hex);
}

// Rust's v0 mangling: "_R", an optional decimal encoding version, then a path tag.
bool is_rust_v0(std::string_view name) {
  if (!name.starts_with("_R")) return false;
  std::size_t at = 2;
  while (at < name.size() && is_digit(name[at])) ++at;
  if (at >= name.size()) return false;
  const char tag = name[at];
  return tag == 'C' || tag == 'M' || tag == 'X' || tag == 'Y' || tag == 'N' || tag == 'I' ||
         tag == 'B';
}

bool one_of(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::optional<CommentFact> parse_comment(std::string_view line) {
  if (line.starts_with("rustc version "))
    return CommentFact{CommentFact::Role::compiler, "rustc",
                       leading_version(word_at(line, 14))};
  if (auto gcc = gcc_line(line)) return gcc;
  if (auto lld = lld_line(line)) return lld;
  // "mold 2.4.0 (compatible with GNU ld)", "mold 1.0.0 (ed9924895d9b; compatible with GNU ld)"
  if (line.starts_with("mold "))
    return CommentFact{CommentFact::Role::linker, "mold", leading_version(word_at(line, 5))};
  // "clang version 17.0.6", "Debian clang version 14.0.6", "Apple clang version 15.0.0 (...)"
  if (auto version = version_after(line, "clang version "))
    return CommentFact{CommentFact::Role::compiler, "clang", *version};
  return std::nullopt;
}

SymbolKind classify_symbol(std::string_view name) {
  // Every rule below but Zig's suffix wants a leading '_' or 'r': most names leave here, the
  // suffix tested by its last byte before it is compared whole.
  constexpr std::string_view kZigStart = "start.posixCallMainAndExit";
  const auto zig_start = [&] { return name.back() == 't' && name.ends_with(kZigStart); };
  if (name.empty() || (name[0] != '_' && name[0] != 'r' && !zig_start()))
    return SymbolKind::none;
  // The bulk of a C++ library, decided first: of the rules below, only Rust's legacy mangling
  // can claim an Itanium name.
  if (is_itanium(name)) return is_rust_legacy(name) ? SymbolKind::rust : SymbolKind::cxx;
  if (is_rust_legacy(name) || is_rust_v0(name) ||
      one_of(name, {"rust_begin_unwind", "rust_panic", "__rust_alloc", "__rust_dealloc",
                    "__rust_realloc", "__rust_alloc_zeroed"}))
    return SymbolKind::rust;
  if (is_itanium(name)) return SymbolKind::cxx;
  if (zig_start() || one_of(name, {"__zig_probe_stack", "__zig_return_error"}))
    return SymbolKind::zig;
  if (one_of(name, {"__init_libc", "__libc_start_init"})) return SymbolKind::musl;
  if (one_of(name, {"_dl_relocate_static_pie", "__libc_setup_tls", "_dl_aux_init"}))
    return SymbolKind::glibc;
  if (one_of(name, {"runtime.main", "runtime.buildVersion", "runtime.rt0_go"}))
    return SymbolKind::go;
  return SymbolKind::none;
}

void SymbolClues::add(std::string_view name) {
  ++names_read;
  const SymbolKind kind = classify_symbol(name);
  if (kind == SymbolKind::none) return;
  // A reference, never a pointer: every kind but none has its list.
  std::vector<std::string>& kept = kind == SymbolKind::cxx     ? cxx
                                   : kind == SymbolKind::rust  ? rust
                                   : kind == SymbolKind::zig   ? zig
                                   : kind == SymbolKind::musl  ? musl
                                   : kind == SymbolKind::glibc ? glibc
                                                               : go;
  if (kept.size() < kKeptPerKind && std::find(kept.begin(), kept.end(), name) == kept.end())
    kept.emplace_back(name);
}

bool SymbolClues::empty() const {
  return cxx.empty() && rust.empty() && zig.empty() && musl.empty() && glibc.empty() &&
         go.empty();
}

}  // namespace enoexec::toolchain
