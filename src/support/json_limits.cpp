#include "support/json_limits.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace enoexec {
namespace {

// Where the nesting first passes `max` levels, or npos: one pass, no allocation.
std::size_t too_deep_at(std::string_view text, std::uint64_t max) {
  std::uint64_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string_view::npos;
}

}  // namespace

Result<void> check_json_limits(std::string_view text, const Limits& limits, std::string_view what) {
  if (text.size() > limits.json_bytes)
    return make_error(ErrorCode::limit_exceeded, limits.json_bytes,
                      fmt::format("json bytes: {} is more than {} bytes; it is not read "
                                  "(raise --limit json-bytes=N)",
                                  what, limits.json_bytes));
  if (const std::size_t at = too_deep_at(text, limits.json_depth); at != std::string_view::npos)
    return make_error(ErrorCode::limit_exceeded, at,
                      fmt::format("json depth: {} nests arrays and objects more than {} deep; it "
                                  "is not read (raise --limit json-depth=N)",
                                  what, limits.json_depth));
  return {};
}

}  // namespace enoexec
