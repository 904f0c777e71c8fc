# macho_signature.py FILE [SLICE_OFFSET SLICE_SIZE]: the integration inputs' independent
# code-signature verifier, shared by macho.sh and npm-darwin.sh: a few lines of hashlib, nothing
# of enoexec. It recomputes what the kernel checks: every CodeDirectory's page hashes (page i covers slice bytes [i * page_size,
# min((i + 1) * page_size, code_limit)), its hash at CD + hashOffset + i * hashSize) and the
# special slots whose blob is in the file (2 requirements, 5 and 7 entitlements, 8-11 launch
# constraints: slot k at CD + hashOffset - k * hashSize hashes the SuperBlob's blob of type k as
# stored; all zeros means absent). Prints JSON: valid (null without LC_CODE_SIGNATURE), bad_pages
# [{code_directory, page, offset}] with absolute file offsets, bad_special_slots, unchecked
# (non-zero slots only Apple's tools can check, and a non-empty CMS blob), code_directories in
# SuperBlob order (each with its own valid), and error when the signature cannot be read at all
# (valid false). The verdict on a structure it does not follow is that error, never a guess.
import hashlib, json, struct, sys
data = open(sys.argv[1], "rb").read()
base = int(sys.argv[2]) if len(sys.argv) > 2 else 0
macho = data[base:base + int(sys.argv[3])] if len(sys.argv) > 3 else data
ALGOS = {1: ("sha1", hashlib.sha1), 2: ("sha256", hashlib.sha256),
         3: ("sha256-truncated", hashlib.sha256), 4: ("sha384", hashlib.sha384)}
CHECKABLE = {2, 5, 7, 8, 9, 10, 11}
UNCHECKED = {1: "info-plist", 3: "resource-dir", 4: "application", 6: "rep-specific"}
def structure(message):
    print(json.dumps({"valid": False, "error": message}))
    sys.exit(0)
if macho[:4] not in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"):
    sys.exit("verify_signature: a little-endian thin Mach-O slice expected")
ncmds, = struct.unpack_from("<I", macho, 16)
at, sig = (32 if macho[0] == 0xcf else 28), None
for _ in range(ncmds):
    cmd, size = struct.unpack_from("<II", macho, at)
    if cmd == 0x1d:
        sig = struct.unpack_from("<II", macho, at + 8)
    at += size
if sig is None:
    print(json.dumps({"valid": None}))
    sys.exit(0)
off, size = sig
sb = macho[off:off + size]
if len(sb) < size:
    structure(f"the signature ({size} bytes at {off}) is cut after {len(sb)} bytes")
magic, _, count = struct.unpack_from(">III", sb, 0)
if magic != 0xfade0cc0 or 12 + 8 * count > size:
    structure("no SuperBlob")
blobs = []  # (type, bytes as stored) in index order
for i in range(count):
    typ, boff = struct.unpack_from(">II", sb, 12 + 8 * i)
    blen, = struct.unpack_from(">I", sb, boff + 4) if boff + 8 <= size else (size + 1,)
    if boff + blen > size:
        structure(f"blob {typ:#x} does not fit in the SuperBlob")
    blobs.append((typ, sb[boff:boff + blen]))
by_type = {}
for typ, blob in blobs:
    by_type.setdefault(typ, blob)
out = {"valid": True, "bad_pages": [], "bad_special_slots": [], "unchecked": [], "code_directories": []}
if len(by_type.get(0x10000, b"")) > 8:
    out["unchecked"].append("cms-signature")
for typ, cd in blobs:
    if typ != 0 and not 0x1000 <= typ <= 0x1004:
        continue
    ver, _, hoff, _, nspecial, ncode, limit = struct.unpack_from(">IIIIIII", cd, 8)
    hsize, htype, pshift = cd[36], cd[37], cd[39]
    if ver >= 0x20300 and struct.unpack_from(">Q", cd, 56)[0]:
        limit, = struct.unpack_from(">Q", cd, 56)
    name, algo = ALGOS[htype]
    page = 1 << pshift
    if hoff < nspecial * hsize or hoff + ncode * hsize > len(cd) or limit > len(macho) or ncode != -(-limit // page):
        structure(f"CodeDirectory {typ:#x}: hashes or code limit out of range")
    bad = [i for i in range(ncode)
           if algo(macho[i * page:min((i + 1) * page, limit)]).digest()[:hsize] != cd[hoff + i * hsize:hoff + (i + 1) * hsize]]
    out["bad_pages"] += [{"code_directory": name, "page": i, "offset": base + i * page} for i in bad]
    slots_before = len(out["bad_special_slots"])
    for k in range(1, nspecial + 1):
        want = cd[hoff - k * hsize:hoff - (k - 1) * hsize]
        if want == bytes(hsize):
            continue
        if k in UNCHECKED:
            out["unchecked"].append(UNCHECKED[k])
        elif k in CHECKABLE and (k not in by_type or algo(by_type[k]).digest()[:hsize] != want):
            out["bad_special_slots"].append({"code_directory": name, "slot": k})
    out["code_directories"].append({"slot": typ, "hash_type": name, "page_size": page, "code_limit": limit,
                                    "pages": ncode, "special_slots": nspecial, "bad_pages": len(bad),
                                    "valid": not bad and len(out["bad_special_slots"]) == slots_before})
out["unchecked"] = sorted(set(out["unchecked"]), key=out["unchecked"].index)
out["valid"] = not out["bad_pages"] and not out["bad_special_slots"]
print(json.dumps(out))
