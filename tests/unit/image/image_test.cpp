// Image::open, select_entry, judge_image_entry and compare_entries on images of every shape the
// builder writes (tests/builders/image_builder.hpp): an OCI layout, an OCI archive plain, gzip'd
// and zstd'd, a legacy `docker save`, a Docker >= 25 one and each of Docker 25.0's bugs; nested
// indexes, attestation manifests and artifacts; layers in every compression; platforms chosen as
// containerd chooses them, disagreeing, unknown; digests that do not match; one build copied into
// every platform. The root file system and the entrypoint are image_root_test.cpp's; hostile
// images are image_hostile_test.cpp's.
#include "unit/image/image_test_support.hpp"

namespace enoexec::test {
namespace {

// The image most tests start from: /bin/app, a static amd64 program, is the entrypoint.
ImageSpec app_spec(Compression compression = Compression::gzip, Vocabulary vocabulary = Vocabulary::oci) {
  ImageSpec spec = image_spec({{.entries = {TarEntry::dir("bin"), TarEntry::file("bin/app", static_elf(), 0755)},
                                .compression = compression,
                                .created_by = "COPY app /bin/"}},
                              {"/bin/app"});
  spec.config.cmd = std::vector<std::string>{"--serve"};
  spec.vocabulary = vocabulary;
  return spec;
}

// The entry at `index` runs, its entrypoint resolved to /bin/app.
void expect_app_runs(const Opened& opened, std::size_t index = 0) {
  const auto judged = opened.judge(index);
  ASSERT_TRUE(judged) << judged.error().what;
  EXPECT_EQ(judged->verdict.verdict, VerdictKind::runs) << joined(codes_of(judged->verdict));
  EXPECT_EQ(judged->verdict.target, "linux/amd64");
  EXPECT_EQ(judged->verdict.execve, "ok");
  ASSERT_TRUE(judged->entrypoint);
  EXPECT_EQ(judged->entrypoint->argv, (std::vector<std::string>{"/bin/app", "--serve"}));
  EXPECT_EQ(judged->entrypoint->path, "/bin/app");
  EXPECT_EQ(judged->entrypoint->runtime_error, "");
  ASSERT_TRUE(judged->entrypoint->report);
  EXPECT_EQ(judged->entrypoint->report->format, Format::elf);
  EXPECT_EQ(judged->programs.at("linux/amd64"), 1u);
  EXPECT_TRUE(judged->foreign.empty());
}

// ---------------------------------------------------------------------------------------------
// Shapes.

TEST(ImageShapes, OciLayoutDirectory) {
  OciLayout oci = oci_layout_of(app_spec(), "v1.2");
  const std::string digest = oci.manifests[0].digest;
  const Opened opened = open_tree(layout_tree(oci));
  ASSERT_TRUE(opened.image) << opened.error;
  EXPECT_EQ(opened.image->shape(), ImageShape::oci_layout);
  EXPECT_EQ(opened.image->argument(), opened.path.string());
  ASSERT_EQ(opened.image->entries().size(), 1u);
  const ImageEntry& entry = opened.entry();
  EXPECT_EQ(entry.digest, digest);
  EXPECT_EQ(entry.platform, "linux/amd64");
  EXPECT_EQ(entry.config_platform, "linux/amd64");
  ASSERT_TRUE(entry.parsed);
  EXPECT_EQ(entry.parsed->arch, Arch::amd64);
  EXPECT_EQ(entry.skipped, "");
  EXPECT_EQ(entry.ref_names, (std::vector<std::string>{"v1.2"}));
  EXPECT_EQ(entry.run.entrypoint, (std::vector<std::string>{"/bin/app"}));
  EXPECT_EQ(entry.run.cmd, (std::vector<std::string>{"--serve"}));
  ASSERT_EQ(entry.layers.size(), 1u);
  EXPECT_EQ(entry.layers[0].media_type, "application/vnd.oci.image.layer.v1.tar+gzip");
  EXPECT_EQ(entry.layers[0].member, blob_path(entry.layers[0].digest));
  EXPECT_EQ(entry.layers[0].created_by, "COPY app /bin/");
  EXPECT_TRUE(entry.layers[0].diff_id.starts_with("sha256:"));
  EXPECT_TRUE(entry.warnings.empty()) << joined(entry.warnings);
  expect_app_runs(opened);
}

TEST(ImageShapes, OciArchivePlainGzipAndZstd) {
  const Tree tree = layout(app_spec());
  for (Written how : {Written::tar, Written::tar_gzip, Written::tar_zstd}) {
    SCOPED_TRACE(static_cast<int>(how));
    const Opened opened = open_tree(tree, how);
    ASSERT_TRUE(opened.image) << opened.error;
    EXPECT_EQ(opened.image->shape(), ImageShape::oci_archive);
    ASSERT_EQ(opened.image->entries().size(), 1u);
    EXPECT_EQ(opened.entry().platform, "linux/amd64");
    expect_app_runs(opened);
  }
}

// A compressed archive is spooled to the private temporary folder, which goes with the Image.
TEST(ImageShapes, TheTemporaryFolderIsRemovedWithTheImage) {
  for (Written how : {Written::tar, Written::tar_gzip, Written::tar_zstd, Written::directory}) {
    Opened opened = open_tree(layout(app_spec()), how);
    ASSERT_TRUE(opened.image) << opened.error;
    expect_app_runs(opened);
    const bool spooled = !std::filesystem::is_empty(opened.temp);
    if (how == Written::tar_gzip || how == Written::tar_zstd) {
      EXPECT_TRUE(spooled) << "a compressed archive is read from the temporary folder";
    }
    opened.image.reset();
    EXPECT_TRUE(std::filesystem::is_empty(opened.temp)) << static_cast<int>(how);
  }
}

TEST(ImageShapes, LegacyDockerSave) {
  const Opened opened = open_tree(docker_legacy_tree(app_spec(Compression::none, Vocabulary::docker), "app:1.0"), Written::tar);
  ASSERT_TRUE(opened.image) << opened.error;
  EXPECT_EQ(opened.image->shape(), ImageShape::docker_archive);
  ASSERT_EQ(opened.image->entries().size(), 1u);
  const ImageEntry& entry = opened.entry();
  EXPECT_EQ(entry.digest, "");
  EXPECT_EQ(entry.platform, "");
  EXPECT_EQ(entry.config_platform, "linux/amd64");
  EXPECT_EQ(entry.ref_names, (std::vector<std::string>{"app:1.0"}));
  ASSERT_EQ(entry.layers.size(), 1u);
  EXPECT_TRUE(entry.layers[0].member.ends_with("/layer.tar")) << entry.layers[0].member;
  EXPECT_EQ(entry.layers[0].created_by, "COPY app /bin/");
  expect_app_runs(opened);
  // The same, unpacked into a directory.
  const Opened directory = open_tree(docker_legacy_tree(app_spec(Compression::none, Vocabulary::docker)));
  ASSERT_TRUE(directory.image) << directory.error;
  EXPECT_EQ(directory.image->shape(), ImageShape::docker_archive);
  expect_app_runs(directory);
}

// Two layers whose order matters: the lower /bin/app is an arm64 build, the upper an amd64 one
// that replaces it. Read in the wrong order, the entrypoint fails with ENOEXEC.
ImageSpec two_layer_spec() {
  ImageSpec spec = app_spec(Compression::none, Vocabulary::docker);
  spec.layers = {{.entries = {TarEntry::file("bin/app", static_elf(EM_AARCH64), 0755)}, .compression = Compression::none,
                  .created_by = "COPY app-arm64 /bin/app"},
                 {.entries = {TarEntry::file("bin/app", static_elf(), 0755)}, .compression = Compression::none,
                  .created_by = "COPY app /bin/app"}};
  return spec;
}

TEST(ImageShapes, Docker25Save) {
  const Opened opened = open_tree(docker25_tree(two_layer_spec(), "app:latest"), Written::tar);
  ASSERT_TRUE(opened.image) << opened.error;
  EXPECT_EQ(opened.image->shape(), ImageShape::docker_archive);
  ASSERT_EQ(opened.image->entries().size(), 1u);
  const ImageEntry& entry = opened.entry();
  EXPECT_TRUE(entry.digest.starts_with("sha256:"));
  EXPECT_EQ(entry.config_platform, "linux/amd64");
  EXPECT_NE(std::find(entry.ref_names.begin(), entry.ref_names.end(), "latest"), entry.ref_names.end());
  ASSERT_EQ(entry.layers.size(), 2u);
  EXPECT_EQ(entry.layers[1].created_by, "COPY app /bin/app");
  expect_app_runs(opened);
}

// moby#47210: `docker save IMAGE@DIGEST` wrote "manifests": null; manifest.json still says it all.
TEST(ImageShapes, Docker25ManifestsNull) {
  const Opened opened = open_tree(docker25_tree(two_layer_spec(), "app:latest", Docker25::manifests_null), Written::tar);
  ASSERT_TRUE(opened.image) << opened.error;
  EXPECT_EQ(opened.image->shape(), ImageShape::docker_archive);
  ASSERT_EQ(opened.image->entries().size(), 1u);
  EXPECT_EQ(opened.entry().skipped, "");
  EXPECT_NE(line_with(opened.image->warnings(), "\"manifests\": null"), "") << joined(opened.image->warnings());
  EXPECT_EQ(opened.entry().layers.size(), 2u);
  expect_app_runs(opened);
}

// moby#47065: the OCI manifest lists no layers; manifest.json's Layers are the image's.
TEST(ImageShapes, Docker25EmptyLayerListTakesManifestJsonsLayers) {
  const Opened opened = open_tree(docker25_tree(two_layer_spec(), "app:latest", Docker25::empty_layers), Written::tar);
  ASSERT_TRUE(opened.image) << opened.error;
  ASSERT_EQ(opened.image->entries().size(), 1u);
  EXPECT_EQ(opened.entry().skipped, "");
  EXPECT_EQ(opened.entry().layers.size(), 2u) << joined(opened.entry().warnings);
  expect_app_runs(opened);
}

// The layers listed out of rootfs.diff_ids order (uncompressed: digest = diff_id): read in the
// config's order, with a warning.
TEST(ImageShapes, Docker25LayersOutOfOrderAreReadInDiffIdOrder) {
  const Opened opened = open_tree(docker25_tree(two_layer_spec(), "app:latest", Docker25::layers_out_of_order), Written::tar);
  ASSERT_TRUE(opened.image) << opened.error;
  ASSERT_EQ(opened.image->entries().size(), 1u);
  const ImageEntry& entry = opened.entry();
  ASSERT_EQ(entry.layers.size(), 2u);
  EXPECT_EQ(entry.layers[0].digest, entry.layers[0].diff_id);
  EXPECT_EQ(entry.layers[0].created_by, "COPY app-arm64 /bin/app");
  EXPECT_NE(line_with(entry.warnings, "out of order"), "") << joined(entry.warnings);
  expect_app_runs(opened);
}

// moby#47072: layer descriptors with the gzip'd size, blobs uncompressed: read, with a note.
TEST(ImageShapes, Docker25WrongLayerSizesAreReadWithANote) {
  const Opened opened = open_tree(docker25_tree(two_layer_spec(), "app:latest", Docker25::wrong_layer_sizes), Written::tar);
  ASSERT_TRUE(opened.image) << opened.error;
  ASSERT_EQ(opened.image->entries().size(), 1u);
  expect_app_runs(opened);
  const auto judged = opened.judge();
  ASSERT_TRUE(judged) << judged.error().what;
  std::vector<std::string> notes = opened.entry().warnings;
  notes.insert(notes.end(), judged->warnings.begin(), judged->warnings.end());
  notes.insert(notes.end(), opened.image->warnings().begin(), opened.image->warnings().end());
  EXPECT_NE(line_with(notes, "size"), "") << "no note of the wrong sizes:\n" << joined(notes);
}

// ---------------------------------------------------------------------------------------------
// Indexes: nested, attestations, artifacts.

TEST(ImageIndexes, NestedIndexAttestationAndArtifact) {
  OciLayout oci;
  const BuiltImage amd64 = add_image(oci.store, app_spec());
  ImageSpec arm_spec = app_spec(Compression::zstd);
  arm_spec.config.platform = PlatformSpec::of("linux/arm64");
  arm_spec.layers[0].entries[1] = TarEntry::file("bin/app", static_elf(EM_AARCH64), 0755);
  const BuiltImage arm64 = add_image(oci.store, arm_spec);
  Descriptor nested = add_index(oci.store, {amd64.manifest, arm64.manifest, add_attestation(oci.store, amd64.manifest)});
  nested.annotations["org.opencontainers.image.ref.name"] = "latest";
  oci.manifests = {nested, add_artifact(oci.store, "application/vnd.example.sbom+json", bytes_of("{}"))};

  const Opened opened = open_tree(layout_tree(oci));
  ASSERT_TRUE(opened.image) << opened.error;
  const auto& entries = opened.image->entries();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].platform, "linux/amd64");
  EXPECT_EQ(entries[0].digest, amd64.manifest.digest);
  EXPECT_EQ(entries[0].ref_names, (std::vector<std::string>{"latest"}));
  EXPECT_EQ(entries[1].platform, "linux/arm64");
  EXPECT_EQ(entries[1].skipped, "");
  EXPECT_EQ(entries[2].skipped, "attestation manifest");
  EXPECT_TRUE(entries[3].skipped.starts_with("artifact (")) << entries[3].skipped;
  EXPECT_TRUE(contains(entries[3].skipped, "application/vnd.example.sbom+json")) << entries[3].skipped;

  expect_app_runs(opened, 0);
  const auto arm = opened.judge(1);
  ASSERT_TRUE(arm) << arm.error().what;
  EXPECT_EQ(arm->verdict.target, "linux/arm64");
  EXPECT_EQ(arm->verdict.verdict, VerdictKind::runs) << joined(codes_of(arm->verdict));
  // Skipped entries are listed, never judged as platforms.
  EXPECT_FALSE(opened.judge(2));
  EXPECT_FALSE(opened.judge(3));
  EXPECT_FALSE(opened.judge(4));
  EXPECT_EQ(select_entry(*opened.image, *parse_platform("linux/arm64")), 1u);
}

// ---------------------------------------------------------------------------------------------
// Layer compressions and the tar end blocks.

TEST(ImageLayers, EveryCompressionReadsTheSameRoot) {
  for (Compression compression : {Compression::none, Compression::gzip, Compression::gzip_per_entry, Compression::zstd}) {
    SCOPED_TRACE(static_cast<int>(compression));
    ImageSpec spec = app_spec(compression);
    spec.layers[0].entries.push_back(TarEntry::file("etc/motd", "hello\n"));
    const Opened opened = open_tree(layout(spec));
    ASSERT_TRUE(opened.image) << opened.error;
    expect_app_runs(opened);
    const auto judged = opened.judge();
    ASSERT_TRUE(judged) << judged.error().what;
    EXPECT_TRUE(judged->warnings.empty()) << joined(judged->warnings);
  }
}

// umoci 0.4.7 ends a layer after its last member: read, with a warning naming the layer.
TEST(ImageLayers, ALayerWithoutEndBlocksIsReadWithAWarning) {
  for (Compression compression : {Compression::none, Compression::gzip, Compression::zstd}) {
    SCOPED_TRACE(static_cast<int>(compression));
    ImageSpec spec = app_spec(compression);
    spec.layers[0].entries.push_back(TarEntry::file("hello.sh", "#!/bin/sh\necho ok\n", 0755));  // 18 bytes: unpadded
    spec.layers[0].end_blocks = false;
    const Opened opened = open_tree(layout(spec));
    ASSERT_TRUE(opened.image) << opened.error;
    expect_app_runs(opened);
    const auto judged = opened.judge();
    ASSERT_TRUE(judged) << judged.error().what;
    EXPECT_TRUE(contains(line_with(judged->warnings, "end-of-archive"), "layer 1")) << joined(judged->warnings);
    EXPECT_EQ(judged->programs.at("script"), 1u);  // the last member, whole
    EXPECT_FALSE(has_code(judged->verdict, "W_IMAGE_DIGEST_MISMATCH")) << "the digests cover the bytes as written";
  }
}

// ---------------------------------------------------------------------------------------------
// Platforms.

// An index of one tiny image per platform, in the order given.
Opened multi_platform(const std::vector<std::string>& platforms) {
  OciLayout oci;
  for (const std::string& platform : platforms) {
    ImageSpec spec = image_spec({program_layer("bin/app")}, {"/bin/app"}, platform);
    oci.manifests.push_back(add_image(oci.store, spec).manifest);
  }
  return open_tree(layout_tree(oci));
}

std::optional<std::size_t> select(const Opened& opened, std::string_view wanted) {
  const auto platform = parse_platform(wanted);
  EXPECT_TRUE(platform) << wanted;
  return platform ? select_entry(*opened.image, *platform) : std::nullopt;
}

TEST(ImagePlatforms, SelectEntryAsContainerdMatches) {
  const Opened opened = multi_platform({"linux/amd64", "linux/arm/v6", "linux/arm64", "linux/ppc64le"});
  ASSERT_TRUE(opened.image) << opened.error;
  ASSERT_EQ(opened.image->entries().size(), 4u);
  EXPECT_EQ(select(opened, "linux/amd64"), 0u);
  EXPECT_EQ(select(opened, "linux/arm64"), 2u);
  EXPECT_EQ(select(opened, "linux/ppc64le"), 3u);
  EXPECT_EQ(select(opened, "linux/arm/v7"), 1u) << "arm/v7 runs an arm/v6 entry when there is no v7";
  EXPECT_EQ(select(opened, "linux/amd64/v3"), 0u) << "amd64/v3 runs an amd64 (v1) entry";
  EXPECT_EQ(select(opened, "linux/arm/v5"), std::nullopt) << "a v5 machine cannot run v6";
  EXPECT_EQ(select(opened, "linux/s390x"), std::nullopt);

  const Opened arm = multi_platform({"linux/amd64", "linux/arm/v6", "linux/arm/v7"});
  ASSERT_TRUE(arm.image) << arm.error;
  EXPECT_EQ(select(arm, "linux/arm/v7"), 2u) << "the exact variant first";
  EXPECT_EQ(select(arm, "linux/arm/v6"), 1u);
  EXPECT_EQ(select(arm, "linux/arm64"), 2u) << "arm64 takes arm/v7 when there is no arm64";

  const Opened amd64 = multi_platform({"linux/amd64/v2", "linux/amd64"});
  ASSERT_TRUE(amd64.image) << amd64.error;
  EXPECT_EQ(select(amd64, "linux/amd64"), 1u) << "a v1 machine cannot run v2";
  EXPECT_EQ(select(amd64, "linux/amd64/v3"), 0u) << "the highest variant the machine runs";
}

TEST(ImagePlatforms, NoMatchingEntryIsSaidAsDockerSaysIt) {
  const Opened opened = multi_platform({"linux/amd64", "linux/arm/v7"});
  ASSERT_TRUE(opened.image) << opened.error;
  const Platform s390x = *parse_platform("linux/s390x");
  EXPECT_EQ(select_entry(*opened.image, s390x), std::nullopt);
  EXPECT_EQ(no_matching_manifest(*parse_platform("linux/arm64")),
            "no matching manifest for linux/arm64/v8 in the manifest list entries");  // Docker adds v8
  const Verdict verdict = no_matching_entry(*opened.image, s390x);
  EXPECT_EQ(verdict.verdict, VerdictKind::fails);
  EXPECT_EQ(codes_of(verdict), (std::vector<std::string>{"E_IMAGE_NO_MATCH"}));
  const std::string& message = verdict.problems.at(0).message;
  EXPECT_TRUE(contains(message, "no matching manifest for linux/s390x in the manifest list entries")) << message;
  EXPECT_TRUE(contains(message, "linux/amd64")) << message;
  EXPECT_TRUE(contains(message, "linux/arm/v7")) << message;
}

// The index says arm64, the config amd64 (and the program is amd64).
TEST(ImagePlatforms, IndexAndConfigDisagree) {
  OciLayout oci;
  BuiltImage built = add_image(oci.store, app_spec());
  built.manifest.platform = PlatformSpec::of("linux/arm64");
  oci.manifests = {built.manifest};
  const Opened opened = open_tree(layout_tree(oci));
  ASSERT_TRUE(opened.image) << opened.error;
  EXPECT_EQ(opened.entry().platform, "linux/arm64");
  EXPECT_EQ(opened.entry().config_platform, "linux/amd64");
  const auto judged = opened.judge();
  ASSERT_TRUE(judged) << judged.error().what;
  EXPECT_EQ(judged->verdict.target, "linux/arm64") << "the index's platform is what a runtime picks it for";
  EXPECT_TRUE(has_code(judged->verdict, "W_IMAGE_PLATFORM_MISMATCH")) << joined(codes_of(judged->verdict));
  EXPECT_TRUE(has_code(judged->verdict, "E_WRONG_ARCH")) << joined(codes_of(judged->verdict));
  EXPECT_EQ(judged->verdict.verdict, VerdictKind::fails);
  const Problem* mismatch = problem_of(judged->verdict, "W_IMAGE_PLATFORM_MISMATCH");
  ASSERT_NE(mismatch, nullptr);
  EXPECT_TRUE(contains(mismatch->message, "linux/arm64") && contains(mismatch->message, "linux/amd64")) << mismatch->message;
}

TEST(ImagePlatforms, AnUnknownPlatformIsNotJudged) {
  ImageSpec spec = app_spec();
  spec.config.platform = PlatformSpec::of("linux/pdp11");
  const Opened opened = open_tree(layout(spec));
  ASSERT_TRUE(opened.image) << opened.error;
  EXPECT_EQ(opened.entry().platform, "linux/pdp11");
  const auto judged = opened.judge();
  ASSERT_TRUE(judged) << judged.error().what;
  EXPECT_EQ(judged->verdict.verdict, VerdictKind::fails);
  EXPECT_EQ(codes_of(judged->verdict), (std::vector<std::string>{"E_IMAGE_PLATFORM_UNKNOWN"}));
  EXPECT_TRUE(contains(judged->verdict.problems[0].message, "linux/pdp11")) << judged->verdict.problems[0].message;
  // No runtime picks it for a platform it knows.
  EXPECT_EQ(select(opened, "linux/amd64"), std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// Digests.

TEST(ImageDigests, AReplacedLayerBlobIsReportedNotTrusted) {
  OciLayout oci;
  const ImageSpec spec = app_spec();
  const BuiltImage built = add_image(oci.store, spec);
  oci.manifests = {built.manifest};
  // Other, well-formed bytes under the layer's name: the same root with one more file.
  LayerSpec other = spec.layers[0];
  other.entries.push_back(TarEntry::file("etc/extra", "x"));
  oci.store.replace(built.layers[0].digest, build_layer(other).blob);
  const Opened opened = open_tree(layout_tree(oci));
  ASSERT_TRUE(opened.image) << opened.error;
  const auto judged = opened.judge();
  ASSERT_TRUE(judged) << judged.error().what;
  EXPECT_EQ(judged->verdict.verdict, VerdictKind::runs) << "still read, and judged";
  const Problem* mismatch = problem_of(judged->verdict, "W_IMAGE_DIGEST_MISMATCH");
  ASSERT_NE(mismatch, nullptr) << joined(codes_of(judged->verdict));
  EXPECT_TRUE(contains(mismatch->message, hex_of(built.layers[0].digest).substr(0, 12))) << mismatch->message;
}

TEST(ImageDigests, AReplacedConfigIsReportedNotTrusted) {
  OciLayout oci;
  const BuiltImage built = add_image(oci.store, app_spec());
  oci.manifests = {built.manifest};
  Json config = built.config_json;
  config["config"]["Cmd"] = Json::array({"--other"});
  oci.store.replace(built.config.digest, bytes_of(config.dump()));
  const Opened opened = open_tree(layout_tree(oci));
  ASSERT_TRUE(opened.image) << opened.error;
  EXPECT_EQ(opened.entry().run.cmd, (std::vector<std::string>{"--other"}));
  const auto judged = opened.judge();
  ASSERT_TRUE(judged) << judged.error().what;
  EXPECT_TRUE(has_code(judged->verdict, "W_IMAGE_DIGEST_MISMATCH")) << joined(codes_of(judged->verdict));
}

// ---------------------------------------------------------------------------------------------
// One build copied into every platform.

TEST(ImageCompare, TheSameProgramInEntriesOfDifferentArchitectures) {
  OciLayout oci;
  const Bytes build = static_elf(EM_X86_64, 64, 0, "one build");
  for (const char* platform : {"linux/amd64", "linux/arm64", "linux/amd64/v2"}) {
    ImageSpec spec = image_spec({{.entries = {TarEntry::file("bin/app", build, 0755),
                                              TarEntry::file("bin/own", static_elf(EM_X86_64, 64, 0, platform), 0755)}}},
                                {"/bin/app"}, platform);
    oci.manifests.push_back(add_image(oci.store, spec).manifest);
  }
  const Opened opened = open_tree(layout_tree(oci));
  ASSERT_TRUE(opened.image) << opened.error;
  std::vector<ImageJudgement> judged;
  for (std::size_t i = 0; i < 3; ++i) {
    auto one = opened.judge(i);
    ASSERT_TRUE(one) << one.error().what;
    EXPECT_FALSE(has_code(one->verdict, "W_IMAGE_SAME_PROGRAM"));
    judged.push_back(std::move(*one));
  }
  EXPECT_EQ(judged[0].native_digests.at("/bin/app"), judged[1].native_digests.at("/bin/app"));
  EXPECT_NE(judged[0].native_digests.at("/bin/own"), judged[1].native_digests.at("/bin/own"));
  compare_entries(*opened.image, judged);
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    const Problem* same = problem_of(judged[i].verdict, "W_IMAGE_SAME_PROGRAM");
    ASSERT_NE(same, nullptr) << joined(codes_of(judged[i].verdict));
    EXPECT_TRUE(contains(same->message, "/bin/app")) << same->message;
    EXPECT_FALSE(contains(same->message, "/bin/own")) << same->message;
  }
  // amd64 and amd64/v2 are one architecture: only arm64 is named to them.
  for (const Problem& problem : judged[0].verdict.problems) {
    if (problem.code == "W_IMAGE_SAME_PROGRAM") {
      EXPECT_TRUE(contains(problem.message, "linux/arm64")) << problem.message;
    }
  }
  // The arm64 entry also holds amd64 programs.
  EXPECT_EQ(judged[1].foreign.size(), 2u);
}

}  // namespace
}  // namespace enoexec::test
