#include "formats/impostor/text_kind.hpp"

#include <array>
#include <string_view>
#include <vector>

namespace enoexec::impostor {
namespace {

constexpr std::uint64_t WINDOW = 4096;
constexpr std::string_view BLANKS = " \t\r\v\f";

std::vector<std::string_view> lines_of(ByteView file) {
  std::string_view text = file.clamp(0, WINDOW).as_chars();
  if (text.substr(0, 3) == "\xef\xbb\xbf") text.remove_prefix(3);
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    const std::size_t last = line.find_last_not_of(BLANKS);
    lines.push_back(last == std::string_view::npos ? std::string_view() : line.substr(0, last + 1));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string_view trim_left(std::string_view line) {
  const std::size_t at = line.find_first_not_of(BLANKS);
  return at == std::string_view::npos ? std::string_view() : line.substr(at);
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// NAME, a Python identifier (ASCII only here), at the start of `text`: its length, or 0.
std::size_t name_length(std::string_view text) {
  if (text.empty() || (text[0] >= '0' && text[0] <= '9')) return 0;
  std::size_t n = 0;
  while (n < text.size() && is_name_char(text[n])) ++n;
  return n;
}

bool is_c_directive(std::string_view line) {
  static constexpr std::array<std::string_view, 6> DIRECTIVES{"#define ", "#ifndef ", "#ifdef ",
                                                               "#pragma ", "#if ", "#endif"};
  if (line.starts_with("#include")) {
    const std::string_view rest = trim_left(line.substr(8));
    return rest.starts_with('<') || rest.starts_with('"');
  }
  for (auto directive : DIRECTIVES)
    if (line.starts_with(directive) || line == directive.substr(0, directive.size() - 1)) return true;
  return false;
}

// "import a.b, c as d": dotted names separated by commas, each optionally "as NAME".
bool is_python_import(std::string_view rest) {
  while (true) {
    std::size_t n = name_length(rest);
    if (n == 0) return false;
    rest.remove_prefix(n);
    while (rest.starts_with('.') && name_length(rest.substr(1)) > 0) rest.remove_prefix(1 + name_length(rest.substr(1)));
    rest = trim_left(rest);
    if (rest.starts_with("as ")) {
      rest = trim_left(rest.substr(3));
      n = name_length(rest);
      if (n == 0) return false;
      rest = trim_left(rest.substr(n));
    }
    if (rest.empty() || rest.starts_with('#')) return true;
    if (!rest.starts_with(',')) return false;
    rest = trim_left(rest.substr(1));
  }
}

bool is_python_line(std::string_view line) {
  if (line.starts_with("import ")) return is_python_import(trim_left(line.substr(7)));
  if (line.starts_with("from ")) {
    const std::string_view rest = trim_left(line.substr(5));
    const std::size_t n = rest.find_first_of(BLANKS);
    return n != std::string_view::npos && n > 0 && trim_left(rest.substr(n)).starts_with("import ");
  }
  if (line.starts_with("if __name__ ==")) return true;
  for (std::string_view keyword : {std::string_view("def "), std::string_view("class ")}) {
    if (!line.starts_with(keyword)) continue;
    const std::string_view rest = line.substr(keyword.size());
    const std::size_t n = name_length(rest);
    if (n == 0 || !line.ends_with(':')) return false;
    return keyword == "class " || rest.substr(n).starts_with('(');
  }
  return false;
}

bool is_atx_heading(std::string_view line) {
  std::size_t hashes = 0;
  while (hashes < line.size() && line[hashes] == '#') ++hashes;
  return hashes >= 1 && hashes <= 6 && hashes + 1 < line.size() && line[hashes] == ' ' &&
         line.find_first_not_of(BLANKS, hashes) != std::string_view::npos;
}

bool is_markdown_line(std::string_view previous, std::string_view line) {
  if (is_atx_heading(line) || line.starts_with("```") || line.starts_with("~~~")) return true;
  if (line.size() >= 3 && line.find_first_not_of('=') == std::string_view::npos && !trim_left(previous).empty())
    return true;
  const std::size_t close = line.find("](");
  return close != std::string_view::npos && line.rfind('[', close) != std::string_view::npos &&
         line.find(')', close) != std::string_view::npos;
}

}  // namespace

std::string plain_text_kind(ByteView file) {
  const std::vector<std::string_view> lines = lines_of(file);
  for (std::string_view line : lines)
    if (is_c_directive(line)) return "c-source";
  for (std::string_view line : lines)
    if (is_python_line(line)) return "python-source";
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (is_markdown_line(i == 0 ? std::string_view() : lines[i - 1], lines[i])) return "markdown";
  return "text";
}

}  // namespace enoexec::impostor
