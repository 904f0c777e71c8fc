// The platform name tables (arch.def, variant.def, os.def, libc.def, alias.def, uname.def,
// go_ports.def, rust_targets.def) as arrays, with the lookups every vocabulary shares.
#pragma once

#include <span>
#include <string_view>

#include "enoexec/platform.hpp"

namespace enoexec::platform_table {

struct ArchRow {
  Arch arch;
  std::string_view name;
  bool is_goarch;
  int bits;
  Endian endian;
  std::string_view uname_m, debian, gnu_cpu, gnu_abi, rust_cpus, go_var, go_default, oci_default;
};

struct VariantRow {
  Arch arch;
  std::string_view oci, go_value, aliases, uname_m, debian, gnu_abi, rust_cpus;
};

struct OsRow {
  Os os;
  std::string_view goos;
  bool is_goos;
  std::string_view uname_s, gnu_vendor, gnu_os, rust_vendor, rust_os, rust_env;
  std::string_view display;
};

struct OsAliasRow {
  std::string_view text;
  Os os;
};

struct LibcRow {
  Libc libc;
  std::string_view name, linux_env, windows_env, debian_prefix;
};

// Vocabularies an alias is read in (alias.def).
inline constexpr unsigned k_oci = 1, k_bare = 2, k_uname = 4, k_triple = 8;

struct AliasRow {
  std::string_view text;
  Arch arch;
  std::string_view variant;
  unsigned vocabularies;
};

struct UnameRow {
  Os os;
  Arch arch;
  std::string_view text;
};

struct GoPortRow {
  Os os;
  Arch arch;
};

std::span<const ArchRow> arch_rows();
std::span<const VariantRow> variant_rows();
std::span<const OsRow> os_rows();
std::span<const OsAliasRow> os_alias_rows();
std::span<const LibcRow> libc_rows();
std::span<const AliasRow> alias_rows();
std::span<const UnameRow> uname_rows();
std::span<const GoPortRow> go_port_rows();
std::span<const std::string_view> rust_targets();

const ArchRow& row_of(Arch arch);
const OsRow& row_of(Os os);
const LibcRow& row_of(Libc libc);
// The row of an OCI variant already normalised ("" = the baseline row, if the arch has one).
const VariantRow* variant_row(Arch arch, std::string_view oci_variant);

// Whether `word` is one of the space-separated words of `list`.
bool list_has(std::string_view list, std::string_view word);
// The first space-separated word of `list`.
std::string_view first_word(std::string_view list);

}  // namespace enoexec::platform_table
