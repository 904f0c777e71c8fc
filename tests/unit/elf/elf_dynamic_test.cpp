// The dynamic section through PT_DYNAMIC: DT_NEEDED, SONAME, RPATH/RUNPATH, flags; symbol
// versions (verneed + versym) with symbol counts from DT_HASH, DT_GNU_HASH or .dynsym; and the
// GLIBC / GLIBCXX / CXXABI minimums.
#include <tuple>

#include <gtest/gtest.h>

#include "unit/elf/elf_test_util.hpp"

namespace enoexec::test {
namespace {

using Layout = std::tuple<int, Endian, bool>;  // bits, byte order, section headers

class DynamicLayouts : public ::testing::TestWithParam<Layout> {};

TEST_P(DynamicLayouts, ReadsNamesFlagsAndVersions) {
  const auto [bits, endian, sections] = GetParam();
  ElfBuilder b(bits, endian);
  b.e_type = ET_DYN;
  b.e_machine = bits == 64 ? 183 : 40;
  b.section_headers = sections;
  b.interp(bits == 64 ? "/lib/ld-linux-aarch64.so.1" : "/lib/ld-linux-armhf.so.3");
  b.needed("libm.so.6").needed("libc.so.6");
  b.soname("libdemo.so.1");
  b.runpath("$ORIGIN/../lib:/opt/demo/lib");
  b.rpath("/old");
  b.dynamic_entry(DT_FLAGS_1, 0x08000000);
  b.versioned_symbol("libc.so.6", "GLIBC_2.17", "puts");
  b.versioned_symbol("libc.so.6", "GLIBC_2.34", "__libc_start_main");
  b.versioned_symbol("libm.so.6", "GLIBC_2.29", "exp");
  b.unversioned_symbol("__gmon_start__");
  b.versioned_symbol("libc.so.6", "GLIBC_2.34", "pthread_create");
  const auto elf = parse_image(b.build());

  EXPECT_EQ(elf.warnings, no_warnings());
  EXPECT_TRUE(elf.has_dynamic);
  EXPECT_TRUE(elf.needed_known);
  EXPECT_EQ(elf.needed, (std::vector<std::string>{"libm.so.6", "libc.so.6"}));
  EXPECT_EQ(elf.details.soname, "libdemo.so.1");
  EXPECT_EQ(elf.details.runpath, (std::vector<std::string>{"$ORIGIN/../lib", "/opt/demo/lib"}));
  EXPECT_EQ(elf.details.rpath, (std::vector<std::string>{"/old"}));
  EXPECT_TRUE(elf.details.df_1_pie);
  EXPECT_FALSE(elf.details.bind_now);

  ASSERT_EQ(elf.details.version_needs.size(), 3u);
  EXPECT_EQ(elf.details.version_needs[0].library, "libc.so.6");
  EXPECT_EQ(elf.details.version_needs[0].version, "GLIBC_2.17");
  EXPECT_EQ(elf.details.version_needs[0].symbols, (std::vector<std::string>{"puts"}));
  EXPECT_EQ(elf.details.version_needs[1].version, "GLIBC_2.34");
  EXPECT_EQ(elf.details.version_needs[1].symbols,
            (std::vector<std::string>{"__libc_start_main", "pthread_create"}));
  EXPECT_EQ(elf.details.version_needs[2].library, "libm.so.6");
  EXPECT_EQ(elf.details.version_needs[2].symbols, (std::vector<std::string>{"exp"}));
  ASSERT_TRUE(elf.details.glibc_min);
  EXPECT_EQ(elf.details.glibc_min->version, "2.34");
  EXPECT_EQ(elf.details.glibc_min->symbols,
            (std::vector<std::string>{"__libc_start_main", "pthread_create"}));

  const FileReport report = describe_file(elf);
  EXPECT_EQ(report.glibc_min, "2.34");
  EXPECT_EQ(report.needed, (std::vector<std::string>{"libm.so.6", "libc.so.6"}));
  EXPECT_EQ(report.type, "pie-executable");
  EXPECT_EQ(report.linkage, Linkage::dynamic);
}

INSTANTIATE_TEST_SUITE_P(
    Elf, DynamicLayouts,
    ::testing::Values(Layout{32, Endian::little, true}, Layout{32, Endian::big, true},
                      Layout{64, Endian::little, true}, Layout{64, Endian::big, true},
                      Layout{32, Endian::little, false}, Layout{64, Endian::big, false}));

ElfDetails versions_of(const std::vector<std::pair<std::string, std::string>>& needs) {
  ElfBuilder b;
  b.e_type = ET_DYN;
  b.needed("libc.so.6");
  int n = 0;
  for (const auto& [library, version] : needs)
    b.versioned_symbol(library, version, "sym" + std::to_string(n++));
  const auto elf = parse_image(b.build());
  EXPECT_EQ(elf.warnings, no_warnings());
  return elf.details;
}

TEST(ElfVersions, GlibcVersionsCompareNumerically) {
  const auto details = versions_of({{"libc.so.6", "GLIBC_2.9"},
                                    {"libc.so.6", "GLIBC_2.17"},
                                    {"libc.so.6", "GLIBC_2.2.5"},
                                    {"libc.so.6", "GLIBC_PRIVATE"}});
  ASSERT_TRUE(details.glibc_min);
  EXPECT_EQ(details.glibc_min->version, "2.17");
  EXPECT_EQ(details.glibc_min->symbols, (std::vector<std::string>{"sym1"}));
  EXPECT_FALSE(details.glibcxx_min);
  EXPECT_FALSE(details.cxxabi_min);
}

TEST(ElfVersions, GlibcPrivateAloneGivesNoMinimum) {
  const auto details = versions_of({{"libc.so.6", "GLIBC_PRIVATE"}});
  ASSERT_EQ(details.version_needs.size(), 1u);
  EXPECT_FALSE(details.glibc_min);
}

TEST(ElfVersions, EqualVersionsFromSeveralLibrariesPoolTheirSymbols) {
  const auto details = versions_of({{"libc.so.6", "GLIBC_2.29"},
                                    {"libm.so.6", "GLIBC_2.29"},
                                    {"libc.so.6", "GLIBC_2.3.4"}});
  ASSERT_TRUE(details.glibc_min);
  EXPECT_EQ(details.glibc_min->version, "2.29");
  EXPECT_EQ(details.glibc_min->symbols, (std::vector<std::string>{"sym0", "sym1"}));
}

TEST(ElfVersions, DtRelrMarkerMeansGlibc236) {
  ElfBuilder b;
  b.e_type = ET_DYN;
  b.versioned_symbol("libc.so.6", "GLIBC_2.34", "printf");
  b.version_need("libc.so.6", "GLIBC_ABI_DT_RELR");
  auto elf = parse_image(b.build());
  ASSERT_TRUE(elf.details.glibc_min);
  EXPECT_EQ(elf.details.glibc_min->version, "2.36");
  EXPECT_TRUE(elf.details.glibc_min->symbols.empty());

  ElfBuilder newer;
  newer.e_type = ET_DYN;
  newer.versioned_symbol("libc.so.6", "GLIBC_2.38", "strlcpy");
  newer.version_need("libc.so.6", "GLIBC_ABI_DT_RELR");
  elf = parse_image(newer.build());
  ASSERT_TRUE(elf.details.glibc_min);
  EXPECT_EQ(elf.details.glibc_min->version, "2.38");
}

TEST(ElfVersions, CxxLibraryMinimums) {
  const auto details = versions_of({{"libstdc++.so.6", "GLIBCXX_3.4.9"},
                                    {"libstdc++.so.6", "GLIBCXX_3.4.30"},
                                    {"libstdc++.so.6", "GLIBCXX_3.4"},
                                    {"libstdc++.so.6", "CXXABI_1.3.9"},
                                    {"libstdc++.so.6", "CXXABI_1.3.13"},
                                    {"libstdc++.so.6", "CXXABI_TM_1"},
                                    {"libc.so.6", "GLIBC_2.14"}});
  ASSERT_TRUE(details.glibcxx_min);
  EXPECT_EQ(details.glibcxx_min->version, "3.4.30");
  EXPECT_EQ(details.glibcxx_min->symbols, (std::vector<std::string>{"sym1"}));
  ASSERT_TRUE(details.cxxabi_min);
  EXPECT_EQ(details.cxxabi_min->version, "1.3.13");
  EXPECT_EQ(details.cxxabi_min->symbols, (std::vector<std::string>{"sym4"}));
  ASSERT_TRUE(details.glibc_min);
  EXPECT_EQ(details.glibc_min->version, "2.14");
}

TEST(ElfVersions, SymbolCountFromEachHashStyle) {
  using Style = ElfBuilder::HashStyle;
  for (Style style : {Style::sysv, Style::gnu, Style::both, Style::none}) {
    SCOPED_TRACE(static_cast<int>(style));
    ElfBuilder b(32, Endian::big);
    b.e_type = ET_DYN;
    b.e_machine = 20;
    b.hash_style = style;
    b.unversioned_symbol("a");
    b.versioned_symbol("libc.so.6", "GLIBC_2.4", "b");
    b.versioned_symbol("libc.so.6", "GLIBC_2.4", "c");
    const auto elf = parse_image(b.build());  // Style::none counts through .dynsym
    EXPECT_EQ(elf.warnings, no_warnings());
    ASSERT_EQ(elf.details.version_needs.size(), 1u);
    EXPECT_EQ(elf.details.version_needs[0].symbols, (std::vector<std::string>{"b", "c"}));
  }
}

TEST(ElfVersions, SixtyFourBitS390HashEntriesAreEightBytes) {
  ElfBuilder b(64, Endian::big);
  b.e_type = ET_DYN;
  b.e_machine = 22;
  b.versioned_symbol("libc.so.6", "GLIBC_2.2", "a");
  ElfImage image = b.build();
  // Rewrite the DT_HASH table as 8-byte entries: nbucket 1, nchain 2.
  const std::uint64_t hash = image.at(".hash");
  image.put64(hash, 1);
  image.put64(hash + 8, 2);
  const auto elf = parse_image(image);
  EXPECT_EQ(elf.warnings, no_warnings());
  ASSERT_EQ(elf.details.version_needs.size(), 1u);
  EXPECT_EQ(elf.details.version_needs[0].symbols, (std::vector<std::string>{"a"}));
}

TEST(ElfVersions, WithoutAnySymbolCountTheNeedsStayListed) {
  ElfBuilder b;
  b.e_type = ET_DYN;
  b.section_headers = false;
  b.hash_style = ElfBuilder::HashStyle::none;
  b.versioned_symbol("libc.so.6", "GLIBC_2.28", "fcntl64");
  const auto elf = parse_image(b.build());
  EXPECT_EQ(elf.warnings,
            (std::vector<std::string>{"dynamic symbol count unknown (no DT_HASH, DT_GNU_HASH or "
                                      ".dynsym section); the symbols of each version need are not "
                                      "listed"}));
  ASSERT_EQ(elf.details.version_needs.size(), 1u);
  EXPECT_TRUE(elf.details.version_needs[0].symbols.empty());
  ASSERT_TRUE(elf.details.glibc_min);
  EXPECT_EQ(elf.details.glibc_min->version, "2.28");
}

TEST(ElfDynamic, BindNowFromAnyOfItsThreeSpellings) {
  const std::pair<std::uint64_t, std::uint64_t> spellings[] = {
      {DT_BIND_NOW, 0}, {DT_FLAGS, 0x8}, {DT_FLAGS_1, 0x1}};
  for (const auto& [tag, value] : spellings) {
    ElfBuilder b;
    b.dynamic_entry(tag, value);
    EXPECT_TRUE(parse_image(b.build()).details.bind_now) << tag;
  }
  ElfBuilder lazy;
  lazy.dynamic_entry(DT_FLAGS, 0x2);
  EXPECT_FALSE(parse_image(lazy.build()).details.bind_now);
}

TEST(ElfDynamic, EmptyPathListComponentsAreKept) {
  ElfBuilder b;
  b.runpath("/a::/b");
  EXPECT_EQ(parse_image(b.build()).details.runpath, (std::vector<std::string>{"/a", "", "/b"}));
}

TEST(ElfDynamic, NoDynamicSegmentMeansNothingNeeded) {
  ElfBuilder b;
  const auto elf = parse_image(b.build());
  EXPECT_FALSE(elf.has_dynamic);
  EXPECT_TRUE(elf.needed_known);
  const FileReport report = describe_file(elf);
  EXPECT_EQ(report.needed, std::vector<std::string>{});
}

}  // namespace
}  // namespace enoexec::test
