// The per-file loop of `scan`, as a library: sniff each regular file the walk admits, inspect
// the candidates through the open descriptor, judge them (scan/scan_judge.hpp), render each
// result in the worker that made it and hand it to the printer in order. The CLI only parses
// flags, builds the printer and the judge, and calls run().
//
// Progress (the CLI's "scanning: ..." line on a terminal) plugs in as a ScanProgress: the loop
// tells it when a line is about to be written and after each result, and knows nothing of
// terminals.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "enoexec/inspect.hpp"
#include "output/scan_printer.hpp"
#include "scan/scan_judge.hpp"
#include "scan/scanner.hpp"

namespace enoexec::scan {

// Told about every result as it is written, one call at a time (the printer's own order).
class ScanProgress {
 public:
  virtual ~ScanProgress() = default;
  // A line is about to be written: whatever the progress drew must go first.
  virtual void clear() = 0;
  // `count` more results, the last of them at `path` ("" for results counted in bulk).
  virtual void update(std::string_view path, const ScanTally& tally, std::uint64_t count) = 0;
};

// One scan: the judge and the printer are shared by every worker. judge() and the
// JudgeContexts (root_context.cpp) keep no mutable state, and render() is thread-safe, so the
// workers need no lock of their own; write() runs one result at a time.
class ScanRun final : public ScanConsumer {
 public:
  ScanRun(ScanPrinter& printer, ScanJudge& judge, const InspectOptions& inspect,
          ScanProgress* progress = nullptr)
      : printer_(printer), judge_(judge), inspect_(inspect), progress_(progress) {}

  // Walks `roots` and prints every result; the printer's finish() is the caller's. Returns
  // what the walk counted.
  ScanStats run(const std::vector<std::string>& roots, const ScanOptions& options) {
    return run_scan(roots, options, *this);
  }
  // True once a write failed: the scan stopped there.
  bool output_failed() const { return output_failed_; }

  void process(int fd, std::uint64_t size, ScanResult& result) override;
  void prepare(ScanResult& result) override;
  bool emit(ScanResult& result) override;
  bool only_counted(const ScanResult& result) const override {
    return ScanPrinter::only_counts(result);
  }
  bool emit_counted(std::uint64_t count) override;

 private:
  ScanPrinter& printer_;
  ScanJudge& judge_;
  const InspectOptions& inspect_;
  ScanProgress* progress_;
  bool output_failed_ = false;
};

}  // namespace enoexec::scan
