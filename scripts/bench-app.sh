#!/usr/bin/env bash
# Benchmarks of the desktop app in its real window under Xvfb: cold start to
# the first interactive screen, memory (app + web processes), answer to
# "Salvato" latency; "Incidente in corso" click to checklist; the coordinator's import of a folder of N result files
# and its dashboards. Prints lines starting with BENCH.
# Usage: ./scripts/bench-app.sh [N...]     (result files for the coordinator part; default 1000 8000)
# The coordinator part runs the release build (what users run); the first
# part the debug build of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
need_cargo
apt_install "${APP_PACKAGES[@]}" "${APP_TEST_PACKAGES[@]}"
need_npm
[ -d ui/vendor ] || ./scripts/ui-vendor.sh
xvfb-run -a -s "-screen 0 1366x768x24" \
  cargo test -p sentinella-app --test bench bench_start_memory_save -- --ignored --nocapture 2>&1 | grep -E "^BENCH|test result|panicked"
xvfb-run -a -s "-screen 0 1366x768x24" \
  cargo test -p sentinella-app --test bench bench_incident_click_to_checklist -- --ignored --nocapture 2>&1 | grep -E "^BENCH|test result|panicked"

counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(1000 8000)
cargo build --release --quiet --example gen_results
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in "${counts[@]}"; do
  target/release/examples/gen_results "$work/$n" "$n" > /dev/null
  BENCH_COORD_RESULTS="$work/$n/results" xvfb-run -a -s "-screen 0 1366x768x24" \
    cargo test --release -p sentinella-app --test bench bench_coordinator_import_and_dashboard -- --ignored --nocapture 2>&1 \
    | grep -E "^BENCH|test result|panicked"
done
