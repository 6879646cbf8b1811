/* booking.c: what the carrier adapters share for booking: dry runs with
 * secrets masked, outcomes, the shop's configuration, exact amounts. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "carrier.h"
#include "conf.h"
#include "http.h"
#include "jsonl.h"
#include "money.h"
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
	for (i = 0; s[i] != '\0' && i < sizeof(buf) - 1; i++)
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

const char *
carrier_shop_conf(const struct carrier *c, const struct carrier_booking *b,
    const char *key)
{
	const char *v = NULL;

	if (b->warehouse != NULL)
		v = conf_get(c->conf, "warehouse", b->warehouse, key);
	if (v == NULL || *v == '\0')
		v = conf_get(c->conf, "sender", NULL, key);
	return v != NULL && *v != '\0' ? v : NULL;
}

char *
carrier_body(const json_t *v)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;

	jsonl_encode(&buf, &cap, &len, v);
	buf = xrealloc(buf, len + 1);
	buf[len] = '\0';
	return buf;
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

static void
free_json(void *p)
{
	json_decref(p);
}

enum http_verdict
carrier_check_exact(struct http_request *r)
{
	json_t *v;

	v = jsonl_parse(r->body, r->len, 0, NULL);
	if (v != NULL && !json_is_object(v) && !json_is_array(v)) {
		json_decref(v);
		v = NULL;
	}
	if (r->parsed != NULL && r->parsed_free != NULL)
		r->parsed_free(r->parsed);
	r->parsed = v;
	r->parsed_free = free_json;
	if (v == NULL && r->status >= 200 && r->status < 300)
		return HTTP_RETRY;
	return HTTP_DEFAULT;
}
