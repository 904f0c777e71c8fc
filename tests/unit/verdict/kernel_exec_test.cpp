// The execve model: each rule against synthetic files on a fake file system.
#include <gtest/gtest.h>

#include "unit/verdict/fake_context.hpp"

namespace enoexec {
namespace {

using test::amd64_host;
using test::arm64_host;
using test::elf;
using test::ElfBuilder;
using test::FakeContext;

Verdict judge_path(const FakeContext& fs, const std::string& path, const HostInfo& host) {
  return judge(fs.report(path), host, fs);
}

std::string codes(const Verdict& v) {
  std::string out;
  for (const auto& p : v.problems) out += (out.empty() ? "" : ",") + p.code;
  return out;
}

TEST(KernelExec, NativeStaticElfRuns) {
  FakeContext fs;
  fs.add("/p", elf(test::EM_X86_64));
  const Verdict v = judge_path(fs, "/p", amd64_host());
  EXPECT_EQ(v.execve, "ok");
  EXPECT_EQ(v.verdict, VerdictKind::runs);
  EXPECT_EQ(v.target, "linux/amd64/v2");
  EXPECT_EQ(codes(v), "");
}

TEST(KernelExec, WrongArchitectureIsEnoexec) {
  FakeContext fs;
  fs.add("/p", elf(test::EM_AARCH64));
  const Verdict v = judge_path(fs, "/p", amd64_host());
  EXPECT_EQ(v.execve, "ENOEXEC");
  EXPECT_EQ(v.verdict, VerdictKind::fails);
  ASSERT_EQ(codes(v), "E_WRONG_ARCH");
  EXPECT_EQ(v.problems[0].message,
            "/p: Exec format error: a 64-bit EM_AARCH64 ELF file (little-endian) cannot run on the "
            "target's amd64 kernel");
  EXPECT_EQ(v.problems[0].outcome, "execve: ENOEXEC");
  EXPECT_NE(v.problems[0].fix.find("--platform linux/amd64"), std::string::npos)
      << v.problems[0].fix;
}

TEST(KernelExec, BigEndianFileOfTheRightMachineIsEnoexec) {
  FakeContext fs;
  ElfBuilder b(64, Endian::big);
  b.e_machine = test::EM_X86_64;
  fs.add("/p", b.build().bytes);
  EXPECT_EQ(judge_path(fs, "/p", amd64_host()).execve, "ENOEXEC");
}

TEST(KernelExec, I386NeedsCompatSupport) {
  FakeContext fs;
  fs.add("/p", elf(test::EM_386, 32));
  HostInfo host = amd64_host();
  EXPECT_EQ(judge_path(fs, "/p", host).execve, "ok");
  host.compat32.support = Support::no;
  const Verdict v = judge_path(fs, "/p", host);
  EXPECT_EQ(v.execve, "ENOEXEC");
  EXPECT_EQ(codes(v), "E_NO_COMPAT32");
}

TEST(KernelExec, Arm64TakesEabiArmOnly) {
  FakeContext fs;
  fs.add("/eabi", elf(test::EM_ARM, 32, "", 0x05000400));
  fs.add("/oabi", elf(test::EM_ARM, 32, "", 0));
  EXPECT_EQ(judge_path(fs, "/eabi", arm64_host()).execve, "ok");
  const Verdict v = judge_path(fs, "/oabi", arm64_host());
  EXPECT_EQ(v.execve, "ENOEXEC");
  EXPECT_EQ(codes(v), "E_ARM_OABI");
}

TEST(KernelExec, RelocatableObjectIsEnoexec) {
  FakeContext fs;
  ElfBuilder b;
  b.e_type = 1;  // ET_REL
  fs.add("/p.o", b.build().bytes);
  const Verdict v = judge_path(fs, "/p.o", amd64_host());
  EXPECT_EQ(v.execve, "ENOEXEC");
  EXPECT_EQ(codes(v), "E_ELF_TYPE");
}

TEST(KernelExec, WrongPhentsizeIsEnoexec) {
  FakeContext fs;
  std::vector<std::uint8_t> bytes = elf(test::EM_X86_64);
  bytes[54] = 55;  // e_phentsize
  fs.add("/p", bytes);
  const Verdict v = judge_path(fs, "/p", amd64_host());
  EXPECT_EQ(v.execve, "ENOEXEC");
  ASSERT_EQ(codes(v), "E_ELF_PHDRS");
  EXPECT_EQ(v.problems[0].message,
            "/p: Exec format error: program header table of 1 entries of 55 bytes (the kernel "
            "needs 1 or more entries of 56 bytes, 64 KiB at most)");
}

TEST(KernelExec, TruncatedElfHeaderIsEnoexec) {
  FakeContext fs;
  fs.add("/p", std::vector<std::uint8_t>{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
  FileReport report = fs.report("/p");
  const Verdict v = judge(report, amd64_host(), fs);
  EXPECT_EQ(v.execve, "ENOEXEC");
  ASSERT_EQ(codes(v), "E_ELF_HEADER");
  EXPECT_EQ(v.problems[0].message, "/p: Exec format error: truncated ELF header");
}

TEST(KernelExec, PtInterpOfOneByteIsEnoexec) {
  FakeContext fs;
  ElfBuilder b;
  b.interp("");  // a lone NUL: p_filesz 1, below the kernel's minimum of 2
  fs.add("/p", b.build().bytes);
  const Verdict v = judge_path(fs, "/p", amd64_host());
  EXPECT_EQ(v.execve, "ENOEXEC");
  ASSERT_EQ(codes(v), "E_ELF_INTERP_BAD");
  EXPECT_EQ(v.problems[0].message, "/p: Exec format error: PT_INTERP of 1 bytes");
}

TEST(KernelExec, MissingFileIsEnoent) {
  FakeContext fs;
  fs.add("/p", elf(test::EM_X86_64));
  FileReport report = fs.report("/p");
  report.path = "/gone";
  const Verdict v = judge(report, amd64_host(), fs);
  EXPECT_EQ(v.execve, "ENOENT");
  ASSERT_EQ(codes(v), "E_FILE_MISSING");
  EXPECT_EQ(v.problems[0].message, "/gone: No such file or directory");
}

TEST(KernelExec, MissingElfInterpreterIsEnoent) {
  FakeContext fs;
  fs.add("/p", elf(test::EM_X86_64, 64, "/lib/ld-musl-x86_64.so.1"));
  const Verdict v = judge_path(fs, "/p", amd64_host());
  EXPECT_EQ(v.execve, "ENOENT");
  ASSERT_EQ(codes(v), "E_LOADER_MISSING");
  EXPECT_EQ(v.problems[0].message,
            "/p: cannot execute: required file not found: its ELF interpreter "
            "/lib/ld-musl-x86_64.so.1 does not exist on the target");
}

TEST(KernelExec, ShortElfInterpreterIsEio) {
  FakeContext fs;
  fs.add("/p", elf(test::EM_X86_64, 64, "/ld"));
  fs.add_text("/ld", "hello world");
  const Verdict v = judge_path(fs, "/p", amd64_host());
  EXPECT_EQ(v.execve, "EIO");
  EXPECT_EQ(codes(v), "E_LOADER_SHORT");
}

TEST(KernelExec, ForeignOrNonElfInterpreterIsElibbad) {
  FakeContext fs;
  fs.add("/p", elf(test::EM_X86_64, 64, "/ld"));
  fs.add("/ld", elf(test::EM_AARCH64));
  Verdict v = judge_path(fs, "/p", amd64_host());
  EXPECT_EQ(v.execve, "ELIBBAD");
  EXPECT_EQ(codes(v), "E_LOADER_BAD");
  fs.add_text("/ld", std::string(100, 'x'));
  v = judge_path(fs, "/p", amd64_host());
  EXPECT_EQ(v.execve, "ELIBBAD");
  EXPECT_EQ(v.problems[0].message,
            "/p: Accessing a corrupted shared library: its ELF interpreter /ld is not an ELF file");
  fs.add("/ld", elf(test::EM_X86_64));
  EXPECT_EQ(judge_path(fs, "/p", amd64_host()).execve, "ok");
}

TEST(KernelExec, SegmentsLaidOutFor4KiBPagesDieOn16KiBPages) {
  FakeContext fs;
  ElfBuilder b;
  b.e_machine = test::EM_AARCH64;
  b.base = 0x401000;  // p_vaddr ≡ p_offset (mod 4 KiB) only
  b.load_align = 0x1000;
  fs.add("/p", b.build().bytes);
  EXPECT_EQ(judge_path(fs, "/p", arm64_host(4096)).execve, "ok");
  const Verdict v = judge_path(fs, "/p", arm64_host(16384));
  EXPECT_EQ(v.execve, "SIGSEGV");
  EXPECT_EQ(codes(v), "E_PAGE_SIZE");
  EXPECT_EQ(v.problems[0].outcome, "killed by SIGSEGV");
}

TEST(KernelExec, PermissionAndFileType) {
  FakeContext fs;
  fs.add("/p", elf(test::EM_X86_64), /*executable=*/false);
  fs.add_dir("/d");
  Verdict v = judge(fs.report("/p"), amd64_host(), fs);
  EXPECT_EQ(v.execve, "EACCES");
  ASSERT_EQ(codes(v), "E_NOT_EXECUTABLE");
  EXPECT_EQ(v.problems[0].fix, "chmod +x /p");
  FileReport dir;
  dir.path = "/d";
  v = judge(dir, amd64_host(), fs);
  EXPECT_EQ(v.execve, "EACCES");
  EXPECT_EQ(codes(v), "E_NOT_REGULAR");
}

TEST(KernelExec, NoexecMountFromTheHostDescription) {
  FakeContext fs;
  fs.add("/tmp/x/p", elf(test::EM_X86_64));
  HostInfo host = amd64_host();
  EXPECT_EQ(judge(fs.report("/tmp/x/p"), host, fs).execve, "ok");
  host.noexec_mounts.push_back({"/tmp", "tmpfs", "tmpfs", "rw,noexec"});
  // FakeContext reports noexec=false explicitly; the host's mount list applies when unknown.
  PathInfo info = fs.target("/tmp/x/p");
  info.noexec.reset();
  struct Wrap final : JudgeContext {
    const FakeContext& inner;
    PathInfo info;
    Wrap(const FakeContext& i, PathInfo p) : inner(i), info(std::move(p)) {}
    PathInfo subject(const std::string&) const override { return info; }
    std::vector<std::uint8_t> subject_head(const std::string& p, std::size_t m) const override {
      return inner.subject_head(p, m);
    }
    PathInfo target(const std::string& p) const override { return inner.target(p); }
    std::vector<std::uint8_t> target_head(const std::string& p, std::size_t m) const override {
      return inner.target_head(p, m);
    }
    std::shared_ptr<const FileReport> target_report(const std::string& p) const override {
      return inner.target_report(p);
    }
    std::vector<std::string> target_list(const std::string& d) const override {
      return inner.target_list(d);
    }
  };
  const Wrap wrap(fs, info);
  const Verdict v = judge(fs.report("/tmp/x/p"), host, wrap);
  EXPECT_EQ(v.execve, "EACCES");
  EXPECT_EQ(codes(v), "E_NOEXEC_MOUNT");
}

TEST(KernelExec, NonProgramsAreEnoexec) {
  FakeContext fs;
  fs.add_text("/empty", "");
  fs.add_text("/text", "echo hi\n");
  std::vector<std::uint8_t> pe(512, 0);
  pe[0] = 'M';
  pe[1] = 'Z';
  fs.add("/a.exe", pe);
  EXPECT_EQ(codes(judge_path(fs, "/empty", amd64_host())), "E_EMPTY_FILE");
  EXPECT_EQ(judge_path(fs, "/text", amd64_host()).execve, "ENOEXEC");
  EXPECT_EQ(judge_path(fs, "/a.exe", amd64_host()).execve, "ENOEXEC");
}

TEST(KernelExec, ScriptInterpreterRules) {
  FakeContext fs;
  fs.add("/bin/sh", elf(test::EM_X86_64));
  fs.add_dir("/bin/dir");
  fs.add_text("/ok", "#!/bin/sh\necho\n");
  fs.add_text("/crlf", "#!/bin/sh\r\necho\r\n");
  fs.add_text("/missing", "#!/nonexistent/interp\n");
  fs.add_text("/dir", "#!/bin/dir\n");
  fs.add_text("/bom", "\xEF\xBB\xBF#!/bin/sh\n");
  fs.add_text("/empty-interp", "#!\n");
  EXPECT_EQ(judge_path(fs, "/ok", amd64_host()).execve, "ok");
  Verdict v = judge_path(fs, "/crlf", amd64_host());
  EXPECT_EQ(v.execve, "ENOENT");
  ASSERT_EQ(codes(v), "E_SCRIPT_CRLF");
  EXPECT_EQ(v.problems[0].fix,
            "sed -i 's/\\r$//' /crlf # or: dos2unix /crlf");
  v = judge_path(fs, "/missing", amd64_host());
  EXPECT_EQ(v.execve, "ENOENT");
  ASSERT_EQ(codes(v), "E_INTERP_MISSING");
  EXPECT_EQ(v.problems[0].message,
            "/missing: bad interpreter: /nonexistent/interp: No such file or directory");
  EXPECT_EQ(judge_path(fs, "/dir", amd64_host()).execve, "EACCES");
  v = judge_path(fs, "/bom", amd64_host());
  EXPECT_EQ(v.execve, "ENOEXEC");
  EXPECT_EQ(codes(v), "E_SCRIPT_BOM");
  EXPECT_EQ(judge_path(fs, "/empty-interp", amd64_host()).execve, "ENOEXEC");
}

TEST(KernelExec, ScriptWithForeignInterpreterIsEnoexec) {
  FakeContext fs;
  fs.add("/arm/sh", elf(test::EM_AARCH64));
  fs.add_text("/s", "#!/arm/sh\n");
  const Verdict v = judge_path(fs, "/s", amd64_host());
  EXPECT_EQ(v.execve, "ENOEXEC");
  EXPECT_EQ(codes(v), "E_WRONG_ARCH");
}

// Five scripts in a row (plus the ELF at the end) run; six give ELOOP (measured on 6.18).
TEST(KernelExec, InterpreterChainsStopAfterFiveRewrites) {
  FakeContext fs;
  fs.add("/bin/sh", elf(test::EM_X86_64));
  fs.add_text("/s1", "#!/bin/sh\n");
  for (int i = 2; i <= 6; ++i)
    fs.add_text("/s" + std::to_string(i), "#!/s" + std::to_string(i - 1) + "\n");
  EXPECT_EQ(judge_path(fs, "/s5", amd64_host()).execve, "ok");
  const Verdict v = judge_path(fs, "/s6", amd64_host());
  EXPECT_EQ(v.execve, "ELOOP");
  EXPECT_EQ(codes(v), "E_INTERP_LOOP");
}

BinfmtEntry qemu_aarch64(bool fix_binary) {
  BinfmtEntry e;
  e.name = "qemu-aarch64";
  e.enabled = true;
  e.interpreter = "/usr/bin/qemu-aarch64-static";
  e.flags = fix_binary ? "POF" : "PO";
  e.magic = {0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0,    0,
             0,    0,    0,    0,    0,    0,    0x02, 0x00, 0xb7, 0x00};
  e.mask = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff,
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff};
  return e;
}

TEST(KernelExec, BinfmtMiscTakesForeignElf) {
  FakeContext fs;
  fs.add("/p", elf(test::EM_AARCH64));
  HostInfo host = amd64_host();
  host.binfmt.mounted = true;
  host.binfmt.entries.push_back(qemu_aarch64(false));
  Verdict v = judge_path(fs, "/p", host);  // interpreter missing, no F
  EXPECT_EQ(v.execve, "ENOENT");
  EXPECT_EQ(codes(v), "E_BINFMT_INTERP_MISSING");
  fs.add("/usr/bin/qemu-aarch64-static", elf(test::EM_X86_64));
  v = judge_path(fs, "/p", host);
  EXPECT_EQ(v.execve, "ok");
  EXPECT_EQ(v.verdict, VerdictKind::emulated);
  EXPECT_EQ(v.emulator, "/usr/bin/qemu-aarch64-static");
  fs.files.erase("/usr/bin/qemu-aarch64-static");
  host.binfmt.entries[0] = qemu_aarch64(true);  // F: opened at registration
  EXPECT_EQ(judge_path(fs, "/p", host).verdict, VerdictKind::emulated);
  host.binfmt.entries[0].enabled = false;
  EXPECT_EQ(judge_path(fs, "/p", host).execve, "ENOEXEC");
}

}  // namespace
}  // namespace enoexec

namespace enoexec {
namespace {

// A recorded host without its files: target lookups are unknown, so the ELF interpreter is
// checked against the host's list of loaders and #! interpreters are assumed present.
struct RecordedHost final : JudgeContext {
  const test::FakeContext& subject_files;
  explicit RecordedHost(const test::FakeContext& files) : subject_files(files) {}
  PathInfo subject(const std::string& p) const override { return subject_files.subject(p); }
  std::vector<std::uint8_t> subject_head(const std::string& p, std::size_t m) const override {
    return subject_files.subject_head(p, m);
  }
  PathInfo target(const std::string&) const override { return {}; }
  std::vector<std::uint8_t> target_head(const std::string&, std::size_t) const override {
    return {};
  }
  std::shared_ptr<const FileReport> target_report(const std::string&) const override {
    return nullptr;
  }
  std::vector<std::string> target_list(const std::string&) const override { return {}; }
};

TEST(KernelExec, RecordedHostChecksTheLoaderAgainstItsLoaderList) {
  test::FakeContext fs;
  fs.add("/p", test::elf(test::EM_X86_64, 64, "/lib/ld-musl-x86_64.so.1"));
  fs.add_text("/s", "#!/bin/bash\n");
  const RecordedHost recorded(fs);
  HostInfo host = test::amd64_host();
  EXPECT_EQ(judge(fs.report("/p"), host, recorded).execve, "ok");  // no loader list: unknown
  host.libc.loaders.push_back(
      {"/lib64/ld-linux-x86-64.so.2", Libc::glibc, Arch::amd64, 64, "ELF header"});
  const Verdict v = judge(fs.report("/p"), host, recorded);
  EXPECT_EQ(v.execve, "ENOENT");
  EXPECT_EQ(v.problems.at(0).code, "E_LOADER_MISSING");
  host.libc.loaders.push_back(
      {"/lib/ld-musl-x86_64.so.1", Libc::musl, Arch::amd64, 64, "ELF header"});
  EXPECT_EQ(judge(fs.report("/p"), host, recorded).execve, "ok");
  EXPECT_EQ(judge(fs.report("/s"), host, recorded).execve, "ok");
}

}  // namespace
}  // namespace enoexec

namespace enoexec {
namespace {

// binfmt_elf reads the header as its own struct in the kernel's byte order: EI_DATA is never
// read, EI_CLASS only where elf_check_arch reads it (riscv, mips, s390, parisc, loongarch).
std::vector<std::uint8_t> with_byte(std::vector<std::uint8_t> bytes, std::size_t offset, std::uint8_t value) {
  bytes[offset] = value;
  return bytes;
}

TEST(KernelView, EiDataIsNeverRead) {
  FakeContext fs;
  fs.add("/p", with_byte(elf(test::EM_X86_64), 5, 2));  // says big-endian, is little-endian
  EXPECT_EQ(judge_path(fs, "/p", amd64_host()).execve, "ok");
}

TEST(KernelView, X86NeverReadsEiClassButTheFileCannotBeParsed) {
  FakeContext fs;
  fs.add("/p", with_byte(elf(test::EM_X86_64), 4, 3));
  const Verdict v = judge_path(fs, "/p", amd64_host());
  EXPECT_EQ(v.execve, "ok");
  EXPECT_EQ(v.verdict, VerdictKind::unknown);
  EXPECT_EQ(codes(v), "W_UNPARSED_PROGRAM");
}

TEST(KernelView, RiscvReadsEiClass) {
  HostInfo riscv = amd64_host();
  riscv.kernel.arch = Arch::riscv64;
  riscv.kernel.machine = "riscv64";
  riscv.userland.reset();
  constexpr std::uint16_t EM_RISCV = 243;
  FakeContext fs;
  fs.add("/ok", elf(EM_RISCV));
  fs.add("/p", with_byte(elf(EM_RISCV), 4, 3));
  EXPECT_EQ(judge_path(fs, "/ok", riscv).execve, "ok");
  EXPECT_EQ(judge_path(fs, "/p", riscv).execve, "ENOEXEC");
}

TEST(KernelView, AHeaderCutAnywhereIsEnoexec) {
  const std::vector<std::uint8_t> whole = elf(test::EM_X86_64);
  for (std::size_t cut : {4u, 5u, 16u, 18u, 20u, 24u, 32u, 40u, 48u, 52u, 54u, 56u, 58u, 63u}) {
    FakeContext fs;
    fs.add("/p", std::vector<std::uint8_t>(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut)));
    const Verdict v = judge_path(fs, "/p", amd64_host());
    EXPECT_EQ(v.execve, "ENOEXEC") << cut;
    EXPECT_EQ(v.verdict, VerdictKind::fails) << cut;
  }
}

TEST(KernelView, AnI386FileThatSaysElfClass64IsReadByTheCompatLoader) {
  FakeContext fs;
  fs.add("/p", with_byte(elf(test::EM_386, 32), 4, 2));
  EXPECT_EQ(judge_path(fs, "/p", amd64_host()).execve, "ok");
}

}  // namespace
}  // namespace enoexec
