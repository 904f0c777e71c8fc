#include "support/byte_view.hpp"

#include <array>
#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

namespace enoexec {
namespace {

constexpr std::array<std::uint8_t, 8> kBytes{0x01, 0x02, 0x03, 0x04, 'a', 'b', 0, 'c'};

TEST(ByteView, ReadsBothByteOrders) {
  ByteView view(kBytes);
  EXPECT_EQ(view.read<std::uint32_t>(0, Endian::little, "word").value(), 0x04030201u);
  EXPECT_EQ(view.read<std::uint32_t>(0, Endian::big, "word").value(), 0x01020304u);
  EXPECT_EQ(view.read<std::uint16_t>(2, Endian::big, "half").value(), 0x0304u);
}

TEST(ByteView, RefusesReadsPastTheEndWithOffsetAndName) {
  ByteView view(kBytes, 0x100);
  auto word = view.read<std::uint64_t>(4, Endian::little, "e_entry");
  ASSERT_FALSE(word);
  EXPECT_EQ(word.error().code, ErrorCode::truncated);
  EXPECT_EQ(to_string(word.error()), "truncated: e_entry needs 8 bytes, 4 remain (at offset 0x104)");
}

TEST(ByteView, ReadOrGivesTheFallbackForWhatDoesNotFit) {
  ByteView view(kBytes);
  EXPECT_EQ(view.read_or<std::uint32_t>(4, Endian::big, 7), 0x61620063u);
  EXPECT_EQ(view.read_or<std::uint16_t>(0, Endian::little, 7), 0x0201u);
  EXPECT_EQ(view.read_or<std::uint32_t>(5, Endian::little, 7), 7u);  // 3 of 4 bytes remain
  EXPECT_EQ(view.read_or<std::uint16_t>(std::numeric_limits<std::uint64_t>::max() - 1,
                                        Endian::little, 9),
            9u);
}

TEST(ByteView, OverflowingRangesAreOutOfBounds) {
  ByteView view(kBytes);
  const auto huge = std::numeric_limits<std::uint64_t>::max();
  EXPECT_FALSE(view.contains(huge, 2));
  EXPECT_FALSE(view.contains(2, huge));
  auto part = view.sub(huge - 1, 4, "section");
  ASSERT_FALSE(part);
  EXPECT_EQ(part.error().code, ErrorCode::out_of_bounds);
}

TEST(ByteView, ArrayCountsAreCappedByTheBytesThatExist) {
  ByteView view(kBytes);
  auto table = view.array(0, std::uint64_t{1} << 62, 64, "section header table");
  ASSERT_FALSE(table);
  EXPECT_EQ(to_string(table.error()),
            "out of bounds: section header table: 4611686018427387904 entries of 64 bytes exceed "
            "the 8 bytes of the file (at offset 0x0)");
  EXPECT_EQ(view.array(0, 2, 4, "pair").value().size(), 8u);
}

TEST(ByteView, CStringIsBoundedAndMustEndInNul) {
  ByteView view(kBytes);
  EXPECT_EQ(view.cstring(4, 16, "name").value(), "ab");
  EXPECT_EQ(view.cstring(7, 16, "name").error().code, ErrorCode::truncated);
  EXPECT_EQ(view.cstring(4, 1, "name").error().code, ErrorCode::limit_exceeded);
}

TEST(ByteView, ClampCutsAtTheEnd) {
  ByteView view(kBytes);
  EXPECT_EQ(view.clamp(6, 100).size(), 2u);
  EXPECT_EQ(view.clamp(100, 4).size(), 0u);
}

TEST(Cursor, DecodesLeb128AndRejectsOverflow) {
  constexpr std::array<std::uint8_t, 3> uleb{0xe5, 0x8e, 0x26};
  Cursor c(ByteView(uleb), Endian::little);
  EXPECT_EQ(c.uleb128("value").value(), 624485u);
  EXPECT_TRUE(c.at_end());

  std::array<std::uint8_t, 11> too_long{};
  too_long.fill(0xff);
  too_long.back() = 0x01;
  Cursor bad(ByteView(too_long), Endian::little);
  EXPECT_EQ(bad.uleb128("value").error().code, ErrorCode::malformed);

  constexpr std::array<std::uint8_t, 1> minus_one{0x7f};
  Cursor s(ByteView(minus_one), Endian::little);
  EXPECT_EQ(s.sleb128("value").value(), -1);
}

TEST(Cursor, UnterminatedLeb128IsTruncated) {
  constexpr std::array<std::uint8_t, 2> open{0x80, 0x80};
  Cursor c(ByteView(open), Endian::little);
  EXPECT_EQ(c.uleb128("value").error().code, ErrorCode::truncated);
}

}  // namespace
}  // namespace enoexec
