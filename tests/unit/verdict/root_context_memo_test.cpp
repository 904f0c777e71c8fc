// The root context remembers the target's answers (scan judges thousands of files against the
// same libraries): same answers as a fresh lookup, safe from many threads at once, bounded.
#include <gtest/gtest.h>

#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "enoexec/verdict.hpp"

namespace enoexec {
namespace {

namespace fs = std::filesystem;

class TempRoot {
 public:
  TempRoot() {
    char pattern[] = "/tmp/enoexec-memo-XXXXXX";
    if (::mkdtemp(pattern) != nullptr) path_ = pattern;
  }
  TempRoot(const TempRoot&) = delete;
  TempRoot& operator=(const TempRoot&) = delete;
  ~TempRoot() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  void write(const std::string& relative, const std::string& text) const {
    fs::create_directories((path_ / relative).parent_path());
    std::ofstream(path_ / relative) << text;
  }

 private:
  fs::path path_;
};

TEST(RootContextMemo, RemembersWhatItFirstSaw) {
  TempRoot root;
  ASSERT_FALSE(root.path().empty());
  root.write("lib/libc.so.6", "libc");
  root.write("etc/ld.so.conf", "/opt/lib\n");
  fs::create_directories(root.path() / "etc/ld.so.conf.d");
  root.write("etc/ld.so.conf.d/a.conf", "");
  const auto context = make_root_context(root.path().string(), false);
  EXPECT_EQ(context->target("/lib/libc.so.6").kind, PathInfo::Kind::regular);
  EXPECT_EQ(context->target("/lib/libm.so.6").kind, PathInfo::Kind::missing);
  EXPECT_EQ(context->target_head("/etc/ld.so.conf", 64 * 1024).size(), 9u);
  EXPECT_EQ(context->target_list("/etc/ld.so.conf.d"), std::vector<std::string>{"a.conf"});
  // Changes after the first answer are not seen: the answers are the memo's.
  fs::remove(root.path() / "lib/libc.so.6");
  root.write("lib/libm.so.6", "libm");
  root.write("etc/ld.so.conf", "/opt/lib\n/opt/lib64\n");
  root.write("etc/ld.so.conf.d/b.conf", "");
  EXPECT_EQ(context->target("/lib/libc.so.6").kind, PathInfo::Kind::regular);
  EXPECT_EQ(context->target("/lib/libc.so.6").resolved, "/lib/libc.so.6");
  EXPECT_EQ(context->target("/lib/libm.so.6").kind, PathInfo::Kind::missing);
  EXPECT_EQ(context->target("/lib/libm.so.6").error, ENOENT);
  EXPECT_EQ(context->target_head("/etc/ld.so.conf", 64 * 1024).size(), 9u);
  EXPECT_EQ(context->target_list("/etc/ld.so.conf.d"), std::vector<std::string>{"a.conf"});
  // A different length is a different question.
  EXPECT_EQ(context->target_head("/etc/ld.so.conf", 4).size(), 4u);
  // A new context looks again.
  const auto fresh = make_root_context(root.path().string(), false);
  EXPECT_EQ(fresh->target("/lib/libc.so.6").kind, PathInfo::Kind::missing);
  EXPECT_EQ(fresh->target("/lib/libm.so.6").kind, PathInfo::Kind::regular);
}

TEST(RootContextMemo, ReadsLdSoConfOnce) {
  TempRoot root;
  ASSERT_FALSE(root.path().empty());
  root.write("etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n/opt/lib # local\n");
  root.write("etc/ld.so.conf.d/b.conf", "/usr/local/lib\n");
  root.write("etc/ld.so.conf.d/a.conf", "/usr/lib/x86_64-linux-gnu/libfakeroot\n");
  const auto context = make_root_context(root.path().string(), false);
  const std::vector<std::string> expected{"/usr/lib/x86_64-linux-gnu/libfakeroot",
                                          "/usr/local/lib", "/opt/lib"};
  EXPECT_EQ(context->ld_so_conf_dirs(), expected);
  root.write("etc/ld.so.conf", "/elsewhere\n");
  EXPECT_EQ(context->ld_so_conf_dirs(), expected);
  // A new context reads it again.
  const auto fresh = make_root_context(root.path().string(), false);
  EXPECT_EQ(fresh->ld_so_conf_dirs(), std::vector<std::string>{"/elsewhere"});
}

TEST(RootContextMemo, RemembersInterpreterReports) {
  TempRoot root;
  ASSERT_FALSE(root.path().empty());
  root.write("bin/sh", "#!/bin/interp\n");
  const auto context = make_root_context(root.path().string(), false);
  const auto first = context->target_report("/bin/sh");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->format, Format::script);
  root.write("bin/sh", "not a script");
  const auto again = context->target_report("/bin/sh");
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->format, Format::script);
  EXPECT_EQ(again, first);  // the same report, not a copy
  EXPECT_EQ(context->target_report("/bin/none"), nullptr);
}

// Bounded: past its capacity the memo starts over, so an early answer is looked up again.
TEST(RootContextMemo, StaysBounded) {
  TempRoot root;
  ASSERT_FALSE(root.path().empty());
  root.write("lib/first.so", "x");
  const auto context = make_root_context(root.path().string(), false);
  EXPECT_EQ(context->target("/lib/first.so").kind, PathInfo::Kind::regular);
  fs::remove(root.path() / "lib/first.so");
  for (int i = 0; i < 10000; ++i) context->target("/lib/missing-" + std::to_string(i));
  EXPECT_EQ(context->target("/lib/first.so").kind, PathInfo::Kind::missing);
}

// Scan workers share one context: many threads asking overlapping questions all get the right
// answers (run under TSan/ASan in the sanitizer presets).
TEST(RootContextMemo, ConcurrentLookupsAgree) {
  TempRoot root;
  ASSERT_FALSE(root.path().empty());
  for (int i = 0; i < 50; ++i) root.write("lib/lib" + std::to_string(i) + ".so", "x");
  fs::create_symlink("lib", root.path() / "lib64");
  const auto context = make_root_context(root.path().string(), false);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        const int i = (round + t) % 100;  // 0..49 exist, 50..99 do not
        const std::string dir = round % 2 == 0 ? "/lib/" : "/lib64/";
        const PathInfo info = context->target(dir + "lib" + std::to_string(i) + ".so");
        const bool exists = i < 50;
        if ((info.kind == PathInfo::Kind::regular) != exists) ++wrong;
        if (exists && info.resolved != "/lib/lib" + std::to_string(i) + ".so") ++wrong;
        if (context->target_head("/lib/lib0.so", 16) != std::vector<std::uint8_t>{'x'}) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace enoexec
