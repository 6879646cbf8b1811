/* parcel.c: an order's parcels: one per reserving warehouse, weighed and
 * sized from the catalog or the default parcel. */
#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "catalog.h"
#include "conf.h"
#include "money.h"
#include "parcel.h"
#include "reject.h"
#include "xalloc.h"

void
parcel_defaults_conf(struct parcel_defaults *d, const struct conf *c)
{
	const char *v;
	char kn[64];

	memset(d, 0, sizeof(*d));
	d->weight_g = -1;
	if (c == NULL)
		return;
	if ((v = conf_get(c, "parcel", NULL, "weight_g")) != NULL &&
	    *v != '\0')
		d->weight_g = conf_long(c, "parcel", NULL, NULL, "weight_g", 0,
		    1, 100000000);
	if ((v = conf_get(c, "parcel", NULL, "dims_mm")) != NULL &&
	    *v != '\0') {
		if (catalog_dims_parse(v, d->dims_mm) == -1)
			errx(EX_CONFIG, "%s '%s' is not a size in millimetres "
			    "such as 300x200x100", conf_keyname("parcel", NULL,
			    "dims_mm", kn, sizeof(kn)), v);
		d->has_dims = 1;
	}
}

char *
parcel_dims_format(const int dims[3], char *buf, size_t len)
{
	snprintf(buf, len, "%dx%dx%d", dims[0], dims[1], dims[2]);
	return buf;
}

/* A whole number above 0, as JSON gives it. */
static int
positive(const json_t *v, int64_t *n)
{
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return -1;
	*n = json_integer_value(v);
	return 0;
}

/* A parcel under construction. */
struct build {
	struct parcel	*p;
	size_t		 cap;
};

static void
add_item(struct build *b, const char *sku, int64_t qty)
{
	struct parcel *p = b->p;
	size_t i;

	for (i = 0; i < p->nitems; i++)
		if (strcmp(p->items[i].sku, sku) == 0) {
			if (money_add(p->items[i].qty, qty, &p->items[i].qty) ==
			    -1)
				p->items[i].qty = INT64_MAX;
			return;
		}
	if (p->nitems == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4;
		p->items = xrealloc(p->items, b->cap * sizeof(*p->items));
	}
	memset(&p->items[p->nitems], 0, sizeof(p->items[0]));
	p->items[p->nitems].sku = sku;
	p->items[p->nitems++].qty = qty;
}

/* Name and price of each item, from the first order item of its SKU. */
static void
describe(struct parcel *p, const json_t *items)
{
	const json_t *it, *price;
	const char *sku;
	size_t i, j;

	for (i = 0; i < p->nitems; i++)
		json_array_foreach(items, j, it) {
			sku = json_string_value(json_object_get(it, "sku"));
			if (sku == NULL || strcmp(sku, p->items[i].sku) != 0)
				continue;
			p->items[i].name = json_string_value(
			    json_object_get(it, "name"));
			price = json_object_get(it, "unit_price");
			if (json_is_integer(price) &&
			    json_integer_value(price) >= 0)
				p->items[i].unit_price =
				    json_integer_value(price);
			break;
		}
}

/* Weight, size and value of p. */
static int
measure(struct parcel *p, const struct catalog *cat,
    const struct parcel_defaults *d, json_t *errors)
{
	const struct catalog_sku *s;
	const char *missing = NULL;
	int64_t w, sum = 0, v, value = 0;
	char field[32];
	size_t i;
	int overflow = 0;

	for (i = 0; i < p->nitems; i++) {
		s = cat != NULL ? catalog_find(cat, p->items[i].sku) : NULL;
		if (s == NULL || s->weight_g < 0) {
			if (missing == NULL)
				missing = p->items[i].sku;
		} else if (money_mul(s->weight_g, p->items[i].qty, &w) == -1 ||
		    money_add(sum, w, &sum) == -1)
			overflow = 1;
		if (money_mul(p->items[i].unit_price, p->items[i].qty, &v) ==
		    -1 || money_add(value, v, &value) == -1)
			overflow = 1;
	}
	snprintf(field, sizeof(field), "shipment.parcels[%d]", p->n - 1);
	if (overflow) {
		reject_addf(errors, "too_heavy", field, "parcel %d of %d: its "
		    "weight or value does not fit in 64 bits", p->n, p->of);
		return -1;
	}
	p->value = value;
	p->weight_g = sum;
	if (missing != NULL) {
		if (d == NULL || d->weight_g < 0) {
			reject_addf(errors, "no_weight", field, "no weight_g "
			    "for sku '%s' in the catalog, and no [parcel] "
			    "weight_g for the parcel", missing);
			return -1;
		}
		p->weight_g = d->weight_g;
		p->weight_default = 1;
	}
	if (p->nitems == 1 && p->items[0].qty == 1 && cat != NULL &&
	    (s = catalog_find(cat, p->items[0].sku)) != NULL && s->has_dims) {
		memcpy(p->dims_mm, s->dims_mm, sizeof(p->dims_mm));
		p->has_dims = 1;
	} else if (d != NULL && d->has_dims) {
		memcpy(p->dims_mm, d->dims_mm, sizeof(p->dims_mm));
		p->has_dims = 1;
	}
	return 0;
}

/* The index of warehouse w among the first n parcels, or n. */
static size_t
find_warehouse(const struct parcel *ps, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(ps[i].warehouse, w) == 0)
			break;
	return i;
}

int
parcel_compute(const json_t *order, const struct catalog *cat,
    const struct parcel_defaults *d, struct parcel **out, size_t *nout,
    json_t *errors)
{
	const json_t *items, *lines, *v;
	struct parcel *ps;
	struct build *b;
	const char *sku, *w;
	char field[64];
	size_t i, n = 0, k, nlines;
	int64_t qty;
	int bad = 0;

	*out = NULL;
	*nout = 0;
	items = json_object_get(order, "items");
	lines = json_object_get(json_object_get(order, "reservation"),
	    "lines");
	nlines = json_array_size(lines);
	ps = xcalloc(nlines > 0 ? nlines : 1, sizeof(*ps));
	b = xcalloc(nlines > 0 ? nlines : 1, sizeof(*b));
	if (nlines > 0) {
		json_array_foreach(lines, i, v) {
			sku = json_string_value(json_object_get(v, "sku"));
			w = json_string_value(json_object_get(v, "warehouse"));
			if (sku == NULL || w == NULL || *w == '\0' ||
			    positive(json_object_get(v, "qty"), &qty) == -1) {
				snprintf(field, sizeof(field),
				    "reservation.lines[%zu]", i);
				reject_add(errors, "bad_reservation", field,
				    "a reservation line needs a sku, a "
				    "warehouse and a qty above 0");
				bad = 1;
				continue;
			}
			if ((k = find_warehouse(ps, n, w)) == n) {
				ps[n].warehouse = w;
				b[n].p = &ps[n];
				n++;
			}
			add_item(&b[k], sku, qty);
		}
	} else {
		n = 1;
		b[0].p = &ps[0];
		json_array_foreach(items, i, v) {
			sku = json_string_value(json_object_get(v, "sku"));
			snprintf(field, sizeof(field), "items[%zu]", i);
			if (sku == NULL || *sku == '\0') {
				reject_add(errors, "bad_item", field,
				    "an item without a sku cannot be packed");
				bad = 1;
				continue;
			}
			if (positive(json_object_get(v, "qty"), &qty) == -1) {
				snprintf(field, sizeof(field), "items[%zu].qty",
				    i);
				reject_add(errors, "bad_item", field,
				    "qty is not a whole number above 0");
				bad = 1;
				continue;
			}
			add_item(&b[0], sku, qty);
		}
	}
	for (i = 0; i < n && !bad; i++) {
		ps[i].n = (int)i + 1;
		ps[i].of = (int)n;
		if (ps[i].nitems == 0) {
			reject_add(errors, "no_items", "items",
			    "the order has no items to ship");
			bad = 1;
			break;
		}
		describe(&ps[i], items);
		if (measure(&ps[i], cat, d, errors) == -1)
			bad = 1;
	}
	if (n == 0 && !bad) {
		reject_add(errors, "no_items", "items",
		    "the order has no items to ship");
		bad = 1;
	}
	free(b);
	if (bad) {
		parcel_free(ps, nlines > 0 ? nlines : 1);
		return -1;
	}
	*out = ps;
	*nout = n;
	return 0;
}

void
parcel_free(struct parcel *ps, size_t n)
{
	size_t i;

	if (ps == NULL)
		return;
	for (i = 0; i < n; i++)
		free(ps[i].items);
	free(ps);
}

json_t *
parcel_json(const struct parcel *p)
{
	json_t *o, *items, *it;
	char dims[40];
	size_t i;

	if ((items = json_array()) == NULL)
		xnomem();
	for (i = 0; i < p->nitems; i++) {
		it = json_pack("{s:s,s:I}", "sku", p->items[i].sku, "qty",
		    (json_int_t)p->items[i].qty);
		if (it == NULL || json_array_append_new(items, it) == -1)
			xnomem();
	}
	o = json_pack("{s:i,s:i,s:o,s:o,s:I}", "n", p->n, "of", p->of,
	    "warehouse", p->warehouse != NULL ? json_string(p->warehouse) :
	    json_null(), "items", items, "weight_g", (json_int_t)p->weight_g);
	if (o == NULL)
		xnomem();
	if (p->has_dims && json_object_set_new(o, "dims_mm",
	    json_string(parcel_dims_format(p->dims_mm, dims,
	    sizeof(dims)))) == -1)
		xnomem();
	return o;
}
