#!/usr/bin/env bash
# Starts the VptSp dashboard on the embedded default (emoji demo data, SQLite under ./data).
# It publishes the web app to .vptsp/publish/web and runs the published VptSp.Web.dll in the Production
# environment: static assets (_framework/blazor.web.js, MudBlazor's files, scoped CSS) are served from the
# published wwwroot, exactly as in the Docker image.
#
# usage: scripts/run.sh [web app arguments…]      e.g. scripts/run.sh --urls http://127.0.0.1:5090
# environment (all optional):
#   VPTSP_DATA_DIR      data directory (default ./data): experiments.db, runs, demo data, backbones
#   VPTSP_CONFIGS_DIR   presets offered on Launch (default ./configs)
#   VPTSP_PUBLISH_DIR   where the app is published (default ./.vptsp/publish/web)
#   VPTSP_SKIP_SETUP=1  skip scripts/setup.sh (prerequisites already checked)
#   VPTSP_DATABASE      a PostgreSQL connection string: the shared store for workers on other hosts (scripts/worker.sh)
#                       instead of the SQLite file; with VPTSP_IN_PROCESS_WORKER=0 this dashboard trains nothing itself
# The server stops on Ctrl+C or SIGTERM: a running run is checkpointed and left "interrupted" (resumable).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

if [[ "${VPTSP_SKIP_SETUP:-0}" != "1" ]]; then bash scripts/setup.sh; fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export VPTSP_DATA_DIR="${VPTSP_DATA_DIR:-$repo/data}"
export VPTSP_CONFIGS_DIR="${VPTSP_CONFIGS_DIR:-$repo/configs}"
publish="${VPTSP_PUBLISH_DIR:-$repo/.vptsp/publish/web}"
mkdir -p "$VPTSP_DATA_DIR"
VPTSP_DATA_DIR="$(cd "$VPTSP_DATA_DIR" && pwd)"
VPTSP_CONFIGS_DIR="$(cd "$VPTSP_CONFIGS_DIR" && pwd)"

bash scripts/fetch-demo-data.sh --if-missing

if [[ -n "${VPTSP_DATABASE:-}" ]]; then
  export Storage__Provider=postgres Storage__ConnectionString="$VPTSP_DATABASE"
  echo "[run] experiment store: PostgreSQL (VPTSP_DATABASE)"
fi
if [[ "${VPTSP_IN_PROCESS_WORKER:-1}" == "0" ]]; then export Workers__InProcess=false; fi

echo "[run] publishing the dashboard to $publish"
dotnet publish VptSp.Web -c Release -o "$publish" -nologo -clp:ErrorsOnly
echo "[run] data directory: $VPTSP_DATA_DIR"
# Production unless the caller chose otherwise; the published folder is the content root (wwwroot, appsettings.json).
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
cd "$publish"
exec dotnet VptSp.Web.dll "$@"
