#!/usr/bin/env bats
# order-import: exports of shops and marketplaces become order records.
bats_require_minimum_version 1.5.0
setup() { load test_helper/common; MAPS="$BATS_TEST_DIRNAME/../scripts/maps"; }

# check FIXTURE [OPTIONS...]: the records of FIXTURE are its .out.jsonl,
# field by field (the whole line), and nothing is rejected.
check() {
	local f=$1
	shift
	run -0 --separate-stderr order-import "$@" "$FIXTURES/$f"
	assert_output "$(cat "$FIXTURES/${f%.*}.out.jsonl")"
	assert_stderr ''
}

# field FILE JQ: one value of the records, for pointed checks.
field() {
	jq -c "$2" "$FIXTURES/$1"
}

@test "--help prints the usage and exits 0" {
	run -0 --separate-stderr order-import --help
	assert_output --partial 'usage: order-import [--format NAME|auto]'
	assert_stderr ''
}

@test "a bad option exits 64 with the usage" {
	run -64 --separate-stderr order-import --frobnicate
	assert_output ''
	assert_stderr --partial 'usage: order-import'
}

@test "an unknown format exits 64" {
	run -64 --separate-stderr order-import --format magento x.csv
	assert_stderr --partial "unknown format 'magento'"
}

@test "--ship-method takes only courier, post or pickup" {
	run -64 --separate-stderr order-import --ship-method drone x.csv
	assert_stderr --partial "'drone' is not a shipping method"
}

@test "--tz refuses a zone with daylight saving time" {
	run -64 --separate-stderr order-import --tz Europe/Berlin x.csv
	assert_stderr --partial "zone 'Europe/Berlin'"
}

@test "--country takes only an ISO 3166-1 alpha-2 code, in either case" {
	run -64 --separate-stderr order-import --country XX x.csv
	assert_output ''
	assert_stderr --partial "'XX' is not an ISO 3166-1 alpha-2 country code"
	run -64 --separate-stderr order-import --country 1a x.csv
	assert_stderr --partial "'1a' is not an ISO 3166-1 alpha-2 country code"
	run -64 --separate-stderr order-import --country DEU x.csv
	assert_stderr --partial "'DEU' is not an ISO 3166-1 alpha-2 country code"
	printf '%s\n' 'Name,Currency,Lineitem quantity,Lineitem name,Lineitem price,Shipping City' \
	    '#1,EUR,1,Hat,10.00,Berlin' >"$BATS_TEST_TMPDIR/c.csv"
	run -0 --separate-stderr order-import --country de "$BATS_TEST_TMPDIR/c.csv"
	assert_equal "$(echo "$output" | jq -c '.shipping.address.country')" '"DE"'
	assert_stderr ''
}

@test "the generic format without --map exits 64" {
	run -64 --separate-stderr order-import --format generic x.csv
	assert_stderr --partial 'the generic format needs --map'
}

@test "an unreadable operand exits 66 after the others are imported" {
	run -66 --separate-stderr order-import "$BATS_TEST_TMPDIR/none.csv" \
	    "$FIXTURES/amazon-unshipped.txt"
	assert_stderr --partial "cannot open '$BATS_TEST_TMPDIR/none.csv'"
	assert_equal "$(echo "$output" | wc -l)" 2
}

@test "a directory as --map or as an operand exits 66" {
	run -66 --separate-stderr order-import --map "$BATS_TEST_TMPDIR" \
	    "$FIXTURES/shopify-orders_export.csv"
	assert_output ''
	assert_stderr "order-import: cannot read '$BATS_TEST_TMPDIR': Is a directory"
	run -66 --separate-stderr order-import "$BATS_TEST_TMPDIR" \
	    "$FIXTURES/amazon-unshipped.txt"
	assert_stderr --partial "'$BATS_TEST_TMPDIR'"
	assert_equal "$(echo "$output" | wc -l)" 2
}

@test "a --rejects file that cannot be created exits 73" {
	run -73 --separate-stderr order-import --rejects /nonexistent/r.jsonl \
	    "$FIXTURES/shopify-orders_export.csv"
	assert_output ''
	assert_stderr --partial "cannot open '/nonexistent/r.jsonl'"
}

@test "a write error on standard output exits 74" {
	run -74 --separate-stderr sh -c 'order-import "$1" >/dev/full' sh \
	    "$FIXTURES/shopify-orders_export.csv"
	assert_output ''
	assert_stderr --partial "cannot write '<stdout>': No space left"
}

@test "a map file that does not parse exits 78" {
	printf 'id = Order\nitems.colour = Colour\n' >"$BATS_TEST_TMPDIR/bad.map"
	run -78 --separate-stderr order-import --map "$BATS_TEST_TMPDIR/bad.map" \
	    "$FIXTURES/shopify-orders_export.csv"
	assert_stderr --partial "bad.map:2: unknown field 'items.colour'"
}

# Found by tests/fuzz/order_import_fuzz.c (regressions/order_import/
# map-unknown-encoding): the map was taken, and the run ended 64 as if the
# command line were wrong, after reading the file.
@test "a map naming an unknown encoding exits 78 before reading the file" {
	printf 'encoding cp8450\nid = Name\n' >"$BATS_TEST_TMPDIR/bad.map"
	run -78 --separate-stderr order-import --map "$BATS_TEST_TMPDIR/bad.map" \
	    "$FIXTURES/shopify-orders_export.csv"
	assert_output ''
	assert_stderr "order-import: $BATS_TEST_TMPDIR/bad.map:1: unknown encoding 'cp8450'"
}

@test "--list-formats names every format" {
	run -0 --separate-stderr order-import --list-formats
	for f in shopify amazon etsy ebay woocommerce ozon yandex-market \
	    wildberries generic; do
		assert_output --partial "$f "
	done
}

@test "--list-formats reads each format's line from its maps' about lines" {
	run -0 --separate-stderr order-import --list-formats
	assert_line "etsy           Etsy EtsySoldOrderItems CSV (one row per item); Etsy EtsySoldOrders CSV (one row per order, no items)"
	assert_line --partial "ebay           eBay Seller Hub orders report (English; also the older Sales History); eBay Seller Hub orders report in German"
	assert_line --partial "wildberries    Wildberries statistics API orders (grouped by gNumber); Wildberries marketplace API orders"
	assert_stderr ''
}

# ---- formats, field by field ----

@test "shopify: orders_export.csv, every field" {
	check shopify-orders_export.csv
}

@test "shopify: the rows of an order are one record, also when apart" {
	run -0 --separate-stderr order-import "$FIXTURES/shopify-orders_export.csv"
	assert_stderr ''
	assert_equal "$(echo "$output" | jq -r .id | tr '\n' ' ')" \
	    "#1042 #1043 #1044 #1046 #1045 "
	assert_equal "$(field shopify-orders_export.out.jsonl \
	    'select(.id == "#1045") | [.items[].sku]')" '["PIN-01","PIN-02"]'
}

@test "shopify: quotes, spaces and a newline in a field do not part an order" {
	run -0 --separate-stderr order-import --stats \
	    "$FIXTURES/shopify-apart-quoted.csv"
	assert_equal "$(echo "$output" | jq -c '[.id, [.items[].name]]')" \
	    '["#3002",["Mug 12\" tall"]]
["#3001",["Poster 12\" x 16\"","Frame \"oak\""]]'
	assert_stderr --partial '3 rows read; 2 orders written (3 rows)'
}

@test "shopify: an apostrophe Excel users type before a ZIP is dropped" {
	assert_equal "$(field shopify-orders_export.out.jsonl \
	    'select(.id == "#1043") | .shipping.address.postal_code')" '"02134"'
}

@test "shopify: money is exact in minor units, also 1299.50 RUB" {
	assert_equal "$(field shopify-orders_export.out.jsonl \
	    'select(.id == "#1044") | [.items[0].unit_price, .totals.total]')" \
	    '[129950,289900]'
}

@test "shopify: Financial Status goes to payment.status, statuses kept" {
	assert_equal "$(field shopify-orders_export.out.jsonl \
	    'select(.id == "#1044") | [.status, .payment.status, .source_status.payment, .cancelled_at]')" \
	    '["new","refunded","refunded","2026-03-03T12:00:00+03:00"]'
}

@test "shopify: a subtotal net of the discount becomes the items' sum" {
	assert_equal "$(field shopify-orders_export.out.jsonl \
	    'select(.id == "#1043") | .totals')" \
	    '{"subtotal":4500,"shipping":0,"discount":500,"tax":360,"total":4360}'
}

@test "shopify: records pass order-validate where the export has the data" {
	run -0 --separate-stderr bash -c \
	    'set -o pipefail; order-import "$1" | order-validate' bash \
	    "$FIXTURES/shopify-orders_export.csv"
	assert_equal "$(echo "$output" | jq -r .id | tr '\n' ' ')" \
	    "#1042 #1046 #1045 "
	# What the export says happened holds the others: #1043 went out,
	# #1044 was cancelled and refunded.
	assert_equal "$(jq -c '[.id, [.errors[].code]]' <<<"$stderr")" \
	    '["#1043",["already_fulfilled"]]
["#1044",["cancelled_at_source","refunded_at_source"]]'
}

@test "amazon: All Orders report in Windows-1252, tab-separated" {
	run -0 --separate-stderr order-import --stats \
	    "$FIXTURES/amazon-all-orders-cp1252.txt"
	assert_output "$(cat "$FIXTURES/amazon-all-orders-cp1252.out.jsonl")"
	assert_stderr --partial 'no price'
	assert_stderr --partial "format amazon, encoding cp1252, delimiter tab; 5 rows read; 3 orders written (4 rows), 1 orders rejected (1 rows)"
}

@test "amazon: item-price is the line total; VAT is inside EU prices" {
	assert_equal "$(field amazon-all-orders-cp1252.out.jsonl \
	    'select(.id == "302-1234567-1234567") | [.items[0].unit_price, .totals]')" \
	    '[1990,{"subtotal":7980,"shipping":490,"discount":500,"tax":0,"tax_included":1352,"total":7970}]'
}

@test "amazon: a line total that does not split evenly keeps qty and money" {
	assert_equal "$(field amazon-all-orders-cp1252.out.jsonl \
	    'select(.id == "302-9999999-0000002") | [.items[] | [.qty, .unit_price]]')" \
	    '[[1,1666],[2,1667]]'
}

@test "amazon: a cancelled order with quantity 0 is kept with its status" {
	assert_equal "$(field amazon-all-orders-cp1252.out.jsonl \
	    'select(.id == "302-7654321-7654321") | [.source_status.order, .items[0].qty]')" \
	    '["Cancelled",0]'
}

@test "amazon: the unshipped orders report, with addresses and no prices" {
	check amazon-unshipped.txt
}

@test "etsy: Sold Order Items, variations and order-level shipping" {
	check etsy-EtsySoldOrderItems2026-3.csv
	assert_equal "$(field etsy-EtsySoldOrderItems2026-3.out.jsonl \
	    '[.items[0].variant, .totals.shipping, .totals.total]' | head -n 1)" \
	    '[{"color":"Natural","size":"M"},650,6750]'
}

@test "etsy: Sold Orders, countries from English and German names" {
	check etsy-EtsySoldOrders2026-3.csv
	assert_equal "$(field etsy-EtsySoldOrders2026-3.out.jsonl \
	    '.shipping.address.country' | tr '\n' ' ')" '"FR" "AT" '
}

@test "ebay: Seller Hub report with a blank first line and footers" {
	run -0 --separate-stderr order-import --stats \
	    "$FIXTURES/ebay-orders-report.csv"
	assert_output "$(cat "$FIXTURES/ebay-orders-report.out.jsonl")"
	assert_stderr --partial "4 rows read; 2 orders written (4 rows), 0 orders rejected (0 rows); 2 footer lines skipped"
}

@test "ebay: a title or a note with a footer's words is an order, not a footer" {
	sed -e 's/"Miles Davis Kind Of Blue 12" LP 1959"/"Seller ID badge holder, leather"/' \
	    -e 's/"ana@example.com",""/"ana@example.com","3 record(s) downloaded, one parcel please"/' \
	    "$FIXTURES/ebay-orders-report.csv" >"$BATS_TEST_TMPDIR/words.csv"
	run -0 --separate-stderr order-import --stats "$BATS_TEST_TMPDIR/words.csv"
	assert_equal "$(echo "$output" | jq -c '[.id, .items[0].name, .extra["Buyer Note"]]')" \
	    '["12-11001-22001","Seller ID badge holder, leather",null]
["12-11002-22002","Pokemon Card, Holo","3 record(s) downloaded, one parcel please"]'
	assert_stderr --partial "4 rows read; 2 orders written (4 rows), 0 orders rejected (0 rows); 2 footer lines skipped"
}

@test "ebay: an unescaped quote in a title does not derail the file" {
	assert_equal "$(field ebay-orders-report.out.jsonl '.items[0].name' |
	    head -n 1)" '"Miles Davis Kind Of Blue 12\" LP 1959"'
}

@test "ebay: German report, ';', Windows-1252, 116,99 € and 10-Dez-25" {
	check ebay-de-bestellungen-cp1252.csv
	assert_equal "$(field ebay-de-bestellungen-cp1252.out.jsonl \
	    '[.created_at, .currency, .totals.total]' | head -n 1)" \
	    '["2025-12-10T00:00:00Z","EUR",11699]'
}

@test "woocommerce: REST v3 orders, _gmt dates, HTML names, variants" {
	check woocommerce-orders.json
	assert_equal "$(field woocommerce-orders.out.jsonl \
	    '[.id, .source_id, .created_at, .items[0].name, .items[0].variant]' |
	    head -n 1)" \
	    '["WC-1187","1187","2026-03-02T10:20:05Z","Hoodie – Grey, L",{"Color":"Grey","Size":"L"}]'
}

@test "woocommerce: JSON lines read like the array" {
	jq -c '.[]' "$FIXTURES/woocommerce-orders.json" >"$BATS_TEST_TMPDIR/w.jsonl"
	run -0 --separate-stderr order-import "$BATS_TEST_TMPDIR/w.jsonl"
	assert_output "$(cat "$FIXTURES/woocommerce-orders.out.jsonl")"
}

@test "ozon: posting/fbs/list, prices like 1390.000000, 64-bit ids as text" {
	check ozon-fbs-postings.json
	assert_equal "$(field ozon-fbs-postings.out.jsonl \
	    '[.source_id, .items[0].unit_price, .shipping.method]' | tail -n 1)" \
	    '["9223372036854775001",99000,"pickup"]'
}

# NUMBERS: JSON numbers as a marketplace may write them, each of a form
# that a double or an int64 would change.
NUMBERS='{"n":[1.23456789012345678,1e-7,100.50,-0,12345678901234567890,-12345678901234567890,99999999999999999999999999999999,1E400,-1E400,1e-400,9223372036854775808,-9223372036854775809,9223372036854775807,-9223372036854775808,1.0,0.0,-0.0,1E+2,1e2,2.50e-3],"nested":{"a":[[{"b":-0}]],"marketplace_id":98765432109876543210}}'

@test "ozon: numbers kept under extra as written, an id beyond 64 bits as its text" {
	local m="\"marketplace_data\":$NUMBERS" a="\"attrs\":$NUMBERS"
	# sed, not jq, which would rewrite the numbers.
	sed -e "0,/\"tracking_number\": \"\",/s//&$m,/" \
	    -e "0,/\"offer_id\": \"MUG-BAIKAL\", /s//&$a, /" \
	    -e 's/"order_id": 31988422116,/"order_id": 12345678901234567890,/' \
	    "$FIXTURES/ozon-fbs-postings.json" >"$BATS_TEST_TMPDIR/o.json"
	run -0 --separate-stderr order-import "$BATS_TEST_TMPDIR/o.json"
	assert_stderr ''
	assert_line --index 0 --partial ",$m,"
	assert_line --index 0 --partial "\"extra\":{$a,"
	output=${output//",$m"/}
	assert_equal "${output//"$a,"/}" \
	    "$(sed 's/"source_id":"31988422116"/"source_id":"12345678901234567890"/' \
	    "$FIXTURES/ozon-fbs-postings.out.jsonl")"
}

@test "yandex-market: RUR is RUB, DD-MM-YYYY times in UTC+3" {
	check yandex-market-orders.json
	assert_equal "$(field yandex-market-orders.out.jsonl \
	    '[.currency, .created_at, .shipping.pickup_point]' | tail -n 1)" \
	    '["RUB","2026-03-09T23:30:00+03:00","PVZ-SPB-0042"]'
}

@test "wildberries: statistics positions grouped by gNumber, Moscow time" {
	check wildberries-statistics-orders.json
	assert_equal "$(field wildberries-statistics-orders.out.jsonl \
	    '[.id, .created_at, [.items[].sku]]' | tail -n 1)" \
	    '["98765432100123456789","2026-03-02T18:08:31+03:00",["TSH-RED-M","CAP-BLK"]]'
}

@test "wildberries: marketplace orders, prices in minor units, BYN" {
	check wildberries-marketplace-orders.json
	assert_equal "$(field wildberries-marketplace-orders.out.jsonl \
	    '[.currency, .items[0].unit_price]' | tail -n 1)" '["BYN",2550]'
}

@test "generic: the Russian Excel map reads cp1251, ';' and 1 299,50" {
	run -0 --separate-stderr order-import --map "$MAPS/excel-ru.map" \
	    "$FIXTURES/excel-ru-cp1251.csv"
	assert_output "$(cat "$FIXTURES/excel-ru-cp1251.out.jsonl")"
	assert_stderr --partial "quantity 'два' is not a whole number"
	assert_stderr --partial 'Кузнецов Алексей'
}

@test "a map's settings read alike as 'key = value' and as older maps wrote them" {
	sed -e 's/^time_zone = /zone /' -e 's/^\(source\|delimiter\|encoding\|decimal\|date\|group\) = /\1 /' \
	    "$MAPS/excel-ru.map" >"$BATS_TEST_TMPDIR/old.map"
	run -0 grep -c -e '^zone +03:00$' -e '^delimiter ;$' "$BATS_TEST_TMPDIR/old.map"
	assert_output 2
	for map in "$MAPS/excel-ru.map" "$BATS_TEST_TMPDIR/old.map"; do
		run -0 --separate-stderr order-import --map "$map" \
		    "$FIXTURES/excel-ru-cp1251.csv"
		assert_output "$(cat "$FIXTURES/excel-ru-cp1251.out.jsonl")"
	done
	printf '%s\n' 'id=Order' 'totals.tax+=Tax' 'currency:=RUB' 'items.sku=Sku' \
	    'items.qty = Qty' 'items.unit_price = Price' 'delimiter = tab' \
	    >"$BATS_TEST_TMPDIR/tight.map"
	printf 'Order\tTax\tSku\tQty\tPrice\n1\t5.00\tA\t1\t10.00\n1\t1.50\tB\t2\t3.00\n' \
	    >"$BATS_TEST_TMPDIR/t.csv"
	run -0 --separate-stderr order-import --map "$BATS_TEST_TMPDIR/tight.map" \
	    "$BATS_TEST_TMPDIR/t.csv"
	run -0 jq -c '[.id, .currency, .totals.tax, [.items[].sku]]' <<<"$output"
	assert_output '["1","RUB",650,["A","B"]]'
	printf 'id = A\ndelimiter = ;;\n' >"$BATS_TEST_TMPDIR/bad.map"
	run -78 --separate-stderr order-import --map "$BATS_TEST_TMPDIR/bad.map" \
	    "$FIXTURES/excel-ru-cp1251.csv"
	assert_output ''
	assert_stderr "order-import: $BATS_TEST_TMPDIR/bad.map:2: bad delimiter ';;'"
	printf 'id = A\nsource += x\n' >"$BATS_TEST_TMPDIR/bad.map"
	run -78 --separate-stderr order-import --map "$BATS_TEST_TMPDIR/bad.map" \
	    "$FIXTURES/excel-ru-cp1251.csv"
	assert_stderr "order-import: $BATS_TEST_TMPDIR/bad.map:2: cannot read 'source += x'"
}

@test "every format's records pass order-validate where the data is there" {
	for f in excel-ru-cp1251.out.jsonl ebay-de-bestellungen-cp1252.out.jsonl \
	    ozon-fbs-postings.out.jsonl; do
		run -0 --separate-stderr order-validate "$FIXTURES/$f"
		assert_stderr ''
	done
	run -0 --separate-stderr bash -c 'set -o pipefail
	    order-import --ship-method post "$1" | order-validate' bash \
	    "$FIXTURES/ebay-orders-report.csv"
	# The other one was shipped already: "Shipped On Date".
	assert_equal "$(jq -c '[.errors[].code]' <<<"$stderr")" \
	    '["already_fulfilled"]'
	assert_equal "$(echo "$output" | wc -l)" 1
}

@test "auto detection names the format on --stats" {
	for f in shopify-orders_export.csv:shopify \
	    etsy-EtsySoldOrders2026-3.csv:etsy-orders \
	    yandex-market-orders.json:yandex-market; do
		run -0 --separate-stderr order-import --stats "$FIXTURES/${f%%:*}"
		assert_stderr --partial "format ${f##*:},"
	done
}

@test "a zone-less time takes --tz" {
	run -0 --separate-stderr order-import --tz +10:00 \
	    "$FIXTURES/etsy-EtsySoldOrders2026-3.csv"
	assert_equal "$(echo "${lines[0]}" | jq -r .created_at)" \
	    2026-03-02T00:00:00+10:00
}

@test "times do not depend on the machine's zone" {
	TZ=Pacific/Kiritimati run -0 --separate-stderr order-import \
	    "$FIXTURES/yandex-market-orders.json"
	assert_output "$(cat "$FIXTURES/yandex-market-orders.out.jsonl")"
	assert_stderr ''
}

@test "standard input is read like a file" {
	run -0 --separate-stderr sh -c 'order-import <"$1"' sh \
	    "$FIXTURES/shopify-orders_export.csv"
	assert_output "$(cat "$FIXTURES/shopify-orders_export.out.jsonl")"
}

# ---- bad input ----

@test "no known format: exit 65 naming the closest and what it lacks" {
	printf 'Name,Email,Lineitem name\n#1,a@example.com,Hat\n' \
	    >"$BATS_TEST_TMPDIR/odd.csv"
	run -65 --separate-stderr order-import "$BATS_TEST_TMPDIR/odd.csv"
	assert_output ''
	assert_stderr --partial "no known format fits; the closest is shopify, whose columns 'Lineitem quantity', 'Lineitem price' are missing"
}

@test "the wrong format named: exit 65 with the columns it lacks" {
	run -65 --separate-stderr order-import --format etsy \
	    "$FIXTURES/shopify-orders_export.csv"
	assert_output ''
	assert_stderr --partial "is no etsy export: the header lacks 'Order ID'"
}

@test "a JSON format named for a CSV file: exit 65" {
	run -65 --separate-stderr order-import --format ozon \
	    "$FIXTURES/shopify-orders_export.csv"
	assert_stderr --partial 'is no ozon export: it is not JSON'
}

@test "an empty file, /dev/null or empty input: nothing imported, exit 0" {
	printf ' \r\n\n' >"$BATS_TEST_TMPDIR/empty.csv"
	run -0 --separate-stderr order-import "$BATS_TEST_TMPDIR/empty.csv"
	assert_output ''
	assert_stderr "order-import: '$BATS_TEST_TMPDIR/empty.csv' is empty: nothing to import"
	run -0 --separate-stderr order-import --strict /dev/null
	assert_output ''
	assert_stderr "order-import: '/dev/null' is empty: nothing to import"
	run -0 --separate-stderr sh -c 'order-import --stats </dev/null'
	assert_output ''
	assert_stderr --partial "'<stdin>' is empty: nothing to import"
	run -0 --separate-stderr order-import --format ozon /dev/null
	assert_output ''
}

@test "a header only: no records, exit 0" {
	head -n 1 "$FIXTURES/shopify-orders_export.csv" >"$BATS_TEST_TMPDIR/h.csv"
	run -0 --separate-stderr order-import --stats "$BATS_TEST_TMPDIR/h.csv"
	assert_output ''
	assert_stderr --partial '0 rows read; 0 orders written'
}

@test "binary garbage: exit 65, no crash" {
	head -c 20000 /dev/urandom >"$BATS_TEST_TMPDIR/garbage.bin"
	printf '\0\1\2\377,;\t"' >>"$BATS_TEST_TMPDIR/garbage.bin"
	run -65 --separate-stderr order-import "$BATS_TEST_TMPDIR/garbage.bin"
	assert_output ''
	assert_stderr --partial 'no known format fits'
}

@test "a truncated last row rejects its order only" {
	head -n 4 "$FIXTURES/ebay-de-bestellungen-cp1252.csv" \
	    >"$BATS_TEST_TMPDIR/cut.csv"
	printf '7003;23-1;x;"Open quote;' >>"$BATS_TEST_TMPDIR/cut.csv"
	run -0 --separate-stderr order-import --stats "$BATS_TEST_TMPDIR/cut.csv"
	assert_equal "$(echo "$output" | jq -r .id | tr '\n' ' ')" \
	    '23-12345-12345 23-12345-12346 '
	assert_stderr --partial '"code":"bad_row"'
	assert_stderr --partial '3 rows read; 2 orders written (2 rows), 1 orders rejected (1 rows)'
}

@test "a 1 MB cell is read whole" {
	{
		echo 'Name,Currency,Lineitem quantity,Lineitem name,Lineitem price,Notes'
		printf '#1,EUR,1,Hat,1.00,"'
		head -c 1048576 /dev/zero | tr '\0' x
		printf '"\n'
	} >"$BATS_TEST_TMPDIR/big.csv"
	run -0 --separate-stderr order-import "$BATS_TEST_TMPDIR/big.csv"
	assert_equal "$(echo "$output" | jq -r '.note | length')" 1048576
}

# Quadratic work shows as minutes here: linear work takes a second or two,
# so the timeouts leave a wide margin for slow and sanitizer builds.

@test "100000 orders whose rows are all apart import in linear time" {
	awk 'BEGIN {
		print "Name,Currency,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku"
		for (half = 0; half < 2; half++)
			for (i = 1; i <= 100000; i++)
				printf("#%d,EUR,1,Hat,1.00,SKU-%d\n", i, half)
	}' >"$BATS_TEST_TMPDIR/apart.csv"
	run -0 --separate-stderr sh -c 'timeout 30 order-import --stats "$1" >"$2"' \
	    sh "$BATS_TEST_TMPDIR/apart.csv" "$BATS_TEST_TMPDIR/out.jsonl"
	assert_stderr --partial '200000 rows read; 100000 orders written (200000 rows), 0 orders rejected'
	assert_equal "$(jq -c '[.id, [.items[].sku]]' "$BATS_TEST_TMPDIR/out.jsonl" |
	    sed -n '1p;100000p')" '["#1",["SKU-0","SKU-1"]]
["#100000",["SKU-0","SKU-1"]]'
}

@test "a map of 500000 rules whose columns are missing binds in linear time" {
	{
		printf 'id = Name\ncurrency = Currency\nitems.qty = Qty\n'
		printf 'items.name = Item\nitems.unit_price = Price\n'
		awk 'BEGIN { for (i = 0; i < 500000; i++)
			printf("note = Missing %d\n", i) }'
		echo 'note = NOTES'
	} >"$BATS_TEST_TMPDIR/many.map"
	printf 'Name,Currency,Qty,Item,Price,Notes\n1,EUR,1,Hat,1.00,hello\n' \
	    >"$BATS_TEST_TMPDIR/many.csv"
	run -0 --separate-stderr timeout 30 order-import \
	    --map "$BATS_TEST_TMPDIR/many.map" "$BATS_TEST_TMPDIR/many.csv"
	assert_equal "$(echo "$output" | jq -c '[.id, .note]')" '["1","hello"]'
	assert_stderr ''
}

@test "a row that cannot be read rejects its whole order, listing rows" {
	sed 's/^#1045,lee@example.com,,,,,,,,,,,,,,2026-03-04 08:59:00 +0000,2,/#1045,lee@example.com,,,,,,,,,,,,,,2026-03-04 08:59:00 +0000,two,/' \
	    "$FIXTURES/shopify-orders_export.csv" >"$BATS_TEST_TMPDIR/bad.csv"
	run -0 --separate-stderr order-import --rejects "$BATS_TEST_TMPDIR/r.jsonl" \
	    "$BATS_TEST_TMPDIR/bad.csv"
	assert_equal "$(echo "$output" | jq -r .id | tr '\n' ' ')" \
	    '#1042 #1043 #1044 #1046 '
	assert_equal "$(jq -c '[.id, [.rows[].line], [.errors[].code]]' \
	    "$BATS_TEST_TMPDIR/r.jsonl")" '["#1045",[6,8],["bad_qty"]]'
}

@test "more decimals than the currency has is an error, not a rounding" {
	sed 's/,19.90,,SOCK-GRY-39/,19.905,,SOCK-GRY-39/' \
	    "$FIXTURES/shopify-orders_export.csv" >"$BATS_TEST_TMPDIR/p.csv"
	run -0 --separate-stderr order-import "$BATS_TEST_TMPDIR/p.csv"
	assert_stderr --partial '"code":"bad_precision","field":"items[0].unit_price"'
	refute_output --partial '"#1042"'
}

@test "a rejected cp1251 row with a NUL byte keeps its whole text in raw" {
	{ cat "$FIXTURES/excel-ru-cp1251.csv"
	    tail -n 1 "$FIXTURES/excel-ru-cp1251.csv" |
	    sed 's/^1003;/1004;/' | iconv -f cp1251 -t utf-8 |
	    sed 's/Кузнецов /Кузнецов~/' | iconv -f utf-8 -t cp1251 | tr '~' '\0'
	} >"$BATS_TEST_TMPDIR/nul.csv"
	run -0 --separate-stderr order-import --map "$MAPS/excel-ru.map" \
	    --rejects "$BATS_TEST_TMPDIR/r.jsonl" "$BATS_TEST_TMPDIR/nul.csv"
	assert_equal "$(echo "$output" | wc -l)" 2
	assert_equal "$(jq -c 'select(.id == "1004") | .rows[].raw' \
	    "$BATS_TEST_TMPDIR/r.jsonl")" \
	    '"1004;04.03.2026;Кузнецов\u0000Алексей;+79031234567;alex@example.ru;190000;Санкт-Петербург;Санкт-Петербург;Невский пр., д. 1;Почта России;;Картой онлайн;250,00;0;SOCK-3;Носки (3 пары);;;два;450,00;"'
	assert_equal "$(jq -c 'select(.id == "1004") | [.errors[].code]' \
	    "$BATS_TEST_TMPDIR/r.jsonl")" '["bad_encoding","bad_qty"]'
}

@test "quantities follow the format's separators: 1,000 is a thousand in Shopify" {
	printf '%s\n' 'Name,Currency,Lineitem quantity,Lineitem name,Lineitem price' \
	    '#1,EUR,"1,000",Hat,1.00' '#2,EUR,2.000,Cap,1.00' \
	    '#3,EUR,"1,000.00",Pin,1.00' '#4,EUR,2.5,Mug,1.00' \
	    >"$BATS_TEST_TMPDIR/q.csv"
	run -0 --separate-stderr order-import "$BATS_TEST_TMPDIR/q.csv"
	assert_equal "$(echo "$output" | jq -c '[.id, .items[0].qty]')" \
	    '["#1",1000]
["#2",2]
["#3",1000]'
	assert_stderr --partial "quantity '2.5' is not a whole number"
}

@test "quantities follow a map's decimal comma: 1.000 is a thousand, 2,000 two" {
	printf '%s\n' 'id = Nr' 'currency := EUR' 'items.qty = Menge' \
	    'items.name = Artikel' 'items.unit_price = Preis' 'decimal ,' \
	    >"$BATS_TEST_TMPDIR/de.map"
	printf '%s\n' 'Nr;Menge;Artikel;Preis' '1;1.000;Hut;1,00' '2;2,000;Tasse;1,00' \
	    >"$BATS_TEST_TMPDIR/q.csv"
	run -0 --separate-stderr order-import --map "$BATS_TEST_TMPDIR/de.map" \
	    "$BATS_TEST_TMPDIR/q.csv"
	assert_equal "$(echo "$output" | jq -c '[.id, .items[0].qty]')" \
	    '["1",1000]
["2",2]'
	assert_stderr ''
}

@test "a map without decimal rejects 1,000 as ambiguous_qty and reads 2.00" {
	printf '%s\n' 'id = Nr' 'currency := EUR' 'items.qty = Qty' \
	    'items.name = Item' 'items.unit_price = Price' \
	    >"$BATS_TEST_TMPDIR/any.map"
	printf '%s\n' 'Nr;Qty;Item;Price' '1;1,000;Hat;1' '2;2.00;Cup;1' \
	    '3;1.000.000;Pin;0' >"$BATS_TEST_TMPDIR/q.csv"
	run -0 --separate-stderr order-import --map "$BATS_TEST_TMPDIR/any.map" \
	    --rejects "$BATS_TEST_TMPDIR/r.jsonl" "$BATS_TEST_TMPDIR/q.csv"
	assert_equal "$(echo "$output" | jq -c '[.id, .items[0].qty]')" \
	    '["2",2]
["3",1000000]'
	assert_equal "$(jq -c '[.id, .errors[].code]' "$BATS_TEST_TMPDIR/r.jsonl")" \
	    '["1","ambiguous_qty"]'
	assert_stderr ''
}

@test "a negative unit price is bad_amount, also with a minus sign U+2212" {
	printf '%s\n' 'Name,Currency,Lineitem quantity,Lineitem name,Lineitem price,Lineitem discount' \
	    '#1,EUR,1,Hat,-10.00,' '#2,EUR,1,Hat,−10.00,' '#3,EUR,1,Hat,10.00,-2.00' \
	    '#4,EUR,1,Gift,0.00,' >"$BATS_TEST_TMPDIR/p.csv"
	run -0 --separate-stderr order-import --rejects "$BATS_TEST_TMPDIR/r.jsonl" \
	    "$BATS_TEST_TMPDIR/p.csv"
	assert_equal "$(echo "$output" | jq -c '[.id, .items[0].unit_price, .items[0].discount]')" \
	    '["#3",1000,200]
["#4",0,null]'
	assert_equal "$(jq -c '[.id, .errors[].code, .errors[].field]' "$BATS_TEST_TMPDIR/r.jsonl")" \
	    '["#1","bad_amount","items[0].unit_price"]
["#2","bad_amount","items[0].unit_price"]'
	assert_equal "$(jq -r '.errors[].message' "$BATS_TEST_TMPDIR/r.jsonl" | head -n 1)" \
	    "line 2: unit price '-10.00' is negative (a discount goes in its own column)"
}

@test "a quantity of 0 is bad_qty unless its line is cancelled" {
	printf '%s\n' 'Name,Currency,Lineitem quantity,Lineitem name,Lineitem price,Cancelled at' \
	    '#1,EUR,0,Hat,10.00,' '#2,EUR,0,Hat,,2026-03-03 12:00:00 +0000' \
	    '#3,EUR,-1,Hat,10.00,' >"$BATS_TEST_TMPDIR/q.csv"
	run -0 --separate-stderr order-import --rejects "$BATS_TEST_TMPDIR/r.jsonl" \
	    "$BATS_TEST_TMPDIR/q.csv"
	assert_equal "$(echo "$output" | jq -c '[.id, .items[0].qty]')" '["#2",0]'
	assert_equal "$(jq -c '[.id, .errors[].code, .errors[].message]' "$BATS_TEST_TMPDIR/r.jsonl")" \
	    '["#1","bad_qty","line 2: quantity '"'0'"' is below 1"]
["#3","bad_qty","line 4: quantity '"'-1'"' is below 1"]'
}

@test "a row after empty lines is rejected with its own line and text only" {
	printf '%s\n' 'Name,Currency,Lineitem quantity,Lineitem name,Lineitem price' \
	    '#1,EUR,1,Hat,10.00' '' '   ' '#2,EUR,0,Hat,10.00' \
	    >"$BATS_TEST_TMPDIR/q.csv"
	run -0 --separate-stderr order-import --rejects "$BATS_TEST_TMPDIR/r.jsonl" \
	    "$BATS_TEST_TMPDIR/q.csv"
	assert_equal "$(echo "$output" | jq -c '[.id, .items[0].qty]')" '["#1",1]'
	assert_equal "$stderr" ''
	assert_equal "$(jq -c '[.rows, .errors[].message]' "$BATS_TEST_TMPDIR/r.jsonl")" \
	    '[[{"line":5,"raw":"#2,EUR,0,Hat,10.00"}],"line 5: quantity '"'0'"' is below 1"]'
}

@test "a quantity over 1000000 is qty_too_large; a number past 64 bits says so" {
	local nines
	printf '%s\n' 'Name,Currency,Lineitem quantity,Lineitem name,Lineitem price' \
	    '#1,EUR,1000000,Pin,0.01' '#2,EUR,1000001,Pin,0.01' \
	    '#3,EUR,9999999999,Pin,0.01' '#4,EUR,9223372036854775807,Pin,0.01' \
	    '#5,EUR,99999999999999999999,Pin,0.01' >"$BATS_TEST_TMPDIR/q.csv"
	nines=$(printf '9%.0s' {1..130})
	echo "#6,EUR,$nines,Pin,0.01" >>"$BATS_TEST_TMPDIR/q.csv"
	run -0 --separate-stderr order-import --rejects "$BATS_TEST_TMPDIR/r.jsonl" \
	    "$BATS_TEST_TMPDIR/q.csv"
	assert_equal "$(echo "$output" | jq -c '[.id, .items[0].qty]')" '["#1",1000000]'
	assert_equal "$(jq -c '[.id, .errors[].code, .errors[].message]' "$BATS_TEST_TMPDIR/r.jsonl")" \
	    '["#2","qty_too_large","line 3: quantity '"'1000001'"' is over 1000000, more than any order holds"]
["#3","qty_too_large","line 4: quantity '"'9999999999'"' is over 1000000, more than any order holds"]
["#4","qty_too_large","line 5: quantity '"'9223372036854775807'"' is over 1000000, more than any order holds"]
["#5","qty_too_large","line 6: quantity '"'99999999999999999999'"' is too large to be a number"]
["#6","qty_too_large","line 7: quantity '"'$nines'"' is too large to be a number"]'
}

@test "--strict makes a reject exit 65" {
	run -65 --separate-stderr order-import --strict --map "$MAPS/excel-ru.map" \
	    "$FIXTURES/excel-ru-cp1251.csv"
	assert_equal "$(echo "$output" | wc -l)" 2
}

@test "--encoding utf-8 on text that is not rejects with bad_encoding" {
	{ cat "$FIXTURES/shopify-orders_export.csv"; sed -n 7p \
	    "$FIXTURES/shopify-orders_export.csv" | sed 's/#1046/#1047/' |
	    iconv -f utf-8 -t cp1252; printf '#1047,,,,,,,,,,,,,,,,1,Caf\351,1.00\n'; } \
	    >"$BATS_TEST_TMPDIR/mixed.csv"
	run -0 --separate-stderr order-import --encoding utf-8 \
	    "$BATS_TEST_TMPDIR/mixed.csv"
	assert_equal "$(echo "$output" | wc -l)" 5
	assert_stderr --partial '"code":"bad_encoding"'
	assert_stderr --partial 'Caf�,1.00'
}

@test "--encoding auto takes UTF-8 with a few bad bytes as UTF-8, rejecting their rows" {
	local rest
	rest=$(printf ',%.0s' {1..52})	# the header has 71 columns
	{ cat "$FIXTURES/shopify-orders_export.csv"
	    printf '#1047,,,,,,,EUR,,,,,,,,,1,Caf\351,1.00%s\n' "$rest"
	    printf '#1048,,,,,,,EUR,,,,,,,,,1,M\377\376ug,1.00%s\n' "$rest"; } \
	    >"$BATS_TEST_TMPDIR/mixed.csv"
	run -0 --separate-stderr order-import --stats --rejects \
	    "$BATS_TEST_TMPDIR/r.jsonl" "$BATS_TEST_TMPDIR/mixed.csv"
	assert_output "$(cat "$FIXTURES/shopify-orders_export.out.jsonl")"
	assert_stderr --partial 'encoding utf-8'
	assert_equal "$(jq -c '[.id, .errors[].code, .rows[].raw]' "$BATS_TEST_TMPDIR/r.jsonl")" \
	    '["#1047","bad_encoding","#1047,,,,,,,EUR,,,,,,,,,1,Caf�,1.00'"$rest"'"]
["#1048","bad_encoding","#1048,,,,,,,EUR,,,,,,,,,1,M��ug,1.00'"$rest"'"]'
}

@test "--encoding auto still takes ASCII with one cp1252 letter as cp1252" {
	{ head -n 1 "$FIXTURES/shopify-orders_export.csv"
	    printf '#1047,,,,,,,EUR,,,,,,,,,1,Caf\351,1.00%s\n' \
	    "$(printf ',%.0s' {1..52})"; } \
	    >"$BATS_TEST_TMPDIR/one.csv"
	run -0 --separate-stderr order-import --stats "$BATS_TEST_TMPDIR/one.csv"
	assert_equal "$(echo "$output" | jq -r '.items[0].name')" 'Café'
	assert_stderr --partial 'encoding cp1252'
}

@test "a bad JSON value is a reject; the run goes on" {
	jq -c '.result.postings[]' "$FIXTURES/ozon-fbs-postings.json" |
	    sed '1a {"posting_number": "1-1", "products": [' >"$BATS_TEST_TMPDIR/o.jsonl"
	run -0 --separate-stderr order-import --format ozon "$BATS_TEST_TMPDIR/o.jsonl"
	assert_equal "$(echo "$output" | wc -l)" 2
	assert_stderr --partial '"code":"bad_json"'
}

# wrap FIXTURE PATH BEFORE AFTER: ten orders made of the first one in the
# fixture (ids 1-10 under .id or .posting_number), written one a line
# between the lines BEFORE and AFTER, as an API response pretty-printed.
wrap() {
	local f=$1 path=$2 key
	key=$(jq -r "$path[0] | if has(\"posting_number\") then \"posting_number\" else \"id\" end" "$FIXTURES/$f")
	echo "$3"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		jq -c --arg i "$i" --arg k "$key" \
		    "$path[0] | .[\$k] = (if .[\$k] | type == \"number\" then (\$i | tonumber) else \$i end)" \
		    "$FIXTURES/$f" | tr -d '\n'
		((i < 10)) && printf ','
		echo
	done
	echo "$4"
}

@test "a wrapped JSON export cut short keeps every whole order before the cut" {
	local f bytes full
	for f in 'ozon-fbs-postings.json .result.postings {"result":{"postings":[ ]}}' \
	    'yandex-market-orders.json .orders {"orders":[ ],"pager":{"total":10}}' \
	    'wildberries-marketplace-orders.json .orders {"next":0,"orders":[ ]}'; do
		# shellcheck disable=SC2086 # four words
		wrap $f >"$BATS_TEST_TMPDIR/full.json"
		run -0 --separate-stderr order-import "$BATS_TEST_TMPDIR/full.json"
		assert_equal "$(echo "$output" | wc -l)" 10
		full=$output
		# lines 2-8 are whole orders; line 9 is cut in half
		bytes=$(head -n 8 "$BATS_TEST_TMPDIR/full.json" | wc -c)
		bytes=$((bytes + $(sed -n 9p "$BATS_TEST_TMPDIR/full.json" | wc -c) / 2))
		head -c "$bytes" "$BATS_TEST_TMPDIR/full.json" >"$BATS_TEST_TMPDIR/cut.json"
		run -0 --separate-stderr order-import --stats \
		    --rejects "$BATS_TEST_TMPDIR/r.jsonl" "$BATS_TEST_TMPDIR/cut.json"
		assert_output "$(echo "$full" | head -n 7)"
		assert_stderr --partial '8 rows read; 7 orders written (7 rows), 1 orders rejected (1 rows)'
		assert_equal "$(jq -c '[.line, .errors[].code, .errors[].message]' "$BATS_TEST_TMPDIR/r.jsonl")" \
		    "[9,\"bad_json\",\"cut short: the input ends at line 9, byte $bytes, inside this value; the 7 whole values before it are kept\"]"
		assert_equal "$(jq -r .raw "$BATS_TEST_TMPDIR/r.jsonl")" \
		    "$(sed -n 9p "$BATS_TEST_TMPDIR/full.json" | head -c "$(($(sed -n 9p "$BATS_TEST_TMPDIR/full.json" | wc -c) / 2))")"
		rm "$BATS_TEST_TMPDIR/r.jsonl"
	done
}

@test "a wrapped JSON export on one line, cut short, keeps the whole orders" {
	local bytes want
	wrap ozon-fbs-postings.json .result.postings '{"result":{"postings":[' ']}}' \
	    >"$BATS_TEST_TMPDIR/lines.json"
	tr -d '\n' <"$BATS_TEST_TMPDIR/lines.json" >"$BATS_TEST_TMPDIR/full.json"
	for pct in 50 60 70 80 90 95; do
		bytes=$(($(wc -c <"$BATS_TEST_TMPDIR/full.json") * pct / 100))
		head -c "$bytes" "$BATS_TEST_TMPDIR/full.json" >"$BATS_TEST_TMPDIR/cut.json"
		# the whole orders: those whose last byte is before the cut
		want=$(awk -v cut="$bytes" '{ total += length($0) }
		    NR >= 2 && NR <= 11 && total - /,$/ <= cut { printf("%d ", NR - 1) }' \
		    "$BATS_TEST_TMPDIR/lines.json")
		run -0 --separate-stderr order-import --rejects "$BATS_TEST_TMPDIR/r.jsonl" \
		    "$BATS_TEST_TMPDIR/cut.json"
		assert_equal "$(echo "$output" | jq -r .id | tr '\n' ' ')" "$want"
		assert_equal "$(jq -r '.errors[].code' "$BATS_TEST_TMPDIR/r.jsonl")" bad_json
		rm "$BATS_TEST_TMPDIR/r.jsonl"
	done
}

@test "broken inputs as JSON and CSV exports: no crash, every row written or rejected" {
	local format f want rows
	load test_helper/broken
	broken_all
	# format, file, exit status, rows read and all rejected ("-": the file
	# fits no format, or not the one named: 65, nothing read).  The
	# empty file is a warning only.  array.jsonl's [] holds no row.
	while read -r format f want rows; do
		rm -f "$BATS_TEST_TMPDIR/r"
		run "-$want" --separate-stderr order-import --format "$format" \
		    --stats --rejects "$BATS_TEST_TMPDIR/r" "$BROKEN/$f"
		assert_output ''
		if [[ $rows == - ]]; then
			if [[ $format == auto ]]; then
				assert_stderr --partial "'$BROKEN/$f': no known format fits"
			else
				assert_stderr --partial "'$BROKEN/$f' is no $format export: "
			fi
			[[ $stderr != *' rows read;'* ]] ||
			    fail "$format $f: read, not refused: $stderr"
			rows=0
		else
			assert_stderr --partial "; $rows rows read; 0 orders written (0 rows), $rows orders rejected ($rows rows)"
		fi
		assert_equal "$format $f: $(count_lines "$BATS_TEST_TMPDIR/r") rejected" \
		    "$format $f: $rows rejected"
		broken_codes "$BATS_TEST_TMPDIR/r"
	done <<-EOF
	auto array.jsonl 65 1
	auto bad-utf8.jsonl 0 3
	auto crlf-bom.jsonl 65 2
	auto empty.jsonl 0 0
	auto not-json.jsonl 65 -
	auto nul-byte.jsonl 0 2
	auto number.jsonl 65 -
	woocommerce array.jsonl 65 1
	woocommerce bad-utf8.jsonl 0 3
	woocommerce crlf-bom.jsonl 65 2
	woocommerce empty.jsonl 0 0
	woocommerce not-json.jsonl 65 -
	woocommerce nul-byte.jsonl 0 2
	woocommerce number.jsonl 65 -
	shopify array.jsonl 65 -
	shopify bad-utf8.jsonl 65 -
	shopify crlf-bom.jsonl 65 -
	shopify empty.jsonl 0 0
	shopify not-json.jsonl 65 -
	shopify nul-byte.jsonl 65 -
	shopify number.jsonl 65 -
	EOF
}

# ---- the man page's EXAMPLES ----

@test "example: order-import --format shopify orders_export.csv | order-validate" {
	cp "$FIXTURES/shopify-orders_export.csv" "$BATS_TEST_TMPDIR/orders_export.csv"
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr bash -c 'set -o pipefail
	    order-import --format shopify orders_export.csv | order-validate'
	assert_equal "${#lines[@]}" 3
	assert_stderr --partial '"code":"already_fulfilled"'
}

@test "example: order-import --map excel-ru --rejects bad.jsonl orders.csv" {
	export ORDERKIT_DATADIR="$BATS_TEST_DIRNAME/../scripts"
	cp "$FIXTURES/excel-ru-cp1251.csv" "$BATS_TEST_TMPDIR/orders.csv"
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr order-import --map excel-ru \
	    --rejects bad.jsonl orders.csv
	assert_equal "$(echo "$output" | wc -l)" 2
	assert_equal "$(jq -r .id bad.jsonl)" 1003
}

@test "example: order-import --stats --tz Pacific/Honolulu export.csv" {
	cp "$FIXTURES/etsy-EtsySoldOrders2026-3.csv" "$BATS_TEST_TMPDIR/export.csv"
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr order-import --stats --tz Pacific/Honolulu \
	    export.csv
	assert_equal "$(echo "${lines[0]}" | jq -r .created_at)" \
	    2026-03-02T00:00:00-10:00
	assert_stderr --partial 'format etsy-orders'
}

@test "example: order-export --per item orders.jsonl >orders.csv; order-import orders.csv" {
	cd "$BATS_TEST_TMPDIR"
	cp "$BATS_TEST_DIRNAME/fixtures/order-export/orders.jsonl" .
	run -0 --separate-stderr sh -c '
	    order-export --per item orders.jsonl >orders.csv
	    order-import orders.csv'
	assert_stderr ''
	assert_equal "$(echo "$output" | jq -r .id | paste -sd ' ')" \
	    "$(jq -r .id orders.jsonl | paste -sd ' ')"
}

@test "example: order-import --list-formats" {
	run -0 --separate-stderr order-import --list-formats
	assert_equal "${#lines[@]}" 10
	assert_stderr ''
}

@test "a JSON array's element quoted in a reject keeps its numbers as written" {
	printf '[{"number":"1","x":%s}]\n' "$NUMBERS" >"$BATS_TEST_TMPDIR/a.json"
	run -65 --separate-stderr order-import --format woocommerce \
	    --rejects "$BATS_TEST_TMPDIR/r.jsonl" "$BATS_TEST_TMPDIR/a.json"
	assert_output ''
	run -0 jq -r .raw "$BATS_TEST_TMPDIR/r.jsonl"
	assert_output "{\"number\":\"1\",\"x\":$NUMBERS}"
}

# Found by tests/fuzz/order_import_fuzz.c (regressions/order_import/
# cp1251-nul-reject): raw_back() copied the decoded row with xstrndup(),
# which stops at the NUL, and claimed its whole length.
@test "a rejected cp1251 row with a NUL byte keeps all its text in raw" {
	printf 'Order ID,Number of Items,Order Total\n\0\xff\n' \
	    >"$BATS_TEST_TMPDIR/nul.csv"
	run -0 --separate-stderr order-import --encoding cp1251 \
	    --rejects "$BATS_TEST_TMPDIR/bad.jsonl" "$BATS_TEST_TMPDIR/nul.csv"
	assert_output ''
	assert_stderr ''
	assert_equal "$(jq -c .rows "$BATS_TEST_TMPDIR/bad.jsonl")" \
	    '[{"line":2,"raw":"\u0000я"}]'
}

# ---- the state at the source, zones, Etsy's two files (issue 11) ----

@test "shopify: requires shipping, outstanding balance and refunds go into the record" {
	run -0 --separate-stderr order-import --tz -10:00 \
	    "$FIXTURES/shopify-no-zone.csv"
	assert_equal "$(jq -c '[.id, [.items[].requires_shipping], .source_status]' <<<"$output")" \
	    '["#2001",[false],{"payment":"paid","fulfillment":"unfulfilled"}]
["#2002",[true],{"payment":"paid","fulfillment":"unfulfilled","outstanding":2000}]'
	assert_equal "$(field shopify-orders_export.out.jsonl \
	    'select(.id == "#1044") | .source_status.refunded')" 289900
}

@test "amazon: the fulfilment channel says who ships, AFN the marketplace" {
	run -0 --separate-stderr order-import "$FIXTURES/amazon-fba-shipments.txt"
	assert_equal "$(jq -r '.fulfilled_by' <<<"$output" | paste -sd ' ')" \
	    'marketplace shop'
	assert_stderr ''
}

@test "etsy and ebay: the date shipped is source_status.shipped_at" {
	assert_equal "$(field etsy-EtsySoldOrderItems2026-3.out.jsonl \
	    '.source_status.shipped_at')" '"2026-03-04T00:00:00Z"
null'
	assert_equal "$(field ebay-orders-report.out.jsonl \
	    '.source_status.shipped_at // empty')" '"2026-03-04T00:00:00Z"'
}

@test "woocommerce: refunds are summed into source_status.refunded" {
	assert_equal "$(field woocommerce-orders.out.jsonl \
	    '[.id, .source_status.order, .source_status.refunded]')" \
	    "$(jq -c '.[] | [(.number // .id | tostring), .status,
	    ([.refunds[]?.total | tonumber] | add // 0 | -. * 100 | round |
	    if . == 0 then null else . end)]' "$FIXTURES/woocommerce-orders.json")"
}

@test "a time without a zone is UTC with a warning, and counted under --stats" {
	run -0 --separate-stderr order-import --stats "$FIXTURES/shopify-no-zone.csv"
	assert_equal "$(jq -r .created_at <<<"$output" | head -n 1)" \
	    2026-11-10T09:17:00Z
	assert_stderr --partial '0 orders rejected (0 rows); 1 times without a zone read as UTC'
	run -0 --separate-stderr order-import "$FIXTURES/shopify-no-zone.csv"
	assert_stderr "order-import: '$FIXTURES/shopify-no-zone.csv': 1 times without a zone read as UTC: give --tz or set tz in [source \"shopify\"]"
}

@test "a time without a zone takes --tz, else the profile's tz; a time with one keeps it" {
	run -0 --separate-stderr order-import --tz -10:00 "$FIXTURES/shopify-no-zone.csv"
	assert_stderr ''
	assert_equal "$(jq -r .created_at <<<"$output" | paste -sd ' ')" \
	    '2026-11-10T09:17:00-10:00 2026-11-10T10:00:00-10:00'
	printf '[source "shopify"]\ntz = +09:00\n' >"$BATS_TEST_TMPDIR/c.conf"
	run -0 --separate-stderr order-import --config "$BATS_TEST_TMPDIR/c.conf" \
	    "$FIXTURES/shopify-no-zone.csv"
	assert_stderr ''
	assert_equal "$(jq -r .created_at <<<"$output" | paste -sd ' ')" \
	    '2026-11-10T09:17:00+09:00 2026-11-10T10:00:00-10:00'
	run -0 --separate-stderr order-import --config "$BATS_TEST_TMPDIR/c.conf" \
	    --tz +01:00 "$FIXTURES/shopify-no-zone.csv"
	assert_equal "$(jq -r .created_at <<<"$output" | head -n 1)" \
	    2026-11-10T09:17:00+01:00
}

@test "a profile's tz that is no zone exits 78 naming the key" {
	printf '[source "shopify"]\ntz = Mars/Olympus\n' >"$BATS_TEST_TMPDIR/c.conf"
	run -78 --separate-stderr order-import --config "$BATS_TEST_TMPDIR/c.conf" \
	    "$FIXTURES/shopify-no-zone.csv"
	assert_output ''
	assert_stderr --partial "[source \"shopify\"] tz 'Mars/Olympus' is an unknown or daylight-saving zone"
}

@test "a --config that cannot be read exits 78" {
	run -78 --separate-stderr order-import --config "$BATS_TEST_TMPDIR/none.conf" \
	    "$FIXTURES/shopify-no-zone.csv"
	assert_output ''
	assert_stderr --partial "none.conf"
}

@test "etsy: the items and orders files together make one record per order, with the coupon" {
	run -0 --separate-stderr order-import --stats --format etsy \
	    "$FIXTURES/etsy-merge-items.csv" "$FIXTURES/etsy-merge-orders.csv"
	assert_equal "$(jq -c '[.id, (.items | length), .totals, .extra["Coupon Code"], .source_status]' <<<"$output")" \
	    '["5001",2,{"subtotal":3200,"shipping":500,"discount":320,"tax":0,"total":3380},"FALL10",{"order":"Paid"}]
["5002",1,{"subtotal":1200,"shipping":500,"discount":0,"tax":0,"total":1700},null,{"shipped_at":"2026-11-04T00:00:00Z","order":"Completed"}]'
	assert_stderr --partial 'order-import: 2 Etsy orders merged from the items and orders files'
	assert_stderr --partial 'all: 5 rows read; 2 orders written (5 rows)'
	# In either order; the merged order's sums add up (its items have no
	# SKU, which a catalog's alias would give), the shipped one is held.
	run -0 --separate-stderr bash -c 'set -o pipefail
	    order-import --ship-method post "$2" "$1" | order-validate' bash \
	    "$FIXTURES/etsy-merge-items.csv" "$FIXTURES/etsy-merge-orders.csv"
	assert_output ''
	assert_equal "$(jq -c '[.id, [.errors[].code]]' <<<"$stderr")" \
	    '["5001",["missing_field","missing_field"]]
["5002",["already_fulfilled"]]'
}

@test "etsy: the items file alone keeps its own totals" {
	run -0 --separate-stderr order-import "$FIXTURES/etsy-merge-items.csv"
	assert_equal "$(jq -c '.totals.total' <<<"$output" | paste -sd ' ')" '3700 1700'
}

@test "ebay: Sales History's footer with the times it covers is a footer, not a reject" {
	{ head -n -2 "$FIXTURES/ebay-orders-report.csv"
	  printf '2, record(s) downloaded,from ,Jan-18-16,16:41:35, to ,Jan-18-16,21:54:24,,,,\n'
	  printf 'Seller ID: shop@example.com,,,,\n'; } >"$BATS_TEST_TMPDIR/h.csv"
	run -0 --separate-stderr order-import --stats "$BATS_TEST_TMPDIR/h.csv"
	assert_output "$(cat "$FIXTURES/ebay-orders-report.out.jsonl")"
	assert_stderr --partial "0 orders rejected (0 rows); 2 footer lines skipped"
}

@test "example: order-import --format etsy EtsySoldOrderItems2026-9.csv EtsySoldOrders2026-9.csv" {
	cp "$FIXTURES/etsy-merge-items.csv" "$BATS_TEST_TMPDIR/EtsySoldOrderItems2026-9.csv"
	cp "$FIXTURES/etsy-merge-orders.csv" "$BATS_TEST_TMPDIR/EtsySoldOrders2026-9.csv"
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr order-import --format etsy \
	    EtsySoldOrderItems2026-9.csv EtsySoldOrders2026-9.csv
	assert_equal "$(jq -r .id <<<"$output" | paste -sd ' ')" '5001 5002'
	assert_stderr ''
}

# ------------------------------------------------- maps found by name

@test "--map NAME finds NAME.map under \$ORDERKIT_DATADIR/maps" {
	mkdir -p "$BATS_TEST_TMPDIR/share/maps"
	cp "$MAPS/excel-ru.map" "$BATS_TEST_TMPDIR/share/maps/"
	cd "$BATS_TEST_TMPDIR"
	ORDERKIT_DATADIR="$BATS_TEST_TMPDIR/share" run -0 --separate-stderr \
	    order-import --map excel-ru "$FIXTURES/excel-ru-cp1251.csv"
	assert_output "$(cat "$FIXTURES/excel-ru-cp1251.out.jsonl")"
	assert_stderr --partial "quantity 'два' is not a whole number"
	ORDERKIT_DATADIR="$BATS_TEST_TMPDIR/share" run -0 --separate-stderr \
	    order-import --map excel-ru.map "$FIXTURES/excel-ru-cp1251.csv"
	assert_output "$(cat "$FIXTURES/excel-ru-cp1251.out.jsonl")"
}

@test "--map takes a file of that name in the working directory first" {
	mkdir -p "$BATS_TEST_TMPDIR/share/maps"
	printf 'source = nothing\nid = Nothing\n' \
	    >"$BATS_TEST_TMPDIR/share/maps/excel-ru"
	cp "$MAPS/excel-ru.map" "$BATS_TEST_TMPDIR/excel-ru"
	cd "$BATS_TEST_TMPDIR"
	ORDERKIT_DATADIR="$BATS_TEST_TMPDIR/share" run -0 --separate-stderr \
	    order-import --map excel-ru "$FIXTURES/excel-ru-cp1251.csv"
	assert_output "$(cat "$FIXTURES/excel-ru-cp1251.out.jsonl")"
	assert_stderr --partial "quantity 'два' is not a whole number"
}

@test "a program installed elsewhere finds the maps in ../share/orderkit beside it" {
	mkdir -p "$BATS_TEST_TMPDIR/usr/bin" "$BATS_TEST_TMPDIR/usr/share/orderkit/maps"
	cp "$(command -v order-import)" "$BATS_TEST_TMPDIR/usr/bin/"
	cp "$MAPS/excel-ru.map" "$BATS_TEST_TMPDIR/usr/share/orderkit/maps/"
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr "$BATS_TEST_TMPDIR/usr/bin/order-import" \
	    --map excel-ru "$FIXTURES/excel-ru-cp1251.csv"
	assert_output "$(cat "$FIXTURES/excel-ru-cp1251.out.jsonl")"
	assert_stderr --partial "quantity 'два' is not a whole number"
}

@test "a map name found nowhere exits 66 naming where it was looked for" {
	cd "$BATS_TEST_TMPDIR"
	ORDERKIT_DATADIR="$BATS_TEST_TMPDIR/share" run -66 --separate-stderr \
	    order-import --map excel-ua "$FIXTURES/excel-ru-cp1251.csv"
	assert_output ''
	assert_stderr --partial "order-import: cannot open 'excel-ua': no such file, nor one of that name in '$BATS_TEST_TMPDIR/share/maps', "
	run -66 --separate-stderr order-import --map ./excel-ru \
	    "$FIXTURES/excel-ru-cp1251.csv"
	assert_stderr "order-import: cannot open './excel-ru': No such file or directory"
}

@test "a map found by name is named by its path in the messages" {
	mkdir -p "$BATS_TEST_TMPDIR/share/maps"
	printf 'source = x\nsource += y\n' >"$BATS_TEST_TMPDIR/share/maps/bad.map"
	cd "$BATS_TEST_TMPDIR"
	ORDERKIT_DATADIR="$BATS_TEST_TMPDIR/share" run -78 --separate-stderr \
	    order-import --map bad "$FIXTURES/excel-ru-cp1251.csv"
	assert_stderr "order-import: $BATS_TEST_TMPDIR/share/maps/bad.map:2: cannot read 'source += y'"
}

# ---------------------------------------------------------- TMPDIR

@test "a piped standard input is copied to a temporary file in \$TMPDIR" {
	mkdir "$BATS_TEST_TMPDIR/tmp"
	TMPDIR="$BATS_TEST_TMPDIR/tmp" run -0 --separate-stderr sh -c \
	    'cat "$1" | order-import --format shopify' sh \
	    "$FIXTURES/shopify-orders_export.csv"
	assert_output "$(cat "$FIXTURES/shopify-orders_export.out.jsonl")"
	assert_stderr ''
	TMPDIR="$BATS_TEST_TMPDIR/none" run -73 --separate-stderr sh -c \
	    'cat "$1" | order-import --format shopify' sh \
	    "$FIXTURES/shopify-orders_export.csv"
	assert_output ''
	assert_stderr "order-import: cannot create a temporary file in '$BATS_TEST_TMPDIR/none': No such file or directory"
}
