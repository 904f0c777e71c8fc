// e_flags in words, per machine, and the MIPS ABI flags record. The attribute sections are read
// in elf_arch_attributes.cpp; the tables live in elf_arch_names.hpp.
#include "formats/elf/elf_arch.hpp"

#include <fmt/format.h>

#include "formats/elf/elf_arch_names.hpp"

namespace enoexec::elf {
namespace {

using namespace arch_spec;

// Pre-EABI ("OABI", EABI version 0) files: APCS variants and FPA/VFP/soft float. The kernel
// refuses APCS-26 on 32-bit-only CPUs and VFP-float without VFP hardware.
void decode_arm_oabi(std::uint32_t flags, ElfArm& arm, std::vector<std::string>& words) {
  words.emplace_back("OABI");
  if (flags & EF_ARM_INTERWORK) words.emplace_back("interworking");
  if (flags & EF_ARM_APCS_26) words.emplace_back("APCS-26");
  if (flags & EF_ARM_APCS_FLOAT) words.emplace_back("APCS-float");
  if (flags & EF_ARM_PIC) words.emplace_back("PIC");
  if (flags & EF_ARM_SOFT_FLOAT) {
    words.emplace_back("soft-float");
    arm.float_abi = "soft";
  }
  if (flags & EF_ARM_VFP_FLOAT) {
    words.emplace_back("VFP-float");
    arm.float_abi = "hard";
  }
  if (flags & EF_ARM_MAVERICK_FLOAT) words.emplace_back("Maverick-float");
}

void decode_arm(ElfDetails& details) {
  ElfArm& arm = details.arm ? *details.arm : details.arm.emplace();
  const std::uint32_t flags = details.e_flags;
  arm.eabi_version = static_cast<int>((flags & EF_ARM_EABIMASK) >> 24);
  arm.thumb_entry = (details.entry & 1) != 0;
  if (arm.eabi_version == 0) return decode_arm_oabi(flags, arm, details.flags);

  details.flags.push_back(fmt::format("EABI{}", arm.eabi_version));
  if (arm.eabi_version == 4 || arm.eabi_version == 5) {
    if (flags & EF_ARM_BE8) details.flags.emplace_back("BE8");
    if (flags & EF_ARM_LE8) details.flags.emplace_back("LE8");
  }
  if (arm.eabi_version != 5) return;  // the float-ABI bits exist in EABI version 5 only
  if (flags & EF_ARM_ABI_FLOAT_HARD) {
    details.flags.emplace_back("hard-float");
    arm.float_abi = "hard";
  } else if (flags & EF_ARM_ABI_FLOAT_SOFT) {
    details.flags.emplace_back("soft-float");
    arm.float_abi = "soft";
  }
}

std::string mips_abi(std::uint32_t flags, int bits) {
  if (flags & EF_MIPS_ABI2) return "n32";
  switch (flags & EF_MIPS_ABI) {
    case 0: return bits == 64 ? "n64" : "o32";
    case E_MIPS_ABI_O32: return "o32";
    case E_MIPS_ABI_O64: return "o64";
    case E_MIPS_ABI_EABI32: return "eabi32";
    case E_MIPS_ABI_EABI64: return "eabi64";
    default: return fmt::format("ABI {:#x}", (flags & EF_MIPS_ABI) >> 12);
  }
}

// ISA and FP mode from e_flags; .MIPS.abiflags, when present, is more precise (it knows r3/r5
// and FPXX), so values it already set are kept.
void decode_mips(ElfDetails& details, int bits) {
  ElfMips& mips = details.mips ? *details.mips : details.mips.emplace();
  const std::uint32_t flags = details.e_flags;
  const std::uint32_t arch = (flags & EF_MIPS_ARCH) >> 28;
  const std::string isa = arch < mips_arch_names.size() ? std::string(mips_arch_names[arch])
                                                        : fmt::format("arch {:#x}", arch);
  if (mips.isa.empty()) mips.isa = isa;
  details.flags.push_back(isa);
  mips.abi = mips_abi(flags, bits);
  details.flags.push_back(mips.abi);
  mips.pic = (flags & EF_MIPS_PIC) != 0;
  mips.cpic = (flags & EF_MIPS_CPIC) != 0;
  mips.nan2008 = (flags & EF_MIPS_NAN2008) != 0;
  if (mips.pic) details.flags.emplace_back("pic");
  if (mips.cpic) details.flags.emplace_back("cpic");
  if (mips.nan2008) details.flags.emplace_back("nan2008");
  if (flags & EF_MIPS_FP64) {
    details.flags.emplace_back("fp64");
    if (mips.float_abi.empty()) mips.float_abi = "fp64";
  }
  if (flags & EF_MIPS_ARCH_ASE_MICROMIPS) details.flags.emplace_back("micromips");
  if (flags & EF_MIPS_ARCH_ASE_M16) details.flags.emplace_back("mips16");
}

void decode_riscv(ElfDetails& details) {
  ElfRiscv& riscv = details.riscv ? *details.riscv : details.riscv.emplace();
  const std::uint32_t flags = details.e_flags;
  riscv.rvc = (flags & EF_RISCV_RVC) != 0;
  riscv.float_abi = riscv_float_abi_names[(flags & EF_RISCV_FLOAT_ABI) >> 1];
  riscv.rve = (flags & EF_RISCV_RVE) != 0;
  riscv.tso = (flags & EF_RISCV_TSO) != 0;
  if (riscv.rvc) details.flags.emplace_back("RVC");
  details.flags.push_back(fmt::format("{}-float ABI", riscv.float_abi));
  if (riscv.rve) details.flags.emplace_back("RVE");
  if (riscv.tso) details.flags.emplace_back("TSO");
}

// 1 = ELFv1 (function descriptors, big-endian ppc64), 2 = ELFv2 (ppc64le), 0 = not stated.
void decode_ppc64(ElfDetails& details) {
  const int abi = static_cast<int>(details.e_flags & EF_PPC64_ABI);
  details.ppc64_abi = abi;
  if (abi != 0) details.flags.push_back(fmt::format("ELFv{}", abi));
}

void decode_loongarch(ElfDetails& details) {
  ElfLoongArch& loongarch = details.loongarch ? *details.loongarch : details.loongarch.emplace();
  const std::uint32_t base = details.e_flags & EF_LARCH_ABI_MODIFIER_MASK;
  loongarch.float_abi = base < loongarch_float_abi_names.size()
                            ? std::string(loongarch_float_abi_names[base])
                            : std::string();
  loongarch.object_abi = static_cast<int>((details.e_flags >> EF_LARCH_OBJABI_SHIFT) & 3);
  if (loongarch.float_abi.empty())
    details.flags.push_back(fmt::format("reserved base ABI {}", base));
  else
    details.flags.push_back(fmt::format("{}-float ABI", loongarch.float_abi));
  details.flags.push_back(fmt::format("object ABI v{}", loongarch.object_abi));
}

// "mips32r2" from ISA level 32 and revision 2; levels 1-5 have no revisions.
std::string mips_isa_name(unsigned level, unsigned revision) {
  if (level >= 1 && level <= 5) return fmt::format("mips{}", level);
  if (level == 32 || level == 64)
    return revision <= 1 ? fmt::format("mips{}", level) : fmt::format("mips{}r{}", level, revision);
  return fmt::format("ISA level {} revision {}", level, revision);
}

}  // namespace

void decode_machine_flags(ElfDetails& details, int bits) {
  details.flags.clear();
  switch (details.e_machine) {
    case EM_ARM: decode_arm(details); break;
    case EM_MIPS:
    case EM_MIPS_RS3_LE: decode_mips(details, bits); break;
    case EM_RISCV: decode_riscv(details); break;
    case EM_PPC64: decode_ppc64(details); break;
    case EM_LOONGARCH: decode_loongarch(details); break;
    default: break;
  }
}

// Elf_MIPS_ABIFlags_v0 (24 bytes): u16 version; u8 isa_level, isa_rev, gpr_size, cpr1_size,
// cpr2_size, fp_abi; u32 isa_ext, ases, flags1, flags2. Later versions may only append, so the
// v0 fields are read whatever the version.
void parse_mips_abiflags(ByteView section, Endian, ElfMips& mips,
                         std::vector<std::string>& warnings) {
  constexpr std::uint64_t abiflags_v0_size = 24;
  auto record = section.sub(0, abiflags_v0_size, "MIPS ABI flags");
  if (!record) {
    warnings.push_back(to_string(record.error()));
    return;
  }
  // The 24 bytes are there (checked above), so these reads cannot fail.
  const unsigned isa_level = record->u8(2, "MIPS ABI flags isa_level").value_or(0);
  const unsigned isa_revision = record->u8(3, "MIPS ABI flags isa_rev").value_or(0);
  const unsigned fp_abi = record->u8(7, "MIPS ABI flags fp_abi").value_or(0);
  mips.isa = mips_isa_name(isa_level, isa_revision);
  if (fp_abi == 0) return;  // Val_GNU_MIPS_ABI_FP_ANY: no FP code
  mips.float_abi = fp_abi < mips_fp_abi_names.size() ? std::string(mips_fp_abi_names[fp_abi])
                                                     : fmt::format("unknown ({})", fp_abi);
}

}  // namespace enoexec::elf
