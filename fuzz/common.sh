# Shared by fuzz/smoke.sh and fuzz/campaign.sh: the targets, their flags, and their seeds.
# shellcheck shell=bash

# shellcheck disable=SC2034  # used by the scripts that source this file
FUZZ_ALL_TARGETS=(identify inspect elf macho pe script buildinfo codesign image_metadata image_layer)

# The issue's bounds: one second per input, 64 MiB per allocation, 512 MiB per process; a slow
# input or a large allocation is a finding.
# shellcheck disable=SC2034
FUZZ_LIMIT_FLAGS=(-rss_limit_mb=512 -malloc_limit_mb=64 -timeout=1)

# fuzz_max_len TARGET: the largest input libFuzzer makes for TARGET. Larger inputs only make
# each execution slower (the cost is printing reports of thousands of table entries) once they
# cover every window the reader has:
#  identify  4096: it looks at the magic numbers only (identify bytes, docs/limits.md);
#  script    8192: the kernel's 256-byte #! buffer and the 4 KiB text window, with room to
#                  spare; the 64 KiB whole-line bound is covered by the unit tests;
#  buildinfo 16384: a 32-byte header and its varint strings (module lists of a few KiB);
#  codesign  16384: a SuperBlob, its CodeDirectories and the first few hundred page hashes;
#  elf, macho, pe, inspect 16384: the headers and tables of real files start in the first few
#                  KiB, and 16 KiB holds 256 ELF section headers, 400 PE section headers or
#                  hundreds of load commands; larger counts are the named limits' job, which the
#                  generated malformed suite checks at full size.
#  image_metadata 32768: a whole small image archive (umoci's and skopeo's seeds are 8 to 17
#                  KiB: a 512-byte header per member, the JSON documents, a tiny layer), or a
#                  few KiB of JSON documents; 1 MiB documents and 64 platforms are the limits'.
#  image_layer 16384: a layer of a dozen members as a plain tar (13 KiB), or a compressed one
#                  that inflates up to the 8 MiB the harness allows.
fuzz_max_len() {
  case $1 in
    identify) echo 4096 ;;
    script) echo 8192 ;;
    image_metadata) echo 32768 ;;
    *) echo 16384 ;;
  esac
}

# ASan: a small quarantine (the default 256 MiB quarantine of freed blocks was most of the
# 512 MiB RSS limit, and keeping it warm most of the time); allocation stacks stay on so a
# report says where the memory came from. The campaign drops them (malloc_context_size=0, about
# twice the speed) and replays any finding with them on. Options already in ASAN_OPTIONS win.
fuzz_sanitizer_env() {
  local extra=${1:-}
  export ASAN_OPTIONS="quarantine_size_mb=16${extra:+:$extra}${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
}

# fuzz_seed TARGET DIR: put into DIR the seeds for TARGET: the committed regression inputs, and
# the files of samples/ and of build/inputs/ (the integration suite's real binaries, when they
# have been built) in TARGET's format (told by their first bytes), each cut to TARGET's max_len
# (for buildinfo, the window that starts at the build-info magic). The image targets take, from
# build/images/ (tests/integration/images/make_images.sh) instead: image_layer every layer blob
# (gzip, zstd or tar) that fits max_len whole; image_metadata each image's members under 16 KiB
# (its metadata and small layers, the big busybox layer left out) re-archived as a tar (Python's
# tarfile) behind the selector byte 0 (fuzz/fuzz_image_metadata.cpp), when that fits max_len.
# Named by content, so seeding again adds nothing twice. One python3 process: a few hundred
# files in about a second.
fuzz_seed() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  python3 - "$1" "$2" "$(fuzz_max_len "$1")" "$root" <<'PY'
import hashlib, os, sys
target, out, max_len, root = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
GO_MAGIC = b"\xff Go buildinf:"
MACHO = {b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",
         b"\xca\xfe\xba\xbe", b"\xbe\xba\xfe\xca"}

# The LC_CODE_SIGNATURE data of a thin little-endian 64-bit Mach-O file, or None.
def signature_of(data):
    import struct
    if data[:4] != b"\xcf\xfa\xed\xfe" or len(data) < 32:
        return None
    ncmds, = struct.unpack_from("<I", data, 16)
    at = 32
    for _ in range(min(ncmds, 4096)):
        if at + 16 > len(data):
            return None
        cmd, cmdsize = struct.unpack_from("<II", data, at)
        if cmd == 0x1d:
            off, size = struct.unpack_from("<II", data, at + 8)
            return data[off:off + size][:max_len] or None
        if cmdsize < 8:
            return None
        at += cmdsize
    return None

def seed_of(data):
    if target == "buildinfo":
        at = data.find(GO_MAGIC)
        return data[at:at + max_len] if at >= 0 else None
    if target == "codesign":
        return signature_of(data)
    if target.startswith("image_"):
        return data[:max_len]  # only the committed regression inputs come here
    head = data[:4]
    wanted = {
        "identify": True, "inspect": True,
        "elf": head == b"\x7fELF",
        "macho": head in MACHO,
        "pe": head[:2] == b"MZ",
        "script": data.startswith(b"#!") or data.startswith(b"\xef\xbb\xbf#!"),
    }[target]
    return data[:max_len] if wanted else None

# The image targets' seeds from the integration suite's images (build/images/NAME/oci or
# NAME/image.tar[.gz]).
def image_seeds():
    import io, tarfile
    images = os.path.join(root, "build/images")
    if not os.path.isdir(images):
        return
    for name in sorted(os.listdir(images)):
        top = os.path.join(images, name)
        members = []  # (name, bytes) of regular members under 16 KiB
        layout = os.path.join(top, "oci")
        if os.path.isdir(layout):
            for base, _, names in sorted(os.walk(layout)):
                for file in sorted(names):
                    path = os.path.join(base, file)
                    if os.path.isfile(path) and not os.path.islink(path) and os.path.getsize(path) <= 16384:
                        with open(path, "rb") as f:
                            members.append((os.path.relpath(path, layout), f.read()))
        for archive in ("image.tar", "image.tar.gz"):
            path = os.path.join(top, archive)
            if os.path.isfile(path):
                try:
                    with tarfile.open(path) as t:
                        for m in t.getmembers():
                            if m.isfile() and m.size <= 16384:
                                members.append((m.name, t.extractfile(m).read()))
                except (tarfile.TarError, OSError, EOFError):
                    pass
        if target == "image_layer":
            for member, data in members:
                if member.startswith("blobs/") and (data[:2] == b"\x1f\x8b" or data[:4] == b"\x28\xb5\x2f\xfd"
                                                   or data[257:262] == b"ustar"):
                    yield data
        elif members:
            buffer = io.BytesIO()
            with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as t:
                for member, data in members:
                    info = tarfile.TarInfo(member)
                    info.size, info.mtime = len(data), 1704067200
                    t.addfile(info, io.BytesIO(data))
            yield b"\x00" + buffer.getvalue()

os.makedirs(out, exist_ok=True)
if target.startswith("image_"):
    for seed in image_seeds():
        if len(seed) <= max_len:
            with open(os.path.join(out, hashlib.sha1(seed).hexdigest()), "wb") as f:
                f.write(seed)
for top in ("fuzz/regressions/" + target,) + (() if target.startswith("image_") else ("samples", "build/inputs")):
    for base, _, names in sorted(os.walk(os.path.join(root, top))):
        for name in sorted(names):
            if name.endswith((".jsonl", ".log")):
                continue
            path = os.path.join(base, name)
            if not os.path.isfile(path) or os.path.islink(path):
                continue
            with open(path, "rb") as f:
                if target == "codesign" and top.startswith("fuzz/"):
                    seed = f.read(max_len)  # committed regressions are signature data already
                else:
                    whole = target == "buildinfo" or (target == "codesign" and f.read(4) in MACHO)
                    f.seek(0)
                    seed = seed_of(f.read() if whole else f.read(max_len))
            if seed:
                with open(os.path.join(out, hashlib.sha1(seed).hexdigest()), "wb") as f:
                    f.write(seed)
PY
}
