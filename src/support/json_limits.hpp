// The json bytes and json depth limits (docs/limits.md) for a JSON document from an untrusted
// source (a --host-file; later image manifests and configs), checked on the text before any
// parser sees it: nlohmann's parser recurses once per nesting level, so a file of a million "["
// would otherwise cost a million stack frames, and its size is what it allocates.
#pragma once

#include <string_view>

#include "enoexec/error.hpp"
#include "enoexec/limits.hpp"

namespace enoexec {

// Fails with limit_exceeded ("json bytes: ...", "json depth: ...") when `text` is longer than
// limits.json_bytes or nests arrays and objects deeper than limits.json_depth (the top-level
// value is depth 1); `what` names the document in the message ("host JSON"). Strings are
// skipped (a "[" inside one does not nest); the JSON itself is not validated here.
Result<void> check_json_limits(std::string_view text, const Limits& limits, std::string_view what);

}  // namespace enoexec
