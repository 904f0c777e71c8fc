// judge() dispatches on the target's typed system: Linux and Android by the Linux model, macOS
// and Windows by theirs, anything else `unknown` with W_TARGET_NOT_MODELLED, never Linux's answer.
#include <gtest/gtest.h>

#include "enoexec/host.hpp"
#include "enoexec/targets.hpp"
#include "unit/verdict/fake_context.hpp"
#include "verdict/gate.hpp"

namespace enoexec {
namespace {

using test::amd64_host;
using test::elf;
using test::ElfBuilder;
using test::FakeContext;

constexpr std::uint8_t ELFOSABI_FREEBSD = 9;

HostInfo host_for(std::string_view target) {
  const auto parsed = parse_target(target);
  EXPECT_TRUE(parsed) << target;
  return parsed ? host_of(*parsed) : HostInfo{};
}

Verdict judge_bytes(std::vector<std::uint8_t> bytes, const HostInfo& host) {
  FakeContext fs;
  fs.add("/p", std::move(bytes));
  return judge(fs.report("/p"), host, fs);
}

std::vector<std::uint8_t> freebsd_program() {
  ElfBuilder b(64, Endian::little);
  b.e_machine = test::EM_X86_64;
  b.osabi = ELFOSABI_FREEBSD;
  b.interp("/libexec/ld-elf.so.1");
  return b.build().bytes;
}

TEST(TargetSystem, AFreeBsdTargetIsNotJudgedAsLinux) {
  // Judged as Linux, a Linux program would "run" on FreeBSD and a FreeBSD one would fail there.
  const HostInfo freebsd = host_for("freebsd/amd64");
  EXPECT_EQ(freebsd.kernel.system, Os::freebsd);
  for (const auto& bytes : {elf(test::EM_X86_64), freebsd_program()}) {
    const Verdict v = judge_bytes(bytes, freebsd);
    EXPECT_EQ(v.verdict, VerdictKind::unknown);
    EXPECT_EQ(v.execve, "unknown");
    EXPECT_EQ(v.target, "freebsd/amd64");
    ASSERT_EQ(v.problems.size(), 1u);
    EXPECT_EQ(v.problems[0].code, "W_TARGET_NOT_MODELLED");
    EXPECT_EQ(v.problems[0].severity, "warning");
    EXPECT_NE(v.problems[0].message.find("how FreeBSD runs programs"), std::string::npos) << v.problems[0].message;
  }
}

TEST(TargetSystem, EverySystemWithoutAModelIsUnknown) {
  for (const char* target : {"netbsd/amd64", "openbsd/arm64", "dragonfly/amd64", "solaris/amd64", "illumos/amd64",
                             "aix/ppc64", "ios/arm64", "plan9/amd64", "darwin/ppc", "darwin/386"}) {
    const Verdict v = judge_bytes(elf(test::EM_X86_64), host_for(target));
    EXPECT_EQ(v.verdict, VerdictKind::unknown) << target;
    ASSERT_FALSE(v.problems.empty()) << target;
    EXPECT_EQ(v.problems[0].code, "W_TARGET_NOT_MODELLED") << target;
  }
}

TEST(TargetSystem, AHostWithoutAKnownKernelNameIsUnknownNotLinux) {
  HostInfo host = amd64_host();
  host.kernel.os = "";
  const Verdict blank = judge_bytes(elf(test::EM_X86_64), host);
  EXPECT_EQ(blank.verdict, VerdictKind::unknown);
  host.kernel.os = "Minix";
  EXPECT_EQ(judge_bytes(elf(test::EM_X86_64), host).verdict, VerdictKind::unknown);
  // The typed system wins over the text; "Linux" with no typed system is read as Linux.
  host.kernel.os = "Linux";
  EXPECT_EQ(judge_bytes(elf(test::EM_X86_64), host).verdict, VerdictKind::runs);
  host.kernel.system = Os::freebsd;
  EXPECT_EQ(judge_bytes(elf(test::EM_X86_64), host).verdict, VerdictKind::unknown);
}

TEST(TargetSystem, AndroidAsAPlatformAndAsAProfileGiveTheSameVerdict) {
  const std::vector<std::uint8_t> amd64 = elf(test::EM_X86_64);
  const std::vector<std::uint8_t> arm64 = elf(test::EM_AARCH64);
  for (const auto* bytes : {&amd64, &arm64}) {
    const Verdict platform = judge_bytes(*bytes, host_for("android/arm64"));
    const Verdict profile = judge_bytes(*bytes, host_for("android-arm64"));
    EXPECT_EQ(platform.target, "android/arm64");
    EXPECT_EQ(profile.target, "android/arm64");
    EXPECT_EQ(platform.execve, profile.execve);
    EXPECT_EQ(platform.verdict, profile.verdict);
  }
  // Android is a Linux kernel: the kernel's own architecture check decides.
  EXPECT_EQ(judge_bytes(amd64, host_for("android/arm64")).execve, "ENOEXEC");
  EXPECT_EQ(judge_bytes(arm64, host_for("android/arm64")).execve, "ok");
}

TEST(TargetSystem, IgnoringTheWarningNeverMakesUnknownRun) {
  Verdict v = judge_bytes(elf(test::EM_X86_64), host_for("freebsd/amd64"));
  ProblemFilter filter;
  filter.ignore("W_TARGET_NOT_MODELLED");
  filter.apply(v);
  EXPECT_TRUE(v.problems.empty());
  EXPECT_EQ(v.verdict, VerdictKind::unknown);
  EXPECT_TRUE(fails_gate(v, FailOn::error));
  EXPECT_TRUE(fails_gate(v, FailOn::warning));
  EXPECT_FALSE(fails_gate(v, FailOn::never));
}

// x32 runs only on a kernel with CONFIG_X86_X32_ABI (and, on Debian, syscall.x32=y): a target
// that does not say gets "unknown", not IA32 emulation's answer.
TEST(TargetSystem, AFileOnlyAKernelOptionTakesIsUndecided) {
  const Verdict v = judge_bytes(elf(test::EM_X86_64, 32), amd64_host());
  EXPECT_EQ(v.verdict, VerdictKind::unknown);
  EXPECT_EQ(v.execve, "unknown");
  ASSERT_EQ(v.problems.size(), 1u);
  EXPECT_EQ(v.problems[0].code, "W_KERNEL_OPTION");
  EXPECT_NE(v.problems[0].message.find("CONFIG_X86_X32_ABI"), std::string::npos) << v.problems[0].message;
}

TEST(TargetSystem, KernelNamesMapToSystems) {
  EXPECT_EQ(kernel_system("Linux", Libc::glibc), Os::linux);
  EXPECT_EQ(kernel_system("Linux", Libc::bionic), Os::android);
  EXPECT_EQ(kernel_system("FreeBSD", Libc::unknown), Os::freebsd);
  EXPECT_EQ(kernel_system("Darwin", Libc::unknown), Os::darwin);
  EXPECT_EQ(kernel_system("Windows_NT", Libc::unknown), Os::windows);
  EXPECT_EQ(kernel_system("SunOS", Libc::unknown), Os::solaris);
  EXPECT_EQ(kernel_system("", Libc::glibc), Os::unknown);
  EXPECT_EQ(kernel_system("Minix", Libc::unknown), Os::unknown);
}

}  // namespace
}  // namespace enoexec
