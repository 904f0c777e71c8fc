#!/usr/bin/env bash
# `enoexec scan` side by side with `scanelf -R`, `find | xargs file`, `go version -m` (on the
# tree's Go programs) and the project's floor program (bench/floor.cpp: the same walk, and per
# regular file only open + first-page read + close; 1 thread and one worker per core), in one
# run, warm page cache, N interleaved rounds. Prints each tool's median wall and CPU time, files
# per second, peak RSS and its ratio to `enoexec scan --json`.
#
# Usage: bash bench/scan_bench.sh [--rounds N] [--quick] [--memory] [TREE]
#   TREE       defaults to /usr
#   --rounds   rounds of every fast tool (default 5; the order rotates each round)
#   --quick    time `find | xargs file` on every 20th file only and extrapolate (labelled so);
#              without it, that pipeline runs once over the whole tree (minutes)
#   --memory   instead: peak RSS of `enoexec scan` over synthetic 20k- and 160k-file trees
#              (made once under build/bench-trees: small ELF files, scripts, data files)
# Builds (or reuses) build/release with -DENOEXEC_BENCH=ON; ENOEXEC_BUILD=DIR uses another
# optimised build directory. Installs scanelf (pax-utils), file and GNU time when missing.
# Files are only read, never executed.
# shellcheck disable=SC2016  # the `sh -c '...'` scripts below read their arguments as $1, $2
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

rounds=5 quick=0 memory=0 tree=/usr
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --memory) memory=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) tree=$1; shift ;;
  esac
done
[ -d "$tree" ] || { echo "no directory $tree" >&2; exit 2; }

# shellcheck source=scripts/lib.sh
source scripts/lib.sh
command -v scanelf >/dev/null || install_missing pax-utils
command -v file >/dev/null || install_missing file
[ -x /usr/bin/time ] || install_missing time
command -v jq >/dev/null || install_missing jq

build=${ENOEXEC_BUILD:-build/release}
if [ ! -x "$build/tools/enoexec/enoexec" ] || [ ! -x "$build/bench/enoexec_floor" ] || [ -z "${ENOEXEC_BUILD:-}" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DENOEXEC_BENCH=ON >/dev/null
  ninja -C "$build" enoexec enoexec_floor >/dev/null
fi
enoexec=$(realpath "$build")/tools/enoexec/enoexec
floor=$(realpath "$build")/bench/enoexec_floor
work=$(mktemp -d /tmp/enoexec-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

# measure NAME CMD...: one timed run; appends "wall cpu rss_kb" to $work/NAME.
measure() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || true
  # The last line: GNU time puts "Command exited with non-zero status N" before it.
  tail -1 "$work/time" | awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' >> "$work/$name"
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_of() { awk -v c="$2" '{ print $c }' "$work/$1"; }
max_of() { sort -n | tail -1; }

if [ "$memory" = 1 ]; then
  trees=$PWD/build/bench-trees
  # make_tree DIR FILES: 1,000 files a directory; 1 in 10 a hard link to one of a few small ELF
  # programs or libraries, 1 in 10 a script, the rest small data files. Hard links keep a
  # 160k-file tree to a few MB.
  make_tree() {
    [ -f "$1/.done" ] && return 0
    rm -rf "$1"; mkdir -p "$1"
    python3 - "$1" "$2" <<'EOF'
import os, shutil, sys
root, count = sys.argv[1], int(sys.argv[2])
seeds = os.path.join(root, "seeds")
os.makedirs(seeds)
elves = []
for i, src in enumerate(["/bin/true", "/bin/ls", "/bin/cat", "/usr/lib/x86_64-linux-gnu/libz.so.1"]):
    if os.path.isfile(src):
        dst = os.path.join(seeds, f"elf{i}")
        shutil.copyfile(src, dst)
        os.chmod(dst, 0o755)
        elves.append(dst)
for n in range(count):
    d = os.path.join(root, f"d{n // 1000:04d}")
    if n % 1000 == 0:
        os.makedirs(d)
    path = os.path.join(d, f"f{n % 1000:04d}")
    if n % 10 == 0 and elves:
        os.link(elves[(n // 10) % len(elves)], path)
    elif n % 10 == 1:
        with open(path, "w") as f:
            f.write("#!/bin/sh\necho %d\n" % n)
        os.chmod(path, 0o755)
    else:
        with open(path, "w") as f:
            f.write("data %d\n" % n)
open(os.path.join(root, ".done"), "w").close()
EOF
  }
  make_tree "$trees/t20k" 20000
  make_tree "$trees/t160k" 160000
  echo "peak RSS of enoexec scan, median of $rounds runs (MiB):"
  printf '%-34s %12s %12s\n' "command" "20k files" "160k files"
  for mode in "--json" "" "--json --sort path"; do
    for size in t20k t160k; do
      rm -f "$work/mem-$size"
      for ((r = 0; r < rounds; r++)); do
        # shellcheck disable=SC2086
        measure "mem-$size" "$enoexec" scan $mode "$trees/$size"
      done
    done
    printf '%-34s %12.1f %12.1f\n' "enoexec scan ${mode:-(human)}" \
      "$(column_of mem-t20k 3 | median | awk '{ print $1 / 1024 }')" \
      "$(column_of mem-t160k 3 | median | awk '{ print $1 / 1024 }')"
  done
  exit 0
fi

echo "tree: $tree; enoexec: $enoexec; rounds: $rounds; load: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
# Warm the page cache (and count the files the walk sees) with one discarded run of each reader.
"$enoexec" scan --json "$tree" > "$work/scan.jsonl" 2>/dev/null || true
files=$(tail -1 "$work/scan.jsonl" | jq '.summary.files')
candidates=$(tail -1 "$work/scan.jsonl" | jq '.summary.candidates')
scanelf -R "$tree" >/dev/null 2>&1 || true
"$floor" -j 1 "$tree" >/dev/null
echo "files: $files regular files, $candidates candidates"

# Go programs, found by enoexec's own JSON (any object with Go facts).
jq -r 'select(.go != null and .path != null) | .path' "$work/scan.jsonl" > "$work/go-files" || true
go_count=$(wc -l < "$work/go-files")

tools=(scan_json scan_human scanelf floor_1 floor_all)
run_tool() {
  case $1 in
    scan_json) measure scan_json "$enoexec" scan --json "$tree" ;;
    scan_human) measure scan_human "$enoexec" scan "$tree" ;;
    scanelf) measure scanelf scanelf -R "$tree" ;;
    floor_1) measure floor_1 "$floor" -j 1 "$tree" ;;
    floor_all) measure floor_all "$floor" "$tree" ;;
    go_version) measure go_version sh -c 'xargs -0 go version -m < "$1"' sh "$work/go-files0" ;;
    go_enoexec) measure go_enoexec sh -c 'xargs -0 "$2" inspect --json < "$1"' sh "$work/go-files0" "$enoexec" ;;
  esac
}
if [ "$go_count" -gt 0 ] && command -v go >/dev/null; then
  tr '\n' '\0' < "$work/go-files" > "$work/go-files0"
  tools+=(go_version go_enoexec)
fi
for ((r = 0; r < rounds; r++)); do
  for ((i = 0; i < ${#tools[@]}; i++)); do
    run_tool "${tools[(i + r) % ${#tools[@]}]}"
  done
  echo "round $((r + 1))/$rounds done"
done

# find | xargs file: minutes over a whole tree, so one run (or a sample with --quick).
find "$tree" -xdev -type f -print0 > "$work/all0"
if [ "$quick" = 1 ]; then
  tr '\0' '\n' < "$work/all0" | awk 'NR % 20 == 1' | tr '\n' '\0' > "$work/sample0"
  sampled=$(tr -cd '\0' < "$work/sample0" | wc -c)
  measure file_sample sh -c 'xargs -0 file < "$1"' sh "$work/sample0"
  total=$(tr -cd '\0' < "$work/all0" | wc -c)
  awk -v t="$total" -v s="$sampled" '{ printf "%.2f %.2f %s\n", $1 * t / s, $2 * t / s, $3 }' \
    "$work/file_sample" > "$work/file_xargs"
  file_label="find | xargs file (1/20 sample, x$((total / sampled)))"
else
  measure file_xargs sh -c 'find "$1" -xdev -type f -print0 | xargs -0 file' sh "$tree"
  file_label="find | xargs file (1 run)"
fi

# Ratios: the tool's median wall time over that of `enoexec scan` (human lines, the default)
# and of `enoexec scan --json`. Above 1: enoexec is that many times faster.
ref=$(column_of scan_human 1 | median)
ref_json=$(column_of scan_json 1 | median)
row() {  # row NAME LABEL FILES
  local wall cpu rss
  wall=$(column_of "$1" 1 | median); cpu=$(column_of "$1" 2 | median); rss=$(column_of "$1" 3 | max_of)
  # A time below /usr/bin/time's 10 ms resolution reads 0: its rates and ratios are not known.
  awk -v l="$2" -v w="$wall" -v c="$cpu" -v m="$rss" -v f="$3" -v ref="$ref" -v rj="$ref_json" '
    function ratio(a, b) { return (a > 0 && b > 0) ? sprintf("%9.2fx", a / b) : sprintf("%10s", "-") }
    BEGIN {
      printf "%-42s %8.2f %8.2f %10s %8.1f %s %s\n", l, w, c,
             (w > 0 ? sprintf("%.0f", f / w) : "-"), m / 1024, ratio(w, ref), ratio(w, rj) }'
}
echo
printf '%-42s %8s %8s %10s %8s %10s %10s\n' "tool" "wall s" "CPU s" "files/s" "RSS MiB" "÷ scan" "÷ --json"
row scan_json "enoexec scan --json" "$files"
row scan_human "enoexec scan (human)" "$files"
row scanelf "scanelf -R" "$files"
row file_xargs "$file_label" "$files"
row floor_1 "enoexec_floor -j 1 (1 thread)" "$files"
row floor_all "enoexec_floor (all cores)" "$files"
if [ -f "$work/go_version" ]; then
  echo
  echo "Go subset: $go_count programs (files/s counts those)"
  ref=$(column_of go_enoexec 1 | median); ref_json=$ref
  row go_enoexec "enoexec inspect --json GO_FILES" "$go_count"
  row go_version "go version -m GO_FILES" "$go_count"
fi
echo
echo "wall and CPU (user+sys): medians of $rounds rounds; RSS: the largest; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
