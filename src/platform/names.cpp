// names_of(): one platform spelled in every vocabulary. Each name is composed from table
// columns; a vocabulary that has no name for the platform gets "" (never a made-up name).
#include <algorithm>

#include <fmt/format.h>

#include "enoexec/platform.hpp"
#include "tables.hpp"

namespace enoexec {
namespace {

using namespace platform_table;

// The columns of one platform: the variant row overrides the arch row where it has a value.
struct Columns {
  const ArchRow& arch;
  const OsRow& os;
  const LibcRow& libc;
  const VariantRow* variant;

  std::string_view pick(std::string_view VariantRow::*field, std::string_view ArchRow::*fallback) const {
    if (variant != nullptr && !(variant->*field).empty()) return variant->*field;
    return arch.*fallback;
  }
  std::string_view uname_m() const { return pick(&VariantRow::uname_m, &ArchRow::uname_m); }
  std::string_view debian() const { return pick(&VariantRow::debian, &ArchRow::debian); }
  std::string_view gnu_abi() const { return pick(&VariantRow::gnu_abi, &ArchRow::gnu_abi); }
  std::string_view rust_cpus() const { return pick(&VariantRow::rust_cpus, &ArchRow::rust_cpus); }
  std::string_view go_value() const { return pick(&VariantRow::go_value, &ArchRow::go_default); }
};

Columns columns_of(const Platform& p) {
  const ArchRow& arch = row_of(p.arch);
  const auto variant = p.variant.empty() ? arch.oci_default : std::string_view(p.variant);
  return Columns{arch, row_of(p.os), row_of(p.libc), variant_row(p.arch, variant)};
}

bool is_apple(Os os) {
  return os == Os::darwin || os == Os::ios || os == Os::tvos || os == Os::watchos || os == Os::visionos;
}

// Android's only 32-bit ARM ABI today is armeabi-v7a (the NDK dropped ARMv5 "armeabi"; Go forces
// GOARM=7 on android), so only arm/v7 and arm/v8 have Android names.
bool android_arm_level(const Columns& c) {
  return c.variant != nullptr && (c.variant->oci == "v7" || c.variant->oci == "v8");
}

std::string uname_m_of(const Platform& p, const Columns& c) {
  if (linux_kernel(p.os)) return std::string(c.uname_m());
  for (const UnameRow& row : uname_rows()) {
    if (row.os == p.os && row.arch == p.arch) return std::string(row.text);
  }
  return {};
}

// dpkg tupletable: musl only has the hard-float ARM tuple, uClibc only the soft-float one, and
// ABI-named architectures (x32) have no musl/uClibc tuple.
std::string debian_of(const Platform& p, const Columns& c) {
  const auto cpu = c.debian();
  if (cpu.empty()) return {};
  if (p.os == Os::hurd) {
    return p.libc == Libc::glibc || p.libc == Libc::unknown ? fmt::format("hurd-{}", cpu) : std::string();
  }
  if (p.os != Os::linux) return {};
  switch (p.libc) {
    case Libc::unknown: case Libc::none: case Libc::glibc: return std::string(cpu);
    case Libc::musl: if (cpu == "armel" || cpu == "x32") return {}; break;
    case Libc::uclibc: if (cpu == "armhf" || cpu == "x32") return {}; break;
    default: return {};
  }
  return fmt::format("{}{}", c.libc.debian_prefix, cpu);
}

// GNU (binutils/GCC) keeps the "abi64" of MIPS n64 and other ABI suffixes only with glibc; the
// ARM float ABI and x32 are spelled with every libc (dpkg tupletable, musl's own triples).
std::string linux_env(const Columns& c, bool gnu_rules) {
  const auto env = c.libc.linux_env;
  if (env.empty()) return {};
  const auto abi = c.gnu_abi();
  const bool keep = !gnu_rules || env == "gnu" || abi.starts_with("eabi") || abi == "x32";
  return fmt::format("{}{}", env, keep ? abi : std::string_view());
}

std::string gnu_triple_of(const Platform& p, const Columns& c) {
  const auto cpu = c.arch.gnu_cpu;
  if (cpu.empty() || c.os.gnu_os.empty()) return {};
  if (p.os == Os::linux) {
    const auto env = linux_env(c, true);
    return env.empty() ? std::string() : fmt::format("{}-linux-{}", cpu, env);
  }
  if (p.os == Os::android) {
    if (p.arch != Arch::arm) return fmt::format("{}-linux-android", cpu);
    return android_arm_level(c) ? "armv7a-linux-androideabi" : std::string();  // the NDK's clang triple
  }
  // "arm-" would read as ARMv6 (Rust) or the distribution default (GNU): no honest BSD/Apple name.
  if (p.arch == Arch::arm || p.arch == Arch::armbe) return {};
  const bool mingw = p.arch == Arch::i386 || p.arch == Arch::amd64 || p.arch == Arch::arm64;
  if (p.os == Os::windows && !mingw) return {};
  const bool apple_cpu = p.arch == Arch::i386 || p.arch == Arch::amd64 || p.arch == Arch::arm64 ||
                         p.arch == Arch::arm64_32;
  if (is_apple(p.os) && !apple_cpu) return {};
  if (c.os.gnu_vendor.empty()) return fmt::format("{}-{}", cpu, c.os.gnu_os);
  return fmt::format("{}-{}-{}", cpu, c.os.gnu_vendor, c.os.gnu_os);
}

bool is_rust_target(std::string_view triple) {
  const auto targets = rust_targets();
  return std::find(targets.begin(), targets.end(), triple) != targets.end();
}

// The Rust spellings a platform could have; the caller keeps the first one rustc knows.
std::vector<std::string> rust_candidates(const Platform& p, const Columns& c, std::string_view cpu) {
  if (p.os == Os::linux) {
    const auto env = linux_env(c, false);
    if (env.empty()) return {};
    return {fmt::format("{}-unknown-linux-{}", cpu, env)};
  }
  if (p.os == Os::android) {
    if (p.arch != Arch::arm) return {fmt::format("{}-linux-android", cpu)};
    if (!android_arm_level(c)) return {};
    return {fmt::format("{}-linux-androideabi", cpu)};
  }
  if (p.os == Os::windows) {
    if (c.libc.windows_env.empty()) return {};
    return {fmt::format("{}-pc-windows-{}", cpu, c.libc.windows_env)};
  }
  if (c.os.rust_os.empty()) return {};
  auto base = c.os.rust_vendor.empty() ? fmt::format("{}-{}", cpu, c.os.rust_os)
                                        : fmt::format("{}-{}-{}", cpu, c.os.rust_vendor, c.os.rust_os);
  if (!c.os.rust_env.empty()) return {fmt::format("{}-{}", base, c.os.rust_env)};
  if (c.gnu_abi().empty()) return {base};
  return {base, fmt::format("{}-{}", base, c.gnu_abi())};  // NetBSD spells the ARM float ABI
}

std::string rust_triple_of(const Platform& p, const Columns& c) {
  auto cpus = c.rust_cpus();
  while (!cpus.empty()) {
    const auto cpu = first_word(cpus);
    for (auto& candidate : rust_candidates(p, c, cpu)) {
      if (is_rust_target(candidate)) return candidate;
    }
    cpus.remove_prefix(std::min(cpus.size(), cpu.size() + 1));
  }
  return {};
}

}  // namespace

PlatformNames names_of(const Platform& p) {
  const Columns c = columns_of(p);
  PlatformNames names;
  names.oci = to_oci(p);
  // x32 is an ABI of the Linux kernel only; elsewhere its x86_64 names would mean amd64.
  if (c.arch.gnu_abi == "x32" && p.os != Os::linux) return names;
  if (go_supports(p.os, p.arch)) {
    names.goos = std::string(c.os.goos);
    names.goarch = std::string(c.arch.name);
    names.go_variant_var = std::string(c.arch.go_var);
    if (!c.arch.go_var.empty()) names.go_variant_value = std::string(c.go_value());
  }
  names.rust_triple = rust_triple_of(p, c);
  // Names compose for any pair ("sparc-ibm-aix", "Linux mips" for Android); print them only for
  // a platform that exists: a Go port, a Rust target, or a Debian architecture of Linux.
  // Linux's `uname -m` is the kernel's and needs no userland, so it is always printed.
  const bool exists = !names.goos.empty() || !names.rust_triple.empty() || (p.os == Os::linux && !c.debian().empty());
  if (exists || p.os == Os::linux) {
    names.uname_s = std::string(c.os.uname_s);
    names.uname_m = uname_m_of(p, c);
  }
  if (!exists) return names;
  names.debian = debian_of(p, c);
  names.gnu_triple = gnu_triple_of(p, c);
  return names;
}

std::vector<std::string> all_names(const Platform& platform) {
  const PlatformNames n = names_of(platform);
  std::vector<std::string> out{n.oci};
  if (!n.goos.empty()) {
    out.push_back(n.go_variant_value.empty()
                      ? fmt::format("GOOS={} GOARCH={}", n.goos, n.goarch)
                      : fmt::format("GOOS={} GOARCH={} {}={}", n.goos, n.goarch, n.go_variant_var,
                                    n.go_variant_value));
  }
  if (!n.uname_s.empty() && !n.uname_m.empty()) out.push_back(fmt::format("{} {}", n.uname_s, n.uname_m));
  for (const auto* name : {&n.debian, &n.gnu_triple, &n.rust_triple}) {
    if (!name->empty()) out.push_back(*name);
  }
  return out;
}

}  // namespace enoexec
