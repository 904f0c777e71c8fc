// A root file system held in memory, for tests of what reads through RootFileSystem (the judge
// context, the host probe): files, links and the directories they imply, never this machine's.
#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/root_fs.hpp"

namespace enoexec::test {

// A root file system held in a map: "usr/lib/x" -> its entry ("" is the root). Read-only once
// built, so many threads may read it.
class MemoryRoot final : public RootFileSystem {
 public:
  struct Node {
    FileStatus::Kind kind = FileStatus::Kind::directory;
    std::string data;  // a file's bytes, a link's target
    std::uint32_t mode = 0755;
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
  };

  MemoryRoot() { nodes_[""] = Node{}; }

  void file(const std::string& path, const std::vector<std::uint8_t>& bytes,
            std::uint32_t mode = 0755, std::uint32_t uid = 0, std::uint32_t gid = 0) {
    add(path, {FileStatus::Kind::regular, std::string(bytes.begin(), bytes.end()), mode, uid, gid});
  }
  void file(const std::string& path, const std::string& text, std::uint32_t mode = 0755) {
    add(path, {FileStatus::Kind::regular, text, mode, 0, 0});
  }
  void text(const std::string& path, const std::string& text, std::uint32_t mode = 0755) { file(path, text, mode); }
  void link(const std::string& path, const std::string& target) {
    add(path, {FileStatus::Kind::symlink, target, 0777, 0, 0});
  }

  // How often a whole file was read: reports made elsewhere spare it.
  int contents_read() const { return contents_read_.load(); }

  FsResult<FileStatus> status_of(const RootPath& path) const override {
    const Node* node = find(path);
    if (node == nullptr) return tl::unexpected(ENOENT);
    const std::uint32_t type = node->kind == FileStatus::Kind::regular     ? S_IFREG
                               : node->kind == FileStatus::Kind::symlink ? S_IFLNK
                                                                         : S_IFDIR;
    return FileStatus{node->kind, type | node->mode, node->data.size(), node->uid, node->gid};
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
    const std::string& data = **bytes;
    return std::vector<std::uint8_t>(data.begin(), data.begin() + static_cast<std::ptrdiff_t>(
                                                                     std::min(max, data.size())));
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
  Result<FileContents> contents_of(const RootPath& path) const override {
    ++contents_read_;
    const auto bytes = regular(path);
    if (!bytes) return make_error(ErrorCode::io, 0, path.absolute() + ": cannot read");
    return FileContents(std::make_shared<const std::string>(**bytes));
  }

 private:
  // Parents become directories, as an image's layers make them.
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
  mutable std::atomic<int> contents_read_{0};
};

}  // namespace enoexec::test
