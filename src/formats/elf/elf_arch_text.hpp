// Text taken from a file (CPU names, note owners, build ids) goes into reports and JSON: keep it
// printable ASCII so a hostile byte can neither garble a terminal nor make a JSON writer fail on
// invalid UTF-8.
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

namespace enoexec::elf {

// `text` with every byte outside 0x20..0x7e written as \xNN, and backslashes doubled.
inline std::string printable_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == '\\')
      out += "\\\\";
    else if (byte >= 0x20 && byte < 0x7f)
      out += c;
    else
      out += fmt::format("\\x{:02x}", byte);
  }
  return out;
}

}  // namespace enoexec::elf
