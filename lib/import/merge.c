/* merge.c: an Etsy order from its two files: the items file's record
 * (items, address, payment) with the orders file's totals and state. */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "import.h"
#include "jsonl.h"
#include "jsonx.h"
#include "xalloc.h"

/* Copy each member of from that into lacks (objects: member by member). */
static void
fill(json_t *into, const json_t *from)
{
	const char *key;
	json_t *value, *have;

	json_object_foreach((json_t *)from, key, value) {
		have = json_object_get(into, key);
		if (have == NULL || json_is_null(have))
			jsonx_set_new(into, key, json_deep_copy(value));
		else if (json_is_object(have) && json_is_object(value))
			fill(have, value);
	}
}

void
import_etsy_merge(json_t *items, const json_t *orders)
{
	const json_t *totals;

	/* The items file's totals miss the coupon, which only the orders
	 * file has: its amounts are the order's. */
	if (json_is_object(totals = json_object_get(orders, "totals")))
		jsonx_set_new(items, "totals", json_deep_copy(totals));
	fill(items, orders);
}

void
import_etsy_hold(struct import_etsy *e, const char *layout, const char *text,
    size_t len)
{
	json_t *rec, **list;

	list = strcmp(layout, "etsy-orders") == 0 ? &e->orders : &e->items;
	if (*list == NULL && (*list = json_array()) == NULL)
		xnomem();
	if ((rec = json_loadb(text, len, 0, NULL)) == NULL)
		errx(EX_SOFTWARE, "a record made is not JSON");
	jsonx_append_new(*list, rec);
}

static int
same_id(const json_t *a, const json_t *b)
{
	const char *x = json_string_value(json_object_get(a, "id"));
	const char *y = json_string_value(json_object_get(b, "id"));

	return x != NULL && y != NULL && strcmp(x, y) == 0;
}

size_t
import_etsy_flush(struct import_etsy *e, FILE *fp)
{
	json_t *rec, *orders;
	size_t i, j, merged = 0;

	/* Few orders a run: a scan finds each one's other half. */
	json_array_foreach(e->items, i, rec) {
		json_array_foreach(e->orders, j, orders) {
			if (!same_id(rec, orders))
				continue;
			import_etsy_merge(rec, orders);
			if (json_array_remove(e->orders, j) == -1)
				xnomem();
			merged++;
			break;
		}
		jsonl_write(fp, rec);
	}
	json_array_foreach(e->orders, j, orders)
		jsonl_write(fp, orders);
	json_decref(e->items);
	json_decref(e->orders);
	e->items = e->orders = NULL;
	return merged;
}
