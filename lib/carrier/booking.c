/* booking.c: what the carrier adapters share for booking: dry runs with
 * secrets masked, outcomes, the shop's configuration, exact amounts. */
#include <ctype.h>
#include <err.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "carrier.h"
#include "conf.h"
#include "fileio.h"
#include "http.h"
#include "jsonl.h"
#include "jsonx.h"
#include "money.h"
#include "parcel.h"
#include "reject.h"
#include "rfc3339.h"
#include "status.h"
#include "xalloc.h"

/* Keys whose values are secrets, wherever they sit in a body. */
static const char *const secret_keys[] = {
	"apikey", "api_key", "key", "client_secret", "secret", "password",
	"token", "access_token",
};

static int
secret_key(const char *k)
{
	size_t i;

	for (i = 0; i < sizeof(secret_keys) / sizeof(secret_keys[0]); i++)
		if (strcasecmp(k, secret_keys[i]) == 0)
			return 1;
	return 0;
}

static void
mask_json(json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, k, x) {
			if (secret_key(k) && !json_is_null(x)) {
				if (json_object_set_new(v, k,
				    json_string("***")) == -1)
					xnomem();
			} else
				mask_json(x);
		}
	} else if (json_is_array(v))
		json_array_foreach(v, i, x)
			mask_json(x);
}

/* A form body with the values of secret keys as ***. */
static char *
mask_form(const char *body)
{
	char *out, *o, name[64];
	const char *p, *eq, *end;
	size_t n;

	out = o = xmalloc(strlen(body) + 1);
	for (p = body; *p != '\0'; p = *end == '&' ? end + 1 : end) {
		end = p + strcspn(p, "&");
		eq = memchr(p, '=', end - p);
		n = eq != NULL ? (size_t)(eq - p) : 0;
		if (o != out)
			*o++ = '&';
		if (eq != NULL && n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = '\0';
			if (secret_key(name)) {
				memcpy(o, p, n + 1);
				o += n + 1;
				memcpy(o, "***", 3);
				o += 3;
				continue;
			}
		}
		memcpy(o, p, end - p);
		o += end - p;
	}
	*o = '\0';
	return out;
}

void
carrier_send(struct carrier *c, struct http_request *r)
{
	json_t *line, *body = NULL;
	char *form;

	if (!c->dry_run) {
		http_send(r);
		return;
	}
	if (r->req_body != NULL && (r->req_body[0] == '{' ||
	    r->req_body[0] == '[')) {
		body = jsonl_parse(r->req_body, r->req_len, 0, NULL);
		mask_json(body);
	} else if (r->req_body != NULL) {
		form = mask_form(r->req_body);
		body = json_string(form);
		free(form);
	}
	line = json_pack("{s:s,s:s,s:o}", "method", r->method, "url", r->url,
	    "body", body != NULL ? body : json_null());
	if (line == NULL)
		xnomem();
	jsonl_write(c->dry_out != NULL ? c->dry_out : stdout, line);
	json_decref(line);
	http_request_free(r);
}

void
carrier_book_end(struct carrier_booking *b, enum carrier_book_outcome o)
{
	b->outcome = o;
	if (b->done != NULL)
		b->done(b);
}

/* Whether s, lower-cased, holds one of the words. */
static int
mentions(const char *s, const char *const *words)
{
	char buf[512];
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; i < sizeof(buf) - 1 && s[i] != '\0'; i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	buf[i] = '\0';
	for (; *words != NULL; words++)
		if (strstr(buf, *words) != NULL)
			return 1;
	return 0;
}

/*
 * The carriers' refusals of a parcel, in the codes of ship-book(1), from
 * their own codes and words (in English, Russian and Ukrainian):
 * "v2_phone_invalid", "Invalid phone", "Телефон" ...
 */
static const char *
refusal_code(const char *code, const char *msg, const char *fallback)
{
	static const char *const phone[] = { "phone", "телефон", NULL };
	static const char *const heavy[] = { "weight", "heavy", "вес", "ваг",
	    NULL };
	static const char *const address[] = { "address", "city", "street",
	    "postal", "zip", "location", "delivery_point", "warehouse",
	    "адрес", "город", "адрес", "місто", "відділен", "вулиц", NULL };

	if (mentions(code, phone) || mentions(msg, phone))
		return "bad_phone";
	if (mentions(code, heavy) || mentions(msg, heavy))
		return "too_heavy";
	if (mentions(code, address) || mentions(msg, address))
		return "bad_address";
	return fallback;
}

void
carrier_book_refuse(struct carrier_booking *b, const char *fallback,
    const char *carrier_code, const char *fmt, ...)
{
	va_list ap;
	char msg[600];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	carrier_set(&b->error_code, b->kind == CARRIER_KIND_CANCEL ? fallback :
	    refusal_code(carrier_code, msg, fallback));
	carrier_set(&b->error, msg);
	carrier_book_end(b, CARRIER_BOOK_REFUSED);
}

void
carrier_book_note(struct carrier_booking *b, const char *id)
{
	carrier_set(&b->progress, id);
	if (b->noted != NULL)
		b->noted(b);
}

void
carrier_book_extra(struct carrier_booking *b, const char *key,
    const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	if (b->extra == NULL && (b->extra = json_object()) == NULL)
		xnomem();
	if (json_object_set_new(b->extra, key, json_string(value)) == -1)
		xnomem();
}

void
carrier_booking_release(struct carrier_booking *b)
{
	free(b->tracking_number);
	free(b->carrier_ref);
	free(b->service_used);
	free(b->label_url);
	free(b->progress);
	free(b->error_code);
	free(b->error);
	json_decref(b->extra);
	b->tracking_number = b->carrier_ref = b->service_used = NULL;
	b->label_url = b->progress = b->error_code = b->error = NULL;
	b->extra = NULL;
	b->outcome = CARRIER_BOOK_PENDING;
	b->sent = 0;
	b->has_cost = 0;
	b->reads = 0;
}

/* The shop's value of key: [warehouse "W"], else [sender]. */
static const char *
shop_value(const struct conf *c, const char *w, const char *key)
{
	const char *v = NULL;

	if (w != NULL)
		v = conf_get(c, "warehouse", w, key);
	if (v == NULL || *v == '\0')
		v = conf_get(c, "sender", NULL, key);
	return v != NULL && *v != '\0' ? v : NULL;
}

const char *
carrier_shop_conf(const struct carrier *c, const struct carrier_booking *b,
    const char *key)
{
	return shop_value(c->conf, b->warehouse, key);
}

static int
exponent(const char *currency)
{
	const struct money_currency *cur = currency != NULL ?
	    money_currency(currency) : NULL;

	return cur != NULL ? cur->exponent : 2;
}

char *
carrier_amount_text(int64_t minor, const char *currency)
{
	char buf[48];

	return xstrdup(money_format(minor, exponent(currency), buf,
	    sizeof(buf)));
}

json_t *
carrier_amount_json(int64_t minor, const char *currency)
{
	char buf[48];
	json_t *v;

	money_format(minor, exponent(currency), buf, sizeof(buf));
	if ((v = jsonl_parse(buf, strlen(buf), JSON_DECODE_ANY, NULL)) == NULL)
		xnomem();
	return v;
}

int
carrier_amount_parse(const json_t *v, const char *currency, int64_t *minor)
{
	const char *text;
	char buf[48];

	if (json_is_integer(v)) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		text = buf;
	} else if (json_is_real(v))
		text = jsonl_number_raw(v);
	else
		text = json_string_value(v);
	if (text == NULL)
		return -1;
	return money_parse(text, exponent(currency), minor) == MONEY_OK ? 0 :
	    -1;
}

enum http_verdict
carrier_check_exact(struct http_request *r)
{
	return http_check_parsed(r, jsonl_parse(r->body, r->len, 0, NULL));
}

void
carrier_party_shop(const struct conf *c, const char *w,
    struct carrier_party *p)
{
	memset(p, 0, sizeof(*p));
	p->name = shop_value(c, w, "name");
	p->company = shop_value(c, w, "company");
	p->contact = shop_value(c, w, "contact");
	p->phone = shop_value(c, w, "phone");
	p->email = shop_value(c, w, "email");
	p->country = shop_value(c, w, "country");
	p->region = shop_value(c, w, "region");
	p->city = shop_value(c, w, "city");
	p->postal_code = shop_value(c, w, "postal_code");
	p->line1 = shop_value(c, w, "line1");
	p->line2 = shop_value(c, w, "line2");
}

void
carrier_party_customer(const json_t *rec, struct carrier_party *p)
{
	const json_t *a = carrier_json_get(rec, "shipping.address");

	memset(p, 0, sizeof(*p));
	p->name = carrier_json_str(rec, "customer.name");
	p->phone = carrier_json_str(rec, "customer.phone");
	p->email = carrier_json_str(rec, "customer.email");
	p->country = carrier_json_str(a, "country");
	p->region = carrier_json_str(a, "region");
	p->city = carrier_json_str(a, "city");
	p->postal_code = carrier_json_str(a, "postal_code");
	p->line1 = carrier_json_str(a, "line1");
	p->line2 = carrier_json_str(a, "line2");
	p->pickup_point = carrier_json_str(rec, "shipping.pickup_point");
}

void
carrier_booking_parties(struct carrier_booking *b, const struct conf *conf,
    const json_t *rec)
{
	const json_t *ret = json_object_get(rec, "return");
	const json_t *out = json_array_get(carrier_json_get(rec,
	    "shipment.parcels"), 0);

	if (b->kind != CARRIER_KIND_RETURN) {
		b->warehouse = b->parcel != NULL ? b->parcel->warehouse : NULL;
		carrier_party_shop(conf, b->warehouse, &b->sender);
		carrier_party_customer(rec, &b->recipient);
		return;
	}
	b->warehouse = carrier_json_str(ret, "warehouse");
	if (b->warehouse == NULL)
		b->warehouse = carrier_json_str(out, "warehouse");
	carrier_party_customer(rec, &b->sender);
	b->sender.pickup_point = carrier_json_str(ret, "pickup_point");
	carrier_party_shop(conf, b->warehouse, &b->recipient);
	b->original = carrier_json_str(out, "tracking_number");
}

json_t *
carrier_booking_json(const struct carrier_booking *b)
{
	json_t *p = parcel_json(b->parcel);

	jsonx_set_new(p, "warehouse", jsonx_string_or_null(b->warehouse));
	jsonx_set_new(p, "tracking_number",
	    jsonx_string_or_null(b->tracking_number));
	jsonx_set_new(p, "carrier_ref", jsonx_string_or_null(b->carrier_ref));
	if (b->extra != NULL)
		jsonx_set_new(p, "carrier_ids", json_incref(b->extra));
	if (b->label_url != NULL)
		jsonx_set_new(p, "carrier_label", json_string(b->label_url));
	if (b->has_cost)
		jsonx_set_new(p, "cost", json_pack("{s:I,s:s}", "amount",
		    (json_int_t)b->cost, "currency", b->cost_currency));
	if (b->cod > 0)
		jsonx_set_new(p, "cod", json_pack("{s:I,s:s}", "amount",
		    (json_int_t)b->cod, "currency", b->currency != NULL ?
		    b->currency : ""));
	return p;
}

/* --service, else the record's, else the configured one. */
const char *
carrier_service(const struct conf *conf, const char *name,
    const char *written, enum carrier_book_kind kind, enum carrier_delivery d)
{
	const char *v = written;

	if ((v == NULL || *v == '\0') && kind == CARRIER_KIND_RETURN)
		v = conf_get(conf, "carrier", name, "service_return");
	if (v == NULL || *v == '\0')
		v = conf_get(conf, "carrier", name, d == CARRIER_PICKUP ?
		    "service_pickup" : d == CARRIER_POST ? "service_post" :
		    "service_courier");
	if (v == NULL || *v == '\0')
		v = conf_get(conf, "carrier", name, "service");
	return v != NULL && *v != '\0' ? v : NULL;
}

int64_t
carrier_cod_due(const json_t *order)
{
	const char *status = carrier_json_str(order, "status");
	const json_t *total = carrier_json_get(order, "totals.total");
	json_int_t paid;

	if (status == NULL || strcmp(status, "cod") != 0 ||
	    !json_is_integer(total))
		return 0;
	paid = json_integer_value(carrier_json_get(order, "payment.paid"));
	return json_integer_value(total) > paid && paid >= 0 ?
	    json_integer_value(total) - paid : 0;
}

/* A label being fetched. */
struct label_fetch {
	struct carrier_booking	 *b;
	void			(*then)(struct carrier_booking *);
	char			 *path;
};

static void
label_fetched(struct http_request *q)
{
	struct label_fetch *f = q->arg;
	char *tmp, msg[300];
	FILE *fp;
	int ok;

	if (q->result == HTTP_OK && q->status == 200) {
		tmp = xmalloc(strlen(f->path) + 5);
		snprintf(tmp, strlen(f->path) + 5, "%s.tmp", f->path);
		if ((fp = fileio_write(tmp, 0, msg, sizeof(msg))) == NULL)
			warnx("%s", msg);
		else {
			ok = fwrite(q->body, 1, q->len, fp) == q->len;
			if (fclose(fp) == EOF)
				ok = 0;
			if (!ok || rename(tmp, f->path) == -1) {
				warn("cannot write '%s'", f->path);
				unlink(tmp);
			} else
				carrier_set(&f->b->label_url, f->path);
		}
		free(tmp);
	} else
		warnx("cannot fetch the label of '%s' from '%s'; the record "
		    "keeps its URL", f->b->key, f->b->label_url);
	f->then(f->b);
	free(f->path);
	free(f);
}

void
carrier_label_fetch(struct carrier *c, struct carrier_booking *b,
    const char *dir, const char *name, void (*then)(struct carrier_booking *))
{
	const char *url = b->label_url, *dot, *slash;
	struct label_fetch *f;
	struct http_request *q;
	size_t len;
	char *p;

	f = xcalloc(1, sizeof(*f));
	f->b = b;
	f->then = then;
	dot = strrchr(url, '.');
	slash = strrchr(url, '/');
	if (dot == NULL || dot < slash || strlen(dot) > 5)
		dot = ".label";
	len = strlen(dir) + strlen(name) + strlen(dot) + 2;
	f->path = xmalloc(len);
	snprintf(f->path, len, "%s/%s%s", dir, name, dot);
	/* The name is the order's: a file of dir, whatever it holds. */
	for (p = f->path + strlen(dir) + 1; *p != '\0'; p++)
		if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f ||
		    (*p == '.' && p == f->path + strlen(dir) + 1))
			*p = '_';
	q = http_request_new(c->svc, "GET", url);
	q->done = label_fetched;
	q->arg = f;
	http_send(q);
}

json_t *
carrier_shipment(json_t *const *results, size_t n)
{
	json_t *p, *s, *parcels;
	const char *cur = NULL, *pc;
	int64_t cost = 0;
	int has_cost = 1;
	size_t i;

	if ((parcels = json_array()) == NULL)
		xnomem();
	for (i = 0; i < n; i++) {
		p = json_object_get(results[i], "parcel");
		if (json_array_append(parcels, p) == -1)
			xnomem();
		pc = carrier_json_str(p, "cost.currency");
		if (pc == NULL || (cur != NULL && strcmp(cur, pc) != 0) ||
		    !json_is_integer(carrier_json_get(p, "cost.amount")) ||
		    money_add(cost, json_integer_value(carrier_json_get(p,
		    "cost.amount")), &cost) == -1)
			has_cost = 0;
		else
			cur = pc;
	}
	s = json_pack("{s:O?,s:O?,s:O?}", "carrier",
	    json_object_get(results[0], "carrier"), "service",
	    json_object_get(results[0], "service"), "booked_at",
	    json_object_get(results[0], "booked_at"));
	if (s == NULL)
		xnomem();
	if (has_cost && cur != NULL)
		jsonx_set_new(s, "cost", json_pack("{s:I,s:s}", "amount",
		    (json_int_t)cost, "currency", cur));
	jsonx_set_new(s, "parcels", parcels);
	return s;
}

json_t *
carrier_booking_result(const struct carrier_booking *b, const char *carrier,
    const char *booked_at)
{
	json_t *res;

	res = json_pack("{s:s,s:o,s:s,s:o}", "carrier", carrier, "service",
	    jsonx_string_or_null(b->service_used != NULL ? b->service_used :
	    b->service), "booked_at", booked_at, "parcel",
	    carrier_booking_json(b));
	if (res == NULL)
		xnomem();
	return res;
}

void
carrier_shipment_set(json_t *rec, enum carrier_book_kind kind,
    const size_t *parcels, json_t *const *results, size_t n)
{
	if (kind == CARRIER_KIND_CANCEL)
		carrier_shipment_cancelled(rec, parcels, results, n);
	else if (kind == CARRIER_KIND_RETURN)
		jsonx_set_new(json_object_get(rec, "return"), "shipment",
		    carrier_shipment(results, n));
	else {
		jsonx_set_new(rec, "shipment", carrier_shipment(results, n));
		jsonx_set_new(rec, "status", json_string("booked"));
	}
}

void
carrier_shipment_cancelled(json_t *rec, const size_t *parcels,
    json_t *const *results, size_t n)
{
	json_t *ship = json_object_get(rec, "shipment"), *p;
	const char *key = "cancelled_at", *t = NULL, *k;
	int64_t at;
	size_t i;
	int offset;

	for (i = 0; i < n; i++) {
		p = json_array_get(json_object_get(ship, "parcels"),
		    parcels[i]);
		k = json_object_get(results[i], "cancelled_at") != NULL ?
		    "cancelled_at" : "cancel_requested_at";
		if (strcmp(k, "cancel_requested_at") == 0)
			key = k;
		t = carrier_json_str(results[i], k);
		if (json_is_object(p) && t != NULL)
			jsonx_set_new(p, k, json_string(t));
	}
	if (t != NULL)
		jsonx_set_new(ship, key, json_string(t));
	/* the time the carrier was asked, which is ship-book's --now */
	if (t == NULL || rfc3339_parse(t, &at, &offset) == -1)
		at = (int64_t)time(NULL);
	status_move(rec, "cancelled", at);
}

const char *
carrier_written(const json_t *rec, enum carrier_book_kind kind)
{
	const char *v = NULL;

	if (kind == CARRIER_KIND_RETURN)
		v = carrier_json_str(rec, "return.carrier");
	if (v == NULL && kind != CARRIER_KIND_BOOK)
		v = carrier_json_str(rec, "shipment.carrier");
	if (v == NULL && kind != CARRIER_KIND_CANCEL)
		v = carrier_json_str(rec, "shipping.carrier");
	return v;
}

enum carrier_delivery
carrier_delivery_of(const json_t *rec)
{
	const char *method = carrier_json_str(rec, "shipping.method");

	if (method != NULL && strcmp(method, "pickup") == 0)
		return CARRIER_PICKUP;
	if (method != NULL && strcmp(method, "post") == 0)
		return CARRIER_POST;
	return CARRIER_COURIER;
}

json_t *
carrier_return_goods(const json_t *rec)
{
	const json_t *items = carrier_json_get(rec, "return.items");
	json_t *goods;

	if (!json_is_array(items))
		items = json_object_get(rec, "items");
	goods = items != NULL ? json_pack("{s:O}", "items", items) :
	    json_pack("{s:[]}", "items");
	if (goods == NULL)
		xnomem();
	return goods;
}

char *
carrier_booking_key(enum carrier_book_kind kind, const char *id, size_t i)
{
	return kind == CARRIER_KIND_RETURN ? xasprintf("%s:return:%zu", id,
	    i + 1) : xasprintf("%s:%zu", id, i + 1);
}

char *
carrier_booking_number(enum carrier_book_kind kind, const char *id, size_t i,
    size_t n)
{
	if (kind == CARRIER_KIND_RETURN)
		return n > 1 ? xasprintf("%s-return-%zu", id, i + 1) :
		    xasprintf("%s-return", id);
	if (kind == CARRIER_KIND_BOOK && n > 1)
		return xasprintf("%s-%zu", id, i + 1);
	return xstrdup(id);
}

char *
carrier_booking_intent(const struct carrier *c,
    const struct carrier_booking *b)
{
	json_t *intent;
	char *text;

	intent = json_pack("{s:s,s:o,s:o}", "carrier", c->ops->name,
	    "service", jsonx_string_or_null(b->service), "number",
	    jsonx_string_or_null(b->number));
	if (intent == NULL)
		xnomem();
	text = jsonx_text(intent);
	json_decref(intent);
	return text;
}

int
carrier_bookable(const json_t *rec, enum carrier_book_kind kind,
    json_t *errors)
{
	const json_t *ret = json_object_get(rec, "return");
	const char *status = carrier_json_str(rec, "status");

	if (kind == CARRIER_KIND_RETURN) {
		if (status == NULL || strcmp(status, "return_open") != 0 ||
		    !json_is_object(ret)) {
			reject_addf(errors, "not_returnable", "status",
			    "only records with status return_open and a "
			    "return section are booked with --return");
			return -1;
		}
		if (!json_is_true(json_object_get(ret,
		    "shop_pays_return_shipping")))
			return 0;
		return 1;
	}
	if (status == NULL || (strcmp(status, "paid") != 0 &&
	    strcmp(status, "cod") != 0)) {
		reject_addf(errors, "not_payable", "status", "status '%s' is "
		    "neither paid nor cod: only paid and cash-on-delivery "
		    "orders are booked", status != NULL ? status : "");
		return -1;
	}
	return 1;
}

int64_t
carrier_booked_at(const json_t *rec, int64_t now)
{
	const char *t = carrier_json_str(json_object_get(rec, "shipment"),
	    "booked_at");
	int64_t at;
	int offset;

	if (t == NULL || rfc3339_parse(t, &at, &offset) == -1)
		return now;
	return at;
}
