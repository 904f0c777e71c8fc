#!/usr/bin/env bash
# explain_test.sh ENOEXEC RULES_MD: `enoexec explain` prints the rules table (src/rules/rules.def):
# a known code, a code in lower case, an unknown code with a suggestion (exit 2), the listing of
# every code docs/rules.md documents, --json; and a fix that names a hostile file quotes it.
set -euo pipefail
enoexec=$1
rules_md=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

out=$("$enoexec" explain E_WRONG_ARCH) || fail "explain E_WRONG_ARCH exited $?"
grep -qx "E_WRONG_ARCH (error): Built for another CPU architecture than the target's" <<<"$out" ||
  fail "no title line in: $out"
for label in outcome source example fix docs; do
  grep -q "^$label: " <<<"$out" || fail "no '$label:' line in: $out"
done
grep -qx 'outcome: execve: ENOEXEC' <<<"$out" || fail "outcome: $out"
grep -qxE 'docs:    https?://[^ ]+/docs/rules\.md#rules-decided-by-the-kernel-execve-fails-or-the-process-is-killed-during-execve' <<<"$out" ||
  fail "docs anchor: $out"

lower=$("$enoexec" explain e_not_executable) || fail "explain e_not_executable exited $?"
grep -qx 'E_NOT_EXECUTABLE (error): No execute permission (EACCES)' <<<"$lower" || fail "lower case: $lower"
grep -qx 'fix:     chmod +x {file}' <<<"$lower" || fail "fix pattern: $lower"

status=0
"$enoexec" explain E_WRONG_ARH >"$work/out" 2>"$work/err" || status=$?
[ "$status" = 2 ] || fail "unknown code exited $status, not 2"
[ ! -s "$work/out" ] || fail "unknown code printed on stdout: $(cat "$work/out")"
[ "$(cat "$work/err")" = "enoexec: unknown rule code 'E_WRONG_ARH'; did you mean E_WRONG_ARCH?" ] ||
  fail "unknown code said: $(cat "$work/err")"

# The listing: every code docs/rules.md documents, once, with its severity.
"$enoexec" explain >"$work/list" || fail "explain (list) exited $?"
grep -oE '^\| `[EWI]_[A-Z0-9_]+` \| [a-z]+ ' "$rules_md" | tr -d '|`' | awk '{print $1, $2}' | sort -u >"$work/documented"
awk '{print $1, $2}' "$work/list" | sort >"$work/listed"
diff "$work/documented" "$work/listed" || fail "the listing and docs/rules.md differ (< docs, > listing)"
[ "$(wc -l <"$work/documented")" -ge 60 ] || fail "docs/rules.md read as $(wc -l <"$work/documented") codes"

if command -v jq >/dev/null; then
  json=$("$enoexec" explain --json i_slice_chosen) || fail "explain --json exited $?"
  [ "$(jq -r '[.record, .code, .severity, .fix, (.docs | sub("^https?://[^ ]+/docs/"; ""))] | @tsv' <<<"$json")" = \
    "$(printf 'rule\tI_SLICE_CHOSEN\tinfo\t\trules.md#universal-binaries')" ] || fail "--json: $json"
  [ "$("$enoexec" explain --json | jq -s length)" = "$(wc -l <"$work/listed")" ] || fail "--json listing"
fi

# A fix names the file shell-quoted: pasting it runs no command the name smuggles in.
printf '#!/bin/sh\necho hi\n' >"$work/x;touch PWNED;.sh"
chmod 0644 "$work/x;touch PWNED;.sh"
status=0
(cd "$work" && "$enoexec" check 'x;touch PWNED;.sh') >"$work/check" 2>&1 || status=$?
[ "$status" = 1 ] || fail "check of a file without x bit exited $status: $(cat "$work/check")"
grep -qF "fix: chmod +x 'x;touch PWNED;.sh'" "$work/check" || fail "fix not quoted: $(cat "$work/check")"
echo "explain: codes explained, matched without case, typos suggested, listing = docs/rules.md"
