// A read-only memory mapping of one regular file. Pages are read only when a parser touches
// them, so inspecting a large binary costs what its headers cost.
#pragma once

#include <cstdint>
#include <string>

#include "enoexec/error.hpp"
#include "support/byte_view.hpp"

namespace enoexec {

class MappedFile {
 public:
  // Opens `path` for reading only if it is a regular file. FIFOs, sockets, devices and
  // directories are refused before open() could block on them.
  static Result<MappedFile> open(const std::string& path);
  // Maps `size` bytes of an already open regular file (the caller checked it with fstat, as
  // `scan` does for every file it opens). The descriptor stays the caller's to close; the
  // mapping outlives it.
  static Result<MappedFile> from_fd(int fd, std::uint64_t size);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  ByteView view() const { return ByteView({data_, size_}); }
  std::uint64_t size() const { return size_; }

 private:
  MappedFile(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// What a non-regular file is, for messages: "FIFO", "socket", "character device", ...
std::string describe_file_type(unsigned mode);

}  // namespace enoexec
