/* store_test.c: unit tests of store.h's helpers on a real SQLite file in
 * a directory of the test's own: where the store is (store_locate()),
 * which names are stores and which URLs are refused and how, the $N
 * placeholders read as ?N outside quotes, list parameters, migrations,
 * constraint violations and savepoints. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "store.h"
#include "unit.h"

static const struct store_migration migrations[] = {
	{ "unit", 1, "CREATE TABLE t (k TEXT PRIMARY KEY, v BIGINT NOT NULL)",
	    NULL },
	{ "unit", 2, "ALTER TABLE t ADD COLUMN note TEXT", NULL },
	{ "other", 1, "CREATE TABLE u (x BIGINT CHECK (x > 0))", NULL },
};
#define NMIG	(sizeof(migrations) / sizeof(migrations[0]))

/* Run fn(arg) in a child: its exit status (-1 if it returned, 128 + the
 * signal if one killed it) and, in *said, what it wrote on stderr (a new
 * string). */
static int
exit_of(void (*fn)(const char *), const char *arg, char **said)
{
	pid_t pid;
	int status;

	fflush(NULL);
	unit_stderr_begin();
	if ((pid = fork()) == -1) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		fn(arg);
		fflush(NULL);
		_exit(255);
	}
	waitpid(pid, &status, 0);
	*said = unit_stderr_end();
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status) == 255 ? -1 : WEXITSTATUS(status);
}

static void
open_it(const char *where)
{
	store_close(store_open(where, migrations, NMIG));
}

static void
locate_it(const char *dbarg)
{
	free(store_locate(dbarg));
}

/* store_locate(): --db, else a non-empty ORDERKIT_DB, else under an
 * absolute XDG_STATE_HOME, else under HOME; the directories it makes are
 * 0700; neither is exit 78. */
static void
test_locate(void)
{
	struct stat sb;
	char *state, *home, *want, *got, *said;

	state = unit_path("state");
	home = unit_path("home");
	mkdir(home, 0755);
	setenv("ORDERKIT_DB", "/env/store.db", 1);
	setenv("XDG_STATE_HOME", state, 1);
	setenv("HOME", home, 1);

	got = store_locate("/arg/store.db");
	expect_str("--db first", got, "/arg/store.db");
	free(got);
	got = store_locate(NULL);
	expect_str("then ORDERKIT_DB", got, "/env/store.db");
	free(got);

	setenv("ORDERKIT_DB", "", 1);
	got = store_locate(NULL);
	want = unit_path("state/orderkit/orderkit.db");
	expect_str("an empty ORDERKIT_DB: XDG_STATE_HOME", got, want);
	free(want);
	free(got);
	want = unit_path("state/orderkit");
	expect_int("XDG_STATE_HOME/orderkit is made",
	    stat(want, &sb) == 0 && S_ISDIR(sb.st_mode), 1);
	expect_int("... mode 0700", sb.st_mode & 07777, 0700);
	free(want);

	unsetenv("ORDERKIT_DB");
	setenv("XDG_STATE_HOME", "relative/state", 1);
	got = store_locate(NULL);
	want = unit_path("home/.local/state/orderkit/orderkit.db");
	expect_str("a relative XDG_STATE_HOME: HOME", got, want);
	free(want);
	free(got);
	want = unit_path("home/.local");
	expect_int("HOME/.local is made 0700",
	    stat(want, &sb) == 0 ? (int)(sb.st_mode & 07777) : -1, 0700);
	free(want);

	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	expect_int("no HOME: exit 78", exit_of(locate_it, NULL, &said),
	    EX_CONFIG);
	expect_str("... saying so", said, "store_test: no store: give --db, "
	    "or set ORDERKIT_DB or HOME\n");
	free(said);
	setenv("HOME", "relative", 1);
	expect_int("a relative HOME: exit 78", exit_of(locate_it, NULL,
	    &said), EX_CONFIG);
	free(said);
	unsetenv("HOME");
	free(state);
	free(home);
}

/* Which names are stores: an unknown scheme is 78, a postgresql:// URL
 * that cannot be parsed 78 and one that cannot be reached 75, neither
 * showing the password; a path with "://" after a '/' is a file; a file
 * that is not SQLite is 78; a bad ORDERKIT_DB_TIMEOUT is 78. */
static void
test_urls(void)
{
	char *said, *path, want[1024];

	expect_int("mysql://: exit 78", exit_of(open_it, "mysql://shop/x",
	    &said), EX_CONFIG);
	expect_str("... saying so", said, "store_test: bad store URL "
	    "'mysql://shop/x': only postgresql:// URLs and file paths are "
	    "stores\n");
	free(said);

	expect_int("an unparsable URL: exit 78", exit_of(open_it,
	    "postgresql://u:secret@[x", &said), EX_CONFIG);
	expect_true("... naming it without the password",
	    strstr(said, "bad store URL 'postgresql://u@[x'") != NULL &&
	    strstr(said, "secret") == NULL);
	free(said);

	expect_int("an unreachable server: exit 75", exit_of(open_it,
	    "postgres://u:secret@127.0.0.1:1/x", &said), EX_TEMPFAIL);
	expect_true("... naming it without the password",
	    strncmp(said, "store_test: cannot connect to store "
	    "'postgres://u@127.0.0.1:1/x': ", 62) == 0 &&
	    strstr(said, "; try again later\n") != NULL &&
	    strstr(said, "secret") == NULL);
	free(said);

	path = unit_path("no-dir://x.db");
	expect_int("\"://\" after a '/' is a path: exit 73 for no directory",
	    exit_of(open_it, path, &said), EX_CANTCREAT);
	expect_true("... a store that cannot be opened",
	    strncmp(said, "store_test: cannot open store '", 31) == 0);
	free(said);
	free(path);

	path = unit_file("text.db", "this is no SQLite file, not at all, "
	    "and it is long enough to have a header of 100 bytes: "
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
	    150);
	expect_int("a file that is not a store: exit 78", exit_of(open_it,
	    path, &said), EX_CONFIG);
	snprintf(want, sizeof(want), "store_test: store '%s' is not an "
	    "orderkit store: file is not a database\n", path);
	expect_str("... saying so", said, want);
	free(said);
	free(path);

	setenv("ORDERKIT_DB_TIMEOUT", "soon", 1);
	path = unit_path("timeout.db");
	expect_int("a bad ORDERKIT_DB_TIMEOUT: exit 78", exit_of(open_it,
	    path, &said), EX_CONFIG);
	expect_str("... saying so", said, "store_test: ORDERKIT_DB_TIMEOUT "
	    "'soon' is not a number of seconds\n");
	free(said);
	free(path);
	unsetenv("ORDERKIT_DB_TIMEOUT");
}

/* The text of one row and column of a query. */
static char *
one(struct store_stmt *s, const char *what)
{
	char *text = NULL;
	int rows = 0;

	while (store_next(s)) {
		if (rows++ == 0)
			text = store_null(s, 0) ? strdup("NULL") :
			    strdup(store_text(s, 0));
	}
	expect_int(what, rows, 1);
	return text != NULL ? text : strdup("");
}

/* A real SQLite file: migrations once each, in order; $N placeholders,
 * also past 9, read as ?N but not inside quotes; list parameters as JSON
 * arrays; NULL texts; a constraint violation returned with its message;
 * savepoints. */
static void
test_sqlite(void)
{
	static const char *const texts[] = { "a", "b\"c", "\xd0\x96" };
	static const int64_t ints[] = { 1, -2, INT64_MAX };
	struct store *st;
	struct store_stmt *s;
	char *path, *got;

	path = unit_path("store.db");
	st = store_open(path, migrations, NMIG);
	expect_int("store_kind()", store_kind(st), STORE_SQLITE);
	s = store_prepare(st, "SELECT component || ' ' || version FROM "
	    "schema_version ORDER BY component", NULL);
	expect_int("schema_version", store_query(s, ""), 0);
	expect_int("... other", store_next(s), 1);
	expect_str("... other 1", store_text(s, 0), "other 1");
	expect_int("... unit", store_next(s), 1);
	expect_str("... unit 2", store_text(s, 0), "unit 2");
	expect_int("... no more", store_next(s), 0);
	store_close(st);

	/* again: nothing runs twice (ALTER TABLE would fail) */
	st = store_open(path, migrations, NMIG);

	s = store_prepare(st, "SELECT $2 || ' $1 ' || \"$1\" || $1", NULL);
	store_query(s, "ss", "one", "two");
	got = one(s, "placeholders");
	expect_str("$N outside quotes only", got, "two $1 $1one");
	free(got);

	s = store_prepare(st, "SELECT $10 || $1 || $2", NULL);
	store_query(s, "ssssssssss", "p1", "p2", "p3", "p4", "p5", "p6", "p7",
	    "p8", "p9", "p10");
	got = one(s, "ten placeholders");
	expect_str("$10 is the tenth", got, "p10p1p2");
	free(got);

	s = store_prepare(st, "SELECT group_concat(value, '|') FROM "
	    "json_each($1)", NULL);
	store_query(s, "S", texts, (size_t)3);
	got = one(s, "a list of texts");
	expect_str("a list of texts, as a JSON array", got,
	    "a|b\"c|\xd0\x96");
	free(got);
	store_query(s, "I", ints, (size_t)3);
	got = one(s, "a list of integers");
	expect_str("a list of integers", got, "1|-2|9223372036854775807");
	free(got);
	store_query(s, "S", texts, (size_t)0);
	got = one(s, "an empty list");
	expect_str("an empty list", got, "NULL");
	free(got);

	s = store_prepare(st, "SELECT $1 IS NULL, $2", NULL);
	store_query(s, "si", (const char *)NULL, (int64_t)-5);
	expect_int("a NULL text and an integer", store_next(s), 1);
	expect_int("... NULL", store_int(s, 0), 1);
	expect_int("... integer", store_int(s, 1), -5);
	store_done(s);

	s = store_prepare(st, "INSERT INTO t (k, v) VALUES ($1, $2)", NULL);
	store_begin(st);
	expect_int("an insert", store_exec(s, "si", "k1", (int64_t)1), 1);
	store_savepoint(st, "sp");
	expect_int("a duplicate key is -1", store_exec(s, "si", "k1",
	    (int64_t)2), -1);
	expect_str("... with SQLite's words", store_error(st),
	    "UNIQUE constraint failed: t.k");
	store_rollback_to(st, "sp");
	expect_int("after the savepoint", store_exec(s, "si", "k2",
	    (int64_t)2), 1);
	store_release(st, "sp");
	store_commit(st);
	s = store_prepare(st, "INSERT INTO u (x) VALUES ($1)", NULL);
	store_begin(st);
	expect_int("a CHECK violation is -1", store_exec(s, "i",
	    (int64_t)0), -1);
	expect_str("... with its words", store_error(st),
	    "CHECK constraint failed: x > 0");
	store_rollback(st);
	s = store_prepare(st, "SELECT group_concat(k || '=' || v, ',') FROM "
	    "(SELECT k, v FROM t ORDER BY k)", NULL);
	store_query(s, "");
	got = one(s, "rows");
	expect_str("what was committed", got, "k1=1,k2=2");
	free(got);
	store_close(st);
	free(path);
}

int
main(void)
{
	unsetenv("ORDERKIT_DB_TIMEOUT");
	test_locate();
	test_urls();
	test_sqlite();
	unit_cleanup();
	return unit_summary("store");
}
