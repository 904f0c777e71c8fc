// How `scan` judges each program it finds: against one target (--target, --root, --host-file or
// this machine), or with --assets against the platform each file's name promises; then the
// problems --select and --ignore leave out are dropped (verdict/gate.hpp).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "enoexec/platform.hpp"
#include "output/scan_result.hpp"
#include "verdict/gate.hpp"
#include "verdict/judge_setup.hpp"

namespace enoexec::scan {

// scan --assets: the setups of the platforms release assets are named for, made on first use
// and kept (a release folder has many files and few platforms). Thread-safe.
//
// An asset is judged against the platform its file name promises (promised_platform():
// "myapp-linux-armv6" linux/arm/v6, "myapp-darwin-arm64" darwin/arm64, "myapp.exe"
// windows/amd64), described as `--target` describes a bare platform: the target's files are not
// at hand. A name that promises no platform, or the fallback's own platform, is judged against
// the fallback (the --target, --root, --host-file or this machine) as without --assets.
class AssetSetups {
 public:
  explicit AssetSetups(const JudgeSetup& fallback);

  // The setup for the file at `path` (its last component is the name read).
  const JudgeSetup& for_path(std::string_view path);

  // The setup for a platform, made once.
  const JudgeSetup& for_platform(const Platform& platform);

 private:
  const JudgeSetup& fallback_;
  Platform fallback_platform_;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<JudgeSetup>> setups_;  // by platform_key()
};

// A setup for a bare platform, as `--target PLATFORM` makes one (a platform with a C library
// keeps it: "linux/arm64" with musl).
JudgeSetup platform_setup(const Platform& platform);

class ScanJudge {
 public:
  // `assets`: judge each file on the platform its name promises (AssetSetups).
  ScanJudge(const JudgeSetup& setup, ProblemFilter filter, bool assets);

  // For a candidate read without error (result.report), open as `fd`: sets result.verdict,
  // with the problems the filter drops removed, and result.ignored to their codes. A file that is
  // no program, or that nobody may execute, becomes a quiet skipped entry instead (--all shows
  // it), saying what it is.
  void judge(int fd, ScanResult& result);

 private:
  const JudgeSetup& setup_;
  ProblemFilter filter_;
  std::unique_ptr<AssetSetups> assets_;
};

}  // namespace enoexec::scan
