// --include / --exclude: which entries of a walk `scan` looks at, by glob.
//
// A pattern without "/" matches the entry's name (its last component), anywhere in the tree:
// "*.so", "node_modules". A pattern with "/" matches the whole path below the root (a leading
// "/" is dropped: patterns are always anchored at the root), one component against one
// component with fnmatch(3) (no flags: "*" and "?" never match "/", and do match a leading
// "."), and a component "**" matches any number of components, none included: "usr/**/lib*.so",
// "**/test/*".
//
// Exclusions apply to every entry, and an excluded directory is not descended into.
// Inclusions (when any is given) apply to everything but directories: an entry is looked at
// when it matches at least one; directories are always descended unless excluded.
//
// --gitignore adds skipped paths: the display paths (root as given, then "/name" per level) of
// what git ignores below each root (scan/gitignore.hpp), and every directory named ".git".
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace enoexec::scan {

// Matches `path` (a relative path, "/"-separated) against one pattern with the rules above.
bool glob_match(std::string_view pattern, std::string_view path);

class Filters {
 public:
  void include(std::string pattern) { includes_.push_back(std::move(pattern)); }
  void exclude(std::string pattern) { excludes_.push_back(std::move(pattern)); }
  bool empty() const { return includes_.empty() && excludes_.empty() && !skip_git_; }

  // --gitignore: skips `path` (a display path, as WalkEntry::path spells it) and, when it is a
  // directory, everything below it; and skips every directory named ".git".
  void skip_path(std::string path) {
    skipped_.insert(std::move(path));
    skip_git_ = true;
  }
  void skip_git_directories() { skip_git_ = true; }
  // Whether the entry at display path `path` named `name` is skipped so.
  bool skips(std::string_view path, std::string_view name, bool directory) const;

  // `relative` is the path below the root ("" for a root itself, which is always admitted).
  bool admits_directory(std::string_view relative) const;
  bool admits_file(std::string_view relative) const;

 private:
  bool excluded(std::string_view relative) const;
  std::vector<std::string> includes_;
  std::vector<std::string> excludes_;
  std::unordered_set<std::string> skipped_;
  bool skip_git_ = false;
};

}  // namespace enoexec::scan
