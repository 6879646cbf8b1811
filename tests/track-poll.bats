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
}

DHL1=00340434161094042557

# tracking: the tracking section of each record, compact.
tracking() {
	jq -c '{status, tracking}'
}

# --- the basics ------------------------------------------------------------

@test "--help prints the usage on standard output" {
	run -0 --separate-stderr track-poll --help
	assert_line --index 0 --partial 'usage: track-poll [--carrier NAME]'
	assert_stderr ''
}

@test "a bad option is a usage error" {
	run -64 --separate-stderr track-poll --bogus
	assert_output ''
	assert_stderr --partial 'usage: track-poll'
}

@test "--stuck takes a number of days" {
	run -64 --separate-stderr track-poll --stuck soon </dev/null
	assert_stderr --partial "--stuck 'soon' is not a number of days"
}

@test "an operand that cannot be read exits 66 after the others" {
	put dhl "$DHL1" transit.json
	run -66 --separate-stderr track-poll "$BATS_TEST_TMPDIR/missing" \
	    "$FIXTURES/dhl-order.jsonl"
	assert_stderr --partial "cannot open '$BATS_TEST_TMPDIR/missing'"
	run -0 jq -r .tracking.status <<<"$output"
	assert_output in_transit
}

# --- change-only output ----------------------------------------------------

t_first_poll() {
	use_backend "$1"
	put dhl "$DHL1" transit.json
	run -0 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_stderr ''
	run -0 tracking <<<"$output"
	assert_output '{"status":"shipped","tracking":{"tracking_number":"00340434161094042557","status":"in_transit","previous_status":null,"at":"2026-11-21T09:10:00+01:00","location":"Leipzig, DE","message":"The shipment has been loaded onto the delivery vehicle","carrier_status":{"code":"transit","text":"In transit"},"events":[{"at":"2026-11-20T18:00:00+01:00","status":"pre_transit","location":"Berlin, DE","message":"The instruction data for this shipment have been provided by the sender","carrier_status":{"code":"pre-transit","text":"Electronic notification"}},{"at":"2026-11-21T09:10:00+01:00","status":"in_transit","location":"Leipzig, DE","message":"The shipment has been loaded onto the delivery vehicle","carrier_status":{"code":"transit","text":"In transit"}}],"parcels":[{"tracking_number":"00340434161094042557","status":"in_transit","at":"2026-11-21T09:10:00+01:00"}]}}'
}
@test "sqlite: a parcel seen for the first time is written with its events" { t_first_poll sqlite; }
@test "postgres: a parcel seen for the first time is written with its events" { t_first_poll postgres; }

t_twice() {
	use_backend "$1"
	put dhl "$DHL1" transit.json
	run -0 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_stderr ''
	[[ -n $output ]]
	run -0 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_output ''
	assert_stderr ''
	assert_equal "$(requests dhl)" 2
}
@test "sqlite: the same poll twice writes nothing the second time" { t_twice sqlite; }
@test "postgres: the same poll twice writes nothing the second time" { t_twice postgres; }

t_history() {
	use_backend "$1"
	put dhl "$DHL1" transit.json
	run -0 --separate-stderr track-poll --now 2026-11-21T12:00:00+03:00 \
	    "$FIXTURES/dhl-order.jsonl"
	put dhl "$DHL1" delivered.json
	run -0 --separate-stderr track-poll --now 2026-11-22T15:00:00+03:00 \
	    </dev/null
	assert_stderr ''
	run -0 jq -c .status_history <<<"$output"
	assert_output '[{"status":"shipped","at":"2026-11-21T09:00:00Z"},{"status":"delivered","at":"2026-11-22T12:00:00Z"}]'
}
@test "sqlite: each move of the status is in status_history at --now" { t_history sqlite; }
@test "postgres: each move of the status is in status_history at --now" { t_history postgres; }

t_change() {
	use_backend "$1"
	put dhl "$DHL1" transit.json
	run -0 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_stderr ''
	put dhl "$DHL1" delivered.json
	run -0 --separate-stderr track-poll </dev/null
	assert_stderr ''
	run -0 jq -c '{id, status, t: .tracking | {status, previous_status, at,
	    events: [.events[].carrier_status.text]}}' <<<"$output"
	assert_output '{"id":"SHOP-1","status":"delivered","t":{"status":"delivered","previous_status":"in_transit","at":"2026-11-22T11:30:00+01:00","events":["Out for delivery","Delivered"]}}'
	# Delivered is final: nothing more is asked.
	run -0 --separate-stderr track-poll </dev/null
	assert_stderr ''
	assert_output ''
	assert_equal "$(requests dhl)" 2
}
@test "sqlite: a change writes the previous status and only the new events" { t_change sqlite; }
@test "postgres: a change writes the previous status and only the new events" { t_change postgres; }

@test "without input every parcel that is not final is polled from the store" {
	put dhl "$DHL1" transit.json
	faults '[{"carrier": "dhl", "status": 503}]'
	run -75 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_output ''
	rm "$DATA/faults.json"
	run -0 --separate-stderr track-poll </dev/null
	run -0 jq -c '{id, s: .tracking.status}' <<<"$output"
	assert_output '{"id":"SHOP-1","s":"in_transit"}'
}

@test "an imported order's shipping.tracking is one parcel" {
	put dhl "$DHL1" transit.json
	run -0 --separate-stderr track-poll "$FIXTURES/imported-order.jsonl"
	run -0 jq -c '{id, status, n: .tracking.tracking_number}' <<<"$output"
	assert_output '{"id":"SHOP-3","status":"shipped","n":"00340434161094042557"}'
}

@test "plain lines keep their shape, carriers named as shops write them" {
	put dhl "$DHL1" transit.json
	put dhl JD014600006281230704 odd-code.json
	run -0 --separate-stderr track-poll "$FIXTURES/plain-lines.jsonl"
	assert_stderr ''
	run -0 jq -c 'del(.tracking.events, .tracking.message,
	    .tracking.location, .tracking.at)' <<<"$output"
	assert_line --index 0 '{"order_id":"SHOP-7","carrier":"DHL Express","tracking_number":"00340434161094042557","tracking":{"tracking_number":"00340434161094042557","status":"in_transit","previous_status":null,"carrier_status":{"code":"transit","text":"In transit"},"parcels":[{"tracking_number":"00340434161094042557","status":"in_transit","at":"2026-11-21T09:10:00+01:00"}]}}'
	assert_line --index 1 '{"carrier":"dhl","tracking_number":"JD014600006281230704","tracking":{"tracking_number":"JD014600006281230704","status":"unknown","previous_status":null,"carrier_status":{"code":"held-at-depot","text":"Held"},"parcels":[{"tracking_number":"JD014600006281230704","status":"unknown","at":"2026-11-21T12:00:00Z"}]}}'
}

@test "an order with two parcels lists both; only the one that changed is written" {
	put dhl "$DHL1" transit.json
	run -0 --separate-stderr track-poll --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/dhl-two-parcels.jsonl"
	run -0 jq -c '{status, n: .tracking.tracking_number,
	    p: [.tracking.parcels[] | [.tracking_number, .status]]}' <<<"$output"
	assert_output '{"status":"shipped","n":"00340434161094042557","p":[["00340434161094042557","in_transit"],["00340434161094099999",null]]}'
	run -0 jq -c '[.id, (.errors[] | .code, .field)]' "$BATS_TEST_TMPDIR/rej"
	assert_output '["SHOP-2","unknown_tracking_number","shipment.parcels[1].tracking_number"]'
}

@test "records without a tracking number or a carrier are rejects" {
	run -0 --separate-stderr track-poll --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/no-tracking.jsonl"
	assert_output ''
	run -0 jq -c '[.id, (.errors[] | .code, .field)]' "$BATS_TEST_TMPDIR/rej"
	assert_line --index 0 '["SHOP-4","no_tracking_number","shipping.tracking"]'
	assert_line --index 1 '["SHOP-5","no_carrier","shipment.carrier"]'
	run -0 jq -r .rejected_by "$BATS_TEST_TMPDIR/rej"
	assert_output $'track-poll\ntrack-poll'
}

@test "--strict makes a reject exit 65" {
	run -65 --separate-stderr track-poll --strict \
	    --rejects "$BATS_TEST_TMPDIR/rej" "$FIXTURES/no-tracking.jsonl"
	assert_output ''
}

@test "an unknown carrier code is status unknown with the raw code kept" {
	put dhl JD014600006281230704 odd-code.json
	run -0 --separate-stderr track-poll <<<'{"carrier":"dhl","tracking_number":"JD014600006281230704"}'
	assert_stderr ''
	run -0 jq -c '.tracking | [.status, .carrier_status.code]' <<<"$output"
	assert_output '["unknown","held-at-depot"]'
}

@test "a carrier without adapter and without AfterShip is a reject" {
	sed -i '/\[carrier "aftership"\]/,$d' "$ORDERKIT_CONFIG"
	run -0 --separate-stderr track-poll <<<'{"carrier":"Royal Mail","tracking_number":"AB123456789GB"}'
	assert_output ''
	run -0 jq -c '.errors[] | [.code, .message]' <<<"$stderr"
	assert_output "[\"unknown_carrier\",\"no adapter for carrier 'royal-mail', and no [carrier \\\"aftership\\\"] key to track it through AfterShip\"]"
}

@test "broken inputs: no crash, every line out or rejected, with its code" {
	load test_helper/broken
	broken_lines track-poll
}

@test "--carrier polls only that carrier; the others are remembered for later" {
	put dhl "$DHL1" transit.json
	put cdek 1106207236 on-the-way.json
	run -0 --separate-stderr track-poll --carrier DHL --rejects /dev/null \
	    "$FIXTURES/dhl-order.jsonl" "$FIXTURES/cdek-order.jsonl"
	run -0 jq -r .id <<<"$output"
	assert_output SHOP-1
	assert_equal "$(requests cdek)" 0
	run -0 --separate-stderr track-poll --rejects /dev/null </dev/null
	run -0 jq -r '.id + " " + .tracking.tracking_number' <<<"$output"
	assert_output 'SHOP-10 1106207236'
}

# --- failures of the network -----------------------------------------------

@test "a 503 is tried again, and the answer then counts" {
	put dhl "$DHL1" transit.json
	faults '[{"carrier": "dhl", "status": 503, "times": 2}]'
	run -0 --separate-stderr track-poll --stats "$FIXTURES/dhl-order.jsonl"
	run -0 jq -r .tracking.status <<<"$output"
	assert_output in_transit
	assert_equal "$(requests dhl)" 3
	assert_stderr --partial '3 requests, 2 retries'
}

t_down() {
	use_backend "$1"
	put dhl "$DHL1" transit.json
	faults '[{"carrier": "dhl", "status": 500}]'
	run -75 --separate-stderr track-poll --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/dhl-order.jsonl"
	assert_output ''
	assert_stderr "track-poll: carrier 'dhl' did not answer: HTTP 500, 3 tries; its parcels are polled again next run"
	assert_equal "$(count_lines "$BATS_TEST_TMPDIR/rej")" 0
	run -0 sql "SELECT carrier, tracking_number, record_key FROM tracking_parcels"
	assert_output "dhl|$DHL1|SHOP-1"
}
@test "sqlite: a carrier that stays down exits 75 and its parcels are remembered" { t_down sqlite; }
@test "postgres: a carrier that stays down exits 75 and its parcels are remembered" { t_down postgres; }

@test "a 429 waits for Retry-After" {
	put dhl "$DHL1" transit.json
	faults '[{"carrier": "dhl", "status": 429, "retry_after": "1", "times": 1}]'
	sed -i 's/^backoff_max = .*/backoff_max = 5/' "$ORDERKIT_CONFIG"
	run -0 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	[[ -n $output ]]
	run -0 awk '$2 == "dhl" { t[n++] = $1 } END { print (t[1] - t[0] >= 0.95) }' \
	    "$DATA/requests.log"
	assert_output 1
}

@test "a Retry-After date in the past is taken as now" {
	put dhl "$DHL1" transit.json
	faults '[{"carrier": "dhl", "status": 503, "retry_after": "Wed, 21 Oct 2015 07:28:00 GMT", "times": 1}]'
	sed -i 's/^backoff_max = .*/backoff_max = 5/' "$ORDERKIT_CONFIG"
	run -0 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	[[ -n $output ]]
	run -0 awk '$2 == "dhl" { t[n++] = $1 } END { print (t[1] - t[0] < 0.5) }' \
	    "$DATA/requests.log"
	assert_output 1
}

@test "a call that times out is tried again" {
	put dhl "$DHL1" transit.json
	faults '[{"carrier": "dhl", "sleep": 1.5, "times": 1}]'
	sed -i 's/^timeout = .*/timeout = 0.3/' "$ORDERKIT_CONFIG"
	run -0 --separate-stderr track-poll --stats "$FIXTURES/dhl-order.jsonl"
	run -0 jq -r .tracking.status <<<"$output"
	assert_output in_transit
	assert_stderr --partial '1 retries'
}

@test "a call that keeps timing out makes the carrier down" {
	put dhl "$DHL1" transit.json
	faults '[{"carrier": "dhl", "sleep": 1}]'
	sed -i 's/^timeout = .*/timeout = 0.2/; s/^retries = .*/retries = 1/' \
	    "$ORDERKIT_CONFIG"
	run -75 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_output ''
	assert_stderr --partial "carrier 'dhl' did not answer: Operation timed out after"
}

@test "an HTML page with status 200 counts as the carrier failing" {
	put dhl "$DHL1" transit.json
	faults '[{"carrier": "dhl", "status": 200, "body": "<html><body>Maintenance</body></html>"}]'
	run -75 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_output ''
	assert_stderr --partial "HTTP 200 with a body that is not what the service sends, 3 tries"
	assert_equal "$(requests dhl)" 3
}

@test "malformed JSON with status 200 is tried again" {
	put dhl "$DHL1" transit.json
	faults '[{"carrier": "dhl", "status": 200, "body": "{\"shipments\": [", "times": 1}]'
	run -0 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	run -0 jq -r .tracking.status <<<"$output"
	assert_output in_transit
	assert_equal "$(requests dhl)" 2
}

@test "a refused key exits 78 naming it" {
	put dhl "$DHL1" transit.json
	echo '{"key": "the-right-key"}' >"$DATA/dhl/account.json"
	run -78 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_output ''
	assert_stderr "track-poll: DHL refused [carrier \"dhl\"] key: HTTP 401: Invalid API key."
	# The key itself is never shown.
	[[ $stderr != *dhl-key* ]]
}

@test "an answer larger than max_response counts as the carrier failing" {
	put dhl "$DHL1" transit.json
	faults "[{\"carrier\": \"dhl\", \"status\": 200, \"body\": \"{\\\"shipments\\\": [], \\\"pad\\\": \\\"$(printf '%2000s' '' | tr ' ' x)\\\"}\"}]"
	printf '[carrier "dhl"]\nmax_response = 1024\n' >>"$ORDERKIT_CONFIG"
	run -75 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_output ''
	assert_stderr --partial "carrier 'dhl' did not answer: an answer from '"
	assert_stderr --partial "' larger than 1024 bytes"
}

# --- TLS -------------------------------------------------------------------

@test "a certificate that does not verify exits 69 naming ca_file" {
	carriers_setup "https://127.0.0.1:$CARRIER_TLS_PORT"
	put dhl "$DHL1" transit.json
	run -69 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_output ''
	assert_stderr --partial "track-poll: cannot verify the TLS certificate of 'https://127.0.0.1:$CARRIER_TLS_PORT/t/t$BATS_TEST_NUMBER/dhl/shipments?trackingNumber=$DHL1': "
	assert_stderr --partial 'a private CA goes in [carrier "dhl"] ca_file'
	assert_equal "$(requests dhl)" 0
}

@test "ca_file makes a private CA's certificate verify" {
	carriers_setup "https://127.0.0.1:$CARRIER_TLS_PORT"
	put dhl "$DHL1" transit.json
	printf '[carrier "dhl"]\nca_file = %s\n' "$CARRIER_CA" >>"$ORDERKIT_CONFIG"
	run -0 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_stderr ''
	run -0 jq -r .tracking.status <<<"$output"
	assert_output in_transit
}

# --- configuration ---------------------------------------------------------

@test "a config with a secret that others can read exits 78" {
	put dhl "$DHL1" transit.json
	chmod 644 "$ORDERKIT_CONFIG"
	run -78 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_output ''
	assert_stderr "track-poll: config '$ORDERKIT_CONFIG' holds secrets but can be read by others: chmod 600 '$ORDERKIT_CONFIG'"
}

@test "a missing key exits 78 naming it and its variable" {
	put dhl "$DHL1" transit.json
	sed -i '/^key = dhl-key/d' "$ORDERKIT_CONFIG"
	run -78 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_output ''
	assert_stderr "track-poll: missing [carrier \"dhl\"] key in config '$ORDERKIT_CONFIG' (or ORDERKIT_CARRIER_DHL_KEY in the environment)"
}

@test "the environment gives a key the file lacks" {
	put dhl "$DHL1" transit.json
	sed -i '/^key = dhl-key/d' "$ORDERKIT_CONFIG"
	echo '{"key": "from-env"}' >"$DATA/dhl/account.json"
	ORDERKIT_CARRIER_DHL_KEY=from-env run -0 --separate-stderr \
	    track-poll "$FIXTURES/dhl-order.jsonl"
	assert_stderr ''
	[[ -n $output ]]
}

@test "a syntax error in the config exits 78 naming the line" {
	printf '[carrier "dhl"\n' >>"$ORDERKIT_CONFIG"
	run -78 --separate-stderr track-poll </dev/null
	assert_stderr --partial "$ORDERKIT_CONFIG:27: bad section header: missing ']'"
}

# --- output and concurrency ------------------------------------------------

@test "a write error on standard output exits 74 and loses no change" {
	put dhl "$DHL1" transit.json
	run -74 --separate-stderr sh -c 'track-poll "$1" >/dev/full' sh \
	    "$FIXTURES/dhl-order.jsonl"
	assert_stderr --partial "cannot write '<stdout>'"
	run -0 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	run -0 jq -r .tracking.status <<<"$output"
	assert_output in_transit
}

t_concurrent() {
	local i
	use_backend "$1"
	for i in $(seq 100 139); do
		sed "s/$DHL1/003404341610940421$i/" "$FIXTURES/dhl/transit.json" \
		    >"$DATA/dhl/003404341610940421$i.json"
		printf '{"carrier":"dhl","tracking_number":"003404341610940421%s"}\n' "$i"
	done >"$BATS_TEST_TMPDIR/in"
	track-poll "$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/o1" &
	track-poll "$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/o2" &
	wait %1
	wait %2
	run -0 sort "$BATS_TEST_TMPDIR/o1" "$BATS_TEST_TMPDIR/o2"
	assert_equal "${#lines[@]}" 40
	run -0 sh -c 'cat "$1" "$2" | jq -r .tracking_number | sort -u | wc -l' sh \
	    "$BATS_TEST_TMPDIR/o1" "$BATS_TEST_TMPDIR/o2"
	assert_output 40
}
@test "sqlite: two processes over the same store write each change once" { t_concurrent sqlite; }
@test "postgres: two processes over the same store write each change once" { t_concurrent postgres; }

# --- the examples of track-poll(1) -----------------------------------------

@test "example: track-poll --rejects FILE | notify-send, every 15 minutes" {
	put dhl "$DHL1" transit.json
	run -0 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_stderr ''
	put dhl "$DHL1" delivered.json
	run -0 --separate-stderr track-poll --rejects "$BATS_TEST_TMPDIR/track.jsonl" </dev/null
	run -0 jq -r '[.id, .status] | @tsv' <<<"$output"
	assert_output "SHOP-1	delivered"
}

@test "example: ship-book orders.jsonl | track-poll > changes.jsonl" {
	put dhl "$DHL1" transit.json
	run -0 --separate-stderr sh -c 'cat "$1" | track-poll > "$2"' sh \
	    "$FIXTURES/dhl-order.jsonl" "$BATS_TEST_TMPDIR/changes.jsonl"
	run -0 jq -r .tracking.status "$BATS_TEST_TMPDIR/changes.jsonl"
	assert_output in_transit
}

# --- CDEK ------------------------------------------------------------------

@test "cdek: the current status is the one with the latest date_time" {
	put cdek 1106207236 on-the-way.json
	run -0 --separate-stderr track-poll --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/cdek-order.jsonl"
	assert_stderr ''
	run -0 jq -c '.tracking | {status, at, location, carrier_status,
	    events: [.events[] | [.at, .status]]}' <<<"$output"
	assert_output '{"status":"out_for_delivery","at":"2026-11-22T08:30:00+03:00","location":"Москва","carrier_status":{"code":"ISSUED_FOR_DELIVERY","text":"Выдан на доставку"},"events":[["2026-11-20T10:00:00+03:00","pre_transit"],["2026-11-21T18:00:00+03:00","in_transit"],["2026-11-22T09:00:00+07:00","in_transit"],["2026-11-22T08:30:00+03:00","out_for_delivery"]]}'
	# An unknown CDEK order is HTTP 400: a reject for that parcel only.
	run -0 jq -c '.errors[] | [.code, .field, .message]' "$BATS_TEST_TMPDIR/rej"
	assert_output '["unknown_tracking_number","shipment.parcels[1].tracking_number","Order with cdek_number 1106200000 is not found"]'
}

t_cdek_token() {
	use_backend "$1"
	put cdek 1106207236 on-the-way.json
	run -0 --separate-stderr track-poll --rejects /dev/null "$FIXTURES/cdek-order.jsonl"
	assert_stderr ''
	put cdek 1106207236 delivered.json
	run -0 --separate-stderr track-poll --rejects /dev/null \
	    "$FIXTURES/cdek-order.jsonl"
	run -0 jq -r .tracking.status <<<"$output"
	assert_output delivered
	run -0 grep -c 'oauth/token' "$DATA/requests.log"
	assert_output 1
	run -0 sql "SELECT service, token FROM tracking_tokens"
	assert_output 'cdek|tok-1'
}
@test "sqlite: cdek's token is fetched once and kept in the store" { t_cdek_token sqlite; }
@test "postgres: cdek's token is fetched once and kept in the store" { t_cdek_token postgres; }

@test "cdek: a kept token expires by the run's clock, --now" {
	put cdek 1106207236 on-the-way.json
	line='{"carrier":"cdek","tracking_number":"1106207236"}'
	run -0 --separate-stderr track-poll --now 2026-11-20T10:00:00Z <<<"$line"
	run -0 sql "SELECT token, expires_at FROM tracking_tokens"
	# expires_in 3600, less a minute's margin.
	assert_output "tok-1|$((1795168800 + 3600 - 60))"
	run -0 --separate-stderr track-poll --now 2026-11-20T10:58:00Z <<<"$line"
	run -0 grep -c 'oauth/token' "$DATA/requests.log"
	assert_output 1
	run -0 --separate-stderr track-poll --now 2026-11-20T10:59:00Z <<<"$line"
	run -0 grep -c 'oauth/token' "$DATA/requests.log"
	assert_output 2
	run -0 sql "SELECT token, expires_at FROM tracking_tokens"
	assert_output "tok-2|$((1795168800 + 59 * 60 + 3600 - 60))"
}

@test "cdek: a token refused with 401 is replaced once and the call made again" {
	put cdek 1106207236 on-the-way.json
	run -0 --separate-stderr track-poll </dev/null
	assert_stderr ''
	sql "INSERT INTO tracking_tokens VALUES ('cdek', 'expired', 9999999999)"
	run -0 --separate-stderr track-poll \
	    <<<'{"carrier":"cdek","tracking_number":"1106207236"}'
	run -0 jq -r .tracking.status <<<"$output"
	assert_output out_for_delivery
	run -0 awk '$2 == "cdek" { print $3, $4 }' "$DATA/requests.log"
	assert_output "GET /t/t$BATS_TEST_NUMBER/cdek/v2/orders?cdek_number=1106207236
POST /t/t$BATS_TEST_NUMBER/cdek/v2/oauth/token
GET /t/t$BATS_TEST_NUMBER/cdek/v2/orders?cdek_number=1106207236"
}

@test "cdek: client credentials it refuses exit 78" {
	put cdek 1106207236 on-the-way.json
	echo '{"client_id": "id", "client_secret": "other"}' >"$DATA/cdek/account.json"
	run -78 --separate-stderr track-poll \
	    <<<'{"carrier":"cdek","tracking_number":"1106207236"}'
	assert_output ''
	assert_stderr 'track-poll: CDEK refused [carrier "cdek"] client_id and client_secret: HTTP 401: invalid_client'
}

# --- Nova Poshta -----------------------------------------------------------

@test "novaposhta: a batch in one call, Kyiv time, the phone as 380 digits" {
	put novaposhta 20450000000001 at-branch.json
	put novaposhta 20450000000002 received.json
	run -0 --separate-stderr track-poll --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/novaposhta-orders.jsonl"
	assert_stderr ''
	run -0 jq -c '[.id, .status, .tracking.status, .tracking.at,
	    .tracking.location, .tracking.carrier_status.code]' <<<"$output"
	assert_line --index 0 '["UA-1","shipped","available_for_pickup","2026-07-15T14:20:05+03:00","Відділення №5 (до 30 кг): вул. Хрещатик, 22","7"]'
	assert_line --index 1 '["UA-2","delivered","delivered","2026-11-20T10:05:00+02:00","Відділення №1: вул. Городоцька, 1","9"]'
	assert_equal "$(requests novaposhta)" 1
	run -0 grep -o '"DocumentNumber": *"[0-9]*"[^}]*' "$DATA/requests.log"
	assert_output '"DocumentNumber":"20450000000001","Phone":"380501234567"
"DocumentNumber":"20450000000002","Phone":"380677654321"
"DocumentNumber":"20450000000003"'
	# StatusCode 3 inside success: true is an unknown number.
	run -0 jq -c '[.id, .errors[0].code, .errors[0].message]' "$BATS_TEST_TMPDIR/rej"
	assert_output '["UA-3","unknown_tracking_number","Nova Poshta: Номер не знайдено"]'
}

@test "novaposhta: a refused API key exits 78" {
	put novaposhta 20450000000001 at-branch.json
	echo '{"key": "np-key"}' >"$DATA/novaposhta/account.json"
	run -78 --separate-stderr track-poll \
	    <<<'{"carrier":"novaposhta","tracking_number":"20450000000001"}'
	assert_stderr 'track-poll: Nova Poshta refused [carrier "novaposhta"] key: API key expired'
	sed -i 's/^\[carrier "russianpost"\]/[carrier "novaposhta"]\nkey = np-key\n&/' "$ORDERKIT_CONFIG"
	run -0 --separate-stderr track-poll \
	    <<<'{"carrier":"novaposhta","tracking_number":"20450000000001"}'
	run -0 jq -r .tracking.status <<<"$output"
	assert_output available_for_pickup
}

# --- EasyPost --------------------------------------------------------------

@test "easypost: a tracker's details are its events; failure is exception" {
	put easypost EZ1000000001 out-for-delivery.json
	put easypost EZ4000000004 failure.json
	echo '{"key": "ep-key"}' >"$DATA/easypost/account.json"
	run -0 --separate-stderr track-poll --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/easypost-lines.jsonl"
	assert_stderr ''
	run -0 jq -c '[.order_id, .tracking.status, .tracking.at,
	    .tracking.location, .tracking.carrier_status.code,
	    .tracking.carrier_status.text, (.tracking.events | length)]' <<<"$output"
	assert_line --index 0 '["US-1","out_for_delivery","2026-11-21T08:05:00Z","CHARLESTON, SC, US","out_for_delivery","out_for_delivery",3]'
	assert_line --index 1 '["US-4","exception","2026-11-22T10:00:00Z","ATLANTA, GA, US","failure","lost",2]'
	run -0 jq -c '[.order_id, .errors[0].code, .errors[0].message]' "$BATS_TEST_TMPDIR/rej"
	assert_output '["US-9","unknown_tracking_number","EasyPost: Invalid tracking code TRACKER.TRACKING_CODE.INVALID"]'
}

# --- AfterShip -------------------------------------------------------------

@test "aftership: other carriers go through AfterShip, created when new" {
	put aftership 1Z999AA10123456784 ups.json
	put aftership RR123456789CN returned.json
	run -0 --separate-stderr track-poll "$FIXTURES/aftership-lines.jsonl"
	assert_stderr ''
	run -0 jq -c '[.order_id, .tracking.status, .tracking.at,
	    .tracking.carrier_status.code, [.tracking.events[].at]]' <<<"$output"
	assert_line --index 0 '["US-20","in_transit","2026-11-20T12:30:00-05:00","InTransit_002",["2026-11-19T23:10:00Z","2026-11-20T12:30:00-05:00"]]'
	assert_line --index 1 '["CN-5","return_to_sender","2026-11-18T15:40:00+08:00","Exception_011",["2026-11-18T15:40:00+08:00"]]'
	run -0 awk '$2 == "aftership" { print $3, $5 }' "$DATA/requests.log"
	assert_output 'GET 
POST {"tracking_number":"1Z999AA10123456784","slug":"ups"}
POST {"tracking_number":"RR123456789CN","slug":"china-post"}'
	# Known to AfterShip now: one GET, nothing new.
	run -0 --separate-stderr track-poll "$FIXTURES/aftership-lines.jsonl"
	assert_output ''
	assert_equal "$(requests aftership)" 4
}

@test "aftership: via = aftership tracks a carrier through AfterShip" {
	put aftership "$DHL1" dhl.json
	sed -i 's/^\[carrier "dhl"\]/&\nvia = aftership/' "$ORDERKIT_CONFIG"
	run -0 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	run -0 jq -c '[.status, .tracking.status]' <<<"$output"
	assert_output '["delivered","delivered"]'
	assert_equal "$(requests dhl)" 0
	run -0 grep -c '"slug":"dhl"' "$DATA/requests.log"
	assert_output 1
}

# --- Russian Post ----------------------------------------------------------

@test "russianpost: getOperationHistory's records are the events, type.attr the code" {
	put russianpost RA123456789RU at-office.xml
	echo '{"login": "rp-login", "password": "rp-password"}' >"$DATA/russianpost/account.json"
	run -0 --separate-stderr track-poll --rejects "$BATS_TEST_TMPDIR/rej" \
	    "$FIXTURES/russianpost-lines.jsonl"
	assert_stderr ''
	run -0 jq -c '.tracking | [.status, .at, .location, .carrier_status,
	    .message, [.events[] | .carrier_status.code + " " + .status]]' <<<"$output"
	assert_output '["available_for_pickup","2026-11-20T09:30:00+03:00","Москва Почтамт, 101000",{"code":"8.2","text":"Прибыло в место вручения"},"Обработка: Прибыло в место вручения",["1.1 in_transit","8.0 in_transit","8.2 available_for_pickup"]]'
	# A SOAP fault (HTTP 500) for a barcode it does not know: a reject,
	# not a carrier that is down.
	run -0 jq -c '[.order_id, .errors[0].code, .errors[0].message]' "$BATS_TEST_TMPDIR/rej"
	assert_output '["RU-2","unknown_tracking_number","Russian Post: Отправление не найдено"]'
	assert_equal "$(requests russianpost)" 2
}

@test "russianpost: a refused login exits 78" {
	put russianpost RA123456789RU at-office.xml
	echo '{"login": "rp-login", "password": "other"}' >"$DATA/russianpost/account.json"
	run -78 --separate-stderr track-poll \
	    <<<'{"carrier":"russianpost","tracking_number":"RA123456789RU"}'
	assert_output ''
	assert_stderr 'track-poll: Russian Post refused [carrier "russianpost"] login and password: Authorization failed'
}

# --- webhooks --------------------------------------------------------------

# hook NAME FIXTURE [STATUS]: track-poll --webhook NAME with the body of
# webhooks/FIXTURE on standard input, as a CGI program gets it; the
# caller sets the signature's variable.
hook() {
	local body=$FIXTURES/webhooks/$2
	CONTENT_LENGTH=$(wc -c <"$body") run "-${3:-0}" --separate-stderr \
	    track-poll --webhook "$1" <"$body"
}

# hex_hmac SECRET FILE, b64_hmac SECRET FILE: HMAC-SHA256 of FILE.
hex_hmac() {
	openssl dgst -sha256 -hmac "$1" -hex <"$2" | sed 's/^.* //'
}
b64_hmac() {
	openssl dgst -sha256 -hmac "$1" -binary <"$2" | base64
}

@test "webhook easypost: a signed tracker event writes the change" {
	put easypost EZ1000000001 out-for-delivery.json
	run -0 --separate-stderr track-poll "$FIXTURES/easypost-lines.jsonl"
	run -0 jq -r '[.order_id, .errors[].code] | @tsv' <<<"$stderr"
	assert_output $'US-4\tunknown_tracking_number\nUS-9\tunknown_tracking_number'
	export HTTP_X_HMAC_SIGNATURE="hmac-sha256-hex=$(hex_hmac ep-hook \
	    "$FIXTURES/webhooks/easypost-delivered.json")"
	hook easypost easypost-delivered.json
	assert_stderr ''
	run -0 jq -c '[.order_id, .tracking.status, .tracking.previous_status,
	    [.tracking.events[].message]]' <<<"$output"
	assert_output '["US-1","delivered","out_for_delivery",["Delivered, In/At Mailbox"]]'
	# The poll that follows says the same: nothing more.
	run -0 --separate-stderr track-poll </dev/null
	assert_output ''
}

@test "webhook easypost: a bad or missing signature exits 77 and changes nothing" {
	put easypost EZ1000000001 out-for-delivery.json
	run -0 --separate-stderr track-poll "$FIXTURES/easypost-lines.jsonl"
	run -0 jq -r '[.order_id, .errors[].code] | @tsv' <<<"$stderr"
	assert_output $'US-4\tunknown_tracking_number\nUS-9\tunknown_tracking_number'
	export HTTP_X_HMAC_SIGNATURE="hmac-sha256-hex=$(hex_hmac wrong \
	    "$FIXTURES/webhooks/easypost-delivered.json")"
	hook easypost easypost-delivered.json 77
	assert_output ''
	assert_stderr 'track-poll: easypost webhook: X-Hmac-Signature does not verify with [carrier "easypost"] webhook_secret'
	unset HTTP_X_HMAC_SIGNATURE
	hook easypost easypost-delivered.json 77
	assert_stderr 'track-poll: easypost webhook: X-Hmac-Signature missing; it must be signed with [carrier "easypost"] webhook_secret'
	run -0 sql "SELECT status FROM tracking_parcels WHERE tracking_number = 'EZ1000000001'"
	assert_output out_for_delivery
}

@test "webhook easypost: the webhook_secret is normalised to NFKD" {
	# "ｓｅｃｒｅｔ" in full-width letters is "secret" in NFKD.
	sed -i 's/^webhook_secret = ep-hook/webhook_secret = ｓｅｃｒｅｔ/' \
	    "$ORDERKIT_CONFIG"
	export HTTP_X_HMAC_SIGNATURE="hmac-sha256-hex=$(hex_hmac secret \
	    "$FIXTURES/webhooks/easypost-delivered.json")"
	hook easypost easypost-delivered.json
	run -0 jq -r .tracking.status <<<"$output"
	assert_output delivered
}

@test "webhook easypost: an event about something else changes nothing" {
	export HTTP_X_HMAC_SIGNATURE="hmac-sha256-hex=$(hex_hmac ep-hook \
	    "$FIXTURES/webhooks/easypost-batch.json")"
	hook easypost easypost-batch.json
	assert_output ''
	assert_stderr ''
}

@test "webhook aftership: signed with base64 HMAC-SHA256, else 77" {
	local f=$FIXTURES/webhooks/aftership-update.json
	put aftership 1Z999AA10123456784 ups.json
	run -0 --separate-stderr track-poll <<<'{"order_id":"US-20","carrier":"UPS","tracking_number":"1Z999AA10123456784"}'
	assert_stderr ''
	HTTP_AFTERSHIP_HMAC_SHA256=$(b64_hmac wrong "$f") \
	    hook aftership aftership-update.json 77
	assert_stderr 'track-poll: aftership webhook: aftership-hmac-sha256 does not verify with [carrier "aftership"] webhook_secret'
	HTTP_AFTERSHIP_HMAC_SHA256=$(b64_hmac as-hook "$f") \
	    hook aftership aftership-update.json
	run -0 jq -c '[.order_id, .tracking.status, .tracking.previous_status]' <<<"$output"
	assert_output '["US-20","out_for_delivery","in_transit"]'
}

@test "webhook cdek: the token in the query string, else 77" {
	QUERY_STRING='token=guess' hook cdek cdek-new.json 77
	assert_output ''
	assert_stderr 'track-poll: cdek webhook: the token in the query string does not match [carrier "cdek"] webhook_token'
	hook cdek cdek-new.json 77
	assert_stderr 'track-poll: cdek webhook: the token in the query string is missing; it must be [carrier "cdek"] webhook_token'
	run -0 sql "SELECT count(*) FROM tracking_parcels"
	assert_output 0
}

t_hook_and_poll() {
	use_backend "$1"
	export QUERY_STRING='id=7&token=cdek-hook'
	put cdek 1106207236 on-the-way.json
	run -0 --separate-stderr track-poll --rejects /dev/null "$FIXTURES/cdek-order.jsonl"
	assert_stderr ''
	# The event the poll saw, pushed again: written once.
	hook cdek cdek-same.json
	assert_output ''
	hook cdek cdek-delivered.json
	run -0 jq -c '[.id, .status, .tracking.status, .tracking.at]' <<<"$output"
	assert_output '["SHOP-10","shipped","delivered","2026-11-22T14:05:00+03:00"]'
	# The poll that follows sees the same event: nothing.
	put cdek 1106207236 delivered.json
	run -0 --separate-stderr track-poll --rejects /dev/null \
	    "$FIXTURES/cdek-order.jsonl"
	assert_output ''
	# A late webhook with an older event does not go back.
	hook cdek cdek-same.json
	assert_output ''
	run -0 sql "SELECT status FROM tracking_parcels WHERE tracking_number = '1106207236'"
	assert_output delivered
}
@test "sqlite: a webhook and a poll that report the same event write it once" { t_hook_and_poll sqlite; }
@test "postgres: a webhook and a poll that report the same event write it once" { t_hook_and_poll postgres; }

@test "webhook: a parcel the store does not know is written as a plain line and remembered" {
	export QUERY_STRING=token=cdek-hook
	hook cdek cdek-new.json
	assert_stderr ''
	run -0 jq -c '{order_id, carrier, tracking_number, s: .tracking.status}' <<<"$output"
	assert_output '{"order_id":"SHOP-77","carrier":"cdek","tracking_number":"1106300001","s":"in_transit"}'
	run -0 sql "SELECT carrier, tracking_number, record_key, status FROM tracking_parcels"
	assert_output 'cdek|1106300001|SHOP-77|in_transit'
}

@test "webhook: an event that is not about a parcel changes nothing; a bad body is a reject" {
	export QUERY_STRING=token=cdek-hook
	hook cdek cdek-print-form.json
	assert_output ''
	assert_stderr ''
	printf 'not json' >"$BATS_TEST_TMPDIR/body"
	run -0 --separate-stderr track-poll --webhook cdek <"$BATS_TEST_TMPDIR/body"
	assert_output ''
	run -0 jq -c '[.raw, .errors[0].code]' <<<"$stderr"
	assert_output '["not json","bad_webhook"]'
}

@test "--webhook takes easypost, aftership or cdek" {
	run -64 --separate-stderr track-poll --webhook dhl </dev/null
	assert_stderr --partial "--webhook takes easypost, aftership or cdek, not 'dhl'"
}

@test "example: a CGI script takes EasyPost's webhooks" {
	local f=$FIXTURES/webhooks/easypost-delivered.json
	sed -n '/^#!\/bin\/sh$/,/^exec track-poll/p' \
	    "$BATS_TEST_DIRNAME/../man/track-poll.1" |
	    sed "s|/var/spool/shop|$BATS_TEST_TMPDIR|" >"$BATS_TEST_TMPDIR/hook.cgi"
	chmod +x "$BATS_TEST_TMPDIR/hook.cgi"
	export HTTP_X_HMAC_SIGNATURE="hmac-sha256-hex=$(hex_hmac ep-hook "$f")"
	CONTENT_LENGTH=$(wc -c <"$f") run -0 --separate-stderr \
	    "$BATS_TEST_TMPDIR/hook.cgi" <"$f"
	assert_output 'Status: 200'
	run -0 jq -r '.tracking_number + " " + .tracking.status' \
	    "$BATS_TEST_TMPDIR/changes.jsonl"
	assert_output 'EZ1000000001 delivered'
}

# --- problems for the staff ------------------------------------------------

t_stuck() {
	use_backend "$1"
	put dhl "$DHL1" transit.json
	run -0 --separate-stderr track-poll "$FIXTURES/dhl-order.jsonl"
	assert_stderr ''
	run -0 --separate-stderr track-poll --stuck 7 --now 2026-11-25T12:00:00Z </dev/null
	assert_output ''
	run -0 --separate-stderr track-poll --stuck 3 --now 2026-11-25T12:00:00Z </dev/null
	assert_stderr ''
	assert_output '{"type":"problem","code":"stuck","order_id":"SHOP-1","carrier":"dhl","tracking_number":"00340434161094042557","status":"in_transit","since":"2026-11-21T09:10:00+01:00"}'
	# Once per problem.
	run -0 --separate-stderr track-poll --stuck 3 --now 2026-11-26T12:00:00Z </dev/null
	assert_output ''
	# A --stuck run polls first: a new event, and it is no longer stuck;
	# stuck again later, it is reported again.
	put dhl "$DHL1" transit-later.json
	run -0 --separate-stderr track-poll --stuck 3 --now 2026-11-27T12:00:00Z </dev/null
	assert_output ''
	run -0 --separate-stderr track-poll --stuck 3 --now 2026-11-30T12:00:00Z </dev/null
	run -0 jq -c '[.code, .since]' <<<"$output"
	assert_output '["stuck","2026-11-26T10:00:00+01:00"]'
}
@test "sqlite: --stuck reports a parcel without news for DAYS, once per problem" { t_stuck sqlite; }
@test "postgres: --stuck reports a parcel without news for DAYS, once per problem" { t_stuck postgres; }

@test "--stuck reports two failed delivery attempts" {
	put cdek 1106207236 two-attempts.json
	run -0 --separate-stderr track-poll --stuck 30 --now 2026-11-24T12:00:00Z \
	    --rejects /dev/null "$FIXTURES/cdek-order.jsonl"
	assert_stderr ''
	run -0 jq -c '[.type // .id, .code // .tracking.status]' <<<"$output"
	assert_line --index 0 '["SHOP-10","failed_attempt"]'
	assert_line --index 1 '["problem","failed_attempts"]'
	run -0 --separate-stderr track-poll --stuck 30 --now 2026-11-24T13:00:00Z </dev/null
	assert_output ''
}

@test "example: track-poll --stuck 5 | jq -c 'select(.type == \"problem\")'" {
	put dhl "$DHL1" transit.json
	put cdek 1106207236 on-the-way.json
	run -0 --separate-stderr track-poll --rejects /dev/null --now 2026-11-21T12:00:00Z \
	    "$FIXTURES/dhl-order.jsonl" "$FIXTURES/cdek-order.jsonl"
	assert_stderr ''
	put dhl "$DHL1" delivered.json
	run -0 --separate-stderr bash -c 'set -o pipefail
	    track-poll --stuck 5 --now 2026-11-28T12:00:00Z --rejects /dev/null | jq -c '"'"'select(.type == "problem")'"'"''
	run -0 jq -r '[.code, .tracking_number] | @tsv' <<<"$output"
	assert_output "stuck	1106200000
stuck	1106207236"
}
