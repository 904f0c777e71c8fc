// Mach-O spec constants (spec spelling) and the name tables built from them. Values from
// <mach-o/loader.h>, <mach-o/fat.h>, xnu osfmk/mach/machine.h and osfmk/kern/cs_blobs.h, as
// mirrored in LLVM's BinaryFormat/MachO.h (see /work/shared/reference/macho-pe.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/platform.hpp"

namespace enoexec::macho {

// Magic numbers as read big-endian from the first four bytes.
inline constexpr std::uint32_t MH_MAGIC = 0xfeedfaceu;
inline constexpr std::uint32_t MH_CIGAM = 0xcefaedfeu;
inline constexpr std::uint32_t MH_MAGIC_64 = 0xfeedfacfu;
inline constexpr std::uint32_t MH_CIGAM_64 = 0xcffaedfeu;
inline constexpr std::uint32_t FAT_MAGIC = 0xcafebabeu;
inline constexpr std::uint32_t FAT_MAGIC_64 = 0xcafebabfu;

inline constexpr std::uint64_t kMachHeaderSize = 28;
inline constexpr std::uint64_t kMachHeader64Size = 32;
inline constexpr std::uint64_t kFatHeaderSize = 8;
inline constexpr std::uint64_t kFatArchSize = 20;
inline constexpr std::uint64_t kFatArch64Size = 32;

// A universal binary with more slices than this is refused: real ones hold a handful
// (lipo knows about 20 architectures), and every slice is parsed in full.
inline constexpr std::uint32_t kMaxUniversalSlices = 64;
// A CAFEBABE file whose next word is at least this is a Java class file (major version >= 45).
inline constexpr std::uint32_t kJavaMinMajorVersion = 45;

// filetype
inline constexpr std::uint32_t MH_OBJECT = 0x1, MH_EXECUTE = 0x2, MH_FVMLIB = 0x3, MH_CORE = 0x4,
                               MH_PRELOAD = 0x5, MH_DYLIB = 0x6, MH_DYLINKER = 0x7,
                               MH_BUNDLE = 0x8, MH_DYLIB_STUB = 0x9, MH_DSYM = 0xa,
                               MH_KEXT_BUNDLE = 0xb, MH_FILESET = 0xc;
// flags
inline constexpr std::uint32_t MH_PIE = 0x00200000;

// cputype
inline constexpr std::uint32_t CPU_ARCH_MASK = 0xff000000u;
inline constexpr std::uint32_t CPU_ARCH_ABI64 = 0x01000000u;
inline constexpr std::uint32_t CPU_ARCH_ABI64_32 = 0x02000000u;
inline constexpr std::uint32_t CPU_TYPE_VAX = 1, CPU_TYPE_MC680x0 = 6, CPU_TYPE_X86 = 7,
                               CPU_TYPE_MC98000 = 10, CPU_TYPE_HPPA = 11, CPU_TYPE_ARM = 12,
                               CPU_TYPE_MC88000 = 13, CPU_TYPE_SPARC = 14, CPU_TYPE_I860 = 15,
                               CPU_TYPE_POWERPC = 18;
inline constexpr std::uint32_t CPU_TYPE_X86_64 = CPU_TYPE_X86 | CPU_ARCH_ABI64;
inline constexpr std::uint32_t CPU_TYPE_ARM64 = CPU_TYPE_ARM | CPU_ARCH_ABI64;
inline constexpr std::uint32_t CPU_TYPE_ARM64_32 = CPU_TYPE_ARM | CPU_ARCH_ABI64_32;
inline constexpr std::uint32_t CPU_TYPE_POWERPC64 = CPU_TYPE_POWERPC | CPU_ARCH_ABI64;

// cpusubtype: the low 24 bits name the subtype, the high byte holds capability bits.
inline constexpr std::uint32_t CPU_SUBTYPE_MASK = 0xff000000u;
inline constexpr std::uint32_t CPU_SUBTYPE_LIB64 = 0x80000000u;
inline constexpr std::uint32_t CPU_SUBTYPE_PTRAUTH_ABI = 0x80000000u;  // arm64e
inline constexpr std::uint32_t CPU_SUBTYPE_ARM64_PTR_AUTH_MASK = 0x0f000000u;
inline constexpr std::uint32_t CPU_SUBTYPE_X86_64_H = 8;
inline constexpr std::uint32_t CPU_SUBTYPE_ARM64E = 2;

// Load commands: LC_SEGMENT, LC_MAIN, ...
enum LoadCommand : std::uint32_t {
#define MACHO_LOAD_COMMAND(name, value) name = value,
#include "formats/macho/load_commands.def"
#undef MACHO_LOAD_COMMAND
};

// LC_BUILD_VERSION platforms
inline constexpr std::uint32_t PLATFORM_MACOS = 1, PLATFORM_IOS = 2, PLATFORM_TVOS = 3,
                               PLATFORM_WATCHOS = 4, PLATFORM_MACCATALYST = 6,
                               PLATFORM_IOSSIMULATOR = 7, PLATFORM_TVOSSIMULATOR = 8,
                               PLATFORM_WATCHOSSIMULATOR = 9, PLATFORM_VISIONOS = 11;

// Thread-state flavors (LC_UNIXTHREAD)
inline constexpr std::uint32_t x86_THREAD_STATE32 = 1, x86_THREAD_STATE64 = 4,
                               x86_THREAD_STATE = 7, ARM_THREAD_STATE = 1,
                               ARM_THREAD_STATE64 = 6, PPC_THREAD_STATE = 1,
                               PPC_THREAD_STATE64 = 5;

// Code signing (all big-endian on disk)
inline constexpr std::uint32_t CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0u;
inline constexpr std::uint32_t CSMAGIC_CODEDIRECTORY = 0xfade0c02u;
inline constexpr std::uint32_t CSMAGIC_BLOBWRAPPER = 0xfade0b01u;
inline constexpr std::uint32_t CSSLOT_CODEDIRECTORY = 0, CSSLOT_ENTITLEMENTS = 5,
                               CSSLOT_DER_ENTITLEMENTS = 7,
                               CSSLOT_ALTERNATE_CODEDIRECTORIES = 0x1000,
                               CSSLOT_ALTERNATE_CODEDIRECTORY_MAX = 5,
                               CSSLOT_SIGNATURESLOT = 0x10000;
inline constexpr std::uint32_t CSMAGIC_REQUIREMENTS = 0xfade0c01u,
                               CSMAGIC_EMBEDDED_ENTITLEMENTS = 0xfade7171u,
                               CSMAGIC_EMBEDDED_DER_ENTITLEMENTS = 0xfade7172u,
                               CSMAGIC_EMBEDDED_LAUNCH_CONSTRAINT = 0xfade8181u;
inline constexpr std::uint32_t CSSLOT_INFOSLOT = 1, CSSLOT_REQUIREMENTS = 2,
                               CSSLOT_RESOURCEDIR = 3, CSSLOT_APPLICATION = 4,
                               CSSLOT_REP_SPECIFIC = 6, CSSLOT_LAUNCH_CONSTRAINT_SELF = 8,
                               CSSLOT_LAUNCH_CONSTRAINT_PARENT = 9,
                               CSSLOT_LAUNCH_CONSTRAINT_RESPONSIBLE = 10,
                               CSSLOT_LIBRARY_CONSTRAINT = 11;
inline constexpr std::uint32_t CS_ADHOC = 0x2, CS_HARD = 0x100, CS_KILL = 0x200,
                               CS_RUNTIME = 0x10000, CS_LINKER_SIGNED = 0x20000;
inline constexpr std::uint32_t CS_SUPPORTSSCATTER = 0x20100, CS_SUPPORTSTEAMID = 0x20200,
                               CS_SUPPORTSCODELIMIT64 = 0x20300, CS_SUPPORTSRUNTIME = 0x20500;
inline constexpr std::uint8_t CS_HASHTYPE_SHA1 = 1, CS_HASHTYPE_SHA256 = 2,
                              CS_HASHTYPE_SHA256_TRUNCATED = 3, CS_HASHTYPE_SHA384 = 4;
// The page sizes xnu accepts in a CodeDirectory (log2): 4 KiB, and arm64's 16 KiB PAGE_SHIFT
// (bsd/kern/ubc_subr.c cs_validate_codedirectory).
inline constexpr std::uint8_t PAGE_SHIFT_4K = 12, PAGE_SHIFT_16K = 14;

// ---- Names (macho_names.cpp) ----

// "0x1234abcd": how a value without a name prints.
std::string hex(std::uint64_t value);
// An X.Y.Z version packed as xxxx.yy.zz (minos, sdk, runtime): "11.0", or "10.13.2" when Z != 0.
std::string os_version(std::uint32_t packed);

std::string load_command_name(std::uint32_t cmd);  // "LC_MAIN", or hex
std::string cputype_name(std::uint32_t cputype);   // "CPU_TYPE_ARM64", or hex
std::string filetype_name(std::uint32_t filetype); // "MH_EXECUTE", or hex
std::vector<std::string> header_flag_names(std::uint32_t flags);  // "MH_PIE", unknown bits as hex
std::vector<std::string> cs_flag_names(std::uint32_t flags);      // "CS_ADHOC", ...
std::string hash_type_name(std::uint8_t hash_type);               // "sha256"
// Strength order of CodeDirectory hash types (higher is stronger; 0 for unknown).
int hash_type_rank(std::uint8_t hash_type);

// The report's type and kind for a filetype: {"pie-executable", ""}, {"shared-library",
// "shared-library"}, ... Executables have no kind (they are programs).
struct FiletypeWords {
  std::string_view type;
  std::string_view kind;
};
FiletypeWords filetype_words(std::uint32_t filetype, std::uint32_t flags);

struct PlatformInfo {
  std::string_view name;       // "macos", "ios-simulator", ...; "" when unknown
  std::string_view spec_name;  // "PLATFORM_MACOS"
  Os os = Os::unknown;         // where it runs, in Go's GOOS vocabulary
};
PlatformInfo platform_info(std::uint32_t platform);
// The PLATFORM_* an LC_VERSION_MIN_* command implies (0 for other commands).
std::uint32_t platform_of_version_min(std::uint32_t cmd, std::uint32_t cputype);

struct CpuInfo {
  Arch arch = Arch::unknown;
  std::string variant;       // "v3" (x86_64h), "v7", "v6"
  std::string subtype_name;  // "CPU_SUBTYPE_X86_64_H", or hex
  std::string arch_name;     // "x86_64h", "arm64e", "armv7k"; "" when unknown
};
CpuInfo cpu_info(std::uint32_t cputype, std::uint32_t cpusubtype);

}  // namespace enoexec::macho
