#!/usr/bin/env bash
# The printed fix, applied, produces a file that passes (issue 5 acceptance), for a Go fix, a C
# cross-compiler fix and two script fixes:
#   1. `enoexec check --json --target T FILE` on a real file of the integration inputs;
#   2. the `fix` text of the expected rule is run as printed, with bash, in a temporary copy of
#      the sources the file was built from (INPUTS/<recipe>/src) or of the script itself;
#   3. the new file is checked against the same target: its verdict must be "runs".
# The fix is run as printed with two documented exceptions: a leading
# "sudo apt-get install PKG... && " is replaced by a check that the packages are installed (a
# test does not install packages; missing ones skip the test, exit 77), and the fix's own
# source placeholder prog.c is replaced by the real source file name. Everything after " # " is
# a shell comment and is ignored by bash anyway. Inspected files are never executed.
#
# usage: fix_applied_test.sh ENOEXEC INPUTS
set -euo pipefail
ENOEXEC=$1
INPUTS=$2
SKIP=77
[ -d "$INPUTS" ] || { echo "SKIP: no integration inputs under $INPUTS"; exit $SKIP; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# check_json FILE TARGET: the check --json object (exit status 1 = "fails" is expected).
check_json() { "$ENOEXEC" check --json --target "$2" "$1" || true; }

# fix_of FILE TARGET CODE: the fix of that rule, or fail.
fix_of() {
  local fix
  fix=$(check_json "$1" "$2" | jq -r --arg c "$3" '[.problems[] | select(.code == $c) | .fix][0] // ""')
  [ -n "$fix" ] || { echo "FAIL: $1 on $2: no $3 problem with a fix"; check_json "$1" "$2" | jq -c .problems; return 1; }
  printf '%s' "$fix"
}

# prepare FIX: prints the command to run. Checks "sudo apt-get install ... &&" packages instead
# of installing them (exit 77 when one is missing).
prepare() {
  local fix=$1 packages rest
  if [[ $fix =~ ^sudo\ apt-get\ install\ ([^&]+)\ \&\&\ (.*)$ ]]; then
    packages=${BASH_REMATCH[1]}
    rest=${BASH_REMATCH[2]}
    for package in $packages; do
      dpkg -s "$package" >/dev/null 2>&1 || { echo "SKIP: the fix needs package $package"; exit $SKIP; }
    done
    fix=$rest
  fi
  printf '%s' "$fix"
}

# expect_runs FILE TARGET WHAT
expect_runs() {
  local verdict
  verdict=$(check_json "$1" "$2" | jq -r .verdict)
  if [ "$verdict" = runs ]; then
    echo "ok: $3"
  else
    echo "FAIL: $3: the fixed file's verdict on $2 is $verdict"
    check_json "$1" "$2" | jq -c .problems
    failures=$((failures + 1))
  fi
}

need() { command -v "$1" >/dev/null 2>&1 || { echo "SKIP: $1 not installed"; exit $SKIP; }; }
need jq

# (a) Go: GOARM=7 on a Pi Zero (ARMv6).
need go
fix=$(fix_of "$INPUTS/go-linux/linux-arm-v7/hello" rpi-zero E_CPU_LEVEL)
echo "Go fix: $fix"
mkdir -p "$work/go" && cp "$INPUTS/go-linux/src/go.mod" "$INPUTS/go-linux/src/main.go" "$work/go/"
(cd "$work/go" && env -u GOFLAGS GOCACHE="$work/gocache" bash -c "$(prepare "$fix")")
expect_runs "$work/go/hello" rpi-zero "Go GOARM=7 on rpi-zero, rebuilt as printed"

# (b) C: an x86-64 build on an arm64 Raspberry Pi 5, rebuilt with the Debian cross compiler.
fix=$(fix_of "$INPUTS/toolchains/gcc/hello" rpi5 E_WRONG_ARCH)
echo "C fix: $fix"
command=$(prepare "$fix")
[[ $command == *prog.c* ]] || { echo "FAIL: the C fix names no prog.c source: $fix"; exit 1; }
mkdir -p "$work/c" && cp "$INPUTS/toolchains/src/hello.c" "$work/c/"
(cd "$work/c" && bash -c "${command//prog.c/hello.c}")
expect_runs "$work/c/prog" rpi5 "C x86-64 on rpi5, rebuilt as printed"

# (c) Scripts: Windows line endings, and no #! line.
for case in crlf:E_SCRIPT_CRLF no-shebang:E_NO_SHEBANG not-executable:E_NOT_EXECUTABLE; do
  name=${case%%:*}
  code=${case#*:}
  cp "$INPUTS/scripts/scripts/$name" "$work/$name"
  fix=$(fix_of "$work/$name" debian-12 "$code")
  echo "script fix ($code): $fix"
  bash -c "$(prepare "$fix")"
  expect_runs "$work/$name" debian-12 "script $name, fixed as printed"
done

[ "$failures" -eq 0 ] || { echo "$failures fix(es) did not produce a file that passes"; exit 1; }
echo "every printed fix, applied, produced a file that passes"
