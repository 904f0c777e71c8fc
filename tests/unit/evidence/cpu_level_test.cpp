#include "evidence/cpu_level.hpp"

#include <gtest/gtest.h>

namespace enoexec::toolchain {
namespace {

using Strings = std::vector<std::string>;

GoBuildInfo go_setting(const std::string& key, const std::string& value) {
  GoBuildInfo go;
  go.version = "go1.22.3";
  go.settings = {{"GOOS", "linux"}, {key, value}};
  return go;
}

CpuLevel level_of(const CpuClues& clues) {
  auto found = cpu_level(clues);
  EXPECT_TRUE(found.has_value());
  return found.value_or(CpuLevel{});
}

TEST(CpuLevel, NothingStatedIsNull) {
  CpuClues clues;
  clues.isa = "x86-64";
  EXPECT_FALSE(cpu_level(clues));
}

TEST(CpuLevel, X86IsaNeededProperty) {
  CpuClues clues;
  clues.isa = "x86-64";
  clues.x86_isa_needed = 3;
  const CpuLevel level = level_of(clues);
  EXPECT_EQ(level.isa, "x86-64");
  EXPECT_EQ(level.level, "v3");
  EXPECT_EQ(level.source, "GNU property X86_ISA_1_NEEDED");
  EXPECT_FALSE(level.found_by_scan);
  ASSERT_EQ(level.sources.size(), 1u);
  EXPECT_EQ(level.sources[0].level, "v3");
}

TEST(CpuLevel, TheHighestOfEverySourceWins) {
  const GoBuildInfo go = go_setting("GOAMD64", "v3");
  CpuClues clues;
  clues.isa = "x86-64";
  clues.x86_isa_needed = 1;
  clues.go = &go;
  const CpuLevel level = level_of(clues);
  EXPECT_EQ(level.level, "v3");
  EXPECT_EQ(level.source, "Go build setting GOAMD64=v3");
  ASSERT_EQ(level.sources.size(), 2u);
  EXPECT_EQ(level.sources[0].source, "GNU property X86_ISA_1_NEEDED");
  EXPECT_EQ(level.sources[0].level, "v1");
}

TEST(CpuLevel, ArmAttributesWithFpAndSimdAsFeatures) {
  CpuClues clues;
  clues.isa = "arm";
  clues.arm_cpu_arch = "v7";
  clues.arm_fp_arch = "VFPv3-D16";
  clues.arm_simd = "NEONv1";
  const CpuLevel level = level_of(clues);
  EXPECT_EQ(level.level, "v7");
  EXPECT_EQ(level.source, ".ARM.attributes Tag_CPU_arch");
  EXPECT_EQ(level.features, (Strings{"VFPv3-D16", "NEONv1"}));
}

TEST(CpuLevel, Goarm) {
  struct Case {
    std::string value, level;
    Strings features;
  };
  const Case cases[] = {{"5", "v5", {"softfloat"}},      {"5,hardfloat", "v5", {"VFPv2"}},
                        {"6", "v6", {"VFP"}},            {"6,softfloat", "v6", {"softfloat"}},
                        {"7", "v7", {"VFPv3"}},          {"7,hardfloat", "v7", {"VFPv3"}}};
  for (const auto& c : cases) {
    const GoBuildInfo go = go_setting("GOARM", c.value);
    CpuClues clues;
    clues.isa = "arm";
    clues.go = &go;
    const CpuLevel level = level_of(clues);
    EXPECT_EQ(level.level, c.level) << c.value;
    EXPECT_EQ(level.features, c.features) << c.value;
    EXPECT_EQ(level.source, "Go build setting GOARM=" + c.value);
  }
  const GoBuildInfo bogus = go_setting("GOARM", "8");
  CpuClues clues;
  clues.go = &bogus;
  EXPECT_FALSE(cpu_level(clues));
}

TEST(CpuLevel, Goarm64WithExtensions) {
  const GoBuildInfo go = go_setting("GOARM64", "v8.2,lse,crypto");
  CpuClues clues;
  clues.isa = "arm64";
  clues.go = &go;
  const CpuLevel level = level_of(clues);
  EXPECT_EQ(level.level, "v8.2");
  EXPECT_EQ(level.features, (Strings{"LSE", "crypto"}));
}

TEST(CpuLevel, ArmLevelsOrderByArchitectureNumber) {
  const GoBuildInfo go = go_setting("GOARM", "6");
  CpuClues clues;
  clues.arm_cpu_arch = "v5TE";
  clues.go = &go;
  EXPECT_EQ(level_of(clues).level, "v6");
  clues.arm_cpu_arch = "v8.1-A";
  EXPECT_EQ(level_of(clues).level, "v8.1-A");
}

TEST(CpuLevel, RiscvAttributesAndProfile) {
  CpuClues clues;
  clues.isa = "riscv64";
  clues.riscv_arch = "rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0_zba1p0";
  CpuLevel level = level_of(clues);
  EXPECT_EQ(level.level, "rv64imafdc");
  EXPECT_EQ(level.source, ".riscv.attributes Tag_RISCV_arch");
  EXPECT_EQ(level.features, (Strings{"zicsr", "zifencei", "zba"}));

  const GoBuildInfo go = go_setting("GORISCV64", "rva22u64");
  CpuClues go_clues;
  go_clues.go = &go;
  level = level_of(go_clues);
  EXPECT_EQ(level.level, "rva22u64");
  EXPECT_EQ(level.source, "Go build setting GORISCV64=rva22u64");
}

TEST(CpuLevel, ParseRiscvArch) {
  auto arch = parse_riscv_arch("rv32imac_zve32x1p0");
  ASSERT_TRUE(arch);
  EXPECT_EQ(arch->base, "rv32imac");
  EXPECT_EQ(arch->extensions, (Strings{"zve32x"}));
  EXPECT_EQ(parse_riscv_arch("rv64gc")->base, "rv64gc");
  EXPECT_FALSE(parse_riscv_arch("x86_64"));
  EXPECT_FALSE(parse_riscv_arch(""));
}

TEST(CpuLevel, MipsIsaWithItsSource) {
  CpuClues clues;
  clues.isa = "mips";
  clues.mips_isa = "mips32r2";
  clues.mips_isa_source = "e_flags EF_MIPS_ARCH";
  const CpuLevel level = level_of(clues);
  EXPECT_EQ(level.level, "mips32r2");
  EXPECT_EQ(level.source, "e_flags EF_MIPS_ARCH");
}

TEST(CpuLevel, MachoSubtypes) {
  CpuClues clues;
  clues.macho_arch_name = "x86_64h";
  EXPECT_EQ(level_of(clues).level, "v3");
  EXPECT_EQ(level_of(clues).source, "Mach-O CPU subtype x86_64h");
  clues.macho_arch_name = "arm64e";
  EXPECT_EQ(level_of(clues).level, "v8.3");
  EXPECT_EQ(level_of(clues).features, (Strings{"PAC"}));
  clues.macho_arch_name = "x86_64";
  EXPECT_FALSE(cpu_level(clues));
}

TEST(CpuLevel, ScanIsALowerBoundMarkedAsSuch) {
  CpuClues clues;
  clues.isa = "x86-64";
  clues.x86_isa_needed = 1;
  x86::IsaScan scan;
  scan.level = 3;
  scan.first_feature = "AVX2";
  scan.first_offset = 0x1139;
  scan.bytes_scanned = 400;
  clues.scan = scan;
  clues.scan_where = "section .text";
  CpuLevel level = level_of(clues);
  EXPECT_EQ(level.level, "v3");
  EXPECT_TRUE(level.found_by_scan);
  EXPECT_EQ(level.source, "scan of section .text (400 bytes): AVX2 at offset 0x1139");
  EXPECT_EQ(level.features, (Strings{"AVX2"}));
  ASSERT_EQ(level.sources.size(), 2u);
  EXPECT_FALSE(level.sources[0].found_by_scan);
  EXPECT_TRUE(level.sources[1].found_by_scan);

  clues.scan->level = 1;
  clues.scan->first_feature.clear();
  clues.scan->budget_exhausted = true;
  level = level_of(clues);
  EXPECT_EQ(level.level, "v1");
  EXPECT_FALSE(level.found_by_scan);  // the property states v1 first
  EXPECT_EQ(level.sources[1].source,
            "scan of section .text (400 bytes); stopped at the byte budget, a lower bound");
}

TEST(CpuLevel, ScanOnlyWhenNoMetadataStatesMoreThanTheBaseline) {
  CpuClues clues;
  EXPECT_FALSE(x86_level_stated_above_baseline(clues));
  clues.x86_isa_needed = 1;
  EXPECT_FALSE(x86_level_stated_above_baseline(clues));
  clues.x86_isa_needed = 2;
  EXPECT_TRUE(x86_level_stated_above_baseline(clues));
  const GoBuildInfo v1 = go_setting("GOAMD64", "v1"), v4 = go_setting("GOAMD64", "v4");
  CpuClues go;
  go.go = &v1;
  EXPECT_FALSE(x86_level_stated_above_baseline(go));
  go.go = &v4;
  EXPECT_TRUE(x86_level_stated_above_baseline(go));
}

}  // namespace
}  // namespace enoexec::toolchain
