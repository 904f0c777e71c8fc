# Mach-O files built here, thin and universal, for the macho reader. See ../README.md.
#
#  go/        Debian's Go, CGO_ENABLED=0: GOOS=darwin GOARCH=amd64 and arm64, plain and stripped
#             (-ldflags='-s -w'). GOOS=ios is tried too; Go 1.19 links ios only through an
#             external (Apple) linker, so without cgo that build fails and is skipped (logged).
#  clang/     clang-14 objects for platforms Go does not reach (iOS, simulator, Mac Catalyst,
#             tvOS, watchOS; arm64e, x86_64h, armv7, armv7k, arm64_32, i386), and ld64.lld-14
#             links against a stub libSystem (.tbd): an ios/arm64 and a watchos/arm64_32
#             executable, and a macOS arm64 dylib with weak, re-exported and rpath entries;
#             macOS arm64 programs unsigned and signed, an x86_64 one unsigned and signed
#             (-adhoc_codesign).
#  edited/    signed programs changed after signing: a byte of code (Go arm64, lld x86_64), a
#             byte of a stored page hash, the Go program cut inside its signature.
#  universal/ llvm-lipo-14 -create of the two Go darwin programs (FAT_MAGIC), and the same file
#             with its fat header rewritten to FAT_MAGIC_64 by a few lines of Python (llvm-lipo-14
#             has no -fat64); slices for slice choice; a good and an edited slice, each way round.
#
# Expectations come from how each file was made (GOOS/GOARCH, the clang triple, the link
# flags) and are cross-checked, before they are written, against llvm-objdump-14 --macho
# (header, load commands, dylibs), llvm-lipo-14 -info, file(1) and the first bytes of the file.
# The code signature is decoded by an independent Python reader (below) from the SuperBlob that
# llvm-objdump's LC_CODE_SIGNATURE names; Go's darwin/arm64 linker and ld64.lld's macOS arm64
# output must come out ad hoc + linker-signed. Whether a signature holds (page hashes, special
# slots) comes from an independent Python verifier (hashlib), cross-checked with llvm-objdump's
# LC_CODE_SIGNATURE and, for the edited pages, dd | sha256sum against od. Nothing is executed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
recipe_init "$@"

ensure_packages golang-go clang-14 lld-14 llvm-14 python3
OBJDUMP=llvm-objdump-14
LIPO=llvm-lipo-14
unset GOFLAGS GOOS GOARCH GOARM GOAMD64
export CGO_ENABLED=0
GOVERSION=$(go env GOVERSION)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---------------------------------------------------------------------------------------------
# Independent readers.

# The mach_header line of llvm-objdump: "MH_MAGIC_64 ARM64 ALL 0x00 EXECUTE 14 2416 DYLDLINK PIE".
macho_header() { $OBJDUMP --macho --private-header "$1" | tail -n1; }
header_word() { macho_header "$1" | awk -v n="$2" '{print $n}'; }

# lc_value FILE CMD KEY: the value llvm-objdump prints for KEY inside load command CMD (first).
lc_value() {
  $OBJDUMP --macho --private-headers "$1" | awk -v want="$2" -v key="$3" '
    /^Load command/ { cmd = "" }
    $1 == "cmd" { cmd = $2 }
    cmd == want && $1 == key && !done { print $2; done = 1 }'
}
has_lc() { $OBJDUMP --macho --private-headers "$1" | awk -v want="$2" '$1 == "cmd" && $2 == want {f = 1} END {exit !f}'; }

# The dylibs a file loads, in load-command order, as JSON (its own LC_ID_DYLIB left out).
dylibs_json() {
  local id
  id=$($OBJDUMP --macho --dylib-id "$1" | tail -n +2 | sed 's/^[[:space:]]*//')
  $OBJDUMP --macho --dylibs-used "$1" | tail -n +2 | sed 's/^[[:space:]]*//; s/ (compatibility version.*//' |
    jq -Rsc --arg id "$id" 'split("\n") | map(select(. != "" and . != $id))'
}

# Byte order from the magic itself (CF FA ED FE / CE FA ED FE little, FE ED FA CE/CF big).
magic_endian() {
  case $(od -An -tx1 -N4 "$1" | tr -d ' \n') in
    cffaedfe | cefaedfe) echo little ;;
    feedfacf | feedface) echo big ;;
    *) die "$1: not a thin Mach-O magic" ;;
  esac
}

# The embedded code signature, decoded without enoexec: JSON with signed, adhoc, linker_signed,
# runtime, identifier, team_id, hash_type, cd_version, dataoff, datasize.
read_signature() {
  python3 - "$1" <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
magic = data[:4]
if magic not in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"):
    sys.exit("little-endian thin Mach-O expected")
is64 = magic == b"\xcf\xfa\xed\xfe"
ncmds, = struct.unpack_from("<I", data, 16)
at = 32 if is64 else 28
sig = None
for _ in range(ncmds):
    cmd, size = struct.unpack_from("<II", data, at)
    if cmd == 0x1d:
        sig = struct.unpack_from("<II", data, at + 8)
    at += size
out = {"signed": False}
if sig:
    off, size = sig
    sb = data[off:off + size]
    smagic, slen, count = struct.unpack_from(">III", sb, 0)
    assert smagic == 0xfade0cc0, hex(smagic)
    for i in range(count):
        typ, boff = struct.unpack_from(">II", sb, 12 + 8 * i)
        if typ != 0:
            continue
        cmagic, clen, ver, flags, hoff, ioff = struct.unpack_from(">IIIIII", sb, boff)
        assert cmagic == 0xfade0c02, hex(cmagic)
        cd = sb[boff:boff + clen]
        cstr = lambda o: cd[o:cd.index(b"\0", o)].decode()
        team = None
        if ver >= 0x20200:
            toff, = struct.unpack_from(">I", cd, 48)
            team = cstr(toff) if toff else None
        names = {1: "sha1", 2: "sha256", 3: "sha256-truncated", 4: "sha384"}
        out = {"signed": True, "adhoc": bool(flags & 0x2), "linker_signed": bool(flags & 0x20000),
               "runtime": bool(flags & 0x10000), "identifier": cstr(ioff), "team_id": team,
               "hash_type": names.get(cd[37], str(cd[37])), "cd_version": hex(ver)}
    out["dataoff"], out["datasize"] = off, size
print(json.dumps(out))
PY
}

# verify_signature FILE [SLICE_OFFSET SLICE_SIZE]: macho_signature.py beside this recipe (what
# it checks and prints is described there).
verify_signature() { python3 "$(dirname "${BASH_SOURCE[0]}")/macho_signature.py" "$@"; }

# ---------------------------------------------------------------------------------------------
# Expectations for one thin file, checked against the readers above.

# What llvm-objdump prints as cputype / cpusubtype for a platform's architecture; the subtype
# is $OBJDUMP_SUBTYPE when the build chose one (armv7k, arm64e).
objdump_cpu() {
  local cpu sub
  case $1 in
    */amd64) cpu=X86_64 sub=ALL ;; */amd64/v3) cpu=X86_64 sub=Haswell ;;
    */arm64) cpu=ARM64 sub=ALL ;; */arm64_32) cpu=ARM64_32 sub=V8 ;;
    */386) cpu=I386 sub=ALL ;; */arm/v7) cpu=ARM sub=V7 ;;
    *) die "no cputype row for $1" ;;
  esac
  echo "$cpu ${OBJDUMP_SUBTYPE:-$sub}"
}
# Which platform names (LC_BUILD_VERSION, or the LC_VERSION_MIN_* command) give each GOOS.
objdump_platform_ok() {  # objdump_platform_ok GOOS NAME
  case "$1:$2" in
    darwin:macos | darwin:LC_VERSION_MIN_MACOSX) ;;
    ios:ios | ios:iossimulator | ios:macCatalyst | ios:LC_VERSION_MIN_IPHONEOS) ;;
    tvos:tvos | watchos:watchos) ;;
    *) return 1 ;;
  esac
}

# expect_macho FILE PLATFORM BITS TYPE MINOS|"" : format, bits, endian, machine, platform, type,
# minos, sdk, interpreter, linkage, needed, libc. MINOS is the version the build asked for (the
# clang triple); "" when the toolchain chooses it (Go), then llvm-objdump's value is used.
expect_macho() {
  local path=$1 platform=$2 bits=$3 type=$4 want_minos=$5
  local goos=${platform%%/*} magic cpu sub filetype flags desc pname minos sdk interp needed
  magic=$(header_word "$path" 1)
  cpu=$(header_word "$path" 2)
  sub=$(header_word "$path" 3)
  filetype=$(header_word "$path" 5)
  flags=$(macho_header "$path" | awk '{for (i = 8; i <= NF; i++) printf " %s", $i}')
  case "$bits:$magic" in 64:MH_MAGIC_64 | 32:MH_MAGIC) ;; *) die "$path: $bits-bit expected, llvm-objdump shows $magic" ;; esac
  [ "$cpu $sub" = "$(objdump_cpu "$platform")" ] || die "$path: $platform expected, llvm-objdump shows '$cpu $sub'"
  desc=$(file_says "$path")
  [[ $desc == Mach-O* ]] || die "$path: file(1) says '$desc'"
  case "$type:$filetype" in
    pie-executable:EXECUTE) [[ " $flags " == *" PIE "* ]] || die "$path: no MH_PIE in '$flags'" ;;
    executable:EXECUTE) [[ " $flags " != *" PIE "* ]] || die "$path: unexpected MH_PIE" ;;
    shared-library:DYLIB | relocatable:OBJECT) ;;
    *) die "$path: $type expected, llvm-objdump filetype $filetype" ;;
  esac

  if has_lc "$path" LC_BUILD_VERSION; then
    pname=$(lc_value "$path" LC_BUILD_VERSION platform)
    minos=$(lc_value "$path" LC_BUILD_VERSION minos)
    sdk=$(lc_value "$path" LC_BUILD_VERSION sdk)
  else
    local lc
    for lc in LC_VERSION_MIN_MACOSX LC_VERSION_MIN_IPHONEOS; do
      has_lc "$path" $lc && { pname=$lc; minos=$(lc_value "$path" $lc version); sdk=$(lc_value "$path" $lc sdk); }
    done
  fi
  objdump_platform_ok "$goos" "${pname:-none}" || die "$path: $goos expected, llvm-objdump platform '${pname:-none}'"
  if [ -n "$want_minos" ] && [ "$minos" != "$want_minos" ]; then die "$path: built for minos $want_minos, llvm-objdump shows $minos"; fi
  [ "$sdk" = n/a ] && sdk=""

  expect_str /format macho
  expect /bits "$bits"
  expect_str /endian "$(magic_endian "$path")"
  expect_str /machine "CPU_TYPE_$(case $cpu in X86_64) echo X86_64 ;; I386) echo X86 ;; *) echo "$cpu" ;; esac)"
  expect_str /platform "$platform"
  expect_str /type "$type"
  expect_str /macho/minos "$minos"
  expect_str_or_null /macho/sdk "$sdk"
  [ "$type" = relocatable ] && return 0
  interp=$(lc_value "$path" LC_LOAD_DYLINKER name)
  needed=$(dylibs_json "$path")
  expect_str_or_null /interpreter "$interp"
  if [ "$type" = shared-library ] || [ -n "$interp" ]; then expect_str /linkage dynamic; else expect_str /linkage static; fi
  expect /needed "$needed"
  if jq -e 'index("/usr/lib/libSystem.B.dylib")' <<<"$needed" >/dev/null; then expect_str /libc libsystem; fi
}

# expect_signature FILE adhoc|none|edited: /macho/code_signature/*, from the Python reader, which
# must agree with how the file was made and with llvm-objdump's LC_CODE_SIGNATURE. A file as the
# linker signed it (adhoc) must also verify (valid true); one whose bytes were changed after it
# was signed (edited) gets its verdict from expect_broken, which says what the edit broke.
expect_signature() {
  local path=$1 want=$2 sig verify
  sig=$(read_signature "$path") || die "$path: the signature reader failed"
  verify=$(verify_signature "$path") || die "$path: the signature verifier failed"
  case $want in
    none)
      [ "$(jq -r .signed <<<"$sig")" = false ] || die "$path: expected no signature, reader shows $sig"
      has_lc "$path" LC_CODE_SIGNATURE && die "$path: llvm-objdump shows LC_CODE_SIGNATURE"
      [ "$(jq -c .valid <<<"$verify")" = null ] || die "$path: unsigned, but the verifier says $verify"
      expect /macho/code_signature/signed false
      expect /macho/code_signature/valid null
      return 0
      ;;
    adhoc | edited)
      jq -e '.signed and .adhoc and .linker_signed and (.runtime | not) and .team_id == null' <<<"$sig" >/dev/null ||
        die "$path: expected an ad hoc linker signature, reader shows $sig"
      [ "$(lc_value "$path" LC_CODE_SIGNATURE dataoff)" = "$(jq -r .dataoff <<<"$sig")" ] ||
        die "$path: LC_CODE_SIGNATURE dataoff disagrees with the reader"
      ;;
    *) die "expect_signature: unknown kind $want" ;;
  esac
  local key
  for key in signed adhoc linker_signed runtime identifier team_id hash_type cd_version; do
    expect "/macho/code_signature/$key" "$(jq -c ".$key" <<<"$sig")"
  done
  [ "$want" = adhoc ] || return 0
  [ "$(jq -c .valid <<<"$verify")" = true ] || die "$path: signed by its linker, but the verifier says $verify"
  check_signature_extent "$path" "$verify" "$(jq -r .hash_type <<<"$sig")"
  expect_verified /macho/code_signature "$verify"
}

# check_signature_extent FILE VERIFY HASH_TYPE: what llvm-objdump and the reader say about the
# hashed range. Go's linker, ld64.lld and Apple's ld hash every byte before the signature: each
# CodeDirectory's code limit is LC_CODE_SIGNATURE's dataoff, in ceil(limit / page size) pages,
# hashed with the reader's hash type.
check_signature_extent() {
  local path=$1 verify=$2 hash_type=$3 dataoff
  dataoff=$(lc_value "$path" LC_CODE_SIGNATURE dataoff)
  jq -e --argjson limit "$dataoff" --arg type "$hash_type" '.code_directories | length > 0 and
      all(.code_limit == $limit and .pages == ((.code_limit + .page_size - 1) / .page_size | floor)
          and .hash_type == $type)' <<<"$verify" >/dev/null ||
    die "$path: the verifier's code directories disagree with llvm-objdump (dataoff $dataoff) and the reader ($hash_type): $verify"
}

# expect_verified POINTER VERIFY: the verification facts under POINTER (/macho/code_signature or
# /slices/N/macho/code_signature) from verify_signature's JSON. An invalid signature's first
# problem is named: a page (its number, and its absolute offset in the file), a special slot, or
# the structure (a signature that cannot be read: no code directories to list).
expect_verified() {
  local at=$1 verify=$2
  expect "$at/valid" "$(jq -c .valid <<<"$verify")"
  case $(jq -c .valid <<<"$verify") in
    null) return 0 ;;
    true) expect "$at/invalid" '[]' ;;
  esac
  if jq -e 'has("error")' <<<"$verify" >/dev/null; then
    expect_str "$at/invalid/0/check" structure
    return 0
  fi
  expect "$at/code_directories" "$(jq -c .code_directories <<<"$verify")"
  expect "$at/unchecked" "$(jq -c .unchecked <<<"$verify")"
  if jq -e '.bad_pages | length > 0' <<<"$verify" >/dev/null; then
    expect "$at/invalid/0/code_directory" "$(jq -c '.bad_pages[0].code_directory' <<<"$verify")"
    expect_str "$at/invalid/0/check" page
    expect "$at/invalid/0/page" "$(jq -c '.bad_pages[0].page' <<<"$verify")"
    expect "$at/invalid/0/offset" "$(jq -c '.bad_pages[0].offset' <<<"$verify")"
    expect "$at/invalid/0/slot" null
  elif jq -e '.bad_special_slots | length > 0' <<<"$verify" >/dev/null; then
    expect "$at/invalid/0/code_directory" "$(jq -c '.bad_special_slots[0].code_directory' <<<"$verify")"
    expect_str "$at/invalid/0/check" special-slot
    expect "$at/invalid/0/slot" "$(jq -c '.bad_special_slots[0].slot' <<<"$verify")"
    expect "$at/invalid/0/page" null
  fi
}

# Every thin file's expectations, kept for the universal files that contain it.
declare -A THIN_EXPECT
record() {  # record FILE MADE_BY
  THIN_EXPECT[$1]=$EXPECT
  emit "$1" "$2"
}
# amend FILE MADE_BY: adds the current expectations to FILE's, which must be the last line.
amend() {
  [ "$(tail -n1 "$MANIFEST" | jq -r .file)" = "$1" ] || die "amend: $1 is not the last manifest line"
  EXPECT=$(jq -c --argjson base "${THIN_EXPECT[$1]}" '$base + .' <<<"$EXPECT")
  sed -i '$d' "$MANIFEST"
  record "$1" "$2"
}

# ---------------------------------------------------------------------------------------------
# Go programs.

module=$work/go
mkdir -p "$module" "$OUT/src/go"
printf 'module example.com/hello\n\ngo 1.19\n' >"$module/go.mod"
cat >"$module/main.go" <<'EOF'
package main

import "os"

func main() {
	os.Stdout.WriteString("hello from Go\n")
}
EOF
cp "$module/go.mod" "$module/main.go" "$OUT/src/go/"

# go_build NAME GOOS GOARCH SIGNATURE [GO BUILD FLAGS...]: builds $OUT/go/NAME/hello.
go_build() {
  local name=$1 goos=$2 goarch=$3 signature=$4 output
  shift 4
  output=go/$name/hello
  mkdir -p "$OUT/go/$name"
  (cd "$module" && GOOS=$goos GOARCH=$goarch go build -trimpath "$@" -o "$OUT/$output" .) || return 1
  expect_begin
  expect_macho "$OUT/$output" "$goos/$goarch" 64 "$([ "$goarch" = arm64 ] && echo pie-executable || echo executable)" ""
  expect_signature "$OUT/$output" "$signature"
  record "$output" "$(printf '%q ' CGO_ENABLED=0 GOOS="$goos" GOARCH="$goarch" go build -trimpath "$@" -o "$output" .)($GOVERSION, source in src/go/)"
}

# Go signs darwin/arm64 output itself (ad hoc, linker-signed); darwin/amd64 output is unsigned.
go_build darwin-amd64 darwin amd64 none || die "go build darwin/amd64 failed"
go_build darwin-arm64 darwin arm64 adhoc || die "go build darwin/arm64 failed"
go_build darwin-amd64-stripped darwin amd64 none -ldflags='-s -w' || die "go build darwin/amd64 -s -w failed"
go_build darwin-arm64-stripped darwin arm64 adhoc -ldflags='-s -w' || die "go build darwin/arm64 -s -w failed"
if ! go_build ios-arm64 ios arm64 adhoc 2>"$work/ios.log"; then
  log "skipped GOOS=ios GOARCH=arm64: $GOVERSION links ios only with an external linker (cgo); go build said: $(tr '\n' ' ' <"$work/ios.log" | cut -c1-200)"
  rm -rf "$OUT/go/ios-arm64"
fi

# ---------------------------------------------------------------------------------------------
# clang objects and ld64.lld programs.

mkdir -p "$OUT/clang" "$OUT/src/clang" "$work/sdk"
printf 'int main(void) { return 0; }\n' >"$OUT/src/clang/main.c"

# clang_object NAME TRIPLE PLATFORM BITS MINOS [OBJDUMP_SUBTYPE]
clang_object() {
  local name=$1 triple=$2 platform=$3 bits=$4 minos=$5 output=clang/$1.o
  OBJDUMP_SUBTYPE=${6:-}
  clang-14 --target="$triple" -c "$OUT/src/clang/main.c" -o "$OUT/$output" || die "clang-14 --target=$triple failed"
  expect_begin
  expect_macho "$OUT/$output" "$platform" "$bits" relocatable "$minos"
  record "$output" "clang-14 --target=$triple -c src/clang/main.c -o $output"
}

clang_object ios-arm64 arm64-apple-ios14.0 ios/arm64 64 14.0
clang_object ios-arm64e arm64e-apple-ios14.0 ios/arm64 64 14.0 E
expect_begin
expect_str /macho/arch_name arm64e
expect_str /macho/cpusubtype_name CPU_SUBTYPE_ARM64E
amend clang/ios-arm64e.o "clang-14 --target=arm64e-apple-ios14.0 -c src/clang/main.c -o clang/ios-arm64e.o"
clang_object ios-simulator-arm64 arm64-apple-ios14.0-simulator ios/arm64 64 14.0
clang_object ios-simulator-amd64 x86_64-apple-ios13.0-simulator ios/amd64 64 13.0
clang_object maccatalyst-arm64 arm64-apple-ios14.0-macabi ios/arm64 64 14.0
clang_object tvos-arm64 arm64-apple-tvos14.0 tvos/arm64 64 14.0
clang_object watchos-arm64_32 arm64_32-apple-watchos7.0 watchos/arm64_32 32 7.0
clang_object watchos-armv7k armv7k-apple-watchos5.0 watchos/arm/v7 32 5.0 V7K
clang_object ios-armv7 armv7-apple-ios9.0 ios/arm/v7 32 9.0 V7
clang_object darwin-x86_64h x86_64h-apple-macos10.15 darwin/amd64/v3 64 10.15
clang_object darwin-i386 i386-apple-macos10.6 darwin/386 32 10.6

# A stub libSystem (and two more libraries) for ld64.lld: text-based stubs, as Apple's SDKs ship.
tbd() {  # tbd INSTALL_NAME SYMBOL
  cat <<EOF
--- !tapi-tbd
tbd-version:     4
targets:         [ arm64-ios, arm64_32-watchos, arm64-macos, x86_64-macos ]
install-name:    '$1'
current-version: 1311
exports:
  - targets:         [ arm64-ios, arm64_32-watchos, arm64-macos, x86_64-macos ]
    symbols:         [ $2 ]
...
EOF
}
tbd /usr/lib/libSystem.B.dylib dyld_stub_binder >"$work/sdk/libSystem.tbd"
tbd /usr/lib/libweak.dylib _weak_symbol >"$work/sdk/libweak.tbd"
tbd /usr/lib/libre.dylib _reexported_symbol >"$work/sdk/libre.tbd"
cp "$work"/sdk/*.tbd "$OUT/src/clang/"

# lld_link OUTPUT PLATFORM BITS TYPE MINOS SIGNATURE OBJECT LLD_FLAGS...
lld_link() {
  local output=$1 platform=$2 bits=$3 type=$4 minos=$5 signature=$6 object=$7
  shift 7
  (cd "$OUT" && ld64.lld-14 "$@" -L "$work/sdk" -lSystem "$object" -o "$output") || die "ld64.lld-14 $* failed"
  expect_begin
  expect_macho "$OUT/$output" "$platform" "$bits" "$type" "$minos"
  expect_signature "$OUT/$output" "$signature"
  record "$output" "ld64.lld-14 $* -L src/clang -lSystem $object -o $output"
}

OBJDUMP_SUBTYPE=
lld_link clang/ios-arm64 ios/arm64 64 pie-executable 14.0 none clang/ios-arm64.o \
  -arch arm64 -platform_version ios 14.0 14.5
lld_link clang/watchos-arm64_32 watchos/arm64_32 32 pie-executable 7.0 none clang/watchos-arm64_32.o \
  -arch arm64_32 -platform_version watchos 7.0 7.0
clang-14 --target=arm64-apple-macos11.0 -c "$OUT/src/clang/main.c" -o "$work/lib.o" || die "clang-14 macos object failed"
cp "$work/lib.o" "$OUT/clang/libdemo.o"
lld_link clang/libdemo.dylib darwin/arm64 64 shared-library 11.0 adhoc clang/libdemo.o \
  -arch arm64 -platform_version macos 11.0 12.0 -dylib -install_name @rpath/libdemo.dylib \
  -weak_library "$work/sdk/libweak.tbd" -reexport_library "$work/sdk/libre.tbd" \
  -rpath @loader_path/../lib -rpath /opt/demo/lib
# The dylib's own facts, from llvm-objdump.
expect_begin
expect_str /macho/install_name "$($OBJDUMP --macho --dylib-id "$OUT/clang/libdemo.dylib" | tail -n1)"
expect /macho/rpaths "$($OBJDUMP --macho --private-headers "$OUT/clang/libdemo.dylib" | awk '$1 == "cmd" {c = $2} c == "LC_RPATH" && $1 == "path" {print $2}' | jq -Rsc 'split("\n") | map(select(. != ""))')"
expect /macho/weak_dylibs "$($OBJDUMP --macho --dylibs-used "$OUT/clang/libdemo.dylib" | sed -n 's/^[[:space:]]*\([^ ]*\) (.*, weak)$/\1/p' | jq -Rsc 'split("\n") | map(select(. != ""))')"
expect /macho/reexported_dylibs "$($OBJDUMP --macho --dylibs-used "$OUT/clang/libdemo.dylib" | sed -n 's/^[[:space:]]*\([^ ]*\) (.*, reexport)$/\1/p' | jq -Rsc 'split("\n") | map(select(. != ""))')"
[ "$(jq -c . <<<"$EXPECT")" = '{"/macho/install_name":"@rpath/libdemo.dylib","/macho/rpaths":["@loader_path/../lib","/opt/demo/lib"],"/macho/weak_dylibs":["/usr/lib/libweak.dylib"],"/macho/reexported_dylibs":["/usr/lib/libre.dylib"]}' ] ||
  die "libdemo.dylib: llvm-objdump disagrees with the link flags: $EXPECT"
# Linked with ld64.lld: the linker and its version come from the link command; llvm-objdump must
# show the build tool ld64.lld recorded (TOOL_LD with LLVM's version).
lld_version=$(ld64.lld-14 --version | grep -o '[0-9][0-9.]*' | head -n1)
[ "$($OBJDUMP --macho --private-headers "$OUT/clang/libdemo.dylib" | awk '$1 == "tool" {t = $2} $1 == "version" && t != "" {print t, $2; t = ""}')" = "ld $lld_version" ] ||
  die "libdemo.dylib: llvm-objdump does not show the build tool ld $lld_version"
expect_str /toolchain/linker lld
expect_str /toolchain/linker_version "$lld_version"
amend clang/libdemo.dylib "ld64.lld-14 -arch arm64 -platform_version macos 11.0 12.0 -dylib -install_name @rpath/libdemo.dylib -weak_library src/clang/libweak.tbd -reexport_library src/clang/libre.tbd -rpath @loader_path/../lib -rpath /opt/demo/lib -L src/clang -lSystem clang/libdemo.o -o clang/libdemo.dylib"

# macOS programs for the verdict's rules: an arm64 program linked without its ad hoc signature
# (Apple silicon kills it), one that asks for macOS 14 (older macOS refuses it), and an x86_64
# program (Rosetta 2 on Apple silicon). Objects of the arm64e and x86_64 macOS slices, for the
# universal files below (ld64.lld-14 writes plain arm64 / x86_64 for -arch arm64e / x86_64h, so
# those two subtypes exist only as clang objects).
clang-14 --target=arm64-apple-macos14.0 -c "$OUT/src/clang/main.c" -o "$OUT/clang/macos14-arm64.o" || die "clang-14 macos14 object failed"
lld_link clang/macos-arm64-unsigned darwin/arm64 64 pie-executable 11.0 none clang/libdemo.o \
  -arch arm64 -platform_version macos 11.0 12.0 -no_adhoc_codesign
lld_link clang/macos14-arm64 darwin/arm64 64 pie-executable 14.0 adhoc clang/macos14-arm64.o \
  -arch arm64 -platform_version macos 14.0 14.0
clang_object macos-x86_64 x86_64-apple-macos10.15 darwin/amd64 64 10.15
OBJDUMP_SUBTYPE=
lld_link clang/macos-x86_64 darwin/amd64 64 pie-executable 10.15 none clang/macos-x86_64.o \
  -arch x86_64 -platform_version macos 10.15 12.0
clang_object macos-arm64e arm64e-apple-macos11.0 darwin/arm64 64 11.0 E
expect_begin
expect_str /macho/arch_name arm64e
expect_str /macho/cpusubtype_name CPU_SUBTYPE_ARM64E
amend clang/macos-arm64e.o "clang-14 --target=arm64e-apple-macos11.0 -c src/clang/main.c -o clang/macos-arm64e.o"
OBJDUMP_SUBTYPE=

# ---------------------------------------------------------------------------------------------
# Universal binaries.

mkdir -p "$OUT/universal"
# lipo_arch_file ARCH: which Go program lipo put in the slice named ARCH.
lipo_arch_file() {
  case $1 in x86_64) echo go/darwin-amd64/hello ;; arm64) echo go/darwin-arm64/hello ;; *) die "no slice $1" ;; esac
}

# expect_universal FILE FAT_MAGIC|FAT_MAGIC_64: top level null, one /slices/N per lipo -info
# architecture with the expectations of the thin file it was made from (checked byte for byte
# with lipo -thin).
expect_universal() {
  local path=$1 magic=$2 archs arch index=0 source
  [ "$($OBJDUMP --macho --universal-headers "$OUT/$path" | sed -n 's/^fat_magic //p')" = "$magic" ] ||
    die "$path: llvm-objdump does not show $magic"
  # file(1) (Debian 12) knows FAT_MAGIC only; FAT_MAGIC_64 rests on llvm-objdump and lipo.
  if [ "$magic" = FAT_MAGIC ] && [[ $(file_says "$OUT/$path") != "Mach-O universal binary with 2 architectures"* ]]; then
    die "$path: file(1) says '$(file_says "$OUT/$path")'"
  fi
  archs=$($LIPO -info "$OUT/$path" | sed 's/.* are: //')
  expect_begin
  expect_str /format macho-fat
  expect /bits null
  expect /endian null
  expect /platform null
  for arch in $archs; do
    source=$(lipo_arch_file "$arch")
    $LIPO -thin "$arch" "$OUT/$path" -output "$work/slice" || die "$path: lipo -thin $arch failed"
    cmp -s "$work/slice" "$OUT/$source" || die "$path: slice $arch differs from $source"
    EXPECT=$(jq -c --argjson thin "${THIN_EXPECT[$source]}" --arg p "/slices/$index" \
      '. + ($thin | with_entries(.key = $p + .key))' <<<"$EXPECT")
    index=$((index + 1))
  done
  [ "$index" -eq 2 ] || die "$path: lipo -info shows '$archs'"
}

$LIPO -create "$OUT/go/darwin-amd64/hello" "$OUT/go/darwin-arm64/hello" -output "$OUT/universal/hello" ||
  die "llvm-lipo-14 -create failed"
expect_universal universal/hello FAT_MAGIC
emit universal/hello "llvm-lipo-14 -create go/darwin-amd64/hello go/darwin-arm64/hello -output universal/hello"

# FAT_MAGIC_64: the same slices, the same offsets, a 64-bit fat_arch table.
python3 - "$OUT/universal/hello" "$OUT/universal/hello-fat64" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
magic, n = struct.unpack_from(">II", data, 0)
assert magic == 0xcafebabe
arches = [struct.unpack_from(">iiIII", data, 8 + 20 * i) for i in range(n)]
assert min(a[2] for a in arches) >= 8 + 32 * n
struct.pack_into(">II", data, 0, 0xcafebabf, n)
for i, (cpu, sub, off, size, align) in enumerate(arches):
    struct.pack_into(">iiQQII", data, 8 + 32 * i, cpu, sub, off, size, align, 0)
open(sys.argv[2], "wb").write(bytes(data))
PY
expect_universal universal/hello-fat64 FAT_MAGIC_64
emit universal/hello-fat64 "universal/hello with its fat header rewritten as FAT_MAGIC_64 (fat_arch_64 entries, same offsets) by the Python snippet in this recipe"

# Universal files of one or two slices, for slice choice: x86_64 only (Rosetta 2 on Apple
# silicon), x86_64 + x86_64h objects (Haswell Macs prefer x86_64h), arm64e only, i386 only.
# expect_fat FILE SOURCE...: llvm-lipo-14 -create of SOURCE...; every slice lipo -info lists is
# byte for byte (lipo -thin) one of the sources, and carries that source's expectations.
expect_fat() {
  local path=$1 arch index=0 source found
  shift
  [ "$($OBJDUMP --macho --universal-headers "$OUT/$path" | sed -n 's/^fat_magic //p')" = FAT_MAGIC ] ||
    die "$path: llvm-objdump does not show FAT_MAGIC"
  expect_begin
  expect_str /format macho-fat
  expect /platform null
  for arch in $($LIPO -info "$OUT/$path" | sed 's/.* are: //'); do
    $LIPO -thin "$arch" "$OUT/$path" -output "$work/slice" || die "$path: lipo -thin $arch failed"
    found=
    for source in "$@"; do cmp -s "$work/slice" "$OUT/$source" && found=$source; done
    [ -n "$found" ] || die "$path: slice $arch is none of $*"
    EXPECT=$(jq -c --argjson thin "${THIN_EXPECT[$found]}" --arg p "/slices/$index" \
      '. + ($thin | with_entries(.key = $p + .key))' <<<"$EXPECT")
    index=$((index + 1))
  done
  [ "$index" -eq $# ] || die "$path: lipo -info shows $index slices, $# sources"
}
# lipo_create OUTPUT SOURCE...: a universal file of objects is given the x bit a program has, so
# that a verdict gets past exec's permission check to the kernel's slice choice.
lipo_create() {
  local output=$1 made_by
  shift
  (cd "$OUT" && $LIPO -create "$@" -output "$output") || die "llvm-lipo-14 -create $* failed"
  made_by="llvm-lipo-14 -create $* -output $output"
  if [[ $output == *.o ]]; then
    chmod +x "$OUT/$output"
    made_by+=" && chmod +x $output"
  fi
  expect_fat "$output" "$@"
  emit "$output" "$made_by"
}
lipo_create universal/x86_64-only clang/macos-x86_64
lipo_create universal/intel.o clang/macos-x86_64.o clang/darwin-x86_64h.o
lipo_create universal/arm64e.o clang/macos-arm64e.o
lipo_create universal/i386.o clang/darwin-i386.o

# ---------------------------------------------------------------------------------------------
# Signatures that do not verify: copies of linker-signed programs with one edit each, made here
# after the link, as a download cut short, a patched binary or a damaged copy would be. The
# verifier must find exactly what the edit broke before the expectation is written. Each copy
# keeps the x bit its source has, so that a verdict reaches the kernel's signature check. A
# copy that changes the identifier or the requirements blob is not made: these linkers write
# no special slots (nSpecialSlots 0, checked below), so nothing in the file hashes either and
# such a copy would still verify.

mkdir -p "$OUT/edited"

# section_range FILE SEGNAME SECTNAME: "offset size" of a section (the size in hex), from
# llvm-objdump.
section_range() {
  $OBJDUMP --macho --private-headers "$1" | awk -v seg="$2" -v want="$3" '
    $1 == "Section" { in_section = 1; name = ""; segname = "" }
    $1 == "cmd" { in_section = 0 }
    in_section && $1 == "sectname" { name = $2 }
    in_section && $1 == "segname" { segname = $2 }
    in_section && name == want && segname == seg && $1 == "size" { size = $2 }
    in_section && name == want && segname == seg && $1 == "offset" && !done { print $2, size; done = 1 }'
}
# be32 FILE OFFSET / u8 FILE OFFSET: a big-endian word or a byte of the file, read with od.
be32() { od -An -tu4 --endian=big -j "$2" -N4 "$1" | tr -d ' '; }
u8() { od -An -tu1 -j "$2" -N1 "$1" | tr -d ' '; }
# code_directory_at FILE: the file offset of the first CodeDirectory, from LC_CODE_SIGNATURE's
# dataoff (llvm-objdump) and the SuperBlob's first index entry, which must be slot 0.
code_directory_at() {
  local sb
  sb=$(lc_value "$1" LC_CODE_SIGNATURE dataoff)
  [ "$(be32 "$1" "$((sb + 12))")" = 0 ] || die "$1: the SuperBlob's first blob is not the CodeDirectory"
  echo $((sb + $(be32 "$1" "$((sb + 16))")))
}
# flip_byte FILE OFFSET: inverts the bits of one byte in place (od reads it, dd writes it back).
flip_byte() {
  local byte
  byte=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
  printf "\\$(printf %03o $((byte ^ 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# expect_broken FILE page PAGE | structure: the verifier must find that one page wrong (and
# nothing else), or no readable signature at all, before the expectation is written.
expect_broken() {
  local path=$1 check=$2 page=${3:-} verify
  verify=$(verify_signature "$path") || die "$path: the signature verifier failed"
  case $check in
    page)
      jq -e --argjson page "$page" '.valid == false and ([.bad_pages[].page] == [$page])
          and .bad_special_slots == [] and (has("error") | not)' <<<"$verify" >/dev/null ||
        die "$path: page $page was edited, the verifier says $verify"
      ;;
    structure)
      jq -e '.valid == false and has("error")' <<<"$verify" >/dev/null ||
        die "$path: the signature was cut, the verifier says $verify"
      ;;
    *) die "expect_broken: unknown check $check" ;;
  esac
  expect_verified /macho/code_signature "$verify"
}

# page_sha256 FILE PAGE / stored_page_hash FILE PAGE: a whole 4096-byte page's SHA-256 (dd and
# sha256sum), and the hash the first CodeDirectory stores for it (od), hex: the verifier's page
# arithmetic, checked with other tools.
page_sha256() { dd if="$1" bs=4096 skip="$2" count=1 status=none | sha256sum | cut -c1-64; }
stored_page_hash() {
  local cd
  cd=$(code_directory_at "$1")
  od -An -tx1 -v -j "$((cd + $(be32 "$1" "$((cd + 16))") + $2 * 32))" -N32 "$1" | tr -d ' \n'
}

# edit_page SOURCE OUTPUT PLATFORM TYPE MINOS: OUTPUT is SOURCE with one byte of code flipped:
# the middle byte of __TEXT,__text, in a whole page the CodeDirectory hashes (SHA-256).
edit_page() {
  local source=$1 output=$2 platform=$3 type=$4 minos=$5 text at size page
  text=$(section_range "$OUT/$source" __TEXT __text)
  [ -n "$text" ] || die "$source: llvm-objdump shows no __TEXT,__text section"
  read -r at size <<<"$text"
  at=$((at + size / 2))  # bash reads the 0x size as hex
  page=$((at / 4096))
  [ "$(page_sha256 "$OUT/$source" "$page")" = "$(stored_page_hash "$OUT/$source" "$page")" ] ||
    die "$source: dd | sha256sum of page $page differs from the hash its CodeDirectory stores"
  cp "$OUT/$source" "$OUT/$output"
  flip_byte "$OUT/$output" "$at"
  [ "$(page_sha256 "$OUT/$output" "$page")" != "$(stored_page_hash "$OUT/$output" "$page")" ] ||
    die "$output: page $page still matches its stored hash after the edit"
  expect_begin
  expect_macho "$OUT/$output" "$platform" 64 "$type" "$minos"
  expect_signature "$OUT/$output" edited
  expect_broken "$OUT/$output" page "$page"
  record "$output" "cp $source $output; byte $at (middle of __TEXT,__text; page $page of 4096 bytes, offset $((page * 4096))) xor 0xff"
}

# The Go program and its edited copies: its hashed pages and signature layout.
go_signed=go/darwin-arm64/hello
[ "$(verify_signature "$OUT/$go_signed" | jq -c '[.code_directories[].special_slots]')" = '[0]' ] ||
  die "$go_signed: expected one CodeDirectory without special slots"
cd_at=$(code_directory_at "$OUT/$go_signed")
hash_offset=$(be32 "$OUT/$go_signed" "$((cd_at + 16))")
code_slots=$(be32 "$OUT/$go_signed" "$((cd_at + 28))")
hash_size=$(u8 "$OUT/$go_signed" "$((cd_at + 36))")
[ "$hash_size" = 32 ] || die "$go_signed: SHA-256 page hashes expected, hashSize is $hash_size"

# (1) A byte of code changed after signing.
edit_page "$go_signed" edited/go-arm64-page darwin/arm64 pie-executable ""

# (2) A byte of a stored page hash changed: the last page no longer matches its hash.
page=$((code_slots - 1))
at=$((cd_at + hash_offset + page * hash_size + hash_size / 2))
cp "$OUT/$go_signed" "$OUT/edited/go-arm64-hash"
flip_byte "$OUT/edited/go-arm64-hash" "$at"
expect_begin
expect_macho "$OUT/edited/go-arm64-hash" darwin/arm64 64 pie-executable ""
expect_signature "$OUT/edited/go-arm64-hash" edited
expect_broken "$OUT/edited/go-arm64-hash" page "$page"
record edited/go-arm64-hash "cp $go_signed edited/go-arm64-hash; byte $at (in the CodeDirectory's hash of page $page) xor 0xff"

# (3) Cut inside the signature, half way through the page hashes, like an interrupted download.
# llvm-objdump refuses a file whose LC_CODE_SIGNATURE runs past its end, so the header facts are
# the source's: cmp shows the cut file is the source's first bytes.
at=$((cd_at + hash_offset + (code_slots / 2) * hash_size + hash_size / 2))
head -c "$at" "$OUT/$go_signed" >"$OUT/edited/go-arm64-cut"
chmod +x "$OUT/edited/go-arm64-cut"
cmp -s -n "$at" "$OUT/$go_signed" "$OUT/edited/go-arm64-cut" && [ "$(stat -c %s "$OUT/edited/go-arm64-cut")" = "$at" ] ||
  die "edited/go-arm64-cut is not the first $at bytes of $go_signed"
EXPECT=$(jq -c 'with_entries(select(.key | IN("/format", "/bits", "/endian", "/machine", "/platform", "/type")))' <<<"${THIN_EXPECT[$go_signed]}")
expect_broken "$OUT/edited/go-arm64-cut" structure
expect /macho/code_signature/truncated true  # made by head -c: the file ends inside its signature
emit edited/go-arm64-cut "head -c $at $go_signed > edited/go-arm64-cut; chmod +x edited/go-arm64-cut (cut inside the page hashes)"

# An x86_64 program signed by ld64.lld (-adhoc_codesign: lld signs x86_64 output only when
# asked), and a copy with a byte of code changed, for Intel Macs and the universal files below.
lld_link clang/macos-x86_64-signed darwin/amd64 64 pie-executable 10.15 adhoc clang/macos-x86_64.o \
  -arch x86_64 -platform_version macos 10.15 12.0 -adhoc_codesign
edit_page clang/macos-x86_64-signed edited/lld-x86_64-page darwin/amd64 pie-executable 10.15

# Universal files of a good slice and an edited one, each way round. Each slice is verified in
# place (the verifier given the slice's fat_arch offset and size), must agree with its thin
# source, and its first bad page's offset is counted from the start of the universal file.
# expect_slice_signatures FILE: /slices/N/macho/code_signature/* for every slice.
expect_slice_signatures() {
  local path=$1 index=0 arch offset size source verify thin
  while read -r arch offset size; do
    [ "$arch" = "$($LIPO -info "$OUT/$path" | sed 's/.* are: //' | awk -v n=$((index + 1)) '{print $n}')" ] ||
      die "$path: llvm-objdump and lipo -info disagree on slice $index"
    $LIPO -thin "$arch" "$OUT/$path" -output "$work/slice" || die "$path: lipo -thin $arch failed"
    verify=$(verify_signature "$OUT/$path" "$offset" "$size") || die "$path: the verifier failed on slice $arch"
    thin=$(verify_signature "$work/slice") || die "$path: the verifier failed on lipo -thin $arch"
    jq -e --argjson thin "$thin" --argjson at "$offset" \
      '. == ($thin | if .bad_pages then .bad_pages |= map(.offset += $at) else . end)' <<<"$verify" >/dev/null ||
      die "$path: slice $arch verifies as $verify in place but as $thin on its own"
    expect_verified "/slices/$index/macho/code_signature" "$verify"
    index=$((index + 1))
  done < <($OBJDUMP --macho --universal-headers "$OUT/$path" |
    awk '$1 == "architecture" {a = $2} $1 == "offset" {o = $2} $1 == "size" {print a, o, $2}')
}
# lipo_signed OUTPUT SOURCE...: like lipo_create, plus every slice's verification.
lipo_signed() {
  local output=$1 slices
  shift
  (cd "$OUT" && $LIPO -create "$@" -output "$output") || die "llvm-lipo-14 -create $* failed"
  expect_fat "$output" "$@"
  slices=$EXPECT
  EXPECT='{}'
  expect_slice_signatures "$output"
  EXPECT=$(jq -c --argjson base "$slices" '$base + .' <<<"$EXPECT")
  emit "$output" "llvm-lipo-14 -create $* -output $output"
}
lipo_signed universal/signed-arm64-edited clang/macos-x86_64-signed edited/go-arm64-page
lipo_signed universal/signed-x86_64-edited edited/lld-x86_64-page go/darwin-arm64/hello

# The existing universal files, verified slice by slice in place too (FAT_MAGIC and FAT_MAGIC_64).
for path in universal/hello universal/hello-fat64; do
  EXPECT='{}'
  expect_slice_signatures "$path"
  amend_file=$(jq -c --arg f "$path" 'select(.file == $f)' "$MANIFEST")
  [ -n "$amend_file" ] || die "$path: not in the manifest"
  jq -e --argjson new "$EXPECT" '.expect as $e | $new | to_entries | all(.key as $k | $e[$k] == .value)' <<<"$amend_file" >/dev/null ||
    die "$path: the in-place verification disagrees with its thin sources' expectations"
done

log "built $(wc -l <"$MANIFEST") files ($GOVERSION, clang-14, ld64.lld-14, llvm-lipo-14)"
