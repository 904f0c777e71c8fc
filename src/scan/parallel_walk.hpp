// The unordered walk under `scan --sort none`: every thread lists directories and handles
// their entries itself, so getdents, fstatat and the visitor's own opens are spread over all
// cores instead of funnelled through one walking thread.
//
// Work: one shared LIFO list of directories admitted but not yet listed. A thread takes one,
// opens it (by its path, its (dev, ino) checked against what the parent's listing saw), lists
// it, visits and publishes its subdirectories first (so idle threads get them at once), then
// visits the rest of its entries, then closes it and takes the next.
//
// Memory: a pending directory is its paths, (dev, ino), depth and the (dev, ino) of its
// ancestors (for loop checks): never anything per file. Being LIFO, the list holds at most the
// not-yet-taken subdirectories of the directories on the paths being walked, about depth x
// fan-out, flat in the number of files; each thread also holds the names of the one directory
// it is walking.
//
// Descriptors: one directory per thread at a time (plus whatever the visitor opens).
#pragma once

#include <string>
#include <vector>

#include "output/scan_result.hpp"
#include "scan/walker.hpp"

namespace enoexec::scan {

// Walks `roots` with the same admission rules, entries, problems and messages as walk(), but
// with `threads` threads (0: one per hardware thread; the calling thread is one of them) and
// in no particular order, except that a directory is visited before anything below it.
// `visit` (and options.device_of) is called concurrently from every thread, once per entry,
// with WalkEntry::worker saying which thread calls; for a directory its answer decides
// descent as in walk(). A `quit` from any call stops every
// thread after its current call. options.sorted and options.open_dir_limit do not apply.
// An exception from `visit` stops the walk and is rethrown here once every thread has stopped.
// Returns false when the visitor quit.
bool parallel_walk(const std::vector<std::string>& roots, const WalkOptions& options,
                   unsigned threads, const Visitor& visit, ScanStats& stats);

}  // namespace enoexec::scan
