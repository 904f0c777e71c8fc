#include "inspect/script_host.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <climits>
#include <unordered_map>

#include "formats/script/host_findings.hpp"
#include "formats/script/kernel_line.hpp"
#include "support/mapped_file.hpp"

namespace enoexec {
namespace {

// The targets of the symbolic links met at the path itself, hop by hop. stat() settles the
// truth; this only explains it ("python" -> "python2", which is gone).
std::vector<std::string> follow_symlinks(const std::string& path) {
  std::vector<std::string> targets;
  std::string current = path;
  for (int hop = 0; hop < script::MAX_SYMLINK_HOPS; ++hop) {
    struct stat st {};
    if (::lstat(current.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) break;
    std::array<char, PATH_MAX> buffer{};
    const ssize_t length = ::readlink(current.c_str(), buffer.data(), buffer.size());
    if (length <= 0) break;
    std::string target(buffer.data(), static_cast<std::size_t>(length));
    current = target.front() == '/' ? target : current.substr(0, current.rfind('/') + 1) + target;
    targets.push_back(std::move(target));
  }
  return targets;
}

// At most BINPRM_BUF_SIZE bytes of a regular file. O_NONBLOCK: a path swapped for a FIFO after
// stat() must not block the open.
std::optional<std::string> read_head(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::optional<std::string> head;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    std::array<char, script::BINPRM_BUF_SIZE> buffer{};
    std::size_t filled = 0;
    while (filled < buffer.size()) {
      const ssize_t got = ::read(fd, buffer.data() + filled, buffer.size() - filled);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      filled += static_cast<std::size_t>(got);
    }
    head = std::string(buffer.data(), filled);
  }
  ::close(fd);
  return head;
}

script::InterpreterOnHost probe(const std::string& path) {
  script::InterpreterOnHost host;
  host.symlinks = follow_symlinks(path);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    host.stat_errno = errno;
    return host;
  }
  host.file_type = describe_file_type(st.st_mode);
  host.executable = (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
  if (S_ISREG(st.st_mode)) host.head = read_head(path);
  return host;
}

// A scan meets the same few interpreters (/bin/sh, /usr/bin/env, /usr/bin/perl) in thousands
// of scripts: each thread keeps what it found for a second rather than asking the file system
// again (lstat, readlink, stat, open, read, close) for every script.
const script::InterpreterOnHost& probe_recently(const std::string& path) {
  using Clock = std::chrono::steady_clock;
  constexpr auto kFresh = std::chrono::seconds(1);
  constexpr std::size_t kMaxRemembered = 64;
  struct Probed {
    Clock::time_point when;
    script::InterpreterOnHost host;
  };
  thread_local std::unordered_map<std::string, Probed> recent;
  const auto now = Clock::now();
  if (auto it = recent.find(path); it != recent.end() && now - it->second.when < kFresh)
    return it->second.host;
  if (recent.size() >= kMaxRemembered) recent.clear();
  Probed& slot = recent[path];
  slot = Probed{now, probe(path)};
  return slot.host;
}

}  // namespace

void check_script_interpreter_on_host(FileReport& report) {
  if (!report.script || !report.script->interpreter) return;
  const std::string& path = *report.script->interpreter;
  if (path.empty() || path.front() != '/') return;
  script::add_host_findings(probe_recently(path), *report.script);
}

}  // namespace enoexec
