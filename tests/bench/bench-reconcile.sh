#!/usr/bin/env bash
# bench-reconcile.sh: time pay-reconcile against just parsing its inputs.
#
# usage: tests/bench/bench-reconcile.sh [N ...]
#
# For each N (default: $BENCH_RECONCILE, else 100000 and 1000000) it makes N
# orders (gen-orders) and about N YooKassa payment notifications for them in
# a temporary directory: 96% paid, 1% underpaid, 1% paid twice, 2% unpaid,
# plus 1% orphans.  It times, each once under /usr/bin/time:
#   - a parser alone: the same JSON Lines reader and writer and the same
#     payment reader pay-reconcile uses, compiled here from a few lines of C
#     against the library, reading both inputs and writing the orders out;
#   - pay-reconcile with a new SQLite store (every transaction inserted);
#   - pay-reconcile again on the same store (every transaction known);
#   - a next day of N/100 new orders and payments on that store, whose time
#     and memory should follow the day's size, not the store's history.
# It prints a markdown section on standard output.  The binaries are taken
# from $BIN (default bin, relative to the repository root), the library from
# $BIN/../lib/liborderkit.a.
set -euo pipefail

prog=bench-reconcile.sh
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=${BIN:-bin}
lib=$bin/../lib/liborderkit.a
status=0
# shellcheck source=tests/bench/common.sh
. "$here/common.sh"

usage() {
	echo "usage: $prog [N ...]" >&2
	exit 64
}

ratio() {
	if [[ -s "$tmp/secs.$1" && -s "$tmp/secs.$2" ]]; then
		awk -v a="$(cat "$tmp/secs.$1")" -v b="$(cat "$tmp/secs.$2")" \
		    'BEGIN { if (b > 0) printf("%.2fx\n", a / b); else print "n/a" }'
	else
		echo "n/a"
	fi
}

# The parser alone: what any program must do to read both inputs.
build_parser() {
	cat >"$tmp/parse-only.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>
#include "jsonl.h"
#include "payment.h"
#include "reject.h"

int
main(int argc, char *argv[])
{
	struct jsonl_reader in;
	struct reject_stream rejects;
	struct payment_reader *pr;
	struct payment_txn t;
	unsigned long n = 0;
	json_t *o;
	int st;

	if (argc != 3)
		return 64;
	reject_open(&rejects, "/dev/null");
	if ((pr = payment_open(argv[1], NULL, NULL, &st)) == NULL)
		return 66;
	while (payment_next(pr, &t, &rejects))
		n += t.amount != 0;
	payment_close(pr);
	jsonl_open(&in, 1, argv + 2);
	while ((o = reject_read(&rejects, &in)) != NULL) {
		jsonl_write(stdout, o);
		json_decref(o);
	}
	jsonl_close(&in);
	reject_close(&rejects);
	return jsonl_finish(stdout, "<stdout>") == 0 && n > 0 ? 0 : 1;
}
EOF
	# shellcheck disable=SC2046 # pkg-config prints several words
	"${CC:-cc}" -O2 -Ilib $(pkg-config --cflags jansson) \
	    -o "$tmp/parse-only" "$tmp/parse-only.c" "$lib" \
	    $(pkg-config --libs jansson) -lcsv
}

# payments ORDERS: YooKassa notifications for the orders, on stdout.
payments() {
	awk '
	function rnd(m) { rng = (rng * 48271) % 2147483647; return rng % m }
	function pay(n, id, kop, when,    rub) {
		rub = sprintf("%d.%02d", int(kop / 100), kop % 100)
		printf("{\"type\":\"notification\",\"event\":\"payment.succeeded\",")
		printf("\"object\":{\"id\":\"2d%022d\",\"status\":\"succeeded\",", n)
		printf("\"amount\":{\"value\":\"%s\",\"currency\":\"RUB\"},", rub)
		printf("\"income_amount\":{\"value\":\"%d.%02d\",\"currency\":\"RUB\"},",
		    int(kop * 0.965 / 100), int(kop * 0.965) % 100)
		printf("\"description\":\"Заказ №%s\",\"created_at\":\"%s\",", id, when)
		printf("\"captured_at\":\"%s\",\"paid\":true,\"refundable\":true,", when)
		printf("\"payment_method\":{\"type\":\"bank_card\",\"card\":{\"first6\":\"555555\",")
		printf("\"last4\":\"%04d\",\"issuer_country\":\"RU\"}},", n % 10000)
		printf("\"metadata\":{\"order_id\":\"%s\"}}}\n", id)
	}
	BEGIN { rng = 42 }
	{
		match($0, /"id":"[^"]*"/)
		id = substr($0, RSTART + 6, RLENGTH - 7)
		match($0, /"total":[0-9]+/)
		total = substr($0, RSTART + 8, RLENGTH - 8) + 0
		match($0, /"created_at":"[^"]*"/)
		when = substr($0, RSTART + 14, RLENGTH - 15)
		r = rnd(100)
		if (r < 2)
			next			# unpaid
		if (r == 2)
			total -= 100		# underpaid
		pay(++n, id, total, when)
		if (r == 3)
			pay(++n, id, total, when)	# paid twice
		if (rnd(100) == 0)
			pay(++n, "LOST-" n, 50000, when)	# an orphan
	}' "$1"
}

bench() {
	local n=$1 orders=$tmp/orders.jsonl pays=$tmp/payments.jsonl
	local rc=0 npay

	rm -f "$tmp"/secs.* "$tmp"/store.db*
	tests/bench/gen-orders "$n" >"$orders"
	payments "$orders" >"$pays"
	npay=$(wc -l <"$pays")
	echo "## pay-reconcile, $n orders x $npay transactions"
	echo
	awk -v n="$n" -v p="$npay" -v ob="$(wc -c <"$orders")" \
	    -v pb="$(wc -c <"$pays")" 'BEGIN {
		printf("Input: %d orders (%.1f MiB) and %d YooKassa ", n,
		    ob / 1048576, p)
		printf("notifications (%.1f MiB); a new SQLite store.\n",
		    pb / 1048576)
	}'
	echo
	echo "| run | orders | seconds | orders/s | peak RSS MiB |"
	echo "|---|---:|---:|---:|---:|"
	measure "parse only" "$n" "$tmp/parse-only" "$pays" "$orders" || true
	measure "pay-reconcile, new store" "$n" env ORDERKIT_DB="$tmp/store.db" \
	    "$bin/pay-reconcile" --payments "$pays" --rejects /dev/null \
	    --report "$tmp/report.jsonl" "$orders" || rc=1
	measure "pay-reconcile, same again" "$n" env \
	    ORDERKIT_DB="$tmp/store.db" "$bin/pay-reconcile" --payments \
	    "$pays" --rejects /dev/null "$orders" || rc=1
	day=$((n / 100 > 0 ? n / 100 : 1))
	tests/bench/gen-orders "$day" 7 | sed 's/"id":"/"id":"DAY2-/' \
	    >"$tmp/day.jsonl"
	payments "$tmp/day.jsonl" | sed 's/"id":"2d/"id":"3d/' \
	    >"$tmp/daypay.jsonl"
	measure "next day, $day orders" "$day" env \
	    ORDERKIT_DB="$tmp/store.db" "$bin/pay-reconcile" --payments \
	    "$tmp/daypay.jsonl" --rejects /dev/null "$tmp/day.jsonl" || rc=1
	echo
	echo "pay-reconcile / parse only, time: $(ratio \
	    "pay-reconcile, new store" "parse only") with a new store," \
	    "$(ratio "pay-reconcile, same again" "parse only") again."
	if ((rc == 0)); then
		echo
		jq -r 'select(.type == "summary") | .orders as $o |
		    "Report: \($o.paid) paid, \($o.underpaid) underpaid, " +
		    "\($o.duplicate) duplicate, \($o.unpaid) unpaid, " +
		    "\($o.cod) cod, orders of \(.day)."' \
		    "$tmp/report.jsonl" | sed -n 1,3p
		echo "Orphans: $(grep -c '"type":"orphan"' "$tmp/report.jsonl")."
	fi
	echo
}

need /usr/bin/time "install the package 'time'"
need jq
need pkg-config
if [[ ! -x $bin/pay-reconcile || ! -f $lib ]]; then
	echo "$prog: build first: no $bin/pay-reconcile or $lib" >&2
	exit 69
fi
if (($# == 0)); then
	read -r -a sizes <<<"${BENCH_RECONCILE:-100000 1000000}"
	set -- "${sizes[@]}"
fi
for n; do
	if ! [[ $n =~ ^[0-9]+$ ]] || ((10#$n == 0)); then
		usage
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-reconcile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

build_parser
for n; do
	bench "$((10#$n))"
done
exit "$status"
