#!/usr/bin/env bash
# bench-notify.sh: notify-send emailing N messages to a local SMTP server.
#
# usage: tests/bench/bench-notify.sh [N]
#
# Starts tests/notify-server (Debian's /usr/bin/python3, aiosmtpd) on
# 127.0.0.1 and sends N messages (default $BENCH_NOTIFY_MESSAGES, else
# 10000; one per generated paid order) with notify-send over plain SMTP on
# a new SQLite store, one connection for all, at N and N/10 (memory should
# not grow with N); then the same file again, which sends nothing; then
# curl(1) sending the same rendered messages one process per message, on
# N/10 of them (at most 1000).  Prints a markdown section: messages a
# second, the ratio to curl, peak RSS.  The binaries are taken from $BIN
# (default bin).  Nothing is kept.
set -euo pipefail

prog=bench-notify.sh
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
bin=${BIN:-bin}
n=${1:-${BENCH_NOTIFY_MESSAGES:-10000}}
status=0

if (($# > 1)) || ! [[ $n =~ ^[0-9]+$ ]] || ((10#$n < 10)); then
	echo "usage: $prog [N]" >&2
	exit 64
fi
# shellcheck source=tests/bench/common.sh
. tests/bench/common.sh
if [[ ! -x $bin/notify-send ]]; then
	echo "$prog: cannot find '$bin/notify-send': build it first" >&2
	exit 69
fi
need /usr/bin/python3 "install python3 and python3-aiosmtpd"
need /usr/bin/time "install the 'time' package"
need curl
need openssl

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-notify.XXXXXX")
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	if [[ -f $tmp/pid ]]; then
		kill "$(cat "$tmp/pid")" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$tmp/root/spool"
echo "$tmp/root/spool" >"$tmp/root/current"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/key.pem" \
    -out "$tmp/cert.pem" -days 30 -subj "/CN=localhost" >/dev/null 2>&1
/usr/bin/python3 -W ignore tests/notify-server --root "$tmp/root" \
    --port-file "$tmp/ports" --cert "$tmp/cert.pem" --key "$tmp/key.pem" \
    >"$tmp/server.log" 2>&1 &
echo $! >"$tmp/pid"
for _ in $(seq 200); do
	[[ -s $tmp/ports ]] && break
	sleep 0.05
done
port=$(jq -r .smtp "$tmp/ports")

cat >"$tmp/orderkit.conf" <<EOF2
[shop]
name = Bench
lang = en
[smtp]
url = smtp://127.0.0.1:$port
tls = none
from = shop@example.com
EOF2

# gen N: N paid orders, each its own recipient.
gen() {
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf("{\"id\":\"B-%d\",\"status\":\"paid\",\"currency\":" \
			    "\"EUR\",\"customer\":{\"name\":\"Customer %d\"," \
			    "\"email\":\"c%d@example.com\"},\"totals\":{\"total\":" \
			    "%d}}\n", i, i, i, 1000 + i)
	}'
}

small=$((n / 10))
((small > 1000)) && curl_n=1000 || curl_n=$small
gen "$n" >"$tmp/big.jsonl"
gen "$small" >"$tmp/small.jsonl"
now=2026-11-20T12:00:00+03:00

echo "## notify-send: $n messages to a local SMTP server"
echo
echo "tests/notify-server (aiosmtpd) on 127.0.0.1, plain SMTP; notify-send on"
echo "a new SQLite store, every message an outbox entry, one connection; curl"
echo "sends the same rendered messages, one process (and connection) each."
echo
echo "| run | messages | seconds | messages/s | peak RSS MiB |"
echo "|---|---|---|---|---|"
measure "notify-send" "$n" "$bin/notify-send" --config "$tmp/orderkit.conf" \
    --db "$tmp/big.db" --now "$now" "$tmp/big.jsonl" || :
measure "notify-send, a tenth" "$small" "$bin/notify-send" \
    --config "$tmp/orderkit.conf" --db "$tmp/small.db" --now "$now" \
    "$tmp/small.jsonl" || :
measure "notify-send, again (sends nothing)" "$n" "$bin/notify-send" \
    --config "$tmp/orderkit.conf" --db "$tmp/big.db" --now "$now" \
    "$tmp/big.jsonl" || :
sent=$(find "$tmp/root/spool" -name '*.eml' | wc -l)

# The same messages for curl, rendered as notify-send sends them.
head -n "$curl_n" "$tmp/big.jsonl" >"$tmp/curl.jsonl"
"$bin/notify-send" --config "$tmp/orderkit.conf" --now "$now" \
    --dry-run "$tmp/eml" "$tmp/curl.jsonl" >/dev/null
cat >"$tmp/curl.sh" <<'EOF2'
#!/usr/bin/env bash
# Each message by its own curl process.
set -eu
port=$1
shift
for f in "$@"; do
	to=${f##*email_}
	to=${to%.eml}
	curl -sS --url "smtp://127.0.0.1:$port" \
	    --mail-from shop@example.com --mail-rcpt "$to" --upload-file "$f"
done
EOF2
chmod +x "$tmp/curl.sh"
measure "curl, a process a message" "$curl_n" "$tmp/curl.sh" "$port" \
    "$tmp"/eml/*.eml || :
echo
if [[ -f $tmp/rate.notify-send && -f "$tmp/rate.curl, a process a message" ]]; then
	awk -v a="$(cat "$tmp/rate.notify-send")" \
	    -v b="$(cat "$tmp/rate.curl, a process a message")" \
	    'BEGIN { printf("notify-send sends %.1f times as many messages a second as curl.\n", a / b) }'
fi
echo "The server took $sent messages from notify-send's three runs (expected $((n + small)))."
if ((sent != n + small)); then
	status=1
fi
echo
exit "$status"
