# tests/install.bats: orderkit as make install leaves it: the maps found by
# name, the man pages' examples run with the installed programs outside
# the source tree, the crontab example under cron's environment, and bash
# completion.
bats_require_minimum_version 1.5.0

# make install of the tree the tests run (ORDERKIT_BIN's build directory,
# already built), twice: with DESTDIR as a package is made (the programs
# find their files beside them), and with PREFIX in the test's directory,
# where the crontab's full paths are real.  The local carrier server
# (tests/carrier-server, 127.0.0.1) answers ship-book's and track-poll's
# examples.
setup_file() {
	local top o
	load test_helper/carriers
	carriers_start
	top=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	o=.
	if [[ -n ${ORDERKIT_BIN:-} ]]; then
		o=$(dirname "$ORDERKIT_BIN")
	fi
	export DEST="$BATS_FILE_TMPDIR/dest" PREFIX_DIR="$BATS_FILE_TMPDIR/usr"
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$top" -s \
	    --no-print-directory O="$o" DESTDIR="$DEST" install >&2
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$top" -s \
	    --no-print-directory O="$o" PREFIX="$PREFIX_DIR" install >&2
}

teardown_file() {
	load test_helper/carriers
	carriers_stop
}

setup() {
	load test_helper/common
	load test_helper/carriers
	# The installed programs only: not the build tree's, not the sources.
	PATH="$DEST/usr/local/bin:/usr/bin:/bin"
	unset ORDERKIT_DATADIR ORDERKIT_CONFIG
	export HOME="$BATS_TEST_TMPDIR/home"
	mkdir -p "$HOME"
	cd "$BATS_TEST_TMPDIR"
	IMPORT="$BATS_TEST_DIRNAME/fixtures/order-import"
	PAY="$BATS_TEST_DIRNAME/fixtures/pay-reconcile"
	EXPORT="$BATS_TEST_DIRNAME/fixtures/order-export"
	DEMO="$BATS_TEST_DIRNAME/../scripts/demo"
	VALIDATE="$BATS_TEST_DIRNAME/fixtures/order-validate"
	RESERVE="$BATS_TEST_DIRNAME/fixtures/order-reserve"
	SHIP="$BATS_TEST_DIRNAME/fixtures/ship-book"
	TRACK="$BATS_TEST_DIRNAME/fixtures/track-poll"
	MAN="$DEST/usr/local/share/man"
}

# example PAGE N: the Nth literal block (from 1) of the EXAMPLES of PAGE
# (man1/ship-book.1) as installed, its roff escapes undone: the commands
# as a reader types them, run as they are written.
example() {
	awk -v n="$2" '
	    /^\.Sh EXAMPLES/ { ex = 1; next }
	    /^\.Sh / { ex = 0 }
	    ex && /^\.Bd -literal/ { if (++k == n) on = 1; next }
	    on && /^\.Ed/ { exit }
	    on { gsub(/\\e/, "\\"); gsub(/\\&/, ""); print }' "$MAN/$1"
}

# cron_script PAGE N: the crontab of example N as the sh script cron runs:
# its VAR=value lines exported (make install's /usr/local read as this
# test's PREFIX), each entry's command without its five time fields.
cron_script() {
	example "$1" "$2" | sed -E -e "s|/usr/local/|$PREFIX_DIR/|g" \
	    -e 's/^([A-Z_]+=)/export \1/' \
	    -e '/^export /!s/^([^[:space:]]+[[:space:]]+){5}//'
}

# cron PAGE N: run cron_script PAGE N as cron would, in HOME with its
# environment alone (PATH=/usr/bin:/bin, HOME, LOGNAME, SHELL=/bin/sh) and
# nothing on standard input.
cron() {
	cd "$HOME" && env -i PATH=/usr/bin:/bin HOME="$HOME" LOGNAME=shop SHELL=/bin/sh \
	    /bin/sh -c "$(cron_script "$1" "$2")" </dev/null
}

# carrier_conf: the carrier server's accounts (test_helper/carriers) and
# what ship-book needs of the shop, in the default configuration file,
# which cron's jobs read too.
carrier_conf() {
	local conf=$HOME/.config/orderkit/orderkit.conf
	carriers_setup
	mkdir -p "${conf%/*}"
	{ cat "$ORDERKIT_CONFIG"; cat <<-CONF
	[shop]
	name = Shop
	[sender]
	company = Shop Ltd
	contact = Anna Smirnova
	phone = +74951234567
	email = shop@example.ru
	country = RU
	city = Moscow
	postal_code = 101000
	line1 = Skladskaya 1
	[parcel]
	weight_g = 500
	dims_mm = 300x200x100
	[carrier "cdek"]
	service_courier = 137
	service_pickup = 136
	service_post = 233
	number_wait = 0.02
	CONF
	} >"$conf"
	chmod 600 "$conf"
	unset ORDERKIT_CONFIG
}

@test "make install puts the maps, the jq module, the daily job, the crontab and the completion in place" {
	run -0 find "$DEST" -type f
	assert_line "$DEST/usr/local/share/orderkit/maps/excel-ru.map"
	assert_line "$DEST/usr/local/share/orderkit/maps/orderkit.map"
	assert_line "$DEST/usr/local/share/orderkit/maps/pay-acquiring-registry.map"
	assert_line "$DEST/usr/local/share/orderkit/orderkit.jq"
	assert_line "$DEST/usr/local/share/orderkit/crontab.example"
	assert_line "$DEST/usr/local/bin/orderkit-daily"
	assert_line "$DEST/usr/local/share/bash-completion/completions/order-import"
	assert_line "$DEST/usr/local/share/man/man7/orderkit.7"
	run -1 grep -c '@BINDIR@\|@DATADIR@' \
	    "$PREFIX_DIR/share/orderkit/crontab.example" \
	    "$PREFIX_DIR/bin/orderkit-daily"
	assert_output "$PREFIX_DIR/share/orderkit/crontab.example:0
$PREFIX_DIR/bin/orderkit-daily:0"
	run -0 grep -c "$PREFIX_DIR/bin/orderkit-daily" \
	    "$PREFIX_DIR/share/orderkit/crontab.example"
	assert_output 1
}

@test "example: order-import --map excel-ru --rejects bad.jsonl orders.csv, the map found by name as installed" {
	cp "$IMPORT/excel-ru-cp1251.csv" orders.csv
	run -0 --separate-stderr order-import --map excel-ru \
	    --rejects bad.jsonl orders.csv
	assert_output "$(cat "$IMPORT/excel-ru-cp1251.out.jsonl")"
	assert_stderr ''
	assert_equal "$(jq -r .id bad.jsonl)" 1003
}

@test "example: order-import --format shopify orders_export.csv | order-validate, installed" {
	cp "$IMPORT/shopify-orders_export.csv" orders_export.csv
	run -0 --separate-stderr bash -c 'set -o pipefail
	    order-import --format shopify orders_export.csv | order-validate'
	# #1043 is fulfilled already, #1044 cancelled and refunded: the
	# export says so, and order-validate holds them for it.
	assert_equal "${#lines[@]}" 3
	assert_equal "$(jq -c '[.id, [.errors[].code]]' <<<"$stderr")" \
	    '["#1043",["already_fulfilled"]]
["#1044",["cancelled_at_source","refunded_at_source"]]'
}

@test "example: order-import --list-formats, installed" {
	run -0 --separate-stderr order-import --list-formats
	assert_line --partial "orderkit       order-export's CSV"
	assert_stderr ''
}

@test "example: pay-reconcile --map pay-acquiring-registry, the map found by name as installed" {
	cp "$PAY/registry.csv" registry.csv
	cp "$PAY/registry-orders.jsonl" orders.jsonl
	run -0 --separate-stderr sh -c 'pay-reconcile --map pay-acquiring-registry \
	    --payments registry.csv orders.jsonl >paid.jsonl'
	run -0 jq -r '.id' paid.jsonl
	assert_output G-9001
}

@test "example: order-export --per item orders.jsonl > items.csv; order-import items.csv, installed" {
	cp "$EXPORT/orders.jsonl" orders.jsonl
	run -0 --separate-stderr sh -c '
	    order-export --per item orders.jsonl > items.csv
	    order-import items.csv'
	assert_stderr ''
	assert_equal "$(echo "$output" | jq -r .id | paste -sd ' ')" \
	    "$(jq -r .id orders.jsonl | paste -sd ' ')"
}

@test "example: order-export --excel and --columns for a CRM, installed" {
	cp "$EXPORT/orders.jsonl" orders.jsonl
	run -0 --separate-stderr sh -c '
	    LANG=ru_RU.UTF-8 order-export --excel orders.jsonl > orders.csv
	    order-export --columns id:Order,customer.name:Name,customer.email:Email \
	        --columns totals.total:Amount,currency:Currency orders.jsonl > crm.csv'
	assert_stderr ''
	run -0 head -n 1 crm.csv
	assert_output 'Order,Name,Email,Amount,Currency'
	run -0 od -An -tx1 -N3 orders.csv
	assert_output ' ef bb bf'
}

@test "example: stock-load, stock-levels and order-reserve, installed" {
	export ORDERKIT_DB="$BATS_TEST_TMPDIR/orderkit.db"
	printf 'sku,qty\nMUG-WHITE,1\nTSHIRT-RED-M,7\n' >stock.csv
	echo '{"sku":"MUG-WHITE","warehouse":"MSK","qty":10}' >received.jsonl
	run -0 --separate-stderr sh -c 'stock-load --warehouse MSK stock.csv
	    stock-load --mode add received.jsonl
	    stock-levels --sku TSHIRT-RED-M
	    stock-levels --warehouse MSK'
	assert_stderr "stock-load: created the store '$ORDERKIT_DB'"
	assert_output '{"sku":"TSHIRT-RED-M","warehouse":"MSK","on_hand":7,"reserved":0,"available":7}
{"sku":"MUG-WHITE","warehouse":"MSK","on_hand":11,"reserved":0,"available":11}
{"sku":"TSHIRT-RED-M","warehouse":"MSK","on_hand":7,"reserved":0,"available":7}'
	run -66 --separate-stderr stock-levels --db typo.db
	assert_stderr "stock-levels: no store at 'typo.db'"
}

@test "example: the jq module as orderkit(7) uses it, from the installed share directory" {
	cp "$EXPORT/orders.jsonl" orders.jsonl
	run -0 --separate-stderr jq -L "$DEST/usr/local/share/orderkit" -r \
	    'include "orderkit"; "\(.id) \(money(.totals.total; .currency)) \(.currency)"' \
	    orders.jsonl
	assert_line --regexp '^JP-77 4500 JPY$'
	assert_stderr ''
}

# ------------------------------------------------- order-validate(1)

@test "example: order-validate --catalog catalog.csv --rejects invalid.jsonl orders.jsonl > valid.jsonl, installed" {
	cp "$VALIDATE/catalog.csv" catalog.csv
	cat "$VALIDATE/one-valid.jsonl" "$VALIDATE/five-problems.jsonl" \
	    >orders.jsonl
	run -0 --separate-stderr sh -c "$(example man1/order-validate.1 1)"
	assert_output ''
	assert_stderr ''
	run -0 jq -r .id valid.jsonl
	assert_output "$(jq -r .id "$VALIDATE/one-valid.jsonl")"
	assert_equal "$(count_lines invalid.jsonl)" 1
}

@test "example: order-validate --country RU --lang ru orders.jsonl, installed" {
	jq -c '.customer.phone = "8 (916) 123-45-67", (.id = "SHOP-1002"
	    | .items[0].qty = 0)' "$VALIDATE/one-valid.jsonl" >orders.jsonl
	run -0 --separate-stderr sh -c "$(example man1/order-validate.1 2)"
	assert_equal "$(jq -r .customer.phone <<<"$output")" "+79161234567"
	assert_equal "$(jq -r '.errors[0].message' <<<"$stderr")" \
	    "количество 0 — не целое число от 1"
}

@test "example: order-validate --strict --stats --rejects /dev/null orders.jsonl, installed" {
	cat "$VALIDATE/one-valid.jsonl" "$VALIDATE/five-problems.jsonl" \
	    >orders.jsonl
	run -65 --separate-stderr sh -c "$(example man1/order-validate.1 3)"
	assert_equal "$(jq -r .id <<<"$output")" \
	    "$(jq -r .id "$VALIDATE/one-valid.jsonl")"
	assert_stderr "order-validate: 2 read, 1 valid, 1 rejected"
}

@test "example: order-import --format etsy items.csv orders.csv | order-validate --config shop.conf, installed" {
	cp "$IMPORT/etsy-merge-items.csv" items.csv
	cp "$IMPORT/etsy-merge-orders.csv" orders.csv
	printf '[source "etsy"]\nship_method = post\n' >shop.conf
	printf 'sku,product,name,price,currency,alias\nCANDLE,CANDLE,Candle,12.00,CAD,2001\nSNUFF,SNUFF,Snuffer,8.00,CAD,Candle Snuffer\n' \
	    >catalog.csv
	run -0 --separate-stderr bash -c "set -o pipefail
	    $(example man1/order-validate.1 4)"
	assert_equal "$(jq -c '[.id, .shipping.method, [.items[] | [.sku, .matched_by]]]' <<<"$output")" \
	    '["5001","post",[["CANDLE","alias"],["SNUFF","title"]]]'
	assert_equal "$(jq -c '[.id, [.errors[].code]]' <<<"$stderr")" \
	    '["5002",["already_fulfilled"]]'
}

# -------------------------------------------------- order-reserve(1)

@test "example: order-reserve --split --ttl 2h, the backorders tried again after a restock, installed" {
	stock-load "$RESERVE/stock.csv" >/dev/null 2>&1
	cat "$RESERVE/split.jsonl" "$RESERVE/backorder.jsonl" >validated.jsonl
	run -0 --separate-stderr sh -c "$(example man1/order-reserve.1 1)"
	assert_stderr ''
	run -0 jq -r '[.id, .status, (.reservation.expires_at != null)] | @tsv' <<<"$output"
	assert_output $'SHOP-4\treserved\ttrue'
	run -0 jq -r '[.id, .status] | @tsv' backorder.jsonl
	assert_output $'SHOP-7\tbackorder'
	echo '{"sku":"MUG-WHITE","warehouse":"MSK","qty":3}' >received.jsonl
	run -0 --separate-stderr sh -e -c "$(example man1/order-reserve.1 2)"
	assert_output ''
	assert_stderr ''
	run -0 jq -c '[.id, .status, .reservation.lines, .errors]' reserved.jsonl
	assert_output '["SHOP-7","reserved",[{"sku":"MUG-WHITE","warehouse":"MSK","qty":5}],null]'
	assert [ ! -s backorder.jsonl ]
}

@test "example: order-reserve --release cancelled.jsonl, installed" {
	stock-load "$RESERVE/stock.csv" >/dev/null 2>&1
	order-reserve "$RESERVE/one-parcel.jsonl" >/dev/null
	cp "$RESERVE/id-1.jsonl" cancelled.jsonl
	run -0 --separate-stderr sh -c "$(example man1/order-reserve.1 3)"
	assert_stderr ''
	run -0 jq -r '[.id, .status, .reservation.state] | @tsv' <<<"$output"
	assert_output $'SHOP-1\tcancelled\treleased'
	run -0 stock-levels --sku MUG-WHITE --warehouse MSK
	assert_output '{"sku":"MUG-WHITE","warehouse":"MSK","on_hand":2,"reserved":0,"available":2}'
}

@test "example: order-reserve --expire from cron, as the page writes the crontab, installed" {
	PATH="$PREFIX_DIR/bin:/usr/bin:/bin"
	stock-load "$RESERVE/stock.csv" >/dev/null 2>&1
	order-reserve --ttl 1m --now 2026-01-01T00:00:00Z \
	    "$RESERVE/one-parcel.jsonl" >/dev/null
	run -0 --separate-stderr cron man1/order-reserve.1 4
	assert_output ''
	assert_stderr ''
	run -0 jq -r '[.id, .status] | @tsv' "$HOME/expired.jsonl"
	assert_output $'SHOP-1\texpired'
}

# ------------------------------------------------------ ship-book(1)

@test "example: ship-book --catalog catalog.csv --rejects not-booked.jsonl paid.jsonl > booked.jsonl, installed" {
	carrier_conf
	cp "$SHIP/catalog.csv" catalog.csv
	cat "$SHIP/cdek-courier.jsonl" "$SHIP/not-for-booking.jsonl" >paid.jsonl
	run -0 --separate-stderr sh -c "$(example man1/ship-book.1 1)"
	assert_output ''
	run -0 jq -r '"\(.id) \(.shipment.parcels[0].tracking_number)"' booked.jsonl
	assert_output 'SHOP-1 1000000001'
	assert_equal "$(count_lines not-booked.jsonl)" 4
}

@test "example: ship-book --dry-run paid.jsonl | jq -r '.method + \" \" + .url', installed" {
	carrier_conf
	cp "$SHIP/easypost.jsonl" paid.jsonl
	run -0 --separate-stderr bash -c "set -o pipefail
	    $(example man1/ship-book.1 2)"
	assert_output "POST http://127.0.0.1:$CARRIER_PORT/t/t$BATS_TEST_NUMBER/easypost/v2/shipments"
}

@test "example: ship-book --cancel --rejects too-late.jsonl booked.jsonl, installed" {
	carrier_conf
	ship-book --catalog "$SHIP/catalog.csv" "$SHIP/cdek-courier.jsonl" \
	    "$SHIP/easypost.jsonl" >booked.jsonl
	echo '{"taken": ["SHOP-20"]}' >"$DATA/settings.json"
	run -0 --separate-stderr sh -c "$(example man1/ship-book.1 3)"
	run -0 jq -r '"\(.id) \(.status)"' <<<"$output"
	assert_output 'SHOP-1 cancelled'
	run -0 jq -r '"\(.id) \(.errors[0].code)"' too-late.jsonl
	assert_output 'SHOP-20 too_late_to_cancel'
}

@test "example: ship-book --return --labels labels returns.jsonl > returning.jsonl, installed" {
	carrier_conf
	head -n 1 "$SHIP/returns.jsonl" >returns.jsonl
	run -0 --separate-stderr sh -e -c "$(example man1/ship-book.1 4)"
	run -0 jq -r '"\(.status) \(.return.shipment.parcels[0].carrier_label)"' \
	    returning.jsonl
	assert_output 'return_open labels/SHOP-40-return.png'
	assert [ -s labels/SHOP-40-return.png ]
}

# ----------------------------------------------------- track-poll(1)

@test "example: track-poll --rejects track.jsonl | notify-send from cron, as the page writes the crontab, installed" {
	local dhl=00340434161094042557
	carrier_conf
	printf '[notify]\nchannels = email\n' >>"$HOME/.config/orderkit/orderkit.conf"
	PATH="$PREFIX_DIR/bin:/usr/bin:/bin"
	cp "$TRACK/dhl/transit.json" "$DATA/dhl/$dhl.json"
	track-poll "$TRACK/dhl-order.jsonl" >/dev/null
	cp "$TRACK/dhl/delivered.json" "$DATA/dhl/$dhl.json"
	notify-send </dev/null 2>/dev/null	# the store its own, made once
	run -0 --separate-stderr cron man1/track-poll.1 1
	assert_output ''
	assert_stderr ''
	run -0 jq -c '[.id, .tracking.status, [.notifications[].event]]' \
	    "$HOME/sent.jsonl"
	assert_output '["SHOP-1","delivered",["delivered"]]'
	assert [ ! -s "$HOME/track.jsonl" ]
}

@test "example: track-poll --stuck 5 | jq -c 'select(.type == \"problem\")', installed" {
	carrier_conf
	cp "$TRACK/cdek/on-the-way.json" "$DATA/cdek/1106207236.json"
	jq -c '.shipment.parcels |= .[:1]' "$TRACK/cdek-order.jsonl" >order.jsonl
	track-poll --now 2026-11-22T12:00:00Z order.jsonl >/dev/null
	run -0 --separate-stderr bash -c "set -o pipefail
	    $(example man1/track-poll.1 2)"
	assert_stderr ''
	run -0 jq -r '[.type, .code, .tracking_number] | @tsv' <<<"$output"
	assert_output $'problem\tstuck\t1106207236'
}

@test "example: ship-book orders.jsonl | track-poll > changes.jsonl, installed" {
	carrier_conf
	cp "$TRACK/cdek/on-the-way.json" "$DATA/cdek/1000000001.json"
	cp "$SHIP/cdek-courier.jsonl" orders.jsonl
	run -0 --separate-stderr bash -c "set -o pipefail
	    $(example man1/track-poll.1 3)"
	run -0 jq -r '[.id, .shipment.parcels[0].tracking_number, .tracking.status] | @tsv' \
	    changes.jsonl
	assert_output $'SHOP-1\t1000000001\tout_for_delivery'
}

@test "example: a CGI script takes EasyPost's webhooks, installed" {
	local f=$TRACK/webhooks/easypost-delivered.json
	carrier_conf
	example man1/track-poll.1 4 | sed "s|/var/spool/shop|$PWD|" >hook.cgi
	chmod +x hook.cgi
	export HTTP_X_HMAC_SIGNATURE="hmac-sha256-hex=$(openssl dgst -sha256 \
	    -hmac ep-hook -hex <"$f" | sed 's/^.* //')"
	CONTENT_LENGTH=$(wc -c <"$f") run -0 --separate-stderr ./hook.cgi <"$f"
	assert_output 'Status: 200'
	run -0 jq -r '.tracking_number + " " + .tracking.status' changes.jsonl
	assert_output 'EZ1000000001 delivered'
}

# ------------------------------------------------- orderkit.conf(5)

@test "example: export ORDERKIT_CARRIER_CDEK_CLIENT_SECRET=\"\$(pass show cdek)\", installed" {
	carrier_conf
	# The secret left out of the file; pass(1) as a stand-in that knows it.
	sed -i '/^client_secret/d' "$HOME/.config/orderkit/orderkit.conf"
	mkdir bin
	printf '#!/bin/sh\n[ "$*" = "show cdek" ] && echo secret\n' >bin/pass
	chmod +x bin/pass
	cp "$TRACK/cdek/on-the-way.json" "$DATA/cdek/1106207236.json"
	jq -c '.shipment.parcels |= .[:1]' "$TRACK/cdek-order.jsonl" >order.jsonl
	run -78 --separate-stderr track-poll order.jsonl
	assert_stderr --partial 'ORDERKIT_CARRIER_CDEK_CLIENT_SECRET'
	run -0 --separate-stderr sh -c "PATH=\$PWD/bin:\$PATH
	    $(example man5/orderkit.conf.5 1)
	    track-poll order.jsonl"
	assert_stderr ''
	run -0 jq -r .tracking.status <<<"$output"
	assert_output out_for_delivery
}

# The crontab's command lines, as cron gives them to sh: the five time
# fields cut off, variable settings and comments left out.
crontab_commands() {
	grep -Ev '^[[:space:]]*(#|$|[A-Z_]+=)' "$1" |
	    sed -E 's/^([^[:space:]]+[[:space:]]+){5}//'
}

# The daily job's directory: a day's Excel export and a Shopify one, the
# catalog and the stock of the demo.
daily_dir() {
	local d=$HOME/orderkit
	mkdir -p "$d/in"
	cp "$DEMO/site-orders.csv" "$d/in/site-orders.csv"
	cp "$DEMO/site-orders.map" "$d/orders.map"
	cp "$DEMO/catalog.csv" "$d/catalog.csv"
	"$PREFIX_DIR/bin/stock-load" --db "$d/orderkit.db" "$DEMO/stock.csv" \
	    2>/dev/null
}

@test "the crontab example runs as installed under cron's env -i PATH=/usr/bin:/bin" {
	local cmd
	daily_dir
	mapfile -t cmds < <(crontab_commands "$PREFIX_DIR/share/orderkit/crontab.example")
	assert_equal "${#cmds[@]}" 2
	for cmd in "${cmds[@]}"; do
		run -0 --separate-stderr env -i PATH=/usr/bin:/bin HOME="$HOME" \
		    LOGNAME=shop SHELL=/bin/sh ORDERKIT_DAILY_DAY=2026-11-20 \
		    /bin/sh -c "$cmd"
		assert_output ''
		assert_stderr ''
	done
	run -0 ls "$HOME/orderkit/done/2026-11-20"
	assert_output site-orders.csv
	run -0 jq -r .status "$HOME/orderkit/out/2026-11-20/orders.jsonl"
	assert_line reserved
	run -0 ls "$HOME/orderkit/in"
	assert_output ''
	# Run again: nothing came in, nothing is said or done twice.
	run -0 --separate-stderr env -i PATH=/usr/bin:/bin HOME="$HOME" \
	    /bin/sh -c "${cmds[0]}"
	assert_output ''
	assert_stderr ''
}

@test "orderkit-daily: rejected orders exit 65 and print the rejects of each step and day, for cron to mail" {
	daily_dir
	printf 'id,currency,totals.total,customer.email\nX-1,RUB,10.00,not-an-email\n' \
	    >"$HOME/orderkit/in/extra.csv"
	rm "$HOME/orderkit/orders.map"
	mv "$HOME/orderkit/in/site-orders.csv" "$BATS_TEST_TMPDIR/"
	run -65 --separate-stderr env -i PATH=/usr/bin:/bin HOME="$HOME" \
	    ORDERKIT_DAILY_DAY=2026-11-21 "$PREFIX_DIR/bin/orderkit-daily"
	assert_stderr ''
	assert_line --index 0 "orderkit-daily 2026-11-21: orders were rejected; they are in $HOME/orderkit/rejects/2026-11-21:"
	assert_line "== rejects/2026-11-21/validate.jsonl: 1 rejected"
	assert_output --partial '"id":"X-1"'
	run -0 ls "$HOME/orderkit/done/2026-11-21"
	assert_output extra.csv
}

@test "orderkit-daily: a store locked past its timeout is 75, try later, and the inputs stay" {
	daily_dir
	# The write lock held for 5 seconds, the job waiting 1.
	printf 'BEGIN IMMEDIATE;\n.shell sleep 5\n' |
	    sqlite3 "$HOME/orderkit/orderkit.db" >/dev/null 2>&1 3>&- &
	until ! sqlite3 -cmd '.timeout 0' "$HOME/orderkit/orderkit.db" \
	    'BEGIN IMMEDIATE; ROLLBACK;' 2>/dev/null; do
		sleep 0.1
	done
	run -75 --separate-stderr env -i PATH=/usr/bin:/bin HOME="$HOME" \
	    ORDERKIT_DB_TIMEOUT=1 ORDERKIT_DAILY_DAY=2026-11-22 \
	    "$PREFIX_DIR/bin/orderkit-daily"
	wait
	assert_output ''
	assert_stderr --partial "orderkit-daily: a step said try again later (exit 75); the inputs stay in '$HOME/orderkit/in' for the next run"
	run -0 ls "$HOME/orderkit/in"
	assert_output site-orders.csv
}

@test "orderkit-daily: a step that fails is named, even in the middle of the pipeline" {
	daily_dir
	rm "$HOME/orderkit/catalog.csv"
	run -66 --separate-stderr env -i PATH=/usr/bin:/bin HOME="$HOME" \
	    ORDERKIT_DAILY_DAY=2026-11-23 "$PREFIX_DIR/bin/orderkit-daily"
	assert_output ''
	assert_stderr --partial "orderkit-daily: validate failed with exit status 66"
	run -0 ls "$HOME/orderkit/in"
	assert_output site-orders.csv
}

@test "bash completion, as installed: the programs' options, formats and maps by name" {
	run -0 --separate-stderr bash -c '
	    source "$1/share/bash-completion/completions/order-import"
	    complete -p order-import pay-reconcile orderkit-daily
	    _orderkit order-import --ma order-import; echo "${COMPREPLY[*]}"
	    _orderkit order-import exc --map; echo "${COMPREPLY[*]}"
	    _orderkit pay-reconcile pay-a --map; echo "${COMPREPLY[*]}"
	    _orderkit order-import or --format; echo "${COMPREPLY[*]}"
	    _orderkit stock-load s --mode; echo "${COMPREPLY[*]}"' sh "$DEST/usr/local"
	assert_stderr ''
	assert_output 'complete -o filenames -F _orderkit order-import
complete -o filenames -F _orderkit pay-reconcile
complete -o filenames -F _orderkit orderkit-daily
--map
excel-ru
pay-acquiring-registry
orderkit
set'
}

# render PAGE: an installed page as mandoc renders it, plain text.
render() {
	mandoc -T utf8 "$DEST/usr/local/share/man/$1" | LC_ALL=C.UTF-8 col -bx
}

@test "the installed pages render without the glitches: quotes, parentheses" {
	run -0 render man7/orderkit.7
	assert_output --partial '‘\n’-terminated, compact'
	refute_output --partial '‘\n-terminated’'
	run -0 render man1/order-validate.1
	assert_output --partial "(‘,’, ‘;’ or tab) is taken"
	run -0 render man1/pay-reconcile.1
	assert_output --partial 'Custom Number, also its German headings'
	refute_output --partial 'Custom Number,)'
}

@test "the installed pages link to order-import(1) and to no page that is not installed" {
	local page xr
	for page in man7/orderkit.7 man1/order-validate.1 man1/order-reserve.1 \
	    man1/order-export.1 man1/pay-reconcile.1; do
		run -0 grep -c '^\.Xr order-import 1' "$DEST/usr/local/share/man/$page"
	done
	while read -r xr; do
		case $xr in
		"jq 1" | "sysexits 3" | "iconv 3" | "cron 8" | "crontab 1" | \
		    "crontab 5" | "environ 7" | "strftime 3" | "curl 1" | \
		    "mandoc 1" | "sh 1" | "bash 1" | "mlr 1" | "setpriv 1" | \
		    "sqlite3 1" | "psql 1" | "git-config 1" | "ssh 1" | \
		    "sudo 8" | "mail 1")
			continue ;;
		esac
		assert [ -e "$DEST/usr/local/share/man/man${xr#* }/${xr% *}.${xr#* }" ]
	done < <(grep -ho '^\.Xr [a-z0-9.-]* [0-9]' "$DEST"/usr/local/share/man/*/* |
	    cut -d ' ' -f 2,3 | sort -u)
}

@test "orderkit(7) and order-import(1) have ENVIRONMENT and FILES; orderkit(7) a day in cron" {
	run -0 render man7/orderkit.7
	assert_line ENVIRONMENT
	assert_line FILES
	assert_line '   A day in cron'
	assert_output --partial 'ORDERKIT_DATADIR'
	run -0 render man1/order-import.1
	assert_line ENVIRONMENT
	assert_line FILES
	assert_output --partial 'TMPDIR'
}
