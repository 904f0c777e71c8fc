// elf_check_arch and compat_elf_check_arch, per kernel architecture, as of Linux 6.1: the table
// is kernel_arches.def, one row per accepted kind of file with the kernel source it comes from.
// The kernel reads e_machine in its own byte order, so a file of the other byte order fails the
// compare; it is modelled here as "machine, class and byte order must all match".
#include <algorithm>
#include <array>

#include "verdict/rules.hpp"

namespace enoexec::verdict {
namespace {

// e_machine values, from the one table of them (the gABI list and the unofficial Linux ones).
enum : std::uint16_t {
#define ELF_MACHINE(name, value, a32le, a32be, a64le, a64be) name = value,
#include "formats/elf/elf_machines.def"
#undef ELF_MACHINE
};

// Values only Linux ports use, absent from the gABI list:
// include/uapi/linux/elf-em.h: EM_486 6 ("Perhaps disused"; the gABI reuses 6 for EM_IAMCU);
// arch/csky/include/asm/elf.h: EM_CSKY_OLD 39 (the gABI's EM_RCE);
// arch/microblaze/include/uapi/asm/elf.h: EM_MICROBLAZE_OLD 0xbaab;
// arch/openrisc/include/uapi/asm/elf.h: EM_OR32 0x8472;
// arch/xtensa/include/asm/elf.h: EM_XTENSA_OLD 0xabc7.
constexpr std::uint16_t EM_486 = 6, EM_CSKY_OLD = 39, EM_MICROBLAZE_OLD = 0xbaab,
                        EM_OR32 = 0x8472, EM_XTENSA_OLD = 0xabc7;

// e_flags bits the checks read.
// arch/alpha/include/asm/elf.h
constexpr std::uint32_t EF_ALPHA_32BIT = 0x1;
// arch/arm/include/asm/elf.h
constexpr std::uint32_t EF_ARM_EABI_MASK = 0xff000000, EF_ARM_APCS_26 = 0x08,
                        EF_ARM_VFP_FLOAT = 0x400, EF_ARM_SOFT_FLOAT = 0x200;
// arch/mips/include/asm/elf.h
constexpr std::uint32_t EF_MIPS_ABI2 = 0x20, EF_MIPS_FP64 = 0x200, EF_MIPS_ABI = 0xf000,
                        EF_MIPS_ABI_O32 = 0x1000;
// arch/sh/include/asm/elf.h
constexpr std::uint32_t EF_SH_FDPIC = 0x8000;
// arch/arc/include/uapi/asm/elf.h
constexpr std::uint32_t EF_ARC_OSABI_MSK = 0xf00, EF_ARC_OSABI_V3 = 0x300,
                        EF_ARC_OSABI_V4 = 0x400;

enum class How { native, compat, config };
// What e_flags must hold, per the kernel_arches.def row.
enum class FlagRule { any, alpha, arm_native, arm_eabi, mips_o32, mips_o32_n32, sh, arc };
// How e_flags fit: taken, taken only in some kernel configuration or on some CPU, an old-ABI
// ARM file (arm64's compat loader refuses them), or refused.
enum class Fit { ok, config, oabi, wrong };

struct KernelArch {
  Arch kernel;
  Arch file;
  How how;
  std::uint16_t machine;
  std::uint16_t machine_alt;  // a second accepted e_machine, or 0
  FlagRule flags;
  std::string_view option;    // How::config: what the kernel must have
};

constexpr std::array KERNEL_ARCHES{
#define KERNEL_ARCH(kernel, file, how, machine, machine_alt, flags, option) \
  KernelArch{Arch::kernel, Arch::file, How::how, machine, machine_alt, FlagRule::flags, option},
#include "verdict/kernel_arches.def"
#undef KERNEL_ARCH
};

// The kernel that runs a userland arch of no kernel of its own in 6.1: x32 runs on x86-64
// (arch.def: uname x86_64); 31-bit s390 on s390x (arch/s390/Kconfig: 64BIT def_bool y);
// 32-bit little-endian powerpc on ppc64le (platforms/Kconfig.cputype: CPU_LITTLE_ENDIAN
// depends on PPC_BOOK3S_64).
Arch kernel_for(Arch arch) {
  switch (arch) {
    case Arch::x32:
      return Arch::amd64;
    case Arch::s390:
      return Arch::s390x;
    case Arch::ppcle:
      return Arch::ppc64le;
    default:
      return arch;
  }
}

// arch/mips/include/asm/elf.h, elf32_check_arch. `n32`: CONFIG_MIPS32_N32 can be on (64-bit
// kernels only).
Fit mips_fit(std::uint32_t flags, bool n32) {
  const std::uint32_t abi = flags & EF_MIPS_ABI;
  if ((flags & EF_MIPS_ABI2) != 0) return n32 && abi == 0 ? Fit::ok : Fit::wrong;
  if (abi != 0 && abi != EF_MIPS_ABI_O32) return Fit::wrong;
  return (flags & EF_MIPS_FP64) != 0 ? Fit::config : Fit::ok;  // CONFIG_MIPS_O32_FP64_SUPPORT
}

// arch/arm/kernel/elf.c, elf_check_arch: old-ABI files that need a CPU feature (HWCAP).
Fit arm_native_fit(std::uint32_t flags) {
  if ((flags & EF_ARM_EABI_MASK) != 0) return Fit::ok;
  if ((flags & EF_ARM_APCS_26) != 0) return Fit::config;  // HWCAP_26BIT
  const std::uint32_t float_format = flags & (EF_ARM_VFP_FLOAT | EF_ARM_SOFT_FLOAT);
  return float_format == EF_ARM_VFP_FLOAT ? Fit::config : Fit::ok;  // HWCAP_VFP
}

Fit flags_fit(FlagRule rule, std::uint32_t flags) {
  switch (rule) {
    case FlagRule::any:
      return Fit::ok;
    case FlagRule::alpha:
      return (flags & EF_ALPHA_32BIT) != 0 ? Fit::wrong : Fit::ok;
    case FlagRule::arm_native:
      return arm_native_fit(flags);
    case FlagRule::arm_eabi:
      return (flags & EF_ARM_EABI_MASK) == 0 ? Fit::oabi : Fit::ok;
    case FlagRule::mips_o32:
      return mips_fit(flags, false);
    case FlagRule::mips_o32_n32:
      return mips_fit(flags, true);
    case FlagRule::sh:
      return (flags & EF_SH_FDPIC) != 0 ? Fit::config : Fit::ok;
    case FlagRule::arc: {
      const std::uint32_t osabi = flags & EF_ARC_OSABI_MSK;
      if (osabi == EF_ARC_OSABI_V4) return Fit::ok;
      return osabi == EF_ARC_OSABI_V3 ? Fit::config : Fit::wrong;
    }
  }
  return Fit::wrong;
}

// Kernels whose elf_check_arch (and compat_elf_check_arch) also read e_ident[EI_CLASS]: parisc,
// s390 (asm/elf.h: "== ELF_CLASS"), mips (elf32/elf64_check_arch), loongarch (elf32/
// elf64_check_arch), riscv (asm/elf.h, kernel/process.c). The others (x86, arm, arm64, powerpc,
// sparc, alpha, ...) never look at it: a wrong EI_CLASS passes when the fields are right.
bool checks_ei_class(Arch kernel) {
  switch (kernel) {
    case Arch::hppa: case Arch::s390x: case Arch::mips: case Arch::mipsle: case Arch::mips64:
    case Arch::mips64le: case Arch::loong64: case Arch::riscv32: case Arch::riscv64:
      return true;
    default:
      return false;
  }
}

bool matches(const KernelArch& row, const ElfIdentity& elf) {
  const bool machine =
      elf.machine == row.machine || (row.machine_alt != 0 && elf.machine == row.machine_alt);
  const int file_bits = bits_of(row.file);
  if (checks_ei_class(row.kernel) && elf.ei_class.value_or(elf.bits) != file_bits) return false;
  return machine && elf.bits == file_bits && elf.endian == endian_of(row.file);
}

}  // namespace

Arch host_arch(const HostInfo& host) {
  if (host.kernel.arch != Arch::unknown) return host.kernel.arch;
  if (host.userland) return host.userland->arch;
  return Arch::unknown;
}

namespace {

// What e_flags a Fit::config needs, per rule (the sources are those of flags_fit()).
std::string_view flag_option(FlagRule rule) {
  switch (rule) {
    case FlagRule::arm_native:
      return "a CPU with HWCAP_26BIT (APCS-26) or HWCAP_VFP (VFP float format), for an old-ABI file";
    case FlagRule::mips_o32:
    case FlagRule::mips_o32_n32:
      return "CONFIG_MIPS_O32_FP64_SUPPORT, for an FP64 o32 file";
    case FlagRule::sh:
      return "BINFMT_ELF_FDPIC, on a SuperH kernel without an MMU, for an FDPIC file";
    case FlagRule::arc:
      return "a kernel built by GCC older than 6 (ABI v3), for an ARC ABI v3 file";
    default:
      return "";
  }
}

struct Answer {
  ArchMatch match = ArchMatch::wrong;
  std::string_view option;
};

Answer answer(const ElfIdentity& elf, const HostInfo& host) {
  const Arch kernel = kernel_for(host_arch(host));
  for (const KernelArch& row : KERNEL_ARCHES) {
    if (row.kernel != kernel || !matches(row, elf)) continue;
    const Fit fit = flags_fit(row.flags, elf.flags);
    if (fit == Fit::wrong) return {ArchMatch::wrong, {}};
    if (fit == Fit::oabi) return {ArchMatch::oabi, {}};
    if (fit == Fit::config) return {ArchMatch::kernel_option, flag_option(row.flags)};
    if (row.how == How::config) return {ArchMatch::kernel_option, row.option};
    if (row.how == How::native) return {ArchMatch::native, {}};
    return {host.compat32.support == Support::no ? ArchMatch::no_compat : ArchMatch::compat, {}};
  }
  return {};
}

}  // namespace

ArchMatch check_arch(const ElfIdentity& elf, const HostInfo& host) { return answer(elf, host).match; }

std::vector<ElfLoader> elf_loaders(const HostInfo& host) {
  const Arch kernel = kernel_for(host_arch(host));
  if (kernel == Arch::unknown) return {};
  std::vector<ElfLoader> loaders{{bits_of(kernel), endian_of(kernel)}};
  const bool compat = bits_of(kernel) == 64 && std::any_of(KERNEL_ARCHES.begin(), KERNEL_ARCHES.end(), [&](const KernelArch& row) {
                        return row.kernel == kernel && bits_of(row.file) == 32;
                      });
  if (compat) loaders.push_back({32, endian_of(kernel)});
  return loaders;
}

std::string_view kernel_option_needed(const ElfIdentity& elf, const HostInfo& host) {
  return answer(elf, host).option;
}

}  // namespace enoexec::verdict
