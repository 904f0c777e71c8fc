#!/usr/bin/env bash
# golden.sh OLD_ENOEXEC NEW_ENOEXEC [INPUTS_DIR]: what a refactoring changed in the output.
# Runs both programs over the same inputs (the integration inputs, the samples, a few system
# files) with inspect, check and scan, human and JSON, and prints the differences. Nothing is an
# expected value here (tests take those from how a file was made and from the kernel); this only
# shows, command by command, what a change to the code changed in what users read, so that every
# difference can be named as intended (docs/architecture.md, "Coding guidelines").
set -euo pipefail
old=$(realpath "${1:?usage: golden.sh OLD_ENOEXEC NEW_ENOEXEC [INPUTS_DIR]}")
new=$(realpath "${2:?usage: golden.sh OLD_ENOEXEC NEW_ENOEXEC [INPUTS_DIR]}")
cd "$(dirname "$0")/.."
inputs=${3:-build/inputs}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

roots=(samples)
[ -d "$inputs" ] && roots+=("$inputs")
mapfile -d '' files < <(find "${roots[@]}" -type f -size -64M -print0 | sort -z)
files+=(/bin/sh /usr/bin/env)

run() {  # NAME ARGS...: the output of both programs, standard error included
  local name=${1//\//-}  # a target such as linux/arm64 names a file
  shift
  NO_COLOR=1 "$old" "$@" >"$work/$name.old" 2>&1 || true
  NO_COLOR=1 "$new" "$@" >"$work/$name.new" 2>&1 || true
  if cmp -s "$work/$name.old" "$work/$name.new"; then
    echo "same: $name"
  else
    echo "DIFFERENT: $name"
    diff -u "$work/$name.old" "$work/$name.new" | head -n "${GOLDEN_DIFF_LINES:-60}" || true
    changed=1
  fi
}

changed=0
run inspect inspect "${files[@]}"
run inspect-v inspect -v "${files[@]}"
run inspect-json inspect --json "${files[@]}"
run check check "${files[@]}"
run check-json check --json "${files[@]}"
for target in rpi-zero linux/arm64 alpine apple-m1 windows-11-arm64 freebsd/amd64; do
  run "check-$target" check --target "$target" "${files[@]}"
  run "check-json-$target" check --json --target "$target" "${files[@]}"
done
for root in tests/fixtures/hosts/root-*/; do
  [ -d "$root" ] && run "check-root-$(basename "$root")" check --json --root "$root" "${files[@]}"
done
run scan scan --sort path --all "${roots[@]}"
run scan-json scan --json --sort path --all "${roots[@]}"
run scan-target scan --json --sort path --target linux/arm/v7 "${roots[@]}"
run scan-sarif scan --sarif --sort path "${roots[@]}"
[ "$changed" = 0 ] && echo "no difference"
exit "$changed"
