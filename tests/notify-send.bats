bats_require_minimum_version 1.5.0

# One notify-server (tests/notify-server: SMTP plain, STARTTLS, implicit
# TLS, and HTTP for Twilio, Telegram, Slack and the webhook) per file.
setup_file() {
	local dir=$BATS_FILE_TMPDIR/notify _

	load test_helper/store
	pg_start
	mkdir -p "$dir/root"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" \
	    -out "$dir/cert.pem" -days 3650 -subj "/CN=localhost" \
	    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	    >/dev/null 2>&1
	/usr/bin/python3 -W ignore "$BATS_TEST_DIRNAME/notify-server" \
	    --root "$dir/root" --port-file "$dir/ports" \
	    --cert "$dir/cert.pem" --key "$dir/key.pem" \
	    >"$dir/server.log" 2>&1 3>&- &
	echo $! >"$dir/pid"
	for _ in $(seq 200); do
		[[ -s $dir/ports ]] && break
		sleep 0.05
	done
	NOTIFY_ROOT=$dir/root
	NOTIFY_CA=$dir/cert.pem
	NOTIFY_PORTS=$(cat "$dir/ports")
	export NOTIFY_ROOT NOTIFY_CA NOTIFY_PORTS
}

teardown_file() {
	load test_helper/store
	kill "$(cat "$BATS_FILE_TMPDIR/notify/pid")" 2>/dev/null || true
	pg_stop
}

setup() {
	load test_helper/common
	load test_helper/store
	use_backend sqlite
	DATA=$NOTIFY_ROOT/t$BATS_TEST_NUMBER
	mkdir -p "$DATA"
	echo "$DATA" >"$NOTIFY_ROOT/current"
	ORDERKIT_CONFIG=$BATS_TEST_TMPDIR/orderkit.conf
	notify_config starttls >"$ORDERKIT_CONFIG"
	chmod 600 "$ORDERKIT_CONFIG"
	export DATA ORDERKIT_CONFIG
}

NOW=2026-11-20T12:00:00+03:00

port() {
	jq -r ".$1" <<<"$NOTIFY_PORTS"
}

# notify_config starttls|none|implicit: every service at the test's server.
notify_config() {
	local http=http://127.0.0.1:$(port http)/t/t$BATS_TEST_NUMBER

	cat <<-CONF
	[shop]
	name = Ромашка
	lang = ru
	tz = +03:00
	[http]
	timeout = 2
	retries = 2
	backoff_max = 0.05
	[carrier "cdek"]
	tracking_url = https://www.cdek.ru/ru/tracking?order_id={number}
	[notify]
	channels = email
	staff_channels = slack
	staff_email = staff@example.ru
	CONF
	case $1 in
	starttls)
		printf '[smtp]\nurl = smtp://127.0.0.1:%s\n' "$(port starttls)"
		printf 'user = user\npassword = secret\n' ;;
	none)
		printf '[smtp]\nurl = smtp://127.0.0.1:%s\n' "$(port smtp)"
		printf 'tls = none\n' ;;
	implicit)
		printf '[smtp]\nurl = smtps://127.0.0.1:%s\n' "$(port smtps)"
		printf 'user = user\npassword = secret\n' ;;
	esac
	cat <<-CONF
	from = shop@example.ru
	ca_file = $NOTIFY_CA
	[twilio]
	url = $http/twilio/2010-04-01
	account_sid = AC1
	auth_token = tw-token
	from = +15005550006
	[telegram]
	url = $http/telegram
	token = TG:1
	staff_chat_id = -100200300
	[slack]
	webhook_url = $http/slack/hook
	[webhook]
	url = $http/webhook/crm
	secret = whsec
	CONF
}

# notes: each output record's id and notifications' event, channel,
# recipient and status, compact.
notes() {
	jq -c '[.id // .order_id, [.notifications[] |
	    [.event, .channel, .recipient, .status]]]'
}

# delivered: how many messages the SMTP server took in this test.
delivered() {
	count_lines "$DATA/smtp.jsonl"
}

# requests SERVICE: how many HTTP requests SERVICE had in this test.
requests() {
	if [[ -f $DATA/http.jsonl ]]; then
		jq -r .service "$DATA/http.jsonl" | grep -c -x "$1" || :
	else
		echo 0
	fi
}

# --- the basics ------------------------------------------------------------

@test "--help prints the usage on standard output" {
	run -0 --separate-stderr notify-send --help
	assert_line --index 0 'usage: notify-send [--db PATH|URL] [--config FILE] [--templates DIR]'
	assert_stderr ''
}

@test "a bad option, channel, event or time is a usage error" {
	run -64 --separate-stderr notify-send --bogus
	assert_output ''
	assert_stderr --partial 'usage: notify-send'
	run -64 --separate-stderr notify-send --channel email,pigeon
	assert_stderr --partial "notify-send: --channel 'pigeon': no such channel"
	run -64 --separate-stderr notify-send --event party
	assert_stderr --partial "notify-send: --event 'party': no such event"
	run -64 --separate-stderr notify-send --quiet 22-8
	assert_stderr --partial "notify-send: --quiet '22-8' is not HH:MM-HH:MM"
	run -64 --separate-stderr notify-send --lang de
	assert_stderr --partial "notify-send: --lang 'de': not en, ru or uk"
}

@test "an unreadable operand exits 66 after the others" {
	run -66 --separate-stderr notify-send --now "$NOW" \
	    "$BATS_TEST_TMPDIR/missing.jsonl" "$FIXTURES/paid.jsonl"
	assert_equal "$(notes <<<"$output")" \
	    '["SHOP-2",[["payment_received","email","j***@example.com","sent"]]]'
	assert_stderr --partial "cannot open '$BATS_TEST_TMPDIR/missing.jsonl'"
}

@test "a write error on standard output exits 74" {
	run -74 --separate-stderr sh -c 'notify-send --dry-run "$1" "$2" >/dev/full' \
	    sh "$BATS_TEST_TMPDIR/out" "$FIXTURES/paid.jsonl"
	assert_output ''
	assert_stderr --partial "cannot write '<stdout>'"
}

@test "a config with a Slack webhook readable by others is refused" {
	chmod 644 "$ORDERKIT_CONFIG"
	printf '[slack]\nwebhook_url = https://hooks.slack.com/x\n' \
	    >"$ORDERKIT_CONFIG"
	run -78 --separate-stderr notify-send --dry-run "$BATS_TEST_TMPDIR/o" \
	    "$FIXTURES/paid.jsonl"
	assert_output ''
	assert_stderr --partial 'holds secrets but can be read by'
}

@test "a Slack webhook's URL and a bot's token are never shown" {
	printf '[slack]\nwebhook_url = htp://hooks.example/T0/B0/XSECRETX\n' \
	    >>"$ORDERKIT_CONFIG"
	printf '[telegram]\nurl = htp://api.example\ntoken = 1:TSECRETT\n' \
	    >>"$ORDERKIT_CONFIG"
	run -78 --separate-stderr notify-send --now "$NOW" \
	    --channel slack,telegram "$FIXTURES/problems.jsonl"
	assert_stderr --partial "notify-send: slack: slack's url or ca_file cannot be used"
	refute_output --partial SECRET
	[[ $stderr != *SECRET* ]] || fail "a secret on standard error: $stderr"
}

@test "broken inputs: no crash, every line in one of the two streams" {
	load test_helper/broken
	broken_lines notify-send --dry-run "$BATS_TEST_TMPDIR/o"
}

# --- templates -------------------------------------------------------------

@test "example: --dry-run renders the messages into a folder and sends nothing" {
	rm "$ORDERKIT_DB"	# setup's store: --dry-run must make none
	run -0 --separate-stderr notify-send --now "$NOW" \
	    --dry-run "$BATS_TEST_TMPDIR/out" "$FIXTURES/shipped.jsonl"
	assert_stderr ''
	assert_equal "$(notes <<<"$output")" \
	    '["SHOP-1",[["shipped","email","a***@example.ru","skipped"]]]'
	assert_equal "$(jq -r '.notifications[0].reason' <<<"$output")" dry_run
	f=$BATS_TEST_TMPDIR/out/SHOP-1_shipped_email_anna@example.ru.eml
	assert_equal "$(jq -r '.notifications[0].file' <<<"$output")" "$f"
	run -0 grep -c $'\r$' "$f"
	assert_equal "$(wc -l <"$f")" "$output"
	run -0 grep -F 'Subject: =?UTF-8?B?' "$f"
	assert_equal "$(delivered)" 0
	refute [ -e "$ORDERKIT_DB" ]
}

@test "every event renders in every language and channel, with no field left out" {
	local ev lang ch files
	local TEMPLATES=$BATS_TEST_DIRNAME/../templates

	for lang in en ru uk; do
		for ev in confirmed payment_received backorder shipped \
		    out_for_delivery ready_for_pickup delivered failed_attempt \
		    return_opened refund_sent; do
			run -0 --separate-stderr notify-send --now "$NOW" \
			    --event "$ev" --lang "$lang" \
			    --channel email,sms,telegram \
			    --dry-run "$BATS_TEST_TMPDIR/$lang" \
			    "$FIXTURES/full.jsonl"
			assert_stderr ''
			assert_equal "$(jq -c '[.notifications[].reason]' \
			    <<<"$output")" '["dry_run","dry_run","dry_run"]'
		done
		for ev in unpaid underpaid stuck reservation_expired \
		    booking_in_doubt notification_failed \
		    notification_in_doubt rejected; do
			run -0 --separate-stderr notify-send --now "$NOW" \
			    --event "$ev" --staff --lang "$lang" \
			    --channel slack,email,telegram \
			    --dry-run "$BATS_TEST_TMPDIR/$lang" \
			    "$FIXTURES/full.jsonl"
			assert_stderr ''
			assert_equal "$(jq -c '[.notifications[].reason]' \
			    <<<"$output")" '["dry_run","dry_run","dry_run"]'
		done
	done
	# Every file is there: none is English standing in for another.
	for lang in en ru uk; do
		for ev in confirmed payment_received backorder shipped \
		    out_for_delivery ready_for_pickup delivered failed_attempt \
		    return_opened refund_sent; do
			for ch in email sms telegram; do
				assert [ -f "$TEMPLATES/$ev.$ch.$lang" ]
			done
		done
		for ev in unpaid underpaid stuck reservation_expired \
		    booking_in_doubt notification_failed \
		    notification_in_doubt rejected; do
			for ch in slack email telegram sms; do
				assert [ -f "$TEMPLATES/$ev.$ch.$lang" ]
			done
		done
	done
	files=$(find "$BATS_TEST_TMPDIR"/en "$BATS_TEST_TMPDIR"/ru \
	    "$BATS_TEST_TMPDIR"/uk -type f | wc -l)
	# 10 customer events x 3 channels + 8 staff events x 3, per language.
	assert_equal "$files" $((3 * (30 + 24)))
	run -1 grep -rl -e '{{' -e '}}' "$BATS_TEST_TMPDIR"/en \
	    "$BATS_TEST_TMPDIR"/ru "$BATS_TEST_TMPDIR"/uk
	assert_output ''
	# Each language's own words, and its money.
	nbsp=$'\xc2\xa0'
	run -0 cat "$BATS_TEST_TMPDIR/uk/SHOP-9_confirmed_sms_+380441234567.txt"
	assert_output "Ромашка: Ми прийняли ваше замовлення SHOP-9 на суму 2${nbsp}899,00${nbsp}₽ і готуємо його до відправлення."
	run -0 cat "$BATS_TEST_TMPDIR/en/SHOP-9_confirmed_sms_+380441234567.txt"
	assert_output 'Ромашка: We have your order SHOP-9 for 2,899.00 RUB and are getting it ready.'
}

@test "fields are escaped for the channel: HTML in Telegram, none in SMS" {
	run -0 --separate-stderr notify-send --now "$NOW" --event shipped \
	    --lang en --channel telegram,sms --dry-run "$BATS_TEST_TMPDIR/o" \
	    "$FIXTURES/full.jsonl"
	run -0 cat "$BATS_TEST_TMPDIR/o/SHOP-9_shipped_telegram_-1001234567890.txt"
	assert_line --index 0 '<b>Order SHOP-9 is on its way</b>'
	assert_line --index 1 'Your order <b>SHOP-9</b> has been handed to novaposhta.'
	assert_line --index 3 'Follow it: https://novaposhta.ua/tracking/?cargo_number=20450000000000&amp;x=1'
	run -0 cat "$BATS_TEST_TMPDIR/o/SHOP-9_shipped_sms_+380441234567.txt"
	assert_output --partial 'Follow it: https://novaposhta.ua/tracking/?cargo_number=20450000000000&x=1'
}

@test "a field the template needs and the order lacks is a reject naming it" {
	run -0 --separate-stderr notify-send --now "$NOW" --dry-run \
	    "$BATS_TEST_TMPDIR/o" --rejects "$BATS_TEST_TMPDIR/rej.jsonl" \
	    <<<'{"id":"SHOP-5","status":"shipped","customer":{"name":"Ann","email":"ann@example.com"}}'
	assert_output ''
	assert_stderr ''
	run -0 jq -c '[.id, .errors]' "$BATS_TEST_TMPDIR/rej.jsonl"
	assert_output '["SHOP-5",[{"code":"missing_field","field":"tracking.carrier","message":"the email template of shipped cannot be filled: no tracking.carrier"}]]'
	refute [ -e "$BATS_TEST_TMPDIR/o/SHOP-5_shipped_email_ann@example.com.eml" ]
}

@test "a recipient that could reach into the headers is skipped, not sent" {
	run -0 --separate-stderr notify-send --now "$NOW" \
	    <<<'{"id":"SHOP-10","status":"paid","currency":"EUR","customer":{"name":"X","email":"x@example.com\r\nBcc: all@example.com"},"totals":{"total":1}}'
	assert_equal "$(jq -c '.notifications[0] | [.status, .reason]' <<<"$output")" \
	    '["skipped","bad_recipient"]'
	assert_equal "$(delivered)" 0
}

@test "a --templates directory that is not there is 66" {
	run -66 --separate-stderr notify-send --templates "$BATS_TEST_TMPDIR/no" \
	    --dry-run "$BATS_TEST_TMPDIR/o" "$FIXTURES/paid.jsonl"
	assert_output ''
	assert_stderr "notify-send: cannot open '$BATS_TEST_TMPDIR/no': No such file or directory"
}

@test "--templates overrides the shipped templates file by file" {
	mkdir "$BATS_TEST_TMPDIR/t"
	printf 'Subject: {{order.id}} it is\n\nMine.\n' \
	    >"$BATS_TEST_TMPDIR/t/shipped.email.ru"
	run -0 --separate-stderr notify-send --now "$NOW" --templates \
	    "$BATS_TEST_TMPDIR/t" --dry-run "$BATS_TEST_TMPDIR/o" \
	    "$FIXTURES/shipped.jsonl" "$FIXTURES/paid.jsonl"
	run -0 grep -c -e '^Subject: SHOP-1 it is' -e '^Mine\.' \
	    "$BATS_TEST_TMPDIR/o/SHOP-1_shipped_email_anna@example.ru.eml"
	assert_output 2
	run -0 grep -c '^Subject: Payment for order SHOP-2 received' \
	    "$BATS_TEST_TMPDIR/o/SHOP-2_payment_received_email_john@example.com.eml"
}

# --- email -----------------------------------------------------------------

@test "a message reaches the SMTP server byte by byte as rendered: CRLF, dot lines, encoding" {
	notify_config none >"$ORDERKIT_CONFIG"
	run -0 --separate-stderr notify-send --now "$NOW" \
	    --templates "$FIXTURES/templates" "$FIXTURES/paid.jsonl"
	assert_stderr ''
	assert_equal "$(notes <<<"$output")" \
	    '["SHOP-2",[["payment_received","email","j***@example.com","sent"]]]'
	assert_equal "$(jq -r '.notifications[0].message_id' <<<"$output")" \
	    '<6b8e9ba807b5711865c3b322688a87f3@example.ru>'
	cmp "$FIXTURES/paid.eml" "$DATA/1.eml"
	run -0 jq -c '[.from, .to, .tls]' "$DATA/smtp.jsonl"
	assert_output '["shop@example.ru",["john@example.com"],false]'
}

@test "smtp:// uses STARTTLS and AUTH, one connection for every message" {
	run -0 --separate-stderr notify-send --now "$NOW" \
	    "$FIXTURES/paid.jsonl" "$FIXTURES/shipped.jsonl"
	assert_stderr ''
	run -0 jq -c '[.to[0], .tls, .auth]' "$DATA/smtp.jsonl"
	assert_line --index 0 '["john@example.com",true,true]'
	assert_line --index 1 '["anna@example.ru",true,true]'
	assert_equal "$(jq -r .peer "$DATA/smtp.jsonl" | sort -u | wc -l)" 1
	run -0 grep -c '^Subject: =?UTF-8?B?0JfQsNC60LDQtyBTSE9QLTEg0L7RgtC/0YDQsNCy0LvQtdC9?=' \
	    "$DATA/2.eml"
}

@test "smtps:// sends over implicit TLS" {
	notify_config implicit >"$ORDERKIT_CONFIG"
	run -0 --separate-stderr notify-send --now "$NOW" "$FIXTURES/paid.jsonl"
	assert_stderr ''
	run -0 jq -c '[.to[0], .tls, .auth]' "$DATA/smtp.jsonl"
	assert_output '["john@example.com",true,true]'
}

@test "STARTTLS is never dropped silently: a server without it is 69 and nothing is sent" {
	notify_config starttls | sed "s/:$(port starttls)\$/:$(port smtp)/" \
	    >"$ORDERKIT_CONFIG"
	run -69 --separate-stderr notify-send --now "$NOW" "$FIXTURES/paid.jsonl"
	assert_equal "$(notes <<<"$output")" \
	    '["SHOP-2",[["payment_received","email","j***@example.com","queued"]]]'
	assert_stderr --partial 'does not offer STARTTLS, which [smtp] tls = starttls requires'
	assert_equal "$(delivered)" 0
}

@test "a certificate that does not verify is 69, and sends nothing" {
	notify_config starttls | grep -v ca_file >"$ORDERKIT_CONFIG"
	run -69 --separate-stderr notify-send --now "$NOW" "$FIXTURES/paid.jsonl"
	assert_stderr --partial 'cannot verify the TLS certificate'
	assert_equal "$(delivered)" 0
}

@test "a recipient the server refuses fails for good and the staff hear of it" {
	run -0 --separate-stderr notify-send --now "$NOW" \
	    <<<'{"id":"SHOP-6","status":"paid","currency":"EUR","customer":{"name":"R","email":"refused@example.com"},"totals":{"total":100}}'
	assert_stderr ''
	assert_equal "$(notes <<<"$output")" \
	    '["SHOP-6",[["payment_received","email","r***@example.com","failed"],["notification_failed","slack","staff","sent"]]]'
	run -0 jq -r 'select(.service == "slack") | .body | fromjson | .text' \
	    "$DATA/http.jsonl"
	assert_line --index 0 '*Сообщение по заказу SHOP-6 не доставлено*'
}

# --- exactly once ------------------------------------------------------------

exactly_once_twice() {
	run -0 --separate-stderr notify-send --now "$NOW" \
	    --channel email,sms,telegram,webhook "$FIXTURES/shipped.jsonl"
	assert_stderr ''
	first=$output
	assert_equal "$(notes <<<"$output")" \
	    '["SHOP-1",[["shipped","email","a***@example.ru","sent"],["shipped","sms","+7916***4567","sent"],["shipped","telegram",null,"skipped"],["shipped","webhook","crm","sent"]]]'
	run -0 --separate-stderr notify-send --now "$NOW" \
	    --channel email,sms,telegram,webhook "$FIXTURES/shipped.jsonl"
	assert_equal "$output" "$first"
	assert_equal "$(delivered)" 1
	assert_equal "$(requests twilio) $(requests webhook)" '1 1'
	run -0 sql "SELECT key, state, attempts FROM outbox ORDER BY key"
	assert_output "SHOP-1:shipped:email:anna@example.ru|done|1
SHOP-1:shipped:sms:+79161234567|done|1
SHOP-1:shipped:webhook:crm|done|1"
}

@test "the same input twice sends nothing twice (SQLite)" {
	exactly_once_twice
}

@test "the same input twice sends nothing twice (PostgreSQL)" {
	use_backend postgres
	exactly_once_twice
}

two_at_once() {
	local i

	for i in $(seq 40); do
		printf '{"id":"S-%d","status":"paid","currency":"EUR","customer":{"name":"C %d","email":"c%d@example.com"},"totals":{"total":%d}}\n' \
		    "$i" "$i" "$i" "$((i * 100))"
	done >"$BATS_TEST_TMPDIR/in.jsonl"
	notify-send --now "$NOW" "$BATS_TEST_TMPDIR/in.jsonl" \
	    >"$BATS_TEST_TMPDIR/a.out" 2>"$BATS_TEST_TMPDIR/a.err" &
	a=$!
	notify-send --now "$NOW" "$BATS_TEST_TMPDIR/in.jsonl" \
	    >"$BATS_TEST_TMPDIR/b.out" 2>"$BATS_TEST_TMPDIR/b.err" &
	b=$!
	wait "$a"
	wait "$b"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/a.err" "$BATS_TEST_TMPDIR/b.err")" ''
	assert_equal "$(delivered)" 40
	assert_equal "$(jq -r '.to[0]' "$DATA/smtp.jsonl" | sort -u | wc -l)" 40
	# Both say every message was sent, each by one of them.
	run -0 jq -r '.notifications[].status' "$BATS_TEST_TMPDIR/a.out" \
	    "$BATS_TEST_TMPDIR/b.out"
	assert_equal "$(sort -u <<<"$output")" sent
	assert_equal "${#lines[@]}" 80
}

@test "two processes on the same file send each message once (SQLite)" {
	two_at_once
}

@test "two processes on the same file send each message once (PostgreSQL)" {
	use_backend postgres
	two_at_once
}

@test "a message in doubt after a crash is reported to the staff, not sent again" {
	# The store made; then what a run that died between the call and
	# the record leaves.
	run -0 --separate-stderr notify-send --now "$NOW" --channel webhook \
	    "$FIXTURES/paid.jsonl"
	sql "INSERT INTO outbox (kind, key, state, owner, lease_until, attempts,
	    created_at, updated_at) VALUES ('notify-send',
	    'SHOP-2:payment_received:email:john@example.com', 'pending',
	    'elsewhere 1', 1, 1, 1, 1)"
	run -0 --separate-stderr notify-send --now "$NOW" "$FIXTURES/paid.jsonl"
	assert_stderr ''
	assert_equal "$(notes <<<"$output")" \
	    '["SHOP-2",[["payment_received","email","j***@example.com","failed"],["notification_in_doubt","slack","staff","sent"]]]'
	assert_equal "$(jq -r '.notifications[0].reason' <<<"$output")" \
	    "in_doubt: an earlier run may have sent it and did not record it; the outbox entry 'SHOP-2:payment_received:email:john@example.com' is held for a person"
	assert_equal "$(delivered)" 0
	run -0 sql "SELECT state FROM outbox
	    WHERE key = 'SHOP-2:payment_received:email:john@example.com'"
	assert_output held
	run -0 --separate-stderr notify-send --now "$NOW" "$FIXTURES/paid.jsonl"
	assert_equal "$(notes <<<"$output")" \
	    '["SHOP-2",[["payment_received","email","j***@example.com","skipped"]]]'
	assert_equal "$(requests slack) $(delivered)" '1 0'
}

# --- failures and retries ------------------------------------------------------

@test "a service that fails and recovers within the run's retries delivers once" {
	printf '[{"service":"slack","times":2,"status":503}]\n' >"$DATA/faults.json"
	run -0 --separate-stderr notify-send --now "$NOW" "$FIXTURES/problems.jsonl"
	assert_stderr ''
	assert_equal "$(notes <<<"$output")" \
	    '["SHOP-3",[["stuck","slack","staff","sent"]]]
["SHOP-4",[["underpaid","slack","staff","sent"]]]'
	assert_equal "$(requests slack)" 4
	run -0 jq -r 'select(.service == "slack") | .body | fromjson | .text' \
	    "$DATA/http.jsonl"
	assert_line '*Заказ SHOP-4 оплачен не полностью*'
	assert_line 'paid 5.00 of 10.00 EUR'
}

@test "a service down is retried on later runs at growing intervals, then given up" {
	local problem

	problem=$(head -n 1 "$FIXTURES/problems.jsonl")
	printf '[{"service":"slack","status":503}]\n' >"$DATA/faults.json"
	printf '[notify]\nretries = 1\n' >>"$ORDERKIT_CONFIG"
	run -75 --separate-stderr notify-send --now "$NOW" <<<"$problem"
	assert_stderr --partial 'notify-send: slack: slack is down: HTTP 503, 3 tries'
	assert_equal "$(jq -c '[.notifications[] | [.status, .retry_at]]' <<<"$output")" \
	    '[["queued","2026-11-20T12:05:00+03:00"]]'
	assert_equal "$(requests slack)" 3
	# Before its time: nothing is tried.
	run -0 --separate-stderr notify-send --now 2026-11-20T12:04:00+03:00 \
	    <<<"$problem"
	assert_equal "$(jq -r '.notifications[].status' <<<"$output")" queued
	assert_equal "$(requests slack)" 3
	# The last try fails: given up for good, and the staff are told
	# (through the same Slack, still down: that waits in turn).
	run -75 --separate-stderr notify-send --now 2026-11-20T12:06:00+03:00 \
	    <<<"$problem"
	assert_equal "$(notes <<<"$output")" \
	    '["SHOP-3",[["stuck","slack","staff","failed"],["notification_failed","slack","staff","queued"]]]'
	assert_equal "$(requests slack)" 6
	rm "$DATA/faults.json"
	run -0 --separate-stderr notify-send --now 2026-11-21T12:06:00+03:00 \
	    <<<"$problem"
	assert_equal "$(notes <<<"$output")" \
	    '["SHOP-3",[["stuck","slack","staff","failed"],["notification_failed","slack","staff","sent"]]]'
	assert_equal "$(requests slack)" 7
	run -0 jq -rs '[.[] | select(.service == "slack")] | last | .body |
	    fromjson | .text' "$DATA/http.jsonl"
	assert_line --index 0 '*Сообщение по заказу SHOP-3 не доставлено*'
	assert_line --index 1 'gave up after 2 tries: slack did not answer: HTTP 503, 3 tries'

}

@test "a failed message is sent when the service is back at its retry time" {
	touch "$DATA/smtp-down"
	run -0 --separate-stderr notify-send --now "$NOW" "$FIXTURES/paid.jsonl"
	assert_equal "$(jq -r '.notifications[0].status' <<<"$output")" queued
	rm "$DATA/smtp-down"
	run -0 --separate-stderr notify-send --now 2026-11-20T12:05:00+03:00 \
	    "$FIXTURES/paid.jsonl"
	assert_equal "$(notes <<<"$output")" \
	    '["SHOP-2",[["payment_received","email","j***@example.com","sent"]]]'
	assert_equal "$(delivered)" 1
	run -0 sql "SELECT state, attempts FROM outbox"
	assert_output 'done|2'
}

# --- channels ------------------------------------------------------------------

@test "example: SMS waits out quiet hours in the customer's zone, and goes in the morning" {
	local rec='{"id":"SHOP-7","status":"paid","currency":"RUB","customer":{"name":"Анна","phone":"+79161234567","tz":"+03:00","notify":"sms"},"totals":{"total":100}}'

	run -0 --separate-stderr notify-send --quiet 22:00-08:00 \
	    --now 2026-11-20T20:30:00Z <<<"$rec"
	assert_equal "$(jq -c '.notifications[0] | [.status, .reason]' <<<"$output")" \
	    '["queued","quiet_hours"]'
	assert_equal "$(requests twilio)" 0
	run -0 --separate-stderr notify-send --quiet 22:00-08:00 \
	    --now 2026-11-21T05:30:00Z <<<"$rec"
	assert_equal "$(jq -r '.notifications[0].status' <<<"$output")" sent
	run -0 jq -r 'select(.service == "twilio") | .body' "$DATA/http.jsonl"
	assert_output --partial 'To=%2B79161234567&From=%2B15005550006&Body='
	# Twilio's Basic credentials: the account and its token.
	run -0 jq -r 'select(.service == "twilio") | .headers.Authorization' \
	    "$DATA/http.jsonl"
	assert_output "Basic $(printf AC1:tw-token | base64)"
}

@test "an SMS Twilio refuses (21211) goes by email in the same run" {
	run -0 --separate-stderr notify-send --now "$NOW" --channel sms \
	    <<<'{"id":"SHOP-8","status":"paid","currency":"USD","customer":{"name":"Bo","email":"bo@example.com","phone":"+15005550001","lang":"en"},"totals":{"total":100}}'
	assert_stderr ''
	assert_equal "$(notes <<<"$output")" \
	    '["SHOP-8",[["payment_received","sms","+1500***0001","failed"],["payment_received","email","b***@example.com","sent"]]]'
	assert_equal "$(jq -r '.notifications[0].reason' <<<"$output")" \
	    'sms refused the message: HTTP 400, code 21211; sent by email instead'
	assert_equal "$(delivered)" 1
}

@test "without a Twilio account SMS goes to the generic provider, in its body template" {
	local http=http://127.0.0.1:$(port http)/t/t$BATS_TEST_NUMBER

	sed -i '/^account_sid/d' "$ORDERKIT_CONFIG"
	cat >>"$ORDERKIT_CONFIG" <<-CONF
	[sms]
	url = $http/sms/send
	token = sms-token
	from = Romashka
	body = "{\\"msisdn\\": \\"{{to}}\\", \\"sender\\": \\"{{from}}\\", \\"message\\": \\"{{text}}\\", \\"ref\\": \\"{{id}}\\"}"
	CONF
	run -0 --separate-stderr notify-send --now "$NOW" --channel sms \
	    <<<'{"id":"SHOP-11","status":"paid","currency":"RUB","customer":{"name":"A","phone":"+79161234567"},"totals":{"total":100}}'
	assert_stderr ''
	assert_equal "$(jq -r '.notifications[0].status' <<<"$output")" sent
	run -0 jq -c 'select(.service == "sms") | [.headers.Authorization,
	    (.body | fromjson | .msisdn, .sender, .ref)]' "$DATA/http.jsonl"
	assert_output "[\"Bearer sms-token\",\"+79161234567\",\"Romashka\",\"$(printf %s 'SHOP-11:payment_received:sms:+79161234567' | sha256sum | cut -d' ' -f1)\"]"
	run -0 jq -r 'select(.service == "sms") | .body | fromjson | .message' \
	    "$DATA/http.jsonl"
	assert_output --partial 'Ромашка: Мы получили оплату 1,00'
}

@test "Telegram gets sendMessage with the chat id as a number, in Telegram's HTML" {
	run -0 --separate-stderr notify-send --now "$NOW" --channel telegram \
	    <<<'{"id":"SHOP-9","status":"delivered","customer":{"name":"<Oks>","telegram_chat_id":123456789,"lang":"uk"}}'
	assert_stderr ''
	assert_equal "$(jq -r '.notifications[0].status' <<<"$output")" sent
	run -0 jq -r 'select(.service == "telegram") | [.path, (.body | fromjson | .chat_id, .parse_mode)] | @tsv' \
	    "$DATA/http.jsonl"
	assert_output $'botTG:1/sendMessage\t123456789\tHTML'
}

@test "the webhook is signed, and its delivery id is the outbox key's hash on every try" {
	printf '[{"service":"webhook","times":1,"status":500}]\n' >"$DATA/faults.json"
	run -0 --separate-stderr notify-send --now "$NOW" --channel webhook \
	    "$FIXTURES/paid.jsonl"
	assert_stderr ''
	assert_equal "$(jq -r '.notifications[0].status' <<<"$output")" sent
	key='SHOP-2:payment_received:webhook:crm'
	hash=$(printf %s "$key" | sha256sum | cut -d' ' -f1)
	run -0 jq -r '.headers["X-Orderkit-Delivery"]' "$DATA/http.jsonl"
	assert_output "$hash
$hash"
	run -0 jq -c '.body | fromjson | [.event, .order.id]' "$DATA/http.jsonl"
	assert_line --index 1 '["payment_received","SHOP-2"]'
	# The server answers 200 only to a signature it verifies.
	body=$(jq -r '.body' "$DATA/http.jsonl" | tail -n 1)
	sig=$(printf %s "$body" | openssl dgst -sha256 -hmac whsec | sed 's/.* //')
	assert_equal "$(jq -r '.headers["X-Orderkit-Signature"]' "$DATA/http.jsonl" | tail -n 1)" \
	    "sha256=$sig"
}

@test "example: problems and rejects of earlier steps go to the staff's channels" {
	printf '[notify]\nstaff_channels = slack,email,telegram\n' \
	    >>"$ORDERKIT_CONFIG"
	run -0 --separate-stderr notify-send --now "$NOW" "$FIXTURES/problems.jsonl"
	assert_stderr ''
	assert_equal "$(notes <<<"$output")" \
	    '["SHOP-3",[["stuck","slack","staff","sent"],["stuck","email","s***@example.ru","sent"],["stuck","telegram","-1002***0300","sent"]]]
["SHOP-4",[["underpaid","slack","staff","sent"],["underpaid","email","s***@example.ru","sent"],["underpaid","telegram","-1002***0300","sent"]]]'
	assert_equal "$(delivered)" 2
}

@test "times are the run's, not the machine's zone" {
	notify_config none >"$ORDERKIT_CONFIG"
	TZ=Pacific/Kiritimati run -0 --separate-stderr notify-send \
	    --now 2026-11-20T23:30:00-05:00 "$FIXTURES/paid.jsonl"
	run -0 grep '^Date: ' "$DATA/1.eml"
	assert_output $'Date: Fri, 20 Nov 2026 23:30:00 -0500\r'
}

@test "--stats=json: the run's counts as one JSON object" {
	run -0 --separate-stderr notify-send --now "$NOW" --stats=json \
	    --dry-run "$BATS_TEST_TMPDIR/out" "$FIXTURES/shipped.jsonl"
	run -0 jq -c '[.program, .in, .sent, .queued, .failed, .skipped,
	    .requests, .rejects]' <<<"$stderr"
	assert_output '["notify-send",1,0,0,0,1,0,0]'
}
