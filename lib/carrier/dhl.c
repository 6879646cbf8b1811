/* dhl.c: DHL's unified Shipment Tracking API: GET /shipments with the
 * DHL-API-Key header, one tracking number a call. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "carrier.h"
#include "conf.h"
#include "http.h"
#include "xalloc.h"

/* statusCode of a shipment's status and of each event. */
static const struct carrier_code codes[] = {
	{ "pre-transit", CARRIER_PRE_TRANSIT },
	{ "transit", CARRIER_IN_TRANSIT },
	{ "delivered", CARRIER_DELIVERED },
	{ "failure", CARRIER_EXCEPTION },
	{ "unknown", CARRIER_UNKNOWN },
};

/* "Oderweg 2, AMSTERDAM, NL" from a status's location. */
static char *
place(const json_t *status)
{
	const char *city, *country;
	char *s;
	size_t n;

	city = carrier_json_str(status, "location.address.addressLocality");
	country = carrier_json_str(status, "location.address.countryCode");
	if (city == NULL && country == NULL)
		return NULL;
	if (city == NULL || country == NULL)
		return xstrdup(city != NULL ? city : country);
	n = strlen(city) + strlen(country) + 3;
	s = xmalloc(n);
	snprintf(s, n, "%s, %s", city, country);
	return s;
}

static void
event(struct carrier_parcel *p, const json_t *v)
{
	struct carrier_event *e = carrier_event_add(p);
	const char *code, *status, *desc;

	code = carrier_json_str(v, "statusCode");
	status = carrier_json_str(v, "status");
	desc = carrier_json_str(v, "description");
	e->status = carrier_map(codes, sizeof(codes) / sizeof(codes[0]),
	    code);
	carrier_set(&e->code, code);
	carrier_set(&e->text, status != NULL ? status : desc);
	carrier_set(&e->message, desc != NULL ? desc : status);
	e->location = place(v);
	e->has_time = carrier_time(carrier_json_str(v, "timestamp"), 0,
	    &e->at, &e->offset) == 0;
}

static void
done(struct http_request *r)
{
	struct carrier *c = r->arg;
	struct carrier_parcel *p = r->arg2;
	const json_t *body = r->parsed, *ship, *events, *v;
	const char *detail;
	size_t i;

	if (r->result != HTTP_OK)
		return;			/* down: p stays pending */
	detail = carrier_json_str(body, "detail");
	if (detail == NULL)
		detail = carrier_json_str(body, "title");
	if (r->status == 401 || r->status == 403) {
		carrier_refused(c, "DHL refused %s key: HTTP %ld%s%s",
		    c->keyname, r->status, detail ? ": " : "",
		    detail ? detail : "");
		return;
	}
	if (r->status == 404) {
		carrier_reject(p, "unknown_tracking_number", "%s",
		    detail != NULL ? detail : "no shipment with this number");
		return;
	}
	ship = json_array_get(json_object_get(body, "shipments"), 0);
	if (r->status != 200 || ship == NULL) {
		carrier_reject(p, "carrier_error", "DHL: HTTP %ld%s%s",
		    r->status, detail ? ": " : "", detail ? detail : "");
		return;
	}
	events = json_object_get(ship, "events");
	json_array_foreach(events, i, v)
		event(p, v);
	if (p->nevents == 0 && json_object_get(ship, "status") != NULL)
		event(p, json_object_get(ship, "status"));
	v = json_object_get(ship, "status");
	carrier_settle(p, v != NULL ? carrier_map(codes,
	    sizeof(codes) / sizeof(codes[0]),
	    carrier_json_str(v, "statusCode")) : CARRIER_NONE);
}

static void
track(struct carrier *c, struct carrier_parcel **ps, size_t n)
{
	const char *key = conf_need(c->conf, "carrier", "dhl", "key");
	struct http_request *r;
	char *num, *url;
	size_t i;

	for (i = 0; i < n; i++) {
		num = http_escape(ps[i]->number);
		url = carrier_url(c, "/shipments?trackingNumber=%s", num);
		r = http_request_new(c->svc, "GET", url);
		http_header(r, "DHL-API-Key: %s", key);
		http_header(r, "Accept: application/json");
		r->check = http_check_json;
		r->done = done;
		r->arg = c;
		r->arg2 = ps[i];
		http_send(r);
		free(url);
		free(num);
	}
}

const struct carrier_ops carrier_dhl = {
	.name = "dhl",
	.url = "https://api-eu.dhl.com/track",
	.batch = 1,
	.track = track,
};
