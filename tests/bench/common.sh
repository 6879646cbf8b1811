# tests/bench/common.sh: what the bench-*.sh scripts share; sourced, after
# they set prog (their name), tmp (a scratch directory) and status=0.
# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # prog, tmp and status are the caller's

# need PROGRAM [HINT]: exit 69 unless PROGRAM can be run.
need() {
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "$prog: cannot find '$1'${2:+: $2}" >&2
		exit 69
	fi
}

# server_start: start tests/carrier-server (Debian's /usr/bin/python3) on
# 127.0.0.1 with its root $tmp/root, its pid in $tmp/pid for server_stop
# and its log in $tmp/server.log; return once it listens, its port in
# $port.
server_start() {
	/usr/bin/python3 tests/carrier-server --root "$tmp/root" \
	    --port-file "$tmp/port" >"$tmp/server.log" 2>&1 &
	echo $! >"$tmp/pid"
	for _ in $(seq 100); do
		[[ -s $tmp/port ]] && break
		sleep 0.05
	done
	port=$(cat "$tmp/port")
}

# server_stop: stop the server server_start started, if it did; then
# remove $tmp.  For the EXIT trap.
# shellcheck disable=SC2317 # called by the trap
server_stop() {
	if [[ -f $tmp/pid ]]; then
		kill "$(cat "$tmp/pid")" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}

# measure LABEL N COMMAND...: run COMMAND once under /usr/bin/time and print
# a markdown row: LABEL, N, wall seconds, N a second, peak RSS in MiB.  The
# seconds go to $tmp/secs.LABEL and the rate to $tmp/rate.LABEL, for ratios.
# A command that fails gets a row saying so, its standard error on ours,
# status=1, and a return of 1.
measure() {
	local label=$1 n=$2 rc=0 secs rss
	shift 2
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null 2>"$tmp/err" ||
	    rc=$?
	read -r secs rss < <(tail -n 1 "$tmp/time")
	if ((rc != 0)); then
		printf '| %s | %s | failed (exit %s) | | |\n' "$label" "$n" "$rc"
		sed 's/^/    /' "$tmp/err" >&2
		status=1
		return 1
	fi
	# %e counts hundredths: below that, give bounds.
	awk -v label="$label" -v n="$n" -v secs="$secs" -v rss="$rss" 'BEGIN {
		if (secs > 0)
			printf("| %s | %d | %.2f | %.0f | %.1f |\n", label, n,
			    secs, n / secs, rss / 1024)
		else
			printf("| %s | %d | < 0.01 | > %.0f | %.1f |\n", label,
			    n, n / 0.01, rss / 1024)
	}'
	echo "$secs" >"$tmp/secs.$label"
	awk -v n="$n" -v secs="$secs" 'BEGIN {
		print (secs > 0 ? n / secs : n / 0.01) }' >"$tmp/rate.$label"
}
