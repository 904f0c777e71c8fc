// Universal binaries: FAT_MAGIC and FAT_MAGIC_64, one full report per slice, and fat headers
// that lie (counts, offsets, overlaps, nesting) — plus the Java class file that shares CAFEBABE.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "builders/macho_builder.hpp"
#include "formats/identify.hpp"
#include "formats/macho/macho_file.hpp"

namespace enoexec {
namespace {

using test::Bytes;
using test::FatSlice;
using test::MachoBuilder;

constexpr std::uint32_t kX86_64 = 0x01000007, kArm64 = 0x0100000c;
constexpr const char* kLibSystem = "/usr/lib/libSystem.B.dylib";

Bytes thin(std::uint32_t cputype, std::uint32_t cpusubtype) {
  MachoBuilder b(64, Endian::little, cputype, cpusubtype, 2, 0x200085);
  b.build_version(1, 0x0b0000, 0x0d0000).dylinker("/usr/lib/dyld").dylib(0xc, kLibSystem);
  return b.build();
}

FileReport inspect(const Bytes& bytes) {
  FileReport report;
  report.path = "universal";
  macho::inspect(ByteView(bytes), report);
  return report;
}

void expect_two_slices(const FileReport& r) {
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.format, Format::macho_fat);
  EXPECT_FALSE(r.bits);
  EXPECT_FALSE(r.endian);
  EXPECT_FALSE(r.platform);
  EXPECT_EQ(r.type, "pie-executable");
  EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();
  ASSERT_EQ(r.slices.size(), 2u);
  const FileReport& x86 = r.slices[0];
  const FileReport& arm = r.slices[1];
  EXPECT_EQ(x86.path, "universal");
  EXPECT_EQ(x86.format, Format::macho);
  EXPECT_EQ(x86.bits, 64);
  EXPECT_EQ(x86.platform->arch, Arch::amd64);
  EXPECT_EQ(x86.platform->os, Os::darwin);
  EXPECT_EQ(x86.needed, std::vector<std::string>{kLibSystem});
  EXPECT_EQ(x86.macho->fat_offset, 0x1000u);
  EXPECT_EQ(arm.platform->arch, Arch::arm64);
  EXPECT_EQ(arm.macho->fat_offset, 0x2000u);
  EXPECT_EQ(arm.macho->minos, "11.0");
  EXPECT_TRUE(arm.warnings.empty());
}

TEST(MachoFat, FatMagicWithTwoSlices) {
  expect_two_slices(
      inspect(test::fat(false, {{kX86_64, 3, thin(kX86_64, 3)}, {kArm64, 0, thin(kArm64, 0)}})));
}

TEST(MachoFat, FatMagic64WithTwoSlices) {
  expect_two_slices(
      inspect(test::fat(true, {{kX86_64, 3, thin(kX86_64, 3)}, {kArm64, 0, thin(kArm64, 0)}})));
}

TEST(MachoFat, IdentifySendsUniversalFilesHere) {
  const Bytes bytes = test::fat(false, {{kArm64, 0, thin(kArm64, 0)}});
  EXPECT_EQ(identify(ByteView(bytes)), Format::macho_fat);
}

TEST(MachoFat, JavaClassFileIsNotMachO) {
  // CAFEBABE, minor 0, major 52 (Java 8), then a constant pool count.
  const Bytes java{0xca, 0xfe, 0xba, 0xbe, 0x00, 0x00, 0x00, 0x34, 0x00, 0x1d, 0x0a, 0x00};
  EXPECT_EQ(identify(ByteView(java)), Format::unknown);
  const FileReport r = inspect(java);
  EXPECT_EQ(r.format, Format::unknown);
  EXPECT_EQ(r.error,
            "bad magic: not a universal Mach-O: CAFEBABE followed by 0x00000034 is a Java class "
            "file (version 52.0) (at offset 0x0)");
  EXPECT_TRUE(r.slices.empty());
}

TEST(MachoFat, HugeSliceCountHitsTheLimit) {
  Bytes bytes = test::fat(true, {{kArm64, 0, thin(kArm64, 0)}}, 5000);
  const FileReport r = inspect(bytes);
  EXPECT_EQ(r.format, Format::macho_fat);
  EXPECT_EQ(r.error,
            "limit exceeded: universal slices: nfat_arch 5000 exceeds the limit of 64 (at offset "
            "0x4)");
  const FileReport r32 = inspect(test::fat(false, {{kArm64, 0, thin(kArm64, 0)}}, 0x186a0));
  EXPECT_EQ(r32.error,
            "limit exceeded: universal slices: nfat_arch 100000 exceeds the limit of 64 (at "
            "offset 0x4)");
}

TEST(MachoFat, SliceTableLongerThanTheFile) {
  Bytes bytes = test::fat(false, {{kArm64, 0, thin(kArm64, 0)}}, 40);
  bytes.resize(100);
  EXPECT_EQ(inspect(bytes).error,
            "out of bounds: fat_arch table: 40 entries of 20 bytes exceed the 100 bytes of the "
            "file (at offset 0x8)");
}

TEST(MachoFat, NoSlices) {
  EXPECT_EQ(inspect(test::fat(false, {})).error,
            "malformed: fat_header: nfat_arch is 0 (no slices) (at offset 0x4)");
}

TEST(MachoFat, OverlappingSlices) {
  const Bytes arm = thin(kArm64, 0);
  const FileReport r =
      inspect(test::fat(false, {{kX86_64, 3, thin(kX86_64, 3)}, {kArm64, 0, arm, 0x1010}}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            fmt::format("malformed: universal slices 0 and 1 overlap: [0x1000, {:#x}) and "
                        "[0x1010, {:#x}) (at offset 0x1c)",
                        0x1000 + thin(kX86_64, 3).size(), 0x1010 + arm.size()));
}

TEST(MachoFat, SliceInsideTheFatHeader) {
  const FileReport r = inspect(test::fat(false, {{kArm64, 0, thin(kArm64, 0), 0}}));
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_EQ(r.warnings[0],
            "malformed: universal slice 0 (CPU_TYPE_ARM64): offset 0x0 lies inside the fat "
            "header, which ends at 0x1c (at offset 0x8)");
  ASSERT_EQ(r.slices.size(), 1u);
  EXPECT_TRUE(r.slices[0].error);  // the slice bytes are the fat header itself: nested
}

TEST(MachoFat, DuplicateArchitectures) {
  const FileReport r =
      inspect(test::fat(false, {{kArm64, 0, thin(kArm64, 0)}, {kArm64, 0, thin(kArm64, 0)}}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "malformed: universal slices 0 and 1 are both CPU_TYPE_ARM64 CPU_SUBTYPE_ARM64_ALL "
            "(at offset 0x1c)");
}

TEST(MachoFat, SliceCputypeDisagreeingWithItsHeader) {
  const FileReport r = inspect(test::fat(false, {{kX86_64, 3, thin(kArm64, 0)}}));
  ASSERT_EQ(r.slices.size(), 1u);
  EXPECT_EQ(r.slices[0].platform->arch, Arch::arm64);  // the slice's own header decides
  ASSERT_EQ(r.slices[0].warnings.size(), 1u);
  EXPECT_EQ(r.slices[0].warnings[0],
            "malformed: universal slice 0 (CPU_TYPE_X86_64): fat_arch cputype CPU_TYPE_X86_64 "
            "disagrees with the slice's mach_header cputype CPU_TYPE_ARM64 (at offset 0x8)");
}

TEST(MachoFat, SliceOffsetPastTheEnd) {
  const Bytes bytes = test::fat(
      false, {{kX86_64, 3, thin(kX86_64, 3)}, {kArm64, 0, thin(kArm64, 0), 0x100000}});
  const FileReport r = inspect(bytes);
  ASSERT_EQ(r.slices.size(), 2u);
  EXPECT_FALSE(r.slices[0].error);
  EXPECT_EQ(r.slices[1].error,
            fmt::format("out of bounds: universal slice 1 (CPU_TYPE_ARM64): offset 0x100000 lies "
                        "past the end of the {}-byte file (at offset 0x1c)",
                        bytes.size()));
  EXPECT_FALSE(r.error);  // one slice is still readable
}

TEST(MachoFat, NoReadableSliceIsAnError) {
  const FileReport r = inspect(test::fat(false, {{kArm64, 0, thin(kArm64, 0), 0x100000}}));
  EXPECT_EQ(r.error, r.slices.at(0).error);
}

TEST(MachoFat, TruncatedDownloadMarksSliceAndFile) {
  Bytes bytes =
      test::fat(false, {{kX86_64, 3, thin(kX86_64, 3)}, {kArm64, 0, thin(kArm64, 0)}});
  const std::size_t arm_size = thin(kArm64, 0).size();
  bytes.resize(0x2000 + 0x40);  // the arm64 slice keeps only its header and a bit
  const FileReport r = inspect(bytes);
  EXPECT_EQ(r.kind, "truncated");
  const std::string expected = fmt::format(
      "truncated: universal slice 1 (CPU_TYPE_ARM64): [offset 0x2000, size {:#x}] runs past the "
      "end of the 8256-byte file (at offset 0x1c)",
      arm_size);
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_EQ(r.warnings.back(), expected);
  EXPECT_EQ(r.slices[1].kind, "truncated");
  EXPECT_EQ(r.slices[1].platform->arch, Arch::arm64);
  EXPECT_EQ(r.slices[1].warnings.back(), expected);
  EXPECT_EQ(r.slices[0].kind, "");
}

TEST(MachoFat, NestedUniversalSlice) {
  const Bytes inner = test::fat(false, {{kArm64, 0, thin(kArm64, 0)}});
  const FileReport r = inspect(test::fat(false, {{kArm64, 0, inner}}));
  EXPECT_EQ(r.slices.at(0).error,
            "malformed: universal slice 0 (CPU_TYPE_ARM64) is itself a universal binary (they do "
            "not nest) (at offset 0x1000)");
}

TEST(MachoFat, SliceThatIsNotMachO) {
  const FileReport r = inspect(test::fat(false, {{kArm64, 0, Bytes(64, 0x41)}}));
  EXPECT_EQ(r.slices.at(0).error,
            "bad magic: mach_header: magic 0x41414141 is not a Mach-O magic (at offset 0x1000)");
}

TEST(MachoFat, ZeroSizeSlice) {
  const FileReport r = inspect(test::fat(false, {{kArm64, 0, thin(kArm64, 0), std::nullopt, 0}}));
  EXPECT_EQ(r.slices.at(0).error,
            "malformed: universal slice 0 (CPU_TYPE_ARM64): size is 0 (at offset 0x8)");
}

}  // namespace
}  // namespace enoexec
