/* store.h: the state the programs keep, in a SQLite file or PostgreSQL. */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

/*
 * One API over two backends.  A program names the store (--db, else
 * $ORDERKIT_DB, else the default file), opens it with the migrations of the
 * components it uses, prepares its statements once and runs them with bound
 * parameters in transactions.  Order data never goes into SQL text.
 *
 * SQL is written with PostgreSQL's placeholders $1, $2, ...; on SQLite they
 * are read as ?1, ?2, ....  Where the dialects differ, store_prepare() takes
 * a second text for PostgreSQL.
 *
 * Errors: a failure the caller cannot act on is fatal, with a message in
 * err(3) form and the exit status DESIGN.md gives it: 75 (EX_TEMPFAIL) for a
 * store locked past its timeout, a server that cannot be reached or a lost
 * connection, a deadlock or serialization failure; 78 (EX_CONFIG) for a bad
 * URL or a file that is not a store; 73 (EX_CANTCREAT) for a store that
 * cannot be created or may not be written (a read-only file or directory,
 * a PostgreSQL role that may only read, a read-only server: an output a
 * retry will not mend); 74 (EX_IOERR) for a full disk or an I/O error; 70
 * (EX_SOFTWARE) for SQL that is wrong.  Only a constraint violation (unique,
 * check, foreign key, not null) comes back to the caller, as -1 from
 * store_exec() and store_query(), with the server's words in store_error().
 * The transaction (or the savepoint) is then the caller's to roll back.
 */

enum store_kind {
	STORE_SQLITE,
	STORE_POSTGRES
};

/* One step of a component's schema.  A component ("stock", "payments",
 * "notifications", "tracking") has its own version line in the table
 * schema_version(component, version); store_open() runs, each in the
 * transaction that records it, the steps above the version found.  Steps
 * are never changed once released: a change is a new step. */
struct store_migration {
	const char	*component;
	int		 version;	/* 1, 2, ... in order, no gaps */
	const char	*sql;		/* statements separated by ';' */
	const char	*pg_sql;	/* PostgreSQL's, when it differs, or NULL */
};

/* The stock component: warehouses, stock, reservations (stock.h,
 * lib/store/stock.c), used by stock-load, order-reserve and stock-levels. */
extern const struct store_migration	store_stock_migrations[];
extern const size_t			store_stock_nmigrations;

/* The tracking component: parcels followed, their records, carriers'
 * tokens (lib/store/tracking.c, tracking.h), used by track-poll. */
extern const struct store_migration	store_tracking_migrations[];
extern const size_t			store_tracking_nmigrations;

/* The outbox component: calls to services recorded before they are made
 * (lib/store/outbox.c, outbox.h), used by ship-book. */
extern const struct store_migration	store_outbox_migrations[];
extern const size_t			store_outbox_nmigrations;

struct store;
struct store_stmt;

/* The store a program uses: dbarg (--db) when not NULL, else $ORDERKIT_DB
 * when set and not empty, else $XDG_STATE_HOME/orderkit/orderkit.db, or
 * ~/.local/state/orderkit/orderkit.db without XDG_STATE_HOME (that
 * directory is then created, mode 0700).  A new string, the caller's to
 * free.  Exits 78 when neither XDG_STATE_HOME nor HOME is set, 73 when the
 * directory cannot be created. */
char	*store_locate(const char *dbarg);

/* Open the store where (a path, or a postgresql:// or postgres:// URL;
 * another scheme:// is exit 78) and bring the components of the nmig
 * migrations up to date.  SQLite files are created, put in WAL mode with
 * synchronous=FULL, foreign keys on and a busy timeout; PostgreSQL gets the
 * same timeout as lock_timeout and connect_timeout.  The timeout is
 * $ORDERKIT_DB_TIMEOUT seconds (default 10).  Components already up to
 * date are found so without a transaction and nothing is written: a
 * program that only reads can open a store it may not write.  Never
 * returns NULL. */
struct store *store_open(const char *where,
	    const struct store_migration *migrations, size_t nmig);

/* store_open() for a program that only reads, which never creates a
 * store: where no store is (no SQLite file, an empty one, or a PostgreSQL
 * schema without orderkit's tables), "no store at 'WHERE'" and exit 66
 * (EX_NOINPUT), as for an input that cannot be opened.  The program that
 * creates a store says so, once, on standard error: "created the store
 * 'WHERE'". */
struct store *store_open_existing(const char *where,
	    const struct store_migration *migrations, size_t nmig);

/* Finalize the statements, roll back an open transaction, close, free. */
void	 store_close(struct store *);

enum store_kind store_kind(const struct store *);

/* The message of the last constraint violation. */
const char *store_error(const struct store *);

/* Transactions.  store_begin() takes the write lock at once on SQLite
 * (BEGIN IMMEDIATE), so a transaction that reads and then writes never
 * fails half way for another writer; PostgreSQL's is READ COMMITTED, and
 * rows the caller means to change are locked (SELECT ... FOR UPDATE, or the
 * write itself) in one order for every program, so that two processes
 * cannot deadlock: a component's header gives its order (stock.h,
 * paystore.h, tracking.h).  Savepoint names are the caller's constant
 * identifiers, never data. */
void	 store_begin(struct store *);
void	 store_commit(struct store *);
void	 store_rollback(struct store *);
void	 store_savepoint(struct store *, const char *name);
void	 store_release(struct store *, const char *name);
void	 store_rollback_to(struct store *, const char *name);

/* A prepared statement, owned by the store (freed by store_close()).  sql
 * is used on both backends unless pg_sql is not NULL.  Wrong SQL is exit
 * 70, at once on SQLite, on first use on PostgreSQL. */
struct store_stmt *store_prepare(struct store *, const char *sql,
	    const char *pg_sql);

/*
 * Run a statement with the parameters that fmt describes, one letter each,
 * in order:
 *	i	int64_t
 *	s	const char *, text (NULL binds NULL)
 *	S	const char *const *, size_t n: a list of texts
 *	I	const int64_t *, size_t n: a list of integers
 * A list is a PostgreSQL array (write $1::text[], $1::bigint[] and use
 * unnest() or = ANY()) and a JSON array text on SQLite (use json_each()):
 * a batch of rows in one statement.  The texts are copied; the caller's
 * memory may change after the call.
 *
 * store_exec() returns the number of rows changed, or -1 on a constraint
 * violation.  store_query() returns 0 (or -1 likewise); then store_next()
 * steps through the rows.
 */
long	 store_exec(struct store_stmt *, const char *fmt, ...);
int	 store_query(struct store_stmt *, const char *fmt, ...);

/* The next row of the last store_query(): 1, or 0 after the last (the
 * statement is then reset).  A query need not be read to the end:
 * store_done() lets it go. */
int	 store_next(struct store_stmt *);
void	 store_done(struct store_stmt *);

/* Column col (from 0) of the current row: text (NULL for SQL NULL; valid
 * until the next store_next()), an integer (0 for NULL), or whether it is
 * NULL. */
const char *store_text(struct store_stmt *, int col);
int64_t	 store_int(struct store_stmt *, int col);
int	 store_null(struct store_stmt *, int col);

#endif
