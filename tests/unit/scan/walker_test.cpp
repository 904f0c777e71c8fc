#include "scan/walker.hpp"

#include <dirent.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "unit/scan/temp_tree.hpp"

namespace enoexec::scan {
namespace {

using enoexec::testing::open_descriptors;
using enoexec::testing::sorted_options;
using enoexec::testing::TempTree;


// "relative type" and, for problems, " [message]"; the root is "." so lines read naturally.
std::string line_of(const WalkEntry& entry) {
  std::string text = fmt::format("{} {}", entry.relative.empty() ? "." : entry.relative,
                                 to_string(entry.type));
  if (entry.problem != Problem::none) text += fmt::format(" [{}]", entry.message);
  return text;
}

std::vector<std::string> walk_lines(const std::string& root, WalkOptions options) {
  options.sorted = true;
  std::vector<std::string> lines;
  ScanStats stats;
  walk({root}, options,
       [&](const WalkEntry& entry) {
         // Every name goes to openat() as it is: it must end in a NUL.
         EXPECT_EQ(entry.name.data()[entry.name.size()], '\0') << entry.path;
         lines.push_back(line_of(entry));
         return WalkAction::next;
       },
       stats);
  return lines;
}

TEST(Walker, VisitsDepthFirstWithEachDirectorySortedByName) {
  TempTree tree;
  tree.file("b/2");
  tree.file("b/1");
  tree.file("a");
  tree.file("b.txt");
  tree.file("c/d/e");
  const std::vector<std::string> expected{
      ". directory", "a regular",   "b directory",   "b/1 regular",   "b/2 regular",
      "b.txt regular", "c directory", "c/d directory", "c/d/e regular",
  };
  EXPECT_EQ(walk_lines(tree.root(), {}), expected);
}

TEST(Walker, JoinsPathsBelowTheRootAsGivenWithoutDoubleSlashes) {
  TempTree tree;
  tree.file("x/y");
  std::vector<std::string> paths;
  ScanStats stats;
  walk({tree.root() + "//"}, sorted_options(),
       [&](const WalkEntry& entry) {
         paths.emplace_back(entry.path);
         return WalkAction::next;
       },
       stats);
  EXPECT_EQ(paths, (std::vector<std::string>{tree.root(), tree.path("x"), tree.path("x/y")}));
  EXPECT_EQ(stats.directories, 2u);
  EXPECT_EQ(stats.entries, 3u);
}

TEST(Walker, ReportsFifosSocketsAndSymlinksWithoutFollowingThem) {
  TempTree tree;
  ASSERT_TRUE(tree.fifo("fifo"));
  tree.symlink("/dev/zero", "zero");
  tree.dir("d");
  tree.symlink("d", "to-d");
  const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string sock_path = tree.path("sock");
  ASSERT_LT(sock_path.size(), sizeof(address.sun_path));
  std::memcpy(address.sun_path, sock_path.c_str(), sock_path.size() + 1);
  ASSERT_EQ(::bind(sock, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
  ::close(sock);
  const std::vector<std::string> expected{
      ". directory",
      "d directory",
      "fifo fifo [FIFO, not opened]",
      "sock socket [socket, not opened]",
      "to-d symlink [symlink, not followed]",
      "zero symlink [symlink, not followed]",
  };
  EXPECT_EQ(walk_lines(tree.root(), {}), expected);
}

TEST(Walker, ReportsDeviceNodesWithoutOpeningThem) {
  TempTree tree;
  if (::mknod(tree.path("null").c_str(), S_IFCHR | 0600, makedev(1, 3)) != 0)
    GTEST_SKIP() << "mknod needs CAP_MKNOD: " << std::strerror(errno);
  const std::vector<std::string> expected{". directory",
                                          "null char-device [character device, not opened]"};
  EXPECT_EQ(walk_lines(tree.root(), {}), expected);
}

TEST(Walker, FollowsOnlySymlinksThatStayInsideTheTree) {
  TempTree tree;
  TempTree outside;
  outside.file("elsewhere");
  tree.file("real/f");
  tree.symlink("real", "dir-link");
  tree.symlink("real/f", "file-link");
  tree.symlink("/dev/zero", "zero");
  tree.symlink(outside.path("elsewhere"), "out");
  tree.symlink("missing", "broken");
  tree.symlink("loop-b", "loop-a");
  tree.symlink("loop-a", "loop-b");
  tree.symlink("..", "real/up");
  WalkOptions options;
  options.follow_symlinks = true;
  const std::string canonical_root = std::filesystem::canonical(tree.root()).string();
  const std::vector<std::string> expected{
      ". directory",
      "broken symlink [broken symlink]",
      "dir-link directory",
      "dir-link/f regular",
      fmt::format("dir-link/up directory [directory loop: the same directory as {}]", tree.root()),
      "file-link regular",
      "loop-a symlink [symlink loop: Too many levels of symbolic links]",
      "loop-b symlink [symlink loop: Too many levels of symbolic links]",
      fmt::format("out symlink [symlink to {}/elsewhere, outside the scanned tree]",
                  std::filesystem::canonical(outside.root()).string()),
      "real directory",
      "real/f regular",
      fmt::format("real/up directory [directory loop: the same directory as {}]", tree.root()),
      "zero symlink [symlink to /dev/zero, outside the scanned tree]",
  };
  EXPECT_EQ(walk_lines(tree.root(), options), expected);
  (void)canonical_root;
}

TEST(Walker, HandsFollowedFilesOnByTheirResolvedPath) {
  TempTree tree;
  tree.file("real/f");
  tree.symlink("real/f", "link");
  std::vector<std::string> names;
  ScanStats stats;
  walk({tree.root()}, sorted_options(true),
       [&](const WalkEntry& entry) {
         if (entry.type == EntryType::regular)
           names.push_back(fmt::format("{} {} {}", entry.path, entry.name, entry.dir_fd == AT_FDCWD));
         return WalkAction::next;
       },
       stats);
  const std::string target = std::filesystem::canonical(tree.path("real/f")).string();
  EXPECT_EQ(names, (std::vector<std::string>{fmt::format("{} {} true", tree.path("link"), target),
                                             fmt::format("{} f false", tree.path("real/f"))}));
}

// The mount check compares each directory's device with the root's; the seam stands a mount
// point up at "mnt" without mounting anything.
TEST(Walker, DoesNotCrossAMountPointUnlessAsked) {
  TempTree tree;
  tree.file("mnt/inside");
  tree.file("plain");
  WalkOptions options;
  options.device_of = [](const struct stat& st, std::string_view path) -> std::uint64_t {
    return path.ends_with("/mnt") ? 0xfeed : static_cast<std::uint64_t>(st.st_dev);
  };
  EXPECT_EQ(walk_lines(tree.root(), options),
            (std::vector<std::string>{". directory", "mnt directory [mount point, not crossed]",
                                      "plain regular"}));
  options.cross_mounts = true;
  EXPECT_EQ(walk_lines(tree.root(), options),
            (std::vector<std::string>{". directory", "mnt directory", "mnt/inside regular",
                                      "plain regular"}));
}

// The real thing: /proc is always another filesystem than /.
TEST(Walker, StopsAtProcWhenWalkingTheRealRoot) {
  struct stat root_st {};
  struct stat proc_st {};
  if (::stat("/", &root_st) != 0 || ::stat("/proc", &proc_st) != 0 || root_st.st_dev == proc_st.st_dev)
    GTEST_SKIP() << "/proc is not a separate mount here";
  WalkOptions options;
  options.max_depth = 1;
  const std::vector<std::string> lines = walk_lines("/", options);
  EXPECT_NE(std::find(lines.begin(), lines.end(), "proc directory [mount point, not crossed]"),
            lines.end());
}

TEST(Walker, StopsAtMaxDepth) {
  TempTree tree;
  tree.file("a/b/c");
  WalkOptions options;
  options.max_depth = 1;
  EXPECT_EQ(walk_lines(tree.root(), options), (std::vector<std::string>{". directory", "a directory"}));
  options.max_depth = 0;
  EXPECT_EQ(walk_lines(tree.root(), options), (std::vector<std::string>{". directory"}));
}

// chmod 000 stops everyone but root; as root the same error path is reached below by taking
// the directory away between listing and opening.
TEST(Walker, ReportsAnUnreadableDirectoryAndCarriesOn) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads mode-000 directories";
  TempTree tree;
  tree.file("locked/secret");
  tree.file("z");
  ASSERT_EQ(::chmod(tree.path("locked").c_str(), 0), 0);
  EXPECT_EQ(walk_lines(tree.root(), {}),
            (std::vector<std::string>{". directory", "locked directory",
                                      "locked directory [cannot open directory: Permission denied]",
                                      "z regular"}));
}

TEST(Walker, ReportsADirectoryRemovedBeforeItIsOpenedAndCarriesOn) {
  TempTree tree;
  tree.file("gone/f");
  tree.file("z");
  std::vector<std::string> lines;
  ScanStats stats;
  walk({tree.root()}, sorted_options(),
       [&](const WalkEntry& entry) {
         lines.push_back(line_of(entry));
         if (entry.relative == "gone" && entry.problem == Problem::none)
           std::filesystem::remove_all(tree.path("gone"));
         return WalkAction::next;
       },
       stats);
  EXPECT_EQ(lines, (std::vector<std::string>{
                       ". directory", "gone directory",
                       "gone directory [cannot open directory: No such file or directory]",
                       "z regular"}));
}

TEST(Walker, ReportsAnEntryRemovedAfterListingAndCarriesOn) {
  TempTree tree;
  tree.file("a");
  tree.dir("b");
  std::vector<std::string> lines;
  ScanStats stats;
  walk({tree.root()}, sorted_options(),
       [&](const WalkEntry& entry) {
         lines.push_back(line_of(entry));
         if (entry.relative == "a") std::filesystem::remove(tree.path("b"));
         return WalkAction::next;
       },
       stats);
  EXPECT_EQ(lines, (std::vector<std::string>{". directory", "a regular",
                                             "b directory [cannot stat: No such file or directory]"}));
}

TEST(Walker, ReportsADirectorySwappedForAnotherBeforeItIsOpened) {
  TempTree tree;
  tree.file("tree/b/f");
  tree.file("spare/g");
  const std::string root = tree.path("tree");
  std::vector<std::string> lines;
  ScanStats stats;
  walk({root}, sorted_options(),
       [&](const WalkEntry& entry) {
         lines.push_back(line_of(entry));
         if (entry.relative == "b" && entry.problem == Problem::none) {
           std::filesystem::remove_all(tree.path("tree/b"));
           std::filesystem::rename(tree.path("spare"), tree.path("tree/b"));
         }
         return WalkAction::next;
       },
       stats);
  EXPECT_EQ(lines, (std::vector<std::string>{". directory", "b directory",
                                             "b directory [directory replaced during the scan]"}));
}

TEST(Walker, SkipAndQuitAreObeyed) {
  TempTree tree;
  tree.file("a/inside");
  tree.file("b");
  tree.file("c");
  std::vector<std::string> lines;
  ScanStats stats;
  const bool finished = walk({tree.root()}, sorted_options(),
                             [&](const WalkEntry& entry) {
                               lines.push_back(line_of(entry));
                               if (entry.relative == "a") return WalkAction::skip;
                               if (entry.relative == "b") return WalkAction::quit;
                               return WalkAction::next;
                             },
                             stats);
  EXPECT_FALSE(finished);
  EXPECT_EQ(lines, (std::vector<std::string>{". directory", "a directory", "b regular"}));
}

TEST(Walker, ReportsAMissingRoot) {
  TempTree tree;
  EXPECT_EQ(walk_lines(tree.path("missing"), {}),
            (std::vector<std::string>{". unknown [cannot stat: No such file or directory]"}));
}

TEST(Walker, WalksARootThatIsAFileOrASymlinkToOne) {
  TempTree tree;
  tree.file("f");
  tree.symlink("f", "link");
  std::vector<std::string> seen;
  ScanStats stats;
  walk({tree.path("f"), tree.path("link")}, {},
       [&](const WalkEntry& entry) {
         seen.push_back(fmt::format("{} {}", entry.name, to_string(entry.type)));
         return WalkAction::next;
       },
       stats);
  const std::string target = std::filesystem::canonical(tree.path("f")).string();
  EXPECT_EQ(seen, (std::vector<std::string>{tree.path("f") + " regular", target + " regular"}));
}

// 100 levels with a two-descriptor budget: every level is still walked, including the files
// met after climbing back out of a deeper level (which needed the parent reopened).
TEST(Walker, KeepsDescriptorsBoundedInADeepTree) {
  TempTree tree;
  std::string deep;
  for (int level = 0; level < 100; ++level) {
    deep += "d/";
    tree.file(deep + "z");
  }
  WalkOptions options;
  options.sorted = true;
  options.open_dir_limit = 2;
  const int before = open_descriptors();
  int most = 0;
  int files = 0;
  ScanStats stats;
  walk({tree.root()}, options,
       [&](const WalkEntry& entry) {
         if (entry.type == EntryType::regular) {
           ++files;
           most = std::max(most, open_descriptors());
         }
         EXPECT_EQ(entry.problem, Problem::none) << entry.path << ": " << entry.message;
         return WalkAction::next;
       },
       stats);
  EXPECT_EQ(files, 100);
  // The budget, plus the one directory_iterator in open_descriptors() holds while counting.
  EXPECT_LE(most - before, 2 + 1);
  EXPECT_EQ(open_descriptors(), before);
}

}  // namespace
}  // namespace enoexec::scan
