// The least CPU a file demands, from every source that states it. Format-neutral: the adapters
// beside it (toolchain_evidence) fill `CpuClues` from the file's metadata (and, when asked, a
// code scan).
//
// Sources and the level vocabulary each uses (levels are compared within one ISA):
//   x86-64   GNU_PROPERTY_X86_ISA_1_NEEDED note, Go GOAMD64, Mach-O x86_64h: "v1".."v4";
//            a code scan (x86::scan_x86_64) gives a lower bound, marked found_by_scan
//   x86      GNU property (same levels), Go GO386=sse2: "sse2"
//   arm      .ARM.attributes Tag_CPU_arch ("v5TE", "v6K", "v7") with Tag_FP_arch and
//            Tag_Advanced_SIMD_arch as features; Go GOARM=5/6/7 ("v5" soft-float, "v6" VFPv2,
//            "v7" VFPv3); Mach-O armv6/armv7/armv7s/armv7k
//   arm64    Go GOARM64 ("v8.0".."v9.5", features "LSE", "crypto"); Mach-O arm64e ("v8.3",
//            pointer authentication)
//   mips*    the ISA of e_flags / .MIPS.abiflags: "mips32r2", "mips64r6", ...
//   riscv*   .riscv.attributes Tag_RISCV_arch ("rv64imafdc", features "zicsr", "zba", ...);
//            Go GORISCV64 ("rva20u64", "rva22u64", "rva23u64")
//   ppc64*   Go GOPPC64 ("power8", "power9", "power10")
// `level` is the highest level any source states, when the sources' levels can be ordered
// ("v" + number, the RVA profile year, the POWER generation); otherwise the first source's.
#pragma once

#include <optional>
#include <string>

#include "enoexec/details/go.hpp"
#include "enoexec/details/toolchain.hpp"
#include "evidence/x86_isa_scan.hpp"

namespace enoexec::toolchain {

struct CpuClues {
  std::string isa;  // "x86-64", "x86", "arm", "arm64", "mips", "mips64", "riscv64", "ppc64", ...
  std::optional<int> x86_isa_needed;  // GNU_PROPERTY_X86_ISA_1_NEEDED: 1..4
  // .ARM.attributes
  std::string arm_cpu_arch, arm_fp_arch, arm_simd;
  // MIPS ISA and the structure that stated it (".MIPS.abiflags" or "e_flags")
  std::string mips_isa, mips_isa_source;
  std::string riscv_arch;       // .riscv.attributes Tag_RISCV_arch
  std::string macho_arch_name;  // the slice's lipo name: "x86_64h", "armv7s", "arm64e"
  const GoBuildInfo* go = nullptr;
  // A scan of the executable code (x86-64 only), with where it looked ("section .text").
  std::optional<x86::IsaScan> scan;
  std::string scan_where;
};

std::optional<CpuLevel> cpu_level(const CpuClues& clues);

// Does any metadata source (not a scan) state an x86-64 level above the baseline? The scan is
// only worth running when none does.
bool x86_level_stated_above_baseline(const CpuClues& clues);

// "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0" -> "rv64imafdc" and {"zicsr"}.
struct RiscvArch {
  std::string base;  // "rv64imafdc"
  std::vector<std::string> extensions;
};
std::optional<RiscvArch> parse_riscv_arch(std::string_view arch);

}  // namespace enoexec::toolchain
