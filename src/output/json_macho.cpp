// The "macho" object of a report: MachoDetails as JSON (one slice; universal files carry one per
// slice under "slices").
#include "output/json.hpp"
#include "output/json_object.hpp"
#include "support/json_null.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;
using json_null::or_null;

Json to_json(const MachoSegment& segment) {
  return JsonObject(8)
      .add("name", segment.name)
      .add("vmaddr", segment.vmaddr)
      .add("vmsize", segment.vmsize)
      .add("fileoff", segment.fileoff)
      .add("filesize", segment.filesize)
      .add("maxprot", segment.maxprot)
      .add("initprot", segment.initprot)
      .add("nsects", segment.nsects)
      .done();
}

Json to_json(const MachoDylib& dylib) {
  return JsonObject(4)
      .add("name", dylib.name)
      .add("command", dylib.command)
      .add("current_version", dylib.current_version)
      .add("compatibility_version", dylib.compatibility_version)
      .done();
}

Json to_json(const MachoBuildVersion& version) {
  return JsonObject(4)
      .add("command", version.command)
      .add("platform", or_null(version.platform))
      .add("minos", version.minos)
      .add("sdk", or_null(version.sdk))
      .done();
}

std::string_view to_string(SignatureCheck check) {
  switch (check) {
    case SignatureCheck::page: return "page";
    case SignatureCheck::special_slot: return "special-slot";
    case SignatureCheck::structure: return "structure";
  }
  return "structure";
}

Json to_json(const MachoSignatureProblem& problem) {
  return JsonObject(6)
      .add("code_directory", or_null(problem.code_directory))
      .add("check", to_string(problem.check))
      .add("page", or_null(problem.page))
      .add("offset", or_null(problem.offset))
      .add("slot", or_null(problem.slot))
      .add("message", problem.message)
      .done();
}

Json to_json(const MachoCodeDirectory& directory) {
  return JsonObject(8)
      .add("slot", directory.slot)
      .add("hash_type", directory.hash_type)
      .add("page_size", directory.page_size)
      .add("code_limit", directory.code_limit)
      .add("pages", directory.pages)
      .add("special_slots", directory.special_slots)
      .add("bad_pages", directory.bad_pages)
      .add("valid", or_null(directory.valid))
      .done();
}

template <class T>
Json array_of(const std::vector<T>& items);

Json to_json(const MachoCodeSignature& signature) {
  JsonObject out(24);
  out.add("signed", signature.is_signed);
  out.add("valid", or_null(signature.valid));
  // No LC_CODE_SIGNATURE at all: nothing more to say.
  if (!signature.is_signed && !signature.valid.has_value()) return out.done();
  if (signature.is_signed) {
    out.add("adhoc", signature.adhoc);
    out.add("linker_signed", signature.linker_signed);
    out.add("runtime", signature.runtime);
    out.add("identifier", or_null(signature.identifier));
    out.add("team_id", or_null(signature.team_id));
    out.add("hash_type", or_null(signature.hash_type));
    out.add("hash_types", signature.hash_types);
    out.add("cd_version", signature.cd_version);
    out.add("flags", signature.flags);
    out.add("runtime_version", or_null(signature.runtime_version));
    out.add("has_cms", signature.has_cms);
    out.add("entitlements", signature.has_entitlements);
  }
  out.add("dataoff", signature.dataoff);
  out.add("datasize", signature.datasize);
  out.add("kernel_valid", or_null(signature.kernel_valid));
  out.add("enforced", signature.enforced);
  out.add("truncated", signature.truncated);
  out.add("invalid", array_of(signature.invalid));
  out.add("code_directories", array_of(signature.code_directories));
  out.add("unchecked", signature.unchecked);
  return out.done();
}

template <class T>
Json array_of(const std::vector<T>& items) {
  Json out = Json::array();
  for (const auto& item : items) out.push_back(to_json(item));
  return out;
}

}  // namespace

nlohmann::ordered_json to_json(const MachoDetails& macho) {
  JsonObject out(32);
  out.add("cputype", macho.cputype);
  out.add("cpusubtype", macho.cpusubtype);
  out.add("cpusubtype_name", macho.cpusubtype_name);
  out.add("arch_name", or_null(macho.arch_name));
  if (macho.ptrauth_abi || macho.ptrauth_abi_version) {
    out.add("ptrauth_abi", macho.ptrauth_abi);
    out.add("ptrauth_abi_version", or_null(macho.ptrauth_abi_version));
  }
  out.add("filetype", macho.filetype_name);
  out.add("flags", macho.flag_names);
  out.add("ncmds", macho.ncmds);
  out.add("sizeofcmds", macho.sizeofcmds);
  out.add("platform", or_null(macho.platform));
  out.add("minos", or_null(macho.minos));
  out.add("sdk", or_null(macho.sdk));
  if (macho.build_versions.size() > 1) out.add("build_versions", array_of(macho.build_versions));
  if (!macho.build_versions.empty()) out.add("build_tools", macho.build_versions.front().tools);
  out.add("entry", or_null(macho.entry));
  out.add("entry_source", or_null(macho.entry_source));
  out.add("install_name", or_null(macho.install_name));
  out.add("dylibs", array_of(macho.dylibs));
  out.add("weak_dylibs", macho.weak_dylibs);
  out.add("reexported_dylibs", macho.reexported_dylibs);
  out.add("rpaths", macho.rpaths);
  out.add("uuid", or_null(macho.uuid));
  out.add("encrypted", macho.encrypted);
  out.add("load_commands", macho.load_commands);
  out.add("segments", array_of(macho.segments));
  out.add("code_signature", to_json(macho.code_signature));
  if (macho.fat_offset) out.add("fat_offset", *macho.fat_offset);
  if (macho.fat_size) out.add("fat_size", *macho.fat_size);
  return out.done();
}

}  // namespace enoexec
