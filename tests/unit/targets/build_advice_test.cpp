// build_advice(): the exact commands for each toolchain. The armv6 flags were checked with Debian
// 12's gcc-arm-linux-gnueabihf 12.2: without -marm it stops with "sorry, unimplemented: Thumb-1
// 'hard-float' VFP ABI", and with it the linked program still carries the ARMv7 start files.
#include <gtest/gtest.h>

#include "enoexec/targets.hpp"
#include "targets/build_advice.hpp"

namespace enoexec {
namespace {

Target target(std::string_view text) {
  auto parsed = parse_target(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed ? *parsed : Target{};
}

const BuildAdvice* find(const std::vector<BuildAdvice>& advice, std::string_view toolchain) {
  for (const auto& a : advice) {
    if (a.toolchain == toolchain) return &a;
  }
  return nullptr;
}

using Lines = std::vector<std::string>;

TEST(BuildAdvice, RaspberryPiZeroArmv6) {
  const auto advice = build_advice(target("rpi-zero"));
  ASSERT_EQ(advice.size(), 4u);
  EXPECT_EQ(advice[0].toolchain, "Go");
  EXPECT_EQ(advice[0].commands, Lines{"GOOS=linux GOARCH=arm GOARM=6 CGO_ENABLED=0 go build"});
  EXPECT_EQ(advice[1].toolchain, "Rust");
  EXPECT_EQ(advice[1].commands,
            (Lines{"rustup target add arm-unknown-linux-gnueabihf", "cargo build --target arm-unknown-linux-gnueabihf"}));
  EXPECT_EQ(advice[1].notes.front(),
            "cross linker: CARGO_TARGET_ARM_UNKNOWN_LINUX_GNUEABIHF_LINKER=arm-linux-gnueabihf-gcc (Debian package "
            "gcc-arm-linux-gnueabihf)");
  EXPECT_EQ(advice[2].toolchain, "C/C++");
  EXPECT_EQ(advice[2].commands,
            (Lines{"sudo apt-get install gcc-arm-linux-gnueabihf",
                   "arm-linux-gnueabihf-gcc -march=armv6 -marm -mfpu=vfp -mfloat-abi=hard -o prog prog.c"}));
  EXPECT_NE(std::find(advice[2].notes.begin(), advice[2].notes.end(),
                      "Debian's armhf start files and libraries are ARMv7 (Thumb-2) and crash an ARMv6 CPU: link "
                      "against a Raspberry Pi OS sysroot, or build on the Pi"),
            advice[2].notes.end());
  EXPECT_EQ(advice[3].toolchain, "Docker");
  EXPECT_EQ(advice[3].commands, Lines{"docker buildx build --platform linux/arm/v6 ."});
}

TEST(BuildAdvice, BarePlatformSpellingsAgree) {
  // The same platform named three ways builds the same way.
  EXPECT_EQ(build_advice(target("linux/arm/v6")), build_advice(target("GOOS=linux GOARCH=arm GOARM=6")));
  EXPECT_EQ(build_advice(target("linux/arm/v6")), build_advice(target("armv6l")));
}

TEST(BuildAdvice, Armv7l) {
  const auto advice = build_advice(target("armv7l"));
  ASSERT_EQ(advice.size(), 4u);
  EXPECT_EQ(advice[0].commands, Lines{"GOOS=linux GOARCH=arm GOARM=7 CGO_ENABLED=0 go build"});
  EXPECT_EQ(advice[1].commands, (Lines{"rustup target add armv7-unknown-linux-gnueabihf",
                                       "cargo build --target armv7-unknown-linux-gnueabihf"}));
  EXPECT_EQ(advice[2].commands,
            (Lines{"sudo apt-get install gcc-arm-linux-gnueabihf", "arm-linux-gnueabihf-gcc -o prog prog.c"}));
  EXPECT_EQ(advice[3].commands, Lines{"docker buildx build --platform linux/arm/v7 ."});
}

TEST(BuildAdvice, Amd64Musl) {
  const auto advice = build_advice(target("x86_64-unknown-linux-musl"));
  ASSERT_EQ(advice.size(), 4u);
  EXPECT_EQ(advice[0].commands, Lines{"GOOS=linux GOARCH=amd64 CGO_ENABLED=0 go build"});
  EXPECT_EQ(advice[0].notes,
            Lines{"CGO_ENABLED=0 builds a static program that needs no C library, so musl is no obstacle"});
  EXPECT_EQ(advice[1].commands,
            (Lines{"rustup target add x86_64-unknown-linux-musl", "cargo build --target x86_64-unknown-linux-musl"}));
  EXPECT_EQ(advice[2].commands, (Lines{"sudo apt-get install musl-tools", "musl-gcc -static -o prog prog.c"}));
  EXPECT_EQ(advice[2].notes[1], "from another host: x86_64-linux-musl-gcc -static -o prog prog.c");
  EXPECT_EQ(advice[3].commands, Lines{"docker buildx build --platform linux/amd64 ."});
}

TEST(BuildAdvice, WindowsAmd64) {
  const auto advice = build_advice(target("windows/amd64"));
  ASSERT_EQ(advice.size(), 3u);  // no Docker: Windows containers are not built this way
  EXPECT_EQ(advice[0].commands, Lines{"GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build"});
  EXPECT_EQ(advice[1].commands,
            (Lines{"rustup target add x86_64-pc-windows-msvc", "cargo build --target x86_64-pc-windows-msvc"}));
  EXPECT_EQ(advice[1].notes, (Lines{"-msvc targets link with Microsoft's linker: build on Windows",
                                    "from Linux: rustup target add x86_64-pc-windows-gnu, with the Debian package "
                                    "gcc-mingw-w64-x86-64"}));
  EXPECT_EQ(advice[2].commands,
            (Lines{"sudo apt-get install gcc-mingw-w64-x86-64", "x86_64-w64-mingw32-gcc -o prog.exe prog.c"}));
}

TEST(BuildAdvice, DarwinArm64) {
  const auto advice = build_advice(target("darwin/arm64"));
  ASSERT_EQ(advice.size(), 3u);
  EXPECT_EQ(advice[0].commands, Lines{"GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 go build"});
  EXPECT_EQ(advice[1].commands,
            (Lines{"rustup target add aarch64-apple-darwin", "cargo build --target aarch64-apple-darwin"}));
  EXPECT_EQ(advice[2].commands, Lines{"clang -arch arm64 -o prog prog.c"});
  EXPECT_EQ(advice[2].notes.back(),
            "arm64 programs must be signed: the linker signs ad hoc; after changing a program, sign it again: "
            "codesign -s - -f prog");
  EXPECT_EQ(find(advice, "Docker"), nullptr);
}

TEST(BuildAdvice, SoftFloatOpenWrt) {
  const auto a7 = build_advice(target("openwrt-arm_cortex-a7"));
  EXPECT_EQ(find(a7, "Go")->commands, Lines{"GOOS=linux GOARCH=arm GOARM=5 CGO_ENABLED=0 go build"});
  EXPECT_EQ(find(a7, "Rust")->commands,
            (Lines{"rustup target add armv7-unknown-linux-musleabi", "cargo build --target armv7-unknown-linux-musleabi"}));
  EXPECT_EQ(find(a7, "C/C++")->commands,
            Lines{"arm-linux-musleabi-gcc -march=armv7-a -mfloat-abi=soft -static -o prog prog.c"});
  EXPECT_EQ(find(a7, "Docker")->commands, Lines{"docker buildx build --platform linux/arm/v5 ."});

  const auto mips = build_advice(target("openwrt-mipsel_24kc"));
  EXPECT_EQ(find(mips, "Go")->commands, Lines{"GOOS=linux GOARCH=mipsle GOMIPS=softfloat CGO_ENABLED=0 go build"});
  EXPECT_EQ(find(mips, "Rust")->commands,
            (Lines{"rustup target add mipsel-unknown-linux-musl", "cargo build --target mipsel-unknown-linux-musl"}));
  EXPECT_EQ(find(mips, "C/C++")->commands, Lines{"mipsel-linux-muslsf-gcc -static -o prog prog.c"});

  const auto neon = build_advice(target("openwrt-arm_cortex-a7_neon-vfpv4"));
  EXPECT_EQ(find(neon, "Go")->commands, Lines{"GOOS=linux GOARCH=arm GOARM=7 CGO_ENABLED=0 go build"});
  EXPECT_EQ(find(neon, "Rust")->commands.back(), "cargo build --target armv7-unknown-linux-musleabihf");
  EXPECT_EQ(find(neon, "C/C++")->commands, Lines{"arm-linux-musleabihf-gcc -static -o prog prog.c"});
}

TEST(BuildAdvice, LevelsAboveBaseline) {
  const auto v3 = build_advice(target("x86-64-v3"));
  EXPECT_EQ(find(v3, "Go")->commands, Lines{"GOOS=linux GOARCH=amd64 GOAMD64=v3 CGO_ENABLED=0 go build"});
  EXPECT_EQ(find(v3, "C/C++")->commands.back(), "x86_64-linux-gnu-gcc -march=x86-64-v3 -o prog prog.c");
  EXPECT_EQ(find(v3, "C/C++")->commands.front(), "sudo apt-get install gcc-x86-64-linux-gnu");
  EXPECT_EQ(find(v3, "Docker")->commands, Lines{"docker buildx build --platform linux/amd64/v3 ."});

  const auto g2 = build_advice(target("graviton2"));
  EXPECT_EQ(find(g2, "Go")->commands, Lines{"GOOS=linux GOARCH=arm64 GOARM64=v8.2 CGO_ENABLED=0 go build"});
  EXPECT_EQ(find(g2, "C/C++")->commands.back(), "aarch64-linux-gnu-gcc -march=armv8.2-a -o prog prog.c");
  const auto g4 = build_advice(target("graviton4"));
  EXPECT_EQ(find(g4, "C/C++")->commands.back(), "aarch64-linux-gnu-gcc -march=armv9-a -o prog prog.c");
}

TEST(BuildAdvice, GlibcVersionOfAProfile) {
  const auto advice = build_advice(target("debian-11"));
  EXPECT_EQ(find(advice, "Go")->notes,
            Lines{"with cgo instead: CGO_ENABLED=1 CC=x86_64-linux-gnu-gcc, linked against the target's glibc 2.31 "
                  "or older"});
  EXPECT_EQ(find(advice, "C/C++")->notes.back(),
            "link against glibc 2.31 or older (build on that system or in a container of it): a newer glibc adds "
            "GLIBC_2.x symbol versions the target lacks");
}

TEST(BuildAdvice, Android) {
  const auto arm64 = build_advice(target("android-arm64"));
  EXPECT_EQ(find(arm64, "Go")->commands, Lines{"GOOS=android GOARCH=arm64 CGO_ENABLED=0 go build"});
  EXPECT_EQ(find(arm64, "C/C++")->commands,
            Lines{"$ANDROID_NDK_HOME/toolchains/llvm/prebuilt/linux-x86_64/bin/aarch64-linux-android21-clang -o prog "
                  "prog.c"});
  EXPECT_EQ(find(arm64, "Docker"), nullptr);
  const auto arm = build_advice(target("android/arm"));
  EXPECT_EQ(find(arm, "Go")->commands,
            Lines{"GOOS=android GOARCH=arm GOARM=7 CGO_ENABLED=1 "
                  "CC=$ANDROID_NDK_HOME/toolchains/llvm/prebuilt/linux-x86_64/bin/armv7a-linux-androideabi21-clang "
                  "go build"});
}

TEST(BuildAdvice, WindowsOnArmAndNoToolchain) {
  const auto arm64 = build_advice(target("windows-11-arm64"));
  EXPECT_EQ(find(arm64, "Go")->commands, Lines{"GOOS=windows GOARCH=arm64 CGO_ENABLED=0 go build"});
  EXPECT_EQ(find(arm64, "Rust")->commands.back(), "cargo build --target aarch64-pc-windows-msvc");
  EXPECT_EQ(find(arm64, "C/C++")->commands, Lines{"aarch64-w64-mingw32-clang -o prog.exe prog.c"});
  // linux/sh: no Go port and no Rust target, so neither toolchain is offered.
  const auto sh = build_advice(target("linux/sh"));
  EXPECT_EQ(find(sh, "Go"), nullptr);
  EXPECT_EQ(find(sh, "Rust"), nullptr);
}

TEST(BuildAdviceParts, GccLevelFlags) {
  const auto flags = [](std::string_view oci, bool soft = false) {
    return targets::gcc_level_flags(*parse_platform(oci), soft);
  };
  EXPECT_EQ(flags("linux/arm/v6"), " -march=armv6 -marm -mfpu=vfp -mfloat-abi=hard");
  EXPECT_EQ(flags("linux/arm/v6", true), " -march=armv6 -marm -mfloat-abi=soft");
  EXPECT_EQ(flags("linux/arm/v7"), "");
  EXPECT_EQ(flags("linux/arm/v7", true), " -march=armv7-a -mfloat-abi=soft");
  EXPECT_EQ(flags("linux/arm/v5"), "");
  EXPECT_EQ(flags("linux/amd64"), "");
  EXPECT_EQ(flags("linux/amd64/v2"), " -march=x86-64-v2");
  EXPECT_EQ(flags("linux/arm64/v8.4"), " -march=armv8.4-a");
  EXPECT_EQ(flags("linux/arm64/v9.2"), " -march=armv9.2-a");
  EXPECT_EQ(flags("linux/mipsle", true), " -msoft-float");
  EXPECT_EQ(flags("linux/ppc64le/power9"), " -mcpu=power9");
  EXPECT_EQ(flags("linux/riscv64"), "");
}

TEST(BuildAdviceParts, DebianPackageNames) {
  EXPECT_EQ(targets::debian_gcc_package("arm-linux-gnueabihf"), "gcc-arm-linux-gnueabihf");
  // Debian 12 packages no cross compiler for these: a fix must not propose one.
  EXPECT_EQ(targets::debian_gcc_package("ia64-linux-gnu"), std::nullopt);
  EXPECT_EQ(targets::debian_gcc_package("riscv32-linux-gnu"), std::nullopt);
  EXPECT_EQ(targets::debian_gcc_package("aarch64-linux-android"), std::nullopt);
  EXPECT_EQ(targets::debian_gcc_package("x86_64-linux-gnu"), "gcc-x86-64-linux-gnu");
  EXPECT_EQ(targets::debian_gcc_package("mips64el-linux-gnuabi64"), "gcc-mips64el-linux-gnuabi64");
}

}  // namespace
}  // namespace enoexec
