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
