#!/bin/bash
# sarif_schema_test.sh ENOEXEC CACHE_DIR [INPUTS_DIR]: `enoexec scan --sarif` validates against the
# SARIF 2.1.0 JSON schema, and says what `scan --json` says: one result per problem, each rule
# described once, every location relative to its scanned root.
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

unavailable() {
  if [ "${ENOEXEC_REQUIRE_INPUTS:-0}" = 1 ]; then echo "FAIL: $* (ENOEXEC_REQUIRE_INPUTS=1)"; exit 1; fi
  echo "SKIP: $*"
  exit 77
}

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

cd "$dir" || exit 1
"$enoexec" scan --sarif --sort path tree "$tree/scripts/fine.sh" > out.sarif
status=$?
[ "$status" = 1 ] || { echo "FAIL: scan --sarif exit status $status, expected 1"; exit 1; }
"$enoexec" scan --json --sort path tree "$tree/scripts/fine.sh" > out.jsonl

"$python" - "$schema" out.sarif out.jsonl "$dir" <<'EOF'
import json, sys, urllib.parse
import jsonschema

schema_path, sarif_path, jsonl_path, base = sys.argv[1:5]
failures = []
def check(ok, what):
    if not ok:
        failures.append(what)

schema = json.load(open(schema_path))
log = json.load(open(sarif_path))
validator = jsonschema.validators.validator_for(schema)(schema)
errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
for error in errors[:10]:
    failures.append(f"schema: {list(error.path)}: {error.message}")

check(log.get("version") == "2.1.0", "version is not 2.1.0")
check(len(log.get("runs", [])) == 1, "not exactly one run")
run = log["runs"][0]
driver = run["tool"]["driver"]
check(driver["name"] == "enoexec" and driver.get("version"), "tool.driver name/version")
rule_ids = [rule["id"] for rule in driver["rules"]]
check(len(rule_ids) == len(set(rule_ids)), f"a rule listed twice: {rule_ids}")
for rule in driver["rules"]:
    check(rule["shortDescription"]["text"] and rule["helpUri"].startswith("docs/rules.md#"),
          f"rule {rule['id']}: shortDescription/helpUri")

# What scan --json says about the same trees: one result per problem, same code, same level.
expected = []
for line in open(jsonl_path, "rb"):
    obj = json.loads(line)
    for problem in obj.get("problems", []):
        expected.append((obj["path"], problem["code"], problem["severity"], problem["message"]))
levels = {"error": "error", "warning": "warning", "info": "note"}
bases = run["originalUriBaseIds"]
check(set(bases) == {"SCANROOT", "SCANROOT2"}, f"originalUriBaseIds: {sorted(bases)}")
check(bases["SCANROOT"]["uri"] == "file://" + urllib.parse.quote(base + "/tree/"),
      f"SCANROOT is {bases['SCANROOT']['uri']}")
check(bases["SCANROOT2"]["uri"] == "file://" + urllib.parse.quote(base + "/tree/scripts/"),
      f"SCANROOT2 is {bases['SCANROOT2']['uri']}")
got = []
for result in run["results"]:
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    uri, base_id = location["uri"], location["uriBaseId"]
    check(not uri.startswith("/") and ":" not in uri.split("/")[0], f"URI not relative: {uri}")
    prefix = "tree/" if base_id == "SCANROOT" else ""
    path = prefix + urllib.parse.unquote(uri, errors="surrogateescape")
    check(result["ruleId"] in rule_ids, f"{result['ruleId']} has no rule")
    got.append((path, result["ruleId"], result["level"], result["message"]["text"]))
check(len(got) == len(expected), f"{len(got)} results for {len(expected)} problems")
for (path, code, severity, message), (gpath, gcode, glevel, gtext) in zip(expected, got):
    want_path = path if path.startswith("tree/") else "fine.sh"
    check(want_path.encode("utf-8", "surrogateescape") == gpath.encode("utf-8", "surrogateescape")
          or "\ufffd" in want_path, f"location {gpath!r} for {path!r}")
    check(code == gcode and levels.get(severity, "note") == glevel, f"{gcode}/{glevel} for {code}/{severity}")
    check(gtext.startswith(message), f"message {gtext!r} does not start with {message!r}")
codes = {code for _, code, _, _ in expected}
for needed in ("E_SCRIPT_CRLF", "E_INTERP_MISSING", "E_NOT_EXECUTABLE"):
    check(needed in codes, f"the tree should give {needed}; got {sorted(codes)}")
uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
check("odd%20names/a%20b%3Ac%25d%23e%3F.sh" in uris, f"the odd name is not escaped as expected: {uris}")
check("odd%20names/bad%FFbyte" in uris, f"the non-UTF-8 name is not escaped as expected: {uris}")

if failures:
    print("\n".join("FAIL: " + f for f in failures))
    sys.exit(1)
print(f"ok: {len(got)} results, {len(rule_ids)} rules, valid SARIF 2.1.0")
EOF
