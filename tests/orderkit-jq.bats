#!/usr/bin/env bats
# scripts/orderkit.jq, the jq module installed with the toolkit: amounts
# by the currency's exponent, through real jq with -L, as installed.
bats_require_minimum_version 1.5.0

setup() {
	load test_helper/common
	TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	MODULES="$TOP/scripts"
}

# okjq ARG...: jq with the module's directory on its path.
okjq() {
	jq -L "$MODULES" "$@"
}

@test "money(currency) writes minor units by the exponent: JPY none, KWD three" {
	run -0 --separate-stderr okjq -nr 'include "orderkit";
	    (129900 | money("RUB")), (1500 | money("JPY")), (3755 | money("KWD")),
	    (1 | money("BHD")), (10 | money("OMR")), (100 | money("JOD")),
	    (1000 | money("TND")), (5 | money("LYD")), (123456 | money("IQD")),
	    (12345 | money("CLF")), (1299 | money("USD")), (5 | money("EUR")),
	    (0 | money("USD")), (-0 | money("EUR")), (-5 | money("KWD")),
	    (-129950 | money("RUB")), (7 | money("KRW")), (5 | money("RUR")),
	    (9007199254740991 | money("USD"))'
	assert_stderr ''
	assert_output '1299.00
1500
3.755
0.001
0.010
0.100
1.000
0.005
123.456
1.2345
12.99
0.05
0.00
0.00
-0.005
-1299.50
7
0.05
90071992547409.91'
}

@test "money(amount; currency) on an order, money on an {amount, currency}" {
	run -0 --separate-stderr okjq -c 'include "orderkit";
	    [money(.totals.total; .currency), money(.items[].unit_price; .currency),
	     ({amount: .totals.shipping, currency} | money)]' \
	    "$BATS_TEST_DIRNAME/fixtures/order-export/orders.jsonl"
	assert_stderr ''
	assert_output '["3297.00","1299.00","499.00","300.00"]
["4500","1500","0"]
["14.260","12.750","0.005","1.500"]
["19.06","12.99","5.00"]'
}

@test "import \"orderkit\" as a namespace works as well as include" {
	run -0 --separate-stderr okjq -n 'import "orderkit" as ok;
	    1500 | ok::money("JPY")'
	assert_output '"1500"'
}

@test "minor(currency) reads a decimal back into minor units, exactly" {
	run -0 --separate-stderr okjq -nc 'include "orderkit";
	    ["12.50" | minor("USD")], [12.5 | minor("USD")], ["1500" | minor("JPY")],
	    ["-3.7550" | minor("KWD")], ["12,5" | minor("EUR")], [" 0.05 " | minor("USD")],
	    ["+7" | minor("RUB")], ["1390.000000" | minor("RUB")], ["3." | minor("USD")],
	    [0.1 + 0.2 | try minor("USD") catch .]'
	assert_stderr ''
	assert_output '[1250]
[1250]
[1500]
[-3755]
[1250]
[5]
[700]
[139000]
[300]
["\"0.30000000000000004\" has more decimals than USD has (2)"]'
}

@test "what is no amount, or no currency, is an error, never a rounding" {
	local expr want
	# EXPR # the message of its error
	while read -r expr; do
		want=${expr#* # }
		expr=${expr%% # *}
		run -5 --separate-stderr okjq -n "include \"orderkit\"; $expr"
		assert_output ''
		assert_stderr "jq: error (at <unknown>): $want"
	done <<-'EOF'
	12.5 | money("USD") # 12.5 is not a whole number of minor units
	"1250" | money("USD") # "1250" is not a whole number of minor units
	null | money("USD") # null is not a whole number of minor units
	1 | money("XYZ") # "XYZ" is not an ISO 4217 currency code
	1 | money("usd") # "usd" is not an ISO 4217 currency code
	1 | money(null) # null is not an ISO 4217 currency code
	1e17 | money("USD") # 1e+17 is beyond the integers jq holds exactly
	"12.505" | minor("USD") # "12.505" has more decimals than USD has (2)
	"1.5" | minor("JPY") # "1.5" has more decimals than JPY has (0)
	"12 USD" | minor("USD") # "12 USD" is not an amount
	"1,299.50" | minor("USD") # "1,299.50" is not an amount
	"" | minor("USD") # "" is not an amount
	[1] | minor("USD") # [1] is not an amount
	"1" | minor("XYZ") # "XYZ" is not an ISO 4217 currency code
	"99999999999999999" | minor("JPY") # "99999999999999999" is beyond the integers jq holds exactly
	EOF
}

@test "the module's currencies and exponents are lib/money.c's" {
	local c_table jq_table
	c_table=$(grep -o '{"[A-Z]\{3\}", [0-9]}' "$TOP/lib/money.c" |
	    sed 's/{"\([A-Z]*\)", \([0-9]\)}/\1 \2/' | sort)
	jq_table=$(okjq -nr 'include "orderkit";
	    _orderkit_exponents | to_entries[] | "\(.key) \(.value)"' | sort)
	assert [ "$(wc -l <<<"$c_table")" -gt 150 ]
	assert_equal "$jq_table" "$c_table"
	run -0 --separate-stderr okjq -nr 'include "orderkit";
	    "RUR" | currency_exponent'
	assert_output 2
}

@test "every currency: money then minor gives the amount back" {
	run -0 --separate-stderr okjq -nr 'include "orderkit";
	    _orderkit_exponents | keys[] as $c
	    | (0, 1, 7, 99, 100, 1001, 129950, -5, -123456789, 9007199254740991)
	    | . as $a | money($c) | minor($c)
	    | select(. != $a) | "\($c) \($a) came back as \(.)"'
	assert_stderr ''
	assert_output ''
}

@test "the module writes each amount as order-export does" {
	local fixture="$BATS_TEST_DIRNAME/fixtures/order-export/orders.jsonl"
	run -0 --separate-stderr okjq -r 'include "orderkit";
	    [.id, money(.totals.subtotal; .currency), money(.totals.total; .currency)]
	    | join(",")' "$fixture"
	assert_output "$(order-export --no-header \
	    --columns id,totals.subtotal,totals.total "$fixture")"
}

@test "make install puts the module under PREFIX/share/orderkit, where jq -L finds it" {
	local dest="$BATS_TEST_TMPDIR/dest" bin="${ORDERKIT_BIN:-$TOP/bin}"
	run -0 --separate-stderr env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -C "$TOP" --no-print-directory O="${bin%/bin}" \
	    DESTDIR="$dest" PREFIX=/opt/ok install
	run -0 stat -c %a "$dest/opt/ok/share/orderkit/orderkit.jq"
	assert_output 644
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr jq -L "$dest/opt/ok/share/orderkit" -nr \
	    'include "orderkit"; 3755 | money("KWD")'
	assert_output '3.755'
	run -0 --separate-stderr env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -C "$TOP" --no-print-directory DESTDIR="$dest" PREFIX=/opt/ok \
	    uninstall
	refute [ -e "$dest/opt/ok/share/orderkit" ]
}

@test "example: orderkit(7) and the module's own, each order's total as a person reads it" {
	local dest="$BATS_TEST_TMPDIR/usr/local/share/orderkit"
	mkdir -p "$dest"
	cp "$MODULES/orderkit.jq" "$dest/"
	cp "$BATS_TEST_DIRNAME/fixtures/order-export/orders.jsonl" \
	    "$BATS_TEST_TMPDIR/orders.jsonl"
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr jq -L "$BATS_TEST_TMPDIR/usr/local/share/orderkit" -r 'include "orderkit";
	  "\(.id) \(money(.totals.total; .currency)) \(.currency)"' orders.jsonl
	assert_stderr ''
	assert_output 'SHOP-1001 3297.00 RUB
JP-77 4500 JPY
KW-5 14.260 KWD
US-9 19.06 USD'
}
