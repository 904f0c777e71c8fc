#include "enoexec/error.hpp"

#include <fmt/format.h>

namespace enoexec {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::truncated: return "truncated";
    case ErrorCode::out_of_bounds: return "out of bounds";
    case ErrorCode::bad_magic: return "bad magic";
    case ErrorCode::malformed: return "malformed";
    case ErrorCode::unsupported: return "unsupported";
    case ErrorCode::io: return "I/O error";
    case ErrorCode::not_regular: return "not a regular file";
    case ErrorCode::limit_exceeded: return "limit exceeded";
  }
  return "error";
}

std::string to_string(const Error& error) {
  if (error.code == ErrorCode::io || error.code == ErrorCode::not_regular)
    return fmt::format("{}: {}", to_string(error.code), error.what);
  return fmt::format("{}: {} (at offset {:#x})", to_string(error.code), error.what, error.offset);
}

}  // namespace enoexec
