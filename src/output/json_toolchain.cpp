#include "output/json.hpp"
#include "output/json_null.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;
using json_null::or_null;

}  // namespace

// The `toolchain` object: what built the file; a field no clue states is null, and `evidence`
// lists every clue used.
nlohmann::ordered_json to_json(const Toolchain& toolchain) {
  return {{"language", or_null(toolchain.language)},
          {"compiler", or_null(toolchain.compiler)},
          {"version", or_null(toolchain.version)},
          {"linker", or_null(toolchain.linker)},
          {"linker_version", or_null(toolchain.linker_version)},
          {"evidence", toolchain.evidence}};
}

// The `cpu_level` object: the highest level stated, its source, and every source with its own
// level; found_by_scan marks a level found in the code (a lower bound, not a declaration).
nlohmann::ordered_json to_json(const CpuLevel& level) {
  Json sources = Json::array();
  for (const auto& source : level.sources)
    sources.push_back({{"level", source.level},
                       {"source", source.source},
                       {"found_by_scan", source.found_by_scan}});
  return {{"isa", or_null(level.isa)},
          {"level", or_null(level.level)},
          {"features", level.features},
          {"source", or_null(level.source)},
          {"found_by_scan", level.found_by_scan},
          {"sources", sources}};
}

}  // namespace enoexec
