#!/usr/bin/env bash
# bench-export.sh: order-export's rows a second and memory, against jq.
#
# usage: tests/bench/bench-export.sh [N]
#
# Generates N orders (default $BENCH_EXPORT_ORDERS, else 1000000) and times
# order-export on them once each way: a row per order, a row per item, and
# a row per item with --excel; then, for scale, jq with the toolkit's
# module (scripts/orderkit.jq) writing the same default columns of a row
# per order with @csv, on the first tenth of the orders (at most 100000:
# jq is the slow one).  Prints a markdown section.  The binary is taken
# from $BIN (default bin, relative to the repository root).  Nothing is
# kept: the data lives in a temporary directory.
set -euo pipefail

prog=bench-export.sh
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=${BIN:-bin}
n=${1:-${BENCH_EXPORT_ORDERS:-1000000}}
status=0

if (($# > 1)) || ! [[ $n =~ ^[0-9]+$ ]] || ((10#$n == 0)); then
	echo "usage: $prog [N]" >&2
	exit 64
fi
if [[ ! -x $bin/order-export ]]; then
	echo "$prog: cannot find '$bin/order-export': build it first" >&2
	exit 69
fi
for p in jq /usr/bin/time; do
	if ! command -v "$p" >/dev/null 2>&1; then
		echo "$prog: cannot find '$p'" >&2
		exit 69
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-export.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# row LABEL ORDERS ROWS COMMAND...: run COMMAND once, its output in
# $tmp/out, and print a table row: orders, rows, seconds, rows a second,
# peak RSS in MiB.  The rows a second also in $rate (0 if it failed).
rate=0
row() {
	local label=$1 orders=$2 rows=$3 rc=0 secs rss
	shift 3
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out" \
	    2>"$tmp/err" || rc=$?
	read -r secs rss < <(tail -n 1 "$tmp/time")
	if ((rc != 0)); then
		printf '| %s | %d | %d | failed (exit %d) | | |\n' "$label" \
		    "$orders" "$rows" "$rc"
		sed 's/^/    /' "$tmp/err" >&2
		status=1
		rate=0
		return
	fi
	rate=$(awk -v rows="$rows" -v secs="$secs" 'BEGIN {
		printf("%.0f\n", secs > 0 ? rows / secs : 0) }')
	awk -v label="$label" -v orders="$orders" -v rows="$rows" \
	    -v secs="$secs" -v rss="$rss" 'BEGIN {
		printf("| %s | %d | %d | %.2f | %.0f | %.1f |\n", label, orders,
		    rows, secs, secs > 0 ? rows / secs : 0, rss / 1024)
	}'
}

tests/bench/gen-orders "$n" >"$tmp/orders.jsonl"
bytes=$(wc -c <"$tmp/orders.jsonl")
items=$(grep -o '"qty":' "$tmp/orders.jsonl" | wc -l)
small=$((n / 10 > 100000 ? 100000 : (n / 10 > 0 ? n / 10 : n)))
head -n "$small" "$tmp/orders.jsonl" >"$tmp/small.jsonl"

echo "## order-export, $n orders"
echo
awk -v n="$n" -v bytes="$bytes" -v items="$items" 'BEGIN {
	printf("Input: %d orders with %d items, %.1f MiB (tests/bench/gen-orders).\n",
	    n, items, bytes / 1048576)
}'
echo "The default columns (25 a row per order, 31 a row per item); each run"
echo "once, standard output to a file.  jq writes the same 25 columns with"
echo "@csv and the module's money(), on the first $small orders."
echo
echo "| run | orders | rows | seconds | rows/s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|"
row "order-export" "$n" "$n" "$bin/order-export" "$tmp/orders.jsonl"
export_rate=$rate
row "order-export --per item" "$n" "$items" "$bin/order-export" --per item \
    "$tmp/orders.jsonl"
out_bytes=$(wc -c <"$tmp/out")
row "order-export --per item --excel (ru_RU)" "$n" "$items" \
    env LC_ALL=ru_RU.UTF-8 "$bin/order-export" --per item --excel \
    "$tmp/orders.jsonl"
# shellcheck disable=SC2016 # $t and $c are jq's
row "jq @csv with orderkit.jq" "$small" "$small" jq -L scripts -r \
    'include "orderkit"; [.id, .created_at, .status, .currency,
    .customer.name, .customer.email, .customer.phone, .shipping.method,
    .shipping.carrier, .shipping.pickup_point, .shipping.address.country,
    .shipping.address.region, .shipping.address.city,
    .shipping.address.postal_code, .shipping.address.line1,
    .shipping.address.line2, .payment.method, .payment.provider,
    .payment.status]
    + [.totals as $t | .currency as $c | ("subtotal", "shipping",
    "discount", "tax", "tax_included", "total")
    | $t[.] | if . == null then null else money($c) end] | @csv' \
    "$tmp/small.jsonl"
jq_rate=$rate
echo
if ((export_rate > 0 && jq_rate > 0)); then
	awk -v a="$export_rate" -v b="$jq_rate" 'BEGIN {
		printf("order-export writes %.1fx the rows a second of jq with the module.\n",
		    a / b)
	}'
fi
awk -v b="$out_bytes" -v items="$items" 'BEGIN {
	printf("The CSV of a row per item: %.1f MiB (%.0f bytes a row).\n",
	    b / 1048576, items ? b / items : 0)
}'
echo "Memory is flat in the number of orders: one record at a time."
echo
exit "$status"
