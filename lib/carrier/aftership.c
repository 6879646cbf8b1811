/* aftership.c: AfterShip's tracking API (as-api-key): the hundreds of
 * carriers it covers, 50 numbers a GET /trackings, new numbers created
 * with POST /trackings; its tracking_update webhooks. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "carrier.h"
#include "conf.h"
#include "http.h"
#include "xalloc.h"

/* Tags of a tracking and of each checkpoint. */
static const struct carrier_code tags[] = {
	{ "Pending", CARRIER_PRE_TRANSIT },
	{ "InfoReceived", CARRIER_PRE_TRANSIT },
	{ "InTransit", CARRIER_IN_TRANSIT },
	{ "OutForDelivery", CARRIER_OUT_FOR_DELIVERY },
	{ "AvailableForPickup", CARRIER_AVAILABLE_FOR_PICKUP },
	{ "Delivered", CARRIER_DELIVERED },
	{ "AttemptFail", CARRIER_FAILED_ATTEMPT },
	{ "Exception", CARRIER_EXCEPTION },
	{ "Expired", CARRIER_EXCEPTION },
};

/* Subtags that say more than their tag. */
static const struct carrier_code subtags[] = {
	{ "Exception_010", CARRIER_RETURN_TO_SENDER },	/* returning */
	{ "Exception_011", CARRIER_RETURN_TO_SENDER },	/* returned */
};

static enum carrier_status
map(const char *tag, const char *subtag)
{
	enum carrier_status s;

	s = carrier_map(subtags, sizeof(subtags) / sizeof(subtags[0]),
	    subtag);
	if (s != CARRIER_UNKNOWN)
		return s;
	return carrier_map(tags, sizeof(tags) / sizeof(tags[0]), tag);
}

static char *
place(const json_t *cp)
{
	const char *city = carrier_json_str(cp, "city");
	const char *loc = carrier_json_str(cp, "location");
	const char *country = carrier_json_str(cp, "country_region_name");
	char buf[256];

	if (loc != NULL && *loc != '\0')
		return xstrdup(loc);
	if (city != NULL && country != NULL) {
		snprintf(buf, sizeof(buf), "%s, %s", city, country);
		return xstrdup(buf);
	}
	if (city != NULL || country != NULL)
		return xstrdup(city != NULL ? city : country);
	return NULL;
}

static void
settle(struct carrier_parcel *p, const json_t *t)
{
	const json_t *cp;
	struct carrier_event *e;
	const char *tag, *sub, *when;
	size_t i;

	json_array_foreach(json_object_get(t, "checkpoints"), i, cp) {
		e = carrier_event_add(p);
		tag = carrier_json_str(cp, "tag");
		sub = carrier_json_str(cp, "subtag");
		e->status = map(tag, sub);
		carrier_set(&e->code, sub != NULL ? sub : tag);
		carrier_set(&e->text, carrier_json_str(cp, "subtag_message"));
		carrier_set(&e->message, carrier_json_str(cp, "message"));
		e->location = place(cp);
		/* checkpoint_time may lack an offset; created_at is UTC. */
		when = carrier_json_str(cp, "checkpoint_time");
		e->has_time = carrier_time(when, CARRIER_NO_ZONE, &e->at,
		    &e->offset) == 0 || carrier_time(carrier_json_str(cp,
		    "created_at"), 0, &e->at, &e->offset) == 0;
	}
	tag = carrier_json_str(t, "tag");
	sub = carrier_json_str(t, "subtag");
	if (p->nevents == 0 && (tag == NULL || strcmp(tag, "Pending") == 0)) {
		carrier_settle(p, CARRIER_NONE);	/* nothing yet */
		return;
	}
	if (p->nevents == 0) {
		e = carrier_event_add(p);
		carrier_set(&e->code, sub != NULL ? sub : tag);
		carrier_set(&e->text, carrier_json_str(t, "subtag_message"));
		e->has_time = carrier_time(carrier_json_str(t, "updated_at"),
		    0, &e->at, &e->offset) == 0;
	}
	carrier_settle(p, map(tag, sub));
	carrier_set(&p->now.code, sub != NULL ? sub : tag);
	if (carrier_json_str(t, "subtag_message") != NULL)
		carrier_set(&p->now.text, carrier_json_str(t,
		    "subtag_message"));
}

static const char *
meta_message(const json_t *body)
{
	return carrier_json_str(body, "meta.message");
}

static int
refused(struct carrier *c, const struct http_request *r)
{
	const char *msg = meta_message(r->parsed);

	if (r->status != 401 && r->status != 403)
		return 0;
	carrier_refused(c, "AfterShip refused %s key: HTTP %ld%s%s",
	    c->keyname, r->status, msg ? ": " : "", msg ? msg : "");
	return 1;
}

/* The batch of a GET, or the one parcel of a POST. */
struct batch {
	struct carrier_parcel	**ps;
	size_t			  n;
};

static void
created(struct http_request *r)
{
	struct carrier *c = r->arg;
	struct carrier_parcel *p = r->arg2;
	const json_t *code = carrier_json_get(r->parsed, "meta.code");
	const char *msg = meta_message(r->parsed);

	if (r->result != HTTP_OK || refused(c, r))
		return;
	if (r->status == 200 || r->status == 201) {
		settle(p, json_object_get(r->parsed, "data"));
		return;
	}
	if (json_integer_value(code) == 4003) {	/* created meanwhile */
		carrier_settle(p, CARRIER_NONE);
		return;
	}
	carrier_reject(p, r->status == 404 || json_integer_value(code) ==
	    4004 || json_integer_value(code) == 4005 ? "unknown_tracking_number"
	    : "carrier_error", "AfterShip: %s", msg ? msg : "the call failed");
}

static void
create(struct carrier *c, struct carrier_parcel *p)
{
	const char *key = conf_need(c->conf, "carrier", "aftership", "key");
	struct http_request *r;
	char *url, *body;
	json_t *req;

	req = json_pack("{s:s}", "tracking_number", p->number);
	if (req == NULL)
		xnomem();
	/* The carrier's slug, unless AfterShip is to detect it. */
	if (p->name != NULL && strcmp(p->name, "aftership") != 0 &&
	    json_object_set_new(req, "slug",
	    json_string(carrier_slug(p->name))) == -1)
		xnomem();
	if ((body = json_dumps(req, JSON_COMPACT)) == NULL)
		xnomem();
	json_decref(req);
	url = carrier_url(c, "/trackings");
	r = http_request_new(c->svc, "POST", url);
	http_body(r, "application/json", body, strlen(body));
	http_header(r, "as-api-key: %s", key);
	r->check = http_check_json;
	r->done = created;
	r->arg = c;
	r->arg2 = p;
	http_send(r);
	free(body);
	free(url);
}

static void
listed(struct http_request *r)
{
	struct carrier *c = r->arg;
	struct batch *b = r->arg2;
	const json_t *list, *t;
	const char *num, *msg;
	size_t i, j;

	if (r->result != HTTP_OK || refused(c, r))
		goto out;
	list = carrier_json_get(r->parsed, "data.trackings");
	if (r->status != 200 || !json_is_array(list)) {
		msg = meta_message(r->parsed);
		for (i = 0; i < b->n; i++)
			carrier_reject(b->ps[i], "carrier_error", "AfterShip: "
			    "%s", msg ? msg : "the call failed");
		goto out;
	}
	for (i = 0; i < b->n; i++) {
		json_array_foreach(list, j, t) {
			num = carrier_json_str(t, "tracking_number");
			if (num != NULL && strcmp(num, b->ps[i]->number) == 0)
				break;
		}
		if (j < json_array_size(list))
			settle(b->ps[i], json_array_get(list, j));
		else
			create(c, b->ps[i]);	/* new to AfterShip */
	}
out:
	free(b->ps);
	free(b);
}

static void
track(struct carrier *c, struct carrier_parcel **ps, size_t n)
{
	const char *key = conf_need(c->conf, "carrier", "aftership", "key");
	struct http_request *r;
	struct batch *b;
	char *list, *num, *url;
	size_t i, len = 1;

	for (i = 0; i < n; i++)
		len += strlen(ps[i]->number) * 3 + 1;
	list = xcalloc(1, len);
	for (i = 0; i < n; i++) {
		num = http_escape(ps[i]->number);
		if (i > 0)
			strcat(list, ",");
		strcat(list, num);
		free(num);
	}
	url = carrier_url(c, "/trackings?tracking_numbers=%s&limit=%zu", list,
	    n < 50 ? (size_t)50 : n);
	b = xcalloc(1, sizeof(*b));
	b->ps = xcalloc(n, sizeof(*b->ps));
	memcpy(b->ps, ps, n * sizeof(*ps));
	b->n = n;
	r = http_request_new(c->svc, "GET", url);
	http_header(r, "as-api-key: %s", key);
	r->check = http_check_json;
	r->done = listed;
	r->arg = c;
	r->arg2 = b;
	http_send(r);
	free(url);
	free(list);
}

/* AfterShip signs a webhook's body: base64 of its HMAC-SHA256 keyed with
 * the webhook secret, in the aftership-hmac-sha256 header. */
static enum carrier_webhook_result
webhook(struct carrier *c, const char *body, size_t len,
    struct carrier_push *w, char *why, size_t whylen)
{
	const char *secret, *sig, *event, *num, *slug;
	const json_t *t;
	unsigned char mac[32];
	char want[45];
	json_t *v;

	secret = conf_need(c->conf, "carrier", "aftership", "webhook_secret");
	sig = getenv("HTTP_AFTERSHIP_HMAC_SHA256");
	carrier_hmac_sha256(secret, strlen(secret), body, len, mac);
	carrier_base64(mac, want);
	if (sig == NULL || !carrier_equal(sig, want)) {
		snprintf(why, whylen, "aftership webhook: aftership-hmac-sha256 "
		    "%s with %s webhook_secret", sig == NULL ? "missing; it "
		    "must be signed" : "does not verify", c->keyname);
		return CARRIER_PUSH_FORGED;
	}
	if ((v = json_loadb(body, len, 0, NULL)) == NULL ||
	    !json_is_object(v)) {
		json_decref(v);
		snprintf(why, whylen, "not an AfterShip webhook: not a JSON "
		    "object");
		return CARRIER_PUSH_BAD;
	}
	event = carrier_json_str(v, "event");
	if (event == NULL || strcmp(event, "tracking_update") != 0) {
		json_decref(v);
		return CARRIER_PUSH_IGNORED;
	}
	t = json_object_get(v, "msg");
	if ((num = carrier_json_str(t, "tracking_number")) == NULL) {
		json_decref(v);
		snprintf(why, whylen, "AfterShip tracking_update without "
		    "msg.tracking_number");
		return CARRIER_PUSH_BAD;
	}
	slug = carrier_json_str(t, "slug");
	w->carrier = slug != NULL ? carrier_from_slug(slug) :
	    xstrdup("aftership");
	w->number = xstrdup(num);
	carrier_set(&w->parcel.order_id, carrier_json_str(t, "order_id"));
	settle(&w->parcel, t);
	json_decref(v);
	return CARRIER_PUSH_OK;
}

const struct carrier_ops carrier_aftership = {
	.name = "aftership",
	.url = "https://api.aftership.com/tracking/2025-01",
	.batch = 50,
	.rate_milli = 5000,		/* GET /trackings allows 6 a second */
	.track = track,
	.webhook = webhook,
};
