bats_require_minimum_version 1.5.0

setup_file() {
	load test_helper/store
	load test_helper/carriers
	pg_start
	carriers_start
}

teardown_file() {
	load test_helper/store
	load test_helper/carriers
	carriers_stop
	pg_stop
}

setup() {
	load test_helper/common
	load test_helper/store
	load test_helper/carriers
	use_backend sqlite
	carriers_setup
	ship_config >>"$ORDERKIT_CONFIG"
}

NOW=2026-11-20T12:00:00+03:00

# ship_config: the shop, its warehouses and services, after the carriers'
# accounts; one call at a time, so that carriers number in input order.
ship_config() {
	cat <<-CONF
	[http]
	concurrency = 1
	[shop]
	name = Ромашка
	[sender]
	company = ООО «Ромашка»
	contact = Анна Смирнова
	phone = +74951234567
	email = shop@example.ru
	country = RU
	city = Москва
	postal_code = 101000
	line1 = ул. Складская, 1
	[warehouse "MSK"]
	cdek_shipment_point = MSK1
	[warehouse "SPB"]
	city = Санкт-Петербург
	postal_code = 190000
	line1 = Складской пр., 2
	[warehouse "KYIV"]
	company = ТОВ «Ромашка»
	contact = Оксана Левченко
	phone = +380441234567
	country = UA
	city = Київ
	line1 = вул. Складська, 3
	novaposhta_city_ref = 8d5a980d-391c-11dd-90d9-001a92567626
	novaposhta_sender_ref = 5ace4a2e-13ee-11e5-add9-005056887b8d
	novaposhta_contact_ref = 613b77c4-1411-11e5-ad08-005056801333
	novaposhta_address_ref = d492290b-55f2-11e5-ad08-005056801333
	[parcel]
	weight_g = 500
	dims_mm = 300x200x100
	[outbox]
	wait = 20
	[carrier "cdek"]
	service_courier = 137
	service_pickup = 136
	service_post = 233
	number_wait = 0.02
	[carrier "novaposhta"]
	key = np-key
	return_reason = 49754eb2-a9e1-11e3-9fa0-0050568002cf
	return_subtype_reason = 49754ec8-a9e1-11e3-9fa0-0050568002cf
	CONF
}

# state CARRIER: what the server booked at CARRIER in this test (JSON).
state() {
	curl -s "http://127.0.0.1:$CARRIER_PORT/t/t$BATS_TEST_NUMBER/_state" |
	    jq -c ".$1 // []"
}

# sent CARRIER METHOD PATH: the bodies of the requests to CARRIER's PATH, as
# sent (the server's state reads them back through Python's floats).
sent() {
	awk -v c="$1" -v m="$2" -v p="/t/t$BATS_TEST_NUMBER/$1$3" \
	    '$2 == c && $3 == m && $4 == p { sub(/^[^ ]* [^ ]* [^ ]* [^ ]* /, ""); print }' \
	    "$DATA/requests.log"
}

# book [ARG ...]: ship-book at NOW with the catalog.
book() {
	ship-book --now "$NOW" --catalog "$FIXTURES/catalog.csv" "$@"
}

# shipment: each output record's id, status and shipment, compact.
shipment() {
	jq -c '{id, status, shipment}'
}

# codes: the error codes of each reject, one line per record.
codes() {
	jq -c '[.id, [.errors[] | .code]]'
}

# --- the basics ------------------------------------------------------------

@test "--help prints the usage on standard output" {
	run -0 --separate-stderr ship-book --help
	assert_line --index 0 --partial 'usage: ship-book [--db PATH|URL]'
	assert_stderr ''
}

@test "a bad option is a usage error" {
	run -64 --separate-stderr ship-book --bogus
	assert_output ''
	assert_stderr --partial 'usage: ship-book'
}

@test "--return and --cancel exclude each other" {
	run -64 --separate-stderr ship-book --return --cancel </dev/null
	assert_output ''
	assert_stderr --partial '--return and --cancel exclude each other'
}

@test "--now takes an RFC 3339 time" {
	run -64 --separate-stderr ship-book --now tomorrow </dev/null
	assert_stderr --partial "--now 'tomorrow' is not an RFC 3339 time"
}

@test "a catalog that cannot be read exits 66 before any booking" {
	run -66 --separate-stderr ship-book --catalog "$BATS_TEST_TMPDIR/no" \
	    "$FIXTURES/cdek-courier.jsonl"
	assert_output ''
	assert_stderr --partial "cannot open '$BATS_TEST_TMPDIR/no'"
	[[ $(requests cdek) == 0 ]]
}

@test "an operand that cannot be read exits 66 after the others" {
	run -66 --separate-stderr book "$BATS_TEST_TMPDIR/missing" \
	    "$FIXTURES/cdek-courier.jsonl"
	assert_stderr --partial "cannot open '$BATS_TEST_TMPDIR/missing'"
	run -0 jq -r .status <<<"$output"
	assert_output booked
}

@test "a write error on standard output exits 74" {
	run -74 --separate-stderr sh -c 'ship-book --now "$1" "$2" >/dev/full' \
	    sh "$NOW" "$FIXTURES/cdek-courier.jsonl"
	assert_output ''
	assert_stderr --partial "cannot write '<stdout>'"
}

@test "a record neither paid nor cod, or without a booking carrier, is rejected" {
	run -0 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/not-for-booking.jsonl"
	assert_output ''
	run -0 codes <"$BATS_TEST_TMPDIR/rej"
	assert_output - <<-'OUT'
	["SHOP-11",["not_payable"]]
	["SHOP-12",["unknown_carrier"]]
	["SHOP-13",["no_booking_api"]]
	["SHOP-14",["no_pickup_point"]]
	OUT
	run -0 jq -r '.errors[0].message' <"$BATS_TEST_TMPDIR/rej"
	assert_line --index 1 "no adapter for carrier 'boxberry'"
	assert_line --index 2 "carrier 'dhl' has no booking in its API; book it by hand"
	run -0 jq -r .rejected_by <"$BATS_TEST_TMPDIR/rej"
	assert_output $'ship-book\nship-book\nship-book\nship-book'
	[[ $(requests cdek) == 0 ]]
}

@test "--version prints the version" {
	run -0 --separate-stderr ship-book --version
	assert_output --partial 'ship-book (orderkit) 0.1'
	assert_stderr ''
}

@test "--strict exits 65 after a reject, when all else went well" {
	run -65 --separate-stderr book --strict --rejects \
	    "$BATS_TEST_TMPDIR/rej" "$FIXTURES/cdek-courier.jsonl" \
	    "$FIXTURES/not-for-booking.jsonl"
	run -0 jq -r .id <<<"$output"
	assert_output SHOP-1
	run -0 wc -l <"$BATS_TEST_TMPDIR/rej"
	assert_output 4
}

@test "--config and --db name the configuration and the store" {
	mv "$ORDERKIT_CONFIG" "$BATS_TEST_TMPDIR/shop.conf"
	run -0 --separate-stderr env -u ORDERKIT_CONFIG -u ORDERKIT_DB \
	    XDG_STATE_HOME="$BATS_TEST_TMPDIR/state" ship-book --now "$NOW" \
	    --config "$BATS_TEST_TMPDIR/shop.conf" \
	    --db "$BATS_TEST_TMPDIR/other.db" "$FIXTURES/cdek-courier.jsonl"
	run -0 jq -r .status <<<"$output"
	assert_output booked
	run -0 sqlite3 "$BATS_TEST_TMPDIR/other.db" "SELECT key, state FROM outbox"
	assert_output 'SHOP-1:1|done'
	# ORDERKIT_DB's store (made empty by use_backend) was not used
	run -0 sqlite3 "$ORDERKIT_DB" "SELECT name FROM sqlite_master WHERE type = 'table'"
	assert_output schema_version
	[[ ! -e $BATS_TEST_TMPDIR/state ]]
}

@test "the carrier is --carrier, else the record's, else [shop] carrier" {
	jq -c 'del(.shipping.carrier)' "$FIXTURES/cdek-courier.jsonl" \
	    >"$BATS_TEST_TMPDIR/none.jsonl"
	run -0 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$BATS_TEST_TMPDIR/none.jsonl"
	assert_output ''
	run -0 codes <"$BATS_TEST_TMPDIR/rej"
	assert_output '["SHOP-1",["no_carrier"]]'
	printf '[shop]\ncarrier = СДЭК\n' >>"$ORDERKIT_CONFIG"
	run -0 --separate-stderr book "$BATS_TEST_TMPDIR/none.jsonl"
	run -0 jq -c '[.id, .shipment.carrier, .shipment.service]' <<<"$output"
	assert_output '["SHOP-1","cdek","137"]'
	sed 's/SHOP-20/SHOP-25/' "$FIXTURES/easypost.jsonl" \
	    >"$BATS_TEST_TMPDIR/ep.jsonl"
	run -0 --separate-stderr book --carrier CDEK "$BATS_TEST_TMPDIR/ep.jsonl"
	run -0 jq -c '[.id, .shipment.carrier]' <<<"$output"
	assert_output '["SHOP-25","cdek"]'
	[[ $(requests easypost) == 0 ]]
}

@test "a --carrier ship-book has no adapter for is a usage error, before any order is read" {
	run -64 --separate-stderr book --carrier "Pony Express" \
	    "$FIXTURES/cdek-courier.jsonl"
	assert_output ''
	assert_stderr --partial "ship-book: --carrier 'Pony Express' is not a carrier ship-book books with"
	assert_stderr --partial 'usage: ship-book '
	[[ $(requests cdek) == 0 ]]
}

@test "the service is --service, else the record's, else the configured one" {
	jq -c '.shipping.service = "139"' "$FIXTURES/cdek-courier.jsonl" \
	    >"$BATS_TEST_TMPDIR/svc.jsonl"
	run -0 --separate-stderr book "$BATS_TEST_TMPDIR/svc.jsonl" \
	    "$FIXTURES/cdek-post.jsonl"
	run -0 jq -c '[.id, .shipment.service]' <<<"$output"
	assert_output - <<-'OUT'
	["SHOP-1","139"]
	["SHOP-3","233"]
	OUT
	jq -c '.id = "SHOP-1b"' "$BATS_TEST_TMPDIR/svc.jsonl" \
	    >"$BATS_TEST_TMPDIR/svc2.jsonl"
	run -0 --separate-stderr book --service 482 "$BATS_TEST_TMPDIR/svc2.jsonl"
	run -0 jq -c '[.id, .shipment.service]' <<<"$output"
	assert_output '["SHOP-1b","482"]'
	run -0 jq -c '[.[] | .req.tariff_code]' <<<"$(state cdek)"
	assert_output '[139,233,482]'
}

@test "AfterShip and Russian Post track but do not book: no_booking_api" {
	for c in aftership 'Почта России'; do
		run -0 --separate-stderr book --carrier "$c" --rejects \
		    "$BATS_TEST_TMPDIR/rej" "$FIXTURES/cdek-courier.jsonl"
		assert_output ''
	done
	run -0 jq -c '[.id, .errors[0].code, .errors[0].message]' \
	    "$BATS_TEST_TMPDIR/rej"
	assert_output - <<-'OUT'
	["SHOP-1","no_booking_api","carrier 'aftership' has no booking in its API; book it by hand"]
	["SHOP-1","no_booking_api","carrier 'russianpost' has no booking in its API; book it by hand"]
	OUT
	[[ ! -e $DATA/requests.log ]]
}

@test "broken inputs: no crash, every line in one of the two streams" {
	local f in out rej
	for f in "$BROKEN"/*; do
		rm -f "$BATS_TEST_TMPDIR/rej"
		run -0 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej" \
		    "$f"
		assert_stderr ''
		in=$(grep -a -c '[^[:space:]]' "$f" || true)
		out=$(printf '%s' "$output" | grep -c '' || true)
		rej=$(count_lines "$BATS_TEST_TMPDIR/rej")
		assert_equal "$f: $((out + rej))" "$f: $in"
		run -0 jq -r '.errors[0].code' "$BATS_TEST_TMPDIR/rej"
		refute_output --partial null
	done
}

# --- CDEK --------------------------------------------------------------------

t_cdek_courier() {
	use_backend "$1"
	run -0 --separate-stderr book "$FIXTURES/cdek-courier.jsonl"
	assert_stderr ''
	run -0 shipment <<<"$output"
	assert_output '{"id":"SHOP-1","status":"booked","shipment":{"carrier":"cdek","service":"137","booked_at":"2026-11-20T12:00:00+03:00","cost":{"amount":25400,"currency":"RUB"},"parcels":[{"n":1,"of":1,"warehouse":"MSK","items":[{"sku":"TEE","qty":2}],"weight_g":400,"dims_mm":"300x200x100","tracking_number":"1000000001","carrier_ref":"72753031-0001-4b8c-8b2e-000000000000","cost":{"amount":25400,"currency":"RUB"}}]}}'
	run -0 sent cdek POST /v2/orders
	assert_output '{"type":1,"number":"SHOP-1","tariff_code":137,"shipment_point":"MSK1","to_location":{"country_code":"RU","postal_code":"125009","region":"Москва","city":"Москва","address":"ул. Тверская, д. 7, кв. 12"},"sender":{"company":"ООО «Ромашка»","name":"Анна Смирнова","email":"shop@example.ru","phones":[{"number":"+74951234567"}]},"recipient":{"name":"Иван Петров","email":"ivan@example.ru","phones":[{"number":"+79161234567"}]},"packages":[{"number":"SHOP-1","weight":400,"items":[{"name":"Футболка","ware_key":"TEE","payment":{"value":0.00},"cost":1299.00,"weight":200,"amount":2}],"length":30,"width":20,"height":10}]}'
}
@test "sqlite: CDEK books a courier delivery from the warehouse's drop-off point" { t_cdek_courier sqlite; }
@test "postgres: CDEK books a courier delivery from the warehouse's drop-off point" { t_cdek_courier postgres; }

@test "CDEK books a pickup point as delivery_point with the pickup tariff" {
	run -0 --separate-stderr book "$FIXTURES/cdek-pickup.jsonl"
	run -0 jq -c '.shipment | [.service, .parcels[0].tracking_number]' \
	    <<<"$output"
	assert_output '["136","1000000001"]'
	run -0 jq -c '.[0].req | [.tariff_code, .delivery_point, .to_location, .from_location.city]' <<<"$(state cdek)"
	assert_output '[136,"MSK42",null,"Москва"]'
}

@test "CDEK books post delivery to the address with the post tariff" {
	run -0 --separate-stderr book "$FIXTURES/cdek-post.jsonl"
	run -0 jq -c '.[0].req | [.tariff_code, .to_location.postal_code, .packages[0].weight, .packages[0].height]' <<<"$(state cdek)"
	# One T-shirt: the catalog's own size, 20 mm high: 2 cm.
	assert_output '[233,"170000",200,2]'
}

@test "cash on delivery: the items at their price, the rest as delivery_recipient_cost" {
	run -0 --separate-stderr book "$FIXTURES/cdek-cod.jsonl"
	run -0 jq -c '[.id, .status, .shipment.parcels[0].cod]' <<<"$output"
	assert_output - <<-'OUT'
	["SHOP-4","booked",{"amount":289800,"currency":"RUB"}]
	["SHOP-5","booked",{"amount":189800,"currency":"RUB"}]
	OUT
	# SHOP-5 paid 1000.00 of 2898.00: less than the items' price is due,
	# so all of it is collected as the delivery's cost.
	run -0 sent cdek POST /v2/orders
	assert_line --index 0 --partial '"payment":{"value":1299.00},"cost":1299.00'
	assert_line --index 0 --partial '"delivery_recipient_cost":{"value":300.00}'
	assert_line --index 1 --partial '"payment":{"value":0.00},"cost":1299.00'
	assert_line --index 1 --partial '"delivery_recipient_cost":{"value":1898.00}'
}

@test "an order from two warehouses is two parcels, cash collected on parcel 1" {
	run -0 --separate-stderr book "$FIXTURES/two-parcels.jsonl"
	run -0 jq -c '.shipment.parcels[] | [.n, .of, .warehouse, .weight_g, .dims_mm, .tracking_number, .cod.amount]' <<<"$output"
	assert_output - <<-'OUT'
	[1,2,"SPB",200,"300x200x20","1000000001",448700]
	[2,2,"MSK",850,"300x200x100","1000000002",null]
	OUT
	run -0 jq -c '.[] | .req | [.number, .from_location.city, .shipment_point, .delivery_recipient_cost.value]' <<<"$(state cdek)"
	assert_output - <<-'OUT'
	["SHOP-6-1","Санкт-Петербург",null,3188]
	["SHOP-6-2",null,"MSK1",null]
	OUT
}

@test "a parcel the carrier refuses is a reject with its words; the batch goes on" {
	run -0 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/batch.jsonl"
	run -0 jq -c '[.id, .status]' <<<"$output"
	assert_output '["SHOP-7","booked"]'
	run -0 jq -c '[.id, .errors[0].code, .errors[0].field, .errors[0].message]' \
	    "$BATS_TEST_TMPDIR/rej"
	assert_output - <<-'OUT'
	["SHOP-8","bad_phone","shipment.parcels[0]","parcel 1 (SHOP-8:1): CDEK: Некорректный номер телефона получателя (v2_recipient_phone_invalid)"]
	["SHOP-9","bad_address","shipment.parcels[0]","parcel 1 (SHOP-9:1): CDEK: Населённый пункт получателя не обслуживается (v2_location_not_served)"]
	["SHOP-10","too_heavy","shipment.parcels[0]","parcel 1 (SHOP-10:1): CDEK: Превышен максимальный вес упаковки: 30 кг (v2_weight_limit_exceeded)"]
	OUT
}

@test "a refused parcel is booked again once the record is mended" {
	run -0 --separate-stderr book --rejects /dev/null "$FIXTURES/batch.jsonl"
	sed 's/"+7916"/"+79161110008"/' "$FIXTURES/batch.jsonl" \
	    >"$BATS_TEST_TMPDIR/mended.jsonl"
	run -0 --separate-stderr book --rejects /dev/null \
	    "$BATS_TEST_TMPDIR/mended.jsonl"
	run -0 jq -c '[.id, .shipment.parcels[0].tracking_number]' <<<"$output"
	assert_output - <<-'OUT'
	["SHOP-7","1000000001"]
	["SHOP-8","1000000003"]
	OUT
}

@test "one parcel of two refused: the other stays booked; mended, only it is booked" {
	jq -c '.reservation.lines[2].qty = 100 | .items[1].qty = 100' \
	    "$FIXTURES/two-parcels.jsonl" >"$BATS_TEST_TMPDIR/heavy.jsonl"
	run -0 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$BATS_TEST_TMPDIR/heavy.jsonl"
	assert_output ''
	run -0 jq -c '.errors[] | [.code, .field]' "$BATS_TEST_TMPDIR/rej"
	assert_output '["too_heavy","shipment.parcels[1]"]'
	run -0 sql "SELECT key, state FROM outbox ORDER BY key"
	assert_output - <<-'OUT'
	SHOP-6:1|done
	SHOP-6:2|failed
	OUT
	run -0 --separate-stderr book "$FIXTURES/two-parcels.jsonl"
	run -0 jq -c '[.status, [.shipment.parcels[] | .tracking_number]]' \
	    <<<"$output"
	assert_output '["booked",["1000000001","1000000002"]]'
	run -0 jq -c '[.[] | .number]' <<<"$(state cdek)"
	assert_output '["SHOP-6-1","SHOP-6-2"]'
}

@test "an order twice in one file is booked once, and written twice" {
	cat "$FIXTURES/cdek-courier.jsonl" "$FIXTURES/cdek-courier.jsonl" \
	    >"$BATS_TEST_TMPDIR/twice.jsonl"
	run -0 --separate-stderr book --stats "$BATS_TEST_TMPDIR/twice.jsonl"
	assert_stderr --partial '2 in, 1 booked, 1 booked before'
	assert_equal "${lines[0]}" "${lines[1]}"
	run -0 jq -r .shipment.parcels[0].tracking_number <<<"${lines[1]}"
	assert_output 1000000001
	run -0 grep -c 'POST /t/t[0-9]*/cdek/v2/orders ' "$DATA/requests.log"
	assert_output 1
}

@test "a CDEK order that gets its number only on the third read" {
	echo '{"cdek": {"number_after": 3}}' >"$DATA/settings.json"
	run -0 --separate-stderr book "$FIXTURES/cdek-courier.jsonl"
	run -0 jq -r '.shipment.parcels[0].tracking_number' <<<"$output"
	assert_output 1000000001
	run -0 grep -c 'GET /t/t[0-9]*/cdek/v2/orders/7275' "$DATA/requests.log"
	assert_output 3
}

@test "a CDEK order still without a number is left for the next run, which reads it" {
	echo '{"cdek": {"number_after": 4}}' >"$DATA/settings.json"
	printf '[carrier "cdek"]\nnumber_reads = 2\n' >>"$ORDERKIT_CONFIG"
	run -0 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/cdek-courier.jsonl"
	assert_output ''
	run -0 codes <"$BATS_TEST_TMPDIR/rej"
	assert_output '["SHOP-1",["number_pending"]]'
	run -0 --separate-stderr book "$FIXTURES/cdek-courier.jsonl"
	run -0 jq -r '.shipment.parcels[0].tracking_number' <<<"$output"
	assert_output 1000000001
	run -0 jq length <<<"$(state cdek)"
	assert_output 1
}

@test "an order twice in one file, left in doubt, does not wait for itself" {
	echo '{"cdek": {"number_after": 4}}' >"$DATA/settings.json"
	printf '[carrier "cdek"]\nnumber_reads = 2\n[outbox]\nwait = 600\n' \
	    >>"$ORDERKIT_CONFIG"
	cat "$FIXTURES/cdek-courier.jsonl" "$FIXTURES/cdek-courier.jsonl" \
	    >"$BATS_TEST_TMPDIR/twice.jsonl"
	run -0 --separate-stderr timeout 30 ship-book --now "$NOW" --rejects \
	    "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/twice.jsonl"
	assert_output ''
	run -0 jq -c '[.id, .errors[0].code, .errors[0].message]' \
	    "$BATS_TEST_TMPDIR/rej"
	assert_line --index 0 --partial '["SHOP-1","number_pending",'
	assert_line --index 1 "[\"SHOP-1\",\"booking_in_progress\",\"parcel 1 (SHOP-1:1): an earlier line of this run holds the outbox entry 'SHOP-1:1'; run again later\"]"
	run -0 grep -c 'POST /t/t[0-9]*/cdek/v2/orders ' "$DATA/requests.log"
	assert_output 1
}

t_twice() {
	use_backend "$1"
	run -0 --separate-stderr book "$FIXTURES/two-parcels.jsonl"
	first=$output
	posts=$(grep -c 'POST /t/t[0-9]*/cdek/v2/orders ' "$DATA/requests.log")
	run -0 --separate-stderr ship-book --stats --now 2026-11-21T09:00:00Z \
	    "$FIXTURES/two-parcels.jsonl"
	assert_output "$first"
	assert_stderr --partial '1 in, 0 booked, 2 booked before'
	[[ $(grep -c 'POST /t/t[0-9]*/cdek/v2/orders ' "$DATA/requests.log") == "$posts" ]]
	run -0 jq length <<<"$(state cdek)"
	assert_output 2
}
@test "sqlite: the same file twice books nothing twice and prints the stored result" { t_twice sqlite; }
@test "postgres: the same file twice books nothing twice and prints the stored result" { t_twice postgres; }

@test "a 429 is tried again: it cannot have been carried out" {
	faults '[{"carrier": "cdek", "match": "/v2/orders", "times": 1, "status": 429, "retry_after": "0"}]'
	run -0 --separate-stderr book "$FIXTURES/cdek-courier.jsonl"
	run -0 jq -r .status <<<"$output"
	assert_output booked
	run -0 grep -c 'POST /t/t[0-9]*/cdek/v2/orders ' "$DATA/requests.log"
	assert_output 2
	run -0 jq length <<<"$(state cdek)"
	assert_output 1
}

@test "a 500 before the booking: looked up by im_number, not found, booked" {
	faults '[{"carrier": "cdek", "match": "/v2/orders", "times": 1, "status": 500, "body": "<html>oops</html>"}]'
	run -0 --separate-stderr book "$FIXTURES/cdek-courier.jsonl"
	run -0 jq -r .shipment.parcels[0].tracking_number <<<"$output"
	assert_output 1000000001
	run -0 grep -c 'GET /t/t[0-9]*/cdek/v2/orders?im_number=SHOP-1 ' \
	    "$DATA/requests.log"
	assert_output 1
	run -0 jq length <<<"$(state cdek)"
	assert_output 1
}

@test "a 500 after the booking: found by im_number, not booked twice" {
	faults '[{"carrier": "cdek", "match": "/v2/orders", "times": 1, "status": 500, "after": true, "body": "<html>oops</html>"}]'
	run -0 --separate-stderr book "$FIXTURES/cdek-courier.jsonl"
	run -0 jq -r .shipment.parcels[0].tracking_number <<<"$output"
	assert_output 1000000001
	run -0 grep -c 'POST /t/t[0-9]*/cdek/v2/orders ' "$DATA/requests.log"
	assert_output 1
	run -0 jq length <<<"$(state cdek)"
	assert_output 1
}

@test "a timeout after the carrier booked: found by im_number in the same run" {
	faults '[{"carrier": "cdek", "match": "/v2/orders", "times": 1, "sleep_after": 3}]'
	run -0 --separate-stderr book "$FIXTURES/cdek-courier.jsonl"
	run -0 jq -r .shipment.parcels[0].tracking_number <<<"$output"
	assert_output 1000000001
	run -0 jq length <<<"$(state cdek)"
	assert_output 1
}

t_crash() {
	use_backend "$1"
	# The carrier books, then holds its answer; the process dies
	# meanwhile, before the store hears of it.
	faults '[{"carrier": "cdek", "match": "/v2/orders", "times": 1, "sleep_after": 5}]'
	ship-book --now "$NOW" "$FIXTURES/cdek-courier.jsonl" \
	    >"$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		grep -q 'POST /t/t[0-9]*/cdek/v2/orders ' "$DATA/requests.log" \
		    2>/dev/null && break
		sleep 0.05
	done
	kill -9 "$pid"
	wait "$pid" || true
	run -0 sql "SELECT state FROM outbox"
	assert_output pending
	run -0 --separate-stderr ship-book --now "$NOW" \
	    "$FIXTURES/cdek-courier.jsonl"
	run -0 jq -r .shipment.parcels[0].tracking_number <<<"$output"
	assert_output 1000000001
	run -0 grep -c 'GET /t/t[0-9]*/cdek/v2/orders?im_number=SHOP-1 ' \
	    "$DATA/requests.log"
	assert_output 1
	run -0 jq length <<<"$(state cdek)"
	assert_output 1
}
@test "sqlite: a crash between the carrier's answer and the store is settled by im_number" { t_crash sqlite; }
@test "postgres: a crash between the carrier's answer and the store is settled by im_number" { t_crash postgres; }

@test "a carrier that stays down: carrier_unavailable, exit 75, booked next run" {
	faults '[{"carrier": "cdek", "status": 503, "times": 100}]'
	run -75 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/cdek-courier.jsonl"
	assert_output ''
	assert_stderr --partial "carrier 'cdek' did not answer: HTTP 503"
	run -0 codes <"$BATS_TEST_TMPDIR/rej"
	assert_output '["SHOP-1",["carrier_unavailable"]]'
	rm "$DATA/faults.json"
	run -0 --separate-stderr book "$FIXTURES/cdek-courier.jsonl"
	run -0 jq -r .status <<<"$output"
	assert_output booked
}

@test "a carrier that refuses connections: not in doubt, exit 75, booked next run" {
	ORDERKIT_CARRIER_EASYPOST_URL=http://127.0.0.1:1/v2 \
	    run -75 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/easypost.jsonl"
	assert_output ''
	assert_stderr --partial "carrier 'easypost' did not answer"
	run -0 codes <"$BATS_TEST_TMPDIR/rej"
	assert_output '["SHOP-20",["carrier_unavailable"]]'
	# Nothing of it can have been carried out: failed, not pending.
	run -0 sql "SELECT state FROM outbox"
	assert_output failed
	run -0 --separate-stderr book "$FIXTURES/easypost.jsonl"
	run -0 jq -r .status <<<"$output"
	assert_output booked
	# Booked straight away: no lookup of a booking in doubt.
	run -0 awk '{ print $3, $4 }' "$DATA/requests.log"
	assert_output - <<-OUT
	POST /t/t$BATS_TEST_NUMBER/easypost/v2/shipments
	POST /t/t$BATS_TEST_NUMBER/easypost/v2/shipments/shp_0001/buy
	OUT
}

t_two_processes() {
	use_backend "$1"
	cat "$FIXTURES/cdek-courier.jsonl" "$FIXTURES/cdek-pickup.jsonl" \
	    "$FIXTURES/cdek-post.jsonl" "$FIXTURES/two-parcels.jsonl" \
	    "$FIXTURES/cdek-cod.jsonl" >"$BATS_TEST_TMPDIR/all.jsonl"
	faults '[{"carrier": "cdek", "match": "/v2/orders", "sleep": 0.2}]'
	book "$BATS_TEST_TMPDIR/all.jsonl" >"$BATS_TEST_TMPDIR/a" \
	    2>"$BATS_TEST_TMPDIR/a.err" &
	a=$!
	book "$BATS_TEST_TMPDIR/all.jsonl" >"$BATS_TEST_TMPDIR/b" \
	    2>"$BATS_TEST_TMPDIR/b.err" &
	b=$!
	wait "$a"
	wait "$b"
	run -0 cat "$BATS_TEST_TMPDIR/a.err" "$BATS_TEST_TMPDIR/b.err"
	assert_output ''
	run -0 jq -c '[.id, [.shipment.parcels[].tracking_number]]' \
	    "$BATS_TEST_TMPDIR/a"
	a_out=$output
	run -0 jq -c '[.id, [.shipment.parcels[].tracking_number]]' \
	    "$BATS_TEST_TMPDIR/b"
	assert_output "$a_out"
	run -0 wc -l <"$BATS_TEST_TMPDIR/a"
	assert_output 6
	run -0 jq -r '[.[].number] | sort | join(" ")' <<<"$(state cdek)"
	assert_output 'SHOP-1 SHOP-2 SHOP-3 SHOP-4 SHOP-5 SHOP-6-1 SHOP-6-2'
}
@test "sqlite: two processes on the same input book each parcel once" { t_two_processes sqlite; }
@test "postgres: two processes on the same input book each parcel once" { t_two_processes postgres; }

t_two_processes_carriers() {
	use_backend "$1"
	cat "$FIXTURES/cdek-courier.jsonl" "$FIXTURES/easypost.jsonl" \
	    "$FIXTURES/easypost-more.jsonl" "$FIXTURES/novaposhta.jsonl" \
	    >"$BATS_TEST_TMPDIR/all.jsonl"
	faults '[{"sleep": 0.1}]'
	book --rejects "$BATS_TEST_TMPDIR/a.rej" "$BATS_TEST_TMPDIR/all.jsonl" \
	    >"$BATS_TEST_TMPDIR/a" 2>"$BATS_TEST_TMPDIR/a.err" &
	a=$!
	book --rejects "$BATS_TEST_TMPDIR/b.rej" "$BATS_TEST_TMPDIR/all.jsonl" \
	    >"$BATS_TEST_TMPDIR/b" 2>"$BATS_TEST_TMPDIR/b.err" &
	b=$!
	wait "$a"
	wait "$b"
	run -0 cat "$BATS_TEST_TMPDIR/a.err" "$BATS_TEST_TMPDIR/b.err"
	assert_output ''
	run -0 jq -c '[.id, .shipment.carrier, [.shipment.parcels[].tracking_number]]' \
	    "$BATS_TEST_TMPDIR/a"
	assert_output - <<-'OUT'
	["SHOP-1","cdek",["1000000001"]]
	["SHOP-20","easypost",["9400000000000000000001"]]
	["SHOP-21","easypost",["9400000000000000000002"]]
	["SHOP-22","easypost",["9400000000000000000003"]]
	["SHOP-30","novaposhta",["20450000000001"]]
	["SHOP-31","novaposhta",["20450000000002"]]
	["SHOP-32","novaposhta",["20450000000003"]]
	OUT
	a_out=$output
	run -0 jq -c '[.id, .shipment.carrier, [.shipment.parcels[].tracking_number]]' \
	    "$BATS_TEST_TMPDIR/b"
	assert_output "$a_out"
	run -0 codes <"$BATS_TEST_TMPDIR/a.rej"
	assert_output - <<-'OUT'
	["SHOP-23",["bad_phone"]]
	["SHOP-33",["bad_phone"]]
	OUT
	run -0 codes <"$BATS_TEST_TMPDIR/b.rej"
	assert_output - <<-'OUT'
	["SHOP-23",["bad_phone"]]
	["SHOP-33",["bad_phone"]]
	OUT
	run -0 jq -c '[length, [.[] | .buys]]' <<<"$(state easypost)"
	assert_output '[3,[1,1,1]]'
	run -0 jq length <<<"$(state novaposhta)"
	assert_output 3
	run -0 jq length <<<"$(state cdek)"
	assert_output 1
}
@test "sqlite: two processes book each carrier's parcels once" { t_two_processes_carriers sqlite; }
@test "postgres: two processes book each carrier's parcels once" { t_two_processes_carriers postgres; }

# --- EasyPost ----------------------------------------------------------------

@test "EasyPost: a shipment with our reference, its cheapest rate bought" {
	run -0 --separate-stderr book "$FIXTURES/easypost.jsonl"
	assert_stderr ''
	run -0 jq -c .shipment <<<"$output"
	assert_output "{\"carrier\":\"easypost\",\"service\":\"GroundAdvantage\",\"booked_at\":\"2026-11-20T12:00:00+03:00\",\"cost\":{\"amount\":520,\"currency\":\"USD\"},\"parcels\":[{\"n\":1,\"of\":1,\"warehouse\":\"SFO\",\"items\":[{\"sku\":\"TEE\",\"qty\":2}],\"weight_g\":400,\"dims_mm\":\"300x200x100\",\"tracking_number\":\"9400000000000000000001\",\"carrier_ref\":\"shp_0001\",\"carrier_ids\":{\"carrier\":\"USPS\",\"tracker_id\":\"trk_0001\"},\"carrier_label\":\"http://127.0.0.1:$CARRIER_PORT/t/t$BATS_TEST_NUMBER/easypost/labels/shp_0001.png\",\"cost\":{\"amount\":520,\"currency\":\"USD\"}}]}"
	# 400 g is 14.2 oz; 300x200x100 mm is 11.9x7.9x4.0 in (up).
	run -0 sent easypost POST /v2/shipments
	assert_output '{"shipment":{"reference":"SHOP-20:1","to_address":{"name":"Dr. Steve Brule","street1":"179 N Harbor Dr","city":"Redondo Beach","state":"CA","zip":"90277","country":"US","phone":"+18573875756","email":"steve@example.com"},"from_address":{"name":"Анна Смирнова","company":"ООО «Ромашка»","street1":"ул. Складская, 1","city":"Москва","zip":"101000","country":"RU","phone":"+74951234567","email":"shop@example.ru"},"parcel":{"weight":14.2,"length":11.9,"width":7.9,"height":4.0},"options":{}}}'
	run -0 sent easypost POST /v2/shipments/shp_0001/buy
	assert_output '{"rate":{"id":"rate_1b"}}'
}

@test "EasyPost: --service buys that rate, [carrier] carriers narrows the choice" {
	run -0 --separate-stderr book --service priority \
	    "$FIXTURES/easypost.jsonl"
	run -0 jq -c '.shipment | [.service, .cost.amount]' <<<"$output"
	assert_output '["Priority",758]'
	printf '[carrier "easypost"]\ncarriers = UPS, FedEx\n' \
	    >>"$ORDERKIT_CONFIG"
	sed 's/SHOP-20/SHOP-24/' "$FIXTURES/easypost.jsonl" \
	    >"$BATS_TEST_TMPDIR/o.jsonl"
	run -0 --separate-stderr book "$BATS_TEST_TMPDIR/o.jsonl"
	run -0 jq -c '.shipment | [.service, .cost.amount, .parcels[0].carrier_ids.carrier]' <<<"$output"
	assert_output '["Ground",910,"UPS"]'
	run -0 --separate-stderr book --service Express --rejects \
	    "$BATS_TEST_TMPDIR/rej" "$FIXTURES/easypost-more.jsonl"
	run -0 jq -c '[.id, .errors[0].code]' "$BATS_TEST_TMPDIR/rej"
	assert_line --index 0 '["SHOP-21","bad_service"]'
}

@test "EasyPost: pickup held for pickup, cash on delivery, a bad phone refused" {
	run -0 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/easypost-more.jsonl"
	run -0 jq -r .id <<<"$output"
	assert_output - <<-'OUT'
	SHOP-21
	SHOP-22
	OUT
	run -0 sent easypost POST /v2/shipments
	assert_line --index 0 --partial '"options":{"hold_for_pickup":true}'
	assert_line --index 1 --partial '"options":{"cod_amount":"15.00"}'
	assert_line --index 1 --partial '"street2":"Apt 3"'
	run -0 jq -c '[.id, .errors[0].code, .errors[0].message]' \
	    "$BATS_TEST_TMPDIR/rej"
	assert_output '["SHOP-23","bad_phone","parcel 1 (SHOP-23:1): EasyPost: Invalid phone number for to_address (ADDRESS.PHONE.INVALID)"]'
}

@test "EasyPost: courier, post and pickup each take their configured service" {
	printf '[carrier "easypost"]\nservice_courier = Ground\nservice_post = Priority\nservice_pickup = GroundAdvantage\n' \
	    >>"$ORDERKIT_CONFIG"
	run -0 --separate-stderr book --rejects /dev/null \
	    "$FIXTURES/easypost.jsonl" "$FIXTURES/easypost-more.jsonl"
	run -0 jq -c '[.id, .shipping.method, .shipment.service, .shipment.cost.amount, .shipment.parcels[0].carrier_ids.carrier]' <<<"$output"
	assert_output - <<-'OUT'
	["SHOP-20","courier","Ground",910,"UPS"]
	["SHOP-21","pickup","GroundAdvantage",520,"USPS"]
	["SHOP-22","post","Priority",758,"USPS"]
	OUT
}

@test "EasyPost: a process killed while it bought is settled by the shipment's id" {
	faults '[{"carrier": "easypost", "match": "/buy", "times": 1, "sleep_after": 5}]'
	ship-book --now "$NOW" "$FIXTURES/easypost.jsonl" \
	    >"$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		grep -q '/buy ' "$DATA/requests.log" 2>/dev/null && break
		sleep 0.05
	done
	kill -9 "$pid"
	wait "$pid" || true
	run -0 sql "SELECT state, progress FROM outbox"
	assert_output 'pending|shp_0001'
	run -0 --separate-stderr ship-book --now "$NOW" "$FIXTURES/easypost.jsonl"
	run -0 jq -r .shipment.parcels[0].tracking_number <<<"$output"
	assert_output 9400000000000000000001
	run -0 grep -c 'GET /t/t[0-9]*/easypost/v2/shipments/shp_0001 ' \
	    "$DATA/requests.log"
	assert_output 1
	run -0 jq -c '[length, .[0].buys]' <<<"$(state easypost)"
	assert_output '[1,1]'
}

@test "EasyPost: --labels saves the label, and the record names the file" {
	mkdir "$BATS_TEST_TMPDIR/labels"
	run -0 --separate-stderr book --labels "$BATS_TEST_TMPDIR/labels" \
	    "$FIXTURES/easypost.jsonl"
	run -0 jq -r .shipment.parcels[0].carrier_label <<<"$output"
	assert_output "$BATS_TEST_TMPDIR/labels/SHOP-20.png"
	run -0 cat "$BATS_TEST_TMPDIR/labels/SHOP-20.png"
	assert_output --partial 'label shp_0001'
}

@test "--labels keeps a label in its directory, whatever the order id holds" {
	mkdir -p "$BATS_TEST_TMPDIR/shop/labels"
	jq -c '.id = "../SHOP-26"' "$FIXTURES/easypost.jsonl" \
	    >"$BATS_TEST_TMPDIR/o.jsonl"
	run -0 --separate-stderr book --labels "$BATS_TEST_TMPDIR/shop/labels" \
	    "$BATS_TEST_TMPDIR/o.jsonl"
	assert_stderr ''
	run -0 jq -r .shipment.parcels[0].carrier_label <<<"$output"
	assert_output "$BATS_TEST_TMPDIR/shop/labels/_._SHOP-26.png"
	run -0 ls -A "$BATS_TEST_TMPDIR/shop"
	assert_output labels
	run -0 ls -A "$BATS_TEST_TMPDIR/shop/labels"
	assert_output _._SHOP-26.png
}

@test "a label that cannot be saved is a warning, the URL kept, no file left" {
	mkdir -p "$BATS_TEST_TMPDIR/labels/SHOP-20.png"
	run -0 --separate-stderr book --labels "$BATS_TEST_TMPDIR/labels" \
	    "$FIXTURES/easypost.jsonl"
	assert_stderr "ship-book: cannot write '$BATS_TEST_TMPDIR/labels/SHOP-20.png': Is a directory"
	run -0 jq -r .shipment.parcels[0].carrier_label <<<"$output"
	assert_output "http://127.0.0.1:$CARRIER_PORT/t/t$BATS_TEST_NUMBER/easypost/labels/shp_0001.png"
	run -0 ls -A "$BATS_TEST_TMPDIR/labels"
	assert_output SHOP-20.png
}

@test "--labels names a directory that can be written" {
	run -73 --separate-stderr book --labels "$BATS_TEST_TMPDIR/none" \
	    "$FIXTURES/easypost.jsonl"
	assert_output ''
	assert_stderr --partial "cannot write labels into '$BATS_TEST_TMPDIR/none'"
	[[ $(requests easypost) == 0 ]]
}

@test "EasyPost: a 500 on buying after it bought: found by reference, bought once" {
	faults '[{"carrier": "easypost", "match": "/buy", "times": 1, "status": 500, "after": true}]'
	run -0 --separate-stderr book "$FIXTURES/easypost.jsonl"
	run -0 jq -r .shipment.parcels[0].tracking_number <<<"$output"
	assert_output 9400000000000000000001
	run -0 grep -c 'GET /t/t[0-9]*/easypost/v2/shipments/shp_0001 ' \
	    "$DATA/requests.log"
	assert_output 1
	run -0 jq -c '[length, .[0].buys]' <<<"$(state easypost)"
	assert_output '[1,1]'
}

@test "EasyPost: a 500 before buying: looked up, not bought, bought then" {
	faults '[{"carrier": "easypost", "match": "/buy", "times": 1, "status": 502}]'
	run -0 --separate-stderr book "$FIXTURES/easypost.jsonl"
	run -0 jq -r .status <<<"$output"
	assert_output booked
	run -0 grep -c 'POST /t/t[0-9]*/easypost/v2/shipments/shp_0001/buy ' \
	    "$DATA/requests.log"
	assert_output 2
	run -0 jq -c '[length, .[0].buys]' <<<"$(state easypost)"
	assert_output '[1,1]'
}

@test "EasyPost: a shipment created in doubt is found by our reference" {
	faults '[{"carrier": "easypost", "match": "/v2/shipments", "times": 1, "status": 503, "after": true}]'
	run -0 --separate-stderr book "$FIXTURES/easypost.jsonl"
	run -0 jq -r .status <<<"$output"
	assert_output booked
	run -0 grep -c 'GET /t/t[0-9]*/easypost/v2/shipments/SHOP-20%3A1 ' \
	    "$DATA/requests.log"
	assert_output 1
	run -0 jq length <<<"$(state easypost)"
	assert_output 1
}

# --- Nova Poshta -------------------------------------------------------------

@test "Nova Poshta: a waybill to the door in the NewAddress form" {
	run -0 --separate-stderr book --rejects /dev/null \
	    "$FIXTURES/novaposhta.jsonl"
	run -0 jq -c 'select(.id == "SHOP-30") | .shipment' <<<"$output"
	assert_output '{"carrier":"novaposhta","service":"WarehouseDoors","booked_at":"2026-11-20T12:00:00+03:00","cost":{"amount":7200,"currency":"UAH"},"parcels":[{"n":1,"of":1,"warehouse":"KYIV","items":[{"sku":"TEE","qty":1}],"weight_g":200,"dims_mm":"300x200x20","tracking_number":"20450000000001","carrier_ref":"f1e2d3c4-0000-11ef-8000-000000000001","cost":{"amount":7200,"currency":"UAH"}}]}'
	run -0 sent novaposhta POST /v2.0/json/
	assert_line --index 0 '{"apiKey":"np-key","modelName":"InternetDocument","calledMethod":"save","methodProperties":{"PayerType":"Recipient","PaymentMethod":"Cash","DateTime":"20.11.2026","CargoType":"Parcel","Weight":"0.2","OptionsSeat":[{"weight":"0.2","volumetricLength":30,"volumetricWidth":20,"volumetricHeight":2}],"ServiceType":"WarehouseDoors","SeatsAmount":"1","Description":"Футболка","Cost":"1299.00","CitySender":"8d5a980d-391c-11dd-90d9-001a92567626","Sender":"5ace4a2e-13ee-11e5-add9-005056887b8d","SenderAddress":"d492290b-55f2-11e5-ad08-005056801333","ContactSender":"613b77c4-1411-11e5-ad08-005056801333","SendersPhone":"380441234567","NewAddress":"1","RecipientCityName":"Київ","RecipientArea":"Київська","RecipientAreaRegions":"","RecipientAddressName":"вул. Хрещатик","RecipientHouse":"22","RecipientFlat":"кв. 5","RecipientName":"Олена Коваль","RecipientType":"PrivatePerson","RecipientsPhone":"380671234567","InfoRegClientBarcodes":"SHOP-30"}}'
}

@test "Nova Poshta: a branch by number or Ref, cash on delivery, a bad phone" {
	run -0 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/novaposhta.jsonl"
	run -0 jq -c '[.id, .shipment.service, .shipment.parcels[0].cod.amount]' <<<"$output"
	assert_output - <<-'OUT'
	["SHOP-30","WarehouseDoors",null]
	["SHOP-31","WarehouseWarehouse",null]
	["SHOP-32","WarehouseWarehouse",149900]
	OUT
	run -0 sent novaposhta POST /v2.0/json/
	assert_line --index 1 --partial '"RecipientAddressName":"12","RecipientName":"Тарас Шевчук","RecipientType":"PrivatePerson","RecipientsPhone":"380501234567"'
	assert_line --index 1 --partial '"Weight":"0.9"'
	assert_line --index 2 --partial '"RecipientAddress":"1ec09d88-e1c2-11e3-8c4a-0050568002cf"'
	assert_line --index 2 --partial '"BackwardDeliveryData":[{"PayerType":"Recipient","CargoType":"Money","RedeliveryString":"1499.00"}]'
	run -0 jq -c '[.id, .errors[0].code, .errors[0].message]' \
	    "$BATS_TEST_TMPDIR/rej"
	assert_output '["SHOP-33","bad_phone","parcel 1 (SHOP-33:1): Nova Poshta: RecipientsPhone is invalid (20000900746)"]'
}

@test "Nova Poshta: post goes to the branch in shipping.pickup_point" {
	sed -n 2p "$FIXTURES/novaposhta.jsonl" |
	    jq -c '.shipping.method = "post"' >"$BATS_TEST_TMPDIR/post.jsonl"
	run -0 --separate-stderr book "$BATS_TEST_TMPDIR/post.jsonl"
	run -0 jq -c '[.id, .shipment.service, .shipment.parcels[0].tracking_number]' <<<"$output"
	assert_output '["SHOP-31","WarehouseWarehouse","20450000000001"]'
	run -0 sent novaposhta POST /v2.0/json/
	assert_output --partial '"ServiceType":"WarehouseWarehouse"'
	assert_output --partial '"RecipientAddressName":"12"'
}

@test "Nova Poshta: post without a branch is no_pickup_point, unless the service goes to the door" {
	sed -n 2p "$FIXTURES/novaposhta.jsonl" | jq -c '.shipping.method = "post" |
	    del(.shipping.pickup_point) |
	    .shipping.address.line1 = "вул. Городоцька, 10"' \
	    >"$BATS_TEST_TMPDIR/post.jsonl"
	run -0 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$BATS_TEST_TMPDIR/post.jsonl"
	assert_output ''
	run -0 jq -c '[.id, .errors[0].code, .errors[0].message]' \
	    "$BATS_TEST_TMPDIR/rej"
	assert_output '["SHOP-31","no_pickup_point","parcel 1 (SHOP-31:1): Nova Poshta delivers WarehouseWarehouse to a branch, and shipping.pickup_point names none"]'
	[[ $(requests novaposhta) == 0 ]]
	printf '[carrier "novaposhta"]\nservice_post = WarehouseDoors\n' \
	    >>"$ORDERKIT_CONFIG"
	run -0 --separate-stderr book "$BATS_TEST_TMPDIR/post.jsonl"
	run -0 jq -c '[.shipment.service, .shipment.parcels[0].tracking_number]' \
	    <<<"$output"
	assert_output '["WarehouseDoors","20450000000001"]'
	run -0 sent novaposhta POST /v2.0/json/
	assert_output --partial '"RecipientAddressName":"вул. Городоцька","RecipientHouse":"10"'
}

@test "Nova Poshta: a missing sender reference exits 78 before anything is sent" {
	sed -i '/novaposhta_contact_ref/d' "$ORDERKIT_CONFIG"
	run -78 --separate-stderr book "$FIXTURES/cdek-courier.jsonl" \
	    "$FIXTURES/novaposhta.jsonl"
	assert_output ''
	assert_stderr --partial 'missing [warehouse "KYIV"] novaposhta_contact_ref (or [sender] novaposhta_contact_ref)'
	[[ $(requests novaposhta) == 0 && $(requests cdek) == 0 ]]
}

t_np_doubt() {
	use_backend "$1"
	head -n 1 "$FIXTURES/novaposhta.jsonl" >"$BATS_TEST_TMPDIR/o.jsonl"
	faults '[{"carrier": "novaposhta", "times": 1, "status": 500, "after": true}]'
	run -0 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$BATS_TEST_TMPDIR/o.jsonl"
	assert_output ''
	run -0 codes <"$BATS_TEST_TMPDIR/rej"
	assert_output '["SHOP-30",["booking_in_doubt"]]'
	run -0 sql "SELECT state FROM outbox"
	assert_output held
	# Never booked blind a second time: the next run says so again.
	run -0 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej2" \
	    "$BATS_TEST_TMPDIR/o.jsonl"
	run -0 jq -r '.errors[0].message' "$BATS_TEST_TMPDIR/rej2"
	assert_output --partial "the outbox entry 'SHOP-30:1' is held for a person"
	[[ $(requests novaposhta) == 1 ]]
	run -0 jq length <<<"$(state novaposhta)"
	assert_output 1
}
@test "sqlite: Nova Poshta cannot be asked: a call in doubt is booking_in_doubt, held" { t_np_doubt sqlite; }
@test "postgres: Nova Poshta cannot be asked: a call in doubt is booking_in_doubt, held" { t_np_doubt postgres; }

t_np_killed() {
	use_backend "$1"
	head -n 1 "$FIXTURES/novaposhta.jsonl" >"$BATS_TEST_TMPDIR/o.jsonl"
	faults '[{"carrier": "novaposhta", "times": 1, "sleep_after": 5}]'
	ship-book --now "$NOW" "$BATS_TEST_TMPDIR/o.jsonl" \
	    >"$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		[[ $(requests novaposhta) == 1 ]] && break
		sleep 0.05
	done
	kill -9 "$pid"
	wait "$pid" || true
	run -0 --separate-stderr ship-book --now "$NOW" --rejects \
	    "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/o.jsonl"
	assert_output ''
	run -0 codes <"$BATS_TEST_TMPDIR/rej"
	assert_output '["SHOP-30",["booking_in_doubt"]]'
	[[ $(requests novaposhta) == 1 ]]
}
@test "sqlite: Nova Poshta: a process killed during the call leaves it in doubt, never booked twice" { t_np_killed sqlite; }
@test "postgres: Nova Poshta: a process killed during the call leaves it in doubt, never booked twice" { t_np_killed postgres; }

# --- returns -----------------------------------------------------------------

@test "--return books the returns the shop pays for, with the shop as recipient" {
	printf '[carrier "cdek"]\nservice_return = 138\n' >>"$ORDERKIT_CONFIG"
	run -0 --separate-stderr book --return --rejects \
	    "$BATS_TEST_TMPDIR/rej" "$FIXTURES/returns.jsonl"
	assert_stderr ''
	out=$output
	run -0 jq -c '[.id, .status, .return.shipment.carrier, .return.shipment.service, .return.shipment.parcels[0].tracking_number, .return.shipment.parcels[0].items]' <<<"$output"
	assert_output - <<-'OUT'
	["SHOP-40","return_open","easypost","GroundAdvantage","9400000000000000000001",[{"sku":"TEE","qty":1}]]
	["SHOP-41","return_open","cdek","138","1000000001",[{"sku":"MUG","qty":1}]]
	["SHOP-42","return_open","novaposhta",null,"20450000099999",[{"sku":"TEE","qty":1}]]
	["SHOP-43","return_open",null,null,null,null]
	OUT
	# A return the shop does not pay for passes through unchanged.
	run -0 jq -c 'select(.id == "SHOP-43")' <<<"$out"
	assert_output "$(sed -n 4p "$FIXTURES/returns.jsonl")"
	run -0 codes <"$BATS_TEST_TMPDIR/rej"
	assert_output '["SHOP-44",["not_returnable"]]'
	# EasyPost: the outbound addresses and is_return, so it swaps them.
	run -0 sent easypost POST /v2/shipments
	assert_output --partial '"reference":"SHOP-40:return:1","to_address":{"name":"Dr. Steve Brule"'
	assert_output --partial '"is_return":true'
	run -0 sent cdek POST /v2/orders
	assert_output --partial '"number":"SHOP-41-return","tariff_code":138,"shipment_point":"MSK42","delivery_point":"MSK1","sender":{"name":"Иван Петров"'
	run -0 sent novaposhta POST /v2.0/json/
	assert_output '{"apiKey":"np-key","modelName":"AdditionalService","calledMethod":"save","methodProperties":{"IntDocNumber":"20450000099999","PaymentMethod":"Cash","Reason":"49754eb2-a9e1-11e3-9fa0-0050568002cf","SubtypeReason":"49754ec8-a9e1-11e3-9fa0-0050568002cf","ReturnAddressRef":"d492290b-55f2-11e5-ad08-005056801333","OrderType":"orderCargoReturn"}}'
	run -0 jq -c 'select(.id == "SHOP-42") | .return.shipment.parcels[0] | [.carrier_ref, .carrier_ids]' <<<"$out"
	assert_output '["a0b0c0d0-0000-11ef-8000-000000000001",{"return_number":"102-00000001"}]'
}

@test "the same returns twice are booked once" {
	run -0 --separate-stderr book --return --rejects /dev/null \
	    "$FIXTURES/returns.jsonl"
	first=$output
	run -0 --separate-stderr book --return --rejects /dev/null \
	    "$FIXTURES/returns.jsonl"
	assert_output "$first"
	[[ $(requests easypost) == 2 && $(requests novaposhta) == 1 ]]
}

# --- cancels -----------------------------------------------------------------

# booked FILE...: book the files' orders into $BATS_TEST_TMPDIR/booked.jsonl.
booked() {
	book --rejects /dev/null "$@" >"$BATS_TEST_TMPDIR/booked.jsonl"
}

t_cancel() {
	use_backend "$1"
	booked "$FIXTURES/cdek-courier.jsonl" "$FIXTURES/easypost.jsonl" \
	    "$FIXTURES/novaposhta.jsonl"
	run -0 --separate-stderr ship-book --cancel --now 2026-11-21T10:00:00+03:00 \
	    "$BATS_TEST_TMPDIR/booked.jsonl"
	assert_stderr ''
	out=$output
	run -0 jq -c '[.id, .status, .shipment.cancelled_at, .shipment.cancel_requested_at, .shipment.parcels[0].cancelled_at // .shipment.parcels[0].cancel_requested_at]' <<<"$output"
	assert_output - <<-'OUT'
	["SHOP-1","cancelled","2026-11-21T10:00:00+03:00",null,"2026-11-21T10:00:00+03:00"]
	["SHOP-20","cancelled",null,"2026-11-21T10:00:00+03:00","2026-11-21T10:00:00+03:00"]
	["SHOP-30","cancelled","2026-11-21T10:00:00+03:00",null,"2026-11-21T10:00:00+03:00"]
	["SHOP-31","cancelled","2026-11-21T10:00:00+03:00",null,"2026-11-21T10:00:00+03:00"]
	["SHOP-32","cancelled","2026-11-21T10:00:00+03:00",null,"2026-11-21T10:00:00+03:00"]
	OUT
	# Booked at NOW, cancelled at the cancelling run's --now, in UTC.
	run -0 jq -c 'select(.id == "SHOP-1") | .status_history' <<<"$out"
	assert_output '[{"status":"booked","at":"2026-11-20T09:00:00Z"},{"status":"cancelled","at":"2026-11-21T07:00:00Z"}]'
	# The reservation is order-reserve's: left as it was.
	run -0 jq -c 'select(.id == "SHOP-1") | .reservation' <<<"$out"
	assert_output '{"state":"active","lines":[{"sku":"TEE","warehouse":"MSK","qty":2}]}'
	run -0 jq -c '[.[] | .status]' <<<"$(state cdek)"
	assert_output '["REMOVED"]'
	run -0 jq -c '[.[] | .refund_status]' <<<"$(state easypost)"
	assert_output '["submitted"]'
	run -0 jq -c '[.[] | .deleted]' <<<"$(state novaposhta)"
	assert_output '[true,true,true]'
	run -0 grep -c 'DELETE /t/t[0-9]*/cdek/v2/orders/72753031-0001-4b8c-8b2e-000000000000 ' \
	    "$DATA/requests.log"
	assert_output 1
	run -0 sent novaposhta POST /v2.0/json/
	assert_line --index 4 '{"apiKey":"np-key","modelName":"InternetDocument","calledMethod":"delete","methodProperties":{"DocumentRefs":"f1e2d3c4-0000-11ef-8000-000000000001"}}'
	# Never sent twice: the same file again prints what was stored.
	deletes=$(grep -c ' DELETE ' "$DATA/requests.log")
	run -0 --separate-stderr ship-book --cancel --now 2026-11-22T10:00:00+03:00 \
	    "$BATS_TEST_TMPDIR/booked.jsonl"
	run -0 jq -r '.shipment.cancelled_at // .shipment.cancel_requested_at' \
	    <<<"$output"
	refute_output --partial 2026-11-22
	[[ $(grep -c ' DELETE ' "$DATA/requests.log") == "$deletes" ]]
	run -0 jq -c '[.[] | .refunds]' <<<"$(state easypost)"
	assert_output '[1]'
}
@test "sqlite: --cancel takes each booking back once: CDEK deletes, EasyPost refunds, Nova Poshta deletes" { t_cancel sqlite; }
@test "postgres: --cancel takes each booking back once: CDEK deletes, EasyPost refunds, Nova Poshta deletes" { t_cancel postgres; }

@test "a parcel the carrier already took is too_late_to_cancel" {
	booked "$FIXTURES/cdek-courier.jsonl" "$FIXTURES/easypost.jsonl" \
	    "$FIXTURES/novaposhta.jsonl"
	echo '{"taken": ["SHOP-1", "SHOP-20", "SHOP-30"]}' >"$DATA/settings.json"
	run -0 --separate-stderr ship-book --cancel --rejects \
	    "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/booked.jsonl"
	run -0 jq -r .id <<<"$output"
	assert_output - <<-'OUT'
	SHOP-31
	SHOP-32
	OUT
	run -0 jq -c '[.id, .errors[0].code, .errors[0].message]' \
	    "$BATS_TEST_TMPDIR/rej"
	assert_output - <<-'OUT'
	["SHOP-1","too_late_to_cancel","parcel 1 (SHOP-1:1): CDEK: Удаление заказа невозможно: заказ уже принят на склад (v2_order_not_removable)"]
	["SHOP-20","too_late_to_cancel","parcel 1 (SHOP-20:1): EasyPost: refund rejected"]
	["SHOP-30","too_late_to_cancel","parcel 1 (SHOP-30:1): Nova Poshta: Document can not be deleted: the parcel is already in transit (20000300510)"]
	OUT
}

@test "a record without booked parcels cannot be cancelled" {
	run -0 --separate-stderr ship-book --cancel --rejects \
	    "$BATS_TEST_TMPDIR/rej" "$FIXTURES/cdek-courier.jsonl"
	assert_output ''
	run -0 codes <"$BATS_TEST_TMPDIR/rej"
	assert_output '["SHOP-1",["not_booked"]]'
}

@test "a cancel in doubt is settled by reading the order back, not sent twice" {
	booked "$FIXTURES/cdek-courier.jsonl"
	faults '[{"carrier": "cdek", "match": "/v2/orders/", "times": 1, "status": 500, "after": true}]'
	run -0 --separate-stderr ship-book --cancel \
	    "$BATS_TEST_TMPDIR/booked.jsonl"
	run -0 jq -r .status <<<"$output"
	assert_output cancelled
	run -0 grep -c ' DELETE ' "$DATA/requests.log"
	assert_output 1
}

# --- in doubt and leases -----------------------------------------------------

# outbox_row KEY OWNER LEASE_UNTIL: an entry as another process left it.
outbox_row() {
	sql "INSERT INTO outbox (kind, key, state, owner, lease_until, attempts, intent, created_at, updated_at) VALUES ('ship-book', '$1', 'pending', '$2', $3, 1, NULL, 0, 0)"
}

t_live_owner() {
	use_backend "$1"
	run -0 ship-book --now "$NOW" </dev/null	# the store's tables
	outbox_row SHOP-1:1 'otherhost 4242' $(($(date +%s) + 600))
	printf '[outbox]\nwait = 1\n' >>"$ORDERKIT_CONFIG"
	run -0 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/cdek-courier.jsonl"
	assert_output ''
	run -0 jq -c '[.id, .errors[0].code, .errors[0].message]' \
	    "$BATS_TEST_TMPDIR/rej"
	assert_output "[\"SHOP-1\",\"booking_in_progress\",\"parcel 1 (SHOP-1:1): another process holds the outbox entry 'SHOP-1:1'; run again later\"]"
	[[ $(requests cdek) == 0 ]]
}
@test "sqlite: an entry another live process holds is left to it" { t_live_owner sqlite; }
@test "postgres: an entry another live process holds is left to it" { t_live_owner postgres; }

t_lease_over() {
	use_backend "$1"
	run -0 ship-book --now "$NOW" </dev/null
	outbox_row SHOP-1:1 'otherhost 4242' $(($(date +%s) - 1))
	run -0 --separate-stderr book "$FIXTURES/cdek-courier.jsonl"
	run -0 jq -r .status <<<"$output"
	assert_output booked
	# In doubt: looked up before it was booked.
	run -0 grep -c 'im_number=SHOP-1 ' "$DATA/requests.log"
	assert_output 1
	run -0 sql "SELECT state, attempts FROM outbox"
	assert_output 'done|2'
}
@test "sqlite: an entry whose lease ran out is settled through the carrier" { t_lease_over sqlite; }
@test "postgres: an entry whose lease ran out is settled through the carrier" { t_lease_over postgres; }

@test "a carrier down: the others' orders are booked and written, exit 75" {
	faults '[{"carrier": "cdek", "status": 503, "times": 100}]'
	run -75 --separate-stderr book --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/cdek-courier.jsonl" "$FIXTURES/easypost.jsonl"
	run -0 jq -c '[.id, .status]' <<<"$output"
	assert_output '["SHOP-20","booked"]'
	run -0 codes <"$BATS_TEST_TMPDIR/rej"
	assert_output '["SHOP-1",["carrier_unavailable"]]'
	run -0 sql "SELECT key, state FROM outbox ORDER BY key"
	assert_output - <<-'OUT'
	SHOP-1:1|failed
	SHOP-20:1|done
	OUT
}

# --- dry run -----------------------------------------------------------------

@test "--dry-run prints the requests it would send, secrets masked, nothing sent or stored" {
	rm -f "$ORDERKIT_DB"	# setup's store: --dry-run must make none
	run -0 --separate-stderr ship-book --dry-run --now "$NOW" \
	    "$FIXTURES/cdek-courier.jsonl" "$FIXTURES/easypost.jsonl" \
	    "$FIXTURES/novaposhta.jsonl"
	assert_stderr ''
	out=$output
	run -0 jq -r '"\(.method) \(.url | sub("^http://[^/]*/t/t[0-9]+"; ""))"' \
	    <<<"$out"
	assert_output - <<-'OUT'
	POST /cdek/v2/oauth/token
	POST /cdek/v2/orders
	POST /cdek/v2/calculator/tariff
	POST /easypost/v2/shipments
	POST /novaposhta/v2.0/json/
	POST /novaposhta/v2.0/json/
	POST /novaposhta/v2.0/json/
	POST /novaposhta/v2.0/json/
	OUT
	run -0 jq -r 'select(.url | endswith("/oauth/token")) | .body' <<<"$out"
	assert_output 'grant_type=client_credentials&client_id=id&client_secret=***'
	run -0 jq -r 'select(.body | type == "object" and has("apiKey")) | .body.apiKey' <<<"$out"
	assert_output - <<-'OUT'
	***
	***
	***
	***
	OUT
	run -1 grep -c np-key <<<"$out"
	assert_output 0
	[[ ! -e $DATA/requests.log ]]
	[[ ! -e $ORDERKIT_DB ]]
}

@test "--dry-run rejects what would be refused before any call" {
	run -0 --separate-stderr ship-book --dry-run --service Express \
	    --rejects "$BATS_TEST_TMPDIR/rej" "$FIXTURES/cdek-courier.jsonl"
	assert_output ''
	run -0 codes <"$BATS_TEST_TMPDIR/rej"
	assert_output '["SHOP-1",["bad_service"]]'
}

@test "--dry-run --cancel prints the cancels it would send" {
	booked "$FIXTURES/cdek-courier.jsonl" "$FIXTURES/easypost.jsonl"
	nreq=$(wc -l <"$DATA/requests.log")
	run -0 --separate-stderr ship-book --dry-run --cancel \
	    "$BATS_TEST_TMPDIR/booked.jsonl"
	run -0 jq -r '"\(.method) \(.url | sub("^http://[^/]*/t/t[0-9]+"; ""))"' \
	    <<<"$output"
	assert_output - <<-'OUT'
	POST /cdek/v2/oauth/token
	DELETE /cdek/v2/orders/72753031-0001-4b8c-8b2e-000000000000
	POST /easypost/v2/shipments/shp_0001/refund
	OUT
	[[ $(wc -l <"$DATA/requests.log") == "$nreq" ]]
}

# --- the manual's examples ---------------------------------------------------

@test "example: ship-book --catalog catalog.csv --rejects not-booked.jsonl paid.jsonl > booked.jsonl" {
	cd "$BATS_TEST_TMPDIR"
	cp "$FIXTURES/catalog.csv" .
	cat "$FIXTURES/cdek-courier.jsonl" "$FIXTURES/not-for-booking.jsonl" \
	    >paid.jsonl
	run -0 --separate-stderr sh -c 'ship-book --catalog catalog.csv --rejects not-booked.jsonl paid.jsonl > booked.jsonl'
	assert_output ''
	run -0 jq -r '"\(.id) \(.shipment.parcels[0].tracking_number)"' booked.jsonl
	assert_output 'SHOP-1 1000000001'
	run -0 wc -l <not-booked.jsonl
	assert_output 4
}

@test "example: ship-book --dry-run paid.jsonl | jq -r '.method + \" \" + .url'" {
	cd "$BATS_TEST_TMPDIR"
	cp "$FIXTURES/easypost.jsonl" paid.jsonl
	run -0 --separate-stderr sh -c "ship-book --dry-run paid.jsonl | jq -r '.method + \" \" + .url'"
	assert_output "POST http://127.0.0.1:$CARRIER_PORT/t/t$BATS_TEST_NUMBER/easypost/v2/shipments"
}

@test "example: ship-book --cancel --rejects too-late.jsonl booked.jsonl" {
	cd "$BATS_TEST_TMPDIR"
	book "$FIXTURES/cdek-courier.jsonl" "$FIXTURES/easypost.jsonl" \
	    >booked.jsonl
	echo '{"taken": ["SHOP-20"]}' >"$DATA/settings.json"
	run -0 --separate-stderr ship-book --cancel --rejects too-late.jsonl \
	    booked.jsonl
	run -0 jq -r '"\(.id) \(.status)"' <<<"$output"
	assert_output 'SHOP-1 cancelled'
	run -0 jq -r '"\(.id) \(.errors[0].code)"' too-late.jsonl
	assert_output 'SHOP-20 too_late_to_cancel'
}

@test "example: ship-book --return --labels labels returns.jsonl > returning.jsonl" {
	cd "$BATS_TEST_TMPDIR"
	mkdir labels
	head -n 1 "$FIXTURES/returns.jsonl" >returns.jsonl
	run -0 --separate-stderr sh -c 'ship-book --return --labels labels returns.jsonl > returning.jsonl'
	run -0 jq -r '"\(.status) \(.return.shipment.parcels[0].carrier_label)"' \
	    returning.jsonl
	assert_output 'return_open labels/SHOP-40-return.png'
	[[ -s labels/SHOP-40-return.png ]]
}
