// The Windows model on synthesized reports against the named Windows profiles.
#include <gtest/gtest.h>

#include "enoexec/targets.hpp"
#include "unit/verdict/fake_context.hpp"

namespace enoexec {
namespace {

using test::FakeContext;

HostInfo windows(std::string_view profile) {
  const Profile* p = find_profile(profile);
  EXPECT_NE(p, nullptr) << profile;
  return p ? host_of(*p) : HostInfo{};
}

FileReport pe(Arch arch, std::string machine, std::string subsystem_version = "6.1") {
  FileReport r;
  r.path = "/p.exe";
  r.format = Format::pe;
  r.type = "executable";
  r.platform = make_platform(Os::windows, arch);
  r.machine = std::move(machine);
  PeDetails d;
  d.machine = arch == Arch::i386 ? 0x14c : 0x8664;
  d.subsystem = 3;
  d.subsystem_name = "WINDOWS_CUI";
  d.subsystem_version = std::move(subsystem_version);
  d.characteristics_names = {"EXECUTABLE_IMAGE"};
  r.pe = std::move(d);
  return r;
}

Verdict judge_on(const FileReport& report, std::string_view profile) {
  FakeContext fs;
  fs.add(report.path, {'M', 'Z'}, false);  // no x bit: Windows has none to check
  return judge(report, windows(profile), fs);
}

std::string codes(const Verdict& v) {
  std::string out;
  for (const auto& p : v.problems) out += (out.empty() ? "" : ",") + p.code;
  return out;
}

TEST(WindowsExec, HostOfAWindowsProfile) {
  const HostInfo host = windows("windows-7-x64");
  EXPECT_EQ(host.kernel.os, "Windows_NT");
  EXPECT_EQ(host.os_version, "6.1");
  EXPECT_EQ(to_oci(target_platform(host)), "windows/amd64");
}

TEST(WindowsExec, NativeProgramRuns) {
  const Verdict v = judge_on(pe(Arch::amd64, "IMAGE_FILE_MACHINE_AMD64"), "windows-10-x64");
  EXPECT_EQ(v.verdict, VerdictKind::runs);
  EXPECT_EQ(v.execve, "ok");
  EXPECT_EQ(codes(v), "");
}

TEST(WindowsExec, X86RunsUnderWow64AndX64UnderPrismOnWindows11Only) {
  const Verdict wow = judge_on(pe(Arch::i386, "IMAGE_FILE_MACHINE_I386"), "windows-11-x64");
  EXPECT_EQ(wow.verdict, VerdictKind::emulated);
  EXPECT_EQ(wow.emulator, "WoW64");
  const Verdict prism = judge_on(pe(Arch::amd64, "IMAGE_FILE_MACHINE_AMD64"), "windows-11-arm64");
  EXPECT_EQ(prism.verdict, VerdictKind::emulated);
  EXPECT_EQ(prism.emulator, "Prism");
  FileReport go = pe(Arch::amd64, "IMAGE_FILE_MACHINE_AMD64");
  go.go = GoBuildInfo{};
  const Verdict win10 = judge_on(go, "windows-10-arm64");
  EXPECT_EQ(win10.execve, "ERROR_EXE_MACHINE_TYPE_MISMATCH");
  ASSERT_EQ(codes(win10), "E_WIN_NO_X64_EMULATION");
  EXPECT_EQ(win10.problems[0].message,
            "This app can't run on your PC: /p.exe is built for x64 Windows (IMAGE_FILE_MACHINE_AMD64); Windows "
            "10 on Arm emulates x86 programs only (Windows 11 on Arm emulates x64 too)");
  EXPECT_EQ(win10.problems[0].fix,
            "GOOS=windows GOARCH=arm64 go build # or the x86 build; or Windows 11 on Arm, which emulates x64");
}

TEST(WindowsExec, Arm64OnX64IsAMachineMismatch) {
  const Verdict v = judge_on(pe(Arch::arm64, "IMAGE_FILE_MACHINE_ARM64"), "windows-11-x64");
  ASSERT_EQ(codes(v), "E_WIN_WRONG_ARCH");
  EXPECT_EQ(v.problems[0].outcome, "CreateProcess: ERROR_EXE_MACHINE_TYPE_MISMATCH (216)");
  EXPECT_EQ(v.problems[0].fix, "x86_64-w64-mingw32-gcc -o prog.exe prog.c # MinGW-w64; or MSVC for x64");
}

TEST(WindowsExec, ElfIsNotAWin32Application) {
  FileReport elf;
  elf.path = "/p";
  elf.format = Format::elf;
  elf.platform = make_platform(Os::linux, Arch::amd64);
  const Verdict v = judge_on(elf, "windows-11-x64");
  EXPECT_EQ(v.execve, "ERROR_BAD_EXE_FORMAT");
  ASSERT_EQ(codes(v), "E_WIN_NOT_PE");
  EXPECT_EQ(v.problems[0].message,
            "This app can't run on your PC: /p is not a valid Win32 application (an ELF program for linux/amd64; "
            "Windows runs PE programs only)");
}

TEST(WindowsExec, DllsAndUefiProgramsAreNotStarted) {
  FileReport dll = pe(Arch::amd64, "IMAGE_FILE_MACHINE_AMD64");
  dll.pe->characteristics_names.push_back("DLL");
  EXPECT_EQ(codes(judge_on(dll, "windows-11-x64")), "E_WIN_DLL");
  FileReport efi = pe(Arch::amd64, "IMAGE_FILE_MACHINE_AMD64", "0.0");
  efi.pe->subsystem = 10;
  efi.pe->subsystem_name = "EFI_APPLICATION";
  const Verdict v = judge_on(efi, "windows-11-x64");
  ASSERT_EQ(codes(v), "E_WIN_SUBSYSTEM");
  EXPECT_EQ(v.problems[0].message,
            "/p.exe is not a valid Win32 application (subsystem EFI_APPLICATION: a UEFI program, started by the "
            "firmware, not by Windows)");
}

TEST(WindowsExec, SubsystemVersionAboveTheTargetFails) {
  const FileReport r = pe(Arch::amd64, "IMAGE_FILE_MACHINE_AMD64", "10.0");
  const Verdict v = judge_on(r, "windows-7-x64");
  EXPECT_EQ(v.execve, "ERROR_BAD_EXE_FORMAT");
  ASSERT_EQ(codes(v), "E_WIN_SUBSYSTEM_VERSION");
  EXPECT_EQ(v.problems[0].message,
            "/p.exe is not a valid Win32 application (its PE subsystem version 10.0 asks for Windows NT 10.0 or "
            "later; the target is Windows NT 6.1)");
  EXPECT_EQ(v.problems[0].fix,
            "x86_64-w64-mingw32-gcc -Wl,--major-subsystem-version,6 -Wl,--minor-subsystem-version,1 -o prog.exe "
            "prog.c # MSVC: link /SUBSYSTEM:CONSOLE,6.01");
  EXPECT_EQ(codes(judge_on(r, "windows-11-x64")), "");
  EXPECT_EQ(codes(judge_on(pe(Arch::amd64, "IMAGE_FILE_MACHINE_AMD64", "6.3"), "windows-8.1-x64")), "");
}

TEST(WindowsExec, UnknownWindowsVersionIsOnlyANote) {
  Target bare = *parse_target("windows/amd64");
  FakeContext fs;
  fs.add("/p.exe", {'M', 'Z'});
  const Verdict v = judge(pe(Arch::amd64, "IMAGE_FILE_MACHINE_AMD64", "10.0"), host_of(bare), fs);
  EXPECT_EQ(v.verdict, VerdictKind::runs);
  EXPECT_EQ(codes(v), "I_WINDOWS_VERSION_UNKNOWN");
}

TEST(WindowsExec, DotNetAnyCpuRunsNativelyAnd32BitRequiredUsesWow64) {
  FileReport any = pe(Arch::i386, "IMAGE_FILE_MACHINE_I386", "4.0");
  any.pe->clr = PeClr{};
  any.pe->clr->flag_names = {"ILONLY"};
  any.pe->clr->runs_as = "AnyCPU";
  const Verdict arm = judge_on(any, "windows-10-arm64");
  EXPECT_EQ(arm.verdict, VerdictKind::runs);
  ASSERT_EQ(codes(arm), "I_DOTNET_RUNTIME");
  EXPECT_EQ(arm.problems[0].message, "/p.exe is a .NET assembly (AnyCPU): the .NET runtime runs it as an Arm64 process");
  FileReport x86 = any;
  x86.pe->clr->flag_names.push_back("32BITREQUIRED");
  const Verdict wow = judge_on(x86, "windows-10-x64");
  EXPECT_EQ(wow.verdict, VerdictKind::emulated);
  EXPECT_EQ(wow.emulator, "WoW64");
}

TEST(WindowsExec, Arm32IsAWarningOnWindows11) {
  const FileReport arm = pe(Arch::arm, "IMAGE_FILE_MACHINE_ARMNT");
  EXPECT_EQ(codes(judge_on(arm, "windows-10-arm64")), "");
  const Verdict v = judge_on(arm, "windows-11-arm64");
  EXPECT_EQ(v.verdict, VerdictKind::runs);
  EXPECT_EQ(codes(v), "W_WIN_ARM32");
}

}  // namespace
}  // namespace enoexec
