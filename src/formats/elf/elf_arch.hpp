// Architecture-specific ELF facts: e_flags in words, and the attribute sections that state the
// CPU a file was built for (ARM, RISC-V, MIPS).
#pragma once

#include <string>
#include <vector>

#include "enoexec/details/elf.hpp"
#include "support/byte_view.hpp"

namespace enoexec::elf {

// From details.e_machine, e_flags and entry (and `bits`): fills details.flags and the
// arm / mips / riscv / ppc64_abi / loongarch members that apply.
void decode_machine_flags(ElfDetails& details, int bits);

// .ARM.attributes (SHT_ARM_ATTRIBUTES): Tag_CPU_arch, profile, name, FP, SIMD, VFP args.
void parse_arm_attributes(ByteView section, Endian endian, ElfArm& arm,
                          std::vector<std::string>& warnings);

// .riscv.attributes (SHT_RISCV_ATTRIBUTES): Tag_RISCV_arch.
void parse_riscv_attributes(ByteView section, Endian endian, ElfRiscv& riscv,
                            std::vector<std::string>& warnings);

// .MIPS.abiflags (SHT_MIPS_ABIFLAGS / PT_MIPS_ABIFLAGS): ISA level and FP ABI.
void parse_mips_abiflags(ByteView section, Endian endian, ElfMips& mips,
                         std::vector<std::string>& warnings);

}  // namespace enoexec::elf
