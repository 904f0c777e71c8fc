// Go build info in Mach-O files, thin and universal, found where Go's machoExe looks.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "builders/go_buildinfo_builder.hpp"
#include "builders/macho_builder.hpp"
#include "enoexec/inspect.hpp"
#include "enoexec/platform.hpp"

namespace enoexec {
namespace {

using test::Bytes;
using test::MachoBuilder;
using test::SectionSpec;

constexpr std::uint32_t CPU_TYPE_X86_64 = 0x01000007;
constexpr std::uint32_t CPU_TYPE_ARM64 = 0x0100000c;
constexpr std::uint32_t LC_SEGMENT_64 = 0x19;
constexpr std::uint32_t RX = 5, RW = 3, RWX = 7;
constexpr std::uint64_t kBase = 0x100000000;
constexpr std::uint64_t kFileSize = 0x3000;

std::string modinfo(const std::string& goos, const std::string& goarch, const std::string& level) {
  return testing::framed("path\texample.com/hello\nmod\texample.com/hello\t(devel)\t\n"
                         "build\t-compiler=gc\nbuild\tCGO_ENABLED=0\nbuild\tGOARCH=" + goarch +
                         "\nbuild\tGOOS=" + goos + "\n" + level + "\n");
}

struct Segment {
  std::string name;
  std::uint64_t vmaddr = 0, vmsize = 0, fileoff = 0, filesize = 0;
  std::uint32_t maxprot = RWX, initprot = RX;
  std::vector<SectionSpec> sections;
};

// An LC_SEGMENT_64 with the protections given (the builder's segment() always says r-x/rwx).
void add_segment(MachoBuilder& builder, const Segment& s) {
  Bytes p;
  test::put_name16(p, s.name);
  for (std::uint64_t v : {s.vmaddr, s.vmsize, s.fileoff, s.filesize})
    test::put<std::uint64_t>(p, v, Endian::little);
  for (std::uint32_t v : {s.maxprot, s.initprot, static_cast<std::uint32_t>(s.sections.size()), 0u})
    test::put<std::uint32_t>(p, v, Endian::little);
  for (const auto& section : s.sections) {
    test::put_name16(p, section.sectname);
    test::put_name16(p, section.segname);
    test::put<std::uint64_t>(p, section.addr, Endian::little);
    test::put<std::uint64_t>(p, section.size, Endian::little);
    test::put<std::uint32_t>(p, section.offset, Endian::little);
    for (int i = 0; i < 7; ++i) test::put<std::uint32_t>(p, 0, Endian::little);
  }
  builder.command(LC_SEGMENT_64, std::move(p));
}

Segment pagezero() { return {"__PAGEZERO", 0, kBase, 0, 0, 0, 0, {}}; }

// __TEXT over the first 0x2000 bytes: __text at 0x1000, __rodata at 0x1800.
Segment text_segment() {
  return {"__TEXT", kBase, 0x2000, 0, 0x2000, RX, RX,
          {{"__TEXT", "__text", kBase + 0x1000, 0x800, 0x1000},
           {"__TEXT", "__rodata", kBase + 0x1800, 0x800, 0x1800}}};
}

// __DATA over 0x2000..0x3000, its first section `first` (e.g. __go_buildinfo) of `size` bytes.
Segment data_segment(const std::string& first, std::uint64_t size) {
  return {"__DATA", kBase + 0x2000, 0x1000, 0x2000, 0x1000, RW, RW,
          {{"__DATA", first, kBase + 0x2000, size, 0x2000},
           {"__DATA", "__data", kBase + 0x2800, 0x800, 0x2800}}};
}

Bytes place(Bytes file, std::uint64_t offset, const Bytes& bytes) {
  if (file.size() < offset + bytes.size()) file.resize(offset + bytes.size());
  std::copy(bytes.begin(), bytes.end(), file.begin() + static_cast<std::ptrdiff_t>(offset));
  return file;
}

Bytes thin(std::uint32_t cputype, const std::vector<Segment>& segments) {
  MachoBuilder builder(64, Endian::little, cputype, 0);
  for (const auto& segment : segments) add_segment(builder, segment);
  Bytes file = builder.build();
  file.resize(kFileSize, 0);
  return file;
}

FileReport inspect(const Bytes& bytes) { return inspect_bytes(bytes, "go-macho"); }

std::string platform_of(const FileReport& report) {
  return report.platform ? to_oci(*report.platform) : "(none)";
}

TEST(GoMacho, BuildInfoInGoBuildinfoSectionSettlesThePlatform) {
  const Bytes blob = testing::go_inline_blob("go1.19.8", modinfo("darwin", "arm64", ""));
  const Bytes file = place(thin(CPU_TYPE_ARM64, {pagezero(), text_segment(),
                                                 data_segment("__go_buildinfo", blob.size())}),
                           0x2000, blob);
  const FileReport report = inspect(file);
  ASSERT_TRUE(report.go.has_value()) << ::testing::PrintToString(report.warnings);
  EXPECT_TRUE(report.go->has_buildinfo);
  EXPECT_EQ(report.go->version, "go1.19.8");
  EXPECT_EQ(report.go->path, "example.com/hello");
  EXPECT_EQ(report.go->setting("GOOS"), "darwin");
  EXPECT_EQ(report.go->offset, 0x2000u);
  EXPECT_EQ(platform_of(report), "darwin/arm64");
}

TEST(GoMacho, WithoutTheSectionTheFirstSegmentWithRwInitAndMaxProtIsSearched) {
  // Go's machoExe: initprot == maxprot == rw-. A segment that may become executable is not it.
  const Bytes decoy = testing::go_inline_blob("go1.0-decoy", modinfo("darwin", "arm64", ""));
  const Bytes blob = testing::go_inline_blob("go1.19.8", modinfo("darwin", "arm64", ""));
  Segment maybe_exec{"__DECOY", kBase + 0x2000, 0x800, 0x2000, 0x800, RWX, RW, {}};
  Segment data{"__DATA", kBase + 0x2800, 0x800, 0x2800, 0x800, RW, RW, {}};
  Bytes file = thin(CPU_TYPE_ARM64, {pagezero(), text_segment(), maybe_exec, data});
  file = place(place(file, 0x2000, decoy), 0x2800, blob);
  const FileReport report = inspect(file);
  ASSERT_TRUE(report.go.has_value());
  EXPECT_EQ(report.go->version, "go1.19.8");
  EXPECT_EQ(report.go->offset, 0x2800u);
}

TEST(GoMacho, PagezeroIsNeverRead) {
  // A pre-1.18 blob whose version pointer lands in __PAGEZERO's range: Go skips that segment.
  Bytes blob = testing::go_pointer_blob(kBase + 0x2000, "go1.16.5", "", 8, false);
  Segment zero{"__PAGEZERO", 0, kBase, 0x2000, 0x800, 0, 0, {}};  // lies: claims file bytes
  Segment data{"__DATA", kBase + 0x2000, 0x1000, 0x2000, 0x1000, RW, RW, {}};
  // Point the version string's data at address 0x10: inside __PAGEZERO, which claims file bytes.
  for (std::size_t i = 0; i < 8; ++i) blob[32 + i] = i == 0 ? 0x10 : 0;
  const Bytes file = place(thin(CPU_TYPE_ARM64, {zero, text_segment(), data}), 0x2000, blob);
  const FileReport report = inspect(file);
  ASSERT_FALSE(report.warnings.empty());
  EXPECT_EQ(report.warnings.back(),
            "out of bounds: Go build info at offset 0x2000: version data pointer 0x10 is outside "
            "every loaded segment (at offset 0x2020)");
}

TEST(GoMacho, EachUniversalSliceCarriesItsOwnBuildInfo) {
  const Bytes intel = testing::go_inline_blob(
      "go1.19.8", modinfo("darwin", "amd64", "build\tGOAMD64=v3"));
  const Bytes arm = testing::go_inline_blob("go1.20.1", modinfo("darwin", "arm64", ""));
  const Bytes x86_64 = place(thin(CPU_TYPE_X86_64, {pagezero(), text_segment(),
                                                    data_segment("__go_buildinfo", intel.size())}),
                             0x2000, intel);
  const Bytes arm64 = place(thin(CPU_TYPE_ARM64, {pagezero(), text_segment(),
                                                  data_segment("__go_buildinfo", arm.size())}),
                            0x2000, arm);
  const Bytes file = test::fat(false, {{CPU_TYPE_X86_64, 3, x86_64}, {CPU_TYPE_ARM64, 0, arm64}});
  const FileReport report = inspect(file);
  EXPECT_EQ(report.format, Format::macho_fat);
  EXPECT_FALSE(report.go.has_value());
  ASSERT_EQ(report.slices.size(), 2u);
  ASSERT_TRUE(report.slices[0].go.has_value());
  ASSERT_TRUE(report.slices[1].go.has_value());
  EXPECT_EQ(report.slices[0].go->version, "go1.19.8");
  EXPECT_EQ(report.slices[0].go->offset, 0x1000u + 0x2000u);  // absolute: slice 0 at 4 KiB
  EXPECT_EQ(platform_of(report.slices[0]), "darwin/amd64/v3");
  EXPECT_EQ(report.slices[1].go->version, "go1.20.1");
  EXPECT_EQ(report.slices[1].go->offset, 0x4000u + 0x2000u);
  EXPECT_EQ(platform_of(report.slices[1]), "darwin/arm64");
}

TEST(GoMacho, MalformedBlobIsAWarningAndTheFileIsStillGo) {
  Bytes blob = testing::go_header(8, 2);
  testing::append_uvarint(blob, 8);
  testing::append(blob, "go1.19.8");
  testing::append_uvarint(blob, 0xffffffff);  // modinfo longer than its whole segment
  const Bytes file = place(thin(CPU_TYPE_ARM64, {pagezero(), text_segment(),
                                                 data_segment("__go_buildinfo", blob.size())}),
                           0x2000, blob);
  const FileReport report = inspect(file);
  ASSERT_FALSE(report.warnings.empty());
  EXPECT_EQ(report.warnings.back(),
            "out of bounds: Go build info at offset 0x2000: modinfo length 4294967295 exceeds "
            "the 4050 bytes that remain (at offset 0x2029)");
  ASSERT_TRUE(report.go.has_value());
  EXPECT_FALSE(report.go->has_buildinfo);
  EXPECT_EQ(report.go->version, "");
}

TEST(GoMacho, BuildinfoSectionOutsideEverySegmentIsAWarning) {
  Segment data = data_segment("__data2", 0x10);
  data.sections.push_back({"__DATA", "__go_buildinfo", kBase + 0x9000, 0x20, 0x9000});
  const FileReport report = inspect(thin(CPU_TYPE_ARM64, {pagezero(), text_segment(), data}));
  ASSERT_FALSE(report.warnings.empty());
  EXPECT_EQ(report.warnings.back(),
            "section __DATA,__go_buildinfo at address 0x100009000 (offset 0x9000) lies outside "
            "every segment's file bytes; Go build info not read");
}

TEST(GoMacho, GoWithoutBuildInfoIsRecognisedWithTheRuntimeVersion) {
  const std::string build_id = std::string("\xff Go build ID: \"abc/def\"\n \xff", 27);
  Bytes text(build_id.begin(), build_id.end());
  const std::string version = "go1.21.3";
  Bytes rodata = {'g', 'o', '1', '.', '9', 'x'};  // a stray "go1.9" that no header names
  rodata.resize(0x10, 0);
  rodata.insert(rodata.end(), version.begin(), version.end());
  Bytes header;  // runtime.buildVersion: {pointer, length}, in __DATA,__data
  test::put<std::uint64_t>(header, kBase + 0x1800 + 0x10, Endian::little);
  test::put<std::uint64_t>(header, version.size(), Endian::little);
  Bytes file = thin(CPU_TYPE_ARM64, {pagezero(), text_segment(), data_segment("__noptrdata", 8)});
  file = place(place(place(file, 0x1000, text), 0x1800, rodata), 0x2808, header);
  const FileReport report = inspect(file);
  ASSERT_TRUE(report.go.has_value());
  EXPECT_FALSE(report.go->has_buildinfo);
  EXPECT_EQ(report.go->version, "go1.21.3");
  std::vector<std::string> sources;
  for (const auto& e : report.evidence)
    if (e.fact.starts_with("go")) sources.push_back(e.fact + "=" + e.value + ": " + e.source);
  EXPECT_EQ(sources, (std::vector<std::string>{
                         "go=recognised: Go build ID in __TEXT,__text",
                         "go.version=go1.21.3: runtime version string at offset 0x1810"}));
}

TEST(GoMacho, NoGoMarksNoGo) {
  const FileReport report =
      inspect(thin(CPU_TYPE_ARM64, {pagezero(), text_segment(), data_segment("__data2", 8)}));
  EXPECT_FALSE(report.go.has_value());
  EXPECT_EQ(report.error, std::nullopt);
}

}  // namespace
}  // namespace enoexec
