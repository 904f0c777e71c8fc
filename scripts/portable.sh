#!/usr/bin/env bash
# scripts/portable.sh [amd64|arm64]: the portable release program in one command
# (docs/portable.md). Installs what is missing, configures and builds the `portable` preset
# (amd64, this machine's g++) or `portable-arm64` (Debian's aarch64-linux-gnu cross g++ with
# arm64 multiarch libraries), and checks the result:
#   build/portable/enoexec-VERSION-linux-amd64        + build/portable/SHA256SUMS
#   build/portable-arm64/enoexec-VERSION-linux-arm64  + build/portable-arm64/SHA256SUMS
# A release attaches the programs and one SHA256SUMS: cat build/portable*/SHA256SUMS.
# Debian 12 or Ubuntu 22.04+ on amd64; apt-get runs through sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

arch=${1:-amd64}
case "$arch" in
  amd64) preset=portable machine=X86-64 ;;
  arm64) preset=portable-arm64 machine=AArch64 ;;
  *) echo "usage: scripts/portable.sh [amd64|arm64]" >&2; exit 2 ;;
esac
[ "$(dpkg --print-architecture)" = amd64 ] ||
  { echo "portable.sh: builds on an amd64 Debian/Ubuntu machine" >&2; exit 2; }

# Header-only libraries are architecture-independent; fmt's CMake package, libcrypto.a and
# OpenSSL's configuration.h are per architecture.
common=(cmake ninja-build pkg-config binutils file libcli11-dev nlohmann-json3-dev libexpected-dev)
if [ "$arch" = amd64 ]; then
  install_missing "${common[@]}" g++ libc6-dev libfmt-dev libssl-dev
else
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "Adding the arm64 architecture to dpkg (multiarch)"
    as_root dpkg --add-architecture arm64
    # install_missing runs apt-get update only when something is missing, which it is now.
  fi
  # Debian's own mirrors carry every architecture; an Ubuntu amd64 machine needs an arm64
  # source on ports.ubuntu.com first (docs/portable.md).
  install_missing "${common[@]}" g++-aarch64-linux-gnu libc6-dev-arm64-cross \
    libfmt-dev:arm64 libssl-dev:arm64 libarchive-dev:arm64 libzstd-dev:arm64 liblzma-dev:arm64 \
    libbz2-dev:arm64 zlib1g-dev:arm64
fi

start=$(date +%s)
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
dir=build/$preset
version=$(sed -n 's/^project(enoexec VERSION \([0-9][0-9.]*\).*/\1/p' CMakeLists.txt)
asset=enoexec-$version-linux-$arch

# The checks the release relies on; tests/portable/portable_test.sh does more for amd64.
readelf -hW "$dir/$asset" | grep -q "Machine: *Advanced Micro Devices $machine\|Machine: *$machine" ||
  { echo "portable.sh: $dir/$asset is not an $machine program" >&2; exit 1; }
if readelf -dW "$dir/$asset" | grep -q '(NEEDED)' || readelf -lW "$dir/$asset" | grep -q 'INTERP'; then
  echo "portable.sh: $dir/$asset is not fully static" >&2
  exit 1
fi
(cd "$dir" && sha256sum --check --strict SHA256SUMS)
if [ "$arch" = amd64 ]; then
  "$dir/$asset" --version
elif command -v qemu-aarch64 >/dev/null; then
  # A static program needs no arm64 root under qemu-user (Debian package qemu-user).
  qemu-aarch64 "$dir/$asset" --version
fi
echo "portable.sh: $dir/$asset ($(stat -c %s "$dir/$asset") bytes, $(($(date +%s) - start)) s)"
file -b "$dir/$asset"
cat "$dir/SHA256SUMS"
