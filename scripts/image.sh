#!/usr/bin/env bash
# scripts/image.sh [amd64|arm64] [BUILD_DIR]: the container image of the repository's
# Dockerfile, built without a Docker daemon by umoci (Debian package umoci): the portable
# program FROM scratch.
# Every setting (labels, COPY destination, ENV, WORKDIR, ENTRYPOINT, CMD) is read from the
# Dockerfile, so the two cannot drift apart; tests/portable/portable_test.sh checks the result.
#
# Needs the portable program: build/portable/enoexec-VERSION-linux-amd64 (cmake --preset
# portable && cmake --build --preset portable, or scripts/portable.sh), or
# build/portable-arm64/enoexec-VERSION-linux-arm64 (scripts/portable.sh arm64), or the same
# file in BUILD_DIR. Writes, in that directory,
#   build/portable[-arm64]/oci/                          the OCI image layout, tag VERSION
#   build/portable[-arm64]/enoexec-VERSION-oci-ARCH.tar  the same layout as one archive
# Load the archive with `podman load -i FILE`, `docker load -i FILE` (a Docker that reads OCI
# archives) or `skopeo copy oci-archive:FILE docker-daemon:enoexec:VERSION`.
# ENOEXEC_IMAGE_NAME names the image in the archive (default enoexec). SOURCE_DATE_EPOCH
# (default: the time of the last commit) dates the image and its files, so that two builds
# of the same program give the same digests.
set -euo pipefail

die() { echo "image.sh: $*" >&2; exit 1; }

arch=${1:-amd64}
dir=${2:-}
if [ -n "$dir" ]; then
  dir=$(cd "$dir" && pwd) || die "no directory $2"
fi
cd "$(dirname "$0")/.."
case "$arch" in
  amd64) dir=${dir:-build/portable} ;;
  arm64) dir=${dir:-build/portable-arm64} ;;
  *) die "usage: scripts/image.sh [amd64|arm64] [BUILD_DIR]" ;;
esac
command -v umoci >/dev/null || die "umoci is missing (apt-get install umoci)"
command -v jq >/dev/null || die "jq is missing (apt-get install jq)"

dockerfile=Dockerfile
# instruction NAME: the arguments of every line starting with NAME, one per line.
instruction() { sed -n "s/^$1[[:space:]]\{1,\}//p" "$dockerfile"; }

# The version has one home, project(VERSION) in CMakeLists.txt; the Dockerfile's ARG must agree.
version=$(sed -n 's/^project(enoexec VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt)
[ -n "$version" ] || die "no project(enoexec VERSION ...) in CMakeLists.txt"
arg_version=$(instruction ARG | sed -n 's/^VERSION=//p')
[ "$arg_version" = "$version" ] ||
  die "$dockerfile says ARG VERSION=$arg_version, the project is $version: update the Dockerfile"
[ "$(instruction FROM)" = scratch ] || die "$dockerfile is not FROM scratch; image.sh builds only that"

# ${VERSION} and ${TARGETARCH} as docker build expands them.
# shellcheck disable=SC2016 # the literal ${VERSION} and ${TARGETARCH} of the Dockerfile
expand() { local s=$1; s=${s//'${VERSION}'/$version}; s=${s//'${TARGETARCH}'/$arch}; printf '%s' "$s"; }

# COPY SOURCE DEST: one file, the portable program.
read -r copy_source copy_dest < <(instruction COPY)
[ -n "${copy_dest:-}" ] || die "no COPY SOURCE DEST in $dockerfile"
[ "$(instruction COPY | wc -l)" -eq 1 ] || die "image.sh understands exactly one COPY"
program="$dir/enoexec-$version-linux-$arch"
# The COPY source pattern (build/portable*/enoexec-${VERSION}-linux-${TARGETARCH}) must name it
# (its file name, when BUILD_DIR is given).
copy_pattern=$(expand "$copy_source") copied=$program
if [ -n "${2:-}" ]; then copy_pattern=${copy_pattern##*/} copied=${program##*/}; fi
# shellcheck disable=SC2053 # the pattern is meant to match as a glob
[[ $copied == $copy_pattern ]] || die "COPY $copy_source does not name $program"
[ -f "$program" ] ||
  die "$program is missing: run scripts/portable.sh $arch"
case "$arch:$(od -An -tu2 -j18 -N2 "$program" | tr -d ' ')" in
  amd64:62 | arm64:183) ;;
  *) die "$program is not an ELF program for $arch (e_machine $(od -An -tu2 -j18 -N2 "$program"))" ;;
esac

workdir=$(instruction WORKDIR | tail -n 1)
entrypoint=$(instruction ENTRYPOINT | tail -n 1)
cmd=$(instruction CMD | tail -n 1)
jq -e 'type == "array"' >/dev/null <<<"$entrypoint" || die "ENTRYPOINT must be a JSON array: $entrypoint"
jq -e 'type == "array"' >/dev/null <<<"${cmd:-[]}" || die "CMD must be a JSON array: $cmd"

config_args=(--os linux --architecture "$arch")
while IFS= read -r word; do config_args+=("--config.entrypoint=$word"); done < <(jq -r '.[]' <<<"$entrypoint")
while IFS= read -r word; do config_args+=("--config.cmd=$word"); done < <(jq -r '.[]' <<<"${cmd:-[]}")
[ -z "$workdir" ] || config_args+=("--config.workingdir=$workdir")
while IFS= read -r env; do
  [ -n "$env" ] || continue
  config_args+=("--config.env=$(expand "$env")")
done < <(instruction ENV)
while IFS= read -r label; do
  [ -n "$label" ] || continue
  key=${label%%=*} value=${label#*=}
  value=${value#\"} value=${value%\"}
  config_args+=("--config.label=$key=$(expand "$value")")
done < <(instruction LABEL)

epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
rootless=()
[ "$(id -u)" = 0 ] || rootless=(--rootless)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
layout="$dir/oci"
image="$layout:$version"
rm -rf "$layout"
umoci init --layout "$layout"
umoci new --image "$image"

# Two layers, as docker build makes them: COPY's program, then WORKDIR's directory (docker
# build creates a missing WORKDIR). Through unpack and repack, not `umoci insert`: umoci 0.4.7
# (Debian 12) leaves the tar footer out of the layers insert writes (umoci issue #436, fixed by
# PR #534 in later releases), and GNU tar and Python's tarfile reject such a layer.
bundle="$work/bundle"
rootfs="$bundle/rootfs"
umoci unpack "${rootless[@]}" --image "$image" "$bundle" >/dev/null
# repack_layer CREATED_BY: one layer of what changed in the rootfs, every file dated $epoch.
repack_layer() {
  find "$rootfs" -exec touch -h -d "@$epoch" {} +
  umoci repack --refresh-bundle --image "$image" --history.created="$created" \
    --history.created_by="$1" "$bundle"
}
mkdir -p "$rootfs$(dirname "$copy_dest")"
install -m 0755 "$program" "$rootfs$copy_dest"
repack_layer "COPY $copy_source $copy_dest"
if [ -n "$workdir" ] && [ ! -d "$rootfs$workdir" ]; then
  mkdir -p "$rootfs$workdir"
  repack_layer "WORKDIR $workdir"
fi
umoci config --image "$image" --created="$created" --history.created="$created" \
  --history.created_by="scripts/image.sh: $dockerfile's ENV, WORKDIR, ENTRYPOINT, CMD, LABEL" \
  "${config_args[@]}"

# umoci 0.4.7 leaves the manifest's own mediaType out (image-spec 1.0.2 and later ask for it,
# docker build and buildah write it): add it, store the manifest under its new digest, and
# point the index at it. Name the image for `docker load` (containerd reads
# io.containerd.image.name).
manifest_type=application/vnd.oci.image.manifest.v1+json
old_manifest=$layout/blobs/$(jq -r '.manifests[0].digest | sub(":"; "/")' "$layout/index.json")
jq -cj --arg type "$manifest_type" '{schemaVersion, mediaType: $type} + .' "$old_manifest" \
  >"$work/manifest.json"
manifest_digest=sha256:$(sha256sum "$work/manifest.json" | cut -d' ' -f1)
install -m 0644 "$work/manifest.json" "$layout/blobs/${manifest_digest/://}"
name=${ENOEXEC_IMAGE_NAME:-enoexec}
jq --arg name "$name:$version" --arg digest "$manifest_digest" \
   --argjson size "$(stat -c %s "$work/manifest.json")" \
  '.manifests |= map(.digest = $digest | .size = $size
                     | .annotations["io.containerd.image.name"] = $name)' \
  "$layout/index.json" >"$work/index.json"
cat "$work/index.json" >"$layout/index.json"
chmod 0644 "$layout/index.json"
umoci gc --layout "$layout"

archive="$dir/enoexec-$version-oci-$arch.tar"
tar -C "$layout" --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -cf "$archive" .
manifest=$(jq -r '.manifests[0].digest' "$layout/index.json")
echo "image.sh: $layout (tag $version, manifest $manifest) and $archive"
