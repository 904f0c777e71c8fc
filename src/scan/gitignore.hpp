// scan --gitignore: what a Git work tree ignores, asked of git itself rather than re-read from
// .gitignore files (global excludes, .git/info/exclude and nested .gitignore files all count,
// exactly as git applies them). git runs once per scanned root; the scanned files are never run.
#pragma once

#include <string>
#include <vector>

#include "scan/filters.hpp"

namespace enoexec::scan {

struct GitIgnored {
  enum class Status {
    ok,             // `paths` lists what git ignores below the root
    not_directory,  // the root is a file: named on the command line, so always scanned
    no_git,         // git could not be started
    not_work_tree,  // git answered with an error: the root is not inside a work tree
  };
  Status status = Status::ok;
  // Ignored files and directories below the root, relative to it, without a trailing '/'
  // ("build", "out/app.o"): a directory listed is ignored with everything in it.
  std::vector<std::string> paths;
};

// Runs `git -C ROOT ls-files -z --others --ignored --exclude-standard --directory` (git's
// standard excludes; untracked files only: git never ignores a tracked file).
GitIgnored git_ignored(const std::string& root);

// --gitignore for a scan of `roots`: asks git about each directory root and has `filters` skip
// what it ignores (Filters::skip_path) and every ".git" directory. Returns what to say on stderr:
// one line per root git could not answer for ("not in a Git work tree: scanned in full"), or one
// line when git is not installed (nothing is then skipped but .git directories).
std::vector<std::string> skip_git_ignored(const std::vector<std::string>& roots, Filters& filters);

// Splits git's -z output into paths, dropping each directory's trailing '/'.
std::vector<std::string> split_git_paths(const std::string& output);

}  // namespace enoexec::scan
