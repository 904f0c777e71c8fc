#!/usr/bin/env bash
# host_file_limits_test.sh ENOEXEC SAMPLES: a --host-file may be anyone's, so json-bytes and
# json-depth bound it (docs/limits.md): a file larger than json-bytes is not read past the limit,
# one nested deeper than json-depth is refused before parsing, each with one line on stderr and
# exit 2; --limit raises them; kernel-bound limits refuse values past the kernel's.
set -euo pipefail
enoexec=$1
sample=$2/linux-arm64
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$enoexec" host --json >"$work/host.json"
"$enoexec" check --host-file "$work/host.json" "$sample" >/dev/null 2>&1 ||
  [ $? = 1 ] || fail "a recorded host of this machine is refused"

# 20 MiB of spaces after a valid object: past the default 16 MiB.
{ cat "$work/host.json"; head -c $((20 << 20)) /dev/zero | tr '\0' ' '; } >"$work/big.json"
set +e
err=$("$enoexec" check --host-file "$work/big.json" "$sample" 2>&1 >/dev/null); status=$?
set -e
[ "$status" = 2 ] || fail "a 20 MiB host file: exit $status, expected 2"
[ "$(wc -l <<<"$err")" = 1 ] || fail "a 20 MiB host file: more than one line: $err"
grep -q "limit exceeded: json bytes: host JSON is more than 16777216 bytes" <<<"$err" ||
  fail "a 20 MiB host file: $err"
"$enoexec" check --limit json-bytes=32M --host-file "$work/big.json" "$sample" >/dev/null 2>&1 ||
  [ $? = 1 ] || fail "--limit json-bytes=32M does not admit the 20 MiB host file"

# 100,000 nested arrays: refused before the parser recurses into them.
{ printf '{"warnings": '; head -c 100000 /dev/zero | tr '\0' '['; } >"$work/deep.json"
set +e
err=$("$enoexec" check --host-file "$work/deep.json" "$sample" 2>&1 >/dev/null); status=$?
set -e
[ "$status" = 2 ] || fail "a deep host file: exit $status, expected 2"
grep -q "limit exceeded: json depth: host JSON nests arrays and objects more than 64 deep" <<<"$err" ||
  fail "a deep host file: $err"

set +e
err=$("$enoexec" check --limit interpreter-depth=6 "$sample" 2>&1); status=$?
set -e
[ "$status" = 2 ] || fail "--limit interpreter-depth=6: exit $status, expected 2"
grep -q "interpreter-depth is fixed at 5" <<<"$err" || fail "--limit interpreter-depth=6: $err"
echo "host_file_limits: json-bytes and json-depth bound --host-file; kernel-bound limits hold"
