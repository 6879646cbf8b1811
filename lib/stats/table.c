/* table.c: the KPI cells of order-stats, and the integer arithmetic of
 * rates and averages. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "stats.h"
#include "xalloc.h"

char *
stats_percent(int64_t num, int64_t den, char *buf)
{
	int64_t hundredths;

	if (den <= 0 || num < 0) {
		strcpy(buf, "0.00");
		return buf;
	}
	/* num * 10000 / den, half up, without overflow for counts of
	 * orders (below 2^49) */
	hundredths = (num * 10000 * 2 + den) / (den * 2);
	snprintf(buf, 32, "%" PRId64 ".%02" PRId64, hundredths / 100,
	    hundredths % 100);
	return buf;
}

int64_t
stats_div(int64_t num, int64_t den)
{
	int64_t q, r;

	if (den <= 0)
		return 0;
	q = num / den;
	r = num % den;
	if (r < 0) {
		q--;
		r += den;
	}
	return r * 2 >= den ? q + 1 : q;
}

void
stats_table_init(struct stats_table *t)
{
	memset(t, 0, sizeof(*t));
	strmap_init(&t->index);
	arena_init(&t->text);
}

/* The index's key of a cell: a new string, the caller's to free(). */
static char *
cell_key(const char *period, const char *group, const char *kpi,
    const char *currency, size_t *lenp)
{
	size_t len = strlen(period) + strlen(group) + strlen(kpi) +
	    strlen(currency) + 4;
	char *key = xmalloc(len);

	snprintf(key, len, "%s\t%s\t%s\t%s", period, kpi, group, currency);
	*lenp = len - 1;
	return key;
}

struct stats_cell *
stats_find(const struct stats_table *t, const char *period,
    const char *group, const char *kpi, const char *currency)
{
	unsigned long *slot;
	size_t len;
	char *key = cell_key(period, group, kpi, currency != NULL ? currency :
	    "", &len);

	slot = strmap_find(&t->index, key, len);
	free(key);
	return slot != NULL ? &t->cells[*slot] : NULL;
}

struct stats_cell *
stats_cell(struct stats_table *t, const char *period, const char *group,
    const char *kpi, const char *currency, enum stats_kind kind)
{
	struct stats_cell *c;
	unsigned long *slot;
	char *key;
	size_t len;
	int added;

	if (currency == NULL)
		currency = "";
	key = cell_key(period, group, kpi, currency, &len);
	slot = strmap_put(&t->index, key, len, &added);
	free(key);
	if (!added)
		return &t->cells[*slot];
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->cells = xrealloc(t->cells, t->cap * sizeof(*t->cells));
	}
	*slot = t->n;
	c = &t->cells[t->n++];
	memset(c, 0, sizeof(*c));
	c->period = arena_strdup(&t->text, period);
	c->group = arena_strdup(&t->text, group);
	c->kpi = arena_strdup(&t->text, kpi);
	c->currency = arena_strdup(&t->text, currency);
	c->kind = kind;
	return c;
}

void
stats_cell_add(struct stats_cell *c, int64_t value)
{
	if (!c->overflow && money_add(c->sum, value, &c->sum) == -1)
		c->overflow = 1;
	c->n++;
}

static int
cmp(const void *a, const void *b)
{
	const struct stats_cell *x = a, *y = b;
	int d;

	if ((d = strcmp(x->period, y->period)) != 0 ||
	    (d = strcmp(x->kpi, y->kpi)) != 0 ||
	    (d = strcmp(x->group, y->group)) != 0)
		return d;
	return strcmp(x->currency, y->currency);
}

void
stats_table_sort(struct stats_table *t)
{
	/* the index's values are positions: no lookups after this; an empty
	 * table has no cells at all (qsort's NULL is undefined) */
	if (t->n > 1)
		qsort(t->cells, t->n, sizeof(*t->cells), cmp);
}

void
stats_table_release(struct stats_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		stats_sample_release(&t->cells[i].sample);
	free(t->cells);
	strmap_release(&t->index);
	arena_release(&t->text);
	memset(t, 0, sizeof(*t));
}
