// Fuzz target: one image layer. The input is a layer blob (a plain tar, gzip or zstd, told by
// its bytes as the reader tells it); the harness writes, with libarchive into a memfd, a valid
// OCI archive whose only entry (linux/amd64) has that one layer, then runs Image::open and
// judge_image_entry(image, 0, nullptr, ...) as `enoexec image` does, and prints the entry's
// line both ways. That reaches the inflater (src/image/inflate.cpp: gzip members, zstd frames,
// truncation, bombs against the limits), the layer's tar (src/image/image_layers.cpp), the
// flattened root (src/image/image_root.cpp: whiteouts, opaque directories, hard and symbolic
// links), the probe of the image's root, and the judge: every program of the layer, and the
// entrypoint, `Cmd: ["app"]` looked up in PATH from WorkingDir /app.
// The digests are computed per input, so the layer's blob name and digest match; its diff_id is
// the sha256 of the input too, which is right for a plain tar and a mismatch (reported, as the
// reader must) for a compressed one. Limits are small so that one input stays fast: 8 MiB
// decompressed, ratio 1000, 2048 entries, 16 MiB for the image.
#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "fuzz_image.hpp"
#include "image/inflate.hpp"

namespace enoexec::fuzz {
namespace {

const ImageOptions& options() {
  static const ImageOptions o = [] {
    ImageOptions out;
    out.limits.decompressed_bytes = 8u << 20;
    out.limits.compression_ratio = 1000;
    out.limits.layer_entries = 2048;
    out.limits.image_bytes = 16u << 20;
    out.temp_dir = spool_dir();
    out.jobs = 1;  // one thread: an input always takes the same path
    return out;
  }();
  return o;
}

std::string layer_media_type(std::string_view layer) {
  const std::span<const std::uint8_t> head(reinterpret_cast<const std::uint8_t*>(layer.data()),
                                           std::min<std::size_t>(layer.size(), 8));
  switch (image::sniff_compression(head)) {
    case image::Compression::gzip:
      return "application/vnd.oci.image.layer.v1.tar+gzip";
    case image::Compression::zstd:
      return "application/vnd.oci.image.layer.v1.tar+zstd";
    case image::Compression::none:
      break;
  }
  return "application/vnd.oci.image.layer.v1.tar";
}

// The archive around `layer`: oci-layout, index.json, the manifest, the config and the layer.
std::string archive_of(std::string_view layer) {
  const std::string layer_hex = sha256_hex(layer);
  const std::string config = fmt::format(
      R"({{"created":"2024-01-01T00:00:00Z","architecture":"amd64","os":"linux",)"
      R"("config":{{"Env":["PATH=/usr/local/bin:/usr/bin:/bin:/app"],"Cmd":["app"],"WorkingDir":"/app"}},)"
      R"("rootfs":{{"type":"layers","diff_ids":["sha256:{}"]}},)"
      R"("history":[{{"created":"2024-01-01T00:00:00Z","created_by":"COPY . / # fuzz layer"}}]}})",
      layer_hex);
  const std::string config_hex = sha256_hex(config);
  const std::string manifest = fmt::format(
      R"({{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
      R"("config":{{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:{}","size":{}}},)"
      R"("layers":[{{"mediaType":"{}","digest":"sha256:{}","size":{}}}]}})",
      config_hex, config.size(), layer_media_type(layer), layer_hex, layer.size());
  const std::string manifest_hex = sha256_hex(manifest);
  const std::string index = fmt::format(
      R"({{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",)"
      R"("manifests":[{{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{}","size":{},)"
      R"("platform":{{"architecture":"amd64","os":"linux"}},)"
      R"("annotations":{{"org.opencontainers.image.ref.name":"fuzz"}}}}]}})",
      manifest_hex, manifest.size());
  TarWriter tar;
  tar.file("oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  tar.file("index.json", index);
  tar.file("blobs/sha256/" + manifest_hex, manifest);
  tar.file("blobs/sha256/" + config_hex, config);
  tar.file("blobs/sha256/" + layer_hex, layer);
  return tar.finish();
}

}  // namespace
}  // namespace enoexec::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace enoexec;
  using namespace enoexec::fuzz;
  static MemFile file;
  file.assign(archive_of({reinterpret_cast<const char*>(data), size}));
  auto image = Image::open(file.path(), options());
  // The archive around the layer is valid: failing to open it, or to list its one entry as an
  // image, is a bug in the harness or the metadata reader, not a property of the layer.
  if (!image || (*image)->entries().size() != 1 || !(*image)->entries()[0].skipped.empty()) __builtin_trap();
  const Image& opened = **image;
  const ImageEntry& entry = opened.entries()[0];
  auto judged = judge_image_entry(opened, 0, nullptr, options());
  if (!judged) {
    if (judged.error().what.empty()) __builtin_trap();
    print_entry(opened, entry, nullptr, judged.error().what);
    return 0;
  }
  std::vector<ImageJudgement> judgements;
  judgements.push_back(std::move(*judged));
  compare_entries(opened, judgements);
  print_entry(opened, entry, &judgements[0], "");
  return 0;
}
