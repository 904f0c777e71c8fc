#include "formats/go/go_strconv.hpp"

#include <gtest/gtest.h>

namespace enoexec::go {
namespace {

using namespace std::string_literals;

TEST(GoUnquote, InterpretedEscapes) {
  EXPECT_EQ(unquote(R"("-s -w")"), "-s -w");
  EXPECT_EQ(unquote(R"("a\tb\nc\rd\\e\"f")"), "a\tb\nc\rd\\e\"f");
  EXPECT_EQ(unquote(R"("\a\b\f\v")"), "\a\b\f\v");
  EXPECT_EQ(unquote(R"("\x41\x7e")"), "A~");
  EXPECT_EQ(unquote(R"("\101\000\377")"), "A\0\xff"s);
  EXPECT_EQ(unquote(R"("\xff")"), "\xff");              // \x names a byte, not a rune
  EXPECT_EQ(unquote(R"("\u00e9")"), "\xc3\xa9");        // \u names a rune: UTF-8
  EXPECT_EQ(unquote(R"("\U0001F600")"), "\xf0\x9f\x98\x80");
  EXPECT_EQ(unquote(R"("")"), "");
  EXPECT_EQ(unquote("\"caf\xc3\xa9\""), "caf\xc3\xa9");
}

TEST(GoUnquote, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(unquote("\"a\xff" "b\""), "a\xef\xbf\xbd" "b");
  EXPECT_EQ(unquote("\"\xed\xa0\x80\""), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a surrogate
  EXPECT_EQ(unquote("\"\xc0\xaf\""), "\xef\xbf\xbd\xef\xbf\xbd");                   // overlong
}

TEST(GoUnquote, RawLiteralsKeepBackslashesAndDropCarriageReturns) {
  EXPECT_EQ(unquote(R"(`a\tb "c"`)"), R"(a\tb "c")");
  EXPECT_EQ(unquote("`a\r\nb`"), "a\nb");
  EXPECT_EQ(unquote("``"), "");
}

TEST(GoUnquote, RejectsWhatGoRejects) {
  for (std::string_view bad :
       {R"(")", R"("abc)", R"(abc)", R"('a')", R"("\'")", R"("\q")", R"("\400")", R"("\08")",
        R"("\x4")", R"("\xg0")", R"("\uD800")", R"("\U00110000")", R"("\u12")", "\"a\nb\"",
        R"("a"b)", "`abc", R"("abc\")", ""})
    EXPECT_FALSE(unquote(bad).has_value()) << bad;
}

TEST(GoUnquote, PrefixReportsTheLiteralLength) {
  auto literal = unquote_prefix(R"("k\"ey"=value)");
  ASSERT_TRUE(literal.has_value());
  EXPECT_EQ(literal->value, "k\"ey");
  EXPECT_EQ(literal->length, 7u);
  literal = unquote_prefix("`k`=v");
  ASSERT_TRUE(literal.has_value());
  EXPECT_EQ(literal->value, "k");
  EXPECT_EQ(literal->length, 3u);
  EXPECT_FALSE(unquote_prefix("k=v").has_value());
}

TEST(GoQuote, EscapesLikeStrconvQuote) {
  EXPECT_EQ(quote("a b"), R"("a b")");
  EXPECT_EQ(quote("a\tb\r\n"), R"("a\tb\r\n")");
  EXPECT_EQ(quote("q\"b\\"), R"("q\"b\\")");
  EXPECT_EQ(quote("\x01\x7f"), R"("\x01\x7f")");
  EXPECT_EQ(quote("\xff"), R"("\xff")");
  EXPECT_EQ(quote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(quote("\xc2\x80"), R"("\u0080")");
  EXPECT_EQ(quote("\xc2\xa0"), R"("\u00a0")");
  EXPECT_EQ(quote("`"), "\"`\"");
}

TEST(GoQuote, BytesAsFmtPercentQPrintsThem) {
  EXPECT_EQ(quote_byte('x'), "'x'");
  EXPECT_EQ(quote_byte(' '), "' '");
  EXPECT_EQ(quote_byte('\t'), R"('\t')");
  EXPECT_EQ(quote_byte(0), R"('\x00')");
  EXPECT_EQ(quote_byte('\''), R"('\'')");
  EXPECT_EQ(quote_byte('"'), R"('"')");
  EXPECT_EQ(quote_byte(0x80), R"('\u0080')");
  EXPECT_EQ(quote_byte(0xe9), "'\xc3\xa9'");
}

}  // namespace
}  // namespace enoexec::go
