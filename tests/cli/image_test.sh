#!/bin/bash
# image_test.sh ENOEXEC CACHE_DIR: `enoexec image` on real container images made by real tools.
# tests/integration/images/make_images.sh builds them (umoci, skopeo, mmdebstrap, Debian's own
# packages) into CACHE_DIR (the build directory's inputs, never the source tree), each with an
# expect.json saying what enoexec must conclude and why that follows from how it was made. Then:
#   - each image's `enoexec image --json` against its expect.json (shape, platform, verdict, the
#     problems' codes, the entrypoint's argv and runtime error) and the exit status;
#   - `docker save`-like standard input (`cat ARCHIVE | enoexec image -`), plain and compressed;
#   - `--platform linux/arm64` on a single-amd64 image: exit 1, Docker's "no matching manifest";
#   - an unreadable argument: `enoexec: PATH: ...` on stderr, exit 2, and the next image is judged;
#   - exit statuses 0/1/2 over several images;
#   - the private temporary folder: made under $TMPDIR while a spooled archive is read (a gzip'd
#     OCI archive, standard input through a FIFO fed in two halves) and gone afterwards;
#   - the chroot truth: every amd64 image is unpacked with umoci into a scratch folder and its
#     entrypoint run there with chroot (root only; skipped otherwise), so the kernel confirms each
#     `runs` (exit status 0) and `fails` (the error chroot prints is the one enoexec names). No
#     program of an image is ever run outside a chroot.
# Skipped (77) when the images cannot be made (no root, no Debian archive, no umoci/skopeo), unless
# ENOEXEC_REQUIRE_INPUTS=1, where it fails.
# shellcheck disable=SC2002 # `cat FILE |`: standard input must be a pipe (see below)
set -u
usage="usage: image_test.sh ENOEXEC CACHE_DIR"
enoexec=$(realpath "${1:?$usage}")
cache=${2:?$usage}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
make_images=$here/../integration/images/make_images.sh

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v jq >/dev/null || unavailable "no jq"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$cache" || unavailable "cannot create $cache"
cache=$(realpath "$cache")
# One maker at a time: two test runs share the cache.
if ! (flock 9 && bash "$make_images" "$cache") 9>"$cache.lock" >"$work/make.log" 2>&1; then
  tail -n 20 "$work/make.log"
  unavailable "make_images.sh could not make the images (log above)"
fi
mapfile -t images < <(find "$cache" -mindepth 2 -maxdepth 2 -name expect.json -printf '%h\n' | sort |
  while read -r d; do [ -f "$d/.done" ] && basename "$d"; done)
want_images=15
[ "${ENOEXEC_IMAGES_NO_DEBIAN:-}" = 1 ] && want_images=14
[ ${#images[@]} -ge $want_images ] || fail "make_images.sh made ${#images[@]} images, expected $want_images: ${images[*]}"

# The JSON word for each shape of expect.json.
shape_word() {
  case $1 in
    oci_layout) echo "OCI layout" ;;
    oci_archive) echo "OCI archive" ;;
    docker_archive) echo "docker save archive" ;;
    *) echo "?$1" ;;
  esac
}
# The image objects of `enoexec image --json` output (not the summary).
records() { jq -c 'select(has("summary") | not)' "$1"; }
# check WHAT JQ_OF_GOT JQ_OF_EXPECT: one field of $got (an image object of image $name) against
# one of its $expect file.
check() {
  local have want
  have=$(jq -c "$2" <<<"$got")
  want=$(jq -c "$3" "$expect")
  [ "$have" = "$want" ] || fail "$name: $1 is $have, expected $want"
}

# ---------------------------------------------------------------------------------------------
# Each image against its expect.json.

for name in "${images[@]}"; do
  expect=$cache/$name/expect.json
  path=$cache/$name/$(jq -r .path "$expect")
  out=$work/$name.jsonl
  "$enoexec" image --json "$path" >"$out" 2>"$work/$name.err"
  rc=$?
  want_verdict=$(jq -r .verdict "$expect")
  want_rc=1
  [ "$want_verdict" = runs ] && want_rc=0
  [ "$rc" = "$want_rc" ] || fail "$name: exit $rc, expected $want_rc ($(cat "$work/$name.err"))"
  count=$(records "$out" | wc -l)
  want_count=$(jq '.platforms | length' "$expect")
  [ "$count" = "$want_count" ] || { fail "$name: $count image objects, expected $want_count"; continue; }
  got=$(records "$out" | head -n 1)
  check shape '.shape' "\"$(shape_word "$(jq -r .shape "$expect")")\""
  check platform '.platform' '.platforms[0]'
  check verdict '.verdict' '.verdict'
  check "problem codes" '[.problems[].code] | sort' '.rules | sort'
  check "entrypoint argv" '.entrypoint.argv' '.entrypoint'
  check "entrypoint.runtime_error" '.entrypoint.runtime_error' '.error'
  # The image's name as the user gave it, and a digest for everything but a legacy docker save.
  check image '.image' "\"$path\""
done

# ---------------------------------------------------------------------------------------------
# Standard input, --platform, unreadable arguments, exit statuses. Standard input is `cat`'s pipe
# on purpose: redirected from the file it would be seekable and read in place, not spooled.

have() { [ -f "$cache/$1/.done" ]; }

if have busybox-amd64-docker-archive && have busybox-amd64-oci-archive-zstd; then
  for archive in busybox-amd64-docker-archive/image.tar busybox-amd64-oci-archive-zstd/image.tar.zst; do
    out=$(cat "$cache/$archive" | "$enoexec" image --json - 2>"$work/stdin.err"); rc=$?
    [ "$rc" = 0 ] || fail "cat $archive | enoexec image -: exit $rc ($(cat "$work/stdin.err"))"
    got=$(jq -c 'select(has("summary") | not) | [.image, .verdict, .platform]' <<<"$out")
    [ "$got" = '["-","runs","linux/amd64"]' ] || fail "cat $archive | enoexec image -: $got"
  done
  shape=$(cat "$cache/busybox-amd64-docker-archive/image.tar" | "$enoexec" image --json - 2>/dev/null |
    jq -r 'select(has("summary") | not) | .shape')
  [ "$shape" = "docker save archive" ] || fail "docker save on stdin: shape '$shape'"
fi

if have busybox-amd64; then
  amd64=$cache/busybox-amd64/oci
  out=$("$enoexec" image --platform linux/arm64 "$amd64" 2>&1); rc=$?
  [ "$rc" = 1 ] || fail "--platform linux/arm64: exit $rc, expected 1: $out"
  # Docker's words (moby distribution/pull_v2.go); Docker spells arm64 as arm64/v8 there.
  grep -q 'no matching manifest for linux/arm64/v8 in the manifest list entries' <<<"$out" ||
    fail "--platform linux/arm64: not Docker's words: $out"
  grep -q 'E_IMAGE_NO_MATCH' <<<"$out" || fail "--platform linux/arm64: no E_IMAGE_NO_MATCH: $out"
  grep -q 'linux/amd64' <<<"$out" || fail "--platform linux/arm64: what the image has is not said: $out"
  out=$("$enoexec" image --json --platform linux/arm64 "$amd64" 2>&1); rc=$?
  [ "$rc" = 1 ] || fail "--json --platform linux/arm64: exit $rc"
  jq -c 'select(has("summary") | not)' <<<"$out" |
    jq -e '.verdict == "fails" and .problems[0].code == "E_IMAGE_NO_MATCH"' >/dev/null ||
    fail "--json --platform linux/arm64: $out"
  out=$("$enoexec" image --platform linux/amd64 "$amd64" 2>&1); rc=$?
  [ "$rc" = 0 ] || fail "--platform linux/amd64: exit $rc: $out"

  # An unreadable argument: one line on stderr, exit 2, and the next image is still judged.
  printf 'not an image\n' >"$work/not-an-image"
  "$enoexec" image --json "$work/missing" "$work/not-an-image" "$amd64" >"$work/mixed.out" 2>"$work/mixed.err"; rc=$?
  [ "$rc" = 2 ] || fail "unreadable arguments: exit $rc, expected 2"
  grep -q "^enoexec: $work/missing: " "$work/mixed.err" || fail "missing image: stderr is $(cat "$work/mixed.err")"
  grep -q "^enoexec: $work/not-an-image: .*not an image" "$work/mixed.err" ||
    fail "not an image: stderr is $(cat "$work/mixed.err")"
  [ "$(records "$work/mixed.out" | jq -r '[.image, .verdict] | join(" ")')" = "$amd64 runs" ] ||
    fail "the image after the unreadable ones was not judged: $(cat "$work/mixed.out")"
  [ "$(jq -r 'select(has("summary")) | .summary.errors' "$work/mixed.out")" = 2 ] ||
    fail "the summary does not count 2 errors: $(cat "$work/mixed.out")"

  # Exit statuses over several images: the worst wins.
  if have no-shebang; then
    "$enoexec" image "$amd64" "$amd64" >/dev/null 2>&1; rc=$?
    [ "$rc" = 0 ] || fail "two running images: exit $rc, expected 0"
    "$enoexec" image "$cache/no-shebang/oci" "$amd64" >/dev/null 2>&1; rc=$?
    [ "$rc" = 1 ] || fail "a failing image then a running one: exit $rc, expected 1"
    "$enoexec" image "$cache/no-shebang/oci" "$work/missing" >/dev/null 2>&1; rc=$?
    [ "$rc" = 2 ] || fail "a failing image then an unreadable one: exit $rc, expected 2"
    "$enoexec" image --fail-on never "$cache/no-shebang/oci" >/dev/null 2>&1; rc=$?
    [ "$rc" = 0 ] || fail "--fail-on never: exit $rc, expected 0"
  fi
fi

# ---------------------------------------------------------------------------------------------
# The private temporary folder: there while a spooled archive is read, gone afterwards.

empty_dir() { [ -z "$(find "$1" -mindepth 1 -print -quit)" ]; }

for archive in busybox-amd64-oci-archive-gzip/image.tar.gz busybox-amd64-oci-archive/image.tar; do
  have "${archive%%/*}" || continue
  tmp=$work/tmp-$RANDOM
  mkdir "$tmp"
  TMPDIR=$tmp "$enoexec" image "$cache/$archive" >/dev/null 2>&1; rc=$?
  [ "$rc" = 0 ] || fail "TMPDIR run of $archive: exit $rc"
  empty_dir "$tmp" || fail "$archive: the temporary folder is left behind: $(find "$tmp" -mindepth 1)"
  tmp=$work/tmp-$RANDOM
  mkdir "$tmp"
  cat "$cache/$archive" | TMPDIR=$tmp "$enoexec" image - >/dev/null 2>&1; rc=$?
  [ "$rc" = 0 ] || fail "TMPDIR run of $archive on stdin: exit $rc"
  empty_dir "$tmp" || fail "$archive on stdin: the temporary folder is left behind: $(find "$tmp" -mindepth 1)"
done

# Standard input through a FIFO, fed half the archive, then the rest: the folder must exist in
# between (so the checks above can fail) and be gone at the end.
if have busybox-amd64-oci-archive; then
  archive=$cache/busybox-amd64-oci-archive/image.tar
  tmp=$work/tmp-fifo
  mkdir "$tmp"
  mkfifo "$work/fifo"
  TMPDIR=$tmp timeout 60 "$enoexec" image --json - <"$work/fifo" >"$work/fifo.out" 2>"$work/fifo.err" &
  pid=$!
  exec 3>"$work/fifo"
  size=$(stat -c %s "$archive")
  head -c $((size / 2)) "$archive" >&3
  seen=""
  for _ in $(seq 100); do
    if [ -n "$(find "$tmp" -mindepth 1 -maxdepth 1 -name 'enoexec-image-*' -print -quit)" ]; then seen=yes; break; fi
    sleep 0.1
  done
  [ -n "$seen" ] || fail "stdin: no private temporary folder under TMPDIR while spooling"
  tail -c +$((size / 2 + 1)) "$archive" >&3
  exec 3>&-
  wait "$pid"; rc=$?
  [ "$rc" = 0 ] || fail "stdin through a FIFO: exit $rc ($(cat "$work/fifo.err"))"
  [ "$(records "$work/fifo.out" | jq -r .verdict)" = runs ] || fail "stdin through a FIFO: $(cat "$work/fifo.out")"
  empty_dir "$tmp" || fail "stdin through a FIFO: the temporary folder is left behind: $(find "$tmp" -mindepth 1)"
fi

# ---------------------------------------------------------------------------------------------
# The chroot truth: the kernel runs each amd64 entrypoint in the image's own root.

binfmt_handlers() {
  find /proc/sys/fs/binfmt_misc -mindepth 1 -maxdepth 1 ! -name register ! -name status -print 2>/dev/null
}
# unpack NAME DIR: the image NAME as an OCI layout unpacked into DIR/bundle (umoci's runtime
# config.json beside rootfs/). Archives are copied to a layout with skopeo first.
unpack() {
  local name=$1 dir=$2 expect=$cache/$1/expect.json path shape layout
  path=$cache/$name/$(jq -r .path "$expect")
  shape=$(jq -r .shape "$expect")
  layout=$path
  case $shape in
    oci_archive)
      case $path in
        *.gz) gzip -dc "$path" >"$dir/image.tar" ;;
        *.zst) zstd -qdc "$path" >"$dir/image.tar" ;;
        *) cp "$path" "$dir/image.tar" ;;
      esac
      skopeo --insecure-policy copy -q "oci-archive:$dir/image.tar:latest" "oci:$dir/oci:latest" || return 1
      layout=$dir/oci ;;
    docker_archive)
      skopeo --insecure-policy copy -q "docker-archive:$path" "oci:$dir/oci:latest" || return 1
      layout=$dir/oci ;;
  esac
  umoci unpack --image "$layout:latest" "$dir/bundle" >/dev/null
}

# python3 -c "$chroot_py" ROOT CWD ARGV...: chroot(2) into ROOT, chdir(CWD), then execve(2) ARGV
# as runc does: a bare name looked up in $PATH as Go's exec.LookPath does (not found: its error),
# then one execve and nothing else. Not coreutils' chroot: it calls execvp, and glibc's execvp
# runs a file execve refused with ENOEXEC through /bin/sh (the image's busybox here), so a script
# without #! would "run". Errors read as chroot's: "failed to run command 'X': Exec format
# error", exit 126 (127 for ENOENT or a name not in $PATH).
# shellcheck disable=SC2016 # Python, not shell
chroot_py='
import errno, os, stat, sys
root, cwd, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
os.chroot(root)
os.chdir(cwd)
name = argv[0]
if "/" not in name:
    for d in os.environ.get("PATH", "").split(":"):
        candidate = os.path.join(d or ".", name)
        try:
            st = os.stat(candidate)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode) and st.st_mode & 0o111:
            name = candidate
            break
    else:
        print(f"chroot_exec: failed to run command {name!r}: executable file not found in $PATH", file=sys.stderr)
        sys.exit(127)
try:
    os.execve(name, argv, dict(os.environ))
except OSError as e:
    print(f"chroot_exec: failed to run command {name!r}: {e.strerror}", file=sys.stderr)
    sys.exit(127 if e.errno == errno.ENOENT else 126)
'

if [ "$(id -u)" != 0 ]; then
  echo "SKIP (chroot truth): not root, so no chroot"
elif ! command -v umoci >/dev/null || ! command -v skopeo >/dev/null || ! command -v python3 >/dev/null; then
  echo "SKIP (chroot truth): no umoci, skopeo or python3"
else
  python=$(command -v python3)
  for name in "${images[@]}"; do
    expect=$cache/$name/expect.json
    [ "$(jq -r '.platforms[0]' "$expect")" = linux/amd64 ] || { echo "chroot truth: $name is not amd64: not run"; continue; }
    got=$(records "$work/$name.jsonl" | head -n 1)
    verdict=$(jq -r .verdict <<<"$got")
    error=$(jq -r '.entrypoint.runtime_error // ""' <<<"$got")
    scratch=$work/chroot-$name
    mkdir -p "$scratch"
    if ! unpack "$name" "$scratch" >"$scratch/unpack.log" 2>&1; then
      fail "chroot truth: $name: could not unpack: $(tail -n 3 "$scratch/unpack.log")"
      continue
    fi
    config=$scratch/bundle/config.json
    mapfile -t argv < <(jq -r '.process.args[]' "$config")
    mapfile -t env < <(jq -r '.process.env[]' "$config")
    cwd=$(jq -r '.process.cwd' "$config")
    if [ "$verdict" != runs ] && [ -n "$(binfmt_handlers)" ]; then
      echo "chroot truth: $name: binfmt_misc handlers are registered here ($(binfmt_handlers | xargs -n1 basename | xargs)): not run"
      continue
    fi
    # The entrypoint as runc starts it: the image's argv and environment, in its root.
    env -i "${env[@]}" timeout 10 "$python" -c "$chroot_py" "$scratch/bundle/rootfs" "$cwd" "${argv[@]}" \
      >"$scratch/stdout" 2>"$scratch/stderr" </dev/null
    rc=$?
    said="exit $rc: $(head -c 300 "$scratch/stderr")"
    if [ "$verdict" = runs ]; then
      if [ "$rc" -ge 124 ] || grep -q 'failed to run command' "$scratch/stderr"; then
        fail "chroot truth: $name: enoexec says it runs, the kernel: $said"
      fi
    else
      case $error in
        *"exec format error"*) want="Exec format error" ;;
        *"no such file or directory"*) want="No such file or directory" ;;
        *"permission denied"*) want="Permission denied" ;;
        *"executable file not found in \$PATH"*) want="executable file not found in \\\$PATH" ;;
        *) want="" ;;
      esac
      if [ -n "$want" ]; then
        grep -q "failed to run command.*$want" "$scratch/stderr" ||
          fail "chroot truth: $name: enoexec says '$error', the kernel: $said"
      elif [ "$rc" = 0 ]; then
        fail "chroot truth: $name: enoexec says it fails, the kernel ran it: $said"
      fi
    fi
    echo "chroot truth: $name: enoexec: $verdict${error:+ ($error)}; chroot: $said"
  done
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "ok (${#images[@]} images)"
