// The scan pipeline, two shapes.
//
// Unordered (the default, `--sort none`): the parallel walk (scan/parallel_walk.hpp). Every
// thread lists directories, opens each admitted regular file of them itself (openat relative to
// its directory, O_NOFOLLOW|O_NONBLOCK, then fstat), runs the per-file work on it, closes it
// and emits the result, one emit() at a time across threads. Nothing is handed between
// threads but directory paths; each thread holds one directory and one file open, and the
// thread count is lowered to fit RLIMIT_NOFILE.
//
// Ordered (`--sort path`): one walker thread, N workers, results in walk order.
//
//   walker (calling thread) --bounded queue--> workers --reorder window--> consumer.emit()
//
// The walker lists directories and opens each admitted regular file, and queues the open
// descriptor; a worker runs the per-file work on it, closes it, and hands the result on.
// Entries the walk reports rather than opens (FIFOs, devices, mount points, loops, unreadable
// directories) become results in the walker thread, in their place in the order.
//
// Memory and descriptors stay flat however large the tree. Unordered: the pending-directory
// list holds paths of directories not yet listed (about depth x fan-out, never per file).
// Ordered: the queue holds at most `queue_capacity` open files, the window at most `window`
// results (the walker waits when it runs `window` entries ahead of the oldest unfinished
// one), and the walker at most `open_dir_limit` directories.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "scan/filters.hpp"
#include "output/scan_result.hpp"
#include "scan/walker.hpp"

namespace enoexec::scan {

struct ScanOptions {
  WalkOptions walk;
  Filters filters;
  unsigned threads = 0;  // workers (unordered: walking threads); 0: one per hardware thread
  // Results in walk order (with walk.sorted, the same order on every run of the same tree);
  // otherwise in the order workers finish them.
  bool ordered = false;
  std::size_t queue_capacity = 256;  // ordered: open files waiting for a worker; lowered to fit RLIMIT_NOFILE
  std::size_t window = 1024;         // ordered: results finished ahead of the oldest unfinished
};

// What a scan does with each file and each result. process() and prepare() run concurrently
// in worker threads (and prepare() also in the walker thread), so they may only touch their
// own result; emit() is called one result at a time (unordered: from any walking thread).
class ScanConsumer {
 public:
  virtual ~ScanConsumer() = default;
  // The work on one regular file, open as `fd` (do not close it) with st_size `size`. The
  // result arrives with path, type "regular", outcome not_candidate; set outcome, note, report.
  virtual void process(int fd, std::uint64_t size, ScanResult& result) = 0;
  // Last touches before ordering, for every result: printers render their text here, so the
  // ordered part stays a plain write.
  virtual void prepare(ScanResult& result) { (void)result; }
  // In order (ordered mode) or as finished. Returning false stops the scan: the walk ends,
  // queued files are closed unread, and emit() is not called again.
  virtual bool emit(ScanResult& result) = 0;
  // Whether emit() would only count this prepared result. The unordered scan counts such
  // results in each worker and hands the counts to emit_counted() in bulk, instead of taking
  // the emit lock for every file of the tree. By default every result is emitted.
  virtual bool only_counted(const ScanResult& result) const {
    (void)result;
    return false;
  }
  virtual bool emit_counted(std::uint64_t count) {
    (void)count;
    return true;
  }
};

// Walks `roots` and feeds every admitted entry through `consumer`. Per-entry failures become
// results with outcome `error`; they never stop the scan. Returns what the walk counted.
ScanStats run_scan(const std::vector<std::string>& roots, const ScanOptions& options,
                   ScanConsumer& consumer);

}  // namespace enoexec::scan
