/* ship-book: register each parcel with its carrier, once. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "carrier.h"
#include "catalog.h"
#include "cli.h"
#include "conf.h"
#include "fileio.h"
#include "http.h"
#include "jsonl.h"
#include "jsonx.h"
#include "outbox.h"
#include "parcel.h"
#include "progress.h"
#include "reject.h"
#include "rfc3339.h"
#include "status.h"
#include "store.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: ship-book [--db PATH|URL] [--config FILE] [--carrier NAME]\n"
    "                 [--service NAME] [--catalog FILE] [--labels DIR]\n"
    "                 [--return | --cancel] [--dry-run] [--now TIME]\n"
    "                 [--progress | --no-progress] [--rejects FILE]\n"
    "                 [--stats[=json|FILE]] [--strict] [FILE ...]\n";

enum { OPT_CANCEL = 0x200, OPT_CARRIER, OPT_CATALOG, OPT_CONFIG, OPT_DB,
    OPT_DRY_RUN, OPT_LABELS, OPT_NOW, OPT_RETURN, OPT_SERVICE };

static const struct option longopts[] = {
	{ "cancel",	no_argument,	   NULL, OPT_CANCEL },
	{ "carrier",	required_argument, NULL, OPT_CARRIER },
	{ "catalog",	required_argument, NULL, OPT_CATALOG },
	{ "config",	required_argument, NULL, OPT_CONFIG },
	{ "db",		required_argument, NULL, OPT_DB },
	{ "dry-run",	no_argument,	   NULL, OPT_DRY_RUN },
	CLI_OPT_HELP,
	{ "labels",	required_argument, NULL, OPT_LABELS },
	CLI_OPT_NO_PROGRESS,
	{ "now",	required_argument, NULL, OPT_NOW },
	CLI_OPT_PROGRESS,
	CLI_OPT_REJECTS,
	{ "return",	no_argument,	   NULL, OPT_RETURN },
	{ "service",	required_argument, NULL, OPT_SERVICE },
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

/* --help: what the page says, a line each. */
static const struct cli_item help_options[] = {
	{ "--cancel", "take the orders' bookings back" },
	{ "--carrier NAME", "book with this carrier, whatever the orders say" },
	{ "--catalog FILE", "the catalog, for weights and sizes" },
	{ "--config FILE", "the configuration (orderkit.conf(5))" },
	{ "--db PATH|URL", "the store: a SQLite file or a postgresql:// URL" },
	{ "--dry-run", "send nothing and store nothing: print the requests" },
	CLI_ITEM_HELP,
	{ "--labels DIR", "save the labels carriers issue in DIR" },
	CLI_ITEM_NO_PROGRESS,
	{ "--now TIME", "the time of the run (RFC 3339)" },
	CLI_ITEM_PROGRESS,
	CLI_ITEM_REJECTS,
	{ "--return", "book the way back of open returns" },
	{ "--service NAME", "book with this service" },
	CLI_ITEM_STATS,
	CLI_ITEM_STRICT,
	CLI_ITEM_VERSION,
	{ NULL, NULL }
};
static const int help_exits[] = { 0, 64, 65, 66, 69, 70, 71, 73, 74, 75, 78, -1 };
static const struct cli_help help_text = {
	"Register each parcel with its carrier, once.",
	help_options, help_exits, "ship-book(1)"
};

#define WINDOW		500	/* records booked together */
#define MAX_TURNS	4	/* lookups and bookings again, per parcel */

/* What became of a parcel's call. */
enum fate {
	F_NONE,
	F_CALL,		/* to book or cancel */
	F_LOOKUP,	/* in doubt: to look up first */
	F_BUSY,		/* another process has it */
	F_DONE,		/* result is the outcome */
	F_REJECT	/* error is why; settle says how the store takes it */
};

enum settle { S_NONE, S_DONE, S_FAIL, S_HOLD, S_LEAVE };

struct line {
	json_t		*record;	/* owned */
	json_t		*errors;	/* its rejects */
	json_t		*goods;		/* a return's {"items": ...}, owned */
	struct parcel	*parcels;
	size_t		 nparcels;
	int		 pass;		/* not for this run: unchanged */
};

struct job {
	struct line		*line;
	size_t			 n;		/* its parcel, from 0 */
	char			*key;
	struct carrier		*c;
	struct carrier_booking	 b;
	char			*number, *ref;
	enum fate		 fate;
	enum settle		 settle;
	int64_t			 attempt;
	int			 turns, noted;
	int			 doubt;		/* a call of it may be out */
	json_t			*result;	/* owned */
	json_t			*error;		/* owned: {code, message} */
	struct outbox_item	 item;		/* its entry in the outbox */
	struct run		*run;
};

struct run {
	struct cli		 cli;
	struct conf		*conf;
	struct store		*st;
	struct outbox		 ob;
	struct http		*http;
	struct reject_stream	 rejects;
	struct catalog		 catalog;
	int			 has_catalog;
	struct parcel_defaults	 defaults;
	struct carrier_list	 carriers;
	const char		*kind;		/* the outbox's */
	enum carrier_book_kind	 mode;
	const char		*carrier_arg, *service_arg, *labels;
	int			 dry_run;
	int64_t			 now;
	int			 offset;
	char			 now_text[40];
	struct line		 lines[WINDOW];
	size_t			 nlines;
	struct job		*jobs;
	size_t			 njobs, capjobs;
	int			 status, out_failed;
	unsigned long		 nin, nbooked, nstored, npassed;
};

/* --- the carriers ---------------------------------------------------------- */

/* The adapter that books for the carrier written (or --carrier's), or NULL
 * after a reject. */
static struct carrier *
carrier_of(struct run *r, struct line *l, const char *written)
{
	struct carrier *c;

	c = carrier_list_booker(&r->carriers, r->carrier_arg != NULL ?
	    r->carrier_arg : written, l->errors);
	if (c != NULL) {
		c->dry_run = r->dry_run;
		c->dry_out = stdout;
	}
	return c;
}

static struct job *
new_job(struct run *r, struct line *l, size_t n, struct carrier *c,
    char *key)
{
	struct job *j;

	if (r->njobs == r->capjobs) {
		r->capjobs = r->capjobs ? r->capjobs * 2 : 1024;
		r->jobs = xrealloc(r->jobs, r->capjobs * sizeof(*r->jobs));
	}
	j = &r->jobs[r->njobs++];
	memset(j, 0, sizeof(*j));
	j->line = l;
	j->n = n;
	j->c = c;
	j->key = key;
	j->run = r;
	j->fate = F_CALL;
	j->b.kind = r->mode;
	j->b.order = l->record;
	j->b.key = key;
	j->b.currency = carrier_json_str(l->record, "currency");
	return j;
}

/* Every key the window's bookings need, before any is claimed. */
static void
ready(struct run *r)
{
	size_t i;

	for (i = 0; i < r->njobs; i++)
		if (r->jobs[i].c->ops->ready != NULL)
			r->jobs[i].c->ops->ready(r->jobs[i].c, &r->jobs[i].b);
}

/* A record to book: its parcels, one job each. */
static void
take_booking(struct run *r, struct line *l)
{
	const json_t *rec = l->record, *ret = json_object_get(rec, "return");
	const char *service;
	enum carrier_delivery d = carrier_delivery_of(rec);
	struct carrier *c;
	struct job *j;
	char *id = jsonl_id_strdup(json_object_get(rec, "id"));
	size_t i;

	if (id == NULL) {
		reject_addf(l->errors, "no_id", "id", "a record without an "
		    "id cannot be booked once");
		return;
	}
	switch (carrier_bookable(rec, r->mode, l->errors)) {
	case -1:
		goto out;
	case 0:
		l->pass = 1;
		goto out;
	}
	if (r->mode == CARRIER_KIND_RETURN)
		l->goods = carrier_return_goods(rec);
	c = carrier_of(r, l, carrier_written(rec, r->mode));
	if (r->mode == CARRIER_KIND_BOOK && d == CARRIER_PICKUP &&
	    carrier_json_str(rec, "shipping.pickup_point") == NULL)
		reject_addf(l->errors, "no_pickup_point",
		    "shipping.pickup_point", "delivery to a pickup point "
		    "without the point");
	if (parcel_compute(l->goods != NULL ? l->goods : rec,
	    r->has_catalog ? &r->catalog : NULL, &r->defaults, &l->parcels,
	    &l->nparcels, l->errors) == -1 || c == NULL ||
	    json_array_size(l->errors) > 0)
		goto out;
	service = r->mode == CARRIER_KIND_RETURN ? carrier_json_str(ret,
	    "service") : carrier_json_str(rec, "shipping.service");
	for (i = 0; i < l->nparcels; i++) {
		j = new_job(r, l, i, c, carrier_booking_key(r->mode, id, i));
		j->b.parcel = &l->parcels[i];
		j->b.delivery = d;
		j->b.service = carrier_service(r->conf, c->ops->name,
		    r->service_arg != NULL ? r->service_arg : service, r->mode,
		    d);
		j->b.number = j->number = carrier_booking_number(r->mode, id,
		    i, l->nparcels);
		carrier_booking_parties(&j->b, r->conf, rec);
		/* Cash on delivery: all of it on parcel 1 of N. */
		if (i == 0 && r->mode == CARRIER_KIND_BOOK)
			j->b.cod = carrier_cod_due(rec);
	}
out:
	free(id);
}

/* A record to cancel: a job per booked parcel. */
static void
take_cancel(struct run *r, struct line *l)
{
	const json_t *rec = l->record, *parcels, *p;
	struct carrier *c;
	struct job *j;
	char *id = jsonl_id_strdup(json_object_get(rec, "id"));
	size_t i;

	parcels = carrier_json_get(rec, "shipment.parcels");
	if (id == NULL || json_array_size(parcels) == 0) {
		reject_addf(l->errors, "not_booked", "shipment", "no booked "
		    "parcels to cancel");
		free(id);
		return;
	}
	if ((c = carrier_of(r, l, carrier_written(rec, r->mode))) == NULL) {
		free(id);
		return;
	}
	json_array_foreach(parcels, i, p) {
		if (carrier_json_str(p, "carrier_ref") == NULL) {
			reject_addf(l->errors, "not_booked", "shipment.parcels",
			    "parcel %zu has no carrier_ref", i + 1);
			continue;
		}
		j = new_job(r, l, i, c, carrier_booking_key(r->mode, id, i));
		j->ref = xstrdup(carrier_json_str(p, "carrier_ref"));
		j->b.ref = j->ref;
		j->b.ref_number = carrier_json_str(p, "tracking_number");
		j->b.number = j->number = carrier_booking_number(r->mode, id,
		    i, json_array_size(parcels));
		j->b.service = carrier_json_str(rec, "shipment.service");
	}
	free(id);
}

/* --- outcomes ----------------------------------------------------------------- */

static void
job_reject(struct job *j, enum settle how, const char *code,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
job_reject(struct job *j, enum settle how, const char *code,
    const char *fmt, ...)
{
	va_list ap;
	char msg[700];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_decref(j->error);
	j->error = json_pack("{s:s,s:s}", "code", code, "message", msg);
	if (j->error == NULL)
		xnomem();
	j->fate = F_REJECT;
	j->settle = how;
}

static void
job_done(struct job *j, json_t *result)
{
	json_decref(j->result);
	j->result = result;
	j->fate = F_DONE;
	j->settle = S_DONE;
	j->run->nbooked++;
}

static void call(struct job *);

/* The label is saved (or not): the parcel is done. */
static void
label_saved(struct carrier_booking *b)
{
	struct job *j = b->owner;

	job_done(j, carrier_booking_result(&j->b, j->c->ops->name,
	    j->run->now_text));
}

/* The adapter is done with the parcel: what next. */
static void
ended(struct carrier_booking *b)
{
	struct job *j = b->owner;
	const char *ek = b->error_code;
	int can_look = j->c->ops->lookup != NULL;
	enum http_result svc = http_service_state(j->c->svc);

	switch (b->outcome) {
	case CARRIER_BOOK_DONE:
		if (b->kind == CARRIER_KIND_CANCEL) {	/* still booked */
			if (j->turns++ >= MAX_TURNS) {
				job_reject(j, S_LEAVE, "carrier_unavailable",
				    "%s did not cancel the parcel after %d "
				    "tries", j->c->ops->name, MAX_TURNS);
				return;
			}
			j->fate = F_CALL;
			j->doubt = 0;
			call(j);
			return;
		}
		if (b->label_url != NULL && j->run->labels != NULL) {
			carrier_label_fetch(j->c, b, j->run->labels, j->number,
			    label_saved);
			return;
		}
		job_done(j, carrier_booking_result(b, j->c->ops->name,
		    j->run->now_text));
		return;
	case CARRIER_BOOK_CANCELLED:
	case CARRIER_BOOK_CANCEL_REQUESTED:
		job_done(j, json_pack("{s:s}", b->outcome ==
		    CARRIER_BOOK_CANCELLED ? "cancelled_at" :
		    "cancel_requested_at", j->run->now_text));
		return;
	case CARRIER_BOOK_NOT_FOUND:
		if (b->kind == CARRIER_KIND_CANCEL) {	/* gone already */
			b->outcome = CARRIER_BOOK_CANCELLED;
			ended(b);
			return;
		}
		if (j->turns++ >= MAX_TURNS) {
			job_reject(j, S_FAIL, "carrier_error", "%s: not booked "
			    "after %d tries", j->c->ops->name, MAX_TURNS);
			return;
		}
		j->fate = F_CALL;	/* surely not booked: book it */
		j->doubt = 0;
		carrier_booking_release(b);
		call(j);
		return;
	case CARRIER_BOOK_DOUBT:
		j->doubt = 1;
		if (ek != NULL && strcmp(ek, "number_pending") == 0) {
			job_reject(j, S_LEAVE, ek, "%s; the next run reads it "
			    "again", b->error);
			return;
		}
		if (!can_look) {
			job_reject(j, S_HOLD, b->kind == CARRIER_KIND_CANCEL ?
			    "cancel_in_doubt" : "booking_in_doubt", "%s may "
			    "have %s parcel %zu and cannot be asked: check "
			    "with the carrier, then release the outbox entry "
			    "'%s' (ship-book(1))", j->c->ops->name,
			    b->kind == CARRIER_KIND_CANCEL ? "cancelled" :
			    "booked", j->n + 1, j->key);
			return;
		}
		if (svc != HTTP_OK || j->turns++ >= MAX_TURNS) {
			job_reject(j, S_LEAVE, "carrier_unavailable", "%s did "
			    "not answer whether it %s the parcel; the next run "
			    "asks again", j->c->ops->name,
			    b->kind == CARRIER_KIND_CANCEL ? "cancelled" :
			    "booked");
			return;
		}
		j->fate = F_LOOKUP;
		call(j);
		return;
	case CARRIER_BOOK_REFUSED:
		job_reject(j, S_FAIL, ek != NULL ? ek : "carrier_error", "%s",
		    b->error != NULL ? b->error : "refused");
		return;
	case CARRIER_BOOK_PENDING:
		job_reject(j, j->doubt || b->sent ? S_LEAVE : S_FAIL,
		    "carrier_unavailable",
		    "%s did not answer: %s", j->c->ops->name,
		    j->c->refused ? j->c->refusal :
		    http_service_error(j->c->svc));
		return;
	}
}

static void
noted(struct carrier_booking *b)
{
	((struct job *)b->owner)->noted = 1;
}

static void
call(struct job *j)
{
	const struct carrier_ops *ops = j->c->ops;

	j->b.done = ended;
	j->b.noted = noted;
	j->b.owner = j;
	if (j->fate == F_LOOKUP)
		ops->lookup(j->c, &j->b);
	else if (j->b.kind == CARRIER_KIND_CANCEL)
		ops->cancel(j->c, &j->b);
	else
		ops->book(j->c, &j->b);
}

/* --- the store ---------------------------------------------------------------- */

/* An entry another run settled: its outcome for this job. */
static void
take_stored(struct job *j, const struct outbox_entry *e)
{
	json_t *res = e->result != NULL ? jsonl_parse(e->result,
	    strlen(e->result), 0, NULL) : NULL;

	if (e->state == OUTBOX_DONE && json_is_object(res)) {
		json_decref(j->result);
		j->result = res;
		j->fate = F_DONE;
		j->settle = S_NONE;
		j->run->nstored++;
		return;
	}
	if (e->state == OUTBOX_FAILED && carrier_json_str(res, "code") !=
	    NULL) {
		json_decref(j->error);
		j->error = res;
		j->fate = F_REJECT;
		j->settle = S_NONE;
		return;
	}
	json_decref(res);
	job_reject(j, S_NONE, e->state == OUTBOX_HELD ?
	    (j->b.kind == CARRIER_KIND_CANCEL ? "cancel_in_doubt" :
	    "booking_in_doubt") : "booking_in_progress", e->state ==
	    OUTBOX_HELD ? "the outbox entry '%s' is held for a person: the "
	    "carrier may have taken the call" : "another process still "
	    "holds the outbox entry '%s'", j->key);
}

/* Claim the window's entries, in key order, in one transaction. */
static void
claim(struct run *r)
{
	struct outbox_item **items;
	struct job *j;
	char **texts;
	size_t i;

	items = xcalloc(r->njobs + 1, sizeof(*items));
	texts = xcalloc(r->njobs + 1, sizeof(*texts));
	for (i = 0; i < r->njobs; i++) {
		j = &r->jobs[i];
		j->item.key = j->key;
		j->item.intent = texts[i] = carrier_booking_intent(j->c, &j->b);
		items[i] = &j->item;
	}
	outbox_claim_all(&r->ob, r->kind, items, r->njobs, (int64_t)time(NULL));
	for (i = 0; i < r->njobs; i++) {
		j = &r->jobs[i];
		j->item.intent = NULL;
		free(texts[i]);
		j->attempt = j->item.e.attempts;
		switch (j->item.claim) {
		case OUTBOX_CLAIMED:
			j->fate = F_CALL;
			break;
		case OUTBOX_RECLAIMED:
			j->fate = F_LOOKUP;
			j->doubt = 1;
			if (j->item.e.progress != NULL && j->ref == NULL)
				j->b.ref = j->ref = xstrdup(j->item.e.progress);
			if (j->c->ops->lookup == NULL) {
				j->b.outcome = CARRIER_BOOK_DOUBT;
				j->b.owner = j;
				ended(&j->b);
			}
			break;
		case OUTBOX_SETTLED:
		case OUTBOX_HOLD:
		case OUTBOX_WAITING:	/* ship-book sets no retry times */
			take_stored(j, &j->item.e);
			break;
		case OUTBOX_BUSY:
			j->fate = F_BUSY;
			break;
		}
	}
	free(texts);
	free(items);
}

/* http_run()'s hook: what the calls learnt on the way, recorded. */
static void
note_progress(void *arg)
{
	struct run *r = arg;
	int64_t now = (int64_t)time(NULL);
	size_t i;
	int open = 0;

	for (i = 0; i < r->njobs; i++) {
		if (!r->jobs[i].noted)
			continue;
		if (!open) {
			store_begin(r->st);
			open = 1;
		}
		outbox_progress(&r->ob, r->kind, r->jobs[i].key,
		    r->jobs[i].attempt, r->jobs[i].b.progress, now);
		r->jobs[i].noted = 0;
	}
	if (open)
		store_commit(r->st);
}

/* Settle the window's entries as their calls ended. */
static void
record(struct run *r)
{
	int64_t now = (int64_t)time(NULL);
	struct job *j;
	char *text;
	size_t i;
	int ok;

	note_progress(r);
	store_begin(r->st);
	for (i = 0; i < r->njobs; i++) {
		j = &r->jobs[i];
		if (j->settle == S_NONE || j->settle == S_LEAVE)
			continue;
		text = jsonx_text(j->settle == S_DONE ? j->result :
		    j->error);
		ok = j->settle == S_DONE ? outbox_done(&r->ob, r->kind, j->key,
		    j->attempt, text, now) : j->settle == S_FAIL ?
		    outbox_fail(&r->ob, r->kind, j->key, j->attempt, text,
		    now) : outbox_hold(&r->ob, r->kind, j->key, j->attempt,
		    text, now);
		free(text);
		if (!ok) {
			warnx("outbox entry '%s' was taken over by another "
			    "process before this one settled it", j->key);
			job_reject(j, S_NONE, "booking_in_doubt", "the outbox "
			    "entry '%s' was taken over by another process",
			    j->key);
		}
	}
	store_commit(r->st);
}

/* Wait for the entries other processes hold, up to [outbox] wait. */
static void
wait_busy(struct run *r)
{
	struct outbox_item **items;
	const struct outbox_entry *e;
	size_t i, n;

	items = xcalloc(r->njobs + 1, sizeof(*items));
	for (i = n = 0; i < r->njobs; i++)
		if (r->jobs[i].fate == F_BUSY)
			items[n++] = &r->jobs[i].item;
	if (n > 0)
		outbox_wait(&r->ob, r->kind, items, n, (int64_t)time(NULL) +
		    conf_long(r->conf, "outbox", NULL, NULL, "wait", 60, 0,
		    86400));
	free(items);
	for (i = 0; i < r->njobs; i++) {
		if (r->jobs[i].fate != F_BUSY)
			continue;
		e = &r->jobs[i].item.e;
		if (e->state != OUTBOX_PENDING)
			take_stored(&r->jobs[i], e);
		else
			job_reject(&r->jobs[i], S_NONE, "booking_in_progress",
			    "%s holds the outbox entry '%s'; run again later",
			    e->owner != NULL && strcmp(e->owner,
			    r->ob.owner) == 0 ? "an earlier line of this run" :
			    "another process", r->jobs[i].key);
	}
}

/* --- output ------------------------------------------------------------------- */

/* The errors of the line's parcels join its own: 1 when there are any. */
static int
gather(struct run *r, struct line *l, struct job *first, size_t n)
{
	char field[64];
	size_t i;

	for (i = 0; i < n; i++) {
		if (first[i].fate != F_REJECT)
			continue;
		snprintf(field, sizeof(field), "%sshipment.parcels[%zu]",
		    r->mode == CARRIER_KIND_RETURN ? "return." : "",
		    first[i].n);
		reject_addf(l->errors, carrier_json_str(first[i].error,
		    "code"), field, "parcel %zu (%s): %s", first[i].n + 1,
		    first[i].key, carrier_json_str(first[i].error, "message"));
	}
	return json_array_size(l->errors) > 0;
}

static void
write_line(struct run *r, struct line *l, struct job *first, size_t n)
{
	json_t **results;
	size_t *parcels, i;

	if (gather(r, l, first, n)) {
		reject_write(&r->rejects, l->record, l->errors);
		return;
	}
	if (r->dry_run)
		return;
	results = xcalloc(n + 1, sizeof(*results));
	parcels = xcalloc(n + 1, sizeof(*parcels));
	for (i = 0; i < n; i++) {
		results[i] = first[i].result;
		parcels[i] = first[i].n;
	}
	if (l->pass)
		r->npassed++;
	else {
		carrier_shipment_set(l->record, r->mode, parcels, results, n);
		if (r->mode == CARRIER_KIND_BOOK)
			status_move(l->record, "booked",
			    carrier_booked_at(l->record, r->now));
	}
	free(results);
	free(parcels);
	if (jsonl_write(stdout, l->record) == -1)
		r->out_failed = 1;
}

/* --- a window of records ------------------------------------------------------ */

static void
free_window(struct run *r)
{
	struct job *j;
	size_t i;

	for (i = 0; i < r->njobs; i++) {
		j = &r->jobs[i];
		carrier_booking_release(&j->b);
		free(j->key);
		free(j->number);
		free(j->ref);
		json_decref(j->result);
		json_decref(j->error);
		outbox_entry_release(&j->item.e);
	}
	for (i = 0; i < r->nlines; i++) {
		json_decref(r->lines[i].record);
		json_decref(r->lines[i].errors);
		json_decref(r->lines[i].goods);
		parcel_free(r->lines[i].parcels, r->lines[i].nparcels);
	}
	r->njobs = r->nlines = 0;
}

static void
process_window(struct run *r)
{
	struct line *l;
	size_t i, j, k;

	for (i = 0; i < r->nlines; i++) {
		l = &r->lines[i];
		if (r->mode == CARRIER_KIND_CANCEL)
			take_cancel(r, l);
		else
			take_booking(r, l);
	}
	ready(r);
	if (r->dry_run) {
		for (i = 0; i < r->njobs; i++)
			call(&r->jobs[i]);
	} else {
		claim(r);
		http_set_hook(r->http, note_progress, r);
		for (i = 0; i < r->njobs; i++)
			if (r->jobs[i].fate == F_CALL ||
			    r->jobs[i].fate == F_LOOKUP)
				call(&r->jobs[i]);
		http_run(r->http);
		http_set_hook(r->http, NULL, NULL);
		record(r);
		wait_busy(r);
	}
	for (i = j = 0; i < r->nlines && !r->out_failed; i++) {
		l = &r->lines[i];
		for (k = j; k < r->njobs && r->jobs[k].line == l; k++)
			;
		write_line(r, l, &r->jobs[j], k - j);
		j = k;
	}
	if (fflush(stdout) == EOF || ferror(stdout))
		r->out_failed = 1;
	free_window(r);
}

int
main(int argc, char *argv[])
{
	struct run r;
	struct jsonl_reader in;
	struct stat sb;
	struct http_stats hs;
	const char *catalog_arg = NULL, *config_arg = NULL, *db_arg = NULL;
	char *where, err[512];
	json_t *rec;
	int ch, status;

	memset(&r, 0, sizeof(r));
	r.cli.usage = usage_text;
	r.cli.help = &help_text;
	r.now = (int64_t)time(NULL);
	r.mode = CARRIER_KIND_BOOK;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&r.cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_CANCEL:
		case OPT_RETURN:
			if (r.mode != CARRIER_KIND_BOOK)
				cli_usage_error(&r.cli, "--return and --cancel "
				    "exclude each other");
			r.mode = ch == OPT_CANCEL ? CARRIER_KIND_CANCEL :
			    CARRIER_KIND_RETURN;
			break;
		case OPT_CARRIER:
			r.carrier_arg = optarg;
			break;
		case OPT_CATALOG:
			catalog_arg = optarg;
			break;
		case OPT_CONFIG:
			config_arg = optarg;
			break;
		case OPT_DB:
			db_arg = optarg;
			break;
		case OPT_DRY_RUN:
			r.dry_run = 1;
			break;
		case OPT_LABELS:
			r.labels = optarg;
			break;
		case OPT_NOW:
			if (rfc3339_parse(optarg, &r.now, &r.offset) == -1)
				cli_usage_error(&r.cli, "--now '%s' is not an "
				    "RFC 3339 time with an offset", optarg);
			break;
		case OPT_SERVICE:
			r.service_arg = optarg;
			break;
		default:
			cli_usage_error(&r.cli, NULL);
		}
	}
	if (r.carrier_arg != NULL) {
		/* A typo would reject every order, in cron without a word. */
		char *name = carrier_canonical(r.carrier_arg);
		int known = carrier_adapter(name) != NULL;

		free(name);
		if (!known)
			cli_usage_error(&r.cli, "--carrier '%s' is not a carrier "
			    "ship-book books with", r.carrier_arg);
	}
	rfc3339_format(r.now, r.offset, r.now_text, sizeof(r.now_text));
	r.kind = r.mode == CARRIER_KIND_CANCEL ? "ship-cancel" : "ship-book";
	r.conf = conf_load(config_arg);
	parcel_defaults_conf(&r.defaults, r.conf);
	if (catalog_arg != NULL) {
		if ((status = catalog_load(&r.catalog, catalog_arg, err,
		    sizeof(err))) != 0)
			errx(status, "%s", err);
		r.has_catalog = 1;
	}
	if (r.labels != NULL && !r.dry_run && (stat(r.labels, &sb) == -1 ||
	    !S_ISDIR(sb.st_mode) || access(r.labels, W_OK) == -1))
		errx(EX_CANTCREAT, "cannot write labels into '%s': %s",
		    r.labels, errno != 0 && !(stat(r.labels, &sb) == 0 &&
		    !S_ISDIR(sb.st_mode)) ? strerror(errno) : "Not a directory");
	cli_need_input(&r.cli, argc - optind);
	reject_open(&r.rejects, r.cli.rejects_path);
	if (!r.dry_run) {
		where = store_locate(db_arg);
		r.st = store_open(where, store_outbox_migrations,
		    store_outbox_nmigrations);
		free(where);
		outbox_init(&r.ob, r.st, conf_long(r.conf, "outbox", NULL,
		    NULL, "lease", 900, 1, 86400 * 7));
	}
	r.http = http_new();
	carrier_list_init(&r.carriers, r.conf, r.http, NULL, r.now);
	jsonl_open(&in, argc - optind, argv + optind);
	while (!r.out_failed && (rec = reject_read(&r.rejects, &in)) != NULL) {
		r.nin++;
		memset(&r.lines[r.nlines], 0, sizeof(r.lines[0]));
		if ((r.lines[r.nlines].errors = json_array()) == NULL)
			xnomem();
		r.lines[r.nlines++].record = rec;
		if (r.nlines == WINDOW)
			process_window(&r);
	}
	if (r.nlines > 0 && !r.out_failed)
		process_window(&r);
	free_window(&r);
	cli_count("in", r.nin);
	cli_count("booked", r.nbooked);
	cli_count("booked_before", r.nstored);
	cli_count("passed", r.npassed);
	r.status = carrier_list_finish(&r.carriers, r.status, "its parcels "
	    "are booked next run", &in, &r.cli, r.out_failed ? "cannot write "
	    "'<stdout>'; what was booked is written again next run" : NULL,
	    &hs);
	status = cli_finish(&r.cli, r.status, &r.rejects, "%lu in, %lu "
	    "booked, %lu booked before, %lu passed, %lu rejected; %lu "
	    "requests, %lu retries", r.nin, r.nbooked, r.nstored, r.npassed,
	    r.rejects.count, hs.requests, hs.retries);
	http_free(r.http);
	store_close(r.st);
	if (r.has_catalog)
		catalog_release(&r.catalog);
	conf_free(r.conf);
	free(r.jobs);
	return status;
}
