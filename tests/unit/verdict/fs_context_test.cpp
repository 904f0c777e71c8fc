// The judge context over any RootFileSystem (an image's layers later): the subject and its
// interpreters are looked up with the root's resolver, never this machine's, with the caller's
// ids the options name and reports made elsewhere.
#include <gtest/gtest.h>

#include <sys/mman.h>
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

#include "unit/verdict/fake_context.hpp"
#include "verdict/fs_context.hpp"

namespace enoexec {
namespace {

// A root file system held in a map: "usr/lib/x" -> its entry ("" is the root). Read-only once
// built, so many threads may read it.
class MemoryRoot final : public RootFileSystem {
 public:
  struct Node {
    FileStatus::Kind kind = FileStatus::Kind::directory;
    std::string data;  // a file's bytes, a link's target
    std::uint32_t mode = 0755;
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
  };

  MemoryRoot() { nodes_[""] = Node{}; }

  void file(const std::string& path, const std::vector<std::uint8_t>& bytes,
            std::uint32_t mode = 0755, std::uint32_t uid = 0, std::uint32_t gid = 0) {
    add(path, {FileStatus::Kind::regular, std::string(bytes.begin(), bytes.end()), mode, uid, gid});
  }
  void text(const std::string& path, const std::string& text, std::uint32_t mode = 0755) {
    file(path, std::vector<std::uint8_t>(text.begin(), text.end()), mode);
  }
  void link(const std::string& path, const std::string& target) {
    add(path, {FileStatus::Kind::symlink, target, 0777, 0, 0});
  }

  // How often a whole file was read: reports made elsewhere spare it.
  int contents_read() const { return contents_read_.load(); }

  FsResult<FileStatus> status_of(const RootPath& path) const override {
    const Node* node = find(path);
    if (node == nullptr) return tl::unexpected(ENOENT);
    const std::uint32_t type = node->kind == FileStatus::Kind::regular     ? S_IFREG
                               : node->kind == FileStatus::Kind::symlink ? S_IFLNK
                                                                         : S_IFDIR;
    return FileStatus{node->kind, type | node->mode, node->data.size(), node->uid, node->gid};
  }
  FsResult<std::string> link_of(const RootPath& path) const override {
    const Node* node = find(path);
    if (node == nullptr) return tl::unexpected(ENOENT);
    if (node->kind != FileStatus::Kind::symlink) return tl::unexpected(EINVAL);
    return node->data;
  }
  FsResult<std::vector<std::uint8_t>> head_of(const RootPath& path, std::size_t max) const override {
    const auto bytes = regular(path);
    if (!bytes) return tl::unexpected(bytes.error());
    const std::string& data = **bytes;
    return std::vector<std::uint8_t>(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(
                                                                     std::min(max, data.size())));
  }
  FsResult<CappedText> text_of(const RootPath& path, std::size_t cap) const override {
    const auto bytes = regular(path);
    if (!bytes) return tl::unexpected(bytes.error());
    return CappedText{(*bytes)->substr(0, cap), (*bytes)->size() > cap};
  }
  FsResult<std::vector<std::string>> entries_of(const RootPath& path, std::size_t cap,
                                                bool& truncated) const override {
    truncated = false;
    const Node* node = find(path);
    if (node == nullptr) return tl::unexpected(ENOENT);
    if (node->kind != FileStatus::Kind::directory) return tl::unexpected(ENOTDIR);
    const std::string prefix = path.relative().empty() ? "" : path.relative() + "/";
    std::vector<std::string> names;
    for (const auto& [key, child] : nodes_) {
      if (key.empty() || !key.starts_with(prefix) || key.find('/', prefix.size()) != std::string::npos)
        continue;
      if (names.size() == cap) {
        truncated = true;
        break;
      }
      names.push_back(key.substr(prefix.size()));
    }
    return names;
  }
  // Mapped from a memfd: FileContents holds a mapping, and the bytes need no file of this machine.
  Result<FileContents> contents_of(const RootPath& path) const override {
    ++contents_read_;
    const auto bytes = regular(path);
    if (!bytes) return make_error(ErrorCode::io, 0, path.absolute() + ": cannot read");
    const int fd = ::memfd_create("enoexec-test", MFD_CLOEXEC);
    if (fd < 0) return make_error(ErrorCode::io, 0, "memfd_create failed");
    const std::string& data = **bytes;
    const bool written = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
    auto mapped = MappedFile::from_fd(fd, data.size());
    ::close(fd);
    if (!written) return make_error(ErrorCode::io, 0, "memfd write failed");
    if (!mapped) return tl::unexpected(mapped.error());
    return FileContents(std::move(*mapped));
  }

 private:
  // Parents become directories, as an image's layers make them.
  void add(const std::string& path, Node node) {
    const std::string key = path.substr(path.find_first_not_of('/'));
    for (std::size_t slash = key.find('/'); slash != std::string::npos; slash = key.find('/', slash + 1))
      nodes_.try_emplace(key.substr(0, slash), Node{});
    nodes_[key] = std::move(node);
  }
  const Node* find(const RootPath& path) const {
    const auto it = nodes_.find(path.relative());
    return it == nodes_.end() ? nullptr : &it->second;
  }
  FsResult<const std::string*> regular(const RootPath& path) const {
    const Node* node = find(path);
    if (node == nullptr) return tl::unexpected(ENOENT);
    if (node->kind != FileStatus::Kind::regular) return tl::unexpected(EINVAL);
    return &node->data;
  }

  std::map<std::string, Node> nodes_;
  mutable std::atomic<int> contents_read_{0};
};

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
