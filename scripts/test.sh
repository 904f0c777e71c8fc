#!/usr/bin/env bash
# Quick start (b) and CI: install what is missing, fetch or build the real-binary inputs, then
# build and run the whole test suite with g++ (warnings are errors), clang, and g++ under
# AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

install_missing "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"

export ENOEXEC_INPUTS="$PWD/build/inputs"
export ENOEXEC_REQUIRE_INPUTS=1
bash tests/integration/fetch-inputs.sh "$ENOEXEC_INPUTS"

for preset in ${ENOEXEC_PRESETS:-debug clang asan-ubsan}; do
  echo "=== $preset"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  ctest --preset "$preset" --parallel 2
done
