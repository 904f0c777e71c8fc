// LC_CODE_SIGNATURE: the SuperBlob, its CodeDirectories and what they say about the signature;
// lying counts and offsets give warnings, never a crash or a wrong "signed".
#include <gtest/gtest.h>

#include "builders/macho_builder.hpp"
#include "formats/macho/macho_file.hpp"

namespace enoexec {
namespace {

using test::Bytes;
using test::CodeDirectorySpec;
using test::MachoBuilder;

constexpr std::uint32_t kArm64 = 0x0100000c;

FileReport inspect_signed(Bytes signature, std::optional<std::uint32_t> dataoff = std::nullopt,
                          std::optional<std::uint32_t> datasize = std::nullopt) {
  MachoBuilder b(64, Endian::little, kArm64, 0, 2, 0x200085);
  b.build_version(1, 0x0b0000, 0x0b0000).code_signature(std::move(signature), dataoff, datasize);
  const Bytes bytes = b.build();
  FileReport report;
  macho::inspect(ByteView(bytes), report);
  return report;
}

// The signature data starts at 0x50: header 0x20 + build_version 0x18 + LC_CODE_SIGNATURE 0x10.
constexpr std::uint64_t kSignatureAt = 0x50;

TEST(MachoCodeSignature, GoLinkerAdHocSignature) {
  const FileReport r = inspect_signed(test::super_blob({{0, test::code_directory({})}}));
  ASSERT_TRUE(r.warnings.empty()) << r.warnings.front();
  const MachoCodeSignature& s = r.macho->code_signature;
  EXPECT_TRUE(s.is_signed);
  EXPECT_TRUE(s.adhoc);
  EXPECT_TRUE(s.linker_signed);
  EXPECT_FALSE(s.runtime);
  EXPECT_FALSE(s.has_cms);
  EXPECT_EQ(s.identifier, "a.out");
  EXPECT_FALSE(s.team_id);
  EXPECT_EQ(s.hash_type, "sha256");
  EXPECT_EQ(s.cd_version, "0x20400");
  EXPECT_EQ(s.flags, (std::vector<std::string>{"CS_ADHOC", "CS_LINKER_SIGNED"}));
  EXPECT_EQ(s.dataoff, kSignatureAt);
}

TEST(MachoCodeSignature, DeveloperIdWithTeamRuntimeAndCms) {
  CodeDirectorySpec cd;
  cd.version = 0x20500;
  cd.flags = 0x10000;  // CS_RUNTIME
  cd.identifier = "com.example.tool";
  cd.team_id = "ABCDE12345";
  cd.runtime = 0x0e0000;
  const Bytes cms = test::blob(0xfade0b01u, Bytes(64, 0x30));
  const Bytes entitlements = test::blob(0xfade7171u, Bytes(16, 'x'));
  const FileReport r = inspect_signed(
      test::super_blob({{0, test::code_directory(cd)}, {5, entitlements}, {0x10000, cms}}));
  ASSERT_TRUE(r.warnings.empty()) << r.warnings.front();
  const MachoCodeSignature& s = r.macho->code_signature;
  EXPECT_TRUE(s.is_signed);
  EXPECT_FALSE(s.adhoc);
  EXPECT_FALSE(s.linker_signed);
  EXPECT_TRUE(s.runtime);
  EXPECT_TRUE(s.has_cms);
  EXPECT_TRUE(s.has_entitlements);
  EXPECT_EQ(s.identifier, "com.example.tool");
  EXPECT_EQ(s.team_id, "ABCDE12345");
  EXPECT_EQ(s.cd_version, "0x20500");
  EXPECT_EQ(s.runtime_version, "14.0");
  EXPECT_EQ(s.flags, std::vector<std::string>{"CS_RUNTIME"});
}

TEST(MachoCodeSignature, EmptyCmsWrapperIsNotACertificate) {
  const FileReport r = inspect_signed(test::super_blob(
      {{0, test::code_directory({})}, {0x10000, test::blob(0xfade0b01u, {})}}));
  EXPECT_FALSE(r.macho->code_signature.has_cms);
  EXPECT_TRUE(r.macho->code_signature.adhoc);
}

TEST(MachoCodeSignature, AlternateCodeDirectoryGivesTheStrongestHash) {
  CodeDirectorySpec sha1;
  sha1.hash_type = 1;
  sha1.flags = 0x2;
  CodeDirectorySpec sha256;
  sha256.identifier = "alternate";
  const FileReport r = inspect_signed(test::super_blob(
      {{0, test::code_directory(sha1)}, {0x1000, test::code_directory(sha256)}}));
  const MachoCodeSignature& s = r.macho->code_signature;
  EXPECT_EQ(s.hash_type, "sha256");
  EXPECT_EQ(s.hash_types, (std::vector<std::string>{"sha1", "sha256"}));
  EXPECT_EQ(s.identifier, "a.out");  // from the primary (slot 0) CodeDirectory
  EXPECT_FALSE(s.linker_signed);
}

TEST(MachoCodeSignature, UnsignedFileHasNoSignatureAndNoWarning) {
  MachoBuilder b(64, Endian::little, kArm64, 0, 2, 0x200085);
  const Bytes bytes = b.build_version(1, 0x0b0000, 0).build();
  FileReport r;
  macho::inspect(ByteView(bytes), r);
  EXPECT_FALSE(r.macho->code_signature.is_signed);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(MachoCodeSignature, SuperBlobCountLying) {
  const FileReport r = inspect_signed(test::super_blob({{0, test::code_directory({})}}, 5000));
  // Entries 1..11 are CodeDirectory bytes read as index entries: they may add warnings of their own.
  ASSERT_FALSE(r.warnings.empty());
  // The SuperBlob holds one 8-byte index entry plus the CodeDirectory (94 bytes): room for 12.
  EXPECT_EQ(r.warnings[0],
            "malformed: code signature SuperBlob: count 5000 index entries do not fit its length "
            "114 (room for 12) (at offset 0x58)");
  EXPECT_TRUE(r.macho->code_signature.is_signed);  // the real entry was still read
}

TEST(MachoCodeSignature, BlobOffsetOutsideTheSuperBlob) {
  Bytes super = test::super_blob({{0, test::code_directory({})}});
  test::patch<std::uint32_t>(super, 16, 0x7000, Endian::big);
  const FileReport r = inspect_signed(super);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "out of bounds: code signature SuperBlob index 0 (slot 0x0): offset 0x7000 lies "
            "outside the 114-byte SuperBlob (at offset 0x5c)");
  EXPECT_FALSE(r.macho->code_signature.is_signed);
}

TEST(MachoCodeSignature, BlobLengthPastTheSuperBlob) {
  Bytes super = test::super_blob({{0, test::code_directory({})}});
  test::patch<std::uint32_t>(super, 20 + 4, 0x10000, Endian::big);  // CodeDirectory length
  const FileReport r = inspect_signed(super);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "out of bounds: code signature SuperBlob index 0 (slot 0x0): blob length 65536 at "
            "offset 0x14 runs past the end of the 114-byte SuperBlob (at offset 0x64)");
}

TEST(MachoCodeSignature, IdentOffsetOutsideTheCodeDirectory) {
  CodeDirectorySpec cd;
  cd.ident_offset = 0x9999;
  const FileReport r = inspect_signed(test::super_blob({{0, test::code_directory(cd)}}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "out of bounds: CodeDirectory: identOffset 0x9999 lies outside the 94-byte "
            "CodeDirectory (at offset 0x64)");
  EXPECT_TRUE(r.macho->code_signature.is_signed);
  EXPECT_FALSE(r.macho->code_signature.identifier);
}

TEST(MachoCodeSignature, WrongSuperBlobMagic) {
  Bytes super = test::super_blob({{0, test::code_directory({})}});
  super[3] = 0x00;
  const FileReport r = inspect_signed(super);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "bad magic: code signature: SuperBlob magic 0xfade0c00 is not "
            "CSMAGIC_EMBEDDED_SIGNATURE (at offset 0x50)");
  EXPECT_FALSE(r.macho->code_signature.is_signed);
}

TEST(MachoCodeSignature, WrongCodeDirectoryMagic) {
  const FileReport r =
      inspect_signed(test::super_blob({{0, test::blob(0xfade0c01u, Bytes(40, 0))}}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "bad magic: CodeDirectory: magic 0xfade0c01 is not CSMAGIC_CODEDIRECTORY (at offset "
            "0x64)");
}

TEST(MachoCodeSignature, SignaturePastTheEndOfTheFile) {
  const FileReport r =
      inspect_signed(test::super_blob({{0, test::code_directory({})}}), 0x100000, 0x200);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "truncated: LC_CODE_SIGNATURE: [dataoff 0x100000, datasize 0x200] runs past the end "
            "of the file (194 bytes): the file was cut inside its signature (at offset 0x100000)");
  const MachoCodeSignature& s = r.macho->code_signature;
  EXPECT_FALSE(s.is_signed);
  // The command is there but its signature cannot be read: invalid, never "unsigned".
  EXPECT_EQ(s.valid, false);
  EXPECT_EQ(s.kernel_valid, false);
  ASSERT_EQ(s.invalid.size(), 1u);
  EXPECT_EQ(s.invalid[0].check, SignatureCheck::structure);
  EXPECT_EQ(s.invalid[0].offset, 0x100000u);
}

}  // namespace
}  // namespace enoexec
