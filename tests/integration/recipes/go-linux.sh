# shellcheck shell=bash
# Go programs built here with Debian's Go for every linux GOARCH it offers, CGO_ENABLED=0.
# Expected platform = GOOS/GOARCH plus the sub-architecture we set (GOARM always: arm/v5..v7;
# GOAMD64 v2..v4 as amd64/vN); linkage static, no interpreter, no C library; /go/* = what
# `go version -m` prints for the file (a tool reading it, not running it).
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
recipe_init "$@"

ensure_packages golang-go
unset GOFLAGS GOOS GOARCH GOARM GOAMD64 GOMIPS GOMIPS64 GOPPC64 GO386
export CGO_ENABLED=0
GOVERSION=$(go env GOVERSION)

# The module is built outside any VCS checkout so no vcs.* settings are stamped.
module=$(mktemp -d)
trap 'rm -rf "$module"' EXIT
printf 'module example.com/hello\n\ngo 1.19\n' >"$module/go.mod"
cat >"$module/main.go" <<'EOF'
package main

import "os"

func main() {
	os.Stdout.WriteString("hello from Go\n")
}
EOF
mkdir -p "$OUT/src"
cp "$module/go.mod" "$module/main.go" "$OUT/src/"

# go_build_info FILE: `go version -m` as JSON {version, path, main: {path, version}, settings}.
# Values Go quoted (they contain blanks or quotes) are unquoted as JSON strings.
go_build_info() {
  local text
  text=$(go version -m "$1") || die "go version -m $1 failed"
  jq -Rn '
    def unquote: if startswith("\"") then fromjson else . end;
    [inputs] as $lines
    | {version: ($lines[0] | sub("^.*: "; "")),
       path: ($lines[] | select(startswith("\tpath\t")) | split("\t")[2]),
       main: ($lines[] | select(startswith("\tmod\t")) | split("\t") | {path: .[2], version: .[3]}),
       settings: ([$lines[] | select(startswith("\tbuild\t")) | .[7:]
                   | if startswith("\"") then error("quoted key: " + .) else . end
                   | index("=") as $i | {key: .[:$i], value: (.[$i + 1:] | unquote)}]
                  | from_entries)}' <<<"$text"
}

# go_build NAME PLATFORM ENV... -- GO_BUILD_FLAGS...: builds $OUT/NAME/hello and records it.
go_build() {
  local name=$1 platform=$2 envs=() flags=() output info key value
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  flags=("$@")
  output=$name/hello
  mkdir -p "$OUT/$name"
  (cd "$module" && env "${envs[@]}" go build "${flags[@]}" -o "$OUT/$output" .) ||
    die "go build failed: ${envs[*]} go build ${flags[*]}"
  info=$(go_build_info "$OUT/$output")

  # How it was made must be what the file records.
  for key in GOOS GOARCH GOARM GOAMD64; do
    for value in "${envs[@]}"; do
      [[ $value == "$key="* ]] || continue
      [ "$(jq -r --arg k "$key" '.settings[$k] // ""' <<<"$info")" = "${value#*=}" ] ||
        die "$output: built with $value but go version -m shows $(jq -c .settings <<<"$info")"
    done
  done
  [ "$(jq -r .version <<<"$info")" = "$GOVERSION" ] || die "$output: go version -m disagrees with $GOVERSION"
  [ "$(jq -r '.settings.CGO_ENABLED' <<<"$info")" = 0 ] || die "$output: CGO_ENABLED is not 0 in the file"

  expect_begin
  expect_elf_header "$OUT/$output" "$platform" no-attributes
  expect_elf_loading "$OUT/$output" static
  expect_str /libc none
  expect_str /go/version "$GOVERSION"
  expect_str /go/path "$(jq -r .path <<<"$info")"
  expect_str /go/main/path "$(jq -r .main.path <<<"$info")"
  expect_str /go/main/version "$(jq -r .main.version <<<"$info")"
  expect /go/deps '[]'
  # One expectation per build setting: /go/settings/<key> (key escaped as a JSON pointer token).
  EXPECT=$(jq -c --argjson info "$info" '. + ($info.settings | to_entries
      | map({key: ("/go/settings/" + (.key | gsub("~"; "~0") | gsub("/"; "~1"))), value})
      | from_entries)' <<<"$EXPECT")
  local command
  command=$(printf ' %q' CGO_ENABLED=0 "${envs[@]}" go build "${flags[@]}" -o "$output" .)
  emit "$output" "${command# } ($GOVERSION, source in src/)"
}

go_platform() {  # GOARCH -> OCI platform for the default sub-architecture
  case $1 in
    386 | amd64 | arm64 | loong64 | mips | mipsle | mips64 | mips64le | ppc64 | ppc64le | riscv64 | s390x)
      echo "linux/$1" ;;
    *) die "no platform mapping for GOARCH $1" ;;
  esac
}

goarches=$(go tool dist list | sed -n 's|^linux/||p')
[ -n "$goarches" ] || die "go tool dist list names no linux ports"
for goarch in $goarches; do
  case $goarch in
    arm)
      for goarm in 5 6 7; do
        go_build "linux-arm-v$goarm" "linux/arm/v$goarm" GOOS=linux GOARCH=arm GOARM=$goarm
      done
      ;;
    amd64)
      go_build linux-amd64 linux/amd64 GOOS=linux GOARCH=amd64 GOAMD64=v1
      for level in v2 v3 v4; do
        go_build "linux-amd64-$level" "linux/amd64/$level" GOOS=linux GOARCH=amd64 GOAMD64=$level
      done
      go_build linux-amd64-stripped linux/amd64 GOOS=linux GOARCH=amd64 -- -trimpath -ldflags=-s\ -w
      ;;
    *) go_build "linux-$goarch" "$(go_platform "$goarch")" GOOS=linux GOARCH="$goarch" ;;
  esac
done

# cgo: a program that calls C, so it is linked by gcc against this host's glibc (dynamic,
# PT_INTERP /lib64/ld-linux-x86-64.so.2). The verdict cases judge it on musl targets.
ensure_packages gcc
cgo=$(mktemp -d)
printf 'module example.com/hellocgo\n\ngo 1.19\n' >"$cgo/go.mod"
cat >"$cgo/main.go" <<'GO'
package main

// #include <stdio.h>
// static void hello(void) { puts("hello from cgo"); }
import "C"

func main() { C.hello() }
GO
mkdir -p "$OUT/linux-amd64-cgo" "$OUT/src/cgo"
cp "$cgo/go.mod" "$cgo/main.go" "$OUT/src/cgo/"
(cd "$cgo" && env CGO_ENABLED=1 GOOS=linux GOARCH=amd64 go build -o "$OUT/linux-amd64-cgo/hello" .) ||
  die "cgo build failed"
rm -rf "$cgo"
expect_begin
expect_str /format elf
expect_str /platform linux/amd64
expect_str /linkage dynamic
expect_str /interpreter /lib64/ld-linux-x86-64.so.2
expect_str /go/settings/CGO_ENABLED 1
emit linux-amd64-cgo/hello "CGO_ENABLED=1 GOOS=linux GOARCH=amd64 go build -o linux-amd64-cgo/hello . ($GOVERSION, source in src/cgo/)"
