#!/bin/bash
# fuzz/smoke.sh [SECONDS] [BUILD_DIR]: every libFuzzer target (or those in $FUZZ_TARGETS) for a
# short while (default 20 s each), with its dictionary, seeded from samples/, its committed
# regression inputs and, when present, build/fuzz-corpus/; the issue's flags make slow inputs (-timeout=1) and large
# allocations (-malloc_limit_mb=64, -rss_limit_mb=512) findings. Fails on any finding, and
# replays every regression input first. Needs the `fuzz` preset built:
#   cmake --preset fuzz && cmake --build --preset fuzz
set -euo pipefail
seconds=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$root/build/fuzz}
read -r -a targets <<< "${FUZZ_TARGETS:-identify inspect elf macho pe script buildinfo}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for target in "${targets[@]}"; do
  binary=$build/fuzz/fuzz_$target
  [ -x "$binary" ] || { echo "missing $binary: build the fuzz preset first" >&2; exit 2; }
  regressions=$root/fuzz/regressions/$target
  corpus=$work/$target
  mkdir -p "$corpus" "$work/artifacts-$target"
  seeds=("$regressions" "$root/samples")
  [ -d "$root/build/fuzz-corpus/$target" ] && seeds+=("$root/build/fuzz-corpus/$target")
  flags=(-rss_limit_mb=512 -malloc_limit_mb=64 -timeout=1 -max_len=65536
         -dict="$root/fuzz/dict/$target.dict" -artifact_prefix="$work/artifacts-$target/")
  # 1. Replay: every committed regression input once (a directory of zero files is fine).
  if ! "$binary" "${flags[@]}" -runs=0 "$regressions" > "$work/$target-replay.log" 2>&1; then
    echo "FAIL $target: a regression input fails again"; tail -n 30 "$work/$target-replay.log"
    status=1
    continue
  fi
  # 2. Fuzz for a while, seeded (the corpus dir comes first: new inputs go there, not into git).
  if "$binary" "${flags[@]}" -max_total_time="$seconds" -print_final_stats=1 \
      "$corpus" "${seeds[@]}" > "$work/$target.log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log")
    echo "ok   $target: $runs executions in ${seconds} s, no findings"
  else
    echo "FAIL $target: finding (see below); minimise it with -minimize_crash=1 and commit it"
    echo "     under fuzz/regressions/$target/ once fixed"
    tail -n 40 "$work/$target.log"
    status=1
  fi
done
exit $status
