#!/usr/bin/env bash
# Installs what Sentinella needs on a Debian/Ubuntu machine, only where it is
# missing. Sourced by run.sh and test.sh; safe to run again.
set -euo pipefail

need_cargo() {
  if ! command -v cargo >/dev/null 2>&1; then
    echo "error: Rust (cargo) is not installed. Install it with rustup (https://rustup.rs), then run this again." >&2
    exit 1
  fi
}

# apt_install PKG... : installs the Debian packages that are not installed yet.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What the tests read back: spelling (hunspell + Italian dictionary) and PDF
# tools (poppler's pdftotext/pdffonts/pdftoppm, qpdf).
TEST_PACKAGES=(hunspell hunspell-it poppler-utils qpdf)

# --- desktop app (issue 6) -------------------------------------------------
# Build the Tauri 2 app (WebKitGTK) and drive its window in the tests
# (Xvfb + Debian's WebKitWebDriver); npm fetches the UI's assets.
APP_PACKAGES=(pkg-config libssl-dev libwebkit2gtk-4.1-dev)
APP_TEST_PACKAGES=(xvfb xauth webkit2gtk-driver binutils)

# need_npm: installs Debian's npm when no npm is on the PATH.
need_npm() {
  command -v npm >/dev/null 2>&1 || apt_install npm
}
