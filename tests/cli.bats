#!/usr/bin/env bats
# cli.bats: what every program does for a person (lib/cli.h, progress.h,
# reject.h, msg.h): --help, no silent wait on a terminal, progress, rejects
# on a terminal, --stats=json and --stats=FILE, messages in Russian and
# Ukrainian.  A terminal is a pseudo-terminal of script(1).
bats_require_minimum_version 1.5.0
setup() {
	load test_helper/common
	load test_helper/store
	command -v script >/dev/null || skip "no script(1) (util-linux)"
	ROOT="$BATS_TEST_DIRNAME/fixtures"
	DB="$BATS_TEST_TMPDIR/stock.db"
}

PROGRAMS="notify-send order-export order-import order-reserve order-validate
    pay-reconcile ship-book stock-levels stock-load track-poll order-stats
    label-gen return-open"

# tty CMD...: CMD run with a terminal as its standard input, output and
# error; what it wrote in $output, CRs kept, its status script's. script(1)
# hands CMD to $SHELL, and printf %q may quote the bash way ($'\n'), which
# dash (CI's and cron's /bin/sh) does not read: bash is named.
tty() {
	SHELL=/bin/bash script -qec "$(printf '%q ' "$@")" /dev/null </dev/null
}

# stderr_matches REGEX: $stderr matches the extended regular expression.
stderr_matches() {
	[[ $stderr =~ $1 ]] || fail "stderr does not match '$1'; it was: $stderr"
}

# store_at PATH: an empty SQLite store at PATH (use_backend's), so that a
# program's standard error is its own, without "created the store".
store_at() {
	BACKEND=sqlite ORDERKIT_DB=$1 make_store
}

# stocked: the store $DB with order-reserve's sample stock.
stocked() {
	store_at "$DB"
	stock-load --db "$DB" "$ROOT/order-reserve/stock.csv" >/dev/null
}

# ------------------------------------------------------------------ --help

@test "--help of every program: purpose, each option of the usage with a line, exit statuses, the page" {
	local p usage opt
	for p in $PROGRAMS; do
		run -0 --separate-stderr "$p" --help
		assert_stderr ''
		assert_line --index 0 --partial "usage: $p "
		usage=$(sed '/^$/q' <<<"$output")
		# The purpose: the first line after the usage, a sentence.
		[[ $(sed -n '/^$/{n;p;q}' <<<"$output") =~ ^[A-Z].*\.$ ]] ||
		    fail "$p: no purpose line"
		for opt in $(grep -o -- '--[a-z-]*' <<<"$usage" | sort -u); do
			assert_line --regexp "^  $opt([ =[].*)?  +[a-z]"
		done
		assert_line 'Exit status:'
		assert_line --regexp '^  0   the run completed'
		assert_line --regexp '^  64  usage'
		assert_line "See $p(1)."
	done
}

@test "--help lists the exit statuses the page lists, and no other" {
	local p page codes
	for p in $PROGRAMS; do
		page="$BATS_TEST_DIRNAME/../man/$p.1"
		codes=$(sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$page" |
		    grep -o '^\.It [0-9][0-9 ,]*' | grep -o '[0-9][0-9]*' |
		    sort -n | tr '\n' ' ')
		run -0 --separate-stderr "$p" --help
		assert_equal "$(sed -n '/^Exit status:/,/^$/p' <<<"$output" |
		    grep -o '^  [0-9]*' | tr -d ' ' | sort -n | tr '\n' ' ')" \
		    "$codes"
	done
}

@test "every page documents --progress, --no-progress and --stats=json|file where the usage has them" {
	local p page
	for p in $PROGRAMS; do
		[[ $p == stock-levels ]] && continue
		page="$BATS_TEST_DIRNAME/../man/$p.1"
		run -0 grep -c -e '^\.It Fl \\-progress$' \
		    -e '^\.It Fl \\-no-progress$' \
		    -e '^\.It Fl \\-stats Ns Oo = Ns Cm json Ns | Ns Ar file Oc$' \
		    "$page"
		assert_output 3
	done
}

# ------------------------------------------------- no input on a terminal

@test "a program that reads records, without operands on a terminal, prints the usage and exits 64" {
	local p
	for p in order-export order-import order-validate stock-load order-stats; do
		run -64 tty "$p"
		assert_output --partial "$p: no input: name a FILE or pipe records in"
		assert_output --partial "usage: $p "
	done
	run -64 tty order-reserve --db "$DB"
	assert_output --partial 'usage: order-reserve '
	run -64 tty pay-reconcile --db "$DB" --payments \
	    "$ROOT/pay-reconcile/stripe-charges.jsonl"
	assert_output --partial 'usage: pay-reconcile '
	run -64 tty ship-book --dry-run
	assert_output --partial 'usage: ship-book '
	run -64 tty notify-send --dry-run "$BATS_TEST_TMPDIR/out"
	assert_output --partial 'usage: notify-send '
	run -64 tty label-gen --out "$BATS_TEST_TMPDIR/labels"
	assert_output --partial 'label-gen: no input: name a FILE or pipe records in'
	assert_output --partial 'usage: label-gen '
	run -64 tty return-open --db "$DB"
	assert_output --partial 'usage: return-open '
}

@test "on a terminal, an operand or a pipe is read as before; --expire reads nothing" {
	run -0 tty sh -c 'order-validate </dev/null'
	assert_output ''
	run -0 tty order-validate "$ROOT/order-validate/one-valid.jsonl"
	assert_output --partial '"id":"SHOP-1001"'
	stocked
	run -0 tty order-reserve --db "$DB" --expire
	assert_output ''
}

# ---------------------------------------------------------------- progress

# slow PROGRAM [ARG...]: PROGRAM reading one-valid.jsonl, then again after
# 1.3 seconds, on a terminal.
slow() {
	local f="$ROOT/order-validate/one-valid.jsonl"
	tty sh -c 'f=$1; shift; (cat "$f"; sleep 1.3; cat "$f"; cat "$f") |
	    "$@" >/dev/null' sh "$f" "$@"
}

@test "progress: a run past a second on a terminal shows records, rate and rejects in place" {
	run -0 slow order-validate --rejects "$BATS_TEST_TMPDIR/r.jsonl"
	assert_output --regexp $'\rorder-validate: [0-9]+ read, [0-9]+/s, [0-9]+ rejects'
	# The last drawing has the totals: 3 read, 2 duplicates rejected.
	assert_output --regexp $'\rorder-validate: 3 read, [0-9]+/s, 2 rejects *\r?$'
}

@test "progress: none in a short run, none under --no-progress, none off a terminal" {
	run -0 tty order-validate --rejects "$BATS_TEST_TMPDIR/r.jsonl" \
	    "$ROOT/order-validate/one-valid.jsonl"
	refute_output --partial ' read, '
	run -0 slow order-validate --no-progress --rejects "$BATS_TEST_TMPDIR/r.jsonl"
	assert_output ''
	run -0 --separate-stderr sh -c '(cat "$1"; sleep 1.3; cat "$1") |
	    order-validate --rejects "$2"' sh \
	    "$ROOT/order-validate/one-valid.jsonl" "$BATS_TEST_TMPDIR/r.jsonl"
	assert_stderr ''
}

@test "progress: --progress shows it in a pipe too, CSV readers count rows" {
	run -0 --separate-stderr order-validate --progress \
	    --rejects "$BATS_TEST_TMPDIR/r.jsonl" "$ROOT/order-validate/one-valid.jsonl"
	stderr_matches $'^\rorder-validate: 1 read, [0-9]+/s, 0 rejects$'
	store_at "$DB"
	run -0 --separate-stderr stock-load --progress --db "$DB" \
	    --rejects "$BATS_TEST_TMPDIR/r.jsonl" "$ROOT/stock-load/bad-rows.csv"
	stderr_matches $'^\rstock-load: 5 read, [0-9]+/s, 4 rejects$'
	run -0 --separate-stderr order-import --progress \
	    "$ROOT/order-import/shopify-orders_export.csv"
	stderr_matches $'^\rorder-import: [1-9][0-9]* read, [0-9]+/s, 0 rejects$'
}

# ----------------------------------------------------- rejects for a person

@test "rejects on a terminal are one line each: id, code and message" {
	stocked
	run -0 tty order-reserve --db "$DB" "$ROOT/order-reserve/backorder.jsonl"
	assert_output $'SHOP-7: backorder: SKU \'MUG-WHITE\': 5 wanted, 2 in stock\r'
	run -0 tty sh -c 'order-validate "$1" >/dev/null' sh \
	    "$ROOT/order-validate/five-problems.jsonl"
	assert_output --regexp $'^\\(no id\\): missing_field: id is missing; [^{]*\r$'
	assert_output --partial "; bad_postal_code: '1010' is not a postal code of RU"
}

@test "a line that is no record is named by its line on a terminal" {
	run -0 tty sh -c 'order-validate "$1" >/dev/null' sh \
	    "$BROKEN/not-json.jsonl"
	assert_output --regexp $'^line [0-9]+: bad_json: not JSON: '
}

@test "rejects are JSON whenever standard error is redirected, on a terminal or not" {
	stocked
	run -0 tty sh -c 'order-reserve --db "$1" "$2" >/dev/null 2>"$3"' sh \
	    "$DB" "$ROOT/order-reserve/backorder.jsonl" "$BATS_TEST_TMPDIR/e"
	run -0 jq -r '.id + " " + .errors[0].code' "$BATS_TEST_TMPDIR/e"
	assert_output 'SHOP-7 backorder'
}

# ------------------------------------------------------------ --stats=json

@test "--stats=json: one JSON object with the counts and the reject codes, no prose" {
	stocked
	run -0 --separate-stderr order-reserve --db "$DB" --stats=json \
	    --rejects "$BATS_TEST_TMPDIR/r.jsonl" "$ROOT/order-reserve/backorder.jsonl"
	assert_stderr '{"program":"order-reserve","read":1,"written":0,"rejects":1,"codes":{"backorder":1}}'
	run -0 --separate-stderr stock-load --db "$DB" --stats=json \
	    --rejects "$BATS_TEST_TMPDIR/r.jsonl" "$ROOT/stock-load/bad-rows.csv"
	assert_stderr '{"program":"stock-load","read":5,"loaded":1,"rejects":4,"codes":{"negative_qty":1,"missing_field":2,"bad_qty":1}}'
}

@test "--stats=json: backorder against split_needed, payment classes" {
	stocked
	run -0 --separate-stderr order-reserve --db "$DB" --stats=json \
	    --rejects /dev/null "$ROOT/order-reserve/backorder.jsonl" \
	    "$ROOT/order-reserve/split.jsonl"
	run -0 jq -c .codes <<<"$stderr"
	assert_output '{"backorder":1,"split_needed":1}'
	store_at "$BATS_TEST_TMPDIR/pay.db"
	run -0 --separate-stderr pay-reconcile --db "$BATS_TEST_TMPDIR/pay.db" \
	    --payments "$ROOT/pay-reconcile/stripe-charges.jsonl" --stats=json \
	    --rejects /dev/null "$ROOT/pay-reconcile/stripe-orders.jsonl"
	run -0 jq -c '[.paid, .cod, .codes.underpaid, .codes.unpaid, .codes.pending]' <<<"$stderr"
	assert_output '[2,1,1,1,1]'
}

@test "--stats=FILE: the object in FILE, never in the rejects; the rejects file is refused" {
	stocked
	run -0 --separate-stderr order-reserve --db "$DB" \
	    --stats="$BATS_TEST_TMPDIR/stats.json" "$ROOT/order-reserve/backorder.jsonl"
	run -0 jq -r '.errors[0].code' <<<"$stderr"
	assert_output backorder
	run -0 jq -c '[.program, .rejects]' "$BATS_TEST_TMPDIR/stats.json"
	assert_output '["order-reserve",1]'
	run -64 --separate-stderr order-reserve --db "$DB" \
	    --rejects "$BATS_TEST_TMPDIR/r.jsonl" --stats="$BATS_TEST_TMPDIR/r.jsonl" \
	    "$ROOT/order-reserve/backorder.jsonl"
	assert_stderr --partial "--stats and --rejects name the same file"
	assert [ ! -e "$BATS_TEST_TMPDIR/r.jsonl" ]
	run -73 --separate-stderr order-validate --stats="$BATS_TEST_TMPDIR/no/s.json" \
	    "$ROOT/order-validate/one-valid.jsonl"
	assert_stderr --partial "cannot open '$BATS_TEST_TMPDIR/no/s.json'"
}

@test "plain --stats keeps its prose line" {
	run -0 --separate-stderr order-validate --stats --rejects /dev/null \
	    "$ROOT/order-validate/five-problems.jsonl"
	assert_stderr 'order-validate: 1 read, 0 valid, 1 rejected'
}

@test "--stats=json in the programs that end their runs themselves" {
	run -0 --separate-stderr order-export --stats=json --columns id \
	    "$ROOT/order-validate/one-valid.jsonl"
	assert_stderr '{"program":"order-export","read":1,"orders":1,"rows":1,"rejects":0,"codes":{}}'
	run -0 --separate-stderr order-import --stats=json \
	    "$ROOT/order-import/shopify-orders_export.csv"
	run -0 jq -r '.program + " " + (.rows > 0 | tostring)' <<<"$stderr"
	assert_output 'order-import true'
}

# ------------------------------------------------------------- languages

@test "LANG=ru_RU.UTF-8: order-reserve's rejects in Russian, the code the same" {
	stocked
	LANG=ru_RU.UTF-8 LC_ALL= run -0 --separate-stderr order-reserve \
	    --db "$DB" "$ROOT/order-reserve/backorder.jsonl"
	run -0 jq -r '.errors[0] | .code + ": " + .message' <<<"$stderr"
	assert_output "backorder: SKU 'MUG-WHITE': нужно 5, в наличии 2"
	LANG=uk_UA.UTF-8 LC_ALL= run -0 --separate-stderr order-reserve \
	    --db "$DB" "$ROOT/order-reserve/backorder.jsonl"
	run -0 jq -r '.errors[0].message' <<<"$stderr"
	assert_output "SKU 'MUG-WHITE': потрібно 5, у наявності 2"
}

@test "LANG=ru_RU.UTF-8: pay-reconcile's rejects in Russian, amounts by the exponent" {
	store_at "$BATS_TEST_TMPDIR/pay.db"
	LANG=ru_RU.UTF-8 LC_ALL= run -0 --separate-stderr pay-reconcile \
	    --db "$BATS_TEST_TMPDIR/pay.db" \
	    --payments "$ROOT/pay-reconcile/stripe-charges.jsonl" \
	    "$ROOT/pay-reconcile/stripe-orders.jsonl"
	run -0 jq -r 'select(.id == "SHOP-1002" or .id == "SHOP-1004") |
	    .errors[0] | .code + ": " + .message' <<<"$stderr"
	assert_output "underpaid: оплачено 45.00 из 50.00 USD
unpaid: оплата 25.00 USD не поступила"
	run -0 jq -r 'select(.line == 18) | .errors[0] | .code + ": " +
	    .message' <<<"$stderr"
	assert_output "bad_amount: amount '12.5' не целое число копеек (центов)"
}

@test "LC_ALL=C wins over LANG: English" {
	stocked
	LANG=ru_RU.UTF-8 LC_ALL=C run -0 --separate-stderr order-reserve \
	    --db "$DB" "$ROOT/order-reserve/backorder.jsonl"
	run -0 jq -r '.errors[0].message' <<<"$stderr"
	assert_output "SKU 'MUG-WHITE': 5 wanted, 2 in stock"
}

@test "stock-load and a line that is no record speak Ukrainian too" {
	store_at "$DB"
	LANG=uk_UA.UTF-8 LC_ALL= run -0 --separate-stderr stock-load --db "$DB" \
	    "$ROOT/stock-load/bad-rows.csv"
	run -0 jq -r '.errors[0].message' <<<"$stderr"
	assert_line 'qty -1 менше нуля'
	assert_line 'немає sku'
	LANG=uk_UA.UTF-8 LC_ALL= run -0 --separate-stderr order-reserve \
	    --db "$DB" "$BROKEN/number.jsonl"
	run -0 jq -r '.errors[0].message' <<<"$stderr"
	assert_output --partial 'не об'
}

@test "order-import, order-export, ship-book and track-poll speak Russian and Ukrainian, codes unchanged" {
	printf '%s\n' 'Name,Currency,Lineitem quantity,Lineitem name,Lineitem price' \
	    '#1,EUR,0,Hat,10.00' >"$BATS_TEST_TMPDIR/q.csv"
	LANG=uk_UA.UTF-8 LC_ALL= run -0 --separate-stderr order-import \
	    "$BATS_TEST_TMPDIR/q.csv"
	run -0 jq -r '.errors[0] | .code + ": " + .message' <<<"$stderr"
	assert_output "bad_qty: рядок 2: кількість '0' менша за 1"
	printf '{"items":3}\n' >"$BATS_TEST_TMPDIR/x.jsonl"
	LANG=ru_RU.UTF-8 LC_ALL= run -0 --separate-stderr order-export \
	    --columns id "$BATS_TEST_TMPDIR/x.jsonl"
	run -0 jq -r '.errors[0] | .code + ": " + .message' <<<"$stderr"
	assert_output 'missing_field: нет id заказа'
	printf '{"id":"A-1","status":"paid","items":[{"sku":"X","qty":1}]}\n' \
	    >"$BATS_TEST_TMPDIR/b.jsonl"
	store_at "$BATS_TEST_TMPDIR/s.db"
	store_at "$BATS_TEST_TMPDIR/t.db"
	LANG=ru_RU.UTF-8 LC_ALL= run -0 --separate-stderr ship-book --dry-run \
	    --db "$BATS_TEST_TMPDIR/s.db" "$BATS_TEST_TMPDIR/b.jsonl"
	run -0 jq -r '.errors[0] | .code + ": " + .message' <<<"$stderr"
	assert_output 'no_carrier: нет перевозчика: ни в записи, ни в --carrier, ни в [shop] carrier'
	printf '{"id":"A-1","shipment":{"carrier":"cdek","parcels":[{"n":1}]}}\n' \
	    >"$BATS_TEST_TMPDIR/t.jsonl"
	LANG=uk_UA.UTF-8 LC_ALL= run -0 --separate-stderr track-poll \
	    --db "$BATS_TEST_TMPDIR/t.db" "$BATS_TEST_TMPDIR/t.jsonl"
	run -0 jq -r '.errors[0] | .code + ": " + .message' <<<"$stderr"
	assert_output 'no_tracking_number: немає трек-номера для відстеження'
}
