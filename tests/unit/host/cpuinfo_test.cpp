#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/host_parse.hpp"

namespace enoexec::host {
namespace {

std::string x86_cpuinfo(const std::string& flags) {
  return "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Test CPU\nfpu\t\t: yes\nflags\t\t: " + flags +
         "\n\nprocessor\t: 1\nvendor_id\t: GenuineIntel\nflags\t\t: " + flags + "\n";
}

const std::string V1 = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 syscall nx lm";
const std::string V2 = V1 + " pni ssse3 cx16 sse4_1 sse4_2 popcnt lahf_lm";
const std::string V3 = V2 + " fma movbe xsave avx f16c abm bmi1 avx2 bmi2";
const std::string V4 = V3 + " avx512f avx512dq avx512cd avx512bw avx512vl";

TEST(Cpuinfo, X86LevelsFromFlags) {
  struct Case {
    std::string flags, level, variant, go;
  };
  for (const Case& c : {Case{V1, "x86-64-v1", "", "GOAMD64=v1"}, Case{V2, "x86-64-v2", "v2", "GOAMD64=v2"},
                        Case{V3, "x86-64-v3", "v3", "GOAMD64=v3"}, Case{V4, "x86-64-v4", "v4", "GOAMD64=v4"}}) {
    const HostCpu cpu = parse_cpuinfo(x86_cpuinfo(c.flags), Arch::amd64);
    EXPECT_EQ(cpu.level, c.level);
    EXPECT_EQ(cpu.variant, c.variant);
    EXPECT_EQ(cpu.go_env, c.go);
  }
}

TEST(Cpuinfo, X86ReadsIdentityAndCountsProcessors) {
  const HostCpu cpu = parse_cpuinfo(x86_cpuinfo(V2), Arch::amd64);
  EXPECT_EQ(cpu.vendor, "GenuineIntel");
  EXPECT_EQ(cpu.model_name, "Test CPU");
  EXPECT_EQ(cpu.processors, 2);
  EXPECT_EQ(cpu.features.front(), "fpu");
  EXPECT_EQ(cpu.fpu, "");
  EXPECT_EQ(cpu.missing, (std::vector<std::string>{"avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave"}));
}

TEST(Cpuinfo, X86OneMissingFlagDropsALevel) {
  std::string flags = V3;
  flags.replace(flags.find(" movbe"), 6, "");
  std::vector<std::string> missing;
  std::vector<std::string> list;
  for (std::size_t start = 0, end = 0; end != std::string::npos; start = end + 1) {
    end = flags.find(' ', start);
    list.push_back(flags.substr(start, end - start));
  }
  EXPECT_EQ(x86_64_level(list, &missing), 2);
  EXPECT_EQ(missing, std::vector<std::string>{"movbe"});
}

TEST(Cpuinfo, X86WithoutLmHasNoLevel) {
  const HostCpu cpu = parse_cpuinfo("processor\t: 0\nflags\t\t: fpu cx8 cmov mmx fxsr sse sse2\n", Arch::i386);
  EXPECT_EQ(cpu.level, "");
  EXPECT_EQ(cpu.notes, std::vector<std::string>{"no lm flag: a 32-bit-only x86 CPU"});
}

// A Raspberry Pi Zero W as its /proc/cpuinfo reads (public READMEs quote it verbatim).
constexpr const char* PI_ZERO_W =
    "processor\t: 0\n"
    "model name\t: ARMv6-compatible processor rev 7 (v6l)\n"
    "BogoMIPS\t: 697.95\n"
    "Features\t: half thumb fastmult vfp edsp java tls\n"
    "CPU implementer\t: 0x41\n"
    "CPU architecture: 7\n"
    "CPU variant\t: 0x0\n"
    "CPU part\t: 0xb76\n"
    "CPU revision\t: 7\n"
    "\n"
    "Hardware\t: BCM2835\n"
    "Revision\t: 9000c1\n"
    "Serial\t\t: 00000000f4e5809a\n"
    "Model\t\t: Raspberry Pi Zero W Rev 1.1\n";

TEST(Cpuinfo, PiZeroIsArmv6DespiteArchitecture7) {
  const HostCpu cpu = parse_cpuinfo(PI_ZERO_W, Arch::arm);
  EXPECT_EQ(cpu.architecture, "7");
  EXPECT_EQ(cpu.level, "ARMv6");
  EXPECT_EQ(cpu.variant, "v6");
  EXPECT_EQ(cpu.go_env, "GOARM=6");
  EXPECT_EQ(cpu.fpu, "vfpv2");
  EXPECT_EQ(cpu.missing, (std::vector<std::string>{"ARMv7", "vfpv3"}));
  EXPECT_EQ(cpu.hardware, "BCM2835");
  EXPECT_EQ(cpu.model, "Raspberry Pi Zero W Rev 1.1");
  EXPECT_EQ(cpu.part, "0xb76");
  EXPECT_EQ(cpu.vendor, "0x41");
  ASSERT_EQ(cpu.notes.size(), 1u);
  EXPECT_EQ(cpu.notes[0], "CPU architecture says 7 but the model name says ARMv6-compatible: ARMv6 (ARM1176 "
                          "reports the ARMv7 CPUID scheme)");
}

TEST(Cpuinfo, OldArmKernelsNameTheModelProcessor) {
  const HostCpu cpu = parse_cpuinfo(
      "Processor\t: ARMv6-compatible processor rev 7 (v6l)\nBogoMIPS\t: 697.95\n"
      "Features\t: swp half thumb fastmult vfp edsp java tls\nCPU implementer\t: 0x41\nCPU architecture: 7\n",
      Arch::arm);
  EXPECT_EQ(cpu.model_name, "ARMv6-compatible processor rev 7 (v6l)");
  EXPECT_EQ(cpu.level, "ARMv6");
  EXPECT_EQ(cpu.processors, 0);
}

TEST(Cpuinfo, Armv7PiThreeIn32BitMode) {
  const HostCpu cpu = parse_cpuinfo(
      "processor\t: 0\nmodel name\t: ARMv7 Processor rev 4 (v7l)\nBogoMIPS\t: 38.40\n"
      "Features\t: half thumb fastmult vfp edsp neon vfpv3 tls vfpv4 idiva idivt vfpd32 lpae evtstrm crc32 \n"
      "CPU implementer\t: 0x41\nCPU architecture: 7\nCPU variant\t: 0x0\nCPU part\t: 0xd03\nCPU revision\t: 4\n",
      Arch::arm);
  EXPECT_EQ(cpu.level, "ARMv7");
  EXPECT_EQ(cpu.variant, "v7");
  EXPECT_EQ(cpu.go_env, "GOARM=7");
  EXPECT_EQ(cpu.fpu, "vfpv4");
  EXPECT_TRUE(cpu.missing.empty());
  EXPECT_TRUE(cpu.notes.empty());
}

TEST(Cpuinfo, ArmFpuVariants) {
  const auto fpu = [](const std::string& features) {
    return parse_cpuinfo("CPU architecture: 7\nFeatures\t: half thumb " + features + "\n", Arch::arm).fpu;
  };
  EXPECT_EQ(fpu("vfp vfpv3"), "vfpv3-d16");
  EXPECT_EQ(fpu("vfp vfpv3 vfpd32"), "vfpv3");
  EXPECT_EQ(fpu("vfp vfpv3d16"), "vfpv3-d16");
  EXPECT_EQ(fpu("edsp"), "none");
  EXPECT_EQ(parse_cpuinfo("CPU architecture: 7\nFeatures\t: half thumb vfp\n", Arch::arm).go_env, "GOARM=6");
  EXPECT_EQ(parse_cpuinfo("CPU architecture: 5TEJ\nFeatures\t: swp half thumb fastmult edsp java\n", Arch::arm).go_env,
            "GOARM=5");
}

TEST(Cpuinfo, Armv5FromTheCpuArchitectureLine) {
  const HostCpu cpu = parse_cpuinfo("CPU architecture: 5TEJ\nFeatures\t: swp half thumb fastmult edsp java\n", Arch::arm);
  EXPECT_EQ(cpu.level, "ARMv5");
  EXPECT_EQ(cpu.variant, "v5");
  EXPECT_EQ(cpu.fpu, "none");
}

constexpr const char* PI_5 =
    "processor\t: 0\nBogoMIPS\t: 108.00\n"
    "Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp\n"
    "CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x4\nCPU part\t: 0xd0b\nCPU revision\t: 1\n";

TEST(Cpuinfo, Arm64CortexA76IsArmv82WithCrypto) {
  const HostCpu cpu = parse_cpuinfo(PI_5, Arch::arm64);
  EXPECT_EQ(cpu.level, "ARMv8.2-A");
  EXPECT_EQ(cpu.variant, "v8.2");
  EXPECT_EQ(cpu.go_env, "GOARM64=v8.2,crypto");
  EXPECT_EQ(cpu.missing, (std::vector<std::string>{"jscvt", "fcma", "paca"}));
  EXPECT_EQ(cpu.fpu, "");
}

TEST(Cpuinfo, Arm64CortexA72IsArmv80) {
  const HostCpu cpu = parse_cpuinfo("processor\t: 0\nFeatures\t: fp asimd evtstrm crc32 cpuid\nCPU architecture: 8\n",
                                    Arch::arm64);
  EXPECT_EQ(cpu.level, "ARMv8.0-A");
  EXPECT_EQ(cpu.variant, "");
  EXPECT_EQ(cpu.go_env, "GOARM64=v8.0");
  EXPECT_EQ(cpu.missing, (std::vector<std::string>{"atomics", "asimdrdm"}));
}

TEST(Cpuinfo, Arm64WithLseButNotV81) {
  const HostCpu cpu = parse_cpuinfo("Features\t: fp asimd atomics crc32\n", Arch::arm64);
  EXPECT_EQ(cpu.go_env, "GOARM64=v8.0,lse");
}

TEST(Cpuinfo, Arm64KernelShowsThe32BitListTo32BitReaders) {
  const HostCpu cpu = parse_cpuinfo(
      "processor\t: 0\nmodel name\t: ARMv8 Processor rev 3 (v8l)\n"
      "Features\t: half thumb fastmult vfp edsp neon vfpv3 tls vfpv4 idiva idivt vfpd32 lpae evtstrm crc32\n"
      "CPU architecture: 8\n",
      Arch::arm64);
  EXPECT_EQ(cpu.level, "ARMv8 (AArch32)");
  EXPECT_EQ(cpu.variant, "v8");
  EXPECT_EQ(cpu.go_env, "GOARM=7");
}

TEST(Cpuinfo, NoFeaturesNoLevel) {
  const HostCpu cpu = parse_cpuinfo("processor\t: 0\nisa\t\t: rv64imafdc\n", Arch::riscv64);
  EXPECT_EQ(cpu.level, "");
  EXPECT_EQ(cpu.notes, std::vector<std::string>{"no feature list: level unknown"});
  EXPECT_EQ(parse_cpuinfo("cpu\t\t: POWER9\nflags\t\t: x\n", Arch::ppc64le).notes,
            std::vector<std::string>{"no level table for ppc64le"});
}

TEST(Cpuinfo, GarbageIsHarmless) {
  const HostCpu cpu = parse_cpuinfo(std::string("\0\xff:\n:::\nno colon here\n", 22), Arch::unknown);
  EXPECT_TRUE(cpu.features.empty());
  EXPECT_EQ(cpu.level, "");
}

}  // namespace
}  // namespace enoexec::host
