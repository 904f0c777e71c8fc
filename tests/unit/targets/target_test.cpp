// parse_target() on every vocabulary, target_names(), and host_of() for profiles and platforms.
#include <gtest/gtest.h>

#include <algorithm>

#include "enoexec/targets.hpp"

namespace enoexec {
namespace {

struct TargetCase {
  const char* text;
  const char* oci;
  Libc libc;
  const char* profile;  // "" for a bare platform
};

void PrintTo(const TargetCase& c, std::ostream* out) { *out << c.text; }

class ParseTarget : public testing::TestWithParam<TargetCase> {};

TEST_P(ParseTarget, EveryVocabulary) {
  const TargetCase& c = GetParam();
  const auto target = parse_target(c.text);
  ASSERT_TRUE(target.has_value()) << to_string(target.error());
  EXPECT_EQ(target->text, c.text);
  EXPECT_EQ(to_oci(target->platform), c.oci);
  EXPECT_EQ(target->platform.libc, c.libc);
  EXPECT_EQ(target->profile ? target->profile->id : "", c.profile);
}

// The examples, then profiles. A bare platform keeps only what its text states: no libc
// unless the text names one.
INSTANTIATE_TEST_SUITE_P(Texts, ParseTarget, testing::Values(
    TargetCase{"linux/arm/v6", "linux/arm/v6", Libc::unknown, ""},
    TargetCase{"armv7l", "linux/arm/v7", Libc::unknown, ""},
    TargetCase{"aarch64-unknown-linux-musl", "linux/arm64", Libc::musl, ""},
    TargetCase{"x86_64-unknown-linux-musl", "linux/amd64", Libc::musl, ""},
    TargetCase{"x86_64-pc-windows-msvc", "windows/amd64", Libc::ucrt, ""},
    TargetCase{"GOOS=linux GOARCH=arm GOARM=6", "linux/arm/v6", Libc::unknown, ""},
    TargetCase{"armhf", "linux/arm/v7", Libc::unknown, ""},
    TargetCase{"darwin/arm64", "darwin/arm64", Libc::unknown, ""},
    TargetCase{"  linux/amd64/v3 ", "linux/amd64/v3", Libc::unknown, ""},
    TargetCase{"rpi-zero", "linux/arm/v6", Libc::glibc, "rpi-zero"},
    TargetCase{"rpi-zero-w", "linux/arm/v6", Libc::glibc, "rpi-zero"},
    TargetCase{"rpi5", "linux/arm64/v8.2", Libc::glibc, "rpi5"},
    TargetCase{"apple-m1", "darwin/arm64", Libc::libsystem, "apple-m1-rosetta"},
    TargetCase{"alpine", "linux/amd64", Libc::musl, "alpine"},
    TargetCase{"openwrt-mipsel_24kc", "linux/mipsle", Libc::musl, "openwrt-mipsel_24kc"},
    TargetCase{"windows-11-arm64", "windows/arm64", Libc::ucrt, "windows-11-arm64"}));

TEST(ParseTarget, UnknownAndEmptyTextsAreErrors) {
  const auto unknown = parse_target("rpi-6");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(to_string(unknown.error()),
            "unsupported: unknown target \"rpi-6\": neither a profile (enoexec platforms lists them) nor a platform "
            "such as linux/arm/v7, armv7l, armhf, aarch64-unknown-linux-musl or GOOS=linux GOARCH=arm GOARM=6 "
            "(at offset 0x0)");
  const auto empty = parse_target("  ");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(to_string(empty.error()), "malformed: empty target: name a profile or a platform (at offset 0x0)");
}

TEST(TargetNames, ProfileNamesThenPlatformNames) {
  const auto target = parse_target("rpi-zero");
  ASSERT_TRUE(target.has_value());
  EXPECT_EQ(target_names(*target),
            (std::vector<std::string>{"rpi-zero", "rpi-zero-w", "rpi-1", "rpi1", "pi-zero", "pi-zero-w", "pi1",
                                      "linux/arm/v6", "GOOS=linux GOARCH=arm GOARM=6", "Linux armv6l", "armhf",
                                      "arm-linux-gnueabihf", "arm-unknown-linux-gnueabihf"}));
  const auto musl = parse_target("x86_64-unknown-linux-musl");
  ASSERT_TRUE(musl.has_value());
  EXPECT_EQ(target_names(*musl),
            (std::vector<std::string>{"linux/amd64", "GOOS=linux GOARCH=amd64 GOAMD64=v1", "Linux x86_64",
                                      "musl-linux-amd64", "x86_64-linux-musl", "x86_64-unknown-linux-musl"}));
}

TEST(HostOf, RaspberryPi4With32BitOs) {
  const HostInfo host = host_of(*find_profile("rpi4-32"));
  EXPECT_EQ(host.root, "profile rpi4-32");
  EXPECT_EQ(host.kernel.os, "Linux");
  EXPECT_EQ(host.kernel.machine, "aarch64");
  EXPECT_EQ(host.kernel.arch, Arch::arm64);
  EXPECT_EQ(host.kernel.bits, 64);
  ASSERT_TRUE(host.userland.has_value());
  EXPECT_EQ(host.userland->arch, Arch::arm);
  EXPECT_EQ(host.userland->bits, 32);
  EXPECT_EQ(host.userland->interpreter, std::optional<std::string>("/lib/ld-linux-armhf.so.3"));
  EXPECT_EQ(host.page_size, std::optional<std::uint64_t>(4096));
  EXPECT_EQ(host.cpu.variant, "v7");
  EXPECT_EQ(host.cpu.go_env, "GOARM=7");
  EXPECT_EQ(host.cpu.fpu, "vfpv4");
  EXPECT_EQ(host.libc.flavour, Libc::glibc);
  EXPECT_EQ(host.libc.version, "2.36");
  ASSERT_EQ(host.libc.loaders.size(), 1u);
  EXPECT_EQ(host.libc.loaders[0].path, "/lib/ld-linux-armhf.so.3");
  EXPECT_EQ(host.os_release.pretty_name, "Raspberry Pi OS 32-bit (bookworm)");
}

TEST(HostOf, SourcesNameTheProfile) {
  const HostInfo host = host_of(*find_profile("rpi5"));
  EXPECT_EQ(host.page_size, std::optional<std::uint64_t>(16384));
  EXPECT_TRUE(host.page_size_source.starts_with("profile rpi5: Raspberry Pi config.txt documentation"))
      << host.page_size_source;
  EXPECT_EQ(host.compat32.support, Support::yes);
  EXPECT_EQ(host.compat32.arch, Arch::arm);
  ASSERT_EQ(host.compat32.evidence.size(), 1u);
  EXPECT_TRUE(host.compat32.evidence[0].starts_with("profile rpi5: inferred from raspberrypi/linux : "))
      << host.compat32.evidence[0];
  EXPECT_EQ(host.kernel.machine, "aarch64");
  EXPECT_EQ(host.cpu.level, "ARMv8.2-A");
  EXPECT_EQ(host.cpu.go_env, "GOARM64=v8.2");
}

TEST(HostOf, X86LevelsKeepCpuinfoFeatures) {
  const HostInfo host = host_of(*find_profile("x86-64-v2"));
  EXPECT_EQ(host.cpu.level, "x86-64-v2");
  EXPECT_EQ(host.cpu.go_env, "GOAMD64=v2");
  EXPECT_TRUE(std::find(host.cpu.features.begin(), host.cpu.features.end(), "sse4_2") != host.cpu.features.end());
  EXPECT_EQ(host.compat32.support, Support::likely);
  EXPECT_EQ(host.compat32.arch, Arch::i386);
  EXPECT_FALSE(host.page_size_source.empty());
}

TEST(HostOf, MacHasNoElfUserland) {
  const HostInfo host = host_of(*find_profile("apple-m1-rosetta"));
  EXPECT_EQ(host.kernel.os, "Darwin");
  EXPECT_EQ(host.kernel.machine, "arm64");
  EXPECT_FALSE(host.userland.has_value());
  EXPECT_EQ(host.compat32.support, Support::no);
  EXPECT_EQ(host.libc.flavour, Libc::libsystem);
}

TEST(HostOf, MacAndWindowsVersionsAndEmulation) {
  const HostInfo big_sur = host_of(*find_profile("macos-11-arm64"));
  EXPECT_EQ(big_sur.kernel.os, "Darwin");
  EXPECT_EQ(big_sur.os_version, "11.0");
  EXPECT_EQ(big_sur.os_version_source.rfind("profile macos-11-arm64: ", 0), 0u) << big_sur.os_version_source;
  ASSERT_EQ(big_sur.emulation.size(), 1u);
  EXPECT_EQ(to_oci(big_sur.emulation[0].guest), "darwin/amd64");
  EXPECT_EQ(big_sur.emulation[0].via, "Rosetta 2");
  const HostInfo win11 = host_of(*find_profile("windows-11-arm64"));
  EXPECT_EQ(win11.kernel.os, "Windows_NT");
  EXPECT_EQ(win11.os_version, "10.0.22000");
  ASSERT_EQ(win11.emulation.size(), 2u);
  EXPECT_EQ(win11.emulation[0].via, "Prism");
  EXPECT_EQ(host_of(*parse_target("windows/386")).kernel.os, "Windows_NT");
  EXPECT_TRUE(host_of(*find_profile("debian-12")).emulation.empty());
}

TEST(HostOf, BarePlatformKeepsUnknownsUnknown) {
  const auto target = parse_target("armv7l");
  ASSERT_TRUE(target.has_value());
  const HostInfo host = host_of(*target);
  EXPECT_EQ(host.root, "target armv7l");
  EXPECT_EQ(host.kernel.machine, "armv7l");
  EXPECT_EQ(host.kernel.arch, Arch::arm);
  EXPECT_EQ(host.kernel.release, "");
  EXPECT_FALSE(host.page_size.has_value());
  EXPECT_EQ(host.compat32.support, Support::unknown);
  EXPECT_EQ(host.libc.flavour, Libc::unknown);
  EXPECT_EQ(host.libc.version, "");
  ASSERT_TRUE(host.userland.has_value());
  EXPECT_FALSE(host.userland->interpreter.has_value());
  EXPECT_EQ(host.cpu.go_env, "GOARM=7");
}

}  // namespace
}  // namespace enoexec
