// support/base64: RFC 4648's test vectors, bytes that are not text, and an input longer than one
// EVP_EncodeBlock call takes.
#include <gtest/gtest.h>

#include <string>

#include "support/base64.hpp"

namespace enoexec {
namespace {

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, BytesThatAreNotText) {
  EXPECT_EQ(base64_encode("a\xff" "b"), "Yf9i");
  EXPECT_EQ(base64_encode(std::string("\0\xfe\x80", 3)), "AP6A");
  EXPECT_EQ(base64_encode("dir/\xe9t\xe9"), "ZGlyL+l06Q==");  // Latin-1 "été": '+' of the standard alphabet
}

TEST(Base64, LongInputInPieces) {
  const std::string input((3 << 20) + 4, '\xff');  // one whole piece, then 4 bytes
  const std::string out = base64_encode(input);
  ASSERT_EQ(out.size(), ((3u << 20) + 4 + 2) / 3 * 4);
  EXPECT_EQ(out.find_first_not_of('/'), (4u << 20) + 5);  // 0xff 0xff 0xff -> "////"
  EXPECT_EQ(out.substr((4u << 20)), "/////w==");
}

}  // namespace
}  // namespace enoexec
