#include "image/image_store.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

namespace enoexec {
namespace image {

Result<std::unique_ptr<TempDir>> TempDir::make(const std::string& parent) {
  std::string base = parent;
  if (base.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  std::string pattern = base + "/enoexec-image-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    return make_error(ErrorCode::io, 0,
                      fmt::format("cannot make a private temporary folder in {}: {}", base, std::strerror(errno)));
  }
  return std::unique_ptr<TempDir>(new TempDir(pattern));
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

Result<UniqueFd> TempDir::new_file() {
  const std::string name = fmt::format("{}/{}", path_, files_++);
  UniqueFd fd(::open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) {
    return make_error(ErrorCode::io, 0, fmt::format("cannot write the temporary folder: {}", std::strerror(errno)));
  }
  ::unlink(name.c_str());  // gone with its descriptor, even when enoexec is killed
  return fd;
}

std::string normalise_member(std::string_view name) {
  // Lexically, as Go's filepath.Clean does for containerd: ".." takes back the component before
  // it, and one that would climb above the top makes the whole name invalid.
  std::vector<std::string_view> parts;
  while (!name.empty()) {
    const std::size_t slash = name.find('/');
    const std::string_view part = name.substr(0, slash);
    name = slash == std::string_view::npos ? std::string_view() : name.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return {};
      parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (const std::string_view part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

}  // namespace image

namespace {

// libarchive's message for the last error; it may have none (a null pointer, which fmt refuses:
// found by fuzz_image_metadata, fuzz/regressions/image_metadata/archive-error-without-message).
std::string archive_message(archive* a) {
  const char* text = archive_error_string(a);
  return text != nullptr ? text : "libarchive gave no message";
}

Result<void> write_all(int fd, const void* data, std::size_t size) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error(ErrorCode::io, 0, fmt::format("cannot write the temporary folder: {}", std::strerror(errno)));
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return {};
}

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};

}  // namespace

ImageStore::~ImageStore() = default;

Result<UniqueFd> ImageStore::spool_file() const {
  const std::lock_guard lock(mutex_);
  if (!temp_) {
    auto made = image::TempDir::make(temp_parent_);
    if (!made) return tl::unexpected(made.error());
    temp_ = std::move(*made);
  }
  return temp_->new_file();
}

Result<std::unique_ptr<ImageStore>> ImageStore::open(const std::string& argument, const ImageOptions& options) {
  std::unique_ptr<ImageStore> store(new ImageStore());
  store->temp_parent_ = options.temp_dir;
  if (argument != "-") {
    struct stat st {};
    if (::stat(argument.c_str(), &st) != 0) {
      return make_error(ErrorCode::io, 0, std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
      store->directory_ = std::make_unique<DirectoryRoot>(argument);
      return store;
    }
    if (!S_ISREG(st.st_mode)) {
      return make_error(ErrorCode::not_regular, 0,
                        "not an image: neither a directory (an OCI layout) nor a file (an archive)");
    }
  }
  auto read = store->read_archive(argument, options);
  if (!read) return tl::unexpected(read.error());
  return store;
}

Result<void> ImageStore::read_archive(const std::string& argument, const ImageOptions& options) {
  const bool from_stdin = argument == "-";
  UniqueFd owned(from_stdin ? ::dup(0) : ::open(argument.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (owned.get() < 0) return make_error(ErrorCode::io, 0, std::strerror(errno));
  const int fd = owned.get();
  if (!from_stdin) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  fds_.push_back(std::move(owned));

  std::unique_ptr<archive, ArchiveDeleter> a(archive_read_new());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_filter_zstd(a.get());
  archive_read_support_filter_xz(a.get());
  archive_read_support_filter_bzip2(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  if (archive_read_open_fd(a.get(), fd, image::IO_BLOCK) != ARCHIVE_OK) {
    return make_error(ErrorCode::bad_magic, 0,
                      fmt::format("not an image: not a tar archive ({})", archive_message(a.get())));
  }
  struct stat st {};
  const bool seekable = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  std::uint64_t spooled_bytes = 0;
  std::uint64_t count = 0;
  std::unique_ptr<char[]> buffer;  // for spooling; not zero-filled
  for (;;) {
    archive_entry* entry = nullptr;
    const int r = archive_read_next_header(a.get(), &entry);
    if (r == ARCHIVE_EOF) break;
    if (r == ARCHIVE_WARN) warnings_.push_back(fmt::format("archive: {}", archive_message(a.get())));
    if (r < ARCHIVE_WARN) {
      if (count == 0) {
        return make_error(ErrorCode::bad_magic, 0,
                          fmt::format("not an image: not a tar archive ({})", archive_message(a.get())));
      }
      return make_error(ErrorCode::truncated, 0, fmt::format("archive: {}", archive_message(a.get())));
    }
    if (++count > options.limits.layer_entries) {
      return make_error(ErrorCode::limit_exceeded, 0,
                        limit_exceeded("layer entries", fmt::format("the archive has more than {} members",
                                                                     options.limits.layer_entries)));
    }
    const char* raw = archive_entry_pathname(entry);
    const std::string_view raw_name = raw != nullptr ? raw : "";
    if (raw_name.size() > options.limits.path_bytes) {
      warnings_.push_back(limit_exceeded("path bytes", fmt::format("a member name of {} bytes was skipped", raw_name.size())));
      continue;
    }
    const std::string name = image::normalise_member(raw_name);
    if (name.empty()) continue;  // the top directory, or a name with "..": never an image file
    Member member;
    if (const char* hard = archive_entry_hardlink(entry)) {
      member.link = image::normalise_member(hard);
      members_.insert_or_assign(name, std::move(member));
      continue;
    }
    const auto type = archive_entry_filetype(entry);
    if (type == AE_IFLNK) {
      // A legacy `docker save` writes a layer shared by two images once, and links the other.
      const char* target = archive_entry_symlink(entry);
      const std::string_view target_name = target != nullptr ? target : "";
      const std::size_t slash = name.rfind('/');
      const std::string base = slash == std::string::npos ? std::string() : name.substr(0, slash + 1);
      member.link = target_name.starts_with('/') ? image::normalise_member(target_name)
                                                  : image::normalise_member(base + std::string(target_name));
      members_.insert_or_assign(name, std::move(member));
      continue;
    }
    if (type != AE_IFREG) continue;
    member.size = archive_entry_size_is_set(entry) ? static_cast<std::uint64_t>(archive_entry_size(entry)) : 0;
    const bool plain = seekable && archive_filter_count(a.get()) == 1 && archive_entry_sparse_count(entry) == 0;
    if (plain) {
      // An uncompressed archive on disk: the member's bytes are where the tar reader stands now.
      member.fd = fd;
      member.offset = static_cast<std::uint64_t>(archive_filter_bytes(a.get(), 0));
      members_.insert_or_assign(name, std::move(member));
      continue;  // the next header skips the data with lseek
    }
    spooled_ = true;
    auto file = spool_file();
    if (!file) return tl::unexpected(file.error());
    if (!buffer) buffer.reset(new char[image::IO_BLOCK]);
    std::uint64_t written = 0;
    for (;;) {
      const la_ssize_t n = archive_read_data(a.get(), buffer.get(), image::IO_BLOCK);
      if (n == 0) break;
      if (n < 0) return make_error(ErrorCode::truncated, 0, fmt::format("archive member {}: {}", name, archive_message(a.get())));
      spooled_bytes += static_cast<std::uint64_t>(n);
      if (spooled_bytes > options.limits.image_bytes) {
        return make_error(ErrorCode::limit_exceeded, 0,
                          limit_exceeded("image bytes", fmt::format("the archive holds more than {} bytes",
                                                                     options.limits.image_bytes)));
      }
      auto ok = write_all(file->get(), buffer.get(), static_cast<std::size_t>(n));
      if (!ok) return tl::unexpected(ok.error());
      written += static_cast<std::uint64_t>(n);
    }
    member.fd = file->get();
    member.offset = 0;
    member.size = written;
    fds_.push_back(std::move(*file));
    members_.insert_or_assign(name, std::move(member));
  }
  if (count == 0) return make_error(ErrorCode::bad_magic, 0, "not an image: an empty archive");
  return {};
}

const ImageStore::Member* ImageStore::find(std::string_view name) const {
  std::string current = image::normalise_member(name);
  for (int hops = 0; hops < 40; ++hops) {
    const auto it = members_.find(current);
    if (it == members_.end()) return nullptr;
    if (it->second.link.empty()) return &it->second;
    current = it->second.link;
  }
  return nullptr;
}

bool ImageStore::has(std::string_view name) const {
  if (directory_) {
    const auto st = directory_->stat(name);
    return st && st->kind == FileStatus::Kind::regular;
  }
  return find(name) != nullptr;
}

Result<image::BlobRange> ImageStore::range(std::string_view name) const {
  if (directory_) {
    const std::string key = image::normalise_member(name);
    const std::lock_guard lock(mutex_);
    auto it = opened_.find(key);
    if (it == opened_.end()) {
      const auto path = directory_->resolve(key);
      if (!path) {
        return make_error(ErrorCode::io, 0, fmt::format("{}: {}", key, std::strerror(path.error())));
      }
      UniqueFd fd(::open(directory_->host_path(*path).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
      if (fd.get() < 0) return make_error(ErrorCode::io, 0, fmt::format("{}: {}", key, std::strerror(errno)));
      struct stat st {};
      if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        return make_error(ErrorCode::not_regular, 0, fmt::format("{}: not a regular file", key));
      }
      it = opened_.emplace(key, std::move(fd)).first;
    }
    struct stat st {};
    ::fstat(it->second.get(), &st);
    return image::BlobRange{it->second.get(), 0, static_cast<std::uint64_t>(st.st_size)};
  }
  const Member* member = find(name);
  if (member == nullptr) return make_error(ErrorCode::io, 0, fmt::format("{}: not in the archive", name));
  return image::BlobRange{member->fd, member->offset, member->size};
}

Result<std::string> ImageStore::read(std::string_view name, std::uint64_t cap, std::string_view limit_name) const {
  auto where = range(name);
  if (!where) return tl::unexpected(where.error());
  if (where->length > cap) {
    return make_error(ErrorCode::limit_exceeded, 0,
                      limit_exceeded(limit_name, fmt::format("{} has {} bytes, more than {}", name, where->length, cap)));
  }
  std::string bytes(static_cast<std::size_t>(where->length), '\0');
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::pread(where->fd, bytes.data() + got, bytes.size() - got,
                              static_cast<off_t>(where->offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return make_error(ErrorCode::truncated, got, fmt::format("{}: cut short", name));
    got += static_cast<std::size_t>(n);
  }
  return bytes;
}

}  // namespace enoexec
