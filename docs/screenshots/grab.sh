#!/usr/bin/env bash
# Regenerates the screenshots in this folder as real screen grabs (Xvfb + openbox, xwd), light and dark, by running
# the real-window check (app/x11/check-real-window.sh) on the demo cluster. Build first: ./mvnw -q -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/../.."
for theme in light dark; do
  app/x11/check-real-window.sh --out "target/screens-$theme" --theme "$theme" "$@"
  cp "target/screens-$theme/main.png" "docs/screenshots/timeline-$theme.png"
  cp "target/screens-$theme/palette.png" "docs/screenshots/palette-$theme.png"
  cp "target/screens-$theme/confirm.png" "docs/screenshots/confirm-$theme.png"
  cp "target/screens-$theme/dropdown.png" "docs/screenshots/labels-$theme.png"
  cp "target/screens-$theme/matrix.png" "docs/screenshots/matrix-$theme.png"
  cp "target/screens-$theme/insights.png" "docs/screenshots/insights-$theme.png"
done
echo "docs/screenshots: timeline, palette, confirm (component page + dialog), labels (drop-down), matrix, insights, light and dark"
