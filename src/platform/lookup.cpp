#include "lookup.hpp"

#include "tables.hpp"

namespace enoexec::platform_lookup {
namespace {

using namespace platform_table;

unsigned alias_vocabulary(Column column) {
  switch (column) {
    case Column::oci_alias: return k_oci;
    case Column::bare_alias: return k_bare;
    case Column::uname_alias: return k_uname;
    case Column::triple_alias: return k_triple;
    default: return 0;
  }
}

bool cell_matches(std::string_view cell, std::string_view word, bool is_list) {
  return !cell.empty() && (is_list ? list_has(cell, word) : cell == word);
}

std::optional<ArchMatch> find_in_rows(std::string_view word, Column column) {
  std::string_view VariantRow::*variant_field = nullptr;
  std::string_view ArchRow::*arch_field = nullptr;
  switch (column) {
    case Column::name: arch_field = &ArchRow::name; break;
    case Column::debian: variant_field = &VariantRow::debian; arch_field = &ArchRow::debian; break;
    case Column::uname_m: variant_field = &VariantRow::uname_m; arch_field = &ArchRow::uname_m; break;
    case Column::gnu_cpu: arch_field = &ArchRow::gnu_cpu; break;
    case Column::rust_cpu: variant_field = &VariantRow::rust_cpus; arch_field = &ArchRow::rust_cpus; break;
    default: return std::nullopt;
  }
  const bool is_list = column == Column::rust_cpu;
  if (variant_field != nullptr) {
    for (const VariantRow& row : variant_rows()) {
      if (cell_matches(row.*variant_field, word, is_list)) return ArchMatch{row.arch, std::string(row.oci)};
    }
  }
  for (const ArchRow& row : arch_rows()) {
    if (row.arch != Arch::unknown && cell_matches(row.*arch_field, word, is_list)) return ArchMatch{row.arch, {}};
  }
  return std::nullopt;
}

std::optional<ArchMatch> find_in_aliases(std::string_view word, unsigned vocabulary) {
  for (const AliasRow& row : alias_rows()) {
    if ((row.vocabularies & vocabulary) != 0 && row.text == word) return ArchMatch{row.arch, std::string(row.variant)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<ArchMatch> find_arch(std::string_view word, std::initializer_list<Column> columns) {
  for (const Column column : columns) {
    const unsigned vocabulary = alias_vocabulary(column);
    auto match = vocabulary != 0 ? find_in_aliases(word, vocabulary) : find_in_rows(word, column);
    if (match) return match;
  }
  return std::nullopt;
}

std::optional<std::string> normalize_variant(Arch arch, std::string_view variant) {
  if (variant.empty()) return std::string(row_of(arch).oci_default);
  for (const VariantRow& row : variant_rows()) {
    if (row.arch != arch) continue;
    if ((!row.oci.empty() && row.oci == variant) || list_has(row.aliases, variant)) return std::string(row.oci);
  }
  return std::nullopt;
}

std::optional<Platform> finish(Os os, const ArchMatch& match, Libc libc) {
  auto variant = normalize_variant(match.arch, match.variant);
  if (!variant || match.arch == Arch::unknown) return std::nullopt;
  return make_platform(os, match.arch, std::move(*variant), libc);
}

std::optional<Os> os_from_goos(std::string_view word) {
  if (word == "macos") return Os::darwin;  // containerd normalizeOS
  for (const OsRow& row : os_rows()) {
    if (row.os != Os::unknown && row.goos == word) return row.os;
  }
  return std::nullopt;
}

}  // namespace enoexec::platform_lookup
