/* paymatch-int.h: what match.c gives matchdb.c beyond paymatch.h. */
#ifndef PAYMATCH_INT_H
#define PAYMATCH_INT_H

#include <stddef.h>

#include "payment.h"
#include "paymatch.h"

/* The key of a transaction: provider, US, id, in buf (of len bytes). */
const char *paymatch_key(const char *provider, const char *id, char *buf,
	    size_t len);

/* The index of the transaction whose key is key, or -1. */
long	 paymatch_lookup(const struct paymatch *, const char *key);

/* Add p (copied, its strings into the arena), read from file (NULL: from
 * the store, matched to matched), or merge it into the transaction of its
 * key when there is one (the first report of an amount counts); returns
 * the transaction. */
struct paymatch_txn *paymatch_add(struct paymatch *,
	    const struct payment_txn *p, const char *file, int from_store,
	    const char *matched);

/* Index the transactions from index from on. */
void	 paymatch_index_from(struct paymatch *, size_t from);

#endif
