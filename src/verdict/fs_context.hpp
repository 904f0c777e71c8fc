// A JudgeContext over any RootFileSystem (root_context.cpp): the target's files read through the
// root's own resolver, so a container image's flattened layers are judged as a --root directory
// is. make_root_context() is this over a DirectoryRoot.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "enoexec/report.hpp"
#include "enoexec/verdict.hpp"
#include "support/root_fs.hpp"

namespace enoexec {

struct FsContextOptions {
  // The file under inspection ("subject") is also a path inside the root (an image's program),
  // looked up with the root's resolver instead of this machine's stat()/open().
  bool subject_in_root = false;
  // Whose permission execve checks: nullopt = this process's euid/egid (today's behaviour);
  // set for an image (the container's user, 0 = root: any x bit passes).
  std::optional<std::uint32_t> uid, gid;
  // Reports of target files computed elsewhere (an image inspects programs while streaming its
  // layers and keeps no contents): when set and it returns non-null, used instead of inspecting
  // contents_of(path). Called with the resolved absolute path ("/lib/ld-musl-x86_64.so.1" for
  // "/lib/libc.musl-x86_64.so.1"), from many judging threads at once.
  std::function<std::shared_ptr<const FileReport>(const std::string& resolved)> report_of;
  bool live_mounts = false;
};

// Target paths resolve inside `root`, relative ones from its "/". Answers are remembered for the
// context's lifetime, and one context may be shared by many judging threads.
std::unique_ptr<JudgeContext> make_fs_context(std::shared_ptr<const RootFileSystem> root,
                                              FsContextOptions options);

}  // namespace enoexec
