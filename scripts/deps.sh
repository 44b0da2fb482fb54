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
