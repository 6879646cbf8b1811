/* order-reserve: reserve stock for orders, all or nothing per order, and
 * release, commit or expire reservations. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>

#include "allow.h"
#include "cli.h"
#include "conf.h"
#include "jsonl.h"
#include "jsonx.h"
#include "ordercheck.h"
#include "pipeline.h"
#include "profile.h"
#include "reject.h"
#include "reserve.h"
#include "rfc3339.h"
#include "status.h"
#include "stock.h"
#include "store.h"
#include "strmap.h"
#include "valueblock.h"
#include "window.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: order-reserve [--allow CODE,...] [--batch N] [--config FILE]\n"
    "                     [--db PATH|URL] [--jobs N] [--now TIME] [--partial]\n"
    "                     [--progress | --no-progress] [--rejects FILE]\n"
    "                     [--split] [--stats[=json|FILE]] [--strict]\n"
    "                     [--ttl DURATION] [FILE ...]\n"
    "       order-reserve --release | --commit [--batch N] [--db PATH|URL]\n"
    "                     [--now TIME] [--progress | --no-progress]\n"
    "                     [--rejects FILE] [--stats[=json|FILE]] [--strict]\n"
    "                     [FILE ...]\n"
    "       order-reserve --expire [--db PATH|URL] [--now TIME]\n"
    "                     [--stats[=json|FILE]]\n";

#define OPT_ALLOW	'a'
#define OPT_BATCH	'b'
#define OPT_COMMIT	'c'
#define OPT_CONFIG	'C'
#define OPT_DB		'd'
#define OPT_EXPIRE	'e'
#define OPT_JOBS	'j'
#define OPT_NOW		'n'
#define OPT_PARTIAL	'p'
#define OPT_RELEASE	'R'
#define OPT_SPLIT	's'
#define OPT_TTL		't'

static const struct option longopts[] = {
	{ "allow",	required_argument, NULL, OPT_ALLOW },
	{ "batch",	required_argument, NULL, OPT_BATCH },
	{ "commit",	no_argument,	   NULL, OPT_COMMIT },
	{ "config",	required_argument, NULL, OPT_CONFIG },
	{ "db",		required_argument, NULL, OPT_DB },
	{ "expire",	no_argument,	   NULL, OPT_EXPIRE },
	CLI_OPT_HELP,
	{ "jobs",	required_argument, NULL, OPT_JOBS },
	CLI_OPT_NO_PROGRESS,
	{ "now",	required_argument, NULL, OPT_NOW },
	{ "partial",	no_argument,	   NULL, OPT_PARTIAL },
	CLI_OPT_PROGRESS,
	CLI_OPT_REJECTS,
	{ "release",	no_argument,	   NULL, OPT_RELEASE },
	{ "split",	no_argument,	   NULL, OPT_SPLIT },
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	{ "ttl",	required_argument, NULL, OPT_TTL },
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

/* --help: what the page says, a line each. */
static const struct cli_item help_options[] = {
	{ "--allow CODE,...", "pass an order with these errors, as warnings" },
	{ "--batch N", "at most N orders to a transaction" },
	{ "--commit", "the orders shipped: take their stock off hand" },
	{ "--config FILE", "the configuration: source profiles (orderkit.conf(5))" },
	{ "--db PATH|URL", "the store: a SQLite file or a postgresql:// URL" },
	{ "--expire", "end the reservations past their time; reads no input" },
	CLI_ITEM_HELP,
	{ "--jobs N", "accepted as order-validate takes it; one thread for now" },
	CLI_ITEM_NO_PROGRESS,
	{ "--now TIME", "the time of the run (RFC 3339)" },
	{ "--partial", "reserve what there is of an order short of stock" },
	CLI_ITEM_PROGRESS,
	CLI_ITEM_REJECTS,
	{ "--release", "the orders were cancelled: give their stock back" },
	{ "--split", "let an order ship from several warehouses" },
	CLI_ITEM_STATS,
	CLI_ITEM_STRICT,
	{ "--ttl DURATION", "reservations expire after DURATION" },
	CLI_ITEM_VERSION,
	{ NULL, NULL }
};
static const int help_exits[] = { 0, 64, 65, 66, 70, 71, 73, 74, 75, 78, -1 };
static const struct cli_help help_text = {
	"Reserve stock for orders; release, commit or expire reservations.",
	help_options, help_exits, "order-reserve(1)"
};

enum mode { RESERVE, RELEASE, COMMIT, EXPIRE };

enum outcome { PENDING, RESERVED, EXISTING, REJECTED };

struct job {
	json_t		*order;		/* owned */
	char		*id;
	const char	*source;	/* the order's, or "": an order is
					 * known by its source and id */
	char		*items;		/* "SKU\tQTY\n" sorted: its identity */
	struct reserve_order ro;	/* its needs; what it was given */
	json_t		*skipped;	/* the lines it does not ship, or
					 * NULL: the section's "skipped" */
	int		 offset;	/* of created_at, for expires_at */
	enum outcome	 outcome;
	json_t		*errors;	/* when REJECTED */
	json_t		*section;	/* the reservation section */
	char		*state;		/* "active", ...: of the section */
};

struct reserver {
	enum mode	 mode;
	int		 split, partial;
	int64_t		 ttl;		/* seconds, 0: none */
	int64_t		 now;
	size_t		 batch;
	struct stock_db	 db;
	struct stock_batch stock;	/* what the batch read */
	struct reject_stream rejects;
	struct allow	 allow;		/* --allow: errors waived */
	struct profile_set *profiles;	/* and each source's allow */
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

static json_t *
new_errors(void)
{
	json_t *e;

	if ((e = json_array()) == NULL)
		xnomem();
	return e;
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

/* The order's source (borrowed from it): "" when it has none, NULL when
 * it is not a text. */
static const char *
order_source(const json_t *order)
{
	const json_t *source = json_object_get(order, "source");

	if (source == NULL || json_is_null(source))
		return "";
	if (json_is_string(source) &&
	    strlen(json_string_value(source)) == json_string_length(source))
		return json_string_value(source);
	return NULL;
}

/* How messages name the job's order: its own id, and the source beside
 * it.  A new string. */
static char *
job_name(const struct job *j)
{
	size_t n = strlen(j->id) + strlen(j->source) + 8;
	char *name = xmalloc(n);

	if (*j->source == '\0')
		snprintf(name, n, "'%s'", j->id);
	else
		snprintf(name, n, "'%s' (%s)", j->id, j->source);
	return name;
}

static int
need_cmp(const void *a, const void *b)
{
	return strcmp(((const struct reserve_need *)a)->sku,
	    ((const struct reserve_need *)b)->sku);
}

/* Add qty of sku (of the order's item i) to the needs v[*n], one per
 * SKU. */
static void
add_need(struct reserve_need *v, size_t *n, const char *sku, int64_t qty,
    size_t i)
{
	size_t k;

	for (k = 0; k < *n; k++)
		if (strcmp(v[k].sku, sku) == 0)
			break;
	if (k == *n) {
		v[k].sku = sku;
		v[k].item = i;
		v[k].qty = 0;
		(*n)++;
	}
	v[k].qty += qty;
}

/* Whether sku is one: a text, not empty, without a NUL byte. */
static int
good_sku(const json_t *sku)
{
	return json_is_string(sku) && json_string_length(sku) > 0 &&
	    strlen(json_string_value(sku)) == json_string_length(sku);
}

/* Whether qty is a whole number from 1 to 1000000000. */
static int
good_qty(const json_t *qty)
{
	return json_is_integer(qty) && json_integer_value(qty) >= 1 &&
	    json_integer_value(qty) <= 1000000000;
}

/* Note item i, which the shop does not ship, in j->skipped:
 * {"item", "sku", "qty", "reason"}. */
static void
skip_item(struct job *j, const json_t *item, size_t i)
{
	const json_t *sku = json_object_get(item, "sku");
	const json_t *qty = json_object_get(item, "qty");
	json_t *entry;

	if (j->skipped == NULL && (j->skipped = json_array()) == NULL)
		xnomem();
	if ((entry = json_pack("{s:I}", "item", (json_int_t)i)) == NULL)
		xnomem();
	if (good_sku(sku))
		jsonx_set_new(entry, "sku",
		    json_string(json_string_value(sku)));
	if (json_is_integer(qty))
		jsonx_set_new(entry, "qty", json_integer(
		    json_integer_value(qty)));
	jsonx_set_new(entry, "reason", json_string(json_is_false(
	    json_object_get(item, "requires_shipping")) ? "no_shipping" :
	    "done_at_source"));
	jsonx_append_new(j->skipped, entry);
}

/* Read what a job needs from its order; problems go to j->errors.  To
 * close a reservation only the id counts.  A line the shop does not ship
 * (ordercheck_ships(): a gift card, a line that went out or was cancelled
 * at the source) needs no stock; it still counts in the order's identity,
 * so that a line fulfilled since does not make the order another. */
static void
prepare_job(struct job *j, enum mode mode)
{
	const json_t *items, *item, *sku, *qty, *addr;
	struct reserve_need *all;
	const char *created;
	char field[64];
	int64_t epoch;
	size_t i, k, len, cap, nall = 0;

	j->errors = new_errors();
	if ((j->id = order_id(j->order)) == NULL)
		reject_add(j->errors, "bad_id", "id", "the order has no id "
		    "(a text or a whole number)");
	if ((j->source = order_source(j->order)) == NULL)
		reject_add(j->errors, "bad_source", "source", "the order's "
		    "source is not a text");
	if (mode != RESERVE)
		return;
	/* A reject fed back to be tried again (a backorder after a
	 * restock): what the last try found is no longer so. */
	json_object_del(j->order, "errors");
	json_object_del(j->order, "rejected_by");
	json_object_del(j->order, "backorder");
	items = json_object_get(j->order, "items");
	if (!json_is_array(items) || json_array_size(items) == 0) {
		reject_add(j->errors, "no_items", "items",
		    "the order has no items");
		return;
	}
	j->ro.needs = xcalloc(json_array_size(items), sizeof(*j->ro.needs));
	all = xcalloc(json_array_size(items), sizeof(*all));
	json_array_foreach(items, i, item) {
		sku = json_object_get(item, "sku");
		qty = json_object_get(item, "qty");
		if (!ordercheck_ships(item)) {
			skip_item(j, item, i);
			if (good_sku(sku) && good_qty(qty))
				add_need(all, &nall, json_string_value(sku),
				    json_integer_value(qty), i);
			continue;
		}
		if (!good_sku(sku)) {
			snprintf(field, sizeof(field), "items[%zu].sku", i);
			reject_add(j->errors, "bad_sku", field,
			    "the item has no sku");
			continue;
		}
		if (!good_qty(qty)) {
			snprintf(field, sizeof(field), "items[%zu].qty", i);
			reject_add(j->errors, "bad_qty", field, "qty is not a "
			    "whole number from 1 to 1000000000");
			continue;
		}
		add_need(j->ro.needs, &j->ro.nneeds, json_string_value(sku),
		    json_integer_value(qty), i);
		add_need(all, &nall, json_string_value(sku),
		    json_integer_value(qty), i);
	}
	qsort(j->ro.needs, j->ro.nneeds, sizeof(*j->ro.needs), need_cmp);
	qsort(all, nall, sizeof(*all), need_cmp);
	cap = 64;
	j->items = xmalloc(cap);
	len = 0;
	for (k = 0; k < nall; k++) {
		size_t n = strlen(all[k].sku) + 24;

		while (len + n >= cap)
			j->items = xrealloc(j->items, cap *= 2);
		len += snprintf(j->items + len, cap - len, "%s\t%" PRId64 "\n",
		    all[k].sku, all[k].qty);
	}
	j->items[len] = '\0';
	free(all);
	addr = json_object_get(json_object_get(j->order, "shipping"),
	    "address");
	j->ro.region = json_string_value(json_object_get(addr, "region"));
	j->ro.country = json_string_value(json_object_get(addr, "country"));
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
	json_decref(j->skipped);
	reserve_order_release(&j->ro);
	free(j->id);
	free(j->items);
	free(j->ro.needs);
	free(j->state);
	memset(j, 0, sizeof(*j));
}

/* Reserve the job's needs from the batch's stock, or reject it: an order
 * short of stock is a backorder, saying what is missing and where. */
static void
allocate(struct reserver *rs, struct job *j)
{
	if (reserve_allocate(&rs->stock, &j->ro, rs->split, rs->partial,
	    j->errors) == 0) {
		j->outcome = RESERVED;
		return;
	}
	if (j->ro.missing != NULL) {
		status_move(j->order, "backorder", rs->now);
		jsonx_set_new(j->order, "backorder", j->ro.missing);
		j->ro.missing = NULL;
	}
	j->outcome = REJECTED;
}

/* The reservation section of a job just reserved (without its state). */
static json_t *
make_section(struct reserver *rs, struct job *j)
{
	json_t *section, *lines;
	char when[40];
	size_t k;

	section = json_object();
	lines = json_array();
	if (section == NULL || lines == NULL)
		xnomem();
	for (k = 0; k < j->ro.ntakes; k++) {
		const struct stock_take *t = &j->ro.takes[k];

		jsonx_append_new(lines, json_pack("{s:s,s:s,s:I}", "sku",
		    t->row->sku, "warehouse", t->row->warehouse, "qty",
		    (json_int_t)t->qty));
	}
	jsonx_set_new(section, "lines", lines);
	if (j->ro.backorder != NULL) {
		jsonx_set_new(section, "backorder", j->ro.backorder);
		j->ro.backorder = NULL;
	}
	if (j->skipped != NULL && json_object_set(section, "skipped",
	    j->skipped) == -1)
		xnomem();
	if (rs->ttl > 0) {
		rfc3339_format(rs->now + rs->ttl, j->offset, when,
		    sizeof(when));
		jsonx_set_new(section, "expires_at", json_string(when));
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
	jsonx_set_new(out, "state", json_string(state));
	json_object_foreach((json_t *)section, key, v)
		if (strcmp(key, "state") != 0 &&
		    json_object_set(out, key, v) == -1)
			xnomem();
	return out;
}

/* Read (and on PostgreSQL lock) the stock of every SKU the jobs need, the
 * warehouses, and the reservations the jobs' ids already have. */
static void
load_batch_state(struct reserver *rs, struct job *jobs, size_t n)
{
	const char **skus, **ids, **sources;
	size_t nskus = 0, nids = 0, cap, i, k;

	for (i = 0, cap = 0; i < n; i++)
		cap += jobs[i].ro.nneeds;
	skus = xcalloc(cap + 1, sizeof(*skus));
	ids = xcalloc(n + 1, sizeof(*ids));
	sources = xcalloc(n + 1, sizeof(*sources));
	for (i = 0; i < n; i++) {
		if (jobs[i].outcome != PENDING)
			continue;
		sources[nids] = jobs[i].source;
		ids[nids++] = jobs[i].id;
		for (k = 0; k < jobs[i].ro.nneeds; k++)
			skus[nskus++] = jobs[i].ro.needs[k].sku;
	}
	stock_batch_load(&rs->db, &rs->stock, sources, ids, nids, skus,
	    nskus);
	free(skus);
	free(ids);
	free(sources);
}

/* A repeated order: the reservation it has, or a reject if it changed. */
static void
repeat(struct job *j, const char *state, const char *items,
    const json_t *section)
{
	char *name;

	if (strcmp(items, j->items) != 0) {
		name = job_name(j);
		reject_addf(j->errors, "order_changed", "items", "order %s "
		    "was reserved with other items, and its reservation "
		    "stands as it was", name);
		free(name);
		j->outcome = REJECTED;
		return;
	}
	if (strcmp(state, "released") == 0 || strcmp(state, "expired") == 0) {
		name = job_name(j);
		reject_addf(j->errors, "reservation_closed", "id", "the "
		    "reservation of order %s was %s", name, state);
		free(name);
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
		/* every error waived: the order goes on unreserved, and its
		 * warnings say why */
		allow_apply(&rs->allow, profile_of(rs->profiles, j->order),
		    j->order, j->errors);
		if (json_array_size(j->errors) > 0)
			reject_write(&rs->rejects, j->order, j->errors);
		else {
			jsonl_write(stdout, j->order);
			rs->nout++;
		}
		return;
	}
	if (strcmp(j->state, "active") == 0)
		status_move(j->order, "reserved", rs->now);
	jsonx_set_new(j->order, "reservation", shown_section(j->state,
	    j->section));
	jsonl_write(stdout, j->order);
	rs->nout++;
}

static void
reserve_batch(struct reserver *rs, struct job *jobs, size_t n)
{
	struct strmap seen;
	struct stock_reservation *f;
	json_t *section, *shown;
	char *text, *record, *key = NULL;
	unsigned long first;
	size_t i, keycap = 0, keylen;

	strmap_init(&seen);
	store_begin(rs->db.st);
	load_batch_state(rs, jobs, n);
	for (i = 0; i < n; i++) {
		struct job *j = &jobs[i];

		if (j->outcome != PENDING)
			continue;
		/* The same order twice in a batch: the first decides. */
		keylen = strlen(j->source) + 1 + strlen(j->id);
		if (keylen + 1 > keycap)
			key = xrealloc(key, keycap = keylen + 1);
		memcpy(key, j->source, strlen(j->source) + 1);
		memcpy(key + strlen(j->source) + 1, j->id, strlen(j->id) + 1);
		if (!strmap_add(&seen, key, keylen, i, &first) &&
		    jobs[first].outcome != REJECTED) {
			repeat(j, jobs[first].state, jobs[first].items,
			    jobs[first].section);
			continue;
		}
		if ((f = stock_batch_reservation(&rs->stock, j->source,
		    j->id)) != NULL) {
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
		text = jsonx_text(j->section);
		record = NULL;
		if (rs->ttl > 0) {
			/* The order as written, for --expire to write out. */
			shown = shown_section("active", j->section);
			status_move(j->order, "reserved", rs->now);
			jsonx_set_new(j->order, "reservation", shown);
			record = jsonx_text(j->order);
		}
		stock_reservation_add(&rs->db, j->source, j->id, j->items,
		    text, record, rs->now, rs->ttl > 0 ? rs->now + rs->ttl : 0,
		    j->ro.takes, j->ro.ntakes);
		free(text);
		free(record);
	}
	/* The stock rows in key order, as they were locked. */
	stock_batch_save(&rs->db, &rs->stock);
	store_commit(rs->db.st);
	/* Only now, committed, is an order written as reserved. */
	for (i = 0; i < n; i++) {
		if (jobs[i].outcome != PENDING)
			write_job(rs, &jobs[i]);
	}
	strmap_release(&seen);
	free(key);
	stock_batch_release(&rs->stock);
}

/* --release, --commit: close the reservations of the jobs' orders. */
static void
close_batch(struct reserver *rs, struct job *jobs, size_t n)
{
	const char **ids, **sources;
	struct stock_reservation *f;
	json_t *section;
	const char *closed = rs->mode == RELEASE ? "released" : "committed";
	char *name;
	size_t i, nids = 0;

	ids = xcalloc(n + 1, sizeof(*ids));
	sources = xcalloc(n + 1, sizeof(*sources));
	for (i = 0; i < n; i++)
		if (jobs[i].outcome == PENDING) {
			sources[nids] = jobs[i].source;
			ids[nids++] = jobs[i].id;
		}
	store_begin(rs->db.st);
	stock_batch_lock_reservations(&rs->db, &rs->stock, sources, ids,
	    nids);
	stock_batch_close(&rs->db, &rs->stock, closed, rs->mode == COMMIT,
	    rs->now);
	store_commit(rs->db.st);
	for (i = 0; i < n; i++) {
		struct job *j = &jobs[i];

		if (j->outcome != PENDING) {
			write_job(rs, j);
			continue;
		}
		if ((f = stock_batch_reservation(&rs->stock, j->source,
		    j->id)) == NULL) {
			name = job_name(j);
			reject_addf(j->errors, "not_reserved", "id", "order %s "
			    "has no reservation", name);
			free(name);
			j->outcome = REJECTED;
		} else if (rs->mode == RELEASE &&
		    strcmp(f->state, "committed") == 0) {
			name = job_name(j);
			reject_addf(j->errors, "already_committed", "id",
			    "order %s has shipped: its stock is gone", name);
			free(name);
			j->outcome = REJECTED;
		} else if (rs->mode == COMMIT &&
		    strcmp(f->state, "committed") != 0) {
			name = job_name(j);
			reject_addf(j->errors, "reservation_closed", "id",
			    "the reservation of order %s was %s", name,
			    f->state);
			free(name);
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
				status_move(j->order, "cancelled", rs->now);
		}
		write_job(rs, j);
	}
	free(ids);
	free(sources);
	stock_batch_release(&rs->stock);
}

/* --expire: release what is past its time and write the orders out, a
 * batch at a time; a batch that cannot be written out is the last, so
 * that the rest wait for a run that can. */
static void
expire_all(struct reserver *rs)
{
	struct stock_reservation *f;
	json_t *order, *section;
	size_t i, n;

	do {
		store_begin(rs->db.st);
		n = stock_batch_expired(&rs->db, &rs->stock, rs->now,
		    rs->batch);
		stock_batch_close(&rs->db, &rs->stock, "expired", 0, rs->now);
		store_commit(rs->db.st);
		for (i = 0; i < rs->stock.nfound; i++) {
			f = &rs->stock.found[i];
			order = f->record != NULL ? jsonl_parse(f->record,
			    strlen(f->record), 0, NULL) : NULL;
			if (order == NULL || !json_is_object(order)) {
				json_decref(order);
				if ((order = json_pack("{s:s}", "id",
				    f->order_id)) == NULL)
					xnomem();
				if (*f->source != '\0')
					jsonx_set_new(order, "source",
					    json_string(f->source));
			}
			section = jsonl_parse(f->section, strlen(f->section),
			    0, NULL);
			if (section == NULL)
				errx(EX_SOFTWARE, "reservation of '%s' is not "
				    "JSON", f->order_id);
			status_move(order, "expired", rs->now);
			jsonx_set_new(order, "reservation",
			    shown_section("expired", section));
			jsonl_write(stdout, order);
			rs->nout++;
			json_decref(section);
			json_decref(order);
		}
		stock_batch_release(&rs->stock);
	} while (n == rs->batch && fflush(stdout) != EOF && !ferror(stdout));
}

/*
 * Reserving takes the oldest orders first, so it reads a window of all it
 * is given before it reserves any (lib/window.h): the input to its end, a
 * pause of PAUSE_MS, or WINDOW_MAX orders.  The other modes take the
 * input as it comes, a batch at a time.
 */
#define WINDOW_MAX	100000
#define PAUSE_MS	1000

/* Reserve (or close) the window's orders in its order, --batch to a
 * transaction: 0, or -1 when standard output failed. */
static int
run_window(struct reserver *rs, const struct jsonl_reader *in,
    struct window *w, struct job *jobs)
{
	const struct window_line *p;
	json_t *order;
	size_t i, to, k, n;

	for (i = 0; i < w->n; i = to) {
		to = window_chunk(w, i, rs->batch);
		for (n = 0, k = i; k < to; k++) {
			p = &w->v[k];
			if ((order = reject_record(&rs->rejects, in,
			    window_file(w, p), p->lineno, p->line,
			    p->len)) == NULL)
				continue;
			jobs[n].order = order;
			prepare_job(&jobs[n], rs->mode);
			if (json_array_size(jobs[n].errors) > 0) {
				jobs[n].outcome = REJECTED;
				write_job(rs, &jobs[n]);
				free_job(&jobs[n]);
				continue;
			}
			n++;
		}
		if (n == 0)
			continue;
		if (rs->mode == RESERVE)
			reserve_batch(rs, jobs, n);
		else
			close_batch(rs, jobs, n);
		for (k = 0; k < n; k++)
			free_job(&jobs[k]);
		if (fflush(stdout) == EOF)
			return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .usage = usage_text, .help = &help_text };
	struct reserver rs;
	struct jsonl_reader in;
	struct window w;
	struct job *jobs;
	const char *db = NULL, *config_path = NULL;
	struct conf *conf;
	char *end;
	long long v;
	int ch, status, offset, written, modes = 0, eof = 0;

	valueblock_install();
	memset(&rs, 0, sizeof(rs));
	allow_init(&rs.allow);
	rs.mode = RESERVE;
	rs.batch = 500;
	rs.now = (int64_t)time(NULL);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_ALLOW:
			if (allow_parse(&rs.allow, optarg) == -1)
				cli_usage_error(&cli, "--allow '%s' is not a "
				    "list of error codes", optarg);
			break;
		case OPT_CONFIG:
			config_path = optarg;
			break;
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
		case OPT_JOBS:
			/* Taken, for pipelines that give every program the
			 * same options: the store's work is one connection's
			 * in input order, and the rest stays beside it. */
			if (pipeline_jobs(optarg) == -1)
				cli_usage_error(&cli, "--jobs '%s' is not a "
				    "number from 1 to 1024", optarg);
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
	conf = conf_load(config_path);
	rs.profiles = profile_load(conf);
	if (rs.mode != EXPIRE)
		cli_need_input(&cli, argc - optind);
	reject_open(&rs.rejects, cli.rejects_path);
	stock_open(&rs.db, db);

	status = 0;
	memset(&in, 0, sizeof(in));
	if (rs.mode == EXPIRE)
		expire_all(&rs);
	else {
		jsonl_open(&in, argc - optind, argv + optind);
		jobs = xcalloc(rs.batch, sizeof(*jobs));
		if (rs.mode == RESERVE)
			window_init(&w, WINDOW_MAX, PAUSE_MS, "created_at");
		else
			window_init(&w, rs.batch, 0, NULL);
		while (!eof) {
			window_read(&w, &in, &eof);
			written = run_window(&rs, &in, &w, jobs);
			window_clear(&w);
			if (written == -1)
				break;
		}
		window_release(&w);
		free(jobs);
		status = jsonl_close(&in);
	}
	stock_close(&rs.db);
	profile_free(rs.profiles);
	conf_free(conf);
	allow_release(&rs.allow);
	valueblock_release();
	cli_count("read", in.nlines);
	cli_count("written", rs.nout);
	return cli_finish(&cli, status, &rs.rejects, "%lu read, %lu written, "
	    "%lu rejected", in.nlines, rs.nout, rs.rejects.count);
}
