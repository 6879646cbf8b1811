bats_require_minimum_version 1.5.0

setup_file() {
	load test_helper/store
	pg_start
}

teardown_file() {
	load test_helper/store
	pg_stop
}

setup() {
	load test_helper/common
	load test_helper/store
	CONF="$FIXTURES/shop.conf"
	ORDERS="$FIXTURES/orders.jsonl"
	export CONF ORDERS
}

# ro ARGS...: return-open with the fixture shop (DE, +01:00, SALE-* final)
# and orders, on the current store.
ro() {
	return-open --config "$CONF" --orders "$ORDERS" \
	    --now 2026-12-05T10:00:00+01:00 "$@"
}

# req ORDER SKU QTY REASON CONDITION AT [EXTRA]: one request line.
req() {
	printf '{"order_id":"%s","requested_at":"%s","items":[{"sku":"%s","qty":%s,"reason":"%s","condition":"%s"}]%s}\n' \
	    "$1" "$6" "$2" "$3" "$4" "$5" "${7:-}"
}

# decision: the return of each output or reject line, compact.
decision() {
	jq -c '{decision: .return.decision, amount: .return.amount,
	    codes: [(.errors // [])[].code]}'
}

# --- the window -------------------------------------------------------------

@test "the last day of the window counts, to its last minute in the shop's zone" {
	use_backend sqlite
	req SHOP-1 TEE-RED-M 1 changed_mind unused_with_tags \
	    2026-12-04T23:30:00+01:00 >"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro "$BATS_TEST_TMPDIR/r.jsonl"
	assert_stderr ''
	run -0 jq -c '[.status, .return.decision, .return.due_by,
	    .return.method, .return.shop_pays_return_shipping]' <<<"$output"
	assert_output '["return_open","approved","2026-12-18","card",false]'
}

@test "the day after the window is window_closed, and a time in UTC is read in the shop's zone" {
	use_backend sqlite
	req SHOP-1 TEE-RED-M 1 changed_mind unused 2026-12-04T23:30:00Z \
	    >"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro "$BATS_TEST_TMPDIR/r.jsonl"
	assert_output ''
	run -0 decision <<<"$stderr"
	assert_output '{"decision":"declined","amount":null,"codes":["window_closed"]}'
}

@test "a window that ends on a Saturday ends on Monday, or after a holiday on Tuesday" {
	use_backend sqlite
	printf '[shop]\ncountry = DE\ntz = +01:00\n[returns]\nwindow_days = 15\n' \
	    >"$BATS_TEST_TMPDIR/p.conf"
	req SHOP-1 TEE-RED-M 1 changed_mind unused 2026-12-07T12:00:00+01:00 \
	    >"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro --policy "$BATS_TEST_TMPDIR/p.conf" \
	    "$BATS_TEST_TMPDIR/r.jsonl"
	run -0 decision <<<"$output"
	assert_output '{"decision":"approved","amount":667,"codes":[]}'
	req SHOP-1 TEE-RED-M 1 changed_mind unused 2026-12-08T12:00:00+01:00 \
	    >"$BATS_TEST_TMPDIR/r2.jsonl"
	run -0 --separate-stderr ro --policy "$BATS_TEST_TMPDIR/p.conf" \
	    "$BATS_TEST_TMPDIR/r2.jsonl"
	run -0 decision <<<"$stderr"
	assert_output '{"decision":"declined","amount":null,"codes":["window_closed"]}'
	printf 'holidays = 2026-12-07\n' >>"$BATS_TEST_TMPDIR/p.conf"
	rm -f "$ORDERKIT_DB"*
	use_backend sqlite
	run -0 --separate-stderr ro --policy "$BATS_TEST_TMPDIR/p.conf" \
	    "$BATS_TEST_TMPDIR/r2.jsonl"
	run -0 decision <<<"$output"
	assert_output '{"decision":"approved","amount":667,"codes":[]}'
}

@test "RU by default: 7 days, and a used item is condition_not_accepted" {
	use_backend sqlite
	printf '[shop]\ncountry = RU\ntz = +01:00\n' >"$BATS_TEST_TMPDIR/ru.conf"
	req SHOP-1 TEE-RED-M 1 changed_mind unused 2026-11-27T12:00:00+01:00 \
	    >"$BATS_TEST_TMPDIR/r.jsonl"
	req SHOP-1 MUG 1 changed_mind used 2026-11-26T12:00:00+01:00 \
	    >>"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr return-open --config "$BATS_TEST_TMPDIR/ru.conf" \
	    --orders "$ORDERS" "$BATS_TEST_TMPDIR/r.jsonl"
	approved=$output
	run -0 decision <<<"$stderr"
	assert_output '{"decision":"declined","amount":null,"codes":["condition_not_accepted"]}'
	run -0 jq -c '[.return.decision, .return.amount, .return.due_by]' \
	    <<<"$approved"
	assert_output '["approved",667,"2026-12-07"]'
}

# --- delivery -----------------------------------------------------------------

@test "no tracking is not_delivered; delivered without a date is no_delivery_date, under review" {
	use_backend sqlite
	{
		req SHOP-3 TEE-RED-M 1 changed_mind unused 2026-11-25T10:00:00+01:00
		req SHOP-4 TEE-RED-M 1 changed_mind unused 2026-11-25T10:00:00+01:00
		req SHOP-9 TEE-RED-M 1 changed_mind unused 2026-11-25T10:00:00+01:00
	} >"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro "$BATS_TEST_TMPDIR/r.jsonl"
	assert_output ''
	run -0 decision <<<"$stderr"
	assert_output '{"decision":"declined","amount":null,"codes":["not_delivered"]}
{"decision":"needs_review","amount":1500,"codes":["no_delivery_date"]}
{"decision":"declined","amount":null,"codes":["unknown_order"]}'
}

# --- quantities -----------------------------------------------------------------

@test "partial returns, two returns of one order: the discount spread, the shipping with the last unit" {
	use_backend sqlite
	{
		req SHOP-1 TEE-RED-M 1 changed_mind unused 2026-11-25T10:00:00+01:00
		req SHOP-1 TEE-RED-M 1 changed_mind unused 2026-11-26T10:00:00+01:00
		req SHOP-1 MUG 1 changed_mind unused 2026-11-27T10:00:00+01:00
	} >"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro "$BATS_TEST_TMPDIR/r.jsonl"
	assert_stderr ''
	# 3001 of goods, 1000 off: the tees 2000 - 666, the mug 1001 - 334;
	# 500 shipping when the whole order is back: 2501 in all.
	run -0 jq -c '[.return.items[0].refund, .return.amount]' <<<"$output"
	assert_output '[667,667]
[667,667]
[667,1167]'
}

@test "more than was bought is qty_exceeds_purchase, counting earlier returns" {
	use_backend sqlite
	req SHOP-1 TEE-RED-M 3 changed_mind unused 2026-11-25T10:00:00+01:00 \
	    >"$BATS_TEST_TMPDIR/r.jsonl"
	req SHOP-1 TEE-RED-M 1 changed_mind unused 2026-11-25T10:00:00+01:00 \
	    >>"$BATS_TEST_TMPDIR/r.jsonl"
	req SHOP-1 TEE-RED-M 2 changed_mind unused 2026-11-26T10:00:00+01:00 \
	    >>"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro "$BATS_TEST_TMPDIR/r.jsonl"
	run -0 decision <<<"$output"
	assert_output '{"decision":"approved","amount":667,"codes":[]}'
	run -0 decision <<<"$stderr"
	assert_output '{"decision":"declined","amount":null,"codes":["qty_exceeds_purchase"]}
{"decision":"declined","amount":null,"codes":["qty_exceeds_purchase"]}'
}

# --- rules ------------------------------------------------------------------------

@test "final sale: declined for a change of mind, split from the items that stand alone" {
	use_backend sqlite
	run -0 --separate-stderr ro "$FIXTURES/two-items.jsonl"
	run -0 jq -c '[.return.decision, [.return.items[].sku], .return.amount]' \
	    <<<"$output"
	assert_output '["approved",["TEE-RED-M"],1000]'
	run -0 jq -c '[.return.decision, [.return.items[].sku], [.errors[].code]]' \
	    <<<"$stderr"
	assert_output '["declined",["SALE-SCARF"],["final_sale"]]'
}

@test "final sale: returnable with a defect, the shop paying the way back" {
	use_backend sqlite
	req SHOP-5 SALE-SCARF 1 defective used 2026-11-30T10:00:00+01:00 \
	    >"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro "$BATS_TEST_TMPDIR/r.jsonl"
	assert_stderr ''
	run -0 jq -c '[.return.decision, .return.amount,
	    .return.shop_pays_return_shipping, .return.shipment.paid_by]' \
	    <<<"$output"
	assert_output '["approved",900,true,"shop"]'
}

@test "photos are required for damage in transit; the request under review holds its quantity" {
	use_backend sqlite
	req SHOP-1 MUG 1 damaged_in_transit damaged 2026-11-25T10:00:00+01:00 \
	    >"$BATS_TEST_TMPDIR/r.jsonl"
	req SHOP-1 MUG 1 changed_mind unused 2026-11-26T10:00:00+01:00 \
	    >>"$BATS_TEST_TMPDIR/r.jsonl"
	req SHOP-1 TEE-RED-M 1 damaged_in_transit damaged \
	    2026-11-25T10:00:00+01:00 ',"photos":["https://x.test/1.jpg"]' \
	    >>"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro "$BATS_TEST_TMPDIR/r.jsonl"
	run -0 decision <<<"$output"
	assert_output '{"decision":"approved","amount":667,"codes":[]}'
	run -0 decision <<<"$stderr"
	assert_output '{"decision":"needs_review","amount":667,"codes":["photos_required"]}
{"decision":"declined","amount":null,"codes":["qty_exceeds_purchase"]}'
}

@test "a restocking fee only beyond the law's 14 days, 10% rounded half up" {
	use_backend sqlite
	printf '[returns]\nwindow_days = 30\nrestocking_fee_percent = 10\n' \
	    >"$BATS_TEST_TMPDIR/p.conf"
	req SHOP-5 TEE-RED-M 1 changed_mind unused 2026-12-04T10:00:00+01:00 \
	    >"$BATS_TEST_TMPDIR/r.jsonl"
	req SHOP-5 TEE-RED-M 1 changed_mind unused 2026-12-07T10:00:00+01:00 \
	    >>"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro --policy "$BATS_TEST_TMPDIR/p.conf" \
	    "$BATS_TEST_TMPDIR/r.jsonl"
	assert_stderr ''
	run -0 jq -c '[.return.amount, .return.restocking_fee]' <<<"$output"
	assert_output '[1000,null]
[900,100]'
}

@test "a COD order is refunded by bank transfer to the account given, else under review" {
	use_backend sqlite
	req SHOP-2 TEE-RED-M 1 changed_mind unused 2026-11-25T10:00:00+01:00 \
	    >"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro "$BATS_TEST_TMPDIR/r.jsonl"
	assert_output ''
	run -0 decision <<<"$stderr"
	assert_output '{"decision":"needs_review","amount":1500,"codes":["refund_details_missing"]}'
	rm -f "$ORDERKIT_DB"*
	use_backend sqlite
	req SHOP-2 TEE-RED-M 1 changed_mind unused 2026-11-25T11:00:00+01:00 \
	    ',"refund_to":{"iban":"DE89370400440532013000","holder":"Bo Chen"}' \
	    >"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro "$BATS_TEST_TMPDIR/r.jsonl"
	assert_stderr ''
	run -0 jq -c '[.return.method, .return.refund_to.iban, .return.amount]' \
	    <<<"$output"
	assert_output '["bank_transfer","DE89370400440532013000",1500]'
}

@test "a request that is no request is rejected with what is wrong" {
	use_backend sqlite
	printf '%s\n' '{"order_id":"SHOP-1","items":[{"sku":"MUG","qty":0,"reason":"meh","condition":"unused"}]}' \
	    'not json' >"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro "$BATS_TEST_TMPDIR/r.jsonl"
	assert_output ''
	run -0 jq -c '[.errors[].code]' <<<"$stderr"
	assert_output '["bad_time","bad_qty","bad_reason"]
["bad_json"]'
}

# --- nothing twice ----------------------------------------------------------------

t_twice() {
	use_backend "$1"
	req SHOP-1 TEE-RED-M 1 changed_mind unused 2026-11-25T10:00:00+01:00 \
	    >"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro "$BATS_TEST_TMPDIR/r.jsonl"
	first=$output
	run -0 --separate-stderr ro --stats "$BATS_TEST_TMPDIR/r.jsonl"
	assert_output "$first"
	assert_stderr 'return-open: 1 read, 0 approved, 0 under review, 0 declined, 1 decided before'
	run -0 sql "SELECT count(*), sum(amount) FROM returns"
	assert_output '1|667'
}
@test "sqlite: the same request twice opens one return and prints it again" { t_twice sqlite; }
@test "postgres: the same request twice opens one return and prints it again" { t_twice postgres; }

t_race() {
	use_backend "$1"
	ro --stats </dev/null 2>/dev/null
	for i in 1 2 3 4; do
		req SHOP-1 TEE-RED-M 2 changed_mind unused \
		    2026-11-25T10:0$i:00+01:00 >"$BATS_TEST_TMPDIR/r$i.jsonl"
	done
	for i in 1 2 3 4; do
		ro "$BATS_TEST_TMPDIR/r$i.jsonl" >"$BATS_TEST_TMPDIR/o$i" \
		    2>"$BATS_TEST_TMPDIR/e$i" &
	done
	wait
	run -0 sh -c 'cat "$1"/o? | wc -l' sh "$BATS_TEST_TMPDIR"
	assert_output 1
	run -0 sh -c 'cat "$1"/e? | jq -r ".errors[].code"' sh "$BATS_TEST_TMPDIR"
	assert_output 'qty_exceeds_purchase
qty_exceeds_purchase
qty_exceeds_purchase'
	run -0 sql "SELECT sum(qty) FROM return_items"
	assert_output 2
}
@test "sqlite: four processes at once return the two units once" { t_race sqlite; }
@test "postgres: four processes at once return the two units once" { t_race postgres; }

# --- --overdue ----------------------------------------------------------------------

t_overdue() {
	use_backend "$1"
	{
		req SHOP-1 TEE-RED-M 1 changed_mind unused 2026-11-25T10:00:00+01:00
		req SHOP-5 TEE-RED-M 1 changed_mind unused 2026-11-25T10:00:00+01:00
		req SHOP-2 TEE-RED-M 1 changed_mind unused 2026-11-30T10:00:00+01:00 \
		    ',"refund_to":{"iban":"DE89370400440532013000"}'
	} >"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro "$BATS_TEST_TMPDIR/r.jsonl"
	# Due 12-09 and 12-14; on 12-08 the first is within a day.
	run -0 --separate-stderr ro --overdue --now 2026-12-08T10:00:00+01:00
	assert_output '{"type":"problem","code":"refund_overdue","rma":"'"$(
	    sql "SELECT rma FROM returns WHERE order_id = 'SHOP-1'")"'","order_id":"SHOP-1","amount":667,"currency":"EUR","due_by":"2026-12-09"}
{"type":"problem","code":"refund_overdue","rma":"'"$(
	    sql "SELECT rma FROM returns WHERE order_id = 'SHOP-5'")"'","order_id":"SHOP-5","amount":1000,"currency":"EUR","due_by":"2026-12-09"}'
	# pay-reconcile saw SHOP-1's in two refunds, SHOP-5's only in part.
	sql "INSERT INTO pay_transactions (provider, txn_id, kind, state,
	    currency, amount, order_ref, first_seen, updated) VALUES
	    ('stripe', 're_1', 'refund', 'succeeded', 'EUR', 400, 'SHOP-1', 0, 0),
	    ('stripe', 're_2', 'refund', 'succeeded', 'EUR', 267, 'SHOP-1', 0, 0),
	    ('stripe', 're_3', 'refund', 'succeeded', 'EUR', 999, 'SHOP-5', 0, 0),
	    ('stripe', 're_4', 'refund', 'failed', 'EUR', 1000, 'SHOP-5', 0, 0)"
	run -0 --separate-stderr ro --overdue --now 2026-12-14T10:00:00+01:00
	run -0 jq -c '[.order_id, .due_by]' <<<"$output"
	assert_output '["SHOP-5","2026-12-09"]
["SHOP-2","2026-12-14"]'
}
@test "sqlite: --overdue reports refunds due within a day that pay-reconcile has not seen" { t_overdue sqlite; }
@test "postgres: --overdue reports refunds due within a day that pay-reconcile has not seen" { t_overdue postgres; }

# --- failures -------------------------------------------------------------------------

@test "a write error on standard output exits 74" {
	use_backend sqlite
	req SHOP-1 TEE-RED-M 1 changed_mind unused 2026-11-25T10:00:00+01:00 \
	    >"$BATS_TEST_TMPDIR/r.jsonl"
	run -74 --separate-stderr sh -c 'return-open --config "$CONF" --orders "$ORDERS" "$1" >/dev/full' sh \
	    "$BATS_TEST_TMPDIR/r.jsonl"
	assert_output ''
	assert_stderr --partial "cannot write '<stdout>': No space left"
}

@test "a bad option, --overdue with input, or --receive with --overdue is a usage error" {
	run -64 --separate-stderr return-open --bogus
	assert_stderr --partial 'usage: return-open '
	run -64 --separate-stderr return-open --receive --overdue
	assert_stderr --partial "return-open: --receive and --overdue go one at a time"
	run -64 --separate-stderr return-open --overdue requests.jsonl
	assert_output ''
	assert_stderr --partial 'return-open: --overdue reads no input'
}

@test "an --orders file that cannot be read exits 66 before any request" {
	use_backend sqlite
	run -66 --separate-stderr return-open --config "$CONF" \
	    --orders "$BATS_TEST_TMPDIR/none.jsonl" /dev/null
	assert_output ''
	assert_stderr --partial "none.jsonl"
}

@test "a bad policy value exits 78 naming the key" {
	use_backend sqlite
	printf '[returns]\nrefund_shipping = sometimes\n' >"$BATS_TEST_TMPDIR/p.conf"
	run -78 --separate-stderr ro --policy "$BATS_TEST_TMPDIR/p.conf" /dev/null
	assert_output ''
	assert_stderr "return-open: [returns] refund_shipping 'sometimes' is not always, fault or never"
}

# --- examples ---------------------------------------------------------------------------

@test "example: decide the day's requests, the declined and those for review to review.jsonl" {
	use_backend sqlite
	{
		req SHOP-1 TEE-RED-M 1 changed_mind unused 2026-11-25T10:00:00+01:00
		req SHOP-3 TEE-RED-M 1 changed_mind unused 2026-11-25T10:00:00+01:00
	} >"$BATS_TEST_TMPDIR/requests.jsonl"
	run -0 --separate-stderr return-open --config "$CONF" --orders "$ORDERS" \
	    --rejects "$BATS_TEST_TMPDIR/review.jsonl" \
	    "$BATS_TEST_TMPDIR/requests.jsonl"
	assert_stderr ''
	run -0 jq -r '.id + " " + .status' <<<"$output"
	assert_output 'SHOP-1 return_open'
	run -0 jq -r '.id + " " + .return.decision' "$BATS_TEST_TMPDIR/review.jsonl"
	assert_output 'SHOP-3 declined'
}

@test "example: every morning, warn the staff of refunds due and not yet paid" {
	use_backend sqlite
	req SHOP-1 TEE-RED-M 1 changed_mind unused 2026-11-25T10:00:00+01:00 |
	    ro >/dev/null
	run -0 --separate-stderr return-open --overdue --now 2026-12-09T08:00:00+01:00
	run -0 jq -r '.code + " " + .order_id' <<<"$output"
	assert_output 'refund_overdue SHOP-1'
}

@test "final sale by the catalog's category" {
	use_backend sqlite
	printf '[returns]\nfinal_sale = category:kitchen\n' >"$BATS_TEST_TMPDIR/p.conf"
	req SHOP-1 MUG 1 changed_mind unused 2026-11-25T10:00:00+01:00 \
	    >"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro --policy "$BATS_TEST_TMPDIR/p.conf" \
	    --catalog "$FIXTURES/catalog.csv" "$BATS_TEST_TMPDIR/r.jsonl"
	assert_output ''
	run -0 decision <<<"$stderr"
	assert_output '{"decision":"declined","amount":null,"codes":["final_sale"]}'
	rm -f "$ORDERKIT_DB"*
	use_backend sqlite
	run -0 --separate-stderr ro --policy "$BATS_TEST_TMPDIR/p.conf" \
	    "$BATS_TEST_TMPDIR/r.jsonl"
	run -0 decision <<<"$output"
	assert_output '{"decision":"approved","amount":667,"codes":[]}'
}

# --- --receive ----------------------------------------------------------------------------

# opened: SHOP-1 returned whole (2 tees, the mug) on the current store,
# with the stock of warehouse MSK; its RMA in $RMA.
opened() {
	use_backend "$1"
	printf 'sku,warehouse,qty\nMUG,MSK,0\n' >"$BATS_TEST_TMPDIR/stock.csv"
	stock-load "$BATS_TEST_TMPDIR/stock.csv" >/dev/null
	printf '%s\n' '{"order_id":"SHOP-1","requested_at":"2026-11-25T10:00:00+01:00","items":[{"sku":"TEE-RED-M","qty":2,"reason":"changed_mind","condition":"unused"},{"sku":"MUG","qty":1,"reason":"changed_mind","condition":"unused"}]}' |
	    ro "${@:2}" >/dev/null
	RMA=$(sql "SELECT rma FROM returns")
}

# receipt ITEMS [EXTRA]: a receipt of $RMA.
receipt() {
	printf '{"rma":"%s","items":%s,"received_at":"2026-12-01T10:00:00+01:00"%s}\n' \
	    "$RMA" "$1" "${2:-}"
}

t_receive_less() {
	opened "$1"
	receipt '[{"sku":"TEE-RED-M","qty":1,"condition":"unused_with_tags"},{"sku":"MUG","qty":1,"condition":"unused"}]' \
	    >"$BATS_TEST_TMPDIR/in.jsonl"
	run -0 --separate-stderr return-open --receive --config "$CONF" \
	    "$BATS_TEST_TMPDIR/in.jsonl"
	assert_stderr ''
	# A tee did not come: its 6.67 and the shipping are not refunded.
	run -0 jq -c '[.return.amount, [.return.items[].refund],
	    [.return.received.items[].disposition]]' <<<"$output"
	assert_output '[1334,[667,667],["restock","restock"]]'
	run -0 sql "SELECT sku, warehouse, on_hand FROM stock ORDER BY sku"
	assert_output 'MUG|MSK|1
TEE-RED-M|MSK|1'
	run -0 sql "SELECT sku, qty, disposition FROM return_movements ORDER BY sku"
	assert_output 'MUG|1|restock
TEE-RED-M|1|restock'
	run -0 sql "SELECT state, amount FROM returns"
	assert_output 'received|1334'
	# Received once: the same receipt again changes nothing.
	run -0 --separate-stderr return-open --receive --config "$CONF" \
	    "$BATS_TEST_TMPDIR/in.jsonl"
	assert_output ''
	run -0 jq -r '.errors[].code' <<<"$stderr"
	assert_output not_open
	run -0 sql "SELECT sum(on_hand) FROM stock"
	assert_output 2
}
@test "sqlite: receiving less than announced reduces the refund and restocks what came" { t_receive_less sqlite; }
@test "postgres: receiving less than announced reduces the refund and restocks what came" { t_receive_less postgres; }

@test "an unknown RMA, or more than was announced, is rejected and moves nothing" {
	opened sqlite
	{
		printf '%s\n' '{"rma":"RMA-NONE","items":[{"sku":"MUG","qty":1,"condition":"unused"}],"received_at":"2026-12-01T10:00:00+01:00"}'
		receipt '[{"sku":"MUG","qty":2,"condition":"unused"}]'
	} >"$BATS_TEST_TMPDIR/in.jsonl"
	run -0 --separate-stderr return-open --receive --config "$CONF" \
	    "$BATS_TEST_TMPDIR/in.jsonl"
	assert_output ''
	run -0 jq -c '[.errors[].code]' <<<"$stderr"
	assert_output '["unknown_rma"]
["qty_exceeds_return"]'
	run -0 sql "SELECT count(*) FROM return_movements"
	assert_output 0
}

@test "goods damaged by the customer: EU a person sets the lost value; RU the refund stays whole, written off" {
	opened sqlite
	receipt '[{"sku":"TEE-RED-M","qty":2,"condition":"unused"},{"sku":"MUG","qty":1,"condition":"damaged"}]' \
	    >"$BATS_TEST_TMPDIR/in.jsonl"
	run -0 --separate-stderr return-open --receive --config "$CONF" \
	    "$BATS_TEST_TMPDIR/in.jsonl"
	assert_output ''
	run -0 jq -c '[.return.decision, .return.amount, [.errors[].code]]' \
	    <<<"$stderr"
	assert_output '["needs_review",2501,["value_loss_review"]]'
	run -0 sql "SELECT disposition FROM return_movements WHERE sku = 'MUG'"
	assert_output write_off
	rm -f "$ORDERKIT_DB"*
	printf '[shop]\ncountry = RU\ntz = +01:00\n' >"$BATS_TEST_TMPDIR/ru.conf"
	CONF="$BATS_TEST_TMPDIR/ru.conf" opened sqlite
	receipt '[{"sku":"TEE-RED-M","qty":2,"condition":"unused"},{"sku":"MUG","qty":1,"condition":"damaged"}]' \
	    >"$BATS_TEST_TMPDIR/in.jsonl"
	run -0 --separate-stderr return-open --receive \
	    --config "$BATS_TEST_TMPDIR/ru.conf" "$BATS_TEST_TMPDIR/in.jsonl"
	assert_stderr ''
	run -0 jq -c '[.return.decision, .return.amount]' <<<"$output"
	assert_output '["approved",2501]'
}

@test "UA counts the refund from the receipt: due_by is recomputed" {
	printf '[shop]\ncountry = UA\ntz = +02:00\n' >"$BATS_TEST_TMPDIR/ua.conf"
	CONF="$BATS_TEST_TMPDIR/ua.conf" opened sqlite
	run -0 sql "SELECT due_by FROM returns"
	assert_output 2026-12-25
	receipt '[{"sku":"TEE-RED-M","qty":2,"condition":"unused"},{"sku":"MUG","qty":1,"condition":"unused"}]' \
	    >"$BATS_TEST_TMPDIR/in.jsonl"
	run -0 --separate-stderr return-open --receive \
	    --config "$BATS_TEST_TMPDIR/ua.conf" "$BATS_TEST_TMPDIR/in.jsonl"
	assert_stderr ''
	# 2026-12-01 + 30 days is Thursday 2026-12-31.
	run -0 jq -r .return.due_by <<<"$output"
	assert_output 2026-12-31
}

@test "example: receive the day's parcels back at the warehouse" {
	opened sqlite
	receipt '[{"sku":"TEE-RED-M","qty":2,"condition":"unused"},{"sku":"MUG","qty":1,"condition":"unused"}]' \
	    >"$BATS_TEST_TMPDIR/received.jsonl"
	run -0 --separate-stderr return-open --receive --config "$CONF" \
	    --rejects "$BATS_TEST_TMPDIR/review.jsonl" \
	    "$BATS_TEST_TMPDIR/received.jsonl"
	assert_stderr ''
	run -0 jq -c '[.return.amount, .return.received.warehouse]' <<<"$output"
	assert_output '[2501,"MSK"]'
}

t_tracked() {
	use_backend "$1"
	ro </dev/null 2>/dev/null
	sql "INSERT INTO tracking_parcels (carrier, tracking_number, record_key,
	    order_id, status, event_time, first_seen) VALUES
	    ('cdek', '1', 'SHOP-3', 'SHOP-3', 'delivered',
	    '2026-11-20T15:00:00+01:00', 0)"
	req SHOP-3 TEE-RED-M 1 changed_mind unused 2026-12-05T10:00:00+01:00 \
	    >"$BATS_TEST_TMPDIR/r.jsonl"
	req SHOP-3 TEE-RED-M 1 changed_mind unused 2026-12-04T10:00:00+01:00 \
	    >>"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr ro "$BATS_TEST_TMPDIR/r.jsonl"
	run -0 jq -c '[.return.decision, .tracking.at]' <<<"$output"
	assert_output '["approved","2026-11-20T15:00:00+01:00"]'
	run -0 decision <<<"$stderr"
	assert_output '{"decision":"declined","amount":null,"codes":["window_closed"]}'
}
@test "sqlite: an order without tracking takes its delivery from track-poll's store" { t_tracked sqlite; }
@test "postgres: an order without tracking takes its delivery from track-poll's store" { t_tracked postgres; }

@test "broken inputs: every non-blank line is a record or a reject, never a crash" {
	load test_helper/broken
	use_backend sqlite
	broken_lines ro
	broken_lines return-open --receive --config "$CONF"
}

@test "without --orders, every request's order is unknown_order; standard input is the requests'" {
	use_backend sqlite
	run -0 --separate-stderr sh -c 'req() { printf "%s\n" "$1"; }
	    req "{\"order_id\":\"SHOP-1\",\"requested_at\":\"2026-11-25T10:00:00+01:00\",\"items\":[{\"sku\":\"MUG\",\"qty\":1,\"reason\":\"changed_mind\",\"condition\":\"unused\"}]}" |
	    return-open --config "$CONF"'
	assert_output ''
	run -0 jq -r '.errors[].code' <<<"$stderr"
	assert_output unknown_order
}

# --- with order-stats ----------------------------------------------------------

@test "an opened return enters status_history at --now, and order-stats counts it by reason and due date" {
	use_backend sqlite
	jq -c 'select(.id == "SHOP-1") |
	    .created_at = "2026-12-01T10:00:00+01:00" |
	    .status_history = [{"status": "validated", "at": "2026-12-01T09:00:00Z"},
	        {"status": "delivered", "at": "2026-12-03T09:00:00Z"}]' \
	    "$ORDERS" >"$BATS_TEST_TMPDIR/orders.jsonl"
	req SHOP-1 TEE-RED-M 1 wrong_size unused_with_tags \
	    2026-12-04T23:30:00+01:00 >"$BATS_TEST_TMPDIR/r.jsonl"
	run -0 --separate-stderr return-open --config "$CONF" \
	    --orders "$BATS_TEST_TMPDIR/orders.jsonl" \
	    --now 2026-12-05T10:00:00+01:00 "$BATS_TEST_TMPDIR/r.jsonl"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/opened.jsonl"
	assert_equal "$(jq -c '[.status_history[-1], .return.due_by]' \
	    <<<"$output")" \
	    '[{"status":"return_open","at":"2026-12-05T09:00:00Z"},"2026-12-18"]'
	# before the due date: a return by its reason, none overdue
	run -0 --separate-stderr order-stats --by month --tz +01:00 \
	    --now 2026-12-18T22:00:00Z "$BATS_TEST_TMPDIR/orders.jsonl" \
	    "$BATS_TEST_TMPDIR/opened.jsonl"
	assert_line '{"period":"2026-12","by":"month","group":{"return.reason":"wrong_size"},"kpi":"returns","value":1,"n":1}'
	refute_output --partial refunds_overdue
	# after the last second of 2026-12-18, not seen refunded: overdue
	run -0 --separate-stderr order-stats --by month --tz +01:00 \
	    --now 2026-12-19T00:00:00Z "$BATS_TEST_TMPDIR/orders.jsonl" \
	    "$BATS_TEST_TMPDIR/opened.jsonl"
	assert_line '{"period":"2026-12","by":"month","group":{},"kpi":"refunds_overdue","value":1,"n":1}'
}
