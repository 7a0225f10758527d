#!/usr/bin/env bash
# Checks the built .deb without installing it: unpacks it into a temporary root, runs the packaged
# `shipdeck --version`, and starts the packaged desktop app headless (Xvfb) on its demo cluster until it
# reports its first frame. Run after `./mvnw -Pinstaller -DskipTests package`; CI runs it from .ci/run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEB="$(ls "$ROOT"/installers/target/shipdeck_*_amd64.deb | head -1)"
[ -f "$DEB" ] || { echo "FAIL: no .deb in installers/target" >&2; exit 1; }
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
dpkg-deb -x "$DEB" "$TMP/root"
echo "package: $(du -h "$DEB" | cut -f1), installed: $(du -sh "$TMP/root" | cut -f1)"
for f in opt/shipdeck/bin/Shipdeck opt/shipdeck/bin/shipdeck usr/share/applications/shipdeck.desktop \
         usr/share/icons/hicolor/256x256/apps/shipdeck.png; do
  [ -e "$TMP/root/$f" ] || { echo "FAIL: $f missing from the package" >&2; exit 1; }
done
dpkg-deb -f "$DEB" Depends | grep -q libgtk-3-0 || { echo "FAIL: libgtk-3-0 not declared" >&2; exit 1; }
VERSION_OUT="$("$TMP/root/opt/shipdeck/bin/shipdeck" --version)"
echo "shipdeck --version: $VERSION_OUT"
[ -n "$VERSION_OUT" ] || { echo "FAIL: shipdeck --version printed nothing" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "FAIL: xvfb-run missing (apt-get install xvfb)" >&2; exit 1; }
mkdir -p "$TMP/cwd"
(cd "$TMP/cwd" && HOME="$TMP/home" timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" \
  "$TMP/root/opt/shipdeck/bin/Shipdeck" --demo --measure > "$TMP/app.log" 2>&1) || true
if grep -q "SHIPDECK_STARTUP first_frame_ms=" "$TMP/app.log"; then
  echo "desktop app: $(grep SHIPDECK_STARTUP "$TMP/app.log" | head -1)"
else
  echo "FAIL: the packaged desktop app did not show its first frame" >&2; tail -20 "$TMP/app.log" >&2; exit 1
fi
# the app writes only under its home folder, never into the folder it was started from
[ -z "$(ls -A "$TMP/cwd")" ] || { echo "FAIL: the desktop app wrote into its working directory: $(ls -A "$TMP/cwd")" >&2; exit 1; }
[ -d "$TMP/home/.cache/shipdeck/openjfx" ] || { echo "FAIL: no JavaFX library cache under the home folder" >&2; exit 1; }
echo "OK: .deb unpacks, CLI runs, desktop app shows its first frame"
