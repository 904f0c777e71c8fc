#!/bin/bash
# integrations_test.sh ENOEXEC SOURCE_DIR [SARIF_SCHEMA]: the GitHub Action (action.yml,
# integrations/github-action/) and the pre-commit hooks (.pre-commit-hooks.yaml), run locally.
#
#   1. yamllint --strict (integrations/.yamllint) on action.yml and .pre-commit-hooks.yaml;
#   2. action.yml read with python3-yaml: a composite action; every ${{ inputs.X }} a declared
#      input, every input used and documented (docs/ci-integrations.md); no run: script holds an
#      expression (inputs reach the scripts through env:); the SARIF upload runs also when the
#      scan failed; the default version is project(VERSION). The hooks: language system, only
#      executables;
#   3. install.sh against a fake release (the ENOEXEC program and its SHA256SUMS in a folder, as
#      a path and as a file:// URL): installs and puts it on $GITHUB_PATH; a tampered checksum, a
#      missing line, a missing asset and a program of another version fail; "latest" through a
#      fake REST answer;
#   4. run.sh with the env the Action sets, on scratch folders: exit statuses 0/1/2, --target,
#      fail-on warning, paths one per line (with a space, starting with -), args split without
#      globbing or evaluation, the SARIF file as code scanning takes it (valid 2.1.0, locations
#      relative to the workspace from any working directory, absolute help links, no notes;
#      checked against SARIF_SCHEMA when it exists and python3-jsonschema is installed), written
#      also when the scan fails;
#   5. the hooks driven by pre-commit (a scratch .pre-commit-config.yaml naming a committed copy
#      of .pre-commit-hooks.yaml) in a scratch git repository.
# Needs yamllint, python3-yaml, pre-commit and git (Debian: yamllint python3-yaml pre-commit git):
# without them exit 77 (skipped), unless ENOEXEC_REQUIRE_INPUTS=1, where it fails.
#
# shellcheck disable=SC2015,SC2016
# (SC2015: in "A && ok || fail", ok only echoes and succeeds; SC2016: the inputs holding $(...)
# and `...` in single quotes are the point, they must stay text.)
set -u
usage="usage: integrations_test.sh ENOEXEC SOURCE_DIR [SARIF_SCHEMA]"
enoexec=$(realpath "${1:?$usage}")
src=$(realpath "${2:?$usage}")
schema=${3:-}
action_dir="$src/integrations/github-action"

unavailable() {
  if [ "${ENOEXEC_REQUIRE_INPUTS:-0}" = 1 ]; then echo "FAIL: $* (ENOEXEC_REQUIRE_INPUTS=1)"; exit 1; fi
  echo "SKIP: $*"
  exit 77
}
command -v yamllint >/dev/null || unavailable "no yamllint (Debian: yamllint)"
command -v python3 >/dev/null || unavailable "no python3"
python3 -c 'import yaml' 2>/dev/null || unavailable "no python3-yaml"
command -v pre-commit >/dev/null || unavailable "no pre-commit (Debian: pre-commit)"
command -v git >/dev/null || unavailable "no git"
command -v sha256sum >/dev/null || unavailable "no sha256sum"

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# pre-commit and git keep state under HOME; none of it may come from, or go to, the real one.
export HOME="$tmp/home" PRE_COMMIT_HOME="$tmp/pre-commit-home" XDG_CACHE_HOME="$tmp/cache"
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
mkdir -p "$HOME"
# The runner's variables must not leak in from a CI job running this test.
unset GITHUB_ACTIONS GITHUB_SERVER_URL GITHUB_ACTION_PATH GITHUB_ACTION_REPOSITORY GITHUB_REPOSITORY GITHUB_API_URL \
  GITHUB_OUTPUT GITHUB_PATH GITHUB_STEP_SUMMARY GITHUB_WORKSPACE RUNNER_TEMP ENOEXEC_ARCH \
  ENOEXEC_VERSION ENOEXEC_REPOSITORY ENOEXEC_RELEASE_URL ENOEXEC_INSTALL_DIR ENOEXEC_TOKEN

version=$("$enoexec" --version) || { echo "FAIL: $enoexec --version"; exit 1; }
version=${version#enoexec }
case "$(uname -m)" in
  x86_64) arch=amd64 ;;
  aarch64) arch=arm64 ;;
  *) unavailable "no release architecture for $(uname -m)" ;;
esac

# --- 1. yamllint ------------------------------------------------------------------------------
if out=$(cd "$src" && yamllint --strict -c integrations/.yamllint action.yml .pre-commit-hooks.yaml 2>&1); then
  ok "yamllint --strict"
else
  fail "yamllint: $out"
fi

# --- 2. The files' structure ------------------------------------------------------------------
if out=$(python3 - "$src" <<'EOF' 2>&1
import os, re, sys, yaml
src = sys.argv[1]
problems = []
def bad(msg): problems.append(msg)

text = open(os.path.join(src, "action.yml"), encoding="utf-8").read()
action = yaml.safe_load(text)
inputs = action.get("inputs") or {}
runs = action.get("runs") or {}
if runs.get("using") != "composite":
    bad("runs.using is %r, not composite" % runs.get("using"))
for name in ("version", "paths", "target", "fail-on", "sarif", "sarif-file", "args"):
    if name not in inputs:
        bad("no input %s" % name)
for name, spec in inputs.items():
    if not (spec or {}).get("description"):
        bad("input %s has no description" % name)
    if not isinstance((spec or {}).get("default", ""), str):
        bad("input %s: default is not a string" % name)

# Every ${{ ... }} in the file: inputs it names are declared.
expressions = re.findall(r"\$\{\{(.*?)\}\}", text, flags=re.S)
used = set()
for expr in expressions:
    for name in re.findall(r"\binputs\.([A-Za-z0-9_-]+)", expr):
        used.add(name)
        if name not in inputs:
            bad("${{ inputs.%s }} is not a declared input" % name)
    if re.search(r"\binputs\s*\[", expr):
        bad("inputs[...] indexing in %r: name inputs as inputs.NAME" % expr)
for name in inputs:
    if name not in used:
        bad("input %s is declared but never used" % name)

steps = runs.get("steps") or []
if not steps:
    bad("no steps")
scripts = []
for i, step in enumerate(steps):
    if "run" in step:
        body = step["run"]
        if "${{" in body or re.search(r"inputs\.", body):
            bad("step %d: run: holds an expression (%r): pass inputs through env:" % (i, body))
        if step.get("shell") != "bash":
            bad("step %d: shell is %r, not bash" % (i, step.get("shell")))
        m = re.search(r"\$GITHUB_ACTION_PATH/([A-Za-z0-9_./-]+)", body)
        if not m:
            bad("step %d: run: does not call a script under $GITHUB_ACTION_PATH" % i)
        else:
            path = os.path.join(src, m.group(1))
            scripts.append(m.group(1))
            if not (os.path.isfile(path) and os.access(path, os.X_OK)):
                bad("step %d: %s is not an executable file" % (i, m.group(1)))
        for key, value in (step.get("env") or {}).items():
            if not re.fullmatch(r"\$\{\{ (inputs|steps)\.[A-Za-z0-9_.-]+ \}\}", str(value)):
                bad("step %d: env %s=%r is not one input or step output" % (i, key, value))
for want in ("integrations/github-action/install.sh", "integrations/github-action/run.sh"):
    if want not in scripts:
        bad("no step runs %s" % want)
uploads = [s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
if len(uploads) != 1:
    bad("expected one github/codeql-action/upload-sarif step, found %d" % len(uploads))
else:
    cond = str(uploads[0].get("if", ""))
    if "always()" not in cond or "inputs.sarif" not in cond:
        bad("the upload's if: %r lacks always() or the sarif input" % cond)
    if "steps.scan.outputs.sarif-file" not in str(uploads[0].get("with")):
        bad("the upload does not take the file the scan step wrote")
for out_name, spec in (action.get("outputs") or {}).items():
    if "value" not in spec:
        bad("output %s has no value" % out_name)

# The default version is the project's, and install.sh's.
cmake = open(os.path.join(src, "CMakeLists.txt"), encoding="utf-8").read()
m = re.search(r"project\(\s*enoexec\s+VERSION\s+([0-9.]+)", cmake)
project_version = m.group(1) if m else None
if inputs.get("version", {}).get("default") != project_version:
    bad("input version defaults to %r, project(VERSION) is %r" % (inputs.get("version", {}).get("default"), project_version))
install = open(os.path.join(src, "integrations/github-action/install.sh"), encoding="utf-8").read()
m = re.search(r"^default_version=(\S+)$", install, flags=re.M)
if not m or m.group(1) != project_version:
    bad("install.sh default_version is %r, project(VERSION) is %r" % (m and m.group(1), project_version))

# Every input is documented.
doc = open(os.path.join(src, "docs/ci-integrations.md"), encoding="utf-8").read()
for name in inputs:
    if "`%s`" % name not in doc:
        bad("docs/ci-integrations.md does not describe input `%s`" % name)

# The examples in the documentation: the action's `with:` keys are inputs; SARIF needs
# security-events: write.
examples = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)]
uses_action = 0
def steps_of(node):
    if isinstance(node, dict):
        if "uses" in node:
            yield node
        for value in node.values():
            yield from steps_of(value)
    elif isinstance(node, list):
        for item in node:
            yield from steps_of(item)
for example in examples:
    for step in steps_of(example):
        if re.fullmatch(r"OWNER/enoexec@v[0-9.]+", str(step["uses"])):
            uses_action += 1
            for key in (step.get("with") or {}):
                if key not in inputs:
                    bad("docs/ci-integrations.md: with: %s is not an input" % key)
if uses_action < 1:
    bad("docs/ci-integrations.md has no workflow example using the action")
perms = [e["jobs"][j].get("permissions", {}) for e in examples if isinstance(e, dict) and "jobs" in e for j in e["jobs"]]
if not any(p.get("security-events") == "write" for p in perms):
    bad("docs/ci-integrations.md: no workflow example grants security-events: write")

# The hooks.
hooks = yaml.safe_load(open(os.path.join(src, ".pre-commit-hooks.yaml"), encoding="utf-8"))
if not isinstance(hooks, list) or not hooks:
    bad(".pre-commit-hooks.yaml is not a list of hooks")
    hooks = []
ids = [h.get("id") for h in hooks]
if "enoexec-check" not in ids:
    bad("no hook enoexec-check")
for h in hooks:
    for key in ("id", "name", "entry", "language"):
        if not h.get(key):
            bad("hook %r has no %s" % (h.get("id"), key))
    if h.get("language") != "system":
        bad("hook %r: language %r, not system" % (h.get("id"), h.get("language")))
    entry = str(h.get("entry", "")).split()
    if entry[:1] != ["enoexec"] or entry[1:2] not in (["check"], ["scan"]):
        bad("hook %r: entry %r is not enoexec check/scan" % (h.get("id"), h.get("entry")))
    types = h.get("types") or []
    if "executable" not in types or "file" not in types:
        bad("hook %r: types %r do not keep it to executable files" % (h.get("id"), types))
    if "`%s`" % h.get("id") not in doc:
        bad("docs/ci-integrations.md does not describe hook `%s`" % h.get("id"))
if problems:
    print("\n".join(problems))
    sys.exit(1)
print("%d inputs, %d steps, %d hooks" % (len(inputs), len(steps), len(hooks)))
EOF
); then
  ok "action.yml and .pre-commit-hooks.yaml: $out"
else
  fail "structure: $out"
fi

# pre-commit's own checks of the manifest, and of the documentation's example configuration.
if out=$(pre-commit validate-manifest "$src/.pre-commit-hooks.yaml" 2>&1); then
  ok "pre-commit validate-manifest"
else
  fail "pre-commit validate-manifest: $out"
fi
python3 - "$src/docs/ci-integrations.md" > "$tmp/doc-config.yaml" <<'EOF'
import re, sys
blocks = re.findall(r"```yaml\n(.*?)```", open(sys.argv[1], encoding="utf-8").read(), flags=re.S)
print(next((b for b in blocks if b.startswith("repos:")), ""), end="")
EOF
if [ -s "$tmp/doc-config.yaml" ] && out=$(pre-commit validate-config "$tmp/doc-config.yaml" 2>&1); then
  ok "pre-commit validate-config on the documentation's example"
else
  fail "the documentation's .pre-commit-config.yaml example: $out"
fi

# --- 3. install.sh ----------------------------------------------------------------------------
asset="enoexec-$version-linux-$arch"
release="$tmp/release"
mkdir -p "$release"
cp "$enoexec" "$release/$asset"
printf 'just another asset\n' > "$release/enoexec-$version-linux-other"
(cd "$release" && sha256sum "$asset" "enoexec-$version-linux-other" > SHA256SUMS)

install() {  # NAME ENV...: runs install.sh with a fresh runner; sets $out, $status, $runner
  local name=$1
  shift
  runner="$tmp/runner-$name"
  mkdir -p "$runner/temp"
  : > "$runner/path"
  : > "$runner/output"
  out=$(env GITHUB_PATH="$runner/path" GITHUB_OUTPUT="$runner/output" RUNNER_TEMP="$runner/temp" \
    "$@" bash "$action_dir/install.sh" 2>&1)
  status=$?
}
installed() { cat "$runner/path" 2>/dev/null; }

install dir ENOEXEC_VERSION="$version" ENOEXEC_RELEASE_URL="$release" ENOEXEC_REPOSITORY=example/enoexec
bin=$(installed)
if [ "$status" = 0 ] && [ -x "$bin/enoexec" ] && [ "$("$bin/enoexec" --version)" = "enoexec $version" ]; then
  ok "install.sh from a folder: $bin/enoexec, on \$GITHUB_PATH"
else
  fail "install.sh from a folder: exit $status, GITHUB_PATH '$bin': $out"
fi
grep -qx "version=$version" "$runner/output" && grep -qx "path=$bin/enoexec" "$runner/output" &&
  grep -qx "source-url=https://github.com/example/enoexec/blob/v$version/" "$runner/output" &&
  ok "install.sh outputs version, path, source-url" || fail "install.sh outputs: $(cat "$runner/output")"
case "$out" in *"$asset: OK"*) ok "sha256sum -c checked the asset" ;; *) fail "no sha256sum -c line: $out" ;; esac
installed_bin=$bin

install url ENOEXEC_VERSION="v$version" ENOEXEC_RELEASE_URL="file://$release/"
[ "$status" = 0 ] && [ -x "$(installed)/enoexec" ] && ok "install.sh from a file:// URL, version v$version" ||
  fail "install.sh from file://: exit $status: $out"

install action-path ENOEXEC_RELEASE_URL="$release" GITHUB_ACTION_PATH="/home/runner/work/_actions/someone/enoexec-fork/v1"
[ "$status" = 0 ] && grep -qx "source-url=https://github.com/someone/enoexec-fork/blob/v$version/" "$runner/output" &&
  ok "install.sh: repository from \$GITHUB_ACTION_PATH" || fail "repository from the action path: $status $(cat "$runner/output") $out"

mkdir -p "$tmp/api/repos/example/enoexec/releases"
printf '{\n  "url": "x",\n  "tag_name": "v%s",\n  "name": "enoexec %s"\n}\n' "$version" "$version" \
  > "$tmp/api/repos/example/enoexec/releases/latest"
install latest ENOEXEC_VERSION=latest ENOEXEC_REPOSITORY=example/enoexec GITHUB_API_URL="file://$tmp/api" \
  ENOEXEC_RELEASE_URL="$release"
[ "$status" = 0 ] && grep -qx "version=$version" "$runner/output" && ok "install.sh: version latest" ||
  fail "install.sh latest: exit $status: $out"

# Tampered: the asset's hash with its first hex digit changed.
tampered="$tmp/release-tampered"
cp -r "$release" "$tampered"
awk -v name="$asset" '$2 == name { c = substr($1, 1, 1); $1 = (c == "0" ? "1" : "0") substr($1, 2) } { print $1 "  " $2 }' \
  "$release/SHA256SUMS" > "$tampered/SHA256SUMS"
install tampered ENOEXEC_VERSION="$version" ENOEXEC_RELEASE_URL="$tampered"
if [ "$status" != 0 ] && [ -z "$(installed)" ] && ! [ -e "$runner/temp/enoexec/$version/bin/enoexec" ]; then
  ok "install.sh refuses a tampered checksum (exit $status)"
else
  fail "tampered checksum: exit $status, installed '$(installed)': $out"
fi
case "$out" in *"does not match its SHA-256"*) ok "and says so" ;; *) fail "tampered: no message: $out" ;; esac

nosum="$tmp/release-nosum"
cp -r "$release" "$nosum"
grep -v " $asset\$" "$release/SHA256SUMS" > "$nosum/SHA256SUMS"
install nosum ENOEXEC_VERSION="$version" ENOEXEC_RELEASE_URL="$nosum"
[ "$status" != 0 ] && [ -z "$(installed)" ] && ok "install.sh refuses an asset SHA256SUMS does not list" ||
  fail "no checksum line: exit $status: $out"

install missing ENOEXEC_VERSION=9.8.7 ENOEXEC_RELEASE_URL="$release"
[ "$status" != 0 ] && [ -z "$(installed)" ] && ok "install.sh fails for a missing asset" || fail "missing asset: exit $status: $out"

other="$tmp/release-other"
mkdir -p "$other"
cp "$enoexec" "$other/enoexec-9.8.7-linux-$arch"
(cd "$other" && sha256sum "enoexec-9.8.7-linux-$arch" > SHA256SUMS)
install other ENOEXEC_VERSION=9.8.7 ENOEXEC_RELEASE_URL="$other"
[ "$status" != 0 ] && [ -z "$(installed)" ] && ! [ -e "$runner/temp/enoexec/9.8.7/bin/enoexec" ] &&
  ! [ -e "$runner/temp/enoexec/9.8.7/bin/enoexec.new" ] && ok "install.sh refuses a program that says another version" ||
  fail "version mismatch: exit $status: $out"

install badversion ENOEXEC_VERSION='1.0; touch "$HOME/pwned"' ENOEXEC_RELEASE_URL="$release"
[ "$status" != 0 ] && ! [ -e "$HOME/pwned" ] && ok "install.sh refuses a version that is not one" ||
  fail "bad version: exit $status: $out"

# --- 4. run.sh --------------------------------------------------------------------------------
[ -x "$installed_bin/enoexec" ] || installed_bin=$(dirname "$enoexec")
ws="$tmp/workspace"
mkdir -p "$ws/good" "$ws/crlf" "$ws/arm" "$ws/named" "$ws/sub dir" "$ws/-dash"
printf '#!/bin/sh\necho fine\n' > "$ws/good/fine.sh"
printf '# Notes\r\nNot a program.\r\n' > "$ws/good/README.md"
printf '#!/bin/sh\r\necho crlf\r\n' > "$ws/crlf/crlf.sh"
cp "$src/samples/linux-arm64" "$ws/arm/tool"
cp "$src/samples/linux-arm64" "$ws/named/tool-linux-amd64"  # W_ARTIFACT_NAME on linux/arm64
printf '#!/bin/sh\r\necho crlf\r\n' > "$ws/sub dir/crlf.sh"
cp "$ws/good/fine.sh" "$ws/-dash/fine.sh"
chmod +x "$ws"/good/fine.sh "$ws"/crlf/crlf.sh "$ws"/arm/tool "$ws"/named/tool-linux-amd64 "$ws/sub dir/crlf.sh" \
  "$ws"/-dash/fine.sh
touch "$ws/a.sh"  # a glob *.sh would expand to this, were globbing on

scan() {  # WANT DESCRIPTION ENV...: run.sh in the workspace; sets $out, $outputs
  local want=$1 what=$2
  shift 2
  : > "$tmp/output"
  : > "$tmp/summary"
  out=$(cd "$ws" && env PATH="$installed_bin:$PATH" GITHUB_WORKSPACE="$ws" GITHUB_OUTPUT="$tmp/output" \
    GITHUB_STEP_SUMMARY="$tmp/summary" "$@" bash "$action_dir/run.sh" 2>&1)
  local status=$?
  outputs=$(cat "$tmp/output")
  if [ "$status" = "$want" ]; then ok "run.sh: $what: exit $status"; else fail "run.sh: $what: exit $status, expected $want: $out"; fi
}
expect() {  # DESCRIPTION TEXT: $out contains TEXT
  case "$out" in *"$2"*) ok "$1" ;; *) fail "$1: no '$2' in: $out" ;; esac
}

scan 0 "a good folder" ENOEXEC_PATHS=good
grep -qx "exit-code=0" <<< "$outputs" && ok "output exit-code=0" || fail "outputs: $outputs"
grep -q "### enoexec scan: exit status 0" "$tmp/summary" && ok "job summary written" || fail "summary: $(cat "$tmp/summary")"
scan 0 "the defaults (paths .) with args excluding the failures" ENOEXEC_ARGS="--exclude crlf --exclude arm --exclude named --exclude sub*"
scan 1 "a CRLF script" ENOEXEC_PATHS=crlf
expect "E_SCRIPT_CRLF reported" "E_SCRIPT_CRLF"
grep -qx "exit-code=1" <<< "$outputs" && ok "output exit-code=1" || fail "outputs: $outputs"
scan 1 "an arm64 ELF from samples/, target linux/amd64" ENOEXEC_PATHS=arm ENOEXEC_TARGET=linux/amd64
expect "E_WRONG_ARCH reported" "E_WRONG_ARCH"
scan 0 "the same ELF, target linux/arm64" ENOEXEC_PATHS=arm ENOEXEC_TARGET=linux/arm64
scan 0 "a name promising another platform, fail-on error" ENOEXEC_PATHS=named ENOEXEC_TARGET=linux/arm64
scan 1 "the same, fail-on warning" ENOEXEC_PATHS=named ENOEXEC_TARGET=linux/arm64 ENOEXEC_FAIL_ON=warning
expect "W_ARTIFACT_NAME reported" "W_ARTIFACT_NAME"
scan 1 "a path with a space" ENOEXEC_PATHS="sub dir"
expect "the file under it" "sub dir/crlf.sh: will not run"
scan 1 "several paths, one per line, CRLF lines, blanks around and between" \
  ENOEXEC_PATHS=$'  good\r\n\n\tsub dir  \n-dash\n'
expect "the failing one" "sub dir/crlf.sh: will not run"
expect "the summary counts the three" "2 run, 0 run emulated, 1 fails"
scan 0 "args split on blanks, no globbing: --exclude *.sh" ENOEXEC_PATHS=$'crlf\nsub dir' ENOEXEC_ARGS='--exclude *.sh'
scan 0 "only-failures false lists what runs" ENOEXEC_PATHS=good ENOEXEC_ONLY_FAILURES=false
expect "the program that runs" "good/fine.sh: runs on"
scan 2 "a path that does not exist" ENOEXEC_PATHS=nowhere
scan 2 "fail-on not error, warning or never" ENOEXEC_FAIL_ON=sometimes
scan 0 "fail-on never reports and passes" ENOEXEC_PATHS=$'good\nsub dir' ENOEXEC_FAIL_ON=never
expect "the failing one is still listed" "sub dir/crlf.sh: will not run"
scan 0 "args reach scan: --ignore a rule code" ENOEXEC_PATHS='sub dir' ENOEXEC_ARGS='--ignore E_SCRIPT_CRLF,E_INTERP_MISSING'
scan 2 "args reach scan: an unknown rule code is a usage error" ENOEXEC_PATHS=good ENOEXEC_ARGS='--ignore E_BOGUS_CODE'
scan 2 "sarif neither true nor false" ENOEXEC_SARIF=maybe
scan 2 "no path" ENOEXEC_PATHS=$'\n  \n'
scan 2 "an unknown target" ENOEXEC_PATHS=good ENOEXEC_TARGET=bogus
scan 2 "inputs are never evaluated" ENOEXEC_PATHS='$(touch pwned-paths)' ENOEXEC_ARGS='$(touch pwned-args) `touch pwned-ticks`'
if [ -n "$(find "$ws" "$tmp" -name 'pwned*' -print -quit)" ]; then
  fail "an input was run as shell code"
else
  ok "no input was run as shell code"
fi
scan 0 "on GitHub, workflow commands are stopped around the report" ENOEXEC_PATHS=good GITHUB_ACTIONS=true
token=$(sed -n 's/^::stop-commands::\(.*\)$/\1/p' <<< "$out")
[ -n "$token" ] && grep -qx "::$token::" <<< "$out" && ok "::stop-commands:: and its token" || fail "stop-commands: $out"

# SARIF: written when the scan fails, locations relative to the workspace, absolute help links,
# straight from `enoexec scan --sarif --sarif-base --sarif-help-uri` (no rewriting afterwards).
# A shared library stored 0644 is a note (I_LIBRARY_NOT_EXECUTABLE), left out of SARIF; the scan
# below judges for linux/amd64, so only an amd64 library is a note and nothing more.
mkdir -p "$ws/lib"
if [ "$(uname -m)" = x86_64 ]; then
  for so in /lib/x86_64-linux-gnu/libm.so.6 /usr/lib/x86_64-linux-gnu/libm.so.6 /lib64/libm.so.6 /usr/lib64/libm.so.6; do
    if [ -f "$so" ]; then
      cp "$so" "$ws/lib/libm.so.6"
      chmod 644 "$ws/lib/libm.so.6"
      break
    fi
  done
fi
scan 1 "SARIF asked, something fails" ENOEXEC_PATHS=$'sub dir\narm\nlib' ENOEXEC_TARGET=linux/amd64 ENOEXEC_SARIF=true \
  ENOEXEC_SARIF_FILE="out dir/enoexec.sarif" ENOEXEC_SOURCE_URL="https://github.com/example/enoexec/blob/v$version/"
grep -qx "sarif-file=out dir/enoexec.sarif" <<< "$outputs" && ok "output sarif-file" || fail "outputs: $outputs"
sarif_check() {  # SARIF_FILE WANT_RESULTS_JSON HELP_PREFIX: exit 0 when the log is as code scanning wants
  python3 - "$@" "$ws" <<'EOF'
import json, re, sys, urllib.parse
path, want, help_prefix, workspace = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
log = json.load(open(path, encoding="utf-8"))
problems = []
if log.get("version") != "2.1.0":
    problems.append("version %r" % log.get("version"))
run = log["runs"][0]
bases = run.get("originalUriBaseIds", {})
if bases != {"%SRCROOT%": {"uri": "file://" + urllib.parse.quote(workspace + "/")}}:
    problems.append("originalUriBaseIds %r" % bases)
uris = {}
for r in run.get("results", []):
    loc = r["locations"][0]["physicalLocation"]["artifactLocation"]
    # Code scanning reads a relative uri as relative to the repository root and ignores uriBaseId.
    if loc.get("uriBaseId", "%SRCROOT%") != "%SRCROOT%":
        problems.append("uriBaseId %r" % loc)
    if loc["uri"].startswith(("/", "..")) or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", loc["uri"]):
        problems.append("not a relative uri below the workspace: %r" % loc)
    uris[loc["uri"]] = r["ruleId"]
    if r["level"] == "note":
        problems.append("a note: %r" % r)
if uris != want:
    problems.append("results %r, expected %r" % (uris, want))
for rule in run["tool"]["driver"]["rules"]:
    uri = rule.get("helpUri", "")
    # upload-sarif checks format "uri": a scheme, then no blanks.
    if not re.fullmatch(r"https://\S+", uri) or not uri.startswith(help_prefix):
        problems.append("helpUri %r" % uri)
    if not rule.get("shortDescription", {}).get("text") or not rule.get("help", {}).get("markdown"):
        problems.append("rule %s: no description or help" % rule["id"])
if run["tool"]["driver"].get("name") != "enoexec":
    problems.append("tool %r" % run["tool"]["driver"].get("name"))
print("\n".join(problems) or "%d results" % len(uris))
sys.exit(1 if problems else 0)
EOF
}
if out=$(sarif_check "$ws/out dir/enoexec.sarif" '{"sub%20dir/crlf.sh": "E_SCRIPT_CRLF", "arm/tool": "E_WRONG_ARCH"}' \
  "https://github.com/example/enoexec/blob/v$version/docs/rules.md#" 2>&1); then
  ok "SARIF: 2.1.0, workspace-relative locations, absolute help links, no notes ($out)"
else
  fail "SARIF: $out"
fi
if [ -n "$schema" ] && [ -s "$schema" ] && python3 -c 'import jsonschema' 2>/dev/null; then
  if out=$(python3 -c '
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))' "$ws/out dir/enoexec.sarif" "$schema" 2>&1); then
    ok "SARIF validates against $(basename "$schema")"
  else
    fail "SARIF schema: $out"
  fi
else
  echo "note: SARIF schema check not run (no schema file or no python3-jsonschema)"
fi
scan 0 "SARIF without a source URL: the program's own help links" ENOEXEC_PATHS=named ENOEXEC_TARGET=linux/arm64 \
  ENOEXEC_SARIF=true ENOEXEC_SARIF_FILE=plain.sarif
if out=$(sarif_check "$ws/plain.sarif" '{"named/tool-linux-amd64": "W_ARTIFACT_NAME"}' "https://" 2>&1); then
  ok "a warning in SARIF with fail-on error; absolute help links ($out)"
else
  fail "plain.sarif: $out"
fi
# From a folder below the workspace, scanning a path outside it too: still relative to the
# workspace; the outside one an absolute file:// URI.
mkdir -p "$ws/named/deeper" "$tmp/outside"
cp "$src/samples/linux-arm64" "$tmp/outside/tool-linux-amd64"
chmod +x "$tmp/outside/tool-linux-amd64"
out=$(cd "$ws/named/deeper" && env PATH="$installed_bin:$PATH" GITHUB_WORKSPACE="$ws" ENOEXEC_PATHS=$'..\n'"$tmp/outside" \
  ENOEXEC_TARGET=linux/arm64 ENOEXEC_SARIF=true ENOEXEC_SARIF_FILE="$tmp/deeper.sarif" bash "$action_dir/run.sh" 2>&1)
if python3 - "$tmp/deeper.sarif" "$tmp/outside/tool-linux-amd64" <<'EOF'
import json, sys, urllib.parse
run = json.load(open(sys.argv[1]))["runs"][0]
uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"])
want = sorted(["named/tool-linux-amd64", "file://" + urllib.parse.quote(sys.argv[2])])
assert uris == want, (uris, want)
EOF
then
  ok "SARIF from a subfolder: workspace-relative, the path outside as file://"
else
  fail "SARIF from a subfolder: $out"
fi
scan 0 "no SARIF unless asked" ENOEXEC_PATHS=good
grep -q "^sarif-file=" <<< "$outputs" && fail "sarif-file output without SARIF: $outputs" || ok "no sarif-file output"

# --- 5. pre-commit ----------------------------------------------------------------------------
# A committed copy of the hooks file: pre-commit clones a repository at a revision, and the
# source tree may hold uncommitted work (or not be a git checkout at all).
hooks="$tmp/hooks-repo"
mkdir -p "$hooks"
cp "$src/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" init -q && git -C "$hooks" add .pre-commit-hooks.yaml && git -C "$hooks" commit -qm hooks ||
  { fail "cannot make the hooks repository"; }
rev=$(git -C "$hooks" rev-parse HEAD)

repo="$tmp/project"
mkdir -p "$repo"
git -C "$repo" init -q
printf '#!/bin/sh\necho fine\n' > "$repo/clean.sh"
printf '#!/bin/sh\r\necho crlf\r\n' > "$repo/crlf.sh"
printf '\xef\xbb\xbf#!/bin/sh\necho bom\n' > "$repo/bom.sh"
printf 'echo no shebang\n' > "$repo/noshebang"
printf '# Read me\r\nWith CRLF line ends, not executable.\r\n' > "$repo/README.md"
printf '#!/bin/sh\r\n# sourced, never executed\r\n' > "$repo/lib.sh"
cp "$src/samples/linux-arm64" "$repo/tool"
cp "$src/samples/linux-arm64" "$repo/tool-linux-amd64"
chmod 755 "$repo"/clean.sh "$repo"/crlf.sh "$repo"/bom.sh "$repo"/noshebang "$repo"/tool "$repo"/tool-linux-amd64
chmod 644 "$repo"/README.md "$repo"/lib.sh
git -C "$repo" add -A

config() {  # HOOK [ARG...]: a .pre-commit-config.yaml using HOOK with args ARG...
  local hook=$1 arg
  shift
  {
    printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: %s\n' "$hooks" "$rev" "$hook"
    if [ $# -gt 0 ]; then
      printf '        args: ['
      for arg in "$@"; do printf '"%s", ' "$arg"; done
      printf ']\n'
    fi
  } > "$tmp/pre-commit-config.yaml"
}
hook() {  # WANT DESCRIPTION FILE...: pre-commit run with the current config; 0 passed, 1 failed
  local want=$1 what=$2
  shift 2
  out=$(cd "$repo" && PATH="$installed_bin:$PATH" timeout 120 pre-commit run -c "$tmp/pre-commit-config.yaml" \
    --color never --files "$@" 2>&1)
  local status=$?
  if [ "$status" = "$want" ]; then ok "pre-commit: $what: exit $status"; else fail "pre-commit: $what: exit $status, expected $want: $out"; fi
}

config enoexec-check
hook 0 "enoexec-check: a clean script, a non-executable README and sourced library pass" clean.sh README.md lib.sh
hook 1 "enoexec-check: a CRLF executable script fails" crlf.sh clean.sh README.md
expect "the CRLF finding" "E_SCRIPT_CRLF: crlf.sh"
hook 1 "enoexec-check: a UTF-8 BOM before #! fails" bom.sh
expect "the BOM finding" "E_SCRIPT_BOM"
hook 1 "enoexec-check: an executable without #! fails" noshebang
expect "the no-#! finding" "E_NO_SHEBANG"
config enoexec-check --target linux/amd64
hook 1 "enoexec-check --target linux/amd64: an arm64 binary fails" tool
expect "the wrong-platform finding" "E_WRONG_ARCH"
config enoexec-check --target linux/arm64
hook 0 "enoexec-check --target linux/arm64: the same binary passes, its misleading name only warned" tool tool-linux-amd64 clean.sh
config enoexec-scan --target linux/arm64
hook 1 "enoexec-scan: a name promising another platform fails" tool-linux-amd64 README.md
expect "the name finding" "W_ARTIFACT_NAME"
hook 0 "enoexec-scan: the rest passes" tool clean.sh README.md lib.sh

echo
if [ "$failures" -eq 0 ]; then
  echo "integrations_test: all checks passed"
  exit 0
fi
echo "integrations_test: $failures failure(s)"
exit 1
