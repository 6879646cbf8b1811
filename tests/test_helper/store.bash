# tests/test_helper/store.bash: the same store tests on SQLite and on a
# throwaway PostgreSQL server (scripts/pg-test.sh), one server per file.
# shellcheck disable=SC2154 # BATS_* come from bats

# pg_start: in setup_file.  A missing PostgreSQL fails, never skips.
pg_start() {
	PGTEST_DIR="$BATS_FILE_TMPDIR/pg"
	PGTEST_URL=$("$BATS_TEST_DIRNAME/../scripts/pg-test.sh" start \
	    "$PGTEST_DIR")
	export PGTEST_DIR PGTEST_URL
}

# pg_stop: in teardown_file.
pg_stop() {
	"$BATS_TEST_DIRNAME/../scripts/pg-test.sh" stop "$PGTEST_DIR"
}

# use_backend [--none] sqlite|postgres: ORDERKIT_DB names a new store
# without a component yet (its table schema_version alone, so that the
# first program does not say it created the store): a file in the test's
# directory, or a schema of its own on the server.  With --none, no store
# at all: no file, or a schema without tables.
use_backend() {
	local schema none=

	if [[ $1 == --none ]]; then
		none=1
		shift
	fi
	BACKEND=$1
	case $1 in
	sqlite)
		ORDERKIT_DB="$BATS_TEST_TMPDIR/orderkit.db"
		;;
	postgres)
		schema="t${BATS_TEST_NUMBER}_$$"
		psql -q -v ON_ERROR_STOP=1 "$PGTEST_URL" \
		    -c "CREATE SCHEMA $schema" >/dev/null
		ORDERKIT_DB="$PGTEST_URL?options=-csearch_path%3D$schema"
		;;
	esac
	export ORDERKIT_DB BACKEND
	if [[ -z $none ]]; then
		make_store
	fi
}

# make_store: make ORDERKIT_DB (of BACKEND) a store without a component.
make_store() {
	sql "CREATE TABLE IF NOT EXISTS schema_version (component TEXT PRIMARY KEY,
	    version BIGINT NOT NULL)" >/dev/null
}

# sql QUERY: run QUERY on the current store, print rows as a|b|c.
sql() {
	if [[ $BACKEND == sqlite ]]; then
		sqlite3 "$ORDERKIT_DB" "$1"
	else
		psql -qAtX -v ON_ERROR_STOP=1 "$ORDERKIT_DB" -c "$1"
	fi
}

# read_only_store: from here on ORDERKIT_DB names the current store as one
# the programs may not write: the SQLite file made read-only (run them with
# no_override, as root may write it anyway), or on PostgreSQL a role that
# may only read it.
read_only_store() {
	local role schema

	if [[ $BACKEND == sqlite ]]; then
		chmod a-w "$ORDERKIT_DB"
		return
	fi
	role="ro${BATS_TEST_NUMBER}_$$"
	schema="t${BATS_TEST_NUMBER}_$$"
	psql -q -v ON_ERROR_STOP=1 "$ORDERKIT_DB" -c "CREATE ROLE $role LOGIN" \
	    -c "GRANT USAGE ON SCHEMA $schema TO $role" \
	    -c "GRANT SELECT ON ALL TABLES IN SCHEMA $schema TO $role" >/dev/null
	ORDERKIT_DB="${PGTEST_URL/orderkit@/$role@}?options=-csearch_path%3D$schema"
}

# no_override CMD...: CMD without root's power to write a read-only file.
no_override() {
	if ((EUID == 0)); then
		setpriv --inh-caps=-dac_override --bounding-set=-dac_override \
		    -- "$@"
	else
		"$@"
	fi
}
