#include "scan/scan_judge.hpp"

#include <fmt/format.h>

#include "enoexec/targets.hpp"
#include "enoexec/verdict.hpp"
#include "verdict/artifact_name.hpp"

namespace enoexec::scan {
namespace {

std::string platform_key(const Platform& platform) {
  return fmt::format("{} {}", to_oci(platform), to_string(platform.libc));
}

std::string_view file_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Whether the fallback already is the platform a name promises: then it is judged there, with
// the fallback's files (--root, this machine) rather than without them.
bool same_platform(const Platform& promised, const Platform& fallback) {
  return promised.os == fallback.os && promised.arch == fallback.arch &&
         (promised.variant.empty() || promised.variant == fallback.variant) &&
         (promised.libc == Libc::unknown || promised.libc == fallback.libc);
}

}  // namespace

JudgeSetup platform_setup(const Platform& platform) {
  std::string text = to_oci(platform);
  if (platform.libc != Libc::unknown) text += fmt::format(" with {}", to_string(platform.libc));
  JudgeSetup setup;
  setup.host = host_of(Target{std::move(text), platform, std::nullopt});
  setup.context = make_unknown_target_context();
  return setup;
}

AssetSetups::AssetSetups(const JudgeSetup& fallback)
    : fallback_(fallback), fallback_platform_(target_platform(fallback.host)) {}

const JudgeSetup& AssetSetups::for_path(std::string_view path) {
  const std::optional<Platform> promised = promised_platform(file_name(path));
  if (!promised || same_platform(*promised, fallback_platform_)) return fallback_;
  return for_platform(*promised);
}

const JudgeSetup& AssetSetups::for_platform(const Platform& platform) {
  const std::string key = platform_key(platform);
  std::lock_guard lock(mutex_);
  std::unique_ptr<JudgeSetup>& setup = setups_[key];
  if (!setup) setup = std::make_unique<JudgeSetup>(platform_setup(platform));
  return *setup;
}

ScanJudge::ScanJudge(const JudgeSetup& setup, ProblemFilter filter, bool assets)
    : setup_(setup),
      filter_(std::move(filter)),
      assets_(assets ? std::make_unique<AssetSetups>(setup) : nullptr) {}

void ScanJudge::judge(int fd, ScanResult& result) {
  if (!result.report || result.report->error) return;
  const JudgeSetup& setup = assets_ ? assets_->for_path(result.path) : setup_;
  Verdict verdict =
      enoexec::judge(*result.report, setup.host, OpenSubjectContext(*setup.context, fd), JudgeAs::found);
  result.ignored = filter_.apply(verdict);
  result.verdict = std::move(verdict);
}

}  // namespace enoexec::scan
