#include "formats/go/go_buildinfo.hpp"

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "formats/go/go_modinfo.hpp"

namespace enoexec::go {
namespace {

constexpr std::string_view kMagic("\xff Go buildinf:", 14);
constexpr std::uint64_t kPointerSizeOffset = 14;
constexpr std::uint64_t kFlagsOffset = 15;
constexpr std::uint64_t kPointersOffset = 16;
constexpr std::uint8_t kFlagBigEndian = 0x1;
constexpr std::uint8_t kFlagInline = 0x2;
constexpr unsigned kMaxVarintBytes = 10;  // binary.MaxVarintLen64

// cmd/go/internal/modload wraps modinfo in 16-byte sentinels; debug/buildinfo strips them
// only when the text is long enough and the byte before the end sentinel is '\n'.
constexpr std::uint64_t kSentinelSize = 16;

struct Header {
  ByteView bytes;          // the 32 header bytes
  std::uint64_t vaddr = 0;
  ByteView after;          // the search region's bytes after the header (fallback for reads)
};

// The failure of a damaged blob, always naming where its header is.
class Blob {
 public:
  explicit Blob(std::uint64_t header_offset) : header_offset_(header_offset) {}

  tl::unexpected<Error> fail(ErrorCode code, std::uint64_t offset, std::string_view what) const {
    return make_error(code, offset,
                      fmt::format("Go build info at offset {:#x}: {}", header_offset_, what));
  }
  tl::unexpected<Error> wrap(const Error& error) const {
    return fail(error.code, error.offset, error.what);
  }
  std::uint64_t header_offset() const { return header_offset_; }

 private:
  std::uint64_t header_offset_;
};

// (vaddr + offset) % 16, without overflowing.
std::uint64_t misalignment(std::uint64_t vaddr, std::uint64_t offset) {
  return (vaddr % kBuildInfoAlign + offset % kBuildInfoAlign) % kBuildInfoAlign;
}

// How far past `offset` the next 16-byte-aligned virtual address lies.
std::uint64_t to_aligned(std::uint64_t vaddr, std::uint64_t offset) {
  const std::uint64_t rest = misalignment(vaddr, offset);
  return rest == 0 ? 0 : kBuildInfoAlign - rest;
}

// The first offset at or after `from`, at a 16-byte-aligned virtual address, where the whole
// magic lies in `data`; npos when there is none. Only aligned offsets can hold the header, so
// only they are compared (a plain substring search stops at every stray 0xff byte of the data).
std::size_t find_aligned_magic(std::string_view data, std::size_t from) {
  if (data.size() < kMagic.size()) return std::string_view::npos;
  const std::size_t last = data.size() - kMagic.size();
  for (std::size_t at = from; at <= last; at += kBuildInfoAlign)
    if (data[at] == kMagic[0] && data.compare(at, kMagic.size(), kMagic) == 0) return at;
  return std::string_view::npos;
}

// Go's searchMagic over one region.
Result<std::optional<Header>> find_header(const Region& region) {
  const std::string_view data = region.bytes.as_chars();
  const std::uint64_t from = to_aligned(region.vaddr, 0);
  if (from < data.size()) {
    const std::size_t hit = find_aligned_magic(data, static_cast<std::size_t>(from));
    if (hit == std::string_view::npos) return std::nullopt;
    const std::uint64_t header_offset = region.bytes.file_offset() + hit;
    auto bytes = region.bytes.sub(hit, kBuildInfoHeaderSize, "header");
    if (!bytes) return Blob(header_offset).wrap(bytes.error());
    return Header{*bytes, region.vaddr + hit,
                  region.bytes.clamp(hit + kBuildInfoHeaderSize, data.size())};
  }
  return std::nullopt;
}

// The bytes from `vaddr` to the end of the first region that maps it: memory first, then search.
std::optional<ByteView> bytes_at(const Image& image, std::uint64_t vaddr) {
  for (const auto* regions : {&image.memory, &image.search})
    for (const Region& region : *regions)
      if (vaddr >= region.vaddr && vaddr - region.vaddr < region.bytes.size())
        return region.bytes.clamp(vaddr - region.vaddr, region.bytes.size());
  return std::nullopt;
}

// binary.Uvarint, with Go's limits: at most 10 bytes, the 10th no more than 1.
Result<std::uint64_t> read_uvarint(Cursor& cursor, const Blob& blob, std::string_view name) {
  const std::uint64_t start = cursor.file_offset();
  std::uint64_t value = 0;
  for (unsigned index = 0; index < kMaxVarintBytes; ++index) {
    if (cursor.at_end())
      return blob.fail(ErrorCode::truncated, start,
                       fmt::format("{} length is cut off by the end of its data", name));
    const std::uint8_t byte = *cursor.read<std::uint8_t>(name);
    if (index == kMaxVarintBytes - 1 && byte > 1) break;
    value |= static_cast<std::uint64_t>(byte & 0x7F) << (7 * index);
    if (byte < 0x80) return value;
  }
  return blob.fail(ErrorCode::malformed, start, fmt::format("{} length overflows 64 bits", name));
}

// decodeString: uvarint length, then that many bytes, all within `cursor`'s region.
Result<ByteView> read_inline_string(Cursor& cursor, const Blob& blob, std::string_view name) {
  const std::uint64_t length_offset = cursor.file_offset();
  auto length = read_uvarint(cursor, blob, name);
  if (!length) return tl::unexpected(length.error());
  if (*length > cursor.remaining())
    return blob.fail(ErrorCode::out_of_bounds, length_offset,
                     fmt::format("{} length {} exceeds the {} bytes that remain", name, *length,
                                 cursor.remaining()));
  return *cursor.take(*length, name);
}

struct RawStrings {
  ByteView version, modinfo;
};

Result<RawStrings> read_inline(const Image& image, const Header& header, const Blob& blob) {
  const ByteView data = bytes_at(image, header.vaddr + kBuildInfoHeaderSize).value_or(header.after);
  Cursor cursor(data, Endian::little);
  auto version = read_inline_string(cursor, blob, "version");
  if (!version) return tl::unexpected(version.error());
  auto modinfo = read_inline_string(cursor, blob, "modinfo");
  if (!modinfo) return tl::unexpected(modinfo.error());
  return RawStrings{*version, *modinfo};
}

struct Target {
  int pointer_size;
  Endian endian;

  std::uint64_t word(ByteView bytes, std::uint64_t offset) const {
    if (pointer_size == 4) return *bytes.read<std::uint32_t>(offset, endian, "pointer");
    return *bytes.read<std::uint64_t>(offset, endian, "pointer");
  }
};

// readString: a Go string header {data, len} at `pointer`, then its bytes.
// `pointer_offset` is the file offset of the header field that holds `pointer`.
Result<ByteView> read_go_string(const Image& image, const Target& target, std::uint64_t pointer,
                                std::uint64_t pointer_offset, const Blob& blob,
                                std::string_view name) {
  const auto word = static_cast<std::uint64_t>(target.pointer_size);
  auto header = bytes_at(image, pointer);
  if (!header)
    return blob.fail(ErrorCode::out_of_bounds, pointer_offset,
                     fmt::format("{} string header pointer {:#x} is outside every loaded segment",
                                 name, pointer));
  if (header->size() < 2 * word)
    return blob.fail(ErrorCode::truncated, header->file_offset(),
                     fmt::format("{} string header at {:#x} needs {} bytes, {} remain in its "
                                 "segment",
                                 name, pointer, 2 * word, header->size()));
  const std::uint64_t data_pointer = target.word(*header, 0);
  const std::uint64_t length = target.word(*header, word);
  if (length == 0) return ByteView({}, header->file_offset());
  auto data = bytes_at(image, data_pointer);
  if (!data)
    return blob.fail(ErrorCode::out_of_bounds, header->file_offset(),
                     fmt::format("{} data pointer {:#x} is outside every loaded segment", name,
                                 data_pointer));
  if (length > data->size())
    return blob.fail(ErrorCode::out_of_bounds, data->file_offset(),
                     fmt::format("{} length {} at {:#x} exceeds the {} bytes that remain in its "
                                 "segment",
                                 name, length, data_pointer, data->size()));
  return *data->sub(0, length, name);
}

Result<RawStrings> read_pointers(const Image& image, const Header& header, const Target& target,
                                 const Blob& blob) {
  const auto word = static_cast<std::uint64_t>(target.pointer_size);
  const std::uint64_t version_at = target.word(header.bytes, kPointersOffset);
  const std::uint64_t modinfo_at = target.word(header.bytes, kPointersOffset + word);
  const std::uint64_t base = header.bytes.file_offset();
  auto version =
      read_go_string(image, target, version_at, base + kPointersOffset, blob, "version");
  if (!version) return tl::unexpected(version.error());
  auto modinfo =
      read_go_string(image, target, modinfo_at, base + kPointersOffset + word, blob, "modinfo");
  if (!modinfo) return tl::unexpected(modinfo.error());
  return RawStrings{*version, *modinfo};
}

// What debug/buildinfo keeps of modinfo: the text between the sentinels, or nothing.
ByteView strip_sentinels(ByteView modinfo) {
  const std::string_view text = modinfo.as_chars();
  if (text.size() >= 2 * kSentinelSize + 1 && text[text.size() - kSentinelSize - 1] == '\n')
    return modinfo.clamp(kSentinelSize, text.size() - 2 * kSentinelSize);
  return modinfo.clamp(0, 0);
}

Result<std::optional<GoBuildInfo>> decode(const Image& image, const Header& header) {
  const Blob blob(header.bytes.file_offset());
  const std::uint8_t pointer_size = *header.bytes.u8(kPointerSizeOffset, "pointer size");
  const std::uint8_t flags = *header.bytes.u8(kFlagsOffset, "flags");
  if (pointer_size != 4 && pointer_size != 8)
    return blob.fail(ErrorCode::malformed, blob.header_offset() + kPointerSizeOffset,
                     fmt::format("pointer size {} is not 4 or 8", pointer_size));

  GoBuildInfo info;
  info.pointer_size = pointer_size;
  info.big_endian = (flags & kFlagBigEndian) != 0;
  info.inline_format = (flags & kFlagInline) != 0;
  info.offset = blob.header_offset();
  const Target target{pointer_size, info.big_endian ? Endian::big : Endian::little};
  auto raw = info.inline_format ? read_inline(image, header, blob)
                                : read_pointers(image, header, target, blob);
  if (!raw) return tl::unexpected(raw.error());
  if (raw->version.empty()) return std::nullopt;  // Go: "not a Go executable"
  info.version = std::string(raw->version.as_chars());
  auto parsed = parse_modinfo(strip_sentinels(raw->modinfo), info);
  if (!parsed) return blob.wrap(parsed.error());
  return info;
}

}  // namespace

Result<std::optional<GoBuildInfo>> read_buildinfo(const Image& image) {
  for (const Region& region : image.search) {
    auto header = find_header(region);
    if (!header) return tl::unexpected(header.error());
    if (*header) return decode(image, **header);
  }
  return std::nullopt;
}

}  // namespace enoexec::go
