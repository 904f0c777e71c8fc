#!/bin/bash
# text_kinds_test.sh ENOEXEC: `enoexec check` on executable text without "#!". Markdown and other
# text that is not shell commands is E_UNKNOWN_FORMAT (ENOEXEC) with a fix that says what the file
# is and offers chmod -x, the path shell-quoted; shell-like text keeps E_NO_SHEBANG and its
# "sed -i '1i #!/bin/sh'" fix; --json names the kind.
set -u
enoexec=$(realpath "${1:?usage: text_kinds_test.sh ENOEXEC}")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cd "$dir" || exit 1
printf '# enoexec\n\nPredicts whether a file will run.\n' > README.md
printf '# notes\n\nSee [the docs](docs).\n' > "my notes.md"
printf 'set -e\necho hello\n' > install
printf '#include <stdio.h>\nint main(void) { return 0; }\n' > hello.c
chmod +x README.md "my notes.md" install hello.c

out=$("$enoexec" check README.md 2>&1); rc=$?
[ "$rc" = 1 ] || fail "README.md: exit $rc, expected 1"
grep -q 'E_UNKNOWN_FORMAT' <<<"$out" || fail "README.md: no E_UNKNOWN_FORMAT: $out"
grep -q 'execve: ENOEXEC' <<<"$out" || fail "README.md: not ENOEXEC: $out"
grep -q 'Exec format error: Markdown text, not a program' <<<"$out" || fail "README.md: kind not named: $out"
grep -q 'chmod -x README.md' <<<"$out" || fail "README.md: no chmod -x fix: $out"
grep -q "sed -i" <<<"$out" && fail "README.md: offered the #!/bin/sh fix: $out"

out=$("$enoexec" check "my notes.md" 2>&1)
grep -q "chmod -x 'my notes.md'" <<<"$out" || fail "my notes.md: path not shell-quoted: $out"

out=$("$enoexec" check hello.c 2>&1)
grep -q 'C or C++ source code, not a program' <<<"$out" || fail "hello.c: kind not named: $out"

out=$("$enoexec" check install 2>&1); rc=$?
[ "$rc" = 1 ] || fail "install: exit $rc, expected 1"
grep -q 'E_NO_SHEBANG' <<<"$out" || fail "install: no E_NO_SHEBANG: $out"
grep -q "sed -i '1i #!/bin/sh' install" <<<"$out" || fail "install: no sed fix: $out"

out=$("$enoexec" inspect --json README.md 2>&1)
grep -q '"kind":"markdown"' <<<"$out" || fail "README.md --json: kind: $out"

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "ok"
