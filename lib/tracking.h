/* tracking.h: the tracking component of the store: every parcel followed,
 * its last known status, the record it belongs to, carriers' tokens. */
#ifndef TRACKING_H
#define TRACKING_H

#include <stddef.h>
#include <stdint.h>

struct store;
struct store_stmt;

/* The component's schema is store_tracking_migrations (store.h). */

/*
 * A parcel is (carrier, tracking_number), carrier the canonical name
 * (carrier.h).  It belongs to a record: the order it ships (record_key is
 * the order id) or, for a plain line without one, the line itself
 * (record_key "carrier:number").  Its status changes only together with
 * the record written for the change, in one transaction, and only from the
 * status the writer saw (compare and set), so two processes write each
 * change once and a failed write leaves the change for the next run.
 */
struct tracking_parcel {
	char	*carrier, *number, *record_key, *order_id, *phone;
	char	*status;		/* the vocabulary; NULL: nothing yet */
	char	*code, *text;		/* the carrier's own */
	char	*time;			/* the latest event's, RFC 3339 */
	char	*location, *message;
	int64_t	 event_at;		/* epoch of time (or of the poll) */
	int	 has_event;		/* event_at is set: status is not NULL */
	int64_t	 printed_at;		/* event_at of the last record written,
					 * INT64_MIN before the first */
	int64_t	 event_seq;		/* +1 whenever new events came */
	int64_t	 failed_attempts;	/* failed delivery attempts seen */
	int64_t	 stuck_seq;		/* event_seq when reported stuck */
	int64_t	 failed_reported;	/* failed_attempts when reported */
	int64_t	 first_seen;
	int	 final;			/* delivered, returned, cancelled */
};

struct tracking_db {
	struct store		*st;
	struct store_stmt	*get, *get_number, *add, *change, *quiet;
	struct store_stmt	*of_record;
	struct store_stmt	*rec_get, *rec_put, *open;
	struct store_stmt	*problems, *claim_stuck, *claim_failed;
	struct store_stmt	*tok_get, *tok_put;
	struct store_stmt	*lock_parcels, *lock_records;
	struct store_stmt	*add_many, *records_many;
};

/* Prepare the statements on an open store. */
void	 tracking_init(struct tracking_db *, struct store *);

void	 tracking_parcel_release(struct tracking_parcel *);

/* *to becomes a copy of from, its strings new (to is not released
 * first). */
void	 tracking_parcel_copy(struct tracking_parcel *to,
	    const struct tracking_parcel *from);

/* Remember a parcel (carrier, number, record_key, order_id, phone of p)
 * first seen at now, and the record it belongs to (JSON text; NULL keeps
 * what is stored).  Known parcels keep their status.  What the store now
 * holds goes to *stored (released first) when it is not NULL. */
void	 tracking_add(struct tracking_db *, const struct tracking_parcel *p,
	    const char *record, int64_t now, struct tracking_parcel *stored);

/* tracking_add() for ps[0..n-1] in one statement (no two alike), fn
 * called with what the store holds for each, in no order. */
void	 tracking_add_many(struct tracking_db *,
	    const struct tracking_parcel *const *ps, size_t n, int64_t now,
	    void (*fn)(const struct tracking_parcel *, void *), void *arg);

/* tracking_set_record() for keys[i] and records[i], i < n, in one
 * statement; of a key given more than once, the last record counts. */
void	 tracking_set_records(struct tracking_db *, const char *const *keys,
	    const char *const *records, size_t n);

/* In a transaction on PostgreSQL, lock the parcels (carriers[i],
 * numbers[i]) and the records keys[0..nkeys-1], given in any order, in a
 * fixed order, so that two processes changing the same rows wait for
 * each other rather than deadlock.  Nothing on SQLite, whose transactions
 * hold the whole store. */
void	 tracking_lock(struct tracking_db *, const char *const *carriers,
	    const char *const *numbers, size_t n, const char *const *keys,
	    size_t nkeys);

/* The stored parcel into *p (released first by the caller): 1, or 0 when
 * it is not known. */
int	 tracking_get(struct tracking_db *, const char *carrier,
	    const char *number, struct tracking_parcel *p);

/* The one stored parcel with this number, whatever its carrier (an
 * aggregator's webhook names the carrier its own way): 1, or 0 when none
 * or several have it. */
int	 tracking_get_number(struct tracking_db *, const char *number,
	    struct tracking_parcel *p);

/* Set the status and latest event of p as seen (status, code, text, time,
 * location, message, event_at, printed_at, event_seq, failed_attempts,
 * final), if the stored status is still old_status (NULL: none) and the
 * stored event is not newer: 1, or 0 when another process was first. */
int	 tracking_change(struct tracking_db *, const struct tracking_parcel *p,
	    const char *old_status);

/* Remember newer events of p whose status did not change (all but
 * status and printed_at), unless the stored event is newer. */
void	 tracking_quiet(struct tracking_db *, const struct tracking_parcel *p);

/* Call fn for each parcel of the record key, by tracking number. */
void	 tracking_each_of_record(struct tracking_db *, const char *key,
	    void (*fn)(const struct tracking_parcel *, void *), void *arg);

/* The record stored under key, a new string (NULL: none); replace it. */
char	*tracking_record(struct tracking_db *, const char *key);
void	 tracking_set_record(struct tracking_db *, const char *key,
	    const char *record);

/* Up to limit parcels that are not final (of carrier, when not NULL),
 * after (after_carrier, after_number) in their order (NULLs: from the
 * first): fn is called for each; the count. */
size_t	 tracking_each_open(struct tracking_db *, const char *carrier,
	    const char *after_carrier, const char *after_number, size_t limit,
	    void (*fn)(const struct tracking_parcel *, void *), void *arg);

/* Parcels not final (of carrier, when not NULL) that are stuck (no event
 * since now - stuck seconds, counting from first_seen without one, not
 * reported since their last event; stuck 0: none) or have two or more
 * failed delivery attempts not yet reported. */
void	 tracking_each_problem(struct tracking_db *, const char *carrier,
	    int64_t now, int64_t stuck,
	    void (*fn)(const struct tracking_parcel *, void *), void *arg);

/* Mark the problem reported: 1, or 0 when another process was first or
 * the parcel moved on. */
int	 tracking_claim_stuck(struct tracking_db *,
	    const struct tracking_parcel *);
int	 tracking_claim_failed(struct tracking_db *,
	    const struct tracking_parcel *);

/* A service's access token valid at now (new string), or NULL; keep one
 * until expires_at. */
char	*tracking_token(struct tracking_db *, const char *service,
	    int64_t now);
void	 tracking_set_token(struct tracking_db *, const char *service,
	    const char *token, int64_t expires_at);

#endif
