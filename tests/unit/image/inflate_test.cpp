// image/inflate: blobs written by the libraries themselves (zlib's gzip writer with every header
// field, ZSTD_compress and ZSTD_writeSkippableFrame, libarchive's tar writer), read back through
// pread ranges of a temporary file, whole and split into tiny reads so that headers, trailers and
// frames straddle them; damaged, cut and padded streams; the limits; the digests against
// Digester over the same bytes; libarchive's tar reader fed by open_tar_reader.
#include "image/inflate.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_writeSkippableFrame
#include <zstd.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/digest.hpp"

namespace enoexec::image {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Text-like and compressible, but not a run of one byte: the deflate and zstd output has real
// Huffman blocks and matches.
Bytes sample(std::size_t size, unsigned seed = 1) {
  Bytes out(size);
  std::uint32_t x = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < size; ++i) {
    x = x * 1103515245u + 12345u;
    out[i] = static_cast<std::uint8_t>("enoexec image layer tar gzip zstd\n"[(x >> 16) % 34]);
  }
  return out;
}

// One gzip member from zlib's deflate with the gzip wrapper (windowBits 31), optional header
// fields set through deflateSetHeader.
struct GzipHeader {
  std::string name, comment, extra;
  bool hcrc = false;
};
Bytes gzip(const Bytes& input, const GzipHeader& fields = {}, int level = 6) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
  gz_header header{};
  std::string name = fields.name, comment = fields.comment, extra = fields.extra;
  header.name = name.empty() ? Z_NULL : reinterpret_cast<Bytef*>(name.data());
  header.comment = comment.empty() ? Z_NULL : reinterpret_cast<Bytef*>(comment.data());
  header.extra = extra.empty() ? Z_NULL : reinterpret_cast<Bytef*>(extra.data());
  header.extra_len = static_cast<uInt>(extra.size());
  header.hcrc = fields.hcrc ? 1 : 0;
  EXPECT_EQ(deflateSetHeader(&z, &header), Z_OK);
  Bytes out(deflateBound(&z, static_cast<uLong>(input.size())) + 64 + name.size() + comment.size() + extra.size());
  z.next_in = const_cast<Bytef*>(input.data());
  z.avail_in = static_cast<uInt>(input.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

Bytes zstd_frame(const Bytes& input, bool checksum = true) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, 3);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, checksum ? 1 : 0);
  Bytes out(ZSTD_compressBound(input.size()));
  const std::size_t n = ZSTD_compress2(cctx, out.data(), out.size(), input.data(), input.size());
  EXPECT_FALSE(ZSTD_isError(n));
  ZSTD_freeCCtx(cctx);
  out.resize(n);
  return out;
}

Bytes zstd_skippable(const std::string& content, unsigned variant) {
  Bytes out(content.size() + 8);
  EXPECT_EQ(ZSTD_writeSkippableFrame(out.data(), out.size(), content.data(), content.size(), variant), out.size());
  return out;
}

// A tar of the given (name, contents) entries, from libarchive's pax writer.
Bytes tar_of(const std::vector<std::pair<std::string, Bytes>>& entries) {
  std::size_t room = 1 << 20;
  for (const auto& entry : entries) room += entry.second.size() + 4096;
  Bytes out(room);
  std::size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  EXPECT_EQ(archive_write_open_memory(a, out.data(), out.size(), &used), ARCHIVE_OK);
  for (const auto& [name, data] : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0755);
    archive_entry_set_size(entry, static_cast<la_int64_t>(data.size()));
    EXPECT_EQ(archive_write_header(a, entry), ARCHIVE_OK);
    EXPECT_EQ(archive_write_data(a, data.data(), data.size()), static_cast<la_ssize_t>(data.size()));
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  return out;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

std::string sha256(const Bytes& bytes) { return Digester(DigestAlgorithm::sha256).of(bytes).hex(); }

// A temporary file holding `prefix`, the blob, `suffix`; range() is the blob.
class BlobFile {
 public:
  explicit BlobFile(const Bytes& blob, const Bytes& prefix = {}, const Bytes& suffix = {})
      : offset_(prefix.size()), length_(blob.size()) {
    const char* dir = std::getenv("TMPDIR");
    fd_ = ::open(dir != nullptr ? dir : "/tmp", O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
    EXPECT_GE(fd_, 0);
    const Bytes all = concat({prefix, blob, suffix});
    EXPECT_EQ(::pwrite(fd_, all.data(), all.size(), 0), static_cast<ssize_t>(all.size()));
  }
  ~BlobFile() { ::close(fd_); }
  BlobFile(const BlobFile&) = delete;
  BlobFile& operator=(const BlobFile&) = delete;
  BlobRange range() const { return {fd_, offset_, length_}; }

 private:
  int fd_ = -1;
  std::uint64_t offset_, length_;
};

struct Outcome {
  Bytes data;
  std::optional<Error> error;
  std::unique_ptr<Inflater> inflater;
};

// Everything the inflater gives, `chunk` bytes per read, or the error that stopped it.
Outcome inflate_all(const BlobRange& range, const InflateOptions& options = {}, std::size_t chunk = 1 << 16) {
  Outcome outcome;
  auto opened = Inflater::open(range, options);
  if (!opened) {
    outcome.error = opened.error();
    return outcome;
  }
  outcome.inflater = std::move(*opened);
  Bytes buffer(chunk);
  for (;;) {
    auto n = outcome.inflater->read(buffer.data(), buffer.size());
    if (!n) {
      outcome.error = n.error();
      break;
    }
    if (*n == 0) break;
    outcome.data.insert(outcome.data.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
  }
  return outcome;
}

Outcome inflate_blob(const Bytes& blob, const InflateOptions& options = {}, std::size_t chunk = 1 << 16) {
  BlobFile file(blob);
  return inflate_all(file.range(), options, chunk);
}

TEST(Inflate, SniffsByMagic) {
  const Bytes gz = gzip(sample(10));
  const Bytes zs = zstd_frame(sample(10));
  const Bytes skip = zstd_skippable("x", 7);
  EXPECT_EQ(sniff_compression(gz), Compression::gzip);
  EXPECT_EQ(sniff_compression(zs), Compression::zstd);
  EXPECT_EQ(sniff_compression(skip), Compression::zstd);
  EXPECT_EQ(sniff_compression(tar_of({{"a", sample(3)}})), Compression::none);
  EXPECT_EQ(sniff_compression(Bytes{0x1f}), Compression::none);
  EXPECT_EQ(sniff_compression(Bytes{0x28, 0xb5, 0x2f}), Compression::none);
  EXPECT_EQ(sniff_compression(Bytes{}), Compression::none);
  EXPECT_EQ(to_string(Compression::none), "uncompressed");
  EXPECT_EQ(to_string(Compression::gzip), "gzip");
  EXPECT_EQ(to_string(Compression::zstd), "zstd");
}

TEST(Inflate, PassesUncompressedBytesThrough) {
  const Bytes plain = sample(300000);
  const Outcome out = inflate_blob(plain, {.hash_input = true, .hash_output = true});
  ASSERT_FALSE(out.error) << out.error->what;
  EXPECT_EQ(out.inflater->compression(), Compression::none);
  EXPECT_EQ(out.data, plain);
  EXPECT_EQ(out.inflater->input_bytes(), plain.size());
  EXPECT_EQ(out.inflater->output_bytes(), plain.size());
  EXPECT_EQ(out.inflater->input_sha256(), sha256(plain));
  EXPECT_EQ(out.inflater->output_sha256(), sha256(plain));
  const Outcome empty = inflate_blob({});
  ASSERT_FALSE(empty.error);
  EXPECT_TRUE(empty.data.empty() && empty.inflater->at_end());
}

TEST(Inflate, ReadsOneGzipMember) {
  const Bytes plain = sample(700000);
  const Bytes blob = gzip(plain);
  const Outcome out = inflate_blob(blob);
  ASSERT_FALSE(out.error) << out.error->what;
  EXPECT_EQ(out.inflater->compression(), Compression::gzip);
  EXPECT_EQ(out.data, plain);
  EXPECT_EQ(out.inflater->input_bytes(), blob.size());
  EXPECT_EQ(out.inflater->output_bytes(), plain.size());
  EXPECT_TRUE(out.inflater->input_sha256().empty());  // not asked for
}

// eStargz-like: many members, some empty, headers with every optional field, read with inputs
// and outputs so small that every header, block and trailer straddles reads.
TEST(Inflate, ReadsEveryGzipMemberWhateverTheReadSizes) {
  Bytes blob, plain;
  for (unsigned i = 0; i < 24; ++i) {
    const Bytes part = i % 5 == 3 ? Bytes{} : sample(1000 + 1500 * i, i);
    GzipHeader fields;
    if (i % 2) fields.name = "file-" + std::to_string(i);
    if (i % 3 == 1) fields.comment = std::string(300, 'c');
    if (i % 4 == 2) fields.extra = "sg" + std::string(40, 'e');
    fields.hcrc = i % 3 == 2;
    const Bytes member = gzip(part, fields, static_cast<int>(i % 10));
    blob.insert(blob.end(), member.begin(), member.end());
    plain.insert(plain.end(), part.begin(), part.end());
  }
  constexpr std::size_t MIB = std::size_t{1} << 20;
  const std::pair<std::size_t, std::size_t> sizes[] = {{1, MIB}, {3, 97}, {7, 1}, {4096, 97}, {MIB, 1}, {MIB, MIB}};
  for (const auto& [input_chunk, out_chunk] : sizes) {
    const Outcome out = inflate_blob(blob, {.hash_input = true, .hash_output = true, .input_chunk = input_chunk}, out_chunk);
    ASSERT_FALSE(out.error) << input_chunk << "/" << out_chunk << ": " << out.error->what;
    ASSERT_EQ(out.data, plain) << input_chunk << "/" << out_chunk;
    EXPECT_EQ(out.inflater->input_sha256(), sha256(blob));
    EXPECT_EQ(out.inflater->output_sha256(), sha256(plain));
  }
}

TEST(Inflate, ToleratesZeroPaddingAfterGzipAsGzipDoes) {
  const Bytes plain = sample(5000);
  const Bytes blob = concat({gzip(plain), gzip(plain), Bytes(3000, 0)});
  for (std::size_t input_chunk : {std::size_t{5}, std::size_t{1} << 20}) {
    const Outcome out = inflate_blob(blob, {.hash_input = true, .input_chunk = input_chunk});
    ASSERT_FALSE(out.error) << out.error->what;
    EXPECT_EQ(out.data, concat({plain, plain}));
    EXPECT_EQ(out.inflater->input_bytes(), blob.size());
    EXPECT_EQ(out.inflater->input_sha256(), sha256(blob));  // the padding is part of the blob
  }
}

TEST(Inflate, RefusesGarbageAfterGzip) {
  const Bytes member = gzip(sample(5000));
  const Outcome garbage = inflate_blob(concat({member, Bytes{'j', 'u', 'n', 'k'}}));
  ASSERT_TRUE(garbage.error);
  EXPECT_EQ(garbage.error->code, ErrorCode::malformed);
  EXPECT_EQ(garbage.error->what, "trailing garbage after gzip member 1");
  EXPECT_EQ(garbage.error->offset, member.size());
  const Outcome after_zeros = inflate_blob(concat({member, Bytes(10, 0), member}));
  ASSERT_TRUE(after_zeros.error);
  EXPECT_EQ(after_zeros.error->what, "trailing garbage after the zero padding that follows gzip member 1");
  // 1f then not 8b: a member that is no gzip header.
  const Outcome bad_magic = inflate_blob(concat({member, Bytes{0x1f, 0x00, 8, 0, 0, 0, 0, 0, 0, 3}}));
  ASSERT_TRUE(bad_magic.error);
  EXPECT_EQ(bad_magic.error->what, "gzip member 2: not a gzip header");
}

TEST(Inflate, ReportsAGzipStreamCutShort) {
  const Bytes member = gzip(sample(200000));
  const Bytes two = concat({member, member});
  // Inside the first header, the deflate data, the trailer; inside the second member's header.
  // Both decoders (ISA-L, zlib) name the same part.
  const std::pair<std::size_t, std::string> cuts[] = {
      {5, "gzip member 1: the stream ends inside its header"},
      {member.size() / 2, "gzip member 1: the stream ends inside its compressed data or trailer"},
      {member.size() - 3, "gzip member 1: the stream ends inside its compressed data or trailer"},
      {member.size() + 4, "gzip member 2: the stream ends inside its header"}};
  for (const auto& [cut, what] : cuts) {
    const Outcome out = inflate_blob(Bytes(two.begin(), two.begin() + static_cast<std::ptrdiff_t>(cut)), {.input_chunk = 4096});
    ASSERT_TRUE(out.error) << cut;
    EXPECT_EQ(out.error->code, ErrorCode::truncated) << cut << ": " << out.error->what;
    EXPECT_EQ(out.error->what, what) << cut;
  }
}

TEST(Inflate, ReportsCorruptGzip) {
  const Bytes plain = sample(200000);
  Bytes blob = gzip(plain);
  Bytes bad_crc = blob;
  bad_crc[bad_crc.size() - 6] ^= 0x01;  // the CRC-32 in the trailer
  const Outcome crc = inflate_blob(bad_crc);
  ASSERT_TRUE(crc.error);
  EXPECT_EQ(crc.error->code, ErrorCode::malformed);
  EXPECT_EQ(crc.error->what, "gzip member 1: the CRC-32 or length in the trailer does not match the data");
  Bytes bad_data = blob;
  for (std::size_t i = 100; i < 140; ++i) bad_data[i] ^= 0x5a;  // inside the deflate data
  const Outcome data = inflate_blob(bad_data);
  ASSERT_TRUE(data.error);
  EXPECT_EQ(data.error->code, ErrorCode::malformed);
  EXPECT_EQ(data.error->what.rfind("gzip member 1: ", 0), 0u) << data.error->what;
}

// The bytes before a fault come first, then the error, on every later call too; no digests.
TEST(Inflate, AnErrorIsSticky) {
  Bytes blob = gzip(sample(20000));
  blob[blob.size() - 6] ^= 0x01;
  const Outcome out = inflate_blob(blob, {.hash_input = true});
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.data, sample(20000));
  Bytes buffer(100);
  auto again = out.inflater->read(buffer.data(), buffer.size());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().what, out.error->what);
  ASSERT_TRUE(out.inflater->error());
  EXPECT_FALSE(out.inflater->at_end());
  EXPECT_TRUE(out.inflater->input_sha256().empty());
}

TEST(Inflate, ReadsEveryZstdFrameAndSkipsSkippableOnes) {
  const Bytes a = sample(400000, 1), b = sample(3000, 2), c = sample(250000, 3);
  const Bytes blob = concat({zstd_skippable("estargz-like metadata", 0), zstd_frame(a), zstd_frame(b, false),
                             zstd_skippable(std::string(5000, 'm'), 15), zstd_frame(c), zstd_frame({}),
                             zstd_skippable("", 3)});
  const Bytes plain = concat({a, b, c});
  for (std::size_t input_chunk : {std::size_t{1}, std::size_t{13}, std::size_t{1} << 20}) {
    const Outcome out = inflate_blob(blob, {.hash_input = true, .hash_output = true, .input_chunk = input_chunk},
                                     input_chunk == 1 ? 1 << 20 : 1000);
    ASSERT_FALSE(out.error) << out.error->what;
    EXPECT_EQ(out.inflater->compression(), Compression::zstd);
    ASSERT_EQ(out.data, plain);
    EXPECT_EQ(out.inflater->input_bytes(), blob.size());
    EXPECT_EQ(out.inflater->input_sha256(), sha256(blob));
    EXPECT_EQ(out.inflater->output_sha256(), sha256(plain));
  }
}

TEST(Inflate, ReportsZstdCutShortOrCorrupt) {
  const Bytes frame = zstd_frame(sample(300000));
  const Bytes two = concat({frame, frame});
  for (std::size_t cut : {std::size_t{6}, frame.size() / 2, frame.size() - 2, frame.size() + 3}) {
    const Outcome out = inflate_blob(Bytes(two.begin(), two.begin() + static_cast<std::ptrdiff_t>(cut)));
    ASSERT_TRUE(out.error) << cut;
    EXPECT_EQ(out.error->code, ErrorCode::truncated) << cut << ": " << out.error->what;
    EXPECT_EQ(out.error->what, "zstd: the stream ends inside a frame");
  }
  Bytes bad_checksum = frame;
  bad_checksum.back() ^= 0x01;
  const Outcome checksum = inflate_blob(bad_checksum);
  ASSERT_TRUE(checksum.error);
  EXPECT_EQ(checksum.error->code, ErrorCode::malformed);
  EXPECT_EQ(checksum.error->what.rfind("zstd: ", 0), 0u);
  const Outcome garbage = inflate_blob(concat({frame, Bytes(8, 0)}));  // zeros are no frame
  ASSERT_TRUE(garbage.error);
  EXPECT_EQ(garbage.error->code, ErrorCode::malformed);
}

TEST(Inflate, StopsAtTheDecompressedBytesLimit) {
  const Bytes plain = sample(1 << 20);
  const std::vector<Bytes> blobs = {plain, gzip(plain), zstd_frame(plain)};
  for (const Bytes& blob : blobs) {
    InflateOptions exact;
    exact.max_output = plain.size();
    const Outcome fits = inflate_blob(blob, exact);
    ASSERT_FALSE(fits.error) << fits.error->what;
    EXPECT_EQ(fits.data.size(), plain.size());
    InflateOptions one_less;
    one_less.max_output = plain.size() - 1;
    const Outcome over = inflate_blob(blob, one_less);
    ASSERT_TRUE(over.error);
    EXPECT_EQ(over.error->code, ErrorCode::limit_exceeded);
    EXPECT_EQ(over.error->what.rfind("limit exceeded: decompressed bytes: ", 0), 0u) << over.error->what;
    EXPECT_LE(over.data.size(), one_less.max_output);  // never hands over more than the limit
  }
}

// A frame header can declare a window libzstd would allocate before a byte comes out: this
// 30-byte blob (found by fuzz_image_layer: a skippable frame, then a frame that declares a
// 104 MiB window) made it allocate 104 MiB. A window larger than the output allowed is refused.
TEST(Inflate, RefusesAZstdWindowLargerThanTheOutputAllowed) {
  const Bytes blob = {0x50, 0x2a, 0x4d, 0x18, 0x04, 0x00, 0x00, 0x00, 0x73, 0x6b, 0x69, 0x70, 0x28, 0xb5, 0x2f,
                      0xfd, 0x04, 0x85, 0x35, 0x0c, 0x00, 0xff, 0xff, 0xff, 0xff, 0xdf, 0xff, 0xff, 0xff, 0x01};
  InflateOptions small;
  small.max_output = 8u << 20;
  const Outcome refused = inflate_blob(blob, small);
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(refused.error->code, ErrorCode::limit_exceeded);
  EXPECT_EQ(refused.error->what, "limit exceeded: decompressed bytes: a zstd frame's window is larger than the "
                                 "8388608 bytes a blob may inflate to");
  // Under the default limit the window is libzstd's own business (up to its 128 MiB default).
  const Outcome allowed = inflate_blob(blob);
  ASSERT_TRUE(allowed.error);
  EXPECT_NE(allowed.error->code, ErrorCode::limit_exceeded) << allowed.error->what;
}

TEST(Inflate, StopsAtTheCompressionRatioLimit) {
  const Bytes zeros(8 << 20, 0);  // about 1000:1 in gzip, far more in zstd
  for (const Bytes& blob : {gzip(zeros, {}, 9), zstd_frame(zeros)}) {
    InflateOptions options;
    options.max_ratio = 100;
    options.ratio_after = 1 << 20;
    const Outcome over = inflate_blob(blob, options);
    ASSERT_TRUE(over.error);
    EXPECT_EQ(over.error->code, ErrorCode::limit_exceeded);
    EXPECT_EQ(over.error->what.rfind("limit exceeded: compression ratio: ", 0), 0u) << over.error->what;
    options.ratio_after = 16 << 20;  // the whole output stays below the threshold
    EXPECT_FALSE(inflate_blob(blob, options).error);
  }
  InflateOptions generous;
  generous.max_ratio = 1 << 20;
  generous.ratio_after = 1 << 20;
  EXPECT_FALSE(inflate_blob(gzip(zeros, {}, 9), generous).error);
}

TEST(Inflate, ReadsARangeInTheMiddleOfAFile) {
  const Bytes plain = sample(100000);
  const Bytes blob = gzip(plain);
  // The bytes around the range would break the stream if read: trailing garbage, a gzip magic.
  BlobFile file(blob, Bytes(12345, 0x1f), Bytes{'g', 'a', 'r', 'b', 'a', 'g', 'e'});
  const Outcome out = inflate_all(file.range(), {.hash_input = true, .hash_output = true, .input_chunk = 1000});
  ASSERT_FALSE(out.error) << out.error->what;
  EXPECT_EQ(out.data, plain);
  EXPECT_EQ(out.inflater->input_sha256(), sha256(blob));
  EXPECT_EQ(out.inflater->output_sha256(), sha256(plain));
}

TEST(Inflate, ReportsAFileShorterThanTheRange) {
  const Bytes blob = gzip(sample(100000));
  BlobFile file(blob);
  BlobRange range = file.range();
  range.length += 100;
  const Outcome out = inflate_all(range);
  ASSERT_TRUE(out.error);
  EXPECT_EQ(out.error->code, ErrorCode::truncated);
  EXPECT_EQ(out.error->what, "the file ends " + std::to_string(blob.size()) + " bytes into a blob of " +
                                 std::to_string(blob.size() + 100) + " bytes");
  EXPECT_FALSE(Inflater::open({-1, 0, 10}, {}));
}

TEST(Inflate, InflatersShareOneDescriptor) {
  const Bytes a = sample(300000, 4), b = sample(200000, 5);
  const Bytes ga = gzip(a), zb = zstd_frame(b);
  BlobFile file(concat({ga, zb}));
  const BlobRange whole = file.range();
  auto first = Inflater::open({whole.fd, 0, ga.size()}, {});
  auto second = Inflater::open({whole.fd, ga.size(), zb.size()}, {});
  ASSERT_TRUE(first && second);
  // Reads taken in turns: each inflater keeps its own place in the file.
  Inflater* inflaters[] = {first->get(), second->get()};
  Bytes outs[2], buffer(4096);
  for (bool more = true; more;) {
    more = false;
    for (std::size_t i = 0; i < 2; ++i) {
      auto n = inflaters[i]->read(buffer.data(), buffer.size());
      ASSERT_TRUE(n) << n.error().what;
      more = more || *n > 0;
      outs[i].insert(outs[i].end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
    }
  }
  EXPECT_EQ(outs[0], a);
  EXPECT_EQ(outs[1], b);
}

TEST(Inflate, FeedsLibarchivesTarReader) {
  const std::vector<std::pair<std::string, Bytes>> entries = {
      {"bin/sh", sample(150000, 6)}, {"etc/os-release", sample(100, 7)}, {"usr/lib/big", sample(2 << 20, 8)}};
  const Bytes tar = tar_of(entries);
  // One gzip member per entry's bytes, as eStargz cuts a layer, then a zstd stream of it.
  const std::size_t third = tar.size() / 3;
  const Bytes estargz = concat({gzip(Bytes(tar.begin(), tar.begin() + static_cast<std::ptrdiff_t>(third))),
                                gzip(Bytes(tar.begin() + static_cast<std::ptrdiff_t>(third), tar.end()))});
  for (const Bytes& blob : {tar, estargz, zstd_frame(tar)}) {
    BlobFile file(blob);
    auto inflater = Inflater::open(file.range(), {.hash_input = true, .hash_output = true});
    ASSERT_TRUE(inflater);
    std::unique_ptr<archive, int (*)(archive*)> a(archive_read_new(), archive_read_free);
    ASSERT_EQ(open_tar_reader(a.get(), **inflater), ARCHIVE_OK) << archive_error_string(a.get());
    archive_entry* entry = nullptr;
    std::size_t seen = 0;
    while (archive_read_next_header(a.get(), &entry) == ARCHIVE_OK) {
      ASSERT_LT(seen, entries.size());
      EXPECT_EQ(archive_entry_pathname(entry), entries[seen].first);
      Bytes data(static_cast<std::size_t>(archive_entry_size(entry)));
      EXPECT_EQ(archive_read_data(a.get(), data.data(), data.size()), static_cast<la_ssize_t>(data.size()));
      EXPECT_EQ(data, entries[seen].second);
      ++seen;
    }
    EXPECT_EQ(seen, entries.size());
    ASSERT_TRUE((*inflater)->skip_to_end());
    EXPECT_TRUE((*inflater)->at_end());
    EXPECT_EQ((*inflater)->input_sha256(), sha256(blob));
    EXPECT_EQ((*inflater)->output_sha256(), sha256(tar));
  }
}

TEST(Inflate, ATarReaderSeesTheInflatersError) {
  const Bytes tar = tar_of({{"a", sample(300000)}});
  Bytes blob = gzip(tar);
  BlobFile file(Bytes(blob.begin(), blob.begin() + static_cast<std::ptrdiff_t>(blob.size() / 2)));
  auto inflater = Inflater::open(file.range(), {});
  ASSERT_TRUE(inflater);
  std::unique_ptr<archive, int (*)(archive*)> a(archive_read_new(), archive_read_free);
  ASSERT_EQ(open_tar_reader(a.get(), **inflater), ARCHIVE_OK);
  archive_entry* entry = nullptr;
  ASSERT_EQ(archive_read_next_header(a.get(), &entry), ARCHIVE_OK);
  Bytes data(300000);
  EXPECT_LT(archive_read_data(a.get(), data.data(), data.size()), 0);
  EXPECT_STREQ(archive_error_string(a.get()), "gzip member 1: the stream ends inside its compressed data or trailer");
  ASSERT_TRUE((*inflater)->error());
  EXPECT_EQ((*inflater)->error()->code, ErrorCode::truncated);
}

}  // namespace
}  // namespace enoexec::image
