#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host/compat.hpp"

namespace enoexec::host {
namespace {

CompatFacts facts(Arch arch, std::string machine, std::string release) {
  CompatFacts f;
  f.kernel.machine = std::move(machine);
  f.kernel.release = std::move(release);
  f.kernel.arch = arch;
  f.kernel.bits = bits_of(arch);
  return f;
}

CompatFacts x86(std::string release = "6.1.0-18-amd64") { return facts(Arch::amd64, "x86_64", std::move(release)); }

TEST(Compat32, ThirtyTwoBitKernelRunsThemNatively) {
  const HostCompat32 c = decide_compat32(facts(Arch::arm, "armv6l", "6.6.51+rpt-rpi-v6"));
  EXPECT_EQ(c.arch, Arch::arm);
  EXPECT_EQ(c.support, Support::yes);
  EXPECT_EQ(c.evidence, std::vector<std::string>{"the kernel (armv6l) is 32-bit: 32-bit programs are native"});
}

TEST(Compat32, X86ConfigDecides) {
  CompatFacts f = x86();
  f.config = "# CONFIG_IA32_EMULATION is not set\n";
  f.vsyscall32 = true;  // the config outranks it
  HostCompat32 c = decide_compat32(f);
  EXPECT_EQ(c.arch, Arch::i386);
  EXPECT_EQ(c.support, Support::no);
  EXPECT_EQ(c.evidence, std::vector<std::string>{"boot/config-6.1.0-18-amd64: CONFIG_IA32_EMULATION is not set"});

  f.config = "CONFIG_IA32_EMULATION=y\n";
  EXPECT_EQ(decide_compat32(f).support, Support::yes);

  f.config = "CONFIG_IA32_EMULATION=y\nCONFIG_IA32_EMULATION_DEFAULT_DISABLED=y\n";
  c = decide_compat32(f);
  EXPECT_EQ(c.support, Support::no);
  EXPECT_EQ(c.evidence.back(), "CONFIG_IA32_EMULATION_DEFAULT_DISABLED=y and no ia32_emulation=1 on the command line");

  f.cmdline = "root=/dev/sda1 ia32_emulation=on";
  c = decide_compat32(f);
  EXPECT_EQ(c.support, Support::yes);
  EXPECT_EQ(c.evidence.back(), "proc/cmdline: ia32_emulation=on");
}

TEST(Compat32, X86WithoutConfig) {
  CompatFacts f = x86("6.18.44");
  f.vsyscall32 = false;
  EXPECT_EQ(decide_compat32(f).support, Support::no);

  f.vsyscall32 = true;
  HostCompat32 c = decide_compat32(f);
  EXPECT_EQ(c.support, Support::likely);
  EXPECT_EQ(c.evidence, (std::vector<std::string>{
                            "proc/sys/abi/vsyscall32 exists: the kernel has IA32 emulation built in",
                            "not disabled on the command line; whether the kernel disables it by default "
                            "(CONFIG_IA32_EMULATION_DEFAULT_DISABLED) needs boot/config-6.18.44"}));

  f.cmdline = "quiet ia32_emulation=0";
  EXPECT_EQ(decide_compat32(f).support, Support::no);
  f.cmdline = "quiet ia32_emulation=1";
  EXPECT_EQ(decide_compat32(f).support, Support::yes);

  CompatFacts old = x86("6.6.14-0-lts");
  old.vsyscall32 = true;
  c = decide_compat32(old);
  EXPECT_EQ(c.support, Support::yes);
  EXPECT_EQ(c.evidence.back(), "kernel 6.6.14-0-lts predates the ia32_emulation= switch (6.7)");

  EXPECT_EQ(decide_compat32(x86()).support, Support::unknown);  // nothing readable
}

TEST(Compat32, ThirtyTwoBitProbeProvesIt) {
  CompatFacts f = x86();
  f.probe_is_32bit = true;
  f.config = "# CONFIG_IA32_EMULATION is not set\n";
  EXPECT_EQ(decide_compat32(f).support, Support::yes);
}

TEST(Compat32, Arm64) {
  CompatFacts f = facts(Arch::arm64, "aarch64", "6.6.51+rpt-rpi-v8");
  EXPECT_EQ(decide_compat32(f).support, Support::unknown);

  f.config = "CONFIG_COMPAT=y\n";
  HostCompat32 c = decide_compat32(f);
  EXPECT_EQ(c.arch, Arch::arm);
  EXPECT_EQ(c.support, Support::likely);

  f.personality_linux32 = false;
  c = decide_compat32(f);
  EXPECT_EQ(c.support, Support::no);
  EXPECT_EQ(c.evidence, std::vector<std::string>{
                            "personality(PER_LINUX32) refused (EINVAL): no AArch32 at EL0 or no CONFIG_COMPAT"});
  f.personality_linux32 = true;
  EXPECT_EQ(decide_compat32(f).support, Support::yes);
  f.personality_linux32.reset();

  f.aarch32_el0 = "0-3\n";
  c = decide_compat32(f);
  EXPECT_EQ(c.support, Support::yes);
  EXPECT_EQ(c.evidence.back(), "sys/devices/system/cpu/aarch32_el0: only CPUs 0-3 run 32-bit tasks");
  f.aarch32_el0.reset();

  f.config.reset();
  f.cpu_vendor = "0x61";
  EXPECT_EQ(decide_compat32(f).support, Support::no);

  f.cpu_vendor = "0x41";
  f.page_size = 16384;
  c = decide_compat32(f);
  EXPECT_EQ(c.support, Support::no);
  EXPECT_EQ(c.evidence.back(), "16 KiB pages: arm64 kernels offer CONFIG_COMPAT only with 4 KiB pages unless built "
                               "with CONFIG_EXPERT");
  f.config = "CONFIG_COMPAT=y\n";  // an EXPERT build with 16K pages and COMPAT
  EXPECT_EQ(decide_compat32(f).support, Support::likely);
}

TEST(Compat32, OtherArchitecturesAreUnknown) {
  const HostCompat32 c = decide_compat32(facts(Arch::riscv64, "riscv64", "6.6"));
  EXPECT_EQ(c.arch, Arch::unknown);
  EXPECT_EQ(c.support, Support::unknown);
  EXPECT_EQ(c.evidence, std::vector<std::string>{"no 32-bit compatibility check for riscv64"});
}

}  // namespace
}  // namespace enoexec::host
