/* track.c: what a carrier's answer adds to what the store knew of a
 * parcel, and the tracking section of a change (track.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "carrier.h"
#include "jsonx.h"
#include "rfc3339.h"
#include "store.h"
#include "track.h"
#include "tracking.h"
#include "xalloc.h"

enum track_news
track_news(const struct tracking_parcel *p, const struct tracking_parcel *old,
    const struct carrier_parcel *cp, int64_t now, struct tracking_parcel *n,
    char *buf, size_t len)
{
	int64_t at, known_at;
	int nnew = 0, fails = 0;
	size_t i;

	at = cp->now.has_time ? cp->now.at : now;
	if (old->has_event && at < old->event_at)
		return TRACK_NOTHING;	/* older news than the store has */
	known_at = old->has_event ? old->event_at : INT64_MIN;
	for (i = 0; i < cp->nevents; i++) {
		const struct carrier_event *e = &cp->events[i];

		if (e->has_time ? e->at > known_at : known_at == INT64_MIN) {
			nnew++;
			fails += e->status == CARRIER_FAILED_ATTEMPT;
		}
	}
	if (cp->nevents == 0 && at > known_at) {
		nnew = 1;
		fails = cp->now.status == CARRIER_FAILED_ATTEMPT;
	}
	memset(n, 0, sizeof(*n));
	n->carrier = p->carrier;
	n->number = p->number;
	n->record_key = old->record_key != NULL ? old->record_key :
	    p->record_key;
	n->status = (char *)carrier_status_name(cp->now.status);
	n->code = cp->now.code;
	n->text = cp->now.text;
	n->time = rfc3339_format(at, cp->now.has_time ? cp->now.offset : 0,
	    buf, len);
	n->location = cp->now.location;
	n->message = cp->now.message;
	n->event_at = at;
	n->has_event = 1;
	n->printed_at = at;
	n->event_seq = old->event_seq + (nnew > 0);
	n->failed_attempts = old->failed_attempts + fails;
	n->final = carrier_status_final(cp->now.status);
	if (old->status == NULL || strcmp(old->status, n->status) != 0)
		return TRACK_CHANGE;
	return nnew > 0 ? TRACK_QUIET : TRACK_NOTHING;
}

void
track_tally_add(struct track_tally *t, enum carrier_status s)
{
	t->n++;
	if (s == CARRIER_DELIVERED)
		t->delivered++;
	if (s == CARRIER_RETURN_TO_SENDER)
		t->returning++;
	if (s == CARRIER_IN_TRANSIT || s == CARRIER_OUT_FOR_DELIVERY ||
	    s == CARRIER_AVAILABLE_FOR_PICKUP || s == CARRIER_FAILED_ATTEMPT ||
	    s == CARRIER_DELIVERED || s == CARRIER_EXCEPTION)
		t->moving++;
}

const char *
track_order_status(const char *current, const struct track_tally *t)
{
	static const char *const before[] = { "new", "validated", "reserved",
	    "paid", "cod", "booked", "labelled" };
	const char *to = NULL;
	int rank_from = -1, rank_to;
	size_t i;

	if (t->returning > 0)
		to = "returning";
	else if (t->n > 0 && t->delivered == t->n)
		to = "delivered";
	else if (t->moving > 0)
		to = "shipped";
	if (to == NULL || current == NULL)
		return to;
	for (i = 0; i < sizeof(before) / sizeof(before[0]); i++)
		if (strcmp(current, before[i]) == 0)
			rank_from = 0;
	if (strcmp(current, "shipped") == 0)
		rank_from = 1;
	else if (strcmp(current, "delivered") == 0)
		rank_from = 2;
	else if (strcmp(current, "returning") == 0)
		rank_from = 3;
	rank_to = strcmp(to, "shipped") == 0 ? 1 :
	    strcmp(to, "delivered") == 0 ? 2 : 3;
	return rank_from >= 0 && rank_to > rank_from ? to : NULL;
}

json_t *
track_event_json(const struct carrier_event *e, int64_t at, int offset)
{
	char buf[40];
	json_t *o;

	o = json_pack("{s:o,s:o,s:o,s:o,s:{s:o,s:o}}",
	    "at", jsonx_string_or_null(e->has_time || at != INT64_MIN ?
	    rfc3339_format(e->has_time ? e->at : at, e->has_time ? e->offset :
	    offset, buf, sizeof(buf)) : NULL),
	    "status", jsonx_string_or_null(carrier_status_name(e->status)),
	    "location", jsonx_string_or_null(e->location),
	    "message", jsonx_string_or_null(e->message),
	    "carrier_status", "code", jsonx_string_or_null(e->code),
	    "text", jsonx_string_or_null(e->text));
	if (o == NULL)
		xnomem();
	return o;
}

json_t *
track_parcel_json(const struct tracking_parcel *p)
{
	json_t *o;

	o = json_pack("{s:s,s:o,s:o}", "tracking_number", p->number,
	    "status", jsonx_string_or_null(p->status),
	    "at", jsonx_string_or_null(p->time));
	if (o == NULL)
		xnomem();
	return o;
}

json_t *
track_section(const struct tracking_parcel *n,
    const struct tracking_parcel *old, const struct carrier_parcel *cp,
    json_t *parcels)
{
	json_t *t, *events;
	size_t i;

	if ((events = json_array()) == NULL)
		xnomem();
	for (i = 0; i < cp->nevents; i++) {
		const struct carrier_event *e = &cp->events[i];

		if (old->printed_at == INT64_MIN ||
		    (e->has_time && e->at > old->printed_at))
			jsonx_append_new(events,
			    track_event_json(e, INT64_MIN, 0));
	}
	if (cp->nevents == 0)
		jsonx_append_new(events, track_event_json(&cp->now,
		    n->event_at, 0));
	t = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:{s:o,s:o},s:o,s:o}",
	    "tracking_number", n->number,
	    "status", n->status,
	    "previous_status", jsonx_string_or_null(old->status),
	    "at", jsonx_string_or_null(n->time),
	    "location", jsonx_string_or_null(n->location),
	    "message", jsonx_string_or_null(n->message),
	    "carrier_status", "code", jsonx_string_or_null(n->code),
	    "text", jsonx_string_or_null(n->text),
	    "events", events,
	    "parcels", parcels);
	if (t == NULL)
		xnomem();
	return t;
}

json_t *
track_plain_record(const struct tracking_parcel *p)
{
	json_t *rec;

	if ((rec = json_object()) == NULL)
		xnomem();
	if (p->order_id != NULL)
		jsonx_set_new(rec, "order_id", json_string(p->order_id));
	jsonx_set_new(rec, "carrier", json_string(p->carrier));
	jsonx_set_new(rec, "tracking_number", json_string(p->number));
	return rec;
}

char *
track_record_key(const char *order_id, const char *carrier,
    const char *number)
{
	size_t len;
	char *key;

	if (order_id != NULL)
		return xstrdup(order_id);
	len = strlen(carrier) + strlen(number) + 2;
	key = xmalloc(len);
	snprintf(key, len, "%s:%s", carrier, number);
	return key;
}

void
track_push_parcel(struct tracking_db *db, const char *carrier,
    const char *number, const char *order_id, int64_t now,
    struct tracking_parcel *p, struct tracking_parcel *stored)
{
	json_t *rec;
	char *text;

	p->carrier = carrier_canonical(carrier);
	p->number = xstrdup(number);
	if (!tracking_get(db, p->carrier, p->number, stored) &&
	    tracking_get_number(db, p->number, stored)) {
		free(p->carrier);
		p->carrier = xstrdup(stored->carrier);
	}
	if (stored->carrier != NULL) {
		p->record_key = xstrdup(stored->record_key);
		if (stored->order_id != NULL)
			p->order_id = xstrdup(stored->order_id);
		return;
	}
	/* A parcel the store does not know: a plain line, whose record is
	 * kept when the store has one. */
	if (order_id != NULL)
		p->order_id = xstrdup(order_id);
	p->record_key = track_record_key(p->order_id, p->carrier, p->number);
	if ((text = tracking_record(db, p->record_key)) == NULL) {
		rec = track_plain_record(p);
		text = jsonx_text(rec);
		json_decref(rec);
	} else {
		free(text);
		text = NULL;
	}
	store_begin(db->st);
	tracking_add(db, p, text, now, NULL);
	store_commit(db->st);
	free(text);
	tracking_get(db, p->carrier, p->number, stored);
}
