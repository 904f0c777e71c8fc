// Fixes propose only what exists: the Debian 12 cross compilers, the Android NDK for Android,
// Docker only for a platform qemu-user can build, qemu-user only for an architecture it emulates,
// a toolchain's own fix only where it has a port for the target.
#include <gtest/gtest.h>

#include "enoexec/targets.hpp"
#include "unit/verdict/fake_context.hpp"
#include "verdict/rules.hpp"

namespace enoexec {
namespace {

HostInfo host_for(std::string_view target) {
  const auto parsed = parse_target(target);
  EXPECT_TRUE(parsed) << target;
  return parsed ? host_of(*parsed) : HostInfo{};
}

FileReport built_by(std::string language, std::string compiler, Arch arch) {
  FileReport report;
  report.path = "prog";
  report.platform = make_platform(Os::linux, arch);
  if (!language.empty()) {
    report.toolchain.emplace();
    report.toolchain->language = std::move(language);
    report.toolchain->compiler = std::move(compiler);
  }
  return report;
}

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

TEST(FixExists, AndroidIsBuiltWithTheNdkNotADebianPackageOrDocker) {
  const std::string fix = verdict::fix_for("E_WRONG_ARCH", built_by("c", "gcc", Arch::amd64), host_for("android/arm64"));
  EXPECT_TRUE(has(fix, "aarch64-linux-android21-clang -o prog prog.c")) << fix;
  EXPECT_FALSE(has(fix, "apt-get")) << fix;
  EXPECT_FALSE(has(fix, "docker")) << fix;
  // The profile gives the same fix as the platform.
  EXPECT_EQ(fix, verdict::fix_for("E_WRONG_ARCH", built_by("c", "gcc", Arch::amd64), host_for("android-arm64")));
}

TEST(FixExists, NoDebianPackageIsProposedWhereDebianHasNone) {
  const std::string fix = verdict::fix_for("E_WRONG_ARCH", built_by("c", "gcc", Arch::amd64), host_for("linux/ia64"));
  EXPECT_FALSE(has(fix, "apt-get")) << fix;
  EXPECT_TRUE(has(fix, "ia64-linux-gnu-gcc")) << fix;
  EXPECT_TRUE(has(fix, "crosstool-NG")) << fix;
  EXPECT_FALSE(has(fix, "docker")) << fix;  // QEMU has no ia64 emulator to build with
  // Where Debian has one, it is proposed.
  const std::string alpha = verdict::fix_for("E_WRONG_ARCH", built_by("c", "gcc", Arch::amd64), host_for("linux/alpha"));
  EXPECT_TRUE(has(alpha, "sudo apt-get install gcc-alpha-linux-gnu && alpha-linux-gnu-gcc")) << alpha;
}

TEST(FixExists, QemuOnlyForAnArchitectureItEmulates) {
  // An x86-64 program on a Pi 5: QEMU emulates x86-64, Docker builds linux/arm64.
  const std::string pi = verdict::fix_for("E_WRONG_ARCH", built_by("", "", Arch::amd64), host_for("rpi5"));
  EXPECT_TRUE(has(pi, "docker buildx build --platform linux/arm64 .")) << pi;
  EXPECT_TRUE(has(pi, "qemu-user-static")) << pi;
  // An ia64 program on an x86-64 server: QEMU has no ia64 emulator.
  const std::string ia64 = verdict::fix_for("E_WRONG_ARCH", built_by("", "", Arch::ia64), host_for("linux/amd64"));
  EXPECT_TRUE(has(ia64, "docker buildx build --platform linux/amd64 .")) << ia64;
  EXPECT_FALSE(has(ia64, "qemu-user-static")) << ia64;
  // Nothing to build with or emulate on an ia64 target (no Debian 12 port, no QEMU for it).
  const std::string to_ia64 = verdict::fix_for("E_WRONG_ARCH", built_by("", "", Arch::amd64), host_for("linux/ia64"));
  EXPECT_EQ(to_ia64, "rebuild it for linux/ia64");
  // Nor on Android, whatever the file.
  const std::string android = verdict::fix_for("E_WRONG_ARCH", built_by("", "", Arch::amd64), host_for("android/arm64"));
  EXPECT_FALSE(has(android, "qemu")) << android;
  EXPECT_FALSE(has(android, "docker")) << android;
}

TEST(FixExists, AToolchainsOwnFixOnlyWhereItHasAPort) {
  // Go has no linux/ia64 port: no "GOARCH= " with an empty value, the generic fix instead.
  const std::string go = verdict::fix_for("E_WRONG_ARCH", built_by("go", "gc", Arch::amd64), host_for("linux/ia64"));
  EXPECT_FALSE(has(go, "GOARCH")) << go;
  const std::string go_arm = verdict::fix_for("E_WRONG_ARCH", built_by("go", "gc", Arch::amd64), host_for("linux/arm64"));
  EXPECT_TRUE(has(go_arm, "GOOS=linux GOARCH=arm64")) << go_arm;
}

}  // namespace
}  // namespace enoexec
