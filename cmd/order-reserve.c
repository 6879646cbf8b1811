/* order-reserve: reserve stock for orders, all or nothing per order, and
 * release, commit or expire reservations. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "jsonl.h"
#include "reject.h"
#include "rfc3339.h"
#include "store.h"
#include "strmap.h"
#include "valueblock.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: order-reserve [--batch N] [--db PATH|URL] [--now TIME] [--partial]\n"
    "                     [--rejects FILE] [--split] [--stats] [--strict]\n"
    "                     [--ttl DURATION] [FILE ...]\n"
    "       order-reserve --release | --commit [--batch N] [--db PATH|URL]\n"
    "                     [--now TIME] [--rejects FILE] [--stats] [--strict]\n"
    "                     [FILE ...]\n"
    "       order-reserve --expire [--db PATH|URL] [--now TIME] [--stats]\n";

#define OPT_BATCH	'b'
#define OPT_COMMIT	'c'
#define OPT_DB		'd'
#define OPT_EXPIRE	'e'
#define OPT_NOW		'n'
#define OPT_PARTIAL	'p'
#define OPT_RELEASE	'R'
#define OPT_SPLIT	's'
#define OPT_TTL		't'

static const struct option longopts[] = {
	{ "batch",	required_argument, NULL, OPT_BATCH },
	{ "commit",	no_argument,	   NULL, OPT_COMMIT },
	{ "db",		required_argument, NULL, OPT_DB },
	{ "expire",	no_argument,	   NULL, OPT_EXPIRE },
	CLI_OPT_HELP,
	{ "now",	required_argument, NULL, OPT_NOW },
	{ "partial",	no_argument,	   NULL, OPT_PARTIAL },
	CLI_OPT_REJECTS,
	{ "release",	no_argument,	   NULL, OPT_RELEASE },
	{ "split",	no_argument,	   NULL, OPT_SPLIT },
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	{ "ttl",	required_argument, NULL, OPT_TTL },
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

enum mode { RESERVE, RELEASE, COMMIT, EXPIRE };

/* What the order needs of one SKU, its items added up. */
struct need {
	const char	*sku;		/* borrowed from the order */
	int64_t		 qty;
	size_t		 item;		/* its first item, for messages */
};

/* Stock of a SKU in a warehouse, as locked for the batch. */
struct stock {
	char		*sku, *warehouse;
	int64_t		 avail;		/* on hand less reserved, less taken */
	int64_t		 taken;		/* by this batch */
};

struct warehouse {
	char		*id;
	int64_t		 priority;
	char		*regions;	/* "A;B" */
	int		 serves;	/* the current order's region */
};

/* A line of the reservation: qty of a SKU from a warehouse. */
struct take {
	struct stock	*stock;
	int64_t		 qty;
};

enum outcome { PENDING, RESERVED, EXISTING, REJECTED };

struct job {
	json_t		*order;		/* owned */
	char		*id;
	char		*items;		/* "SKU\tQTY\n" sorted: its identity */
	struct need	*needs;
	size_t		 nneeds;
	const char	*region, *country;
	int		 offset;	/* of created_at, for expires_at */
	enum outcome	 outcome;
	json_t		*errors;	/* when REJECTED */
	json_t		*section;	/* the reservation section */
	char		*state;		/* "active", ...: of the section */
	struct take	*takes;
	size_t		 ntakes;
	json_t		*backorder;	/* --partial: what is missing */
};

/* A reservation found in the store. */
struct found {
	char		*id, *state, *items, *section, *record;
};

struct reserver {
	enum mode	 mode;
	int		 split, partial;
	int64_t		 ttl;		/* seconds, 0: none */
	int64_t		 now;
	size_t		 batch;
	struct store	*st;
	struct store_stmt *q_stock, *q_warehouses, *q_found, *q_found_lock;
	struct store_stmt *q_lines;
	struct store_stmt *ins_res, *ins_line, *upd_reserved, *upd_commit;
	struct store_stmt *q_idlock;	/* PostgreSQL: the batch's order ids */
	struct store_stmt *upd_state, *q_expired;
	struct reject_stream rejects;
	struct stock	*stock;
	size_t		 nstock;
	struct warehouse *whs;
	size_t		 nwhs;
	struct found	*found;
	size_t		 nfound;
	unsigned long	 nout;
};

/* Durations: 30s, 30m, 2h, 1d, 1w. */
static int
parse_duration(const char *s, int64_t *secs)
{
	char *end;
	long long n;
	int64_t unit;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || end == s || n <= 0 || n > 100000000LL ||
	    end[0] == '\0' || end[1] != '\0')
		return -1;
	switch (*end) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default: return -1;
	}
	*secs = n * unit;
	return 0;
}

/* Whether the input has a record for us without waiting: a batch is not
 * held open (nor the store locked) while a pipe is slow to say more. */
static int
input_waiting(struct jsonl_reader *in)
{
	struct pollfd pfd;

	if (in->fp == NULL)
		return 1;
#ifdef __GLIBC__
	if (in->fp->_IO_read_ptr < in->fp->_IO_read_end)
		return 1;
#endif
	pfd.fd = fileno(in->fp);
	pfd.events = POLLIN;
	return poll(&pfd, 1, 0) == 1;
}

static json_t *
new_errors(void)
{
	json_t *e;

	if ((e = json_array()) == NULL)
		xnomem();
	return e;
}

static void
set_new(json_t *obj, const char *key, json_t *value)
{
	if (json_object_set_new(obj, key, value) == -1)
		xnomem();
}

/* The order's id as text (not empty, no NUL byte), a new string; or
 * NULL. */
static char *
order_id(const json_t *order)
{
	char buf[JSONL_ID_BUF];
	const char *id;
	size_t len;

	id = jsonl_id_text(json_object_get(order, "id"), buf, &len);
	return id != NULL && len > 0 && strlen(id) == len ? xstrdup(id) : NULL;
}

static int
need_cmp(const void *a, const void *b)
{
	return strcmp(((const struct need *)a)->sku,
	    ((const struct need *)b)->sku);
}

/* Read what a job needs from its order; problems go to j->errors.  To
 * close a reservation only the id counts. */
static void
prepare_job(struct job *j, enum mode mode)
{
	const json_t *items, *item, *sku, *qty, *addr;
	const char *created;
	char field[64];
	int64_t epoch;
	size_t i, k, len, cap;

	j->errors = new_errors();
	if ((j->id = order_id(j->order)) == NULL)
		reject_add(j->errors, "bad_id", "id", "the order has no id "
		    "(a text or a whole number)");
	if (mode != RESERVE)
		return;
	items = json_object_get(j->order, "items");
	if (!json_is_array(items) || json_array_size(items) == 0) {
		reject_add(j->errors, "no_items", "items",
		    "the order has no items");
		return;
	}
	j->needs = xcalloc(json_array_size(items), sizeof(*j->needs));
	json_array_foreach(items, i, item) {
		sku = json_object_get(item, "sku");
		qty = json_object_get(item, "qty");
		if (!json_is_string(sku) || json_string_length(sku) == 0 ||
		    strlen(json_string_value(sku)) != json_string_length(sku)) {
			snprintf(field, sizeof(field), "items[%zu].sku", i);
			reject_add(j->errors, "bad_sku", field,
			    "the item has no sku");
			continue;
		}
		if (!json_is_integer(qty) || json_integer_value(qty) < 1 ||
		    json_integer_value(qty) > 1000000000) {
			snprintf(field, sizeof(field), "items[%zu].qty", i);
			reject_add(j->errors, "bad_qty", field, "qty is not a "
			    "whole number from 1 to 1000000000");
			continue;
		}
		for (k = 0; k < j->nneeds; k++)
			if (strcmp(j->needs[k].sku, json_string_value(sku)) == 0)
				break;
		if (k == j->nneeds) {
			j->needs[k].sku = json_string_value(sku);
			j->needs[k].item = i;
			j->nneeds++;
		}
		j->needs[k].qty += json_integer_value(qty);
	}
	qsort(j->needs, j->nneeds, sizeof(*j->needs), need_cmp);
	cap = 64;
	j->items = xmalloc(cap);
	len = 0;
	for (k = 0; k < j->nneeds; k++) {
		size_t n = strlen(j->needs[k].sku) + 24;

		while (len + n >= cap)
			j->items = xrealloc(j->items, cap *= 2);
		len += snprintf(j->items + len, cap - len, "%s\t%" PRId64 "\n",
		    j->needs[k].sku, j->needs[k].qty);
	}
	j->items[len] = '\0';
	addr = json_object_get(json_object_get(j->order, "shipping"),
	    "address");
	j->region = json_string_value(json_object_get(addr, "region"));
	j->country = json_string_value(json_object_get(addr, "country"));
	created = json_string_value(json_object_get(j->order, "created_at"));
	if (created == NULL || rfc3339_parse(created, &epoch, &j->offset) == -1)
		j->offset = 0;
}

static void
free_job(struct job *j)
{
	json_decref(j->order);
	json_decref(j->errors);
	json_decref(j->section);
	json_decref(j->backorder);
	free(j->id);
	free(j->items);
	free(j->needs);
	free(j->takes);
	free(j->state);
	memset(j, 0, sizeof(*j));
}

/* The stock of sku in warehouse wh, or NULL. */
static struct stock *
find_stock(struct reserver *rs, const char *sku, const char *wh)
{
	size_t lo = 0, hi = rs->nstock, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(rs->stock[mid].sku, sku);
		if (c == 0)
			c = strcmp(rs->stock[mid].warehouse, wh);
		if (c == 0)
			return &rs->stock[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Whether the SKU is stocked anywhere (has a row, even at 0). */
static int
known_sku(struct reserver *rs, const char *sku)
{
	size_t lo = 0, hi = rs->nstock, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(rs->stock[mid].sku, sku)) == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int64_t
avail(struct reserver *rs, const char *sku, const struct warehouse *w)
{
	struct stock *s = find_stock(rs, sku, w->id);

	return s == NULL ? 0 : s->avail;
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
	const struct warehouse *x = *(const struct warehouse *const *)a;
	const struct warehouse *y = *(const struct warehouse *const *)b;

	if (x->serves != y->serves)
		return y->serves - x->serves;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return strcmp(x->id, y->id);
}

static void
add_take(struct job *j, struct stock *s, int64_t qty)
{
	j->takes = xrealloc(j->takes, (j->ntakes + 1) * sizeof(*j->takes));
	j->takes[j->ntakes].stock = s;
	j->takes[j->ntakes++].qty = qty;
}

/* Take the whole of need n from warehouse w. */
static void
take_from(struct reserver *rs, struct job *j, const struct need *n,
    const struct warehouse *w, int64_t qty)
{
	add_take(j, find_stock(rs, n->sku, w->id), qty);
}

/* The reject of an order that cannot be reserved: per SKU, what is
 * missing and where some of it is. */
static void
reject_backorder(struct reserver *rs, struct job *j,
    struct warehouse **order, int split_only)
{
	json_t *list, *line, *where;
	char field[64];
	int64_t total, a;
	size_t k, w;

	list = json_array();
	for (k = 0; k < j->nneeds; k++) {
		const struct need *n = &j->needs[k];

		where = json_array();
		total = 0;
		for (w = 0; w < rs->nwhs; w++) {
			if ((a = avail(rs, n->sku, order[w])) <= 0)
				continue;
			total += a;
			json_array_append_new(where, json_pack("{s:s,s:I}",
			    "warehouse", order[w]->id, "qty", (json_int_t)a));
		}
		line = json_pack("{s:s,s:I,s:I,s:o}", "sku", n->sku,
		    "qty", (json_int_t)n->qty, "missing",
		    (json_int_t)(total >= n->qty ? 0 : n->qty - total),
		    "available", where);
		if (line == NULL || json_array_append_new(list, line) == -1)
			xnomem();
		if (total < n->qty) {
			snprintf(field, sizeof(field), "items[%zu]", n->item);
			reject_addf(j->errors, "backorder", field, "SKU '%s': %"
			    PRId64 " wanted, %" PRId64 " in stock", n->sku,
			    n->qty, total);
		}
	}
	if (split_only)
		reject_add(j->errors, "split_needed", "items", "no one "
		    "warehouse has all the items; --split would ship them in "
		    "several parcels");
	set_new(j->order, "status", json_string("backorder"));
	set_new(j->order, "backorder", list);
	j->outcome = REJECTED;
}

/* Allocate the job's needs from the batch's stock, or reject it. */
static void
allocate(struct reserver *rs, struct job *j)
{
	struct warehouse **order;
	int64_t rem, a, t, missing;
	size_t k, w, best, nbest, fill;
	int unknown = 0, complete;
	char field[64];

	for (k = 0; k < j->nneeds; k++) {
		if (!known_sku(rs, j->needs[k].sku)) {
			snprintf(field, sizeof(field), "items[%zu].sku",
			    j->needs[k].item);
			reject_addf(j->errors, "unknown_sku", field, "SKU '%s' "
			    "is not stocked in any warehouse",
			    j->needs[k].sku);
			unknown = 1;
		}
	}
	if (unknown) {
		j->outcome = REJECTED;
		return;
	}
	order = xcalloc(rs->nwhs + 1, sizeof(*order));
	for (w = 0; w < rs->nwhs; w++) {
		rs->whs[w].serves = serves(rs->whs[w].regions, j->region,
		    j->country);
		order[w] = &rs->whs[w];
	}
	qsort(order, rs->nwhs, sizeof(*order), warehouse_cmp);

	/* One parcel: the first warehouse that has everything. */
	for (w = 0; w < rs->nwhs; w++) {
		for (k = 0; k < j->nneeds; k++)
			if (avail(rs, j->needs[k].sku, order[w]) <
			    j->needs[k].qty)
				break;
		if (k == j->nneeds) {
			for (k = 0; k < j->nneeds; k++)
				take_from(rs, j, &j->needs[k], order[w],
				    j->needs[k].qty);
			goto done;
		}
	}
	/* Whether some SKU lacks stock in all the warehouses together. */
	for (k = 0, missing = 0; k < j->nneeds; k++) {
		for (w = 0, a = 0; w < rs->nwhs; w++)
			a += avail(rs, j->needs[k].sku, order[w]);
		if (a < j->needs[k].qty)
			missing = 1;
	}
	complete = 1;
	if (rs->split) {
		/* Each SKU whole from the preferred warehouse that has it
		 * all, else from the preferred warehouses in turn. */
		for (k = 0; k < j->nneeds; k++) {
			rem = j->needs[k].qty;
			for (w = 0; w < rs->nwhs; w++)
				if (avail(rs, j->needs[k].sku, order[w]) >= rem)
					break;
			if (w < rs->nwhs) {
				take_from(rs, j, &j->needs[k], order[w], rem);
				continue;
			}
			for (w = 0; w < rs->nwhs && rem > 0; w++) {
				if ((a = avail(rs, j->needs[k].sku,
				    order[w])) <= 0)
					continue;
				t = a < rem ? a : rem;
				take_from(rs, j, &j->needs[k], order[w], t);
				rem -= t;
			}
			if (rem > 0)
				complete = 0;
		}
		if (complete)
			goto done;
	}
	if (!rs->partial) {
		j->ntakes = 0;
		reject_backorder(rs, j, order, !missing && !rs->split);
		free(order);
		return;
	}
	if (!rs->split) {
		/* The warehouse that fills the most lines, whole. */
		best = 0;
		nbest = 0;
		for (w = 0; w < rs->nwhs; w++) {
			for (k = 0, fill = 0; k < j->nneeds; k++)
				fill += avail(rs, j->needs[k].sku, order[w]) >=
				    j->needs[k].qty;
			if (fill > nbest) {
				nbest = fill;
				best = w;
			}
		}
		for (k = 0; k < j->nneeds && nbest > 0; k++)
			if (avail(rs, j->needs[k].sku, order[best]) >=
			    j->needs[k].qty)
				take_from(rs, j, &j->needs[k], order[best],
				    j->needs[k].qty);
	}
	if (j->ntakes == 0) {
		/* Not a line whole in one warehouse: without --split, enough
		 * in several is still no parcel. */
		reject_backorder(rs, j, order, !missing && !rs->split);
		free(order);
		return;
	}
	/* What is not taken is backordered. */
	j->backorder = json_array();
	for (k = 0; k < j->nneeds; k++) {
		rem = j->needs[k].qty;
		for (w = 0; w < j->ntakes; w++)
			if (strcmp(j->takes[w].stock->sku, j->needs[k].sku) == 0)
				rem -= j->takes[w].qty;
		if (rem > 0)
			json_array_append_new(j->backorder, json_pack(
			    "{s:s,s:I}", "sku", j->needs[k].sku, "qty",
			    (json_int_t)rem));
	}
done:
	free(order);
	for (k = 0; k < j->ntakes; k++) {
		j->takes[k].stock->avail -= j->takes[k].qty;
		j->takes[k].stock->taken += j->takes[k].qty;
	}
	j->outcome = RESERVED;
}

/* The reservation section of a job just reserved (without its state). */
static json_t *
make_section(struct reserver *rs, struct job *j)
{
	json_t *section, *lines, *line;
	char when[40];
	size_t k;

	section = json_object();
	lines = json_array();
	if (section == NULL || lines == NULL)
		xnomem();
	for (k = 0; k < j->ntakes; k++) {
		line = json_pack("{s:s,s:s,s:I}", "sku", j->takes[k].stock->sku,
		    "warehouse", j->takes[k].stock->warehouse,
		    "qty", (json_int_t)j->takes[k].qty);
		if (line == NULL || json_array_append_new(lines, line) == -1)
			xnomem();
	}
	set_new(section, "lines", lines);
	if (j->backorder != NULL) {
		set_new(section, "backorder", j->backorder);
		j->backorder = NULL;
	}
	if (rs->ttl > 0) {
		rfc3339_format(rs->now + rs->ttl, j->offset, when,
		    sizeof(when));
		set_new(section, "expires_at", json_string(when));
	}
	return section;
}

/* The section as the order carries it: state first, then the rest. */
static json_t *
shown_section(const char *state, const json_t *section)
{
	json_t *out;
	const char *key;
	json_t *v;

	if ((out = json_object()) == NULL)
		xnomem();
	set_new(out, "state", json_string(state));
	json_object_foreach((json_t *)section, key, v)
		if (strcmp(key, "state") != 0 &&
		    json_object_set(out, key, v) == -1)
			xnomem();
	return out;
}

static char *
encode(const json_t *v)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;

	jsonl_encode(&buf, &cap, &len, v);
	buf = xrealloc(buf, len + 1);
	buf[len] = '\0';
	return buf;
}

static int
stock_cmp(const void *a, const void *b)
{
	const struct stock *x = a, *y = b;
	int c;

	if ((c = strcmp(x->sku, y->sku)) != 0)
		return c;
	return strcmp(x->warehouse, y->warehouse);
}

static int
found_cmp(const void *a, const void *b)
{
	return strcmp(((const struct found *)a)->id,
	    ((const struct found *)b)->id);
}

static void
free_batch_state(struct reserver *rs)
{
	size_t i;

	for (i = 0; i < rs->nstock; i++) {
		free(rs->stock[i].sku);
		free(rs->stock[i].warehouse);
	}
	for (i = 0; i < rs->nwhs; i++) {
		free(rs->whs[i].id);
		free(rs->whs[i].regions);
	}
	for (i = 0; i < rs->nfound; i++) {
		free(rs->found[i].id);
		free(rs->found[i].state);
		free(rs->found[i].items);
		free(rs->found[i].section);
		free(rs->found[i].record);
	}
	free(rs->stock);
	free(rs->whs);
	free(rs->found);
	rs->stock = NULL;
	rs->whs = NULL;
	rs->found = NULL;
	rs->nstock = rs->nwhs = rs->nfound = 0;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read (and on PostgreSQL lock) the stock of every SKU the jobs need, the
 * warehouses, and the reservations the jobs' ids already have. */
static void
load_batch_state(struct reserver *rs, struct job *jobs, size_t n)
{
	const char **skus, **ids;
	size_t nskus = 0, nids = 0, cap, i, k;

	for (i = 0, cap = 0; i < n; i++)
		cap += jobs[i].nneeds;
	skus = xcalloc(cap + 1, sizeof(*skus));
	ids = xcalloc(n + 1, sizeof(*ids));
	for (i = 0; i < n; i++) {
		if (jobs[i].outcome != PENDING)
			continue;
		ids[nids++] = jobs[i].id;
		for (k = 0; k < jobs[i].nneeds; k++)
			skus[nskus++] = jobs[i].needs[k].sku;
	}
	qsort(skus, nskus, sizeof(*skus), str_cmp);
	for (i = k = 0; i < nskus; i++)
		if (k == 0 || strcmp(skus[k - 1], skus[i]) != 0)
			skus[k++] = skus[i];
	nskus = k;

	/* Two processes reserving the same new order id lock no common stock
	 * row when the items differ, and both would insert it.  On
	 * PostgreSQL the ids are locked first, in one order for all, so the
	 * second finds the first's reservation; SQLite's BEGIN IMMEDIATE
	 * already makes writers take turns. */
	if (rs->q_idlock != NULL) {
		store_query(rs->q_idlock, "S", ids, nids);
		while (store_next(rs->q_idlock))
			;
	}
	store_query(rs->q_stock, "S", skus, nskus);
	cap = 0;
	while (store_next(rs->q_stock)) {
		if (rs->nstock == cap)
			rs->stock = xrealloc(rs->stock,
			    (cap = cap ? cap * 2 : 64) * sizeof(*rs->stock));
		rs->stock[rs->nstock].sku = xstrdup(store_text(rs->q_stock, 0));
		rs->stock[rs->nstock].warehouse =
		    xstrdup(store_text(rs->q_stock, 1));
		rs->stock[rs->nstock].avail = store_int(rs->q_stock, 2);
		rs->stock[rs->nstock++].taken = 0;
	}
	if (rs->nstock > 0)
		qsort(rs->stock, rs->nstock, sizeof(*rs->stock), stock_cmp);

	store_query(rs->q_warehouses, "");
	cap = 0;
	while (store_next(rs->q_warehouses)) {
		if (rs->nwhs == cap)
			rs->whs = xrealloc(rs->whs,
			    (cap = cap ? cap * 2 : 8) * sizeof(*rs->whs));
		rs->whs[rs->nwhs].id = xstrdup(store_text(rs->q_warehouses, 0));
		rs->whs[rs->nwhs].priority = store_int(rs->q_warehouses, 1);
		rs->whs[rs->nwhs++].regions =
		    xstrdup(store_text(rs->q_warehouses, 2));
	}

	store_query(rs->q_found, "S", ids, nids);
	cap = 0;
	while (store_next(rs->q_found)) {
		if (rs->nfound == cap)
			rs->found = xrealloc(rs->found,
			    (cap = cap ? cap * 2 : 16) * sizeof(*rs->found));
		rs->found[rs->nfound].id = xstrdup(store_text(rs->q_found, 0));
		rs->found[rs->nfound].state =
		    xstrdup(store_text(rs->q_found, 1));
		rs->found[rs->nfound].items =
		    xstrdup(store_text(rs->q_found, 2));
		rs->found[rs->nfound].section =
		    xstrdup(store_text(rs->q_found, 3));
		rs->found[rs->nfound++].record = NULL;
	}
	if (rs->nfound > 0)
		qsort(rs->found, rs->nfound, sizeof(*rs->found), found_cmp);
	free(skus);
	free(ids);
}

static struct found *
find_found(struct reserver *rs, const char *id)
{
	struct found key = { .id = (char *)id };

	if (rs->nfound == 0)
		return NULL;
	return bsearch(&key, rs->found, rs->nfound, sizeof(*rs->found),
	    found_cmp);
}

/* A repeated order: the reservation it has, or a reject if it changed. */
static void
repeat(struct job *j, const char *state, const char *items,
    const json_t *section)
{
	if (strcmp(items, j->items) != 0) {
		reject_addf(j->errors, "order_changed", "items", "order '%s' "
		    "was reserved with other items, and its reservation "
		    "stands as it was", j->id);
		j->outcome = REJECTED;
		return;
	}
	if (strcmp(state, "released") == 0 || strcmp(state, "expired") == 0) {
		reject_addf(j->errors, "reservation_closed", "id", "the "
		    "reservation of order '%s' was %s", j->id, state);
		j->outcome = REJECTED;
		return;
	}
	j->section = jsonl_copy(section);
	j->state = xstrdup(state);
	j->outcome = EXISTING;
}

static void
write_job(struct reserver *rs, struct job *j)
{
	if (j->outcome == REJECTED) {
		reject_write(&rs->rejects, j->order, j->errors);
		return;
	}
	if (strcmp(j->state, "active") == 0)
		set_new(j->order, "status", json_string("reserved"));
	set_new(j->order, "reservation", shown_section(j->state, j->section));
	jsonl_write(stdout, j->order);
	rs->nout++;
}

static void
reserve_batch(struct reserver *rs, struct job *jobs, size_t n)
{
	struct strmap seen;
	struct found *f;
	json_t *section, *shown;
	char *text, *record;
	unsigned long first;
	size_t i, k;

	strmap_init(&seen);
	store_begin(rs->st);
	load_batch_state(rs, jobs, n);
	for (i = 0; i < n; i++) {
		struct job *j = &jobs[i];

		if (j->outcome != PENDING)
			continue;
		/* The same id twice in a batch: the first decides. */
		if (!strmap_add(&seen, j->id, strlen(j->id), i, &first) &&
		    jobs[first].outcome != REJECTED) {
			repeat(j, jobs[first].state, jobs[first].items,
			    jobs[first].section);
			continue;
		}
		if ((f = find_found(rs, j->id)) != NULL) {
			if ((section = jsonl_parse(f->section,
			    strlen(f->section), 0, NULL)) == NULL)
				errx(EX_SOFTWARE, "reservation of '%s' is not "
				    "JSON", j->id);
			repeat(j, f->state, f->items, section);
			json_decref(section);
			continue;
		}
		allocate(rs, j);
		if (j->outcome != RESERVED)
			continue;
		j->section = make_section(rs, j);
		j->state = xstrdup("active");
		text = encode(j->section);
		record = NULL;
		if (rs->ttl > 0) {
			/* The order as written, for --expire to write out. */
			shown = shown_section("active", j->section);
			set_new(j->order, "status", json_string("reserved"));
			set_new(j->order, "reservation", shown);
			record = encode(j->order);
		}
		if (store_exec(rs->ins_res, "ssssii", j->id, j->items, text,
		    record, rs->now, rs->ttl > 0 ? rs->now + rs->ttl : 0) != 1)
			errx(EX_SOFTWARE, "cannot record the reservation of "
			    "'%s': %s", j->id, store_error(rs->st));
		free(text);
		free(record);
		for (k = 0; k < j->ntakes; k++)
			if (store_exec(rs->ins_line, "sssi", j->id,
			    j->takes[k].stock->sku,
			    j->takes[k].stock->warehouse,
			    j->takes[k].qty) != 1)
				errx(EX_SOFTWARE, "cannot record a line of '%s': "
				    "%s", j->id, store_error(rs->st));
	}
	/* The stock rows in key order, as they were locked. */
	for (k = 0; k < rs->nstock; k++)
		if (rs->stock[k].taken > 0 &&
		    store_exec(rs->upd_reserved, "ssi", rs->stock[k].sku,
		    rs->stock[k].warehouse, rs->stock[k].taken) != 1)
			errx(EX_SOFTWARE, "cannot reserve '%s' in '%s': %s",
			    rs->stock[k].sku, rs->stock[k].warehouse,
			    store_error(rs->st));
	store_commit(rs->st);
	/* Only now, committed, is an order written as reserved. */
	for (i = 0; i < n; i++) {
		if (jobs[i].outcome != PENDING)
			write_job(rs, &jobs[i]);
	}
	strmap_release(&seen);
	free_batch_state(rs);
}

/* Stock given back (or taken away) by closing reservations. */
struct delta {
	char		*sku, *warehouse;
	int64_t		 qty;
};

static int
delta_cmp(const void *a, const void *b)
{
	const struct delta *x = a, *y = b;
	int c;

	if ((c = strcmp(x->sku, y->sku)) != 0)
		return c;
	return strcmp(x->warehouse, y->warehouse);
}

/* Add the lines of reservation id to the deltas. */
static void
collect_lines(struct reserver *rs, const char *id, struct delta **d,
    size_t *n)
{
	store_query(rs->q_lines, "s", id);
	while (store_next(rs->q_lines)) {
		*d = xrealloc(*d, (*n + 1) * sizeof(**d));
		(*d)[*n].sku = xstrdup(store_text(rs->q_lines, 0));
		(*d)[*n].warehouse = xstrdup(store_text(rs->q_lines, 1));
		(*d)[(*n)++].qty = store_int(rs->q_lines, 2);
	}
}

/* Give back the deltas' stock: reserved goes down, and on hand too with
 * commit.  In key order, as order-reserve and stock-load lock rows, so
 * that no two processes deadlock on PostgreSQL. */
static void
apply_deltas(struct reserver *rs, struct delta *d, size_t n, int commit)
{
	size_t i, k;
	int64_t sum;

	if (n > 0)
		qsort(d, n, sizeof(*d), delta_cmp);
	for (i = 0; i < n; i = k) {
		for (k = i, sum = 0; k < n && delta_cmp(&d[i], &d[k]) == 0; k++)
			sum += d[k].qty;
		if (store_exec(commit ? rs->upd_commit : rs->upd_reserved,
		    "ssi", d[i].sku, d[i].warehouse, -sum) != 1)
			errx(EX_SOFTWARE, "cannot give back '%s' in '%s': %s",
			    d[i].sku, d[i].warehouse, store_error(rs->st));
	}
	for (i = 0; i < n; i++) {
		free(d[i].sku);
		free(d[i].warehouse);
	}
	free(d);
}

/* --release, --commit: close the reservations of the jobs' orders. */
static void
close_batch(struct reserver *rs, struct job *jobs, size_t n)
{
	const char **ids;
	struct found *f;
	struct delta *d = NULL;
	json_t *section;
	const char *closed = rs->mode == RELEASE ? "released" : "committed";
	size_t i, nids = 0, nd = 0;

	ids = xcalloc(n + 1, sizeof(*ids));
	for (i = 0; i < n; i++)
		if (jobs[i].outcome == PENDING)
			ids[nids++] = jobs[i].id;
	store_begin(rs->st);
	store_query(rs->q_found_lock, "S", ids, nids);
	while (store_next(rs->q_found_lock)) {
		rs->found = xrealloc(rs->found,
		    (rs->nfound + 1) * sizeof(*rs->found));
		f = &rs->found[rs->nfound++];
		f->id = xstrdup(store_text(rs->q_found_lock, 0));
		f->state = xstrdup(store_text(rs->q_found_lock, 1));
		f->items = xstrdup(store_text(rs->q_found_lock, 2));
		f->section = xstrdup(store_text(rs->q_found_lock, 3));
		f->record = NULL;
	}
	if (rs->nfound > 0)
		qsort(rs->found, rs->nfound, sizeof(*rs->found), found_cmp);
	for (i = 0; i < rs->nfound; i++) {
		f = &rs->found[i];
		if (strcmp(f->state, "active") != 0)
			continue;
		collect_lines(rs, f->id, &d, &nd);
		store_exec(rs->upd_state, "ssi", f->id, closed, rs->now);
		free(f->state);
		f->state = xstrdup(closed);
	}
	apply_deltas(rs, d, nd, rs->mode == COMMIT);
	store_commit(rs->st);
	for (i = 0; i < n; i++) {
		struct job *j = &jobs[i];

		if (j->outcome != PENDING) {
			write_job(rs, j);
			continue;
		}
		if ((f = find_found(rs, j->id)) == NULL) {
			reject_addf(j->errors, "not_reserved", "id", "order '%s' "
			    "has no reservation", j->id);
			j->outcome = REJECTED;
		} else if (rs->mode == RELEASE &&
		    strcmp(f->state, "committed") == 0) {
			reject_addf(j->errors, "already_committed", "id",
			    "order '%s' has shipped: its stock is gone", j->id);
			j->outcome = REJECTED;
		} else if (rs->mode == COMMIT &&
		    strcmp(f->state, "committed") != 0) {
			reject_addf(j->errors, "reservation_closed", "id",
			    "the reservation of order '%s' was %s", j->id,
			    f->state);
			j->outcome = REJECTED;
		} else {
			if ((section = jsonl_parse(f->section,
			    strlen(f->section), 0, NULL)) == NULL)
				errx(EX_SOFTWARE, "reservation of '%s' is not "
				    "JSON", j->id);
			j->section = section;
			j->state = xstrdup(f->state);
			j->outcome = EXISTING;
			if (rs->mode == RELEASE)
				set_new(j->order, "status",
				    json_string("cancelled"));
		}
		write_job(rs, j);
	}
	free(ids);
	free_batch_state(rs);
}

/* --expire: release what is past its time and write the orders out. */
static void
expire_all(struct reserver *rs)
{
	struct found *f;
	struct delta *d;
	json_t *order, *section;
	size_t i, nd;

	do {
		store_begin(rs->st);
		store_query(rs->q_expired, "ii", rs->now, (int64_t)rs->batch);
		while (store_next(rs->q_expired)) {
			rs->found = xrealloc(rs->found,
			    (rs->nfound + 1) * sizeof(*rs->found));
			f = &rs->found[rs->nfound++];
			f->id = xstrdup(store_text(rs->q_expired, 0));
			f->state = xstrdup("expired");
			f->items = NULL;
			f->section = xstrdup(store_text(rs->q_expired, 1));
			f->record = store_null(rs->q_expired, 2) ? NULL :
			    xstrdup(store_text(rs->q_expired, 2));
		}
		d = NULL;
		nd = 0;
		for (i = 0; i < rs->nfound; i++) {
			collect_lines(rs, rs->found[i].id, &d, &nd);
			store_exec(rs->upd_state, "ssi", rs->found[i].id,
			    "expired", rs->now);
		}
		apply_deltas(rs, d, nd, 0);
		store_commit(rs->st);
		for (i = 0; i < rs->nfound; i++) {
			f = &rs->found[i];
			order = f->record != NULL ? jsonl_parse(f->record,
			    strlen(f->record), 0, NULL) : NULL;
			if (order == NULL || !json_is_object(order)) {
				json_decref(order);
				order = json_pack("{s:s}", "id", f->id);
			}
			section = jsonl_parse(f->section, strlen(f->section),
			    0, NULL);
			if (order == NULL || section == NULL)
				errx(EX_SOFTWARE, "reservation of '%s' is not "
				    "JSON", f->id);
			set_new(order, "status", json_string("expired"));
			set_new(order, "reservation",
			    shown_section("expired", section));
			jsonl_write(stdout, order);
			rs->nout++;
			json_decref(section);
			json_decref(order);
		}
		i = rs->nfound;
		free_batch_state(rs);
	} while (i == rs->batch);
}

static void
prepare_statements(struct reserver *rs)
{
	struct store *st = rs->st;

	rs->q_stock = store_prepare(st,
	    "SELECT sku, warehouse, on_hand - reserved FROM stock"
	    " WHERE sku IN (SELECT value FROM json_each($1))",
	    "SELECT sku, warehouse, on_hand - reserved FROM stock"
	    " WHERE sku = ANY($1::text[])"
	    " ORDER BY sku COLLATE \"C\", warehouse COLLATE \"C\" FOR UPDATE");
	rs->q_warehouses = store_prepare(st,
	    "SELECT id, priority, regions FROM warehouses", NULL);
	/* Reserving reads reservations unlocked, having locked the stock;
	 * closing locks them first, then the stock. */
	rs->q_found = store_prepare(st,
	    "SELECT order_id, state, items, section FROM reservations"
	    " WHERE order_id IN (SELECT value FROM json_each($1))",
	    "SELECT order_id, state, items, section FROM reservations"
	    " WHERE order_id = ANY($1::text[])");
	rs->q_found_lock = store_prepare(st,
	    "SELECT order_id, state, items, section FROM reservations"
	    " WHERE order_id IN (SELECT value FROM json_each($1))",
	    "SELECT order_id, state, items, section FROM reservations"
	    " WHERE order_id = ANY($1::text[])"
	    " ORDER BY order_id COLLATE \"C\" FOR UPDATE");
	rs->q_lines = store_prepare(st,
	    "SELECT sku, warehouse, qty FROM reservation_lines"
	    " WHERE order_id = $1 ORDER BY sku, warehouse",
	    "SELECT sku, warehouse, qty FROM reservation_lines"
	    " WHERE order_id = $1"
	    " ORDER BY sku COLLATE \"C\", warehouse COLLATE \"C\"");
	rs->q_expired = store_prepare(st,
	    "SELECT order_id, section, record FROM reservations"
	    " WHERE state = 'active' AND expires_at <= $1"
	    " ORDER BY order_id LIMIT $2",
	    "SELECT order_id, section, record FROM reservations"
	    " WHERE state = 'active' AND expires_at <= $1"
	    " ORDER BY order_id COLLATE \"C\" LIMIT $2 FOR UPDATE");
	if (store_kind(st) == STORE_POSTGRES)
		rs->q_idlock = store_prepare(st,
		    "SELECT count(pg_advisory_xact_lock(h)) FROM"
		    " (SELECT DISTINCT hashtext(x) AS h FROM unnest($1::text[])"
		    " AS x ORDER BY 1) AS s", NULL);
	rs->ins_res = store_prepare(st,
	    "INSERT INTO reservations (order_id, state, items, section,"
	    " record, created_at, expires_at)"
	    " VALUES ($1, 'active', $2, $3, $4, $5, NULLIF($6, 0))", NULL);
	rs->ins_line = store_prepare(st,
	    "INSERT INTO reservation_lines (order_id, sku, warehouse, qty)"
	    " VALUES ($1, $2, $3, $4)", NULL);
	rs->upd_reserved = store_prepare(st,
	    "UPDATE stock SET reserved = reserved + $3"
	    " WHERE sku = $1 AND warehouse = $2", NULL);
	rs->upd_commit = store_prepare(st,
	    "UPDATE stock SET reserved = reserved + $3, on_hand = on_hand + $3"
	    " WHERE sku = $1 AND warehouse = $2", NULL);
	rs->upd_state = store_prepare(st,
	    "UPDATE reservations SET state = $2, closed_at = $3"
	    " WHERE order_id = $1", NULL);
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .usage = usage_text };
	struct reserver rs;
	struct jsonl_reader in;
	struct job *jobs;
	const char *db = NULL;
	char *where, *end;
	json_t *order;
	size_t n, i;
	long long v;
	int ch, status, offset, modes = 0, eof = 0;

	valueblock_install();
	memset(&rs, 0, sizeof(rs));
	rs.mode = RESERVE;
	rs.batch = 500;
	rs.now = (int64_t)time(NULL);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_BATCH:
			errno = 0;
			v = strtoll(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v < 1 || v > 100000)
				cli_usage_error(&cli, "--batch '%s' is not a "
				    "number from 1 to 100000", optarg);
			rs.batch = (size_t)v;
			break;
		case OPT_COMMIT:
			rs.mode = COMMIT;
			modes++;
			break;
		case OPT_DB:
			db = optarg;
			break;
		case OPT_EXPIRE:
			rs.mode = EXPIRE;
			modes++;
			break;
		case OPT_NOW:
			if (rfc3339_parse(optarg, &rs.now, &offset) == -1)
				cli_usage_error(&cli, "--now '%s' is not an RFC "
				    "3339 time with an offset", optarg);
			break;
		case OPT_PARTIAL:
			rs.partial = 1;
			break;
		case OPT_RELEASE:
			rs.mode = RELEASE;
			modes++;
			break;
		case OPT_SPLIT:
			rs.split = 1;
			break;
		case OPT_TTL:
			if (parse_duration(optarg, &rs.ttl) == -1)
				cli_usage_error(&cli, "--ttl '%s' is not a "
				    "duration such as 30m, 2h or 1d", optarg);
			break;
		default:
			cli_usage_error(&cli, NULL);
		}
	}
	if (modes > 1)
		cli_usage_error(&cli, "--release, --commit and --expire go "
		    "one at a time");
	if (rs.mode != RESERVE && (rs.split || rs.partial || rs.ttl))
		cli_usage_error(&cli, "--split, --partial and --ttl are for "
		    "reserving");
	if (rs.mode == EXPIRE && optind != argc)
		cli_usage_error(&cli, "--expire reads no input");
	reject_open(&rs.rejects, cli.rejects_path);
	where = store_locate(db);
	rs.st = store_open(where, store_stock_migrations,
	    store_stock_nmigrations);
	free(where);
	prepare_statements(&rs);

	status = 0;
	memset(&in, 0, sizeof(in));
	if (rs.mode == EXPIRE)
		expire_all(&rs);
	else {
		jsonl_open(&in, argc - optind, argv + optind);
		jobs = xcalloc(rs.batch, sizeof(*jobs));
		while (!eof) {
			/* A batch: what the input has ready, up to --batch. */
			n = 0;
			do {
				if ((order = reject_read(&rs.rejects, &in)) ==
				    NULL) {
					eof = 1;
					break;
				}
				jobs[n].order = order;
				prepare_job(&jobs[n], rs.mode);
				if (json_array_size(jobs[n].errors) > 0) {
					jobs[n].outcome = REJECTED;
					write_job(&rs, &jobs[n]);
					free_job(&jobs[n]);
					continue;
				}
				n++;
			} while (n < rs.batch && input_waiting(&in));
			if (n == 0)
				continue;
			if (rs.mode == RESERVE)
				reserve_batch(&rs, jobs, n);
			else
				close_batch(&rs, jobs, n);
			for (i = 0; i < n; i++)
				free_job(&jobs[i]);
			if (fflush(stdout) == EOF)
				break;
		}
		free(jobs);
		status = jsonl_close(&in);
	}
	store_close(rs.st);
	if (cli.stats)
		fprintf(stderr, "order-reserve: %lu read, %lu written, %lu "
		    "rejected\n", in.nlines, rs.nout, rs.rejects.count);
	if (reject_close(&rs.rejects) == -1 && status == 0)
		status = EX_IOERR;
	if (jsonl_finish(stdout, "<stdout>") == -1)
		status = EX_IOERR;
	valueblock_release();
	return cli_status(&cli, status, rs.rejects.count);
}
