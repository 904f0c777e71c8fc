// parse() handing segments and sections to the notes and attribute readers: which bytes go
// where (PT_NOTE first, SHT_NOTE only without PT_NOTE, PT_GNU_PROPERTY once), and the platform
// facts that come back.
#include <gtest/gtest.h>

#include "unit/elf/elf_test_util.hpp"

namespace enoexec::test {
namespace {

// NT_GNU_ABI_TAG: OS 0 (Linux), kernel 3.2.0.
const std::vector<std::uint8_t> kLinuxAbiTag = {0, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0};
// NT_FREEBSD_ABI_TAG: __FreeBSD_version 1302001 (0x0013ddf1).
const std::vector<std::uint8_t> kFreeBsdVersion = {0xf1, 0xdd, 0x13, 0x00};

TEST(ElfNoteSources, BrandNoteFromPtNoteGivesTheOs) {
  ElfBuilder b;
  b.note("GNU", 1, kLinuxAbiTag);
  const auto elf = parse_image(b.build());
  EXPECT_EQ(elf.details.notes.abi_tag_os, "Linux");
  EXPECT_EQ(elf.details.notes.abi_tag_kernel, "3.2.0");
  const FileReport report = describe_file(elf);
  EXPECT_EQ(report.platform->os, Os::linux);
  EXPECT_EQ(evidence_for(report, "os").source, "NT_GNU_ABI_TAG Linux 3.2.0");
  EXPECT_EQ(report.platform->libc, Libc::glibc);  // static, with glibc's ABI tag note
}

TEST(ElfNoteSources, NoteSectionsStandInOnlyWithoutPtNote) {
  ElfBuilder object;
  object.e_type = ET_REL;
  object.auto_load = false;
  object.note_segments = false;
  object.note("FreeBSD", 1, kFreeBsdVersion);
  EXPECT_EQ(parse_image(object.build()).details.notes.freebsd_version, "1302001");

  ElfBuilder program;
  program.note("GNU", 1, kLinuxAbiTag);
  program.note_segments = false;
  program.note("FreeBSD", 1, kFreeBsdVersion);  // a section only: ignored
  const auto elf = parse_image(program.build());
  EXPECT_EQ(elf.details.notes.abi_tag_os, "Linux");
  EXPECT_EQ(elf.details.notes.freebsd_version, std::nullopt);
}

// A PT_GNU_PROPERTY lying inside a PT_NOTE is not read twice: a damaged note warns once.
TEST(ElfNoteSources, GnuPropertyInsideAPtNoteIsReadOnce) {
  std::vector<std::vector<std::string>> warnings;
  for (bool gnu_property : {false, true}) {
    ElfBuilder b;
    b.note("GNU", 5, {2, 0, 0, 0xc0, 4, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0}, 8, gnu_property);
    ElfImage image = b.build();
    image.put32(image.at(".note.0") + 4, 0x100);  // descsz past the end of the note
    warnings.push_back(parse_image(image).warnings);
  }
  ASSERT_EQ(warnings[0].size(), 1u);
  EXPECT_EQ(warnings[1], warnings[0]);
}

TEST(ElfNoteSources, GnuPropertySegmentOutsideAnyPtNoteIsRead) {
  ElfBuilder b;
  b.note_segments = false;
  // GNU_PROPERTY_X86_ISA_1_NEEDED: x86-64-v3 (bit 2).
  b.note("GNU", 5, {2, 0x80, 0, 0xc0, 4, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0}, 8, true);
  const auto elf = parse_image(b.build());
  EXPECT_EQ(elf.details.notes.x86_isa_needed, 3);
  const FileReport report = describe_file(elf);
  EXPECT_EQ(report.platform->variant, "v3");
}

// .ARM.attributes: format 'A', one "aeabi" subsection, one Tag_File block with
// Tag_CPU_arch (6) = 10 (v7) and Tag_CPU_arch_profile (7) = 'A'.
const std::vector<std::uint8_t> kArmV7Attributes = {'A', 19, 0,   0, 0, 'a', 'e', 'a', 'b', 'i',
                                                    0,   1,  9,   0, 0, 0,   6,   10,  7,   'A'};

TEST(ElfAttributeSections, ArmAttributesGiveTheVariant) {
  ElfBuilder b(32, Endian::little);
  b.e_machine = 40;
  b.e_flags = 0x05000400;
  b.interp("/lib/ld-linux-armhf.so.3");
  b.section(".ARM.attributes", 0x70000003, kArmV7Attributes);
  const auto elf = parse_image(b.build());
  ASSERT_TRUE(elf.details.arm);
  EXPECT_EQ(elf.details.arm->cpu_arch, "v7");
  const FileReport report = describe_file(elf);
  EXPECT_EQ(report.platform->arch, Arch::arm);
  EXPECT_EQ(report.platform->variant, "v7");
  EXPECT_EQ(evidence_for(report, "variant").source, "Tag_CPU_arch v7");
  EXPECT_FALSE(has_warning(report.warnings, "ARM architecture version not stated (no "
                                            ".ARM.attributes); platform variant unknown"));
}

TEST(ElfAttributeSections, ArmWithoutSectionHeadersHasNoVariant) {
  ElfBuilder b(32, Endian::little);
  b.e_machine = 40;
  b.e_flags = 0x05000400;
  b.section_headers = false;
  b.section(".ARM.attributes", 0x70000003, kArmV7Attributes);
  const FileReport report = describe_image(b.build());
  EXPECT_EQ(report.platform->variant, "");
  EXPECT_TRUE(has_warning(report.warnings, "ARM architecture version not stated (no "
                                           ".ARM.attributes); platform variant unknown"));
}

TEST(ElfAttributeSections, RiscvAttributesGiveTheArchString) {
  // "A", subsection "riscv", Tag_File, Tag_RISCV_arch (5) = "rv64i2p1_m2p0".
  std::vector<std::uint8_t> bytes = {'A', 0, 0, 0, 0, 'r', 'i', 's', 'c', 'v', 0, 1, 0, 0, 0, 0, 5};
  const std::string arch = "rv64i2p1_m2p0";
  bytes.insert(bytes.end(), arch.begin(), arch.end());
  bytes.push_back(0);
  put_bytes(bytes, 1, bytes.size() - 1, 4, Endian::little);
  put_bytes(bytes, 12, bytes.size() - 11, 4, Endian::little);
  ElfBuilder b;
  b.e_machine = 243;
  b.e_flags = 0x5;
  b.section(".riscv.attributes", 0x70000003, bytes);
  const auto elf = parse_image(b.build());
  ASSERT_TRUE(elf.details.riscv);
  EXPECT_EQ(elf.details.riscv->arch, arch);
}

}  // namespace
}  // namespace enoexec::test
