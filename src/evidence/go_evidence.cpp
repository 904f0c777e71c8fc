#include "evidence/go_evidence.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "evidence/go_platform.hpp"

namespace enoexec {
namespace {

constexpr std::uint32_t PF_X = 0x1;
constexpr std::uint32_t PF_W = 0x2;

constexpr std::uint32_t VM_PROT_RW = 0x3;  // VM_PROT_READ | VM_PROT_WRITE

constexpr std::uint32_t IMAGE_SCN_CNT_INITIALIZED_DATA = 0x00000040;
constexpr std::uint32_t IMAGE_SCN_MEM_READ = 0x40000000;
constexpr std::uint32_t IMAGE_SCN_MEM_WRITE = 0x80000000;
// Go's peExe.DataStart clears these bits (named IMAGE_SCN_ALIGN_32BYTES there) before comparing.
constexpr std::uint32_t kGoIgnoredAlignBits = 0x00600000;

// A segment's file-backed bytes. A segment running past the end of the file keeps the part
// that is there, as Go's reads do (the ELF reader has already warned about it).
ByteView file_bytes(ByteView file, const ElfSegment& segment) {
  auto bytes = file.sub(segment.offset, segment.filesz, "PT_LOAD");
  return bytes ? *bytes : file.clamp(segment.offset, segment.filesz);
}

// A section table worth the name: one whose sections have names (a packer may leave a table of
// nothing but zeros).
bool has_named_sections(const elf::ElfFile& elf) {
  return std::any_of(elf.sections.begin(), elf.sections.end(),
                     [](const elf::Section& section) { return !section.name.empty(); });
}

// The bytes at `addr`, within the first memory region that maps it, clipped to `size`.
std::optional<go::Region> region_at(std::uint64_t addr, std::uint64_t size,
                                    const std::vector<go::Region>& memory) {
  for (const auto& region : memory)
    if (addr >= region.vaddr && addr - region.vaddr < region.bytes.size())
      return go::Region{addr, region.bytes.clamp(addr - region.vaddr, size)};
  return std::nullopt;
}

std::string unmapped_section(std::string_view name, std::string_view segments,
                             std::uint64_t addr, std::uint64_t offset) {
  return fmt::format("section {} at address {:#x} (offset {:#x}) lies outside every {}; Go build "
                     "info not read",
                     name, addr, offset, segments);
}

// Reads the build info `image` holds into `report`, and lets it settle the platform.
void read_into(const go::Image& image, FileReport& report) {
  auto info = go::read_buildinfo(image);
  if (!info) {
    report.warnings.push_back(to_string(info.error()));
    return;
  }
  if (!*info) return;
  report.go = std::move(**info);
  const bool links_nothing = !report.interpreter && report.needed && report.needed->empty();
  go::apply_platform(*report.go, links_nothing, report);
}

void apply_to_macho_slice(ByteView slice, FileReport& report) {
  auto macho = macho::parse(slice);
  if (!macho) return;  // macho::inspect has reported why
  read_into(go_image(slice, *macho, report.warnings), report);
  recognise_go(macho_go_clues(slice, *macho), report);
}

}  // namespace

// ---- ELF ----

go::Image go_image(ByteView file, const elf::ElfFile& elf, std::vector<std::string>& warnings) {
  go::Image image;
  for (const auto& segment : elf.details.segments)
    if (segment.type == "PT_LOAD" && segment.filesz > 0)
      image.memory.push_back(go::Region{segment.vaddr, file_bytes(file, segment)});

  for (const auto& section : elf.sections) {
    if (section.name != ".go.buildinfo") continue;
    // Go looks only here once the section exists, even when no segment maps it.
    if (auto region = region_at(section.addr, section.size, image.memory))
      image.search.push_back(*region);
    else
      warnings.push_back(unmapped_section(section.name, "PT_LOAD", section.addr, section.offset));
    return image;
  }
  // Go's reader would now search the first writable segment: that is how it finds the header
  // of a program whose section headers were stripped. Every linker of Go code names the section
  // when it writes section headers, so a file with named sections and no .go.buildinfo has no
  // header to find; searching anyway would read the whole data segment of every C and C++
  // library in a tree. The one divergence from `go version -m`: such a file with a header
  // planted in its data segment.
  if (has_named_sections(elf)) return image;
  for (const auto& segment : elf.details.segments)
    if (segment.type == "PT_LOAD" && (segment.flags & (PF_X | PF_W)) == PF_W) {
      if (segment.filesz > 0)
        image.search.push_back(go::Region{segment.vaddr, file_bytes(file, segment)});
      break;
    }
  return image;
}

void apply_go_buildinfo(ByteView file, const elf::ElfFile& elf, FileReport& report) {
  auto info = go::read_buildinfo(go_image(file, elf, report.warnings));
  if (!info) {
    report.warnings.push_back(to_string(info.error()));
    return;
  }
  if (!*info) return;
  report.go = std::move(**info);
  // The ELF reader knows whether its needed list is complete; the report's may be partial.
  const bool links_nothing = !elf.interpreter && elf.needed.empty();
  go::apply_platform(*report.go, links_nothing, report);
}

void recognise_go_without_buildinfo(ByteView file, const elf::ElfFile& elf, FileReport& report) {
  recognise_go(elf_go_clues(file, elf), report);
}

// ---- Mach-O ----

go::Image go_image(ByteView slice, const macho::MachoFile& macho,
                   std::vector<std::string>& warnings) {
  go::Image image;
  const auto& segments = macho.details.segments;
  for (const auto& segment : segments)
    if (segment.name != "__PAGEZERO" && segment.filesize > 0)
      image.memory.push_back(
          go::Region{segment.vmaddr, slice.clamp(segment.fileoff, segment.filesize)});

  for (const auto& section : macho.sections) {
    if (section.sectname != "__go_buildinfo") continue;
    if (auto region = region_at(section.addr, section.size, image.memory))
      image.search.push_back(*region);
    else
      warnings.push_back(unmapped_section(section.segname + "," + section.sectname,
                                          "segment's file bytes", section.addr,
                                          slice.file_offset() + section.offset));
    return image;
  }
  for (const auto& segment : segments)
    if (segment.vmaddr != 0 && segment.filesize != 0 && segment.initprot == VM_PROT_RW &&
        segment.maxprot == VM_PROT_RW) {
      image.search.push_back(
          go::Region{segment.vmaddr, slice.clamp(segment.fileoff, segment.filesize)});
      break;
    }
  return image;
}

void apply_go_evidence_macho(ByteView file, FileReport& report) {
  if (report.format == Format::macho && report.macho && !report.error)
    return apply_to_macho_slice(file, report);
  if (report.format != Format::macho_fat) return;
  for (auto& slice : report.slices)
    if (slice.macho && slice.macho->fat_offset && slice.macho->fat_size && !slice.error)
      apply_to_macho_slice(file.clamp(*slice.macho->fat_offset, *slice.macho->fat_size), slice);
}

// ---- PE ----

go::Image go_image(ByteView file, const PeDetails& pe) {
  go::Image image;
  constexpr std::uint32_t kData =
      IMAGE_SCN_CNT_INITIALIZED_DATA | IMAGE_SCN_MEM_READ | IMAGE_SCN_MEM_WRITE;
  for (const auto& section : pe.sections) {
    // Unsigned wrap-around, as Go's uint64 sum, for a hostile ImageBase.
    const go::Region region{pe.image_base + section.vaddr,
                            file.clamp(section.raw_offset, section.raw_size)};
    image.memory.push_back(region);
    if (image.search.empty() && section.vaddr != 0 && section.raw_size != 0 &&
        (section.characteristics & ~kGoIgnoredAlignBits) == kData)
      image.search.push_back(region);
  }
  return image;
}

void apply_go_evidence_pe(ByteView file, FileReport& report) {
  if (!report.pe || report.error) return;
  read_into(go_image(file, *report.pe), report);
  recognise_go(pe_go_clues(file, *report.pe), report);
}

}  // namespace enoexec
