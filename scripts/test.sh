#!/usr/bin/env bash
# Runs every test of Sentinella, after installing what they need.
# Usage: ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh

# CI builds once from a clean clone: incremental caches would only cost disk
# (they were 4.5 GB of an 11 GB target dir; a CI run died with "No space left
# on device"). Local runs that want them can set CARGO_INCREMENTAL=1.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
echo "== disk: $(df -h . | awk 'NR==2 {print $4 " free on " $6}')" >&2

need_cargo
apt_install "${TEST_PACKAGES[@]}"
# Desktop app: system libraries, UI assets (ui/vendor, axe-core), Xvfb.
apt_install "${APP_PACKAGES[@]}" "${APP_TEST_PACKAGES[@]}"
# Phone voting (issue 18): headless Chromium plays the phones
# (tests/voting_browser.rs, driven by playwright-core from npm).
apt_install chromium
need_npm
./scripts/ui-vendor.sh
rustup component add rustfmt clippy >/dev/null 2>&1 || true

echo "== format" >&2
cargo fmt --all -- --check
# When a line cannot fit in 100 columns, rustfmt leaves the whole statement
# as it was, silently. A pinned nightly's rustfmt reports those lines
# (error_on_line_overflow is not in stable rustfmt); about 15 s to install.
FMT_NIGHTLY=nightly-2026-05-20
rustup run "$FMT_NIGHTLY" rustfmt --version >/dev/null 2>&1 \
  || rustup toolchain install "$FMT_NIGHTLY" --profile minimal --component rustfmt >&2
cargo +"$FMT_NIGHTLY" fmt --all -- --check --config error_on_line_overflow=true
echo "== lint" >&2
cargo clippy --workspace --all-targets --quiet -- -D warnings
echo "== tests" >&2
# Under Xvfb: the app's end-to-end tests open its real window.
xvfb-run -a -s "-screen 0 1366x768x24" cargo test --workspace
echo "== test hooks" >&2
# The dialogs' and opener's stand-ins are compiled only into test builds.
./scripts/check-test-hooks.sh
# Release packages (issue 14): build them as a user gets them, then test
# them: the Windows CLI, app and installer under Wine; the .deb installed,
# started under Xvfb and removed. Two release builds (one cross-compiled for
# Windows): about 20-25 minutes of CI's budget on 2 cores.
# SENTINELLA_PACKAGES=0 skips them for a quicker local run.
if [ "${SENTINELLA_PACKAGES:-1}" != 0 ]; then
  echo "== packages" >&2
  ./scripts/package.sh
  ./scripts/test-packages.sh
fi
