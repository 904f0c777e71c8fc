#!/usr/bin/env bash
# terminal_conventions_test.sh ENOEXEC SAMPLES VERSION: what a user at a terminal meets.
#   - `enoexec` alone prints a short usage (exit 2); `enoexec help [COMMAND]` is --help (exit 0);
#   - an unknown command, option or target exits 2 with the names close to it, no parser detail;
#   - --version prints "enoexec VERSION" (project(VERSION));
#   - colour: --color always|never|auto, NO_COLOR, TERM=dumb; never in --json or --sarif;
#   - scan's progress line only on a terminal's stderr, never under CI or into a file;
#   - `host --json` is one line that --host-file reads back; summaries count in the singular.
# A terminal comes from util-linux `script`; without it those checks are skipped (the decisions
# themselves are unit-tested: tests/unit/output/style_test.cpp).
set -uo pipefail
usage="usage: terminal_conventions_test.sh ENOEXEC SAMPLES VERSION"
enoexec=$(realpath "${1:?$usage}")
samples=$(realpath "${2:?$usage}")
version=${3:?$usage}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
esc=$'\x1b'

# run ARGS...: sets $status, $out (stdout) and $err (stderr).
run() {
  "$enoexec" "$@" >"$work/out" 2>"$work/err"
  status=$?
  out=$(cat "$work/out")
  err=$(cat "$work/err")
}
# expect STATUS WHAT ARGS...: run, and the exit status is STATUS.
expect() {
  local want=$1 what=$2
  shift 2
  run "$@"
  [ "$status" = "$want" ] || fail "$what: exit $status, want $want (stderr: $err)"
}
has() { [[ $2 == *"$3"* ]] || fail "$1: lacks '$3' in: $2"; }
lacks() { [[ $2 != *"$3"* ]] || fail "$1: has '$3' in: $2"; }

# --- usage, help, did you mean -----------------------------------------------------------------
expect 2 "enoexec alone"
has "enoexec alone: usage on stderr" "$err" "usage: enoexec [--color WHEN] COMMAND"
has "enoexec alone: the commands" "$err" "commands: inspect, host, platforms, check, scan, "
has "enoexec alone: help among them" "$err" ", help"
[ -z "$out" ] || fail "enoexec alone printed on stdout: $out"

expect 0 "enoexec help" help
"$enoexec" --help >"$work/help"
[ "$out" = "$(cat "$work/help")" ] || fail "enoexec help differs from enoexec --help"
has "enoexec help lists help" "$out" "  help "
for command in inspect host platforms check scan help; do  # and any other
  expect 0 "enoexec help $command" help "$command"
  "$enoexec" "$command" --help >"$work/help"
  [ "$out" = "$(cat "$work/help")" ] || fail "enoexec help $command differs from enoexec $command --help"
done

expect 2 "unknown command" inspek /bin/sh
[ "$err" = "enoexec: unknown command 'inspek'; did you mean inspect?" ] || fail "unknown command: $err"
expect 2 "help of an unknown command" help chek
[ "$err" = "enoexec: unknown command 'chek'; did you mean check?" ] || fail "help chek: $err"
expect 2 "a command nothing is close to" frobnicate
has "no close command" "$err" "enoexec: unknown command 'frobnicate'; the commands are inspect, host,"
lacks "no close command" "$err" "A subcommand is required"

expect 2 "unknown global option" --bogus
has "unknown global option" "$err" "The following argument was not expected: --bogus"
lacks "unknown global option" "$err" "A subcommand is required"
expect 2 "unknown option of a command" check --targt rpi-zero "$samples/linux-arm64"
has "unknown option of a command" "$err" "The following argument was not expected: --targt; did you mean --target?"
expect 2 "a global option misspelt after the command" scan --colr never "$samples"
has "--colr" "$err" "did you mean --color?"
expect 2 "two unknown options, each named" check --bogus --jsn "$samples/linux-arm64"
has "two unknown options" "$err" "The following arguments were not expected: --bogus --jsn"
has "two unknown options" "$err" "--jsn: did you mean --json?"
expect 2 "a bad value" scan --fail-on sometimes "$samples"
has "a bad value" "$err" "--fail-on: sometimes not in {error,warning"

# --- targets -------------------------------------------------------------------------------------
expect 2 "--target rpi-zer" check --target rpi-zer "$samples/linux-arm64"
[ "$err" = "enoexec: unknown target 'rpi-zer'; did you mean rpi-zero?" ] || fail "--target rpi-zer: $err"
[ -z "$out" ] || fail "--target rpi-zer printed a verdict: $out"
expect 2 "scan --target aarch46" scan --target aarch46 "$samples"
has "scan --target aarch46" "$err" "did you mean aarch64?"
expect 2 "platforms alpin" platforms alpin
[ "$err" = "enoexec: unknown target 'alpin'; did you mean alpine?" ] || fail "platforms alpin: $err"
expect 2 "platforms with nothing close" platforms pdp-11-unix
has "platforms pdp-11-unix" "$err" "unknown target"
lacks "platforms pdp-11-unix" "$err" "offset"
lacks "platforms pdp-11-unix" "$err" "unsupported:"
expect 0 "a target that exists" platforms rpi-zero

# --- version ---------------------------------------------------------------------------------------
expect 0 "--version" --version
[ "$out" = "enoexec $version" ] || fail "--version: '$out', want 'enoexec $version'"

# --- colour ----------------------------------------------------------------------------------------
arm=$samples/linux-arm64
x86=$samples/linux-386
expect 1 "check --color always" --color always check --target linux/arm64 "$arm" "$x86"
has "--color always: runs in green" "$out" "$arm: ${esc}[32mruns${esc}[0m on linux/arm64"
has "--color always: will not run in red" "$out" "$x86: ${esc}[31mwill not run${esc}[0m on linux/arm64"
has "--color always: severity in red" "$out" "  ${esc}[31merror${esc}[0m E_"
expect 1 "--color after the command" check --color=always --target linux/arm64 "$x86"
has "--color after the command" "$out" "${esc}[31m"
for args in "--color never" "" "--color auto"; do
  # shellcheck disable=SC2086
  expect 1 "check ${args:-(default)} into a file" $args check --target linux/arm64 "$arm" "$x86"
  lacks "check ${args:-(default)} into a file" "$out" "$esc"
done
expect 1 "check --json --color always" --color always check --json --target linux/arm64 "$x86"
lacks "check --json --color always" "$out" "$esc"
expect 1 "scan --color always" --color always scan --target linux/arm64 "$samples"
has "scan --color always" "$out" "${esc}[31mwill not run${esc}[0m"
expect 1 "scan --json --color always" --color always scan --json --target linux/arm64 "$samples"
lacks "scan --json --color always" "$out" "$esc"
expect 1 "scan --sarif --color always" --color always scan --sarif --target linux/arm64 "$samples"
lacks "scan --sarif --color always" "$out" "$esc"
expect 2 "--color maybe" --color maybe check "$arm"
has "--color maybe" "$err" "--color: maybe not in {auto,always,never}"

# --- summaries -------------------------------------------------------------------------------------
mkdir -p "$work/one" && cp "$arm" "$work/one/"
expect 0 "scan of one directory" scan --target linux/arm64 "$work/one"
has "singular counts" "$out" "1 directory, 1 file: 1 candidate, 0 not candidates, 0 skipped, 0 errors"
has "singular verbs" "$out" "on linux/arm64: 1 runs, 0 run emulated, 0 fail, 0 with warnings"

# --- host --json -----------------------------------------------------------------------------------
expect 0 "host --json" host --json
[ "$(wc -l <"$work/out")" = 1 ] || fail "host --json is not one line: $(head -c 300 "$work/out")"
[[ $out == "{"*"}" ]] || fail "host --json is not one object: $(head -c 100 "$work/out")"
cp "$work/out" "$work/host.json"
run check --host-file "$work/host.json" "$arm"
[ "$status" != 2 ] || fail "check --host-file of host --json output: exit 2: $err"

# --- at a terminal (util-linux script) -------------------------------------------------------------
if ! script -qec true /dev/null >/dev/null 2>&1; then
  echo "SKIP (terminal checks): no util-linux script"
else
  # The caller's settings must not decide: each check below sets what it tests.
  unset NO_COLOR CI
  export TERM=xterm
  # at_terminal COMMAND: runs COMMAND (a shell string) with a terminal for stdout and stderr.
  at_terminal() { script -qec "$1" /dev/null </dev/null 2>&1 | tr -d '\r'; }
  q=$(printf '%q' "$enoexec")
  t=$(at_terminal "$q check --target linux/arm64 $(printf '%q' "$arm")")
  has "auto on a terminal colours" "$t" "${esc}[32mruns${esc}[0m"
  t=$(NO_COLOR=1 at_terminal "$q check --target linux/arm64 $(printf '%q' "$arm")")
  lacks "NO_COLOR=1 at a terminal" "$t" "${esc}[32m"
  t=$(NO_COLOR= at_terminal "$q check --target linux/arm64 $(printf '%q' "$arm")")
  has "NO_COLOR empty at a terminal colours" "$t" "${esc}[32m"
  t=$(TERM=dumb at_terminal "$q check --target linux/arm64 $(printf '%q' "$arm")")
  lacks "TERM=dumb at a terminal" "$t" "${esc}[32m"
  t=$(NO_COLOR=1 at_terminal "$q --color always check --target linux/arm64 $(printf '%q' "$arm")")
  has "--color always beats NO_COLOR" "$t" "${esc}[32m"
  t=$(at_terminal "$q check --color never --target linux/arm64 $(printf '%q' "$arm")")
  lacks "--color never at a terminal" "$t" "$esc"

  # The progress line is drawn every 256 entries: 300 files are enough to see it once.
  mkdir -p "$work/many"
  for i in $(seq 1 300); do echo "not a program $i" >"$work/many/f$i"; done
  many=$(printf '%q' "$work/many")
  t=$(at_terminal "$q scan $many >/dev/null")
  has "progress on a terminal's stderr" "$t" "scanning: "
  t=$(CI=true at_terminal "$q scan $many >/dev/null")
  lacks "no progress under CI" "$t" "scanning: "
  t=$(at_terminal "$q scan $many >/dev/null 2>$(printf '%q' "$work/progress.err")")
  lacks "no progress into a file" "$(cat "$work/progress.err")" "scanning: "
  t=$(at_terminal "$q scan $many 2>&1 | cat")
  lacks "no progress into a pipe" "$t" "scanning: "
fi

[ "$failures" = 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "terminal conventions: usage, help, did you mean, --version, colour, progress, host --json"
