# shellcheck shell=bash
# What the CLI test scripts share; each sources it after its own `set` line:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# unavailable WHY: a tool or input the test needs is missing: skipped (exit 77, which ctest's
#   SKIP_RETURN_CODE takes), or a failure when ENOEXEC_REQUIRE_INPUTS=1 (CI requires every input).
# fail WHAT / ok WHAT: one check's result; the script exits non-zero when $failures is not 0.
unavailable() {
  if [ "${ENOEXEC_REQUIRE_INPUTS:-0}" = 1 ]; then echo "FAIL: $* (ENOEXEC_REQUIRE_INPUTS=1)"; exit 1; fi
  echo "SKIP: $*"
  exit 77
}
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
