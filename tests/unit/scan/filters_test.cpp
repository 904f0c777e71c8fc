#include "scan/filters.hpp"

#include <gtest/gtest.h>

namespace enoexec::scan {
namespace {

TEST(GlobMatch, PatternWithoutSlashMatchesTheLastComponentAnywhere) {
  EXPECT_TRUE(glob_match("*.so", "libc.so"));
  EXPECT_TRUE(glob_match("*.so", "usr/lib/libc.so"));
  EXPECT_FALSE(glob_match("*.so", "usr/lib/libc.so.6"));
  EXPECT_TRUE(glob_match("lib?.so", "a/libc.so"));
  EXPECT_TRUE(glob_match("*", ".hidden"));
  EXPECT_FALSE(glob_match("lib", "lib/x"));
}

TEST(GlobMatch, PatternWithSlashMatchesTheWholePathComponentByComponent) {
  EXPECT_TRUE(glob_match("usr/bin/*", "usr/bin/ls"));
  EXPECT_FALSE(glob_match("usr/bin/*", "usr/bin/x/ls"));  // "*" never crosses a "/"
  EXPECT_FALSE(glob_match("bin/*", "usr/bin/ls"));        // anchored at the root
  EXPECT_TRUE(glob_match("/usr/bin/ls", "usr/bin/ls"));   // a leading "/" changes nothing
  EXPECT_TRUE(glob_match("u*/[a-c]in/l?", "usr/bin/ls"));
}

TEST(GlobMatch, DoubleStarMatchesAnyNumberOfComponentsNoneIncluded) {
  EXPECT_TRUE(glob_match("**/test/*", "test/a"));
  EXPECT_TRUE(glob_match("**/test/*", "x/y/test/a"));
  EXPECT_FALSE(glob_match("**/test/*", "x/test"));
  EXPECT_TRUE(glob_match("usr/**/lib*.so", "usr/lib.so"));
  EXPECT_TRUE(glob_match("usr/**/lib*.so", "usr/lib/x86_64-linux-gnu/libc.so"));
  EXPECT_TRUE(glob_match("vendor/**", "vendor"));
  EXPECT_TRUE(glob_match("vendor/**", "vendor/a/b"));
  EXPECT_FALSE(glob_match("vendor/**", "vendors/a"));
}

TEST(Filters, ExclusionsPruneDirectoriesAndDropFiles) {
  Filters filters;
  filters.exclude("node_modules");
  filters.exclude("*.txt");
  EXPECT_FALSE(filters.admits_directory("src/node_modules"));
  EXPECT_TRUE(filters.admits_directory("src"));
  EXPECT_FALSE(filters.admits_file("notes.txt"));
  EXPECT_TRUE(filters.admits_file("bin/tool"));
  EXPECT_TRUE(filters.admits_directory(""));  // a root is never filtered away
}

TEST(Filters, InclusionsApplyToFilesOnlyAndExclusionsWin) {
  Filters filters;
  filters.include("*.so");
  filters.include("bin/*");
  filters.exclude("libbad.so");
  EXPECT_TRUE(filters.admits_directory("lib"));  // directories are still walked
  EXPECT_TRUE(filters.admits_file("lib/libc.so"));
  EXPECT_TRUE(filters.admits_file("bin/ls"));
  EXPECT_FALSE(filters.admits_file("lib/libc.a"));
  EXPECT_FALSE(filters.admits_file("lib/libbad.so"));
  EXPECT_TRUE(filters.admits_file(""));  // a root named on the command line always counts
}

}  // namespace
}  // namespace enoexec::scan
