// The verdict: what execve does with a file on a target machine, and whether the program then
// runs. Computed from a FileReport and a HostInfo; the file is never executed. The rules, their
// codes and their sources are listed in docs/rules.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/host.hpp"
#include "enoexec/limits.hpp"
#include "enoexec/report.hpp"

namespace enoexec {

// One thing that stops (or may stop) the file from running, with how to fix it.
struct Problem {
  std::string code;      // stable: "E_WRONG_ARCH", "E_INTERP_MISSING", ... (docs/rules.md)
  std::string severity;  // "error" (it will not run), "warning" (it may not), "info"
  std::string message;   // in the kernel's / loader's / runtime's own words
  std::string outcome;   // "execve: ENOEXEC", "SIGSEGV", "exit 127", ...
  std::string fix;       // "" when there is none to offer

  friend bool operator==(const Problem&, const Problem&) = default;
};

// unknown: not decided, because the target's rules are not modelled (W_TARGET_NOT_MODELLED) or
// the kernel takes the file only with an option the target does not state (W_KERNEL_OPTION);
// execve is then "unknown" too. Neither "runs" nor
// "fails" can be said; a gate treats it as failing (docs/json.md, "Exit status").
enum class VerdictKind { runs, emulated, fails, unknown };

inline std::string_view to_string(VerdictKind kind) {
  switch (kind) {
    case VerdictKind::runs:
      return "runs";
    case VerdictKind::emulated:
      return "emulated";
    case VerdictKind::unknown:
      return "unknown";
    case VerdictKind::fails:
      break;
  }
  return "fails";
}

struct Verdict {
  std::string target;  // the target's platform: "linux/amd64"
  // What the kernel itself answers: "ok", an errno name ("ENOEXEC", "ENOENT", "EACCES", "EIO",
  // "ELIBBAD", "ELOOP", ...), or "SIGSEGV" when the kernel kills the process after the point of
  // no return. "ok" does not mean the program runs (see `verdict`).
  std::string execve;
  VerdictKind verdict = VerdictKind::fails;
  std::string emulator;  // the binfmt_misc interpreter when verdict == emulated
  std::vector<Problem> problems;
};

// What a path is, as execve's open_exec() would find it on the target.
struct PathInfo {
  enum class Kind { unknown, missing, regular, directory, other };
  Kind kind = Kind::unknown;   // unknown: the target's files are not available to look at
  int error = 0;               // the lookup's errno (ENOENT, ENOTDIR, ELOOP) when kind == missing
  bool may_exec = false;       // the caller passes the x-bit check (root: any x bit)
  std::optional<bool> noexec;  // on a noexec mount; nullopt: decide from HostInfo::noexec_mounts
  std::uint64_t size = 0;
  std::string resolved;  // the path after symlinks, as the target sees it
};

// The file system the judge looks at. "Subject" is the file under inspection, named as the user
// named it; "target" paths (interpreters, libraries, ld.so.conf) are the target's, resolved
// inside its root. Tests replace this with an in-memory fake.
class JudgeContext {
 public:
  virtual ~JudgeContext() = default;
  virtual PathInfo subject(const std::string& path) const = 0;
  virtual std::vector<std::uint8_t> subject_head(const std::string& path,
                                                 std::size_t max) const = 0;
  virtual PathInfo target(const std::string& path) const = 0;
  virtual std::vector<std::uint8_t> target_head(const std::string& path, std::size_t max) const = 0;
  // The report of a target file (an interpreter), shared: a scan asks for ld.so's thousands of
  // times. Null when it cannot be read.
  virtual std::shared_ptr<const FileReport> target_report(const std::string& path) const = 0;
  // File names in a target directory (for ld.so.conf "include" globs); empty when unreadable.
  virtual std::vector<std::string> target_list(const std::string& directory) const = 0;
  // subject(path) for a subject already open as `fd` (a scan holds each file open while it
  // judges it): the same answer without looking the path up again. By default, it does.
  virtual PathInfo open_subject(int fd, const std::string& path) const;
  // The directories the target's /etc/ld.so.conf and its includes list, in order. By default
  // read through target_head() and target_list() on each call; a context that remembers its
  // answers reads them once.
  virtual std::vector<std::string> ld_so_conf_dirs() const;
};

// `base`, with the file under inspection open as `fd`: its status and first bytes are read
// through the descriptor; every target lookup goes to `base`. `scan` judges each file so,
// sparing a second path walk, open and read per program. Lives no longer than `base` or `fd`.
class OpenSubjectContext final : public JudgeContext {
 public:
  OpenSubjectContext(const JudgeContext& base, int fd) : base_(base), fd_(fd) {}
  PathInfo subject(const std::string& path) const override { return base_.open_subject(fd_, path); }
  std::vector<std::uint8_t> subject_head(const std::string& path, std::size_t max) const override;
  PathInfo target(const std::string& path) const override { return base_.target(path); }
  std::vector<std::uint8_t> target_head(const std::string& path, std::size_t max) const override {
    return base_.target_head(path, max);
  }
  std::shared_ptr<const FileReport> target_report(const std::string& path) const override {
    return base_.target_report(path);
  }
  std::vector<std::string> target_list(const std::string& directory) const override {
    return base_.target_list(directory);
  }
  std::vector<std::string> ld_so_conf_dirs() const override { return base_.ld_so_conf_dirs(); }

 private:
  const JudgeContext& base_;
  int fd_;
};

// The real file system. Target paths resolve inside `root` ("/" = this machine): symlinks are
// followed by hand relative to the root (40 hops at most) and ".." never climbs above it.
// A relative target path resolves against the current directory when root is "/", else against
// the root. With `live_mounts` (judging this very machine), a noexec mount is read from
// statvfs(); otherwise target paths are checked against HostInfo::noexec_mounts and the file
// under inspection is not (where it will be put on the target is not known).
std::unique_ptr<JudgeContext> make_root_context(const std::string& root, bool live_mounts);

// A context for a recorded host whose files are not here: every target path is `unknown`.
std::unique_ptr<JudgeContext> make_unknown_target_context();

// What the file is judged as. `program`: someone runs it (`check FILE`, an image's entrypoint),
// so a shared library with an exec bit is started at its entry, where it dies. `found`: a file
// met in a tree (`scan`, an image's programs): a shared library there is judged as ld.so loads
// it, whatever its mode, since nobody runs it.
enum class JudgeAs { program, found };

// The verdict for `report` (the file at report.path) on `host`.
Verdict judge(const FileReport& report, const HostInfo& host, const JudgeContext& context,
              JudgeAs as = JudgeAs::program);

// The target's platform as a verdict names it: "linux/amd64", "linux/arm/v6".
Platform target_platform(const HostInfo& host);

}  // namespace enoexec
