// What `scan` hands on for each entry it meets, in walk order: the only type the scan pipeline
// and its printers share. It lives with the printers (output/), which the scanner links.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/report.hpp"
#include "enoexec/verdict.hpp"

namespace enoexec {

enum class ScanOutcome : std::uint8_t {
  candidate,      // a program by its first bytes (ELF, Mach-O, universal, PE, #!): `report` is set
  not_candidate,  // a regular file that is none of those; reported only with --all
  skipped,        // never opened or not descended, by design: FIFO, device, mount point, symlink
  error,          // could not be read: unreadable directory or file, changed during the scan
};

struct ScanResult {
  std::string path;             // root as given, then the names below it joined by "/"
  ScanOutcome outcome = ScanOutcome::error;
  std::string_view type;        // "regular", "directory", "symlink", "fifo", "socket", ...
  std::string note;             // skipped: why; error: what failed, with the errno text
  bool quiet = false;           // skipped as a matter of course (a symlink not followed):
                                // shown only when everything is asked for
  std::optional<FileReport> report;  // candidates: what the per-file callback found
  std::optional<Verdict> verdict;    // candidates read without error: judge() on the target
  std::string text;             // the printed form, made by the printer in a worker thread
  // What summaries count, taken from the report while rendering, so that the report itself
  // can be let go before the result waits its turn in the reorder window.
  std::string format;           // candidates: "elf", "macho-fat", "script", ...
  std::string platform;         // candidates: "linux/amd64", "darwin/amd64+darwin/arm64", "unknown"
  bool failed = false;          // outcome error, or a report with an error
  std::string verdict_kind;     // "runs", "emulated", "fails"; "" without a verdict
  bool warned = false;          // the verdict has a problem of severity "warning"
  std::vector<std::string> rule_codes;  // SARIF: the codes of the verdict's problems
  std::vector<std::string> problem_codes;  // the summary's by-rule counts: the codes of the
                                          // verdict's problems (after --select/--ignore)
  std::vector<std::string> ignored;  // --select/--ignore: the codes of the problems dropped from
                                     // the verdict before it was printed or counted
  std::uint64_t sequence = 0;   // position in walk order (the pipeline's own bookkeeping)
};

// What the walk saw beyond the results: for summaries and the floor program.
struct ScanStats {
  std::uint64_t directories = 0;  // directories listed
  std::uint64_t entries = 0;      // names met in them (and the roots)
  std::uint64_t files = 0;        // regular files handed to the per-file work
};

}  // namespace enoexec
