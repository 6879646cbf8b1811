/* novaposhta.c: Nova Poshta's TrackingDocument.getStatusDocuments, up to
 * 100 numbers a call, with the recipient's phone when known; waybills
 * with InternetDocument.save (the NewAddress form) and .delete, returns
 * with AdditionalService.save (orderCargoReturn). */
#include <ctype.h>
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "carrier.h"
#include "conf.h"
#include "http.h"
#include "jsonx.h"
#include "parcel.h"
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

/* --- booking ------------------------------------------------------------- */

enum {
	STEP_SAVE = 1,		/* InternetDocument.save */
	STEP_DELETE,		/* InternetDocument.delete */
	STEP_RETURN		/* AdditionalService.save, orderCargoReturn */
};

/* The shop's reference key, or exit 78 naming where it belongs. */
static const char *
need_ref(struct carrier *c, const struct carrier_booking *b, const char *key)
{
	const char *v = carrier_shop_conf(c, b, key);
	char kn[160];

	if (v != NULL)
		return v;
	if (b->warehouse != NULL)
		errx(EX_CONFIG, "missing %s (or [sender] %s) for Nova Poshta",
		    conf_keyname("warehouse", b->warehouse, key, kn,
		    sizeof(kn)), key);
	errx(EX_CONFIG, "missing [sender] %s for Nova Poshta", key);
}

static void
put_str(json_t *o, const char *key, const char *v)
{
	jsonx_set_new(o, key, json_string(v != NULL ? v : ""));
}

/* Today in Kyiv, as Nova Poshta's DateTime: "20.11.2026". */
static void
kyiv_date(int64_t now, char out[16])
{
	char buf[40];
	int y, mo, d, h, mi, off = 120;

	rfc3339_format(now, off, buf, sizeof(buf));
	if (sscanf(buf, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) == 5 &&
	    kyiv_offset(y, mo, d, h, mi) != off)
		rfc3339_format(now, off = 180, buf, sizeof(buf));
	snprintf(out, 16, "%.2s.%.2s.%.4s", buf + 8, buf + 5, buf);
}

/* Grams as kilograms, Nova Poshta's: "0.4", "12.345". */
static char *
kilograms(int64_t g)
{
	char buf[40];
	size_t n;

	snprintf(buf, sizeof(buf), "%lld.%03lld", (long long)(g / 1000),
	    (long long)(g % 1000));
	for (n = strlen(buf); buf[n - 1] == '0'; n--)
		buf[n - 1] = '\0';
	if (buf[n - 1] == '.')
		strcat(buf, "0");
	return xstrdup(buf);
}

/* A branch given by its Ref rather than its number. */
static int
is_ref(const char *s)
{
	return s != NULL && strlen(s) == 36 && s[8] == '-' && s[13] == '-';
}

/* Whether the service delivers to the door (WarehouseDoors, DoorsDoors),
 * not to a branch. */
static int
to_door(const char *service)
{
	size_t n = strlen(service);

	return n > 5 && strcmp(service + n - 5, "Doors") == 0;
}

/* The recipient in the NewAddress form: city by name, then the branch or
 * the door ("street, house" in line1, the flat in line2). */
static void
recipient(const struct carrier_booking *b, const char *service, json_t *mp)
{
	const struct carrier_party *p = &b->recipient;
	const char *line1 = p->line1 != NULL ? p->line1 : "", *comma;
	char *phone, *street;

	put_str(mp, "NewAddress", "1");
	put_str(mp, "RecipientCityName", p->city);
	put_str(mp, "RecipientArea", p->region);
	put_str(mp, "RecipientAreaRegions", "");
	if (to_door(service)) {
		comma = strrchr(line1, ',');
		street = comma != NULL ? xstrndup(line1, comma - line1) :
		    xstrdup(line1);
		put_str(mp, "RecipientAddressName", street);
		put_str(mp, "RecipientHouse", comma != NULL ? comma + 1 +
		    strspn(comma + 1, " ") : "");
		put_str(mp, "RecipientFlat", p->line2);
		free(street);
	} else if (is_ref(p->pickup_point))
		put_str(mp, "RecipientAddress", p->pickup_point);
	else
		put_str(mp, "RecipientAddressName", p->pickup_point);
	put_str(mp, "RecipientName", p->name);
	put_str(mp, "RecipientType", "PrivatePerson");
	phone = phone_digits(p->phone != NULL ? p->phone : "");
	put_str(mp, "RecipientsPhone", phone);
	free(phone);
}

/* What the parcel holds, for Description: its items' names. */
static char *
description(const struct parcel *p)
{
	char buf[100];
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < p->nitems && at < sizeof(buf) - 1; i++)
		at += snprintf(buf + at, sizeof(buf) - at, "%s%s", i ? ", " :
		    "", p->items[i].name != NULL ? p->items[i].name :
		    p->items[i].sku);
	return xstrdup(buf);
}

static const char *
default_service(const struct carrier_booking *b)
{
	return b->delivery == CARRIER_COURIER ? "WarehouseDoors" :
	    "WarehouseWarehouse";
}

static json_t *
save_props(struct carrier *c, const struct carrier_booking *b)
{
	const struct parcel *p = b->parcel;
	const char *service = b->service != NULL ? b->service :
	    default_service(b), *v;
	json_t *mp = json_object(), *seat;
	char date[16], *text;

	if (mp == NULL)
		xnomem();
	v = conf_get(c->conf, "carrier", "novaposhta", "payer_type");
	put_str(mp, "PayerType", v != NULL && *v != '\0' ? v : "Recipient");
	v = conf_get(c->conf, "carrier", "novaposhta", "payment_method");
	put_str(mp, "PaymentMethod", v != NULL && *v != '\0' ? v : "Cash");
	kyiv_date(c->now, date);
	put_str(mp, "DateTime", date);
	put_str(mp, "CargoType", "Parcel");
	text = kilograms(p->weight_g);
	put_str(mp, "Weight", text);
	if (p->has_dims) {	/* one seat, in centimetres */
		seat = json_pack("{s:s,s:i,s:i,s:i}", "weight", text,
		    "volumetricLength", (p->dims_mm[0] + 9) / 10,
		    "volumetricWidth", (p->dims_mm[1] + 9) / 10,
		    "volumetricHeight", (p->dims_mm[2] + 9) / 10);
		jsonx_set_new(mp, "OptionsSeat", json_pack("[o]", seat));
	}
	free(text);
	put_str(mp, "ServiceType", service);
	put_str(mp, "SeatsAmount", "1");
	text = description(p);
	put_str(mp, "Description", text);
	free(text);
	text = carrier_amount_text(p->value, b->currency);
	put_str(mp, "Cost", text);
	free(text);
	put_str(mp, "CitySender", need_ref(c, b, "novaposhta_city_ref"));
	put_str(mp, "Sender", need_ref(c, b, "novaposhta_sender_ref"));
	put_str(mp, "SenderAddress", need_ref(c, b, "novaposhta_address_ref"));
	put_str(mp, "ContactSender", need_ref(c, b, "novaposhta_contact_ref"));
	text = phone_digits(b->sender.phone != NULL ? b->sender.phone : "");
	put_str(mp, "SendersPhone", text);
	free(text);
	recipient(b, service, mp);
	put_str(mp, "InfoRegClientBarcodes", b->number);
	if (b->cod > 0) {
		text = carrier_amount_text(b->cod, b->currency);
		jsonx_set_new(mp, "BackwardDeliveryData",
		    json_pack("[{s:s,s:s,s:s}]",
		    "PayerType", "Recipient", "CargoType", "Money",
		    "RedeliveryString", text));
		free(text);
	}
	return mp;
}

static void np_done(struct http_request *);

static void
np_call(struct carrier *c, struct carrier_booking *b, int step,
    const char *model, const char *method, json_t *props)
{
	const char *key = conf_need(c->conf, "carrier", "novaposhta", "key");
	struct http_request *r;
	char *body, *url;
	json_t *req;

	req = json_pack("{s:s,s:s,s:s,s:o}", "apiKey", key, "modelName",
	    model, "calledMethod", method, "methodProperties", props);
	if (req == NULL)
		xnomem();
	body = jsonx_text(req);
	json_decref(req);
	url = carrier_url(c, "/");
	r = http_request_new(c->svc, "POST", url);
	http_body(r, "application/json", body, strlen(body));
	r->once = 1;
	r->check = carrier_check_exact;
	r->done = np_done;
	r->arg = c;
	r->arg2 = b;
	r->tag = step;
	carrier_send(c, r);
	explicit_bzero(body, strlen(body));
	free(body);
	free(url);
}

static void
np_done(struct http_request *r)
{
	struct carrier *c = r->arg;
	struct carrier_booking *b = r->arg2;
	const json_t *d = json_array_get(json_object_get(r->parsed, "data"), 0);
	const char *code = json_string_value(json_array_get(json_object_get(
	    r->parsed, "errorCodes"), 0));
	char msg[400];

	if (r->result == HTTP_DOUBT) {
		b->sent = 1;
		carrier_book_end(b, CARRIER_BOOK_DOUBT);
		return;
	}
	if (r->result != HTTP_OK) {
		carrier_book_end(b, CARRIER_BOOK_PENDING);
		return;
	}
	if (!json_is_true(json_object_get(r->parsed, "success")) ||
	    r->status != 200 || !json_is_object(d)) {
		errors(r->parsed, msg, sizeof(msg));
		if (strstr(msg, "API key") != NULL ||
		    strstr(msg, "api key") != NULL) {
			carrier_refused(c, "Nova Poshta refused %s key: %s",
			    c->keyname, msg);
			carrier_book_end(b, CARRIER_BOOK_PENDING);
			return;
		}
		carrier_book_refuse(b, r->tag == STEP_DELETE ?
		    "too_late_to_cancel" : "carrier_error", code,
		    "Nova Poshta: %s%s%s%s", msg[0] ? msg : "the call failed",
		    code != NULL ? " (" : "", code != NULL ? code : "",
		    code != NULL ? ")" : "");
		return;
	}
	b->sent = 1;
	switch (r->tag) {
	case STEP_SAVE:
		carrier_set(&b->tracking_number, carrier_json_str(d,
		    "IntDocNumber"));
		carrier_set(&b->carrier_ref, carrier_json_str(d, "Ref"));
		carrier_set(&b->service_used, b->service != NULL ? b->service :
		    default_service(b));
		if (carrier_amount_parse(json_object_get(d, "CostOnSite"),
		    "UAH", &b->cost) == 0) {
			b->has_cost = 1;
			memcpy(b->cost_currency, "UAH", 4);
		}
		carrier_book_end(b, CARRIER_BOOK_DONE);
		return;
	case STEP_RETURN:
		carrier_set(&b->tracking_number, b->original);
		carrier_set(&b->carrier_ref, carrier_json_str(d, "Ref"));
		carrier_book_extra(b, "return_number", carrier_json_str(d,
		    "Number"));
		carrier_book_end(b, CARRIER_BOOK_DONE);
		return;
	default:
		carrier_book_end(b, CARRIER_BOOK_CANCELLED);
		return;
	}
}

static void
book(struct carrier *c, struct carrier_booking *b)
{
	const char *addr, *service = b->service != NULL ? b->service :
	    default_service(b);
	char msg[200];

	if (b->kind != CARRIER_KIND_RETURN && !to_door(service) &&
	    b->recipient.pickup_point == NULL) {
		/* Not carrier_book_refuse(): no carrier code to map. */
		snprintf(msg, sizeof(msg), "Nova Poshta delivers %s to a "
		    "branch, and shipping.pickup_point names none", service);
		carrier_set(&b->error_code, "no_pickup_point");
		carrier_set(&b->error, msg);
		carrier_book_end(b, CARRIER_BOOK_REFUSED);
		return;
	}
	if (b->kind != CARRIER_KIND_RETURN) {
		np_call(c, b, STEP_SAVE, "InternetDocument", "save",
		    save_props(c, b));
		return;
	}
	/* The parcel sent out comes back under its own number. */
	if (b->original == NULL) {
		carrier_book_refuse(b, "not_booked", NULL, "a Nova Poshta "
		    "return needs the tracking number of the parcel sent out "
		    "(shipment.parcels[0].tracking_number)");
		return;
	}
	addr = carrier_shop_conf(c, b, "novaposhta_return_address_ref");
	np_call(c, b, STEP_RETURN, "AdditionalService", "save",
	    json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "IntDocNumber", b->original,
	    "PaymentMethod", "Cash", "Reason", conf_need(c->conf, "carrier",
	    "novaposhta", "return_reason"), "SubtypeReason", conf_need(c->conf,
	    "carrier", "novaposhta", "return_subtype_reason"),
	    "ReturnAddressRef", addr != NULL ? addr : need_ref(c, b,
	    "novaposhta_address_ref"), "OrderType", "orderCargoReturn"));
}

static void
cancel(struct carrier *c, struct carrier_booking *b)
{
	np_call(c, b, STEP_DELETE, "InternetDocument", "delete",
	    json_pack("{s:s}", "DocumentRefs", b->ref));
}

static void
ready(struct carrier *c, const struct carrier_booking *b)
{
	conf_need(c->conf, "carrier", "novaposhta", "key");
	if (b->kind == CARRIER_KIND_CANCEL)
		return;
	need_ref(c, b, "novaposhta_address_ref");
	if (b->kind == CARRIER_KIND_RETURN) {
		conf_need(c->conf, "carrier", "novaposhta", "return_reason");
		conf_need(c->conf, "carrier", "novaposhta",
		    "return_subtype_reason");
		return;
	}
	need_ref(c, b, "novaposhta_city_ref");
	need_ref(c, b, "novaposhta_sender_ref");
	need_ref(c, b, "novaposhta_contact_ref");
}

const struct carrier_ops carrier_novaposhta = {
	.name = "novaposhta",
	.url = "https://api.novaposhta.ua/v2.0/json/",
	.batch = 100,
	.track = track,
	.book = book,
	.cancel = cancel,
	.ready = ready,
};
