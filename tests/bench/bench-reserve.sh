#!/usr/bin/env bash
# bench-reserve.sh: reservations per second on SQLite and PostgreSQL.
#
# usage: tests/bench/bench-reserve.sh [N]
#
# Generates N orders (default $BENCH_RESERVE_ORDERS, else 100000) and stock
# for every SKU of the catalog in two warehouses, then times order-reserve
# on a new SQLite store (one process) and on a throwaway PostgreSQL server
# (scripts/pg-test.sh; one process, then eight on an eighth of the orders
# each), JSON in and out included, and prints a markdown section.  The
# binaries are taken from $BIN (default bin, relative to the repository
# root).  Nothing is kept: data and server live in a temporary directory.
set -euo pipefail

prog=bench-reserve.sh
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=${BIN:-bin}
n=${1:-${BENCH_RESERVE_ORDERS:-100000}}
status=0

if (($# > 1)) || ! [[ $n =~ ^[0-9]+$ ]] || ((10#$n == 0)); then
	echo "usage: $prog [N]" >&2
	exit 64
fi
for p in order-reserve stock-load; do
	if [[ ! -x $bin/$p ]]; then
		echo "$prog: cannot find '$bin/$p': build it first" >&2
		exit 69
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-reserve.XXXXXX")
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	scripts/pg-test.sh stop "$tmp/pg" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tests/bench/gen-orders "$n" >"$tmp/orders.jsonl"
tests/bench/gen-orders --catalog |
    awk -F, 'NR > 1 && !seen[$1]++ {
	printf("%s,MSK,%d\n%s,SPB,%d\n", $1, 1000000, $1, 1000000) }
	NR == 1 { print "sku,warehouse,qty" }' >"$tmp/stock.csv"
split -n l/8 "$tmp/orders.jsonl" "$tmp/part."

now() { date +%s.%N; }

# row LABEL PROCS SECONDS OUT: a table row.
row() {
	awk -v label="$1" -v procs="$2" -v secs="$3" -v n="$n" -v out="$4" \
	    'BEGIN { printf("| %s | %d | %d | %d | %.2f | %.0f |\n", label,
	    procs, n, out, secs, secs > 0 ? n / secs : 0) }'
}

# run_one LABEL DB: one process on all the orders.
run_one() {
	local t0 t1 out
	"$bin/stock-load" --db "$2" "$tmp/stock.csv" >/dev/null
	t0=$(now)
	if ! "$bin/order-reserve" --db "$2" --rejects "$tmp/rej.1" \
	    "$tmp/orders.jsonl" >"$tmp/out.1"; then
		printf '| %s | 1 | %d | failed | | |\n' "$1" "$n"
		status=1
		return
	fi
	t1=$(now)
	out=$(wc -l <"$tmp/out.1")
	row "$1" 1 "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$out"
}

# run_eight LABEL DB: eight processes, an eighth of the orders each.
run_eight() {
	local t0 t1 out p pids=() failed=0
	"$bin/stock-load" --db "$2" "$tmp/stock.csv" >/dev/null
	t0=$(now)
	for p in "$tmp"/part.*; do
		"$bin/order-reserve" --db "$2" --rejects "$p.rej" "$p" \
		    >"$p.out" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do
		wait "$p" || failed=1
	done
	t1=$(now)
	if ((failed)); then
		printf '| %s | 8 | %d | failed | | |\n' "$1" "$n"
		status=1
		return
	fi
	out=$(cat "$tmp"/part.*.out | wc -l)
	row "$1" 8 "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$out"
}

echo "## order-reserve, $n orders"
echo
echo "Each order reserved from stock of two warehouses (plenty of it), in"
echo "batches of 500 orders a transaction (order-reserve's default); the"
echo "orders order-validate would reject for an unknown SKU are rejected"
echo "here too.  PostgreSQL: a throwaway server on 127.0.0.1, fsync on,"
echo "synchronous_commit on.  Wall-clock time, JSON in and out included."
echo
echo "| store | processes | orders | reserved | seconds | orders/s |"
echo "|---|---:|---:|---:|---:|---:|"
run_one SQLite "$tmp/sqlite.db"
if url=$(scripts/pg-test.sh start "$tmp/pg" 2>"$tmp/pg.err"); then
	psql -q "$url" -c 'CREATE DATABASE one' -c 'CREATE DATABASE eight'
	run_one PostgreSQL "${url%/*}/one"
	run_eight PostgreSQL "${url%/*}/eight"
else
	printf '| PostgreSQL | | %d | not run: %s | | |\n' "$n" \
	    "$(head -n 1 "$tmp/pg.err")"
	status=1
fi
echo
exit "$status"
