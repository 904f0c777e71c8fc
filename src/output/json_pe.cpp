#include "output/json.hpp"

#include <fmt/format.h>

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;

std::string hex(std::uint64_t value) { return fmt::format("{:#x}", value); }

Json imports_json(const std::vector<PeImport>& imports) {
  Json out = Json::array();
  for (const auto& import : imports)
    out.push_back({{"dll", import.dll}, {"functions", import.functions}});
  return out;
}

Json sections_json(const std::vector<PeSection>& sections) {
  Json out = Json::array();
  for (const auto& s : sections)
    out.push_back({{"name", s.name},
                   {"vaddr", hex(s.vaddr)},
                   {"vsize", s.vsize},
                   {"raw_offset", hex(s.raw_offset)},
                   {"raw_size", s.raw_size},
                   {"flags", s.flags}});
  return out;
}

Json directories_json(const std::vector<PeDataDirectory>& directories) {
  Json out = Json::array();
  for (const auto& d : directories)
    out.push_back({{"name", d.name}, {"rva", hex(d.rva)}, {"size", d.size}});
  return out;
}

// Always an object, so that `/pe/clr/present` answers for every PE.
Json clr_json(const std::optional<PeClr>& clr) {
  if (!clr) return {{"present", false}};
  return {{"present", true},
          {"runtime_version", clr->runtime_version ? Json(*clr->runtime_version) : Json()},
          {"header_version", fmt::format("{}.{}", clr->major_runtime_version,
                                         clr->minor_runtime_version)},
          {"flags", hex(clr->flags)},
          {"flag_names", clr->flag_names},
          {"runs_as", clr->runs_as.empty() ? Json() : Json(clr->runs_as)},
          {"ready_to_run_os", clr->ready_to_run_os ? Json(*clr->ready_to_run_os) : Json()}};
}

}  // namespace

nlohmann::ordered_json to_json(const PeDetails& pe) {
  return {{"machine", fmt::format("{:#06x}", pe.machine)},
          {"magic", pe.magic},
          {"subsystem", pe.subsystem},
          {"subsystem_name", pe.subsystem_name},
          {"subsystem_version", pe.subsystem_version},
          {"os_version", pe.os_version},
          {"linker_version", pe.linker_version},
          {"image_base", hex(pe.image_base)},
          {"entry_rva", hex(pe.entry_rva)},
          {"size_of_image", pe.size_of_image},
          {"characteristics", hex(pe.characteristics)},
          {"characteristics_names", pe.characteristics_names},
          {"dll_characteristics", hex(pe.dll_characteristics)},
          {"dll_characteristics_names", pe.dll_characteristics_names},
          {"timestamp", pe.timestamp},
          {"hybrid", pe.hybrid.empty() ? Json() : Json(pe.hybrid)},
          {"number_of_rva_and_sizes", pe.number_of_rva_and_sizes},
          {"data_directories", directories_json(pe.data_directories)},
          {"sections", sections_json(pe.sections)},
          {"imports", imports_json(pe.imports)},
          {"delay_imports", imports_json(pe.delay_imports)},
          {"clr", clr_json(pe.clr)}};
}

}  // namespace enoexec
