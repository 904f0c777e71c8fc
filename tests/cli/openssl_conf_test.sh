#!/usr/bin/env bash
# openssl_conf_test.sh ENOEXEC SAMPLES: OpenSSL's configuration never reaches enoexec. A
# configuration that activates a provider module that does not exist and asks for fips=yes
# makes every digest fetch fail in a libcrypto that reads it (enoexec stopped with "internal
# error: std::bad_alloc"); enoexec must verify samples/darwin-arm64's signature (made by Go's
# darwin/arm64 linker, which signs ad hoc) as it does without one.
set -euo pipefail
enoexec=$1
sample=$2/darwin-arm64
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/openssl.cnf" <<'CNF'
openssl_conf = openssl_init
config_diagnostics = 1
[openssl_init]
providers = provider_sect
alg_section = algorithm_sect
[provider_sect]
missing = missing_sect
[missing_sect]
module = /nonexistent/missing.so
activate = 1
[algorithm_sect]
default_properties = fips=yes
CNF
got=$(OPENSSL_CONF="$work/openssl.cnf" OPENSSL_MODULES=/nonexistent "$enoexec" inspect --json "$sample") || {
  echo "FAIL: enoexec inspect exited $? under a hostile OPENSSL_CONF" >&2; exit 1; }
[ "$(jq -c '.macho.code_signature | [.adhoc, .valid]' <<<"$got")" = '[true,true]' ] || {
  echo "FAIL: under a hostile OPENSSL_CONF the ad hoc signature of $sample reads as: $got" >&2; exit 1; }
echo "openssl_conf: a hostile OPENSSL_CONF changes nothing"
