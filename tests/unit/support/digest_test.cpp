// support/digest: known answers from FIPS 180-4's examples ("abc", and the empty message), and a
// digester that gives the same answer after reset as a fresh one.
#include <gtest/gtest.h>

#include <string_view>

#include "support/digest.hpp"

namespace enoexec {
namespace {

std::span<const std::uint8_t> bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

TEST(Digest, KnownAnswers) {
  EXPECT_EQ(digest(DigestAlgorithm::sha1, bytes("abc")).hex(),
            "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(digest(DigestAlgorithm::sha256, bytes("abc")).hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(digest(DigestAlgorithm::sha384, bytes("abc")).hex(),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
            "8086072ba1e7cc2358baeca134c825a7");
  EXPECT_EQ(digest(DigestAlgorithm::sha512, bytes("")).hex(),
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
  EXPECT_EQ(digest_size(DigestAlgorithm::sha384), 48u);
}

TEST(Digest, ADigesterIsReusableAndIncremental) {
  Digester digester(DigestAlgorithm::sha256);
  const Digest once = digester.of(bytes("abc"));
  digester.reset();
  digester.update(bytes("a"));
  digester.update(bytes("bc"));
  EXPECT_EQ(digester.finish().hex(), once.hex());
  EXPECT_EQ(digester.of(bytes("abc")).hex(), once.hex());
  EXPECT_EQ(once.view().size(), 32u);
}

}  // namespace
}  // namespace enoexec
