/* sqlite.c: the store's SQLite backend: a file in WAL mode. */
#include <err.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <sqlite3.h>

#include "store.h"
#include "store-int.h"
#include "xalloc.h"

struct lite_store {
	struct store	 base;
	sqlite3		*db;
};

struct lite_stmt {
	struct store_stmt base;
	sqlite3_stmt	*stmt;
	int		 row;		/* a row stepped to, not yet returned */
};

static sqlite3 *
db_of(struct store *st)
{
	return ((struct lite_store *)st)->db;
}

static struct lite_stmt *
lite(struct store_stmt *s)
{
	return (struct lite_stmt *)s;
}

/* SQLite's failures, in DESIGN.md's exit statuses.  Returns -1 for a
 * constraint violation; exits otherwise. */
static int
lite_fail(struct store *st, int rc, const char *what)
{
	const char *msg = sqlite3_errmsg(db_of(st));

	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		snprintf(st->error, sizeof(st->error), "%s", msg);
		return -1;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		errx(EX_TEMPFAIL, "store '%s' is locked: still busy after %d "
		    "seconds; try again later", st->name, st->timeout);
	case SQLITE_FULL:
	case SQLITE_IOERR:
		errx(EX_IOERR, "cannot write store '%s': %s", st->name, msg);
	case SQLITE_READONLY:
		errx(EX_CANTCREAT, "cannot write store '%s': %s", st->name,
		    msg);
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		errx(EX_CANTCREAT, "cannot open store '%s': %s", st->name,
		    msg);
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		errx(EX_CONFIG, "store '%s' is not an orderkit store: %s",
		    st->name, msg);
	case SQLITE_NOMEM:
		xnomem();
	default:
		errx(EX_SOFTWARE, "store '%s': %s: %s", st->name, what, msg);
	}
}

static void
lite_run(struct store *st, const char *sql)
{
	char *msg = NULL;
	int rc;

	if ((rc = sqlite3_exec(db_of(st), sql, NULL, NULL, &msg)) !=
	    SQLITE_OK) {
		sqlite3_free(msg);
		if (lite_fail(st, rc, sql) == -1)
			errx(EX_SOFTWARE, "store '%s': %s: %s", st->name, sql,
			    st->error);
	}
}

/* Seconds on the monotonic clock. */
static double
monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
lite_open(struct store *st, const char *path)
{
	const struct timespec pause = { 0, 20 * 1000 * 1000 };
	struct lite_store *ls = (struct lite_store *)st;
	double deadline;
	char *msg = NULL;
	int rc;

	rc = sqlite3_open_v2(path, &ls->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	    NULL);
	if (rc != SQLITE_OK) {
		if (ls->db == NULL)
			xnomem();
		errx(EX_CANTCREAT, "cannot open store '%s': %s", path,
		    sqlite3_errmsg(ls->db));
	}
	sqlite3_extended_result_codes(ls->db, 0);
	sqlite3_busy_timeout(ls->db, st->timeout * 1000);
	/* A file not yet in WAL mode (a new store) needs the file alone to
	 * switch; with another writer in it, SQLite answers SQLITE_BUSY at
	 * once rather than call the busy handler, so the switch is tried
	 * again here until the timeout. */
	deadline = monotonic() + st->timeout;
	while ((rc = sqlite3_exec(ls->db, "PRAGMA journal_mode=WAL", NULL,
	    NULL, &msg)) == SQLITE_BUSY && monotonic() < deadline) {
		sqlite3_free(msg);
		msg = NULL;
		nanosleep(&pause, NULL);
	}
	sqlite3_free(msg);
	if (rc != SQLITE_OK)
		lite_fail(st, rc, "PRAGMA journal_mode=WAL");
	lite_run(st, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
}

static void
lite_close(struct store *st)
{
	if (db_of(st) != NULL)
		sqlite3_close(db_of(st));
}

/* $N to ?N, outside quotes. */
static char *
lite_sql(const char *sql)
{
	struct store_buf b = { 0 };
	char quote = 0;
	const char *p;

	for (p = sql; *p != '\0'; p++) {
		if (quote != 0) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"')
			quote = *p;
		else if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
			store_buf_putc(&b, '?');
			continue;
		}
		store_buf_putc(&b, *p);
	}
	return b.s;
}

static void
lite_prepare(struct store_stmt *s, const char *sql)
{
	char *text;
	int rc;

	text = lite_sql(sql);
	rc = sqlite3_prepare_v2(db_of(s->st), text, -1, &lite(s)->stmt, NULL);
	if (rc != SQLITE_OK)
		lite_fail(s->st, rc, text);
	free(text);
}

static void
lite_finalize(struct store_stmt *s)
{
	if (lite(s)->stmt != NULL)
		sqlite3_finalize(lite(s)->stmt);
}

static void
lite_bind(struct store_stmt *s, const char *fmt, va_list *ap)
{
	sqlite3_stmt *stmt = lite(s)->stmt;
	const char *text;
	char *list;
	int i, rc = SQLITE_OK;

	sqlite3_reset(stmt);
	lite(s)->row = 0;
	for (i = 0; fmt[i] != '\0' && rc == SQLITE_OK; i++) {
		switch (fmt[i]) {
		case 'i':
			rc = sqlite3_bind_int64(stmt, i + 1,
			    va_arg(*ap, int64_t));
			break;
		case 's':
			if ((text = va_arg(*ap, const char *)) == NULL)
				rc = sqlite3_bind_null(stmt, i + 1);
			else
				rc = sqlite3_bind_text(stmt, i + 1, text, -1,
				    SQLITE_TRANSIENT);
			break;
		case 'S':
		case 'I':
			list = store_list_text(ap, fmt[i] == 'S', 1);
			rc = sqlite3_bind_text(stmt, i + 1, list, -1, free);
			break;
		default:
			errx(EX_SOFTWARE, "store: bad parameter type '%c'",
			    fmt[i]);
		}
	}
	if (rc != SQLITE_OK)
		lite_fail(s->st, rc, "bind");
}

static long
lite_exec(struct store_stmt *s, const char *fmt, va_list *ap)
{
	sqlite3_stmt *stmt = lite(s)->stmt;
	int rc;

	lite_bind(s, fmt, ap);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		continue;
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return lite_fail(s->st, rc, sqlite3_sql(stmt));
	return sqlite3_changes(db_of(s->st));
}

static int
lite_query(struct store_stmt *s, const char *fmt, va_list *ap)
{
	sqlite3_stmt *stmt = lite(s)->stmt;
	int rc;

	lite_bind(s, fmt, ap);
	/* Step now, so a constraint violation is the caller's here. */
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		lite(s)->row = 1;
		return 0;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return lite_fail(s->st, rc, sqlite3_sql(stmt));
	lite(s)->row = -1;		/* no rows */
	return 0;
}

static int
lite_next(struct store_stmt *s)
{
	struct lite_stmt *ls = lite(s);
	int rc;

	if (ls->row == 1) {
		ls->row = 2;
		return 1;
	}
	if (ls->row == -1 || ls->row == 0) {
		ls->row = 0;
		return 0;
	}
	rc = sqlite3_step(ls->stmt);
	if (rc == SQLITE_ROW)
		return 1;
	ls->row = 0;
	sqlite3_reset(ls->stmt);
	if (rc != SQLITE_DONE && lite_fail(s->st, rc,
	    sqlite3_sql(ls->stmt)) == -1)
		errx(EX_SOFTWARE, "store '%s': %s", s->st->name,
		    s->st->error);
	return 0;
}

static void
lite_done(struct store_stmt *s)
{
	sqlite3_reset(lite(s)->stmt);
	lite(s)->row = 0;
}

static const char *
lite_text(struct store_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(lite(s)->stmt, col);
}

static int64_t
lite_integer(struct store_stmt *s, int col)
{
	return sqlite3_column_int64(lite(s)->stmt, col);
}

static int
lite_null(struct store_stmt *s, int col)
{
	return sqlite3_column_type(lite(s)->stmt, col) == SQLITE_NULL;
}

const struct store_ops store_sqlite_ops = {
	.kind = STORE_SQLITE,
	.store_size = sizeof(struct lite_store),
	.stmt_size = sizeof(struct lite_stmt),
	/* The write lock at once, so a transaction that reads and then
	 * writes never fails half way for another writer. */
	.begin = "BEGIN IMMEDIATE",
	.migrate_lock = NULL,
	.open = lite_open,
	.close = lite_close,
	.run = lite_run,
	.prepare = lite_prepare,
	.finalize = lite_finalize,
	.exec = lite_exec,
	.query = lite_query,
	.next = lite_next,
	.done = lite_done,
	.text = lite_text,
	.integer = lite_integer,
	.null = lite_null,
};
