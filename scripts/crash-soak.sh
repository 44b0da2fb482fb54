#!/usr/bin/env bash
# Crash-safety soak: thousands of SIGKILLs of a process saving answers, each
# followed (every 10 kills) by a check that every save reported before the
# kill is in the database and that `PRAGMA integrity_check` says ok.
#
# Usage: scripts/crash-soak.sh [KILLS] [SEED]     (default 3000 kills)
# Outside the normal test run; it takes a few minutes per thousand kills.
set -euo pipefail
cd "$(dirname "$0")/.."
export SENTINELLA_SOAK_KILLS="${1:-3000}"
if [[ -n "${2:-}" ]]; then export SENTINELLA_CRASH_SEED="$2"; fi
exec cargo test --release --test crash -- --ignored --exact soak --nocapture
