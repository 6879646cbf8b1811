/* store.c: the state store over SQLite and PostgreSQL (libpq). */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "store.h"
#include "xalloc.h"

extern char *program_invocation_short_name;

struct store_stmt {
	struct store	*st;
	struct store_stmt *next;	/* the store's list */
	sqlite3_stmt	*lite;
	int		 lite_row;	/* a row stepped to, not yet returned */
	char		*pg_sql;
	char		 pg_name[16];	/* "", until prepared on the server */
	PGresult	*pg_res;
	int		 pg_row, pg_nrows;
};

struct store {
	enum store_kind	 kind;
	sqlite3		*db;
	PGconn		*pg;
	char		*name;		/* for messages: no password */
	int		 timeout;	/* seconds */
	int		 in_tx;
	int		 nstmts;
	struct store_stmt *stmts;
	char		 error[1024];
};

/* A growing text. */
struct buf {
	char	*s;
	size_t	 len, cap;
};

static void
buf_put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 256;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
buf_putc(struct buf *b, char c)
{
	buf_put(b, &c, 1);
}

static void
buf_int(struct buf *b, int64_t v)
{
	char tmp[24];

	buf_put(b, tmp, snprintf(tmp, sizeof(tmp), "%" PRId64, v));
}

/* s as a JSON string (SQLite lists) or a PostgreSQL array element. */
static void
buf_quoted(struct buf *b, const char *s, int json)
{
	const unsigned char *p;
	char esc[8];

	buf_putc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, *p);
		} else if (json && *p < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			buf_put(b, esc, 6);
		} else
			buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

static int
env_timeout(void)
{
	const char *s = getenv("ORDERKIT_DB_TIMEOUT");
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return 10;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > 86400)
		errx(EX_CONFIG, "ORDERKIT_DB_TIMEOUT '%s' is not a number of "
		    "seconds", s);
	return (int)v;
}

/* mkdir -p, mode 0700 for what it creates. */
static void
make_dirs(char *path)
{
	char *p;

	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST)
			err(EX_CANTCREAT, "cannot create '%s'", path);
		*p = '/';
	}
	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		err(EX_CANTCREAT, "cannot create '%s'", path);
}

char *
store_locate(const char *dbarg)
{
	const char *s, *base, *sub;
	char *dir, *path;
	size_t n;

	if (dbarg != NULL)
		return xstrdup(dbarg);
	if ((s = getenv("ORDERKIT_DB")) != NULL && *s != '\0')
		return xstrdup(s);
	if ((base = getenv("XDG_STATE_HOME")) != NULL && *base == '/')
		sub = "/orderkit";
	else if ((base = getenv("HOME")) != NULL && *base == '/')
		sub = "/.local/state/orderkit";
	else
		errx(EX_CONFIG, "no store: give --db, or set ORDERKIT_DB or "
		    "HOME");
	n = strlen(base) + strlen(sub) + 1;
	dir = xmalloc(n);
	snprintf(dir, n, "%s%s", base, sub);
	make_dirs(dir);
	n += strlen("/orderkit.db");
	path = xmalloc(n);
	snprintf(path, n, "%s/orderkit.db", dir);
	free(dir);
	return path;
}

static int
is_pg_url(const char *where)
{
	return strncmp(where, "postgresql://", 13) == 0 ||
	    strncmp(where, "postgres://", 11) == 0;
}

/* The URL without the password, for messages. */
static char *
display_name(const char *where)
{
	const char *auth, *at, *colon, *slash;
	struct buf b = { 0 };

	if (!is_pg_url(where))
		return xstrdup(where);
	auth = strstr(where, "://") + 3;
	slash = strchr(auth, '/');
	at = strchr(auth, '@');
	if (at == NULL || (slash != NULL && at > slash))
		return xstrdup(where);
	colon = memchr(auth, ':', at - auth);
	if (colon == NULL)
		return xstrdup(where);
	buf_put(&b, where, colon - where);
	buf_put(&b, at, strlen(at));
	return b.s;
}

/* SQLite's failures, in DESIGN.md's exit statuses.  Returns -1 for a
 * constraint violation; exits otherwise. */
static int
lite_fail(struct store *st, int rc, const char *what)
{
	const char *msg = sqlite3_errmsg(st->db);

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

/* PostgreSQL's failures likewise; res is cleared. */
static int
pg_fail(struct store *st, PGresult *res, const char *what)
{
	const char *state, *msg;
	char *line;
	int status;

	state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	msg = res != NULL ? PQresultErrorMessage(res) : "";
	if (msg == NULL || *msg == '\0')
		msg = PQerrorMessage(st->pg);
	line = xstrdup(msg);
	line[strcspn(line, "\n")] = '\0';
	if (state != NULL && strncmp(state, "23", 2) == 0) {
		snprintf(st->error, sizeof(st->error), "%s", line);
		free(line);
		PQclear(res);
		return -1;
	}
	/* A role that may not write, a read-only server or transaction: a
	 * store we cannot write, as a read-only SQLite file is. */
	if (state != NULL && (strcmp(state, "42501") == 0 ||
	    strcmp(state, "25006") == 0)) {
		msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		warnx("cannot write store '%s': %s", st->name,
		    msg != NULL ? msg : line);
		free(line);
		PQclear(res);
		exit(EX_CANTCREAT);
	}
	if (PQstatus(st->pg) == CONNECTION_BAD ||
	    (state != NULL && (strncmp(state, "08", 2) == 0 ||
	    strncmp(state, "40", 2) == 0 || strncmp(state, "53", 2) == 0 ||
	    strncmp(state, "57", 2) == 0 || strcmp(state, "55P03") == 0)))
		status = EX_TEMPFAIL;
	else
		status = EX_SOFTWARE;
	warnx("store '%s': %s: %s%s", st->name, what, line,
	    status == EX_TEMPFAIL ? "; try again later" : "");
	free(line);
	PQclear(res);
	exit(status);
}

/* Run sql (one or more statements, no parameters). */
static void
run(struct store *st, const char *sql)
{
	PGresult *res;
	char *msg = NULL;
	int rc;

	if (st->kind == STORE_SQLITE) {
		if ((rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg)) !=
		    SQLITE_OK) {
			sqlite3_free(msg);
			if (lite_fail(st, rc, sql) == -1)
				errx(EX_SOFTWARE, "store '%s': %s: %s",
				    st->name, sql, st->error);
		}
		return;
	}
	res = PQexec(st->pg, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		if (pg_fail(st, res, sql) == -1)
			errx(EX_SOFTWARE, "store '%s': %s: %s", st->name, sql,
			    st->error);
		return;
	}
	PQclear(res);
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
open_sqlite(struct store *st, const char *path)
{
	const struct timespec pause = { 0, 20 * 1000 * 1000 };
	double deadline;
	char *msg = NULL;
	int rc;

	rc = sqlite3_open_v2(path, &st->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	    NULL);
	if (rc != SQLITE_OK) {
		if (st->db == NULL)
			xnomem();
		errx(EX_CANTCREAT, "cannot open store '%s': %s", path,
		    sqlite3_errmsg(st->db));
	}
	sqlite3_extended_result_codes(st->db, 0);
	sqlite3_busy_timeout(st->db, st->timeout * 1000);
	/* A file not yet in WAL mode (a new store) needs the file alone to
	 * switch; with another writer in it, SQLite answers SQLITE_BUSY at
	 * once rather than call the busy handler, so the switch is tried
	 * again here until the timeout. */
	deadline = monotonic() + st->timeout;
	while ((rc = sqlite3_exec(st->db, "PRAGMA journal_mode=WAL", NULL,
	    NULL, &msg)) == SQLITE_BUSY && monotonic() < deadline) {
		sqlite3_free(msg);
		msg = NULL;
		nanosleep(&pause, NULL);
	}
	sqlite3_free(msg);
	if (rc != SQLITE_OK)
		lite_fail(st, rc, "PRAGMA journal_mode=WAL");
	run(st, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
}

static void
open_pg(struct store *st, const char *url)
{
	const char *keys[5], *values[5], *url_options = NULL;
	char timeout[16], *options;
	PQconninfoOption *opts, *o;
	char *msg = NULL;
	size_t len;
	int status;

	if ((opts = PQconninfoParse(url, &msg)) == NULL) {
		if (msg == NULL)
			xnomem();
		msg[strcspn(msg, "\n")] = '\0';
		if (strstr(msg, " in URI:") != NULL)	/* it may hold a password */
			*strstr(msg, " in URI:") = '\0';
		warnx("bad store URL '%s': %s", st->name, msg);
		PQfreemem(msg);
		exit(EX_CONFIG);
	}
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "options") == 0 && o->val != NULL)
			url_options = o->val;
	snprintf(timeout, sizeof(timeout), "%d", st->timeout > 0 ?
	    (st->timeout < 2 ? 2 : st->timeout) : 0);
	/* The lock timeout, then the URL's own options (a search_path, or a
	 * lock_timeout of its own, which wins as the later one): an options
	 * parameter in the URL would replace ours whole. */
	len = 48 + (url_options != NULL ? strlen(url_options) : 0);
	options = xmalloc(len);
	snprintf(options, len, "-c lock_timeout=%d%s%s", st->timeout * 1000,
	    url_options != NULL ? " " : "",
	    url_options != NULL ? url_options : "");
	PQconninfoFree(opts);
	/* The URL comes after our defaults, so what it says wins. */
	keys[0] = "connect_timeout";	values[0] = timeout;
	keys[1] = "application_name";	values[1] =
	    program_invocation_short_name;
	keys[2] = "dbname";		values[2] = url;
	keys[3] = "options";		values[3] = options;
	keys[4] = NULL;			values[4] = NULL;
	st->pg = PQconnectdbParams(keys, values, 1);
	free(options);
	if (st->pg == NULL)
		xnomem();
	if (PQstatus(st->pg) != CONNECTION_OK) {
		msg = xstrdup(PQerrorMessage(st->pg));
		msg[strcspn(msg, "\n")] = '\0';
		/* What waiting cannot mend is the configuration's. */
		status = strstr(msg, "authentication") != NULL ||
		    strstr(msg, "does not exist") != NULL ||
		    strstr(msg, "pg_hba.conf") != NULL ||
		    strstr(msg, "invalid") != NULL ? EX_CONFIG : EX_TEMPFAIL;
		warnx("cannot connect to store '%s': %s%s", st->name, msg,
		    status == EX_TEMPFAIL ? "; try again later" : "");
		free(msg);
		exit(status);
	}
	run(st, "SET client_min_messages = warning");
}

static void
migrate(struct store *st, const struct store_migration *mig, size_t nmig)
{
	struct store_stmt *get, *set;
	int64_t have;
	size_t i, j;

	if (nmig == 0)
		return;
	store_begin(st);
	if (st->kind == STORE_POSTGRES)		/* two first runs at once */
		run(st, "SELECT pg_advisory_xact_lock(4242424242)");
	run(st, "CREATE TABLE IF NOT EXISTS schema_version ("
	    "component TEXT PRIMARY KEY, version BIGINT NOT NULL)");
	get = store_prepare(st,
	    "SELECT version FROM schema_version WHERE component = $1", NULL);
	set = store_prepare(st,
	    "INSERT INTO schema_version (component, version) VALUES ($1, $2) "
	    "ON CONFLICT (component) DO UPDATE SET version = excluded.version",
	    NULL);
	for (i = 0; i < nmig; i = j) {
		have = 0;
		store_query(get, "s", mig[i].component);
		while (store_next(get))
			have = store_int(get, 0);
		for (j = i; j < nmig &&
		    strcmp(mig[j].component, mig[i].component) == 0; j++) {
			if (mig[j].version <= have)
				continue;
			if (mig[j].version != have + 1)
				errx(EX_SOFTWARE, "migration %s %d follows %"
				    PRId64, mig[j].component, mig[j].version,
				    have);
			run(st, st->kind == STORE_POSTGRES &&
			    mig[j].pg_sql != NULL ? mig[j].pg_sql : mig[j].sql);
			have = mig[j].version;
			store_exec(set, "si", mig[j].component, have);
		}
	}
	store_commit(st);
}

struct store *
store_open(const char *where, const struct store_migration *mig,
    size_t nmig)
{
	struct store *st;
	const char *colon;

	st = xcalloc(1, sizeof(*st));
	st->name = display_name(where);
	st->timeout = env_timeout();
	if (is_pg_url(where)) {
		st->kind = STORE_POSTGRES;
		open_pg(st, where);
	} else if ((colon = strstr(where, "://")) != NULL &&
	    strcspn(where, "/") > (size_t)(colon - where)) {
		errx(EX_CONFIG, "bad store URL '%s': only postgresql:// "
		    "URLs and file paths are stores", st->name);
	} else {
		st->kind = STORE_SQLITE;
		open_sqlite(st, where);
	}
	migrate(st, mig, nmig);
	return st;
}

void
store_close(struct store *st)
{
	struct store_stmt *s, *next;

	if (st == NULL)
		return;
	if (st->in_tx)
		store_rollback(st);
	for (s = st->stmts; s != NULL; s = next) {
		next = s->next;
		if (s->lite != NULL)
			sqlite3_finalize(s->lite);
		PQclear(s->pg_res);
		free(s->pg_sql);
		free(s);
	}
	if (st->db != NULL)
		sqlite3_close(st->db);
	if (st->pg != NULL)
		PQfinish(st->pg);
	free(st->name);
	free(st);
}

enum store_kind
store_kind(const struct store *st)
{
	return st->kind;
}

const char *
store_error(const struct store *st)
{
	return st->error;
}

void
store_begin(struct store *st)
{
	run(st, st->kind == STORE_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN");
	st->in_tx = 1;
}

void
store_commit(struct store *st)
{
	run(st, "COMMIT");
	st->in_tx = 0;
}

void
store_rollback(struct store *st)
{
	run(st, "ROLLBACK");
	st->in_tx = 0;
}

static void
savepoint_sql(struct store *st, const char *verb, const char *name)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "%s%s", verb, name);
	run(st, sql);
}

void
store_savepoint(struct store *st, const char *name)
{
	savepoint_sql(st, "SAVEPOINT ", name);
}

void
store_release(struct store *st, const char *name)
{
	savepoint_sql(st, "RELEASE SAVEPOINT ", name);
}

void
store_rollback_to(struct store *st, const char *name)
{
	savepoint_sql(st, "ROLLBACK TO SAVEPOINT ", name);
}

/* $N to ?N, outside quotes. */
static char *
lite_sql(const char *sql)
{
	struct buf b = { 0 };
	char quote = 0;
	const char *p;

	for (p = sql; *p != '\0'; p++) {
		if (quote != 0) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"')
			quote = *p;
		else if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
			buf_putc(&b, '?');
			continue;
		}
		buf_putc(&b, *p);
	}
	return b.s;
}

struct store_stmt *
store_prepare(struct store *st, const char *sql, const char *pg_sql)
{
	struct store_stmt *s;
	char *text;
	int rc;

	s = xcalloc(1, sizeof(*s));
	s->st = st;
	if (st->kind == STORE_SQLITE) {
		text = lite_sql(sql);
		rc = sqlite3_prepare_v2(st->db, text, -1, &s->lite, NULL);
		if (rc != SQLITE_OK)
			lite_fail(st, rc, text);
		free(text);
	} else
		s->pg_sql = xstrdup(pg_sql != NULL ? pg_sql : sql);
	s->next = st->stmts;
	st->stmts = s;
	return s;
}

/* The text of a list parameter. */
static char *
list_text(struct store *st, va_list *ap, int texts)
{
	const char *const *sv = NULL;
	const int64_t *iv = NULL;
	struct buf b = { 0 };
	int json = st->kind == STORE_SQLITE;
	size_t i, n;

	if (texts)
		sv = va_arg(*ap, const char *const *);
	else
		iv = va_arg(*ap, const int64_t *);
	n = va_arg(*ap, size_t);
	buf_putc(&b, json ? '[' : '{');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(&b, ',');
		if (texts)
			buf_quoted(&b, sv[i], json);
		else
			buf_int(&b, iv[i]);
	}
	buf_putc(&b, json ? ']' : '}');
	return b.s;
}

static void
lite_bind(struct store_stmt *s, const char *fmt, va_list *ap)
{
	const char *text;
	char *list;
	int i, rc = SQLITE_OK;

	sqlite3_reset(s->lite);
	s->lite_row = 0;
	for (i = 0; fmt[i] != '\0' && rc == SQLITE_OK; i++) {
		switch (fmt[i]) {
		case 'i':
			rc = sqlite3_bind_int64(s->lite, i + 1,
			    va_arg(*ap, int64_t));
			break;
		case 's':
			if ((text = va_arg(*ap, const char *)) == NULL)
				rc = sqlite3_bind_null(s->lite, i + 1);
			else
				rc = sqlite3_bind_text(s->lite, i + 1, text, -1,
				    SQLITE_TRANSIENT);
			break;
		case 'S':
		case 'I':
			list = list_text(s->st, ap, fmt[i] == 'S');
			rc = sqlite3_bind_text(s->lite, i + 1, list, -1, free);
			break;
		default:
			errx(EX_SOFTWARE, "store: bad parameter type '%c'",
			    fmt[i]);
		}
	}
	if (rc != SQLITE_OK)
		lite_fail(s->st, rc, "bind");
}

/* Run on PostgreSQL; the result is kept in s. */
static int
pg_run(struct store_stmt *s, const char *fmt, va_list *ap)
{
	struct store *st = s->st;
	PGresult *res;
	const char **values;
	char **owned, num[24];
	int i, n = (int)strlen(fmt);
	ExecStatusType rs;

	PQclear(s->pg_res);
	s->pg_res = NULL;
	s->pg_row = s->pg_nrows = 0;
	if (s->pg_name[0] == '\0') {
		snprintf(s->pg_name, sizeof(s->pg_name), "ok%d", ++st->nstmts);
		res = PQprepare(st->pg, s->pg_name, s->pg_sql, 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			s->pg_name[0] = '\0';
			if (pg_fail(st, res, s->pg_sql) == -1)
				errx(EX_SOFTWARE, "store: %s: %s", s->pg_sql,
				    st->error);
		}
		PQclear(res);
	}
	values = xcalloc(n + 1, sizeof(*values));
	owned = xcalloc(n + 1, sizeof(*owned));
	for (i = 0; i < n; i++) {
		switch (fmt[i]) {
		case 'i':
			snprintf(num, sizeof(num), "%" PRId64,
			    va_arg(*ap, int64_t));
			values[i] = owned[i] = xstrdup(num);
			break;
		case 's':
			values[i] = va_arg(*ap, const char *);
			break;
		case 'S':
		case 'I':
			values[i] = owned[i] = list_text(st, ap, fmt[i] == 'S');
			break;
		default:
			errx(EX_SOFTWARE, "store: bad parameter type '%c'",
			    fmt[i]);
		}
	}
	res = PQexecPrepared(st->pg, s->pg_name, n, values, NULL, NULL, 0);
	for (i = 0; i < n; i++)
		free(owned[i]);
	free(owned);
	free(values);
	rs = PQresultStatus(res);
	if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK)
		return pg_fail(st, res, s->pg_sql);
	s->pg_res = res;
	s->pg_nrows = PQntuples(res);
	return 0;
}

long
store_exec(struct store_stmt *s, const char *fmt, ...)
{
	va_list ap;
	long n;
	int rc;

	va_start(ap, fmt);
	if (s->st->kind == STORE_POSTGRES) {
		rc = pg_run(s, fmt, &ap);
		va_end(ap);
		if (rc == -1)
			return -1;
		n = strtol(PQcmdTuples(s->pg_res), NULL, 10);
		PQclear(s->pg_res);
		s->pg_res = NULL;
		return n;
	}
	lite_bind(s, fmt, &ap);
	va_end(ap);
	while ((rc = sqlite3_step(s->lite)) == SQLITE_ROW)
		continue;
	sqlite3_reset(s->lite);
	if (rc != SQLITE_DONE)
		return lite_fail(s->st, rc, sqlite3_sql(s->lite));
	return sqlite3_changes(s->st->db);
}

int
store_query(struct store_stmt *s, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	if (s->st->kind == STORE_POSTGRES) {
		rc = pg_run(s, fmt, &ap);
		va_end(ap);
		return rc;
	}
	lite_bind(s, fmt, &ap);
	va_end(ap);
	/* Step now, so a constraint violation is the caller's here. */
	rc = sqlite3_step(s->lite);
	if (rc == SQLITE_ROW) {
		s->lite_row = 1;
		return 0;
	}
	sqlite3_reset(s->lite);
	if (rc != SQLITE_DONE)
		return lite_fail(s->st, rc, sqlite3_sql(s->lite));
	s->lite_row = -1;		/* no rows */
	return 0;
}

int
store_next(struct store_stmt *s)
{
	int rc;

	if (s->st->kind == STORE_POSTGRES) {
		if (s->pg_res != NULL && s->pg_row < s->pg_nrows) {
			s->pg_row++;
			return 1;
		}
		store_done(s);
		return 0;
	}
	if (s->lite_row == 1) {
		s->lite_row = 2;
		return 1;
	}
	if (s->lite_row == -1 || s->lite_row == 0) {
		s->lite_row = 0;
		return 0;
	}
	rc = sqlite3_step(s->lite);
	if (rc == SQLITE_ROW)
		return 1;
	s->lite_row = 0;
	sqlite3_reset(s->lite);
	if (rc != SQLITE_DONE && lite_fail(s->st, rc,
	    sqlite3_sql(s->lite)) == -1)
		errx(EX_SOFTWARE, "store '%s': %s", s->st->name,
		    s->st->error);
	return 0;
}

void
store_done(struct store_stmt *s)
{
	if (s->st->kind == STORE_POSTGRES) {
		PQclear(s->pg_res);
		s->pg_res = NULL;
		s->pg_row = s->pg_nrows = 0;
	} else {
		sqlite3_reset(s->lite);
		s->lite_row = 0;
	}
}

const char *
store_text(struct store_stmt *s, int col)
{
	if (s->st->kind == STORE_POSTGRES) {
		if (PQgetisnull(s->pg_res, s->pg_row - 1, col))
			return NULL;
		return PQgetvalue(s->pg_res, s->pg_row - 1, col);
	}
	return (const char *)sqlite3_column_text(s->lite, col);
}

int64_t
store_int(struct store_stmt *s, int col)
{
	const char *v;

	if (s->st->kind == STORE_POSTGRES) {
		v = store_text(s, col);
		return v == NULL ? 0 : strtoll(v, NULL, 10);
	}
	return sqlite3_column_int64(s->lite, col);
}

int
store_null(struct store_stmt *s, int col)
{
	if (s->st->kind == STORE_POSTGRES)
		return PQgetisnull(s->pg_res, s->pg_row - 1, col);
	return sqlite3_column_type(s->lite, col) == SQLITE_NULL;
}
