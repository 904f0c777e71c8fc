// Errors are values: every parser returns Result<T>, never throws.
#pragma once

#include <cstdint>
#include <string>

#include <tl/expected.hpp>

namespace enoexec {

enum class ErrorCode {
  truncated,       // a structure runs past the end of the file
  out_of_bounds,   // an offset, size or count points outside the file or its table
  bad_magic,       // the bytes are not the format the caller asked for
  malformed,       // self-contradictory or invalid field values
  unsupported,     // valid, but a variant enoexec does not read
  io,              // the operating system refused (open, stat, mmap)
  not_regular,     // FIFO, socket, device or directory: never opened for parsing
  limit_exceeded,  // a named safety limit was hit
};

struct Error {
  ErrorCode code = ErrorCode::malformed;
  std::uint64_t offset = 0;  // file offset of the structure at fault
  std::string what;          // names the structure: "program header 3: p_offset ..."
};

// "truncated: ELF header needs 64 bytes, 20 remain (at offset 0x0)"
std::string to_string(const Error& error);
std::string_view to_string(ErrorCode code);

template <class T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> make_error(ErrorCode code, std::uint64_t offset, std::string what) {
  return tl::unexpected<Error>(Error{code, offset, std::move(what)});
}

}  // namespace enoexec
