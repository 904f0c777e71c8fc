#include "output/json_verdict.hpp"

#include "output/json.hpp"
#include "output/json_object.hpp"

namespace enoexec {

nlohmann::ordered_json to_json(const Problem& problem) {
  return JsonObject(5)
      .add("code", problem.code)
      .add("severity", problem.severity)
      .add("message", problem.message)
      .add("outcome", problem.outcome)
      .add("fix", problem.fix)
      .done();
}

nlohmann::ordered_json to_json(const FileReport& report, const Verdict& verdict) {
  return to_json(to_json(report), verdict);
}

nlohmann::ordered_json to_json(nlohmann::ordered_json report_json, const Verdict& verdict) {
  auto problems = nlohmann::ordered_json::array();
  for (const auto& problem : verdict.problems) problems.push_back(to_json(problem));
  return JsonObject(std::move(report_json), 5)
      .add("target", verdict.target)
      .add("execve", verdict.execve)
      .add("verdict", to_string(verdict.verdict))
      .add("emulator", verdict.emulator.empty() ? nlohmann::ordered_json()
                                                : nlohmann::ordered_json(verdict.emulator))
      .add("problems", std::move(problems))
      .done();
}

}  // namespace enoexec
