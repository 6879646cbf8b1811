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

# ---- formats, field by field ----

@test "shopify: orders_export.csv, every field" {
	check shopify-orders_export.csv
}

@test "shopify: the rows of an order are one record, also when apart" {
	run -0 order-import "$FIXTURES/shopify-orders_export.csv"
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
	run -0 --separate-stderr sh -c 'order-import "$1" | order-validate' sh \
	    "$FIXTURES/shopify-orders_export.csv"
	assert_equal "$(echo "$output" | jq -r .id | tr '\n' ' ')" \
	    "#1042 #1043 #1046 #1045 "
	# A manual payment names no method: that one is for a person.
	assert_stderr --partial '"field":"payment.method"'
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

@test "every format's records pass order-validate where the data is there" {
	for f in excel-ru-cp1251.out.jsonl ebay-de-bestellungen-cp1252.out.jsonl \
	    ozon-fbs-postings.out.jsonl; do
		run -0 --separate-stderr order-validate "$FIXTURES/$f"
		assert_stderr ''
	done
	run -0 --separate-stderr sh -c 'order-import --ship-method post "$1" |
	    order-validate' sh "$FIXTURES/ebay-orders-report.csv"
	assert_stderr ''
	assert_equal "$(echo "$output" | wc -l)" 2
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
	TZ=Pacific/Kiritimati run -0 order-import \
	    "$FIXTURES/yandex-market-orders.json"
	assert_output "$(cat "$FIXTURES/yandex-market-orders.out.jsonl")"
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

@test "an empty file: exit 65, no header" {
	: >"$BATS_TEST_TMPDIR/empty.csv"
	run -65 --separate-stderr order-import "$BATS_TEST_TMPDIR/empty.csv"
	assert_output ''
	assert_stderr --partial "is empty: no header line"
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

@test "--encoding auto takes a file with one cp1252 byte as cp1252" {
	{ cat "$FIXTURES/shopify-orders_export.csv"
	    printf '#1047,,,,,,,EUR,,,,,,,,,1,Caf\351,1.00\n'; } \
	    >"$BATS_TEST_TMPDIR/mixed.csv"
	run -0 --separate-stderr order-import --stats "$BATS_TEST_TMPDIR/mixed.csv"
	assert_stderr --partial 'encoding cp1252'
}

@test "a bad JSON value is a reject; the run goes on" {
	jq -c '.result.postings[]' "$FIXTURES/ozon-fbs-postings.json" |
	    sed '1a {"posting_number": "1-1", "products": [' >"$BATS_TEST_TMPDIR/o.jsonl"
	run -0 --separate-stderr order-import --format ozon "$BATS_TEST_TMPDIR/o.jsonl"
	assert_equal "$(echo "$output" | wc -l)" 2
	assert_stderr --partial '"code":"bad_json"'
}

# ---- the man page's EXAMPLES ----

@test "example: order-import --format shopify orders_export.csv | order-validate" {
	cp "$FIXTURES/shopify-orders_export.csv" "$BATS_TEST_TMPDIR/orders_export.csv"
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr sh -c \
	    'order-import --format shopify orders_export.csv | order-validate'
	assert_equal "$(echo "$output" | wc -l)" 4
}

@test "example: order-import --map excel-ru.map --rejects bad.jsonl orders.csv" {
	cp "$MAPS/excel-ru.map" "$BATS_TEST_TMPDIR/"
	cp "$FIXTURES/excel-ru-cp1251.csv" "$BATS_TEST_TMPDIR/orders.csv"
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr order-import --map excel-ru.map \
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

@test "example: order-import --list-formats" {
	run -0 order-import --list-formats
	assert_equal "${#lines[@]}" 9
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
