// Cryptographic digests through OpenSSL's libcrypto: the one place enoexec hashes bytes (Mach-O
// code-signature pages today, image blob digests next). Nothing here is written by hand but the
// choice of algorithm; errors from libcrypto are values, never exceptions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace enoexec {

enum class DigestAlgorithm { sha1, sha256, sha384, sha512 };

// Bytes of one digest: sha1 20, sha256 32, sha384 48, sha512 64.
std::size_t digest_size(DigestAlgorithm algorithm);

// A finished digest; `size` bytes of `bytes` are used.
struct Digest {
  std::array<std::uint8_t, 64> bytes{};
  std::size_t size = 0;
  std::span<const std::uint8_t> view() const { return {bytes.data(), size}; }
  std::string hex() const;  // lower-case, as sha256sum prints it
};

// An incremental digest that can be reused: reset() starts a new one with the same algorithm,
// without the allocation and lookup of a new context (code signatures hash thousands of pages).
class Digester {
 public:
  explicit Digester(DigestAlgorithm algorithm);
  ~Digester();
  Digester(Digester&&) noexcept;
  Digester& operator=(Digester&&) noexcept;
  Digester(const Digester&) = delete;
  Digester& operator=(const Digester&) = delete;

  DigestAlgorithm algorithm() const { return algorithm_; }
  void reset();
  void update(std::span<const std::uint8_t> bytes);
  // The digest of everything given since the last reset; the digester must be reset before the
  // next update.
  Digest finish();
  // reset(), update(bytes), finish() in one call.
  Digest of(std::span<const std::uint8_t> bytes);

 private:
  struct Context;
  DigestAlgorithm algorithm_;
  std::unique_ptr<Context> context_;
};

// The digest of `bytes` in one call.
Digest digest(DigestAlgorithm algorithm, std::span<const std::uint8_t> bytes);

}  // namespace enoexec
