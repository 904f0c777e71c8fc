// The artifact-name gate: names that promise a platform the contents are not for.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "enoexec/inspect.hpp"
#include "verdict/artifact_name.hpp"

namespace enoexec {
namespace {

NamedPlatform named(Os os, Arch arch, Libc libc = Libc::unknown, std::string variant = {}) {
  return {os, arch, libc, std::move(variant)};
}

TEST(PlatformInName, ReleaseAssetNames) {
  EXPECT_EQ(platform_in_name("myapp-linux-arm64", true), named(Os::linux, Arch::arm64));
  EXPECT_EQ(platform_in_name("myapp-linux-arm64-musl", true), named(Os::linux, Arch::arm64, Libc::musl));
  EXPECT_EQ(platform_in_name("linux-arm64-musl", false), named(Os::linux, Arch::arm64, Libc::musl));
  EXPECT_EQ(platform_in_name("myapp_x86_64", true), named(Os::unknown, Arch::amd64));
  EXPECT_EQ(platform_in_name("tool-x86-64.bin", true), named(Os::unknown, Arch::amd64));
  EXPECT_EQ(platform_in_name("amd64", false), named(Os::unknown, Arch::amd64));
  EXPECT_EQ(platform_in_name("node-v20.11.0-win32-x64", false), named(Os::windows, Arch::amd64));
  EXPECT_EQ(platform_in_name("electron-v28.1.0-darwin-arm64", false), named(Os::darwin, Arch::arm64));
  EXPECT_EQ(platform_in_name("app-macos-universal", true), named(Os::darwin, Arch::unknown));
  EXPECT_EQ(platform_in_name("myapp-armv7", true), named(Os::unknown, Arch::arm, Libc::unknown, "v7"));
  EXPECT_EQ(platform_in_name("myapp-armhf", true), named(Os::unknown, Arch::arm, Libc::unknown, "v7"));
  EXPECT_EQ(platform_in_name("rg-14.1.0-i686-unknown-linux-gnu", false),
            named(Os::linux, Arch::i386, Libc::glibc));
  EXPECT_EQ(platform_in_name("rg-14.1.0-aarch64-unknown-linux-musl", false),
            named(Os::linux, Arch::arm64, Libc::musl));
  EXPECT_EQ(platform_in_name("tool-armv7-unknown-linux-musleabihf", true),
            named(Os::linux, Arch::arm, Libc::musl, "v7"));
  EXPECT_EQ(platform_in_name("hugo_0.121.1_linux-riscv64", true), named(Os::linux, Arch::riscv64));
  EXPECT_EQ(platform_in_name("x86_64-w64-mingw32", false), named(Os::windows, Arch::amd64));
  EXPECT_EQ(platform_in_name("_cffi_backend.cpython-311-x86_64-linux-gnu.so", true),
            named(Os::linux, Arch::amd64, Libc::glibc));
  EXPECT_EQ(platform_in_name("Linux-X86_64", false), named(Os::linux, Arch::amd64));
  EXPECT_EQ(platform_in_name("watchos-arm64_32", true), named(Os::watchos, Arch::arm64_32));
  EXPECT_EQ(platform_in_name("hello-linux-aarch64_be", true), named(Os::linux, Arch::arm64be));
}

TEST(PlatformInName, DotExeSaysWindowsOnlyAsTheFileExtension) {
  EXPECT_EQ(platform_in_name("setup.exe", true), named(Os::windows, Arch::unknown));
  EXPECT_EQ(platform_in_name("SETUP.EXE", true), named(Os::windows, Arch::unknown));
  EXPECT_EQ(platform_in_name("setup.exe", false), NamedPlatform{});
  EXPECT_EQ(platform_in_name("exe", true), NamedPlatform{});
  EXPECT_EQ(platform_in_name("exe-tools", true), NamedPlatform{});
}

TEST(PlatformInName, NumbersArmAndX86CountOnlyNextToAnOs) {
  EXPECT_EQ(platform_in_name("myapp_linux_386", true), named(Os::linux, Arch::i386));
  EXPECT_EQ(platform_in_name("myapp-1.386.0", true), NamedPlatform{});
  EXPECT_EQ(platform_in_name("myapp-linux-arm", true), named(Os::linux, Arch::arm));
  EXPECT_EQ(platform_in_name("arm", false), NamedPlatform{});
  EXPECT_EQ(platform_in_name("robot-arm-controller", true), NamedPlatform{});
  EXPECT_EQ(platform_in_name("x86", false), NamedPlatform{});
  EXPECT_EQ(platform_in_name("win-x86", false), NamedPlatform{});  // "win" is no OS word
  EXPECT_EQ(platform_in_name("windows-x86", false), named(Os::windows, Arch::i386));
}

TEST(PlatformInName, WordsThatAreNotPlatforms) {
  for (const char* name : {"alarm", "glibc-2.36", "libfoo.so.2.36", "install.sh", "app.js", "alpha",
                           "release-1.0-alpha", "arc", "firmware", "armory", "v7", "x32", "darwinism",
                           "linuxbrew", "sharm64", "bin", "lib64", "usr", "2.36", "python3.11", "musl",
                           "musl-1.2.4", "gnu", "gcc-gnu-12"}) {
    EXPECT_EQ(platform_in_name(name, true), NamedPlatform{}) << name;
  }
}

TEST(PlatformInName, CrossToolsNameTheirTargetNotTheirHost) {
  for (const char* name : {"aarch64-linux-gnu-gcc-12", "x86_64-w64-mingw32-ld", "arm-none-eabi-objcopy",
                           "i686-linux-gnu-ld.bfd", "riscv64-linux-gnu-c++filt"}) {
    EXPECT_EQ(platform_in_name(name, true), NamedPlatform{}) << name;
  }
  // Only a platform, or a platform and a version: still a platform.
  EXPECT_EQ(platform_in_name("aarch64-unknown-linux-musl", false), named(Os::linux, Arch::arm64, Libc::musl));
  EXPECT_EQ(platform_in_name("win32-x64-117", false), named(Os::windows, Arch::amd64));
  // GCC's thread model, not Windows: win32 needs an architecture beside it.
  EXPECT_EQ(platform_in_name("12-win32", false), NamedPlatform{});
}

TEST(FileClaim, AFileNameNeedsAnOsAndAnArchitectureOrDotExe) {
  EXPECT_EQ(file_claim("myapp-linux-arm64"), named(Os::linux, Arch::arm64));
  EXPECT_EQ(file_claim("setup.exe"), named(Os::windows, Arch::unknown));
  EXPECT_EQ(file_claim("qemu-aarch64"), NamedPlatform{});
  EXPECT_EQ(file_claim("qemu-system-x86_64"), NamedPlatform{});
  EXPECT_EQ(file_claim("llvm-libtool-darwin"), NamedPlatform{});
  EXPECT_EQ(file_claim("libbfd-2.40-arm64.so"), NamedPlatform{});
}

TEST(PlatformInName, TwoArchitecturesOrTwoSystemsSayNeither) {
  EXPECT_EQ(platform_in_name("app-x86_64-arm64", true), NamedPlatform{});
  EXPECT_EQ(platform_in_name("app-linux-darwin-arm64", true), named(Os::unknown, Arch::arm64));
  EXPECT_EQ(platform_in_name("amd64-x86_64", true), named(Os::unknown, Arch::amd64));  // the same
}

FileReport elf_report(const std::string& path, Platform platform, bool dynamic = true) {
  FileReport report;
  report.path = path;
  report.format = Format::elf;
  report.platform = platform;
  if (dynamic) report.interpreter = "/lib/ld-musl-x86_64.so.1";
  return report;
}

TEST(ArtifactNameProblems, NameSaysOneArchContentsAnother) {
  const auto problems =
      artifact_name_problems(elf_report("dist/myapp-linux-arm64", make_platform(Os::linux, Arch::amd64)));
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0].code, "W_ARTIFACT_NAME");
  EXPECT_EQ(problems[0].severity, "warning");
  EXPECT_EQ(problems[0].message,
            "dist/myapp-linux-arm64: the name says linux/arm64, the contents are linux/amd64");
  EXPECT_EQ(problems[0].outcome, "exec format error on linux/arm64");
  EXPECT_EQ(problems[0].fix, "rename it, or rebuild for the platform the name promises");
}

TEST(ArtifactNameProblems, MatchingNamesAndSilentNamesGiveNothing) {
  const Platform amd64 = make_platform(Os::linux, Arch::amd64, "", Libc::glibc);
  EXPECT_TRUE(artifact_name_problems(elf_report("out/myapp-linux-amd64", amd64)).empty());
  EXPECT_TRUE(artifact_name_problems(elf_report("x86_64-linux-gnu/hello", amd64)).empty());
  EXPECT_TRUE(artifact_name_problems(elf_report("/usr/bin/alarm", amd64)).empty());
  EXPECT_TRUE(artifact_name_problems(elf_report("hello", amd64)).empty());
  FileReport script;
  script.path = "linux-arm64/run.sh";
  script.format = Format::script;
  EXPECT_TRUE(artifact_name_problems(script).empty());
}

TEST(ArtifactNameProblems, TheFolderSpeaksForWhatTheFileNameLeavesOut) {
  const Platform arm = make_platform(Os::linux, Arch::arm, "v7");
  const auto problems = artifact_name_problems(elf_report("release/linux-arm64/myapp", arm));
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0].message,
            "release/linux-arm64/myapp: the folder name linux-arm64 says linux/arm64, the contents "
            "are linux/arm/v7");
  // The file name says arm; the folder's arm64 is overruled, not contradicted.
  EXPECT_TRUE(artifact_name_problems(elf_report("release/linux-arm64/myapp-armv7", arm)).empty());
}

TEST(ArtifactNameProblems, MuslAgainstGlibcOnlyForDynamicPrograms) {
  const Platform gnu = make_platform(Os::linux, Arch::amd64, "", Libc::glibc);
  const auto problems = artifact_name_problems(elf_report("myapp-linux-amd64-musl", gnu));
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0].message,
            "myapp-linux-amd64-musl: the name says linux/amd64 with musl, the contents are "
            "linux/amd64 with glibc");
  EXPECT_EQ(problems[0].outcome, "execve: ENOENT on linux/amd64 with musl (its loader is not there)");
  EXPECT_TRUE(artifact_name_problems(elf_report("myapp-linux-amd64-musl", gnu, false)).empty());
}

TEST(ArtifactNameProblems, ExeHoldingAnElf) {
  const auto problems =
      artifact_name_problems(elf_report("bin/setup.exe", make_platform(Os::linux, Arch::amd64)));
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0].message, "bin/setup.exe: the name says windows, the contents are linux/amd64");
}

TEST(ArtifactNameProblems, UniversalMachoMatchesAnySlice) {
  FileReport fat;
  fat.path = "dist/tool-darwin-arm64";
  fat.format = Format::macho_fat;
  for (const Arch arch : {Arch::amd64, Arch::arm64}) {
    FileReport slice;
    slice.platform = make_platform(Os::darwin, arch);
    fat.slices.push_back(slice);
  }
  EXPECT_TRUE(artifact_name_problems(fat).empty());
  fat.path = "dist/tool-linux-arm64";
  const auto problems = artifact_name_problems(fat);
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0].message,
            "dist/tool-linux-arm64: the name says linux/arm64, the contents are "
            "darwin/amd64+darwin/arm64");
}

TEST(ArtifactNameProblems, DotNetAssembliesAreSkipped) {
  FileReport report = elf_report("publish/linux-x64/app.dll", make_platform(Os::windows, Arch::i386));
  report.format = Format::pe;
  report.pe = PeDetails{};
  report.pe->clr = PeClr{};
  EXPECT_TRUE(artifact_name_problems(report).empty());
}

// End to end on a real cross-built program (tests/integration/recipes/cross-c.sh), copied under
// misleading names. Skipped when the inputs have not been fetched.
TEST(ArtifactNameProblems, RealProgramUnderAMisleadingName) {
  const std::filesystem::path inputs =
      std::filesystem::path(__FILE__).parent_path() / "../../../build/inputs/cross-c";
  const auto source = inputs / "aarch64-linux-gnu/hello";
  if (!std::filesystem::exists(source)) GTEST_SKIP() << "no " << source << " (tests/integration/fetch-inputs.sh)";
  const auto dir = std::filesystem::temp_directory_path() / ("enoexec-artifact-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "linux-amd64");
  std::filesystem::copy_file(source, dir / "hello-linux-x86_64", std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(source, dir / "linux-amd64/hello", std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(source, dir / "hello-linux-aarch64-gnu", std::filesystem::copy_options::overwrite_existing);
  const auto message = [&](const std::string& name) {
    const auto problems = artifact_name_problems(inspect_file((dir / name).string()));
    return problems.empty() ? std::string("-") : problems[0].message;
  };
  EXPECT_EQ(message("hello-linux-x86_64"),
            (dir / "hello-linux-x86_64").string() + ": the name says linux/amd64, the contents are linux/arm64");
  EXPECT_EQ(message("linux-amd64/hello"), (dir / "linux-amd64/hello").string() +
                                               ": the folder name linux-amd64 says linux/amd64, the "
                                               "contents are linux/arm64");
  EXPECT_EQ(message("hello-linux-aarch64-gnu"), "-");
  std::filesystem::remove_all(dir);
}

// scan --assets: the platform each asset is judged on.
TEST(PromisedPlatform, FromTheFileName) {
  const auto promised = [](std::string_view name) {
    const auto platform = promised_platform(name);
    return platform ? to_oci(*platform) : std::string("-");
  };
  EXPECT_EQ(promised("myapp-linux-armv6"), "linux/arm/v6");
  EXPECT_EQ(promised("myapp-linux-armhf"), "linux/arm/v7");
  EXPECT_EQ(promised("myapp-linux-amd64"), "linux/amd64");
  EXPECT_EQ(promised("myapp-linux-arm64"), "linux/arm64");
  EXPECT_EQ(promised("myapp_Linux_x86_64"), "linux/amd64");
  EXPECT_EQ(promised("myapp-darwin-arm64"), "darwin/arm64");
  EXPECT_EQ(promised("myapp.exe"), "windows/amd64");
  EXPECT_EQ(promised("myapp-windows-arm64.exe"), "windows/arm64");
  EXPECT_EQ(promised("myapp-win32-ia32.exe"), "windows/386");
  EXPECT_EQ(promised_platform("rg-14.1.0-aarch64-unknown-linux-musl")->libc, Libc::musl);
  // No promise: judged against --target or this machine.
  EXPECT_EQ(promised("myapp"), "-");
  EXPECT_EQ(promised("myapp-arm64"), "-");      // an architecture alone
  EXPECT_EQ(promised("myapp-linux"), "-");      // an OS alone
  EXPECT_EQ(promised("qemu-aarch64"), "-");
  EXPECT_EQ(promised("aarch64-linux-gnu-gcc"), "-");  // a cross tool names what it builds for
  EXPECT_EQ(promised("myapp-linux-amd64-arm64"), "-");  // two architectures: none
}

}  // namespace
}  // namespace enoexec
