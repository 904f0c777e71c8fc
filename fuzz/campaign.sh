#!/bin/bash
# fuzz/campaign.sh TARGET [RUNS] [BUILD_DIR]: one session of TARGET's long campaign, resumable.
#   The corpus persists in build/fuzz-corpus/TARGET/ (seeded, and topped up each session, from
#   fuzz/regressions/TARGET/, samples/ and the real binaries of build/inputs/ in TARGET's format,
#   see fuzz/common.sh), so each session goes on from where the last one stopped. libFuzzer runs
#   RUNS executions (default: what earlier sessions left of 10 million) with the issue's flags (-rss_limit_mb=512
#   -malloc_limit_mb=64 -timeout=1), TARGET's dictionary and max_len; Ctrl-C ends a session
#   early and still records it. The session's figures (executions, exec/s, new units, findings,
#   date, commit) are appended to build/fuzz-campaign/TARGET.tsv. A finding stops the session:
#   the crash file's path is printed, and its full sanitizer report (the input replayed with
#   allocation stacks on) is written beside it as CRASH.txt. Exit 0: no finding; 1: finding.
# fuzz/campaign.sh --report: the executions and findings summed over every session, per target.
# FUZZ_CORPUS_ROOT and FUZZ_RESULTS move build/fuzz-corpus and build/fuzz-campaign (for a trial).
# A timeout whose input runs fast alone is a starved fuzzer, recorded as such and resumed (see
# run_session). Run it in the background, niced but not to 19 (which starves it for seconds
# behind a build), e.g.
#   nice -n 5 fuzz/campaign.sh elf 10000000 > build/fuzz-campaign/elf.out 2>&1 &
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/fuzz/common.sh"
results=${FUZZ_RESULTS:-$root/build/fuzz-campaign}
corpora=${FUZZ_CORPUS_ROOT:-$root/build/fuzz-corpus}
goal=10000000

report() {
  printf '%-10s %9s %14s %9s %s\n' target sessions executions findings "last session"
  local target tsv
  for target in "${FUZZ_ALL_TARGETS[@]}"; do
    tsv=$results/$target.tsv
    if [ ! -s "$tsv" ]; then
      printf '%-10s %9s %14s %9s %s\n' "$target" 0 0 0 -
      continue
    fi
    awk -F'\t' -v target="$target" -v goal="$goal" '
      NR > 1 { sessions++; runs += $4; findings += $8; last = $1 }
      END {
        printf "%-10s %9d %14d %9d %s%s\n", target, sessions, runs, findings, last,
               ((runs >= goal && findings == 0) ? "  (10M reached, no findings)" : "")
      }' "$tsv"
  done
}

# replay_ms BINARY INPUT: the fastest of three runs of INPUT alone, in milliseconds.
replay_ms() {
  local took fastest=999999
  for _ in 1 2 3; do
    took=$("$1" "${FUZZ_LIMIT_FLAGS[@]}" "$2" 2>&1 | sed -n 's/^Executed .* in \([0-9]*\) ms$/\1/p' | tail -n 1)
    [ -n "$took" ] && [ "$took" -lt "$fastest" ] && fastest=$took
  done
  echo "$fastest"
}

stat_of() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

run_session() {
  local target=$1 runs=$2 build=$3
  local binary=$build/fuzz/fuzz_$target corpus=$corpora/$target
  [ -x "$binary" ] || { echo "missing $binary: cmake --preset fuzz && cmake --build --preset fuzz" >&2; exit 2; }
  local stamp artifacts log
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  artifacts=$results/$target-artifacts
  log=$results/$target-$stamp.log
  mkdir -p "$corpus" "$artifacts"
  fuzz_seed "$target" "$corpus"
  local before
  before=$(find "$corpus" -type f | wc -l)
  # The sources as the session starts (the binary is built from them): edits made while it
  # runs are not in it.
  local commit
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
  git -C "$root" diff --quiet HEAD -- src include fuzz 2>/dev/null || commit="$commit+changes"

  # Allocation stacks off for speed (fuzz/common.sh); a finding is replayed with them on below.
  fuzz_sanitizer_env malloc_context_size=0
  local flags=("${FUZZ_LIMIT_FLAGS[@]}" -dict="$root/fuzz/dict/$target.dict"
               -max_len="$(fuzz_max_len "$target")" -artifact_prefix="$artifacts/")
  local start status=0
  start=$(date +%s)
  trap 'echo "interrupted: recording the session"' INT
  "$binary" "${flags[@]}" -runs="$runs" -print_final_stats=1 "$corpus" > "$log" 2>&1 || status=$?
  trap - INT
  local seconds=$(( $(date +%s) - start ))

  local executions rate new_units rss crash findings=0
  executions=$(stat_of number_of_executed_units "$log")
  rate=$(stat_of average_exec_per_sec "$log")
  new_units=$(stat_of new_units_added "$log")
  rss=$(stat_of peak_rss_mb "$log")
  crash=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
  if [ -z "$executions" ]; then  # killed before the final stats: the last status line
    executions=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  fi
  # libFuzzer's figure is whole executions per whole second since its start (0 under a second).
  [ "${rate:-0}" -gt 0 ] || rate=$(( ${executions:-0} / (seconds > 0 ? seconds : 1) ))
  if [ -n "$crash" ] || { [ "$status" -ne 0 ] && ! grep -q 'run interrupted' "$log"; }; then
    findings=1
  fi
  # libFuzzer's -timeout is wall-clock time: a fuzzer starved of CPU by other work (a build, a
  # second fuzzer) can overrun it on an input that takes a millisecond. A timeout whose input,
  # replayed alone three times, never takes half the limit is recorded as starved, not as a
  # finding, and the caller starts another session for the runs left.
  starved=0
  if [ -n "$crash" ] && [[ $(basename "$crash") == timeout-* ]]; then
    local fastest
    fastest=$(replay_ms "$binary" "$crash")
    if [ "$fastest" -lt 500 ]; then
      findings=0 starved=1
      echo "$target: timeout on $crash, but it runs in $fastest ms alone: the fuzzer was starved of CPU (not a finding)"
      crash="starved:$crash"
    fi
  fi
  local tsv=$results/$target.tsv
  [ -s "$tsv" ] || printf 'date\tcommit\ttarget\texecutions\texec_per_s\tseconds\tnew_units\tfindings\tcorpus_before\tcorpus_after\tpeak_rss_mb\trequested_runs\tlog\tcrash\n' > "$tsv"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$stamp" "$commit" "$target" "${executions:-0}" "${rate:-0}" "$seconds" "${new_units:-0}" \
    "$findings" "$before" "$(find "$corpus" -type f | wc -l)" "${rss:-0}" "$runs" \
    "${log#"$root"/}" "${crash#"$root"/}" >> "$tsv"

  session_executions=${executions:-0}  # for the caller: what this session did
  echo "$target: ${executions:-0} executions in $seconds s (${rate:-0}/s), ${new_units:-0} new units"
  if [ "$findings" -ne 0 ]; then
    if [ -n "$crash" ]; then
      ASAN_OPTIONS=quarantine_size_mb=16 UBSAN_OPTIONS=print_stacktrace=1 \
        "$binary" "${FUZZ_LIMIT_FLAGS[@]}" "$crash" > "$crash.txt" 2>&1 || true
      local took
      took=$(grep -o 'Executed .* in [0-9]* ms' "$crash.txt" | tail -n 1 || true)
      echo "FINDING: $crash"
      echo "  full report: $crash.txt${took:+ (replayed alone: $took)}"
    else
      echo "FINDING: libFuzzer exited with status $status and wrote no crash file; see $log"
    fi
    return 1
  fi
}

case ${1:-} in
  --report) report ;;
  "" | -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  *)
    target=$1
    [[ " ${FUZZ_ALL_TARGETS[*]} " == *" $target "* ]] || { echo "unknown target: $target (${FUZZ_ALL_TARGETS[*]})" >&2; exit 2; }
    mkdir -p "$results"
    runs=${2:-}
    if [ -z "$runs" ]; then  # what the earlier sessions left of the 10 million
      done_so_far=$(awk -F'\t' 'NR > 1 { n += $4 } END { print n + 0 }' "$results/$target.tsv" 2>/dev/null || echo 0)
      runs=$(( goal > done_so_far ? goal - done_so_far : 0 ))
      [ "$runs" -gt 0 ] || { echo "$target: $done_so_far executions already (goal $goal)"; exit 0; }
    fi
    # Sessions until RUNS executions are done; only a starved timeout starts another.
    while :; do
      run_session "$target" "$runs" "${3:-$root/build/fuzz}"
      [ "$starved" -eq 1 ] || break
      runs=$(( runs - session_executions ))
      [ "$runs" -gt 0 ] || break
    done
    ;;
esac
