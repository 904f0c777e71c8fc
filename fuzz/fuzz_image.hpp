// What the two image targets share: an in-memory file the image is opened from (a memfd, named
// /proc/self/fd/N, so Image::open takes the path a user would give and nothing touches the disk),
// a tar written by libarchive into memory (nothing of tar by hand), sha256 through
// support/digest, and the printed forms `enoexec image` makes of every entry.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "enoexec/image.hpp"
#include "output/image_printer.hpp"
#include "output/json.hpp"
#include "support/digest.hpp"

namespace enoexec::fuzz {

// Lower-case hex sha256 of `bytes`, as a blob's file name.
inline std::string sha256_hex(std::string_view bytes) {
  return digest(DigestAlgorithm::sha256, {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}).hex();
}

// Where the store spools the members of a compressed archive: /dev/shm when it can (a tmpfs: a
// file made and unlinked per member there costs a fraction of one on a disk's file system),
// else the default ($TMPDIR, /tmp).
inline std::string spool_dir() {
  return ::access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "";
}

// One memfd for the fuzzer's life, rewritten for each input. A failure here is the harness's,
// not the reader's: it stops the fuzzer at once.
class MemFile {
 public:
  MemFile() : fd_(::memfd_create("enoexec-fuzz-image", MFD_CLOEXEC)) {
    if (fd_ < 0) fail("memfd_create");
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemFile() { ::close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;

  const std::string& path() const { return path_; }

  void assign(std::string_view bytes) {
    if (::ftruncate(fd_, 0) != 0) fail("ftruncate");
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
      if (n <= 0) fail("pwrite");
      done += static_cast<std::size_t>(n);
    }
  }

 private:
  [[noreturn]] static void fail(const char* what) {
    std::perror(what);
    std::abort();
  }
  int fd_;
  std::string path_;
};

// A tar (pax restricted, as Docker and umoci write) built in memory by libarchive, optionally
// through its gzip or zstd write filter.
class TarWriter {
 public:
  enum class Filter { none, gzip, zstd };

  explicit TarWriter(Filter filter = Filter::none) : a_(archive_write_new(), &archive_write_free) {
    check(archive_write_set_format_pax_restricted(a_.get()));
    if (filter == Filter::gzip) check(archive_write_add_filter_gzip(a_.get()));
    if (filter == Filter::zstd) check(archive_write_add_filter_zstd(a_.get()));
    check(archive_write_set_bytes_per_block(a_.get(), 0));  // no padding to 10240 bytes
    check(archive_write_open(a_.get(), &out_, nullptr, &append, nullptr));
  }

  void file(const std::string& name, std::string_view bytes) {
    Entry entry = new_entry(name, AE_IFREG, 0644);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(bytes.size()));
    check(archive_write_header(a_.get(), entry.get()));
    if (!bytes.empty() && archive_write_data(a_.get(), bytes.data(), bytes.size()) != static_cast<la_ssize_t>(bytes.size())) {
      check(ARCHIVE_FATAL);
    }
  }

  void symlink(const std::string& name, const std::string& target) {
    Entry entry = new_entry(name, AE_IFLNK, 0777);
    archive_entry_copy_symlink(entry.get(), target.c_str());
    check(archive_write_header(a_.get(), entry.get()));
  }

  std::string finish() {
    check(archive_write_close(a_.get()));
    return std::move(out_);
  }

 private:
  using Entry = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;

  static Entry new_entry(const std::string& name, unsigned type, unsigned perm) {
    Entry entry(archive_entry_new(), &archive_entry_free);
    archive_entry_copy_pathname(entry.get(), name.c_str());
    archive_entry_set_filetype(entry.get(), type);
    archive_entry_set_perm(entry.get(), static_cast<mode_t>(perm));
    archive_entry_set_mtime(entry.get(), 1704067200, 0);  // fixed: one input, one archive
    return entry;
  }
  void check(int status) {
    if (status == ARCHIVE_OK) return;
    const char* message = archive_error_string(a_.get());
    std::fprintf(stderr, "fuzz harness: libarchive: %s\n", message != nullptr ? message : "?");
    std::abort();
  }
  static la_ssize_t append(archive*, void* data, const void* buffer, size_t length) {
    static_cast<std::string*>(data)->append(static_cast<const char*>(buffer), length);
    return static_cast<la_ssize_t>(length);
  }

  std::unique_ptr<archive, decltype(&archive_write_free)> a_;
  std::string out_;
};

// `enoexec image` and `enoexec image --json` for one entry (judged, skipped or not judged), as
// the CLI prints them; a line that cannot be printed is a finding. ENOEXEC_FUZZ_PRINT=1 writes
// them to standard error (to see what a seed or a finding reaches).
inline void print_entry(const Image& image, const ImageEntry& entry, const ImageJudgement* judgement,
                        const std::string& error) {
  ImageLine line;
  line.image = image.argument();
  line.shape = std::string(to_string(image.shape()));
  line.entry = &entry;
  line.judgement = judgement;
  line.error = error;
  line.same_platform = true;  // the label with the digest: every field of the entry printed
  const std::string json = to_json_line(image_json(line));
  const std::string text = image_text(line, Style());
  if (json.empty() || text.empty()) __builtin_trap();
  static const bool show = std::getenv("ENOEXEC_FUZZ_PRINT") != nullptr;
  if (show) {
    std::fprintf(stderr, "%s%s\n", text.c_str(), json.c_str());
    for (const std::string& warning : image.warnings()) std::fprintf(stderr, "  image warning: %s\n", warning.c_str());
  }
}

}  // namespace enoexec::fuzz
