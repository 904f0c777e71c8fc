#!/usr/bin/env bash
# install_test.sh BUILD_DIR SOURCE_DIR SCRATCH CXX: what a user of an install gets.
#  1. `cmake --install BUILD_DIR --prefix P` puts the program, the man page, the three shell
#     completions, the headers, the CMake package, the pkg-config file and the docs in place,
#     and the installed program reports the version project() declares.
#  2. A ten-line project outside this tree builds against P with find_package(enoexec) and
#     enoexec::enoexec, and again with nothing but `pkg-config --cflags --libs enoexec`; both
#     programs call enoexec::inspect_file, and what they print is checked against readelf.
#  3. `cpack -G DEB` makes a .deb whose contents (dpkg-deb -c, -x) hold the program and the man
#     page, whose Depends (computed by dpkg-shlibdeps) names the libraries the program needs
#     (readelf -d's DT_NEEDED), and, as root, one `dpkg -i` / `dpkg -r` round trip.
# Exit 77 (skip) only for the round trip when not root.
set -euo pipefail
export LC_ALL=C
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
scratch=$3
cxx=$4

fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$scratch"
mkdir -p "$scratch"
prefix=$scratch/prefix

version=$(sed -n 's/^project(enoexec VERSION \([0-9.]*\).*/\1/p' "$source/CMakeLists.txt")
[ -n "$version" ] || fail "no version in project() of $source/CMakeLists.txt"

# --- 1. cmake --install
cmake --install "$build" --prefix "$prefix" >"$scratch/install.log" || fail "cmake --install failed"
for file in bin/enoexec share/man/man1/enoexec.1 share/bash-completion/completions/enoexec \
    share/zsh/site-functions/_enoexec share/fish/vendor_completions.d/enoexec.fish \
    include/enoexec/inspect.hpp include/enoexec/version.hpp lib/libenoexec.a \
    lib/cmake/enoexec/enoexecConfig.cmake lib/cmake/enoexec/enoexecConfigVersion.cmake \
    lib/cmake/enoexec/enoexecTargets.cmake lib/pkgconfig/enoexec.pc \
    share/doc/enoexec/LICENSE share/doc/enoexec/README.md share/doc/enoexec/docs/rules.md \
    share/doc/enoexec/third-party/cli11.copyright; do
  [ -f "$prefix/$file" ] || fail "cmake --install did not install $file"
done
[ -x "$prefix/bin/enoexec" ] || fail "bin/enoexec is not executable"
grep -q 'Apache License' "$prefix/share/doc/enoexec/LICENSE" || fail "LICENSE is not the Apache License"
[ "$("$prefix/bin/enoexec" --version)" = "enoexec $version" ] ||
  fail "installed enoexec --version: $("$prefix/bin/enoexec" --version), project() says $version"
# Every public header is installed, and nothing from src/.
(cd "$source/include" && find enoexec -name '*.hpp' | sort) >"$scratch/headers.want"
(cd "$prefix/include" && find enoexec -name '*.hpp' ! -name version.hpp | sort) >"$scratch/headers.got"
diff -u "$scratch/headers.want" "$scratch/headers.got" || fail "installed headers differ from include/"

# What the consumers must print, from readelf: samples/linux-arm64 is a 64-bit AArch64 ELF.
sample=$source/samples/linux-arm64
readelf -hW "$sample" | grep 'Machine: *AArch64' >/dev/null || fail "readelf: $sample is not AArch64"
readelf -hW "$sample" | grep 'Class: *ELF64' >/dev/null || fail "readelf: $sample is not ELF64"
want="$sample elf linux/arm64"

# --- 2. consumers: the CMake package, then pkg-config alone
cmake -S "$source/tests/install/consumer" -B "$scratch/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_CXX_STANDARD=20 \
  >"$scratch/consumer.log" 2>&1 || { cat "$scratch/consumer.log"; fail "find_package(enoexec) failed"; }
cmake --build "$scratch/consumer" >>"$scratch/consumer.log" 2>&1 ||
  { cat "$scratch/consumer.log"; fail "the find_package consumer did not build"; }
[ "$("$scratch/consumer/app" "$sample")" = "$want" ] ||
  fail "find_package consumer printed '$("$scratch/consumer/app" "$sample")', want '$want'"

# shellcheck disable=SC2046  # pkg-config's output is a list of flags
"$cxx" -std=c++20 -o "$scratch/app-pc" "$source/tests/install/consumer/main.cpp" \
  $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs enoexec) ||
  fail "the pkg-config consumer did not build"
[ "$("$scratch/app-pc" "$sample")" = "$want" ] || fail "pkg-config consumer printed '$("$scratch/app-pc" "$sample")'"

# --- 3. the Debian package
(cd "$scratch" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$scratch/deb" >"$scratch/cpack.log" 2>&1) ||
  { cat "$scratch/cpack.log"; fail "cpack -G DEB failed"; }
deb=$(find "$scratch/deb" -maxdepth 1 -name 'enoexec_*.deb')
[ -n "$deb" ] && [ "$(wc -l <<<"$deb")" = 1 ] || fail "cpack made no single enoexec_*.deb"
[ "$(dpkg-deb -f "$deb" Package)" = enoexec ] || fail "the package is not named enoexec"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "package version $(dpkg-deb -f "$deb" Version), want $version"
[ "$(dpkg-deb -f "$deb" Architecture)" = "$(dpkg --print-architecture)" ] || fail "package architecture"
dpkg-deb -c "$deb" >"$scratch/deb.list"
for file in ./usr/bin/enoexec ./usr/share/man/man1/enoexec.1 ./usr/share/doc/enoexec/LICENSE \
    ./usr/share/bash-completion/completions/enoexec ./usr/include/enoexec/inspect.hpp; do
  grep -E "[[:space:]]$file(\$| )" "$scratch/deb.list" >/dev/null || fail "dpkg -c: the .deb lacks $file"
done
dpkg-deb -x "$deb" "$scratch/root"
cmp -s "$scratch/root/usr/bin/enoexec" "$prefix/bin/enoexec" || fail "the .deb's program differs from the installed one"
# Every shared library the program needs must come from a package the .deb depends on.
depends=$(dpkg-deb -f "$deb" Depends)
depends_names=$(tr ',|' '\n\n' <<<"$depends" | sed 's/^ *//; s/[ :].*//')
readelf -dW "$scratch/root/usr/bin/enoexec" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' >"$scratch/needed"
[ -s "$scratch/needed" ] || fail "readelf shows no DT_NEEDED in the packaged program"
# package_of PATH: the package dpkg records for the file, under the name it was recorded by
# (with usrmerge, /lib/x/libm.so.6 is recorded while /usr/lib/x/libm.so.6 is the real path).
package_of() {
  local candidate real
  real=$(readlink -f "$1")
  for candidate in "$1" "$real" "${real#/usr}" "/usr$1"; do
    dpkg -S "$candidate" >"$scratch/owner" 2>/dev/null && { cut -d: -f1 "$scratch/owner" | head -n1; return; }
  done
  echo "(none)"
}
while read -r soname; do
  path=$(ldconfig -p | awk -v s="$soname" '$1 == s {print $NF}' | head -n1)
  [ -n "$path" ] || fail "ldconfig does not know $soname"
  owner=$(package_of "$path")
  grep -Fx "$owner" <<<"$depends_names" >/dev/null ||
    fail "$soname comes from $owner, which Depends does not name: $depends"
done <"$scratch/needed"

# Root is a privilege, not an input: skipped without it even under ENOEXEC_REQUIRE_INPUTS=1
# (CI runs as root; a developer's scripts/test.sh need not).
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: the dpkg -i / dpkg -r round trip needs root"
  exit 77
fi
if dpkg-query -W -f='${Status}' enoexec 2>/dev/null | grep 'install ok' >/dev/null; then
  fail "a package named enoexec is already installed; the round trip would replace it"
fi
[ ! -e /usr/bin/enoexec ] || fail "/usr/bin/enoexec exists outside any package; not overwriting it"
dpkg -i "$deb" >"$scratch/dpkg.log" 2>&1 || { cat "$scratch/dpkg.log"; fail "dpkg -i failed"; }
trap 'dpkg -r enoexec >/dev/null 2>&1 || true' EXIT
[ "$(/usr/bin/enoexec --version)" = "enoexec $version" ] || fail "/usr/bin/enoexec after dpkg -i"
dpkg -L enoexec | grep -x /usr/share/man/man1/enoexec.1 >/dev/null || fail "dpkg -L lacks the man page"
dpkg -r enoexec >>"$scratch/dpkg.log" 2>&1 || { cat "$scratch/dpkg.log"; fail "dpkg -r failed"; }
trap - EXIT
[ ! -e /usr/bin/enoexec ] || fail "/usr/bin/enoexec is still there after dpkg -r"
echo "install: prefix, find_package and pkg-config consumers, .deb and dpkg round trip all good"
