// A scratch directory tree for the scan tests, removed (permissions restored first) at the end.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "scan/walker.hpp"

namespace enoexec::testing {

class TempTree {
 public:
  TempTree() {
    std::string pattern = (std::filesystem::temp_directory_path() / "enoexec-scan-XXXXXX").string();
    if (::mkdtemp(pattern.data()) != nullptr) root_ = pattern;
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;
  ~TempTree() {
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root_, ec);
         it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
      if (it->is_directory(ec) && !it->is_symlink(ec))
        std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(root_, ec);
  }

  const std::string& root() const { return root_; }
  std::string path(const std::string& relative) const { return root_ + "/" + relative; }

  void dir(const std::string& relative) const {
    std::filesystem::create_directories(path(relative));
  }
  void file(const std::string& relative, const std::string& content = {}) const {
    const std::filesystem::path target = path(relative);
    std::filesystem::create_directories(target.parent_path());
    std::ofstream(target, std::ios::binary) << content;
  }
  void symlink(const std::string& target, const std::string& relative) const {
    std::error_code ec;
    std::filesystem::create_symlink(target, path(relative), ec);
  }
  bool fifo(const std::string& relative) const {
    return ::mkfifo(path(relative).c_str(), 0644) == 0;
  }

 private:
  std::string root_;
};

// Descriptors this process has open now: a scan must close every one it opened.
inline int open_descriptors() {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    (void)entry;
    ++count;
  }
  return count;
}

// A walk in a stable order, so tests can compare whole sequences.
inline scan::WalkOptions sorted_options(bool follow_symlinks = false) {
  scan::WalkOptions options;
  options.sorted = true;
  options.follow_symlinks = follow_symlinks;
  return options;
}

}  // namespace enoexec::testing
