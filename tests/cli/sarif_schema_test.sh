#!/bin/bash
# sarif_schema_test.sh ENOEXEC CACHE_DIR [INPUTS_DIR]: `enoexec scan --sarif` validates against the
# SARIF 2.1.0 JSON schema, says what `scan --json` says (one result per error or warning, each
# rule described once), and keeps the rules code scanning applies to an upload: every helpUri an
# absolute https URL, every location under the base (the current directory or --sarif-base) a
# plain relative path naming the right file, one outside it an absolute file:// URI; notes only
# with --sarif-notes.
#
# The schema is the OASIS committee's final 2.1.0 schema (2.1.0-rtm.5, draft-04) as shipped in the
# npm package @microsoft/jest-sarif; it is fetched once with `npm pack` into CACHE_DIR (the build
# directory), never into the source tree. The validator is Python's jsonschema (Debian:
# python3-jsonschema). Without either the test is skipped (exit 77), unless
# ENOEXEC_REQUIRE_INPUTS=1, where it fails.
set -u
enoexec=$(realpath "${1:?usage: sarif_schema_test.sh ENOEXEC CACHE_DIR [INPUTS_DIR]}")
cache=${2:?usage: sarif_schema_test.sh ENOEXEC CACHE_DIR [INPUTS_DIR]}
inputs=${3:+$(realpath "$3")}
package=@microsoft/jest-sarif@1.0.0-beta.0
schema_in_package=package/lib/schemas/sarif-2.1.0-rtm.5.json

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "$cache" || unavailable "cannot create $cache"
cache=$(realpath "$cache")
schema="$cache/sarif-2.1.0-rtm.5.json"
if [ ! -s "$schema" ]; then
  command -v npm >/dev/null || unavailable "no npm to fetch the SARIF schema ($package)"
  fetch=$(mktemp -d)
  if (cd "$fetch" && timeout 300 npm pack --silent "$package" >/dev/null 2>&1) &&
      tar -xzf "$fetch"/*.tgz -C "$fetch" "$schema_in_package" 2>/dev/null; then
    mv "$fetch/$schema_in_package" "$schema"
  fi
  rm -rf "$fetch"
  [ -s "$schema" ] || unavailable "could not fetch the SARIF schema with npm pack $package"
fi
python=
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import jsonschema' 2>/dev/null; then python=$candidate; break; fi
done
[ -n "$python" ] || unavailable "no Python jsonschema module (apt-get install python3-jsonschema)"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
tree="$dir/tree"
mkdir -p "$tree/scripts" "$tree/odd names"
printf '#!/bin/sh\necho fine\n' > "$tree/scripts/fine.sh"
printf '#!/bin/sh\r\necho crlf\r\n' > "$tree/scripts/crlf.sh"
printf '#!/nonexistent/interpreter\n' > "$tree/scripts/missing-interpreter"
printf '#!/bin/sh\n' > "$tree/scripts/not-executable.sh"
printf '#!/bin/sh\r\n' > "$tree/odd names/a b:c%d#e?.sh"
printf '#!/bin/sh\r\n' > "$tree/odd names/$(printf 'bad\377byte')"
chmod +x "$tree/scripts/fine.sh" "$tree/scripts/crlf.sh" "$tree/scripts/missing-interpreter" \
  "$tree/odd names/"*
# Real programs for other machines, when the integration inputs are there.
if [ -n "$inputs" ] && [ -d "$inputs/cross-c" ]; then
  mkdir -p "$tree/cross"
  for f in aarch64-linux-gnu/hello x86_64-linux-musl/hello i686-linux-gnu/hello; do
    [ -f "$inputs/cross-c/$f" ] && cp "$inputs/cross-c/$f" "$tree/cross/${f%%/*}-hello"
  done
  chmod +x "$tree/cross/"* 2>/dev/null
fi

# A shared library stored 0644, as Debian installs them: nobody runs it, so scan gives no result
# for it (issue #16, item 9). Copied from a library of this machine.
for so in "/lib/$(uname -m)-linux-gnu/libm.so.6" /lib64/libm.so.6; do
  if [ -f "$so" ]; then
    mkdir -p "$tree/lib" && cp "$so" "$tree/lib/libm.so.6" && chmod 644 "$tree/lib/libm.so.6"
    break
  fi
done
outside="$dir/outside"
mkdir -p "$outside"
printf '#!/bin/sh\r\n' > "$outside/crlf.sh"
chmod +x "$outside/crlf.sh"

cd "$dir" || exit 1
"$enoexec" scan --sarif --sort path tree "$tree/scripts/fine.sh" > out.sarif
status=$?
[ "$status" = 1 ] || { echo "FAIL: scan --sarif exit status $status, expected 1"; exit 1; }
"$enoexec" scan --json --sort path tree "$tree/scripts/fine.sh" > out.jsonl
# Relative to --sarif-base (given relative, with a trailing slash), with notes, a root outside
# the base, and the rules linked to another copy of docs/rules.md.
"$enoexec" scan --sarif --sort path --sarif-base tree/ --sarif-notes \
  --sarif-help-uri https://docs.example.org/enoexec/rules.md tree "$outside" > based.sarif
status=$?
[ "$status" = 1 ] || { echo "FAIL: scan --sarif --sarif-base exit status $status, expected 1"; exit 1; }
# A note (severity info) is a result only with --sarif-notes: a Go program for macOS judged on a
# bare darwin/arm64 platform, whose macOS version is not stated (I_MACOS_VERSION_UNKNOWN).
macho=
if [ -n "$inputs" ] && [ -f "$inputs/macho/go/darwin-arm64/hello" ]; then
  macho=$inputs/macho/go/darwin-arm64/hello
  for notes in with without; do
    flag=$([ "$notes" = with ] && echo --sarif-notes)
    # shellcheck disable=SC2086  # no flag, or one word
    "$enoexec" scan --sarif $flag --target darwin/arm64 "$macho" > "notes-$notes.sarif"
    status=$?
    [ "$status" = 0 ] || { echo "FAIL: scan --sarif $flag --target darwin/arm64: exit status $status"; exit 1; }
  done
fi
# A usage error, not a document: a relative help link, a base that is not there.
for bad in "--sarif-help-uri docs/rules.md" "--sarif-base nowhere" "--sarif-notes"; do
  # shellcheck disable=SC2086  # the words are the options
  if [ "$bad" = --sarif-notes ]; then
    "$enoexec" scan $bad tree > bad.out 2>&1
  else
    "$enoexec" scan --sarif $bad tree > bad.out 2>&1
  fi
  [ $? = 2 ] || { echo "FAIL: scan --sarif $bad: exit status not 2: $(cat bad.out)"; exit 1; }
done

"$python" - "$schema" out.sarif out.jsonl "$dir" based.sarif "$outside" "$macho" <<'EOF'
import json, re, sys, urllib.parse
import jsonschema

schema_path, sarif_path, jsonl_path, base, based_path, outside, macho = sys.argv[1:8]
failures = []
def check(ok, what):
    if not ok:
        failures.append(what)

schema = json.load(open(schema_path))
validator = jsonschema.validators.validator_for(schema)(schema)

def load(path):
    log = json.load(open(path))
    for error in sorted(validator.iter_errors(log), key=lambda e: list(e.path))[:10]:
        failures.append(f"{path}: schema: {list(error.path)}: {error.message}")
    return log

def upload_rules(path, log, help_prefix):
    """What code scanning applies to an upload: absolute help links; locations as relative paths
    from the repository root (uriBaseId is ignored), or absolute file:// URIs."""
    run = log["runs"][0]
    for rule in run["tool"]["driver"]["rules"]:
        uri = rule.get("helpUri", "")
        check(re.fullmatch(r"https://[^\s#]+#[a-z0-9_-]+", uri) and uri.startswith(help_prefix),
              f"{path}: rule {rule['id']}: helpUri {uri!r}")
        check(rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
              and rule["help"]["text"] and rule["help"]["markdown"], f"{path}: rule {rule['id']}: texts")
    for result in run["results"]:
        loc = result["locations"][0]["physicalLocation"]["artifactLocation"]
        uri = loc["uri"]
        if uri.startswith("file://"):
            check("uriBaseId" not in loc, f"{path}: file:// URI with a uriBaseId: {loc}")
            continue
        check(loc.get("uriBaseId") == "%SRCROOT%", f"{path}: uriBaseId of {loc}")
        check(not uri.startswith(("/", "..", "./")) and "/../" not in uri and "//" not in uri
              and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", uri), f"{path}: not a plain relative URI: {uri}")

log = load(sarif_path)
check(log.get("version") == "2.1.0", "version is not 2.1.0")
check(len(log.get("runs", [])) == 1, "not exactly one run")
run = log["runs"][0]
driver = run["tool"]["driver"]
check(driver["name"] == "enoexec" and driver.get("version"), "tool.driver name/version")
rule_ids = [rule["id"] for rule in driver["rules"]]
check(len(rule_ids) == len(set(rule_ids)), f"a rule listed twice: {rule_ids}")
upload_rules(sarif_path, log, "https://")
check(run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file://" + urllib.parse.quote(base + "/")}},
      f"originalUriBaseIds: {run['originalUriBaseIds']}")

# What scan --json says about the same trees: one result per problem (notes left out), same
# code, same level, on the same file: the current directory is the base.
expected = []
for line in open(jsonl_path, "rb"):
    obj = json.loads(line)
    for problem in obj.get("problems", []):
        if problem["severity"] != "info":
            expected.append((obj["path"], problem["code"], problem["severity"], problem["message"]))
levels = {"error": "error", "warning": "warning"}
got = []
for result in run["results"]:
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    check(result["ruleId"] in rule_ids, f"{result['ruleId']} has no rule")
    check(result["level"] != "note", f"a note without --sarif-notes: {result}")
    got.append((urllib.parse.unquote(uri, errors="surrogateescape"), result["ruleId"], result["level"],
                result["message"]["text"]))
check(len(got) == len(expected), f"{len(got)} results for {len(expected)} problems")
for (path, code, severity, message), (gpath, gcode, glevel, gtext) in zip(expected, got):
    want_path = path[len(base) + 1:] if path.startswith(base + "/") else path
    check(want_path.encode("utf-8", "surrogateescape") == gpath.encode("utf-8", "surrogateescape")
          or "\ufffd" in want_path, f"location {gpath!r} for {path!r}")
    check(code == gcode and levels.get(severity) == glevel, f"{gcode}/{glevel} for {code}/{severity}")
    check(gtext.startswith(message), f"message {gtext!r} does not start with {message!r}")
codes = {code for _, code, _, _ in expected}
for needed in ("E_SCRIPT_CRLF", "E_INTERP_MISSING"):
    check(needed in codes, f"the tree should give {needed}; got {sorted(codes)}")
uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
# scan judges programs: a script nobody may execute is no result (issue #16, item 9).
check("tree/scripts/not-executable.sh" not in uris and "E_NOT_EXECUTABLE" not in codes,
      f"a file without an execute bit is a result: {uris}")
check("tree/scripts/crlf.sh" in uris and "tree/scripts/fine.sh" not in uris, f"the scripts: {uris}")
check("tree/odd%20names/a%20b%3Ac%25d%23e%3F.sh" in uris, f"the odd name is not escaped as expected: {uris}")
check("tree/odd%20names/bad%FFbyte" in uris, f"the non-UTF-8 name is not escaped as expected: {uris}")

# --sarif-base tree/: relative to it; the root outside it as file://; notes in; the help links.
based = load(based_path)
brun = based["runs"][0]
upload_rules(based_path, based, "https://docs.example.org/enoexec/rules.md#")
check(brun["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file://" + urllib.parse.quote(base + "/tree/")}},
      f"--sarif-base: originalUriBaseIds: {brun['originalUriBaseIds']}")
buris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r for r in brun["results"]}
check("scripts/crlf.sh" in buris, f"--sarif-base: {sorted(buris)}")
check("file://" + urllib.parse.quote(outside + "/crlf.sh") in buris, f"--sarif-base, outside: {sorted(buris)}")
notes = [u for u, r in buris.items() if r["level"] == "note"]
check(notes == [], f"--sarif-notes: notes {notes}")
check("lib/libm.so.6" not in buris and "tree/lib/libm.so.6" not in uris, "the 0644 library is a result")
if macho:
    with_notes = load("notes-with.sarif")["runs"][0]["results"]
    check([(r["ruleId"], r["level"]) for r in with_notes] == [("I_MACOS_VERSION_UNKNOWN", "note")],
          f"--sarif-notes: {with_notes}")
    without = load("notes-without.sarif")["runs"][0]["results"]
    check(without == [], f"a note without --sarif-notes: {without}")
else:
    print("note: no Mach-O input (build/inputs/macho): --sarif-notes not checked")

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print(f"ok: {len(got)} results, {len(rule_ids)} rules, valid SARIF 2.1.0 as code scanning takes it; "
      f"--sarif-base: {len(buris)} results")
EOF
