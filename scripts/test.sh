#!/usr/bin/env bash
# Runs every test of Sentinella, after installing what they need.
# Usage: ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh

need_cargo
apt_install "${TEST_PACKAGES[@]}"
# Desktop app: system libraries, UI assets (ui/vendor, axe-core), Xvfb.
apt_install "${APP_PACKAGES[@]}" "${APP_TEST_PACKAGES[@]}"
need_npm
./scripts/ui-vendor.sh
rustup component add rustfmt clippy >/dev/null 2>&1 || true

echo "== format" >&2
cargo fmt --all -- --check
echo "== lint" >&2
cargo clippy --workspace --all-targets --quiet -- -D warnings
echo "== tests" >&2
# Under Xvfb: the app's end-to-end tests open its real window.
xvfb-run -a -s "-screen 0 1366x768x24" cargo test --workspace
echo "== test hooks" >&2
# The dialogs' stand-in is compiled only into test builds.
./scripts/check-test-hooks.sh
