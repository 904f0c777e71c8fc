// The macOS model and universal-binary slice choice, on synthesized reports against the named
// Mac profiles.
#include <gtest/gtest.h>

#include "enoexec/targets.hpp"
#include "unit/verdict/fake_context.hpp"
#include "verdict/rules.hpp"

namespace enoexec {
namespace {

using test::FakeContext;

HostInfo mac(std::string_view profile) {
  const Profile* p = find_profile(profile);
  EXPECT_NE(p, nullptr) << profile;
  return p ? host_of(*p) : HostInfo{};
}

// A thin Mach-O report as the macho reader fills it.
FileReport macho(Arch arch, std::string arch_name, std::uint32_t filetype = 2, bool is_signed = true) {
  FileReport r;
  r.path = "/p";
  r.format = Format::macho;
  r.type = filetype == 2 ? "pie-executable" : "shared-library";
  r.platform = make_platform(Os::darwin, arch);
  r.machine = arch == Arch::amd64 ? "CPU_TYPE_X86_64" : "CPU_TYPE_ARM64";
  MachoDetails m;
  m.arch_name = std::move(arch_name);
  m.filetype = filetype;
  m.filetype_name = filetype == 2 ? "MH_EXECUTE" : "MH_DYLIB";
  m.platform = "macos";
  m.minos = "11.0";
  m.build_versions.push_back(MachoBuildVersion{"LC_BUILD_VERSION", 1, "macos", "11.0", "12.0", {}});
  m.code_signature.is_signed = is_signed;
  if (is_signed) m.code_signature.valid = m.code_signature.kernel_valid = true;
  r.macho = std::move(m);
  return r;
}

FileReport universal(std::vector<FileReport> slices) {
  FileReport r;
  r.path = "/p";
  r.format = Format::macho_fat;
  r.slices = std::move(slices);
  return r;
}

Verdict judge_mac(const FileReport& report, std::string_view profile) {
  FakeContext fs;
  fs.add("/p", {0xcf, 0xfa, 0xed, 0xfe});
  return judge(report, mac(profile), fs);
}

std::string codes(const Verdict& v) {
  std::string out;
  for (const auto& p : v.problems) out += (out.empty() ? "" : ",") + p.code;
  return out;
}

const Problem& first(const Verdict& v, std::string_view code) {
  for (const auto& p : v.problems)
    if (p.code == code) return p;
  static const Problem none;
  ADD_FAILURE() << "no " << code << " in " << codes(v);
  return none;
}

TEST(DarwinExec, HostOfAMacProfileIsDarwin) {
  const HostInfo host = mac("macos-11-arm64");
  EXPECT_EQ(host.kernel.os, "Darwin");
  EXPECT_EQ(host.os_version, "11.0");
  ASSERT_EQ(host.emulation.size(), 1u);
  EXPECT_EQ(host.emulation[0].via, "Rosetta 2");
  EXPECT_EQ(to_oci(target_platform(host)), "darwin/arm64");
  EXPECT_EQ(to_oci(target_platform(mac("macos-13-intel"))), "darwin/amd64/v3");
}

TEST(DarwinExec, SignedNativeArm64Runs) {
  const Verdict v = judge_mac(macho(Arch::arm64, "arm64"), "macos-11-arm64");
  EXPECT_EQ(v.verdict, VerdictKind::runs);
  EXPECT_EQ(v.execve, "ok");
  EXPECT_EQ(v.target, "darwin/arm64");
  EXPECT_EQ(codes(v), "");
}

TEST(DarwinExec, UnknownMacOSVersionIsOnlyANote) {
  const Verdict v = judge_mac(macho(Arch::arm64, "arm64"), "apple-m1");
  EXPECT_EQ(v.verdict, VerdictKind::runs);
  ASSERT_EQ(codes(v), "I_MACOS_VERSION_UNKNOWN");
  EXPECT_EQ(v.problems[0].severity, "info");
  EXPECT_EQ(v.problems[0].message,
            "/p needs macOS 11.0 or later; the target's macOS version is not known (profiles such as "
            "macos-11-arm64 and macos-13-intel state one)");
}

TEST(DarwinExec, UnsignedNativeArm64IsKilled) {
  const Verdict v = judge_mac(macho(Arch::arm64, "arm64", 2, false), "macos-11-arm64");
  EXPECT_EQ(v.verdict, VerdictKind::fails);
  EXPECT_EQ(v.execve, "SIGKILL");
  ASSERT_EQ(codes(v), "E_MACHO_UNSIGNED");
  EXPECT_EQ(v.problems[0].outcome, "SIGKILL (Killed: 9)");
  EXPECT_EQ(v.problems[0].message,
            "/p: Killed: 9 (native arm64 code without a code signature; Apple silicon Macs kill unsigned "
            "programs when they start)");
  EXPECT_NE(v.problems[0].fix.find("codesign -s - /p"), std::string::npos) << v.problems[0].fix;
}

TEST(DarwinExec, UnsignedIntelCodeIsNotKilled) {
  EXPECT_EQ(codes(judge_mac(macho(Arch::amd64, "x86_64", 2, false), "macos-13-intel")), "");
  const Verdict rosetta = judge_mac(macho(Arch::amd64, "x86_64", 2, false), "macos-11-arm64");
  EXPECT_EQ(rosetta.verdict, VerdictKind::emulated);
  EXPECT_EQ(rosetta.emulator, "Rosetta 2");
  EXPECT_EQ(codes(rosetta), "");
}

// A signed slice whose page 3 no longer matches: what codesign_verify.cpp reports.
FileReport edited(Arch arch, std::string arch_name, bool enforced = false) {
  FileReport r = macho(arch, std::move(arch_name));
  MachoCodeSignature& sig = r.macho->code_signature;
  sig.valid = sig.kernel_valid = false;
  sig.enforced = enforced;
  MachoSignatureProblem page;
  page.check = SignatureCheck::page;
  page.code_directory = "sha256";
  page.directory = 0;
  page.page = 3;
  page.offset = 0x3000;
  page.message = "page 3 (file offset 0x3000, 4096 bytes): its sha256 hash does not match";
  sig.invalid.push_back(page);
  return r;
}

TEST(DarwinExec, AnEditedNativeArm64ProgramIsKilled) {
  for (const char* profile : {"apple-m1", "macos-14-arm64"}) {
    const Verdict v = judge_mac(edited(Arch::arm64, "arm64"), profile);
    EXPECT_EQ(v.verdict, VerdictKind::fails);
    EXPECT_EQ(v.execve, "SIGKILL");
    const Problem& p = first(v, "E_MACHO_SIGNATURE_INVALID");
    EXPECT_EQ(p.outcome, "SIGKILL (Killed: 9)");
    EXPECT_EQ(p.message,
              "/p: Killed: 9 (the code signature does not match the file: page 3 (file offset 0x3000, "
              "4096 bytes): its sha256 hash does not match)");
    EXPECT_EQ(p.fix.rfind("codesign --force -s - /p # on a Mac", 0), 0u) << p.fix;
    EXPECT_NE(p.fix.find("rcodesign sign /p"), std::string::npos) << p.fix;
  }
}

// Intel Macs and Rosetta enforce signatures only for programs that ask (CS_KILL, CS_HARD, the
// hardened runtime): otherwise the program starts and only codesign --verify complains.
TEST(DarwinExec, AnEditedIntelProgramIsKilledOnlyWhenItAsksForEnforcement) {
  Verdict v = judge_mac(edited(Arch::amd64, "x86_64"), "macos-13-intel");
  EXPECT_EQ(v.verdict, VerdictKind::runs);
  EXPECT_EQ(first(v, "W_MACHO_SIGNATURE_INVALID").severity, "warning");
  v = judge_mac(edited(Arch::amd64, "x86_64"), "macos-11-arm64");
  EXPECT_EQ(v.verdict, VerdictKind::emulated);
  EXPECT_EQ(first(v, "W_MACHO_SIGNATURE_INVALID").severity, "warning");

  v = judge_mac(edited(Arch::amd64, "x86_64", true), "macos-13-intel");
  EXPECT_EQ(v.verdict, VerdictKind::fails);
  EXPECT_EQ(v.execve, "SIGKILL");
  EXPECT_EQ(first(v, "E_MACHO_SIGNATURE_INVALID").severity, "error");
}

// Only a weaker (SHA-1) directory is stale: xnu checks the SHA-256 one, which matches.
TEST(DarwinExec, AStaleWeakerDirectoryIsAWarning) {
  FileReport r = edited(Arch::arm64, "arm64");
  r.macho->code_signature.kernel_valid = true;
  const Verdict v = judge_mac(r, "macos-14-arm64");
  EXPECT_EQ(v.verdict, VerdictKind::runs);
  EXPECT_NE(first(v, "W_MACHO_SIGNATURE_INVALID").message.find("strongest CodeDirectory"),
            std::string::npos);
}

TEST(DarwinExec, ASignatureThatCannotBeReadIsInvalidNotUnsigned) {
  FileReport r = macho(Arch::arm64, "arm64", 2, false);
  r.macho->code_signature.valid = r.macho->code_signature.kernel_valid = false;
  const Verdict v = judge_mac(r, "macos-14-arm64");
  EXPECT_EQ(codes(v), "E_MACHO_SIGNATURE_INVALID");
}

// A file cut inside what its signature covers was not re-signed wrongly: it is incomplete.
TEST(DarwinExec, ACutFileIsFetchedAgainNotReSigned) {
  FileReport r = edited(Arch::arm64, "arm64");
  r.macho->code_signature.truncated = true;
  const Verdict v = judge_mac(r, "macos-14-arm64");
  const Problem& p = first(v, "E_MACHO_SIGNATURE_INVALID");
  EXPECT_NE(p.fix.find("download or copy it again"), std::string::npos) << p.fix;
  EXPECT_EQ(p.fix.find("codesign"), std::string::npos) << p.fix;
}

TEST(DarwinExec, ASignatureNotCheckedInFullIsAWarningNotARun) {
  FileReport r = macho(Arch::arm64, "arm64");
  r.macho->code_signature.valid.reset();
  r.macho->code_signature.kernel_valid.reset();
  r.macho->code_signature.unchecked = {"code-pages-over-limit"};
  const Verdict v = judge_mac(r, "macos-14-arm64");
  EXPECT_EQ(first(v, "W_MACHO_SIGNATURE_UNCHECKED").severity, "warning");
}

TEST(DarwinExec, X86_64WithoutRosettaIsBadCpuType) {
  const Verdict v = judge_mac(macho(Arch::amd64, "x86_64"), "apple-m1-no-rosetta");
  EXPECT_EQ(v.execve, "EBADARCH");
  ASSERT_EQ(codes(v), "E_MACHO_NO_ROSETTA");
  EXPECT_EQ(v.problems[0].message,
            "zsh: bad CPU type in executable: /p (an x86_64 program; this Apple silicon Mac has no Rosetta 2 "
            "to translate it)");
  EXPECT_EQ(v.problems[0].outcome, "execve: EBADARCH (86, Bad CPU type in executable)");
  EXPECT_EQ(v.problems[0].fix,
            "softwareupdate --install-rosetta --agree-to-license # installs Rosetta 2; or build for arm64: "
            "clang -arch arm64 -o prog prog.c");
}

TEST(DarwinExec, Arm64OnAnIntelMacIsBadCpuType) {
  FileReport r = macho(Arch::arm64, "arm64");
  r.go = GoBuildInfo{};
  const Verdict v = judge_mac(r, "macos-13-intel");
  ASSERT_EQ(codes(v), "E_MACHO_BAD_ARCH");
  EXPECT_EQ(v.problems[0].message, "zsh: bad CPU type in executable: /p (arm64 code; this Mac runs x86_64)");
  EXPECT_EQ(v.problems[0].fix, "GOOS=darwin GOARCH=amd64 go build");
}

TEST(DarwinExec, I386AndThirdPartyArm64eDoNotRun) {
  FileReport i386 = macho(Arch::i386, "i386");
  EXPECT_EQ(codes(judge_mac(i386, "macos-13-intel")), "E_MACHO_I386");
  FileReport arm64e = macho(Arch::arm64, "arm64e");
  arm64e.macho->ptrauth_abi_version = 0;
  const Verdict v = judge_mac(arm64e, "apple-m2");
  ASSERT_EQ(codes(v), "E_MACHO_ARM64E");
  EXPECT_EQ(v.execve, "EBADARCH");
  EXPECT_EQ(v.problems[0].fix, "clang -arch arm64 -o prog prog.c # arm64, not arm64e");
}

TEST(DarwinExec, MinimumMacOSAboveTheTargetFails) {
  FileReport r = macho(Arch::arm64, "arm64");
  r.macho->build_versions[0].minos = "14.0";
  const Verdict v = judge_mac(r, "macos-11-arm64");
  EXPECT_EQ(v.verdict, VerdictKind::fails);
  EXPECT_EQ(v.execve, "ok");
  ASSERT_EQ(codes(v), "E_MACOS_MINOS");
  EXPECT_EQ(v.problems[0].message,
            "dyld: /p was built for macOS 14.0, which is newer than the running OS (macOS 11.0)");
  EXPECT_EQ(v.problems[0].fix, "clang -mmacosx-version-min=11.0 -o prog prog.c # or MACOSX_DEPLOYMENT_TARGET=11.0");
  EXPECT_EQ(codes(judge_mac(r, "macos-14-arm64")), "");
  r.toolchain = Toolchain{"rust", "rustc", "", "", "", {}};
  EXPECT_EQ(judge_mac(r, "macos-11-arm64").problems[0].fix, "MACOSX_DEPLOYMENT_TARGET=11.0 cargo build");
}

TEST(DarwinExec, ProgramsForOtherApplePlatformsAreRefused) {
  FileReport r = macho(Arch::arm64, "arm64");
  r.macho->build_versions[0].platform = "ios-simulator";
  const Verdict v = judge_mac(r, "macos-14-arm64");
  ASSERT_EQ(codes(v), "E_MACHO_PLATFORM");
  EXPECT_EQ(v.problems[0].message, "dyld: /p: built for the iOS simulator, not macOS; dyld refuses to load it");
  r.macho->build_versions[0].platform = "maccatalyst";
  EXPECT_EQ(codes(judge_mac(r, "macos-14-arm64")), "");
}

TEST(DarwinExec, ADylibIsNotAProgram) {
  const Verdict v = judge_mac(macho(Arch::arm64, "arm64", 6), "macos-14-arm64");
  EXPECT_EQ(v.execve, "ENOEXEC");
  ASSERT_EQ(codes(v), "E_MACHO_TYPE");
  EXPECT_EQ(v.problems[0].message,
            "zsh: exec format error: /p (MH_DYLIB: a shared-library Mach-O file, not an executable (MH_EXECUTE))");
}

TEST(DarwinExec, MissingFileAndNoExecuteBitStopExec) {
  FakeContext fs;
  fs.add("/p", {0xcf, 0xfa, 0xed, 0xfe}, false);
  const Verdict v = judge(macho(Arch::arm64, "arm64"), mac("macos-14-arm64"), fs);
  EXPECT_EQ(v.execve, "EACCES");
  ASSERT_EQ(codes(v), "E_NOT_EXECUTABLE");
  EXPECT_EQ(v.problems[0].message, "zsh: permission denied: /p (no execute permission)");
  EXPECT_EQ(v.problems[0].outcome, "execve: EACCES");
  const Verdict missing = judge(macho(Arch::arm64, "arm64"), mac("macos-14-arm64"), FakeContext{});
  EXPECT_EQ(missing.execve, "ENOENT");
  EXPECT_EQ(codes(missing), "E_FILE_MISSING");
}

TEST(DarwinExec, ElfAndPeAreExecFormatErrors) {
  FileReport elf;
  elf.path = "/p";
  elf.format = Format::elf;
  elf.platform = make_platform(Os::linux, Arch::arm64);
  elf.toolchain = Toolchain{"rust", "rustc", "", "", "", {}};
  const Verdict v = judge_mac(elf, "apple-m4");
  ASSERT_EQ(codes(v), "E_MACOS_ELF");
  EXPECT_EQ(v.problems[0].message,
            "zsh: exec format error: /p (an ELF program for linux/arm64; macOS runs Mach-O programs only)");
  EXPECT_NE(v.problems[0].fix.find("rustup target add aarch64-apple-darwin && cargo build --target "
                                   "aarch64-apple-darwin"),
            std::string::npos)
      << v.problems[0].fix;
  FileReport pe;
  pe.path = "/p";
  pe.format = Format::pe;
  EXPECT_EQ(codes(judge_mac(pe, "apple-m4")), "E_MACOS_PE");
}

TEST(UniversalSlices, AppleSiliconPrefersArm64ThenRosetta) {
  const Verdict v = judge_mac(universal({macho(Arch::amd64, "x86_64"), macho(Arch::arm64, "arm64")}), "macos-14-arm64");
  EXPECT_EQ(v.verdict, VerdictKind::runs);
  ASSERT_EQ(codes(v), "I_SLICE_CHOSEN");
  EXPECT_EQ(v.problems[0].message, "a universal binary (slices: x86_64, arm64): the target runs its arm64 slice");
  const Verdict rosetta = judge_mac(universal({macho(Arch::amd64, "x86_64h"), macho(Arch::amd64, "x86_64")}), "apple-m1");
  EXPECT_EQ(rosetta.verdict, VerdictKind::emulated);
  EXPECT_EQ(rosetta.problems[0].message,
            "a universal binary (slices: x86_64h, x86_64): the target runs its x86_64 slice under Rosetta 2");
}

TEST(UniversalSlices, Arm64eSliceIsForApplesOwnPrograms) {
  const FileReport fat = universal({macho(Arch::arm64, "arm64e"), macho(Arch::arm64, "arm64")});
  EXPECT_EQ(*verdict::choose_slice(fat, mac("apple-m1")).index, 1u);
  FileReport apple = fat;
  apple.slices[0].macho->code_signature.has_cms = true;
  apple.slices[0].macho->code_signature.identifier = "com.apple.ls";
  EXPECT_EQ(*verdict::choose_slice(apple, mac("apple-m1")).index, 0u);
}

TEST(UniversalSlices, HaswellMacsPreferX86_64h) {
  const FileReport fat = universal({macho(Arch::amd64, "x86_64"), macho(Arch::amd64, "x86_64h")});
  EXPECT_EQ(*verdict::choose_slice(fat, mac("macos-13-intel")).index, 1u);
  HostInfo baseline = mac("macos-13-intel");
  baseline.cpu.variant.clear();
  EXPECT_EQ(*verdict::choose_slice(fat, baseline).index, 0u);
}

TEST(UniversalSlices, NoSliceForThisMacNamesTheSlices) {
  const Verdict v = judge_mac(universal({macho(Arch::i386, "i386")}), "macos-13-intel");
  EXPECT_EQ(v.execve, "EBADARCH");
  ASSERT_EQ(codes(v), "E_MACHO_I386");
  EXPECT_EQ(first(v, "E_MACHO_I386").message,
            "zsh: bad CPU type in executable: /p (a universal binary with no slice for this Mac (slices: i386); "
            "its i386 slice is a 32-bit i386 program; macOS 10.15 and later run no 32-bit programs)");
}

TEST(VersionLess, ComparesPartByPart) {
  EXPECT_TRUE(verdict::version_less("10.15", "11.0"));
  EXPECT_TRUE(verdict::version_less("6.1", "10.0"));
  EXPECT_FALSE(verdict::version_less("10.0.22000", "10.0"));
  EXPECT_TRUE(verdict::version_less("10.0", "10.0.22000"));
  EXPECT_FALSE(verdict::version_less("11", "11.0"));
  EXPECT_FALSE(verdict::version_less("13.0", "10.9"));
}

}  // namespace
}  // namespace enoexec
