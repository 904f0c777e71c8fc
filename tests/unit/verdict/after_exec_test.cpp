// What fails after a successful execve: libraries, glibc version, CPU level, foreign OS, env.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "output/json_verdict.hpp"
#include "output/verdict_text.hpp"
#include "unit/verdict/fake_context.hpp"

namespace enoexec {
namespace {

using test::amd64_host;
using test::ElfBuilder;
using test::FakeContext;

std::string codes(const Verdict& v) {
  std::string out;
  for (const auto& p : v.problems) out += (out.empty() ? "" : ",") + p.code;
  return out;
}

std::vector<std::uint8_t> dynamic_elf(const std::string& needed, const std::string& runpath = "") {
  ElfBuilder b;
  b.e_type = 3;
  b.interp("/lib64/ld-linux-x86-64.so.2");
  b.needed(needed);
  if (!runpath.empty()) b.runpath(runpath);
  return b.build().bytes;
}

FakeContext with_loader() {
  FakeContext fs;
  fs.add("/lib64/ld-linux-x86-64.so.2", test::elf(test::EM_X86_64));
  fs.add_dir("/");
  return fs;
}

TEST(AfterExec, MissingLibraryFailsAfterExec) {
  FakeContext fs = with_loader();
  fs.add("/app/p", dynamic_elf("libfoo.so.1"));
  const Verdict v = judge(fs.report("/app/p"), amd64_host(), fs);
  EXPECT_EQ(v.execve, "ok");
  EXPECT_EQ(v.verdict, VerdictKind::fails);
  ASSERT_EQ(codes(v), "E_LIB_MISSING");
  EXPECT_EQ(v.problems[0].message,
            "/app/p: error while loading shared libraries: libfoo.so.1: cannot open shared object "
            "file: No such file or directory");
  EXPECT_EQ(v.problems[0].outcome, "exit 127");
}

TEST(AfterExec, LibrarySearchFollowsRunpathOriginLdSoConfAndMultiarch) {
  FakeContext fs = with_loader();
  fs.add("/app/bin/p", dynamic_elf("libfoo.so.1", "$ORIGIN/../lib"));
  EXPECT_EQ(codes(judge(fs.report("/app/bin/p"), amd64_host(), fs)), "E_LIB_MISSING");
  fs.add("/app/lib/libfoo.so.1", test::elf(test::EM_X86_64));
  EXPECT_EQ(codes(judge(fs.report("/app/bin/p"), amd64_host(), fs)), "");

  fs.add("/app/q", dynamic_elf("libbar.so.2"));
  fs.add("/opt/bar/lib/libbar.so.2", test::elf(test::EM_X86_64));
  EXPECT_EQ(codes(judge(fs.report("/app/q"), amd64_host(), fs)), "E_LIB_MISSING");
  fs.add_text("/etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n");
  fs.add_text("/etc/ld.so.conf.d/bar.conf", "# bar\n/opt/bar/lib\n");
  EXPECT_EQ(codes(judge(fs.report("/app/q"), amd64_host(), fs)), "");

  fs.add("/app/r", dynamic_elf("libc.so.6"));
  EXPECT_EQ(codes(judge(fs.report("/app/r"), amd64_host(), fs)), "E_LIB_MISSING");
  fs.add("/lib/x86_64-linux-gnu/libc.so.6", test::elf(test::EM_X86_64));
  EXPECT_EQ(codes(judge(fs.report("/app/r"), amd64_host(), fs)), "");
}

// A target's ld.so.conf is untrusted input: include lines naming a directory, nothing or a
// file without a glob include nothing odd, and the lines around them still count.
TEST(AfterExec, OddLdSoConfIncludesAreHarmless) {
  FakeContext fs;
  fs.add_text("/etc/ld.so.conf",
              "include /\ninclude\ninclude //\ninclude /etc/\ninclude extra.conf\n/opt/lib\n");
  fs.add_text("/etc/extra.conf", "/opt/extra\n");
  EXPECT_EQ(fs.ld_so_conf_dirs(), (std::vector<std::string>{"/opt/extra", "/opt/lib"}));
}

// Files that include each other are read once each: ten files each including the whole
// directory, eight levels deep, would otherwise be 10^8 reads (three here: their directories
// would come back thousands of times).
TEST(AfterExec, LdSoConfIncludeCyclesEndAtOneReadPerFile) {
  FakeContext fs;
  fs.add_text("/etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n");
  std::vector<std::string> expected;
  for (int i = 0; i < 3; ++i) {
    fs.add_text(fmt::format("/etc/ld.so.conf.d/{}.conf", i),
                fmt::format("include /etc/ld.so.conf.d/*.conf\n/opt/l{}\n", i));
    expected.push_back(fmt::format("/opt/l{}", i));
  }
  std::vector<std::string> dirs = fs.ld_so_conf_dirs();
  std::sort(dirs.begin(), dirs.end());  // the order follows the include depth limit
  EXPECT_EQ(dirs, expected);
}

TEST(AfterExec, GlibcNewerThanTheTarget) {
  FakeContext fs = with_loader();
  ElfBuilder dynamic;
  dynamic.interp("/lib64/ld-linux-x86-64.so.2");
  fs.add("/p", dynamic.build().bytes);
  FileReport report = fs.report("/p");
  report.glibc_min = "2.38";
  Verdict v = judge(report, amd64_host(), fs);
  EXPECT_EQ(v.execve, "ok");
  ASSERT_EQ(codes(v), "E_GLIBC_TOO_OLD");
  EXPECT_EQ(v.problems[0].message,
            "/p: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by /p) "
            "— the target has glibc 2.36; the file needs GLIBC_2.38");
  report.elf->glibc_min = ElfVersionMin{"2.38", {"a", "b", "c", "d", "e", "f"}};
  v = judge(report, amd64_host(), fs);
  ASSERT_EQ(codes(v), "E_GLIBC_TOO_OLD");
  EXPECT_TRUE(v.problems[0].message.ends_with("needs GLIBC_2.38 for a, b, c, d (and 2 more)"))
      << v.problems[0].message;
  report.glibc_min = "2.9";  // 2.9 < 2.36 numerically
  EXPECT_EQ(codes(judge(report, amd64_host(), fs)), "");
}

// ELF files without PT_INTERP: the kernel starts them at their entry, unrelocated
// (tests/cli/no_interp_test.sh runs the real ones in a chroot).
std::vector<std::uint8_t> no_interp(std::uint64_t entry, const std::string& needed, const std::string& soname,
                                    bool df_1_pie = false) {
  ElfBuilder b;
  b.e_type = 3;  // ET_DYN
  b.e_entry = entry;
  if (!needed.empty()) b.needed(needed);
  if (!soname.empty()) b.soname(soname);
  if (df_1_pie) b.dynamic_entry(0x6ffffffb, 0x08000000);  // DT_FLAGS_1 = DF_1_PIE
  return b.build().bytes;
}

TEST(AfterExec, SharedLibraryRunAsAProgramDiesAtItsEntry) {
  FakeContext fs = with_loader();
  fs.add("/lib/libz.so.1", no_interp(0, "libc.so.6", "libz.so.1"));
  const FileReport report = fs.report("/lib/libz.so.1");
  EXPECT_EQ(report.type, "shared-library");
  Verdict v = judge(report, amd64_host(), fs);
  EXPECT_EQ(v.execve, "ok");
  EXPECT_EQ(v.verdict, VerdictKind::fails);
  ASSERT_EQ(codes(v), "E_LIBRARY_EXECUTED");  // and no ld.so message: no loader runs
  EXPECT_EQ(v.problems[0].outcome, "SIGSEGV");
  EXPECT_NE(v.problems[0].message.find("(e_entry 0)"), std::string::npos) << v.problems[0].message;
  // Found in a tree (scan, an image's programs): judged as ld.so loads it, libc.so.6 missing.
  v = judge(report, amd64_host(), fs, JudgeAs::found);
  EXPECT_EQ(codes(v), "E_LIB_MISSING");
  fs.add("/lib/x86_64-linux-gnu/libc.so.6", test::elf(test::EM_X86_64));
  EXPECT_EQ(judge(fs.report("/lib/libz.so.1"), amd64_host(), fs, JudgeAs::found).verdict, VerdictKind::runs);

  fs.add("/lib/libentry.so", no_interp(0x1109, "libc.so.6", ""));
  v = judge(fs.report("/lib/libentry.so"), amd64_host(), fs);
  ASSERT_EQ(codes(v), "E_LIBRARY_EXECUTED");
  EXPECT_NE(v.problems[0].message.find("no dynamic loader loads libc.so.6"), std::string::npos) << v.problems[0].message;
}

TEST(AfterExec, StaticPieAndLoadersRelocateThemselves) {
  FakeContext fs = with_loader();
  fs.add("/app/static-pie", no_interp(0x95f0, "", "", true));
  EXPECT_EQ(codes(judge(fs.report("/app/static-pie"), amd64_host(), fs)), "");
  // glibc's loader by its DT_SONAME, musl's by its file name (it carries no DT_SONAME).
  fs.add("/copy/ldso", no_interp(0x1ab70, "", "ld-linux-x86-64.so.2"));
  const FileReport glibc = fs.report("/copy/ldso");
  EXPECT_EQ(glibc.type, "dynamic-linker");
  EXPECT_EQ(glibc.kind, "");
  EXPECT_EQ(glibc.linkage, Linkage::static_pie);
  ASSERT_TRUE(glibc.platform.has_value());
  EXPECT_EQ(glibc.platform->libc, Libc::glibc);
  EXPECT_EQ(codes(judge(glibc, amd64_host(), fs)), "");
  fs.add("/lib/ld-musl-x86_64.so.1", no_interp(0x777ee, "", ""));
  const FileReport musl = fs.report("/lib/ld-musl-x86_64.so.1");
  EXPECT_EQ(musl.type, "dynamic-linker");
  ASSERT_TRUE(musl.platform.has_value());
  EXPECT_EQ(musl.platform->libc, Libc::musl);
  EXPECT_EQ(codes(judge(musl, amd64_host(), fs)), "");
  // The same bytes under another name: nothing says it relocates itself.
  fs.add("/usr/lib/musl/libc.so", no_interp(0x777ee, "", ""));
  const Verdict v = judge(fs.report("/usr/lib/musl/libc.so"), amd64_host(), fs);
  EXPECT_EQ(v.verdict, VerdictKind::runs);
  EXPECT_EQ(codes(v), "W_ENTRY_UNRELOCATED");
  // A loader needs no libraries: a loader's name on a file with DT_NEEDED is not one.
  fs.add("/lib/ld-linux-x86-64.so.2", no_interp(0x1ab70, "libc.so.6", "ld-linux-x86-64.so.2"));
  EXPECT_EQ(fs.report("/lib/ld-linux-x86-64.so.2").type, "shared-library");
  EXPECT_EQ(codes(judge(fs.report("/lib/ld-linux-x86-64.so.2"), amd64_host(), fs)), "E_LIBRARY_EXECUTED");
  // An entry of 0 is never a loader, whatever its name.
  fs.add("/lib64/ld-linux-x86-64.so.2", no_interp(0, "", "ld-linux-x86-64.so.2"));
  EXPECT_EQ(codes(judge(fs.report("/lib64/ld-linux-x86-64.so.2"), amd64_host(), fs)), "E_LIBRARY_EXECUTED");
}

TEST(AfterExec, CpuLevelAboveTheTarget) {
  FakeContext fs;
  fs.add("/p", test::elf(test::EM_X86_64));
  FileReport report = fs.report("/p");
  report.cpu_level = CpuLevel{"x86-64", "v3", {}, "Go build setting GOAMD64=v3", false, {}};
  report.go = GoBuildInfo{};
  const Verdict v = judge(report, amd64_host(), fs);
  ASSERT_EQ(codes(v), "E_CPU_LEVEL");
  EXPECT_EQ(v.problems[0].message,
            "This program can only be run on AMD64 processors with v3 microarchitecture support.");
  EXPECT_EQ(v.problems[0].fix, "GOOS=linux GOARCH=amd64 GOAMD64=v2 CGO_ENABLED=0 go build");
  report.cpu_level->level = "v2";
  EXPECT_EQ(codes(judge(report, amd64_host(), fs)), "");
}

TEST(AfterExec, KernelOlderThanTheAbiNote) {
  FakeContext fs;
  fs.add("/p", test::elf(test::EM_X86_64));
  FileReport report = fs.report("/p");
  report.elf->notes.abi_tag_os = "Linux";
  report.elf->notes.abi_tag_kernel = "3.2.0";
  HostInfo host = amd64_host();
  host.kernel.release = "3.0.101-63-default";
  Verdict v = judge(report, host, fs);
  EXPECT_EQ(v.execve, "ok");
  ASSERT_EQ(codes(v), "E_KERNEL_TOO_OLD");
  EXPECT_EQ(v.problems[0].message,
            "FATAL: kernel too old — /p is linked with a glibc that needs Linux 3.2.0 or newer (its "
            "NT_GNU_ABI_TAG note), the target's kernel is 3.0.101-63-default");
  EXPECT_EQ(v.problems[0].outcome, "SIGABRT");  // static: glibc's start-up code aborts
  report.interpreter = "/lib64/ld-linux-x86-64.so.2";
  fs.add("/lib64/ld-linux-x86-64.so.2", test::elf(test::EM_X86_64));
  v = judge(report, host, fs);
  ASSERT_EQ(codes(v), "E_KERNEL_TOO_OLD");
  EXPECT_EQ(v.problems[0].outcome, "exit 127");  // dynamic: ld.so's _dl_fatal_printf
  host.kernel.release = "3.10.0-1160.el7.x86_64";
  EXPECT_EQ(codes(judge(report, host, fs)), "");
  host.kernel.release = "";  // unknown kernel: nothing to say
  EXPECT_EQ(codes(judge(report, host, fs)), "");
}

TEST(AfterExec, GlibcxxVersionComesFromTheLibraryFileName) {
  // A root where libstdc++.so.6 resolves to libstdc++.so.6.0.28 (GCC 10: GLIBCXX_3.4.28).
  const auto dir = std::filesystem::temp_directory_path() / ("enoexec-glibcxx-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir / "lib64");
  const auto write = [](const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  };
  write(dir / "lib64/ld-linux-x86-64.so.2", test::elf(test::EM_X86_64));
  ::chmod((dir / "lib64/ld-linux-x86-64.so.2").c_str(), 0755);
  write(dir / "lib64/libstdc++.so.6.0.28", test::elf(test::EM_X86_64));
  std::filesystem::create_symlink("libstdc++.so.6.0.28", dir / "lib64/libstdc++.so.6");
  FakeContext fs;
  fs.add("/p", dynamic_elf("libstdc++.so.6"));
  FileReport report = fs.report("/p");
  report.path = (dir / "p").string();  // the file under inspection is read where it is
  write(report.path, fs.files["/p"].bytes);
  ::chmod(report.path.c_str(), 0755);
  report.elf->glibcxx_min = ElfVersionMin{"3.4.30", {"_ZSt28__throw_bad_array_new_lengthv"}};
  const auto root = make_root_context(dir.string(), false);
  Verdict v = judge(report, amd64_host(), *root);
  ASSERT_EQ(codes(v), "E_GLIBCXX_TOO_OLD");
  EXPECT_EQ(v.problems[0].message,
            report.path + ": /lib64/libstdc++.so.6: version `GLIBCXX_3.4.30' not found (required by " +
                report.path +
                ") — the target's libstdc++ has GLIBCXX_3.4.28; the file needs GLIBCXX_3.4.30 for "
                "_ZSt28__throw_bad_array_new_lengthv");
  EXPECT_EQ(v.problems[0].outcome, "exit 1");
  report.elf->glibcxx_min->version = "3.4.28";
  EXPECT_EQ(codes(judge(report, amd64_host(), *root)), "");
  std::filesystem::remove_all(dir);
}

TEST(AfterExec, EnvProgramMissingFromThePath) {
  FakeContext fs;
  fs.add_dir("/");
  fs.add("/usr/bin/env", test::elf(test::EM_X86_64));
  fs.add_text("/s", "#!/usr/bin/env python3\nprint(1)\n");
  Verdict v = judge(fs.report("/s"), amd64_host(), fs);
  EXPECT_EQ(v.execve, "ok");
  ASSERT_EQ(codes(v), "E_ENV_PROGRAM_MISSING");
  EXPECT_EQ(v.problems[0].message,
            "/s: /usr/bin/env: 'python3': No such file or directory — no python3 in the target's "
            "PATH (/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)");
  EXPECT_EQ(v.problems[0].outcome, "exit 127");
  fs.add("/usr/local/bin/python3", test::elf(test::EM_X86_64), false);  // not executable: skipped
  EXPECT_EQ(codes(judge(fs.report("/s"), amd64_host(), fs)), "E_ENV_PROGRAM_MISSING");
  fs.add("/bin/python3", test::elf(test::EM_X86_64));
  EXPECT_EQ(codes(judge(fs.report("/s"), amd64_host(), fs)), "");
}

TEST(AfterExec, FreeBsdElfExecsThenFails) {
  FakeContext fs;
  ElfBuilder b;
  b.osabi = 9;  // ELFOSABI_FREEBSD
  fs.add("/p", b.build().bytes);
  const Verdict v = judge(fs.report("/p"), amd64_host(), fs);
  EXPECT_EQ(v.execve, "ok");
  EXPECT_EQ(v.verdict, VerdictKind::fails);
  EXPECT_EQ(codes(v), "E_FOREIGN_OS");
}

TEST(AfterExec, EnvWithCrlfExecsThenEnvFails) {
  FakeContext fs;
  fs.add("/usr/bin/env", test::elf(test::EM_X86_64));
  fs.add_text("/s", "#!/usr/bin/env python3\r\nprint(1)\r\n");
  const Verdict v = judge(fs.report("/s"), amd64_host(), fs);
  EXPECT_EQ(v.execve, "ok");
  EXPECT_EQ(v.verdict, VerdictKind::fails);
  EXPECT_EQ(codes(v), "E_SCRIPT_CRLF");
}

TEST(VerdictOutput, JsonAndText) {
  FakeContext fs;
  fs.add("/p", test::elf(test::EM_AARCH64));
  const FileReport report = fs.report("/p");
  const Verdict v = judge(report, amd64_host(), fs);
  const auto json = to_json(report, v);
  EXPECT_EQ(json["format"], "elf");
  EXPECT_EQ(json["target"], "linux/amd64/v2");
  EXPECT_EQ(json["execve"], "ENOEXEC");
  EXPECT_EQ(json["verdict"], "fails");
  EXPECT_TRUE(json["emulator"].is_null());
  EXPECT_EQ(json["problems"][0]["code"], "E_WRONG_ARCH");
  EXPECT_EQ(json["problems"][0]["outcome"], "execve: ENOEXEC");
  EXPECT_EQ(verdict_line("/p", v), "/p: will not run on linux/amd64/v2 (execve: ENOEXEC)");
  EXPECT_TRUE(problem_lines(v).starts_with("  error E_WRONG_ARCH: /p: Exec format error:"));
}

// The root context never leaves its root: absolute symlinks and ".." resolve inside it.
TEST(RootContext, SymlinksStayInsideTheRoot) {
  namespace fs = std::filesystem;
  char pattern[] = "/tmp/enoexec-root-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  const fs::path root = pattern;
  fs::create_directories(root / "lib");
  std::ofstream(root / "lib" / "ld.so") << "x";
  fs::create_symlink("/lib/ld.so", root / "abs");
  fs::create_symlink("../../../../lib/ld.so", root / "lib" / "up");
  fs::create_symlink("/etc/passwd", root / "escape");
  fs::create_symlink("loop", root / "loop");
  fs::create_symlink("lib", root / "lib64");    // a directory reached through symlinks:
  fs::create_symlink("/lib", root / "abslib");  // relative, absolute (the root's /lib),
  fs::create_symlink("/etc", root / "etcdir");  // and one naming what the root does not have
  const auto context = make_root_context(root.string(), false);
  EXPECT_EQ(context->target("/abs").resolved, "/lib/ld.so");
  EXPECT_EQ(context->target("/lib/up").resolved, "/lib/ld.so");
  EXPECT_EQ(context->target("/escape").kind, PathInfo::Kind::missing);  // no etc/ in the root
  EXPECT_EQ(context->target("/loop").error, ELOOP);
  EXPECT_EQ(context->target("/lib/ld.so/x").error, ENOTDIR);
  for (const char* path : {"/lib64/ld.so", "/abslib/ld.so", "/abslib/../lib64/./ld.so"}) {
    EXPECT_EQ(context->target(path).kind, PathInfo::Kind::regular) << path;
    EXPECT_EQ(context->target(path).resolved, "/lib/ld.so") << path;
  }
  EXPECT_EQ(context->target("/abslib/up").resolved, "/lib/ld.so");
  EXPECT_EQ(context->target("/lib64/missing").error, ENOENT);
  EXPECT_EQ(context->target("/etcdir/passwd").error, ENOENT);
  EXPECT_EQ(context->target_head("/abs", 10), std::vector<std::uint8_t>{'x'});
  fs::remove_all(root);
}

}  // namespace
}  // namespace enoexec
