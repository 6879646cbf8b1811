/* paystore.h: the payments component of the store: transactions seen. */
#ifndef PAYSTORE_H
#define PAYSTORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "payment.h"
#include "store.h"

/* The schema of the "payments" component, for store_open(). */
extern const struct store_migration	paystore_migrations[];
extern const size_t			paystore_nmigrations;

/* What paystore_find() looks a list of keys up by. */
enum paystore_by {
	PAYSTORE_ID,		/* txn_id: the transactions themselves */
	PAYSTORE_REF,		/* order_ref or alt_ref: an order's id */
	PAYSTORE_TID,		/* txn_id or intent: payment.transaction_id */
	PAYSTORE_PARENT,	/* parent_id: the refunds of charges */
	PAYSTORE_NBY
};

struct paystore {
	struct store		*store;
	struct store_stmt	*find[PAYSTORE_NBY], *save;
	struct store_stmt	*save_one;	/* SQLite: a row at a time */
	json_t			*batch;		/* rows paystore_save() holds */
	int64_t			 batch_now;	/* their time */
};

/* Open the store named by dbarg (see store_locate()) with the payments
 * schema brought up to date.  Exits as store_open() does on failure. */
void	 paystore_open(struct paystore *, const char *dbarg);

/* Close the store; rows not flushed are lost. */
void	 paystore_close(struct paystore *);

/* Call fn for every stored transaction whose column (see by) is one of the
 * n keys, with the order id it was matched to (NULL: none yet); a row may
 * come more than once.  Only these rows are read, through indexes, so a run
 * reads what it needs and not the store's whole history.  The strings of
 * txn live until fn returns. */
void	 paystore_find(struct paystore *, enum paystore_by,
	    const char *const *keys, size_t n, void (*fn)(void *arg,
	    const struct payment_txn *txn, const char *matched), void *arg);

/* Insert txn, or replace what is kept of it (by provider and id) with its
 * state now; first_seen is kept.  matched, when not NULL, is the order it
 * was matched to; NULL keeps the one stored.  Rows are held and written
 * many to a statement; call within store_begin(), and paystore_flush()
 * before store_commit().  One txn (provider and id) at most once a flush. */
void	 paystore_save(struct paystore *, const struct payment_txn *txn,
	    const char *matched, int64_t now);

/* Write the rows paystore_save() holds. */
void	 paystore_flush(struct paystore *);

#endif
