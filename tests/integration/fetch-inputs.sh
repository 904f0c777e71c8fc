#!/usr/bin/env bash
# Builds or downloads the integration inputs: runs every recipes/*.sh (except lib.sh) as
# `bash RECIPE OUT_DIR/<recipe>` and caches each result behind a `.done` stamp.
# Usage: tests/integration/fetch-inputs.sh OUT_DIR      (see README.md for the contract)
set -euo pipefail
export LC_ALL=C

if [ $# -ne 1 ]; then
  echo "usage: $0 OUT_DIR" >&2
  exit 2
fi
mkdir -p "$1"
out=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
recipes=$here/recipes
verbose=${ENOEXEC_FETCH_VERBOSE:-0}

# The stamp names the exact recipe and helper text the directory was made from: the recipe,
# lib.sh, and the helper programs beside them (*.py) that the recipe names.
stamp_of() {
  local recipe helpers
  recipe=$(basename "$1")
  mapfile -t helpers < <(cd "$recipes" && grep -o '[A-Za-z0-9_]*\.py' "$recipe" | sort -u |
    while read -r name; do [ -f "$name" ] && echo "$name"; done)
  (cd "$recipes" && sha256sum "$recipe" lib.sh "${helpers[@]}")
}

# Every manifest line must be one JSON object whose file exists beneath the recipe directory.
check_manifest() {
  local dir=$1 manifest=$1/manifest.jsonl line file n=0
  [ -s "$manifest" ] || { echo "no manifest.jsonl (or an empty one) in $dir"; return 1; }
  while IFS= read -r line; do
    n=$((n + 1))
    file=$(jq -er 'select(type == "object" and (.expect | type) == "object"
                          and (.made_by | type) == "string") | .file' <<<"$line" 2>/dev/null) ||
      { echo "manifest.jsonl line $n is not {file, made_by, expect}: $line"; return 1; }
    [ -f "$dir/$file" ] || { echo "manifest.jsonl line $n names a missing file: $file"; return 1; }
  done <"$manifest"
}

failed=()
for recipe in "$recipes"/*.sh; do
  name=$(basename "$recipe" .sh)
  [ "$name" = lib ] && continue
  dir=$out/$name
  stamp=$(stamp_of "$recipe")
  if [ -f "$dir/.done" ] && [ "$(cat "$dir/.done")" = "$stamp" ]; then
    printf '%-20s cached (%d files)\n' "$name" "$(wc -l <"$dir/manifest.jsonl")"
    continue
  fi
  rm -rf "$dir"
  log=$out/$name.log
  start=$(date +%s)
  status=0
  if [ "$verbose" = 1 ]; then
    bash "$recipe" "$dir" 2>&1 | tee "$log" || status=$?
  else
    bash "$recipe" "$dir" >"$log" 2>&1 || status=$?
  fi
  if [ "$status" -eq 0 ]; then
    problem=$(check_manifest "$dir") || status=1
    [ "$status" -eq 0 ] || echo "$problem" >>"$log"
  fi
  if [ "$status" -ne 0 ]; then
    printf '%-20s FAILED (exit %d) after %d s; last lines of %s:\n' \
      "$name" "$status" "$(($(date +%s) - start))" "$log"
    tail -n 15 "$log" | sed 's/^/    /'
    failed+=("$name")
    continue
  fi
  echo "$stamp" >"$dir/.done"
  printf '%-20s built %d files in %d s\n' "$name" "$(wc -l <"$dir/manifest.jsonl")" \
    "$(($(date +%s) - start))"
done

if [ ${#failed[@]} -ne 0 ]; then
  echo "ERROR: recipe(s) failed: ${failed[*]}; the integration inputs under $out are incomplete" >&2
  exit 1
fi
