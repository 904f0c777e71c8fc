// The ELF reader on well-formed images: header, both classes and byte orders, program headers,
// section headers (with extended numbering), load layout, interpreter, machine mapping.
#include "formats/elf/elf_file.hpp"

#include <tuple>

#include <gtest/gtest.h>

#include "formats/elf/elf_names.hpp"
#include "unit/elf/elf_test_util.hpp"

namespace enoexec::test {
namespace {

using Layout = std::tuple<int, Endian>;

class EachLayout : public ::testing::TestWithParam<Layout> {};

TEST_P(EachLayout, ReadsHeaderSegmentsAndSections) {
  const auto [bits, endian] = GetParam();
  ElfBuilder b(bits, endian);
  b.e_type = ET_EXEC;
  b.e_machine = 8;  // EM_MIPS
  b.e_flags = 0x70001007;
  b.e_entry = 0x10400;
  b.interp("/lib/ld.so.1");
  b.section(".comment", 1, {'h', 'i', 0});
  const auto elf = parse_image(b.build());

  EXPECT_EQ(elf.bits, bits);
  EXPECT_EQ(elf.endian, endian);
  EXPECT_EQ(elf.details.e_type, ET_EXEC);
  EXPECT_EQ(elf.details.e_machine, 8);
  EXPECT_EQ(elf.details.e_flags, 0x70001007u);
  EXPECT_EQ(elf.details.entry, 0x10400u);
  EXPECT_EQ(elf.details.osabi_name, "SYSV");
  EXPECT_EQ(elf.interpreter, "/lib/ld.so.1");
  ASSERT_EQ(elf.details.segments.size(), 2u);
  EXPECT_EQ(elf.details.segments[0].type, "PT_LOAD");
  EXPECT_EQ(elf.details.segments[0].vaddr, 0x10000u);
  EXPECT_EQ(elf.details.segments[0].align, 0x10000u);
  EXPECT_EQ(elf.details.segments[0].flags, 5u);
  EXPECT_EQ(elf.details.segments[1].type, "PT_INTERP");
  EXPECT_EQ(elf.details.segments[1].offset, 0x1000u);
  EXPECT_EQ(elf.details.segments[1].filesz, 13u);
  EXPECT_TRUE(elf.details.has_section_headers);
  EXPECT_EQ(elf.details.section_count, 4u);
  EXPECT_EQ(elf.details.sections,
            (std::vector<std::string>{".interp", ".comment", ".shstrtab"}));
  ASSERT_EQ(elf.sections.size(), 4u);
  EXPECT_EQ(elf.sections[2].name, ".comment");
  EXPECT_EQ(elf.sections[2].offset, 0x100du);
  EXPECT_EQ(elf.sections[2].size, 3u);
  EXPECT_EQ(elf.warnings, no_warnings());
  EXPECT_TRUE(elf.needed_known);
  EXPECT_FALSE(elf.truncated);

  const FileReport report = describe_file(elf);
  EXPECT_EQ(report.bits, bits);
  EXPECT_EQ(report.endian, endian);
  const Arch expected = bits == 64 ? (endian == Endian::big ? Arch::mips64 : Arch::mips64le)
                                   : (endian == Endian::big ? Arch::mips : Arch::mipsle);
  ASSERT_TRUE(report.platform);
  EXPECT_EQ(report.platform->arch, expected);
  EXPECT_EQ(report.platform->bits, bits);
  EXPECT_EQ(report.platform->endian, endian);
  EXPECT_EQ(report.machine, "EM_MIPS");
}

INSTANTIATE_TEST_SUITE_P(Elf, EachLayout,
                         ::testing::Values(Layout{32, Endian::little}, Layout{32, Endian::big},
                                           Layout{64, Endian::little}, Layout{64, Endian::big}));

TEST(ElfSegments, NamesGenericAndProcessorSpecificTypes) {
  ElfBuilder b(32, Endian::little);
  b.e_machine = 40;  // EM_ARM
  b.segment({0x6474e551, 6, 0, 0, 0, 0, 0, 16});
  b.segment({0x70000001, 4, 0, 0, 0, 0, 0, 4});
  b.segment({0x12345678, 4, 0, 0, 0, 0, 0, 4});
  const auto elf = parse_image(b.build());
  ASSERT_EQ(elf.details.segments.size(), 4u);
  EXPECT_EQ(elf.details.segments[1].type, "PT_GNU_STACK");
  EXPECT_EQ(elf.details.segments[2].type, "PT_ARM_EXIDX");
  EXPECT_EQ(elf.details.segments[3].type, "0x12345678");
}

TEST(ElfSegments, ProcessorSpecificTypesDependOnTheMachine) {
  EXPECT_EQ(elf::segment_type_name(0x70000003, 8), "PT_MIPS_ABIFLAGS");
  EXPECT_EQ(elf::segment_type_name(0x70000003, 243), "PT_RISCV_ATTRIBUTES");
  EXPECT_EQ(elf::segment_type_name(0x70000003, 62), "0x70000003");
  EXPECT_EQ(elf::segment_type_name(0x6474e553, 62), "PT_GNU_PROPERTY");
  EXPECT_EQ(elf::segment_type_name(7, 62), "PT_TLS");
}

TEST(ElfLoadLayout, SixtyFourKibAlignedLayoutFitsEveryPageSize) {
  ElfBuilder b;
  const auto elf = parse_image(b.build());
  EXPECT_EQ(elf.details.max_page_size, 65536u);
  EXPECT_EQ(elf.details.max_load_align, 65536u);
}

TEST(ElfLoadLayout, FourKibLayoutFitsOnlyFourKibPages) {
  ElfBuilder b;
  b.auto_load = false;
  b.segment({PT_LOAD, 5, 0, 0x400000, 0x400000, 0x800, 0x800, 0x1000});
  b.segment({PT_LOAD, 6, 0x1000, 0x401000, 0x401000, 0x10, 0x10, 0x1000});
  b.segment({PT_LOAD, 6, 0x2000, 0x403000, 0x403000, 0x10, 0x3000, 0x3000});  // not a power of 2
  const auto elf = parse_image(b.build());
  EXPECT_EQ(elf.details.max_page_size, 4096u);
  EXPECT_EQ(elf.details.max_load_align, 4096u);
}

TEST(ElfLoadLayout, SixteenKibLayout) {
  ElfBuilder b;
  b.auto_load = false;
  b.segment({PT_LOAD, 5, 0, 0x400000, 0x400000, 0x800, 0x800, 0x4000});
  b.segment({PT_LOAD, 6, 0x1000, 0x405000, 0x405000, 0x10, 0x10, 0x4000});
  EXPECT_EQ(parse_image(b.build()).details.max_page_size, 16384u);
}

TEST(ElfLoadLayout, NotEvenPageCongruentGivesTheLargestPowerOfTwoThatIs) {
  ElfBuilder b;
  b.auto_load = false;
  b.segment({PT_LOAD, 5, 0x100, 0x10300, 0x10300, 0x10, 0x10, 0});
  EXPECT_EQ(parse_image(b.build()).details.max_page_size, 512u);

  ElfBuilder odd;
  odd.auto_load = false;
  odd.segment({PT_LOAD, 5, 0x101, 0x10300, 0x10300, 0x10, 0x10, 0});
  EXPECT_EQ(parse_image(odd.build()).details.max_page_size, 1u);
}

TEST(ElfLoadLayout, NoLoadSegmentsMeansZero) {
  ElfBuilder b;
  b.e_type = ET_REL;
  b.auto_load = false;
  const auto elf = parse_image(b.build());
  EXPECT_EQ(elf.details.max_page_size, 0u);
  EXPECT_EQ(elf.details.max_load_align, 0u);
  EXPECT_TRUE(elf.details.segments.empty());
}

TEST(ElfSections, ExtendedNumberingReadsCountsFromSectionZero) {
  for (int bits : {32, 64}) {
    ElfBuilder b(bits, Endian::big);
    b.interp("/lib/ld-linux.so.2");
    b.section(".data", 1, {1, 2, 3, 4});
    ElfImage image = b.build();
    const std::uint64_t section_zero = image.at("section headers");
    // e_shnum = 0: the count is section 0's sh_size; SHN_XINDEX: the index is its sh_link;
    // PN_XNUM: the program header count is its sh_info.
    image.put16(image.e_shnum_at(), 0);
    image.put_word(section_zero + (bits == 64 ? 32 : 20), 4);
    image.put16(image.e_shstrndx_at(), 0xffff);
    image.put32(section_zero + (bits == 64 ? 40 : 24), 3);
    image.put16(image.e_phnum_at(), 0xffff);
    image.put32(section_zero + (bits == 64 ? 44 : 28), 2);
    const auto elf = parse_image(image);
    EXPECT_EQ(elf.details.section_count, 4u);
    EXPECT_EQ(elf.details.sections,
              (std::vector<std::string>{".interp", ".data", ".shstrtab"}));
    ASSERT_EQ(elf.details.segments.size(), 2u);
    EXPECT_EQ(elf.interpreter, "/lib/ld-linux.so.2");
    EXPECT_EQ(elf.warnings, no_warnings());
  }
}

TEST(ElfSections, FilesWithoutSectionHeadersStillWork) {
  ElfBuilder b;
  b.e_type = ET_DYN;
  b.section_headers = false;
  b.interp("/lib/ld-musl-x86_64.so.1");
  b.needed("libc.musl-x86_64.so.1");
  const auto elf = parse_image(b.build());
  EXPECT_FALSE(elf.details.has_section_headers);
  EXPECT_EQ(elf.details.section_count, 0u);
  EXPECT_TRUE(elf.sections.empty());
  EXPECT_EQ(elf.interpreter, "/lib/ld-musl-x86_64.so.1");
  EXPECT_EQ(elf.needed, (std::vector<std::string>{"libc.musl-x86_64.so.1"}));
  EXPECT_EQ(elf.warnings, no_warnings());
}

TEST(ElfSections, NobitsSectionsHaveNoFileBytes) {
  ElfBuilder b;
  b.section({".bss", 8, 3, 0x90000, 0x7fff0000, 0x100000, "", 0, 32, 0});
  const auto elf = parse_image(b.build());
  EXPECT_EQ(elf.warnings, no_warnings());
  ASSERT_EQ(elf.sections.size(), 3u);
  EXPECT_EQ(elf.sections[1].name, ".bss");
  EXPECT_EQ(elf.sections[1].type, 8u);
}

TEST(ElfInterpreter, MustBeTwoToPathMaxBytesAndNulTerminated) {
  ElfBuilder b;
  b.interp("/lib/ld-linux-aarch64.so.1");
  ElfImage image = b.build();
  const std::uint64_t filesz_at = image.phdr_at(1) + 32;  // Elf64_Phdr.p_filesz
  image.put64(filesz_at, 1);
  auto elf = parse_image(image);
  EXPECT_EQ(elf.warnings, (std::vector<std::string>{
                              "PT_INTERP: p_filesz 1 is outside [2, 4096]; the kernel refuses this "
                              "file (at offset 0x1000)",
                              "PT_INTERP: the path is not NUL-terminated within its 1 bytes (at "
                              "offset 0x1000)"}));
  EXPECT_EQ(elf.interpreter, "/");

  image.put64(filesz_at, 10);
  elf = parse_image(image);
  EXPECT_EQ(elf.warnings, (std::vector<std::string>{
                              "PT_INTERP: the path is not NUL-terminated within its 10 bytes (at "
                              "offset 0x1000)"}));
  EXPECT_EQ(elf.interpreter, "/lib/ld-li");

  image.put64(filesz_at, 5000);
  elf = parse_image(image);
  EXPECT_EQ(elf.warnings,
            (std::vector<std::string>{
                "PT_INTERP: p_filesz 5000 is outside [2, 4096]; the kernel refuses this file (at "
                "offset 0x1000)",
                fmt::format("PT_INTERP at offset 0x1000, 5000 bytes, extends past the end of the "
                            "file (file is {} bytes)",
                            image.bytes.size())}));
  EXPECT_EQ(elf.interpreter, "/lib/ld-linux-aarch64.so.1");
}

TEST(ElfInterpreter, OnlyTheFirstCounts) {
  ElfBuilder b;
  b.interp("/lib/ld-linux-armhf.so.3");
  b.segment({PT_INTERP, 4, 0x1000, 0, 0, 5, 5, 1});
  const auto elf = parse_image(b.build());
  EXPECT_EQ(elf.interpreter, "/lib/ld-linux-armhf.so.3");
  EXPECT_EQ(elf.warnings,
            (std::vector<std::string>{"more than one PT_INTERP; the kernel uses the first"}));
}

TEST(ElfTruncation, LoadSegmentPastTheEndMarksTheFileTruncated) {
  ElfBuilder b;
  b.section_headers = false;
  b.interp("/lib64/ld-linux-x86-64.so.2");
  b.blob("payload", std::vector<std::uint8_t>(64, 0x90));
  ElfImage image = b.build();
  const std::uint64_t full = image.bytes.size();
  image.truncate(full - 4);
  const auto elf = parse_image(image);
  EXPECT_TRUE(elf.truncated);
  EXPECT_EQ(elf.warnings,
            (std::vector<std::string>{fmt::format(
                "PT_LOAD 0: p_offset 0x0 + p_filesz 0x{:x} extends past the end of the file (file "
                "is {} bytes)",
                full, full - 4)}));
  const FileReport report = describe_file(elf);
  EXPECT_EQ(report.kind, "truncated");
  EXPECT_EQ(report.type, "executable");
}

struct MachineCase {
  std::uint16_t machine;
  int bits;
  Endian endian;
  Arch arch;
  const char* label;
};

TEST(ElfMachines, MapToArchitecturesByClassAndByteOrder) {
  const MachineCase cases[] = {
      {3, 32, Endian::little, Arch::i386, "EM_386"},
      {62, 64, Endian::little, Arch::amd64, "EM_X86_64"},
      {62, 32, Endian::little, Arch::x32, "EM_X86_64"},
      {8, 32, Endian::big, Arch::mips, "EM_MIPS"},
      {8, 32, Endian::little, Arch::mipsle, "EM_MIPS"},
      {8, 64, Endian::big, Arch::mips64, "EM_MIPS"},
      {8, 64, Endian::little, Arch::mips64le, "EM_MIPS"},
      {10, 32, Endian::little, Arch::mipsle, "EM_MIPS_RS3_LE"},
      {20, 32, Endian::big, Arch::ppc, "EM_PPC"},
      {20, 32, Endian::little, Arch::ppcle, "EM_PPC"},
      {21, 64, Endian::big, Arch::ppc64, "EM_PPC64"},
      {21, 64, Endian::little, Arch::ppc64le, "EM_PPC64"},
      {40, 32, Endian::little, Arch::arm, "EM_ARM"},
      {40, 32, Endian::big, Arch::armbe, "EM_ARM"},
      {183, 64, Endian::little, Arch::arm64, "EM_AARCH64"},
      {183, 64, Endian::big, Arch::arm64be, "EM_AARCH64"},
      {22, 32, Endian::big, Arch::s390, "EM_S390"},
      {22, 64, Endian::big, Arch::s390x, "EM_S390"},
      {2, 32, Endian::big, Arch::sparc, "EM_SPARC"},
      {18, 32, Endian::big, Arch::sparc, "EM_SPARC32PLUS"},
      {43, 64, Endian::big, Arch::sparc64, "EM_SPARCV9"},
      {243, 32, Endian::little, Arch::riscv32, "EM_RISCV"},
      {243, 64, Endian::little, Arch::riscv64, "EM_RISCV"},
      {42, 32, Endian::little, Arch::sh, "EM_SH"},
      {42, 32, Endian::big, Arch::sheb, "EM_SH"},
      {258, 64, Endian::little, Arch::loong64, "EM_LOONGARCH"},
      {0x9026, 64, Endian::little, Arch::alpha, "EM_ALPHA"},
      {15, 32, Endian::big, Arch::hppa, "EM_PARISC"},
      {50, 64, Endian::little, Arch::ia64, "EM_IA_64"},
      {4, 32, Endian::big, Arch::m68k, "EM_68K"},
      {94, 32, Endian::little, Arch::xtensa, "EM_XTENSA"},
      {113, 32, Endian::little, Arch::nios2, "EM_ALTERA_NIOS2"},
      {189, 32, Endian::big, Arch::microblaze, "EM_MICROBLAZE"},
      {93, 32, Endian::little, Arch::arc, "EM_ARC_COMPACT"},
      {195, 32, Endian::little, Arch::arc, "EM_ARC_COMPACT2"},
      {164, 32, Endian::little, Arch::hexagon, "EM_HEXAGON"},
      {92, 32, Endian::big, Arch::or1k, "EM_OPENRISC"},
      {252, 32, Endian::little, Arch::csky, "EM_CSKY"},
      {191, 64, Endian::little, Arch::unknown, "EM_TILEGX"},
      {247, 64, Endian::little, Arch::unknown, "EM_BPF"},
      {88, 32, Endian::big, Arch::unknown, "EM_M32R"},
      {0x1234, 64, Endian::little, Arch::unknown, "0x1234"},
  };
  for (const MachineCase& c : cases) {
    SCOPED_TRACE(c.label);
    ElfBuilder b(c.bits, c.endian);
    b.e_machine = c.machine;
    const FileReport report = describe_image(b.build());
    EXPECT_EQ(report.machine, c.label);
    ASSERT_TRUE(report.platform);
    EXPECT_EQ(report.platform->arch, c.arch);
  }
}

TEST(ElfMachines, ArchEvidenceNamesTheHeaderFields) {
  ElfBuilder b(32, Endian::big);
  b.e_machine = 22;
  const FileReport report = describe_image(b.build());
  const Evidence arch = evidence_for(report, "arch");
  EXPECT_EQ(arch.value, to_string(Arch::s390));
  EXPECT_EQ(arch.source, "e_machine=EM_S390, ELFCLASS32, ELFDATA2MSB");
  EXPECT_EQ(evidence_for(report, "bits").source, "EI_CLASS=ELFCLASS32");
  EXPECT_EQ(evidence_for(report, "endian").source, "EI_DATA=ELFDATA2MSB");
}

TEST(ElfFileOffsets, TranslateThroughLoadSegments) {
  ElfBuilder b;
  const auto elf = parse_image(b.build());
  EXPECT_EQ(elf::file_offset_of(elf, 0x10000 + 0x20), 0x20u);
  EXPECT_EQ(elf::file_offset_of(elf, 0x100), std::nullopt);
  EXPECT_EQ(elf::file_offset_of(elf, 0x10000 + 0x100000), std::nullopt);
}

}  // namespace
}  // namespace enoexec::test
