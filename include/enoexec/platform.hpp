// The platform model: what a file needs, or what a machine is, in every vocabulary users build with.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace enoexec {

enum class Endian { little, big };

// Operating systems. Enumerators print as Go's GOOS where Go has one. GNU modes (gcc's default
// -std=gnu++NN) predefine the macro `linux`; it is set aside here so that the header compiles in
// a user's project whatever its mode. Naming Os::linux there needs -std=c++NN or #undef linux.
#pragma push_macro("linux")
#undef linux
enum class Os {
  unknown, linux, android, freebsd, netbsd, openbsd, dragonfly, solaris, illumos, aix, hurd,
  darwin, ios, tvos, watchos, visionos, windows, uefi, plan9, js, wasip1,
};
#pragma pop_macro("linux")

// CPU architectures. Go's GOARCH names where Go has one (i386 prints "386"), Debian/kernel
// names for the rest.
enum class Arch {
  unknown,
  i386, amd64, x32, arm, armbe, arm64, arm64be, arm64_32, loong64,
  mips, mipsle, mips64, mips64le, ppc, ppcle, ppc64, ppc64le, riscv32, riscv64, s390, s390x,
  sparc, sparc64, wasm, alpha, hppa, ia64, m68k, sh, sheb, arc, csky, microblaze, nios2, or1k,
  xtensa, hexagon, ebc,
};

enum class Libc { unknown, none, glibc, musl, bionic, uclibc, newlib, libsystem, msvcrt, ucrt };

struct Platform {
  Os os = Os::unknown;
  Arch arch = Arch::unknown;
  std::string variant;  // OCI variant: "v6" for arm, "v3" for amd64, "" when none applies
  Libc libc = Libc::unknown;
  int bits = 0;         // 32 or 64; 0 when unknown
  Endian endian = Endian::little;

  friend bool operator==(const Platform&, const Platform&) = default;
};

// One platform in every vocabulary (empty string or empty optional: that vocabulary has no name).
struct PlatformNames {
  std::string oci;                // linux/arm/v6
  std::string goos, goarch;       // linux, arm
  std::string go_variant_var;     // GOARM
  std::string go_variant_value;   // 6
  std::string uname_s, uname_m;   // Linux, armv6l
  std::string debian;             // armhf
  std::string gnu_triple;         // arm-linux-gnueabihf
  std::string rust_triple;        // arm-unknown-linux-gnueabihf
};

std::string_view to_string(Os os);        // "linux"
std::string_view display_name(Os os);     // "Linux", "FreeBSD", "macOS": the name in prose
std::string_view to_string(Arch arch);    // "386", "amd64", "arm64"
std::string_view to_string(Libc libc);    // "glibc"
std::string_view to_string(Endian endian);

// OCI style with Go names: "linux/arm/v6", "freebsd/amd64", "linux/amd64/v3".
std::string to_oci(const Platform& platform);
PlatformNames names_of(const Platform& platform);

// Parses a platform in any vocabulary: OCI ("linux/arm/v7"), `uname -m` ("armv7l"),
// Debian ("armhf"), GNU/LLVM or Rust triples, Go ("GOOS=linux GOARCH=arm GOARM=6").
std::optional<Platform> parse_platform(std::string_view text);

// The system a kernel name stands for: `uname -s` ("Linux", "FreeBSD", "Darwin"; "SunOS" is
// solaris, the first of the two systems that print it) or WINDOWS_SYSNAME; nullopt when unknown.
inline constexpr std::string_view WINDOWS_SYSNAME = "Windows_NT";
std::optional<Os> os_from_uname(std::string_view sysname);

// Whether programs for `os` run on a Linux kernel (linux, android): the systems whose execve
// the Linux model decides.
bool linux_kernel(Os os);

// The natural bits and byte order of an architecture.
int bits_of(Arch arch);
Endian endian_of(Arch arch);

// A platform with bits and endian filled from the architecture.
Platform make_platform(Os os, Arch arch, std::string variant = {}, Libc libc = Libc::unknown);

// The OCI variant selected by a Go sub-architecture value of `arch` (GOARM "6,softfloat" -> "v6",
// GOAMD64 "v3" -> "v3", GOARM64 "v8.0" -> "", GO386 "sse2" -> ""); "" for the baseline level or
// an arch without OCI variants; nullopt when Go would reject the value.
std::optional<std::string> variant_from_go(Arch arch, std::string_view value);

// Whether os/arch is a Go port (`go tool dist list`, broken ports excluded).
bool go_supports(Os os, Arch arch);

// Every non-empty name of a platform, one per vocabulary, in PlatformNames order: OCI, Go
// ("GOOS=linux GOARCH=arm GOARM=6"), uname ("Linux armv6l"), Debian, GNU triple, Rust triple.
std::vector<std::string> all_names(const Platform& platform);

}  // namespace enoexec
