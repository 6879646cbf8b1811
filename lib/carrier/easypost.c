/* easypost.c: EasyPost trackers (POST /trackers, HTTP Basic with the API
 * key) and tracker webhooks signed with X-Hmac-Signature. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <uninorm.h>

#include "carrier.h"
#include "conf.h"
#include "http.h"
#include "xalloc.h"

/* A tracker's status, and each tracking detail's. */
static const struct carrier_code codes[] = {
	{ "pre_transit", CARRIER_PRE_TRANSIT },
	{ "in_transit", CARRIER_IN_TRANSIT },
	{ "out_for_delivery", CARRIER_OUT_FOR_DELIVERY },
	{ "available_for_pickup", CARRIER_AVAILABLE_FOR_PICKUP },
	{ "delivered", CARRIER_DELIVERED },
	{ "return_to_sender", CARRIER_RETURN_TO_SENDER },
	{ "failure", CARRIER_EXCEPTION },
	{ "error", CARRIER_EXCEPTION },
	{ "cancelled", CARRIER_CANCELLED },
	{ "unknown", CARRIER_UNKNOWN },
};

#define NCODES	(sizeof(codes) / sizeof(codes[0]))

/* "Leipzig, SN, DE" from a tracking_location. */
static char *
place(const json_t *loc)
{
	static const char *keys[] = { "city", "state", "country" };
	char buf[256];
	const char *v;
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if ((v = carrier_json_str(loc, keys[i])) == NULL || *v == '\0')
			continue;
		at += snprintf(buf + at, sizeof(buf) - at, "%s%s",
		    at ? ", " : "", v);
		if (at >= sizeof(buf))
			break;
	}
	return buf[0] != '\0' ? xstrdup(buf) : NULL;
}

/* The tracker's details as events, and its status. */
static void
settle(struct carrier_parcel *p, const json_t *tracker)
{
	const json_t *d;
	struct carrier_event *e;
	const char *status;
	size_t i;

	json_array_foreach(json_object_get(tracker, "tracking_details"), i,
	    d) {
		e = carrier_event_add(p);
		e->status = carrier_map(codes, NCODES,
		    carrier_json_str(d, "status"));
		carrier_set(&e->code, carrier_json_str(d, "status"));
		carrier_set(&e->text, carrier_json_str(d, "status_detail"));
		carrier_set(&e->message, carrier_json_str(d, "message"));
		e->location = place(json_object_get(d, "tracking_location"));
		e->has_time = carrier_time(carrier_json_str(d, "datetime"), 0,
		    &e->at, &e->offset) == 0;
	}
	status = carrier_json_str(tracker, "status");
	if (p->nevents == 0 && (status == NULL ||
	    strcmp(status, "unknown") == 0)) {
		carrier_settle(p, CARRIER_NONE);	/* nothing yet */
		return;
	}
	if (p->nevents == 0) {
		e = carrier_event_add(p);
		carrier_set(&e->code, status);
		carrier_set(&e->text, carrier_json_str(tracker,
		    "status_detail"));
		e->has_time = carrier_time(carrier_json_str(tracker,
		    "updated_at"), 0, &e->at, &e->offset) == 0;
	}
	carrier_settle(p, carrier_map(codes, NCODES, status));
	/* The tracker's status comes with the detail it reached. */
	carrier_set(&p->now.code, status);
	if (carrier_json_str(tracker, "status_detail") != NULL)
		carrier_set(&p->now.text, carrier_json_str(tracker,
		    "status_detail"));
}

static void
done(struct http_request *r)
{
	struct carrier *c = r->arg;
	struct carrier_parcel *p = r->arg2;
	const char *code, *msg;

	if (r->result != HTTP_OK)
		return;
	code = carrier_json_str(r->parsed, "error.code");
	msg = carrier_json_str(r->parsed, "error.message");
	if (r->status == 401 || r->status == 403) {
		carrier_refused(c, "EasyPost refused %s key: HTTP %ld%s%s",
		    c->keyname, r->status, msg ? ": " : "", msg ? msg : "");
		return;
	}
	if (r->status >= 400) {
		carrier_reject(p, code != NULL && (strstr(code, "INVALID") ||
		    strstr(code, "NOT_FOUND")) ? "unknown_tracking_number" :
		    "carrier_error", "EasyPost: %s%s%s", msg ? msg :
		    "the call failed", code ? " " : "", code ? code : "");
		return;
	}
	if (carrier_json_str(r->parsed, "object") == NULL ||
	    strcmp(carrier_json_str(r->parsed, "object"), "Tracker") != 0) {
		carrier_reject(p, "carrier_error", "EasyPost answered HTTP %ld "
		    "without a tracker", r->status);
		return;
	}
	settle(p, r->parsed);
}

static void
track(struct carrier *c, struct carrier_parcel **ps, size_t n)
{
	const char *key = conf_need(c->conf, "carrier", "easypost", "key");
	struct http_request *r;
	char *url, *body;
	json_t *req;
	size_t i;

	url = carrier_url(c, "/trackers");
	for (i = 0; i < n; i++) {
		/* Creating a tracker that exists returns it. */
		req = json_pack("{s:{s:s}}", "tracker", "tracking_code",
		    ps[i]->number);
		if (req == NULL || (body = json_dumps(req, JSON_COMPACT)) ==
		    NULL)
			xnomem();
		json_decref(req);
		r = http_request_new(c->svc, "POST", url);
		http_body(r, "application/json", body, strlen(body));
		http_basic_auth(r, key, "");
		r->check = http_check_json;
		r->done = done;
		r->arg = c;
		r->arg2 = ps[i];
		http_send(r);
		free(body);
	}
	free(url);
}

/*
 * EasyPost signs a webhook's body with HMAC-SHA256 keyed with the
 * webhook_secret normalised to NFKD, as its client libraries do, and
 * sends "hmac-sha256-hex=<hex>" in X-Hmac-Signature.
 */
static int
signed_ok(const char *secret, const char *body, size_t len,
    const char *header)
{
	unsigned char mac[32];
	uint8_t *key;
	size_t keylen = 0, i;
	char want[16 + 65], got[16 + 65];
	int ok;

	key = u8_normalize(UNINORM_NFKD, (const uint8_t *)secret,
	    strlen(secret), NULL, &keylen);
	if (key == NULL)
		return 0;
	carrier_hmac_sha256(key, keylen, body, len, mac);
	explicit_bzero(key, keylen);
	free(key);
	memcpy(want, "hmac-sha256-hex=", 16);
	carrier_hex(mac, 32, want + 16);
	if (strlen(header) >= sizeof(got))
		return 0;
	for (i = 0; header[i] != '\0'; i++)
		got[i] = tolower((unsigned char)header[i]);
	got[i] = '\0';
	ok = carrier_equal(got, want);
	explicit_bzero(want, sizeof(want));
	return ok;
}

static enum carrier_webhook_result
webhook(struct carrier *c, const char *body, size_t len,
    struct carrier_push *w, char *why, size_t whylen)
{
	const char *secret, *sig, *desc, *num, *carrier;
	const json_t *tracker;
	json_t *v;

	secret = conf_need(c->conf, "carrier", "easypost", "webhook_secret");
	sig = getenv("HTTP_X_HMAC_SIGNATURE");
	if (sig == NULL || !signed_ok(secret, body, len, sig)) {
		snprintf(why, whylen, "easypost webhook: X-Hmac-Signature %s "
		    "with %s webhook_secret", sig == NULL ? "missing; it must "
		    "be signed" : "does not verify", c->keyname);
		return CARRIER_PUSH_FORGED;
	}
	if ((v = json_loadb(body, len, 0, NULL)) == NULL ||
	    !json_is_object(v)) {
		json_decref(v);
		snprintf(why, whylen, "not an EasyPost event: not a JSON "
		    "object");
		return CARRIER_PUSH_BAD;
	}
	desc = carrier_json_str(v, "description");
	if (desc == NULL || strncmp(desc, "tracker.", 8) != 0) {
		json_decref(v);
		return CARRIER_PUSH_IGNORED;
	}
	tracker = json_object_get(v, "result");
	if ((num = carrier_json_str(tracker, "tracking_code")) == NULL) {
		json_decref(v);
		snprintf(why, whylen, "EasyPost %s event without "
		    "result.tracking_code", desc);
		return CARRIER_PUSH_BAD;
	}
	carrier = carrier_json_str(tracker, "carrier");
	w->carrier = carrier != NULL ? carrier_canonical(carrier) :
	    xstrdup("easypost");
	w->number = xstrdup(num);
	settle(&w->parcel, tracker);
	json_decref(v);
	return CARRIER_PUSH_OK;
}

const struct carrier_ops carrier_easypost = {
	.name = "easypost",
	.url = "https://api.easypost.com/v2",
	.batch = 1,
	.track = track,
	.webhook = webhook,
};
