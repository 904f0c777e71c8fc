# PE/COFF images built here: MinGW-w64 C programs (console, GUI, DLL; i686 and x86_64; the
# default msvcrt CRT and, freestanding, ucrtbase / api-ms-win-crt), Go windows/386, amd64, arm64
# and arm, the systemd-boot EFI applications from Debian's systemd-boot-efi package, .NET
# assemblies from Mono's C# compiler (when mono-mcs installs), and one cut-short download.
# Expected values come from how each file was made and are cross-checked against
# llvm-readobj-14 (--file-headers, --coff-imports, --sections), MinGW objdump -p and file(1).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
recipe_init "$@"

ensure_packages gcc-mingw-w64-i686 gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 llvm-14 golang-go
READOBJ=llvm-readobj-14
OBJDUMP=x86_64-w64-mingw32-objdump  # reads PE32 and PE32+ alike

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$OUT/src"

# ---------------------------------------------------------------------------------------------
# Witnesses.

readobj_field() {  # readobj_field FILE FIELD: the first `FIELD: value` of --file-headers
  "$READOBJ" --file-headers "$1" | sed -n "s/^ *$2: //p" | head -n1
}
readobj_flags() {  # readobj_flags FILE: "0x26" from "Characteristics [ (0x26)" (COFF header)
  "$READOBJ" --file-headers "$1" | sed -n 's/^ *Characteristics \[ (\(0x[0-9A-Fa-f]*\))$/\1/p' |
    sed -n "${2:-1}p" | tr 'A-F' 'a-f'
}
readobj_imports_json() {  # DLL names of the import directory (not the delay-load one), in order
  "$READOBJ" --coff-imports "$1" |
    awk '/^Import \{/ {want = 1; next} want && /^ *Name: / {sub(/^ *Name: /, ""); print; want = 0}' |
    jq -Rsc 'split("\n") | map(select(. != ""))'
}
objdump_imports_json() {  # objdump -p: the "DLL Name:" lines of the import tables
  "$OBJDUMP" -p "$1" | sed -n 's/^\tDLL Name: //p' | jq -Rsc 'split("\n") | map(select(. != ""))'
}
file_says() { file -b "$1"; }

# platform -> "bits llvm-machine file(1)-word"
pe_platform_row() {
  case $1 in
    windows/amd64 | uefi/amd64) echo "64 IMAGE_FILE_MACHINE_AMD64 x86-64" ;;
    windows/386) echo "32 IMAGE_FILE_MACHINE_I386 Intel 80386" ;;
    windows/arm64) echo "64 IMAGE_FILE_MACHINE_ARM64 Aarch64" ;;
    windows/arm/v*) echo "32 IMAGE_FILE_MACHINE_ARMNT ARMv7 Thumb" ;;
    windows/ia64) echo "64 IMAGE_FILE_MACHINE_IA64 Intel Itanium" ;;
    *) die "no PE header row for platform $1" ;;
  esac
}

# type -> "llvm Subsystem prefix, file(1) words, DLL bit expected"
subsystem_of() { readobj_field "$1" Subsystem | sed 's/^IMAGE_SUBSYSTEM_//; s/ (0x[0-9A-Fa-f]*)$//'; }
subsystem_number() { readobj_field "$1" Subsystem | sed 's/.*(\(0x[0-9A-Fa-f]*\))$/\1/'; }

# expect_pe_header FILE PLATFORM TYPE SUBSYSTEM
#   TYPE: executable | shared-library | efi-application; SUBSYSTEM: WINDOWS_CUI | WINDOWS_GUI |
#   EFI_APPLICATION. Sets /format /bits /endian /machine /platform /type /interpreter and the
#   /pe header fields after checking llvm-readobj and file(1) agree.
expect_pe_header() {
  local path=$1 platform=$2 type=$3 subsystem=$4 bits machine word desc magic flags dll want_magic
  read -r bits machine word <<<"$(pe_platform_row "$platform")"
  magic=$("$READOBJ" --file-headers "$path" | sed -n 's/^ *Magic: \(0x[0-9A-Fa-f]*\)$/\1/p' | head -n1)
  want_magic=$([ "$bits" = 64 ] && echo 0x20B || echo 0x10B)
  [ "$magic" = "$want_magic" ] || die "$path: llvm-readobj Magic $magic, expected $want_magic for $platform"
  [ "$(readobj_field "$path" Machine | awk '{print $1}')" = "$machine" ] ||
    die "$path: llvm-readobj Machine '$(readobj_field "$path" Machine)', expected $machine for $platform"
  [ "$(subsystem_of "$path")" = "$subsystem" ] || die "$path: llvm-readobj Subsystem $(subsystem_of "$path"), expected $subsystem"
  flags=$(readobj_flags "$path")
  dll=$(( flags & 0x2000 ))
  case $type in
    shared-library) [ "$dll" -ne 0 ] || die "$path: built as a DLL but IMAGE_FILE_DLL is clear ($flags)" ;;
    *) [ "$dll" -eq 0 ] || die "$path: built as $type but IMAGE_FILE_DLL is set ($flags)" ;;
  esac
  desc=$(file_says "$path")
  local want_file
  want_file="PE$([ "$bits" = 64 ] && echo 32+ || echo 32) executable"
  [[ $desc == "$want_file "* ]] || die "$path: file(1) says '$desc', expected '$want_file ...'"
  [[ $desc == *" $word"* ]] || die "$path: file(1) says '$desc', expected machine '$word'"
  case $type:$subsystem in
    shared-library:*) [[ $desc == *"(DLL)"* ]] || die "$path: file(1) does not say (DLL): $desc" ;;
    *:WINDOWS_CUI) [[ $desc == *"(console)"* ]] || die "$path: file(1) does not say (console): $desc" ;;
    *:WINDOWS_GUI) [[ $desc == *"(GUI)"* ]] || die "$path: file(1) does not say (GUI): $desc" ;;
    *:EFI_APPLICATION) [[ $desc == *"(EFI application)"* ]] || die "$path: file(1) does not say (EFI application): $desc" ;;
  esac
  expect_str /format pe
  expect /bits "$bits"
  expect_str /endian little
  expect_str /machine "$machine"
  expect_str /platform "$platform"
  expect_str /type "$type"
  expect /interpreter null
  expect_str /pe/magic "$([ "$bits" = 64 ] && echo PE32+ || echo PE32)"
  expect_str /pe/subsystem_name "$subsystem"
  expect /pe/subsystem "$(( $(subsystem_number "$path") ))"
  expect_str /pe/subsystem_version \
    "$(readobj_field "$path" MajorSubsystemVersion).$(readobj_field "$path" MinorSubsystemVersion)"
  expect_str /pe/os_version \
    "$(readobj_field "$path" MajorOperatingSystemVersion).$(readobj_field "$path" MinorOperatingSystemVersion)"
  expect_str /pe/characteristics "$flags"
  expect_str /pe/dll_characteristics "$(readobj_flags "$path" 2)"
}

# expect_pe_imports FILE LIBC: /needed (llvm-readobj and objdump must agree), /linkage, /libc.
# LIBC is what the build linked (msvcrt, ucrt, none, "" for no C runtime); it must be visible in
# the imports the witnesses list (ucrt: ucrtbase.dll or api-ms-win-crt-*).
expect_pe_imports() {
  local path=$1 libc=$2 llvm objd
  llvm=$(readobj_imports_json "$path")
  # objdump sizes compressed .zdebug_* sections (Go's DWARF) by their decompressed length, so it
  # maps the import directory RVA into .zdebug_info and lists garbage: no witness there.
  if [[ $("$READOBJ" --sections "$path") == *"Name: .zdebug_"* ]]; then
    log "$path: .zdebug_* sections, objdump -p is not a witness for the imports"
  elif ! "$OBJDUMP" -f "$path" >/dev/null 2>&1; then
    log "$path: $OBJDUMP does not read this machine, llvm-readobj is the only import witness"
  else
    objd=$(objdump_imports_json "$path")
    [ "$llvm" = "$objd" ] || die "$path: llvm-readobj imports $llvm but objdump -p lists $objd"
  fi
  case $libc in
    msvcrt) jq -e 'map(ascii_downcase) | index("msvcrt.dll")' <<<"$llvm" >/dev/null ||
      die "$path: linked with msvcrt but imports $llvm" ;;
    ucrt) jq -e 'map(ascii_downcase) | any(. == "ucrtbase.dll" or startswith("api-ms-win-crt-"))' <<<"$llvm" >/dev/null ||
      die "$path: linked with the UCRT but imports $llvm" ;;
    none | "") jq -e 'map(ascii_downcase) | any(. == "msvcrt.dll" or . == "ucrtbase.dll" or startswith("api-ms-win-crt-")) | not' <<<"$llvm" >/dev/null ||
      die "$path: linked without a C runtime but imports $llvm" ;;
    *) die "expect_pe_imports: unknown libc $libc" ;;
  esac
  expect /needed "$llvm"
  expect_str /linkage "$([ "$llvm" = '[]' ] && echo static || echo dynamic)"
  expect_str_or_null /libc "$libc"
}

# The file offset of an RVA, from llvm-readobj --sections (VirtualAddress, VirtualSize,
# PointerToRawData).
rva_to_offset() {
  local path=$1 rva=$(( $2 ))
  "$READOBJ" --sections "$path" | awk -v rva="$rva" '
    function num(s) { return s ~ /^0x/ ? hex(s) : s + 0 }
    function hex(s,   i, v) { v = 0; s = toupper(substr(s, 3)); for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1; return v }
    / VirtualSize: / { vsize = num($2) }
    / VirtualAddress: / { vaddr = num($2) }
    / PointerToRawData: / { if (rva >= vaddr && rva < vaddr + vsize) { if (!done) print num($2) + rva - vaddr; done = 1 } }'
}

# The end of the last section's raw data (PointerToRawData + RawDataSize), from llvm-readobj.
raw_data_end() {
  "$READOBJ" --sections "$1" | awk '
    function num(s) { return s ~ /^0x/ ? hex(s) : s + 0 }
    function hex(s,   i, v) { v = 0; s = toupper(substr(s, 3)); for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1; return v }
    / RawDataSize: / { size = num($2) }
    / PointerToRawData: / { end = num($2) + size; if (end > max) max = end }
    END { print max + 0 }'
}

# ---------------------------------------------------------------------------------------------
# MinGW-w64 C programs.

cat >"$OUT/src/hello.c" <<'EOF'
#include <stdio.h>

int main(void) {
  puts("hello from MinGW");
  return 0;
}
EOF
cat >"$OUT/src/lib.c" <<'EOF'
__declspec(dllexport) int add(int a, int b) { return a + b; }
EOF
# Freestanding: the C runtime is whatever import library we link (no MinGW start files).
cat >"$OUT/src/freestanding.c" <<'EOF'
int puts(const char *);
__declspec(dllimport) void __stdcall ExitProcess(unsigned);
void entry(void) {
  puts("hello");
  ExitProcess(0);
}
EOF

# mingw_build NAME PLATFORM TYPE SUBSYSTEM LIBC -- COMPILER ARGS...: builds $OUT/NAME.
mingw_build() {
  local name=$1 platform=$2 type=$3 subsystem=$4 libc=$5
  shift 6
  mkdir -p "$(dirname "$OUT/$name")"
  (cd "$OUT/src" && "$@" -o "$OUT/$name") || die "build failed: $*"
  expect_begin
  expect_pe_header "$OUT/$name" "$platform" "$type" "$subsystem"
  expect_pe_imports "$OUT/$name" "$libc"
  expect /pe/clr/present false
  emit "$OUT/$name" "$(printf '%q ' "$@")-o $name (source in src/)"
}

for target in x86_64:windows/amd64 i686:windows/386; do
  cc=${target%%:*}-w64-mingw32-gcc
  platform=${target#*:}
  arch=${target%%:*}
  mingw_build "mingw/$arch-console.exe" "$platform" executable WINDOWS_CUI msvcrt -- "$cc" -O2 hello.c
  mingw_build "mingw/$arch-gui.exe" "$platform" executable WINDOWS_GUI msvcrt -- "$cc" -O2 -mwindows hello.c
  mingw_build "mingw/$arch-lib.dll" "$platform" shared-library WINDOWS_CUI msvcrt -- "$cc" -O2 -shared lib.c
done
x64cc=x86_64-w64-mingw32-gcc
mingw_build mingw/x86_64-ucrtbase.exe windows/amd64 executable WINDOWS_CUI ucrt -- \
  "$x64cc" -O2 -nostdlib -Wl,-e,entry freestanding.c -lucrtbase -lkernel32
mingw_build mingw/x86_64-apiset.exe windows/amd64 executable WINDOWS_CUI ucrt -- \
  "$x64cc" -O2 -nostdlib -Wl,-e,entry freestanding.c -lucrt -lkernel32
# Subsystem version 10.0: the loader of Windows 8.1 and older refuses it (the verdict's
# subsystem-version rule); llvm-readobj must read back what the link flags asked for.
mingw_build mingw/x86_64-win10.exe windows/amd64 executable WINDOWS_CUI msvcrt -- \
  "$x64cc" -O2 -Wl,--major-subsystem-version,10 -Wl,--minor-subsystem-version,0 hello.c
[ "$(readobj_field "$OUT/mingw/x86_64-win10.exe" MajorSubsystemVersion).$(readobj_field "$OUT/mingw/x86_64-win10.exe" MinorSubsystemVersion)" = 10.0 ] ||
  die "mingw/x86_64-win10.exe: llvm-readobj does not show subsystem version 10.0"

# A download cut short: the first half of the console program. Headers and section table are
# whole; the last section's raw data is not.
full=$OUT/mingw/x86_64-console.exe
cut=$OUT/mingw/x86_64-console-truncated.exe
half=$(( $(stat -c %s "$full") / 2 ))
head -c "$half" "$full" >"$cut"
headers_end=$(( $(readobj_field "$full" SizeOfHeaders) ))
[ "$half" -gt "$headers_end" ] || die "$cut: cut inside the headers ($half <= $headers_end)"
[ "$(raw_data_end "$full")" -gt "$half" ] || die "$cut: the sections end before the cut"
[[ $(file_says "$cut") == "PE32+ executable"* ]] || die "$cut: file(1) no longer sees a PE: $(file_says "$cut")"
expect_begin
expect_str /format pe
expect_str /kind truncated
expect /bits 64
expect_str /machine IMAGE_FILE_MACHINE_AMD64
expect_str /platform windows/amd64
expect_str /pe/magic PE32+
emit "$cut" "head -c $half mingw/x86_64-console.exe"

# ---------------------------------------------------------------------------------------------
# Go (Debian's Go 1.19, which still has windows/arm).

unset GOFLAGS GOOS GOARCH GOARM GOAMD64 GO386
export CGO_ENABLED=0
GOVERSION=$(go env GOVERSION)
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
for goarch in 386 amd64 arm64 arm; do
  [[ $'\n'$(go tool dist list)$'\n' == *$'\n'"windows/$goarch"$'\n'* ]] || { log "Go $GOVERSION has no windows/$goarch"; continue; }
  platform=windows/$goarch
  # Go build info is the strongest evidence of the ARM variant, and Go records the GOARM it
  # built with (Go 1.19's default for a cross build is 5), whatever the PE machine implies.
  [ "$goarch" = arm ] && platform=windows/arm/v$(GOOS=windows GOARCH=arm go env GOARM | cut -d, -f1)
  output=go/windows-$goarch.exe
  mkdir -p "$OUT/go"
  (cd "$module" && GOOS=windows GOARCH=$goarch go build -o "$OUT/$output" .) ||
    die "go build failed for windows/$goarch"
  expect_begin
  expect_pe_header "$OUT/$output" "$platform" executable WINDOWS_CUI
  expect_pe_imports "$OUT/$output" ""
  expect /pe/clr/present false
  emit "$output" "CGO_ENABLED=0 GOOS=windows GOARCH=$goarch go build -o $output . ($GOVERSION, source in src/go/)"
done

# ---------------------------------------------------------------------------------------------
# EFI applications shipped by Debian (systemd-boot and the Linux EFI stub).

(cd "$work" && apt-get download systemd-boot-efi >&2) || die "apt-get download systemd-boot-efi failed"
deb=$(ls "$work"/systemd-boot-efi_*.deb)
dpkg-deb -x "$deb" "$work/efi"
mkdir -p "$OUT/efi"
found=0
for efi in "$work"/efi/usr/lib/systemd/boot/efi/*.efi "$work"/efi/usr/lib/systemd/boot/efi/*.efi.stub; do
  [ -f "$efi" ] || continue
  name=efi/$(basename "$efi")
  cp "$efi" "$OUT/$name"
  case $(readobj_field "$OUT/$name" Machine | awk '{print $1}') in
    IMAGE_FILE_MACHINE_AMD64) platform=uefi/amd64 ;;
    *) log "$name: not x86-64, skipped"; rm "$OUT/$name"; continue ;;
  esac
  expect_begin
  expect_pe_header "$OUT/$name" "$platform" efi-application EFI_APPLICATION
  expect_pe_imports "$OUT/$name" none
  expect /pe/clr/present false
  emit "$name" "apt-get download systemd-boot-efi; dpkg-deb -x $(basename "$deb") .; cp usr/lib/systemd/boot/efi/$(basename "$efi") $name"
  found=$((found + 1))
done
[ "$found" -gt 0 ] || die "systemd-boot-efi shipped no x86-64 EFI application"

# ---------------------------------------------------------------------------------------------
# .NET assemblies from Mono's C# compiler (optional: skipped when mono-mcs cannot be installed).

clr_flags() {  # the Flags word of the CLR header, read with od at the offset llvm-readobj maps
  local path=$1 rva offset
  rva=$(readobj_field "$path" CLRRuntimeHeaderRVA)
  offset=$(rva_to_offset "$path" "$rva")
  [ -n "$offset" ] || die "$path: CLR header RVA $rva is in no section"
  printf '0x%x' "$(od -An -tu4 -j $((offset + 16)) -N4 "$path" | tr -d ' ')"
}

if ( ensure_packages mono-mcs ) >&2; then
  cat >"$OUT/src/hello.cs" <<'EOF'
class Hello {
  static void Main() { System.Console.WriteLine("hello from C#"); }
}
EOF
  mkdir -p "$OUT/dotnet"
  # -platform value -> platform, CLR flags, runs_as, flag names
  while read -r target platform flags runs_as names; do
    output=dotnet/hello-$target.exe
    (cd "$OUT/src" && mcs -platform:"$target" -out:"$OUT/$output" hello.cs >&2) || die "mcs -platform:$target failed"
    [[ $(file_says "$OUT/$output") == *"Mono/.Net assembly"* ]] || die "$output: file(1) sees no .NET assembly"
    [ "$(clr_flags "$OUT/$output")" = "$flags" ] || die "$output: CLR flags $(clr_flags "$OUT/$output"), expected $flags"
    expect_begin
    expect_pe_header "$OUT/$output" "$platform" executable WINDOWS_CUI
    expect_pe_imports "$OUT/$output" ""
    expect /pe/clr/present true
    expect_str /pe/clr/flags "$flags"
    expect_str /pe/clr/runs_as "${runs_as//_/ }"
    expect /pe/clr/flag_names "$names"
    expect_str /pe/clr/runtime_version v4.0.30319
    emit "$output" "mcs -platform:$target -out:$output hello.cs (source in src/)"
  done <<'EOF'
anycpu windows/386 0x1 AnyCPU ["ILONLY"]
anycpu32bitpreferred windows/386 0x20003 AnyCPU_(32-bit_preferred) ["ILONLY","32BITREQUIRED","32BITPREFERRED"]
x86 windows/386 0x3 x86_only ["ILONLY","32BITREQUIRED"]
x64 windows/amd64 0x1 x64_only ["ILONLY"]
arm windows/arm/v7 0x1 ARM_only ["ILONLY"]
itanium windows/ia64 0x1 IA64_only ["ILONLY"]
EOF
else
  log "mono-mcs could not be installed: no .NET assemblies (the unit tests cover the CLR header)"
fi

log "$(wc -l <"$MANIFEST") files"
