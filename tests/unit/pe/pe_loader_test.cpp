// Headers as the Windows loader reads them: folded into the DOS header, SizeOfOptionalHeader 0,
// no sections, an optional header that runs past the end of a short file, a file cut before
// SizeOfHeaders, and the section limits (sections read, sections listed).
#include <gtest/gtest.h>

#include "builders/pe_builder.hpp"

namespace enoexec {
namespace {

using testing::inspect_pe;
using testing::PeBuilder;

// The 268-byte shape that Windows 7 and later run: PE32+ header at e_lfanew 4, inside the DOS
// header; SizeOfOptionalHeader 0, no sections; every header byte in the file.
TEST(PeLoader, FoldedHeadersWithSizeOfOptionalHeaderZeroAreAProgram) {
  const auto bytes = PeBuilder::folded(true, 268);
  const FileReport r = inspect_pe(bytes);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.format, Format::pe);
  EXPECT_EQ(r.kind, "");
  EXPECT_EQ(r.type, "executable");
  EXPECT_EQ(r.bits, 64);
  EXPECT_EQ(r.machine, "IMAGE_FILE_MACHINE_AMD64");
  ASSERT_TRUE(r.platform);
  EXPECT_EQ(r.platform->os, Os::windows);
  EXPECT_EQ(r.platform->arch, Arch::amd64);
  ASSERT_TRUE(r.pe);
  EXPECT_EQ(r.pe->magic, "PE32+");
  EXPECT_EQ(r.pe->subsystem_name, "WINDOWS_CUI");
  EXPECT_EQ(r.pe->subsystem_version, "4.0");
  EXPECT_EQ(r.pe->image_base, 0x140000000u);
  EXPECT_EQ(r.pe->number_of_rva_and_sizes, 16u);
  EXPECT_TRUE(r.pe->sections.empty());
  EXPECT_EQ(r.pe->sections_not_listed, 0u);
  EXPECT_EQ(r.linkage, Linkage::static_exe);
  EXPECT_EQ(r.warnings, std::vector<std::string>{});
}

// The 97-byte shape of Sotirov's "Tiny PE": a PE32 header at e_lfanew 4 and a file that ends
// inside the optional header (its last byte is the low byte of Subsystem). The loader reads the
// rest of the header page as zeros: NumberOfRvaAndSizes 0, no directories.
TEST(PeLoader, OptionalHeaderPastTheEndOfAShortFileReadsAsZeros) {
  const auto bytes = PeBuilder::folded(false, 97);
  ASSERT_EQ(bytes.size(), 97u);
  const FileReport r = inspect_pe(bytes);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.kind, "");
  EXPECT_EQ(r.bits, 32);
  EXPECT_EQ(r.machine, "IMAGE_FILE_MACHINE_I386");
  ASSERT_TRUE(r.platform);
  EXPECT_EQ(r.platform->os, Os::windows);
  EXPECT_EQ(r.platform->arch, Arch::i386);
  EXPECT_EQ(r.pe->subsystem_name, "WINDOWS_CUI");
  EXPECT_EQ(r.pe->number_of_rva_and_sizes, 0u);
  EXPECT_TRUE(r.pe->data_directories.empty());
  EXPECT_EQ(r.warnings,
            std::vector<std::string>{
                "the file ends at 0x61, 69 bytes into the 96-byte PE32 optional header (with 0 "
                "data directories); the loader reads the rest as zeros (at offset 0x61)"});
}

TEST(PeLoader, NoSectionsIsAProgram) {
  PeBuilder b;
  b.number_of_sections = 0;
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.kind, "");
  EXPECT_EQ(r.type, "executable");
  ASSERT_TRUE(r.platform);
  EXPECT_EQ(r.platform->arch, Arch::amd64);
  EXPECT_TRUE(r.pe->sections.empty());
  EXPECT_EQ(r.warnings, std::vector<std::string>{});
}

// A download cut inside the headers' room (SizeOfHeaders 0x400) but after the section table:
// the headers are all read; the sections' raw data are what is missing, and are named.
TEST(PeLoader, FileCutBeforeSizeOfHeadersIsTruncatedAndSaysWhatIsMissing) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 1}};
  auto bytes = b.build();
  bytes.resize(0x300);
  const FileReport r = inspect_pe(bytes);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.kind, "truncated");
  EXPECT_EQ(r.bits, 64);
  ASSERT_TRUE(r.platform);
  EXPECT_EQ(r.platform->os, Os::windows);
  EXPECT_EQ(r.platform->arch, Arch::amd64);
  ASSERT_GE(r.warnings.size(), 3u);
  EXPECT_EQ(r.warnings[0],
            "the file ends at 0x300, before SizeOfHeaders 0x400: the loader maps what the file "
            "has of the headers and zero-fills the rest (at offset 0xd4)");
  EXPECT_EQ(r.warnings[1],
            "section .text raw data [0x400, 0x600) runs past the end of the file (768 bytes): "
            "the file is truncated (at offset 0x188)");
}

// A file that ends before the Magic says nothing about what it is: still an error.
TEST(PeLoader, FileCutBeforeTheMagicIsAnError) {
  PeBuilder b;
  auto bytes = b.build();
  bytes.resize(b.optional_offset() + 1);
  const FileReport r = inspect_pe(bytes);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error, "truncated: optional header Magic needs 2 bytes, 1 remain (at offset 0x98)");
  EXPECT_EQ(r.machine, "IMAGE_FILE_MACHINE_AMD64");
}

// 65,535 sections (the most NumberOfSections can say): all are read, so RVAs still resolve, but
// only the first "listed sections" are listed, and the rest are counted.
std::vector<std::uint8_t> many_sections(const PeBuilder& b, std::uint32_t count) {
  auto bytes = b.build();
  const std::uint64_t table = b.section_table_offset();
  PeBuilder::put16(bytes, b.coff_offset() + 2, static_cast<std::uint16_t>(count));
  std::vector<std::uint8_t> out(table + std::uint64_t{count} * 40, 0);
  std::copy(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(table), out.begin());
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint64_t at = table + std::uint64_t{i} * 40;
    out[at] = '.', out[at + 1] = 's';
    PeBuilder::put32(out, at + 8, 0x1000);                // VirtualSize
    PeBuilder::put32(out, at + 12, 0x1000 * (i + 1));     // VirtualAddress, ascending
    PeBuilder::put32(out, at + 36, 0x40000040);           // INITIALIZED_DATA | MEM_READ
  }
  return out;
}

TEST(PeLoader, SixtyFiveThousandSectionsAreReadButOnlyTheFirstAreListed) {
  PeBuilder b;
  const auto bytes = many_sections(b, 65535);
  const FileReport r = inspect_pe(bytes);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.kind, "");
  ASSERT_EQ(r.pe->sections.size(), Limits{}.listed_sections);
  EXPECT_EQ(r.pe->sections_not_listed, 65535u - Limits{}.listed_sections);
  EXPECT_EQ(r.pe->sections.back().vaddr, 0x1000u * Limits{}.listed_sections);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "limit exceeded: listed sections: 65535 sections; listing the first 1024, the other "
            "64511 are read but not listed (at offset 0xa188)");
}

TEST(PeLoader, TheSectionsLimitCapsTheSectionsRead) {
  PeBuilder b;
  const auto bytes = many_sections(b, 100);
  Limits limits;
  limits.sections = 10;
  limits.listed_sections = 4;
  FileReport r;
  pe::inspect(ByteView(bytes), r, limits);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.pe->sections.size(), 4u);
  EXPECT_EQ(r.pe->sections_not_listed, 6u);
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_EQ(r.warnings[0],
            "limit exceeded: sections: section table has 100 entries, more than 10; reading the "
            "first 10 (at offset 0x86)");
  EXPECT_EQ(r.warnings[1],
            "limit exceeded: listed sections: 10 sections; listing the first 4, the other 6 are "
            "read but not listed (at offset 0x228)");
}

}  // namespace
}  // namespace enoexec
