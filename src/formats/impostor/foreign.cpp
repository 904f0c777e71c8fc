#include "formats/impostor/foreign.hpp"

#include <array>
#include <string_view>

namespace enoexec::impostor {
namespace {

Platform platform_of(Os os, Arch arch, int bits, Endian endian) {
  Platform platform;
  platform.os = os;
  platform.arch = arch;
  platform.bits = bits;
  platform.endian = endian;
  return platform;
}

// ---- AIX XCOFF (IBM, "XCOFF Object File Format", AIX 7.3 Files Reference) -----------------
// The file header is big-endian: f_magic (0x01DF 32-bit, 0x01F7 64-bit), f_nscns, f_timdat,
// then f_symptr/f_nsyms (widths differ), and in both at offset 16 f_opthdr and at 18 f_flags.
// The auxiliary header is 0, 28 (_AOUTHSZ_SHORT) or 72 bytes (XCOFF32), 0 or 120 (XCOFF64);
// section headers are 40 (XCOFF32) or 72 bytes (XCOFF64). The magic is two bytes only, so the
// auxiliary header size must be one of those and the section table must fit in the file.
constexpr std::uint16_t U802TOCMAGIC = 0x01df;
constexpr std::uint16_t U64_TOCMAGIC = 0x01f7;
constexpr std::uint16_t F_EXEC = 0x0002;
constexpr std::uint16_t F_SHROBJ = 0x2000;

std::optional<ForeignProgram> xcoff(ByteView file) {
  const auto magic = file.read<std::uint16_t>(0, Endian::big, "f_magic");
  if (!magic || (*magic != U802TOCMAGIC && *magic != U64_TOCMAGIC)) return std::nullopt;
  const bool wide = *magic == U64_TOCMAGIC;
  const std::uint64_t header_size = wide ? 24 : 20;
  const std::uint64_t section_size = wide ? 72 : 40;
  const auto nscns = file.read<std::uint16_t>(2, Endian::big, "f_nscns");
  const auto opthdr = file.read<std::uint16_t>(16, Endian::big, "f_opthdr");
  const auto flags = file.read<std::uint16_t>(18, Endian::big, "f_flags");
  if (!nscns || !opthdr || !flags || file.size() < header_size) return std::nullopt;
  const bool known_aux = *opthdr == 0 || (wide ? *opthdr == 120 : (*opthdr == 28 || *opthdr == 72));
  if (!known_aux || !file.contains(header_size + *opthdr, std::uint64_t{*nscns} * section_size))
    return std::nullopt;
  ForeignProgram program;
  program.kind = "xcoff";
  program.type = (*flags & F_SHROBJ) ? "shared-library" : (*flags & F_EXEC) ? "executable" : "relocatable";
  program.machine = wide ? "U64_TOCMAGIC" : "U802TOCMAGIC";
  program.bits = wide ? 64 : 32;
  program.endian = Endian::big;
  program.platform = platform_of(Os::aix, wide ? Arch::ppc64 : Arch::ppc, program.bits, Endian::big);
  return program;
}

// ---- Plan 9 a.out (Plan 9 manual a.out(6); /sys/include/a.out.h) -------------------------------
// Eight big-endian 32-bit words: magic, text, data, bss, syms, entry, spsz, pcsz; magics with
// HDR_MAGIC (0x8000) set add a 64-bit entry point. Each magic is _MAGIC(f, b) = f | ((4*b)+0)*b + 7
// for the architecture number b. The text and data the header promises must be in the file.
constexpr std::uint32_t HDR_MAGIC = 0x00008000;
constexpr std::uint32_t plan9_magic(std::uint32_t flags, std::uint32_t b) { return flags | ((4 * b) * b + 7); }

struct Plan9Arch {
  char letter;  // a.out.h names the magic <letter>_MAGIC (I_MAGIC for the 386)
  std::uint32_t magic;
  Arch arch;
  int bits;
  Endian endian;
};

constexpr std::array<Plan9Arch, 11> PLAN9_ARCHES{{
    {'A', plan9_magic(0, 8), Arch::m68k, 32, Endian::big},
    {'I', plan9_magic(0, 11), Arch::i386, 32, Endian::little},
    {'K', plan9_magic(0, 13), Arch::sparc, 32, Endian::big},
    {'V', plan9_magic(0, 16), Arch::mips, 32, Endian::big},
    {'E', plan9_magic(0, 20), Arch::arm, 32, Endian::little},
    {'Q', plan9_magic(0, 21), Arch::ppc, 32, Endian::big},
    {'N', plan9_magic(0, 22), Arch::mips64le, 64, Endian::little},  // MIPS 4000 little-endian
    {'P', plan9_magic(0, 24), Arch::mipsle, 32, Endian::little},
    {'S', plan9_magic(HDR_MAGIC, 26), Arch::amd64, 64, Endian::little},
    {'T', plan9_magic(HDR_MAGIC, 27), Arch::ppc64, 64, Endian::big},
    {'R', plan9_magic(HDR_MAGIC, 28), Arch::arm64, 64, Endian::little},
}};

std::optional<ForeignProgram> plan9(ByteView file) {
  const auto magic = file.read<std::uint32_t>(0, Endian::big, "a.out magic");
  if (!magic) return std::nullopt;
  for (const Plan9Arch& arch : PLAN9_ARCHES) {
    if (*magic != arch.magic) continue;
    const std::uint64_t header_size = (arch.magic & HDR_MAGIC) ? 40 : 32;
    const auto text = file.read<std::uint32_t>(4, Endian::big, "a.out text");
    const auto data = file.read<std::uint32_t>(8, Endian::big, "a.out data");
    if (!text || !data || *text == 0 || file.size() < header_size) return std::nullopt;
    // Whether the text size counts the header differs between loaders: ask for text and data only.
    if (std::uint64_t{*text} + *data > file.size()) return std::nullopt;
    ForeignProgram program;
    program.kind = "plan9-aout";
    program.type = "executable";
    program.machine = std::string(1, arch.letter) + "_MAGIC";
    program.bits = arch.bits;
    program.endian = arch.endian;
    program.platform = platform_of(Os::plan9, arch.arch, arch.bits, arch.endian);
    return program;
  }
  return std::nullopt;
}

// ---- COFF object files (Microsoft PE/COFF specification, "COFF File Header (Object and Image)") --
// A .obj starts straight with the COFF file header (20 bytes, little-endian): Machine,
// NumberOfSections, TimeDateStamp, PointerToSymbolTable, NumberOfSymbols, SizeOfOptionalHeader,
// Characteristics. Two bytes of machine type say little, so an object must also have no optional
// header, no IMAGE_FILE_EXECUTABLE_IMAGE flag, 1 or more sections whose 40-byte headers fit in the
// file, a symbol table (18-byte records) inside the file, and a printable first section name.
struct CoffMachine {
  std::uint16_t value;
  std::string_view name;
  Arch arch;
  int bits;
};

constexpr std::array<CoffMachine, 8> COFF_MACHINES{{
    {0x014c, "IMAGE_FILE_MACHINE_I386", Arch::i386, 32},
    {0x8664, "IMAGE_FILE_MACHINE_AMD64", Arch::amd64, 64},
    {0xaa64, "IMAGE_FILE_MACHINE_ARM64", Arch::arm64, 64},
    {0x01c4, "IMAGE_FILE_MACHINE_ARMNT", Arch::arm, 32},
    {0x01c0, "IMAGE_FILE_MACHINE_ARM", Arch::arm, 32},
    {0x0200, "IMAGE_FILE_MACHINE_IA64", Arch::ia64, 64},
    {0x5064, "IMAGE_FILE_MACHINE_RISCV64", Arch::riscv64, 64},
    {0x6264, "IMAGE_FILE_MACHINE_LOONGARCH64", Arch::loong64, 64},
}};

constexpr std::uint16_t IMAGE_FILE_EXECUTABLE_IMAGE = 0x0002;
constexpr std::uint64_t COFF_HEADER_SIZE = 20;
constexpr std::uint64_t COFF_SECTION_SIZE = 40;
constexpr std::uint64_t COFF_SYMBOL_SIZE = 18;

std::optional<ForeignProgram> coff_object(ByteView file) {
  const auto machine = file.read<std::uint16_t>(0, Endian::little, "Machine");
  if (!machine) return std::nullopt;
  const CoffMachine* known = nullptr;
  for (const CoffMachine& m : COFF_MACHINES)
    if (m.value == *machine) known = &m;
  if (known == nullptr) return std::nullopt;
  const auto sections = file.read<std::uint16_t>(2, Endian::little, "NumberOfSections");
  const auto symtab = file.read<std::uint32_t>(8, Endian::little, "PointerToSymbolTable");
  const auto symbols = file.read<std::uint32_t>(12, Endian::little, "NumberOfSymbols");
  const auto optional_size = file.read<std::uint16_t>(16, Endian::little, "SizeOfOptionalHeader");
  const auto characteristics = file.read<std::uint16_t>(18, Endian::little, "Characteristics");
  if (!sections || !symtab || !symbols || !optional_size || !characteristics) return std::nullopt;
  if (*optional_size != 0 || (*characteristics & IMAGE_FILE_EXECUTABLE_IMAGE) || *sections == 0)
    return std::nullopt;
  if (!file.contains(COFF_HEADER_SIZE, std::uint64_t{*sections} * COFF_SECTION_SIZE)) return std::nullopt;
  if (*symtab != 0 && !file.contains(*symtab, std::uint64_t{*symbols} * COFF_SYMBOL_SIZE)) return std::nullopt;
  const auto first = file.u8(COFF_HEADER_SIZE, "section name");
  if (!first || *first <= 0x20 || *first >= 0x7f) return std::nullopt;
  ForeignProgram program;
  program.kind = "coff-object";
  program.type = "relocatable";
  program.machine = std::string(known->name);
  program.bits = known->bits;
  program.endian = Endian::little;
  // COFF objects are the Windows toolchains' object format (MSVC, MinGW, clang-cl).
  program.platform = platform_of(Os::windows, known->arch, known->bits, Endian::little);
  return program;
}

// ---- WebAssembly (WebAssembly Core Specification 2.0, 5.5 Modules; component-model Binary.md) --
// "\0asm", then a 4-byte version: 01 00 00 00 for a module, 0d 00 01 00 (version 0x0d, layer 1)
// for a component. The platform is not in the header: it is read from the module name of the
// first import, which Go's ports and WASI runtimes fix: "wasi_snapshot_preview1" (or the older
// "wasi_unstable") for WASI preview 1, "gojs" for Go's js/wasm ("go" before Go 1.21, whose
// misc/wasm/wasm_exec.js named its import object so).
constexpr std::uint8_t IMPORT_SECTION = 2;
constexpr int MAX_SECTIONS_BEFORE_IMPORTS = 64;

// An unsigned LEB128 of at most 32 bits, read at `at`, which it moves past.
std::optional<std::uint32_t> uleb32(ByteView file, std::uint64_t& at) {
  std::uint32_t value = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    const auto byte = file.u8(at, "LEB128");
    if (!byte) return std::nullopt;
    ++at;
    value |= static_cast<std::uint32_t>(*byte & 0x7f) << shift;
    if ((*byte & 0x80) == 0) return value;
  }
  return std::nullopt;
}

std::optional<Os> wasm_os(ByteView file) {
  std::uint64_t at = 8;
  for (int n = 0; n < MAX_SECTIONS_BEFORE_IMPORTS && at < file.size(); ++n) {
    const auto id = file.u8(at++, "section id");
    const auto size = uleb32(file, at);
    if (!id || !size || !file.contains(at, *size)) return std::nullopt;
    if (*id > IMPORT_SECTION) return std::nullopt;  // sections come in order: no imports
    if (*id != IMPORT_SECTION) {
      at += *size;
      continue;
    }
    const ByteView section = file.clamp(at, *size);
    std::uint64_t pos = 0;
    const auto count = uleb32(section, pos);
    const auto length = count && *count > 0 ? uleb32(section, pos) : std::nullopt;
    if (!length || !section.contains(pos, *length)) return std::nullopt;
    const std::string_view module = section.as_chars().substr(pos, *length);
    if (module == "wasi_snapshot_preview1" || module == "wasi_unstable") return Os::wasip1;
    if (module == "gojs" || module == "go") return Os::js;
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<ForeignProgram> wasm(ByteView file) {
  using namespace std::string_view_literals;
  const std::string_view chars = file.as_chars();
  if (chars.size() < 8 || chars.substr(0, 4) != "\0asm"sv) return std::nullopt;
  ForeignProgram program;
  program.kind = "wasm";
  const std::string_view version = chars.substr(4, 4);
  program.type = version == "\x01\0\0\0"sv ? "module" : version == "\x0d\0\x01\0"sv ? "component" : "";
  program.bits = 32;
  if (program.type == "module")
    if (auto os = wasm_os(file)) program.platform = platform_of(*os, Arch::wasm, 32, Endian::little);
  return program;
}

}  // namespace

std::optional<ForeignProgram> foreign_program(ByteView file) {
  if (auto program = wasm(file)) return program;
  if (auto program = xcoff(file)) return program;
  if (auto program = plan9(file)) return program;
  return coff_object(file);
}

}  // namespace enoexec::impostor
