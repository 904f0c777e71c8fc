// Test support for the scan printers: a candidate result, and printing results as the scan does
// (render, drop the report and verdict, write, finish) into a
// string: the human printer (with its error lines in the same stream) or the JSON one.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "enoexec/platform.hpp"
#include "output/scan_printer.hpp"

namespace enoexec {

// A candidate as the scan hands it to a printer: an ELF program for `platform` at `path`.
inline ScanResult elf_candidate(const std::string& path, const Platform& platform) {
  ScanResult result;
  result.path = path;
  result.type = "regular";
  result.outcome = ScanOutcome::candidate;
  result.report = FileReport{};
  result.report->path = path;
  result.report->format = Format::elf;
  result.report->platform = platform;
  return result;
}

inline std::string print_scan(bool json, const ScanPrintOptions& options, std::vector<ScanResult> results,
                              ScanTally* tally = nullptr) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* out = ::open_memstream(&buffer, &size);
  {
    auto printer = json ? make_json_scan_printer(out, options) : make_human_scan_printer(out, options, out);
    for (ScanResult& result : results) {
      printer->render(result);
      result.report.reset();  // as the scan does: nothing past render() may need them
      result.verdict.reset();
      printer->write(result);
    }
    printer->finish(ScanStats{.directories = 1, .entries = results.size(), .files = results.size()});
    if (tally) *tally = printer->tally();
  }
  std::fclose(out);
  std::string text(buffer, size);
  std::free(buffer);
  return text;
}

}  // namespace enoexec
