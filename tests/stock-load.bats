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

t_set() {
	use_backend "$1"
	run -0 --separate-stderr stock-load "$FIXTURES/stock.csv"
	assert_stderr ''
	assert_output ''
	run -0 --separate-stderr stock-levels
	assert_output '{"sku":"MUG-WHITE","warehouse":"MSK","on_hand":2,"reserved":0,"available":2}
{"sku":"TSHIRT-RED-M","warehouse":"MSK","on_hand":5,"reserved":0,"available":5}
{"sku":"TSHIRT-RED-M","warehouse":"SPB","on_hand":3,"reserved":0,"available":3}'
	run -0 sql "SELECT id, priority, regions FROM warehouses ORDER BY id"
	assert_output $'MSK|10|RU-MOW;Москва\nSPB|20|'
	# set again: the same levels, not twice as much
	run -0 --separate-stderr stock-load "$FIXTURES/stock.csv"
	assert_stderr ''
	assert_output ''
	run -0 sql "SELECT SUM(on_hand) FROM stock"
	assert_output 10
}
@test "sqlite: CSV rows set on-hand stock and the warehouses' priority and regions" { t_set sqlite; }
@test "postgres: CSV rows set on-hand stock and the warehouses' priority and regions" { t_set postgres; }

t_add() {
	use_backend "$1"
	stock-load "$FIXTURES/stock.csv" >/dev/null
	run -0 --separate-stderr stock-load --mode add "$FIXTURES/adjust.jsonl"
	assert_output ''
	run -0 jq -c '[.qty, .line, .errors[].code]' <<<"$stderr"
	assert_output '[-10,3,"below_zero"]'
	run -0 --separate-stderr stock-levels --warehouse MSK
	assert_output '{"sku":"MUG-WHITE","warehouse":"MSK","on_hand":5,"reserved":0,"available":5}
{"sku":"TSHIRT-RED-M","warehouse":"MSK","on_hand":3,"reserved":0,"available":3}'
}
@test "sqlite: --mode add adjusts stock from JSON lines and never below zero" { t_add sqlite; }
@test "postgres: --mode add adjusts stock from JSON lines and never below zero" { t_add postgres; }

t_reserved() {
	use_backend "$1"
	stock-load "$FIXTURES/stock.csv" >/dev/null
	printf '{"id":"R-1","items":[{"sku":"MUG-WHITE","qty":2}]}\n' |
	    order-reserve >/dev/null
	run -0 --separate-stderr stock-load <<<$'sku,warehouse,qty\nMUG-WHITE,MSK,1'
	assert_output ''
	run -0 jq -r '.errors[].code' <<<"$stderr"
	assert_output below_reserved
	run -0 stock-levels --sku MUG-WHITE
	assert_output '{"sku":"MUG-WHITE","warehouse":"MSK","on_hand":2,"reserved":2,"available":0}'
}
@test "sqlite: stock cannot be set below what is reserved" { t_reserved sqlite; }
@test "postgres: stock cannot be set below what is reserved" { t_reserved postgres; }

t_bad_rows() {
	use_backend "$1"
	run -0 --separate-stderr stock-load --rejects "$BATS_TEST_TMPDIR/r" \
	    "$FIXTURES/bad-rows.csv"
	assert_output ''
	run -0 --separate-stderr stock-levels
	assert_output '{"sku":"CAP-BLACK","warehouse":"SPB","on_hand":3,"reserved":0,"available":3}'
	run -0 jq -c '[.line, .raw, .errors[].code]' "$BATS_TEST_TMPDIR/r"
	assert_output '[2,"TSHIRT-RED-M,MSK,-1","negative_qty"]
[3,",MSK,4","missing_field"]
[4,"MUG-WHITE,MSK,two","bad_qty"]
[5,"CAP-BLACK,,3","missing_field"]'
}
@test "sqlite: bad rows are rejects with their line and raw text; good rows load" { t_bad_rows sqlite; }
@test "postgres: bad rows are rejects with their line and raw text; good rows load" { t_bad_rows postgres; }

# Sixteen processes at once add stock to the same rows, their files naming
# the warehouses in six different orders: on PostgreSQL a program that
# locked the warehouses in file order deadlocked in most of them.
t_concurrent_add() {
	local i w s perms=("W1 W2 W3" "W3 W2 W1" "W2 W1 W3" "W1 W3 W2" \
	    "W3 W1 W2" "W2 W3 W1")

	use_backend "$1"
	run -0 --separate-stderr stock-load </dev/null
	for ((i = 0; i < 16; i++)); do
		for w in ${perms[i % 6]}; do
			for ((s = 0; s < 20; s++)); do
				printf '{"sku":"S-%02d","warehouse":"%s","qty":%d,"priority":%d}\n' \
				    "$s" "$w" "$((i + 1))" "${w#W}"
			done
		done >"$BATS_TEST_TMPDIR/add.$i"
	done
	for ((i = 0; i < 16; i++)); do
		stock-load --mode add "$BATS_TEST_TMPDIR/add.$i" \
		    >"$BATS_TEST_TMPDIR/out.$i" 2>"$BATS_TEST_TMPDIR/err.$i" &
	done
	for ((i = 0; i < 16; i++)); do
		wait -n || echo "exit $?"
	done >"$BATS_TEST_TMPDIR/statuses"
	run -0 cat "$BATS_TEST_TMPDIR/statuses" "$BATS_TEST_TMPDIR"/err.*
	assert_output ''
	run -0 cat "$BATS_TEST_TMPDIR"/out.*
	assert_output ''
	assert_equal "$(stock-levels | wc -l)" 60
	# each row got 1 + 2 + ... + 16, once from every process
	run -0 sql "SELECT COUNT(*), MIN(on_hand), MAX(on_hand) FROM stock"
	assert_output "60|136|136"
	run -0 sql "SELECT id, priority FROM warehouses ORDER BY id"
	assert_output $'W1|1\nW2|2\nW3|3'
}
@test "sqlite: sixteen --mode add runs at once add up exactly, whatever their order" { t_concurrent_add sqlite; }
@test "postgres: sixteen --mode add runs at once add up exactly, whatever their order" { t_concurrent_add postgres; }

# stock-load's adds beside order-reserve reserving, releasing, committing
# and expiring the same stock: every program locks in store.h's order.
t_concurrent_programs() {
	local i w s perms=("W1 W2 W3" "W3 W2 W1" "W2 W1 W3" "W1 W3 W2")

	use_backend "$1"
	for w in W1 W2 W3; do
		for ((s = 0; s < 10; s++)); do
			printf '{"sku":"S%d","warehouse":"%s","qty":1000}\n' "$s" "$w"
		done
	done | stock-load >/dev/null
	for g in a b c d e; do
		awk -v g=$g 'BEGIN { for (i = 0; i < 200; i++)
			printf("{\"id\":\"%s-%d\",\"items\":[{\"sku\":\"S%d\",\"qty\":1},{\"sku\":\"S%d\",\"qty\":2}]}\n",
			    g, i, i % 10, (i * 7 + 3) % 10) }' >"$BATS_TEST_TMPDIR/o.$g"
	done
	order-reserve "$BATS_TEST_TMPDIR/o.c" "$BATS_TEST_TMPDIR/o.d" >/dev/null
	order-reserve --ttl 1h --now 2026-01-01T00:00:00Z \
	    "$BATS_TEST_TMPDIR/o.e" >/dev/null
	for ((i = 0; i < 4; i++)); do
		for w in ${perms[i]}; do
			for s in 9 3 0 5 1 7 2 8 4 6; do
				printf '{"sku":"S%d","warehouse":"%s","qty":1}\n' "$s" "$w"
			done
		done >"$BATS_TEST_TMPDIR/add.$i"
	done
	for ((i = 0; i < 4; i++)); do
		stock-load --mode add "$BATS_TEST_TMPDIR/add.$i" >/dev/null \
		    2>"$BATS_TEST_TMPDIR/err.l$i" &
	done
	order-reserve --batch 5 "$BATS_TEST_TMPDIR/o.a" >/dev/null \
	    2>"$BATS_TEST_TMPDIR/err.a" &
	order-reserve --batch 7 "$BATS_TEST_TMPDIR/o.b" >/dev/null \
	    2>"$BATS_TEST_TMPDIR/err.b" &
	order-reserve --batch 5 --release "$BATS_TEST_TMPDIR/o.c" >/dev/null \
	    2>"$BATS_TEST_TMPDIR/err.c" &
	order-reserve --batch 5 --commit "$BATS_TEST_TMPDIR/o.d" >/dev/null \
	    2>"$BATS_TEST_TMPDIR/err.d" &
	order-reserve --batch 5 --expire --now 2026-02-01T00:00:00Z >/dev/null \
	    2>"$BATS_TEST_TMPDIR/err.e" &
	for ((i = 0; i < 9; i++)); do
		wait -n || echo "exit $?"
	done >"$BATS_TEST_TMPDIR/statuses"
	run -0 cat "$BATS_TEST_TMPDIR/statuses" "$BATS_TEST_TMPDIR"/err.*
	assert_output ''
	run -0 sql "SELECT state, COUNT(*) FROM reservations GROUP BY state ORDER BY state"
	assert_output $'active|400\ncommitted|200\nexpired|200\nreleased|200'
	# 30000 loaded, 120 added, 600 shipped by the commits; a and b hold 1200
	run -0 sql "SELECT SUM(on_hand), SUM(reserved) FROM stock"
	assert_output "29520|1200"
}
@test "sqlite: stock-load and order-reserve's four modes at once all finish" { t_concurrent_programs sqlite; }
@test "postgres: stock-load and order-reserve's four modes at once all finish" { t_concurrent_programs postgres; }

@test "a warehouse named in many rows keeps the last priority and regions given" {
	use_backend sqlite
	run -0 --separate-stderr stock-load <<<'sku,warehouse,qty,priority,regions
A,W2,1,5,X
A,W1,1,7,
B,W2,1,,Y;Z
B,W1,1,,
C,W2,1,6,'
	assert_stderr ''
	assert_output ''
	run -0 sql "SELECT id, priority, regions FROM warehouses ORDER BY id"
	assert_output $'W1|7|\nW2|6|Y;Z'
}

@test "a bad JSON row is a reject with its file, line and raw text" {
	use_backend sqlite
	printf '{"sku":"A","warehouse":"W","qty":1}\n\n{"sku":"B","warehouse":"W","qty":"x"}\n' \
	    >"$BATS_TEST_TMPDIR/rows.jsonl"
	run -0 --separate-stderr stock-load "$BATS_TEST_TMPDIR/rows.jsonl"
	assert_output ''
	run -0 jq -c '[(.file | sub(".*/"; "")), .line, .raw, .errors[].code]' <<<"$stderr"
	assert_output '["rows.jsonl",3,"{\"sku\":\"B\",\"warehouse\":\"W\",\"qty\":\"x\"}","bad_qty"]'
}

@test "a fractional qty in JSON is bad_qty, as in CSV" {
	use_backend sqlite
	run -0 --separate-stderr stock-load <<<'{"sku":"A","warehouse":"W","qty":2.5}
{"sku":"A","warehouse":"W","qty":2.0}
{"sku":"A","warehouse":"W","qty":1,"priority":1.5}'
	assert_output ''
	run -0 jq -c '[.errors[] | .code, .field]' <<<"$stderr"
	assert_output '["bad_qty","qty"]
["bad_qty","qty"]
["bad_priority","priority"]'
}

@test "a number beyond 64 bits in a key stock-load ignores does not reject the row" {
	use_backend sqlite
	printf '%s\n' '{"sku":"A","warehouse":"W","qty":3,"ozon_id":12345678901234567890,"w":1e-7}' \
	    '{"sku":"B","warehouse":"W","qty":12345678901234567890,"w":100.50}' \
	    '{"sku":"C","warehouse":"W","qty":2.50}' >"$BATS_TEST_TMPDIR/rows.jsonl"
	run -0 --separate-stderr stock-load --rejects "$BATS_TEST_TMPDIR/r" \
	    "$BATS_TEST_TMPDIR/rows.jsonl"
	assert_output ''
	run -0 --separate-stderr stock-levels
	assert_output '{"sku":"A","warehouse":"W","on_hand":3,"reserved":0,"available":3}'
	run -0 jq -r '[.sku, .errors[].code, .errors[].message] | join(" ")' \
	    "$BATS_TEST_TMPDIR/r"
	assert_output "B bad_qty qty '12345678901234567890' is not a whole number
C bad_qty qty 2.50 is not a whole number"
	# The reject is the row as it came.
	run -0 grep -F '"sku":"B","warehouse":"W","qty":12345678901234567890,"w":100.50,' \
	    "$BATS_TEST_TMPDIR/r"
}

@test "--stats counts the rows, not a CSV header: read = loaded + rejected" {
	use_backend sqlite
	run -0 --separate-stderr stock-load --stats --rejects /dev/null \
	    "$FIXTURES/bad-rows.csv"
	assert_stderr 'stock-load: 5 read, 1 loaded, 4 rejected'
	run -0 --separate-stderr stock-load --stats --rejects /dev/null \
	    "$FIXTURES/no-warehouse.csv"
	assert_stderr 'stock-load: 3 read, 0 loaded, 3 rejected'
}

@test "a file bigger than one read loads whole, from a file or a pipe" {
	use_backend sqlite
	awk 'BEGIN { print "sku,warehouse,qty"
		for (i = 0; i < 6000; i++) printf("SKU-%05d,W,%d\n", i, i % 7) }' \
	    >"$BATS_TEST_TMPDIR/big.csv"
	run -0 --separate-stderr stock-load --stats "$BATS_TEST_TMPDIR/big.csv"
	assert_stderr 'stock-load: 6000 read, 6000 loaded, 0 rejected'
	run -0 --separate-stderr sh -c 'cat "$1" | stock-load --mode add --stats' \
	    sh "$BATS_TEST_TMPDIR/big.csv"
	assert_stderr 'stock-load: 6000 read, 6000 loaded, 0 rejected'
	run -0 sql "SELECT SUM(on_hand) FROM stock"
	assert_output "$((2 * 17997))"
}

@test "--warehouse names the warehouse of a file without one" {
	use_backend sqlite
	run -0 --separate-stderr stock-load --warehouse EKB \
	    "$FIXTURES/no-warehouse.csv"
	assert_stderr ''
	assert_output ''
	run -0 sql "SELECT sku, warehouse, on_hand FROM stock ORDER BY sku"
	assert_output $'MUG-WHITE|EKB|1\nTSHIRT-RED-M|EKB|7'
	run -0 --separate-stderr stock-load "$FIXTURES/no-warehouse.csv"
	assert_output ''
	run -0 jq -r '.errors[].code' <<<"$stderr"
	assert_output $'bad_header\nbad_header\nbad_header'
}

@test "with --catalog a SKU the catalog lacks is rejected as unknown_sku" {
	use_backend sqlite
	run -0 --separate-stderr stock-load --catalog "$FIXTURES/catalog.csv" \
	    "$FIXTURES/stock.csv"
	assert_output ''
	assert_equal "$(stock-levels | wc -l)" 2
	run -0 jq -r '.errors[].code' <<<"$stderr"
	assert_output unknown_sku
}

@test "broken lines are rejects, and every line is out or rejected" {
	use_backend sqlite
	printf '{"sku":"A","warehouse":"W","qty":1}\nnot json\n[1]\n\xff{}\n{"sku":1.5,"warehouse":"W","qty":1}\n{"sku":"B","warehouse":"W","qty":1.5}\n' \
	    >"$BATS_TEST_TMPDIR/broken"
	: >"$BATS_TEST_TMPDIR/empty"
	run -0 --separate-stderr stock-load --rejects "$BATS_TEST_TMPDIR/r" \
	    "$BATS_TEST_TMPDIR/broken" "$BATS_TEST_TMPDIR/empty" /dev/null
	assert_output ''
	assert_equal "$(stock-levels | wc -l)" 1
	assert_equal "$(count_lines "$BATS_TEST_TMPDIR/r")" 5
}

@test "broken inputs: no crash, every row loaded or rejected" {
	local f rows
	load test_helper/broken
	use_backend sqlite
	broken_all
	# not-json.jsonl is CSV (its first byte is no "{"): a header and one
	# row, whose quoted field goes on over the next line.
	while read -r f rows; do
		rm -f "$BATS_TEST_TMPDIR/r"
		run -0 --separate-stderr stock-load --stats \
		    --rejects "$BATS_TEST_TMPDIR/r" "$BROKEN/$f"
		assert_output ''
		assert_stderr "stock-load: $rows read, 0 loaded, $rows rejected"
		assert_equal "$f: $(count_lines "$BATS_TEST_TMPDIR/r") rejected" \
		    "$f: $rows rejected"
		broken_codes "$BATS_TEST_TMPDIR/r"
	done <<-EOF
	array.jsonl 2
	bad-utf8.jsonl 3
	crlf-bom.jsonl 2
	empty.jsonl 0
	not-json.jsonl 2
	nul-byte.jsonl 2
	number.jsonl 5
	EOF
	run -0 sql "SELECT COUNT(*) FROM stock"
	assert_output 0
}

@test "--help, a bad option, a bad --mode" {
	run -0 --separate-stderr stock-load --help
	assert_line --index 0 --partial 'usage: stock-load'
	run -64 --separate-stderr stock-load --bogus
	assert_output ''
	assert_stderr --partial 'usage: stock-load'
	run -64 --separate-stderr stock-load --mode replace
	assert_stderr --partial "--mode 'replace' is not set or add"
}

@test "an unreadable operand exits 66, an uncreatable --rejects 73" {
	use_backend sqlite
	run -66 --separate-stderr stock-load "$BATS_TEST_TMPDIR/none" \
	    "$FIXTURES/stock.csv"
	assert_stderr --partial "cannot open '$BATS_TEST_TMPDIR/none'"
	assert_output ''
	assert_equal "$(stock-levels | wc -l)" 3
	run -73 --separate-stderr stock-load --rejects /nonexistent/r \
	    "$FIXTURES/stock.csv"
	assert_output ''
	assert_stderr "stock-load: cannot open '/nonexistent/r': No such file or directory"
}

@test "a directory as an operand or --catalog is 66, as a file that cannot be opened" {
	use_backend sqlite
	mkdir "$BATS_TEST_TMPDIR/dir"
	run -66 --separate-stderr stock-load "$BATS_TEST_TMPDIR/dir" \
	    "$FIXTURES/stock.csv"
	assert_stderr "stock-load: cannot read '$BATS_TEST_TMPDIR/dir': Is a directory"
	assert_output ''
	assert_equal "$(stock-levels | wc -l)" 3
	run -66 --separate-stderr stock-load --catalog "$BATS_TEST_TMPDIR/dir" \
	    "$FIXTURES/stock.csv"
	assert_output ''
	assert_stderr "stock-load: cannot read '$BATS_TEST_TMPDIR/dir': Is a directory"
}

@test "a directory as standard input is 66, as a directory named" {
	use_backend sqlite
	mkdir "$BATS_TEST_TMPDIR/dir"
	run -66 --separate-stderr sh -c 'stock-load <"$1"' sh \
	    "$BATS_TEST_TMPDIR/dir"
	assert_output ''
	assert_stderr "stock-load: cannot read '<stdin>': Is a directory"
	run -66 --separate-stderr sh -c 'stock-load - "$2" <"$1"' sh \
	    "$BATS_TEST_TMPDIR/dir" "$FIXTURES/stock.csv"
	assert_stderr "stock-load: cannot read '<stdin>': Is a directory"
	assert_output ''
	assert_equal "$(stock-levels | wc -l)" 3
}

@test "a read error is 74 from a file as from standard input, the others loaded" {
	use_backend sqlite
	run -74 --separate-stderr stock-load /proc/self/mem "$FIXTURES/stock.csv"
	assert_stderr "stock-load: cannot read '/proc/self/mem': Input/output error"
	assert_output ''
	assert_equal "$(stock-levels | wc -l)" 3
	run -74 --separate-stderr sh -c 'stock-load 0>/dev/null'
	assert_output ''
	assert_stderr "stock-load: cannot read '<stdin>': Bad file descriptor"
}

@test "standard output stays empty: a full one is no error, and nothing floods a cron mail" {
	use_backend sqlite
	run -0 --separate-stderr sh -c 'stock-load "$1" >/dev/full' sh \
	    "$FIXTURES/stock.csv"
	assert_stderr ''
	run -0 sql "SELECT SUM(on_hand) FROM stock"
	assert_output 10
}

@test "a store that cannot be created exits 73, a file that is no store 78" {
	run -73 --separate-stderr stock-load --db /nonexistent/dir/x.db \
	    "$FIXTURES/stock.csv"
	assert_stderr --partial "cannot open store '/nonexistent/dir/x.db'"
	echo 'not a database, just text that is long enough to matter.....' \
	    >"$BATS_TEST_TMPDIR/text"
	run -78 --separate-stderr stock-load --db "$BATS_TEST_TMPDIR/text" \
	    "$FIXTURES/stock.csv"
	assert_stderr --partial "is not an orderkit store"
}

# A store that exists but may not be written is an output that cannot be
# created: 73 from every program that writes state, on either backend.
t_read_only() {
	use_backend "$1"
	stock-load "$FIXTURES/stock.csv" >/dev/null
	read_only_store
	run -73 --separate-stderr no_override stock-load "$FIXTURES/stock.csv"
	assert_output ''
	assert_stderr --partial "stock-load: cannot write store '"
	run -73 --separate-stderr no_override order-reserve <<<'{"id":"R-1","items":[{"sku":"MUG-WHITE","qty":1}]}'
	assert_output ''
	assert_stderr --partial "order-reserve: cannot write store '"
	run -73 --separate-stderr no_override pay-reconcile --payments \
	    "$FIXTURES/../pay-reconcile/stripe-charges.jsonl" \
	    "$FIXTURES/../pay-reconcile/stripe-orders.jsonl"
	assert_output ''
	assert_stderr --partial "pay-reconcile: cannot write store '"
	run -0 sql "SELECT SUM(on_hand), SUM(reserved) FROM stock"
	assert_output '10|0'
}
@test "sqlite: a store that may not be written exits 73 in every program writing it" { t_read_only sqlite; }
@test "postgres: a store that may not be written exits 73 in every program writing it" { t_read_only postgres; }

@test "postgres: a read-only server or transaction exits 73" {
	use_backend postgres
	stock-load "$FIXTURES/stock.csv" >/dev/null
	run -73 --separate-stderr env \
	    ORDERKIT_DB="$ORDERKIT_DB%20-cdefault_transaction_read_only%3Don" \
	    stock-load "$FIXTURES/stock.csv"
	assert_output ''
	assert_stderr --partial "in a read-only transaction"
}

@test "example: stock-load --warehouse MSK stock.csv" {
	use_backend sqlite
	run -0 --separate-stderr stock-load --warehouse MSK \
	    "$FIXTURES/no-warehouse.csv"
	assert_output ''
	assert_equal "$(stock-levels | wc -l)" 2
}

@test "example: stock-load --mode add received.jsonl; stock-levels --warehouse MSK" {
	use_backend sqlite
	stock-load "$FIXTURES/stock.csv" >/dev/null
	echo '{"sku":"MUG-WHITE","warehouse":"MSK","qty":10}' \
	    >"$BATS_TEST_TMPDIR/received.jsonl"
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr sh -c 'stock-load --mode add received.jsonl
	    stock-levels --warehouse MSK'
	assert_stderr ''
	assert_output '{"sku":"MUG-WHITE","warehouse":"MSK","on_hand":12,"reserved":0,"available":12}
{"sku":"TSHIRT-RED-M","warehouse":"MSK","on_hand":5,"reserved":0,"available":5}'
}
