// Load commands that lie: ncmds, sizeofcmds, cmdsize, lc_str offsets, nsects. Each must end in a
// one-line warning naming the command and its offset, keep what was read, and never hang.
#include <gtest/gtest.h>

#include "builders/macho_builder.hpp"
#include "formats/macho/macho_file.hpp"

namespace enoexec {
namespace {

using test::Bytes;
using test::MachoBuilder;

constexpr std::uint32_t kArm64 = 0x0100000c, kExecute = 2, kFlags = 0x200085;
constexpr std::uint32_t LC_LOAD_DYLIB = 0xc, LC_RPATH = 0x8000001cu, LC_MAIN = 0x80000028u,
                        LC_LOAD_DYLINKER = 0xe;

FileReport inspect(const Bytes& bytes) {
  FileReport report;
  macho::inspect(ByteView(bytes), report);
  return report;
}

MachoBuilder arm64() { return MachoBuilder(64, Endian::little, kArm64, 0, kExecute, kFlags); }

TEST(MachoLoadCommands, BuildToolsAreKeptWithTheirVersions) {
  // ld64 907 and clang 1500.0.40 as Xcode 15 writes them; tool 1024 is one we have no name for.
  const FileReport r = inspect(
      arm64().build_version_tools(1, 0x0e0000, 0x0e0000, {{3, 907u << 16}, {1, (1500u << 16) | 40}, {1024, 0x10000}}).build());
  ASSERT_TRUE(r.macho.has_value());
  ASSERT_EQ(r.macho->build_versions.size(), 1u);
  EXPECT_EQ(r.macho->build_versions[0].tools,
            (std::vector<std::string>{"ld 907.0", "clang 1500.0.40", "tool-1024 1.0"}));
}

// The 64-bit load commands start at 0x20; a build_version command is 24 bytes.
TEST(MachoLoadCommands, NcmdsLargerThanSizeofcmdsHolds) {
  const FileReport r = inspect(arm64().build_version(1, 0x0b0000, 0).ncmds(10).build());
  ASSERT_FALSE(r.error);
  EXPECT_EQ(r.platform->os, Os::darwin);  // the one real command was read
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "malformed: load commands: ncmds 10 but sizeofcmds 24 holds only 1 (at offset 0x38)");
}

TEST(MachoLoadCommands, HugeNcmdsWithSmallSizeofcmdsEndsQuickly) {
  const FileReport r = inspect(arm64().build_version(1, 0x0b0000, 0).ncmds(0xffffffffu).build());
  EXPECT_EQ(r.macho->load_commands.size(), 1u);
  EXPECT_EQ(r.warnings.size(), 1u);
}

TEST(MachoLoadCommands, CmdsizeZeroStopsTheWalk) {
  const FileReport r =
      inspect(arm64().build_version(1, 0x0b0000, 0).command(LC_MAIN, Bytes(16, 0), 0).build());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "malformed: load command 1 (LC_MAIN): cmdsize 0 is smaller than a load_command (8 "
            "bytes) (at offset 0x38)");
  EXPECT_EQ(r.macho->load_commands, std::vector<std::string>{"LC_BUILD_VERSION"});
}

TEST(MachoLoadCommands, CmdsizeNotAMultipleOfEightIsReportedAndStillRead) {
  // cmdsize 28: the 64-bit rule wants multiples of 8; dyld refuses such files.
  const FileReport r = inspect(arm64().command(LC_MAIN, Bytes(20, 0), 28).ncmds(1).build());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "malformed: load command 0 (LC_MAIN): cmdsize 28 is not a multiple of 8 (at offset "
            "0x20)");
  EXPECT_EQ(r.macho->entry, 0u);
}

TEST(MachoLoadCommands, ThirtyTwoBitCommandsAlignToFour) {
  MachoBuilder ok(32, Endian::little, 12, 9, kExecute, kFlags);
  EXPECT_TRUE(inspect(ok.command(0x1b, Bytes(16, 0), 24).build()).warnings.empty());
  MachoBuilder odd(32, Endian::little, 12, 9, kExecute, kFlags);
  const FileReport r = inspect(odd.command(0x1b, Bytes(18, 0), 26).build());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "malformed: load command 0 (LC_UUID): cmdsize 26 is not a multiple of 4 (at offset "
            "0x1c)");
}

TEST(MachoLoadCommands, CmdsizePastSizeofcmds) {
  const FileReport r = inspect(arm64()
                                   .build_version(1, 0x0b0000, 0)
                                   .command(LC_MAIN, Bytes(16, 0), 0x1000)
                                   .tail(0x2000)
                                   .build());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "malformed: load command 1 (LC_MAIN): cmdsize 4096 runs past the end of sizeofcmds "
            "(24 bytes left) (at offset 0x38)");
}

TEST(MachoLoadCommands, SizeofcmdsPastTheEndOfTheFile) {
  const FileReport r = inspect(arm64().build_version(1, 0x0b0000, 0).sizeofcmds(0xffffffffu).build());
  EXPECT_EQ(r.kind, "truncated");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "truncated: load commands: sizeofcmds 4294967295 runs past the end of the file (24 "
            "bytes remain after the mach_header) (at offset 0x20)");
  EXPECT_EQ(r.platform->os, Os::darwin);
}

TEST(MachoLoadCommands, CommandSmallerThanItsStruct) {
  const FileReport r = inspect(arm64().command(LC_MAIN, Bytes(8, 0)).build());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "malformed: load command 0 (LC_MAIN): cmdsize 16 is smaller than entry_point_command "
            "(24 bytes) (at offset 0x20)");
  EXPECT_FALSE(r.macho->entry);
}

TEST(MachoLoadCommands, LcStrOffsetOutsideItsCommand) {
  const FileReport r = inspect(arm64().lc_str_command(LC_RPATH, "/opt/lib", 0x400).build());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "malformed: load command 0 (LC_RPATH): path offset 0x400 lies outside the string "
            "area [0xc, 0x18) of the command (at offset 0x20)");
  EXPECT_TRUE(r.macho->rpaths.empty());
}

TEST(MachoLoadCommands, LcStrOffsetInsideTheFixedPart) {
  const FileReport r = inspect(arm64().lc_str_command(LC_LOAD_DYLINKER, "/usr/lib/dyld", 4).build());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "malformed: load command 0 (LC_LOAD_DYLINKER): name offset 0x4 lies outside the "
            "string area [0xc, 0x20) of the command (at offset 0x20)");
  EXPECT_FALSE(r.interpreter);
  EXPECT_EQ(r.linkage, Linkage::static_exe);
}

TEST(MachoLoadCommands, LcStrWithoutNul) {
  Bytes payload(16, 0);
  payload[0] = 24;  // dylib name offset
  for (int i = 0; i < 8; ++i) payload.push_back('x');  // fills the command, no NUL
  const FileReport r = inspect(arm64().command(LC_LOAD_DYLIB, payload).build());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "truncated: load command 0 (LC_LOAD_DYLIB) name is not NUL-terminated before the end "
            "of its data (at offset 0x38)");
  EXPECT_EQ(r.needed, std::vector<std::string>{});
}

TEST(MachoLoadCommands, NsectsLargerThanCmdsizeHolds) {
  const FileReport r = inspect(arm64()
                                   .segment("__TEXT", 0, 0x1000, 0, 0x100,
                                            {{"__TEXT", "__text", 0x800, 0x10, 0x80}}, 1000)
                                   .tail(0x100)
                                   .build());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "malformed: load command 0 (LC_SEGMENT_64): segment __TEXT has nsects 1000 but its "
            "cmdsize 152 holds 1 (at offset 0x20)");
  auto file = macho::parse(ByteView(arm64()
                                        .segment("__TEXT", 0, 0x1000, 0, 0x100,
                                                 {{"__TEXT", "__text", 0x800, 0x10, 0x80}}, 1000)
                                        .build()));
  ASSERT_TRUE(file);
  EXPECT_EQ(file->sections.size(), 1u);
}

TEST(MachoLoadCommands, SegmentNamesMayFillAllSixteenBytes) {
  const FileReport r = inspect(arm64().segment("ABCDEFGHIJKLMNOP", 0, 0, 0, 0).build());
  EXPECT_EQ(r.macho->segments.at(0).name, "ABCDEFGHIJKLMNOP");
}

TEST(MachoLoadCommands, WarningsAreCapped) {
  MachoBuilder b = arm64();
  for (int i = 0; i < 500; ++i) b.command(LC_MAIN, Bytes(8, 0));  // each too small: a warning
  const FileReport r = inspect(b.build());
  ASSERT_EQ(r.warnings.size(), 65u);
  EXPECT_EQ(r.warnings.back(), "limit exceeded: more than 64 warnings; the rest are not shown");
}

TEST(MachoLoadCommands, SecondEntryPointIsReported) {
  const FileReport r = inspect(arm64().main(0x100).main(0x200).build());
  EXPECT_EQ(r.macho->entry, 0x100u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "malformed: load command 1 (LC_MAIN): a second entry point (the first came from "
            "LC_MAIN entryoff) (at offset 0x38)");
}

TEST(MachoLoadCommands, UnknownCommandsAreListedByValue) {
  const FileReport r = inspect(arm64().command(0x7777, Bytes(8, 0)).build());
  EXPECT_EQ(r.macho->load_commands, std::vector<std::string>{"0x7777"});
  EXPECT_TRUE(r.warnings.empty());
}

TEST(MachoLoadCommands, EncryptedAppStoreBinary) {
  Bytes payload(16, 0);
  payload[8] = 1;  // cryptid
  EXPECT_TRUE(inspect(arm64().command(0x2c, payload).build()).macho->encrypted);
  EXPECT_FALSE(inspect(arm64().command(0x2c, Bytes(16, 0)).build()).macho->encrypted);
}

}  // namespace
}  // namespace enoexec
