#!/usr/bin/env bash
# Native-lifetime soak (docs/native-lifetimes.md): a tiny VPTSP-G run for thousands of steps with a tiny gen0
# budget and a thread forcing collections and finalizers, an evaluation every epoch and a search at the end.
# Passes when no native error occurred, the run completed and RSS stayed flat. Repeat with SOAK_REPEATS.
#   scripts/soak.sh                      # 3000 epochs (15,000 steps), once
#   VPTSP_SOAK_EPOCHS=400 SOAK_REPEATS=3 scripts/soak.sh
set -uo pipefail
cd "$(dirname "$0")/.."
dotnet build VptSp.Benchmarks -c Release -v:minimal -nologo >/dev/null || { echo "soak: build failed" >&2; exit 2; }
repeats="${SOAK_REPEATS:-1}"
failed=0
for i in $(seq 1 "$repeats"); do
  echo "== soak run $i of $repeats"
  log=$(mktemp)
  DOTNET_GCgen0size=0x10000 dotnet VptSp.Benchmarks/bin/Release/net10.0/VptSp.Benchmarks.dll soak 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  if [ "$rc" -ne 0 ]; then echo "soak: process exited with $rc (a native crash ends the process)"; failed=1
  elif ! grep -q "^SOAK PASSED" "$log"; then failed=1; fi
  rm -f "$log"
done
[ "$failed" -eq 0 ] && echo "soak: all $repeats run(s) passed" || echo "soak: FAILED"
exit "$failed"
