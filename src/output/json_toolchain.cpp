#include "output/json.hpp"
#include "output/json_object.hpp"
#include "support/json_null.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;
using json_null::or_null;

}  // namespace

// The `toolchain` object: what built the file; a field no clue states is null, and `evidence`
// lists every clue used.
nlohmann::ordered_json to_json(const Toolchain& toolchain) {
  return JsonObject(6)
      .add("language", or_null(toolchain.language))
      .add("compiler", or_null(toolchain.compiler))
      .add("version", or_null(toolchain.version))
      .add("linker", or_null(toolchain.linker))
      .add("linker_version", or_null(toolchain.linker_version))
      .add("evidence", toolchain.evidence)
      .done();
}

// The `cpu_level` object: the highest level stated, its source, and every source with its own
// level; found_by_scan marks a level found in the code (a lower bound, not a declaration).
nlohmann::ordered_json to_json(const CpuLevel& level) {
  Json sources = Json::array();
  for (const auto& source : level.sources)
    sources.push_back(JsonObject(3)
                          .add("level", source.level)
                          .add("source", source.source)
                          .add("found_by_scan", source.found_by_scan)
                          .done());
  return JsonObject(6)
      .add("isa", or_null(level.isa))
      .add("level", or_null(level.level))
      .add("features", level.features)
      .add("source", or_null(level.source))
      .add("found_by_scan", level.found_by_scan)
      .add("sources", std::move(sources))
      .done();
}

}  // namespace enoexec
