// Reading an architecture word in one vocabulary, and finishing a parsed platform. Shared by
// the OCI, uname, Debian, triple and Go parsers.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "enoexec/platform.hpp"

namespace enoexec::platform_lookup {

// Where a word may be found; each is a column of arch.def/variant.def or a vocabulary of alias.def.
enum class Column { name, debian, uname_m, gnu_cpu, rust_cpu, oci_alias, bare_alias, uname_alias, triple_alias };

struct ArchMatch {
  Arch arch = Arch::unknown;
  std::string variant;  // as the table spells it, not yet normalised
};

// The first match of `word` (lower-case) in the columns, tried in order. Variant rows are tried
// before arch rows in each column, so "armv6l" finds arm/v6 before "armv7l" finds arm.
std::optional<ArchMatch> find_arch(std::string_view word, std::initializer_list<Column> columns);

// The OCI variant of `arch` for any accepted spelling ("7", "v8.0", "" for arm = "v7").
std::optional<std::string> normalize_variant(Arch arch, std::string_view variant);

// A complete platform, or nullopt when the variant is not one the arch has.
std::optional<Platform> finish(Os os, const ArchMatch& match, Libc libc = Libc::unknown);

// The OS named by a GOOS/OCI word ("linux", "macos"), excluding "unknown".
std::optional<Os> os_from_goos(std::string_view word);

// Parsers of one vocabulary each; input is trimmed and lower-case.
std::optional<Platform> parse_triple(std::string_view text);
std::optional<Platform> parse_go(std::string_view text);

}  // namespace enoexec::platform_lookup
