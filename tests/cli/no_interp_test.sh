#!/bin/bash
# no_interp_test.sh ENOEXEC: ELF files without PT_INTERP, judged by `enoexec check` and then run
# by the real kernel, each alone in an empty chroot (nothing else to load, nothing of the host
# reachable), so the kernel's answer decides: a shared library with an exec bit dies with SIGSEGV
# (status 139) exactly when enoexec predicts `fails` with outcome SIGSEGV; a static program, a
# static-pie and a dynamic loader run (they exit on their own, whatever their status).
# The files are made here by gcc or copied from this machine's packages (nobody here wrote them).
# Needs root (chroot) and gcc; exits 77 (skipped) without them unless ENOEXEC_REQUIRE_INPUTS=1.
set -u
enoexec=$(realpath "${1:?usage: no_interp_test.sh ENOEXEC}")
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ "$(id -u)" = 0 ] || unavailable "not root: chroot is needed to run a file alone"
command -v gcc >/dev/null || unavailable "no gcc"
command -v jq >/dev/null || unavailable "no jq"
[ "$(uname -m)" = x86_64 ] || unavailable "the expectations are x86-64 measurements"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1

printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' > hello.c
gcc -shared -fPIC -o lib-entry0.so hello.c                  # e_entry 0, DT_NEEDED libc.so.6
gcc -shared -fPIC -Wl,-e,main -o lib-entry-main.so hello.c  # an entry that calls puts unrelocated
gcc -static -o static hello.c
gcc -static-pie -o static-pie hello.c
# what the kernel and enoexec are asked about: NAME -> the expected verdict
declare -A expect=([lib-entry0.so]=fails [lib-entry-main.so]=fails [static]=runs [static-pie]=runs)
libz=$(ldconfig -p 2>/dev/null | sed -n 's/.*libz\.so\.1 (libc6,x86-64) => //p' | head -n 1)
if [ -n "$libz" ]; then cp "$libz" libz.so.1; expect[libz.so.1]=fails; fi
loader=$(readlink -f /lib64/ld-linux-x86-64.so.2)
[ -f "$loader" ] && { cp "$loader" ld-linux-x86-64.so.2; expect[ld-linux-x86-64.so.2]=runs; }
[ -f /lib/ld-musl-x86_64.so.1 ] && { cp /lib/ld-musl-x86_64.so.1 ld-musl-x86_64.so.1; expect[ld-musl-x86_64.so.1]=runs; }

for name in "${!expect[@]}"; do
  chmod 755 "$name"
  json=$("$enoexec" check --json "$name")
  verdict=$(printf '%s\n' "$json" | jq -r .verdict)
  outcome=$(printf '%s\n' "$json" | jq -r '[.problems[] | select(.severity == "error") | .outcome][0] // ""')
  [ "$verdict" = "${expect[$name]}" ] || fail "$name: enoexec says $verdict, expected ${expect[$name]}"
  root=$(mktemp -d "$dir/root.XXXXXX")
  cp "$name" "$root/$name"
  # The file runs alone: with no PT_INTERP the kernel maps nothing else.
  timeout 10 chroot "$root" "/$name" > /dev/null 2>&1
  status=$?
  if [ "$status" = 139 ]; then kernel=SIGSEGV; else kernel="exit $status"; fi
  case "$verdict/$outcome/$kernel" in
    fails/SIGSEGV/SIGSEGV) echo "ok: $name: fails with SIGSEGV, as the kernel does" ;;
    runs//SIGSEGV | fails/*) fail "$name: enoexec says $verdict ${outcome:+($outcome)}, the kernel: $kernel" ;;
    runs//exit\ 12[4-9] | runs//exit\ 13[0-9] | runs//exit\ 1[4-9][0-9]) fail "$name: enoexec says runs, the kernel: $kernel" ;;
    runs//*) echo "ok: $name: runs ($kernel, its own)" ;;
    *) fail "$name: unexpected $verdict/$outcome/$kernel" ;;
  esac
done
[ "$failures" = 0 ] || { echo "$failures failure(s)"; exit 1; }
