#include "scan/filters.hpp"

#include <fnmatch.h>

#include <algorithm>

namespace enoexec::scan {
namespace {

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t slash = std::min(text.find('/', start), text.size());
    if (slash > start) parts.emplace_back(text.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

// Component-wise match; "**" tries every number of components it could swallow. Patterns are
// short, so the backtracking stays small.
bool match_components(const std::vector<std::string>& pattern, std::size_t p,
                      const std::vector<std::string>& path, std::size_t c) {
  if (p == pattern.size()) return c == path.size();
  if (pattern[p] == "**") {
    for (std::size_t k = c; k <= path.size(); ++k)
      if (match_components(pattern, p + 1, path, k)) return true;
    return false;
  }
  if (c == path.size()) return false;
  return ::fnmatch(pattern[p].c_str(), path[c].c_str(), 0) == 0 &&
         match_components(pattern, p + 1, path, c + 1);
}

std::string_view last_component(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path) {
  if (pattern.find('/') == std::string_view::npos) {
    const std::string name(last_component(path));
    const std::string glob(pattern);
    return ::fnmatch(glob.c_str(), name.c_str(), 0) == 0;
  }
  return match_components(split(pattern), 0, split(path), 0);
}

bool Filters::excluded(std::string_view relative) const {
  return std::any_of(excludes_.begin(), excludes_.end(),
                     [&](const std::string& glob) { return glob_match(glob, relative); });
}

bool Filters::skips(std::string_view path, std::string_view name, bool directory) const {
  if (!skip_git_) return false;
  if (directory && name == ".git") return true;
  return !skipped_.empty() && skipped_.count(std::string(path)) != 0;
}

bool Filters::admits_directory(std::string_view relative) const {
  return relative.empty() || !excluded(relative);
}

bool Filters::admits_file(std::string_view relative) const {
  if (relative.empty()) return true;
  if (excluded(relative)) return false;
  return includes_.empty() ||
         std::any_of(includes_.begin(), includes_.end(),
                     [&](const std::string& glob) { return glob_match(glob, relative); });
}

}  // namespace enoexec::scan
