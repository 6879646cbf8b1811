/* outbox.h: the outbox component of the store: a call that changes
 * something outside (books a parcel, sends a message) is recorded before
 * it is made and settled after, so that it is made once. */
#ifndef OUTBOX_H
#define OUTBOX_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct store_stmt;

/* The component's schema is store_outbox_migrations (store.h). */

/*
 * An entry is (kind, key): kind names the calls ("ship-book",
 * "ship-cancel", "notify-send"), key the one call ("SHOP-1:2" for parcel 2
 * of order SHOP-1, "SHOP-1:shipped:email:ann@example.com").  Its states:
 *
 *	pending	the intent is recorded and the call may be under way; the
 *		owner (a process, "HOST PID") holds it until lease_until
 *	done	the call was made; result is its outcome: never again
 *	failed	the call was not carried out, or the service refused it:
 *		a later run may claim it and try again
 *	held	the call may have been carried out and the service cannot
 *		be asked: for a person, never called again by a program
 *
 * A failed entry may carry a retry time (outbox_retry()): a claim before
 * it, by the outbox's clock, gets OUTBOX_WAITING and changes nothing.
 * That clock is the records' (--now), set by the caller in clock; 0 (the
 * default) lets every failed entry be claimed at once.
 *
 * A pending entry whose owner is gone (its lease has run out, or it was a
 * process of this host that no longer exists) is in doubt: the next claim
 * gets it as OUTBOX_RECLAIMED, to be settled by asking the service (where
 * it can be asked) before anything is sent again.  Each claim counts an
 * attempt; only the claim's own attempt may settle the entry, so a process
 * that lost its entry to another cannot overwrite what the other found.
 *
 * Times are epoch seconds of the real clock (leases are about processes,
 * not about the records' times).
 */
enum outbox_state {
	OUTBOX_PENDING,
	OUTBOX_DONE,
	OUTBOX_FAILED,
	OUTBOX_HELD
};

enum outbox_claim {
	OUTBOX_CLAIMED,		/* ours to call: no call of it can be out */
	OUTBOX_RECLAIMED,	/* ours, but an earlier call may have been
				 * carried out: settle it first */
	OUTBOX_SETTLED,		/* done: result is the outcome */
	OUTBOX_BUSY,		/* another live process holds it (or this
				 * one, under an earlier claim) */
	OUTBOX_HOLD,		/* held for a person */
	OUTBOX_WAITING		/* failed, and its retry time has not come */
};

struct outbox_entry {
	enum outbox_state state;
	char		*owner;
	int64_t		 lease_until;
	int64_t		 attempts;	/* the claim's own, after a claim */
	char		*intent;	/* JSON text, as the claimer gave it */
	char		*progress;	/* what the call learnt on the way */
	char		*result;	/* done, failed, held: JSON text */
	int64_t		 retry_at;	/* failed: not before (clock) */
};

struct outbox {
	struct store		*st;
	char			 owner[300];	/* "HOST PID" */
	char			 host[256];
	int64_t			 lease;		/* seconds */
	int64_t			 clock;		/* of retry times; 0: none */
	struct store_stmt	*ins, *get, *get_lock, *take, *set;
	struct store_stmt	*note, *defer;
};

/* Prepare the statements on an open store; lease is how long a claim
 * holds an entry, in seconds (at least as long as the calls take, retries
 * included). */
void	 outbox_init(struct outbox *, struct store *, int64_t lease);

void	 outbox_entry_release(struct outbox_entry *);

/*
 * Claim the entry (kind, key) at now, with intent (JSON text; NULL: none)
 * recorded for a new or failed one: what the caller gets, with the entry
 * as it is afterwards in *e (released first by the caller).  Call it in a
 * transaction (store_begin()); on PostgreSQL the entry stays locked until
 * its end, so claim a batch's keys in one order (strcmp(3)) in every
 * program, and two processes wait for each other rather than deadlock.
 */
enum outbox_claim outbox_claim(struct outbox *, const char *kind,
	    const char *key, const char *intent, int64_t now,
	    struct outbox_entry *e);

/* The entry as stored: 1, or 0 when there is none. */
int	 outbox_get(struct outbox *, const char *kind, const char *key,
	    struct outbox_entry *e);

/* Record what the call learnt on the way (an id the service gave before
 * the call was over), for whoever settles the entry if this process dies:
 * 1, or 0 when the entry is no longer the attempt's. */
int	 outbox_progress(struct outbox *, const char *kind, const char *key,
	    int64_t attempt, const char *progress, int64_t now);

/* Settle the attempt's entry: done with result, failed (a later run may
 * try again) or held (for a person), each with result JSON text.  1, or 0
 * when the entry is no longer the attempt's (another process took it over
 * after the lease ran out): the caller then says so. */
int	 outbox_done(struct outbox *, const char *kind, const char *key,
	    int64_t attempt, const char *result, int64_t now);
int	 outbox_fail(struct outbox *, const char *kind, const char *key,
	    int64_t attempt, const char *result, int64_t now);
int	 outbox_hold(struct outbox *, const char *kind, const char *key,
	    int64_t attempt, const char *result, int64_t now);

/* outbox_fail(), to be tried again no sooner than retry_at by the
 * outbox's clock (INT64_MAX: never by a program). */
int	 outbox_retry(struct outbox *, const char *kind, const char *key,
	    int64_t attempt, const char *result, int64_t retry_at,
	    int64_t now);

/* An entry of a batch: key and intent in, the claim and the entry out. */
struct outbox_item {
	const char		*key;		/* borrowed */
	const char		*intent;	/* borrowed; NULL: none */
	enum outbox_claim	 claim;
	struct outbox_entry	 e;		/* released by the caller */
};

/* Claim items[0..n-1] with outbox_claim() in one transaction, in key order
 * (strcmp(3)), so that two processes claiming the same keys wait for each
 * other rather than deadlock; a key given twice is OUTBOX_BUSY the second
 * time (this process holds it). */
void	 outbox_claim_all(struct outbox *, const char *kind,
	    struct outbox_item **items, size_t n, int64_t now);

/* Wait for the items claimed OUTBOX_BUSY, reading the store every 100 ms,
 * until none is pending under another owner any more, or until deadline
 * (epoch seconds of the real clock): each such item's e is its entry as
 * last read.  An entry this process holds is not waited for (no one else
 * will settle it), nor is one of no row (deleted: state pending).  The
 * number of items still pending. */
size_t	 outbox_wait(struct outbox *, const char *kind,
	    struct outbox_item **items, size_t n, int64_t deadline);

/* "pending", "done", ...; and back (-1 for no such name). */
const char *outbox_state_name(enum outbox_state);
int	 outbox_state_parse(const char *);

#endif
