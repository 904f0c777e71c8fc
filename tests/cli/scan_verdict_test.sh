#!/bin/bash
# scan_verdict_test.sh ENOEXEC INPUTS_DIR SAMPLES_DIR: `enoexec scan` with verdicts.
#   - exit status 0 (nothing fails), 1 (something fails; a warning with --fail-on warning),
#     2 (usage, unreadable entries);
#   - --only-failures, --fail-on warning, --target;
#   - `scan --json --sort path` prints, for every program, exactly the line `check --json` prints
#     for it (samples/ always; the cross-c inputs when fetched);
#   - a hostile tree: FIFOs, a device node, symlink loops, a symlink to /dev/zero, an unreadable
#     directory and 100,000 small files finishes promptly with each problem reported.
set -u
enoexec=$(realpath "${1:?usage: scan_verdict_test.sh ENOEXEC INPUTS_DIR SAMPLES_DIR}")
inputs=${2:+$(realpath "$2")}
samples=$(realpath "${3:?usage: scan_verdict_test.sh ENOEXEC INPUTS_DIR SAMPLES_DIR}")
dir=$(mktemp -d)
trap 'chmod -R u+rwx "$dir" 2>/dev/null; rm -rf "$dir"' EXIT
chmod 755 "$dir"  # the unreadable-directory case runs as another user when we are root
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

expect_status() {  # WANT DESCRIPTION ARGS...: runs scan ARGS, checks the exit status; output in $out
  local want=$1 what=$2
  shift 2
  out=$(timeout 60 "$enoexec" scan "$@" 2>&1)
  local status=$?
  if [ "$status" = "$want" ]; then ok "$what: exit $status"; else fail "$what: exit $status, expected $want: $out"; fi
}

expect_text() {  # DESCRIPTION TEXT: $out contains TEXT
  case "$out" in *"$2"*) ok "$1" ;; *) fail "$1: no '$2' in: $out" ;; esac
}

refute_text() {  # DESCRIPTION TEXT: $out does not contain TEXT
  case "$out" in *"$2"*) fail "$1: unexpected '$2' in: $out" ;; *) ok "$1" ;; esac
}

cd "$dir" || exit 1
mkdir -p good warn bad mixed
printf '#!/bin/sh\necho fine\n' > good/fine.sh
printf 'just text\n' > good/notes.txt
printf '#!/usr/bin/env -S sh -e\r\necho warned\r\n' > warn/env-crlf.sh  # W_SCRIPT_CRLF
printf '#!/bin/sh\r\necho crlf\r\n' > bad/crlf.sh                        # E_SCRIPT_CRLF
printf '#!/nonexistent/interpreter\n' > bad/no-interpreter              # E_INTERP_MISSING
cp good/fine.sh mixed/fine.sh
cp bad/crlf.sh mixed/crlf.sh
chmod +x good/fine.sh warn/env-crlf.sh bad/crlf.sh bad/no-interpreter mixed/*.sh

# Exit statuses.
expect_status 0 "a tree where everything runs" --sort path good
expect_text "the verdict line of check" "good/fine.sh: runs on "
expect_status 1 "a tree where something fails" --sort path bad
expect_text "problems under the verdict line" "  error E_SCRIPT_CRLF: bad/crlf.sh: bad interpreter"
expect_text "each failing file" "bad/no-interpreter: will not run on"
expect_text "the summary by verdict" ": 0 run, 0 run emulated, 2 fail, 0 with warnings"
expect_status 0 "a warning alone passes" warn
expect_text "the warning is printed" "warning W_SCRIPT_CRLF"
expect_status 1 "--fail-on warning" --fail-on warning warn
expect_status 2 "a path that does not exist" does-not-exist
expect_status 2 "no path (usage)"
expect_status 2 "--fail-on with a bad value (usage)" --fail-on sometimes good
expect_status 2 "--json with --sarif (usage)" --json --sarif good
expect_status 2 "an unknown --target" --target no-such-machine good

# scan judges programs (issue #16, item 9): an object file, even with an exec bit, and a file
# nobody may execute are no failures; --all names them, saying what they are. check, asked to
# run the file, keeps the error. The object is the C library's own start file (nobody here wrote
# it); the program is this machine's `true`, copied without its exec bit.
mkdir -p unrun
crt=$(gcc -print-file-name=crtbegin.o 2>/dev/null)
if [ -f "$crt" ]; then
  cp "$crt" unrun/crtbegin.o && chmod 755 unrun/crtbegin.o
else
  echo "note: no gcc crtbegin.o: the object case is skipped"
fi
cp "$(type -P true)" unrun/true && chmod 644 unrun/true
printf '#!/bin/sh\necho module\n' > unrun/module.sh && chmod 644 unrun/module.sh
expect_status 0 "files nobody runs are no failures" --sort path unrun
refute_text "files nobody runs are not listed without --all" "unrun/"
expect_status 0 "--all shows files nobody runs" --all --sort path unrun
expect_text "--all: the script without an exec bit, what it is first" \
  "unrun/module.sh: skipped: a #! script for /bin/sh, without an execute bit: nobody may run it"
expect_text "--all: the program without an exec bit" "unrun/true: skipped: an ELF "
if [ -f unrun/crtbegin.o ]; then
  expect_text "--all: the object file" "unrun/crtbegin.o: skipped: a relocatable object file for "
fi
if "$enoexec" check unrun/module.sh > check.out 2>&1; then
  fail "check of a script without an exec bit passes: $(cat check.out)"
else
  grep -q "E_NOT_EXECUTABLE" check.out && ok "check keeps E_NOT_EXECUTABLE" ||
    fail "check of a script without an exec bit: $(cat check.out)"
fi

# --only-failures: what fails, nothing else; --fail-on warning widens it to warnings.
expect_status 1 "--only-failures on a mixed tree" --only-failures --sort path mixed
expect_text "--only-failures keeps what fails" "mixed/crlf.sh: will not run"
refute_text "--only-failures drops what runs" "mixed/fine.sh"
expect_status 0 "--only-failures without failures" --only-failures warn
refute_text "--only-failures hides a warning by default" "env-crlf.sh"
expect_status 1 "--only-failures --fail-on warning" --only-failures --fail-on warning warn
expect_text "--only-failures --fail-on warning shows the warning" "warn/env-crlf.sh: runs on"

# --target: the samples are built for named platforms.
expect_status 0 "--target linux/arm64 on an arm64 program" --target linux/arm64 "$samples/linux-arm64"
expect_status 1 "--target linux/amd64 on an arm64 program" --target linux/amd64 "$samples/linux-arm64"
expect_text "--target names the target" "will not run on linux/amd64"
expect_text "--target gives the rule" "E_WRONG_ARCH"
expect_status 1 "--target rpi-zero (a profile)" --target rpi-zero "$samples/linux-arm64"

# JSON Lines: each program's line is the line of `check --json` for it, byte for byte. One
# difference is by design: a shared library with an exec bit is run by `check` (it dies at its
# entry: E_LIBRARY_EXECUTED) and judged as ld.so loads it by `scan`, where nobody runs it.
compare_with_check() {  # TREE
  local tree=$1 compared=0 differ=0 libraries=0 line path expected
  "$enoexec" scan --json --sort path "$tree" > scan.jsonl
  tail -n 1 scan.jsonl | grep -q '^{"record":"summary","summary":' || fail "$tree: the last line is not the summary"
  while IFS= read -r line; do
    case "$line" in *'"format":'*) ;; *) continue ;; esac
    path=$(printf '%s\n' "$line" | jq -r .path)
    expected=$("$enoexec" check --json "$path" 2>/dev/null) || [ -n "$expected" ] || continue
    compared=$((compared + 1))
    if printf '%s\n' "$expected" | jq -e '[.problems[].code] | index("E_LIBRARY_EXECUTED")' >/dev/null; then
      libraries=$((libraries + 1))
      printf '%s\n' "$line" | jq -e '.verdict == "runs" and ([.problems[].code] | index("E_LIBRARY_EXECUTED") == null)' >/dev/null ||
        { differ=$((differ + 1)); fail "$path: scan judges an executable shared library as run, not as loaded"; }
      continue
    fi
    [ "$expected" = "$line" ] || { differ=$((differ + 1)); fail "$path: scan and check differ"; }
  done < scan.jsonl
  [ "$tree" != cross-c ] || [ "$libraries" -gt 0 ] || fail "cross-c: no executable shared library compared"
  [ "$compared" -gt 0 ] || fail "$tree: nothing compared"
  [ "$differ" = 0 ] && ok "$tree: $compared programs, scan --json = check --json"
}
if command -v jq >/dev/null; then
  # check names each file as the scan reached it: a relative path from here.
  cp -r "$samples" samples
  compare_with_check samples
  if [ -n "$inputs" ] && [ -d "$inputs/cross-c" ]; then
    cp -r "$inputs/cross-c" cross-c
    compare_with_check cross-c
  else
    echo "note: no cross-c inputs ($inputs); only samples/ compared with check"
  fi
else
  echo "note: no jq; scan --json is not compared with check --json"
fi

# The hostile tree.
mkdir -p hostile/fifos hostile/links hostile/devices hostile/many
mkfifo hostile/fifos/fifo-1 hostile/fifos/fifo-2
ln -s loop-b hostile/links/loop-a
ln -s loop-a hostile/links/loop-b
ln -s self hostile/links/self
ln -s /dev/zero hostile/links/to-dev-zero
device_note="character device, not opened"
if mknod hostile/devices/zero c 1 5 2>/dev/null; then
  device=hostile/devices/zero
else
  # Not allowed to make device nodes (not root): an existing /dev path, reached through a link.
  ln -s /dev/null hostile/devices/null
  device=hostile/devices/null
  device_note="symlink to /dev/null, outside the scanned tree"
fi
python3 - hostile/many <<'EOF'
import os, sys
root = sys.argv[1]
for d in range(100):
    sub = os.path.join(root, f"d{d:03}")
    os.mkdir(sub)
    for f in range(1000):
        path = os.path.join(sub, f"f{f:04}")
        if f == 500:  # one program per directory, and it fails: 100 problems to report
            with open(path, "wb") as out:
                out.write(b"#!/bin/sh\r\necho crlf\r\n")
            os.chmod(path, 0o755)
        else:
            with open(path, "w") as out:
                out.write(f"small file {d} {f}\n")
EOF
start=$(date +%s%N)
timeout 120 "$enoexec" scan --json --sort path --follow-symlinks hostile > hostile.jsonl 2> hostile.err
status=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$status" = 124 ] && fail "the hostile tree did not finish within 120 s"
[ "$status" = 1 ] && ok "hostile tree: exit 1 in $elapsed ms" ||
  fail "hostile tree: exit $status, expected 1 ($(head -c 500 hostile.err))"
[ "$elapsed" -lt 60000 ] || fail "hostile tree: took $elapsed ms"
entry() { grep -F "\"path\":\"$1\"" hostile.jsonl; }
check_entry() {  # PATH TEXT
  local line
  line=$(entry "$1")
  case "$line" in *"$2"*) ok "$1: $2" ;; *) fail "$1: expected '$2', got: ${line:-nothing}" ;; esac
}
check_entry hostile/fifos/fifo-1 '"skipped":"FIFO, not opened"'
check_entry hostile/fifos/fifo-2 '"skipped":"FIFO, not opened"'
check_entry "$device" "\"skipped\":\"$device_note\""
check_entry hostile/links/loop-a '"skipped":"symlink loop'
check_entry hostile/links/self '"skipped":"symlink loop'
check_entry hostile/links/to-dev-zero '"skipped":"symlink to /dev/zero, outside the scanned tree"'
summary=$(tail -n 1 hostile.jsonl)
fails=$(grep -c '"verdict":"fails"' hostile.jsonl)
[ "$fails" = 100 ] && ok "100 failing programs among 100,000 files" || fail "$fails failing programs, expected 100"
if command -v jq >/dev/null; then
  files=$(printf '%s\n' "$summary" | jq .summary.files)
  [ "$files" -ge 100000 ] && ok "summary: $files files" || fail "summary: $files files: $summary"
  [ "$(printf '%s\n' "$summary" | jq .summary.verdicts.fails)" = 100 ] ||
    fail "summary verdicts: $summary"
fi
[ -p hostile/fifos/fifo-1 ] || fail "the FIFO was replaced"

# An unreadable directory: reported, skipped, exit 2. Root reads through permission bits, so as
# root the scan runs as nobody (setpriv); without setpriv the case is skipped.
mkdir -p unreadable/locked unreadable/open
printf '#!/bin/sh\n' > unreadable/open/fine.sh
chmod 755 unreadable unreadable/open unreadable/open/fine.sh
chmod 000 unreadable/locked
as_user=()
if [ "$(id -u)" = 0 ]; then
  if command -v setpriv >/dev/null; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  else
    echo "note: running as root without setpriv; the unreadable directory is not checked"
  fi
fi
if [ "$(id -u)" != 0 ] || [ "${#as_user[@]}" -gt 0 ]; then
  out=$(timeout 60 "${as_user[@]}" "$enoexec" scan --sort path unreadable 2>&1)
  status=$?
  [ "$status" = 2 ] && ok "unreadable directory: exit 2" || fail "unreadable directory: exit $status: $out"
  expect_text "the unreadable directory is reported" "enoexec: unreadable/locked: cannot open directory: Permission denied"
  expect_text "the scan goes on past it" "unreadable/open/fine.sh: runs on"
fi

echo "$failures failure(s)"
[ "$failures" = 0 ]
