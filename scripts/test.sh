#!/usr/bin/env bash
# Runs every test of Sentinella, after installing what they need.
# Usage: ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh

need_cargo
apt_install "${TEST_PACKAGES[@]}"
rustup component add rustfmt clippy >/dev/null 2>&1 || true

echo "== format" >&2
cargo fmt --all -- --check
echo "== lint" >&2
cargo clippy --workspace --all-targets --quiet -- -D warnings
echo "== tests" >&2
cargo test --workspace
