#!/bin/bash
# fuzz/smoke.sh [SECONDS] [BUILD_DIR]: CI's fuzz step. For every libFuzzer target (or those in
# $FUZZ_TARGETS): replay each committed regression input (fuzz/regressions/TARGET/) at full size,
# then fuzz for SECONDS (default 15) with the target's dictionary and max_len, seeded as
# fuzz/common.sh says (regressions, samples/, build/inputs/ when built) plus build/fuzz-corpus/
# (or $FUZZ_CORPUS_ROOT) when a campaign has left one. New inputs go to a temporary directory, never into the tree.
# The issue's flags make slow inputs (-timeout=1) and large allocations (-malloc_limit_mb=64,
# -rss_limit_mb=512) findings. Exits 1 on any finding, 2 when a target is not built. Needs:
#   cmake --preset fuzz && cmake --build --preset fuzz
set -euo pipefail
seconds=${1:-15}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$root/build/fuzz}
source "$root/fuzz/common.sh"
read -r -a targets <<< "${FUZZ_TARGETS:-${FUZZ_ALL_TARGETS[*]}}"
fuzz_sanitizer_env ""
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=0
for target in "${targets[@]}"; do
  binary=$build/fuzz/fuzz_$target
  [ -x "$binary" ] || { echo "missing $binary: build the fuzz preset first" >&2; exit 2; }
  artifacts=$work/artifacts-$target
  mkdir -p "$work/corpus-$target" "$artifacts"
  flags=("${FUZZ_LIMIT_FLAGS[@]}" -dict="$root/fuzz/dict/$target.dict" -artifact_prefix="$artifacts/")

  # 1. Replay: each regression input once, named one by one so none is cut to max_len.
  mapfile -d '' regressions < <(find "$root/fuzz/regressions/$target" -type f ! -name '.*' -print0 | sort -z)
  if [ ${#regressions[@]} -gt 0 ] &&
     ! "$binary" "${flags[@]}" "${regressions[@]}" > "$work/$target-replay.log" 2>&1; then
    echo "FAIL $target: a regression input fails again"
    tail -n 40 "$work/$target-replay.log"
    status=1
    continue
  fi

  # 2. Fuzz for a while. The first directory receives new inputs; the others are read only.
  fuzz_seed "$target" "$work/seeds-$target"
  seeds=("$work/seeds-$target")
  corpora=${FUZZ_CORPUS_ROOT:-$root/build/fuzz-corpus}
  [ -d "$corpora/$target" ] && seeds+=("$corpora/$target")
  if "$binary" "${flags[@]}" -max_len="$(fuzz_max_len "$target")" -max_total_time="$seconds" \
       -print_final_stats=1 "$work/corpus-$target" "${seeds[@]}" > "$work/$target.log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$target.log")
    echo "ok   $target: ${#regressions[@]} regression inputs replayed; $runs executions in" \
         "${seconds} s ($rate/s), no findings"
  else
    echo "FAIL $target: finding (log below); minimise it with -minimize_crash=1, fix it, and"
    echo "     commit the input as fuzz/regressions/$target/<sha1 of the input>"
    tail -n 60 "$work/$target.log"
    status=1
  fi
done
exit $status
