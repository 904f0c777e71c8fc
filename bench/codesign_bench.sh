#!/usr/bin/env bash
# What verifying a Mach-O code signature costs: `enoexec inspect --json FILE` (which reads the
# file and recomputes every page hash of its CodeDirectory) side by side with `sha256sum FILE`
# (one SHA-256 pass over the same bytes: the floor for any tool that hashes every page), with
# hyperfine, warm page cache. Prints both medians and their ratio, and exits 1 when enoexec's
# median is more than MAX times sha256sum's.
#
# Usage: bash bench/codesign_bench.sh [--rounds N] [--max-ratio MAX] [FILE]
#   FILE         a signed Mach-O file; by default a darwin/arm64 Go program of about 10.4 MB
#                (CGO_ENABLED=0, importing much of the standard library and embedding 1 MiB;
#                Go's linker signs it ad hoc), built once under build/bench-codesign. Another real one, linked by
#                Apple's ld: build/inputs/npm-darwin/lightningcss-darwin-arm64-*/package/*.node
#   --rounds     timed runs of each command (default 30, after 3 warm-up runs)
#   --max-ratio  the largest ratio that passes (default 1.2)
# Builds (or reuses) build/release; ENOEXEC_BUILD=DIR uses another optimised build directory.
# Installs hyperfine, jq and Go when missing. Files are only read, never executed.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

rounds=30 max_ratio=1.2 file=
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --max-ratio) max_ratio=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) file=$1; shift ;;
  esac
done

# shellcheck source=scripts/lib.sh
source scripts/lib.sh
command -v hyperfine >/dev/null || install_missing hyperfine
command -v jq >/dev/null || install_missing jq

build=${ENOEXEC_BUILD:-build/release}
if [ ! -x "$build/tools/enoexec/enoexec" ] || [ -z "${ENOEXEC_BUILD:-}" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  ninja -C "$build" enoexec >/dev/null
fi
enoexec=$(realpath "$build")/tools/enoexec/enoexec
work=$(mktemp -d /tmp/enoexec-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

# The default program, built once: rebuilt only when its source or the Go version changes.
build_program() {
  local dir=$PWD/build/bench-codesign stamp
  command -v go >/dev/null || install_missing golang-go
  mkdir -p "$dir/src"
  cat >"$work/main.go" <<'EOF'
package main

import (
	"archive/tar"
	"archive/zip"
	"compress/bzip2"
	"compress/gzip"
	"compress/lzw"
	"crypto/ed25519"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"debug/dwarf"
	"debug/elf"
	"debug/gosym"
	"debug/macho"
	"debug/pe"
	"debug/plan9obj"
	"encoding/csv"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"expvar"
	"fmt"
	"go/build"
	"go/doc"
	"go/format"
	"go/importer"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"html/template"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"index/suffixarray"
	"log/syslog"
	"net/http"
	"net/http/cgi"
	"net/http/cookiejar"
	"net/http/fcgi"
	"net/http/httptest"
	"net/http/httputil"
	"net/http/pprof"
	"net/mail"
	"net/rpc"
	"net/rpc/jsonrpc"
	"net/smtp"
	"os"
	"regexp"
	"testing"
	"testing/quick"
	"text/scanner"
	"text/tabwriter"
	_ "time/tzdata"
	_ "embed"
)

// 1 MiB of data that the program embeds (and prints a byte of), so that the whole program is
// over 10 MB: the size the issue measures.
//go:embed pad.bin
var pad []byte

func main() {
	fmt.Println(tar.TypeReg, zip.Deflate, bzip2.NewReader, gzip.BestSpeed, tls.VersionTLS13, x509.RSA,
		sql.Drivers(), dwarf.TagVariable, elf.EM_AARCH64, gosym.NewTable, macho.CpuArm64, pe.IMAGE_FILE_MACHINE_ARM64,
		json.Valid(nil), xml.Header, expvar.Get("x"), build.Default.GOOS, doc.AllDecls, format.Source,
		importer.Default(), parser.ParseComments, token.NewFileSet(), types.Universe, template.HTMLEscapeString("<"),
		gif.DisposalNone, jpeg.DefaultQuality, png.BestSpeed, http.StatusOK, httptest.DefaultRemoteAddr,
		pprof.Index, mail.ParseAddress, rpc.DefaultServer, smtp.PlainAuth, regexp.MustCompile("a+"),
		tabwriter.AlignRight, os.Args, gob.NewEncoder, csv.NewReader, suffixarray.New, cgi.Serve, fcgi.Serve,
		httputil.DumpRequest, testing.Short, quick.Check, syslog.LOG_ERR, ed25519.PublicKeySize, plan9obj.Magic386,
		palette.Plan9, cookiejar.New, jsonrpc.NewClient, scanner.EOF, lzw.LSB, printer.UseSpaces,
		pad[len(os.Args)%len(pad)])
}
EOF
  printf 'module example.com/codesignbench\n\ngo 1.19\n' >"$work/go.mod"
  # pad.bin: 1 MiB that does not compress, the same every time (a SHA-256 counter stream).
  python3 -c 'import hashlib, sys; sys.stdout.buffer.write(b"".join(hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(32768)))' >"$work/pad.bin"
  stamp=$( (go env GOVERSION; cat "$work/go.mod" "$work/main.go" "$work/pad.bin") | sha256sum | cut -c1-64)
  if [ ! -f "$dir/program" ] || [ "$(cat "$dir/.done" 2>/dev/null)" != "$stamp" ]; then
    rm -f "$dir/.done"
    cp "$work/main.go" "$work/go.mod" "$work/pad.bin" "$dir/src/"
    (cd "$dir/src" && CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 go build -trimpath -o "$dir/program" .)
    echo "$stamp" >"$dir/.done"
  fi
  echo "$dir/program"
}
if [ -z "$file" ]; then
  file=$(build_program)
fi
[ -f "$file" ] || { echo "no file $file" >&2; exit 2; }

# The file must carry a signature that enoexec reads and verifies (valid true or false, not
# null); otherwise nothing would be measured but the header.
"$enoexec" inspect --json "$file" >"$work/inspect.json"
signature=$(jq -c '(.macho // .slices[0].macho).code_signature' "$work/inspect.json")
if [ "$(jq -r '.signed == true and (.valid | type) == "boolean"' <<<"$signature")" != true ]; then
  echo "$file: enoexec does not verify a code signature there ($signature)" >&2
  exit 2
fi
echo "file: $file ($(stat -c %s "$file") bytes); enoexec: $enoexec; load: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
echo "signature: valid $(jq -c .valid <<<"$signature"); code directories: $(jq -c '[.code_directories[]? | {hash_type, pages, code_limit}]' <<<"$signature")"

hyperfine -N --warmup 3 --runs "$rounds" --style basic --export-json "$work/times.json" \
  -n sha256sum "sha256sum $(printf %q "$file")" \
  -n "enoexec inspect --json" "$(printf %q "$enoexec") inspect --json $(printf %q "$file")"

median_of() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .median' "$work/times.json"; }
floor=$(median_of sha256sum)
ours=$(median_of "enoexec inspect --json")
echo
awk -v f="$floor" -v o="$ours" -v max="$max_ratio" 'BEGIN {
  printf "%-28s %10.2f ms\n", "sha256sum (median)", f * 1000
  printf "%-28s %10.2f ms\n", "enoexec inspect --json", o * 1000
  printf "%-28s %10.2f   (limit %s)\n", "ratio enoexec / sha256sum", o / f, max
  exit (o / f > max) }' || {
  echo "FAIL: enoexec inspect --json takes more than $max_ratio times sha256sum's median" >&2
  exit 1
}
echo "PASS"
