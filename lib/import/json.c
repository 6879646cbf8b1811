/* json.c: orders from the JSON APIs of WooCommerce, Ozon, Yandex
 * Market and Wildberries. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "import.h"
#include "jsonl.h"
#include "money.h"
#include "xalloc.h"

static const char *const formats[] = {
	[IMPORT_WOOCOMMERCE] = "woocommerce", [IMPORT_OZON] = "ozon",
	[IMPORT_YANDEX] = "yandex-market", [IMPORT_WB_STATS] = "wildberries",
	[IMPORT_WB_MARKET] = "wildberries",
};

const char *
import_json_format(int kind)
{
	return kind >= 0 && kind <= IMPORT_WB_MARKET ? formats[kind] : "json";
}

const char *
import_json_about(int kind)
{
	static const char *const about[] = {
		[IMPORT_WOOCOMMERCE] = "WooCommerce REST API v3 orders: a JSON "
		    "array or JSON lines",
		[IMPORT_OZON] = "Ozon Seller API posting/fbs/list: the response "
		    "or JSON lines of postings",
		[IMPORT_YANDEX] = "Yandex Market partner API orders: "
		    "{\"orders\":[...]}, {\"order\":{...}} or JSON lines",
		[IMPORT_WB_STATS] = "Wildberries statistics API orders "
		    "(grouped by gNumber)",
		[IMPORT_WB_MARKET] = "Wildberries marketplace API orders",
	};

	return kind >= 0 && kind <= IMPORT_WB_MARKET ? about[kind] : "";
}

int
import_json_grouped(int kind)
{
	return kind == IMPORT_WB_STATS;
}

static int
has(const json_t *v, const char *key)
{
	return json_object_get(v, key) != NULL;
}

int
import_json_kind(const json_t *v)
{
	if (!json_is_object(v))
		return IMPORT_JSON_NONE;
	if (has(v, "line_items") && (has(v, "order_key") || has(v, "number")))
		return IMPORT_WOOCOMMERCE;
	if (has(v, "posting_number"))
		return IMPORT_OZON;
	if (has(v, "items") && (has(v, "itemsTotal") || has(v, "paymentType") ||
	    has(v, "creationDate")))
		return IMPORT_YANDEX;
	if (has(v, "gNumber") || (has(v, "srid") && has(v, "supplierArticle")))
		return IMPORT_WB_STATS;
	if (has(v, "rid") && (has(v, "nmId") || has(v, "article")))
		return IMPORT_WB_MARKET;
	return IMPORT_JSON_NONE;
}

json_t *
import_json_unwrap(json_t *v)
{
	json_t *r;

	if (!json_is_object(v) || import_json_kind(v) != IMPORT_JSON_NONE)
		return NULL;
	if ((r = json_object_get(v, "result")) != NULL) {
		if (json_is_array(r))
			return r;
		if (json_is_object(r) &&
		    json_is_array(json_object_get(r, "postings")))
			return json_object_get(r, "postings");
		if (json_is_object(r) &&
		    json_is_array(json_object_get(r, "orders")))
			return json_object_get(r, "orders");
	}
	if (json_is_array(json_object_get(v, "postings")))
		return json_object_get(v, "postings");
	if (json_is_array(json_object_get(v, "orders")))
		return json_object_get(v, "orders");
	if (json_is_object(json_object_get(v, "order")))
		return json_object_get(v, "order");
	return NULL;
}

/* The text of v.key (see import_json_text()). */
static const char *
text(const json_t *v, const char *key, char *buf, size_t len)
{
	return import_json_text(json_object_get(v, key), buf, len);
}

const char *
import_json_key(int kind, const json_t *v, char *buf, size_t len)
{
	const char *key;

	switch (kind) {
	case IMPORT_WOOCOMMERCE:
		key = text(v, "number", buf, len);
		return key ? key : text(v, "id", buf, len);
	case IMPORT_OZON:
		return text(v, "posting_number", buf, len);
	case IMPORT_WB_STATS:
		key = text(v, "gNumber", buf, len);
		return key ? key : text(v, "srid", buf, len);
	default:
		return text(v, "id", buf, len);
	}
}

void
import_json_ctx(int kind, struct import_ctx *ctx)
{
	static char *const yandex_dates[] = { "%d-%m-%Y %H:%M:%S" };

	ctx->source = import_json_format(kind);
	ctx->dates = NULL;
	ctx->ndates = 0;
	ctx->decimal = '.';
	ctx->has_zone = 0;
	switch (kind) {
	case IMPORT_YANDEX:
		ctx->dates = yandex_dates;
		ctx->ndates = 1;
		/* FALLTHROUGH */
	case IMPORT_WB_STATS:
		ctx->zone = 180;	/* Moscow time, no daylight saving */
		ctx->has_zone = 1;
		break;
	default:
		break;
	}
}

/* Set field from v.key. */
static void
set(struct import_order *o, int field, const json_t *v, const char *key,
    unsigned long line)
{
	char buf[64];

	import_order_set(o, field, IMPORT_SET, text(v, key, buf, sizeof(buf)),
	    line);
}

static void
item_set(struct import_item *it, int field, const json_t *v, const char *key,
    unsigned long line)
{
	char buf[64];

	import_item_set(it, field, text(v, key, buf, sizeof(buf)), line);
}

/* Keep v's members not in used (a NULL-terminated list) under extra. */
static void
keep_rest(struct import_order *o, struct import_item *it, const json_t *v,
    const char *const *used)
{
	const char *key;
	json_t *value;
	const char *const *u;

	json_object_foreach((json_t *)v, key, value) {
		for (u = used; *u != NULL; u++)
			if (strcmp(*u, key) == 0)
				break;
		if (*u != NULL || json_is_null(value))
			continue;
		if (it != NULL)
			import_item_extra(it, key, jsonl_copy(value));
		else
			import_order_extra(o, key, jsonl_copy(value));
	}
}

/* A "GMT" time without an offset: made UTC explicitly. */
static void
set_gmt(struct import_order *o, int field, const json_t *v, const char *key,
    const char *local, unsigned long line)
{
	const char *s = json_string_value(json_object_get(v, key));
	char buf[64];

	if (s != NULL && *s != '\0' && strlen(s) < sizeof(buf) - 2) {
		snprintf(buf, sizeof(buf), "%s%s", s,
		    strpbrk(s + 10, "Zz+-") ? "" : "Z");
		import_order_set(o, field, IMPORT_SET, buf, line);
	} else if (local != NULL)
		set(o, field, v, local, line);
}

/* WooCommerce item names are HTML: "Ship Your Idea &ndash; Color". */
static char *
html_text(const char *s)
{
	static const struct {
		const char	*entity;
		const char	*text;
	} entities[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" },
		{ "&quot;", "\"" }, { "&#039;", "'" }, { "&#39;", "'" },
		{ "&apos;", "'" }, { "&nbsp;", "\xc2\xa0" },
		{ "&ndash;", "\xe2\x80\x93" }, { "&mdash;", "\xe2\x80\x94" },
		{ "&#8211;", "\xe2\x80\x93" }, { "&#8212;", "\xe2\x80\x94" },
		{ "&hellip;", "\xe2\x80\xa6" }, { "&times;", "\xc3\x97" },
		{ "&laquo;", "\xc2\xab" }, { "&raquo;", "\xc2\xbb" },
	};
	char *out = xmalloc(strlen(s) + 1), *w = out;
	size_t i, n;

	while (*s != '\0') {
		if (*s == '&') {
			for (i = 0; i < sizeof(entities) / sizeof(entities[0]);
			    i++) {
				n = strlen(entities[i].entity);
				if (strncmp(s, entities[i].entity, n) == 0)
					break;
			}
			if (i < sizeof(entities) / sizeof(entities[0]) &&
			    strlen(entities[i].text) <= n) {
				strcpy(w, entities[i].text);
				w += strlen(entities[i].text);
				s += n;
				continue;
			}
		}
		*w++ = *s++;
	}
	*w = '\0';
	return out;
}

static void
woocommerce(struct import_order *o, const json_t *v, unsigned long line)
{
	static const char *const used[] = { "id", "number", "status",
	    "currency", "date_created", "date_created_gmt", "date_paid",
	    "date_paid_gmt", "discount_total", "shipping_total", "total_tax",
	    "total", "billing", "shipping", "payment_method",
	    "payment_method_title", "transaction_id", "customer_note",
	    "line_items", "shipping_lines", "_links", NULL };
	static const char *const item_used[] = { "id", "sku", "name",
	    "quantity", "subtotal", "meta_data", NULL };
	const json_t *billing, *ship, *lines, *item, *meta, *m, *sl;
	struct import_item *it;
	char name[512], buf[64];
	const char *first, *last, *k, *val, *method;
	char *clean;
	size_t i, j;

	set(o, IMPORT_ID, v, "number", line);
	set(o, IMPORT_ID, v, "id", line);
	set(o, IMPORT_SOURCE_ID, v, "id", line);
	set_gmt(o, IMPORT_CREATED_AT, v, "date_created_gmt", "date_created",
	    line);
	set_gmt(o, IMPORT_PAID_AT, v, "date_paid_gmt", "date_paid", line);
	set(o, IMPORT_CURRENCY, v, "currency", line);
	set(o, IMPORT_STATUS_ORDER, v, "status", line);
	/* Each refund's total ("-10.00"), summed: what went back. */
	json_array_foreach(json_object_get(v, "refunds"), i, m)
		if ((val = import_json_text(json_object_get(m, "total"), buf,
		    sizeof(buf))) != NULL)
			import_order_set(o, IMPORT_REFUNDED, IMPORT_ADD, val,
			    line);
	billing = json_object_get(v, "billing");
	ship = json_object_get(v, "shipping");
	set(o, IMPORT_CUSTOMER_FIRST, billing, "first_name", line);
	set(o, IMPORT_CUSTOMER_LAST, billing, "last_name", line);
	set(o, IMPORT_CUSTOMER_EMAIL, billing, "email", line);
	set(o, IMPORT_CUSTOMER_PHONE, billing, "phone", line);
	first = json_string_value(json_object_get(ship, "first_name"));
	last = json_string_value(json_object_get(ship, "last_name"));
	snprintf(name, sizeof(name), "%s%s%s", first ? first : "",
	    first && *first && last && *last ? " " : "", last ? last : "");
	import_order_set(o, IMPORT_SHIP_NAME, IMPORT_SET, name, line);
	set(o, IMPORT_SHIP_PHONE, ship, "phone", line);
	set(o, IMPORT_LINE1, ship, "address_1", line);
	set(o, IMPORT_LINE2, ship, "address_2", line);
	set(o, IMPORT_CITY, ship, "city", line);
	set(o, IMPORT_REGION, ship, "state", line);
	set(o, IMPORT_POSTAL_CODE, ship, "postcode", line);
	set(o, IMPORT_COUNTRY, ship, "country", line);
	if (json_object_get(ship, "address_1") == NULL ||
	    json_string_length(json_object_get(ship, "address_1")) == 0) {
		/* Nothing to ship to: the billing address is the one. */
		set(o, IMPORT_LINE1, billing, "address_1", line);
		set(o, IMPORT_LINE2, billing, "address_2", line);
		set(o, IMPORT_CITY, billing, "city", line);
		set(o, IMPORT_REGION, billing, "state", line);
		set(o, IMPORT_POSTAL_CODE, billing, "postcode", line);
		set(o, IMPORT_COUNTRY, billing, "country", line);
	}
	set(o, IMPORT_PAY_METHOD, v, "payment_method_title", line);
	set(o, IMPORT_PAY_PROVIDER, v, "payment_method", line);
	set(o, IMPORT_PAY_TXN, v, "transaction_id", line);
	if (json_is_string(json_object_get(v, "date_paid")) ||
	    json_is_string(json_object_get(v, "date_paid_gmt")))
		import_order_set(o, IMPORT_PAY_STATUS, IMPORT_SET, "paid", line);
	set(o, IMPORT_NOTE, v, "customer_note", line);
	set(o, IMPORT_SHIPPING, v, "shipping_total", line);
	set(o, IMPORT_DISCOUNT, v, "discount_total", line);
	set(o, IMPORT_TAX, v, "total_tax", line);
	set(o, IMPORT_TOTAL, v, "total", line);
	sl = json_array_get(json_object_get(v, "shipping_lines"), 0);
	if (sl != NULL) {
		set(o, IMPORT_SHIP_SERVICE, sl, "method_title", line);
		method = json_string_value(json_object_get(sl, "method_id"));
		if (method != NULL && strcmp(method, "local_pickup") == 0)
			import_order_set(o, IMPORT_SHIP_METHOD, IMPORT_SET,
			    "pickup", line);
	}
	if (json_array_size(json_object_get(v, "shipping_lines")) > 0)
		import_order_extra(o, "shipping_lines",
		    jsonl_copy(json_object_get(v, "shipping_lines")));
	lines = json_object_get(v, "line_items");
	json_array_foreach(lines, i, item) {
		it = import_item_add(o, line);
		item_set(it, IMPORT_ITEM_ID, item, "id", line);
		item_set(it, IMPORT_ITEM_SKU, item, "sku", line);
		if ((val = json_string_value(json_object_get(item, "name")))) {
			clean = html_text(val);
			import_item_set(it, IMPORT_ITEM_NAME, clean, line);
			free(clean);
		}
		item_set(it, IMPORT_ITEM_QTY, item, "quantity", line);
		/* subtotal: the line before discounts, as an exact string
		 * (price is a float). */
		item_set(it, IMPORT_ITEM_LINE_TOTAL, item, "subtotal", line);
		meta = json_object_get(item, "meta_data");
		json_array_foreach(meta, j, m) {
			k = json_string_value(json_object_get(m,
			    "display_key"));
			val = import_json_text(json_object_get(m,
			    "display_value"), buf, sizeof(buf));
			if (k == NULL)
				k = json_string_value(json_object_get(m, "key"));
			if (val == NULL)
				val = import_json_text(json_object_get(m,
				    "value"), buf, sizeof(buf));
			if (k != NULL && val != NULL && k[0] != '_') {
				clean = html_text(val);
				import_item_option(it, k, clean);
				free(clean);
			}
		}
		keep_rest(o, it, item, item_used);
	}
	keep_rest(o, NULL, v, used);
}

static void
ozon(struct import_order *o, const json_t *v, unsigned long line)
{
	static const char *const used[] = { "posting_number", "order_id",
	    "in_process_at", "status", "customer", "addressee",
	    "delivery_method", "tracking_number", "products", NULL };
	static const char *const item_used[] = { "offer_id", "name",
	    "quantity", "price", "currency_code", NULL };
	const json_t *c, *a, *dm, *p, *ad;
	struct import_item *it;
	const char *type;
	size_t i;

	set(o, IMPORT_ID, v, "posting_number", line);
	set(o, IMPORT_SOURCE_ID, v, "order_id", line);
	set(o, IMPORT_CREATED_AT, v, "in_process_at", line);
	set(o, IMPORT_STATUS_ORDER, v, "status", line);
	c = json_object_get(v, "customer");
	a = json_object_get(c, "address");
	ad = json_object_get(v, "addressee");
	set(o, IMPORT_CUSTOMER_NAME, c, "name", line);
	set(o, IMPORT_CUSTOMER_NAME, ad, "name", line);
	set(o, IMPORT_CUSTOMER_EMAIL, c, "customer_email", line);
	set(o, IMPORT_CUSTOMER_PHONE, c, "phone", line);
	set(o, IMPORT_CUSTOMER_PHONE, ad, "phone", line);
	set(o, IMPORT_SHIP_NAME, ad, "name", line);
	set(o, IMPORT_SHIP_PHONE, ad, "phone", line);
	set(o, IMPORT_COUNTRY, a, "country", line);
	set(o, IMPORT_REGION, a, "region", line);
	set(o, IMPORT_CITY, a, "city", line);
	set(o, IMPORT_POSTAL_CODE, a, "zip_code", line);
	set(o, IMPORT_LINE1, a, "address_tail", line);
	if (json_integer_value(json_object_get(a, "pvz_code")) != 0)
		set(o, IMPORT_PICKUP_POINT, a, "pvz_code", line);
	dm = json_object_get(v, "delivery_method");
	set(o, IMPORT_SHIP_SERVICE, dm, "name", line);
	set(o, IMPORT_SHIP_CARRIER, dm, "tpl_provider", line);
	set(o, IMPORT_SHIP_TRACKING, v, "tracking_number", line);
	/* "Карты оплаты", "Оплата при получении": how the buyer paid. */
	set(o, IMPORT_PAY_METHOD, json_object_get(v, "analytics_data"),
	    "payment_type_group_name", line);
	type = json_string_value(json_object_get(json_object_get(v,
	    "analytics_data"), "delivery_type"));
	if (type != NULL)
		import_order_set(o, IMPORT_SHIP_METHOD, IMPORT_SET,
		    strcasecmp(type, "PVZ") == 0 ||
		    strcasecmp(type, "Postamat") == 0 ? "pickup" :
		    strcasecmp(type, "Courier") == 0 ? "courier" : NULL, line);
	json_array_foreach(json_object_get(v, "products"), i, p) {
		set(o, IMPORT_CURRENCY, p, "currency_code", line);
		it = import_item_add(o, line);
		item_set(it, IMPORT_ITEM_SKU, p, "offer_id", line);
		item_set(it, IMPORT_ITEM_NAME, p, "name", line);
		item_set(it, IMPORT_ITEM_QTY, p, "quantity", line);
		item_set(it, IMPORT_ITEM_PRICE, p, "price", line);
		keep_rest(o, it, p, item_used);
	}
	keep_rest(o, NULL, v, used);
}

static const struct {
	const char	*method;
	const char	*word;
} yandex_payments[] = {
	{ "CASH_ON_DELIVERY", "cod" }, { "CARD_ON_DELIVERY", "cod" },
	{ "YANDEX", "card" }, { "APPLE_PAY", "wallet" },
	{ "GOOGLE_PAY", "wallet" }, { "CREDIT", "installment" },
	{ "TINKOFF_CREDIT", "installment" },
	{ "TINKOFF_INSTALLMENTS", "installment" }, { "SBP", "bank" },
	{ "B2B_ACCOUNT_PREPAYMENT", "bank" },
	{ "B2B_ACCOUNT_POSTPAYMENT", "bank" },
};

static void
yandex(struct import_order *o, const json_t *v, unsigned long line)
{
	static const char *const used[] = { "id", "status", "creationDate",
	    "currency", "paymentMethod", "itemsTotal", "deliveryTotal",
	    "buyer", "delivery", "items", "notes", NULL };
	static const char *const item_used[] = { "id", "offerId",
	    "offerName", "count", "price", NULL };
	const json_t *b, *d, *a, *it, *r;
	struct import_item *item;
	const char *pm, *s[3], *type;
	char name[512], addr[512], buf[64];
	size_t i;

	set(o, IMPORT_ID, v, "id", line);
	set(o, IMPORT_CREATED_AT, v, "creationDate", line);
	set(o, IMPORT_CURRENCY, v, "currency", line);
	set(o, IMPORT_STATUS_ORDER, v, "status", line);
	set(o, IMPORT_NOTE, v, "notes", line);
	pm = json_string_value(json_object_get(v, "paymentMethod"));
	for (i = 0; pm != NULL && i < sizeof(yandex_payments) /
	    sizeof(yandex_payments[0]); i++)
		if (strcmp(pm, yandex_payments[i].method) == 0)
			import_order_set(o, IMPORT_PAY_METHOD, IMPORT_SET,
			    yandex_payments[i].word, line);
	import_order_set(o, IMPORT_PAY_PROVIDER, IMPORT_SET, pm, line);
	b = json_object_get(v, "buyer");
	s[0] = json_string_value(json_object_get(b, "lastName"));
	s[1] = json_string_value(json_object_get(b, "firstName"));
	s[2] = json_string_value(json_object_get(b, "middleName"));
	snprintf(name, sizeof(name), "%s%s%s%s%s", s[0] ? s[0] : "",
	    s[0] && s[1] ? " " : "", s[1] ? s[1] : "",
	    (s[0] || s[1]) && s[2] ? " " : "", s[2] ? s[2] : "");
	import_order_set(o, IMPORT_CUSTOMER_NAME, IMPORT_SET, name, line);
	set(o, IMPORT_CUSTOMER_EMAIL, b, "email", line);
	set(o, IMPORT_CUSTOMER_PHONE, b, "phone", line);
	d = json_object_get(v, "delivery");
	a = json_object_get(d, "address");
	type = json_string_value(json_object_get(d, "type"));
	if (type != NULL)
		import_order_set(o, IMPORT_SHIP_METHOD, IMPORT_SET,
		    strcmp(type, "PICKUP") == 0 ? "pickup" :
		    strcmp(type, "POST") == 0 ? "post" :
		    strcmp(type, "DELIVERY") == 0 ? "courier" : NULL, line);
	set(o, IMPORT_SHIP_SERVICE, d, "serviceName", line);
	set(o, IMPORT_PICKUP_POINT, json_object_get(d, "outlet"), "code",
	    line);
	set(o, IMPORT_PICKUP_POINT, d, "outletId", line);
	set(o, IMPORT_SHIPPING, v, "deliveryTotal", line);
	set(o, IMPORT_SHIP_NAME, a, "recipient", line);
	set(o, IMPORT_SHIP_PHONE, a, "phone", line);
	set(o, IMPORT_COUNTRY, a, "country", line);
	set(o, IMPORT_CITY, a, "city", line);
	set(o, IMPORT_POSTAL_CODE, a, "postcode", line);
	s[0] = json_string_value(json_object_get(a, "street"));
	s[1] = json_string_value(json_object_get(a, "house"));
	s[2] = json_string_value(json_object_get(a, "block"));
	snprintf(addr, sizeof(addr), "%s%s%s%s%s", s[0] ? s[0] : "",
	    s[0] && s[1] ? ", " : "", s[1] ? s[1] : "",
	    s[2] ? ", корп. " : "", s[2] ? s[2] : "");
	import_order_set(o, IMPORT_LINE1, IMPORT_SET, addr, line);
	if ((s[0] = json_string_value(json_object_get(a, "apartment")))) {
		snprintf(addr, sizeof(addr), "кв. %s", s[0]);
		import_order_set(o, IMPORT_LINE2, IMPORT_SET, addr, line);
	}
	for (r = json_object_get(d, "region"); r != NULL;
	    r = json_object_get(r, "parent")) {
		type = json_string_value(json_object_get(r, "type"));
		if (type != NULL && strcmp(type, "SUBJECT_FEDERATION") == 0)
			set(o, IMPORT_REGION, r, "name", line);
		if (type != NULL && strcmp(type, "CITY") == 0)
			set(o, IMPORT_CITY, r, "name", line);
	}
	if (d != NULL)
		import_order_extra(o, "delivery", jsonl_copy(d));
	json_array_foreach(json_object_get(v, "items"), i, it) {
		item = import_item_add(o, line);
		item_set(item, IMPORT_ITEM_ID, it, "id", line);
		item_set(item, IMPORT_ITEM_SKU, it, "offerId", line);
		item_set(item, IMPORT_ITEM_NAME, it, "offerName", line);
		item_set(item, IMPORT_ITEM_QTY, it, "count", line);
		item_set(item, IMPORT_ITEM_PRICE, it, "price", line);
		keep_rest(o, item, it, item_used);
	}
	import_order_set(o, IMPORT_SUBTOTAL, IMPORT_SET,
	    text(v, "itemsTotal", buf, sizeof(buf)), line);
	keep_rest(o, NULL, v, used);
}

static void
wb_stats(struct import_order *o, const json_t *v, unsigned long line)
{
	static const char *const used[] = { "gNumber", "date", "countryName",
	    "regionName", "isCancel", "cancelDate", NULL };
	static const char *const item_used[] = { "srid", "supplierArticle",
	    "subject", "techSize", "priceWithDisc", "gNumber", "date",
	    "countryName", "regionName", "isCancel", "cancelDate",
	    "lastChangeDate", NULL };
	struct import_item *it;
	const char *size, *cancel;

	(void)used;
	set(o, IMPORT_ID, v, "gNumber", line);
	set(o, IMPORT_ID, v, "srid", line);
	set(o, IMPORT_CREATED_AT, v, "date", line);
	set(o, IMPORT_COUNTRY, v, "countryName", line);
	set(o, IMPORT_REGION, v, "regionName", line);
	if (o->ctx->currency == NULL)
		import_order_set(o, IMPORT_CURRENCY, IMPORT_SET, "RUB", line);
	it = import_item_add(o, line);
	item_set(it, IMPORT_ITEM_ID, v, "srid", line);
	item_set(it, IMPORT_ITEM_SKU, v, "supplierArticle", line);
	item_set(it, IMPORT_ITEM_NAME, v, "subject", line);
	import_item_set(it, IMPORT_ITEM_QTY, "1", line);
	item_set(it, IMPORT_ITEM_PRICE, v, "priceWithDisc", line);
	size = json_string_value(json_object_get(v, "techSize"));
	if (size != NULL && strcmp(size, "0") != 0)
		import_item_option(it, "size", size);
	if (json_is_true(json_object_get(v, "isCancel"))) {
		import_item_set(it, IMPORT_ITEM_STATUS, "cancelled", line);
		cancel = json_string_value(json_object_get(v, "cancelDate"));
		if (cancel != NULL && strncmp(cancel, "0001-", 5) != 0)
			import_item_extra(it, "cancelDate",
			    json_string(cancel));
	}
	keep_rest(o, it, v, item_used);
}

/* ISO 4217 numeric codes that Wildberries sends. */
static const struct {
	int		 number;
	const char	*code;
} numeric_codes[] = {
	{ 643, "RUB" }, { 933, "BYN" }, { 398, "KZT" }, { 51, "AMD" },
	{ 417, "KGS" }, { 860, "UZS" }, { 972, "TJS" }, { 981, "GEL" },
	{ 944, "AZN" }, { 840, "USD" }, { 978, "EUR" }, { 156, "CNY" },
};

static void
wb_market(struct import_order *o, const json_t *v, unsigned long line)
{
	static const char *const used[] = { "id", "rid", "createdAt",
	    "article", "price", "currencyCode", "address", NULL };
	const struct money_currency *cur = NULL;
	struct import_item *it;
	json_int_t number;
	char buf[48];
	size_t i;

	set(o, IMPORT_ID, v, "id", line);
	set(o, IMPORT_SOURCE_ID, v, "rid", line);
	set(o, IMPORT_CREATED_AT, v, "createdAt", line);
	set(o, IMPORT_LINE1, json_object_get(v, "address"), "fullAddress",
	    line);
	number = json_integer_value(json_object_get(v, "currencyCode"));
	for (i = 0; i < sizeof(numeric_codes) / sizeof(numeric_codes[0]); i++)
		if (numeric_codes[i].number == number)
			cur = money_currency(numeric_codes[i].code);
	if (cur == NULL && json_object_get(v, "currencyCode") == NULL)
		cur = money_currency("RUB");
	if (cur != NULL)
		import_order_set(o, IMPORT_CURRENCY, IMPORT_SET, cur->code, line);
	else
		import_order_error(o, "bad_currency", "currency",
		    "line %lu: currencyCode %" JSON_INTEGER_FORMAT " is not "
		    "one this program knows", line, number);
	it = import_item_add(o, line);
	item_set(it, IMPORT_ITEM_SKU, v, "article", line);
	import_item_set(it, IMPORT_ITEM_QTY, "1", line);
	/* The marketplace API gives prices in minor units. */
	if (json_is_integer(json_object_get(v, "price")) && cur != NULL) {
		money_format(json_integer_value(json_object_get(v, "price")),
		    cur->exponent, buf, sizeof(buf));
		import_item_set(it, IMPORT_ITEM_PRICE, buf, line);
	} else
		item_set(it, IMPORT_ITEM_PRICE, v, "price", line);
	if (json_object_get(v, "address") != NULL &&
	    !json_is_null(json_object_get(v, "address")))
		import_order_extra(o, "address",
		    jsonl_copy(json_object_get(v, "address")));
	keep_rest(o, NULL, v, used);
}

void
import_json_order(struct import_order *o, int kind, const json_t *v,
    unsigned long line)
{
	switch (kind) {
	case IMPORT_WOOCOMMERCE:
		woocommerce(o, v, line);
		break;
	case IMPORT_OZON:
		ozon(o, v, line);
		break;
	case IMPORT_YANDEX:
		yandex(o, v, line);
		break;
	case IMPORT_WB_STATS:
		wb_stats(o, v, line);
		break;
	case IMPORT_WB_MARKET:
		wb_market(o, v, line);
		break;
	}
}
