#include "scan/scan_run.hpp"

#include "scan/candidate.hpp"

namespace enoexec::scan {

void ScanRun::process(int fd, std::uint64_t size, ScanResult& result) {
  inspect_candidate(fd, size, result, inspect_);
  if (result.outcome == ScanOutcome::candidate) judge_.judge(fd, result);
}

// Rendered in the worker; the report and verdict are not needed past that, and the reorder
// window then holds only the printed text.
void ScanRun::prepare(ScanResult& result) {
  printer_.render(result);
  result.report.reset();
  result.verdict.reset();
}

bool ScanRun::emit(ScanResult& result) {
  if (progress_ && !result.text.empty()) progress_->clear();
  const bool written = printer_.write(result);
  if (progress_) progress_->update(result.path, printer_.tally(), 1);
  if (written) return true;
  output_failed_ = true;
  return false;
}

bool ScanRun::emit_counted(std::uint64_t count) {
  printer_.add_not_candidates(count);
  if (progress_) progress_->update({}, printer_.tally(), count);
  return true;
}

}  // namespace enoexec::scan
