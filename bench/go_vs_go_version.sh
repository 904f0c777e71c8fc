#!/usr/bin/env bash
# `enoexec inspect --json` against `go version -m` on the same directory of Go binaries, side by
# side in one run: each round runs both commands once (in alternating order), over N rounds;
# prints each median wall time, files per second, the ratio, and what each command reported.
#
# Usage: bench/go_vs_go_version.sh [ROUNDS] [DIR...]
#   ROUNDS defaults to 21; DIRs default to the Go inputs of the integration suite,
#   build/inputs/go-all and build/inputs/go-linux (make them with tests/integration/fetch-inputs.sh).
# Builds (or reuses) the release preset's enoexec, or takes the one env ENOEXEC names.
# Files are only read, never executed.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

rounds=${1:-21}
shift || true
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(build/inputs/go-all build/inputs/go-linux)
for dir in "${dirs[@]}"; do
  [ -d "$dir" ] || { echo "no $dir: run tests/integration/fetch-inputs.sh build/inputs" >&2; exit 1; }
done
command -v go >/dev/null || { echo "needs go (apt-get install golang-go)" >&2; exit 1; }
command -v jq >/dev/null || { echo "needs jq" >&2; exit 1; }

if [ -n "${ENOEXEC:-}" ]; then  # an enoexec built elsewhere (optimised, please)
  enoexec=$(realpath "$ENOEXEC")
else
  cmake --preset release >/dev/null
  cmake --build --preset release --target enoexec >/dev/null
  enoexec=$PWD/build/release/tools/enoexec/enoexec
fi

# Every input file: the programs, not the recipes' manifests, logs, stamps or sources.
mapfile -t files < <(find "${dirs[@]}" -type f ! -name manifest.jsonl ! -name '*.log' \
  ! -name .done ! -path '*/src/*' | sort)
count=${#files[@]}
[ "$count" -gt 0 ] || { echo "no files under ${dirs[*]}" >&2; exit 1; }

now_ns() { date +%s%N; }
run_enoexec() { "$enoexec" inspect --json "${files[@]}" >/dev/null; }
# go version -m exits 1 when some file has no build info (plan9, wasm, garbled): not a failure.
run_go() { go version -m "${files[@]}" >/dev/null 2>&1 || true; }

run_go  # warm the page cache and go's own startup
run_enoexec
enoexec_ns=() go_ns=()
for ((round = 0; round < rounds; round++)); do
  for tool in enoexec go; do
    # Alternate which one goes first, so neither always runs on a cache the other warmed.
    [ $((round % 2)) -eq 1 ] && tool=$([ "$tool" = enoexec ] && echo go || echo enoexec)
    start=$(now_ns)
    "run_$tool"
    elapsed=$(($(now_ns) - start))
    if [ "$tool" = enoexec ]; then enoexec_ns+=("$elapsed"); else go_ns+=("$elapsed"); fi
  done
done

median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
e_med=$(median "${enoexec_ns[@]}")
g_med=$(median "${go_ns[@]}")

# What each reports. go version -m: files it read build info from, and its lines of facts
# (go version, path, mod, dep, =>, build settings). enoexec: files with a `go` object (universal
# slices counted one by one), and every non-null value in its JSON.
go_text=$(go version -m "${files[@]}" 2>/dev/null || true)
go_files=$(grep -c '^[^[:space:]].*: go[0-9]' <<<"$go_text" || true)
go_facts=$(grep -cE '^[^[:space:]].*: go[0-9]|^	(path|mod|dep|=>|build)	' <<<"$go_text" || true)
json=$("$enoexec" inspect --json "${files[@]}")
e_go_files=$(jq -s '[.[] | (., .slices[]?) | select(.go != null)] | length' <<<"$json")
e_go_facts=$(jq -s '[.[] | (., .slices[]?) | .go | select(. != null)
  | (if .version != "" then 1 else 0 end) + ([.path, .main] | map(select(. != null and . != "")) | length) + (.deps | length)
  + ([.deps[] | select(.replace)] | length) + (.settings | length)] | add' <<<"$json")
e_values=$(jq -s '[.[] | .. | scalars] | length' <<<"$json")
e_platforms=$(jq -s '[.[] | (., .slices[]?) | select(.platform != null)] | length' <<<"$json")

fmt_ms() { awk -v ns="$1" 'BEGIN {printf "%.1f ms", ns / 1e6}'; }
per_s() { awk -v ns="$1" -v n="$count" 'BEGIN {printf "%.0f files/s", n / (ns / 1e9)}'; }
echo "files: $count (${dirs[*]}), rounds: $rounds, go: $(go env GOVERSION), host: $(nproc) CPUs"
printf '%-34s %12s  %16s\n' "command" "median" "throughput"
printf '%-34s %12s  %16s\n' "enoexec inspect --json FILES" "$(fmt_ms "$e_med")" "$(per_s "$e_med")"
printf '%-34s %12s  %16s\n' "go version -m FILES" "$(fmt_ms "$g_med")" "$(per_s "$g_med")"
awk -v e="$e_med" -v g="$g_med" 'BEGIN {printf "ratio: go version -m takes %.2fx the time of enoexec\n", g / e}'
echo "reported:"
echo "  go version -m: Go build info of $go_files files, $go_facts lines of facts (go, path, mod, dep, =>, build)"
echo "  enoexec:       Go build info or Go recognised for $e_go_files files/slices, $e_go_facts of the same facts;"
echo "                 platform for $e_platforms files/slices; $e_values non-null JSON values in all"
