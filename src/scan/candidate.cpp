#include "scan/candidate.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "formats/identify.hpp"
#include "support/mapped_file.hpp"

namespace enoexec::scan {
namespace {

// identify() needs at most 8 bytes (a universal header's slice count); 64 leaves room for
// whatever a later magic wants, at the cost of the same single page read.
constexpr std::size_t head_size = 64;

}  // namespace

Result<OpenedFile> open_regular_at(int dir_fd, const char* name) {
  const int fd = ::openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return make_error(ErrorCode::io, 0, fmt::format("cannot open: {}", std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return make_error(ErrorCode::io, 0, fmt::format("cannot stat: {}", std::strerror(err)));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error(ErrorCode::not_regular, 0,
                      fmt::format("{}, not read", describe_file_type(st.st_mode)));
  }
  return OpenedFile{fd, static_cast<std::uint64_t>(st.st_size)};
}

Result<Format> sniff_format(int fd) {
  std::array<std::uint8_t, head_size> head{};
  ssize_t got = 0;
  do {
    got = ::pread(fd, head.data(), head.size(), 0);
  } while (got < 0 && errno == EINTR);
  if (got < 0) return make_error(ErrorCode::io, 0, fmt::format("cannot read: {}", std::strerror(errno)));
  return identify(ByteView({head.data(), static_cast<std::size_t>(got)}));
}

void inspect_candidate(int fd, std::uint64_t size, ScanResult& result,
                       const InspectOptions& options) {
  const auto format = sniff_format(fd);
  if (!format) {
    result.outcome = ScanOutcome::error;
    result.note = format.error().what;
    return;
  }
  if (!is_candidate(*format)) {
    result.outcome = ScanOutcome::not_candidate;
    return;
  }
  result.outcome = ScanOutcome::candidate;
  result.report = inspect_fd(fd, size, result.path, options);
}

}  // namespace enoexec::scan
