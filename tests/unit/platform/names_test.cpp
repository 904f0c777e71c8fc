// names_of(), to_string() and to_oci(). Expected strings: go-platforms.md section 3 tables,
// `dpkg-architecture -a<arch> -qDEB_HOST_GNU_TYPE` (measured: armhf -> arm-linux-gnueabihf,
// armel -> arm-linux-gnueabi, musl-linux-amd64 -> x86_64-linux-musl, musl-linux-armhf ->
// arm-linux-musleabihf, x32 -> x86_64-linux-gnux32, mips64el -> mips64el-linux-gnuabi64,
// hurd-i386 -> i686-gnu), and `rustc --print target-list` (1.95).
#include <gtest/gtest.h>

#include "enoexec/platform.hpp"

namespace enoexec {
namespace {

struct NamesCase {
  Platform platform;
  PlatformNames names;
};

void PrintTo(const NamesCase& c, std::ostream* out) { *out << to_oci(c.platform) << ' ' << to_string(c.platform.libc); }

class NamesTest : public testing::TestWithParam<NamesCase> {};

TEST_P(NamesTest, EveryVocabulary) {
  const auto& expected = GetParam().names;
  const auto got = names_of(GetParam().platform);
  EXPECT_EQ(got.oci, expected.oci);
  EXPECT_EQ(got.goos, expected.goos);
  EXPECT_EQ(got.goarch, expected.goarch);
  EXPECT_EQ(got.go_variant_var, expected.go_variant_var);
  EXPECT_EQ(got.go_variant_value, expected.go_variant_value);
  EXPECT_EQ(got.uname_s, expected.uname_s);
  EXPECT_EQ(got.uname_m, expected.uname_m);
  EXPECT_EQ(got.debian, expected.debian);
  EXPECT_EQ(got.gnu_triple, expected.gnu_triple);
  EXPECT_EQ(got.rust_triple, expected.rust_triple);
}

constexpr auto lx = Os::linux;

// PlatformNames field order: oci, goos, goarch, go_variant_var, go_variant_value, uname_s,
// uname_m, debian, gnu_triple, rust_triple.
INSTANTIATE_TEST_SUITE_P(Platforms, NamesTest, testing::Values(
    NamesCase{make_platform(lx, Arch::arm, "v6", Libc::glibc),
              {"linux/arm/v6", "linux", "arm", "GOARM", "6", "Linux", "armv6l", "armhf",
               "arm-linux-gnueabihf", "arm-unknown-linux-gnueabihf"}},
    NamesCase{make_platform(lx, Arch::arm, "v7", Libc::glibc),
              {"linux/arm/v7", "linux", "arm", "GOARM", "7", "Linux", "armv7l", "armhf",
               "arm-linux-gnueabihf", "armv7-unknown-linux-gnueabihf"}},
    NamesCase{make_platform(lx, Arch::arm, "v5", Libc::glibc),
              {"linux/arm/v5", "linux", "arm", "GOARM", "5", "Linux", "armv5tel", "armel",
               "arm-linux-gnueabi", "armv5te-unknown-linux-gnueabi"}},
    NamesCase{make_platform(lx, Arch::arm, "v8", Libc::glibc),
              {"linux/arm/v8", "linux", "arm", "GOARM", "7", "Linux", "armv8l", "armhf",
               "arm-linux-gnueabihf", "armv7-unknown-linux-gnueabihf"}},
    NamesCase{make_platform(lx, Arch::arm, "v7", Libc::musl),
              {"linux/arm/v7", "linux", "arm", "GOARM", "7", "Linux", "armv7l", "musl-linux-armhf",
               "arm-linux-musleabihf", "armv7-unknown-linux-musleabihf"}},
    NamesCase{make_platform(lx, Arch::amd64, "", Libc::musl),
              {"linux/amd64", "linux", "amd64", "GOAMD64", "v1", "Linux", "x86_64", "musl-linux-amd64",
               "x86_64-linux-musl", "x86_64-unknown-linux-musl"}},
    NamesCase{make_platform(lx, Arch::amd64, "v3", Libc::glibc),
              {"linux/amd64/v3", "linux", "amd64", "GOAMD64", "v3", "Linux", "x86_64", "amd64",
               "x86_64-linux-gnu", "x86_64-unknown-linux-gnu"}},
    NamesCase{make_platform(lx, Arch::i386, "", Libc::glibc),
              {"linux/386", "linux", "386", "GO386", "sse2", "Linux", "i686", "i386", "i686-linux-gnu",
               "i686-unknown-linux-gnu"}},
    NamesCase{make_platform(lx, Arch::arm64, "v8.2", Libc::unknown),
              {"linux/arm64/v8.2", "linux", "arm64", "GOARM64", "v8.2", "Linux", "aarch64", "arm64",
               "aarch64-linux-gnu", "aarch64-unknown-linux-gnu"}},
    NamesCase{make_platform(lx, Arch::mips64le, "", Libc::glibc),
              {"linux/mips64le", "linux", "mips64le", "GOMIPS64", "hardfloat", "Linux", "mips64", "mips64el",
               "mips64el-linux-gnuabi64", "mips64el-unknown-linux-gnuabi64"}},
    NamesCase{make_platform(lx, Arch::ppc64le, "power9", Libc::glibc),
              {"linux/ppc64le/power9", "linux", "ppc64le", "GOPPC64", "power9", "Linux", "ppc64le", "ppc64el",
               "powerpc64le-linux-gnu", "powerpc64le-unknown-linux-gnu"}},
    NamesCase{make_platform(lx, Arch::riscv64, "", Libc::glibc),
              {"linux/riscv64", "linux", "riscv64", "GORISCV64", "rva20u64", "Linux", "riscv64", "riscv64",
               "riscv64-linux-gnu", "riscv64gc-unknown-linux-gnu"}},
    NamesCase{make_platform(lx, Arch::s390x, "", Libc::glibc),
              {"linux/s390x", "linux", "s390x", "", "", "Linux", "s390x", "s390x", "s390x-linux-gnu",
               "s390x-unknown-linux-gnu"}},
    NamesCase{make_platform(lx, Arch::x32, "", Libc::glibc),
              {"linux/x32", "", "", "", "", "Linux", "x86_64", "x32", "x86_64-linux-gnux32",
               "x86_64-unknown-linux-gnux32"}},
    NamesCase{make_platform(Os::darwin, Arch::arm64, "", Libc::libsystem),
              {"darwin/arm64", "darwin", "arm64", "GOARM64", "v8.0", "Darwin", "arm64", "",
               "aarch64-apple-darwin", "aarch64-apple-darwin"}},
    NamesCase{make_platform(Os::windows, Arch::amd64, "", Libc::ucrt),
              {"windows/amd64", "windows", "amd64", "GOAMD64", "v1", "", "", "", "x86_64-w64-mingw32",
               "x86_64-pc-windows-msvc"}},
    NamesCase{make_platform(Os::windows, Arch::amd64, "", Libc::msvcrt),
              {"windows/amd64", "windows", "amd64", "GOAMD64", "v1", "", "", "", "x86_64-w64-mingw32",
               "x86_64-pc-windows-gnu"}},
    NamesCase{make_platform(Os::android, Arch::arm64, "", Libc::bionic),
              {"android/arm64", "android", "arm64", "GOARM64", "v8.0", "Linux", "aarch64", "",
               "aarch64-linux-android", "aarch64-linux-android"}},
    NamesCase{make_platform(Os::freebsd, Arch::amd64),
              {"freebsd/amd64", "freebsd", "amd64", "GOAMD64", "v1", "FreeBSD", "amd64", "",
               "x86_64-unknown-freebsd", "x86_64-unknown-freebsd"}},
    NamesCase{make_platform(Os::hurd, Arch::i386, "", Libc::glibc),
              {"hurd/386", "", "", "", "", "GNU", "", "hurd-i386", "i686-gnu", "i686-unknown-hurd-gnu"}},
    NamesCase{make_platform(Os::wasip1, Arch::wasm),
              {"wasip1/wasm", "wasip1", "wasm", "", "", "", "", "", "wasm32-wasip1", "wasm32-wasip1"}},
    NamesCase{make_platform(Os::linux, Arch::alpha, "", Libc::glibc),
              {"linux/alpha", "", "", "", "", "Linux", "alpha", "alpha", "alpha-linux-gnu", ""}}));

TEST(NamesTest, UnknownOsPrintsUnknown) {
  const auto names = names_of(make_platform(Os::unknown, Arch::amd64));
  EXPECT_EQ(names.oci, "unknown/amd64");
  EXPECT_EQ(names.goos, "");
  EXPECT_EQ(names.uname_s, "");
  EXPECT_EQ(names.debian, "");
  EXPECT_EQ(names.gnu_triple, "");
  EXPECT_EQ(names.rust_triple, "");
}

TEST(NamesTest, AllNamesListsEachVocabularyOnce) {
  const std::vector<std::string> expected{"linux/arm/v6", "GOOS=linux GOARCH=arm GOARM=6", "Linux armv6l",
                                          "armhf", "arm-linux-gnueabihf", "arm-unknown-linux-gnueabihf"};
  EXPECT_EQ(all_names(make_platform(Os::linux, Arch::arm, "v6", Libc::glibc)), expected);
  const std::vector<std::string> windows{"windows/amd64", "GOOS=windows GOARCH=amd64 GOAMD64=v1",
                                         "x86_64-w64-mingw32", "x86_64-pc-windows-msvc"};
  EXPECT_EQ(all_names(make_platform(Os::windows, Arch::amd64)), windows);
}

TEST(ToStringTest, OsIsGoos) {
  const std::pair<Os, const char*> cases[] = {
      {Os::unknown, "unknown"}, {Os::linux, "linux"},     {Os::android, "android"}, {Os::freebsd, "freebsd"},
      {Os::netbsd, "netbsd"},   {Os::openbsd, "openbsd"}, {Os::dragonfly, "dragonfly"},
      {Os::solaris, "solaris"}, {Os::illumos, "illumos"}, {Os::aix, "aix"},         {Os::hurd, "hurd"},
      {Os::darwin, "darwin"},   {Os::ios, "ios"},         {Os::tvos, "tvos"},       {Os::watchos, "watchos"},
      {Os::visionos, "visionos"}, {Os::windows, "windows"}, {Os::uefi, "uefi"},     {Os::plan9, "plan9"},
      {Os::js, "js"},           {Os::wasip1, "wasip1"}};
  for (const auto& [os, name] : cases) EXPECT_EQ(to_string(os), name);
}

TEST(ToStringTest, ArchIsGoarchOrDebianName) {
  const std::pair<Arch, const char*> cases[] = {
      {Arch::unknown, "unknown"}, {Arch::i386, "386"}, {Arch::amd64, "amd64"}, {Arch::x32, "x32"},
      {Arch::arm, "arm"}, {Arch::armbe, "armbe"}, {Arch::arm64, "arm64"}, {Arch::arm64be, "arm64be"},
      {Arch::arm64_32, "arm64_32"}, {Arch::loong64, "loong64"}, {Arch::mips, "mips"}, {Arch::mipsle, "mipsle"},
      {Arch::mips64, "mips64"}, {Arch::mips64le, "mips64le"}, {Arch::ppc, "ppc"}, {Arch::ppcle, "ppcle"},
      {Arch::ppc64, "ppc64"}, {Arch::ppc64le, "ppc64le"}, {Arch::riscv32, "riscv32"},
      {Arch::riscv64, "riscv64"}, {Arch::s390, "s390"}, {Arch::s390x, "s390x"}, {Arch::sparc, "sparc"},
      {Arch::sparc64, "sparc64"}, {Arch::wasm, "wasm"}, {Arch::alpha, "alpha"}, {Arch::hppa, "hppa"},
      {Arch::ia64, "ia64"}, {Arch::m68k, "m68k"}, {Arch::sh, "sh"}, {Arch::sheb, "sheb"}, {Arch::arc, "arc"},
      {Arch::csky, "csky"}, {Arch::microblaze, "microblaze"}, {Arch::nios2, "nios2"}, {Arch::or1k, "or1k"},
      {Arch::xtensa, "xtensa"}, {Arch::hexagon, "hexagon"}, {Arch::ebc, "ebc"}};
  for (const auto& [arch, name] : cases) EXPECT_EQ(to_string(arch), name);
}

TEST(ToStringTest, LibcAndEndian) {
  const std::pair<Libc, const char*> cases[] = {
      {Libc::none, "none"},     {Libc::glibc, "glibc"},         {Libc::musl, "musl"},
      {Libc::bionic, "bionic"}, {Libc::uclibc, "uclibc"},       {Libc::newlib, "newlib"},
      {Libc::libsystem, "libsystem"}, {Libc::msvcrt, "msvcrt"}, {Libc::ucrt, "ucrt"},
      {Libc::unknown, "unknown"}};
  for (const auto& [libc, name] : cases) EXPECT_EQ(to_string(libc), name);
  EXPECT_EQ(to_string(Endian::little), "little");
  EXPECT_EQ(to_string(Endian::big), "big");
}

TEST(ArchFactsTest, BitsAndEndianAsDpkg) {
  // dpkg-architecture -a<debian> -qDEB_HOST_ARCH_BITS / DEB_HOST_ARCH_ENDIAN (measured).
  EXPECT_EQ(bits_of(Arch::x32), 32);
  EXPECT_EQ(bits_of(Arch::s390), 32);
  EXPECT_EQ(endian_of(Arch::s390), Endian::big);
  EXPECT_EQ(bits_of(Arch::hppa), 32);
  EXPECT_EQ(endian_of(Arch::or1k), Endian::big);
  EXPECT_EQ(endian_of(Arch::sheb), Endian::big);
  EXPECT_EQ(endian_of(Arch::sh), Endian::little);
  EXPECT_EQ(bits_of(Arch::alpha), 64);
  EXPECT_EQ(bits_of(Arch::unknown), 0);
}

TEST(GoTest, VariantFromGoValue) {
  EXPECT_EQ(variant_from_go(Arch::arm, "6,softfloat"), "v6");
  EXPECT_EQ(variant_from_go(Arch::arm, "7"), "v7");
  EXPECT_EQ(variant_from_go(Arch::arm, ""), "v7");
  EXPECT_EQ(variant_from_go(Arch::arm, "8"), std::nullopt);
  EXPECT_EQ(variant_from_go(Arch::amd64, "v1"), "");
  EXPECT_EQ(variant_from_go(Arch::amd64, "v4"), "v4");
  EXPECT_EQ(variant_from_go(Arch::arm64, "v8.0"), "");
  EXPECT_EQ(variant_from_go(Arch::arm64, "v9.5,crypto,lse"), "v9.5");
  EXPECT_EQ(variant_from_go(Arch::arm64, "v9.6"), std::nullopt);
  EXPECT_EQ(variant_from_go(Arch::i386, "sse2"), "");
  EXPECT_EQ(variant_from_go(Arch::i386, "sse3"), std::nullopt);
  EXPECT_EQ(variant_from_go(Arch::riscv64, "rva20u64"), "");
  EXPECT_EQ(variant_from_go(Arch::s390x, "z13"), std::nullopt);
}

TEST(GoTest, PortsAsDistList) {
  EXPECT_TRUE(go_supports(Os::linux, Arch::loong64));
  EXPECT_TRUE(go_supports(Os::wasip1, Arch::wasm));
  EXPECT_TRUE(go_supports(Os::openbsd, Arch::riscv64));
  EXPECT_FALSE(go_supports(Os::windows, Arch::arm));      // removed
  EXPECT_FALSE(go_supports(Os::linux, Arch::sparc64));    // broken
  EXPECT_FALSE(go_supports(Os::freebsd, Arch::riscv64));  // broken
  EXPECT_FALSE(go_supports(Os::darwin, Arch::i386));
}

}  // namespace
}  // namespace enoexec
