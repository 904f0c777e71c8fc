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

// docs/rules.md, "How execve is modelled": without the target's files, #! interpreters are
// assumed present, an ELF interpreter is checked against the record's loaders (a profile's: its
// C library's), and libraries are not checked.
constexpr std::string_view NO_FILES_ASSUMPTION =
    "the target's files are not available (no --root): its #! interpreters, dynamic loader and "
    "libraries are assumed to be those of its C library; give --root DIR to check them";
// macOS and Windows targets never have a root here: what a program loads is not looked at.
constexpr std::string_view NO_LIBRARIES_ASSUMPTION =
    "the target's files are not available: the libraries a program loads (dylibs, DLLs) are "
    "assumed present";

Result<JudgeSetup> make_judge_setup(const JudgeRequest& request) {
  auto host = described_host(request);
  if (!host) return tl::unexpected(host.error());
  JudgeSetup setup{std::move(*host), nullptr, {}, {}};
  if (!request.target.empty() && !request.recorded) {
    if (const Profile* profile = find_profile(request.target)) setup.profile = profile->id;
  }
  if (!request.root.empty()) {
    setup.context = make_root_context(request.root, false);
  } else if (!request.target.empty() || request.recorded) {
    setup.context = make_unknown_target_context();
    const Os os = target_platform(setup.host).os;
    setup.assumption = os == Os::darwin || os == Os::windows ? NO_LIBRARIES_ASSUMPTION : NO_FILES_ASSUMPTION;
  } else {
    setup.context = make_root_context("/", true);
  }
  return setup;
}

}  // namespace enoexec
