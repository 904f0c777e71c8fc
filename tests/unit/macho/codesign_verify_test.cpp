// Code-signature verification: page hashes and special slots recomputed, as xnu checks them.
// Files are signed by tests/builders/codesign_builder.hpp (libcrypto's EVP directly), then
// edited the way real tools break signatures; every expectation follows from the edit.
#include <gtest/gtest.h>

#include "builders/codesign_builder.hpp"
#include "formats/macho/macho_file.hpp"

namespace enoexec {
namespace {

using test::Bytes;
using test::MachoBuilder;
using test::SignatureSpec;

constexpr std::uint32_t kArm64 = 0x0100000c;
constexpr std::size_t kPage = 4096;
// Content follows the header and commands; the signature follows the content.
constexpr std::size_t kContentPages = 6;

MachoBuilder program(std::size_t text_bytes = kContentPages * kPage,
                     std::size_t content_pages = kContentPages) {
  MachoBuilder b(64, Endian::little, kArm64, 0, 2, 0x200085);
  Bytes content(content_pages * kPage);
  for (std::size_t i = 0; i < content.size(); ++i) content[i] = static_cast<std::uint8_t>(i * 7 + 3);
  b.build_version(1, 0x0b0000, 0x0b0000).segment("__TEXT", 0x100000000, text_bytes, 0, text_bytes);
  b.content(std::move(content));
  return b;
}

MachoCodeSignature verify(const Bytes& file, const Limits& limits = {}) {
  FileReport report;
  macho::inspect(ByteView(file), report, limits);
  EXPECT_TRUE(report.macho) << report.error.value_or("");
  return report.macho ? report.macho->code_signature : MachoCodeSignature{};
}

// Where the signature sits (LC_CODE_SIGNATURE dataoff) and its first CodeDirectory.
std::uint32_t dataoff(const Bytes& file) {
  FileReport report;
  macho::inspect(ByteView(file), report);
  return report.macho->code_signature.dataoff;
}
std::uint32_t be32(const Bytes& b, std::size_t at) {
  return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 | std::uint32_t{b[at + 2]} << 8 | b[at + 3];
}
// File offset of the CodeDirectory in SuperBlob index entry `entry`.
std::size_t cd_at(const Bytes& file, std::size_t entry = 0) {
  const std::size_t super = dataoff(file);
  return super + be32(file, super + 12 + entry * 8 + 4);
}

TEST(MachoSignatureVerify, AnAdHocSignatureOverEveryPageIsValid) {
  const Bytes file = test::build_signed(program());
  const MachoCodeSignature s = verify(file);
  EXPECT_TRUE(s.is_signed);
  EXPECT_EQ(s.valid, true);
  EXPECT_EQ(s.kernel_valid, true);
  EXPECT_TRUE(s.invalid.empty());
  EXPECT_TRUE(s.unchecked.empty());
  ASSERT_EQ(s.code_directories.size(), 1u);
  const MachoCodeDirectory& cd = s.code_directories[0];
  EXPECT_EQ(cd.hash_type, "sha256");
  EXPECT_EQ(cd.page_size, kPage);
  EXPECT_EQ(cd.code_limit, dataoff(file));
  EXPECT_EQ(cd.pages, (dataoff(file) + kPage - 1) / kPage);
  EXPECT_EQ(cd.bad_pages, 0u);
  EXPECT_EQ(cd.valid, true);
}

TEST(MachoSignatureVerify, AByteChangedInAPageNamesThatPage) {
  Bytes file = test::build_signed(program());
  file[2 * kPage + 100] ^= 0x01;
  const MachoCodeSignature s = verify(file);
  EXPECT_EQ(s.valid, false);
  EXPECT_EQ(s.kernel_valid, false);
  EXPECT_FALSE(s.truncated);
  ASSERT_EQ(s.invalid.size(), 1u);
  EXPECT_EQ(s.invalid[0].check, SignatureCheck::page);
  EXPECT_EQ(s.invalid[0].page, 2u);
  EXPECT_EQ(s.invalid[0].offset, 2 * kPage);
  EXPECT_EQ(s.invalid[0].code_directory, "sha256");
  EXPECT_EQ(s.code_directories[0].bad_pages, 1u);
}

TEST(MachoSignatureVerify, TheLastPartialPageIsHashedUpToCodeLimit) {
  Bytes file = test::build_signed(program());
  const std::uint32_t limit = dataoff(file);
  ASSERT_NE(limit % kPage, 0u);  // the header and commands make the last page partial
  file[limit - 1] ^= 0x80;
  const MachoCodeSignature s = verify(file);
  ASSERT_EQ(s.invalid.size(), 1u);
  EXPECT_EQ(s.invalid[0].page, limit / kPage);
}

TEST(MachoSignatureVerify, ManyBadPagesAreCountedAndTheFirstEightListed) {
  Bytes file = test::build_signed(program(12 * kPage, 12));
  const std::size_t pages = (dataoff(file) + kPage - 1) / kPage;
  ASSERT_GT(pages, 8u);
  // The last byte of each page (of the last, partial one: the byte before the signature).
  for (std::size_t page = 0; page < pages; ++page)
    file[std::min<std::size_t>(page * kPage + kPage, dataoff(file)) - 1] ^= 0xff;
  const MachoCodeSignature s = verify(file);
  EXPECT_EQ(s.code_directories[0].bad_pages, pages);
  ASSERT_EQ(s.invalid.size(), 8u);
  EXPECT_EQ(s.invalid[7].page, 7u);
}

TEST(MachoSignatureVerify, AByteChangedInAStoredHashFailsThatPage) {
  Bytes file = test::build_signed(program());
  const std::size_t cd = cd_at(file);
  const std::size_t hashes = cd + be32(file, cd + 16);
  file[hashes + 3 * 32 + 5] ^= 0x10;  // page 3's SHA-256
  const MachoCodeSignature s = verify(file);
  ASSERT_EQ(s.invalid.size(), 1u);
  EXPECT_EQ(s.invalid[0].page, 3u);
}

TEST(MachoSignatureVerify, EveryHashTypeXnuKnowsAndSixteenKiBPages) {
  SignatureSpec spec;
  spec.hash_types = {1, 3, 2, 4};  // SHA-1, SHA-256 truncated, SHA-256, SHA-384
  spec.page_shift = 14;
  const MachoCodeSignature s = verify(test::build_signed(program(), spec));
  EXPECT_EQ(s.valid, true);
  ASSERT_EQ(s.code_directories.size(), 4u);
  EXPECT_EQ(s.code_directories[1].hash_type, "sha256-truncated");
  EXPECT_EQ(s.code_directories[3].hash_type, "sha384");
  EXPECT_EQ(s.code_directories[0].page_size, 16384u);
  EXPECT_EQ(s.code_directories[1].slot, 0x1000u);
}

// xnu pages in with the strongest CodeDirectory only; codesign --verify checks them all.
TEST(MachoSignatureVerify, AStaleSha1DirectoryBesideAGoodSha256OneIsInvalidButNotToTheKernel) {
  SignatureSpec spec;
  spec.hash_types = {1, 2};
  Bytes file = test::build_signed(program(), spec);
  const std::size_t sha1 = cd_at(file, 0);
  file[sha1 + be32(file, sha1 + 16)] ^= 0x01;  // page 0 of the SHA-1 directory
  MachoCodeSignature s = verify(file);
  EXPECT_EQ(s.valid, false);
  EXPECT_EQ(s.kernel_valid, true);
  EXPECT_EQ(s.code_directories[0].valid, false);
  EXPECT_EQ(s.code_directories[1].valid, true);
  EXPECT_EQ(s.invalid.at(0).directory, 0u);

  file = test::build_signed(program(), spec);
  const std::size_t sha256 = cd_at(file, 1);
  file[sha256 + be32(file, sha256 + 16)] ^= 0x01;
  s = verify(file);
  EXPECT_EQ(s.valid, false);
  EXPECT_EQ(s.kernel_valid, false);
}

TEST(MachoSignatureVerify, SpecialSlotsHashTheBlobsStoredInTheSignature) {
  SignatureSpec spec;
  spec.special_blobs[2] = test::blob(0xfade0c01u, Bytes{0, 0, 0, 0});  // empty requirements
  spec.special_blobs[5] = test::blob(0xfade7171u, Bytes(40, 'x'));    // entitlements
  Bytes file = test::build_signed(program(), spec);
  EXPECT_EQ(verify(file).valid, true);
  EXPECT_EQ(verify(file).code_directories[0].special_slots, 5u);

  // The entitlements blob is the last thing in the file: change its last byte.
  file.back() ^= 0x01;
  const MachoCodeSignature s = verify(file);
  EXPECT_EQ(s.valid, false);
  EXPECT_EQ(s.kernel_valid, false);
  ASSERT_EQ(s.invalid.size(), 1u);
  EXPECT_EQ(s.invalid[0].check, SignatureCheck::special_slot);
  EXPECT_EQ(s.invalid[0].slot, 5u);
}

TEST(MachoSignatureVerify, AHashWithoutItsBlobOrABlobWithoutItsSlotIsInvalid) {
  SignatureSpec spec;
  spec.outside_hashes[5] = Bytes(32, 0xab);  // entitlements hash, no entitlements blob
  MachoCodeSignature s = verify(test::build_signed(program(), spec));
  ASSERT_EQ(s.invalid.size(), 1u);
  EXPECT_EQ(s.invalid[0].slot, 5u);

  // A DER entitlements blob (slot 7) in a directory with only 5 special slots.
  SignatureSpec no_slot;
  no_slot.outside_hashes[5] = Bytes(32, 0);
  Bytes file = test::build_signed(program(), no_slot);
  (void)file;
  SignatureSpec with_blob = no_slot;
  with_blob.special_blobs[7] = test::blob(0xfade7172u, Bytes(8, 0x30));
  Bytes signed_file = test::build_signed(program(), with_blob);
  // Tell the directory it has 5 special slots: slot 7's hash is no longer one of them.
  const std::size_t cd = cd_at(signed_file);
  signed_file[cd + 27] = 5;
  s = verify(signed_file);
  EXPECT_EQ(s.valid, false);
  ASSERT_FALSE(s.invalid.empty());
  EXPECT_EQ(s.invalid.back().slot, 7u);
}

TEST(MachoSignatureVerify, SlotsForFilesOutsideTheProgramAreListedAsUnchecked) {
  SignatureSpec spec;
  spec.outside_hashes[1] = Bytes(32, 0x11);  // Info.plist
  spec.outside_hashes[3] = Bytes(32, 0x33);  // _CodeSignature/CodeResources
  spec.special_blobs[0x10000] = test::blob(0xfade0b01u, Bytes(64, 0x30));  // CMS
  const MachoCodeSignature s = verify(test::build_signed(program(), spec));
  EXPECT_EQ(s.valid, true);
  EXPECT_EQ(s.unchecked, (std::vector<std::string>{"info-plist", "resource-dir", "cms-signature"}));
}

// cs_validate_codedirectory: the kernel refuses these before hashing anything.
TEST(MachoSignatureVerify, StructureXnuRejects) {
  const auto broken = [](std::size_t field, std::uint8_t value) {
    Bytes file = test::build_signed(program());
    file[cd_at(file) + field] = value;
    return verify(file);
  };
  for (const auto& s : {broken(39, 13) /* pageSize 2^13 */, broken(36, 20) /* hashSize */,
                        broken(37, 9) /* hashType */}) {
    EXPECT_EQ(s.valid, false);
    EXPECT_EQ(s.kernel_valid, false);
    ASSERT_EQ(s.invalid.size(), 1u);
    EXPECT_EQ(s.invalid[0].check, SignatureCheck::structure);
  }
  const MachoCodeSignature many_pages = broken(28, 0x7f);  // nCodeSlots past the directory
  EXPECT_EQ(many_pages.invalid.at(0).check, SignatureCheck::structure);
}

TEST(MachoSignatureVerify, PagesWithoutAHashAreInvalid) {
  Bytes file = test::build_signed(program());
  const std::size_t cd = cd_at(file);
  file[cd + 31] -= 1;  // nCodeSlots one short of codeLimit
  MachoCodeSignature s = verify(file);
  EXPECT_EQ(s.valid, false);
  EXPECT_EQ(s.invalid.at(0).check, SignatureCheck::structure);

  // __TEXT runs past codeLimit: its last pages have no hash.
  file = test::build_signed(program(12 * kPage));
  s = verify(file);
  EXPECT_EQ(s.valid, false);
  EXPECT_NE(s.invalid.at(0).message.find("segment __TEXT"), std::string::npos) << s.invalid[0].message;
}

TEST(MachoSignatureVerify, ACodeLimitPastTheEndOfTheFileIsInvalid) {
  Bytes file = test::build_signed(program());
  const std::size_t cd = cd_at(file);
  file[cd + 33] = 0x7f;  // codeLimit += 0x7f0000 (and nCodeSlots no longer covers it either)
  const MachoCodeSignature s = verify(file);
  EXPECT_EQ(s.valid, false);
  EXPECT_NE(s.invalid.at(0).message.find("runs past the end"), std::string::npos);
  EXPECT_TRUE(s.truncated);
}

TEST(MachoSignatureVerify, AFileCutInsideItsSignatureIsInvalidNotUnsigned) {
  Bytes file = test::build_signed(program());
  file.resize(file.size() - 40);
  const MachoCodeSignature s = verify(file);
  EXPECT_TRUE(s.truncated);
  EXPECT_EQ(s.valid, false);
  EXPECT_EQ(s.kernel_valid, false);
  EXPECT_EQ(s.invalid.at(0).check, SignatureCheck::structure);
}

TEST(MachoSignatureVerify, TwoDirectoriesOfOneHashTypeAreRejected) {
  SignatureSpec spec;
  spec.hash_types = {2, 2};
  const MachoCodeSignature s = verify(test::build_signed(program(), spec));
  EXPECT_EQ(s.valid, false);
  EXPECT_EQ(s.kernel_valid, false);
}

TEST(MachoSignatureVerify, AnUnsignedFileHasNoVerdict) {
  const MachoCodeSignature s = verify(program().build());
  EXPECT_FALSE(s.is_signed);
  EXPECT_FALSE(s.valid.has_value());
  EXPECT_FALSE(s.kernel_valid.has_value());
}

TEST(MachoSignatureVerify, TheSignatureBytesLimitLeavesTheRestUncheckedNotValid) {
  Limits limits;
  limits.signature_bytes = 2 * kPage;
  FileReport report;
  const Bytes file = test::build_signed(program());
  macho::inspect(ByteView(file), report, limits);
  const MachoCodeSignature& s = report.macho->code_signature;
  EXPECT_FALSE(s.valid.has_value());
  EXPECT_FALSE(s.kernel_valid.has_value());
  EXPECT_EQ(s.unchecked, std::vector<std::string>{"code-pages-over-limit"});
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_EQ(report.warnings[0].rfind("limit exceeded: signature bytes: ", 0), 0u)
      << report.warnings[0];
}

// A universal file's slices share one budget: overlapping slices cannot multiply the work.
TEST(MachoSignatureVerify, UniversalSlicesShareTheSignatureBytesLimit) {
  const Bytes thin = test::build_signed(program());
  const Bytes fat = test::fat(false, {test::FatSlice(kArm64, 0, thin), test::FatSlice(0x01000007, 3, thin)});
  Limits limits;
  limits.signature_bytes = thin.size() + kPage;  // enough for one slice, not two
  FileReport report;
  macho::inspect(ByteView(fat), report, limits);
  ASSERT_EQ(report.slices.size(), 2u);
  EXPECT_EQ(report.slices[0].macho->code_signature.valid, true);
  EXPECT_FALSE(report.slices[1].macho->code_signature.valid.has_value());
}

}  // namespace
}  // namespace enoexec
