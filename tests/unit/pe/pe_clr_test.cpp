// .NET CLR headers (flags → what the assembly runs as) and Arm64EC / Arm64X load-config marks.
#include <gtest/gtest.h>

#include "builders/pe_builder.hpp"
#include "formats/pe/pe_constants.hpp"

namespace enoexec {
namespace {

using testing::inspect_pe;
using testing::PeBuilder;

struct ClrCase {
  std::uint16_t machine;
  bool pe32_plus;
  std::uint32_t flags;
  const char* runs_as;
  std::vector<std::string> names;
};

class PeClrFlags : public ::testing::TestWithParam<ClrCase> {};

TEST_P(PeClrFlags, SayWhatTheAssemblyRunsAs) {
  const ClrCase c = GetParam();
  PeBuilder b;
  b.machine = c.machine;
  b.pe32_plus = c.pe32_plus;
  b.characteristics = 0x2102;
  b.clr_flags = c.flags;
  b.imports = {{"mscoree.dll", 1}};
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  ASSERT_TRUE(r.pe->clr);
  EXPECT_EQ(r.pe->clr->runs_as, c.runs_as);
  EXPECT_EQ(r.pe->clr->flag_names, c.names);
  EXPECT_EQ(r.pe->clr->runtime_version, "v4.0.30319");
  EXPECT_EQ(r.pe->clr->major_runtime_version, 2);
  EXPECT_EQ(r.pe->clr->minor_runtime_version, 5);
  EXPECT_EQ(r.evidence.back().fact, "clr");
  EXPECT_EQ(r.evidence.back().value, c.runs_as);
}

INSTANTIATE_TEST_SUITE_P(
    All, PeClrFlags,
    ::testing::Values(
        ClrCase{0x014c, false, 0x1, "AnyCPU", {"ILONLY"}},
        ClrCase{0x014c, false, 0x3, "x86 only", {"ILONLY", "32BITREQUIRED"}},
        ClrCase{0x014c, false, 0x20003, "AnyCPU (32-bit preferred)",
                {"ILONLY", "32BITREQUIRED", "32BITPREFERRED"}},
        ClrCase{0x014c, false, 0x0, "x86 only", {}},  // mixed mode: native x86 code inside
        ClrCase{0x014c, false, 0x9, "AnyCPU", {"ILONLY", "STRONGNAMESIGNED"}},
        ClrCase{0x8664, true, 0x1, "x64 only", {"ILONLY"}},
        ClrCase{0xaa64, true, 0x1, "ARM64 only", {"ILONLY"}},
        ClrCase{0x01c4, false, 0x1, "ARM only", {"ILONLY"}},
        ClrCase{0x8664 ^ 0x7b79, true, 0x1, "x64 only (ReadyToRun for linux)", {"ILONLY"}}));

TEST(PeClr, AnyCpuKeepsTheHeadersPlatform) {
  PeBuilder b;
  b.machine = 0x014c;
  b.pe32_plus = false;
  b.clr_flags = 0x1;
  const FileReport r = inspect_pe(b.build());
  EXPECT_EQ(r.machine, "IMAGE_FILE_MACHINE_I386");
  EXPECT_EQ(r.platform->os, Os::windows);
  EXPECT_EQ(r.platform->arch, Arch::i386);
  EXPECT_EQ(r.evidence.back().source, "CLR flags 0x1 on a PE32 image");
}

TEST(PeClr, ReadyToRunForLinuxNamesItsOsAndMachine) {
  PeBuilder b;
  b.machine = 0x8664 ^ 0x7b79;
  b.clr_flags = 0x1;
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.machine, "IMAGE_FILE_MACHINE_AMD64");
  EXPECT_EQ(r.platform->os, Os::linux);
  EXPECT_EQ(r.platform->arch, Arch::amd64);
  EXPECT_EQ(r.pe->clr->ready_to_run_os, "linux");
  EXPECT_EQ(r.pe->machine, 0xfd1d);
}

TEST(PeClr, XoredMachineWithoutClrHeaderStaysUnknown) {
  PeBuilder b;
  b.machine = 0x8664 ^ 0x7b79;
  const FileReport r = inspect_pe(b.build());
  EXPECT_EQ(r.machine, "0xfd1d");
  EXPECT_EQ(r.platform->arch, Arch::unknown);
}

TEST(PeClr, PreferredWithoutRequiredIsFlagged) {
  PeBuilder b;
  b.machine = 0x014c;
  b.pe32_plus = false;
  b.clr_flags = 0x20001;
  const FileReport r = inspect_pe(b.build());
  EXPECT_EQ(r.pe->clr->runs_as, "");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "CLR flags: 32BITPREFERRED without 32BITREQUIRED is not a valid combination (at "
            "offset 0x610)");
}

TEST(PeClr, BadMetadataSignatureKeepsTheFlags) {
  PeBuilder b;
  b.clr_flags = 0x1;
  auto bytes = b.build();
  PeBuilder::put32(bytes, PeBuilder::kDataRaw + 72, 0xdeadbeef);
  const FileReport r = inspect_pe(bytes);
  ASSERT_TRUE(r.pe->clr);
  EXPECT_FALSE(r.pe->clr->runtime_version);
  EXPECT_EQ(r.pe->clr->runs_as, "x64 only");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "CLR metadata root signature 0xdeadbeef is not \"BSJB\" (at offset 0x648)");
}

TEST(PeClr, HeaderRvaInNoSection) {
  PeBuilder b;
  b.clr_flags = 0x1;
  auto bytes = b.build();
  PeBuilder::put32(bytes, b.directory_offset(14), 0x123456);
  const FileReport r = inspect_pe(bytes);
  EXPECT_FALSE(r.pe->clr);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0], "CLR header RVA 0x123456 is in no section (at offset 0x178)");
}

TEST(PeClr, RunsAsIsAPureFunctionOfTheHeaders) {
  EXPECT_EQ(pe::clr_runs_as(0x014c, false, 0x3), "x86 only");
  EXPECT_EQ(pe::clr_runs_as(0x0200, true, 0x1), "IA64 only");
  EXPECT_EQ(pe::clr_runs_as(0x5064, true, 0x1), "IMAGE_FILE_MACHINE_RISCV64 only");
}

// --- Arm64EC / Arm64X / CHPE ---

TEST(PeHybrid, Amd64WithChpeMetadataIsArm64Ec) {
  PeBuilder b;
  b.chpe_pointer = 0x140005000;
  const FileReport r = inspect_pe(b.build());
  ASSERT_FALSE(r.error) << *r.error;
  EXPECT_EQ(r.pe->hybrid, "ARM64EC");
  EXPECT_EQ(r.pe->machine, 0x8664);
  EXPECT_EQ(r.machine, "IMAGE_FILE_MACHINE_ARM64EC");
  EXPECT_EQ(r.platform->arch, Arch::arm64);
  EXPECT_EQ(r.evidence[1].source,
            "COFF Machine IMAGE_FILE_MACHINE_AMD64 (0x8664) with CHPE metadata in the load "
            "config: ARM64EC");
}

TEST(PeHybrid, Arm64WithChpeMetadataIsArm64X) {
  PeBuilder b;
  b.machine = 0xaa64;
  b.chpe_pointer = 0x140005000;
  const FileReport r = inspect_pe(b.build());
  EXPECT_EQ(r.pe->hybrid, "ARM64X");
  EXPECT_EQ(r.machine, "IMAGE_FILE_MACHINE_ARM64X");
  EXPECT_EQ(r.platform->arch, Arch::arm64);
}

TEST(PeHybrid, I386WithChpeMetadataIsChpeX86) {
  PeBuilder b;
  b.machine = 0x014c;
  b.pe32_plus = false;
  b.chpe_pointer = 0x10005000;
  const FileReport r = inspect_pe(b.build());
  EXPECT_EQ(r.pe->hybrid, "CHPE_X86");
  EXPECT_EQ(r.machine, "IMAGE_FILE_MACHINE_I386");
  EXPECT_EQ(r.platform->arch, Arch::i386);
}

TEST(PeHybrid, ZeroPointerOrShortLoadConfigIsPlain) {
  PeBuilder b;
  b.chpe_pointer = 0;
  EXPECT_EQ(inspect_pe(b.build()).pe->hybrid, "");
  auto bytes = b.build();
  PeBuilder::put32(bytes, PeBuilder::kDataRaw, 0x70);  // an old, short load config
  PeBuilder::put(bytes, PeBuilder::kDataRaw + 200, 0x140005000, 8);
  const FileReport r = inspect_pe(bytes);
  EXPECT_EQ(r.pe->hybrid, "");
  EXPECT_EQ(r.machine, "IMAGE_FILE_MACHINE_AMD64");
}

TEST(PeConstants, ReadyToRunTargetsOnlyKnownMachines) {
  EXPECT_FALSE(pe::ready_to_run_target(0x8664));
  auto target = pe::ready_to_run_target(0xaa64 ^ 0x4644);
  ASSERT_TRUE(target);
  EXPECT_EQ(target->machine, 0xaa64);
  EXPECT_EQ(target->os, Os::darwin);
}

}  // namespace
}  // namespace enoexec
