// Terminal conventions of the human printers: whether to colour (--color, NO_COLOR, TERM=dumb),
// the ANSI SGR codes themselves, whether to draw a progress line, and counted nouns ("1
// directory", "2 errors"). JSON and SARIF never go through here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace enoexec {

// --color WHEN.
enum class ColorChoice { automatic, always, never };
std::optional<ColorChoice> parse_color_choice(std::string_view text);  // "auto", "always", "never"

// The environment a decision reads, passed in so that it can be tested.
struct TerminalEnv {
  bool is_terminal = false;  // the stream written to is a terminal (isatty)
  const char* no_color = nullptr;  // $NO_COLOR (https://no-color.org), nullptr when unset
  const char* term = nullptr;      // $TERM
  const char* ci = nullptr;        // $CI
};
// `fd`'s terminal state and the variables, as this process has them.
TerminalEnv terminal_env(int fd);

// always: yes; never: no; automatic: only on a terminal, with NO_COLOR unset or empty and TERM
// not "dumb".
bool use_color(ColorChoice choice, const TerminalEnv& env);

// A progress line (redrawn with \r) only on a terminal that is not "dumb", and never under CI
// (CI set and not empty): a log keeps every redraw.
bool use_progress(const TerminalEnv& env);

enum class Tone { green, yellow, cyan, red, dim };

// Wraps text that is already escaped for display (support/display_text.hpp) in SGR codes, or
// leaves it as it is. The default is plain, so a printer given no Style prints no codes.
class Style {
 public:
  Style() = default;
  explicit Style(bool color) : color_(color) {}
  bool color() const { return color_; }
  std::string paint(std::string_view text, Tone tone) const;

 private:
  bool color_ = false;
};

// A problem's severity ("error", "warning", "info") in its colour.
std::string severity_text(const Style& style, std::string_view severity);

// "1 directory", "2 directories", "0 errors".
std::string counted(std::uint64_t count, std::string_view singular, std::string_view plural);

}  // namespace enoexec
