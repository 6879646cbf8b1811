# tests/test_helper/carriers.bash: the local carrier server
# (tests/carrier-server, under Debian's python3) for track-poll's tests:
# one plain and one TLS server per file, a data directory and a config per
# test.
# shellcheck disable=SC2154 # BATS_* come from bats

# carriers_start: in setup_file.
carriers_start() {
	local dir=$BATS_FILE_TMPDIR/carriers _

	CARRIER_ROOT=$dir/root
	mkdir -p "$CARRIER_ROOT"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" \
	    -out "$dir/cert.pem" -days 3650 -subj "/CN=localhost" \
	    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	    >/dev/null 2>&1
	/usr/bin/python3 "$BATS_TEST_DIRNAME/carrier-server" \
	    --root "$CARRIER_ROOT" --port-file "$dir/port" \
	    >"$dir/server.log" 2>&1 3>&- &
	echo $! >"$dir/pid"
	/usr/bin/python3 "$BATS_TEST_DIRNAME/carrier-server" \
	    --root "$CARRIER_ROOT" --port-file "$dir/tls-port" \
	    --cert "$dir/cert.pem" --key "$dir/key.pem" \
	    >"$dir/tls-server.log" 2>&1 3>&- &
	echo $! >"$dir/tls-pid"
	for _ in $(seq 100); do
		[[ -s $dir/port && -s $dir/tls-port ]] && break
		sleep 0.05
	done
	CARRIER_PORT=$(cat "$dir/port")
	CARRIER_TLS_PORT=$(cat "$dir/tls-port")
	CARRIER_CA=$dir/cert.pem
	export CARRIER_ROOT CARRIER_PORT CARRIER_TLS_PORT CARRIER_CA
}

# carriers_stop: in teardown_file.
carriers_stop() {
	local dir=$BATS_FILE_TMPDIR/carriers

	kill "$(cat "$dir/pid")" "$(cat "$dir/tls-pid")" 2>/dev/null || true
}

# carriers_setup [BASE_URL]: in setup: DATA is this test's directory on the
# server, ORDERKIT_CONFIG a config (mode 600) pointing every carrier at it,
# with short timeouts and back-offs.
carriers_setup() {
	local base=${1:-http://127.0.0.1:$CARRIER_PORT} c

	DATA=$CARRIER_ROOT/t$BATS_TEST_NUMBER
	for c in dhl cdek novaposhta easypost aftership russianpost; do
		mkdir -p "$DATA/$c"
	done
	ORDERKIT_CONFIG=$BATS_TEST_TMPDIR/orderkit.conf
	write_config "$base/t/t$BATS_TEST_NUMBER" >"$ORDERKIT_CONFIG"
	chmod 600 "$ORDERKIT_CONFIG"
	export DATA ORDERKIT_CONFIG
}

# write_config BASE: the test config on standard output.
write_config() {
	cat <<-CONF
	[http]
	timeout = 2
	retries = 2
	backoff_max = 0.05
	[carrier "dhl"]
	url = $1/dhl
	key = dhl-key
	[carrier "cdek"]
	url = $1/cdek/v2
	client_id = id
	client_secret = secret
	webhook_token = cdek-hook
	[carrier "novaposhta"]
	url = $1/novaposhta/v2.0/json/
	[carrier "easypost"]
	url = $1/easypost/v2
	key = ep-key
	webhook_secret = ep-hook
	[carrier "aftership"]
	url = $1/aftership/tracking/2025-01
	key = as-key
	webhook_secret = as-hook
	[carrier "russianpost"]
	url = $1/russianpost/rtm34
	login = rp-login
	password = rp-password
	CONF
}

# put CARRIER NUMBER FIXTURE: what CARRIER knows of NUMBER, from
# tests/fixtures/track-poll/CARRIER/FIXTURE.
put() {
	local ext=json

	[[ $1 == russianpost ]] && ext=xml
	cp "$FIXTURES/$1/$3" "$DATA/$1/$2.$ext"
}

# faults JSON: failures the server injects for this test.
faults() {
	printf '%s\n' "$1" >"$DATA/faults.json"
}

# requests CARRIER: how many requests the server had for CARRIER.
requests() {
	if [[ -f $DATA/requests.log ]]; then
		awk -v c="$1" '$2 == c' "$DATA/requests.log" | wc -l | tr -d ' '
	else
		echo 0
	fi
}
