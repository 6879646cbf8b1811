#!/bin/sh
# pg-test.sh: a throwaway PostgreSQL server for tests and benchmarks.
#
# usage: scripts/pg-test.sh start DIR    start a server with its data in DIR
#                                        (a new, empty directory), print its
#                                        postgresql:// URL on standard output
#        scripts/pg-test.sh stop DIR     stop it and remove DIR
#        scripts/pg-test.sh url DIR      print the URL again
#
# The server listens on 127.0.0.1 only, on a free port, and trusts local
# connections (it holds test data only).  initdb refuses to run as root: as
# root the server runs as the "postgres" user of the Debian package, with
# its data in a directory of its own under /tmp (DIR/pgdata names it), since
# DIR may sit where that user cannot go.  The binaries are taken
# from PATH or from /usr/lib/postgresql/*/bin; without them the script exits
# 69, so a test run cannot pass by skipping PostgreSQL unnoticed.
set -eu

prog=pg-test.sh

usage() {
	echo "usage: $prog start|stop|url DIR" >&2
	exit 64
}

[ $# -eq 2 ] || usage
cmd=$1
dir=$2

find_bin() {
	if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1
	then
		dirname "$(command -v initdb)"
		return
	fi
	for d in /usr/lib/postgresql/*/bin; do
		if [ -x "$d/initdb" ]; then
			echo "$d"
			return
		fi
	done
	echo "$prog: cannot find initdb: install PostgreSQL" \
	    "(scripts/install-deps.sh)" >&2
	exit 69
}

# as_owner CMD...: run CMD as the owner of the data directory.
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

case $cmd in
start)
	bin=$(find_bin)
	mkdir -p "$dir"
	if [ -n "$(ls -A "$dir")" ]; then
		echo "$prog: '$dir' is not empty" >&2
		exit 73
	fi
	data=$(mktemp -d "${TMPDIR:-/tmp}/orderkit-pg.XXXXXX")
	echo "$data" >"$dir/pgdata"
	if [ "$(id -u)" -eq 0 ]; then
		if ! id postgres >/dev/null 2>&1; then
			echo "$prog: running as root needs a 'postgres' user" >&2
			exit 69
		fi
		chmod 755 "$data"	# mktemp's parent may be 1777 /tmp
		chown postgres "$data"
	fi
	as_owner "$bin/initdb" -D "$data/data" -U orderkit -A trust -E UTF8 \
	    --locale=C >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		exit 70
	}
	port=$(free_port)
	as_owner "$bin/pg_ctl" -D "$data/data" -l "$data/server.log" -w \
	    -t 60 -o "-c listen_addresses=127.0.0.1 -c port=$port \
	    -c unix_socket_directories='$data' -c max_connections=50 \
	    -c shared_buffers=64MB" start >/dev/null || {
		cat "$data/server.log" >&2
		exit 70
	}
	echo "postgresql://orderkit@127.0.0.1:$port/postgres" >"$dir/url"
	cat "$dir/url"
	;;
stop)
	bin=$(find_bin)
	if [ -f "$dir/pgdata" ]; then
		data=$(cat "$dir/pgdata")
		as_owner "$bin/pg_ctl" -D "$data/data" -m fast -w stop \
		    >/dev/null 2>&1 || true
		case $data in
		*/orderkit-pg.*) rm -rf "$data" ;;
		esac
	fi
	rm -rf "$dir"
	;;
url)
	cat "$dir/url"
	;;
*)
	usage
	;;
esac
