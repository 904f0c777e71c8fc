# shellcheck shell=bash
# Shared helpers for the integration recipes (sourced, never run). See ../README.md.
#
# A recipe is run as `bash RECIPE OUT_DIR`. It sources this file, calls `recipe_init "$@"`,
# builds or downloads its files under $OUT, and for each file states what it must be:
#
#   expect_begin
#   expect_elf_header "$path" linux/arm64        # /format /bits /endian /platform, checked
#   expect_elf_loading "$path" dynamic           # /interpreter /linkage /glibc_min, checked
#   expect_str /libc glibc
#   emit "$path" "apt-get download coreutils:arm64"
#
# Expected values come from how the file was made; every helper cross-checks them against
# readelf and file(1) and stops the recipe (exit 1) on any disagreement. The files themselves
# are never executed.

set -euo pipefail
# Under pipefail a reader that stops early (grep -q, awk's exit, head) can kill the writer with
# SIGPIPE when its output outgrows the pipe (LLVM tools then exit 74), and the pipeline fails at
# random. Readers here read to the end: grep PATTERN >/dev/null, awk with a done flag.
export LC_ALL=C

RECIPE_NAME=$(basename "${BASH_SOURCE[1]:-recipe}" .sh)

log() { printf '%s: %s\n' "$RECIPE_NAME" "$*" >&2; }
die() {
  printf '%s: ERROR: %s\n' "$RECIPE_NAME" "$*" >&2
  exit 1
}

# recipe_init OUT_DIR: creates the recipe's directory and an empty manifest; sets $OUT.
recipe_init() {
  [ $# -eq 1 ] || die "usage: bash $RECIPE_NAME.sh OUT_DIR"
  mkdir -p "$1"
  OUT=$(cd "$1" && pwd)
  MANIFEST=$OUT/manifest.jsonl
  : >"$MANIFEST"
  ensure_packages binutils file jq
}

# ---------------------------------------------------------------------------------------------
# Installing what a recipe needs (fresh Debian 12: apt-get, through sudo when not root).

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

# apt-get update, retried: a mirror mid-sync fails some index files for a minute. If it still
# reports errors, carry on with the lists it did fetch: a package that is then missing makes
# the following apt-get install/download fail loudly.
APT_UPDATED=0
apt_update_once() {
  [ "$APT_UPDATED" -eq 1 ] && return 0
  local attempt
  for attempt in 1 2 3; do
    log "apt-get update (attempt $attempt)"
    if as_root env DEBIAN_FRONTEND=noninteractive apt-get -qq update >&2; then
      APT_UPDATED=1
      return 0
    fi
    sleep $((attempt * 10))
  done
  log "WARNING: apt-get update kept reporting errors; continuing with the lists it fetched"
  APT_UPDATED=1
}

package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# ensure_packages PKG...: installs the Debian packages that are not installed yet.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do package_installed "$pkg" || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then apt_update_once; fi
  log "installing ${missing[*]}"
  local output
  output=$(as_root env DEBIAN_FRONTEND=noninteractive apt-get -qq install -y \
    --no-install-recommends "${missing[@]}" 2>&1) || {
    printf '%s\n' "$output" >&2
    die "apt-get install ${missing[*]} failed"
  }
}

# ---------------------------------------------------------------------------------------------
# The expectation object and the manifest.

EXPECT='{}'
expect_begin() { EXPECT='{}'; }

# expect POINTER JSON_VALUE  (a JSON literal: 64, null, "\"x\"")
expect() {
  EXPECT=$(jq -c --arg k "$1" --argjson v "$2" '. + {($k): $v}' <<<"$EXPECT") ||
    die "bad JSON value for $1: $2"
}
# expect_str POINTER STRING
expect_str() { EXPECT=$(jq -c --arg k "$1" --arg v "$2" '. + {($k): $v}' <<<"$EXPECT"); }
# expect_str_or_null POINTER STRING: "" means null.
expect_str_or_null() { if [ -n "$2" ]; then expect_str "$1" "$2"; else expect "$1" null; fi; }

# emit FILE MADE_BY: appends one manifest line for FILE (absolute or relative to $OUT).
emit() {
  local path=$1 made_by=$2 rel
  case $path in
    "$OUT"/*) rel=${path#"$OUT"/} ;;
    /*) die "emit: $path is outside $OUT" ;;
    *) rel=$path ;;
  esac
  if [ ! -f "$OUT/$rel" ] || [ -L "$OUT/$rel" ]; then die "emit: $rel is not a regular file"; fi
  [ "$EXPECT" != '{}' ] || die "emit: no expectations for $rel"
  jq -cn --arg file "$rel" --arg made_by "$made_by" --argjson expect "$EXPECT" \
    '{file: $file, made_by: $made_by, expect: $expect}' >>"$MANIFEST"
  EXPECT='{}'
}

# ---------------------------------------------------------------------------------------------
# Reading ELF facts with readelf and file(1) (the independent witnesses).

elf_field() {  # elf_field FILE "Class": the value of one `readelf -h` line
  readelf -hW "$1" | sed -n "s/^ *$2: *//p" | head -n1
}
elf_bits() {
  case $(elf_field "$1" Class) in
    ELF32) echo 32 ;; ELF64) echo 64 ;; *) die "$1: readelf shows no ELF class" ;;
  esac
}
elf_endian() {
  case $(elf_field "$1" Data) in
    *little*) echo little ;; *big*) echo big ;; *) die "$1: readelf shows no byte order" ;;
  esac
}
elf_machine() { elf_field "$1" Machine; }
elf_type() { elf_field "$1" Type | awk '{print $1}'; }  # EXEC, DYN, REL, CORE
elf_interp() { readelf -lW "$1" | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]$/\1/p'; }
elf_has_segment() { readelf -lW "$1" | awk -v t="$2" '$1 == t {found = 1} END {exit !found}'; }
elf_has_dynamic_tag() { readelf -dW "$1" | grep "($2)" >/dev/null; }
elf_is_pie_flagged() { readelf -dW "$1" | grep '(FLAGS_1)' | grep -w PIE >/dev/null; }
elf_needed_json() {
  readelf -dW "$1" | sed -n 's/.*(NEEDED) *Shared library: \[\(.*\)\]$/\1/p' | jq -Rsc 'split("\n") | map(select(. != ""))'
}
elf_has_abi_tag() { readelf -nW "$1" | grep NT_GNU_ABI_TAG >/dev/null; }
elf_arm_cpu_arch() { readelf -AW "$1" | sed -n 's/^ *Tag_CPU_arch: *//p' | head -n1; }
elf_x86_isa_needed() {
  readelf -nW "$1" | sed -n 's/.*x86 ISA needed: *\([^,]*\).*/\1/p' | head -n1
}

# The highest GLIBC_x.y among the version NEEDS (.gnu.version_r); GLIBC_PRIVATE ignored,
# GLIBC_ABI_DT_RELR counted as 2.36 (the release that introduced it). Empty when none.
elf_glibc_min() {
  readelf -VW "$1" | awk '
    /^Version needs section/ { in_needs = 1; next }
    /^Version (symbols|definition) section/ { in_needs = 0 }
    in_needs && match($0, /Name: GLIBC_[0-9A-Z_.]+/) {
      v = substr($0, RSTART + 12, RLENGTH - 12)
      if (v == "ABI_DT_RELR") print "2.36"; else if (v ~ /^[0-9]+(\.[0-9]+)*$/) print v
    }' | sort -V | tail -n1
}
# Does the file need any GLIBC_ symbol version (GLIBC_PRIVATE included)? Version definitions
# do not count: ld.so defines GLIBC_2.x but needs no C library (it is part of one).
elf_needs_glibc_versions() {
  readelf -VW "$1" | awk '
    /^Version needs section/ { in_needs = 1; next }
    /^Version (symbols|definition) section/ { in_needs = 0 }
    in_needs && /Name: GLIBC_/ { found = 1 }
    END { exit !found }'
}

file_says() { file -b "$1"; }

# ---------------------------------------------------------------------------------------------
# Platforms: what each one must look like in the ELF header.

# platform_row PLATFORM -> "bits endian e_machine readelf-machine"
platform_row() {
  case $1 in
    linux/amd64 | linux/amd64/v[234]) echo "64 little EM_X86_64 Advanced Micro Devices X86-64" ;;
    linux/386) echo "32 little EM_386 Intel 80386" ;;
    linux/arm64) echo "64 little EM_AARCH64 AArch64" ;;
    linux/arm/v[5678]) echo "32 little EM_ARM ARM" ;;
    linux/mips) echo "32 big EM_MIPS MIPS R3000" ;;
    linux/mipsle) echo "32 little EM_MIPS MIPS R3000" ;;
    linux/mips64) echo "64 big EM_MIPS MIPS R3000" ;;
    linux/mips64le) echo "64 little EM_MIPS MIPS R3000" ;;
    linux/ppc64) echo "64 big EM_PPC64 PowerPC64" ;;
    linux/ppc64le) echo "64 little EM_PPC64 PowerPC64" ;;
    linux/riscv64) echo "64 little EM_RISCV RISC-V" ;;
    linux/s390x) echo "64 big EM_S390 IBM S/390" ;;
    linux/loong64) echo "64 little EM_LOONGARCH LoongArch" ;;
    # The other ports cross-c.sh builds. linux/sparc there is only the sparc64 compiler's -m32
    # output, which GCC marks SPARC V8+ (EM_SPARC32PLUS), not EM_SPARC.
    linux/alpha) echo "64 little EM_ALPHA Alpha" ;;
    linux/hppa) echo "32 big EM_PARISC HPPA" ;;
    linux/m68k) echo "32 big EM_68K MC68000" ;;
    linux/sh) echo "32 little EM_SH Renesas / SuperH SH" ;;
    linux/sparc64) echo "64 big EM_SPARCV9 Sparc v9" ;;
    linux/sparc) echo "32 big EM_SPARC32PLUS Sparc v8+" ;;
    linux/ppc) echo "32 big EM_PPC PowerPC" ;;
    linux/x32) echo "32 little EM_X86_64 Advanced Micro Devices X86-64" ;;
    *) die "no header row for platform $1" ;;
  esac
}

# Debian architecture -> platform (Debian's baselines: armhf is ARMv7, armel ARMv5TE).
debian_platform() {
  case $1 in
    amd64) echo linux/amd64 ;; i386) echo linux/386 ;; arm64) echo linux/arm64 ;;
    armhf) echo linux/arm/v7 ;; armel) echo linux/arm/v5 ;;
    mips64el) echo linux/mips64le ;; ppc64el) echo linux/ppc64le ;;
    s390x) echo linux/s390x ;; riscv64) echo linux/riscv64 ;;
    *) die "no platform for Debian architecture $1" ;;
  esac
}

# The ARM variant .ARM.attributes must show for a C-built file of a given platform.
check_arm_attributes() {
  local path=$1 platform=$2 tag
  tag=$(elf_arm_cpu_arch "$path")
  case "$platform:$tag" in
    linux/arm/v7:v7) ;;
    linux/arm/v6:v6 | linux/arm/v6:v6K | linux/arm/v6:v6KZ) ;;
    linux/arm/v5:v5TE | linux/arm/v5:v5TEJ | linux/arm/v5:v5T) ;;
    *) die "$path: expected $platform but readelf -A shows Tag_CPU_arch '${tag}'" ;;
  esac
}

# expect_elf_header FILE PLATFORM [attributes|no-attributes]
# Sets /format /bits /endian /platform after checking readelf -h and file(1) agree with
# PLATFORM. ARM files built by C toolchains carry .ARM.attributes naming the CPU architecture
# (checked); Go's linker writes none ("no-attributes"), so there the variant rests on GOARM.
expect_elf_header() {
  local path=$1 platform=$2 arm_mode=${3:-attributes} bits endian em machine row desc
  row=$(platform_row "$platform")
  read -r bits endian em machine <<<"$row"
  [ "$(elf_bits "$path")" = "$bits" ] || die "$path: readelf class $(elf_bits "$path"), expected $bits-bit for $platform"
  [ "$(elf_endian "$path")" = "$endian" ] || die "$path: readelf byte order $(elf_endian "$path"), expected $endian for $platform"
  [ "$(elf_machine "$path")" = "$machine" ] || die "$path: readelf Machine '$(elf_machine "$path")', expected '$machine' for $platform"
  desc=$(file_says "$path")
  local want_file="ELF $bits-bit LSB"
  [ "$endian" = big ] && want_file="ELF $bits-bit MSB"
  [[ $desc == "$want_file"* ]] || die "$path: file(1) says '$desc', expected '$want_file ...'"
  case $platform in
    linux/arm/*)
      if [ "$arm_mode" = attributes ]; then
        check_arm_attributes "$path" "$platform"
      elif [ -n "$(elf_arm_cpu_arch "$path")" ]; then
        die "$path: unexpected .ARM.attributes ($(elf_arm_cpu_arch "$path"))"
      fi
      ;;
    linux/amd64)  # no variant: the file must not demand more than the x86-64 baseline
      case $(elf_x86_isa_needed "$path") in
        "" | x86-64-baseline) ;;
        *) die "$path: x86 ISA needed $(elf_x86_isa_needed "$path") contradicts plain linux/amd64" ;;
      esac
      ;;
  esac
  expect_str /format elf
  expect /bits "$bits"
  expect_str /endian "$endian"
  expect_str /machine "$em"
  expect_str /platform "$platform"
}

# linkage_from_readelf FILE: dynamic | static | static-pie | shared-object (no PT_INTERP,
# no DF_1_PIE: a self-contained shared object such as ld.so, whose linkage is ambiguous).
linkage_from_readelf() {
  local path=$1
  if [ -n "$(elf_interp "$path")" ]; then echo dynamic
  elif ! elf_has_segment "$path" DYNAMIC; then echo static
  elif elf_is_pie_flagged "$path"; then echo static-pie
  elif elf_has_dynamic_tag "$path" NEEDED; then echo dynamic
  else echo shared-object
  fi
}

# What file(1) says about linkage: dynamic | static | static-pie | "".
linkage_from_file() {
  case $(file_says "$1") in
    *"static-pie linked"*) echo static-pie ;;
    *"statically linked"*) echo static ;;
    *"dynamically linked"*) echo dynamic ;;
    *) echo "" ;;
  esac
}

# expect_elf_loading FILE LINKAGE
# LINKAGE is how the file was made (static, static-pie, dynamic) or "auto" for files whose
# linkage is not a build parameter we chose (packaged shared libraries): then readelf decides,
# and a self-contained shared object gets no /linkage expectation (see README).
# Sets /interpreter (readelf's PT_INTERP or null), /linkage, /needed (readelf's DT_NEEDED in
# file order; [] without any) and /glibc_min (readelf -V).
expect_elf_loading() {
  local path=$1 want=$2 seen by_file interp
  seen=$(linkage_from_readelf "$path")
  by_file=$(linkage_from_file "$path")
  interp=$(elf_interp "$path")
  if [ "$want" = auto ]; then
    want=$seen
  elif [ "$seen" != "$want" ]; then
    die "$path: built $want but readelf shows $seen (interpreter '${interp}')"
  fi
  case $want in
    dynamic | static | static-pie)
      if [ -n "$interp" ] || [ "$want" != dynamic ]; then
        [ "$by_file" = "$want" ] || die "$path: linkage $want but file(1) says '${by_file}'"
      fi
      expect_str /linkage "$want"
      ;;
    shared-object) log "$path: self-contained shared object, no /linkage expectation" ;;
  esac
  expect_str_or_null /interpreter "$interp"
  expect /needed "$(elf_needed_json "$path")"
  expect_str_or_null /glibc_min "$(elf_glibc_min "$path")"
}

# Evidence that the file needs glibc, which a correct reader must see: a glibc loader as
# PT_INTERP, needed GLIBC_ symbol versions, or the NT_GNU_ABI_TAG note glibc's start files add.
has_glibc_evidence() {
  local path=$1
  case $(basename "$(elf_interp "$path")") in
    ld-linux*.so.* | ld64.so.* | ld.so.1) return 0 ;;
  esac
  elf_needs_glibc_versions "$path" || elf_has_abi_tag "$path"
}
has_musl_evidence() { [[ $(elf_interp "$1") == */ld-musl-*.so.1 ]]; }

# expect_libc_from_evidence FILE EXPECTED_LIBC: sets /libc only when the file states it;
# fails when the file states the other libc.
expect_libc_from_evidence() {
  local path=$1 libc=$2
  case $libc in
    glibc)
      has_musl_evidence "$path" && die "$path: expected glibc but the interpreter is musl's"
      if has_glibc_evidence "$path"; then expect_str /libc glibc; else log "$path: no glibc evidence, no /libc expectation"; fi
      ;;
    musl)
      has_glibc_evidence "$path" && die "$path: expected musl but the file shows glibc evidence"
      if has_musl_evidence "$path"; then expect_str /libc musl; else log "$path: no musl evidence, no /libc expectation"; fi
      ;;
    none)  # a file linked with no C library: nothing in it can say so, expect nothing
      if has_glibc_evidence "$path" || has_musl_evidence "$path"; then die "$path: built without a C library but shows libc evidence"; fi
      log "$path: no C library, no /libc expectation"
      ;;
    *) die "expect_libc_from_evidence: unknown libc $libc" ;;
  esac
}
