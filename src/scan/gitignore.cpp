#include "scan/gitignore.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include <fmt/format.h>

#include "scan/walk_core.hpp"

extern char** environ;  // NOLINT: POSIX declares it nowhere

namespace enoexec::scan {
namespace {

// git's stdout, whether it could be started and whether it exited 0.
struct Run {
  bool started = false;
  bool succeeded = false;
  std::string output;
};

// The environment without what would point git at another repository than the root's own: a
// pre-commit hook runs with GIT_DIR and GIT_INDEX_FILE set, relative to the hook's directory.
std::vector<char*> git_environment() {
  std::vector<char*> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (text.starts_with("GIT_DIR=") || text.starts_with("GIT_WORK_TREE=") ||
        text.starts_with("GIT_INDEX_FILE=") || text.starts_with("GIT_COMMON_DIR=") ||
        text.starts_with("GIT_PREFIX="))
      continue;
    env.push_back(*entry);
  }
  env.push_back(nullptr);
  return env;
}

Run run_git(const std::string& root) {
  Run run;
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return run;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::string args[] = {"git", "-C", root, "ls-files", "-z", "--others", "--ignored", "--exclude-standard",
                        "--directory"};
  char* argv[std::size(args) + 1];
  for (std::size_t i = 0; i < std::size(args); ++i) argv[i] = args[i].data();
  argv[std::size(args)] = nullptr;
  pid_t pid = 0;
  std::vector<char*> env = git_environment();
  const int spawned = ::posix_spawnp(&pid, "git", &actions, nullptr, argv, env.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  if (spawned != 0) {
    ::close(pipe_fds[0]);
    return run;
  }
  char buffer[65536];
  for (;;) {
    const ssize_t got = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (got > 0) run.output.append(buffer, static_cast<std::size_t>(got));
    else if (got == 0 || errno != EINTR) break;
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  // posix_spawnp reports a missing git either itself or as the child's exit status 127.
  run.started = !(WIFEXITED(status) && WEXITSTATUS(status) == 127);
  run.succeeded = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return run;
}

}  // namespace

std::vector<std::string> split_git_paths(const std::string& output) {
  std::vector<std::string> paths;
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = output.find('\0', start);
    if (end == std::string::npos) end = output.size();
    std::string path = output.substr(start, end - start);
    while (!path.empty() && path.back() == '/') path.pop_back();
    if (!path.empty()) paths.push_back(std::move(path));
    start = end + 1;
  }
  return paths;
}

GitIgnored git_ignored(const std::string& root) {
  GitIgnored ignored;
  struct stat st {};
  if (::stat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    ignored.status = GitIgnored::Status::not_directory;
    return ignored;
  }
  Run run = run_git(root);
  if (!run.started) ignored.status = GitIgnored::Status::no_git;
  else if (!run.succeeded) ignored.status = GitIgnored::Status::not_work_tree;
  else ignored.paths = split_git_paths(run.output);
  return ignored;
}

}  // namespace enoexec::scan

namespace enoexec::scan {

std::vector<std::string> skip_git_ignored(const std::vector<std::string>& roots, Filters& filters) {
  std::vector<std::string> notes;
  filters.skip_git_directories();
  for (const std::string& root : roots) {
    GitIgnored ignored = git_ignored(root);
    switch (ignored.status) {
      case GitIgnored::Status::ok: break;
      case GitIgnored::Status::not_directory: continue;
      case GitIgnored::Status::no_git:
        notes.emplace_back("--gitignore: git cannot be run (is it installed?): nothing git ignores is skipped");
        return notes;
      case GitIgnored::Status::not_work_tree:
        notes.push_back(fmt::format("--gitignore: {} is not in a Git work tree: scanned in full", root));
        continue;
    }
    // The display path of each, as the walk spells it (walk_detail::make_entry).
    std::string prefix = walk_detail::without_trailing_slashes(root);
    if (prefix.back() != '/') prefix += '/';
    for (const std::string& path : ignored.paths) filters.skip_path(prefix + path);
  }
  return notes;
}

}  // namespace enoexec::scan
