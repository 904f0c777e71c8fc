// parse(): the file header, then the header tables, then what the segments and sections say
// (interpreter, load layout, notes, architecture attributes, dynamic section).
#include "formats/elf/elf_file.hpp"

#include <bit>

#include <fmt/format.h>

#include "formats/elf/elf_arch.hpp"
#include "formats/elf/elf_names.hpp"
#include "formats/elf/elf_notes.hpp"
#include "formats/elf/elf_reader.hpp"

namespace enoexec::elf {
namespace {

// Page sizes Linux kernels use, largest first (linux-exec.md section 3.3).
constexpr std::uint64_t kLargestPageChecked = 65536;

void fill_header_details(ParseState& state) {
  ElfDetails& details = state.out.details;
  const FileHeader& h = state.header;
  details.osabi = h.osabi;
  details.osabi_name = osabi_name(h.osabi, h.machine);
  details.abi_version = h.abi_version;
  details.e_type = h.type;
  details.e_machine = h.machine;
  details.e_flags = h.flags;
  details.entry = h.entry;
}

void read_interpreter(ParseState& state, const ProgramHeader& ph) {
  if (ph.filesz < kInterpMinSize || ph.filesz > kInterpMaxSize)
    state.warn(fmt::format("PT_INTERP: p_filesz {} is outside [{}, {}]; the kernel refuses this "
                           "file (at offset 0x{:x})",
                           ph.filesz, kInterpMinSize, kInterpMaxSize, ph.offset));
  const std::uint64_t wanted = std::min(ph.filesz, kInterpMaxSize);
  const ByteView bytes = state.file.clamp(ph.offset, wanted);
  if (bytes.size() < wanted)
    state.warn(fmt::format("PT_INTERP at offset 0x{:x}, {} bytes, extends past the end of the "
                           "file (file is {} bytes)",
                           ph.offset, ph.filesz, state.file.size()));
  if (bytes.empty()) return;
  // The kernel checks the last byte of p_filesz, not the first NUL.
  const std::string_view text = bytes.as_chars();
  if (bytes.size() == ph.filesz && text.back() != '\0')
    state.warn(fmt::format("PT_INTERP: the path is not NUL-terminated within its {} bytes (at "
                           "offset 0x{:x})",
                           ph.filesz, ph.offset));
  const std::size_t nul = std::min(text.find('\0'), text.size());
  state.out.interpreter = std::string(text.substr(0, nul));
}

// The largest page size P (at most 64 KiB) with p_offset ≡ p_vaddr (mod P) for every PT_LOAD:
// the congruence holds mod 2^k exactly when the low k bits of p_offset XOR p_vaddr are zero.
std::uint64_t max_page_size(const std::vector<ProgramHeader>& loads) {
  if (loads.empty()) return 0;
  std::uint64_t differing_bits = 0;
  for (const ProgramHeader& ph : loads) differing_bits |= ph.offset ^ ph.vaddr;
  if (differing_bits == 0) return kLargestPageChecked;
  return std::min(kLargestPageChecked, differing_bits & (~differing_bits + 1));
}

void read_loads(ParseState& state) {
  std::vector<ProgramHeader> loads;
  ElfDetails& details = state.out.details;
  for (std::size_t i = 0; i < state.phdrs.size(); ++i) {
    const ProgramHeader& ph = state.phdrs[i];
    if (ph.type != PT_LOAD) continue;
    loads.push_back(ph);
    if (std::has_single_bit(ph.align))
      details.max_load_align = std::max(details.max_load_align, ph.align);
    if (ph.filesz > 0 && !state.file.contains(ph.offset, ph.filesz)) {
      state.out.truncated = true;
      state.warn(fmt::format("PT_LOAD {}: p_offset 0x{:x} + p_filesz 0x{:x} extends past the end "
                             "of the file (file is {} bytes)",
                             i, ph.offset, ph.filesz, state.file.size()));
    }
  }
  details.max_page_size = max_page_size(loads);
}

void read_segments(ParseState& state) {
  ElfDetails& details = state.out.details;
  bool seen_interp = false;
  for (const ProgramHeader& ph : state.phdrs) {
    details.segments.push_back(ElfSegment{segment_type_name(ph.type, state.header.machine),
                                          ph.offset, ph.vaddr, ph.filesz, ph.memsz, ph.align,
                                          ph.flags});
    if (ph.type == PT_DYNAMIC) state.out.has_dynamic = true;
    if (ph.type != PT_INTERP) continue;
    if (seen_interp) {
      state.warn("more than one PT_INTERP; the kernel uses the first");
      continue;
    }
    seen_interp = true;
    read_interpreter(state, ph);
  }
  read_loads(state);
}

// The bytes of a segment or section for a sub-reader: what the file holds, with a warning when
// the declared range runs past the end.
ByteView declared_bytes(ParseState& state, std::string_view what, std::uint64_t offset,
                        std::uint64_t size) {
  const ByteView bytes = state.file.clamp(offset, size);
  if (bytes.size() < size)
    state.warn(fmt::format("{} at offset 0x{:x}, {} bytes, extends past the end of the file (file "
                           "is {} bytes)",
                           what, offset, size, state.file.size()));
  return bytes;
}

struct Range {
  std::uint64_t begin, end;
};

bool inside_any(const std::vector<Range>& ranges, const ProgramHeader& ph) {
  for (const Range& range : ranges)
    if (ph.offset >= range.begin && ph.offset <= range.end && ph.filesz <= range.end - ph.offset)
      return true;
  return false;
}

void parse_note_bytes(ParseState& state, ByteView bytes, std::uint64_t alignment) {
  parse_notes(bytes, state.endian, alignment, state.bits, state.header.machine,
              state.out.details.notes, state.out.warnings, state.limits.notes);
}

// PT_NOTE segments are what the kernel and loader see; SHT_NOTE sections stand in only when the
// file has no PT_NOTE (relocatable objects). PT_GNU_PROPERTY usually lies inside a PT_NOTE.
void read_notes(ParseState& state) {
  std::vector<Range> parsed;
  for (const ProgramHeader& ph : state.phdrs) {
    if (ph.type != PT_NOTE) continue;
    const ByteView bytes = declared_bytes(state, "PT_NOTE", ph.offset, ph.filesz);
    parse_note_bytes(state, bytes, ph.align);
    parsed.push_back({ph.offset, ph.offset + bytes.size()});
  }
  const bool had_note_segments = !parsed.empty();
  for (const ProgramHeader& ph : state.phdrs) {
    if (ph.type != PT_GNU_PROPERTY || inside_any(parsed, ph)) continue;
    const ByteView bytes = declared_bytes(state, "PT_GNU_PROPERTY", ph.offset, ph.filesz);
    parse_note_bytes(state, bytes, ph.align);
    parsed.push_back({ph.offset, ph.offset + bytes.size()});
  }
  if (had_note_segments) return;
  for (std::size_t i = 0; i < state.shdrs.size(); ++i) {
    const SectionHeader& sh = state.shdrs[i];
    if (sh.type != SHT_NOTE) continue;
    const std::string what = fmt::format("note section {}", i);
    parse_note_bytes(state, declared_bytes(state, what, sh.offset, sh.size), sh.addralign);
  }
}

std::optional<ByteView> attribute_section(ParseState& state, std::uint32_t type) {
  const SectionHeader* sh = state.section_of_type(type);
  if (sh == nullptr) return std::nullopt;
  return declared_bytes(state, "attributes section", sh->offset, sh->size);
}

std::optional<ByteView> mips_abiflags(ParseState& state) {
  if (auto section = attribute_section(state, SHT_MIPS_ABIFLAGS)) return section;
  for (const ProgramHeader& ph : state.phdrs)
    if (ph.type == PT_MIPS_ABIFLAGS)
      return declared_bytes(state, "PT_MIPS_ABIFLAGS", ph.offset, ph.filesz);
  return std::nullopt;
}

void read_arch_attributes(ParseState& state) {
  ElfDetails& details = state.out.details;
  decode_machine_flags(details, state.bits);
  auto& warnings = state.out.warnings;
  switch (details.e_machine) {
    case EM_ARM:
      if (auto bytes = attribute_section(state, SHT_ARM_ATTRIBUTES)) {
        if (!details.arm) details.arm.emplace();
        parse_arm_attributes(*bytes, state.endian, *details.arm, warnings);
      }
      break;
    case EM_RISCV:
      if (auto bytes = attribute_section(state, SHT_RISCV_ATTRIBUTES)) {
        if (!details.riscv) details.riscv.emplace();
        parse_riscv_attributes(*bytes, state.endian, *details.riscv, warnings);
      }
      break;
    case EM_MIPS:
      if (auto bytes = mips_abiflags(state)) {
        if (!details.mips) details.mips.emplace();
        parse_mips_abiflags(*bytes, state.endian, *details.mips, warnings);
      }
      break;
    default: break;
  }
}

// A hostile file can produce a warning per table entry; keep the report readable.
void cap_warnings(std::vector<std::string>& warnings) {
  if (warnings.size() <= kMaxWarnings) return;
  const std::size_t dropped = warnings.size() - kMaxWarnings;
  warnings.resize(kMaxWarnings);
  warnings.push_back(fmt::format("{} more warnings not shown", dropped));
}

}  // namespace

Result<ElfFile> parse(ByteView file, const Limits& limits) {
  ElfFile elf;
  auto header = read_file_header(file, elf.warnings);
  if (!header) return tl::unexpected(header.error());

  ParseState state{file, *header, header->ei_class == ELFCLASS64 ? 64 : 32,
                   header->ei_data == ELFDATA2MSB ? Endian::big : Endian::little, {}, false, {},
                   elf, limits};
  elf.bits = state.bits;
  elf.endian = state.endian;
  fill_header_details(state);
  read_header_tables(state);
  read_segments(state);
  read_notes(state);
  read_arch_attributes(state);
  read_dynamic(state);
  cap_warnings(elf.warnings);
  return elf;
}

std::optional<std::uint64_t> file_offset_of(const ElfFile& elf, std::uint64_t vaddr) {
  for (const ElfSegment& segment : elf.details.segments) {
    if (segment.type != "PT_LOAD" || vaddr < segment.vaddr) continue;
    const std::uint64_t delta = vaddr - segment.vaddr;
    if (delta < segment.filesz && delta <= ~segment.offset) return segment.offset + delta;
  }
  return std::nullopt;
}

}  // namespace enoexec::elf
