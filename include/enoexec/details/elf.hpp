// Facts read from an ELF file, class- and byte-order-independent (Go's debug/elf approach).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "enoexec/name_list.hpp"

namespace enoexec {

struct ElfSegment {
  std::string type;  // "PT_LOAD", "PT_INTERP", ... or "0x6474e553" for unnamed values
  std::uint64_t offset = 0, vaddr = 0, filesz = 0, memsz = 0, align = 0;
  std::uint32_t flags = 0;  // PF_R/PF_W/PF_X
};

// One Elf_Vernaux: a version this file needs from a library, and the symbols bound to it.
struct ElfVersionNeed {
  std::string library;               // "libc.so.6"
  std::string version;               // "GLIBC_2.34"
  NameList symbols;      // dynamic symbols whose versym names this version
};

// The highest version of a versioned library family (GLIBC, GLIBCXX, CXXABI) the file needs.
struct ElfVersionMin {
  std::string version;               // "2.34"
  NameList symbols;      // the symbols that need exactly that version
};

struct ElfArm {
  int eabi_version = 0;             // e_flags >> 24; 0 = old ABI (OABI/GNU)
  std::string float_abi;            // "hard", "soft", "softfp", "" when not stated
  std::string cpu_arch;             // .ARM.attributes Tag_CPU_arch: "v4T", "v5TE", "v6", "v6K", "v7", "v8", ...
  std::string cpu_profile;          // "A", "R", "M", "" (Tag_CPU_arch_profile)
  std::string cpu_name;             // Tag_CPU_name
  std::string fp_arch;              // Tag_FP_arch: "VFPv2", "VFPv3-D16", "VFPv4", "", ...
  std::string simd;                 // Tag_Advanced_SIMD_arch: "NEONv1", "", ...
  bool thumb_entry = false;         // entry point is odd
};

struct ElfMips {
  std::string isa;         // "mips1" .. "mips64r6"
  std::string abi;         // "o32", "n32", "n64", "o64", "eabi32", "eabi64"
  bool nan2008 = false;
  std::string float_abi;   // "hard", "soft", "single", "fp64", "fpxx", "" (from .MIPS.abiflags or e_flags)
  bool pic = false;
  bool cpic = false;
};

struct ElfRiscv {
  std::string float_abi;   // "soft", "single", "double", "quad"
  bool rvc = false;        // compressed instructions
  bool rve = false;        // RV32E/RV64E
  bool tso = false;
  std::string arch;        // .riscv.attributes Tag_RISCV_arch: "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0"
};

struct ElfLoongArch {
  std::string float_abi;   // "soft", "single", "double"
  int object_abi = 0;      // e_flags bits 6-7
};

struct ElfNotes {
  std::optional<std::string> abi_tag_os;      // NT_GNU_ABI_TAG: "Linux", "GNU/Hurd", "Solaris", "FreeBSD"
  std::optional<std::string> abi_tag_kernel;  // minimum kernel, "3.2.0"
  std::optional<std::string> build_id;        // NT_GNU_BUILD_ID, lower-case hex
  std::optional<std::string> go_build_id;     // "Go" note type 4
  std::optional<int> x86_isa_needed;          // GNU_PROPERTY_X86_ISA_1_NEEDED -> highest level 1..4
  std::vector<std::string> x86_features;      // "IBT", "SHSTK" (GNU_PROPERTY_X86_FEATURE_1_AND)
  std::vector<std::string> aarch64_features;  // "BTI", "PAC"
  std::optional<std::string> freebsd_version; // NT_FREEBSD_ABI_TAG: "1302001"
  std::optional<std::string> netbsd_version;  // "NetBSD" ident note: "9.3" / raw number
  bool openbsd = false;                       // "OpenBSD" ident note
  std::optional<int> android_api;             // "Android" note type 1
  std::vector<std::string> other;             // "owner/type" of notes not understood, for -v
};

struct ElfDetails {
  std::uint8_t osabi = 0;
  std::string osabi_name;          // "SYSV", "FreeBSD", "GNU/Linux", ...
  std::uint8_t abi_version = 0;
  std::uint16_t e_type = 0;
  std::uint16_t e_machine = 0;
  std::uint32_t e_flags = 0;
  std::vector<std::string> flags;  // e_flags in words: "EABI5", "hard-float", "RVC", "double-float ABI"
  std::uint64_t entry = 0;

  std::vector<ElfSegment> segments;
  // Largest power of two P (4 KiB .. 64 KiB checked) with p_offset ≡ p_vaddr (mod P) for every
  // PT_LOAD: the largest page size this file can be mapped with. 0 when no PT_LOAD.
  std::uint64_t max_page_size = 0;
  std::uint64_t max_load_align = 0;  // largest power-of-two p_align among PT_LOADs

  bool has_section_headers = false;
  std::uint64_t section_count = 0;
  NameList sections;  // section names, in file order

  std::optional<std::string> soname;
  std::vector<std::string> runpath, rpath;
  bool df_1_pie = false;
  bool bind_now = false;

  std::vector<ElfVersionNeed> version_needs;
  std::optional<ElfVersionMin> glibc_min, glibcxx_min, cxxabi_min;

  ElfNotes notes;
  std::optional<ElfArm> arm;
  std::optional<ElfMips> mips;
  std::optional<ElfRiscv> riscv;
  std::optional<int> ppc64_abi;  // 1 = ELFv1 (function descriptors), 2 = ELFv2, 0 = unspecified
  std::optional<ElfLoongArch> loongarch;
};

}  // namespace enoexec
