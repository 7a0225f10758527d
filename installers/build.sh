#!/usr/bin/env bash
# Builds the native package of the current OS from the built jars:
#   jlink a trimmed Java runtime, then jpackage the desktop app (launcher "Shipdeck") with the
#   `shipdeck` CLI as a second launcher, into installers/target/.
# Called by `./mvnw -Pinstaller -DskipTests package` (after app and agent-headless are packaged);
# can also be run by hand from the repository root: installers/build.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/installers/target"
VERSION="${SHIPDECK_VERSION:-0.1.0}"
VERSION="${VERSION%-SNAPSHOT}"
APP_JAR="$ROOT/app/target/shipdeck-desktop.jar"
CLI_JAR="$ROOT/agent-headless/target/shipdeck.jar"
for j in "$APP_JAR" "$CLI_JAR"; do
  [ -f "$j" ] || { echo "error: $j is missing; build first: ./mvnw -DskipTests package" >&2; exit 1; }
done
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
JLINK="$JAVA_HOME/bin/jlink"; JPACKAGE="$JAVA_HOME/bin/jpackage"
[ -x "$JPACKAGE" ] || { echo "error: jpackage not found in $JAVA_HOME (a full JDK 17 is needed)" >&2; exit 1; }

rm -rf "$OUT/runtime" "$OUT/input" "$OUT/staging"
mkdir -p "$OUT/input"
cp "$APP_JAR" "$CLI_JAR" "$OUT/input/"

# The JDK modules the app, the CLI and their libraries use (JavaFX itself is inside the app jar).
MODULES=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.prefs,java.scripting,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr,jdk.unsupported,jdk.zipfs,jdk.localedata,java.security.jgss
"$JLINK" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=2 --output "$OUT/runtime"

COMMON=(--name Shipdeck --app-version "$VERSION" --vendor "Shipdeck" --copyright "Shipdeck authors"
  --description "Desktop console for Kubernetes deployments"
  --input "$OUT/input" --main-jar shipdeck-desktop.jar --main-class dev.shipdeck.app.Launcher
  --runtime-image "$OUT/runtime"
  --dest "$OUT")

case "$(uname -s)" in
  Linux)
    "$JPACKAGE" "${COMMON[@]}" --type app-image --dest "$OUT/staging" \
      --add-launcher shipdeck="$ROOT/installers/linux/shipdeck-cli.properties" \
      --icon "$ROOT/icons/png/shipdeck-256.png"
    "$ROOT/installers/linux/package-deb.sh" "$OUT/staging/Shipdeck" "$VERSION" "$OUT"
    if command -v rpmbuild >/dev/null; then
      "$JPACKAGE" --type rpm --app-image "$OUT/staging/Shipdeck" --name shipdeck --app-version "$VERSION" \
        --vendor Shipdeck --linux-package-deps gtk3 --linux-menu-group Development --dest "$OUT" \
        --resource-dir "$ROOT/installers/linux/resources"
    fi
    ;;
  Darwin) "$ROOT/installers/macos/build-dmg.sh" "$OUT" "$VERSION" ;;
  *) echo "error: on Windows run installers/windows/build-msi.ps1" >&2; exit 1 ;;
esac
ls -la "$OUT"/*.deb "$OUT"/*.rpm "$OUT"/*.dmg 2>/dev/null || true
