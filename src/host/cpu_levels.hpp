// Instruction-set levels and the /proc/cpuinfo feature names each one needs. Spec tables only;
// cpuinfo.cpp applies them.
//
// x86-64: the x86-64 psABI micro-architecture levels (System V AMD64 ABI, "Micro-architecture
// levels"), spelled as Linux prints CPUID bits in the "flags" line (arch/x86/include/asm/
// cpufeatures.h): SSE3 = "pni", LAHF-SAHF = "lahf_lm", CMPXCHG16B = "cx16", LZCNT = "abm".
// Linux does not print OSXSAVE; "xsave" stands for it (the kernel clears the AVX flags when it
// does not enable XSAVE). v1 leaves out OSFXSR (not printed) and SCE ("syscall", which some
// CPUs report only in 64-bit mode): every x86-64 CPU has them.
//
// arm64: the features the Arm architecture makes mandatory at each Armv8.x version, restricted to
// those Linux reports to user space as hwcaps (Documentation/arch/arm64/elf_hwcaps.rst names):
// v8.1 FEAT_LSE "atomics", FEAT_RDM "asimdrdm", FEAT_CRC32 "crc32"; v8.2 FEAT_DPB "dcpop";
// v8.3 FEAT_JSCVT "jscvt", FEAT_FCMA "fcma", FEAT_LRCPC "lrcpc", FEAT_PAuth "paca"; v8.4 FEAT_DIT
// "dit", FEAT_LSE2 "uscat", FEAT_LRCPC2 "ilrcpc", FEAT_FlagM "flagm"; v8.5 FEAT_SB "sb",
// FEAT_FRINTTS "frint", FEAT_FlagM2 "flagm2", FEAT_DPB2 "dcpodp", FEAT_BTI "bti"; v8.6 FEAT_BF16
// "bf16", FEAT_I8MM "i8mm". The result is a lower bound: a kernel that hides a feature (e.g.
// built without pointer authentication) lowers it, and v8.7 and later are not told apart.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace enoexec::host {

struct FeatureLevel {
  std::string_view name;     // "x86-64-v2", "ARMv8.1-A"
  std::string_view variant;  // OCI variant and Go value: "v2", "v8.1"
  std::span<const std::string_view> features;  // needed on top of the previous levels
};

inline constexpr std::array<std::string_view, 7> X86_64_V1 = {
    "cmov", "cx8", "fpu", "fxsr", "mmx", "sse", "sse2"};
inline constexpr std::array<std::string_view, 7> X86_64_V2 = {
    "cx16", "lahf_lm", "popcnt", "pni", "ssse3", "sse4_1", "sse4_2"};
inline constexpr std::array<std::string_view, 9> X86_64_V3 = {
    "avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"};
inline constexpr std::array<std::string_view, 5> X86_64_V4 = {
    "avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl"};

inline constexpr std::array<FeatureLevel, 4> X86_64_LEVELS = {{
    {"x86-64-v1", "v1", X86_64_V1},
    {"x86-64-v2", "v2", X86_64_V2},
    {"x86-64-v3", "v3", X86_64_V3},
    {"x86-64-v4", "v4", X86_64_V4},
}};

inline constexpr std::array<std::string_view, 3> ARMV8_1 = {"atomics", "asimdrdm", "crc32"};
inline constexpr std::array<std::string_view, 1> ARMV8_2 = {"dcpop"};
inline constexpr std::array<std::string_view, 4> ARMV8_3 = {"jscvt", "fcma", "lrcpc", "paca"};
inline constexpr std::array<std::string_view, 4> ARMV8_4 = {"dit", "uscat", "ilrcpc", "flagm"};
inline constexpr std::array<std::string_view, 5> ARMV8_5 = {"sb", "frint", "flagm2", "dcpodp", "bti"};
inline constexpr std::array<std::string_view, 2> ARMV8_6 = {"bf16", "i8mm"};

inline constexpr std::array<FeatureLevel, 6> ARM64_LEVELS = {{
    {"ARMv8.1-A", "v8.1", ARMV8_1},
    {"ARMv8.2-A", "v8.2", ARMV8_2},
    {"ARMv8.3-A", "v8.3", ARMV8_3},
    {"ARMv8.4-A", "v8.4", ARMV8_4},
    {"ARMv8.5-A", "v8.5", ARMV8_5},
    {"ARMv8.6-A", "v8.6", ARMV8_6},
}};

// GOARM64's ",crypto" option: the Armv8 cryptographic extension as Linux reports it.
inline constexpr std::array<std::string_view, 4> ARM64_CRYPTO = {"aes", "pmull", "sha1", "sha2"};

}  // namespace enoexec::host
