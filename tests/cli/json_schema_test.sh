#!/bin/bash
# json_schema_test.sh ENOEXEC SCHEMA [INPUTS_DIR]: every object `inspect --json`, `check --json`,
# `scan --json`, `host --json`, `explain --json` and `image --json` write validates against
# docs/enoexec.schema.json, starts with `record`, and a file name that is not UTF-8 carries its
# bytes in `path_bytes`. The schema is closed (additionalProperties/unevaluatedProperties false)
# wherever the set of keys is, so a key a writer adds without documenting it fails here; the test
# checks that the schema does refuse one, and that docs/json.md names every key of the schema.
#
# Inputs: the integration inputs (INPUTS_DIR, made by tests/integration/fetch-inputs.sh), samples/,
# a few system files (/bin/sh, libc.so.6), the recorded hosts and host roots of tests/fixtures/hosts,
# a small tree made here (scripts, a FIFO, symlinks, names with bytes that are not UTF-8), and a few
# container images made here with umoci (and skopeo, when installed). The validator is Python's
# jsonschema (Debian: python3-jsonschema, 4.10 or later). Without it the test is skipped (exit 77);
# without the inputs or umoci it goes on with the rest. With ENOEXEC_REQUIRE_INPUTS=1 any of these
# missing is a failure.
set -u
usage="usage: json_schema_test.sh ENOEXEC SCHEMA [INPUTS_DIR]"
enoexec=$(realpath "${1:?$usage}")
schema=$(realpath "${2:?$usage}")
inputs=${3:+$(realpath "$3")}

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

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

# Container images for `image --json` (docs/json.md#image), made here with umoci in about a second:
# img-amd (this machine's /bin/true with its loader and libc, and an arm64 program beside it: a
# foreign program), img-arm (an arm64 static program), the second also as an OCI archive and the
# first as a docker save archive (with skopeo), and img-multi: an index of both with the entries a
# registry holds beside them, an attestation manifest and an artifact (skipped), and three it
# should not: a layer not in the image (not read), a platform enoexec does not know and none at
# all (E_IMAGE_PLATFORM_UNKNOWN). Then --platform with no entry matching, --target with --ignore,
# and images that cannot be opened (no object, exit 2).
image_outputs=(images.jsonl multi.jsonl nomatch.jsonl target.jsonl unreadable-image.jsonl)
for out in "${image_outputs[@]}"; do : > "$out"; done
images_made=0
if ! command -v umoci >/dev/null; then
  if [ "${ENOEXEC_REQUIRE_INPUTS:-0}" = 1 ]; then
    fail "no umoci to make container images (ENOEXEC_REQUIRE_INPUTS=1)"
  else
    echo "note: no umoci (apt-get install umoci); image --json is not validated"
  fi
else
  make_image() {  # DIR ARCH STAGE ENTRYPOINT: one layer with STAGE's tree at /
    umoci init --layout "$1" && umoci new --image "$1:latest" &&
      umoci config --image "$1:latest" --os linux --architecture "$2" --no-history &&
      umoci insert --image "$1:latest" --history.created_by "COPY $3 /" "$3" / &&
      umoci config --image "$1:latest" --config.entrypoint "$4"
  }
  # This machine's /bin/true, its loader and libc, at their paths: it runs in img-amd.
  read -r true_arch true_interp < <("$enoexec" inspect --json /bin/true | "$python" -c '
import json, sys
o = json.load(sys.stdin)
print((o.get("platform") or "linux/amd64").split("/")[1], o.get("interpreter") or "-")')
  mkdir -p stage-amd/bin stage-arm/bin
  cp /bin/true stage-amd/bin/true
  [ "$true_interp" != - ] && [ -e "$true_interp" ] && cp -L --parents "$true_interp" stage-amd/
  for f in /lib/*-linux-gnu*/libc.so.6 /usr/lib/*-linux-gnu*/libc.so.6; do
    if [ -f "$f" ]; then cp -L --parents "$f" stage-amd/; break; fi
  done
  cp "$samples/linux-arm64" stage-amd/bin/app
  cp "$samples/linux-arm64" stage-arm/bin/app
  if make_image img-amd "$true_arch" stage-amd /bin/true >umoci.log 2>&1 &&
    make_image img-arm arm64 stage-arm /bin/app >>umoci.log 2>&1 &&
    tar -C img-arm -cf img-arm.tar . &&
    "$python" - img-amd img-arm img-multi <<'EOF'
import hashlib, json, os, shutil, sys
amd, arm, multi = sys.argv[1:4]
shutil.copytree(amd, multi)
for name in os.listdir(os.path.join(arm, "blobs/sha256")):
    shutil.copy(os.path.join(arm, "blobs/sha256", name), os.path.join(multi, "blobs/sha256"))
def descriptor(layout):
    return json.load(open(os.path.join(layout, "index.json")))["manifests"][0]
def read(digest):
    return json.load(open(os.path.join(multi, "blobs/sha256", digest.split(":")[1])))
def blob(obj, media_type):
    data = json.dumps(obj).encode()
    name = hashlib.sha256(data).hexdigest()
    open(os.path.join(multi, "blobs/sha256", name), "wb").write(data)
    return {"mediaType": media_type, "digest": "sha256:" + name, "size": len(data)}
d_amd, d_arm = descriptor(amd), descriptor(arm)
manifest = read(d_amd["digest"])
config = read(manifest["config"]["digest"])
no_layer = dict(manifest, layers=[dict(manifest["layers"][0], digest="sha256:" + "0" * 64)])
bare_config = {k: v for k, v in config.items() if k not in ("os", "architecture", "variant")}
no_platform = dict(manifest, config=dict(manifest["config"], **blob(bare_config, manifest["config"]["mediaType"])))
artifact = {"schemaVersion": 2, "mediaType": d_amd["mediaType"], "artifactType": "application/vnd.example.sbom+json",
            "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": blob({}, "")["digest"], "size": 2},
            "layers": []}
manifests = [
    dict(d_amd, platform={"os": "linux", "architecture": "amd64"}, annotations={"org.opencontainers.image.ref.name": "multi"}),
    dict(d_arm, platform={"os": "linux", "architecture": "arm64"}),
    dict(d_amd, platform={"os": "unknown", "architecture": "unknown"},
         annotations={"vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": d_amd["digest"]}),
    blob(artifact, d_amd["mediaType"]),
    dict(blob(no_layer, d_amd["mediaType"]), platform={"os": "linux", "architecture": "386"}),
    dict(d_amd, platform={"os": "linux", "architecture": "pdp11"}),
    blob(no_platform, d_amd["mediaType"]),
]
json.dump({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests},
          open(os.path.join(multi, "index.json"), "w"))
EOF
  then
    images_made=1
    images=(img-amd img-arm img-arm.tar)
    if command -v skopeo >/dev/null &&
      skopeo copy -q oci:img-amd:latest docker-archive:img-amd-docker.tar:example/amd:1 >>umoci.log 2>&1; then
      images+=(img-amd-docker.tar)
    fi
    run images.jsonl "0 1" image --json "${images[@]}"
    run multi.jsonl "2" image --json img-multi
    run nomatch.jsonl "1" image --json --platform linux/s390x img-multi img-amd
    run target.jsonl "1" image --json --target linux/arm/v7 --ignore W_IMAGE img-amd
    run unreadable-image.jsonl "2" image --json img-arm "$tree/notes.txt" "$dir/no-such-image"
  else
    fail "could not make the test images: $(tail -c 600 umoci.log)"
  fi
fi

IMAGES_MADE=$images_made "$python" - "$schema" "$tree" "$fixtures" inspect.jsonl check.jsonl \
  check-arm.jsonl scan.jsonl scan-target.jsonl host.json host-roots.json explain.jsonl \
  "${image_outputs[@]}" <<'EOF'
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

# image --json: every kind of object, the summary last and counting what was printed, and the
# schema closed on each (docs/json.md#image).
if os.environ.get("IMAGES_MADE") == "1":
    image_files = ("images.jsonl", "multi.jsonl", "nomatch.jsonl", "target.jsonl", "unreadable-image.jsonl")
    image_objs = []
    for path in image_files:
        objs = objects[path]
        kinds = [o.get("record") for o in objs]
        if kinds[-1:] != ["image_summary"] or kinds.count("image_summary") != 1 or set(kinds) - {"image", "image_summary"}:
            failures.append(f"{path}: not image records then one image_summary last: {kinds}")
            continue
        entries = [o for o in objs if o["record"] == "image"]
        image_objs += entries
        summary = objs[-1]["summary"]
        no_match = [o for o in entries if o["digest"] is None and o["platform"] is None and "config_platform" not in o]
        want = {
            "entries": len(entries) - len(no_match),
            "runs": sum(o["verdict"] == "runs" for o in entries),
            "emulated": sum(o["verdict"] == "emulated" for o in entries),
            "fails": sum(o["verdict"] == "fails" for o in entries),
            "skipped": sum("skipped" in o for o in entries),
        }
        got = {k: summary[k] for k in want}
        if got != want or summary["errors"] < sum("error" in o for o in entries):
            failures.append(f"{path}: the summary {summary} does not count the objects printed ({want})")
    def image_obj(what, test):
        found = next((o for o in image_objs if test(o)), None)
        if found is None:
            failures.append(f"image --json wrote no object for {what}")
        return found
    judged = image_obj("an entry judged, with its entrypoint's check object",
                       lambda o: (o.get("entrypoint") or {}).get("check") is not None)
    foreign = image_obj("an entry with a foreign program", lambda o: o.get("programs", {}).get("foreign"))
    failing = image_obj("an entry with a failing program", lambda o: o.get("programs", {}).get("failing"))
    skipped = image_obj("a skipped entry", lambda o: "skipped" in o)
    image_obj("a skipped artifact", lambda o: o.get("skipped", "").startswith("artifact ("))
    unread = image_obj("an entry not read", lambda o: "error" in o)
    unknown = image_obj("an entry of a platform enoexec does not know",
                        lambda o: "programs" in o and o["entrypoint"] is None and o["target"] == "linux/pdp11")
    image_obj("an entry that declares no platform", lambda o: "programs" in o and o["target"] == "unknown")
    nomatch = image_obj("no entry matching --platform", lambda o: o["digest"] is None and o["platform"] is None
                        and [p["code"] for p in o["problems"]] == ["E_IMAGE_NO_MATCH"])
    gated = image_obj("an entry with --ignore", lambda o: o.get("ignored") == ["W_IMAGE_FOREIGN_PROGRAM"])
    image_obj("a docker save archive or OCI archive", lambda o: o["shape"] in ("docker save archive", "OCI archive"))
    opened = {o["image"] for o in objects["unreadable-image.jsonl"] if o["record"] == "image"}
    if opened != {"img-arm"} or objects["unreadable-image.jsonl"][-1]["summary"]["errors"] != 2:
        failures.append(f"images that cannot be opened: objects for {sorted(opened)}, not only img-arm, or errors != 2")
    for obj, where, what in ((judged, [], "a judged image record"), (judged, ["entrypoint"], "image entrypoint"),
                             (judged, ["entrypoint", "check"], "image entrypoint check"),
                             (judged, ["programs"], "image programs"), (judged, ["layers", 0], "an image layer"),
                             (foreign, ["programs", "foreign", 0], "a foreign program"),
                             (failing, ["programs", "failing", 0], "a failing program"),
                             (skipped, [], "a skipped image record"), (unread, [], "an image record not read"),
                             (unknown, [], "an image record of an unknown platform"),
                             (nomatch, [], "a no-match image record"), (gated, [], "an image record with ignored"),
                             (objects["images.jsonl"][-1], ["summary"], "the image summary"),
                             (objects["images.jsonl"][-1], [], "the image_summary record")):
        if obj is not None:
            refused(obj, where, what)
    if judged is not None:
        bad = copy.deepcopy(judged)
        bad["skipped"] = "mixed"
        if validator.is_valid(bad):
            failures.append("the schema accepts a judged image record with skipped")
elif any(objects[p] for p in ("images.jsonl", "multi.jsonl")):
    failures.append("image outputs without IMAGES_MADE")

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
