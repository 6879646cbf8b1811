/* novaposhta.c: Nova Poshta's TrackingDocument.getStatusDocuments, up to
 * 100 numbers a call, with the recipient's phone when known. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "carrier.h"
#include "conf.h"
#include "http.h"
#include "rfc3339.h"
#include "xalloc.h"

/* StatusCode; 3 ("number not found") is a reject, not a status. */
static const struct carrier_code codes[] = {
	{ "1", CARRIER_PRE_TRANSIT },		/* created by the sender */
	{ "2", CARRIER_CANCELLED },		/* deleted */
	{ "4", CARRIER_IN_TRANSIT },		/* in the sender's city */
	{ "41", CARRIER_IN_TRANSIT },		/* in the city (local) */
	{ "5", CARRIER_IN_TRANSIT },		/* on its way to the city */
	{ "6", CARRIER_IN_TRANSIT },		/* in the recipient's city */
	{ "7", CARRIER_AVAILABLE_FOR_PICKUP },	/* at the branch */
	{ "8", CARRIER_AVAILABLE_FOR_PICKUP },	/* in a parcel locker */
	{ "9", CARRIER_DELIVERED },		/* received */
	{ "10", CARRIER_DELIVERED },		/* received, money order soon */
	{ "11", CARRIER_DELIVERED },		/* received, money paid out */
	{ "12", CARRIER_PRE_TRANSIT },		/* being put together */
	{ "101", CARRIER_OUT_FOR_DELIVERY },	/* on its way to the recipient */
	{ "102", CARRIER_RETURN_TO_SENDER },	/* refused, return ordered */
	{ "103", CARRIER_RETURN_TO_SENDER },	/* refused by the recipient */
	{ "104", CARRIER_IN_TRANSIT },		/* address changed */
	{ "105", CARRIER_RETURN_TO_SENDER },	/* storage ended */
	{ "106", CARRIER_DELIVERED },		/* received, return waybill */
	{ "111", CARRIER_FAILED_ATTEMPT },	/* recipient not reached */
	{ "112", CARRIER_IN_TRANSIT },		/* delivery date moved */
};

#define NCODES	(sizeof(codes) / sizeof(codes[0]))

/* Days since the epoch of the last Sunday of month m of year y. */
static int64_t
last_sunday(int64_t y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int64_t d = rfc3339_days(y, m, mdays[m - 1]);

	return d - ((d + 4) % 7 + 7) % 7;	/* 1970-01-01 was a Thursday */
}

/*
 * Kyiv's offset at the local time given: +02:00, +03:00 in summer time,
 * which begins and ends as in the EU (the last Sundays of March and
 * October at 01:00 UTC).  Nova Poshta writes times in Kyiv's local time
 * without an offset; the zone database is not read for record data.
 */
static int
kyiv_offset(int64_t y, int mo, int d, int h, int mi)
{
	int64_t t = rfc3339_days(y, mo, d) * 86400 + h * 3600 + mi * 60 - 7200;

	if (t >= last_sunday(y, 3) * 86400 + 3600 &&
	    t < last_sunday(y, 10) * 86400 + 3600)
		return 180;
	return 120;
}

/* "2026-11-20 10:15:00" or "20.11.2026 10:15:00", Kyiv time. */
static int
np_time(const char *s, int64_t *epoch, int *offset)
{
	int y, mo, d, h, mi, sec;
	char buf[32];

	if (s == NULL)
		return -1;
	if (sscanf(s, "%4d-%2d-%2d %2d:%2d:%2d", &y, &mo, &d, &h, &mi,
	    &sec) != 6 && sscanf(s, "%2d.%2d.%4d %2d:%2d:%2d", &d, &mo, &y,
	    &h, &mi, &sec) != 6)
		return -1;
	if (mo < 1 || mo > 12)
		return -1;
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d,
	    h, mi, sec);
	return carrier_time(buf, kyiv_offset(y, mo, d, h, mi), epoch, offset);
}

/* The digits of a phone as Nova Poshta takes it: 380XXXXXXXXX. */
static char *
phone_digits(const char *phone)
{
	char *out, *o;

	out = o = xmalloc(strlen(phone) + 3);
	for (; *phone != '\0'; phone++)
		if (isdigit((unsigned char)*phone))
			*o++ = *phone;
	*o = '\0';
	if (out[0] == '0' && strlen(out) == 10) {	/* 0501234567 */
		memmove(out + 2, out, strlen(out) + 1);
		memcpy(out, "38", 2);
	}
	return out;
}

static void
settle(struct carrier_parcel *p, const json_t *item)
{
	struct carrier_event *e;
	const char *code, *when = NULL;
	char num[24];
	const json_t *cv = json_object_get(item, "StatusCode");

	if (json_is_integer(cv)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(cv));
		code = num;
	} else
		code = json_string_value(cv);
	if (code != NULL && strcmp(code, "3") == 0) {
		carrier_reject(p, "unknown_tracking_number", "Nova Poshta: %s",
		    carrier_json_str(item, "Status") != NULL ?
		    carrier_json_str(item, "Status") : "number not found");
		return;
	}
	e = carrier_event_add(p);
	e->status = carrier_map(codes, NCODES, code);
	carrier_set(&e->code, code);
	carrier_set(&e->text, carrier_json_str(item, "Status"));
	carrier_set(&e->message, carrier_json_str(item, "Status"));
	carrier_set(&e->location, carrier_json_str(item,
	    "WarehouseRecipient"));
	if (e->location == NULL)
		carrier_set(&e->location, carrier_json_str(item,
		    "CityRecipient"));
	if (e->status == CARRIER_DELIVERED)
		when = carrier_json_str(item, "RecipientDateTime");
	if (when == NULL || *when == '\0')
		when = carrier_json_str(item, "TrackingUpdateDate");
	e->has_time = np_time(when, &e->at, &e->offset) == 0;
	carrier_settle(p, CARRIER_NONE);
}

/* The errors of an answer, joined. */
static void
errors(const json_t *body, char *buf, size_t len)
{
	const json_t *e;
	size_t i, at = 0;

	buf[0] = '\0';
	json_array_foreach(json_object_get(body, "errors"), i, e) {
		if (!json_is_string(e) || at + 3 >= len)
			continue;
		at += snprintf(buf + at, len - at, "%s%s", at ? "; " : "",
		    json_string_value(e));
	}
	if (at >= len)
		buf[len - 1] = '\0';
}

static void
done(struct http_request *r)
{
	struct carrier *c = r->arg;
	struct carrier_parcel **ps = r->arg2;
	const json_t *body = r->parsed, *data, *item, *found;
	size_t n = (size_t)r->tag, i, j;
	char msg[400];

	if (r->result != HTTP_OK)
		goto out;
	if (!json_is_true(json_object_get(body, "success")) ||
	    r->status != 200) {
		errors(body, msg, sizeof(msg));
		if (strstr(msg, "API key") != NULL ||
		    strstr(msg, "api key") != NULL) {
			carrier_refused(c, "Nova Poshta refused %s key: %s",
			    c->keyname, msg);
			goto out;
		}
		for (i = 0; i < n; i++)
			carrier_reject(ps[i], "carrier_error", "Nova Poshta: "
			    "%s", msg[0] ? msg : "the call failed");
		goto out;
	}
	data = json_object_get(body, "data");
	for (i = 0; i < n; i++) {
		found = NULL;
		json_array_foreach(data, j, item) {
			const char *num = carrier_json_str(item, "Number");

			if (num != NULL && strcmp(num, ps[i]->number) == 0) {
				found = item;
				break;
			}
		}
		if (found != NULL)
			settle(ps[i], found);
		else
			carrier_reject(ps[i], "unknown_tracking_number",
			    "Nova Poshta did not answer for this number");
	}
out:
	free(ps);
}

static void
track(struct carrier *c, struct carrier_parcel **ps, size_t n)
{
	const char *key = conf_get(c->conf, "carrier", "novaposhta", "key");
	struct carrier_parcel **own;
	struct http_request *r;
	json_t *req, *docs, *doc;
	char *body, *url, *phone;
	size_t i;

	if ((docs = json_array()) == NULL)
		xnomem();
	for (i = 0; i < n; i++) {
		doc = json_pack("{s:s}", "DocumentNumber", ps[i]->number);
		if (doc == NULL)
			xnomem();
		/* With the phone, the full details come back. */
		if (ps[i]->phone != NULL) {
			phone = phone_digits(ps[i]->phone);
			if (*phone != '\0' && json_object_set_new(doc, "Phone",
			    json_string(phone)) == -1)
				xnomem();
			free(phone);
		}
		if (json_array_append_new(docs, doc) == -1)
			xnomem();
	}
	req = json_pack("{s:s,s:s,s:s,s:{s:o}}", "apiKey", key ? key : "",
	    "modelName", "TrackingDocument", "calledMethod",
	    "getStatusDocuments", "methodProperties", "Documents", docs);
	if (req == NULL || (body = json_dumps(req, JSON_COMPACT)) == NULL)
		xnomem();
	json_decref(req);
	own = xcalloc(n, sizeof(*own));
	memcpy(own, ps, n * sizeof(*own));
	url = carrier_url(c, "/");
	r = http_request_new(c->svc, "POST", url);
	http_body(r, "application/json", body, strlen(body));
	r->check = http_check_json;
	r->done = done;
	r->arg = c;
	r->arg2 = own;
	r->tag = (long)n;
	http_send(r);
	explicit_bzero(body, strlen(body));
	free(body);
	free(url);
}

const struct carrier_ops carrier_novaposhta = {
	.name = "novaposhta",
	.url = "https://api.novaposhta.ua/v2.0/json/",
	.batch = 100,
	.track = track,
};
