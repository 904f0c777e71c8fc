#!/usr/bin/env bash
# Scripts (one per "#!" defect, plus clean ones) and impostors (files people try to run that are
# not programs). See ../README.md for the contract.
#
# Scripts: each file is built from three parts, lead ("#!" or BOM "#!"), interpreter and tail,
# and the expectations follow from those parts. Before a file is listed, the kernel's reading
# of it is confirmed on a COPY whose interpreter is swapped for /bin/echo (padded with slashes
# to the same length, so the 256-byte buffer boundaries stay where they are): echo prints the
# one argument the kernel passed, or execve returns the errno we expect. Interpreters that
# cannot exist are left in place (execve fails before anything runs). env's own reading is
# confirmed by running /usr/bin/env with an empty PATH, so it finds nothing to run. The files
# themselves are never executed.
#
# Impostors: made with the real tools (gzip, xz, zip, tar, ar, dpkg-deb, clang, javac, ...) and
# cross-checked with file(1).
#
# Host-dependent findings ("interpreter-missing", "interpreter-is-script") come from
# inspect/script_host: this host lacks /nonexistent/interp and /opt/ppp...; the nested
# interpreter is a file of this recipe.

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
recipe_init "$@"
ensure_packages python3 gzip bzip2 xz-utils zstd lz4 zip tar binutils dpkg

# ---------------------------------------------------------------------------------------------
# Scripts: generated and checked by python3 (bytes with CR, NUL and BOM are easier there).

mkdir -p "$OUT/scripts"
python3 - "$OUT" >"$OUT/scripts.tsv" <<'PY'
import json, os, subprocess, sys, tempfile

OUT = sys.argv[1]
ECHO = b"/bin/echo"
BOM = b"\xef\xbb\xbf"

def echo_of_length(interp):
    """/bin/echo spelled with as many bytes as `interp` (minus a trailing CR, kept)."""
    core = interp[:-1] if interp.endswith(b"\r") else interp
    cr = interp[len(core):]
    if not core:
        return interp  # nothing to swap: the kernel finds no interpreter
    if len(core) >= len(ECHO):
        return b"/" * (len(core) - len(ECHO) + 1) + ECHO[1:] + cr
    return ECHO + cr

def kernel_reading(data, cwd):
    """execve a copy of `data`: ("args", [argument...]) as /bin/echo printed them, or ("errno", name)."""
    path = os.path.join(cwd, "probe")
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, 0o755)
    try:
        done = subprocess.run(["./probe"], cwd=cwd, capture_output=True, timeout=10, env={"PATH": "/nonexistent"})
    except OSError as e:
        return ("errno", __import__("errno").errorcode[e.errno])
    out = done.stdout
    suffix = b"./probe\n"
    assert out.endswith(suffix), f"echo printed {out!r}"
    arg = out[: -len(suffix)]
    return ("args", [arg[:-1].decode("utf-8", "surrogateescape")] if arg else [])

def env_reading(argument):
    """What /usr/bin/env does with the one argument, with nothing on PATH: its stderr."""
    done = subprocess.run(["/usr/bin/env", "-i", "PATH=/nonexistent", "/usr/bin/env", "-v", argument, "/dev/null"],
                          capture_output=True, timeout=10)
    return done.stderr.decode("utf-8", "surrogateescape")

def env_split_words(stderr):
    words = []
    for line in stderr.splitlines():
        for key in (" into:    '", "     &    '"):
            if line.startswith(key) and line.endswith("'"):
                words.append(line[len(key):-1])
    return words

rows = []

def script(name, lead, interp, tail, kernel, expect, swap=True, env=None):
    data = lead + interp + tail
    path = os.path.join(OUT, "scripts", name)
    with open(path, "wb") as f:
        f.write(data)
    with tempfile.TemporaryDirectory() as scratch:
        probe = lead + (echo_of_length(interp) if swap else interp) + tail
        got = kernel_reading(probe, scratch)
    if got != kernel:
        sys.exit(f"scripts: {name}: the kernel read the copy as {got}, expected {kernel}")
    if env is not None:
        stderr = env_reading(env["argument"])
        if "words" in env and env_split_words(stderr) != env["words"]:
            sys.exit(f"scripts: {name}: env -S split {env_split_words(stderr)}, expected {env['words']}")
        if "stderr" in env and env["stderr"] not in stderr:
            sys.exit(f"scripts: {name}: env said {stderr!r}, expected {env['stderr']!r}")
    base = {"/format": "script", "/type": "script", "/bits": None, "/platform": None}
    base.update(expect)
    how = f"python3: {data[:60]!r}" + ("..." if len(data) > 60 else "")
    rows.append((f"scripts/{name}", how.replace("\t", "\\t"), base))

def interp_is(value, args=None):
    return {"/interpreter": value, "/script/interpreter": value, "/script/interpreter_args": args}

NOTHING = {"/script/findings": [], "/script/kernel_error": None}

script("clean-sh", b"#!", b"/bin/sh", b"\necho hi\n", ("args", []), {**interp_is("/bin/sh"), **NOTHING})
# (-u, not -e: /bin/echo would take -e as its own option)
script("clean-option", b"#!", b"/bin/sh", b" -u\necho hi\n", ("args", ["-u"]), {**interp_is("/bin/sh", "-u"), **NOTHING})
script("no-newline-at-eof", b"#!", b"/bin/sh", b"", ("args", []), {**interp_is("/bin/sh"), **NOTHING})
script("blanks-and-tabs", b"#! \t ", b"/bin/sh", b"  -x  \t\necho hi\n", ("args", ["-x"]),
       {**interp_is("/bin/sh", "-x"), **NOTHING})
script("one-argument", b"#!", b"/bin/echo", b" a b   c\n", ("args", ["a b   c"]),
       {**interp_is("/bin/echo", "a b   c"), **NOTHING})
script("crlf", b"#!", b"/bin/sh\r", b"\necho hi\r\n", ("errno", "ENOENT"),
       {**interp_is("/bin/sh\r"), "/script/findings/0/code": "crlf", "/script/findings/1/code": "interpreter-missing"})
script("crlf-option", b"#!", b"/bin/bash", b" -e\r\necho hi\r\n", ("args", ["-e\r"]),
       {**interp_is("/bin/bash", "-e\r"), "/script/findings/0/code": "crlf"})
script("crlf-env", b"#!", b"/usr/bin/env", b" python3\r\nprint(1)\r\n", ("args", ["python3\r"]),
       {**interp_is("/usr/bin/env", "python3\r"), "/script/env_command": ["python3\r"],
        "/script/findings/0/code": "crlf"},
       env={"argument": "python3\r", "stderr": "use -[v]S to pass options in shebang lines"})
script("bom", BOM + b"#!", b"/bin/sh", b"\necho hi\n", ("errno", "ENOEXEC"),
       {**interp_is(None), "/script/kernel_error": "ENOEXEC", "/script/findings/0/code": "bom"})
script("no-shebang", b"", b"", b"echo hello\n", ("errno", "ENOEXEC"), {**interp_is(None),
       "/script/kernel_error": "ENOEXEC", "/script/findings": [{"code": "no-shebang", "message":
       "the file does not start with \"#!\": execve fails with ENOEXEC (\"Exec format error\"); bash, dash, zsh "
       "and busybox sh then run the file as a shell script themselves and fish hands it to /bin/sh, but anything "
       "that calls execve directly (Docker, systemd, a program) fails"}]}, swap=False)
script("empty-interpreter", b"#!", b"", b"\necho hi\n", ("errno", "ENOEXEC"),
       {**interp_is(None), "/script/kernel_error": "ENOEXEC", "/script/findings/0/code": "empty-interpreter"})
script("empty-interpreter-at-eof", b"#!", b"", b"  ", ("errno", "EACCES"),
       {**interp_is(""), "/script/kernel_error": "EACCES", "/script/findings/0/code": "empty-interpreter"})
script("missing-interpreter", b"#!", b"/nonexistent/interp", b"\n", ("errno", "ENOENT"),
       {**interp_is("/nonexistent/interp"), "/script/findings/0/code": "interpreter-missing"}, swap=False)
# Boundaries: the interpreter IS /bin/echo, spelled with leading slashes to the wanted length.
path253 = b"/" * 245 + b"bin/echo"
path254 = b"/" * 246 + b"bin/echo"
script("path-253-bytes", b"#!", path253, b"\n", ("args", []),
       {**interp_is(path253.decode()), "/script/kernel_error": None, "/script/findings/0/code": "old-kernel-buffer"})
script("path-254-bytes", b"#!", path254, b"\n", ("errno", "ENOEXEC"),
       {**interp_is(None), "/script/kernel_error": "ENOEXEC", "/script/findings/0/code": "interpreter-path-truncated"})
script("argument-243-bytes", b"#!", b"/bin/echo", b" " + b"b" * 243 + b"\n", ("args", ["b" * 243]),
       {**interp_is("/bin/echo", "b" * 243), "/script/findings/0/code": "old-kernel-buffer"})
script("argument-244-bytes", b"#!", b"/bin/echo", b" " + b"b" * 244 + b"\n", ("args", ["b" * 243]),
       {**interp_is("/bin/echo", "b" * 243), "/script/findings/0/code": "argument-truncated"})
script("old-kernel-buffer", b"#!", b"/opt/" + b"p" * 140, b"\n", ("args", []),
       {**interp_is("/opt/" + "p" * 140), "/script/findings/0/code": "old-kernel-buffer",
        "/script/findings/1/code": "interpreter-missing"})
script("nul-in-line", b"#!", b"/bin/echo", b" a\0b c\n", ("args", ["a"]),
       {**interp_is("/bin/echo", "a"), "/script/findings/0/code": "nul-in-line"})
script("relative-interpreter", b"#!", b"python3", b"\nprint(1)\n", ("errno", "ENOENT"),
       {**interp_is("python3"), "/script/findings": [{"code": "relative-interpreter", "message":
       "the interpreter \"python3\" is not an absolute path: the kernel resolves it against the current "
       "directory of whoever runs the script, so it runs only where \"./python3\" exists (elsewhere execve fails "
       "with ENOENT); write the full path, or \"#!/usr/bin/env python3\" to search PATH"}]}, swap=False)
script("env-needs-S", b"#!", b"/usr/bin/env", b" python3 -u\nprint(1)\n", ("args", ["python3 -u"]),
       {**interp_is("/usr/bin/env", "python3 -u"), "/script/env_command": ["python3 -u"],
        "/script/findings/0/code": "env-needs-S"},
       env={"argument": "python3 -u", "stderr": "'python3 -u': No such file or directory"})
script("env-split", b"#!", b"/usr/bin/env", b" -S python3 -u\nprint(1)\n", ("args", ["-S python3 -u"]),
       {**interp_is("/usr/bin/env", "-S python3 -u"), "/script/env_command": ["python3", "-u"], **NOTHING},
       env={"argument": "-S python3 -u", "words": ["python3", "-u"]})
script("env-split-quotes", b"#!", b"/usr/bin/env", b' -S awk -v OFS=" xyz " -f\nBEGIN {print 1,2}\n',
       ("args", ['-S awk -v OFS=" xyz " -f']),
       {**interp_is("/usr/bin/env", '-S awk -v OFS=" xyz " -f'),
        "/script/env_command": ["awk", "-v", "OFS= xyz ", "-f"], **NOTHING},
       env={"argument": '-S awk -v OFS=" xyz " -f', "words": ["awk", "-v", "OFS= xyz ", "-f"]})
# Only the kernel's part is run here: env itself would start the script again, forever.
script("env-no-command", b"#!", b"/usr/bin/env", b"\n", ("args", []),
       {**interp_is("/usr/bin/env"), "/script/env_command": [], "/script/findings/0/code": "env-no-command"})

# An interpreter that is itself a script: its absolute path is this recipe's directory.
inner = os.path.join(OUT, "scripts", "inner-interpreter")
with open(inner, "wb") as f:
    f.write(b"#!/bin/sh\nexec cat \"$@\"\n")
os.chmod(inner, 0o755)
rows.append(("scripts/inner-interpreter", "python3: b'#!/bin/sh\\nexec cat \"$@\"\\n' (mode 755)",
             {"/format": "script", **interp_is("/bin/sh"), **NOTHING}))
outer = inner.encode()
first = 1 if len(b"#!" + outer) >= 128 else 0  # a long recipe directory adds "old-kernel-buffer"
script("interpreter-is-script", b"#!", outer, b"\nhello\n", ("args", []),
       {**interp_is(inner), f"/script/findings/{first}/code": "interpreter-is-script"})

# Verdict-case files (tests/integration/verdicts/linux.jsonl). A chain of scripts, each naming
# the next by a path inside this recipe's directory taken as a target root (--root <OUT>):
# loop-1 names /bin/sh, loop-N names /scripts/loop-(N-1). The kernel allows 5 rewrites, so
# loop-7 gives ELOOP whether or not the root has /bin/sh: the sixth rewrite comes before
# loop-1's interpreter is opened (exec_binprm; linux-exec.md section 1). A plain env line, and an
# interpreter on a noexec mount of the fixture root tests/fixtures/hosts/root-alpine (/dev/shm).
for n in range(1, 8):
    target = b"/bin/sh" if n == 1 else f"/scripts/loop-{n - 1}".encode()
    path = os.path.join(OUT, "scripts", f"loop-{n}")
    with open(path, "wb") as f:
        f.write(b"#!" + target + b"\necho hi\n")
    os.chmod(path, 0o755)
    rows.append((f"scripts/loop-{n}", f"python3: b'#!{target.decode()}\\necho hi\\n' (mode 755)",
                 {"/format": "script", **interp_is(target.decode())}))
path = os.path.join(OUT, "scripts", "interpreter-on-noexec")
with open(path, "wb") as f:
    f.write(b"#!/dev/shm/interp\necho hi\n")
rows.append(("scripts/interpreter-on-noexec", "python3: b'#!/dev/shm/interp\\necho hi\\n'",
             {"/format": "script", **interp_is("/dev/shm/interp")}))
# Interpreters that are a directory and a file without x bits, inside the root <OUT>.
for name, target in (("interpreter-is-directory", b"/scripts"), ("interpreter-not-executable", b"/scripts/not-executable")):
    with open(os.path.join(OUT, "scripts", name), "wb") as f:
        f.write(b"#!" + target + b"\necho hi\n")
    rows.append((f"scripts/{name}", f"python3: b'#!{target.decode()}\\necho hi\\n'",
                 {"/format": "script", **interp_is(target.decode())}))
# A NUL before the interpreter name: the kernel reads an empty name on a non-empty line (EACCES,
# confirmed by tests/truth), and the NUL is the first thing wrong with the line.
with open(os.path.join(OUT, "scripts", "nul-before-interpreter"), "wb") as f:
    f.write(b"#!\x00/bin/sh\necho hi\n")
rows.append(("scripts/nul-before-interpreter", "python3: b'#!\\x00/bin/sh\\necho hi\\n'",
             {"/format": "script", "/script/kernel_error": "EACCES"}))
# CRLF after an env -S line: env splits off the \r, the script's other lines keep it.
with open(os.path.join(OUT, "scripts", "crlf-env-split"), "wb") as f:
    f.write(b"#!/usr/bin/env -S python3 -u\r\nprint(1)\r\n")
rows.append(("scripts/crlf-env-split", "python3: b'#!/usr/bin/env -S python3 -u\\r\\nprint(1)\\r\\n'",
             {"/format": "script", "/interpreter": "/usr/bin/env"}))
path = os.path.join(OUT, "scripts", "env-python3")
with open(path, "wb") as f:
    f.write(b"#!/usr/bin/env python3\nprint(1)\n")
rows.append(("scripts/env-python3", "python3: b'#!/usr/bin/env python3\\nprint(1)\\n'",
             {"/format": "script", **interp_is("/usr/bin/env", "python3")}))

for file, how, expect in rows:
    print(f"{file}\t{how}\t{json.dumps(expect)}")
PY

while IFS=$'\t' read -r file made_by expect_json; do
  EXPECT=$expect_json
  emit "$file" "$made_by"
done <"$OUT/scripts.tsv"
rm -f "$OUT/scripts.tsv"
# Every script is executable, as it would be where someone tries to run it (the verdict cases
# judge each defect, not the mode); not-executable is the one left at 0644.
chmod 755 "$OUT"/scripts/*
printf '#!/bin/sh\necho hi\n' >"$OUT/scripts/not-executable"
chmod 644 "$OUT/scripts/not-executable"
expect_begin
expect_str /format script
expect_str /interpreter /bin/sh
emit scripts/not-executable "printf '#!/bin/sh\\necho hi\\n'; chmod 644"

# ---------------------------------------------------------------------------------------------
# Impostors: real tools make them, file(1) confirms what they are.

I=$OUT/impostors
mkdir -p "$I"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'hello\n' >"$work/hello.txt"

# impostor FILE KIND FILE_SAYS MADE_BY: FILE must be KIND; `file -b` must contain FILE_SAYS.
impostor() {
  local path=$1 kind=$2 says=$3 made_by=$4
  [[ $(file -b "$path") == *"$says"* ]] || die "$path: file(1) says '$(file -b "$path")', expected '$says'"
  expect_begin
  expect_str /format unknown
  expect_str /kind "$kind"
  emit "$path" "$made_by"
}

: >"$I/empty"
impostor "$I/empty" empty "empty" ": > empty"

gzip -9n <"$work/hello.txt" >"$I/hello.gz"
impostor "$I/hello.gz" gzip "gzip compressed data" "gzip -9n < hello.txt"
bzip2 -9 <"$work/hello.txt" >"$I/hello.bz2"
impostor "$I/hello.bz2" bzip2 "bzip2 compressed data" "bzip2 -9 < hello.txt"
xz <"$work/hello.txt" >"$I/hello.xz"
impostor "$I/hello.xz" xz "XZ compressed data" "xz < hello.txt"
zstd -q <"$work/hello.txt" >"$I/hello.zst"
impostor "$I/hello.zst" zstd "Zstandard compressed data" "zstd < hello.txt"
lz4 -q <"$work/hello.txt" >"$I/hello.lz4"
impostor "$I/hello.lz4" lz4 "LZ4 compressed data" "lz4 < hello.txt"

(cd "$work" && zip -qX "$I/hello.zip" hello.txt)
impostor "$I/hello.zip" zip "Zip archive data" "zip -X hello.zip hello.txt"
(cd "$work" && tar --format=ustar -cf "$I/hello-ustar.tar" hello.txt)
impostor "$I/hello-ustar.tar" tar "POSIX tar archive" "tar --format=ustar -cf hello-ustar.tar hello.txt"
(cd "$work" && tar --format=gnu -cf "$I/hello-gnu.tar" hello.txt)
impostor "$I/hello-gnu.tar" tar "tar archive" "tar --format=gnu -cf hello-gnu.tar hello.txt"
(cd "$work" && ar rcD "$I/libhello.a" hello.txt)
impostor "$I/libhello.a" ar-archive "ar archive" "ar rcD libhello.a hello.txt"

mkdir -p "$work/deb/DEBIAN"
printf 'Package: enoexec-hello\nVersion: 1.0\nArchitecture: all\nMaintainer: enoexec tests <tests@invalid>\nDescription: test package\n' \
  >"$work/deb/DEBIAN/control"
dpkg-deb --root-owner-group -Zxz --build "$work/deb" "$I/hello.deb" >/dev/null
impostor "$I/hello.deb" deb "Debian binary package" "dpkg-deb --root-owner-group -Zxz --build"

printf '<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n' >"$I/error.html"
impostor "$I/error.html" html "HTML document" "printf '<!DOCTYPE html>...'"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code></Error>\n' >"$I/error.xml"
impostor "$I/error.xml" xml "XML" "printf '<?xml ...?><Error>...'"
printf '{"message": "Not Found", "documentation_url": "https://docs.invalid/"}\n' >"$I/error.json"
impostor "$I/error.json" json "JSON" "printf '{\"message\": \"Not Found\", ...}'"
printf '404: Not Found' >"$I/not-found.txt"
impostor "$I/not-found.txt" http-error-text "text" "printf '404: Not Found'"

printf 'version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize 1048576\n' \
  "$(sha256sum "$work/hello.txt" | cut -c1-64)" >"$I/lfs-pointer"
[ "$(head -n1 "$I/lfs-pointer")" = "version https://git-lfs.github.com/spec/v1" ] || die "lfs pointer"
impostor "$I/lfs-pointer" git-lfs-pointer "text" "printf 'version https://git-lfs.github.com/spec/v1\\noid sha256:...\\nsize ...\\n'"

printf '#!/bin/sh\necho hi\n' | iconv -f UTF-8 -t UTF-16 >"$I/utf16-script"
impostor "$I/utf16-script" utf16-text "UTF-16" "printf '#!/bin/sh...' | iconv -t UTF-16"

printf 'print("hello")\n' >"$work/hello.py"
python3 -c 'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)' \
  "$work/hello.py" "$I/hello.pyc"
impostor "$I/hello.pyc" python-bytecode "Byte-compiled Python module" "python3 py_compile hello.py"

if command -v clang >/dev/null 2>&1 && command -v wasm-ld >/dev/null 2>&1; then
  printf 'int add(int a, int b) { return a + b; }\n' >"$work/add.c"
  clang --target=wasm32 -nostdlib -Wl,--no-entry -Wl,--export-all -O2 -o "$I/add.wasm" "$work/add.c"
  impostor "$I/add.wasm" wasm "WebAssembly" "clang --target=wasm32 -nostdlib -Wl,--no-entry -Wl,--export-all -O2"
else
  log "clang/wasm-ld not installed: no wasm sample"
fi

if command -v javac >/dev/null 2>&1; then
  printf 'public class Hello { public static void main(String[] a) { System.out.println("hi"); } }\n' >"$work/Hello.java"
  javac -d "$work" "$work/Hello.java"
  cp "$work/Hello.class" "$I/Hello.class"
  impostor "$I/Hello.class" java-class "compiled Java class data" "javac Hello.java"
else
  log "javac not installed: no Java class sample"
fi

# Impostors are executable too: people chmod +x a download before they run it.
chmod 755 "$I"/*
