#!/usr/bin/env bash
# Wraps the jpackage app image into a Debian package with a menu entry, icons in the hicolor theme and a
# /usr/bin/shipdeck link — without jpackage's --linux-shortcut, whose xdg-desktop-menu call fails on machines
# without menu directories.
#   package-deb.sh APP_IMAGE_DIR VERSION OUT_DIR
set -euo pipefail
IMAGE="$1"; VERSION="$2"; OUT="$3"
HERE="$(cd "$(dirname "$0")" && pwd)"
ICONS="$(cd "$HERE/../../icons/png" && pwd)"
ROOT="$(mktemp -d)"
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT/opt" "$ROOT/usr/bin" "$ROOT/usr/share/applications" "$ROOT/DEBIAN"
cp -a "$IMAGE" "$ROOT/opt/shipdeck"
ln -s /opt/shipdeck/bin/shipdeck "$ROOT/usr/bin/shipdeck"
ln -s /opt/shipdeck/bin/Shipdeck "$ROOT/usr/bin/shipdeck-desktop"
for s in 16 24 32 48 64 128 256 512; do
  mkdir -p "$ROOT/usr/share/icons/hicolor/${s}x${s}/apps"
  cp "$ICONS/shipdeck-$s.png" "$ROOT/usr/share/icons/hicolor/${s}x${s}/apps/shipdeck.png"
done
cp "$HERE/shipdeck.desktop" "$ROOT/usr/share/applications/shipdeck.desktop"
SIZE_KB=$(du -sk "$ROOT" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@SIZE@/$SIZE_KB/" "$HERE/control" > "$ROOT/DEBIAN/control"
install -m 755 "$HERE/postinst" "$ROOT/DEBIAN/postinst"
install -m 755 "$HERE/postrm" "$ROOT/DEBIAN/postrm"
fakeroot dpkg-deb --build -Zxz "$ROOT" "$OUT/shipdeck_${VERSION}_amd64.deb" >/dev/null
echo "built $OUT/shipdeck_${VERSION}_amd64.deb"
