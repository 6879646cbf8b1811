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

t_levels() {
	use_backend "$1"
	stock-load "$FIXTURES/stock.csv" >/dev/null
	printf '{"id":"L-1","items":[{"sku":"TSHIRT-RED-M","qty":2}]}\n' |
	    order-reserve >/dev/null
	run -0 --separate-stderr stock-levels
	assert_stderr ''
	assert_output '{"sku":"MUG-WHITE","warehouse":"MSK","on_hand":2,"reserved":0,"available":2}
{"sku":"TSHIRT-RED-M","warehouse":"MSK","on_hand":5,"reserved":0,"available":5}
{"sku":"TSHIRT-RED-M","warehouse":"SPB","on_hand":3,"reserved":2,"available":1}'
	run -0 --separate-stderr stock-levels --sku TSHIRT-RED-M --warehouse SPB
	assert_output '{"sku":"TSHIRT-RED-M","warehouse":"SPB","on_hand":3,"reserved":2,"available":1}'
	run -0 --separate-stderr stock-levels --sku NONE
	assert_output ''
}
@test "sqlite: levels per SKU and warehouse, reserved and available" { t_levels sqlite; }
@test "postgres: levels per SKU and warehouse, reserved and available" { t_levels postgres; }

# A program that only reads works on a store it may not write: a store at
# its version is opened without a write (no CREATE TABLE IF NOT EXISTS).
t_read_only() {
	use_backend "$1"
	stock-load "$FIXTURES/stock.csv" >/dev/null
	read_only_store
	run -0 --separate-stderr no_override stock-levels --sku MUG-WHITE
	assert_stderr ''
	assert_output '{"sku":"MUG-WHITE","warehouse":"MSK","on_hand":2,"reserved":0,"available":2}'
	run -0 --separate-stderr no_override stock-levels
	assert_equal "$(wc -l <<<"$output")" 3
}
@test "sqlite: stock-levels reads a store it may not write" { t_read_only sqlite; }
@test "postgres: stock-levels reads a store it may not write" { t_read_only postgres; }

# One that lacks the stock tables must still be written: 73, as before.
t_read_only_new() {
	use_backend "$1"
	read_only_store
	run -73 --separate-stderr no_override stock-levels
	assert_output ''
	assert_stderr --partial "stock-levels: cannot write store '"
}
@test "sqlite: a store it may not write and without the stock tables is 73" { t_read_only_new sqlite; }
@test "postgres: a store it may not write and without the stock tables is 73" { t_read_only_new postgres; }

# A mistyped --db in cron must not make an empty store that backorders
# everything: a program that only reads creates none.
t_no_store() {
	use_backend --none "$1"
	run -66 --separate-stderr stock-levels
	assert_output ''
	assert_stderr "stock-levels: no store at '${ORDERKIT_DB/:orderkit@/:orderkit@}'"
	if [[ $1 == sqlite ]]; then
		refute [ -e "$ORDERKIT_DB" ]
		: >"$ORDERKIT_DB"
		run -66 --separate-stderr stock-levels
		assert_stderr "stock-levels: no store at '$ORDERKIT_DB'"
	else
		run -0 sql "SELECT count(*) FROM information_schema.tables
		    WHERE table_schema = 't${BATS_TEST_NUMBER}_$$'"
		assert_output 0
	fi
	run -66 --separate-stderr stock-levels --db "$BATS_TEST_TMPDIR/typo.db"
	assert_stderr "stock-levels: no store at '$BATS_TEST_TMPDIR/typo.db'"
	refute [ -e "$BATS_TEST_TMPDIR/typo.db" ]
}
@test "sqlite: stock-levels creates no store: 'no store at', 66" { t_no_store sqlite; }
@test "postgres: stock-levels creates no store: 'no store at', 66" { t_no_store postgres; }

# The program that makes a store says where, once.
t_created() {
	use_backend --none "$1"
	run -0 --separate-stderr stock-load "$FIXTURES/stock.csv"
	assert_output ''
	assert_stderr "stock-load: created the store '$ORDERKIT_DB'"
	run -0 --separate-stderr stock-load "$FIXTURES/stock.csv"
	assert_stderr ''
	run -0 --separate-stderr order-reserve </dev/null
	assert_stderr ''
}
@test "sqlite: the first program to create the store says where, once" { t_created sqlite; }
@test "postgres: the first program to create the store says where, once" { t_created postgres; }

@test "example: stock-levels --sku TSHIRT-RED-M" {
	use_backend sqlite
	stock-load "$FIXTURES/stock.csv" >/dev/null
	run -0 --separate-stderr stock-levels --sku TSHIRT-RED-M
	assert_equal "${#lines[@]}" 2
}

@test "--help prints the usage; a bad option or an operand is 64" {
	run -0 --separate-stderr stock-levels --help
	assert_output --partial 'usage: stock-levels'
	run -64 --separate-stderr stock-levels --bogus
	assert_output ''
	assert_stderr --partial 'usage: stock-levels'
	run -64 --separate-stderr stock-levels file
	assert_output ''
	assert_stderr --partial 'stock-levels: no operands are read'
}

@test "broken inputs: an operand is a usage error, standard input is not read" {
	local f levels
	load test_helper/broken
	use_backend sqlite
	stock-load "$FIXTURES/stock.csv" >/dev/null
	run -0 --separate-stderr stock-levels </dev/null
	levels=$output
	assert_equal "${#lines[@]}" 3
	broken_all
	for f in "${BROKEN_FILES[@]}"; do
		run -64 --separate-stderr stock-levels "$BROKEN/$f"
		assert_output ''
		assert_stderr --partial 'stock-levels: no operands are read'
		run -0 --separate-stderr stock-levels <"$BROKEN/$f"
		assert_output "$levels"
		assert_stderr ''
	done
}

@test "a write error on standard output exits 74" {
	use_backend sqlite
	stock-load "$FIXTURES/stock.csv" >/dev/null
	run -74 --separate-stderr sh -c 'stock-levels >/dev/full'
	assert_stderr --partial "cannot write '<stdout>': No space left"
}

@test "an unreachable server exits 75, a bad URL 78" {
	run -75 --separate-stderr stock-levels \
	    --db postgresql://orderkit@127.0.0.1:1/x
	assert_output ''
	assert_stderr --partial "stock-levels: cannot connect to store 'postgresql://orderkit@127.0.0.1:1/x'"
	run -78 --separate-stderr stock-levels --db 'postgresql://u:secret@[x'
	assert_output ''
	assert_stderr --partial "stock-levels: bad store URL 'postgresql://u@[x'"
	[[ $stderr != *secret* ]] || fail "the password was shown: $stderr"
}
