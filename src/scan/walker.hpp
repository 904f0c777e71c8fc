// The tree walk under `scan --sort path`: iterative, openat-relative, mount- and
// symlink-aware, and never opening anything but directories itself. Single-threaded, for its
// order; the unordered scan walks with every core instead (scan/parallel_walk.hpp). What both
// do with each entry is written once, in scan/walk_core.hpp; they differ only in when a
// directory is listed.
//
// Order: depth-first, each directory's entries right after the directory itself; with `sorted`
// every directory is listed in byte order of its names (as BSD `find -s` does), so a walk of
// an unchanged tree always meets the same entries in the same order.
//
// Descriptors: one per directory on the current path, for at most `open_dir_limit` levels;
// deeper levels are closed on the way down and reopened by their path below the deepest open
// ancestor on the way back, their (dev, ino) checked against the first open.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "output/scan_result.hpp"

namespace enoexec::scan {

enum class EntryType : std::uint8_t {
  regular, directory, symlink, fifo, socket, char_device, block_device, unknown
};

// "regular", "directory", "symlink", "fifo", "socket", "char-device", "block-device", "unknown"
std::string_view to_string(EntryType type);

// Why the walk reports an entry instead of handing it on or descending into it.
enum class Problem : std::uint8_t {
  none,
  special_file,          // FIFO, socket or device: reported with its type, never opened
  mount_point,           // a directory on another filesystem, not crossed (cross_mounts off)
  symlink_not_followed,  // follow_symlinks off
  symlink_outside,       // follow_symlinks on, but the target lies outside every root
  symlink_broken,        // the target does not exist
  symlink_loop,          // 40 links without an end, or a directory that is its own ancestor
  unreadable,            // stat, open or listing failed: `message` has the errno text
  changed,               // a directory was replaced while the walk was inside it
};

// True for the problems that mean "could not read" rather than "chose not to".
bool is_error(Problem problem);

struct WalkEntry {
  std::string_view path;      // display path: the root as given, then "/name" per level
  std::string_view relative;  // path below the root: "" for a root itself, "lib/x.so"
  std::string_view name;      // what openat(dir_fd, name) opens: the last component, or an
                              // absolute path with dir_fd == AT_FDCWD (roots, followed links);
                              // always NUL-terminated, so name.data() goes to openat() as is
  int dir_fd = -1;            // valid only during the visitor call
  EntryType type = EntryType::unknown;
  Problem problem = Problem::none;
  std::string_view message;   // for problems: "cannot open directory: Permission denied"
  int depth = 0;              // 0 for a root
  unsigned worker = 0;        // which of parallel_walk's threads calls the visitor, 0 to
                              // threads - 1, for state kept per thread; 0 in walk()
};

enum class WalkAction : std::uint8_t {
  next,  // carry on (for a directory: descend into it)
  skip,  // a directory: do not descend; other entries: same as next
  quit,  // stop the whole walk
};

using Visitor = std::function<WalkAction(const WalkEntry& entry)>;

// Which filesystem a directory is on, from its stat. Tests replace it to stand a mount point
// up without mounting anything; the default is st_dev.
using DeviceOf = std::function<std::uint64_t(const struct stat& st, std::string_view path)>;

struct WalkOptions {
  bool follow_symlinks = false;  // follow links whose target lies inside one of the roots
  bool cross_mounts = false;     // descend into directories on other filesystems
  bool sorted = false;           // list every directory in byte order of its names
  int max_depth = -1;            // entries deeper than this are not visited; -1: no limit
  std::size_t open_dir_limit = 64;  // directory descriptors held open at most
  DeviceOf device_of;            // empty: st_dev
};

// Walks every root in the order given and calls `visit` for each entry: the roots themselves
// (a root that is a symlink is followed, as find -H does), regular files, directories before
// their contents, and every entry reported with a problem. A problem never stops the walk;
// only the visitor's `quit` does. Returns false when the visitor quit.
bool walk(const std::vector<std::string>& roots, const WalkOptions& options,
          const Visitor& visit, ScanStats& stats);

}  // namespace enoexec::scan
