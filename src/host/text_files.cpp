// The small text formats of a host: mountinfo, os-release, Alpine's apk database, the kernel
// command line and config, and the version strings inside C library files.
#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "host/host_parse.hpp"
#include "platform/text.hpp"

namespace enoexec::host {
namespace {

using platform_text::split;
using platform_text::trim;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// proc_pid_mountinfo(5) escapes space, tab, newline and backslash as \ooo.
std::string unescape_octal(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool octal = text[i] == '\\' && text.size() - i > 3 && text[i + 1] >= '0' && text[i + 1] <= '3' &&
                       text[i + 2] >= '0' && text[i + 2] <= '7' && text[i + 3] >= '0' && text[i + 3] <= '7';
    if (!octal) {
      out += text[i];
      continue;
    }
    out += static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0'));
    i += 3;
  }
  return out;
}

bool has_option(std::string_view options, std::string_view name) {
  const auto list = split(options, ',');
  return std::find(list.begin(), list.end(), name) != list.end();
}

// "2.36" or "1.2.4": digits separated by single dots, at least `parts` numbers.
bool is_version(std::string_view text, int parts) {
  int numbers = 0;
  bool in_number = false;
  for (char c : text) {
    if (is_digit(c)) {
      if (!in_number) ++numbers;
      in_number = true;
    } else if (c == '.' && in_number) {
      in_number = false;
    } else {
      return false;
    }
  }
  return in_number && numbers == parts;
}

// A double-quoted os-release value: backslash escapes \" \\ \$ \` (os-release(5)).
std::string unquote(std::string_view value) {
  if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') return std::string(value.substr(1, value.size() - 2));
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::string(value);
  std::string out;
  const std::string_view inner = value.substr(1, value.size() - 2);
  for (std::size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == '\\' && i + 1 < inner.size()) ++i;
    out += inner[i];
  }
  return out;
}

}  // namespace

std::vector<MountInfo> parse_noexec_mounts(std::string_view mountinfo, std::vector<std::string>& warnings) {
  std::vector<MountInfo> mounts;
  int line_number = 0;
  for (std::string_view line : split(mountinfo, '\n')) {
    ++line_number;
    if (trim(line).empty()) continue;
    const auto fields = split(line, ' ');
    // id parent major:minor root mount-point options [optional...] - fstype source super-options
    const auto dash = std::find(fields.begin() + std::min<std::ptrdiff_t>(6, std::ssize(fields)), fields.end(), "-");
    if (fields.size() < 6 || dash == fields.end() || fields.end() - dash < 3) {
      warnings.push_back(fmt::format("mountinfo line {}: not \"id parent dev root point options ... - "
                                     "type source options\"", line_number));
      continue;
    }
    if (!has_option(fields[5], "noexec")) continue;
    mounts.push_back({unescape_octal(fields[4]), unescape_octal(*(dash + 1)), unescape_octal(*(dash + 2)),
                      std::string(fields[5])});
  }
  return mounts;
}

std::map<std::string, std::string> parse_os_release(std::string_view text) {
  std::map<std::string, std::string> values;
  for (std::string_view line : split(text, '\n')) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    const auto equals = line.find('=');
    if (equals == std::string_view::npos || equals == 0) continue;
    values[std::string(trim(line.substr(0, equals)))] = unquote(trim(line.substr(equals + 1)));
  }
  return values;
}

std::optional<std::string> apk_package_version(std::string_view installed, std::string_view name) {
  bool in_package = false;
  for (std::string_view line : split(installed, '\n')) {
    if (trim(line).empty()) {
      in_package = false;  // records are separated by blank lines
    } else if (line.starts_with("P:")) {
      in_package = line.substr(2) == name;
    } else if (in_package && line.starts_with("V:")) {
      return std::string(trim(line.substr(2)));
    }
  }
  return std::nullopt;
}

std::optional<GlibcBanner> find_glibc_banner(std::string_view bytes) {
  constexpr std::string_view lead = "GNU C Library (";
  constexpr std::string_view release = "release version ";
  for (auto at = bytes.find(lead); at != std::string_view::npos; at = bytes.find(lead, at + 1)) {
    std::string_view line = bytes.substr(at, 256);
    line = line.substr(0, line.find_first_of(std::string_view("\n\0", 2)));
    const auto close = line.find(") ");
    const auto version_at = line.find(release);
    if (close == std::string_view::npos || version_at == std::string_view::npos) continue;
    std::string_view version = line.substr(version_at + release.size());
    version = version.substr(0, version.find_first_not_of("0123456789."));
    while (version.ends_with('.')) version.remove_suffix(1);
    if (!is_version(version, 2) && !is_version(version, 3)) continue;
    return GlibcBanner{std::string(version), std::string(line.substr(lead.size(), close - lead.size()))};
  }
  return std::nullopt;
}

std::optional<std::string> find_musl_version(std::string_view bytes) {
  if (bytes.find("musl libc (") == std::string_view::npos) return std::nullopt;
  std::set<std::string_view> candidates;
  std::size_t start = 0;
  while (start < bytes.size()) {
    const auto nul = bytes.find('\0', start);
    if (nul == std::string_view::npos) break;
    const std::string_view piece = bytes.substr(start, nul - start);
    if (piece.size() >= 5 && piece.size() <= 16 && is_version(piece, 3)) candidates.insert(piece);
    start = nul + 1;
  }
  if (candidates.size() != 1) return std::nullopt;
  return std::string(*candidates.begin());
}

std::optional<std::string> cmdline_option(std::string_view cmdline, std::string_view name) {
  std::optional<std::string> found;
  for (std::string_view word : platform_text::words(cmdline)) {
    if (word == "--") break;  // the rest is for init
    if (word == name) found = "";
    if (word.size() > name.size() && word.starts_with(name) && word[name.size()] == '=')
      found = std::string(word.substr(name.size() + 1));
  }
  return found;
}

std::optional<std::string> kernel_config_value(std::string_view config, std::string_view name) {
  const std::string unset = fmt::format("# {} is not set", name);
  for (std::string_view line : split(config, '\n')) {
    line = trim(line);
    if (line == unset) return "n";
    if (line.size() > name.size() && line.starts_with(name) && line[name.size()] == '=')
      return std::string(line.substr(name.size() + 1));
  }
  return std::nullopt;
}

}  // namespace enoexec::host
