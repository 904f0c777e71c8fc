#include "formats/script/text.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace enoexec::script {
namespace {

enum class Utf8 { valid, invalid, cut_short };

struct Decoded {
  Utf8 status;
  std::size_t length;    // bytes of the sequence (1 for an invalid byte)
  char32_t code_point;
};

// Lead bytes of multi-byte UTF-8 sequences (RFC 3629): range, length, payload bits, smallest
// value that needs this length (anything smaller is an overlong form).
struct LeadByte {
  unsigned char low, high;
  std::size_t length;
  unsigned mask;
  char32_t minimum;
};
constexpr std::array<LeadByte, 3> LEAD_BYTES{{
    {0xc2, 0xdf, 2, 0x1f, 0x80},
    {0xe0, 0xef, 3, 0x0f, 0x800},
    {0xf0, 0xf4, 4, 0x07, 0x10000},
}};

// One UTF-8 sequence at the start of `bytes`.
Decoded decode_utf8(std::string_view bytes) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  if (byte(0) < 0x80) return {Utf8::valid, 1, byte(0)};
  const auto lead = std::find_if(LEAD_BYTES.begin(), LEAD_BYTES.end(), [&](const LeadByte& l) {
    return byte(0) >= l.low && byte(0) <= l.high;
  });
  if (lead == LEAD_BYTES.end()) return {Utf8::invalid, 1, 0};
  char32_t value = byte(0) & lead->mask;
  for (std::size_t i = 1; i < lead->length; ++i) {
    if (i >= bytes.size()) return {Utf8::cut_short, bytes.size(), 0};
    if ((byte(i) & 0xc0u) != 0x80) return {Utf8::invalid, 1, 0};
    value = (value << 6) | (byte(i) & 0x3fu);
  }
  const bool surrogate = value >= 0xd800 && value <= 0xdfff;
  if (value < lead->minimum || surrogate || value > 0x10ffff) return {Utf8::invalid, 1, 0};
  return {Utf8::valid, lead->length, value};
}

bool is_tolerated_control(unsigned char c) {
  return c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0x1b;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

std::string escape_byte(unsigned char c) {
  switch (c) {
    case '\t': return "\\t";
    case '\r': return "\\r";
    case '\n': return "\\n";
    case '\0': return "\\0";
    case '\\': return "\\\\";
    default: break;
  }
  if (is_control(c) || c >= 0x80) return fmt::format("\\x{:02x}", c);
  return std::string(1, static_cast<char>(c));
}

}  // namespace

bool is_text(ByteView file) {
  const std::string_view window = file.clamp(0, TEXT_WINDOW).as_chars();
  if (window.empty()) return false;
  std::size_t controls = 0;
  for (std::size_t at = 0; at < window.size();) {
    const auto c = static_cast<unsigned char>(window[at]);
    if (c == 0) return false;
    if (is_control(c) && !is_tolerated_control(c)) ++controls;
    const Decoded d = decode_utf8(window.substr(at));
    if (d.status == Utf8::invalid) return false;
    at += d.length;  // cut_short only happens at the end of the window
  }
  return controls <= window.size() / 100;
}

std::string escape_for_display(std::string_view bytes) {
  std::string out;
  for (std::size_t at = 0; at < bytes.size();) {
    const Decoded d = decode_utf8(bytes.substr(at));
    if (d.status == Utf8::valid && d.length > 1) {
      out += d.code_point == 0xfeff ? std::string("\\ufeff") : std::string(bytes.substr(at, d.length));
      at += d.length;
    } else {
      out += escape_byte(static_cast<unsigned char>(bytes[at]));
      ++at;
    }
  }
  return out;
}

std::string quoted(std::string_view bytes) {
  std::string out = "\"";
  for (char c : escape_for_display(bytes)) {
    if (c == '"') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace enoexec::script
