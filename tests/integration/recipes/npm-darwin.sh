# Native Node add-ons for macOS on Apple silicon, as their projects publish them to the npm
# registry: Mach-O files that Apple's own linker (ld64) linked and signed ad hoc on a Mac. The
# macho recipe reaches only ld64.lld and Go's linker; these are the signatures real users run.
#
#  @parcel/watcher-darwin-arm64 2.5.1   watcher.node, a C++ add-on (node-gyp): an MH_BUNDLE
#  lightningcss-darwin-arm64 1.29.3     lightningcss.darwin-arm64.node, Rust (napi-rs): a 7 MB dylib
#  edited/watcher-page.node             watcher.node with one byte of code flipped after signing
#
# Fetched with `npm pack NAME@VERSION` (pinned, and each tarball's sha512 pinned too) and
# unpacked with tar into NAME-VERSION/. Apple's ld is proven, not assumed: llvm-objdump-14 must
# show LC_BUILD_VERSION's build tool "ld" with an ld64 version (hundreds: 609 in Xcode 12 up to
# 1200-odd; ld64.lld records LLVM's 14.x there) and no Go build info. The signature expectations
# come from the Python verifier below; the files are never executed. Without access to the
# registry the recipe fails, loudly: CI needs these inputs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
recipe_init "$@"

ensure_packages llvm-14 python3
command -v npm >/dev/null 2>&1 || ensure_packages npm
OBJDUMP=llvm-objdump-14

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---------------------------------------------------------------------------------------------
# Fetching.

# fetch NAME VERSION SHA512: npm pack, the tarball's integrity checked, unpacked into
# $OUT/<tarball name without .tgz>/ (npm's own layout: package/...); prints that directory.
fetch() {
  local name=$1 version=$2 sha512=$3 tarball dir
  tarball=$(cd "$work" && npm pack --loglevel=error "$name@$version" 2>"$work/npm.log" | tail -n1) ||
    die "npm pack $name@$version failed (no access to the npm registry?): $(tr '\n' ' ' <"$work/npm.log" | cut -c1-300)"
  [ -f "$work/$tarball" ] || die "npm pack $name@$version wrote no tarball: $(tr '\n' ' ' <"$work/npm.log" | cut -c1-300)"
  [ "$(python3 -c 'import base64, hashlib, sys; print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$work/$tarball")" = "$sha512" ] ||
    die "$tarball: sha512 differs from the pinned $sha512"
  dir=${tarball%.tgz}
  mkdir -p "$OUT/$dir"
  tar -xzf "$work/$tarball" -C "$OUT/$dir" || die "tar -xzf $tarball failed"
  echo "$dir"
}

# ---------------------------------------------------------------------------------------------
# Independent readers: llvm-objdump, od, dd | sha256sum and a verifier in Python.

lc_value() {  # lc_value FILE CMD KEY: the first value llvm-objdump prints for KEY inside CMD
  $OBJDUMP --macho --private-headers "$1" | awk -v want="$2" -v key="$3" '
    /^Load command/ { cmd = "" }
    $1 == "cmd" { cmd = $2 }
    cmd == want && $1 == key && !done { print $2; done = 1 }'
}
header_word() { $OBJDUMP --macho --private-header "$1" | tail -n1 | awk -v n="$2" '{print $n}'; }
be32() { od -An -tu4 --endian=big -j "$2" -N4 "$1" | tr -d ' '; }

# verify_signature FILE [SLICE_OFFSET SLICE_SIZE]: macho_signature.py beside this recipe (what
# it checks and prints is described there).
verify_signature() { python3 "$(dirname "${BASH_SOURCE[0]}")/macho_signature.py" "$@"; }

# ---------------------------------------------------------------------------------------------
# Expectations.

# expect_apple_ld FILE: dies unless llvm-objdump shows Apple's ld64 as the build tool; sets
# /toolchain/linker and /toolchain/linker_version.
expect_apple_ld() {
  local path=$1 tools major
  tools=$($OBJDUMP --macho --private-headers "$path" | awk '$1 == "tool" {t = $2} $1 == "version" && t != "" {print t, $2; t = ""}')
  [ "$(wc -l <<<"$tools")" = 1 ] && [ "${tools%% *}" = ld ] || die "$path: build tools '$tools', expected one: ld"
  major=${tools#ld }
  major=${major%%.*}
  [ "$major" -ge 500 ] && [ "$major" -lt 2000 ] ||
    die "$path: build tool '$tools' is not an Apple ld64 version (ld64.lld records LLVM's version)"
  if $OBJDUMP --macho --section-headers "$path" | grep -w __go_buildinfo >/dev/null; then die "$path: Go build info: Go's linker"; fi
  expect_str /toolchain/linker apple-ld
  expect_str /toolchain/linker_version "${tools#ld }"
}

# expect_addon FILE TYPE: the Mach-O facts of a darwin/arm64 add-on from llvm-objdump and
# file(1). TYPE: bundle (MH_BUNDLE, node-gyp's default) or shared-library (MH_DYLIB).
expect_addon() {
  local path=$1 type=$2 id
  [ "$(header_word "$path" 1) $(header_word "$path" 2) $(header_word "$path" 3)" = "MH_MAGIC_64 ARM64 ALL" ] ||
    die "$path: llvm-objdump does not show a 64-bit ARM64 Mach-O header"
  case "$type:$(header_word "$path" 5)" in
    bundle:BUNDLE | shared-library:DYLIB) ;;
    *) die "$path: $type expected, llvm-objdump filetype $(header_word "$path" 5)" ;;
  esac
  [[ $(file -b "$path") == "Mach-O 64-bit arm64 "* ]] || die "$path: file(1) says '$(file -b "$path")'"
  [ "$(lc_value "$path" LC_BUILD_VERSION platform)" = macos ] || die "$path: LC_BUILD_VERSION platform is not macos"
  [ -z "$(lc_value "$path" LC_LOAD_DYLINKER name)" ] || die "$path: an add-on with LC_LOAD_DYLINKER"
  id=$($OBJDUMP --macho --dylib-id "$path" | tail -n +2 | sed 's/^[[:space:]]*//')
  expect_str /format macho
  expect /bits 64
  expect_str /endian little
  expect_str /machine CPU_TYPE_ARM64
  expect_str /platform darwin/arm64
  expect_str /type "$type"
  expect_str /macho/minos "$(lc_value "$path" LC_BUILD_VERSION minos)"
  expect_str /macho/sdk "$(lc_value "$path" LC_BUILD_VERSION sdk)"
  expect /interpreter null
  expect /needed "$($OBJDUMP --macho --dylibs-used "$path" | tail -n +2 | sed 's/^[[:space:]]*//; s/ (compatibility version.*//' |
    jq -Rsc --arg id "$id" 'split("\n") | map(select(. != "" and . != $id))')"
  expect_apple_ld "$path"
}

# expect_code_signature FILE valid|PAGE: the ad hoc, linker-signed signature Apple's ld writes
# (CodeDirectory flags 0x20002 read with od), and the verifier's verdict: every page good, or
# exactly page PAGE wrong (then the first invalid entry names it).
expect_code_signature() {
  local path=$1 want=$2 sb cd flags verify
  sb=$(lc_value "$path" LC_CODE_SIGNATURE dataoff)
  [ -n "$sb" ] || die "$path: llvm-objdump shows no LC_CODE_SIGNATURE"
  [ "$(be32 "$path" "$((sb + 12))")" = 0 ] || die "$path: the SuperBlob's first blob is not the CodeDirectory"
  cd=$((sb + $(be32 "$path" "$((sb + 16))")))
  flags=$(be32 "$path" "$((cd + 12))")
  [ $((flags & 0x2)) -ne 0 ] && [ $((flags & 0x20000)) -ne 0 ] && [ $((flags & 0x10000)) -eq 0 ] ||
    die "$path: CodeDirectory flags $flags: not an ad hoc linker signature"
  verify=$(verify_signature "$path") || die "$path: the signature verifier failed"
  # Apple's ld hashes every byte before the signature, in 4096-byte pages, with SHA-256.
  jq -e --argjson limit "$sb" '.code_directories | length == 1 and all(.code_limit == $limit and
      .page_size == 4096 and .pages == ((.code_limit + 4095) / 4096 | floor) and .hash_type == "sha256")' \
    <<<"$verify" >/dev/null || die "$path: code directories disagree with LC_CODE_SIGNATURE (dataoff $sb): $verify"
  expect /macho/code_signature/signed true
  expect /macho/code_signature/adhoc true
  expect /macho/code_signature/linker_signed true
  expect_str /macho/code_signature/hash_type sha256
  expect /macho/code_signature/code_directories "$(jq -c .code_directories <<<"$verify")"
  expect /macho/code_signature/unchecked "$(jq -c .unchecked <<<"$verify")"
  if [ "$want" = valid ]; then
    [ "$(jq -c .valid <<<"$verify")" = true ] || die "$path: as published, but the verifier says $verify"
    expect /macho/code_signature/valid true
    expect /macho/code_signature/invalid '[]'
    return 0
  fi
  jq -e --argjson page "$want" '.valid == false and [.bad_pages[].page] == [$page] and .bad_special_slots == []' \
    <<<"$verify" >/dev/null || die "$path: page $want was edited, the verifier says $verify"
  expect /macho/code_signature/valid false
  expect_str /macho/code_signature/invalid/0/code_directory sha256
  expect_str /macho/code_signature/invalid/0/check page
  expect /macho/code_signature/invalid/0/page "$want"
  expect /macho/code_signature/invalid/0/offset "$((want * 4096))"
  expect /macho/code_signature/invalid/0/slot null
}

# ---------------------------------------------------------------------------------------------
# The add-ons.

watcher=$(fetch @parcel/watcher-darwin-arm64 2.5.1 \
  'sha512-eAzPv5osDmZyBhou8PoF4i6RQXAfeKL9tjb3QzYuccXFMQU0ruIc/POh30ePnaOyD1UXdlKguHBmsTs53tVoPw==')/package/watcher.node
expect_begin
expect_addon "$OUT/$watcher" bundle
expect_code_signature "$OUT/$watcher" valid
emit "$watcher" "npm pack @parcel/watcher-darwin-arm64@2.5.1; tar -xzf (a C++ add-on linked by Apple's ld64)"

lightningcss=$(fetch lightningcss-darwin-arm64 1.29.3 \
  'sha512-fb7raKO3pXtlNbQbiMeEu8RbBVHnpyqAoxTyTRMEWFQWmscGC2wZxoHzZ+YKAepUuKT9uIW5vL2QbFivTgprZg==')/package/lightningcss.darwin-arm64.node
expect_begin
expect_addon "$OUT/$lightningcss" shared-library
expect_str /linkage dynamic
expect_code_signature "$OUT/$lightningcss" valid
emit "$lightningcss" "npm pack lightningcss-darwin-arm64@1.29.3; tar -xzf (a Rust add-on linked by Apple's ld64)"

# watcher.node with one byte of code changed after signing: the middle byte of __TEXT,__text.
# dd | sha256sum and od show that page's hash matched before the edit and no longer does.
page_sha256() { dd if="$1" bs=4096 skip="$2" count=1 status=none | sha256sum | cut -c1-64; }
stored_page_hash() {  # the first CodeDirectory's hash of page $2 (SHA-256), hex
  local sb cd
  sb=$(lc_value "$1" LC_CODE_SIGNATURE dataoff)
  cd=$((sb + $(be32 "$1" "$((sb + 16))")))
  od -An -tx1 -v -j "$((cd + $(be32 "$1" "$((cd + 16))") + $2 * 32))" -N32 "$1" | tr -d ' \n'
}
read -r at size < <($OBJDUMP --macho --private-headers "$OUT/$watcher" | awk '
  $1 == "Section" { s = 1; n = ""; g = "" } $1 == "cmd" { s = 0 }
  s && $1 == "sectname" { n = $2 } s && $1 == "segname" { g = $2 }
  s && n == "__text" && g == "__TEXT" && $1 == "size" { z = $2 }
  s && n == "__text" && g == "__TEXT" && $1 == "offset" && !d { print $2, z; d = 1 }')
[ -n "${size:-}" ] || die "$watcher: llvm-objdump shows no __TEXT,__text section"
at=$((at + size / 2))  # bash reads the 0x size as hex
page=$((at / 4096))
mkdir -p "$OUT/edited"
cp "$OUT/$watcher" "$OUT/edited/watcher-page.node"
# One byte inverted in place (od reads it, dd writes it back), as macho.sh's flip_byte does.
byte=$(od -An -tu1 -j "$at" -N1 "$OUT/edited/watcher-page.node" | tr -d ' ')
printf "\\$(printf %03o $((byte ^ 255)))" | dd of="$OUT/edited/watcher-page.node" bs=1 seek="$at" conv=notrunc status=none
[ "$(page_sha256 "$OUT/$watcher" "$page")" = "$(stored_page_hash "$OUT/$watcher" "$page")" ] &&
  [ "$(page_sha256 "$OUT/edited/watcher-page.node" "$page")" != "$(stored_page_hash "$OUT/edited/watcher-page.node" "$page")" ] ||
  die "edited/watcher-page.node: dd | sha256sum of page $page does not show the edit"
chmod +x "$OUT/edited/watcher-page.node"
expect_begin
expect_addon "$OUT/edited/watcher-page.node" bundle
expect_code_signature "$OUT/edited/watcher-page.node" "$page"
emit edited/watcher-page.node "cp $watcher edited/watcher-page.node; byte $at (middle of __TEXT,__text; page $page of 4096 bytes, offset $((page * 4096))) xor 0xff; chmod +x"

log "built $(wc -l <"$MANIFEST") files (npm $(npm --version))"
