#!/usr/bin/env bash
# Builds installers/target/Shipdeck-<version>.dmg on macOS (JDK 17 with jpackage; Xcode command line tools).
# Called by installers/build.sh on Darwin; signing is left to the release pipeline (--mac-sign with a Developer ID).
#   build-dmg.sh OUT_DIR VERSION
set -euo pipefail
OUT="$1"; VERSION="$2"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
jpackage --type dmg --name Shipdeck --app-version "$VERSION" --vendor Shipdeck \
  --description "Desktop console for Kubernetes deployments" \
  --input "$OUT/input" --main-jar shipdeck-desktop.jar --main-class dev.shipdeck.app.Launcher \
  --runtime-image "$OUT/runtime" --icon "$ROOT/icons/shipdeck.icns" \
  --add-launcher shipdeck="$ROOT/installers/linux/shipdeck-cli.properties" \
  --mac-package-identifier dev.shipdeck.app --mac-package-name Shipdeck --dest "$OUT"
