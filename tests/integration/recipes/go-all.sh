# shellcheck shell=bash
# Go programs for every non-Linux GOOS/GOARCH pair of `go tool dist list` (the linux/* pairs are
# go-linux.sh's), built here with Debian's Go and CGO_ENABLED=0, in ELF, Mach-O and PE; plus
# sub-architecture variants on non-Linux systems (GOAMD64=v2..v4, GO386=sse2/softfloat,
# GOARM=6/7), -trimpath -ldflags='-s -w' builds of each format, a universal darwin/amd64+arm64
# Mach-O made with llvm-lipo, a program with a module dependency (a local module replaced in
# go.mod), and copies whose build info was garbled (still recognised as Go, with the version).
#
# Expected: /platform = GOOS/GOARCH plus the GOARM variant (the value the build used: the one we
# set, else `go env GOARM`) or the GOAMD64 level (v2..v4); /format, /bits, /endian, /machine
# from the GOARCH, checked against readelf or file(1); /go/* = what `go version -m` prints for
# the file (universal: for each slice, extracted with llvm-lipo -thin). Pairs that do not build
# without cgo are logged and skipped; plan9 (a.out) and aix (XCOFF) files are not formats
# enoexec reads (/format "unknown"), js/wasm is /kind "wasm". Files are never executed.
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
recipe_init "$@"

ensure_packages golang-go llvm-14
unset GOFLAGS GOOS GOARCH GOARM GOAMD64 GOMIPS GOMIPS64 GOPPC64 GO386 GOWASM
export CGO_ENABLED=0
GOVERSION=$(go env GOVERSION)
LIPO=llvm-lipo-14

# Built outside any VCS checkout so no vcs.* settings are stamped.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
hello=$work/hello app=$work/app greet=$work/greet
mkdir -p "$hello" "$app" "$greet" "$OUT/src/hello" "$OUT/src/app" "$OUT/src/greet"
printf 'module example.com/hello\n\ngo 1.19\n' >"$hello/go.mod"
cat >"$hello/main.go" <<'EOF'
package main

import "os"

func main() {
	os.Stdout.WriteString("hello from Go\n")
}
EOF
printf 'module example.com/greet\n\ngo 1.19\n' >"$greet/go.mod"
cat >"$greet/greet.go" <<'EOF'
package greet

func Hello() string { return "hello from a dependency\n" }
EOF
cat >"$app/go.mod" <<'EOF'
module example.com/app

go 1.19

require example.com/greet v0.0.0

replace example.com/greet => ../greet
EOF
cat >"$app/main.go" <<'EOF'
package main

import (
	"os"

	"example.com/greet"
)

func main() { os.Stdout.WriteString(greet.Hello()) }
EOF
cp "$hello"/* "$OUT/src/hello/"
cp "$app"/* "$OUT/src/app/"
cp "$greet"/* "$OUT/src/greet/"

# go_build_info FILE: `go version -m` as JSON {version, path, main, deps, settings}, deps in
# enoexec's shape ({path, version, sum, replace?: {path, version, sum}}). Quoted setting values
# are unquoted as JSON strings.
go_build_info() {
  local text
  text=$(go version -m "$1") || die "go version -m $1 failed"
  jq -Rn --arg version "$(head -n1 <<<"$text" | sed 's/^.*: //')" '
    def unquote: if startswith("\"") then fromjson else . end;
    def mod_of: {path: .[2], version: (.[3] // ""), sum: (.[4] // "")};
    [inputs | select(test("^\t[^\t]"))] as $lines
    | {version: $version,
       path: ([$lines[] | select(startswith("\tpath\t")) | split("\t")[2]] | first),
       main: ([$lines[] | select(startswith("\tmod\t")) | split("\t") | mod_of] | first),
       deps: (reduce ($lines[] | select(startswith("\tdep\t") or startswith("\t=>\t")) | split("\t"))
                as $f ([]; if $f[1] == "=>" then .[-1].replace = ($f | mod_of) else . + [$f | mod_of] end)),
       settings: ([$lines[] | select(startswith("\tbuild\t")) | .[7:]
                   | if startswith("\"") then error("quoted key: " + .) else . end
                   | index("=") as $i | {key: .[:$i], value: (.[$i + 1:] | unquote)}]
                  | from_entries)}' <<<"$text"
}

# expect_go INFO [PREFIX]: /go/* (under PREFIX, e.g. /slices/0) = what `go version -m` printed.
expect_go() {
  local info=$1 prefix=${2:-}
  [ "$(jq -r .version <<<"$info")" = "$GOVERSION" ] || die "go version -m shows $(jq -r .version <<<"$info"), not $GOVERSION"
  [ "$(jq -r .settings.CGO_ENABLED <<<"$info")" = 0 ] || die "CGO_ENABLED is not 0 in the file"
  expect_str "$prefix/go/version" "$GOVERSION"
  expect_str "$prefix/go/path" "$(jq -r .path <<<"$info")"
  expect_str "$prefix/go/main/path" "$(jq -r .main.path <<<"$info")"
  expect_str "$prefix/go/main/version" "$(jq -r .main.version <<<"$info")"
  expect "$prefix/go/deps" "$(jq -c .deps <<<"$info")"
  expect "$prefix/go/buildinfo" true
  # One expectation per build setting: /go/settings/<key> (key escaped as a JSON pointer token).
  EXPECT=$(jq -c --argjson info "$info" --arg p "$prefix" '. + ($info.settings | to_entries
      | map({key: ($p + "/go/settings/" + (.key | gsub("~"; "~0") | gsub("/"; "~1"))), value})
      | from_entries)' <<<"$EXPECT")
}

# check_recorded INFO ENV...: every GOOS/GOARCH/GOARM/GOAMD64/GO386 we set is what the file
# records.
check_recorded() {
  local info=$1 key value
  shift
  for value in "$@"; do
    key=${value%%=*}
    case $key in GOOS | GOARCH | GOARM | GOAMD64 | GO386) ;; *) continue ;; esac
    [ "$(jq -r --arg k "$key" '.settings[$k] // ""' <<<"$info")" = "${value#*=}" ] ||
      die "built with $value but go version -m shows $(jq -c .settings <<<"$info")"
  done
}

# The format a GOOS writes, and the header facts of a GOARCH in it.
format_of() {
  case $1 in
    darwin | ios) echo macho ;; windows) echo pe ;; plan9) echo plan9 ;; aix) echo xcoff ;;
    js) echo wasm ;; *) echo elf ;;
  esac
}
elf_row() {  # GOARCH -> "bits endian e_machine readelf-machine"
  case $1 in
    386) echo "32 little EM_386 Intel 80386" ;;
    amd64) echo "64 little EM_X86_64 Advanced Micro Devices X86-64" ;;
    arm) echo "32 little EM_ARM ARM" ;;
    arm64) echo "64 little EM_AARCH64 AArch64" ;;
    mips64) echo "64 big EM_MIPS MIPS R3000" ;;
    riscv64) echo "64 little EM_RISCV RISC-V" ;;
    ppc64) echo "64 big EM_PPC64 PowerPC64" ;;
    *) die "no ELF row for GOARCH $1" ;;
  esac
}
macho_row() {  # GOARCH -> "bits cputype file(1)-arch"
  case $1 in
    amd64) echo "64 CPU_TYPE_X86_64 x86_64" ;; arm64) echo "64 CPU_TYPE_ARM64 arm64" ;;
    *) die "no Mach-O row for GOARCH $1" ;;
  esac
}
pe_row() {  # GOARCH -> "bits machine file(1)-magic file(1)-arch"
  case $1 in
    386) echo "32 IMAGE_FILE_MACHINE_I386 PE32 Intel 80386" ;;
    amd64) echo "64 IMAGE_FILE_MACHINE_AMD64 PE32+ x86-64" ;;
    arm) echo "32 IMAGE_FILE_MACHINE_ARMNT PE32 ARMv7 Thumb" ;;
    arm64) echo "64 IMAGE_FILE_MACHINE_ARM64 PE32+ Aarch64" ;;
    *) die "no PE row for GOARCH $1" ;;
  esac
}

# expect_header FILE GOOS GOARCH PLATFORM [PREFIX]: /format /bits /endian /machine /platform,
# after readelf or file(1) agree with the GOARCH.
expect_header() {
  local path=$1 goos=$2 goarch=$3 platform=$4 prefix=${5:-} bits endian em machine desc magic arch
  desc=$(file_says "$path")
  case $(format_of "$goos") in
    elf)
      read -r bits endian em machine <<<"$(elf_row "$goarch")"
      [ "$(elf_bits "$path")" = "$bits" ] || die "$path: readelf class $(elf_bits "$path"), expected $bits"
      [ "$(elf_endian "$path")" = "$endian" ] || die "$path: readelf byte order is not $endian"
      [ "$(elf_machine "$path")" = "$machine" ] || die "$path: readelf Machine '$(elf_machine "$path")', expected '$machine'"
      [[ $desc == ELF\ $bits-bit* ]] || die "$path: file(1) says '$desc'"
      expect_str "$prefix/format" elf
      ;;
    macho)
      read -r bits em arch <<<"$(macho_row "$goarch")"
      endian=little
      [[ $desc == "Mach-O $bits-bit $arch executable"* ]] || die "$path: file(1) says '$desc', expected Mach-O $bits-bit $arch"
      expect_str "$prefix/format" macho
      ;;
    pe)
      read -r bits em magic arch <<<"$(pe_row "$goarch")"
      endian=little
      [[ $desc == "$magic executable"*"$arch"* ]] || die "$path: file(1) says '$desc', expected $magic ... $arch"
      expect_str "$prefix/format" pe
      ;;
    *) die "expect_header: $goos is not ELF, Mach-O or PE" ;;
  esac
  expect "$prefix/bits" "$bits"
  expect_str "$prefix/endian" "$endian"
  expect_str "$prefix/machine" "$em"
  expect_str "$prefix/platform" "$platform"
}

# platform_of GOOS GOARCH [ENV...]: OCI style, from the values the build used.
platform_of() {
  local goos=$1 goarch=$2 value goarm="" level=""
  shift 2
  for value in "$@"; do
    case $value in GOARM=*) goarm=${value#GOARM=} ;; GOAMD64=*) level=${value#GOAMD64=} ;; esac
  done
  case $goarch in
    arm) echo "$goos/arm/v${goarm:-$(GOOS=$goos GOARCH=arm go env GOARM)}" ;;
    amd64) if [ -n "$level" ] && [ "$level" != v1 ]; then echo "$goos/amd64/$level"; else echo "$goos/amd64"; fi ;;
    *) echo "$goos/$goarch" ;;
  esac
}

# go_build NAME MODULE GOOS GOARCH ENV... -- FLAGS...: builds $OUT/NAME and sets MADE_BY;
# returns 1 when the build fails (the caller decides whether that is a skip or an error).
go_build() {
  local name=$1 module=$2 goos=$3 goarch=$4 envs=() flags=()
  shift 4
  while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  flags=("$@")
  mkdir -p "$(dirname "$OUT/$name")"
  (cd "$module" && env GOOS="$goos" GOARCH="$goarch" "${envs[@]}" go build "${flags[@]}" -o "$OUT/$name" .) \
    >"$work/build.log" 2>&1 || return 1
  MADE_BY=$(printf ' %q' CGO_ENABLED=0 GOOS="$goos" GOARCH="$goarch" "${envs[@]}" go build "${flags[@]}" -o "$name" .)
  MADE_BY="${MADE_BY# } ($GOVERSION, source in src/$(basename "$module")/)"
}

# record NAME GOOS GOARCH ENV...: the expectations of a program go_build just built.
record() {
  local name=$1 goos=$2 goarch=$3 info
  shift 3
  info=$(go_build_info "$OUT/$name")
  check_recorded "$info" GOOS="$goos" GOARCH="$goarch" "$@"
  expect_begin
  expect_header "$OUT/$name" "$goos" "$goarch" "$(platform_of "$goos" "$goarch" "$@")"
  expect_go "$info"
  emit "$name" "$MADE_BY"
}

# go_file NAME MODULE GOOS GOARCH ENV... -- FLAGS...: builds and records one program.
go_file() {
  local name=$1 module=$2 goos=$3 goarch=$4 envs=()
  go_build "$@" || { cat "$work/build.log" >&2; die "go build $name failed"; }
  shift 4
  while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
  record "$name" "$goos" "$goarch" "${envs[@]}"
}

# ---------------------------------------------------------------------------------------------
# Every pair of `go tool dist list` but linux/*.

SKIPPED=()
pairs=$(go tool dist list | grep -v '^linux/')
[ -n "$pairs" ] || die "go tool dist list names no pairs"
for pair in $pairs; do
  goos=${pair%/*} goarch=${pair#*/} name=pairs/$goos-$goarch
  if ! go_build "$name" "$hello" "$goos" "$goarch"; then
    SKIPPED+=("$pair")
    log "skipped $pair: does not build with CGO_ENABLED=0: $(grep -m1 -v "^#" "$work/build.log")"
    continue
  fi
  case $(format_of "$goos") in
    elf | macho | pe) record "$name" "$goos" "$goarch" ;;
    *)  # not a format enoexec reads: /format unknown, and wasm named as what it is
      expect_begin
      expect_str /format unknown
      case $(format_of "$goos") in
        wasm)
          [[ $(file_says "$OUT/$name") == WebAssembly* ]] || die "$name: file(1) says '$(file_says "$OUT/$name")'"
          expect_str /kind wasm
          ;;
        plan9)  # a.out magic (big-endian), Go's cmd/link: I_MAGIC, S_MAGIC, E_MAGIC
          local_magic=$(od -An -tx1 -N4 "$OUT/$name" | tr -d ' \n')
          case $goarch:$local_magic in
            386:000001eb | amd64:00008a97 | arm:00000647) ;;
            *) die "$name: Plan 9 magic $local_magic is not $goarch's" ;;
          esac
          ;;
        xcoff) [[ $(file_says "$OUT/$name") == *XCOFF* ]] || die "$name: file(1) says '$(file_says "$OUT/$name")'" ;;
      esac
      emit "$name" "$MADE_BY"
      ;;
  esac
done

# ---------------------------------------------------------------------------------------------
# Sub-architecture variables on other systems than Linux (go-linux.sh has Linux's).

for level in v1 v2 v3 v4; do
  go_file "variants/windows-amd64-$level.exe" "$hello" windows amd64 GOAMD64=$level
  go_file "variants/darwin-amd64-$level" "$hello" darwin amd64 GOAMD64=$level
done
go_file variants/freebsd-amd64-v3 "$hello" freebsd amd64 GOAMD64=v3
for float in sse2 softfloat; do
  go_file "variants/windows-386-$float.exe" "$hello" windows 386 GO386=$float
  go_file "variants/freebsd-386-$float" "$hello" freebsd 386 GO386=$float
  go_file "variants/linux-386-$float" "$hello" linux 386 GO386=$float
done
for goarm in 5 6 7; do
  go_file "variants/freebsd-arm-v$goarm" "$hello" freebsd arm GOARM=$goarm
  go_file "variants/netbsd-arm-v$goarm" "$hello" netbsd arm GOARM=$goarm
done
go_file variants/windows-arm-v7.exe "$hello" windows arm GOARM=7

# ---------------------------------------------------------------------------------------------
# Stripped and path-trimmed builds of each format (the build info stays: only symbols and
# DWARF go).

for pair in linux/arm64 freebsd/amd64 darwin/arm64 darwin/amd64 windows/amd64 windows/386; do
  goos=${pair%/*} goarch=${pair#*/}
  go_file "stripped/$goos-$goarch" "$hello" "$goos" "$goarch" -- -trimpath -ldflags=-s\ -w
done

# ---------------------------------------------------------------------------------------------
# A program with a module dependency (example.com/greet, replaced by ../greet).

go_file deps/linux-amd64 "$app" linux amd64
go_file deps/darwin-arm64 "$app" darwin arm64
go_file deps/windows-amd64.exe "$app" windows amd64 -- -trimpath
go_file deps/openbsd-arm64-stripped "$app" openbsd arm64 -- -trimpath -ldflags=-s\ -w

# ---------------------------------------------------------------------------------------------
# Universal Mach-O: darwin/amd64 + darwin/arm64 joined by llvm-lipo. Each slice carries its own
# build info; `go version -m` reads each slice extracted again with llvm-lipo -thin.

mkdir -p "$OUT/universal"
go_build universal/parts/hello-amd64 "$hello" darwin amd64 || die "go build darwin/amd64 failed"
go_build universal/parts/hello-arm64 "$app" darwin arm64 -- -trimpath || die "go build darwin/arm64 failed"
"$LIPO" -create "$OUT/universal/parts/hello-amd64" "$OUT/universal/parts/hello-arm64" \
  -output "$OUT/universal/hello" || die "llvm-lipo -create failed"
rm -r "$OUT/universal/parts"
[[ $(file_says "$OUT/universal/hello") == "Mach-O universal binary with 2 architectures"* ]] ||
  die "universal/hello: file(1) says '$(file_says "$OUT/universal/hello")'"
expect_begin
expect_str /format macho-fat
index=0
for arch in $("$LIPO" -archs "$OUT/universal/hello"); do
  case $arch in x86_64) goarch=amd64 ;; arm64) goarch=arm64 ;; *) die "unexpected slice $arch" ;; esac
  "$LIPO" -thin "$arch" "$OUT/universal/hello" -output "$work/slice" || die "llvm-lipo -thin $arch failed"
  info=$(go_build_info "$work/slice")
  check_recorded "$info" GOOS=darwin GOARCH=$goarch
  expect_header "$work/slice" darwin "$goarch" "darwin/$goarch" "/slices/$index"
  expect_go "$info" "/slices/$index"
  index=$((index + 1))
done
[ "$index" -eq 2 ] || die "universal/hello has $index slices, expected 2"
emit universal/hello "CGO_ENABLED=0 GOOS=darwin GOARCH=amd64 go build -o hello-amd64 . (src/hello/); CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 go build -trimpath -o hello-arm64 . (src/app/); $LIPO -create hello-amd64 hello-arm64 -output universal/hello ($GOVERSION)"

# ---------------------------------------------------------------------------------------------
# Build info garbled: the 14-byte magic overwritten. `go version -m` gives up; the file is still
# a Go program of a known version (the runtime's own version string stays).

garble() {  # garble NAME GOOS GOARCH
  local name=$1 goos=$2 goarch=$3 at
  go_build "$name" "$hello" "$goos" "$goarch" || die "go build $name failed"
  at=$(grep -boa $'\xff Go buildinf:' "$OUT/$name" | head -n1 | cut -d: -f1)
  [ -n "$at" ] || die "$name: no build-info magic to garble"
  printf 'garbled-magic!' | dd of="$OUT/$name" bs=1 seek="$at" conv=notrunc status=none
  # (go version -m exits 0 either way; it prints the build info on stdout only when it reads it)
  if [ -n "$(go version -m "$OUT/$name" 2>/dev/null)" ]; then die "$name: go version -m still reads it"; fi
  expect_begin
  expect_header "$OUT/$name" "$goos" "$goarch" "$goos/$goarch"
  expect_str /go/version "$GOVERSION"
  expect /go/buildinfo false
  expect /go/settings '{}'
  emit "$name" "$MADE_BY; then the 14 bytes at offset $at (the build-info magic) overwritten with 'garbled-magic!'"
}
garble garbled/linux-arm64 linux arm64
garble garbled/freebsd-amd64 freebsd amd64
garble garbled/darwin-arm64 darwin arm64
garble garbled/windows-amd64.exe windows amd64
garble garbled/windows-386.exe windows 386

log "recorded $(wc -l <"$MANIFEST") files; skipped ${#SKIPPED[@]} pairs that need cgo: ${SKIPPED[*]:-none}"
