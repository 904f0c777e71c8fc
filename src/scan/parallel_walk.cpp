#include "scan/parallel_walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

namespace enoexec::scan {
namespace {

using namespace walk_detail;

struct Ancestor {
  dev_t dev = 0;
  ino_t ino = 0;
  std::size_t path_length = 0;  // its display path is a prefix of its descendants' paths
};

// A directory admitted but not yet listed: all the pending list holds.
struct PendingDir {
  std::string path;       // display path
  std::string open_path;  // what to open when not `path`: below a followed link or a root link
  std::size_t root_prefix = 0;  // where the path below the root starts
  std::uint64_t root_device = 0;
  int depth = 0;
  bool follow_last = false;         // a root or a followed link's target: no O_NOFOLLOW
  std::vector<Ancestor> ancestors;  // from the root down to this directory itself

  const std::string& target() const { return open_path.empty() ? path : open_path; }
};

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};
using DirHandle = std::unique_ptr<DIR, DirCloser>;

// A listed directory whose files are shared out in batches: one directory can hold most of a
// tree's programs (/usr/lib/x86_64-linux-gnu: two thirds of /usr's candidates), and every
// thread helps with it. It stays open, for openat() of its files, until its last batch is done.
struct ListedDir {
  PendingDir dir;
  DirHandle handle;  // its files are opened at ::dirfd(handle)
  Listing listing;
  std::vector<std::size_t> files;  // the listing's entries that are not (or may not be) directories
};

struct FileBatch {
  std::shared_ptr<const ListedDir> listed;
  std::size_t begin = 0;  // into listed->files
  std::size_t end = 0;
};

// Small enough that the last batches even out the threads, large enough that taking one (a
// lock) costs nothing next to inspecting its files.
constexpr std::size_t kFilesPerBatch = 16;

// openat() refuses paths of PATH_MAX bytes or more, and a walk can go deeper than that: such a
// path is opened in steps of whole components, each below the directory the previous step
// opened. `flags` apply to the last step.
int open_directory(const std::string& path, int flags) {
  constexpr std::size_t step = 2048;
  int base = AT_FDCWD;
  std::size_t start = 0;
  while (path.size() - start >= step) {
    const std::size_t cut = path.rfind('/', start + step);
    if (cut == std::string::npos || cut < start || (cut == start && start != 0)) {
      if (base != AT_FDCWD) ::close(base);
      errno = ENAMETOOLONG;
      return -1;
    }
    const std::string part = cut == 0 ? std::string("/") : path.substr(start, cut - start);
    const int fd = ::openat(base, part.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const int err = errno;
    if (base != AT_FDCWD) ::close(base);
    if (fd < 0) {
      errno = err;
      return -1;
    }
    base = fd;
    start = cut + 1;
  }
  const int fd = ::openat(base, path.c_str() + start, flags);
  const int err = errno;
  if (base != AT_FDCWD) ::close(base);
  errno = err;
  return fd;
}

// What one thread keeps: its counts, the display path of the entry in hand, and the
// subdirectories found in the directory it is walking, published in one go.
struct Local {
  unsigned worker = 0;  // its index among the threads, for WalkEntry::worker
  ScanStats stats;
  std::string path;
  std::vector<PendingDir> found;
};

class ParallelWalker {
 public:
  ParallelWalker(const WalkOptions& options, const Visitor& visit)
      : options_(options), visit_(visit) {}

  void set_roots(const std::vector<std::string>& roots) {
    for (const std::string& root : roots)
      if (auto resolved = canonical(root)) canonical_roots_.push_back(std::move(*resolved));
  }
  void add_root(const std::string& given, Local& local);
  void publish(Local& local);
  void work(Local& local);
  bool quit() const { return quit_; }
  void rethrow_failure() const {
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  WalkAction emit(Local& local, std::size_t root_prefix, std::string_view name, int dir_fd,
                  EntryType type, int depth, Problem problem = Problem::none,
                  std::string_view message = {});
  std::uint64_t device_of(const struct stat& st, std::string_view path) const {
    return options_.device_of ? options_.device_of(st, path) : static_cast<std::uint64_t>(st.st_dev);
  }
  void walk_directory(PendingDir dir, Local& local);
  void visit_files(const FileBatch& batch, Local& local);
  void visit_child(const PendingDir& dir, int fd, std::string_view name, EntryType type, Local& local);
  void enter_directory(const PendingDir* parent, int parent_fd, std::string_view name,
                       const struct stat& st, int depth, std::string open_path, Local& local);
  void follow_symlink(const PendingDir& dir, int fd, std::string_view name, int depth, Local& local);

  const WalkOptions& options_;
  const Visitor& visit_;
  std::vector<std::string> canonical_roots_;
  // The root being added: what enter_directory() needs of a root before it has a PendingDir.
  std::size_t adding_root_prefix_ = 0;
  std::uint64_t adding_root_device_ = 0;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<PendingDir> pending_;  // LIFO: keeps the list to depth x fan-out
  std::vector<FileBatch> batches_;   // taken before directories: few directories stay open
  unsigned busy_ = 0;                // threads walking a directory or batch, who may publish more
  std::atomic<bool> quit_{false};
  std::exception_ptr failure_;
};

WalkAction ParallelWalker::emit(Local& local, std::size_t root_prefix, std::string_view name,
                                int dir_fd, EntryType type, int depth, Problem problem,
                                std::string_view message) {
  WalkEntry entry =
      make_entry(local.path, root_prefix, name, dir_fd, type, depth, problem, message);
  entry.worker = local.worker;
  const WalkAction action = visit_(entry);
  if (action == WalkAction::quit) quit_ = true;
  return action;
}

void ParallelWalker::add_root(const std::string& given, Local& local) {
  local.path = without_trailing_slashes(given);
  const std::size_t root_prefix = local.path.size() + (local.path.back() == '/' ? 0 : 1);
  ++local.stats.entries;
  struct stat st {};
  // A root that is a symlink is followed, as find -H does: the user named it.
  if (::stat(local.path.c_str(), &st) != 0) {
    const std::string message = errno_text("cannot stat", errno);
    emit(local, root_prefix, local.path, AT_FDCWD, EntryType::unknown, 0, Problem::unreadable, message);
    return;
  }
  const EntryType type = type_of_mode(st.st_mode);
  std::string open_name = local.path;
  struct stat link {};
  if (::lstat(local.path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
    if (auto resolved = canonical(local.path)) open_name = std::move(*resolved);  // for O_NOFOLLOW
  if (type == EntryType::directory) {
    adding_root_prefix_ = root_prefix;
    adding_root_device_ = device_of(st, local.path);
    std::string open_path = open_name == local.path ? std::string() : open_name;
    enter_directory(nullptr, AT_FDCWD, open_name, st, 0, std::move(open_path), local);
  } else if (is_special(type)) {
    emit(local, root_prefix, open_name, AT_FDCWD, type, 0, Problem::special_file, describe(type));
  } else {
    emit(local, root_prefix, open_name, AT_FDCWD, type, 0);
  }
}

// `parent` is null for a root. The directory is visited here, in its parent's turn; it is
// listed later, by whichever thread takes it.
void ParallelWalker::enter_directory(const PendingDir* parent, int parent_fd, std::string_view name,
                                     const struct stat& st, int depth, std::string open_path,
                                     Local& local) {
  const std::size_t root_prefix = parent ? parent->root_prefix : adding_root_prefix_;
  const std::uint64_t root_device = parent ? parent->root_device : adding_root_device_;
  if (depth > 0 && !options_.cross_mounts && device_of(st, local.path) != root_device) {
    emit(local, root_prefix, name, parent_fd, EntryType::directory, depth, Problem::mount_point,
         "mount point, not crossed");
    return;
  }
  if (parent) {
    for (const Ancestor& ancestor : parent->ancestors) {
      if (ancestor.dev != st.st_dev || ancestor.ino != st.st_ino) continue;
      const std::string message = fmt::format("directory loop: the same directory as {}",
                                              std::string_view(local.path).substr(0, ancestor.path_length));
      emit(local, root_prefix, name, parent_fd, EntryType::directory, depth, Problem::symlink_loop, message);
      return;
    }
  }
  if (emit(local, root_prefix, name, parent_fd, EntryType::directory, depth) != WalkAction::next) return;
  if (options_.max_depth >= 0 && depth >= options_.max_depth) return;
  PendingDir dir;
  dir.path = local.path;
  dir.open_path = std::move(open_path);
  dir.root_prefix = root_prefix;
  dir.root_device = root_device;
  dir.depth = depth;
  dir.follow_last = parent == nullptr || parent_fd == AT_FDCWD;
  if (parent) dir.ancestors.reserve(parent->ancestors.size() + 1);
  if (parent) dir.ancestors = parent->ancestors;
  dir.ancestors.push_back({st.st_dev, st.st_ino, local.path.size()});
  local.found.push_back(std::move(dir));
}

void ParallelWalker::publish(Local& local) {
  if (local.found.empty()) return;
  const std::size_t count = local.found.size();
  {
    std::lock_guard lock(mutex_);
    for (PendingDir& dir : local.found) pending_.push_back(std::move(dir));
  }
  local.found.clear();
  if (count == 1) wake_.notify_one();
  else wake_.notify_all();
}

void ParallelWalker::work(Local& local) {
  for (;;) {
    std::optional<FileBatch> batch;
    PendingDir dir;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] {
        return quit_ || !batches_.empty() || !pending_.empty() || busy_ == 0;
      });
      if (quit_) break;
      if (!batches_.empty()) {
        batch = std::move(batches_.back());
        batches_.pop_back();
      } else if (!pending_.empty()) {
        dir = std::move(pending_.back());
        pending_.pop_back();
      } else {
        break;  // nothing left and nobody to add more
      }
      ++busy_;
    }
    try {
      if (batch) visit_files(*batch, local);
      else walk_directory(std::move(dir), local);
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
      quit_ = true;
    }
    batch.reset();  // the last batch of a directory closes it
    publish(local);
    std::lock_guard lock(mutex_);
    --busy_;
    if (quit_ || (busy_ == 0 && pending_.empty() && batches_.empty())) wake_.notify_all();
  }
  wake_.notify_all();
}

void ParallelWalker::walk_directory(PendingDir dir, Local& local) {
  if (quit_) return;
  local.path = dir.path;
  const std::string& target = dir.target();
  const int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (dir.follow_last ? 0 : O_NOFOLLOW);
  const int fd = open_directory(target, flags);
  if (fd < 0) {
    const std::string message = errno_text("cannot open directory", errno);
    emit(local, dir.root_prefix, target, AT_FDCWD, EntryType::directory, dir.depth, Problem::unreadable, message);
    return;
  }
  struct stat opened {};
  const Ancestor& self = dir.ancestors.back();
  if (::fstat(fd, &opened) != 0 || opened.st_dev != self.dev || opened.st_ino != self.ino) {
    ::close(fd);
    emit(local, dir.root_prefix, target, AT_FDCWD, EntryType::directory, dir.depth, Problem::changed,
         "directory replaced during the scan");
    return;
  }
  DirHandle handle(::fdopendir(fd));
  if (!handle) {
    const std::string message = errno_text("cannot list directory", errno);
    ::close(fd);
    emit(local, dir.root_prefix, target, AT_FDCWD, EntryType::directory, dir.depth, Problem::unreadable, message);
    return;
  }
  ++local.stats.directories;
  auto listed = std::make_shared<ListedDir>();
  Listing& listing = listed->listing;
  int list_error = 0;
  for (;;) {
    errno = 0;
    const dirent* d = ::readdir(handle.get());
    if (d == nullptr) {
      list_error = errno;
      break;
    }
    const std::string_view child(d->d_name);
    if (child == "." || child == "..") continue;
    listing.add(child, type_of_dirent(d->d_type));
  }
  local.stats.entries += listing.size();
  if (list_error != 0) {
    // What was listed before the failure is still walked.
    const std::string message = errno_text("cannot list directory", list_error);
    emit(local, dir.root_prefix, target, AT_FDCWD, EntryType::directory, dir.depth, Problem::unreadable, message);
  }
  // Subdirectories (and names whose type needs a stat to tell) first, and out to the other
  // threads before the files; then the files, in batches the other threads can take.
  const auto needs_stat = [](EntryType type) {
    return type == EntryType::directory || type == EntryType::unknown;
  };
  for (std::size_t i = 0; i < listing.size() && !quit_; ++i) {
    if (needs_stat(listing.type(i))) visit_child(dir, fd, listing.name(i), listing.type(i), local);
    else listed->files.push_back(i);
  }
  publish(local);
  const std::size_t files = listed->files.size();
  listed->dir = std::move(dir);
  listed->handle = std::move(handle);
  if (files > kFilesPerBatch) {
    {
      std::lock_guard lock(mutex_);
      for (std::size_t begin = kFilesPerBatch; begin < files; begin += kFilesPerBatch)
        batches_.push_back({listed, begin, std::min(files, begin + kFilesPerBatch)});
    }
    wake_.notify_all();
  }
  visit_files({std::move(listed), 0, std::min(files, kFilesPerBatch)}, local);
}

void ParallelWalker::visit_files(const FileBatch& batch, Local& local) {
  const ListedDir& listed = *batch.listed;
  local.path = listed.dir.path;
  for (std::size_t i = batch.begin; i < batch.end && !quit_; ++i) {
    const std::size_t entry = listed.files[i];
    visit_child(listed.dir, ::dirfd(listed.handle.get()), listed.listing.name(entry), listed.listing.type(entry), local);
  }
}

void ParallelWalker::visit_child(const PendingDir& dir, int fd, std::string_view name, EntryType type,
                                 Local& local) {
  const int depth = dir.depth + 1;
  local.path.resize(dir.path.size());
  if (dir.path.back() != '/') local.path += '/';
  local.path.append(name);
  struct stat st {};
  if (type == EntryType::unknown || type == EntryType::directory) {
    // AT_NO_AUTOMOUNT: looking at an automount point must not mount it.
    if (::fstatat(fd, name.data(), &st, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT) != 0) {
      const std::string message = errno_text("cannot stat", errno);
      emit(local, dir.root_prefix, name, fd, type, depth, Problem::unreadable, message);
      return;
    }
    type = type_of_mode(st.st_mode);
  }
  if (type == EntryType::directory) {
    std::string open_path;
    if (!dir.open_path.empty()) open_path = fmt::format("{}/{}", dir.open_path, name);
    return enter_directory(&dir, fd, name, st, depth, std::move(open_path), local);
  }
  if (type == EntryType::symlink) {
    if (options_.follow_symlinks) return follow_symlink(dir, fd, name, depth, local);
    emit(local, dir.root_prefix, name, fd, type, depth, Problem::symlink_not_followed, "symlink, not followed");
    return;
  }
  if (is_special(type)) {
    emit(local, dir.root_prefix, name, fd, type, depth, Problem::special_file, describe(type));
    return;
  }
  emit(local, dir.root_prefix, name, fd, type, depth);
}

// As in walk(): a link is followed only when its target lies inside one of the roots.
void ParallelWalker::follow_symlink(const PendingDir& dir, int fd, std::string_view name, int depth,
                                    Local& local) {
  const std::size_t prefix = dir.root_prefix;
  const auto resolved = canonical(local.path);
  if (!resolved) {
    const int err = errno;
    if (err == ELOOP)
      emit(local, prefix, name, fd, EntryType::symlink, depth, Problem::symlink_loop, errno_text("symlink loop", err));
    else if (err == ENOENT)
      emit(local, prefix, name, fd, EntryType::symlink, depth, Problem::symlink_broken, "broken symlink");
    else
      emit(local, prefix, name, fd, EntryType::symlink, depth, Problem::unreadable,
           errno_text("cannot resolve symlink", err));
    return;
  }
  const bool inside = std::any_of(canonical_roots_.begin(), canonical_roots_.end(),
                                  [&](const std::string& root) { return is_within(*resolved, root); });
  if (!inside) {
    emit(local, prefix, name, fd, EntryType::symlink, depth, Problem::symlink_outside,
         fmt::format("symlink to {}, outside the scanned tree", *resolved));
    return;
  }
  struct stat st {};
  if (::stat(resolved->c_str(), &st) != 0) {
    emit(local, prefix, name, fd, EntryType::symlink, depth, Problem::unreadable, errno_text("cannot stat", errno));
    return;
  }
  const EntryType type = type_of_mode(st.st_mode);
  if (type == EntryType::directory) return enter_directory(&dir, AT_FDCWD, *resolved, st, depth, *resolved, local);
  if (is_special(type)) {
    emit(local, prefix, *resolved, AT_FDCWD, type, depth, Problem::special_file, describe(type));
    return;
  }
  emit(local, prefix, *resolved, AT_FDCWD, type, depth);
}

}  // namespace

bool parallel_walk(const std::vector<std::string>& roots, const WalkOptions& options,
                   unsigned threads, const Visitor& visit, ScanStats& stats) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  ParallelWalker walker(options, visit);
  if (options.follow_symlinks) walker.set_roots(roots);
  std::vector<Local> locals(threads);
  for (unsigned i = 0; i < threads; ++i) locals[i].worker = i;
  for (const std::string& root : roots) {
    if (root.empty()) continue;
    walker.add_root(root, locals[0]);
    walker.publish(locals[0]);
    if (walker.quit()) break;
  }
  std::vector<std::thread> helpers;
  helpers.reserve(threads - 1);
  for (unsigned i = 1; i < threads; ++i)
    helpers.emplace_back([&walker, &local = locals[i]] { walker.work(local); });
  walker.work(locals[0]);
  for (std::thread& helper : helpers) helper.join();
  for (const Local& local : locals) {
    stats.directories += local.stats.directories;
    stats.entries += local.stats.entries;
    stats.files += local.stats.files;
  }
  walker.rethrow_failure();
  return !walker.quit();
}

}  // namespace enoexec::scan
