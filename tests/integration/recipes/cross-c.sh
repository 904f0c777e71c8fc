# shellcheck shell=bash
# C and C++ programs built here with Debian's cross compilers, dynamic and static.
# Expected platform = the compiler's target triple (for 32-bit ARM: the compiler's default
# -march, or the -march given); linkage = the link flags; libc = the toolchain's C library.
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
recipe_init "$@"

[ "$(dpkg --print-architecture)" = amd64 ] ||
  die "this recipe expects a Debian amd64 host (musl-gcc and gcc build x86-64 code here)"
# The cross C libraries' headers are only Recommends of the gcc-* packages, which an install
# without recommends leaves out (a fresh machine then has no <bits/libc-header-start.h>).
ensure_packages gcc g++ musl-tools gcc-aarch64-linux-gnu g++-aarch64-linux-gnu \
  gcc-arm-linux-gnueabi gcc-arm-linux-gnueabihf gcc-riscv64-linux-gnu gcc-i686-linux-gnu \
  libc6-dev-arm64-cross libc6-dev-armel-cross libc6-dev-armhf-cross libc6-dev-riscv64-cross \
  libc6-dev-i386-cross
# The other Linux ports Debian 12 cross-compiles for (one static program each, for the kernel
# architecture checks); gcc-multilib-sparc64-linux-gnu brings the 32-bit (-m32) sparc libraries.
ensure_packages gcc-alpha-linux-gnu libc6.1-dev-alpha-cross \
  gcc-hppa-linux-gnu libc6-dev-hppa-cross gcc-m68k-linux-gnu libc6-dev-m68k-cross \
  gcc-sh4-linux-gnu libc6-dev-sh4-cross \
  gcc-sparc64-linux-gnu libc6-dev-sparc64-cross gcc-multilib-sparc64-linux-gnu \
  gcc-powerpc-linux-gnu libc6-dev-powerpc-cross gcc-mips-linux-gnu libc6-dev-mips-cross \
  gcc-x86-64-linux-gnux32 libc6-dev-x32-cross

mkdir -p "$OUT/src"
cat >"$OUT/src/hello.c" <<'EOF'
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  (void)argv;
  printf("hello, sqrt(%d) = %f\n", argc, sqrt((double)argc));
  return EXIT_SUCCESS;
}
EOF
cat >"$OUT/src/hello.cpp" <<'EOF'
#include <iostream>
#include <string>
#include <vector>

int main(int argc, char **argv) {
  std::vector<std::string> args(argv, argv + argc);
  std::cout << "hello from C++ with " << args.size() << " argument(s)\n";
  return 0;
}
EOF
# ARMv6 with Debian's armhf toolchain: its start files (crt1.o, crti.o) and libgcc are ARMv7,
# and the linker merges .ARM.attributes, so a normal link says v7. These programs link only
# code compiled for ARMv6: the dynamic one calls libc.so (attributes of shared libraries are
# not merged) from its own _start; the static one makes system calls directly.
cat >"$OUT/src/hello_v6_nostartfiles.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>

void _start(void) {
  puts("hello from ARMv6");
  exit(0);
}
EOF
cat >"$OUT/src/hello_v6_freestanding.c" <<'EOF'
/* write(2) and exit(2) by system call (ARM EABI: number in r7, svc #0); no C library. */
static long arm_syscall3(long number, long a, long b, long c) {
  register long r7 __asm__("r7") = number;
  register long r0 __asm__("r0") = a;
  register long r1 __asm__("r1") = b;
  register long r2 __asm__("r2") = c;
  __asm__ volatile("svc #0" : "+r"(r0) : "r"(r7), "r"(r1), "r"(r2) : "memory");
  return r0;
}

void _start(void) {
  static const char message[] = "hello from ARMv6\n";
  arm_syscall3(4, 1, (long)message, sizeof message - 1);
  for (;;) arm_syscall3(1, 0, 0, 0);
}
EOF

# The platform a 32-bit ARM compiler targets by default, from its own -march default.
arm_default_platform() {
  local march
  march=$("$1" -Q --help=target | awk '$1 == "-march=" {print $2; exit}')
  case $march in
    armv7*) echo linux/arm/v7 ;; armv6*) echo linux/arm/v6 ;; armv5*) echo linux/arm/v5 ;;
    *) die "$1: unexpected default -march '$march'" ;;
  esac
}

# build PLATFORM LINKAGE LIBC OUTPUT COMMAND...: runs COMMAND in $OUT (it must write OUTPUT),
# then checks and records the expectations.
build() {
  local platform=$1 linkage=$2 libc=$3 output=$4
  shift 4
  mkdir -p "$OUT/$(dirname "$output")"
  (cd "$OUT" && "$@") || die "build failed: $*"
  expect_begin
  expect_elf_header "$OUT/$output" "$platform"
  expect_elf_loading "$OUT/$output" "$linkage"
  expect_libc_from_evidence "$OUT/$output" "$libc"
  emit "$output" "$*"
}

# C: every triple, dynamic and static.
for cc in x86_64-linux-gnu-gcc aarch64-linux-gnu-gcc arm-linux-gnueabi-gcc \
  arm-linux-gnueabihf-gcc riscv64-linux-gnu-gcc i686-linux-gnu-gcc; do
  triple=${cc%-gcc}
  case $triple in
    x86_64-*) platform=linux/amd64 ;; aarch64-*) platform=linux/arm64 ;;
    riscv64-*) platform=linux/riscv64 ;; i686-*) platform=linux/386 ;;
    arm-*) platform=$(arm_default_platform "$cc") ;;
  esac
  build "$platform" dynamic glibc "$triple/hello" "$cc" -O2 -o "$triple/hello" src/hello.c -lm
  build "$platform" static glibc "$triple/hello-static" \
    "$cc" -O2 -static -o "$triple/hello-static" src/hello.c -lm
done
build linux/amd64 static-pie glibc x86_64-linux-gnu/hello-static-pie \
  x86_64-linux-gnu-gcc -O2 -static-pie -o x86_64-linux-gnu/hello-static-pie src/hello.c -lm

# Packed relative relocations (DT_RELR): glibc 2.36 added them and the GLIBC_ABI_DT_RELR
# version the linker then needs, so glibc_min is at least 2.36.
for cc in x86_64-linux-gnu-gcc i686-linux-gnu-gcc; do
  triple=${cc%-gcc}
  platform=$([ "$triple" = x86_64-linux-gnu ] && echo linux/amd64 || echo linux/386)
  build "$platform" dynamic glibc "$triple/hello-relr" \
    "$cc" -O2 -Wl,-z,pack-relative-relocs -o "$triple/hello-relr" src/hello.c -lm
  readelf -VW "$OUT/$triple/hello-relr" | grep 'Name: GLIBC_ABI_DT_RELR' >/dev/null ||
    die "$triple/hello-relr: linked with -z pack-relative-relocs but needs no GLIBC_ABI_DT_RELR"
done

# musl (x86-64): the dynamic program names musl's loader; the static one carries nothing
# that says musl, so it gets no /libc expectation.
build linux/amd64 dynamic musl x86_64-linux-musl/hello musl-gcc -O2 -o x86_64-linux-musl/hello src/hello.c -lm
build linux/amd64 static musl x86_64-linux-musl/hello-static \
  musl-gcc -O2 -static -o x86_64-linux-musl/hello-static src/hello.c -lm

# ARMv6 hard-float (Raspberry Pi 1 / Zero).
v6=(-O2 -march=armv6 -marm -mfpu=vfp -mfloat-abi=hard)
build linux/arm/v6 dynamic glibc armv6-linux-gnueabihf/hello arm-linux-gnueabihf-gcc "${v6[@]}" \
  -nostartfiles -o armv6-linux-gnueabihf/hello src/hello_v6_nostartfiles.c
build linux/arm/v6 static none armv6-linux-gnueabihf/hello-static arm-linux-gnueabihf-gcc "${v6[@]}" \
  -static -nostdlib -ffreestanding -o armv6-linux-gnueabihf/hello-static src/hello_v6_freestanding.c

# The other Linux ports, one static program each (for the verdict cases of the kernels'
# elf_check_arch, tests/integration/verdicts/linux.jsonl). Platform = the Debian architecture of
# the triple: alpha, hppa, m68k, sh4 (little-endian SuperH: linux/sh), sparc64, powerpc
# (linux/ppc), mips (big-endian o32).
for cc in alpha-linux-gnu-gcc hppa-linux-gnu-gcc m68k-linux-gnu-gcc sh4-linux-gnu-gcc \
  sparc64-linux-gnu-gcc powerpc-linux-gnu-gcc mips-linux-gnu-gcc; do
  triple=${cc%-gcc}
  case $triple in
    alpha-*) platform=linux/alpha ;; hppa-*) platform=linux/hppa ;; m68k-*) platform=linux/m68k ;;
    sh4-*) platform=linux/sh ;; sparc64-*) platform=linux/sparc64 ;;
    powerpc-*) platform=linux/ppc ;; mips-*) platform=linux/mips ;;
  esac
  build "$platform" static glibc "$triple/hello-static" \
    "$cc" -O2 -static -o "$triple/hello-static" src/hello.c -lm
done
# 32-bit SPARC from the sparc64 compiler's multilib: EM_SPARC32PLUS, which a sparc64 kernel runs
# through compat_elf_check_arch and a 32-bit sparc kernel refuses.
build linux/sparc static glibc sparc64-linux-gnu/hello-m32-static \
  sparc64-linux-gnu-gcc -m32 -O2 -static -o sparc64-linux-gnu/hello-m32-static src/hello.c -lm

# x32: EM_X86_64 in ELFCLASS32, which an x86-64 kernel takes only with CONFIG_X86_X32_ABI (and,
# on Debian, the boot option syscall.x32=y). Without libm: Debian 12's x32 libm.a is a linker
# script naming the native x32 paths, which the cross libc package does not have.
cat >"$OUT/src/hello_nomath.c" <<'EOF'
#include <stdio.h>

int main(int argc, char **argv) {
  (void)argv;
  printf("hello with %d argument(s)\n", argc);
  return 0;
}
EOF
build linux/x32 static glibc x86_64-linux-gnux32/hello-static \
  x86_64-linux-gnux32-gcc -O2 -static -o x86_64-linux-gnux32/hello-static src/hello_nomath.c

# C++: libstdc++ adds GLIBCXX_/CXXABI_ version needs beside GLIBC_.
build linux/amd64 dynamic glibc x86_64-linux-gnu/hello-cxx \
  x86_64-linux-gnu-g++ -O2 -o x86_64-linux-gnu/hello-cxx src/hello.cpp
build linux/amd64 dynamic glibc x86_64-linux-gnu/hello-cxx-static-libstdcxx \
  x86_64-linux-gnu-g++ -O2 -static-libstdc++ -static-libgcc \
  -o x86_64-linux-gnu/hello-cxx-static-libstdcxx src/hello.cpp
build linux/arm64 dynamic glibc aarch64-linux-gnu/hello-cxx \
  aarch64-linux-gnu-g++ -O2 -o aarch64-linux-gnu/hello-cxx src/hello.cpp

# For the verdict cases (tests/integration/verdicts/linux.jsonl): an arm64 program laid out for
# 4 KiB pages only (GNU ld's aarch64 default is 64 KiB), which a 16 KiB-page kernel (Raspberry
# Pi 5) cannot map.
build linux/arm64 static glibc aarch64-linux-gnu/hello-static-4k \
  aarch64-linux-gnu-gcc -O2 -static -Wl,-z,max-page-size=4096 -Wl,-z,common-page-size=4096 \
  -o aarch64-linux-gnu/hello-static-4k src/hello.c -lm

# A relocatable object (ET_REL), left executable as a mistaken chmod +x would: the kernel
# refuses every e_type but ET_EXEC and ET_DYN.
mkdir -p "$OUT/x86_64-linux-gnu"
(cd "$OUT" && x86_64-linux-gnu-gcc -O2 -c -o x86_64-linux-gnu/hello.o src/hello.c) || die "gcc -c failed"
chmod 755 "$OUT/x86_64-linux-gnu/hello.o"
expect_begin
expect_str /format elf
expect_str /machine EM_X86_64
emit x86_64-linux-gnu/hello.o "x86_64-linux-gnu-gcc -O2 -c -o x86_64-linux-gnu/hello.o src/hello.c; chmod 755"

# A shared library installed 0644, as Debian policy (section 10.9) installs them: execve would
# refuse it (EACCES), but ld.so maps it, so the verdict judges it as a library.
mkdir -p "$OUT/x86_64-linux-gnu"
(cd "$OUT" && x86_64-linux-gnu-gcc -O2 -shared -fPIC -o x86_64-linux-gnu/libhello.so.1 src/hello.c) ||
  die "gcc -shared failed"
chmod 644 "$OUT/x86_64-linux-gnu/libhello.so.1"
expect_begin
expect_str /format elf
expect_str /type shared-library
emit x86_64-linux-gnu/libhello.so.1 "x86_64-linux-gnu-gcc -O2 -shared -fPIC -o x86_64-linux-gnu/libhello.so.1 src/hello.c; chmod 644"

# The same library with an exec bit (as Fedora installs libraries, 0755): run on its own, the
# kernel starts it at e_entry 0, its ELF header, and it dies with SIGSEGV.
cp "$OUT/x86_64-linux-gnu/libhello.so.1" "$OUT/x86_64-linux-gnu/libhello-x.so.1"
chmod 755 "$OUT/x86_64-linux-gnu/libhello-x.so.1"
expect_begin
expect_str /format elf
expect_str /type shared-library
emit x86_64-linux-gnu/libhello-x.so.1 "the libhello.so.1 above; chmod 755"

# A mislabelled release asset: the x86-64 program copied under a name that promises arm64.
mkdir -p "$OUT/release"
cp "$OUT/x86_64-linux-gnu/hello" "$OUT/release/myapp-linux-arm64"
expect_begin
expect_str /platform linux/amd64
emit release/myapp-linux-arm64 "cp x86_64-linux-gnu/hello release/myapp-linux-arm64"

# An interrupted download: the x86-64 program cut after 200 bytes, so its program header table
# runs past the end of the file (the kernel reads it and fails with EIO).
mkdir -p "$OUT/damaged"
head -c 200 "$OUT/x86_64-linux-gnu/hello" > "$OUT/damaged/hello-cut-200"
chmod 755 "$OUT/damaged/hello-cut-200"
expect_begin
expect_str /format elf
expect_str /machine EM_X86_64
emit damaged/hello-cut-200 "head -c 200 x86_64-linux-gnu/hello > damaged/hello-cut-200; chmod 755"

# Headers the kernel reads otherwise than readelf does (the truth test asks the kernel about
# each): EI_DATA flipped or invalid (binfmt_elf reads e_type and e_machine in the kernel's byte
# order whatever EI_DATA says), EI_CLASS invalid or wrong (x86's elf_check_arch never reads it;
# each loader reads its own struct), and the header cut inside each of its fields.
set_byte() {  # set_byte SOURCE DEST OFFSET HEX
  cp "$OUT/$1" "$OUT/$2"
  printf "\\x$4" | dd of="$OUT/$2" bs=1 seek="$3" conv=notrunc status=none
  chmod 755 "$OUT/$2"
  expect_begin
  expect_str /format elf
  emit "$2" "cp $1 $2; printf '\\x$4' | dd of=$2 bs=1 seek=$3 conv=notrunc"
}
set_byte x86_64-linux-gnu/hello damaged/hello-ei-data-msb 5 02
set_byte x86_64-linux-gnu/hello-static damaged/hello-static-ei-data-msb 5 02
set_byte x86_64-linux-gnu/hello damaged/hello-ei-data-none 5 00
set_byte x86_64-linux-gnu/hello damaged/hello-ei-class-none 4 00
set_byte x86_64-linux-gnu/hello damaged/hello-ei-class-3 4 03
set_byte x86_64-linux-gnu/hello-static damaged/hello-static-ei-class-32 4 01
set_byte i686-linux-gnu/hello-static damaged/hello-i686-static-ei-class-64 4 02
set_byte aarch64-linux-gnu/hello-static damaged/hello-aarch64-static-ei-data-msb 5 02
# Cut inside e_ident, e_type, e_machine, e_version, e_entry, e_phoff, e_shoff, e_flags, e_ehsize,
# e_phentsize, e_phnum, e_shentsize and at the header's end.
for cut in 4 5 16 17 18 20 24 32 40 48 52 54 56 58 63 64; do
  head -c "$cut" "$OUT/x86_64-linux-gnu/hello-static" >"$OUT/damaged/hello-static-cut-$cut"
  chmod 755 "$OUT/damaged/hello-static-cut-$cut"
  expect_begin
  expect_str /format elf
  emit "damaged/hello-static-cut-$cut" "head -c $cut x86_64-linux-gnu/hello-static > damaged/hello-static-cut-$cut"
done
