#!/usr/bin/env bash
# safe_output_test.sh ENOEXEC SAMPLES: text that leaves enoexec is safe (docs/architecture.md,
# "Text that leaves the program"):
#  - a fix pasted into a shell never runs what a file name smuggles in, and does what it says;
#  - no terminal escape sequence or raw newline from a file name reaches the terminal;
#  - an unreadable input is one `enoexec: PATH: MESSAGE` line on stderr in every command, and
#    `check --json` still writes its object;
#  - a reader that goes away (EPIPE) ends the command quietly with the status the lines it read
#    earned;
#  - a verdict on a profile names it, and says once what it assumes without the target's files.
set -uo pipefail
enoexec=$(realpath "$1")
samples=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
cd "$work" || exit 1

# 1. Fixes are quoted for the shell: paste each fix line and see what it does.
for name in 'x;touch PWNED;.sh' 'two words.sh' "it's.sh" '$(touch PWNED2).sh'; do
  printf 'echo hi\n' >"$name"
  chmod 0644 "$name"
  fix=$("$enoexec" check "$name" | sed -n 's/^    fix: //p' | head -n 1)
  [ -n "$fix" ] || { fail "$name: no fix line"; continue; }
  sh -c "$fix" >/dev/null 2>&1 || fail "$name: the fix failed in sh: $fix"
  [ ! -e PWNED ] && [ ! -e PWNED2 ] || fail "$name: pasting the fix ran a command from the name: $fix"
  [ -x "$name" ] || fail "$name: the fix did not make the file executable: $fix"
  rm -f PWNED PWNED2
done
# A script without #! gets a sed fix: it must edit the file whose name has a space, and only it.
printf 'echo hi\n' >'no shebang.sh'
chmod +x 'no shebang.sh'
fix=$("$enoexec" check 'no shebang.sh' | sed -n 's/^    fix: //p' | head -n 1)
sh -c "$fix" >/dev/null 2>&1 || fail "no shebang: the fix failed in sh: $fix"
[ "$(head -c 2 'no shebang.sh')" = '#!' ] || fail "no shebang: the fix did not add a #! line: $fix"

# 2. Names are escaped on the terminal: ESC, a newline and invalid UTF-8 in a file name.
evil=$(printf 'evil\033[31mred\nforged line\377.sh')
printf 'echo hi\n' >"$evil"
for command in "check" "inspect" "inspect -v" "scan --all"; do
  # shellcheck disable=SC2086
  "$enoexec" $command "$evil" >out 2>err
  if grep -a "$(printf '\033')" out err >/dev/null; then fail "$command: a raw ESC reached the terminal"; fi
  if grep -a '^forged line' out err >/dev/null; then fail "$command: a newline in the name forged a line"; fi
  if LC_ALL=C grep -a "$(printf '\377')" out err >/dev/null; then fail "$command: a raw invalid UTF-8 byte was printed"; fi
  grep -a 'evil\\x1b\[31mred\\nforged line\\xff\.sh' out >/dev/null ||
    fail "$command: the escaped name is missing: $(head -c 300 out)"
done

# 3. Unreadable inputs: one stderr line in one format, in every command; check --json writes the
#    object with `error` too.
for command in check inspect "check --json" "inspect --json"; do
  # shellcheck disable=SC2086
  "$enoexec" $command /nonexistent/file >out 2>err
  status=$?
  [ "$status" = 2 ] || fail "$command missing file: exit $status, want 2"
  grep -x 'enoexec: /nonexistent/file: .*No such file or directory' err >/dev/null ||
    fail "$command missing file: stderr is not 'enoexec: PATH: MESSAGE': $(cat err)"
  case $command in
    *--json)
      [ "$(wc -l <out)" = 1 ] && grep '"error":"' out >/dev/null ||
        fail "$command missing file: want one JSON object with error: $(cat out)" ;;
    # check still gives the kernel's answer (issue #16: a verdict for every input); inspect has
    # nothing to say.
    check) grep -x '/nonexistent/file: will not run on .* (execve: ENOENT)' out >/dev/null ||
      fail "$command missing file: want the ENOENT verdict on stdout: $(cat out)" ;;
    *) [ ! -s out ] || fail "$command missing file: printed on stdout: $(cat out)" ;;
  esac
done

# 4. A reader that goes away: quiet, with the status the lines read earned (1: the first file
#    read will not run), not SIGPIPE's 141, not 2.
files=()
for i in $(seq 1 3000); do files+=("$samples/linux-arm64"); done
{ "$enoexec" check --target linux/amd64 "${files[@]}" 2>err; echo $? >status; } | head -n 1 >/dev/null
[ "$(cat status)" = 1 ] || fail "check | head -1: exit $(cat status), want 1"
grep -v '^enoexec: note: ' err >err.other
[ ! -s err.other ] || fail "check | head -1: said something on stderr: $(head -c 200 err.other)"
{ "$enoexec" scan --all /usr/lib 2>err; echo $? >status; } | head -n 1 >/dev/null
case $(cat status) in 0 | 1) ;; *) fail "scan | head -1: exit $(cat status), want 0 or 1" ;; esac
[ ! -s err ] || fail "scan | head -1: said something on stderr: $(head -c 200 err)"

# 5. A profile is named in the verdict line; its assumption is said once, on stderr.
"$enoexec" check --target rpi-zero "$samples/linux-armv6-hardfloat" "$samples/linux-arm64" >out 2>err
grep -x "$samples/linux-armv6-hardfloat: runs on rpi-zero (linux/arm/v6)" out >/dev/null ||
  fail "profile not named in the verdict line: $(cat out)"
[ "$(grep -c 'enoexec: note: .*--root' err)" = 1 ] || fail "the assumption is not said once: $(cat err)"
"$enoexec" check --target rpi-zero --json "$samples/linux-armv6-hardfloat" >out 2>err
[ ! -s err ] || fail "check --json says the assumption on stderr: $(cat err)"
mkdir tree && cp "$samples/linux-armv6-hardfloat" tree/
"$enoexec" scan --target rpi-zero tree >out 2>err
grep -x "tree/linux-armv6-hardfloat: runs on rpi-zero (linux/arm/v6)" out >/dev/null ||
  fail "scan: profile not named in the verdict line: $(cat out)"
grep "^on rpi-zero (linux/arm/v6): 1 runs" out >/dev/null || fail "scan: profile not named in the summary: $(cat out)"
[ "$(grep -c 'enoexec: note: .*--root' err)" = 1 ] || fail "scan: the assumption is not said once: $(cat err)"

[ "$failures" = 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "ok"
