// What built a file, and the least CPU it demands. Filled in by src/evidence from clues the
// format readers collect; absent evidence stays empty, never guessed.
#pragma once

#include <string>
#include <vector>

namespace enoexec {

struct Toolchain {
  std::string language;  // "go", "rust", "c", "c++", "zig", "c#", ... ("" = unknown)
  std::string compiler;  // "gc", "rustc", "gcc", "clang", "msvc", "mingw-gcc", "zig", ...
  std::string version;   // "1.19.8", "12.2.0", ...
  std::string linker;    // "bfd", "gold", "lld", "mold", "apple-ld", "link.exe", "go", ...
  std::string linker_version;  // "14.0.6" (LLD), "1.16" (gold), "907.0" (Apple ld), "2.40" (PE)
  std::vector<std::string> evidence;  // each clue used: ".comment: GCC: (Debian 12.2.0-14) 12.2.0"
};

// One statement of a CPU requirement, from one source.
struct CpuLevelSource {
  std::string level;        // "v3", "v7", "mips32r2", "rva20u64", "v8.2"
  std::string source;       // "GNU property X86_ISA_1_NEEDED", "Go build setting GOAMD64=v3", "scan"
  bool found_by_scan = false;  // instructions present in code: a lower bound, not a declaration
};

struct CpuLevel {
  std::string isa;                    // "x86-64", "arm", "arm64", "mips", "riscv64", ...
  std::string level;                  // the highest level any source states
  std::vector<std::string> features;  // "VFPv3-D16", "NEON", "AVX2", "LSE", ...
  std::string source;                 // the source of `level`
  bool found_by_scan = false;
  std::vector<CpuLevelSource> sources;  // every source that states a level
};

}  // namespace enoexec
