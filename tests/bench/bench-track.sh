#!/usr/bin/env bash
# bench-track.sh: track-poll against a local carrier server, next to curl.
#
# usage: tests/bench/bench-track.sh [N]
#
# Starts tests/carrier-server (Debian's /usr/bin/python3) on 127.0.0.1 in
# its benchmark mode, which answers DHL's shipment tracking for any number
# at once, and polls N parcels (default $BENCH_TRACK_PARCELS, else 100000)
# with track-poll (a new SQLite store, 16 calls in flight), then has
# `curl --parallel --parallel-max 16` fetch the same N URLs from the same
# server in the same run.  Prints a markdown section: parcels and requests
# a second, connections opened, peak RSS (also at N/10, to show memory
# flat in N), and track-poll's request rate as a share of curl's.  The
# binaries are taken from $BIN (default bin, relative to the repository
# root).  Nothing is kept.
set -euo pipefail

prog=bench-track.sh
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=${BIN:-bin}
n=${1:-${BENCH_TRACK_PARCELS:-100000}}
status=0

if (($# > 1)) || ! [[ $n =~ ^[0-9]+$ ]] || ((10#$n < 10)); then
	echo "usage: $prog [N]" >&2
	exit 64
fi
# shellcheck source=tests/bench/common.sh
. tests/bench/common.sh
if [[ ! -x $bin/track-poll ]]; then
	echo "$prog: cannot find '$bin/track-poll': build it first" >&2
	exit 69
fi
need curl
need /usr/bin/python3 "install python3"
need /usr/bin/time "install the 'time' package"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-track.XXXXXX")
trap server_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir "$tmp/root"
server_start
base="http://127.0.0.1:$port/bench/dhl"

cat >"$tmp/orderkit.conf" <<EOF
[http]
timeout = 30
retries = 2
backoff_max = 1
concurrency = 16
[carrier "dhl"]
url = $base
key = bench
EOF
chmod 600 "$tmp/orderkit.conf"
export ORDERKIT_CONFIG=$tmp/orderkit.conf

# parcels N FILE: N plain lines, numbers 10 digits.
parcels() {
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++)
	    printf("{\"carrier\":\"dhl\",\"tracking_number\":\"%010d\"}\n",
	    i) }' >"$2"
}
parcels "$n" "$tmp/parcels.jsonl"
parcels $((n / 10)) "$tmp/small.jsonl"
awk -v n="$n" -v base="$base" 'BEGIN { for (i = 1; i <= n; i++)
    printf("url = \"%s/shipments?trackingNumber=%010d\"\noutput = \"/dev/null\"\n",
    base, i) }' >"$tmp/curl.cfg"

rounds=${BENCH_TRACK_ROUNDS:-3}

# timed LABEL N COMMAND...: run COMMAND under /usr/bin/time; append
# "LABEL N SECONDS RSS_KIB CPU_SECONDS" to $tmp/runs, or note its failure.
timed() {
	local label=$1 n=$2 rc=0
	shift 2
	/usr/bin/time -f '%e %M %U %S' -o "$tmp/time" "$@" >/dev/null \
	    2>"$tmp/err" || rc=$?
	if ((rc != 0)); then
		echo "$prog: $label failed (exit $rc)" >&2
		sed 's/^/    /' "$tmp/err" >&2
		status=1
		return 1
	fi
	awk -v l="$label" -v n="$n" '{ print l, n, $1, $2, $3 + $4 }' \
	    "$tmp/time" >>"$tmp/runs"
}

# poll N INPUT: track-poll on a new store, its --stats kept.
poll() {
	rm -f "$tmp"/store.db*
	timed track-poll "$1" "$bin/track-poll" --db "$tmp/store.db" --stats \
	    --rejects "$tmp/rej" "$2" || return 0
	sed -n 's/.* \([0-9]*\) requests, [0-9]* retries, \([0-9]*\) connections$/\1 \2/p' \
	    "$tmp/err" >"$tmp/stats"
}

fetch() {
	# shellcheck disable=SC2016 # $1 and $2 are the inner shell's
	timed curl "$n" sh -c 'curl --silent --parallel --parallel-max 16 \
	    --header "DHL-API-Key: bench" --write-out "%{num_connects}\n" \
	    --config "$1" >"$2"' sh "$tmp/curl.cfg" "$tmp/curl.out" || true
}

: >"$tmp/runs"
for _ in $(seq "$rounds"); do
	poll "$n" "$tmp/parcels.jsonl"
	fetch
done
cp "$tmp/runs" "$tmp/runs.full"
poll $((n / 10)) "$tmp/small.jsonl"

echo "## track-poll vs curl --parallel, $n parcels"
echo
echo "A local server (tests/carrier-server, Python's ThreadingHTTPServer,"
echo "one core for itself at best) answers DHL's shipment tracking for any"
echo "number; both clients make one GET a parcel, 16 in flight over"
echo "kept-alive connections, on the same 2 cores as the server."
echo "track-poll's time includes reading the parcels, the SQLite store"
echo "(every parcel remembered, every change written and committed in"
echo "batches) and writing $n change records.  The two alternate, $rounds"
echo "rounds each; the share is of the median rates.  CPU is user and"
echo "system seconds of the client alone."
echo
echo "| client | round | requests | seconds | requests/s | CPU s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
awk '{ r[$1]++; printf("| %s | %d | %d | %.2f | %.0f | %.2f | %.1f |\n",
    $1, r[$1], $2, $3, $3 > 0 ? $2 / $3 : 0, $5, $4 / 1024) }' \
    "$tmp/runs.full"
echo
conn=$(awk '{ print $2 }' "$tmp/stats" 2>/dev/null || echo "?")
curl_conn=$(awk '{ s += $1 } END { print s + 0 }' "$tmp/curl.out" 2>/dev/null)
small_rss=$(awk -v m=$((n / 10)) '$1 == "track-poll" && $2 == m {
    printf("%.1f", $4 / 1024) }' "$tmp/runs")
awk -v n="$n" -v small="$((n / 10))" -v conn="$conn" -v cc="$curl_conn" \
    -v srss="$small_rss" -v rej="$(wc -l <"$tmp/rej")" '
function median(a, k,    i, j, t) {
	for (i = 1; i <= k; i++)
		for (j = i + 1; j <= k; j++)
			if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
$1 == "track-poll" && $2 == n { tr[++nt] = $2 / $3; tc[nt] = $5; trss = $4 }
$1 == "curl" { cr[++nc] = $2 / $3; cc2[nc] = $5 }
END {
	if (nt == 0 || nc == 0)
		exit 1
	t = median(tr, nt); c = median(cr, nc)
	printf("Median: track-poll %.0f requests/s, curl %.0f: ", t, c)
	printf("track-poll makes %.0f%% of the request rate of curl ", 100 * t / c)
	printf("(target: 80%%), with %d rejects.\n\n", rej)
	printf("CPU a request: track-poll %.0f us, curl %.0f us.  ",
	    1e6 * median(tc, nt) / n, 1e6 * median(cc2, nc) / n)
	printf("Connections opened: track-poll %s, curl %s.\n\n", conn, cc)
	printf("Peak RSS of track-poll: %.1f MiB at %d parcels, %s MiB at %d: ",
	    trss / 1024, n, srss, small)
	printf("flat in the number of parcels (polled in windows of 1000).\n")
}' "$tmp/runs" || status=1
echo
exit "$status"
