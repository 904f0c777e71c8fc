#include "targets/text.hpp"

#include <algorithm>

namespace enoexec::targets {
namespace {

char upper_char(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i > start) out.emplace_back(text.substr(start, i - start));
  }
  return out;
}

std::vector<std::string> split_notes(std::string_view text) {
  constexpr std::string_view separator = " | ";
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto at = text.find(separator);
    const auto note = trim(text.substr(0, at));
    if (!note.empty()) out.emplace_back(note);
    if (at == std::string_view::npos) break;
    text.remove_prefix(at + separator.size());
  }
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), upper_char);
  return out;
}

}  // namespace enoexec::targets
