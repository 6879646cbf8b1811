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
	export ORDERKIT_DB="$BATS_TEST_TMPDIR/pay.db"
	BACKEND=sqlite make_store
	NOW=2026-11-21T06:00:00Z
	MAPS="$BATS_TEST_DIRNAME/../scripts/maps"
}

# reconcile [-STATUS] PAYMENTS ORDERS [OPTION ...]: run with the report and
# rejects in the test's directory, stdout in $output; the exit status must
# be STATUS (default 0).
reconcile() {
	local want=-0 payments orders
	if [[ $1 == -[0-9]* ]]; then
		want=$1
		shift
	fi
	payments=$1 orders=$2
	shift 2
	run "$want" --separate-stderr pay-reconcile --payments "$FIXTURES/$payments" \
	    --now "$NOW" --report "$BATS_TEST_TMPDIR/report.jsonl" \
	    --rejects "$BATS_TEST_TMPDIR/rejects.jsonl" "$@" \
	    "$FIXTURES/$orders"
}

# reconcile_tmp PAYMENTS ORDERS [OPTION ...]: reconcile, with both files in
# the test's directory; exit 0.
reconcile_tmp() {
	local payments=$1 orders=$2
	shift 2
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/$payments" --now "$NOW" \
	    --report "$BATS_TEST_TMPDIR/report.jsonl" \
	    --rejects "$BATS_TEST_TMPDIR/rejects.jsonl" "$@" \
	    "$BATS_TEST_TMPDIR/$orders"
}

# class ID: the payment.status and first error code of order ID, from
# stdout or the rejects.
class() {
	{ printf '%s\n' "$output"; cat "$BATS_TEST_TMPDIR/rejects.jsonl"; } |
	    jq -r --arg id "$1" 'select(.id == $id) |
		"\(.payment.status) \(.errors[0].code // "-") \(.payment.paid)"'
}

report() {
	jq -c "select(.type == \"$1\")${2:+ | $2}" "$BATS_TEST_TMPDIR/report.jsonl"
}

@test "--help prints the usage on stdout and exits 0" {
	run -0 --separate-stderr pay-reconcile --help
	assert_output --partial "usage: pay-reconcile [--payments FILE ...]"
	assert_stderr ''
}

@test "a bad option exits 64 with the usage" {
	run -64 --separate-stderr pay-reconcile --payments x --frobnicate
	assert_output ''
	assert_stderr --partial "usage: pay-reconcile"
}


@test "an unknown --provider and a bad --hold-risk are usage errors" {
	run -64 --separate-stderr pay-reconcile --payments x --provider klarna
	assert_stderr --partial "--provider 'klarna' is not"
	run -64 --separate-stderr pay-reconcile --payments x --hold-risk 101
	assert_stderr --partial "--hold-risk '101' is not a score"
}

@test "a payments file with a UTF-8 BOM and CRLF line ends reads as without" {
	{ printf '\357\273\277'; sed 's/$/\r/' "$FIXTURES/yookassa-events.jsonl"; } \
	    >"$BATS_TEST_TMPDIR/bom.jsonl"
	run -0 --separate-stderr pay-reconcile --payments "$BATS_TEST_TMPDIR/bom.jsonl" \
	    --now "$NOW" --rejects "$BATS_TEST_TMPDIR/rejects.jsonl" \
	    "$FIXTURES/yookassa-orders.jsonl"
	assert_equal "$(class RU-5001)" "paid - 249000"
	assert_equal "$(class RU-5004)" "partially_refunded partially_refunded 350000"
	# The fixture's one broken line, and no other.
	assert_equal "$(jq -c 'select(.line) | [.line, .errors[0].code]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl")" '[7,"bad_amount"]'
}

@test "an unreadable --payments file exits 66 before any order is read" {
	run -66 --separate-stderr pay-reconcile --payments /nonexistent.csv \
	    "$FIXTURES/stripe-orders.jsonl"
	assert_output ''
	assert_stderr "pay-reconcile: cannot open '/nonexistent.csv': No such file or directory"
}

@test "a directory as --payments, --map or an operand is 66, not a read error" {
	run -66 --separate-stderr pay-reconcile --payments "$FIXTURES" \
	    "$FIXTURES/stripe-orders.jsonl"
	assert_output ''
	assert_stderr "pay-reconcile: cannot read '$FIXTURES': Is a directory"
	run -66 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/stripe-charges.jsonl" --map "$FIXTURES" \
	    "$FIXTURES/stripe-orders.jsonl"
	assert_output ''
	assert_stderr "pay-reconcile: cannot read '$FIXTURES': Is a directory"
	run -66 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/stripe-charges.jsonl" --rejects /dev/null --now "$NOW" \
	    "$FIXTURES" "$FIXTURES/stripe-orders.jsonl"
	assert_stderr "pay-reconcile: cannot read '$FIXTURES': Is a directory"
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 3
}

@test "an empty --payments file and empty order files are no data: exit 0" {
	: >"$BATS_TEST_TMPDIR/empty.csv"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/empty.csv" --payments /dev/null --now "$NOW" \
	    "$BATS_TEST_TMPDIR/empty.csv" /dev/null
	assert_output ''
	assert_stderr ''
}

@test "an unreadable order operand is 66, and the others are read" {
	run -66 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/stripe-charges.jsonl" --rejects /dev/null --now "$NOW" \
	    /nonexistent.jsonl "$FIXTURES/stripe-orders.jsonl"
	assert_stderr --partial "cannot open '/nonexistent.jsonl'"
	assert_equal "$(printf '%s\n' "$output" | wc -l)" 3
}

@test "an uncreatable --rejects or --report exits 73" {
	run -73 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/stripe-charges.jsonl" --rejects /nonexistent/r.jsonl \
	    "$FIXTURES/stripe-orders.jsonl"
	assert_stderr --partial "cannot open '/nonexistent/r.jsonl'"
	run -73 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/stripe-charges.jsonl" --report /nonexistent/x.jsonl \
	    "$FIXTURES/stripe-orders.jsonl"
	assert_stderr --partial "cannot open '/nonexistent/x.jsonl'"
}

@test "--report and --rejects refuse a symbolic link another user owns; the user's own is followed" {
	((EUID == 0)) || skip "only root can make a link that another user owns"
	local tmp="$BATS_TEST_TMPDIR/tmp" target="$BATS_TEST_TMPDIR/target"
	mkdir -m 1777 "$tmp"
	echo secret >"$target"
	ln -s "$target" "$tmp/theirs"
	chown -h 65534 "$tmp/theirs"
	run -73 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/stripe-charges.jsonl" --report "$tmp/theirs" \
	    --rejects /dev/null "$FIXTURES/stripe-orders.jsonl"
	assert_output ''
	assert_stderr "pay-reconcile: cannot open '$tmp/theirs': a symbolic link that another user owns"
	run -73 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/stripe-charges.jsonl" --rejects "$tmp/theirs" \
	    "$FIXTURES/stripe-orders.jsonl"
	assert_stderr "pay-reconcile: cannot open '$tmp/theirs': a symbolic link that another user owns"
	run -0 cat "$target"
	assert_output secret
	# the user's own link: the report replaces what was there
	ln -s "$target" "$tmp/mine"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/stripe-charges.jsonl" --report "$tmp/mine" \
	    --rejects /dev/null --now "$NOW" "$FIXTURES/stripe-orders.jsonl"
	run -0 jq -r .type "$target"
	refute_line secret
	assert_line summary
}

@test "a write error on standard output exits 74" {
	run -74 --separate-stderr sh -c 'pay-reconcile --payments "$1" \
	    --rejects /dev/null "$2" >/dev/full' sh \
	    "$FIXTURES/stripe-charges.jsonl" "$FIXTURES/stripe-orders.jsonl"
	assert_output ''
	assert_stderr --partial "cannot write '<stdout>': No space left"
}

@test "a write error on the report exits 74" {
	run -74 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/stripe-charges.jsonl" --report /dev/full \
	    --rejects /dev/null "$FIXTURES/stripe-orders.jsonl"
	assert_stderr --partial "cannot write '/dev/full'"
}

@test "a CSV of no provider known is 65 and names --map" {
	printf 'a,b\n1,2\n' >"$BATS_TEST_TMPDIR/x.csv"
	run -65 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/x.csv" </dev/null
	assert_stderr --partial "is no payment report known"
}

@test "stripe: paid, cod and paid-by-intent orders pass with their payment section" {
	reconcile stripe-charges.jsonl stripe-orders.jsonl
	assert_success
	assert_output "$(cat "$FIXTURES/stripe-orders.out.jsonl")"
}

@test "stripe: a reject's status is its class, in status_history at --now, and names pay-reconcile" {
	reconcile stripe-charges.jsonl stripe-orders.jsonl
	assert_success
	assert_equal "$(jq -c 'select(.id == "SHOP-1002" or .id == "SHOP-1004")
	    | [.id, .status, .status_history, .rejected_by]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl")" \
	    '["SHOP-1002","underpaid",[{"status":"underpaid","at":"2026-11-21T06:00:00Z"}],"pay-reconcile"]
["SHOP-1004","unpaid",[{"status":"unpaid","at":"2026-11-21T06:00:00Z"}],"pay-reconcile"]'
	assert_equal "$(jq -c 'select(.id == "SHOP-1001") | .status_history' \
	    <<<"$output")" '[{"status":"paid","at":"2026-11-21T06:00:00Z"}]'
}

@test "stripe: every other class goes to the rejects with its code" {
	reconcile stripe-charges.jsonl stripe-orders.jsonl
	assert_success
	assert_equal "$(class SHOP-1001)" "paid - 12000"
	assert_equal "$(class SHOP-1002)" "underpaid underpaid 4500"
	assert_equal "$(class SHOP-1003)" "overpaid overpaid 3500"
	assert_equal "$(class SHOP-1004)" "unpaid unpaid 0"
	assert_equal "$(class SHOP-1005)" "pending pending 0"
	assert_equal "$(class SHOP-1006)" "duplicate duplicate 8000"
	assert_equal "$(class SHOP-1007)" "currency_mismatch currency_mismatch 0"
	assert_equal "$(class SHOP-1008)" "refunded refunded 0"
	assert_equal "$(class SHOP-1009)" "partially_refunded partially_refunded 7500"
	assert_equal "$(class SHOP-1010)" "cod - 0"
}

@test "stripe: every order line ends up in exactly one stream" {
	reconcile stripe-charges.jsonl stripe-orders.jsonl
	assert_success
	assert_equal "$(($(printf '%s\n' "$output" | wc -l) + \
	    $(jq -c 'select(.id)' "$BATS_TEST_TMPDIR/rejects.jsonl" | wc -l)))" \
	    "$(wc -l <"$FIXTURES/stripe-orders.jsonl")"
}

@test "stripe: an underpaid order's reject says by how much" {
	reconcile stripe-charges.jsonl stripe-orders.jsonl
	run -0 jq -c 'select(.id == "SHOP-1002") | .errors' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output '[{"code":"underpaid","field":"payment","message":"paid 45.00 of 50.00 USD"}]'
}

@test "stripe: the report names the orphan, the duplicate and the mismatches" {
	reconcile stripe-charges.jsonl stripe-orders.jsonl
	run -0 report orphan '[.transaction_id, .order_ref, .amount, .line]'
	assert_output '["ch_3QK9999","SHOP-9999",990,14]'
	run -0 report duplicate
	assert_output '{"type":"duplicate","order_id":"SHOP-1006","currency":"USD","expected":4000,"captured":8000,"paid":8000,"transactions":["ch_3QK1006b","ch_3QK1006a"]}'
	run -0 report mismatch '[.order_id, .class, .expected, .paid]'
	assert_output '["SHOP-1002","underpaid",5000,4500]
["SHOP-1003","overpaid",3000,3500]
["SHOP-1007","currency_mismatch",6000,0]'
}

@test "--tz puts the summary's days in the shop's zone: a charge before its midnight is its day before" {
	reconcile stripe-charges.jsonl stripe-orders.jsonl --tz -08:00
	assert_success
	run -0 report summary '[.currency, .day, .transactions]'
	assert_output '["EUR","2026-11-19",0]
["USD","2026-11-19",1]
["USD","2026-11-20",13]'
	reconcile stripe-charges.jsonl stripe-orders.jsonl --tz Asia/Tokyo
	run -0 report summary '[.currency, .day, .transactions]'
	assert_output '["EUR","2026-11-20",0]
["USD","2026-11-20",14]'
	run -64 --separate-stderr pay-reconcile --tz Europe/Berlin \
	    --payments "$FIXTURES/stripe-charges.jsonl" </dev/null
	assert_output ''
	assert_stderr --partial "pay-reconcile: unknown or daylight-saving zone 'Europe/Berlin': give +HH:MM"
}

@test "stripe: the summary per currency and day adds up, classes counted" {
	reconcile stripe-charges.jsonl stripe-orders.jsonl
	run -0 report summary
	assert_output '{"type":"summary","currency":"EUR","day":"2026-11-20","transactions":0,"gross":0,"fees":0,"refunds":0,"net":0,"orders":{"paid":0,"underpaid":0,"overpaid":0,"unpaid":0,"pending":0,"duplicate":0,"currency_mismatch":1,"refunded":0,"partially_refunded":0,"cod":0,"amount_overflow":0,"marketplace_paid":0}}
{"type":"summary","currency":"USD","day":"2026-11-20","transactions":14,"gross":53990,"fees":0,"refunds":9500,"net":44490,"orders":{"paid":2,"underpaid":1,"overpaid":1,"unpaid":1,"pending":1,"duplicate":1,"currency_mismatch":0,"refunded":1,"partially_refunded":1,"cod":1,"amount_overflow":0,"marketplace_paid":0}}'
}

@test "stripe: broken payment lines are rejected with their line, the run goes on" {
	reconcile stripe-charges.jsonl stripe-orders.jsonl
	assert_success
	run -0 jq -c 'select(.line) | [.line, .errors[0].code]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output '[17,"bad_json"]
[18,"bad_amount"]'
}

@test "stripe: an amount with a fraction in minor units is bad_amount, not rounded" {
	reconcile stripe-charges.jsonl stripe-orders.jsonl
	run -0 jq -r 'select(.line == 18) | .errors[0].message' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output "amount '12.5' is not a whole number of minor units"
}

@test "stripe balance report: fees, a refund by charge_id, \"1,250.00\", a broken gross" {
	reconcile stripe-balance.csv stripe-balance-orders.jsonl
	assert_success
	assert_equal "$(class SHOP-2001)" "paid - 12000"
	assert_equal "$(class SHOP-2002)" "partially_refunded partially_refunded 100000"
	run -0 jq -c 'select(.id == "SHOP-2001") | .payment.fees' <<<"$output"
	assert_output 378
	run -0 jq -c 'select(.line) | [.line, .errors[0].message]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output '[6,"gross '"'12.0O'"' is not an amount"]'
}

@test "stripe payments export: uncaptured is pending, failed is unpaid, refunds kept" {
	reconcile stripe-payments.csv stripe-payments-orders.jsonl
	assert_success
	assert_equal "$(class SHOP-3001)" "paid - 4990"
	assert_equal "$(class SHOP-3002)" "pending pending 0"
	assert_equal "$(class SHOP-3003)" "partially_refunded partially_refunded 5000"
	assert_equal "$(class SHOP-3004)" "unpaid unpaid 0"
}

# Found by tests/fuzz/payment_fuzz.c (regressions/payment/
# stripe-payments-negative-fee): a reader's amounts are never negative.
@test "stripe payments export: a negative Amount, Amount Refunded or Fee is bad_amount" {
	sed -e '2s/,49\.90,0\.00,eur,/,-49.90,0.00,eur,/' \
	    -e '4s/,80\.00,30\.00,eur,/,80.00,-30.00,eur,/' \
	    -e '5s/,19\.99,0\.00,eur,false,19\.99,0\.00,0\.00,/,19.99,0.00,eur,false,19.99,0.00,-0.01,/' \
	    "$FIXTURES/stripe-payments.csv" >"$BATS_TEST_TMPDIR/neg.csv"
	run -0 --separate-stderr pay-reconcile --payments "$BATS_TEST_TMPDIR/neg.csv" \
	    --now "$NOW" --rejects "$BATS_TEST_TMPDIR/rejects.jsonl" \
	    "$FIXTURES/stripe-payments-orders.jsonl"
	run -0 jq -c 'select(.line) | [.line, .errors[0].code, .errors[0].message]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output '[2,"bad_amount","amount -49.90 EUR is negative"]
[4,"bad_amount","the amount refunded is negative"]
[5,"bad_amount","the fee is negative"]'
}

# Found by tests/fuzz/payment_fuzz.c (regressions/payment/
# stripe-balance-int64-min): -INT64_MIN is undefined, and no amount.
@test "stripe balance report: a gross of -92233720368547758.08 is amount_overflow" {
	sed '2s/,120\.00,3\.78,/,-92233720368547758.08,3.78,/' \
	    "$FIXTURES/stripe-balance.csv" >"$BATS_TEST_TMPDIR/min.csv"
	run -0 --separate-stderr pay-reconcile --payments "$BATS_TEST_TMPDIR/min.csv" \
	    --now "$NOW" --rejects "$BATS_TEST_TMPDIR/rejects.jsonl" \
	    "$FIXTURES/stripe-balance-orders.jsonl"
	run -0 jq -c 'select(.line == 2) | [.errors[0].code, .errors[0].message]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output '["amount_overflow","gross -92233720368547758.08 USD has no positive amount that fits"]'
}

@test "yookassa: notifications, fees from income_amount, a refund found by payment_id" {
	reconcile yookassa-events.jsonl yookassa-orders.jsonl
	assert_success
	assert_equal "$(class RU-5001)" "paid - 249000"
	assert_equal "$(class RU-5002)" "pending pending 0"
	assert_equal "$(class RU-5003)" "unpaid unpaid 0"
	assert_equal "$(class RU-5004)" "partially_refunded partially_refunded 350000"
	assert_equal "$(class RU-5005)" "currency_mismatch currency_mismatch 0"
	run -0 jq -c 'select(.id == "RU-5001") | .payment.fees' <<<"$output"
	assert_output 8615
}

@test "yookassa: \"12.345\" RUB has too many decimals, it is not twelve thousand" {
	reconcile yookassa-events.jsonl yookassa-orders.jsonl
	run -0 jq -r 'select(.line == 7) | .errors[0] | "\(.code): \(.message)"' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output "bad_amount: amount '12.345' has more decimals than the currency"
}

@test "yookassa: a pretty-printed GET /payments list is read whole" {
	reconcile yookassa-list.json yookassa-orders.jsonl
	assert_success
	assert_equal "$(class RU-5001)" "paid - 249000"
	run -0 report orphan '[.transaction_id, .order_ref]'
	assert_output '["2d8e1f3a-000f-5000-9000-1a2b3c4d0007","RU-5007"]'
}

@test "paypal activity: \"1,234.56\", a refund by Reference Txn ID, funding rows no orphans" {
	reconcile paypal-activity.csv paypal-orders.jsonl
	assert_success
	assert_equal "$(class PP-6001)" "paid - 123456"
	assert_equal "$(class PP-6002)" "refunded refunded 0"
	assert_equal "$(class PP-6003)" "pending pending 0"
	assert_equal "$(class PP-6004)" "paid - 1999"
	run -0 report orphan
	assert_output ''
	run -0 jq -c 'select(.line) | [.line, .errors[0].code]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output '[10,"bad_amount"]'
}

@test "paypal activity in German: decimal commas \"1.234,56\" and a Rückzahlung" {
	reconcile paypal-activity-de.csv paypal-de-orders.jsonl
	assert_success
	assert_equal "$(class DE-7001)" "paid - 123456"
	assert_equal "$(class DE-7002)" "partially_refunded partially_refunded 4000"
	run -0 jq -c 'select(.id == "DE-7001") | .payment.fees' <<<"$output"
	assert_output 2376
}

@test "paypal transaction search: T0006 paid, T1107 refund, T0400 ignored" {
	reconcile paypal-search.json paypal-search-orders.jsonl
	assert_success
	assert_equal "$(class PP-6101)" "partially_refunded partially_refunded 40000"
	assert_equal "$(class PP-6102)" "pending pending 0"
	run -0 report orphan
	assert_output ''
}

@test "paypal webhooks: a capture matched by order id, its refund by the up link" {
	reconcile paypal-webhooks.jsonl paypal-webhook-orders.jsonl
	assert_success
	assert_equal "$(class PP-6201)" "partially_refunded partially_refunded 10000"
}

@test "cloudpayments: Amount 19.99 as a JSON number is exactly 1999 kopecks" {
	reconcile cloudpayments.jsonl cloudpayments-orders.jsonl
	assert_success
	assert_equal "$(class CP-8001)" "paid - 123456"
	assert_equal "$(class CP-8002)" "paid - 1999"
	assert_equal "$(class CP-8003)" "pending pending 0"
	assert_equal "$(class CP-8004)" "unpaid unpaid 0"
	assert_equal "$(class CP-8005)" "refunded refunded 0"
	assert_equal "$(class CP-8006)" "paid - 700000"
}

@test "generic: a bank registry through a map, semicolons and decimal commas" {
	reconcile registry.csv registry-orders.jsonl \
	    --map "$MAPS/pay-acquiring-registry.map"
	assert_success
	assert_equal "$(class G-9001)" "paid - 123450"
	assert_equal "$(class G-9002)" "partially_refunded partially_refunded 1250000"
	assert_equal "$(class G-9003)" "unpaid unpaid 0"
	run -0 jq -c 'select(.line) | [.line, .errors[0].code]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output '[6,"bad_amount"]
[7,"bad_currency"]'
}

@test "generic: --map NAME is a map installed under that name" {
	mkdir -p "$BATS_TEST_TMPDIR/share/maps"
	cp "$MAPS/pay-acquiring-registry.map" "$BATS_TEST_TMPDIR/share/maps/"
	export ORDERKIT_DATADIR="$BATS_TEST_TMPDIR/share"
	reconcile registry.csv registry-orders.jsonl \
	    --map pay-acquiring-registry
	assert_success
	assert_equal "$(class G-9001)" "paid - 123450"
	run -66 --separate-stderr pay-reconcile --map pay-registry \
	    --payments "$FIXTURES/registry.csv" "$FIXTURES/registry-orders.jsonl"
	assert_output ''
	assert_stderr --partial "pay-reconcile: cannot open 'pay-registry': no such file, nor one of that name in '$BATS_TEST_TMPDIR/share/maps', "
}

@test "generic: a map's settings read alike as 'key = value' and as order-import's maps wrote them" {
	sed -e 's/^time_zone = /zone /' -e 's/^\(provider\|delimiter\) = /\1 /' \
	    "$MAPS/pay-acquiring-registry.map" >"$BATS_TEST_TMPDIR/old.map"
	run -0 grep -c -e '^zone +03:00$' -e '^delimiter ;$' "$BATS_TEST_TMPDIR/old.map"
	assert_output 2
	reconcile registry.csv registry-orders.jsonl \
	    --map "$MAPS/pay-acquiring-registry.map"
	mv "$BATS_TEST_TMPDIR/report.jsonl" "$BATS_TEST_TMPDIR/new.report"
	want=$output
	rm -f "$ORDERKIT_DB" "$BATS_TEST_TMPDIR/rejects.jsonl"
	reconcile registry.csv registry-orders.jsonl --map "$BATS_TEST_TMPDIR/old.map"
	assert_output "$want"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/report.jsonl")" \
	    "$(cat "$BATS_TEST_TMPDIR/new.report")"
	assert_equal "$(class G-9001)" "paid - 123450"
}

@test "generic: a map line it cannot read is 78, named by file and line" {
	while IFS='|' read -r line want; do
		printf 'id = ID\namount = Sum\ncurrency = Cur\n%s\n' "$line" \
		    >"$BATS_TEST_TMPDIR/bad.map"
		run -78 --separate-stderr pay-reconcile --payments \
		    "$FIXTURES/registry.csv" --map "$BATS_TEST_TMPDIR/bad.map" </dev/null
		assert_output ''
		assert_stderr "pay-reconcile: $BATS_TEST_TMPDIR/bad.map:4: $want"
	done <<'EOF'
delimiter = ;;|bad delimiter ';;'
time_zone = Europe/Berlin|unknown zone 'Europe/Berlin' (use +HH:MM)
fee Комиссия|no '=' after the column key 'fee'
fee += Комиссия|'fee' takes '=', not '+='
colour = Цвет|unknown key 'colour'
provider =|no value after 'provider'
amount_unit = cents|amount_unit 'cents' is not major or minor
EOF
}

@test "generic: a map that lacks the amount is a configuration error, 78" {
	printf 'id = ID\ncurrency = Cur\n' >"$BATS_TEST_TMPDIR/bad.map"
	run -78 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/registry.csv" --map "$BATS_TEST_TMPDIR/bad.map" </dev/null
	assert_stderr --partial "lacks id, amount"
}

@test "mixed currencies and providers in one run: each order in its own" {
	run -0 --separate-stderr pay-reconcile --now "$NOW" \
	    --payments "$FIXTURES/stripe-charges.jsonl" \
	    --payments "$FIXTURES/yookassa-events.jsonl" \
	    --payments "$FIXTURES/cloudpayments.jsonl" \
	    --rejects "$BATS_TEST_TMPDIR/rejects.jsonl" \
	    --report "$BATS_TEST_TMPDIR/report.jsonl" \
	    "$FIXTURES/stripe-orders.jsonl" "$FIXTURES/yookassa-orders.jsonl" \
	    "$FIXTURES/cloudpayments-orders.jsonl"
	assert_success
	assert_equal "$(class SHOP-1001)" "paid - 12000"
	assert_equal "$(class RU-5001)" "paid - 249000"
	assert_equal "$(class CP-8002)" "paid - 1999"
	run -0 report summary '[.currency, .day, .gross]'
	assert_output '["EUR","2026-11-20",0]
["RUB","2026-11-20",1624455]
["USD","2026-11-20",63990]'
}

@test "a payment that arrives a day later is matched on the second run" {
	printf '' >"$BATS_TEST_TMPDIR/day1.jsonl"
	grep SHOP-1001 "$FIXTURES/stripe-orders.jsonl" >"$BATS_TEST_TMPDIR/o.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/day1.jsonl" --rejects "$BATS_TEST_TMPDIR/r1" \
	    "$BATS_TEST_TMPDIR/o.jsonl"
	assert_output ''
	run -0 jq -r '.errors[0].code' "$BATS_TEST_TMPDIR/r1"
	assert_output unpaid
	grep ch_3QK1001 "$FIXTURES/stripe-charges.jsonl" >"$BATS_TEST_TMPDIR/day2.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/day2.jsonl" --rejects "$BATS_TEST_TMPDIR/r2" \
	    "$BATS_TEST_TMPDIR/o.jsonl"
	run -0 jq -r '.payment.status' <<<"$output"
	assert_output paid
}

@test "a payment seen before its order is kept, and matched when the order comes" {
	run -0 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/stripe-charges.jsonl" --rejects /dev/null \
	    --report "$BATS_TEST_TMPDIR/rep1" </dev/null
	run -0 jq -r 'select(.type == "orphan") | .order_ref' "$BATS_TEST_TMPDIR/rep1"
	assert_output --partial SHOP-1001
	printf '' >"$BATS_TEST_TMPDIR/none.jsonl"
	grep SHOP-1001 "$FIXTURES/stripe-orders.jsonl" >"$BATS_TEST_TMPDIR/o.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/none.jsonl" --report "$BATS_TEST_TMPDIR/rep2" \
	    "$BATS_TEST_TMPDIR/o.jsonl"
	run -0 jq -r '.payment.status' <<<"$output"
	assert_output paid
	run -0 jq -c 'select(.type == "summary") | .transactions' \
	    "$BATS_TEST_TMPDIR/rep2"
	assert_output 0
}

@test "the same report loaded twice counts nothing twice" {
	run -0 --separate-stderr pay-reconcile --stats --payments \
	    "$FIXTURES/stripe-charges.jsonl" --payments \
	    "$FIXTURES/stripe-charges.jsonl" --now "$NOW" --rejects /dev/null \
	    "$FIXTURES/stripe-orders.jsonl"
	assert_output "$(cat "$FIXTURES/stripe-orders.out.jsonl")"
	assert_stderr --partial "30 transactions read, 14 new, 1 orphans, 0 conflicts"
	first=$(sqlite3 "$ORDERKIT_DB" 'SELECT count(*), sum(amount) FROM pay_transactions')
	reconcile stripe-charges.jsonl stripe-orders.jsonl --stats
	assert_output "$(cat "$FIXTURES/stripe-orders.out.jsonl")"
	assert_stderr --partial "15 transactions read, 0 new"
	assert_equal "$(class SHOP-1006)" "duplicate duplicate 8000"
	assert_equal "$(class SHOP-1009)" "partially_refunded partially_refunded 7500"
	assert_equal "$(sqlite3 "$ORDERKIT_DB" \
	    'SELECT count(*), sum(amount) FROM pay_transactions')" "$first"
	assert_equal "$first" "14|73990"
}

@test "the store remembers the order each transaction paid for" {
	reconcile stripe-charges.jsonl stripe-orders.jsonl
	run -0 sqlite3 "$ORDERKIT_DB" "SELECT txn_id, matched_order FROM pay_transactions WHERE provider = 'stripe' AND txn_id LIKE 'ch_3QK1006%' ORDER BY 1"
	assert_output 'ch_3QK1006a|SHOP-1006
ch_3QK1006b|SHOP-1006'
}

# stripe_days DIR: a charge for SHOP-1001 on day 1, its partial refund (which
# names only the charge) on day 2, and an empty report on day 3.
stripe_days() {
	printf '%s\n' '{"id":"ch_late1","object":"charge","amount":12000,"amount_captured":12000,"captured":true,"currency":"usd","metadata":{"order_id":"SHOP-1001"},"paid":true,"status":"succeeded","created":1763629200}' >"$1/day1.jsonl"
	printf '%s\n' '{"id":"re_late1","object":"refund","amount":2000,"charge":"ch_late1","currency":"usd","status":"succeeded","created":1763715600}' >"$1/day2.jsonl"
	printf '' >"$1/day3.jsonl"
	grep '"SHOP-1001"' "$FIXTURES/stripe-orders.jsonl" >"$1/order.jsonl"
}

@test "the store is read by what the run names: a charge's refund days later, and both again" {
	stripe_days "$BATS_TEST_TMPDIR"
	# unrelated history, which the run must not need
	for i in $(seq 1 3000); do
		printf '{"id":"ch_old%d","object":"charge","amount":100,"captured":true,"currency":"usd","metadata":{"order_id":"OLD-%d"},"paid":true,"status":"succeeded","created":1700000000}\n' "$i" "$i"
	done >"$BATS_TEST_TMPDIR/old.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/old.jsonl" --rejects /dev/null </dev/null
	assert_output ''
	assert_stderr ''
	for day in day1 day2 day3; do
		run -0 --separate-stderr pay-reconcile --payments \
		    "$BATS_TEST_TMPDIR/$day.jsonl" --now "$NOW" \
		    --report "$BATS_TEST_TMPDIR/$day.report" \
		    --rejects "$BATS_TEST_TMPDIR/$day.rejects" \
		    "$BATS_TEST_TMPDIR/order.jsonl"
	done
	run -0 jq -c '.payment | [.status, .paid, .transactions]' \
	    "$BATS_TEST_TMPDIR/day1.rejects"
	assert_output ''
	run -0 jq -c '.payment | [.status, .paid, .transactions]' \
	    "$BATS_TEST_TMPDIR/day2.rejects" "$BATS_TEST_TMPDIR/day3.rejects"
	assert_output '["partially_refunded",10000,["ch_late1","re_late1"]]
["partially_refunded",10000,["ch_late1","re_late1"]]'
	run -1 grep -c '"type":"orphan"' "$BATS_TEST_TMPDIR/day2.report"
	assert_output 0
	run -0 sqlite3 "$ORDERKIT_DB" "SELECT count(*), count(matched_order) FROM pay_transactions"
	assert_output '3002|2'
}

@test "a refund seen before its charge: an orphan, then counted with it" {
	stripe_days "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/day2.jsonl" --report "$BATS_TEST_TMPDIR/r1" \
	    </dev/null
	run -0 jq -c 'select(.type == "orphan") | .transaction_id' \
	    "$BATS_TEST_TMPDIR/r1"
	assert_output '"re_late1"'
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/day1.jsonl" --rejects \
	    "$BATS_TEST_TMPDIR/rejects.jsonl" "$BATS_TEST_TMPDIR/order.jsonl"
	assert_equal "$(jq -c '.payment | [.status, .refunded]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl")" '["partially_refunded",2000]'
}

t_batches() {
	for i in $(seq 1 2500); do
		printf '{"id":"ch_b%d","object":"charge","amount":%d,"captured":true,"currency":"usd","metadata":{"order_id":"B-%d"},"paid":true,"status":"succeeded","created":1763629200}\n' "$i" "$i" "$i"
		printf '{"id":"B-%d","currency":"USD","payment":{"method":"card"},"totals":{"total":%d}}\n' "$i" "$i" >&3
	done >"$BATS_TEST_TMPDIR/p.jsonl" 3>"$BATS_TEST_TMPDIR/o.jsonl"
	use_backend "$1"
	run -0 --separate-stderr pay-reconcile --stats \
	    --payments "$BATS_TEST_TMPDIR/p.jsonl" \
	    --rejects /dev/null "$BATS_TEST_TMPDIR/o.jsonl"
	assert_equal "${#lines[@]}" 2500
	assert_stderr --partial "; 2500 transactions read, 2500 new, 0 orphans, 0 conflicts"
	run -0 --separate-stderr pay-reconcile --stats \
	    --payments "$BATS_TEST_TMPDIR/p.jsonl" \
	    --rejects /dev/null "$BATS_TEST_TMPDIR/o.jsonl"
	assert_equal "${#lines[@]}" 2500
	assert_stderr --partial "; 2500 transactions read, 0 new, 0 orphans, 0 conflicts"
	run -0 sql "SELECT count(*), count(matched_order), sum(amount) FROM pay_transactions"
	assert_output '2500|2500|3126250'
}
@test "sqlite: thousands of transactions are saved in batches" { t_batches sqlite; }
@test "postgres: thousands of transactions are saved in batches" { t_batches postgres; }

@test "a transaction reported again with another amount is a conflict; the first counts" {
	reconcile stripe-charges.jsonl stripe-orders.jsonl
	sed 's/"amount":12000,"amount_captured":12000/"amount":11000,"amount_captured":11000/' \
	    "$FIXTURES/stripe-charges.jsonl" >"$BATS_TEST_TMPDIR/changed.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/changed.jsonl" --rejects /dev/null \
	    --report "$BATS_TEST_TMPDIR/report.jsonl" \
	    "$FIXTURES/stripe-orders.jsonl"
	run -0 report conflict '.transaction_id'
	assert_output '"ch_3QK1001"'
}

@test "risk: card and IP country against the shipping country" {
	reconcile cloudpayments.jsonl cloudpayments-orders.jsonl
	run -0 jq -c 'select(.id == "CP-8006") | .risk' <<<"$output"
	assert_output '{"score":60,"reasons":["card_country_mismatch","ip_country_mismatch"]}'
}

@test "risk: --hold-risk sends a paid order at or above it to the rejects" {
	reconcile cloudpayments.jsonl cloudpayments-orders.jsonl --hold-risk 60
	assert_equal "$(class CP-8006)" "paid risk_hold 700000"
	rm "$BATS_TEST_TMPDIR/rejects.jsonl"
	reconcile cloudpayments.jsonl cloudpayments-orders.jsonl --hold-risk 61
	assert_equal "$(class CP-8006)" "paid - 700000"
}

@test "risk: three orders from one e-mail in a day, and an amount far above usual" {
	for i in $(seq 1 21); do
		printf '{"id":"V-%d","created_at":"2026-11-20T%02d:00:00+03:00","currency":"RUB","customer":{"email":"v%d@example.ru"},"payment":{"method":"cod"},"totals":{"total":100000}}\n' "$i" "$i" "$i"
	done >"$BATS_TEST_TMPDIR/o.jsonl"
	for i in 1 2 3; do
		printf '{"id":"W-%d","created_at":"2026-11-21T1%d:00:00+03:00","currency":"RUB","customer":{"email":"Same@Example.ru"},"payment":{"method":"cod"},"totals":{"total":%d}}\n' "$i" "$i" "$((i == 3 ? 600000 : 100000))"
	done >>"$BATS_TEST_TMPDIR/o.jsonl"
	printf '' >"$BATS_TEST_TMPDIR/none.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/none.jsonl" "$BATS_TEST_TMPDIR/o.jsonl"
	run -0 jq -c 'select(.id | startswith("W")) | [.id, .risk.reasons]' <<<"$output"
	assert_output '["W-1",[]]
["W-2",[]]
["W-3",["email_velocity","high_amount"]]'
}

@test "risk: an amount so far above usual that its product with the count overflows is high_amount" {
	for i in $(seq 1 20); do
		printf '{"id":"V-%d","created_at":"2026-11-20T%02d:00:00+03:00","currency":"RUB","payment":{"method":"cod"},"totals":{"total":100000}}\n' "$i" "$i"
	done >"$BATS_TEST_TMPDIR/o.jsonl"
	# 20 x 500000000000000000 is beyond int64_t; the totals' sum is not,
	# until INT64_MAX comes, which still counts in the mean
	for t in 500000000000000000 100000 9223372036854775807 300000000000000000; do
		printf '{"id":"H-%s","created_at":"2026-11-21T10:00:00+03:00","currency":"RUB","payment":{"method":"cod"},"totals":{"total":%s}}\n' "$t" "$t"
	done >>"$BATS_TEST_TMPDIR/o.jsonl"
	printf '' >"$BATS_TEST_TMPDIR/none.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/none.jsonl" "$BATS_TEST_TMPDIR/o.jsonl"
	assert_stderr ''
	run -0 jq -c 'select(.id | startswith("H")) | [.id, .risk.reasons]' <<<"$output"
	assert_output '["H-500000000000000000",["high_amount"]]
["H-100000",[]]
["H-9223372036854775807",["high_amount"]]
["H-300000000000000000",[]]'
}

@test "an order without a total or with a bad currency is rejected, the run goes on" {
	printf '%s\n' '{"id":"X-1","currency":"RUB"}' \
	    '{"id":"X-2","currency":"ZZZ","totals":{"total":100}}' \
	    '{"id":"X-3","currency":"RUB","totals":{"total":1.5}}' \
	    '{"id":"X-4","currency":"RUB","payment":{"method":"cod"},"totals":{"total":100}}' \
	    >"$BATS_TEST_TMPDIR/o.jsonl"
	printf '' >"$BATS_TEST_TMPDIR/none.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/none.jsonl" --rejects "$BATS_TEST_TMPDIR/r" \
	    "$BATS_TEST_TMPDIR/o.jsonl"
	run -0 jq -r '.status' <<<"$output"
	assert_output cod
	run -0 jq -c '[.id, [.errors[].code]]' "$BATS_TEST_TMPDIR/r"
	assert_output '["X-1",["missing_field"]]
["X-2",["bad_currency"]]
["X-3",["bad_amount"]]'
}

# NUMBERS: JSON numbers as a marketplace may write them, each of a form
# that a double or an int64 would change.
NUMBERS='{"n":[1.23456789012345678,1e-7,100.50,-0,12345678901234567890,-12345678901234567890,99999999999999999999999999999999,1E400,-1E400,1e-400,9223372036854775808,-9223372036854775809,9223372036854775807,-9223372036854775808,1.0,0.0,-0.0,1E+2,1e2,2.50e-3],"nested":{"a":[[{"b":-0}]],"marketplace_id":98765432109876543210}}'

@test "numbers under unknown keys pass through as written, paid or rejected" {
	local m=",\"marketplace\":$NUMBERS" a=",\"attrs\":$NUMBERS"
	# SHOP-1001 is paid, SHOP-1002 underpaid; sed, as jq would rewrite
	# the numbers.
	grep -E '"SHOP-100[12]"' "$FIXTURES/stripe-orders.jsonl" |
	    sed -e "s/}}\$/}$m}/" -e "s/\"unit_price\":\([0-9]*\)}/\"unit_price\":\1$a}/" \
	    >"$BATS_TEST_TMPDIR/o.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/stripe-charges.jsonl" --now "$NOW" \
	    --rejects "$BATS_TEST_TMPDIR/r" "$BATS_TEST_TMPDIR/o.jsonl"
	assert_stderr ''
	# What the step did is what it does without them.
	assert_output --partial "$m,\"risk\":"
	assert_output --partial "$a}]"
	output=${output//"$m"/}
	assert_equal "${output//"$a"/}" \
	    "$(grep '"SHOP-1001"' "$FIXTURES/stripe-orders.out.jsonl")"
	# The payments file's broken lines are rejects too: the order's only.
	run -0 jq -r 'select(.id) | [.id, .errors[0].code] | join(" ")' \
	    "$BATS_TEST_TMPDIR/r"
	assert_output 'SHOP-1002 underpaid'
	run -0 grep -F '"SHOP-1002"' "$BATS_TEST_TMPDIR/r"
	assert_output --partial "$m,"
	assert_output --partial "$a}]"
}

@test "broken inputs: no crash, every line in one of the two streams" {
	load test_helper/broken
	printf '' >"$BATS_TEST_TMPDIR/none.jsonl"
	broken_lines pay-reconcile --payments "$BATS_TEST_TMPDIR/none.jsonl"
}

@test "broken inputs as --payments: each line a transaction or a reject, or the file 65" {
	local f want rows
	load test_helper/broken
	broken_all
	# file, exit status, rejects ("-": no known report, nothing read).
	# array.jsonl's [] holds no transaction; its other line, one.
	# crlf-bom.jsonl holds orders and no transaction: 65.
	while read -r f want rows; do
		rm -f "$BATS_TEST_TMPDIR/r"
		run "-$want" --separate-stderr pay-reconcile --stats \
		    --payments "$BROKEN/$f" --rejects "$BATS_TEST_TMPDIR/r" \
		    --report /dev/null </dev/null
		assert_output ''
		if [[ $want == 65 && $rows != - ]]; then
			assert_stderr "pay-reconcile: '$BROKEN/$f' holds orders, not payment transactions: give orders as operands and the provider's report as --payments"
		elif [[ $rows == - ]]; then
			assert_stderr "pay-reconcile: '$BROKEN/$f' is no payment report known (Stripe balance or payments, PayPal activity, Amazon settlement, Shopify Payments, eBay or Etsy payments); name a map with --map"
			rows=0
		else
			assert_stderr --partial '; 0 transactions read, 0 new, 0 orphans'
		fi
		assert_equal "$f: $(count_lines "$BATS_TEST_TMPDIR/r") rejected" \
		    "$f: $rows rejected"
		broken_codes "$BATS_TEST_TMPDIR/r"
	done <<-EOF
	array.jsonl 0 1
	bad-utf8.jsonl 0 3
	crlf-bom.jsonl 65 2
	empty.jsonl 0 0
	not-json.jsonl 65 -
	nul-byte.jsonl 0 2
	number.jsonl 65 -
	EOF
}

@test "the same results under a distant time zone" {
	reconcile stripe-charges.jsonl stripe-orders.jsonl
	cp "$BATS_TEST_TMPDIR/report.jsonl" "$BATS_TEST_TMPDIR/utc.jsonl"
	rm -f "$ORDERKIT_DB"*
	TZ=Pacific/Kiritimati reconcile stripe-charges.jsonl stripe-orders.jsonl
	assert_output "$(cat "$FIXTURES/stripe-orders.out.jsonl")"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/report.jsonl")" \
	    "$(cat "$BATS_TEST_TMPDIR/utc.jsonl")"
}

@test "--strict makes rejects exit 65" {
	reconcile -65 stripe-charges.jsonl stripe-orders.jsonl --strict
}

@test "postgres: a late payment and a report loaded twice, as on SQLite" {
	use_backend postgres
	grep SHOP-1001 "$FIXTURES/stripe-orders.jsonl" >"$BATS_TEST_TMPDIR/o.jsonl"
	printf '' >"$BATS_TEST_TMPDIR/none.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/none.jsonl" --rejects /dev/null \
	    "$BATS_TEST_TMPDIR/o.jsonl"
	assert_output ''
	reconcile stripe-charges.jsonl stripe-orders.jsonl --stats
	assert_stderr --partial "15 transactions read, 14 new"
	rm "$BATS_TEST_TMPDIR/rejects.jsonl"
	reconcile stripe-charges.jsonl stripe-orders.jsonl --stats
	assert_output "$(cat "$FIXTURES/stripe-orders.out.jsonl")"
	assert_stderr --partial "15 transactions read, 0 new"
	assert_equal "$(class SHOP-1006)" "duplicate duplicate 8000"
}

# --- a transaction belongs to one order ------------------------------------

# taken_files: ch_1, 100.00 USD for P-1 by its metadata, intent pi_1; ch_2
# with no order named, intent pi_2.  Orders: Z-7 quoting ch_1 comes before
# P-1; A-1 quotes pi_2 before A-2 quotes ch_2.
taken_files() {
	printf '%s\n' '{"id":"ch_1","object":"charge","amount":10000,"amount_captured":10000,"captured":true,"currency":"usd","metadata":{"order_id":"P-1"},"paid":true,"payment_intent":"pi_1","status":"succeeded","created":1763629200}' \
	    '{"id":"ch_2","object":"charge","amount":5000,"amount_captured":5000,"captured":true,"currency":"usd","metadata":{},"paid":true,"payment_intent":"pi_2","status":"succeeded","created":1763629200}' \
	    >"$BATS_TEST_TMPDIR/p.jsonl"
	{
		order_of Z-7 10000 card ch_1
		order_of P-1 10000
		order_of A-1 5000 card pi_2
		order_of A-2 5000 card ch_2
	} >"$BATS_TEST_TMPDIR/o.jsonl"
	printf '' >"$BATS_TEST_TMPDIR/none.jsonl"
}

# taken ID: the second error of order ID in the rejects, and the order's
# transactions.
taken() {
	jq -c --arg id "$1" 'select(.id == $id) | [.errors[1], .payment.transactions]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
}

t_taken() {
	use_backend "$1"
	taken_files
	for pass in 1 2; do
		rm -f "$BATS_TEST_TMPDIR/rejects.jsonl"
		reconcile_tmp p.jsonl o.jsonl
		assert_equal "$(class P-1)" "paid - 10000"
		assert_equal "$(class Z-7)" "unpaid unpaid 0"
		assert_equal "$(taken Z-7)" '[{"code":"transaction_taken","field":"payment.transaction_id","message":"transaction '"'ch_1'"' belongs to order '"'P-1'"', which the provider names"},[]]'
		assert_equal "$(class A-1)" "paid - 5000"
		assert_equal "$(class A-2)" "unpaid unpaid 0"
		assert_equal "$(taken A-2)" '[{"code":"transaction_taken","field":"payment.transaction_id","message":"transaction '"'ch_2'"' belongs to order '"'A-1'"', which claimed it first"},[]]'
		run -0 sql "SELECT txn_id, matched_order FROM pay_transactions ORDER BY 1"
		assert_output 'ch_1|P-1
ch_2|A-1'
	done
	# the next day, the same charge under its payment intent
	order_of Q-9 10000 card pi_1 >"$BATS_TEST_TMPDIR/q.jsonl"
	rm -f "$BATS_TEST_TMPDIR/rejects.jsonl"
	reconcile_tmp none.jsonl q.jsonl
	assert_equal "$(class Q-9)" "unpaid unpaid 0"
	assert_equal "$(taken Q-9)" '[{"code":"transaction_taken","field":"payment.transaction_id","message":"transaction '"'ch_1'"' belongs to order '"'P-1'"', which the provider names"},[]]'
	# and each order alone, in the order that lost first
	grep -e '"A-2"' -e '"P-1"' "$BATS_TEST_TMPDIR/o.jsonl" >"$BATS_TEST_TMPDIR/o2.jsonl"
	rm -f "$BATS_TEST_TMPDIR/rejects.jsonl"
	reconcile_tmp none.jsonl o2.jsonl
	assert_equal "$(class A-2)" "unpaid unpaid 0"
	assert_equal "$(class P-1)" "paid - 10000"
	run -0 sql "SELECT txn_id, matched_order FROM pay_transactions ORDER BY 1"
	assert_output 'ch_1|P-1
ch_2|A-1'
}
@test "sqlite: a transaction pays one order: a second that claims it is transaction_taken, today and later" { t_taken sqlite; }
@test "postgres: a transaction pays one order: a second that claims it is transaction_taken, today and later" { t_taken postgres; }

t_taken_paid() {
	use_backend "$1"
	taken_files
	# Z-7 has a charge of its own as well; P-1's charge is refunded in
	# part; so is A-1's, by a refund that names A-2
	printf '%s\n' '{"id":"ch_7","object":"charge","amount":10000,"captured":true,"currency":"usd","metadata":{"order_id":"Z-7"},"paid":true,"status":"succeeded","created":1763629200}' \
	    '{"id":"re_1","object":"refund","amount":1000,"charge":"ch_1","currency":"usd","status":"succeeded","created":1763629300}' \
	    '{"id":"re_2","object":"refund","amount":500,"charge":"ch_2","currency":"usd","metadata":{"order_id":"A-2"},"status":"succeeded","created":1763629300}' \
	    >>"$BATS_TEST_TMPDIR/p.jsonl"
	order_of Z-8 9000 card re_1 >>"$BATS_TEST_TMPDIR/o.jsonl"
	reconcile_tmp p.jsonl o.jsonl
	assert_equal "$(class Z-7)" "paid transaction_taken 10000"
	assert_equal "$(class P-1)" "partially_refunded partially_refunded 9000"
	assert_equal "$(class Z-8)" "unpaid unpaid 0"
	run -0 jq -c 'select(.id == "Z-8") | .errors[1].message' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output '"transaction '"'re_1'"' belongs to order '"'P-1'"', which the provider names"'
	assert_equal "$(class A-1)" "partially_refunded partially_refunded 4500"
	run -0 jq -c 'select(.id == "A-2") | [.payment.status, [.errors[] | [.code, .field]]]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output '["unpaid",[["unpaid","payment"],["transaction_taken","payment"],["transaction_taken","payment.transaction_id"]]]'
	run -0 report summary '.orders | [.paid, .partially_refunded, .unpaid]'
	assert_output '[1,2,2]'
	run -0 sql "SELECT txn_id, matched_order FROM pay_transactions ORDER BY 1"
	assert_output 'ch_1|P-1
ch_2|A-1
ch_7|Z-7
re_1|P-1
re_2|A-1'
}
@test "sqlite: an order paid by its own charge that also claims another's is rejected" { t_taken_paid sqlite; }
@test "postgres: an order paid by its own charge that also claims another's is rejected" { t_taken_paid postgres; }

t_taken_migrated() {
	use_backend --none "$1"
	run -0 sql "$(cat "$FIXTURES/store-v2.sql")"
	taken_files
	order_of Q-9 10000 card pi_1 >"$BATS_TEST_TMPDIR/q.jsonl"
	grep '"P-1"' "$BATS_TEST_TMPDIR/o.jsonl" >>"$BATS_TEST_TMPDIR/q.jsonl"
	reconcile_tmp none.jsonl q.jsonl
	assert_equal "$(class P-1)" "paid - 10000"
	assert_equal "$(class Q-9)" "unpaid unpaid 0"
	run -0 sql "SELECT component, version FROM schema_version"
	assert_output 'payments|4'
	run -0 sql "SELECT txn_id, matched_order FROM pay_transactions ORDER BY 1"
	assert_output 'ch_1|P-1
ch_9|A-9'
}
@test "sqlite: a store made before transactions were held is mended by a new migration" { t_taken_migrated sqlite; }
@test "postgres: a store made before transactions were held is mended by a new migration" { t_taken_migrated postgres; }

# --- sums that do not fit in int64_t ----------------------------------------

MAX=9223372036854775807		# INT64_MAX: 92233720368547758.07 USD

# charges FILE ORDER AMOUNT...: a captured Stripe charge for ORDER of each
# AMOUNT (minor units), ids ch_ORDER_1, ch_ORDER_2, ...
charges() {
	local file=$1 order=$2 i=0 amount
	shift 2
	for amount in "$@"; do
		i=$((i + 1))
		printf '{"id":"ch_%s_%d","object":"charge","amount":%s,"captured":true,"currency":"usd","metadata":{"order_id":"%s"},"paid":true,"status":"succeeded","created":1763629200}\n' \
		    "$order" "$i" "$amount" "$order"
	done >>"$file"
}

# order_of ID TOTAL [METHOD [TRANSACTION_ID]]: an order record in USD
# (printf, not jq: jq 1.6 rounds integers beyond 2^53).
order_of() {
	printf '{"id":"%s","currency":"USD","created_at":"2025-11-20T10:00:00Z","payment":{"method":"%s"%s},"totals":{"total":%s}}\n' \
	    "$1" "${3:-card}" "${4:+,\"transaction_id\":\"$4\"}" "$2"
}

t_overflow_captures() {
	use_backend "$1"
	charges "$BATS_TEST_TMPDIR/p.jsonl" O-1 "$MAX" "$MAX"
	order_of O-1 "$MAX" >"$BATS_TEST_TMPDIR/o.jsonl"
	for pass in 1 2; do
		rm -f "$BATS_TEST_TMPDIR/r"
		run -0 --separate-stderr pay-reconcile --payments \
		    "$BATS_TEST_TMPDIR/p.jsonl" --rejects "$BATS_TEST_TMPDIR/r" \
		    --report "$BATS_TEST_TMPDIR/report.jsonl" --now "$NOW" \
		    "$BATS_TEST_TMPDIR/o.jsonl"
		assert_output ''
		run -0 jq -c '[.payment, .errors]' "$BATS_TEST_TMPDIR/r"
		assert_output '[{"method":"card","status":"amount_overflow","transactions":["ch_O-1_2","ch_O-1_1"],"checked_at":"2026-11-21T06:00:00Z"},[{"code":"amount_overflow","field":"payment","message":"the captured charges add up to more than 92233720368547758.07 USD, the most an amount can be"}]]'
		run -0 report mismatch
		assert_output ''
		run -0 report summary '[.gross, .net, .orders.amount_overflow, .orders.underpaid, .errors]'
		assert_output '[null,null,1,0,[{"code":"amount_overflow","field":"gross","message":"the captured charges add up to more than 92233720368547758.07 USD, the most an amount can be"}]]'
	done
}
@test "sqlite: captures that add up beyond int64 are amount_overflow, not saturated" { t_overflow_captures sqlite; }
@test "postgres: captures that add up beyond int64 are amount_overflow, not saturated" { t_overflow_captures postgres; }

@test "refunds of one charge that add up beyond int64 are amount_overflow" {
	charges "$BATS_TEST_TMPDIR/p.jsonl" O-2 100
	for i in 1 2; do
		printf '{"id":"re_O-2_%d","object":"refund","amount":%s,"charge":"ch_O-2_1","currency":"usd","status":"succeeded","created":1763629300}\n' "$i" "$MAX"
	done >>"$BATS_TEST_TMPDIR/p.jsonl"
	order_of O-2 100 >"$BATS_TEST_TMPDIR/o.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/p.jsonl" --rejects "$BATS_TEST_TMPDIR/r" \
	    --report "$BATS_TEST_TMPDIR/report.jsonl" "$BATS_TEST_TMPDIR/o.jsonl"
	run -0 jq -c '[.payment.status, .payment.paid, .errors[].message]' \
	    "$BATS_TEST_TMPDIR/r"
	assert_output '["amount_overflow",null,"the refunds add up to more than 92233720368547758.07 USD, the most an amount can be"]'
	run -0 report summary '[.gross, .refunds, .net, [.errors[].field]]'
	assert_output '[100,null,null,["refunds"]]'
}

@test "fees that add up beyond int64 make the summary's fees and net null" {
	for i in 1 2; do
		printf '{"id":"ch_f%d","object":"charge","amount":100,"captured":true,"currency":"usd","paid":true,"status":"succeeded","created":1763629200,"balance_transaction":{"fee":%s}}\n' "$i" "$MAX"
	done >"$BATS_TEST_TMPDIR/p.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/p.jsonl" --report "$BATS_TEST_TMPDIR/report.jsonl" \
	    </dev/null
	run -0 report summary '[.gross, .fees, .net, [.errors[].field]]'
	assert_output '[200,null,null,["fees"]]'
}

@test "a net that does not fit is null in the summary, with amount_overflow" {
	printf '{"id":"ch_n1","object":"charge","amount":0,"captured":true,"currency":"usd","paid":true,"status":"succeeded","created":1763629200,"balance_transaction":{"fee":%s}}\n' "$MAX" >"$BATS_TEST_TMPDIR/p.jsonl"
	printf '{"id":"re_n1","object":"refund","amount":%s,"currency":"usd","status":"succeeded","created":1763629200}\n' "$MAX" >>"$BATS_TEST_TMPDIR/p.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/p.jsonl" --report "$BATS_TEST_TMPDIR/report.jsonl" \
	    </dev/null
	run -0 grep -o '"gross":.*"net":[^,]*' "$BATS_TEST_TMPDIR/report.jsonl"
	assert_output '"gross":0,"fees":9223372036854775807,"refunds":9223372036854775807,"net":null'
	run -0 report summary '[.errors[] | [.code, .field]]'
	assert_output '[["amount_overflow","net"]]'
}

@test "a negative amount that has no positive twin is amount_overflow, and the run goes on" {
	printf '%s\n' 'balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,source_id,description' \
	    'txn_1,2026-11-20 10:00:00,usd,-92233720368547758.08,0.00,0,refund,re_min,x' \
	    'txn_2,2026-11-20 10:00:00,usd,-1.00,-92233720368547758.08,0,refund,re_minfee,x' \
	    'txn_3,2026-11-20 10:00:00,usd,-1.00,0.00,-1.00,refund,re_ok,x' \
	    >"$BATS_TEST_TMPDIR/b.csv"
	run -0 --separate-stderr pay-reconcile --payments "$BATS_TEST_TMPDIR/b.csv" \
	    --rejects "$BATS_TEST_TMPDIR/r" --report "$BATS_TEST_TMPDIR/report.jsonl" \
	    </dev/null
	run -0 jq -c '[.line, .errors[0].code, .errors[0].message]' "$BATS_TEST_TMPDIR/r"
	assert_output '[2,"amount_overflow","gross -92233720368547758.08 USD has no positive amount that fits"]
[3,"amount_overflow","fee -92233720368547758.08 USD has no positive amount that fits"]'
	run -0 report orphan '.transaction_id'
	assert_output '"re_ok"'
}

@test "generic, minor units: a fee or refund beyond int64 is bad_amount, not the largest amount" {
	printf '%s\n' 'provider = bank' 'id = id' 'amount = amount' 'fee = fee' \
	    'refunded = refunded' 'currency = currency' 'amount_unit = minor' \
	    >"$BATS_TEST_TMPDIR/m.map"
	printf '%s\n' 'id,amount,fee,refunded,currency' 'B-1,100,99999999999999999999,0,USD' \
	    'B-2,100,1,99999999999999999999,USD' 'B-3,100,1x,0,USD' 'B-4,100,25,0,USD' \
	    >"$BATS_TEST_TMPDIR/b.csv"
	run -0 --separate-stderr pay-reconcile --map "$BATS_TEST_TMPDIR/m.map" \
	    --payments "$BATS_TEST_TMPDIR/b.csv" --rejects "$BATS_TEST_TMPDIR/r" \
	    --report "$BATS_TEST_TMPDIR/report.jsonl" </dev/null
	run -0 jq -c '[.line, .errors[0].code, .errors[0].message]' "$BATS_TEST_TMPDIR/r"
	assert_output '[2,"bad_amount","fee '"'99999999999999999999'"' is not a whole number of minor units"]
[3,"bad_amount","refunded '"'99999999999999999999'"' is not a whole number of minor units"]
[4,"bad_amount","fee '"'1x'"' is not a whole number of minor units"]'
	run -0 report summary '[.transactions, .gross, .fees]'
	assert_output '[1,100,25]'
}

@test "generic: a currency's sign or code beside an amount is read as order-import reads it" {
	printf '%s\n' 'provider = bank' 'id = id' 'amount = amount' \
	    'currency = currency' >"$BATS_TEST_TMPDIR/m.map"
	printf '%s\n' 'id,amount,currency' 'M-1,"US$1,234.56",USD' \
	    'M-2,-£3.50,GBP' 'M-3,12.00usd,USD' 'M-4,"12 руб.",RUB' \
	    'M-5,Rs.12,INR' 'M-6,Apt 3,USD' 'M-7,1$2,USD' 'M-8,(12.00),USD' \
	    >"$BATS_TEST_TMPDIR/b.csv"
	run -0 --separate-stderr pay-reconcile --map "$BATS_TEST_TMPDIR/m.map" \
	    --payments "$BATS_TEST_TMPDIR/b.csv" --rejects "$BATS_TEST_TMPDIR/r" \
	    --report "$BATS_TEST_TMPDIR/report.jsonl" </dev/null
	assert_stderr ''
	run -0 jq -c '[.line, .errors[0].code]' "$BATS_TEST_TMPDIR/r"
	assert_output '[7,"bad_amount"]
[8,"bad_amount"]
[9,"bad_amount"]'
	run -0 jq -c 'select(.type == "orphan") | [.transaction_id, .kind, .amount, .currency]' \
	    "$BATS_TEST_TMPDIR/report.jsonl"
	assert_output '["M-1","charge",123456,"USD"]
["M-2","refund",350,"GBP"]
["M-3","charge",1200,"USD"]
["M-4","charge",1200,"RUB"]
["M-5","charge",1200,"INR"]'
}

@test "a fee of amount minus income that does not fit is amount_overflow" {
	printf '%s\n' '{"id":"yk-over","status":"succeeded","paid":true,"amount":{"value":"92233720368547758.07","currency":"RUB"},"income_amount":{"value":"-1.00","currency":"RUB"},"created_at":"2026-11-20T10:00:00Z"}' \
	    >"$BATS_TEST_TMPDIR/y.jsonl"
	run -0 --separate-stderr pay-reconcile --payments "$BATS_TEST_TMPDIR/y.jsonl" \
	    --rejects "$BATS_TEST_TMPDIR/r" </dev/null
	run -0 jq -c '[.line, .errors[0].code]' "$BATS_TEST_TMPDIR/r"
	assert_output '[1,"amount_overflow"]'
}

@test "a negative amount in a format without signs is bad_amount, not a store error" {
	printf '%s\n' '{"id":"yk-neg","status":"succeeded","paid":true,"amount":{"value":"-10.00","currency":"RUB"},"created_at":"2026-11-20T10:00:00Z","metadata":{"order_id":"Y-1"}}' \
	    >"$BATS_TEST_TMPDIR/y.jsonl"
	run -0 --separate-stderr pay-reconcile --payments "$BATS_TEST_TMPDIR/y.jsonl" \
	    --rejects "$BATS_TEST_TMPDIR/r" </dev/null
	assert_stderr ''
	run -0 jq -c '[.line, .errors[0].code, .errors[0].message]' "$BATS_TEST_TMPDIR/r"
	assert_output '[1,"bad_amount","amount -10.00 RUB is negative"]'
}

# --- nothing owed --------------------------------------------------------

@test "an order of total 0 paid by card owes nothing: paid, with no transaction" {
	order_of FREE-1 0 >"$BATS_TEST_TMPDIR/o.jsonl"
	order_of FREE-2 0 card ch_nowhere >>"$BATS_TEST_TMPDIR/o.jsonl"
	order_of FREE-3 0 cod >>"$BATS_TEST_TMPDIR/o.jsonl"
	printf '' >"$BATS_TEST_TMPDIR/none.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/none.jsonl" --rejects "$BATS_TEST_TMPDIR/r" \
	    --report "$BATS_TEST_TMPDIR/report.jsonl" --now "$NOW" \
	    "$BATS_TEST_TMPDIR/o.jsonl"
	assert_stderr ''
	run -0 jq -c '[.id, .status, .payment]' <<<"$output"
	assert_output '["FREE-1","paid",{"method":"card","status":"paid","paid":0,"captured":0,"refunded":0,"fees":0,"transactions":[],"checked_at":"2026-11-21T06:00:00Z"}]
["FREE-2","paid",{"method":"card","transaction_id":"ch_nowhere","status":"paid","paid":0,"captured":0,"refunded":0,"fees":0,"transactions":[],"checked_at":"2026-11-21T06:00:00Z"}]
["FREE-3","cod",{"method":"cod","status":"cod","paid":0,"captured":0,"refunded":0,"fees":0,"transactions":[],"checked_at":"2026-11-21T06:00:00Z"}]'
	assert_equal "$(count_lines "$BATS_TEST_TMPDIR/r")" 0
	run -0 report summary '[.transactions, .gross, .orders.paid, .orders.unpaid, .orders.cod]'
	assert_output '[0,0,2,0,1]'
	run -0 report mismatch
	assert_output ''
}

@test "an order of total 0 keeps the transactions that name it: a capture overpays it" {
	charges "$BATS_TEST_TMPDIR/p.jsonl" FREE-4 500
	printf '%s\n' '{"id":"ch_fail5","object":"charge","amount":500,"captured":false,"currency":"usd","metadata":{"order_id":"FREE-5"},"paid":false,"status":"failed","created":1763629200}' \
	    '{"id":"ch_auth6","object":"charge","amount":500,"captured":false,"currency":"usd","metadata":{"order_id":"FREE-6"},"paid":true,"status":"succeeded","created":1763629200}' \
	    >>"$BATS_TEST_TMPDIR/p.jsonl"
	for id in FREE-4 FREE-5 FREE-6; do
		order_of "$id" 0
	done >"$BATS_TEST_TMPDIR/o.jsonl"
	reconcile_tmp p.jsonl o.jsonl
	assert_equal "$(class FREE-4)" "overpaid overpaid 500"
	assert_equal "$(class FREE-5)" "paid - 0"
	assert_equal "$(class FREE-6)" "pending pending 0"
	run -0 sqlite3 "$ORDERKIT_DB" "SELECT txn_id, matched_order FROM pay_transactions ORDER BY 1"
	assert_output 'ch_FREE-4_1|FREE-4
ch_auth6|FREE-6
ch_fail5|FREE-5'
}

# example_dir: the fixtures under the names the manual's EXAMPLES use.
example_dir() {
	cd "$BATS_TEST_TMPDIR"
	cp "$FIXTURES/stripe-balance.csv" stripe_balance.csv
	cp "$FIXTURES/registry.csv" registry.csv
	cp "$FIXTURES/yookassa-events.jsonl" yookassa.jsonl
	cp "$FIXTURES/cloudpayments.jsonl" cloudpayments.jsonl
	mkdir -p scripts/maps
	cp "$MAPS/pay-acquiring-registry.map" scripts/maps/
}

@test "example: reconcile the day's orders against Stripe's balance report" {
	example_dir
	cp "$FIXTURES/stripe-balance-orders.jsonl" orders.jsonl
	run -0 --separate-stderr sh -c 'pay-reconcile --payments stripe_balance.csv --rejects unpaid.jsonl \
	    --report payments-report.jsonl <orders.jsonl >paid.jsonl'
	run -0 jq -r '.id' paid.jsonl
	assert_output SHOP-2001
	run -0 jq -r 'select(.id) | .errors[0].code' unpaid.jsonl
	assert_output partially_refunded
	run -0 jq -r 'select(.type == "orphan") | .order_ref' payments-report.jsonl
	assert_output ''
}

@test "example: a bank's registry through a map" {
	example_dir
	cp "$FIXTURES/registry-orders.jsonl" orders.jsonl
	export ORDERKIT_DATADIR="$BATS_TEST_DIRNAME/../scripts"
	run -0 --separate-stderr sh -c 'pay-reconcile --map pay-acquiring-registry \
	    --payments registry.csv orders.jsonl >paid.jsonl'
	run -0 jq -r '.id' paid.jsonl
	assert_output G-9001
}

@test "example: several providers at once, holding risky orders" {
	example_dir
	cat "$FIXTURES/yookassa-orders.jsonl" \
	    "$FIXTURES/cloudpayments-orders.jsonl" >orders.jsonl
	run -0 --separate-stderr sh -c 'pay-reconcile --payments yookassa.jsonl --payments cloudpayments.jsonl \
	    --hold-risk 50 orders.jsonl >paid.jsonl'
	run -0 jq -r '.id' paid.jsonl
	assert_output 'RU-5001
CP-8001
CP-8002'
	[[ $stderr == *'"code":"risk_hold"'* ]] || fail "no risk_hold in $stderr"
}

@test "example: the orphans of a report, as a person reads them" {
	example_dir
	cp "$FIXTURES/stripe-balance-orders.jsonl" orders.jsonl
	run -0 --separate-stderr pay-reconcile --payments stripe_balance.csv \
	    --rejects /dev/null --report payments-report.jsonl orders.jsonl
	rm -f "$ORDERKIT_DB"*
	run -0 --separate-stderr pay-reconcile --payments stripe_balance.csv \
	    --rejects /dev/null --report payments-report.jsonl </dev/null
	run -0 jq -L "$BATS_TEST_DIRNAME/../scripts" -r 'include "orderkit";
	    select(.type == "orphan") | [.provider, .transaction_id,
	    money(.amount; .currency), .currency, .order_ref // "-"] | @tsv' \
	    payments-report.jsonl
	assert_output "$(printf 'stripe\tch_3QL2001\t120.00\tUSD\tSHOP-2001\nstripe\tch_3QL2002\t1250.00\tUSD\tSHOP-2002\nstripe\tre_3QL2003\t250.00\tUSD\tSHOP-2002')"
}

# --- a locked store ---------------------------------------------------------

# stored_ch_L: charge ch_L, 7.00 USD, which names no order, in the store.
stored_ch_L() {
	printf '%s\n' '{"id":"ch_L","object":"charge","amount":700,"amount_captured":700,"captured":true,"currency":"usd","metadata":{},"paid":true,"status":"succeeded","created":1763629200}' \
	    >"$BATS_TEST_TMPDIR/p.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/p.jsonl" --rejects /dev/null </dev/null
}

# hold_ch_L: for 5 seconds, in the background, hold what a run needs to
# write ch_L's row: SQLite's write lock, or the row on PostgreSQL; return
# once it is held.
hold_ch_L() {
	if [[ $BACKEND == sqlite ]]; then
		printf 'BEGIN IMMEDIATE;\n.shell sleep 5\n' |
		    sqlite3 "$ORDERKIT_DB" &
		until ! sqlite3 -cmd '.timeout 0' "$ORDERKIT_DB" \
		    'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null; do
			sleep 0.1
		done
		return
	fi
	psql -qAtX "$ORDERKIT_DB" -c "BEGIN" \
	    -c "SELECT 1 FROM pay_transactions WHERE txn_id = 'ch_L' FOR UPDATE" \
	    -c "SELECT pg_sleep(5)" -c "COMMIT" >/dev/null &
	until [[ $(sql "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(5)' AND state = 'active'") == 1 ]]; do
		sleep 0.1
	done
}

@test "postgres: a row locked past the timeout exits 75, though the URL sets options" {
	use_backend postgres
	[[ $ORDERKIT_DB == *'?options='* ]]
	stored_ch_L
	sed 's/"amount_captured":700,/&"amount_refunded":100,/' \
	    "$BATS_TEST_TMPDIR/p.jsonl" >"$BATS_TEST_TMPDIR/p2.jsonl"
	hold_ch_L
	SECONDS=0
	ORDERKIT_DB_TIMEOUT=1 run -75 --separate-stderr pay-reconcile \
	    --payments "$BATS_TEST_TMPDIR/p2.jsonl" --rejects /dev/null </dev/null
	assert_stderr --partial "canceling statement due to lock timeout; try again later"
	((SECONDS < 4)) || fail "waited $SECONDS seconds"
	wait
}

@test "sqlite: a new store that another writer holds is waited for, not 75 at once" {
	# a file not yet in WAL mode, as a run that creates the store leaves
	# it for a moment, with a writer in it
	rm "$ORDERKIT_DB"
	sqlite3 "$ORDERKIT_DB" 'CREATE TABLE x (a)'
	printf 'BEGIN IMMEDIATE;\nINSERT INTO x VALUES (1);\n.shell sleep 3\nCOMMIT;\n' |
	    sqlite3 "$ORDERKIT_DB" &
	until ! sqlite3 -cmd '.timeout 0' "$ORDERKIT_DB" \
	    'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null; do
		sleep 0.1
	done
	printf '' >"$BATS_TEST_TMPDIR/none.jsonl"
	SECONDS=0
	ORDERKIT_DB_TIMEOUT=1 run -75 --separate-stderr pay-reconcile \
	    --payments "$BATS_TEST_TMPDIR/none.jsonl" </dev/null
	assert_stderr --partial "is locked: still busy after 1 seconds"
	((SECONDS >= 1)) || fail "75 after $SECONDS seconds"
	ORDERKIT_DB_TIMEOUT=10 run -0 --separate-stderr pay-reconcile \
	    --payments "$BATS_TEST_TMPDIR/none.jsonl" </dev/null
	assert_stderr "pay-reconcile: created the store '$ORDERKIT_DB'"
	wait
	run -0 sqlite3 "$ORDERKIT_DB" 'PRAGMA journal_mode'
	assert_output wal
}

# --- runs at the same time --------------------------------------------------

# race_files RUNS SHARED OWN [intents]: for each run k of RUNS, a payments
# file pK.jsonl of the SHARED charges ch_s1.. (which name no order) and OWN
# charges that pay its OWN orders F<k>-1.. by metadata, and an orders file
# oK.jsonl of these with order R<k>-<j> quoting ch_s<j> after every
# OWN/SHARED of them: every run claims every shared charge, odd runs from the
# first, even runs from the last, many chunks of orders apart.  With
# "intents", odd runs have and quote the charges' payment intents pi_s1..
# instead, which name no charge.
race_files() {
	local k
	for ((k = 1; k <= $1; k++)); do
		awk -v k="$k" -v shared="$2" -v own="$3" -v mode="$4" 'BEGIN {
			for (j = 1; j <= shared; j++)
				if (mode == "intents" && k % 2)
					printf "{\"id\":\"pi_s%d\",\"object\":\"payment_intent\",\"amount\":%d,\"amount_received\":%d,\"currency\":\"usd\",\"metadata\":{},\"status\":\"succeeded\",\"created\":1763629200}\n", j, 1000 + j, 1000 + j
				else
					printf "{\"id\":\"ch_s%d\",\"object\":\"charge\",\"amount\":%d,\"amount_captured\":%d,\"captured\":true,\"currency\":\"usd\",\"metadata\":{},\"paid\":true,\"payment_intent\":\"pi_s%d\",\"status\":\"succeeded\",\"created\":1763629200}\n", j, 1000 + j, 1000 + j, j
			for (i = 1; i <= own; i++)
				printf "{\"id\":\"ch_%d_%d\",\"object\":\"charge\",\"amount\":500,\"amount_captured\":500,\"captured\":true,\"currency\":\"usd\",\"metadata\":{\"order_id\":\"F%d-%d\"},\"paid\":true,\"status\":\"succeeded\",\"created\":1763629200}\n", k, i, k, i
		}' >"$BATS_TEST_TMPDIR/p$k.jsonl"
		awk -v k="$k" -v shared="$2" -v own="$3" -v mode="$4" 'BEGIN {
			step = own / shared
			quote = mode == "intents" && k % 2 ? "pi" : "ch"
			for (i = 1; i <= own; i++) {
				printf "{\"id\":\"F%d-%d\",\"currency\":\"USD\",\"created_at\":\"2025-11-20T10:00:00Z\",\"payment\":{\"method\":\"card\"},\"totals\":{\"total\":500}}\n", k, i
				if (i % step != 0)
					continue
				j = k % 2 ? i / step : shared + 1 - i / step
				printf "{\"id\":\"R%d-%d\",\"currency\":\"USD\",\"created_at\":\"2025-11-20T10:00:00Z\",\"payment\":{\"method\":\"card\",\"transaction_id\":\"%s_s%d\"},\"totals\":{\"total\":%d}}\n", k, j, quote, j, 1000 + j
			}
		}' >"$BATS_TEST_TMPDIR/o$k.jsonl"
	done
}

# race RUNS: start RUNS pay-reconcile at once on p<k>.jsonl and o<k>.jsonl,
# stdout to out<k>, rejects to rej<k>; print each one's exit status and
# standard error.
race() {
	local k status pids=()
	for ((k = 1; k <= $1; k++)); do
		rm -f "$BATS_TEST_TMPDIR/rej$k"
		pay-reconcile --payments "$BATS_TEST_TMPDIR/p$k.jsonl" \
		    --now "$NOW" --rejects "$BATS_TEST_TMPDIR/rej$k" \
		    "$BATS_TEST_TMPDIR/o$k.jsonl" >"$BATS_TEST_TMPDIR/out$k" \
		    2>"$BATS_TEST_TMPDIR/err$k" &
		pids+=($!)
	done
	for ((k = 1; k <= $1; k++)); do
		status=0
		wait "${pids[k - 1]}" || status=$?
		echo "$status $(cat "$BATS_TEST_TMPDIR/err$k")"
	done
}

# new_store BACKEND ROUND: a new, empty store for each round.
new_store() {
	if [[ $1 == sqlite ]]; then
		use_backend sqlite
		rm -f "$ORDERKIT_DB"*
	else
		psql -q -v ON_ERROR_STOP=1 "$PGTEST_URL" \
		    -c "CREATE SCHEMA r$2_$$" >/dev/null
		ORDERKIT_DB="$PGTEST_URL?options=-csearch_path%3Dr$2_$$"
		BACKEND=postgres
		export ORDERKIT_DB BACKEND
	fi
	make_store
}

# t_race BACKEND RUNS [intents]: RUNS runs at once, ten times over, on a new
# store each time; every shared payment (a charge, or a charge and its
# payment intent) pays exactly one order of all their outputs, and the
# orders that lost it are transaction_taken and unpaid.
t_race() {
	local round k shared=40 runs=$2 outs=() rejs=()
	# What is tested is who pays; a slow machine (a sanitizer build
	# under load) may hold the lock past the 10 s default.
	export ORDERKIT_DB_TIMEOUT=600
	race_files "$runs" "$shared" 2000 "$3"
	for ((k = 1; k <= runs; k++)); do
		outs+=("$BATS_TEST_TMPDIR/out$k")
		rejs+=("$BATS_TEST_TMPDIR/rej$k")
	done
	for round in $(seq 1 10); do
		new_store "$1" "$round"
		run -0 race "$runs"
		assert_output "$(for ((k = 1; k <= runs; k++)); do echo '0 '; done)"
		run -0 jq -r 'select(.payment.status == "paid") |
		    .payment.transactions[] | select(test("^(ch|pi)_s")) |
		    sub("^(ch|pi)_"; "")' "${outs[@]}"
		# the payments paid twice or more, then how many were paid
		assert_equal "round $round: $(sort <<<"$output" | uniq -d | tr '\n' ' ')$(grep -c . <<<"$output")" \
		    "round $round: $shared"
		run -0 jq -r 'select(.id | startswith("R")) |
		    [.payment.status, .errors[0].code, .errors[1].code] | join(" ")' \
		    "${rejs[@]}"
		assert_equal "$(sort <<<"$output" | uniq -c | sed 's/^ *//')" \
		    "$(((runs - 1) * shared)) unpaid unpaid transaction_taken"
		run -0 sql "SELECT count(DISTINCT substr(txn_id, 4)), count(DISTINCT matched_order) FROM pay_transactions WHERE txn_id LIKE '___s%' AND matched_order IS NOT NULL"
		assert_output "$shared|$shared"
	done
}
@test "sqlite: three runs at once that claim the same charges: each pays one order" { t_race sqlite 3; }
@test "postgres: three runs at once that claim the same charges: each pays one order" { t_race postgres 3; }
@test "sqlite: runs at once that claim a charge and its payment intent: each pays one order" { t_race sqlite 2 intents; }
@test "postgres: runs at once that claim a charge and its payment intent: each pays one order" { t_race postgres 2 intents; }

# save_race ROUNDS: ROUNDS times, on a new PostgreSQL store, two runs at
# once that read the same 3,000 new charges, one file in the order of
# their ids and the other in reverse, and save them; print each run's exit
# status and standard error, and the rows stored.
save_race() {
	local round a b sa sb
	awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "{\"id\":\"ch_%05d\",\"object\":\"charge\",\"amount\":100,\"currency\":\"usd\",\"metadata\":{},\"status\":\"succeeded\",\"created\":1763629200}\n", i }' \
	    >"$BATS_TEST_TMPDIR/up.jsonl"
	tac "$BATS_TEST_TMPDIR/up.jsonl" >"$BATS_TEST_TMPDIR/down.jsonl"
	for ((round = 1; round <= $1; round++)); do
		new_store postgres "s$round"
		pay-reconcile --payments "$BATS_TEST_TMPDIR/up.jsonl" \
		    --now "$NOW" --rejects /dev/null </dev/null \
		    2>"$BATS_TEST_TMPDIR/err.up" &
		a=$!
		pay-reconcile --payments "$BATS_TEST_TMPDIR/down.jsonl" \
		    --now "$NOW" --rejects /dev/null </dev/null \
		    2>"$BATS_TEST_TMPDIR/err.down" &
		b=$!
		sa=0 sb=0
		wait "$a" || sa=$?
		wait "$b" || sb=$?
		echo "$sa $(cat "$BATS_TEST_TMPDIR/err.up")|$sb $(cat "$BATS_TEST_TMPDIR/err.down")|$(sql 'SELECT count(*) FROM pay_transactions')"
	done
}

@test "postgres: two runs at once that save the same transactions in opposite orders do not deadlock" {
	run -0 save_race 5
	assert_output "$(for round in 1 2 3 4 5; do echo '0 |0 |3000'; done)"
}

# t_race_locked BACKEND: a charge stored unclaimed; while another session
# holds the store, a run whose order claims the charge waits
# ORDERKIT_DB_TIMEOUT, exits 75 and has written no order out; once the lock
# is gone, the same run pays the order.
t_race_locked() {
	use_backend "$1"
	stored_ch_L
	printf '' >"$BATS_TEST_TMPDIR/none.jsonl"
	order_of L-1 700 card ch_L >"$BATS_TEST_TMPDIR/o.jsonl"
	hold_ch_L
	ORDERKIT_DB_TIMEOUT=1 run -75 --separate-stderr pay-reconcile \
	    --payments "$BATS_TEST_TMPDIR/none.jsonl" --rejects /dev/null \
	    "$BATS_TEST_TMPDIR/o.jsonl"
	assert_output ''
	assert_stderr --partial "try again later"
	wait
	run -0 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/none.jsonl" --rejects /dev/null \
	    "$BATS_TEST_TMPDIR/o.jsonl"
	run -0 jq -c '[.id, .payment.status, .payment.transactions]' <<<"$output"
	assert_output '["L-1","paid",["ch_L"]]'
}
@test "sqlite: a claim that waits past the store's timeout exits 75 before writing its order" { t_race_locked sqlite; }
@test "postgres: a claim that waits past the store's timeout exits 75 before writing its order" { t_race_locked postgres; }

# --- a payment intent and its charge are one payment ------------------------

# intent_run PAYMENTS...: reconcile stripe-intents-orders.jsonl against the
# files named (fixtures, unless a path is absolute), each a --payments file;
# then print each order as "ID status error+error transaction,transaction",
# sorted by id.
intent_run() {
	local args=() f
	for f in "$@"; do
		[[ $f == /* ]] || f=$FIXTURES/$f
		args+=(--payments "$f")
	done
	rm -f "$BATS_TEST_TMPDIR/rejects.jsonl"
	run -0 --separate-stderr pay-reconcile "${args[@]}" --now "$NOW" \
	    --report "$BATS_TEST_TMPDIR/report.jsonl" \
	    --rejects "$BATS_TEST_TMPDIR/rejects.jsonl" \
	    "$FIXTURES/stripe-intents-orders.jsonl"
	assert_stderr ''
	{ printf '%s\n' "$output"; cat "$BATS_TEST_TMPDIR/rejects.jsonl"; } |
	    jq -r 'select(.id) | "\(.id) \(.payment.status) \([.errors[]?.code] | join("+") | if . == "" then "-" else . end) \(.payment.transactions | join(","))"' |
	    sort
}

# What the intents and their charges come to, read in one run: pi_3QM0004,
# which names SHOP-3004 in its metadata, is one payment with ch_3QM0004,
# which SHOP-3014 quotes; pi_3QM0005, which SHOP-3005 quotes, is one with
# ch_3QM0005, which SHOP-3015 quotes after it.
INTENTS_ONE_RUN='SHOP-3004 paid - ch_3QM0004
SHOP-3005 paid - ch_3QM0005
SHOP-3014 unpaid unpaid+transaction_taken 
SHOP-3015 unpaid unpaid+transaction_taken '

t_intents() {
	new_store "$1" 1
	run -0 intent_run stripe-intents.jsonl stripe-intent-charges.jsonl
	assert_output "$INTENTS_ONE_RUN"
	run -0 report summary '[.gross, .transactions]'
	assert_output '[8500,2]'
	run -0 report orphan
	assert_output ''
	run -0 sql "SELECT txn_id, matched_order FROM pay_transactions ORDER BY 1"
	assert_output 'ch_3QM0004|SHOP-3004
ch_3QM0005|SHOP-3005
pi_3QM0004|SHOP-3004
pi_3QM0005|SHOP-3005'
	# the same again counts nothing twice
	run -0 intent_run stripe-intents.jsonl stripe-intent-charges.jsonl
	assert_output "$INTENTS_ONE_RUN"

	new_store "$1" 2
	cat "$FIXTURES/stripe-intent-charges.jsonl" \
	    "$FIXTURES/stripe-intents.jsonl" >"$BATS_TEST_TMPDIR/one.jsonl"
	run -0 intent_run "$BATS_TEST_TMPDIR/one.jsonl"
	assert_output "$INTENTS_ONE_RUN"

	new_store "$1" 3
	run -0 intent_run stripe-intent-charges.jsonl stripe-intents.jsonl
	assert_output "$INTENTS_ONE_RUN"

	# the intents today, their charges tomorrow
	new_store "$1" 4
	run -0 intent_run stripe-intents.jsonl
	assert_output 'SHOP-3004 paid - pi_3QM0004
SHOP-3005 paid - pi_3QM0005
SHOP-3014 unpaid unpaid 
SHOP-3015 unpaid unpaid '
	run -0 intent_run stripe-intent-charges.jsonl
	assert_output "$INTENTS_ONE_RUN"
	run -0 report summary '[.gross, .transactions]'
	assert_output '[8500,2]'

	# the charges today, their intents tomorrow: SHOP-3014 came first
	new_store "$1" 5
	run -0 intent_run stripe-intent-charges.jsonl
	assert_output 'SHOP-3004 unpaid unpaid 
SHOP-3005 paid - ch_3QM0005
SHOP-3014 paid - ch_3QM0004
SHOP-3015 unpaid unpaid+transaction_taken '
	run -0 intent_run stripe-intents.jsonl
	assert_output 'SHOP-3004 unpaid unpaid+transaction_taken 
SHOP-3005 paid - ch_3QM0005
SHOP-3014 paid - ch_3QM0004
SHOP-3015 unpaid unpaid+transaction_taken '
	run -0 report summary '[.gross, .transactions]'
	assert_output '[0,0]'

	# no order for them: the charges are the orphans
	new_store "$1" 6
	run -0 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/stripe-intents.jsonl" --payments \
	    "$FIXTURES/stripe-intent-charges.jsonl" \
	    --report "$BATS_TEST_TMPDIR/report.jsonl" </dev/null
	run -0 report orphan '.transaction_id'
	assert_output '"ch_3QM0004"
"ch_3QM0005"'
	run -0 report summary '[.gross, .transactions]'
	assert_output '[8500,2]'
}
@test "sqlite: a payment intent without latest_charge and its charge are one payment, whichever comes first" { t_intents sqlite; }
@test "postgres: a payment intent without latest_charge and its charge are one payment, whichever comes first" { t_intents postgres; }

@test "stripe: a payment intent names its charge by an expanded latest_charge, or its charges list before 2022-11-15" {
	order_of SHOP-3002 4500 card pi_1QM0002 >"$BATS_TEST_TMPDIR/o.jsonl"
	order_of SHOP-3003 3500 >>"$BATS_TEST_TMPDIR/o.jsonl"
	run -0 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/stripe-intents-charged.jsonl" --rejects /dev/null \
	    "$BATS_TEST_TMPDIR/o.jsonl"
	assert_stderr ''
	run -0 jq -c '[.id, .payment.status, .payment.transactions]' <<<"$output"
	assert_output '["SHOP-3002","paid",["ch_1QM0002"]]
["SHOP-3003","paid",["ch_3QM0003"]]'
	run -0 sqlite3 "$ORDERKIT_DB" "SELECT txn_id, intent, amount, matched_order FROM pay_transactions ORDER BY 1"
	assert_output 'ch_1QM0002|pi_1QM0002|4500|SHOP-3002
ch_3QM0003|pi_3QM0003|3500|SHOP-3003'
}

# --- marketplaces: the channel collected the money --------------------------

# mp_class ID: payment.status, collected_by, verified, the first error's
# code, payment.paid and payment.fees of order ID, from stdout or rejects.
mp_class() {
	{ printf '%s\n' "$output"; cat "$BATS_TEST_TMPDIR/rejects.jsonl"; } |
	    jq -r --arg id "$1" 'select(.id == $id) | [.payment.status,
		.payment.collected_by // "-",
		(.payment.verified | if . == null then "-" else tostring end),
		.errors[0].code // "-", .payment.paid // "-",
		.payment.fees // "-"] | join(" ")'
}

@test "without --payments an order whose channel collected the money is marketplace_paid, on standard output" {
	run -0 --separate-stderr pay-reconcile --now "$NOW" --stats \
	    --rejects "$BATS_TEST_TMPDIR/rejects.jsonl" \
	    "$FIXTURES/marketplace-orders.jsonl"
	assert_stderr --partial "6 orders: 0 paid, 0 cod, 3 marketplace_paid, 3 rejected"
	run -0 jq -c '[.id, .status, .payment]' <<<"$output"
	assert_output '["111-0000009-0000009","paid",{"status":"marketplace_paid","collected_by":"amazon","verified":false,"transactions":[],"checked_at":"2026-11-21T06:00:00Z"}]
["3500000009","paid",{"status":"marketplace_paid","collected_by":"etsy","verified":false,"transactions":[],"checked_at":"2026-11-21T06:00:00Z"}]
["#2001","paid",{"gateway":"Shopify Payments","status":"marketplace_paid","collected_by":"shopify","verified":false,"transactions":[],"checked_at":"2026-11-21T06:00:00Z"}]'
	# a payment marked by hand, a bank transfer, an order of no channel
	assert_equal "$(mp_class '#2002')" "unpaid - - unpaid 0 0"
	assert_equal "$(mp_class 4001)" "unpaid - - unpaid 0 0"
	assert_equal "$(mp_class SHOP-1)" "unpaid - - unpaid 0 0"
}

@test "--config: a source set to collects_payment no is unpaid, one set to yes is marketplace_paid" {
	printf '[source "amazon"]\ncollects_payment = no\n[source "my-market"]\ncollects_payment = yes\n' \
	    >"$BATS_TEST_TMPDIR/orderkit.conf"
	{
		cat "$FIXTURES/marketplace-orders.jsonl"
		echo '{"id":"M-1","source":"my-market","currency":"EUR","totals":{"total":990}}'
	} >"$BATS_TEST_TMPDIR/o.jsonl"
	run -0 --separate-stderr pay-reconcile --now "$NOW" \
	    --config "$BATS_TEST_TMPDIR/orderkit.conf" \
	    --rejects "$BATS_TEST_TMPDIR/rejects.jsonl" \
	    "$BATS_TEST_TMPDIR/o.jsonl"
	assert_stderr ''
	assert_equal "$(mp_class 111-0000009-0000009)" "unpaid - - unpaid 0 0"
	assert_equal "$(mp_class M-1)" "marketplace_paid my-market false - - -"
	# a payment marked by hand is proved only by a report
	assert_equal "$(mp_class 4001)" "unpaid - - unpaid 0 0"
	assert_equal "$(mp_class 3500000009)" "marketplace_paid etsy false - - -"
	run -78 --separate-stderr pay-reconcile --now "$NOW" \
	    --config "$BATS_TEST_TMPDIR/missing.conf" </dev/null
	assert_output ''
	assert_stderr --partial "missing.conf"
}

@test "amazon: the settlement report (flat file V2) verifies, refunds and contradicts orders" {
	reconcile amazon-settlement.tsv amazon-orders.jsonl --provider amazon
	assert_stderr ''
	# 25.00 + 2.00 tax + 4.99 shipping - 1.50 promotion; fees 3.75 and
	# the withheld tax 2.00
	assert_equal "$(mp_class 111-0000001-0000001)" "paid amazon true - 3049 575"
	assert_equal "$(mp_class 111-0000002-0000002)" "refunded amazon true refunded 0 270"
	assert_equal "$(mp_class 111-0000003-0000003)" "underpaid amazon true underpaid 4000 600"
	# not settled yet: the channel's word still counts
	assert_equal "$(mp_class 111-0000004-0000004)" "marketplace_paid amazon false - - -"
	run -0 jq -c '[.id, .payment.provider, .payment.transactions]' <<<"$output"
	assert_output '["111-0000001-0000001","amazon",["11223344:111-0000001-0000001"]]
["111-0000004-0000004",null,[]]'
	# the subscription fee is no order's: no orphan, no reject
	run -0 report orphan
	assert_output ''
	run -0 report summary '[.day, .transactions, .gross, .fees, .refunds]'
	assert_output '["2026-11-01",0,0,0,0]
["2026-11-02",3,8849,1445,0]
["2026-11-05",1,0,0,1800]
["2026-11-14",0,0,0,0]'
}

@test "amazon: a settlement row whose amount cannot be read is rejected with its line, the rest go on" {
	sed 's/\t4\.99\t/\t4,9x9\t/' "$FIXTURES/amazon-settlement.tsv" \
	    >"$BATS_TEST_TMPDIR/s.tsv"
	cp "$FIXTURES/amazon-orders.jsonl" "$BATS_TEST_TMPDIR/o.jsonl"
	reconcile_tmp s.tsv o.jsonl --provider amazon
	run -0 jq -c 'select(.line) | [.line, .errors[0].code]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output '[5,"bad_amount"]'
	assert_equal "$(mp_class 111-0000001-0000001)" "underpaid amazon true underpaid 2550 575"
}

@test "shopify: the Shopify Payments transactions export, refunds summed, payouts left aside" {
	reconcile shopify-payments.csv shopify-orders.jsonl --provider shopify
	assert_stderr ''
	assert_equal "$(mp_class '#1001')" "paid shopify true - 5900 201"
	assert_equal "$(mp_class '#1002')" "partially_refunded shopify true partially_refunded 9000 378"
	assert_equal "$(mp_class '#1003')" "underpaid shopify true underpaid 3500 132"
	assert_equal "$(mp_class '#1004')" "unpaid - - unpaid 0 0"
	run -0 report orphan
	assert_output ''
}

@test "ebay: the transaction report, its lines above the header and its '--' read" {
	reconcile ebay-transactions.csv ebay-orders.jsonl --provider ebay
	assert_stderr ''
	assert_equal "$(mp_class 12-11111-11111)" "paid ebay true - 2450 315"
	assert_equal "$(mp_class 12-22222-22222)" "refunded ebay true refunded 0 590"
}

@test "etsy: the payments CSV, a partial refund and a payment not yet settled" {
	reconcile etsy-payments.csv etsy-orders.jsonl --provider etsy
	assert_stderr ''
	assert_equal "$(mp_class 3500000001)" "paid etsy true - 3240 127"
	assert_equal "$(mp_class 3500000002)" "partially_refunded etsy true partially_refunded 3600 169"
	assert_equal "$(mp_class 3500000003)" "pending etsy true pending 0 0"
}

@test "a marketplace's report is told by its header without --provider, and refused for another" {
	reconcile etsy-payments.csv etsy-orders.jsonl
	assert_stderr ''
	assert_equal "$(mp_class 3500000001)" "paid etsy true - 3240 127"
	reconcile -65 ebay-transactions.csv ebay-orders.jsonl --provider amazon
	assert_output ''
	assert_stderr --partial "is a eBay report, not amazon"
}

@test "--allow underpaid, or a source's allow, passes the order on with payment.status and a warning" {
	reconcile amazon-settlement.tsv amazon-orders.jsonl --provider amazon \
	    --allow underpaid
	assert_stderr ''
	run -0 jq -c 'select(.id == "111-0000003-0000003") | [.status, .payment.status, .warnings, .errors]' <<<"$output"
	assert_output '["paid","underpaid",[{"code":"underpaid","field":"payment","message":"paid 40.00 of 45.00 USD"}],null]'
	# refunded is not waived
	assert_equal "$(mp_class 111-0000002-0000002)" "refunded amazon true refunded 0 270"
	printf '[source "amazon"]\nallow = underpaid, refunded\n' >"$BATS_TEST_TMPDIR/orderkit.conf"
	: >"$BATS_TEST_TMPDIR/rejects.jsonl"
	reconcile amazon-settlement.tsv amazon-orders.jsonl --provider amazon \
	    --config "$BATS_TEST_TMPDIR/orderkit.conf"
	run -0 jq -c '[.id, [.warnings[]?.code]]' <<<"$output"
	assert_output '["111-0000001-0000001",[]]
["111-0000002-0000002",["refunded"]]
["111-0000003-0000003",["underpaid"]]
["111-0000004-0000004",[]]'
	run -0 cat "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output ''
	run -64 --separate-stderr pay-reconcile --allow ','
	assert_stderr --partial "--allow ',' is not a list of error codes"
}

# --- identity: an order is its source and its id ---------------------------

t_identity() {
	use_backend "$1"
	printf '%s\n' '{"id":"ch_1","object":"charge","amount":5900,"captured":true,"currency":"usd","metadata":{"order_id":"1001"},"paid":true,"status":"succeeded","created":1763629200}' \
	    >"$BATS_TEST_TMPDIR/p.jsonl"
	printf '%s\n' '{"id":"#1001","source":"shop-a","currency":"USD","totals":{"total":5900}}' \
	    '{"id":"#1001","source":"shop-b","currency":"USD","totals":{"total":5900}}' \
	    >"$BATS_TEST_TMPDIR/o.jsonl"
	reconcile_tmp p.jsonl o.jsonl
	run -0 jq -c '[.id, .source, .payment.status]' <<<"$output"
	assert_output '["#1001","shop-a","paid"]'
	run -0 jq -c '[.id, .source, .payment.status, .errors[1].message]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output '["#1001","shop-b","unpaid","transaction '"'ch_1'"' belongs to order '"'#1001'"' from shop-a, which the provider names"]'
	run -0 sql "SELECT txn_id, matched_order, matched_source FROM pay_transactions"
	assert_output 'ch_1|#1001|shop-a'
	# tomorrow, the same order again is still paid, the other still not
	rm "$BATS_TEST_TMPDIR/rejects.jsonl"
	reconcile_tmp p.jsonl o.jsonl
	run -0 jq -r '.source' <<<"$output"
	assert_output shop-a
	run -0 jq -r '.source' "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output shop-b
}
@test "sqlite: two shops' #1001 are two orders: one charge pays one of them" { t_identity sqlite; }
@test "postgres: two shops' #1001 are two orders: one charge pays one of them" { t_identity postgres; }

# A store of schema 3 (orders known by id alone): its rows stay the
# order of that id from any source, and take the source of the first
# order that settles them.
t_identity_migrated() {
	use_backend --none "$1"		# the old store is all there is
	run -0 sql "$(cat "$FIXTURES/store-v3.sql")"
	printf '' >"$BATS_TEST_TMPDIR/none.jsonl"
	printf '%s\n' '{"id":"P-1","source":"shopify","currency":"USD","totals":{"total":10000}}' \
	    '{"id":"P-1","source":"shop-b","currency":"USD","totals":{"total":10000}}' \
	    >"$BATS_TEST_TMPDIR/o.jsonl"
	reconcile_tmp none.jsonl o.jsonl
	run -0 jq -c '[.id, .source, .payment.status, .payment.transactions]' <<<"$output"
	assert_output '["P-1","shopify","paid",["ch_1"]]'
	run -0 sql "SELECT component, version FROM schema_version"
	assert_output 'payments|4'
	run -0 jq -c '[.source, .payment.status, .errors[1].code]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output '["shop-b","unpaid","transaction_taken"]'
	run -0 sql "SELECT txn_id, matched_order, matched_source FROM pay_transactions ORDER BY 1"
	assert_output 'ch_1|P-1|shopify
ch_9|A-9|'
}
@test "sqlite: a store of orders known by id alone is migrated, its rows take a source" { t_identity_migrated sqlite; }
@test "postgres: a store of orders known by id alone is migrated, its rows take a source" { t_identity_migrated postgres; }

# --- wrong input ------------------------------------------------------------

@test "orders given as --payments exit 65 and say what they are" {
	run -65 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/amazon-orders.jsonl" --now "$NOW" </dev/null
	assert_output ''
	assert_stderr --partial "holds orders, not payment transactions: give orders as operands"
}

@test "a marketplace's orders export given as --payments exits 65 and names order-import" {
	printf 'Name,Email,Financial Status,Lineitem name,Total\n#1001,a@example.com,paid,Mug,59.00\n' \
	    >"$BATS_TEST_TMPDIR/orders_export.csv"
	run -65 --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/orders_export.csv" </dev/null
	assert_output ''
	assert_stderr --partial "looks like a Shopify orders export, not a payment report: run order-import"
}

@test "a payment report or an orders export given as orders exits 65 and says where it goes" {
	run -65 --separate-stderr pay-reconcile --now "$NOW" \
	    --rejects "$BATS_TEST_TMPDIR/rejects.jsonl" \
	    "$FIXTURES/amazon-settlement.tsv"
	assert_output ''
	assert_stderr "pay-reconcile: '$FIXTURES/amazon-settlement.tsv' is a payment report of Amazon, not order records: give it as --payments"
	printf 'Name,Email,Financial Status,Lineitem name,Total\n#1001,a@example.com,paid,Mug,59.00\n' \
	    >"$BATS_TEST_TMPDIR/orders_export.csv"
	run -65 --separate-stderr pay-reconcile --now "$NOW" \
	    --rejects "$BATS_TEST_TMPDIR/rejects.jsonl" \
	    "$BATS_TEST_TMPDIR/orders_export.csv"
	assert_output ''
	assert_stderr "pay-reconcile: '$BATS_TEST_TMPDIR/orders_export.csv' looks like a Shopify orders export, not order records: run order-import on it first"
	# lines that are merely not JSON stay rejects, exit 0
	run -0 --separate-stderr pay-reconcile --now "$NOW" \
	    --rejects "$BATS_TEST_TMPDIR/rejects.jsonl" \
	    "$BATS_TEST_DIRNAME/fixtures/broken/not-json.jsonl"
	assert_output ''
	assert_stderr ''
}

@test "--jobs 4 is taken, and reconciles as --jobs 1 does, on one thread" {
	local j
	for j in 1 4; do
		run -0 --separate-stderr pay-reconcile --jobs "$j" \
		    --now 2026-11-20T12:00:00Z --payments \
		    "$FIXTURES/stripe-charges.jsonl" \
		    --rejects "$BATS_TEST_TMPDIR/rej.$j" \
		    "$FIXTURES/stripe-orders.jsonl"
		printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out.$j"
	done
	[[ -s $BATS_TEST_TMPDIR/out.1 ]]
	cmp "$BATS_TEST_TMPDIR/out.1" "$BATS_TEST_TMPDIR/out.4"
	cmp "$BATS_TEST_TMPDIR/rej.1" "$BATS_TEST_TMPDIR/rej.4"
	run -64 --separate-stderr pay-reconcile --jobs 0 \
	    "$FIXTURES/stripe-orders.jsonl"
	assert_stderr --partial "pay-reconcile: --jobs '0' is not a number from 1 to 1024"
}
