/* return-open: decide return requests by the published policy, open the
 * returns, receive the goods and report refunds that are late. */
#include <err.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#include <jansson.h>

#include "arena.h"
#include "catalog.h"
#include "cli.h"
#include "conf.h"
#include "jsonl.h"
#include "jsonx.h"
#include "reject.h"
#include "returns.h"
#include "returnsdue.h"
#include "returnsrecv.h"
#include "returnstore.h"
#include "rfc3339.h"
#include "status.h"
#include "stock.h"
#include "store.h"
#include "strmap.h"
#include "tracking.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: return-open [--catalog FILE] [--config FILE] [--db PATH|URL]\n"
    "                   [--now TIME] [--orders FILE]... [--policy FILE]\n"
    "                   [--progress | --no-progress] [--rejects FILE]\n"
    "                   [--stats[=json|FILE]] [--strict] [FILE ...]\n"
    "       return-open --receive [--config FILE] [--db PATH|URL]\n"
    "                   [--policy FILE] [--rejects FILE]\n"
    "                   [--stats[=json|FILE]] [--strict] [FILE ...]\n"
    "       return-open --overdue [--config FILE] [--db PATH|URL]\n"
    "                   [--now TIME] [--policy FILE] [--stats[=json|FILE]]\n";

#define OPT_CATALOG	'k'
#define OPT_CONFIG	'C'
#define OPT_DB		'd'
#define OPT_NOW		'n'
#define OPT_ORDERS	'o'
#define OPT_OVERDUE	'O'
#define OPT_POLICY	'p'
#define OPT_RECEIVE	'R'

static const struct option longopts[] = {
	{ "catalog",	required_argument, NULL, OPT_CATALOG },
	{ "config",	required_argument, NULL, OPT_CONFIG },
	{ "db",		required_argument, NULL, OPT_DB },
	CLI_OPT_HELP,
	CLI_OPT_NO_PROGRESS,
	{ "now",	required_argument, NULL, OPT_NOW },
	{ "orders",	required_argument, NULL, OPT_ORDERS },
	{ "overdue",	no_argument,	   NULL, OPT_OVERDUE },
	{ "policy",	required_argument, NULL, OPT_POLICY },
	CLI_OPT_PROGRESS,
	{ "receive",	no_argument,	   NULL, OPT_RECEIVE },
	CLI_OPT_REJECTS,
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

static const struct cli_item help_options[] = {
	{ "--catalog FILE", "the catalog, for final sale by category" },
	{ "--config FILE", "the configuration: [shop], [returns] "
	    "(orderkit.conf(5))" },
	{ "--db PATH|URL", "the store: a SQLite file or a postgresql:// URL" },
	CLI_ITEM_HELP,
	CLI_ITEM_NO_PROGRESS,
	{ "--now TIME", "the clock for due dates and --overdue (RFC 3339)" },
	{ "--orders FILE", "order records the requests refer to; repeatable" },
	{ "--overdue", "report refunds due within a day and not seen paid" },
	{ "--policy FILE", "the returns policy, in the configuration's "
	    "syntax" },
	CLI_ITEM_PROGRESS,
	{ "--receive", "the goods came back: confirm or reduce the refund" },
	CLI_ITEM_REJECTS,
	CLI_ITEM_STATS,
	CLI_ITEM_STRICT,
	CLI_ITEM_VERSION,
	{ NULL, NULL }
};
static const int help_exits[] = { 0, 64, 65, 66, 70, 71, 73, 74, 75, 78, -1 };
static const struct cli_help help_text = {
	"Decide return requests by the policy; receive returns; report late "
	    "refunds.",
	help_options, help_exits, "return-open(1)"
};

#define BATCH	500

struct run {
	struct cli		 cli;
	struct returns_policy	 pol;
	const char		*tz;		/* [shop] tz, or NULL: UTC */
	int64_t			 now;
	struct strmap		 orders;	/* id: index + 1 into lines */
	char			**lines;
	size_t			 nlines, caplines;
	struct arena		 arena;
	struct catalog		 catalog;
	int			 has_catalog;
	struct returnstore	 rs;
	struct tracking_db	 tdb;		/* deliveries track-poll saw */
	struct reject_stream	 rejects;
	unsigned long		 nout, approved, review, declined, stored;
};

/* One request of a batch, and what was decided. */
struct job {
	json_t		*req;		/* owned */
	char		*order_id;
	char		*key;		/* the request's identity */
	char		*out, *rej;	/* the lines to write */
};

/* Minutes east of UTC of the shop's zone at epoch. */
static int
shop_offset(const struct run *r, int64_t epoch)
{
	int offset;

	if (returns_tz_offset(r->tz, epoch, &offset) == -1)
		errx(EX_CONFIG, "[shop] tz '%s' is not an offset or a zone",
		    r->tz);
	return offset;
}

static int64_t
shop_day(const struct run *r, int64_t epoch)
{
	return returns_local_day(epoch, shop_offset(r, epoch));
}

static const char *
str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* --orders: each order's line, by id; the last line of an id wins. */
static int
load_orders(struct run *r, char **paths, int n)
{
	struct jsonl_reader in;
	const char *id;
	char *line, *idbuf;
	size_t len, idlen;
	unsigned long *v;
	json_t *o;
	int rc;

	jsonl_open(&in, n, paths);
	while ((line = jsonl_line(&in, &len)) != NULL) {
		idbuf = NULL;
		if ((rc = jsonl_peek(line, len, "id", &id, &idlen)) != 1) {
			if ((o = jsonl_parse(line, len, 0, NULL)) == NULL)
				continue;
			idbuf = jsonl_id_strdup(json_object_get(o, "id"));
			json_decref(o);
			if (idbuf == NULL)
				continue;
			id = idbuf;
			idlen = strlen(idbuf);
		}
		if (r->nlines == r->caplines) {
			r->caplines = r->caplines ? r->caplines * 2 : 1024;
			r->lines = xrealloc(r->lines, r->caplines *
			    sizeof(*r->lines));
		}
		r->lines[r->nlines++] = arena_strndup(&r->arena, line, len);
		v = strmap_put(&r->orders, id, idlen, NULL);
		*v = r->nlines;
		free(idbuf);
	}
	return jsonl_close(&in);
}

static json_t *
find_order(struct run *r, const char *id)
{
	unsigned long *v = strmap_find(&r->orders, id, strlen(id));
	const char *line;

	if (v == NULL)
		return NULL;
	line = r->lines[*v - 1];
	return jsonl_parse(line, strlen(line), 0, NULL);
}

static int64_t
int_of(const json_t *obj, const char *key)
{
	return json_integer_value(json_object_get(obj, key));
}

static char *
line_of(const json_t *rec)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;

	jsonl_encode(&buf, &cap, &len, rec);
	buf = xrealloc(buf, len + 1);
	buf[len] = '\0';
	return buf;
}

/* A reject line: rec with return {decision, request_id, items} and
 * errors. */
static char *
reject_of(json_t *rec, const char *decision, const char *request_id,
    json_t *items, json_t *errors)
{
	json_t *ret = json_pack("{s:s,s:s,s:O}", "decision", decision,
	    "request_id", request_id, "items", items);
	char *line;

	if (ret == NULL)
		xnomem();
	jsonx_set_new(rec, "return", ret);
	json_object_set(rec, "errors", errors);
	line = line_of(rec);
	json_object_del(rec, "errors");
	json_object_del(rec, "return");
	return line;
}

struct delivery {
	int	 parcels, delivered;
	char	*at;			/* the latest delivery's time */
	int64_t	 epoch;
};

static void
parcel_fn(const struct tracking_parcel *p, void *arg)
{
	struct delivery *d = arg;
	int64_t e;
	int off;

	d->parcels++;
	if (p->status == NULL || strcmp(p->status, "delivered") != 0)
		return;
	d->delivered++;
	if (p->time != NULL && rfc3339_parse(p->time, &e, &off) == 0 &&
	    (d->at == NULL || e > d->epoch)) {
		free(d->at);
		d->at = xstrdup(p->time);
		d->epoch = e;
	}
}

/* An order without a tracking section: its parcels in track-poll's store
 * give it one, {"status":"delivered","at"} when all are delivered. */
static json_t *
tracking_of(struct run *r, const char *order_id)
{
	struct delivery d = { 0, 0, NULL, 0 };
	json_t *t;

	tracking_each_of_record(&r->tdb, order_id, parcel_fn, &d);
	if (d.parcels == 0) {
		free(d.at);
		return NULL;
	}
	t = json_pack("{s:s,s:o}", "status", d.delivered == d.parcels ?
	    "delivered" : "shipped", "at", jsonx_string_or_null(d.at));
	free(d.at);
	if (t == NULL)
		xnomem();
	return t;
}

static void
count_fn(void *arg, const char *sku, const char *decision, int64_t qty)
{
	returns_counts_add(arg, sku, decision, qty);
}

/* Decide a request whose order is known and delivered; fills j->out and
 * j->rej; returns 1 when it is to be stored. */
static int
decide(struct run *r, struct job *j, json_t *order, const char *request_id)
{
	const json_t *req = j->req, *it, *tr = json_object_get(order,
	    "tracking");
	const json_t *pay = json_object_get(order, "payment");
	json_t *ok = json_array(), *bad = json_array(), *errs = json_array();
	json_t *review = json_array(), *item, *ret;
	struct returns_request rq = { 0, 0, 0 };
	struct returns_counts counts = { NULL, 0 };
	struct returns_item ri;
	enum returns_code code;
	int64_t at, approved, held, amount, fee, ship, due;
	int off, fault = 0, cod, photos;
	const char *method = str(pay, "method"), *wh = NULL, *st;
	char field[64], date[16], *rma;
	size_t i, k;

	if (ok == NULL || bad == NULL || errs == NULL || review == NULL)
		xnomem();
	if (tr == NULL && (tr = tracking_of(r, j->order_id)) != NULL)
		jsonx_set_new(order, "tracking", (json_t *)tr);
	st = str(tr, "status");
	if (tr == NULL || st == NULL || strcmp(st, "delivered") != 0) {
		reject_add(errs, "not_delivered", "tracking.status",
		    "the order has not been delivered");
		j->rej = reject_of(order, "declined", request_id,
		    json_object_get(req, "items"), errs);
		r->declined++;
		json_decref(ok), json_decref(bad), json_decref(errs),
		    json_decref(review);
		return 0;
	}
	rfc3339_parse(str(req, "requested_at"), &at, &off);
	rq.requested_day = shop_day(r, at);
	if (str(tr, "at") != NULL && rfc3339_parse(str(tr, "at"), &at,
	    &off) == 0)
		rq.delivered_day = shop_day(r, at);
	else {
		reject_add(review, "no_delivery_date", "tracking.at",
		    "delivered, but when is not known");
		rq.delivered_day = rq.requested_day;
	}
	photos = json_array_size(json_object_get(req, "photos")) > 0;
	rq.has_photos = photos;
	cod = method != NULL && strcmp(method, "cod") == 0;
	if (cod && json_object_get(req, "refund_to") == NULL)
		reject_add(review, "refund_details_missing", "refund_to",
		    "a cash-on-delivery order is refunded to a bank account "
		    "the request does not give");
	returnstore_counts(&r->rs, j->order_id, count_fn, &counts);
	json_array_foreach(json_object_get(req, "items"), i, it) {
		memset(&ri, 0, sizeof(ri));
		ri.sku = str(it, "sku");
		ri.qty = int_of(it, "qty");
		ri.reason = returns_reason_parse(str(it, "reason"));
		ri.condition = returns_condition_parse(str(it, "condition"));
		ri.bought = returns_bought(order, ri.sku);
		if (r->has_catalog && catalog_find(&r->catalog, ri.sku))
			ri.category = catalog_find(&r->catalog,
			    ri.sku)->category;
		returns_counts_get(&counts, ri.sku, &approved, &held);
		/* Earlier items of this request count too. */
		json_array_foreach(ok, k, item)
			if (strcmp(str(item, "sku"), ri.sku) == 0)
				held += int_of(item, "qty");
		ri.returned = held;
		code = returns_decide_item(&r->pol, &rq, &ri);
		snprintf(field, sizeof(field), "items[%zu]", i);
		item = json_pack("{s:s,s:I,s:s,s:s}", "sku", ri.sku, "qty",
		    (json_int_t)ri.qty, "reason", str(it, "reason"),
		    "condition", str(it, "condition"));
		if (item == NULL)
			xnomem();
		if (code == RETURNS_OK || code == RETURNS_PHOTOS_REQUIRED) {
			if (code == RETURNS_PHOTOS_REQUIRED)
				reject_addf(review, "photos_required", field,
				    "a %s claim needs photos", str(it,
				    "reason"));
			fault |= returns_fault(ri.reason);
			if (wh == NULL)
				wh = returns_warehouse(order, ri.sku);
			jsonx_append_new(ok, item);
		} else {
			reject_addf(errs, returns_code_name(code), field,
			    "item %zu (%s): %s", i, ri.sku,
			    returns_code_name(code));
			jsonx_append_new(bad, item);
		}
	}
	if (json_array_size(bad) > 0) {
		j->rej = reject_of(order, "declined", request_id, bad, errs);
		r->declined++;
	}
	if (json_array_size(ok) > 0) {
		amount = returns_order_refund(&r->pol, order, ok, &counts,
		    returnstore_refunded(&r->rs, j->order_id),
		    rq.delivered_day, rq.requested_day, fault, &fee, &ship);
		due = returns_period_end(&r->pol, rq.requested_day,
		    r->pol.refund_days);
		rma = returns_rma(j->order_id, j->key);
		ret = json_pack("{s:s,s:s,s:s,s:O,s:I,s:o,s:s}",
		    "rma", rma, "decision", json_array_size(review) > 0 ?
		    "needs_review" : "approved", "request_id", request_id,
		    "items", ok, "amount", (json_int_t)(amount < 0 ? 0 :
		    amount), "currency", jsonx_string_or_null(str(order,
		    "currency")), "method", cod ? "bank_transfer" :
		    method != NULL ? method : "unknown");
		if (ret == NULL)
			xnomem();
		if (cod && json_object_get(req, "refund_to") != NULL)
			json_object_set(ret, "refund_to", json_object_get(req,
			    "refund_to"));
		jsonx_set_new(ret, "due_by", json_string(returns_day_format(due,
		    date, sizeof(date))));
		if (fee > 0)
			jsonx_set_new(ret, "restocking_fee", json_integer(fee));
		if (ship > 0)
			jsonx_set_new(ret, "shipping_refund",
			    json_integer(ship));
		k = r->pol.return_shipping == RETURNS_PAYER_SHOP ||
		    (r->pol.return_shipping == RETURNS_PAYER_SHOP_IF_FAULT &&
		    fault);
		jsonx_set_new(ret, "shop_pays_return_shipping",
		    json_boolean(k));
		if (wh != NULL)
			jsonx_set_new(ret, "warehouse", json_string(wh));
		if (k)
			jsonx_set_new(ret, "shipment", json_pack("{s:s,s:s,"
			    "s:o}", "paid_by", "shop", "from", "customer",
			    "to", jsonx_string_or_null(wh)));
		if (json_array_size(review) > 0) {
			/* Under review: one reject, with the declined items'
			 * errors too when the request was split. */
			jsonx_set_new(order, "return", ret);
			json_array_extend(review, errs);
			json_object_set(order, "errors", review);
			if (j->rej != NULL)
				r->declined--;
			free(j->rej);
			j->rej = line_of(order);
			json_object_del(order, "errors");
			r->review++;
		} else {
			status_move(order, "return_open", r->now);
			jsonx_set_new(order, "return", ret);
			j->out = line_of(order);
			r->approved++;
		}
		returnstore_add(&r->rs, rma, j->key, j->order_id, json_array_size(
		    review) > 0 ? "needs_review" : "approved", amount < 0 ? 0 :
		    amount, str(order, "currency") ? str(order, "currency") :
		    "", date, j->out ? j->out : j->rej, r->now);
		json_array_foreach(ok, i, it)
			returnstore_add_item(&r->rs, rma, str(it, "sku"),
			    int_of(it, "qty"));
		free(rma);
	}
	returns_counts_release(&counts);
	json_decref(ok);
	json_decref(bad);
	json_decref(errs);
	json_decref(review);
	return 1;
}

static void
decide_job(struct run *r, struct job *j)
{
	json_t *order, *errs;
	char *request_id = returns_request_id(j->req, j->key);

	if (returnstore_request(&r->rs, j->key, &j->out, &j->rej)) {
		r->stored++;
		free(request_id);
		return;
	}
	if ((order = find_order(r, j->order_id)) == NULL) {
		if ((errs = json_array()) == NULL)
			xnomem();
		reject_add(errs, "unknown_order", "order_id",
		    "no order of this id in the --orders files");
		j->rej = reject_of(j->req, "declined", request_id,
		    json_object_get(j->req, "items"), errs);
		json_decref(errs);
		r->declined++;
	} else {
		if (decide(r, j, order, request_id))
			returnstore_add_request(&r->rs, j->key, j->order_id,
			    j->out, j->rej, r->now);
		json_decref(order);
	}
	free(request_id);
}

static int
write_line(FILE *fp, const char *line)
{
	return fputs(line, fp) == EOF || putc('\n', fp) == EOF ? -1 : 0;
}

/* Decide a batch in one transaction, then write what was decided. */
static void
run_batch(struct run *r, struct job *jobs, size_t n)
{
	const char **ids = xcalloc(n + 1, sizeof(*ids));
	size_t i;

	for (i = 0; i < n; i++)
		ids[i] = jobs[i].order_id;
	store_begin(r->rs.st);
	returnstore_lock(&r->rs, ids, n);
	for (i = 0; i < n; i++)
		decide_job(r, &jobs[i]);
	store_commit(r->rs.st);
	for (i = 0; i < n; i++) {
		if (jobs[i].out != NULL) {
			if (write_line(stdout, jobs[i].out) == -1 &&
			    r->cli.out_error == NULL)
				r->cli.out_error = "cannot write '<stdout>'";
			r->nout++;
		}
		if (jobs[i].rej != NULL) {
			json_t *rec = jsonl_parse(jobs[i].rej,
			    strlen(jobs[i].rej), 0, NULL);
			json_t *e = json_incref(json_object_get(rec, "errors"));

			json_object_del(rec, "errors");
			reject_write(&r->rejects, rec, e);
			json_decref(e);
			json_decref(rec);
		}
		json_decref(jobs[i].req);
		free(jobs[i].order_id);
		free(jobs[i].key);
		free(jobs[i].out);
		free(jobs[i].rej);
	}
	free(ids);
}

static void
decide_all(struct run *r, struct jsonl_reader *in)
{
	struct job *jobs = xcalloc(BATCH, sizeof(*jobs));
	json_t *req, *errors;
	size_t n = 0;

	if ((errors = json_array()) == NULL)
		xnomem();
	while ((req = reject_read(&r->rejects, in)) != NULL) {
		if (returns_check_request(req, errors) == -1 ||
		    (jobs[n].order_id = jsonl_id_strdup(json_object_get(req,
		    "order_id"))) == NULL) {
			if (json_array_size(errors) == 0)
				reject_add(errors, "missing_field", "order_id",
				    "a request names its order");
			reject_write(&r->rejects, req, errors);
			json_array_clear(errors);
			json_decref(req);
			continue;
		}
		jobs[n].req = req;
		jobs[n].key = returns_request_key(jobs[n].order_id, req);
		if (++n == BATCH) {
			run_batch(r, jobs, n);
			n = 0;
		}
	}
	if (n > 0)
		run_batch(r, jobs, n);
	json_decref(errors);
	free(jobs);
}

/* --- --receive ------------------------------------------------------------ */

static void
receive_one(struct run *r, struct stock_db *sdb, json_t *line)
{
	json_t *errors = json_array(), *review = json_array(), *rec = NULL;
	json_t *ret, *moved, *it, *received;
	struct returnstore_return rr;
	struct returns_announced_list l = { NULL, 0 };
	const char *rma = str(line, "rma"), *wh, *disp;
	int64_t at, amount, due;
	int off, c;
	size_t i;
	char field[64], date[16];

	if (errors == NULL || review == NULL || (moved = json_array()) == NULL)
		xnomem();
	memset(&rr, 0, sizeof(rr));
	if (returns_check_receipt(line, errors) == -1)
		goto reject;
	rfc3339_parse(str(line, "received_at"), &at, &off);
	store_begin(r->rs.st);
	if (!returnstore_get(&r->rs, rma, &rr)) {
		reject_add(errors, "unknown_rma", "rma", "no return of this "
		    "RMA");
		goto rollback;
	}
	if (strcmp(rr.decision, "approved") != 0 ||
	    strcmp(rr.state, "open") != 0) {
		reject_addf(errors, "not_open", "rma", "the return is %s, %s: "
		    "it is received once, when approved", rr.decision,
		    rr.state);
		goto rollback;
	}
	rec = jsonl_parse(rr.record, strlen(rr.record), 0, NULL);
	ret = json_object_get(rec, "return");
	returnstore_items(&r->rs, rma, returns_announced_add, &l);
	json_array_foreach(json_object_get(line, "items"), i, it) {
		snprintf(field, sizeof(field), "items[%zu]", i);
		if (returns_announced_take(&l, str(it, "sku"),
		    int_of(it, "qty")) == -1)
			reject_addf(errors, "qty_exceeds_return", field,
			    "more of %s than the return announced",
			    str(it, "sku"));
	}
	if ((wh = str(line, "warehouse")) == NULL)
		wh = str(ret, "warehouse");
	json_array_foreach(json_object_get(line, "items"), i, it) {
		if (json_array_size(errors) > 0)
			break;
		c = returns_condition_parse(str(it, "condition"));
		disp = c <= RETURNS_UNUSED ? "restock" : "write_off";
		snprintf(field, sizeof(field), "items[%zu]", i);
		if (c <= RETURNS_UNUSED && (wh == NULL || stock_add(sdb,
		    str(it, "sku"), wh, int_of(it, "qty")) == -1)) {
			reject_addf(errors, "unknown_warehouse", "warehouse",
			    "no warehouse '%s' to put %s back in",
			    wh != NULL ? wh : "", str(it, "sku"));
			break;
		}
		returnstore_receive(&r->rs, rma, str(it, "sku"),
		    int_of(it, "qty"));
		returnstore_movement(&r->rs, rma, str(it, "sku"), wh,
		    int_of(it, "qty"), disp, str(it, "condition"), at);
		jsonx_append_new(moved, json_pack("{s:s,s:I,s:s,s:s}", "sku",
		    str(it, "sku"), "qty", (json_int_t)int_of(it, "qty"),
		    "condition", str(it, "condition"), "disposition", disp));
	}
	if (json_array_size(errors) > 0)
		goto rollback;
	received = returns_announced_received(&l);
	amount = returns_receipt_refund(&r->pol, ret, received,
	    json_object_get(line, "items"), review);
	json_decref(received);
	jsonx_set_new(ret, "amount", json_integer(amount));
	if (r->pol.refund_from_receipt) {
		due = returns_period_end(&r->pol, shop_day(r, at),
		    r->pol.refund_days);
		jsonx_set_new(ret, "due_by", json_string(returns_day_format(due,
		    date, sizeof(date))));
	}
	jsonx_set_new(ret, "received", json_pack("{s:s,s:o,s:O}", "at",
	    str(line, "received_at"), "warehouse", jsonx_string_or_null(wh),
	    "items", moved));
	if (json_array_size(review) > 0)
		jsonx_set_new(ret, "decision", json_string("needs_review"));
	{
		char *text = line_of(rec);

		returnstore_update(&r->rs, rma, json_array_size(review) > 0 ?
		    "review" : "received", amount, str(ret, "due_by"), text);
		free(text);
	}
	store_commit(r->rs.st);
	if (json_array_size(review) > 0) {
		reject_write(&r->rejects, rec, review);
		r->review++;
	} else {
		if (jsonl_write(stdout, rec) == -1 && r->cli.out_error == NULL)
			r->cli.out_error = "cannot write '<stdout>'";
		r->nout++;
		r->approved++;
	}
	goto out;
rollback:
	store_rollback(r->rs.st);
reject:
	reject_write(&r->rejects, line, errors);
	r->declined++;
out:
	returns_announced_release(&l);
	returnstore_return_release(&rr);
	json_decref(rec);
	json_decref(moved);
	json_decref(errors);
	json_decref(review);
}

static void
receive_all(struct run *r, struct jsonl_reader *in)
{
	struct stock_db sdb;
	json_t *line;

	stock_attach(&sdb, r->rs.st);
	while ((line = reject_read(&r->rejects, in)) != NULL) {
		receive_one(r, &sdb, line);
		json_decref(line);
	}
}

/* --- --overdue ------------------------------------------------------------ */

static void
overdue_fn(void *arg, const struct returns_owed *o)
{
	struct run *r = arg;
	json_t *p;

	p = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:s}", "type", "problem",
	    "code", "refund_overdue", "rma", o->rma, "order_id", o->order_id,
	    "amount", (json_int_t)o->amount, "currency", o->currency,
	    "due_by", o->due_by);
	if (p == NULL)
		xnomem();
	if (jsonl_write(stdout, p) == -1 && r->cli.out_error == NULL)
		r->cli.out_error = "cannot write '<stdout>'";
	json_decref(p);
	r->nout++;
}

/* Refunds due within a day that pay-reconcile has not seen paid. */
static void
overdue(struct run *r, const char *db)
{
	returns_overdue(&r->rs, db, shop_day(r, r->now) + 1, overdue_fn, r);
}

static void
release_run(struct run *r)
{
	returns_policy_release(&r->pol);
	if (r->has_catalog)
		catalog_release(&r->catalog);
	strmap_release(&r->orders);
	arena_release(&r->arena);
	free(r->lines);
}

int
main(int argc, char *argv[])
{
	struct run r;
	struct jsonl_reader in;
	struct conf *conf, *policy = NULL;
	const char *db = NULL, *config_path = NULL, *policy_path = NULL;
	const char *catalog_path = NULL;
	char **orders = NULL, err[256];
	int norders = 0, ch, offset, overdue_mode = 0, receive = 0;
	int status = 0, rc;

	memset(&r, 0, sizeof(r));
	r.cli.usage = usage_text;
	r.cli.help = &help_text;
	r.now = (int64_t)time(NULL);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&r.cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_CATALOG:
			catalog_path = optarg;
			break;
		case OPT_CONFIG:
			config_path = optarg;
			break;
		case OPT_DB:
			db = optarg;
			break;
		case OPT_NOW:
			if (rfc3339_parse(optarg, &r.now, &offset) == -1)
				cli_usage_error(&r.cli, "--now '%s' is not an "
				    "RFC 3339 time with an offset", optarg);
			break;
		case OPT_ORDERS:
			orders = xrealloc(orders, (norders + 1) *
			    sizeof(*orders));
			orders[norders++] = optarg;
			break;
		case OPT_OVERDUE:
			overdue_mode = 1;
			break;
		case OPT_RECEIVE:
			receive = 1;
			break;
		case OPT_POLICY:
			policy_path = optarg;
			break;
		default:
			cli_usage_error(&r.cli, NULL);
		}
	}
	if (receive && overdue_mode)
		cli_usage_error(&r.cli, "--receive and --overdue go one at a "
		    "time");
	if (overdue_mode && optind != argc)
		cli_usage_error(&r.cli, "--overdue reads no input");
	conf = conf_load(config_path);
	if (policy_path != NULL)
		policy = conf_load(policy_path);
	returns_policy_load(&r.pol, conf, policy);
	r.tz = conf_get(conf, "shop", NULL, "tz");
	if (r.tz != NULL && *r.tz != '+' && *r.tz != '-' &&
	    strcmp(r.tz, "Z") != 0) {
		setenv("TZ", r.tz, 1);
		tzset();
	}
	if (catalog_path != NULL) {
		if ((rc = catalog_load(&r.catalog, catalog_path, err,
		    sizeof(err))) != 0)
			errx(rc, "%s", err);
		r.has_catalog = 1;
	}
	if (!overdue_mode)
		cli_need_input(&r.cli, argc - optind);
	/* An --orders file that cannot be read stops the run before any
	 * request is decided without its orders. */
	if (!receive && !overdue_mode && norders > 0 &&
	    (rc = load_orders(&r, orders, norders)) != 0) {
		release_run(&r);
		free(orders);
		conf_free(policy);
		conf_free(conf);
		return rc;
	}
	reject_open(&r.rejects, overdue_mode ? NULL : r.cli.rejects_path);
	returnstore_open(&r.rs, db);
	tracking_init(&r.tdb, r.rs.st);
	memset(&in, 0, sizeof(in));
	if (overdue_mode)
		overdue(&r, db);
	else {
		jsonl_open(&in, argc - optind, argv + optind);
		if (receive)
			receive_all(&r, &in);
		else
			decide_all(&r, &in);
		status = jsonl_close(&in);
	}
	returnstore_close(&r.rs);
	release_run(&r);
	free(orders);
	conf_free(policy);
	conf_free(conf);
	cli_count("read", in.nlines);
	cli_count("written", r.nout);
	cli_count("approved", r.approved);
	cli_count("needs_review", r.review);
	cli_count("declined", r.declined);
	cli_count("again", r.stored);
	return cli_finish(&r.cli, status, &r.rejects, "%lu read, %lu "
	    "approved, %lu under review, %lu declined, %lu decided before",
	    in.nlines, r.approved, r.review, r.declined, r.stored);
}
