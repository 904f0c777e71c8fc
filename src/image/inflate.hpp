// Streaming decompression of one image blob (a layer): gzip through ISA-L's isal_inflate (zlib in
// the portable build, which has no static ISA-L), every
// member of a multi-member stream (eStargz writes one per file) and trailing zero padding as
// `gzip -dc` takes it; zstd through ZSTD_decompressStream, every frame, skippable frames skipped;
// anything else passed through. The blob is a byte range of an open file read with pread in
// large chunks, so inflaters share a descriptor and memory stays bounded whatever the layer's
// size. open_tar_reader hands the output to libarchive's tar reader. Nothing of gzip, zstd or tar
// is parsed here: the libraries do it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/error.hpp"
#include "enoexec/limits.hpp"
#include "support/digest.hpp"

struct archive;

namespace enoexec::image {

// The block the image readers move bytes in: the tar reader's read callbacks, the inflater's
// output, the spool's copies. A megabyte keeps system calls and callbacks few on real images.
// The fuzz build (src/image/CMakeLists.txt) makes it 4 KiB: small inputs then cross block edges,
// and ASan does not map, fault in and unmap a megabyte per input, which was a third of a run.
#ifndef ENOEXEC_IMAGE_BLOCK
#define ENOEXEC_IMAGE_BLOCK (std::size_t{1} << 20)
#endif
inline constexpr std::size_t IO_BLOCK = ENOEXEC_IMAGE_BLOCK;
static_assert(IO_BLOCK >= 4096 && IO_BLOCK % 512 == 0, "a block holds whole tar records");

enum class Compression { none, gzip, zstd };
std::string_view to_string(Compression c);  // "uncompressed", "gzip", "zstd"

// By magic: gzip 1f 8b, zstd 28 b5 2f fd or a skippable frame (50..5f 2a 4d 18) first;
// anything else, too short included, is none.
Compression sniff_compression(std::span<const std::uint8_t> head);

// A source of compressed bytes: a range of an open file, read with pread (several inflaters
// share one descriptor). The descriptor stays the caller's.
struct BlobRange {
  int fd = -1;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

struct InflateOptions {
  // "decompressed bytes" (Limits::decompressed_bytes): output of one blob.
  std::uint64_t max_output = Limits{}.decompressed_bytes;
  // "compression ratio" (Limits::compression_ratio): output per compressed byte consumed; 0 is
  // none. Applies once the output passes ratio_after bytes, so a small file of zeros passes.
  std::uint64_t max_ratio = 0;
  std::uint64_t ratio_after = std::uint64_t{64} << 20;
  bool hash_input = false;   // sha256 of the compressed bytes (the blob digest)
  bool hash_output = false;  // sha256 of the decompressed bytes (the diff_id)
  // Bytes per pread; tests use tiny ones to split headers and trailers across reads.
  std::size_t input_chunk = std::size_t{1} << 20;
};

class Inflater {
 public:
  // Sniffs the range's first bytes; fails only when they cannot be read.
  static Result<std::unique_ptr<Inflater>> open(BlobRange range, const InflateOptions& options);
  virtual ~Inflater();
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Up to `n` (> 0) decompressed bytes into `out`; 0 at the end, which comes only after every
  // byte of the range was read and checked (gzip CRC-32 and length, zstd frame checksums when
  // present). A truncated or corrupt stream, bytes after it, a failed read or a limit hit
  // ("limit exceeded: decompressed bytes" or "... compression ratio") is an Error: the bytes
  // decoded before the fault come first, then the error, from every later call. Never more than
  // max_output bytes in all.
  Result<std::size_t> read(std::uint8_t* out, std::size_t n);
  // Reads and drops the rest of the stream, limits and checks still applying, so the digests
  // cover every byte (a tar reader stops at its end-of-archive blocks). Returns the bytes dropped.
  Result<std::uint64_t> skip_to_end();

  Compression compression() const { return compression_; }
  std::uint64_t input_bytes() const;  // compressed bytes consumed so far (the range's length at the end)
  std::uint64_t output_bytes() const { return output_; }
  bool at_end() const { return finished_; }
  // The error read() returned, if any.
  const std::optional<Error>& error() const { return error_; }
  // Lower-case hex sha256 digests, once at_end(); "" before, or when not asked for.
  const std::string& input_sha256() const { return input_hex_; }
  const std::string& output_sha256() const { return output_hex_; }

 protected:
  Inflater(BlobRange range, const InflateOptions& options, Compression compression);

  // The decoder: up to `n` bytes, 0 only at the checked end of the stream.
  virtual Result<std::size_t> decode(std::uint8_t* out, std::size_t n) = 0;

  // Compressed input for decode(): fill() makes some pending (false once the range is read),
  // pending() is it, consume() takes it.
  Result<bool> fill();
  std::span<std::uint8_t> pending() { return {buffer_.data() + pos_, len_ - pos_}; }
  void consume(std::size_t n) { pos_ += n; }
  // Reads the next bytes of the range straight into `out` (for uncompressed blobs); 0 at the end.
  Result<std::size_t> read_direct(std::uint8_t* out, std::size_t n);
  // The file offset of the next compressed byte not consumed: where an error is reported.
  std::uint64_t fault_offset() const { return range_.offset + input_bytes(); }
  // "decompressed bytes": the most this blob may inflate to.
  std::uint64_t max_output() const { return options_.max_output; }

 private:
  friend struct TarSource;
  Result<std::size_t> pread_some(std::uint8_t* to, std::size_t want);
  Result<std::size_t> check_limits(std::size_t got);
  void finish();

  BlobRange range_;
  InflateOptions options_;
  Compression compression_;
  std::vector<std::uint8_t> buffer_;  // compressed input, options.input_chunk bytes
  std::size_t pos_ = 0;
  std::size_t len_ = 0;
  std::uint64_t read_ = 0;  // bytes of the range read so far
  std::uint64_t output_ = 0;
  bool finished_ = false;
  bool same_bytes_ = false;  // uncompressed: one digest serves input and output
  std::optional<Digester> input_digest_;
  std::optional<Digester> output_digest_;
  std::string input_hex_;
  std::string output_hex_;
  std::optional<Error> error_;
  std::vector<std::uint8_t> tar_block_;  // open_tar_reader's read buffer
};

// Sets up `a` (from archive_read_new) to read the inflater's output as a tar: formats tar and
// GNU tar, filter none, a read callback handing over IO_BLOCK-sized blocks. Returns archive_read_open's
// status. An inflater error fails the archive with its message; inflater.error() keeps it
// whole. The inflater must outlive the archive's use; call skip_to_end() after the last entry
// for the digests.
int open_tar_reader(archive* a, Inflater& inflater);

}  // namespace enoexec::image
