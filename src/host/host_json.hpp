// The JSON form of a host description (`enoexec host --json`, and the recorded hosts verdicts
// are tested against). host_from_json(to_json(h)) == h for every HostInfo.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "enoexec/error.hpp"
#include "enoexec/host.hpp"
#include "enoexec/limits.hpp"

namespace enoexec {

nlohmann::ordered_json to_json(const HostInfo& host);

// Reads a host description, with or without `record` ("host"; hosts recorded before it have
// none; any other record, such as an `inspect --json` line, is refused). Keys starting with '_'
// ("_source") are comments; missing keys keep their defaults (unknown), so a hand-written record
// need only state what it knows. A value of the wrong type or an unknown name fails with
// "malformed: host JSON: kernel.bits: expected an integer". The text comes from a file that may
// be anyone's: one larger than limits.json_bytes, or nested deeper than limits.json_depth, is
// refused before it is parsed ("limit exceeded: json depth: ...").
Result<HostInfo> host_from_json(std::string_view text, const Limits& limits = {});

}  // namespace enoexec
