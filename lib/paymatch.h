/* paymatch.h: payment transactions matched to orders: those a run reads
 * and those the store keeps, indexed by their ids and the order ids they
 * name, refunds linked to their charges and charges to their payment
 * intents; an order's transactions, and what they add up to. */
#ifndef PAYMATCH_H
#define PAYMATCH_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "payment.h"
#include "strmap.h"

struct paystore;
struct reject_stream;

/* A transaction in memory: read this run, or kept in the store.  Its
 * strings are in the set's arena. */
struct paymatch_txn {
	struct payment_txn p;
	const char	*file;		/* the --payments file, or NULL */
	const char	*matched;	/* order it paid for, or NULL */
	const char	*claim;		/* claiming order, not yet stored */
	unsigned char	 in_file;	/* read this run */
	unsigned char	 dirty;		/* to be written to the store */
	unsigned char	 stored;	/* in the store before the run */
	unsigned char	 matched_now;	/* matched this run */
	unsigned char	 indexed;	/* in by_ref, by_tid, linked */
	unsigned char	 expanded;	/* its stored relatives looked up */
	unsigned char	 linked_overflow; /* linked does not fit */
	int64_t		 linked;	/* refund objects that point to it */
	uint32_t	 parent_idx;	/* charge of a refund, +1; 0 none */
	uint32_t	 first_child;	/* first refund of a charge, +1 */
	uint32_t	 next_sibling;	/* next refund of the same charge, +1 */
	uint32_t	 intent_idx;	/* a charge's payment intent, +1 */
	uint32_t	 first_charge;	/* an intent's first charge, +1 */
	uint32_t	 next_charge;	/* next charge of its intent, +1 */
	uint32_t	 mark;		/* last order that collected it */
};

/* Several transactions under one key, for the hash join of orders and
 * transactions: the map holds the key's latest posting + 1, and each
 * posting the one added before it under that key. */
struct paymatch_postings {
	struct strmap	 heads;
	struct paymatch_posting {
		uint32_t	 value, next;	/* next: posting + 1 */
	}		*posts;
	size_t		 n, cap;
};

struct paymatch {
	struct arena	 arena;		/* strings living as long as the set */
	struct paymatch_txn *txns;
	size_t		 ntxns, captxns;
	struct strmap	 by_key;	/* provider\x1fid: its transaction */
	struct paymatch_postings by_ref; /* order id: transactions naming it */
	struct paymatch_postings by_tid; /* id and intent: the order's own */
	struct paymatch_postings by_parent; /* provider\x1fparent: refunds */
	uint32_t	*found;		/* paymatch_find(): the order's */
	size_t		 nfound, capfound;
	uint32_t	*taken;		/* ... and those another order holds */
	size_t		 ntaken, captaken;
	uint32_t	 mark;
	unsigned long	 nnew;		/* transactions the store lacked */
	struct paystore	*store;
	int64_t		 now;		/* the time rows are saved at */
	/* told of a transaction reported again with another kind, currency
	 * or amount (the first report counts), with a message */
	void		(*conflict)(void *arg, const struct paymatch_txn *,
			    const char *message);
	void		*arg;
};

/* An empty set whose transactions the store ps keeps, written at time
 * now; conflict (or NULL) is told of transactions reported twice
 * differently, with arg. */
void	 paymatch_init(struct paymatch *, struct paystore *ps, int64_t now,
	    void (*conflict)(void *, const struct paymatch_txn *,
	    const char *), void *arg);
void	 paymatch_release(struct paymatch *);

/*
 * Read the transactions of the payments file file from pr, with the rows
 * the store keeps of them first (what was seen before counts first) and
 * their relatives there: the refunds of each charge, the charge of each
 * refund, a payment intent's charges.  Problems go to rejects (see
 * payment_next()).  Returns the number of transactions read.  Then
 * paymatch_index() indexes them and paymatch_save() writes what is new or
 * changed.
 */
unsigned long paymatch_read(struct paymatch *, struct payment_reader *pr,
	    const char *file, struct reject_stream *rejects);
void	 paymatch_index(struct paymatch *);

/* Write what changed to the store, in one store transaction, rows sorted
 * by provider and id (the order PostgreSQL locks them in, the same in
 * every run, so that two runs cannot deadlock). */
void	 paymatch_save(struct paymatch *);

/* Bring in from the store, and index, what n orders may need: the
 * transactions that name ids[i] or whose id or payment intent is tids[i],
 * and their relatives.  Any of them may be NULL. */
void	 paymatch_load(struct paymatch *, const char *const *ids,
	    const char *const *tids, size_t n);

/*
 * Claim in the store, before any of the n orders (ids[i], with
 * payment.transaction_id tids[i] or NULL) is written out, the charges
 * each would take, so that another run reconciling at the same time
 * cannot count them too: the orders are looked at in turn, as they will
 * be reconciled, each claiming what belongs to no order yet; then, in one
 * store transaction, the claimed payments are locked by id and payment
 * intent, their rows read again, and each claim that no other run made
 * since is written.  A charge another run took is that run's order's
 * here too.  Returns the number of claims: the rows read again may bring
 * charges that no order holds, so the caller calls again until there are
 * none.
 */
size_t	 paymatch_claim(struct paymatch *, const char *const *ids,
	    const char *const *tids, size_t n);

/* An order is known by its identity: its source and its id, a unit
 * separator between them ("shopify\x1f#1001"), or its id alone when it
 * has no source.  Two shops' #1001 are two orders; an order held by id
 * alone (a report names no source; a store from before sources) is the
 * order of that id from any source. */
#define PAYMATCH_US	'\x1f'
#define PAYMATCH_KEYLEN	256

/* The customer-visible id of an identity: what follows the separator, or
 * all of it. */
const char *paymatch_order_id(const char *ident);

/* The key an order identity is looked up and held by: its id as
 * payment_ref_clean() leaves it ("#1001" is "1001"), after its source;
 * ident as it is when that leaves nothing or does not fit.  buf holds
 * PAYMATCH_KEYLEN bytes. */
const char *paymatch_order_key(const char *ident, char *buf);

/* Whether held, an order identity or id as the store, a report or an
 * order writes it, is the order whose key is key. */
int	 paymatch_same_order(const char *held, const char *key);

/* The transactions of the order whose key is key and whose
 * payment.transaction_id is tid (or NULL) into m->found, and those of
 * them that another order holds into m->taken; indexes into m->txns. */
void	 paymatch_find(struct paymatch *, const char *key, const char *tid);

/*
 * The order that transaction t belongs to, or NULL while it belongs to
 * none: the one it was matched to, in this run or in the store; else the
 * one that claims it (paymatch_claim()); else the one the provider's
 * report names in its metadata, invoice or custom field (not a
 * description), whether or not that order has come.  A refund whose
 * charge is known is that charge's; a payment intent and its charges are
 * one payment, whose order is the first any of them has.  *named tells
 * whether the report names the order.
 */
const char *paymatch_holder(const struct paymatch *,
	    const struct paymatch_txn *t, int *named);

/* The transactions found are the order id's (key its key): matched to
 * it this run, with the payment intents their charges stand for. */
void	 paymatch_settle(struct paymatch *, const char *id,
	    const char *key);

/* The order a transaction of t's payment (t, its intent or the intent's
 * charges) was matched to, or NULL. */
const char *paymatch_payment_order(const struct paymatch *,
	    const struct paymatch_txn *t);

/* Whether t is a payment intent one of its charges, as far along, stands
 * for: counted through the charge, not beside it. */
int	 paymatch_superseded(const struct paymatch *,
	    const struct paymatch_txn *t);

/* The refunds charge t reports beyond the refund objects linked to it
 * into *extra (0 when none): 0, or -1 when the sums do not fit. */
int	 paymatch_unlinked_refunds(const struct paymatch_txn *t,
	    int64_t *extra);

/* The classes of an order, in the order of a summary's counts. */
enum paymatch_class {
	PAYMATCH_PAID, PAYMATCH_UNDERPAID, PAYMATCH_OVERPAID, PAYMATCH_UNPAID,
	PAYMATCH_PENDING, PAYMATCH_DUPLICATE, PAYMATCH_CURRENCY_MISMATCH,
	PAYMATCH_REFUNDED, PAYMATCH_PARTIALLY_REFUNDED, PAYMATCH_COD,
	PAYMATCH_AMOUNT_OVERFLOW,
	PAYMATCH_MARKETPLACE_PAID,	/* the sales channel collected it, by
					 * its profile; no report says so */
	PAYMATCH_NCLASSES
};

/* Their names, as payment.status and reject codes write them. */
extern const char *const paymatch_class_names[PAYMATCH_NCLASSES];

/* What the transactions found add up to, for an order of total in
 * currency (exponent its decimals). */
struct paymatch_tally {
	int64_t		 captured, refunded, fees, net, total;
	unsigned	 ncaptured, nauthorized, npending, nfailed;
	int		 other_currency;
	const char	*overflow;	/* the sum that does not fit, or NULL */
	const char	*currency;
	int		 exponent;
};

/* The class of the order whose transactions were found, its sums into
 * tl (total, currency and exponent set by the caller); cod when it is
 * paid in cash on delivery. */
enum paymatch_class paymatch_classify(const struct paymatch *, int cod,
	    struct paymatch_tally *tl);

#endif
