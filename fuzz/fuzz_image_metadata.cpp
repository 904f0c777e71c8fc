// Fuzz target: an image's archive and metadata. Image::open over the archive store
// (src/image/image_store.cpp: tar members, links between them, compressed archives spooled) and
// the index/manifest/config reader (src/image/image_metadata.cpp), then every field of every
// entry, the runtime's entry selection, and the printed lines. The first byte selects how the
// rest of the input is read:
//   even: the rest is an image archive as it is (an OCI archive, a docker save, compressed or
//         not), written to a memfd as it comes: what tar and the store do with hostile headers;
//   odd:  the rest is JSON documents separated by "\n--\n", which the harness writes into a
//         well-formed tar, so that libFuzzer mutates JSON, not tar headers (any insertion into a
//         raw archive breaks the member after it, so only overwrites would reach the JSON).
//         Document 0 is index.json (or manifest.json); every other one is the blob named by its
//         own sha256, and "@N" (N a digit) in a document becomes the hex sha256 of document N,
//         so "sha256:@1" names document 1 with a digest that matches. References go forward
//         (documents are finished from the last): "@N" for an earlier or the same document gets
//         the sha256 of its text as given, which is its name when that text has no "@".
//         Bits 1-2 of the selector: 0 an OCI archive (oci-layout, index.json); 1 the same
//         without oci-layout; 2 a legacy docker save (document 0 is manifest.json); 3 a Docker
//         >= 25 save (index.json, and document 1 is manifest.json too). Bits 3-4: 2 gzip the
//         tar, 3 zstd it (the store spools the members), else plain. Bit 5: every blob is also
//         named as the legacy docker save names configs and layers, "<hex>.json" and
//         "<hex>/layer.tar", by symbolic link members.
// Limits are tightened so that one input stays fast: 1 MiB of JSON, 4096 members, 64 platforms,
// 4 MiB spooled (to /dev/shm when it can, fuzz_image.hpp).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/platform.hpp"
#include "fuzz_image.hpp"
#include "image/image_store.hpp"

namespace enoexec::fuzz {
namespace {

constexpr std::string_view SEPARATOR = "\n--\n";
constexpr std::size_t MAX_DOCUMENTS = 10;  // "@0" to "@9"

const ImageOptions& options() {
  static const ImageOptions o = [] {
    ImageOptions out;
    out.limits.json_bytes = 1u << 20;
    out.limits.layer_entries = 4096;
    out.limits.platforms = 64;
    out.limits.image_bytes = 4u << 20;
    out.limits.decompressed_bytes = 4u << 20;
    out.temp_dir = spool_dir();
    out.jobs = 1;
    return out;
  }();
  return o;
}

std::vector<std::string> split_documents(std::string_view rest) {
  std::vector<std::string> out;
  while (out.size() + 1 < MAX_DOCUMENTS) {
    const std::size_t at = rest.find(SEPARATOR);
    if (at == std::string_view::npos) break;
    out.emplace_back(rest.substr(0, at));
    rest.remove_prefix(at + SEPARATOR.size());
  }
  out.emplace_back(rest);
  return out;
}

// Replaces "@N" by the hex sha256 of document N: `done[N]` for a later document (already
// finished), else of its text as given.
std::string substitute(const std::string& text, std::size_t self, const std::vector<std::string>& given,
                       const std::vector<std::string>& done) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '@' && i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9') {
      const auto n = static_cast<std::size_t>(text[i + 1] - '0');
      if (n < given.size()) {
        out += n > self ? done[n] : sha256_hex(given[n]);
        ++i;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::string documents_archive(std::uint8_t selector, std::string_view rest) {
  const unsigned shape = (selector >> 1) & 3u;
  const unsigned filter = (selector >> 3) & 3u;
  const bool legacy_names = (selector & 0x20) != 0;
  const std::vector<std::string> given = split_documents(rest);
  std::vector<std::string> text(given.size()), hex(given.size());
  for (std::size_t i = given.size(); i-- > 0;) {
    text[i] = substitute(given[i], i, given, hex);
    hex[i] = sha256_hex(text[i]);
  }
  TarWriter tar(filter == 2 ? TarWriter::Filter::gzip : filter == 3 ? TarWriter::Filter::zstd : TarWriter::Filter::none);
  if (shape == 0 || shape == 3) tar.file("oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  tar.file(shape == 2 ? "manifest.json" : "index.json", text[0]);
  if (shape == 3 && text.size() > 1) tar.file("manifest.json", text[1]);
  for (std::size_t i = 1; i < text.size(); ++i) {
    tar.file("blobs/sha256/" + hex[i], text[i]);
    if (legacy_names) {
      tar.symlink(hex[i] + ".json", "blobs/sha256/" + hex[i]);
      tar.symlink(hex[i] + "/layer.tar", "../blobs/sha256/" + hex[i]);
    }
  }
  return tar.finish();
}

// Every field of an entry, and what the store says of its members.
void touch(const Image& image, const ImageEntry& entry) {
  std::size_t sum = entry.digest.size() + entry.platform.size() + entry.config_platform.size() +
                    entry.config_digest.size() + entry.skipped.size() + entry.run.working_dir.size() +
                    entry.run.user.size();
  if (entry.parsed) sum += to_oci(*entry.parsed).size();
  for (const auto* list : {&entry.run.entrypoint, &entry.run.cmd, &entry.run.env, &entry.ref_names, &entry.warnings}) {
    for (const std::string& item : *list) sum += item.size();
  }
  const ImageStore& store = image.store();
  for (const ImageLayer& layer : entry.layers) {
    sum += layer.member.size() + layer.digest.size() + layer.media_type.size() + layer.diff_id.size() +
           layer.created_by.size() + layer.size;
    // The layer's bytes as the store gives them: a member's range (a cut archive, a link chain).
    if (store.has(layer.member)) {
      const auto range = store.range(layer.member);
      if (range) sum += range->length;
      const auto head = store.read(layer.member, 4096, "layer head");
      if (head) sum += head->size();
    }
  }
  if (sum == 0 && entry.layers.size() > (std::size_t{1} << 40)) __builtin_trap();  // keeps `sum` used
}

}  // namespace
}  // namespace enoexec::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace enoexec;
  using namespace enoexec::fuzz;
  if (size == 0) return 0;
  static MemFile file;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((data[0] & 1) == 0) {
    file.assign(rest);
  } else {
    file.assign(documents_archive(data[0], rest));
  }
  auto image = Image::open(file.path(), options());
  if (!image) return 0;
  const Image& opened = **image;
  for (const std::string& warning : opened.warnings()) {
    if (warning.empty()) __builtin_trap();
  }
  for (const ImageEntry& entry : opened.entries()) {
    touch(opened, entry);
    print_entry(opened, entry, nullptr, entry.skipped.empty() ? "not judged" : "");
  }
  // What a runtime picks for a few machines, and Docker's words when it picks nothing.
  static const Platform wanted[] = {make_platform(Os::linux, Arch::amd64), make_platform(Os::linux, Arch::arm64),
                                    make_platform(Os::linux, Arch::arm, "v6")};
  for (const Platform& platform : wanted) {
    const auto pick = select_entry(opened, platform);
    if (pick && *pick >= opened.entries().size()) __builtin_trap();
    if (!pick) {
      ImageLine line;
      line.image = opened.argument();
      line.shape = std::string(to_string(opened.shape()));
      line.no_match = no_matching_entry(opened, platform);
      if (to_json_line(image_json(line)).empty() || image_text(line, Style()).empty()) __builtin_trap();
    }
  }
  return 0;
}
