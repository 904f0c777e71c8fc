#include "output/json.hpp"

namespace enoexec {

// The `go` object: what `go version -m` prints (version, path, main module, deps with their
// replacements, build settings in file order), then where and how the blob was stored, and
// whether there was one (false: a Go program recognised without build info).
nlohmann::ordered_json to_json(const GoBuildInfo& go) {
  nlohmann::ordered_json settings = nlohmann::ordered_json::object();
  for (const auto& [key, value] : go.settings) settings[key] = value;
  auto module = [](const GoDependency& dep) {
    nlohmann::ordered_json out{{"path", dep.path}, {"version", dep.version}, {"sum", dep.sum}};
    if (dep.replace_path)
      out["replace"] = {{"path", *dep.replace_path},
                        {"version", dep.replace_version.value_or("")},
                        {"sum", dep.replace_sum.value_or("")}};
    return out;
  };
  nlohmann::ordered_json deps = nlohmann::ordered_json::array();
  for (const auto& dep : go.deps) deps.push_back(module(dep));
  // Without build info nothing but the version is known: where the blob is and how it is laid
  // out are null.
  const auto blob = [&go](auto value) {
    return go.has_buildinfo ? nlohmann::ordered_json(value) : nlohmann::ordered_json();
  };
  return {{"version", go.version},
          {"path", go.path},
          {"main", go.main ? module(*go.main) : nlohmann::ordered_json()},
          {"deps", deps},
          {"settings", settings},
          {"offset", blob(go.offset)},
          {"pointer_size", blob(go.pointer_size)},
          {"big_endian", blob(go.big_endian)},
          {"format", blob(go.inline_format ? "inline" : "pointer")},
          {"buildinfo", go.has_buildinfo}};
}

}  // namespace enoexec
