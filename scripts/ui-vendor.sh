#!/usr/bin/env bash
# Fetches the desktop app's front-end assets from the npm registry (versions
# pinned in package.json / package-lock.json) and copies the files the UI
# uses into ui/vendor/ (git-ignored): Bootstrap Italia's stylesheet and the
# Titillium Web font. Nothing is ever loaded from a CDN at run time.
# axe-core stays in node_modules/ for the accessibility tests.
# Usage: ./scripts/ui-vendor.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
  echo "error: npm is not installed (Debian package: npm)." >&2
  exit 1
fi
if [ -f package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
else
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
fi

bi=node_modules/bootstrap-italia
out=ui/vendor
rm -rf "$out"
mkdir -p "$out/css" "$out/fonts"
cp "$bi/dist/css/bootstrap-italia.min.css" "$out/css/"
for f in regular italic 600 700; do
  cp "$bi/dist/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-$f.woff2" "$out/fonts/"
done
cp "$bi/LICENSE" "$out/LICENSE-bootstrap-italia.txt"
echo "ui/vendor: Bootstrap Italia $(node -p "require('./$bi/package.json').version") and Titillium Web copied" >&2
