#include "image/image_metadata.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/digest.hpp"
#include "support/json_limits.hpp"

namespace enoexec::image {
namespace {

using nlohmann::json;

// Media types (image-spec media-types.md; Docker's manifest v2 schema 2).
constexpr std::string_view OCI_INDEX = "application/vnd.oci.image.index.v1+json";
constexpr std::string_view DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
constexpr std::string_view OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
constexpr std::string_view DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
constexpr std::string_view OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
constexpr std::string_view DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
// Nested indexes deeper than this are a loop or a hostile image; real ones nest once.
constexpr int MAX_INDEX_DEPTH = 8;

std::string text_of(const json& object, std::string_view key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> strings_of(const json& object, std::string_view key) {
  std::vector<std::string> out;
  if (!object.is_object()) return out;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return out;
  for (const json& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

const json& member_of(const json& object, std::string_view key) {
  static const json null_json;
  if (!object.is_object()) return null_json;
  const auto it = object.find(key);
  return it != object.end() ? *it : null_json;
}

// "linux/arm/v7" from an object with os, architecture and variant; "" when both are absent.
std::string platform_text(const json& object, std::string_view arch_key = "architecture") {
  const std::string os = text_of(object, "os");
  const std::string arch = text_of(object, arch_key);
  if (os.empty() && arch.empty()) return {};
  std::string out = fmt::format("{}/{}", os.empty() ? "unknown" : os, arch.empty() ? "unknown" : arch);
  const std::string variant = text_of(object, "variant");
  if (!variant.empty()) out += "/" + variant;
  return out;
}

// A JSON member, read once: bounded by the json limits before it is parsed and, when `digest`
// names what it must hash to, checked against it (a mismatch is reported; the bytes are still
// read, not trusted).
Result<json> parse_document(const ImageStore& store, std::string_view member, const Limits& limits,
                            std::string_view what, std::string_view digest = {},
                            std::vector<std::string>* warnings = nullptr) {
  auto text = store.read(member, limits.json_bytes, "json bytes");
  if (!text) return tl::unexpected(text.error());
  auto bounded = check_json_limits(*text, limits, what);
  if (!bounded) {
    Error error = bounded.error();
    // Every limit hit reads "limit exceeded: NAME: ..." (enoexec/limits.hpp).
    if (error.code == ErrorCode::limit_exceeded && !error.what.starts_with("limit exceeded")) {
      error.what = "limit exceeded: " + error.what;
    }
    return tl::unexpected(std::move(error));
  }
  if (warnings != nullptr && digest.starts_with("sha256:")) {
    const Digest got = enoexec::digest(
        DigestAlgorithm::sha256, {reinterpret_cast<const std::uint8_t*>(text->data()), text->size()});
    if (digest.substr(7) != got.hex()) {
      warnings->push_back(fmt::format("digest mismatch: {} has sha256:{} (reported, not trusted)", digest, got.hex()));
    }
  }
  json parsed = json::parse(*text, nullptr, false);
  if (parsed.is_discarded()) return make_error(ErrorCode::malformed, 0, fmt::format("{} is not valid JSON", what));
  return parsed;
}

class Reader {
 public:
  Reader(const ImageStore& store, const ImageOptions& options, ImageMetadata& out)
      : store_(store), limits_(options.limits), out_(out) {}

  // index.json (or a nested index): every manifest it lists, in order.
  void read_index(const json& index, int depth, std::vector<std::string> ref_names) {
    const json& manifests = member_of(index, "manifests");
    if (manifests.is_null()) {
      // Docker 25.0 wrote "manifests": null (moby#47065).
      out_.warnings.push_back("index has \"manifests\": null (a Docker 25.0 save); read as empty");
      return;
    }
    if (!manifests.is_array()) {
      out_.warnings.push_back("index has no \"manifests\" array");
      return;
    }
    for (const json& descriptor : manifests) read_descriptor(descriptor, depth, ref_names);
  }

  void read_descriptor(const json& descriptor, int depth, const std::vector<std::string>& parent_refs) {
    if (++seen_ > limits_.platforms) {
      if (seen_ == limits_.platforms + 1) {
        out_.warnings.push_back(limit_exceeded("platforms", fmt::format("more than {} manifests; the rest are not read", limits_.platforms)));
      }
      return;
    }
    ImageEntry entry;
    entry.digest = text_of(descriptor, "digest");
    entry.platform = platform_text(member_of(descriptor, "platform"));
    entry.ref_names = parent_refs;
    const json& annotations = member_of(descriptor, "annotations");
    if (const std::string ref = text_of(annotations, "org.opencontainers.image.ref.name"); !ref.empty()) {
      entry.ref_names.push_back(ref);
    } else if (const std::string name = text_of(annotations, "io.containerd.image.name"); !name.empty()) {
      entry.ref_names.push_back(name);
    }
    std::string media_type = text_of(descriptor, "mediaType");
    const std::string member = blob_member(entry.digest);
    if (member.empty()) {
      std::string why = fmt::format("unreadable: digest '{}' is not <algorithm>:<hex>", entry.digest);
      return skip(std::move(entry), std::move(why));
    }
    if (text_of(annotations, "vnd.docker.reference.type") == "attestation-manifest" ||
        entry.platform == "unknown/unknown") {
      return skip(std::move(entry), "attestation manifest");
    }
    const bool index_type = media_type == OCI_INDEX || media_type == DOCKER_LIST;
    const bool manifest_type = media_type == OCI_MANIFEST || media_type == DOCKER_MANIFEST;
    if (!media_type.empty() && !index_type && !manifest_type) {
      return skip(std::move(entry), fmt::format("not an image ({})", media_type));
    }
    if (!store_.has(member)) {
      std::string why = fmt::format("unreadable: blob {} is not in the image", entry.digest);
      return skip(std::move(entry), std::move(why));
    }
    auto document = parse_document(store_, member, limits_, fmt::format("manifest {}", entry.digest),
                                   entry.digest, &entry.warnings);
    if (!document) return skip(std::move(entry), fmt::format("unreadable: {}", document.error().what));
    if (media_type.empty()) media_type = text_of(*document, "mediaType");
    if (media_type == OCI_INDEX || media_type == DOCKER_LIST ||
        (media_type.empty() && member_of(*document, "manifests").is_array())) {
      if (depth >= MAX_INDEX_DEPTH) {
        return skip(std::move(entry), fmt::format("unreadable: indexes nested more than {} deep", MAX_INDEX_DEPTH));
      }
      for (auto& warning : entry.warnings) out_.warnings.push_back(std::move(warning));
      read_index(*document, depth + 1, entry.ref_names);
      return;
    }
    read_manifest(std::move(entry), *document);
  }

  void read_manifest(ImageEntry entry, const json& manifest) {
    const json& config = member_of(manifest, "config");
    const std::string config_type = text_of(config, "mediaType");
    const std::string artifact = text_of(manifest, "artifactType");
    if (!artifact.empty()) return skip(std::move(entry), fmt::format("artifact ({})", artifact));
    if (config_type != OCI_CONFIG && config_type != DOCKER_CONFIG) {
      return skip(std::move(entry), fmt::format("artifact ({})", config_type.empty() ? "no config" : config_type));
    }
    const json& layers = member_of(manifest, "layers");
    if (layers.is_array()) {
      for (const json& layer : layers) {
        ImageLayer out;
        out.digest = text_of(layer, "digest");
        out.member = blob_member(out.digest);
        out.media_type = text_of(layer, "mediaType");
        const json& size = member_of(layer, "size");
        out.size = size.is_number_unsigned() ? size.get<std::uint64_t>() : 0;
        entry.layers.push_back(std::move(out));
      }
    }
    const std::string config_digest = text_of(config, "digest");
    read_config(entry, blob_member(config_digest), config_digest);
    if (entry.skipped.empty()) order_by_diff_ids(entry);
    add(std::move(entry));
  }

  // The config: what the container runs, and the platform it says.
  void read_config(ImageEntry& entry, const std::string& member, std::string_view digest) {
    if (member.empty() || !store_.has(member)) {
      entry.skipped = fmt::format("unreadable: config {} is not in the image", digest.empty() ? member : digest);
      return;
    }
    auto config = parse_document(store_, member, limits_, "config", digest, &entry.warnings);
    if (!config) {
      entry.skipped = fmt::format("unreadable: {}", config.error().what);
      return;
    }
    entry.config_digest = std::string(digest);
    entry.config_platform = platform_text(*config);
    const json& run = member_of(*config, "config");
    entry.run.entrypoint = strings_of(run, "Entrypoint");
    entry.run.cmd = strings_of(run, "Cmd");
    entry.run.env = strings_of(run, "Env");
    entry.run.working_dir = text_of(run, "WorkingDir");
    entry.run.user = text_of(run, "User");
    const std::vector<std::string> diff_ids = strings_of(member_of(*config, "rootfs"), "diff_ids");
    std::vector<std::string> created_by;
    const json& history = member_of(*config, "history");
    if (history.is_array()) {
      for (const json& step : history) {
        const json& empty = member_of(step, "empty_layer");
        if (empty.is_boolean() && empty.get<bool>()) continue;
        created_by.push_back(text_of(step, "created_by"));
      }
    }
    if (entry.layers.empty() && !diff_ids.empty()) {
      entry.warnings.push_back(fmt::format("the manifest lists no layers but the config has {} (a Docker 25.0 save)", diff_ids.size()));
    }
    if (!entry.layers.empty() && diff_ids.size() != entry.layers.size()) {
      entry.warnings.push_back(fmt::format("the manifest lists {} layers, the config's rootfs.diff_ids {}",
                                           entry.layers.size(), diff_ids.size()));
    }
    diff_ids_ = diff_ids;
    for (std::size_t i = 0; i < entry.layers.size(); ++i) {
      if (i < diff_ids.size()) entry.layers[i].diff_id = diff_ids[i];
      if (i < created_by.size()) entry.layers[i].created_by = created_by[i];
    }
    if (!entry.platform.empty() && !entry.config_platform.empty() && entry.platform != entry.config_platform) {
      entry.warnings.push_back(fmt::format("the index says {} but the config says {}", entry.platform, entry.config_platform));
    }
  }

  // Docker 25.0 could list uncompressed layers out of order (moby#47210); an uncompressed
  // layer's digest is its diff_id, so the config's rootfs.diff_ids give the order back.
  void order_by_diff_ids(ImageEntry& entry) {
    if (diff_ids_.size() != entry.layers.size()) return;
    std::map<std::string, std::size_t> by_digest;
    for (std::size_t i = 0; i < entry.layers.size(); ++i) by_digest.emplace(entry.layers[i].digest, i);
    bool in_order = true;
    std::vector<ImageLayer> ordered;
    for (std::size_t i = 0; i < diff_ids_.size(); ++i) {
      const auto it = by_digest.find(diff_ids_[i]);
      if (it == by_digest.end()) return;  // compressed layers: their digests are not diff_ids
      if (it->second != i) in_order = false;
      ordered.push_back(entry.layers[it->second]);
    }
    if (in_order) return;
    for (std::size_t i = 0; i < ordered.size(); ++i) ordered[i].diff_id = diff_ids_[i];
    // history follows the config's order, which is now the layers' order too
    for (std::size_t i = 0; i < ordered.size(); ++i) ordered[i].created_by = entry.layers[i].created_by;
    entry.layers = std::move(ordered);
    entry.warnings.push_back("the manifest lists the layers out of order; read in the config's rootfs.diff_ids order");
  }

  // A legacy `docker save` (or the manifest.json of a Docker >= 25 one).
  void read_docker_manifest(const json& manifest) {
    if (!manifest.is_array()) {
      out_.warnings.push_back("manifest.json is not an array");
      return;
    }
    for (const json& item : manifest) {
      if (++seen_ > limits_.platforms) break;
      ImageEntry entry;
      entry.ref_names = strings_of(item, "RepoTags");
      for (const std::string& path : strings_of(item, "Layers")) {
        ImageLayer layer;
        layer.member = normalise_member(path);
        if (layer.member.starts_with("blobs/sha256/")) layer.digest = "sha256:" + layer.member.substr(13);
        entry.layers.push_back(std::move(layer));
      }
      const std::string config = normalise_member(text_of(item, "Config"));
      std::string config_digest;
      if (config.starts_with("blobs/sha256/")) config_digest = "sha256:" + config.substr(13);
      read_config(entry, config, config_digest);
      if (entry.skipped.empty()) order_by_diff_ids(entry);
      add(std::move(entry));
    }
  }

  std::size_t seen() const { return seen_; }

 private:
  void skip(ImageEntry entry, std::string why) {
    entry.skipped = std::move(why);
    add(std::move(entry));
  }

  void add(ImageEntry entry) {
    const std::string& declared = !entry.platform.empty() ? entry.platform : entry.config_platform;
    if (!declared.empty()) entry.parsed = parse_platform(declared);
    if (entry.skipped.empty() && entry.layers.size() > limits_.layers) {
      entry.skipped = limit_exceeded("layers", fmt::format("{} layers, more than {}", entry.layers.size(), limits_.layers));
    }
    out_.entries.push_back(std::move(entry));
  }

  const ImageStore& store_;
  const Limits& limits_;
  ImageMetadata& out_;
  std::size_t seen_ = 0;
  std::vector<std::string> diff_ids_;
};

}  // namespace

std::string blob_member(std::string_view digest) {
  const std::size_t colon = digest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == digest.size()) return {};
  const std::string_view algorithm = digest.substr(0, colon);
  const std::string_view encoded = digest.substr(colon + 1);
  // image-spec descriptor.md: algorithm [a-z0-9]+ ([+._-][a-z0-9]+)*, encoded [a-zA-Z0-9=_-]+
  const auto ok_algorithm = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '_' || c == '-'; };
  const auto ok_encoded = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '=' || c == '_' || c == '-';
  };
  if (!std::all_of(algorithm.begin(), algorithm.end(), ok_algorithm)) return {};
  if (!std::all_of(encoded.begin(), encoded.end(), ok_encoded)) return {};
  return fmt::format("blobs/{}/{}", algorithm, encoded);
}

// A Docker >= 25 save holds both index.json and the legacy manifest.json: each names the
// same images, and where Docker 25.0 wrote an OCI manifest without its layers (moby#47065),
// manifest.json still lists them.
static void cross_check(const ImageStore& store, const ImageOptions& options, ImageMetadata& out) {
  auto manifest = parse_document(store, "manifest.json", options.limits, "manifest.json");
  if (!manifest) {
    out.warnings.push_back(fmt::format("manifest.json: {}", manifest.error().what));
    return;
  }
  ImageMetadata legacy;
  Reader reader(store, options, legacy);
  reader.read_docker_manifest(*manifest);
  for (ImageEntry& docker : legacy.entries) {
    const auto same = std::find_if(out.entries.begin(), out.entries.end(), [&](const ImageEntry& e) {
      return !e.config_digest.empty() && e.config_digest == docker.config_digest;
    });
    if (same == out.entries.end()) {
      out.warnings.push_back(fmt::format("manifest.json names the image with config {}, which index.json does not list",
                                         docker.config_digest.empty() ? std::string("(not a blob)") : docker.config_digest));
      continue;
    }
    if (same->layers.empty() && !docker.layers.empty()) {
      same->layers = std::move(docker.layers);
      same->warnings.push_back("the OCI manifest lists no layers (a Docker 25.0 save); read them from manifest.json");
      continue;
    }
    std::set<std::string> oci, legacy_layers;
    for (const ImageLayer& layer : same->layers) oci.insert(layer.digest);
    for (const ImageLayer& layer : docker.layers) legacy_layers.insert(layer.digest);
    if (!docker.layers.empty() && oci != legacy_layers) {
      same->warnings.push_back("manifest.json and the OCI manifest list different layers; the OCI manifest's are read");
    }
  }
}

Result<ImageMetadata> read_metadata(const ImageStore& store, const ImageOptions& options) {
  ImageMetadata out;
  Reader reader(store, options, out);
  const bool has_index = store.has("index.json");
  const bool has_docker_manifest = store.has("manifest.json");
  if (!has_index && !has_docker_manifest) {
    return make_error(ErrorCode::bad_magic, 0,
                      "not an image: no index.json or manifest.json (an OCI layout, an OCI archive or a docker save tar)");
  }
  if (has_index) {
    if (!store.has("oci-layout")) out.warnings.push_back("no oci-layout file (image-layout.md requires one)");
    auto index = parse_document(store, "index.json", options.limits, "index.json");
    if (!index) return tl::unexpected(index.error());
    out.shape = has_docker_manifest ? ImageShape::docker_archive
                : store.is_directory()  ? ImageShape::oci_layout
                                        : ImageShape::oci_archive;
    reader.read_index(*index, 0, {});
    const bool any_image = std::any_of(out.entries.begin(), out.entries.end(),
                                       [](const ImageEntry& e) { return e.skipped.empty(); });
    if (any_image && has_docker_manifest) cross_check(store, options, out);
    if (any_image || !has_docker_manifest) return out;
    // Docker 25.0's broken index: manifest.json still says what the image is.
    out.warnings.push_back("index.json lists no image; read manifest.json instead");
    out.entries.clear();
  }
  out.shape = ImageShape::docker_archive;
  auto manifest = parse_document(store, "manifest.json", options.limits, "manifest.json");
  if (!manifest) return tl::unexpected(manifest.error());
  reader.read_docker_manifest(*manifest);
  if (out.entries.empty()) return make_error(ErrorCode::malformed, 0, "manifest.json lists no image");
  return out;
}

}  // namespace enoexec::image
