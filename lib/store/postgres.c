/* postgres.c: the store's PostgreSQL backend, through libpq. */
#include <err.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <libpq-fe.h>

#include "store.h"
#include "store-int.h"
#include "xalloc.h"

extern char *program_invocation_short_name;

struct pg_store {
	struct store	 base;
	PGconn		*conn;
	int		 nstmts;	/* prepared on the server so far */
};

struct pg_stmt {
	struct store_stmt base;
	char		*sql;
	char		 name[16];	/* "", until prepared on the server */
	PGresult	*res;
	int		 row, nrows;
};

static PGconn *
conn_of(struct store *st)
{
	return ((struct pg_store *)st)->conn;
}

static struct pg_stmt *
pg(struct store_stmt *s)
{
	return (struct pg_stmt *)s;
}

/* PostgreSQL's failures, in DESIGN.md's exit statuses; res is cleared.
 * Returns -1 for a constraint violation; exits otherwise. */
static int
pg_fail(struct store *st, PGresult *res, const char *what)
{
	const char *state, *msg;
	char *line;
	int status;

	state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	msg = res != NULL ? PQresultErrorMessage(res) : "";
	if (msg == NULL || *msg == '\0')
		msg = PQerrorMessage(conn_of(st));
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
	if (PQstatus(conn_of(st)) == CONNECTION_BAD ||
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

static void
pg_run(struct store *st, const char *sql)
{
	PGresult *res;

	res = PQexec(conn_of(st), sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK) {
		if (pg_fail(st, res, sql) == -1)
			errx(EX_SOFTWARE, "store '%s': %s: %s", st->name, sql,
			    st->error);
		return;
	}
	PQclear(res);
}

static void
pg_open(struct store *st, const char *url)
{
	const char *keys[5], *values[5], *url_options = NULL;
	struct pg_store *ps = (struct pg_store *)st;
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
	ps->conn = PQconnectdbParams(keys, values, 1);
	free(options);
	if (ps->conn == NULL)
		xnomem();
	if (PQstatus(ps->conn) != CONNECTION_OK) {
		msg = xstrdup(PQerrorMessage(ps->conn));
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
	pg_run(st, "SET client_min_messages = warning");
}

static void
pg_close(struct store *st)
{
	if (conn_of(st) != NULL)
		PQfinish(conn_of(st));
}

/* Prepared on the server at first use: wrong SQL is exit 70 then. */
static void
pg_prepare(struct store_stmt *s, const char *sql)
{
	pg(s)->sql = xstrdup(sql);
}

static void
pg_finalize(struct store_stmt *s)
{
	PQclear(pg(s)->res);
	free(pg(s)->sql);
}

/* Run on PostgreSQL; the result is kept in s. */
static int
pg_exec_prepared(struct store_stmt *s, const char *fmt, va_list *ap)
{
	struct store *st = s->st;
	struct pg_stmt *p = pg(s);
	PGresult *res;
	const char **values;
	char **owned, num[24];
	int i, n = (int)strlen(fmt);
	ExecStatusType rs;

	PQclear(p->res);
	p->res = NULL;
	p->row = p->nrows = 0;
	if (p->name[0] == '\0') {
		snprintf(p->name, sizeof(p->name), "ok%d",
		    ++((struct pg_store *)st)->nstmts);
		res = PQprepare(conn_of(st), p->name, p->sql, 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			p->name[0] = '\0';
			if (pg_fail(st, res, p->sql) == -1)
				errx(EX_SOFTWARE, "store: %s: %s", p->sql,
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
			values[i] = owned[i] = store_list_text(ap,
			    fmt[i] == 'S', 0);
			break;
		default:
			errx(EX_SOFTWARE, "store: bad parameter type '%c'",
			    fmt[i]);
		}
	}
	res = PQexecPrepared(conn_of(st), p->name, n, values, NULL, NULL, 0);
	for (i = 0; i < n; i++)
		free(owned[i]);
	free(owned);
	free(values);
	rs = PQresultStatus(res);
	if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK)
		return pg_fail(st, res, p->sql);
	p->res = res;
	p->nrows = PQntuples(res);
	return 0;
}

static long
pg_exec(struct store_stmt *s, const char *fmt, va_list *ap)
{
	struct pg_stmt *p = pg(s);
	long n;

	if (pg_exec_prepared(s, fmt, ap) == -1)
		return -1;
	n = strtol(PQcmdTuples(p->res), NULL, 10);
	PQclear(p->res);
	p->res = NULL;
	return n;
}

static int
pg_query(struct store_stmt *s, const char *fmt, va_list *ap)
{
	return pg_exec_prepared(s, fmt, ap);
}

static void
pg_done(struct store_stmt *s)
{
	struct pg_stmt *p = pg(s);

	PQclear(p->res);
	p->res = NULL;
	p->row = p->nrows = 0;
}

static int
pg_next(struct store_stmt *s)
{
	struct pg_stmt *p = pg(s);

	if (p->res != NULL && p->row < p->nrows) {
		p->row++;
		return 1;
	}
	pg_done(s);
	return 0;
}

static const char *
pg_text(struct store_stmt *s, int col)
{
	struct pg_stmt *p = pg(s);

	if (PQgetisnull(p->res, p->row - 1, col))
		return NULL;
	return PQgetvalue(p->res, p->row - 1, col);
}

static int64_t
pg_integer(struct store_stmt *s, int col)
{
	const char *v = pg_text(s, col);

	return v == NULL ? 0 : strtoll(v, NULL, 10);
}

static int
pg_null(struct store_stmt *s, int col)
{
	return PQgetisnull(pg(s)->res, pg(s)->row - 1, col);
}

const struct store_ops store_postgres_ops = {
	.kind = STORE_POSTGRES,
	.store_size = sizeof(struct pg_store),
	.stmt_size = sizeof(struct pg_stmt),
	/* READ COMMITTED: rows are locked in store.h's order instead. */
	.begin = "BEGIN",
	/* Two first runs at once create the tables once. */
	.migrate_lock = "SELECT pg_advisory_xact_lock(4242424242)",
	.open = pg_open,
	.close = pg_close,
	.run = pg_run,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.exec = pg_exec,
	.query = pg_query,
	.next = pg_next,
	.done = pg_done,
	.text = pg_text,
	.integer = pg_integer,
	.null = pg_null,
};
