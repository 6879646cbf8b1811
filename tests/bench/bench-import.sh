#!/usr/bin/env bash
# bench-import.sh: time order-import on a Shopify export against Miller and
# Python's csv module.
#
# usage: tests/bench/bench-import.sh [ROWS]
#
# It generates a deterministic Shopify orders_export.csv of ROWS rows
# (default $BENCH_IMPORT_ROWS, else 1000000; one to four line items per
# order) in a temporary directory, runs each tool once under /usr/bin/time
# and prints a markdown section on standard output.  Miller holds the whole
# file in memory, so it gets the first 100000 rows.  The binary comes from
# $BIN (default bin, relative to the repository root).
set -euo pipefail

prog=bench-import.sh
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=${BIN:-bin}
import=$bin/order-import
rows=${1:-${BENCH_IMPORT_ROWS:-1000000}}
mlr_rows=100000
status=0
# shellcheck source=tests/bench/common.sh
. "$here/common.sh"

if (($# > 1)) || [[ ! $rows =~ ^[0-9]+$ ]]; then
	echo "usage: $prog [ROWS]" >&2
	exit 64
fi
if [[ ! -x $import ]]; then
	echo "$prog: cannot find '$import': run make first" >&2
	exit 69
fi
((mlr_rows > rows)) && mlr_rows=$rows

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# gen N: a Shopify export of N rows on standard output.
gen() {
	awk -v n="$1" 'BEGIN {
		OFS = ","
		print "Name,Email,Financial Status,Paid at,Fulfillment Status," \
		    "Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping," \
		    "Taxes,Total,Discount Code,Discount Amount,Shipping Method," \
		    "Created at,Lineitem quantity,Lineitem name,Lineitem price," \
		    "Lineitem compare at price,Lineitem sku," \
		    "Lineitem requires shipping,Lineitem taxable," \
		    "Lineitem fulfillment status,Billing Name,Billing Street," \
		    "Billing Address1,Billing Address2,Billing Company," \
		    "Billing City,Billing Zip,Billing Province,Billing Country," \
		    "Billing Phone,Shipping Name,Shipping Street," \
		    "Shipping Address1,Shipping Address2,Shipping Company," \
		    "Shipping City,Shipping Zip,Shipping Province," \
		    "Shipping Country,Shipping Phone,Notes,Note Attributes," \
		    "Cancelled at,Payment Method,Payment Reference," \
		    "Refunded Amount,Vendor,Outstanding Balance,Employee," \
		    "Location,Device ID,Id,Tags,Risk Level,Source," \
		    "Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name," \
		    "Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value," \
		    "Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties," \
		    "Billing Province Name,Shipping Province Name,Payment ID," \
		    "Payment Terms Name,Next Payment Due At,Payment References"
		split("Alpine Snowboard|Ski Wax, Blue|Gift Card - $10|Wool Hat \"Nordic\"", names, "|")
		order = 1000; row = 0; seed = 42
		while (row < n) {
			order++
			seed = (seed * 1103515245 + 12345) % 2147483648
			items = seed % 4 + 1
			if (row + items > n)
				items = n - row
			total = 0
			for (i = 1; i <= items; i++) {
				q[i] = (seed / (i * 7)) % 3 + 1
				p[i] = 1000 + (order * i) % 9000
				total += q[i] * p[i]
			}
			ship = 500
			tax = int(total / 10)
			day = order % 28 + 1
			ts = sprintf("2026-03-%02d %02d:%02d:%02d +0100", day,
			    order % 24, order % 60, (order * 7) % 60)
			for (i = 1; i <= items; i++) {
				name = names[(order + i) % 4 + 1]
				if (name ~ /[,"]/) {
					gsub(/"/, "\"\"", name)
					name = "\"" name "\""
				}
				if (i == 1)
					printf("#%d,buyer%d@example.com,paid,%s,unfulfilled,,no,EUR,%d.%02d,%d.%02d,%d.%02d,%d.%02d,,0.00,Standard,%s,%d,%s,%d.%02d,,SKU-%d,true,true,pending,Anna Schmidt,Hauptstr. %d,Hauptstr. %d,,,Berlin,%05d,BE,DE,+4930%07d,Anna Schmidt,Hauptstr. %d,Hauptstr. %d,,,Berlin,%05d,BE,DE,+4930%07d,,,,Shopify Payments,r%d,0.00,Vendor,0.00,,,,%d,,Low,web,0.00,VAT 19%%,%d.%02d,,,,,,,,,,,,Berlin,Berlin,p%d,,,p%d\n",
					    order, order, ts, total / 100, total % 100,
					    ship / 100, ship % 100, tax / 100,
					    tax % 100, (total + ship + tax) / 100,
					    (total + ship + tax) % 100, ts, q[i], name,
					    p[i] / 100, p[i] % 100, (order + i) % 500,
					    order % 200, order % 200, 10000 + order % 90000,
					    order % 10000000, order % 200, order % 200,
					    10000 + order % 90000, order % 10000000,
					    order, 6000000000000 + order, tax / 100,
					    tax % 100, order, order)
				else
					printf("#%d,buyer%d@example.com,,,,,,,,,,,,,,%s,%d,%s,%d.%02d,,SKU-%d,true,true,pending,,,,,,,,,,,,,,,,,,,,,,,,,,,Vendor,,,,,,,,,0.00,,,,,,,,,,,,,,,,,,,\n",
					    order, order, ts, q[i], name, p[i] / 100,
					    p[i] % 100, (order + i) % 500)
				row++
			}
		}
	}'
}

gen "$rows" >"$tmp/orders_export.csv"
head -n $((mlr_rows + 1)) "$tmp/orders_export.csv" >"$tmp/head.csv"
gen 1000 >"$tmp/small.csv"
bytes=$(wc -c <"$tmp/orders_export.csv")

echo "## order-import vs Miller and Python csv, Shopify export"
echo
echo "A generated Shopify orders_export.csv: $rows rows (line items) of 79"
echo "columns, $((bytes / 1048576)) MiB; Miller reads the first $mlr_rows rows."
echo "Peak RSS of order-import on 1000 rows, for comparison with the full run:"
/usr/bin/time -f '%M' -o "$tmp/small.time" "$import" --format shopify \
    "$tmp/small.csv" >/dev/null 2>&1
echo "$(awk '{ printf("%.1f MiB", $1 / 1024) }' "$tmp/small.time")."
echo
echo "| tool | rows | seconds | rows/s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
measure order-import "$rows" "$import" --format shopify \
    "$tmp/orders_export.csv" || true
if command -v mlr >/dev/null 2>&1; then
	measure mlr "$mlr_rows" mlr --icsv --ojson cat "$tmp/head.csv" || true
else
	echo "| mlr | | not installed | | |"
fi
measure python-csv "$rows" /usr/bin/python3 -c '
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    out = sys.stdout
    for row in csv.DictReader(f):
        out.write(json.dumps(row))
        out.write("\n")
' "$tmp/orders_export.csv" || true
echo
if [[ -s $tmp/rate.order-import && -s $tmp/rate.mlr ]]; then
	awk -v a="$(cat "$tmp/rate.order-import")" \
	    -v b="$(cat "$tmp/rate.mlr")" 'BEGIN {
		printf("order-import converts %.1fx as many rows per second as Miller (target: 5x).\n", a / b) }'
	echo
fi
exit "$status"
