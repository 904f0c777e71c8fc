// The ELF adapter of the toolchain fingerprint and CPU level, on synthesised files: each test
// builds the one clue it is about (.comment bytes, a symbol table, a note, code) and checks what
// inspect reports from it.
#include "evidence/toolchain_evidence.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "builders/elf_builder.hpp"
#include "builders/pe_builder.hpp"
#include "enoexec/inspect.hpp"
#include "formats/elf/elf_symbols.hpp"

namespace enoexec {
namespace {

using Bytes = std::vector<std::uint8_t>;
using Strings = std::vector<std::string>;
using test::ElfBuilder;
using test::ElfImage;

constexpr std::uint32_t SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_NOTE = 7;
constexpr std::uint64_t SHF_ALLOC = 0x2, SHF_EXECINSTR = 0x4, SHF_MERGE_STRINGS = 0x30;

Bytes text_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

// NUL-terminated strings back to back, as .comment and string tables hold them.
Bytes strings(const Strings& items) {
  Bytes out;
  for (const auto& item : items) {
    out.insert(out.end(), item.begin(), item.end());
    out.push_back(0);
  }
  return out;
}

void comment(ElfBuilder& b, const Strings& lines) {
  const Bytes bytes = strings(lines);
  const std::uint64_t at = b.blob(".comment", bytes, 1);
  b.section({".comment", SHT_PROGBITS, SHF_MERGE_STRINGS, 0, at, bytes.size(), "", 0, 1, 1});
}

// A .symtab (64-bit entries) naming `names`, with its .strtab; `link` overrides sh_link.
void symtab(ElfBuilder& b, const Strings& names, const std::string& link = ".strtab") {
  Bytes table(1, 0);
  Bytes entries(24, 0);  // symbol 0
  for (const auto& name : names) {
    test::put_bytes(entries, entries.size(), table.size(), 4, Endian::little);
    entries.resize(entries.size() + 20, 0);
    table.insert(table.end(), name.begin(), name.end());
    table.push_back(0);
  }
  const std::uint64_t strtab = b.blob(".strtab", table, 1);
  b.section({".strtab", SHT_STRTAB, 0, 0, strtab, table.size(), "", 0, 1, 0});
  const std::uint64_t symbols = b.blob(".symtab", entries, 8);
  b.section({".symtab", SHT_SYMTAB, 0, 0, symbols, entries.size(), link, 0, 8, 24});
}

// A GNU property note with GNU_PROPERTY_X86_ISA_1_NEEDED = `mask`.
void isa_needed(ElfBuilder& b, std::uint32_t mask) {
  Bytes desc;
  test::put_bytes(desc, 0, 0xc0008002, 4, Endian::little);
  test::put_bytes(desc, 4, 4, 4, Endian::little);
  test::put_bytes(desc, 8, mask, 4, Endian::little);
  desc.resize(16, 0);
  b.note("GNU", 5, desc, 8, true);
}

// Executable code: `nops` one-byte NOPs, then vpaddd %ymm1,%ymm0,%ymm0 (AVX2), then ret.
std::uint64_t avx2_text(ElfBuilder& b, std::size_t nops = 16) {
  Bytes code(nops, 0x90);
  const Bytes avx2 = {0xc5, 0xfd, 0xfe, 0xc1, 0xc3};
  code.insert(code.end(), avx2.begin(), avx2.end());
  const std::uint64_t at = b.blob(".text", code, 16);
  b.section({".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, b.vaddr_of(at), at, code.size(),
             "", 0, 16, 0});
  return at;
}

FileReport inspect(const ElfImage& image, const InspectOptions& options = {}) {
  return inspect_bytes(image.bytes, "test", options);
}

TEST(CommentStrings, SplitsDropsEmptyAndRepeatedStrings) {
  const Bytes bytes = text_bytes(std::string("GCC: a\0\0GCC: b\0GCC: a\0tail", 26));
  EXPECT_EQ(comment_strings(ByteView(bytes)), (Strings{"GCC: a", "GCC: b", "tail"}));
  EXPECT_EQ(comment_strings(ByteView()), Strings{});
}

TEST(CommentStrings, KeepsAtMostTheNamedNumberOfStrings) {
  Strings many;
  for (std::size_t i = 0; i < kMaxCommentStrings + 5; ++i) many.push_back(std::to_string(i));
  const Bytes bytes = strings(many);
  EXPECT_EQ(comment_strings(ByteView(bytes)).size(), kMaxCommentStrings);
}

TEST(ToolchainEvidence, ClangAndLldFromDotComment) {
  ElfBuilder b;
  comment(b, {"GCC: (Debian 12.2.0-14+deb12u1) 12.2.0", "Linker: Debian LLD 14.0.6",
              "Debian clang version 14.0.6"});
  symtab(b, {"main", "_start"});
  const FileReport report = inspect(b.build());
  ASSERT_TRUE(report.toolchain);
  const Toolchain& t = *report.toolchain;
  EXPECT_EQ(t.language, "c");
  EXPECT_EQ(t.compiler, "clang");
  EXPECT_EQ(t.version, "14.0.6");
  EXPECT_EQ(t.linker, "lld");
  EXPECT_EQ(t.linker_version, "14.0.6");
  EXPECT_EQ(t.evidence, (Strings{".comment: Debian clang version 14.0.6",
                                 "symbol table read whole (2 names) without C++, Rust or Zig names",
                                 ".comment: Linker: Debian LLD 14.0.6"}));
}

TEST(ToolchainEvidence, RustFromDynamicSymbolsAndComment) {
  ElfBuilder b;
  comment(b, {"rustc version 1.95.0 (59807616e 2026-04-14)",
              "GCC: (Debian 12.2.0-14+deb12u1) 12.2.0"});
  b.interp("/lib64/ld-linux-x86-64.so.2").needed("libc.so.6").unversioned_symbol("rust_panic");
  const FileReport report = inspect(b.build());
  ASSERT_TRUE(report.toolchain);
  EXPECT_EQ(report.toolchain->language, "rust");
  EXPECT_EQ(report.toolchain->compiler, "rustc");
  EXPECT_EQ(report.toolchain->version, "1.95.0");
  EXPECT_EQ(report.toolchain->evidence,
            (Strings{".comment: rustc version 1.95.0 (59807616e 2026-04-14)", "symbols rust_panic"}));
}

TEST(ToolchainEvidence, GoldFromItsVersionNote) {
  ElfBuilder b;
  Bytes note;
  for (std::uint64_t word : {4u, 10u, 4u}) test::put_bytes(note, note.size(), word, 4, Endian::little);
  for (char c : std::string("GNU\0gold 1.16\0\0\0", 16)) note.push_back(static_cast<std::uint8_t>(c));
  const std::uint64_t at = b.blob(".note.gnu.gold-version", note, 4);
  b.section({".note.gnu.gold-version", SHT_NOTE, 0, 0, at, note.size(), "", 0, 4, 0});
  const FileReport report = inspect(b.build());
  ASSERT_TRUE(report.toolchain);
  EXPECT_EQ(report.toolchain->linker, "gold");
  EXPECT_EQ(report.toolchain->linker_version, "1.16");
  EXPECT_EQ(report.toolchain->evidence, (Strings{"NT_GNU_GOLD_VERSION note: gold 1.16"}));
}

TEST(ToolchainEvidence, StaticMuslProgramGetsItsLibcFromSymbols) {
  ElfBuilder b;
  comment(b, {"GCC: (Debian 12.2.0-14+deb12u1) 12.2.0"});
  symtab(b, {"_start", "_start_c", "__init_libc", "__libc_start_init", "__libc_start_main"});
  const FileReport report = inspect(b.build());
  ASSERT_TRUE(report.platform);
  EXPECT_EQ(report.linkage, Linkage::static_exe);
  EXPECT_EQ(report.platform->libc, Libc::musl);
  bool found = false;
  for (const auto& e : report.evidence)
    if (e.fact == "libc") {
      found = true;
      EXPECT_EQ(e.value, "musl");
      EXPECT_EQ(e.source, "symbols __init_libc, __libc_start_init (musl's static start-up)");
    }
  EXPECT_TRUE(found);
}

TEST(ToolchainEvidence, DynamicProgramsKeepTheirLibcWhateverTheirSymbols) {
  ElfBuilder b;
  symtab(b, {"__init_libc"});
  b.interp("/lib64/ld-linux-x86-64.so.2").needed("libc.so.6");
  const FileReport report = inspect(b.build());
  ASSERT_TRUE(report.platform);
  EXPECT_EQ(report.platform->libc, Libc::glibc);
}

TEST(ToolchainEvidence, ASymbolTableWithoutStringsIsAWarningAndProvesNothing) {
  ElfBuilder b;
  comment(b, {"GCC: (Debian 12.2.0-14+deb12u1) 12.2.0"});
  symtab(b, {"main"}, ".comment");  // sh_link names a PROGBITS section
  const ElfImage image = b.build();
  const FileReport report = inspect(image);
  ASSERT_TRUE(report.toolchain);
  EXPECT_EQ(report.toolchain->compiler, "gcc");
  EXPECT_EQ(report.toolchain->language, "");  // the names were not read: C is not proven
  // sections: 0 null, 1 .comment, 2 .strtab, 3 .symtab
  EXPECT_NE(std::find(report.warnings.begin(), report.warnings.end(),
                      "symbol table .symtab (section 3): sh_link names no string table; names "
                      "not read"),
            report.warnings.end());
}

TEST(ElfSymbols, StopsAtTheNameBudget) {
  ElfBuilder b;
  symtab(b, {"a", "bb", "ccc"});
  const ElfImage image = b.build();
  auto elf = elf::parse(ByteView(image.bytes));
  ASSERT_TRUE(elf);
  Strings seen;
  const auto collect = [&](std::span<const std::string_view> names) {
    seen.insert(seen.end(), names.begin(), names.end());
  };
  auto scan =
      elf::for_each_symbol_name(ByteView(image.bytes), *elf, collect, elf::SymbolBudget{2, 100});
  EXPECT_EQ(seen, (Strings{"a", "bb"}));
  EXPECT_TRUE(scan.has_symtab);
  EXPECT_FALSE(scan.symtab_complete);

  seen.clear();
  // bytes: "a" + "bb" fit, "ccc" does not
  scan = elf::for_each_symbol_name(ByteView(image.bytes), *elf, collect, elf::SymbolBudget{100, 3});
  EXPECT_EQ(seen, (Strings{"a", "bb"}));
  EXPECT_FALSE(scan.symtab_complete);

  seen.clear();
  scan = elf::for_each_symbol_name(ByteView(image.bytes), *elf, collect);
  EXPECT_EQ(seen, (Strings{"a", "bb", "ccc"}));
  EXPECT_TRUE(scan.symtab_complete);
  EXPECT_EQ(scan.names, 3u);
  EXPECT_EQ(scan.bytes, 6u);
}

// The visitor is called a batch at a time; every name arrives once, in table order, whatever
// the batch size.
TEST(ElfSymbols, VisitsManyNamesInTableOrder) {
  Strings names;
  for (int i = 0; i < 1000; ++i) names.push_back(fmt::format("name{}", i));
  ElfBuilder b;
  symtab(b, names);
  const ElfImage image = b.build();
  auto elf = elf::parse(ByteView(image.bytes));
  ASSERT_TRUE(elf);
  Strings seen;
  std::size_t calls = 0;
  const auto scan = elf::for_each_symbol_name(
      ByteView(image.bytes), *elf, [&](std::span<const std::string_view> batch) {
        ++calls;
        seen.insert(seen.end(), batch.begin(), batch.end());
      });
  EXPECT_EQ(seen, names);
  EXPECT_LT(calls, names.size());
  EXPECT_TRUE(scan.symtab_complete);
}

TEST(ToolchainEvidence, IsaNeededPropertyGivesTheCpuLevel) {
  ElfBuilder b;
  isa_needed(b, 0x5);  // baseline | v3
  const FileReport report = inspect(b.build());
  ASSERT_TRUE(report.cpu_level);
  EXPECT_EQ(report.cpu_level->isa, "x86-64");
  EXPECT_EQ(report.cpu_level->level, "v3");
  EXPECT_EQ(report.cpu_level->source, "GNU property X86_ISA_1_NEEDED");
  EXPECT_FALSE(report.cpu_level->found_by_scan);
}

TEST(ToolchainEvidence, CodeIsScannedOnlyWhenAsked) {
  ElfBuilder b;
  const std::uint64_t text = avx2_text(b);
  const ElfImage image = b.build();
  EXPECT_FALSE(inspect(image).cpu_level);

  InspectOptions options;
  options.scan_code = true;
  const FileReport report = inspect(image, options);
  ASSERT_TRUE(report.cpu_level);
  EXPECT_EQ(report.cpu_level->level, "v3");
  EXPECT_TRUE(report.cpu_level->found_by_scan);
  EXPECT_EQ(report.cpu_level->source,
            fmt::format("scan of section .text (21 bytes): AVX2 at offset {:#x}", text + 16));
  EXPECT_EQ(report.cpu_level->features, (Strings{"AVX2"}));
}

TEST(ToolchainEvidence, TheScanStopsAtItsBudget) {
  ElfBuilder b;
  avx2_text(b, 64);
  InspectOptions options;
  options.scan_code = true;
  options.scan_budget = 32;
  const FileReport report = inspect(b.build(), options);
  ASSERT_TRUE(report.cpu_level);
  EXPECT_EQ(report.cpu_level->level, "v1");
  EXPECT_EQ(report.cpu_level->source,
            "scan of section .text (32 bytes); stopped at the byte budget, a lower bound");
}

TEST(ToolchainEvidence, NoScanWhenTheMetadataStatesALevel) {
  ElfBuilder b;
  isa_needed(b, 0x3);  // baseline | v2
  avx2_text(b);
  InspectOptions options;
  options.scan_code = true;
  const FileReport report = inspect(b.build(), options);
  ASSERT_TRUE(report.cpu_level);
  EXPECT_EQ(report.cpu_level->level, "v2");
  EXPECT_EQ(report.cpu_level->sources.size(), 1u);
}

TEST(ToolchainEvidence, BaselineOnlyMetadataIsRaisedByTheScan) {
  ElfBuilder b;
  isa_needed(b, 0x1);  // what GNU ld writes by default: baseline
  avx2_text(b);
  InspectOptions options;
  options.scan_code = true;
  const FileReport report = inspect(b.build(), options);
  ASSERT_TRUE(report.cpu_level);
  EXPECT_EQ(report.cpu_level->level, "v3");
  EXPECT_TRUE(report.cpu_level->found_by_scan);
  ASSERT_EQ(report.cpu_level->sources.size(), 2u);
  EXPECT_EQ(report.cpu_level->sources[0].level, "v1");
}

// ---- PE ----

// A report as the PE reader leaves it for a MinGW program whose .rdata holds `rdata`.
FileReport mingw_report(const Bytes& rdata) {
  FileReport report;
  PeDetails pe;
  pe.machine = 0x8664;
  pe.linker_version = "2.40";
  pe.imports = {{"KERNEL32.dll", 10}, {"msvcrt.dll", 20}};
  PeSection section;
  section.name = ".rdata";
  section.raw_offset = 0;
  section.raw_size = static_cast<std::uint32_t>(rdata.size());
  pe.sections = {section};
  report.pe = pe;
  return report;
}

TEST(ToolchainEvidencePe, MingwFromItsGccIdentsAndLinkerVersion) {
  Bytes rdata = text_bytes("Mingw-w64 runtime failure:");
  rdata.push_back(0);
  const Bytes idents = strings({"GCC: (GNU) 12-win32", "GCC: (GNU) 12-win32", "GCC: (GNU) 12"});
  rdata.insert(rdata.end(), idents.begin(), idents.end());
  FileReport report = mingw_report(rdata);
  apply_toolchain_evidence_pe(ByteView(rdata), report);
  ASSERT_TRUE(report.toolchain);
  const Toolchain& t = *report.toolchain;
  EXPECT_EQ(t.language, "");  // no symbol table read: C is not proven
  EXPECT_EQ(t.compiler, "mingw-gcc");
  EXPECT_EQ(t.version, "12");
  EXPECT_EQ(t.linker, "bfd");
  EXPECT_EQ(t.linker_version, "2.40");
  EXPECT_EQ(t.evidence, (Strings{".rdata: GCC: (GNU) 12-win32",
                                 "PE linker version 2.40 (GNU ld writes its binutils version)"}));
  EXPECT_FALSE(report.cpu_level);
}

TEST(ToolchainEvidencePe, AnIdentCutByTheEndOfRdataIsNotTaken) {
  const Bytes rdata = text_bytes("GCC: (GNU) 12-win32");  // no NUL
  FileReport report = mingw_report(rdata);
  apply_toolchain_evidence_pe(ByteView(rdata), report);
  ASSERT_TRUE(report.toolchain);
  EXPECT_EQ(report.toolchain->compiler, "");
  EXPECT_EQ(report.toolchain->linker, "bfd");
}

TEST(ToolchainEvidencePe, DotnetAssemblyFromItsClrHeader) {
  testing::PeBuilder b;
  b.machine = 0x14c;
  b.pe32_plus = false;
  b.clr_flags = 1;  // ILONLY
  b.imports = {{"mscoree.dll", 1}};
  const Bytes image = b.build();
  const FileReport report = inspect_bytes(image, "test");
  ASSERT_TRUE(report.toolchain);
  EXPECT_EQ(report.toolchain->language, "dotnet");
  EXPECT_EQ(report.toolchain->evidence, (Strings{"CLR header (.NET runtime v4.0.30319)"}));
}

TEST(ToolchainEvidence, NothingKnownLeavesBothNull) {
  ElfBuilder b;
  const FileReport report = inspect(b.build());
  EXPECT_FALSE(report.toolchain);
  EXPECT_FALSE(report.cpu_level);
}

}  // namespace
}  // namespace enoexec
