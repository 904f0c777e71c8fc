#include "output/json_verdict.hpp"

#include "output/json.hpp"

namespace enoexec {

nlohmann::ordered_json to_json(const Problem& problem) {
  return {{"code", problem.code},
          {"severity", problem.severity},
          {"message", problem.message},
          {"outcome", problem.outcome},
          {"fix", problem.fix}};
}

nlohmann::ordered_json to_json(const FileReport& report, const Verdict& verdict) {
  nlohmann::ordered_json out = to_json(report);
  out["target"] = verdict.target;
  out["execve"] = verdict.execve;
  out["verdict"] = to_string(verdict.verdict);
  out["emulator"] = verdict.emulator.empty() ? nlohmann::ordered_json()
                                             : nlohmann::ordered_json(verdict.emulator);
  auto problems = nlohmann::ordered_json::array();
  for (const auto& problem : verdict.problems) problems.push_back(to_json(problem));
  out["problems"] = std::move(problems);
  return out;
}

}  // namespace enoexec
