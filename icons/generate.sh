#!/usr/bin/env bash
# Renders every icon size and format from the one vector source, icons/shipdeck.svg.
#   PNG 16..1024 (Linux, window icons), shipdeck.ico (Windows), shipdeck.icns (macOS).
# Needs rsvg-convert (Debian: apt-get install librsvg2-bin) and python3. Outputs are committed, so the build
# itself does not need these tools; rerun after editing the SVG:  icons/generate.sh
set -euo pipefail
cd "$(dirname "$0")"
command -v rsvg-convert >/dev/null || { echo "error: rsvg-convert missing (apt-get install librsvg2-bin)" >&2; exit 1; }
mkdir -p png
for s in 16 24 32 48 64 128 256 512 1024; do
  rsvg-convert -w "$s" -h "$s" shipdeck.svg -o "png/shipdeck-$s.png"
done
python3 pack_icons.py png
# the desktop app loads its window icons from its resources
mkdir -p ../app/src/main/resources/dev/shipdeck/app/icons
for s in 16 32 48 64 128 256; do cp "png/shipdeck-$s.png" ../app/src/main/resources/dev/shipdeck/app/icons/; done
echo "icons written: icons/png/*.png icons/shipdeck.ico icons/shipdeck.icns"
