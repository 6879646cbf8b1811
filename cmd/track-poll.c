/* track-poll: follow parcels at their carriers and write what changed. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "carrier.h"
#include "cli.h"
#include "conf.h"
#include "http.h"
#include "jsonl.h"
#include "reject.h"
#include "rfc3339.h"
#include "store.h"
#include "tracking.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: track-poll [--carrier NAME] [--config FILE] [--db PATH|URL]\n"
    "                  [--now TIME] [--rejects FILE] [--stats] [--strict]\n"
    "                  [--stuck DAYS] [FILE ...]\n"
    "       track-poll --webhook NAME [--config FILE] [--db PATH|URL]\n"
    "                  [--now TIME] [--rejects FILE] [--stats] [--strict]\n";

#define OPT_CARRIER	'c'
#define OPT_CONFIG	'C'
#define OPT_DB		'd'
#define OPT_NOW		'n'
#define OPT_STUCK	's'
#define OPT_WEBHOOK	'w'

static const struct option longopts[] = {
	{ "carrier",	required_argument, NULL, OPT_CARRIER },
	{ "config",	required_argument, NULL, OPT_CONFIG },
	{ "db",		required_argument, NULL, OPT_DB },
	CLI_OPT_HELP,
	{ "now",	required_argument, NULL, OPT_NOW },
	CLI_OPT_REJECTS,
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	{ "stuck",	required_argument, NULL, OPT_STUCK },
	CLI_OPT_VERSION,
	{ "webhook",	required_argument, NULL, OPT_WEBHOOK },
	{ NULL, 0, NULL, 0 }
};

/* Parcels polled together: a bound on memory, whatever the input. */
#define WINDOW	1000

/* An input line, while its parcels are polled. */
struct line {
	json_t		*record;	/* owned */
	json_t		*errors;	/* its rejects, or NULL */
	int		 plain;		/* {"order_id","carrier",...} */
};

/* A parcel of the window. */
struct item {
	struct tracking_parcel	 p;	/* carrier, number, record_key, ... */
	struct tracking_parcel	 stored;
	int			 known;
	struct line		*line;	/* NULL: from the store */
	char			*field;	/* of its number, for rejects */
	struct carrier		*via;	/* NULL: not polled */
	struct carrier_parcel	 cp;
};

struct adapter {
	const struct carrier_ops *ops;
	struct carrier		*c;
};

struct run {
	struct cli		 cli;
	struct conf		*conf;
	struct store		*st;
	struct tracking_db	 db;
	struct http		*http;
	struct reject_stream	 rejects;
	struct adapter		 adapters[16];
	size_t			 nadapters;
	const char		*config_arg, *db_arg, *webhook;
	char			*only;		/* --carrier, canonical */
	int64_t			 now;
	int64_t			 stuck;		/* seconds; 0: no --stuck */
	struct item		*items;
	size_t			 nitems;
	struct line		*lines;
	size_t			 nlines;
	int			 out_failed;	/* stdout could not be written */
	size_t			 cursor;	/* the next item to settle */
	int			 in_tx;		/* settling in a transaction */
	size_t			 in_tx_count;
	int64_t			 last_settled;	/* monotonic ms */
	int			 status;
	unsigned long		 nin, nchanged, nrejects, nproblems, ndown;
};

static void
set_new(json_t *obj, const char *key, json_t *v)
{
	if (json_object_set_new(obj, key, v) == -1)
		xnomem();
}

static json_t *
str_or_null(const char *s)
{
	json_t *v = s != NULL ? json_string(s) : json_null();

	if (v == NULL)
		xnomem();
	return v;
}

static char *
json_text(const json_t *v)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;

	jsonl_encode(&buf, &cap, &len, v);
	buf = xrealloc(buf, len + 1);	/* the encoder does not end it */
	buf[len] = '\0';
	return buf;
}

/* A record's id as text, not empty: a new string, or NULL. */
static char *
id_text(const json_t *v)
{
	char buf[JSONL_ID_BUF];
	const char *id;
	size_t len;

	id = jsonl_id_text(v, buf, &len);
	return id != NULL && len > 0 ? xstrdup(id) : NULL;
}

static void
worse(struct run *r, int status)
{
	static const int rank[] = { EX_DATAERR, EX_NOINPUT, EX_TEMPFAIL,
	    EX_UNAVAILABLE, EX_CONFIG, EX_IOERR };
	int a = -1, b = -1;
	size_t i;

	for (i = 0; i < sizeof(rank) / sizeof(rank[0]); i++) {
		if (rank[i] == r->status)
			a = (int)i;
		if (rank[i] == status)
			b = (int)i;
	}
	if (b > a)
		r->status = status;
}

/* --- which adapter polls a carrier ---------------------------------------- */

static struct carrier *
instance(struct run *r, const struct carrier_ops *ops)
{
	size_t i;

	for (i = 0; i < r->nadapters; i++)
		if (r->adapters[i].ops == ops)
			return r->adapters[i].c;
	if (r->nadapters == sizeof(r->adapters) / sizeof(r->adapters[0]))
		errx(EX_SOFTWARE, "too many carrier adapters");
	r->adapters[r->nadapters].ops = ops;
	r->adapters[r->nadapters].c = carrier_new(ops, r->conf, r->http,
	    &r->db, r->now);
	return r->adapters[r->nadapters++].c;
}

static int
aggregator(const char *name)
{
	return strcmp(name, "aftership") == 0 ||
	    strcmp(name, "easypost") == 0;
}

/* The adapter for carrier name: its via, its own, or AfterShip's when it
 * is configured; NULL when none. */
static struct carrier *
resolve(struct run *r, const char *name)
{
	const struct carrier_ops *ops;
	const char *via;
	char kn[128];

	via = conf_get(r->conf, "carrier", name, "via");
	if (via != NULL && *via != '\0') {
		if (!aggregator(via) || (ops = carrier_adapter(via)) == NULL)
			errx(EX_CONFIG, "%s '%s' is neither aftership nor "
			    "easypost", conf_keyname("carrier", name, "via",
			    kn, sizeof(kn)), via);
		return instance(r, ops);
	}
	if ((ops = carrier_adapter(name)) != NULL)
		return instance(r, ops);
	if (conf_get(r->conf, "carrier", "aftership", "key") != NULL &&
	    (ops = carrier_adapter("aftership")) != NULL)
		return instance(r, ops);
	return NULL;
}

/* --- input lines into items ----------------------------------------------- */

static struct item *
new_item(struct run *r)
{
	struct item *it;

	if (r->nitems == WINDOW)
		errx(EX_SOFTWARE, "window overflow");
	it = &r->items[r->nitems++];
	memset(it, 0, sizeof(*it));
	return it;
}

static void
add_error(json_t **errors, const char *code, const char *field,
    const char *msg)
{
	if (*errors == NULL && (*errors = json_array()) == NULL)
		xnomem();
	reject_add(*errors, code, field, msg);
}

static char *
plain_key(const char *carrier, const char *number)
{
	size_t len = strlen(carrier) + strlen(number) + 2;
	char *key = xmalloc(len);

	snprintf(key, len, "%s:%s", carrier, number);
	return key;
}

/* The number of parcels a record names (at least 1). */
static size_t
count_parcels(const json_t *rec)
{
	size_t n = json_array_size(carrier_json_get(rec, "shipment.parcels"));

	return n > 0 ? n : 1;
}

/* The parcels of a record into items: an order's shipment.parcels[] (or
 * its shipping.tracking), or a plain line's tracking_number. */
static void
take_line(struct run *r, struct line *l)
{
	const json_t *rec = l->record, *shipment, *parcels, *pv;
	const char *carrier = NULL, *pcarrier, *number, *phone;
	char field[64], msg[160], *order_id;
	struct item *it;
	size_t i, n;

	shipment = json_object_get(rec, "shipment");
	parcels = json_object_get(shipment, "parcels");
	order_id = id_text(json_object_get(rec, "id"));
	phone = carrier_json_str(rec, "customer.phone");
	if (order_id == NULL && json_is_string(json_object_get(rec,
	    "tracking_number"))) {
		l->plain = 1;
		order_id = id_text(json_object_get(rec, "order_id"));
		phone = carrier_json_str(rec, "phone");
		carrier = carrier_json_str(rec, "carrier");
	}
	if (carrier == NULL)
		carrier = carrier_json_str(shipment, "carrier");
	if (carrier == NULL)
		carrier = carrier_json_str(rec, "shipping.carrier");
	if (carrier == NULL)
		carrier = r->only;
	n = l->plain ? 1 : count_parcels(rec);
	for (i = 0; i < n; i++) {
		pcarrier = carrier;
		if (l->plain) {
			number = carrier_json_str(rec, "tracking_number");
			snprintf(field, sizeof(field), "tracking_number");
		} else if (json_array_size(parcels) > 0) {
			pv = json_array_get(parcels, i);
			number = carrier_json_str(pv, "tracking_number");
			snprintf(field, sizeof(field),
			    "shipment.parcels[%zu].tracking_number", i);
			if (carrier_json_str(pv, "carrier") != NULL)
				pcarrier = carrier_json_str(pv, "carrier");
		} else {
			number = carrier_json_str(rec, "shipping.tracking");
			snprintf(field, sizeof(field), "shipping.tracking");
		}
		if (number == NULL || *number == '\0') {
			add_error(&l->errors, "no_tracking_number", field,
			    "no tracking number to follow");
			continue;
		}
		if (pcarrier == NULL || *pcarrier == '\0') {
			snprintf(msg, sizeof(msg), "no carrier for tracking "
			    "number '%s'", number);
			add_error(&l->errors, "no_carrier", l->plain ?
			    "carrier" : "shipment.carrier", msg);
			continue;
		}
		it = new_item(r);
		it->line = l;
		it->field = xstrdup(field);
		it->p.carrier = carrier_canonical(pcarrier);
		it->p.number = xstrdup(number);
		it->p.order_id = order_id != NULL ? xstrdup(order_id) : NULL;
		it->p.phone = phone != NULL ? xstrdup(phone) : NULL;
		it->p.record_key = order_id != NULL ? xstrdup(order_id) :
		    plain_key(it->p.carrier, number);
	}
	free(order_id);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
copy_parcel(struct tracking_parcel *to, const struct tracking_parcel *from)
{
	*to = *from;
	to->carrier = dup_or_null(from->carrier);
	to->number = dup_or_null(from->number);
	to->record_key = dup_or_null(from->record_key);
	to->order_id = dup_or_null(from->order_id);
	to->phone = dup_or_null(from->phone);
	to->status = dup_or_null(from->status);
	to->code = dup_or_null(from->code);
	to->text = dup_or_null(from->text);
	to->time = dup_or_null(from->time);
	to->location = dup_or_null(from->location);
	to->message = dup_or_null(from->message);
}

/* --- what changed, written ------------------------------------------------ */

/* An order's status from its parcels', moved only forward along
 * labelled, shipped, delivered, with returning after them all. */
static const char *
order_status(const char *current, int nparcels, int ndelivered,
    int nmoving, int nreturning)
{
	static const char *const before[] = { "new", "validated", "reserved",
	    "paid", "cod", "booked", "labelled" };
	const char *to = NULL;
	int rank_from = -1, rank_to;
	size_t i;

	if (nreturning > 0)
		to = "returning";
	else if (nparcels > 0 && ndelivered == nparcels)
		to = "delivered";
	else if (nmoving > 0)
		to = "shipped";
	if (to == NULL || current == NULL)
		return to;
	for (i = 0; i < sizeof(before) / sizeof(before[0]); i++)
		if (strcmp(current, before[i]) == 0)
			rank_from = 0;
	if (strcmp(current, "shipped") == 0)
		rank_from = 1;
	else if (strcmp(current, "delivered") == 0)
		rank_from = 2;
	else if (strcmp(current, "returning") == 0)
		rank_from = 3;
	rank_to = strcmp(to, "shipped") == 0 ? 1 :
	    strcmp(to, "delivered") == 0 ? 2 : 3;
	return rank_from >= 0 && rank_to > rank_from ? to : NULL;
}

struct parcels_acc {
	json_t	*list;
	int	 n, delivered, moving, returning;
};

static void
add_parcel(const struct tracking_parcel *p, void *arg)
{
	struct parcels_acc *a = arg;
	enum carrier_status s = carrier_status_parse(p->status);
	json_t *o;

	o = json_pack("{s:s,s:o,s:o}", "tracking_number", p->number,
	    "status", str_or_null(p->status), "at", str_or_null(p->time));
	if (o == NULL || json_array_append_new(a->list, o) == -1)
		xnomem();
	a->n++;
	if (s == CARRIER_DELIVERED)
		a->delivered++;
	if (s == CARRIER_RETURN_TO_SENDER)
		a->returning++;
	if (s == CARRIER_IN_TRANSIT || s == CARRIER_OUT_FOR_DELIVERY ||
	    s == CARRIER_AVAILABLE_FOR_PICKUP || s == CARRIER_FAILED_ATTEMPT ||
	    s == CARRIER_DELIVERED || s == CARRIER_EXCEPTION)
		a->moving++;
}

static json_t *
event_json(const struct carrier_event *e, int64_t at, int offset)
{
	char buf[40];
	json_t *o;

	o = json_pack("{s:o,s:o,s:o,s:o,s:{s:o,s:o}}",
	    "at", str_or_null(e->has_time || at != INT64_MIN ?
	    rfc3339_format(e->has_time ? e->at : at, e->has_time ? e->offset :
	    offset, buf, sizeof(buf)) : NULL),
	    "status", str_or_null(carrier_status_name(e->status)),
	    "location", str_or_null(e->location),
	    "message", str_or_null(e->message),
	    "carrier_status", "code", str_or_null(e->code),
	    "text", str_or_null(e->text));
	if (o == NULL)
		xnomem();
	return o;
}

/* The record a change of a parcel from the store is written with. */
static json_t *
stored_record(struct run *r, const struct tracking_parcel *p, int *plain)
{
	char *text;
	json_t *rec = NULL;

	if ((text = tracking_record(&r->db, p->record_key)) != NULL) {
		rec = json_loads(text, 0, NULL);
		free(text);
	}
	if (!json_is_object(rec)) {
		json_decref(rec);
		rec = json_object();
		if (rec == NULL)
			xnomem();
		if (p->order_id != NULL)
			set_new(rec, "order_id", json_string(p->order_id));
		set_new(rec, "carrier", json_string(p->carrier));
		set_new(rec, "tracking_number", json_string(p->number));
	}
	*plain = json_object_get(rec, "id") == NULL;
	return rec;
}

static void
write_change(struct run *r, struct item *it, const struct tracking_parcel *n)
{
	const struct carrier_parcel *cp = &it->cp;
	struct parcels_acc acc = { 0 };
	const char *to;
	json_t *rec, *t, *events;
	char *text;
	int plain;
	size_t i;

	if (it->line != NULL) {
		rec = json_incref(it->line->record);
		plain = it->line->plain;
	} else
		rec = stored_record(r, &it->p, &plain);
	if ((events = json_array()) == NULL ||
	    (acc.list = json_array()) == NULL)
		xnomem();
	for (i = 0; i < cp->nevents; i++) {
		const struct carrier_event *e = &cp->events[i];

		if (it->stored.printed_at == INT64_MIN ||
		    (e->has_time && e->at > it->stored.printed_at))
			if (json_array_append_new(events,
			    event_json(e, INT64_MIN, 0)) == -1)
				xnomem();
	}
	if (cp->nevents == 0 && json_array_append_new(events,
	    event_json(&cp->now, n->event_at, 0)) == -1)
		xnomem();
	tracking_each_of_record(&r->db, n->record_key, add_parcel, &acc);
	t = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:{s:o,s:o},s:o,s:o}",
	    "tracking_number", n->number,
	    "status", n->status,
	    "previous_status", str_or_null(it->stored.status),
	    "at", str_or_null(n->time),
	    "location", str_or_null(n->location),
	    "message", str_or_null(n->message),
	    "carrier_status", "code", str_or_null(n->code),
	    "text", str_or_null(n->text),
	    "events", events,
	    "parcels", acc.list);
	if (t == NULL)
		xnomem();
	set_new(rec, "tracking", t);
	if (!plain && (to = order_status(json_string_value(
	    json_object_get(rec, "status")), acc.n, acc.delivered, acc.moving,
	    acc.returning)) != NULL)
		set_new(rec, "status", json_string(to));
	text = json_text(rec);
	if (fputs(text, stdout) == EOF || putchar('\n') == EOF)
		r->out_failed = 1;
	tracking_set_record(&r->db, n->record_key, text);
	free(text);
	json_decref(rec);
	r->nchanged++;
}

/* Compare what the carrier says with what the store knew; remember it, and
 * write the record when the status changed. */
static void
settle(struct run *r, struct item *it)
{
	const struct carrier_parcel *cp = &it->cp;
	const struct tracking_parcel *old = &it->stored;
	struct tracking_parcel n;
	int64_t at, known_at;
	int nnew = 0, fails = 0, changed;
	char buf[40];
	size_t i;

	at = cp->now.has_time ? cp->now.at : r->now;
	if (old->has_event && at < old->event_at)
		return;			/* older news than the store has */
	known_at = old->has_event ? old->event_at : INT64_MIN;
	for (i = 0; i < cp->nevents; i++) {
		const struct carrier_event *e = &cp->events[i];

		if (e->has_time ? e->at > known_at : known_at == INT64_MIN) {
			nnew++;
			fails += e->status == CARRIER_FAILED_ATTEMPT;
		}
	}
	if (cp->nevents == 0 && at > known_at) {
		nnew = 1;
		fails = cp->now.status == CARRIER_FAILED_ATTEMPT;
	}
	memset(&n, 0, sizeof(n));
	n.carrier = it->p.carrier;
	n.number = it->p.number;
	n.record_key = old->record_key != NULL ? old->record_key :
	    it->p.record_key;
	n.status = (char *)carrier_status_name(cp->now.status);
	n.code = cp->now.code;
	n.text = cp->now.text;
	n.time = rfc3339_format(at, cp->now.has_time ? cp->now.offset : 0,
	    buf, sizeof(buf));
	n.location = cp->now.location;
	n.message = cp->now.message;
	n.event_at = at;
	n.has_event = 1;
	n.printed_at = at;
	n.event_seq = old->event_seq + (nnew > 0);
	n.failed_attempts = old->failed_attempts + fails;
	n.final = carrier_status_final(cp->now.status);
	changed = old->status == NULL || strcmp(old->status, n.status) != 0;
	if (!changed) {
		if (nnew > 0)
			tracking_quiet(&r->db, &n);
		return;
	}
	if (tracking_change(&r->db, &n, old->status))
		write_change(r, it, &n);
}

static int
by_parcel(const void *a, const void *b)
{
	const struct item *x = *(const struct item *const *)a;
	const struct item *y = *(const struct item *const *)b;
	int c = strcmp(x->p.carrier, y->p.carrier);

	return c != 0 ? c : strcmp(x->p.number, y->p.number);
}

static int
by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Lock (PostgreSQL) the rows the changes of the window's items from the
 * cursor on may touch, in order. */
static void
lock_rest(struct run *r)
{
	const char **cs, **ns, **ks;
	struct item **v;
	size_t i, n = 0;

	if (store_kind(r->st) != STORE_POSTGRES)
		return;
	v = xcalloc(r->nitems + 1, sizeof(*v));
	for (i = r->cursor; i < r->nitems; i++)
		if (r->items[i].via != NULL)
			v[n++] = &r->items[i];
	qsort(v, n, sizeof(*v), by_parcel);
	cs = xcalloc(n + 1, sizeof(*cs));
	ns = xcalloc(n + 1, sizeof(*ns));
	ks = xcalloc(n + 1, sizeof(*ks));
	for (i = 0; i < n; i++) {
		cs[i] = v[i]->p.carrier;
		ns[i] = v[i]->p.number;
		ks[i] = v[i]->stored.record_key != NULL ?
		    v[i]->stored.record_key : v[i]->p.record_key;
	}
	qsort(ks, n, sizeof(*ks), by_string);
	tracking_lock(&r->db, cs, ns, n, ks, n);
	free(v);
	free(cs);
	free(ns);
	free(ks);
}

/* Commit what was settled once standard output has taken it: a failed
 * write rolls it back and leaves it for the next run. */
static void
commit_settled(struct run *r)
{
	if (!r->in_tx)
		return;
	if (fflush(stdout) == EOF || ferror(stdout))
		r->out_failed = 1;
	if (r->out_failed)
		store_rollback(r->st);
	else
		store_commit(r->st);
	r->in_tx = 0;
	r->in_tx_count = 0;
}

/* Settle the items whose answers are in, in input order, while the calls
 * for the others are still in flight (or all, at the end). */
static void
settle_ready(struct run *r, int all)
{
	struct item *it;

	while (r->cursor < r->nitems && !r->out_failed) {
		it = &r->items[r->cursor];
		if (!all && it->via != NULL &&
		    it->cp.outcome == CARRIER_PENDING)
			break;
		if (it->cp.outcome == CARRIER_TRACKED &&
		    it->cp.now.status != CARRIER_NONE) {
			if (!r->in_tx) {
				store_begin(r->st);
				r->in_tx = 1;
				lock_rest(r);
			}
			settle(r, it);
			r->in_tx_count++;
		}
		r->cursor++;
		r->last_settled = mono_ms();
		if (r->in_tx_count >= 500)
			commit_settled(r);
	}
}

/* http_run()'s hook: settle what came back; a transaction left open
 * while a slow carrier is waited for is committed after 250 ms. */
static void
on_progress(void *arg)
{
	struct run *r = arg;

	settle_ready(r, 0);
	if (r->in_tx && mono_ms() - r->last_settled > 250)
		commit_settled(r);
}

/* Settle and commit all that is left of the window. */
static void
apply(struct run *r)
{
	settle_ready(r, 1);
	if (!r->in_tx && !r->out_failed) {
		/* Nothing settled: still flush what problems wrote. */
		if (fflush(stdout) == EOF || ferror(stdout))
			r->out_failed = 1;
	}
	commit_settled(r);
}

/* --- a window of parcels -------------------------------------------------- */

struct stored_ctx {
	struct item	**v;		/* sorted by parcel */
	size_t		  n;
};

/* A row tracking_add_many() returns: to every item of that parcel. */
static void
take_added(const struct tracking_parcel *p, void *arg)
{
	struct stored_ctx *x = arg;
	struct item key, *kp = &key, **hit;
	size_t i;

	key.p.carrier = p->carrier;
	key.p.number = p->number;
	hit = bsearch(&kp, x->v, x->n, sizeof(*x->v), by_parcel);
	if (hit == NULL)
		return;
	for (i = hit - x->v; i > 0 && by_parcel(&x->v[i - 1], &kp) == 0; i--)
		;
	for (; i < x->n && by_parcel(&x->v[i], &kp) == 0; i++) {
		tracking_parcel_release(&x->v[i]->stored);
		copy_parcel(&x->v[i]->stored, p);
		x->v[i]->known = 1;
	}
}

struct rec_of_line {
	const char	*key;
	struct line	*line;
	size_t		 order;
};

/* By key, the later line first. */
static int
by_key_later(const void *a, const void *b)
{
	const struct rec_of_line *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->order < y->order ? 1 : x->order > y->order ? -1 : 0;
}

/* Remember the window's parcels and records before any call, so that those
 * of a carrier that is down are polled again next run: a statement for all
 * the parcels, one for all the records. */
static void
remember(struct run *r)
{
	struct stored_ctx x;
	struct rec_of_line *recs;
	const struct tracking_parcel **ps;
	const char **keys, **texts;
	char **owned;
	size_t i, n = 0, nk = 0, nr = 0;

	x.v = xcalloc(r->nitems + 1, sizeof(*x.v));
	for (i = 0; i < r->nitems; i++)
		x.v[i] = &r->items[i];
	x.n = r->nitems;
	qsort(x.v, x.n, sizeof(*x.v), by_parcel);
	ps = xcalloc(x.n + 1, sizeof(*ps));
	for (i = 0; i < x.n; i++)
		if (i == 0 || by_parcel(&x.v[i - 1], &x.v[i]) != 0)
			ps[n++] = &x.v[i]->p;
	/* A record per line; for a key given twice, the later line's. */
	recs = xcalloc(r->nitems + 1, sizeof(*recs));
	for (i = 0; i < r->nitems; i++)
		if (i == 0 || r->items[i].line != r->items[i - 1].line) {
			recs[nr].key = r->items[i].p.record_key;
			recs[nr].line = r->items[i].line;
			recs[nr].order = nr;
			nr++;
		}
	qsort(recs, nr, sizeof(*recs), by_key_later);
	keys = xcalloc(nr + 1, sizeof(*keys));
	texts = xcalloc(nr + 1, sizeof(*texts));
	owned = xcalloc(nr + 1, sizeof(*owned));
	for (i = 0; i < nr; i++) {
		if (i > 0 && strcmp(recs[i].key, recs[i - 1].key) == 0)
			continue;
		keys[nk] = recs[i].key;
		texts[nk] = owned[nk] = json_text(recs[i].line->record);
		nk++;
	}
	free(recs);
	store_begin(r->st);
	tracking_add_many(&r->db, ps, n, r->now, take_added, &x);
	tracking_set_records(&r->db, keys, texts, nk);
	store_commit(r->st);
	for (i = 0; i < nk; i++)
		free(owned[i]);
	free(owned);
	free(keys);
	free(texts);
	free(ps);
	free(x.v);
}

static void
poll_window(struct run *r)
{
	struct carrier_parcel **batch;
	struct carrier *c;
	size_t a, i, n, size;

	batch = xcalloc(r->nitems + 1, sizeof(*batch));
	for (a = 0; a < r->nadapters; a++) {
		c = r->adapters[a].c;
		size = c->ops->batch > 0 ? c->ops->batch : 1;
		for (i = n = 0; i < r->nitems; i++) {
			if (r->items[i].via != c)
				continue;
			batch[n++] = &r->items[i].cp;
			if (n == size) {
				c->ops->track(c, batch, n);
				n = 0;
			}
		}
		if (n > 0)
			c->ops->track(c, batch, n);
	}
	free(batch);
	http_run(r->http);
}

static void
reject_item(struct run *r, struct item *it, const char *code,
    const char *msg)
{
	json_t *rec, *errors = NULL;
	int plain;

	if (it->line != NULL) {
		add_error(&it->line->errors, code, it->field, msg);
		return;
	}
	rec = stored_record(r, &it->p, &plain);
	add_error(&errors, code, "tracking_number", msg);
	reject_write(&r->rejects, rec, errors);
	r->nrejects++;
	json_decref(errors);
	json_decref(rec);
}

static void
free_window(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nitems; i++) {
		tracking_parcel_release(&r->items[i].p);
		tracking_parcel_release(&r->items[i].stored);
		carrier_parcel_release(&r->items[i].cp);
		free(r->items[i].field);
	}
	for (i = 0; i < r->nlines; i++) {
		json_decref(r->lines[i].record);
		json_decref(r->lines[i].errors);
	}
	r->nitems = r->nlines = 0;
}

static void
process_window(struct run *r, int from_input)
{
	struct item *it;
	char msg[256];
	size_t i;

	for (i = 0; i < r->nitems; i++) {
		it = &r->items[i];
		if (r->only != NULL && strcmp(it->p.carrier, r->only) != 0)
			continue;
		if ((it->via = resolve(r, it->p.carrier)) == NULL) {
			snprintf(msg, sizeof(msg), "no adapter for carrier "
			    "'%s', and no [carrier \"aftership\"] key to "
			    "track it through AfterShip", it->p.carrier);
			reject_item(r, it, "unknown_carrier", msg);
		}
	}
	if (from_input)
		remember(r);
	for (i = 0; i < r->nitems; i++) {
		it = &r->items[i];
		it->cp.number = it->p.number;
		it->cp.phone = it->p.phone != NULL ? it->p.phone :
		    it->stored.phone;
		it->cp.name = it->p.carrier;
		it->cp.owner = it;
	}
	r->cursor = 0;
	r->last_settled = mono_ms();
	http_set_hook(r->http, on_progress, r);
	poll_window(r);
	http_set_hook(r->http, NULL, NULL);
	for (i = 0; i < r->nitems; i++) {
		it = &r->items[i];
		if (it->via == NULL)
			continue;
		if (it->cp.outcome == CARRIER_REJECTED)
			reject_item(r, it, it->cp.error_code, it->cp.error);
		else if (it->cp.outcome == CARRIER_PENDING)
			r->ndown++;
	}
	apply(r);
	for (i = 0; i < r->nlines; i++)
		if (r->lines[i].errors != NULL) {
			reject_write(&r->rejects, r->lines[i].record,
			    r->lines[i].errors);
			r->nrejects++;
		}
	free_window(r);
}

/* --- the three ways in ---------------------------------------------------- */

static void
read_input(struct run *r, struct jsonl_reader *in)
{
	struct line *l;
	json_t *rec;

	while (!r->out_failed && (rec = reject_read(&r->rejects, in)) != NULL) {
		r->nin++;
		if (r->nlines == WINDOW ||
		    r->nitems + count_parcels(rec) > WINDOW)
			process_window(r, 1);
		l = &r->lines[r->nlines++];
		memset(l, 0, sizeof(*l));
		l->record = rec;
		if (count_parcels(rec) > WINDOW) {
			add_error(&l->errors, "too_many_parcels",
			    "shipment.parcels", "more parcels than one run "
			    "polls together");
			continue;
		}
		take_line(r, l);
	}
	if (r->nitems > 0 || r->nlines > 0)
		process_window(r, 1);
	r->nrejects += in->nlines - r->nin;	/* bad_json lines */
}

static void
take_stored(const struct tracking_parcel *p, void *arg)
{
	struct run *r = arg;
	struct item *it = new_item(r);

	copy_parcel(&it->p, p);
	copy_parcel(&it->stored, p);
	it->known = 1;
}

static void
poll_store(struct run *r)
{
	char *after_c = NULL, *after_n = NULL;
	size_t n;

	do {
		n = tracking_each_open(&r->db, r->only, after_c, after_n,
		    WINDOW, take_stored, r);
		if (n == 0)
			break;
		free(after_c);
		free(after_n);
		after_c = xstrdup(r->items[r->nitems - 1].p.carrier);
		after_n = xstrdup(r->items[r->nitems - 1].p.number);
		process_window(r, 0);
	} while (n == WINDOW && !r->out_failed);
	free(after_c);
	free(after_n);
}

/* The body of a webhook as a CGI program gets it: CONTENT_LENGTH bytes,
 * else all of standard input. */
static char *
read_body(size_t *lenp)
{
	const char *cl = getenv("CONTENT_LENGTH");
	size_t want = SIZE_MAX, len = 0, cap = 0;
	char *buf = NULL, *end;
	size_t n;

	if (cl != NULL && *cl != '\0') {
		errno = 0;
		want = strtoul(cl, &end, 10);
		if (errno != 0 || *end != '\0')
			errx(EX_DATAERR, "CONTENT_LENGTH '%s' is not a number",
			    cl);
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if (cap > (64u << 20))
				errx(EX_DATAERR, "webhook body larger than "
				    "64 MiB");
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + len, 1, want - len < cap - len - 1 ?
		    want - len : cap - len - 1, stdin);
		len += n;
		if (n == 0 || len == want)
			break;
	}
	if (ferror(stdin))
		err(EX_IOERR, "cannot read the webhook body");
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

static void
run_webhook(struct run *r)
{
	const struct carrier_ops *ops;
	struct carrier_push push;
	struct carrier *c;
	struct item *it;
	enum carrier_webhook_result res;
	char why[512], *body, *text;
	json_t *rec;
	size_t len;

	if ((ops = carrier_adapter(r->webhook)) == NULL || ops->webhook == NULL)
		cli_usage_error(&r->cli, "--webhook takes easypost, aftership "
		    "or cdek, not '%s'", r->webhook);
	c = instance(r, ops);
	body = read_body(&len);
	memset(&push, 0, sizeof(push));
	why[0] = '\0';
	res = ops->webhook(c, body, len, &push, why, sizeof(why));
	if (res == CARRIER_PUSH_FORGED)
		errx(EX_NOPERM, "%s", why);
	if (res == CARRIER_PUSH_BAD) {
		reject_line(&r->rejects, NULL, 1, body, len, "bad_webhook", why);
		r->nrejects++;
	}
	free(body);
	if (res != CARRIER_PUSH_OK) {
		carrier_push_release(&push);
		return;
	}
	r->nin++;
	it = new_item(r);
	it->p.carrier = carrier_canonical(push.carrier);
	it->p.number = xstrdup(push.number);
	if (!tracking_get(&r->db, it->p.carrier, it->p.number, &it->stored) &&
	    tracking_get_number(&r->db, it->p.number, &it->stored)) {
		free(it->p.carrier);
		it->p.carrier = xstrdup(it->stored.carrier);
	}
	if (it->stored.carrier == NULL) {
		/* A parcel the store does not know: a plain line. */
		it->p.order_id = dup_or_null(push.parcel.order_id);
		it->p.record_key = it->p.order_id != NULL ?
		    xstrdup(it->p.order_id) :
		    plain_key(it->p.carrier, it->p.number);
		text = tracking_record(&r->db, it->p.record_key);
		if (text == NULL) {
			rec = json_object();
			if (rec == NULL)
				xnomem();
			if (it->p.order_id != NULL)
				set_new(rec, "order_id",
				    json_string(it->p.order_id));
			set_new(rec, "carrier", json_string(it->p.carrier));
			set_new(rec, "tracking_number",
			    json_string(it->p.number));
			text = json_text(rec);
			json_decref(rec);
		} else {
			free(text);
			text = NULL;
		}
		store_begin(r->st);
		tracking_add(&r->db, &it->p, text, r->now, NULL);
		store_commit(r->st);
		free(text);
		tracking_get(&r->db, it->p.carrier, it->p.number, &it->stored);
	} else {
		it->p.record_key = dup_or_null(it->stored.record_key);
		it->p.order_id = dup_or_null(it->stored.order_id);
	}
	it->known = 1;
	it->via = c;
	it->cp = push.parcel;
	memset(&push.parcel, 0, sizeof(push.parcel));
	carrier_push_release(&push);
	r->cursor = 0;
	apply(r);
	free_window(r);
}

/* --- problems for the staff ----------------------------------------------- */

static void
write_problem(struct run *r, const struct tracking_parcel *p,
    const char *code)
{
	char buf[40];
	json_t *o;

	o = json_pack("{s:s,s:s,s:o,s:s,s:s,s:o,s:o}", "type", "problem",
	    "code", code, "order_id", str_or_null(p->order_id),
	    "carrier", p->carrier, "tracking_number", p->number,
	    "status", str_or_null(p->status),
	    "since", str_or_null(p->time != NULL ? p->time :
	    rfc3339_format(p->first_seen, 0, buf, sizeof(buf))));
	if (o == NULL)
		xnomem();
	if (jsonl_write(stdout, o) == -1)
		r->out_failed = 1;
	json_decref(o);
	r->nproblems++;
}

static void
take_problem(const struct tracking_parcel *p, void *arg)
{
	struct run *r = arg;
	int64_t since = p->has_event ? p->event_at : p->first_seen;

	if (r->out_failed)
		return;
	if (p->stuck_seq != p->event_seq && since <= r->now - r->stuck &&
	    tracking_claim_stuck(&r->db, p))
		write_problem(r, p, "stuck");
	if (p->failed_attempts >= 2 &&
	    p->failed_attempts > p->failed_reported &&
	    tracking_claim_failed(&r->db, p))
		write_problem(r, p, "failed_attempts");
}

static void
problems(struct run *r)
{
	store_begin(r->st);
	tracking_each_problem(&r->db, r->only, r->now, r->stuck, take_problem,
	    r);
	if (fflush(stdout) == EOF || ferror(stdout))
		r->out_failed = 1;
	if (r->out_failed)
		store_rollback(r->st);
	else
		store_commit(r->st);
}

/* --- the end -------------------------------------------------------------- */

static void
report_carriers(struct run *r)
{
	struct carrier *c;
	size_t i;

	for (i = 0; i < r->nadapters; i++) {
		c = r->adapters[i].c;
		if (c->refused) {
			warnx("%s", c->refusal);
			worse(r, EX_CONFIG);
		}
		switch (http_service_state(c->svc)) {
		case HTTP_DOWN:
			warnx("carrier '%s' did not answer: %s; its parcels "
			    "are polled again next run", c->ops->name,
			    http_service_error(c->svc));
			worse(r, EX_TEMPFAIL);
			break;
		case HTTP_TLS:
			warnx("%s", http_service_error(c->svc));
			worse(r, EX_UNAVAILABLE);
			break;
		case HTTP_CONFIG:
			warnx("%s", http_service_error(c->svc));
			worse(r, EX_CONFIG);
			break;
		default:
			break;
		}
	}
}

static void
print_stats(struct run *r)
{
	struct http_stats hs;

	http_stats(r->http, &hs);
	fprintf(stderr, "track-poll: %lu in, %lu changed, %lu rejected, "
	    "%lu problems, %lu not polled; %lu requests, %lu retries, "
	    "%lu connections\n", r->nin, r->nchanged, r->nrejects,
	    r->nproblems, r->ndown, hs.requests, hs.retries, hs.connections);
}

int
main(int argc, char *argv[])
{
	struct run r;
	struct jsonl_reader in;
	char *where, *end;
	long days;
	int ch, offset, status, operands;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.cli.usage = usage_text;
	/* Each window allocates and frees the same few MiB (SQLite's pages,
	 * jansson's values): keep them rather than give them back to the
	 * system and ask again, which cost a tenth of the run. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 4 << 20);
	r.now = (int64_t)time(NULL);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&r.cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_CARRIER:
			free(r.only);
			r.only = carrier_canonical(optarg);
			break;
		case OPT_CONFIG:
			r.config_arg = optarg;
			break;
		case OPT_DB:
			r.db_arg = optarg;
			break;
		case OPT_NOW:
			if (rfc3339_parse(optarg, &r.now, &offset) == -1)
				cli_usage_error(&r.cli, "--now '%s' is not an "
				    "RFC 3339 time with an offset", optarg);
			break;
		case OPT_STUCK:
			errno = 0;
			days = strtol(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    days < 1 || days > 3650)
				cli_usage_error(&r.cli, "--stuck '%s' is not "
				    "a number of days", optarg);
			r.stuck = (int64_t)days * 86400;
			break;
		case OPT_WEBHOOK:
			r.webhook = optarg;
			break;
		default:
			cli_usage_error(&r.cli, NULL);
		}
	}
	operands = argc - optind;
	if (r.webhook != NULL && (operands > 0 || r.stuck > 0 ||
	    r.only != NULL))
		cli_usage_error(&r.cli, "--webhook reads one body on standard "
		    "input, without operands, --carrier or --stuck");
	r.conf = conf_load(r.config_arg);
	reject_open(&r.rejects, r.cli.rejects_path);
	where = store_locate(r.db_arg);
	r.st = store_open(where, store_tracking_migrations,
	    store_tracking_nmigrations);
	free(where);
	tracking_init(&r.db, r.st);
	r.http = http_new();
	r.items = xcalloc(WINDOW, sizeof(*r.items));
	r.lines = xcalloc(WINDOW, sizeof(*r.lines));
	jsonl_open(&in, operands, argv + optind);
	if (r.webhook != NULL)
		run_webhook(&r);
	else {
		if (operands > 0 || !isatty(STDIN_FILENO))
			read_input(&r, &in);
		if (in.nlines == 0 && !r.out_failed)
			poll_store(&r);
		if (r.stuck > 0 && !r.out_failed)
			problems(&r);
	}
	report_carriers(&r);
	if (r.cli.stats)
		print_stats(&r);
	status = jsonl_close(&in);
	if (status != 0)
		worse(&r, status);
	if (reject_close(&r.rejects) == -1)
		worse(&r, EX_IOERR);
	if (r.out_failed) {
		warnx("cannot write '<stdout>'; the changes not written are "
		    "written again next run");
		worse(&r, EX_IOERR);
	} else if (jsonl_finish(stdout, "<stdout>") == -1)
		worse(&r, EX_IOERR);
	status = cli_status(&r.cli, r.status, r.nrejects);
	for (i = 0; i < r.nadapters; i++)
		carrier_free(r.adapters[i].c);
	http_free(r.http);
	store_close(r.st);
	conf_free(r.conf);
	free(r.items);
	free(r.lines);
	free(r.only);
	return status;
}
