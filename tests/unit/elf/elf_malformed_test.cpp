// Malformed ELF files: exact error text when the file header cannot be read, exact warnings
// for everything after it, and termination on hostile counts, links and random bytes.
#include <chrono>
#include <random>

#include <gtest/gtest.h>

#include "unit/elf/elf_test_util.hpp"

namespace enoexec::test {
namespace {

std::string parse_error(const std::vector<std::uint8_t>& bytes) {
  auto parsed = elf::parse(ByteView(bytes));
  return parsed ? "parsed" : to_string(parsed.error());
}

// A class-sized word of the image, in its byte order.
std::uint64_t word_at(const ElfImage& image, std::uint64_t offset) {
  const unsigned size = image.bits == 64 ? 8 : 4;
  std::uint64_t value = 0;
  for (unsigned i = 0; i < size; ++i) {
    const unsigned byte = image.endian == Endian::big ? i : size - 1 - i;
    value = (value << 8) | image.bytes[offset + byte];
  }
  return value;
}

// p_filesz of program header `index`.
std::uint64_t segment_size(const ElfImage& image, std::uint64_t index) {
  return word_at(image, image.phdr_at(index) + (image.bits == 64 ? 32 : 16));
}

// The file offset of the d_val of the first dynamic entry with `tag`.
std::uint64_t dynamic_value_at(const ElfImage& image, std::uint64_t tag) {
  const std::uint64_t word = image.bits == 64 ? 8 : 4;
  for (std::uint64_t at = image.at(".dynamic");; at += 2 * word)
    if (word_at(image, at) == tag) return at + word;
}

bool has_warning_starting(const std::vector<std::string>& warnings, const std::string& prefix) {
  for (const std::string& warning : warnings)
    if (warning.starts_with(prefix)) return true;
  return false;
}

// Layout of small_executable(): PT_LOAD over everything, PT_INTERP, PT_DYNAMIC (last blob);
// sections null, .interp, .dynstr, .dynsym, .hash, .gnu.version, .gnu.version_r, .dynamic,
// .shstrtab.
constexpr std::uint64_t kDynamicSegment = 2, kSectionCount = 9;

ElfImage small_executable(int bits = 64, Endian endian = Endian::little) {
  ElfBuilder b(bits, endian);
  b.e_type = ET_DYN;
  b.interp(bits == 64 ? "/lib64/ld-linux-x86-64.so.2" : "/lib/ld-linux.so.2");
  b.needed("libc.so.6");
  b.versioned_symbol("libc.so.6", "GLIBC_2.34", "__libc_start_main");
  return b.build();
}

TEST(ElfMalformed, ZeroLengthFile) {
  EXPECT_EQ(parse_error({}), "truncated: e_ident needs 16 bytes, 0 remain (at offset 0x0)");
}

TEST(ElfMalformed, TruncatedInsideTheFileHeaderFails) {
  for (int bits : {32, 64}) {
    const ElfImage image = small_executable(bits);
    const std::size_t header = bits == 64 ? 64 : 52;
    for (std::size_t size = 0; size < header; ++size) {
      std::vector<std::uint8_t> bytes(image.bytes.begin(),
                                      image.bytes.begin() + static_cast<std::ptrdiff_t>(size));
      const std::string expected =
          size < 16 ? fmt::format("truncated: e_ident needs 16 bytes, {} remain (at offset 0x0)",
                                  size)
                    : fmt::format("truncated: ELF header needs {} bytes, {} remain (at offset "
                                  "0x0)",
                                  header, size);
      EXPECT_EQ(parse_error(bytes), expected) << size;
    }
  }
}

TEST(ElfMalformed, TruncatedAtEachProgramHeaderKeepsTheOnesPresent) {
  const ElfImage image = small_executable();  // 3 program headers: LOAD, INTERP, DYNAMIC
  for (std::uint64_t index = 0; index < 3; ++index) {
    for (std::uint64_t into : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{55}}) {
      const std::uint64_t size = image.phdr_at(index) + into;
      std::vector<std::uint8_t> bytes(image.bytes.begin(),
                                      image.bytes.begin() + static_cast<std::ptrdiff_t>(size));
      auto elf = elf::parse(ByteView(bytes));
      ASSERT_TRUE(elf) << size;
      EXPECT_EQ(elf->details.segments.size(), index);
      EXPECT_TRUE(has_warning(elf->warnings,
                              fmt::format("program header table: 3 entries at offset 0x40, but "
                                          "the file holds only {} (file is {} bytes)",
                                          index, size)))
          << ::testing::PrintToString(elf->warnings);
    }
  }
}

TEST(ElfMalformed, EveryTruncationPointParsesOrFailsCleanly) {
  for (int bits : {32, 64}) {
    const ElfImage image = small_executable(bits, Endian::big);
    for (std::size_t size = 0; size <= image.bytes.size(); ++size) {
      // The builder leaves zeros between the program headers and its content at 0x1000.
      if (size == 0x200) size = ElfBuilder::kContentStart - 1;
      std::vector<std::uint8_t> bytes(image.bytes.begin(),
                                      image.bytes.begin() + static_cast<std::ptrdiff_t>(size));
      auto elf = elf::parse(ByteView(bytes));
      if (!elf) continue;
      FileReport report;
      elf::describe(*elf, report);
      EXPECT_EQ(report.format, Format::elf);
    }
  }
}

TEST(ElfMalformed, BadIdentification) {
  std::vector<std::uint8_t> bytes = small_executable().bytes;
  bytes[1] = 'X';
  EXPECT_EQ(parse_error(bytes), "bad magic: no ELF magic (7f 45 4c 46) in e_ident (at offset 0x0)");
  bytes = small_executable().bytes;
  bytes[4] = 3;
  EXPECT_EQ(parse_error(bytes),
            "malformed: EI_CLASS 3 is neither ELFCLASS32 (1) nor ELFCLASS64 (2) (at offset 0x4)");
  bytes = small_executable().bytes;
  bytes[5] = 0;
  EXPECT_EQ(parse_error(bytes),
            "malformed: EI_DATA 0 is neither ELFDATA2LSB (1) nor ELFDATA2MSB (2) (at offset 0x5)");
}

TEST(ElfMalformed, BadVersionsAreWarnings) {
  ElfImage image = small_executable();
  image.bytes[6] = 2;
  image.put32(20, 7);
  const auto elf = parse_image(image);
  EXPECT_EQ(elf.warnings,
            (std::vector<std::string>{"EI_VERSION is 2, expected EV_CURRENT (1) (at offset 0x6)",
                                      "e_version is 7, expected EV_CURRENT (1) (at offset 0x14)"}));
  EXPECT_EQ(elf.needed, std::vector<std::string>{"libc.so.6"});
}

TEST(ElfMalformed, ProgramHeaderTablePastTheEnd) {
  ElfImage image = small_executable();
  image.put64(image.e_phoff_at(), 0x100000);
  const auto elf = parse_image(image);
  EXPECT_EQ(elf.warnings, (std::vector<std::string>{fmt::format(
                              "program header table at offset 0x100000 starts past the end of the "
                              "file (file is {} bytes)",
                              image.bytes.size())}));
  EXPECT_TRUE(elf.details.segments.empty());
  EXPECT_FALSE(elf.interpreter);
}

TEST(ElfMalformed, HugeProgramHeaderCountIsCappedByTheBytes) {
  ElfImage image = small_executable();
  image.put16(image.e_phnum_at(), 0xfffe);
  const auto elf = parse_image(image);
  const std::uint64_t fit = (image.bytes.size() - 64) / 56;
  ASSERT_FALSE(elf.warnings.empty());
  EXPECT_EQ(elf.warnings[0],
            fmt::format("program header table: 65534 entries at offset 0x40, but the file holds "
                        "only {} (file is {} bytes)",
                        fit, image.bytes.size()));
  EXPECT_EQ(elf.details.segments.size(), fit);
  EXPECT_EQ(elf.interpreter, "/lib64/ld-linux-x86-64.so.2");
}

TEST(ElfMalformed, WrongProgramHeaderEntrySizeSkipsTheTable) {
  ElfImage image = small_executable();
  image.put16(image.e_phentsize_at(), 32);
  const auto elf = parse_image(image);
  EXPECT_EQ(elf.warnings,
            (std::vector<std::string>{
                "e_phentsize is 32, expected 56 for ELFCLASS64; program headers skipped"}));
  EXPECT_TRUE(elf.details.segments.empty());
  EXPECT_FALSE(elf.needed_known);
  EXPECT_EQ(describe_file(elf).needed, std::nullopt);
  EXPECT_EQ(elf.details.sections.size(), kSectionCount - 1);  // the section table is still read
}

TEST(ElfMalformed, WrongSectionHeaderEntrySizeSkipsTheTable) {
  ElfImage image = small_executable(32, Endian::big);
  image.put16(image.e_shentsize_at(), 64);
  const auto elf = parse_image(image);
  EXPECT_EQ(elf.warnings,
            (std::vector<std::string>{
                "e_shentsize is 64, expected 40 for ELFCLASS32; section headers skipped"}));
  EXPECT_FALSE(elf.details.has_section_headers);
  EXPECT_EQ(elf.needed, std::vector<std::string>{"libc.so.6"});
}

TEST(ElfMalformed, SectionNameTableIndexOutOfRange) {
  ElfImage image = small_executable();
  image.put16(image.e_shstrndx_at(), 99);
  const auto elf = parse_image(image);
  EXPECT_EQ(elf.warnings,
            (std::vector<std::string>{
                "e_shstrndx 99 is out of range (9 sections); section names unavailable"}));
  EXPECT_EQ(elf.details.section_count, kSectionCount);
  EXPECT_EQ(elf.details.sections, std::vector<std::string>(kSectionCount - 1, ""));
}

// Sections naming one long string: what the report keeps stays within the name table's size
// plus the string-bytes limit, whatever the section count.
TEST(ElfMalformed, SectionNamesSharingOneStringStopAtTheStringBytesLimit) {
  ElfBuilder b;
  const std::string long_name(100, 'x');
  b.section(long_name, 1 /* SHT_PROGBITS */, {1});
  for (int i = 0; i < 30; ++i) b.section(fmt::format("s{}", i), 1, {1});
  ElfImage image = b.build();
  const std::uint64_t headers = image.at("section headers");
  const std::uint32_t long_name_at = 1;  // the first name after the table's leading NUL
  for (std::uint64_t i = 1; i <= 31; ++i) image.put32(headers + i * 64, long_name_at);
  Limits limits;
  limits.string_bytes = 150;
  const auto elf = elf::parse(view_of(image), limits);
  ASSERT_TRUE(elf);
  // "\0", the long name, "s0".."s9", "s10".."s29", ".shstrtab", each with its NUL
  const std::uint64_t table_size = 1 + 101 + 10 * 3 + 20 * 4 + 10;
  const std::uint64_t kept = (table_size + 150) / 100;
  ASSERT_EQ(elf->details.sections.size(), 32u);
  for (std::uint64_t i = 0; i < 32; ++i)  // .shstrtab, the last, is past the limit too
    EXPECT_EQ(elf->details.sections[i], i < kept ? std::string_view(long_name) : std::string_view())
        << i;
  ASSERT_EQ(elf->warnings.size(), 1u);
  EXPECT_EQ(elf->warnings[0],
            fmt::format("limit exceeded: string bytes: section names fill the name table's {} "
                        "bytes and 150 more; the names of section {} and after are not kept",
                        table_size, kept + 1));
}

TEST(ElfMalformed, SectionPastTheEndOfTheFile) {
  ElfImage image = small_executable();
  const std::uint64_t interp_header = image.at("section headers") + 64;  // section 1
  image.put64(interp_header + 24, 0x7ffffff0);                          // sh_offset
  const auto elf = parse_image(image);
  EXPECT_EQ(elf.warnings, (std::vector<std::string>{fmt::format(
                              "section 1 (.interp): sh_offset 0x7ffffff0 + sh_size 0x1c extends "
                              "past the end of the file (file is {} bytes)",
                              image.bytes.size())}));
}

TEST(ElfMalformed, SectionHeaderTablePastTheEnd) {
  ElfImage image = small_executable();
  image.put64(image.e_shoff_at(), ~std::uint64_t{0} - 8);
  const auto elf = parse_image(image);
  EXPECT_EQ(elf.warnings, (std::vector<std::string>{fmt::format(
                              "section header table at offset 0xfffffffffffffff7 lies past the "
                              "end of the file (file is {} bytes); section headers skipped",
                              image.bytes.size())}));
  EXPECT_EQ(elf.needed, std::vector<std::string>{"libc.so.6"});
}

TEST(ElfMalformed, UnterminatedDynamicSection) {
  ElfBuilder b;
  b.dynamic_null = false;
  b.needed("libz.so.1");
  const ElfImage image = b.build();
  const auto elf = parse_image(image);
  EXPECT_EQ(elf.warnings,
            (std::vector<std::string>{fmt::format(
                "PT_DYNAMIC: no DT_NULL among its 6 entries (at offset 0x{:x})",
                image.at(".dynamic"))}));
  EXPECT_EQ(elf.needed, std::vector<std::string>{"libz.so.1"});
}

TEST(ElfMalformed, DynamicSegmentPastTheEnd) {
  ElfImage image = small_executable();
  image.put64(image.phdr_at(kDynamicSegment) + 8, 0x900000);  // p_offset
  const auto elf = parse_image(image);
  EXPECT_EQ(elf.warnings, (std::vector<std::string>{fmt::format(
                              "PT_DYNAMIC at offset 0x900000, {} bytes, extends past the end of "
                              "the file (file is {} bytes)",
                              segment_size(image, kDynamicSegment), image.bytes.size())}));
  EXPECT_FALSE(elf.needed_known);
  EXPECT_EQ(describe_file(elf).needed, std::nullopt);
}

TEST(ElfMalformed, StringTableInNoSegment) {
  ElfBuilder b;
  b.needed("libc.so.6");
  b.dynamic_entry(DT_STRTAB, 0x90000000);
  const auto elf = parse_image(b.build());
  EXPECT_EQ(elf.warnings,
            (std::vector<std::string>{"DT_STRTAB 0x90000000 is not inside the file bytes of any "
                                      "PT_LOAD segment; dynamic names unavailable"}));
  EXPECT_FALSE(elf.needed_known);
  EXPECT_TRUE(elf.needed.empty());
}

TEST(ElfMalformed, NeededNameOutsideTheStringTable) {
  ElfImage image = small_executable();
  image.put64(dynamic_value_at(image, DT_NEEDED), 0x7fffffff);
  const auto elf = parse_image(image);
  ASSERT_EQ(elf.warnings.size(), 1u);
  EXPECT_TRUE(elf.warnings[0].starts_with(
      "DT_NEEDED string at DT_STRTAB+0x7fffffff: out of bounds: DT_NEEDED starts past the end"))
      << elf.warnings[0];
  EXPECT_FALSE(elf.needed_known);
}

// Offsets inside .gnu.version_r as the builder lays it out: one Verneed, then its Vernaux.
constexpr std::uint64_t kVnCnt = 2, kVnNext = 12, kVnaNext = 16 + 12;

TEST(ElfMalformed, VerneedLinkThatWrapsBackwardsEnds) {
  for (int bits : {32, 64}) {
    ElfImage image = small_executable(bits);
    const std::uint64_t verneed = image.at(".gnu.version_r");
    image.put32(verneed + kVnNext, 0xfffffff0);  // -16 in 32-bit address arithmetic
    image.put_word(dynamic_value_at(image, DT_VERNEEDNUM), 2);
    const auto start = std::chrono::steady_clock::now();
    const auto elf = parse_image(image);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
    ASSERT_EQ(elf.warnings.size(), 1u);
    EXPECT_TRUE(elf.warnings[0].starts_with("Elf_Verneed 1: out of bounds: Elf_Verneed starts "
                                            "past the end of its data"))
        << elf.warnings[0];
    ASSERT_EQ(elf.details.version_needs.size(), 1u);
  }
}

// 64 well-formed records linked forward, alone in a PT_LOAD at 0x900000 that DT_VERNEED names,
// with DT_VERNEEDNUM 0xffffffff: either Verneeds (vn_cnt 0) or one Verneed whose vn_cnt 0xffff
// Vernaux entries follow. Only the byte budget (64 records) can stop these walks.
ElfImage long_version_chain(bool aux_chain) {
  ElfBuilder b;
  b.e_type = ET_DYN;
  b.needed("libc.so.6");  // at DT_STRTAB+1
  std::vector<std::uint8_t> chain;
  const auto put = [&chain](std::uint64_t value, unsigned size) {
    put_bytes(chain, chain.size(), value, size, Endian::little);
  };
  for (int i = 0; i < 64; ++i) {
    if (i == 0 || !aux_chain) {
      put(1, 2), put(aux_chain ? 0xffff : 0, 2), put(1, 4), put(16, 4), put(16, 4);
    } else {
      put(0, 4), put(0, 2), put(2, 2), put(0, 4), put(16, 4);
    }
  }
  const std::uint64_t at = b.blob("chain", chain, 16);
  b.segment({PT_LOAD, 4, at, 0x900000, 0x900000, chain.size(), chain.size(), 0x1000});
  b.dynamic_entry(DT_VERNEED, 0x900000);
  b.dynamic_entry(DT_VERNEEDNUM, 0xffffffff);
  return b.build();
}

TEST(ElfMalformed, EndlessVerneedChainStopsAtTheByteBudget) {
  const auto elf = parse_image(long_version_chain(false));
  EXPECT_EQ(elf.warnings, (std::vector<std::string>{"DT_VERNEED: the version chains visit more "
                                                    "records than its 1024 bytes can hold; "
                                                    "stopped"}));
  EXPECT_TRUE(elf.details.version_needs.empty());
}

TEST(ElfMalformed, EndlessVernauxChainStopsAtTheByteBudget) {
  const auto elf = parse_image(long_version_chain(true));
  EXPECT_EQ(elf.warnings,
            (std::vector<std::string>{
                "DT_VERNEED: the version chains visit more records than its 1024 bytes can hold; "
                "stopped",
                "DT_VERNEED without DT_SYMTAB or DT_VERSYM; the symbols of each version need are "
                "not listed"}));
  ASSERT_EQ(elf.details.version_needs.size(), 63u);
  EXPECT_EQ(elf.details.version_needs[0].library, "libc.so.6");
}

TEST(ElfMalformed, OverlappingVernauxLinksEnd) {
  ElfImage image = small_executable(32, Endian::big);
  const std::uint64_t verneed = image.at(".gnu.version_r");
  image.put16(verneed + kVnCnt, 0xffff);
  image.put32(verneed + kVnaNext, 1);
  const auto start = std::chrono::steady_clock::now();
  const auto elf = parse_image(image);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_TRUE(has_warning_starting(elf.warnings, "Elf_Vernaux 2 of libc.so.6: out of bounds"))
      << ::testing::PrintToString(elf.warnings);
}

TEST(ElfMalformed, HugeHashChainCountIsCappedByTheBytes) {
  ElfImage image = small_executable();
  const std::uint64_t hash = image.at(".hash");
  image.put32(hash + 4, 0xffffffff);  // nchain
  const auto elf = parse_image(image);
  const std::uint64_t load_end = segment_size(image, 0);
  const std::uint64_t present = std::min((load_end - image.at(".dynsym")) / 24,
                                         (load_end - image.at(".gnu.version")) / 2);
  ASSERT_FALSE(elf.warnings.empty());
  EXPECT_EQ(elf.warnings[0],
            fmt::format("DT_HASH nchain says 4294967295 dynamic symbols, but DT_SYMTAB and "
                        "DT_VERSYM hold only {} in the file; reading {}",
                        present, present));
  ASSERT_FALSE(elf.details.version_needs.empty());
  ASSERT_FALSE(elf.details.version_needs[0].symbols.empty());
  EXPECT_EQ(elf.details.version_needs[0].symbols[0], "__libc_start_main");
}

TEST(ElfMalformed, GnuHashWithHugeBucketCount) {
  ElfBuilder b;
  b.e_type = ET_DYN;
  b.section_headers = false;
  b.hash_style = ElfBuilder::HashStyle::gnu;
  b.versioned_symbol("libc.so.6", "GLIBC_2.34", "puts");
  ElfImage image = b.build();
  image.put32(image.at(".gnu.hash"), 0x40000000);  // nbuckets
  const auto elf = parse_image(image);
  ASSERT_FALSE(elf.warnings.empty());
  EXPECT_TRUE(elf.warnings[0].starts_with("out of bounds: DT_GNU_HASH buckets: 1073741824 entries "
                                          "of 4 bytes exceed the"))
      << elf.warnings[0];
  ASSERT_TRUE(elf.details.glibc_min);
}

TEST(ElfMalformed, GnuHashChainWithoutAnEndBit) {
  ElfBuilder b;
  b.e_type = ET_DYN;
  b.section_headers = false;
  b.hash_style = ElfBuilder::HashStyle::gnu;
  b.versioned_symbol("libc.so.6", "GLIBC_2.34", "puts");
  ElfImage image = b.build();
  const std::uint64_t chain = image.at(".gnu.hash") + 16 + 8 + 4;
  image.put32(chain, 0x2);  // the last chain entry lost its end bit
  const auto elf = parse_image(image);  // the walk runs into the next tables and ends there
  ASSERT_EQ(elf.details.version_needs.size(), 1u);
}

TEST(ElfMalformed, TooManyWarningsAreCapped) {
  ElfBuilder b;
  for (int i = 0; i < 150; ++i)
    b.section({".s" + std::to_string(i), 1, 0, 0, 0x7fff0000, 16, "", 0, 1, 0});
  const auto elf = parse_image(b.build());
  ASSERT_EQ(elf.warnings.size(), 101u);
  EXPECT_EQ(elf.warnings.back(), "50 more warnings not shown");
}

TEST(ElfMalformed, RandomBytesNeverCrash) {
  std::mt19937_64 random(20240501);
  const auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < 3000; ++round) {
    std::vector<std::uint8_t> bytes(random() % 2048);
    for (auto& byte : bytes) byte = static_cast<std::uint8_t>(random());
    if (bytes.size() >= 6) {
      bytes[0] = 0x7f, bytes[1] = 'E', bytes[2] = 'L', bytes[3] = 'F';
      bytes[4] = static_cast<std::uint8_t>(1 + random() % 2);
      bytes[5] = static_cast<std::uint8_t>(1 + random() % 2);
    }
    auto elf = elf::parse(ByteView(bytes));
    if (!elf) continue;
    FileReport report;
    elf::describe(*elf, report);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

TEST(ElfMalformed, MutatedValidImagesNeverCrash) {
  std::mt19937_64 random(7);
  const ElfImage images[] = {small_executable(64, Endian::little),
                             small_executable(32, Endian::big)};
  const auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < 3000; ++round) {
    std::vector<std::uint8_t> bytes = images[round % 2].bytes;
    const int flips = 1 + static_cast<int>(random() % 8);
    for (int i = 0; i < flips; ++i)
      bytes[random() % bytes.size()] = static_cast<std::uint8_t>(random());
    auto elf = elf::parse(ByteView(bytes));
    if (!elf) continue;
    FileReport report;
    elf::describe(*elf, report);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

}  // namespace
}  // namespace enoexec::test
