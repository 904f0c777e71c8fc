// The real file system behind JudgeContext. Target paths are resolved by hand inside a root
// directory, one component at a time with fstatat/readlinkat relative to the root's descriptor,
// so neither an absolute symlink nor ".." can lead outside it.
//
// What the target's file system answers is remembered for the context's lifetime: `scan` judges
// thousands of programs against the same interpreters, ld.so.conf and library directories, and
// each lookup is otherwise a walk of fstatat() calls, one per path component. A context sees the
// target as it was when first asked; make a new one to see changes. judge() runs in many scan
// workers at once against one context, so the memos are thread-safe (see Memo).
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "enoexec/inspect.hpp"
#include "enoexec/verdict.hpp"
#include "verdict/rules.hpp"

namespace enoexec {
namespace {

constexpr int MAX_SYMLINK_HOPS = 40;  // the kernel's MAXSYMLINKS

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::deque<std::string> split_path(const std::string& path) {
  std::deque<std::string> parts;
  std::string part;
  for (const char c : path) {
    if (c == '/') {
      if (!part.empty()) parts.push_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  if (!part.empty()) parts.push_back(part);
  return parts;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "/") + part;
  return out;
}

// execve's permission check: root passes with any x bit, others need the bit for their class.
// The ids are read once: enoexec never changes its own, and a scan asks for every file.
bool may_exec(const struct stat& st) {
  const mode_t any_x = S_IXUSR | S_IXGRP | S_IXOTH;
  static const uid_t euid = ::geteuid();
  static const gid_t egid = ::getegid();
  if (euid == 0) return (st.st_mode & any_x) != 0;
  if (st.st_uid == euid) return (st.st_mode & S_IXUSR) != 0;
  if (st.st_gid == egid) return (st.st_mode & S_IXGRP) != 0;
  return (st.st_mode & S_IXOTH) != 0;
}

PathInfo describe(const struct stat& st) {
  PathInfo info;
  if (S_ISREG(st.st_mode)) {
    info.kind = PathInfo::Kind::regular;
  } else if (S_ISDIR(st.st_mode)) {
    info.kind = PathInfo::Kind::directory;
  } else {
    info.kind = PathInfo::Kind::other;
  }
  info.may_exec = may_exec(st);
  info.size = static_cast<std::uint64_t>(st.st_size);
  return info;
}

PathInfo missing(int error) {
  PathInfo info;
  info.kind = PathInfo::Kind::missing;
  info.error = error;
  return info;
}

// From offset 0 whatever the descriptor's position: a scan's descriptor is shared with inspect.
std::vector<std::uint8_t> read_head(int fd, std::size_t max) {
  std::vector<std::uint8_t> bytes(max);
  std::size_t got = 0;
  while (got < max) {
    const ssize_t n = ::pread(fd, bytes.data() + got, max - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  bytes.resize(got);
  return bytes;
}

// A bounded, thread-safe map from a lookup's key to its answer. Readers share the lock; an insert
// takes it alone. Two threads missing the same key both compute it and store equal answers,
// which is cheaper than making the second wait. When full, it starts over empty: memory stays
// bounded whatever the tree, and a scan's working set (a few interpreters, a few thousand
// library lookups) fits well within the bounds below.
template <typename Value>
class Memo {
 public:
  explicit Memo(std::size_t capacity) : capacity_(capacity) {}

  std::optional<Value> find(const std::string& key) const {
    const std::shared_lock lock(mutex_);
    const auto it = map_.find(key);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }

  void insert(const std::string& key, const Value& value) const {
    const std::unique_lock lock(mutex_);
    if (map_.size() >= capacity_) map_.clear();
    map_.insert_or_assign(key, value);
  }

  template <typename Compute>
  Value get(const std::string& key, Compute compute) const {
    if (auto found = find(key)) return std::move(*found);
    Value value = compute();
    insert(key, value);
    return value;
  }

 private:
  const std::size_t capacity_;
  mutable std::shared_mutex mutex_;
  mutable std::unordered_map<std::string, Value> map_;
};

// Bounds of the memos: path lookups are small (a PathInfo); heads are only remembered up to
// HEAD_MEMO_BYTES each (ld.so.conf and its includes, #! lines); reports are the interpreters'.
constexpr std::size_t PATH_MEMO_ENTRIES = 8192;
constexpr std::size_t DIRECTORY_MEMO_ENTRIES = 4096;
constexpr std::size_t HEAD_MEMO_ENTRIES = 64;
constexpr std::size_t HEAD_MEMO_BYTES = 64 * 1024;
constexpr std::size_t LIST_MEMO_ENTRIES = 256;
constexpr std::size_t REPORT_MEMO_ENTRIES = 64;

// A directory resolved inside the root: its root-relative path, or the errno that stopped it.
struct ResolvedDirectory {
  int error = 0;
  std::string relative;
};

std::string head_key(const std::string& path, std::size_t max) {
  return std::to_string(max) + ":" + path;
}

class RootContext final : public JudgeContext {
 public:
  RootContext(std::string root, bool live_mounts)
      : root_(std::move(root)),
        root_fd_(::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)),
        live_mounts_(live_mounts) {
    if (root_ == "/") {
      std::error_code ec;
      const auto parts = split_path(std::filesystem::current_path(ec).string());
      cwd_.assign(parts.begin(), parts.end());
    }
  }

  PathInfo subject(const std::string& path) const override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return missing(errno);
    PathInfo info = describe(st);
    info.resolved = path;
    // Judging another machine, the file's local mount says nothing about where it will be put
    // there, and the target's mount list does not apply to a local path either.
    info.noexec = live_mounts_ ? noexec_at(path) : std::optional<bool>(false);
    return info;
  }

  PathInfo open_subject(int fd, const std::string& path) const override {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return missing(errno);
    PathInfo info = describe(st);
    info.resolved = path;
    info.noexec = live_mounts_ ? noexec_of(fd) : std::optional<bool>(false);
    return info;
  }

  std::vector<std::uint8_t> subject_head(const std::string& path, std::size_t max) const override {
    const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) return {};
    return read_head(fd.get(), max);
  }

  PathInfo target(const std::string& path) const override {
    return paths_.get(path, [&] { return look_up(path); });
  }

  std::vector<std::uint8_t> target_head(const std::string& path, std::size_t max) const override {
    if (max > HEAD_MEMO_BYTES) return read_target_head(path, max);
    return heads_.get(head_key(path, max), [&] { return read_target_head(path, max); });
  }

  std::shared_ptr<const FileReport> target_report(const std::string& path) const override {
    return reports_.get(path, [&] { return inspect_target(path); });
  }

  std::vector<std::string> target_list(const std::string& directory) const override {
    return lists_.get(directory, [&] { return list_target(directory); });
  }

  std::vector<std::string> ld_so_conf_dirs() const override {
    return conf_dirs_.get("/etc/ld.so.conf", [&] { return JudgeContext::ld_so_conf_dirs(); });
  }

 private:
  PathInfo look_up(const std::string& path) const {
    std::string relative;
    struct stat st {};
    if (const int error = resolve_in_directory(path, relative, st); error != 0)
      return missing(error);
    PathInfo info = describe(st);
    info.resolved = "/" + relative;
    if (live_mounts_) info.noexec = noexec_at(info.resolved);
    return info;
  }

  std::vector<std::uint8_t> read_target_head(const std::string& path, std::size_t max) const {
    const Fd fd(open_target(path));
    if (fd.get() < 0) return {};
    return read_head(fd.get(), max);
  }

  std::shared_ptr<const FileReport> inspect_target(const std::string& path) const {
    const Fd fd(open_target(path));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
    return std::make_shared<const FileReport>(
        inspect_fd(fd.get(), static_cast<std::uint64_t>(st.st_size), path));
  }

  std::vector<std::string> list_target(const std::string& directory) const {
    std::string relative;
    if (resolve(directory, relative) != 0) return {};
    const int dir_fd = ::openat(root_fd_.get(), relative.empty() ? "." : relative.c_str(),
                                O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) return {};
    std::vector<std::string> names;
    std::error_code ec;
    const std::string proc = "/proc/self/fd/" + std::to_string(dir_fd);
    for (std::filesystem::directory_iterator it(proc, ec), end; !ec && it != end; it.increment(ec))
      names.push_back(it->path().filename().string());
    ::close(dir_fd);
    return names;
  }

  static std::optional<bool> noexec_at(const std::string& path) {
    struct statvfs vfs {};
    if (::statvfs(path.c_str(), &vfs) != 0) return std::nullopt;
    return (vfs.f_flag & ST_NOEXEC) != 0;
  }

  static std::optional<bool> noexec_of(int fd) {
    struct statvfs vfs {};
    if (::fstatvfs(fd, &vfs) != 0) return std::nullopt;
    return (vfs.f_flag & ST_NOEXEC) != 0;
  }

  int open_target(const std::string& path) const {
    std::string relative;
    if (resolve(path, relative) != 0) return -1;
    return ::openat(root_fd_.get(), relative.empty() ? "." : relative.c_str(),
                    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  }

  // resolve() and the status of what it names. A path's directory is resolved once and
  // remembered: a scan looks for thousands of libraries in the same few directories, each
  // lookup a walk of fstatat() from the root otherwise. Then only the last name is looked at,
  // unless it is a symlink, which the full walk follows.
  int resolve_in_directory(const std::string& path, std::string& relative, struct stat& st) const {
    const std::size_t slash = path.rfind('/');
    const std::string_view name =
        slash == std::string::npos ? std::string_view() : std::string_view(path).substr(slash + 1);
    if (!name.empty() && name != "." && name != "..") {
      const std::string directory = verdict::directory_of(path);
      const ResolvedDirectory parent = directories_.get(directory, [&] {
        ResolvedDirectory resolved;
        resolved.error = resolve(directory, resolved.relative);
        return resolved;
      });
      if (parent.error != 0) return parent.error;
      std::string here = parent.relative.empty() ? std::string(name)
                                                 : parent.relative + "/" + std::string(name);
      if (::fstatat(root_fd_.get(), here.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return errno;
      if (!S_ISLNK(st.st_mode)) {
        relative = std::move(here);
        return 0;
      }
    }
    if (const int error = resolve(path, relative); error != 0) return error;
    if (::fstatat(root_fd_.get(), relative.empty() ? "." : relative.c_str(), &st,
                  AT_SYMLINK_NOFOLLOW) != 0)
      return errno;
    return 0;
  }

  // Resolves `path` to a root-relative path without symlinks; returns 0 or an errno.
  int resolve(const std::string& path, std::string& relative) const {
    if (root_fd_.get() < 0) return ENOENT;
    std::vector<std::string> done = path.starts_with('/') ? std::vector<std::string>{} : cwd_;
    std::deque<std::string> todo = split_path(path);
    int hops = 0;
    while (!todo.empty()) {
      const std::string part = todo.front();
      todo.pop_front();
      if (part == ".") continue;
      if (part == "..") {
        if (!done.empty()) done.pop_back();
        continue;
      }
      done.push_back(part);
      const std::string here = join(done);
      struct stat st {};
      if (::fstatat(root_fd_.get(), here.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return errno;
      if (S_ISLNK(st.st_mode)) {
        if (++hops > MAX_SYMLINK_HOPS) return ELOOP;
        std::string link(4096, '\0');
        const ssize_t n = ::readlinkat(root_fd_.get(), here.c_str(), link.data(), link.size());
        if (n < 0) return errno;
        link.resize(static_cast<std::size_t>(n));
        done.pop_back();
        if (link.starts_with('/')) done.clear();
        std::deque<std::string> parts = split_path(link);
        todo.insert(todo.begin(), parts.begin(), parts.end());
      } else if (!todo.empty() && !S_ISDIR(st.st_mode)) {
        return ENOTDIR;
      }
    }
    relative = join(done);
    return 0;
  }

  std::string root_;
  Fd root_fd_;
  bool live_mounts_;
  std::vector<std::string> cwd_;
  Memo<PathInfo> paths_{PATH_MEMO_ENTRIES};
  Memo<ResolvedDirectory> directories_{DIRECTORY_MEMO_ENTRIES};
  Memo<std::vector<std::uint8_t>> heads_{HEAD_MEMO_ENTRIES};
  Memo<std::vector<std::string>> lists_{LIST_MEMO_ENTRIES};
  Memo<std::shared_ptr<const FileReport>> reports_{REPORT_MEMO_ENTRIES};
  Memo<std::vector<std::string>> conf_dirs_{1};
};

class UnknownTargetContext final : public JudgeContext {
 public:
  PathInfo subject(const std::string& path) const override { return inner_.subject(path); }
  PathInfo open_subject(int fd, const std::string& path) const override {
    return inner_.open_subject(fd, path);
  }
  std::vector<std::uint8_t> subject_head(const std::string& path, std::size_t max) const override {
    return inner_.subject_head(path, max);
  }
  PathInfo target(const std::string&) const override { return {}; }
  std::vector<std::uint8_t> target_head(const std::string&, std::size_t) const override {
    return {};
  }
  std::shared_ptr<const FileReport> target_report(const std::string&) const override {
    return nullptr;
  }
  std::vector<std::string> target_list(const std::string&) const override { return {}; }

 private:
  RootContext inner_{"/", false};
};

}  // namespace

PathInfo JudgeContext::open_subject(int /*fd*/, const std::string& path) const {
  return subject(path);
}

std::vector<std::uint8_t> OpenSubjectContext::subject_head(const std::string& /*path*/,
                                                           std::size_t max) const {
  return read_head(fd_, max);
}

std::unique_ptr<JudgeContext> make_root_context(const std::string& root, bool live_mounts) {
  return std::make_unique<RootContext>(root, live_mounts);
}

std::unique_ptr<JudgeContext> make_unknown_target_context() {
  return std::make_unique<UnknownTargetContext>();
}

}  // namespace enoexec
