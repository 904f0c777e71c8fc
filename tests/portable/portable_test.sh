#!/usr/bin/env bash
# tests/portable/portable_test.sh BUILD_DIR: the portable program of the `portable` preset
# (docs/portable.md) and the container image of the Dockerfile (scripts/image.sh), checked
# with witnesses other than enoexec where one exists:
#   - readelf -d / -l and file(1): no DT_NEEDED, no PT_INTERP, statically linked; SHA256SUMS;
#   - enoexec check --target ubuntu-20.04 / debian-11 / alpine says the program runs there;
#   - it runs in an empty chroot holding nothing but itself, and ignores OpenSSL's config;
#   - the OCI image: index, manifest and config read with jq (os, architecture, entrypoint,
#     working directory, labels as the Dockerfile says; blobs match their digests), unpacked
#     with umoci from the archive, and its entrypoint run in a chroot of the rootfs.
# Needs root (chroot), umoci, jq, readelf and file; without them it exits 77 (skipped), or,
# for a missing tool, fails when ENOEXEC_REQUIRE_INPUTS=1 (scripts/test.sh).
# `CHECK && pass ... || fail ...` throughout: pass only echoes, so fail runs exactly when CHECK fails.
# shellcheck disable=SC2015
set -euo pipefail

build=${1:?usage: portable_test.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$build" && pwd)

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
skip() {
  if [ "${ENOEXEC_REQUIRE_INPUTS:-0}" = 1 ]; then
    echo "FAIL: $* (ENOEXEC_REQUIRE_INPUTS=1)" >&2; exit 1
  fi
  echo "SKIP: $*"; exit 77
}

# Root is a privilege, not an input: without it the test is skipped even under
# ENOEXEC_REQUIRE_INPUTS=1 (CI runs as root; a developer's scripts/test.sh need not).
[ "$(id -u)" = 0 ] || { echo "SKIP: portable_test.sh needs root for chroot"; exit 77; }
for tool in umoci jq readelf file sha256sum chroot; do
  command -v "$tool" >/dev/null || skip "$tool is missing (Debian: umoci jq binutils file coreutils)"
done

version=$(sed -n 's/^project(enoexec VERSION \([0-9][0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
[ -n "$version" ] || { echo "FAIL: no project(enoexec VERSION ...) in CMakeLists.txt" >&2; exit 1; }
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  *) skip "no portable build for $(uname -m)" ;;
esac
asset="enoexec-$version-linux-$arch"
program="$build/$asset"
built="$build/tools/enoexec/enoexec"
[ -x "$program" ] || { echo "FAIL: $program is missing (cmake --build --preset portable)" >&2; exit 1; }

chroot=$(command -v chroot)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- The program, as independent tools see it --------------------------------------------
(cd "$build" && sha256sum --check --strict SHA256SUMS >/dev/null) &&
  grep -q "  $asset\$" "$build/SHA256SUMS" && pass "SHA256SUMS holds $asset and matches" ||
  fail "SHA256SUMS in $build does not hold a matching line for $asset"

for elf in "$program" "$built"; do
  [ -f "$elf" ] || continue
  name=${elf#"$build"/}
  dynamic=$(readelf -dW "$elf" 2>&1)
  headers=$(readelf -lW "$elf" 2>&1)
  if grep -q '(NEEDED)' <<<"$dynamic"; then
    fail "$name has DT_NEEDED: $(grep '(NEEDED)' <<<"$dynamic" | tr -s ' ' | tr '\n' ' ')"
  else
    pass "$name: readelf -d shows no DT_NEEDED"
  fi
  if grep -qE '^ *INTERP ' <<<"$headers" || grep -q 'Requesting program interpreter' <<<"$headers"; then
    fail "$name has PT_INTERP: $(grep 'interpreter' <<<"$headers")"
  else
    pass "$name: readelf -l shows no PT_INTERP"
  fi
  described=$(file -b "$elf")
  if grep -qE 'static(-pie)? linked|statically linked' <<<"$described" &&
     ! grep -qE 'dynamically linked|interpreter' <<<"$described"; then
    pass "$name: file(1): ${described%%, BuildID*}"
  else
    fail "$name: file(1) does not call it static: $described"
  fi
done
file -b "$program" | grep -q 'stripped' && ! file -b "$program" | grep -q 'not stripped' &&
  pass "$asset is stripped" || fail "$asset is not stripped: $(file -b "$program")"

said=$("$program" --version 2>&1) || true
[ "$said" = "enoexec $version" ] && pass "--version: $said" ||
  fail "--version says '$said', expected 'enoexec $version'"

# --- enoexec's own verdict on itself ------------------------------------------------------
for target in ubuntu-20.04 debian-11 alpine; do
  set +e
  # stdout only: stderr holds the note on what a profile without --root assumes.
  verdict=$("$program" check --target "$target" "$program" 2>/dev/null)
  status=$?
  set -e
  if [ "$status" = 0 ] && grep -q "^$program: runs on $target (linux/$arch)\$" <<<"$verdict"; then
    pass "check --target $target: $verdict"
  else
    fail "check --target $target exited $status: $verdict"
  fi
done
inspected=$("$program" inspect --json "$program" 2>&1) || true
jq -e '(.linkage | test("^static")) and .interpreter == null and .needed == []' >/dev/null \
  <<<"$inspected" 2>/dev/null && pass "inspect --json: $(jq -c '{linkage, interpreter, needed}' <<<"$inspected")" ||
  fail "inspect --json does not call it static: $(jq -c '{linkage, interpreter, needed}' <<<"$inspected" 2>/dev/null || head -c 300 <<<"$inspected")"

# --- An empty chroot: nothing but the program ---------------------------------------------
empty="$work/empty"
mkdir -p "$empty"
cp "$program" "$empty/enoexec"
listing=$(cd "$empty" && find . -mindepth 1)
[ "$listing" = "./enoexec" ] || fail "the chroot holds more than the program: $listing"
said=$(env -i "$chroot" "$empty" /enoexec --version 2>&1) || true
[ "$said" = "enoexec $version" ] && pass "empty chroot: /enoexec --version: $said" ||
  fail "empty chroot: /enoexec --version says '$said', expected 'enoexec $version'"
set +e
seen=$(env -i "$chroot" "$empty" /enoexec inspect /enoexec 2>&1)
status=$?
set -e
[ "$status" = 0 ] && grep -q '^/enoexec: ELF 64-bit .*static' <<<"$seen" &&
  pass "empty chroot: /enoexec inspect /enoexec: $seen" ||
  fail "empty chroot: /enoexec inspect /enoexec exited $status: $seen"

# OpenSSL's configuration is not read (src/support/digest.cpp): the same check as
# cli.openssl_conf, on the static program, where a configuration could also dlopen a provider.
bash "$root/tests/cli/openssl_conf_test.sh" "$program" "$root/samples" >"$work/openssl.log" 2>&1 &&
  pass "OPENSSL_CONF with a missing provider and fips=yes: the Mach-O signature still verifies" ||
  fail "OPENSSL_CONF changes the portable program: $(tail -n 3 "$work/openssl.log")"

# --- The container image ------------------------------------------------------------------
if ! bash "$root/scripts/image.sh" "$arch" "$build" >"$work/image.log" 2>&1; then
  fail "scripts/image.sh failed: $(cat "$work/image.log")"
  echo "$failures check(s) failed" >&2
  exit 1
fi
layout="$build/oci"
archive="$build/enoexec-$version-oci-$arch.tar"
[ -f "$archive" ] && pass "image.sh wrote $layout and ${archive#"$build"/}" || fail "no $archive"

# The archive is the layout: unpack it from there, so both are exercised.
extracted="$work/layout"
mkdir -p "$extracted"
tar -C "$extracted" -xf "$archive"
blob() { printf '%s/blobs/%s' "$extracted" "${1/://}"; }
jq -e '.imageLayoutVersion == "1.0.0"' "$extracted/oci-layout" >/dev/null &&
  pass "oci-layout 1.0.0" || fail "oci-layout: $(cat "$extracted/oci-layout")"
for file in "$extracted"/blobs/sha256/*; do
  [ "sha256:$(sha256sum "$file" | cut -d' ' -f1)" = "sha256:${file##*/}" ] ||
    fail "blob ${file##*/} does not match its digest"
done
index="$extracted/index.json"
jq -e --arg v "$version" '.schemaVersion == 2 and (.manifests | length) == 1
    and .manifests[0].mediaType == "application/vnd.oci.image.manifest.v1+json"
    and .manifests[0].annotations["org.opencontainers.image.ref.name"] == $v' "$index" >/dev/null &&
  pass "index.json: one manifest, tag $version" || fail "index.json: $(jq -c . "$index")"
manifest=$(blob "$(jq -r '.manifests[0].digest' "$index")")
jq -e '.schemaVersion == 2 and .mediaType == "application/vnd.oci.image.manifest.v1+json"
    and .config.mediaType == "application/vnd.oci.image.config.v1+json"
    and (.layers | length) >= 1
    and all(.layers[]; .mediaType == "application/vnd.oci.image.layer.v1.tar+gzip")' \
  "$manifest" >/dev/null && pass "manifest: OCI config and $(jq '.layers | length' "$manifest") gzip layer(s)" ||
  fail "manifest: $(jq -c . "$manifest")"
config=$(blob "$(jq -r '.config.digest' "$manifest")")

# What the Dockerfile says, read here independently of image.sh.
dockerfile="$root/Dockerfile"
want_entrypoint=$(sed -n 's/^ENTRYPOINT[[:space:]]\{1,\}//p' "$dockerfile" | tail -n 1 | jq -c .)
want_workdir=$(sed -n 's/^WORKDIR[[:space:]]\{1,\}//p' "$dockerfile" | tail -n 1)
want_license=$(sed -n 's/^LABEL org\.opencontainers\.image\.licenses="\(.*\)"$/\1/p' "$dockerfile")
grep -q "^ARG VERSION=$version\$" "$dockerfile" && pass "Dockerfile: ARG VERSION=$version" ||
  fail "Dockerfile's ARG VERSION is not the project version $version"
[ "$want_license" = Apache-2.0 ] || fail "Dockerfile's licence label is '$want_license'"
jq -e --arg arch "$arch" --argjson entrypoint "$want_entrypoint" --arg workdir "$want_workdir" \
   --arg v "$version" --arg license "$want_license" \
  '.os == "linux" and .architecture == $arch and .config.Entrypoint == $entrypoint
   and .config.WorkingDir == $workdir
   and .config.Labels["org.opencontainers.image.version"] == $v
   and .config.Labels["org.opencontainers.image.licenses"] == $license
   and (.rootfs.diff_ids | length) == (input | .layers | length)' "$config" "$manifest" >/dev/null &&
  pass "config: $(jq -c '{os, architecture, Entrypoint: .config.Entrypoint, WorkingDir: .config.WorkingDir}' "$config")" ||
  fail "config does not say what the Dockerfile says: $(jq -c . "$config")"
# Every layer is a complete tar (GNU tar rejects one without its end-of-archive footer).
while IFS= read -r digest; do
  gzip -dc "$(blob "$digest")" | tar -t >/dev/null 2>"$work/tar.err" ||
    fail "layer $digest is not a complete tar: $(cat "$work/tar.err")"
done < <(jq -r '.layers[].digest' "$manifest")

# Unpack the image and run its entrypoint the way `docker run -v "$PWD:/w" IMAGE scan /w` does:
# a folder holding a copy of the program appears at /w; nothing else is in the root.
bundle="$work/bundle"
umoci unpack --image "$extracted:$version" "$bundle" >/dev/null
rootfs="$bundle/rootfs"
mapfile -t entrypoint < <(jq -r '.config.Entrypoint[]' "$config")
mapfile -t environment < <(jq -r '.config.Env // [] | .[]' "$config")
[ -x "$rootfs${entrypoint[0]}" ] && pass "the rootfs has the entrypoint ${entrypoint[0]}" ||
  fail "the rootfs has no ${entrypoint[0]}: $(cd "$rootfs" && find . | head)"
cmp -s "$rootfs${entrypoint[0]}" "$program" && pass "the image holds $asset byte for byte" ||
  fail "the image's ${entrypoint[0]} is not $asset"

# The Dockerfile itself, built by buildah (optional: Debian package buildah) from a context
# holding only the release file: the same config and the same files as image.sh's image.
if command -v buildah >/dev/null; then
  context="$work/context"
  mkdir -p "$context/build/portable"
  cp "$program" "$context/build/portable/"
  cp "$dockerfile" "$root/.dockerignore" "$context/"
  buildah=(buildah --root "$work/buildah/root" --runroot "$work/buildah/run" --storage-driver vfs)
  if "${buildah[@]}" bud --quiet --isolation chroot -t enoexec-portable-test "$context" \
       >"$work/buildah.log" 2>&1 &&
     "${buildah[@]}" push enoexec-portable-test "oci:$work/buildah-oci:test" >>"$work/buildah.log" 2>&1; then
    bh_manifest="$work/buildah-oci/blobs/$(jq -r '.manifests[0].digest | sub(":"; "/")' "$work/buildah-oci/index.json")"
    bh_config="$work/buildah-oci/blobs/$(jq -r '.config.digest | sub(":"; "/")' "$bh_manifest")"
    same='{os, architecture, config: (.config | .Labels |= del(.["io.buildah.version"]))}'
    if [ "$(jq -S "$same" "$bh_config")" = "$(jq -S "$same" "$config")" ]; then
      pass "buildah bud of the Dockerfile gives the same config as image.sh"
    else
      fail "buildah and image.sh configs differ: $(diff <(jq -S "$same" "$bh_config") <(jq -S "$same" "$config") | tr '\n' ' ')"
    fi
    bh_rootfs="$work/buildah-rootfs"
    mkdir -p "$bh_rootfs"
    while IFS= read -r digest; do
      gzip -dc "$work/buildah-oci/blobs/${digest/://}" | tar -C "$bh_rootfs" -x
    done < <(jq -r '.layers[].digest' "$bh_manifest")
    tree() { (cd "$1" && find . -mindepth 1 \( -type d -printf '%p d %m\n' \) -o -printf '%p %y %m %s\n' | sort); }
    if [ "$(tree "$bh_rootfs")" = "$(tree "$rootfs")" ]; then
      pass "buildah's image holds the same files as image.sh's"
    else
      fail "buildah's and image.sh's files differ: $(diff <(tree "$bh_rootfs") <(tree "$rootfs") | tr '\n' ' ')"
    fi
    if cmp -s "$bh_rootfs${entrypoint[0]}" "$program"; then :; else fail "buildah's ${entrypoint[0]} is not $asset"; fi
  else
    fail "buildah bud of the Dockerfile failed: $(tail -n 5 "$work/buildah.log")"
  fi
else
  echo "note: buildah is not installed; the Dockerfile is checked only through scripts/image.sh"
fi

mkdir -p "$rootfs$want_workdir"
cp "$program" "$rootfs$want_workdir/enoexec-copy"
run_image() { env -i "${environment[@]}" "$chroot" "$rootfs" "${entrypoint[@]}" "$@"; }
set +e
said=$(run_image --version 2>&1)
scanned=$(run_image scan "$want_workdir" 2>&1)
status=$?
set -e
[ "$said" = "enoexec $version" ] && pass "image: --version: $said" || fail "image: --version says '$said'"
[ "$status" = 0 ] && pass "image: scan $want_workdir exits 0: $(tr '\n' ' ' <<<"$scanned")" ||
  fail "image: scan $want_workdir exited $status: $scanned"
# ... and judges: an arm64 program next to it will not run on this amd64 machine.
if [ "$arch" = amd64 ]; then
  cp "$root/samples/linux-arm64" "$rootfs$want_workdir/"
  set +e
  scanned=$(run_image scan "$want_workdir" 2>&1)
  status=$?
  set -e
  [ "$status" = 1 ] && grep -q 'linux-arm64: will not run' <<<"$scanned" &&
    pass "image: scan finds the arm64 program that will not run (exit 1)" ||
    fail "image: scan with an arm64 program exited $status: $scanned"
fi
# ... and reads a container image, its own (umoci's gzip layers; the portable program inflates
# them with zlib, libarchive.a reads the tar), from the same root that holds nothing else.
cp -r "$extracted" "$rootfs/oci"
set +e
judged=$(run_image image /oci 2>&1)
status=$?
set -e
[ "$status" = 0 ] && grep -q "^/oci \[linux/$arch\]: runs on linux/$arch\$" <<<"$judged" &&
  grep -q "^  programs: 1 linux/$arch\$" <<<"$judged" &&
  pass "image: image /oci (its own layout) exits 0: $(head -n 1 <<<"$judged")" ||
  fail "image: image /oci exited $status: $judged"

if [ "$failures" != 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "portable_test.sh: all checks passed"
