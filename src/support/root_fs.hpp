// A root file system: the files of a target machine (a directory here; an image's layer stack
// later), looked up with the kernel's path rules *inside* the root. This file owns the one
// resolver of such paths (fs/namei.c's walk: absolute symlink targets start again at the root,
// ".." never climbs above it, MAXSYMLINKS hops then ELOOP, a non-directory in the middle gives
// ENOTDIR, a missing name ENOENT); an implementation only answers for one entry at a time.
// Errors are the errno the kernel would give: callers tell ENOENT from ELOOP from EACCES.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "enoexec/error.hpp"
#include "support/byte_view.hpp"
#include "support/mapped_file.hpp"

namespace enoexec {

// The errno on failure, as the kernel would report it for the same path.
template <typename T>
using FsResult = tl::expected<T, int>;

// What lstat() tells of one entry.
struct FileStatus {
  enum class Kind { regular, directory, symlink, other };
  Kind kind = Kind::other;
  std::uint32_t mode = 0;  // st_mode, file type bits included
  std::uint64_t size = 0;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
};

// A path inside the root that names one entry without passing a symbolic link: every component
// but the last is a directory reached without links. Only RootFileSystem makes one, so an
// implementation can hand it to openat()/fstatat() and never be led outside the root.
class RootPath {
 public:
  const std::string& relative() const { return relative_; }  // "usr/lib" ("" is the root)
  std::string absolute() const { return "/" + relative_; }   // "/usr/lib", as the target sees it
  // True when the last component is not a link either (resolve() made it).
  bool followed() const { return followed_; }

 private:
  friend class RootFileSystem;
  RootPath(std::string relative, bool followed) : relative_(std::move(relative)), followed_(followed) {}
  std::string relative_;
  bool followed_ = false;
};

// A file's bytes up to a cap, and whether there were more.
struct CappedText {
  std::string bytes;
  bool truncated = false;
};

// The bytes of a whole regular file, however the file system holds them: mapped (a directory) or
// kept in memory (an image's layers are streamed, and only the files a verdict reads are kept).
class FileContents {
 public:
  explicit FileContents(MappedFile mapped) {
    auto owned = std::make_shared<MappedFile>(std::move(mapped));
    view_ = owned->view();
    owner_ = std::move(owned);
  }
  explicit FileContents(std::shared_ptr<const std::string> bytes)
      : view_(ByteView({reinterpret_cast<const std::uint8_t*>(bytes->data()), bytes->size()})),
        owner_(std::move(bytes)) {}
  ByteView view() const { return view_; }

 private:
  ByteView view_;
  std::shared_ptr<const void> owner_;
};

class RootFileSystem {
 public:
  virtual ~RootFileSystem() = default;

  // What an implementation answers, for one entry (its last component is never followed).
  // A non-regular file read as one fails with EINVAL; reads never block on a FIFO.
  virtual FsResult<FileStatus> status_of(const RootPath& path) const = 0;
  virtual FsResult<std::string> link_of(const RootPath& path) const = 0;
  // The first `max` bytes of a regular file (fewer when it is shorter).
  virtual FsResult<std::vector<std::uint8_t>> head_of(const RootPath& path, std::size_t max) const = 0;
  // A regular file up to `cap` bytes; reads to the end, so /proc files (size 0) read whole.
  virtual FsResult<CappedText> text_of(const RootPath& path, std::size_t cap) const = 0;
  // Entry names of a directory, without "." and "..", in the directory's own order, at most
  // `cap` of them (then truncated).
  virtual FsResult<std::vector<std::string>> entries_of(const RootPath& path, std::size_t cap,
                                                        bool& truncated) const = 0;
  // A whole regular file; the error says why not in MappedFile's words.
  virtual Result<FileContents> contents_of(const RootPath& path) const = 0;

  // `path` with every symbolic link followed. A relative path starts at `from`, an absolute path
  // inside the root already resolved (a current directory).
  FsResult<RootPath> resolve(std::string_view path, std::string_view from = "/") const;
  // `path` with every link but the last component followed: what lstat() and readlink() see.
  FsResult<RootPath> locate(std::string_view path, std::string_view from = "/") const;
  // `name` in `directory` (which resolve() made), not followed: one lookup instead of a walk.
  FsResult<RootPath> entry(const RootPath& directory, std::string_view name) const;

  // The same by path, following links as stat() and open() do.
  FsResult<FileStatus> stat(std::string_view path) const;
  FsResult<std::vector<std::uint8_t>> read_head(std::string_view path, std::size_t max) const;
  FsResult<CappedText> read_text(std::string_view path, std::size_t cap) const;
  FsResult<std::vector<std::string>> list(std::string_view path, std::size_t cap, bool& truncated) const;

 private:
  FsResult<RootPath> walk(std::string_view path, std::string_view from, bool follow_last) const;
};

// The root file system of a directory of this machine ("/" for the machine itself). Every
// lookup is relative to a descriptor of the root (openat, fstatat, readlinkat on a RootPath),
// so nothing above the root is ever touched. Safe to share between threads.
class DirectoryRoot final : public RootFileSystem {
 public:
  explicit DirectoryRoot(std::string root);
  DirectoryRoot(const DirectoryRoot&) = delete;
  DirectoryRoot& operator=(const DirectoryRoot&) = delete;
  ~DirectoryRoot() override;

  // The path on this machine of a path inside the root: "/srv/root" + "/usr/lib".
  std::string host_path(const RootPath& path) const;

  FsResult<FileStatus> status_of(const RootPath& path) const override;
  FsResult<std::string> link_of(const RootPath& path) const override;
  FsResult<std::vector<std::uint8_t>> head_of(const RootPath& path, std::size_t max) const override;
  FsResult<CappedText> text_of(const RootPath& path, std::size_t cap) const override;
  FsResult<std::vector<std::string>> entries_of(const RootPath& path, std::size_t cap,
                                                bool& truncated) const override;
  Result<FileContents> contents_of(const RootPath& path) const override;

 private:
  // A read-only descriptor of a regular file (O_NOFOLLOW, O_NONBLOCK), or the errno.
  FsResult<int> open_regular(const RootPath& path) const;

  std::string prefix_;  // the root without its trailing '/'; "" for "/"
  int root_fd_ = -1;    // O_PATH | O_DIRECTORY; -1 when the root cannot be opened (all ENOENT)
  int open_errno_ = 0;
};

}  // namespace enoexec
