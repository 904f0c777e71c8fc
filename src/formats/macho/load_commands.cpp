// Load commands: the walk over (cmd, cmdsize) records and the commands that decide whether a
// file runs (platform, entry, dylinker, dylibs, rpaths, segments, signature location).
#include "formats/macho/load_commands.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "formats/macho/macho_constants.hpp"

namespace enoexec::macho {
namespace {

// One load command: its bytes (exactly cmdsize) and how to name it in messages.
struct Command {
  std::uint32_t index = 0;
  std::uint32_t cmd = 0;
  std::string name;
  ByteView bytes;
  Endian endian = Endian::little;

  // Reads a field the caller has checked fits (fits() below); 0 if it somehow does not.
  template <std::unsigned_integral T>
  T get(std::uint64_t at) const {
    return bytes.read<T>(at, endian, name).value_or(T{0});
  }
  std::string label() const { return fmt::format("load command {} ({})", index, name); }
};

void warn_at(MachoFile& file, ErrorCode code, std::uint64_t offset, std::string what) {
  warn(file.warnings, Error{code, offset, std::move(what)});
}

// Every command handler first checks that its fixed-size struct fits in cmdsize.
bool fits(const Command& c, std::uint64_t need, std::string_view structure, MachoFile& file) {
  if (c.bytes.size() >= need) return true;
  warn_at(file, ErrorCode::malformed, c.bytes.file_offset(),
          fmt::format("{}: cmdsize {} is smaller than {} ({} bytes)", c.label(), c.bytes.size(),
                      structure, need));
  return false;
}

// An lc_str: a 32-bit offset (from the command start) to a NUL-terminated string that must lie
// after the fixed part of the command and inside cmdsize.
std::optional<std::string> lc_str(const Command& c, std::uint64_t field_at,
                                  std::uint64_t fixed_size, std::string_view field,
                                  MachoFile& file) {
  const auto offset = c.get<std::uint32_t>(field_at);
  if (offset < fixed_size || offset >= c.bytes.size()) {
    warn_at(file, ErrorCode::malformed, c.bytes.file_offset(),
            fmt::format("{}: {} offset {:#x} lies outside the string area [{:#x}, {:#x}) of the "
                        "command",
                        c.label(), field, offset, fixed_size, c.bytes.size()));
    return std::nullopt;
  }
  auto text = c.bytes.cstring(offset, c.bytes.size(), fmt::format("{} {}", c.label(), field));
  if (!text) {
    warn(file.warnings, text.error());
    return std::nullopt;
  }
  return std::string(*text);
}

// A char[16] name (segname, sectname): NUL-terminated unless all 16 bytes are used.
std::string fixed_name(ByteView bytes, std::uint64_t at) {
  const std::string_view chars = bytes.clamp(at, 16).as_chars();
  return std::string(chars.substr(0, chars.find('\0')));
}

std::string dylib_version(std::uint32_t packed) {
  return fmt::format("{}.{}.{}", packed >> 16, (packed >> 8) & 0xff, packed & 0xff);
}

void read_section(const Command& c, std::uint64_t at, bool is64, MachoFile& file) {
  Section section;
  section.sectname = fixed_name(c.bytes, at);
  section.segname = fixed_name(c.bytes, at + 16);
  if (is64) {
    section.addr = c.get<std::uint64_t>(at + 32);
    section.size = c.get<std::uint64_t>(at + 40);
    section.offset = c.get<std::uint32_t>(at + 48);
  } else {
    section.addr = c.get<std::uint32_t>(at + 32);
    section.size = c.get<std::uint32_t>(at + 36);
    section.offset = c.get<std::uint32_t>(at + 40);
  }
  file.sections.push_back(std::move(section));
}

void check_segment_in_file(const Command& c, const MachoSegment& segment, ByteView slice,
                           MachoFile& file) {
  if (segment.filesize == 0 || slice.contains(segment.fileoff, segment.filesize)) return;
  file.truncated = true;
  warn_at(file, ErrorCode::truncated, c.bytes.file_offset(),
          fmt::format("{}: segment {} [fileoff {:#x}, filesize {:#x}] runs past the end of the "
                      "file ({} bytes)",
                      c.label(), segment.name, segment.fileoff, segment.filesize, slice.size()));
}

void read_segment(const Command& c, ByteView slice, MachoFile& file) {
  const bool is64 = c.cmd == LC_SEGMENT_64;
  const std::uint64_t fixed = is64 ? 72 : 56;
  const std::uint64_t section_size = is64 ? 80 : 68;
  if (!fits(c, fixed, is64 ? "segment_command_64" : "segment_command", file)) return;
  MachoSegment segment;
  segment.name = fixed_name(c.bytes, 8);
  if (is64) {
    segment.vmaddr = c.get<std::uint64_t>(24);
    segment.vmsize = c.get<std::uint64_t>(32);
    segment.fileoff = c.get<std::uint64_t>(40);
    segment.filesize = c.get<std::uint64_t>(48);
  } else {
    segment.vmaddr = c.get<std::uint32_t>(24);
    segment.vmsize = c.get<std::uint32_t>(28);
    segment.fileoff = c.get<std::uint32_t>(32);
    segment.filesize = c.get<std::uint32_t>(36);
  }
  const std::uint64_t rest = fixed - 16;  // maxprot, initprot, nsects, flags
  segment.maxprot = c.get<std::uint32_t>(rest);
  segment.initprot = c.get<std::uint32_t>(rest + 4);
  segment.nsects = c.get<std::uint32_t>(rest + 8);
  segment.flags = c.get<std::uint32_t>(rest + 12);

  const std::uint64_t room = (c.bytes.size() - fixed) / section_size;
  std::uint64_t count = std::min<std::uint64_t>(segment.nsects, room);
  if (count < segment.nsects)
    warn_at(file, ErrorCode::malformed, c.bytes.file_offset(),
            fmt::format("{}: segment {} has nsects {} but its cmdsize {} holds {}", c.label(),
                        segment.name, segment.nsects, c.bytes.size(), count));
  const std::uint64_t sections_left = file.limits.sections - std::min<std::uint64_t>(
                                          file.limits.sections, file.sections.size());
  if (count > sections_left) {
    warn_at(file, ErrorCode::limit_exceeded, c.bytes.file_offset(),
            fmt::format("sections: {}: segment {} would bring the sections to more than {}; "
                        "reading {} of its {}",
                        c.label(), segment.name, file.limits.sections, sections_left, count));
    count = sections_left;
  }
  for (std::uint64_t i = 0; i < count; ++i) read_section(c, fixed + i * section_size, is64, file);
  check_segment_in_file(c, segment, slice, file);
  file.details.segments.push_back(std::move(segment));
}

// The build_tool_version entries after build_version_command: {tool, version} pairs, the
// version packed as xxxx.yy.zz like the OS versions (mach-o/loader.h TOOL_*).
void read_build_tools(const Command& c, std::uint64_t count, MachoBuildVersion& version) {
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto tool = c.get<std::uint32_t>(24 + 8 * i);
    const std::string name = tool == 1   ? "clang"
                             : tool == 2 ? "swift"
                             : tool == 3 ? "ld"
                             : tool == 4 ? "lld"
                                         : fmt::format("tool-{}", tool);
    version.tools.push_back(name + " " + os_version(c.get<std::uint32_t>(28 + 8 * i)));
  }
}

void read_build_version(const Command& c, MachoFile& file) {
  if (!fits(c, 24, "build_version_command", file)) return;
  MachoBuildVersion version;
  version.command = c.name;
  version.platform_id = c.get<std::uint32_t>(8);
  version.minos = os_version(c.get<std::uint32_t>(12));
  const auto sdk = c.get<std::uint32_t>(16);
  if (sdk != 0) version.sdk = os_version(sdk);
  const auto ntools = c.get<std::uint32_t>(20);
  if (ntools > (c.bytes.size() - 24) / 8)
    warn_at(file, ErrorCode::malformed, c.bytes.file_offset(),
            fmt::format("{}: ntools {} does not fit in cmdsize {}", c.label(), ntools,
                        c.bytes.size()));
  read_build_tools(c, std::min<std::uint64_t>(ntools, (c.bytes.size() - 24) / 8), version);
  const auto info = platform_info(version.platform_id);
  version.platform = info.name.empty() ? hex(version.platform_id) : std::string(info.name);
  file.details.build_versions.push_back(std::move(version));
}

void read_version_min(const Command& c, MachoFile& file) {
  if (!fits(c, 16, "version_min_command", file)) return;
  MachoBuildVersion version;
  version.command = c.name;
  version.platform_id = platform_of_version_min(c.cmd, file.details.cputype);
  version.platform = std::string(platform_info(version.platform_id).name);
  version.minos = os_version(c.get<std::uint32_t>(8));
  const auto sdk = c.get<std::uint32_t>(12);
  if (sdk != 0) version.sdk = os_version(sdk);
  file.details.build_versions.push_back(std::move(version));
}

void set_entry(const Command& c, std::uint64_t entry, std::string source, MachoFile& file) {
  if (file.details.entry) {
    warn_at(file, ErrorCode::malformed, c.bytes.file_offset(),
            fmt::format("{}: a second entry point (the first came from {})", c.label(),
                        file.details.entry_source));
    return;
  }
  file.details.entry = entry;
  file.details.entry_source = std::move(source);
}

void read_main(const Command& c, MachoFile& file) {
  if (!fits(c, 24, "entry_point_command", file)) return;
  set_entry(c, c.get<std::uint64_t>(8), "LC_MAIN entryoff", file);
}

// The pc of one thread-state flavor, when it is the CPU's general-purpose state.
std::optional<std::uint64_t> thread_pc(std::uint32_t cputype, std::uint32_t flavor,
                                       ByteView state, Endian endian) {
  const auto u32_at = [&](std::uint64_t at) -> std::optional<std::uint64_t> {
    auto value = state.read<std::uint32_t>(at, endian, "thread state");
    return value ? std::optional<std::uint64_t>(*value) : std::nullopt;
  };
  const auto u64_at = [&](std::uint64_t at) -> std::optional<std::uint64_t> {
    auto value = state.read<std::uint64_t>(at, endian, "thread state");
    return value ? std::optional<std::uint64_t>(*value) : std::nullopt;
  };
  const bool x86 = cputype == CPU_TYPE_X86 || cputype == CPU_TYPE_X86_64;
  if (x86 && flavor == x86_THREAD_STATE) {  // {flavor, count} header, then the real state
    auto inner = state.read<std::uint32_t>(0, endian, "x86_state_hdr");
    if (!inner || *inner == x86_THREAD_STATE) return std::nullopt;
    return thread_pc(cputype, *inner, state.clamp(8, state.size()), endian);
  }
  switch (cputype) {
    case CPU_TYPE_X86: if (flavor == x86_THREAD_STATE32) return u32_at(40); break;       // eip
    case CPU_TYPE_X86_64: if (flavor == x86_THREAD_STATE64) return u64_at(128); break;   // rip
    case CPU_TYPE_ARM: if (flavor == ARM_THREAD_STATE) return u32_at(60); break;         // r15
    case CPU_TYPE_ARM64: if (flavor == ARM_THREAD_STATE64) return u64_at(256); break;    // pc
    case CPU_TYPE_POWERPC: if (flavor == PPC_THREAD_STATE) return u32_at(0); break;      // srr0
    case CPU_TYPE_POWERPC64: if (flavor == PPC_THREAD_STATE64) return u64_at(0); break;  // srr0
    default: break;
  }
  return std::nullopt;
}

void read_unixthread(const Command& c, MachoFile& file) {
  if (!fits(c, 16, "thread_command", file)) return;
  Cursor cursor(c.bytes.clamp(8, c.bytes.size()), c.endian);
  while (cursor.remaining() >= 8) {
    const auto flavor = cursor.read<std::uint32_t>("thread flavor").value_or(0);
    const auto count = cursor.read<std::uint32_t>("thread count").value_or(0);
    auto state = cursor.take(std::uint64_t{count} * 4, fmt::format("{} thread state", c.label()));
    if (!state) {
      warn(file.warnings, state.error());
      return;
    }
    if (auto pc = thread_pc(file.details.cputype, flavor, *state, c.endian)) {
      set_entry(c, *pc, "LC_UNIXTHREAD pc", file);
      return;
    }
  }
}

void read_dylinker(const Command& c, MachoFile& file) {
  if (!fits(c, 12, "dylinker_command", file)) return;
  auto name = lc_str(c, 8, 12, "name", file);
  if (name && !file.details.dylinker) file.details.dylinker = std::move(*name);
}

void read_dylib(const Command& c, MachoFile& file) {
  if (!fits(c, 24, "dylib_command", file)) return;
  auto name = lc_str(c, 8, 24, "name", file);
  if (!name) return;
  if (c.cmd == LC_ID_DYLIB) {
    file.details.install_name = std::move(*name);
    return;
  }
  if (file.details.dylibs.size() == file.limits.needed_libraries) {
    warn_at(file, ErrorCode::limit_exceeded, c.bytes.file_offset(),
            fmt::format("needed libraries: {}: more than {} dylibs; the rest are not read",
                        c.label(), file.limits.needed_libraries));
    return;
  }
  if (c.cmd == LC_LOAD_WEAK_DYLIB) file.details.weak_dylibs.push_back(*name);
  if (c.cmd == LC_REEXPORT_DYLIB) file.details.reexported_dylibs.push_back(*name);
  file.details.dylibs.push_back({std::move(*name), c.name,
                                 dylib_version(c.get<std::uint32_t>(16)),
                                 dylib_version(c.get<std::uint32_t>(20))});
}

void read_rpath(const Command& c, MachoFile& file) {
  if (!fits(c, 12, "rpath_command", file)) return;
  if (auto path = lc_str(c, 8, 12, "path", file)) file.details.rpaths.push_back(std::move(*path));
}

void read_uuid(const Command& c, MachoFile& file) {
  if (!fits(c, 24, "uuid_command", file)) return;
  std::string text;
  for (std::uint64_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += fmt::format("{:02X}", c.bytes.u8(8 + i, "uuid").value_or(0));
  }
  file.details.uuid = std::move(text);
}

void read_code_signature_command(const Command& c, MachoFile& file) {
  if (!fits(c, 16, "linkedit_data_command", file)) return;
  auto& signature = file.details.code_signature;
  if (file.signature_command) {
    warn_at(file, ErrorCode::malformed, c.bytes.file_offset(),
            fmt::format("{}: a second code signature (the first is kept)", c.label()));
    return;
  }
  file.signature_command = true;
  signature.dataoff = c.get<std::uint32_t>(8);
  signature.datasize = c.get<std::uint32_t>(12);
}

void read_encryption_info(const Command& c, MachoFile& file) {
  if (!fits(c, 20, "encryption_info_command", file)) return;
  if (c.get<std::uint32_t>(16) != 0) file.details.encrypted = true;
}

void dispatch(const Command& c, ByteView slice, MachoFile& file) {
  switch (c.cmd) {
    case LC_SEGMENT:
    case LC_SEGMENT_64: return read_segment(c, slice, file);
    case LC_BUILD_VERSION: return read_build_version(c, file);
    case LC_VERSION_MIN_MACOSX:
    case LC_VERSION_MIN_IPHONEOS:
    case LC_VERSION_MIN_TVOS:
    case LC_VERSION_MIN_WATCHOS: return read_version_min(c, file);
    case LC_MAIN: return read_main(c, file);
    case LC_UNIXTHREAD: return read_unixthread(c, file);
    case LC_LOAD_DYLINKER: return read_dylinker(c, file);
    case LC_LOAD_DYLIB:
    case LC_LOAD_WEAK_DYLIB:
    case LC_REEXPORT_DYLIB:
    case LC_LAZY_LOAD_DYLIB:
    case LC_LOAD_UPWARD_DYLIB:
    case LC_ID_DYLIB: return read_dylib(c, file);
    case LC_RPATH: return read_rpath(c, file);
    case LC_UUID: return read_uuid(c, file);
    case LC_CODE_SIGNATURE: return read_code_signature_command(c, file);
    case LC_ENCRYPTION_INFO:
    case LC_ENCRYPTION_INFO_64: return read_encryption_info(c, file);
    default: return;
  }
}

}  // namespace

void read_load_commands(ByteView slice, MachoFile& file) {
  const std::uint64_t header_size = file.bits == 64 ? kMachHeader64Size : kMachHeaderSize;
  const std::uint64_t alignment = file.bits == 64 ? 8 : 4;
  const std::uint32_t sizeofcmds = file.details.sizeofcmds;
  const ByteView area = slice.clamp(header_size, sizeofcmds);
  if (area.size() < sizeofcmds) {
    file.truncated = true;
    warn_at(file, ErrorCode::truncated, slice.file_offset() + header_size,
            fmt::format("load commands: sizeofcmds {} runs past the end of the file ({} bytes "
                        "remain after the mach_header)",
                        sizeofcmds, area.size()));
  }
  std::uint64_t position = 0;
  for (std::uint32_t index = 0; index < file.details.ncmds; ++index) {
    if (index == file.limits.load_commands) {
      warn_at(file, ErrorCode::limit_exceeded, area.file_offset() + position,
              fmt::format("load commands: ncmds {} is more than {}; the rest are not read",
                          file.details.ncmds, file.limits.load_commands));
      return;
    }
    const std::uint64_t left = area.size() - position;
    if (left < 8) {
      if (area.size() == sizeofcmds)
        warn_at(file, ErrorCode::malformed, area.file_offset() + position,
                fmt::format("load commands: ncmds {} but sizeofcmds {} holds only {}",
                            file.details.ncmds, sizeofcmds, index));
      return;
    }
    Command c;
    c.index = index;
    c.cmd = area.read<std::uint32_t>(position, file.endian, "cmd").value_or(0);
    c.name = load_command_name(c.cmd);
    c.endian = file.endian;
    const auto cmdsize = area.read<std::uint32_t>(position + 4, file.endian, "cmdsize").value_or(0);
    const std::uint64_t at = area.file_offset() + position;
    if (cmdsize < 8) {
      warn_at(file, ErrorCode::malformed, at,
              fmt::format("{}: cmdsize {} is smaller than a load_command (8 bytes)", c.label(),
                          cmdsize));
      return;
    }
    if (cmdsize % alignment != 0)
      warn_at(file, ErrorCode::malformed, at,
              fmt::format("{}: cmdsize {} is not a multiple of {}", c.label(), cmdsize, alignment));
    if (cmdsize > left) {
      if (area.size() == sizeofcmds)  // (a short file was reported above)
        warn_at(file, ErrorCode::malformed, at,
                fmt::format("{}: cmdsize {} runs past the end of sizeofcmds ({} bytes left)",
                            c.label(), cmdsize, left));
      return;
    }
    c.bytes = area.clamp(position, cmdsize);
    file.details.load_commands.push_back(c.name);
    dispatch(c, slice, file);
    position += cmdsize;
  }
}

}  // namespace enoexec::macho
