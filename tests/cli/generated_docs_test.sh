#!/bin/bash
# generated_docs_test.sh ENOEXEC SHARE_DIR: the man page and shell completions the build wrote
# under SHARE_DIR with `enoexec --generate KIND` (docs/man-and-completions.md) say what the
# program says. The independent witness is `enoexec COMMAND --help`:
#   - the files are what the binary generates now, and --help does not show --generate;
#   - `man -l` renders enoexec.1 with every command, under it every long option its --help lists,
#     and EXIT STATUS with every status its --help lists;
#   - the bash completion function, called as bash calls it (COMP_WORDS, COMP_CWORD, COMP_LINE,
#     COMP_POINT), completes commands, options, --target profiles and platforms, choices, files;
#   - zsh -n and fish -n accept their files, and fish completes --target.
# Without man, zsh, fish or bash-completion (Debian: man-db, zsh, fish, bash-completion) the
# test is skipped (exit 77), unless ENOEXEC_REQUIRE_INPUTS=1, where it fails.
set -u
usage="usage: generated_docs_test.sh ENOEXEC SHARE_DIR"
enoexec=$(realpath "${1:?$usage}")
share=$(realpath "${2:?$usage}")
man_page=$share/man/man1/enoexec.1
bash_file=$share/bash-completion/completions/enoexec
zsh_file=$share/zsh/site-functions/_enoexec
fish_file=$share/fish/vendor_completions.d/enoexec.fish
bash_completion=/usr/share/bash-completion/bash_completion

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for tool in man zsh fish; do
  command -v "$tool" >/dev/null || unavailable "no $tool"
done
[ -r "$bash_completion" ] || unavailable "no $bash_completion (bash-completion)"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# --- the files, as the binary generates them now ---------------------------------------------
for kind_file in "man:$man_page" "bash:$bash_file" "zsh:$zsh_file" "fish:$fish_file"; do
  kind=${kind_file%%:*} file=${kind_file#*:}
  if [ ! -s "$file" ]; then fail "$file is missing or empty"; continue; fi
  "$enoexec" --generate "$kind" >"$dir/now" || fail "enoexec --generate $kind exits $?"
  cmp -s "$dir/now" "$file" || fail "$file differs from what enoexec --generate $kind prints now"
done
[ "$failures" = 0 ] || { echo "$failures failure(s)"; exit 1; }
"$enoexec" --help | grep -q -e --generate && fail "--help shows the hidden --generate"
"$enoexec" >/dev/null 2>&1
status=$?
[ "$status" = 2 ] || fail "enoexec without a command exits $status, not 2"

# --- the witness: commands, their long options and exit statuses, from --help -----------------
mapfile -t commands < <("$enoexec" --help | awk '/^Subcommands:/ {on = 1; next} /^$/ {on = 0} on {print $1}')
[ "${#commands[@]}" -ge 5 ] || fail "enoexec --help lists ${#commands[@]} commands: ${commands[*]}"
long_options() {  # COMMAND: the long options its --help lists, one per line
  "$enoexec" "$1" --help | awk '/^[A-Za-z]+:$/ {on = ($0 == "Options:"); next} on && /^  -/ {print $1}' |
    tr ',' '\n' | grep -e '^--' | sort -u
}
exit_codes() {  # COMMAND: the exit statuses its --help lists
  "$enoexec" "$1" --help | awk '/^Exit status:$/ {on = 1; next} on && /^  [0-9]+  / {print $1; next} {on = 0}'
}

# --- the man page ----------------------------------------------------------------------------
MANWIDTH=100 MANPAGER=cat PAGER=cat man -l "$man_page" 2>"$dir/man.err" | col -bx >"$dir/man.txt"
[ -s "$dir/man.txt" ] || fail "man -l $man_page rendered nothing: $(cat "$dir/man.err")"
section() {  # HEADING SUBHEADING: the rendered lines of one subsection
  awk -v h="$1" -v s="   $2" '/^[A-Z]/ {in_h = ($0 == h); in_s = 0; next}
                              in_h && /^   [^ ]/ {in_s = ($0 == s); next}
                              in_s {print}' "$dir/man.txt"
}
for heading in NAME SYNOPSIS DESCRIPTION COMMANDS "EXIT STATUS" ENVIRONMENT EXAMPLES "SEE ALSO"; do
  grep -qx "$heading" "$dir/man.txt" || fail "the man page has no $heading section"
done
grep -q "enoexec $("$enoexec" --version | awk '{print $2}')" "$dir/man.txt" || fail "the man page does not name the version"
grep -q -e --generate "$dir/man.txt" && fail "the man page shows the hidden --generate"
grep -qE -e '^       --color WHEN$' "$dir/man.txt" || fail "the man page lists no global --color WHEN"
grep -qx 'ENVIRONMENT' "$dir/man.txt" && grep -qE '^       NO_COLOR$' "$dir/man.txt" ||
  fail "the man page's ENVIRONMENT does not name NO_COLOR"
for command in "${commands[@]}"; do
  section COMMANDS "$command" >"$dir/command.txt"
  [ -s "$dir/command.txt" ] || { fail "the man page has no COMMANDS subsection $command"; continue; }
  mapfile -t options < <(long_options "$command")
  [ "${#options[@]}" -gt 0 ] || fail "enoexec $command --help lists no long option"
  for option in "${options[@]}"; do
    grep -qE -e "^       (-[A-Za-z0-9], )?$option( |,|\$)" "$dir/command.txt" ||
      fail "the man page lists no $option under $command"
  done
  section "EXIT STATUS" "enoexec $command" >"$dir/status.txt"
  mapfile -t codes < <(exit_codes "$command")
  [ "${#codes[@]}" -gt 0 ] || fail "enoexec $command --help lists no exit status"
  for code in "${codes[@]}"; do
    grep -qE "^       $code +[^ ]" "$dir/status.txt" || fail "EXIT STATUS of $command in the man page lacks $code"
  done
done

# --- bash ------------------------------------------------------------------------------------
# LINE (split at spaces; a trailing space starts an empty word): COMPREPLY, one word a line.
bash_complete() {
  (cd "$dir/files" && bash --norc --noprofile -c '
    source "$1" >/dev/null 2>&1
    source "$2" || exit 1
    function=$(complete -p enoexec | sed -n "s/.* -F \([^ ]*\) .*/\1/p")
    [ -n "$function" ] || { echo "no completion function registered for enoexec" >&2; exit 1; }
    read -ra COMP_WORDS <<<"$3"
    [[ $3 == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
    COMP_LINE=$3
    COMP_POINT=${#3}
    COMPREPLY=()
    "$function" enoexec "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_completion" "$bash_file" "$1")
}
expect_bash() {  # LINE WORD...: completing LINE offers every WORD
  local line=$1 word
  shift
  bash_complete "$line" >"$dir/reply" 2>&1 || { fail "bash: '$line': $(cat "$dir/reply")"; return; }
  for word in "$@"; do
    grep -qxF -e "$word" "$dir/reply" || fail "bash: '$line<TAB>' does not offer $word (offers: $(tr '\n' ' ' <"$dir/reply"))"
  done
}
mkdir -p "$dir/files" && touch "$dir/files/prog-arm64" "$dir/files/other"
expect_bash "enoexec " "${commands[@]}"
expect_bash "enoexec check --" --target --json
expect_bash "enoexec check --target rpi-" rpi-zero
expect_bash "enoexec check --target linux/arm" linux/arm/v7
expect_bash "enoexec scan --fail-on w" warning
expect_bash "enoexec scan --fail-on = w" warning  # how bash splits --fail-on=w
expect_bash "enoexec inspect prog" prog-arm64
expect_bash "enoexec help " "${commands[@]}"
expect_bash "enoexec --color " auto always never
expect_bash "enoexec check --color " always never  # a global option works after the command too
expect_bash "enoexec scan --" --color --sarif
for command in "${commands[@]}"; do
  mapfile -t options < <(long_options "$command")
  expect_bash "enoexec $command --" "${options[@]}"
done
bash_complete "enoexec check --target rpi-" | grep -v -e '^rpi-' >"$dir/reply"
[ -s "$dir/reply" ] && fail "bash: '--target rpi-<TAB>' offers words without the prefix: $(head -3 "$dir/reply")"

# --- zsh and fish ----------------------------------------------------------------------------
zsh -n "$zsh_file" 2>"$dir/zsh.err" || fail "zsh -n $zsh_file: $(cat "$dir/zsh.err")"
head -1 "$zsh_file" | grep -qx '#compdef enoexec' || fail "$zsh_file does not start with #compdef enoexec"
fish --no-config -n "$fish_file" 2>"$dir/fish.err" || fail "fish -n $fish_file: $(cat "$dir/fish.err")"
expect_fish() {  # LINE WORD...: `complete -C LINE` offers every WORD
  local line=$1 word
  shift
  fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$fish_file" "$line" 2>&1 | cut -f1 >"$dir/reply"
  for word in "$@"; do
    grep -qxF -e "$word" "$dir/reply" || fail "fish: '$line' does not offer $word (offers: $(head -5 "$dir/reply" | tr '\n' ' '))"
  done
}
expect_fish "enoexec " "${commands[@]}"
expect_fish "enoexec check --" --target --json
expect_fish "enoexec check --target rpi-" rpi-zero
expect_fish "enoexec check --target linux/arm" linux/arm/v7
expect_fish "enoexec help " "${commands[@]}"
expect_fish "enoexec --color " auto always never
expect_fish "enoexec check --color " always

if [ "$failures" != 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "ok: man page, bash, zsh and fish completions agree with --help (${#commands[@]} commands)"
