#include "output/json.hpp"

namespace enoexec {

nlohmann::ordered_json to_json(const ScriptDetails& script) {
  using Json = nlohmann::ordered_json;
  Json findings = Json::array();
  for (const auto& finding : script.findings)
    findings.push_back({{"code", finding.code}, {"message", finding.message}});
  return {
      {"interpreter", script.interpreter ? Json(*script.interpreter) : Json()},
      {"interpreter_args", script.interpreter_args ? Json(*script.interpreter_args) : Json()},
      {"env_command", script.env_command ? Json(*script.env_command) : Json()},
      {"line", script.line},
      {"buffer_size", script.buffer_size},
      {"kernel_error", script.kernel_error ? Json(*script.kernel_error) : Json()},
      {"findings", findings},
  };
}

}  // namespace enoexec
