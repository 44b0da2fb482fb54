#!/usr/bin/env bash
# Measures the packages (after ./scripts/package.sh): the size of each file in
# dist/, then the installed Linux app: the .deb is installed, its binary is
# started cold to its first interactive screen (median of five launches) and
# its memory (PSS of the app and its web processes) read, with the WebKitGTK
# settings given as extra runs; the package is then removed.
# Prints lines starting with BENCH.
# Usage: ./scripts/bench-package.sh ["ENV=VALUE ..." ...]
#   e.g. ./scripts/bench-package.sh "" "WEBKIT_DISABLE_COMPOSITING_MODE=0"
# (the app turns compositing off by default on Linux: src-tauri/src/webview.rs)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
apt_install "${APP_TEST_PACKAGES[@]}"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
deb="dist/sentinella_${version}_amd64.deb"
[ -f "$deb" ] || { echo "error: $deb is missing (run ./scripts/package.sh)" >&2; exit 1; }
for f in dist/*; do
  [ "$(basename "$f")" = SHA256SUMS ] && continue
  printf "BENCH size %-48s %6.2f MB\n" "$(basename "$f")" "$(echo "$(stat -c %s "$f") / 1048576" | bc -l)"
done

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
pkg=$(dpkg-deb -f "$deb" Package)
$sudo dpkg -i "$deb" > /dev/null
trap '$sudo dpkg --purge "$pkg" > /dev/null' EXIT
app_bin=$(dpkg -L "$pkg" | grep -E '^/usr/bin/' | grep -vx /usr/bin/sentinella | head -n 1)
printf "BENCH size installed %s: %.1f MB\n" "$app_bin" "$(echo "$(stat -c %s "$app_bin") / 1048576" | bc -l)"

settings=("$@")
[ ${#settings[@]} -eq 0 ] && settings=("")
for s in "${settings[@]}"; do
  echo "BENCH installed app, settings: ${s:-(none)}"
  # shellcheck disable=SC2086
  env $s SENTINELLA_APP_BIN="$app_bin" xvfb-run -a -s "-screen 0 1366x768x24" \
    cargo test --quiet -p sentinella-app --test bench bench_start_memory_save -- --ignored --nocapture 2>&1 \
    | grep -E "^BENCH|test result|panicked"
done
