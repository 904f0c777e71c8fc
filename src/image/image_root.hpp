// An image entry's root file system as the runtime sees it: its layers read as streams, applied
// in order (whiteouts, opaque directories, hard links, as containerd's applier does), and held
// as a tree of entries, never extracted. Of each file only what a verdict may read is kept: the
// report of every program (inspected while its layer streams), the whole bytes of the few files
// the probe and the loader model read (libc, ld.so.conf, os-release), a short head of the rest.
// ImageRoot answers RootFileSystem's questions from that tree, so the one resolver
// (support/root_fs) walks an image exactly as it walks a directory.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "enoexec/error.hpp"
#include "enoexec/image.hpp"
#include "enoexec/report.hpp"
#include "image/image_store.hpp"
#include "support/root_fs.hpp"

namespace enoexec::image {

// What the layer reader kept of one regular file.
struct FileData {
  std::string head;  // the first bytes (all of them when the file is that short)
  std::shared_ptr<const std::string> contents;  // the whole file, for the few files kept whole
  std::shared_ptr<const FileReport> report;     // programs and x-bit files: inspect's report
  std::string digest;                           // sha256 hex of a native program (ELF, Mach-O, PE)
};

// One member of a layer's tar, normalised.
struct LayerEntry {
  enum class Whiteout { none, file, opaque };
  std::string path;  // "usr/bin/env": inside the root, no "." or ".."
  FileStatus::Kind kind = FileStatus::Kind::other;
  std::uint32_t mode = 0;  // st_mode, type bits included
  std::uint32_t uid = 0, gid = 0;
  std::uint64_t size = 0;
  std::string link;       // a symlink's target, or a hard link's member path
  bool hardlink = false;
  Whiteout whiteout = Whiteout::none;
  std::shared_ptr<const FileData> data;  // regular files
};

struct LayerContents {
  std::vector<LayerEntry> entries;
  std::vector<std::string> warnings;
  std::uint64_t bytes = 0;  // decompressed
};

// Reads one layer (plain, gzip or zstd tar, told by its bytes), inspecting its programs.
// `number` (1 for the base) names it in messages.
// `image_bytes` counts the decompressed bytes of every layer of the entry as they stream (the
// "image bytes" limit stops a run of layers early, not after the last).
Result<LayerContents> read_layer(const ImageStore& store, const ImageLayer& layer, std::size_t number,
                                 const ImageOptions& options, std::atomic<std::uint64_t>& image_bytes);

class ImageRoot final : public RootFileSystem {
 public:
  // Applies `layers` in order; a warning for each link or whiteout that could not be applied.
  ImageRoot(std::vector<LayerContents> layers, const Limits& limits);
  ~ImageRoot() override;

  const std::vector<std::string>& warnings() const { return warnings_; }

  struct Node;
  // Every regular file of the root, with its path ("/usr/bin/env") and the layer that wrote it.
  struct File {
    std::string path;
    std::uint32_t mode = 0;
    std::size_t layer = 0;
    std::shared_ptr<const FileData> data;
  };
  std::vector<File> files() const;
  // The layer (0 for the base) whose whiteout deleted `path` or one of its parents, if one did:
  // why an entrypoint that a lower layer added is not there.
  std::optional<std::size_t> deleted_by(const std::string& path) const;
  // The report kept for a regular file at `resolved` ("/bin/busybox"), or null.
  std::shared_ptr<const FileReport> report_at(const std::string& resolved) const;

  FsResult<FileStatus> status_of(const RootPath& path) const override;
  FsResult<std::string> link_of(const RootPath& path) const override;
  FsResult<std::vector<std::uint8_t>> head_of(const RootPath& path, std::size_t max) const override;
  FsResult<CappedText> text_of(const RootPath& path, std::size_t cap) const override;
  FsResult<std::vector<std::string>> entries_of(const RootPath& path, std::size_t cap,
                                                bool& truncated) const override;
  Result<FileContents> contents_of(const RootPath& path) const override;

 private:
  const Node* find(const std::string& relative) const;
  void apply(std::size_t layer, LayerEntry& entry);

  std::unique_ptr<Node> root_;
  std::map<std::string, std::size_t> deleted_;  // "/usr/local/bin" -> the layer that deleted it
  std::vector<std::string> warnings_;
  std::uint64_t nodes_ = 0;
  std::uint64_t max_nodes_ = 0;
  std::uint64_t symlink_hops_ = 40;
};

}  // namespace enoexec::image
