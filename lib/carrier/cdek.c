/* cdek.c: CDEK API v2: an OAuth client-credentials token (cached in the
 * store until it expires), GET /orders?cdek_number= per parcel, the
 * ORDER_STATUS webhook; booking with POST /orders, read back until it has
 * its cdek_number, priced with POST /calculator/tariff, found again by
 * im_number, cancelled with DELETE /orders/{uuid}. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "carrier.h"
#include "conf.h"
#include "http.h"
#include "jsonl.h"
#include "jsonx.h"
#include "parcel.h"
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

/* A parcel waiting for a token, or a booking's call. */
struct wait {
	struct carrier_parcel	*p;
	struct carrier_booking	*b;
	int			 step;		/* a booking's */
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
static void book_call(struct carrier *, struct carrier_booking *, int, int);

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
wait_for_token(struct cdek *d, struct carrier_parcel *p,
    struct carrier_booking *b, int step, int again)
{
	if (d->nwaiting == d->capwaiting) {
		d->capwaiting = d->capwaiting ? d->capwaiting * 2 : 64;
		d->waiting = xrealloc(d->waiting,
		    d->capwaiting * sizeof(*d->waiting));
	}
	d->waiting[d->nwaiting].p = p;
	d->waiting[d->nwaiting].b = b;
	d->waiting[d->nwaiting].step = step;
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

/* The token is in: what waited for it goes. */
static void
run_waiting(struct carrier *c)
{
	struct cdek *d = state(c);
	struct wait *w;
	size_t i, n;

	n = d->nwaiting;
	d->nwaiting = 0;
	w = xcalloc(n + 1, sizeof(*w));
	memcpy(w, d->waiting, n * sizeof(*w));	/* they may wait again */
	for (i = 0; i < n; i++) {
		if (w[i].b != NULL)
			book_call(c, w[i].b, w[i].step, w[i].again);
		else
			send_order(c, w[i].p, w[i].again);
	}
	free(w);
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
	tok = carrier_json_str(r->parsed, "access_token");
	if (r->result == HTTP_OK && (r->status != 200 || tok == NULL))
		carrier_refused(c, "CDEK refused %s client_id and "
		    "client_secret: HTTP %ld%s%s", c->keyname, r->status,
		    error_message(r->parsed) ? ": " : "",
		    error_message(r->parsed) ? error_message(r->parsed) : "");
	if (r->result != HTTP_OK || r->status != 200 || tok == NULL) {
		/* Down, or refused: the waiting stay pending; bookings are
		 * told, as nothing of theirs was sent. */
		n = d->nwaiting;
		d->nwaiting = 0;
		for (i = 0; i < n; i++)
			if (d->waiting[i].b != NULL)
				carrier_book_end(d->waiting[i].b,
				    d->waiting[i].b->outcome);
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
	run_waiting(c);
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
	d->fetching = 1;
	carrier_send(c, r);
	if (c->dry_run) {
		/* Printed, not sent: what waits is printed too. */
		d->fetching = 0;
		d->token = xstrdup("(dry run)");
		run_waiting(c);
	}
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
		wait_for_token(d, p, NULL, 0, again);
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

/* --- booking ------------------------------------------------------------- */

enum {
	STEP_CREATE = 1,	/* POST /orders */
	STEP_READ,		/* GET /orders/{uuid}, until it has a number */
	STEP_PRICE,		/* POST /calculator/tariff */
	STEP_LOOKUP,		/* GET /orders?im_number= */
	STEP_DELETE		/* DELETE /orders/{uuid} */
};

/* A party's address as CDEK's location. */
static json_t *
location(const struct carrier_party *p)
{
	json_t *o = jsonx_object();
	char addr[512];

	jsonx_set_text(o, "country_code", p->country);
	jsonx_set_text(o, "postal_code", p->postal_code);
	jsonx_set_text(o, "region", p->region);
	jsonx_set_text(o, "city", p->city);
	snprintf(addr, sizeof(addr), "%s%s%s", p->line1 ? p->line1 : "",
	    p->line2 && *p->line2 ? ", " : "", p->line2 ? p->line2 : "");
	jsonx_set_text(o, "address", addr);
	return o;
}

static json_t *
contact(const struct carrier_party *p, int shop)
{
	json_t *o = jsonx_object(), *phones;

	if (shop)
		jsonx_set_text(o, "company", p->company);
	jsonx_set_text(o, "name", p->contact != NULL ? p->contact : p->name);
	jsonx_set_text(o, "email", p->email);
	if (p->phone != NULL) {
		phones = json_pack("[{s:s}]", "number", p->phone);
		jsonx_set_new(o, "phones", phones);
	}
	return o;
}

/* A package's sizes, when the parcel has them: CDEK takes centimetres.
 * pkg NULL (its json_pack() failed) is out of memory. */
static void
package_dims(json_t *pkg, const struct parcel *p)
{
	if (pkg == NULL)
		xnomem();
	if (!p->has_dims)
		return;
	jsonx_set_new(pkg, "length", json_integer((p->dims_mm[0] + 9) / 10));
	jsonx_set_new(pkg, "width", json_integer((p->dims_mm[1] + 9) / 10));
	jsonx_set_new(pkg, "height", json_integer((p->dims_mm[2] + 9) / 10));
}

/* The packages of the order: one, the parcel, with its items; the money
 * to collect on parcel 1 of N (ship-book(1)): each item at its price and
 * the rest as delivery_recipient_cost, or all of it there when less than
 * the items' price is due. */
static json_t *
packages(const struct carrier_booking *b, int64_t *rest)
{
	const struct parcel *p = b->parcel;
	json_t *pkg, *items, *it;
	int64_t units = 0, each, goods = 0, v;
	size_t i;
	int full;

	for (i = 0; i < p->nitems; i++)
		units += p->items[i].qty;
	each = units > 0 ? (p->weight_g + units - 1) / units : p->weight_g;
	for (i = 0; i < p->nitems; i++)
		if (goods <= INT64_MAX / 2 && p->items[i].qty < INT64_MAX / 2 &&
		    p->items[i].unit_price < INT64_MAX / 2 / (p->items[i].qty ?
		    p->items[i].qty : 1))
			goods += p->items[i].unit_price * p->items[i].qty;
	full = b->cod > 0 && b->cod >= goods;
	*rest = b->cod <= 0 ? 0 : full ? b->cod - goods : b->cod;
	if ((items = json_array()) == NULL)
		xnomem();
	for (i = 0; i < p->nitems; i++) {
		v = full ? p->items[i].unit_price : 0;
		it = json_pack("{s:s,s:s,s:{s:o},s:o,s:I,s:I}",
		    "name", p->items[i].name != NULL ? p->items[i].name :
		    p->items[i].sku, "ware_key", p->items[i].sku,
		    "payment", "value", carrier_amount_json(v, b->currency),
		    "cost", carrier_amount_json(p->items[i].unit_price,
		    b->currency), "weight", (json_int_t)each,
		    "amount", (json_int_t)p->items[i].qty);
		if (it == NULL || json_array_append_new(items, it) == -1)
			xnomem();
	}
	pkg = json_pack("{s:s,s:I,s:o}", "number", b->number,
	    "weight", (json_int_t)p->weight_g, "items", items);
	package_dims(pkg, p);
	return json_pack("[o]", pkg);
}

/* The ends of the journey: a CDEK point of the party's, else its address. */
static void
ends(struct carrier *c, const struct carrier_booking *b, json_t *o)
{
	const struct carrier_party *from = &b->sender, *to = &b->recipient;
	const char *shop_point = carrier_shop_conf(c, b, "cdek_shipment_point");
	const char *from_point, *to_point;

	if (b->kind == CARRIER_KIND_RETURN) {
		from_point = from->pickup_point;
		to_point = shop_point;
	} else {
		from_point = shop_point;
		to_point = b->delivery == CARRIER_PICKUP ? to->pickup_point :
		    NULL;
	}
	if (from_point != NULL)
		jsonx_set_text(o, "shipment_point", from_point);
	else
		jsonx_set_new(o, "from_location", location(from));
	if (to_point != NULL)
		jsonx_set_text(o, "delivery_point", to_point);
	else
		jsonx_set_new(o, "to_location", location(to));
}

static json_t *
order_body(struct carrier *c, const struct carrier_booking *b)
{
	json_t *o = jsonx_object();
	int64_t rest;
	char *end;
	long tariff;

	tariff = strtol(b->service, &end, 10);
	jsonx_set_new(o, "type", json_integer(1)); /* a shop's order */
	jsonx_set_text(o, "number", b->number);
	jsonx_set_new(o, "tariff_code", json_integer(tariff));
	ends(c, b, o);
	jsonx_set_new(o, "sender",
	    contact(&b->sender, b->kind != CARRIER_KIND_RETURN));
	jsonx_set_new(o, "recipient", contact(&b->recipient,
	    b->kind == CARRIER_KIND_RETURN));
	jsonx_set_new(o, "packages", packages(b, &rest));
	if (b->cod > 0)
		jsonx_set_new(o, "delivery_recipient_cost",
		    json_pack("{s:o}", "value",
		    carrier_amount_json(rest, b->currency)));
	return o;
}

static json_t *
tariff_body(struct carrier *c, const struct carrier_booking *b)
{
	const struct parcel *p = b->parcel;
	json_t *o = jsonx_object(), *pkg;

	jsonx_set_new(o, "tariff_code",
	    json_integer(strtol(b->service, NULL, 10)));
	jsonx_set_new(o, "from_location", location(&b->sender));
	jsonx_set_new(o, "to_location", location(&b->recipient));
	pkg = json_pack("{s:I}", "weight", (json_int_t)p->weight_g);
	package_dims(pkg, p);
	jsonx_set_new(o, "packages", json_pack("[o]", pkg));
	(void)c;
	return o;
}

static void book_done(struct http_request *);

static void
book_call(struct carrier *c, struct carrier_booking *b, int step, int again)
{
	struct cdek *d = state(c);
	struct http_request *r;
	const char *method = "GET";
	char *url, *esc, *body = NULL;
	json_t *v = NULL;
	int64_t wait = 0;

	if (d->token == NULL) {
		wait_for_token(d, NULL, b, step, again);
		fetch_token(c);
		return;
	}
	switch (step) {
	case STEP_CREATE:
		method = "POST";
		url = carrier_url(c, "/orders");
		v = order_body(c, b);
		break;
	case STEP_READ:
		esc = http_escape(b->carrier_ref);
		url = carrier_url(c, "/orders/%s", esc);
		free(esc);
		if (b->reads > 0)
			wait = conf_millis(c->conf, "carrier", "cdek", NULL,
			    "number_wait", 1000, 600000);
		break;
	case STEP_PRICE:
		method = "POST";
		url = carrier_url(c, "/calculator/tariff");
		v = tariff_body(c, b);
		break;
	case STEP_LOOKUP:
		esc = http_escape(b->ref != NULL ? b->ref : b->number);
		url = b->ref != NULL ? carrier_url(c, "/orders/%s", esc) :
		    carrier_url(c, "/orders?im_number=%s", esc);
		free(esc);
		break;
	default:
		method = "DELETE";
		esc = http_escape(b->ref);
		url = carrier_url(c, "/orders/%s", esc);
		free(esc);
		break;
	}
	r = http_request_new(c->svc, method, url);
	if (v != NULL) {
		body = jsonx_text(v);
		http_body(r, "application/json", body, strlen(body));
		json_decref(v);
		free(body);
	}
	http_header(r, "Authorization: Bearer %s", d->token);
	http_header(r, "Accept: application/json");
	r->once = step == STEP_CREATE || step == STEP_DELETE;
	r->check = step == STEP_PRICE ? carrier_check_exact : http_check_json;
	r->done = book_done;
	r->arg = c;
	r->arg2 = b;
	r->tag = d->generation << 4 | step << 1 | again;
	if (wait > 0 && !c->dry_run)
		http_send_later(r, wait);
	else
		carrier_send(c, r);
	free(url);
}

/* The first error of an answer: its code and message. */
static const json_t *
first_error(const json_t *body)
{
	const json_t *req, *e;
	size_t i;

	json_array_foreach(json_object_get(body, "requests"), i, req)
		if ((e = json_array_get(json_object_get(req, "errors"), 0)) !=
		    NULL)
			return e;
	return NULL;
}

static void
refuse(struct carrier_booking *b, const char *fallback, const json_t *body,
    long status)
{
	const json_t *e = first_error(body);
	const char *code = carrier_json_str(e, "code");
	const char *msg = carrier_json_str(e, "message");

	if (msg != NULL)
		carrier_book_refuse(b, fallback, code, "CDEK: %s%s%s%s", msg,
		    code != NULL ? " (" : "", code != NULL ? code : "",
		    code != NULL ? ")" : "");
	else
		carrier_book_refuse(b, fallback, code, "CDEK answered HTTP %ld",
		    status);
}

/* An order read back: its state, its number. */
static void
read_order(struct carrier *c, struct carrier_booking *b, const json_t *body)
{
	const json_t *ent = json_object_get(body, "entity"), *req, *st;
	const char *num, *state = NULL;
	size_t i;
	int removed = 0;
	long max;

	json_array_foreach(json_object_get(body, "requests"), i, req)
		if (carrier_json_str(req, "type") != NULL &&
		    strcmp(carrier_json_str(req, "type"), "CREATE") == 0)
			state = carrier_json_str(req, "state");
	json_array_foreach(json_object_get(ent, "statuses"), i, st)
		if (carrier_json_str(st, "code") != NULL &&
		    strcmp(carrier_json_str(st, "code"), "REMOVED") == 0)
			removed = 1;
	if (carrier_json_str(ent, "uuid") != NULL)
		carrier_set(&b->carrier_ref, carrier_json_str(ent, "uuid"));
	if (b->kind == CARRIER_KIND_CANCEL) {
		carrier_book_end(b, removed ? CARRIER_BOOK_CANCELLED :
		    CARRIER_BOOK_DONE);
		return;
	}
	if (removed || (state != NULL && strcmp(state, "INVALID") == 0)) {
		if (b->reads == 0 && b->outcome == CARRIER_BOOK_PENDING &&
		    !b->sent) {
			carrier_book_end(b, CARRIER_BOOK_NOT_FOUND);
			return;
		}
		refuse(b, "carrier_error", body, 200);
		return;
	}
	b->reads++;
	if ((num = carrier_json_str(ent, "cdek_number")) != NULL) {
		carrier_set(&b->tracking_number, num);
		book_call(c, b, STEP_PRICE, 0);
		return;
	}
	max = conf_long(c->conf, "carrier", "cdek", NULL, "number_reads", 10,
	    1, 1000);
	if (b->reads >= max) {
		carrier_set(&b->error_code, "number_pending");
		carrier_set(&b->error, "CDEK accepted the order but has not "
		    "given it a number yet");
		carrier_book_end(b, CARRIER_BOOK_DOUBT);
		return;
	}
	book_call(c, b, STEP_READ, 0);
}

static void
book_done(struct http_request *r)
{
	struct carrier *c = r->arg;
	struct carrier_booking *b = r->arg2;
	struct cdek *d = state(c);
	int step = (int)(r->tag >> 1 & 7), again = (int)(r->tag & 1);
	const json_t *e;
	const char *uuid, *code, *msg;
	int64_t total;

	if (r->result == HTTP_DOUBT) {
		b->sent = 1;
		carrier_book_end(b, CARRIER_BOOK_DOUBT);
		return;
	}
	if (r->result != HTTP_OK) {
		/* Down: a price is no matter, a read leaves it in doubt. */
		if (step == STEP_PRICE)
			carrier_book_end(b, CARRIER_BOOK_DONE);
		else
			carrier_book_end(b, step == STEP_CREATE ||
			    step == STEP_DELETE || (step == STEP_LOOKUP &&
			    !b->sent) ? CARRIER_BOOK_PENDING :
			    CARRIER_BOOK_DOUBT);
		return;
	}
	if (r->status == 401) {
		msg = error_message(r->parsed);
		if (again) {
			carrier_refused(c, "CDEK refused the token for %s "
			    "client_id: HTTP 401%s%s", c->keyname,
			    msg ? ": " : "", msg ? msg : "");
			carrier_book_end(b, b->outcome);
			return;
		}
		if (r->tag >> 4 == d->generation) {
			free(d->token);
			d->token = NULL;
		}
		book_call(c, b, step, 1);
		return;
	}
	e = first_error(r->parsed);
	code = carrier_json_str(e, "code");
	switch (step) {
	case STEP_CREATE:
		b->sent = 1;
		uuid = carrier_json_str(r->parsed, "entity.uuid");
		if (r->status / 100 == 2 && uuid != NULL) {
			carrier_set(&b->carrier_ref, uuid);
			carrier_book_note(b, uuid);
			b->reads = 0;
			book_call(c, b, STEP_READ, 0);
			return;
		}
		b->sent = 0;		/* refused before it was accepted */
		refuse(b, "carrier_error", r->parsed, r->status);
		return;
	case STEP_READ:
	case STEP_LOOKUP:
		if (r->status == 200) {
			read_order(c, b, r->parsed);
			return;
		}
		if (code != NULL && strstr(code, "not_found") != NULL) {
			carrier_book_end(b, b->kind == CARRIER_KIND_CANCEL ?
			    CARRIER_BOOK_CANCELLED : CARRIER_BOOK_NOT_FOUND);
			return;
		}
		carrier_book_end(b, CARRIER_BOOK_DOUBT);
		return;
	case STEP_PRICE:
		if (r->status == 200 && carrier_amount_parse(json_object_get(
		    r->parsed, "total_sum"), "RUB", &total) == 0) {
			b->cost = total;
			b->has_cost = 1;
			memcpy(b->cost_currency, "RUB", 4);
			if (carrier_json_str(r->parsed, "currency") != NULL &&
			    strlen(carrier_json_str(r->parsed, "currency")) ==
			    3)
				memcpy(b->cost_currency, carrier_json_str(
				    r->parsed, "currency"), 4);
		}
		carrier_book_end(b, CARRIER_BOOK_DONE);
		return;
	default:
		b->sent = 1;
		if (r->status / 100 == 2) {
			carrier_book_end(b, CARRIER_BOOK_CANCELLED);
			return;
		}
		if (code != NULL && strstr(code, "not_found") != NULL) {
			carrier_book_end(b, CARRIER_BOOK_NOT_FOUND);
			return;
		}
		refuse(b, "too_late_to_cancel", r->parsed, r->status);
		return;
	}
}

static void
book(struct carrier *c, struct carrier_booking *b)
{
	char *end;

	if (b->service == NULL || strtol(b->service, &end, 10) <= 0 ||
	    *end != '\0') {
		carrier_book_refuse(b, "bad_service", NULL, "CDEK's service is "
		    "a tariff code, a number, not '%s'", b->service != NULL ?
		    b->service : "");
		return;
	}
	book_call(c, b, STEP_CREATE, 0);
	if (c->dry_run)		/* after the number, in a real run */
		book_call(c, b, STEP_PRICE, 0);
}

static void
lookup(struct carrier *c, struct carrier_booking *b)
{
	book_call(c, b, STEP_LOOKUP, 0);
}

static void
ready(struct carrier *c, const struct carrier_booking *b)
{
	conf_need(c->conf, "carrier", "cdek", "client_id");
	conf_need(c->conf, "carrier", "cdek", "client_secret");
	if (b->kind != CARRIER_KIND_CANCEL && b->service == NULL)
		conf_need(c->conf, "carrier", "cdek", b->delivery ==
		    CARRIER_PICKUP ? "service_pickup" : b->delivery ==
		    CARRIER_POST ? "service_post" : "service_courier");
}

static void
cancel(struct carrier *c, struct carrier_booking *b)
{
	book_call(c, b, STEP_DELETE, 0);
}

const struct carrier_ops carrier_cdek = {
	.name = "cdek",
	.url = "https://api.cdek.ru/v2",
	.batch = 100,
	.track = track,
	.webhook = webhook,
	.release = release,
	.book = book,
	.cancel = cancel,
	.lookup = lookup,
	.ready = ready,
};
