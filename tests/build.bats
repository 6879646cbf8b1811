# tests/build.bats: the Makefile: what a fresh machine is told, the flags of
# each kind of build, and the libraries each program links.
bats_require_minimum_version 1.5.0

setup() {
	load test_helper/common
	TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
}

# mk ARGS...: make in the top directory, as a user would run it: not as part
# of the make that runs these tests.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -C "$TOP" --no-print-directory "$@"
}

# needed PROGRAM: the libraries of ours PROGRAM names as needed, sorted.
needed() {
	readelf -d "$(command -v "$1")" |
	    sed -n 's/.*(NEEDED).*\[\(lib[a-z0-9]*\)\.so.*/\1/p' |
	    grep -Ev '^lib(c|m|asan|ubsan|gcc_s|stdc)$' | sort | tr '\n' ' '
}

@test "a library pkg-config cannot find stops make naming its Debian package" {
	mkdir "$BATS_TEST_TMPDIR/no-pc"
	PKG_CONFIG_LIBDIR="$BATS_TEST_TMPDIR/no-pc" run -2 --separate-stderr \
	    mk O="$BATS_TEST_TMPDIR/b" all
	assert_output ''
	assert_stderr --partial "make: jansson not found: apt-get install libjansson-dev (or run scripts/install-deps.sh)"
	assert_stderr --partial "make: sqlite3 not found: apt-get install libsqlite3-dev"
	assert_stderr --partial "make: libpq not found: apt-get install libpq-dev"
	assert_stderr --partial "make: libcurl not found: apt-get install libcurl4-openssl-dev"
	assert_stderr --partial "make: libcrypto not found: apt-get install libssl-dev"
	assert_stderr --partial "make: libxml-2.0 not found: apt-get install libxml2-dev"
	refute [ -e "$BATS_TEST_TMPDIR/b" ]
}

@test "a library without a .pc whose header is missing names its Debian package" {
	run -2 --separate-stderr mk O="$BATS_TEST_TMPDIR/b" CC='cc -nostdinc' \
	    all
	assert_output ''
	assert_stderr --partial "make: libcsv not found: apt-get install libcsv-dev (or run scripts/install-deps.sh)"
	assert_stderr --partial "make: libunistring not found: apt-get install libunistring-dev"
	refute [ -e "$BATS_TEST_TMPDIR/b" ]
}

@test "no pkg-config at all is said before anything is compiled" {
	run -2 --separate-stderr mk O="$BATS_TEST_TMPDIR/b" \
	    PKG_CONFIG=no-such-pkg-config all
	assert_output ''
	assert_stderr --partial "make: no-such-pkg-config not found: apt-get install pkg-config"
	refute [ -e "$BATS_TEST_TMPDIR/b" ]
}

@test "a plain make compiles without -Werror" {
	run -0 --separate-stderr mk -n O="$BATS_TEST_TMPDIR/b" all
	assert_output --partial ' -Wall -Wextra '
	assert_output --partial "-o $BATS_TEST_TMPDIR/b/lib/jsonl.o"
	refute_output --partial '-Werror'
}

@test "make check and make asan compile with -Werror" {
	run -0 --separate-stderr mk -n CHECK_O="$BATS_TEST_TMPDIR/c" check
	assert_output --partial "-Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DORDERKIT_VERSION='\"0.1.0\"' -Ilib"
	assert_output --partial "-o $BATS_TEST_TMPDIR/c/lib/jsonl.o"
	run -0 --separate-stderr mk -n ASAN_O="$BATS_TEST_TMPDIR/a" asan
	assert_output --partial '-Wall -Wextra -Werror'
	assert_output --partial "-fno-sanitize-recover=all -c -o $BATS_TEST_TMPDIR/a/lib/jsonl.o"
}

@test "each program links only the libraries it uses" {
	assert_equal "$(needed order-import)" 'libcsv libjansson '
	assert_equal "$(needed order-validate)" 'libcsv libjansson '
	assert_equal "$(needed order-export)" 'libjansson '
	assert_equal "$(needed order-reserve)" 'libjansson libpq libsqlite3 '
	assert_equal "$(needed stock-levels)" 'libjansson libpq libsqlite3 '
	assert_equal "$(needed stock-load)" 'libcsv libjansson libpq libsqlite3 '
	assert_equal "$(needed pay-reconcile)" \
	    'libcsv libjansson libpq libsqlite3 '
	# The carriers' adapters track and book; booking reads the catalog
	# for parcels, so both programs on the network link libcsv.
	local net='libcrypto libcsv libcurl libjansson libpq libsqlite3 '
	net+='libunistring libxml2 '
	assert_equal "$(needed track-poll)" "$net"
	assert_equal "$(needed ship-book)" "$net"
	assert_equal "$(needed label-gen)" \
	    'libcairo libcsv libfontconfig libjansson libzint '
	# notify-send reaches neither the catalog nor the carriers.
	assert_equal "$(needed notify-send)" \
	    'libcrypto libcurl libjansson libpq libsqlite3 '
	assert_equal "$(needed order-stats)" 'libjansson '
}

@test "make install PROGRAM_PREFIX=ok- installs every program and page with the prefix, and the templates" {
	local o

	# The tree the tests run, built already: install only copies it.
	o=$(cd "$(dirname "$(command -v notify-send)")/.." && pwd)
	run -0 --separate-stderr mk install PROGRAM_PREFIX=ok- \
	    DESTDIR="$BATS_TEST_TMPDIR/d" O="$o"
	assert [ -x "$BATS_TEST_TMPDIR/d/usr/local/bin/ok-notify-send" ]
	assert [ -x "$BATS_TEST_TMPDIR/d/usr/local/bin/ok-ship-book" ]
	refute [ -e "$BATS_TEST_TMPDIR/d/usr/local/bin/notify-send" ]
	assert [ -f "$BATS_TEST_TMPDIR/d/usr/local/share/man/man1/ok-notify-send.1" ]
	assert [ -f "$BATS_TEST_TMPDIR/d/usr/local/share/orderkit/templates/shipped.email.ru" ]
}

@test "no program names a library it does not use" {
	local p

	for p in order-import order-validate order-export order-reserve \
	    stock-levels stock-load pay-reconcile track-poll ship-book \
	    notify-send label-gen order-stats; do
		run -0 --separate-stderr ldd -u -r "$(command -v "$p")"
		assert_output ''
	done
}

@test "the README's first screen names only programs that exist, and what make check costs" {
	local prog
	run -0 head -n 30 "$TOP/README.md"
	for prog in label-gen notify-send return-open order-stats; do
		[[ -e $TOP/cmd/$prog.c ]] && continue
		refute_output --partial "$prog"
	done
	for prog in "$TOP"/cmd/*.c; do
		prog=$(basename "$prog" .c)
		assert_output --partial "\`$prog\`"
	done
	run -0 grep -A1 '^make check' "$TOP/README.md"
	assert_output --partial 'minutes'
	assert_output --partial 'PostgreSQL'
}

@test "the README names exactly the programs that take --rejects, --stats and --strict" {
	local prog listed
	listed=$(sed -n '/^rejects nothing) take/,/exit with/p' "$TOP/README.md")
	for prog in "$TOP"/cmd/*.c; do
		if grep -q CLI_OPT_STRICT "$prog" && grep -q CLI_OPT_REJECTS "$prog" &&
		    grep -q CLI_OPT_STATS "$prog"; then
			[[ $listed == *"\`$(basename "$prog" .c)\`"* ]] ||
			    fail "README lacks $(basename "$prog" .c)"
		else
			[[ $listed != *"\`$(basename "$prog" .c)\`"* ]] ||
			    fail "README lists $(basename "$prog" .c)"
		fi
	done
}
