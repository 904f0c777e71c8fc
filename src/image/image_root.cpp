#include "image/image_root.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <deque>
#include <functional>

#include <fmt/format.h>

namespace enoexec::image {

struct ImageRoot::Node {
  FileStatus::Kind kind = FileStatus::Kind::directory;
  std::uint32_t mode = S_IFDIR | 0755;
  std::uint32_t uid = 0, gid = 0;
  std::uint64_t size = 0;
  std::string link;  // a symlink's target
  std::shared_ptr<const FileData> data;
  std::size_t layer = 0;
  std::map<std::string, std::unique_ptr<Node>, std::less<>> children;
};

namespace {

using Node = ImageRoot::Node;

std::deque<std::string> split(std::string_view path) {
  std::deque<std::string> parts;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (!part.empty()) parts.emplace_back(part);
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  }
  return parts;
}

std::uint64_t count(const Node& node) {
  std::uint64_t n = 1;
  for (const auto& [name, child] : node.children) n += count(*child);
  return n;
}

std::uint32_t type_bits(FileStatus::Kind kind) {
  switch (kind) {
    case FileStatus::Kind::regular:
      return S_IFREG;
    case FileStatus::Kind::directory:
      return S_IFDIR;
    case FileStatus::Kind::symlink:
      return S_IFLNK;
    case FileStatus::Kind::other:
      break;
  }
  return 0;
}

}  // namespace

ImageRoot::ImageRoot(std::vector<LayerContents> layers, const Limits& limits)
    : root_(std::make_unique<Node>()), max_nodes_(limits.layer_entries), symlink_hops_(limits.symlink_hops) {
  for (std::size_t i = 0; i < layers.size(); ++i) {
    for (LayerEntry& entry : layers[i].entries) apply(i, entry);
  }
}

ImageRoot::~ImageRoot() = default;

// Applies one member, as containerd's applier does: parent directories are looked up in the
// root built so far, following its symbolic links (a layer's "lib/x" lands in usr/lib on a
// merged-/usr system), missing ones are made; the last name replaces what was there, but for a
// directory over a directory, which keeps its children.
void ImageRoot::apply(std::size_t layer, LayerEntry& entry) {
  std::deque<std::string> parts = split(entry.path);
  if (parts.empty()) return;
  std::string name = parts.back();
  parts.pop_back();
  const auto warn = [&](std::string_view why) {
    warnings_.push_back(fmt::format("layer {}: {}: {}", layer + 1, entry.path, why));
  };
  // Walks `queue` from `stack` (the root first), following links; false when it cannot.
  std::uint64_t hops = 0;
  const std::function<bool(std::vector<Node*>&, std::deque<std::string>, bool)> walk =
      [&](std::vector<Node*>& stack, std::deque<std::string> queue, bool create) {
        while (!queue.empty()) {
          const std::string part = std::move(queue.front());
          queue.pop_front();
          if (part.empty() || part == ".") continue;
          if (part == "..") {
            if (stack.size() > 1) stack.pop_back();
            continue;
          }
          Node& here = *stack.back();
          auto it = here.children.find(part);
          if (it == here.children.end()) {
            if (!create || nodes_ >= max_nodes_) return false;
            auto made = std::make_unique<Node>();
            made->layer = layer;
            ++nodes_;
            it = here.children.emplace(part, std::move(made)).first;
          }
          Node& child = *it->second;
          if (child.kind == FileStatus::Kind::symlink) {
            if (++hops > symlink_hops_) return false;
            std::deque<std::string> target = split(child.link);
            if (child.link.starts_with('/')) stack.resize(1);
            for (auto rest = target.rbegin(); rest != target.rend(); ++rest) queue.push_front(*rest);
            continue;
          }
          if (child.kind != FileStatus::Kind::directory) return false;
          stack.push_back(&child);
        }
        return true;
      };

  std::vector<Node*> stack{root_.get()};
  if (entry.whiteout == LayerEntry::Whiteout::opaque) {
    if (!walk(stack, parts, false)) return;  // nothing below to hide
    // Hide what lower layers put in the directory; this layer's own entries stay.
    const std::function<void(Node&)> purge = [&](Node& dir) {
      for (auto it = dir.children.begin(); it != dir.children.end();) {
        if (it->second->layer < layer) {
          nodes_ -= count(*it->second);
          it = dir.children.erase(it);
        } else {
          purge(*it->second);
          ++it;
        }
      }
    };
    const std::string dir =
        parts.empty() ? std::string() : fmt::format("/{}", std::string_view(entry.path).substr(0, entry.path.rfind('/')));
    for (const auto& [child, node] : stack.back()->children) {
      if (node->layer < layer) deleted_[dir + "/" + child] = layer;
    }
    purge(*stack.back());
    return;
  }
  if (!walk(stack, parts, entry.whiteout == LayerEntry::Whiteout::none)) {
    if (entry.whiteout == LayerEntry::Whiteout::none) {
      warn(nodes_ >= max_nodes_ ? limit_exceeded("layer entries", fmt::format("the root has {} entries; the rest are not applied", nodes_))
                                : std::string("a parent is not a directory, or its links loop; not applied"));
    }
    return;
  }
  Node& parent = *stack.back();
  if (entry.whiteout == LayerEntry::Whiteout::file) {
    const auto it = parent.children.find(std::string_view(name).substr(4));
    if (it != parent.children.end() && it->second->layer < layer) {
      const std::size_t slash = entry.path.rfind('/');
      const std::string_view dir = slash == std::string::npos ? std::string_view() : std::string_view(entry.path).substr(0, slash);
      deleted_[fmt::format("{}{}/{}", dir.empty() ? "" : "/", dir, it->first)] = layer;
      nodes_ -= count(*it->second);
      parent.children.erase(it);
    }
    return;
  }
  auto made = std::make_unique<Node>();
  made->layer = layer;
  made->kind = entry.kind;
  made->mode = (entry.mode & 07777) | type_bits(entry.kind);
  made->uid = entry.uid;
  made->gid = entry.gid;
  made->size = entry.size;
  made->data = std::move(entry.data);
  if (entry.kind == FileStatus::Kind::symlink) made->link = entry.link;
  if (entry.hardlink) {
    // The spec's links name a file of the same layer; some producers name a lower layer's,
    // which containerd's applier links all the same. A link whose target is not there yet (a
    // later layer's, or none) cannot be made.
    std::deque<std::string> target_parts = split(entry.link);
    if (target_parts.empty()) return warn("a hard link without a target; not applied");
    const std::string target_name = target_parts.back();
    target_parts.pop_back();
    std::vector<Node*> target_stack{root_.get()};
    const Node* target = nullptr;
    if (walk(target_stack, target_parts, false)) {
      const auto it = target_stack.back()->children.find(target_name);
      if (it != target_stack.back()->children.end()) target = it->second.get();
    }
    if (target == nullptr || target->kind == FileStatus::Kind::directory) {
      return warn(fmt::format("a hard link to '{}', which is not in this or a lower layer; not applied", entry.link));
    }
    if (target->layer < layer) warn(fmt::format("a hard link to '{}' of a lower layer; linked as containerd does", entry.link));
    made->kind = target->kind;
    made->mode = target->mode;
    made->uid = target->uid;
    made->gid = target->gid;
    made->size = target->size;
    made->link = target->link;
    made->data = target->data;
  }
  auto it = parent.children.find(name);
  if (it != parent.children.end()) {
    Node& old = *it->second;
    if (old.kind == FileStatus::Kind::directory && made->kind == FileStatus::Kind::directory) {
      old.mode = made->mode;
      old.uid = made->uid;
      old.gid = made->gid;
      old.layer = layer;
      return;
    }
    nodes_ -= count(old);
    parent.children.erase(it);
  }
  if (nodes_ >= max_nodes_) {
    return warn(limit_exceeded("layer entries", fmt::format("the root has {} entries; the rest are not applied", nodes_)));
  }
  ++nodes_;
  parent.children.emplace(std::move(name), std::move(made));
}

const ImageRoot::Node* ImageRoot::find(const std::string& relative) const {
  const Node* node = root_.get();
  for (const std::string& part : split(relative)) {
    if (node->kind != FileStatus::Kind::directory) return nullptr;
    const auto it = node->children.find(part);
    if (it == node->children.end()) return nullptr;
    node = it->second.get();
  }
  return node;
}

std::vector<ImageRoot::File> ImageRoot::files() const {
  std::vector<File> out;
  const std::function<void(const Node&, const std::string&)> visit = [&](const Node& node, const std::string& path) {
    for (const auto& [name, child] : node.children) {
      const std::string child_path = path + "/" + name;
      if (child->kind == FileStatus::Kind::regular) out.push_back({child_path, child->mode, child->layer, child->data});
      if (child->kind == FileStatus::Kind::directory) visit(*child, child_path);
    }
  };
  visit(*root_, "");
  return out;
}

std::optional<std::size_t> ImageRoot::deleted_by(const std::string& path) const {
  for (std::string at = path; !at.empty() && at != "/";) {
    if (const auto it = deleted_.find(at); it != deleted_.end()) return it->second;
    const std::size_t slash = at.rfind('/');
    at = slash == std::string::npos ? std::string() : at.substr(0, slash);
  }
  return std::nullopt;
}

std::shared_ptr<const FileReport> ImageRoot::report_at(const std::string& resolved) const {
  const Node* node = find(resolved);
  if (node == nullptr || node->kind != FileStatus::Kind::regular || !node->data) return nullptr;
  return node->data->report;
}

FsResult<FileStatus> ImageRoot::status_of(const RootPath& path) const {
  const Node* node = find(path.relative());
  if (node == nullptr) return tl::unexpected(ENOENT);
  FileStatus status;
  status.kind = node->kind;
  status.mode = node->mode;
  status.size = node->size;
  status.uid = node->uid;
  status.gid = node->gid;
  return status;
}

FsResult<std::string> ImageRoot::link_of(const RootPath& path) const {
  const Node* node = find(path.relative());
  if (node == nullptr) return tl::unexpected(ENOENT);
  if (node->kind != FileStatus::Kind::symlink) return tl::unexpected(EINVAL);
  return node->link;
}

FsResult<std::vector<std::uint8_t>> ImageRoot::head_of(const RootPath& path, std::size_t max) const {
  const Node* node = find(path.relative());
  if (node == nullptr) return tl::unexpected(ENOENT);
  if (node->kind != FileStatus::Kind::regular) return tl::unexpected(EINVAL);
  if (!node->data) return std::vector<std::uint8_t>{};
  const std::string& bytes = node->data->contents ? *node->data->contents : node->data->head;
  const std::size_t n = std::min(max, bytes.size());
  return std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
}

FsResult<CappedText> ImageRoot::text_of(const RootPath& path, std::size_t cap) const {
  const Node* node = find(path.relative());
  if (node == nullptr) return tl::unexpected(ENOENT);
  if (node->kind != FileStatus::Kind::regular) return tl::unexpected(EINVAL);
  if (!node->data) return CappedText{};
  const std::string* bytes = node->data->contents.get();
  if (bytes == nullptr && node->data->head.size() == node->size) bytes = &node->data->head;
  if (bytes == nullptr) return tl::unexpected(EIO);  // not kept: see keep_whole_cap()
  CappedText out;
  out.truncated = bytes->size() > cap;
  out.bytes = bytes->substr(0, cap);
  return out;
}

FsResult<std::vector<std::string>> ImageRoot::entries_of(const RootPath& path, std::size_t cap,
                                                         bool& truncated) const {
  const Node* node = find(path.relative());
  if (node == nullptr) return tl::unexpected(ENOENT);
  if (node->kind != FileStatus::Kind::directory) return tl::unexpected(ENOTDIR);
  std::vector<std::string> names;
  truncated = false;
  for (const auto& [name, child] : node->children) {
    if (names.size() >= cap) {
      truncated = true;
      break;
    }
    names.push_back(name);
  }
  return names;
}

Result<FileContents> ImageRoot::contents_of(const RootPath& path) const {
  const Node* node = find(path.relative());
  if (node == nullptr || node->kind != FileStatus::Kind::regular) {
    return make_error(ErrorCode::io, 0, fmt::format("{}: not a regular file of the image", path.absolute()));
  }
  if (node->data && node->data->contents) return FileContents(node->data->contents);
  if (node->data && node->data->head.size() == node->size) {
    return FileContents(std::make_shared<const std::string>(node->data->head));
  }
  return make_error(ErrorCode::io, 0,
                    fmt::format("{}: its bytes are not kept (only programs, the C library and /etc are)", path.absolute()));
}

}  // namespace enoexec::image
