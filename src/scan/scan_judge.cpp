#include "scan/scan_judge.hpp"

#include <sys/stat.h>

#include <fmt/format.h>

#include "enoexec/targets.hpp"
#include "enoexec/verdict.hpp"
#include "formats/impostor/kind_names.hpp"
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

// What a file is, in a few words: "a relocatable object file for linux/amd64", "a #! script for
// /usr/bin/perl", "an ELF executable for linux/386".
std::string what_it_is(const FileReport& report) {
  if (!report.kind.empty() && report.kind != "shared-library" && report.kind != "truncated")
    return impostor::describe_kind(report);
  if (report.script) {
    return report.script->interpreter ? "a #! script for " + *report.script->interpreter
                                      : "a script";
  }
  const std::string_view format = report.format == Format::elf     ? "an ELF"
                                  : report.format == Format::pe    ? "a PE"
                                  : report.format == Format::macho ? "a Mach-O"
                                                                   : "a universal Mach-O";
  std::string words = fmt::format("{} {}", format, report.type);
  if (report.platform) words += " for " + to_oci(*report.platform);
  return words;
}

// `scan` judges programs: a file that is none (an object file, a core dump), or one nobody may
// execute (no x bit for anyone: Debian installs libraries and modules so), is run by nobody, so
// it is not a failure. Why such a file is not judged, saying what it is first; nullopt for a
// file to judge. A shared library with an x bit is judged as ld.so loads it (JudgeAs::found).
std::optional<std::string> not_judged(const FileReport& report, int fd) {
  if (report.kind == "relocatable-object" || report.kind == "core-dump")
    return what_it_is(report) + ", not a program";
  struct stat st {};
  if (::fstat(fd, &st) != 0 || (st.st_mode & 0111) != 0) return std::nullopt;
  if (report.type == "shared-library")
    return what_it_is(report) + ", without an execute bit: loaded by programs, never run";
  return what_it_is(report) + ", without an execute bit: nobody may run it";
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
  // A report with an error is still judged: the kernel reads the bytes itself (an ELF cut
  // inside its header is ENOEXEC); the error still counts in the summary and the exit status.
  if (!result.report) return;
  if (auto why = not_judged(*result.report, fd)) {  // shown with --all, as a skipped entry
    result.outcome = ScanOutcome::skipped;
    result.quiet = true;
    result.note = std::move(*why);
    result.report.reset();
    return;
  }
  const JudgeSetup& setup = assets_ ? assets_->for_path(result.path) : setup_;
  Verdict verdict =
      enoexec::judge(*result.report, setup.host, OpenSubjectContext(*setup.context, fd), JudgeAs::found);
  result.ignored = filter_.apply(verdict);
  result.verdict = std::move(verdict);
}

}  // namespace enoexec::scan
