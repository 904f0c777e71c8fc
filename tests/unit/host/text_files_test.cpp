#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/host_parse.hpp"

namespace enoexec::host {
namespace {

using namespace std::string_literals;

TEST(Mountinfo, KeepsOnlyNoexecMountsAndDecodesEscapes) {
  const std::string text =
      "22 1 8:3 / / rw,relatime - ext4 /dev/sda3 rw\n"
      "24 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
      "28 22 8:17 / /mnt/usb\\040stick rw,noexec shared:7 master:2 - vfat /dev/sdb\\0111 rw\n"
      "29 22 0:30 / /mnt/back\\134slash rw,nosuid - tmpfs tmpfs rw,noexec\n"  // super options do not count
      "30 22 0:31 / /mnt/nl\\012x rw,noexec - tmpfs a\\b rw\n";
  std::vector<std::string> warnings;
  const auto mounts = parse_noexec_mounts(text, warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(mounts.size(), 3u);
  EXPECT_EQ(mounts[0], (MountInfo{"/proc", "proc", "proc", "rw,nosuid,nodev,noexec,relatime"}));
  EXPECT_EQ(mounts[1], (MountInfo{"/mnt/usb stick", "vfat", "/dev/sdb\t1", "rw,noexec"}));
  EXPECT_EQ(mounts[2], (MountInfo{"/mnt/nl\nx", "tmpfs", "a\\b", "rw,noexec"}));
}

TEST(Mountinfo, WarnsAboutMalformedLines) {
  std::vector<std::string> warnings;
  const auto mounts = parse_noexec_mounts("1 2 3\n\n24 22 0:21 / /proc rw,noexec - proc\n", warnings);
  EXPECT_TRUE(mounts.empty());
  EXPECT_EQ(warnings, (std::vector<std::string>{
                          "mountinfo line 1: not \"id parent dev root point options ... - type source options\"",
                          "mountinfo line 3: not \"id parent dev root point options ... - type source options\""}));
}

TEST(OsRelease, Quoting) {
  const auto values = parse_os_release(
      "# comment\n"
      "NAME=\"Alpine Linux\"\n"
      "ID=alpine\n"
      "VERSION_ID=3.19.1\n"
      "PRETTY_NAME='Single quoted'\n"
      "QUOTE=\"say \\\"hi\\\" \\\\ \\$HOME\"\n"
      "  SPACED = \"x\"  \n"
      "=nokey\n"
      "garbage line\n");
  EXPECT_EQ(values.at("NAME"), "Alpine Linux");
  EXPECT_EQ(values.at("ID"), "alpine");
  EXPECT_EQ(values.at("VERSION_ID"), "3.19.1");
  EXPECT_EQ(values.at("PRETTY_NAME"), "Single quoted");
  EXPECT_EQ(values.at("QUOTE"), "say \"hi\" \\ $HOME");
  EXPECT_EQ(values.at("SPACED"), "x");
  EXPECT_EQ(values.size(), 6u);
}

TEST(ApkDatabase, VersionOfAPackage) {
  const std::string db = "P:musl-utils\nV:9.9-r0\n\nC:Q1=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\n\nP:busybox\nV:1.36.1-r15\n";
  EXPECT_EQ(apk_package_version(db, "musl"), "1.2.4_git20230717-r4");
  EXPECT_EQ(apk_package_version(db, "busybox"), "1.36.1-r15");
  EXPECT_EQ(apk_package_version(db, "glibc"), std::nullopt);
  EXPECT_EQ(apk_package_version("P:musl\n\nV:1.0\n", "musl"), std::nullopt);  // V: of another record
}

TEST(GlibcBanner, DebianUbuntuAndOldForms) {
  const auto debian = find_glibc_banner(
      "\x01\x02GNU C Library (Debian GLIBC 2.36-9+deb12u14) stable release version 2.36.\nCopyright (C) 2022"s);
  ASSERT_TRUE(debian);
  EXPECT_EQ(debian->version, "2.36");
  EXPECT_EQ(debian->build, "Debian GLIBC 2.36-9+deb12u14");
  const auto old = find_glibc_banner("GNU C Library (GNU libc) stable release version 2.17, by Roland McGrath et al.\n");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->version, "2.17");
  EXPECT_EQ(old->build, "GNU libc");
  const auto dev = find_glibc_banner("GNU C Library (GNU libc) development release version 2.39.9000.\n"s);
  ASSERT_TRUE(dev);
  EXPECT_EQ(dev->version, "2.39.9000");
}

TEST(GlibcBanner, SkipsLookalikesAndAbsence) {
  EXPECT_FALSE(find_glibc_banner("no banner here"));
  const auto second = find_glibc_banner("GNU C Library (x\0GNU C Library (Fedora) release version 2.38.\n"s);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->build, "Fedora");
  EXPECT_FALSE(find_glibc_banner("GNU C Library (X) stable release version soon.\n"));
}

TEST(MuslVersion, TheOneLoneVersionString) {
  EXPECT_EQ(find_musl_version("musl libc (x86_64)\nVersion %s\n\0/proc/self/fd/\0001.2.3\0Unsupported\0"s), "1.2.3");
  EXPECT_EQ(find_musl_version("\0001.2.3\0"s), std::nullopt);                                // not musl
  EXPECT_EQ(find_musl_version("musl libc (\0001.2.3\0001.2.4\0"s), std::nullopt);           // ambiguous
  EXPECT_EQ(find_musl_version("musl libc (\000127.0.0.1\0005.5\0"s), std::nullopt);         // not a.b.c
  EXPECT_EQ(find_musl_version("musl libc (\0001.2.3\0001.2.3\0"s), "1.2.3");                // repeated: one
}

TEST(KernelCommandLine, Options) {
  const std::string cmdline = "BOOT_IMAGE=/vmlinuz ro quiet ia32_emulation=0 ia32_emulation=1 -- ia32_emulation=0\n";
  EXPECT_EQ(cmdline_option(cmdline, "ia32_emulation"), "1");  // the last one before "--" wins
  EXPECT_EQ(cmdline_option(cmdline, "quiet"), "");
  EXPECT_EQ(cmdline_option(cmdline, "qui"), std::nullopt);
  EXPECT_EQ(cmdline_option(cmdline, "BOOT_IMAGE"), "/vmlinuz");
}

TEST(KernelConfig, Values) {
  const std::string config = "CONFIG_COMPAT=y\n# CONFIG_IA32_EMULATION is not set\nCONFIG_HZ=250\n";
  EXPECT_EQ(kernel_config_value(config, "CONFIG_COMPAT"), "y");
  EXPECT_EQ(kernel_config_value(config, "CONFIG_IA32_EMULATION"), "n");
  EXPECT_EQ(kernel_config_value(config, "CONFIG_HZ"), "250");
  EXPECT_EQ(kernel_config_value(config, "CONFIG_H"), std::nullopt);
}

TEST(LoaderNames, ArchAndLibcFromTheFileName) {
  const auto check = [](std::string_view name, Libc libc, Arch arch) {
    const auto found = loader_from_name(name);
    ASSERT_TRUE(found) << name;
    EXPECT_EQ(found->libc, libc) << name;
    EXPECT_EQ(found->arch, arch) << name;
  };
  check("ld-musl-x86_64.so.1", Libc::musl, Arch::amd64);
  check("ld-musl-aarch64.so.1", Libc::musl, Arch::arm64);
  check("ld-musl-armhf.so.1", Libc::musl, Arch::arm);
  check("ld-linux-x86-64.so.2", Libc::glibc, Arch::amd64);
  check("ld-linux-aarch64.so.1", Libc::glibc, Arch::arm64);
  check("ld-linux-armhf.so.3", Libc::glibc, Arch::arm);
  check("ld-linux-riscv64-lp64d.so.1", Libc::glibc, Arch::riscv64);
  check("ld-linux.so.2", Libc::glibc, Arch::i386);
  check("ld-linux.so.3", Libc::glibc, Arch::arm);
  check("ld64.so.2", Libc::glibc, Arch::unknown);
  check("linker64", Libc::bionic, Arch::unknown);
  EXPECT_FALSE(loader_from_name("libc.so.6"));
}

}  // namespace
}  // namespace enoexec::host
