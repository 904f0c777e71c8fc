#!/usr/bin/env bash
# tests/integration/images/make_images.sh CACHE_DIR: real container images made by real tools
# (umoci, skopeo, mmdebstrap) from Debian's own packages, for the image integration tests.
# Each image is a folder CACHE_DIR/NAME holding the image (an OCI layout `oci/` or an archive)
# and expect.json: what enoexec must conclude about it and why that follows from how it was made.
#
# Needs Debian 12 (amd64), root or sudo, and the Debian archive (apt-get, mmdebstrap); nothing
# else from the network. An image whose folder holds a .done stamp equal to this script's
# sha256 is kept; editing the script rebuilds everything; deleting a folder rebuilds it.
# ENOEXEC_IMAGES_NO_DEBIAN=1 skips debian-arm64-root (the one image that needs mmdebstrap).
set -euo pipefail
export LC_ALL=C

log() { printf 'make_images: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
trap 'log "ERROR: line $LINENO: $BASH_COMMAND failed"' ERR

[ $# -eq 1 ] || die "usage: make_images.sh CACHE_DIR"
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../../scripts/lib.sh
source "$HERE/../../../scripts/lib.sh"
STAMP=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-64)
DEBS=$OUT/.debs

install_missing umoci skopeo jq binutils gzip zstd python3

# ---------------------------------------------------------------------------------------------
# Debian packages, downloaded once into $DEBS and unpacked there.

apt_opts=()
[ "$(id -u)" = 0 ] && apt_opts=(-o APT::Sandbox::User=root)  # no _apt warning in a root-owned folder

# deb_tree PACKAGE ARCH: prints the folder the package is unpacked in (downloading it once).
deb_tree() {
  local pkg=$1 arch=$2 dir=$DEBS/$1_$2
  if [ ! -f "$dir/.done" ]; then
    if [ "$arch" != "$(dpkg --print-architecture)" ] &&
      ! dpkg --print-foreign-architectures | grep -x "$arch" >/dev/null; then
      log "dpkg --add-architecture $arch"
      as_root dpkg --add-architecture "$arch"
      as_root apt-get update -qq
    fi
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && apt-get download -qq "${apt_opts[@]}" "$pkg:$arch" >&2) || die "apt-get download $pkg:$arch failed"
    local deb
    deb=$(cd "$dir" && ls ./*.deb)
    dpkg-deb -x "$dir/$deb" "$dir/root"
    # shellcheck disable=SC2016 # dpkg-deb's own ${field} syntax
    dpkg-deb --show --showformat='${Package}_${Version}_${Architecture}.deb\n' "$dir/$deb" >"$dir/.done"
  fi
  echo "$dir"
}
deb_name() { cat "$DEBS/$1_$2/.done"; }

# elf_machine FILE: readelf's Machine line (the independent witness of what a file is built for).
elf_machine() { readelf -hW "$1" | sed -n 's/^ *Machine: *//p'; }
elf_interp() { readelf -lW "$1" | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]$/\1/p'; }
require_machine() {
  [ "$(elf_machine "$1")" = "$2" ] || die "$1 is $(elf_machine "$1"), expected $2"
}

# ---------------------------------------------------------------------------------------------
# Images with umoci: DIR/oci, tag latest. Layer and history dates are fixed (SOURCE_DATE_EPOCH
# style) so that a rebuild differs only where umoci itself is not reproducible.

CREATED=2024-01-01T00:00:00Z
BUSYBOX=""      # the amd64 busybox-static binary
BUSYBOX_ARM=""  # the arm64 one

umoci_new() {  # umoci_new DIR ARCH
  umoci init --layout "$1/oci"
  umoci new --image "$1/oci:latest"
  umoci config --image "$1/oci:latest" --os linux --architecture "$2" --created "$CREATED" --no-history
}
# umoci_insert DIR STAGE CREATED_BY: one layer adding STAGE's tree at / (its first entry is "/"),
# as `umoci insert` writes it. umoci 0.4.7 (Debian 12) never closes that tar (umoci#436, fixed
# by umoci#534 in 2024): no end blocks, and the last entry's data is not padded to 512 bytes.
umoci_insert() {
  find "$2" -exec touch -h -d "$CREATED" {} +
  umoci insert --image "$1/oci:latest" --history.created "$CREATED" --history.created_by "$3" "$2" /
}
# umoci_layer DIR STAGE CREATED_BY: the same through unpack, copy, `umoci repack`, whose tar is
# complete.
umoci_layer() {
  find "$2" -exec touch -h -d "$CREATED" {} +
  umoci unpack --image "$1/oci:latest" "$1/bundle" >/dev/null
  cp -a "$2/." "$1/bundle/rootfs/"
  umoci repack --image "$1/oci:latest" --history.created "$CREATED" --history.created_by "$3" "$1/bundle"
  rm -rf "$1/bundle"
}
# umoci_remove DIR PATH CREATED_BY: one layer deleting PATH: umoci repack turns a file removed
# from the unpacked bundle into a whiteout.
umoci_remove() {
  umoci unpack --image "$1/oci:latest" "$1/bundle" >/dev/null
  rm -r "$1/bundle/rootfs$2"
  umoci repack --image "$1/oci:latest" --history.created "$CREATED" --history.created_by "$3" "$1/bundle"
  rm -rf "$1/bundle"
}
# json_array ARG...: the arguments as a JSON array (jq's --args would take "-c" for its option).
json_array() { printf '%s\n' "$@" | jq -R . | jq -sc .; }
umoci_entrypoint() {  # umoci_entrypoint DIR ARG...
  local dir=$1 args=() arg
  shift
  for arg in "$@"; do args+=(--config.entrypoint "$arg"); done
  umoci config --image "$dir/oci:latest" "${args[@]}" --history.created "$CREATED" \
    --history.created_by "ENTRYPOINT $(json_array "$@")"
}
umoci_done() { umoci gc --layout "$1/oci"; }

# A stage with busybox at /bin/busybox and /bin/sh -> busybox.
stage_busybox() {  # stage_busybox STAGE BINARY
  mkdir -p "$1/bin"
  cp "$2" "$1/bin/busybox"
  chmod 0755 "$1/bin/busybox"
  ln -s busybox "$1/bin/sh"
}

# Checks the made image against what expect.json says: the config's platform and entrypoint
# (read back with skopeo, the independent witness).
check_layout() {  # check_layout DIR
  local dir=$1 config platform
  config=$(skopeo --insecure-policy inspect --config "oci:$dir/oci:latest")
  platform=$(jq -r '"\(.os)/\(.architecture)" + (if .variant then "/\(.variant)" else "" end)' <<<"$config")
  [ "$platform" = "$(jq -r '.platforms[0]' "$dir/expect.json")" ] || die "$dir: the config says $platform"
  [ "$(jq -c '.config.Entrypoint' <<<"$config")" = "$(jq -c '.entrypoint' "$dir/expect.json")" ] ||
    die "$dir: the config's Entrypoint is $(jq -c '.config.Entrypoint' <<<"$config")"
}

# layer_facts DIR: what each layer's tar (base first) looks like at its end, read block by block
# (python3; GNU tar and Python's tarfile stop at the first defect): its entries, whether it ends
# with the two zero blocks, and whether the last entry's data is padded to 512 bytes.
layer_facts() {
  python3 - "$1/oci" <<'PY'
import gzip, json, sys
layout = sys.argv[1]
def blob(digest): return open(f"{layout}/blobs/sha256/{digest.split(':')[1]}", "rb").read()
index = json.loads(open(f"{layout}/index.json").read())
facts = []
for layer in json.loads(blob(index["manifests"][0]["digest"]))["layers"]:
    data = blob(layer["digest"])
    data = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    offset, entries, padded, end_blocks = 0, 0, True, False
    while offset + 512 <= len(data):
        header = data[offset:offset + 512]
        if header == bytes(512):
            end_blocks = data[offset:offset + 1024] == bytes(1024)
            break
        size = int(header[124:136].strip(b"\0 ") or b"0", 8)
        entries += header[156:157] not in (b"x", b"g", b"L", b"K")  # not pax/GNU extension headers
        padded = offset + 512 + size + (-size % 512) <= len(data)
        offset += 512 + size + (-size % 512)
    facts.append({"digest": layer["digest"], "entries": entries, "end_blocks": end_blocks,
                  "last_entry_padded": padded})
print(json.dumps(facts))
PY
}

# write_expect DIR IMAGE SHAPE PATH PLATFORM VERDICT RULES_JSON ERROR WHY MADE_BY ENTRYPOINT...
write_expect() {
  local dir=$1 image=$2 shape=$3 path=$4 platform=$5 verdict=$6 rules=$7 error=$8 why=$9 made_by=${10}
  shift 10
  jq -n --arg image "$image" --arg shape "$shape" --arg path "$path" --arg platform "$platform" \
    --arg verdict "$verdict" --argjson rules "$rules" --arg error "$error" --arg why "$why" \
    --arg made_by "$made_by" --argjson entrypoint "$(json_array "$@")" \
    '{image: $image, shape: $shape, path: $path, tag: "latest", platforms: [$platform],
      entrypoint: $entrypoint, verdict: $verdict, rules: $rules,
      error: (if $error == "" then null else $error end), why: $why, made_by: $made_by}' \
    >"$dir/expect.json"
}

# ---------------------------------------------------------------------------------------------
# The images. Each make_NAME builds into the folder it is given.

make_busybox-amd64() {
  local dir=$1
  stage_busybox "$dir/stage" "$BUSYBOX"
  umoci_new "$dir" amd64
  umoci_insert "$dir" "$dir/stage" "COPY busybox /bin/"
  umoci_entrypoint "$dir" /bin/sh -c "echo ok"
  umoci_done "$dir"
  write_expect "$dir" busybox-amd64 oci_layout oci linux/amd64 runs '[]' "" \
    "/bin/sh is a symlink to /bin/busybox, Debian's statically linked x86-64 busybox (readelf: $(elf_machine "$BUSYBOX")); the config says linux/amd64: it runs there" \
    "$(deb_name busybox-static amd64); umoci init/new/insert/config" /bin/sh -c "echo ok"
}

make_busybox-arm64-labelled-amd64() {
  local dir=$1
  stage_busybox "$dir/stage" "$BUSYBOX_ARM"
  umoci_new "$dir" amd64
  umoci_insert "$dir" "$dir/stage" "COPY busybox /bin/"
  umoci_entrypoint "$dir" /bin/sh -c "echo ok"
  umoci_done "$dir"
  write_expect "$dir" busybox-arm64-labelled-amd64 oci_layout oci linux/amd64 fails \
    '["E_WRONG_ARCH", "W_IMAGE_FOREIGN_PROGRAM"]' "exec /bin/sh: exec format error" \
    "the config says linux/amd64 but /bin/busybox (what /bin/sh links to) is Debian's arm64 busybox-static (readelf: $(elf_machine "$BUSYBOX_ARM")): execve on amd64 answers ENOEXEC and runc reports the path it executed" \
    "$(deb_name busybox-static arm64); umoci config --architecture amd64" /bin/sh -c "echo ok"
}

make_glibc-on-alpine() {
  local dir=$1 musl app=/usr/bin/true interp
  musl=$(deb_tree musl amd64)/root
  interp=$(elf_interp "$app")
  [ "$interp" = /lib64/ld-linux-x86-64.so.2 ] || die "$app asks for '$interp'"
  stage_busybox "$dir/stage" "$BUSYBOX"
  mkdir -p "$dir/stage/lib" "$dir/stage/etc"
  cp -L "$musl/lib/ld-musl-x86_64.so.1" "$dir/stage/lib/ld-musl-x86_64.so.1"  # Alpine's one C library
  echo 3.19.0 >"$dir/stage/etc/alpine-release"
  cp "$app" "$dir/stage/app"
  [ ! -e "$dir/stage$interp" ] || die "the stage has $interp"
  umoci_new "$dir" amd64
  umoci_layer "$dir" "$dir/stage" "alpine-like root with a glibc program at /app"
  umoci_entrypoint "$dir" /app
  umoci_done "$dir"
  write_expect "$dir" glibc-on-alpine oci_layout oci linux/amd64 fails '["E_LOADER_MISSING"]' \
    "exec /app: no such file or directory" \
    "/app is Debian's dynamically linked $app (glibc; PT_INTERP $interp) in a musl root that has only /lib/ld-musl-x86_64.so.1: the kernel cannot open the interpreter and execve answers ENOENT for a file that exists" \
    "$(deb_name musl amd64) (the loader), $app of this Debian 12 host ($(sha256sum "$app" | cut -c1-12)), $(deb_name busybox-static amd64); umoci unpack, cp, umoci repack" \
    /app
}

make_umoci-insert-unpadded() {
  local dir=$1
  stage_busybox "$dir/stage" "$BUSYBOX"
  mkdir -p "$dir/script"
  printf '#!/bin/sh\necho ok\n' >"$dir/script/hello.sh"
  chmod 0755 "$dir/script/hello.sh"
  umoci_new "$dir" amd64
  umoci_insert "$dir" "$dir/stage" "COPY busybox /bin/"
  umoci_insert "$dir" "$dir/script" "COPY hello.sh /"
  umoci_entrypoint "$dir" /hello.sh
  umoci_done "$dir"
  write_expect "$dir" umoci-insert-unpadded oci_layout oci linux/amd64 runs '[]' "" \
    "/hello.sh starts with #!/bin/sh and /bin/sh is the amd64 busybox: it runs. Both layers come from umoci 0.4.7's insert, which never closes its tar (umoci#436): layer 2 ends right after the 18 bytes of /hello.sh, with neither padding nor end blocks; runc never sees this, a reader must not stop at it (GNU tar and libarchive report a truncated archive)" \
    "$(deb_name busybox-static amd64); umoci insert (0.4.7) twice; umoci config" /hello.sh
}

# script_image DIR NAME CONTENT VERDICT RULES ERROR WHY: busybox plus /entrypoint.sh (0755) in a
# second layer, the entrypoint.
script_image() {
  local dir=$1
  stage_busybox "$dir/stage" "$BUSYBOX"
  mkdir -p "$dir/script"
  printf '%b' "$3" >"$dir/script/entrypoint.sh"
  chmod 0755 "$dir/script/entrypoint.sh"
  umoci_new "$dir" amd64
  umoci_insert "$dir" "$dir/stage" "COPY busybox /bin/"
  umoci_layer "$dir" "$dir/script" "COPY entrypoint.sh /"
  umoci_entrypoint "$dir" /entrypoint.sh
  umoci_done "$dir"
  write_expect "$dir" "$2" oci_layout oci linux/amd64 "$4" "$5" "$6" "$7" \
    "printf '$3' >entrypoint.sh; umoci unpack, cp, umoci repack (layer 2) over $(deb_name busybox-static amd64) (layer 1, umoci insert)" \
    /entrypoint.sh
}

make_crlf-script() {
  script_image "$1" crlf-script '#!/bin/sh\r\necho ok\r\n' fails '["E_SCRIPT_CRLF"]' \
    "exec /entrypoint.sh: no such file or directory" \
    "the #! line ends in \\r: binfmt_script ends it at \\n only, so the interpreter is \"/bin/sh\\r\", which does not exist (ENOENT), though /bin/sh does"
}

make_no-shebang() {
  script_image "$1" no-shebang 'echo ok\n' fails '["E_NO_SHEBANG"]' \
    "exec /entrypoint.sh: exec format error" \
    "a shell script without #!: no binfmt handler takes it (ENOEXEC) and runc, unlike a shell, does not fall back to /bin/sh"
}

make_whiteout-entrypoint() {
  local dir=$1 wh
  stage_busybox "$dir/stage" "$BUSYBOX"
  mkdir -p "$dir/app/usr/local/bin"
  printf '#!/bin/sh\necho ok\n' >"$dir/app/usr/local/bin/run.sh"
  chmod 0755 "$dir/app/usr/local/bin/run.sh"
  umoci_new "$dir" amd64
  umoci_insert "$dir" "$dir/stage" "COPY busybox /bin/"
  umoci_layer "$dir" "$dir/app" "COPY run.sh /usr/local/bin/"
  umoci_remove "$dir" /usr/local/bin/run.sh "RUN rm /usr/local/bin/run.sh"
  umoci_entrypoint "$dir" /usr/local/bin/run.sh
  umoci_done "$dir"
  wh=$(layer_listing "$dir" -1 | grep -c 'usr/local/bin/\.wh\.run\.sh$' || true)
  [ "$wh" = 1 ] || die "whiteout-entrypoint: no usr/local/bin/.wh.run.sh in the top layer"
  write_expect "$dir" whiteout-entrypoint oci_layout oci linux/amd64 fails '["E_FILE_MISSING"]' \
    'exec: "/usr/local/bin/run.sh": stat /usr/local/bin/run.sh: no such file or directory' \
    "layer 2 adds /usr/local/bin/run.sh, layer 3 (umoci repack after rm) holds usr/local/bin/.wh.run.sh: the flattened root has no entrypoint, and runc's exec.LookPath fails on stat before any execve" \
    "$(deb_name busybox-static amd64); umoci insert, then umoci unpack, rm, umoci repack" /usr/local/bin/run.sh
}

# The entrypoint as runc finds it (Go's exec.LookPath): a bare name in PATH (umoci sets no Env,
# so Docker's default PATH applies), a path relative to WorkingDir, a bare name that is no
# program in PATH (the common `ENTRYPOINT ["entrypoint.sh"]` mistake).
make_path-lookup() {
  local dir=$1
  stage_busybox "$dir/stage" "$BUSYBOX"
  umoci_new "$dir" amd64
  umoci_insert "$dir" "$dir/stage" "COPY busybox /bin/"
  umoci_entrypoint "$dir" sh -c "echo ok"
  umoci_done "$dir"
  write_expect "$dir" path-lookup oci_layout oci linux/amd64 runs '[]' "" \
    "the entrypoint is the bare name sh and the config sets no Env: runc looks it up in Docker's default PATH (/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin) and finds /bin/sh, a symlink to the amd64 busybox" \
    "$(deb_name busybox-static amd64); umoci insert, umoci config --config.entrypoint sh" sh -c "echo ok"
}

make_workdir-relative() {
  local dir=$1
  stage_busybox "$dir/stage" "$BUSYBOX"
  mkdir -p "$dir/stage/app"
  printf '#!/bin/sh\necho ok\n' >"$dir/stage/app/run.sh"
  chmod 0755 "$dir/stage/app/run.sh"
  umoci_new "$dir" amd64
  umoci_layer "$dir" "$dir/stage" "COPY busybox /bin/ and run.sh /app/"
  umoci config --image "$dir/oci:latest" --config.workingdir /app --history.created "$CREATED" \
    --history.created_by "WORKDIR /app"
  umoci_entrypoint "$dir" ./run.sh
  umoci_done "$dir"
  write_expect "$dir" workdir-relative oci_layout oci linux/amd64 runs '[]' "" \
    "the entrypoint ./run.sh is relative: runc starts in WorkingDir /app, where run.sh (#!/bin/sh) is, and /bin/sh is the amd64 busybox" \
    "$(deb_name busybox-static amd64); umoci unpack, cp, umoci repack; umoci config --config.workingdir /app" ./run.sh
}

make_not-in-path() {
  local dir=$1
  stage_busybox "$dir/stage" "$BUSYBOX"
  printf '#!/bin/sh\necho ok\n' >"$dir/stage/entrypoint.sh"
  chmod 0755 "$dir/stage/entrypoint.sh"
  umoci_new "$dir" amd64
  umoci_layer "$dir" "$dir/stage" "COPY busybox /bin/ and entrypoint.sh /"
  umoci_entrypoint "$dir" entrypoint.sh
  umoci_done "$dir"
  write_expect "$dir" not-in-path oci_layout oci linux/amd64 fails '["E_IMAGE_NOT_IN_PATH"]' \
    'exec: "entrypoint.sh": executable file not found in $PATH' \
    "the entrypoint is the bare name entrypoint.sh: runc looks it up in PATH only (Docker's default: the config sets none), never in / or WorkingDir, where /entrypoint.sh is; exec.LookPath fails before any execve" \
    "$(deb_name busybox-static amd64); umoci unpack, cp, umoci repack; umoci config --config.entrypoint entrypoint.sh" entrypoint.sh
}

# layer_listing DIR INDEX: `tar tv` of layer INDEX (-1: the top one) of DIR/oci:latest.
layer_listing() {
  local blobs=$1/oci/blobs/sha256 manifest layer
  manifest=$(jq -r '.manifests[0].digest' "$1/oci/index.json" | cut -d: -f2)
  layer=$(jq -r ".layers[$2].digest" "$blobs/$manifest" | cut -d: -f2)
  tar tvzf "$blobs/$layer"
}

# skopeo_copy DIR NAME SHAPE TRANSPORT [gzip|zstd]: the busybox-amd64 layout copied by skopeo
# into DIR/image.tar (then compressed whole), expect.json as busybox-amd64's.
skopeo_copy() {
  local dir=$1 source=$OUT/busybox-amd64 file=image.tar ref
  [ -f "$source/.done" ] || die "$2 needs busybox-amd64"
  ref="$4:$dir/image.tar:latest"
  [ "$4" != docker-archive ] || ref="$4:$dir/image.tar:busybox:latest"
  skopeo --insecure-policy copy -q "oci:$source/oci:latest" "$ref"
  case ${5:-} in
    gzip) gzip -n "$dir/$file" && file=$file.gz ;;
    zstd) zstd -q --rm "$dir/$file" && file=$file.zst ;;
  esac
  local note="the same blobs as busybox-amd64's layout"
  [ "$4" != docker-archive ] ||
    note="skopeo's docker-archive: manifest.json's Layers name <diff_id>.tar (the layer uncompressed) at the top, <id>/layer.tar is a symlink to it, RepoTags is docker.io/library/busybox:latest"
  jq --arg image "$2" --arg shape "$3" --arg path "$file" --arg note "$note" \
    --arg made_by "skopeo copy oci:busybox-amd64/oci:latest $4:image.tar${5:+; $5 image.tar}" \
    '.image = $image | .shape = $shape | .path = $path | .made_by = $made_by
     | .why = "busybox-amd64 copied by skopeo (\($note)): " + .why
     | if $shape == "docker_archive" then .layers |= map(del(.digest)) else . end' \
    "$source/expect.json" >"$dir/expect.json"
}
make_busybox-amd64-oci-archive() { skopeo_copy "$1" busybox-amd64-oci-archive oci_archive oci-archive; }
make_busybox-amd64-oci-archive-gzip() { skopeo_copy "$1" busybox-amd64-oci-archive-gzip oci_archive oci-archive gzip; }
make_busybox-amd64-oci-archive-zstd() { skopeo_copy "$1" busybox-amd64-oci-archive-zstd oci_archive oci-archive zstd; }
make_busybox-amd64-docker-archive() { skopeo_copy "$1" busybox-amd64-docker-archive docker_archive docker-archive; }

make_debian-arm64-root() {
  local dir=$1 root=$1/root lib
  install_missing mmdebstrap
  mmdebstrap --quiet --variant=extract --architectures=arm64 --include=busybox bookworm "$root" \
    http://deb.debian.org/debian >&2
  rm -rf "${root:?}"/dev/* "$root"/var/cache/apt/archives/*.deb
  require_machine "$root/bin/busybox" AArch64
  # The verdict follows from the tree: busybox's interpreter and libraries must all be there.
  local interp
  interp=$(elf_interp "$root/bin/busybox")
  [ -e "$root$interp" ] || die "debian-arm64-root lacks $interp"
  for lib in $(readelf -dW "$root/bin/busybox" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
    [ -e "$root/lib/aarch64-linux-gnu/$lib" ] || die "debian-arm64-root lacks $lib"
  done
  umoci_new "$dir" arm64
  umoci_layer "$dir" "$root" "mmdebstrap --variant=extract --architectures=arm64 --include=busybox bookworm"
  rm -rf "$root"
  umoci_entrypoint "$dir" /bin/busybox sh
  umoci_done "$dir"
  write_expect "$dir" debian-arm64-root oci_layout oci linux/arm64 runs '[]' "" \
    "a Debian 12 arm64 root (busybox and its dependencies, libc6 included): /bin/busybox is AArch64, dynamically linked, and its interpreter $interp and every DT_NEEDED library are in the image" \
    "mmdebstrap --variant=extract --architectures=arm64 --include=busybox bookworm; umoci unpack, cp, umoci repack; umoci config --architecture arm64" \
    /bin/busybox sh
}

# ---------------------------------------------------------------------------------------------

IMAGES=(busybox-amd64 busybox-arm64-labelled-amd64 glibc-on-alpine crlf-script no-shebang
  whiteout-entrypoint umoci-insert-unpadded busybox-amd64-oci-archive busybox-amd64-oci-archive-gzip
  busybox-amd64-oci-archive-zstd busybox-amd64-docker-archive debian-arm64-root path-lookup
  workdir-relative not-in-path)
if [ "${ENOEXEC_IMAGES_NO_DEBIAN:-}" = 1 ]; then IMAGES=("${IMAGES[@]/debian-arm64-root/}"); fi

BUSYBOX=$(deb_tree busybox-static amd64)/root/bin/busybox
BUSYBOX_ARM=$(deb_tree busybox-static arm64)/root/bin/busybox
require_machine "$BUSYBOX" "Advanced Micro Devices X86-64"
require_machine "$BUSYBOX_ARM" AArch64

for name in "${IMAGES[@]}"; do
  [ -n "$name" ] || continue
  if [ "$(cat "$OUT/$name/.done" 2>/dev/null)" = "$STAMP" ]; then
    log "$name: cached"
    continue
  fi
  start=$SECONDS
  work=$OUT/.work-$name
  rm -rf "$work" "${OUT:?}/$name"
  mkdir -p "$work"
  "make_$name" "$work"
  rm -rf "$work/stage" "$work/script" "$work/app" "$work/bundle" "$work/root"
  if [ -d "$work/oci" ]; then
    check_layout "$work"
    jq --argjson layers "$(layer_facts "$work")" '.layers = $layers' "$work/expect.json" >"$work/expect.tmp"
    mv "$work/expect.tmp" "$work/expect.json"
  fi
  jq -e '.image and .shape and .platforms and .verdict and .why' "$work/expect.json" >/dev/null ||
    die "$name: incomplete expect.json"
  echo "$STAMP" >"$work/.done"
  mv "$work" "$OUT/$name"
  log "$name: built in $((SECONDS - start)) s, $(du -sh "$OUT/$name" | cut -f1)"
done
