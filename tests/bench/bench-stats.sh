#!/usr/bin/env bash
# bench-stats.sh: time order-stats against Miller on the same records.
#
# usage: tests/bench/bench-stats.sh [N ...]
#
# For each N (default: $BENCH_STATS, else 1000000) it writes N orders as
# the pipeline leaves them, about 4 lines an order (validated; paid; shipped;
# delivered, each line the whole record with its status_history), over 30
# days, in two currencies, three carriers and two providers; the paid line
# also carries the flat fields "day" and "time_to_paid" for Miller.  It
# times, each once under /usr/bin/time:
#   - order-stats --by day: every KPI per day;
#   - mlr --ijsonl stats1: count, sum, p50 and p90 of time_to_paid per day,
#     one duration where order-stats computes all of them.
# It prints a markdown section on standard output.  The binaries are taken
# from $BIN (default bin, relative to the repository root).
set -euo pipefail

prog=bench-stats.sh
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=${BIN:-bin}
status=0
# shellcheck source=tests/bench/common.sh
. "$here/common.sh"

if (($# == 0)); then
	read -r -a sizes <<<"${BENCH_STATS:-1000000}"
	set -- "${sizes[@]}"
fi
for n in "$@"; do
	[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: $prog [N ...]" >&2; exit 64; }
done
need "$bin/order-stats" "run make first"
need mlr "apt-get install miller"
need /usr/bin/time "apt-get install time"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# gen N: the records of N orders on standard output.
gen() {
	awk -v n="$1" 'function t(s,   d) {
		return strftime("%Y-%m-%dT%H:%M:%SZ", s, 1)
	}
	BEGIN {
		base = 1774828800	# 2026-03-30T00:00:00Z
		split("cdek dhl novaposhta", car, " ")
		split("yookassa stripe", prov, " ")
		for (i = 1; i <= n; i++) {
			c = base + int(i * 2592000 / n)
			v = c + 60; p = v + 600 + (i * 7919) % 7200
			s = p + 3600 + (i * 104729) % 86400
			d = s + 86400 + (i * 1299709) % 259200
			cur = i % 5 ? "RUB" : "EUR"
			head = sprintf("{\"id\":\"B-%d\",\"source\":\"bench\"," \
			    "\"created_at\":\"%s\",\"currency\":\"%s\"," \
			    "\"customer\":{\"email\":\"c%d@example.com\"}," \
			    "\"shipping\":{\"carrier\":\"%s\",\"address\":" \
			    "{\"region\":\"R%d\"}},\"items\":[{\"sku\":\"SKU-%d\"," \
			    "\"qty\":1,\"unit_price\":%d}],\"totals\":{\"total\":%d}",
			    i, t(c), cur, i % (n / 3 + 1), car[i % 3 + 1],
			    i % 10, i % 50, 1000 + i % 9000, 1000 + i % 9000)
			h1 = sprintf("{\"status\":\"validated\",\"at\":\"%s\"}", t(v))
			h2 = sprintf("%s,{\"status\":\"paid\",\"at\":\"%s\"}", h1, t(p))
			h3 = sprintf("%s,{\"status\":\"shipped\",\"at\":\"%s\"}", h2, t(s))
			h4 = sprintf("%s,{\"status\":\"delivered\",\"at\":\"%s\"}", h3, t(d))
			pay = sprintf(",\"payment\":{\"method\":\"card\",\"provider\":" \
			    "\"%s\",\"status\":\"paid\"}", prov[i % 2 + 1])
			printf("%s,\"status\":\"validated\",\"status_history\":[%s]}\n",
			    head, h1)
			printf("%s%s,\"status\":\"paid\",\"status_history\":[%s]," \
			    "\"day\":\"%s\",\"time_to_paid\":%d}\n", head, pay, h2,
			    substr(t(p), 1, 10), p - c)
			printf("%s%s,\"status\":\"shipped\",\"status_history\":[%s]}\n",
			    head, pay, h3)
			if (i % 20)
				printf("%s%s,\"status\":\"delivered\"," \
				    "\"status_history\":[%s]}\n", head, pay, h4)
		}
	}'
}

echo "## order-stats"
echo
echo "Orders as the pipeline leaves them, about 4 lines an order; order-stats"
echo "computes every KPI per day, Miller (\`mlr --ijsonl stats1 -a"
echo "count,sum,p50,p90 -f time_to_paid -g day\`) one duration's."
echo
echo "| run | orders | seconds | orders/s | peak MiB |"
echo "|---|---:|---:|---:|---:|"
for n in "$@"; do
	gen "$n" >"$tmp/orders.jsonl"
	export ORDERKIT_CONFIG="$tmp/empty.conf"
	: >"$ORDERKIT_CONFIG"
	measure "order-stats-$n" "$n" "$bin/order-stats" --by day --no-progress \
	    "$tmp/orders.jsonl" || true
	measure "mlr-$n" "$n" mlr --ijsonl --ojson stats1 \
	    -a count,sum,p50,p90 -f time_to_paid -g day "$tmp/orders.jsonl" ||
	    true
	if [[ -s $tmp/secs.order-stats-$n && -s $tmp/secs.mlr-$n ]]; then
		awk -v a="$(cat "$tmp/secs.mlr-$n")" \
		    -v b="$(cat "$tmp/secs.order-stats-$n")" -v n="$n" 'BEGIN {
			printf("\nAt %d orders order-stats runs %s Miller'\''s speed.\n",
			    n, b > 0 ? sprintf("%.1fx", a / b) : "beyond")
		}' >>"$tmp/notes"
	fi
	rm -f "$tmp/orders.jsonl"
done
[[ -s $tmp/notes ]] && cat "$tmp/notes"
echo
exit "$status"
