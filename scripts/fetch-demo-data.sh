#!/usr/bin/env bash
# Placeholder until the data issue lands: the emoji demo download (npm pack) is added there.
set -euo pipefail
echo "[demo-data] not implemented yet"
