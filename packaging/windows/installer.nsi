; Sentinella's Windows installer: per user, no administrator rights.
; Built by scripts/package.sh with Debian's makensis (NSIS 3):
;   makensis -DVERSION=0.1.0 -DSTAGE=<dir with Sentinella.exe, WebView2Loader.dll>
;            -DOUTFILE=<setup.exe> -DICON=<icon.ico> packaging/windows/installer.nsi
; Installs into %LOCALAPPDATA%\Programs\Sentinella, adds a Start-menu entry
; and an entry in "App installate" (HKCU), with an uninstaller. The data
; (%APPDATA%\it.sentinella.desktop) is never touched: neither by an update
; installed over an older version nor by the uninstaller.
; Nothing is downloaded: the WebView2 runtime ships with Windows 10/11.

; A 64-bit installer for a 64-bit app (and Wine 64 in the tests runs it).
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "VERSION not defined (-DVERSION=x.y.z)"
!endif
!ifndef STAGE
  !error "STAGE not defined (-DSTAGE=dir)"
!endif
!ifndef OUTFILE
  !error "OUTFILE not defined (-DOUTFILE=file.exe)"
!endif
!ifndef ICON
  !error "ICON not defined (-DICON=icon.ico)"
!endif

!define PRODUCT "Sentinella"
!define IDENTIFIER "it.sentinella.desktop"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${IDENTIFIER}"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "Software\${PRODUCT}" "InstallDir"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1040 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=1040 "FileDescription" "Installazione di ${PRODUCT}"
VIAddVersionKey /LANG=1040 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1040 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1040 "LegalCopyright" "EUPL-1.2"

!include "MUI2.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING

!define MUI_WELCOMEPAGE_TEXT "Questa procedura installa ${PRODUCT} ${VERSION} per il vostro utente, senza diritti di amministratore.$\r$\n$\r$\nSe una versione precedente è già installata viene aggiornata: le valutazioni, le chiavi e gli archivi restano dove sono.$\r$\n$\r$\nSe ${PRODUCT} è aperto, chiudetelo prima di continuare."
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${PRODUCT}.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Apri ${PRODUCT}"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "Italian"

Section "${PRODUCT}" SecMain
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; The app and the WebView2 loader it imports (it must sit beside the exe).
  File "/oname=${PRODUCT}.exe" "${STAGE}\${PRODUCT}.exe"
  File "${STAGE}\WebView2Loader.dll"
  File "${STAGE}\LEGGIMI.txt"
  WriteUninstaller "$INSTDIR\Disinstalla.exe"

  CreateShortCut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\${PRODUCT}.exe" "" "$INSTDIR\${PRODUCT}.exe" 0

  WriteRegStr HKCU "Software\${PRODUCT}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${PRODUCT}.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Disinstalla.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\Disinstalla.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  ; Only what the installer put there; the data in %APPDATA% stays.
  Delete "$INSTDIR\${PRODUCT}.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\LEGGIMI.txt"
  Delete "$INSTDIR\Disinstalla.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${PRODUCT}"
SectionEnd
