/* returnstore.h: the returns component of the store: the requests
 * return-open decided, the returns it opened and their items. */
#ifndef RETURNSTORE_H
#define RETURNSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* The schema of the "returns" component, for store_open(). */
extern const struct store_migration	returnstore_migrations[];
extern const size_t			returnstore_nmigrations;

/*
 * The lock order: a transaction that opens returns first locks the ids of
 * the orders it decides on (returnstore_lock(), sorted, PostgreSQL
 * advisory locks; SQLite's BEGIN IMMEDIATE lets one writer in at a time),
 * and only then reads what the orders have had returned, so that two
 * processes never count the same units twice.  All but open and close run
 * in the caller's transaction.
 */
struct returnstore {
	struct store		*st;
	struct store_stmt	*lock, *request, *add_request, *counts;
	struct store_stmt	*refunded, *add_return, *add_item;
	struct store_stmt	*by_rma, *items, *receive, *set_return;
	struct store_stmt	*open_refunds, *movement;
};

/* Open the store named by dbarg (store_locate()) with the stock, the
 * tracking and the returns schemas brought up to date (store_open()). */
void	 returnstore_open(struct returnstore *, const char *dbarg);
void	 returnstore_close(struct returnstore *);

/* Lock the n order ids (in any order, repeats allowed). */
void	 returnstore_lock(struct returnstore *, const char *const *ids,
	    size_t n);

/* The lines written for the request key when it was decided: 1 with new
 * strings in *out and *rej (NULL: none), or 0 when it is new. */
int	 returnstore_request(struct returnstore *, const char *key,
	    char **out, char **rej);

/* Record what was written for the request key of order_id. */
void	 returnstore_add_request(struct returnstore *, const char *key,
	    const char *order_id, const char *out, const char *rej,
	    int64_t now);

/* Call fn with each SKU of order_id's returns, the decision they are under
 * ("approved", "needs_review") and the units. */
void	 returnstore_counts(struct returnstore *, const char *order_id,
	    void (*fn)(void *arg, const char *sku, const char *decision,
	    int64_t qty), void *arg);

/* The refunds of order_id's approved returns, added up. */
int64_t	 returnstore_refunded(struct returnstore *, const char *order_id);

/* Record a return and its items. */
void	 returnstore_add(struct returnstore *, const char *rma,
	    const char *key, const char *order_id, const char *decision,
	    int64_t amount, const char *currency, const char *due_by,
	    const char *record, int64_t now);
void	 returnstore_add_item(struct returnstore *, const char *rma,
	    const char *sku, int64_t qty);

/* The return rma: 1 with its order id, decision, state, amount and
 * record (new strings), or 0. */
struct returnstore_return {
	char	*order_id, *decision, *state, *currency, *due_by, *record;
	int64_t	 amount;
};
int	 returnstore_get(struct returnstore *, const char *rma,
	    struct returnstore_return *);
void	 returnstore_return_release(struct returnstore_return *);

/* Call fn with each item of rma: sku, qty announced, qty received. */
void	 returnstore_items(struct returnstore *, const char *rma,
	    void (*fn)(void *arg, const char *sku, int64_t qty,
	    int64_t received), void *arg);

/* Count qty more of sku of rma received. */
void	 returnstore_receive(struct returnstore *, const char *rma,
	    const char *sku, int64_t qty);

/* Set the state, amount, due_by and record of rma after its receipt. */
void	 returnstore_update(struct returnstore *, const char *rma,
	    const char *state, int64_t amount, const char *due_by,
	    const char *record);

/* Record that qty of sku of rma came back in condition and was put back
 * on hand at warehouse ("restock") or written off ("write_off"). */
void	 returnstore_movement(struct returnstore *, const char *rma,
	    const char *sku, const char *warehouse, int64_t qty,
	    const char *disposition, const char *condition, int64_t at);

/* Call fn with each approved return whose refund is owed (amount above 0,
 * state not "refunded"), outside a transaction. */
void	 returnstore_open_refunds(struct returnstore *, void (*fn)(void *arg,
	    const char *rma, const char *order_id, int64_t amount,
	    const char *currency, const char *due_by), void *arg);

#endif
