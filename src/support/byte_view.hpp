// ByteView: the one way parsers read bytes. Every offset, length and count is checked with
// overflow-safe arithmetic before use, and every failure names the structure and its file offset.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "enoexec/error.hpp"
#include "support/endian.hpp"

namespace enoexec {

class ByteView {
 public:
  ByteView() = default;
  ByteView(std::span<const std::uint8_t> bytes, std::uint64_t file_offset = 0)
      : bytes_(bytes), file_offset_(file_offset) {}

  std::uint64_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  std::span<const std::uint8_t> bytes() const { return bytes_; }
  const std::uint8_t* data() const { return bytes_.data(); }
  // File offset of byte 0 of this view: errors report absolute offsets.
  std::uint64_t file_offset() const { return file_offset_; }

  // True when [offset, offset + length) lies inside the view (overflow-safe).
  bool contains(std::uint64_t offset, std::uint64_t length) const {
    return length <= size() && offset <= size() - length;
  }

  // The bytes [offset, offset + length); `what` names the structure for the error.
  Result<ByteView> sub(std::uint64_t offset, std::uint64_t length, std::string_view what) const;
  // The bytes from `offset` to the end of the view.
  Result<ByteView> from(std::uint64_t offset, std::string_view what) const;
  // The bytes [offset, offset + length), cut short at the end of the view (for best-effort reads).
  ByteView clamp(std::uint64_t offset, std::uint64_t length) const;

  // `count` elements of `element_size` bytes at `offset`: fails unless all of them fit, so a
  // lying count can never make the caller allocate more than the file holds.
  Result<ByteView> array(std::uint64_t offset, std::uint64_t count, std::uint64_t element_size,
                         std::string_view what) const;

  template <std::unsigned_integral T>
  Result<T> read(std::uint64_t offset, Endian endian, std::string_view what) const {
    if (!contains(offset, sizeof(T))) return fail_range(offset, sizeof(T), what);
    return load<T>(bytes_.data() + offset, endian);
  }
  // The same check without an error to build: `absent` when the value does not fit. For the
  // loops over thousands of table entries that treat an unreadable entry as empty.
  template <std::unsigned_integral T>
  T read_or(std::uint64_t offset, Endian endian, T absent) const {
    return contains(offset, sizeof(T)) ? load<T>(bytes_.data() + offset, endian) : absent;
  }
  Result<std::uint8_t> u8(std::uint64_t offset, std::string_view what) const {
    return read<std::uint8_t>(offset, Endian::little, what);
  }

  // A NUL-terminated string starting at `offset`, at most `max_length` bytes before the NUL.
  Result<std::string_view> cstring(std::uint64_t offset, std::uint64_t max_length,
                                   std::string_view what) const;

  std::string_view as_chars() const {
    return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()};
  }

  // The error for a range that does not fit: names `what`, the offset and what remained.
  tl::unexpected<Error> fail_range(std::uint64_t offset, std::uint64_t length,
                                   std::string_view what) const;

 private:
  std::span<const std::uint8_t> bytes_;
  std::uint64_t file_offset_ = 0;
};

// Sequential reads over a ByteView, for tag/length streams (notes, attributes, varints).
class Cursor {
 public:
  Cursor(ByteView view, Endian endian) : view_(view), endian_(endian) {}

  std::uint64_t position() const { return position_; }
  std::uint64_t remaining() const { return view_.size() - position_; }
  bool at_end() const { return position_ >= view_.size(); }
  std::uint64_t file_offset() const { return view_.file_offset() + position_; }
  Endian endian() const { return endian_; }

  template <std::unsigned_integral T>
  Result<T> read(std::string_view what) {
    auto value = view_.read<T>(position_, endian_, what);
    if (value) position_ += sizeof(T);
    return value;
  }
  Result<ByteView> take(std::uint64_t length, std::string_view what);
  Result<std::uint64_t> uleb128(std::string_view what);
  Result<std::int64_t> sleb128(std::string_view what);
  Result<std::string_view> cstring(std::string_view what, std::uint64_t max_length = 4096);
  Result<void> skip(std::uint64_t length, std::string_view what);
  // Moves to the next multiple of `alignment` (a power of two), or to the end of the view.
  void align(std::uint64_t alignment);

 private:
  ByteView view_;
  Endian endian_;
  std::uint64_t position_ = 0;
};

}  // namespace enoexec
