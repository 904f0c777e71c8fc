// The JSON form of a report (docs/json.md): the same object for `inspect --json` and later
// `check`/`scan`, one per line.
#pragma once

#include <nlohmann/json.hpp>

#include "enoexec/report.hpp"

namespace enoexec {

nlohmann::ordered_json to_json(const FileReport& report);
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
