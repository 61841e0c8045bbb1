#!/usr/bin/env bash
# Screenshots of the real app for the README, in docs/screenshots/:
# dashboard.png, concerns.png, concern-detail.png, visit-form.png and
# village-timeline.png, in Vietnamese at 1280×800; and every screen of
# the navigation at 1366×768 and 1280×800, in Vietnamese and English,
# light and dark, in docs/screenshots/all/WxH-LANG-THEME-SCREEN.png.
#
#   scripts/screenshots.sh [BINARY [OUTDIR]]    (make screenshots)
#
# It makes a demo store for commune 23368 (no passphrase) in a temporary
# directory and runs the app on it under Xvfb with DANVAN_AUTOPILOT=shots:
# the app fills in the first-run profile, opens each view, waits for its
# data and quits (see ui/autopilot.go). OpenGL cannot read the window back
# under Xvfb, so for each view the app prints "autopilot: capture FILE"
# and this script saves the screen to FILE with ImageMagick's import.
set -euo pipefail
. "$(dirname "$0")/xvfb.sh"

# ---- inside Xvfb: run the app, save the screen when it asks ----
if [ "${1:-}" = --in-xvfb ]; then
	bin=$2 store=$3 shots=$4 log=$5
	: >"$log"
	DANVAN_AUTOPILOT="shots:$shots" "$bin" --store "$store" >>"$log" 2>&1 &
	app=$!
	trap 'kill -TERM "$app" 2>/dev/null; wait "$app"' EXIT
	tail -n +1 -f --pid="$app" "$log" | while IFS= read -r line; do
		case $line in
		"autopilot: capture "*)
			file=${line#autopilot: capture }
			# The screen is larger than the window: keep the window's size,
			# the one the file is named after (1280×800 otherwise).
			geom=1280x800
			[[ $(basename "$file") =~ ^([0-9]+x[0-9]+)- ]] && geom=${BASH_REMATCH[1]}
			import -window root -crop "$geom+0+0" +repage "$file.tmp.png" && mv "$file.tmp.png" "$file"
			;;
		esac
	done
	trap - EXIT
	wait "$app"
	exit
fi

# ---- outside: a demo store, Xvfb, and the pictures copied to OUTDIR ----
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-$root/danvan}")
out=${2:-$root/docs/screenshots}
for tool in Xvfb import convert; do
	command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (make deps installs it)" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "screenshots: no app at $bin (make build)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out" "$tmp/shots"

"$bin" demo --commune 23368 --store "$tmp/store" >"$tmp/demo.log" 2>&1 ||
	{ cat "$tmp/demo.log" >&2; exit 1; }

# A fresh configuration directory (no language chosen on an earlier run),
# the light theme and scale 1, so that the pictures do not depend on the
# machine.
status=0
XDG_CONFIG_HOME="$tmp/config" FYNE_THEME=light FYNE_SCALE=1 XVFB_SCREEN=1366x800x24 \
	in_xvfb 900 "$0" --in-xvfb "$bin" "$tmp/store" "$tmp/shots" "$tmp/app.log" || status=$?

missing=0
for name in dashboard concerns concern-detail visit-form village-timeline; do
	if [ -s "$tmp/shots/$name.png" ]; then
		cp "$tmp/shots/$name.png" "$out/$name.png"
		echo "$out/$name.png"
	else
		echo "screenshots: $name.png was not made" >&2
		missing=1
	fi
done
n=$(ls "$tmp/shots/all" 2>/dev/null | wc -l)
if [ "$n" -gt 0 ]; then
	rm -rf "$out/all"
	mkdir -p "$out/all"
	# 256 colours: a tenth of the size, the same to the eye for a screen.
	for f in "$tmp/shots/all/"*.png; do
		convert "$f" -colors 256 "PNG8:$out/all/$(basename "$f")"
	done
	echo "$out/all: $n screens"
else
	echo "screenshots: the gallery of every screen was not made" >&2
	missing=1
fi
if [ "$status" -ne 0 ] || [ "$missing" -ne 0 ] || grep -q '^autopilot: ' <(grep -v '^autopilot: \(shot\|capture\) ' "$tmp/app.log"); then
	echo "screenshots: the app exited with status $status; its output:" >&2
	cat "$tmp/app.log" >&2
	exit 1
fi
