// Digester over EVP_MD_CTX (OpenSSL 3): the algorithm is fetched once per digester and the
// context re-initialised per message, which keeps per-page hashing at the cost of the hash.
#include "support/digest.hpp"

#include <new>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace enoexec {
namespace {

// The algorithm fetched from the default provider once per process: a legacy EVP_sha256()
// handle is looked up again at every EVP_DigestInit_ex (OpenSSL 3's "implicit fetch"), which
// costs a tenth of hashing a 4 KiB page. The fetched objects live as long as the process.
const EVP_MD* fetch(const char* name) {
  const EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) throw std::bad_alloc();
  return md;
}

// OpenSSL's configuration is never read: enoexec needs only the built-in default provider, and
// a configuration ($OPENSSL_CONF, openssl.cnf) can make libcrypto dlopen provider modules or
// engines, which in the static portable program means a second C library in the process, or
// select properties (fips=yes) under which no SHA-256 can be fetched. Must run before the
// first fetch: the first initialisation decides.
bool openssl_without_config() { return OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, nullptr) == 1; }

const EVP_MD* evp_of(DigestAlgorithm algorithm) {
  [[maybe_unused]] static const bool initialised = openssl_without_config();
  static const EVP_MD* const sha1 = fetch("SHA1");
  static const EVP_MD* const sha256 = fetch("SHA256");
  static const EVP_MD* const sha384 = fetch("SHA384");
  static const EVP_MD* const sha512 = fetch("SHA512");
  switch (algorithm) {
    case DigestAlgorithm::sha1: return sha1;
    case DigestAlgorithm::sha256: return sha256;
    case DigestAlgorithm::sha384: return sha384;
    case DigestAlgorithm::sha512: return sha512;
  }
  return sha256;
}

}  // namespace

std::size_t digest_size(DigestAlgorithm algorithm) {
  switch (algorithm) {
    case DigestAlgorithm::sha1: return 20;
    case DigestAlgorithm::sha256: return 32;
    case DigestAlgorithm::sha384: return 48;
    case DigestAlgorithm::sha512: return 64;
  }
  return 0;
}

std::string Digest::hex() const {
  static constexpr char DIGITS[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = DIGITS[bytes[i] >> 4];
    out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
  }
  return out;
}

struct Digester::Context {
  EVP_MD_CTX* ctx = nullptr;
  const EVP_MD* md = nullptr;
  ~Context() { EVP_MD_CTX_free(ctx); }
};

Digester::Digester(DigestAlgorithm algorithm)
    : algorithm_(algorithm), context_(std::make_unique<Context>()) {
  context_->md = evp_of(algorithm);
  context_->ctx = EVP_MD_CTX_new();
  if (context_->ctx == nullptr) throw std::bad_alloc();
  reset();
}

Digester::~Digester() = default;
Digester::Digester(Digester&&) noexcept = default;
Digester& Digester::operator=(Digester&&) noexcept = default;

// libcrypto fails these calls only when it cannot allocate; that is std::bad_alloc, as for any
// other allocation in enoexec (caught once in main).
void Digester::reset() {
  if (EVP_DigestInit_ex2(context_->ctx, context_->md, nullptr) != 1) throw std::bad_alloc();
}

void Digester::update(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return;
  if (EVP_DigestUpdate(context_->ctx, bytes.data(), bytes.size()) != 1) throw std::bad_alloc();
}

Digest Digester::finish() {
  Digest out;
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(context_->ctx, out.bytes.data(), &size) != 1) throw std::bad_alloc();
  out.size = size;
  return out;
}

Digest Digester::of(std::span<const std::uint8_t> bytes) {
  reset();
  update(bytes);
  return finish();
}

Digest digest(DigestAlgorithm algorithm, std::span<const std::uint8_t> bytes) {
  return Digester(algorithm).of(bytes);
}

}  // namespace enoexec
