#include "command.hpp"
#include "exit_status.hpp"
#include "gate_options.hpp"
#include "output_status.hpp"
#include "target_options.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "enoexec/inspect.hpp"
#include "enoexec/verdict.hpp"
#include "enoexec/version.hpp"
#include "output/sarif.hpp"
#include "output/scan_printer.hpp"
#include "output/style.hpp"
#include "scan/gitignore.hpp"
#include "scan/scan_judge.hpp"
#include "scan/scan_run.hpp"
#include "scan/scanner.hpp"
#include "verdict/gate.hpp"
#include "support/display_text.hpp"

namespace enoexec::cli {
namespace {

struct ScanArgs {
  std::vector<std::string> paths;
  bool json = false;
  bool sarif = false;
  std::string sarif_base;      // --sarif-base: locations relative to it ("" = the current directory)
  std::string sarif_help_uri;  // --sarif-help-uri: docs/rules.md's absolute URL ("" = kRulesDocsUrl)
  bool sarif_notes = false;    // --sarif-notes: also results of level note
  GateArgs gate;                    // --fail-on, --select, --ignore
  bool assets = false;              // --assets: judge each file on the platform its name promises
  bool gitignore = false;           // --gitignore: skip what Git ignores
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

// "scanning: 12345 entries, 234 candidates  /usr/lib/..." on stderr, redrawn at most five times
// a second, and only when stderr is a terminal, not a dumb one, and CI is not set
// (use_progress()): never into a pipe, a file or a CI log. The scan clears it before each result
// line, so that the two do not tear when stdout is the same screen.
class Progress final : public scan::ScanProgress {
 public:
  Progress() : enabled_(use_progress(terminal_env(STDERR_FILENO))) {}

  // `count` more results, the last of them at `path` ("" for results counted in bulk, which
  // keep the path shown last). Drawn at most once every 256 results.
  void update(std::string_view path, const ScanTally& tally, std::uint64_t count) override {
    if (!enabled_) return;
    const std::uint64_t before = seen_;
    seen_ += count;
    if (!path.empty()) {
      path_ = escape_for_display(path);
      if (path_.size() > 60) path_ = "..." + escape_for_display(path.substr(path.size() - 57));
    }
    if ((before >> 8) == (seen_ >> 8)) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    fmt::print(stderr, "\r\x1b[Kscanning: {} entries, {} candidates  {}", seen_, tally.candidates, path_);
    shown_ = true;
  }

  void clear() override {
    if (shown_) fmt::print(stderr, "\r\x1b[K");
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
  std::uint64_t seen_ = 0;
  std::string path_;
  std::chrono::steady_clock::time_point last_{};
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
  if (args.sarif) {
    SarifOptions sarif{std::string(kVersion),
                       args.sarif_help_uri.empty() ? std::string(kRulesDocsUrl) : args.sarif_help_uri,
                       args.sarif_base, args.sarif_notes};
    return make_sarif_scan_printer(stdout, print, std::move(sarif));
  }
  if (args.json) return make_json_scan_printer(stdout, print);
  return make_human_scan_printer(stdout, print);
}

// 2: something could not be read (or written); 1: something fails the gate; 0: all is well.
int run_scan(const ScanArgs& args) {
  auto filter = make_problem_filter(args.gate.select, args.gate.ignore);
  if (!filter) {
    fmt::print(stderr, "enoexec: {}\n", filter.error().what);
    return 2;
  }
  const std::optional<JudgeSetup> setup = make_judge_setup(args.target);
  if (!setup) return 2;
  ScanPrintOptions print;
  print.all = args.all;
  print.only_failures = args.only_failures;
  const FailOn fail_on = parse_fail_on(args.gate.fail_on).value_or(FailOn::error);  // validated by CLI11
  print.fail_on_warning = fail_on == FailOn::warning;
  print.fail_on_never = fail_on == FailOn::never;
  print.filtered = args.gate.filtered();
  print.assets = args.assets;
  print.target = to_oci(target_platform(setup->host));
  print.profile = setup->profile;
  if (!args.json && !args.sarif && !setup->assumption.empty())
    fmt::print(stderr, "enoexec: note: {}\n", setup->assumption);
  print.color = !args.json && !args.sarif && stdout_style().color();
  const std::unique_ptr<ScanPrinter> printer = make_printer(args, print);
  scan::ScanJudge judge(*setup, std::move(*filter), args.assets);
  Progress progress;
  scan::ScanRun run(*printer, judge, args.inspect, &progress);
  scan::ScanOptions options = scan_options(args);
  if (args.gitignore)
    for (const std::string& note : scan::skip_git_ignored(args.paths, options.filters))
      fmt::print(stderr, "enoexec: scan: {}\n", escape_for_display(note));
  const ScanStats stats = run.run(args.paths, options);
  progress.clear();
  const bool written = !run.output_failed() && printer->finish(stats);
  const int status = printer->tally().errors > 0 ? 2 : printer->tally().gate_failures > 0 ? 1 : 0;
  if (written) return status;
  // A reader that went away (`scan / | head`) stopped the walk: the status of what it read.
  if (reader_gone(stdout)) return status;
  fmt::print(stderr, "enoexec: scan: cannot write the output\n");
  return 2;
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
  auto* sarif = cmd->add_flag("--sarif", args->sarif,
                              "SARIF 2.1.0 for code scanning: one result per problem (notes left "
                              "out), locations relative to the current directory (docs/ci.md)")
                    ->excludes(json);
  cmd->add_option("--sarif-base", args->sarif_base,
                  "With --sarif: name files relative to this folder (the repository root) "
                  "instead of the current directory; files outside it get file:// URIs")
      ->type_name("DIR")
      ->check(CLI::ExistingDirectory)
      ->needs(sarif);
  cmd->add_option("--sarif-help-uri", args->sarif_help_uri,
                  "With --sarif: the absolute URL of docs/rules.md that rules link to (+ '#' and "
                  "the rule's anchor); default: this version's on GitHub")
      ->type_name("URL")
      ->check(CLI::Validator(
          [](const std::string& uri) {
            return is_absolute_uri(uri) ? std::string() : "not an absolute URI without blanks or '#': " + uri;
          },
          "URL"))
      ->needs(sarif);
  cmd->add_flag("--sarif-notes", args->sarif_notes,
                "With --sarif: also write problems of severity info (level note), e.g. a shared "
                "library without an x bit")
      ->needs(sarif);
  add_target_options(*cmd, args->target);
  add_limit_option(*cmd, args->inspect.limits);
  add_gate_options(*cmd, args->gate, "a program");
  cmd->add_flag("--assets", args->assets,
                "Judge each file on the platform its name promises (myapp-linux-armv6: "
                "linux/arm/v6; *-darwin-arm64: macOS on arm64; *.exe: windows/amd64), the others "
                "on the target (docs/json.md#release-assets)");
  cmd->add_flag("--gitignore", args->gitignore,
                "Skip what Git ignores in each scanned work tree (asks git) and .git directories");
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
  set_exit_statuses(*cmd, {{0, "nothing fails on the target (with --fail-on warning: nothing has a warning "
                               "either; with --fail-on never: always, but for usage and I/O errors)"},
                           {1, "a program fails on the target, or its verdict is unknown (not decided: the "
                               "target is not modelled, or needs a kernel option) (with --fail-on warning: or has a warning); "
                               "problems --select and --ignore leave out do not count"},
                           {2, "a usage or I/O error: the target or an entry could not be read, or the output "
                               "could not be written"}});
  return Command{cmd, [args] { return run_scan(*args); }};
}

}  // namespace enoexec::cli
