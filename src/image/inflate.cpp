// The inflater: ISA-L (or zlib) for gzip, libzstd for zstd, a passthrough for the rest, over
// pread chunks of a blob range; the limits, the digests and libarchive's read callback around
// them.
//
// ISA-L rather than zlib, and our decoder feeding libarchive's tar reader rather than its own
// gzip filter: isal_inflate is the fastest of the streaming inflaters Debian ships (libdeflate
// cannot stream), and libarchive's gzip filter is zlib that never checks a member's CRC-32 or
// length ("XXX TODO: Verify the length and CRC", archive_read_support_filter_gzip.c). zlib's
// inflate, which checks both, stands in where ISA-L is not linked (ENOEXEC_HAVE_ISAL=0: the
// portable build, as Debian ships no static libisal); about half as fast, same contract.
#include "image/inflate.hpp"

#ifndef ENOEXEC_HAVE_ISAL
#error "ENOEXEC_HAVE_ISAL must be 0 or 1 (src/image/CMakeLists.txt)"
#endif

#include <archive.h>
#if ENOEXEC_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#else
#include <zlib.h>
#endif
#include <unistd.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include <fmt/format.h>

namespace enoexec::image {
namespace {

// ISA-L and zlib count in 32 bits; a larger request is served in pieces.
constexpr std::size_t GZIP_MAX_OUT = std::size_t{1} << 30;
constexpr std::size_t MAX_INPUT_CHUNK = std::size_t{64} << 20;
constexpr std::uint8_t GZIP_ID1 = 0x1f;

#if ENOEXEC_HAVE_ISAL
// What isal_inflate's and isal_read_gzip_header's codes mean (igzip_lib.h).
std::string_view gzip_message(int code) {
  switch (code) {
    case ISAL_INVALID_BLOCK: return "invalid deflate block";
    case ISAL_INVALID_SYMBOL: return "invalid deflate Huffman symbol";
    case ISAL_INVALID_LOOKBACK: return "deflate back-reference before the start of the data";
    case ISAL_INVALID_WRAPPER: return "not a gzip header";
    case ISAL_UNSUPPORTED_METHOD: return "compression method is not deflate";
    case ISAL_INCORRECT_CHECKSUM: return "the CRC-32 or length in the trailer does not match the data";
    default: return "isal_inflate failed";
  }
}
#else
// zlib's messages (inflate.c, inffast.c) in the ISA-L decoder's words; the others as zlib says.
std::string_view gzip_message(const z_stream& z) {
  const std::string_view said = z.msg != nullptr ? z.msg : "inflate failed";
  if (said == "invalid block type" || said == "invalid stored block lengths") return "invalid deflate block";
  if (said == "invalid literal/length code" || said == "invalid distance code") return "invalid deflate Huffman symbol";
  if (said == "invalid distance too far back") return "deflate back-reference before the start of the data";
  if (said == "incorrect header check") return "not a gzip header";
  if (said == "unknown compression method") return "compression method is not deflate";
  if (said == "incorrect data check" || said == "incorrect length check") {
    return "the CRC-32 or length in the trailer does not match the data";
  }
  return said;
}
#endif

// gzip, every member: after one, another (1f), zero padding to the end (as gzip -dc: "trailing
// zero bytes ignored"), or an error. The member itself is the decoder's (start_member,
// inflate_member), one of two:
//
// ISA-L: isal_read_gzip_header, then isal_inflate with ISAL_GZIP_NO_HDR_VER (deflate data,
// then the trailer checked). The header is read with our own isal_gzip_header because
// isal_inflate's ISAL_GZIP mode reads it into a fresh one on every call, so a header split
// across two reads loses its flags (ISA-L 2.30).
//
// zlib: inflate with windowBits 15 + 16 (gzip only) reads the header, the deflate data and the
// trailer, checking the header CRC-16 when present, the CRC-32 and the length; Z_STREAM_END ends
// the member and inflateReset starts the next. inflateGetHeader's `done` tells a stream cut
// inside a header from one cut later.
class GzipInflater final : public Inflater {
 public:
  GzipInflater(BlobRange range, const InflateOptions& options) : Inflater(range, options, Compression::gzip) {
    start_member();
  }
#if !ENOEXEC_HAVE_ISAL
  ~GzipInflater() override {
    if (ready_) inflateEnd(&z_);
  }
#endif

 protected:
  Result<std::size_t> decode(std::uint8_t* out, std::size_t n) override {
    if (deferred_) return tl::unexpected(*deferred_);
    std::size_t produced = 0;
    while (produced < n && phase_ != Phase::done) {
      Result<void> step = phase_ == Phase::member  ? inflate_member(out, n, produced)
                          : phase_ == Phase::after ? after_member()
                                                   : skip_zeros();
      if (step) continue;
      if (produced == 0) return tl::unexpected(step.error());
      deferred_ = step.error();  // the bytes before the fault first, the error on the next call
      break;
    }
    return produced;
  }

 private:
  enum class Phase { member, after, zeros, done };

#if ENOEXEC_HAVE_ISAL
  void start_member() {
    isal_inflate_init(&state_);
    state_.crc_flag = ISAL_GZIP_NO_HDR_VER;
    isal_gzip_header_init(&header_);
    header_read_ = false;
  }
  void give_input(std::span<std::uint8_t> in) {
    state_.next_in = in.data();
    state_.avail_in = static_cast<std::uint32_t>(in.size());
  }

  Result<void> inflate_member(std::uint8_t* out, std::size_t n, std::size_t& produced) {
    return header_read_ ? inflate_some(out, n, produced) : read_header();
  }

  Result<void> read_header() {
    auto more = fill();
    if (!more) return tl::unexpected(more.error());
    if (!*more) return cut_short("header");
    const auto in = pending();
    give_input(in);
    const int code = isal_read_gzip_header(&state_, &header_);
    consume(in.size() - state_.avail_in);
    if (code == ISAL_DECOMP_OK) header_read_ = true;
    else if (code != ISAL_END_INPUT) return corrupt(gzip_message(code));
    return {};
  }

  Result<void> inflate_some(std::uint8_t* out, std::size_t n, std::size_t& produced) {
    auto more = fill();
    if (!more) return tl::unexpected(more.error());
    const auto in = pending();  // empty at the end: isal_inflate still hands over what it holds
    give_input(in);
    state_.next_out = out + produced;
    state_.avail_out = static_cast<std::uint32_t>(std::min(n - produced, GZIP_MAX_OUT));
    const int code = isal_inflate(&state_);
    const std::size_t taken = in.size() - state_.avail_in;
    const std::size_t wrote = static_cast<std::size_t>(state_.next_out - (out + produced));
    consume(taken);
    produced += wrote;
    if (code != ISAL_DECOMP_OK) return corrupt(gzip_message(code));
    if (state_.block_state == ISAL_BLOCK_FINISH) phase_ = Phase::after;
    else if (taken == 0 && wrote == 0) return stalled(*more, "compressed data or trailer");
    return {};
  }

  inflate_state state_{};
  isal_gzip_header header_{};
  bool header_read_ = false;
#else
  void start_member() {
    if (!ready_) ready_ = inflateInit2(&z_, 15 + 16) == Z_OK;
    else inflateReset(&z_);
    header_ = gz_header{};  // no buffers: name, comment and extra are skipped
    if (ready_) inflateGetHeader(&z_, &header_);
  }

  Result<void> inflate_member(std::uint8_t* out, std::size_t n, std::size_t& produced) {
    if (!ready_) return make_error(ErrorCode::io, fault_offset(), "gzip: cannot allocate a decompression context");
    auto more = fill();
    if (!more) return tl::unexpected(more.error());
    const auto in = pending();  // empty at the end: inflate still hands over what it holds
    z_.next_in = in.data();
    z_.avail_in = static_cast<uInt>(in.size());
    z_.next_out = out + produced;
    z_.avail_out = static_cast<uInt>(std::min(n - produced, GZIP_MAX_OUT));
    const int code = ::inflate(&z_, Z_NO_FLUSH);
    const std::size_t taken = in.size() - z_.avail_in;
    const std::size_t wrote = static_cast<std::size_t>(z_.next_out - (out + produced));
    consume(taken);
    produced += wrote;
    if (code == Z_STREAM_END) phase_ = Phase::after;
    else if (code != Z_OK && code != Z_BUF_ERROR) return corrupt(gzip_message(z_));
    else if (taken == 0 && wrote == 0) return stalled(*more, header_.done == 0 ? "header" : "compressed data or trailer");
    return {};
  }

  z_stream z_{};
  gz_header header_{};
  bool ready_ = false;  // inflateInit2 succeeded
#endif

  Result<void> after_member() {
    auto more = fill();
    if (!more) return tl::unexpected(more.error());
    if (!*more) {
      phase_ = Phase::done;
    } else if (pending()[0] == GZIP_ID1) {
      ++member_;
      start_member();
      phase_ = Phase::member;
    } else if (pending()[0] == 0) {
      phase_ = Phase::zeros;
    } else {
      return make_error(ErrorCode::malformed, fault_offset(), fmt::format("trailing garbage after gzip member {}", member_));
    }
    return {};
  }

  Result<void> skip_zeros() {
    auto more = fill();
    if (!more) return tl::unexpected(more.error());
    if (!*more) {
      phase_ = Phase::done;
      return {};
    }
    const auto in = pending();
    const auto nonzero = std::find_if(in.begin(), in.end(), [](std::uint8_t b) { return b != 0; });
    consume(static_cast<std::size_t>(nonzero - in.begin()));
    if (nonzero != in.end()) {
      return make_error(ErrorCode::malformed, fault_offset(),
                        fmt::format("trailing garbage after the zero padding that follows gzip member {}", member_));
    }
    return {};
  }

  // Nothing moved: at the end of the input the member is cut short; with input left, a decoder
  // that takes none would loop forever.
  Result<void> stalled(bool more, std::string_view part) const {
    if (!more) return cut_short(part);
    return make_error(ErrorCode::malformed, fault_offset(), fmt::format("gzip member {}: the decoder stalled", member_));
  }
  Result<void> cut_short(std::string_view part) const {
    return make_error(ErrorCode::truncated, fault_offset(), fmt::format("gzip member {}: the stream ends inside its {}", member_, part));
  }
  Result<void> corrupt(std::string_view what) const {
    return make_error(ErrorCode::malformed, fault_offset(), fmt::format("gzip member {}: {}", member_, what));
  }

  Phase phase_ = Phase::member;
  std::uint64_t member_ = 1;
  std::optional<Error> deferred_;
};

// zstd through ZSTD_decompressStream, which reads frame after frame and skips skippable frames
// itself. Its return value is 0 exactly when a frame is complete and flushed, so a stream whose
// input ends while it is not 0 is cut short.
class ZstdInflater final : public Inflater {
 public:
  ZstdInflater(BlobRange range, const InflateOptions& options)
      : Inflater(range, options, Compression::zstd),
        stream_(ZSTD_createDStream()),
        window_log_max_(window_log_max(options.max_output)) {
    // The window a frame declares is memory libzstd allocates before a byte comes out (a 30-byte
    // frame can ask for 100 MiB). A window larger than the whole output allowed ("decompressed
    // bytes") is never needed, so it is refused; libzstd's own default stays the ceiling.
    if (stream_ != nullptr) ZSTD_DCtx_setParameter(stream_, ZSTD_d_windowLogMax, window_log_max_);
  }
  ~ZstdInflater() override { ZSTD_freeDStream(stream_); }

 protected:
  Result<std::size_t> decode(std::uint8_t* out, std::size_t n) override {
    if (deferred_) return tl::unexpected(*deferred_);
    if (stream_ == nullptr) return make_error(ErrorCode::io, fault_offset(), "zstd: cannot allocate a decompression context");
    ZSTD_outBuffer output{out, n, 0};
    while (output.pos < output.size && !done_) {
      Result<void> step = decode_some(output);
      if (step) continue;
      if (output.pos == 0) return tl::unexpected(step.error());
      deferred_ = step.error();  // the bytes before the fault first, the error on the next call
      break;
    }
    return output.pos;
  }

 private:
  Result<void> decode_some(ZSTD_outBuffer& output) {
    auto more = fill();
    if (!more) return tl::unexpected(more.error());
    if (!*more && hint_ == 0) {
      done_ = true;
      return {};
    }
    const auto in = pending();  // empty at the end: what the context holds is flushed
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    const std::size_t before = output.pos;
    const std::size_t hint = ZSTD_decompressStream(stream_, &output, &input);
    consume(input.pos);
    if (ZSTD_isError(hint)) return failure(hint);
    hint_ = hint;
    if (!*more && output.pos == before) {
      if (hint != 0) return make_error(ErrorCode::truncated, fault_offset(), "zstd: the stream ends inside a frame");
      done_ = true;
    }
    return {};
  }

  Result<void> failure(std::size_t code) const {
    const std::string what = fmt::format("zstd: {}", ZSTD_getErrorName(code));
    // The library refuses frames whose window passes ZSTD_d_windowLogMax: below its default, that
    // is the decompressed-bytes limit speaking.
    if (ZSTD_getErrorCode(code) == ZSTD_error_frameParameter_windowTooLarge) {
      if (window_log_max_ == WINDOW_LOG_DEFAULT) return make_error(ErrorCode::unsupported, fault_offset(), what);
      return make_error(ErrorCode::limit_exceeded, fault_offset(),
                        limit_exceeded("decompressed bytes",
                                       fmt::format("a zstd frame's window is larger than the {} bytes a blob may "
                                                   "inflate to",
                                                   max_output())));
    }
    return make_error(ErrorCode::malformed, fault_offset(), what);
  }

  // libzstd's default ZSTD_d_windowLogMax (ZSTD_WINDOWLOG_LIMIT_DEFAULT in zstd.h): 128 MiB.
  static constexpr int WINDOW_LOG_DEFAULT = 27;
  // ZSTD_WINDOWLOG_ABSOLUTEMIN (zstd.h): the smallest window a frame can declare, 1 KiB.
  static constexpr int WINDOW_LOG_MIN = 10;

  // The least power of two that holds `max_output`, within libzstd's bounds.
  static int window_log_max(std::uint64_t max_output) {
    int log = WINDOW_LOG_MIN;
    while (log < WINDOW_LOG_DEFAULT && (std::uint64_t{1} << log) < max_output) ++log;
    return log;
  }

  ZSTD_DStream* stream_;
  int window_log_max_;
  std::size_t hint_ = 1;  // ZSTD_decompressStream's last answer; not 0: a frame is expected
  bool done_ = false;
  std::optional<Error> deferred_;
};

// An uncompressed blob: the range itself.
class PlainInflater final : public Inflater {
 public:
  PlainInflater(BlobRange range, const InflateOptions& options) : Inflater(range, options, Compression::none) {}

 protected:
  Result<std::size_t> decode(std::uint8_t* out, std::size_t n) override { return read_direct(out, n); }
};

Result<std::size_t> pread_full(int fd, std::uint8_t* to, std::size_t want, std::uint64_t offset) {
  std::size_t got = 0;
  while (got < want) {
    const ssize_t n = ::pread(fd, to + got, want - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error(ErrorCode::io, offset + got, fmt::format("cannot read the blob: {}", std::strerror(errno)));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got;
}

}  // namespace

std::string_view to_string(Compression c) {
  switch (c) {
    case Compression::none: return "uncompressed";
    case Compression::gzip: return "gzip";
    case Compression::zstd: return "zstd";
  }
  return "uncompressed";
}

Compression sniff_compression(std::span<const std::uint8_t> head) {
  if (head.size() >= 2 && head[0] == 0x1f && head[1] == 0x8b) return Compression::gzip;
  if (head.size() >= 4) {
    const std::uint32_t magic = std::uint32_t{head[0]} | std::uint32_t{head[1]} << 8 | std::uint32_t{head[2]} << 16 |
                                std::uint32_t{head[3]} << 24;
    if (magic == ZSTD_MAGICNUMBER || (magic & ZSTD_MAGIC_SKIPPABLE_MASK) == ZSTD_MAGIC_SKIPPABLE_START) {
      return Compression::zstd;
    }
  }
  return Compression::none;
}

Result<std::unique_ptr<Inflater>> Inflater::open(BlobRange range, const InflateOptions& options) {
  if (range.fd < 0) return make_error(ErrorCode::io, range.offset, "no open file for the blob");
  if (range.offset > std::numeric_limits<std::uint64_t>::max() - range.length ||
      range.offset + range.length > static_cast<std::uint64_t>(std::numeric_limits<off_t>::max())) {
    return make_error(ErrorCode::out_of_bounds, range.offset, fmt::format("blob range of {} bytes at {} is past any file", range.length, range.offset));
  }
  std::uint8_t head[4] = {};
  auto got = pread_full(range.fd, head, std::min<std::uint64_t>(sizeof head, range.length), range.offset);
  if (!got) return tl::unexpected(got.error());
  std::unique_ptr<Inflater> inflater;
  switch (sniff_compression({head, *got})) {
    case Compression::gzip: inflater = std::make_unique<GzipInflater>(range, options); break;
    case Compression::zstd: inflater = std::make_unique<ZstdInflater>(range, options); break;
    case Compression::none: inflater = std::make_unique<PlainInflater>(range, options); break;
  }
  return inflater;
}

Inflater::Inflater(BlobRange range, const InflateOptions& options, Compression compression)
    : range_(range), options_(options), compression_(compression) {
  // ISA-L counts input in uint32_t (and 2.30 mishandles counts near its limit): stay far below.
  options_.input_chunk = std::clamp<std::size_t>(options_.input_chunk, 1, MAX_INPUT_CHUNK);
  if (compression != Compression::none) {
    buffer_.resize(static_cast<std::size_t>(std::min<std::uint64_t>(options_.input_chunk, range.length)));
  }
  // An uncompressed blob's input and output are the same bytes: hash them once.
  same_bytes_ = compression == Compression::none && options.hash_input && options.hash_output;
  if (options.hash_input && !same_bytes_) input_digest_.emplace(DigestAlgorithm::sha256);
  if (options.hash_output) output_digest_.emplace(DigestAlgorithm::sha256);
}

Inflater::~Inflater() = default;

std::uint64_t Inflater::input_bytes() const { return read_ - (len_ - pos_); }

Result<std::size_t> Inflater::pread_some(std::uint8_t* to, std::size_t want) {
  auto got = pread_full(range_.fd, to, want, range_.offset + read_);
  if (!got) return got;
  if (*got < want) {
    return make_error(ErrorCode::truncated, range_.offset + read_ + *got,
                      fmt::format("the file ends {} bytes into a blob of {} bytes", read_ + *got, range_.length));
  }
  read_ += *got;
  if (input_digest_) input_digest_->update({to, *got});
  return got;
}

Result<bool> Inflater::fill() {
  if (pos_ < len_) return true;
  const std::uint64_t left = range_.length - read_;
  if (left == 0) return false;
  pos_ = len_ = 0;
  auto got = pread_some(buffer_.data(), static_cast<std::size_t>(std::min<std::uint64_t>(buffer_.size(), left)));
  if (!got) return tl::unexpected(got.error());
  len_ = *got;
  return true;
}

Result<std::size_t> Inflater::read_direct(std::uint8_t* out, std::size_t n) {
  const std::uint64_t left = range_.length - read_;
  return left == 0 ? Result<std::size_t>(0) : pread_some(out, static_cast<std::size_t>(std::min<std::uint64_t>(n, left)));
}

Result<std::size_t> Inflater::read(std::uint8_t* out, std::size_t n) {
  if (error_) return tl::unexpected(*error_);
  if (finished_ || n == 0) return 0;
  // One byte more than the limit allows tells a stream that is too long from one that fits.
  const std::uint64_t room = options_.max_output - output_;
  const std::size_t want = room < n ? static_cast<std::size_t>(room) + 1 : n;
  auto got = decode(out, want);
  if (got && *got == 0) {
    finish();
    return 0;
  }
  if (got) got = check_limits(*got);
  if (!got) {
    error_ = got.error();
    return got;
  }
  if (output_digest_) output_digest_->update({out, *got});
  return got;
}

Result<std::size_t> Inflater::check_limits(std::size_t got) {
  output_ += got;
  if (output_ > options_.max_output) {
    return make_error(ErrorCode::limit_exceeded, fault_offset(),
                      limit_exceeded("decompressed bytes", fmt::format("the {} blob inflates to more than {} bytes",
                                                                       to_string(compression_), options_.max_output)));
  }
  const std::uint64_t in = std::max<std::uint64_t>(input_bytes(), 1);
  if (options_.max_ratio != 0 && output_ > options_.ratio_after && output_ / in > options_.max_ratio) {
    return make_error(ErrorCode::limit_exceeded, fault_offset(),
                      limit_exceeded("compression ratio", fmt::format("{} bytes from {} compressed bytes of {}, more than {} to 1",
                                                                      output_, in, to_string(compression_), options_.max_ratio)));
  }
  return got;
}

void Inflater::finish() {
  finished_ = true;
  if (output_digest_) output_hex_ = output_digest_->finish().hex();
  if (input_digest_) input_hex_ = input_digest_->finish().hex();
  if (same_bytes_) input_hex_ = output_hex_;
}

Result<std::uint64_t> Inflater::skip_to_end() {
  // Not zero-filled: it is only written to, and a megabyte of memset per layer shows.
  const std::unique_ptr<std::uint8_t[]> sink(new std::uint8_t[IO_BLOCK]);
  std::uint64_t skipped = 0;
  for (;;) {
    auto n = read(sink.get(), IO_BLOCK);
    if (!n) return tl::unexpected(n.error());
    if (*n == 0) return skipped;
    skipped += *n;
  }
}

// libarchive's view of an inflater: a read callback over its own block buffer.
struct TarSource {
  static la_ssize_t read(archive* a, void* data, const void** block) {
    auto* inflater = static_cast<Inflater*>(data);
    auto n = inflater->read(inflater->tar_block_.data(), inflater->tar_block_.size());
    if (!n) {
      // archive.h leaves its ARCHIVE_ERRNO_* codes undefined; an errno value stands in.
      archive_set_error(a, n.error().code == ErrorCode::io ? EIO : EILSEQ, "%s", n.error().what.c_str());
      return -1;
    }
    *block = inflater->tar_block_.data();
    return static_cast<la_ssize_t>(*n);
  }
  static int open(archive* a, Inflater& inflater) {
    inflater.tar_block_.resize(IO_BLOCK);
    archive_read_support_format_tar(a);
    archive_read_support_format_gnutar(a);
    archive_read_support_filter_none(a);
    return archive_read_open(a, &inflater, nullptr, read, nullptr);
  }
};

int open_tar_reader(archive* a, Inflater& inflater) { return TarSource::open(a, inflater); }

}  // namespace enoexec::image
