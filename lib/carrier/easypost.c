/* easypost.c: EasyPost trackers (POST /trackers, HTTP Basic with the API
 * key), tracker webhooks signed with X-Hmac-Signature; booking: a shipment
 * created with our reference, its rate bought, refunded to cancel. */
#include <ctype.h>
#include <stdint.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <uninorm.h>

#include "carrier.h"
#include "conf.h"
#include "http.h"
#include "jsonl.h"
#include "jsonx.h"
#include "parcel.h"
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

/* --- booking ------------------------------------------------------------- */

enum {
	STEP_CREATE = 1,	/* POST /shipments */
	STEP_BUY,		/* POST /shipments/{id}/buy */
	STEP_GET,		/* GET /shipments/{id or reference} */
	STEP_REFUND		/* POST /shipments/{id}/refund */
};

static void book_done(struct http_request *);

/* A whole number of tenths as an exact JSON number: 10.5. */
static json_t *
tenths(int64_t t)
{
	char buf[32];
	json_t *v;

	snprintf(buf, sizeof(buf), "%lld.%lld", (long long)(t / 10),
	    (long long)(t % 10));
	if ((v = jsonl_parse(buf, strlen(buf), JSON_DECODE_ANY, NULL)) == NULL)
		xnomem();
	return v;
}

static json_t *
address(const struct carrier_party *p)
{
	json_t *o = jsonx_object();

	jsonx_set_text(o, "name", p->contact != NULL ? p->contact : p->name);
	jsonx_set_text(o, "company", p->company);
	jsonx_set_text(o, "street1", p->line1);
	jsonx_set_text(o, "street2", p->line2);
	jsonx_set_text(o, "city", p->city);
	jsonx_set_text(o, "state", p->region);
	jsonx_set_text(o, "zip", p->postal_code);
	jsonx_set_text(o, "country", p->country);
	jsonx_set_text(o, "phone", p->phone);
	jsonx_set_text(o, "email", p->email);
	return o;
}

/* EasyPost's parcel: ounces and inches, in tenths, rounded up. */
static json_t *
parcel(const struct parcel *p)
{
	json_t *o = jsonx_object();

	/* 1 oz = 28.349523125 g */
	jsonx_set_new(o, "weight", tenths((p->weight_g * INT64_C(10000000000) +
	    INT64_C(28349523124)) / INT64_C(28349523125)));
	if (p->has_dims) {	/* 1 in = 25.4 mm */
		jsonx_set_new(o, "length",
		    tenths((p->dims_mm[0] * 100 + 253) / 254));
		jsonx_set_new(o, "width",
		    tenths((p->dims_mm[1] * 100 + 253) / 254));
		jsonx_set_new(o, "height",
		    tenths((p->dims_mm[2] * 100 + 253) / 254));
	}
	return o;
}

static json_t *
shipment_body(struct carrier *c, const struct carrier_booking *b)
{
	const char *fmt = conf_get(c->conf, "carrier", "easypost",
	    "label_format");
	json_t *sh = json_object(), *opt = json_object();
	char *cod;

	if (sh == NULL || opt == NULL)
		xnomem();
	jsonx_set_text(sh, "reference", b->key);
	/* A return keeps the outbound addresses: EasyPost swaps them. */
	jsonx_set_new(sh, "to_address", address(b->kind ==
	    CARRIER_KIND_RETURN ? &b->sender : &b->recipient));
	jsonx_set_new(sh, "from_address", address(b->kind ==
	    CARRIER_KIND_RETURN ? &b->recipient : &b->sender));
	jsonx_set_new(sh, "parcel", parcel(b->parcel));
	if (fmt != NULL && *fmt != '\0')
		jsonx_set_text(opt, "label_format", fmt);
	if (b->cod > 0) {
		cod = carrier_amount_text(b->cod, b->currency);
		jsonx_set_text(opt, "cod_amount", cod);
		free(cod);
	}
	if (b->delivery == CARRIER_PICKUP && b->kind == CARRIER_KIND_BOOK)
		jsonx_set_new(opt, "hold_for_pickup", json_true());
	jsonx_set_new(sh, "options", opt);
	if (b->kind == CARRIER_KIND_RETURN)
		jsonx_set_new(sh, "is_return", json_true());
	return json_pack("{s:o}", "shipment", sh);
}

static void
call(struct carrier *c, struct carrier_booking *b, int step, const char *id,
    json_t *body)
{
	const char *key = conf_need(c->conf, "carrier", "easypost", "key");
	struct http_request *r;
	char *url, *esc, *text;

	esc = id != NULL ? http_escape(id) : NULL;
	switch (step) {
	case STEP_CREATE:
		url = carrier_url(c, "/shipments");
		break;
	case STEP_BUY:
		url = carrier_url(c, "/shipments/%s/buy", esc);
		break;
	case STEP_GET:
		url = carrier_url(c, "/shipments/%s", esc);
		break;
	default:
		url = carrier_url(c, "/shipments/%s/refund", esc);
		break;
	}
	r = http_request_new(c->svc, step == STEP_GET ? "GET" : "POST", url);
	if (body != NULL) {
		text = jsonx_text(body);
		http_body(r, "application/json", text, strlen(text));
		free(text);
		json_decref(body);
	}
	http_basic_auth(r, key, "");
	r->once = step != STEP_GET;
	r->check = carrier_check_exact;
	r->done = book_done;
	r->arg = c;
	r->arg2 = b;
	r->tag = step;
	carrier_send(c, r);
	free(url);
	free(esc);
}

/* Whether s is in the comma-separated list (case aside); an empty list
 * holds everything. */
static int
listed(const char *list, const char *s)
{
	const char *p, *end;
	size_t n;

	if (list == NULL || *list == '\0')
		return 1;
	if (s == NULL)
		return 0;
	for (p = list; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, ",");
		for (n = end - p; n > 0 && p[n - 1] == ' '; n--)
			;
		if (n == strlen(s) && strncasecmp(p, s, n) == 0)
			return 1;
	}
	return 0;
}

/* The rate to buy: the service's, else the cheapest, of the configured
 * carriers. */
static const json_t *
pick_rate(struct carrier *c, const struct carrier_booking *b,
    const json_t *shipment)
{
	const char *carriers = conf_get(c->conf, "carrier", "easypost",
	    "carriers");
	const json_t *rate, *best = NULL;
	int64_t amount, least = INT64_MAX;
	size_t i;

	json_array_foreach(json_object_get(shipment, "rates"), i, rate) {
		if (!listed(carriers, carrier_json_str(rate, "carrier")))
			continue;
		if (b->service != NULL && (carrier_json_str(rate, "service") ==
		    NULL || strcasecmp(carrier_json_str(rate, "service"),
		    b->service) != 0))
			continue;
		if (carrier_amount_parse(json_object_get(rate, "rate"),
		    carrier_json_str(rate, "currency"), &amount) == -1)
			continue;
		if (amount < least) {
			least = amount;
			best = rate;
		}
	}
	return best;
}

/* A bought shipment: its tracking code, label, price. */
static void
bought(struct carrier_booking *b, const json_t *sh)
{
	const json_t *rate = json_object_get(sh, "selected_rate");
	const char *cur = carrier_json_str(rate, "currency");

	carrier_set(&b->carrier_ref, carrier_json_str(sh, "id"));
	carrier_set(&b->tracking_number, carrier_json_str(sh,
	    "tracking_code"));
	carrier_set(&b->service_used, carrier_json_str(rate, "service"));
	carrier_set(&b->label_url, carrier_json_str(sh,
	    "postage_label.label_url"));
	carrier_book_extra(b, "carrier", carrier_json_str(rate, "carrier"));
	carrier_book_extra(b, "tracker_id", carrier_json_str(sh, "tracker.id"));
	if (cur != NULL && strlen(cur) == 3 && carrier_amount_parse(
	    json_object_get(rate, "rate"), cur, &b->cost) == 0) {
		b->has_cost = 1;
		memcpy(b->cost_currency, cur, 4);
	}
	carrier_book_end(b, CARRIER_BOOK_DONE);
}

/* A shipment, made or found: bought already, or buy its rate. */
static void
shipment(struct carrier *c, struct carrier_booking *b, const json_t *sh)
{
	const json_t *rate;
	const char *id = carrier_json_str(sh, "id"), *refund;

	if (b->kind == CARRIER_KIND_CANCEL) {
		refund = carrier_json_str(sh, "refund_status");
		carrier_book_end(b, refund != NULL && strcmp(refund,
		    "rejected") != 0 && strcmp(refund, "not_applicable") != 0 ?
		    CARRIER_BOOK_CANCEL_REQUESTED : CARRIER_BOOK_DONE);
		return;
	}
	if (carrier_json_str(sh, "tracking_code") != NULL &&
	    json_is_object(json_object_get(sh, "selected_rate"))) {
		bought(b, sh);
		return;
	}
	if (id == NULL) {
		carrier_book_refuse(b, "carrier_error", NULL, "EasyPost "
		    "answered without a shipment id");
		return;
	}
	carrier_book_note(b, id);
	if ((rate = pick_rate(c, b, sh)) == NULL) {
		b->sent = 0;	/* an unbought shipment costs nothing */
		carrier_book_refuse(b, "bad_service", NULL, "EasyPost has no "
		    "rate%s%s of the carriers configured for this parcel",
		    b->service != NULL ? " for service " : "",
		    b->service != NULL ? b->service : "");
		return;
	}
	call(c, b, STEP_BUY, id, json_pack("{s:{s:s}}", "rate", "id",
	    carrier_json_str(rate, "id")));
}

static void
book_done(struct http_request *r)
{
	struct carrier *c = r->arg;
	struct carrier_booking *b = r->arg2;
	const char *code = carrier_json_str(r->parsed, "error.code");
	const char *msg = carrier_json_str(r->parsed, "error.message");
	int step = (int)r->tag;

	if (r->result == HTTP_DOUBT) {
		b->sent = 1;
		carrier_book_end(b, CARRIER_BOOK_DOUBT);
		return;
	}
	if (r->result != HTTP_OK) {
		carrier_book_end(b, b->sent ? CARRIER_BOOK_DOUBT :
		    CARRIER_BOOK_PENDING);
		return;
	}
	if (r->status == 401 || r->status == 403) {
		carrier_refused(c, "EasyPost refused %s key: HTTP %ld%s%s",
		    c->keyname, r->status, msg ? ": " : "", msg ? msg : "");
		carrier_book_end(b, b->sent ? CARRIER_BOOK_DOUBT :
		    CARRIER_BOOK_PENDING);
		return;
	}
	if (step == STEP_GET && r->status == 404) {
		carrier_book_end(b, CARRIER_BOOK_NOT_FOUND);
		return;
	}
	if (step == STEP_BUY && code != NULL &&
	    strcmp(code, "SHIPMENT.POSTAGE.EXISTS") == 0) {
		/* Bought before: by an earlier try of ours. */
		call(c, b, STEP_GET, carrier_json_str(r->parsed, "id") ?
		    carrier_json_str(r->parsed, "id") : b->progress, NULL);
		return;
	}
	if (r->status >= 400) {
		if (step == STEP_CREATE)
			b->sent = 0;
		carrier_book_refuse(b, step == STEP_REFUND ?
		    "too_late_to_cancel" : "carrier_error", code,
		    "EasyPost: %s%s%s%s", msg != NULL ? msg : "HTTP error",
		    code != NULL ? " (" : "", code != NULL ? code : "",
		    code != NULL ? ")" : "");
		return;
	}
	if (step == STEP_REFUND) {
		const char *refund = carrier_json_str(r->parsed,
		    "refund_status");

		if (refund != NULL && (strcmp(refund, "rejected") == 0 ||
		    strcmp(refund, "not_applicable") == 0))
			carrier_book_refuse(b, "too_late_to_cancel", NULL,
			    "EasyPost: refund %s", refund);
		else
			carrier_book_end(b, CARRIER_BOOK_CANCEL_REQUESTED);
		return;
	}
	if (step == STEP_CREATE)
		b->sent = 1;
	shipment(c, b, r->parsed);
}

static void
book(struct carrier *c, struct carrier_booking *b)
{
	call(c, b, STEP_CREATE, NULL, shipment_body(c, b));
}

static void
lookup(struct carrier *c, struct carrier_booking *b)
{
	/* The shipment's id when known, else our reference, which EasyPost
	 * takes in its place. */
	call(c, b, STEP_GET, b->ref != NULL ? b->ref : b->progress != NULL ?
	    b->progress : b->key, NULL);
}

static void
cancel(struct carrier *c, struct carrier_booking *b)
{
	call(c, b, STEP_REFUND, b->ref, NULL);
}

static void
ready(struct carrier *c, const struct carrier_booking *b)
{
	conf_need(c->conf, "carrier", "easypost", "key");
	(void)b;
}

const struct carrier_ops carrier_easypost = {
	.name = "easypost",
	.url = "https://api.easypost.com/v2",
	.batch = 1,
	.track = track,
	.webhook = webhook,
	.book = book,
	.cancel = cancel,
	.lookup = lookup,
	.ready = ready,
};
