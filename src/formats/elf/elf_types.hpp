// ELF spec constants (System V gABI, GNU and processor supplements) with the spec's spelling, and
// the class-independent header records the reader works with. No parsing logic here.
#pragma once

#include <cstdint>

namespace enoexec::elf {

// e_ident
inline constexpr std::uint64_t EI_NIDENT = 16;
inline constexpr std::uint64_t EI_CLASS = 4, EI_DATA = 5, EI_VERSION = 6, EI_OSABI = 7,
                               EI_ABIVERSION = 8;
inline constexpr std::uint8_t ELFCLASS32 = 1, ELFCLASS64 = 2;
inline constexpr std::uint8_t ELFDATA2LSB = 1, ELFDATA2MSB = 2;
inline constexpr std::uint8_t EV_CURRENT = 1;

// EI_OSABI values that name an operating system.
inline constexpr std::uint8_t ELFOSABI_SYSV = 0, ELFOSABI_NETBSD = 2, ELFOSABI_GNU = 3,
                              ELFOSABI_HURD = 4, ELFOSABI_SOLARIS = 6, ELFOSABI_AIX = 7,
                              ELFOSABI_FREEBSD = 9, ELFOSABI_OPENBSD = 12;

// e_type
inline constexpr std::uint16_t ET_NONE = 0, ET_REL = 1, ET_EXEC = 2, ET_DYN = 3, ET_CORE = 4;

// e_machine values the reader branches on (the full name table is elf_machines.def).
inline constexpr std::uint16_t EM_SPARC = 2, EM_386 = 3, EM_MIPS = 8, EM_PPC = 20, EM_PPC64 = 21,
                               EM_S390 = 22, EM_ARM = 40, EM_X86_64 = 62, EM_AARCH64 = 183,
                               EM_RISCV = 243, EM_LOONGARCH = 258, EM_ALPHA = 0x9026;

// Extended numbering: when a count does not fit its 16-bit header field it lives in section 0.
inline constexpr std::uint16_t PN_XNUM = 0xffff;
inline constexpr std::uint16_t SHN_UNDEF = 0, SHN_LORESERVE = 0xff00, SHN_XINDEX = 0xffff;

// p_type
inline constexpr std::uint32_t PT_NULL = 0, PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3,
                               PT_NOTE = 4, PT_SHLIB = 5, PT_PHDR = 6, PT_TLS = 7;
inline constexpr std::uint32_t PT_GNU_EH_FRAME = 0x6474e550, PT_GNU_STACK = 0x6474e551,
                               PT_GNU_RELRO = 0x6474e552, PT_GNU_PROPERTY = 0x6474e553,
                               PT_GNU_SFRAME = 0x6474e554;
inline constexpr std::uint32_t PT_LOPROC = 0x70000000;
inline constexpr std::uint32_t PT_ARM_EXIDX = 0x70000001;
inline constexpr std::uint32_t PT_MIPS_ABIFLAGS = 0x70000003;
inline constexpr std::uint32_t PT_RISCV_ATTRIBUTES = 0x70000003;

// sh_type
inline constexpr std::uint32_t SHT_NULL = 0, SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3,
                               SHT_NOTE = 7, SHT_NOBITS = 8, SHT_DYNSYM = 11;
inline constexpr std::uint32_t SHT_GNU_verneed = 0x6ffffffe, SHT_GNU_versym = 0x6fffffff;
inline constexpr std::uint32_t SHT_ARM_ATTRIBUTES = 0x70000003;
inline constexpr std::uint32_t SHT_RISCV_ATTRIBUTES = 0x70000003;
inline constexpr std::uint32_t SHT_MIPS_ABIFLAGS = 0x7000002a;

// d_tag
inline constexpr std::uint64_t DT_NULL = 0, DT_NEEDED = 1, DT_HASH = 4, DT_STRTAB = 5,
                               DT_SYMTAB = 6, DT_STRSZ = 10, DT_SYMENT = 11, DT_SONAME = 14,
                               DT_RPATH = 15, DT_BIND_NOW = 24, DT_RUNPATH = 29, DT_FLAGS = 30;
inline constexpr std::uint64_t DT_GNU_HASH = 0x6ffffef5, DT_VERSYM = 0x6ffffff0,
                               DT_FLAGS_1 = 0x6ffffffb, DT_VERNEED = 0x6ffffffe,
                               DT_VERNEEDNUM = 0x6fffffff;
inline constexpr std::uint64_t DF_BIND_NOW = 0x8;
inline constexpr std::uint64_t DF_1_NOW = 0x1, DF_1_PIE = 0x08000000;

// Symbol versioning: the hidden bit of a versym entry, and the first index a Vernaux can use.
inline constexpr std::uint16_t VERSYM_HIDDEN = 0x8000, VERSYM_VERSION = 0x7fff;

// The kernel's bounds on PT_INTERP (fs/binfmt_elf.c): at least "x\0", at most PATH_MAX.
inline constexpr std::uint64_t kInterpMinSize = 2, kInterpMaxSize = 4096;

// Record sizes per class.
inline constexpr std::uint64_t header_size(int bits) { return bits == 64 ? 64 : 52; }
inline constexpr std::uint64_t phdr_size(int bits) { return bits == 64 ? 56 : 32; }
inline constexpr std::uint64_t shdr_size(int bits) { return bits == 64 ? 64 : 40; }
inline constexpr std::uint64_t dyn_size(int bits) { return bits == 64 ? 16 : 8; }
inline constexpr std::uint64_t sym_size(int bits) { return bits == 64 ? 24 : 16; }
inline constexpr std::uint64_t kVerneedSize = 16, kVernauxSize = 16;

// Class- and byte-order-independent records (every address and offset widened to 64 bits).
struct FileHeader {
  std::uint8_t ei_class = 0, ei_data = 0, ei_version = 0, osabi = 0, abi_version = 0;
  std::uint16_t type = 0, machine = 0;
  std::uint32_t version = 0, flags = 0;
  std::uint64_t entry = 0, phoff = 0, shoff = 0;
  std::uint16_t ehsize = 0, phentsize = 0, phnum = 0, shentsize = 0, shnum = 0, shstrndx = 0;
};

struct ProgramHeader {
  std::uint32_t type = 0, flags = 0;
  std::uint64_t offset = 0, vaddr = 0, paddr = 0, filesz = 0, memsz = 0, align = 0;
};

struct SectionHeader {
  std::uint32_t name = 0, type = 0;
  std::uint64_t flags = 0, addr = 0, offset = 0, size = 0;
  std::uint32_t link = 0, info = 0;
  std::uint64_t addralign = 0, entsize = 0;
};

}  // namespace enoexec::elf
