#!/bin/bash
# gate_test.sh ENOEXEC [INPUTS_DIR]: the gate CI runs `check` and `scan` as (issue #18 item 5).
#   - scan --assets judges each release asset on the platform its name promises: /bin/true as
#     myapp-linux-amd64 runs, the same file as myapp-linux-arm64 fails with E_WRONG_ARCH on
#     linux/arm64, a real arm64 program (the cross-c inputs, when fetched) under that name runs;
#   - --ignore and --select drop problems and the verdict follows; a typo is a usage error with a
#     suggestion; --fail-on never|warning; the summary by rule (human and JSON);
#   - scan --gitignore skips what git ignores, and says so when there is no work tree.
# This machine is x86-64 Linux: /bin/true is a linux/amd64 program.
set -u
enoexec=$(realpath "${1:?usage: gate_test.sh ENOEXEC [INPUTS_DIR]}")
inputs=${2:+$(realpath "$2")}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

expect_status() {  # WANT DESCRIPTION COMMAND ARGS...: runs enoexec COMMAND ARGS; output in $out
  local want=$1 what=$2
  shift 2
  out=$(timeout 60 "$enoexec" "$@" 2>&1)
  local status=$?
  if [ "$status" = "$want" ]; then ok "$what: exit $status"; else fail "$what: exit $status, expected $want: $out"; fi
}
expect_text() {  # DESCRIPTION TEXT: $out contains TEXT
  case "$out" in *"$2"*) ok "$1" ;; *) fail "$1: no '$2' in: $out" ;; esac
}
refute_text() {  # DESCRIPTION TEXT: $out does not contain TEXT
  case "$out" in *"$2"*) fail "$1: unexpected '$2' in: $out" ;; *) ok "$1" ;; esac
}

if [ "$(uname -m)" != x86_64 ] || [ "$(uname -s)" != Linux ]; then
  echo "SKIP: the release folder is built from this machine's /bin/true, taken to be linux/amd64"
  exit 77
fi

cd "$dir" || exit 1
mkdir release release2
cp /bin/true release/myapp-linux-amd64
cp /bin/true release/myapp-linux-arm64  # mislabelled: amd64 code

# --assets: each asset on its name's platform.
expect_status 1 "scan --assets: the mislabelled asset fails" scan --assets --sort path release
expect_text "judged on linux/arm64, with E_WRONG_ARCH" "release/myapp-linux-arm64: will not run on linux/arm64 (execve: ENOEXEC)"
expect_text "the problem under it" "  error E_WRONG_ARCH: release/myapp-linux-arm64"
expect_text "the right asset runs on its platform" "release/myapp-linux-amd64: runs on linux/amd64"
[ "$(grep -c 'will not run' <<<"$out")" = 1 ] && ok "exactly one asset fails" || fail "not exactly one failure: $out"
expect_text "the summary by rule" "by rule:"
expect_text "E_WRONG_ARCH counted once" "  E_WRONG_ARCH            1"
expect_status 0 "without --assets both run here" scan --sort path release

arm64=${inputs:+$inputs/cross-c/aarch64-linux-gnu/hello}
if [ -n "$arm64" ] && [ -f "$arm64" ]; then
  cp "$arm64" release2/myapp-linux-arm64
  expect_status 0 "scan --assets: a real arm64 program named for arm64 passes" scan --assets release2
  expect_text "judged on linux/arm64" "release2/myapp-linux-arm64: runs on linux/arm64"
else
  echo "skip: no arm64 program under ${inputs:-INPUTS_DIR} (tests/integration/fetch-inputs.sh)"
fi

# --ignore and --select: the verdict recomputed from what remains.
expect_status 0 "--ignore E_WRONG_ARCH passes the release" scan --assets --sort path --ignore E_WRONG_ARCH release
expect_text "the verdict recomputed, the ignored problem counted" "release/myapp-linux-arm64: runs on linux/arm64 (1 ignored)"
refute_text "the ignored problem is not printed" "error E_WRONG_ARCH"
expect_text "the by-rule table says how many were ignored" "by rule (1 ignored):"
expect_status 1 "--fail-on warning: the name warning still fails" scan --assets --ignore e_wrong_arch --fail-on warning release
expect_status 0 "--ignore a prefix, comma-separated" scan --assets --ignore E_WRONG,W_ --fail-on warning release
expect_status 0 "--select W_ keeps only warnings" scan --assets --select W_ release
expect_text "the warning stays" "warning W_ARTIFACT_NAME"
expect_status 0 "--fail-on never" scan --assets --fail-on never release
expect_text "never still prints the failure" "will not run on linux/arm64"
expect_status 2 "--ignore with a typo" scan --ignore E_WRONG_ARH release
expect_text "a suggestion" "--ignore: E_WRONG_ARH matches no rule (did you mean E_WRONG_ARCH?)"
expect_status 2 "--select with a code that matches nothing" scan --select X_NOTHING release
expect_text "named" "--select: X_NOTHING matches no rule"
expect_status 2 "--fail-on with a bad value" scan --fail-on sometimes release

# check: the same options.
expect_status 1 "check on arm64 fails" check --target linux/arm64 release/myapp-linux-arm64
expect_status 0 "check --ignore" check --target linux/arm64 --ignore E_WRONG_ARCH release/myapp-linux-arm64
expect_text "check's verdict line says it" "runs on linux/arm64 (1 ignored)"
expect_status 0 "check --fail-on never" check --target linux/arm64 --fail-on never release/myapp-linux-arm64
expect_status 1 "check --fail-on warning" check --target linux/arm64 --ignore E_WRONG_ARCH --fail-on warning release/myapp-linux-arm64
expect_status 2 "check --select with a typo" check --select E_WRONG_ARH release/myapp-linux-arm64
expect_text "check's suggestion" "did you mean E_WRONG_ARCH?"

# JSON: `ignored` per file, `rules` and `ignored` in the summary.
out=$("$enoexec" scan --json --assets --sort path --ignore E_WRONG_ARCH release 2>&1)
python3 - "$out" <<'PY' && ok "JSON: ignored and rules" || fail "JSON: $out"
import json, sys
lines = [json.loads(line) for line in sys.argv[1].splitlines()]
files = {l["path"].rsplit("/", 1)[1]: l for l in lines if l["record"] == "file"}
summary = lines[-1]["summary"]
assert files["myapp-linux-arm64"]["target"] == "linux/arm64", files
assert files["myapp-linux-arm64"]["verdict"] == "runs", files
assert files["myapp-linux-arm64"]["ignored"] == ["E_WRONG_ARCH"], files
assert files["myapp-linux-amd64"]["ignored"] == [], files
assert summary["rules"] == {"W_ARTIFACT_NAME": 1}, summary
assert summary["ignored"] == 1 and summary["assets"] is True and summary["gate_failures"] == 0, summary
PY

# --gitignore: what git ignores is not scanned; outside a work tree, said once.
if command -v git >/dev/null; then
  mkdir -p repo/dist repo/src
  cp /bin/true repo/src/tool
  cp /bin/true repo/dist/myapp-linux-arm64
  printf 'dist/\n' > repo/.gitignore
  env -u GIT_DIR -u GIT_WORK_TREE -u GIT_INDEX_FILE git init -q repo
  expect_status 1 "the ignored folder is scanned without --gitignore" scan --assets repo
  expect_status 0 "--gitignore skips it" scan --assets --gitignore repo
  refute_text "nothing under dist/" "dist/"
  expect_text "the rest is scanned" "repo/src/tool: runs on"
  # As from a pre-commit hook: GIT_DIR set, relative to another directory, does not mislead it.
  GIT_DIR="$dir/release" GIT_INDEX_FILE="$dir/index" expect_status 0 "--gitignore with GIT_DIR set" scan --assets --gitignore repo
  expect_status 1 "--gitignore outside a work tree scans everything" scan --assets --gitignore release
  expect_text "and says so" "--gitignore: release is not in a Git work tree: scanned in full"
else
  echo "skip: no git"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "all passed"
