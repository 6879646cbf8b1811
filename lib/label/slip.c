/* slip.c: the lines of a packing slip from an order record. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "label.h"
#include "money.h"
#include "strmap.h"
#include "xalloc.h"

static const char *
str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s != NULL && *s != '\0' ? s : NULL;
}

/* s1 s2 s3 joined: a new string. */
static char *
cat3(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *s = xmalloc(n);

	snprintf(s, n, "%s%s%s", a, b, c);
	return s;
}

/* The item's variant values, "red / M": a new string, or NULL. */
static char *
variant(const json_t *item)
{
	const char *key;
	const json_t *v;
	char *s = NULL, *t;

	json_object_foreach(json_object_get(item, "variant"), key, v) {
		if (!json_is_string(v))
			continue;
		t = cat3(s ? s : "", s ? " / " : "", json_string_value(v));
		free(s);
		s = t;
	}
	return s;
}

/* Where the reservation keeps sku: "MSK A-12-3" (a new string), the
 * warehouse alone in *warehouse (borrowed), or NULL. */
static char *
where(const json_t *order, const char *sku, const char **warehouse)
{
	const json_t *lines = json_object_get(json_object_get(order,
	    "reservation"), "lines"), *rl;
	size_t k;

	json_array_foreach(lines, k, rl) {
		if (str(rl, "sku") == NULL || strcmp(str(rl, "sku"), sku) != 0 ||
		    str(rl, "warehouse") == NULL)
			continue;
		*warehouse = str(rl, "warehouse");
		return cat3(*warehouse, str(rl, "bin") ? " " : "",
		    str(rl, "bin") ? str(rl, "bin") : "");
	}
	return NULL;
}

static char *
keep(struct label_slip *sl, char *s)
{
	if (s != NULL)
		sl->owned[sl->nowned++] = s;
	return s;
}

void
label_slip_lines(struct label_slip *sl, const json_t *order, int exponent)
{
	const json_t *items = json_object_get(order, "items"), *it;
	size_t nitems = json_array_size(items), i, n = 0;
	int64_t total = 0, amount, *sums;
	const char *wh = NULL;
	struct strmap seen;
	unsigned long *slot;
	int ok = 1, added;

	sl->gift = json_is_true(json_object_get(order, "gift"));
	sl->lines = xcalloc(nitems + 1, sizeof(*sl->lines));
	sl->owned = xcalloc(3 * nitems + 1, sizeof(*sl->owned));
	sums = xcalloc(nitems + 1, sizeof(*sums));
	strmap_init(&seen);
	json_array_foreach(items, i, it) {
		const char *sku = str(it, "sku");
		json_int_t qty = json_integer_value(json_object_get(it, "qty"));
		json_int_t price = json_integer_value(json_object_get(it,
		    "unit_price"));
		struct label_slip_line *ln;

		if (sku == NULL)
			continue;
		slot = strmap_put(&seen, sku, strlen(sku), &added);
		if (added) {
			*slot = n;
			ln = &sl->lines[n++];
			ln->sku = sku;
			ln->name = str(it, "name");
			ln->variant = keep(sl, variant(it));
			ln->where = keep(sl, where(order, sku, &wh));
			if (sl->warehouse == NULL)
				sl->warehouse = wh;
		}
		ln = &sl->lines[*slot];
		ln->qty += qty;
		if (money_mul(price, qty, &amount) == -1 ||
		    money_add(total, amount, &total) == -1 ||
		    money_add(sums[*slot], amount, &sums[*slot]) == -1)
			ok = 0;
	}
	sl->nlines = n;
	for (i = 0; ok && !sl->gift && i < n; i++)
		sl->lines[i].amount = money_format(sums[i], exponent,
		    keep(sl, xmalloc(40)), 40);
	if (ok && !sl->gift)
		sl->total = money_format(total, exponent, keep(sl,
		    xmalloc(40)), 40);
	strmap_release(&seen);
	free(sums);
}

void
label_slip_release(struct label_slip *sl)
{
	size_t i;

	for (i = 0; i < sl->nowned; i++)
		free(sl->owned[i]);
	free(sl->owned);
	free(sl->lines);
	sl->owned = NULL;
	sl->lines = NULL;
	sl->nowned = sl->nlines = 0;
}
