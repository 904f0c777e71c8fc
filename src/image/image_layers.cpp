// Reading one layer: the inflater (image/inflate) streams the tar, libarchive reads its members,
// and each regular file is looked at once, as it passes: a program is inspected from its bytes
// (held in memory up to PROGRAM_MEMORY_CAP, spooled beyond), the files the probe and the loader
// model read are kept whole, and of everything else only a short head stays.
#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "enoexec/inspect.hpp"
#include "image/image_root.hpp"
#include "support/digest.hpp"
#include "support/mapped_file.hpp"

namespace enoexec::image {
namespace {

// A program's bytes are held whole while it is inspected, up to this; a larger one goes to the
// private temporary folder and is mapped from there. Layers read in parallel, one per core, so
// peak memory is about this times the cores, plus the tree.
constexpr std::size_t PROGRAM_MEMORY_CAP = 48u << 20;
// Bytes kept of a regular file that is no program: what fits in a std::string without a heap
// block, so a million files cost no more than their entries.
constexpr std::size_t SMALL_HEAD = 15;
// Kept of a program: its #! line as the kernel reads it and every format header.
constexpr std::size_t PROGRAM_HEAD = 4096;
// Files under /etc that the loader model and the probe read (ld.so.conf and its includes,
// os-release, passwd) are kept whole up to this.
constexpr std::size_t CONFIG_CAP = 64u << 10;
// The C library and its loaders are kept whole for the probe, which reads their version.
constexpr std::size_t LIBC_CAP = 16u << 20;

bool is_program_head(std::string_view head) {
  if (head.starts_with("\x7f" "ELF") || head.starts_with("#!") || head.starts_with("MZ")) return true;
  static constexpr std::string_view MACHO[] = {"\xfe\xed\xfa\xce", "\xce\xfa\xed\xfe", "\xfe\xed\xfa\xcf",
                                                "\xcf\xfa\xed\xfe", "\xca\xfe\xba\xbe"};
  return std::any_of(std::begin(MACHO), std::end(MACHO), [&](std::string_view m) { return head.starts_with(m); });
}

bool is_native_head(std::string_view head) { return is_program_head(head) && !head.starts_with("#!"); }

std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Read whole by the probe (src/host/libc_probe.cpp) and the loader model: the C library, its
// dynamic loaders, and small configuration files.
std::size_t keep_whole_cap(std::string_view path) {
  const std::string_view name = base_name(path);
  if (name.starts_with("libc.so") || name.starts_with("libc-") || name.starts_with("ld-linux") ||
      name.starts_with("ld-musl-") || name.starts_with("libc.musl-") || name.starts_with("ld64.so") ||
      name.starts_with("ld.so")) {
    return LIBC_CAP;
  }
  if (path.starts_with("etc/") || path == "usr/lib/os-release" || path.starts_with("usr/share/zoneinfo/")) {
    return CONFIG_CAP;
  }
  return 0;
}

// The read callback's state: the inflater, and how the stream ended (a tar ends with two
// 512-byte blocks of zeros; umoci 0.4.7 writes layers without them).
struct Stream {
  Inflater* inflater = nullptr;
  // Not zero-filled: a megabyte of memset per layer was a third of a small layer's time.
  std::unique_ptr<std::uint8_t[]> buffer{new std::uint8_t[IO_BLOCK]};
  std::uint64_t total = 0;
  std::uint64_t trailing_zeros = 0;
  bool padded = false;  // the stream ended without its end-of-archive blocks; zeros were added
  std::string error;
};

// A tar stream is a whole number of 512-byte blocks ending in two blocks of zeros.
constexpr std::uint64_t TAR_BLOCK = 512;
constexpr std::uint64_t TAR_END = 2 * TAR_BLOCK;

la_ssize_t read_callback(archive* a, void* data, const void** out) {
  auto* stream = static_cast<Stream*>(data);
  auto n = stream->inflater->read(stream->buffer.get(), IO_BLOCK);
  if (!n) {
    stream->error = n.error().what;
    archive_set_error(a, EIO, "%s", stream->error.c_str());
    return -1;
  }
  std::size_t got = *n;
  if (got == 0 && !stream->padded && (stream->total % TAR_BLOCK != 0 || stream->trailing_zeros < TAR_END)) {
    // umoci 0.4.7 ends a layer after the last member's bytes, without their padding or the end
    // blocks: give libarchive the zeros the writer left out, and say so.
    stream->padded = true;
    got = static_cast<std::size_t>((TAR_BLOCK - stream->total % TAR_BLOCK) % TAR_BLOCK + TAR_END);
    std::fill(stream->buffer.get(), stream->buffer.get() + got, std::uint8_t{0});
    *out = stream->buffer.get();
    return static_cast<la_ssize_t>(got);
  }
  stream->total += got;
  std::size_t zeros = 0;
  while (zeros < got && stream->buffer[got - 1 - zeros] == 0) ++zeros;
  stream->trailing_zeros = zeros == got ? stream->trailing_zeros + zeros : zeros;
  *out = stream->buffer.get();
  return static_cast<la_ssize_t>(got);
}

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};

// Why the tar stream broke: the inflater's own message (a limit hit, a corrupt stream) when it
// broke first, else libarchive's.
std::string why(archive* a, const Stream& stream) {
  if (!stream.error.empty()) return stream.error;
  const char* text = archive_error_string(a);
  return text != nullptr ? text : "unreadable tar stream";
}

// More of a regular member's bytes, appended to `out` until it holds `cap` or the member ends.
// Returns false when the stream broke.
bool read_member(archive* a, std::string& out, std::size_t cap) {
  char block[64 * 1024];
  while (out.size() < cap) {
    const la_ssize_t n = archive_read_data(a, block, std::min(sizeof block, cap - out.size()));
    if (n < 0) return false;
    if (n == 0) return true;
    out.append(block, static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

Result<LayerContents> read_layer(const ImageStore& store, const ImageLayer& layer, std::size_t number,
                                 const ImageOptions& options, std::atomic<std::uint64_t>& image_bytes) {
  // "2 (sha256:4f3c9a1b2c3d…)": which layer, for messages.
  const std::string& id = !layer.digest.empty() ? layer.digest : layer.member;
  const std::string label = fmt::format("{} ({}{})", number, id.substr(0, 19), id.size() > 19 ? "…" : "");
  auto range = store.range(layer.member);
  if (!range) return make_error(ErrorCode::io, 0, fmt::format("layer {}: {}", label, range.error().what));
  InflateOptions inflate;
  inflate.max_output = options.limits.decompressed_bytes;
  inflate.max_ratio = options.limits.compression_ratio;
  inflate.hash_input = layer.digest.starts_with("sha256:");
  inflate.hash_output = layer.diff_id.starts_with("sha256:");
  auto inflater = Inflater::open(*range, inflate);
  if (!inflater) return make_error(ErrorCode::io, 0, fmt::format("layer {}: {}", label, inflater.error().what));

  Stream stream;
  stream.inflater = inflater->get();
  std::unique_ptr<archive, ArchiveDeleter> a(archive_read_new());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  archive_read_support_filter_none(a.get());
  if (archive_read_open(a.get(), &stream, nullptr, read_callback, nullptr) != ARCHIVE_OK) {
    return make_error(ErrorCode::malformed, 0, fmt::format("layer {}: not a tar stream ({})", label,
                                                            why(a.get(), stream)));
  }

  LayerContents out;
  if (layer.size != 0 && layer.size != range->length) {
    out.warnings.push_back(fmt::format("layer {}: the manifest says {} bytes, the blob has {} (Docker 25 saves wrote wrong sizes)",
                                       label, layer.size, range->length));
  }
  Digester digester(DigestAlgorithm::sha256);
  std::uint64_t counted = 0;  // of this layer's output, added to image_bytes
  for (;;) {
    archive_entry* entry = nullptr;
    const int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      return make_error(ErrorCode::truncated, 0, fmt::format("layer {}: {}", label,
                                                             why(a.get(), stream)));
    }
    const std::uint64_t produced = (*inflater)->output_bytes();
    if (image_bytes.fetch_add(produced - counted) + (produced - counted) > options.limits.image_bytes) {
      return make_error(ErrorCode::limit_exceeded, 0,
                        limit_exceeded("image bytes", fmt::format("the layers hold more than {} bytes", options.limits.image_bytes)));
    }
    counted = produced;
    if (out.entries.size() >= options.limits.layer_entries) {
      return make_error(ErrorCode::limit_exceeded, 0,
                        fmt::format("layer {}: {}", label, limit_exceeded("layer entries", fmt::format("more than {} members", options.limits.layer_entries))));
    }
    const char* raw = archive_entry_pathname(entry);
    const std::string_view raw_name = raw != nullptr ? raw : "";
    if (raw_name.size() > options.limits.path_bytes) {
      out.warnings.push_back(fmt::format("layer {}: {}", label, limit_exceeded("path bytes", fmt::format("a member name of {} bytes was skipped", raw_name.size()))));
      continue;
    }
    LayerEntry item;
    item.path = normalise_member(raw_name);
    if (item.path.empty()) {
      if (!raw_name.empty() && normalise_member(std::string(raw_name) + "/x").empty()) {
        out.warnings.push_back(fmt::format("layer {}: member '{}' climbs out of the root; not applied", label, raw_name));
      }
      continue;  // "./": the root itself
    }
    item.mode = archive_entry_mode(entry);
    item.uid = static_cast<std::uint32_t>(archive_entry_uid(entry));
    item.gid = static_cast<std::uint32_t>(archive_entry_gid(entry));
    const std::string_view name = base_name(item.path);
    if (name == ".wh..wh..opq") {
      item.whiteout = LayerEntry::Whiteout::opaque;
    } else if (name.starts_with(".wh.")) {
      if (name.size() == 4) continue;  // a bare ".wh." is invalid (layer.md)
      item.whiteout = LayerEntry::Whiteout::file;
    }
    if (const char* hard = archive_entry_hardlink(entry); hard != nullptr && item.whiteout == LayerEntry::Whiteout::none) {
      item.kind = FileStatus::Kind::regular;
      item.hardlink = true;
      item.link = normalise_member(hard);
      out.entries.push_back(std::move(item));
      continue;
    }
    const auto type = archive_entry_filetype(entry);
    if (type == AE_IFDIR) {
      item.kind = FileStatus::Kind::directory;
    } else if (type == AE_IFLNK) {
      item.kind = FileStatus::Kind::symlink;
      const char* target = archive_entry_symlink(entry);
      item.link = target != nullptr ? target : "";
    } else if (type == AE_IFREG) {
      item.kind = FileStatus::Kind::regular;
    }
    if (item.kind != FileStatus::Kind::regular || item.whiteout != LayerEntry::Whiteout::none) {
      out.entries.push_back(std::move(item));
      continue;
    }
    item.size = archive_entry_size_is_set(entry) ? static_cast<std::uint64_t>(archive_entry_size(entry)) : 0;
    auto data = std::make_shared<FileData>();
    std::string bytes;
    if (!read_member(a.get(), bytes, SMALL_HEAD)) {
      return make_error(ErrorCode::truncated, 0, fmt::format("layer {}: {}: {}", label, item.path, why(a.get(), stream)));
    }
    const bool executable = (item.mode & 0111) != 0;
    bool program = is_program_head(bytes) || (executable && item.size > 0);
    if (program && archive_entry_sparse_count(entry) > 0 && item.size > PROGRAM_MEMORY_CAP) {
      // Holes cost the archive nothing and a spool file their whole size: a huge sparse member
      // is judged by its head alone.
      out.warnings.push_back(fmt::format("layer {}: {}: a sparse file of {} bytes; only its first bytes are inspected",
                                         label, item.path, item.size));
      program = false;
      data->report = std::make_shared<const FileReport>(inspect_bytes(
          {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, "/" + item.path, options.inspect));
    }
    const std::size_t whole_cap = keep_whole_cap(item.path);
    if (program || (whole_cap > 0 && item.size <= whole_cap)) {
      // Read on: the whole file while it fits in memory, else spooled.
      const std::size_t cap = program ? PROGRAM_MEMORY_CAP : whole_cap;
      const bool fits = item.size <= cap;
      if (fits) {
        if (!read_member(a.get(), bytes, cap)) {
          return make_error(ErrorCode::truncated, 0, fmt::format("layer {}: {}: {}", label, item.path, why(a.get(), stream)));
        }
        auto contents = std::make_shared<const std::string>(std::move(bytes));
        data->head = contents->substr(0, PROGRAM_HEAD);
        const std::span<const std::uint8_t> view(reinterpret_cast<const std::uint8_t*>(contents->data()), contents->size());
        if (program) {
          data->report = std::make_shared<const FileReport>(inspect_bytes(view, "/" + item.path, options.inspect));
          if (is_native_head(data->head)) data->digest = digester.of(view).hex();
        }
        if (whole_cap > 0 && contents->size() <= whole_cap) data->contents = std::move(contents);
      } else {
        auto file = store.spool_file();
        if (!file) return tl::unexpected(file.error());
        if (::write(file->get(), bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
          return make_error(ErrorCode::io, 0, "cannot write the temporary folder");
        }
        char block[256 * 1024];
        digester.reset();
        digester.update({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
        std::uint64_t total = bytes.size();
        for (;;) {
          const la_ssize_t n = archive_read_data(a.get(), block, sizeof block);
          if (n < 0) return make_error(ErrorCode::truncated, 0, fmt::format("layer {}: {}: {}", label, item.path, why(a.get(), stream)));
          if (n == 0) break;
          if (::write(file->get(), block, static_cast<std::size_t>(n)) != n) return make_error(ErrorCode::io, 0, "cannot write the temporary folder");
          digester.update({reinterpret_cast<const std::uint8_t*>(block), static_cast<std::size_t>(n)});
          total += static_cast<std::uint64_t>(n);
        }
        auto mapped = MappedFile::from_fd(file->get(), total);
        if (!mapped) return make_error(ErrorCode::io, 0, fmt::format("layer {}: {}: {}", label, item.path, to_string(mapped.error())));
        const ByteView view = mapped->view();
        data->head.assign(reinterpret_cast<const char*>(view.data()), std::min<std::size_t>(view.size(), PROGRAM_HEAD));
        data->report = std::make_shared<const FileReport>(
            inspect_bytes({view.data(), static_cast<std::size_t>(view.size())}, "/" + item.path, options.inspect));
        if (is_native_head(data->head)) data->digest = digester.finish().hex();
      }
    } else {
      data->head = std::move(bytes);
      if (archive_read_data_skip(a.get()) != ARCHIVE_OK) {
        return make_error(ErrorCode::truncated, 0, fmt::format("layer {}: {}: {}", label, item.path, why(a.get(), stream)));
      }
    }
    item.data = std::move(data);
    out.entries.push_back(std::move(item));
  }
  // Read to the end of the stream (the tar's padding), so its digests cover every byte.
  auto rest = (*inflater)->skip_to_end();
  if (!rest) return make_error(ErrorCode::truncated, 0, fmt::format("layer {}: {}", label, rest.error().what));
  if (stream.padded) {
    out.warnings.push_back(fmt::format("layer {}: the tar ends without its end-of-archive blocks (umoci 0.4.7 writes such layers, its last member unpadded too); read to its end", label));
  }
  out.bytes = (*inflater)->output_bytes();
  if (inflate.hash_input && "sha256:" + (*inflater)->input_sha256() != layer.digest) {
    out.warnings.push_back(fmt::format("digest mismatch: layer {} has sha256:{} (reported, not trusted)", label, (*inflater)->input_sha256()));
  }
  if (inflate.hash_output && "sha256:" + (*inflater)->output_sha256() != layer.diff_id) {
    out.warnings.push_back(fmt::format("diff_id mismatch: layer {} decompresses to sha256:{}, the config says {}", label,
                                       (*inflater)->output_sha256(), layer.diff_id));
  }
  return out;
}

}  // namespace enoexec::image
