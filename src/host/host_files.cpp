#include "host/host_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>

#include <fmt/format.h>

#include "platform/text.hpp"
#include "support/mapped_file.hpp"

namespace enoexec::host {
namespace {

bool absent(int err) { return err == ENOENT || err == ENOTDIR || err == ELOOP; }

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

class Directory {
 public:
  explicit Directory(const std::string& path) : dir_(::opendir(path.c_str())) {}
  Directory(const Directory&) = delete;
  Directory& operator=(const Directory&) = delete;
  ~Directory() {
    if (dir_) ::closedir(dir_);
  }
  DIR* get() const { return dir_; }

 private:
  DIR* dir_;
};

std::deque<std::string> components(std::string_view path) {
  std::deque<std::string> out;
  for (std::string_view part : platform_text::split(path, '/'))
    if (!part.empty() && part != ".") out.emplace_back(part);
  return out;
}

std::optional<std::string> read_link(const std::string& path) {
  char buffer[PATH_MAX];
  const ssize_t length = ::readlink(path.c_str(), buffer, sizeof buffer);
  if (length <= 0 || static_cast<std::size_t>(length) >= sizeof buffer) return std::nullopt;
  return std::string(buffer, static_cast<std::size_t>(length));
}

}  // namespace

HostFiles::HostFiles(std::string root) : root_(std::move(root)), prefix_(root_) {
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
}

// Walks the path one component at a time with lstat(), so every link — in the middle of the
// path too (/lib -> usr/lib) — is followed relative to the root, with the kernel's hop limit.
std::optional<std::string> HostFiles::resolve(std::string_view host_path) const {
  if (live()) {
    // The kernel resolves the path; realpath() gives one name per file, so aliases
    // (/lib/ld-linux.so.2 -> /lib32/ld-linux.so.2) can be recognised.
    char real[PATH_MAX];
    const std::string path(host_path);
    return ::realpath(path.c_str(), real) ? std::optional(std::string(real)) : std::nullopt;
  }
  std::deque<std::string> pending = components(host_path);
  std::vector<std::string> done;
  int hops = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.front());
    pending.pop_front();
    if (part == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    std::string here = prefix_;
    for (const auto& d : done) here += "/" + d;
    here += "/" + part;
    struct stat st {};
    if (::lstat(here.c_str(), &st) != 0) return std::nullopt;
    if (!S_ISLNK(st.st_mode)) {
      done.push_back(std::move(part));
      continue;
    }
    const auto target = read_link(here);
    if (!target || ++hops > SYMLINK_HOPS) return std::nullopt;
    if (target->starts_with('/')) done.clear();
    auto more = components(*target);
    pending.insert(pending.begin(), more.begin(), more.end());
  }
  std::string out = prefix_;
  for (const auto& d : done) out += "/" + d;
  return out.empty() ? std::string("/") : out;
}

std::optional<std::string> HostFiles::read(std::string_view host_path, std::size_t cap) {
  const auto path = resolve(host_path);
  if (!path) return std::nullopt;
  // O_NONBLOCK: a FIFO planted in a recorded tree must not block the probe.
  Descriptor fd(::open(path->c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (fd.get() < 0) {
    const int err = errno;
    if (!absent(err)) warn(fmt::format("{}: cannot open: {}", host_path, std::strerror(err)));
    return std::nullopt;
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    warn(fmt::format("{}: not a regular file ({})", host_path, describe_file_type(st.st_mode)));
    return std::nullopt;
  }
  // /proc files report size 0: read until EOF, one byte past the cap to know it was cut.
  std::string text;
  char buffer[16384];
  while (text.size() <= cap) {
    const std::size_t want = std::min(sizeof buffer, cap + 1 - text.size());
    const ssize_t got = ::read(fd.get(), buffer, want);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      warn(fmt::format("{}: read failed after {} bytes: {}", host_path, text.size(), std::strerror(errno)));
      break;
    }
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  if (text.size() > cap) {
    text.resize(cap);
    warn(fmt::format("{}: longer than {} bytes; read only those", host_path, cap));
  }
  return text;
}

std::vector<std::string> HostFiles::list(std::string_view host_path) {
  std::vector<std::string> names;
  const auto path = resolve(host_path);
  if (!path) return names;
  Directory dir(*path);
  if (!dir.get()) return names;
  while (const dirent* entry = ::readdir(dir.get())) {
    const std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    if (names.size() == DIRECTORY_CAP) {
      warn(fmt::format("{}: more than {} entries; listed only those", host_path, DIRECTORY_CAP));
      break;
    }
    names.emplace_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace enoexec::host
