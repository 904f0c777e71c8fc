#include "output/json.hpp"
#include "output/json_object.hpp"

#include <fmt/format.h>

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;

std::string hex(std::uint64_t value) { return fmt::format("{:#x}", value); }

Json imports_json(const std::vector<PeImport>& imports) {
  Json out = Json::array();
  for (const auto& import : imports)
    out.push_back(JsonObject(2).add("dll", import.dll).add("functions", import.functions).done());
  return out;
}

Json sections_json(const std::vector<PeSection>& sections) {
  Json out = Json::array();
  for (const auto& s : sections)
    out.push_back(JsonObject(6)
                      .add("name", s.name)
                      .add("vaddr", hex(s.vaddr))
                      .add("vsize", s.vsize)
                      .add("raw_offset", hex(s.raw_offset))
                      .add("raw_size", s.raw_size)
                      .add("flags", s.flags)
                      .done());
  return out;
}

Json directories_json(const std::vector<PeDataDirectory>& directories) {
  Json out = Json::array();
  for (const auto& d : directories)
    out.push_back(
        JsonObject(3).add("name", d.name).add("rva", hex(d.rva)).add("size", d.size).done());
  return out;
}

// Always an object, so that `/pe/clr/present` answers for every PE.
Json clr_json(const std::optional<PeClr>& clr) {
  if (!clr) return JsonObject(1).add("present", false).done();
  return JsonObject(7)
      .add("present", true)
      .add("runtime_version", clr->runtime_version ? Json(*clr->runtime_version) : Json())
      .add("header_version",
           fmt::format("{}.{}", clr->major_runtime_version, clr->minor_runtime_version))
      .add("flags", hex(clr->flags))
      .add("flag_names", clr->flag_names)
      .add("runs_as", clr->runs_as.empty() ? Json() : Json(clr->runs_as))
      .add("ready_to_run_os", clr->ready_to_run_os ? Json(*clr->ready_to_run_os) : Json())
      .done();
}

}  // namespace

nlohmann::ordered_json to_json(const PeDetails& pe) {
  return JsonObject(23)
      .add("machine", fmt::format("{:#06x}", pe.machine))
      .add("magic", pe.magic)
      .add("subsystem", pe.subsystem)
      .add("subsystem_name", pe.subsystem_name)
      .add("subsystem_version", pe.subsystem_version)
      .add("os_version", pe.os_version)
      .add("linker_version", pe.linker_version)
      .add("image_base", hex(pe.image_base))
      .add("entry_rva", hex(pe.entry_rva))
      .add("size_of_image", pe.size_of_image)
      .add("characteristics", hex(pe.characteristics))
      .add("characteristics_names", pe.characteristics_names)
      .add("dll_characteristics", hex(pe.dll_characteristics))
      .add("dll_characteristics_names", pe.dll_characteristics_names)
      .add("timestamp", pe.timestamp)
      .add("hybrid", pe.hybrid.empty() ? Json() : Json(pe.hybrid))
      .add("number_of_rva_and_sizes", pe.number_of_rva_and_sizes)
      .add("data_directories", directories_json(pe.data_directories))
      .add("sections", sections_json(pe.sections))
      .add("sections_not_listed", pe.sections_not_listed)
      .add("optional_header_cut", pe.optional_header_cut)
      .add("imports", imports_json(pe.imports))
      .add("delay_imports", imports_json(pe.delay_imports))
      .add("clr", clr_json(pe.clr))
      .done();
}

}  // namespace enoexec
