// Reading a host's files under a root: bounded reads and directory listings with a cap, and a
// warning for each file that could not be read. Paths are looked up in a RootFileSystem
// (support/root_fs: a DirectoryRoot, or an image's layers), so symbolic links resolve *inside*
// the root (an absolute link target in a recorded tree names a file of that tree, not of the
// machine running the probe). Every read goes through it: an image's file has no path here.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/root_fs.hpp"

namespace enoexec::host {

// Size caps. cpuinfo of a many-core machine repeats every block per CPU, hence its larger cap.
inline constexpr std::size_t CPUINFO_CAP = 1 << 20;
inline constexpr std::size_t TEXT_CAP = 64 << 10;
inline constexpr std::size_t KERNEL_CONFIG_CAP = 1 << 20;
inline constexpr std::size_t MOUNTINFO_CAP = 1 << 20;
inline constexpr std::size_t APK_DB_CAP = 8 << 20;
// glibc's banner and musl's version string lie in .rodata, within the first few MiB.
inline constexpr std::size_t LIBC_SEARCH_CAP = 16 << 20;
inline constexpr std::size_t DIRECTORY_CAP = 4096;
// An ELF file's headers and its PT_INTERP string lie within its first page in every linker's
// layout; 64 KiB leaves room for odd ones. (An image keeps a program's first 4 KiB: its
// headers as linkers place them.)
inline constexpr std::size_t ELF_HEAD_CAP = 64 << 10;

class HostFiles {
 public:
  // A directory of this machine, read through a DirectoryRoot.
  explicit HostFiles(std::string root);
  // Any other root file system; never the live system. `root` is only its name.
  HostFiles(std::shared_ptr<const RootFileSystem> files, std::string root);

  // True for "/": the running system, where uname(2) and sysconf() describe the host.
  bool live() const { return live_; }
  const std::string& root() const { return root_; }

  // `host_path` ("/lib64/ld-linux-x86-64.so.2") with every symbolic link followed inside the
  // root, as the host sees it ("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"): one name per
  // file. Not a path on this machine: read it through this class. nullopt when it does not
  // resolve (missing, dangling link, loop).
  std::optional<std::string> resolve(std::string_view host_path) const;

  // The file's bytes, at most `cap` of them (a warning says when more were there). nullopt when
  // the file is absent; other failures (not a regular file, permission) also add a warning.
  std::optional<std::string> read(std::string_view host_path, std::size_t cap);

  // Entry names of a directory (without "." and ".."), sorted, at most DIRECTORY_CAP of them.
  std::vector<std::string> list(std::string_view host_path);

  // The whole file, read through the root; nullopt when the path does not resolve, an error (in
  // MappedFile's words) when it cannot be read.
  std::optional<Result<FileContents>> contents(std::string_view host_path) const;

  // The first `max` bytes of a regular file (its headers), nullopt when it cannot be read. An
  // image keeps only a program's head, not its whole bytes, so headers are read through this.
  std::optional<std::vector<std::uint8_t>> head(std::string_view host_path, std::size_t max) const;

  bool exists(std::string_view host_path) const { return resolve(host_path).has_value(); }

  void warn(std::string message) { warnings_.push_back(std::move(message)); }
  std::vector<std::string> take_warnings() { return std::move(warnings_); }

 private:
  std::string root_;  // as given
  std::shared_ptr<const RootFileSystem> files_;
  bool live_ = false;
  std::vector<std::string> warnings_;
};

}  // namespace enoexec::host
