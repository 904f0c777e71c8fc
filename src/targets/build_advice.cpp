// build_advice(): the commands that build a program for a target, in each toolchain's own
// vocabulary, exact enough to paste. Names come from names_of(); the level and float ABI come
// from the platform and, for a profile, from its facts.
#include "targets/build_advice.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "targets/text.hpp"

namespace enoexec {
namespace targets {
namespace {

bool soft_float(const Target& target) { return target.profile && target.profile->float_abi == "soft"; }

bool is_musl(const Target& target) { return target.platform.libc == Libc::musl; }
bool is_glibc_like(const Target& target) {
  return target.platform.libc == Libc::glibc || target.platform.libc == Libc::unknown;
}

// A profile's C library version, for notes: "2.36", or "" for a bare platform.
std::string libc_version(const Target& target) { return target.profile ? target.profile->libc_version : std::string(); }

void replace_suffix(std::string& text, std::string_view from, std::string_view to) {
  if (text.ends_with(from)) text.replace(text.size() - from.size(), from.size(), to);
}

// names_of() spells 32-bit ARM Linux hard-float; a soft-float profile needs the EABI spelling.
PlatformNames names_for(const Target& target) {
  PlatformNames names = names_of(target.platform);
  if (!soft_float(target)) return names;
  const Arch arch = target.platform.arch;
  if (arch == Arch::arm) {
    replace_suffix(names.gnu_triple, "eabihf", "eabi");
    replace_suffix(names.rust_triple, "eabihf", "eabi");
  }
  // musl-cross-make spells soft-float MIPS toolchains -muslsf; Rust's MIPS musl targets are
  // soft-float already.
  const bool mips = arch == Arch::mips || arch == Arch::mipsle || arch == Arch::mips64 || arch == Arch::mips64le;
  if (mips && target.platform.libc == Libc::musl) replace_suffix(names.gnu_triple, "-musl", "-muslsf");
  return names;
}

// GOARM is always given (its default was 5 before Go 1.21 when cross-compiling, 7 since);
// other sub-architecture variables only for a level above the baseline or a soft-float ABI.
std::string go_sub_arch(const Target& target, const PlatformNames& names) {
  const Arch arch = target.platform.arch;
  const bool soft = soft_float(target);
  if (arch == Arch::arm) return soft ? "GOARM=5" : fmt::format("GOARM={}", names.go_variant_value);
  if (arch == Arch::mips || arch == Arch::mipsle) return soft ? "GOMIPS=softfloat" : "";
  if (arch == Arch::mips64 || arch == Arch::mips64le) return soft ? "GOMIPS64=softfloat" : "";
  if (target.platform.variant.empty() || names.go_variant_var.empty()) return {};
  return fmt::format("{}={}", names.go_variant_var, names.go_variant_value);
}

std::string rust_env_name(std::string_view triple) {
  std::string name = upper(triple);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

constexpr std::string_view NDK_BIN = "$ANDROID_NDK_HOME/toolchains/llvm/prebuilt/linux-x86_64/bin/";

const char* ARMV6_START_FILES =
    "Debian's armhf start files and libraries are ARMv7 (Thumb-2) and crash an ARMv6 CPU: link against "
    "a Raspberry Pi OS sysroot, or build on the Pi";

std::vector<std::string> rust_notes(const Target& target, const PlatformNames& names) {
  const Os os = target.platform.os;
  const std::string& triple = names.rust_triple;
  std::vector<std::string> notes;
  if (os == Os::linux && is_musl(target)) {
    notes.emplace_back("musl targets link statically by default (crt-static): no C library needed on the target");
  } else if (os == Os::linux && !names.gnu_triple.empty()) {
    const auto package = debian_gcc_package(names.gnu_triple);
    notes.push_back(fmt::format("cross linker: CARGO_TARGET_{}_LINKER={}-gcc ({})", rust_env_name(triple),
                                names.gnu_triple,
                                package ? "Debian package " + *package : std::string("Debian 12 packages none")));
    if (target.platform.arch == Arch::arm && target.platform.variant == "v6") notes.emplace_back(ARMV6_START_FILES);
  }
  if (os == Os::windows && triple.ends_with("-msvc")) {
    notes.emplace_back("-msvc targets link with Microsoft's linker: build on Windows");
    if (target.platform.arch == Arch::amd64) {
      notes.emplace_back("from Linux: rustup target add x86_64-pc-windows-gnu, with the Debian package gcc-mingw-w64-x86-64");
    }
  }
  if (os == Os::darwin) notes.emplace_back("links with Apple's linker and SDK: build on a Mac");
  if (os == Os::android) {
    notes.push_back(fmt::format("linker: CARGO_TARGET_{}_LINKER={}", rust_env_name(triple),
                                ndk_clang(names.gnu_triple, false)));
  }
  return notes;
}

std::optional<BuildAdvice> linux_musl_c(const Target& target, const PlatformNames& names) {
  const std::string flags = gcc_level_flags(target.platform, soft_float(target));
  const std::string cross = fmt::format("{}-gcc{} -static -o prog prog.c", names.gnu_triple, flags);
  const std::string cross_note =
      fmt::format("{}-gcc is a musl cross toolchain (musl-cross-make); Debian packages none", names.gnu_triple);
  BuildAdvice advice{"C/C++", {}, {}};
  if (target.platform.arch == Arch::amd64 && flags.empty()) {
    // Debian's musl-gcc wraps the host's own gcc, so it only builds for the host's architecture.
    advice.commands = {"sudo apt-get install musl-tools", "musl-gcc -static -o prog prog.c"};
    advice.notes = {"musl-gcc (Debian package musl-tools) builds for its host: run it on an amd64 Debian host",
                    fmt::format("from another host: {}", cross), cross_note};
    return advice;
  }
  advice.commands = {cross};
  advice.notes = {cross_note};
  if (soft_float(target)) advice.notes.emplace_back("the toolchain must be soft-float, e.g. the target's OpenWrt SDK");
  return advice;
}

std::optional<BuildAdvice> linux_glibc_c(const Target& target, const PlatformNames& names) {
  const std::string& gnu = names.gnu_triple;
  const std::optional<std::string> package = debian_gcc_package(gnu);
  BuildAdvice advice{"C/C++", {}, {}};
  const std::string compile = fmt::format("{}-gcc{} -o prog prog.c", gnu, gcc_level_flags(target.platform, soft_float(target)));
  if (package) {
    advice.commands = {fmt::format("sudo apt-get install {}", *package), compile};
    advice.notes.push_back(fmt::format("C++: package g++-{}, compiler {}-g++", package->substr(4), gnu));
  } else {
    advice.commands = {compile};
    advice.notes.push_back(fmt::format("{}-gcc is a cross toolchain Debian 12 does not package: crosstool-NG or "
                                       "Buildroot builds one, or build on the target",
                                       gnu));
  }
  if (target.platform.arch == Arch::amd64) {
    advice.notes.emplace_back("on an amd64 Debian host the native gcc already builds for x86_64-linux-gnu");
  }
  if (target.platform.arch == Arch::arm && target.platform.variant == "v6") advice.notes.emplace_back(ARMV6_START_FILES);
  if (const auto version = libc_version(target); !version.empty()) {
    advice.notes.push_back(fmt::format(
        "link against glibc {} or older (build on that system or in a container of it): a newer glibc adds "
        "GLIBC_2.x symbol versions the target lacks",
        version));
  }
  return advice;
}

std::optional<BuildAdvice> windows_c(const Target& target, const PlatformNames& names) {
  const Arch arch = target.platform.arch;
  if (arch == Arch::amd64 || arch == Arch::i386) {
    const char* package = arch == Arch::amd64 ? "gcc-mingw-w64-x86-64" : "gcc-mingw-w64-i686";
    return BuildAdvice{"C/C++",
                       {fmt::format("sudo apt-get install {}", package),
                        fmt::format("{}-gcc -o prog.exe prog.c", names.gnu_triple)},
                       {"with MSVC on Windows: cl prog.c"}};
  }
  if (arch == Arch::arm64) {
    return BuildAdvice{"C/C++",
                       {"aarch64-w64-mingw32-clang -o prog.exe prog.c"},
                       {"aarch64-w64-mingw32-clang comes with the llvm-mingw toolchain; Debian packages no Windows "
                        "Arm64 compiler. With MSVC: the ARM64 build tools of Visual Studio"}};
  }
  return std::nullopt;
}

std::optional<BuildAdvice> darwin_c(const Target& target) {
  const Arch arch = target.platform.arch;
  if (arch != Arch::arm64 && arch != Arch::amd64) return std::nullopt;
  BuildAdvice advice{"C/C++",
                     {fmt::format("clang -arch {} -o prog prog.c", arch == Arch::arm64 ? "arm64" : "x86_64")},
                     {"on macOS with the Xcode command line tools (xcode-select --install); Debian has no macOS "
                      "cross compiler"}};
  if (arch == Arch::arm64) {
    advice.notes.emplace_back("arm64 programs must be signed: the linker signs ad hoc; after changing a program, "
                              "sign it again: codesign -s - -f prog");
  }
  return advice;
}

std::optional<BuildAdvice> android_c(const PlatformNames& names) {
  if (names.gnu_triple.empty()) return std::nullopt;
  return BuildAdvice{
      "C/C++",
      {fmt::format("{} -o prog prog.c", ndk_clang(names.gnu_triple, false))},
      {"21 is the Android API level: use the oldest Android version the program supports (Android NDK)"}};
}

}  // namespace

// The GNU triples of Debian 12's cross compilers: the gcc-TRIPLE packages of bookworm
// (`apt-cache policy gcc-TRIPLE`, December 2026; the cross-toolchain-base and -ports sources).
constexpr std::array<std::string_view, 21> DEBIAN_CROSS_TRIPLES{
    "aarch64-linux-gnu",       "alpha-linux-gnu",       "arc-linux-gnu",        "arm-linux-gnueabi",
    "arm-linux-gnueabihf",     "hppa-linux-gnu",        "i686-linux-gnu",       "m68k-linux-gnu",
    "mips-linux-gnu",          "mips64-linux-gnuabi64", "mips64el-linux-gnuabi64", "mipsel-linux-gnu",
    "powerpc-linux-gnu",       "powerpc64-linux-gnu",   "powerpc64le-linux-gnu", "riscv64-linux-gnu",
    "s390x-linux-gnu",         "sh4-linux-gnu",         "sparc64-linux-gnu",    "x86_64-linux-gnu",
    "x86_64-linux-gnux32"};

std::optional<std::string> debian_gcc_package(std::string_view gnu_triple) {
  if (std::find(DEBIAN_CROSS_TRIPLES.begin(), DEBIAN_CROSS_TRIPLES.end(), gnu_triple) == DEBIAN_CROSS_TRIPLES.end())
    return std::nullopt;
  std::string package = fmt::format("gcc-{}", gnu_triple);
  std::replace(package.begin(), package.end(), '_', '-');
  return package;
}

std::string ndk_clang(std::string_view gnu_triple, bool cxx) {
  return fmt::format("{}{}21-clang{}", NDK_BIN, gnu_triple, cxx ? "++" : "");
}

bool debian_release_arch(Arch arch) {
  // https://www.debian.org/releases/bookworm/ (release architectures).
  switch (arch) {
    case Arch::amd64: case Arch::arm64: case Arch::arm: case Arch::i386: case Arch::mips64le:
    case Arch::mipsle: case Arch::ppc64le: case Arch::s390x:
      return true;
    default:
      return false;
  }
}

bool qemu_user_emulates(Arch arch) {
  // The qemu-ARCH-static programs of qemu-user-static 1:7.2+dfsg-7 (dpkg -c): aarch64(_be),
  // alpha, arm(eb), cris, hexagon, hppa, i386, loongarch64, m68k, microblaze(el), mips(el),
  // mips64(el), mipsn32(el), nios2, or1k, ppc, ppc64(le), riscv32, riscv64, s390x, sh4(eb),
  // sparc, sparc32plus, sparc64, x86_64, xtensa(eb). None for x32, ppcle, s390, ia64, arc, csky.
  switch (arch) {
    case Arch::amd64: case Arch::i386: case Arch::arm: case Arch::armbe: case Arch::arm64:
    case Arch::arm64be: case Arch::alpha: case Arch::hexagon: case Arch::hppa: case Arch::loong64:
    case Arch::m68k: case Arch::microblaze: case Arch::mips: case Arch::mipsle: case Arch::mips64:
    case Arch::mips64le: case Arch::nios2: case Arch::or1k: case Arch::ppc: case Arch::ppc64:
    case Arch::ppc64le: case Arch::riscv32: case Arch::riscv64: case Arch::s390x: case Arch::sh:
    case Arch::sheb: case Arch::sparc: case Arch::sparc64: case Arch::xtensa:
      return true;
    default:
      return false;
  }
}

std::string gcc_level_flags(const Platform& platform, bool soft_float) {
  const std::string_view v = platform.variant;
  switch (platform.arch) {
    case Arch::arm:
      // -marm: Debian's armhf gcc defaults to Thumb-2, which ARMv6 lacks (Thumb-1 has no hard-float ABI).
      if (v == "v6") return soft_float ? " -march=armv6 -marm -mfloat-abi=soft" : " -march=armv6 -marm -mfpu=vfp -mfloat-abi=hard";
      if (soft_float && (v == "v7" || v == "v8")) return " -march=armv7-a -mfloat-abi=soft";
      return {};
    case Arch::amd64:
      return v.empty() ? std::string() : fmt::format(" -march=x86-64-{}", v);
    case Arch::arm64:
      return v.empty() ? std::string() : fmt::format(" -march=arm{}-a", v);
    case Arch::mips: case Arch::mipsle: case Arch::mips64: case Arch::mips64le:
      // With musl the soft-float ABI comes with the toolchain (-muslsf); glibc ones take the flag.
      return soft_float && platform.libc != Libc::musl ? " -msoft-float" : "";
    case Arch::ppc64: case Arch::ppc64le:
      return v.empty() ? std::string() : fmt::format(" -mcpu={}", v);
    default:
      return {};
  }
}

std::optional<BuildAdvice> go_advice(const Target& target) {
  const PlatformNames names = names_for(target);
  if (names.goos.empty()) return std::nullopt;
  std::string env = fmt::format("GOOS={} GOARCH={}", names.goos, names.goarch);
  if (const auto sub = go_sub_arch(target, names); !sub.empty()) env += " " + sub;
  // Go links android programs other than arm64 with the NDK's linker (internal/platform
  // MustLinkExternal), so those need cgo and the NDK's clang.
  if (target.platform.os == Os::android && target.platform.arch != Arch::arm64 && !names.gnu_triple.empty()) {
    return BuildAdvice{"Go",
                       {fmt::format("{} CGO_ENABLED=1 CC={} go build", env, ndk_clang(names.gnu_triple, false))},
                       {"Go links android/" + std::string(names.goarch) + " externally, with the NDK's clang"}};
  }
  BuildAdvice advice{"Go", {fmt::format("{} CGO_ENABLED=0 go build", env)}, {}};
  if (is_musl(target)) {
    advice.notes.emplace_back("CGO_ENABLED=0 builds a static program that needs no C library, so musl is no obstacle");
  } else if (target.platform.os == Os::linux && is_glibc_like(target) && !names.gnu_triple.empty()) {
    advice.notes.push_back(fmt::format("with cgo instead: CGO_ENABLED=1 CC={}-gcc, linked against the target's glibc{}",
                                       names.gnu_triple,
                                       libc_version(target).empty() ? "" : fmt::format(" {} or older", libc_version(target))));
  }
  if (soft_float(target) && target.platform.arch == Arch::arm) {
    advice.notes.emplace_back("GOARM=5 uses software floating point, as OpenWrt's Go packaging does without an FPU");
  }
  return advice;
}

std::optional<BuildAdvice> rust_advice(const Target& target) {
  const PlatformNames names = names_for(target);
  if (names.rust_triple.empty()) return std::nullopt;
  return BuildAdvice{"Rust",
                     {fmt::format("rustup target add {}", names.rust_triple),
                      fmt::format("cargo build --target {}", names.rust_triple)},
                     rust_notes(target, names)};
}

std::optional<BuildAdvice> c_advice(const Target& target) {
  const PlatformNames names = names_for(target);
  switch (target.platform.os) {
    case Os::linux:
      if (names.gnu_triple.empty()) return std::nullopt;
      if (is_musl(target)) return linux_musl_c(target, names);
      return is_glibc_like(target) ? linux_glibc_c(target, names) : std::nullopt;
    case Os::windows: return windows_c(target, names);
    case Os::darwin: return darwin_c(target);
    case Os::android: return android_c(names);
    default: return std::nullopt;
  }
}

std::optional<BuildAdvice> docker_advice(const Target& target) {
  // Docker builds and runs Linux images only, and a foreign platform through qemu-user.
  if (target.platform.os != Os::linux || !qemu_user_emulates(target.platform.arch)) return std::nullopt;
  // No OCI platform spells a soft-float ABI: arm/v5 (armel) images are the soft-float ones.
  const bool soft_arm = soft_float(target) && target.platform.arch == Arch::arm;
  const std::string oci = soft_arm ? "linux/arm/v5" : to_oci(target.platform);
  BuildAdvice advice{"Docker", {fmt::format("docker buildx build --platform {} .", oci)}, {}};
  if (soft_arm) advice.notes.emplace_back("linux/arm/v7 images are hard-float; linux/arm/v5 (armel) ones are soft-float");
  advice.notes.push_back(fmt::format(
      "on a host of another architecture this needs qemu-user in binfmt_misc "
      "(docker run --privileged --rm tonistiigi/binfmt --install all); run with docker run --platform {}",
      oci));
  return advice;
}

}  // namespace targets

std::vector<BuildAdvice> build_advice(const Target& target) {
  std::vector<BuildAdvice> out;
  for (auto advice : {targets::go_advice(target), targets::rust_advice(target), targets::c_advice(target),
                      targets::docker_advice(target)}) {
    if (advice) out.push_back(std::move(*advice));
  }
  return out;
}

}  // namespace enoexec
