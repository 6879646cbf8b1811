/* store-int.h: what the files of lib/store/ share beyond store.h: the
 * store and its statements as the backends extend them, and the table of
 * functions each backend (sqlite.c, postgres.c) fills. */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

/*
 * A backend's store and statements begin with these, the part store.c
 * reads; store.c allocates them (zeroed, at the sizes the backend's table
 * gives), links the statements for store_close() and frees both.
 */
struct store {
	const struct store_ops *ops;
	char		*name;		/* for messages: no password */
	int		 timeout;	/* seconds */
	int		 in_tx;
	struct store_stmt *stmts;
	char		 error[1024];	/* the last constraint violation */
};

struct store_stmt {
	struct store	*st;
	struct store_stmt *next;	/* the store's list */
};

/*
 * A backend.  Each function fails as store.h says: exits with the status
 * DESIGN.md gives the failure, or (exec and query only) returns -1 for a
 * constraint violation with its message in st->error.
 */
struct store_ops {
	enum store_kind	 kind;
	size_t		 store_size;	/* of the backend's struct store */
	size_t		 stmt_size;	/* of its struct store_stmt */
	const char	*begin;		/* the SQL of store_begin() */
	const char	*migrate_lock;	/* SQL that serializes migrations in
					 * the transaction, or NULL */
	/* Open or connect to where; st->name and st->timeout are set. */
	void		 (*open)(struct store *, const char *where);
	/* Close the connection (the statements are finalized). */
	void		 (*close)(struct store *);
	/* Run sql, one or more statements without parameters. */
	void		 (*run)(struct store *, const char *sql);
	/* Prepare s with the backend's own text of it. */
	void		 (*prepare)(struct store_stmt *, const char *sql);
	void		 (*finalize)(struct store_stmt *);
	/* store_exec() and store_query() with their parameters in ap. */
	long		 (*exec)(struct store_stmt *, const char *fmt,
			    va_list *ap);
	int		 (*query)(struct store_stmt *, const char *fmt,
			    va_list *ap);
	int		 (*next)(struct store_stmt *);
	void		 (*done)(struct store_stmt *);
	const char	*(*text)(struct store_stmt *, int col);
	int64_t		 (*integer)(struct store_stmt *, int col);
	int		 (*null)(struct store_stmt *, int col);
};

extern const struct store_ops	store_sqlite_ops;
extern const struct store_ops	store_postgres_ops;

/* A growing text: { NULL, 0, 0 } to start; s is the caller's to free. */
struct store_buf {
	char	*s;
	size_t	 len, cap;
};

void	 store_buf_put(struct store_buf *, const char *s, size_t n);
void	 store_buf_putc(struct store_buf *, char c);

/* The text of a list parameter ('S' when texts, else 'I'), taken from ap:
 * a JSON array when json (SQLite's json_each()), else a PostgreSQL array.
 * A new string. */
char	*store_list_text(va_list *ap, int texts, int json);

#endif
