// The parallel scheduler over the walk core (scan/walk_core.hpp): every thread takes admitted
// directories from one shared LIFO list, opens and lists them, visits their subdirectories
// first (publishing the admitted ones at once, for idle threads), then shares their files out
// in batches any thread may take.
#include "scan/parallel_walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "scan/walk_core.hpp"

namespace enoexec::scan {
namespace {

using namespace walk_detail;

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
  Parent parent(int fd) const {
    return Parent{fd, path.size(), root_prefix, root_device, depth, open_path, ancestors};
  }
};

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

// What one thread keeps besides its Place: the subdirectories admitted in the directory it is
// walking, published in one go.
struct Local {
  Place place;
  std::vector<PendingDir> found;
};

class ParallelWalker final : public WalkCore {
 public:
  // `locals`: one per thread, by Place::worker.
  ParallelWalker(const WalkOptions& options, const Visitor& visit, std::vector<Local>& locals)
      : WalkCore(options, visit), locals_(locals) {}

  void add_root(const std::string& given, Local& local) { WalkCore::add_root(local.place, given); }
  void publish(Local& local);
  void work(Local& local);
  void rethrow_failure() const {
    if (failure_) std::rethrow_exception(failure_);
  }

 private:
  void descend(Place& place, const Parent* parent, Admitted admitted) override;
  void walk_directory(PendingDir dir, Local& local);
  void visit_files(const FileBatch& batch, Local& local);

  std::vector<Local>& locals_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<PendingDir> pending_;  // LIFO: keeps the list to depth x fan-out
  std::vector<FileBatch> batches_;   // taken before directories: few directories stay open
  unsigned busy_ = 0;                // threads walking a directory or batch, who may publish more
  std::exception_ptr failure_;
};

// Admitted in its parent's turn; listed later, by whichever thread takes it.
void ParallelWalker::descend(Place& place, const Parent* parent, Admitted admitted) {
  PendingDir dir;
  dir.path = place.path;
  dir.open_path = std::move(admitted.open_path);
  dir.root_prefix = admitted.root_prefix;
  dir.root_device = admitted.root_device;
  dir.depth = admitted.depth;
  dir.follow_last = admitted.follow_last;
  if (parent) {
    dir.ancestors.reserve(parent->ancestors.size() + 1);
    dir.ancestors.assign(parent->ancestors.begin(), parent->ancestors.end());
  }
  dir.ancestors.push_back({admitted.st->st_dev, admitted.st->st_ino, place.path.size()});
  locals_[place.worker].found.push_back(std::move(dir));
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
        return quit() || !batches_.empty() || !pending_.empty() || busy_ == 0;
      });
      if (quit()) break;
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
      stop();
    }
    batch.reset();  // the last batch of a directory closes it
    publish(local);
    std::lock_guard lock(mutex_);
    --busy_;
    if (quit() || (busy_ == 0 && pending_.empty() && batches_.empty())) wake_.notify_all();
  }
  wake_.notify_all();
}

void ParallelWalker::walk_directory(PendingDir dir, Local& local) {
  if (quit()) return;
  Place& place = local.place;
  place.path = dir.path;
  const std::string& target = dir.target();
  ListRequest request;
  request.path = &target;
  request.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (dir.follow_last ? 0 : O_NOFOLLOW);
  request.dev = dir.ancestors.back().dev;
  request.ino = dir.ancestors.back().ino;
  request.root_prefix = dir.root_prefix;
  request.depth = dir.depth;
  request.shown_name = target;
  std::optional<Opened> opened = open_listed(place, request);
  if (!opened) return;
  auto listed = std::make_shared<ListedDir>();
  listed->listing = std::move(opened->listing);
  const Listing& listing = listed->listing;
  const int fd = ::dirfd(opened->handle.get());
  // Subdirectories (and names whose type needs a stat to tell) first, and out to the other
  // threads before the files; then the files, in batches the other threads can take.
  const auto needs_stat = [](EntryType type) {
    return type == EntryType::directory || type == EntryType::unknown;
  };
  {
    const Parent parent = dir.parent(fd);
    for (std::size_t i = 0; i < listing.size() && !quit(); ++i) {
      if (needs_stat(listing.type(i))) visit_child(place, parent, listing.name(i), listing.type(i));
      else listed->files.push_back(i);
    }
  }
  publish(local);
  const std::size_t files = listed->files.size();
  listed->dir = std::move(dir);
  listed->handle = std::move(opened->handle);
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
  local.place.path = listed.dir.path;
  const Parent parent = listed.dir.parent(::dirfd(listed.handle.get()));
  for (std::size_t i = batch.begin; i < batch.end && !quit(); ++i) {
    const std::size_t entry = listed.files[i];
    visit_child(local.place, parent, listed.listing.name(entry), listed.listing.type(entry));
  }
}

}  // namespace

bool parallel_walk(const std::vector<std::string>& roots, const WalkOptions& options,
                   unsigned threads, const Visitor& visit, ScanStats& stats) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<Local> locals(threads);
  ParallelWalker walker(options, visit, locals);
  if (options.follow_symlinks) walker.set_roots(roots);
  for (unsigned i = 0; i < threads; ++i) locals[i].place.worker = i;
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
    stats.directories += local.place.stats.directories;
    stats.entries += local.place.stats.entries;
    stats.files += local.place.stats.files;
  }
  walker.rethrow_failure();
  return !walker.quit();
}

}  // namespace enoexec::scan
