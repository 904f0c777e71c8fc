// Round trips over the tables: every OCI name parses back to its platform, every Rust triple
// names_of() prints parses back to the same os/arch/variant (or loses exactly the variants a
// Rust triple cannot carry), and every Rust triple printed is one rustc lists.
#include <gtest/gtest.h>

#include <set>

#include "enoexec/platform.hpp"
#include "platform/tables.hpp"

namespace enoexec {
namespace {

// Go's ports (`go tool dist list`, go-platforms.md section 1) crossed with the OCI variants of
// the image-spec table, plus Linux platforms of the other architectures.
std::vector<Platform> sample_platforms() {
  const std::pair<Os, Arch> ports[] = {
      {Os::aix, Arch::ppc64},       {Os::android, Arch::i386},   {Os::android, Arch::amd64},
      {Os::android, Arch::arm},     {Os::android, Arch::arm64},  {Os::darwin, Arch::amd64},
      {Os::darwin, Arch::arm64},    {Os::dragonfly, Arch::amd64}, {Os::freebsd, Arch::i386},
      {Os::freebsd, Arch::amd64},   {Os::freebsd, Arch::arm},    {Os::freebsd, Arch::arm64},
      {Os::illumos, Arch::amd64},   {Os::ios, Arch::amd64},      {Os::ios, Arch::arm64},
      {Os::js, Arch::wasm},         {Os::linux, Arch::i386},     {Os::linux, Arch::amd64},
      {Os::linux, Arch::arm},       {Os::linux, Arch::arm64},    {Os::linux, Arch::loong64},
      {Os::linux, Arch::mips},      {Os::linux, Arch::mipsle},   {Os::linux, Arch::mips64},
      {Os::linux, Arch::mips64le},  {Os::linux, Arch::ppc64},    {Os::linux, Arch::ppc64le},
      {Os::linux, Arch::riscv64},   {Os::linux, Arch::s390x},    {Os::netbsd, Arch::i386},
      {Os::netbsd, Arch::amd64},    {Os::netbsd, Arch::arm},     {Os::netbsd, Arch::arm64},
      {Os::openbsd, Arch::i386},    {Os::openbsd, Arch::amd64},  {Os::openbsd, Arch::arm},
      {Os::openbsd, Arch::arm64},   {Os::openbsd, Arch::ppc64},  {Os::openbsd, Arch::riscv64},
      {Os::plan9, Arch::i386},      {Os::plan9, Arch::amd64},    {Os::plan9, Arch::arm},
      {Os::solaris, Arch::amd64},   {Os::wasip1, Arch::wasm},    {Os::windows, Arch::i386},
      {Os::windows, Arch::amd64},   {Os::windows, Arch::arm64}};
  const std::map<Arch, std::vector<std::string>> variants = {
      {Arch::arm, {"v5", "v6", "v7", "v8"}},
      {Arch::amd64, {"", "v2", "v3", "v4"}},
      {Arch::arm64, {"", "v8.1", "v8.2", "v8.9", "v9", "v9.5"}},
      {Arch::ppc64le, {"", "power9", "power10"}},
      {Arch::ppc64, {"", "power9", "power10"}},
      {Arch::riscv64, {"", "rva22u64", "rva23u64"}}};
  std::vector<Platform> out;
  for (const auto& [os, arch] : ports) {
    const auto found = variants.find(arch);
    if (found == variants.end()) {
      out.push_back(make_platform(os, arch));
      continue;
    }
    for (const auto& variant : found->second) out.push_back(make_platform(os, arch, variant));
  }
  for (const Arch arch : {Arch::x32, Arch::armbe, Arch::arm64be, Arch::ppc, Arch::riscv32, Arch::s390,
                          Arch::sparc, Arch::sparc64, Arch::alpha, Arch::hppa, Arch::ia64, Arch::m68k,
                          Arch::sh, Arch::sheb, Arch::arc, Arch::csky, Arch::nios2, Arch::or1k}) {
    out.push_back(make_platform(Os::linux, arch));
  }
  return out;
}

TEST(RoundTripTest, OciNameParsesBack) {
  for (const auto& platform : sample_platforms()) {
    const auto parsed = parse_platform(to_oci(platform));
    ASSERT_TRUE(parsed.has_value()) << to_oci(platform);
    EXPECT_EQ(*parsed, platform) << to_oci(platform);
  }
}

TEST(RoundTripTest, EveryTableRowParsesBackFromOci) {
  for (const auto& row : platform_table::arch_rows()) {
    if (row.arch == Arch::unknown) continue;
    const auto platform = make_platform(Os::linux, row.arch, std::string(row.oci_default));
    EXPECT_EQ(parse_platform(to_oci(platform)), platform) << to_oci(platform);
  }
  for (const auto& row : platform_table::variant_rows()) {
    if (row.oci.empty()) continue;
    const auto platform = make_platform(Os::linux, row.arch, std::string(row.oci));
    EXPECT_EQ(parse_platform(to_oci(platform)), platform) << to_oci(platform);
  }
  for (const auto& row : platform_table::os_rows()) {
    if (row.os == Os::unknown) continue;
    const auto platform = make_platform(row.os, Arch::arm64);
    EXPECT_EQ(parse_platform(to_oci(platform)), platform) << to_oci(platform);
  }
}

TEST(RoundTripTest, GoNameParsesBack) {
  for (const auto& platform : sample_platforms()) {
    const auto names = names_of(platform);
    if (names.goos.empty()) continue;
    std::string go = "GOOS=" + names.goos + " GOARCH=" + names.goarch;
    if (!names.go_variant_var.empty()) go += " " + names.go_variant_var + "=" + names.go_variant_value;
    const auto parsed = parse_platform(go);
    ASSERT_TRUE(parsed.has_value()) << go;
    // Go has no GOARM=8: arm/v8 is spelled GOARM=7.
    const auto expected_variant = platform.variant == "v8" && platform.arch == Arch::arm ? "v7" : platform.variant;
    EXPECT_EQ(to_oci(*parsed), to_oci(make_platform(platform.os, platform.arch, expected_variant))) << go;
  }
}

// Rust triples carry the ARM level (arm/armv5te/armv7) and RVA23 (riscv64a23), nothing else:
// GOAMD64-like levels are -C target-cpu flags, not triples.
std::string rust_variant(const Platform& p) {
  if (p.arch == Arch::arm) return p.variant == "v8" ? "v7" : p.variant;
  if (p.arch == Arch::riscv64 && p.variant == "rva23u64") return p.variant;
  return {};
}

TEST(RoundTripTest, RustTripleParsesBack) {
  int checked = 0;
  for (auto platform : sample_platforms()) {
    for (const Libc libc : {Libc::unknown, Libc::glibc, Libc::musl, Libc::msvcrt}) {
      platform.libc = libc;
      const auto triple = names_of(platform).rust_triple;
      if (triple.empty()) continue;
      const auto parsed = parse_platform(triple);
      ASSERT_TRUE(parsed.has_value()) << triple;
      EXPECT_EQ(parsed->os, platform.os) << triple;
      EXPECT_EQ(parsed->arch, platform.arch) << triple;
      EXPECT_EQ(parsed->variant, rust_variant(platform)) << triple;
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
}

TEST(RoundTripTest, EveryLinuxGoPortHasRustAndGnuNames) {
  for (const auto& platform : sample_platforms()) {
    if (platform.os != Os::linux || !go_supports(platform.os, platform.arch)) continue;
    if (platform.arch == Arch::riscv64 && platform.variant == "rva22u64") continue;  // no such Rust target
    const auto names = names_of(platform);
    EXPECT_NE(names.rust_triple, "") << to_oci(platform);
    EXPECT_NE(names.gnu_triple, "") << to_oci(platform);
    EXPECT_NE(names.debian, "") << to_oci(platform);
    EXPECT_NE(names.uname_m, "") << to_oci(platform);
  }
}

TEST(RoundTripTest, DebianNameParsesBack) {
  for (const auto& platform : sample_platforms()) {
    if (platform.os != Os::linux) continue;
    const auto debian = names_of(platform).debian;
    if (debian.empty()) continue;
    const auto parsed = parse_platform(debian);
    ASSERT_TRUE(parsed.has_value()) << debian;
    EXPECT_EQ(parsed->arch, platform.arch) << debian;
  }
}

}  // namespace
}  // namespace enoexec
