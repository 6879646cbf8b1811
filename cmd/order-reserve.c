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
#include <unistd.h>

#include <jansson.h>

#include "arena.h"
#include "cli.h"
#include "jsonl.h"
#include "jsonx.h"
#include "reject.h"
#include "reserve.h"
#include "rfc3339.h"
#include "stock.h"
#include "store.h"
#include "strmap.h"
#include "valueblock.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: order-reserve [--batch N] [--db PATH|URL] [--now TIME] [--partial]\n"
    "                     [--progress | --no-progress] [--rejects FILE] [--split]\n"
    "                     [--stats[=json|FILE]] [--strict] [--ttl DURATION]\n"
    "                     [FILE ...]\n"
    "       order-reserve --release | --commit [--batch N] [--db PATH|URL]\n"
    "                     [--now TIME] [--progress | --no-progress]\n"
    "                     [--rejects FILE] [--stats[=json|FILE]] [--strict]\n"
    "                     [FILE ...]\n"
    "       order-reserve --expire [--db PATH|URL] [--now TIME]\n"
    "                     [--stats[=json|FILE]]\n";

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
	{ "--batch N", "at most N orders to a transaction" },
	{ "--commit", "the orders shipped: take their stock off hand" },
	{ "--db PATH|URL", "the store: a SQLite file or a postgresql:// URL" },
	{ "--expire", "end the reservations past their time; reads no input" },
	CLI_ITEM_HELP,
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
	if ((j->source = order_source(j->order)) == NULL)
		reject_add(j->errors, "bad_source", "source", "the order's "
		    "source is not a text");
	if (mode != RESERVE)
		return;
	/* A reject fed back to be tried again (a backorder after a
	 * restock): what the last try found is no longer so. */
	json_object_del(j->order, "errors");
	json_object_del(j->order, "backorder");
	items = json_object_get(j->order, "items");
	if (!json_is_array(items) || json_array_size(items) == 0) {
		reject_add(j->errors, "no_items", "items",
		    "the order has no items");
		return;
	}
	j->ro.needs = xcalloc(json_array_size(items), sizeof(*j->ro.needs));
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
		for (k = 0; k < j->ro.nneeds; k++)
			if (strcmp(j->ro.needs[k].sku,
			    json_string_value(sku)) == 0)
				break;
		if (k == j->ro.nneeds) {
			j->ro.needs[k].sku = json_string_value(sku);
			j->ro.needs[k].item = i;
			j->ro.nneeds++;
		}
		j->ro.needs[k].qty += json_integer_value(qty);
	}
	qsort(j->ro.needs, j->ro.nneeds, sizeof(*j->ro.needs), need_cmp);
	cap = 64;
	j->items = xmalloc(cap);
	len = 0;
	for (k = 0; k < j->ro.nneeds; k++) {
		size_t n = strlen(j->ro.needs[k].sku) + 24;

		while (len + n >= cap)
			j->items = xrealloc(j->items, cap *= 2);
		len += snprintf(j->items + len, cap - len, "%s\t%" PRId64 "\n",
		    j->ro.needs[k].sku, j->ro.needs[k].qty);
	}
	j->items[len] = '\0';
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
		jsonx_set_new(j->order, "status", json_string("backorder"));
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
		reject_write(&rs->rejects, j->order, j->errors);
		return;
	}
	if (strcmp(j->state, "active") == 0)
		jsonx_set_new(j->order, "status", json_string("reserved"));
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
		text = encode(j->section);
		record = NULL;
		if (rs->ttl > 0) {
			/* The order as written, for --expire to write out. */
			shown = shown_section("active", j->section);
			jsonx_set_new(j->order, "status",
			    json_string("reserved"));
			jsonx_set_new(j->order, "reservation", shown);
			record = encode(j->order);
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
				jsonx_set_new(j->order, "status",
				    json_string("cancelled"));
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
			jsonx_set_new(order, "status", json_string("expired"));
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

/* A line of the window, until its turn. */
struct pending {
	const char	*line;		/* its text (in the arena, or read
					 * again into the chunk), or NULL */
	long long	 offset;	/* where it lies in its input */
	size_t		 len;
	unsigned long	 lineno;
	int64_t		 when;		/* created_at in epoch seconds, or
					 * UNTIMED */
	uint32_t	 input;		/* of the window's inputs */
	uint32_t	 seq;		/* its place in the window */
};

#define UNTIMED		INT64_MAX	/* no created_at: after all others */

/* An input of the window's lines. */
struct window_input {
	int		 next;		/* the reader's, for the input */
	int		 fd;		/* our own to read a regular file's
					 * lines again, or -1: lines are kept */
	const char	*name;
	const char	*file;		/* its name in rejects, or NULL */
};

/*
 * The orders a run has read and not yet reserved.  Reserving takes the
 * oldest first, so it reads all it is given before it reserves any: the
 * input to its end, or until it pauses for PAUSE_MS (a stream such as
 * tail -f: what came so far is reserved now, not when the stream ends),
 * or WINDOW_MAX orders.  The other modes take the input as it comes, in
 * batches.  A line of a regular file is noted by its place and read
 * again when its turn comes, many to a read: memory a run first touches
 * costs more than reading the page cache again, and a file of a million
 * orders is not held whole.  A line of a pipe is kept.
 */
struct window {
	struct pending	*v;
	size_t		 n, cap;
	size_t		 max;
	int		 pause_ms;
	struct window_input *inputs;
	size_t		 ninputs;
	struct arena	 arena;		/* lines kept */
	char		*chunk;		/* lines read again, a chunk's */
	size_t		 chunkcap;
	struct pending	**order;	/* a chunk's lines by place */
	size_t		 ordercap;
};

#define WINDOW_MAX	100000
#define PAUSE_MS	1000
#define READ_GAP	16384		/* bytes read past rather than seek */
#define READ_SPAN	(4 << 20)	/* bytes a read at most */

/* The time the order of text[0..len-1] was placed, from its created_at,
 * in epoch seconds; UNTIMED when it has none (or the line is no JSON). */
static int64_t
order_time(const char *text, size_t len)
{
	const char *value;
	char buf[64];
	json_t *order = NULL;
	int64_t when = UNTIMED;
	size_t vlen;
	int found, offset;

	found = jsonl_peek(text, len, "created_at", &value, &vlen);
	if (found == -1) {
		/* The scan cannot tell (an escape, or no JSON): parse it. */
		order = jsonl_parse(text, len, JSON_REJECT_DUPLICATES, NULL);
		if ((value = json_string_value(json_object_get(order,
		    "created_at"))) != NULL) {
			found = 1;
			vlen = strlen(value);
		}
	}
	if (found == 1 && vlen < sizeof(buf)) {
		memcpy(buf, value, vlen);
		buf[vlen] = '\0';
		if (rfc3339_parse(buf, &when, &offset) == -1 || when == UNTIMED)
			when = UNTIMED;
	}
	json_decref(order);
	return when;
}

/* The oldest first, then those without a time; else in input order. */
static int
pending_cmp(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Put the window's lines in the order of their turns.  An export is most
 * often in time order already. */
static void
sort_window(struct window *w)
{
	size_t i;

	for (i = 1; i < w->n; i++)
		if (pending_cmp(&w->v[i - 1], &w->v[i]) > 0) {
			qsort(w->v, w->n, sizeof(*w->v), pending_cmp);
			return;
		}
}

/* The window's input for the reader's current one: a regular file gets
 * a descriptor of our own, to read its lines again after the reader has
 * gone on to the next. */
static size_t
window_input(struct window *w, const struct jsonl_reader *in)
{
	struct window_input *wi;

	if (w->ninputs > 0 && w->inputs[w->ninputs - 1].next == in->next)
		return w->ninputs - 1;
	w->inputs = xrealloc(w->inputs, (w->ninputs + 1) *
	    sizeof(*w->inputs));
	wi = &w->inputs[w->ninputs];
	wi->next = in->next;
	wi->name = in->name;
	wi->file = jsonl_input_name(in);
	wi->fd = -1;
	if (in->offset >= 0 && (wi->fd = dup(fileno(in->fp))) == -1 &&
	    errno != EMFILE)
		err(EX_OSERR, "cannot read '%s' again", in->name);
	return w->ninputs++;
}

/* Read the next window: what the input gives up to w->max lines, until it
 * pauses for w->pause_ms (0: until it has no whole line ready); *eof set
 * at the end of the input. */
static void
read_window(struct reserver *rs, struct jsonl_reader *in, struct window *w,
    int *eof)
{
	struct pending *p;
	char *line;
	size_t len;

	w->n = 0;
	while (w->n < w->max) {
		if (w->n > 0 && !jsonl_wait(in, w->pause_ms))
			break;
		if ((line = jsonl_line(in, &len)) == NULL) {
			*eof = 1;
			break;
		}
		if (w->n == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 256;
			w->v = xrealloc(w->v, w->cap * sizeof(*w->v));
		}
		p = &w->v[w->n];
		p->input = window_input(w, in);
		p->offset = in->offset;
		p->line = w->inputs[p->input].fd == -1 ?
		    arena_strndup(&w->arena, line, len) : NULL;
		p->len = len;
		p->lineno = in->lineno;
		p->seq = w->n++;
		p->when = rs->mode == RESERVE ? order_time(line, len) : UNTIMED;
	}
}

/* Close what the window read; it is empty again. */
static void
window_clear(struct window *w)
{
	size_t i;

	for (i = 0; i < w->ninputs; i++)
		if (w->inputs[i].fd != -1)
			close(w->inputs[i].fd);
	w->ninputs = 0;
	w->n = 0;
	arena_release(&w->arena);
}

static int
place_cmp(const void *a, const void *b)
{
	const struct pending *x = *(struct pending *const *)a;
	const struct pending *y = *(struct pending *const *)b;

	if (x->input != y->input)
		return x->input < y->input ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* The lines of w->order[i..n) that one read takes, from the first: those
 * of its file that follow it closely, up to READ_SPAN bytes.  Their end;
 * the bytes in [*start, *end). */
static size_t
read_group(const struct window *w, size_t i, size_t n, long long *start,
    long long *end)
{
	const struct pending *p = w->order[i], *q;
	size_t k;

	*start = p->offset;
	*end = p->offset + (long long)p->len;
	for (k = i + 1; k < n; k++) {
		q = w->order[k];
		if (q->input != p->input || q->offset > *end + READ_GAP ||
		    q->offset + (long long)q->len - *start > READ_SPAN)
			break;
		if (q->offset + (long long)q->len > *end)
			*end = q->offset + (long long)q->len;
	}
	return k;
}

/* Read again the lines of w->v[from..to) that were not kept, in their
 * files' order, lines near each other in one read, into w->chunk. */
static void
read_chunk(struct window *w, size_t from, size_t to)
{
	const struct window_input *wi;
	struct pending *q;
	size_t n = 0, i, k, at, need;
	long long start, end, got;
	ssize_t r;

	if (to - from > w->ordercap)
		w->order = xrealloc(w->order, (w->ordercap = to - from) *
		    sizeof(*w->order));
	for (i = from; i < to; i++)
		if (w->v[i].line == NULL)
			w->order[n++] = &w->v[i];
	for (i = 1; i < n; i++)
		if (place_cmp(&w->order[i - 1], &w->order[i]) > 0) {
			qsort(w->order, n, sizeof(*w->order), place_cmp);
			break;
		}
	for (i = 0, need = 0; i < n; i = k) {
		k = read_group(w, i, n, &start, &end);
		need += end - start;
	}
	if (need > w->chunkcap)
		w->chunk = xrealloc(w->chunk, w->chunkcap = need);
	for (i = 0, at = 0; i < n; i = k) {
		k = read_group(w, i, n, &start, &end);
		wi = &w->inputs[w->order[i]->input];
		for (got = 0; got < end - start; got += r) {
			r = pread(wi->fd, w->chunk + at + got,
			    end - start - got, start + got);
			if (r == -1 && errno == EINTR)
				r = 0;
			else if (r == -1)
				err(EX_IOERR, "cannot read '%s'", wi->name);
			else if (r == 0)
				errx(EX_IOERR, "cannot read '%s': it was cut "
				    "short while it was read", wi->name);
		}
		for (; i < k; i++) {
			q = w->order[i];
			q->line = w->chunk + at + (q->offset - start);
		}
		at += end - start;
	}
}

/* Reserve (or close) the window's orders in its order, --batch to a
 * transaction: 0, or -1 when standard output failed. */
static int
run_window(struct reserver *rs, const struct jsonl_reader *in,
    struct window *w, struct job *jobs)
{
	const struct pending *p;
	json_t *order;
	size_t i, to, k, n;

	for (i = 0; i < w->n; i = to) {
		to = w->n - i > rs->batch ? i + rs->batch : w->n;
		read_chunk(w, i, to);
		for (n = 0, k = i; k < to; k++) {
			p = &w->v[k];
			if ((order = reject_record(&rs->rejects, in,
			    w->inputs[p->input].file, p->lineno, p->line,
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
	const char *db = NULL;
	char *end;
	long long v;
	int ch, status, offset, written, modes = 0, eof = 0;

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
		memset(&w, 0, sizeof(w));
		if (rs.mode == RESERVE) {
			w.max = WINDOW_MAX;
			w.pause_ms = PAUSE_MS;
		} else
			w.max = rs.batch;
		while (!eof) {
			read_window(&rs, &in, &w, &eof);
			if (rs.mode == RESERVE)
				sort_window(&w);
			written = run_window(&rs, &in, &w, jobs);
			window_clear(&w);
			if (written == -1)
				break;
		}
		free(w.v);
		free(w.inputs);
		free(w.chunk);
		free(w.order);
		free(jobs);
		status = jsonl_close(&in);
	}
	stock_close(&rs.db);
	valueblock_release();
	cli_count("read", in.nlines);
	cli_count("written", rs.nout);
	return cli_finish(&cli, status, &rs.rejects, "%lu read, %lu written, "
	    "%lu rejected", in.nlines, rs.nout, rs.rejects.count);
}
