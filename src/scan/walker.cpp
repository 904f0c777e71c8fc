#include "scan/walker.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include <fmt/format.h>

namespace enoexec::scan {
namespace walk_detail {

EntryType type_of_mode(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return EntryType::regular;
    case S_IFDIR: return EntryType::directory;
    case S_IFLNK: return EntryType::symlink;
    case S_IFIFO: return EntryType::fifo;
    case S_IFSOCK: return EntryType::socket;
    case S_IFCHR: return EntryType::char_device;
    case S_IFBLK: return EntryType::block_device;
    default: return EntryType::unknown;
  }
}

// d_type saves an fstatat per file on every filesystem that fills it in; DT_UNKNOWN (some
// network and older filesystems) falls back to fstatat.
EntryType type_of_dirent(unsigned char d_type) {
  switch (d_type) {
    case DT_REG: return EntryType::regular;
    case DT_DIR: return EntryType::directory;
    case DT_LNK: return EntryType::symlink;
    case DT_FIFO: return EntryType::fifo;
    case DT_SOCK: return EntryType::socket;
    case DT_CHR: return EntryType::char_device;
    case DT_BLK: return EntryType::block_device;
    default: return EntryType::unknown;
  }
}

std::string_view describe(EntryType type) {
  switch (type) {
    case EntryType::fifo: return "FIFO, not opened";
    case EntryType::socket: return "socket, not opened";
    case EntryType::char_device: return "character device, not opened";
    case EntryType::block_device: return "block device, not opened";
    default: return "unknown file type, not opened";
  }
}

bool is_special(EntryType type) {
  return type == EntryType::fifo || type == EntryType::socket ||
         type == EntryType::char_device || type == EntryType::block_device ||
         type == EntryType::unknown;
}

void Listing::sort() {
  std::sort(items_.begin(), items_.end(),
            [this](const Item& a, const Item& b) { return name_of(a) < name_of(b); });
}

std::string errno_text(std::string_view action, int err) {
  return fmt::format("{}: {}", action, std::strerror(err));
}

std::optional<std::string> canonical(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr), &std::free);
  if (!resolved) return std::nullopt;
  return std::string(resolved.get());
}

bool is_within(std::string_view path, std::string_view root) {
  if (path.substr(0, root.size()) != root) return false;
  return path.size() == root.size() || root == "/" || path[root.size()] == '/';
}

std::string without_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

WalkEntry make_entry(std::string_view path, std::size_t root_prefix, std::string_view name,
                     int dir_fd, EntryType type, int depth, Problem problem,
                     std::string_view message) {
  WalkEntry entry;
  entry.path = path;
  entry.relative = path.size() > root_prefix ? path.substr(root_prefix) : std::string_view();
  entry.name = name;
  entry.dir_fd = dir_fd;
  entry.type = type;
  entry.problem = problem;
  entry.message = message;
  entry.depth = depth;
  return entry;
}

}  // namespace walk_detail

namespace {

using namespace walk_detail;

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

struct Level {
  DirHandle dir;  // owns the descriptor; empty while closed beyond the open-dir limit
  dev_t dev = 0;
  ino_t ino = 0;
  std::size_t path_length = 0;   // this directory's display path is path_[0, path_length)
  std::size_t child_prefix = 0;  // where its children's names start in path_
  int depth = 0;
  Listing listing;
  std::size_t next = 0;

  int fd() const { return dir ? ::dirfd(dir.get()) : -1; }
};

class Walker {
 public:
  Walker(const WalkOptions& options, const Visitor& visit, ScanStats& stats)
      : options_(options), visit_(visit), stats_(stats) {}

  void set_roots(const std::vector<std::string>& roots) {
    for (const std::string& root : roots)
      if (auto resolved = canonical(root)) canonical_roots_.push_back(std::move(*resolved));
  }

  bool walk_root(const std::string& root);

 private:
  WalkAction emit(std::string_view name, int dir_fd, EntryType type, int depth,
                  Problem problem = Problem::none, std::string_view message = {});
  std::uint64_t device_of(const struct stat& st) const {
    return options_.device_of ? options_.device_of(st, path_) : static_cast<std::uint64_t>(st.st_dev);
  }
  void set_child_path(const Level& parent, std::string_view name) {
    path_.resize(parent.path_length);
    if (parent.child_prefix > parent.path_length) path_ += '/';
    path_.append(name);
  }
  void visit_next_child();
  void enter_directory(int parent_fd, std::string_view name, const struct stat& st, int depth,
                       bool via_symlink);
  void push_directory(int parent_fd, std::string_view name, const struct stat& st, int depth,
                      bool via_symlink);
  void follow_symlink(int depth);
  void pop_directory();
  void reopen(std::size_t index);
  const Level* ancestor_with(const struct stat& st) const;

  const WalkOptions& options_;
  const Visitor& visit_;
  ScanStats& stats_;
  std::vector<std::string> canonical_roots_;
  std::string path_;
  std::size_t root_prefix_ = 0;  // where the path below the root starts in path_
  std::uint64_t root_device_ = 0;
  std::vector<Level> stack_;
  bool quit_ = false;
};

WalkAction Walker::emit(std::string_view name, int dir_fd, EntryType type, int depth,
                        Problem problem, std::string_view message) {
  const WalkEntry entry =
      make_entry(path_, root_prefix_, name, dir_fd, type, depth, problem, message);
  const WalkAction action = visit_(entry);
  if (action == WalkAction::quit) quit_ = true;
  return action;
}

bool Walker::walk_root(const std::string& given) {
  path_ = without_trailing_slashes(given);
  root_prefix_ = path_.size() + (path_.back() == '/' ? 0 : 1);
  ++stats_.entries;
  struct stat st {};
  // A root that is a symlink is followed, as find -H does: the user named it.
  if (::stat(path_.c_str(), &st) != 0) {
    emit(path_, AT_FDCWD, EntryType::unknown, 0, Problem::unreadable, errno_text("cannot stat", errno));
    return !quit_;
  }
  const EntryType type = type_of_mode(st.st_mode);
  std::string open_name = path_;
  struct stat link {};
  if (::lstat(path_.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
    if (auto resolved = canonical(path_)) open_name = std::move(*resolved);  // for O_NOFOLLOW
  if (type == EntryType::directory) {
    root_device_ = device_of(st);
    enter_directory(AT_FDCWD, open_name, st, 0, true);
  } else if (is_special(type)) {
    emit(open_name, AT_FDCWD, type, 0, Problem::special_file, describe(type));
  } else {
    emit(open_name, AT_FDCWD, type, 0);
  }
  while (!stack_.empty() && !quit_) visit_next_child();
  stack_.clear();
  return !quit_;
}

void Walker::visit_next_child() {
  Level& top = stack_.back();
  if (top.next == top.listing.size()) return pop_directory();
  const std::size_t index = top.next++;
  const std::string_view name = top.listing.name(index);
  EntryType type = top.listing.type(index);
  const int dir_fd = top.fd();
  const int depth = top.depth + 1;
  set_child_path(top, name);
  struct stat st {};
  if (type == EntryType::unknown || type == EntryType::directory) {
    // AT_NO_AUTOMOUNT: looking at an automount point must not mount it.
    if (::fstatat(dir_fd, name.data(), &st, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT) != 0) {
      emit(name, dir_fd, type, depth, Problem::unreadable, errno_text("cannot stat", errno));
      return;
    }
    type = type_of_mode(st.st_mode);
  }
  // `top` may not survive what follows (enter_directory pushes): only copies are used below.
  if (type == EntryType::directory) return enter_directory(dir_fd, name, st, depth, false);
  if (type == EntryType::symlink) {
    if (options_.follow_symlinks) return follow_symlink(depth);
    emit(name, dir_fd, type, depth, Problem::symlink_not_followed, "symlink, not followed");
    return;
  }
  if (is_special(type)) {
    emit(name, dir_fd, type, depth, Problem::special_file, describe(type));
    return;
  }
  emit(name, dir_fd, type, depth);
}

const Level* Walker::ancestor_with(const struct stat& st) const {
  for (const Level& level : stack_)
    if (level.dev == st.st_dev && level.ino == st.st_ino) return &level;
  return nullptr;
}

void Walker::enter_directory(int parent_fd, std::string_view name, const struct stat& st,
                             int depth, bool via_symlink) {
  if (depth > 0 && !options_.cross_mounts && device_of(st) != root_device_) {
    emit(name, parent_fd, EntryType::directory, depth, Problem::mount_point,
         "mount point, not crossed");
    return;
  }
  if (const Level* ancestor = ancestor_with(st)) {
    emit(name, parent_fd, EntryType::directory, depth, Problem::symlink_loop,
         fmt::format("directory loop: the same directory as {}", path_.substr(0, ancestor->path_length)));
    return;
  }
  if (emit(name, parent_fd, EntryType::directory, depth) != WalkAction::next) return;
  if (options_.max_depth >= 0 && depth >= options_.max_depth) return;
  push_directory(parent_fd, name, st, depth, via_symlink);
}

void Walker::push_directory(int parent_fd, std::string_view name, const struct stat& st,
                            int depth, bool via_symlink) {
  const std::string name_z(name);
  // Roots and followed links were resolved already; anything else must be the directory
  // that fstatat just saw, not a symlink swapped in since.
  const int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (via_symlink ? 0 : O_NOFOLLOW);
  const int fd = ::openat(parent_fd, name_z.c_str(), flags);
  if (fd < 0) {
    emit(name, parent_fd, EntryType::directory, depth, Problem::unreadable,
         errno_text("cannot open directory", errno));
    return;
  }
  struct stat opened {};
  if (::fstat(fd, &opened) != 0 || opened.st_dev != st.st_dev || opened.st_ino != st.st_ino) {
    ::close(fd);
    emit(name, parent_fd, EntryType::directory, depth, Problem::changed,
         "directory replaced during the scan");
    return;
  }
  Level level;
  level.dir.reset(::fdopendir(fd));
  if (!level.dir) {
    const int err = errno;
    ::close(fd);
    emit(name, parent_fd, EntryType::directory, depth, Problem::unreadable,
         errno_text("cannot list directory", err));
    return;
  }
  level.dev = st.st_dev;
  level.ino = st.st_ino;
  level.depth = depth;
  level.path_length = path_.size();
  level.child_prefix = path_.size() + (path_.back() == '/' ? 0 : 1);
  ++stats_.directories;
  int list_error = 0;
  for (;;) {
    errno = 0;
    const dirent* d = ::readdir(level.dir.get());
    if (d == nullptr) {
      list_error = errno;
      break;
    }
    const std::string_view child(d->d_name);
    if (child == "." || child == "..") continue;
    level.listing.add(child, type_of_dirent(d->d_type));
  }
  stats_.entries += level.listing.size();
  if (options_.sorted) level.listing.sort();
  if (list_error != 0) {
    // What was listed before the failure is still walked.
    emit(name, parent_fd, EntryType::directory, depth, Problem::unreadable,
         errno_text("cannot list directory", list_error));
  }
  // Bounded descriptors: beyond the limit, the parent lets go of its own; it is reopened on
  // the way back up.
  if (stack_.size() >= std::max<std::size_t>(options_.open_dir_limit, 1)) stack_.back().dir.reset();
  stack_.push_back(std::move(level));
}

void Walker::pop_directory() {
  stack_.pop_back();
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
  const std::string relative = path_.substr(start, level.path_length - start);
  const int fd = ::openat(base_fd, relative.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct stat st {};
  const bool same = fd >= 0 && ::fstat(fd, &st) == 0 && st.st_dev == level.dev && st.st_ino == level.ino;
  if (same) level.dir.reset(::fdopendir(fd));
  if (level.dir) return;
  const int err = errno;
  if (fd >= 0) ::close(fd);
  path_.resize(level.path_length);
  const std::string name = path_.substr(path_.rfind('/') + 1);
  level.next = level.listing.size();  // its remaining entries cannot be reached
  if (fd < 0)
    emit(name, base_fd, EntryType::directory, level.depth, Problem::unreadable,
         errno_text("cannot reopen directory", err));
  else
    emit(name, base_fd, EntryType::directory, level.depth, Problem::changed,
         "directory replaced during the scan");
}

// A link is followed only when its target lies inside one of the roots: a scan of a tree
// stays in that tree. realpath() gives up after 40 links (glibc's bound, the kernel's too).
void Walker::follow_symlink(int depth) {
  const int dir_fd = stack_.back().fd();
  const std::string name(std::string_view(path_).substr(stack_.back().child_prefix));
  const auto resolved = canonical(path_);
  if (!resolved) {
    const int err = errno;
    if (err == ELOOP)
      emit(name, dir_fd, EntryType::symlink, depth, Problem::symlink_loop, errno_text("symlink loop", err));
    else if (err == ENOENT)
      emit(name, dir_fd, EntryType::symlink, depth, Problem::symlink_broken, "broken symlink");
    else
      emit(name, dir_fd, EntryType::symlink, depth, Problem::unreadable, errno_text("cannot resolve symlink", err));
    return;
  }
  const bool inside = std::any_of(canonical_roots_.begin(), canonical_roots_.end(),
                                  [&](const std::string& root) { return is_within(*resolved, root); });
  if (!inside) {
    emit(name, dir_fd, EntryType::symlink, depth, Problem::symlink_outside,
         fmt::format("symlink to {}, outside the scanned tree", *resolved));
    return;
  }
  struct stat st {};
  if (::stat(resolved->c_str(), &st) != 0) {
    emit(name, dir_fd, EntryType::symlink, depth, Problem::unreadable, errno_text("cannot stat", errno));
    return;
  }
  const EntryType type = type_of_mode(st.st_mode);
  if (type == EntryType::directory) return enter_directory(AT_FDCWD, *resolved, st, depth, true);
  if (is_special(type)) {
    emit(*resolved, AT_FDCWD, type, depth, Problem::special_file, describe(type));
    return;
  }
  emit(*resolved, AT_FDCWD, type, depth);
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
  Walker walker(options, visit, stats);
  if (options.follow_symlinks) walker.set_roots(roots);
  for (const std::string& root : roots) {
    if (root.empty()) continue;
    if (!walker.walk_root(root)) return false;
  }
  return true;
}

}  // namespace enoexec::scan
