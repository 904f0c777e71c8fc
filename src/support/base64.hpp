// Base64 (RFC 4648, standard alphabet, with padding) through OpenSSL's libcrypto: how JSON carries
// bytes that are not text, such as a file name that is not UTF-8 (`path_bytes`, docs/json.md).
#pragma once

#include <string>
#include <string_view>

namespace enoexec {

// "a\xffb" -> "Yf9i"; "" -> "".
std::string base64_encode(std::string_view bytes);

}  // namespace enoexec
