#include "output/json.hpp"
#include "output/json_null.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;
using json_null::or_null;

}  // namespace

Json to_json(const Platform& platform) {
  return {{"os", platform.os == Os::unknown ? Json() : Json(to_string(platform.os))},
          {"arch", platform.arch == Arch::unknown ? Json() : Json(to_string(platform.arch))},
          {"variant", or_null(platform.variant)}};
}

Json to_json(const FileReport& report) {
  Json out;
  out["path"] = report.path;
  out["format"] = to_string(report.format);
  if (!report.kind.empty()) out["kind"] = report.kind;
  out["bits"] = or_null(report.bits);
  out["endian"] = report.endian ? Json(to_string(*report.endian)) : Json();
  out["type"] = or_null(report.type);
  out["machine"] = or_null(report.machine);
  const bool known_arch = report.platform && report.platform->arch != Arch::unknown;
  out["platform"] = known_arch ? Json(to_oci(*report.platform)) : Json();
  out["interpreter"] = or_null(report.interpreter);
  out["linkage"] = report.linkage ? Json(to_string(*report.linkage)) : Json();
  const bool known_libc = report.platform && report.platform->libc != Libc::unknown;
  out["libc"] = known_libc ? Json(to_string(report.platform->libc)) : Json();
  out["needed"] = or_null(report.needed);
  out["glibc_min"] = or_null(report.glibc_min);
  out["go"] = report.go ? to_json(*report.go) : Json();
  out["toolchain"] = report.toolchain ? to_json(*report.toolchain) : Json();
  out["cpu_level"] = report.cpu_level ? to_json(*report.cpu_level) : Json();
  if (!report.evidence.empty()) {
    Json evidence = Json::array();
    for (const auto& e : report.evidence)
      evidence.push_back({{"fact", e.fact}, {"value", e.value}, {"source", e.source}});
    out["evidence"] = evidence;
  }
  if (!report.warnings.empty()) out["warnings"] = report.warnings;
  if (report.elf) out["elf"] = to_json(*report.elf);
  if (report.macho) out["macho"] = to_json(*report.macho);
  if (report.pe) out["pe"] = to_json(*report.pe);
  if (report.script) out["script"] = to_json(*report.script);
  if (!report.slices.empty()) {
    Json slices = Json::array();
    for (const auto& slice : report.slices) slices.push_back(to_json(slice));
    out["slices"] = slices;
  }
  if (report.error) out["error"] = *report.error;
  return out;
}

}  // namespace enoexec
