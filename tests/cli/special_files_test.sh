#!/bin/bash
# special_files_test.sh ENOEXEC: `enoexec inspect` over FIFOs, sockets, device nodes, symlink
# loops, a symlink to /dev/zero, a directory and an unreadable file. Each must be reported on one
# line with an error, the run must exit 2, and nothing may block or take long: a FIFO is never
# opened, /dev/zero is never read, a loop ends at the kernel's 40 hops.
set -u
enoexec=$(realpath "${1:?usage: special_files_test.sh ENOEXEC}")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cd "$dir" || exit 1
mkfifo fifo
ln -s fifo link-to-fifo
ln -s /dev/zero link-to-dev-zero
ln -s loop-b loop-a
ln -s loop-a loop-b
ln -s self self
ln -s missing dangling
mkdir directory
printf '#!/bin/sh\necho unreadable\n' > unreadable
chmod 000 unreadable
cases=(fifo link-to-fifo link-to-dev-zero loop-a self dangling directory)
if python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' socket \
    2>/dev/null; then
  cases+=(socket)
else
  echo "note: no python3 to bind a unix socket; the socket case is skipped"
fi
if mknod char-zero c 1 5 2>/dev/null && mknod block-loop b 7 0 2>/dev/null; then
  cases+=(char-zero block-loop)
else
  echo "note: not allowed to create device nodes (not root); /dev/null stands in"
  ln -s /dev/null link-to-dev-null
  cases+=(link-to-dev-null)
fi
# Root reads through permission bits, so the unreadable file is only an error for other users.
if [ "$(id -u)" != 0 ]; then cases+=(unreadable); else
  echo "note: running as root, which reads files whatever their mode; unreadable not checked"
fi

expect_error() {  # NAME TEXT: one line `enoexec: NAME: MESSAGE` whose message contains TEXT
  local name=$1 text=$2 out status start elapsed before=$failures
  start=$(date +%s%N)
  out=$(timeout 10 "$enoexec" inspect "$name" 2>&1)
  status=$?
  elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
  [ "$status" = 124 ] && { fail "$name: enoexec did not finish within 10 s"; return; }
  [ "$status" = 2 ] || fail "$name: exit status $status, expected 2 ($out)"
  [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || fail "$name: expected one line, got: $out"
  case "$out" in "enoexec: $name: "*"$text"*) ;; *) fail "$name: expected an error with '$text': $out" ;; esac
  [ "$elapsed" -lt 2000 ] || fail "$name: took $elapsed ms"
  [ "$failures" = "$before" ] && echo "ok ($elapsed ms): $out"
}

for name in "${cases[@]}"; do
  case "$name" in
    fifo|link-to-fifo) expect_error "$name" "is a FIFO; only regular files are read" ;;
    link-to-dev-zero|char-zero|link-to-dev-null)
      expect_error "$name" "is a character device; only regular files are read" ;;
    block-loop) expect_error "$name" "is a block device; only regular files are read" ;;
    socket) expect_error "$name" "is a socket; only regular files are read" ;;
    loop-a|self) expect_error "$name" "limit exceeded: symlink hops: $name: more than 40" ;;
    dangling) expect_error "$name" "No such file or directory" ;;
    directory) expect_error "$name" "is a directory; only regular files are read" ;;
    unreadable) expect_error "$name" "Permission denied" ;;
  esac
done

# All at once, as JSON Lines: one object per path, each with an error, then exit 2.
out=$(timeout 20 "$enoexec" inspect --json "${cases[@]}" 2>&1)
status=$?
[ "$status" = 2 ] || fail "all together: exit status $status, expected 2"
[ "$(printf '%s\n' "$out" | grep -c '"error":')" = "${#cases[@]}" ] ||
  fail "all together: expected ${#cases[@]} JSON lines with an error, got: $out"

# The FIFO still has no writer and no reader, and nothing was written into the directory.
[ -p fifo ] || fail "the FIFO was replaced"
[ "$(ls directory | wc -l)" = 0 ] || fail "something was written into the directory"

if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "all ${#cases[@]} special files reported"
