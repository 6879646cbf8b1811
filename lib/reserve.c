/* reserve.c: the warehouses an order's items are reserved from: the
 * allocation order-reserve makes in a batch's stock. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonx.h"
#include "reject.h"
#include "reserve.h"
#include "stock.h"
#include "xalloc.h"

/* A warehouse as an order sees it. */
struct choice {
	const struct stock_warehouse *w;
	int		 serves;	/* the order's region or country */
};

static int64_t
avail(const struct stock_batch *b, const char *sku, const struct choice *c)
{
	struct stock_row *s = stock_batch_row(b, sku, c->w->id);

	return s == NULL ? 0 : s->available;
}

static int
serves(const char *regions, const char *region, const char *country)
{
	const char *p = regions, *end;
	size_t n;

	while (*p != '\0') {
		end = strchr(p, ';');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if ((region != NULL && strlen(region) == n &&
		    memcmp(region, p, n) == 0) ||
		    (country != NULL && strlen(country) == n &&
		    memcmp(country, p, n) == 0))
			return 1;
		p += n + (end != NULL);
	}
	return 0;
}

/* Preference: serving the order's region, then priority, then id. */
static int
warehouse_cmp(const void *a, const void *b)
{
	const struct choice *x = a, *y = b;

	if (x->serves != y->serves)
		return y->serves - x->serves;
	if (x->w->priority != y->w->priority)
		return x->w->priority > y->w->priority ? -1 : 1;
	return strcmp(x->w->id, y->w->id);
}

static void
add_take(struct reserve_order *o, struct stock_row *s, int64_t qty)
{
	o->takes = xrealloc(o->takes, (o->ntakes + 1) * sizeof(*o->takes));
	o->takes[o->ntakes].row = s;
	o->takes[o->ntakes++].qty = qty;
}

/* Take the whole of need n from warehouse w. */
static void
take_from(const struct stock_batch *b, struct reserve_order *o,
    const struct reserve_need *n, const struct choice *c, int64_t qty)
{
	add_take(o, stock_batch_row(b, n->sku, c->w->id), qty);
}

/* The reject of an order that cannot be reserved: per SKU, what is
 * missing and where some of it is. */
static void
refuse(const struct stock_batch *b, struct reserve_order *o,
    const struct choice *order, int split_only, json_t *errors)
{
	json_t *list, *where;
	char field[64];
	int64_t total, a;
	size_t k, w;

	if ((list = json_array()) == NULL)
		xnomem();
	for (k = 0; k < o->nneeds; k++) {
		const struct reserve_need *n = &o->needs[k];

		if ((where = json_array()) == NULL)
			xnomem();
		total = 0;
		for (w = 0; w < b->nwarehouses; w++) {
			if ((a = avail(b, n->sku, &order[w])) <= 0)
				continue;
			total += a;
			jsonx_append_new(where, json_pack("{s:s,s:I}",
			    "warehouse", order[w].w->id, "qty",
			    (json_int_t)a));
		}
		jsonx_append_new(list, json_pack("{s:s,s:I,s:I,s:o}", "sku",
		    n->sku, "qty", (json_int_t)n->qty, "missing",
		    (json_int_t)(total >= n->qty ? 0 : n->qty - total),
		    "available", where));
		if (total < n->qty) {
			snprintf(field, sizeof(field), "items[%zu]", n->item);
			reject_addf(errors, "backorder", field, "SKU '%s': %"
			    PRId64 " wanted, %" PRId64 " in stock", n->sku,
			    n->qty, total);
		}
	}
	if (split_only)
		reject_add(errors, "split_needed", "items", "no one "
		    "warehouse has all the items; --split would ship them in "
		    "several parcels");
	o->missing = list;
}

int
reserve_allocate(struct stock_batch *b, struct reserve_order *o, int split,
    int partial, json_t *errors)
{
	struct choice *order;
	size_t nwhs = b->nwarehouses;
	int64_t rem, a, t, missing;
	size_t k, w, best, nbest, fill;
	int unknown = 0, complete;
	char field[64];

	if (o->nneeds == 0)
		return 0;	/* nothing to ship: nothing to take */
	for (k = 0; k < o->nneeds; k++) {
		if (!stock_batch_stocked(b, o->needs[k].sku)) {
			snprintf(field, sizeof(field), "items[%zu].sku",
			    o->needs[k].item);
			reject_addf(errors, "unknown_sku", field, "SKU '%s' "
			    "is not stocked in any warehouse",
			    o->needs[k].sku);
			unknown = 1;
		}
	}
	if (unknown)
		return -1;
	order = xcalloc(nwhs + 1, sizeof(*order));
	for (w = 0; w < nwhs; w++) {
		order[w].w = &b->warehouses[w];
		order[w].serves = serves(order[w].w->regions, o->region,
		    o->country);
	}
	qsort(order, nwhs, sizeof(*order), warehouse_cmp);

	/* One parcel: the first warehouse that has everything. */
	for (w = 0; w < nwhs; w++) {
		for (k = 0; k < o->nneeds; k++)
			if (avail(b, o->needs[k].sku, &order[w]) <
			    o->needs[k].qty)
				break;
		if (k == o->nneeds) {
			for (k = 0; k < o->nneeds; k++)
				take_from(b, o, &o->needs[k], &order[w],
				    o->needs[k].qty);
			goto done;
		}
	}
	/* Whether some SKU lacks stock in all the warehouses together. */
	for (k = 0, missing = 0; k < o->nneeds; k++) {
		for (w = 0, a = 0; w < nwhs; w++)
			a += avail(b, o->needs[k].sku, &order[w]);
		if (a < o->needs[k].qty)
			missing = 1;
	}
	complete = 1;
	if (split) {
		/* Each SKU whole from the preferred warehouse that has it
		 * all, else from the preferred warehouses in turn. */
		for (k = 0; k < o->nneeds; k++) {
			rem = o->needs[k].qty;
			for (w = 0; w < nwhs; w++)
				if (avail(b, o->needs[k].sku, &order[w]) >=
				    rem)
					break;
			if (w < nwhs) {
				take_from(b, o, &o->needs[k], &order[w], rem);
				continue;
			}
			for (w = 0; w < nwhs && rem > 0; w++) {
				if ((a = avail(b, o->needs[k].sku,
				    &order[w])) <= 0)
					continue;
				t = a < rem ? a : rem;
				take_from(b, o, &o->needs[k], &order[w], t);
				rem -= t;
			}
			if (rem > 0)
				complete = 0;
		}
		if (complete)
			goto done;
	}
	if (!partial) {
		o->ntakes = 0;
		refuse(b, o, order, !missing && !split, errors);
		free(order);
		return -1;
	}
	if (!split) {
		/* The warehouse that fills the most lines, whole. */
		best = 0;
		nbest = 0;
		for (w = 0; w < nwhs; w++) {
			for (k = 0, fill = 0; k < o->nneeds; k++)
				fill += avail(b, o->needs[k].sku, &order[w]) >=
				    o->needs[k].qty;
			if (fill > nbest) {
				nbest = fill;
				best = w;
			}
		}
		for (k = 0; k < o->nneeds && nbest > 0; k++)
			if (avail(b, o->needs[k].sku, &order[best]) >=
			    o->needs[k].qty)
				take_from(b, o, &o->needs[k], &order[best],
				    o->needs[k].qty);
	}
	if (o->ntakes == 0) {
		/* Not a line whole in one warehouse: without --split, enough
		 * in several is still no parcel. */
		refuse(b, o, order, !missing && !split, errors);
		free(order);
		return -1;
	}
	/* What is not taken is backordered. */
	if ((o->backorder = json_array()) == NULL)
		xnomem();
	for (k = 0; k < o->nneeds; k++) {
		rem = o->needs[k].qty;
		for (w = 0; w < o->ntakes; w++)
			if (strcmp(o->takes[w].row->sku, o->needs[k].sku) == 0)
				rem -= o->takes[w].qty;
		if (rem > 0)
			jsonx_append_new(o->backorder, json_pack("{s:s,s:I}",
			    "sku", o->needs[k].sku, "qty", (json_int_t)rem));
	}
done:
	free(order);
	for (k = 0; k < o->ntakes; k++) {
		o->takes[k].row->available -= o->takes[k].qty;
		o->takes[k].row->taken += o->takes[k].qty;
	}
	return 0;
}

void
reserve_order_release(struct reserve_order *o)
{
	free(o->takes);
	json_decref(o->backorder);
	json_decref(o->missing);
	o->takes = NULL;
	o->ntakes = 0;
	o->backorder = o->missing = NULL;
}
