// Synthesises Mach-O files for tests: thin files of either width and byte order with chosen load
// commands, code-signature blobs, and universal (fat) wrappers. Every field can be made to lie.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "enoexec/platform.hpp"

namespace enoexec::test {

using Bytes = std::vector<std::uint8_t>;

template <class T>
void put(Bytes& out, T value, Endian endian) {
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    const std::size_t shift = endian == Endian::little ? i * 8 : (sizeof(T) - 1 - i) * 8;
    out.push_back(static_cast<std::uint8_t>((static_cast<std::uint64_t>(value) >> shift) & 0xff));
  }
}

inline void put_name16(Bytes& out, const std::string& name) {
  for (std::size_t i = 0; i < 16; ++i)
    out.push_back(i < name.size() ? static_cast<std::uint8_t>(name[i]) : 0);
}

inline void put_cstring(Bytes& out, const std::string& text) {
  out.insert(out.end(), text.begin(), text.end());
  out.push_back(0);
}

inline void pad_to(Bytes& out, std::size_t alignment) {
  while (out.size() % alignment != 0) out.push_back(0);
}

template <class T>
void patch(Bytes& out, std::size_t at, T value, Endian endian) {
  Bytes encoded;
  put(encoded, value, endian);
  for (std::size_t i = 0; i < encoded.size(); ++i) out[at + i] = encoded[i];
}

struct SectionSpec {
  std::string segname, sectname;
  std::uint64_t addr = 0, size = 0;
  std::uint32_t offset = 0;
};

class MachoBuilder {
 public:
  MachoBuilder(int bits, Endian endian, std::uint32_t cputype, std::uint32_t cpusubtype,
               std::uint32_t filetype = 2, std::uint32_t flags = 0)
      : bits_(bits), endian_(endian), cputype_(cputype), cpusubtype_(cpusubtype),
        filetype_(filetype), flags_(flags) {}

  // A command from its payload (the bytes after cmd and cmdsize), padded to the natural
  // alignment unless `cmdsize` forces a (possibly lying) value.
  MachoBuilder& command(std::uint32_t cmd, Bytes payload,
                        std::optional<std::uint32_t> cmdsize = std::nullopt) {
    Bytes out;
    put<std::uint32_t>(out, cmd, endian_);
    put<std::uint32_t>(out, 0, endian_);
    out.insert(out.end(), payload.begin(), payload.end());
    if (!cmdsize) pad_to(out, bits_ == 64 ? 8 : 4);
    patch<std::uint32_t>(out, 4, cmdsize.value_or(static_cast<std::uint32_t>(out.size())), endian_);
    commands_.insert(commands_.end(), out.begin(), out.end());
    ++ncmds_;
    return *this;
  }

  MachoBuilder& segment(const std::string& name, std::uint64_t vmaddr, std::uint64_t vmsize,
                        std::uint64_t fileoff, std::uint64_t filesize,
                        const std::vector<SectionSpec>& sections = {},
                        std::optional<std::uint32_t> nsects = std::nullopt) {
    Bytes p;
    put_name16(p, name);
    word(p, vmaddr);
    word(p, vmsize);
    word(p, fileoff);
    word(p, filesize);
    put<std::uint32_t>(p, 7, endian_);
    put<std::uint32_t>(p, 5, endian_);
    put<std::uint32_t>(p, nsects.value_or(static_cast<std::uint32_t>(sections.size())), endian_);
    put<std::uint32_t>(p, 0, endian_);
    for (const auto& s : sections) {
      put_name16(p, s.sectname);
      put_name16(p, s.segname);
      word(p, s.addr);
      word(p, s.size);
      put<std::uint32_t>(p, s.offset, endian_);
      for (int i = 0; i < (bits_ == 64 ? 7 : 6); ++i) put<std::uint32_t>(p, 0, endian_);
    }
    return command(bits_ == 64 ? 0x19u : 0x1u, std::move(p));
  }

  MachoBuilder& build_version(std::uint32_t platform, std::uint32_t minos, std::uint32_t sdk,
                              std::uint32_t ntools = 0) {
    Bytes p;
    for (std::uint32_t v : {platform, minos, sdk, ntools}) put<std::uint32_t>(p, v, endian_);
    return command(0x32, std::move(p));
  }

  // LC_BUILD_VERSION followed by its build_tool_version {tool, version} entries.
  MachoBuilder& build_version_tools(std::uint32_t platform, std::uint32_t minos, std::uint32_t sdk,
                                    const std::vector<std::pair<std::uint32_t, std::uint32_t>>& tools) {
    Bytes p;
    for (std::uint32_t v : {platform, minos, sdk, static_cast<std::uint32_t>(tools.size())})
      put<std::uint32_t>(p, v, endian_);
    for (const auto& [tool, version] : tools) {
      put<std::uint32_t>(p, tool, endian_);
      put<std::uint32_t>(p, version, endian_);
    }
    return command(0x32, std::move(p));
  }

  MachoBuilder& version_min(std::uint32_t cmd, std::uint32_t version, std::uint32_t sdk) {
    Bytes p;
    put<std::uint32_t>(p, version, endian_);
    put<std::uint32_t>(p, sdk, endian_);
    return command(cmd, std::move(p));
  }

  MachoBuilder& main(std::uint64_t entryoff) {
    Bytes p;
    put<std::uint64_t>(p, entryoff, endian_);
    put<std::uint64_t>(p, 0, endian_);
    return command(0x80000028u, std::move(p));
  }

  // LC_UNIXTHREAD with one flavor whose state is `count` 32-bit words, all zero but the pc
  // written at byte offset `pc_at` with width `pc_bytes`.
  MachoBuilder& unixthread(std::uint32_t flavor, std::uint32_t count, std::uint64_t pc_at,
                           std::uint64_t pc, int pc_bytes) {
    Bytes p;
    put<std::uint32_t>(p, flavor, endian_);
    put<std::uint32_t>(p, count, endian_);
    Bytes state(std::size_t{count} * 4, 0);
    Bytes encoded;
    if (pc_bytes == 8) put<std::uint64_t>(encoded, pc, endian_);
    else put<std::uint32_t>(encoded, static_cast<std::uint32_t>(pc), endian_);
    for (std::size_t i = 0; i < encoded.size(); ++i) state[pc_at + i] = encoded[i];
    p.insert(p.end(), state.begin(), state.end());
    return command(0x5, std::move(p));
  }

  // A command with one lc_str at offset 12 (dylinker_command, rpath_command), or at
  // `string_offset` when lying.
  MachoBuilder& lc_str_command(std::uint32_t cmd, const std::string& text,
                               std::optional<std::uint32_t> string_offset = std::nullopt) {
    Bytes p;
    put<std::uint32_t>(p, string_offset.value_or(12), endian_);
    put_cstring(p, text);
    return command(cmd, std::move(p));
  }
  MachoBuilder& dylinker(const std::string& path) { return lc_str_command(0xe, path); }
  MachoBuilder& rpath(const std::string& path) { return lc_str_command(0x8000001cu, path); }

  MachoBuilder& dylib(std::uint32_t cmd, const std::string& name,
                      std::uint32_t current = 0x10000, std::uint32_t compat = 0x10000) {
    Bytes p;
    put<std::uint32_t>(p, 24, endian_);
    put<std::uint32_t>(p, 2, endian_);
    put<std::uint32_t>(p, current, endian_);
    put<std::uint32_t>(p, compat, endian_);
    put_cstring(p, name);
    return command(cmd, std::move(p));
  }

  MachoBuilder& uuid(std::uint8_t first) {
    Bytes p;
    for (std::uint8_t i = 0; i < 16; ++i) p.push_back(static_cast<std::uint8_t>(first + i));
    return command(0x1b, std::move(p));
  }

  // LC_CODE_SIGNATURE whose data is `blob`, placed 16-aligned after the load commands
  // (dataoff/datasize can be forced to lie).
  MachoBuilder& code_signature(Bytes blob, std::optional<std::uint32_t> dataoff = std::nullopt,
                               std::optional<std::uint32_t> datasize = std::nullopt) {
    signature_ = std::move(blob);
    signature_dataoff_ = dataoff;
    signature_command_at_ = commands_.size();
    Bytes p;
    put<std::uint32_t>(p, 0, endian_);
    put<std::uint32_t>(p, datasize.value_or(static_cast<std::uint32_t>(signature_.size())),
                       endian_);
    return command(0x1d, std::move(p));
  }

  MachoBuilder& ncmds(std::uint32_t value) { ncmds_override_ = value; return *this; }
  MachoBuilder& sizeofcmds(std::uint32_t value) { sizeofcmds_override_ = value; return *this; }
  // Bytes after the load commands (and the signature, if any): segment contents.
  MachoBuilder& tail(std::size_t size) { tail_ = size; return *this; }
  // Bytes after the load commands and before the signature: what a signature hashes.
  MachoBuilder& content(Bytes bytes) { content_ = std::move(bytes); return *this; }

  Bytes build() const {
    Bytes out;
    const std::uint32_t magic = bits_ == 64 ? 0xfeedfacfu : 0xfeedfaceu;
    put<std::uint32_t>(out, magic, endian_);
    put<std::uint32_t>(out, cputype_, endian_);
    put<std::uint32_t>(out, cpusubtype_, endian_);
    put<std::uint32_t>(out, filetype_, endian_);
    put<std::uint32_t>(out, ncmds_override_.value_or(ncmds_), endian_);
    put<std::uint32_t>(out, sizeofcmds_override_.value_or(static_cast<std::uint32_t>(commands_.size())),
                       endian_);
    put<std::uint32_t>(out, flags_, endian_);
    if (bits_ == 64) put<std::uint32_t>(out, 0, endian_);
    const std::size_t commands_at = out.size();
    out.insert(out.end(), commands_.begin(), commands_.end());
    out.insert(out.end(), content_.begin(), content_.end());
    if (signature_command_at_) {
      pad_to(out, 16);
      const auto dataoff = signature_dataoff_.value_or(static_cast<std::uint32_t>(out.size()));
      patch<std::uint32_t>(out, commands_at + *signature_command_at_ + 8, dataoff, endian_);
      out.insert(out.end(), signature_.begin(), signature_.end());
    }
    out.resize(out.size() + tail_, 0);
    return out;
  }

  std::size_t header_size() const { return bits_ == 64 ? 32 : 28; }

 private:
  void word(Bytes& out, std::uint64_t value) const {
    if (bits_ == 64) put<std::uint64_t>(out, value, endian_);
    else put<std::uint32_t>(out, static_cast<std::uint32_t>(value), endian_);
  }

  int bits_;
  Endian endian_;
  std::uint32_t cputype_, cpusubtype_, filetype_, flags_;
  Bytes commands_;
  std::uint32_t ncmds_ = 0;
  std::optional<std::uint32_t> ncmds_override_, sizeofcmds_override_;
  Bytes signature_;
  std::optional<std::uint32_t> signature_dataoff_;
  std::optional<std::size_t> signature_command_at_;
  std::size_t tail_ = 0;
  Bytes content_;
};

// ---- Code signature blobs (always big-endian) ----

struct CodeDirectorySpec {
  std::uint32_t version = 0x20400;
  std::uint32_t flags = 0x20002;  // CS_ADHOC | CS_LINKER_SIGNED
  std::uint8_t hash_type = 2;     // SHA-256
  std::string identifier = "a.out";
  std::optional<std::string> team_id;
  std::uint32_t runtime = 0;
  std::optional<std::uint32_t> ident_offset;  // lie about identOffset
};

inline Bytes code_directory(const CodeDirectorySpec& spec) {
  const Endian be = Endian::big;
  const std::uint32_t header = spec.version >= 0x20500 ? 96 : spec.version >= 0x20400 ? 88
                               : spec.version >= 0x20200 ? 52 : 44;
  Bytes strings;
  const auto ident_at = static_cast<std::uint32_t>(header);
  put_cstring(strings, spec.identifier);
  const auto team_at = static_cast<std::uint32_t>(header + strings.size());
  if (spec.team_id) put_cstring(strings, *spec.team_id);
  Bytes out;
  put<std::uint32_t>(out, 0xfade0c02u, be);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(header + strings.size()), be);
  put<std::uint32_t>(out, spec.version, be);
  put<std::uint32_t>(out, spec.flags, be);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(header + strings.size()), be);  // hashOffset
  put<std::uint32_t>(out, spec.ident_offset.value_or(ident_at), be);
  put<std::uint32_t>(out, 0, be);  // nSpecialSlots
  put<std::uint32_t>(out, 0, be);  // nCodeSlots
  put<std::uint32_t>(out, 0, be);  // codeLimit
  out.push_back(spec.hash_type == 1 ? 20 : 32);  // hashSize
  out.push_back(spec.hash_type);
  out.push_back(0);   // platform
  out.push_back(12);  // pageSize
  put<std::uint32_t>(out, 0, be);  // spare2
  if (header >= 52) {
    put<std::uint32_t>(out, 0, be);  // scatterOffset
    put<std::uint32_t>(out, spec.team_id ? team_at : 0, be);
  }
  if (header >= 88) {
    put<std::uint32_t>(out, 0, be);  // spare3
    put<std::uint64_t>(out, 0, be);  // codeLimit64
    put<std::uint64_t>(out, 0, be);  // execSegBase
    put<std::uint64_t>(out, 0, be);  // execSegLimit
    put<std::uint64_t>(out, 1, be);  // execSegFlags: main binary
  }
  if (header >= 96) {
    put<std::uint32_t>(out, spec.runtime, be);
    put<std::uint32_t>(out, 0, be);  // preEncryptOffset
  }
  out.insert(out.end(), strings.begin(), strings.end());
  return out;
}

// A generic blob: magic, length, payload.
inline Bytes blob(std::uint32_t magic, const Bytes& payload) {
  Bytes out;
  put<std::uint32_t>(out, magic, Endian::big);
  put<std::uint32_t>(out, static_cast<std::uint32_t>(8 + payload.size()), Endian::big);
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

// A SuperBlob holding `slots` (type, blob) in order; count can be forced to lie.
inline Bytes super_blob(const std::vector<std::pair<std::uint32_t, Bytes>>& slots,
                        std::optional<std::uint32_t> count = std::nullopt) {
  const Endian be = Endian::big;
  Bytes out;
  put<std::uint32_t>(out, 0xfade0cc0u, be);
  put<std::uint32_t>(out, 0, be);
  put<std::uint32_t>(out, count.value_or(static_cast<std::uint32_t>(slots.size())), be);
  auto offset = static_cast<std::uint32_t>(12 + 8 * slots.size());
  for (const auto& [type, bytes] : slots) {
    put<std::uint32_t>(out, type, be);
    put<std::uint32_t>(out, offset, be);
    offset += static_cast<std::uint32_t>(bytes.size());
  }
  for (const auto& slot : slots) out.insert(out.end(), slot.second.begin(), slot.second.end());
  patch<std::uint32_t>(out, 4, static_cast<std::uint32_t>(out.size()), be);
  return out;
}

// ---- Universal binaries ----

struct FatSlice {
  FatSlice(std::uint32_t cpu, std::uint32_t subtype, Bytes contents,
           std::optional<std::uint64_t> forced_offset = std::nullopt,
           std::optional<std::uint64_t> forced_size = std::nullopt)
      : cputype(cpu), cpusubtype(subtype), bytes(std::move(contents)), offset(forced_offset),
        size(forced_size) {}
  std::uint32_t cputype, cpusubtype;
  Bytes bytes;
  std::optional<std::uint64_t> offset, size;  // lie about placement
};

// Slices placed at 4 KiB boundaries (align 12), FAT_MAGIC or FAT_MAGIC_64.
inline Bytes fat(bool is64, const std::vector<FatSlice>& slices,
                 std::optional<std::uint32_t> nfat_arch = std::nullopt) {
  const Endian be = Endian::big;
  Bytes out;
  put<std::uint32_t>(out, is64 ? 0xcafebabfu : 0xcafebabeu, be);
  put<std::uint32_t>(out, nfat_arch.value_or(static_cast<std::uint32_t>(slices.size())), be);
  std::vector<std::uint64_t> placed;
  std::uint64_t next = 4096;
  for (const auto& slice : slices) {
    placed.push_back(next);
    next += (slice.bytes.size() + 4095) / 4096 * 4096;
  }
  for (std::size_t i = 0; i < slices.size(); ++i) {
    const auto& slice = slices[i];
    const std::uint64_t offset = slice.offset.value_or(placed[i]);
    const std::uint64_t size = slice.size.value_or(slice.bytes.size());
    put<std::uint32_t>(out, slice.cputype, be);
    put<std::uint32_t>(out, slice.cpusubtype, be);
    if (is64) {
      put<std::uint64_t>(out, offset, be);
      put<std::uint64_t>(out, size, be);
      put<std::uint32_t>(out, 12, be);
      put<std::uint32_t>(out, 0, be);
    } else {
      put<std::uint32_t>(out, static_cast<std::uint32_t>(offset), be);
      put<std::uint32_t>(out, static_cast<std::uint32_t>(size), be);
      put<std::uint32_t>(out, 12, be);
    }
  }
  for (std::size_t i = 0; i < slices.size(); ++i) {
    out.resize(placed[i], 0);
    out.insert(out.end(), slices[i].bytes.begin(), slices[i].bytes.end());
  }
  return out;
}

}  // namespace enoexec::test
