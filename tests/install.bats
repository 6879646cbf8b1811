# tests/install.bats: orderkit as make install leaves it: the maps found by
# name, the man pages' examples run with the installed programs outside
# the source tree, the crontab example under cron's environment, and bash
# completion.
bats_require_minimum_version 1.5.0

# make install of the tree the tests run (ORDERKIT_BIN's build directory,
# already built), twice: with DESTDIR as a package is made (the programs
# find their files beside them), and with PREFIX in the test's directory,
# where the crontab's full paths are real.
setup_file() {
	local top o
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

setup() {
	load test_helper/common
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
