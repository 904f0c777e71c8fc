// Go programs without build info: the marks of Go's toolchain in each format, and the runtime's
// own version string (see go_evidence.hpp).
#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "evidence/go_evidence.hpp"

namespace enoexec {
namespace {

// cmd/link (*Link).textbuildid: the text of non-ELF Go programs starts with the build ID
// (386 puts its PC thunks first). cmd/internal/buildid looks for it in a file's first 32 KiB.
constexpr std::string_view kTextBuildId("\xff Go build ID: \"", 16);
constexpr std::uint64_t kTextBuildIdWithin = 32 * 1024;
constexpr std::string_view kVersionPrefix("go1.");
constexpr std::uint64_t kMinVersionLength = 5;  // "go1.9"
constexpr std::uint32_t SHT_NOBITS = 8;
constexpr std::uint32_t PF_X = 0x1;
constexpr std::uint32_t PF_W = 0x2;
constexpr std::uint32_t VM_PROT_WRITE = 0x2;
constexpr std::uint32_t IMAGE_SCN_MEM_WRITE = 0x80000000;

// A "go1.<digit>" in read-only data: where runtime.buildVersion's bytes may start.
struct Candidate {
  std::uint64_t vaddr = 0;
  ByteView rest;  // the region's bytes from the candidate on
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::vector<Candidate> version_candidates(const std::vector<go::Region>& rodata) {
  std::vector<Candidate> out;
  std::uint64_t budget = kMaxGoRodataScan;
  for (const auto& region : rodata) {
    const ByteView bytes = region.bytes.clamp(0, budget);
    budget -= bytes.size();
    const std::string_view text = bytes.as_chars();
    for (std::size_t at = text.find(kVersionPrefix); at != std::string_view::npos;
         at = text.find(kVersionPrefix, at + 1)) {
      if (at + kVersionPrefix.size() >= text.size() || !is_digit(text[at + kVersionPrefix.size()]))
        continue;
      if (out.size() == kMaxGoVersionCandidates) break;
      out.push_back({region.vaddr + at, bytes.clamp(at, kMaxGoVersionLength)});
    }
    if (budget == 0 || out.size() == kMaxGoVersionCandidates) break;
  }
  std::sort(out.begin(), out.end(),
            [](const Candidate& a, const Candidate& b) { return a.vaddr < b.vaddr; });
  return out;
}

std::optional<std::uint64_t> word_at(ByteView bytes, std::uint64_t offset, int size,
                                     Endian endian) {
  if (size == 4) {
    auto value = bytes.read<std::uint32_t>(offset, endian, "Go string header");
    return value ? std::optional<std::uint64_t>(*value) : std::nullopt;
  }
  auto value = bytes.read<std::uint64_t>(offset, endian, "Go string header");
  return value ? std::optional<std::uint64_t>(*value) : std::nullopt;
}

const Candidate* candidate_at(const std::vector<Candidate>& candidates, std::uint64_t vaddr) {
  const auto it = std::lower_bound(
      candidates.begin(), candidates.end(), vaddr,
      [](const Candidate& c, std::uint64_t value) { return c.vaddr < value; });
  return it != candidates.end() && it->vaddr == vaddr ? &*it : nullptr;
}

// The candidate's first `length` bytes, when they make a version string.
std::optional<GoRuntimeVersion> version_of(const Candidate& candidate, std::uint64_t length) {
  if (length < kMinVersionLength || length > candidate.rest.size()) return std::nullopt;
  const std::string_view text = candidate.rest.as_chars().substr(0, length);
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; }))
    return std::nullopt;
  return GoRuntimeVersion{std::string(text), candidate.rest.file_offset()};
}

void add_section_marks(std::string_view name, std::vector<std::string>& marks) {
  // Each name below has "go" at offset 1 or 2, or is the note; an object file with tens of
  // thousands of sections leaves here.
  const auto go_at = [name](std::size_t at) { return name.size() >= at + 2 && name.compare(at, 2, "go") == 0; };
  if (!go_at(1) && !go_at(2) && name != ".note.go.buildid") return;
  for (std::string_view go : {".gopclntab", ".gosymtab", ".go.buildinfo", ".note.go.buildid",
                              "__gopclntab", "__gosymtab", "__go_buildinfo"})
    if (name == go) marks.push_back(fmt::format("section {}", name));
}

bool has_build_id(ByteView text) {
  return text.clamp(0, kTextBuildIdWithin).as_chars().find(kTextBuildId) != std::string_view::npos;
}

}  // namespace

std::optional<GoRuntimeVersion> find_runtime_version(const GoClues& clues) {
  const std::vector<Candidate> candidates = version_candidates(clues.rodata);
  if (candidates.empty()) return std::nullopt;
  const auto word = static_cast<std::uint64_t>(clues.pointer_size);
  if (word != 4 && word != 8) return std::nullopt;
  std::uint64_t budget = kMaxGoDataScan;
  for (const auto& region : clues.data) {
    const ByteView bytes = region.bytes.clamp(0, budget);
    budget -= bytes.size();
    // Go string headers are pointer-aligned in memory.
    std::uint64_t at = (word - region.vaddr % word) % word;
    for (; at + 2 * word <= bytes.size(); at += word) {
      const auto pointer = word_at(bytes, at, clues.pointer_size, clues.endian);
      const Candidate* candidate = pointer ? candidate_at(candidates, *pointer) : nullptr;
      if (candidate == nullptr) continue;
      const auto length = word_at(bytes, at + word, clues.pointer_size, clues.endian);
      if (!length) continue;
      if (auto version = version_of(*candidate, *length)) return version;
    }
    if (budget == 0) break;
  }
  return std::nullopt;
}

// golang/go src/debug/gosym/pclntab.go: go12magic, go116magic, go118magic, go120magic.
std::string pclntab_release_range(std::uint32_t magic) {
  switch (magic) {
    case 0xfffffffb: return "go1.2 to go1.15";
    case 0xfffffffa: return "go1.16 to go1.17";
    case 0xfffffff0: return "go1.18 to go1.19";
    case 0xfffffff1: return "go1.20 or later";
    default: return "";
  }
}

void recognise_go(const GoClues& clues, FileReport& report) {
  if (report.go || clues.marks.empty()) return;
  GoBuildInfo go;
  go.has_buildinfo = false;
  for (const auto& mark : clues.marks) report.evidence.push_back({"go", "recognised", mark});
  if (auto version = find_runtime_version(clues)) {
    go.version = version->version;
    report.evidence.push_back({"go.version", version->version,
                               fmt::format("runtime version string at offset {:#x}",
                                           version->offset)});
  }
  if (clues.pclntab) {
    auto magic = clues.pclntab->read<std::uint32_t>(0, clues.endian, "pclntab magic");
    if (magic) {
      const std::string range = pclntab_release_range(*magic);
      if (!range.empty())
        report.evidence.push_back({"go.version", range,
                                   fmt::format("pclntab magic {:#010x} at offset {:#x}", *magic,
                                               clues.pclntab->file_offset())});
    }
  }
  report.go = std::move(go);
}

// ---- The clues of each format ----

GoClues elf_go_clues(ByteView file, const elf::ElfFile& elf) {
  GoClues clues;
  clues.pointer_size = elf.bits / 8;
  clues.endian = elf.endian;
  if (elf.details.notes.go_build_id) clues.marks.emplace_back("ELF note Go/4 (Go build ID)");
  for (const auto& section : elf.sections) {
    add_section_marks(section.name, clues.marks);
    if (section.type == SHT_NOBITS) continue;
    const ByteView bytes = file.clamp(section.offset, section.size);
    if (section.name == ".gopclntab") clues.pclntab = bytes;
    if (section.name == ".rodata") clues.rodata.push_back({section.addr, bytes});
  }
  for (const auto& segment : elf.details.segments) {
    if (segment.type != "PT_LOAD") continue;
    const go::Region region{segment.vaddr, file.clamp(segment.offset, segment.filesz)};
    if ((segment.flags & PF_W) != 0) clues.data.push_back(region);
    else if (elf.sections.empty() && (segment.flags & PF_X) == 0) clues.rodata.push_back(region);
  }
  return clues;
}

GoClues macho_go_clues(ByteView slice, const macho::MachoFile& macho) {
  GoClues clues;
  clues.pointer_size = macho.bits / 8;
  clues.endian = macho.endian;
  for (const auto& section : macho.sections) {
    add_section_marks(section.sectname, clues.marks);
    const ByteView bytes = slice.clamp(section.offset, section.size);
    if (section.offset == 0) continue;  // zero-fill: no bytes in the file
    if (section.sectname == "__gopclntab") clues.pclntab = bytes;
    if (section.sectname == "__rodata") clues.rodata.push_back({section.addr, bytes});
    if (section.segname == "__TEXT" && section.sectname == "__text" && has_build_id(bytes))
      clues.marks.emplace_back("Go build ID in __TEXT,__text");
  }
  for (const auto& segment : macho.details.segments)
    if ((segment.initprot & VM_PROT_WRITE) != 0)
      clues.data.push_back({segment.vmaddr, slice.clamp(segment.fileoff, segment.filesize)});
  return clues;
}

GoClues pe_go_clues(ByteView file, const PeDetails& pe) {
  GoClues clues;
  clues.pointer_size = pe.magic == "PE32+" ? 8 : 4;
  for (const auto& section : pe.sections) {
    const go::Region region{pe.image_base + section.vaddr,
                            file.clamp(section.raw_offset, section.raw_size)};
    if (section.name == ".text" && has_build_id(region.bytes))
      clues.marks.emplace_back("Go build ID in .text");
    if (section.name == ".rdata") clues.rodata.push_back(region);
    if ((section.characteristics & IMAGE_SCN_MEM_WRITE) != 0) clues.data.push_back(region);
  }
  return clues;
}

}  // namespace enoexec
