// The "macho" object of a report: MachoDetails as JSON (one slice; universal files carry one per
// slice under "slices").
#include "output/json.hpp"
#include "output/json_null.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;
using json_null::or_null;

Json to_json(const MachoSegment& segment) {
  return {{"name", segment.name},          {"vmaddr", segment.vmaddr},
          {"vmsize", segment.vmsize},      {"fileoff", segment.fileoff},
          {"filesize", segment.filesize},  {"maxprot", segment.maxprot},
          {"initprot", segment.initprot},  {"nsects", segment.nsects}};
}

Json to_json(const MachoDylib& dylib) {
  return {{"name", dylib.name},
          {"command", dylib.command},
          {"current_version", dylib.current_version},
          {"compatibility_version", dylib.compatibility_version}};
}

Json to_json(const MachoBuildVersion& version) {
  return {{"command", version.command},
          {"platform", or_null(version.platform)},
          {"minos", version.minos},
          {"sdk", or_null(version.sdk)}};
}

Json to_json(const MachoCodeSignature& signature) {
  Json out{{"signed", signature.is_signed}};
  if (!signature.is_signed) return out;
  out["adhoc"] = signature.adhoc;
  out["linker_signed"] = signature.linker_signed;
  out["runtime"] = signature.runtime;
  out["identifier"] = or_null(signature.identifier);
  out["team_id"] = or_null(signature.team_id);
  out["hash_type"] = or_null(signature.hash_type);
  out["hash_types"] = signature.hash_types;
  out["cd_version"] = signature.cd_version;
  out["flags"] = signature.flags;
  out["runtime_version"] = or_null(signature.runtime_version);
  out["has_cms"] = signature.has_cms;
  out["entitlements"] = signature.has_entitlements;
  out["dataoff"] = signature.dataoff;
  out["datasize"] = signature.datasize;
  return out;
}

template <class T>
Json array_of(const std::vector<T>& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

}  // namespace

nlohmann::ordered_json to_json(const MachoDetails& macho) {
  Json out;
  out["cputype"] = macho.cputype;
  out["cpusubtype"] = macho.cpusubtype;
  out["cpusubtype_name"] = macho.cpusubtype_name;
  out["arch_name"] = or_null(macho.arch_name);
  if (macho.ptrauth_abi || macho.ptrauth_abi_version) {
    out["ptrauth_abi"] = macho.ptrauth_abi;
    out["ptrauth_abi_version"] = or_null(macho.ptrauth_abi_version);
  }
  out["filetype"] = macho.filetype_name;
  out["flags"] = macho.flag_names;
  out["ncmds"] = macho.ncmds;
  out["sizeofcmds"] = macho.sizeofcmds;
  out["platform"] = or_null(macho.platform);
  out["minos"] = or_null(macho.minos);
  out["sdk"] = or_null(macho.sdk);
  if (macho.build_versions.size() > 1) out["build_versions"] = array_of(macho.build_versions);
  if (!macho.build_versions.empty()) out["build_tools"] = macho.build_versions.front().tools;
  out["entry"] = or_null(macho.entry);
  out["entry_source"] = or_null(macho.entry_source);
  out["install_name"] = or_null(macho.install_name);
  out["dylibs"] = array_of(macho.dylibs);
  out["weak_dylibs"] = macho.weak_dylibs;
  out["reexported_dylibs"] = macho.reexported_dylibs;
  out["rpaths"] = macho.rpaths;
  out["uuid"] = or_null(macho.uuid);
  out["encrypted"] = macho.encrypted;
  out["load_commands"] = macho.load_commands;
  out["segments"] = array_of(macho.segments);
  out["code_signature"] = to_json(macho.code_signature);
  if (macho.fat_offset) out["fat_offset"] = *macho.fat_offset;
  if (macho.fat_size) out["fat_size"] = *macho.fat_size;
  return out;
}

}  // namespace enoexec
