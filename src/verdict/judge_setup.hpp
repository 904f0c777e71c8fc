// How `enoexec check` turns its target options into the host to judge for and the file system
// the judge looks at. One function, shared by the CLI (tools/enoexec/target_options.cpp) and the
// verdict-case harness (tests/integration/verdict_cases_test.cpp), so tests judge exactly as the
// command does.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "enoexec/error.hpp"
#include "enoexec/host.hpp"
#include "enoexec/verdict.hpp"

namespace enoexec {

struct JudgeRequest {
  std::string target;                   // --target: a profile or a platform in any vocabulary
  std::string root;                     // --root: the target's root file system
  std::optional<HostInfo> recorded;     // --host-file, already read (host_from_json)
};

struct JudgeSetup {
  HostInfo host;
  std::unique_ptr<JudgeContext> context;
  // The profile's id when --target named one ("rpi-zero"), for the verdict line: "will not run
  // on rpi-zero (linux/arm/v6)". Empty for a platform, a root, a host file or this machine.
  std::string profile;
  // What the verdict takes on trust, said once before the verdicts: set when the target's files
  // are not available (a profile or platform without --root).
  std::string assumption;
};

// A recorded host wins over --target; a target with a root takes the root's own facts (C
// library, loaders, binfmt_misc) and the target's kernel, CPU and page size; a root alone is
// probed; nothing at all means this machine, with its live mounts. Target paths are looked up
// inside the root when there is one, are unknown for a described target without a root, and
// are this machine's otherwise. Fails only when the target text names nothing known.
Result<JudgeSetup> make_judge_setup(const JudgeRequest& request);

}  // namespace enoexec
