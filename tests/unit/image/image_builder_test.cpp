// The image builder itself (tests/builders/image_builder.hpp): every shape it writes is read back
// with libarchive and nlohmann_json, independently of src/image, so that an image test failing
// means the reader, not the input.
#include "builders/image_builder.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

namespace enoexec::test {
namespace {

struct ReadEntry {
  std::string path;
  unsigned type = 0;  // AE_IFREG, AE_IFDIR, ...
  unsigned perm = 0;
  std::int64_t uid = 0, gid = 0;
  std::string symlink, hardlink;
  unsigned dev_major = 0, dev_minor = 0;
  Bytes data;
};

// Every entry of a tar, compressed or not (libarchive's readers); the end status in `status`.
std::vector<ReadEntry> read_tar(const Bytes& bytes, int* status = nullptr) {
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_tar(a);
  std::vector<ReadEntry> entries;
  int result = archive_read_open_memory(a, bytes.data(), bytes.size());
  archive_entry* entry = nullptr;
  while (result == ARCHIVE_OK && (result = archive_read_next_header(a, &entry)) == ARCHIVE_OK) {
    ReadEntry& read = entries.emplace_back();
    read.path = archive_entry_pathname(entry);
    read.type = archive_entry_filetype(entry);
    read.perm = archive_entry_perm(entry);
    read.uid = archive_entry_uid(entry);
    read.gid = archive_entry_gid(entry);
    if (const char* link = archive_entry_symlink(entry)) read.symlink = link;
    if (const char* link = archive_entry_hardlink(entry)) read.hardlink = link;
    read.dev_major = static_cast<unsigned>(archive_entry_rdevmajor(entry));
    read.dev_minor = static_cast<unsigned>(archive_entry_rdevminor(entry));
    char buffer[4096];
    for (la_ssize_t n; (n = archive_read_data(a, buffer, sizeof buffer)) > 0;)
      read.data.insert(read.data.end(), buffer, buffer + n);
  }
  if (status != nullptr) *status = result;
  archive_read_free(a);
  return entries;
}

// The bytes under any compression libarchive reads (its raw format).
Bytes decompress(const Bytes& bytes) {
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_raw(a);
  Bytes out;
  archive_entry* entry = nullptr;
  if (archive_read_open_memory(a, bytes.data(), bytes.size()) == ARCHIVE_OK &&
      archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    char buffer[4096];
    for (la_ssize_t n; (n = archive_read_data(a, buffer, sizeof buffer)) > 0;) out.insert(out.end(), buffer, buffer + n);
  }
  archive_read_free(a);
  return out;
}

Bytes read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
nlohmann::json json_file(const std::filesystem::path& path) { return nlohmann::json::parse(read_file(path)); }
bool starts_with(const Bytes& bytes, const Bytes& magic) {
  return bytes.size() >= magic.size() && std::equal(magic.begin(), magic.end(), bytes.begin());
}

std::vector<TarEntry> every_kind() {
  return {TarEntry::dir("bin"),
          TarEntry::file("bin/app", "\x7f" "ELF", 0755).owner(1000, 1001),
          TarEntry::symlink("bin/sh", "/bin/app"),
          TarEntry::hardlink("bin/app2", "bin/app"),
          TarEntry::char_device("dev/null", 1, 3),
          TarEntry::fifo("run/fifo"),
          TarEntry::whiteout("etc/passwd"),
          TarEntry::opaque("var"),
          TarEntry::file("../escape", "up"),
          TarEntry::file("/abs/file", "abs")};
}

TEST(ImageBuilder, TarKeepsEveryKindOfEntry) {
  const Tar tar = write_tar(every_kind());
  int status = 0;
  const std::vector<ReadEntry> read = read_tar(tar.bytes, &status);
  EXPECT_EQ(status, ARCHIVE_EOF);
  ASSERT_EQ(read.size(), 10u);
  EXPECT_EQ(read[0].type, AE_IFDIR);
  EXPECT_EQ(read[1].path, "bin/app");
  EXPECT_EQ(read[1].perm, 0755u);
  EXPECT_EQ(read[1].uid, 1000);
  EXPECT_EQ(read[1].gid, 1001);
  EXPECT_EQ(text_of(read[1].data), "\x7f" "ELF");
  EXPECT_EQ(read[2].type, AE_IFLNK);
  EXPECT_EQ(read[2].symlink, "/bin/app");
  EXPECT_EQ(read[3].hardlink, "bin/app");
  EXPECT_EQ(read[4].type, AE_IFCHR);
  EXPECT_EQ(read[4].dev_major, 1u);
  EXPECT_EQ(read[4].dev_minor, 3u);
  EXPECT_EQ(read[5].type, AE_IFIFO);
  EXPECT_EQ(read[6].path, "etc/.wh.passwd");
  EXPECT_EQ(read[7].path, "var/.wh..wh..opq");
  EXPECT_EQ(read[8].path, "../escape");  // written as given: the reader must refuse or clamp it
  EXPECT_EQ(read[9].path, "/abs/file");
  // Unblocked, with the two zero blocks at the end and nothing after them.
  EXPECT_EQ(tar.bytes.size() % 512, 0u);
  EXPECT_EQ(tar.bytes.size(), tar.entry_ends.back() + 1024);
  EXPECT_TRUE(std::all_of(tar.bytes.end() - 1024, tar.bytes.end(), [](std::uint8_t b) { return b == 0; }));
}

TEST(ImageBuilder, TarWithoutEndBlocksStopsAfterItsLastEntry) {
  const Tar whole = write_tar(every_kind());
  const Tar cut = write_tar(every_kind(), false);
  EXPECT_EQ(cut.bytes.size(), whole.bytes.size() - 1024);
  EXPECT_TRUE(std::equal(cut.bytes.begin(), cut.bytes.end(), whole.bytes.begin()));
  EXPECT_EQ(read_tar(cut.bytes).size(), 10u);
}

TEST(ImageBuilder, LayerCompressionsReadBackAndHashAsTheConfigSays) {
  const std::vector<std::pair<Compression, Bytes>> cases = {
      {Compression::none, {}}, {Compression::gzip, {0x1f, 0x8b}},
      {Compression::gzip_per_entry, {0x1f, 0x8b}}, {Compression::zstd, {0x28, 0xb5, 0x2f, 0xfd}}};
  for (const auto& [compression, magic] : cases) {
    const Layer layer = build_layer({.entries = every_kind(), .compression = compression});
    EXPECT_TRUE(starts_with(layer.blob, magic));
    EXPECT_EQ(layer.digest, sha256_of(layer.blob));
    EXPECT_EQ(layer.diff_id, sha256_of(layer.tar));
    EXPECT_EQ(decompress(layer.blob), layer.tar);
    EXPECT_EQ(read_tar(layer.blob).size(), 10u);
    EXPECT_EQ(build_layer({.entries = every_kind(), .compression = compression}).blob, layer.blob) << "not reproducible";
  }
}

TEST(ImageBuilder, GzipPerEntryWritesOneMemberPerEntryAndOneForTheEnd) {
  const Layer layer = build_layer({.entries = every_kind(), .compression = Compression::gzip_per_entry});
  // Every member starts with the same header: no time stamp (bytes 4-7 zero), no name.
  const Bytes header(layer.blob.begin(), layer.blob.begin() + 10);
  EXPECT_EQ(header[4] | header[5] | header[6] | header[7], 0);
  std::size_t members = 0;
  for (auto it = layer.blob.begin(); (it = std::search(it, layer.blob.end(), header.begin(), header.end())) != layer.blob.end(); ++it)
    ++members;
  EXPECT_EQ(members, every_kind().size() + 1);
  const Layer cut = build_layer({.entries = every_kind(), .compression = Compression::gzip_per_entry, .end_blocks = false});
  EXPECT_EQ(decompress(cut.blob).size(), layer.tar.size() - 1024);
}

ImageSpec busybox_like(Compression compression = Compression::gzip) {
  ImageSpec spec;
  spec.config.platform = PlatformSpec::of("linux/arm/v7");
  spec.config.entrypoint = std::vector<std::string>{"/bin/sh", "-c"};
  spec.config.cmd = std::vector<std::string>{"echo ok"};
  spec.config.working_dir = "/work";
  spec.config.user = "1000:1000";
  spec.layers.push_back({.entries = {TarEntry::file("bin/busybox", "elf", 0755), TarEntry::symlink("bin/sh", "busybox")},
                         .compression = compression, .created_by = "COPY busybox /bin/"});
  spec.layers.push_back({.entries = {TarEntry::whiteout("bin/old")}, .compression = compression});
  return spec;
}

TEST(ImageBuilder, ConfigAndManifestSayWhatTheSpecSays) {
  BlobStore store;
  ImageSpec spec = busybox_like();
  spec.edit_config = [](Json& config) { config["config"]["Shell"] = {"/bin/ash", "-c"}; };
  const BuiltImage image = add_image(store, spec);
  const auto config = nlohmann::json::parse(store.blobs.at(image.config.digest));
  EXPECT_EQ(config["architecture"], "arm");
  EXPECT_EQ(config["variant"], "v7");
  EXPECT_EQ(config["config"]["Entrypoint"], nlohmann::json({"/bin/sh", "-c"}));
  EXPECT_EQ(config["config"]["WorkingDir"], "/work");
  EXPECT_EQ(config["config"]["User"], "1000:1000");
  EXPECT_EQ(config["config"]["Shell"][0], "/bin/ash");
  EXPECT_EQ(config["rootfs"]["diff_ids"], nlohmann::json({image.layers[0].diff_id, image.layers[1].diff_id}));
  EXPECT_EQ(config["history"][0]["created_by"], "COPY busybox /bin/");
  EXPECT_EQ(config["history"][1]["created_by"], "layer 1");
  const auto manifest = nlohmann::json::parse(store.blobs.at(image.manifest.digest));
  EXPECT_EQ(manifest["mediaType"], "application/vnd.oci.image.manifest.v1+json");
  EXPECT_EQ(manifest["layers"][1]["mediaType"], "application/vnd.oci.image.layer.v1.tar+gzip");
  EXPECT_EQ(manifest["layers"][1]["digest"], image.layers[1].digest);
  EXPECT_EQ(image.manifest.to_json()["platform"], Json({{"architecture", "arm"}, {"os", "linux"}, {"variant", "v7"}}));

  spec.vocabulary = Vocabulary::docker;
  const BuiltImage docker = add_image(store, spec);
  const auto docker_manifest = nlohmann::json::parse(store.blobs.at(docker.manifest.digest));
  EXPECT_EQ(docker_manifest["mediaType"], "application/vnd.docker.distribution.manifest.v2+json");
  EXPECT_EQ(docker_manifest["config"]["mediaType"], "application/vnd.docker.container.image.v1+json");
  EXPECT_EQ(docker_manifest["layers"][0]["mediaType"], "application/vnd.docker.image.rootfs.diff.tar.gzip");
}

// Every blob file hashes to its name, and every descriptor of index.json names one.
void expect_sound_layout(const std::filesystem::path& dir) {
  EXPECT_EQ(json_file(dir / "oci-layout")["imageLayoutVersion"], "1.0.0");
  for (const auto& file : std::filesystem::directory_iterator(dir / "blobs/sha256"))
    EXPECT_EQ(sha256_of(read_file(file.path())), "sha256:" + file.path().filename().string());
  const auto index = json_file(dir / "index.json");  // the loop below must not outlive it
  for (const auto& entry : index["manifests"]) {
    const std::string digest = entry["digest"];
    EXPECT_EQ(read_file(dir / blob_path(digest)).size(), entry["size"].get<std::size_t>());
  }
}

TEST(ImageBuilder, OciLayoutWithNestedIndexAttestationAndArtifact) {
  OciLayout layout;
  const BuiltImage arm = add_image(layout.store, busybox_like(Compression::zstd));
  ImageSpec amd64_spec = busybox_like(Compression::gzip_per_entry);
  amd64_spec.config.platform = PlatformSpec::of("linux/amd64");
  const BuiltImage amd64 = add_image(layout.store, amd64_spec);
  const Descriptor attestation = add_attestation(layout.store, amd64.manifest);
  Descriptor nested = add_index(layout.store, {amd64.manifest, arm.manifest, attestation});
  nested.annotations["org.opencontainers.image.ref.name"] = "latest";
  layout.manifests = {nested, add_artifact(layout.store, "application/vnd.example.sbom+json", bytes_of("{}"))};

  ScratchDir dir;
  write_tree(dir.path(), layout_tree(layout));
  expect_sound_layout(dir.path());
  const auto index = json_file(dir / "index.json");
  ASSERT_EQ(index["manifests"].size(), 2u);
  EXPECT_EQ(index["manifests"][0]["mediaType"], "application/vnd.oci.image.index.v1+json");
  EXPECT_EQ(index["manifests"][1]["artifactType"], "application/vnd.example.sbom+json");
  const auto inner = json_file(dir / blob_path(nested.digest));
  ASSERT_EQ(inner["manifests"].size(), 3u);
  EXPECT_EQ(inner["manifests"][0]["platform"]["architecture"], "amd64");
  EXPECT_EQ(inner["manifests"][2]["platform"]["os"], "unknown");
  EXPECT_EQ(inner["manifests"][2]["annotations"]["vnd.docker.reference.type"], "attestation-manifest");
  EXPECT_EQ(inner["manifests"][2]["annotations"]["vnd.docker.reference.digest"], amd64.manifest.digest);
  const auto artifact = json_file(dir / blob_path(index["manifests"][1]["digest"]));
  EXPECT_EQ(artifact["config"]["mediaType"], "application/vnd.oci.empty.v1+json");
  // The layers read back from the written files, and hash to the config's diff_ids.
  const auto config = json_file(dir / blob_path(arm.config.digest));
  for (std::size_t i = 0; i < arm.layers.size(); ++i) {
    const Bytes blob = read_file(dir / blob_path(arm.layers[i].digest));
    EXPECT_EQ(sha256_of(decompress(blob)), config["rootfs"]["diff_ids"][i]);
  }
  EXPECT_EQ(read_tar(read_file(dir / blob_path(amd64.layers[0].digest)))[1].symlink, "busybox");
}

TEST(ImageBuilder, OciArchiveIsTheLayoutAsATar) {
  OciLayout layout;
  layout.manifests = {add_image(layout.store, busybox_like()).manifest};
  const Tree tree = layout_tree(layout);
  for (Compression compression : {Compression::none, Compression::gzip, Compression::zstd}) {
    const std::vector<ReadEntry> read = read_tar(tar_of_tree(tree, compression));
    ASSERT_EQ(read.size(), tree.size() + 2);  // blobs/ and blobs/sha256/ first
    EXPECT_EQ(read[0].path, "blobs/");
    EXPECT_EQ(read[1].path, "blobs/sha256/");
    EXPECT_EQ(read.back().path, "oci-layout");
    EXPECT_EQ(nlohmann::json::parse(read[read.size() - 2].data)["manifests"][0]["digest"], layout.manifests[0].digest);
  }
}

TEST(ImageBuilder, LegacyDockerSaveHasManifestJsonAndUncompressedLayerTars) {
  const ImageSpec spec = busybox_like();
  ScratchDir dir;
  write_tree(dir.path(), docker_legacy_tree(spec, "busybox:1.36"));
  const auto manifest = json_file(dir / "manifest.json");
  ASSERT_TRUE(manifest.is_array());
  EXPECT_EQ(manifest[0]["RepoTags"][0], "busybox:1.36");
  const auto config = json_file(dir / manifest[0]["Config"].get<std::string>());
  ASSERT_EQ(manifest[0]["Layers"].size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const Bytes tar = read_file(dir / manifest[0]["Layers"][i].get<std::string>());
    EXPECT_EQ(sha256_of(tar), config["rootfs"]["diff_ids"][i]);
    EXPECT_EQ(tar, write_tar(spec.layers[i].entries).bytes);
  }
  const std::string top = manifest[0]["Layers"][1].get<std::string>().substr(0, 64);
  EXPECT_EQ(json_file(dir / "repositories")["busybox"]["1.36"], top);
  EXPECT_EQ(json_file(dir / (top + "/json"))["parent"], manifest[0]["Layers"][0].get<std::string>().substr(0, 64));
  EXPECT_FALSE(std::filesystem::exists(dir / "index.json"));
}

TEST(ImageBuilder, Docker25SaveAndItsBugs) {
  ImageSpec spec = busybox_like(Compression::none);
  spec.config.platform = PlatformSpec::of("linux/amd64");
  for (Docker25 variant : {Docker25::fixed, Docker25::empty_layers, Docker25::manifests_null,
                           Docker25::layers_out_of_order, Docker25::wrong_layer_sizes}) {
    ScratchDir dir;
    write_tree(dir.path(), docker25_tree(spec, "busybox:latest", variant));
    const auto index = json_file(dir / "index.json");
    const auto legacy = json_file(dir / "manifest.json");
    const auto config = json_file(dir / legacy[0]["Config"].get<std::string>());
    EXPECT_EQ(legacy[0]["Layers"].size(), 2u);
    if (variant == Docker25::manifests_null) {
      EXPECT_TRUE(index["manifests"].is_null());
      continue;
    }
    expect_sound_layout(dir.path());
    EXPECT_EQ(index["manifests"][0]["annotations"]["io.containerd.image.name"], "docker.io/library/busybox:latest");
    EXPECT_EQ(index["manifests"][0]["annotations"]["org.opencontainers.image.ref.name"], "latest");
    const auto manifest = json_file(dir / blob_path(index["manifests"][0]["digest"]));
    EXPECT_EQ(manifest["config"]["platform"]["architecture"], "amd64");
    const auto& layers = manifest["layers"];
    const auto& diff_ids = config["rootfs"]["diff_ids"];
    if (variant == Docker25::empty_layers) {
      EXPECT_TRUE(layers.empty());
    } else if (variant == Docker25::layers_out_of_order) {
      EXPECT_EQ(layers[0]["digest"], diff_ids[1]);  // uncompressed: digest = diff_id
      EXPECT_EQ(legacy[0]["Layers"][0], "blobs/sha256/" + hex_of(diff_ids[1].get<std::string>()));
    } else {
      EXPECT_EQ(layers[0]["digest"], diff_ids[0]);
      EXPECT_EQ(layers[1]["mediaType"], "application/vnd.oci.image.layer.v1.tar");
      const auto blob_size = std::filesystem::file_size(dir / blob_path(layers[0]["digest"]));
      EXPECT_EQ(layers[0]["size"].get<std::uintmax_t>() == blob_size, variant == Docker25::fixed);
    }
  }
}

TEST(ImageBuilder, CorruptedBlobNoLongerHashesToItsName) {
  OciLayout layout;
  const BuiltImage image = add_image(layout.store, busybox_like());
  layout.manifests = {image.manifest};
  layout.store.corrupt(image.layers[0].digest);
  layout.store.replace(image.config.digest, bytes_of(R"({"architecture":"amd64","os":"linux"})"));
  ScratchDir dir;
  write_tree(dir.path(), layout_tree(layout));
  EXPECT_NE(sha256_of(read_file(dir / blob_path(image.layers[0].digest))), image.layers[0].digest);
  EXPECT_EQ(json_file(dir / blob_path(image.config.digest))["architecture"], "amd64");
  EXPECT_EQ(sha256_of(read_file(dir / blob_path(image.layers[1].digest))), image.layers[1].digest);
}

}  // namespace
}  // namespace enoexec::test
