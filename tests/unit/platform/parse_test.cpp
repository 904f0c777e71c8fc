// parse_platform() on every spelling the vocabularies use. Expected values come from the
// sources in docs/platforms.md: go-platforms.md tables, containerd normalizeArch, dpkg
// (`dpkg-architecture -a<arch> -qDEB_HOST_GNU_TYPE/_ARCH_BITS/_ARCH_ENDIAN`, measured), rustc's
// target list and target specs.
#include <gtest/gtest.h>

#include "enoexec/platform.hpp"

namespace enoexec {
namespace {

using enum Endian;

struct Case {
  const char* text;
  Os os;
  Arch arch;
  const char* variant;
  Libc libc;
  int bits;
  Endian endian;
};

void PrintTo(const Case& c, std::ostream* out) { *out << '"' << c.text << '"'; }

class ParseTest : public testing::TestWithParam<Case> {};

TEST_P(ParseTest, ParsesToExpectedPlatform) {
  const Case& c = GetParam();
  const auto p = parse_platform(c.text);
  ASSERT_TRUE(p.has_value()) << c.text;
  EXPECT_EQ(to_string(p->os), to_string(c.os)) << c.text;
  EXPECT_EQ(to_string(p->arch), to_string(c.arch)) << c.text;
  EXPECT_EQ(p->variant, c.variant) << c.text;
  EXPECT_EQ(to_string(p->libc), to_string(c.libc)) << c.text;
  EXPECT_EQ(p->bits, c.bits) << c.text;
  EXPECT_EQ(to_string(p->endian), to_string(c.endian)) << c.text;
}

using L = Libc;
constexpr auto lx = Os::linux;

// OCI platforms and containerd's normalisation (database.go normalizeArch/normalizeOS).
INSTANTIATE_TEST_SUITE_P(Oci, ParseTest, testing::Values(
    Case{"linux/arm/v7", lx, Arch::arm, "v7", L::unknown, 32, little},
    Case{"linux/arm/v6", lx, Arch::arm, "v6", L::unknown, 32, little},
    Case{"linux/arm/v5", lx, Arch::arm, "v5", L::unknown, 32, little},
    Case{"linux/arm/6", lx, Arch::arm, "v6", L::unknown, 32, little},
    Case{"linux/arm", lx, Arch::arm, "v7", L::unknown, 32, little},
    Case{"linux/arm64/v8", lx, Arch::arm64, "", L::unknown, 64, little},
    Case{"linux/arm64/v8.0", lx, Arch::arm64, "", L::unknown, 64, little},
    Case{"linux/arm64/v8.2", lx, Arch::arm64, "v8.2", L::unknown, 64, little},
    Case{"linux/arm64/9", lx, Arch::arm64, "v9", L::unknown, 64, little},
    Case{"linux/arm64/v9.0", lx, Arch::arm64, "v9", L::unknown, 64, little},
    Case{"linux/amd64/v3", lx, Arch::amd64, "v3", L::unknown, 64, little},
    Case{"linux/amd64/v1", lx, Arch::amd64, "", L::unknown, 64, little},
    Case{"linux/386", lx, Arch::i386, "", L::unknown, 32, little},
    Case{"linux/ppc64le", lx, Arch::ppc64le, "", L::unknown, 64, little},
    Case{"linux/ppc64le/power8", lx, Arch::ppc64le, "", L::unknown, 64, little},
    Case{"linux/ppc64le/power9", lx, Arch::ppc64le, "power9", L::unknown, 64, little},
    Case{"linux/riscv64/rva23u64", lx, Arch::riscv64, "rva23u64", L::unknown, 64, little},
    Case{"linux/mips64le", lx, Arch::mips64le, "", L::unknown, 64, little},
    Case{"linux/s390x", lx, Arch::s390x, "", L::unknown, 64, big},
    Case{"windows/amd64", Os::windows, Arch::amd64, "", L::unknown, 64, little},
    Case{"darwin/arm64", Os::darwin, Arch::arm64, "", L::unknown, 64, little},
    Case{"macos/arm64", Os::darwin, Arch::arm64, "", L::unknown, 64, little},
    Case{"freebsd/amd64", Os::freebsd, Arch::amd64, "", L::unknown, 64, little},
    Case{"linux/x86_64", lx, Arch::amd64, "", L::unknown, 64, little},
    Case{"linux/x86-64", lx, Arch::amd64, "", L::unknown, 64, little},
    Case{"linux/aarch64", lx, Arch::arm64, "", L::unknown, 64, little},
    Case{"linux/armhf", lx, Arch::arm, "v7", L::unknown, 32, little},
    Case{"linux/armel", lx, Arch::arm, "v6", L::unknown, 32, little},  // containerd, not Debian
    Case{"linux/i386", lx, Arch::i386, "", L::unknown, 32, little},
    Case{"  Linux/ARM64/V8  ", lx, Arch::arm64, "", L::unknown, 64, little}));

// One word: OCI/Go arch names, then Debian names, then `uname -m` (os linux).
INSTANTIATE_TEST_SUITE_P(Bare, ParseTest, testing::Values(
    Case{"arm64", lx, Arch::arm64, "", L::unknown, 64, little},
    Case{"amd64", lx, Arch::amd64, "", L::unknown, 64, little},
    Case{"x86_64", lx, Arch::amd64, "", L::unknown, 64, little},
    Case{"x86-64", lx, Arch::amd64, "", L::unknown, 64, little},
    Case{"aarch64", lx, Arch::arm64, "", L::unknown, 64, little},
    Case{"aarch64_be", lx, Arch::arm64be, "", L::unknown, 64, big},
    Case{"armhf", lx, Arch::arm, "v7", L::unknown, 32, little},
    Case{"armel", lx, Arch::arm, "v5", L::unknown, 32, little},  // Debian armel: ARMv5TE
    Case{"i386", lx, Arch::i386, "", L::unknown, 32, little},
    Case{"i486", lx, Arch::i386, "", L::unknown, 32, little},
    Case{"i586", lx, Arch::i386, "", L::unknown, 32, little},
    Case{"i686", lx, Arch::i386, "", L::unknown, 32, little},
    Case{"armv5tel", lx, Arch::arm, "v5", L::unknown, 32, little},
    Case{"armv6l", lx, Arch::arm, "v6", L::unknown, 32, little},
    Case{"armv7l", lx, Arch::arm, "v7", L::unknown, 32, little},
    Case{"armv8l", lx, Arch::arm, "v8", L::unknown, 32, little},
    Case{"mips", lx, Arch::mips, "", L::unknown, 32, big},
    Case{"mips64", lx, Arch::mips64, "", L::unknown, 64, big},
    Case{"ppc64le", lx, Arch::ppc64le, "", L::unknown, 64, little},
    Case{"ppc64", lx, Arch::ppc64, "", L::unknown, 64, big},
    Case{"riscv64", lx, Arch::riscv64, "", L::unknown, 64, little},
    Case{"s390x", lx, Arch::s390x, "", L::unknown, 64, big},
    Case{"loongarch64", lx, Arch::loong64, "", L::unknown, 64, little},
    Case{"ARM64", lx, Arch::arm64, "", L::unknown, 64, little}));

// Debian architectures; bits and endianness as dpkg-architecture -qDEB_HOST_ARCH_BITS/_ENDIAN.
INSTANTIATE_TEST_SUITE_P(Debian, ParseTest, testing::Values(
    Case{"mips64el", lx, Arch::mips64le, "", L::unknown, 64, little},
    Case{"mipsel", lx, Arch::mipsle, "", L::unknown, 32, little},
    Case{"ppc64el", lx, Arch::ppc64le, "", L::unknown, 64, little},
    Case{"loong64", lx, Arch::loong64, "", L::unknown, 64, little},
    Case{"x32", lx, Arch::x32, "", L::unknown, 32, little},
    Case{"powerpc", lx, Arch::ppc, "", L::unknown, 32, big},
    Case{"sparc64", lx, Arch::sparc64, "", L::unknown, 64, big},
    Case{"alpha", lx, Arch::alpha, "", L::unknown, 64, little},
    Case{"hppa", lx, Arch::hppa, "", L::unknown, 32, big},
    Case{"ia64", lx, Arch::ia64, "", L::unknown, 64, little},
    Case{"m68k", lx, Arch::m68k, "", L::unknown, 32, big},
    Case{"sh4", lx, Arch::sh, "", L::unknown, 32, little},
    Case{"musl-linux-amd64", lx, Arch::amd64, "", L::musl, 64, little},
    Case{"musl-linux-armhf", lx, Arch::arm, "v7", L::musl, 32, little},
    Case{"hurd-i386", Os::hurd, Arch::i386, "", L::glibc, 32, little}));

// `uname -s` and `uname -m` together.
INSTANTIATE_TEST_SUITE_P(Uname, ParseTest, testing::Values(
    Case{"Linux armv7l", lx, Arch::arm, "v7", L::unknown, 32, little},
    Case{"Linux x86_64", lx, Arch::amd64, "", L::unknown, 64, little},
    Case{"FreeBSD amd64", Os::freebsd, Arch::amd64, "", L::unknown, 64, little},
    Case{"FreeBSD arm64", Os::freebsd, Arch::arm64, "", L::unknown, 64, little},
    Case{"Darwin arm64", Os::darwin, Arch::arm64, "", L::unknown, 64, little}));

// GNU/LLVM triples: dpkg-architecture's DEB_HOST_GNU_TYPE of armhf/armel gives the ARM levels.
INSTANTIATE_TEST_SUITE_P(Gnu, ParseTest, testing::Values(
    Case{"aarch64-linux-gnu", lx, Arch::arm64, "", L::glibc, 64, little},
    Case{"arm-linux-gnueabihf", lx, Arch::arm, "v7", L::glibc, 32, little},
    Case{"arm-linux-gnueabi", lx, Arch::arm, "v5", L::glibc, 32, little},
    Case{"arm-linux-musleabihf", lx, Arch::arm, "v7", L::musl, 32, little},
    Case{"x86_64-linux-gnu", lx, Arch::amd64, "", L::glibc, 64, little},
    Case{"x86_64-pc-linux-gnu", lx, Arch::amd64, "", L::glibc, 64, little},
    Case{"x86_64-linux-gnux32", lx, Arch::x32, "", L::glibc, 32, little},
    Case{"i686-linux-gnu", lx, Arch::i386, "", L::glibc, 32, little},
    Case{"x86_64-linux-musl", lx, Arch::amd64, "", L::musl, 64, little},
    Case{"riscv64-linux-gnu", lx, Arch::riscv64, "", L::glibc, 64, little},
    Case{"powerpc64le-linux-gnu", lx, Arch::ppc64le, "", L::glibc, 64, little},
    Case{"powerpc64-linux-gnu", lx, Arch::ppc64, "", L::glibc, 64, big},
    Case{"mips64el-linux-gnuabi64", lx, Arch::mips64le, "", L::glibc, 64, little},
    Case{"mipsel-linux-gnu", lx, Arch::mipsle, "", L::glibc, 32, little},
    Case{"s390x-linux-gnu", lx, Arch::s390x, "", L::glibc, 64, big},
    Case{"x86_64-w64-mingw32", Os::windows, Arch::amd64, "", L::msvcrt, 64, little},
    Case{"i686-w64-mingw32", Os::windows, Arch::i386, "", L::msvcrt, 32, little},
    Case{"x86_64-apple-darwin", Os::darwin, Arch::amd64, "", L::unknown, 64, little},
    Case{"arm64-apple-macos14", Os::darwin, Arch::arm64, "", L::unknown, 64, little},
    Case{"arm64-apple-darwin23.1.0", Os::darwin, Arch::arm64, "", L::unknown, 64, little},
    Case{"aarch64-linux-android21", Os::android, Arch::arm64, "", L::bionic, 64, little},
    Case{"armv7a-linux-androideabi", Os::android, Arch::arm, "v7", L::bionic, 32, little},
    Case{"i686-gnu", Os::hurd, Arch::i386, "", L::glibc, 32, little},
    Case{"x86_64-pc-solaris2.11", Os::solaris, Arch::amd64, "", L::unknown, 64, little}));

// Rust triples (rustc --print target-list; ARM levels from the target specs' features).
INSTANTIATE_TEST_SUITE_P(Rust, ParseTest, testing::Values(
    Case{"x86_64-unknown-linux-gnu", lx, Arch::amd64, "", L::glibc, 64, little},
    Case{"x86_64-unknown-linux-musl", lx, Arch::amd64, "", L::musl, 64, little},
    Case{"x86_64-unknown-linux-none", lx, Arch::amd64, "", L::none, 64, little},
    Case{"aarch64-unknown-linux-musl", lx, Arch::arm64, "", L::musl, 64, little},
    Case{"armv7-unknown-linux-gnueabihf", lx, Arch::arm, "v7", L::glibc, 32, little},
    Case{"arm-unknown-linux-gnueabihf", lx, Arch::arm, "v6", L::glibc, 32, little},
    Case{"armv5te-unknown-linux-gnueabi", lx, Arch::arm, "v5", L::glibc, 32, little},
    Case{"arm-unknown-linux-gnueabi", lx, Arch::arm, "v6", L::glibc, 32, little},
    Case{"armv7-unknown-linux-musleabihf", lx, Arch::arm, "v7", L::musl, 32, little},
    Case{"thumbv7neon-unknown-linux-gnueabihf", lx, Arch::arm, "v7", L::glibc, 32, little},
    Case{"aarch64-apple-darwin", Os::darwin, Arch::arm64, "", L::unknown, 64, little},
    Case{"x86_64-apple-darwin", Os::darwin, Arch::amd64, "", L::unknown, 64, little},
    Case{"x86_64-pc-windows-msvc", Os::windows, Arch::amd64, "", L::ucrt, 64, little},
    Case{"x86_64-pc-windows-gnu", Os::windows, Arch::amd64, "", L::msvcrt, 64, little},
    Case{"aarch64-pc-windows-msvc", Os::windows, Arch::arm64, "", L::ucrt, 64, little},
    Case{"i686-pc-windows-msvc", Os::windows, Arch::i386, "", L::ucrt, 32, little},
    Case{"aarch64-linux-android", Os::android, Arch::arm64, "", L::bionic, 64, little},
    Case{"armv7-linux-androideabi", Os::android, Arch::arm, "v7", L::bionic, 32, little},
    Case{"riscv64gc-unknown-linux-gnu", lx, Arch::riscv64, "", L::glibc, 64, little},
    Case{"riscv64a23-unknown-linux-gnu", lx, Arch::riscv64, "rva23u64", L::glibc, 64, little},
    Case{"mipsel-unknown-linux-musl", lx, Arch::mipsle, "", L::musl, 32, little},
    Case{"mips64-unknown-linux-muslabi64", lx, Arch::mips64, "", L::musl, 64, big},
    Case{"wasm32-wasip1", Os::wasip1, Arch::wasm, "", L::unknown, 32, little},
    Case{"x86_64-unknown-freebsd", Os::freebsd, Arch::amd64, "", L::unknown, 64, little},
    Case{"armv6-unknown-freebsd", Os::freebsd, Arch::arm, "v6", L::unknown, 32, little},
    Case{"armv7-unknown-netbsd-eabihf", Os::netbsd, Arch::arm, "v7", L::unknown, 32, little},
    Case{"aarch64-apple-ios", Os::ios, Arch::arm64, "", L::unknown, 64, little},
    Case{"i686-unknown-hurd-gnu", Os::hurd, Arch::i386, "", L::glibc, 32, little},
    Case{"powerpc64-ibm-aix", Os::aix, Arch::ppc64, "", L::unknown, 64, big},
    Case{"sparcv9-sun-solaris", Os::solaris, Arch::sparc64, "", L::unknown, 64, big}));

// Go's environment form (buildcfg accepts GOARM "6,softfloat", GOARM64 "v9.0,lse").
INSTANTIATE_TEST_SUITE_P(Go, ParseTest, testing::Values(
    Case{"GOOS=linux GOARCH=arm GOARM=6", lx, Arch::arm, "v6", L::unknown, 32, little},
    Case{"GOARCH=arm GOARM=5 GOOS=linux", lx, Arch::arm, "v5", L::unknown, 32, little},
    Case{"GOOS=linux,GOARCH=arm,GOARM=6,softfloat", lx, Arch::arm, "v6", L::unknown, 32, little},
    Case{"GOOS=linux GOARCH=arm GOARM=7,hardfloat", lx, Arch::arm, "v7", L::unknown, 32, little},
    Case{"GOARCH=arm", lx, Arch::arm, "v7", L::unknown, 32, little},
    Case{"GOARCH=amd64 GOAMD64=v3", lx, Arch::amd64, "v3", L::unknown, 64, little},
    Case{"GOOS=linux GOARCH=amd64 GOAMD64=v1", lx, Arch::amd64, "", L::unknown, 64, little},
    Case{"GOOS=linux GOARCH=arm64 GOARM64=v8.2", lx, Arch::arm64, "v8.2", L::unknown, 64, little},
    Case{"GOOS=linux GOARCH=arm64 GOARM64=v9.0,lse", lx, Arch::arm64, "v9", L::unknown, 64, little},
    Case{"GOOS=darwin GOARCH=arm64", Os::darwin, Arch::arm64, "", L::unknown, 64, little},
    Case{"GOOS=windows GOARCH=386 GO386=softfloat", Os::windows, Arch::i386, "", L::unknown, 32, little},
    Case{"GOOS=linux GOARCH=mipsle GOMIPS=softfloat", lx, Arch::mipsle, "", L::unknown, 32, little},
    Case{"GOOS=linux GOARCH=ppc64le GOPPC64=power9", lx, Arch::ppc64le, "power9", L::unknown, 64, little},
    Case{"GOOS=linux GOARCH=riscv64 GORISCV64=rva22u64", lx, Arch::riscv64, "rva22u64", L::unknown, 64, little},
    Case{"GOOS=linux GOARCH=amd64 GOARM=6", lx, Arch::amd64, "", L::unknown, 64, little},
    Case{"goos=linux goarch=s390x", lx, Arch::s390x, "", L::unknown, 64, big}));

class RejectTest : public testing::TestWithParam<const char*> {};

TEST_P(RejectTest, ReturnsNullopt) {
  const auto p = parse_platform(GetParam());
  EXPECT_FALSE(p.has_value()) << '"' << GetParam() << "\" parsed as " << (p ? to_oci(*p) : "");
}

INSTANTIATE_TEST_SUITE_P(Unrecognised, RejectTest, testing::Values(
    "linux/armv9", "foo", "", "   ", "GOOS=linux", "x86_64-unknown-plan10",
    "linux/arm/v9", "linux/arm/v4", "linux/amd64/v5", "linux/386/sse2", "linux/arm64/v10",
    "linux/", "/amd64", "linux/amd64/", "linux/amd64/v3/x", "unknown/amd64", "plan10/amd64",
    "linux/armhf/v6", "wasm", "ebc", "armv4tl", "Linux sun4u", "NetBSD evbarm", "Plan10 amd64",
    "linux amd64 extra", "musl-linux-armel", "kfreebsd-amd64", "arm-linux-gnu",
    "x86_64-linux-gnuabi64", "aarch64-linux-gnueabihf", "i686-linux-gnux32", "wasm32-unknown-unknown",
    "wasm32-wasip2", "x86_64-unknown-linux-gnu-extra", "x86_64--linux-gnu", "aarch64-unknown-linux-gnu_ilp32",
    "aarch64-apple-ios-macabi", "x86_64-pc-windows-foo", "GOOS=linux GOARCH=arm GOARM=8",
    "GOOS=linux GOARCH=amd64 GOAMD64=v5", "GOOS=plan10 GOARCH=amd64", "GOOS=linux GOARCH=x86_64",
    "GOOS=linux GOARCH=amd64 FOO=1", "GOOS=linux GOARCH=arm GOARM=6,fast",
    "GOOS=linux GOARCH=arm GOARM=6,softfloat,hardfloat", "GOOS=linux GOOS=darwin GOARCH=amd64",
    "GOOS=linux GOARCH=amd64 softfloat", "GOOS=tvos GOARCH=arm64", "GOARCH=armbe"));

}  // namespace
}  // namespace enoexec
