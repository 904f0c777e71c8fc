#include "evidence/toolchain_evidence.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "formats/elf/elf_symbols.hpp"

namespace enoexec {
namespace {

constexpr std::uint64_t SHF_EXECINSTR = 0x4;
constexpr std::uint32_t SHT_NOBITS = 8;
constexpr std::uint32_t PF_X = 0x1;
constexpr std::uint16_t EM_386 = 3, EM_MIPS = 8, EM_PPC = 20, EM_PPC64 = 21, EM_S390 = 22,
                        EM_ARM = 40, EM_X86_64 = 62, EM_AARCH64 = 183, EM_RISCV = 243,
                        EM_LOONGARCH = 258;
constexpr std::uint64_t kMaxGoldNoteBytes = 256;

const elf::Section* section_named(const elf::ElfFile& elf, std::string_view name) {
  for (const auto& section : elf.sections)
    if (section.name == name) return &section;
  return nullptr;
}

// A section's bytes, at most `limit`, cut at the end of the file.
ByteView section_bytes(ByteView file, const elf::Section& section, std::uint64_t limit) {
  return file.clamp(section.offset, std::min(section.size, limit));
}

std::vector<std::string> read_comments(ByteView file, const elf::ElfFile& elf,
                                       std::vector<std::string>& warnings) {
  const elf::Section* comment = section_named(elf, ".comment");
  if (comment == nullptr || comment->type == SHT_NOBITS) return {};
  if (comment->size > kMaxCommentBytes)
    warnings.push_back(fmt::format(".comment at offset {:#x} holds {} bytes; only the first {} "
                                   "were read for the toolchain fingerprint",
                                   comment->offset, comment->size, kMaxCommentBytes));
  return comment_strings(section_bytes(file, *comment, kMaxCommentBytes));
}

// NT_GNU_GOLD_VERSION (the only note of .note.gnu.gold-version): namesz, descsz, type, "GNU\0",
// then the version text, "gold 1.16".
std::optional<std::string> gold_version(ByteView file, const elf::ElfFile& elf) {
  const elf::Section* section = section_named(elf, ".note.gnu.gold-version");
  if (section == nullptr) return std::nullopt;
  const ByteView note = section_bytes(file, *section, kMaxGoldNoteBytes);
  auto namesz = note.read<std::uint32_t>(0, elf.endian, "namesz");
  auto descsz = note.read<std::uint32_t>(4, elf.endian, "descsz");
  if (!namesz || !descsz || *namesz != 4) return std::nullopt;
  auto text = note.sub(16, *descsz, "gold version");
  if (!text) return std::nullopt;
  std::string out(text->as_chars());
  out.erase(std::find(out.begin(), out.end(), '\0'), out.end());
  return out.empty() ? std::nullopt : std::optional<std::string>(out);
}

std::vector<std::string> version_names(const ElfDetails& details) {
  std::vector<std::string> out;
  for (const auto& need : details.version_needs)
    if (std::find(out.begin(), out.end(), need.version) == out.end()) out.push_back(need.version);
  return out;
}

std::string isa_of(const elf::ElfFile& elf) {
  switch (elf.details.e_machine) {
    case EM_X86_64: return "x86-64";
    case EM_386: return "x86";
    case EM_ARM: return "arm";
    case EM_AARCH64: return "arm64";
    case EM_MIPS: return elf.bits == 64 ? "mips64" : "mips";
    case EM_RISCV: return elf.bits == 64 ? "riscv64" : "riscv32";
    case EM_PPC64: return "ppc64";
    case EM_PPC: return "ppc";
    case EM_S390: return "s390x";
    case EM_LOONGARCH: return "loong64";
    default: return "";
  }
}

// One stretch of code to scan, with its name for the report.
struct CodeRegion {
  ByteView bytes;
  std::string name;
};

std::vector<CodeRegion> code_regions(ByteView file, const elf::ElfFile& elf) {
  std::vector<CodeRegion> out;
  for (const auto& section : elf.sections)
    if ((section.flags & SHF_EXECINSTR) != 0 && section.type != SHT_NOBITS && section.size > 0)
      out.push_back({section_bytes(file, section, section.size), fmt::format("section {}", section.name)});
  if (!out.empty() || elf.details.has_section_headers) return out;
  for (const auto& segment : elf.details.segments)
    if (segment.type == "PT_LOAD" && (segment.flags & PF_X) != 0 && segment.filesz > 0)
      out.push_back({file.clamp(segment.offset, segment.filesz),
                     fmt::format("PT_LOAD at offset {:#x}", segment.offset)});
  return out;
}

void merge_scan(x86::IsaScan& total, const x86::IsaScan& part) {
  if (part.level > total.level) {
    total.level = part.level;
    total.first_feature = part.first_feature;
    total.first_offset = part.first_offset;
  }
  total.bytes_scanned += part.bytes_scanned;
  total.undecodable += part.undecodable;
  total.budget_exhausted = total.budget_exhausted || part.budget_exhausted;
}

void apply_libc(const toolchain::LibcClue& clue, FileReport& report) {
  if (!report.platform) return;
  const bool is_static =
      report.linkage == Linkage::static_exe || report.linkage == Linkage::static_pie;
  if (!is_static) return;
  const Libc known = report.platform->libc;
  if (known == Libc::unknown) {
    report.platform->libc = clue.libc;
    report.evidence.push_back({"libc", std::string(to_string(clue.libc)), clue.source});
  } else if (known != clue.libc) {
    report.warnings.push_back(fmt::format("libc: the file states {}, but its {}", to_string(known),
                                          clue.source));
  }
}

}  // namespace

std::vector<std::string> comment_strings(ByteView comment) {
  std::vector<std::string> out;
  const std::string_view text = comment.as_chars();
  std::size_t at = 0;
  while (at < text.size() && out.size() < kMaxCommentStrings) {
    std::size_t end = text.find('\0', at);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(at, std::min(end - at, kMaxCommentLength)));
    at = end + 1;
    if (!line.empty() && std::find(out.begin(), out.end(), line) == out.end())
      out.push_back(std::move(line));
  }
  return out;
}

toolchain::Clues elf_toolchain_clues(ByteView file, const elf::ElfFile& elf,
                                     const FileReport& report,
                                     std::vector<std::string>& warnings) {
  toolchain::Clues clues;
  clues.format = "elf";
  clues.comments = read_comments(file, elf, warnings);
  clues.sections.assign(elf.details.sections.begin(), elf.details.sections.end());
  clues.needed = elf.needed;
  clues.version_needs = version_names(elf.details);
  clues.gold_version = gold_version(file, elf);
  clues.go_build_id_note = elf.details.notes.go_build_id.has_value();
  clues.go = report.go ? &*report.go : nullptr;
  auto scan = elf::for_each_symbol_name(
      file, elf, [&clues](std::span<const std::string_view> names) {
        for (const std::string_view name : names) clues.symbols.add(name);
      });
  clues.symbols.has_symtab = scan.has_symtab;
  clues.symbols.complete = scan.symtab_complete;
  warnings.insert(warnings.end(), scan.warnings.begin(), scan.warnings.end());
  return clues;
}

toolchain::CpuClues elf_cpu_clues(const elf::ElfFile& elf, const FileReport& report) {
  toolchain::CpuClues clues;
  const ElfDetails& details = elf.details;
  clues.isa = isa_of(elf);
  clues.x86_isa_needed = details.notes.x86_isa_needed;
  if (details.arm) {
    clues.arm_cpu_arch = details.arm->cpu_arch;
    clues.arm_fp_arch = details.arm->fp_arch;
    clues.arm_simd = details.arm->simd;
  }
  if (details.mips && !details.mips->isa.empty()) {
    clues.mips_isa = details.mips->isa;
    // The reader prefers .MIPS.abiflags and falls back on e_flags EF_MIPS_ARCH.
    const bool abiflags = section_named(elf, ".MIPS.abiflags") != nullptr ||
                          std::any_of(details.segments.begin(), details.segments.end(),
                                      [](const ElfSegment& s) { return s.type == "PT_MIPS_ABIFLAGS"; });
    clues.mips_isa_source = abiflags ? ".MIPS.abiflags isa_level/isa_rev" : "e_flags EF_MIPS_ARCH";
  }
  if (details.riscv) clues.riscv_arch = details.riscv->arch;
  clues.go = report.go ? &*report.go : nullptr;
  return clues;
}

void scan_elf_code(ByteView file, const elf::ElfFile& elf, std::uint64_t budget,
                   toolchain::CpuClues& clues) {
  const std::vector<CodeRegion> regions = code_regions(file, elf);
  if (regions.empty()) return;
  x86::IsaScan total;
  std::string where;
  std::uint64_t remaining = budget;
  for (const auto& region : regions) {
    if (remaining == 0) {
      total.budget_exhausted = true;
      break;
    }
    const x86::IsaScan part = x86::scan_x86_64(region.bytes, remaining);
    merge_scan(total, part);
    where += (where.empty() ? "" : ", ") + region.name;
    remaining -= std::min(remaining, part.bytes_scanned);
    if (total.level == 4) break;
  }
  clues.scan = total;
  clues.scan_where = where;
}

void apply_toolchain_evidence(ByteView file, const elf::ElfFile& elf, FileReport& report,
                              const InspectOptions& options) {
  const toolchain::Clues clues = elf_toolchain_clues(file, elf, report, report.warnings);
  toolchain::Fingerprint found = toolchain::fingerprint(clues);
  report.toolchain = std::move(found.toolchain);
  if (found.libc) apply_libc(*found.libc, report);

  toolchain::CpuClues cpu = elf_cpu_clues(elf, report);
  if (options.scan_code && elf.details.e_machine == EM_X86_64 && elf.bits == 64 &&
      !toolchain::x86_level_stated_above_baseline(cpu))
    scan_elf_code(file, elf, options.scan_budget, cpu);
  report.cpu_level = toolchain::cpu_level(cpu);
}

// ---- PE ----

namespace {

constexpr std::uint16_t IMAGE_FILE_MACHINE_AMD64 = 0x8664;
constexpr std::uint32_t IMAGE_SCN_MEM_EXECUTE = 0x20000000;

// The distinct "GCC: (...) version" strings in `bytes`, NUL-terminated as GCC's .ident is.
std::vector<std::string> gcc_idents(ByteView bytes) {
  std::vector<std::string> out;
  const std::string_view text = bytes.as_chars();
  for (std::size_t at = text.find("GCC: ("); at != std::string_view::npos && out.size() < kMaxPeIdents;
       at = text.find("GCC: (", at + 1)) {
    const std::size_t end = text.find('\0', at);
    if (end == std::string_view::npos || end - at > kMaxCommentLength) continue;
    std::string ident(text.substr(at, end - at));
    if (std::find(out.begin(), out.end(), ident) == out.end()) out.push_back(std::move(ident));
  }
  return out;
}

ByteView pe_section_bytes(ByteView file, const PeSection& section, std::uint64_t limit) {
  return file.clamp(section.raw_offset, std::min<std::uint64_t>(section.raw_size, limit));
}

std::string pe_isa(std::uint16_t machine) {
  switch (machine) {
    case IMAGE_FILE_MACHINE_AMD64: return "x86-64";
    case 0x14c: return "x86";
    case 0xaa64: return "arm64";
    case 0x1c0:
    case 0x1c4: return "arm";
    default: return "";
  }
}

void scan_pe_code(ByteView file, const PeDetails& pe, std::uint64_t budget,
                  toolchain::CpuClues& clues) {
  x86::IsaScan total;
  std::string where;
  std::uint64_t remaining = budget;
  bool any = false;
  for (const auto& section : pe.sections) {
    if ((section.characteristics & IMAGE_SCN_MEM_EXECUTE) == 0 || section.raw_size == 0) continue;
    if (remaining == 0) {
      total.budget_exhausted = true;
      break;
    }
    const x86::IsaScan part =
        x86::scan_x86_64(pe_section_bytes(file, section, section.raw_size), remaining);
    merge_scan(total, part);
    any = true;
    where += (where.empty() ? "section " : ", section ") + section.name;
    remaining -= std::min(remaining, part.bytes_scanned);
    if (total.level == 4) break;
  }
  if (!any) return;
  clues.scan = total;
  clues.scan_where = where;
}

}  // namespace

toolchain::Clues pe_toolchain_clues(ByteView file, const FileReport& report) {
  toolchain::Clues clues;
  clues.format = "pe";
  if (!report.pe) return clues;
  const PeDetails& pe = *report.pe;
  for (const auto* imports : {&pe.imports, &pe.delay_imports})
    for (const auto& import : *imports) clues.needed.push_back(import.dll);
  for (const auto& section : pe.sections) {
    clues.sections.push_back(section.name);
    if (section.name == ".rdata")
      clues.comments = gcc_idents(pe_section_bytes(file, section, kMaxPeIdentScan));
  clues.comments_from = ".rdata";
  }
  if (!pe.linker_version.empty()) clues.pe_linker_version = pe.linker_version;
  if (pe.clr) {
    clues.clr = true;
    clues.clr_runtime = pe.clr->runtime_version;
  }
  clues.go = report.go ? &*report.go : nullptr;
  return clues;
}

void apply_toolchain_evidence_pe(ByteView file, FileReport& report,
                                 const InspectOptions& options) {
  if (!report.pe) return;
  report.toolchain = toolchain::fingerprint(pe_toolchain_clues(file, report)).toolchain;
  toolchain::CpuClues cpu;
  cpu.isa = pe_isa(report.pe->machine);
  cpu.go = report.go ? &*report.go : nullptr;
  if (options.scan_code && report.pe->machine == IMAGE_FILE_MACHINE_AMD64 && !report.pe->clr &&
      !toolchain::x86_level_stated_above_baseline(cpu))
    scan_pe_code(file, *report.pe, options.scan_budget, cpu);
  report.cpu_level = toolchain::cpu_level(cpu);
}

// ---- Mach-O ----

namespace {

void apply_macho_slice(FileReport& report) {
  if (!report.macho) return;
  const MachoDetails& macho = *report.macho;
  toolchain::Clues clues;
  clues.format = "macho";
  for (const auto& dylib : macho.dylibs) clues.needed.push_back(dylib.name);
  for (const auto& version : macho.build_versions)
    clues.build_tools.insert(clues.build_tools.end(), version.tools.begin(), version.tools.end());
  clues.go = report.go ? &*report.go : nullptr;
  report.toolchain = toolchain::fingerprint(clues).toolchain;

  toolchain::CpuClues cpu;
  const std::string& arch = macho.arch_name;
  cpu.isa = arch.starts_with("x86_64") ? "x86-64"
            : arch.starts_with("arm64") ? "arm64"
            : arch.starts_with("arm")   ? "arm"
            : arch == "i386"            ? "x86"
                                        : "";
  cpu.macho_arch_name = arch;
  cpu.go = clues.go;
  report.cpu_level = toolchain::cpu_level(cpu);
}

}  // namespace

void apply_toolchain_evidence_macho(FileReport& report) {
  apply_macho_slice(report);
  for (auto& slice : report.slices) apply_macho_slice(slice);
}

}  // namespace enoexec
