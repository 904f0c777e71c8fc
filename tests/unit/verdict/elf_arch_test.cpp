// check_arch against what each Linux 6.1 kernel architecture's elf_check_arch and
// compat_elf_check_arch accept. Every expected value was read from the kernel source named
// beside it (arch/*/include/asm/elf.h and friends), never from running enoexec; each arch has
// a header a naive "e_machine, class and byte order" table gets wrong.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "verdict/rules.hpp"

namespace enoexec {
namespace {

using verdict::ArchMatch;
using verdict::ElfIdentity;

// e_machine values: the gABI list, and include/uapi/linux/elf-em.h for those only Linux uses.
constexpr std::uint16_t EM_SPARC = 2, EM_386 = 3, EM_68K = 4, EM_486 = 6, EM_MIPS = 8,
                        EM_PARISC = 15, EM_SPARC32PLUS = 18, EM_PPC = 20, EM_PPC64 = 21,
                        EM_S390 = 22, EM_CSKY_OLD = 39, EM_ARM = 40, EM_FAKE_ALPHA = 41,
                        EM_SH = 42, EM_SPARCV9 = 43, EM_ARC = 45, EM_IA_64 = 50, EM_X86_64 = 62,
                        EM_OPENRISC = 92, EM_ARC_COMPACT = 93, EM_XTENSA = 94,
                        EM_ALTERA_NIOS2 = 113, EM_HEXAGON = 164, EM_AARCH64 = 183,
                        EM_MICROBLAZE = 189, EM_ARC_COMPACT2 = 195, EM_RISCV = 243,
                        EM_CSKY = 252, EM_LOONGARCH = 258, EM_ALPHA = 0x9026,
                        EM_S390_OLD = 0xa390, EM_MICROBLAZE_OLD = 0xbaab, EM_OR32 = 0x8472,
                        EM_XTENSA_OLD = 0xabc7;

constexpr Endian LE = Endian::little, BE = Endian::big;
constexpr ArchMatch NATIVE = ArchMatch::native, COMPAT = ArchMatch::compat,
                    NO_COMPAT = ArchMatch::no_compat, OABI = ArchMatch::oabi,
                    WRONG = ArchMatch::wrong, OPTION = ArchMatch::kernel_option;

struct Case {
  std::uint16_t machine;
  int bits;
  Endian endian;
  std::uint32_t flags;
  ArchMatch want;
  const char* why;
  Support compat32 = Support::unknown;
};

std::string name(ArchMatch match) {
  switch (match) {
    case ArchMatch::native: return "native";
    case ArchMatch::compat: return "compat";
    case ArchMatch::no_compat: return "no_compat";
    case ArchMatch::oabi: return "oabi";
    case ArchMatch::wrong: return "wrong";
    case ArchMatch::kernel_option: return "kernel_option";
  }
  return "?";
}

// A host known only by its kernel's architecture, as a --target platform describes it.
HostInfo kernel_host(Arch arch, Support compat32) {
  HostInfo host;
  host.kernel.os = "Linux";
  host.kernel.arch = arch;
  host.compat32.support = compat32;
  return host;
}

void expect_cases(Arch kernel, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    const ElfIdentity elf{c.machine, c.bits, c.endian, c.flags, std::nullopt};
    const ArchMatch got = verdict::check_arch(elf, kernel_host(kernel, c.compat32));
    EXPECT_EQ(name(got), name(c.want))
        << to_string(kernel) << " kernel, e_machine " << c.machine << ", " << c.bits << "-bit "
        << to_string(c.endian) << "-endian, e_flags 0x" << std::hex << c.flags << ": " << c.why;
  }
}

// arch/x86/include/asm/elf.h: elf_check_arch (X86_64) EM_X86_64; compat_elf_check_arch:
// elf_check_arch_ia32 (EM_386, EM_486) or, with CONFIG_X86_X32_ABI, EM_X86_64 in ELFCLASS32.
TEST(ElfArch, X86) {
  expect_cases(Arch::amd64, {
      {EM_X86_64, 64, LE, 0, NATIVE, "x86-64"},
      {EM_X86_64, 32, LE, 0, OPTION, "x32: CONFIG_X86_X32_ABI"},
      {EM_X86_64, 32, LE, 0, OPTION, "x32: undecided, whatever IA32 emulation does", Support::no},
      {EM_486, 32, LE, 0, COMPAT, "elf_check_arch_ia32 takes EM_486"},
      {EM_386, 32, LE, 0, NO_COMPAT, "i386 without IA32 emulation", Support::no},
      {EM_X86_64, 64, BE, 0, WRONG, "e_machine read in the kernel's byte order"},
      {EM_386, 64, LE, 0, WRONG, "EM_386 in ELFCLASS64"},
  });
  // elf_check_arch (X86_32) is elf_check_arch_ia32: EM_386 or EM_486.
  expect_cases(Arch::i386, {
      {EM_386, 32, LE, 0, NATIVE, "i386"},
      {EM_486, 32, LE, 0, NATIVE, "EM_486"},
      {EM_X86_64, 32, LE, 0, WRONG, "x32 needs an x86-64 kernel"},
      {EM_X86_64, 64, LE, 0, WRONG, "x86-64 on a 32-bit kernel"},
  });
  // x32 is a userland: its kernel is x86-64 (uname x86_64).
  expect_cases(Arch::x32, {
      {EM_X86_64, 32, LE, 0, OPTION, "x32 through compat_elf_check_arch"},
      {EM_X86_64, 64, LE, 0, NATIVE, "the x86-64 kernel's own programs"},
  });
}

// arch/arm/kernel/elf.c: EM_ARM; old-ABI files need HWCAP_26BIT for APCS-26 and HWCAP_VFP for
// the VFP float format. arch/arm64: EM_AARCH64; compat EM_ARM with an EABI version only.
TEST(ElfArch, Arm) {
  expect_cases(Arch::arm, {
      {EM_ARM, 32, LE, 0x05000400, NATIVE, "EABI 5 hard-float"},
      {EM_ARM, 32, LE, 0, NATIVE, "a 32-bit arm kernel takes old-ABI files"},
      {EM_ARM, 32, LE, 0x200, NATIVE, "old ABI, soft-float format"},
      {EM_ARM, 32, LE, 0x08, OPTION, "APCS-26: only on CPUs with HWCAP_26BIT"},
      {EM_ARM, 32, LE, 0x400, OPTION, "old ABI, VFP float format: HWCAP_VFP"},
      {EM_ARM, 32, LE, 0x400, OPTION, "the same, whatever 32-bit support is", Support::no},
      {EM_ARM, 32, BE, 0x05000000, WRONG, "big-endian file, little-endian kernel"},
  });
  expect_cases(Arch::armbe, {
      {EM_ARM, 32, BE, 0x05000000, NATIVE, "BE8 EABI 5"},
      {EM_ARM, 32, LE, 0x05000400, WRONG, "little-endian file, big-endian kernel"},
  });
  expect_cases(Arch::arm64, {
      {EM_AARCH64, 64, LE, 0, NATIVE, "arm64"},
      {EM_ARM, 32, LE, 0x05000400, COMPAT, "EABI through compat_elf_check_arch"},
      {EM_ARM, 32, LE, 0x05000400, NO_COMPAT, "no AArch32 at EL0", Support::no},
      {EM_ARM, 32, LE, 0, OABI, "compat refuses old-ABI files"},
      {EM_ARM, 32, LE, 0, OABI, "old ABI, whatever the compat support", Support::no},
      {EM_ARM, 32, BE, 0x05000000, WRONG, "armbe on a little-endian kernel"},
      {EM_AARCH64, 32, LE, 0, WRONG, "arm64_32 (ILP32) is not taken"},
  });
  expect_cases(Arch::arm64be, {
      {EM_AARCH64, 64, BE, 0, NATIVE, "aarch64_be"},
      {EM_ARM, 32, BE, 0x05000000, COMPAT, "armbe EABI through compat"},
      {EM_AARCH64, 64, LE, 0, WRONG, "little-endian arm64 file"},
      {EM_ARM, 32, LE, 0x05000400, WRONG, "little-endian arm file"},
  });
}

// arch/mips/include/asm/elf.h: elf32_check_arch (o32; n32 only with CONFIG_MIPS32_N32, a 64-bit
// option; EF_MIPS_ABI 0 or O32; EF_MIPS_FP64 with CONFIG_MIPS_O32_FP64_SUPPORT) and
// elf64_check_arch (EM_MIPS, ELFCLASS64); 64-bit kernels take elf32_check_arch as compat.
TEST(ElfArch, Mips) {
  expect_cases(Arch::mips, {
      {EM_MIPS, 32, BE, 0x70001007, NATIVE, "o32 mips32r2 (Debian mips-linux-gnu-gcc)"},
      {EM_MIPS, 32, BE, 0x50000007, NATIVE, "o32 without an EF_MIPS_ABI field"},
      {EM_MIPS, 32, BE, 0x20, WRONG, "n32 needs a 64-bit kernel"},
      {EM_MIPS, 32, BE, 0x2000, WRONG, "O64"},
      {EM_MIPS, 32, BE, 0x1200, OPTION, "o32 FP64: CONFIG_MIPS_O32_FP64_SUPPORT"},
      {EM_MIPS, 32, LE, 0x1000, WRONG, "mipsel file"},
      {EM_MIPS, 64, BE, 0, WRONG, "n64 on a 32-bit kernel"},
  });
  expect_cases(Arch::mipsle, {
      {EM_MIPS, 32, LE, 0x1000, NATIVE, "o32 mipsel"},
      {EM_MIPS, 32, BE, 0x1000, WRONG, "big-endian o32"},
  });
  expect_cases(Arch::mips64, {
      {EM_MIPS, 64, BE, 0, NATIVE, "n64"},
      {EM_MIPS, 32, BE, 0x1000, COMPAT, "o32: CONFIG_MIPS32_O32"},
      {EM_MIPS, 32, BE, 0x20, COMPAT, "n32: CONFIG_MIPS32_N32"},
      {EM_MIPS, 32, BE, 0x1020, WRONG, "n32 with an EF_MIPS_ABI field"},
      {EM_MIPS, 32, BE, 0x3000, WRONG, "EABI32"},
      {EM_MIPS, 32, BE, 0x1000, NO_COMPAT, "o32 without compat", Support::no},
      {EM_MIPS, 64, LE, 0, WRONG, "mips64el file"},
  });
  expect_cases(Arch::mips64le, {
      {EM_MIPS, 64, LE, 0, NATIVE, "n64 little-endian"},
      {EM_MIPS, 32, LE, 0x20, COMPAT, "n32 little-endian"},
      {EM_MIPS, 32, BE, 0x1000, WRONG, "big-endian o32"},
  });
}

// arch/powerpc/include/asm/elf.h: ELF_ARCH (EM_PPC64 / EM_PPC); compat EM_PPC. No 32-bit
// little-endian kernel (CPU_LITTLE_ENDIAN depends on PPC_BOOK3S_64).
TEST(ElfArch, PowerPc) {
  expect_cases(Arch::ppc, {
      {EM_PPC, 32, BE, 0, NATIVE, "powerpc"},
      {EM_PPC64, 64, BE, 0, WRONG, "ppc64 on a 32-bit kernel"},
      {EM_PPC, 32, LE, 0, WRONG, "little-endian powerpc"},
  });
  expect_cases(Arch::ppc64, {
      {EM_PPC64, 64, BE, 1, NATIVE, "ppc64 ELFv1"},
      {EM_PPC, 32, BE, 0, COMPAT, "powerpc through compat"},
      {EM_PPC, 32, BE, 0, NO_COMPAT, "without CONFIG_COMPAT", Support::no},
      {EM_PPC64, 64, LE, 2, WRONG, "ppc64el file"},
  });
  expect_cases(Arch::ppc64le, {
      {EM_PPC64, 64, LE, 2, NATIVE, "ppc64el ELFv2"},
      {EM_PPC, 32, LE, 0, COMPAT, "powerpcle through compat (CONFIG_COMPAT)"},
      {EM_PPC, 32, BE, 0, WRONG, "big-endian powerpc on a little-endian kernel"},
  });
  expect_cases(Arch::ppcle, {
      {EM_PPC, 32, LE, 0, COMPAT, "its kernel is ppc64le"},
      {EM_PPC64, 64, LE, 2, NATIVE, "ppc64le programs run on that kernel"},
  });
}

// arch/riscv: elf_check_arch EM_RISCV with ELF_CLASS; compat_elf_check_arch ELFCLASS32 when the
// CPU supports 32-bit U-mode. arch/s390: EM_S390 or EM_S390_OLD with the class; 64-bit only.
TEST(ElfArch, RiscvAndS390) {
  expect_cases(Arch::riscv32, {
      {EM_RISCV, 32, LE, 5, NATIVE, "rv32"},
      {EM_RISCV, 64, LE, 5, WRONG, "rv64 on rv32"},
  });
  expect_cases(Arch::riscv64, {
      {EM_RISCV, 64, LE, 5, NATIVE, "rv64"},
      {EM_RISCV, 32, LE, 5, COMPAT, "rv32 through compat_mode_supported"},
      {EM_RISCV, 32, LE, 5, NO_COMPAT, "no 32-bit U-mode", Support::no},
  });
  expect_cases(Arch::s390x, {
      {EM_S390, 64, BE, 0, NATIVE, "s390x"},
      {EM_S390_OLD, 64, BE, 0, NATIVE, "EM_S390_OLD"},
      {EM_S390, 32, BE, 0, COMPAT, "31-bit through compat"},
      {EM_S390_OLD, 32, BE, 0, COMPAT, "31-bit EM_S390_OLD through compat"},
      {EM_S390, 64, LE, 0, WRONG, "little-endian"},
  });
  expect_cases(Arch::s390, {
      {EM_S390, 32, BE, 0, COMPAT, "31-bit programs run on an s390x kernel"},
      {EM_S390, 64, BE, 0, NATIVE, "and so do s390x programs"},
  });
}

// arch/sparc/include/asm/elf_32.h: EM_SPARC only; elf_64.h: EM_SPARCV9, compat EM_SPARC or
// EM_SPARC32PLUS.
TEST(ElfArch, Sparc) {
  expect_cases(Arch::sparc, {
      {EM_SPARC, 32, BE, 0, NATIVE, "sparc"},
      {EM_SPARC32PLUS, 32, BE, 0x100, WRONG, "v8plus needs a sparc64 kernel"},
      {EM_SPARCV9, 64, BE, 0, WRONG, "sparc64 on sparc32"},
  });
  expect_cases(Arch::sparc64, {
      {EM_SPARCV9, 64, BE, 0x202, NATIVE, "sparc64"},
      {EM_SPARC32PLUS, 32, BE, 0x300, COMPAT, "v8plus through compat"},
      {EM_SPARC, 32, BE, 0, COMPAT, "sparc through compat"},
      {EM_SPARC32PLUS, 32, BE, 0x300, NO_COMPAT, "without compat", Support::no},
      {EM_SPARCV9, 32, BE, 0, WRONG, "EM_SPARCV9 in ELFCLASS32"},
      {EM_SPARC, 64, BE, 0, WRONG, "EM_SPARC in ELFCLASS64"},
  });
}

// alpha, hppa, ia64, m68k, sh: arch/*/include/asm/elf.h.
TEST(ElfArch, OlderPorts) {
  expect_cases(Arch::alpha, {
      {EM_ALPHA, 64, LE, 0, NATIVE, "EM_ALPHA is 0x9026 in Linux"},
      {EM_FAKE_ALPHA, 64, LE, 0, WRONG, "the gABI's 41 is not taken"},
      {EM_ALPHA, 64, LE, 1, WRONG, "EF_ALPHA_32BIT"},
      {EM_ALPHA, 64, BE, 0, WRONG, "big-endian"},
  });
  expect_cases(Arch::hppa, {
      {EM_PARISC, 32, BE, 0x210, NATIVE, "PA-RISC 1.1"},
      {EM_PARISC, 64, BE, 0x214, WRONG, "ELFCLASS64 on a 32-bit kernel"},
  });
  expect_cases(Arch::ia64, {
      {EM_IA_64, 64, LE, 0, NATIVE, "ia64"},
      {EM_386, 32, LE, 0, WRONG, "no IA-32 compat"},
  });
  expect_cases(Arch::m68k, {
      {EM_68K, 32, BE, 0, NATIVE, "m68k"},
      {EM_68K, 32, LE, 0, WRONG, "little-endian"},
  });
  expect_cases(Arch::sh, {
      {EM_SH, 32, LE, 0x17, NATIVE, "sh4"},
      {EM_SH, 32, BE, 0x17, WRONG, "sh4eb on a little-endian kernel"},
      {EM_SH, 32, LE, 0x8000, OPTION, "FDPIC: binfmt_elf_fdpic, no-MMU kernels only"},
  });
  expect_cases(Arch::sheb, {
      {EM_SH, 32, BE, 0x17, NATIVE, "sh4eb"},
      {EM_SH, 32, LE, 0x17, WRONG, "little-endian sh4"},
  });
}

// arc, csky, microblaze, nios2, or1k, xtensa, hexagon: arch/*/include/asm/elf.h (arc:
// arch/arc/kernel/process.c).
TEST(ElfArch, EmbeddedPorts) {
  expect_cases(Arch::arc, {
      {EM_ARC_COMPACT2, 32, LE, 0x400, NATIVE, "ARCv2, OSABI v4"},
      {EM_ARC_COMPACT2, 32, LE, 0x300, OPTION, "OSABI v3: a kernel built by GCC < 6"},
      {EM_ARC_COMPACT2, 32, LE, 0, WRONG, "no OSABI version"},
      {EM_ARC_COMPACT, 32, LE, 0x400, OPTION, "ARCompact: CONFIG_ISA_ARCOMPACT"},
      {EM_ARC, 32, LE, 0x400, WRONG, "EM_ARC (45) is neither"},
  });
  expect_cases(Arch::csky, {
      {EM_CSKY, 32, LE, 0, NATIVE, "C-SKY"},
      {EM_CSKY_OLD, 32, LE, 0, NATIVE, "EM_CSKY_OLD (39)"},
      {EM_CSKY, 32, BE, 0, WRONG, "big-endian"},
  });
  expect_cases(Arch::microblaze, {
      {EM_MICROBLAZE, 32, BE, 0, NATIVE, "MicroBlaze"},
      {EM_MICROBLAZE_OLD, 32, BE, 0, NATIVE, "EM_MICROBLAZE_OLD"},
      {EM_MICROBLAZE, 32, LE, 0, WRONG, "microblazeel"},
  });
  expect_cases(Arch::nios2, {
      {EM_ALTERA_NIOS2, 32, LE, 0, NATIVE, "Nios II"},
      {EM_ALTERA_NIOS2, 32, BE, 0, WRONG, "big-endian"},
  });
  expect_cases(Arch::or1k, {
      {EM_OPENRISC, 32, BE, 0, NATIVE, "OpenRISC"},
      {EM_OR32, 32, BE, 0, NATIVE, "EM_OR32 (0x8472)"},
      {EM_OPENRISC, 32, LE, 0, WRONG, "little-endian"},
  });
  expect_cases(Arch::xtensa, {
      {EM_XTENSA, 32, LE, 0x300, NATIVE, "Xtensa"},
      {EM_XTENSA_OLD, 32, LE, 0, NATIVE, "EM_XTENSA_OLD (0xabc7)"},
      {EM_XTENSA, 32, BE, 0, WRONG, "big-endian on a little-endian kernel"},
  });
  expect_cases(Arch::hexagon, {
      {EM_HEXAGON, 32, LE, 0x73, NATIVE, "Hexagon"},
      {EM_HEXAGON, 32, BE, 0, WRONG, "big-endian"},
  });
}

// LoongArch 6.1: elf64_check_arch only (EM_LOONGARCH, ELFCLASS64), no compat.
TEST(ElfArch, LoongArch) {
  expect_cases(Arch::loong64, {
      {EM_LOONGARCH, 64, LE, 0x43, NATIVE, "LP64D, object ABI v1"},
      {EM_LOONGARCH, 64, LE, 0x3, NATIVE, "e_flags are not read (old-world ABI too)"},
      {EM_LOONGARCH, 32, LE, 0x7, WRONG, "ILP32: no compat in 6.1"},
  });
}

// Not Linux kernels: nothing runs on them.
TEST(ElfArch, NotLinuxKernels) {
  for (const Arch arch : {Arch::wasm, Arch::ebc, Arch::arm64_32, Arch::unknown}) {
    expect_cases(arch, {
        {EM_AARCH64, 32, LE, 0, WRONG, "arm64_32"},
        {EM_AARCH64, 64, LE, 0, WRONG, "arm64"},
        {EM_X86_64, 64, LE, 0, WRONG, "x86-64"},
    });
  }
}

}  // namespace
}  // namespace enoexec
