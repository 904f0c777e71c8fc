#!/bin/bash
# ci_doc_test.sh ENOEXEC SOURCE_DIR [INPUTS_DIR]: docs/ci.md works as written.
#
#   1. every ```yaml block is linted with yamllint --strict (integrations/.yamllint);
#   2. the GitHub workflow: the job may upload (security-events: write), the upload takes the file
#      the SARIF step writes and runs under always(), after that step and before the gate; its
#      run: steps are run here, in order, with `bash -e` as the runner does, against the built
#      program (on PATH) in a scratch workspace holding a release folder dist/ of real files:
#      all but "Build the release folder" and "Install enoexec", which need the network and
#      your build. With one mislabelled asset the gate (the last step) exits 1 and every other
#      step 0, and the SARIF file is what code scanning takes (absolute https help links,
#      relative locations naming the right files, valid 2.1.0 when the schema is at hand); with
#      the folder fixed, every step exits 0;
#   3. the GitLab job's script: lines, the same way (`bash -e -o pipefail`): exit 1 and a code
#      quality report naming the mislabelled asset, then 0 and an empty report;
#   4. "Gate a release folder": every `$ command` of its ```text blocks is run in that folder,
#      and the lines shown under it (those that are not "...") are in its output; `echo $?` shows
#      the status of the command before it.
# The release folder: myapp-linux-amd64 (a real amd64 program: /bin/true on x86_64, else the
# integration inputs' cross-built one), myapp-linux-armv7 and myapp-linux-riscv64 from samples/,
# SHA256SUMS, and myapp-linux-arm64 holding riscv64 code (mislabelled); fixed, it holds arm64
# code (samples/linux-arm64).
# Needs yamllint, python3-yaml and jq (Debian: yamllint python3-yaml jq): without them exit 77
# (skipped), unless ENOEXEC_REQUIRE_INPUTS=1, where it fails.
#
# shellcheck disable=SC2015  # in "A && ok || fail", ok only echoes and succeeds
set -u
usage="usage: ci_doc_test.sh ENOEXEC SOURCE_DIR [INPUTS_DIR]"
enoexec=$(realpath "${1:?$usage}")
src=$(realpath "${2:?$usage}")
inputs=${3:-}
doc="$src/docs/ci.md"

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
command -v yamllint >/dev/null || unavailable "no yamllint (Debian: yamllint)"
command -v python3 >/dev/null || unavailable "no python3"
python3 -c 'import yaml' 2>/dev/null || unavailable "no python3-yaml"
command -v jq >/dev/null || unavailable "no jq (the GitLab job's code quality report)"


tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin="$tmp/bin"
mkdir -p "$bin"
ln -s "$enoexec" "$bin/enoexec"
# The runner's variables must not leak in from a CI job running this test.
unset GITHUB_ACTIONS GITHUB_OUTPUT GITHUB_PATH GITHUB_STEP_SUMMARY GITHUB_WORKSPACE RUNNER_TEMP CI_PROJECT_DIR

# --- The release folder ------------------------------------------------------------------------
amd64=
if [ "$(uname -m)" = x86_64 ] && [ -f /bin/true ]; then
  amd64=/bin/true
elif [ -n "$inputs" ] && [ -f "$inputs/cross-c/x86_64-linux-gnu/hello" ]; then
  amd64="$inputs/cross-c/x86_64-linux-gnu/hello"
fi
[ -n "$amd64" ] || unavailable "no amd64 program for the release folder (not x86_64, no integration inputs)"
release() {  # DIR mislabelled|fixed
  rm -rf "$1"
  mkdir -p "$1/dist"
  cp "$amd64" "$1/dist/myapp-linux-amd64"
  cp "$src/samples/linux-armv7-hardfloat" "$1/dist/myapp-linux-armv7"
  cp "$src/samples/linux-riscv64" "$1/dist/myapp-linux-riscv64"
  if [ "$2" = mislabelled ]; then
    cp "$src/samples/linux-riscv64" "$1/dist/myapp-linux-arm64"
  else
    cp "$src/samples/linux-arm64" "$1/dist/myapp-linux-arm64"
  fi
  chmod 0755 "$1"/dist/myapp-*
  (cd "$1/dist" && sha256sum myapp-* > SHA256SUMS)
}

# --- 1. yamllint, and the blocks taken apart ---------------------------------------------------
python3 - "$doc" "$tmp/doc" <<'EOF' || { echo "FAIL: cannot take docs/ci.md apart"; exit 1; }
import json, os, re, sys, yaml
doc, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
text = open(doc, encoding="utf-8").read()
yamls = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
for i, block in enumerate(yamls):
    open(os.path.join(out, "block-%d.yaml" % i), "w", encoding="utf-8").write(block)
meta = {"github": None, "gitlab": None}
for i, block in enumerate(yamls):
    data = yaml.safe_load(block)
    if isinstance(data, dict) and "jobs" in data:
        meta["github"] = i
    elif isinstance(data, dict) and any(isinstance(v, dict) and "script" in v for v in data.values()):
        meta["gitlab"] = i
# The "Gate a release folder" section's ```text blocks.
section = text.split("\n## Gate a release folder", 1)[1] if "\n## Gate a release folder" in text else ""
section = section.split("\n## ", 1)[0]
texts = re.findall(r"```text\n(.*?)```", section, flags=re.S)
for i, block in enumerate(texts):
    open(os.path.join(out, "session-%d.txt" % i), "w", encoding="utf-8").write(block)
meta["sessions"] = len(texts)
meta["yamls"] = len(yamls)
json.dump(meta, open(os.path.join(out, "meta.json"), "w"))
EOF
meta() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$tmp/doc/meta.json" "$1"; }
[ "$(meta yamls)" -ge 2 ] && ok "docs/ci.md: $(meta yamls) YAML blocks" || fail "docs/ci.md: fewer than 2 YAML blocks"
if out=$(cd "$src" && yamllint --strict -c integrations/.yamllint "$tmp"/doc/block-*.yaml 2>&1); then
  ok "yamllint --strict on every YAML block"
else
  fail "yamllint: $out"
fi

# --- 2. The GitHub workflow ---------------------------------------------------------------------
github=$(meta github)
[ "$github" != None ] || { fail "no GitHub workflow (a block with jobs:)"; github=; }
if [ -n "$github" ]; then
  if out=$(python3 - "$tmp/doc/block-$github.yaml" "$tmp/github" <<'EOF' 2>&1
import json, os, sys, yaml
workflow = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
out = sys.argv[2]
os.makedirs(out)
problems = []
if "on" not in workflow and True not in workflow:  # PyYAML reads the key `on` as True
    problems.append("no on:")
jobs = workflow["jobs"]
if len(jobs) != 1:
    problems.append("expected one job, found %d" % len(jobs))
job = next(iter(jobs.values()))
if (job.get("permissions") or {}).get("security-events") != "write":
    problems.append("the job lacks permissions security-events: write")
steps = job["steps"]
names = [s.get("name", s.get("uses", "")) for s in steps]
skipped = {"Build the release folder", "Install enoexec"}  # the network, the project's build
for name in skipped:
    if name not in names:
        problems.append("no step %r (the test skips it by name)" % name)
uploads = [i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
runs = [i for i, s in enumerate(steps) if "run" in s and s.get("name") not in skipped]
if len(uploads) != 1:
    problems.append("expected one upload-sarif step, found %d" % len(uploads))
else:
    upload = steps[uploads[0]]
    sarif_file = (upload.get("with") or {}).get("sarif_file")
    if "always()" not in str(upload.get("if", "")):
        problems.append("the upload does not run under always()")
    writers = [i for i in runs if "--sarif" in steps[i]["run"] and "> %s" % sarif_file in steps[i]["run"]]
    if len(writers) != 1:
        problems.append("no one step writes %r with --sarif" % sarif_file)
    elif not writers[0] < uploads[0] < runs[-1]:
        problems.append("the order is not: SARIF step, upload, gate")
    json.dump({"sarif_file": sarif_file}, open(os.path.join(out, "upload.json"), "w"))
if len(runs) < 2:
    problems.append("fewer than two run: steps to run here")
for n, i in enumerate(runs):
    if "enoexec scan" not in steps[i]["run"]:
        problems.append("step %r does not run enoexec scan" % names[i])
    with open(os.path.join(out, "step-%02d.sh" % n), "w", encoding="utf-8") as f:
        f.write(steps[i]["run"])
    with open(os.path.join(out, "step-%02d.name" % n), "w", encoding="utf-8") as f:
        f.write(names[i])
env = {k: str(v) for k, v in {**(workflow.get("env") or {}), **(job.get("env") or {})}.items()}
json.dump(env, open(os.path.join(out, "env.json"), "w"))
if problems:
    print("\n".join(problems))
    sys.exit(1)
print("%d steps, %d run here" % (len(steps), len(runs)))
EOF
  ); then
    ok "the workflow's structure: $out"
  else
    fail "the workflow: $out"
  fi
fi

# The job's env: as NAME=VALUE words for env(1).
job_env=()
if [ -s "$tmp/github/env.json" ]; then
  while IFS= read -r line; do job_env+=("$line"); done < <(jq -r 'to_entries[] | "\(.key)=\(.value)"' "$tmp/github/env.json")
fi

run_workflow() {  # WORKSPACE: runs the steps; prints "NAME STATUS" per step to $tmp/statuses
  local ws=$1 step status
  : > "$tmp/statuses"
  mkdir -p "$ws/runner-temp"
  : > "$ws/github-path"
  for step in "$tmp"/github/step-*.sh; do
    (cd "$ws" && env PATH="$bin:$PATH" GITHUB_WORKSPACE="$ws" GITHUB_PATH="$ws/github-path" \
      RUNNER_TEMP="$ws/runner-temp" "${job_env[@]}" bash -e "$step" > "$step.out" 2>&1)
    status=$?
    printf '%s\t%s\n' "$(cat "${step%.sh}.name")" "$status" >> "$tmp/statuses"
  done
}

if [ -s "$tmp/github/upload.json" ]; then
  sarif_file=$(jq -r .sarif_file "$tmp/github/upload.json")
  ws="$tmp/gh-mislabelled"
  release "$ws" mislabelled
  run_workflow "$ws"
  last=$(tail -n 1 "$tmp/statuses")
  if [ "${last##*$'\t'}" = 1 ] && ! head -n -1 "$tmp/statuses" | grep -qv $'\t0$'; then
    ok "workflow, one asset mislabelled: every step passes, the gate ($(cut -f1 <<< "$last")) fails"
  else
    fail "workflow, mislabelled: step statuses $(tr '\t\n' '= ' < "$tmp/statuses"); $(cat "$tmp"/github/step-*.sh.out)"
  fi
  logs=("$tmp"/github/step-*.sh.out)
  gate_log=${logs[${#logs[@]} - 1]}
  grep -q "E_WRONG_ARCH: dist/myapp-linux-arm64" "$gate_log" &&
    ok "the gate's log names the asset and the rule" || fail "the gate's log: $(cat "$gate_log")"
  schema=
  [ -n "$inputs" ] && [ -s "$inputs/sarif-schema/sarif-2.1.0-rtm.5.json" ] && python3 -c 'import jsonschema' 2>/dev/null &&
    schema="$inputs/sarif-schema/sarif-2.1.0-rtm.5.json"
  if out=$(python3 - "$ws/$sarif_file" "$ws" "$schema" <<'EOF' 2>&1
import json, re, sys, urllib.parse
path, ws, schema = sys.argv[1:4]
log = json.load(open(path, encoding="utf-8"))
problems = []
if schema:
    import jsonschema
    for error in list(jsonschema.Draft4Validator(json.load(open(schema))).iter_errors(log))[:5]:
        problems.append("schema: %s: %s" % (list(error.path), error.message))
run = log["runs"][0]
got = sorted((r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"], r["level"])
             for r in run["results"])
want = [("dist/myapp-linux-arm64", "E_WRONG_ARCH", "error"), ("dist/myapp-linux-arm64", "W_ARTIFACT_NAME", "warning")]
if got != want:
    problems.append("results %r, expected %r" % (got, want))
for r in run["results"]:
    loc = r["locations"][0]["physicalLocation"]["artifactLocation"]
    if loc["uri"].startswith(("/", "..")) or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", loc["uri"]):
        problems.append("not a relative location: %r" % loc)
for rule in run["tool"]["driver"]["rules"]:
    if not re.fullmatch(r"https://github\.com/OWNER/enoexec/blob/v[0-9.]+/docs/rules\.md#[a-z0-9_-]+", rule.get("helpUri", "")):
        problems.append("helpUri %r" % rule.get("helpUri"))
if run["originalUriBaseIds"]["%SRCROOT%"]["uri"] != "file://" + urllib.parse.quote(ws + "/"):
    problems.append("%%SRCROOT%% is %r" % run["originalUriBaseIds"])
print("\n".join(problems) or "%d results, %d rules%s" % (len(got), len(run["tool"]["driver"]["rules"]),
                                                          ", valid against the schema" if schema else ""))
sys.exit(1 if problems else 0)
EOF
  ); then
    ok "the workflow's $sarif_file, as code scanning takes it: $out"
  else
    fail "the workflow's $sarif_file: $out"
  fi

  ws="$tmp/gh-fixed"
  release "$ws" fixed
  run_workflow "$ws"
  if ! grep -qv $'\t0$' "$tmp/statuses"; then
    ok "workflow, the folder fixed: every step passes"
  else
    fail "workflow, fixed: step statuses $(tr '\t\n' '= ' < "$tmp/statuses"); $(cat "$tmp"/github/step-*.sh.out)"
  fi
  [ "$(jq '.runs[0].results | length' "$ws/$sarif_file")" = 0 ] && ok "an empty SARIF log for the fixed folder" ||
    fail "results for the fixed folder: $(jq -c '.runs[0].results' "$ws/$sarif_file")"
fi

# --- 3. The GitLab job --------------------------------------------------------------------------
gitlab=$(meta gitlab)
if [ "$gitlab" = None ]; then
  fail "no GitLab job (a block with a job holding script:)"
else
  python3 - "$tmp/doc/block-$gitlab.yaml" "$tmp/gitlab.sh" <<'EOF' || fail "the GitLab job: cannot read its script"
import sys, yaml
jobs = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
job = next(v for v in jobs.values() if isinstance(v, dict) and "script" in v)
assert (job.get("artifacts") or {}).get("when") == "always", "artifacts: when: always"
assert "codequality" in (job["artifacts"].get("reports") or {}), "no codequality report"
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(job["script"]) + "\n")
print("ok: the GitLab job keeps its reports (when: always, a codequality report)")
EOF
  for state in mislabelled fixed; do
    ws="$tmp/gl-$state"
    release "$ws" "$state"
    (cd "$ws" && env PATH="$bin:$PATH" CI_PROJECT_DIR="$ws" bash -e -o pipefail "$tmp/gitlab.sh" > "$ws/job.log" 2>&1)
    status=$?
    want=0
    [ "$state" = mislabelled ] && want=1
    issues=$(jq -c '[.[] | [.location.path, .check_name, .severity]] | sort' "$ws/gl-code-quality.json" 2>&1)
    want_issues='[]'
    [ "$state" = mislabelled ] &&
      want_issues='[["dist/myapp-linux-arm64","E_WRONG_ARCH","major"],["dist/myapp-linux-arm64","W_ARTIFACT_NAME","minor"]]'
    if [ "$status" = "$want" ] && [ "$issues" = "$want_issues" ] && [ -s "$ws/enoexec.sarif" ] &&
        [ "$(jq '[.[].fingerprint] | unique | length' "$ws/gl-code-quality.json")" = "$(jq length "$ws/gl-code-quality.json")" ]; then
      ok "GitLab job, the folder $state: exit $status, code quality $issues"
    else
      fail "GitLab job, $state: exit $status (expected $want), issues $issues: $(cat "$ws/job.log")"
    fi
  done
fi

# --- 4. "Gate a release folder" -----------------------------------------------------------------
sessions=$(meta sessions)
[ "$sessions" -ge 1 ] || fail "no \`\`\`text block under \"Gate a release folder\""
ws="$tmp/sessions"
release "$ws" mislabelled
for ((i = 0; i < sessions; i++)); do
  # Each "$ command" is run; the lines under it, up to the next "$", are expected in its output.
  if out=$(cd "$ws" && PATH="$bin:$PATH" python3 - "$tmp/doc/session-$i.txt" <<'EOF' 2>&1
import subprocess, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
commands = []
for line in lines:
    if line.startswith("$ "):
        commands.append((line[2:], []))
    elif commands:
        commands[-1][1].append(line)
problems, status, done = [], None, 0
for command, shown in commands:
    if command == "echo $?":
        if shown != [str(status)]:
            problems.append("%r shown after a command that exited %s" % (shown, status))
        continue
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    status, output = result.returncode, result.stdout.splitlines()
    if command.startswith("ls"):
        output = " ".join(sorted(result.stdout.split())).split("\n")
        shown = [" ".join(sorted(" ".join(shown).split()))]
    for line in shown:
        if line != "..." and line not in output:
            problems.append("%r: no line %r in its output:\n%s" % (command, line, result.stdout + result.stderr))
    done += 1
print("\n".join(problems) or "%d commands" % done)
sys.exit(1 if problems else 0)
EOF
  ); then
    ok "\"Gate a release folder\", block $((i + 1)): $out as shown"
  else
    fail "\"Gate a release folder\", block $((i + 1)): $out"
  fi
done

echo
if [ "$failures" -eq 0 ]; then
  echo "ci_doc_test: all checks passed"
  exit 0
fi
echo "ci_doc_test: $failures failure(s)"
exit 1
