#!/usr/bin/env bash
# bench-return.sh: return decisions per second and peak memory.
#
# usage: tests/bench/bench-return.sh [N]
#
# Generates N orders (default $BENCH_RETURN_ORDERS, else 100000), delivered,
# and a return request for one unit of each one's first item, then times
# return-open deciding them against the orders (--orders) on a new SQLite
# store and on a throwaway PostgreSQL server (scripts/pg-test.sh), one
# process, JSON in and out included, and prints a markdown section.  The
# binaries are taken from $BIN (default bin).  Nothing is kept.
set -euo pipefail

prog=bench-return.sh
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=${BIN:-bin}
n=${1:-${BENCH_RETURN_ORDERS:-100000}}
status=0

if (($# > 1)) || ! [[ $n =~ ^[0-9]+$ ]] || ((10#$n == 0)); then
	echo "usage: $prog [N]" >&2
	exit 64
fi
if [[ ! -x $bin/return-open ]]; then
	echo "$prog: cannot find '$bin/return-open': build it first" >&2
	exit 69
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-return.XXXXXX")
# shellcheck source=tests/bench/common.sh
. "$here/common.sh"
need jq
need /usr/bin/time "apt-get install time"
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	scripts/pg-test.sh stop "$tmp/pg" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tests/bench/gen-orders "$n" |
    jq -c '. + {status: "delivered", tracking: {status: "delivered",
	at: "2026-02-02T12:00:00+03:00"}}' >"$tmp/orders.jsonl"
jq -c '{order_id: .id, requested_at: "2026-02-06T10:00:00+03:00",
    channel: "site", items: [{sku: .items[0].sku, qty: 1,
    reason: "changed_mind", condition: "unused"}]}' \
    "$tmp/orders.jsonl" >"$tmp/requests.jsonl"
printf '[shop]\ncountry = RU\ntz = +03:00\n' >"$tmp/shop.conf"

# decide LABEL DB: one process on all the requests.
decide() {
	measure "$1" "$n" "$bin/return-open" --db "$2" --config "$tmp/shop.conf" \
	    --orders "$tmp/orders.jsonl" --rejects "$tmp/rej.$1" \
	    "$tmp/requests.jsonl" || true
}

echo "## return-open, $n requests against $n orders"
echo
echo "One request per order (one unit of its first item, a change of mind"
echo "within RU's 7 days), decided in batches of 500 a transaction, the"
echo "orders read from --orders.  PostgreSQL: a throwaway server on"
echo "127.0.0.1.  Wall-clock time, JSON in and out included."
echo
echo "| store | requests | seconds | decisions/s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
decide SQLite "$tmp/sqlite.db"
if url=$(scripts/pg-test.sh start "$tmp/pg" 2>"$tmp/pg.err"); then
	psql -q "$url" -c 'CREATE DATABASE returns'
	decide PostgreSQL "${url%/*}/returns"
else
	printf '| PostgreSQL | %d | not run: %s | | |\n' "$n" \
	    "$(head -n 1 "$tmp/pg.err")"
	status=1
fi
echo
exit "$status"
