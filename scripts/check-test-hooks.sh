#!/usr/bin/env bash
# The test hooks (the dialogs' stand-in read from SENTINELLA_E2E_* variables)
# exist only with the app's `e2e` feature, which only the tests enable. Build
# the app as `cargo build` does (no test features) and check that the binary
# has no trace of them. Usage: ./scripts/check-test-hooks.sh [--release]
set -euo pipefail
cd "$(dirname "$0")/.."
profile=debug
args=()
if [ "${1:-}" = "--release" ]; then profile=release; args=(--release); fi
cargo build -p sentinella-app --quiet "${args[@]}"
bin="target/$profile/sentinella-app"
if strings "$bin" | grep -q SENTINELLA_E2E; then
  echo "FAIL: $bin contains the test hooks (SENTINELLA_E2E)" >&2
  exit 1
fi
# The check can fail: the same strings are there in a test build.
strings "$bin" | grep -q SENTINELLA_DATA_DIR || { echo "FAIL: cannot read strings of $bin" >&2; exit 1; }
echo "ok: $bin ($profile build) has no test hooks"
