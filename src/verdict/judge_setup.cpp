// make_judge_setup(): the target options of `enoexec check`, as library calls.
#include "verdict/judge_setup.hpp"

#include "enoexec/targets.hpp"

namespace enoexec {
namespace {

Result<HostInfo> described_host(const JudgeRequest& request) {
  if (request.recorded) return *request.recorded;
  if (request.target.empty()) return probe_host(request.root.empty() ? "/" : request.root);
  auto target = parse_target(request.target);
  if (!target) return tl::unexpected(target.error());
  if (request.root.empty()) return host_of(*target);
  return host_of(*target, probe_host(request.root));
}

}  // namespace

Result<JudgeSetup> make_judge_setup(const JudgeRequest& request) {
  auto host = described_host(request);
  if (!host) return tl::unexpected(host.error());
  JudgeSetup setup{std::move(*host), nullptr};
  if (!request.root.empty()) {
    setup.context = make_root_context(request.root, false);
  } else if (!request.target.empty() || request.recorded) {
    setup.context = make_unknown_target_context();
  } else {
    setup.context = make_root_context("/", true);
  }
  return setup;
}

}  // namespace enoexec
