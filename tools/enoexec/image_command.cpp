// The image subcommand: opens each image (a layout, an archive, or "-"), picks its entries, and
// judges each with the library (include/enoexec/image.hpp); this file only parses and prints.
#include "command.hpp"
#include "exit_status.hpp"
#include "gate_options.hpp"
#include "output_status.hpp"
#include "target_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "enoexec/image.hpp"
#include "enoexec/targets.hpp"
#include "output/image_printer.hpp"
#include "output/human.hpp"
#include "enoexec/version.hpp"
#include "output/json.hpp"
#include "output/sarif.hpp"
#include "output/scan_result.hpp"
#include "support/display_text.hpp"
#include "verdict/gate.hpp"

namespace enoexec::cli {
namespace {

struct ImageArgs {
  std::vector<std::string> images;
  std::string platform;  // --platform: the entry a runtime would pick for it
  std::string target;    // --target: judge on this machine
  bool host = false;     // --host: judge on this machine
  bool json = false;
  bool sarif = false;  // SARIF 2.1.0, as scan writes it: one result per problem, at the image
  ImageOptions image;
  GateArgs gate;
};

int run_image(const ImageArgs& args) {
  const auto filter = make_problem_filter(args.gate.select, args.gate.ignore);
  if (!filter) {
    fmt::print(stderr, "enoexec: {}\n", filter.error().what);
    return 2;
  }
  const FailOn fail_on = parse_fail_on(args.gate.fail_on).value_or(FailOn::error);
  std::optional<Platform> wanted;
  std::optional<HostInfo> machine;
  std::string profile;  // "rpi-4", for the verdict line: "runs on rpi-4 (linux/arm64)"
  if (!args.target.empty()) {
    const auto target = parse_target(args.target);
    if (!target) {
      fmt::print(stderr, "enoexec: {}\n", unknown_target_message(args.target));
      return 2;
    }
    machine = host_of(*target);
    wanted = target->platform;
    if (target->profile) profile = target->profile->id;
  } else if (args.host) {
    machine = probe_host("/");
    wanted = target_platform(*machine);
  }
  if (!args.platform.empty()) {
    const auto target = parse_target(args.platform);
    if (!target) {
      fmt::print(stderr, "enoexec: --platform: {}\n", unknown_target_message(args.platform));
      return 2;
    }
    wanted = target->platform;
  }
  if (machine && target_platform(*machine).os != Os::linux) {
    fmt::print(stderr,
               "enoexec: {} runs Linux containers in a Linux VM, with an emulation enoexec does not model; "
               "name the VM's platform instead: --target linux/{}\n",
               args.target.empty() ? std::string("this machine") : args.target, to_string(target_platform(*machine).arch));
    return 2;
  }
  const Style style = stdout_style();
  ImageTotals totals;
  int status = 0;
  std::unique_ptr<ScanPrinter> sarif;
  if (args.sarif) {
    ScanPrintOptions print_options;
    print_options.fail_on_warning = fail_on == FailOn::warning;
    print_options.fail_on_never = fail_on == FailOn::never;
    print_options.filtered = args.gate.filtered();
    if (wanted) print_options.target = to_oci(*wanted);  // else each entry's own platform
    print_options.profile = profile;
    sarif = make_sarif_scan_printer(stdout, print_options,
                                    SarifOptions{std::string(kVersion), std::string(kRulesDocsUrl), {}, false});
  }
  ScanStats stats;
  const auto print = [&](const ImageLine& line) {
    if (sarif) {
      // One SARIF result per problem, located at the image; the message names the entry.
      const Verdict* verdict = line.judgement != nullptr ? &line.judgement->verdict
                               : line.entry == nullptr   ? &line.no_match
                                                         : nullptr;
      ScanResult result;
      result.path = line.image;
      ++stats.files;
      if (verdict == nullptr) {
        if (line.error.empty()) return;  // a skipped entry: nothing to say
        result.outcome = ScanOutcome::error;
        result.note = line.error;
      } else {
        result.outcome = ScanOutcome::candidate;
        result.report = line.judgement != nullptr && line.judgement->entrypoint && line.judgement->entrypoint->report
                            ? *line.judgement->entrypoint->report
                            : FileReport{};
        result.report->path = line.image;
        Verdict named = *verdict;
        if (line.entry != nullptr) {
          // "[linux/arm64 sha256:4f3c…] ...": the text label's platform and, when two entries
          // share it, digest.
          const std::string label = image_label("", line.entry, line.same_platform).substr(1);
          for (Problem& problem : named.problems) problem.message = fmt::format("{} {}", label, problem.message);
        }
        result.verdict = std::move(named);
        result.ignored = line.ignored;
      }
      sarif->render(result);
      sarif->write(result);
      return;
    }
    if (args.json) {
      fmt::print("{}\n", to_json_line(image_json(line)));
    } else {
      fmt::print("{}", image_text(line, style));
    }
    std::fflush(stdout);
  };
  for (const std::string& argument : args.images) {
    ++totals.images;
    auto opened = Image::open(argument, args.image);
    if (!opened) {
      report_input_error(argument, opened.error().what);
      ++totals.errors;
      status = 2;
      earn_status(status);
      continue;
    }
    const Image& image = **opened;
    for (const std::string& warning : image.warnings()) {
      fmt::print(stderr, "enoexec: {}: note: {}\n", printable(argument), escape_for_display(warning));
    }
    // Which entries: the one a runtime picks for --platform or the machine, else all of them.
    std::vector<std::size_t> chosen;
    if (wanted) {
      std::optional<std::size_t> pick = select_entry(image, *wanted);
      std::size_t images = 0;
      for (std::size_t i = 0; i < image.entries().size(); ++i) {
        if (image.entries()[i].skipped.empty()) {
          ++images;
          if (!pick && args.platform.empty()) pick = i;  // a single-platform image runs anywhere it can
        }
      }
      if (!pick || (images > 1 && args.platform.empty() && !select_entry(image, *wanted))) {
        ImageLine line;
        line.image = argument;
        line.shape = to_string(image.shape());
        line.no_match = no_matching_entry(image, *wanted);
        print(line);
        ++totals.fails;
        if (fail_on != FailOn::never && status == 0) status = 1;
        earn_status(status);
        continue;
      }
      chosen.push_back(*pick);
    } else {
      for (std::size_t i = 0; i < image.entries().size(); ++i) chosen.push_back(i);
    }
    std::vector<ImageJudgement> judged;
    std::vector<std::size_t> judged_entries;
    std::vector<std::string> errors(image.entries().size());
    for (std::size_t index : chosen) {
      if (!image.entries()[index].skipped.empty()) continue;
      auto result = judge_image_entry(image, index, machine ? &*machine : nullptr, args.image);
      if (!result) {
        errors[index] = result.error().what;
        continue;
      }
      judged.push_back(std::move(*result));
    }
    compare_entries(image, judged);
    std::size_t next = 0;
    std::map<std::string, int> platforms;  // how many entries declare each platform
    for (const ImageEntry& entry : image.entries()) {
      if (entry.skipped.empty()) ++platforms[entry.platform.empty() ? entry.config_platform : entry.platform];
    }
    if (judged.empty() && std::all_of(errors.begin(), errors.end(), [](const std::string& e) { return e.empty(); })) {
      // Every entry skipped: nothing was judged, which is no "runs".
      fmt::print(stderr, "enoexec: {}: no image entry to judge\n", printable(argument));
      if (status == 0) status = 1;
    }
    for (std::size_t index : chosen) {
      const ImageEntry& entry = image.entries()[index];
      ImageLine line;
      line.image = argument;
      line.shape = to_string(image.shape());
      line.entry = &entry;
      line.error = errors[index];
      line.same_platform = platforms[entry.platform.empty() ? entry.config_platform : entry.platform] > 1;
      line.gate_filtered = args.gate.filtered();
      ++totals.entries;
      if (!entry.skipped.empty()) {
        ++totals.skipped;
        print(line);
        continue;
      }
      if (!errors[index].empty()) {
        report_input_error(fmt::format("{} [{}]", argument, entry.platform.empty() ? entry.config_platform : entry.platform),
                           errors[index]);
        ++totals.errors;
        status = 2;
        if (args.json || sarif) print(line);
        earn_status(status);
        continue;
      }
      ImageJudgement& j = judged[next++];
      line.ignored = filter->apply(j.verdict);
      line.profile = profile;
      line.judgement = &j;
      print(line);
      switch (j.verdict.verdict) {
        case VerdictKind::runs:
          ++totals.runs;
          break;
        case VerdictKind::emulated:
          ++totals.emulated;
          break;
        case VerdictKind::fails:
          ++totals.fails;
          break;
        case VerdictKind::unknown:
          ++totals.unknown;
          break;
      }
      if (fails_gate(j.verdict, fail_on) && status == 0) status = 1;
      earn_status(status);
    }
  }
  if (sarif) {
    if (!sarif->finish(stats)) status = 2;
  } else if (args.json) {
    fmt::print("{}\n", to_json_line(image_summary_json(totals)));
  }
  return status;
}

}  // namespace

Command add_image_command(CLI::App& app) {
  auto args = std::make_shared<ImageArgs>();
  auto* cmd = app.add_subcommand(
      "image", "Judge a container image: its entrypoint and every program, for each platform it declares");
  cmd->add_option("images", args->images,
                  "OCI layout directories, OCI archives or docker save tars (gzip or zstd too), or - for "
                  "standard input (docker save app | enoexec image -)")
      ->required()
      ->type_name("IMAGE");
  cmd->add_option("--platform", args->platform,
                  "Judge only the entry a runtime would pick for this platform (linux/arm64, armv7l, "
                  "rpi-4: any --target name)")
      ->type_name("PLATFORM");
  auto* target = cmd->add_option("--target", args->target,
                                 "Judge on this machine instead of the platform each entry declares: a "
                                 "profile (rpi-zero) or a platform in any vocabulary")
                     ->type_name("TARGET");
  cmd->add_flag("--host", args->host, "Judge on this machine (its kernel, CPU and binfmt_misc emulators)")
      ->excludes(target);
  auto* json = cmd->add_flag("--json", args->json,
                             "JSON Lines: one object per image and platform entry, then a summary (docs/json.md)");
  cmd->add_flag("--sarif", args->sarif,
                "SARIF 2.1.0 for code scanning, as scan writes it: one result per problem, located at the image")
      ->excludes(json);
  cmd->add_option("--jobs", args->image.jobs, "Layers read at once (default: one per core)")->type_name("N");
  add_limit_option(*cmd, args->image.limits);
  add_gate_options(*cmd, args->gate, "an image entry");
  set_exit_statuses(*cmd, {{0, "every judged entry runs, natively or emulated"},
                           {1, "an entry will not run, cannot be decided, or no entry matches --platform"},
                           {2, "a usage error, or an image could not be read"}});
  return {cmd, [args] {
            args->image.inspect.limits = args->image.limits;
            return run_image(*args);
          }};
}

}  // namespace enoexec::cli
