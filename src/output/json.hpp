// The JSON form of a report (docs/json.md): the same object for `inspect --json` and later
// `check`/`scan`, one per line.
#pragma once

#include <nlohmann/json.hpp>

#include "enoexec/report.hpp"

namespace enoexec {

nlohmann::ordered_json to_json(const FileReport& report);

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
