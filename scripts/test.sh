#!/usr/bin/env bash
# Runs the whole VptSp test suite (unit, functional, browser) after making sure the machine is ready.
#   --fast   only VptSp.Tests.Unit (Core and CLI: no server, browser, database or LaTeX; nothing extra installed)
# Other arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Modeling").
set -euo pipefail
cd "$(dirname "$0")/.."

target=VptSp.sln
if [ "${1:-}" = "--fast" ]; then
  shift
  target=VptSp.Tests.Unit/VptSp.Tests.Unit.csproj
  bash scripts/setup.sh
else
  bash scripts/setup.sh --with-browser --with-latex --with-postgres
fi
# the emoji demo data (npm pack; a no-op when present). The suite does not depend on it (tests build their
# own small datasets); two tests also check the real download (counts, raw-pixel R@1) when it is there.
bash scripts/fetch-demo-data.sh --if-missing || echo "[test] emoji demo data not fetched (npm unreachable?); continuing"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="${VPTSP_TEST_RESULTS:-$(pwd)/TestResults}"
rm -rf "$results"
mkdir -p "$results"
# browser tests save their screenshots here (BrowserSession.ScreenshotDir), so CI keeps them with the results
export VPTSP_SCREENSHOT_DIR="${VPTSP_SCREENSHOT_DIR:-$results/screenshots}"

# Disk: a build hard-links libtorch (~0.5 GB) from the NuGet cache where it can (Directory.Build.props) but copies it
# per executable project when it cannot; say so plainly instead of failing later with a wall of MSBuild errors.
free_kb=$(df -Pk . | awk 'NR==2 {print $4}')
echo "[test] free disk here: $(( free_kb / 1024 )) MB"
if [ "${free_kb:-0}" -lt $(( 2 * 1024 * 1024 )) ]; then
  echo "[test] error: less than 2 GB free in $(pwd) — the build and the tests' run folders need about 2 GB" >&2
  exit 1
fi

echo "[test] dotnet build $target -c Release"
dotnet build "$target" -c Release -nologo -v:minimal

echo "[test] dotnet test $target -c Release"
set +e
dotnet test "$target" -c Release --no-build -nologo \
  --results-directory "$results" --logger "trx;LogFilePrefix=tests" --logger "console;verbosity=normal" "$@" \
  2>&1 | tee "$results/console.log"
code=${PIPESTATUS[0]}
set -e

# One plain closing line, counted from the TRX report.
python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
failures = []
for f in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(f).getroot().find(".//{*}Counters")
    if c is None: continue
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0))
    skipped += int(c.get("notExecuted", 0))
    # name every failed test with the first lines of its message, so the last lines of a CI log say what broke
    for r in ET.parse(f).getroot().iter("{*}UnitTestResult"):
        if r.get("outcome") not in ("Failed", "Error"): continue
        msg = r.find(".//{*}Message")
        text = (msg.text or "").strip().splitlines()[:3] if msg is not None else []
        failures.append(r.get("testName") + "".join("\n    " + line[:300] for line in text))
for line in failures: print("FAILED " + line)
print(f"Tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$code"
