#!/usr/bin/env bash
# Builds Sentinella and opens the desktop app; where there is no display, runs
# the demo instead: example assessments of three comuni and three Polis
# offices, with their scores and remediation plans, in ./demo.
# Usage: ./scripts/run.sh [output-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh

need_cargo

# --- desktop app (issue 6): build and open the window when there is a display.
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  apt_install "${APP_PACKAGES[@]}"
  need_npm
  ./scripts/ui-vendor.sh
  cargo build -p sentinella-app --quiet
  echo "Starting Sentinella..." >&2
  exec ./target/debug/sentinella-app
fi
echo "No display found: showing the command-line demo instead of the app." >&2
# --- end of desktop app

out="${1:-demo}"
cargo build --release --quiet
./target/release/sentinella questionnaires
echo
./target/release/sentinella demo --out "$out"
echo
first=$(ls "$out"/*struggling*.answers.json | head -n 1)
./target/release/sentinella plan "$first" | head -n 30
echo "..."
echo "Open the files in $out/ to read every score and plan."
