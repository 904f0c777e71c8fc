// elf_check_arch and compat_elf_check_arch, per kernel architecture (arch/*/include/asm/elf.h).
// The kernel reads e_machine in its own byte order, so a file of the other byte order fails the
// compare; it is modelled here as "machine, class and byte order must all match".
#include <array>

#include "verdict/rules.hpp"

namespace enoexec::verdict {
namespace {

constexpr std::uint16_t EM_386 = 3, EM_486 = 6, EM_MIPS = 8, EM_PPC = 20, EM_PPC64 = 21,
                        EM_S390 = 22, EM_ARM = 40, EM_SPARCV9 = 43, EM_X86_64 = 62,
                        EM_AARCH64 = 183, EM_RISCV = 243, EM_LOONGARCH = 258, EM_SPARC = 2;
constexpr std::uint32_t EF_ARM_EABIMASK = 0xff000000;

struct KernelArch {
  Arch arch;
  std::uint16_t machine;
  std::uint16_t machine_alt;  // a second accepted e_machine (EM_486 for i386), or 0
};

// The e_machine each kernel accepts natively; class and byte order come from the arch itself.
constexpr std::array KERNEL_ARCHES{
    KernelArch{Arch::amd64, EM_X86_64, 0},    KernelArch{Arch::i386, EM_386, EM_486},
    KernelArch{Arch::arm64, EM_AARCH64, 0},   KernelArch{Arch::arm64be, EM_AARCH64, 0},
    KernelArch{Arch::arm, EM_ARM, 0},         KernelArch{Arch::armbe, EM_ARM, 0},
    KernelArch{Arch::riscv64, EM_RISCV, 0},   KernelArch{Arch::riscv32, EM_RISCV, 0},
    KernelArch{Arch::s390x, EM_S390, 0},      KernelArch{Arch::s390, EM_S390, 0},
    KernelArch{Arch::ppc64le, EM_PPC64, 0},   KernelArch{Arch::ppc64, EM_PPC64, 0},
    KernelArch{Arch::ppc, EM_PPC, 0},         KernelArch{Arch::mips, EM_MIPS, 0},
    KernelArch{Arch::mipsle, EM_MIPS, 0},     KernelArch{Arch::mips64, EM_MIPS, 0},
    KernelArch{Arch::mips64le, EM_MIPS, 0},   KernelArch{Arch::loong64, EM_LOONGARCH, 0},
    KernelArch{Arch::sparc64, EM_SPARCV9, 0}, KernelArch{Arch::sparc, EM_SPARC, 0},
};

// The 32-bit architecture a 64-bit kernel runs through compat, if any.
Arch compat_arch_of(Arch kernel) {
  switch (kernel) {
    case Arch::amd64:
      return Arch::i386;
    case Arch::arm64:
      return Arch::arm;
    case Arch::arm64be:
      return Arch::armbe;
    case Arch::riscv64:
      return Arch::riscv32;
    case Arch::s390x:
      return Arch::s390;
    case Arch::ppc64:
      return Arch::ppc;
    case Arch::mips64:
      return Arch::mips;
    case Arch::mips64le:
      return Arch::mipsle;
    case Arch::sparc64:
      return Arch::sparc;
    default:
      return Arch::unknown;
  }
}

bool accepts(Arch arch, const ElfIdentity& elf) {
  for (const auto& k : KERNEL_ARCHES) {
    if (k.arch != arch) continue;
    const bool machine =
        elf.machine == k.machine || (k.machine_alt != 0 && elf.machine == k.machine_alt);
    return machine && elf.bits == bits_of(arch) && elf.endian == endian_of(arch);
  }
  return false;
}

}  // namespace

Arch host_arch(const HostInfo& host) {
  if (host.kernel.arch != Arch::unknown) return host.kernel.arch;
  if (host.userland) return host.userland->arch;
  return Arch::unknown;
}

ArchMatch check_arch(const ElfIdentity& elf, const HostInfo& host) {
  const Arch kernel = host_arch(host);
  if (accepts(kernel, elf)) return ArchMatch::native;
  const Arch compat = compat_arch_of(kernel);
  if (compat == Arch::unknown || !accepts(compat, elf)) return ArchMatch::wrong;
  // arm64's compat_elf_check_arch takes EABI binaries only (arch/arm64/include/asm/elf.h).
  if (compat == Arch::arm && (elf.flags & EF_ARM_EABIMASK) == 0) return ArchMatch::oabi;
  if (host.compat32.support == Support::no) return ArchMatch::no_compat;
  return ArchMatch::compat;
}

}  // namespace enoexec::verdict
