#!/usr/bin/env bash
# Per-file inspect cost, small vs 100 MB: builds the release preset, makes a 100 MB copy of a
# real binary (objcopy adds a 100 MB section, so the section table lies at the far end), and
# runs bench_inspect on both. Usage: bench/run-inspect.sh [extra files...]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release -DENOEXEC_BENCH=ON >/dev/null  # demo.sh may have configured it without
cmake --build --preset release --target bench_inspect >/dev/null
work=build/release/bench-inputs
mkdir -p "$work"
cp /bin/ls "$work/ls"
if [ ! -f "$work/ls-100MB" ]; then
  head -c 100000000 /dev/zero > "$work/blob"
  objcopy --add-section .blob="$work/blob" \
    "$work/ls" "$work/ls-100MB"
  rm -f "$work/blob"
fi
ls -l "$work/ls" "$work/ls-100MB"
./build/release/bench/bench_inspect "$work/ls" "$work/ls-100MB" "$@"
