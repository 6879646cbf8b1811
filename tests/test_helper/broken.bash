# tests/test_helper/broken.bash: tests/fixtures/broken/ (not JSON, an
# array, bad UTF-8, a NUL byte, an empty file, CRLF and a BOM, bare
# numbers) through a program.  A new program adds one test that calls
# broken_lines, or, where its unit is not a line, checks its own counts.
# shellcheck disable=SC2154 # $stderr and $lines come from bats' run

# BROKEN_FILES: every fixture, so that a test cannot pass on fewer.
BROKEN_FILES=(array.jsonl bad-utf8.jsonl crlf-bom.jsonl empty.jsonl
    not-json.jsonl nul-byte.jsonl number.jsonl)

# nonblank FILE: how many lines of FILE hold more than white space.
nonblank() {
	grep -a -c -v $'^[ \t\r]*$' "$1" || :
}

# broken_lines CMD [ARG...]: for each fixture, CMD ARG... --rejects R FILE
# exits 0 (a crash is 128 and more, never 0), says nothing on standard
# error, and writes each non-blank line of FILE once: as a record on
# standard output or as a reject in R, each reject with an error code.
broken_lines() {
	local f rej out rejected

	broken_all
	for f in "${BROKEN_FILES[@]}"; do
		rej="$BATS_TEST_TMPDIR/$f.rej"
		rm -f "$rej"
		run -0 --separate-stderr "$@" --rejects "$rej" "$BROKEN/$f"
		assert_stderr ''
		out=${#lines[@]}
		rejected=$(count_lines "$rej")
		assert_equal "$f: $out out + $rejected rejected = $((out + rejected))" \
		    "$f: $out out + $rejected rejected = $(nonblank "$BROKEN/$f")"
		broken_codes "$rej"
	done
}

# broken_all: BROKEN_FILES names every file of tests/fixtures/broken/.
broken_all() {
	assert_equal "$(cd "$BROKEN" && echo *)" "${BROKEN_FILES[*]}"
}

# broken_codes REJECTS: each line of REJECTS (if any) is a reject with an
# error code.
broken_codes() {
	[[ -s $1 ]] || return 0
	run -0 jq -r '.errors[0].code // "none"' "$1"
	refute_line none
}
