// Hostile and broken images: each gets one clear error (or a warning and a partial reading), in
// bounded time and memory, and nothing is left in the private temporary folder. The limits are
// lowered through ImageOptions so that each bomb stays small here; the messages start with the
// limit's name as docs/limits.md spells it ("limit exceeded: decompressed bytes").
#include <sys/resource.h>
#include <sys/stat.h>

#include <chrono>

#include "unit/image/image_test_support.hpp"

namespace enoexec::test {
namespace {

using Clock = std::chrono::steady_clock;

ImageSpec app_spec(std::vector<TarEntry> extra = {}, Compression compression = Compression::gzip) {
  std::vector<TarEntry> entries = {TarEntry::file("bin/app", static_elf(), 0755)};
  entries.insert(entries.end(), extra.begin(), extra.end());
  return image_spec({{.entries = std::move(entries), .compression = compression}}, {"/bin/app"});
}

ImageOptions with_limit(std::uint64_t Limits::*field, std::uint64_t value) {
  ImageOptions options = test_options();
  options.limits.*field = value;
  options.inspect.limits = options.limits;
  return options;
}

// Judging entry 0 fails with a message containing every one of `parts`.
void expect_judge_error(const Opened& opened, std::initializer_list<std::string_view> parts) {
  ASSERT_TRUE(opened.image) << opened.error;
  const auto judged = opened.judge();
  ASSERT_FALSE(judged) << "judged: " << to_string(judged->verdict.verdict);
  for (std::string_view part : parts) EXPECT_TRUE(contains(judged.error().what, part)) << judged.error().what;
}

Bytes zeros(std::size_t n) { return Bytes(n, 0); }

// `value` in octal, `digits` wide, zero-padded, NUL-terminated (a tar header field).
std::string fmt_octal(std::uint64_t value, std::size_t digits) {
  std::string out(digits, '0');
  for (std::size_t i = digits; i-- > 0 && value > 0; value >>= 3) out[i] = static_cast<char>('0' + (value & 7));
  return out + '\0';
}

// ---------------------------------------------------------------------------------------------
// Decompression.

TEST(ImageHostile, AGzipBombStopsAtTheDecompressedBytesLimit) {
  const Opened opened = open_tree(layout(app_spec({TarEntry::file("bomb", zeros(8u << 20))})), Written::directory,
                                  with_limit(&Limits::decompressed_bytes, 1u << 20));
  expect_judge_error(opened, {"layer 1", "limit exceeded: decompressed bytes"});
  // The same image under the default limit is read.
  const Opened fine = open_tree(layout(app_spec({TarEntry::file("bomb", zeros(8u << 20))})));
  ASSERT_TRUE(fine.image) << fine.error;
  EXPECT_TRUE(fine.judge());
}

// The peak resident memory of this process so far, in bytes (a high-water mark: under ctest each
// test runs alone, so a rise shows what the test itself took).
std::uint64_t peak_rss() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
}

// A zstd layer holding one file of `mib` MiB of zeros, written frame by frame so that the test
// never holds it whole: the file's tar header (its size field set by hand), then one frame of
// 1 MiB of zeros repeated, then the end blocks.
Bytes zstd_zero_bomb(std::size_t mib) {
  Bytes header = write_tar({TarEntry::file("bomb", zeros(512))}, false).bytes;
  header.resize(512);
  const std::string size = fmt_octal(std::uint64_t{mib} << 20, 11);
  std::copy(size.begin(), size.end(), header.begin() + 124);
  std::fill(header.begin() + 148, header.begin() + 156, ' ');
  unsigned sum = 0;
  for (std::uint8_t byte : header) sum += byte;
  const std::string checksum = fmt_octal(sum, 6);
  std::copy(checksum.begin(), checksum.end(), header.begin() + 148);
  header[154] = 0;
  Bytes blob = compress(header, Compression::zstd);
  const Bytes mebibyte = compress(zeros(1u << 20), Compression::zstd);
  for (std::size_t i = 0; i < mib; ++i) blob.insert(blob.end(), mebibyte.begin(), mebibyte.end());
  const Bytes end = compress(zeros(1024), Compression::zstd);
  blob.insert(blob.end(), end.begin(), end.end());
  return blob;
}

// zstd of zeros passes gzip's 1032:1; the ratio limit applies once a layer has given 64 MiB.
TEST(ImageHostile, AZstdBombStopsAtTheCompressionRatioLimit) {
  OciLayout oci;
  const BuiltImage built = add_image(oci.store, app_spec());
  oci.manifests = {built.manifest};
  oci.store.replace(built.layers[0].digest, zstd_zero_bomb(256));
  const std::uint64_t rss_before = peak_rss();
  const auto start = Clock::now();
  const Opened opened = open_tree(layout_tree(oci), Written::directory, with_limit(&Limits::compression_ratio, 1000));
  expect_judge_error(opened, {"layer 1", "limit exceeded: compression ratio"});
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(30));
  EXPECT_LT(peak_rss() - rss_before, std::uint64_t{128} << 20) << "the layer is streamed, never held";
  // Under a limit above its ratio (zstd packs 1 MiB of zeros in a few dozen bytes) it is read to its end.
  const Opened fine = open_tree(layout_tree(oci), Written::directory, with_limit(&Limits::compression_ratio, 1u << 20));
  ASSERT_TRUE(fine.image) << fine.error;
  const auto judged = fine.judge();
  ASSERT_TRUE(judged) << judged.error().what;
  EXPECT_TRUE(has_code(judged->verdict, "W_IMAGE_DIGEST_MISMATCH")) << "the blob was replaced";
  EXPECT_LT(peak_rss() - rss_before, std::uint64_t{128} << 20) << "the layer is streamed, never held";
}

TEST(ImageHostile, ImageBytesBoundAllLayersTogether) {
  ImageSpec spec = app_spec({TarEntry::file("a", zeros(600u << 10))});
  spec.layers.push_back({.entries = {TarEntry::file("b", zeros(600u << 10))}});
  const Opened opened = open_tree(layout(spec), Written::directory, with_limit(&Limits::image_bytes, 1u << 20));
  expect_judge_error(opened, {"limit exceeded: image bytes"});
}

TEST(ImageHostile, ATruncatedGzipLayer) {
  OciLayout oci;
  const BuiltImage built = add_image(oci.store, app_spec({TarEntry::file("data", static_elf(EM_X86_64, 64, 0, "x"), 0644)}));
  oci.manifests = {built.manifest};
  Bytes cut = built.layers[0].blob;
  cut.resize(cut.size() / 2);
  oci.store.replace(built.layers[0].digest, cut);
  expect_judge_error(open_tree(layout_tree(oci)), {"layer 1"});
}

TEST(ImageHostile, ACorruptGzipLayer) {
  OciLayout oci;
  const BuiltImage built = add_image(oci.store, app_spec());
  oci.manifests = {built.manifest};
  oci.store.corrupt(built.layers[0].digest);
  expect_judge_error(open_tree(layout_tree(oci)), {"layer 1"});
}

// A layer blob that is no tar at all (gzip'd text).
TEST(ImageHostile, ALayerThatIsNoTar) {
  OciLayout oci;
  const BuiltImage built = add_image(oci.store, app_spec());
  oci.manifests = {built.manifest};
  oci.store.replace(built.layers[0].digest, compress(bytes_of(std::string(5000, 'x')), Compression::gzip));
  expect_judge_error(open_tree(layout_tree(oci)), {"layer 1"});
}

// ---------------------------------------------------------------------------------------------
// Counts.

TEST(ImageHostile, LayerEntriesLimit) {
  std::vector<TarEntry> many;
  for (int i = 0; i < 40; ++i) many.push_back(TarEntry::file("many/f" + std::to_string(i), "x"));
  const Opened opened = open_tree(layout(app_spec(many)), Written::directory, with_limit(&Limits::layer_entries, 20));
  expect_judge_error(opened, {"limit exceeded: layer entries"});
  // An archive's own members count too.
  const Opened archive = open_tree(layout(app_spec()), Written::tar, with_limit(&Limits::layer_entries, 3));
  EXPECT_FALSE(archive.image);
  EXPECT_TRUE(contains(archive.error, "limit exceeded: layer entries")) << archive.error;
}

TEST(ImageHostile, LayersLimit) {
  ImageSpec spec = app_spec();
  for (int i = 0; i < 3; ++i) spec.layers.push_back({.entries = {TarEntry::file("l" + std::to_string(i), "x")}});
  const Opened opened = open_tree(layout(spec), Written::directory, with_limit(&Limits::layers, 3));
  ASSERT_TRUE(opened.image) << opened.error;
  ASSERT_EQ(opened.image->entries().size(), 1u);
  EXPECT_TRUE(contains(opened.entry().skipped, "limit exceeded: layers")) << opened.entry().skipped;
  EXPECT_FALSE(opened.judge());
  const Opened four = open_tree(layout(spec), Written::directory, with_limit(&Limits::layers, 4));
  ASSERT_TRUE(four.image) << four.error;
  EXPECT_EQ(four.entry().skipped, "");
}

TEST(ImageHostile, PlatformsLimit) {
  OciLayout oci;
  for (const char* platform : {"linux/amd64", "linux/arm64", "linux/riscv64", "linux/s390x"}) {
    oci.manifests.push_back(add_image(oci.store, image_spec({program_layer("bin/app")}, {"/bin/app"}, platform)).manifest);
  }
  const Opened opened = open_tree(layout_tree(oci), Written::directory, with_limit(&Limits::platforms, 2));
  ASSERT_TRUE(opened.image) << opened.error;
  EXPECT_EQ(opened.image->entries().size(), 2u);
  EXPECT_NE(line_with(opened.image->warnings(), "limit exceeded: platforms"), "") << joined(opened.image->warnings());
}

// Indexes nested without end (each a new blob): read to a fixed depth, then listed as unreadable.
TEST(ImageHostile, IndexesNestedTooDeep) {
  OciLayout oci;
  Descriptor inner = add_image(oci.store, app_spec()).manifest;
  for (int i = 0; i < 20; ++i) inner = add_index(oci.store, {inner});
  oci.manifests = {inner};
  const auto start = Clock::now();
  const Opened opened = open_tree(layout_tree(oci));
  ASSERT_TRUE(opened.image) << opened.error;
  ASSERT_EQ(opened.image->entries().size(), 1u);
  EXPECT_TRUE(contains(opened.entry().skipped, "nested")) << opened.entry().skipped;
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
}

// ---------------------------------------------------------------------------------------------
// JSON.

// A manifest far over the json bytes limit (as a 100 MB one is over the default).
TEST(ImageHostile, AManifestOverTheJsonBytesLimit) {
  ImageSpec spec = app_spec();
  spec.edit_manifest = [](Json& manifest) { manifest["annotations"] = {{"padding", std::string(64u << 10, 'x')}}; };
  const Opened opened = open_tree(layout(spec), Written::directory, with_limit(&Limits::json_bytes, 32u << 10));
  ASSERT_TRUE(opened.image) << opened.error;
  ASSERT_EQ(opened.image->entries().size(), 1u);
  EXPECT_TRUE(contains(opened.entry().skipped, "limit exceeded: json bytes")) << opened.entry().skipped;
  EXPECT_FALSE(opened.judge());
}

TEST(ImageHostile, AConfigOverTheJsonBytesLimit) {
  ImageSpec spec = app_spec();
  spec.edit_config = [](Json& config) { config["config"]["Labels"] = {{"padding", std::string(64u << 10, 'x')}}; };
  const Opened opened = open_tree(layout(spec), Written::directory, with_limit(&Limits::json_bytes, 32u << 10));
  ASSERT_TRUE(opened.image) << opened.error;
  EXPECT_TRUE(contains(opened.entry().skipped, "limit exceeded: json bytes")) << opened.entry().skipped;
}

TEST(ImageHostile, AnIndexOverTheJsonBytesLimit) {
  OciLayout oci = oci_layout_of(app_spec());
  oci.manifests[0].annotations["padding"] = std::string(64u << 10, 'x');
  const Opened opened = open_tree(layout_tree(oci), Written::directory, with_limit(&Limits::json_bytes, 32u << 10));
  EXPECT_FALSE(opened.image);
  EXPECT_TRUE(contains(opened.error, "limit exceeded: json bytes")) << opened.error;
}

// `text` with a million nested arrays before its last '}': the parser would recurse once per level.
Bytes deepened(const Bytes& json) {
  std::string text = text_of(json);
  const std::size_t levels = 1000000;
  text.insert(text.rfind('}'), ",\"deep\":" + std::string(levels, '[') + std::string(levels, ']'));
  return bytes_of(text);
}

TEST(ImageHostile, DeepJsonNesting) {
  OciLayout oci;
  const BuiltImage built = add_image(oci.store, app_spec());
  oci.manifests = {built.manifest};
  oci.store.replace(built.config.digest, deepened(oci.store.blobs.at(built.config.digest)));
  const auto start = Clock::now();
  const Opened opened = open_tree(layout_tree(oci));
  ASSERT_TRUE(opened.image) << opened.error;
  EXPECT_TRUE(contains(opened.entry().skipped, "limit exceeded: json depth")) << opened.entry().skipped;
  // index.json itself: the image cannot be read.
  Tree tree = layout(app_spec());
  for (auto& [path, bytes] : tree)
    if (path == "index.json") bytes = deepened(bytes);
  const Opened index = open_tree(tree);
  EXPECT_FALSE(index.image);
  EXPECT_TRUE(contains(index.error, "limit exceeded: json depth")) << index.error;
  // Within the limit it is read: the nesting is what is refused, not the key.
  ImageSpec spec = app_spec();
  spec.edit_config = [](Json& config) {
    Json value = Json::array();
    for (int i = 1; i < 60; ++i) value = Json::array({value});
    config["deep"] = value;
  };
  const Opened fine = open_tree(layout(spec));
  ASSERT_TRUE(fine.image) << fine.error;
  EXPECT_EQ(fine.entry().skipped, "");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(20));
}

TEST(ImageHostile, JsonOfTheWrongShapeReadsAsAbsent) {
  ImageSpec spec = app_spec();
  spec.edit_config = [](Json& config) {
    config["config"]["Entrypoint"] = "not an array";
    config["config"]["Env"] = {{"PATH", 1}};
    config["rootfs"] = 7;
    config["history"] = "none";
  };
  const Opened opened = open_tree(layout(spec));
  ASSERT_TRUE(opened.image) << opened.error;
  EXPECT_TRUE(opened.entry().run.entrypoint.empty());
  const auto judged = opened.judge();
  ASSERT_TRUE(judged) << judged.error().what;
  EXPECT_TRUE(has_code(judged->verdict, "E_IMAGE_NO_COMMAND")) << joined(codes_of(judged->verdict));
  // Not JSON at all.
  Tree tree = layout(app_spec());
  for (auto& [path, bytes] : tree)
    if (path == "index.json") bytes = bytes_of("{\"manifests\": [");
  const Opened broken = open_tree(tree);
  EXPECT_FALSE(broken.image);
  EXPECT_TRUE(contains(broken.error, "index.json")) << broken.error;
}

// A digest that is a path: never a file name.
TEST(ImageHostile, DigestsThatClimbOutAreNotFollowed) {
  OciLayout oci = oci_layout_of(app_spec());
  oci.manifests.push_back(oci.manifests[0]);
  oci.manifests[1].digest = "sha256:../../../../../../etc/passwd";
  ImageSpec spec = app_spec();
  spec.edit_manifest = [](Json& manifest) { manifest["layers"][0]["digest"] = "sha256:../../../../etc/passwd"; };
  oci.manifests.push_back(add_image(oci.store, spec).manifest);
  const Opened opened = open_tree(layout_tree(oci));
  ASSERT_TRUE(opened.image) << opened.error;
  ASSERT_EQ(opened.image->entries().size(), 3u);
  EXPECT_EQ(opened.entry(0).skipped, "");
  EXPECT_TRUE(opened.entry(1).skipped.starts_with("unreadable")) << opened.entry(1).skipped;
  const auto judged = opened.judge(2);
  EXPECT_FALSE(judged) << "a layer named by a path was read";
}

// ---------------------------------------------------------------------------------------------
// Paths and links.

TEST(ImageHostile, AMemberPathOverThePathBytesLimit) {
  const std::string long_name = "deep/" + std::string(5000, 'a');
  const Opened opened = open_tree(layout(app_spec({TarEntry::file(long_name, "x")})));
  ASSERT_TRUE(opened.image) << opened.error;
  const auto judged = opened.judge();
  ASSERT_TRUE(judged) << judged.error().what;
  EXPECT_NE(line_with(judged->warnings, "limit exceeded: path bytes"), "") << joined(judged->warnings);
  EXPECT_EQ(judged->verdict.verdict, VerdictKind::runs);
}

// The kernel follows 40 links (MAXSYMLINKS), then ELOOP.
TEST(ImageHostile, FortySymlinkHopsThenELOOP) {
  const auto chain = [](int links) {
    std::vector<TarEntry> entries = {TarEntry::file("bin/app", static_elf(), 0755)};
    for (int i = 0; i < links; ++i) {
      entries.push_back(TarEntry::symlink("l/" + std::to_string(i), i + 1 < links ? std::to_string(i + 1) : "/bin/app"));
    }
    return image_spec({{.entries = entries}}, {"/l/0"});
  };
  const Opened forty = open_tree(layout(chain(40)));
  ASSERT_TRUE(forty.image) << forty.error;
  const auto ok = forty.judge();
  ASSERT_TRUE(ok) << ok.error().what;
  EXPECT_EQ(ok->verdict.verdict, VerdictKind::runs) << joined(codes_of(ok->verdict));
  const Opened forty_one = open_tree(layout(chain(41)));
  ASSERT_TRUE(forty_one.image) << forty_one.error;
  const auto loop = forty_one.judge();
  ASSERT_TRUE(loop) << loop.error().what;
  EXPECT_EQ(loop->verdict.verdict, VerdictKind::fails);
  ASSERT_TRUE(loop->entrypoint);
  EXPECT_TRUE(contains(loop->entrypoint->runtime_error, "too many levels of symbolic links")) << loop->entrypoint->runtime_error;
}

// ---------------------------------------------------------------------------------------------
// Not images.

TEST(ImageHostile, NotAnImage) {
  ScratchDir dir;
  write_file(dir / "text", bytes_of("hello, I am not an image\n"));
  const auto text = Image::open((dir / "text").string(), test_options());
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, ErrorCode::bad_magic);
  EXPECT_TRUE(contains(text.error().what, "not an image")) << text.error().what;
  // A tar of something else.
  write_file(dir / "other.tar", tar_of_tree({{"README", bytes_of("hi")}}));
  const auto other = Image::open((dir / "other.tar").string(), test_options());
  ASSERT_FALSE(other);
  EXPECT_TRUE(contains(other.error().what, "not an image")) << other.error().what;
  // An empty directory.
  std::filesystem::create_directories(dir / "empty");
  const auto empty = Image::open((dir / "empty").string(), test_options());
  ASSERT_FALSE(empty);
  EXPECT_TRUE(contains(empty.error().what, "not an image")) << empty.error().what;
  // Nothing there.
  const auto missing = Image::open((dir / "missing").string(), test_options());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::io);
  // A FIFO is never opened (it would block).
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  const auto fifo = Image::open((dir / "fifo").string(), test_options());
  ASSERT_FALSE(fifo);
  EXPECT_EQ(fifo.error().code, ErrorCode::not_regular);
}

TEST(ImageHostile, AnEmptyTar) {
  for (Written how : {Written::tar, Written::tar_gzip}) {
    const Opened opened = open_tree({}, how);
    EXPECT_FALSE(opened.image);
    EXPECT_TRUE(contains(opened.error, "not an image")) << opened.error;
    EXPECT_TRUE(std::filesystem::is_empty(opened.temp));
  }
  ScratchDir dir;
  write_file(dir / "zero", Bytes{});
  const auto zero = Image::open((dir / "zero").string(), test_options());
  ASSERT_FALSE(zero);
  EXPECT_TRUE(contains(zero.error().what, "not an image")) << zero.error().what;
}

// A compressed archive cut short: its members were being spooled; the folder goes all the same.
TEST(ImageHostile, ATruncatedCompressedArchiveLeavesNothingBehind) {
  const Bytes whole = tar_of_tree(layout(app_spec({TarEntry::file("data", static_elf(EM_X86_64, 64, 0, "pad"))})), Compression::gzip);
  ScratchDir dir;
  write_file(dir / "cut.tar.gz", Bytes(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(whole.size() * 3 / 4)));
  std::filesystem::create_directories(dir / "tmp");
  ImageOptions options = test_options();
  options.temp_dir = (dir / "tmp").string();
  const auto opened = Image::open((dir / "cut.tar.gz").string(), options);
  EXPECT_FALSE(opened);
  EXPECT_TRUE(std::filesystem::is_empty(dir / "tmp"));
}

}  // namespace
}  // namespace enoexec::test
