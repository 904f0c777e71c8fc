#!/usr/bin/env bash
# `enoexec scan` on a hostile tree: FIFOs, device nodes, a socket, symlink loops, a symlink to
# /dev/zero, an unreadable directory (only unreadable when not run as root), and N small files
# (default 100,000). Checks that the scan finishes (under a timeout), reports each problem, and
# that peak memory does not grow with the tree: the same scan over N/8 and N files.
# Usage: bench/scan-torture.sh [path/to/enoexec] [N]
set -euo pipefail
enoexec=${1:-build/release/tools/enoexec/enoexec}
count=${2:-100000}
work=$(mktemp -d /tmp/enoexec-torture-XXXXXX)
trap 'chmod -R u+rwx "$work" 2>/dev/null || true; rm -rf "$work"' EXIT

make_files() {  # make_files DIR COUNT: COUNT small files, 1,000 a directory, every 100th a script
  local dir=$1 n=$2 d=0
  while (( d * 1000 < n )); do
    mkdir -p "$dir/d$d"
    (cd "$dir/d$d" && seq -f 'f%05g' 0 $(( (n - d * 1000 > 1000 ? 1000 : n - d * 1000) - 1 )) | xargs touch)
    printf '#!/bin/sh\n' | tee "$dir/d$d"/f000{0,1,2,3,4,5,6,7,8,9}0 >/dev/null 2>&1 || true
    d=$(( d + 1 ))
  done
}

tree=$work/tree
mkdir -p "$tree/special" "$tree/locked/inside"
make_files "$tree/files" "$count"
mkfifo "$tree/special/fifo"
ln -s /dev/zero "$tree/special/zero"
ln -s loop-b "$tree/special/loop-a"; ln -s loop-a "$tree/special/loop-b"
ln -s .. "$tree/special/up"
python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$tree/special/sock" || true
mknod "$tree/special/null" c 1 3 2>/dev/null || echo "(no device node: mknod needs root)"
printf '#!/bin/sh\n' > "$tree/locked/inside/s"; chmod 000 "$tree/locked"

check() {  # check ARGS...: run the scan with a timeout, print time and peak RSS
  /usr/bin/time -f "  %e s wall, %U s user, %S s sys, peak RSS %M KB" \
    timeout 120 "$enoexec" scan "$@" > "$work/out.jsonl"
}
for follow in "" "--follow-symlinks"; do
  echo "scan --json --sort path $follow (${count} files):"
  check --json --sort path $follow "$tree" || [ $? = 2 ]  # 2: something was unreadable
  for expect in '"type":"fifo","skipped":"FIFO, not opened"' '"type":"socket"' \
                '"summary"'; do
    grep -q "$expect" "$work/out.jsonl" || { echo "missing: $expect"; exit 1; }
  done
  [ -z "$follow" ] || grep -q 'symlink to /dev/zero, outside the scanned tree' "$work/out.jsonl"
  [ -z "$follow" ] || grep -q 'symlink loop: Too many levels of symbolic links' "$work/out.jsonl"
  [ -z "$follow" ] || grep -q 'directory loop: the same directory as' "$work/out.jsonl"
  [ "$(id -u)" = 0 ] || grep -q 'cannot open directory: Permission denied' "$work/out.jsonl"
  tail -1 "$work/out.jsonl"
done

small=$work/small
make_files "$small" $(( count / 8 ))
echo "memory, $(( count / 8 )) files then ${count} files (should not grow):"
check --json --sort path "$small"
check --json --sort path "$tree/files"
