#!/usr/bin/env bash
# Builds the GPU check kit's bundle (docs/gpu-check.md) on this machine, for a GPU machine that has no .NET and no internet:
#   .vptsp/gpu-bundle/vptsp-gpu-bundle.tar.xz   (≤ 64 MiB with everything else carried; the script fails above 60 MiB)
#   .vptsp/gpu-bundle/MANIFEST.txt               (what is inside, versions, sizes, sha256)
# Contents of the archive (top folder vptsp-gpu-bundle/):
#   dotnet/        this machine's .NET runtime: the dotnet host, host/fxr and shared/Microsoft.NETCore.App only
#   app/           `vptsp` (VptSp.Cli) and VptSp.Benchmarks, framework-dependent, linux-x64, published into one folder;
#                  WITHOUT libtorch (no libtorch*.so, libc10.so, libgomp…: the GPU machine's torch/lib provides them) and
#                  WITHOUT libLibTorchSharp.so (the shim is chosen at run time: see shim/)
#   shim/shipped/  libLibTorchSharp.so as TorchSharp 0.107.0 ships it (built against libtorch 2.10)
#   shim/src/      TorchSharp's src/Native (LibTorchSharp, C++/CMake) at the 0.107.0 release, to build against the machine's torch
# Usage: scripts/gpu-bundle.sh [--torchsharp-git DIR] [--torchsharp-rev REV]
#   DIR: a git directory of github:dotnet/TorchSharp (default $TORCHSHARP_GIT, else /work/.mirror/dotnet+TorchSharp/repo);
#   REV: tag v0.107.0 when the clone has it, else the given commit (default c20b6a1c: main at "Update release notes (#1565)",
#        the 0.107.0 release notes commit; build/BranchInfo.props there says 0.107.0 and its exported THS* functions match
#        the shipped libLibTorchSharp.so's). Without the TorchSharp git the bundle has no shim sources (GPU mode can then
#        only try the shipped shim).
# Builds run under `flock /tmp/cpu.lock` when flock exists (shared build machines).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$ROOT/.vptsp/gpu-bundle"
STAGE="$ROOT/.vptsp/gpu-bundle-stage"
NAME=vptsp-gpu-bundle
TS_GIT="${TORCHSHARP_GIT:-/work/.mirror/dotnet+TorchSharp/repo}"
TS_REV="${TORCHSHARP_REV:-c20b6a1c}"
LIMIT_MIB=60

while [ $# -gt 0 ]; do
  case "$1" in
    --torchsharp-git) TS_GIT="$2"; shift 2 ;;
    --torchsharp-rev) TS_REV="$2"; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "gpu-bundle: unknown argument $1" >&2; exit 2 ;;
  esac
done

locked() { if command -v flock >/dev/null; then flock /tmp/cpu.lock "$@"; else "$@"; fi; }
say() { echo "gpu-bundle: $*"; }

rm -rf "$STAGE"
trap 'rm -rf "$STAGE"' EXIT
B="$STAGE/$NAME"
mkdir -p "$B/app" "$B/dotnet" "$B/shim/shipped" "$OUT_DIR"

# 1. the apps: framework-dependent, linux-x64 (natives flattened into app/, no other platforms' runtimes/ folders)
for proj in VptSp.Cli VptSp.Benchmarks; do
  say "publishing $proj"
  locked dotnet publish "$ROOT/$proj" -c Release -r linux-x64 --self-contained false -p:UseAppHost=false \
    -p:DebugType=none -o "$B/app" --nologo -v quiet
done

# 2. libtorch out: every file name the CPU libtorch package ships, plus any libtorch*/libc10* left; the shim aside
LIBTORCH_NATIVE="$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/libtorch-cpu-linux-x64/*/runtimes/linux-x64/native 2>/dev/null | sort -V | tail -1)"
[ -n "$LIBTORCH_NATIVE" ] || { echo "gpu-bundle: libtorch-cpu-linux-x64 not in the NuGet cache (restore the solution first)" >&2; exit 1; }
removed=0
for f in "$LIBTORCH_NATIVE"/*; do
  n="$(basename "$f")"
  if [ -e "$B/app/$n" ]; then rm -f "$B/app/$n"; removed=$((removed + 1)); fi
done
rm -f "$B"/app/libtorch*.so* "$B"/app/libc10*.so* "$B"/app/libgomp*.so*
mv "$B/app/libLibTorchSharp.so" "$B/shim/shipped/"
say "removed $removed libtorch files from app/ (CPU libtorch $(basename "$(dirname "$(dirname "$(dirname "$LIBTORCH_NATIVE")")")") stays in the NuGet cache)"

# 3. the .NET runtime of this machine's SDK: Microsoft.NETCore.App only
DOTNET_ROOT_DIR="$(dirname "$(readlink -f "$(command -v dotnet)")")"
RT_VER="$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" && $2 ~ /^10\./ {v=$2} END {print v}')"
[ -n "$RT_VER" ] || { echo "gpu-bundle: no Microsoft.NETCore.App 10.x runtime" >&2; exit 1; }
FXR_VER="$(ls "$DOTNET_ROOT_DIR/host/fxr" | sort -V | tail -1)"
mkdir -p "$B/dotnet/host/fxr" "$B/dotnet/shared/Microsoft.NETCore.App"
cp -a "$DOTNET_ROOT_DIR/dotnet" "$B/dotnet/"
cp -a "$DOTNET_ROOT_DIR/LICENSE.txt" "$DOTNET_ROOT_DIR/ThirdPartyNotices.txt" "$B/dotnet/" 2>/dev/null || true
cp -a "$DOTNET_ROOT_DIR/host/fxr/$FXR_VER" "$B/dotnet/host/fxr/"
cp -a "$DOTNET_ROOT_DIR/shared/Microsoft.NETCore.App/$RT_VER" "$B/dotnet/shared/Microsoft.NETCore.App/"
say "runtime Microsoft.NETCore.App $RT_VER (hostfxr $FXR_VER) from $DOTNET_ROOT_DIR"

# 4. the shim's sources at the 0.107.0 release
SRC_NOTE="none (no TorchSharp git at $TS_GIT)"
if [ -d "$TS_GIT" ]; then
  rev="$TS_REV"
  if git -C "$TS_GIT" rev-parse -q --verify "refs/tags/v0.107.0" >/dev/null; then rev=v0.107.0; fi
  ver="$(git -C "$TS_GIT" show "$rev:build/BranchInfo.props" | sed -n 's/.*<\(Major\|Minor\|Patch\)Version>\([0-9]*\)<.*/\2/p' | paste -sd.)"
  [ "$ver" = "0.107.0" ] || { echo "gpu-bundle: $rev of $TS_GIT is TorchSharp $ver, not 0.107.0" >&2; exit 1; }
  mkdir -p "$B/shim/src"
  git -C "$TS_GIT" archive "$rev" src/Native | tar -x -C "$B/shim/src" --strip-components=2
  SRC_NOTE="github:dotnet/TorchSharp $rev ($(git -C "$TS_GIT" rev-parse "$rev^{commit}")) src/Native, version $ver"
  say "shim sources: $SRC_NOTE"
fi

# 5. one compressed archive + manifest
cat > "$B/BUNDLE.txt" <<EOF
VptSp GPU check bundle, made $(date -u +%Y-%m-%dT%H:%MZ) from $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . ':!.vptsp' || echo '+local changes')
runtime: Microsoft.NETCore.App $RT_VER, hostfxr $FXR_VER
apps: vptsp.dll (VptSp.Cli), VptSp.Benchmarks.dll; TorchSharp $(basename "$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/torchsharp/0.107.*/ | tail -1)") managed
shim/shipped: libLibTorchSharp.so of TorchSharp 0.107.0 (libtorch 2.10); shim/src: $SRC_NOTE
EOF
say "compressing (xz)"
rm -f "$OUT_DIR/$NAME.tar.xz"
tar -C "$STAGE" --hard-dereference -cf - "$NAME" | xz -T2 -9 > "$OUT_DIR/$NAME.tar.xz"
unpacked_kib="$(du -sk --apparent-size "$B" | cut -f1)"
size=$(stat -c %s "$OUT_DIR/$NAME.tar.xz")
{
  cat "$B/BUNDLE.txt"
  echo "archive: $NAME.tar.xz  $size bytes ($((size / 1048576)) MiB; unpacked $((unpacked_kib / 1024)) MiB)  sha256 $(sha256sum "$OUT_DIR/$NAME.tar.xz" | cut -d' ' -f1)"
  echo "largest parts (unpacked MiB):"
  (cd "$B" && du -sm dotnet app shim/shipped shim/src 2>/dev/null | sed 's/^/  /')
} > "$OUT_DIR/MANIFEST.txt"
cat "$OUT_DIR/MANIFEST.txt"
mib=$(( (size + 1048575) / 1048576 ))
if [ "$mib" -gt "$LIMIT_MIB" ]; then
  echo "gpu-bundle: archive is $mib MiB, over the $LIMIT_MIB MiB budget (64 MiB carried in all)" >&2
  exit 1
fi
say "bundle size: $mib MiB (of 64 MiB the GPU machine receives)"
