# shellcheck shell=bash
# Debian's own binaries for eight architectures: busybox-static, coreutils, libc6 and musl are
# fetched with `apt-get download PKG:ARCH` (nothing is installed) and unpacked with dpkg-deb -x
# into ARCH/PKG/. A few representative files per package are kept; the rest is deleted.
# Expected platform = the package's Debian architecture; linkage = how the package is built
# (busybox-static is static, coreutils dynamic; shared libraries: readelf decides).
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
recipe_init "$@"

ARCHES=(amd64 arm64 armhf armel i386 mips64el ppc64el s390x)
PACKAGES=(busybox-static coreutils libc6 musl)

# --- foreign architectures and their package lists ------------------------------------------
native=$(dpkg --print-architecture)
foreign=$(dpkg --print-foreign-architectures)
need_update=0
for arch in "${ARCHES[@]}"; do
  [ "$arch" = "$native" ] && continue
  if ! grep -qx "$arch" <<<"$foreign"; then
    log "dpkg --add-architecture $arch"
    as_root dpkg --add-architecture "$arch"
    need_update=1
  fi
  compgen -G "/var/lib/apt/lists/*_binary-${arch}_Packages*" >/dev/null || need_update=1
done
[ "$need_update" -eq 1 ] && apt_update_once

# --- download ---------------------------------------------------------------------------------
debs=$OUT/.debs
mkdir -p "$debs"
specs=()
for arch in "${ARCHES[@]}"; do for pkg in "${PACKAGES[@]}"; do specs+=("$pkg:$arch"); done; done
# As root, apt drops privileges to _apt for downloads; keep it root so it can write here.
sandbox=()
[ "$(id -u)" -eq 0 ] && sandbox=(-o APT::Sandbox::User=root)
(cd "$debs" && apt-get -qq "${sandbox[@]}" download "${specs[@]}") ||
  die "apt-get download ${specs[*]} failed"
log "downloaded $(du -sk "$debs" | cut -f1) KiB of packages"

deb_of() {  # deb_of PKG ARCH -> the downloaded .deb
  local found
  found=$(compgen -G "$debs/${1}_*_${2}.deb" || true)
  if [ -z "$found" ] || [ "$(wc -l <<<"$found")" -ne 1 ]; then
    die "expected one ${1}_*_${2}.deb, got: ${found:-none}"
  fi
  echo "$found"
}

# find_one DIR NAME-PATTERN...: the single regular file under DIR matching any -name pattern.
find_one() {
  local dir=$1 found args=()
  shift
  for pattern in "$@"; do args+=(${args[@]:+-o} -name "$pattern"); done
  found=$(find "$dir" -type f -not -path "*/usr/share/*" \( "${args[@]}" \) | sort)
  [ -n "$found" ] || die "no file matching $* in $dir"
  [ "$(wc -l <<<"$found")" -eq 1 ] || die "several files match $* in $dir: $(tr '\n' ' ' <<<"$found")"
  echo "$found"
}

# keep_only DIR FILE...: deletes everything else under DIR (the suite needs a few files only).
keep_only() {
  local dir=$1 keep
  shift
  keep=$(printf '%s\n' "$@")
  find "$dir" \( -type f -o -type l \) | grep -vxF -e "$keep" | xargs -r rm -f
  find "$dir" -mindepth 1 -type d -empty -delete
}

# --- unpack, select, expect --------------------------------------------------------------------
for arch in "${ARCHES[@]}"; do
  platform=$(debian_platform "$arch")
  for pkg in "${PACKAGES[@]}"; do
    deb=$(deb_of "$pkg" "$arch")
    made_by="apt-get download $pkg:$arch ($(basename "$deb")); dpkg-deb -x"
    root=$OUT/$arch/$pkg
    mkdir -p "$root"
    dpkg-deb -x "$deb" "$root"
    files=()
    case $pkg in
      busybox-static)
        f=$(find_one "$root" busybox)
        expect_begin
        expect_elf_header "$f" "$platform"
        expect_elf_loading "$f" static
        expect_libc_from_evidence "$f" glibc
        emit "$f" "$made_by"
        files+=("$f")
        ;;
      coreutils)
        for name in ls env; do
          f=$(find_one "$root" "$name")
          expect_begin
          expect_elf_header "$f" "$platform"
          expect_elf_loading "$f" dynamic
          expect_libc_from_evidence "$f" glibc
          emit "$f" "$made_by"
          files+=("$f")
        done
        ;;
      libc6)
        for patterns in "libc.so.6" "ld-linux*.so.* ld64.so.* ld.so.1"; do
          # shellcheck disable=SC2086 # word splitting of the pattern list is intended
          f=$(find_one "$root" $patterns)
          expect_begin
          expect_elf_header "$f" "$platform"
          expect_elf_loading "$f" auto
          expect_libc_from_evidence "$f" glibc
          emit "$f" "$made_by"
          files+=("$f")
        done
        ;;
      musl)
        # ld-musl-*.so.1 is a symlink to this libc.so: the one file is libc and loader.
        f=$(find_one "$root" libc.so)
        expect_begin
        expect_elf_header "$f" "$platform"
        expect_elf_loading "$f" auto
        expect_libc_from_evidence "$f" musl
        emit "$f" "$made_by"
        files+=("$f")
        ;;
    esac
    keep_only "$root" "${files[@]}"
  done
done
rm -rf "$debs"
log "kept $(wc -l <"$MANIFEST") files, $(du -sk "$OUT" | cut -f1) KiB"
