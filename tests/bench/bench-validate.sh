#!/usr/bin/env bash
# bench-validate.sh: time order-validate against the same checks in jq.
#
# usage: tests/bench/bench-validate.sh [N ...]
#
# For each N (default: $BENCH_ORDERS, else 100000 and 1000000) it generates N
# orders and their catalog in a temporary directory, runs each tool once under
# /usr/bin/time (order-validate twice: a thread per processor, and --jobs 1)
# and prints a markdown section on standard output.  The binary
# is taken from $BIN (default bin, relative to the repository root).
set -euo pipefail

prog=bench-validate.sh
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=${BIN:-bin}
validate=$bin/order-validate
status=0
# shellcheck source=tests/bench/common.sh
. "$here/common.sh"

usage() {
	echo "usage: $prog [N ...]" >&2
	exit 64
}

# ratio A B: how many times A's throughput is B's ("n/a" if either failed).
ratio() {
	if [[ -s "$tmp/secs.$1" && -s "$tmp/secs.$2" ]]; then
		awk -v a="$(cat "$tmp/secs.$1")" -v b="$(cat "$tmp/secs.$2")" \
		    'BEGIN {
			if (a > 0)
				printf("%.1fx\n", b / a)
			else if (b > 0)
				printf("more than %.0fx\n", b / 0.01)
			else
				print "n/a (both under 0.01 s)"
		}'
	else
		echo "n/a"
	fi
}

bench() {
	local n=$1 orders=$tmp/orders.jsonl catalog=$tmp/catalog.csv gen bytes

	rm -f "$tmp"/secs.*
	tests/bench/gen-orders --catalog >"$catalog"
	/usr/bin/time -f '%e' -o "$tmp/time" tests/bench/gen-orders "$n" >"$orders"
	gen=$(tail -n 1 "$tmp/time")
	bytes=$(wc -c <"$orders")

	echo "## order-validate vs jq, $n orders"
	echo
	awk -v n="$n" -v bytes="$bytes" -v gen="$gen" \
	    -v rows="$(($(wc -l <"$catalog") - 1))" 'BEGIN {
		printf("Input: %d orders, %.1f MiB (%.0f bytes an order; about 3%% ",
		    n, bytes / 1048576, n ? bytes / n : 0)
		printf("invalid), a catalog of %d rows; generated in %s s.\n",
		    rows, gen)
	}'
	echo
	echo "| tool | orders | seconds | orders/s | peak RSS MiB |"
	echo "|---|---:|---:|---:|---:|"
	if [[ -x "$validate" ]]; then
		# The default (a thread per processor) and one thread, side
		# by side (issue 19).
		measure order-validate "$n" "$validate" --country RU --catalog "$catalog" \
		    --rejects /dev/null "$orders" || true
		measure "order-validate --jobs 1" "$n" "$validate" --jobs 1 \
		    --country RU --catalog "$catalog" --rejects /dev/null \
		    "$orders" || true
	else
		printf '| order-validate | %s | not built (%s missing) | | |\n' \
		    "$n" "$validate"
	fi
	measure "jq validate.jq" "$n" jq -c -f tests/bench/validate.jq \
	    "$orders" || true
	measure "jq . (parse and print only)" "$n" jq -c . "$orders" || true
	echo
	echo "order-validate / jq validate.jq throughput: $(ratio \
	    order-validate "jq validate.jq");" \
	    "order-validate / jq parse and print: $(ratio order-validate \
	    "jq . (parse and print only)")."
	echo
	echo "order-validate on $(getconf _NPROCESSORS_ONLN) processors / its" \
	    "--jobs 1: $(ratio order-validate "order-validate --jobs 1")."
	echo
}

need /usr/bin/time "install the package 'time'"
need jq
if (($# == 0)); then
	read -r -a sizes <<<"${BENCH_ORDERS:-100000 1000000}"
	set -- "${sizes[@]}"
fi
for n; do
	if ! [[ $n =~ ^[0-9]+$ ]] || ((10#$n == 0)); then
		usage
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-validate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for n; do
	bench "$((10#$n))"
done
exit "$status"
