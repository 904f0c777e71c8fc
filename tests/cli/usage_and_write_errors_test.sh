#!/usr/bin/env bash
# usage_and_write_errors_test.sh ENOEXEC SAMPLES: output that cannot be written, and a target
# root or recorded host that is not there, are errors (exit 2 and one line on stderr), never a
# verdict. /dev/full fails every write with ENOSPC: a short report fails only at the final flush,
# a long one while {fmt} writes it.
set -uo pipefail
enoexec=$1
samples=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect_error WHAT PATTERN COMMAND...: exit 2, stderr matching PATTERN, nothing on stdout.
expect_error() {
  local what=$1 pattern=$2 status
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  status=$?
  [ "$status" = 2 ] || fail "$what: exit $status, want 2"
  grep -E -- "$pattern" "$work/err" >/dev/null || fail "$what: stderr lacks /$pattern/: $(cat "$work/err")"
  [ ! -s "$work/out" ] || fail "$what: printed on stdout: $(head -c 200 "$work/out")"
}
# expect_write_error WHAT COMMAND...: exit 2 and ENOSPC named on stderr with stdout on /dev/full.
expect_write_error() {
  local what=$1 status
  shift
  "$@" >/dev/full 2>"$work/err"
  status=$?
  [ "$status" = 2 ] || fail "$what >/dev/full: exit $status, want 2"
  grep -x 'enoexec: cannot write standard output: No space left on device' "$work/err" >/dev/null ||
    fail "$what >/dev/full: stderr: $(cat "$work/err")"
}

[ -w /dev/full ] || { echo "SKIP: no /dev/full"; exit 77; }
expect_write_error "check (one line)" "$enoexec" check "$samples/linux-arm64"
expect_write_error "check --json" "$enoexec" check --json "$samples/linux-arm64"
expect_write_error "inspect -v (beyond one buffer)" "$enoexec" inspect -v "$samples"/*
expect_write_error "platforms" "$enoexec" platforms
expect_write_error "host --json" "$enoexec" host --json
# The status a run earns is unchanged when its output is written: 1 for a file that will not run.
"$enoexec" check --target linux/amd64 "$samples/linux-arm64" >"$work/out" 2>&1
[ $? = 1 ] || fail "check of an arm64 program for linux/amd64: want exit 1"

missing=$work/no-such-dir
expect_error "check --root missing" "^--root: Directory does not exist: $missing" \
  "$enoexec" check --root "$missing" "$samples/linux-arm64"
expect_error "scan --root missing" "^--root: Directory does not exist" "$enoexec" scan --root "$missing" "$samples"
expect_error "host --root missing" "^--root: Directory does not exist" "$enoexec" host --root "$missing"
expect_error "check --root a file" "^--root: " "$enoexec" check --root "$samples/linux-arm64" "$samples/linux-arm64"
expect_error "check --host-file missing" "^--host-file: File does not exist" \
  "$enoexec" check --host-file "$work/no-such.json" "$samples/linux-arm64"

[ "$failures" = 0 ] || exit 1
echo "usage and write errors: all exit 2 with one line on stderr"
