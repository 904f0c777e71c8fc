// Go build info in PE files, found where Go's peExe looks: the first initialized, read-write data
// section, at ImageBase + VirtualAddress.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "builders/go_buildinfo_builder.hpp"
#include "builders/pe_builder.hpp"
#include "enoexec/inspect.hpp"
#include "enoexec/platform.hpp"

namespace enoexec {
namespace {

using testing::PeBuilder;

std::string settings(const std::string& goarch, const std::string& level) {
  return testing::framed("path\texample.com/hello\nmod\texample.com/hello\t(devel)\t\n"
                         "build\t-compiler=gc\nbuild\tCGO_ENABLED=0\nbuild\tGOARCH=" + goarch +
                         "\nbuild\tGOOS=windows\n" + level + "\n");
}

std::string text(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

FileReport inspect(const std::vector<std::uint8_t>& bytes) { return inspect_bytes(bytes, "go.exe"); }

std::string platform_of(const FileReport& report) {
  return report.platform ? to_oci(*report.platform) : "(none)";
}

// The .data section's characteristics in the section table (the second entry).
std::uint64_t data_characteristics_at(const PeBuilder& builder) {
  return builder.section_table_offset() + 40 + 36;
}

TEST(GoPe, BuildInfoAtTheStartOfDataSettlesThePlatform) {
  PeBuilder builder;
  builder.data_tail = text(testing::go_inline_blob("go1.19.8", settings("amd64", "build\tGOAMD64=v3")));
  const FileReport report = inspect(builder.build());
  ASSERT_TRUE(report.go.has_value()) << ::testing::PrintToString(report.warnings);
  EXPECT_TRUE(report.go->has_buildinfo);
  EXPECT_EQ(report.go->version, "go1.19.8");
  EXPECT_EQ(report.go->setting("GOAMD64"), "v3");
  EXPECT_EQ(report.go->offset, PeBuilder::kDataRaw);
  EXPECT_EQ(platform_of(report), "windows/amd64/v3");
}

TEST(GoPe, PointerFormatAddressesAreImageBasePlusRva) {
  // Go <= 1.17 on windows/386: pointers are virtual addresses, ImageBase 0x400000 + RVA.
  PeBuilder builder;
  builder.pe32_plus = false;
  builder.machine = 0x014c;
  builder.data_tail = text(testing::go_pointer_blob(0x400000 + PeBuilder::kDataRva, "go1.16.15",
                                                    testing::framed(
                                                        "path\texample.com/old\n"
                                                        "mod\texample.com/old\t(devel)\t\n"),
                                                    4, false));
  const FileReport report = inspect(builder.build());
  ASSERT_TRUE(report.go.has_value()) << ::testing::PrintToString(report.warnings);
  EXPECT_FALSE(report.go->inline_format);
  EXPECT_EQ(report.go->version, "go1.16.15");
  EXPECT_EQ(report.go->path, "example.com/old");
  EXPECT_EQ(platform_of(report), "windows/386");
}

TEST(GoPe, OnlyAnExactlyReadWriteDataSectionIsSearched) {
  PeBuilder builder;
  builder.data_tail = text(testing::go_inline_blob("go1.19.8", settings("amd64", "")));
  auto bytes = builder.build();
  // MEM_EXECUTE added: Go's DataStart passes the section by, and so no build info is found.
  PeBuilder::put32(bytes, data_characteristics_at(builder), 0xe0000040);
  EXPECT_FALSE(inspect(bytes).go.has_value());
  // ALIGN_16BYTES (0x00500000): Go clears only 0x00600000, so the 0x00100000 bit stays.
  PeBuilder::put32(bytes, data_characteristics_at(builder), 0xc0500040);
  EXPECT_FALSE(inspect(bytes).go.has_value());
  // ALIGN_32BYTES (0x00600000) is cleared, as Go clears it.
  PeBuilder::put32(bytes, data_characteristics_at(builder), 0xc0600040);
  ASSERT_TRUE(inspect(bytes).go.has_value());
  EXPECT_EQ(inspect(bytes).go->version, "go1.19.8");
}

TEST(GoPe, MalformedBlobIsAClearWarningAndNoGo) {
  PeBuilder builder;
  builder.data_tail = text(testing::go_header(3, 2));
  const FileReport report = inspect(builder.build());
  EXPECT_EQ(report.error, std::nullopt);
  ASSERT_FALSE(report.warnings.empty());
  EXPECT_EQ(report.warnings.back(),
            "malformed: Go build info at offset 0x600: pointer size 3 is not 4 or 8 (at offset "
            "0x60e)");
  EXPECT_FALSE(report.go.has_value());  // nothing else says Go
}

TEST(GoPe, BuildIdInTextMarksGoWithoutBuildInfo) {
  PeBuilder builder;
  builder.data_tail = text(testing::go_header(3, 2));  // damaged
  auto bytes = builder.build();
  // 386 puts its PC thunks before the build ID: it need not be the very first bytes.
  const std::string build_id("\xff Go build ID: \"x\"\n \xff", 21);
  std::copy(build_id.begin(), build_id.end(), bytes.begin() + PeBuilder::kTextRaw + 0x70);
  const FileReport report = inspect(bytes);
  ASSERT_TRUE(report.go.has_value());
  EXPECT_FALSE(report.go->has_buildinfo);
  EXPECT_EQ(report.go->version, "");  // no .rdata to find the runtime's version in
  ASSERT_FALSE(report.evidence.empty());
  EXPECT_EQ(report.evidence.back().fact, "go");
  EXPECT_EQ(report.evidence.back().source, "Go build ID in .text");
}

}  // namespace
}  // namespace enoexec
