#include "formats/script/text.hpp"

#include <algorithm>
#include <array>

#include "support/display_text.hpp"

namespace enoexec::script {
namespace {

bool is_tolerated_control(unsigned char c) {
  return c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0x1b;
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

constexpr std::string_view BLANKS = " \t\r\v\f";

// Reserved words (POSIX XCU 2.4, bash), special and regular built-ins (XCU 2.14, 1.7), and the
// commands a script most often starts with.
constexpr std::array<std::string_view, 78> SHELL_WORDS{
    "!", "{", "(", "[[", "if", "for", "while", "until", "case", "function", "select",
    ".", ":", "[", "alias", "break", "cd", "command", "continue", "declare", "echo", "eval", "exec",
    "exit", "export", "false", "getopts", "hash", "let", "local", "printf", "pushd", "read",
    "readonly", "return", "set", "shift", "shopt", "source", "test", "times", "trap", "true",
    "type", "typeset", "ulimit", "umask", "unalias", "unset", "wait",
    "apk", "apt", "apt-get", "awk", "bash", "cat", "chmod", "chown", "cp", "curl", "dnf", "docker",
    "env", "git", "grep", "ln", "make", "mkdir", "mv", "nohup", "pip", "rm", "sed", "sh", "sleep",
    "sudo", "wget", "yum"};

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_name(std::string_view word) {
  return !word.empty() && !(word[0] >= '0' && word[0] <= '9') && std::all_of(word.begin(), word.end(), is_name_char);
}

bool is_command_name(std::string_view word) {
  return !word.empty() && word[0] >= 'a' && word[0] <= 'z' && std::all_of(word.begin(), word.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '+';
         });
}

bool is_shell_line(std::string_view line) {
  const std::size_t end = line.find_first_of(" \t;&|<>");
  const std::string_view word = line.substr(0, end);
  const std::size_t after = end == std::string_view::npos ? line.size() : line.find_first_not_of(BLANKS, end);
  const std::string_view rest = after == std::string_view::npos ? std::string_view() : line.substr(after);
  if (const std::size_t eq = word.find('='); eq != std::string_view::npos && is_name(word.substr(0, eq))) return true;
  if (word.ends_with("()") && is_name(word.substr(0, word.size() - 2))) return true;
  if (is_name(word) && rest.starts_with("()")) return true;
  if (std::find(SHELL_WORDS.begin(), SHELL_WORDS.end(), word) != SHELL_WORDS.end()) return true;
  if (word.starts_with("./") || word.starts_with("../")) return true;
  if (word.size() > 1 && word[0] == '/' && (is_name_char(word[1]) || word[1] == '.' || word[1] == '-')) return true;
  if (!is_command_name(word)) return false;
  if (rest.size() > 1 && rest[0] == '-' && (rest[1] == '-' || (rest[1] >= 'a' && rest[1] <= 'z') || (rest[1] >= 'A' && rest[1] <= 'Z')))
    return true;
  for (std::string_view mark : {"| ", "&&", "||", "> ", ">>", "< ", "$(", "${"})
    if (line.find(mark) != std::string_view::npos) return true;
  return false;
}

}  // namespace

bool is_shell_like(ByteView file) {
  std::string_view text = file.clamp(0, TEXT_WINDOW).as_chars();
  if (text.substr(0, 3) == "\xef\xbb\xbf") text.remove_prefix(3);
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    const std::size_t start = line.find_first_not_of(BLANKS);
    if (start == std::string_view::npos) continue;
    line.remove_prefix(start);
    if (line.starts_with("#!")) return true;
    if (line.starts_with('#')) continue;
    return is_shell_line(line);
  }
  return false;
}

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
