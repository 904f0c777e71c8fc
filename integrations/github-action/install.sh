#!/bin/bash
# install.sh: the "Install enoexec" step of the GitHub Action (action.yml at the repository root).
#
# Downloads the portable static program enoexec-<version>-linux-<arch> and SHA256SUMS from a
# release of this repository, checks the program's line with `sha256sum -c`, installs it as
# <dir>/enoexec and puts <dir> on the PATH of the job's later steps ($GITHUB_PATH).
#
# Environment (the Action sets these from its inputs; every one is optional):
#   ENOEXEC_VERSION      0.1.0, v0.1.0, or "latest" (the repository's latest release, asked of the
#                        REST API at $GITHUB_API_URL). Default: the version the action.yml names.
#   ENOEXEC_REPOSITORY   owner/name holding the releases. Default: the repository the action was
#                        loaded from (from $GITHUB_ACTION_PATH, .../_actions/OWNER/NAME/REF), else
#                        $GITHUB_ACTION_REPOSITORY, else $GITHUB_REPOSITORY (`uses: ./`).
#   ENOEXEC_TOKEN        sent to the REST API (only) for "latest": higher rate limits, private repos.
#   ENOEXEC_RELEASE_URL  where the assets are instead of the release's download URL: an https://
#                        or file:// URL, or a local directory, holding the program and SHA256SUMS
#                        (for tests and mirrors).
#   ENOEXEC_INSTALL_DIR  where to put the program. Default: $RUNNER_TEMP/enoexec/<version>/bin.
#   ENOEXEC_ARCH         amd64 or arm64 instead of the one `uname -m` names.
#
# Outputs ($GITHUB_OUTPUT when set): version, path (the program), source-url (the release's
# sources on GitHub, where SARIF help links point). Exit status 0 when installed, 1 otherwise.
set -euo pipefail

# The version this copy of the Action installs by default; action.yml's `version` input has the
# same default, and tests/integrations checks both against project(VERSION) in CMakeLists.txt.
default_version=0.1.0

die() {
  # ::error:: makes an annotation on GitHub; elsewhere it is a readable prefix.
  echo "::error title=enoexec install::$*" >&2
  exit 1
}

output() {  # NAME VALUE: a step output, when running as a step.
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    printf '%s=%s\n' "$1" "$2" >> "$GITHUB_OUTPUT"
  fi
}

# The architecture, in the release's words.
arch=${ENOEXEC_ARCH:-}
if [ -z "$arch" ]; then
  [ "$(uname -s)" = Linux ] || die "enoexec releases hold Linux programs; this runner runs $(uname -s)"
  case "$(uname -m)" in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) die "no enoexec release for this machine ($(uname -m)); the releases hold amd64 and arm64 programs" ;;
  esac
fi
case "$arch" in
  amd64 | arm64) ;;
  *) die "ENOEXEC_ARCH=$arch: expected amd64 or arm64" ;;
esac

# The repository the releases belong to.
repository=${ENOEXEC_REPOSITORY:-}
if [ -z "$repository" ]; then
  # $GITHUB_ACTION_REPOSITORY is empty in composite actions' steps (actions/runner#2525), but the
  # runner checks an action out into .../_actions/OWNER/NAME/REF.
  case "${GITHUB_ACTION_PATH:-}" in
    */_actions/*/*/*)
      rest=${GITHUB_ACTION_PATH#*/_actions/}
      owner=${rest%%/*}
      rest=${rest#*/}
      repository="$owner/${rest%%/*}"
      ;;
  esac
fi
repository=${repository:-${GITHUB_ACTION_REPOSITORY:-${GITHUB_REPOSITORY:-}}}
if [ -n "$repository" ] && ! [[ "$repository" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]]; then
  die "repository '$repository': expected owner/name"
fi

# fetch URL FILE: copies a URL (https://, file://) or a local path to FILE.
fetch() {
  local url=$1 file=$2
  case "$url" in
    file://*) cp -- "${url#file://}" "$file" ;;
    *://*)
      if command -v curl >/dev/null 2>&1; then
        curl --proto '=https' --proto-redir '=https' --tlsv1.2 -fsSL --retry 3 --retry-delay 2 -o "$file" "$url"
      elif command -v wget >/dev/null 2>&1; then
        wget -q --https-only -O "$file" "$url"
      else
        die "neither curl nor wget is installed"
      fi
      ;;
    *) cp -- "$url" "$file" ;;
  esac
}

# The version: as given, without a leading v; "latest" is asked of the REST API.
version=${ENOEXEC_VERSION:-$default_version}
version=${version#v}
if [ "$version" = latest ]; then
  [ -n "$repository" ] || die "version 'latest' needs the repository (input 'repository')"
  api=${GITHUB_API_URL:-https://api.github.com}
  answer=$(mktemp)
  trap 'rm -f "$answer"' EXIT
  case "$api" in
    https://*)
      # The token goes through curl's configuration on stdin, not its command line.
      if [ -n "${ENOEXEC_TOKEN:-}" ]; then
        printf 'header = "Authorization: Bearer %s"\n' "$ENOEXEC_TOKEN" |
          curl --proto '=https' --tlsv1.2 -fsSL --retry 3 --config - \
            -H 'Accept: application/vnd.github+json' -o "$answer" "$api/repos/$repository/releases/latest" ||
          die "cannot ask $api for the latest release of $repository"
      else
        curl --proto '=https' --tlsv1.2 -fsSL --retry 3 -H 'Accept: application/vnd.github+json' \
          -o "$answer" "$api/repos/$repository/releases/latest" ||
          die "cannot ask $api for the latest release of $repository"
      fi
      ;;
    *) fetch "$api/repos/$repository/releases/latest" "$answer" || die "cannot read $api/repos/$repository/releases/latest" ;;
  esac
  # "tag_name": "v1.2.3" (the first tag_name is the release's own).
  tag=$(sed -n 's/.*"tag_name"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$answer" | head -n 1)
  [ -n "$tag" ] || die "the latest release of $repository names no tag"
  version=${tag#v}
fi
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([.+~-][0-9A-Za-z.+~-]*)?$ ]]; then
  die "version '$version': expected a release version such as $default_version, or latest"
fi

asset="enoexec-$version-linux-$arch"
# The GitHub instance the action runs on (GitHub Enterprise Server has its own).
server=${GITHUB_SERVER_URL:-https://github.com}
server=${server%/}
if [ -n "${ENOEXEC_RELEASE_URL:-}" ]; then
  base=${ENOEXEC_RELEASE_URL%/}
else
  [ -n "$repository" ] || die "cannot tell which repository's releases to use: set the input 'repository' (owner/name)"
  base="$server/$repository/releases/download/v$version"
fi

install_dir=${ENOEXEC_INSTALL_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/enoexec/$version/bin}
work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/enoexec-download.XXXXXX")
trap 'rm -rf "$work" ${answer:+"$answer"}' EXIT

echo "Downloading $asset from $base"
fetch "$base/$asset" "$work/$asset" || die "cannot download $base/$asset"
fetch "$base/SHA256SUMS" "$work/SHA256SUMS" || die "cannot download $base/SHA256SUMS"

# The asset's own line ("HASH  NAME", or "HASH *NAME" in binary mode), exactly one.
awk -v name="$asset" '$2 == name || $2 == "*" name' "$work/SHA256SUMS" > "$work/checksum"
lines=$(wc -l < "$work/checksum")
[ "$lines" -eq 1 ] || die "SHA256SUMS holds $lines lines for $asset, expected 1"
(cd "$work" && sha256sum -c checksum) || die "$asset does not match its SHA-256 in SHA256SUMS"

# Into place under a temporary name; it must run here, and be the version asked for.
mkdir -p -- "$install_dir"
chmod 0755 "$work/$asset"
mv -f -- "$work/$asset" "$install_dir/enoexec.new"
said=$("$install_dir/enoexec.new" --version 2>&1 | head -n 1) || true
case "$said" in
  "enoexec $version" | "enoexec $version "*) ;;
  *)
    rm -f -- "$install_dir/enoexec.new"
    die "$asset does not run here or is another version: --version says '$said', expected 'enoexec $version'"
    ;;
esac
mv -f -- "$install_dir/enoexec.new" "$install_dir/enoexec"
echo "Installed $said as $install_dir/enoexec"

if [ -n "${GITHUB_PATH:-}" ]; then
  printf '%s\n' "$install_dir" >> "$GITHUB_PATH"
fi
output version "$version"
output path "$install_dir/enoexec"
if [ -n "$repository" ]; then
  output source-url "$server/$repository/blob/v$version/"
fi
