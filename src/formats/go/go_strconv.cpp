#include "formats/go/go_strconv.hpp"

#include <fmt/format.h>

namespace enoexec::go {
namespace {

constexpr char32_t kRuneError = 0xFFFD;

struct Rune {
  char32_t value;
  std::size_t size;
};

std::uint8_t byte_at(std::string_view text, std::size_t index) {
  return static_cast<std::uint8_t>(text[index]);
}

// utf8.DecodeRuneInString: invalid or truncated sequences (overlong forms, surrogates, values
// past U+10FFFF included) decode as U+FFFD of width 1.
Rune decode_rune(std::string_view text) {
  const std::uint8_t lead = byte_at(text, 0);
  if (lead < 0x80) return {lead, 1};
  std::size_t size = 0;
  std::uint8_t low = 0x80, high = 0xBF;  // the range allowed for the second byte
  char32_t value = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    size = 2, value = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    size = 3, value = lead & 0x0Fu;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    size = 4, value = lead & 0x07u;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return {kRuneError, 1};
  }
  if (text.size() < size) return {kRuneError, 1};
  for (std::size_t i = 1; i < size; ++i) {
    const std::uint8_t next = byte_at(text, i);
    const std::uint8_t lo = i == 1 ? low : std::uint8_t{0x80};
    const std::uint8_t hi = i == 1 ? high : std::uint8_t{0xBF};
    if (next < lo || next > hi) return {kRuneError, 1};
    value = (value << 6) | (next & 0x3Fu);
  }
  return {value, size};
}

bool valid_rune(char32_t rune) { return rune < 0xD800 || (rune > 0xDFFF && rune <= 0x10FFFF); }

void append_utf8(std::string& out, char32_t rune) {
  auto put = [&out](char32_t bits) { out.push_back(static_cast<char>(bits)); };
  if (rune < 0x80) {
    put(rune);
  } else if (rune < 0x800) {
    put(0xC0 | (rune >> 6)), put(0x80 | (rune & 0x3F));
  } else if (rune < 0x10000) {
    put(0xE0 | (rune >> 12)), put(0x80 | ((rune >> 6) & 0x3F)), put(0x80 | (rune & 0x3F));
  } else {
    put(0xF0 | (rune >> 18)), put(0x80 | ((rune >> 12) & 0x3F));
    put(0x80 | ((rune >> 6) & 0x3F)), put(0x80 | (rune & 0x3F));
  }
}

std::optional<unsigned> digit_value(char c, unsigned base) {
  unsigned value = 16;
  if (c >= '0' && c <= '9') value = static_cast<unsigned>(c - '0');
  if (c >= 'a' && c <= 'f') value = static_cast<unsigned>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') value = static_cast<unsigned>(c - 'A' + 10);
  if (value >= base) return std::nullopt;
  return value;
}

std::optional<char32_t> number(std::string_view digits, unsigned base) {
  char32_t value = 0;
  for (char c : digits) {
    auto digit = digit_value(c, base);
    if (!digit) return std::nullopt;
    value = value * base + *digit;
  }
  return value;
}

struct Char {
  char32_t value;
  bool multibyte;  // append as UTF-8; otherwise `value` is one raw byte
  std::size_t size;
};

// strconv.UnquoteChar inside a double-quoted literal.
std::optional<Char> unquote_char(std::string_view text) {
  const char first = text[0];
  if (first == '"') return std::nullopt;
  if (byte_at(text, 0) >= 0x80) {
    const Rune rune = decode_rune(text);
    return Char{rune.value, true, rune.size};
  }
  if (first != '\\') return Char{static_cast<char32_t>(byte_at(text, 0)), false, 1};
  if (text.size() < 2) return std::nullopt;
  const std::string_view rest = text.substr(2);
  switch (text[1]) {
    case 'a': return Char{'\a', false, 2};
    case 'b': return Char{'\b', false, 2};
    case 'f': return Char{'\f', false, 2};
    case 'n': return Char{'\n', false, 2};
    case 'r': return Char{'\r', false, 2};
    case 't': return Char{'\t', false, 2};
    case 'v': return Char{'\v', false, 2};
    case '\\': return Char{'\\', false, 2};
    case '"': return Char{'"', false, 2};
    case 'x':
    case 'u':
    case 'U': {
      const std::size_t digits = text[1] == 'x' ? 2 : text[1] == 'u' ? 4 : 8;
      if (rest.size() < digits) return std::nullopt;
      auto value = number(rest.substr(0, digits), 16);
      if (!value) return std::nullopt;
      if (text[1] == 'x') return Char{*value, false, 2 + digits};
      if (!valid_rune(*value)) return std::nullopt;
      return Char{*value, true, 2 + digits};
    }
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
      if (rest.size() < 2) return std::nullopt;
      auto value = number(text.substr(1, 3), 8);
      if (!value || *value > 255) return std::nullopt;
      return Char{*value, false, 4};
    }
    default: return std::nullopt;  // includes \' : only valid inside rune literals
  }
}

std::optional<Unquoted> unquote_raw(std::string_view text) {
  const std::size_t end = text.find('`', 1);
  if (end == std::string_view::npos) return std::nullopt;
  std::string value;
  for (char c : text.substr(1, end - 1))
    if (c != '\r') value.push_back(c);  // raw literals drop carriage returns
  return Unquoted{std::move(value), end + 1};
}

std::optional<Unquoted> unquote_interpreted(std::string_view text) {
  std::string value;
  std::size_t position = 1;
  while (position < text.size() && text[position] != '"') {
    if (text[position] == '\n') return std::nullopt;
    auto next = unquote_char(text.substr(position));
    if (!next) return std::nullopt;
    if (next->multibyte)
      append_utf8(value, next->value);
    else
      value.push_back(static_cast<char>(next->value));
    position += next->size;
  }
  if (position >= text.size()) return std::nullopt;
  return Unquoted{std::move(value), position + 1};
}

// strconv.IsPrint for the runes a byte can name, and a permissive answer beyond Latin-1.
bool printable(char32_t rune) {
  if (rune < 0x80) return rune >= 0x20 && rune < 0x7F;
  if (rune < 0x100) return rune > 0xA0 && rune != 0xAD;
  return true;
}

void append_escaped(std::string& out, char32_t rune, char quote_char) {
  if (rune == static_cast<char32_t>(quote_char) || rune == '\\') {
    out.push_back('\\');
    out.push_back(static_cast<char>(rune));
    return;
  }
  if (printable(rune)) return append_utf8(out, rune);
  switch (rune) {
    case '\a': out += "\\a"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\v': out += "\\v"; return;
    default: break;
  }
  const auto code = static_cast<std::uint32_t>(rune);
  if (rune < 0x20 || rune == 0x7F)
    out += fmt::format("\\x{:02x}", code);
  else if (rune < 0x10000)
    out += fmt::format("\\u{:04x}", code);
  else
    out += fmt::format("\\U{:08x}", code);
}

}  // namespace

std::optional<Unquoted> unquote_prefix(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  if (text[0] == '`') return unquote_raw(text);
  if (text[0] == '"') return unquote_interpreted(text);
  return std::nullopt;
}

std::optional<std::string> unquote(std::string_view text) {
  auto literal = unquote_prefix(text);
  if (!literal || literal->length != text.size()) return std::nullopt;
  return std::move(literal->value);
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  while (!text.empty()) {
    const Rune rune = decode_rune(text);
    if (rune.value == kRuneError && rune.size == 1)
      out += fmt::format("\\x{:02x}", byte_at(text, 0));  // a byte that is not UTF-8
    else
      append_escaped(out, rune.value, '"');
    text.remove_prefix(rune.size);
  }
  out.push_back('"');
  return out;
}

std::string quote_byte(std::uint8_t byte) {
  std::string out = "'";
  append_escaped(out, byte, '\'');
  out.push_back('\'');
  return out;
}

}  // namespace enoexec::go
