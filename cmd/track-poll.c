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
#include "jsonx.h"
#include "reject.h"
#include "rfc3339.h"
#include "status.h"
#include "store.h"
#include "track.h"
#include "tracking.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: track-poll [--carrier NAME] [--config FILE] [--db PATH|URL]\n"
    "                  [--now TIME] [--progress | --no-progress]\n"
    "                  [--rejects FILE] [--stats[=json|FILE]] [--strict]\n"
    "                  [--stuck DAYS] [FILE ...]\n"
    "       track-poll --webhook NAME [--config FILE] [--db PATH|URL]\n"
    "                  [--now TIME] [--rejects FILE] [--stats[=json|FILE]]\n"
    "                  [--strict]\n";

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
	CLI_OPT_NO_PROGRESS,
	{ "now",	required_argument, NULL, OPT_NOW },
	CLI_OPT_PROGRESS,
	CLI_OPT_REJECTS,
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	{ "stuck",	required_argument, NULL, OPT_STUCK },
	CLI_OPT_VERSION,
	{ "webhook",	required_argument, NULL, OPT_WEBHOOK },
	{ NULL, 0, NULL, 0 }
};

/* --help: what the page says, a line each. */
static const struct cli_item help_options[] = {
	{ "--carrier NAME", "poll only this carrier's parcels" },
	{ "--config FILE", "the configuration (orderkit.conf(5))" },
	{ "--db PATH|URL", "the store: a SQLite file or a postgresql:// URL" },
	CLI_ITEM_HELP,
	CLI_ITEM_NO_PROGRESS,
	{ "--now TIME", "the time of the run (RFC 3339)" },
	CLI_ITEM_PROGRESS,
	CLI_ITEM_REJECTS,
	CLI_ITEM_STATS,
	CLI_ITEM_STRICT,
	{ "--stuck DAYS", "report parcels without news for DAYS days" },
	CLI_ITEM_VERSION,
	{ "--webhook NAME", "read one webhook body of carrier NAME" },
	{ NULL, NULL }
};
static const int help_exits[] = { 0, 64, 65, 66, 69, 73, 74, 75, 77, 78, -1 };
static const struct cli_help help_text = {
	"Follow parcels at their carriers and write what changed.",
	help_options, help_exits, "track-poll(1)"
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
	struct line		*line;	/* NULL: from the store */
	char			*field;	/* of its number, for rejects */
	struct carrier		*via;	/* NULL: not polled */
	struct carrier_parcel	 cp;
};

struct run {
	struct cli		 cli;
	struct conf		*conf;
	struct store		*st;
	struct tracking_db	 db;
	struct http		*http;
	struct carrier_list	 carriers;
	struct reject_stream	 rejects;
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
	order_id = jsonl_id_strdup(json_object_get(rec, "id"));
	phone = carrier_json_str(rec, "customer.phone");
	if (order_id == NULL && json_is_string(json_object_get(rec,
	    "tracking_number"))) {
		l->plain = 1;
		order_id = jsonl_id_strdup(json_object_get(rec, "order_id"));
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
		it->p.record_key = track_record_key(order_id, it->p.carrier,
		    number);
	}
	free(order_id);
}

/* --- what changed, written ------------------------------------------------ */

struct parcels_acc {
	json_t			*list;
	struct track_tally	 tally;
};

static void
add_parcel(const struct tracking_parcel *p, void *arg)
{
	struct parcels_acc *a = arg;

	jsonx_append_new(a->list, track_parcel_json(p));
	track_tally_add(&a->tally, carrier_status_parse(p->status));
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
		rec = track_plain_record(p);
	}
	*plain = json_object_get(rec, "id") == NULL;
	return rec;
}

static void
write_change(struct run *r, struct item *it, const struct tracking_parcel *n)
{
	struct parcels_acc acc = { 0 };
	const char *to;
	json_t *rec;
	char *text;
	int plain;

	if (it->line != NULL) {
		rec = json_incref(it->line->record);
		plain = it->line->plain;
	} else
		rec = stored_record(r, &it->p, &plain);
	if ((acc.list = json_array()) == NULL)
		xnomem();
	tracking_each_of_record(&r->db, n->record_key, add_parcel, &acc);
	jsonx_set_new(rec, "tracking", track_section(n, &it->stored, &it->cp,
	    acc.list));
	if (!plain && (to = track_order_status(json_string_value(
	    json_object_get(rec, "status")), &acc.tally)) != NULL)
		status_move(rec, to, r->now);
	text = jsonx_text(rec);
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
	struct tracking_parcel n;
	char buf[40];

	switch (track_news(&it->p, &it->stored, &it->cp, r->now, &n, buf,
	    sizeof(buf))) {
	case TRACK_QUIET:
		tracking_quiet(&r->db, &n);
		break;
	case TRACK_CHANGE:
		if (tracking_change(&r->db, &n, it->stored.status))
			write_change(r, it, &n);
		break;
	case TRACK_NOTHING:
		break;
	}
}

static int
by_parcel(const void *a, const void *b)
{
	const struct item *x = *(const struct item *const *)a;
	const struct item *y = *(const struct item *const *)b;
	int c = strcmp(x->p.carrier, y->p.carrier);

	return c != 0 ? c : strcmp(x->p.number, y->p.number);
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Lock (PostgreSQL) the rows the changes of the window's items from the
 * cursor on may touch. */
static void
lock_rest(struct run *r)
{
	const char **cs, **ns, **ks;
	const struct item *it;
	size_t i, n = 0;

	if (store_kind(r->st) != STORE_POSTGRES)
		return;
	cs = xcalloc(r->nitems + 1, sizeof(*cs));
	ns = xcalloc(r->nitems + 1, sizeof(*ns));
	ks = xcalloc(r->nitems + 1, sizeof(*ks));
	for (i = r->cursor; i < r->nitems; i++) {
		if ((it = &r->items[i])->via == NULL)
			continue;
		cs[n] = it->p.carrier;
		ns[n] = it->p.number;
		ks[n++] = it->stored.record_key != NULL ?
		    it->stored.record_key : it->p.record_key;
	}
	tracking_lock(&r->db, cs, ns, n, ks, n);
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
		tracking_parcel_copy(&x->v[i]->stored, p);
	}
}

/* Remember the window's parcels and records before any call, so that those
 * of a carrier that is down are polled again next run: a statement for all
 * the parcels, one for all the records. */
static void
remember(struct run *r)
{
	struct stored_ctx x;
	const struct tracking_parcel **ps;
	const char **keys;
	char **texts;
	size_t i, n = 0, nr = 0;

	x.v = xcalloc(r->nitems + 1, sizeof(*x.v));
	for (i = 0; i < r->nitems; i++)
		x.v[i] = &r->items[i];
	x.n = r->nitems;
	qsort(x.v, x.n, sizeof(*x.v), by_parcel);
	ps = xcalloc(x.n + 1, sizeof(*ps));
	for (i = 0; i < x.n; i++)
		if (i == 0 || by_parcel(&x.v[i - 1], &x.v[i]) != 0)
			ps[n++] = &x.v[i]->p;
	/* A record per line (for a key given twice, the later line's). */
	keys = xcalloc(r->nitems + 1, sizeof(*keys));
	texts = xcalloc(r->nitems + 1, sizeof(*texts));
	for (i = 0; i < r->nitems; i++)
		if (i == 0 || r->items[i].line != r->items[i - 1].line) {
			keys[nr] = r->items[i].p.record_key;
			texts[nr++] = jsonx_text(r->items[i].line->record);
		}
	store_begin(r->st);
	tracking_add_many(&r->db, ps, n, r->now, take_added, &x);
	tracking_set_records(&r->db, keys, (const char *const *)texts, nr);
	store_commit(r->st);
	for (i = 0; i < nr; i++)
		free(texts[i]);
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
	size_t a, i, n;

	batch = xcalloc(r->nitems + 1, sizeof(*batch));
	for (a = 0; a < r->carriers.n; a++) {
		c = r->carriers.v[a];
		for (i = n = 0; i < r->nitems; i++)
			if (r->items[i].via == c)
				batch[n++] = &r->items[i].cp;
		carrier_track(c, batch, n);
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
		if ((it->via = carrier_list_tracker(&r->carriers,
		    it->p.carrier)) == NULL) {
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

	tracking_parcel_copy(&it->p, p);
	tracking_parcel_copy(&it->stored, p);
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

static void
run_webhook(struct run *r)
{
	const struct carrier_ops *ops;
	struct carrier_push push;
	struct carrier *c;
	struct item *it;
	enum carrier_webhook_result res;
	char why[512], *body;
	size_t len;

	if ((ops = carrier_adapter(r->webhook)) == NULL || ops->webhook == NULL)
		cli_usage_error(&r->cli, "--webhook takes easypost, aftership "
		    "or cdek, not '%s'", r->webhook);
	c = carrier_list_get(&r->carriers, ops);
	body = http_cgi_body(&len);
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
	track_push_parcel(&r->db, push.carrier, push.number,
	    push.parcel.order_id, r->now, &it->p, &it->stored);
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
	    "code", code, "order_id", jsonx_string_or_null(p->order_id),
	    "carrier", p->carrier, "tracking_number", p->number,
	    "status", jsonx_string_or_null(p->status),
	    "since", jsonx_string_or_null(p->time != NULL ? p->time :
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
	r->in_tx = 1;
	tracking_each_problem(&r->db, r->only, r->now, r->stuck, take_problem,
	    r);
	commit_settled(r);
}

/* --- the end -------------------------------------------------------------- */

int
main(int argc, char *argv[])
{
	struct run r;
	struct jsonl_reader in;
	struct http_stats hs;
	char *where, *end;
	long days;
	int ch, offset, status, operands;

	memset(&r, 0, sizeof(r));
	r.cli.usage = usage_text;
	r.cli.help = &help_text;
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
	carrier_list_init(&r.carriers, r.conf, r.http, &r.db, r.now);
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
	cli_count("in", r.nin);
	cli_count("changed", r.nchanged);
	cli_count("problems", r.nproblems);
	cli_count("not_polled", r.ndown);
	r.status = carrier_list_finish(&r.carriers, r.status, "its parcels "
	    "are polled again next run", &in, &r.cli, r.out_failed ? "cannot "
	    "write '<stdout>'; the changes not written are written again next "
	    "run" : NULL, &hs);
	cli_count("connections", hs.connections);
	status = cli_finish(&r.cli, r.status, &r.rejects, "%lu in, %lu "
	    "changed, %lu rejected, %lu problems, %lu not polled; %lu "
	    "requests, %lu retries, %lu connections", r.nin, r.nchanged,
	    r.nrejects, r.nproblems, r.ndown, hs.requests, hs.retries,
	    hs.connections);
	http_free(r.http);
	store_close(r.st);
	conf_free(r.conf);
	free(r.items);
	free(r.lines);
	free(r.only);
	return status;
}
