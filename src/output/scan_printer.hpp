// Printers for `scan` (docs/json.md, "scan"): JSON Lines or one human line per result, then a
// summary. Rendering (the costly part) runs in the scan's worker threads; writing runs in
// order, one result at a time.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "output/scan_result.hpp"

namespace enoexec {

struct ScanPrintOptions {
  bool all = false;            // also regular files that are not programs, and symlinks not followed
  bool only_failures = false;  // only what fails the gate: errors, "fails" verdicts (and warnings
                               // with fail_on_warning)
  bool fail_on_warning = false;  // --fail-on warning: a problem of severity warning fails too
  bool fail_on_never = false;    // --fail-on never: nothing fails the gate (only_failures still
                                 // shows what fails on the target)
  bool filtered = false;  // --select/--ignore given: each verdict object carries "ignored"
  bool assets = false;    // --assets: each file judged on the platform its name promises, the
                          // others on `target`
  std::string target = {};  // the verdicts' target ("linux/amd64"); "" when results carry no verdicts
  std::string profile = {};  // the profile --target named ("rpi-zero"): verdicts on `target` name it
  bool color = false;  // the human printer colours verdicts and severities (output/style.hpp)
};

// Fills result.format, .platform, .failed, .verdict_kind and .warned from the result, its
// report and its verdict: what the summary counts. Every printer's render() does it first.
void summarize(ScanResult& result);

// Whether a result is printed (it is counted in the summary either way). Needs summarize().
bool is_shown(const ScanResult& result, const ScanPrintOptions& options);

// Whether a result fails the gate: a "fails" verdict, or a warning with fail_on_warning; never
// with fail_on_never. Read errors are not counted here (they are tally.errors, exit status 2).
bool fails_gate(const ScanResult& result, const ScanPrintOptions& options);

// Verdicts by kind, for one platform or for the whole scan.
struct VerdictCounts {
  std::uint64_t runs = 0, emulated = 0, fails = 0, unknown = 0;
  std::uint64_t total() const { return runs + emulated + fails + unknown; }
};

// The summary's counts, taken from every result (after summarize()) as it is written.
struct ScanTally {
  std::uint64_t candidates = 0;
  std::uint64_t not_candidates = 0;
  std::uint64_t skipped = 0;
  std::uint64_t errors = 0;  // results with outcome error, and candidates whose report has one
  std::map<std::string, std::uint64_t> formats;    // candidates by format: "elf", "script", ...
  std::map<std::string, std::uint64_t> platforms;  // candidates by platform: "linux/amd64", "unknown"
  VerdictCounts verdicts;                          // candidates judged, by verdict
  std::map<std::string, VerdictCounts> platform_verdicts;  // the same by platform
  std::uint64_t warned = 0;                        // judged candidates with a warning
  std::uint64_t gate_failures = 0;                 // results that fail the gate (fails_gate)
  std::map<std::string, std::uint64_t> rules;      // problems by rule code, after --select/--ignore
  std::uint64_t ignored = 0;                       // problems --select/--ignore dropped

  void add(const ScanResult& result, const ScanPrintOptions& options = {});
};

class ScanPrinter {
 public:
  virtual ~ScanPrinter() = default;
  // Thread-safe: summarize()s the result and sets result.text to the printed form, "" when
  // the result is not shown. After it, write() needs nothing of result.report.
  virtual void render(ScanResult& result) const = 0;
  // In order, one at a time: counts the result and writes its text. False once the output
  // cannot be written to any more.
  virtual bool write(const ScanResult& result) = 0;
  // After the last result: the summary. False when it could not be written.
  virtual bool finish(const ScanStats& stats) = 0;
  virtual const ScanTally& tally() const = 0;

  // Whether write() of this rendered result would do nothing but count one file that is not a
  // program. Such results may be counted by the caller and handed over in bulk.
  static bool only_counts(const ScanResult& result) {
    return result.outcome == ScanOutcome::not_candidate && result.text.empty() && !result.failed &&
           result.verdict_kind.empty();
  }
  // Counts `count` such results, as that many write()s of them would.
  virtual void add_not_candidates(std::uint64_t count) = 0;
};

std::unique_ptr<ScanPrinter> make_json_scan_printer(std::FILE* out, ScanPrintOptions options);
// Entries that could not be read go to `errors` (stderr), `enoexec: PATH: MESSAGE`, as every
// command reports what it cannot read; the listing and the summary go to `out`.
std::unique_ptr<ScanPrinter> make_human_scan_printer(std::FILE* out, ScanPrintOptions options,
                                                     std::FILE* errors = stderr);

}  // namespace enoexec
