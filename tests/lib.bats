#!/usr/bin/env bats
# lib.bats: how the files of lib/ depend on each other, read from the
# objects the build left beside the programs ($ORDERKIT_BIN/../lib).
bats_require_minimum_version 1.5.0
setup() {
	load test_helper/common
	LIBOBJ="${ORDERKIT_BIN:-$BATS_TEST_DIRNAME/../bin}/../lib"
	[[ -f $LIBOBJ/jsonl.o ]] || skip "no objects in '$LIBOBJ'"
}

# calls: "A.o B.o" for each object A that calls a function B defines.
calls() {
	local o
	for o in "$LIBOBJ"/*.o "$LIBOBJ"/*/*.o; do
		nm "$o" | awk -v o="${o#"$LIBOBJ"/}" '
		    $1 == "U" { print "U", o, $2 }
		    NF == 3 && $2 ~ /^[TDBR]$/ { print "D", o, $3 }'
	done | awk '$1 == "D" { def[$3] = $2; next }
	    { use[$2, $3] = 1 }
	    END { for (k in use) { split(k, p, SUBSEP)
		if ((p[2] in def) && def[p[2]] != p[1])
			print p[1], def[p[2]] } }' | sort -u
}

@test "no two files of lib/ call each other, but within one subsystem folder" {
	run -0 calls
	local pairs=$output
	run -0 awk '{ a[$1, $2] = 1 } END { for (k in a) { split(k, p, SUBSEP)
		d1 = p[1]; d2 = p[2]; sub(/[^\/]*$/, "", d1); sub(/[^\/]*$/, "", d2)
		if (((p[2], p[1]) in a) && p[1] < p[2] && (d1 == "" || d1 != d2))
			print p[1] " <-> " p[2] } }' <<<"$pairs"
	assert_output ''
}

@test "jsonl.o calls nothing of reject.o: rejects are written as JSON lines" {
	run -0 calls
	assert_line 'reject.o jsonl.o'
	refute_line 'jsonl.o reject.o'
}
