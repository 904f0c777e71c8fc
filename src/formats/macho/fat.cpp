// Universal ("fat") binaries: a big-endian fat_header and fat_arch (FAT_MAGIC) or fat_arch_64
// (FAT_MAGIC_64) table, each entry naming a complete thin Mach-O slice by offset and size.
// Each slice gets a full report of its own; the fat structure's problems are warnings on the top
// report (overlaps, duplicates) or the slice's error (out of the file, nested, not Mach-O).
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "formats/macho/macho_constants.hpp"
#include "formats/macho/macho_file.hpp"

namespace enoexec::macho {
namespace {

struct FatArch {
  std::uint32_t cputype = 0, cpusubtype = 0;
  std::uint64_t offset = 0, size = 0;
  std::uint32_t align = 0;
  std::uint64_t entry_at = 0;  // file offset of this fat_arch entry, for messages
};

// CAFEBABE is also a Java class file; there the next word is minor << 16 | major, major >= 45.
bool looks_like_java(std::uint32_t magic, std::uint32_t nfat_arch) {
  const std::uint32_t major = nfat_arch & 0xffff;
  return magic == FAT_MAGIC && major >= kJavaMinMajorVersion && major < 100;
}

Result<std::vector<FatArch>> read_fat_arches(ByteView file, std::uint64_t max_slices) {
  const auto magic = file.read<std::uint32_t>(0, Endian::big, "fat_header.magic");
  const auto nfat_arch = file.read<std::uint32_t>(4, Endian::big, "fat_header.nfat_arch");
  if (!magic) return tl::unexpected(magic.error());
  if (!nfat_arch) return tl::unexpected(nfat_arch.error());
  if (looks_like_java(*magic, *nfat_arch))
    return make_error(ErrorCode::bad_magic, 0,
                      fmt::format("not a universal Mach-O: CAFEBABE followed by {:#010x} is a Java "
                                  "class file (version {}.{})",
                                  *nfat_arch, *nfat_arch & 0xffff, *nfat_arch >> 16));
  if (*nfat_arch == 0)
    return make_error(ErrorCode::malformed, 4, "fat_header: nfat_arch is 0 (no slices)");
  if (*nfat_arch > max_slices)
    return make_error(ErrorCode::limit_exceeded, 4,
                      fmt::format("universal slices: nfat_arch {} exceeds the limit of {}",
                                  *nfat_arch, max_slices));
  const bool is64 = *magic == FAT_MAGIC_64;
  const std::uint64_t entry_size = is64 ? kFatArch64Size : kFatArchSize;
  auto table = file.array(kFatHeaderSize, *nfat_arch, entry_size,
                          is64 ? "fat_arch_64 table" : "fat_arch table");
  if (!table) return tl::unexpected(table.error());
  std::vector<FatArch> arches;
  for (std::uint64_t i = 0; i < *nfat_arch; ++i) {
    const std::uint64_t at = i * entry_size;
    const auto u32 = [&](std::uint64_t off) {
      return table->read<std::uint32_t>(at + off, Endian::big, "fat_arch").value_or(0);
    };
    FatArch arch;
    arch.entry_at = table->file_offset() + at;
    arch.cputype = u32(0);
    arch.cpusubtype = u32(4);
    if (is64) {
      arch.offset = table->read<std::uint64_t>(at + 8, Endian::big, "fat_arch_64").value_or(0);
      arch.size = table->read<std::uint64_t>(at + 16, Endian::big, "fat_arch_64").value_or(0);
      arch.align = u32(24);
    } else {
      arch.offset = u32(8);
      arch.size = u32(12);
      arch.align = u32(16);
    }
    arches.push_back(arch);
  }
  return arches;
}

std::string slice_label(std::size_t index, const FatArch& arch) {
  return fmt::format("universal slice {} ({})", index, cputype_name(arch.cputype));
}

std::uint64_t end_of(const FatArch& arch) {
  const auto max = std::numeric_limits<std::uint64_t>::max();
  return arch.size > max - arch.offset ? max : arch.offset + arch.size;
}

// Slices that overlap each other or the fat header, and repeated architectures.
void check_layout(const std::vector<FatArch>& arches, std::uint64_t table_end,
                  std::vector<std::string>& warnings) {
  for (std::size_t i = 0; i < arches.size(); ++i) {
    const FatArch& a = arches[i];
    if (a.size != 0 && a.offset < table_end)
      warn(warnings, Error{ErrorCode::malformed, a.entry_at,
                           fmt::format("{}: offset {:#x} lies inside the fat header, which ends "
                                       "at {:#x}",
                                       slice_label(i, a), a.offset, table_end)});
    for (std::size_t j = i + 1; j < arches.size(); ++j) {
      const FatArch& b = arches[j];
      if (a.size != 0 && b.size != 0 && a.offset < end_of(b) && b.offset < end_of(a))
        warn(warnings, Error{ErrorCode::malformed, b.entry_at,
                             fmt::format("universal slices {} and {} overlap: [{:#x}, {:#x}) and "
                                         "[{:#x}, {:#x})",
                                         i, j, a.offset, end_of(a), b.offset, end_of(b))});
      if (a.cputype == b.cputype &&
          (a.cpusubtype & ~CPU_SUBTYPE_MASK) == (b.cpusubtype & ~CPU_SUBTYPE_MASK))
        warn(warnings, Error{ErrorCode::malformed, b.entry_at,
                             fmt::format("universal slices {} and {} are both {} {}", i, j,
                                         cputype_name(a.cputype),
                                         cpu_info(a.cputype, a.cpusubtype).subtype_name)});
    }
  }
}

std::optional<std::string> fail_slice(FileReport& slice, const Error& error) {
  slice.error = to_string(error);
  return std::nullopt;
}

// Reads one slice into `slice`. Returns the truncation warning when the slice runs past the end
// of the file (the caller repeats it on the universal report). `limits.signature_bytes` is the
// file's budget: what this slice's signature check hashed is taken off it for the next slice.
std::optional<std::string> read_slice(ByteView file, Limits& limits, std::size_t index,
                                      const FatArch& arch,
                                      FileReport& slice) {
  slice.format = Format::macho;
  const std::string label = slice_label(index, arch);
  if (arch.size == 0)
    return fail_slice(slice, {ErrorCode::malformed, arch.entry_at, label + ": size is 0"});
  if (arch.offset >= file.size())
    return fail_slice(slice, {ErrorCode::out_of_bounds, arch.entry_at,
                              fmt::format("{}: offset {:#x} lies past the end of the {}-byte file",
                                          label, arch.offset, file.size())});
  const ByteView bytes = file.clamp(arch.offset, arch.size);
  const auto magic = bytes.read<std::uint32_t>(0, Endian::big, "slice magic").value_or(0);
  if (magic == FAT_MAGIC || magic == FAT_MAGIC_64)
    return fail_slice(slice, {ErrorCode::malformed, bytes.file_offset(),
                              label + " is itself a universal binary (they do not nest)"});
  std::optional<std::string> cut;
  if (bytes.size() < arch.size)
    cut = to_string(Error{ErrorCode::truncated, arch.entry_at,
                          fmt::format("{}: [offset {:#x}, size {:#x}] runs past the end of the "
                                      "{}-byte file",
                                      label, arch.offset, arch.size, file.size())});
  auto parsed = parse(bytes, limits);
  if (!parsed) {
    fail_slice(slice, parsed.error());
    if (cut || parsed.error().code == ErrorCode::truncated) slice.kind = "truncated";
    return cut;
  }
  limits.signature_bytes -= std::min(limits.signature_bytes, parsed->signature_bytes_hashed);
  describe(*parsed, slice);
  slice.macho->fat_offset = arch.offset;
  slice.macho->fat_size = arch.size;
  if (parsed->details.cputype != arch.cputype)
    warn(slice.warnings,
         Error{ErrorCode::malformed, arch.entry_at,
               fmt::format("{}: fat_arch cputype {} disagrees with the slice's mach_header "
                           "cputype {}",
                           label, cputype_name(arch.cputype),
                           cputype_name(parsed->details.cputype))});
  if (cut) {
    slice.kind = "truncated";
    slice.warnings.push_back(*cut);
  }
  return cut;
}

// The universal report's type: the slices' common type, when they agree.
std::string common_type(const std::vector<FileReport>& slices) {
  std::string type;
  for (const auto& slice : slices) {
    if (slice.error) continue;
    if (!type.empty() && slice.type != type) return "";
    type = slice.type;
  }
  return type;
}

}  // namespace

void inspect_universal(ByteView file, FileReport& report, const Limits& limits) {
  report.format = Format::macho_fat;
  auto arches = read_fat_arches(file, limits.universal_slices);
  if (!arches) {
    report.error = to_string(arches.error());
    if (arches.error().code == ErrorCode::bad_magic) report.format = Format::unknown;
    return;
  }
  const bool is64 = file.read<std::uint32_t>(0, Endian::big, "magic").value_or(0) == FAT_MAGIC_64;
  const std::uint64_t table_end =
      kFatHeaderSize + arches->size() * (is64 ? kFatArch64Size : kFatArchSize);
  check_layout(*arches, table_end, report.warnings);
  bool any_read = false;
  Limits budget = limits;
  for (std::size_t i = 0; i < arches->size(); ++i) {
    FileReport slice;
    slice.path = report.path;
    if (auto cut = read_slice(file, budget, i, (*arches)[i], slice)) {
      report.kind = "truncated";
      report.warnings.push_back(*cut);
    }
    any_read = any_read || !slice.error;
    report.slices.push_back(std::move(slice));
  }
  report.type = common_type(report.slices);
  if (!any_read && !report.slices.empty()) report.error = report.slices.front().error;
}

}  // namespace enoexec::macho
