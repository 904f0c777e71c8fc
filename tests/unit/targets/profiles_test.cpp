// The profile table: every row reads, lookup by id and alias, the facts each profile must state,
// a source for every fact, and exact errors for rows that do not parse.
#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <set>

#include "enoexec/targets.hpp"
#include "targets/profiles.hpp"

namespace enoexec {
namespace {

using targets::I;
using targets::S;

TEST(Profiles, EveryRowReads) {
  for (const auto& row : targets::profile_rows()) {
    const auto profile = targets::profile_from_row(row);
    EXPECT_TRUE(profile.has_value()) << (profile ? "" : to_string(profile.error()));
  }
  EXPECT_EQ(profiles().size(), targets::profile_rows().size());
  EXPECT_EQ(profiles().size(), 50u);
}

TEST(Profiles, IdsAndAliasesAreUniqueAndLowerCase) {
  std::set<std::string> seen;
  for (const Profile& p : profiles()) {
    for (const auto& name : [&] { auto all = p.aliases; all.push_back(p.id); return all; }()) {
      EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
      EXPECT_EQ(name.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ "), std::string::npos) << name;
      // parse_target() tries profiles first: a profile name must not hide a platform name.
      EXPECT_FALSE(parse_platform(name).has_value()) << name;
    }
  }
}

// Each known fact has exactly one source, with text, and the value the profile holds.
TEST(Profiles, EveryKnownFactHasASource) {
  for (const Profile& p : profiles()) {
    SCOPED_TRACE(p.id);
    const auto needs = [&](bool known, ProfileFact fact) {
      const FactSource* source = p.source_of(fact);
      EXPECT_EQ(source != nullptr, known) << to_string(fact);
      if (source != nullptr) {
        EXPECT_FALSE(source->source.empty()) << to_string(fact);
        EXPECT_FALSE(source->value.empty()) << to_string(fact);
      }
    };
    needs(!p.system.empty(), ProfileFact::system);
    needs(!p.os_version.empty(), ProfileFact::os_version);
    needs(true, ProfileFact::platform);
    needs(p.platform.libc != Libc::unknown, ProfileFact::libc);
    needs(!p.libc_version.empty(), ProfileFact::libc_version);
    needs(!p.cpu.empty(), ProfileFact::cpu);
    needs(!p.cpu_level.empty(), ProfileFact::cpu_level);
    needs(!p.cpu_features.empty(), ProfileFact::cpu_features);
    needs(!p.float_abi.empty(), ProfileFact::float_abi);
    needs(p.page_size.has_value(), ProfileFact::page_size);
    needs(p.compat32 != Support::unknown, ProfileFact::compat32);
    needs(!p.kernel.empty(), ProfileFact::kernel);
    needs(!p.kernel_machine.empty(), ProfileFact::kernel_machine);
    needs(!p.loaders.empty(), ProfileFact::loader);
    needs(!p.emulation.empty(), ProfileFact::emulation);
    EXPECT_FALSE(p.name.empty());
    EXPECT_NE(p.platform.os, Os::unknown);
    EXPECT_NE(p.platform.arch, Arch::unknown);
  }
}

struct Expected {
  const char* id;
  const char* oci;
  Libc libc;
  const char* libc_version;
  std::uint64_t page_size;  // 0: unknown
  Support compat32;
  Arch compat32_arch;
  std::size_t emulated;     // guest platforms
};

void PrintTo(const Expected& e, std::ostream* out) { *out << e.id; }

class RequiredFacts : public testing::TestWithParam<Expected> {};

TEST_P(RequiredFacts, AsTheTableStates) {
  const Expected& e = GetParam();
  const Profile* p = find_profile(e.id);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(to_oci(p->platform), e.oci);
  EXPECT_EQ(p->platform.libc, e.libc);
  EXPECT_EQ(p->libc_version, e.libc_version);
  EXPECT_EQ(p->page_size.value_or(0), e.page_size);
  EXPECT_EQ(p->compat32, e.compat32);
  EXPECT_EQ(p->compat32_arch, e.compat32_arch);
  EXPECT_EQ(p->emulation.size(), e.emulated);
}

// glibc: songdongsheng distribution table; musl: Alpine aports, OpenWrt toolchain/musl; pages:
// Raspberry Pi config.txt docs, WWDC20 10214; 32-bit: Graviton guide, bcm2712_defconfig.
const Expected EXPECTED[] = {
    Expected{"rpi-zero", "linux/arm/v6", Libc::glibc, "2.36", 4096, Support::unknown, Arch::unknown, 0},
    Expected{"rpi-zero-2w-32", "linux/arm/v7", Libc::glibc, "2.36", 4096, Support::unknown, Arch::unknown, 0},
    Expected{"rpi-zero-2w-64", "linux/arm64", Libc::glibc, "2.36", 4096, Support::likely, Arch::arm, 0},
    Expected{"rpi3-32", "linux/arm/v7", Libc::glibc, "2.36", 4096, Support::unknown, Arch::unknown, 0},
    Expected{"rpi3-64", "linux/arm64", Libc::glibc, "2.36", 4096, Support::likely, Arch::arm, 0},
    Expected{"rpi4-32", "linux/arm/v7", Libc::glibc, "2.36", 4096, Support::unknown, Arch::unknown, 0},
    Expected{"rpi4-64", "linux/arm64", Libc::glibc, "2.36", 4096, Support::yes, Arch::arm, 0},
    Expected{"rpi5", "linux/arm64/v8.2", Libc::glibc, "2.36", 16384, Support::yes, Arch::arm, 0},
    Expected{"rpi5-4k", "linux/arm64/v8.2", Libc::glibc, "2.36", 4096, Support::likely, Arch::arm, 0},
    Expected{"apple-m1-rosetta", "darwin/arm64", Libc::libsystem, "", 16384, Support::no, Arch::arm, 1},
    Expected{"apple-m1-no-rosetta", "darwin/arm64", Libc::libsystem, "", 16384, Support::no, Arch::arm, 0},
    Expected{"apple-m2-rosetta", "darwin/arm64", Libc::libsystem, "", 16384, Support::no, Arch::arm, 1},
    Expected{"apple-m2-no-rosetta", "darwin/arm64", Libc::libsystem, "", 16384, Support::no, Arch::arm, 0},
    Expected{"apple-m3-rosetta", "darwin/arm64", Libc::libsystem, "", 16384, Support::no, Arch::arm, 1},
    Expected{"apple-m3-no-rosetta", "darwin/arm64", Libc::libsystem, "", 16384, Support::no, Arch::arm, 0},
    Expected{"apple-m4-rosetta", "darwin/arm64", Libc::libsystem, "", 16384, Support::no, Arch::arm, 1},
    Expected{"apple-m4-no-rosetta", "darwin/arm64", Libc::libsystem, "", 16384, Support::no, Arch::arm, 0},
    Expected{"macos-11-arm64", "darwin/arm64", Libc::libsystem, "", 16384, Support::no, Arch::arm, 1},
    Expected{"macos-14-arm64", "darwin/arm64", Libc::libsystem, "", 16384, Support::no, Arch::arm, 1},
    Expected{"macos-13-intel", "darwin/amd64/v3", Libc::libsystem, "", 4096, Support::no, Arch::i386, 0},
    Expected{"graviton2", "linux/arm64/v8.2", Libc::unknown, "", 0, Support::likely, Arch::arm, 0},
    Expected{"graviton3", "linux/arm64/v8.4", Libc::unknown, "", 0, Support::likely, Arch::arm, 0},
    Expected{"graviton4", "linux/arm64/v9", Libc::unknown, "", 0, Support::no, Arch::arm, 0},
    Expected{"ampere-altra", "linux/arm64/v8.2", Libc::unknown, "", 0, Support::likely, Arch::arm, 0},
    Expected{"x86-64-v1", "linux/amd64", Libc::unknown, "", 4096, Support::likely, Arch::i386, 0},
    Expected{"x86-64-v2", "linux/amd64/v2", Libc::unknown, "", 4096, Support::likely, Arch::i386, 0},
    Expected{"x86-64-v3", "linux/amd64/v3", Libc::unknown, "", 4096, Support::likely, Arch::i386, 0},
    Expected{"alpine", "linux/amd64", Libc::musl, "1.2.5", 4096, Support::unknown, Arch::unknown, 0},
    Expected{"alpine-3.19", "linux/amd64", Libc::musl, "1.2.4", 4096, Support::unknown, Arch::unknown, 0},
    Expected{"debian-11", "linux/amd64", Libc::glibc, "2.31", 4096, Support::likely, Arch::i386, 0},
    Expected{"debian-12", "linux/amd64", Libc::glibc, "2.36", 4096, Support::likely, Arch::i386, 0},
    Expected{"ubuntu-20.04", "linux/amd64", Libc::glibc, "2.31", 4096, Support::likely, Arch::i386, 0},
    Expected{"ubuntu-22.04", "linux/amd64", Libc::glibc, "2.35", 4096, Support::likely, Arch::i386, 0},
    Expected{"ubuntu-24.04", "linux/amd64", Libc::glibc, "2.39", 4096, Support::likely, Arch::i386, 0},
    Expected{"rhel-8", "linux/amd64", Libc::glibc, "2.28", 4096, Support::likely, Arch::i386, 0},
    Expected{"rhel-9", "linux/amd64/v2", Libc::glibc, "2.34", 4096, Support::likely, Arch::i386, 0},
    Expected{"openwrt-mipsel_24kc", "linux/mipsle", Libc::musl, "1.2.5", 4096, Support::unknown, Arch::unknown, 0},
    Expected{"openwrt-aarch64_cortex-a53", "linux/arm64", Libc::musl, "1.2.5", 0, Support::unknown, Arch::unknown, 0},
    Expected{"openwrt-arm_cortex-a7", "linux/arm/v7", Libc::musl, "1.2.5", 4096, Support::unknown, Arch::unknown, 0},
    Expected{"openwrt-arm_cortex-a7_neon-vfpv4", "linux/arm/v7", Libc::musl, "1.2.5", 4096, Support::unknown,
             Arch::unknown, 0},
    Expected{"visionfive2", "linux/riscv64", Libc::glibc, "", 4096, Support::unknown, Arch::unknown, 0},
    Expected{"jetson-orin", "linux/arm64", Libc::glibc, "2.35", 0, Support::unknown, Arch::unknown, 0},
    Expected{"jetson-nano", "linux/arm64", Libc::glibc, "2.27", 0, Support::unknown, Arch::unknown, 0},
    Expected{"windows-10-x64", "windows/amd64", Libc::ucrt, "", 0, Support::yes, Arch::i386, 1},
    Expected{"windows-11-x64", "windows/amd64", Libc::ucrt, "", 0, Support::yes, Arch::i386, 1},
    Expected{"windows-10-arm64", "windows/arm64", Libc::ucrt, "", 0, Support::unknown, Arch::unknown, 1},
    Expected{"windows-11-arm64", "windows/arm64", Libc::ucrt, "", 0, Support::unknown, Arch::unknown, 2},
    Expected{"windows-7-x64", "windows/amd64", Libc::msvcrt, "", 0, Support::yes, Arch::i386, 1},
    Expected{"windows-8.1-x64", "windows/amd64", Libc::msvcrt, "", 0, Support::yes, Arch::i386, 1},
    Expected{"android-arm64", "android/arm64", Libc::bionic, "", 0, Support::unknown, Arch::unknown, 0}};

INSTANTIATE_TEST_SUITE_P(Table, RequiredFacts, testing::ValuesIn(EXPECTED));

// A new row needs a line in EXPECTED too.
TEST(Profiles, EveryProfileIsInTheRequiredFactsTable) {
  for (const Profile& p : profiles()) {
    const bool listed = std::any_of(std::begin(EXPECTED), std::end(EXPECTED),
                                    [&](const Expected& e) { return p.id == e.id; });
    EXPECT_TRUE(listed) << p.id;
  }
}

TEST(Profiles, LoadersAndEmulation) {
  EXPECT_EQ(find_profile("rpi-zero")->loaders, std::vector<std::string>{"/lib/ld-linux-armhf.so.3"});
  EXPECT_EQ(find_profile("alpine")->loaders, std::vector<std::string>{"/lib/ld-musl-x86_64.so.1"});
  EXPECT_EQ(find_profile("openwrt-mipsel_24kc")->loaders, std::vector<std::string>{"/lib/ld-musl-mipsel-sf.so.1"});
  EXPECT_EQ(find_profile("debian-12")->loaders, std::vector<std::string>{"/lib64/ld-linux-x86-64.so.2"});
  EXPECT_EQ(find_profile("apple-m2")->loaders, std::vector<std::string>{"/usr/lib/dyld"});
  EXPECT_EQ(find_profile("android-arm64")->loaders, std::vector<std::string>{"/system/bin/linker64"});

  const Profile& m1 = *find_profile("apple-m1-rosetta");
  ASSERT_EQ(m1.emulation.size(), 1u);
  EXPECT_EQ(to_oci(m1.emulation[0].guest), "darwin/amd64");
  EXPECT_EQ(m1.emulation[0].via, "Rosetta 2");
  const Profile& win11 = *find_profile("windows-11-arm64");
  ASSERT_EQ(win11.emulation.size(), 2u);
  EXPECT_EQ(to_oci(win11.emulation[0].guest), "windows/amd64");
  EXPECT_EQ(to_oci(win11.emulation[1].guest), "windows/386");
  EXPECT_EQ(win11.emulation[0].via, "Prism");
  const Profile& win10 = *find_profile("windows-10-arm64");
  ASSERT_EQ(win10.emulation.size(), 1u);
  EXPECT_EQ(to_oci(win10.emulation[0].guest), "windows/386");
}

TEST(Profiles, MacAndWindowsVersions) {
  EXPECT_EQ(find_profile("macos-11-arm64")->os_version, "11.0");
  EXPECT_EQ(find_profile("macos-14-arm64")->os_version, "14.0");
  EXPECT_EQ(find_profile("macos-13-intel")->os_version, "13.0");
  EXPECT_EQ(to_oci(find_profile("macos-13-intel")->platform), "darwin/amd64/v3");
  EXPECT_TRUE(find_profile("macos-13-intel")->emulation.empty());
  EXPECT_EQ(find_profile("windows-7-x64")->os_version, "6.1");
  EXPECT_EQ(find_profile("windows-8.1-x64")->os_version, "6.3");
  EXPECT_EQ(find_profile("windows-11-arm64")->os_version, "10.0.22000");
  EXPECT_TRUE(find_profile("apple-m1")->os_version.empty());  // "macOS 11 or later": not one version
}

TEST(Profiles, AnOsVersionMustBeDottedNumbers) {
  targets::ProfileRow row{.id = "x", .name = "x", .os_version = targets::S("eleven", "s"),
                          .platform = targets::S("darwin/arm64", "s")};
  const auto profile = targets::profile_from_row(row);
  ASSERT_FALSE(profile);
  EXPECT_EQ(profile.error().what, "profile x: OS version \"eleven\" is not a dotted version number");
}

TEST(Profiles, StatedAndInferredFactsAreMarked) {
  const Profile& zero = *find_profile("rpi-zero");
  ASSERT_NE(zero.source_of(ProfileFact::cpu), nullptr);
  EXPECT_FALSE(zero.source_of(ProfileFact::cpu)->inferred);
  EXPECT_EQ(zero.source_of(ProfileFact::cpu)->value, "Broadcom BCM2835, 1x ARM1176JZF-S");
  ASSERT_NE(zero.source_of(ProfileFact::libc_version), nullptr);
  EXPECT_TRUE(zero.source_of(ProfileFact::libc_version)->inferred);
  EXPECT_EQ(zero.cpu_features, std::vector<std::string>{"vfpv2"});
  EXPECT_EQ(find_profile("rpi5")->source_of(ProfileFact::page_size)->inferred, false);
  EXPECT_EQ(find_profile("rpi4-32")->kernel_machine, "aarch64");
  EXPECT_EQ(find_profile("openwrt-arm_cortex-a7")->float_abi, "soft");
  EXPECT_EQ(find_profile("ubuntu-24.04")->kernel, "6.8");
}

struct AliasCase {
  const char* name;
  const char* id;
};

class Lookup : public testing::TestWithParam<AliasCase> {};

TEST_P(Lookup, ByIdOrAlias) {
  const Profile* p = find_profile(GetParam().name);
  ASSERT_NE(p, nullptr) << GetParam().name;
  EXPECT_EQ(p->id, GetParam().id);
}

INSTANTIATE_TEST_SUITE_P(Names, Lookup, testing::Values(
    AliasCase{"rpi-zero", "rpi-zero"}, AliasCase{"rpi-zero-w", "rpi-zero"}, AliasCase{"rpi-1", "rpi-zero"},
    AliasCase{"RPI-Zero-W", "rpi-zero"}, AliasCase{"rpi-zero-2w-32", "rpi-zero-2w-32"},
    AliasCase{"rpi-zero-2w-64", "rpi-zero-2w-64"}, AliasCase{"rpi3-32", "rpi3-32"}, AliasCase{"rpi3-64", "rpi3-64"},
    AliasCase{"rpi4-32", "rpi4-32"}, AliasCase{"rpi4-64", "rpi4-64"}, AliasCase{"rpi4", "rpi4-64"},
    AliasCase{"rpi5", "rpi5"}, AliasCase{"apple-m1", "apple-m1-rosetta"}, AliasCase{"apple-m2", "apple-m2-rosetta"},
    AliasCase{"apple-m3", "apple-m3-rosetta"}, AliasCase{"apple-m4", "apple-m4-rosetta"},
    AliasCase{"apple-m4-no-rosetta", "apple-m4-no-rosetta"}, AliasCase{"graviton2", "graviton2"},
    AliasCase{"graviton3", "graviton3"}, AliasCase{"graviton4", "graviton4"}, AliasCase{"ampere-altra", "ampere-altra"},
    AliasCase{"x86-64-v1", "x86-64-v1"}, AliasCase{"x86-64-v2", "x86-64-v2"}, AliasCase{"x86-64-v3", "x86-64-v3"},
    AliasCase{"alpine", "alpine"}, AliasCase{"debian-11", "debian-11"}, AliasCase{"bookworm", "debian-12"},
    AliasCase{"ubuntu-20.04", "ubuntu-20.04"}, AliasCase{"ubuntu-22.04", "ubuntu-22.04"},
    AliasCase{"ubuntu-24.04", "ubuntu-24.04"}, AliasCase{"rhel-8", "rhel-8"}, AliasCase{"rhel-9", "rhel-9"},
    AliasCase{"openwrt-mipsel_24kc", "openwrt-mipsel_24kc"},
    AliasCase{"openwrt-aarch64_cortex-a53", "openwrt-aarch64_cortex-a53"},
    AliasCase{"openwrt-arm_cortex-a7", "openwrt-arm_cortex-a7"}, AliasCase{"visionfive2", "visionfive2"},
    AliasCase{"jetson", "jetson-orin"}, AliasCase{"windows-10-x64", "windows-10-x64"},
    AliasCase{"windows-11-x64", "windows-11-x64"}, AliasCase{"windows-11-arm64", "windows-11-arm64"},
    AliasCase{"android-arm64", "android-arm64"}));

TEST(Profiles, UnknownNamesFindNothing) {
  EXPECT_EQ(find_profile("rpi-6"), nullptr);
  EXPECT_EQ(find_profile(""), nullptr);
  EXPECT_EQ(find_profile("linux/arm/v6"), nullptr);
}

TEST(Profiles, ProfilesOnAPlatform) {
  std::vector<std::string> ids;
  for (const Profile* p : profiles_on(*parse_platform("linux/arm/v6"))) ids.push_back(p->id);
  EXPECT_EQ(ids, std::vector<std::string>{"rpi-zero"});
  ids.clear();
  for (const Profile* p : profiles_on(*parse_platform("x86_64-unknown-linux-musl"))) ids.push_back(p->id);
  EXPECT_EQ(ids, (std::vector<std::string>{"alpine", "alpine-3.19"}));
}

// Rows that do not parse: the error names the profile, the fact and the value.
targets::ProfileRow good_row() {
  targets::ProfileRow row;
  row.id = "test";
  row.name = "Test machine";
  row.platform = S("linux/arm64", "test source");
  return row;
}

std::string error_of(const targets::ProfileRow& row) {
  const auto profile = targets::profile_from_row(row);
  return profile ? "no error" : to_string(profile.error());
}

TEST(ProfileRows, MinimalRowReads) {
  const auto profile = targets::profile_from_row(good_row());
  ASSERT_TRUE(profile.has_value());
  EXPECT_EQ(profile->id, "test");
  EXPECT_EQ(profile->sources.size(), 1u);
  EXPECT_EQ(profile->platform.libc, Libc::unknown);
}

TEST(ProfileRows, MalformedCellsAreNamed) {
  auto row = good_row();
  row.platform = S("linux/armv99", "x");
  EXPECT_EQ(error_of(row), "malformed: profile test: platform \"linux/armv99\" is not a platform name (at offset 0x0)");
  row = good_row();
  row.libc = S("newlibc", "x");
  EXPECT_EQ(error_of(row), "malformed: profile test: libc \"newlibc\" is not a C library name (at offset 0x0)");
  row = good_row();
  row.page_size = S("4k", "x");
  EXPECT_EQ(error_of(row), "malformed: profile test: page size \"4k\" is not a power-of-two number of bytes (at offset 0x0)");
  row.page_size = I("12288", "x");
  EXPECT_EQ(error_of(row), "malformed: profile test: page size \"12288\" is not a power-of-two number of bytes (at offset 0x0)");
  row = good_row();
  row.compat32 = S("yes", "x");
  EXPECT_EQ(error_of(row), "malformed: profile test: 32-bit programs \"yes\" is not \"<support> <arch>\" (at offset 0x0)");
  row.compat32 = S("perhaps arm", "x");
  EXPECT_EQ(error_of(row), "malformed: profile test: 32-bit programs \"perhaps arm\" is not \"<support> <arch>\" (at offset 0x0)");
  row = good_row();
  row.float_abi = S("softfp", "x");
  EXPECT_EQ(error_of(row), "malformed: profile test: float ABI \"softfp\" is neither hard nor soft (at offset 0x0)");
  row = good_row();
  row.emulation = S("darwin/amd64", "x");
  EXPECT_EQ(error_of(row), "malformed: profile test: emulation \"darwin/amd64\" names no emulator (at offset 0x0)");
  row.emulator = "Rosetta 2";
  row.emulation = S("darwin/amd64 darwin/z80", "x");
  EXPECT_EQ(error_of(row), "malformed: profile test: emulation \"darwin/z80\" is not a platform name (at offset 0x0)");
}

}  // namespace
}  // namespace enoexec
