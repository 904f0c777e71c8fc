#!/bin/bash
# json_schema_test.sh ENOEXEC SCHEMA [INPUTS_DIR]: every object `inspect --json`, `check --json`,
# `scan --json` and `host --json` write validates against docs/enoexec.schema.json, starts with
# `record`, and a file name that is not UTF-8 carries its bytes in `path_bytes`. The schema is
# closed (additionalProperties/unevaluatedProperties false) wherever the set of keys is, so a key
# a writer adds without documenting it fails here; the test checks that the schema does refuse one,
# and that docs/json.md names every key of the schema.
#
# Inputs: the integration inputs (INPUTS_DIR, made by tests/integration/fetch-inputs.sh), samples/,
# a few system files (/bin/sh, libc.so.6), the recorded hosts and host roots of tests/fixtures/hosts,
# and a small tree made here (scripts, a FIFO, symlinks, names with bytes that are not UTF-8). The
# validator is Python's jsonschema (Debian: python3-jsonschema, 4.10 or later). Without it the test
# is skipped (exit 77); without the inputs it goes on with the rest. With ENOEXEC_REQUIRE_INPUTS=1
# either is a failure.
set -u
usage="usage: json_schema_test.sh ENOEXEC SCHEMA [INPUTS_DIR]"
enoexec=$(realpath "${1:?$usage}")
schema=$(realpath "${2:?$usage}")
inputs=${3:+$(realpath "$3")}

unavailable() {
  if [ "${ENOEXEC_REQUIRE_INPUTS:-0}" = 1 ]; then echo "FAIL: $* (ENOEXEC_REQUIRE_INPUTS=1)"; exit 1; fi
  echo "SKIP: $*"
  exit 77
}

python=
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import jsonschema; jsonschema.Draft202012Validator' 2>/dev/null; then
    python=$candidate
    break
  fi
done
[ -n "$python" ] || unavailable "no Python jsonschema module with draft 2020-12 (apt-get install python3-jsonschema)"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1

# The tree: every kind of entry scan writes, and names that are not UTF-8.
tree=tree
mkdir -p "$tree/scripts" "$tree/odd" "$tree/sub"
printf '#!/bin/sh\necho fine\n' > "$tree/scripts/fine.sh"
printf '#!/bin/sh\r\necho crlf\r\n' > "$tree/scripts/crlf.sh"
printf '#!/usr/bin/env -S python3 -u\n' > "$tree/scripts/env-s"
printf 'no magic here\n' > "$tree/notes.txt"
printf '#!/bin/sh\n' > "$tree/odd/$(printf 'a\377b')"
printf '#!/bin/sh\n' > "$tree/odd/$(printf 'caf\303\251')"
cp /bin/sh "$tree/odd/$(printf 'sh\376\375')"
chmod +x "$tree/scripts/"* "$tree/odd/"*
mkfifo "$tree/fifo"
ln -s ../notes.txt "$tree/sub/link"
ln -s /dev/zero "$tree/sub/zero"

files=("$tree"/scripts/* "$tree"/odd/* "$tree/notes.txt" /bin/sh)
for f in /usr/lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/libc.so.6 /usr/lib/aarch64-linux-gnu/libc.so.6; do
  if [ -f "$f" ]; then files+=("$f"); break; fi
done
roots=("$tree")
samples=$(dirname "$schema")/../samples  # the repository's own samples: Mach-O, PE, scripts
if [ -d "$samples" ]; then
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$samples" -type f -print0 | sort -z)
  roots+=("$samples")
fi
if [ -n "$inputs" ] && [ -d "$inputs" ] && [ -n "$(ls -A "$inputs" 2>/dev/null)" ]; then
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$inputs" -type f ! -name '*.log' -print0 | sort -z)
  roots+=("$inputs")
elif [ "${ENOEXEC_REQUIRE_INPUTS:-0}" = 1 ]; then
  echo "FAIL: no integration inputs in '${inputs:-}' (ENOEXEC_REQUIRE_INPUTS=1; run tests/integration/fetch-inputs.sh)"
  exit 1
else
  echo "note: no integration inputs ('${inputs:-}'); only system files and the test tree are validated"
fi

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
run() {  # OUT EXPECTED_STATUSES ARGS...: runs enoexec ARGS > OUT; any other exit status fails
  local out=$1 statuses=$2 status
  shift 2
  "$enoexec" "$@" > "$out" 2> "$out.err"
  status=$?
  case " $statuses " in *" $status "*) ;; *) fail "enoexec $1: exit status $status ($(head -c 300 "$out.err"))" ;; esac
  [ -s "$out" ] || fail "enoexec $1: no output"
}
unreadable=("$tree/fifo" "$tree/sub" "$tree/no-such-file")  # file records with `error`
run inspect.jsonl "2" inspect --json "${files[@]}" "${unreadable[@]}"
run check.jsonl "2" check --json "${files[@]}" "${unreadable[@]}"
run check-arm.jsonl "1 2" check --json --target rpi-zero "${files[@]}"
run scan.jsonl "0 1 2" scan --json --sort path --all "${roots[@]}"
run scan-target.jsonl "1 2" scan --json --sort path --target linux/arm64 --fail-on warning "${roots[@]}"
run host.json "0" host --json
run explain.jsonl "0" explain --json
# The fixture roots (tests/fixtures/hosts/root-*) give hosts with loaders and libraries; the
# recorded hosts beside them (*.json) are checked below as well.
fixtures=$(dirname "$schema")/../tests/fixtures/hosts
: > host-roots.json
for root in "$fixtures"/root-*/; do
  [ -d "$root" ] && run host-root.json "0" host --json --root "$root" && cat host-root.json >> host-roots.json
done

"$python" - "$schema" "$tree" "$fixtures" inspect.jsonl check.jsonl check-arm.jsonl scan.jsonl \
  scan-target.jsonl host.json host-roots.json explain.jsonl <<'EOF'
import base64, copy, glob, json, os, sys
import jsonschema

schema_path, tree, recorded_hosts = sys.argv[1:4]
outputs = sys.argv[4:]
failures = []
schema = json.load(open(schema_path))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

# Every object, in order: JSON Lines, or the one (indented) object of host --json.
first_keys = []  # of each object decoded, inner objects first
def keep_first_key(pairs):
    first_keys.append(pairs[0][0] if pairs else None)
    return dict(pairs)
decoder = json.JSONDecoder(object_pairs_hook=keep_first_key)
objects = {}
for path in outputs:
    text = open(path, "rb").read().decode("utf-8")  # enoexec writes valid UTF-8 only
    at, objects[path] = 0, []
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            break
        first_keys.clear()
        obj, at = decoder.raw_decode(text, at)
        if first_keys[-1] != "record":  # the outermost object is decoded last
            failures.append(f"{path}: an object whose first key is {first_keys[-1]!r}, not record")
        objects[path].append(obj)

records = {}
for path, objs in objects.items():
    for obj in objs:
        records[obj.get("record")] = records.get(obj.get("record"), 0) + 1
        for error in sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path))[:3]:
            where = "/".join(str(p) for p in error.absolute_path)
            failures.append(f"{path}: {obj.get('path', obj.get('record'))}: /{where}: {error.message[:300]}")
# Hosts recorded before `record` existed: with it added, they are host records too.
for path in sorted(glob.glob(os.path.join(recorded_hosts, "*.json"))):
    host = json.load(open(path, encoding="utf-8"))
    if "record" not in host:
        host = {"record": "host", **host}
    for error in list(validator.iter_errors(host))[:3]:
        where = "/".join(str(p) for p in error.absolute_path)
        failures.append(f"{path}: /{where}: {error.message[:300]}")
    records["recorded host"] = records.get("recorded host", 0) + 1
if not any("error" in o for o in objects["inspect.jsonl"]) or not any("error" in o for o in objects["check.jsonl"]):
    failures.append("no file record with an error was written")
for record in ("file", "entry", "summary", "host"):
    if not records.get(record):
        failures.append(f"no {record} record was written")
if objects["host.json"] and len(objects["host.json"]) != 1:
    failures.append("host --json wrote more than one object")
for path in ("scan.jsonl", "scan-target.jsonl"):
    if objects[path][-1:] and objects[path][-1]["record"] != "summary":
        failures.append(f"{path}: the last line is not the summary")
if "target" not in (objects["scan-target.jsonl"] or [{}])[-1].get("summary", {}):
    failures.append("scan --target: the summary has no target")

# path_bytes: exactly for the names that are not UTF-8, and the bytes of the name.
names = {os.fsencode(os.path.join(tree, d, n)) for d in ("odd", "scripts") for n in os.listdir(os.path.join(tree, d))}
seen = set()
for path, objs in objects.items():
    for obj in objs:
        if "path" not in obj:
            continue
        for item in [obj] + obj.get("slices", []):
            raw = base64.b64decode(item["path_bytes"], validate=True) if "path_bytes" in item else None
            try:
                item["path"].encode("utf-8")
            except UnicodeEncodeError:
                failures.append(f"{path}: path {item['path']!r} is not valid UTF-8")
            if raw is not None:
                if raw.decode("utf-8", "replace") != item["path"]:
                    failures.append(f"{path}: path_bytes {raw!r} is not the bytes of path {item['path']!r}")
                try:
                    raw.decode("utf-8")
                    failures.append(f"{path}: path_bytes for a valid UTF-8 name {raw!r}")
                except UnicodeDecodeError:
                    pass
            elif "\ufffd" in item["path"]:
                failures.append(f"{path}: {item['path']!r} lost bytes and has no path_bytes")
            if raw in names:
                seen.add(raw)
want = {n for n in names if b"\xff" in n or b"\xfe" in n}
if want - seen:
    failures.append(f"no path_bytes for {sorted(want - seen)}")

# The schema is closed: a key no writer documents is refused wherever keys are known.
def refused(obj, where, what):
    bad = copy.deepcopy(obj)
    target = bad
    for key in where:
        target = target[key]
    target["undocumented_key"] = 1
    if validator.is_valid(bad):
        failures.append(f"the schema accepts an undocumented key in {what}")
files = [o for o in objects["check.jsonl"] if o.get("record") == "file"]
elf = next((o for o in files if "elf" in o), None)
if elf:
    refused(elf, [], "a file record")
    refused(elf, ["elf"], "elf")
    refused(elf, ["elf", "notes"], "elf.notes")
    if elf.get("toolchain"):
        refused(elf, ["toolchain"], "toolchain")
script = next((o for o in files if "script" in o), None)
if script:
    refused(script, ["script"], "script")
    if script.get("problems"):
        refused(script, ["problems", 0], "a problem")
entry = next((o for o in objects["scan.jsonl"] if o["record"] == "entry"), None)
if entry:
    refused(entry, [], "an entry record")
if objects["scan-target.jsonl"]:
    refused(objects["scan-target.jsonl"][-1], ["summary"], "the summary")
if objects["host.json"]:
    refused(objects["host.json"][0], [], "the host record")
    refused(objects["host.json"][0], ["cpu"], "host.cpu")
def with_details(fmt):  # a file record with `fmt` details, and where they are (a slice's too)
    for obj in files:
        if fmt in obj:
            return obj, [fmt]
        for i, piece in enumerate(obj.get("slices", [])):
            if fmt in piece:
                return obj, ["slices", i, fmt]
    return None, None
for fmt in ("macho", "pe"):
    obj, where = with_details(fmt)
    if obj:
        refused(obj, where, fmt)
        if fmt == "macho":
            refused(obj, where + ["code_signature"], "code_signature")
            if where[0] == "slices":
                refused(obj, where[:2], "a slice")

# docs/json.md (beside the schema) names every key the schema knows.
doc = open(os.path.join(os.path.dirname(schema_path), "json.md"), encoding="utf-8").read()
def property_names(node):
    if isinstance(node, dict):
        yield from node.get("properties", {})
        for value in node.values():
            yield from property_names(value)
    elif isinstance(node, list):
        for value in node:
            yield from property_names(value)
undocumented = sorted({key for key in property_names(schema) if f"`{key}`" not in doc and f'"{key}"' not in doc})
if undocumented:
    failures.append(f"keys of the schema that docs/json.md does not name: {', '.join(undocumented)}")

if failures:
    print("\n".join("FAIL: " + f for f in failures[:50]))
    sys.exit(1)
counts = ", ".join(f"{n} {r}" for r, n in sorted(records.items()))
print(f"ok: {sum(records.values())} objects ({counts}) valid against {os.path.basename(schema_path)}")
EOF
[ $? = 0 ] || failures=$((failures + 1))
if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
