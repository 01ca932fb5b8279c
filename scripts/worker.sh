#!/usr/bin/env bash
# Starts a VptSp worker: it claims queued runs from the shared PostgreSQL store and trains them, one at a time.
# Start the dashboard on the same store first (VPTSP_DATABASE=… bash scripts/run.sh); then one worker per GPU, on any host
# that mounts the shared data directory at the same path.
#
# usage: scripts/worker.sh [--gpu N | --cpu] [--name NAME] [--Section:Key=value …]
# environment:
#   VPTSP_DATABASE      Npgsql connection string of the shared store (required), e.g. Host=db;Username=vptsp;Password=…;Database=vptsp
#   VPTSP_DATA_DIR      the shared data directory (run folders, backbones, demo data): the same path on every host (default ./data)
#   VPTSP_PUBLISH_DIR   where the worker is published (default ./.vptsp/publish/worker)
#   VPTSP_SKIP_SETUP=1  skip scripts/setup.sh
# SIGTERM / Ctrl+C: the current run is checkpointed and handed back to the queue (auto_resume) for another worker.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

if [[ -z "${VPTSP_DATABASE:-}" ]]; then
  echo "worker: set VPTSP_DATABASE to the PostgreSQL connection string the dashboard uses (see README, Several GPUs / several machines)" >&2
  exit 2
fi
if [[ "${VPTSP_SKIP_SETUP:-0}" != "1" ]]; then bash scripts/setup.sh; fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export VPTSP_DATA_DIR="${VPTSP_DATA_DIR:-$repo/data}"
mkdir -p "$VPTSP_DATA_DIR"
VPTSP_DATA_DIR="$(cd "$VPTSP_DATA_DIR" && pwd)"
export Storage__Provider=postgres Storage__ConnectionString="$VPTSP_DATABASE"
publish="${VPTSP_PUBLISH_DIR:-$repo/.vptsp/publish/worker}"

echo "[worker] publishing the worker to $publish"
dotnet publish VptSp.Worker -c Release -o "$publish" -nologo -clp:ErrorsOnly
echo "[worker] data directory: $VPTSP_DATA_DIR"
cd "$publish"
exec dotnet VptSp.Worker.dll "$@"
