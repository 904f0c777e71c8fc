// Headers: DOS stub, machines, PE32/PE32+, subsystems, characteristics, and hostile headers.
#include <gtest/gtest.h>

#include "builders/pe_builder.hpp"

namespace enoexec {
namespace {

using testing::inspect_pe;
using testing::PeBuilder;

PeBuilder pe32(std::uint16_t machine) {
  PeBuilder b;
  b.pe32_plus = false;
  b.machine = machine;
  b.characteristics = 0x0102;  // EXECUTABLE_IMAGE | 32BIT_MACHINE
  return b;
}

TEST(PeHeaders, Pe32PlusAmd64ConsoleExecutable) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 3}};
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.format, Format::pe);
  EXPECT_EQ(r.kind, "");
  EXPECT_EQ(r.bits, 64);
  EXPECT_EQ(r.endian, Endian::little);
  EXPECT_EQ(r.type, "executable");
  EXPECT_EQ(r.machine, "IMAGE_FILE_MACHINE_AMD64");
  ASSERT_TRUE(r.platform);
  EXPECT_EQ(r.platform->os, Os::windows);
  EXPECT_EQ(r.platform->arch, Arch::amd64);
  EXPECT_EQ(r.platform->variant, "");
  EXPECT_EQ(r.platform->bits, 64);
  EXPECT_FALSE(r.interpreter);
  ASSERT_TRUE(r.pe);
  EXPECT_EQ(r.pe->magic, "PE32+");
  EXPECT_EQ(r.pe->machine, 0x8664);
  EXPECT_EQ(r.pe->subsystem, 3);
  EXPECT_EQ(r.pe->subsystem_name, "WINDOWS_CUI");
  EXPECT_EQ(r.pe->subsystem_version, "6.0");
  EXPECT_EQ(r.pe->os_version, "6.0");
  EXPECT_EQ(r.pe->linker_version, "2.14");
  EXPECT_EQ(r.pe->image_base, 0x140000000u);
  EXPECT_EQ(r.pe->entry_rva, 0x1000u);
  EXPECT_EQ(r.pe->timestamp, 0x5f000000u);
  EXPECT_EQ(r.pe->characteristics_names,
            (std::vector<std::string>{"EXECUTABLE_IMAGE", "LARGE_ADDRESS_AWARE"}));
  EXPECT_EQ(r.pe->dll_characteristics_names,
            (std::vector<std::string>{"HIGH_ENTROPY_VA", "DYNAMIC_BASE", "NX_COMPAT",
                                      "TERMINAL_SERVER_AWARE"}));
  ASSERT_EQ(r.pe->sections.size(), 2u);
  EXPECT_EQ(r.pe->sections[0].name, ".text");
  EXPECT_EQ(r.pe->sections[0].vaddr, 0x1000u);
  EXPECT_EQ(r.pe->sections[0].raw_offset, 0x400u);
  EXPECT_EQ(r.pe->sections[0].flags,
            (std::vector<std::string>{"CNT_CODE", "MEM_EXECUTE", "MEM_READ"}));
  EXPECT_EQ(r.pe->hybrid, "");
  EXPECT_FALSE(r.pe->clr);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(PeHeaders, Pe32I386) {
  const FileReport r = inspect_pe(pe32(0x014c).build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.bits, 32);
  EXPECT_EQ(r.machine, "IMAGE_FILE_MACHINE_I386");
  EXPECT_EQ(r.platform->arch, Arch::i386);
  EXPECT_EQ(r.platform->bits, 32);
  EXPECT_EQ(r.pe->magic, "PE32");
  EXPECT_EQ(r.pe->image_base, 0x400000u);
  EXPECT_EQ(r.pe->characteristics_names,
            (std::vector<std::string>{"EXECUTABLE_IMAGE", "32BIT_MACHINE"}));
}

struct MachineCase {
  std::uint16_t machine;
  bool pe32_plus;
  const char* name;
  Arch arch;
  const char* variant;
};

class PeMachines : public ::testing::TestWithParam<MachineCase> {};

TEST_P(PeMachines, MapToArchAndVariant) {
  const MachineCase c = GetParam();
  PeBuilder b;
  b.machine = c.machine;
  b.pe32_plus = c.pe32_plus;
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.machine, c.name);
  ASSERT_TRUE(r.platform);
  EXPECT_EQ(r.platform->arch, c.arch);
  EXPECT_EQ(r.platform->variant, c.variant);
  EXPECT_EQ(r.bits, c.pe32_plus ? 64 : 32);
}

INSTANTIATE_TEST_SUITE_P(
    All, PeMachines,
    ::testing::Values(MachineCase{0x014c, false, "IMAGE_FILE_MACHINE_I386", Arch::i386, ""},
                      MachineCase{0x8664, true, "IMAGE_FILE_MACHINE_AMD64", Arch::amd64, ""},
                      MachineCase{0xaa64, true, "IMAGE_FILE_MACHINE_ARM64", Arch::arm64, ""},
                      MachineCase{0x01c4, false, "IMAGE_FILE_MACHINE_ARMNT", Arch::arm, "v7"},
                      MachineCase{0x5032, false, "IMAGE_FILE_MACHINE_RISCV32", Arch::riscv32, ""},
                      MachineCase{0x5064, true, "IMAGE_FILE_MACHINE_RISCV64", Arch::riscv64, ""},
                      MachineCase{0x0200, true, "IMAGE_FILE_MACHINE_IA64", Arch::ia64, ""},
                      MachineCase{0x0ebc, true, "IMAGE_FILE_MACHINE_EBC", Arch::ebc, ""},
                      MachineCase{0x6264, true, "IMAGE_FILE_MACHINE_LOONGARCH64", Arch::loong64,
                                  ""},
                      MachineCase{0x1234, true, "0x1234", Arch::unknown, ""}));

TEST(PeHeaders, EvidenceNamesMachineAndSubsystem) {
  PeBuilder b;
  b.machine = 0xaa64;
  b.subsystem = 2;
  const FileReport r = inspect_pe(b.build());
  ASSERT_GE(r.evidence.size(), 2u);
  EXPECT_EQ(r.evidence[0].fact, "os");
  EXPECT_EQ(r.evidence[0].source, "Subsystem WINDOWS_GUI (2)");
  EXPECT_EQ(r.evidence[1].fact, "arch");
  EXPECT_EQ(r.evidence[1].source, "COFF Machine IMAGE_FILE_MACHINE_ARM64 (0xaa64)");
}

struct SubsystemCase {
  std::uint16_t subsystem;
  std::uint16_t characteristics;
  const char* name;
  const char* type;
  Os os;
};

class PeSubsystems : public ::testing::TestWithParam<SubsystemCase> {};

TEST_P(PeSubsystems, GiveTypeAndOs) {
  const SubsystemCase c = GetParam();
  PeBuilder b;
  b.subsystem = c.subsystem;
  b.characteristics = c.characteristics;
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.pe->subsystem_name, c.name);
  EXPECT_EQ(r.type, c.type);
  EXPECT_EQ(r.platform->os, c.os);
  EXPECT_EQ(r.platform->libc, c.os == Os::uefi ? Libc::none : Libc::unknown);
}

INSTANTIATE_TEST_SUITE_P(
    All, PeSubsystems,
    ::testing::Values(
        SubsystemCase{3, 0x0022, "WINDOWS_CUI", "executable", Os::windows},
        SubsystemCase{2, 0x0022, "WINDOWS_GUI", "executable", Os::windows},
        SubsystemCase{3, 0x2022, "WINDOWS_CUI", "shared-library", Os::windows},
        SubsystemCase{2, 0x2022, "WINDOWS_GUI", "shared-library", Os::windows},
        SubsystemCase{1, 0x0022, "NATIVE", "native", Os::windows},
        SubsystemCase{10, 0x0022, "EFI_APPLICATION", "efi-application", Os::uefi},
        SubsystemCase{11, 0x2022, "EFI_BOOT_SERVICE_DRIVER", "efi-boot-service-driver", Os::uefi},
        SubsystemCase{12, 0x0022, "EFI_RUNTIME_DRIVER", "efi-runtime-driver", Os::uefi},
        SubsystemCase{13, 0x0022, "EFI_ROM", "efi-rom", Os::uefi},
        SubsystemCase{16, 0x0022, "WINDOWS_BOOT_APPLICATION", "boot-application", Os::windows},
        SubsystemCase{99, 0x0022, "99", "executable", Os::windows}));

TEST(PeHeaders, SubsystemAndOsVersionsAreReportedAsWritten) {
  PeBuilder b;
  b.subsystem_version_major = 10;
  b.subsystem_version_minor = 0;
  b.os_version_major = 5;
  b.os_version_minor = 1;
  const FileReport r = inspect_pe(b.build());
  EXPECT_EQ(r.pe->subsystem_version, "10.0");
  EXPECT_EQ(r.pe->os_version, "5.1");
}

TEST(PeHeaders, UnknownFlagBitsAreSpelledInHex) {
  PeBuilder b;
  b.characteristics = 0x0042;
  b.dll_characteristics = 0x0001;
  const FileReport r = inspect_pe(b.build());
  EXPECT_EQ(r.pe->characteristics_names, (std::vector<std::string>{"EXECUTABLE_IMAGE", "0x40"}));
  EXPECT_EQ(r.pe->dll_characteristics_names, (std::vector<std::string>{"0x1"}));
}

// --- DOS and other MZ programs ---

TEST(PeDos, MzWithoutNewHeaderIsADosProgram) {
  const FileReport r = inspect_pe(PeBuilder::dos(0x1c, 0x12345678));
  EXPECT_EQ(r.format, Format::unknown);
  EXPECT_EQ(r.kind, "dos-executable");
  EXPECT_FALSE(r.error);
  EXPECT_FALSE(r.pe);
}

TEST(PeDos, NeHeaderIsNamed) {
  auto bytes = PeBuilder::dos(0x40, 0x80);
  PeBuilder::put16(bytes, 0x80, 0x454e);  // "NE"
  const FileReport r = inspect_pe(bytes);
  EXPECT_EQ(r.format, Format::unknown);
  EXPECT_EQ(r.kind, "ne-executable");
  EXPECT_FALSE(r.error);
}

TEST(PeDos, TruncatedDosHeaderIsAnError) {
  const std::vector<std::uint8_t> bytes{'M', 'Z', 0x90, 0x00, 0x03, 0x00};
  const FileReport r = inspect_pe(bytes);
  EXPECT_EQ(r.format, Format::pe);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error, "truncated: DOS header needs 64 bytes, 6 remain (at offset 0x0)");
}

// --- hostile headers ---

TEST(PeHostile, LfanewPastTheEnd) {
  const FileReport r = inspect_pe(PeBuilder::dos(0x40, 0x10000, 0x200));
  EXPECT_EQ(r.format, Format::pe);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error,
            "out of bounds: e_lfanew 0x10000 points past the end of the file (512 bytes) (at "
            "offset 0x3c)");
}

TEST(PeHostile, LfanewNegative) {
  const FileReport r = inspect_pe(PeBuilder::dos(0x40, 0xfffffff0u, 0x200));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error,
            "out of bounds: e_lfanew 0xfffffff0 points past the end of the file (512 bytes) (at "
            "offset 0x3c)");
}

TEST(PeHostile, LfanewAtTheLastTwoBytes) {
  const FileReport r = inspect_pe(PeBuilder::dos(0x40, 0x1fe, 0x200));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error, "truncated: PE signature needs 4 bytes, 2 remain (at offset 0x1fe)");
}

TEST(PeHostile, BadPeSignature) {
  PeBuilder b;
  auto bytes = b.build();
  PeBuilder::put32(bytes, b.lfanew, 0x00014550);
  const FileReport r = inspect_pe(bytes);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error,
            "bad magic: no PE signature at e_lfanew 0x80: found 50 45 01 00, expected 50 45 00 "
            "00 (at offset 0x80)");
}

TEST(PeHostile, CoffHeaderCutShort) {
  auto bytes = PeBuilder::dos(0x40, 0x80, 0x90);
  PeBuilder::put32(bytes, 0x80, 0x00004550);
  const FileReport r = inspect_pe(bytes);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error, "truncated: COFF file header needs 20 bytes, 12 remain (at offset 0x84)");
}

// SizeOfOptionalHeader only locates the section table: the loader reads the optional header at
// its place whatever it says, and the table may then overlap it.
TEST(PeHostile, SizeOfOptionalHeaderTooSmallOverlapsTheSectionTable) {
  PeBuilder b;
  b.size_of_optional_header = 0x40;  // the table overwrites ImageBase..; the Magic survives
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.machine, "IMAGE_FILE_MACHINE_AMD64");
  EXPECT_EQ(r.bits, 64);
  ASSERT_TRUE(r.platform);
  EXPECT_EQ(r.platform->os, Os::windows);
  ASSERT_GE(r.warnings.size(), 2u);
  // NumberOfRvaAndSizes is read from the .data section header that lies over it.
  EXPECT_EQ(r.warnings[0],
            "NumberOfRvaAndSizes 97 exceeds the 16 entries the format defines; reading 16 (at "
            "offset 0x104)");
  EXPECT_EQ(r.warnings[1],
            "SizeOfOptionalHeader 64 is smaller than the 240 bytes of the PE32+ optional header "
            "with 16 data directories: the section table at 0xd8 overlaps it; the loader reads "
            "both where they are (at offset 0x94)");
}

// A SizeOfOptionalHeader that puts the section table past the end: the file is cut there.
TEST(PeHostile, SizeOfOptionalHeaderPastTheEnd) {
  PeBuilder b;
  auto bytes = b.build();
  PeBuilder::put16(bytes, b.coff_offset() + 16, 0xffff);
  bytes.resize(0x400);
  const FileReport r = inspect_pe(bytes);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.kind, "truncated");
  ASSERT_TRUE(r.platform);
  EXPECT_EQ(r.platform->arch, Arch::amd64);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "the file ends at 0x400, inside the section table [0x10097, 0x100e7) of 2 sections, "
            "which the loader reads from the file: the file is truncated; 0 section headers are "
            "in it (at offset 0x10097)");
}

// SizeOfOptionalHeader 0 over sections that then overwrite the Magic: not an image.
TEST(PeHostile, SizeOfOptionalHeaderZeroUnderSectionsThatHideTheMagic) {
  PeBuilder b;
  b.size_of_optional_header = 0;
  const FileReport r = inspect_pe(b.build());
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error,
            "malformed: optional header magic 0x742e is neither PE32 (0x10b) nor PE32+ (0x20b) "
            "(at offset 0x98)");
}

TEST(PeHostile, UnknownOptionalHeaderMagic) {
  PeBuilder b;
  auto bytes = b.build();
  PeBuilder::put16(bytes, b.optional_offset(), 0x30b);
  const FileReport r = inspect_pe(bytes);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error,
            "malformed: optional header magic 0x30b is neither PE32 (0x10b) nor PE32+ (0x20b) (at "
            "offset 0x98)");
}

TEST(PeHostile, BogusNumberOfRvaAndSizesIsClampedTo16) {
  PeBuilder b;
  b.number_of_rva_and_sizes = 0xffffffff;
  b.imports = {{"KERNEL32.dll", 1}};
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "NumberOfRvaAndSizes 4294967295 exceeds the 16 entries the format defines; reading 16 "
            "(at offset 0x104)");
  EXPECT_EQ(r.pe->number_of_rva_and_sizes, 0xffffffffu);
  EXPECT_EQ(*r.needed, (std::vector<std::string>{"KERNEL32.dll"}));
}

// The data directories are read where the loader reads them, even where the section table
// overlaps them: here the table starts at directory 1 (IMPORT), whose bytes are ".text\0\0\0".
TEST(PeHostile, NumberOfRvaAndSizesBeyondTheOptionalHeader) {
  PeBuilder b;
  b.size_of_optional_header = 112 + 8;  // room for the EXPORT entry only
  b.imports = {{"KERNEL32.dll", 1}};
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  ASSERT_GE(r.warnings.size(), 2u);
  EXPECT_EQ(r.warnings[0],
            "SizeOfOptionalHeader 120 is smaller than the 240 bytes of the PE32+ optional header "
            "with 16 data directories: the section table at 0x110 overlaps it; the loader reads "
            "both where they are (at offset 0x94)");
  EXPECT_EQ(r.warnings[1], "import directory RVA 0x7865742e is in no section (at offset 0x110)");
  EXPECT_EQ(r.pe->data_directories[0].name, "IMPORT");
  EXPECT_EQ(r.pe->data_directories[0].rva, 0x7865742eu);
}

TEST(PeHostile, SectionTablePastTheEnd) {
  PeBuilder b;
  b.number_of_sections = 30;
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.kind, "truncated");
  ASSERT_TRUE(r.platform);
  EXPECT_EQ(r.platform->arch, Arch::amd64);
  EXPECT_EQ(r.pe->sections.size(), 28u);
  ASSERT_GE(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "the file ends at 0x600, inside the section table [0x188, 0x638) of 30 sections, "
            "which the loader reads from the file: the file is truncated; 28 section headers are "
            "in it (at offset 0x188)");
}

TEST(PeHostile, SectionTableCountBeyondTheFile) {
  PeBuilder b;
  b.number_of_sections = 0xffff;
  auto bytes = b.build();
  bytes.resize(0x400);
  const FileReport r = inspect_pe(bytes);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.kind, "truncated");
  EXPECT_EQ(r.pe->sections.size(), 15u);  // (0x400 - 0x188) / 40 headers are in the file
  EXPECT_EQ(r.pe->sections_not_listed, 0u);
}

TEST(PeHostile, TruncatedDownloadKeepsTheHeaders) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 2}, {"USER32.dll", 1}};
  auto bytes = b.build();
  bytes.resize(0x500);  // inside .text; .data is gone entirely
  const FileReport r = inspect_pe(bytes);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.format, Format::pe);
  EXPECT_EQ(r.kind, "truncated");
  EXPECT_EQ(r.platform->arch, Arch::amd64);
  ASSERT_EQ(r.warnings.size(), 3u);
  EXPECT_EQ(r.warnings[0],
            "section .text raw data [0x400, 0x600) runs past the end of the file (1280 bytes): "
            "the file is truncated (at offset 0x188)");
  EXPECT_EQ(r.warnings[2],
            "import directory at RVA 0x2040 (section .data) is past the end of the file (at "
            "offset 0x110)");
}

TEST(PeHostile, SectionNamesAreMadePrintable) {
  PeBuilder b;
  auto bytes = b.build();
  bytes[b.section_table_offset() + 1] = 0xff;
  const FileReport r = inspect_pe(bytes);
  EXPECT_EQ(r.pe->sections[0].name, ".\\xffext");
}

// --- sections ---

TEST(PeSections, LongNamesComeFromTheCoffStringTable) {
  PeBuilder b;
  auto bytes = b.build();
  PeBuilder::put32(bytes, b.coff_offset() + 8, PeBuilder::kTextRaw);  // PointerToSymbolTable
  PeBuilder::put32(bytes, PeBuilder::kTextRaw, 4 + 12);               // string table size
  const std::string long_name = ".debug_info";
  std::copy(long_name.begin(), long_name.end(), bytes.begin() + PeBuilder::kTextRaw + 4);
  const std::uint64_t data_name = b.section_table_offset() + 40;
  PeBuilder::put(bytes, data_name, 0, 8);
  PeBuilder::put16(bytes, data_name, 0x342f);  // "/4"
  const FileReport r = inspect_pe(bytes);
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.pe->sections[1].name, ".debug_info");
}

TEST(PeSections, OverlappingSectionsAreWarnedAboutOnce) {
  PeBuilder b;
  b.imports = {{"KERNEL32.dll", 1}};
  auto bytes = b.build();
  PeBuilder::put32(bytes, b.section_table_offset() + 40 + 12, 0x1100);  // .data inside .text
  const FileReport r = inspect_pe(bytes);
  ASSERT_FALSE(r.error) << *r.error;
  ASSERT_GE(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "section .data at RVA 0x1100 overlaps or precedes section .text [0x1000, 0x1200); "
            "RVAs resolve to the last section starting at or below them (at offset 0x1b0)");
}

}  // namespace
}  // namespace enoexec
