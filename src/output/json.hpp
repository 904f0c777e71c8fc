// The JSON form of a report (docs/json.md): the same object for `inspect --json`, `check --json`
// and `scan --json`, one per line. Every object printed on its own says what it is in its first
// key, `record` ("file", "entry", "summary", "host"; docs/enoexec.schema.json).
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "enoexec/report.hpp"
#include "output/json_object.hpp"

namespace enoexec {

// The "file" record: `record`, then the report's keys; slices (under `slices`) have no `record`.
nlohmann::ordered_json to_json(const FileReport& report);

// `path`, then `path_bytes` (base64 of the raw bytes) when the path is not valid UTF-8: a JSON
// string cannot hold such bytes, and `path` shows U+FFFD in their place.
void add_path(JsonObject& out, std::string_view path);

// `json.dump(-1, ' ', false, replace)` (one line, UTF-8 kept, bytes that are not UTF-8 replaced
// with U+FFFD), byte for byte, appended to `out`; several times faster: ASCII strings, which are
// nearly all of a report's, are escaped here in one pass, anything else goes to nlohmann.
void append_json_line(const nlohmann::ordered_json& json, std::string& out);
std::string to_json_line(const nlohmann::ordered_json& json);
nlohmann::ordered_json to_json(const Platform& platform);

// Per-format detail objects; each lives beside the others in json_<format>.cpp.
nlohmann::ordered_json to_json(const ElfDetails& elf);
nlohmann::ordered_json to_json(const MachoDetails& macho);
nlohmann::ordered_json to_json(const PeDetails& pe);
nlohmann::ordered_json to_json(const ScriptDetails& script);
nlohmann::ordered_json to_json(const GoBuildInfo& go);
nlohmann::ordered_json to_json(const Toolchain& toolchain);  // json_toolchain.cpp
nlohmann::ordered_json to_json(const CpuLevel& level);       // json_toolchain.cpp

}  // namespace enoexec
