// What fails after a successful execve: libraries, glibc version, CPU level, foreign OS, env.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

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

TEST(AfterExec, GlibcNewerThanTheTarget) {
  FakeContext fs;
  fs.add("/p", test::elf(test::EM_X86_64));
  FileReport report = fs.report("/p");
  report.glibc_min = "2.38";
  Verdict v = judge(report, amd64_host(), fs);
  EXPECT_EQ(v.execve, "ok");
  ASSERT_EQ(codes(v), "E_GLIBC_TOO_OLD");
  EXPECT_EQ(v.problems[0].message,
            "/p: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by /p) "
            "— the target has glibc 2.36");
  report.glibc_min = "2.9";  // 2.9 < 2.36 numerically
  EXPECT_EQ(codes(judge(report, amd64_host(), fs)), "");
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
  EXPECT_EQ(v.problems[0].fix, "rebuild: GOOS=linux GOARCH=amd64 GOAMD64=v2 go build");
  report.cpu_level->level = "v2";
  EXPECT_EQ(codes(judge(report, amd64_host(), fs)), "");
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
  const auto context = make_root_context(root.string(), false);
  EXPECT_EQ(context->target("/abs").resolved, "/lib/ld.so");
  EXPECT_EQ(context->target("/lib/up").resolved, "/lib/ld.so");
  EXPECT_EQ(context->target("/escape").kind, PathInfo::Kind::missing);  // no etc/ in the root
  EXPECT_EQ(context->target("/loop").error, ELOOP);
  EXPECT_EQ(context->target("/lib/ld.so/x").error, ENOTDIR);
  EXPECT_EQ(context->target_head("/abs", 10), std::vector<std::uint8_t>{'x'});
  fs::remove_all(root);
}

}  // namespace
}  // namespace enoexec
