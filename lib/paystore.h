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
	struct store_stmt	*lock, *claim, *claim_one;
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
 * was matched to, kept when the row has none: the order a row has stays
 * (see paystore_claim()).  Rows are held and written many to a statement;
 * call within store_begin(), and paystore_flush() before store_commit().
 * One txn (provider and id) at most once a flush.  Rows are locked in the
 * order of the calls: make it the order of provider and id, as
 * paystore_claim() does, so that two runs cannot deadlock. */
void	 paystore_save(struct paystore *, const struct payment_txn *txn,
	    const char *matched, int64_t now);

/* Write the rows paystore_save() holds. */
void	 paystore_flush(struct paystore *);

/*
 * A transaction pays one order, however many runs claim it at once.  A run
 * claims the transactions its orders count before it writes any of them
 * out, in a transaction of its own:
 *
 *	store_begin(); paystore_lock(keys); paystore_find(the keys' rows);
 *	decide; paystore_claim(those still free); store_commit();
 *
 * paystore_lock() takes, until the transaction ends, a lock on each of the
 * n keys (texts that name a payment: a transaction's provider and id, or
 * its provider and payment intent), so that the runs that claim one
 * payment, under any of its ids, take turns and each reads the rows the one
 * before it wrote.  On PostgreSQL these are advisory locks, taken sorted
 * in one statement, so that two runs cannot deadlock; on SQLite nothing,
 * as store_begin()'s BEGIN IMMEDIATE lets one writer in at a time.  Call it
 * first in the transaction.
 *
 * paystore_claim() saves each txns[i] as paystore_save() does, matched to
 * orders[i], at once: a row that has an order keeps it, so the store never
 * gives a transaction a second order.  fn is called with the provider, id
 * and the order that holds each row after the call (orders[i] when the
 * claim took).  The n are sorted by provider and id, the order rows are
 * locked in.
 */
void	 paystore_lock(struct paystore *, const char *const *keys,
	    size_t n);
void	 paystore_claim(struct paystore *, const struct payment_txn *txns,
	    const char *const *orders, size_t n, int64_t now,
	    void (*fn)(void *arg, const char *provider, const char *id,
	    const char *holder), void *arg);

#endif
