#!/usr/bin/env bash
# `enoexec image` side by side with what people do instead, in one run, warm page cache:
#   gzip -dc      the image's layers decompressed one after the other (the floor a tool that
#                 decompresses with gzip cannot beat)
#   tar -x + scan the layers extracted into a folder, then `enoexec scan` of that folder
#   enoexec image the OCI layout judged: every layer read, every program inspected and judged
# The image: an OCI layout with two gzip layers of this machine's own files (/usr/bin,
# /usr/lib, /usr/share, sorted, cut at SIZE_MB each, default 550: about 1.1 GB in all), made once
# and cached under build/bench-image. Prints the median wall time of N rounds (default 5) and
# peak RSS of each, the ratio to gzip -dc, and whether the issue's target holds (enoexec image
# in at most half the time of gzip -dc, peak RSS at most 256 MiB). --small: 2 x 40 MB, 3 rounds,
# no target (the CI smoke run).
#
# Usage: bash bench/image_bench.sh [--rounds N] [--size-mb MB] [--small]
# Builds (or reuses) build/release; ENOEXEC_BUILD=DIR uses another optimised build directory.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

rounds=5 size_mb=550 check_target=1
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --size-mb) size_mb=$2; shift 2 ;;
    --small) size_mb=40 rounds=3 check_target=0; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=scripts/lib.sh
source scripts/lib.sh
[ -x /usr/bin/time ] || install_missing time
command -v python3 >/dev/null || install_missing python3

build=${ENOEXEC_BUILD:-build/release}
if [ -z "${ENOEXEC_BUILD:-}" ]; then
  cmake --preset release >/dev/null
  cmake --build "$build" --target enoexec >/dev/null
fi
enoexec=$(realpath "$build")/tools/enoexec/enoexec

cache=build/bench-image/${size_mb}mb
layout=$cache/layout
if [ ! -f "$layout/index.json" ]; then
  rm -rf "$cache" && mkdir -p "$cache"
  # Two file lists of regular files and links, each cut at size_mb of file bytes.
  python3 - "$cache" "$size_mb" <<'EOF'
import os, sys
cache, size = sys.argv[1], int(sys.argv[2]) << 20
def walk(top):
    for root, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if os.path.islink(path) or (os.path.isfile(path) and os.access(path, os.R_OK)):
                yield path, st.st_size if not os.path.islink(path) else 0
lists, current, total = [[], []], 0, 0
for top in ("/usr/bin", "/usr/lib", "/usr/share"):
    for path, n in walk(top):
        if current == 2:
            break
        lists[current].append(path.lstrip("/"))
        total += n
        if total >= size:
            current, total = current + 1, 0
for i, names in enumerate(lists):
    with open(f"{cache}/list{i}", "w") as out:
        out.write("\n".join(names) + "\n")
EOF
  for i in 0 1; do
    tar -C / --no-recursion -cf "$cache/layer$i.tar" -T "$cache/list$i" 2>/dev/null || true
    gzip -6 -c "$cache/layer$i.tar" > "$cache/layer$i.tar.gz"
  done
  python3 - "$cache" <<'EOF'
import hashlib, json, os, sys
cache = sys.argv[1]
layout = f"{cache}/layout"
os.makedirs(f"{layout}/blobs/sha256")
def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
def blob(data):
    d = hashlib.sha256(data).hexdigest()
    with open(f"{layout}/blobs/sha256/{d}", "wb") as f:
        f.write(data)
    return d, len(data)
layers, diff_ids = [], []
for i in (0, 1):
    d = sha(f"{cache}/layer{i}.tar.gz")
    os.replace(f"{cache}/layer{i}.tar.gz", f"{layout}/blobs/sha256/{d}")
    layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": f"sha256:{d}",
                   "size": os.path.getsize(f"{layout}/blobs/sha256/{d}")})
    diff_ids.append("sha256:" + sha(f"{cache}/layer{i}.tar"))
config = {"architecture": "amd64", "os": "linux",
          "config": {"Entrypoint": ["/usr/bin/true"], "Env": ["PATH=/usr/bin:/bin"]},
          "rootfs": {"type": "layers", "diff_ids": diff_ids},
          "history": [{"created_by": f"bench layer {i}"} for i in (0, 1)]}
cd, cs = blob(json.dumps(config).encode())
manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": f"sha256:{cd}", "size": cs},
            "layers": layers}
md, ms = blob(json.dumps(manifest).encode())
index = {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
         "digest": f"sha256:{md}", "size": ms, "platform": {"architecture": "amd64", "os": "linux"}}]}
with open(f"{layout}/index.json", "w") as f:
    json.dump(index, f)
with open(f"{layout}/oci-layout", "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
EOF
  rm -f "$cache"/layer*.tar
fi
mapfile -t blobs < <(python3 -c '
import json, sys
layout = sys.argv[1]
index = json.load(open(f"{layout}/index.json"))
m = json.load(open(layout + "/blobs/sha256/" + index["manifests"][0]["digest"][7:]))
for layer in m["layers"]:
    print(layout + "/blobs/sha256/" + layer["digest"][7:])' "$layout")

work=$(mktemp -d /tmp/enoexec-image-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
measure() {  # NAME CMD...: one run; appends "wall rss_kb" to $work/NAME
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || true
  tail -1 "$work/time" >> "$work/$name"
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

export enoexec work
blob_list="${blobs[*]}"
export blob_list

cat "${blobs[@]}" > /dev/null  # warm the page cache
for ((r = 1; r <= rounds; r++)); do
  measure gzip bash -c 'for b in $blob_list; do gzip -dc < "$b"; done'
  measure image "$enoexec" image --json "$layout"
  measure extract bash -c 'rm -rf "$work/root" && mkdir "$work/root" && for b in $blob_list; do tar -xzf "$b" -C "$work/root"; done && "$enoexec" scan --json "$work/root"; rm -rf "$work/root"'
done

compressed=$(du -cb "${blobs[@]}" | tail -1 | cut -f1)
uncompressed=$(for b in "${blobs[@]}"; do gzip -dc < "$b" | wc -c; done | awk '{ s += $1 } END { printf "%d\n", s }')
printf 'image: %s, 2 gzip layers, %d MB compressed, %d MB uncompressed; %d rounds, median\n' \
  "$layout" $((compressed / 1000000)) $((uncompressed / 1000000)) "$rounds"
printf '%-26s %10s %12s %10s\n' tool 'wall (s)' 'peak RSS' 'vs gzip'
gzip_wall=$(awk '{ print $1 }' "$work/gzip" | median)
for name in gzip image extract; do
  wall=$(awk '{ print $1 }' "$work/$name" | median)
  rss=$(awk '{ print $2 }' "$work/$name" | median)
  label=$(case $name in gzip) echo 'gzip -dc (layers in turn)' ;; image) echo 'enoexec image' ;; extract) echo 'tar -x + enoexec scan' ;; esac)
  printf '%-26s %10.2f %9d MiB %9.2fx\n' "$label" "$wall" $((rss / 1024)) "$(awk -v a="$wall" -v b="$gzip_wall" 'BEGIN { print a / b }')"
done
if [ "$check_target" = 1 ]; then
  image_wall=$(awk '{ print $1 }' "$work/image" | median)
  image_rss=$(awk '{ print $2 }' "$work/image" | median)
  if awk -v a="$image_wall" -v b="$gzip_wall" 'BEGIN { exit !(a <= b / 2) }' && [ "$image_rss" -le $((256 * 1024)) ]; then
    echo "target met: enoexec image <= half of gzip -dc, peak RSS <= 256 MiB"
  else
    echo "target NOT met: enoexec image ${image_wall}s vs gzip -dc ${gzip_wall}s, peak RSS $((image_rss / 1024)) MiB"
    exit 1
  fi
fi
