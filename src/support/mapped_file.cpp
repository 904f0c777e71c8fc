#include "support/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "enoexec/kernel.hpp"

namespace enoexec {
namespace {

tl::unexpected<Error> io_error(const std::string& path, std::string_view action, int err) {
  return make_error(ErrorCode::io, 0, fmt::format("{}: {}: {}", action, path, std::strerror(err)));
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string describe_file_type(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return "regular file";
    case S_IFDIR: return "directory";
    case S_IFIFO: return "FIFO";
    case S_IFSOCK: return "socket";
    case S_IFCHR: return "character device";
    case S_IFBLK: return "block device";
    case S_IFLNK: return "symbolic link";
    default: return "special file";
  }
}

Result<MappedFile> MappedFile::open(const std::string& path) {
  struct stat before {};
  if (::stat(path.c_str(), &before) != 0) {
    // The kernel follows at most MAXSYMLINKS symbolic links per lookup; a loop hits it too.
    if (errno == ELOOP)
      return make_error(ErrorCode::limit_exceeded, 0,
                        fmt::format("symlink hops: {}: more than {} symbolic links to follow, or "
                                    "a loop (ELOOP)",
                                    path, kernel::MAXSYMLINKS));
    return io_error(path, "cannot stat", errno);
  }
  if (!S_ISREG(before.st_mode))
    return make_error(ErrorCode::not_regular, 0,
                      fmt::format("{} is a {}; only regular files are read", path,
                                  describe_file_type(before.st_mode)));
  // O_NONBLOCK: should the path be swapped for a FIFO after stat(), open() must not block.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0) return io_error(path, "cannot open", errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error(path, "cannot stat", errno);
  if (!S_ISREG(st.st_mode))
    return make_error(ErrorCode::not_regular, 0,
                      fmt::format("{} is a {}; only regular files are read", path,
                                  describe_file_type(st.st_mode)));
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size == 0) return MappedFile(nullptr, 0);
  void* data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (data == MAP_FAILED) return io_error(path, "cannot map", errno);
  return MappedFile(static_cast<const std::uint8_t*>(data), size);
}

Result<MappedFile> MappedFile::from_fd(int fd, std::uint64_t size) {
  if (size == 0) return MappedFile(nullptr, 0);
  if (static_cast<std::uint64_t>(static_cast<std::size_t>(size)) != size)
    return make_error(ErrorCode::limit_exceeded, 0,
                      fmt::format("a file of {} bytes does not fit the address space", size));
  const auto length = static_cast<std::size_t>(size);
  void* data = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE, fd, 0);
  if (data == MAP_FAILED)
    return make_error(ErrorCode::io, 0, fmt::format("cannot map: {}", std::strerror(errno)));
  return MappedFile(static_cast<const std::uint8_t*>(data), length);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    this->~MappedFile();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<std::uint8_t*>(data_), size_);
}

}  // namespace enoexec
