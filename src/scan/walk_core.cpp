#include "scan/walk_core.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace enoexec::scan::walk_detail {

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

namespace {

// openat() refuses paths of PATH_MAX bytes or more, and a walk can go deeper than that: such a
// path is opened in steps of whole components, each below the directory the previous step
// opened. `flags` apply to the last step.
int open_directory(int base, const std::string& path, int flags) {
  constexpr std::size_t step = 2048;
  const int given = base;
  std::size_t start = 0;
  while (path.size() - start >= step) {
    const std::size_t cut = path.rfind('/', start + step);
    if (cut == std::string::npos || cut < start || (cut == start && start != 0)) {
      if (base != given) ::close(base);
      errno = ENAMETOOLONG;
      return -1;
    }
    const std::string part = cut == 0 ? std::string("/") : path.substr(start, cut - start);
    const int fd = ::openat(base, part.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const int err = errno;
    if (base != given) ::close(base);
    if (fd < 0) {
      errno = err;
      return -1;
    }
    base = fd;
    start = cut + 1;
  }
  const int fd = ::openat(base, path.c_str() + start, flags);
  const int err = errno;
  if (base != given) ::close(base);
  errno = err;
  return fd;
}

}  // namespace

void WalkCore::set_roots(const std::vector<std::string>& roots) {
  for (const std::string& root : roots)
    if (auto resolved = canonical(root)) canonical_roots_.push_back(std::move(*resolved));
}

WalkAction WalkCore::emit(Place& place, std::size_t root_prefix, std::string_view name, int dir_fd,
                          EntryType type, int depth, Problem problem, std::string_view message) {
  WalkEntry entry = make_entry(place.path, root_prefix, name, dir_fd, type, depth, problem, message);
  entry.worker = place.worker;
  const WalkAction action = visit_(entry);
  if (action == WalkAction::quit) quit_ = true;
  return action;
}

void WalkCore::add_root(Place& place, const std::string& given) {
  place.path = without_trailing_slashes(given);
  const std::size_t root_prefix = place.path.size() + (place.path.back() == '/' ? 0 : 1);
  ++place.stats.entries;
  struct stat st {};
  // A root that is a symlink is followed, as find -H does: the user named it.
  if (::stat(place.path.c_str(), &st) != 0) {
    const std::string message = errno_text("cannot stat", errno);
    emit(place, root_prefix, place.path, AT_FDCWD, EntryType::unknown, 0, Problem::unreadable, message);
    return;
  }
  const EntryType type = type_of_mode(st.st_mode);
  std::string open_name = place.path;
  struct stat link {};
  if (::lstat(place.path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
    if (auto resolved = canonical(place.path)) open_name = std::move(*resolved);  // for O_NOFOLLOW
  if (type == EntryType::directory) {
    Admitted root;
    root.name = open_name;
    root.open_path = open_name == place.path ? std::string() : open_name;
    root.st = &st;
    root.root_prefix = root_prefix;
    root.root_device = device_of(st, place.path);
    root.follow_last = true;
    enter_directory(place, nullptr, std::move(root));
  } else if (is_special(type)) {
    emit(place, root_prefix, open_name, AT_FDCWD, type, 0, Problem::special_file, describe(type));
  } else {
    emit(place, root_prefix, open_name, AT_FDCWD, type, 0);
  }
}

void WalkCore::visit_child(Place& place, const Parent& parent, std::string_view name, EntryType type) {
  place.path.resize(parent.path_length);
  if (place.path.back() != '/') place.path += '/';
  place.path.append(name);
  visit_named(place, parent, name, type);
}

void WalkCore::visit_named(Place& place, const Parent& parent, std::string_view name, EntryType type) {
  const int depth = parent.depth + 1;
  const std::size_t prefix = parent.root_prefix;
  struct stat st {};
  if (type == EntryType::unknown || type == EntryType::directory) {
    // AT_NO_AUTOMOUNT: looking at an automount point must not mount it.
    if (::fstatat(parent.fd, name.data(), &st, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT) != 0) {
      const std::string message = errno_text("cannot stat", errno);
      emit(place, prefix, name, parent.fd, type, depth, Problem::unreadable, message);
      return;
    }
    type = type_of_mode(st.st_mode);
  }
  if (type == EntryType::directory) {
    Admitted child;
    child.parent_fd = parent.fd;
    child.name = name;
    if (!parent.open_path.empty()) child.open_path = fmt::format("{}/{}", parent.open_path, name);
    child.st = &st;
    child.depth = depth;
    child.root_prefix = prefix;
    child.root_device = parent.root_device;
    return enter_directory(place, &parent, std::move(child));
  }
  if (type == EntryType::symlink) {
    if (options_.follow_symlinks) return follow_symlink(place, parent, name, depth);
    emit(place, prefix, name, parent.fd, type, depth, Problem::symlink_not_followed, "symlink, not followed");
    return;
  }
  if (is_special(type)) {
    emit(place, prefix, name, parent.fd, type, depth, Problem::special_file, describe(type));
    return;
  }
  emit(place, prefix, name, parent.fd, type, depth);
}

// `parent` is null for a root. The directory is visited here, in its parent's turn; the
// scheduler lists it now (ordered) or whenever a thread takes it (parallel).
void WalkCore::enter_directory(Place& place, const Parent* parent, Admitted admitted) {
  const std::size_t prefix = admitted.root_prefix;
  const int depth = admitted.depth;
  const int parent_fd = admitted.parent_fd;
  const std::string_view name = admitted.name;
  const struct stat& st = *admitted.st;
  if (depth > 0 && !options_.cross_mounts && device_of(st, place.path) != admitted.root_device) {
    emit(place, prefix, name, parent_fd, EntryType::directory, depth, Problem::mount_point,
         "mount point, not crossed");
    return;
  }
  if (parent) {
    for (const Ancestor& ancestor : parent->ancestors) {
      if (ancestor.dev != st.st_dev || ancestor.ino != st.st_ino) continue;
      const std::string message = fmt::format("directory loop: the same directory as {}",
                                              std::string_view(place.path).substr(0, ancestor.path_length));
      emit(place, prefix, name, parent_fd, EntryType::directory, depth, Problem::symlink_loop, message);
      return;
    }
  }
  if (emit(place, prefix, name, parent_fd, EntryType::directory, depth) != WalkAction::next) return;
  if (options_.max_depth >= 0 && depth >= options_.max_depth) return;
  admitted.follow_last = admitted.follow_last || parent_fd == AT_FDCWD;
  descend(place, parent, std::move(admitted));
}

// A link is followed only when its target lies inside one of the roots: a scan of a tree
// stays in that tree. realpath() gives up after 40 links (glibc's bound, the kernel's too).
void WalkCore::follow_symlink(Place& place, const Parent& parent, std::string_view name, int depth) {
  const std::size_t prefix = parent.root_prefix;
  const int fd = parent.fd;
  const auto resolved = canonical(place.path);
  if (!resolved) {
    const int err = errno;
    if (err == ELOOP)
      emit(place, prefix, name, fd, EntryType::symlink, depth, Problem::symlink_loop, errno_text("symlink loop", err));
    else if (err == ENOENT)
      emit(place, prefix, name, fd, EntryType::symlink, depth, Problem::symlink_broken, "broken symlink");
    else
      emit(place, prefix, name, fd, EntryType::symlink, depth, Problem::unreadable,
           errno_text("cannot resolve symlink", err));
    return;
  }
  const bool inside = std::any_of(canonical_roots_.begin(), canonical_roots_.end(),
                                  [&](const std::string& root) { return is_within(*resolved, root); });
  if (!inside) {
    emit(place, prefix, name, fd, EntryType::symlink, depth, Problem::symlink_outside,
         fmt::format("symlink to {}, outside the scanned tree", *resolved));
    return;
  }
  struct stat st {};
  if (::stat(resolved->c_str(), &st) != 0) {
    emit(place, prefix, name, fd, EntryType::symlink, depth, Problem::unreadable, errno_text("cannot stat", errno));
    return;
  }
  const EntryType type = type_of_mode(st.st_mode);
  if (type == EntryType::directory) {
    Admitted target;
    target.name = *resolved;
    target.open_path = *resolved;
    target.st = &st;
    target.depth = depth;
    target.root_prefix = prefix;
    target.root_device = parent.root_device;
    target.follow_last = true;
    return enter_directory(place, &parent, std::move(target));
  }
  if (is_special(type)) {
    emit(place, prefix, *resolved, AT_FDCWD, type, depth, Problem::special_file, describe(type));
    return;
  }
  emit(place, prefix, *resolved, AT_FDCWD, type, depth);
}

std::optional<Opened> WalkCore::open_listed(Place& place, const ListRequest& request) {
  const auto problem = [&](Problem kind, std::string_view message) {
    emit(place, request.root_prefix, request.shown_name, request.shown_fd, EntryType::directory,
         request.depth, kind, message);
  };
  const int fd = open_directory(request.base_fd, *request.path, request.flags);
  if (fd < 0) {
    problem(Problem::unreadable, errno_text("cannot open directory", errno));
    return std::nullopt;
  }
  struct stat opened {};
  if (::fstat(fd, &opened) != 0 || opened.st_dev != request.dev || opened.st_ino != request.ino) {
    ::close(fd);
    problem(Problem::changed, "directory replaced during the scan");
    return std::nullopt;
  }
  Opened result;
  result.handle.reset(::fdopendir(fd));
  if (!result.handle) {
    const std::string message = errno_text("cannot list directory", errno);
    ::close(fd);
    problem(Problem::unreadable, message);
    return std::nullopt;
  }
  ++place.stats.directories;
  int list_error = 0;
  for (;;) {
    errno = 0;
    const dirent* d = ::readdir(result.handle.get());
    if (d == nullptr) {
      list_error = errno;
      break;
    }
    const std::string_view child(d->d_name);
    if (child == "." || child == "..") continue;
    result.listing.add(child, type_of_dirent(d->d_type));
  }
  place.stats.entries += result.listing.size();
  // What was listed before the failure is still walked.
  if (list_error != 0) problem(Problem::unreadable, errno_text("cannot list directory", list_error));
  return result;
}

}  // namespace enoexec::scan::walk_detail
