#!/usr/bin/env bash
# readme_example_test.sh ENOEXEC SOURCE_DIR: the README's example session is what the program
# prints today. Every `$ enoexec ...` line of the README's ```console blocks is run from the
# source directory (the samples are there) with the built binary, standard error merged as a
# terminal shows it, and its output must equal the lines that follow it in the README. The
# examples name their targets, so the output does not depend on the machine.
set -uo pipefail
enoexec=$(realpath "$1")
cd "$2" || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
commands=0

check_one() {  # the command in $work/cmd, the expected output in $work/want
  commands=$((commands + 1))
  local line
  line=$(cat "$work/cmd")
  # The README spells the program `enoexec`; run the built one, without a shell's word games.
  eval "set -- ${line#enoexec }"
  NO_COLOR=1 "$enoexec" "$@" >"$work/got" 2>&1
  if ! diff -u "$work/want" "$work/got" >"$work/diff"; then
    echo "FAIL: \$ $line"
    cat "$work/diff"
    failures=$((failures + 1))
  fi
}

in_block=0
have=0
while IFS= read -r text; do
  if [ "$in_block" = 0 ]; then
    [ "$text" = '```console' ] && in_block=1
    continue
  fi
  if [ "$text" = '```' ] || [[ $text == '$ '* ]]; then
    if [ "$have" = 1 ]; then
      # The blank line between examples belongs to neither.
      sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$work/want" >"$work/want.trimmed"
      mv "$work/want.trimmed" "$work/want"
      check_one
      have=0
    fi
    if [ "$text" = '```' ]; then in_block=0; continue; fi
    printf '%s\n' "${text#\$ }" >"$work/cmd"
    : >"$work/want"
    have=1
    continue
  fi
  [ "$have" = 1 ] && printf '%s\n' "$text" >>"$work/want"
done <README.md

[ "$commands" -gt 0 ] || { echo "FAIL: no \$ enoexec lines in README.md's console blocks"; exit 1; }
[ "$failures" = 0 ] || { echo "$failures of $commands README examples differ"; exit 1; }
echo "ok: $commands README examples"
