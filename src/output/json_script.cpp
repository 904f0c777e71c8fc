#include "output/json.hpp"
#include "output/json_object.hpp"

namespace enoexec {

nlohmann::ordered_json to_json(const ScriptDetails& script) {
  using Json = nlohmann::ordered_json;
  Json findings = Json::array();
  for (const auto& finding : script.findings)
    findings.push_back(
        JsonObject(2).add("code", finding.code).add("message", finding.message).done());
  return JsonObject(7)
      .add("interpreter", script.interpreter ? Json(*script.interpreter) : Json())
      .add("interpreter_args", script.interpreter_args ? Json(*script.interpreter_args) : Json())
      .add("env_command", script.env_command ? Json(*script.env_command) : Json())
      .add("line", script.line)
      .add("buffer_size", script.buffer_size)
      .add("kernel_error", script.kernel_error ? Json(*script.kernel_error) : Json())
      .add("findings", std::move(findings))
      .done();
}

}  // namespace enoexec
