// The ordered scheduler over the walk core (scan/walk_core.hpp): one thread, depth-first, an
// admitted directory opened and listed at once and its entries visited before its next
// sibling. Descriptors: one per directory on the current path, for at most `open_dir_limit`
// levels; deeper ones close their parent's and reopen it on the way back up.
#include "scan/walker.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>

#include "scan/walk_core.hpp"

namespace enoexec::scan {
namespace {

using namespace walk_detail;

struct Level {
  DirHandle dir;  // owns the descriptor; empty while closed beyond the open-dir limit
  std::size_t path_length = 0;   // this directory's display path is path[0, path_length)
  std::size_t child_prefix = 0;  // where its children's names start in the path
  std::size_t root_prefix = 0;
  std::uint64_t root_device = 0;
  int depth = 0;
  Listing listing;
  std::size_t next = 0;

  int fd() const { return dir ? ::dirfd(dir.get()) : -1; }
};

class Walker final : public WalkCore {
 public:
  using WalkCore::WalkCore;

  bool walk_root(const std::string& root) {
    add_root(place_, root);
    while (!stack_.empty() && !quit()) visit_next_child();
    stack_.clear();
    ancestors_.clear();
    return !quit();
  }
  const ScanStats& stats() const { return place_.stats; }

 private:
  void descend(Place& place, const Parent* parent, Admitted admitted) override;
  void visit_next_child();
  void pop_directory();
  void reopen(std::size_t index);

  Place place_;
  std::vector<Level> stack_;
  std::vector<Ancestor> ancestors_;  // one per level of stack_, for the loop check
};

void Walker::visit_next_child() {
  Level& top = stack_.back();
  if (top.next == top.listing.size()) return pop_directory();
  const std::size_t index = top.next++;
  Parent parent;
  parent.fd = top.fd();
  parent.path_length = top.path_length;
  parent.root_prefix = top.root_prefix;
  parent.root_device = top.root_device;
  parent.depth = top.depth;
  parent.ancestors = ancestors_;
  // `top` may not survive the visit (an admitted directory is pushed at once).
  visit_child(place_, parent, top.listing.name(index), top.listing.type(index));
}

void Walker::descend(Place& place, const Parent* parent, Admitted admitted) {
  (void)parent;
  // Roots and followed links were resolved already; anything else must be the directory
  // that fstatat just saw, not a symlink swapped in since.
  const int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (admitted.follow_last ? 0 : O_NOFOLLOW);
  const std::string name(admitted.name);
  ListRequest request;
  request.base_fd = admitted.parent_fd;
  request.path = &name;
  request.flags = flags;
  request.dev = admitted.st->st_dev;
  request.ino = admitted.st->st_ino;
  request.root_prefix = admitted.root_prefix;
  request.depth = admitted.depth;
  request.shown_name = admitted.name;
  request.shown_fd = admitted.parent_fd;
  std::optional<Opened> opened = open_listed(place, request);
  if (!opened) return;
  Level level;
  level.dir = std::move(opened->handle);
  level.listing = std::move(opened->listing);
  if (options_.sorted) level.listing.sort();
  level.path_length = place.path.size();
  level.child_prefix = place.path.size() + (place.path.back() == '/' ? 0 : 1);
  level.root_prefix = admitted.root_prefix;
  level.root_device = admitted.root_device;
  level.depth = admitted.depth;
  // Bounded descriptors: beyond the limit, the parent lets go of its own; it is reopened on
  // the way back up.
  if (stack_.size() >= std::max<std::size_t>(options_.open_dir_limit, 1)) stack_.back().dir.reset();
  ancestors_.push_back({admitted.st->st_dev, admitted.st->st_ino, place.path.size()});
  stack_.push_back(std::move(level));
}

void Walker::pop_directory() {
  stack_.pop_back();
  ancestors_.pop_back();
  if (!stack_.empty() && !stack_.back().dir) reopen(stack_.size() - 1);
}

// Reopens a level closed for the descriptor bound by its path below the nearest open ancestor
// (or the working directory), and checks it is still the directory first opened.
void Walker::reopen(std::size_t index) {
  Level& level = stack_[index];
  int base_fd = AT_FDCWD;
  std::size_t start = 0;
  for (std::size_t k = index; k-- > 0;) {
    if (stack_[k].dir) {
      base_fd = stack_[k].fd();
      start = stack_[k].child_prefix;
      break;
    }
  }
  std::string& path = place_.path;
  const std::string relative = path.substr(start, level.path_length - start);
  const int fd = ::openat(base_fd, relative.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct stat st {};
  const Ancestor& self = ancestors_[index];
  const bool same = fd >= 0 && ::fstat(fd, &st) == 0 && st.st_dev == self.dev && st.st_ino == self.ino;
  if (same) level.dir.reset(::fdopendir(fd));
  if (level.dir) return;
  const int err = errno;
  if (fd >= 0) ::close(fd);
  path.resize(level.path_length);
  const std::string name = path.substr(path.rfind('/') + 1);
  level.next = level.listing.size();  // its remaining entries cannot be reached
  if (fd < 0)
    emit(place_, level.root_prefix, name, base_fd, EntryType::directory, level.depth, Problem::unreadable,
         errno_text("cannot reopen directory", err));
  else
    emit(place_, level.root_prefix, name, base_fd, EntryType::directory, level.depth, Problem::changed,
         "directory replaced during the scan");
}

}  // namespace

std::string_view to_string(EntryType type) {
  switch (type) {
    case EntryType::regular: return "regular";
    case EntryType::directory: return "directory";
    case EntryType::symlink: return "symlink";
    case EntryType::fifo: return "fifo";
    case EntryType::socket: return "socket";
    case EntryType::char_device: return "char-device";
    case EntryType::block_device: return "block-device";
    case EntryType::unknown: break;
  }
  return "unknown";
}

bool is_error(Problem problem) {
  return problem == Problem::unreadable || problem == Problem::changed;
}

bool walk(const std::vector<std::string>& roots, const WalkOptions& options,
          const Visitor& visit, ScanStats& stats) {
  Walker walker(options, visit);
  if (options.follow_symlinks) walker.set_roots(roots);
  bool finished = true;
  for (const std::string& root : roots) {
    if (root.empty()) continue;
    if (!walker.walk_root(root)) {
      finished = false;
      break;
    }
  }
  stats.directories += walker.stats().directories;
  stats.entries += walker.stats().entries;
  return finished;
}

}  // namespace enoexec::scan
