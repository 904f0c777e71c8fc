// scan --gitignore (scan/gitignore.hpp): git's answer read, and what the scan then skips.
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "scan/gitignore.hpp"
#include "scan/scanner.hpp"
#include "unit/scan/temp_tree.hpp"

namespace enoexec::scan {
namespace {

TEST(GitIgnore, SplitsGitsOutput) {
  EXPECT_EQ(split_git_paths(std::string("build/\0out/app.o\0a b\0", 22)),
            (std::vector<std::string>{"build", "out/app.o", "a b"}));
  EXPECT_TRUE(split_git_paths("").empty());
}

TEST(GitIgnore, FiltersSkipPathsAndGitDirectories) {
  Filters filters;
  EXPECT_FALSE(filters.skips("root/.git", ".git", true));  // off until --gitignore
  filters.skip_path("root/build");
  EXPECT_TRUE(filters.skips("root/build", "build", true));
  EXPECT_TRUE(filters.skips("root/.git", ".git", true));
  EXPECT_TRUE(filters.skips("root/sub/.git", ".git", true));
  EXPECT_FALSE(filters.skips("root/.git", ".git", false));  // a file named .git (a worktree link)
  EXPECT_FALSE(filters.skips("root/src", "src", true));
}

// Every regular file the scan hands on, by path.
class Paths final : public ScanConsumer {
 public:
  void process(int, std::uint64_t, ScanResult&) override {}
  bool emit(ScanResult& result) override {
    std::lock_guard lock(mutex_);
    if (result.type == "regular") paths.insert(result.path);
    return true;
  }
  std::set<std::string> paths;

 private:
  std::mutex mutex_;
};

TEST(GitIgnore, AScanOfAWorkTreeSkipsWhatGitIgnores) {
  testing::TempTree tree;
  tree.dir("repo/src");
  tree.dir("repo/build/deep");
  tree.file("repo/.gitignore", "build/\n*.o\n");
  tree.file("repo/src/app", "#!/bin/sh\n");
  tree.file("repo/src/app.o", "x");
  tree.file("repo/build/deep/tool", "#!/bin/sh\n");
  const std::string init = "git init -q " + tree.path("repo") + " >/dev/null 2>&1";
  if (std::system(init.c_str()) != 0) GTEST_SKIP() << "git is not available";
  tree.dir("repo/.git/hooks");
  tree.file("repo/.git/hooks/pre-commit", "#!/bin/sh\n");

  ScanOptions options;
  options.ordered = true;
  const std::vector<std::string> roots{tree.path("repo"), tree.path("repo/src/")};
  EXPECT_TRUE(skip_git_ignored(roots, options.filters).empty());
  Paths seen;
  run_scan(roots, options, seen);
  EXPECT_EQ(seen.paths, (std::set<std::string>{tree.path("repo/.gitignore"), tree.path("repo/src/app")}));

  // Outside a work tree: said once, and everything scanned (but .git directories).
  tree.dir("plain");
  tree.file("plain/x.o", "x");
  Filters filters;
  const auto notes = skip_git_ignored({tree.path("plain")}, filters);
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_EQ(notes[0], "--gitignore: " + tree.path("plain") + " is not in a Git work tree: scanned in full");
}

}  // namespace
}  // namespace enoexec::scan
