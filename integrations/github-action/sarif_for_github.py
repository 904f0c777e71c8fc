#!/usr/bin/env python3
"""sarif_for_github.py SARIF_FILE SOURCE_ROOT [SOURCE_URL]: adapts `enoexec scan --sarif` for
GitHub code scanning, in place.

`enoexec scan --sarif` names each file relative to the root it was found under (uriBaseId
SCANROOT, SCANROOT2, ... with runs[].originalUriBaseIds giving each root as a file:// URI) and
links each rule to docs/rules.md by a reference relative to the enoexec repository
(docs/json.md#sarif). Code scanning does neither: it ignores originalUriBaseIds and reads a
relative uri as relative to the root of the repository analysed, and the upload validates
rules[].helpUri as an absolute URI. So:

  - every artifactLocation with a uriBaseId is resolved against its base; one inside SOURCE_ROOT
    (the checkout, $GITHUB_WORKSPACE) becomes relative to it, one outside stays an absolute
    file:// URI; the uriBaseId is dropped. originalUriBaseIds is left as it is.
  - a relative helpUri is joined to SOURCE_URL (the enoexec sources of the release, ending in /);
    without SOURCE_URL it is removed.

Exit status 0 when the file was rewritten, 1 when it is not a SARIF log, 2 on usage errors.
"""

import json
import os
import posixpath
import sys
import urllib.parse


def encode_path(raw: bytes) -> str:
    # RFC 3986 path characters: unreserved ones as they are, '/' as a separator, the rest (':' too,
    # so no first segment reads as a scheme) percent-encoded.
    return urllib.parse.quote(raw, safe="/")


def file_uri_path(uri: str):
    """The path bytes of a file:///... URI, or None."""
    parts = urllib.parse.urlsplit(uri)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    return urllib.parse.unquote_to_bytes(parts.path)


class Rewriter:
    def __init__(self, roots, source_url):
        self.roots = roots  # normalized absolute paths (bytes) the checkout is known by
        self.source_url = source_url

    def location(self, loc: dict, bases: dict) -> None:
        base_id = loc.get("uriBaseId")
        uri = loc.get("uri")
        if not isinstance(base_id, str) or not isinstance(uri, str) or base_id not in bases:
            return
        base_path = file_uri_path(bases[base_id])
        if base_path is None:
            return
        rel = urllib.parse.unquote_to_bytes(uri)
        path = posixpath.normpath(posixpath.join(base_path, rel))
        for root in self.roots:
            prefix = root if root.endswith(b"/") else root + b"/"
            if path.startswith(prefix) and len(path) > len(prefix):
                loc["uri"] = encode_path(path[len(prefix):])
                break
        else:
            loc["uri"] = "file://" + encode_path(path)
        del loc["uriBaseId"]

    def walk(self, node, bases: dict) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "originalUriBaseIds":
                    continue
                if key in ("artifactLocation", "location") and isinstance(value, dict):
                    self.location(value, bases)
                self.walk(value, bases)
        elif isinstance(node, list):
            for item in node:
                self.walk(item, bases)

    def rules(self, run: dict) -> None:
        driver = run.get("tool", {}).get("driver", {})
        for rule in driver.get("rules", []) or []:
            help_uri = rule.get("helpUri")
            if not isinstance(help_uri, str) or urllib.parse.urlsplit(help_uri).scheme:
                continue
            if self.source_url:
                rule["helpUri"] = urllib.parse.urljoin(self.source_url, help_uri)
            else:
                del rule["helpUri"]

    def log(self, sarif: dict) -> None:
        for run in sarif.get("runs", []):
            bases = {}
            for name, value in (run.get("originalUriBaseIds") or {}).items():
                if isinstance(value, dict) and isinstance(value.get("uri"), str):
                    bases[name] = value["uri"]
            self.walk(run, bases)
            self.rules(run)


def main(argv) -> int:
    if len(argv) not in (3, 4):
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    sarif_file, source_root = argv[1], argv[2]
    source_url = argv[3] if len(argv) == 4 else ""
    if source_url and not source_url.endswith("/"):
        source_url += "/"
    try:
        with open(sarif_file, encoding="utf-8") as f:
            sarif = json.load(f)
    except (OSError, ValueError) as e:
        print(f"sarif_for_github.py: {sarif_file}: {e}", file=sys.stderr)
        return 1
    if not isinstance(sarif, dict) or sarif.get("version") != "2.1.0":
        print(f"sarif_for_github.py: {sarif_file}: not a SARIF 2.1.0 log", file=sys.stderr)
        return 1
    roots = []
    for root in (os.path.abspath(source_root), os.path.realpath(source_root)):
        root = posixpath.normpath(os.fsencode(root))
        if root not in roots:
            roots.append(root)
    Rewriter(roots, source_url).log(sarif)
    tmp = sarif_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(sarif, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, sarif_file)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
