#include "output/json.hpp"
#include "output/json_object.hpp"

namespace enoexec {

// The `go` object: what `go version -m` prints (version, path, main module, deps with their
// replacements, build settings in file order), then where and how the blob was stored, and
// whether there was one (false: a Go program recognised without build info).
nlohmann::ordered_json to_json(const GoBuildInfo& go) {
  nlohmann::ordered_json settings = nlohmann::ordered_json::object();
  for (const auto& [key, value] : go.settings) settings[key] = value;
  auto module = [](const GoDependency& dep) {
    JsonObject out(4);
    out.add("path", dep.path).add("version", dep.version).add("sum", dep.sum);
    if (dep.replace_path)
      out.add("replace", JsonObject(3)
                             .add("path", *dep.replace_path)
                             .add("version", dep.replace_version.value_or(""))
                             .add("sum", dep.replace_sum.value_or(""))
                             .done());
    return out.done();
  };
  nlohmann::ordered_json deps = nlohmann::ordered_json::array();
  for (const auto& dep : go.deps) deps.push_back(module(dep));
  // Without build info nothing but the version is known: where the blob is and how it is laid
  // out are null.
  const auto blob = [&go](auto value) {
    return go.has_buildinfo ? nlohmann::ordered_json(value) : nlohmann::ordered_json();
  };
  return JsonObject(10)
      .add("version", go.version)
      .add("path", go.path)
      .add("main", go.main ? module(*go.main) : nlohmann::ordered_json())
      .add("deps", std::move(deps))
      .add("settings", std::move(settings))
      .add("offset", blob(go.offset))
      .add("pointer_size", blob(go.pointer_size))
      .add("big_endian", blob(go.big_endian))
      .add("format", blob(go.inline_format ? "inline" : "pointer"))
      .add("buildinfo", go.has_buildinfo)
      .done();
}

}  // namespace enoexec
