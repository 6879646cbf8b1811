#!/usr/bin/env bash
# bench-ship.sh: ship-book booking N orders at a local carrier server.
#
# usage: tests/bench/bench-ship.sh [N]
#
# Starts tests/carrier-server (Debian's /usr/bin/python3) on 127.0.0.1 and
# books N orders (default $BENCH_SHIP_ORDERS, else 10000; one in five
# reserved in two warehouses, so two parcels) with ship-book, 16 calls in
# flight, on a new SQLite store: once at each carrier it books with (CDEK:
# a token, then an order, a read for its number and a price a parcel;
# Nova Poshta: a waybill; EasyPost: a shipment and its purchase), then the
# same file again, which books nothing.  Prints a markdown section: parcels
# booked a second, requests a parcel, peak RSS, also at N/10.  The binaries
# are taken from $BIN (default bin).  Nothing is kept.
set -euo pipefail

prog=bench-ship.sh
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=${BIN:-bin}
n=${1:-${BENCH_SHIP_ORDERS:-10000}}
status=0

if (($# > 1)) || ! [[ $n =~ ^[0-9]+$ ]] || ((10#$n < 10)); then
	echo "usage: $prog [N]" >&2
	exit 64
fi
# shellcheck source=tests/bench/common.sh
. tests/bench/common.sh
if [[ ! -x $bin/ship-book ]]; then
	echo "$prog: cannot find '$bin/ship-book': build it first" >&2
	exit 69
fi
need /usr/bin/python3 "install python3"
need /usr/bin/time "install the 'time' package"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-ship.XXXXXX")
trap server_stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$tmp/root/bench"
server_start
base="http://127.0.0.1:$port/t/bench"

cat >"$tmp/orderkit.conf" <<EOF
[http]
timeout = 30
retries = 2
backoff_max = 1
concurrency = 16
[sender]
company = Bench
phone = +74951234567
country = RU
city = Moscow
postal_code = 101000
line1 = Sklad 1
novaposhta_city_ref = 8d5a980d-391c-11dd-90d9-001a92567626
novaposhta_sender_ref = 5ace4a2e-13ee-11e5-add9-005056887b8d
novaposhta_contact_ref = 613b77c4-1411-11e5-ad08-005056801333
novaposhta_address_ref = d492290b-55f2-11e5-ad08-005056801333
[parcel]
weight_g = 500
dims_mm = 300x200x100
[carrier "cdek"]
url = $base/cdek/v2
client_id = id
client_secret = secret
service = 137
number_wait = 0.05
[carrier "novaposhta"]
url = $base/novaposhta/v2.0/json/
key = bench
[carrier "easypost"]
url = $base/easypost/v2
key = bench
EOF
chmod 600 "$tmp/orderkit.conf"
export ORDERKIT_CONFIG=$tmp/orderkit.conf

# orders N CARRIER PHONE FILE: N paid orders for CARRIER, one in five from
# two warehouses.
orders() {
	awk -v n="$1" -v c="$2" -v ph="$3" 'BEGIN { for (i = 1; i <= n; i++) {
	    two = i % 5 == 0
	    printf("{\"id\":\"B-%s-%d\",\"status\":\"paid\",\"currency\":\"RUB\"," \
	        "\"customer\":{\"name\":\"Customer %d\",\"phone\":\"%s\"}," \
	        "\"shipping\":{\"method\":\"courier\",\"carrier\":\"%s\"," \
	        "\"address\":{\"country\":\"RU\",\"city\":\"Moscow\"," \
	        "\"postal_code\":\"101000\",\"line1\":\"Street %d, 1\"}}," \
	        "\"items\":[{\"sku\":\"TEE\",\"qty\":2,\"unit_price\":129900}]," \
	        "\"totals\":{\"total\":259800},\"reservation\":{\"lines\":" \
	        "[{\"sku\":\"TEE\",\"warehouse\":\"MSK\",\"qty\":1}," \
	        "{\"sku\":\"TEE\",\"warehouse\":\"%s\",\"qty\":1}]}}\n",
	        c, i, i, ph, c, i, two ? "SPB" : "MSK") } }' >"$4"
}

: >"$tmp/runs"
# book LABEL N FILE: ship-book on the store, its --stats and parcels kept.
book() {
	local label=$1 n=$2 rc=0
	/usr/bin/time -f '%e %M' -o "$tmp/time" "$bin/ship-book" \
	    --db "$tmp/store.db" --stats --rejects "$tmp/rej" "$3" \
	    >"$tmp/out" 2>"$tmp/err" || rc=$?
	if ((rc != 0)); then
		echo "$prog: $label failed (exit $rc)" >&2
		sed 's/^/    /' "$tmp/err" >&2
		status=1
		return 0
	fi
	read -r secs rss < <(tail -n 1 "$tmp/time")
	req=$(sed -n 's/.*; \([0-9]*\) requests, .*/\1/p' "$tmp/err")
	booked=$(sed -n 's/.* \([0-9]*\) booked, \([0-9]*\) booked before.*/\1 \2/p' \
	    "$tmp/err")
	echo "$label $n $secs $rss $req $booked $(wc -l <"$tmp/rej")" \
	    >>"$tmp/runs"
}

for c in cdek novaposhta easypost; do
	case $c in
	novaposhta) phone=+380671234567 ;;
	easypost) phone=+18573875756 ;;
	*) phone=+79161234567 ;;
	esac
	orders "$n" "$c" "$phone" "$tmp/$c.jsonl"
	rm -f "$tmp"/store.db* "$tmp/rej"
	book "$c" "$n" "$tmp/$c.jsonl"
	book "$c (again)" "$n" "$tmp/$c.jsonl"
done
orders $((n / 10)) cdek +79161234567 "$tmp/small.jsonl"
rm -f "$tmp"/store.db* "$tmp/rej"
book "cdek" $((n / 10)) "$tmp/small.jsonl"

echo "## ship-book, $n orders at a local carrier server"
echo
echo "tests/carrier-server (Python's ThreadingHTTPServer, on the same 2"
echo "cores) answers as CDEK, Nova Poshta and EasyPost book; one order in"
echo "five ships from two warehouses, so $n orders are $((n + n / 5))"
echo "parcels.  ship-book books them 16 calls in flight on a new SQLite store,"
echo "every parcel an outbox entry claimed before its calls and settled after"
echo "them; then the same file again, which books nothing and writes the"
echo "stored results.  Wall-clock time, JSON in and out included."
echo
echo "| carrier | orders | parcels booked | booked before | requests | requests/parcel | seconds | parcels/s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
awk '{
	label = $1; i = 2
	if ($2 == "(again)") { label = label " (again)"; i = 3 }
	n = $i; secs = $(i + 1); rss = $(i + 2); req = $(i + 3)
	now = $(i + 4); before = $(i + 5); p = now + before
	rp = "-"
	if (now > 0)
		rp = sprintf("%.2f", req / now)
	printf("| %s | %d | %d | %d | %d | %s | %.2f | %.0f | %.1f |\n",
	    label, n, now, before, req, rp, secs, secs > 0 ? p / secs : 0,
	    rss / 1024)
}' "$tmp/runs"
echo
awk -v n="$n" -v m=$((n / 10)) '$1 == "cdek" && $2 == n {
	big = $4 } $1 == "cdek" && $2 == m { small = $4 }
END { printf("Peak RSS at %d orders (CDEK): %.1f MiB; at %d: %.1f MiB.\n",
    n, big / 1024, m, small / 1024) }' "$tmp/runs"
echo
exit "$status"
