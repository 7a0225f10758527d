#!/usr/bin/env bash
# Starts the desktop app in a real X display (Xvfb + openbox), opens the command palette, a command's confirmation
# dialog and the label field's drop-down, then the Matrix and Insights tabs, grabs the real screen with xwd after each, and fails when an opened window's
# area is blank or black (too few colours, or one colour over its text region). Not scene.snapshot: what X shows.
#
#   app/x11/check-real-window.sh [--out DIR] [--theme light|dark] [--] [LAUNCHER...]
#
# LAUNCHER defaults to `java -jar app/target/shipdeck-desktop.jar` (e.g. pass the packaged /opt/shipdeck/bin/Shipdeck).
# Needs: Xvfb openbox xdotool x11-utils x11-apps netpbm (apt-get install -y xvfb openbox xdotool x11-utils x11-apps
# netpbm); the pixels are measured with netpbm, not ImageMagick. Grabs are kept in DIR (default target/real-window).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/real-window
theme=light
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --theme) theme=$2; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
launcher=("$@")
[[ ${#launcher[@]} -eq 0 ]] && launcher=(java -jar app/target/shipdeck-desktop.jar)
for t in Xvfb openbox xdotool xwininfo xwd xwdtopnm pnmtopng pamcut ppmhist ppmtopgm pamsumm; do
  command -v "$t" >/dev/null || { echo "error: $t is missing (apt-get install -y xvfb openbox xdotool x11-utils x11-apps netpbm)" >&2; exit 2; }
done
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "(screen grabs in $out)" >&2; exit 1; }
step() { echo "[real-window $(date +%H:%M:%S)] $*"; }

# a free display number
for n in $(seq 71 99); do [[ -e /tmp/.X$n-lock || -e /tmp/.X11-unix/X$n ]] || { display=:$n; break; }; done
[[ -n "${display:-}" ]] || fail "no free X display number between :71 and :99"
export DISPLAY=$display
Xvfb "$display" -screen 0 1440x900x24 -nolisten tcp >"$work/xvfb.log" 2>&1 & pids+=($!)
for _ in $(seq 1 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.2; done
openbox >"$work/openbox.log" 2>&1 & pids+=($!)
sleep 1

# the app, on the demo cluster, with a clean home; a file appears once every environment shows its data
mkdir -p "$work/home"
HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" JAVA_TOOL_OPTIONS="-Dshipdeck.readyFile=$work/ready" \
  "${launcher[@]}" --demo --theme "$theme" >"$work/app.log" 2>&1 & pids+=($!)
step "started ${launcher[*]} on $display"
for _ in $(seq 1 240); do [[ -f "$work/ready" ]] && break; sleep 0.5; done
[[ -f "$work/ready" ]] || { cat "$work/app.log" >&2; fail "the app showed no data within 120 s"; }
sleep 1
main=$(xdotool search --name "Shipdeck — demo cluster" | head -1 || true)
[[ -n "$main" ]] || fail "no main window"
xdotool windowactivate --sync "$main" 2>/dev/null || true

grab() { xwd -root -silent | xwdtopnm 2>/dev/null >"$work/$1.ppm"; pnmtopng <"$work/$1.ppm" >"$out/$1.png"; }
# the W H X Y region of grab $1 as a PPM, clipped to the screen (a window may reach past its edge)
region() {
  local x=$(( $4 < 0 ? 0 : $4 )) y=$(( $5 < 0 ? 0 : $5 ))
  local w=$(( $4 + $2 > 1440 ? 1440 - x : $4 + $2 - x )) h=$(( $5 + $3 > 900 ? 900 - y : $5 + $3 - y ))
  pamcut -left "$x" -top "$y" -width "$w" -height "$h" "$work/$1.ppm"
}
# the number of distinct colours in the W H X Y region of grab $1
colours_in() { region "$@" | ppmhist -noheader | grep -c .; }
tops() { xwininfo -root -children | awk '/^ +0x/ {print $1, $NF}' | sort; }   # id and +x+y of each top-level window
# the geometry WxH+X+Y of a mapped top-level window that appeared since $1 (a `tops` listing), the largest one
opened() {
  local before=$1 best="" area=0
  while read -r id _; do
    grep -q "^$id " <<<"$before" && continue
    local info; info=$(xwininfo -id "$id" 2>/dev/null) || continue
    grep -q "IsViewable" <<<"$info" || continue
    local w h x y
    w=$(awk '/^  Width:/ {print $2}' <<<"$info"); h=$(awk '/^  Height:/ {print $2}' <<<"$info")
    x=$(awk '/Absolute upper-left X:/ {print $4}' <<<"$info"); y=$(awk '/Absolute upper-left Y:/ {print $4}' <<<"$info")
    (( w > 20 && h > 20 && w * h > area )) && { area=$((w * h)); best="${w}x${h}+${x}+${y}"; }
  done < <(tops)
  echo "$best"
}
# asserts the area of the grab is painted: many colours, not black, and its upper text band not one flat colour
painted() {
  local name=$1 geom=$2
  local colours mean band
  local w=${geom%%x*} rest=${geom#*x}; local h=${rest%%+*}; local xy=${rest#*+}; local x=${xy%%+*} y=${xy#*+}
  colours=$(colours_in "$name" "$w" "$h" "$x" "$y")
  # mean grey from 0 (black) to 1 (white)
  mean=$(region "$name" "$w" "$h" "$x" "$y" | ppmtopgm | pamsumm -mean -brief -normalize)
  band=$(colours_in "$name" "$w" $(( h < 90 ? h : 90 )) "$x" "$y")
  echo "  $name: window $geom, $colours colours, mean grey $mean, text band $band colours"
  (( colours >= 16 )) || fail "$name: the opened window ($geom) has only $colours colours: it did not paint"
  awk -v m="$mean" 'BEGIN { exit !(m > 0.03) }' || fail "$name: the opened window ($geom) is black (mean grey $mean)"
  (( band >= 4 )) || fail "$name: the text region of the opened window ($geom) is uniform"
}

step "main window"
grab main
painted main "$(xwininfo -id "$main" | awk '/Width:/ {w=$2} /Height:/ {h=$2} /Absolute upper-left X:/ {x=$4} /Absolute upper-left Y:/ {y=$4} END {print w "x" h "+" x "+" y}')"

step "command palette (Ctrl+K)"
before=$(tops); xdotool key ctrl+k
for _ in $(seq 1 40); do g=$(opened "$before"); [[ -n "$g" ]] && break; sleep 0.25; done
[[ -n "$g" ]] || fail "Ctrl+K opened no window"
sleep 1.5; grab palette; painted palette "$g"

step "confirmation dialog (promote checkout in prod-eu, from the palette)"
xdotool type --delay 40 "promote checkout prod-eu"; sleep 1; xdotool key Return
before2=$(tops)
for _ in $(seq 1 80); do d=$(xdotool search --name "Promote checkout in prod-eu" 2>/dev/null | head -1 || true); [[ -n "$d" ]] && break; sleep 0.25; done
[[ -n "$d" ]] || { grab confirm; fail "no confirmation dialog titled 'Promote checkout in prod-eu?'"; }
sleep 2.5; grab confirm
painted confirm "$(xwininfo -id "$d" | awk '/Width:/ {w=$2} /Height:/ {h=$2} /Absolute upper-left X:/ {x=$4} /Absolute upper-left Y:/ {y=$4} END {print w "x" h "+" x "+" y}')"
xdotool key Escape; sleep 1
for _ in $(seq 1 20); do xdotool search --name "Promote checkout in prod-eu" >/dev/null 2>&1 || break; sleep 0.25; done

step "label field drop-down (Ctrl+L, Alt+Down)"
xdotool windowactivate --sync "$main" 2>/dev/null || true
xdotool key ctrl+l; sleep 1
before=$(tops); xdotool key alt+Down
for _ in $(seq 1 40); do g=$(opened "$before"); [[ -n "$g" ]] && break; sleep 0.25; done
[[ -n "$g" ]] || { grab dropdown; fail "Alt+Down on the label field opened no drop-down"; }
sleep 1.5; grab dropdown; painted dropdown "$g"
xdotool key Escape

step "matrix tab (Ctrl+4): components × environments"
sleep 0.5; xdotool key Escape; sleep 0.5; xdotool key ctrl+4
sleep 2; grab matrix
painted matrix "$(xwininfo -id "$main" | awk '/Width:/ {w=$2} /Height:/ {h=$2} /Absolute upper-left X:/ {x=$4} /Absolute upper-left Y:/ {y=$4} END {print w "x" h "+" x "+" y}')"

step "insights tab (Ctrl+5): tiles and charts"
sleep 0.5; xdotool key Escape; sleep 0.5; xdotool key ctrl+5
sleep 3; grab insights
painted insights "$(xwininfo -id "$main" | awk '/Width:/ {w=$2} /Height:/ {h=$2} /Absolute upper-left X:/ {x=$4} /Absolute upper-left Y:/ {y=$4} END {print w "x" h "+" x "+" y}')"

if grep -E "Exception|SIGSEGV|fatal error" "$work/app.log" >/dev/null; then
  sed -n 1,40p "$work/app.log" >&2; fail "the app logged an exception or crashed"
fi
step "OK: every opened window painted (grabs in $out)"
