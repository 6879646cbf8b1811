/* store.c: the state store's common part: where it is, opening it with
 * its migrations, transactions and the statement API, over the backends
 * of sqlite.c and postgres.c. */
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

#include "store.h"
#include "store-int.h"
#include "xalloc.h"

void
store_buf_put(struct store_buf *b, const char *s, size_t n)
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

void
store_buf_putc(struct store_buf *b, char c)
{
	store_buf_put(b, &c, 1);
}

static void
buf_int(struct store_buf *b, int64_t v)
{
	char tmp[24];

	store_buf_put(b, tmp, snprintf(tmp, sizeof(tmp), "%" PRId64, v));
}

/* s as a JSON string (SQLite lists) or a PostgreSQL array element. */
static void
buf_quoted(struct store_buf *b, const char *s, int json)
{
	const unsigned char *p;
	char esc[8];

	store_buf_putc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			store_buf_putc(b, '\\');
			store_buf_putc(b, *p);
		} else if (json && *p < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			store_buf_put(b, esc, 6);
		} else
			store_buf_putc(b, *p);
	}
	store_buf_putc(b, '"');
}

char *
store_list_text(va_list *ap, int texts, int json)
{
	const char *const *sv = NULL;
	const int64_t *iv = NULL;
	struct store_buf b = { 0 };
	size_t i, n;

	if (texts)
		sv = va_arg(*ap, const char *const *);
	else
		iv = va_arg(*ap, const int64_t *);
	n = va_arg(*ap, size_t);
	store_buf_putc(&b, json ? '[' : '{');
	for (i = 0; i < n; i++) {
		if (i > 0)
			store_buf_putc(&b, ',');
		if (texts)
			buf_quoted(&b, sv[i], json);
		else
			buf_int(&b, iv[i]);
	}
	store_buf_putc(&b, json ? ']' : '}');
	return b.s;
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
	struct store_buf b = { 0 };

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
	store_buf_put(&b, where, colon - where);
	store_buf_put(&b, at, strlen(at));
	return b.s;
}

/* Whether every component of the nmig migrations is at its last version
 * already, read without a transaction or a lock: then opening writes
 * nothing, and a program that only reads works on a store it may not
 * write (a read-only file, a PostgreSQL role that may only read). */
static int
migrations_current(struct store *st, const struct store_migration *mig,
    size_t nmig)
{
	struct store_stmt *exists, *get;
	int64_t have;
	size_t i, j;
	int current = 1;

	exists = store_prepare(st,
	    "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'table' AND name = 'schema_version'",
	    "SELECT CAST(to_regclass('schema_version') IS NOT NULL"
	    " AS integer)");
	store_query(exists, "");
	if (!store_next(exists) || store_int(exists, 0) == 0)
		current = 0;
	store_done(exists);
	if (!current)
		return 0;
	get = store_prepare(st,
	    "SELECT version FROM schema_version WHERE component = $1", NULL);
	for (i = 0; i < nmig && current; i = j) {
		for (j = i; j < nmig &&
		    strcmp(mig[j].component, mig[i].component) == 0; j++)
			continue;
		have = 0;
		store_query(get, "s", mig[i].component);
		while (store_next(get))
			have = store_int(get, 0);
		if (have < mig[j - 1].version)
			current = 0;
	}
	return current;
}

/* Whether the store has orderkit's tables: schema_version, which the
 * first program to open it creates. */
static int
store_exists(struct store *st)
{
	struct store_stmt *exists;
	int found;

	exists = store_prepare(st,
	    "SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'table' AND name = 'schema_version'",
	    "SELECT CAST(to_regclass('schema_version') IS NOT NULL"
	    " AS integer)");
	store_query(exists, "");
	found = store_next(exists) && store_int(exists, 0) != 0;
	store_done(exists);
	return found;
}

static void
migrate(struct store *st, const struct store_migration *mig, size_t nmig)
{
	struct store_stmt *get, *set;
	int64_t have;
	size_t i, j;
	int created;

	if (nmig == 0 || migrations_current(st, mig, nmig))
		return;
	store_begin(st);
	if (st->ops->migrate_lock != NULL)	/* two first runs at once */
		st->ops->run(st, st->ops->migrate_lock);
	/* Asked under the lock: of two first runs, one creates it. */
	created = !store_exists(st);
	st->ops->run(st, "CREATE TABLE IF NOT EXISTS schema_version ("
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
			st->ops->run(st, st->ops->kind == STORE_POSTGRES &&
			    mig[j].pg_sql != NULL ? mig[j].pg_sql : mig[j].sql);
			have = mig[j].version;
			store_exec(set, "si", mig[j].component, have);
		}
	}
	store_commit(st);
	/* Said once, when the store comes to be: a cron job's mail then
	 * tells where a store went that nobody meant to make. */
	if (created)
		warnx("created the store '%s'", st->name);
}

static struct store *
open_store(const char *where, const struct store_migration *mig,
    size_t nmig, int existing)
{
	const struct store_ops *ops;
	struct store *st;
	const char *colon;
	struct stat sb;
	char *name;
	int timeout;

	name = display_name(where);
	timeout = env_timeout();
	if (is_pg_url(where))
		ops = &store_postgres_ops;
	else if ((colon = strstr(where, "://")) != NULL &&
	    strcspn(where, "/") > (size_t)(colon - where))
		errx(EX_CONFIG, "bad store URL '%s': only postgresql:// "
		    "URLs and file paths are stores", name);
	else
		ops = &store_sqlite_ops;
	/* Not a file SQLite would create: a mistyped --db is an input that
	 * is not there. */
	if (existing && ops == &store_sqlite_ops && stat(where, &sb) == -1 &&
	    errno == ENOENT)
		errx(EX_NOINPUT, "no store at '%s'", name);
	st = xcalloc(1, ops->store_size);
	st->ops = ops;
	st->name = name;
	st->timeout = timeout;
	ops->open(st, where);
	if (existing && !store_exists(st))
		errx(EX_NOINPUT, "no store at '%s'", name);
	migrate(st, mig, nmig);
	return st;
}

struct store *
store_open(const char *where, const struct store_migration *mig,
    size_t nmig)
{
	return open_store(where, mig, nmig, 0);
}

struct store *
store_open_existing(const char *where, const struct store_migration *mig,
    size_t nmig)
{
	return open_store(where, mig, nmig, 1);
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
		st->ops->finalize(s);
		free(s);
	}
	st->ops->close(st);
	free(st->name);
	free(st);
}

enum store_kind
store_kind(const struct store *st)
{
	return st->ops->kind;
}

const char *
store_error(const struct store *st)
{
	return st->error;
}

void
store_begin(struct store *st)
{
	st->ops->run(st, st->ops->begin);
	st->in_tx = 1;
}

void
store_commit(struct store *st)
{
	st->ops->run(st, "COMMIT");
	st->in_tx = 0;
}

void
store_rollback(struct store *st)
{
	st->ops->run(st, "ROLLBACK");
	st->in_tx = 0;
}

static void
savepoint_sql(struct store *st, const char *verb, const char *name)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "%s%s", verb, name);
	st->ops->run(st, sql);
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

struct store_stmt *
store_prepare(struct store *st, const char *sql, const char *pg_sql)
{
	struct store_stmt *s;

	s = xcalloc(1, st->ops->stmt_size);
	s->st = st;
	st->ops->prepare(s, st->ops->kind == STORE_POSTGRES &&
	    pg_sql != NULL ? pg_sql : sql);
	s->next = st->stmts;
	st->stmts = s;
	return s;
}

long
store_exec(struct store_stmt *s, const char *fmt, ...)
{
	va_list ap;
	long n;

	va_start(ap, fmt);
	n = s->st->ops->exec(s, fmt, &ap);
	va_end(ap);
	return n;
}

int
store_query(struct store_stmt *s, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = s->st->ops->query(s, fmt, &ap);
	va_end(ap);
	return rc;
}

int
store_next(struct store_stmt *s)
{
	return s->st->ops->next(s);
}

void
store_done(struct store_stmt *s)
{
	s->st->ops->done(s);
}

const char *
store_text(struct store_stmt *s, int col)
{
	return s->st->ops->text(s, col);
}

int64_t
store_int(struct store_stmt *s, int col)
{
	return s->st->ops->integer(s, col);
}

int
store_null(struct store_stmt *s, int col)
{
	return s->st->ops->null(s, col);
}
