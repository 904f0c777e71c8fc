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
// "gcc-x86-64-linux-gnu" (Debian package names have no underscore).
std::string debian_gcc_package(std::string_view gnu_triple);

// GCC options that select the target's instruction-set level and float ABI beyond what its
// triple's default toolchain assumes: " -march=armv6 -mfpu=vfp -mfloat-abi=hard"; "" for none.
std::string gcc_level_flags(const Platform& platform, bool soft_float);

}  // namespace enoexec::targets
