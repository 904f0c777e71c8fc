// ImageBuilder: writes container images byte-exactly from a description, for the image tests.
// Tar is libarchive's writer (pax restricted, unblocked: entries, padding and the two zero end
// blocks, as Go's archive/tar writes Docker's layers); gzip and zstd are libarchive's write
// filters over its raw format; sha256 is support/digest. It makes
//   layers:  files (bytes, mode, owner), directories, symlinks, hard links, char devices, fifos,
//            `.wh.NAME` whiteouts and `.wh..wh..opq` markers, any path (`../x`, `/abs`); as tar,
//            gzip, zstd, or gzip with one member per entry (as eStargz); a tar may stop without
//            its end blocks;
//   JSON:    configs (platform, Entrypoint/Cmd/Env/WorkingDir/User, rootfs.diff_ids computed,
//            history), manifests and indexes in OCI or Docker media types, nested indexes,
//            BuildKit attestation manifests, OCI 1.1 artifacts;
//   shapes:  an OCI layout as a directory or a tar (compressed or not), a legacy `docker save`,
//            a Docker >= 25 `docker save` and its 25.0 bugs; any blob can be corrupted.
// Time stamps are fixed, so one description always gives the same bytes. Failures throw
// std::runtime_error: this is a test helper, not a reader.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/digest.hpp"

namespace enoexec::test {

using Bytes = std::vector<std::uint8_t>;
using Json = nlohmann::ordered_json;  // keys in the order real producers write them

inline constexpr std::int64_t IMAGE_MTIME = 1704067200;  // 2024-01-01T00:00:00Z, every entry
inline constexpr const char* IMAGE_CREATED = "2024-01-01T00:00:00Z";

inline Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }
inline std::string text_of(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }
inline std::string sha256_of(const Bytes& bytes) {
  return "sha256:" + digest(DigestAlgorithm::sha256, bytes).hex();
}
inline std::string hex_of(const std::string& digest) { return digest.substr(digest.find(':') + 1); }
inline std::string blob_path(const std::string& digest) { return "blobs/sha256/" + hex_of(digest); }

// libarchive writing into memory, unblocked: no padding to 10240 bytes, as Docker writes.
namespace image_detail {
struct ArchiveWriter {
  std::unique_ptr<archive, decltype(&archive_write_free)> a{archive_write_new(), &archive_write_free};
  Bytes out;

  void check(int status, const char* what) {
    if (status == ARCHIVE_OK) return;
    const char* message = archive_error_string(a.get());
    throw std::runtime_error(std::string(what) + ": " + (message != nullptr ? message : "?"));
  }
  void open() {
    check(archive_write_set_bytes_per_block(a.get(), 0), "bytes per block");
    check(archive_write_open(a.get(), &out, nullptr, &append, nullptr), "archive_write_open");
  }
  void write(archive_entry* entry, const Bytes& data) {
    check(archive_write_header(a.get(), entry), "archive_write_header");
    const auto written = data.empty() ? 0 : archive_write_data(a.get(), data.data(), data.size());
    check(written == static_cast<la_ssize_t>(data.size()) ? ARCHIVE_OK : ARCHIVE_FATAL, "archive_write_data");
    check(archive_write_finish_entry(a.get()), "archive_write_finish_entry");
  }
  Bytes close() {
    check(archive_write_close(a.get()), "archive_write_close");
    return std::move(out);
  }
  static la_ssize_t append(archive*, void* data, const void* buffer, size_t length) {
    const auto* begin = static_cast<const std::uint8_t*>(buffer);
    static_cast<Bytes*>(data)->insert(static_cast<Bytes*>(data)->end(), begin, begin + length);
    return static_cast<la_ssize_t>(length);
  }
};
using Entry = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;
inline Entry new_entry() { return {archive_entry_new(), &archive_entry_free}; }
}  // namespace image_detail

// ---------------------------------------------------------------------------------------------
// Layers.

enum class Compression { none, gzip, gzip_per_entry, zstd };

// One entry of a layer's tar.
struct TarEntry {
  enum class Type { file, directory, symlink, hardlink, char_device, fifo };
  Type type = Type::file;
  std::string path{};
  Bytes data{};        // a file's contents
  std::string link{};  // a symlink's target, or the path a hard link names
  unsigned mode = 0644;
  std::int64_t uid = 0, gid = 0;
  unsigned dev_major = 0, dev_minor = 0;

  static TarEntry file(std::string path, Bytes data, unsigned mode = 0644) {
    return {.type = Type::file, .path = std::move(path), .data = std::move(data), .mode = mode};
  }
  static TarEntry file(std::string path, std::string_view text, unsigned mode = 0644) {
    return file(std::move(path), bytes_of(text), mode);
  }
  static TarEntry dir(std::string path, unsigned mode = 0755) {
    return {.type = Type::directory, .path = std::move(path), .mode = mode};
  }
  static TarEntry symlink(std::string path, std::string target) {
    return {.type = Type::symlink, .path = std::move(path), .link = std::move(target), .mode = 0777};
  }
  static TarEntry hardlink(std::string path, std::string target) {
    return {.type = Type::hardlink, .path = std::move(path), .link = std::move(target)};
  }
  static TarEntry char_device(std::string path, unsigned major, unsigned minor) {
    return {.type = Type::char_device, .path = std::move(path), .mode = 0666, .dev_major = major, .dev_minor = minor};
  }
  static TarEntry fifo(std::string path) { return {.type = Type::fifo, .path = std::move(path)}; }
  // The whiteout of `path` ("etc/passwd" -> "etc/.wh.passwd"): deletes it from lower layers.
  static TarEntry whiteout(const std::string& path) {
    const auto slash = path.rfind('/');
    const auto base = slash == std::string::npos ? 0 : slash + 1;
    return file(path.substr(0, base) + ".wh." + path.substr(base), Bytes{});
  }
  // The opaque marker of `dir` ("" for the root): hides its children from lower layers.
  static TarEntry opaque(const std::string& dir) {
    return file(dir.empty() ? ".wh..wh..opq" : dir + "/.wh..wh..opq", Bytes{});
  }
  TarEntry owner(std::int64_t new_uid, std::int64_t new_gid) const {
    TarEntry entry = *this;
    std::tie(entry.uid, entry.gid) = std::tie(new_uid, new_gid);
    return entry;
  }
};

// A tar and where each entry of it ends (the end blocks, if any, follow the last).
struct Tar {
  Bytes bytes;
  std::vector<std::size_t> entry_ends;
};

inline Tar write_tar(const std::vector<TarEntry>& entries, bool end_blocks = true) {
  image_detail::ArchiveWriter writer;
  writer.check(archive_write_set_format_pax_restricted(writer.a.get()), "pax format");
  writer.open();
  Tar tar;
  for (const TarEntry& spec : entries) {
    const image_detail::Entry holder = image_detail::new_entry();
    archive_entry* entry = holder.get();
    archive_entry_copy_pathname(entry, spec.path.c_str());
    archive_entry_set_mtime(entry, IMAGE_MTIME, 0);
    archive_entry_set_uid(entry, spec.uid);
    archive_entry_set_gid(entry, spec.gid);
    using T = TarEntry::Type;
    const bool data = spec.type == T::file;
    switch (spec.type) {
      case T::file: case T::hardlink: archive_entry_set_filetype(entry, AE_IFREG); break;
      case T::directory: archive_entry_set_filetype(entry, AE_IFDIR); break;
      case T::symlink: archive_entry_set_filetype(entry, AE_IFLNK); break;
      case T::char_device: archive_entry_set_filetype(entry, AE_IFCHR); break;
      case T::fifo: archive_entry_set_filetype(entry, AE_IFIFO); break;
    }
    archive_entry_set_perm(entry, static_cast<mode_t>(spec.mode & 07777));
    archive_entry_set_size(entry, data ? static_cast<la_int64_t>(spec.data.size()) : 0);
    if (spec.type == T::symlink) archive_entry_copy_symlink(entry, spec.link.c_str());
    if (spec.type == T::hardlink) archive_entry_copy_hardlink(entry, spec.link.c_str());
    if (spec.type == T::char_device) {
      archive_entry_set_rdevmajor(entry, spec.dev_major);
      archive_entry_set_rdevminor(entry, spec.dev_minor);
    }
    writer.write(entry, data ? spec.data : Bytes{});
    tar.entry_ends.push_back(writer.out.size());
  }
  const std::size_t body = writer.out.size();
  tar.bytes = writer.close();
  if (!end_blocks) tar.bytes.resize(body);
  return tar;
}

// `input` as one gzip member (no time stamp, no name) or one zstd frame.
inline Bytes compress(const Bytes& input, Compression compression) {
  if (compression == Compression::none) return input;
  if (compression == Compression::gzip_per_entry) throw std::logic_error("gzip_per_entry needs a tar");
  image_detail::ArchiveWriter writer;
  archive* a = writer.a.get();
  writer.check(archive_write_set_format_raw(a), "raw format");
  if (compression == Compression::zstd) {
    writer.check(archive_write_add_filter_zstd(a), "zstd filter");
  } else {
    writer.check(archive_write_add_filter_gzip(a), "gzip filter");
    writer.check(archive_write_set_filter_option(a, "gzip", "timestamp", nullptr), "gzip without time");
  }
  writer.open();
  const image_detail::Entry entry = image_detail::new_entry();
  archive_entry_set_pathname(entry.get(), "data");
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(input.size()));
  writer.write(entry.get(), input);
  return writer.close();
}

struct LayerSpec {
  std::vector<TarEntry> entries{};
  Compression compression = Compression::gzip;
  bool end_blocks = true;     // false: the tar stops after its last entry
  std::string created_by{};   // its history step ("" -> "layer N")
  std::string media_type{};   // "" -> as the compression and the manifest's vocabulary say
};

// A layer as written: the tar (its digest is the config's diff_id) and the blob.
struct Layer {
  Bytes tar;
  Bytes blob;
  std::string diff_id;
  std::string digest;
};

inline Layer build_layer(const LayerSpec& spec) {
  Tar tar = write_tar(spec.entries, spec.end_blocks);
  Bytes blob;
  if (spec.compression == Compression::gzip_per_entry) {
    std::vector<std::size_t> ends = tar.entry_ends;
    ends.push_back(tar.bytes.size());
    std::size_t start = 0;
    for (std::size_t end : ends) {
      if (end == start) continue;
      const Bytes part(tar.bytes.begin() + static_cast<std::ptrdiff_t>(start),
                       tar.bytes.begin() + static_cast<std::ptrdiff_t>(end));
      const Bytes member = compress(part, Compression::gzip);
      blob.insert(blob.end(), member.begin(), member.end());
      start = end;
    }
  } else {
    blob = compress(tar.bytes, spec.compression);
  }
  Layer layer{std::move(tar.bytes), std::move(blob), {}, {}};
  layer.diff_id = sha256_of(layer.tar);
  layer.digest = sha256_of(layer.blob);
  return layer;
}

// ---------------------------------------------------------------------------------------------
// Media types, platforms, descriptors, blobs.

enum class Vocabulary { oci, docker };

struct MediaTypes {
  const char *index, *manifest, *config, *layer_tar, *layer_gzip, *layer_zstd;
  const char* layer(Compression compression) const {
    if (compression == Compression::none) return layer_tar;
    return compression == Compression::zstd ? layer_zstd : layer_gzip;
  }
};
// Docker's zstd layer type is containerd's name: Docker itself never wrote one.
inline const MediaTypes& media_types(Vocabulary vocabulary) {
  static const MediaTypes oci{
      "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
      "application/vnd.oci.image.config.v1+json", "application/vnd.oci.image.layer.v1.tar",
      "application/vnd.oci.image.layer.v1.tar+gzip", "application/vnd.oci.image.layer.v1.tar+zstd"};
  static const MediaTypes docker{
      "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.docker.distribution.manifest.v2+json", "application/vnd.docker.container.image.v1+json",
      "application/vnd.docker.image.rootfs.diff.tar", "application/vnd.docker.image.rootfs.diff.tar.gzip",
      "application/vnd.docker.image.rootfs.diff.tar.zstd"};
  return vocabulary == Vocabulary::oci ? oci : docker;
}

// OCI's platform object: "linux/arm/v7" -> {os linux, architecture arm, variant v7}.
struct PlatformSpec {
  std::string os = "linux";
  std::string architecture = "amd64";
  std::string variant;
  static PlatformSpec of(std::string text) {  // "os/architecture[/variant]"
    const auto first = text.find('/'), second = text.find('/', first + 1);
    const std::string variant = second == std::string::npos ? "" : text.substr(second + 1);
    return {text.substr(0, first), text.substr(first + 1, second - first - 1), variant};
  }
  Json to_json() const {
    Json json{{"architecture", architecture}, {"os", os}};
    if (!variant.empty()) json["variant"] = variant;
    return json;
  }
};

struct Descriptor {
  std::string media_type;
  std::string digest;
  std::uint64_t size = 0;
  std::optional<PlatformSpec> platform;
  std::map<std::string, std::string> annotations;
  std::string artifact_type;
  Json to_json() const {
    Json json{{"mediaType", media_type}, {"digest", digest}, {"size", size}};
    if (!artifact_type.empty()) json["artifactType"] = artifact_type;
    if (!annotations.empty()) json["annotations"] = annotations;
    if (platform) json["platform"] = platform->to_json();
    return json;
  }
};

// Every blob, by digest, as it will be written.
struct BlobStore {
  std::map<std::string, Bytes> blobs;

  Descriptor add(std::string media_type, Bytes bytes) {
    Descriptor descriptor{std::move(media_type), sha256_of(bytes), bytes.size(), {}, {}, {}};
    blobs[descriptor.digest] = std::move(bytes);
    return descriptor;
  }
  Descriptor add_json(std::string media_type, const Json& json) {
    return add(std::move(media_type), bytes_of(json.dump()));
  }
  // The blob no longer hashes to its name: one bit of its middle byte flipped.
  void corrupt(const std::string& digest) {
    Bytes& bytes = blobs.at(digest);
    if (bytes.empty()) bytes.push_back(0);
    bytes[bytes.size() / 2] ^= 1;
  }
  // Other, well-formed bytes under the same name (a digest mismatch and nothing else).
  void replace(const std::string& digest, Bytes bytes) { blobs.at(digest) = std::move(bytes); }
};

// ---------------------------------------------------------------------------------------------
// Config, manifest, image.

struct HistoryStep {
  std::string created_by;
  bool empty_layer = false;
};

struct ConfigSpec {
  PlatformSpec platform;
  std::optional<std::vector<std::string>> entrypoint;  // nullopt: not in the config
  std::optional<std::vector<std::string>> cmd;
  std::vector<std::string> env{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"};
  std::string working_dir;
  std::string user;
  std::vector<HistoryStep> history;  // empty: one step per layer (LayerSpec::created_by)
};

struct ImageSpec {
  ConfigSpec config;
  std::vector<LayerSpec> layers;
  Vocabulary vocabulary = Vocabulary::oci;
  // The last word on the JSON before it is stored (null an Entrypoint, reorder layers, ...).
  std::function<void(Json&)> edit_config;
  std::function<void(Json&)> edit_manifest;
};

inline Json config_json(const ImageSpec& spec, const std::vector<Layer>& layers) {
  const ConfigSpec& c = spec.config;
  Json config = Json::object();
  if (!c.user.empty()) config["User"] = c.user;
  if (!c.env.empty()) config["Env"] = c.env;
  if (c.entrypoint) config["Entrypoint"] = *c.entrypoint;
  if (c.cmd) config["Cmd"] = *c.cmd;
  if (!c.working_dir.empty()) config["WorkingDir"] = c.working_dir;
  Json diff_ids = Json::array();
  for (const Layer& layer : layers) diff_ids.push_back(layer.diff_id);
  std::vector<HistoryStep> steps = c.history;
  for (std::size_t i = 0; c.history.empty() && i < spec.layers.size(); ++i) {
    const std::string& by = spec.layers[i].created_by;
    steps.push_back({.created_by = by.empty() ? "layer " + std::to_string(i) : by});
  }
  Json history = Json::array();
  for (const HistoryStep& step : steps) {
    history.push_back({{"created", IMAGE_CREATED}, {"created_by", step.created_by}});
    if (step.empty_layer) history.back()["empty_layer"] = true;
  }
  Json json{{"created", IMAGE_CREATED}, {"architecture", c.platform.architecture}, {"os", c.platform.os}};
  if (!c.platform.variant.empty()) json["variant"] = c.platform.variant;
  json["config"] = config;
  json["rootfs"] = {{"type", "layers"}, {"diff_ids", diff_ids}};
  json["history"] = history;
  return json;
}

struct BuiltImage {
  Descriptor manifest;  // platform set from the config: ready for an index
  Descriptor config;
  std::vector<Layer> layers;
  std::vector<Descriptor> layer_descriptors;
  Json config_json;
  Json manifest_json;
};

inline BuiltImage add_image(BlobStore& store, const ImageSpec& spec) {
  const MediaTypes& types = media_types(spec.vocabulary);
  BuiltImage image;
  Json layers = Json::array();
  for (const LayerSpec& layer_spec : spec.layers) {
    image.layers.push_back(build_layer(layer_spec));
    const std::string type = layer_spec.media_type.empty() ? types.layer(layer_spec.compression) : layer_spec.media_type;
    image.layer_descriptors.push_back(store.add(type, image.layers.back().blob));
    layers.push_back(image.layer_descriptors.back().to_json());
  }
  image.config_json = config_json(spec, image.layers);
  if (spec.edit_config) spec.edit_config(image.config_json);
  image.config = store.add_json(types.config, image.config_json);
  image.manifest_json = {{"schemaVersion", 2}, {"mediaType", types.manifest},
                         {"config", image.config.to_json()}, {"layers", layers}};
  if (spec.edit_manifest) spec.edit_manifest(image.manifest_json);
  image.manifest = store.add_json(types.manifest, image.manifest_json);
  image.manifest.platform = spec.config.platform;
  return image;
}

inline Json index_json(const std::vector<Descriptor>& manifests, Vocabulary vocabulary = Vocabulary::oci) {
  Json list = Json::array();
  for (const Descriptor& manifest : manifests) list.push_back(manifest.to_json());
  return {{"schemaVersion", 2}, {"mediaType", media_types(vocabulary).index}, {"manifests", list}};
}

// A nested index (a manifest list in Docker's words), for an entry of index.json.
inline Descriptor add_index(BlobStore& store, const std::vector<Descriptor>& manifests,
                            Vocabulary vocabulary = Vocabulary::oci) {
  return store.add_json(media_types(vocabulary).index, index_json(manifests, vocabulary));
}

// BuildKit's attestation manifest for `subject`: platform unknown/unknown, an in-toto layer.
inline Descriptor add_attestation(BlobStore& store, const Descriptor& subject) {
  const Descriptor statement =
      store.add("application/vnd.in-toto+json", bytes_of(R"({"_type":"https://in-toto.io/Statement/v0.1"})"));
  const Json config{{"architecture", "unknown"}, {"os", "unknown"}, {"config", Json::object()},
                    {"rootfs", {{"type", "layers"}, {"diff_ids", Json::array({statement.digest})}}}};
  Json layer = statement.to_json();
  layer["annotations"] = {{"in-toto.io/predicate-type", "https://spdx.dev/Document"}};
  const Json manifest{{"schemaVersion", 2}, {"mediaType", media_types(Vocabulary::oci).manifest},
                      {"config", store.add_json(media_types(Vocabulary::oci).config, config).to_json()},
                      {"layers", Json::array({layer})}};
  Descriptor descriptor = store.add_json(media_types(Vocabulary::oci).manifest, manifest);
  descriptor.platform = PlatformSpec{"unknown", "unknown", ""};
  descriptor.annotations = {{"vnd.docker.reference.digest", subject.digest},
                            {"vnd.docker.reference.type", "attestation-manifest"}};
  return descriptor;
}

// An OCI 1.1 artifact (no image): the empty config `{}` and one layer of `payload`.
inline Descriptor add_artifact(BlobStore& store, const std::string& artifact_type, Bytes payload) {
  Json empty = store.add("application/vnd.oci.empty.v1+json", bytes_of("{}")).to_json();
  empty["data"] = "e30=";
  const Json manifest{{"schemaVersion", 2}, {"mediaType", media_types(Vocabulary::oci).manifest},
                      {"artifactType", artifact_type}, {"config", empty},
                      {"layers", Json::array({store.add(artifact_type, std::move(payload)).to_json()})}};
  Descriptor descriptor = store.add_json(media_types(Vocabulary::oci).manifest, manifest);
  descriptor.artifact_type = artifact_type;
  return descriptor;
}

// ---------------------------------------------------------------------------------------------
// Shapes. A Tree is the files of one shape, relative path -> bytes, in writing order; write it
// as a directory (write_tree) or as a tar (tar_of_tree), or edit it first.

using Tree = std::vector<std::pair<std::string, Bytes>>;

struct OciLayout {
  BlobStore store;
  std::vector<Descriptor> manifests;  // index.json's entries
  bool manifests_null = false;        // "manifests": null, as Docker 25.0 wrote (moby#47210)
};

// The layout of one image, its manifest tagged `tag` as index.json's one entry.
inline OciLayout oci_layout_of(const ImageSpec& spec, const std::string& tag = "latest") {
  OciLayout layout;
  layout.manifests = {add_image(layout.store, spec).manifest};
  layout.manifests[0].annotations["org.opencontainers.image.ref.name"] = tag;
  return layout;
}

// Blobs first, then index.json and oci-layout (the order docker save uses: a reader of a stream
// must not need index.json first).
inline Tree layout_tree(const OciLayout& layout) {
  Tree tree;
  for (const auto& [digest, bytes] : layout.store.blobs) tree.emplace_back(blob_path(digest), bytes);
  Json index = index_json(layout.manifests);
  if (layout.manifests_null) index["manifests"] = nullptr;
  tree.emplace_back("index.json", bytes_of(index.dump()));
  tree.emplace_back("oci-layout", bytes_of(R"({"imageLayoutVersion":"1.0.0"})"));
  return tree;
}

// "repo:tag" -> {"repo", "tag"}; "docker.io/library/repo:tag" as containerd names it.
inline std::pair<std::string, std::string> split_tag(const std::string& repo_tag) {
  const auto colon = repo_tag.rfind(':');
  return {repo_tag.substr(0, colon), colon == std::string::npos ? "latest" : repo_tag.substr(colon + 1)};
}
inline std::string containerd_name(const std::string& repo_tag) {
  if (repo_tag.find('/') == std::string::npos) return "docker.io/library/" + repo_tag;
  return repo_tag.find('.') < repo_tag.find('/') ? repo_tag : "docker.io/" + repo_tag;
}

// A legacy `docker save` (Docker <= 24): manifest.json, repositories, <config hex>.json and one
// <v1 id>/ folder per layer (VERSION, json, layer.tar: always the uncompressed tar).
inline Tree docker_legacy_tree(const ImageSpec& spec, const std::string& repo_tag = "example:latest") {
  BlobStore scratch;
  const BuiltImage image = add_image(scratch, spec);
  Tree tree;
  Json layer_paths = Json::array();
  std::string parent;
  for (const Layer& layer : image.layers) {
    const std::string id = hex_of(sha256_of(bytes_of(parent + " " + layer.diff_id)));  // any stable id
    Json v1{{"id", id}, {"created", IMAGE_CREATED}};
    if (!parent.empty()) v1["parent"] = parent;
    tree.emplace_back(id + "/VERSION", bytes_of("1.0"));
    tree.emplace_back(id + "/json", bytes_of(v1.dump()));
    tree.emplace_back(id + "/layer.tar", layer.tar);
    layer_paths.push_back(id + "/layer.tar");
    parent = id;
  }
  const std::string config_name = hex_of(image.config.digest) + ".json";
  tree.emplace_back(config_name, scratch.blobs.at(image.config.digest));
  const auto [repo, tag] = split_tag(repo_tag);
  const Json manifest = Json::array({{{"Config", config_name}, {"RepoTags", Json::array({repo_tag})}, {"Layers", layer_paths}}});
  tree.emplace_back("manifest.json", bytes_of(manifest.dump()));
  tree.emplace_back("repositories", bytes_of(Json{{repo, {{tag, parent}}}}.dump()));
  return tree;
}

// Docker 25.0's bugs, each as reported.
enum class Docker25 {
  fixed,                // as Docker 25.0.2+ and later write it
  empty_layers,         // the manifest's "layers": [] (moby#47065); manifest.json still lists them
  manifests_null,       // index.json "manifests": null (moby#47210, `docker save IMAGE@DIGEST`)
  layers_out_of_order,  // the manifest (and manifest.json) list the layers out of rootfs.diff_ids order
  wrong_layer_sizes,    // layer descriptors with the gzip'd size, blobs uncompressed (moby#47072)
};

// A Docker >= 25 `docker save`: an OCI layout (the config descriptor carries the platform, the
// index entry the image name annotations) plus manifest.json and repositories.
inline Tree docker25_tree(ImageSpec spec, const std::string& repo_tag = "example:latest",
                          Docker25 variant = Docker25::fixed) {
  const PlatformSpec platform = spec.config.platform;
  spec.edit_manifest = [platform, variant, user = spec.edit_manifest](Json& manifest) {
    manifest["config"]["platform"] = platform.to_json();
    Json& layers = manifest["layers"];
    if (variant == Docker25::empty_layers) layers = Json::array();
    if (variant == Docker25::layers_out_of_order) std::reverse(layers.begin(), layers.end());
    if (user) user(manifest);
  };
  OciLayout layout;
  BuiltImage image = add_image(layout.store, spec);
  if (variant == Docker25::wrong_layer_sizes) {  // the manifest is rebuilt with the wrong sizes
    layout.store.blobs.erase(image.manifest.digest);
    for (std::size_t i = 0; i < image.layers.size(); ++i)
      image.manifest_json["layers"][i]["size"] = compress(image.layers[i].tar, Compression::gzip).size();
    image.manifest = layout.store.add_json(image.manifest.media_type, image.manifest_json);
  }
  const auto [repo, tag] = split_tag(repo_tag);
  image.manifest.platform.reset();
  image.manifest.annotations = {{"io.containerd.image.name", containerd_name(repo_tag)},
                                {"org.opencontainers.image.ref.name", tag}};
  layout.manifests = {image.manifest};
  layout.manifests_null = variant == Docker25::manifests_null;
  Json layer_paths = Json::array();
  for (const Descriptor& layer : image.layer_descriptors) layer_paths.push_back(blob_path(layer.digest));
  if (variant == Docker25::layers_out_of_order) std::reverse(layer_paths.begin(), layer_paths.end());
  const Json manifest = Json::array({{{"Config", blob_path(image.config.digest)}, {"RepoTags", Json::array({repo_tag})},
                                      {"Layers", layer_paths}}});
  Tree tree = layout_tree(layout);
  tree.emplace_back("manifest.json", bytes_of(manifest.dump()));
  tree.emplace_back("repositories", bytes_of(Json{{repo, {{tag, hex_of(image.config.digest)}}}}.dump()));
  return tree;
}

// The tree as one tar (each folder once, before its first file), as a layer is compressed.
inline Bytes tar_of_tree(const Tree& tree, Compression compression = Compression::none) {
  LayerSpec spec{.compression = compression};
  std::vector<std::string> folders;
  for (const auto& [path, bytes] : tree) {
    for (auto slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
      const std::string folder = path.substr(0, slash + 1);
      if (std::find(folders.begin(), folders.end(), folder) != folders.end()) continue;
      folders.push_back(folder);
      spec.entries.push_back(TarEntry::dir(folder));
    }
    spec.entries.push_back(TarEntry::file(path, bytes));
  }
  return build_layer(spec).blob;
}

inline void write_file(const std::filesystem::path& path, const Bytes& bytes) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

inline void write_tree(const std::filesystem::path& dir, const Tree& tree) {
  for (const auto& [path, bytes] : tree) write_file(dir / path, bytes);
}

// A private folder under $TMPDIR, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "enoexec-image-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& relative) const { return path_ / relative; }

 private:
  std::filesystem::path path_;
};

}  // namespace enoexec::test
