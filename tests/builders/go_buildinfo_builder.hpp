// Builds Go build-info blobs byte by byte, as cmd/link writes them (data.go, (*Link).buildinfo)
// and as cmd/go frames modinfo (modload infoStart/infoEnd), so tests can take them apart.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace enoexec::testing {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::string_view kGoMagic{"\xff Go buildinf:", 14};
inline constexpr std::string_view kInfoStart{"\x30\x77\xaf\x0c\x92\x74\x08\x02\x41\xe1\xc1\x07\xe6\xd6\x18\xe6", 16};
inline constexpr std::string_view kInfoEnd{"\xf9\x32\x43\x31\x86\x18\x20\x72\x00\x82\x42\x10\x41\x16\xd8\xf2", 16};

inline void append(Bytes& out, std::string_view text) { out.insert(out.end(), text.begin(), text.end()); }

inline void append_uvarint(Bytes& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(value));
}

inline void append_word(Bytes& out, std::uint64_t value, int size, bool big_endian) {
  for (int i = 0; i < size; ++i) {
    const int shift = 8 * (big_endian ? size - 1 - i : i);
    out.push_back(static_cast<std::uint8_t>(value >> shift));
  }
}

inline void pad_to(Bytes& out, std::size_t size) {
  if (out.size() < size) out.resize(size, 0);
}

// The modinfo string as cmd/go embeds it: text between two 16-byte sentinels.
inline std::string framed(std::string_view text) {
  return std::string(kInfoStart) + std::string(text) + std::string(kInfoEnd);
}

// The 32-byte header. flags: bit 0 big-endian, bit 1 inline.
inline Bytes go_header(int pointer_size, std::uint8_t flags, std::uint64_t version_pointer = 0,
                       std::uint64_t modinfo_pointer = 0) {
  Bytes out;
  append(out, kGoMagic);
  out.push_back(static_cast<std::uint8_t>(pointer_size));
  out.push_back(flags);
  if ((flags & 2) == 0 && (pointer_size == 4 || pointer_size == 8)) {
    append_word(out, version_pointer, pointer_size, (flags & 1) != 0);
    append_word(out, modinfo_pointer, pointer_size, (flags & 1) != 0);
  }
  pad_to(out, 32);
  return out;
}

// Go 1.18+: header, then uvarint-prefixed version and modinfo, padded to 16 like the linker.
inline Bytes go_inline_blob(std::string_view version, std::string_view modinfo,
                            int pointer_size = 8, bool big_endian = false) {
  Bytes out = go_header(pointer_size, static_cast<std::uint8_t>(2 | (big_endian ? 1 : 0)));
  append_uvarint(out, version.size());
  append(out, version);
  append_uvarint(out, modinfo.size());
  append(out, modinfo);
  pad_to(out, (out.size() + 15) / 16 * 16);
  return out;
}

// Go <= 1.17, all in one data segment mapped at `vaddr`: the header, then at +32 the two Go
// string headers {data, len} (version, modinfo), then the string bytes.
inline Bytes go_pointer_blob(std::uint64_t vaddr, std::string_view version,
                             std::string_view modinfo, int pointer_size, bool big_endian) {
  const auto word = static_cast<std::uint64_t>(pointer_size);
  const std::uint64_t version_header = vaddr + 32, modinfo_header = version_header + 2 * word;
  const std::uint64_t version_data = modinfo_header + 2 * word;
  const std::uint64_t modinfo_data = version_data + version.size();
  Bytes out = go_header(pointer_size, big_endian ? 1 : 0, version_header, modinfo_header);
  append_word(out, version_data, pointer_size, big_endian);
  append_word(out, version.size(), pointer_size, big_endian);
  append_word(out, modinfo_data, pointer_size, big_endian);
  append_word(out, modinfo.size(), pointer_size, big_endian);
  append(out, version);
  append(out, modinfo);
  return out;
}

}  // namespace enoexec::testing
