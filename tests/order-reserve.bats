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
}

# stocked BACKEND: a new store holding the fixture's stock.
stocked() {
	use_backend "$1"
	stock-load "$FIXTURES/stock.csv" >/dev/null
}

# reserve ARGS...: order-reserve, the reservation (or the reject's
# errors and backorder) of each record, compact.
reservation() {
	jq -c 'if .errors then {status, backorder, errors: [.errors[].code]}
	    else {status, reservation} end'
}

# consistent: what reservation lines hold is what stock says is reserved.
consistent() {
	run -0 sql "SELECT s.sku, s.warehouse, s.reserved, COALESCE(SUM(l.qty), 0)
	    FROM stock s LEFT JOIN reservation_lines l ON l.sku = s.sku
	    AND l.warehouse = s.warehouse AND (l.order_id, l.source) IN
	    (SELECT order_id, source FROM reservations WHERE state = 'active')
	    GROUP BY s.sku, s.warehouse, s.reserved
	    HAVING s.reserved <> COALESCE(SUM(l.qty), 0)"
	assert_output ''
}

# --- allocation ------------------------------------------------------------

t_one_parcel() {
	stocked "$1"
	run -0 --separate-stderr order-reserve "$FIXTURES/one-parcel.jsonl"
	assert_stderr ''
	run -0 reservation <<<"$output"
	assert_output '{"status":"reserved","reservation":{"state":"active","lines":[{"sku":"MUG-WHITE","warehouse":"MSK","qty":1},{"sku":"TSHIRT-RED-M","warehouse":"MSK","qty":2}]}}'
	consistent
}
@test "sqlite: one warehouse that has the whole order is preferred to a higher priority" { t_one_parcel sqlite; }
@test "postgres: one warehouse that has the whole order is preferred to a higher priority" { t_one_parcel postgres; }

t_priority() {
	stocked "$1"
	run -0 --separate-stderr order-reserve "$FIXTURES/priority.jsonl"
	assert_stderr ''
	run -0 reservation <<<"$output"
	assert_output '{"status":"reserved","reservation":{"state":"active","lines":[{"sku":"TSHIRT-RED-M","warehouse":"SPB","qty":2}]}}'
}
@test "sqlite: the highest priority warehouse ships when none serves the region" { t_priority sqlite; }
@test "postgres: the highest priority warehouse ships when none serves the region" { t_priority postgres; }

t_region() {
	stocked "$1"
	run -0 --separate-stderr order-reserve "$FIXTURES/region.jsonl"
	assert_stderr ''
	run -0 reservation <<<"$output"
	assert_output '{"status":"reserved","reservation":{"state":"active","lines":[{"sku":"TSHIRT-RED-M","warehouse":"MSK","qty":2}]}}'
}
@test "sqlite: the warehouse serving the order's region ships first" { t_region sqlite; }
@test "postgres: the warehouse serving the order's region ships first" { t_region postgres; }

t_split() {
	stocked "$1"
	run -0 --separate-stderr order-reserve --rejects "$BATS_TEST_TMPDIR/r" \
	    "$FIXTURES/split.jsonl"
	assert_output ''
	run -0 reservation <"$BATS_TEST_TMPDIR/r"
	assert_output '{"status":"backorder","backorder":[{"sku":"TSHIRT-RED-M","qty":12,"missing":0,"available":[{"warehouse":"SPB","qty":3},{"warehouse":"MSK","qty":5},{"warehouse":"EKB","qty":10}]}],"errors":["split_needed"]}'
	run -0 --separate-stderr order-reserve --split "$FIXTURES/split.jsonl"
	assert_stderr ''
	run -0 reservation <<<"$output"
	assert_output '{"status":"reserved","reservation":{"state":"active","lines":[{"sku":"TSHIRT-RED-M","warehouse":"SPB","qty":3},{"sku":"TSHIRT-RED-M","warehouse":"MSK","qty":5},{"sku":"TSHIRT-RED-M","warehouse":"EKB","qty":4}]}}'
	consistent
}
@test "sqlite: an order no one warehouse can ship is split only with --split" { t_split sqlite; }
@test "postgres: an order no one warehouse can ship is split only with --split" { t_split postgres; }

t_partial() {
	stocked "$1"
	run -0 --separate-stderr order-reserve --partial "$FIXTURES/partial.jsonl"
	assert_stderr ''
	run -0 reservation <<<"$output"
	assert_output '{"status":"reserved","reservation":{"state":"active","lines":[{"sku":"TSHIRT-RED-M","warehouse":"SPB","qty":2}],"backorder":[{"sku":"MUG-WHITE","qty":5}]}}'
	run -0 --separate-stderr order-reserve --partial --split \
	    "$FIXTURES/partial-split.jsonl"
	assert_stderr ''
	run -0 reservation <<<"$output"
	assert_output '{"status":"reserved","reservation":{"state":"active","lines":[{"sku":"TSHIRT-RED-M","warehouse":"SPB","qty":1},{"sku":"TSHIRT-RED-M","warehouse":"MSK","qty":5},{"sku":"TSHIRT-RED-M","warehouse":"EKB","qty":10}],"backorder":[{"sku":"TSHIRT-RED-M","qty":4}]}}'
	consistent
}
@test "sqlite: --partial reserves what there is and backorders the rest" { t_partial sqlite; }
@test "postgres: --partial reserves what there is and backorders the rest" { t_partial postgres; }

@test "--partial without --split: stock only in several warehouses is split_needed" {
	stocked sqlite
	run -0 --separate-stderr order-reserve --partial "$FIXTURES/split.jsonl"
	assert_output ''
	run -0 reservation <<<"$stderr"
	assert_output '{"status":"backorder","backorder":[{"sku":"TSHIRT-RED-M","qty":12,"missing":0,"available":[{"warehouse":"SPB","qty":3},{"warehouse":"MSK","qty":5},{"warehouse":"EKB","qty":10}]}],"errors":["split_needed"]}'
	run -0 sql "SELECT SUM(reserved) FROM stock"
	assert_output 0
}

t_backorder() {
	stocked "$1"
	run -0 --separate-stderr order-reserve "$FIXTURES/backorder.jsonl"
	assert_output ''
	run -0 reservation <<<"$stderr"
	assert_output '{"status":"backorder","backorder":[{"sku":"MUG-WHITE","qty":5,"missing":3,"available":[{"warehouse":"MSK","qty":2}]}],"errors":["backorder"]}'
	run -0 sql "SELECT COUNT(*) FROM reservations"
	assert_output 0
	run -65 --separate-stderr order-reserve --strict "$FIXTURES/backorder.jsonl"
	assert_output ''
	run -0 reservation <<<"$stderr"
	assert_output '{"status":"backorder","backorder":[{"sku":"MUG-WHITE","qty":5,"missing":3,"available":[{"warehouse":"MSK","qty":2}]}],"errors":["backorder"]}'
}
@test "sqlite: an order without stock is a backorder reject saying what is missing and where" { t_backorder sqlite; }
@test "postgres: an order without stock is a backorder reject saying what is missing and where" { t_backorder postgres; }

# --allow and a source's allow: a waived backorder goes on, unreserved,
# its reason in warnings; a source that waives nothing is rejected.
t_allow() {
	stocked "$1"
	run -0 --separate-stderr order-reserve --allow backorder \
	    "$FIXTURES/backorder.jsonl"
	assert_stderr ''
	run -0 jq -c '[.id, .status, .reservation, [.warnings[].code], .errors]' <<<"$output"
	assert_output '["SHOP-7","backorder",null,["backorder"],null]'
	run -0 sql "SELECT COUNT(*) FROM reservations"
	assert_output 0
	printf '[source "etsy"]\nallow = backorder\n' >"$BATS_TEST_TMPDIR/orderkit.conf"
	{
		jq -c '.source = "etsy" | .id = "E-7"' "$FIXTURES/backorder.jsonl"
		cat "$FIXTURES/backorder.jsonl"
	} >"$BATS_TEST_TMPDIR/o.jsonl"
	run -0 --separate-stderr order-reserve \
	    --config "$BATS_TEST_TMPDIR/orderkit.conf" "$BATS_TEST_TMPDIR/o.jsonl"
	run -0 jq -c '[.id, [.warnings[].code]]' <<<"$output"
	assert_output '["E-7",["backorder"]]'
	run -0 jq -c '[.id, [.errors[].code]]' <<<"$stderr"
	assert_output '["SHOP-7",["backorder"]]'
	run -64 --separate-stderr order-reserve --allow 'Back order'
	assert_output ''
	assert_stderr --partial "--allow 'Back order' is not a list of error codes"
}
@test "sqlite: --allow backorder, or a source's allow, passes a backorder on with a warning" { t_allow sqlite; }
@test "postgres: --allow backorder, or a source's allow, passes a backorder on with a warning" { t_allow postgres; }

# A Shopify export lists the newest orders first; 4 caps for 6 orders go
# to the 4 oldest (times compared as instants, a tie in input order, no
# time last), in one transaction or in many, and come out in that order.
t_oldest_first() {
	local batch
	stocked "$1"
	for batch in 500 1; do
		sql "DELETE FROM reservation_lines; DELETE FROM reservations;
		    UPDATE stock SET reserved = 0" >/dev/null
		run -0 --separate-stderr order-reserve --batch "$batch" \
		    "$FIXTURES/newest-first.jsonl"
		run -0 jq -r '[.id, .status, .reservation.lines[0].qty] | @tsv' <<<"$output"
		assert_output $'#1001\treserved\t1\n#1004\treserved\t1\n#1003\treserved\t1\n#1005\treserved\t1'
		run -0 jq -r '[.id, .status, .errors[0].code] | @tsv' <<<"$stderr"
		assert_output $'#1006\tbackorder\tbackorder\n#1002\tbackorder\tbackorder'
		run -0 sql "SELECT order_id FROM reservations ORDER BY order_id"
		assert_output $'#1001\n#1003\n#1004\n#1005'
		consistent
	done
}
@test "sqlite: the oldest orders get scarce stock first, whatever the input order" { t_oldest_first sqlite; }
@test "postgres: the oldest orders get scarce stock first, whatever the input order" { t_oldest_first postgres; }

@test "orders of several files, and a pipe that only pauses briefly, are one run" {
	stocked sqlite
	sql "UPDATE stock SET on_hand = 1 WHERE sku = 'CAP-BLACK'"
	head -n 3 "$FIXTURES/newest-first.jsonl" >"$BATS_TEST_TMPDIR/a"
	tail -n 3 "$FIXTURES/newest-first.jsonl" >"$BATS_TEST_TMPDIR/b"
	run -0 --separate-stderr order-reserve "$BATS_TEST_TMPDIR/a" \
	    "$BATS_TEST_TMPDIR/b"
	run -0 jq -r .id <<<"$output"
	assert_output '#1001'
	run -0 jq -r .id <<<"$stderr"
	assert_output $'#1004\n#1003\n#1005\n#1006\n#1002'
	# The newest, then after a moment the oldest: the oldest gets it.
	sql "DELETE FROM reservation_lines; DELETE FROM reservations;
	    UPDATE stock SET reserved = 0"
	run -0 --separate-stderr sh -c '
	    { head -n 1 "$1"; sleep 0.2; tail -n 1 "$1"; } | order-reserve' sh \
	    "$FIXTURES/newest-first.jsonl"
	run -0 jq -r .id <<<"$output"
	assert_output '#1001'
	run -0 jq -r .id <<<"$stderr"
	assert_output '#1006'
}

@test "a file's lines are read again as they came: a BOM, CRLF, standard input begun" {
	local f="$BATS_TEST_TMPDIR/crlf.jsonl"
	stocked sqlite
	{ printf '\357\273\277'; sed 's/$/\r/' "$FIXTURES/newest-first.jsonl"; } >"$f"
	run -0 --separate-stderr order-reserve "$f"
	run -0 jq -r .id <<<"$output"
	assert_output $'#1001\n#1004\n#1003\n#1005'
	run -0 jq -r .id <<<"$stderr"
	assert_output $'#1006\n#1002'
	# A shell read the first line of standard input, then order-reserve
	# the rest: a BOM-less first line, and offsets from the file's start.
	sql "DELETE FROM reservation_lines; DELETE FROM reservations;
	    UPDATE stock SET reserved = 0"
	run -0 --separate-stderr bash -c 'read -r _; order-reserve' <"$f"
	run -0 jq -c '[.id, .created_at]' <<<"$output"
	assert_output '["#1001","2026-11-20T06:00:00-01:00"]
["#1004","2026-11-20T11:00:00+03:00"]
["#1003","2026-11-20T08:00:00Z"]
["#1005","2026-11-20T08:30:00Z"]'
	run -0 jq -r .id <<<"$stderr"
	assert_output '#1002'
}

# A backorder fed back after a restock is reserved and comes out as the
# order it was, without the reject's errors and backorder; one still
# short gets them afresh.
t_retry() {
	local in="$BATS_TEST_TMPDIR/in.jsonl" want passed
	stocked "$1"
	cat "$FIXTURES/backorder.jsonl" "$FIXTURES/newest-first.jsonl" >"$in"
	sql "UPDATE stock SET on_hand = 3 WHERE sku = 'CAP-BLACK'" >/dev/null
	run -0 --separate-stderr order-reserve --rejects "$BATS_TEST_TMPDIR/r1" "$in"
	run -0 jq -c '[.id, .status, .backorder[0].missing, [.errors[].code]]' \
	    "$BATS_TEST_TMPDIR/r1"
	assert_output '["SHOP-7","backorder",3,["backorder"]]
["#1005","backorder",1,["backorder"]]
["#1006","backorder",1,["backorder"]]
["#1002","backorder",1,["backorder"]]'
	# Three mugs and one cap come in: SHOP-7 and #1005 go, the others wait.
	run -0 --separate-stderr stock-load --mode add <<<'{"sku":"MUG-WHITE","warehouse":"MSK","qty":3}
{"sku":"CAP-BLACK","warehouse":"SPB","qty":1}'
	run -0 --separate-stderr order-reserve --rejects "$BATS_TEST_TMPDIR/r2" \
	    "$BATS_TEST_TMPDIR/r1"
	assert_stderr ''
	passed=$output
	run -0 jq -c 'del(.reservation, .status_history)' <<<"$passed"
	want=$(jq -c 'select(.id == "SHOP-7" or .id == "#1005")
	    | .status = "reserved"' "$in")
	assert_output "$want"
	# The history holds both runs; the reject's rejected_by is gone.
	run -0 jq -c '[.rejected_by, [.status_history[].status]]' <<<"$passed"
	assert_output '[null,["backorder","reserved"]]
[null,["backorder","reserved"]]'
	run -0 jq -c '[.id, .status, .backorder[0].missing, [.errors[].code]]' \
	    "$BATS_TEST_TMPDIR/r2"
	assert_output '["#1006","backorder",1,["backorder"]]
["#1002","backorder",1,["backorder"]]'
	consistent
}
@test "sqlite: a backorder fed back after a restock comes out clean" { t_retry sqlite; }
@test "postgres: a backorder fed back after a restock comes out clean" { t_retry postgres; }

# Lines the shop does not ship (a gift card, an e-book: requires_shipping
# false; a line its status says went out or was cancelled) take no stock,
# are neither backordered nor split, and the reservation lists them.
t_no_shipping() {
	# one --now for both runs: the history's time is the run's
	local first NOW=2026-11-20T12:00:00+03:00
	stocked "$1"
	run -0 --separate-stderr order-reserve --now "$NOW" "$FIXTURES/no-shipping.jsonl"
	assert_stderr ''
	first=$output
	run -0 jq -c '[.id, .status, .reservation]' <<<"$output"
	assert_output '["SHOP-20","reserved",{"state":"active","lines":[{"sku":"TSHIRT-RED-M","warehouse":"SPB","qty":1}],"skipped":[{"item":1,"sku":"GIFT-50","qty":1,"reason":"no_shipping"},{"item":2,"qty":1,"reason":"no_shipping"}]}]
["SHOP-21","reserved",{"state":"active","lines":[{"sku":"TSHIRT-RED-M","warehouse":"SPB","qty":1}],"skipped":[{"item":0,"sku":"MUG-WHITE","qty":5,"reason":"done_at_source"}]}]
["SHOP-22","reserved",{"state":"active","lines":[{"sku":"TSHIRT-RED-M","warehouse":"MSK","qty":5}],"skipped":[{"item":1,"sku":"CAP-BLACK","qty":1,"reason":"done_at_source"}]}]
["SHOP-23","reserved",{"state":"active","lines":[],"skipped":[{"item":0,"qty":2,"reason":"no_shipping"}]}]'
	run -0 sql "SELECT sku, warehouse, reserved FROM stock WHERE reserved <> 0
	    ORDER BY sku, warehouse"
	assert_output $'TSHIRT-RED-M|MSK|5\nTSHIRT-RED-M|SPB|2'
	consistent
	# again: the same reservations, nothing taken twice
	run -0 --separate-stderr order-reserve --now "$NOW" "$FIXTURES/no-shipping.jsonl"
	assert_stderr ''
	assert_output "$first"
	run -0 sql "SELECT SUM(reserved) FROM stock"
	assert_output 7
	# the order with nothing to ship is released like any other
	run -0 --separate-stderr order-reserve --release <(grep SHOP-23 \
	    "$FIXTURES/no-shipping.jsonl")
	assert_stderr ''
	run -0 jq -c '[.id, .status, .reservation.state]' <<<"$output"
	assert_output '["SHOP-23","cancelled","released"]'
}
@test "sqlite: lines that need no shipping take no stock, and the reservation says so" { t_no_shipping sqlite; }
@test "postgres: lines that need no shipping take no stock, and the reservation says so" { t_no_shipping postgres; }

t_bad_items() {
	stocked "$1"
	run -0 --separate-stderr order-reserve "$FIXTURES/unknown-sku.jsonl" \
	    "$FIXTURES/negative-qty.jsonl"
	assert_output ''
	run -0 jq -sc 'sort_by(.id) | .[] | [.id, .errors[].code, .errors[].field]' <<<"$stderr"
	assert_output $'["SHOP-8","unknown_sku","items[0].sku"]\n["SHOP-9","bad_qty","items[0].qty"]'
	run -0 stock-levels --sku MUG-WHITE --warehouse MSK
	assert_output '{"sku":"MUG-WHITE","warehouse":"MSK","on_hand":2,"reserved":0,"available":2}'
}
@test "sqlite: an unknown SKU or a negative qty is rejected and takes nothing" { t_bad_items sqlite; }
@test "postgres: an unknown SKU or a negative qty is rejected and takes nothing" { t_bad_items postgres; }

t_history() {
	stocked "$1"
	run -0 --separate-stderr order-reserve --now 2026-04-01T10:00:00+03:00 \
	    --rejects "$BATS_TEST_TMPDIR/r" "$FIXTURES/one-parcel.jsonl" \
	    "$FIXTURES/backorder.jsonl"
	assert_stderr ''
	run -0 jq -c '[.status, .status_history]' <<<"$output"
	assert_output '["reserved",[{"status":"reserved","at":"2026-04-01T07:00:00Z"}]]'
	run -0 jq -c '[.id, .rejected_by, .status_history]' "$BATS_TEST_TMPDIR/r"
	assert_output '["SHOP-7","order-reserve",[{"status":"backorder","at":"2026-04-01T07:00:00Z"}]]'
}
@test "sqlite: status_history says when at --now, and a backorder names order-reserve" { t_history sqlite; }
@test "postgres: status_history says when at --now, and a backorder names order-reserve" { t_history postgres; }

# --- idempotency -----------------------------------------------------------

t_twice() {
	stocked "$1"
	# yesterday's run again: the same --now, the same history
	run -0 --separate-stderr order-reserve --now 2026-11-20T12:00:00Z \
	    "$FIXTURES/three.jsonl"
	first=$output
	run -0 stock-levels
	levels=$output
	run -0 --separate-stderr order-reserve --now 2026-11-20T12:00:00Z \
	    "$FIXTURES/three.jsonl"
	assert_output "$first"
	assert_stderr ''
	run -0 stock-levels
	assert_output "$levels"
	consistent
}
@test "sqlite: the same orders twice reserve nothing twice" { t_twice sqlite; }
@test "postgres: the same orders twice reserve nothing twice" { t_twice postgres; }

t_changed() {
	stocked "$1"
	run -0 --separate-stderr order-reserve "$FIXTURES/one-parcel.jsonl"
	run -0 --separate-stderr order-reserve "$FIXTURES/changed.jsonl"
	assert_output ''
	run -0 jq -c '[.errors[].code]' <<<"$stderr"
	assert_output '["order_changed"]'
	run -0 sql "SELECT SUM(reserved) FROM stock"
	assert_output 3
	# the message promises nothing that reserving could not keep
	run -0 jq -r '.errors[0].message' <<<"$stderr"
	assert_output "order 'SHOP-1' was reserved with other items, and its reservation stands as it was"
}
@test "sqlite: an order changed since its reservation is rejected as order_changed" { t_changed sqlite; }
@test "postgres: an order changed since its reservation is rejected as order_changed" { t_changed postgres; }

# Two channels number their orders alike: a Shopify #1045 and an Etsy
# #1045 are two orders, and a record without a source a third.
t_sources() {
	local in="$BATS_TEST_TMPDIR/in.jsonl" first levels
	stocked "$1"
	printf '%s\n' \
	    '{"id":"#1045","source":"shopify","items":[{"sku":"TSHIRT-RED-M","qty":1}]}' \
	    '{"id":"#1045","source":"etsy","items":[{"sku":"CAP-BLACK","qty":1}]}' \
	    >"$in"
	for batch in 500 1; do
		run -0 --separate-stderr order-reserve --batch "$batch" "$in"
		assert_stderr ''
		run -0 jq -c '[.id, .source, .status, .reservation.lines[0].sku]' <<<"$output"
		assert_output '["#1045","shopify","reserved","TSHIRT-RED-M"]
["#1045","etsy","reserved","CAP-BLACK"]'
	done
	run -0 sql "SELECT order_id, source, state FROM reservations ORDER BY source"
	assert_output '#1045|etsy|active
#1045|shopify|active'
	# Each found again by its source: the same twice takes nothing.
	# (one --now: the history's time is the run's)
	run -0 --separate-stderr order-reserve --now 2026-11-20T12:00:00Z "$in"
	first=$output
	run -0 stock-levels
	levels=$output
	run -0 --separate-stderr order-reserve --now 2026-11-20T12:00:00Z \
	    --batch 1 "$in"
	assert_output "$first"
	assert_stderr ''
	run -0 stock-levels
	assert_output "$levels"
	# Etsy's with other items is changed; the message names the source.
	run -0 --separate-stderr order-reserve <<<'{"id":"#1045","source":"etsy","items":[{"sku":"MUG-WHITE","qty":1}]}'
	assert_output ''
	run -0 jq -r '.errors[] | .code + ": " + .message' <<<"$stderr"
	assert_output "order_changed: order '#1045' (etsy) was reserved with other items, and its reservation stands as it was"
	# No source is a source of its own.
	run -0 --separate-stderr order-reserve <<<'{"id":"#1045","items":[{"sku":"MUG-WHITE","qty":1}]}'
	assert_stderr ''
	run -0 jq -c '[.id, .source, .status]' <<<"$output"
	assert_output '["#1045",null,"reserved"]'
	# Releasing Shopify's leaves the others be.
	run -0 --separate-stderr order-reserve --release <<<'{"id":"#1045","source":"shopify"}'
	assert_stderr ''
	run -0 jq -c '[.status, .reservation.state]' <<<"$output"
	assert_output '["cancelled","released"]'
	run -0 --separate-stderr order-reserve --release <<<'{"id":"#1045","source":"amazon"}'
	assert_output ''
	run -0 jq -r '.errors[] | .code + ": " + .message' <<<"$stderr"
	assert_output "not_reserved: order '#1045' (amazon) has no reservation"
	run -0 sql "SELECT source, state FROM reservations ORDER BY source"
	assert_output '|active
etsy|active
shopify|released'
	run -0 sql "SELECT SUM(reserved) FROM stock"
	assert_output 2
	consistent
}
@test "sqlite: a Shopify and an Etsy order of the same id are two orders" { t_sources sqlite; }
@test "postgres: a Shopify and an Etsy order of the same id are two orders" { t_sources postgres; }

@test "a source that is not a text is rejected as bad_source" {
	stocked sqlite
	run -0 --separate-stderr order-reserve <<<'{"id":"S-1","source":7,"items":[{"sku":"MUG-WHITE","qty":1}]}'
	assert_output ''
	run -0 jq -c '[.errors[] | [.code, .field]]' <<<"$stderr"
	assert_output '[["bad_source","source"]]'
	run -0 sql "SELECT COUNT(*) FROM reservations"
	assert_output 0
}

# A store made before orders had sources: its reservations are the
# orders without one, found, changed, released and expired as before.
t_migrate_v1() {
	use_backend --none "$1"
	run -0 sql "$(cat "$FIXTURES/store-v1.sql")"
	run -0 --separate-stderr order-reserve "$FIXTURES/one-parcel.jsonl"
	assert_stderr ''
	run -0 jq -c '[.status, .reservation]' <<<"$output"
	assert_output '["reserved",{"state":"active","lines":[{"sku":"MUG-WHITE","warehouse":"MSK","qty":1},{"sku":"TSHIRT-RED-M","warehouse":"MSK","qty":2}],"expires_at":"2026-11-20T10:45:00+03:00"}]'
	run -0 sql "SELECT version FROM schema_version WHERE component = 'stock'"
	assert_output 2
	run -0 sql "SELECT order_id, source, state, items FROM reservations ORDER BY order_id"
	assert_output $'SHOP-1||active|MUG-WHITE\t1\nTSHIRT-RED-M\t2\n\nSHOP-3||released|TSHIRT-RED-M\t2'
	run -0 sql "SELECT order_id, source, sku, qty FROM reservation_lines ORDER BY order_id, sku"
	assert_output 'SHOP-1||MUG-WHITE|1
SHOP-1||TSHIRT-RED-M|2
SHOP-3||TSHIRT-RED-M|2'
	run -0 --separate-stderr order-reserve "$FIXTURES/changed.jsonl"
	run -0 jq -c '[.errors[].code]' <<<"$stderr"
	assert_output '["order_changed"]'
	run -0 --separate-stderr order-reserve "$FIXTURES/region.jsonl"
	run -0 jq -c '[.errors[].code]' <<<"$stderr"
	assert_output '["reservation_closed"]'
	# The same id from a channel is another order.
	run -0 --separate-stderr order-reserve <<<'{"id":"SHOP-1","source":"etsy","items":[{"sku":"CAP-BLACK","qty":1}]}'
	assert_stderr ''
	run -0 jq -r .status <<<"$output"
	assert_output reserved
	run -0 --separate-stderr order-reserve --expire \
	    --now 2026-11-20T07:45:00Z
	assert_stderr ''
	run -0 jq -c '[.id, .status, .reservation.state]' <<<"$output"
	assert_output '["SHOP-1","expired","expired"]'
	run -0 sql "SELECT SUM(reserved) FROM stock"
	assert_output 1
	consistent
	# Opened again, nothing is migrated twice.
	run -0 --separate-stderr order-reserve "$FIXTURES/priority.jsonl"
	assert_stderr ''
	run -0 sql "SELECT version FROM schema_version WHERE component = 'stock'"
	assert_output 2
}
@test "sqlite: a store of orders known by id alone is migrated on open" { t_migrate_v1 sqlite; }
@test "postgres: a store of orders known by id alone is migrated on open" { t_migrate_v1 postgres; }

# --- closing ---------------------------------------------------------------

t_release() {
	stocked "$1"
	run -0 --separate-stderr order-reserve "$FIXTURES/one-parcel.jsonl"
	for i in 1 2; do
		run -0 --separate-stderr order-reserve --release \
		    --now 2026-11-21T12:00:00+03:00 "$FIXTURES/id-1.jsonl"
		assert_output '{"id":"SHOP-1","status":"cancelled","status_history":[{"status":"cancelled","at":"2026-11-21T09:00:00Z"}],"reservation":{"state":"released","lines":[{"sku":"MUG-WHITE","warehouse":"MSK","qty":1},{"sku":"TSHIRT-RED-M","warehouse":"MSK","qty":2}]}}'
		run -0 sql "SELECT SUM(reserved), SUM(on_hand) FROM stock"
		assert_output '0|24'
	done
	run -0 --separate-stderr order-reserve "$FIXTURES/one-parcel.jsonl"
	run -0 jq -c '[.errors[].code]' <<<"$stderr"
	assert_output '["reservation_closed"]'
	run -0 --separate-stderr order-reserve --release "$FIXTURES/id-404.jsonl"
	run -0 jq -c '[.errors[].code]' <<<"$stderr"
	assert_output '["not_reserved"]'
}
@test "sqlite: --release gives the stock back, once" { t_release sqlite; }
@test "postgres: --release gives the stock back, once" { t_release postgres; }

t_commit() {
	stocked "$1"
	run -0 --separate-stderr order-reserve "$FIXTURES/one-parcel.jsonl"
	for i in 1 2; do
		run -0 --separate-stderr order-reserve --commit \
		    "$FIXTURES/id-1.jsonl"
		assert_output '{"id":"SHOP-1","reservation":{"state":"committed","lines":[{"sku":"MUG-WHITE","warehouse":"MSK","qty":1},{"sku":"TSHIRT-RED-M","warehouse":"MSK","qty":2}]}}'
		run -0 stock-levels --warehouse MSK
		assert_output '{"sku":"MUG-WHITE","warehouse":"MSK","on_hand":1,"reserved":0,"available":1}
{"sku":"TSHIRT-RED-M","warehouse":"MSK","on_hand":3,"reserved":0,"available":3}'
	done
	run -0 --separate-stderr order-reserve --release "$FIXTURES/id-1.jsonl"
	run -0 jq -c '[.errors[].code]' <<<"$stderr"
	assert_output '["already_committed"]'
}
@test "sqlite: --commit takes shipped stock off the shelf, once" { t_commit sqlite; }
@test "postgres: --commit takes shipped stock off the shelf, once" { t_commit postgres; }

t_expire() {
	stocked "$1"
	run -0 --separate-stderr order-reserve --ttl 30m \
	    --now 2026-11-20T10:15:00+03:00 "$FIXTURES/one-parcel.jsonl"
	run -0 jq -c .reservation <<<"$output"
	assert_output '{"state":"active","lines":[{"sku":"MUG-WHITE","warehouse":"MSK","qty":1},{"sku":"TSHIRT-RED-M","warehouse":"MSK","qty":2}],"expires_at":"2026-11-20T10:45:00+03:00"}'
	run -0 --separate-stderr order-reserve --ttl 2h \
	    --now 2026-11-20T10:20:00+03:00 "$FIXTURES/priority.jsonl"
	run -0 --separate-stderr order-reserve --expire \
	    --now 2026-11-20T10:44:59+03:00
	assert_output ''
	run -0 --separate-stderr order-reserve --expire \
	    --now 2026-11-20T07:45:00Z
	run -0 jq -c '[.id, .status, .reservation.state, .items[0].sku]' <<<"$output"
	assert_output '["SHOP-1","expired","expired","TSHIRT-RED-M"]'
	run -0 --separate-stderr order-reserve --expire \
	    --now 2026-11-20T07:45:00Z
	assert_output ''
	run -0 sql "SELECT SUM(reserved) FROM stock"
	assert_output 2
	consistent
}
@test "sqlite: --expire releases reservations past their time and writes the orders out" { t_expire sqlite; }
@test "postgres: --expire releases reservations past their time and writes the orders out" { t_expire postgres; }

# A reservation whose state the store does not change (a trigger that
# skips the update) stops the run: its stock is not given back while it
# stays active.
t_close_unchanged() {
	stocked "$1"
	run -0 --separate-stderr order-reserve --ttl 30m \
	    --now 2026-11-20T10:15:00+03:00 "$FIXTURES/one-parcel.jsonl"
	if [[ $1 == sqlite ]]; then
		sql "CREATE TRIGGER keep BEFORE UPDATE ON reservations
		    BEGIN SELECT RAISE(IGNORE); END"
	else
		sql "CREATE FUNCTION keep() RETURNS trigger LANGUAGE plpgsql
		    AS \$\$ BEGIN RETURN NULL; END \$\$;
		    CREATE TRIGGER keep BEFORE UPDATE ON reservations
		    FOR EACH ROW EXECUTE FUNCTION keep()"
	fi
	run -70 --separate-stderr order-reserve --release "$FIXTURES/id-1.jsonl"
	assert_output ''
	assert_stderr --partial "cannot close the reservation of 'SHOP-1'"
	run -70 --separate-stderr order-reserve --expire \
	    --now 2026-11-20T12:00:00+03:00
	assert_output ''
	assert_stderr --partial "cannot close the reservation of 'SHOP-1'"
	run -0 sql "SELECT state FROM reservations"
	assert_output 'active'
	run -0 sql "SELECT SUM(reserved) FROM stock"
	assert_output 3
	consistent
}
@test "sqlite: a reservation the store does not close stops the run, its stock kept" { t_close_unchanged sqlite; }
@test "postgres: a reservation the store does not close stops the run, its stock kept" { t_close_unchanged postgres; }

@test "times do not depend on the machine's time zone" {
	stocked sqlite
	run -0 --separate-stderr env TZ=Pacific/Kiritimati order-reserve \
	    --ttl 1d --now 2026-11-20T10:15:00+03:00 "$FIXTURES/region.jsonl"
	run -0 jq -r .reservation.expires_at <<<"$output"
	assert_output '2026-11-21T10:15:00+03:00'
	run -0 --separate-stderr env TZ=America/Adak order-reserve --expire \
	    --now 2026-11-21T07:15:00Z
	run -0 jq -r .status <<<"$output"
	assert_output expired
}

# --- concurrency and crashes -----------------------------------------------

# Eight processes at once on 400 orders wanting twice the stock there is.
t_concurrent() {
	use_backend "$1"
	printf 'sku,warehouse,qty\nA,W1,100\nA,W2,50\nB,W1,60\nB,W2,40\n' |
	    stock-load >/dev/null
	awk 'BEGIN { for (i = 1; i <= 400; i++)
		printf("{\"id\":\"C-%d\",\"items\":[{\"sku\":\"A\",\"qty\":%d},{\"sku\":\"B\",\"qty\":1}]}\n",
		    i, 1 + i % 2) }' >"$BATS_TEST_TMPDIR/orders"
	split -n l/8 "$BATS_TEST_TMPDIR/orders" "$BATS_TEST_TMPDIR/part."
	for p in "$BATS_TEST_TMPDIR"/part.*; do
		order-reserve --batch 7 --split --rejects "$p.rej" "$p" \
		    >"$p.out" 2>"$p.err" &
	done
	for ((i = 0; i < 8; i++)); do
		wait -n || echo "exit $?"
	done >"$BATS_TEST_TMPDIR/statuses"
	run -0 cat "$BATS_TEST_TMPDIR/statuses" "$BATS_TEST_TMPDIR"/part.*.err
	assert_output ''
	cat "$BATS_TEST_TMPDIR"/part.*.out >"$BATS_TEST_TMPDIR/out"
	cat "$BATS_TEST_TMPDIR"/part.*.rej >"$BATS_TEST_TMPDIR/rej"
	# every order is reserved or rejected, exactly once
	run -0 sh -c 'cat "$1/out" "$1/rej" | jq -r .id | sort | uniq -d' sh \
	    "$BATS_TEST_TMPDIR"
	assert_output ''
	assert_equal "$(($(count_lines "$BATS_TEST_TMPDIR/out") + \
	    $(count_lines "$BATS_TEST_TMPDIR/rej")))" 400
	# nothing oversold, nothing half reserved, output = store
	run -0 sql "SELECT COUNT(*) FROM stock WHERE reserved > on_hand"
	assert_output 0
	run -0 sql "SELECT SUM(reserved) FROM stock WHERE sku = 'B'"
	assert_equal "$output" "$(count_lines "$BATS_TEST_TMPDIR/out")"
	run -0 sql "SELECT COUNT(*) FROM reservations"
	assert_equal "$output" "$(count_lines "$BATS_TEST_TMPDIR/out")"
	run -0 jq -s '[.[] | select(([.reservation.lines[] | select(.sku == "A") | .qty] | add) != .items[0].qty)] | length' "$BATS_TEST_TMPDIR/out"
	assert_output 0
	run -0 sql "SELECT SUM(reserved) FROM stock WHERE sku = 'A'"
	assert_equal "$output" "$(jq -s '[.[].items[0].qty] | add' "$BATS_TEST_TMPDIR/out")"
	consistent
}
@test "sqlite: eight processes at once never oversell scarce stock" { t_concurrent sqlite; }
@test "postgres: eight processes at once never oversell scarce stock" { t_concurrent postgres; }

# Two processes reserve the same new order ids at once, each with other
# items: every id is reserved once, the other copy is order_changed.
t_same_ids() {
	use_backend "$1"
	printf 'sku,warehouse,qty\nA,W1,100000\nB,W1,100000\n' |
	    stock-load /dev/stdin >/dev/null
	awk 'BEGIN { for (i = 1; i <= 2000; i++)
		printf("{\"id\":\"D-%d\",\"items\":[{\"sku\":\"A\",\"qty\":1}]}\n", i) }' \
	    >"$BATS_TEST_TMPDIR/a"
	sed 's/"A"/"B"/' "$BATS_TEST_TMPDIR/a" >"$BATS_TEST_TMPDIR/b"
	order-reserve --batch 20 --rejects "$BATS_TEST_TMPDIR/ra" \
	    "$BATS_TEST_TMPDIR/a" >"$BATS_TEST_TMPDIR/oa" 2>"$BATS_TEST_TMPDIR/ea" &
	pa=$!
	order-reserve --batch 20 --rejects "$BATS_TEST_TMPDIR/rb" \
	    "$BATS_TEST_TMPDIR/b" >"$BATS_TEST_TMPDIR/ob" 2>"$BATS_TEST_TMPDIR/eb" &
	pb=$!
	sa=0 sb=0
	wait "$pa" || sa=$?
	wait "$pb" || sb=$?
	assert_equal "$sa $sb" "0 0"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/oa" "$BATS_TEST_TMPDIR/ob" |
	    jq -r .id | sort -u | wc -l)" 2000
	assert_equal "$(($(count_lines "$BATS_TEST_TMPDIR/oa") +
	    $(count_lines "$BATS_TEST_TMPDIR/ob")))" 2000
	assert_equal "$(cat "$BATS_TEST_TMPDIR/ra" "$BATS_TEST_TMPDIR/rb" |
	    jq -r '.errors[].code' | sort -u)" order_changed
	consistent
}
@test "sqlite: the same new ids reserved at once with other items, once each" { t_same_ids sqlite; }
@test "postgres: the same new ids reserved at once with other items, once each" { t_same_ids postgres; }

# SIGKILL at random points of a large run, then the run again to the end.
t_crash() {
	use_backend "$1"
	printf 'sku,warehouse,qty\n' >"$BATS_TEST_TMPDIR/stock.csv"
	awk 'BEGIN { for (s = 0; s < 200; s++)
		printf("S%d,W1,100\nS%d,W2,100\n", s, s) }' \
	    >>"$BATS_TEST_TMPDIR/stock.csv"
	run -0 --separate-stderr stock-load "$BATS_TEST_TMPDIR/stock.csv"
	assert_stderr ''
	assert_output ''
	run -0 sql "SELECT COUNT(*), SUM(on_hand), SUM(reserved) FROM stock"
	assert_output '400|40000|0'
	awk 'BEGIN { srand(5); for (i = 1; i <= 20000; i++)
		printf("{\"id\":\"K-%d\",\"items\":[{\"sku\":\"S%d\",\"qty\":1},{\"sku\":\"S%d\",\"qty\":2}]}\n",
		    i, i % 200, (i * 7) % 200) }' >"$BATS_TEST_TMPDIR/orders"
	for delay in 0.05 0.2 0.4; do
		order-reserve --batch 50 --rejects /dev/null \
		    "$BATS_TEST_TMPDIR/orders" >/dev/null &
		pid=$!
		sleep "$delay"
		# killed (137), or done already (0) on a fast machine
		kill -KILL "$pid" 2>/dev/null || :
		st=0
		wait "$pid" || st=$?
		[[ $st == 0 || $st == 137 ]] ||
		    fail "the run killed after ${delay}s exited $st"
		consistent
	done
	run -0 --separate-stderr order-reserve --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$BATS_TEST_TMPDIR/orders"
	assert_stderr ''
	out=$output
	out_lines=${#lines[@]}
	assert_equal "$((out_lines + $(count_lines "$BATS_TEST_TMPDIR/rej")))" 20000
	consistent
	run -0 jq -s '[.[].reservation.lines[].qty] | add' <<<"$out"
	reserved=$output
	run -0 sql "SELECT COUNT(*) FROM reservations"
	assert_equal "$output" "$out_lines"
	run -0 sql "SELECT SUM(qty) FROM reservation_lines"
	assert_equal "$output" "$reserved"
	run -0 sql "SELECT SUM(reserved) FROM stock"
	assert_equal "$output" "$reserved"
}
@test "sqlite: a run killed at random points and run again reserves nothing twice" { t_crash sqlite; }
@test "postgres: a run killed at random points and run again reserves nothing twice" { t_crash postgres; }

# --- records pass through -------------------------------------------------

# NUMBERS: JSON numbers as a marketplace may write them, each of a form
# that a double or an int64 would change.
NUMBERS='{"n":[1.23456789012345678,1e-7,100.50,-0,12345678901234567890,-12345678901234567890,99999999999999999999999999999999,1E400,-1E400,1e-400,9223372036854775808,-9223372036854775809,9223372036854775807,-9223372036854775808,1.0,0.0,-0.0,1E+2,1e2,2.50e-3],"nested":{"a":[[{"b":-0}]],"marketplace_id":98765432109876543210}}'

# with_numbers FILE: FILE's order with $NUMBERS under an unknown key at the
# end and in its first item, written with sed: jq would rewrite them.
with_numbers() {
	sed -e "s/}]}\$/}],\"marketplace\":$NUMBERS}/" \
	    -e "0,/\"unit_price\":100}/s//\"unit_price\":100,\"attrs\":$NUMBERS}/" \
	    "$1"
}

t_numbers() {
	local in="$BATS_TEST_TMPDIR/in.jsonl" section want reserved i
	stocked "$1"
	with_numbers "$FIXTURES/one-parcel.jsonl" >"$in"
	section='"lines":[{"sku":"MUG-WHITE","warehouse":"MSK","qty":1},{"sku":"TSHIRT-RED-M","warehouse":"MSK","qty":2}],"expires_at":"2026-11-20T10:45:00+03:00"}}'
	want=$(sed 's/"status":"validated"/"status":"reserved"/; s/}$//' "$in")
	reserved='"status_history":[{"status":"reserved","at":"2026-11-20T07:15:00Z"}]'
	# Reserved, then again: the second answer comes from the store.
	for i in 1 2; do
		run -0 --separate-stderr order-reserve --ttl 30m \
		    --now 2026-11-20T10:15:00+03:00 "$in"
		assert_stderr ''
		assert_output "$want,$reserved,\"reservation\":{\"state\":\"active\",$section"
	done
	# The record kept for --expire is written back as it was.
	run -0 --separate-stderr order-reserve --expire \
	    --now 2026-11-20T07:45:00Z
	assert_stderr ''
	assert_output "${want/\"status\":\"reserved\"/\"status\":\"expired\"},${reserved%]},{\"status\":\"expired\",\"at\":\"2026-11-20T07:45:00Z\"}],\"reservation\":{\"state\":\"expired\",$section"
	# A backorder reject keeps them too.
	with_numbers "$FIXTURES/backorder.jsonl" >"$in"
	run -0 --separate-stderr order-reserve "$in"
	assert_output ''
	assert_equal "$(sed 's/,"status":"backorder".*$//' <<<"$stderr")" \
	    "$(sed 's/,"status":"validated".*$//' "$in")"
	assert_equal "$(sed 's/^.*,"items"://; s/,"status_history":.*$//' <<<"$stderr")" \
	    "$(sed 's/^.*,"items"://; s/}$//' "$in")"
}
@test "sqlite: numbers under unknown keys pass through as written, the store's copy too" { t_numbers sqlite; }
@test "postgres: numbers under unknown keys pass through as written, the store's copy too" { t_numbers postgres; }

t_released_numbers() {
	local in="$BATS_TEST_TMPDIR/in.jsonl" mode id
	stocked "$1"
	for mode in release commit; do
		id=SHOP-$mode
		with_numbers "$FIXTURES/one-parcel.jsonl" |
		    sed "s/\"SHOP-1\"/\"$id\"/" >"$in"
		run -0 --separate-stderr order-reserve "$in"
		if [[ $mode == commit ]]; then
			run -0 --separate-stderr order-reserve --commit "$in"
		fi
		run -0 --separate-stderr order-reserve --$mode "$in"
		assert_stderr ''
		assert_output --partial "{\"id\":\"$id\","
		assert_output --partial ",\"marketplace\":$NUMBERS,"
		assert_output --partial ",\"attrs\":$NUMBERS}"
	done
}
@test "sqlite: --release and --commit write the numbers as they came" { t_released_numbers sqlite; }
@test "postgres: --release and --commit write the numbers as they came" { t_released_numbers postgres; }

# --- the command line and broken input ------------------------------------

@test "one order a batch or all in one, the output is the same" {
	# A batch's values are freed together: nothing of one batch may
	# outlive it, and nothing may depend on where a batch ends.
	awk 'BEGIN { print "sku,warehouse,qty,priority,regions"
		for (s = 0; s < 30; s++)
			printf("S%d,W1,%d,1,R1\nS%d,W2,%d,2,\n", s, 5, s, 5) }' \
	    >"$BATS_TEST_TMPDIR/stock.csv"
	awk 'BEGIN { for (i = 1; i <= 400; i++)
		printf("{\"id\":\"B-%d\",\"note\":\"%*s\",\"shipping\":{\"address\":{\"region\":\"R%d\"}},\"items\":[{\"sku\":\"S%d\",\"qty\":%d},{\"sku\":\"S%d\",\"qty\":1}]}\n",
		    i % 350, i * 50, "x", i % 3, i % 30, i % 4 + 1, (i * 7) % 31) }' \
	    >"$BATS_TEST_TMPDIR/orders"
	for batch in 1 100000; do
		ORDERKIT_DB="$BATS_TEST_TMPDIR/$batch.db"
		export ORDERKIT_DB
		stock-load "$BATS_TEST_TMPDIR/stock.csv" >/dev/null
		order-reserve --batch "$batch" --split --partial --ttl 1h \
		    --now 2026-11-20T10:00:00Z --rejects "$BATS_TEST_TMPDIR/rej.$batch" \
		    "$BATS_TEST_TMPDIR/orders" >"$BATS_TEST_TMPDIR/out.$batch"
	done
	run -0 cmp "$BATS_TEST_TMPDIR/out.1" "$BATS_TEST_TMPDIR/out.100000"
	run -0 cmp "$BATS_TEST_TMPDIR/rej.1" "$BATS_TEST_TMPDIR/rej.100000"
	assert_equal "$(($(count_lines "$BATS_TEST_TMPDIR/out.1") + \
	    $(count_lines "$BATS_TEST_TMPDIR/rej.1")))" 400
	assert [ "$(count_lines "$BATS_TEST_TMPDIR/rej.1")" -gt 0 ]
}

@test "--help prints the usage on standard output" {
	run -0 --separate-stderr order-reserve --help
	assert_line --index 0 --partial 'usage: order-reserve [--allow CODE,...] [--batch N]'
	assert_stderr ''
}

@test "a bad option or a bad --ttl is a usage error" {
	run -64 --separate-stderr order-reserve --bogus
	assert_stderr --partial 'usage: order-reserve'
	run -64 --separate-stderr order-reserve --ttl 5x
	assert_stderr --partial "--ttl '5x' is not a duration"
	run -64 --separate-stderr order-reserve --release --expire
	assert_output ''
	assert_stderr --partial 'usage: order-reserve'
}

@test "an unreadable operand exits 66 after the others are read" {
	stocked sqlite
	run -66 --separate-stderr order-reserve "$BATS_TEST_TMPDIR/none" \
	    "$FIXTURES/region.jsonl"
	assert_stderr --partial "cannot open '$BATS_TEST_TMPDIR/none'"
	run -0 jq -r .status <<<"$output"
	assert_output reserved
}

@test "a directory as an operand is 66, as a file that cannot be opened" {
	stocked sqlite
	mkdir "$BATS_TEST_TMPDIR/dir"
	run -66 --separate-stderr order-reserve "$BATS_TEST_TMPDIR/dir" \
	    "$FIXTURES/region.jsonl"
	assert_stderr "order-reserve: cannot read '$BATS_TEST_TMPDIR/dir': Is a directory"
	run -0 jq -r .status <<<"$output"
	assert_output reserved
	run -66 --separate-stderr order-reserve --release "$BATS_TEST_TMPDIR/dir"
	assert_output ''
	assert_stderr "order-reserve: cannot read '$BATS_TEST_TMPDIR/dir': Is a directory"
}

@test "a directory as standard input is 66, as a directory named" {
	stocked sqlite
	mkdir "$BATS_TEST_TMPDIR/dir"
	run -66 --separate-stderr sh -c 'order-reserve - "$2" <"$1"' sh \
	    "$BATS_TEST_TMPDIR/dir" "$FIXTURES/region.jsonl"
	assert_stderr "order-reserve: cannot read '<stdin>': Is a directory"
	run -0 jq -r .status <<<"$output"
	assert_output reserved
}

@test "an empty file or /dev/null is no orders, in every mode: exit 0" {
	stocked sqlite
	: >"$BATS_TEST_TMPDIR/empty"
	for mode in --split --release --commit; do
		run -0 --separate-stderr order-reserve "$mode" --stats \
		    "$BATS_TEST_TMPDIR/empty" /dev/null
		assert_output ''
		assert_stderr --partial 'order-reserve: 0 read'
	done
}

@test "a --rejects file that cannot be created exits 73" {
	stocked sqlite
	run -73 --separate-stderr order-reserve --rejects /nonexistent/r \
	    "$FIXTURES/region.jsonl"
	assert_output ''
	assert_stderr --partial "cannot open '/nonexistent/r'"
}

@test "a write error on standard output exits 74" {
	stocked sqlite
	run -74 --separate-stderr sh -c 'order-reserve "$1" >/dev/full' sh \
	    "$FIXTURES/region.jsonl"
	assert_stderr --partial "cannot write '<stdout>': No space left"
}

t_broken() {
	load test_helper/broken
	stocked "$1"
	broken_lines order-reserve
	broken_lines order-reserve --release
	broken_lines order-reserve --commit
	consistent
}
@test "sqlite: broken inputs in every mode: no crash, every line out or rejected" { t_broken sqlite; }
@test "postgres: broken inputs in every mode: no crash, every line out or rejected" { t_broken postgres; }

@test "--expire stops at the first batch it cannot write out" {
	stocked sqlite
	# 501 reservations to expire: two batches of --expire's 500.
	for ((i = 1; i <= 501; i++)); do
		printf '{"id":"E-%d","items":[{"sku":"TSHIRT-RED-M","qty":1}]}\n' "$i"
	done >"$BATS_TEST_TMPDIR/orders"
	sql "UPDATE stock SET on_hand = 1000 WHERE sku = 'TSHIRT-RED-M'"
	run -0 --separate-stderr order-reserve --ttl 1h \
	    --now 2026-11-20T10:00:00Z "$BATS_TEST_TMPDIR/orders"
	run -74 --separate-stderr sh -c 'order-reserve --expire \
	    --now 2026-11-21T10:00:00Z >/dev/full'
	assert_output ''
	assert_stderr --partial "cannot write '<stdout>': No space left"
	# The first batch is gone with its output; the second waits for a
	# run that can write it.
	run -0 sql "SELECT COUNT(*) FROM reservations WHERE state = 'active'"
	assert_output 1
	run -0 --separate-stderr order-reserve --expire \
	    --now 2026-11-21T10:00:00Z
	assert_output --partial '"id":"E-99"'
	assert_equal "$(wc -l <<<"$output")" 1
	consistent
}

# wait_lines FILE N: wait up to 10 seconds for FILE to hold N lines.
wait_lines() {
	local i

	for ((i = 0; i < 100; i++)); do
		(($(wc -l <"$1") >= $2)) && return 0
		sleep 0.1
	done
	return 1
}

@test "a pipe that pauses gets out the orders it gave, even mid-line" {
	stocked sqlite
	mkfifo "$BATS_TEST_TMPDIR/in"
	order-reserve <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" \
	    2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	exec 5>"$BATS_TEST_TMPDIR/in"
	# Two orders and half of a third, then a pause, as tail -f gives.
	printf '%s\n%s\n%s' \
	    '{"id":"P-1","items":[{"sku":"MUG-WHITE","qty":1}]}' \
	    '{"id":"P-2","items":[{"sku":"CAP-BLACK","qty":1}]}' \
	    '{"id":"P-3","items":[{"sku":' >&5
	run -0 wait_lines "$BATS_TEST_TMPDIR/out" 2
	printf '%s\n' '"CAP-BLACK","qty":1}]}' >&5
	run -0 wait_lines "$BATS_TEST_TMPDIR/out" 3
	exec 5>&-
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 0
	run -0 jq -r .id "$BATS_TEST_TMPDIR/out"
	assert_output 'P-1
P-2
P-3'
	run -0 cat "$BATS_TEST_TMPDIR/err"
	assert_output ''
}

@test "broken lines are rejects, and every line is out or rejected" {
	stocked sqlite
	printf '{"id":"B-1","items":[{"sku":"CAP-BLACK","qty":1}]}\nnot json\n[1,2]\n\xff\xfe{}\n{"id":"B-2"\n{"id":[],"items":[]}\n' \
	    >"$BATS_TEST_TMPDIR/broken"
	: >"$BATS_TEST_TMPDIR/empty"
	run -0 --separate-stderr order-reserve --rejects "$BATS_TEST_TMPDIR/r" \
	    "$BATS_TEST_TMPDIR/broken" "$BATS_TEST_TMPDIR/empty"
	assert_equal "$(count_lines "$BATS_TEST_TMPDIR/r")" 5
	run -0 jq -r .id <<<"$output"
	assert_output B-1
	run -0 jq -r '.errors[].code' "$BATS_TEST_TMPDIR/r"
	assert_output $'bad_json\nbad_json\nbad_json\nbad_json\nbad_id\nno_items'
}

@test "a store locked past its timeout exits 75" {
	stocked sqlite
	printf 'BEGIN IMMEDIATE;\n.shell sleep 3\n' | sqlite3 "$ORDERKIT_DB" &
	sleep 0.5
	ORDERKIT_DB_TIMEOUT=1 run -75 --separate-stderr order-reserve \
	    "$FIXTURES/region.jsonl"
	assert_output ''
	assert_stderr --partial "is locked"
	wait
}

@test "an unreachable server exits 75, a bad URL 78" {
	run -75 --separate-stderr order-reserve \
	    --db postgresql://orderkit@127.0.0.1:1/x "$FIXTURES/region.jsonl"
	assert_stderr --partial "cannot connect to store"
	run -78 --separate-stderr order-reserve --db 'mysql://shop/x' \
	    "$FIXTURES/region.jsonl"
	assert_stderr --partial "bad store URL"
}

@test "without --db or ORDERKIT_DB the store is under XDG_STATE_HOME" {
	XDG_STATE_HOME="$BATS_TEST_TMPDIR/state" run -0 --separate-stderr \
	    stock-load "$FIXTURES/stock.csv"
	assert_stderr "stock-load: created the store '$BATS_TEST_TMPDIR/state/orderkit/orderkit.db'"
	assert_output ''
	assert [ -f "$BATS_TEST_TMPDIR/state/orderkit/orderkit.db" ]
	# a store of its own, without the stock just loaded
	HOME="$BATS_TEST_TMPDIR/home" run -0 --separate-stderr \
	    order-reserve --rejects "$BATS_TEST_TMPDIR/r" "$FIXTURES/region.jsonl"
	assert_output ''
	assert_stderr "order-reserve: created the store '$BATS_TEST_TMPDIR/home/.local/state/orderkit/orderkit.db'"
	run -0 jq -r '.errors[].code' "$BATS_TEST_TMPDIR/r"
	assert_output unknown_sku
	assert [ -f "$BATS_TEST_TMPDIR/home/.local/state/orderkit/orderkit.db" ]
}

@test "example: order-reserve --split --ttl 2h --rejects backorder.jsonl validated.jsonl" {
	stocked sqlite
	cat "$FIXTURES/split.jsonl" "$FIXTURES/backorder.jsonl" \
	    >"$BATS_TEST_TMPDIR/validated.jsonl"
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr order-reserve --split --ttl 2h \
	    --rejects backorder.jsonl validated.jsonl
	run -0 jq -r '[.id, .status, (.reservation.expires_at != null)] | @tsv' <<<"$output"
	assert_output $'SHOP-4\treserved\ttrue'
	run -0 jq -r .id backorder.jsonl
	assert_output SHOP-7
}

@test "example: stock-load --mode add received.jsonl; mv backorder.jsonl retry.jsonl; order-reserve --rejects backorder.jsonl retry.jsonl >>reserved.jsonl" {
	stocked sqlite
	cd "$BATS_TEST_TMPDIR"
	cat "$FIXTURES/split.jsonl" "$FIXTURES/backorder.jsonl" >validated.jsonl
	run -0 --separate-stderr order-reserve --split --ttl 2h \
	    --rejects backorder.jsonl validated.jsonl
	printf '%s\n' "$output" >reserved.jsonl
	run -0 jq -r '[.id, .status, (.errors | length)] | @tsv' backorder.jsonl
	assert_output $'SHOP-7\tbackorder\t1'
	echo '{"sku":"MUG-WHITE","warehouse":"MSK","qty":3}' >received.jsonl
	run -0 --separate-stderr stock-load --mode add received.jsonl
	run -0 --separate-stderr sh -c 'mv backorder.jsonl retry.jsonl &&
	    order-reserve --rejects backorder.jsonl retry.jsonl >>reserved.jsonl'
	assert_output ''
	assert_stderr ''
	run -0 jq -c '[.id, .status, .reservation.lines, .errors, .backorder]' \
	    reserved.jsonl
	assert_output '["SHOP-4","reserved",[{"sku":"TSHIRT-RED-M","warehouse":"SPB","qty":3},{"sku":"TSHIRT-RED-M","warehouse":"MSK","qty":5},{"sku":"TSHIRT-RED-M","warehouse":"EKB","qty":4}],null,null]
["SHOP-7","reserved",[{"sku":"MUG-WHITE","warehouse":"MSK","qty":5}],null,null]'
	assert [ ! -s backorder.jsonl ]
}

@test "example: order-reserve --release cancelled.jsonl" {
	stocked sqlite
	order-reserve "$FIXTURES/one-parcel.jsonl" >/dev/null
	run -0 --separate-stderr order-reserve --release "$FIXTURES/id-1.jsonl"
	run -0 jq -r .status <<<"$output"
	assert_output cancelled
}

@test "example: order-reserve --expire >>expired.jsonl" {
	stocked sqlite
	order-reserve --ttl 1m --now 2026-01-01T00:00:00Z \
	    "$FIXTURES/one-parcel.jsonl" >/dev/null
	run -0 --separate-stderr sh -c 'order-reserve --expire >>"$1"' sh \
	    "$BATS_TEST_TMPDIR/expired.jsonl"
	run -0 jq -r .status "$BATS_TEST_TMPDIR/expired.jsonl"
	assert_output expired
}

@test "--jobs 4 is taken, and reserves as --jobs 1 does, on one thread" {
	local j
	for j in 1 4; do
		rm -f "$BATS_TEST_TMPDIR/orderkit.db"
		stocked sqlite
		run -0 --separate-stderr order-reserve --jobs "$j" \
		    --now 2026-11-20T10:00:00Z --rejects "$BATS_TEST_TMPDIR/rej.$j" \
		    "$FIXTURES/region.jsonl" "$FIXTURES/backorder.jsonl"
		printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out.$j"
	done
	[[ -s $BATS_TEST_TMPDIR/out.1 ]]
	cmp "$BATS_TEST_TMPDIR/out.1" "$BATS_TEST_TMPDIR/out.4"
	cmp "$BATS_TEST_TMPDIR/rej.1" "$BATS_TEST_TMPDIR/rej.4"
	run -64 --separate-stderr order-reserve --jobs 0 "$FIXTURES/region.jsonl"
	assert_stderr --partial "order-reserve: --jobs '0' is not a number from 1 to 1024"
}
