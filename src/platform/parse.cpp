// parse_platform(): decides the vocabulary from the shape of the text, then reads it.
//   "GOOS=linux GOARCH=arm"  Go (has '=')
//   "linux/arm/v7"           OCI (has '/')
//   "Linux armv7l"           `uname -s` `uname -m` (two words)
//   "armhf", "x86-64"        one architecture word: OCI/Go, Debian, `uname -m` (os linux)
//   "musl-linux-armhf"       Debian tuple
//   "arm-linux-gnueabihf"    GNU/LLVM or Rust triple
#include <algorithm>

#include "enoexec/platform.hpp"
#include "lookup.hpp"
#include "tables.hpp"
#include "text.hpp"

namespace enoexec {
namespace {

using namespace platform_lookup;
using namespace platform_table;
using platform_text::split;

// Architectures that have no Linux userland of their own, so a bare word cannot mean linux/...
bool runs_linux(Arch arch) {
  return arch != Arch::unknown && arch != Arch::wasm && arch != Arch::ebc && arch != Arch::arm64_32;
}

// A word on its own. Debian names are read as Debian (armel = ARMv5), before `uname -m`.
std::optional<Platform> parse_bare_arch(std::string_view word) {
  const auto match = find_arch(word, {Column::name, Column::debian, Column::uname_m, Column::bare_alias});
  if (!match || !runs_linux(match->arch)) return std::nullopt;
  return finish(Os::linux, *match);
}

// containerd aliases (armel = arm/v6 here) take precedence over the table names in OCI text.
std::optional<Platform> parse_oci(std::string_view text) {
  const auto parts = split(text, '/');
  if (parts.size() < 2 || parts.size() > 3) return std::nullopt;
  const auto os = os_from_goos(parts[0]);
  auto match = find_arch(parts[1], {Column::oci_alias, Column::name});
  if (!os || !match) return std::nullopt;
  if (parts.size() == 3) {
    if (parts[2].empty()) return std::nullopt;
    if (match->variant.empty()) {
      match->variant = std::string(parts[2]);
    } else if (normalize_variant(match->arch, parts[2]) != match->variant) {
      return std::nullopt;  // "armhf/v6": the alias fixes the variant, a different one conflicts
    }
  }
  return finish(*os, *match);
}

std::optional<Platform> parse_uname_pair(std::string_view sysname, std::string_view machine) {
  const std::optional<Os> os = os_from_uname(sysname);
  if (!os || *os == Os::windows) return std::nullopt;
  if (*os == Os::linux) {
    const auto match = find_arch(machine, {Column::uname_m, Column::uname_alias});
    return match ? finish(Os::linux, *match) : std::nullopt;
  }
  std::optional<Arch> arch;
  for (const UnameRow& row : uname_rows()) {
    if (row.os != *os || row.text != machine) continue;
    if (arch) return std::nullopt;  // NetBSD "evbarm" is both arm and arm64
    arch = row.arch;
  }
  return arch ? finish(*os, ArchMatch{*arch, {}}) : std::nullopt;
}

// dpkg tuples beyond plain architectures: "musl-linux-amd64", "uclibc-linux-armel", "hurd-i386".
// Accepted only if names_of() spells the result the same way, so impossible tuples fail.
std::optional<Platform> parse_debian_tuple(std::string_view text) {
  std::optional<Platform> found;
  for (const LibcRow& libc : libc_rows()) {
    if (!libc.debian_prefix.empty() && text.starts_with(libc.debian_prefix)) {
      const auto match = find_arch(text.substr(libc.debian_prefix.size()), {Column::debian});
      if (match) found = finish(Os::linux, *match, libc.libc);
    }
  }
  if (text.starts_with("hurd-")) {
    const auto match = find_arch(text.substr(5), {Column::debian});
    if (match) found = finish(Os::hurd, *match, Libc::glibc);
  }
  if (!found || names_of(*found).debian != text) return std::nullopt;
  return found;
}

}  // namespace

std::optional<Os> os_from_uname(std::string_view sysname) {
  // Windows has no uname; Windows_NT is its own name for the system (the OS environment variable).
  if (platform_text::equals_ignore_case(sysname, WINDOWS_SYSNAME)) return Os::windows;
  const auto rows = platform_table::os_rows();
  const auto os = std::find_if(rows.begin(), rows.end(), [&](const OsRow& row) {
    return !row.uname_s.empty() && platform_text::equals_ignore_case(row.uname_s, sysname);
  });
  if (os == rows.end()) return std::nullopt;
  return os->os;
}

std::optional<Platform> parse_platform(std::string_view text) {
  const std::string lowered = platform_text::lower(platform_text::trim(text));
  const std::string_view s = lowered;
  if (s.empty()) return std::nullopt;
  if (s.find('=') != std::string_view::npos) return parse_go(s);
  if (s.find('/') != std::string_view::npos) return parse_oci(s);
  const auto words = platform_text::words(s);
  if (words.size() == 2) return parse_uname_pair(words[0], words[1]);
  if (words.size() != 1) return std::nullopt;
  if (auto bare = parse_bare_arch(s)) return bare;
  if (auto tuple = parse_debian_tuple(s)) return tuple;
  return parse_triple(s);
}

}  // namespace enoexec
