#!/usr/bin/env bash
# Builds Sentinella and runs its demo: example assessments of three comuni and
# three Polis offices, with their scores and remediation plans, in ./demo.
# Usage: ./scripts/run.sh [output-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh

need_cargo
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
