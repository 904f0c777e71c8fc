// probe_root(): the host probe over a root file system that is no directory of this machine (an
// image's layers). Every file, links and aliases included, is read through the root.
#include <gtest/gtest.h>

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "enoexec/host.hpp"
#include "host/probe_root.hpp"

namespace enoexec {
namespace {

// A root file system held in a map: "usr/lib/x" -> its entry ("" is the root).
class MemoryRoot final : public RootFileSystem {
 public:
  struct Node {
    FileStatus::Kind kind = FileStatus::Kind::directory;
    std::string data;  // a file's bytes, a link's target
  };

  MemoryRoot() { nodes_[""] = Node{}; }

  void file(const std::string& path, const std::string& bytes) {
    add(path, {FileStatus::Kind::regular, bytes});
  }
  void link(const std::string& path, const std::string& target) {
    add(path, {FileStatus::Kind::symlink, target});
  }

  FsResult<FileStatus> status_of(const RootPath& path) const override {
    const Node* node = find(path);
    if (node == nullptr) return tl::unexpected(ENOENT);
    const std::uint32_t type = node->kind == FileStatus::Kind::regular     ? S_IFREG | 0644
                               : node->kind == FileStatus::Kind::symlink ? S_IFLNK | 0777
                                                                         : S_IFDIR | 0755;
    return FileStatus{node->kind, type, node->data.size(), 0, 0};
  }
  FsResult<std::string> link_of(const RootPath& path) const override {
    const Node* node = find(path);
    if (node == nullptr) return tl::unexpected(ENOENT);
    if (node->kind != FileStatus::Kind::symlink) return tl::unexpected(EINVAL);
    return node->data;
  }
  FsResult<std::vector<std::uint8_t>> head_of(const RootPath& path, std::size_t max) const override {
    const auto bytes = regular(path);
    if (!bytes) return tl::unexpected(bytes.error());
    const std::string head = (*bytes)->substr(0, max);
    return std::vector<std::uint8_t>(head.begin(), head.end());
  }
  FsResult<CappedText> text_of(const RootPath& path, std::size_t cap) const override {
    const auto bytes = regular(path);
    if (!bytes) return tl::unexpected(bytes.error());
    return CappedText{(*bytes)->substr(0, cap), (*bytes)->size() > cap};
  }
  FsResult<std::vector<std::string>> entries_of(const RootPath& path, std::size_t cap,
                                                bool& truncated) const override {
    truncated = false;
    const Node* node = find(path);
    if (node == nullptr) return tl::unexpected(ENOENT);
    if (node->kind != FileStatus::Kind::directory) return tl::unexpected(ENOTDIR);
    const std::string prefix = path.relative().empty() ? "" : path.relative() + "/";
    std::vector<std::string> names;
    for (const auto& [key, child] : nodes_) {
      if (key.empty() || !key.starts_with(prefix) || key.find('/', prefix.size()) != std::string::npos)
        continue;
      if (names.size() == cap) {
        truncated = true;
        break;
      }
      names.push_back(key.substr(prefix.size()));
    }
    return names;
  }
  // Mapped from a memfd: FileContents holds a mapping, and the bytes need no file of this machine.
  Result<FileContents> contents_of(const RootPath& path) const override {
    const auto bytes = regular(path);
    if (!bytes) return make_error(ErrorCode::io, 0, path.absolute() + ": cannot read");
    const int fd = ::memfd_create("enoexec-test", MFD_CLOEXEC);
    if (fd < 0) return make_error(ErrorCode::io, 0, "memfd_create failed");
    const std::string& data = **bytes;
    const bool written = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
    auto mapped = MappedFile::from_fd(fd, data.size());
    ::close(fd);
    if (!written) return make_error(ErrorCode::io, 0, "memfd write failed");
    if (!mapped) return tl::unexpected(mapped.error());
    return FileContents(std::move(*mapped));
  }

 private:
  void add(const std::string& path, Node node) {
    const std::string key = path.substr(path.find_first_not_of('/'));
    for (std::size_t slash = key.find('/'); slash != std::string::npos; slash = key.find('/', slash + 1))
      nodes_.try_emplace(key.substr(0, slash), Node{});
    nodes_[key] = std::move(node);
  }
  const Node* find(const RootPath& path) const {
    const auto it = nodes_.find(path.relative());
    return it == nodes_.end() ? nullptr : &it->second;
  }
  FsResult<const std::string*> regular(const RootPath& path) const {
    const Node* node = find(path);
    if (node == nullptr) return tl::unexpected(ENOENT);
    if (node->kind != FileStatus::Kind::regular) return tl::unexpected(EINVAL);
    return &node->data;
  }

  std::map<std::string, Node> nodes_;
};

// Alpine 3.19's files as an image holds them: musl's loader is its libc, with its version as a
// lone string beside its usage text (host/text_files.cpp, find_musl_version).
std::shared_ptr<MemoryRoot> alpine_root() {
  auto root = std::make_shared<MemoryRoot>();
  root->file("/etc/os-release",
             "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=\"Alpine Linux v3.19\"\n");
  root->file("/etc/alpine-release", "3.19.1\n");
  root->file("/proc/sys/kernel/arch", "x86_64\n");
  using namespace std::string_literals;
  root->file("/lib/ld-musl-x86_64.so.1", "\x7f" "ELF?\0musl libc (x86_64)\0Version %s\0"s + "1.2.4\0"s);
  root->link("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1");
  root->link("/lib64", "/lib");  // absolute: an alias inside the root, counted once
  return root;
}

TEST(ProbeRoot, ReadsAnAlpineRootThroughItsFileSystem) {
  const HostInfo host = probe_root(alpine_root(), "alpine:3.19");
  EXPECT_EQ(host.root, "alpine:3.19");
  EXPECT_EQ(host.os_release,
            (HostOsRelease{"alpine", "", "3.19.1", "Alpine Linux v3.19", "3.19.1", ""}));
  EXPECT_EQ(host.kernel.arch, Arch::amd64);
  EXPECT_EQ(host.kernel.source, "proc/sys/kernel");
  EXPECT_EQ(host.libc.flavour, Libc::musl);
  EXPECT_EQ(host.libc.version, "1.2.4");
  EXPECT_EQ(host.libc.source, "loaders present");
  ASSERT_EQ(host.libc.loaders.size(), 1u);
  EXPECT_EQ(host.libc.loaders[0],
            (HostLoader{"/lib/ld-musl-x86_64.so.1", Libc::musl, Arch::amd64, 64, "file name"}));
  ASSERT_EQ(host.libc.libraries.size(), 1u);
  EXPECT_EQ(host.libc.libraries[0].version, "1.2.4");
  EXPECT_EQ(host.libc.libraries[0].source, "version string");
}

// Named "/", it is still not this machine: nothing comes from uname(2) or sysconf().
TEST(ProbeRoot, IsNeverTheLiveSystem) {
  const HostInfo host = probe_root(std::make_shared<MemoryRoot>(), "/");
  EXPECT_EQ(host.root, "/");
  EXPECT_EQ(host.kernel.source, "proc/sys/kernel");
  EXPECT_EQ(host.kernel.arch, Arch::unknown);
  EXPECT_FALSE(host.page_size);
  EXPECT_EQ(host.libc.flavour, Libc::none);
}

}  // namespace
}  // namespace enoexec
