#!/usr/bin/env bash
# Turns the mouse wheel over a field of the real visit form, under Xvfb:
# the GUI half of internal/guitest's wheel test (issue 15: the wheel did
# not scroll a form while the pointer was over a field).
#
#   scripts/xdotool-wheel.sh BINARY STORE
#
# STORE must be a store without a passphrase, bound to a commune (e.g.
# "danvan demo --commune 23368 --store STORE"). The app runs on it with
# DANVAN_AUTOPILOT=wheel, which opens the visit form and prints where its
# cadres' entry is; the script puts the pointer there, turns the wheel
# down three notches (X button 5), and the last line printed is
# "scrolled N": how many pixels the form's page moved.
set -euo pipefail
. "$(dirname "$0")/xvfb.sh"

die() {
	echo "xdotool-wheel: $*" >&2
	[ -n "${log:-}" ] && [ -f "$log" ] && { echo "--- app output ---" >&2; cat "$log" >&2; }
	exit 1
}

if [ "${1:-}" != --in-xvfb ]; then
	[ $# -eq 2 ] || { echo "usage: $0 BINARY STORE" >&2; exit 2; }
	for tool in Xvfb xdotool; do
		command -v "$tool" >/dev/null || die "$tool is missing (make deps installs it)"
	done
	XVFB_SCREEN=1366x768x24 in_xvfb 300 "$0" --in-xvfb "$@"
	exit
fi

# ---- inside Xvfb ----
bin=$2 store=$3
tmp=$(mktemp -d)
log=$tmp/app.log
app=
trap 'if [ -n "$app" ]; then kill -TERM "$app" 2>/dev/null; wait "$app" 2>/dev/null; fi; rm -rf "$tmp"' EXIT

XDG_CONFIG_HOME=$tmp/config FYNE_SCALE=1 DANVAN_AUTOPILOT=wheel "$bin" --store "$store" >"$log" 2>&1 &
app=$!
for ((i = 0; i < 1200; i++)); do
	grep -qs "^autopilot: ready " "$log" && break
	kill -0 "$app" 2>/dev/null || die "the app ended before it was ready"
	sleep 0.1
done
read -r x y < <(sed -n 's/^autopilot: ready //p' "$log" | head -n 1)
[ -n "${y:-}" ] || die "the app did not say where the field is"
win=$(timeout 60 xdotool search --sync --onlyvisible --name "Sổ tay Dân vận" | head -n 1) ||
	die "no window named \"Sổ tay Dân vận\""
eval "$(xdotool getwindowgeometry --shell "$win")" # X, Y: the window's corner
xdotool mousemove --sync $((X + x)) $((Y + y))
sleep 0.5
xdotool click --repeat 3 --delay 150 5
for ((i = 0; i < 300; i++)); do
	grep -qs "^autopilot: scrolled " "$log" && break
	kill -0 "$app" 2>/dev/null || die "the app ended before it reported the scroll"
	sleep 0.1
done
n=$(sed -n 's/^autopilot: scrolled //p' "$log" | head -n 1)
wait "$app" 2>/dev/null || true
app=
[ -n "$n" ] || die "the app did not report the scroll"
echo "scrolled $n"
