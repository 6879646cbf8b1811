/* paystore.h: the payments component of the store: transactions seen. */
#ifndef PAYSTORE_H
#define PAYSTORE_H

#include <stddef.h>

#include "payment.h"
#include "store.h"

/* The schema of the "payments" component, for store_open(). */
extern const struct store_migration	paystore_migrations[];
extern const size_t			paystore_nmigrations;

struct paystore {
	struct store		*store;
	struct store_stmt	*load, *save;
};

/* Open the store named by dbarg (see store_locate()) with the payments
 * schema brought up to date.  Exits as store_open() does on failure. */
void	 paystore_open(struct paystore *, const char *dbarg);
void	 paystore_close(struct paystore *);

/* Call fn for every transaction in the store, with the order id it was
 * matched to (NULL: none yet).  The strings of txn live until fn
 * returns. */
void	 paystore_load(struct paystore *, void (*fn)(void *arg,
	    const struct payment_txn *txn, const char *matched), void *arg);

/* Insert txn, or replace what is kept of it (by provider and id) with its
 * state now; first_seen is kept.  matched, when not NULL, is the order it
 * was matched to; NULL keeps the one stored.  Within store_begin() /
 * store_commit() for speed. */
void	 paystore_save(struct paystore *, const struct payment_txn *txn,
	    const char *matched, int64_t now);

#endif
