# Shared by the project's scripts: install missing Debian/Ubuntu packages, quietly.
# shellcheck shell=bash

# Build dependencies: compilers, CMake, and the libraries enoexec links. liblzma-dev and
# libbz2-dev: the portable build links libarchive.a with them (cmake/portable.cmake); Debian's
# libarchive-dev does not depend on them.
BUILD_PACKAGES=(cmake ninja-build g++ pkg-config libfmt-dev libcli11-dev nlohmann-json3-dev libexpected-dev
  libssl-dev libarchive-dev libisal-dev libzstd-dev zlib1g-dev liblzma-dev libbz2-dev)

# Test dependencies: unit-test frameworks, clang for the second compiler and the sample recipes,
# the real toolchains the integration suite builds and cross-checks its inputs with, and the
# tools the packaging tests drive (dpkg-shlibdeps for cpack, man, the three shells'
# completions, umoci for the container image, pre-commit and yamllint for the CI integrations).
TEST_PACKAGES=(libgtest-dev libgmock-dev libbenchmark-dev clang lld llvm file binutils jq
  golang-go musl-tools gcc-aarch64-linux-gnu gcc-arm-linux-gnueabi gcc-arm-linux-gnueabihf
  gcc-riscv64-linux-gnu gcc-i686-linux-gnu gcc-mingw-w64-i686 gcc-mingw-w64-x86-64
  binutils-mingw-w64 gzip xz-utils zstd zip tar python3 python3-jsonschema ca-certificates
  dpkg-dev man-db bash-completion zsh fish umoci pre-commit yamllint python3-yaml)

# The fuzz preset (clang 14 + libFuzzer + ASan/UBSan, fuzz/smoke.sh): Debian 12 ships libFuzzer
# and the sanitizer runtimes for clang in libclang-rt-14-dev, which clang only recommends, so an
# install without recommends leaves it out and -fsanitize=fuzzer fails to link.
FUZZ_PACKAGES=(clang-14 libclang-rt-14-dev)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# install_missing PACKAGE...: apt-get install only what dpkg does not already have.
install_missing() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  # A mirror in mid-sync makes `apt-get update` fail for some lists; retry, then go on with
  # the lists it has: a package that is really missing still fails the install below.
  local attempt
  for attempt in 1 2 3; do
    as_root apt-get update -qq && break
    echo "apt-get update failed (attempt $attempt)"; sleep 5
  done
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}
