#!/usr/bin/env bash
# Quick start (b) and CI: install what is missing, fetch or build the real-binary inputs, then
# build and run the whole test suite with g++ (warnings are errors), clang, and g++ under
# AddressSanitizer + UndefinedBehaviorSanitizer; then the image benchmark's smoke run; then the
# portable static program and its container image (tests/portable/portable_test.sh); then the
# fuzz smoke (every libFuzzer target replays its regression inputs and fuzzes for
# ENOEXEC_FUZZ_SECONDS, default 15 s; about three minutes with the build). ENOEXEC_FUZZ_SMOKE=0
# skips the fuzz smoke.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

fuzz_smoke=${ENOEXEC_FUZZ_SMOKE:-1}
fuzz_packages=()
[ "$fuzz_smoke" = 0 ] || fuzz_packages=("${FUZZ_PACKAGES[@]}")
install_missing "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${fuzz_packages[@]}"
# npm fetches the SARIF 2.1.0 schema for tests/cli/sarif_schema_test.sh; any npm will do.
command -v npm >/dev/null || install_missing npm

export ENOEXEC_INPUTS="$PWD/build/inputs"
export ENOEXEC_REQUIRE_INPUTS=1
bash tests/integration/fetch-inputs.sh "$ENOEXEC_INPUTS"

for preset in ${ENOEXEC_PRESETS:-debug clang asan-ubsan}; do
  echo "=== $preset"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  ctest --preset "$preset" --parallel 2
done

# The image benchmark's smoke run: its image recipe and its three ways of reading the layers
# work. The full run, with the issue's target, is a release-build benchmark outside CI
# (docs/performance.md).
if [ -x build/debug/tools/enoexec/enoexec ]; then
  echo "=== image bench smoke"
  ENOEXEC_BUILD=build/debug bash bench/image_bench.sh --small
fi

# The portable static program and its container image (docs/portable.md): built by the
# `portable` preset, checked with readelf, file(1), an empty chroot and umoci.
echo "=== portable"
cmake --preset portable >/dev/null
cmake --build --preset portable
bash tests/portable/portable_test.sh build/portable || { status=$?; [ "$status" = 77 ] || exit "$status"; }

if [ "$fuzz_smoke" != 0 ]; then
  echo "=== fuzz smoke"
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz
  bash fuzz/smoke.sh "${ENOEXEC_FUZZ_SECONDS:-15}"
fi
