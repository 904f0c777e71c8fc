#!/usr/bin/env bash
# Quick start (a): install what is missing, build the release preset, and show the main job:
# verdicts on the samples of other platforms in samples/ for a Raspberry Pi Zero (the rpi-zero
# profile) and for this machine, then what each sample is.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

install_missing "${BUILD_PACKAGES[@]}"
cmake --preset release -DENOEXEC_TESTS=OFF -DENOEXEC_BENCH=OFF >/dev/null
# Everything `cmake --install build/release` installs (program, man page, completions,
# library), so that the README's install step works right after this one.
cmake --build --preset release
echo
set -x
enoexec=./build/release/tools/enoexec/enoexec
"$enoexec" check --target rpi-zero samples/linux-armv6-hardfloat samples/linux-armv7-hardfloat \
  samples/linux-arm64 samples/script-crlf.sh || true
"$enoexec" check /bin/sh samples/linux-arm64 samples/windows-amd64.exe samples/script-no-shebang.sh || true
"$enoexec" inspect /bin/sh samples/* || true
