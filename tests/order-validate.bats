#!/usr/bin/env bats
# order-validate: the checks of issue 3, each from its accepted and its
# rejected side, the man page's examples, and the broken inputs.
bats_require_minimum_version 1.5.0

setup() {
	load test_helper/common
	REJECTS="$BATS_TEST_TMPDIR/rejects.jsonl"
	IN="$BATS_TEST_TMPDIR/in.jsonl"
}

# check FILTER [OPTION ...]: run order-validate on one-valid.jsonl changed
# by the jq FILTER, rejects to a new $REJECTS.  A completed run: exit 0.
check() {
	local filter=$1
	shift
	rm -f "$REJECTS"
	jq -c "$filter" "$FIXTURES/one-valid.jsonl" >"$IN"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$@" "$IN"
}

# accepted [JQ EXPR] [VALUE]: the order passed, alone on stdout, marked
# validated; with arguments, EXPR of it is VALUE (compact JSON).
accepted() {
	assert_stderr ''
	assert_equal "$(count_lines "$REJECTS")" 0
	assert_equal "${#lines[@]}" 1
	assert_equal "$(jq -r .status <<<"$output")" validated
	if (($# == 2)); then
		assert_equal "$(jq -c "$1" <<<"$output")" "$2"
	fi
}

# sans_history: the records on stdin without the "status_history" and
# "rejected_by" that the run added, their numbers as written (jq would
# rewrite them).
sans_history() {
	sed -e 's/,"status_history":\[[^]]*\]//' -e 's/,"rejected_by":"[^"]*"//'
}

# rejected_as "CODE FIELD" ...: the order went to $REJECTS, unchanged but
# for "errors", with exactly these errors in this order.
rejected_as() {
	local want
	assert_output ''
	assert_stderr ''
	assert_equal "$(count_lines "$REJECTS")" 1
	want=$(printf '%s\n' "$@")
	assert_equal "$(jq -r '.errors[] | "\(.code) \(.field)"' "$REJECTS")" \
	    "${want%$'\n'}"
	assert_equal "$(jq -c 'del(.errors, .rejected_by)' "$REJECTS")" "$(cat "$IN")"
}

# message_is TEXT: the message of the (first) error in $REJECTS.
message_is() {
	assert_equal "$(jq -r '.errors[0].message' "$REJECTS")" "$1"
}

# phone: the filter setting the customer's phone to $1 (and no e-mail, so
# that the phone is the contact).
phone() {
	printf '.customer.phone = %s | del(.customer.email)' "$(jq -n --arg p "$1" '$p')"
}

# address CC POSTAL: an address in country CC with postal code POSTAL.
address() {
	printf '.shipping.address = {"country": "%s", "city": "C", "postal_code": "%s", "line1": "L 1"}' "$1" "$2"
}

# priced QTY PRICE: the one item at QTY x PRICE, with totals that add up.
priced() {
	printf '.items[0].qty = %s | .items[0].unit_price = %s | .totals.subtotal = %s | .totals.total = %s + 30000' \
	    "$1" "$2" "$(($1 * $2))" "$(($1 * $2))"
}

# ---------------------------------------------------------------- the record

@test "a valid order passes with status validated and everything else as it was" {
	run -0 --separate-stderr order-validate "$FIXTURES/one-valid.jsonl"
	assert_equal "$(sans_history <<<"$output")" "$(cat "$FIXTURES/one-valid.out.jsonl")"
	assert_stderr ''
}

@test "unknown keys pass through unchanged and the key order is kept" {
	run -0 --separate-stderr order-validate "$FIXTURES/one-valid.jsonl"
	assert_equal "$(jq -c 'keys_unsorted' <<<"$output")" \
	    '["id","source","created_at","status","currency","customer","shipping","payment","items","totals","utm","gift","status_history"]'
	assert_equal "$(jq -c .utm <<<"$output")" '{"source":"newsletter","z":1,"a":2}'
}

# NUMBERS: JSON numbers as a marketplace may write them, each of a form
# that a double or an int64 would change.
NUMBERS='{"n":[1.23456789012345678,1e-7,100.50,-0,12345678901234567890,-12345678901234567890,99999999999999999999999999999999,1E400,-1E400,1e-400,9223372036854775808,-9223372036854775809,9223372036854775807,-9223372036854775808,1.0,0.0,-0.0,1E+2,1e2,2.50e-3],"nested":{"a":[[{"b":-0}]],"marketplace_id":98765432109876543210}}'

# with_numbers FILE: FILE's order with $NUMBERS under an unknown key at the
# top and in its first item, written with sed: jq would rewrite them.
with_numbers() {
	sed -e "s/\"gift\":true}\$/\"gift\":true,\"marketplace\":$NUMBERS}/" \
	    -e "s/\"unit_price\":129900}/\"unit_price\":129900,\"attrs\":$NUMBERS}/" "$1"
}

@test "numbers under unknown keys pass through exactly as they were written" {
	with_numbers "$FIXTURES/one-valid.jsonl" >"$IN"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
	assert_stderr ''
	assert_equal "$(count_lines "$REJECTS")" 0
	assert_equal "$(sans_history <<<"$output")" \
	    "$(sed 's/"status":"new"/"status":"validated"/' "$IN")"
	assert_output --partial "\"marketplace\":$NUMBERS,\"status_history\":"
}

@test "a rejected order keeps its numbers' text, and a qty of 1e2 is quoted as 1e2" {
	local numbers
	for numbers in '' with; do
		if [[ $numbers ]]; then
			with_numbers "$FIXTURES/one-valid.jsonl"
		else
			cat "$FIXTURES/one-valid.jsonl"
		fi | sed 's/"qty":2/"qty":1e2/' >"$IN"
		rm -f "$REJECTS"
		run -0 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
		assert_output ''
		assert_stderr ''
		assert_equal "$(jq -c .errors "$REJECTS")" \
		    '[{"code":"bad_qty","field":"items[0].qty","message":"quantity 1e2 is not a whole number of 1 or more"}]'
		# The line as it came, "errors" added at the end.
		assert_equal "$(sed 's/,"errors":\[.*\]}$/}/' "$REJECTS" |
		    sans_history)" \
		    "$(cat "$IN")"
	done
}

@test "a 20-digit number under an unknown key is no bad_json; one in an amount is bad_amount" {
	sed 's/"gift":true}$/"gift":true,"ozon_id":12345678901234567890}/' \
	    "$FIXTURES/one-valid.jsonl" >"$IN"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
	assert_equal "$(count_lines "$REJECTS")" 0
	assert_output --partial '"gift":true,"ozon_id":12345678901234567890,"status_history":'
	sed 's/"unit_price":129900/"unit_price":12345678901234567890/' \
	    "$FIXTURES/one-valid.jsonl" >"$IN"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
	assert_output ''
	assert_equal "$(jq -c '[.errors[] | .code, .message]' "$REJECTS")" \
	    '["bad_amount","items[0].unit_price 12345678901234567890 is not a whole number of minor units (kopecks, cents)"]'
}

@test "an order without a status gets one at the end" {
	check 'del(.status)'
	accepted 'keys_unsorted[-2:]' '["status","status_history"]'
}

@test "a validated order's status_history says when, by the clock, in UTC" {
	local before after at
	before=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	run -0 --separate-stderr order-validate "$FIXTURES/one-valid.jsonl"
	after=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	assert_stderr ''
	assert_equal "$(jq -c '[.status_history[].status]' <<<"$output")" \
	    '["validated"]'
	at=$(jq -r '.status_history[0].at' <<<"$output")
	[[ ! $at < $before && ! $at > $after ]] ||
	    fail "at '$at' is not between '$before' and '$after'"
}

@test "--now sets the time of status_history, in UTC; a bad one exits 64" {
	run -0 --separate-stderr order-validate --now 2026-11-20T10:00:00+03:00 \
	    "$FIXTURES/one-valid.jsonl"
	assert_equal "$(jq -c '.status_history' <<<"$output")" \
	    '[{"status":"validated","at":"2026-11-20T07:00:00Z"}]'
	run -64 --separate-stderr order-validate --now yesterday \
	    "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr --partial "order-validate: --now 'yesterday' is not an RFC 3339 time"
}

@test "a validated order run again keeps one history entry" {
	order-validate "$FIXTURES/one-valid.jsonl" >"$IN"
	run -0 --separate-stderr order-validate "$IN"
	assert_equal "$(jq '.status_history | length' <<<"$output")" 1
}

@test "a reject names its step in rejected_by" {
	jq -c '.items[0].qty = 0' "$FIXTURES/one-valid.jsonl" >"$IN"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
	assert_output ''
	assert_equal "$(jq -r .rejected_by "$REJECTS")" order-validate
	assert_equal "$(jq -c 'keys_unsorted[-2:]' "$REJECTS")" \
	    '["rejected_by","errors"]'
}

@test "output is compact, one line per record" {
	jq '.' "$FIXTURES/one-valid.jsonl" | jq -c . >"$IN"
	jq '.id = "SHOP-1002"' "$FIXTURES/one-valid.jsonl" | jq -c . >>"$IN"
	run -0 --separate-stderr order-validate "$IN"
	assert_equal "${#lines[@]}" 2
	assert_equal "${lines[0]}" "$(jq -c . <<<"${lines[0]}")"
	assert_equal "${lines[1]}" "$(jq -c . <<<"${lines[1]}")"
}

@test "fields are normalised: id, currency, country, phone, e-mail domain, methods, postal code, subtotal" {
	run -0 --separate-stderr order-validate "$FIXTURES/normalise.jsonl"
	assert_equal "$(sans_history <<<"$output")" "$(cat "$FIXTURES/normalise.out.jsonl")"
	assert_stderr ''
}

@test "a reject is the order as it came, unnormalised, with its errors" {
	jq -c '.currency = "rub" | .items[0].qty = 0' \
	    "$FIXTURES/one-valid.jsonl" >"$IN"
	run -0 --separate-stderr order-validate "$IN"
	assert_output ''
	assert_equal "$(jq -c 'del(.errors, .rejected_by)' <<<"$stderr")" "$(cat "$IN")"
	assert_equal "$(jq -c '.errors' <<<"$stderr")" \
	    '[{"code":"bad_qty","field":"items[0].qty","message":"quantity 0 is not a whole number of 1 or more"}]'
}

@test "all problems are reported at once: an order with 5 problems gets 5 errors" {
	run -0 --separate-stderr order-validate --rejects "$REJECTS" \
	    "$FIXTURES/five-problems.jsonl"
	assert_output ''
	assert_stderr ''
	assert_equal "$(jq -r '.errors[] | "\(.code) \(.field)"' "$REJECTS")" \
"missing_field id
bad_currency currency
bad_postal_code shipping.address.postal_code
email_typo customer.email
bad_qty items[0].qty"
}

# ---------------------------------------------------------- required fields

@test "an order without an id is rejected as missing_field id" {
	check 'del(.id)'
	rejected_as "missing_field id"
	message_is "id is missing"
}

@test "an empty, null or non-string id is rejected" {
	check '.id = ""'
	rejected_as "missing_field id"
	check '.id = null'
	rejected_as "missing_field id"
	check '.id = ["SHOP-1001"]'
	rejected_as "bad_type id"
}

@test "an integer id is accepted and written as a string" {
	check '.id = 1001'
	accepted .id '"1001"'
}

@test "an order with no items, an empty items array or an item that is no object is rejected" {
	check 'del(.items) | del(.totals.subtotal)'
	rejected_as "missing_field items"
	check '.items = [] | del(.totals.subtotal)'
	rejected_as "no_items items"
	message_is "the order has no items"
	check '.items = {} | del(.totals.subtotal)'
	rejected_as "bad_type items"
	check '.items = ["TSHIRT-RED-M"] | del(.totals.subtotal)'
	rejected_as "bad_type items[0]"
}

@test "an order with one item passes, and one with two items too" {
	check '.items += [{"sku": "MUG-WHITE", "qty": 1, "unit_price": 59000}] | .totals.subtotal = 318800 | .totals.total = 348800'
	accepted '.items | length' 2
}

@test "an e-mail alone or a phone alone is enough contact" {
	check 'del(.customer.phone)'
	accepted .customer.email '"ivan.petrov@example.ru"'
	check 'del(.customer.email)'
	accepted .customer.phone '"+79161234567"'
}

@test "an order with neither e-mail nor phone is rejected as no_contact" {
	check 'del(.customer.email, .customer.phone)'
	rejected_as "no_contact customer"
	message_is 'no e-mail or phone to reach the customer: give one, or set hides_contact = yes in [source "shopify"] if the channel hides them'
	check '.customer.email = " " | .customer.phone = null'
	rejected_as "no_contact customer"
	check 'del(.customer)'
	rejected_as "no_contact customer"
}

@test "an e-mail that is not a string is bad_type, not no_contact" {
	check '.customer.email = 42 | del(.customer.phone)'
	rejected_as "bad_type customer.email"
}

@test "shipping and its method are required" {
	check 'del(.shipping)'
	rejected_as "missing_field shipping"
	check 'del(.shipping.method)'
	rejected_as "missing_field shipping.method"
	message_is 'no shipping method: give order-import --ship-method or set ship_method in [source "shopify"]'
}

@test "a shipping method is courier, post or pickup, any case" {
	check '.shipping.method = "POST"'
	accepted .shipping.method '"post"'
	check '.shipping.method = "drone"'
	rejected_as "bad_shipping_method shipping.method"
	message_is "'drone' is not a shipping method: courier, post or pickup"
}

@test "an order a marketplace already collected the money for needs no payment method" {
	check 'del(.payment.method) | .payment.status = "paid"'
	accepted .payment '{"provider":"yookassa","status":"paid"}'
}

@test "payment and its method are required; the method is card, wallet, bank, cod or installment" {
	check 'del(.payment)'
	rejected_as "missing_field payment"
	check 'del(.payment.method)'
	rejected_as "missing_field payment.method"
	check 'del(.payment.method) | .payment.status = "pending"'
	rejected_as "missing_field payment.method"
	check '.payment.method = "barter"'
	rejected_as "bad_payment_method payment.method"
	message_is "'barter' is not a payment method: card, wallet, bank, cod or installment"
	for m in card wallet bank cod installment; do
		check ".payment.method = \"$m\""
		accepted .payment.method "\"$m\""
	done
}

@test "courier delivery needs country, city, postal code and line1" {
	check 'del(.shipping.address.country, .shipping.address.city, .shipping.address.postal_code, .shipping.address.line1)'
	rejected_as "missing_field shipping.address.country" \
	    "missing_field shipping.address.city" \
	    "missing_field shipping.address.line1" \
	    "missing_field shipping.address.postal_code"
}

@test "post delivery needs the same address fields, one by one" {
	local f
	for f in city postal_code line1; do
		check ".shipping.method = \"post\" | del(.shipping.address.$f)"
		rejected_as "missing_field shipping.address.$f"
	done
	check '.shipping.method = "post" | del(.shipping.address)'
	rejected_as "missing_field shipping.address"
	check '.shipping.method = "post" | del(.shipping.address.line2, .shipping.address.region)'
	accepted .shipping.method '"post"'
}

@test "an empty or blank address field counts as missing" {
	check '.shipping.address.city = "  "'
	rejected_as "missing_field shipping.address.city"
}

@test "pickup needs shipping.pickup_point and no address" {
	check '.shipping.method = "pickup" | del(.shipping.address)'
	rejected_as "missing_field shipping.pickup_point"
	check '.shipping.method = "pickup" | del(.shipping.address) | .shipping.pickup_point = ""'
	rejected_as "missing_field shipping.pickup_point"
	check '.shipping.method = "pickup" | del(.shipping.address) | .shipping.pickup_point = 7'
	rejected_as "bad_type shipping.pickup_point"
	check '.shipping.method = "pickup" | del(.shipping.address) | .shipping.pickup_point = "CDEK MSK-123"'
	accepted .shipping '{"method":"pickup","carrier":"cdek","pickup_point":"CDEK MSK-123"}'
	check '.shipping.method = "pickup" | del(.shipping.address) | .shipping.pickup_point = {"id": "MSK-123"}'
	accepted .shipping.pickup_point '{"id":"MSK-123"}'
}

# ------------------------------------------------------------------- e-mail

@test "e-mail: well-formed addresses pass" {
	local m
	for m in a@example.com ivan.petrov+shop@sub.example.co.uk \
	    "o'brien@example.ie" user_1-x@mail.example.org \
	    иван@пример.рф ivan@xn--e1afmkfd.xn--p1ai; do
		check ".customer.email = \"$m\""
		accepted .customer.email "\"$m\""
	done
}

@test "e-mail: the domain is lower-cased and white space trimmed, the local part kept" {
	check '.customer.email = "  Ivan.Petrov@Example.RU "'
	accepted .customer.email '"Ivan.Petrov@example.ru"'
}

@test "e-mail: syntax errors are bad_email with the reason" {
	local m
	while IFS='|' read -r m msg; do
		check ".customer.email = \"$m\""
		rejected_as "bad_email customer.email"
		message_is "e-mail '$m' $msg"
	done <<'EOF'
ivan petrov@example.ru|contains a space
ivan.example.ru|has no @
ivan@@example.ru|has more than one @
a@b@example.ru|has more than one @
.ivan@example.ru|has a bad name before the @
ivan.@example.ru|has a bad name before the @
iv..an@example.ru|has a bad name before the @
@example.ru|has a bad name before the @
ivan(x)@example.ru|has a bad name before the @
ivan@|has a bad domain after the @
ivan@-example.ru|has a bad domain after the @
ivan@example-.ru|has a bad domain after the @
ivan@exa_mple.ru|has a bad domain after the @
ivan@example..ru|has a bad domain after the @
ivan@[192.0.2.1]|has a bad domain after the @
ivan@localhost|lacks a top-level domain such as .com or .ru
ivan@example.r|lacks a top-level domain such as .com or .ru
ivan@example.123|lacks a top-level domain such as .com or .ru
EOF
}

@test "e-mail: a local part over 64 or an address over 254 octets is rejected" {
	local local65 local60 label
	local65=$(printf 'a%.0s' {1..65})
	check ".customer.email = \"$local65@example.ru\""
	rejected_as "bad_email customer.email"
	# 60 + 1 + 194 octets: each part within its limit, the whole not.
	local60=$(printf 'a%.0s' {1..60})
	label=$(printf 'b%.0s' {1..47})
	check ".customer.email = \"$local60@$label.$label.$label.$label.ru\""
	rejected_as "bad_email customer.email"
	message_is "e-mail '$local60@$label.$label.$label.$label.ru' is longer than 254 characters"
}

@test "e-mail: common domain typos are rejected with a suggestion" {
	local typo meant
	while read -r typo meant; do
		check ".customer.email = \"ivan@$typo\""
		rejected_as "email_typo customer.email"
		message_is "e-mail 'ivan@$typo' looks mistyped: did you mean ivan@$meant?"
	done <<'EOF'
gmial.com gmail.com
gmail.con gmail.com
gmai.com gmail.com
yandx.ru yandex.ru
yandex.ry yandex.ru
mail.ry mail.ru
hotmial.com hotmail.com
outlok.com outlook.com
EOF
}

@test "e-mail: a typo in a domain of any case is caught" {
	check '.customer.email = "Ivan@GMIAL.com"'
	rejected_as "email_typo customer.email"
	message_is "e-mail 'Ivan@GMIAL.com' looks mistyped: did you mean Ivan@gmail.com?"
}

@test "e-mail: real domains near popular ones are not taken for typos" {
	local d
	for d in mail.com ya.ru gmail.com mail.ru yandex.ru ukr.net i.ua bk.ru \
	    gmx.de gmx.com web.de wp.pl o2.pl free.fr orange.fr yahoo.co.uk \
	    hotmail.co.uk tut.by mail.kz ymail.com hotmail.ca yahoo.co.jp \
	    interia.eu rambler.ua; do
		check ".customer.email = \"ivan@$d\""
		accepted .customer.email "\"ivan@$d\""
	done
}

# -------------------------------------------------------------------- phone

@test "phone: a Russian national number with --country RU becomes E.164" {
	check "$(phone '8 (916) 123-45-67') | .shipping.method = \"pickup\" | del(.shipping.address) | .shipping.pickup_point = \"P\"" --country RU
	accepted .customer.phone '"+79161234567"'
}

@test "phone: national numbers of the address's country become E.164" {
	local cc postal number e164
	while IFS='|' read -r cc postal number e164; do
		check "$(address "$cc" "$postal") | $(phone "$number")"
		accepted .customer.phone "\"$e164\""
	done <<'EOF'
RU|101000|8 (916) 123-45-67|+79161234567
RU|101000|+7 916 123 45 67|+79161234567
RU|101000|8 800 555-35-35|+78005553535
RU|190000|8 (812) 123-45-67|+78121234567
RU|101000|916 123 45 67|+79161234567
RU|101000|7 916 123 45 67|+79161234567
RU|101000|007 916 123 45 67|+79161234567
UA|01001|+380 (67) 123 45 67|+380671234567
UA|01001|067 123 45 67|+380671234567
UA|01001|044 123 45 67|+380441234567
BY|220030|8 029 123 45 67|+375291234567
BY|220030|8 (017) 123-45-67|+375171234567
BY|220030|+375 29 123-45-67|+375291234567
KZ|050000|+7 701 123 45 67|+77011234567
KZ|050000|8 (727) 123-45-67|+77271234567
US|10001|(212) 555-0123|+12125550123
US|10001|1-212-555-0123|+12125550123
US|10001|212.555.0123|+12125550123
CA|K1A 0B1|(416) 555-0199|+14165550199
GB|SW1A 1AA|07911 123456|+447911123456
GB|SW1A 1AA|020 7946 0958|+442079460958
GB|SW1A 1AA|+44 (0)20 7946 0958|+442079460958
DE|10115|030 12345678|+493012345678
DE|10115|0151 23456789|+4915123456789
DE|10115|+49 (0)30 1234567|+49301234567
PL|00-950|512 345 678|+48512345678
PL|00-950|+48 22 123 45 67|+48221234567
FR|75001|06 12 34 56 78|+33612345678
FR|75001|01 23 45 67 89|+33123456789
FR|75001|+33 6 12 34 56 78|+33612345678
EOF
}

@test "phone: the address's country is used before --country" {
	check "$(address US 10001) | $(phone '(212) 555-0123')" --country RU
	accepted .customer.phone '"+12125550123"'
	check "$(address US 10001) | $(phone '8 (916) 123-45-67')" --country RU
	rejected_as "bad_phone customer.phone"
	message_is "phone '8 (916) 123-45-67' is too long for US (10 digits after the country code)"
}

@test "phone: a national number with no country to read it in is rejected" {
	check "$(phone '8 (916) 123-45-67') | .shipping.method = \"pickup\" | del(.shipping.address) | .shipping.pickup_point = \"P\" | .currency = \"EUR\""
	rejected_as "bad_phone customer.phone"
	message_is "phone '8 (916) 123-45-67' has no country code; write it as +CC..."
}

@test "phone: without an address, the country of a one-country currency reads it" {
	check "$(phone '8 (916) 123-45-67') | .shipping.method = \"pickup\" | del(.shipping.address) | .shipping.pickup_point = \"P\""
	accepted .customer.phone '"+79161234567"'
}

@test "phone: too short, too long and impossible first digits are rejected" {
	local cc postal number msg
	while IFS='|' read -r cc postal number msg; do
		check "$(address "$cc" "$postal") | $(phone "$number")"
		rejected_as "bad_phone customer.phone"
		message_is "phone '$number' $msg"
	done <<'EOF'
RU|101000|8 (916) 123-45-6|is too short for RU (10 digits after the country code)
RU|101000|8 (916) 123-45-678|is too long for RU (10 digits after the country code)
RU|101000|+7 916 123 45 6|is too short for RU (10 digits after the country code)
RU|101000|8 (116) 123-45-67|cannot be a number in Russian Federation
RU|101000|+7 (891) 123-45-67|cannot be a number in Russian Federation
RU|101000|123|is too short for RU (10 digits after the country code)
UA|01001|+380 67 123 45 6|is too short for UA (9 digits after the country code)
UA|01001|+380 67 123 45 678|is too long for UA (9 digits after the country code)
UA|01001|+380 27 123 45 67|cannot be a number in Ukraine
BY|220030|+375 99 123 45 67|cannot be a number in Belarus
BY|220030|+375 29 123 45 6|is too short for BY (9 digits after the country code)
KZ|050000|+7 701 123 45 6|is too short for KZ (10 digits after the country code)
US|10001|+1 212 555 012|is too short for US (10 digits after the country code)
US|10001|+1 212 555 01234|is too long for US (10 digits after the country code)
US|10001|+1 112 555 0123|cannot be a number in United States of America
US|10001|+1 212 155 0123|cannot be a number in United States of America
GB|SW1A 1AA|+44 7911 12345|is too short for GB (9–10 digits after the country code)
GB|SW1A 1AA|+44 7911 1234567|is too long for GB (9–10 digits after the country code)
GB|SW1A 1AA|+44 0911 123456|cannot be a number in United Kingdom
DE|10115|+49 30 123|is too short for DE (6–13 digits after the country code)
PL|00-950|+48 012 345 678|cannot be a number in Poland
PL|00-950|+48 512 345 67|is too short for PL (9 digits after the country code)
FR|75001|+33 0 12 34 56 78|cannot be a number in France
FR|75001|+33 6 12 34 56|is too short for FR (9 digits after the country code)
EOF
}

@test "phone: letters or stray characters are rejected" {
	check "$(phone '+7 (916) 123-45-67 ext 5')"
	rejected_as "bad_phone customer.phone"
	message_is "phone '+7 (916) 123-45-67 ext 5' may hold only digits, spaces, ( ) - and a leading +"
	check "$(phone '+')"
	rejected_as "bad_phone customer.phone"
	message_is "phone '+' has no digits"
}

@test "phone: a calling code without a plan is held to E.164's 15 digits" {
	check "$(phone '+971 50 123 4567')"
	accepted .customer.phone '"+971501234567"'
	check "$(phone '+971 50 123 4567 8901 2')"
	rejected_as "bad_phone customer.phone"
}

# ------------------------------------------------------- country and postal

@test "the address country is upper-cased; ISO 3166 codes only" {
	check '.shipping.address.country = "ru"'
	accepted .shipping.address.country '"RU"'
	local c
	for c in RUS Russia XX UK; do
		check ".shipping.address.country = \"$c\""
		rejected_as "bad_country shipping.address.country"
		message_is "'$c' is not an ISO 3166-1 country code such as RU or DE"
	done
}

@test "--country fills in an address without a country" {
	check 'del(.shipping.address.country)' --country RU
	accepted .shipping.address.country '"RU"'
}

@test "--country must be an ISO 3166 code, in either case" {
	run -64 --separate-stderr order-validate --country XX "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr --partial "order-validate: --country 'XX' is not an ISO 3166-1 alpha-2 code"
	run -64 --separate-stderr order-validate --country RUS "$FIXTURES/one-valid.jsonl"
	assert_stderr --partial "order-validate: --country 'RUS' is not an ISO 3166-1 alpha-2 code"
	check 'del(.shipping.address.country)' --country ru
	accepted .shipping.address.country '"RU"'
}

@test "postal codes that fit their country pass, in their usual form" {
	local cc code want
	while IFS='|' read -r cc code want; do
		check "$(address "$cc" "$code")"
		accepted .shipping.address.postal_code "\"$want\""
	done <<'EOF'
RU|101000|101000
RU|101 000|101000
BY|220030|220030
KZ|050000|050000
KZ|A15E3C5|A15E3C5
UA|01001|01001
DE|10115|10115
FR|75001|75001
FR|20000|20000
PL|00-950|00-950
PL|00950|00-950
PL|00 950|00-950
US|20500|20500
US|20500-0001|20500-0001
US|205000001|20500-0001
GB|SW1A 1AA|SW1A 1AA
GB|sw1a1aa|SW1A 1AA
GB|M1 1AE|M1 1AE
GB|B33 8TH|B33 8TH
GB|CR2 6XH|CR2 6XH
GB|DN55 1PT|DN55 1PT
GB|W1A 0AX|W1A 0AX
GB|EC1A 1BB|EC1A 1BB
CA|K1A 0B1|K1A 0B1
CA|k1a0b1|K1A 0B1
CA|H0H 0H0|H0H 0H0
IE|d02x285|D02 X285
NL|1012ab|1012 AB
EOF
}

@test "postal codes that do not fit their country are rejected with an example" {
	local cc code example
	while IFS='|' read -r cc code example; do
		check "$(address "$cc" "$code")"
		rejected_as "bad_postal_code shipping.address.postal_code"
		message_is "'$code' is not a postal code of $cc (such as $example)"
	done <<'EOF'
RU|10100|101000
RU|1010000|101000
RU|10100A|101000
BY|22003|220030
KZ|05000|050000
UA|0100|01001
UA|010011|01001
DE|1011|10115
DE|101155|10115
FR|7500|75001
FR|2A004|75001
PL|0095|00-950
PL|009500|00-950
US|2050|20500
US|20500-01|20500
US|ABCDE|20500
GB|SW1A|SW1A 1AA
GB|SW1A 1AAA|SW1A 1AA
GB|QW1 1AA|SW1A 1AA
GB|SW1A 1CA|SW1A 1AA
CA|K1A 0B|K1A 0B1
CA|D1A 0B1|K1A 0B1
CA|12345|K1A 0B1
EOF
}

@test "countries without postal codes need none" {
	check '.shipping.address = {"country": "AE", "city": "Dubai", "line1": "Sheikh Zayed Rd 1"} | .customer.phone = "+971 50 123 4567"'
	accepted .shipping.address.country '"AE"'
	check '.shipping.address = {"country": "HK", "city": "Hong Kong", "line1": "1 Queen'"'"'s Rd"}'
	accepted .shipping.address.country '"HK"'
}

# ----------------------------------------------------------------- currency

@test "the currency is an ISO 4217 code, upper-cased; RUR becomes RUB" {
	local c want
	while read -r c want; do
		check ".currency = \"$c\""
		accepted .currency "\"$want\""
	done <<'EOF'
RUB RUB
rub RUB
RUR RUB
rur RUB
EUR EUR
BYN BYN
EOF
}

@test "a currency that is not ISO 4217 is rejected as bad_currency" {
	local c
	for c in XYZ RUBL ru BYR; do
		check ".currency = \"$c\""
		rejected_as "bad_currency currency"
		message_is "'$c' is not an ISO 4217 currency code such as RUB or EUR"
	done
	check 'del(.currency)'
	rejected_as "missing_field currency"
}

@test "a currency beside the totals or an item must be the order's, in any case" {
	check '.totals.currency = "rub" | .items[0].currency = "RUR"'
	accepted '[.totals.currency, .items[0].currency]' '["RUB","RUB"]'
	check '.totals.currency = "EUR"'
	rejected_as "currency_mismatch totals.currency"
	message_is "totals is in EUR, but the order is in RUB"
	check '.items[0].currency = "USD"'
	rejected_as "currency_mismatch items[0].currency"
	message_is "items[0] is in USD, but the order is in RUB"
}

# -------------------------------------------------------------------- items

@test "qty 0, -1, 1.5, \"2\" and true are rejected as bad_qty" {
	local q
	for q in 0 -1 1.5 '"2"' true; do
		check ".items[0].qty = $q"
		rejected_as "bad_qty items[0].qty"
		message_is "quantity $q is not a whole number of 1 or more"
	done
}

@test "a qty written 2.0 is a fraction, not an integer" {
	sed 's/"qty":2/"qty":2.0/' "$FIXTURES/one-valid.jsonl" >"$IN"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
	assert_output ''
	assert_equal "$(jq -r '.errors[] | "\(.code) \(.field)"' "$REJECTS")" "bad_qty items[0].qty"
}

@test "a missing qty is missing_field" {
	check 'del(.items[0].qty) | del(.totals.subtotal)'
	rejected_as "missing_field items[0].qty"
}

@test "qty is at most 1000 by default" {
	check "$(priced 1000 100)"
	accepted .items[0].qty 1000
	check "$(priced 1001 100)"
	rejected_as "qty_too_large items[0].qty"
	message_is "quantity 1001 is over the limit of 1000"
}

@test "--max-qty sets the upper bound of qty" {
	check "$(priced 5 100)" --max-qty 5
	accepted .items[0].qty 5
	check "$(priced 6 100)" --max-qty 5
	rejected_as "qty_too_large items[0].qty"
	message_is "quantity 6 is over the limit of 5"
}

@test "--max-qty must be a whole number of 1 or more" {
	local n
	for n in 0 -3 abc 1.5; do
		run -64 --separate-stderr order-validate --max-qty "$n" "$FIXTURES/one-valid.jsonl"
		assert_output ''
		assert_stderr --partial "order-validate: --max-qty '$n' is not a whole number of 1 or more"
	done
}

@test "unit_price 0 is accepted" {
	check "$(priced 2 0)"
	accepted .totals '{"subtotal":0,"shipping":30000,"discount":0,"total":30000}'
}

@test "a negative unit_price is negative_amount" {
	check '.items[0].unit_price = -1'
	rejected_as "negative_amount items[0].unit_price"
	message_is "items[0].unit_price -1 is negative"
}

@test "a fraction or a string unit_price is bad_amount" {
	check '.items[0].unit_price = 1299.5'
	rejected_as "bad_amount items[0].unit_price"
	message_is "items[0].unit_price 1299.5 is not a whole number of minor units (kopecks, cents)"
	check '.items[0].unit_price = "1299.00"'
	rejected_as "bad_amount items[0].unit_price"
	message_is 'items[0].unit_price "1299.00" is not a whole number of minor units (kopecks, cents)'
	check 'del(.items[0].unit_price)'
	rejected_as "missing_field items[0].unit_price"
}

@test "without --catalog an item's sku must still be a text string: \"\", none, 12345 and {} are rejected" {
	local filter catalog
	for catalog in '' "$FIXTURES/catalog.csv"; do
		for filter in '.items[0].sku = ""' '.items[0].sku = "  "' \
		    'del(.items[0].sku)' '.items[0].sku = null'; do
			check "$filter" ${catalog:+--catalog "$catalog"}
			rejected_as "missing_field items[0].sku"
			if [[ -n $catalog ]]; then
				message_is "the item has no SKU, and no catalog alias is its id or its title 'Футболка': add one to the catalog's alias column"
			else
				message_is "the item has no SKU: give one, or a --catalog whose alias column names the item's id or title"
			fi
		done
		for filter in '.items[0].sku = 12345' '.items[0].sku = {"a": 1}' \
		    '.items[0].sku = ["TSHIRT-RED-M"]' '.items[0].sku = true'; do
			check "$filter" ${catalog:+--catalog "$catalog"}
			rejected_as "bad_type items[0].sku"
			message_is "items[0].sku must be a text string"
		done
	done
}

@test "a missing or non-text sku is said in Russian and Ukrainian too" {
	check 'del(.items[0].sku)' --lang ru
	rejected_as "missing_field items[0].sku"
	message_is "у товара нет артикула: укажите его или --catalog, где столбец alias называет id или название товара"
	check '.items[0].sku = 12345' --lang uk
	rejected_as "bad_type items[0].sku"
	message_is "items[0].sku має бути рядком"
}

# ------------------------------------------------------------------ catalog
# ------------------------------------------------------------------ catalog

@test "an item that is in the CSV and JSONL catalogs passes" {
	local c
	for c in catalog.csv catalog.jsonl; do
		check '.' --catalog "$FIXTURES/$c"
		accepted .items[0].sku '"TSHIRT-RED-M"'
	done
}

@test "variant values are compared ignoring case, and a variant may be left out" {
	check '.items[0].variant = {"color": "RED", "size": "m"}' --catalog "$FIXTURES/catalog.csv"
	accepted .items[0].variant '{"color":"RED","size":"m"}'
	check 'del(.items[0].variant)' --catalog "$FIXTURES/catalog.csv"
	accepted .items[0].sku '"TSHIRT-RED-M"'
}

@test "an unknown SKU is rejected" {
	local c
	for c in catalog.csv catalog.jsonl; do
		check '.items[0].sku = "TSHIRT-GREEN-M"' --catalog "$FIXTURES/$c"
		rejected_as "unknown_sku items[0].sku"
		message_is "there is no product with SKU 'TSHIRT-GREEN-M': add it to the catalog, or the marketplace's id to a product's alias column"
	done
}

@test "an inactive SKU is rejected, an active one passes" {
	local c
	for c in catalog.csv catalog.jsonl; do
		check ".items[0] = {\"sku\": \"CAP-BLACK\", \"variant\": {\"color\": \"black\"}, \"qty\": 2, \"unit_price\": 50000} | $(priced 2 50000)" \
		    --catalog "$FIXTURES/$c"
		rejected_as "inactive_sku items[0].sku"
		message_is "Old cap (SKU 'CAP-BLACK') is no longer sold"
		check ".items[0] = {\"sku\": \"MUG-WHITE\", \"variant\": {\"color\": \"white\"}, \"qty\": 2, \"unit_price\": 129950} | $(priced 2 129950)" \
		    --catalog "$FIXTURES/$c"
		accepted .items[0].sku '"MUG-WHITE"'
	done
}

@test "a variant that does not exist names the ones that do" {
	local c
	for c in catalog.csv catalog.jsonl; do
		check '.items[0].variant.size = "XL"' --catalog "$FIXTURES/$c"
		rejected_as "unknown_variant items[0].variant.size"
		message_is "no size XL in red; red comes in S, M, L"
		check '.items[0].variant.color = "green"' --catalog "$FIXTURES/$c"
		rejected_as "unknown_variant items[0].variant.color"
		message_is "no color green; Футболка comes in red, blue"
		check '.items[0].variant = {"color": "blue", "size": "S"}' --catalog "$FIXTURES/$c"
		rejected_as "unknown_variant items[0].variant.size"
		message_is "no size S in blue; blue comes in M, XL"
	done
}

@test "an option the product lacks is rejected" {
	check '.items[0].variant.material = "cotton"' --catalog "$FIXTURES/catalog.csv"
	rejected_as "unknown_variant items[0].variant.material"
	message_is "Футболка has no option material"
	check ".items[0] = {\"sku\": \"MUG-WHITE\", \"variant\": {\"color\": \"white\", \"size\": \"M\"}, \"qty\": 2, \"unit_price\": 129950} | $(priced 2 129950)" \
	    --catalog "$FIXTURES/catalog.jsonl"
	rejected_as "unknown_variant items[0].variant.size"
	message_is "Кружка has no option size"
}

@test "a variant that is another SKU is variant_mismatch naming it" {
	local c
	for c in catalog.csv catalog.jsonl; do
		check '.items[0].variant = {"color": "blue", "size": "M"}' --catalog "$FIXTURES/$c"
		rejected_as "variant_mismatch items[0].variant"
		message_is "SKU 'TSHIRT-RED-M' is red M, not blue M; that is SKU 'TSHIRT-BLUE-M'"
	done
}

@test "a partial variant that fits other SKUs names them all" {
	check '.items[0].variant = {"color": "blue"}' --catalog "$FIXTURES/catalog.csv"
	rejected_as "variant_mismatch items[0].variant"
	message_is "SKU 'TSHIRT-RED-M' is red M, not blue; that would be one of TSHIRT-BLUE-M, TSHIRT-BLUE-XL"
	check '.items[0].variant = {"size": "XL"}' --catalog "$FIXTURES/catalog.csv"
	rejected_as "variant_mismatch items[0].variant"
	message_is "SKU 'TSHIRT-RED-M' is red M, not XL; that is SKU 'TSHIRT-BLUE-XL'"
	check '.items[0].variant = {"size": "M"}' --catalog "$FIXTURES/catalog.csv"
	accepted .items[0].variant '{"size":"M"}'
}

@test "a price that differs from the catalog is price_mismatch" {
	check "$(priced 2 100000)" --catalog "$FIXTURES/catalog.csv"
	rejected_as "price_mismatch items[0].unit_price"
	message_is "price 1000.00 RUB differs from the catalog price 1299.00 RUB"
}

@test "--ignore-price accepts a price that differs from the catalog" {
	check "$(priced 2 100000)" --catalog "$FIXTURES/catalog.csv" --ignore-price
	accepted .items[0].unit_price 100000
}

@test "a SKU priced in two currencies is checked in the order's" {
	local c
	for c in catalog.csv catalog.jsonl; do
		check ".currency = \"EUR\" | $(priced 2 1499)" --catalog "$FIXTURES/$c"
		accepted .currency '"EUR"'
		check ".currency = \"EUR\" | $(priced 2 1299)" --catalog "$FIXTURES/$c"
		rejected_as "price_mismatch items[0].unit_price"
		message_is "price 12.99 EUR differs from the catalog price 14.99 EUR"
	done
}

@test "an order in a currency the catalog has no price in is rejected, even with --ignore-price off only" {
	check '.currency = "USD"' --catalog "$FIXTURES/catalog.csv"
	rejected_as "no_catalog_price items[0].unit_price"
	message_is "the catalog has no price in USD for SKU 'TSHIRT-RED-M'"
}

@test "a catalog price written \"1 299,50\" is read exactly" {
	check ".items[0] = {\"sku\": \"MUG-WHITE\", \"qty\": 1, \"unit_price\": 129950} | $(priced 1 129950)" \
	    --catalog "$FIXTURES/catalog.csv"
	accepted .items[0].unit_price 129950
}

@test "a JSON catalog with a number beyond 64 bits in a key it ignores loads" {
	sed 's/"currency":"RUB",/&"ozon_sku":12345678901234567890,"w":1e-7,/' \
	    "$FIXTURES/catalog.jsonl" >"$BATS_TEST_TMPDIR/catalog.jsonl"
	check "$(priced 2 129900)" --catalog "$BATS_TEST_TMPDIR/catalog.jsonl"
	accepted .items[0].unit_price 129900
}

@test "a catalog that cannot be opened exits 66 before any order" {
	run -66 --separate-stderr order-validate --catalog "$BATS_TEST_TMPDIR/none.csv" \
	    "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr "order-validate: cannot open '$BATS_TEST_TMPDIR/none.csv': No such file or directory"
}

@test "a catalog without a sku column exits 65 with a clear message" {
	run -65 --separate-stderr order-validate --catalog "$FIXTURES/catalog-no-sku.csv" \
	    "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr "order-validate: $FIXTURES/catalog-no-sku.csv: the header has no 'sku' column"
}

# Found by tests/fuzz/order_validate_fuzz.c (regressions/order_validate/
# catalog-header-only): qsort(3) of no SKUs was given a null pointer, which
# UBSan (make asan) reports.
@test "a catalog of a header and no rows makes every SKU unknown" {
	printf 'sku,product,name,price,currency\n' >"$BATS_TEST_TMPDIR/c.csv"
	run -0 --separate-stderr order-validate --catalog "$BATS_TEST_TMPDIR/c.csv" \
	    "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_equal "$(jq -c '.errors[].code' <<<"$stderr")" '"unknown_sku"'
}

@test "a catalog with a bad price exits 65 naming the line and the SKU" {
	run -65 --separate-stderr order-validate --catalog "$FIXTURES/catalog-bad-price.csv" \
	    "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr "order-validate: $FIXTURES/catalog-bad-price.csv: line 2: price 'twelve' of sku 'TSHIRT-RED-M' is not an amount"
}

@test "a JSONL catalog with a fraction price or a broken line exits 65" {
	printf '{"sku":"X","price":12.5,"currency":"RUB"}\n' >"$BATS_TEST_TMPDIR/c.jsonl"
	run -65 --separate-stderr order-validate --catalog "$BATS_TEST_TMPDIR/c.jsonl" \
	    "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr "order-validate: $BATS_TEST_TMPDIR/c.jsonl: line 1: write the price as a string (\"1299.00\"), not a JSON fraction"
	printf '{"sku":"X","price":"12.50","currency":"RUB"}\n{"sku":\n' >"$BATS_TEST_TMPDIR/c.jsonl"
	run -65 --separate-stderr order-validate --catalog "$BATS_TEST_TMPDIR/c.jsonl" \
	    "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr "order-validate: $BATS_TEST_TMPDIR/c.jsonl: line 2: not a JSON object"
}

@test "a catalog price with more decimals than the currency has exits 65" {
	printf 'sku,product,name,price,currency\nX,X,x,1299.999,RUB\n' >"$BATS_TEST_TMPDIR/c.csv"
	run -65 --separate-stderr order-validate --catalog "$BATS_TEST_TMPDIR/c.csv" \
	    "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr "order-validate: $BATS_TEST_TMPDIR/c.csv: line 2: price '1299.999' of sku 'X' is more precise than the currency's minor unit"
}

# ------------------------------------------------------------------- totals

@test "a subtotal that is not the sum of the items is subtotal_mismatch" {
	check '.items += [{"sku": "MUG-WHITE", "qty": 3, "unit_price": 59000}] | .totals.subtotal = 259800 | .totals.total = 289800'
	rejected_as "subtotal_mismatch totals.subtotal"
	message_is "subtotal 2598.00 is not the sum of the items, 4368.00"
	check '.items += [{"sku": "MUG-WHITE", "qty": 3, "unit_price": 59000}] | .totals.subtotal = 436800 | .totals.total = 466800'
	accepted .totals.subtotal 436800
}

@test "a total that is not subtotal + shipping - discount + tax is total_mismatch" {
	check '.totals.total = 259800'
	rejected_as "total_mismatch totals.total"
	message_is "total 2598.00 is not subtotal + shipping - discount + tax = 2898.00"
}

@test "discount and tax count in the total" {
	check '.totals.discount = 10000 | .totals.tax = 5000 | .totals.total = 284800'
	accepted .totals.total 284800
	check '.totals.discount = 10000 | .totals.tax = 5000 | .totals.total = 289800'
	rejected_as "total_mismatch totals.total"
	message_is "total 2898.00 is not subtotal + shipping - discount + tax = 2848.00"
}

@test "shipping and discount default to 0" {
	check '.totals = {"subtotal": 259800, "total": 259800}'
	accepted .totals '{"subtotal":259800,"total":259800}'
}

@test "a missing subtotal is filled in with the items' sum" {
	check 'del(.totals.subtotal)'
	accepted .totals '{"shipping":30000,"discount":0,"total":289800,"subtotal":259800}'
	check 'del(.totals.subtotal) | .totals.total = 1'
	rejected_as "total_mismatch totals.total"
}

@test "a missing total or totals is missing_field" {
	check 'del(.totals.total)'
	rejected_as "missing_field totals.total"
	check 'del(.totals)'
	rejected_as "missing_field totals"
}

@test "negative amounts in the totals are rejected" {
	check '.totals.shipping = -100 | .totals.total = 259700'
	rejected_as "negative_amount totals.shipping"
	check '.totals.discount = 300000 | .totals.total = 0'
	rejected_as "negative_amount totals.total"
	message_is "subtotal + shipping - discount + tax -102.00 is negative"
	check '.totals.total = -1'
	rejected_as "negative_amount totals.total"
}

@test "a fraction or a string in the totals is bad_amount" {
	check '.totals.total = "2898.00"'
	rejected_as "bad_amount totals.total"
	check '.totals.shipping = 300.5'
	rejected_as "bad_amount totals.shipping"
}

@test "sums that overflow 64 bits are amount_overflow, not a wrong total" {
	# jq would round the amount through a double: edit the text.
	jq -c 'del(.totals.subtotal)' "$FIXTURES/one-valid.jsonl" |
	    sed 's/"unit_price":129900/"unit_price":4611686018427387904/' >"$IN"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
	assert_output ''
	assert_equal "$(jq -r '.errors[] | "\(.code) \(.field)"' "$REJECTS")" \
	    "amount_overflow items[0].unit_price"
	message_is "the amounts are too large to add up"
}

@test "amounts are shown in the currency's minor units: JPY has none" {
	check '.currency = "JPY" | .items[0].unit_price = 1500 | .totals = {"subtotal": 3000, "total": 2000}'
	rejected_as "total_mismatch totals.total"
	message_is "total 2000 is not subtotal + shipping - discount + tax = 3000"
}

# --------------------------------------------------------------------- time

@test "created_at in RFC 3339 with an offset passes" {
	local t
	for t in 2026-11-20T10:15:00+03:00 2026-11-20T07:15:00Z \
	    2026-11-20T10:15:00.123-05:00 2024-02-29T00:00:00Z; do
		check ".created_at = \"$t\""
		accepted .created_at "\"$t\""
	done
	check 'del(.created_at)'
	accepted .id '"SHOP-1001"'
}

@test "created_at that is not RFC 3339 with an offset is bad_time" {
	local t
	for t in 2026-11-20T10:15:00 2026-02-30T10:15:00Z 2026-11-20T25:15:00Z \
	    "20.11.2026 10:15" 2026-11-20T10:15:00+0300 2026-11-20 "yesterday"; do
		check ".created_at = \"$t\""
		rejected_as "bad_time created_at"
		message_is "created_at '$t' is not an RFC 3339 time with an offset, such as 2026-11-20T10:15:00+03:00"
	done
}

@test "a run under TZ=Pacific/Kiritimati gives identical output" {
	cat "$FIXTURES/one-valid.jsonl" "$FIXTURES/normalise.jsonl" \
	    "$FIXTURES/five-problems.jsonl" >"$IN"
	run -0 --separate-stderr order-validate "$IN"
	local out=$output err=$stderr
	TZ=Pacific/Kiritimati run -0 --separate-stderr order-validate "$IN"
	assert_output "$out"
	assert_stderr "$err"
}

# --------------------------------------------------------------- duplicates

@test "the same id twice in one run: the second is duplicate_id" {
	cat "$FIXTURES/one-valid.jsonl" "$FIXTURES/one-valid.jsonl" >"$IN"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
	assert_equal "$(sans_history <<<"$output")" "$(cat "$FIXTURES/one-valid.out.jsonl")"
	assert_stderr ''
	assert_equal "$(jq -c .errors "$REJECTS")" \
	    '[{"code":"duplicate_id","field":"id","message":"order SHOP-1001 was already accepted in this run (input line 1)"}]'
}

@test "an integer id and the same id as a string are duplicates" {
	{ jq -c '.id = 1001' "$FIXTURES/one-valid.jsonl"
	  jq -c '.id = "1001"' "$FIXTURES/one-valid.jsonl"; } >"$IN"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
	assert_equal "${#lines[@]}" 1
	assert_equal "$(jq -r '.errors[].code' "$REJECTS")" duplicate_id
}

@test "a rejected first occurrence does not block a corrected resubmission" {
	{ jq -c '.items[0].qty = 0' "$FIXTURES/one-valid.jsonl"
	  cat "$FIXTURES/one-valid.jsonl"; } >"$IN"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
	assert_equal "$(sans_history <<<"$output")" "$(cat "$FIXTURES/one-valid.out.jsonl")"
	assert_equal "$(jq -r '.errors[].code' "$REJECTS")" bad_qty
}

@test "duplicates are found across operands" {
	run -0 --separate-stderr order-validate --rejects "$REJECTS" \
	    "$FIXTURES/one-valid.jsonl" "$FIXTURES/one-valid.jsonl"
	assert_equal "$(sans_history <<<"$output")" "$(cat "$FIXTURES/one-valid.out.jsonl")"
	assert_equal "$(jq -r '.errors[].code' "$REJECTS")" duplicate_id
}

# ---------------------------------------------------------------- languages

@test "--lang ru and --lang uk translate messages and keep the codes" {
	run -0 --separate-stderr order-validate --lang ru "$FIXTURES/five-problems.jsonl"
	assert_output ''
	assert_equal "$(jq -c '[.errors[].code]' <<<"$stderr")" \
	    '["missing_field","bad_currency","bad_postal_code","email_typo","bad_qty"]'
	assert_equal "$(jq -r '.errors[4].message' <<<"$stderr")" "количество 0 — не целое число от 1"
	assert_equal "$(jq -r '.errors[3].message' <<<"$stderr")" \
	    "в e-mail 'ivan@gmial.com', похоже, опечатка: может быть, ivan@gmail.com?"
	run -0 --separate-stderr order-validate --lang uk "$FIXTURES/five-problems.jsonl"
	assert_equal "$(jq -c '[.errors[].code]' <<<"$stderr")" \
	    '["missing_field","bad_currency","bad_postal_code","email_typo","bad_qty"]'
	assert_equal "$(jq -r '.errors[4].message' <<<"$stderr")" "кількість 0 — не ціле число від 1"
	assert_equal "$(jq -r '.errors[0].message' <<<"$stderr")" "не вказано id"
}

@test "the variant message is translated too" {
	check '.items[0].variant.size = "XL"' --catalog "$FIXTURES/catalog.csv" --lang ru
	rejected_as "unknown_variant items[0].variant.size"
	message_is "нет варианта size XL в red; red бывает: S, M, L"
}

@test "LANG=ru_RU.UTF-8 makes Russian the default; --lang and LC_ALL win" {
	env -u LC_ALL LANG=ru_RU.UTF-8 order-validate "$FIXTURES/five-problems.jsonl" \
	    2>"$BATS_TEST_TMPDIR/ru" >/dev/null
	assert_equal "$(jq -r '.errors[0].message' "$BATS_TEST_TMPDIR/ru")" "не указано id"
	env -u LC_ALL LANG=uk_UA.UTF-8 order-validate "$FIXTURES/five-problems.jsonl" \
	    2>"$BATS_TEST_TMPDIR/uk" >/dev/null
	assert_equal "$(jq -r '.errors[0].message' "$BATS_TEST_TMPDIR/uk")" "не вказано id"
	env -u LC_ALL LANG=ru_RU.UTF-8 order-validate --lang en "$FIXTURES/five-problems.jsonl" \
	    2>"$BATS_TEST_TMPDIR/en" >/dev/null
	assert_equal "$(jq -r '.errors[0].message' "$BATS_TEST_TMPDIR/en")" "id is missing"
	LC_ALL=C LANG=ru_RU.UTF-8 order-validate "$FIXTURES/five-problems.jsonl" \
	    2>"$BATS_TEST_TMPDIR/c" >/dev/null
	assert_equal "$(jq -r '.errors[0].message' "$BATS_TEST_TMPDIR/c")" "id is missing"
}

@test "--lang ru and uk say what is wrong with a line that is no order" {
	run -0 --separate-stderr sh -c 'printf "[1]\n" | order-validate --lang ru'
	assert_equal "$(jq -r '.errors[0] | "\(.code) \(.message)"' <<<"$stderr")" \
	    "bad_json не объект JSON, а массив"
	run -0 --separate-stderr sh -c 'printf "\"x\"\n" | order-validate --lang uk'
	assert_equal "$(jq -r '.errors[0] | "\(.code) \(.message)"' <<<"$stderr")" \
	    "bad_json не об'єкт JSON, а рядок"
}

@test "--lang xx is a usage error" {
	run -64 --separate-stderr order-validate --lang xx "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr --partial "order-validate: --lang 'xx' is not en, ru or uk"
	assert_stderr --partial "usage: order-validate"
}

# ------------------------------------------------------------ options, exits

@test "--help prints the usage on stdout and exits 0" {
	run -0 --separate-stderr order-validate --help
	assert_line --index 0 --partial "usage: order-validate [--allow CODE,...] [--catalog FILE] [--config FILE]"
	assert_output --partial "[--rejects FILE] [--stats[=json|FILE]] [--strict]"
	assert_stderr ''
}

@test "--version prints the version and exits 0" {
	run -0 --separate-stderr order-validate --version
	assert_output --regexp '^order-validate \(orderkit\) [0-9]+\.[0-9]+\.[0-9]+$'
	assert_stderr ''
}

@test "a bad option exits 64 with the usage on stderr" {
	run -64 --separate-stderr order-validate --bogus "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr --partial "unrecognized option '--bogus'"
	assert_stderr --partial "usage: order-validate"
	run -64 --separate-stderr order-validate --catalog
	assert_output ''
	assert_stderr --partial "requires an argument"
}

@test "--strict exits 65 when an order was rejected and 0 when none was" {
	run -0 --separate-stderr order-validate --strict "$FIXTURES/one-valid.jsonl"
	assert_equal "$(sans_history <<<"$output")" "$(cat "$FIXTURES/one-valid.out.jsonl")"
	run -65 --separate-stderr order-validate --strict --rejects "$REJECTS" \
	    "$FIXTURES/one-valid.jsonl" "$FIXTURES/five-problems.jsonl"
	assert_equal "$(sans_history <<<"$output")" "$(cat "$FIXTURES/one-valid.out.jsonl")"
	assert_stderr ''
	assert_equal "$(count_lines "$REJECTS")" 1
}

@test "--strict counts a bad_json line as a reject" {
	run -65 --separate-stderr order-validate --strict --rejects "$REJECTS" \
	    "$BROKEN/not-json.jsonl"
	assert_output ''
}

@test "--stats prints the counts on stderr" {
	cat "$FIXTURES/one-valid.jsonl" "$FIXTURES/five-problems.jsonl" \
	    "$BROKEN/not-json.jsonl" >"$IN"
	printf '\n   \n' >>"$IN"
	run -0 --separate-stderr order-validate --stats --rejects "$REJECTS" "$IN"
	assert_equal "$(sans_history <<<"$output")" "$(cat "$FIXTURES/one-valid.out.jsonl")"
	assert_stderr "order-validate: 5 read, 1 valid, 4 rejected"
}

@test "--rejects appends to the file" {
	echo '{"earlier":"reject"}' >"$REJECTS"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$FIXTURES/five-problems.jsonl"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$FIXTURES/five-problems.jsonl"
	assert_equal "$(count_lines "$REJECTS")" 3
	assert_equal "$(head -n 1 "$REJECTS")" '{"earlier":"reject"}'
}

@test "without --rejects, rejects go to stderr" {
	run -0 --separate-stderr order-validate "$FIXTURES/five-problems.jsonl"
	assert_output ''
	assert_equal "$(jq -r .errors[0].code <<<"$stderr")" missing_field
}

@test "an uncreatable --rejects file exits 73 before reading" {
	run -73 --separate-stderr order-validate --rejects "$BATS_TEST_TMPDIR/no/such/dir/r.jsonl" \
	    "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr "order-validate: cannot open '$BATS_TEST_TMPDIR/no/such/dir/r.jsonl': No such file or directory"
}

@test "--rejects refuses a symbolic link another user owns, and follows the user's own" {
	((EUID == 0)) || skip "only root can make a link that another user owns"
	local tmp="$BATS_TEST_TMPDIR/tmp" target="$BATS_TEST_TMPDIR/target"
	mkdir -m 1777 "$tmp"
	echo secret >"$target"
	ln -s "$target" "$tmp/theirs"
	ln -s "$BATS_TEST_TMPDIR/new" "$tmp/dangling"
	chown -h 65534 "$tmp/theirs" "$tmp/dangling"
	for link in theirs dangling; do
		run -73 --separate-stderr order-validate --rejects "$tmp/$link" \
		    "$FIXTURES/five-problems.jsonl"
		assert_output ''
		assert_stderr "order-validate: cannot open '$tmp/$link': a symbolic link that another user owns"
	done
	run -0 cat "$target"
	assert_output secret
	[[ ! -e $BATS_TEST_TMPDIR/new ]] || fail "the dangling link's target was created"
	ln -s "$target" "$tmp/mine"
	run -0 --separate-stderr order-validate --rejects "$tmp/mine" \
	    "$FIXTURES/five-problems.jsonl"
	assert_stderr ''
	run -0 cat "$target"
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 secret
	assert_line --index 1 --partial '"errors":[{"code":'
}

@test "a write error on standard output exits 74" {
	run -74 --separate-stderr sh -c 'order-validate "$1" >/dev/full' sh \
	    "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr --partial "cannot write '<stdout>': No space left"
}

@test "a write error on the rejects file exits 74" {
	run -74 --separate-stderr order-validate --rejects /dev/full \
	    "$FIXTURES/five-problems.jsonl"
	assert_output ''
	assert_stderr "order-validate: cannot write '/dev/full': No space left on device"
}

@test "an unreadable operand exits 66 and the other operands are still processed" {
	run -66 --separate-stderr order-validate --rejects "$REJECTS" \
	    "$BATS_TEST_TMPDIR/missing.jsonl" "$FIXTURES/one-valid.jsonl"
	assert_equal "$(sans_history <<<"$output")" "$(cat "$FIXTURES/one-valid.out.jsonl")"
	assert_stderr "order-validate: cannot open '$BATS_TEST_TMPDIR/missing.jsonl': No such file or directory"
}

@test "a directory as an operand or --catalog is 66, as a file that cannot be opened" {
	mkdir "$BATS_TEST_TMPDIR/dir"
	run -66 --separate-stderr order-validate --rejects "$REJECTS" \
	    "$BATS_TEST_TMPDIR/dir" "$FIXTURES/one-valid.jsonl"
	assert_equal "$(sans_history <<<"$output")" "$(cat "$FIXTURES/one-valid.out.jsonl")"
	assert_stderr "order-validate: cannot read '$BATS_TEST_TMPDIR/dir': Is a directory"
	run -66 --separate-stderr order-validate --catalog "$BATS_TEST_TMPDIR/dir" \
	    "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr "order-validate: cannot read '$BATS_TEST_TMPDIR/dir': Is a directory"
}

@test "66 wins over --strict's 65" {
	run -66 --separate-stderr order-validate --strict --rejects "$REJECTS" \
	    "$FIXTURES/five-problems.jsonl" "$BATS_TEST_TMPDIR/missing.jsonl"
	assert_output ''
}

@test "operands are read in turn, - is standard input" {
	jq -c '.id = "FROM-STDIN"' "$FIXTURES/one-valid.jsonl" >"$IN"
	run -0 --separate-stderr order-validate "$FIXTURES/one-valid.jsonl" - \
	    "$FIXTURES/normalise.jsonl" <"$IN"
	assert_equal "${#lines[@]}" 3
	assert_equal "$(jq -r .id <<<"$output" | paste -sd ' ')" "SHOP-1001 FROM-STDIN 1001"
	assert_stderr ''
}

@test "standard input is read when there are no operands" {
	run -0 --separate-stderr order-validate <"$FIXTURES/one-valid.jsonl"
	assert_equal "$(sans_history <<<"$output")" "$(cat "$FIXTURES/one-valid.out.jsonl")"
}

@test "with several operands a bad_json reject names its file and line" {
	run -0 --separate-stderr order-validate --rejects "$REJECTS" \
	    "$FIXTURES/one-valid.jsonl" "$BROKEN/not-json.jsonl"
	assert_equal "$(jq -c '[.file, .line]' "$REJECTS" | paste -sd ' ')" \
	    "[\"$BROKEN/not-json.jsonl\",1] [\"$BROKEN/not-json.jsonl\",2] [\"$BROKEN/not-json.jsonl\",3]"
}

# ----------------------------------------------------------- broken inputs

@test "a line that is not JSON is a bad_json reject with its line and raw text" {
	run -0 --separate-stderr order-validate "$BROKEN/not-json.jsonl"
	assert_output ''
	assert_equal "$(jq -c '[.line, .raw, .errors[0].code]' <<<"$stderr" | head -n 1)" \
	    '[1,"this is not json","bad_json"]'
	assert_equal "$(jq -r .errors[0].message <<<"$stderr" | head -n 1)" \
	    "not JSON: invalid token near 'this' at column 4"
}

@test "an array, a number, a string or null instead of an object is bad_json naming what it is" {
	run -0 --separate-stderr order-validate "$BROKEN/array.jsonl" "$BROKEN/number.jsonl"
	assert_output ''
	assert_equal "$(jq -r '.errors[0].message' <<<"$stderr")" \
"not a JSON object but an array
not a JSON object but an array
not a JSON object but a number
not a JSON object but a number
not a JSON object but a string
not a JSON object but null
not a JSON object but a boolean"
}

@test "invalid UTF-8 is bad_json, its raw text repaired with U+FFFD" {
	run -0 --separate-stderr order-validate "$BROKEN/bad-utf8.jsonl"
	assert_output ''
	assert_equal "$(jq -r '.errors[0].code' <<<"$stderr" | sort -u)" bad_json
	assert_equal "$(jq -r '.raw' <<<"$stderr" | head -n 1)" \
	    '{"id":"UTF8-1","customer":{"name":"Ива��"}}'
}

@test "a NUL byte is bad_json" {
	run -0 --separate-stderr order-validate "$BROKEN/nul-byte.jsonl"
	assert_output ''
	assert_equal "$(jq -c '[.line, .errors[0].message]' <<<"$stderr")" \
'[1,"not JSON: a NUL byte at column 24"]
[2,"not JSON: a NUL byte at column 1"]'
}

@test "an empty file gives nothing and exits 0" {
	run -0 --separate-stderr order-validate --stats "$BROKEN/empty.jsonl"
	assert_output ''
	assert_stderr "order-validate: 0 read, 0 valid, 0 rejected"
}

@test "a UTF-8 BOM and CRLF line ends are taken off" {
	run -0 --separate-stderr order-validate "$BROKEN/crlf-bom.jsonl"
	assert_stderr ''
	assert_equal "$(sans_history <<<"${lines[0]}")" \
	    "$(cat "$FIXTURES/one-valid.out.jsonl")"
	assert_equal "$(jq -r .id <<<"$output" | paste -sd ' ')" "SHOP-1001 SHOP-1002"
}

@test "broken inputs: every non-blank line is accounted for exactly once, never a crash" {
	load test_helper/broken
	broken_lines order-validate
}

@test "10,000-deep nesting is bad_json, not a crash" {
	{ printf '%.0s[' {1..10000}; printf '%.0s]' {1..10000}; echo
	  printf '%.0s{"a":' {1..10000}; printf 1; printf '%.0s}' {1..10000}; echo
	} >"$IN"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
	assert_output ''
	assert_equal "$(jq -r '.errors[0].message' "$REJECTS")" \
"not JSON: maximum parsing depth reached near '[' at column 2049
not JSON: maximum parsing depth reached near '{' at column 10241"
}

@test "a 10 MB line is read whole: a valid order passes, broken JSON is one reject" {
	head -c 10485760 /dev/zero | tr '\0' x >"$BATS_TEST_TMPDIR/big"
	jq -c --rawfile big "$BATS_TEST_TMPDIR/big" '.note = $big' \
	    "$FIXTURES/one-valid.jsonl" >"$IN"
	head -c 10485760 /dev/zero | tr '\0' y >>"$IN"
	echo >>"$IN"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
	assert_equal "${#lines[@]}" 1
	assert_equal "$(jq -r '.note | length' <<<"$output")" 10485760
	assert_equal "$(count_lines "$REJECTS")" 1
	assert_equal "$(jq -r '.raw | length' "$REJECTS")" 10485760
}

# ----------------------------------------------------------------- examples

@test "example: order-validate --catalog catalog.csv --rejects invalid.jsonl orders.jsonl > valid.jsonl" {
	cat "$FIXTURES/one-valid.jsonl" "$FIXTURES/five-problems.jsonl" >"$IN"
	run -0 --separate-stderr sh -c 'order-validate --catalog "$1" --rejects "$2" "$3" >"$4"' sh \
	    "$FIXTURES/catalog.csv" "$REJECTS" "$IN" "$BATS_TEST_TMPDIR/valid.jsonl"
	assert_output ''
	assert_stderr ''
	# The catalog found each item by its SKU, and says so.
	assert_equal "$(sans_history <"$BATS_TEST_TMPDIR/valid.jsonl")" \
	    "$(jq -c '.items[].matched_by = "sku"' "$FIXTURES/one-valid.out.jsonl")"
	assert_equal "$(count_lines "$REJECTS")" 1
}

@test "example: order-validate --country RU --lang ru orders.jsonl" {
	{ jq -c "$(phone '8 (916) 123-45-67') | .shipping.method = \"pickup\" | del(.shipping.address) | .shipping.pickup_point = \"P\"" \
	    "$FIXTURES/one-valid.jsonl"
	  jq -c '.id = "SHOP-1002" | .items[0].qty = 0' "$FIXTURES/one-valid.jsonl"; } >"$IN"
	run -0 --separate-stderr order-validate --country RU --lang ru "$IN"
	assert_equal "$(jq -r .customer.phone <<<"$output")" "+79161234567"
	assert_equal "$(jq -r '.errors[0].message' <<<"$stderr")" "количество 0 — не целое число от 1"
}

@test "example: order-validate --strict --stats --rejects /dev/null orders.jsonl" {
	cat "$FIXTURES/one-valid.jsonl" "$FIXTURES/five-problems.jsonl" >"$IN"
	run -65 --separate-stderr order-validate --strict --stats --rejects /dev/null "$IN"
	assert_equal "$(sans_history <<<"$output")" "$(cat "$FIXTURES/one-valid.out.jsonl")"
	assert_stderr "order-validate: 2 read, 1 valid, 1 rejected"
}

# ------------------------------------- sources and marketplaces (issue 11)

# conf TEXT: a configuration file with TEXT, in $CONF.
conf() {
	CONF="$BATS_TEST_TMPDIR/orderkit.conf"
	printf '%s\n' "$1" >"$CONF"
}

@test "what the export says happened holds the order with that reason alone" {
	local t
	for t in '.source_status = {"fulfillment": "fulfilled"} @ already_fulfilled source_status' \
	    '.source_status = {"shipped_at": "2026-11-21T10:00:00Z"} @ already_fulfilled source_status' \
	    '.items[0].status = "fulfilled" @ already_fulfilled source_status' \
	    '.source_status = {"order": "completed"} @ already_fulfilled source_status' \
	    '.fulfilled_by = "marketplace" @ fulfilled_by_marketplace fulfilled_by' \
	    '.source_status = {"payment": "refunded"} @ refunded_at_source source_status' \
	    '.source_status = {"refunded": 1000} @ refunded_at_source source_status' \
	    '.cancelled_at = "2026-11-21T10:00:00Z" @ cancelled_at_source source_status' \
	    '.source_status = {"order": "cancelled"} @ cancelled_at_source source_status' \
	    '.source_status = {"outstanding": 289800} @ unpaid_at_source source_status' \
	    '.source_status = {"payment": "pending"} @ unpaid_at_source source_status' \
	    '.items[0].requires_shipping = false @ nothing_to_ship items'; do
		# The checks that follow do not run: no_contact is not said.
		check "${t%% @ *} | del(.customer)"
		rejected_as "${t#* @ }"
	done
}

@test "a hold names the source and what it said" {
	check '.source = "etsy" | .source_status = {"shipped_at": "2026-11-21T10:00:00Z"}'
	message_is 'etsy says the order is already fulfilled (shipped 2026-11-21T10:00:00Z): nothing is left to ship'
	check '.source_status = {"outstanding": 289800}'
	message_is 'shopify says the order is not paid (289800 in minor units still outstanding): wait for the payment, or give --allow unpaid_at_source'
}

@test "a paid, unfulfilled order, and a line that needs no shipping beside one that does, pass" {
	check '.source_status = {"payment": "paid", "fulfillment": "unfulfilled"} | .items[0].requires_shipping = true | .items[0].status = "pending"'
	accepted
	check '.items += [{"name": "Gift card", "qty": 1, "unit_price": 0, "requires_shipping": false}]'
	accepted .items[1].name '"Gift card"'
}

@test "the record's own fulfilment channel wins over the profile's" {
	conf '[source "amazon"]
fulfilled_by = marketplace'
	check '.source = "amazon"' --config "$CONF"
	rejected_as "fulfilled_by_marketplace fulfilled_by"
	check '.source = "amazon" | .fulfilled_by = "shop"' --config "$CONF"
	accepted .fulfilled_by '"shop"'
	check '.source = "amazon" | .fulfilled_by = "marketplace"'
	rejected_as "fulfilled_by_marketplace fulfilled_by"
	message_is 'amazon fulfils this order itself (fulfilled_by marketplace): the shop ships nothing; set fulfilled_by = shop in [source "amazon"] if it does not'
}

@test "--allow waives a hold: the record passes with it under warnings" {
	check '.source_status = {"fulfillment": "fulfilled"}' --allow already_fulfilled
	accepted '[.warnings[] | [.code, .field]]' '[["already_fulfilled","source_status"]]'
}

@test "--allow and a profile's allow move an error to warnings, of the same shape" {
	check 'del(.customer.email, .customer.phone)' --allow bad_qty,no_contact
	accepted '.warnings' '[{"code":"no_contact","field":"customer","message":"no e-mail or phone to reach the customer: give one, or set hides_contact = yes in [source \"shopify\"] if the channel hides them"}]'
	conf '[source "shopify"]
allow = no_contact'
	check 'del(.customer.email, .customer.phone)' --config "$CONF"
	accepted '[.warnings[].code]' '["no_contact"]'
	# Not for another source.
	check '.source = "woocommerce" | del(.customer.email, .customer.phone)' --config "$CONF"
	rejected_as "no_contact customer"
}

@test "an --allow that is no list of codes exits 64" {
	run -64 --separate-stderr order-validate --allow 'No Contact' "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr --partial "--allow 'No Contact' is not a list of error codes separated by ','"
}

@test "a marketplace that hides contacts needs none, and a malformed one is a warning" {
	local s
	for s in amazon ebay etsy ozon wildberries yandex-market; do
		check ".source = \"$s\" | del(.customer)"
		accepted .source "\"$s\""
	done
	check '.source = "etsy" | .customer = {"email": "buyer@"}'
	accepted '[.warnings[].code]' '["bad_email"]'
	check '.source = "shopify" | del(.customer)'
	rejected_as "no_contact customer"
	conf '[source "etsy"]
hides_contact = no'
	check '.source = "etsy" | del(.customer)' --config "$CONF"
	rejected_as "no_contact customer"
}

@test "no shipping method names the fix; the profile's ship_method and carrier fill it" {
	check '.source = "etsy" | del(.shipping.method, .shipping.carrier)'
	rejected_as "missing_field shipping.method"
	message_is 'no shipping method: give order-import --ship-method or set ship_method in [source "etsy"]'
	conf '[source "etsy"]
ship_method = post
carrier = canadapost'
	check '.source = "etsy" | del(.shipping.method, .shipping.carrier)' --config "$CONF"
	accepted '.shipping | [.method, .carrier]' '["post","canadapost"]'
	# The record's own method wins.
	check '.source = "etsy"' --config "$CONF"
	accepted '.shipping | [.method, .carrier]' '["courier","cdek"]'
}

@test "the catalog's alias column matches an item by its ids, then its title" {
	local c="$FIXTURES/catalog-alias.csv"
	check 'del(.items[0].sku) | .items[0].extra = {"asin": "B0TSHIRT01"}' --catalog "$c"
	accepted '.items[0] | [.sku, .matched_by]' '["TSHIRT-RED-M","alias"]'
	check '.items[0].sku = "ETSY-OWN-1" | .items[0].id = "B0TSHIRT01" | .items[0].variant.size = "L"' --catalog "$c"
	accepted '.items[0] | [.sku, .matched_by]' '["TSHIRT-RED-L","alias"]'
	check 'del(.items[0].sku) | .items[0].name = "  RED t-shirt "' --catalog "$c"
	accepted '.items[0] | [.sku, .matched_by]' '["TSHIRT-RED-M","title"]'
	check '.items[0] = {"name": "Mug", "extra": {"item_number": 272091820000}, "variant": {"color": "white"}, "qty": 2, "unit_price": 129900}' --catalog "$c"
	accepted '.items[0] | [.sku, .matched_by]' '["MUG-WHITE","alias"]'
	check '.' --catalog "$c"
	accepted '.items[0] | [.sku, .matched_by]' '["TSHIRT-RED-M","sku"]'
}

@test "an item no alias matches, or whose options choose no one SKU, is rejected" {
	local c="$FIXTURES/catalog-alias.csv"
	check 'del(.items[0].sku) | .items[0].name = "Hat"' --catalog "$c"
	rejected_as "missing_field items[0].sku"
	message_is "the item has no SKU, and no catalog alias is its id or its title 'Hat': add one to the catalog's alias column"
	check 'del(.items[0].sku, .items[0].variant) | .items[0].id = "B0TSHIRT01"' --catalog "$c"
	rejected_as "unknown_variant items[0].variant"
	message_is "'B0TSHIRT01' is the alias of several SKUs (TSHIRT-RED-L, TSHIRT-RED-M) and the item's options choose none of them"
	# Matched exactly: no prefix, no other case for an id.
	check 'del(.items[0].sku) | .items[0].id = "b0tshirt01" | .items[0].name = "x"' --catalog "$c"
	rejected_as "missing_field items[0].sku"
	check '.items[0].sku = "b0tshirt01"' --catalog "$c"
	rejected_as "unknown_sku items[0].sku"
}

@test "option names are compared as marketplaces spell them, and by the profile's option_alias" {
	local c="$FIXTURES/catalog-alias.csv"
	check ".items[0].variant = {\"pa_color\": \"red\", \"Size (Men's)\": \"M\"}" --catalog "$c"
	accepted
	check '.items[0].variant = {"attribute_pa_color": "red", "SIZE": "M"}' --catalog "$c"
	accepted
	check '.items[0].variant = {"colour": "red", "US Shoe Size": "M"}' --catalog "$c"
	rejected_as "unknown_variant items[0].variant.colour" "unknown_variant items[0].variant.US Shoe Size"
	# Quoted: ";" would start a comment.
	conf '[source "shopify"]
option_alias = "size = us shoe size; color = colour"'
	check '.items[0].variant = {"colour": "red", "US Shoe Size": "M"}' --catalog "$c" --config "$CONF"
	accepted .items[0].variant '{"colour":"red","US Shoe Size":"M"}'
}

@test "a line order-import split for exact money passes within a minor unit per unit" {
	local c="$FIXTURES/catalog-alias.csv"
	check '.items = [{"sku": "PEN", "qty": 1, "unit_price": 64, "line_total": 129}, {"sku": "PEN", "qty": 1, "unit_price": 65, "line_total": 129}] | .totals.subtotal = 129 | .totals.total = 30129' --catalog "$c"
	accepted '[.items[].unit_price]' '[64,65]'
	check '.items = [{"sku": "PEN", "qty": 1, "unit_price": 64}] | .totals.subtotal = 64 | .totals.total = 30064' --catalog "$c"
	rejected_as "price_mismatch items[0].unit_price"
	check '.items = [{"sku": "PEN", "qty": 1, "unit_price": 62, "line_total": 129}, {"sku": "PEN", "qty": 1, "unit_price": 67, "line_total": 129}] | .totals.subtotal = 129 | .totals.total = 30129' --catalog "$c"
	rejected_as "price_mismatch items[0].unit_price" "price_mismatch items[1].unit_price"
}

@test "the same id from two sources is two orders; from one source a duplicate" {
	jq -c '., (.source = "etsy"), .' "$FIXTURES/one-valid.jsonl" >"$IN"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
	assert_equal "$(jq -r .source <<<"$output" | paste -sd ' ')" 'shopify etsy'
	assert_equal "$(jq -r '.errors[0].code' "$REJECTS")" duplicate_id
}

@test "a CSV export fed in exits 65: run order-import first" {
	printf 'Name,Email,Lineitem name\n#1001,a@example.com,Hat\n' >"$IN"
	run -65 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
	assert_output ''
	assert_stderr 'order-validate: no line of the input is an order record; this looks like a CSV export: run order-import first'
	assert_equal "$(count_lines "$REJECTS")" 2
	# One record among them is enough: the rest are rejects, as always.
	cat "$FIXTURES/one-valid.jsonl" >>"$IN"
	run -0 --separate-stderr order-validate --rejects "$REJECTS" "$IN"
	assert_equal "${#lines[@]}" 1
}

# ------------------------------------------------------------- real exports

# The real exports of ../shared/real-exports (never copied here) through
# order-import, order-validate and order-reserve, with a catalog, stock
# and configuration written for them (fixtures real-*).  What a careful
# operator still ships, file by file, and why the others wait: see
# the expected lines below, one per file.
real_dir() {
	local d
	for d in "${ORDERKIT_REAL_EXPORTS:-}" \
	    "$BATS_TEST_DIRNAME/../../shared/real-exports" \
	    "$BATS_TEST_DIRNAME/../../../shared/real-exports"; do
		if [[ -n $d && -d $d ]]; then
			echo "$d"
			return
		fi
	done
}

# real_run FILE...: "imported I, import rejects J | CODES N ... | reserved
# R | to ship S: CLASS N ... | held at payment H: CODES N ..." for the
# pipeline over FILE..., CODES an order's codes joined by +, CLASS the
# payment.status pay-reconcile gave an order it passed (no provider
# report: a marketplace that collected the money is marketplace_paid).
real_run() {
	local db="$BATS_TEST_TMPDIR/real.db" t="$BATS_TEST_TMPDIR"
	rm -f "$db" "$t/imp.rej" "$t/val.rej" "$t/res.rej" "$t/pay.rej"
	stock-load --db "$db" "$FIXTURES/real-stock.csv" >/dev/null 2>&1
	order-import --config "$FIXTURES/real.conf" --rejects "$t/imp.rej" \
	    "$@" 2>/dev/null >"$t/imp.out"
	order-validate --config "$FIXTURES/real.conf" \
	    --catalog "$FIXTURES/real-catalog.csv" --rejects "$t/val.rej" \
	    "$t/imp.out" >"$t/val.out"
	order-reserve --db "$db" --rejects "$t/res.rej" "$t/val.out" \
	    >"$t/res.out"
	pay-reconcile --config "$FIXTURES/real.conf" --db "$db" \
	    --now 2026-12-01T00:00:00Z --rejects "$t/pay.rej" "$t/res.out" \
	    >"$t/pay.out"
	printf 'imported %s, import rejects %s | %s| reserved %s | to ship %s: %s| held at payment %s: %s\n' \
	    "$(count_lines "$t/imp.out")" "$(count_lines "$t/imp.rej")" \
	    "$(codes "$t/val.rej")" "$(count_lines "$t/res.out")" \
	    "$(count_lines "$t/pay.out")" \
	    "$( [[ -s $t/pay.out ]] && jq -r .payment.status "$t/pay.out" |
	    sort | uniq -c | awk '{ printf "%s %s ", $2, $1 }')" \
	    "$(count_lines "$t/pay.rej")" "$(codes "$t/pay.rej")" |
	    sed 's/ *$//'
}

# codes FILE: each reject's codes joined by +, counted: "CODES N ...".
codes() {
	[[ -s $1 ]] || return 0
	jq -r '[.errors[].code] | unique | join("+")' "$1" | sort | uniq -c |
	    awk '{ printf "%s %s ", $2, $1 }' 
}

@test "the real marketplace exports: the orders a careful operator ships, the others held with the export's reason, to pay-reconcile" {
	local r
	r=$(real_dir)
	[[ -n $r ]] || skip "no ../shared/real-exports"
	# Hawaii pies, all "Lineitem requires shipping" FALSE: local delivery.
	assert_equal "$(real_run "$r/shopify/cs201-excel-resaved-orders_export_1.csv")" \
	    'imported 94, import rejects 0 | nothing_to_ship 94 | reserved 0 | to ship 0: | held at payment 0:'
	# Dev store: fulfilled; gift cards alone; #1019 a pick-up with no
	# contact at all.
	assert_equal "$(real_run "$r/shopify/forezia-dev-store-orders_export.csv")" \
	    'imported 19, import rejects 0 | already_fulfilled 13 already_fulfilled+unpaid_at_source 3 no_contact 1 nothing_to_ship 2 | reserved 0 | to ship 0: | held at payment 0:'
	# "paid" but the whole total outstanding (48); #1044 has no address
	# but its country; #1001 a pick-up with no contact; #1002 would ship,
	# but its payment is "manual": only a report proves it.
	assert_equal "$(real_run "$r/shopify/ingestion-dev-store-orders_export_1.csv")" \
	    'imported 51, import rejects 0 | missing_field 1 no_contact 1 unpaid_at_source 48 | reserved 1 | to ship 0: | held at payment 1: unpaid 1'
	# FBA shipments: Amazon's to ship; one row cut short, one without
	# a price, rejected at import.
	assert_equal "$(real_run "$r/amazon/eolabs-fba-fulfilled-shipments-error.csv")" \
	    'imported 3, import rejects 1 | fulfilled_by_marketplace 3 | reserved 0 | to ship 0: | held at payment 0:'
	assert_equal "$(real_run "$r/amazon/eolabs-fba-fulfilled-shipments.csv")" \
	    'imported 4, import rejects 1 | fulfilled_by_marketplace 4 | reserved 0 | to ship 0: | held at payment 0:'
	# Unshipped merchant orders: all four ship (one below the catalog
	# price, waived for Amazon by the profile's allow); Amazon collected
	# the money.
	assert_equal "$(real_run "$r/amazon/simpleinventory-new-orders.tsv")" \
	    'imported 4, import rejects 0 | | reserved 4 | to ship 4: marketplace_paid 4 | held at payment 0:'
	# Postal codes that cannot exist (US 1344-1523, 4255-3422; SE 4441),
	# and a UK address without one.
	assert_equal "$(real_run "$r/ebay/libreoffice-labels-SalesHistory.csv")" \
	    'imported 4, import rejects 0 | bad_postal_code 3 missing_field 1 | reserved 0 | to ship 0: | held at payment 0:'
	# Every order has a "Shipped on Date".
	assert_equal "$(real_run "$r/ebay/storecsv-sample-ebay.csv")" \
	    'imported 25, import rejects 0 | already_fulfilled 25 | reserved 0 | to ship 0: | held at payment 0:'
	# 723 completed and refunded; 727 processing would ship, but paid by
	# bank transfer (bacs): only a report proves it.
	assert_equal "$(real_run "$r/woocommerce/rest-api-docs-list-all-orders.json")" \
	    'imported 2, import rejects 0 | already_fulfilled+refunded_at_source 1 | reserved 1 | to ship 0: | held at payment 1: unpaid 1'
	# Both Etsy files: 9001 and 9002 shipped; 9003 ships, Etsy has the
	# money.
	assert_equal "$(real_run --format etsy \
	    "$r/etsy/digidoughnut-EtsySoldOrderItems2026-9.csv" \
	    "$r/etsy/digidoughnut-EtsySoldOrders2026-9.csv")" \
	    'imported 3, import rejects 0 | already_fulfilled 2 | reserved 1 | to ship 1: marketplace_paid 1 | held at payment 0:'
}

@test "example: order-import --format etsy items.csv orders.csv | order-validate --config shop.conf --catalog catalog.csv --allow bad_phone" {
	local imp="$BATS_TEST_DIRNAME/fixtures/order-import"
	cp "$imp/etsy-merge-items.csv" "$BATS_TEST_TMPDIR/items.csv"
	cp "$imp/etsy-merge-orders.csv" "$BATS_TEST_TMPDIR/orders.csv"
	printf '[source "etsy"]\nship_method = post\n' >"$BATS_TEST_TMPDIR/shop.conf"
	printf 'sku,product,name,price,currency,alias\nCANDLE,CANDLE,Candle,12.00,CAD,2001\nSNUFF,SNUFF,Snuffer,8.00,CAD,Candle Snuffer\n' \
	    >"$BATS_TEST_TMPDIR/catalog.csv"
	cd "$BATS_TEST_TMPDIR"
	run -0 --separate-stderr bash -c 'set -o pipefail
	    order-import --format etsy items.csv orders.csv |
	    order-validate --config shop.conf --catalog catalog.csv \
	    --allow bad_phone'
	assert_equal "$(jq -c '[.id, .shipping.method, [.items[] | [.sku, .matched_by]]]' <<<"$output")" \
	    '["5001","post",[["CANDLE","alias"],["SNUFF","title"]]]'
	assert_equal "$(jq -c '[.id, [.errors[].code]]' <<<"$stderr")" \
	    '["5002",["already_fulfilled"]]'
}

# --jobs (issue 19): the threads change nothing that is written.

# same_jobs FILE [OPTION ...]: order-validate FILE with --jobs 1 and with
# --jobs 4, at one --now; their standard output, rejects, --stats=json and
# exit status must be byte for byte the same.
same_jobs() {
	local file=$1 j
	shift
	for j in 1 4; do
		rm -f "$BATS_TEST_TMPDIR/rej.$j"
		run --separate-stderr order-validate --jobs "$j" \
		    --now 2026-11-20T10:00:00+03:00 --rejects "$BATS_TEST_TMPDIR/rej.$j" \
		    --stats="$BATS_TEST_TMPDIR/stats.$j" "$@" "$file"
		printf '%s\n%s\n' "$status" "$output" >"$BATS_TEST_TMPDIR/out.$j"
		printf '%s\n' "$stderr" >"$BATS_TEST_TMPDIR/err.$j"
	done
	for f in out rej stats err; do
		cmp "$BATS_TEST_TMPDIR/$f.1" "$BATS_TEST_TMPDIR/$f.4" ||
		    fail "--jobs 4 differs from --jobs 1 in $f on $file"
	done
}

@test "--jobs 4 writes what --jobs 1 does on every fixture and broken input" {
	local f n=0
	for f in "$FIXTURES"/*.jsonl "$BATS_TEST_DIRNAME"/fixtures/broken/*; do
		same_jobs "$f" --catalog "$FIXTURES/catalog.csv"
		same_jobs "$f" --lang ru --strict
		n=$((n + 1))
	done
	((n > 10))
}

@test "--jobs 4 writes what --jobs 1 does on the fuzz corpus" {
	local f n=0
	for f in "$BATS_TEST_DIRNAME"/fuzz/corpus/order_validate/* \
	    "$BATS_TEST_DIRNAME"/fuzz/regressions/order_validate/*; do
		# Past the harness's option byte.
		tail -c +2 "$f" >"$IN"
		same_jobs "$IN"
		same_jobs "$IN" --catalog "$FIXTURES/catalog.csv"
		n=$((n + 1))
	done
	((n > 0))
}

@test "--jobs 4 writes what --jobs 1 does on the bench file, duplicates and bad lines among many batches" {
	local gen=$BATS_TEST_DIRNAME/bench/gen-orders
	"$gen" --catalog >"$BATS_TEST_TMPDIR/catalog.csv"
	"$gen" 3000 >"$BATS_TEST_TMPDIR/orders.jsonl"
	{
		head -n 1000 "$BATS_TEST_TMPDIR/orders.jsonl"
		printf 'id,name\n{"id":\n\n'
		cat "$BATS_TEST_TMPDIR/orders.jsonl"
		head -n 700 "$BATS_TEST_TMPDIR/orders.jsonl"
	} >"$IN"
	same_jobs "$IN" --country RU --catalog "$BATS_TEST_TMPDIR/catalog.csv"
	run -0 grep -c duplicate_id "$BATS_TEST_TMPDIR/rej.4"
	((output > 1000))
	run -0 grep -c '"status":"validated"' "$BATS_TEST_TMPDIR/out.4"
	((output > 2000))
	# Two files: their names and line numbers in the rejects.
	same_jobs "$IN" "$BATS_TEST_TMPDIR/orders.jsonl"
}

@test "--jobs 0 is a usage error" {
	run -64 --separate-stderr order-validate --jobs 0 "$FIXTURES/one-valid.jsonl"
	assert_output ''
	assert_stderr --partial "order-validate: --jobs '0' is not a number from 1 to 1024"
}

@test "with --jobs 4 a write error on standard output exits 74, every reject still written" {
	"$BATS_TEST_DIRNAME"/bench/gen-orders 2000 >"$IN"
	run -0 --separate-stderr order-validate --jobs 1 --rejects "$REJECTS.1" "$IN"
	run -74 --separate-stderr sh -c 'order-validate --jobs 4 --rejects "$1" \
	    "$2" >/dev/full' sh "$REJECTS" "$IN"
	assert_output ''
	assert_stderr "order-validate: cannot write '<stdout>': No space left on device"
	cmp "$REJECTS.1" "$REJECTS"
}

@test "with --jobs 4 a closed pipe ends the run as with --jobs 1: killed by SIGPIPE" {
	"$BATS_TEST_DIRNAME"/bench/gen-orders 20000 >"$IN"
	for j in 1 4; do
		run -0 --separate-stderr bash -c 'order-validate --jobs "$1" \
		    --rejects /dev/null "$2" | head -n 1 >/dev/null
		    echo "${PIPESTATUS[0]}"' sh "$j" "$IN"
		assert_output 141
	done
}

@test "with --jobs 4 SIGINT mid-run ends the process and every thread" {
	local pid fd rc=0
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	# A background job of a script ignores SIGINT: give it back.
	env --default-signal=INT order-validate --jobs 4 \
	    --rejects /dev/null <"$BATS_TEST_TMPDIR/fifo" >/dev/null &
	pid=$!
	# (bats has descriptor 3.)
	exec {fd}>"$BATS_TEST_TMPDIR/fifo"
	cat "$FIXTURES/one-valid.jsonl" >&"$fd"
	# Its threads are up once it has read.
	for _ in $(seq 50); do
		[[ $(ls /proc/$pid/task 2>/dev/null | wc -l) -ge 5 ]] && break
		sleep 0.1
	done
	# Its reader and four workers (and ThreadSanitizer's own, under make
	# tsan).
	run -0 bash -c 'ls /proc/$1/task | wc -l' sh "$pid"
	((output >= 5))
	kill -INT "$pid"
	wait "$pid" || rc=$?
	exec {fd}>&-
	assert_equal "$rc" 130
	[[ ! -e /proc/$pid ]]
}
