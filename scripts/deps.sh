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
TEST_PACKAGES=(hunspell hunspell-it poppler-utils qpdf openssl)

# --- desktop app (issue 6) -------------------------------------------------
# Build the Tauri 2 app (WebKitGTK) and drive its window in the tests
# (Xvfb + Debian's WebKitWebDriver); npm fetches the UI's assets.
APP_PACKAGES=(pkg-config libssl-dev libwebkit2gtk-4.1-dev)
# gdb: the e2e watchdog prints the app's threads if a session hangs.
APP_TEST_PACKAGES=(xvfb xauth xdotool webkit2gtk-driver binutils gdb)

# need_npm: installs Debian's npm when no npm is on the PATH.
need_npm() {
  command -v npm >/dev/null 2>&1 || apt_install npm
}

# --- packages (issue 14) -----------------------------------------------------
# scripts/package.sh cross-compiles for Windows (MinGW-w64), builds the
# installer (NSIS) and zips; scripts/test-packages.sh runs the Windows build
# under Wine (wine64; objdump from binutils-mingw-w64) and screenshots the
# installed .deb (imagemagick's import, xwininfo from x11-utils).
PACKAGE_PACKAGES=(gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nsis zip bc)
PACKAGE_TEST_PACKAGES=(wine64 imagemagick x11-utils unzip)

# need_windows_target: the Rust standard library for x86_64-pc-windows-gnu.
need_windows_target() {
  rustup target list --installed 2>/dev/null | grep -qx x86_64-pc-windows-gnu \
    || rustup target add x86_64-pc-windows-gnu >&2
}
