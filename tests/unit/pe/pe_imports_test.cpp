// Import and delay-import directories: needed, libc, linkage, and hostile import tables.
#include <chrono>

#include <gtest/gtest.h>

#include "builders/pe_builder.hpp"

namespace enoexec {
namespace {

using testing::inspect_pe;
using testing::PeBuilder;

TEST(PeImports, SeveralDllsBecomeNeededInOrder) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 12}, {"USER32.dll", 3}, {"msvcrt.dll", 40}};
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(*r.needed, (std::vector<std::string>{"KERNEL32.dll", "USER32.dll", "msvcrt.dll"}));
  EXPECT_EQ(r.linkage, Linkage::dynamic);
  ASSERT_EQ(r.pe->imports.size(), 3u);
  EXPECT_EQ(r.pe->imports[0].functions, 12u);
  EXPECT_EQ(r.pe->imports[1].functions, 3u);
  EXPECT_EQ(r.pe->imports[2].functions, 40u);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(PeImports, Pe32LookupTablesUseFourByteEntries) {
  PeBuilder b;
  b.pe32_plus = false;
  b.machine = 0x014c;
  b.imports = {{"KERNEL32.dll", 7}, {"ADVAPI32.dll", 2}};
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.pe->imports[0].functions, 7u);
  EXPECT_EQ(r.pe->imports[1].functions, 2u);
}

TEST(PeImports, NoImportsIsStatic) {
  const FileReport r = inspect_pe(PeBuilder().build());
  EXPECT_EQ(r.linkage, Linkage::static_exe);
  ASSERT_TRUE(r.needed);
  EXPECT_TRUE(r.needed->empty());
}

TEST(PeImports, MsvcrtIsMinGwsCrt) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 1}, {"msvcrt.dll", 1}};
  const FileReport r = inspect_pe(b.build());
  EXPECT_EQ(r.platform->libc, Libc::msvcrt);
  ASSERT_EQ(r.evidence.size(), 3u);
  EXPECT_EQ(r.evidence[2].fact, "libc");
  EXPECT_EQ(r.evidence[2].source, "imports msvcrt.dll");
}

TEST(PeImports, ApiSetsMeanTheUniversalCrt) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 1}, {"api-ms-win-crt-runtime-l1-1-0.dll", 4}};
  const FileReport r = inspect_pe(b.build());
  EXPECT_EQ(r.platform->libc, Libc::ucrt);
  EXPECT_EQ(r.evidence.back().source, "imports api-ms-win-crt-runtime-l1-1-0.dll");
}

TEST(PeImports, UcrtbaseAnyCase) {
  PeBuilder b;
  b.imports = {{"UCRTBASE.DLL", 1}};
  EXPECT_EQ(inspect_pe(b.build()).platform->libc, Libc::ucrt);
}

TEST(PeImports, OtherDllsLeaveLibcUnknown) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 1}, {"msvcr100.dll", 1}};
  EXPECT_EQ(inspect_pe(b.build()).platform->libc, Libc::unknown);
}

TEST(PeImports, DelayImportsAreDetailsNotNeeded) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 1}};
  b.delay_imports = {{"dbghelp.dll", 5}, {"WINHTTP.dll", 2}};
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(*r.needed, (std::vector<std::string>{"KERNEL32.dll"}));
  ASSERT_EQ(r.pe->delay_imports.size(), 2u);
  EXPECT_EQ(r.pe->delay_imports[0].dll, "dbghelp.dll");
  EXPECT_EQ(r.pe->delay_imports[0].functions, 5u);
  EXPECT_EQ(r.pe->delay_imports[1].dll, "WINHTTP.dll");
  EXPECT_TRUE(r.warnings.empty());
}

// --- hostile import tables ---

TEST(PeImportsHostile, DirectoryRvaInNoSection) {
  PeBuilder b;
  auto bytes = b.build();
  PeBuilder::put32(bytes, b.directory_offset(1), 0x90000);
  PeBuilder::put32(bytes, b.directory_offset(1) + 4, 40);
  const FileReport r = inspect_pe(bytes);
  ASSERT_FALSE(r.error) << *r.error;
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "import directory RVA 0x90000 is in no section (at offset 0x110)");
  EXPECT_TRUE(r.needed->empty());
}

TEST(PeImportsHostile, DescriptorListWithoutTerminator) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 1}, {"USER32.dll", 1}};
  b.import_terminator = false;
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(*r.needed, (std::vector<std::string>{"KERNEL32.dll", "USER32.dll"}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "import directory has no null terminator after 2 descriptors before the end of its "
            "section data (at offset 0x660)");
}

TEST(PeImportsHostile, UnterminatedDllName) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 1}, {"", 1, true}};
  b.data_tail = "USER32.dl";
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(*r.needed, (std::vector<std::string>{"KERNEL32.dll"}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "import descriptor 1: DLL name is not NUL-terminated before the end of its data (at "
            "offset 0x66a)");
}

TEST(PeImportsHostile, OverlongDllName) {
  PeBuilder b;
  b.imports = {{std::string(300, 'a'), 1}};
  const FileReport r = inspect_pe(b.build());
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "import descriptor 0: DLL name is longer than 260 bytes (at offset 0x610)");
}

TEST(PeImportsHostile, DllNameRvaInNoSection) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 1}};
  auto bytes = b.build();
  const std::uint64_t descriptor = bytes.size() - 40;
  PeBuilder::put32(bytes, descriptor + 12, 0x7fff0000);
  const FileReport r = inspect_pe(bytes);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "import descriptor 0: DLL name RVA 0x7fff0000 is in no section (at offset 0x629)");
  EXPECT_TRUE(r.needed->empty());
}

TEST(PeImportsHostile, ThousandsOfDllsStopAtTheNamedLimit) {
  PeBuilder b;
  b.imports.assign(3000, {"a.dll", 1});
  const auto start = std::chrono::steady_clock::now();
  const FileReport r = inspect_pe(b.build());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.needed->size(), pe::kMaxImportedDlls);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].rfind("limit exceeded: needed libraries: import directory lists more "
                                "than 1024 DLLs; the rest are not read (at offset 0x",
                                0),
            0u);
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST(PeImportsHostile, LookupTableWithoutZeroEntry) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 2}};
  b.data_tail = "ABCDEFGH";  // one non-zero PE32+ entry, then the end of the section
  auto bytes = b.build();
  const std::uint64_t descriptor = bytes.size() - 8 - 40;
  const auto tail_rva =
      static_cast<std::uint32_t>(PeBuilder::kDataRva + bytes.size() - 8 - PeBuilder::kDataRaw);
  PeBuilder::put32(bytes, descriptor, tail_rva);  // OriginalFirstThunk
  const FileReport r = inspect_pe(bytes);
  ASSERT_EQ(r.pe->imports.size(), 1u);
  EXPECT_EQ(r.pe->imports[0].functions, 1u);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "import descriptor 0: lookup table has no zero entry before the end of its section "
            "data (at offset 0x655)");
}

TEST(PeImportsHostile, HugeLookupTablesStopAtTheNamedLimit) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 70000}};
  const FileReport r = inspect_pe(b.build());
  ASSERT_EQ(r.pe->imports.size(), 1u);
  EXPECT_EQ(r.pe->imports[0].functions, pe::kMaxImportsPerDll);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].rfind("import descriptor 0: lookup table has more than 65536 entries "
                                "(kMaxImportsPerDll); counting stops there",
                                0),
            0u);
}

TEST(PeImportsHostile, DescriptorWithoutName) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 1}, {"USER32.dll", 1}};
  auto bytes = b.build();
  const std::uint64_t first = bytes.size() - 60;
  PeBuilder::put32(bytes, first + 12, 0);
  const FileReport r = inspect_pe(bytes);
  EXPECT_EQ(*r.needed, (std::vector<std::string>{"USER32.dll"}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "import descriptor 0 has no DLL name (at offset 0x638)");
}

// One warning per bad descriptor would let a hostile image print thousands: past
// kMaxPeWarnings they are counted, in one line at the end.
TEST(PeImportsHostile, WarningsPastTheCapAreCounted) {
  PeBuilder b;
  const std::size_t count = pe::kMaxPeWarnings + 50;
  for (std::size_t i = 0; i < count; ++i) b.imports.push_back({"LIB" + std::to_string(i) + ".dll", 1});
  auto bytes = b.build();
  const std::uint64_t first = bytes.size() - 20 * (count + 1);
  for (std::size_t i = 0; i < count; ++i) PeBuilder::put32(bytes, first + 20 * i + 12, 0);
  const FileReport r = inspect_pe(bytes);
  EXPECT_TRUE(r.needed->empty());
  ASSERT_EQ(r.warnings.size(), pe::kMaxPeWarnings + 1);
  EXPECT_EQ(r.warnings[0].rfind("import descriptor 0 has no DLL name (at offset ", 0), 0u);
  EXPECT_EQ(r.warnings[pe::kMaxPeWarnings - 1].rfind("import descriptor 99 has no DLL name", 0), 0u);
  EXPECT_EQ(r.warnings.back(), "50 more warnings not shown");
}

}  // namespace
}  // namespace enoexec
