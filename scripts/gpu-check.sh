#!/usr/bin/env bash
# The GPU check kit (docs/gpu-check.md): runs VptSp's CUDA path on a machine that has a GPU, Python + PyTorch (whose torch/lib
# holds libtorch, libc10, libtorch_cuda), CMake, ninja and nvcc, but no .NET and no internet, from the bundle that
# scripts/gpu-bundle.sh makes here (.vptsp/gpu-bundle/, carried along with the working tree).
#
#   bash scripts/gpu-check.sh          GPU mode: torch/lib from python3's torch; every check must run on CUDA
#   bash scripts/gpu-check.sh --cpu    the same checks through the same bundle on the CPU, with the CPU libtorch of the NuGet cache
#
# Options: --bundle FILE (default .vptsp/gpu-bundle/vptsp-gpu-bundle.tar.xz), --shim auto|shipped|build (auto: the shim
# TorchSharp 0.107.0 ships when it resolves against the machine's libtorch and names CUDA, else one built earlier on such a
# machine and carried in .vptsp/gpu-shim/ (or $VPTSP_GPU_SHIM), else build it; a build is copied to <report>/shim-built/
# so that a later run can carry it instead of building again), --no-speed,
# --keep (leave the unpacked work folder). Environment: VPTSP_PYTHON (python3), OUT (report folder; else .vptsp/gpu-report/),
# VPTSP_GPU_WORK (work folder; default a fresh one under /tmp), VPTSP_SPEED ("vit:batch …" pairs to time),
# VPTSP_CHECK_BUDGET_S (570: the device tool stops a command at 600 s; later checks are SKIPped when time runs short and a
# shim build gets what is left, so the report is always complete).
#
# Each check prints one line, PASS / FAIL / SKIP (INFO for facts) with its numbers, appended to the report file
# ($OUT or .vptsp/gpu-report/gpu-check-<mode>-<time>.txt); each check's full output goes to the .logs folder beside it.
# Exit status: 0 when nothing failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE=gpu
BUNDLE="$ROOT/.vptsp/gpu-bundle/vptsp-gpu-bundle.tar.xz"
SHIM_CHOICE=auto
SPEED=1
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) MODE=cpu; shift ;;
    --bundle) BUNDLE="$2"; shift 2 ;;
    --shim) SHIM_CHOICE="$2"; shift 2 ;;
    --no-speed) SPEED=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown argument $1" >&2; exit 2 ;;
  esac
done

START=$(date +%s)
BUDGET="${VPTSP_CHECK_BUDGET_S:-570}"
remaining() { echo $(( BUDGET - ($(date +%s) - START) )); }
REPORT_DIR="${OUT:-$ROOT/.vptsp/gpu-report}"
REPORT="$REPORT_DIR/gpu-check-$MODE-$(date -u +%Y%m%dT%H%M%SZ).txt"
LOGS="${REPORT%.txt}.logs"
mkdir -p "$LOGS"
PASSES=0 FAILS=0 SKIPS=0

line() {   # line STATUS CHECK DETAILS…
  local status="$1" check="$2"; shift 2
  local text
  text="$(printf '%-4s %-18s %s' "$status" "$check" "$*")"
  echo "$text"
  echo "$text" >> "$REPORT"
  case "$status" in PASS) PASSES=$((PASSES + 1)) ;; FAIL) FAILS=$((FAILS + 1)) ;; SKIP) SKIPS=$((SKIPS + 1)) ;; esac
}
finish() {
  local took=$(( $(date +%s) - START ))
  local summary="gpu-check ($MODE): $PASSES PASS, $FAILS FAIL, $SKIPS SKIP in ${took} s; report $REPORT"
  echo "$summary" | tee -a "$REPORT"
  if [ "$KEEP" = 0 ] && [ -n "${WORK:-}" ] && [ -d "$WORK" ]; then rm -rf "$WORK"; fi
  [ "$FAILS" = 0 ]
  exit $?
}
first_error() { { grep -m1 -iE 'error|exception|fail|abort|undefined|not found' "$1" || grep -m1 . "$1"; } 2>/dev/null | cut -c1-220; }

echo "gpu-check ($MODE) $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname), $(nproc) cores, repo $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" | tee "$REPORT"

# --- 1. the bundle ---------------------------------------------------------------------------------------------------------
if [ ! -f "$BUNDLE" ]; then
  line FAIL bundle "$BUNDLE not found: run scripts/gpu-bundle.sh on a machine with .NET and carry .vptsp/gpu-bundle"
  finish
fi
WORK="${VPTSP_GPU_WORK:-$(mktemp -d /tmp/vptsp-gpu-check.XXXXXX)}"
mkdir -p "$WORK"
if command -v xz >/dev/null; then
  tar -C "$WORK" -xJf "$BUNDLE"
else
  "${VPTSP_PYTHON:-python3}" -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$BUNDLE" "$WORK"
fi
B="$WORK/vptsp-gpu-bundle"
if [ ! -x "$B/dotnet/dotnet" ]; then line FAIL bundle "unpacking $BUNDLE gave no dotnet/dotnet"; finish; fi
line PASS bundle "$(( $(stat -c %s "$BUNDLE") / 1048576 )) MiB archive, $(du -sm "$B" | cut -f1) MiB unpacked; $(sed -n 2p "$B/BUNDLE.txt")"
export DOTNET_ROOT="$B/dotnet" DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export VPTSP_DATA_DIR="$WORK/vptsp-data"
DOTNET="$B/dotnet/dotnet"
bench() { local secs="$1"; shift; (cd "$ROOT" && timeout "$secs" "$DOTNET" "$B/app/VptSp.Benchmarks.dll" "$@"); }   # bench SECONDS NAME

# --- 2. libtorch: python's torch (GPU) or the NuGet cache's CPU libtorch (--cpu) -------------------------------------------
PY="${VPTSP_PYTHON:-python3}"
TORCH_PY=""   # a python that imports torch (PyTorch side of the speed check)
if "$PY" -c 'import torch' >/dev/null 2>&1; then TORCH_PY="$PY"; fi
if [ "$MODE" = gpu ]; then
  if [ -z "$TORCH_PY" ]; then line FAIL torch "$PY cannot import torch (set VPTSP_PYTHON)"; finish; fi
  TORCH_LIB="$("$PY" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')"
  TORCH_CMAKE="$("$PY" -c 'import torch; print(torch.utils.cmake_prefix_path)')"
  facts="$("$PY" -c 'import torch; c = torch.cuda.is_available(); print(f"torch {torch.__version__}, CUDA {torch.version.cuda}, cuda.is_available {c}" + (f", {torch.cuda.get_device_name(0)}" if c else ""))' 2>&1 | tail -1)"
  case "$facts" in *"is_available True"*) line PASS torch "$facts; lib $TORCH_LIB" ;; *) line FAIL torch "$facts" ;; esac
  if command -v nvidia-smi >/dev/null; then
    line INFO nvidia-smi "$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)"
  fi
  DEVICE_ARG=(--gpu 0)
  DEVICE=cuda
else
  TORCH_LIB="$(ls -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/libtorch-cpu-linux-x64/*/runtimes/linux-x64/native 2>/dev/null | sort -V | tail -1)"
  if [ -z "$TORCH_LIB" ]; then line FAIL torch "--cpu: libtorch-cpu-linux-x64 not in the NuGet cache"; finish; fi
  line PASS torch "--cpu: CPU libtorch $(echo "$TORCH_LIB" | sed -E 's|.*/libtorch-cpu-linux-x64/([^/]+)/.*|\1|') from the NuGet cache${TORCH_PY:+; python torch $("$TORCH_PY" -c 'import torch; print(torch.__version__)')}"
  DEVICE_ARG=()
  DEVICE=cpu
fi

# TorchSharp falls back to copying libtorch out of a NuGet cache into app/ when LD_LIBRARY_PATH does not serve it (475 MiB
# for the CPU one, and not what is being checked): point its NuGet probe at nothing, so only LD_LIBRARY_PATH counts.
export NUGET_PACKAGES="$WORK/no-nuget-cache"

# --- 3. the native shim (libLibTorchSharp.so): the shipped one if it resolves and names the device, else built here -------
unresolved() {   # unresolved DIR: missing libraries / undefined symbols of DIR/libLibTorchSharp.so against TORCH_LIB
  LD_LIBRARY_PATH="$1:$TORCH_LIB" ldd -r "$1/libLibTorchSharp.so" 2>&1 | grep -E 'not found|undefined symbol' | grep -v 'libtorch_python\|libshm' || true
}
dl_error() {     # dl_error DIR: what dlopen says about libtorch_cuda.so (GPU) and the shim, in python's words (TorchSharp's trace has none)
  local py="${TORCH_PY:-$(command -v python3)}" libs=()
  [ -n "$py" ] || return 0
  [ "$DEVICE" = cuda ] && libs+=("$TORCH_LIB/libtorch_cuda.so")
  libs+=("$1/libLibTorchSharp.so")
  LD_LIBRARY_PATH="$1:$TORCH_LIB" "$py" -c 'import ctypes, sys
for lib in sys.argv[1:]:
    try: ctypes.CDLL(lib)
    except OSError as e: print(f"; dlopen: {e}"[:260]); break' "${libs[@]}" 2>&1 | head -1
}
try_shim() {     # try_shim DIR NAME: 0 when vptsp info runs with it and names the device
  local dir="$1" name="$2" missing
  missing="$(unresolved "$dir")"
  echo "$missing" > "$LOGS/shim-$name-ldd.log"
  if [ -n "$missing" ]; then
    line INFO "shim-$name" "does not resolve against $TORCH_LIB: $(echo "$missing" | wc -l) missing ($(echo "$missing" | head -1 | sed -E 's/^[[:space:]]+//' | cut -c1-120)); $(basename "$LOGS")/shim-$name-ldd.log"
    return 1
  fi
  export LD_LIBRARY_PATH="$dir:$TORCH_LIB${LD_LIBRARY_PATH_BASE:+:$LD_LIBRARY_PATH_BASE}"
  if ! timeout 120 "$DOTNET" "$B/app/vptsp.dll" info "${DEVICE_ARG[@]}" --verbose > "$LOGS/info-$name.log" 2>&1; then
    line INFO "shim-$name" "resolves, but vptsp info fails: $(first_error "$LOGS/info-$name.log")$(dl_error "$dir")"
    return 1
  fi
  if ! grep -q "^device *$DEVICE" "$LOGS/info-$name.log"; then
    local why=""
    if [ "$DEVICE" = cuda ] && [ -f "$TORCH_LIB/libtorch_cuda.so" ]; then
      why="; libtorch_cuda.so: $(LD_LIBRARY_PATH="$TORCH_LIB" ldd -r "$TORCH_LIB/libtorch_cuda.so" 2>&1 | grep -cE 'not found|undefined symbol') unresolved"
    elif [ "$DEVICE" = cuda ]; then why="; no libtorch_cuda.so in $TORCH_LIB"; fi
    line INFO "shim-$name" "loads, but the device is '$(grep '^device' "$LOGS/info-$name.log" | sed 's/^device *//')', not $DEVICE$why"
    return 1
  fi
  return 0
}
build_shim() {   # CMake/ninja against the machine's torch, all cores; drops -Werror (newer torch headers warn)
  local src="$B/shim/src" build="$WORK/shim-build"
  [ -f "$src/CMakeLists.txt" ] || { line FAIL shim-build "the bundle has no shim sources (shim/src)"; return 1; }
  command -v cmake >/dev/null || { line FAIL shim-build "no cmake"; return 1; }
  sed -i 's/^\( *\)add_definitions(-Werror)/\1# add_definitions(-Werror)  (dropped by gpu-check.sh)/' "$src/CMakeLists.txt"
  local gen=() t0=$(date +%s)
  command -v ninja >/dev/null && gen=(-G Ninja)
  # torch's CMake config otherwise detects the GPU's architecture by compiling and running a probe; H100 and H200 are 9.0
  export TORCH_CUDA_ARCH_LIST="${TORCH_CUDA_ARCH_LIST:-9.0}"
  if cmake -S "$src" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DCMAKE_POLICY_VERSION_MINIMUM=3.5 \
       -DCMAKE_PREFIX_PATH="$TORCH_CMAKE" -DLIBTORCH_PATH="$TORCH_CMAKE/Torch" -DCMAKE_CXX_FLAGS="-Wno-deprecated-declarations" \
       > "$LOGS/shim-build.log" 2>&1 \
     && timeout "$(( $(remaining) > 150 ? $(remaining) - 120 : 30 ))" cmake --build "$build" -j "$(nproc)" >> "$LOGS/shim-build.log" 2>&1 \
     && [ -f "$build/LibTorchSharp/libLibTorchSharp.so" ]; then
    mkdir -p "$WORK/shim-built" "$REPORT_DIR/shim-built" && cp "$build/LibTorchSharp/libLibTorchSharp.so" "$WORK/shim-built/"
    cp "$build/LibTorchSharp/libLibTorchSharp.so" "$REPORT_DIR/shim-built/"
    line PASS shim-build "built against $TORCH_CMAKE in $(( $(date +%s) - t0 )) s ($(nproc) jobs); a copy is in $REPORT_DIR/shim-built/ (carry it as .vptsp/gpu-shim/ next time)"
    return 0
  fi
  line FAIL shim-build "CMake build failed after $(( $(date +%s) - t0 )) s: $(grep -m1 -E 'error|Error' "$LOGS/shim-build.log" | cut -c1-200); $(basename "$LOGS")/shim-build.log"
  return 1
}

LD_LIBRARY_PATH_BASE="${LD_LIBRARY_PATH:-}"
PREBUILT="${VPTSP_GPU_SHIM:-$ROOT/.vptsp/gpu-shim}"
SHIM=""
if [ "$SHIM_CHOICE" != build ] && try_shim "$B/shim/shipped" shipped; then
  SHIM=shipped
  line PASS shim "TorchSharp 0.107.0's shipped libLibTorchSharp.so (built for libtorch 2.10) resolves against $TORCH_LIB and runs"
elif [ "$SHIM_CHOICE" = shipped ]; then
  line FAIL shim "the shipped libLibTorchSharp.so does not work here (--shim shipped)"
elif [ "$MODE" = cpu ]; then
  line FAIL shim "--cpu: the shipped shim does not load with the NuGet CPU libtorch (see $(basename "$LOGS")/info-shipped.log)"
elif [ "$SHIM_CHOICE" = auto ] && [ -f "$PREBUILT/libLibTorchSharp.so" ] && try_shim "$PREBUILT" prebuilt; then
  SHIM=prebuilt
  line PASS shim "libLibTorchSharp.so built earlier against this torch, carried in $PREBUILT, runs against $TORCH_LIB"
elif build_shim && try_shim "$WORK/shim-built" built; then
  SHIM=built
  line PASS shim "libLibTorchSharp.so built here from TorchSharp 0.107.0's src/Native runs against $TORCH_LIB"
else
  line FAIL shim "neither the shipped nor a built libLibTorchSharp.so runs against $TORCH_LIB"
fi
if [ "$MODE" = cpu ]; then
  line SKIP shim-build "--cpu: the NuGet CPU libtorch has no headers or CMake config; GPU mode builds $(ls "$B/shim/src/LibTorchSharp"/*.cpp 2>/dev/null | wc -l) sources of shim/src when the shipped shim does not resolve (cmake $(command -v cmake >/dev/null && echo present || echo absent) here)"
fi
if [ -z "$SHIM" ]; then finish; fi

# --- 4. vptsp info names the device ----------------------------------------------------------------------------------------
dev_line="$(grep '^device' "$LOGS/info-$SHIM.log" | sed 's/^device *//')"
line PASS info "device $dev_line; bf16 matmul $(grep '^bf16 matmul' "$LOGS/info-$SHIM.log" | awk '{print $3}'); threads $(grep '^threads' "$LOGS/info-$SHIM.log" | awk '{print $2}'); TorchSharp $(grep '^TorchSharp' "$LOGS/info-$SHIM.log" | awk '{print $2}')"

# --- 5. reference-parity trajectories in fp32 on the device ----------------------------------------------------------------
VPTSP_DEVICE=$DEVICE VPTSP_PARITY_FIXTURES="$ROOT/VptSp.Tests.Support/Fixtures/ReferenceParity" bench 300 device-parity > "$LOGS/parity.log" 2>&1
r="$(grep '^RESULT device-parity' "$LOGS/parity.log" | tail -1)"
if [ -z "$r" ]; then line FAIL parity "no result: $(first_error "$LOGS/parity.log")"
else line "$(echo "$r" | awk '{print $3}')" parity "$(echo "$r" | cut -d' ' -f4-)"; fi

# --- 6. tiny VPTSP-G training, mix_precision and bf16, each ending in evaluation -------------------------------------------
DATA="$WORK/data"
VPTSP_SYNTH_DIR="$DATA" VPTSP_SYNTH_CONFIG="$WORK/tiny.yaml" VPTSP_SYNTH_CLASSES=8 VPTSP_SYNTH_IMAGES=8 \
  bench 120 synthetic-data > "$LOGS/data.log" 2>&1
if ! grep -q '^RESULT synthetic-data PASS' "$LOGS/data.log"; then line FAIL data "$(first_error "$LOGS/data.log")"; finish; fi
train_check() {   # train_check NAME KEY=VALUE
  local name="$1" set="$2" log="$LOGS/train-$1.log" t0=$(date +%s)
  if [ "$(remaining)" -lt 30 ]; then line SKIP "train-$name" "out of time"; return; fi
  timeout 300 "$DOTNET" "$B/app/vptsp.dll" train --source_path "$DATA" --config "$WORK/tiny.yaml" --set "$set" \
    "${DEVICE_ARG[@]}" --output "$WORK/runs/$name" --verbose > "$log" 2>&1
  local rc=$? took=$(( $(date +%s) - t0 ))
  local facts epoch
  facts="$(grep -m1 ' on vit_test_patch8_32 (' "$log" | sed -E 's/.* on vit_test_patch8_32 \(([^)]*)\).*/\1/')"
  epoch="$(grep '^epoch ' "$log" | tail -1 | sed -E 's/ +\[.*//; s/  +/ /g')"
  local note=""
  if [ "$MODE" = cpu ] && [ "$name" = mix ]; then note=" (mix_precision is CUDA fp16 autocast: on the CPU the run is fp32)"; fi
  if [ $rc -ne 0 ]; then line FAIL "train-$name" "$set: exit $rc after ${took} s: $(first_error "$log")"
  elif [ -z "$epoch" ] || ! echo "$epoch" | grep -q 'recall'; then line FAIL "train-$name" "$set: no evaluation line in $log"
  elif [ "$MODE" = gpu ] && [[ "$facts" != cuda* ]]; then line FAIL "train-$name" "$set: ran on '$facts', not CUDA"
  else line PASS "train-$name" "$set on $facts, ${took} s: $epoch$note"; fi
}
train_check mix mix_precision=true
train_check bf16 bf16=true

# --- 7. vptsp embed of the trained run, then nearest-neighbour search over the embeddings ----------------------------------
if [ -d "$WORK/runs/bf16" ]; then
  if timeout 300 "$DOTNET" "$B/app/vptsp.dll" embed --run "$WORK/runs/bf16" --output "$WORK/emb.csv" "$DATA" --verbose > "$LOGS/embed.log" 2>&1; then
    if [ -n "$TORCH_PY$(command -v python3)" ]; then
      search="$("${TORCH_PY:-python3}" - "$WORK/emb.csv" <<'EOF'
import csv, sys
rows = [(r[1], [float(v) for v in r[2:]]) for r in csv.reader(open(sys.argv[1]))]
hits = 0
for i, (label, e) in enumerate(rows):
    best = max((sum(a * b for a, b in zip(e, f)), j) for j, (_, f) in enumerate(rows) if j != i)[1]
    hits += rows[best][0] == label
classes = len({label for label, _ in rows})
print(f"{len(rows)} {len(rows[0][1])} {classes} {hits / len(rows):.3f}")
EOF
)"
      read -r n dim classes r1 <<< "$search"
      if [ -n "${r1:-}" ] && awk -v r="$r1" -v c="$classes" 'BEGIN { exit !(r > 1.0 / c) }'; then
        line PASS embed-search "$(sed -n 's/^wrote //p' "$LOGS/embed.log"); leave-one-out nearest neighbour over $n images of $classes classes: recall@1 $r1 (chance $(awk -v c="$classes" 'BEGIN{printf "%.3f", 1/c}')); embed runs on the CPU (vptsp embed has no --gpu)"
      else
        line FAIL embed-search "search gave '${search}'"
      fi
    else
      line SKIP embed-search "embeddings written, no python3 for the search"
    fi
  else
    line FAIL embed-search "vptsp embed failed: $(first_error "$LOGS/embed.log")"
  fi
elif grep -q '^SKIP train-bf16' "$REPORT"; then
  line SKIP embed-search "no trained run (train-bf16 was skipped)"
else
  line FAIL embed-search "no trained run to embed with"
fi

# --- 8. speed: the VPT training step beside PyTorch eager ------------------------------------------------------------------
if [ "$SPEED" = 1 ]; then
  if [ "$MODE" = gpu ]; then pairs="${VPTSP_SPEED:-vit_small_patch16_224:64 vit_small_patch16_224:128 vit_base_patch16_224:64 vit_base_patch16_224:128}"
  else pairs="${VPTSP_SPEED:-vit_test_patch8_32:16 vit_test_patch8_32:32}"; fi
  partner_env=()
  if [ -n "$TORCH_PY" ]; then partner_env=(VPTSP_PYTHON="$TORCH_PY"); else partner_env=(VPTSP_PYTHON=none); fi
  for pair in $pairs; do
    vit="${pair%%:*}" batch="${pair##*:}" log="$LOGS/speed-$vit-$batch.log"
    if [ "$(remaining)" -lt 60 ]; then line SKIP speed "$vit b$batch: out of time ($(remaining) s of the ${BUDGET} s budget left)"; continue; fi
    (cd "$ROOT" && env "${partner_env[@]}" VPTSP_DEVICE=$DEVICE VPTSP_BENCH_VIT="$vit" VPTSP_BENCH_BATCH="$batch" VPTSP_BENCH_REPEATS=5 \
      timeout 300 "$DOTNET" "$B/app/VptSp.Benchmarks.dll" device-step) > "$log" 2>&1
    results="$(grep '^RESULT device-step' "$log")"
    if [ -z "$results" ]; then line FAIL speed "$vit b$batch: no result: $(first_error "$log")"; continue; fi
    while IFS= read -r r; do line "$(echo "$r" | awk '{print $3}')" speed "$(echo "$r" | cut -d' ' -f4-)"; done <<< "$results"
    if [ -z "$TORCH_PY" ] && ! grep -q 'PyTorch side by side: torch' "$log"; then
      line SKIP speed-pytorch "$vit b$batch: no python with torch here; PyTorch eager side not timed"
    fi
  done
else
  line SKIP speed "--no-speed"
fi

if ls -d "$B"/app/cpu "$B"/app/cuda-* >/dev/null 2>&1; then
  line FAIL loader "TorchSharp loaded libtorch from a NuGet-cache copy in app/, not from LD_LIBRARY_PATH"
fi
finish
