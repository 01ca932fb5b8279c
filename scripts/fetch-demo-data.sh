#!/usr/bin/env bash
# Fetches the emoji demo dataset with `npm pack` (no other download) and keeps only what the reader
# needs: package/emoji.json and the 64 px renderings package/img/<vendor>/64/*.png.
#
# usage: scripts/fetch-demo-data.sh [--if-missing] [--dest DIR] [--with-apple] [--with-facebook]
#   --dest DIR       where the data goes (default: $VPTSP_DATA_DIR/demo/emoji, else ./data/demo/emoji)
#   --if-missing     do nothing when the requested vendors are already there
#   --with-apple     also fetch emoji-datasource-apple (image licence not open: opt-in only)
#   --with-facebook  also fetch emoji-datasource-facebook (image licence not open: opt-in only)
# Idempotent: vendors already present are skipped (so --if-missing only makes that explicit;
# without it, a complete copy is also left untouched). Credits: Noto Emoji (Google, Apache-2.0),
# Twemoji (Twitter, CC-BY 4.0).
set -euo pipefail
cd "$(dirname "$0")/.."

version="16.0.0"
if_missing=0
dest=""
vendors=(google twitter)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --if-missing) if_missing=1 ;;
    --dest) [[ $# -ge 2 ]] || { echo "[demo-data] --dest needs a directory" >&2; exit 2; }; dest="$2"; shift ;;
    --dest=*) dest="${1#--dest=}" ;;
    --with-apple) vendors+=(apple) ;;
    --with-facebook) vendors+=(facebook) ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "[demo-data] unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [[ -z "$dest" ]]; then
  if [[ -n "${VPTSP_DATA_DIR:-}" ]]; then dest="$VPTSP_DATA_DIR/demo/emoji"; else dest="./data/demo/emoji"; fi
fi

# A vendor is complete when its folder holds PNGs and the marker written after a full extraction.
have_vendor() { [[ -f "$dest/.complete-$1-$version" && -d "$dest/img/$1/64" ]]; }

missing=()
for v in "${vendors[@]}"; do have_vendor "$v" || missing+=("$v"); done
if [[ ${#missing[@]} -eq 0 && -f "$dest/emoji.json" ]]; then
  echo "[demo-data] already present in $dest (${vendors[*]}); nothing to do"
  exit 0
fi

command -v npm >/dev/null || { echo "[demo-data] npm is required (it is the only download used)" >&2; exit 1; }
command -v tar >/dev/null || { echo "[demo-data] tar is required" >&2; exit 1; }

mkdir -p "$dest"
work="$(mktemp -d "${TMPDIR:-/tmp}/vptsp-emoji.XXXXXX")"
trap 'rm -rf "$work"' EXIT

for v in "${missing[@]}"; do
  pkg="emoji-datasource-$v@$version"
  echo "[demo-data] npm pack $pkg"
  tarball="$(cd "$work" && npm pack --silent "$pkg" | tail -n 1)"
  [[ -f "$work/$tarball" ]] || { echo "[demo-data] npm pack produced no tarball for $pkg" >&2; exit 1; }
  echo "[demo-data] extracting package/img/$v/64 and package/emoji.json"
  mkdir -p "$work/x-$v"
  tar -xzf "$work/$tarball" -C "$work/x-$v" --wildcards "package/img/$v/64/*" "package/emoji.json"
  rm -f "$work/$tarball"
  rm -rf "$dest/img/$v/64"
  mkdir -p "$dest/img/$v"
  mv "$work/x-$v/package/img/$v/64" "$dest/img/$v/64"
  # emoji.json is identical across the vendor packages of one version: keep the first.
  [[ -f "$dest/emoji.json" ]] || mv "$work/x-$v/package/emoji.json" "$dest/emoji.json"
  rm -rf "$work/x-$v"
  touch "$dest/.complete-$v-$version"
  echo "[demo-data] $v: $(find "$dest/img/$v/64" -name '*.png' | wc -l) images"
done

echo "[demo-data] done: $dest (credits: Noto Emoji, Apache-2.0; Twemoji, CC-BY 4.0)"
