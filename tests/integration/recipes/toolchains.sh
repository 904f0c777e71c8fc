# Toolchain fingerprints and CPU levels of x86-64 programs built here: C and C++ with gcc and
# clang (GNU ld, and -fuse-ld=lld / -fuse-ld=gold), -march=x86-64-v3 with and without
# -Wl,-z,x86-64-v3 (only that flag makes GNU ld write the ISA-needed property; LLD 14 does not
# know it), static glibc and static musl, a stripped program, and a Rust hello built by the
# rustc on PATH. Zig is not packaged for Debian 12: no Zig file.
#
# Expected values come from how each file was made: the compiler and linker we ran and their
# own version output (gcc -dumpfullversion, clang --version, ld.lld --version, ld.gold
# --version, rustc --version). Each is cross-checked against what readelf shows (-p .comment,
# -n for the gold note and the x86 ISA property, -S for .symtab). Where the file itself cannot
# say (GNU ld leaves no mark: /toolchain/linker null; two GCC versions in .comment: version
# null; a stripped program: language null) the expectation is null.
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
recipe_init "$@"

[ "$(dpkg --print-architecture)" = amd64 ] || die "this recipe expects a Debian amd64 host"
ensure_packages gcc g++ clang lld binutils musl-tools
command -v rustc >/dev/null 2>&1 || ensure_packages rustc

mkdir -p "$OUT/src"
cat >"$OUT/src/hello.c" <<'EOF'
#include <stdio.h>

int main(int argc, char **argv) {
  (void)argv;
  printf("hello from C with %d argument(s)\n", argc);
  return 0;
}
EOF
cat >"$OUT/src/hello.cpp" <<'EOF'
#include <iostream>

int main(int argc, char **) {
  std::cout << "hello from C++ with " << argc << " argument(s)\n";
  return 0;
}
EOF
cat >"$OUT/src/hello.rs" <<'EOF'
fn main() {
    println!("hello from Rust with {} argument(s)", std::env::args().count());
}
EOF

GCC_VERSION=$(gcc -dumpfullversion)
CLANG_VERSION=$(clang --version | sed -n 's/.*clang version \([0-9.]*\).*/\1/p' | head -n1)
LLD_VERSION=$(ld.lld --version | sed -n 's/.*LLD \([0-9.]*\).*/\1/p' | head -n1)
GOLD_VERSION=$(ld.gold --version | head -n1 | awk '{print $NF}')
RUSTC_VERSION=$(rustc --version | awk '{print $2}')
[ -n "$GCC_VERSION" ] && [ -n "$CLANG_VERSION" ] && [ -n "$LLD_VERSION" ] &&
  [ -n "$GOLD_VERSION" ] && [ -n "$RUSTC_VERSION" ] || die "could not read a tool's version"
log "gcc $GCC_VERSION, clang $CLANG_VERSION, lld $LLD_VERSION, gold $GOLD_VERSION, rustc $RUSTC_VERSION"

# ---------------------------------------------------------------------------------------------
# Witnesses.

comment_lines() { readelf -p .comment "$1" 2>/dev/null | sed -n 's/^ *\[ *[0-9a-f]*\]  //p'; }
has_comment() { comment_lines "$1" | grep -F -- "$2" >/dev/null; }
has_symtab() { readelf -SW "$1" | grep ' \.symtab ' >/dev/null; }
has_symbol() { readelf -sW "$1" | awk '{print $8}' | grep -x -- "$2" >/dev/null; }
gold_note_version() { readelf -nW "$1" | sed -n 's/.*Version: gold \([0-9.]*\).*/\1/p' | head -n1; }
# The distinct GCC versions the .comment lines state.
gcc_comment_versions() { comment_lines "$1" | sed -n 's/^GCC: ([^)]*) \([0-9.]*\).*/\1/p' | sort -u; }
# The highest level of readelf's "x86 ISA needed:" list as v1..v4; "" without the property.
x86_isa_level() {
  elf_x86_isa_needed_all "$1" | tr ',' '\n' | sed 's/^ *//' | awk '
    $0 == "x86-64-baseline" && level < 1 { level = 1 }
    /^x86-64-v[234]$/ { n = substr($0, 9) + 0; if (n > level) level = n }
    END { if (level) print "v" level }'
}
elf_x86_isa_needed_all() { readelf -nW "$1" | sed -n 's/.*x86 ISA needed: *//p' | head -n1; }

# ---------------------------------------------------------------------------------------------
# Expectations.

# expect_toolchain FILE LANGUAGE COMPILER VERSION LINKER LINKER_VERSION ("" = null)
expect_toolchain() {
  expect_str_or_null /toolchain/language "$2"
  expect_str_or_null /toolchain/compiler "$3"
  expect_str_or_null /toolchain/version "$4"
  expect_str_or_null /toolchain/linker "$5"
  expect_str_or_null /toolchain/linker_version "$6"
}

# expect_cpu_level FILE: from the GNU property readelf shows, or null without one.
expect_cpu_level() {
  local level
  level=$(x86_isa_level "$1")
  if [ -z "$level" ]; then
    expect /cpu_level null
    return
  fi
  expect_str /cpu_level/isa x86-64
  expect_str /cpu_level/level "$level"
  expect_str /cpu_level/source "GNU property X86_ISA_1_NEEDED"
  expect /cpu_level/found_by_scan false
}

# The cross-checks of what each compiler and linker leaves in .comment / the notes.
check_compiler() {  # check_compiler FILE gcc|clang|rustc
  case $2 in
    gcc) has_comment "$1" "GCC: (" && has_comment "$1" ") $GCC_VERSION" ||
      die "$1: built by gcc $GCC_VERSION but .comment says: $(comment_lines "$1" | tr '\n' '|')" ;;
    clang) has_comment "$1" "clang version $CLANG_VERSION" ||
      die "$1: built by clang $CLANG_VERSION but .comment says: $(comment_lines "$1" | tr '\n' '|')" ;;
    rustc) has_comment "$1" "rustc version $RUSTC_VERSION" ||
      die "$1: built by rustc $RUSTC_VERSION but .comment says: $(comment_lines "$1" | tr '\n' '|')" ;;
  esac
}
check_linker() {  # check_linker FILE bfd|lld|gold
  case $2 in
    bfd)
      ! has_comment "$1" "Linker:" && [ -z "$(gold_note_version "$1")" ] ||
        die "$1: linked by GNU ld but carries another linker's mark" ;;
    lld) has_comment "$1" "LLD $LLD_VERSION" || die "$1: linked by lld but .comment names no LLD $LLD_VERSION" ;;
    gold) [ "$(gold_note_version "$1")" = "$GOLD_VERSION" ] || die "$1: linked by gold but no gold $GOLD_VERSION note" ;;
  esac
}

# c_language FILE LANGUAGE: the language a correct reader can prove (C needs a symbol table).
c_language() {
  if [ "$2" = c ] && ! has_symtab "$1"; then echo ""; else echo "$2"; fi
}

# build OUTPUT PLATFORM LINKAGE LIBC LANGUAGE COMPILER LINKER COMMAND...
build() {
  local output=$1 platform=$2 linkage=$3 libc=$4 language=$5 compiler=$6 linker=$7
  shift 7
  mkdir -p "$OUT/$(dirname "$output")"
  (cd "$OUT" && "$@") 2>"$OUT/$output.stderr" || { cat "$OUT/$output.stderr" >&2; die "build failed: $*"; }
  rm -f "$OUT/$output.stderr"
  finish "$output" "$platform" "$linkage" "$libc" "$language" "$compiler" "$linker" "$*"
}

finish() {
  local output=$1 platform=$2 linkage=$3 libc=$4 language=$5 compiler=$6 linker=$7 made_by=$8
  local path=$OUT/$output version linker_name="" linker_version=""
  check_compiler "$path" "$compiler"
  check_linker "$path" "$linker"
  case $compiler in gcc) version=$GCC_VERSION ;; clang) version=$CLANG_VERSION ;; esac
  case $linker in
    lld) linker_name=lld linker_version=$LLD_VERSION ;;
    gold) linker_name=gold linker_version=$GOLD_VERSION ;;
  esac
  expect_begin
  expect_elf_header "$path" "$platform"
  expect_elf_loading "$path" "$linkage"
  expect_libc_from_evidence "$path" "$libc"
  expect_toolchain "$path" "$(c_language "$path" "$language")" "$compiler" "$version" \
    "$linker_name" "$linker_version"
  expect_cpu_level "$path"
  emit "$output" "$made_by"
}

# ---------------------------------------------------------------------------------------------
# C and C++ with each compiler and linker.

build gcc/hello linux/amd64 dynamic glibc c gcc bfd gcc -O2 -o gcc/hello src/hello.c
build gcc/hello-lld linux/amd64 dynamic glibc c gcc lld gcc -O2 -fuse-ld=lld -o gcc/hello-lld src/hello.c
build gcc/hello-gold linux/amd64 dynamic glibc c gcc gold gcc -O2 -fuse-ld=gold -o gcc/hello-gold src/hello.c
build gcc/hello-static linux/amd64 static glibc c gcc bfd gcc -O2 -static -o gcc/hello-static src/hello.c
build gcc/hello-cxx linux/amd64 dynamic glibc c++ gcc bfd g++ -O2 -o gcc/hello-cxx src/hello.cpp
build clang/hello linux/amd64 dynamic glibc c clang bfd clang -O2 -o clang/hello src/hello.c
build clang/hello-lld linux/amd64 dynamic glibc c clang lld clang -O2 -fuse-ld=lld -o clang/hello-lld src/hello.c
build clang/hello-cxx linux/amd64 dynamic glibc c++ clang bfd clang++ -O2 -o clang/hello-cxx src/hello.cpp

# Stripped: .comment stays, the symbol table goes, and with it the proof that this is C.
build gcc/hello-stripped linux/amd64 dynamic glibc c gcc bfd gcc -O2 -s -o gcc/hello-stripped src/hello.c
has_symtab "$OUT/gcc/hello-stripped" && die "gcc/hello-stripped: still has .symtab"

# ---------------------------------------------------------------------------------------------
# -march=x86-64-v3: the code needs v3 either way, but only -z x86-64-v3 makes GNU ld say so
# (without it, GNU ld marks the baseline). LLD 14 ignores the flag with a warning.

for cc in gcc clang; do
  build "$cc/hello-v3" linux/amd64 dynamic glibc c "$cc" bfd \
    "$cc" -O2 -march=x86-64-v3 -o "$cc/hello-v3" src/hello.c
  build "$cc/hello-v3-z" linux/amd64/v3 dynamic glibc c "$cc" bfd \
    "$cc" -O2 -march=x86-64-v3 -Wl,-z,x86-64-v3 -o "$cc/hello-v3-z" src/hello.c
  [ "$(x86_isa_level "$OUT/$cc/hello-v3-z")" = v3 ] ||
    die "$cc/hello-v3-z: linked with -z x86-64-v3 but readelf -n shows '$(elf_x86_isa_needed_all "$OUT/$cc/hello-v3-z")'"
done
build clang/hello-v3-z-lld linux/amd64 dynamic glibc c clang lld \
  clang -O2 -march=x86-64-v3 -fuse-ld=lld -Wl,-z,x86-64-v3 -o clang/hello-v3-z-lld src/hello.c

# ---------------------------------------------------------------------------------------------
# Static musl: musl's start-up symbols say musl. Its start files were built by an older GCC,
# so .comment holds two GCC versions and the compiler's version is not stated.

mkdir -p "$OUT/musl"
(cd "$OUT" && musl-gcc -O2 -static -o musl/hello-static src/hello.c) || die "musl-gcc failed"
path=$OUT/musl/hello-static
check_compiler "$path" gcc
has_symbol "$path" __init_libc || die "musl/hello-static: no __init_libc symbol"
versions=$(gcc_comment_versions "$path")
version=$([ "$(printf '%s\n' "$versions" | wc -l)" -eq 1 ] && printf '%s' "$versions" || true)
expect_begin
expect_elf_header "$path" linux/amd64
expect_elf_loading "$path" static
expect_str /libc musl
expect_toolchain "$path" c gcc "$version" "" ""
expect_cpu_level "$path"
emit musl/hello-static "musl-gcc -O2 -static -o musl/hello-static src/hello.c"

# ---------------------------------------------------------------------------------------------
# Rust, with whatever linker rustc chose (rustc >= 1.90 links x86_64 Linux with its own LLD,
# which writes its "Linker: LLD" line; with the system cc there is no linker mark).

mkdir -p "$OUT/rust"
(cd "$OUT" && rustc -O -o rust/hello src/hello.rs) || die "rustc failed"
path=$OUT/rust/hello
check_compiler "$path" rustc
rust_lld=$(comment_lines "$path" | sed -n 's/^Linker: .*LLD \([0-9.]*\).*/\1/p' | head -n1)
expect_begin
expect_elf_header "$path" linux/amd64
expect_elf_loading "$path" dynamic
expect_libc_from_evidence "$path" glibc
expect_toolchain "$path" rust rustc "$RUSTC_VERSION" "$([ -n "$rust_lld" ] && echo lld)" "$rust_lld"
expect_cpu_level "$path"
emit rust/hello "rustc -O -o rust/hello src/hello.rs ($(rustc --version))"

# TODO (PE/Mach-O adapters): MinGW x86_64-w64-mingw32-gcc programs (compiler mingw-gcc, linker
# bfd from the PE linker version 2.xx) once the PE toolchain adapter is in.
