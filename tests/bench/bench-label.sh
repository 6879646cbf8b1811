#!/usr/bin/env bash
# bench-label.sh: label-gen drawing the labels of N orders, next to cairo
# and zint alone.
#
# usage: tests/bench/bench-label.sh [N]
#
# N generated orders (default $BENCH_LABEL_ORDERS, else 10000), made paid
# and labelled from computed parcels, four ways: ZPL and PDF, a file per
# parcel and --one-file.  The yardstick is label-floor.c, compiled here:
# cairo and zint alone drawing N one-page PDFs of text and a Code 128, a
# file each and in one file.  Prints a markdown section: labels a second
# by the wall clock and by CPU time (user and system: the machine may be
# shared), peak RSS, and label-gen's PDF rates over the floor's.  The
# binaries are taken from $BIN (default bin).  Nothing is kept.
set -euo pipefail

prog=bench-label.sh
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=${BIN:-bin}
n=${1:-${BENCH_LABEL_ORDERS:-10000}}
status=0

if (($# > 1)) || ! [[ $n =~ ^[0-9]+$ ]] || ((10#$n < 10)); then
	echo "usage: $prog [N]" >&2
	exit 64
fi
# shellcheck source=tests/bench/common.sh
. tests/bench/common.sh
if [[ ! -x $bin/label-gen ]]; then
	echo "$prog: cannot find '$bin/label-gen': build it first" >&2
	exit 69
fi
need /usr/bin/time "install the 'time' package"
need jq
need "${CC:-cc}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-label.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck disable=SC2046 # pkg-config's words are meant to split
"${CC:-cc}" -O2 -o "$tmp/floor" tests/bench/label-floor.c \
    $(pkg-config --cflags --libs cairo) -lzint
tests/bench/gen-orders "$n" | jq -c '.status = "paid"' >"$tmp/orders.jsonl"
cat >"$tmp/orderkit.conf" <<'CONF'
[sender]
name = "Склад"
city = "Москва"
postal_code = 101000
line1 = "ул. Складская, 1"
[parcel]
weight_g = 500
[carrier "cdek"]
tracking_url = "https://www.cdek.ru/ru/tracking?order_id={number}"
CONF
export ORDERKIT_CONFIG=$tmp/orderkit.conf

# run LABEL LABELS COMMAND...: COMMAND once under /usr/bin/time in a new
# folder, $tmp/out; a row: LABEL, labels, wall seconds, labels a second,
# CPU seconds, labels a CPU second, peak RSS.  The CPU rate goes to
# $tmp/cpu.LABEL.
run() {
	local label=$1 count=$2 rc=0
	shift 2
	# A folder of its own for each run, all removed at the end: files
	# deleted just before a run make ext4 skip their inodes one by one
	# when it makes new ones (recently_deleted()), which would charge
	# the previous run's rm -rf to this one.
	rm -f "$tmp/out"
	mkdir "$tmp/out.$label"
	ln -s "out.$label" "$tmp/out"
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" >"$tmp/stdout" \
	    2>"$tmp/err" || rc=$?
	if ((rc != 0)); then
		printf '| %s | %s | failed (exit %s) | | | | |\n' "$label" \
		    "$count" "$rc"
		sed 's/^/    /' "$tmp/err" >&2
		status=1
		return 0
	fi
	[[ $count == parcels ]] &&
	    count=$(jq '.label.parcels | length' "$tmp/stdout" |
	    awk '{ s += $1 } END { print s }')
	read -r wall user sys rss < <(tail -n 1 "$tmp/time")
	awk -v l="$label" -v n="$count" -v w="$wall" -v u="$user" -v s="$sys" \
	    -v rss="$rss" 'BEGIN { c = u + s
		printf("| %s | %d | %.2f | %.0f | %.2f | %.0f | %.1f |\n", l, n,
		    w, w > 0 ? n / w : 0, c, c > 0 ? n / c : 0, rss / 1024)
		print (c > 0 ? n / c : 0) > "'"$tmp"'/cpu." l }'
}

lg=("$bin/label-gen" --now 2026-11-20T10:00:00+03:00 --out "$tmp/out"
    --rejects "$tmp/rejects.jsonl")
: >"$tmp/rejects.jsonl"

echo "## label-gen: $n orders to labels"
echo
echo "| run | labels | wall s | labels/s | CPU s | labels/CPU s | peak RSS MiB |"
echo "|---|---|---|---|---|---|---|"
run floor-files "$n" "$tmp/floor" "$n" "$tmp/out"
run floor-one "$n" "$tmp/floor" "$n" "$tmp/out" -1
orders=$tmp/orders.jsonl
run pdf-files parcels "${lg[@]}" --format pdf "$orders"
run pdf-one parcels "${lg[@]}" --format pdf --one-file "$orders"
run zpl-files parcels "${lg[@]}" --format zpl "$orders"
run zpl-one parcels "${lg[@]}" --format zpl --one-file "$orders"
echo
if [[ -f $tmp/cpu.pdf-files && -f $tmp/cpu.floor-files &&
    -f $tmp/cpu.pdf-one && -f $tmp/cpu.floor-one ]]; then
	awk -v a="$(cat "$tmp/cpu.pdf-files")" -v b="$(cat "$tmp/cpu.floor-files")" \
	    -v c="$(cat "$tmp/cpu.pdf-one")" -v d="$(cat "$tmp/cpu.floor-one")" \
	    'BEGIN { printf("label-gen over cairo and zint alone, by CPU " \
	    "time: %.0f%% a file each, %.0f%% in one file.\n\n",
	    100 * a / b, 100 * c / d) }'
fi
echo "Rejected: $(($(wc -l <"$tmp/rejects.jsonl") / 4)) orders a run (the" \
    "generated ones made invalid on purpose)."
echo
exit "$status"
