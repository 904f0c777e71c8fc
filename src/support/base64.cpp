// EVP_EncodeBlock writes one line of base64 (no newlines) and a NUL after it; its length is an
// int, so longer inputs go in pieces of a multiple of 3 bytes (no padding between them).
#include "support/base64.hpp"

#include <algorithm>
#include <cstddef>

#include <openssl/evp.h>

namespace enoexec {

std::string base64_encode(std::string_view bytes) {
  constexpr std::size_t piece = 3 << 20;  // 3 MiB in, 4 MiB out
  const std::size_t length = (bytes.size() + 2) / 3 * 4;
  std::string out(length + 1, '\0');  // room for the NUL EVP_EncodeBlock ends with
  std::size_t written = 0;
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    const std::size_t size = std::min(piece, bytes.size() - at);
    written += static_cast<std::size_t>(
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + written),
                        reinterpret_cast<const unsigned char*>(bytes.data() + at), static_cast<int>(size)));
  }
  out.resize(written);
  return out;
}

}  // namespace enoexec
