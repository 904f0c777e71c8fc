#include "output/style.hpp"

#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

#include "support/display_text.hpp"

namespace enoexec {
namespace {

bool set_and_not_empty(const char* value) { return value != nullptr && value[0] != '\0'; }

bool dumb(const TerminalEnv& env) { return env.term != nullptr && std::string_view(env.term) == "dumb"; }

std::string_view sgr(Tone tone) {
  switch (tone) {
    case Tone::green: return "32";
    case Tone::yellow: return "33";
    case Tone::cyan: return "36";
    case Tone::red: return "31";
    case Tone::dim: return "2";
  }
  return "0";
}

}  // namespace

std::optional<ColorChoice> parse_color_choice(std::string_view text) {
  if (text == "auto") return ColorChoice::automatic;
  if (text == "always") return ColorChoice::always;
  if (text == "never") return ColorChoice::never;
  return std::nullopt;
}

TerminalEnv terminal_env(int fd) {
  return {::isatty(fd) == 1, std::getenv("NO_COLOR"), std::getenv("TERM"), std::getenv("CI")};
}

bool use_color(ColorChoice choice, const TerminalEnv& env) {
  switch (choice) {
    case ColorChoice::always: return true;
    case ColorChoice::never: return false;
    case ColorChoice::automatic: break;
  }
  return env.is_terminal && !set_and_not_empty(env.no_color) && !dumb(env);
}

bool use_progress(const TerminalEnv& env) { return env.is_terminal && !dumb(env) && !set_and_not_empty(env.ci); }

std::string Style::paint(std::string_view text, Tone tone) const {
  if (!color_ || text.empty()) return std::string(text);
  return fmt::format("\x1b[{}m{}\x1b[0m", sgr(tone), text);
}

std::string severity_text(const Style& style, std::string_view severity) {
  if (severity == "error") return style.paint(severity, Tone::red);
  if (severity == "warning") return style.paint(severity, Tone::yellow);
  if (severity == "info") return style.paint(severity, Tone::dim);
  return escape_for_display(severity);
}

std::string counted(std::uint64_t count, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", count, count == 1 ? singular : plural);
}

}  // namespace enoexec
