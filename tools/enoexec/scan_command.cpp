#include "command.hpp"
#include "exit_status.hpp"
#include "target_options.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "enoexec/inspect.hpp"
#include "enoexec/verdict.hpp"
#include "enoexec/version.hpp"
#include "output/sarif.hpp"
#include "output/scan_printer.hpp"
#include "scan/candidate.hpp"
#include "scan/scanner.hpp"

namespace enoexec::cli {
namespace {

struct ScanArgs {
  std::vector<std::string> paths;
  bool json = false;
  bool sarif = false;
  std::string fail_on = "error";
  TargetArgs target;
  InspectOptions inspect;
  std::string sort = "none";
  unsigned threads = 0;
  bool follow_symlinks = false;
  bool cross_mounts = false;
  std::vector<std::string> includes;
  std::vector<std::string> excludes;
  bool all = false;
  bool only_failures = false;
  int max_depth = -1;
};

// "scanning: 12345 files, 234 candidates  /usr/lib/..." on stderr, redrawn at most five times
// a second, and only when stderr is a terminal and stdout is not the same screen (the lines
// would tear each other).
class Progress {
 public:
  Progress() : enabled_(::isatty(STDERR_FILENO) == 1 && ::isatty(STDOUT_FILENO) == 0) {}

  void update(const ScanResult& result, const ScanTally& tally) {
    if (!enabled_ || (++seen_ & 0xff) != 0) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    std::string path = result.path;
    if (path.size() > 60) path = "..." + path.substr(path.size() - 57);
    for (char& c : path)
      if (static_cast<unsigned char>(c) < 0x20) c = '?';
    fmt::print(stderr, "\r\x1b[Kscanning: {} entries, {} candidates  {}", seen_, tally.candidates, path);
    shown_ = true;
  }

  // Results counted without being emitted one by one.
  void add(std::uint64_t count) { seen_ += count; }

  void clear() {
    if (shown_) fmt::print(stderr, "\r\x1b[K");
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::uint64_t seen_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

// The per-file work: sniff, inspect candidates through the open descriptor, then judge them
// as `check` does, the file's own status and head read through that descriptor too. The
// JudgeSetup is shared by every worker: judge() and the JudgeContexts (root_context.cpp) keep
// no mutable state, so concurrent calls are safe.
class ScanRun final : public scan::ScanConsumer {
 public:
  ScanRun(ScanPrinter& printer, const JudgeSetup& setup, const InspectOptions& inspect)
      : printer_(printer), setup_(setup), inspect_(inspect) {}

  void process(int fd, std::uint64_t size, ScanResult& result) override {
    scan::inspect_candidate(fd, size, result, inspect_);
    if (result.outcome == ScanOutcome::candidate && result.report && !result.report->error)
      result.verdict = judge(*result.report, setup_.host, OpenSubjectContext(*setup_.context, fd));
  }
  // Rendered in the worker; the report and verdict are not needed past that, and the window
  // then holds only the printed text.
  void prepare(ScanResult& result) override {
    printer_.render(result);
    result.report.reset();
    result.verdict.reset();
  }
  bool emit(ScanResult& result) override {
    progress_.update(result, printer_.tally());
    if (printer_.write(result)) return true;
    output_failed_ = true;
    return false;
  }

  bool only_counted(const ScanResult& result) const override {
    return ScanPrinter::only_counts(result);
  }
  bool emit_counted(std::uint64_t count) override {
    progress_.add(count);
    printer_.add_not_candidates(count);
    return true;
  }

  bool output_failed() const { return output_failed_; }
  void clear_progress() { progress_.clear(); }

 private:
  ScanPrinter& printer_;
  const JudgeSetup& setup_;
  const InspectOptions& inspect_;
  Progress progress_;
  bool output_failed_ = false;
};

scan::ScanOptions scan_options(const ScanArgs& args) {
  scan::ScanOptions options;
  options.threads = args.threads;
  options.ordered = args.sort == "path";
  options.walk.sorted = options.ordered;
  options.walk.follow_symlinks = args.follow_symlinks;
  options.walk.cross_mounts = args.cross_mounts;
  options.walk.max_depth = args.max_depth;
  for (const std::string& glob : args.includes) options.filters.include(glob);
  for (const std::string& glob : args.excludes) options.filters.exclude(glob);
  return options;
}

std::unique_ptr<ScanPrinter> make_printer(const ScanArgs& args, const ScanPrintOptions& print) {
  if (args.sarif) return make_sarif_scan_printer(stdout, print, args.paths, std::string(kVersion));
  if (args.json) return make_json_scan_printer(stdout, print);
  return make_human_scan_printer(stdout, print);
}

// 2: something could not be read (or written); 1: something fails the gate; 0: all is well.
int run_scan(const ScanArgs& args) {
  const std::optional<JudgeSetup> setup = make_judge_setup(args.target);
  if (!setup) return 2;
  ScanPrintOptions print;
  print.all = args.all;
  print.only_failures = args.only_failures;
  print.fail_on_warning = args.fail_on == "warning";
  print.target = to_oci(target_platform(setup->host));
  const std::unique_ptr<ScanPrinter> printer = make_printer(args, print);
  ScanRun run(*printer, *setup, args.inspect);
  const ScanStats stats = scan::run_scan(args.paths, scan_options(args), run);
  run.clear_progress();
  if (run.output_failed() || !printer->finish(stats)) {
    fmt::print(stderr, "enoexec: scan: cannot write the output\n");
    return 2;
  }
  if (printer->tally().errors > 0) return 2;
  return printer->tally().gate_failures > 0 ? 1 : 0;
}

}  // namespace

Command add_scan_command(CLI::App& app) {
  auto args = std::make_shared<ScanArgs>();
  CLI::App* cmd = app.add_subcommand(
      "scan", "Walk directory trees and report every program in them (found by content)");
  cmd->add_option("paths", args->paths, "Files and directories to scan")->required()->type_name("PATH");
  auto* json = cmd->add_flag("--json", args->json,
                             "JSON Lines: per program the object of `check --json`, per entry not "
                             "read an object saying why, then a summary (docs/json.md)");
  cmd->add_flag("--sarif", args->sarif,
                "SARIF 2.1.0 for code scanning: one result per problem, locations relative to "
                "each scanned root (docs/json.md#sarif)")
      ->excludes(json);
  add_target_options(*cmd, args->target);
  add_limit_option(*cmd, args->inspect.limits);
  cmd->add_option("--fail-on", args->fail_on,
                  "Exit 1 when a program fails on the target ('error', the default) or also when "
                  "a problem is a warning ('warning')")
      ->type_name("LEVEL")
      ->check(CLI::IsMember({"error", "warning"}))
      ->default_str("error");
  cmd->add_option("--sort", args->sort,
                  "Output order: 'path' (walk order, each directory sorted by name: the same "
                  "on every run) or 'none' (as found, fastest)")
      ->type_name("ORDER")
      ->check(CLI::IsMember({"path", "none"}))
      ->default_str("none");
  cmd->add_option("-j,--threads", args->threads, "Worker threads (default: one per core)")->type_name("N");
  cmd->add_flag("-L,--follow-symlinks", args->follow_symlinks,
                "Follow symlinks whose target lies inside the scanned trees");
  cmd->add_flag("--cross-mounts", args->cross_mounts,
                "Descend into directories on other filesystems (default: stay on each root's)");
  cmd->add_option("--include", args->includes,
                  "Only look at entries matching this glob (repeatable; see docs/json.md#scan)")
      ->type_name("GLOB")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--exclude", args->excludes,
                  "Skip entries (and directories) matching this glob (repeatable)")
      ->type_name("GLOB")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_flag("--all", args->all,
                "Also report files that are not programs and symlinks not followed");
  cmd->add_flag("--only-failures", args->only_failures,
                "Only report programs that will not run on the target (with --fail-on warning, "
                "also those with a warning) and entries that could not be read");
  cmd->add_option("--max-depth", args->max_depth,
                  "Descend at most this many levels below each root (0: the roots only)")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber);
  set_exit_statuses(*cmd, {{0, "nothing fails on the target (with --fail-on warning: nothing has a warning either)"},
                           {1, "a program fails on the target (with --fail-on warning: or has a warning)"},
                           {2, "a usage or I/O error: the target or an entry could not be read, or the output "
                               "could not be written"}});
  return Command{cmd, [args] { return run_scan(*args); }};
}

}  // namespace enoexec::cli
