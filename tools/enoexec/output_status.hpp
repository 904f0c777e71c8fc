// How a command's output ends: the status its lines earned so far, a reader that went away, and
// the one format every command reports an unreadable input in.
#pragma once

#include <cstdio>
#include <string_view>

namespace enoexec::cli {

// The status the lines written so far earned: a command raises it (0 < 1 < 2) as each line is
// written, so that a reader that leaves early (`enoexec check * | head -1`) still gets an honest
// status for what it read.
void earn_status(int status);
int earned_status();

// True when writes to `stream` fail because its reader is gone (EPIPE on a pipe or socket).
// SIGPIPE is ignored (main.cpp), so a closed pipe shows up as this, and the command ends quietly.
bool reader_gone(std::FILE* stream);

// `enoexec: PATH: MESSAGE` on stderr, the path and message escaped for the terminal: every
// command reports an input it cannot read this way (docs/json.md: in --json the object with
// `error` is also written, to stdout).
void report_input_error(std::string_view path, std::string_view message);

}  // namespace enoexec::cli
