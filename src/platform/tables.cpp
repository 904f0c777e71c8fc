// The name tables, expanded from the .def files. Rows are indexed by enumerator where the
// enum is dense (Arch, Os, Libc), so row_of() is an array access checked by a static_assert.
#include "tables.hpp"

#include <algorithm>
#include <array>

namespace enoexec::platform_table {
namespace {

using enum Endian;

constexpr ArchRow k_arch_rows[] = {
#define ARCH(e, name, go, bits, endian, uname, deb, gnu, abi, rust, var, def, oci_def) \
  {Arch::e, name, go, bits, endian, uname, deb, gnu, abi, rust, var, def, oci_def},
#include "arch.def"
#undef ARCH
};

constexpr VariantRow k_variant_rows[] = {
#define VARIANT(a, oci, go, aliases, uname, deb, abi, rust) \
  {Arch::a, oci, go, aliases, uname, deb, abi, rust},
#include "variant.def"
#undef VARIANT
};

constexpr OsRow k_os_rows[] = {
#define OS(e, goos, is_goos, uname, gvendor, gos, rvendor, ros, renv, display) \
  {Os::e, goos, is_goos, uname, gvendor, gos, rvendor, ros, renv, display},
#define OS_ALIAS(text, o)
#include "os.def"
#undef OS_ALIAS
#undef OS
};

constexpr OsAliasRow k_os_alias_rows[] = {
#define OS(e, goos, is_goos, uname, gvendor, gos, rvendor, ros, renv, display)
#define OS_ALIAS(text, o) {text, Os::o},
#include "os.def"
#undef OS_ALIAS
#undef OS
};

constexpr LibcRow k_libc_rows[] = {
#define LIBC(e, name, linux_env, windows_env, deb) {Libc::e, name, linux_env, windows_env, deb},
#include "libc.def"
#undef LIBC
};

constexpr AliasRow k_alias_rows[] = {
#define ALIAS(text, a, variant, vocabularies) {text, Arch::a, variant, vocabularies},
#include "alias.def"
#undef ALIAS
};

constexpr UnameRow k_uname_rows[] = {
#define UNAME_M(o, a, text) {Os::o, Arch::a, text},
#include "uname.def"
#undef UNAME_M
};

constexpr GoPortRow k_go_port_rows[] = {
#define GO_PORT(o, a) {Os::o, Arch::a},
#include "go_ports.def"
#undef GO_PORT
};

constexpr std::string_view k_rust_targets[] = {
#define RUST_TARGET(text) text,
#include "rust_targets.def"
#undef RUST_TARGET
};

template <typename Row, typename Enum, std::size_t N>
constexpr bool indexed_by_enum(const Row (&rows)[N], Enum Row::*field) {
  for (std::size_t i = 0; i < N; ++i) {
    if (static_cast<std::size_t>(rows[i].*field) != i) return false;
  }
  return true;
}
static_assert(indexed_by_enum(k_arch_rows, &ArchRow::arch), "arch.def rows must follow enum Arch");
static_assert(indexed_by_enum(k_os_rows, &OsRow::os), "os.def rows must follow enum Os");
static_assert(indexed_by_enum(k_libc_rows, &LibcRow::libc), "libc.def rows must follow enum Libc");
static_assert(std::size(k_arch_rows) == static_cast<std::size_t>(Arch::ebc) + 1);
static_assert(std::size(k_os_rows) == static_cast<std::size_t>(Os::wasip1) + 1);
static_assert(std::size(k_libc_rows) == static_cast<std::size_t>(Libc::ucrt) + 1);

template <typename Row, std::size_t N>
const Row& checked_row(const Row (&rows)[N], std::size_t index) {
  return index < N ? rows[index] : rows[0];  // rows[0] is each table's "unknown"
}

}  // namespace

std::span<const ArchRow> arch_rows() { return k_arch_rows; }
std::span<const VariantRow> variant_rows() { return k_variant_rows; }
std::span<const OsRow> os_rows() { return k_os_rows; }
std::span<const OsAliasRow> os_alias_rows() { return k_os_alias_rows; }
std::span<const LibcRow> libc_rows() { return k_libc_rows; }
std::span<const AliasRow> alias_rows() { return k_alias_rows; }
std::span<const UnameRow> uname_rows() { return k_uname_rows; }
std::span<const GoPortRow> go_port_rows() { return k_go_port_rows; }
std::span<const std::string_view> rust_targets() { return k_rust_targets; }

const ArchRow& row_of(Arch arch) { return checked_row(k_arch_rows, static_cast<std::size_t>(arch)); }
const OsRow& row_of(Os os) { return checked_row(k_os_rows, static_cast<std::size_t>(os)); }
const LibcRow& row_of(Libc libc) { return checked_row(k_libc_rows, static_cast<std::size_t>(libc)); }

const VariantRow* variant_row(Arch arch, std::string_view oci_variant) {
  const auto* found = std::find_if(std::begin(k_variant_rows), std::end(k_variant_rows),
                                   [&](const VariantRow& row) {
                                     return row.arch == arch && row.oci == oci_variant;
                                   });
  return found == std::end(k_variant_rows) ? nullptr : found;
}

bool list_has(std::string_view list, std::string_view word) {
  while (!list.empty()) {
    const auto space = list.find(' ');
    if (list.substr(0, space) == word) return true;
    if (space == std::string_view::npos) break;
    list.remove_prefix(space + 1);
  }
  return false;
}

std::string_view first_word(std::string_view list) { return list.substr(0, list.find(' ')); }

}  // namespace enoexec::platform_table
