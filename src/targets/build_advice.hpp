// How to build for a target, one toolchain at a time. build_advice() (enoexec/targets.hpp)
// collects them; each returns nullopt where its toolchain cannot build for the target.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "enoexec/targets.hpp"

namespace enoexec::targets {

std::optional<BuildAdvice> go_advice(const Target& target);
std::optional<BuildAdvice> rust_advice(const Target& target);
std::optional<BuildAdvice> c_advice(const Target& target);
std::optional<BuildAdvice> docker_advice(const Target& target);

// The Debian cross-compiler package for a GNU triple: "gcc-arm-linux-gnueabihf",
// "gcc-x86-64-linux-gnu" (Debian package names have no underscore); nullopt when Debian 12 has
// none (no gcc-ia64-linux-gnu, gcc-riscv32-linux-gnu, ...). The g++- packages are the same set.
std::optional<std::string> debian_gcc_package(std::string_view gnu_triple);

// The Android NDK's clang for a GNU triple at API level 21:
// "$ANDROID_NDK_HOME/toolchains/llvm/prebuilt/linux-x86_64/bin/aarch64-linux-android21-clang".
std::string ndk_clang(std::string_view gnu_triple, bool cxx);

// Whether Debian 12's qemu-user-static (QEMU 7.2) has a user-mode emulator for `arch`: what
// binfmt_misc and `docker buildx --platform` need to run its programs on another machine.
bool qemu_user_emulates(Arch arch);

// Whether `arch` is a release architecture of Debian 12 (amd64, arm64, armel, armhf, i386,
// mips64el, mipsel, ppc64el, s390x): a machine where `apt-get install qemu-user-static` works.
bool debian_release_arch(Arch arch);

// GCC options that select the target's instruction-set level and float ABI beyond what its
// triple's default toolchain assumes: " -march=armv6 -mfpu=vfp -mfloat-abi=hard"; "" for none.
std::string gcc_level_flags(const Platform& platform, bool soft_float);

}  // namespace enoexec::targets
