// Name tables for Mach-O constants. Values: <mach-o/loader.h>, xnu osfmk/mach/machine.h,
// osfmk/kern/cs_blobs.h (as mirrored in LLVM's BinaryFormat/MachO.h).
#include <array>
#include <utility>

#include <fmt/format.h>

#include "formats/macho/macho_constants.hpp"

namespace enoexec::macho {
namespace {

template <class T>
struct Named {
  T value;
  std::string_view name;
};

template <class T, std::size_t N>
std::string_view find_name(const std::array<Named<T>, N>& table, T value) {
  for (const auto& row : table)
    if (row.value == value) return row.name;
  return {};
}

template <std::size_t N>
std::vector<std::string> bit_names(const std::array<Named<std::uint32_t>, N>& table,
                                   std::uint32_t flags) {
  std::vector<std::string> names;
  for (const auto& row : table) {
    if ((flags & row.value) == 0) continue;
    names.emplace_back(row.name);
    flags &= ~row.value;
  }
  if (flags != 0) names.push_back(hex(flags));
  return names;
}

constexpr std::array<Named<std::uint32_t>, 55> kLoadCommands{{
#define MACHO_LOAD_COMMAND(name, value) {value, #name},
#include "formats/macho/load_commands.def"
#undef MACHO_LOAD_COMMAND
}};

constexpr std::array<Named<std::uint32_t>, 15> kCpuTypes{{
    {CPU_TYPE_VAX, "CPU_TYPE_VAX"},
    {CPU_TYPE_MC680x0, "CPU_TYPE_MC680x0"},
    {CPU_TYPE_X86, "CPU_TYPE_X86"},
    {CPU_TYPE_X86_64, "CPU_TYPE_X86_64"},
    {CPU_TYPE_MC98000, "CPU_TYPE_MC98000"},
    {CPU_TYPE_HPPA, "CPU_TYPE_HPPA"},
    {CPU_TYPE_ARM, "CPU_TYPE_ARM"},
    {CPU_TYPE_ARM64, "CPU_TYPE_ARM64"},
    {CPU_TYPE_ARM64_32, "CPU_TYPE_ARM64_32"},
    {CPU_TYPE_MC88000, "CPU_TYPE_MC88000"},
    {CPU_TYPE_SPARC, "CPU_TYPE_SPARC"},
    {CPU_TYPE_I860, "CPU_TYPE_I860"},
    {CPU_TYPE_POWERPC, "CPU_TYPE_POWERPC"},
    {CPU_TYPE_POWERPC64, "CPU_TYPE_POWERPC64"},
    {0xffffffffu, "CPU_TYPE_ANY"},
}};

constexpr std::array<Named<std::uint32_t>, 12> kFiletypes{{
    {MH_OBJECT, "MH_OBJECT"},
    {MH_EXECUTE, "MH_EXECUTE"},
    {MH_FVMLIB, "MH_FVMLIB"},
    {MH_CORE, "MH_CORE"},
    {MH_PRELOAD, "MH_PRELOAD"},
    {MH_DYLIB, "MH_DYLIB"},
    {MH_DYLINKER, "MH_DYLINKER"},
    {MH_BUNDLE, "MH_BUNDLE"},
    {MH_DYLIB_STUB, "MH_DYLIB_STUB"},
    {MH_DSYM, "MH_DSYM"},
    {MH_KEXT_BUNDLE, "MH_KEXT_BUNDLE"},
    {MH_FILESET, "MH_FILESET"},
}};

constexpr std::array<Named<std::uint32_t>, 29> kHeaderFlags{{
    {0x00000001u, "MH_NOUNDEFS"},
    {0x00000002u, "MH_INCRLINK"},
    {0x00000004u, "MH_DYLDLINK"},
    {0x00000008u, "MH_BINDATLOAD"},
    {0x00000010u, "MH_PREBOUND"},
    {0x00000020u, "MH_SPLIT_SEGS"},
    {0x00000040u, "MH_LAZY_INIT"},
    {0x00000080u, "MH_TWOLEVEL"},
    {0x00000100u, "MH_FORCE_FLAT"},
    {0x00000200u, "MH_NOMULTIDEFS"},
    {0x00000400u, "MH_NOFIXPREBINDING"},
    {0x00000800u, "MH_PREBINDABLE"},
    {0x00001000u, "MH_ALLMODSBOUND"},
    {0x00002000u, "MH_SUBSECTIONS_VIA_SYMBOLS"},
    {0x00004000u, "MH_CANONICAL"},
    {0x00008000u, "MH_WEAK_DEFINES"},
    {0x00010000u, "MH_BINDS_TO_WEAK"},
    {0x00020000u, "MH_ALLOW_STACK_EXECUTION"},
    {0x00040000u, "MH_ROOT_SAFE"},
    {0x00080000u, "MH_SETUID_SAFE"},
    {0x00100000u, "MH_NO_REEXPORTED_DYLIBS"},
    {0x00200000u, "MH_PIE"},
    {0x00400000u, "MH_DEAD_STRIPPABLE_DYLIB"},
    {0x00800000u, "MH_HAS_TLV_DESCRIPTORS"},
    {0x01000000u, "MH_NO_HEAP_EXECUTION"},
    {0x02000000u, "MH_APP_EXTENSION_SAFE"},
    {0x04000000u, "MH_NLIST_OUTOFSYNC_WITH_DYLDINFO"},
    {0x08000000u, "MH_SIM_SUPPORT"},
    {0x80000000u, "MH_DYLIB_IN_CACHE"},
}};

constexpr std::array<Named<std::uint32_t>, 16> kCodeSignFlags{{
    {0x00000001u, "CS_VALID"},
    {0x00000002u, "CS_ADHOC"},
    {0x00000004u, "CS_GET_TASK_ALLOW"},
    {0x00000008u, "CS_INSTALLER"},
    {0x00000010u, "CS_FORCED_LV"},
    {0x00000020u, "CS_INVALID_ALLOWED"},
    {0x00000100u, "CS_HARD"},
    {0x00000200u, "CS_KILL"},
    {0x00000400u, "CS_CHECK_EXPIRATION"},
    {0x00000800u, "CS_RESTRICT"},
    {0x00001000u, "CS_ENFORCEMENT"},
    {0x00002000u, "CS_REQUIRE_LV"},
    {0x00004000u, "CS_ENTITLEMENTS_VALIDATED"},
    {0x00008000u, "CS_NVRAM_UNRESTRICTED"},
    {0x00010000u, "CS_RUNTIME"},
    {0x00020000u, "CS_LINKER_SIGNED"},
}};

struct PlatformRow {
  std::uint32_t value;
  PlatformInfo info;
};

constexpr std::array<PlatformRow, 14> kPlatforms{{
    {1, {"macos", "PLATFORM_MACOS", Os::darwin}},
    {2, {"ios", "PLATFORM_IOS", Os::ios}},
    {3, {"tvos", "PLATFORM_TVOS", Os::tvos}},
    {4, {"watchos", "PLATFORM_WATCHOS", Os::watchos}},
    {5, {"bridgeos", "PLATFORM_BRIDGEOS", Os::unknown}},
    {6, {"maccatalyst", "PLATFORM_MACCATALYST", Os::ios}},
    {7, {"ios-simulator", "PLATFORM_IOSSIMULATOR", Os::ios}},
    {8, {"tvos-simulator", "PLATFORM_TVOSSIMULATOR", Os::tvos}},
    {9, {"watchos-simulator", "PLATFORM_WATCHOSSIMULATOR", Os::watchos}},
    {10, {"driverkit", "PLATFORM_DRIVERKIT", Os::unknown}},
    {11, {"visionos", "PLATFORM_VISIONOS", Os::visionos}},
    {12, {"visionos-simulator", "PLATFORM_VISIONOSSIMULATOR", Os::visionos}},
    {13, {"firmware", "PLATFORM_FIRMWARE", Os::unknown}},
    {14, {"sepos", "PLATFORM_SEPOS", Os::unknown}},
}};

// cpusubtype rows: cputype, subtype (low 24 bits), spec name, lipo name, OCI variant.
struct SubtypeRow {
  std::uint32_t cputype;
  std::uint32_t subtype;
  std::string_view name;
  std::string_view arch_name;
  std::string_view variant;
};

constexpr std::array<SubtypeRow, 48> kSubtypes{{
    {CPU_TYPE_X86, 3, "CPU_SUBTYPE_I386_ALL", "i386", ""},
    {CPU_TYPE_X86, 4, "CPU_SUBTYPE_486", "i486", ""},
    {CPU_TYPE_X86, 0x84, "CPU_SUBTYPE_486SX", "i486SX", ""},
    {CPU_TYPE_X86, 5, "CPU_SUBTYPE_586", "i586", ""},
    {CPU_TYPE_X86, 0x16, "CPU_SUBTYPE_PENTPRO", "i686", ""},
    {CPU_TYPE_X86, 0x36, "CPU_SUBTYPE_PENTII_M3", "pentIIm3", ""},
    {CPU_TYPE_X86, 0x56, "CPU_SUBTYPE_PENTII_M5", "pentIIm5", ""},
    {CPU_TYPE_X86, 0x67, "CPU_SUBTYPE_CELERON", "", ""},
    {CPU_TYPE_X86, 0x77, "CPU_SUBTYPE_CELERON_MOBILE", "", ""},
    {CPU_TYPE_X86, 0x08, "CPU_SUBTYPE_PENTIUM_3", "", ""},
    {CPU_TYPE_X86, 0x18, "CPU_SUBTYPE_PENTIUM_3_M", "", ""},
    {CPU_TYPE_X86, 0x28, "CPU_SUBTYPE_PENTIUM_3_XEON", "", ""},
    {CPU_TYPE_X86, 0x09, "CPU_SUBTYPE_PENTIUM_M", "", ""},
    {CPU_TYPE_X86, 0x0a, "CPU_SUBTYPE_PENTIUM_4", "pentium4", ""},
    {CPU_TYPE_X86, 0x1a, "CPU_SUBTYPE_PENTIUM_4_M", "", ""},
    {CPU_TYPE_X86, 0x0c, "CPU_SUBTYPE_XEON", "", ""},
    {CPU_TYPE_X86, 0x1c, "CPU_SUBTYPE_XEON_MP", "", ""},
    {CPU_TYPE_X86_64, 3, "CPU_SUBTYPE_X86_64_ALL", "x86_64", ""},
    {CPU_TYPE_X86_64, 4, "CPU_SUBTYPE_X86_ARCH1", "x86_64", ""},
    {CPU_TYPE_X86_64, CPU_SUBTYPE_X86_64_H, "CPU_SUBTYPE_X86_64_H", "x86_64h", "v3"},
    {CPU_TYPE_ARM, 0, "CPU_SUBTYPE_ARM_ALL", "arm", ""},
    {CPU_TYPE_ARM, 5, "CPU_SUBTYPE_ARM_V4T", "armv4t", ""},
    {CPU_TYPE_ARM, 6, "CPU_SUBTYPE_ARM_V6", "armv6", "v6"},
    {CPU_TYPE_ARM, 7, "CPU_SUBTYPE_ARM_V5TEJ", "armv5", "v5"},
    {CPU_TYPE_ARM, 8, "CPU_SUBTYPE_ARM_XSCALE", "xscale", "v5"},
    {CPU_TYPE_ARM, 9, "CPU_SUBTYPE_ARM_V7", "armv7", "v7"},
    {CPU_TYPE_ARM, 10, "CPU_SUBTYPE_ARM_V7F", "armv7f", "v7"},
    {CPU_TYPE_ARM, 11, "CPU_SUBTYPE_ARM_V7S", "armv7s", "v7"},
    {CPU_TYPE_ARM, 12, "CPU_SUBTYPE_ARM_V7K", "armv7k", "v7"},
    {CPU_TYPE_ARM, 13, "CPU_SUBTYPE_ARM_V8", "armv8", "v8"},
    {CPU_TYPE_ARM, 14, "CPU_SUBTYPE_ARM_V6M", "armv6m", "v6"},
    {CPU_TYPE_ARM, 15, "CPU_SUBTYPE_ARM_V7M", "armv7m", "v7"},
    {CPU_TYPE_ARM, 16, "CPU_SUBTYPE_ARM_V7EM", "armv7em", "v7"},
    {CPU_TYPE_ARM64, 0, "CPU_SUBTYPE_ARM64_ALL", "arm64", ""},
    {CPU_TYPE_ARM64, 1, "CPU_SUBTYPE_ARM64_V8", "arm64", ""},
    {CPU_TYPE_ARM64, CPU_SUBTYPE_ARM64E, "CPU_SUBTYPE_ARM64E", "arm64e", ""},
    {CPU_TYPE_ARM64_32, 0, "CPU_SUBTYPE_ARM64_32_ALL", "arm64_32", ""},
    {CPU_TYPE_ARM64_32, 1, "CPU_SUBTYPE_ARM64_32_V8", "arm64_32", ""},
    {CPU_TYPE_POWERPC, 0, "CPU_SUBTYPE_POWERPC_ALL", "ppc", ""},
    {CPU_TYPE_POWERPC, 1, "CPU_SUBTYPE_POWERPC_601", "ppc601", ""},
    {CPU_TYPE_POWERPC, 3, "CPU_SUBTYPE_POWERPC_603", "ppc603", ""},
    {CPU_TYPE_POWERPC, 6, "CPU_SUBTYPE_POWERPC_604", "ppc604", ""},
    {CPU_TYPE_POWERPC, 9, "CPU_SUBTYPE_POWERPC_750", "ppc750", ""},
    {CPU_TYPE_POWERPC, 10, "CPU_SUBTYPE_POWERPC_7400", "ppc7400", ""},
    {CPU_TYPE_POWERPC, 11, "CPU_SUBTYPE_POWERPC_7450", "ppc7450", ""},
    {CPU_TYPE_POWERPC, 100, "CPU_SUBTYPE_POWERPC_970", "ppc970", ""},
    {CPU_TYPE_POWERPC64, 0, "CPU_SUBTYPE_POWERPC_ALL", "ppc64", ""},
    {CPU_TYPE_POWERPC64, 100, "CPU_SUBTYPE_POWERPC_970", "ppc970-64", ""},
}};

Arch arch_of_cputype(std::uint32_t cputype) {
  switch (cputype) {
    case CPU_TYPE_X86: return Arch::i386;
    case CPU_TYPE_X86_64: return Arch::amd64;
    case CPU_TYPE_ARM: return Arch::arm;
    case CPU_TYPE_ARM64: return Arch::arm64;
    case CPU_TYPE_ARM64_32: return Arch::arm64_32;
    case CPU_TYPE_POWERPC: return Arch::ppc;
    case CPU_TYPE_POWERPC64: return Arch::ppc64;
    case CPU_TYPE_MC680x0: return Arch::m68k;
    case CPU_TYPE_HPPA: return Arch::hppa;
    case CPU_TYPE_SPARC: return Arch::sparc;
    default: return Arch::unknown;
  }
}

}  // namespace

std::string hex(std::uint64_t value) { return fmt::format("{:#x}", value); }

std::string os_version(std::uint32_t packed) {
  const auto major = packed >> 16, minor = (packed >> 8) & 0xff, patch = packed & 0xff;
  if (patch == 0) return fmt::format("{}.{}", major, minor);
  return fmt::format("{}.{}.{}", major, minor, patch);
}

std::string load_command_name(std::uint32_t cmd) {
  const auto name = find_name(kLoadCommands, cmd);
  return name.empty() ? hex(cmd) : std::string(name);
}

std::string cputype_name(std::uint32_t cputype) {
  const auto name = find_name(kCpuTypes, cputype);
  return name.empty() ? hex(cputype) : std::string(name);
}

std::string filetype_name(std::uint32_t filetype) {
  const auto name = find_name(kFiletypes, filetype);
  return name.empty() ? hex(filetype) : std::string(name);
}

std::vector<std::string> header_flag_names(std::uint32_t flags) {
  return bit_names(kHeaderFlags, flags);
}

std::vector<std::string> cs_flag_names(std::uint32_t flags) {
  return bit_names(kCodeSignFlags, flags);
}

std::string hash_type_name(std::uint8_t hash_type) {
  switch (hash_type) {
    case 1: return "sha1";
    case 2: return "sha256";
    case 3: return "sha256-truncated";
    case 4: return "sha384";
    default: return hex(hash_type);
  }
}

int hash_type_rank(std::uint8_t hash_type) {
  switch (hash_type) {
    case 1: return 1;  // SHA-1
    case 3: return 2;  // SHA-256 truncated to 20 bytes
    case 2: return 3;  // SHA-256
    case 4: return 4;  // SHA-384
    default: return 0;
  }
}

FiletypeWords filetype_words(std::uint32_t filetype, std::uint32_t flags) {
  switch (filetype) {
    case MH_EXECUTE:
      return {(flags & MH_PIE) != 0 ? "pie-executable" : "executable", ""};
    case MH_OBJECT: return {"relocatable", "relocatable-object"};
    case MH_DYLIB: return {"shared-library", "shared-library"};
    case MH_BUNDLE: return {"bundle", "bundle"};
    case MH_DYLINKER: return {"dynamic-linker", "dynamic-linker"};
    case MH_CORE: return {"core", "core"};
    case MH_KEXT_BUNDLE: return {"kext", "kext"};
    case MH_FVMLIB: return {"fixed-vm-library", "fixed-vm-library"};
    case MH_PRELOAD: return {"preload-executable", ""};
    case MH_DYLIB_STUB: return {"shared-library-stub", "shared-library-stub"};
    case MH_DSYM: return {"debug-symbols", "debug-symbols"};
    case MH_FILESET: return {"fileset", "fileset"};
    default: return {"", ""};
  }
}

PlatformInfo platform_info(std::uint32_t platform) {
  for (const auto& row : kPlatforms)
    if (row.value == platform) return row.info;
  return {};
}

std::uint32_t platform_of_version_min(std::uint32_t cmd, std::uint32_t cputype) {
  // Before LC_BUILD_VERSION the simulator reused LC_VERSION_MIN_IPHONEOS; only x86 code could
  // run in it, so an x86 slice with that command is a simulator build.
  const bool x86 = (cputype & ~CPU_ARCH_MASK) == CPU_TYPE_X86;
  switch (cmd) {
    case LC_VERSION_MIN_MACOSX: return PLATFORM_MACOS;
    case LC_VERSION_MIN_IPHONEOS: return x86 ? PLATFORM_IOSSIMULATOR : PLATFORM_IOS;
    case LC_VERSION_MIN_TVOS: return x86 ? PLATFORM_TVOSSIMULATOR : PLATFORM_TVOS;
    case LC_VERSION_MIN_WATCHOS: return x86 ? PLATFORM_WATCHOSSIMULATOR : PLATFORM_WATCHOS;
    default: return 0;
  }
}

CpuInfo cpu_info(std::uint32_t cputype, std::uint32_t cpusubtype) {
  CpuInfo info;
  info.arch = arch_of_cputype(cputype);
  const std::uint32_t subtype = cpusubtype & ~CPU_SUBTYPE_MASK;
  for (const auto& row : kSubtypes) {
    if (row.cputype != cputype || row.subtype != subtype) continue;
    info.subtype_name = row.name;
    info.arch_name = row.arch_name;
    info.variant = row.variant;
    return info;
  }
  info.subtype_name = hex(subtype);
  return info;
}

}  // namespace enoexec::macho
