/* order.c: return-open's rules on records: the form of requests and
 * receipts, what an order holds, and the refund of its lines. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "jsonx.h"
#include "reject.h"
#include "returns.h"
#include "rfc3339.h"
#include "strmap.h"
#include "xalloc.h"

static const char *
str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static int64_t
int_of(const json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static int
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* The items' form, shared by requests and receipts. */
static void
check_items(const json_t *items, int with_reason, json_t *errors)
{
	const json_t *it;
	char field[64];
	size_t i;

	json_array_foreach(items, i, it) {
		snprintf(field, sizeof(field), "items[%zu]", i);
		if (str(it, "sku") == NULL)
			reject_addf(errors, "missing_field", field,
			    "item %zu has no sku", i);
		if (!json_is_integer(json_object_get(it, "qty")) ||
		    int_of(it, "qty") < 1)
			reject_addf(errors, "bad_qty", field,
			    "item %zu: qty is not a whole number above 0", i);
		if (with_reason && returns_reason_parse(str(it, "reason")) == -1)
			reject_addf(errors, "bad_reason", field,
			    "item %zu: reason is none of the documented ones",
			    i);
		if (returns_condition_parse(str(it, "condition")) == -1)
			reject_addf(errors, "bad_condition", field,
			    "item %zu: condition is none of the documented "
			    "ones", i);
	}
}

static void
check_time(const json_t *rec, const char *key, json_t *errors)
{
	int64_t e;
	int off;

	if (str(rec, key) == NULL || rfc3339_parse(str(rec, key), &e,
	    &off) == -1)
		reject_addf(errors, "bad_time", key, "%s is not an RFC 3339 "
		    "time with an offset", key);
}

int
returns_check_request(const json_t *req, json_t *errors)
{
	const json_t *items = json_object_get(req, "items");

	if (json_object_get(req, "order_id") == NULL)
		reject_add(errors, "missing_field", "order_id",
		    "a request names its order");
	check_time(req, "requested_at", errors);
	if (!json_is_array(items) || json_array_size(items) == 0)
		reject_add(errors, "missing_field", "items",
		    "a request names the items to return");
	check_items(items, 1, errors);
	return json_array_size(errors) > 0 ? -1 : 0;
}

int
returns_check_receipt(const json_t *line, json_t *errors)
{
	const json_t *items = json_object_get(line, "items");

	if (str(line, "rma") == NULL)
		reject_add(errors, "missing_field", "rma", "a receipt names "
		    "its RMA");
	check_time(line, "received_at", errors);
	if (!json_is_array(items) || json_array_size(items) == 0)
		reject_add(errors, "missing_field", "items", "a receipt names "
		    "the items that came");
	check_items(items, 0, errors);
	return json_array_size(errors) > 0 ? -1 : 0;
}

void
returns_counts_add(struct returns_counts *c, const char *sku,
    const char *decision, int64_t qty)
{
	size_t i;

	for (i = 0; i < c->n && strcmp(c->v[i].sku, sku) != 0; i++)
		;
	if (i == c->n) {
		c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
		c->v[c->n].sku = xstrdup(sku);
		c->v[c->n].approved = c->v[c->n].held = 0;
		c->n++;
	}
	c->v[i].held += qty;
	if (strcmp(decision, "approved") == 0)
		c->v[i].approved += qty;
}

void
returns_counts_get(const struct returns_counts *c, const char *sku,
    int64_t *approved, int64_t *held)
{
	size_t i;

	*approved = *held = 0;
	for (i = 0; i < c->n; i++)
		if (same(c->v[i].sku, sku)) {
			*approved = c->v[i].approved;
			*held = c->v[i].held;
		}
}

void
returns_counts_release(struct returns_counts *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].sku);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

int64_t
returns_bought(const json_t *order, const char *sku)
{
	const json_t *it;
	int64_t n = 0;
	size_t i;

	json_array_foreach(json_object_get(order, "items"), i, it)
		if (same(str(it, "sku"), sku))
			n += int_of(it, "qty");
	return n;
}

const char *
returns_warehouse(const json_t *order, const char *sku)
{
	const json_t *l, *p;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(order,
	    "reservation"), "lines"), i, l)
		if (same(str(l, "sku"), sku))
			return str(l, "warehouse");
	json_array_foreach(json_object_get(json_object_get(order, "shipment"),
	    "parcels"), i, p)
		if (str(p, "warehouse") != NULL)
			return str(p, "warehouse");
	return NULL;
}

int64_t
returns_order_refund(const struct returns_policy *pol, const json_t *order,
    json_t *items, const struct returns_counts *counts, int64_t refunded,
    int64_t delivered, int64_t requested, int fault, int64_t *fee,
    int64_t *ship)
{
	const json_t *ol = json_object_get(order, "items"), *o;
	const json_t *totals = json_object_get(order, "totals");
	json_t *it;
	struct returns_line *lines;
	size_t n = json_array_size(ol), i, k;
	int64_t amount, approved, held, paid, want, take, sum;
	int with_ship;

	lines = xcalloc(n + 1, sizeof(*lines));
	json_array_foreach(ol, i, o) {
		lines[i].qty = int_of(o, "qty");
		lines[i].unit_price = int_of(o, "unit_price");
	}
	/* Units refunded before, then those back now, to the lines of their
	 * SKU in order. */
	json_array_foreach(ol, i, o) {
		if (str(o, "sku") == NULL)
			continue;
		for (k = 0; k < i && !same(str(json_array_get(ol, k), "sku"),
		    str(o, "sku")); k++)
			;
		if (k < i)
			continue;	/* its SKU's first line did it */
		returns_counts_get(counts, str(o, "sku"), &approved, &held);
		for (k = i; k < n && approved > 0; k++) {
			if (!same(str(json_array_get(ol, k), "sku"),
			    str(o, "sku")))
				continue;
			take = approved < lines[k].qty ? approved : lines[k].qty;
			lines[k].returned = take;
			approved -= take;
		}
	}
	json_array_foreach(items, i, it) {
		want = int_of(it, "qty");
		for (k = 0; k < n && want > 0; k++) {
			if (!same(str(json_array_get(ol, k), "sku"),
			    str(it, "sku")))
				continue;
			take = lines[k].qty - lines[k].returned - lines[k].back;
			take = want < take ? want : take;
			lines[k].back += take;
			want -= take;
			if (take > 0 && returns_fee_applies(pol, delivered,
			    requested, returns_reason_parse(str(it, "reason"))))
				lines[k].fee = 1;
		}
	}
	paid = int_of(totals, "total");
	with_ship = pol->refund_shipping == RETURNS_SHIP_ALWAYS ||
	    (pol->refund_shipping == RETURNS_SHIP_FAULT && fault);
	amount = returns_refund(lines, n, int_of(totals, "discount"),
	    int_of(totals, "shipping"), with_ship, pol->restocking_percent,
	    paid, refunded, fee, ship);
	/* Each item's refund: its lines' share for its units. */
	json_array_foreach(items, i, it) {
		sum = 0;
		for (k = 0; k < n; k++)
			if (same(str(json_array_get(ol, k), "sku"),
			    str(it, "sku"))) {
				sum += lines[k].refund;
				lines[k].refund = 0;
			}
		jsonx_set_new(it, "refund", json_integer(sum));
	}
	free(lines);
	return amount;
}

int64_t
returns_receipt_refund(const struct returns_policy *pol, json_t *ret,
    const json_t *received, const json_t *came, json_t *review)
{
	const json_t *got;
	json_t *it;
	int64_t amount = int_of(ret, "amount"), cut = 0, f, q, g, nf;
	size_t i, k;
	int missing = 0, declared, worse;

	json_array_foreach(json_object_get(ret, "items"), i, it) {
		q = int_of(it, "qty");
		f = int_of(it, "refund");
		g = int_of(received, str(it, "sku"));
		if (g > q)
			g = q;
		nf = g == q ? f : (int64_t)((__int128)f * g / q);
		missing |= g < q;
		cut += f - nf;
		jsonx_set_new(it, "refund", json_integer(nf));
		declared = returns_condition_parse(str(it, "condition"));
		json_array_foreach(came, k, got) {
			worse = returns_condition_parse(str(got, "condition"));
			if (!same(str(got, "sku"), str(it, "sku")) ||
			    worse <= declared || returns_fault(
			    returns_reason_parse(str(it, "reason"))) ||
			    !pol->value_loss_review)
				continue;
			reject_addf(review, "value_loss_review", "items",
			    "%s came back %s, not %s: a person sets the value "
			    "lost", str(it, "sku"), str(got, "condition"),
			    str(it, "condition"));
		}
	}
	if (missing && json_is_integer(json_object_get(ret,
	    "shipping_refund"))) {
		cut += int_of(ret, "shipping_refund");
		json_object_del(ret, "shipping_refund");
	}
	amount -= cut;
	return amount < 0 ? 0 : amount;
}

static int
cmp_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The request's identity: its request_id, else its order, requested_at
 * and items with their quantities, sorted. */
char *
returns_request_key(const char *order_id, const json_t *req)
{
	const json_t *items = json_object_get(req, "items"), *it;
	char **parts, *key, *p;
	size_t i, n = json_array_size(items);
	const char *rid = str(req, "request_id");

	if (rid != NULL)
		return xasprintf("%s\037id\037%s", order_id, rid);
	parts = xcalloc(n + 1, sizeof(*parts));
	for (i = 0; i < n; i++) {
		it = json_array_get(items, i);
		parts[i] = xasprintf("%s\036%" PRId64, str(it, "sku"),
		    (int64_t)json_integer_value(json_object_get(it, "qty")));
	}
	qsort(parts, n, sizeof(*parts), cmp_text);
	key = xasprintf("%s\037at\037%s", order_id, str(req, "requested_at"));
	for (i = 0; i < n; i++) {
		p = xasprintf("%s\037%s", key, parts[i]);
		free(key);
		free(parts[i]);
		key = p;
	}
	free(parts);
	return key;
}

char *
returns_rma(const char *order_id, const char *key)
{
	return xasprintf("RMA-%s-%08" PRIx64, order_id,
	    strmap_hash(key, strlen(key)) & 0xffffffffu);
}

char *
returns_request_id(const json_t *req, const char *key)
{
	if (str(req, "request_id") != NULL)
		return xstrdup(str(req, "request_id"));
	return xasprintf("req-%016" PRIx64, strmap_hash(key, strlen(key)));
}

int
returns_tz_offset(const char *tz, int64_t epoch, int *offset)
{
	char probe[64];
	int64_t e;
	struct tm tm;
	time_t t = (time_t)epoch;

	*offset = 0;
	if (tz == NULL || *tz == '\0')
		return 0;
	if (*tz == '+' || *tz == '-' || strcmp(tz, "Z") == 0) {
		snprintf(probe, sizeof(probe), "2000-01-01T00:00:00%s", tz);
		return rfc3339_parse(probe, &e, offset);
	}
	/* A zone's name: the caller has put it in TZ (tzset()). */
	if (localtime_r(&t, &tm) == NULL)
		return -1;
	*offset = (int)(tm.tm_gmtoff / 60);
	return 0;
}
