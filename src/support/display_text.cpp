#include "support/display_text.hpp"

#include <algorithm>
#include <array>

namespace enoexec {
namespace {

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

constexpr char32_t BYTE_ORDER_MARK = 0xfeff;

bool plain_ascii(unsigned char c) { return c >= 0x20 && c < 0x7f; }

void append_escaped_byte(unsigned char c, std::string& out) {
  static constexpr std::string_view hex = "0123456789abcdef";
  switch (c) {
    case '\t': out += "\\t"; return;
    case '\r': out += "\\r"; return;
    case '\n': out += "\\n"; return;
    case '\0': out += "\\0"; return;
    default: break;
  }
  out += "\\x";
  out += hex[c >> 4];
  out += hex[c & 0xfU];
}

bool shell_safe(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("_@%+=:,./-").find(c) != std::string_view::npos;
}

}  // namespace

Utf8Sequence decode_utf8(std::string_view bytes) {
  if (bytes.empty()) return {Utf8::cut_short, 0, 0};
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

bool is_valid_utf8(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    if (static_cast<unsigned char>(text[at]) < 0x80) {
      ++at;
      continue;
    }
    const Utf8Sequence s = decode_utf8(text.substr(at));
    if (s.status != Utf8::valid) return false;
    at += s.length;
  }
  return true;
}

// Runs of plain ASCII are appended whole: detail lines print every string of a report,
// thousands for a hostile file, so this is on the hot path.
void append_escaped(std::string_view bytes, std::string& out) {
  std::size_t run = 0;
  for (std::size_t at = 0; at < bytes.size();) {
    const auto c = static_cast<unsigned char>(bytes[at]);
    if (plain_ascii(c)) {
      ++at;
      continue;
    }
    out.append(bytes.substr(run, at - run));
    const Utf8Sequence s = c >= 0x80 ? decode_utf8(bytes.substr(at)) : Utf8Sequence{Utf8::invalid, 1, 0};
    if (s.status == Utf8::valid && s.code_point != BYTE_ORDER_MARK) {
      out.append(bytes.substr(at, s.length));
      at += s.length;
    } else if (s.status == Utf8::valid) {
      out += "\\ufeff";
      at += s.length;
    } else {
      append_escaped_byte(c, out);
      ++at;
    }
    run = at;
  }
  out.append(bytes.substr(run));
}

std::string escape_for_display(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  append_escaped(bytes, out);
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

std::string shell_quote(std::string_view text) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), shell_safe)) return std::string(text);
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

}  // namespace enoexec
