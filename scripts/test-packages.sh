#!/usr/bin/env bash
# Tests the packages that scripts/package.sh wrote into dist/:
#  1. Windows CLI under Wine: questionnaires, demo (same PDFs as the Linux
#     build), score of an answers file saved by Notepad (UTF-8 BOM, CRLF), plan
#     PDF read back with poppler, export + verify of a signed result file,
#     collect of a folder, a database at a path with spaces and accents.
#  2. Windows app: a valid PE for the GUI subsystem importing only system DLLs
#     and the WebView2 loader shipped beside it; under Wine (no WebView2
#     there) it shows the Italian message instead of crashing (screenshot).
#  3. Windows installer under Wine, silent: per-user files, Start-menu entry,
#     "App installate" entry; installed again over itself (update) and
#     uninstalled: the user's data stays.
#  4. The .deb: installed with dpkg -i, its CLI run, its app started under
#     Xvfb and checked (styled first screen, screenshot), removed cleanly.
# Usage: ./scripts/test-packages.sh   (after ./scripts/package.sh; run by test.sh)
# Screenshots: target/screenshots/package-*.png
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
apt_install "${PACKAGE_PACKAGES[@]}" "${PACKAGE_TEST_PACKAGES[@]}" "${APP_TEST_PACKAGES[@]}" "${TEST_PACKAGES[@]}"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
dist=$PWD/dist
shots=$PWD/target/screenshots
mkdir -p "$shots"
for f in "Sentinella-$version-windows-x64-portable.zip" "Sentinella-$version-windows-x64-setup.exe" \
         "sentinella-$version-windows-x64-cli.zip" "sentinella_${version}_amd64.deb" SHA256SUMS; do
  [ -f "$dist/$f" ] || { echo "error: $dist/$f is missing (run ./scripts/package.sh)" >&2; exit 1; }
done
(cd "$dist" && sha256sum --quiet -c SHA256SUMS)

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
work=$(mktemp -d)
cleanup() {
  [ -n "${WINEPREFIX:-}" ] && WINEPREFIX="$WINEPREFIX" /usr/lib/wine/wineserver -k 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*" >&2; }

# --- Wine: a throwaway prefix with the bcryptprimitives shim ------------------
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEPREFIX="$work/wineprefix"
wine=/usr/lib/wine/wine64
"$wine" wineboot -i >/dev/null 2>&1 || true
/usr/lib/wine/wineserver -w
# Wine 8 lacks bcryptprimitives.dll (ProcessPrng), which Rust's std calls at
# start; Windows 10/11 have it. See packaging/windows/wine-shim/.
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  packaging/windows/wine-shim/bcryptprimitives.c packaging/windows/wine-shim/bcryptprimitives.def -ladvapi32
winpath() { printf 'Z:%s' "${1//\//\\}"; }

# make_v1_db FILE ANSWERS: a database as a version-1 build of the store left
# it (schema 1 from src/store/schema.rs; migrations are append-only), with one
# assessment holding the first answer of ANSWERS. Prints "question option".
make_v1_db() {
  python3 - "$1" "$2" <<'EOF'
import json, re, sqlite3, sys
src = open("src/store/schema.rs", encoding="utf-8").read()
v1 = re.search(r'const V1: &str = "(.*?)";\n', src, re.S).group(1)
a = json.load(open(sys.argv[2], encoding="utf-8-sig"))
qid, qver = a["questionnaire"]["id"], a["questionnaire"]["version"]
question, option = next((k, v["option"]) for k, v in a["answers"].items())
c = sqlite3.connect(sys.argv[1])
c.executescript(v1)
c.execute("PRAGMA user_version = 1")
c.execute("INSERT INTO organizations VALUES (1, 'comune:056044', 'comune', '056044', 'Comune di Prova', 'VT', 'Lazio', 605)")
c.execute("INSERT INTO assessments VALUES (1, 1, ?, ?, 'abc', 'draft', '2025-05-05', NULL, "
          "'2025-05-05T10:00:00.000Z', '2025-05-05T10:00:00.000Z', NULL)", (qid, qver))
c.execute("INSERT INTO answers VALUES (1, ?, ?, NULL, '2025-05-05T10:00:00.000Z')", (question, option))
c.commit()
print(question, option)
EOF
}

# check_upgrade LABEL CLI-COMMAND...: a version-1 database opened by this
# build is migrated after a backup and keeps its answer.
check_upgrade() {
  local label=$1; shift
  local dir="$work/upgrade $label"
  mkdir -p "$dir"
  local question option
  read -r question option < <(make_v1_db "$dir/vecchio è.db" "$answers")
  local dbarg="$dir/vecchio è.db"
  [ "$label" = windows ] && dbarg=$(winpath "$dbarg")
  "$@" db export 1 --db "$dbarg" > "$dir/export.json" || fail "$label: the version-1 database does not open"
  python3 - "$dir/export.json" "$question" "$option" <<'EOF' || fail "$label: the answer was lost in the upgrade"
import json, sys
a = json.load(open(sys.argv[1], encoding="utf-8-sig"))
sys.exit(0 if a["answers"][sys.argv[2]]["option"] == sys.argv[3] else 1)
EOF
  ls "$dir/vecchio è.db.backups/"*pre-migration-v1.sqlite3 > /dev/null 2>&1 || fail "$label: no backup before the migration"
  ok "$label CLI: a version-1 database is migrated after a backup, its answer kept"
}

# A user folder like C:\Users\Niccolò Rossi\Documenti\...
home="$work/Niccolò Rossi/Documenti"
mkdir -p "$home"
unzip -q "$dist/sentinella-$version-windows-x64-cli.zip" -d "$work/cli"
cli() { "$wine" "$work/cli/sentinella.exe" "$@"; }

# --- 1. Windows CLI --------------------------------------------------------------
cli questionnaires > "$work/q.txt" || fail "questionnaires"
grep -q "comune" "$work/q.txt" || fail "questionnaires lists no comune questionnaire: $(cat "$work/q.txt")"
ok "CLI: questionnaires"

cli demo --out "$(winpath "$home/Demo è qui")" --date 2026-03-15 > /dev/null || fail "demo"
# The Linux CLI of the .deb (the same release build, not rebuilt here).
dpkg-deb -x "$dist/sentinella_${version}_amd64.deb" "$work/deb"
linux_cli="$work/deb/usr/bin/sentinella"
"$linux_cli" demo --out "$work/demo-linux" --date 2026-03-15 > /dev/null
n=0
for f in "$work/demo-linux"/*.pdf; do
  cmp -s "$f" "$home/Demo è qui/$(basename "$f")" || fail "demo PDF differs from the Linux build: $(basename "$f")"
  n=$((n + 1))
done
[ "$n" -gt 0 ] || fail "the Linux demo wrote no PDF"
ok "CLI: demo into a folder with an accented name, $n PDFs byte-identical to the Linux build"

answers=$(ls "$home/Demo è qui"/*struggling*.answers.json | head -n 1)
# The same answers as Notepad saves them: UTF-8 with a BOM, CRLF line ends.
notepad="$home/Risposte modificate con Blocco note.json"
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$answers"; } > "$notepad"
cli score "$(winpath "$answers")" > "$work/score-lf.txt" || fail "score"
cli score "$(winpath "$notepad")" > "$work/score-notepad.txt" || fail "score of a file with a BOM and CRLF"
cmp -s <(tr -d '\r' < "$work/score-lf.txt") <(tr -d '\r' < "$work/score-notepad.txt") \
  || fail "the BOM/CRLF file scores differently"
ok "CLI: score, also of an answers file with a UTF-8 BOM and CRLF"

pdf="$home/Piano di sicurezza – Comune di Forlì.pdf"
cli plan "$(winpath "$notepad")" --pdf "$(winpath "$pdf")" > /dev/null || fail "plan --pdf"
pdftotext -layout "$pdf" "$work/plan.txt"
grep -q "Piano di miglioramento" "$work/plan.txt" || fail "plan PDF has no text 'Piano di miglioramento'"
pdffonts "$pdf" > "$work/fonts.txt"
awk 'NR > 2 && $(NF-4) != "yes" { bad = 1 } END { exit bad }' "$work/fonts.txt" || fail "plan PDF has a font not embedded"
ok "CLI: plan PDF at a path with spaces and accents ($(pdfinfo "$pdf" | awk '/^Pages/ {print $2}') pages, text and fonts read back)"

db="$home/Dati del comune/valutazioni è.db"
mkdir -p "$(dirname "$db")"
cli db import "$(winpath "$notepad")" --db "$(winpath "$db")" --completed > /dev/null || fail "db import"
cli db list --db "$(winpath "$db")" --json > "$work/list.json" || fail "db list"
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1], encoding="utf-8-sig"))[0]["info"]["id"])' "$work/list.json")
cli score --db "$(winpath "$db")" --assessment "$id" > "$work/score-db.txt" || fail "score --db"
cmp -s <(tr -d '\r' < "$work/score-lf.txt") <(tr -d '\r' < "$work/score-db.txt") || fail "score from the database differs"
cli db check --db "$(winpath "$db")" > /dev/null || fail "db check"
ok "CLI: database at a path with spaces and accents (import, list, score, check)"

mkdir -p "$home/Risultati da inviare"
result="$home/Risultati da inviare/Forlì risultato.json"
cli export --db "$(winpath "$db")" --assessment "$id" --out "$(winpath "$result")" \
  --keys "$(winpath "$home/Chiave di firma")" > /dev/null || fail "export"
cli verify "$(winpath "$result")" > "$work/verify.txt" || fail "verify: $(cat "$work/verify.txt")"
# The Linux build verifies the file the Windows one signed.
"$linux_cli" verify "$result" > /dev/null || fail "the Linux CLI rejects the Windows result file"
ok "CLI: export of a signed result file, verified by the Windows and the Linux CLI"

coord="$home/Coordinamento/archivio è.db"
mkdir -p "$(dirname "$coord")"
cli collect "$(winpath "$home/Risultati da inviare")" --db "$(winpath "$coord")" --json > "$work/collect.json" \
  || fail "collect: $(cat "$work/collect.json")"
python3 - "$work/collect.json" <<'EOF' || fail "collect did not take the file in: $(cat "$work/collect.json")"
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8-sig"))
sys.exit(0 if r["files"] == 1 and r["counts"] == {"new": 1} else 1)
EOF
cli aggregate --db "$(winpath "$coord")" > /dev/null || fail "aggregate --db"
ok "CLI: collect of a folder into a coordinator database, aggregate"
check_upgrade windows cli

# --- 2. Windows app: the PE and its imports ---------------------------------
unzip -q "$dist/Sentinella-$version-windows-x64-portable.zip" -d "$home/Programmi portatili"
app_dir="$home/Programmi portatili/Sentinella-$version"
[ -f "$app_dir/WebView2Loader.dll" ] || fail "WebView2Loader.dll is not beside the portable exe"
x86_64-w64-mingw32-objdump -p "$app_dir/Sentinella.exe" > "$work/pe.txt"
grep -q "^Magic.*020b" "$work/pe.txt" || fail "not a PE32+ (64-bit) file"
grep -q "^Subsystem.*00000002" "$work/pe.txt" || fail "not a GUI-subsystem exe (a console would open)"
grep -q "Resource Directory" "$work/pe.txt" || fail "no resources (icon, version)"
system_dlls="^(kernel32|combase|user32|gdi32|advapi32|shell32|ole32|oleaut32|comctl32|comdlg32|uxtheme|dwmapi|shlwapi|ws2_32|userenv|bcrypt|bcryptprimitives|ntdll|msvcrt|crypt32|secur32|winmm|version|imm32|propsys|dbghelp|api-ms-win-[a-z0-9-]+|uiautomationcore|rpcrt4|setupapi|netapi32|iphlpapi|powrprof|d2d1|dwrite|windowscodecs|usp10|shcore)\.dll$"
imports=$(awk '/DLL Name:/ {print $3}' "$work/pe.txt" | tr 'A-Z' 'a-z' | sort -u)
for dll in $imports; do
  [ "$dll" = webview2loader.dll ] && continue
  echo "$dll" | grep -Eq "$system_dlls" || fail "the app imports a DLL that Windows does not have: $dll"
done
grep -qx webview2loader.dll <<< "$imports" || fail "the app does not import WebView2Loader.dll (unexpected)"
x86_64-w64-mingw32-objdump -p "$dist/../target/package/cli/sentinella.exe" | awk '/DLL Name:/ {print $3}' \
  | tr 'A-Z' 'a-z' | while read -r dll; do
    echo "$dll" | grep -Eq "$system_dlls" || fail "the CLI imports a DLL that Windows does not have: $dll"
  done
ok "app: PE32+ GUI exe with resources; imports: $(echo $imports | tr '\n' ' ')"

# --- 2b. Windows app under Wine: no WebView2 -> the Italian message ----------
log="$work/app-wine.log"
xvfb-run -a -s "-screen 0 1024x768x24" bash -c '
  cd "$1" && "$2" ./Sentinella.exe > "$3" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    if xwininfo -root -tree 2>/dev/null | grep -q "Sentinella non pu"; then
      sleep 1; import -window root "$4"; break
    fi
    kill -0 $pid 2>/dev/null || break
    sleep 0.5
  done
  xwininfo -root -tree > "$3.windows" 2>&1 || true
  WINEPREFIX="$WINEPREFIX" /usr/lib/wine/wineserver -k 2>/dev/null || true
  wait $pid 2>/dev/null || true
' _ "$app_dir" "$wine" "$log" "$shots/package-windows-app-no-webview2.png"
grep -q "Sentinella non pu" "$log.windows" || fail "no Italian message window under Wine; app output: $(cat "$log")"
grep -q "Microsoft Edge WebView2" "$log" || fail "the message is not on stderr: $(cat "$log")"
! grep -qi "panicked" "$log" || fail "the app panicked: $(cat "$log")"
ok "app under Wine: WebView2 missing -> Italian message box (target/screenshots/package-windows-app-no-webview2.png)"

# --- 3. Windows installer under Wine ----------------------------------------
user=$(ls "$WINEPREFIX/drive_c/users" | grep -v '^Public$' | head -n 1)
uhome="$WINEPREFIX/drive_c/users/$user"
inst="$uhome/AppData/Local/Programs/Sentinella"
link="$uhome/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Sentinella.lnk"
data="$uhome/AppData/Roaming/it.sentinella.desktop"
key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\it.sentinella.desktop'
"$wine" "$dist/Sentinella-$version-windows-x64-setup.exe" /S || fail "silent install"
/usr/lib/wine/wineserver -w
[ -f "$inst/Sentinella.exe" ] && [ -f "$inst/WebView2Loader.dll" ] && [ -f "$inst/Disinstalla.exe" ] \
  || fail "installed files missing in $inst: $(ls "$inst" 2>&1)"
cmp -s "$inst/Sentinella.exe" "$app_dir/Sentinella.exe" || fail "the installed exe differs from the portable one"
[ -f "$link" ] || fail "no Start-menu entry"
reg=$("$wine" reg query "$key" /v DisplayVersion 2>/dev/null || true)
grep -q "$version" <<< "$reg" || fail "no uninstall entry in HKCU"
# The user's data (as the app leaves it), then an update over the installed version.
mkdir -p "$data"
cp "$db" "$data/sentinella.db"
"$wine" "$dist/Sentinella-$version-windows-x64-setup.exe" /S || fail "install over the installed version"
/usr/lib/wine/wineserver -w
cmp -s "$db" "$data/sentinella.db" || fail "the update touched the user's database"
"$wine" "$inst/Disinstalla.exe" /S "_?=$(winpath "$inst")" || fail "silent uninstall"
/usr/lib/wine/wineserver -w
rm -f "$inst/Disinstalla.exe"  # with _?= the uninstaller cannot delete itself
[ ! -e "$inst/Sentinella.exe" ] && [ ! -e "$inst/WebView2Loader.dll" ] || fail "uninstall left program files"
[ ! -e "$link" ] || fail "uninstall left the Start-menu entry"
! "$wine" reg query "$key" >/dev/null 2>&1 || fail "uninstall left the registry entry"
cmp -s "$db" "$data/sentinella.db" || fail "the uninstaller touched the user's database"
ok "installer under Wine: per-user install, Start menu, uninstall entry; update and uninstall keep the data"

# --- 4. The .deb -----------------------------------------------------------------
deb="$dist/sentinella_${version}_amd64.deb"
grep -q "libwebkit2gtk-4.1-0" <<< "$(dpkg-deb -f "$deb" Depends)" || fail ".deb does not depend on WebKitGTK: $(dpkg-deb -f "$deb" Depends)"
pkg=$(dpkg-deb -f "$deb" Package)
$sudo dpkg -i "$deb" > /dev/null || fail "dpkg -i"
files=$(dpkg -L "$pkg")
grep -qx /usr/bin/sentinella <<< "$files" || fail ".deb lacks /usr/bin/sentinella"
app_bin=$(echo "$files" | grep -E '^/usr/bin/' | grep -vx /usr/bin/sentinella | head -n 1)
[ -x "$app_bin" ] || fail "no app binary in /usr/bin"
desktop=$(echo "$files" | grep -E '^/usr/share/applications/.*\.desktop$' | head -n 1)
[ -n "$desktop" ] || fail "no desktop entry"
grep -q "^Exec=$(basename "$app_bin")" "$desktop" || fail "desktop entry does not start $(basename "$app_bin"): $(cat "$desktop")"
icon=$(sed -n 's/^Icon=//p' "$desktop")
grep -q "/usr/share/icons/hicolor/.*/apps/$icon.png" <<< "$files" || fail "icon $icon not installed"
/usr/bin/sentinella questionnaires > /dev/null || fail "installed CLI"
# The test hooks (SENTINELLA_E2E_*) exist only in test builds
# (scripts/check-test-hooks.sh checks the debug build): not in what ships.
strings "$app_bin" > "$work/app-strings.txt"
grep -q SENTINELLA_DATA_DIR "$work/app-strings.txt" || fail "cannot read the strings of $app_bin"
! grep -q SENTINELLA_E2E "$work/app-strings.txt" || fail "the packaged app contains the test hooks"
x86_64-w64-mingw32-strings "$app_dir/Sentinella.exe" > "$work/exe-strings.txt" 2>/dev/null \
  || strings "$app_dir/Sentinella.exe" > "$work/exe-strings.txt"
! grep -q SENTINELLA_E2E "$work/exe-strings.txt" || fail "the Windows app contains the test hooks"
ok "no test hooks in the packaged Linux and Windows apps"
check_upgrade linux /usr/bin/sentinella
ok ".deb installed: $app_bin, /usr/bin/sentinella, $desktop, icon $icon"

SENTINELLA_APP_BIN="$app_bin" SENTINELLA_SHOT_NAME=package-deb-first-screen \
  xvfb-run -a -s "-screen 0 1366x768x24" \
  cargo test --quiet -p sentinella-app --test assets > "$work/deb-app.log" 2>&1 \
  || { cat "$work/deb-app.log" >&2; fail "the installed app did not show its styled first screen"; }
ok "installed app: styled first screen under Xvfb (target/screenshots/package-deb-first-screen.png)"

$sudo dpkg --purge "$pkg" > /dev/null || fail "dpkg --purge"
for f in $files; do
  [ -f "$f" ] && fail "left after removal: $f"
done
dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" && fail "still installed"
ok ".deb removed cleanly"
echo "PACKAGES OK" >&2
