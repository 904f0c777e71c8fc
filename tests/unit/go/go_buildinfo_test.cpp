#include "formats/go/go_buildinfo.hpp"

#include <gtest/gtest.h>

#include <tuple>

#include "builders/go_buildinfo_builder.hpp"

namespace enoexec::go {
namespace {

using testing::Bytes;

// What `go build` of a trivial module wrote with Go 1.19.8 for linux/arm (measured).
constexpr std::string_view kArmText =
    "path\texample.com/hello\n"
    "mod\texample.com/hello\t(devel)\t\n"
    "build\t-compiler=gc\n"
    "build\tCGO_ENABLED=0\n"
    "build\tGOARCH=arm\n"
    "build\tGOOS=linux\n"
    "build\tGOARM=6\n";

Region region(std::uint64_t vaddr, const Bytes& bytes, std::uint64_t file_offset) {
  return Region{vaddr, ByteView(bytes, file_offset)};
}

// One data segment at `vaddr` (file offset `file_offset`) that is both searched and mapped.
Image data_image(const Bytes& bytes, std::uint64_t vaddr = 0x1000, std::uint64_t file_offset = 0x400) {
  return Image{{region(vaddr, bytes, file_offset)}, {region(vaddr, bytes, file_offset)}};
}

GoBuildInfo read_ok(const Image& image) {
  auto info = read_buildinfo(image);
  EXPECT_TRUE(info.has_value()) << (info ? "" : to_string(info.error()));
  if (!info || !*info) {
    ADD_FAILURE() << "no build info found";
    return {};
  }
  return **info;
}

std::string read_error(const Image& image) {
  auto info = read_buildinfo(image);
  if (info) {
    ADD_FAILURE() << "expected an error";
    return {};
  }
  return to_string(info.error());
}

std::vector<std::pair<std::string, std::string>> arm_settings() {
  return {{"-compiler", "gc"}, {"CGO_ENABLED", "0"}, {"GOARCH", "arm"}, {"GOOS", "linux"}, {"GOARM", "6"}};
}

void expect_arm_module(const GoBuildInfo& info) {
  EXPECT_EQ(info.version, "go1.19.8");
  EXPECT_EQ(info.path, "example.com/hello");
  ASSERT_TRUE(info.main.has_value());
  EXPECT_EQ(info.main->path, "example.com/hello");
  EXPECT_EQ(info.main->version, "(devel)");
  EXPECT_EQ(info.main->sum, "");
  EXPECT_FALSE(info.main->replace_path.has_value());
  EXPECT_TRUE(info.deps.empty());
  EXPECT_EQ(info.settings, arm_settings());
}

// --- inline format (Go 1.18+) ---------------------------------------------------------------

class InlineFormat : public ::testing::TestWithParam<std::tuple<int, bool>> {};

TEST_P(InlineFormat, DecodesVersionAndModinfo) {
  const auto [pointer_size, big_endian] = GetParam();
  const Bytes blob = testing::go_inline_blob("go1.19.8", testing::framed(kArmText), pointer_size, big_endian);
  const GoBuildInfo info = read_ok(data_image(blob));
  expect_arm_module(info);
  EXPECT_EQ(info.pointer_size, pointer_size);
  EXPECT_EQ(info.big_endian, big_endian);
  EXPECT_TRUE(info.inline_format);
  EXPECT_EQ(info.offset, 0x400u);
}

INSTANTIATE_TEST_SUITE_P(PointerSizesAndByteOrders, InlineFormat,
                         ::testing::Combine(::testing::Values(4, 8), ::testing::Bool()));

TEST(GoBuildInfo, InlineStringsAreReadThroughTheSegmentPastTheSearchedSection) {
  // Like ELF .go.buildinfo: the search region is clipped to the section, reads go on in memory.
  Bytes segment = testing::go_inline_blob("go1.19.8", testing::framed(kArmText));
  const Image image{{Region{0x1000, ByteView(segment, 0x400).clamp(0, 40)}},
                    {region(0x1000, segment, 0x400)}};
  expect_arm_module(read_ok(image));
}

TEST(GoBuildInfo, InlineStringsFallBackToTheSearchRegionWithoutMemory) {
  const Bytes blob = testing::go_inline_blob("go1.19.8", testing::framed(kArmText));
  expect_arm_module(read_ok(Image{{region(0x1000, blob, 0)}, {}}));
}

// --- pointer format (Go <= 1.17) ------------------------------------------------------------

class PointerFormat : public ::testing::TestWithParam<std::tuple<int, bool>> {};

TEST_P(PointerFormat, FollowsPointersThroughMemory) {
  const auto [pointer_size, big_endian] = GetParam();
  const Bytes blob = testing::go_pointer_blob(0x8000, "go1.16.15", testing::framed(kArmText),
                                              pointer_size, big_endian);
  const GoBuildInfo info = read_ok(data_image(blob, 0x8000, 0x2000));
  EXPECT_EQ(info.version, "go1.16.15");
  EXPECT_EQ(info.path, "example.com/hello");
  EXPECT_EQ(info.settings, arm_settings());
  EXPECT_EQ(info.pointer_size, pointer_size);
  EXPECT_EQ(info.big_endian, big_endian);
  EXPECT_FALSE(info.inline_format);
  EXPECT_EQ(info.offset, 0x2000u);
}

INSTANTIATE_TEST_SUITE_P(PointerSizesAndByteOrders, PointerFormat,
                         ::testing::Combine(::testing::Values(4, 8), ::testing::Bool()));

TEST(GoBuildInfo, PointersReachOtherSegments) {
  // Header in the data segment; string headers and bytes in a read-only segment elsewhere.
  Bytes rodata;
  const std::string modinfo = testing::framed("path\tmain\n");
  testing::append_word(rodata, 0x400020, 8, false);  // version {data, len}
  testing::append_word(rodata, 7, 8, false);
  testing::append_word(rodata, 0x400027, 8, false);  // modinfo {data, len}
  testing::append_word(rodata, modinfo.size(), 8, false);
  testing::append(rodata, "go1.4.3");
  testing::append(rodata, modinfo);
  const Bytes data = testing::go_header(8, 0, 0x400000, 0x400010);
  const Image image{{region(0x600000, data, 0x3000)},
                    {region(0x400000, rodata, 0x1000), region(0x600000, data, 0x3000)}};
  const GoBuildInfo info = read_ok(image);
  EXPECT_EQ(info.version, "go1.4.3");
  EXPECT_EQ(info.path, "main");
}

TEST(GoBuildInfo, EmptyVersionIsNotAGoExecutable) {
  const Bytes inline_blob = testing::go_inline_blob("", testing::framed(kArmText));
  auto info = read_buildinfo(data_image(inline_blob));
  ASSERT_TRUE(info.has_value());
  EXPECT_FALSE(info->has_value());

  const Bytes pointer_blob = testing::go_pointer_blob(0x1000, "", "", 8, false);
  info = read_buildinfo(data_image(pointer_blob));
  ASSERT_TRUE(info.has_value());
  EXPECT_FALSE(info->has_value());
}

// --- search ---------------------------------------------------------------------------------

TEST(GoBuildInfo, NoMagicMeansNoBuildInfo) {
  const Bytes zeros(256, 0);
  auto info = read_buildinfo(data_image(zeros));
  ASSERT_TRUE(info.has_value());
  EXPECT_FALSE(info->has_value());
  info = read_buildinfo(Image{});
  ASSERT_TRUE(info.has_value());
  EXPECT_FALSE(info->has_value());
}

TEST(GoBuildInfo, MisalignedMagicIsIgnored) {
  Bytes data(8, 0);
  const Bytes blob = testing::go_inline_blob("go1.20", testing::framed(kArmText));
  data.insert(data.end(), blob.begin(), blob.end());  // magic at vaddr 0x1008
  auto info = read_buildinfo(data_image(data, 0x1000));
  ASSERT_TRUE(info.has_value()) << to_string(info.error());
  EXPECT_FALSE(info->has_value());
}

TEST(GoBuildInfo, AlignmentIsByVirtualAddressNotOffset) {
  Bytes data(8, 0);
  const Bytes blob = testing::go_inline_blob("go1.20", testing::framed(kArmText));
  data.insert(data.end(), blob.begin(), blob.end());  // offset 8, vaddr 0x1010
  const GoBuildInfo info = read_ok(data_image(data, 0x1008, 0x100));
  EXPECT_EQ(info.version, "go1.20");
  EXPECT_EQ(info.offset, 0x108u);
}

TEST(GoBuildInfo, SkipsAMisalignedMagicAndFindsTheAlignedOne) {
  Bytes data(4, 0);
  testing::append(data, testing::kGoMagic);  // at 4: misaligned decoy
  testing::pad_to(data, 64);
  const Bytes blob = testing::go_inline_blob("go1.21.0", "");
  data.insert(data.end(), blob.begin(), blob.end());
  const GoBuildInfo info = read_ok(data_image(data, 0x1000, 0));
  EXPECT_EQ(info.version, "go1.21.0");
  EXPECT_EQ(info.offset, 64u);
}

TEST(GoBuildInfo, SearchRegionsAreTriedInOrder) {
  const Bytes empty(64, 0);
  const Bytes blob = testing::go_inline_blob("go1.22.1", "");
  const Image image{{region(0x1000, empty, 0), region(0x5000, blob, 0x900)}, {}};
  EXPECT_EQ(read_ok(image).version, "go1.22.1");
}

// --- sentinels ------------------------------------------------------------------------------

TEST(GoBuildInfo, StripsSentinelsOnlyWhenTheLineEndsBeforeTheEndSentinel) {
  // Framed properly: stripped and parsed.
  Bytes blob = testing::go_inline_blob("go1.20", testing::framed("path\tp\n"));
  EXPECT_EQ(read_ok(data_image(blob)).path, "p");
  // No '\n' 17 bytes from the end: Go treats modinfo as empty.
  blob = testing::go_inline_blob("go1.20", testing::framed("path\tp\nmod\tm\tv"));
  GoBuildInfo info = read_ok(data_image(blob));
  EXPECT_EQ(info.path, "");
  EXPECT_FALSE(info.main.has_value());
  // 32 bytes, no room for a line: empty, even though the byte 17 from the end is '\n'.
  std::string short_text = testing::framed("");
  short_text[15] = '\n';
  blob = testing::go_inline_blob("go1.20", short_text);
  EXPECT_EQ(read_ok(data_image(blob)).path, "");
  // Exactly 33 bytes: "\n" between the sentinels is kept (and is an empty line).
  blob = testing::go_inline_blob("go1.20", testing::framed("\n"));
  info = read_ok(data_image(blob));
  EXPECT_EQ(info.version, "go1.20");
  EXPECT_TRUE(info.settings.empty());
  // Sentinel bytes are not checked, only the length and the newline.
  blob = testing::go_inline_blob("go1.20", std::string(16, 'x') + "path\tq\n" + std::string(16, 'y'));
  EXPECT_EQ(read_ok(data_image(blob)).path, "q");
}

// --- module text ----------------------------------------------------------------------------

TEST(GoBuildInfo, QuotedSettingsReadAsGoVersionShowsThem) {
  const Bytes blob = testing::go_inline_blob(
      "go1.19.8", testing::framed("build\t-ldflags=\"-s -w -X 'main.x=a b'\"\n"
                                  "build\t-tags=a,b\n"
                                  "build\t-trimpath=true\n"
                                  "build\tCGO_CFLAGS=\n"
                                  "build\t\"odd key\"=`raw \"value\"`\n"
                                  "build\tGOEXPERIMENT=\"tab\\there\\x21\\u00e9\\101\"\n"));
  const GoBuildInfo info = read_ok(data_image(blob));
  const std::vector<std::pair<std::string, std::string>> expected{
      {"-ldflags", "-s -w -X 'main.x=a b'"}, {"-tags", "a,b"},
      {"-trimpath", "true"},                  {"CGO_CFLAGS", ""},
      {"odd key", "raw \"value\""},           {"GOEXPERIMENT", "tab\there!\xc3\xa9" "A"}};
  EXPECT_EQ(info.settings, expected);
}

TEST(GoBuildInfo, ReplacementsApplyToThePreviousModule) {
  // As Go 1.19 wrote it for a `replace example.com/lib v1.2.3 => ../lib` (measured), including
  // the empty line BuildInfo.String leaves after a replacement.
  const Bytes blob = testing::go_inline_blob(
      "go1.19.8", testing::framed("path\texample.com/app\n"
                                  "mod\texample.com/app\t(devel)\t\n"
                                  "dep\texample.com/lib\tv1.2.3\n"
                                  "=>\t../lib\t(devel)\t\n"
                                  "\n"
                                  "dep\tgolang.org/x/text\tv0.3.7\th1:abc=\n"
                                  "build\tGOOS=linux\n"));
  const GoBuildInfo info = read_ok(data_image(blob));
  ASSERT_EQ(info.deps.size(), 2u);
  const GoDependency& lib = info.deps[0];
  EXPECT_EQ(lib.path, "example.com/lib");
  EXPECT_EQ(lib.version, "v1.2.3");
  EXPECT_EQ(lib.sum, "");
  EXPECT_EQ(lib.replace_path, "../lib");
  EXPECT_EQ(lib.replace_version, "(devel)");
  EXPECT_EQ(lib.replace_sum, "");
  EXPECT_EQ(info.deps[1].path, "golang.org/x/text");
  EXPECT_EQ(info.deps[1].sum, "h1:abc=");
  EXPECT_FALSE(info.deps[1].replace_path.has_value());
  ASSERT_TRUE(info.main.has_value());
  EXPECT_FALSE(info.main->replace_path.has_value());
}

TEST(GoBuildInfo, MainModuleCanBeReplaced) {
  const Bytes blob = testing::go_inline_blob(
      "go1.20", testing::framed("mod\tm\tv1.0.0\th1:x\n=>\t/src/m\t\t\nbuild\tGOOS=linux\n"));
  const GoBuildInfo info = read_ok(data_image(blob));
  ASSERT_TRUE(info.main.has_value());
  EXPECT_EQ(info.main->replace_path, "/src/m");
  EXPECT_EQ(info.main->replace_version, "");
}

TEST(GoBuildInfo, UnknownLinesAreIgnored) {
  const GoBuildInfo info = read_ok(data_image(testing::go_inline_blob(
      "go1.20", testing::framed("go\tgo1.20\nfuture\tthing\npath\tp\n"))));
  EXPECT_EQ(info.path, "p");
  EXPECT_FALSE(info.main.has_value());
  EXPECT_TRUE(info.settings.empty());
}

// --- malformed blobs: exact errors ----------------------------------------------------------

TEST(GoBuildInfoErrors, TruncatedHeader) {
  Bytes data(16, 0);
  testing::append(data, testing::kGoMagic);
  testing::pad_to(data, 36);  // 20 bytes from the magic
  EXPECT_EQ(read_error(data_image(data, 0x1000, 0x200)),
            "truncated: Go build info at offset 0x210: header needs 32 bytes, 20 remain (at offset 0x210)");
}

TEST(GoBuildInfoErrors, MagicEndingTheRegionIsAHeaderCutShort) {
  Bytes data(16, 0);
  testing::append(data, testing::kGoMagic);  // the last aligned offset, nothing after the magic
  EXPECT_EQ(read_error(data_image(data, 0x1000, 0x200)),
            "truncated: Go build info at offset 0x210: header needs 32 bytes, 14 remain (at offset 0x210)");
}

TEST(GoBuildInfo, MagicCutByTheRegionEndIsNoMagic) {
  Bytes data(16, 0);
  testing::append(data, testing::kGoMagic);
  data.pop_back();  // 13 of the 14 magic bytes at an aligned offset
  auto info = read_buildinfo(data_image(data, 0x1000, 0x200));
  ASSERT_TRUE(info.has_value()) << to_string(info.error());
  EXPECT_FALSE(info->has_value());
}

TEST(GoBuildInfoErrors, PointerSizeThree) {
  const Bytes blob = testing::go_header(3, 2);
  EXPECT_EQ(read_error(data_image(blob, 0x1000, 0x200)),
            "malformed: Go build info at offset 0x200: pointer size 3 is not 4 or 8 (at offset 0x20e)");
  EXPECT_EQ(read_error(data_image(testing::go_header(3, 0), 0x1000, 0x200)),
            "malformed: Go build info at offset 0x200: pointer size 3 is not 4 or 8 (at offset 0x20e)");
}

TEST(GoBuildInfoErrors, LyingVersionLength) {
  Bytes blob = testing::go_header(8, 2);
  testing::append_uvarint(blob, 200);
  testing::append(blob, "go1.20");
  EXPECT_EQ(read_error(data_image(blob, 0x1000, 0)),
            "out of bounds: Go build info at offset 0x0: version length 200 exceeds the 6 bytes "
            "that remain (at offset 0x20)");
}

TEST(GoBuildInfoErrors, HugeModinfoLength) {
  Bytes blob = testing::go_header(8, 2);
  testing::append_uvarint(blob, 6);
  testing::append(blob, "go1.20");
  testing::append_uvarint(blob, ~std::uint64_t{0});  // ten bytes: ff ff ff ff ff ff ff ff ff 01
  testing::pad_to(blob, 49 + 10 + 200 - 10);
  EXPECT_EQ(read_error(data_image(blob, 0x1000, 0x111000)),
            "out of bounds: Go build info at offset 0x111000: modinfo length 18446744073709551615 "
            "exceeds the 200 bytes that remain (at offset 0x111027)");
}

TEST(GoBuildInfoErrors, VarintOverflowingSixtyFourBits) {
  Bytes blob = testing::go_header(8, 2);
  for (int i = 0; i < 9; ++i) blob.push_back(0xff);
  blob.push_back(0x02);
  testing::pad_to(blob, 64);
  EXPECT_EQ(read_error(data_image(blob, 0x1000, 0)),
            "malformed: Go build info at offset 0x0: version length overflows 64 bits (at offset 0x20)");
}

TEST(GoBuildInfoErrors, VarintCutOffByTheEnd) {
  Bytes blob = testing::go_header(8, 2);
  blob.push_back(0x80);
  EXPECT_EQ(read_error(data_image(blob, 0x1000, 0)),
            "truncated: Go build info at offset 0x0: version length is cut off by the end of its "
            "data (at offset 0x20)");
  blob = testing::go_header(8, 2);  // nothing at all after the header
  EXPECT_EQ(read_error(data_image(blob, 0x1000, 0)),
            "truncated: Go build info at offset 0x0: version length is cut off by the end of its "
            "data (at offset 0x20)");
}

TEST(GoBuildInfoErrors, PointerOutsideEveryRegion) {
  const Bytes blob = testing::go_header(8, 0, 0xdead0000, 0x1020);
  EXPECT_EQ(read_error(data_image(blob, 0x1000, 0x500)),
            "out of bounds: Go build info at offset 0x500: version string header pointer "
            "0xdead0000 is outside every loaded segment (at offset 0x510)");
}

TEST(GoBuildInfoErrors, StringHeaderCutOffByTheSegmentEnd) {
  Bytes blob = testing::go_header(4, 1, 0x101c, 0x101c);  // 4 bytes before the end of 32
  EXPECT_EQ(read_error(data_image(blob, 0x1000, 0x500)),
            "truncated: Go build info at offset 0x500: version string header at 0x101c needs 8 "
            "bytes, 4 remain in its segment (at offset 0x51c)");
}

TEST(GoBuildInfoErrors, StringDataOutsideEveryRegionOrTooLong) {
  Bytes blob = testing::go_header(8, 0, 0x1020, 0x1030);
  testing::append_word(blob, 0x1040, 8, false);  // version: 6 bytes at 0x1040
  testing::append_word(blob, 6, 8, false);
  testing::append_word(blob, 0x9999, 8, false);  // modinfo: unmapped data
  testing::append_word(blob, 40, 8, false);
  testing::append(blob, "go1.20");
  EXPECT_EQ(read_error(data_image(blob, 0x1000, 0)),
            "out of bounds: Go build info at offset 0x0: modinfo data pointer 0x9999 is outside "
            "every loaded segment (at offset 0x30)");

  blob = testing::go_header(8, 0, 0x1020, 0x1020);
  testing::append_word(blob, 0x1030, 8, false);
  testing::append_word(blob, 1000, 8, false);  // lies: 6 bytes remain
  testing::append(blob, "go1.20");
  EXPECT_EQ(read_error(data_image(blob, 0x1000, 0)),
            "out of bounds: Go build info at offset 0x0: version length 1000 at 0x1030 exceeds the "
            "6 bytes that remain in its segment (at offset 0x30)");
}

struct BadLine {
  std::string_view text;
  std::string_view error;
};

class GarbageModinfo : public ::testing::TestWithParam<BadLine> {};

TEST_P(GarbageModinfo, NamesTheLine) {
  const std::string text = std::string("path\tp\n") + std::string(GetParam().text) + "\n";
  const Bytes blob = testing::go_inline_blob("go1.20", testing::framed(text));
  // The text starts at 0x100 + 32 (header) + 1 + 6 ("go1.20") + 1 + 16 (sentinel) = 0x138;
  // line 2 starts 7 bytes later.
  EXPECT_EQ(read_error(data_image(blob, 0x1000, 0x100)),
            "malformed: Go build info at offset 0x100: modinfo line 2: " + std::string(GetParam().error) +
                " (at offset 0x13f)");
}

INSTANTIATE_TEST_SUITE_P(
    RuntimeDebugMessages, GarbageModinfo,
    ::testing::Values(
        BadLine{"mod\tonly-path", "expected 2 or 3 columns; got 1"},
        BadLine{"dep\ta\tb\tc\td", "expected 2 or 3 columns; got 4"},
        BadLine{"=>\ta\tb", "expected 3 columns for replacement; got 2"},
        BadLine{"=>\ta\tb\tc", "replacement with no module on previous line"},
        BadLine{"build\t", "build line missing '='"},
        BadLine{"build\t=x", "build line with missing key"},
        BadLine{"build\t\"open=x", "invalid quoted key in build line"},
        BadLine{"build\t\"k\"", "build line missing '=' after quoted key"},
        BadLine{"build\t\"k\"x=y", "unexpected character after quoted key: 'x'"},
        BadLine{"build\t\"k\"\t=y", "unexpected character after quoted key: '\\t'"},
        BadLine{"build\tkey", "build line missing '=' after key"},
        BadLine{"build\tk y=1", "unquoted key \"k y\" must be quoted"},
        BadLine{"build\tk=\"a\\qb\"", "invalid quoted value in build line"},
        BadLine{"build\tk=\"a\"b", "invalid quoted value in build line"},
        BadLine{"build\tk=a b", "unquoted value \"a b\" must be quoted"},
        BadLine{"build\tk=a\rb", "unquoted value \"a\\rb\" must be quoted"}));

TEST(GoBuildInfoErrors, SecondReplacementInARowHasNothingToReplace) {
  const Bytes blob = testing::go_inline_blob(
      "go1.20", testing::framed("dep\ta\tv1\n=>\tb\tv2\tsum\n=>\tc\tv3\tsum\n"));
  EXPECT_EQ(read_error(data_image(blob, 0x1000, 0)),
            "malformed: Go build info at offset 0x0: modinfo line 3: replacement with no module on "
            "previous line (at offset 0x4d)");
}

}  // namespace
}  // namespace enoexec::go
