// The judge context over any RootFileSystem (an image's layers later): the subject and its
// interpreters are looked up with the root's resolver, never this machine's, with the caller's
// ids the options name and reports made elsewhere.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "builders/memory_root.hpp"
#include "unit/verdict/fake_context.hpp"
#include "verdict/fs_context.hpp"

namespace enoexec {
namespace {

using test::MemoryRoot;

std::unique_ptr<JudgeContext> context_of(std::shared_ptr<const MemoryRoot> root,
                                         FsContextOptions options) {
  return make_fs_context(std::move(root), std::move(options));
}

FsContextOptions in_root(std::uint32_t uid = 0, std::uint32_t gid = 0) {
  FsContextOptions options;
  options.subject_in_root = true;
  options.uid = uid;
  options.gid = gid;
  return options;
}

Verdict judge_subject(const JudgeContext& context, const std::string& path) {
  const std::vector<std::uint8_t> bytes = context.subject_head(path, 1 << 20);
  return judge(inspect_bytes(bytes, path), test::amd64_host(), context);
}

TEST(FsContext, SubjectIsLookedUpInsideTheRoot) {
  auto root = std::make_shared<MemoryRoot>();
  root->file("/app/hello", test::elf(test::EM_X86_64), 0755);
  const auto context = context_of(root, in_root());

  const PathInfo info = context->subject("/app/hello");
  EXPECT_EQ(info.kind, PathInfo::Kind::regular);
  EXPECT_EQ(info.resolved, "/app/hello");
  EXPECT_EQ(info.noexec, false);
  EXPECT_TRUE(info.may_exec);
  EXPECT_EQ(info.size, test::elf(test::EM_X86_64).size());
  EXPECT_EQ(context->subject_head("/app/hello", 4), (std::vector<std::uint8_t>{0x7f, 'E', 'L', 'F'}));
  // Relative paths start at the root's "/", not at this process's directory.
  EXPECT_EQ(context->subject("app/hello").resolved, "/app/hello");
  // This machine's files are not the root's.
  EXPECT_EQ(context->subject("/proc/self/exe").kind, PathInfo::Kind::missing);
  EXPECT_EQ(context->subject("/proc/self/exe").error, ENOENT);
  EXPECT_TRUE(context->subject_head("/proc/self/exe", 4).empty());
  // A scan's descriptor is of this machine's file: the root answers instead.
  EXPECT_EQ(context->open_subject(-1, "/app/hello").resolved, "/app/hello");

  const Verdict verdict = judge_subject(*context, "/app/hello");
  EXPECT_EQ(verdict.execve, "ok");
  EXPECT_EQ(verdict.verdict, VerdictKind::runs);
}

TEST(FsContext, CallerWithoutTheXBitMayNotExec) {
  auto root = std::make_shared<MemoryRoot>();
  root->file("/app/tool", test::elf(test::EM_X86_64), 0750, 0, 0);
  EXPECT_TRUE(context_of(root, in_root(0, 0))->subject("/app/tool").may_exec);     // root
  EXPECT_TRUE(context_of(root, in_root(1000, 0))->subject("/app/tool").may_exec);  // the group
  const auto nobody = context_of(root, in_root(1000, 1000));
  EXPECT_FALSE(nobody->subject("/app/tool").may_exec);
  EXPECT_FALSE(nobody->target("/app/tool").may_exec);
  EXPECT_EQ(judge_subject(*nobody, "/app/tool").execve, "EACCES");
  // Root needs some x bit all the same.
  root->file("/app/data", test::elf(test::EM_X86_64), 0644, 0, 0);
  EXPECT_FALSE(context_of(root, in_root(0, 0))->subject("/app/data").may_exec);
}

TEST(FsContext, ReportsMadeElsewhereAreUsed) {
  auto root = std::make_shared<MemoryRoot>();
  root->text("/lib/ld.so", "not read: its report comes from elsewhere");
  root->file("/lib/libc.so", test::elf(test::EM_X86_64));
  root->link("/lib64", "/lib");
  const auto made = std::make_shared<const FileReport>(inspect_bytes(test::elf(test::EM_X86_64), "ld"));
  auto asked = std::make_shared<std::vector<std::string>>();
  FsContextOptions options;
  options.report_of = [made, asked](const std::string& resolved) -> std::shared_ptr<const FileReport> {
    asked->push_back(resolved);
    return resolved == "/lib/ld.so" ? made : nullptr;
  };
  const auto context = context_of(root, std::move(options));

  EXPECT_EQ(context->target_report("/lib64/ld.so"), made);
  EXPECT_EQ(root->contents_read(), 0);
  // Null from report_of: the file is inspected as before.
  const auto libc = context->target_report("/lib/libc.so");
  ASSERT_NE(libc, nullptr);
  EXPECT_EQ(libc->format, Format::elf);
  EXPECT_EQ(root->contents_read(), 1);
  // A path that does not resolve is never asked for.
  EXPECT_EQ(context->target_report("/lib/none.so"), nullptr);
  EXPECT_EQ(*asked, (std::vector<std::string>{"/lib/ld.so", "/lib/libc.so"}));
}

TEST(FsContext, AbsoluteSymlinksResolveInsideTheRoot) {
  auto root = std::make_shared<MemoryRoot>();
  root->file("/bin/busybox", test::elf(test::EM_X86_64));
  root->link("/usr/bin/sh", "/bin/busybox");
  root->link("/bin/sh", "/usr/bin/sh");
  root->link("/bin/escape", "/../../../etc/hostname");  // ".." stays at the root
  root->text("/app/run.sh", "#!/bin/sh\necho hello\n");
  const auto context = context_of(root, in_root());

  EXPECT_EQ(context->target("/bin/sh").resolved, "/bin/busybox");
  EXPECT_EQ(context->target("/bin/sh").kind, PathInfo::Kind::regular);
  EXPECT_EQ(context->subject("/usr/bin/sh").resolved, "/bin/busybox");
  EXPECT_EQ(context->target("/bin/escape").kind, PathInfo::Kind::missing);
  EXPECT_EQ(context->subject("/bin/escape").error, ENOENT);

  const Verdict verdict = judge_subject(*context, "/app/run.sh");
  EXPECT_EQ(verdict.execve, "ok");
  EXPECT_EQ(verdict.verdict, VerdictKind::runs);
}

// Scan workers share one context: the subject lookups keep no state of their own.
TEST(FsContext, ConcurrentSubjectsAgree) {
  auto root = std::make_shared<MemoryRoot>();
  for (int i = 0; i < 20; ++i) root->file("/app/p" + std::to_string(i), test::elf(test::EM_X86_64));
  root->link("/opt", "/app");
  const auto context = context_of(root, in_root());
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 100; ++round) {
        const int i = (round + t) % 40;  // 0..19 exist, 20..39 do not
        const std::string name = (round % 2 == 0 ? "/app/p" : "/opt/p") + std::to_string(i);
        const PathInfo subject = context->subject(name);
        const PathInfo target = context->target(name);
        const bool exists = i < 20;
        if ((subject.kind == PathInfo::Kind::regular) != exists) ++wrong;
        if ((target.kind == PathInfo::Kind::regular) != exists) ++wrong;
        if (exists && subject.resolved != "/app/p" + std::to_string(i)) ++wrong;
        if (exists && target.resolved != subject.resolved) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace enoexec
