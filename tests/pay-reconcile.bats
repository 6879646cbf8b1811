bats_require_minimum_version 1.5.0
setup() {
	load test_helper/common
	export ORDERKIT_DB="$BATS_TEST_TMPDIR/pay.db"
	NOW=2026-11-21T06:00:00Z
	MAPS="$BATS_TEST_DIRNAME/../scripts/maps"
}

# reconcile PAYMENTS ORDERS [OPTION ...]: run with the report and rejects
# in the test's directory, stdout in $output.
reconcile() {
	local payments=$1 orders=$2
	shift 2
	run --separate-stderr pay-reconcile --payments "$FIXTURES/$payments" \
	    --now "$NOW" --report "$BATS_TEST_TMPDIR/report.jsonl" \
	    --rejects "$BATS_TEST_TMPDIR/rejects.jsonl" "$@" \
	    "$FIXTURES/$orders"
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
	assert_output --partial "usage: pay-reconcile --payments FILE"
	assert_stderr ''
}

@test "a bad option exits 64 with the usage" {
	run -64 --separate-stderr pay-reconcile --payments x --frobnicate
	assert_output ''
	assert_stderr --partial "usage: pay-reconcile"
}

@test "no --payments is a usage error, 64" {
	run -64 --separate-stderr pay-reconcile </dev/null
	assert_stderr --partial "--payments FILE is required"
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

@test "a directory as --payments is 66, not a read error" {
	run -66 --separate-stderr pay-reconcile --payments "$FIXTURES" \
	    "$FIXTURES/stripe-orders.jsonl"
	assert_output ''
	assert_stderr "pay-reconcile: cannot open '$FIXTURES': Is a directory"
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

@test "stripe: the summary per currency and day adds up, classes counted" {
	reconcile stripe-charges.jsonl stripe-orders.jsonl
	run -0 report summary
	assert_output '{"type":"summary","currency":"EUR","day":"2026-11-20","transactions":0,"gross":0,"fees":0,"refunds":0,"net":0,"orders":{"paid":0,"underpaid":0,"overpaid":0,"unpaid":0,"pending":0,"duplicate":0,"currency_mismatch":1,"refunded":0,"partially_refunded":0,"cod":0}}
{"type":"summary","currency":"USD","day":"2026-11-20","transactions":14,"gross":53990,"fees":0,"refunds":9500,"net":44490,"orders":{"paid":2,"underpaid":1,"overpaid":1,"unpaid":1,"pending":1,"duplicate":1,"currency_mismatch":0,"refunded":1,"partially_refunded":1,"cod":1}}'
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
	assert_output '[2,"bad_amount","the amount is negative"]
[4,"bad_amount","the amount refunded is negative"]
[5,"bad_amount","the fee is negative"]'
}

# Found by tests/fuzz/payment_fuzz.c (regressions/payment/
# stripe-balance-int64-min): -INT64_MIN is undefined, and no amount.
@test "stripe balance report: a gross of -92233720368547758.08 is bad_amount" {
	sed '2s/,120\.00,3\.78,/,-92233720368547758.08,3.78,/' \
	    "$FIXTURES/stripe-balance.csv" >"$BATS_TEST_TMPDIR/min.csv"
	run -0 --separate-stderr pay-reconcile --payments "$BATS_TEST_TMPDIR/min.csv" \
	    --now "$NOW" --rejects "$BATS_TEST_TMPDIR/rejects.jsonl" \
	    "$FIXTURES/stripe-balance-orders.jsonl"
	run -0 jq -c 'select(.line == 2) | [.errors[0].code, .errors[0].message]' \
	    "$BATS_TEST_TMPDIR/rejects.jsonl"
	assert_output '["bad_amount","gross '"'-92233720368547758.08'"' is too large"]'
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

@test "generic: a map that lacks the amount is a configuration error, 78" {
	printf 'id = ID\ncurrency = Cur\n' >"$BATS_TEST_TMPDIR/bad.map"
	run -78 --separate-stderr pay-reconcile --payments \
	    "$FIXTURES/registry.csv" --map "$BATS_TEST_TMPDIR/bad.map" </dev/null
	assert_stderr --partial "lacks id, amount"
}

@test "mixed currencies and providers in one run: each order in its own" {
	run --separate-stderr pay-reconcile --now "$NOW" \
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
	run -0 pay-reconcile --payments "$BATS_TEST_TMPDIR/old.jsonl" \
	    --rejects /dev/null </dev/null
	for day in day1 day2 day3; do
		run -0 --separate-stderr pay-reconcile --payments \
		    "$BATS_TEST_TMPDIR/$day.jsonl" --now "$NOW" \
		    --report "$BATS_TEST_TMPDIR/$day.report" \
		    --rejects "$BATS_TEST_TMPDIR/$day.rejects" \
		    "$BATS_TEST_TMPDIR/order.jsonl"
	done
	run jq -c '.payment | [.status, .paid, .transactions]' \
	    "$BATS_TEST_TMPDIR/day1.rejects"
	assert_output ''
	run jq -c '.payment | [.status, .paid, .transactions]' \
	    "$BATS_TEST_TMPDIR/day2.rejects" "$BATS_TEST_TMPDIR/day3.rejects"
	assert_output '["partially_refunded",10000,["ch_late1","re_late1"]]
["partially_refunded",10000,["ch_late1","re_late1"]]'
	run grep -c '"type":"orphan"' "$BATS_TEST_TMPDIR/day2.report"
	assert_output 0
	run sqlite3 "$ORDERKIT_DB" "SELECT count(*), count(matched_order) FROM pay_transactions"
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

@test "thousands of transactions are saved in batches, on SQLite and PostgreSQL alike" {
	for i in $(seq 1 2500); do
		printf '{"id":"ch_b%d","object":"charge","amount":%d,"captured":true,"currency":"usd","metadata":{"order_id":"B-%d"},"paid":true,"status":"succeeded","created":1763629200}\n' "$i" "$i" "$i"
		printf '{"id":"B-%d","currency":"USD","payment":{"method":"card"},"totals":{"total":%d}}\n' "$i" "$i" >&3
	done >"$BATS_TEST_TMPDIR/p.jsonl" 3>"$BATS_TEST_TMPDIR/o.jsonl"
	pgdir="$BATS_TEST_TMPDIR/pg"
	url=$("$BATS_TEST_DIRNAME/../scripts/pg-test.sh" start "$pgdir")
	for db in "$ORDERKIT_DB" "$url"; do
		for pass in 1 2; do
			run --separate-stderr pay-reconcile --db "$db" --stats \
			    --payments "$BATS_TEST_TMPDIR/p.jsonl" \
			    --rejects /dev/null "$BATS_TEST_TMPDIR/o.jsonl"
			printf '%s %s %s\n' "$status" "${#lines[@]}" \
			    "${stderr##*;}"
		done
	done >"$BATS_TEST_TMPDIR/runs"
	psql -Atq "$url" -c "SELECT count(*), count(matched_order), sum(amount) FROM pay_transactions" >"$BATS_TEST_TMPDIR/pg.count"
	"$BATS_TEST_DIRNAME/../scripts/pg-test.sh" stop "$pgdir"
	run cat "$BATS_TEST_TMPDIR/runs"
	assert_output '0 2500  2500 transactions read, 2500 new, 0 orphans, 0 conflicts
0 2500  2500 transactions read, 0 new, 0 orphans, 0 conflicts
0 2500  2500 transactions read, 2500 new, 0 orphans, 0 conflicts
0 2500  2500 transactions read, 0 new, 0 orphans, 0 conflicts'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/pg.count")" '2500|2500|3126250'
	run sqlite3 "$ORDERKIT_DB" "SELECT count(*), count(matched_order), sum(amount) FROM pay_transactions"
	assert_output '2500|2500|3126250'
}

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

@test "broken inputs: no crash, every line in one of the two streams" {
	printf '' >"$BATS_TEST_TMPDIR/none.jsonl"
	for f in "$BROKEN"/*; do
		run --separate-stderr pay-reconcile --payments \
		    "$BATS_TEST_TMPDIR/none.jsonl" --rejects \
		    "$BATS_TEST_TMPDIR/r" "$f"
		assert_success
		rejected=$(count_lines "$BATS_TEST_TMPDIR/r")
		passed=$(printf '%s' "$output" | grep -c . || true)
		nonblank=$(grep -c '[^[:space:]]' "$f" || true)
		assert_equal "$((passed + rejected))" "$nonblank"
		rm -f "$BATS_TEST_TMPDIR/r"
	done
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
	reconcile stripe-charges.jsonl stripe-orders.jsonl --strict
	assert_failure 65
}

@test "postgresql: a late payment and a report loaded twice, as on SQLite" {
	pgdir="$BATS_TEST_TMPDIR/pg"
	url=$("$BATS_TEST_DIRNAME/../scripts/pg-test.sh" start "$pgdir")
	export ORDERKIT_DB="$url"
	grep SHOP-1001 "$FIXTURES/stripe-orders.jsonl" >"$BATS_TEST_TMPDIR/o.jsonl"
	printf '' >"$BATS_TEST_TMPDIR/none.jsonl"
	run --separate-stderr pay-reconcile --payments \
	    "$BATS_TEST_TMPDIR/none.jsonl" --rejects /dev/null \
	    "$BATS_TEST_TMPDIR/o.jsonl"
	status1=$status out1=$output
	reconcile stripe-charges.jsonl stripe-orders.jsonl --stats
	status2=$status err2=$stderr
	rm "$BATS_TEST_TMPDIR/rejects.jsonl"
	reconcile stripe-charges.jsonl stripe-orders.jsonl --stats
	status3=$status out3=$output err3=$stderr
	"$BATS_TEST_DIRNAME/../scripts/pg-test.sh" stop "$pgdir"
	assert_equal "$status1 $status2 $status3" "0 0 0"
	assert_equal "$out1" ''
	assert_equal "$out3" "$(cat "$FIXTURES/stripe-orders.out.jsonl")"
	[[ $err2 == *"15 transactions read, 14 new"* ]] || fail "$err2"
	[[ $err3 == *"15 transactions read, 0 new"* ]] || fail "$err3"
	assert_equal "$(class SHOP-1006)" "duplicate duplicate 8000"
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
	run -0 --separate-stderr sh -c 'pay-reconcile --map scripts/maps/pay-acquiring-registry.map \
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
	run -0 jq -r 'select(.type == "orphan") | [.provider, .transaction_id,
	    .amount, .currency, .order_ref // "-"] | @tsv' payments-report.jsonl
	assert_output "$(printf 'stripe\tch_3QL2001\t12000\tUSD\tSHOP-2001\nstripe\tch_3QL2002\t125000\tUSD\tSHOP-2002\nstripe\tre_3QL2003\t25000\tUSD\tSHOP-2002')"
}
