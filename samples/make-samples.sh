#!/usr/bin/env bash
# Rebuilds the demonstration samples in this folder: tiny programs for other platforms, made
# with clang and lld (no C library, a few hundred bytes each), and scripts with the defects
# people meet most. `enoexec inspect samples/*` is the README's demonstration.
# Needs: clang, lld (Debian: clang-14 lld-14).
set -euo pipefail
cd "$(dirname "$0")"

src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
cat > "$src/tiny.c" <<'C'
int answer = 42;
void _start(void) { for (;;) answer++; }
C

# name  clang target  extra flags
while read -r name target flags; do
  clang --target="$target" -O2 -ffreestanding -nostdlib -static -fuse-ld=lld \
    -Wl,--build-id=none -Wl,-e,_start $flags -o "$name" "$src/tiny.c"
done <<'LIST'
linux-arm64            aarch64-linux-gnu
linux-armv6-hardfloat  armv6-linux-gnueabihf   -mfpu=vfp
linux-armv7-hardfloat  armv7-linux-gnueabihf   -mfpu=vfpv3-d16
linux-386              i686-linux-gnu
linux-riscv64          riscv64-linux-gnu
linux-mips64le         mips64el-linux-gnuabi64
linux-mipsle           mipsel-linux-gnu
linux-ppc64le          powerpc64le-linux-gnu
freebsd-amd64          x86_64-unknown-freebsd
LIST

clang --target=arm64-apple-macos11 -O2 -ffreestanding -nostdlib -fuse-ld=lld -Wl,-e,__start \
  -o darwin-arm64 "$src/tiny.c"
clang --target=x86_64-pc-windows-msvc -O2 -ffreestanding -nostdlib -fuse-ld=lld \
  -Wl,/entry:_start -Wl,/subsystem:console -o windows-amd64.exe "$src/tiny.c"
rm -f windows-amd64.lib windows-amd64.pdb

printf '#!/bin/sh\r\necho "saved on Windows: every line ends in CR LF"\r\n' > script-crlf.sh
printf '\xef\xbb\xbf#!/bin/sh\necho "saved with a UTF-8 byte order mark"\n' > script-bom.sh
printf 'echo "no #! line: execve says Exec format error"\n' > script-no-shebang.sh
printf '#!/usr/bin/env python3 -u\nprint("env gets one argument: \\"python3 -u\\"")\n' > script-env-args.py
printf '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body>Not Found</body></html>\n' > download-404.html
printf 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n' > lfs-pointer
chmod +x linux-* freebsd-* darwin-* windows-* script-*
