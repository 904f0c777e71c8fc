// Thin Mach-O: the mach_header, then the load commands (load_commands.cpp) and the signature
// (codesign.cpp); describe() derives the format-neutral facts. Decisions: macho_file.hpp.
#include "formats/macho/macho_file.hpp"

#include <fmt/format.h>

#include "formats/macho/load_commands.hpp"
#include "formats/macho/macho_constants.hpp"

namespace enoexec::macho {
namespace {

// A hostile file can produce a warning per load command; past this many the rest are counted.
constexpr std::size_t kMaxWarnings = 64;
constexpr std::string_view kLibSystem = "/usr/lib/libSystem.B.dylib";

struct HeaderShape {
  int bits;
  Endian endian;
};

std::optional<HeaderShape> shape_of(std::uint32_t magic) {
  switch (magic) {
    case MH_MAGIC: return HeaderShape{32, Endian::big};
    case MH_CIGAM: return HeaderShape{32, Endian::little};
    case MH_MAGIC_64: return HeaderShape{64, Endian::big};
    case MH_CIGAM_64: return HeaderShape{64, Endian::little};
    default: return std::nullopt;
  }
}

void read_cpu(MachoFile& file) {
  auto& d = file.details;
  const CpuInfo cpu = cpu_info(d.cputype, d.cpusubtype);
  d.cpusubtype_name = cpu.subtype_name;
  d.arch_name = cpu.arch_name;
  if (d.cputype == CPU_TYPE_ARM64 && (d.cpusubtype & ~CPU_SUBTYPE_MASK) == CPU_SUBTYPE_ARM64E) {
    d.ptrauth_abi = (d.cpusubtype & CPU_SUBTYPE_PTRAUTH_ABI) != 0;
    if (d.ptrauth_abi)
      d.ptrauth_abi_version =
          static_cast<int>((d.cpusubtype & CPU_SUBTYPE_ARM64_PTR_AUTH_MASK) >> 24);
  }
}

void fill_platform_fields(MachoDetails& d) {
  if (d.build_versions.empty()) return;
  const auto& first = d.build_versions.front();
  d.platform = first.platform;
  d.minos = first.minos;
  d.sdk = first.sdk;
}

// os from the first platform command; without one, x86 and PowerPC mean macOS (macho_file.hpp).
void derive_os(const MachoFile& file, Platform& platform, FileReport& report) {
  const auto& d = file.details;
  if (!d.build_versions.empty()) {
    const auto& first = d.build_versions.front();
    const PlatformInfo info = platform_info(first.platform_id);
    platform.os = info.os;
    if (info.os == Os::unknown) return;
    const std::string what = first.command == "LC_BUILD_VERSION"
                                 ? fmt::format("LC_BUILD_VERSION platform {}", info.spec_name)
                                 : first.command;
    report.evidence.push_back({"os", std::string(to_string(info.os)), what});
    return;
  }
  const auto family = d.cputype & ~CPU_ARCH_MASK;
  if (family != CPU_TYPE_X86 && family != CPU_TYPE_POWERPC) return;
  platform.os = Os::darwin;
  report.evidence.push_back(
      {"os", std::string(to_string(Os::darwin)),
       fmt::format("cputype {} with no platform load command (only macOS runs such files "
                   "without naming a platform)",
                   cputype_name(d.cputype))});
}

void derive_libc(const MachoFile& file, Platform& platform, FileReport& report) {
  for (const auto& dylib : file.details.dylibs) {
    if (dylib.name != kLibSystem) continue;
    platform.libc = Libc::libsystem;
    report.evidence.push_back({"libc", std::string(to_string(Libc::libsystem)),
                               fmt::format("{} {}", dylib.command, dylib.name)});
    return;
  }
}

Platform derive_platform(const MachoFile& file, FileReport& report) {
  const auto& d = file.details;
  Platform platform;
  platform.bits = file.bits;
  platform.endian = file.endian;
  const CpuInfo cpu = cpu_info(d.cputype, d.cpusubtype);
  platform.arch = cpu.arch;
  platform.variant = cpu.variant;
  if (cpu.arch != Arch::unknown)
    report.evidence.push_back(
        {"arch", std::string(to_string(cpu.arch)), "cputype " + cputype_name(d.cputype)});
  if (!cpu.variant.empty())
    report.evidence.push_back({"variant", cpu.variant, "cpusubtype " + cpu.subtype_name});
  derive_os(file, platform, report);
  derive_libc(file, platform, report);
  return platform;
}

std::optional<Linkage> linkage_of(const MachoDetails& d) {
  switch (d.filetype) {
    case MH_EXECUTE: return d.dylinker ? Linkage::dynamic : Linkage::static_exe;
    case MH_DYLIB:
    case MH_BUNDLE: return Linkage::dynamic;
    default: return std::nullopt;
  }
}

}  // namespace

void warn(std::vector<std::string>& warnings, const Error& error) {
  if (warnings.size() < kMaxWarnings) {
    warnings.push_back(to_string(error));
  } else if (warnings.size() == kMaxWarnings) {
    warnings.push_back(
        fmt::format("limit exceeded: more than {} warnings; the rest are not shown", kMaxWarnings));
  }
}

Result<MachoFile> parse(ByteView slice, const Limits& limits) {
  auto magic = slice.read<std::uint32_t>(0, Endian::big, "mach_header magic");
  if (!magic) return tl::unexpected(magic.error());
  const auto shape = shape_of(*magic);
  if (!shape)
    return make_error(ErrorCode::bad_magic, slice.file_offset(),
                      fmt::format("mach_header: magic {:#010x} is not a Mach-O magic", *magic));
  MachoFile file;
  file.limits = limits;
  file.bits = shape->bits;
  file.endian = shape->endian;
  const bool is64 = file.bits == 64;
  auto header = slice.sub(0, is64 ? kMachHeader64Size : kMachHeaderSize,
                          is64 ? "mach_header_64" : "mach_header");
  if (!header) return tl::unexpected(header.error());
  const auto field = [&](std::uint64_t at) {
    return header->read<std::uint32_t>(at, file.endian, "mach_header").value_or(0);
  };
  auto& d = file.details;
  d.cputype = field(4);
  d.cpusubtype = field(8);
  d.filetype = field(12);
  d.ncmds = field(16);
  d.sizeofcmds = field(20);
  d.flags = field(24);
  d.filetype_name = filetype_name(d.filetype);
  d.flag_names = header_flag_names(d.flags);
  read_cpu(file);
  read_load_commands(slice, file);
  fill_platform_fields(d);
  read_code_signature(slice, file);
  return file;
}

void describe(const MachoFile& file, FileReport& report) {
  const auto& d = file.details;
  report.format = Format::macho;
  report.bits = file.bits;
  report.endian = file.endian;
  const FiletypeWords words = filetype_words(d.filetype, d.flags);
  report.type = std::string(words.type);
  report.kind = file.truncated ? "truncated" : std::string(words.kind);
  report.machine = cputype_name(d.cputype);
  report.platform = derive_platform(file, report);
  report.interpreter = d.dylinker;
  report.linkage = linkage_of(d);
  if (d.filetype != MH_OBJECT) {
    std::vector<std::string> needed;
    for (const auto& dylib : d.dylibs) needed.push_back(dylib.name);
    report.needed = std::move(needed);
  }
  report.warnings.insert(report.warnings.end(), file.warnings.begin(), file.warnings.end());
  report.macho = d;
}

void inspect(ByteView file, FileReport& report, const Limits& limits) {
  const auto magic = file.read<std::uint32_t>(0, Endian::big, "magic");
  if (magic && (*magic == FAT_MAGIC || *magic == FAT_MAGIC_64))
    return inspect_universal(file, report, limits);
  report.format = Format::macho;
  auto parsed = parse(file, limits);
  if (!parsed) {
    report.error = to_string(parsed.error());
    if (parsed.error().code == ErrorCode::truncated) report.kind = "truncated";
    if (parsed.error().code == ErrorCode::bad_magic) report.format = Format::unknown;
    return;
  }
  describe(*parsed, report);
}

}  // namespace enoexec::macho
