#!/bin/bash
# run.sh: the "Scan" step of the GitHub Action (action.yml at the repository root).
#
# Runs `enoexec scan` (the one on PATH) over the paths, prints its report to the log and the job
# summary, writes a SARIF file when asked, and exits with scan's own status: 0 when nothing fails
# on the target, 1 when something does (or has a warning, with fail-on warning), 2 on usage or
# I/O errors (also for a bad input here).
#
# Environment (the Action sets these from its inputs):
#   ENOEXEC_PATHS          what to scan, ONE PATH PER LINE (default "."). Spaces belong to the
#                          path; blank lines and the blanks around each line are ignored; no
#                          globbing, no variables, no quotes. Relative to the working directory.
#   ENOEXEC_TARGET         the machine to judge for (--target); empty: the runner itself.
#   ENOEXEC_FAIL_ON        error (default), warning or never (--fail-on).
#   ENOEXEC_SARIF          true/false: also write a SARIF 2.1.0 file for code scanning.
#   ENOEXEC_SARIF_FILE     where (default enoexec.sarif).
#   ENOEXEC_ONLY_FAILURES  true (default)/false: the log lists only what fails the gate; the
#                          summary table counts everything, and the SARIF file has every error
#                          and warning.
#   ENOEXEC_ARGS           more options for scan, split on blanks (no quotes, no globbing):
#                          "--exclude node_modules --exclude *.so --root sysroot".
#   ENOEXEC_SOURCE_URL     where the enoexec release's sources are (install.sh's source-url
#                          output): SARIF rules link to docs/rules.md under it (--sarif-help-uri;
#                          without it, the program's own default link).
#   GITHUB_WORKSPACE       the checkout: SARIF locations are relative to it (--sarif-base;
#                          default: $PWD).
# Outputs ($GITHUB_OUTPUT when set): exit-code, sarif-file (set once the SARIF file is written).
set -uo pipefail

bad_input() {
  echo "::error title=enoexec scan::$*" >&2
  exit 2
}

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"
  fi
}

boolean() {  # NAME VALUE DEFAULT: prints true or false
  local value=${2:-$3}
  case "${value,,}" in
    true) echo true ;;
    false) echo false ;;
    *) bad_input "input $1: '$2' is neither true nor false" ;;
  esac
}

command -v enoexec >/dev/null 2>&1 || bad_input "enoexec is not on PATH (the install step puts it there)"

# Paths: one per line.
paths=()
while IFS= read -r line || [ -n "$line" ]; do
  line=${line%$'\r'}
  line="${line#"${line%%[![:space:]]*}"}"  # blanks before
  line="${line%"${line##*[![:space:]]}"}"  # blanks after
  [ -n "$line" ] && paths+=("$line")
done <<< "${ENOEXEC_PATHS-.}"
[ ${#paths[@]} -gt 0 ] || bad_input "input paths: no path given"

fail_on=${ENOEXEC_FAIL_ON:-error}
case "$fail_on" in
  error | warning | never) ;;
  *) bad_input "input fail-on: '$fail_on' is not error, warning or never" ;;
esac
sarif=$(boolean sarif "${ENOEXEC_SARIF:-}" false) || exit 2
only_failures=$(boolean only-failures "${ENOEXEC_ONLY_FAILURES:-}" true) || exit 2
sarif_file=${ENOEXEC_SARIF_FILE:-enoexec.sarif}

# Options shared by the log run and the SARIF run. ENOEXEC_ARGS is split on blanks with
# globbing off: its words are arguments, never shell code.
options=(--fail-on "$fail_on")
if [ -n "${ENOEXEC_TARGET:-}" ]; then
  options+=(--target "$ENOEXEC_TARGET")
fi
set -f
# shellcheck disable=SC2206  # splitting is the point; globbing is off
extra=(${ENOEXEC_ARGS:-})
set +f
options+=("${extra[@]}")

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The log: scan's own report, in path order. `--` ends the options, so a path may start with -.
log_options=(--sort path)
[ "$only_failures" = true ] && log_options+=(--only-failures)
printf '%q ' enoexec scan "${log_options[@]}" "${options[@]}" -- "${paths[@]}"
echo
# File names are the repository's, not ours: a line of the report that starts with "::" must not
# be taken for a workflow command, so the runner stops reading them until the token comes back.
token="enoexec-$(od -An -N16 -tx1 /dev/urandom | tr -d " \n")"
[ -n "${GITHUB_ACTIONS:-}" ] && echo "::stop-commands::$token"
enoexec scan "${log_options[@]}" "${options[@]}" -- "${paths[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
[ -n "${GITHUB_ACTIONS:-}" ] && echo "::$token::"
output exit-code "$status"

if [ "$sarif" = true ]; then
  mkdir -p -- "$(dirname -- "$sarif_file")"
  # Every error and warning found, whatever only-failures says (notes, such as a shared library
  # without an x bit, are left out). Locations relative to the checkout, which code scanning
  # takes them to be; rules linked to docs/rules.md of the installed release.
  sarif_options=(--sarif --sarif-base "${GITHUB_WORKSPACE:-$PWD}")
  if [ -n "${ENOEXEC_SOURCE_URL:-}" ]; then
    sarif_options+=(--sarif-help-uri "${ENOEXEC_SOURCE_URL%/}/docs/rules.md")
  fi
  enoexec scan "${sarif_options[@]}" --sort path "${options[@]}" -- "${paths[@]}" > "$sarif_file"
  sarif_status=$?
  # Status 2 with a whole document is fine (entries not read are listed in it); a document
  # ends in "}" and a newline, one cut short does not.
  if [ "$sarif_status" -gt 2 ] || ! [ -s "$sarif_file" ] || [ "$(tail -c 2 -- "$sarif_file")" != "}" ]; then
    echo "::error title=enoexec scan::the SARIF run exited with $sarif_status and wrote no whole SARIF file"
    [ "$status" -ne 0 ] || status=2
  else
    echo "SARIF written to $sarif_file"
    output sarif-file "$sarif_file"
  fi
fi

# The job summary: the report (long ones cut in the middle, the table at the end kept).
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  lines=$(wc -l < "$log")
  {
    echo "### enoexec scan: exit status $status"
    echo
    echo '```text'
    if [ "$lines" -le 300 ]; then
      cat "$log"
    else
      head -n 250 "$log"
      echo "... $((lines - 280)) lines more in the log ..."
      tail -n 30 "$log"
    fi
    echo '```'
  } >> "$GITHUB_STEP_SUMMARY"
fi

case "$status" in
  0) ;;
  1) echo "::error title=enoexec scan::programs will not run on the target (fail-on: $fail_on); each one's problem and fix are listed above" ;;
  *) echo "::error title=enoexec scan::enoexec scan exited with status $status (usage or I/O errors; see above)" ;;
esac
exit "$status"
