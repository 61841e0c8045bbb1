# Sourced by scripts/screenshots.sh and scripts/xdotool-typing.sh.
#
# in_xvfb SECONDS COMMAND...: run COMMAND, for at most SECONDS, on a
# fresh Xvfb screen of 1280×800×24 (or XVFB_SCREEN) of its own, then
# stop the screen.
#
# This is what "xvfb-run -a -s '-screen 0 1280x800x24'" does, without its
# race: xvfb-run -a picks the first display number without a lock file,
# then starts Xvfb on it, so two runs starting at once can pick the same
# number and one of them ends up on the other's screen or on none. Here
# Xvfb picks a free number itself (-displayfd) and says which once it
# accepts clients. -noreset keeps the keyboard mapping that
# xdotool-typing.sh sets up when its last client disconnects.
in_xvfb() {
	local limit=$1 dir xvfb n i status=0
	shift
	dir=$(mktemp -d)
	Xvfb -displayfd 3 -screen 0 "${XVFB_SCREEN:-1280x800x24}" -nolisten tcp -noreset 3>"$dir/display" 2>"$dir/xvfb.log" &
	xvfb=$!
	for ((i = 0; i < 300; i++)); do
		[ -s "$dir/display" ] && break
		if ! kill -0 "$xvfb" 2>/dev/null; then
			cat "$dir/xvfb.log" >&2
			break
		fi
		sleep 0.1
	done
	n=$(cat "$dir/display" 2>/dev/null)
	if [ -z "$n" ]; then
		echo "xvfb: Xvfb did not start" >&2
		kill "$xvfb" 2>/dev/null
		rm -rf "$dir"
		return 1
	fi
	DISPLAY=:$n timeout "$limit" "$@" || status=$?
	kill "$xvfb" 2>/dev/null
	wait "$xvfb" 2>/dev/null
	rm -rf "$dir"
	return "$status"
}
