#!/usr/bin/env bash
# Starts the VptSp dashboard on the embedded default (emoji demo data, SQLite under ./data).
# Extra arguments go to the web app (e.g. --urls http://127.0.0.1:5090).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/fetch-demo-data.sh --if-missing

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export VPTSP_DATA_DIR="${VPTSP_DATA_DIR:-$(pwd)/data}"
export VPTSP_CONFIGS_DIR="${VPTSP_CONFIGS_DIR:-$(pwd)/configs}"
echo "[run] building the dashboard"
dotnet build VptSp.Web -c Release -nologo -clp:ErrorsOnly
echo "[run] data directory: $VPTSP_DATA_DIR"
exec dotnet run --project VptSp.Web -c Release --no-build --no-launch-profile -- "$@"
