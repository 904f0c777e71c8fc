// The real file system behind JudgeContext. Target paths are looked up in a RootFileSystem
// (support/root_fs: a DirectoryRoot for --root and the live host, an image's layers), whose
// resolver follows the kernel's rules inside the root, so neither an absolute symlink nor ".."
// can lead outside it. The subject is this machine's file, or with subject_in_root the root's.
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
#include "support/root_fs.hpp"
#include "support/unique_fd.hpp"
#include "verdict/fs_context.hpp"
#include "verdict/rules.hpp"

namespace enoexec {
namespace {

// Whose permission execve checks. This process's ids are read once: enoexec never changes its
// own, and a scan asks for every file.
struct Caller {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
};

Caller caller_of(const FsContextOptions& options) {
  static const uid_t euid = ::geteuid();
  static const gid_t egid = ::getegid();
  return {options.uid.value_or(euid), options.gid.value_or(egid)};
}

// execve's permission check: root passes with any x bit, others need the bit for their class.
bool may_exec(const FileStatus& st, const Caller& caller) {
  const mode_t any_x = S_IXUSR | S_IXGRP | S_IXOTH;
  if (caller.uid == 0) return (st.mode & any_x) != 0;
  if (st.uid == caller.uid) return (st.mode & S_IXUSR) != 0;
  if (st.gid == caller.gid) return (st.mode & S_IXGRP) != 0;
  return (st.mode & S_IXOTH) != 0;
}

PathInfo describe(const FileStatus& st, const Caller& caller) {
  PathInfo info;
  if (st.kind == FileStatus::Kind::regular) {
    info.kind = PathInfo::Kind::regular;
  } else if (st.kind == FileStatus::Kind::directory) {
    info.kind = PathInfo::Kind::directory;
  } else {
    info.kind = PathInfo::Kind::other;
  }
  info.may_exec = may_exec(st, caller);
  info.size = st.size;
  return info;
}

PathInfo describe(const struct stat& st, const Caller& caller) {
  FileStatus status;
  status.kind = S_ISREG(st.st_mode)   ? FileStatus::Kind::regular
                : S_ISDIR(st.st_mode) ? FileStatus::Kind::directory
                                      : FileStatus::Kind::other;
  status.mode = st.st_mode;
  status.size = static_cast<std::uint64_t>(st.st_size);
  status.uid = st.st_uid;
  status.gid = st.st_gid;
  return describe(status, caller);
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

// A directory resolved inside the root, or the errno that stopped it.
using ResolvedDirectory = FsResult<RootPath>;

std::string head_key(const std::string& path, std::size_t max) {
  return std::to_string(max) + ":" + path;
}

class FsContext final : public JudgeContext {
 public:
  // `cwd` is where a relative path starts: the current directory when the root is this machine.
  FsContext(std::shared_ptr<const RootFileSystem> files, FsContextOptions options, std::string cwd)
      : files_(std::move(files)),
        options_(std::move(options)),
        caller_(caller_of(options_)),
        cwd_(std::move(cwd)) {}

  PathInfo subject(const std::string& path) const override {
    if (options_.subject_in_root) return look_up_subject(path);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return missing(errno);
    PathInfo info = describe(st, caller_);
    info.resolved = path;
    // Judging another machine, the file's local mount says nothing about where it will be put
    // there, and the target's mount list does not apply to a local path either.
    info.noexec = options_.live_mounts ? noexec_at(path) : std::optional<bool>(false);
    return info;
  }

  // A descriptor is of this machine's file, which a subject in the root is not.
  PathInfo open_subject(int fd, const std::string& path) const override {
    if (options_.subject_in_root) return look_up_subject(path);
    struct stat st {};
    if (::fstat(fd, &st) != 0) return missing(errno);
    PathInfo info = describe(st, caller_);
    info.resolved = path;
    info.noexec = options_.live_mounts ? noexec_of(fd) : std::optional<bool>(false);
    return info;
  }

  std::vector<std::uint8_t> subject_head(const std::string& path, std::size_t max) const override {
    if (options_.subject_in_root) return read_target_head(path, max);
    const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
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
    const auto found = resolve_in_directory(path);
    if (!found) return missing(found.error());
    PathInfo info = describe(found->second, caller_);
    info.resolved = found->first.absolute();
    if (options_.live_mounts) info.noexec = noexec_at(info.resolved);
    return info;
  }

  // Not remembered: each subject is asked for once. Where it will sit on the target is the
  // root's, so only a live root's own mounts say noexec.
  PathInfo look_up_subject(const std::string& path) const {
    const auto found = files_->resolve(path, cwd_);
    if (!found) return missing(found.error());
    const auto status = files_->status_of(*found);
    if (!status) return missing(status.error());
    PathInfo info = describe(*status, caller_);
    info.resolved = found->absolute();
    info.noexec = options_.live_mounts ? noexec_at(info.resolved) : std::optional<bool>(false);
    return info;
  }

  std::vector<std::uint8_t> read_target_head(const std::string& path, std::size_t max) const {
    return files_->resolve(path, cwd_)
        .and_then([&](const RootPath& p) { return files_->head_of(p, max); })
        .value_or(std::vector<std::uint8_t>{});
  }

  // Not inspect_file(): the interpreter is the target's, so its own #! interpreter is not
  // looked up on this host. A report made elsewhere (an image's, while streaming its layers)
  // spares reading the file, which may be kept nowhere.
  std::shared_ptr<const FileReport> inspect_target(const std::string& path) const {
    const auto found = files_->resolve(path, cwd_);
    if (!found) return nullptr;
    if (options_.report_of) {
      if (auto report = options_.report_of(found->absolute())) return report;
    }
    const auto contents = files_->contents_of(*found);
    if (!contents) return nullptr;
    const ByteView bytes = contents->view();
    return std::make_shared<const FileReport>(
        inspect_bytes({bytes.data(), static_cast<std::size_t>(bytes.size())}, path));
  }

  std::vector<std::string> list_target(const std::string& directory) const {
    bool truncated = false;
    return files_->list(directory, SIZE_MAX, truncated).value_or(std::vector<std::string>{});
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

  // files_->resolve(), with a path's directory resolved once and remembered: a scan looks for
  // thousands of libraries in the same few directories, each lookup a walk of fstatat() from
  // the root otherwise. Then only the last name is looked at, unless it is a symlink, which the
  // full walk follows.
  FsResult<std::pair<RootPath, FileStatus>> resolve_in_directory(const std::string& path) const {
    const std::size_t slash = path.rfind('/');
    const std::string_view name =
        slash == std::string::npos ? std::string_view() : std::string_view(path).substr(slash + 1);
    if (!name.empty() && name != "." && name != "..") {
      const std::string directory = verdict::directory_of(path);
      const ResolvedDirectory parent =
          directories_.get(directory, [&] { return files_->resolve(directory, cwd_); });
      if (!parent) return tl::unexpected(parent.error());
      auto here = files_->entry(*parent, name);
      if (!here) return tl::unexpected(here.error());
      const auto status = files_->status_of(*here);
      if (!status) return tl::unexpected(status.error());
      if (status->kind != FileStatus::Kind::symlink) return std::pair(std::move(*here), *status);
    }
    auto resolved = files_->resolve(path, cwd_);
    if (!resolved) return tl::unexpected(resolved.error());
    const auto status = files_->status_of(*resolved);
    if (!status) return tl::unexpected(status.error());
    return std::pair(std::move(*resolved), *status);
  }

  std::shared_ptr<const RootFileSystem> files_;
  FsContextOptions options_;
  Caller caller_;
  std::string cwd_;
  Memo<PathInfo> paths_{PATH_MEMO_ENTRIES};
  Memo<ResolvedDirectory> directories_{DIRECTORY_MEMO_ENTRIES};
  Memo<std::vector<std::uint8_t>> heads_{HEAD_MEMO_ENTRIES};
  Memo<std::vector<std::string>> lists_{LIST_MEMO_ENTRIES};
  Memo<std::shared_ptr<const FileReport>> reports_{REPORT_MEMO_ENTRIES};
  Memo<std::vector<std::string>> conf_dirs_{1};
};

class UnknownTargetContext final : public JudgeContext {
 public:
  PathInfo subject(const std::string& path) const override { return inner_->subject(path); }
  PathInfo open_subject(int fd, const std::string& path) const override {
    return inner_->open_subject(fd, path);
  }
  std::vector<std::uint8_t> subject_head(const std::string& path, std::size_t max) const override {
    return inner_->subject_head(path, max);
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
  std::unique_ptr<JudgeContext> inner_ = make_root_context("/", false);
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
  std::string cwd = "/";
  if (root == "/") {
    std::error_code ec;
    std::string current = std::filesystem::current_path(ec).string();
    if (!ec) cwd = std::move(current);
  }
  FsContextOptions options;
  options.live_mounts = live_mounts;
  return std::make_unique<FsContext>(std::make_shared<const DirectoryRoot>(root), std::move(options),
                                     std::move(cwd));
}

std::unique_ptr<JudgeContext> make_fs_context(std::shared_ptr<const RootFileSystem> root,
                                              FsContextOptions options) {
  return std::make_unique<FsContext>(std::move(root), std::move(options), "/");
}

std::unique_ptr<JudgeContext> make_unknown_target_context() {
  return std::make_unique<UnknownTargetContext>();
}

}  // namespace enoexec
