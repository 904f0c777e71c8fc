// The x86-64 micro-architecture level (psABI "x86-64-v2/v3/v4") that a stretch of 64-bit machine
// code uses, found by a linear-sweep decode of its instructions. For files whose metadata states
// no level (no GOAMD64 build setting, no GNU_PROPERTY_X86_ISA_1_NEEDED note).
//
// Levels, as the x86-64 psABI table "Micro-Architecture Levels" and GCC's -march=x86-64-vN define
// them (each level includes the ones below):
//   v1  CMOV, CX8, FPU, FXSR, MMX, OSFXSR, SCE, SSE, SSE2 (every x86-64 CPU)
//   v2  CMPXCHG16B, LAHF-SAHF, POPCNT, SSE3, SSE4.1, SSE4.2, SSSE3
//   v3  AVX, AVX2, BMI1, BMI2, F16C, FMA, LZCNT, MOVBE, OSXSAVE
//   v4  AVX512F, AVX512BW, AVX512CD, AVX512DQ, AVX512VL
//
// What the scan classifies (see x86_opcode_tables.def for the exact opcode rows):
//   - legacy encodings: POPCNT, LZCNT, MOVBE, CRC32 and PCMPxSTRx (SSE4.2), SSE3 (incl. x87
//     FISTTP), SSSE3, SSE4.1, CMPXCHG16B (REX.W 0F C7 /1), LAHF/SAHF (9F/9E);
//   - every VEX instruction is v3, named AVX2, BMI1, BMI2, F16C, FMA or FMA4 where the opcode
//     tells, else AVX; VEX-encoded opmask instructions (KMOVW, KANDW, ...) are v4 (AVX512F);
//   - every EVEX instruction in maps 1-3 is v4 (AVX512F, which all AVX-512 subsets imply), maps
//     5-6 are AVX512-FP16 (v4).
// Deliberately level 1 (not in any level, or not told apart from v1 code):
//   - TZCNT (F3 0F BC): compilers emit it as `rep bsf` in generic x86-64 code, where it runs as
//     BSF on older CPUs;
//   - MONITOR/MWAIT (own CPUID bit), XSAVE/XGETBV family (runtime dispatch probes use XGETBV;
//     OSXSAVE is an OS-enabled state bit, not an instruction), AES-NI, PCLMULQDQ, SHA, ADX,
//     RDRAND/RDSEED, FSGSBASE, SSE4a, 3DNow!, XOP (8F with map >= 8, AMD only), VEX map 7,
//     and APX (REX2 D5, EVEX map 4): decoded for their length only.
//
// Limits, which the caller must pass on to the user:
//   - The scan reports instructions PRESENT, not instructions that RUN. Code with runtime CPU
//     dispatch (glibc's IFUNC string functions, Go's internal/cpu checks, libraries that probe
//     CPUID) holds v3/v4 instructions it never executes on older CPUs, so a scanned level is
//     evidence "found by scan", never a stated requirement. Skipping dispatch-guarded code is
//     not possible in general: which branch guards which function is a property of control flow
//     and data (function-pointer tables, IFUNC resolvers), not of the bytes of the instructions.
//   - A linear sweep treats data inside code (jump tables, literal pools, padding) as
//     instructions; x86's self-synchronising encoding brings the sweep back in step within a few
//     instructions, but a few bytes of data may decode as a spurious instruction. Invalid forms
//     (opcodes #UD in 64-bit mode, undefined group members, VEX map-1 opcodes that do not exist
//     with their VEX.pp) are refused so that data passes for AVX less often; VEX maps 2-3 and
//     EVEX are not checked opcode by opcode, because new extensions keep filling them and
//     refusing a real instruction would put the sweep out of step.
//   - 66-prefixed near branches (66 E8/E9/0F 8x) are decoded with a rel32 as Intel CPUs do;
//     AMD CPUs and objdump use rel16. Compilers do not emit them.
//
// Agreement: instruction boundaries match `objdump -d` exactly on compiler output (/bin/ls,
// libc, libstdc++, python3, cmake .text) and on libdav1d's hand-written AVX2/AVX-512 assembly.
//
// Cost: O(bytes scanned), no recursion, no allocation per instruction, about 175 MB/s (-O2, one
// core); the scan stops at the budget (checked at instruction starts, so up to 14 bytes more may
// be read) and at the first v4 instruction, since nothing can raise the level further.
#pragma once

#include <cstdint>
#include <string>

#include "support/byte_view.hpp"

namespace enoexec::x86 {

// The default byte budget per scanned section: 4 MiB covers the whole .text of nearly every
// program (coreutils ~100 KiB, libc ~1.4 MiB) and takes about 25 ms at most; larger sections
// (cmake's is 7.5 MiB) are scanned in part and the level is reported as a lower bound.
inline constexpr std::uint64_t kDefaultScanBudget = 4 * 1024 * 1024;

struct IsaScan {
  int level = 1;                   // 1..4: highest level any decoded instruction needs
  std::string first_feature;       // the feature that raised it to `level`, e.g. "AVX2", "POPCNT"
  std::uint64_t first_offset = 0;  // file offset of that instruction (its first prefix byte)
  std::uint64_t bytes_scanned = 0;
  bool budget_exhausted = false;   // stopped at the byte budget: the level is a lower bound
  std::uint64_t undecodable = 0;   // bytes skipped because they did not decode (data in code)
};

// Linear-sweep decode of 64-bit-mode machine code (one executable section or segment): decodes
// the instructions that start within the first `budget` bytes. `code.file_offset()` is the file
// offset of its first byte, for first_offset.
IsaScan scan_x86_64(ByteView code, std::uint64_t budget = kDefaultScanBudget);

// One decoded instruction, for tests and cross-checks against a disassembler.
struct Instruction {
  std::uint32_t length = 0;  // 0: the bytes at this offset do not decode
  int level = 1;
  const char* feature = "";  // "" below v2
};

// Decodes the instruction that starts at `offset` of `code` (never reads past the view or past
// 15 bytes).
Instruction decode_x86_64(ByteView code, std::uint64_t offset);

}  // namespace enoexec::x86
