#!/usr/bin/env bash
# Types Vietnamese into the real app with xdotool, as a keyboard would,
# and saves it with Ctrl+S: the GUI half of internal/guitest's typing test.
#
#   scripts/xdotool-typing.sh BINARY STORE TEXT [kill]
#
# With "kill", the app is not saved but killed (SIGKILL, as a power cut
# would) 2 s after the typing; it is then started again with
# DANVAN_AUTOPILOT=after-crash, and the last line printed is what its
# start offered: "offered N LABEL" (N drafts, the first one's line).
#
# STORE must be a store without a passphrase, bound to a commune (e.g.
# "danvan demo --commune 23368 --store STORE"). The app runs on it under
# Xvfb with DANVAN_AUTOPILOT=new-concern, which opens the concern form
# (kind and village filled in) with the cursor in the summary (see
# ui/autopilot.go). The script waits for the window, gives it the focus,
# types TEXT with a delay between keys, presses Ctrl+S, waits until the
# app says it saved the concern, and quits the app (SIGTERM: Fyne closes
# the window and the store). On success the last line printed is
# "saved ID", ID being the new concern's.
set -euo pipefail
. "$(dirname "$0")/xvfb.sh"

die() {
	echo "xdotool-typing: $*" >&2
	[ -n "${log:-}" ] && [ -f "$log" ] && { echo "--- app output ---" >&2; cat "$log" >&2; }
	exit 1
}

# waitfor PATTERN SECONDS: wait until the app's output has a line
# starting with PATTERN, or fail if the app ends or the time runs out.
waitfor() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		grep -qs "^$1" "$log" && return 0
		kill -0 "$app" 2>/dev/null || die "the app ended before \"$1\""
		sleep 0.1
	done
	die "no \"$1\" from the app after $2 s"
}

# bind_letters TEXT: give each letter of TEXT that the keyboard lacks a
# key of its own, as a Vietnamese keyboard layout would, before the app
# starts. Otherwise xdotool binds each such letter to a spare key just
# before pressing it and unbinds it just after, and an app that reads the
# key a moment late gets the next letter instead ("Hưởng" became
# "Hởởng" in about one run in five).
bind_letters() {
	local text=$1 c code i=0 k
	local -a free
	local -A bound
	if ! command -v xmodmap >/dev/null; then
		echo "xdotool-typing: warning: no xmodmap (make deps installs x11-xserver-utils): typing may drop or swap letters" >&2
		return
	fi
	mapfile -t free < <(xmodmap -pke | awk 'NF == 3 && $2 > 8 { print $2 }' | sort -rn)
	for ((k = 0; k < ${#text}; k++)); do
		c=${text:k:1}
		printf -v code '%04X' "'$c"
		((16#$code >= 128)) && [ -z "${bound[$code]:-}" ] || continue
		((i < ${#free[@]})) || die "no spare key for \"$c\""
		xmodmap -e "keycode ${free[i]} = U$code U$code"
		bound[$code]=1
		i=$((i + 1))
	done
}

if [ "${1:-}" != --in-xvfb ]; then
	[ $# -eq 3 ] || [ $# -eq 4 ] || { echo "usage: $0 BINARY STORE TEXT [kill]" >&2; exit 2; }
	for tool in Xvfb xdotool; do
		command -v "$tool" >/dev/null || die "$tool is missing (make deps installs it)"
	done
	in_xvfb 300 "$0" --in-xvfb "$@"
	exit
fi

# ---- inside Xvfb ----
bin=$2 store=$3 text=$4 mode=${5:-save}
tmp=$(mktemp -d)
log=$tmp/app.log
app=
trap 'if [ -n "$app" ]; then kill -TERM "$app" 2>/dev/null; wait "$app" 2>/dev/null; fi; rm -rf "$tmp"' EXIT

# A UTF-8 locale, as on any desktop: xdotool reads TEXT with it (in the
# C locale it stops at the first Vietnamese letter).
export LC_ALL=C.UTF-8
bind_letters "$text"

# A fresh configuration directory for the app.
XDG_CONFIG_HOME=$tmp/config DANVAN_AUTOPILOT=new-concern "$bin" --store "$store" >"$log" 2>&1 &
app=$!

waitfor "autopilot: ready" 120
win=$(timeout 60 xdotool search --sync --onlyvisible --name "Sổ tay Dân vận" | head -n 1) ||
	die "no window named \"Sổ tay Dân vận\""
[ -n "$win" ] || die "no window named \"Sổ tay Dân vận\""
# Xvfb has no window manager: windowactivate needs one, windowfocus not.
xdotool windowactivate --sync "$win" 2>/dev/null || true
xdotool windowfocus --sync "$win"
sleep 1

t0=$(date +%s%N)
xdotool type --delay 300 "$text"
echo "xdotool-typing: typed ${#text} characters in $((($(date +%s%N) - t0) / 1000000)) ms" >&2
sleep 1
if [ "$mode" = kill ]; then
	sleep 1
	kill -KILL "$app"
	wait "$app" 2>/dev/null || true
	app=
	: >"$log"
	XDG_CONFIG_HOME=$tmp/config DANVAN_AUTOPILOT=after-crash "$bin" --store "$store" >"$log" 2>&1 &
	app=$!
	waitfor "autopilot: offered " 120
	line=$(sed -n 's/^autopilot: offered //p' "$log" | head -n 1)
	wait "$app" 2>/dev/null || true
	app=
	echo "offered $line"
	exit 0
fi
xdotool key --delay 100 ctrl+s
waitfor "autopilot: saved " 60
id=$(sed -n 's/^autopilot: saved //p' "$log" | head -n 1)

kill -TERM "$app"
status=0
wait "$app" || status=$?
app=
[ "$status" -eq 0 ] || die "the app exited with status $status"
echo "saved $id"
