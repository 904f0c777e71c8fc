#!/usr/bin/env bash
# Quick start (a): install what is missing, build the release preset, and inspect the host's
# own /bin/sh next to the samples of other platforms in samples/.
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
./build/release/tools/enoexec/enoexec inspect /bin/sh samples/* || true
