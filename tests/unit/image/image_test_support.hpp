// Shared by the image tests (image_test.cpp, image_root_test.cpp, image_hostile_test.cpp): images
// written by tests/builders/image_builder.hpp into a scratch folder, in any shape, opened and
// judged through the public API only (include/enoexec/image.hpp). Expectations come from how
// each image was built, never from what src/image happens to answer.
#pragma once

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "builders/elf_builder.hpp"
#include "builders/image_builder.hpp"
#include "enoexec/image.hpp"

namespace enoexec::test {

constexpr std::uint16_t EM_ARM = 40, EM_X86_64 = 62, EM_AARCH64 = 183;

// A static ELF executable for `machine`: no PT_INTERP, no libraries, so it runs on any kernel of
// its architecture (the verdict needs nothing else of the image). `tag` changes its bytes (not
// its meaning), for tests that tell two builds apart by digest.
inline Bytes static_elf(std::uint16_t machine = EM_X86_64, int bits = 64, std::uint32_t flags = 0,
                        const std::string& tag = "") {
  ElfBuilder builder(bits, Endian::little);
  builder.e_machine = machine;
  builder.e_flags = flags;
  if (!tag.empty()) builder.blob("tag", Bytes(tag.begin(), tag.end()));
  return builder.build().bytes;
}

// How a Tree is written: as a directory, or as one tar (compressed or not).
enum class Written { directory, tar, tar_gzip, tar_zstd };

inline ImageOptions test_options() {
  ImageOptions options;
  options.jobs = 2;
  return options;
}

// An image written into its own scratch folder and opened. `error` is Image::open's message when
// it failed. The private temporary folder goes to `temp` (empty until the image needs one).
struct Opened {
  std::unique_ptr<ScratchDir> dir = std::make_unique<ScratchDir>();
  std::filesystem::path path;
  std::filesystem::path temp;
  ImageOptions options;
  std::unique_ptr<Image> image;
  std::string error;
  ErrorCode code = ErrorCode::malformed;

  const ImageEntry& entry(std::size_t index = 0) const { return image->entries().at(index); }
  Result<ImageJudgement> judge(std::size_t index = 0, const HostInfo* host = nullptr) const {
    return judge_image_entry(*image, index, host, options);
  }
};

inline Opened open_tree(const Tree& tree, Written how = Written::directory,
                        ImageOptions options = test_options()) {
  Opened out;
  out.temp = *out.dir / "tmp";
  std::filesystem::create_directories(out.temp);
  options.temp_dir = out.temp.string();
  out.options = options;
  switch (how) {
    case Written::directory:
      out.path = *out.dir / "image";
      std::filesystem::create_directories(out.path);
      write_tree(out.path, tree);
      break;
    case Written::tar:
      out.path = *out.dir / "image.tar";
      write_file(out.path, tar_of_tree(tree));
      break;
    case Written::tar_gzip:
      out.path = *out.dir / "image.tar.gz";
      write_file(out.path, tar_of_tree(tree, Compression::gzip));
      break;
    case Written::tar_zstd:
      out.path = *out.dir / "image.tar.zst";
      write_file(out.path, tar_of_tree(tree, Compression::zstd));
      break;
  }
  auto opened = Image::open(out.path.string(), options);
  if (opened) {
    out.image = std::move(*opened);
  } else {
    out.error = opened.error().what;
    out.code = opened.error().code;
  }
  return out;
}

// One amd64 image, its entrypoint `argv`, its layers as given.
inline ImageSpec image_spec(std::vector<LayerSpec> layers, std::vector<std::string> entrypoint,
                            const std::string& platform = "linux/amd64") {
  ImageSpec spec;
  spec.config.platform = PlatformSpec::of(platform);
  spec.config.entrypoint = std::move(entrypoint);
  spec.layers = std::move(layers);
  return spec;
}

// The OCI layout of `spec`, tagged latest.
inline Tree layout(const ImageSpec& spec) { return layout_tree(oci_layout_of(spec)); }

// A layer holding one static amd64 program at `path` (no leading '/'), mode 0755.
inline LayerSpec program_layer(const std::string& path, std::uint16_t machine = EM_X86_64) {
  return {.entries = {TarEntry::file(path, static_elf(machine), 0755)}};
}

inline std::vector<std::string> codes_of(const Verdict& verdict) {
  std::vector<std::string> codes;
  for (const Problem& problem : verdict.problems) codes.push_back(problem.code);
  return codes;
}
inline bool has_code(const Verdict& verdict, std::string_view code) {
  const auto codes = codes_of(verdict);
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}
inline const Problem* problem_of(const Verdict& verdict, std::string_view code) {
  for (const Problem& problem : verdict.problems)
    if (problem.code == code) return &problem;
  return nullptr;
}
// The first of `lines` that contains `needle`, or "" (for messages in EXPECT output).
inline std::string line_with(const std::vector<std::string>& lines, std::string_view needle) {
  for (const std::string& line : lines)
    if (line.find(needle) != std::string::npos) return line;
  return {};
}
inline bool contains(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}
inline std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

}  // namespace enoexec::test
