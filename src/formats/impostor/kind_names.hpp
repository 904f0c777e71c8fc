// What each `kind` is, in words for messages and fixes: "Markdown text", "a gzip archive",
// "an AIX XCOFF program for aix/ppc64". One row per kind the readers set (docs/json.md).
#pragma once

#include <string>
#include <string_view>

#include "enoexec/report.hpp"

namespace enoexec::impostor {

struct KindName {
  std::string_view kind;
  std::string_view words;  // a noun phrase, article included
  bool program = false;    // a program for some other system or runtime, not data
  std::string_view note;   // what runs it, when something does: "" or "run it with java -jar"
};

// The row for `kind`, or nullptr for a kind without one ("" included).
const KindName* find_kind(std::string_view kind);

// `report.kind` in words, with the platform its header states: "an AIX XCOFF program for
// aix/ppc64", "Markdown text", "a gzip archive"; "a FOO file" for a kind without a row, and
// "data in no format enoexec knows" when there is no kind.
std::string describe_kind(const FileReport& report);

// Why the file is not a program the target's loader runs, for a message after "Exec format
// error: ": "Markdown text, not a program", "a WebAssembly module for wasip1/wasm: it needs a
// runtime (wasmtime, wasmer, node or a browser)".
std::string not_a_program(const FileReport& report, std::string_view loader);

}  // namespace enoexec::impostor
