// support/root_fs: the kernel's path rules inside a root, over temporary trees. Symlinks that
// point above the root land inside it; MAXSYMLINKS links resolve and one more is ELOOP; a file
// used as a directory is ENOTDIR; reads are capped and never block on a FIFO.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "enoexec/kernel.hpp"
#include "support/root_fs.hpp"

namespace enoexec {
namespace {

class Tree {
 public:
  Tree() {
    std::string pattern = (std::filesystem::temp_directory_path() / "enoexec-rootfs-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) root_ = pattern;
  }
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;
  ~Tree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  const std::string& root() const { return root_; }
  void file(const std::string& relative, const std::string& content = {}) const {
    const std::filesystem::path target = root_ + "/" + relative;
    std::filesystem::create_directories(target.parent_path());
    std::ofstream(target, std::ios::binary) << content;
  }
  void dir(const std::string& relative) const {
    std::filesystem::create_directories(root_ + "/" + relative);
  }
  void link(const std::string& target, const std::string& relative) const {
    std::error_code ec;
    std::filesystem::create_symlink(target, root_ + "/" + relative, ec);
  }

 private:
  std::string root_;
};

// The resolved path ("/usr/lib/x") or the errno's name, to compare in one EXPECT.
std::string resolved(const RootFileSystem& fs, std::string_view path, std::string_view from = "/") {
  const auto found = fs.resolve(path, from);
  if (found) return found->absolute();
  switch (found.error()) {
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case ELOOP: return "ELOOP";
    default: return "errno " + std::to_string(found.error());
  }
}

class RootFsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tree_.file("usr/lib/libc.so.6", "\x7f" "ELF glibc");
    tree_.file("usr/bin/dash", "#!/bin/dash\n");
    tree_.file("etc/passwd", "root:x:0:0\n");
    tree_.link("usr/lib", "lib");           // relative, at the top
    tree_.link("/usr/bin/dash", "usr/bin/sh");  // absolute: the root's /usr/bin/dash
    tree_.link("dash", "usr/bin/sh2");      // relative to its directory
  }
  Tree tree_;
};

TEST_F(RootFsTest, FollowsRelativeAndAbsoluteLinksInsideTheRoot) {
  const DirectoryRoot fs(tree_.root());
  EXPECT_EQ(resolved(fs, "/lib/libc.so.6"), "/usr/lib/libc.so.6");
  EXPECT_EQ(resolved(fs, "/usr/bin/sh"), "/usr/bin/dash");
  EXPECT_EQ(resolved(fs, "/usr/bin/sh2"), "/usr/bin/dash");
  EXPECT_EQ(resolved(fs, "//usr/./bin//sh"), "/usr/bin/dash");
  EXPECT_EQ(resolved(fs, "bin/dash", "/usr"), "/usr/bin/dash");  // relative: from a directory
  EXPECT_EQ(resolved(fs, "/"), "/");
  EXPECT_EQ(fs.host_path(*fs.resolve("/lib")), tree_.root() + "/usr/lib");
}

TEST_F(RootFsTest, DotDotNeverClimbsAboveTheRoot) {
  tree_.link("/../../etc/passwd", "up-absolute");
  tree_.link("../../../etc/passwd", "usr/up-relative");
  tree_.link("../../..", "usr/lib/top");
  const DirectoryRoot fs(tree_.root());
  EXPECT_EQ(resolved(fs, "/../../etc/passwd"), "/etc/passwd");
  EXPECT_EQ(resolved(fs, "/up-absolute"), "/etc/passwd");
  EXPECT_EQ(resolved(fs, "/usr/up-relative"), "/etc/passwd");
  EXPECT_EQ(resolved(fs, "/usr/lib/top"), "/");
  EXPECT_EQ(resolved(fs, "/usr/lib/top/etc/passwd"), "/etc/passwd");
  // ".." after a link goes up from where the link points, as the kernel's walk does.
  EXPECT_EQ(resolved(fs, "/lib/../bin/dash"), "/usr/bin/dash");
}

TEST_F(RootFsTest, MissingAndNotADirectory) {
  tree_.link("/nowhere", "dangling");
  const DirectoryRoot fs(tree_.root());
  EXPECT_EQ(resolved(fs, "/usr/bin/python3"), "ENOENT");
  EXPECT_EQ(resolved(fs, "/dangling"), "ENOENT");
  EXPECT_EQ(resolved(fs, "/etc/passwd/x"), "ENOTDIR");
  EXPECT_EQ(resolved(fs, "/etc/passwd/.."), "ENOTDIR");
  EXPECT_EQ(fs.stat("/nowhere").error(), ENOENT);
  const DirectoryRoot absent(tree_.root() + "/no-such-root");
  EXPECT_EQ(resolved(absent, "/etc/passwd"), "ENOENT");
}

// link0 -> link1 -> ... -> linkN -> usr/bin/dash: N+1 links.
void chain(const Tree& tree, int links) {
  tree.dir("chain");
  for (int i = 0; i < links; ++i) {
    const std::string next = i + 1 == links ? "/usr/bin/dash" : "link" + std::to_string(i + 1);
    tree.link(next, "chain/link" + std::to_string(i));
  }
}

TEST_F(RootFsTest, MaxSymlinksResolveAndOneMoreIsEloop) {
  chain(tree_, kernel::MAXSYMLINKS);
  const DirectoryRoot fs(tree_.root());
  EXPECT_EQ(resolved(fs, "/chain/link0"), "/usr/bin/dash");
  tree_.link("link0", "chain/one-more");
  EXPECT_EQ(resolved(fs, "/chain/one-more"), "ELOOP");
}

TEST_F(RootFsTest, LoopIsEloop) {
  tree_.link("b", "a");
  tree_.link("a", "b");
  tree_.link("/self", "self");
  const DirectoryRoot fs(tree_.root());
  EXPECT_EQ(resolved(fs, "/a"), "ELOOP");
  EXPECT_EQ(resolved(fs, "/self/x"), "ELOOP");
}

TEST_F(RootFsTest, LocateStopsAtTheLastLink) {
  const DirectoryRoot fs(tree_.root());
  const auto link = fs.locate("/lib/../bin/sh", "/usr");
  ASSERT_TRUE(link);
  EXPECT_EQ(link->absolute(), "/usr/bin/sh");
  EXPECT_EQ(fs.status_of(*link)->kind, FileStatus::Kind::symlink);
  EXPECT_EQ(*fs.link_of(*link), "/usr/bin/dash");
  // A located link is not opened through: that is the resolver's job.
  EXPECT_EQ(fs.head_of(*link, 4).error(), ELOOP);
  EXPECT_EQ(fs.entry(*link, "x").error(), ENOTDIR);
}

TEST_F(RootFsTest, EntryOfAResolvedDirectory) {
  const DirectoryRoot fs(tree_.root());
  const auto dir = fs.resolve("/lib");
  ASSERT_TRUE(dir);
  const auto libc = fs.entry(*dir, "libc.so.6");
  ASSERT_TRUE(libc);
  EXPECT_EQ(libc->absolute(), "/usr/lib/libc.so.6");
  EXPECT_EQ(fs.status_of(*libc)->kind, FileStatus::Kind::regular);
  EXPECT_EQ(fs.status_of(*libc)->size, 10u);
  EXPECT_EQ(fs.entry(*dir, "..").error(), EINVAL);
  EXPECT_EQ(fs.status_of(*fs.entry(*fs.resolve("/etc/passwd"), "x")).error(), ENOTDIR);
}

TEST_F(RootFsTest, HeadAndCappedReads) {
  const DirectoryRoot fs(tree_.root());
  const auto head = fs.read_head("/usr/bin/sh", 2);
  ASSERT_TRUE(head);
  EXPECT_EQ(std::string(head->begin(), head->end()), "#!");
  EXPECT_EQ(fs.read_head("/usr/bin/sh", 1000)->size(), 12u);  // shorter than asked
  const auto whole = fs.read_text("/etc/passwd", 1000);
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->bytes, "root:x:0:0\n");
  EXPECT_FALSE(whole->truncated);
  const auto cut = fs.read_text("/etc/passwd", 4);
  ASSERT_TRUE(cut);
  EXPECT_EQ(cut->bytes, "root");
  EXPECT_TRUE(cut->truncated);
  EXPECT_EQ(fs.read_text("/etc", 10).error(), EINVAL);  // not a regular file
  EXPECT_EQ(fs.read_text("/etc/shadow", 10).error(), ENOENT);
  const auto contents = fs.contents_of(*fs.resolve("/lib/libc.so.6"));
  ASSERT_TRUE(contents);
  EXPECT_EQ(contents->view().size(), 10u);
  EXPECT_FALSE(fs.contents_of(*fs.resolve("/etc")));
}

TEST_F(RootFsTest, FifoIsNotReadAndDoesNotBlock) {
  ASSERT_EQ(::mkfifo((tree_.root() + "/fifo").c_str(), 0644), 0);
  const DirectoryRoot fs(tree_.root());
  EXPECT_EQ(fs.stat("/fifo")->kind, FileStatus::Kind::other);
  EXPECT_EQ(fs.read_head("/fifo", 16).error(), EINVAL);
  EXPECT_EQ(fs.read_text("/fifo", 16).error(), EINVAL);
}

TEST_F(RootFsTest, ListsADirectoryWithACap) {
  const DirectoryRoot fs(tree_.root());
  bool truncated = true;
  auto names = fs.list("/lib/../bin", 100, truncated);
  ASSERT_TRUE(names);
  std::sort(names->begin(), names->end());
  EXPECT_EQ(*names, (std::vector<std::string>{"dash", "sh", "sh2"}));
  EXPECT_FALSE(truncated);
  names = fs.list("/usr/bin", 2, truncated);
  ASSERT_TRUE(names);
  EXPECT_EQ(names->size(), 2u);
  EXPECT_TRUE(truncated);
  EXPECT_EQ(fs.list("/etc/passwd", 10, truncated).error(), ENOTDIR);
  EXPECT_EQ(fs.list("/none", 10, truncated).error(), ENOENT);
}

TEST(RootFs, TheMachineItself) {
  const DirectoryRoot fs("/");
  EXPECT_EQ(resolved(fs, "/"), "/");
  EXPECT_EQ(fs.host_path(*fs.resolve("/")), "/");
  EXPECT_EQ(fs.stat("/")->kind, FileStatus::Kind::directory);
}

}  // namespace
}  // namespace enoexec
