// Target machines: a platform named in any vocabulary, or a named profile from a built-in table
// (Raspberry Pi models, Apple silicon Macs, AWS Graviton, distributions, OpenWrt, Windows, ...)
// whose every fact carries its source. A profile describes a machine the way a host probe would
// (host_of() turns one into a HostInfo), so a verdict can be computed without the machine.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/error.hpp"
#include "enoexec/host.hpp"
#include "enoexec/platform.hpp"

namespace enoexec {

// The facts a profile states; each known one has a FactSource.
enum class ProfileFact {
  system, os_version, platform, libc, libc_version, cpu, cpu_level, cpu_features, float_abi, page_size,
  compat32, kernel, kernel_machine, loader, emulation,
};
std::string_view to_string(ProfileFact fact);  // "libc version", "page size", ...

// Where one fact comes from: a citation ("raspberrypi.com documentation: Processors") or a
// repository path ("openwrt/openwrt : toolchain/musl/common.mk"). `inferred` marks a fact derived
// from cited facts rather than stated by the source.
struct FactSource {
  ProfileFact fact = ProfileFact::platform;
  std::string value;  // the fact as the table writes it
  std::string source;
  bool inferred = false;

  friend bool operator==(const FactSource&, const FactSource&) = default;
};

// Programs of another platform that the system runs by translation or emulation.
struct Emulation {
  Platform guest;   // darwin/amd64, windows/386
  std::string via;  // "Rosetta 2", "Prism", "WoW64"

  friend bool operator==(const Emulation&, const Emulation&) = default;
};

// A described machine: hardware plus the system it runs. Empty strings, empty lists, nullopt and
// Support::unknown are facts the table does not know; nothing is filled in by guessing.
struct Profile {
  std::string id;                    // "rpi-zero"
  std::vector<std::string> aliases;  // "rpi-zero-w", "rpi-1"
  std::string name;                  // "Raspberry Pi Zero, Zero W and 1"
  std::string system;                // "Raspberry Pi OS 32-bit (bookworm)"
  std::string os_version;            // macOS / Windows version programs are checked against: "13.0", "6.1"
  Platform platform;                 // what runs natively: os, arch, variant (CPU level), libc
  std::string libc_version;          // "2.36"
  std::string cpu;                   // "Broadcom BCM2835, 1x ARM1176JZF-S"
  std::string cpu_level;             // "ARMv6", "x86-64-v3", "ARMv8.2-A"
  std::vector<std::string> cpu_features;  // as /proc/cpuinfo spells them: "vfp", "atomics", "avx2"
  std::string float_abi;             // arm/mips userland: "hard" or "soft"
  std::optional<std::uint64_t> page_size;
  Support compat32 = Support::unknown;  // 32-bit programs of compat32_arch (AArch32 EL0, ia32, WoW64)
  Arch compat32_arch = Arch::unknown;
  std::string kernel;                // release series: "6.1"
  std::string kernel_machine;        // `uname -m` when the kernel differs from the userland: "aarch64"
  std::vector<std::string> loaders;  // PT_INTERP of native dynamic programs
  std::vector<Emulation> emulation;
  std::vector<std::string> notes;
  std::vector<FactSource> sources;   // one per known fact, in ProfileFact order

  // The source of `fact`, or nullptr when the profile does not know it.
  const FactSource* source_of(ProfileFact fact) const;

  friend bool operator==(const Profile&, const Profile&) = default;
};

// What `--target` names: a profile, or a bare platform carrying only what its text states.
struct Target {
  std::string text;                // as given
  Platform platform;
  std::optional<Profile> profile;  // set when the text named a profile

  friend bool operator==(const Target&, const Target&) = default;
};

// Every built-in profile, in table order.
std::span<const Profile> profiles();

// The profile whose id or alias is `name` (case-insensitive), or nullptr.
const Profile* find_profile(std::string_view name);

// The profiles whose native platform is `platform` (libc unknown matches any libc).
std::vector<const Profile*> profiles_on(const Platform& platform);

// A profile id or alias, else any platform vocabulary parse_platform() reads: "rpi-zero",
// "linux/arm/v6", "armv7l", "aarch64-unknown-linux-musl", "GOOS=linux GOARCH=arm GOARM=6", "armhf".
Result<Target> parse_target(std::string_view text);

// Every name of the target: profile id and aliases first, then all_names() of its platform.
std::vector<std::string> target_names(const Target& target);

// The machine as a host probe would have described it. Facts the profile does not know stay
// unknown; each filled fact's source names the profile ("profile rpi-zero: <citation>").
HostInfo host_of(const Profile& profile);
HostInfo host_of(const Target& target);
// The target described by `target` whose files are those of a root file system (`root_probe`,
// from probe_host(root)): the root's own facts (C library, loaders, binfmt, os-release) win;
// what a tree of files cannot tell (kernel, CPU, page size, 32-bit support) comes from the target.
HostInfo host_of(const Target& target, HostInfo root_probe);

// How to build for a target with one toolchain: commands to copy and paste, then caveats.
struct BuildAdvice {
  std::string toolchain;              // "Go", "Rust", "C/C++", "Docker"
  std::vector<std::string> commands;
  std::vector<std::string> notes;

  friend bool operator==(const BuildAdvice&, const BuildAdvice&) = default;
};

// Go, Rust, C/C++ and Docker, each only where that toolchain can build for the target.
std::vector<BuildAdvice> build_advice(const Target& target);

}  // namespace enoexec
