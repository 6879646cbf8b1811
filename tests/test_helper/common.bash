# tests/test_helper/common.bash: setup shared by every tests/*.bats file.
# shellcheck disable=SC2154 # $stderr comes from run --separate-stderr
bats_load_library bats-support
bats_load_library bats-assert
PATH="${ORDERKIT_BIN:-$BATS_TEST_DIRNAME/../bin}:$PATH"
FIXTURES="$BATS_TEST_DIRNAME/fixtures/$(basename "$BATS_TEST_FILENAME" .bats)"
BROKEN="$BATS_TEST_DIRNAME/fixtures/broken"
export LC_ALL=C TZ=UTC FIXTURES BROKEN
unset LANG LC_MESSAGES ORDERKIT_DB

# assert_stderr [--partial] TEXT: assert_output, for $stderr.
assert_stderr() {
	if [[ $1 == --partial ]]; then
		[[ $stderr == *"$2"* ]] || fail "stderr lacks '$2'; it was: $stderr"
	else
		assert_equal "$stderr" "$1"
	fi
}

# count_lines FILE: the number of lines in FILE (0 when it is missing).
count_lines() {
	if [[ -f $1 ]]; then wc -l <"$1" | tr -d ' '; else echo 0; fi
}
