#include "inspect/script_host.hpp"

#include <sys/stat.h>

#include <chrono>
#include <unordered_map>

#include "enoexec/kernel.hpp"
#include "formats/script/host_findings.hpp"
#include "support/mapped_file.hpp"
#include "support/root_fs.hpp"

namespace enoexec {
namespace {

// This machine's files, looked up with the kernel's rules (support/root_fs).
const DirectoryRoot& host_root() {
  static const DirectoryRoot root("/");
  return root;
}

// The targets of the symbolic links met at the path itself, hop by hop. stat() settles the
// truth; this only explains it ("python" -> "python2", which is gone).
std::vector<std::string> follow_symlinks(const std::string& path) {
  std::vector<std::string> targets;
  std::string current = path;
  for (int hop = 0; hop < kernel::MAXSYMLINKS; ++hop) {
    const auto link = host_root().locate(current);
    if (!link) break;
    const auto status = host_root().status_of(*link);
    if (!status || status->kind != FileStatus::Kind::symlink) break;
    auto target = host_root().link_of(*link);
    if (!target || target->empty()) break;
    current = target->front() == '/' ? *target : current.substr(0, current.rfind('/') + 1) + *target;
    targets.push_back(std::move(*target));
  }
  return targets;
}

script::InterpreterOnHost probe(const std::string& path) {
  script::InterpreterOnHost host;
  host.symlinks = follow_symlinks(path);
  const auto resolved = host_root().resolve(path);
  const auto status = resolved.and_then([](const RootPath& p) { return host_root().status_of(p); });
  if (!status) {
    host.stat_errno = status.error();
    return host;
  }
  host.file_type = describe_file_type(status->mode);
  host.executable = (status->mode & (S_IXUSR | S_IXGRP | S_IXOTH)) != 0;
  // At most BINPRM_BUF_SIZE bytes: all the kernel reads of an interpreter's #! line.
  if (status->kind == FileStatus::Kind::regular) {
    if (auto head = host_root().head_of(*resolved, kernel::BINPRM_BUF_SIZE))
      host.head = std::string(head->begin(), head->end());
  }
  return host;
}

// A scan meets the same few interpreters (/bin/sh, /usr/bin/env, /usr/bin/perl) in thousands
// of scripts: each thread keeps what it found for a second rather than asking the file system
// again (lstat, readlink, stat, open, read, close) for every script.
const script::InterpreterOnHost& probe_recently(const std::string& path) {
  using Clock = std::chrono::steady_clock;
  constexpr auto kFresh = std::chrono::seconds(1);
  constexpr std::size_t kMaxRemembered = 64;
  struct Probed {
    Clock::time_point when;
    script::InterpreterOnHost host;
  };
  thread_local std::unordered_map<std::string, Probed> recent;
  const auto now = Clock::now();
  if (auto it = recent.find(path); it != recent.end() && now - it->second.when < kFresh)
    return it->second.host;
  if (recent.size() >= kMaxRemembered) recent.clear();
  Probed& slot = recent[path];
  slot = Probed{now, probe(path)};
  return slot.host;
}

}  // namespace

void check_script_interpreter_on_host(FileReport& report) {
  if (!report.script || !report.script->interpreter) return;
  const std::string& path = *report.script->interpreter;
  if (path.empty() || path.front() != '/') return;
  script::add_host_findings(probe_recently(path), *report.script);
}

}  // namespace enoexec
