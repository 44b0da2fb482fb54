#!/usr/bin/env bash
# Builds the release packages into dist/, with a SHA256SUMS file:
#   Sentinella-<v>-windows-x64-portable.zip   the app, no installation (Sentinella.exe + WebView2Loader.dll)
#   Sentinella-<v>-windows-x64-setup.exe      per-user installer (no admin rights), Start menu, uninstaller
#   sentinella-<v>-windows-x64-cli.zip        the command line, sentinella.exe
#   sentinella_<v>_amd64.deb                  Debian/Ubuntu: the app, its menu entry and icon, the CLI
# The Windows files are cross-compiled here for x86_64-pc-windows-gnu with
# Debian's MinGW-w64; the installer is our own NSIS script
# (packaging/windows/installer.nsi, Debian's makensis): nothing is downloaded
# at build time except the pinned npm and cargo dependencies.
# Usage: ./scripts/package.sh            (about 15-25 minutes from cold on 2 cores)
# Every package must stay within 15 MB (MAX_PACKAGE_MB to change the limit).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
started=$SECONDS

need_cargo
apt_install "${APP_PACKAGES[@]}" "${PACKAGE_PACKAGES[@]}"
need_npm
# UI assets (the build refuses to run without them) and the pinned Tauri CLI.
./scripts/ui-vendor.sh
need_windows_target

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
app_version=$(sed -n 's/^version = "\(.*\)"/\1/p' src-tauri/Cargo.toml | head -n 1)
conf_version=$(sed -n 's/^ *"version": "\(.*\)",/\1/p' src-tauri/tauri.conf.json | head -n 1)
if [ "$version" != "$app_version" ] || [ "$version" != "$conf_version" ]; then
  echo "error: versions differ: Cargo.toml $version, src-tauri/Cargo.toml $app_version, tauri.conf.json $conf_version" >&2
  exit 1
fi
win=x86_64-pc-windows-gnu
dist=dist
stage=target/package
rm -rf "$dist" "$stage"
mkdir -p "$dist" "$stage"

# Build at low priority: the machine may be shared.
build() { nice -n 10 cargo build --release --locked "$@"; }

echo "== Linux: app and CLI (release)" >&2
build -p sentinella --bin sentinella -p sentinella-app --bin sentinella-app
echo "== Linux: .deb (Tauri bundler $(npx --no-install tauri --version))" >&2
rm -rf target/release/bundle/deb
npx --no-install tauri bundle --bundles deb --ci >&2
cp target/release/bundle/deb/*.deb "$dist/sentinella_${version}_amd64.deb"

echo "== Windows: app and CLI ($win, release)" >&2
build --target "$win" -p sentinella --bin sentinella -p sentinella-app --bin sentinella-app
out="target/$win/release"
# The WebView2 loader the app imports: the webview2-com-sys crate carries it.
loader=$(ls -t "$out"/build/webview2-com-sys-*/out/x64/WebView2Loader.dll | head -n 1)

# LEGGIMI.txt (CRLF, for Notepad) beside the exe.
leggimi() { sed 's/$/\r/' packaging/windows/LEGGIMI.txt | sed "s/@VERSION@/$version/g"; }

app_dir="$stage/Sentinella-$version"
mkdir -p "$app_dir"
cp "$out/sentinella-app.exe" "$app_dir/Sentinella.exe"
cp "$loader" "$app_dir/WebView2Loader.dll"
leggimi > "$app_dir/LEGGIMI.txt"
(cd "$stage" && zip -q -X -9 -r "../../$dist/Sentinella-$version-windows-x64-portable.zip" "Sentinella-$version")

makensis -V2 -INPUTCHARSET UTF8 \
  -DVERSION="$version" -DSTAGE="$PWD/$app_dir" -DICON="$PWD/src-tauri/icons/icon.ico" \
  -DOUTFILE="$PWD/$dist/Sentinella-$version-windows-x64-setup.exe" \
  packaging/windows/installer.nsi >&2

cli_dir="$stage/cli"
mkdir -p "$cli_dir"
cp "$out/sentinella.exe" "$cli_dir/sentinella.exe"
(cd "$cli_dir" && zip -q -X -9 "../../../$dist/sentinella-$version-windows-x64-cli.zip" sentinella.exe)

(cd "$dist" && sha256sum -- * > SHA256SUMS)

echo "== packages ($dist/)" >&2
max_mb=${MAX_PACKAGE_MB:-15}
too_big=0
for f in "$dist"/*; do
  [ "$(basename "$f")" = SHA256SUMS ] && continue
  bytes=$(stat -c %s "$f")
  printf "PACKAGE %-48s %6.1f MB\n" "$(basename "$f")" "$(echo "$bytes / 1048576" | bc -l)"
  if [ "$bytes" -gt $((max_mb * 1048576)) ]; then
    echo "error: $(basename "$f") is over $max_mb MB" >&2
    too_big=1
  fi
done
printf "PACKAGE %-48s %6.1f MB (unpacked)\n" "Sentinella.exe (Windows app)" "$(echo "$(stat -c %s "$app_dir/Sentinella.exe") / 1048576" | bc -l)"
printf "PACKAGE %-48s %6.1f MB (unpacked)\n" "sentinella.exe (Windows CLI)" "$(echo "$(stat -c %s "$cli_dir/sentinella.exe") / 1048576" | bc -l)"
echo "PACKAGE time $((SECONDS - started)) s" >&2
[ "$too_big" -eq 0 ]
