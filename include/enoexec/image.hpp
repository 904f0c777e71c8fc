// Container images: open one (an OCI layout directory, an OCI archive, a `docker save` tar, or
// the same streamed on standard input), list its platform entries, and judge an entry: its
// entrypoint resolved as Docker and runc do, and every program of its flattened root file
// system, against the platform the entry declares or a named target. Nothing is extracted
// outside a private temporary folder, and nothing in the image is executed. docs/images.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "enoexec/error.hpp"
#include "enoexec/host.hpp"
#include "enoexec/inspect.hpp"
#include "enoexec/limits.hpp"
#include "enoexec/platform.hpp"
#include "enoexec/report.hpp"
#include "enoexec/verdict.hpp"

namespace enoexec {

struct ImageOptions {
  Limits limits;         // image limits too: decompressed bytes, layer entries, ... (docs/limits.md)
  InspectOptions inspect;
  unsigned jobs = 0;     // layers inflated at once; 0: one per core
  std::string temp_dir;  // where the private temporary folder is made; "": $TMPDIR, else /tmp
};

// The shape the image was found in (by content, never by file name).
enum class ImageShape { oci_layout, oci_archive, docker_archive };
std::string_view to_string(ImageShape shape);  // "OCI layout", "OCI archive", "docker save archive"

// One layer of an entry, base first.
struct ImageLayer {
  std::string member;      // where its bytes are in the image: "blobs/sha256/<hex>", "<id>/layer.tar"
  std::string digest;      // the blob's: "sha256:…" ("" in a legacy docker save)
  std::string media_type;  // as the manifest says ("" in a legacy docker save)
  std::uint64_t size = 0;  // as the manifest says
  std::string diff_id;     // the config's rootfs.diff_ids entry for it ("" when absent)
  std::string created_by;  // history[].created_by of the step that made it ("" when absent)
};

// What the config says the container runs.
struct ImageRun {
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> env;  // NAME=value
  std::string working_dir;
  std::string user;
};

// One platform entry of an image: an image manifest of the index (or the only one).
struct ImageEntry {
  std::string digest;          // the manifest's: "sha256:…" ("" for a legacy docker save)
  std::string platform;        // as declared, OCI form without a default variant added
  std::string config_platform; // the config's os/architecture/variant, same form
  std::string config_digest;   // "sha256:…" of the config blob ("" when its member is not a blob)
  std::optional<Platform> parsed;  // `platform` (else `config_platform`) as a typed value
  std::string skipped;         // why this entry is no image to judge ("" when it is one):
                               // "attestation manifest", "artifact (…)", "unreadable: …"
  std::vector<ImageLayer> layers;
  ImageRun run;
  std::vector<std::string> ref_names;  // tags: org.opencontainers.image.ref.name, RepoTags
  std::vector<std::string> warnings;   // odd but readable: a disagreeing platform, Docker 25 bugs
};

class ImageStore;  // where the blobs are (image/image_source.hpp)

// An opened image. Owns its private temporary folder (removed when the Image goes).
class Image {
 public:
  // `argument` is a path or "-" for standard input. Fails with one line for an unreadable,
  // malformed or hostile image.
  static Result<std::unique_ptr<Image>> open(const std::string& argument, const ImageOptions& options);
  ~Image();
  Image(const Image&) = delete;
  Image& operator=(const Image&) = delete;

  const std::string& argument() const { return argument_; }
  ImageShape shape() const { return shape_; }
  const std::vector<ImageEntry>& entries() const { return entries_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  const ImageStore& store() const { return *store_; }

 private:
  Image() = default;
  std::string argument_;
  ImageShape shape_ = ImageShape::oci_layout;
  std::vector<ImageEntry> entries_;
  std::vector<std::string> warnings_;
  std::unique_ptr<ImageStore> store_;
};

// The entry a runtime would pick for `wanted` (containerd's best match: exact, then the variant
// fallbacks), skipping entries that are no images; nullopt when none matches.
std::optional<std::size_t> select_entry(const Image& image, const Platform& wanted);
// "no matching manifest for linux/arm64/v8 in the manifest list entries", as Docker says it.
std::string no_matching_manifest(const Platform& wanted);
// The verdict when no entry matches `wanted`: fails, E_IMAGE_NO_MATCH listing what the image has.
Verdict no_matching_entry(const Image& image, const Platform& wanted);

// A program of the image's root whose platform is not the entry's.
struct ForeignProgram {
  std::string path;        // in the image: "/usr/bin/qemu-x86_64"
  std::string platform;    // what it is built for: "linux/amd64"
  std::size_t layer = 0;   // index into ImageEntry::layers of the layer that added it
  std::string created_by;  // that layer's history step
};

// The resolved entrypoint: the argv the runtime would execute and the verdict on its program.
struct ImageEntrypoint {
  std::vector<std::string> argv;  // as the config gives it (Entrypoint + Cmd)
  std::string path;               // argv[0] resolved in the image ("" when it did not resolve)
  std::optional<FileReport> report;  // the program's report (nullopt when none was found)
  Verdict verdict;
  // What the runtime prints when execve fails: "exec /app/run: exec format error" ("" when
  // execve succeeds, or the container does not get that far).
  std::string runtime_error;
};

struct ImageJudgement {
  std::size_t entry = 0;  // index into Image::entries()
  Verdict verdict;        // the entry's: target, kind, and every problem (entrypoint's first)
  std::optional<ImageEntrypoint> entrypoint;  // nullopt when the config names nothing to run
  std::map<std::string, std::size_t> programs;  // programs judged, by platform ("linux/arm64": 412)
  std::vector<ForeignProgram> foreign;
  // Programs whose verdict is `fails` (the entrypoint among them), with the first error.
  struct Failing {
    std::string path;
    std::string code;
    std::string message;
  };
  std::vector<Failing> failing;
  std::vector<std::string> warnings;  // layer trouble: a missing tar trailer, a digest mismatch
  // Content digests of native programs (ELF, Mach-O, PE) by path, for cross-entry comparison.
  std::map<std::string, std::string> native_digests;
};

// Judges entry `index` of `image` on `host` (nullptr: the platform the entry declares, with the
// image's own files as the target's root). Layers are read, flattened and judged here.
Result<ImageJudgement> judge_image_entry(const Image& image, std::size_t index, const HostInfo* host,
                                         const ImageOptions& options);

// Adds W_IMAGE_SAME_PROGRAM to entries of different architectures that hold byte-identical
// native programs at the same path (one build copied into every platform).
void compare_entries(const Image& image, std::vector<ImageJudgement>& judgements);

}  // namespace enoexec
