# tests/order-stats.bats: the KPIs of a week's stream made for the test
# (fixtures/order-stats/week.jsonl), each worked out by hand below.
# shellcheck disable=SC2154 # $output and $stderr come from bats' run
bats_require_minimum_version 1.5.0

setup() {
	load test_helper/common
	WEEK=$FIXTURES/week.jsonl
	# no shop's zone but the one a test gives
	: >"$BATS_TEST_TMPDIR/empty.conf"
	export ORDERKIT_CONFIG=$BATS_TEST_TMPDIR/empty.conf
}

# The stream, in the shop's zone +03:00, by ISO week:
#   SHOP-1 RUB 1000.00, created Mon 2026-03-30 10:00 (+03), three lines
#     (validated, paid, delivered) with the newest first; cdek, Москва,
#     yookassa card; validated 07:05Z, paid 08:00Z (1 h), labelled 09:00Z
#     (2 h), shipped 03-31 10:00Z (27 h), delivered 04-02 10:00Z (48 h
#     after shipping); shipment.cost 300.00 RUB; returned ("size"), opened
#     04-03, due 04-10, refunded 04-12 (9 days, overdue); 1000.00 refunded.
#   SHOP-2 EUR 50.00, created 2026-03-31 01:30 (+03), which is 03-30 in
#     UTC; dhl, Berlin, stripe card; paid 2 h later, shipped 34.5 h after
#     creation, never delivered; shipment.cost 9.00 EUR.
#   SHOP-3 RUB 2000.00, 03-31, never paid: pay-reconcile's reject, unpaid.
#   SHOP-4 RUB 200.00, COD, created Mon 2026-04-06 (week 15), the same
#     customer as SHOP-1 in capitals.
#   SHOP-5 rejected by order-validate (bad_qty): no order.
#   SHOP-6 03-31, a backorder, order-reserve's reject.
#   A stuck dhl parcel since 2026-04-05T22:00Z: week 15 in +03:00, week 14
#     in UTC.

# kpi PERIOD KPI GROUP [CURRENCY]: "value n" (and "num den" for a rate)
# of the one record that matches, from $output, as jq prints numbers
# (a rate of 50.00 as 50).
kpi() {
	jq -r --arg p "$1" --arg k "$2" --argjson g "$3" --arg c "${4-}" '
	    select(.period == $p and .kpi == $k and .group == $g and
	    (.currency // "") == $c) |
	    [.value, .n, .num, .den] | map(select(. != null)) | join(" ")' \
	    <<<"$output"
}

@test "example: the KPIs of a week in the shop's zone, worked out by hand" {
	run -0 --separate-stderr order-stats --by week --tz +03:00 "$WEEK"
	assert_stderr ''
	# orders: SHOP-1, 2, 3 and 6 passed order-validate in week 14
	assert_equal "$(kpi 2026-W14 orders '{}')" '4 4'
	assert_equal "$(kpi 2026-W15 orders '{}')" '1 1'
	# revenue per currency, never summed across them; COD counts
	assert_equal "$(kpi 2026-W14 revenue '{}' RUB)" '100000 1'
	assert_equal "$(kpi 2026-W14 revenue '{}' EUR)" '5000 1'
	assert_equal "$(kpi 2026-W15 revenue '{}' RUB)" '20000 1'
	assert_equal "$(kpi 2026-W14 aov '{}' RUB)" '100000 1'
	assert_equal "$(kpi 2026-W14 refunds '{}' RUB)" '100000 1'
	# payment success: paid 1 and 2 of paid 1, 2 and unpaid 3
	assert_equal "$(kpi 2026-W14 payment_success '{}')" '66.67 3 2 3'
	assert_equal "$(kpi 2026-W14 payment_success \
	    '{"payment.provider":"yookassa"}')" '50 2 1 2'
	assert_equal "$(kpi 2026-W14 payment_success \
	    '{"payment.provider":"stripe"}')" '100 1 1 1'
	assert_equal "$(kpi 2026-W14 cod_share '{}')" '0 4 0 4'
	assert_equal "$(kpi 2026-W15 cod_share '{}')" '100 1 1 1'
	# durations in seconds, nearest rank: of 3600 and 7200 the median is
	# the first
	assert_equal "$(kpi 2026-W14 time_to_paid_p50 '{}')" '3600 2'
	assert_equal "$(kpi 2026-W14 time_to_paid_p90 '{}')" '7200 2'
	assert_equal "$(kpi 2026-W14 time_to_paid_max '{}')" '7200 2'
	assert_equal "$(kpi 2026-W14 time_to_labelled_p50 '{}')" '7200 1'
	assert_equal "$(kpi 2026-W14 time_to_shipped_p50 '{}')" '97200 2'
	assert_equal "$(kpi 2026-W14 time_to_shipped_max \
	    '{"shipping.carrier":"dhl"}')" '124200 1'
	# SHOP-2 never delivered: one delivery time, SHOP-1's
	assert_equal "$(kpi 2026-W14 time_to_delivered_p50 \
	    '{"shipping.carrier":"cdek","shipping.address.region":"Москва"}')" \
	    '172800 1'
	assert_equal "$(kpi 2026-W14 time_to_delivered_p50 \
	    '{"shipping.carrier":"dhl"}')" ''
	# rejects per step, of the orders the step saw
	assert_equal "$(kpi 2026-W14 reject_rate '{"step":"order-validate"}')" \
	    '20 5 1 5'
	assert_equal "$(kpi 2026-W14 reject_rate '{"step":"order-reserve"}')" \
	    '25 4 1 4'
	assert_equal "$(kpi 2026-W14 reject_rate '{"step":"pay-reconcile"}')" \
	    '33.33 3 1 3'
	assert_equal "$(kpi 2026-W14 rejects \
	    '{"step":"pay-reconcile","code":"unpaid"}')" '1 1'
	assert_equal "$(kpi 2026-W14 backorder_rate '{}')" '25 4 1 4'
	# delivery cost per carrier and currency
	assert_equal "$(kpi 2026-W14 delivery_cost \
	    '{"shipping.carrier":"cdek"}' RUB)" '30000 1'
	assert_equal "$(kpi 2026-W14 delivery_cost \
	    '{"shipping.carrier":"dhl"}' EUR)" '900 1'
	# returns of delivered orders, by SKU and reason; refund time
	assert_equal "$(kpi 2026-W14 return_rate '{}')" '100 1 1 1'
	assert_equal "$(kpi 2026-W14 return_rate \
	    '{"items.sku":"TSHIRT-RED-M"}')" '100 1 1 1'
	assert_equal "$(kpi 2026-W14 returns '{"return.reason":"size"}')" '1 1'
	assert_equal "$(kpi 2026-W14 refunds_overdue '{}')" '1 1'
	assert_equal "$(kpi 2026-W15 refund_time_p50 '{}')" '777600 1'
	# problems by their "since", in the zone
	assert_equal "$(kpi 2026-W15 problems \
	    '{"code":"stuck","shipping.carrier":"dhl"}')" '1 1'
	# conversion and customers: ivan@ comes back in week 15
	assert_equal "$(kpi 2026-W14 conversion_paid '{}')" '50 4 2 4'
	assert_equal "$(kpi 2026-W14 conversion_delivered '{}')" '25 4 1 4'
	assert_equal "$(kpi 2026-W14 customers '{}')" '4 4'
	assert_equal "$(kpi 2026-W14 new_customers '{}')" '4 4'
	assert_equal "$(kpi 2026-W15 new_customers '{}')" ''
	assert_equal "$(kpi 2026-W15 repeat_customers '{}')" '100 1 1 1'
	assert_equal "$(kpi 2026-W14 revenue_per_customer '{}' RUB)" '25000 4'
	assert_equal "$(kpi 2026-W14 revenue_per_customer '{}' EUR)" '1250 4'
}

@test "a record is period, by, group, kpi, currency where money, value and n" {
	run -0 --separate-stderr order-stats --by week --tz +03:00 "$WEEK"
	assert_line --index 0 '{"period":"2026-W14","by":"week","group":{},"kpi":"aov","currency":"EUR","value":5000,"n":1}'
	assert_line '{"period":"2026-W14","by":"week","group":{"payment.provider":"yookassa"},"kpi":"payment_success","value":50.00,"n":2,"num":1,"den":2}'
}

@test "the order of the lines does not matter: the latest history entry wins" {
	run -0 --separate-stderr order-stats --by week --tz +03:00 "$WEEK"
	local forward=$output
	run -0 --separate-stderr sh -c 'tac "$1" | order-stats --by week \
	    --tz +03:00' sh "$WEEK"
	assert_output "$forward"
}

@test "periods are in --tz: an order at 01:30 +03:00 is the day before in UTC" {
	run -0 --separate-stderr order-stats --by day --tz +03:00 "$WEEK"
	assert_equal "$(kpi 2026-03-31 revenue '{}' EUR)" '5000 1'
	assert_equal "$(kpi 2026-03-30 orders '{}')" '1 1'
	run -0 --separate-stderr order-stats --by day --tz UTC "$WEEK"
	assert_equal "$(kpi 2026-03-30 revenue '{}' EUR)" '5000 1'
	assert_equal "$(kpi 2026-03-30 orders '{}')" '2 2'
	# the stuck parcel: Sunday in UTC, Monday of week 15 in +03:00
	run -0 --separate-stderr order-stats --by week --tz UTC "$WEEK"
	assert_equal "$(kpi 2026-W14 problems \
	    '{"code":"stuck","shipping.carrier":"dhl"}')" '1 1'
}

@test "the zone comes from [shop] tz when --tz is not given" {
	printf '[shop]\ntz = +03:00\n' >"$BATS_TEST_TMPDIR/orderkit.conf"
	run -0 --separate-stderr order-stats --by day \
	    --config "$BATS_TEST_TMPDIR/orderkit.conf" "$WEEK"
	assert_equal "$(kpi 2026-03-31 revenue '{}' EUR)" '5000 1'
}

@test "empty periods are not written" {
	run -0 --separate-stderr order-stats --by day --tz +03:00 "$WEEK"
	assert_equal "$(jq -r .period <<<"$output" | sort -u | tr '\n' ' ')" \
	    '2026-03-30 2026-03-31 2026-04-01 2026-04-02 2026-04-06 2026-04-12 '
}

@test "months: the last evening of March in +03:00 is April" {
	run -0 --separate-stderr order-stats --by month --tz +03:00 "$WEEK"
	assert_equal "$(kpi 2026-03 orders '{}')" '4 4'
	assert_equal "$(kpi 2026-04 orders '{}')" '1 1'
}

@test "--from is inclusive and --to exclusive, on the times that place a KPI" {
	run -0 --separate-stderr order-stats --by day --tz +03:00 \
	    --from 2026-03-31T01:30:00+03:00 --to 2026-04-06T09:00:00+03:00 \
	    "$WEEK"
	assert_stderr ''
	# SHOP-2 exactly at --from is in, SHOP-4 exactly at --to is out
	assert_equal "$(jq -r 'select(.kpi == "orders") | "\(.period) \(.value)"' \
	    <<<"$output")" '2026-03-31 3'
	# SHOP-1's paid (03-30) is out, SHOP-2's is in
	assert_equal "$(kpi 2026-03-31 time_to_paid_p50 '{}')" '7200 1'
	assert_equal "$(kpi 2026-03-30 time_to_paid_p50 '{}')" ''
}

@test "--group-by adds a dimension to every KPI" {
	run -0 --separate-stderr order-stats --by week --tz +03:00 \
	    --group-by items.sku "$WEEK"
	assert_equal "$(kpi 2026-W14 orders '{"items.sku":"MUG-WHITE"}')" '2 2'
	assert_equal "$(kpi 2026-W14 revenue '{"items.sku":"TSHIRT-RED-M"}' \
	    RUB)" '100000 1'
	assert_equal "$(kpi 2026-W14 payment_success \
	    '{"items.sku":"TSHIRT-RED-M","payment.provider":"yookassa"}')" \
	    '50 2 1 2'
}

@test "csv: a header and one row per record, the group as name=value" {
	run -0 --separate-stderr order-stats --by week --tz +03:00 \
	    --format csv "$WEEK"
	assert_line --index 0 'period,by,group,kpi,currency,value,n,num,den'
	assert_line --index 1 '2026-W14,week,,aov,EUR,5000,1,,'
	assert_line '2026-W14,week,payment.provider=yookassa,payment_success,,50.00,2,1,2'
	assert_line '2026-W14,week,shipping.address.region=Москва; shipping.carrier=cdek,time_to_paid_p50,,3600,1,,'
	run -0 --separate-stderr order-stats --by week --tz +03:00 "$WEEK"
	assert_equal "$(order-stats --by week --tz +03:00 --format csv "$WEEK" |
	    wc -l)" "$((${#lines[@]} + 1))"
}

@test "--out writes the file and nothing to standard output" {
	run -0 --separate-stderr order-stats --by week --tz +03:00 \
	    --out "$BATS_TEST_TMPDIR/kpi.jsonl" "$WEEK"
	assert_output ''
	assert_equal "$(cat "$BATS_TEST_TMPDIR/kpi.jsonl")" \
	    "$(order-stats --by week --tz +03:00 "$WEEK")"
}

@test "times do not depend on the machine's time zone" {
	run -0 --separate-stderr order-stats --by week --tz +03:00 "$WEEK"
	local here=$output
	TZ=Pacific/Kiritimati run -0 --separate-stderr order-stats --by week \
	    --tz +03:00 "$WEEK"
	assert_output "$here"
}

@test "a line that is not JSON is a bad_json reject, and the run goes on" {
	{ echo 'not json'; cat "$WEEK"; } >"$BATS_TEST_TMPDIR/in.jsonl"
	run -0 --separate-stderr order-stats --by week --tz +03:00 \
	    --rejects "$BATS_TEST_TMPDIR/r" "$BATS_TEST_TMPDIR/in.jsonl"
	assert_equal "$(kpi 2026-W14 orders '{}')" '4 4'
	assert_equal "$(jq -r '[.line, .errors[0].code, .rejected_by] | join(" ")' \
	    "$BATS_TEST_TMPDIR/r")" '1 bad_json order-stats'
}

@test "the broken inputs: no crash, each bad line a reject" {
	local f
	for f in "$BATS_TEST_DIRNAME"/fixtures/broken/*.jsonl; do
		run -0 --separate-stderr order-stats "$f"
		assert_output ''
	done
}

@test "usage errors exit 64" {
	run -64 --separate-stderr order-stats --by year "$WEEK"
	assert_output ''
	assert_stderr --partial "order-stats: --by 'year' is not day, week or month"
	run -64 --separate-stderr order-stats --tz Europe/Berlin "$WEEK"
	assert_stderr --partial "unknown or daylight-saving zone 'Europe/Berlin'"
	run -64 --separate-stderr order-stats --from yesterday "$WEEK"
	assert_stderr --partial "--from 'yesterday' is not an RFC 3339 time"
	run -64 --separate-stderr order-stats --format xml "$WEEK"
	assert_stderr --partial "--format 'xml' is not"
}

@test "an unreadable operand exits 66 after the others are counted" {
	run -66 --separate-stderr order-stats --by week --tz +03:00 \
	    "$BATS_TEST_TMPDIR/none.jsonl" "$WEEK"
	assert_stderr --partial "cannot open '$BATS_TEST_TMPDIR/none.jsonl'"
	assert_equal "$(kpi 2026-W14 orders '{}')" '4 4'
}

@test "an --out that cannot be created exits 73" {
	run -73 --separate-stderr order-stats --out /nonexistent/kpi.jsonl \
	    "$WEEK"
	assert_output ''
	assert_stderr --partial "cannot open '/nonexistent/kpi.jsonl'"
}

@test "a write error on standard output exits 74" {
	run -74 --separate-stderr sh -c 'order-stats "$1" >/dev/full' sh \
	    "$WEEK"
	assert_output ''
	assert_stderr --partial "cannot write '<stdout>': No space left"
}

@test "--stats=json counts the lines read and the orders" {
	run -0 --separate-stderr order-stats --stats=json "$WEEK"
	assert_equal "$(jq -c '[.program, .read, .orders]' <<<"$stderr")" \
	    '["order-stats",9,6]'
}

# png_ink PNG: the number of distinct byte values in the PNG's pixel data
# (zlib-inflated IDAT, filter bytes and all): a blank page has a handful,
# a page with text and coloured bars many.
png_ink() {
	/usr/bin/python3 - "$1" <<-'PY'
	import struct, sys, zlib
	data = open(sys.argv[1], "rb").read()
	assert data[:8] == b"\x89PNG\r\n\x1a\n"
	pos, idat = 8, b""
	while pos < len(data):
	    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
	    if kind == b"IDAT":
	        idat += data[pos + 8:pos + 8 + n]
	    pos += 12 + n
	print(len(set(zlib.decompress(idat))))
	PY
}

@test "html: one page, no script and nothing fetched, each chart's title and values in its SVG" {
	run -0 --separate-stderr order-stats --format html --lang en --by week \
	    --tz +03:00 --out "$BATS_TEST_TMPDIR/kpi.html" "$WEEK"
	assert_output ''
	assert_stderr ''
	local page=$BATS_TEST_TMPDIR/kpi.html
	run -1 grep -Eic '<script|<link|<img|(src|href)=|url\(|@import' "$page"
	run -0 grep -c '<svg xmlns="http://www.w3.org/2000/svg"' "$page"
	assert_output 7
	# each SVG on one line of its own: its title, then its bars' texts
	svg() {
		sed -n "/<svg /,/<\/svg>/p" "$page" |
		    awk -v t="<title>$1</title>" 'index($0, t) { on = 1 }
			on { print } /<\/svg>/ { on = 0 }' |
		    sed 's/<[^>]*>/|/g' | tr -d '\n' | sed 's/||*/|/g'
	}
	assert_equal "$(svg 'Orders per period')" \
	    '|Orders per period|2026-W14|4|2026-W15|1|'
	assert_equal "$(svg 'Revenue per period, RUB')" \
	    '|Revenue per period, RUB|2026-W14|1000.00 RUB|2026-W15|200.00 RUB|'
	assert_equal "$(svg 'Revenue per period, EUR')" \
	    '|Revenue per period, EUR|2026-W14|50.00 EUR|'
	assert_equal "$(svg 'Processing time, median')" \
	    '|Processing time, median|to paid|1.0 h|to labelled|2.0 h|to shipped|27.0 h|shipped to delivered|48.0 h|'
	assert_equal "$(svg 'Delivery time per carrier, median')" \
	    '|Delivery time per carrier, median|cdek|48.0 h|'
	assert_equal "$(svg 'Payment success per provider')" \
	    '|Payment success per provider|stripe|100.00%|yookassa|50.00%|'
	assert_equal "$(svg 'Return reasons')" '|Return reasons|size|1|'
	# the numbers in a table beside each chart
	run -0 grep -c '<tr><td>yookassa</td><td>50.00%</td><td>2</td></tr>' \
	    "$page"
}

@test "html: the page in Russian and Ukrainian, [shop] lang by default" {
	printf '[shop]\nlang = uk\ntz = +03:00\n' >"$BATS_TEST_TMPDIR/orderkit.conf"
	run -0 --separate-stderr order-stats --format html --by week \
	    --config "$BATS_TEST_TMPDIR/orderkit.conf" "$WEEK"
	assert_output --partial '<html lang="uk">'
	assert_output --partial '<title>Причини повернень</title>'
	assert_output --partial '48.0 год'
	run -0 --separate-stderr order-stats --format html --lang ru --by week \
	    --config "$BATS_TEST_TMPDIR/orderkit.conf" "$WEEK"
	assert_output --partial '<title>Успешные оплаты по платёжным системам</title>'
	assert_output --partial '<tr><td>до оплаты</td><td>1.0 ч</td><td>2</td></tr>'
	run -64 --separate-stderr order-stats --format html --lang de "$WEEK"
	assert_stderr --partial "--lang 'de' is not en, ru or uk"
}

@test "html: chromium draws the page to a PNG that is not blank" {
	command -v chromium >/dev/null ||
	    skip 'no chromium: apt-get install chromium (scripts/install-deps.sh)'
	local page=$BATS_TEST_TMPDIR/kpi.html png=$BATS_TEST_TMPDIR/kpi.png
	run -0 --separate-stderr order-stats --format html --lang ru --by week \
	    --tz +03:00 --out "$page" "$WEEK"
	# a blank page of the same size, to tell ink from none
	echo '<!DOCTYPE html><html><body></body></html>' \
	    >"$BATS_TEST_TMPDIR/blank.html"
	run -0 --separate-stderr timeout 120 chromium --headless --no-sandbox \
	    --log-level=3 --disable-gpu --window-size=1000,1400 \
	    --screenshot="$BATS_TEST_TMPDIR/blank.png" \
	    "file://$BATS_TEST_TMPDIR/blank.html"
	run -0 --separate-stderr timeout 120 chromium --headless --no-sandbox \
	    --log-level=3 --disable-gpu --window-size=1000,1400 \
	    --screenshot="$png" "file://$page"
	run -0 png_ink "$BATS_TEST_TMPDIR/blank.png"
	local blank=$output
	run -0 png_ink "$png"
	(( output > blank + 20 )) ||
	    fail "the page's PNG has $output byte values, a blank one $blank"
}

@test "--costs: marketing spend per period and CAC, spend per new customer" {
	run -0 --separate-stderr order-stats --by week --tz +03:00 \
	    --costs "$FIXTURES/costs.csv" "$WEEK"
	assert_stderr ''
	# 15000.00 RUB over the 4 new customers of week 14
	assert_equal "$(kpi 2026-W14 marketing_spend '{}' RUB)" '1500000 1'
	assert_equal "$(kpi 2026-W14 cac '{}' RUB)" '375000 4'
	# week 15 had no new customer: no CAC to tell; week 20 no orders
	assert_line '{"period":"2026-W15","by":"week","group":{},"kpi":"cac","currency":"RUB","value":null,"n":0}'
	assert_equal "$(kpi 2026-W20 marketing_spend '{}' RUB)" ''
}

@test "--costs: a line that is no period of --by, currency or amount exits 65" {
	printf 'period,currency,amount\n2026-03-30,RUB,1\n' >"$BATS_TEST_TMPDIR/c.csv"
	run -65 --separate-stderr order-stats --by week \
	    --costs "$BATS_TEST_TMPDIR/c.csv" "$WEEK"
	assert_output ''
	assert_stderr "order-stats: costs '$BATS_TEST_TMPDIR/c.csv' line 2: '2026-03-30' is not a period of --by week"
	printf 'period,currency,amount\n2026-W14,RUB,ten\n' >"$BATS_TEST_TMPDIR/c.csv"
	run -65 --separate-stderr order-stats --by week \
	    --costs "$BATS_TEST_TMPDIR/c.csv" "$WEEK"
	assert_stderr "order-stats: costs '$BATS_TEST_TMPDIR/c.csv' line 2: 'ten' is not an amount of RUB"
	run -66 --separate-stderr order-stats --costs "$BATS_TEST_TMPDIR/none.csv" \
	    "$WEEK"
	assert_stderr --partial "cannot open '$BATS_TEST_TMPDIR/none.csv'"
}

@test "example: order-stats --by week --tz +03:00 --format html --lang ru --out kpi.html" {
	cd "$BATS_TEST_TMPDIR"
	mkdir orders rejects
	grep -v '"errors"' "$WEEK" >orders/week.jsonl
	grep '"errors"' "$WEEK" >rejects/week.jsonl
	run -0 --separate-stderr sh -c 'order-stats --by week --tz +03:00 \
	    --format html --lang ru --out kpi.html orders/*.jsonl rejects/*.jsonl'
	assert_output ''
	assert_stderr ''
	run -0 grep -c '<title>Заказы по периодам</title>' kpi.html
	run -0 grep -c '<tr><td>2026-W14</td><td>4</td><td>4</td></tr>' kpi.html
}

@test "example: order-stats --format csv week.jsonl | grep payment_success" {
	cp "$WEEK" "$BATS_TEST_TMPDIR/week.jsonl"
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr sh -c 'order-stats --tz +03:00 --format csv \
	    week.jsonl | grep payment_success'
	assert_output '2026-03-30,day,payment.method=card,payment_success,,100.00,1,1,1
2026-03-30,day,payment.provider=yookassa,payment_success,,100.00,1,1,1
2026-03-30,day,,payment_success,,100.00,1,1,1
2026-03-31,day,payment.method=card,payment_success,,50.00,2,1,2
2026-03-31,day,payment.provider=stripe,payment_success,,100.00,1,1,1
2026-03-31,day,payment.provider=yookassa,payment_success,,0.00,1,0,1
2026-03-31,day,,payment_success,,50.00,2,1,2'
}
