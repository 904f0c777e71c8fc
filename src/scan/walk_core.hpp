// What a tree walk does with each directory entry, written once for both schedulers: the
// ordered walk (scan/walker.cpp: one thread, depth-first, in path order) and the parallel one
// (scan/parallel_walk.cpp: every thread lists and visits directories, no order).
//
// The core decides everything about an entry: a root (stat, followed if a link, as find -H
// does), a directory's child (d_type or fstatat, symlink followed or not, special files
// reported), a directory admitted or not (mount point, loop, the visitor's answer, max depth),
// and opens and lists a directory once it is the scheduler's turn to. A scheduler only decides
// *when* an admitted directory is opened and listed (descend()), and where its state lives.
// Internal to src/scan/; not for other callers.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scan/walker.hpp"

namespace enoexec::scan::walk_detail {

EntryType type_of_mode(mode_t mode);
// d_type saves an fstatat per file on every filesystem that fills it in; DT_UNKNOWN (some
// network and older filesystems) gives EntryType::unknown, and the caller falls back to fstatat.
EntryType type_of_dirent(unsigned char d_type);
std::string_view describe(EntryType type);  // the note of a special file: "FIFO, not opened"
bool is_special(EntryType type);            // FIFO, socket, device or unknown: never opened
std::string errno_text(std::string_view action, int err);  // "cannot stat: No such file ..."
std::optional<std::string> canonical(const std::string& path);  // realpath(3)
bool is_within(std::string_view path, std::string_view root);  // path at or below root
std::string without_trailing_slashes(std::string path);
// The entry for `name` in the directory whose display path is `path`; the part of `path` from
// `root_prefix` on is the path below the root.
WalkEntry make_entry(std::string_view path, std::size_t root_prefix, std::string_view name,
                     int dir_fd, EntryType type, int depth, Problem problem,
                     std::string_view message);

// One directory's names in one buffer: a 100k-entry directory costs its names plus 24 bytes
// an entry, and nothing of it outlives the directory's turn.
class Listing {
 public:
  // Each name is stored with its NUL, so the views handed out can go to openat() as they are.
  void add(std::string_view name, EntryType type) {
    items_.push_back({names_.size(), name.size(), type});
    names_.append(name);
    names_.push_back('\0');
  }
  void sort();
  std::size_t size() const { return items_.size(); }
  std::string_view name(std::size_t i) const { return name_of(items_[i]); }
  EntryType type(std::size_t i) const { return items_[i].type; }

 private:
  struct Item {
    std::size_t offset;
    std::size_t length;
    EntryType type;
  };
  std::string_view name_of(const Item& item) const {
    return std::string_view(names_).substr(item.offset, item.length);
  }
  std::string names_;
  std::vector<Item> items_;
};


struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

// A directory on the path from a root down, for loop checks.
struct Ancestor {
  dev_t dev = 0;
  ino_t ino = 0;
  std::size_t path_length = 0;  // its display path is a prefix of its descendants' paths
};

// Where one walking thread is: the display path of the entry in hand, its index among the
// threads (WalkEntry::worker) and what it counted.
struct Place {
  std::string path;
  unsigned worker = 0;
  ScanStats stats;
};

// The directory whose entries are being visited, as the scheduler holds it.
struct Parent {
  int fd = -1;                   // open: its entries are fstatat()ed and opened below it
  std::size_t path_length = 0;   // its display path is the place's path up to here
  std::size_t root_prefix = 0;   // where the path below the root starts in display paths
  std::uint64_t root_device = 0;
  int depth = 0;
  std::string_view open_path;    // what opens it from the working directory when that is not
                                 // its display path (below a root link or a followed link)
  std::span<const Ancestor> ancestors;  // from the root down to this directory itself
};

// A directory the visitor let in, to be opened and listed in the scheduler's own time.
struct Admitted {
  int parent_fd = AT_FDCWD;   // with `name`: how the ordered walk opens it at once
  std::string_view name;      // the last component, or an absolute path with AT_FDCWD
  std::string open_path;      // from the working directory, "" when it is the display path
  const struct stat* st = nullptr;  // what fstatat/stat saw: the open must find the same
  int depth = 0;
  std::size_t root_prefix = 0;
  std::uint64_t root_device = 0;
  bool follow_last = false;   // a root or a followed link's target: opened without O_NOFOLLOW
};

// A directory opened and listed, names in the order readdir gave them (or sorted).
struct Opened {
  DirHandle handle;
  Listing listing;
};

// How to open and list an admitted directory, and what to call it if that fails.
struct ListRequest {
  int base_fd = AT_FDCWD;   // `path` is below it (split into steps when openat() would refuse
  const std::string* path = nullptr;  // its length)
  int flags = 0;            // for the last step
  dev_t dev = 0;            // what the admission saw: the opened directory must be the same
  ino_t ino = 0;
  std::size_t root_prefix = 0;
  int depth = 0;
  std::string_view shown_name;  // a problem is reported as this entry, below `shown_fd`
  int shown_fd = AT_FDCWD;
};

class WalkCore {
 public:
  WalkCore(const WalkOptions& options, const Visitor& visit) : options_(options), visit_(visit) {}
  virtual ~WalkCore() = default;
  WalkCore(const WalkCore&) = delete;
  WalkCore& operator=(const WalkCore&) = delete;

  // With follow_symlinks: links are followed only into these trees.
  void set_roots(const std::vector<std::string>& roots);
  bool quit() const { return quit_; }

 protected:
  // The scheduler's part: `parent` is null for a root. The display path is place.path.
  virtual void descend(Place& place, const Parent* parent, Admitted admitted) = 0;

  // A root as given: stat (a link is followed), then entered or visited.
  void add_root(Place& place, const std::string& given);
  // One entry of `parent`'s listing; place.path must begin with the parent's display path, and
  // is the entry's own (or, after a descent, the subdirectory's) when this returns.
  void visit_child(Place& place, const Parent& parent, std::string_view name, EntryType type);
  // Opens and lists an admitted directory (counting it and its names); problems are reported
  // and give nullopt, but a listing cut short by an error still gives what was listed.
  std::optional<Opened> open_listed(Place& place, const ListRequest& request);
  // Stops the walk as a `quit` from the visitor does.
  void stop() { quit_ = true; }
  WalkAction emit(Place& place, std::size_t root_prefix, std::string_view name, int dir_fd,
                  EntryType type, int depth, Problem problem = Problem::none,
                  std::string_view message = {});

  const WalkOptions& options_;

 private:
  std::uint64_t device_of(const struct stat& st, std::string_view path) const {
    return options_.device_of ? options_.device_of(st, path) : static_cast<std::uint64_t>(st.st_dev);
  }
  void enter_directory(Place& place, const Parent* parent, Admitted admitted);
  void visit_named(Place& place, const Parent& parent, std::string_view name, EntryType type);
  void follow_symlink(Place& place, const Parent& parent, std::string_view name, int depth);

  const Visitor& visit_;
  std::vector<std::string> canonical_roots_;
  std::atomic<bool> quit_{false};
};

}  // namespace enoexec::scan::walk_detail
