#include "inspect/go_evidence.hpp"

#include <fmt/format.h>

#include "toolchain/go_platform.hpp"

namespace enoexec {
namespace {

constexpr std::uint32_t PF_X = 0x1;
constexpr std::uint32_t PF_W = 0x2;

// A segment's file-backed bytes. A segment running past the end of the file keeps the part
// that is there, as Go's reads do (the ELF reader has already warned about it).
ByteView file_bytes(ByteView file, const ElfSegment& segment) {
  auto bytes = file.sub(segment.offset, segment.filesz, "PT_LOAD");
  return bytes ? *bytes : file.clamp(segment.offset, segment.filesz);
}

const elf::Section* buildinfo_section(const elf::ElfFile& elf) {
  for (const auto& section : elf.sections)
    if (section.name == ".go.buildinfo") return &section;
  return nullptr;
}

std::optional<go::Region> region_of_section(const elf::Section& section,
                                            const std::vector<go::Region>& memory) {
  for (const auto& region : memory)
    if (section.addr >= region.vaddr && section.addr - region.vaddr < region.bytes.size())
      return go::Region{section.addr,
                        region.bytes.clamp(section.addr - region.vaddr, section.size)};
  return std::nullopt;
}

}  // namespace

go::Image go_image(ByteView file, const elf::ElfFile& elf, std::vector<std::string>& warnings) {
  go::Image image;
  for (const auto& segment : elf.details.segments)
    if (segment.type == "PT_LOAD" && segment.filesz > 0)
      image.memory.push_back(go::Region{segment.vaddr, file_bytes(file, segment)});

  if (const auto* section = buildinfo_section(elf)) {
    // Go looks only here once the section exists, even when no segment maps it.
    if (auto region = region_of_section(*section, image.memory))
      image.search.push_back(*region);
    else
      warnings.push_back(fmt::format(
          "section .go.buildinfo at address {:#x} (offset {:#x}) lies outside every PT_LOAD; "
          "Go build info not read",
          section->addr, section->offset));
    return image;
  }
  for (const auto& segment : elf.details.segments)
    if (segment.type == "PT_LOAD" && (segment.flags & (PF_X | PF_W)) == PF_W) {
      if (segment.filesz > 0)
        image.search.push_back(go::Region{segment.vaddr, file_bytes(file, segment)});
      break;
    }
  return image;
}

void apply_go_buildinfo(ByteView file, const elf::ElfFile& elf, FileReport& report) {
  const go::Image image = go_image(file, elf, report.warnings);
  auto info = go::read_buildinfo(image);
  if (!info) {
    report.warnings.push_back(to_string(info.error()));
    return;
  }
  if (!*info) return;
  report.go = std::move(**info);
  const bool links_nothing = !elf.interpreter && elf.needed.empty();
  go::apply_platform(*report.go, links_nothing, report);
}

}  // namespace enoexec
