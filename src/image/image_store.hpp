// Where an image's files are: the members of an OCI layout directory, or of a tar archive (an
// OCI archive, a `docker save`) on disk or on standard input. Members are named as inside the
// image ("index.json", "blobs/sha256/<hex>", "<id>/layer.tar") and reached without extracting:
// a directory's files through its DirectoryRoot (links never lead outside it), an uncompressed
// archive's members as byte ranges of the archive itself. Only a compressed archive or a pipe,
// which cannot be read twice, is spooled to the private temporary folder, member by member.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/error.hpp"
#include "enoexec/image.hpp"
#include "image/inflate.hpp"
#include "support/root_fs.hpp"
#include "support/unique_fd.hpp"

namespace enoexec {

namespace image {

// A private temporary folder (mode 0700), removed with its files when this goes.
class TempDir {
 public:
  static Result<std::unique_ptr<TempDir>> make(const std::string& parent);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // A new empty file in the folder, open for reading and writing.
  Result<UniqueFd> new_file();

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
  std::uint64_t files_ = 0;
};

// A member name as the image's tar or directory gives it, normalised: "./a//b" is "a/b",
// "a/../b" is "b". Empty when the name climbs above the top ("../x"), which no member may.
std::string normalise_member(std::string_view name);

}  // namespace image

class ImageStore {
 public:
  // `argument`: a directory (an OCI layout), a file, or "-" (standard input).
  static Result<std::unique_ptr<ImageStore>> open(const std::string& argument, const ImageOptions& options);
  ~ImageStore();

  bool is_directory() const { return directory_ != nullptr; }
  // Whether the archive was compressed or read from a pipe (its members were spooled).
  bool spooled() const { return spooled_; }
  bool has(std::string_view name) const;
  // A member read whole; fails when it is missing or longer than `cap` (then the message is
  // limit_exceeded(limit_name, ...)).
  Result<std::string> read(std::string_view name, std::uint64_t cap, std::string_view limit_name) const;
  // Where a member's bytes are, to stream them (shared by the layer readers; pread only).
  Result<image::BlobRange> range(std::string_view name) const;
  const std::vector<std::string>& warnings() const { return warnings_; }
  // A new file in the private temporary folder (a program too large to hold in memory while it
  // is inspected). Safe from several layer readers at once.
  Result<UniqueFd> spool_file() const;

 private:
  struct Member {
    std::uint64_t size = 0;
    int fd = -1;              // the archive, or a spool file of the temporary folder
    std::uint64_t offset = 0; // of the member's bytes in `fd`
    std::string link;         // a symbolic or hard link member: the member it names
  };
  ImageStore() = default;
  Result<void> read_archive(const std::string& argument, const ImageOptions& options);
  const Member* find(std::string_view name) const;

  std::unique_ptr<DirectoryRoot> directory_;
  mutable std::mutex mutex_;  // temp_ and opened_, from several layer readers
  mutable std::unique_ptr<image::TempDir> temp_;
  std::string temp_parent_;
  std::vector<UniqueFd> fds_;  // the archive and the spool files, closed with the store
  std::map<std::string, Member, std::less<>> members_;
  mutable std::map<std::string, UniqueFd, std::less<>> opened_;  // a directory's open blobs
  bool spooled_ = false;
  std::vector<std::string> warnings_;
};

}  // namespace enoexec
