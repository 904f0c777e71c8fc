#include "support/root_fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <utility>

#include <fmt/format.h>

#include "enoexec/kernel.hpp"
#include "support/unique_fd.hpp"

namespace enoexec {
namespace {

// The names of a path, without empty ones ("//") and "." (which names the directory it is in).
std::deque<std::string> components(std::string_view path) {
  std::deque<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    const std::string_view part = path.substr(start, end - start);
    if (!part.empty() && part != ".") out.emplace_back(part);
    start = end + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

FileStatus status_from(const struct stat& st) {
  FileStatus status;
  if (S_ISREG(st.st_mode)) {
    status.kind = FileStatus::Kind::regular;
  } else if (S_ISDIR(st.st_mode)) {
    status.kind = FileStatus::Kind::directory;
  } else if (S_ISLNK(st.st_mode)) {
    status.kind = FileStatus::Kind::symlink;
  }
  status.mode = st.st_mode;
  status.size = static_cast<std::uint64_t>(st.st_size);
  status.uid = st.st_uid;
  status.gid = st.st_gid;
  return status;
}


class Dir {
 public:
  explicit Dir(DIR* dir) : dir_(dir) {}
  Dir(const Dir&) = delete;
  Dir& operator=(const Dir&) = delete;
  ~Dir() {
    if (dir_ != nullptr) ::closedir(dir_);
  }
  DIR* get() const { return dir_; }

 private:
  DIR* dir_;
};

// openat() and friends name the root itself "."; a RootPath names it "".
const char* at(const RootPath& path) {
  return path.relative().empty() ? "." : path.relative().c_str();
}

}  // namespace

// fs/namei.c, one component at a time: a symlink's target replaces it (an absolute target
// starts again at the root, which is the "/" of everything inside it), ".." at the root stays
// there, a name that is not a directory cannot be walked through (ENOTDIR), and more than
// MAXSYMLINKS links in one lookup fail with ELOOP, so a loop ends there too.
FsResult<RootPath> RootFileSystem::walk(std::string_view path, std::string_view from,
                                        bool follow_last) const {
  std::vector<std::string> done;
  if (!path.starts_with('/')) {
    for (auto& part : components(from)) done.push_back(std::move(part));
  }
  std::deque<std::string> todo = components(path);
  int hops = 0;
  while (!todo.empty()) {
    std::string part = std::move(todo.front());
    todo.pop_front();
    if (part == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    done.push_back(std::move(part));
    const RootPath here(join(done), false);
    const auto status = status_of(here);
    if (!status) return tl::unexpected(status.error());
    const bool last = todo.empty();
    if (status->kind == FileStatus::Kind::symlink && (!last || follow_last)) {
      if (++hops > kernel::MAXSYMLINKS) return tl::unexpected(ELOOP);
      const auto target = link_of(here);
      if (!target) return tl::unexpected(target.error());
      if (target->empty()) return tl::unexpected(ENOENT);  // the kernel's answer to ""
      done.pop_back();
      if (target->starts_with('/')) done.clear();
      std::deque<std::string> more = components(*target);
      todo.insert(todo.begin(), more.begin(), more.end());
    } else if (!last && status->kind != FileStatus::Kind::directory) {
      return tl::unexpected(ENOTDIR);
    }
  }
  return RootPath(join(done), follow_last);
}

FsResult<RootPath> RootFileSystem::resolve(std::string_view path, std::string_view from) const {
  return walk(path, from, true);
}

FsResult<RootPath> RootFileSystem::locate(std::string_view path, std::string_view from) const {
  return walk(path, from, false);
}

FsResult<RootPath> RootFileSystem::entry(const RootPath& directory, std::string_view name) const {
  if (!directory.followed()) return tl::unexpected(ENOTDIR);
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string_view::npos)
    return tl::unexpected(EINVAL);
  const std::string& base = directory.relative();
  return RootPath(base.empty() ? std::string(name) : base + "/" + std::string(name), false);
}

FsResult<FileStatus> RootFileSystem::stat(std::string_view path) const {
  return resolve(path).and_then([&](const RootPath& p) { return status_of(p); });
}

FsResult<std::vector<std::uint8_t>> RootFileSystem::read_head(std::string_view path,
                                                              std::size_t max) const {
  return resolve(path).and_then([&](const RootPath& p) { return head_of(p, max); });
}

FsResult<CappedText> RootFileSystem::read_text(std::string_view path, std::size_t cap) const {
  return resolve(path).and_then([&](const RootPath& p) { return text_of(p, cap); });
}

FsResult<std::vector<std::string>> RootFileSystem::list(std::string_view path, std::size_t cap,
                                                        bool& truncated) const {
  return resolve(path).and_then([&](const RootPath& p) { return entries_of(p, cap, truncated); });
}

DirectoryRoot::DirectoryRoot(std::string root) : prefix_(std::move(root)) {
  root_fd_ = ::open(prefix_.empty() ? "." : prefix_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root_fd_ < 0) open_errno_ = errno;
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
}

DirectoryRoot::~DirectoryRoot() {
  if (root_fd_ >= 0) ::close(root_fd_);
}

std::string DirectoryRoot::host_path(const RootPath& path) const {
  const std::string out = prefix_ + path.absolute();
  return out.size() > 1 && out.back() == '/' ? out.substr(0, out.size() - 1) : out;
}

// A root that cannot be opened has nothing in it.
FsResult<FileStatus> DirectoryRoot::status_of(const RootPath& path) const {
  if (root_fd_ < 0) return tl::unexpected(ENOENT);
  struct stat st {};
  if (::fstatat(root_fd_, at(path), &st, AT_SYMLINK_NOFOLLOW) != 0) return tl::unexpected(errno);
  return status_from(st);
}

FsResult<std::string> DirectoryRoot::link_of(const RootPath& path) const {
  if (root_fd_ < 0) return tl::unexpected(ENOENT);
  std::string target(4096, '\0');  // PATH_MAX: the kernel refuses longer link bodies
  const ssize_t n = ::readlinkat(root_fd_, at(path), target.data(), target.size());
  if (n < 0) return tl::unexpected(errno);
  if (static_cast<std::size_t>(n) >= target.size()) return tl::unexpected(ENAMETOOLONG);
  target.resize(static_cast<std::size_t>(n));
  return target;
}

// O_NONBLOCK: a FIFO planted in the tree must not block the open; O_NOFOLLOW: the last name is
// a link only for a path locate() made, and following it is the resolver's job.
FsResult<int> DirectoryRoot::open_regular(const RootPath& path) const {
  if (root_fd_ < 0) return tl::unexpected(ENOENT);
  const int fd =
      ::openat(root_fd_, at(path), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return tl::unexpected(errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return tl::unexpected(EINVAL);
  }
  return fd;
}

FsResult<std::vector<std::uint8_t>> DirectoryRoot::head_of(const RootPath& path,
                                                           std::size_t max) const {
  const auto opened = open_regular(path);
  if (!opened) return tl::unexpected(opened.error());
  const UniqueFd fd(*opened);
  std::vector<std::uint8_t> bytes(max);
  std::size_t got = 0;
  while (got < max) {
    const ssize_t n = ::pread(fd.get(), bytes.data() + got, max - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return tl::unexpected(errno);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  bytes.resize(got);
  return bytes;
}

// /proc files report size 0: read until EOF, one byte past the cap to know it was cut.
FsResult<CappedText> DirectoryRoot::text_of(const RootPath& path, std::size_t cap) const {
  const auto opened = open_regular(path);
  if (!opened) return tl::unexpected(opened.error());
  const UniqueFd fd(*opened);
  CappedText text;
  char buffer[16384];
  while (text.bytes.size() <= cap) {
    const std::size_t want = std::min(sizeof buffer, cap + 1 - text.bytes.size());
    const ssize_t got = ::read(fd.get(), buffer, want);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return tl::unexpected(errno);
    if (got == 0) break;
    text.bytes.append(buffer, static_cast<std::size_t>(got));
  }
  if (text.bytes.size() > cap) {
    text.bytes.resize(cap);
    text.truncated = true;
  }
  return text;
}

FsResult<std::vector<std::string>> DirectoryRoot::entries_of(const RootPath& path, std::size_t cap,
                                                             bool& truncated) const {
  truncated = false;
  if (root_fd_ < 0) return tl::unexpected(ENOENT);
  const int fd = ::openat(root_fd_, at(path), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return tl::unexpected(errno);
  const Dir dir(::fdopendir(fd));
  if (dir.get() == nullptr) {
    const int error = errno;
    ::close(fd);
    return tl::unexpected(error);
  }
  std::vector<std::string> names;
  while (const dirent* entry = ::readdir(dir.get())) {
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    if (names.size() == cap) {
      truncated = true;
      break;
    }
    names.emplace_back(name);
  }
  return names;
}

// MappedFile::open's checks and words, through the root's descriptor.
Result<FileContents> DirectoryRoot::contents_of(const RootPath& path) const {
  const std::string shown = host_path(path);
  const auto io_error = [&](std::string_view action, int error) {
    return make_error(ErrorCode::io, 0, fmt::format("{}: {}: {}", action, shown, std::strerror(error)));
  };
  const auto status = status_of(path);
  if (!status) return io_error("cannot stat", status.error());
  if (status->kind != FileStatus::Kind::regular)
    return make_error(ErrorCode::not_regular, 0,
                      fmt::format("{} is a {}; only regular files are read", shown,
                                  describe_file_type(status->mode)));
  const auto opened = open_regular(path);
  if (!opened) return io_error("cannot open", opened.error());
  const UniqueFd fd(*opened);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("cannot stat", errno);
  auto mapped = MappedFile::from_fd(fd.get(), static_cast<std::uint64_t>(st.st_size));
  if (!mapped) return tl::unexpected(mapped.error());
  return FileContents(std::move(*mapped));
}

}  // namespace enoexec
