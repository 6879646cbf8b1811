/* track.h: following a parcel: what a carrier's answer (carrier.h) adds to
 * what the store knew of the parcel (tracking.h), and the tracking section
 * a change is written with, as track-poll(1) documents them. */
#ifndef TRACK_H
#define TRACK_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "carrier.h"
#include "tracking.h"

enum track_news {
	TRACK_NOTHING,		/* nothing newer than the store knew */
	TRACK_QUIET,		/* new events, the status unchanged */
	TRACK_CHANGE		/* a new status */
};

/*
 * Compare the carrier's answer cp (tracked, its current status known)
 * with old, what the store holds of the parcel p (carrier, number,
 * record_key; old's record_key wins when set), for a run at now (cp's
 * current event without a time happened at now).  News older than the
 * store's is nothing.  Otherwise n is the parcel as the store is to hold
 * it (tracking_quiet() or tracking_change()): its strings borrowed from
 * p, old and cp, its time written in buf (of len 40 at least); events
 * newer than the store's count once each, and failed delivery attempts
 * among them add up.
 */
enum track_news	 track_news(const struct tracking_parcel *p,
		    const struct tracking_parcel *old,
		    const struct carrier_parcel *cp, int64_t now,
		    struct tracking_parcel *n, char *buf, size_t len);

/* The parcels of an order, counted where they are: its status follows. */
struct track_tally {
	int	n, delivered, moving, returning;
};

/* Count a parcel whose status is s. */
void		 track_tally_add(struct track_tally *, enum carrier_status s);

/* The status an order moves to from its parcels': "returning" when one
 * returns, "delivered" when all are, "shipped" when one moves; only
 * forward, along labelled (and the statuses before it), shipped,
 * delivered, returning; NULL when it stays as current (NULL: any). */
const char	*track_order_status(const char *current,
		    const struct track_tally *);

/* {"at","status","location","message","carrier_status":{"code","text"}}
 * of an event; one without a time happened at at (INT64_MIN: unknown) in
 * offset minutes east of UTC.  A new reference. */
json_t		*track_event_json(const struct carrier_event *, int64_t at,
		    int offset);

/* {"tracking_number","status","at"} of a parcel of a record, for the
 * parcels of the tracking section.  A new reference. */
json_t		*track_parcel_json(const struct tracking_parcel *);

/*
 * The tracking section of a change to n (track_news()) of a parcel the
 * store held as old: its status and latest event, the previous status,
 * the events cp gave that the last record written did not show (after
 * old->printed_at; cp's current status when it gave no list), and
 * parcels, a JSON array of the record's parcels (track_parcel_json()),
 * handed over.  A new reference.
 */
json_t		*track_section(const struct tracking_parcel *n,
		    const struct tracking_parcel *old,
		    const struct carrier_parcel *cp, json_t *parcels);

/* The record of a parcel without one: {"order_id" (when known),
 * "carrier","tracking_number"} of p.  A new reference. */
json_t		*track_plain_record(const struct tracking_parcel *p);

/* The parcel a carrier's push names: p (new strings) its carrier (made
 * canonical) and number, and in *stored (released first by the caller)
 * what the store holds of it: the parcel of that carrier and number, else
 * the only one of that number (p's carrier is then that one's), else one
 * added now as a plain line (order_id the push's, NULL: none) in a
 * transaction of its own, keeping the record the store has under its key.
 * p's record_key and order_id are then the stored parcel's. */
void		 track_push_parcel(struct tracking_db *, const char *carrier,
		    const char *number, const char *order_id, int64_t now,
		    struct tracking_parcel *p, struct tracking_parcel *stored);

/* The key of the record a parcel belongs to (tracking.h): its order's id,
 * else "carrier:number".  A new string. */
char		*track_record_key(const char *order_id, const char *carrier,
		    const char *number);

#endif
