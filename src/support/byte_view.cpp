#include "support/byte_view.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace enoexec {

tl::unexpected<Error> ByteView::fail_range(std::uint64_t offset, std::uint64_t length,
                                           std::string_view what) const {
  const std::uint64_t absolute = file_offset_ + offset;
  if (offset > size())
    return make_error(ErrorCode::out_of_bounds, absolute,
                      fmt::format("{} starts past the end of its data ({} bytes)", what, size()));
  return make_error(ErrorCode::truncated, absolute,
                    fmt::format("{} needs {} bytes, {} remain", what, length, size() - offset));
}

Result<ByteView> ByteView::sub(std::uint64_t offset, std::uint64_t length,
                               std::string_view what) const {
  if (!contains(offset, length)) return fail_range(offset, length, what);
  return ByteView(bytes_.subspan(offset, length), file_offset_ + offset);
}

Result<ByteView> ByteView::from(std::uint64_t offset, std::string_view what) const {
  if (offset > size()) return fail_range(offset, 0, what);
  return ByteView(bytes_.subspan(offset), file_offset_ + offset);
}

ByteView ByteView::clamp(std::uint64_t offset, std::uint64_t length) const {
  if (offset >= size()) return ByteView({}, file_offset_ + size());
  return ByteView(bytes_.subspan(offset, std::min(length, size() - offset)), file_offset_ + offset);
}

Result<ByteView> ByteView::array(std::uint64_t offset, std::uint64_t count,
                                 std::uint64_t element_size, std::string_view what) const {
  if (element_size != 0 && count > size() / element_size)
    return make_error(ErrorCode::out_of_bounds, file_offset_ + offset,
                      fmt::format("{}: {} entries of {} bytes exceed the {} bytes of the file", what,
                                  count, element_size, size()));
  return sub(offset, count * element_size, what);
}

Result<std::string_view> ByteView::cstring(std::uint64_t offset, std::uint64_t max_length,
                                           std::string_view what) const {
  if (offset >= size()) return fail_range(offset, 1, what);
  const std::uint64_t window = std::min(size() - offset, max_length + 1);
  const auto* begin = bytes_.data() + offset;
  const void* nul = std::memchr(begin, 0, window);
  if (nul == nullptr) {
    if (window == size() - offset && window <= max_length)
      return make_error(ErrorCode::truncated, file_offset_ + offset,
                        fmt::format("{} is not NUL-terminated before the end of its data", what));
    return make_error(ErrorCode::limit_exceeded, file_offset_ + offset,
                      fmt::format("{} is longer than {} bytes", what, max_length));
  }
  const auto length = static_cast<std::size_t>(static_cast<const std::uint8_t*>(nul) - begin);
  return std::string_view(reinterpret_cast<const char*>(begin), length);
}

Result<ByteView> Cursor::take(std::uint64_t length, std::string_view what) {
  auto part = view_.sub(position_, length, what);
  if (part) position_ += length;
  return part;
}

Result<void> Cursor::skip(std::uint64_t length, std::string_view what) {
  if (!view_.contains(position_, length)) return view_.fail_range(position_, length, what);
  position_ += length;
  return {};
}

void Cursor::align(std::uint64_t alignment) {
  if (alignment <= 1) return;
  const std::uint64_t rest = position_ % alignment;
  if (rest == 0) return;
  const std::uint64_t step = alignment - rest;
  position_ = step > remaining() ? view_.size() : position_ + step;
}

Result<std::uint64_t> Cursor::uleb128(std::string_view what) {
  std::uint64_t value = 0;
  const std::uint64_t start = position_;
  for (unsigned shift = 0;; shift += 7) {
    auto byte = view_.u8(position_, what);
    if (!byte) return tl::unexpected(byte.error());
    ++position_;
    if (shift >= 64 || (shift == 63 && (*byte & 0x7e) != 0))
      return make_error(ErrorCode::malformed, view_.file_offset() + start,
                        fmt::format("{}: LEB128 value overflows 64 bits", what));
    value |= static_cast<std::uint64_t>(*byte & 0x7f) << shift;
    if ((*byte & 0x80) == 0) return value;
  }
}

Result<std::int64_t> Cursor::sleb128(std::string_view what) {
  std::uint64_t value = 0;
  const std::uint64_t start = position_;
  for (unsigned shift = 0;; shift += 7) {
    auto byte = view_.u8(position_, what);
    if (!byte) return tl::unexpected(byte.error());
    ++position_;
    if (shift >= 64)
      return make_error(ErrorCode::malformed, view_.file_offset() + start,
                        fmt::format("{}: LEB128 value overflows 64 bits", what));
    value |= static_cast<std::uint64_t>(*byte & 0x7f) << shift;
    if ((*byte & 0x80) == 0) {
      if (shift + 7 < 64 && (*byte & 0x40) != 0) value |= ~std::uint64_t{0} << (shift + 7);
      return static_cast<std::int64_t>(value);
    }
  }
}

Result<std::string_view> Cursor::cstring(std::string_view what, std::uint64_t max_length) {
  auto text = view_.cstring(position_, max_length, what);
  if (text) position_ += text->size() + 1;
  return text;
}

}  // namespace enoexec
