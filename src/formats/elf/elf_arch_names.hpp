// Spec tables for the architecture readers: e_flags bits and build-attribute values, with the
// short names enoexec prints. Sources: glibc elf.h (checked against /usr/include/elf.h, glibc
// 2.36), binutils include/elf/{arm,mips}.h, the Arm "Addenda to, and Errata in, the ABI for the
// Arm Architecture" (addenda32, build attributes), the RISC-V ELF psABI, and the LoongArch ELF ABI.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

// A namespace of its own, so these names never collide with the core reader's spec constants.
namespace enoexec::elf::arch_spec {

// e_machine values this file decodes.
inline constexpr std::uint16_t EM_386 = 3;
inline constexpr std::uint16_t EM_IAMCU = 6;
inline constexpr std::uint16_t EM_MIPS = 8;
inline constexpr std::uint16_t EM_MIPS_RS3_LE = 10;
inline constexpr std::uint16_t EM_PPC64 = 21;
inline constexpr std::uint16_t EM_ARM = 40;
inline constexpr std::uint16_t EM_X86_64 = 62;
inline constexpr std::uint16_t EM_AARCH64 = 183;
inline constexpr std::uint16_t EM_RISCV = 243;
inline constexpr std::uint16_t EM_LOONGARCH = 258;

// ARM e_flags.
inline constexpr std::uint32_t EF_ARM_EABIMASK = 0xff000000;
inline constexpr std::uint32_t EF_ARM_BE8 = 0x00800000;
inline constexpr std::uint32_t EF_ARM_LE8 = 0x00400000;
inline constexpr std::uint32_t EF_ARM_ABI_FLOAT_SOFT = 0x200;  // EABI5 only
inline constexpr std::uint32_t EF_ARM_ABI_FLOAT_HARD = 0x400;  // EABI5 only
// Pre-EABI (version 0, "OABI") flags; the same bits mean other things under EABI.
inline constexpr std::uint32_t EF_ARM_INTERWORK = 0x04;
inline constexpr std::uint32_t EF_ARM_APCS_26 = 0x08;
inline constexpr std::uint32_t EF_ARM_APCS_FLOAT = 0x10;
inline constexpr std::uint32_t EF_ARM_PIC = 0x20;
inline constexpr std::uint32_t EF_ARM_SOFT_FLOAT = 0x200;
inline constexpr std::uint32_t EF_ARM_VFP_FLOAT = 0x400;
inline constexpr std::uint32_t EF_ARM_MAVERICK_FLOAT = 0x800;

// MIPS e_flags.
inline constexpr std::uint32_t EF_MIPS_PIC = 0x2;
inline constexpr std::uint32_t EF_MIPS_CPIC = 0x4;
inline constexpr std::uint32_t EF_MIPS_ABI2 = 0x20;
inline constexpr std::uint32_t EF_MIPS_FP64 = 0x200;
inline constexpr std::uint32_t EF_MIPS_NAN2008 = 0x400;
inline constexpr std::uint32_t EF_MIPS_ABI = 0x0000f000;
inline constexpr std::uint32_t E_MIPS_ABI_O32 = 0x1000;
inline constexpr std::uint32_t E_MIPS_ABI_O64 = 0x2000;
inline constexpr std::uint32_t E_MIPS_ABI_EABI32 = 0x3000;
inline constexpr std::uint32_t E_MIPS_ABI_EABI64 = 0x4000;
inline constexpr std::uint32_t EF_MIPS_ARCH_ASE_MICROMIPS = 0x02000000;
inline constexpr std::uint32_t EF_MIPS_ARCH_ASE_M16 = 0x04000000;
inline constexpr std::uint32_t EF_MIPS_ARCH = 0xf0000000;

// EF_MIPS_ARCH >> 28: E_MIPS_ARCH_1 (0) .. E_MIPS_ARCH_64R6 (0xa).
inline constexpr std::array<std::string_view, 11> mips_arch_names = {
    "mips1", "mips2",    "mips3",    "mips4",    "mips5",   "mips32",
    "mips64", "mips32r2", "mips64r2", "mips32r6", "mips64r6"};

// RISC-V e_flags.
inline constexpr std::uint32_t EF_RISCV_RVC = 0x1;
inline constexpr std::uint32_t EF_RISCV_FLOAT_ABI = 0x6;
inline constexpr std::uint32_t EF_RISCV_RVE = 0x8;
inline constexpr std::uint32_t EF_RISCV_TSO = 0x10;
// EF_RISCV_FLOAT_ABI >> 1: SOFT 0, SINGLE 2, DOUBLE 4, QUAD 6.
inline constexpr std::array<std::string_view, 4> riscv_float_abi_names = {"soft", "single",
                                                                         "double", "quad"};

// PPC64 e_flags.
inline constexpr std::uint32_t EF_PPC64_ABI = 3;

// LoongArch e_flags: base ABI in bits 0-2 (1 soft, 2 single, 3 double float; others reserved),
// object ABI version in bits 6-7.
inline constexpr std::uint32_t EF_LARCH_ABI_MODIFIER_MASK = 0x07;
inline constexpr unsigned EF_LARCH_OBJABI_SHIFT = 6;
inline constexpr std::array<std::string_view, 4> loongarch_float_abi_names = {"", "soft", "single",
                                                                             "double"};

// .ARM.attributes ("aeabi" vendor) tags.
inline constexpr std::uint64_t Tag_File = 1;
inline constexpr std::uint64_t Tag_CPU_raw_name = 4;
inline constexpr std::uint64_t Tag_CPU_name = 5;
inline constexpr std::uint64_t Tag_CPU_arch = 6;
inline constexpr std::uint64_t Tag_CPU_arch_profile = 7;
inline constexpr std::uint64_t Tag_FP_arch = 10;
inline constexpr std::uint64_t Tag_Advanced_SIMD_arch = 12;
inline constexpr std::uint64_t Tag_ABI_VFP_args = 28;
inline constexpr std::uint64_t Tag_compatibility = 32;

// Tag_CPU_arch values 0..22. Addenda32 spells 14 "v8-A"; we print "v8" as binutils 2.40 readelf
// does (15 is "v8-R"). 22 (v9-A) comes from newer addenda / LLVM.
inline constexpr std::array<std::string_view, 23> arm_cpu_arch_names = {
    "Pre-v4", "v4",    "v4T",   "v5T",   "v5TE",  "v5TEJ",         "v6",
    "v6KZ",   "v6T2",  "v6K",   "v7",    "v6-M",  "v6S-M",         "v7E-M",
    "v8",     "v8-R",  "v8-M.baseline",  "v8-M.mainline", "v8.1-A", "v8.2-A",
    "v8.3-A", "v8.1-M.mainline", "v9"};

// Tag_FP_arch values 0..8; 0 (no FP hardware) prints as nothing. 7 and 8 are the Armv8 FP ISA,
// 8 restricted to D0-D15 (GCC -mfpu=fpv5-d16, e.g. Cortex-M7).
inline constexpr std::array<std::string_view, 9> arm_fp_arch_names = {
    "", "VFPv1", "VFPv2", "VFPv3", "VFPv3-D16", "VFPv4", "VFPv4-D16", "FP-ARMv8", "FPv5-D16"};

// Tag_Advanced_SIMD_arch values 0..4; 2 is NEONv1 with half-precision and fused multiply-add.
inline constexpr std::array<std::string_view, 5> arm_simd_arch_names = {
    "", "NEONv1", "NEONv2", "ARMv8 AdvSIMD", "ARMv8.1 AdvSIMD"};

// .riscv.attributes ("riscv" vendor) tags.
inline constexpr std::uint64_t Tag_RISCV_arch = 5;

// .MIPS.abiflags fp_abi (Val_GNU_MIPS_ABI_FP_*), 0 (ANY) prints as nothing.
inline constexpr std::array<std::string_view, 8> mips_fp_abi_names = {
    "", "hard", "single", "soft", "fp64-old", "fpxx", "fp64", "fp64a"};

}  // namespace enoexec::elf::arch_spec
