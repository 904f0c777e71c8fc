#include "formats/script/text.hpp"

#include "support/display_text.hpp"

namespace enoexec::script {
namespace {

bool is_tolerated_control(unsigned char c) {
  return c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0x1b;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

}  // namespace

bool is_text(ByteView file) {
  const std::string_view window = file.clamp(0, TEXT_WINDOW).as_chars();
  if (window.empty()) return false;
  std::size_t controls = 0;
  for (std::size_t at = 0; at < window.size();) {
    const auto c = static_cast<unsigned char>(window[at]);
    if (c == 0) return false;
    if (is_control(c) && !is_tolerated_control(c)) ++controls;
    const Utf8Sequence d = decode_utf8(window.substr(at));
    if (d.status == Utf8::invalid) return false;
    at += d.length;  // cut_short only happens at the end of the window
  }
  return controls <= window.size() / 100;
}

}  // namespace enoexec::script
