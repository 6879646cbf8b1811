/* cdek.c: CDEK API v2: an OAuth client-credentials token (cached in the
 * store until it expires), GET /orders?cdek_number= per parcel, and the
 * ORDER_STATUS webhook. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "carrier.h"
#include "conf.h"
#include "http.h"
#include "tracking.h"
#include "xalloc.h"

/* The order statuses of CDEK's API v2 (appendix 1), old and new names. */
static const struct carrier_code codes[] = {
	{ "ACCEPTED", CARRIER_PRE_TRANSIT },
	{ "CREATED", CARRIER_PRE_TRANSIT },
	{ "REMOVED", CARRIER_CANCELLED },
	{ "INVALID", CARRIER_EXCEPTION },
	{ "RECEIVED_AT_SHIPMENT_WAREHOUSE", CARRIER_IN_TRANSIT },
	{ "READY_TO_SHIP_AT_SENDING_OFFICE", CARRIER_IN_TRANSIT },
	{ "READY_FOR_SHIPMENT_IN_SENDER_CITY", CARRIER_IN_TRANSIT },
	{ "RETURNED_TO_SENDER_WAREHOUSE", CARRIER_IN_TRANSIT },
	{ "RETURNED_TO_SENDER_CITY_WAREHOUSE", CARRIER_IN_TRANSIT },
	{ "PASSED_TO_CARRIER_AT_SENDING_OFFICE", CARRIER_IN_TRANSIT },
	{ "TAKEN_BY_TRANSPORTER_FROM_SENDER_CITY", CARRIER_IN_TRANSIT },
	{ "SEND_TO_TRANSIT_OFFICE", CARRIER_IN_TRANSIT },
	{ "SENT_TO_TRANSIT_CITY", CARRIER_IN_TRANSIT },
	{ "MET_AT_TRANSIT_OFFICE", CARRIER_IN_TRANSIT },
	{ "ACCEPTED_IN_TRANSIT_CITY", CARRIER_IN_TRANSIT },
	{ "ACCEPTED_TO_OFFICE_TRANSIT_WAREHOUSE", CARRIER_IN_TRANSIT },
	{ "ACCEPTED_AT_TRANSIT_WAREHOUSE", CARRIER_IN_TRANSIT },
	{ "ENTERED_TO_OFFICE_TRANSIT_WAREHOUSE", CARRIER_IN_TRANSIT },
	{ "RETURNED_TO_TRANSIT_WAREHOUSE", CARRIER_IN_TRANSIT },
	{ "READY_TO_SHIP_IN_TRANSIT_OFFICE", CARRIER_IN_TRANSIT },
	{ "READY_FOR_SHIPMENT_IN_TRANSIT_CITY", CARRIER_IN_TRANSIT },
	{ "PASSED_TO_CARRIER_AT_TRANSIT_OFFICE", CARRIER_IN_TRANSIT },
	{ "TAKEN_BY_TRANSPORTER_FROM_TRANSIT_CITY", CARRIER_IN_TRANSIT },
	{ "SEND_TO_SENDING_OFFICE", CARRIER_IN_TRANSIT },
	{ "MET_AT_SENDING_OFFICE", CARRIER_IN_TRANSIT },
	{ "ACCEPTED_IN_SENDER_CITY", CARRIER_IN_TRANSIT },
	{ "SEND_TO_RECIPIENT_OFFICE", CARRIER_IN_TRANSIT },
	{ "SENT_TO_RECIPIENT_CITY", CARRIER_IN_TRANSIT },
	{ "MET_AT_RECIPIENT_OFFICE", CARRIER_IN_TRANSIT },
	{ "ACCEPTED_IN_RECIPIENT_CITY", CARRIER_IN_TRANSIT },
	{ "ACCEPTED_AT_DELIVERY_WAREHOUSE", CARRIER_IN_TRANSIT },
	{ "ACCEPTED_AT_RECIPIENT_CITY_WAREHOUSE", CARRIER_IN_TRANSIT },
	{ "ENTERED_TO_DELIVERY_WAREHOUSE", CARRIER_IN_TRANSIT },
	{ "IN_CUSTOMS_INTERNATIONAL", CARRIER_IN_TRANSIT },
	{ "SHIPPED_TO_DESTINATION", CARRIER_IN_TRANSIT },
	{ "PASSED_TO_TRANSIT_CARRIER", CARRIER_IN_TRANSIT },
	{ "IN_CUSTOMS_LOCAL", CARRIER_IN_TRANSIT },
	{ "CUSTOMS_COMPLETE", CARRIER_IN_TRANSIT },
	{ "ACCEPTED_AT_WAREHOUSE_ON_DEMAND", CARRIER_AVAILABLE_FOR_PICKUP },
	{ "ENTERED_TO_WAREHOUSE_ON_DEMAND", CARRIER_AVAILABLE_FOR_PICKUP },
	{ "ACCEPTED_AT_PICK_UP_POINT", CARRIER_AVAILABLE_FOR_PICKUP },
	{ "POSTOMAT_POSTED", CARRIER_AVAILABLE_FOR_PICKUP },
	{ "ISSUED_FOR_DELIVERY", CARRIER_OUT_FOR_DELIVERY },
	{ "TAKEN_BY_COURIER", CARRIER_OUT_FOR_DELIVERY },
	{ "RETURNED_TO_DELIVERY_WAREHOUSE", CARRIER_FAILED_ATTEMPT },
	{ "RETURNED_TO_RECIPIENT_CITY_WAREHOUSE", CARRIER_FAILED_ATTEMPT },
	{ "DELIVERED", CARRIER_DELIVERED },
	{ "POSTOMAT_RECEIVED", CARRIER_DELIVERED },
	{ "NOT_DELIVERED", CARRIER_RETURN_TO_SENDER },
	{ "POSTOMAT_SEIZED", CARRIER_EXCEPTION },
};

#define NCODES	(sizeof(codes) / sizeof(codes[0]))

/* A parcel waiting for a token. */
struct wait {
	struct carrier_parcel	*p;
	int			 again;		/* this is its second token */
};

struct cdek {
	char		*token;
	long		 generation;	/* of the token, +1 for each new one */
	int		 fetching;
	struct wait	*waiting;
	size_t		 nwaiting, capwaiting;
};

static void send_order(struct carrier *, struct carrier_parcel *, int);

static struct cdek *
state(struct carrier *c)
{
	if (c->state == NULL)
		c->state = xcalloc(1, sizeof(struct cdek));
	return c->state;
}

static void
release(struct carrier *c)
{
	struct cdek *d = c->state;

	if (d == NULL)
		return;
	free(d->token);
	free(d->waiting);
	free(d);
}

static void
wait_for_token(struct cdek *d, struct carrier_parcel *p, int again)
{
	if (d->nwaiting == d->capwaiting) {
		d->capwaiting = d->capwaiting ? d->capwaiting * 2 : 64;
		d->waiting = xrealloc(d->waiting,
		    d->capwaiting * sizeof(*d->waiting));
	}
	d->waiting[d->nwaiting].p = p;
	d->waiting[d->nwaiting++].again = again;
}

/* The first error's message of a CDEK answer: requests[].errors[]. */
static const char *
error_message(const json_t *body)
{
	const json_t *req, *e;
	size_t i;

	json_array_foreach(json_object_get(body, "requests"), i, req) {
		e = json_array_get(json_object_get(req, "errors"), 0);
		if (carrier_json_str(e, "message") != NULL)
			return carrier_json_str(e, "message");
	}
	return carrier_json_str(body, "error");
}

static void
token_done(struct http_request *r)
{
	struct carrier *c = r->arg;
	struct cdek *d = state(c);
	const char *tok;
	json_int_t ttl;
	size_t i, n;

	d->fetching = 0;
	if (r->result != HTTP_OK)
		return;			/* down: the waiting stay pending */
	tok = carrier_json_str(r->parsed, "access_token");
	if (r->status != 200 || tok == NULL) {
		carrier_refused(c, "CDEK refused %s client_id and "
		    "client_secret: HTTP %ld%s%s", c->keyname, r->status,
		    error_message(r->parsed) ? ": " : "",
		    error_message(r->parsed) ? error_message(r->parsed) : "");
		d->nwaiting = 0;
		return;
	}
	free(d->token);
	d->token = xstrdup(tok);
	d->generation++;
	ttl = json_integer_value(json_object_get(r->parsed, "expires_in"));
	/* A minute's margin, so a token is not used as it runs out.  Its
	 * expiry is on the run's clock (--now), as the store's other times
	 * are: a run repeated at another --now sees the tokens of its time,
	 * and a token the clock of a run thinks valid that CDEK refuses is
	 * replaced (order_done()). */
	if (c->db != NULL && ttl > 60)
		tracking_set_token(c->db, "cdek", d->token, c->now + ttl - 60);
	n = d->nwaiting;
	d->nwaiting = 0;
	for (i = 0; i < n; i++)
		send_order(c, d->waiting[i].p, d->waiting[i].again);
}

static void
fetch_token(struct carrier *c)
{
	struct cdek *d = state(c);
	const char *id, *secret;
	char *eid, *esecret, *body, *url;
	struct http_request *r;
	size_t n;

	if (d->fetching)
		return;
	id = conf_need(c->conf, "carrier", "cdek", "client_id");
	secret = conf_need(c->conf, "carrier", "cdek", "client_secret");
	eid = http_escape(id);
	esecret = http_escape(secret);
	n = strlen(eid) + strlen(esecret) + 64;
	body = xmalloc(n);
	snprintf(body, n, "grant_type=client_credentials&client_id=%s"
	    "&client_secret=%s", eid, esecret);
	url = carrier_url(c, "/oauth/token");
	r = http_request_new(c->svc, "POST", url);
	http_body(r, "application/x-www-form-urlencoded", body, strlen(body));
	http_header(r, "Accept: application/json");
	r->check = http_check_json;
	r->done = token_done;
	r->arg = c;
	http_send(r);
	d->fetching = 1;
	explicit_bzero(body, strlen(body));
	explicit_bzero(esecret, strlen(esecret));
	free(body);
	free(url);
	free(eid);
	free(esecret);
}

static void
event(struct carrier_parcel *p, const json_t *st)
{
	struct carrier_event *e = carrier_event_add(p);
	const char *code = carrier_json_str(st, "code");

	e->status = carrier_map(codes, NCODES, code);
	carrier_set(&e->code, code);
	carrier_set(&e->text, carrier_json_str(st, "name"));
	carrier_set(&e->message, carrier_json_str(st, "name"));
	carrier_set(&e->location, carrier_json_str(st, "city"));
	e->has_time = carrier_time(carrier_json_str(st, "date_time"), 0,
	    &e->at, &e->offset) == 0;
}

static void
order_done(struct http_request *r)
{
	struct carrier *c = r->arg;
	struct carrier_parcel *p = r->arg2;
	struct cdek *d = state(c);
	const json_t *statuses, *st;
	const char *msg;
	size_t i;

	if (r->result != HTTP_OK)
		return;
	msg = error_message(r->parsed);
	if (r->status == 401) {
		if (r->tag & 1) {	/* a fresh token refused too */
			carrier_refused(c, "CDEK refused the token for %s "
			    "client_id: HTTP 401%s%s", c->keyname,
			    msg ? ": " : "", msg ? msg : "");
			return;
		}
		/* The token ran out early, or was revoked: a new one, once
		 * (unless another call already got it). */
		if (r->tag >> 1 == d->generation) {
			free(d->token);
			d->token = NULL;
		}
		send_order(c, p, 1);
		return;
	}
	if (r->status == 400 || r->status == 404) {
		carrier_reject(p, "unknown_tracking_number", "%s",
		    msg != NULL ? msg : "CDEK does not know this number");
		return;
	}
	statuses = carrier_json_get(r->parsed, "entity.statuses");
	if (r->status != 200 || !json_is_array(statuses)) {
		carrier_reject(p, "carrier_error", "CDEK: HTTP %ld%s%s",
		    r->status, msg ? ": " : "", msg ? msg : "");
		return;
	}
	/* The current status is the one with the latest date_time. */
	json_array_foreach(statuses, i, st)
		event(p, st);
	carrier_settle(p, CARRIER_NONE);
}

static void
send_order(struct carrier *c, struct carrier_parcel *p, int again)
{
	struct cdek *d = state(c);
	struct http_request *r;
	char *num, *url;

	if (d->token == NULL) {
		wait_for_token(d, p, again);
		fetch_token(c);
		return;
	}
	num = http_escape(p->number);
	url = carrier_url(c, "/orders?cdek_number=%s", num);
	r = http_request_new(c->svc, "GET", url);
	http_header(r, "Authorization: Bearer %s", d->token);
	http_header(r, "Accept: application/json");
	r->check = http_check_json;
	r->done = order_done;
	r->arg = c;
	r->arg2 = p;
	r->tag = d->generation << 1 | again;
	http_send(r);
	free(url);
	free(num);
}

static void
track(struct carrier *c, struct carrier_parcel **ps, size_t n)
{
	struct cdek *d = state(c);
	size_t i;

	if (d->token == NULL && !d->fetching && c->db != NULL)
		d->token = tracking_token(c->db, "cdek", c->now);
	for (i = 0; i < n; i++)
		send_order(c, ps[i], 0);
}

static enum carrier_webhook_result
webhook(struct carrier *c, const char *body, size_t len,
    struct carrier_push *w, char *why, size_t whylen)
{
	const char *want, *num, *code;
	const json_t *a;
	struct carrier_event *e;
	char *token;
	json_t *v;

	want = conf_need(c->conf, "carrier", "cdek", "webhook_token");
	token = carrier_query_param(getenv("QUERY_STRING"), "token");
	if (token == NULL || !carrier_equal(token, want)) {
		snprintf(why, whylen, "cdek webhook: the token in the query "
		    "string %s %s webhook_token", token == NULL ? "is missing;"
		    " it must be" : "does not match", c->keyname);
		free(token);
		return CARRIER_PUSH_FORGED;
	}
	free(token);
	if ((v = json_loadb(body, len, 0, NULL)) == NULL ||
	    !json_is_object(v)) {
		json_decref(v);
		snprintf(why, whylen, "not a CDEK webhook: not a JSON object");
		return CARRIER_PUSH_BAD;
	}
	if (carrier_json_str(v, "type") == NULL ||
	    strcmp(carrier_json_str(v, "type"), "ORDER_STATUS") != 0) {
		json_decref(v);
		return CARRIER_PUSH_IGNORED;
	}
	a = json_object_get(v, "attributes");
	num = carrier_json_str(a, "cdek_number");
	code = carrier_json_str(a, "code");
	if (num == NULL || code == NULL) {
		json_decref(v);
		snprintf(why, whylen, "CDEK ORDER_STATUS webhook without "
		    "attributes.cdek_number and code");
		return CARRIER_PUSH_BAD;
	}
	w->carrier = xstrdup("cdek");
	w->number = xstrdup(num);
	carrier_set(&w->parcel.order_id, carrier_json_str(a, "number"));
	e = carrier_event_add(&w->parcel);
	e->status = carrier_map(codes, NCODES, code);
	carrier_set(&e->code, code);
	carrier_set(&e->location, carrier_json_str(a, "city_name"));
	e->has_time = carrier_time(carrier_json_str(a, "status_date_time"), 0,
	    &e->at, &e->offset) == 0;
	carrier_settle(&w->parcel, CARRIER_NONE);
	json_decref(v);
	return CARRIER_PUSH_OK;
}

const struct carrier_ops carrier_cdek = {
	.name = "cdek",
	.url = "https://api.cdek.ru/v2",
	.batch = 100,
	.track = track,
	.webhook = webhook,
	.release = release,
};
