#!/usr/bin/env bash
# Benchmarks of the desktop app in its real window under Xvfb: cold start to
# the first interactive screen, memory (app + web processes), answer to
# "Salvato" latency. Prints lines starting with BENCH.
# Usage: ./scripts/bench-app.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
need_cargo
apt_install "${APP_PACKAGES[@]}" "${APP_TEST_PACKAGES[@]}"
need_npm
[ -d ui/vendor ] || ./scripts/ui-vendor.sh
xvfb-run -a -s "-screen 0 1366x768x24" \
  cargo test -p sentinella-app --test bench -- --ignored --nocapture 2>&1 | grep -E "^BENCH|test result|panicked"
