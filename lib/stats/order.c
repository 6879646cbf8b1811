/* order.c: an order's facts merged from the lines that name it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonx.h"
#include "rfc3339.h"
#include "stats.h"
#include "xalloc.h"

/* The statuses that mark a step, first reached at their entry's "at". */
static const struct {
	const char	*status;
	enum stats_step	 step;
} steps[] = {
	{ "validated", STATS_VALIDATED }, { "reserved", STATS_RESERVED },
	{ "backorder", STATS_BACKORDER }, { "paid", STATS_PAID },
	{ "cod", STATS_COD }, { "booked", STATS_BOOKED },
	{ "labelled", STATS_LABELLED }, { "shipped", STATS_SHIPPED },
	{ "delivered", STATS_DELIVERED },
};

void
stats_orders_init(struct stats_orders *o, const char *const *fields,
    size_t nfields)
{
	memset(o, 0, sizeof(*o));
	strmap_init(&o->index);
	strmap_init(&o->strings);
	arena_init(&o->mem);
	o->fields = fields;
	o->nfields = nfields;
}

/* One copy of each text: carriers and currencies repeat a million times. */
static const char *
intern(struct stats_orders *o, const char *s)
{
	unsigned long *v;

	if (s == NULL)
		return NULL;
	v = strmap_put(&o->strings, s, strlen(s), NULL);
	return strmap_key(&o->strings, v);
}

static const json_t *
get(const json_t *rec, const char *a, const char *b, const char *c)
{
	const json_t *v = json_object_get(rec, a);

	if (b != NULL)
		v = json_object_get(v, b);
	if (c != NULL)
		v = json_object_get(v, c);
	return v;
}

static const char *
text(const json_t *rec, const char *a, const char *b, const char *c)
{
	return json_string_value(get(rec, a, b, c));
}

static int64_t
when(const json_t *v)
{
	int64_t t;
	int offset;

	if (!json_is_string(v) ||
	    rfc3339_parse(json_string_value(v), &t, &offset) == -1)
		return 0;
	return t;
}

/* The end of the day v names ("2026-12-20", UTC) as epoch seconds: the
 * last second a refund due by that date is on time; 0 when v is no date. */
static int64_t
due_date(const json_t *v)
{
	char buf[32];
	int64_t t;
	int offset;

	if (!json_is_string(v) || strlen(json_string_value(v)) != 10)
		return 0;
	snprintf(buf, sizeof(buf), "%sT23:59:59Z", json_string_value(v));
	if (rfc3339_parse(buf, &t, &offset) == -1)
		return 0;
	return t;
}

/* Set *to from s: always when newer, else only when unknown. */
static void
take(struct stats_orders *o, const char **to, const char *s, int newer)
{
	if (s != NULL && *s != '\0' && (newer || *to == NULL))
		*to = intern(o, s);
}

static void
take_int(int64_t *to, const json_t *v, int newer)
{
	if (json_is_integer(v) && (newer || *to == -1))
		*to = json_integer_value(v);
}

void
stats_values(const json_t *rec, const char *path, json_t *out)
{
	const char *dot = strchr(path, '.');
	char key[128];
	const json_t *v, *e;
	size_t i, len = dot != NULL ? (size_t)(dot - path) : strlen(path);
	char *t;

	if (json_is_array(rec)) {
		json_array_foreach(rec, i, e)
			stats_values(e, path, out);
		return;
	}
	if (len >= sizeof(key))
		return;
	memcpy(key, path, len);
	key[len] = '\0';
	if ((v = json_object_get(rec, key)) == NULL)
		return;
	if (dot != NULL) {
		stats_values(v, dot + 1, out);
		return;
	}
	/* v is not NULL from here: json_typeof, not json_is_*, which test
	 * for NULL and make a checker think it may be */
	if (json_typeof(v) == JSON_ARRAY) {
		json_array_foreach(v, i, e)
			if (json_is_string(e))
				jsonx_append_new(out, json_incref((json_t *)e));
		return;
	}
	if (json_typeof(v) == JSON_STRING) {
		jsonx_append_new(out, json_incref((json_t *)v));
		return;
	}
	if (json_typeof(v) == JSON_OBJECT || json_typeof(v) == JSON_NULL)
		return;
	t = jsonx_text(v);
	jsonx_append_new(out, json_string(t));
	free(t);
}

/* The customer: the e-mail in lower case, else the phone. */
static const char *
customer(struct stats_orders *o, const json_t *rec)
{
	const char *email = text(rec, "customer", "email", NULL);
	char *low, *p;
	const char *s;

	if (email == NULL || *email == '\0')
		return intern(o, text(rec, "customer", "phone", NULL));
	low = xstrdup(email);
	for (p = low; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	s = intern(o, low);
	free(low);
	return s;
}

static struct stats_order *
find(struct stats_orders *o, const json_t *rec)
{
	const json_t *id = json_object_get(rec, "id");
	const char *source = text(rec, "source", NULL, NULL);
	struct stats_order *x;
	unsigned long *slot;
	char *key, *idtext;
	int added;
	size_t i;

	if (json_is_string(id))
		idtext = xstrdup(json_string_value(id));
	else if (json_is_integer(id))
		idtext = jsonx_text(id);
	else
		return NULL;
	key = xasprintf("%s\x1f%s", source != NULL ? source : "", idtext);
	slot = strmap_put(&o->index, key, strlen(key), &added);
	free(key);
	if (!added) {
		free(idtext);
		return &o->v[*slot];
	}
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 1024;
		o->v = xrealloc(o->v, o->cap * sizeof(*o->v));
	}
	*slot = o->n;
	x = &o->v[o->n++];
	memset(x, 0, sizeof(*x));
	x->id = arena_strdup(&o->mem, idtext);
	free(idtext);
	x->total = x->refunded = x->cost = -1;
	if (o->nfields > 0) {
		x->dims = json_array();
		for (i = 0; i < o->nfields; i++)
			jsonx_append_new(x->dims, json_array());
	}
	return x;
}

static void
add_reject(struct stats_orders *o, struct stats_order *x, const char *step,
    const char *code)
{
	size_t i;

	for (i = 0; i < x->nrejects; i++)
		if (strcmp(x->rejects[i].step, step) == 0 &&
		    strcmp(x->rejects[i].code, code) == 0)
			return;
	x->rejects = xrealloc(x->rejects, (x->nrejects + 1) *
	    sizeof(*x->rejects));
	x->rejects[x->nrejects].step = intern(o, step);
	x->rejects[x->nrejects++].code = intern(o, code);
}

int
stats_orders_merge(struct stats_orders *o, const json_t *rec)
{
	struct stats_order *x;
	const json_t *h, *e, *ret, *items, *v;
	const char *st, *by, *lateststatus = NULL;
	int64_t at, latest = 0, t;
	size_t i, j;
	int newer, failed = 0;

	if ((x = find(o, rec)) == NULL)
		return -1;
	h = json_object_get(rec, "status_history");
	json_array_foreach(h, i, e) {
		if ((st = text(e, "status", NULL, NULL)) == NULL ||
		    (at = when(json_object_get(e, "at"))) == 0)
			continue;
		for (j = 0; j < sizeof(steps) / sizeof(steps[0]); j++)
			if (strcmp(st, steps[j].status) == 0 &&
			    (x->reached[steps[j].step] == 0 ||
			    at < x->reached[steps[j].step]))
				x->reached[steps[j].step] = at;
		if (at >= latest) {
			latest = at;
			lateststatus = st;
		}
	}
	newer = latest >= x->latest;
	if (newer && lateststatus != NULL) {
		x->latest = latest;
		x->status = intern(o, lateststatus);
	}
	if ((t = when(json_object_get(rec, "created_at"))) != 0 &&
	    (newer || !x->has_created)) {
		x->created = t;
		x->has_created = 1;
	}
	take(o, &x->currency, text(rec, "currency", NULL, NULL), newer);
	take(o, &x->provider, text(rec, "payment", "provider", NULL), newer);
	take(o, &x->method, text(rec, "payment", "method", NULL), newer);
	take(o, &x->paystatus, text(rec, "payment", "status", NULL), newer);
	take(o, &x->carrier, text(rec, "shipping", "carrier", NULL), newer);
	take(o, &x->carrier, text(rec, "shipment", "carrier", NULL), newer);
	take(o, &x->region, text(rec, "shipping", "address", "region"),
	    newer);
	if ((st = customer(o, rec)) != NULL && (newer || x->customer == NULL))
		x->customer = st;
	take_int(&x->total, get(rec, "totals", "total", NULL), newer);
	take_int(&x->refunded, get(rec, "payment", "refunded", NULL), newer);
	v = get(rec, "shipment", "cost", NULL);
	if (json_is_integer(json_object_get(v, "amount")) &&
	    (st = text(v, "currency", NULL, NULL)) != NULL &&
	    (newer || x->cost_currency == NULL)) {
		x->cost = json_integer_value(json_object_get(v, "amount"));
		x->cost_currency = intern(o, st);
	}
	if (json_is_object(ret = json_object_get(rec, "return")) &&
	    (newer || x->return_reason == NULL)) {
		/* return-open's: the reason of the first item that gives one,
		 * opened when the history reached return_open, due by the
		 * end of due_by (a date, UTC). */
		if ((st = text(ret, "reason", NULL, NULL)) == NULL)
			json_array_foreach(json_object_get(ret, "items"), j, v)
				if ((st = text(v, "reason", NULL, NULL)) != NULL)
					break;
		x->return_reason = intern(o, st != NULL ? st : "unknown");
		x->return_opened = when(json_object_get(ret, "opened_at"));
		json_array_foreach(h, i, e)
			if (x->return_opened == 0 && (st = text(e, "status",
			    NULL, NULL)) != NULL && strcmp(st, "return_open") == 0)
				x->return_opened = when(json_object_get(e, "at"));
		x->refund_due = when(json_object_get(ret, "refund_due"));
		if (x->refund_due == 0)
			x->refund_due = due_date(json_object_get(ret, "due_by"));
		x->refunded_at = when(json_object_get(ret, "refunded_at"));
	}
	items = json_object_get(rec, "items");
	if (json_array_size(items) > 0 && (newer || x->nskus == 0)) {
		x->skus = arena_alloc(&o->mem, json_array_size(items) *
		    sizeof(*x->skus));
		x->nskus = 0;
		json_array_foreach(items, i, e)
			if ((st = text(e, "sku", NULL, NULL)) != NULL)
				x->skus[x->nskus++] = intern(o, st);
	}
	json_array_foreach(json_object_get(rec, "notifications"), i, e)
		if ((st = text(e, "status", NULL, NULL)) != NULL &&
		    strcmp(st, "failed") == 0)
			failed++;
	if (failed > 0 && (newer || x->failed_notes == 0))
		x->failed_notes = failed;
	if ((by = text(rec, "rejected_by", NULL, NULL)) != NULL)
		json_array_foreach(json_object_get(rec, "errors"), i, e)
			if ((st = text(e, "code", NULL, NULL)) != NULL)
				add_reject(o, x, by, st);
	for (i = 0; i < o->nfields; i++) {
		h = json_array_get(x->dims, i);
		if (newer || json_array_size(h) == 0) {
			json_array_clear((json_t *)h);
			stats_values(rec, o->fields[i], (json_t *)h);
		}
	}
	return 0;
}

void
stats_orders_release(struct stats_orders *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		free(o->v[i].rejects);
		json_decref(o->v[i].dims);
	}
	free(o->v);
	strmap_release(&o->index);
	strmap_release(&o->strings);
	arena_release(&o->mem);
	memset(o, 0, sizeof(*o));
}
