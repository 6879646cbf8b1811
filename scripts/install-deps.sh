#!/bin/sh
# install-deps.sh: install the Debian packages orderkit's build, tests,
# benchmarks and fuzzing (clang's libFuzzer) need; does nothing when they
# are all there.
set -eu

PACKAGES="gcc make pkg-config libjansson-dev libcsv-dev libcurl4-openssl-dev
libssl-dev libunistring-dev libxml2-dev libsqlite3-dev libpq-dev sqlite3
postgresql bats bats-support bats-assert jq mandoc shellcheck valgrind time
miller python3 python3-aiosmtpd openssl curl
clang libclang-rt-14-dev
libcairo2-dev libfontconfig-dev libzint-dev fonts-dejavu-core zbar-tools
poppler-utils
chromium"

# label-gen's tests draw its ZPL with zpl-renderer-js from npm (Debian has
# no ZPL renderer), kept in build/npm; they skip those checks without it.
top=$(cd "$(dirname "$0")/.." && pwd)
if command -v npm >/dev/null 2>&1 &&
    [ ! -d "$top/build/npm/node_modules/zpl-renderer-js" ]; then
	mkdir -p "$top/build/npm"
	npm install --silent --no-audit --no-fund --prefix "$top/build/npm" \
	    zpl-renderer-js@3.4.0 >/dev/null 2>&1 ||
	    echo "install-deps.sh: npm cannot install zpl-renderer-js;" \
	        "label-gen's ZPL rendering tests will skip" >&2
fi

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
	for p in $PACKAGES; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		case $status in
		*" installed") ;;
		*) missing="$missing $p" ;;
		esac
	done
else
	echo "install-deps.sh: no dpkg here; install by hand: $PACKAGES" >&2
	exit 0
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "install-deps.sh: need root or sudo to install:$missing" >&2
	exit 1
fi
echo "install-deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # word splitting of the package list is meant
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
