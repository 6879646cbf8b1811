/* pay-reconcile: match orders to the transactions payment providers
 * report, pass on the paid and cash-on-delivery ones, reject the rest. */
#include <err.h>
#include <errno.h>
#include <getopt.h>
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
#include "exporttime.h"
#include "fileio.h"
#include "jsonl.h"
#include "jsonx.h"
#include "money.h"
#include "paymatch.h"
#include "payment.h"
#include "paystore.h"
#include "pipeline.h"
#include "profile.h"
#include "reject.h"
#include "rfc3339.h"
#include "status.h"
#include "risk.h"
#include "strmap.h"
#include "valueblock.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: pay-reconcile [--payments FILE ...] [--provider NAME] [--map FILE]\n"
    "                     [--allow CODE,...] [--config FILE] [--db URL]\n"
    "                     [--report FILE] [--rejects FILE] [--hold-risk SCORE]\n"
    "                     [--jobs N] [--now TIME] [--progress | --no-progress]\n"
    "                     [--stats[=json|FILE]] [--strict] [--tz ZONE]\n"
    "                     [FILE ...]\n";

#define OPT_ALLOW	'a'
#define OPT_CONFIG	'c'
#define OPT_DB		'd'
#define OPT_HOLD	'H'
#define OPT_JOBS	'j'
#define OPT_MAP		'm'
#define OPT_NOW		'n'
#define OPT_PAYMENTS	'p'
#define OPT_PROVIDER	'P'
#define OPT_REPORT	'R'
#define OPT_TZ		'z'

static const struct option longopts[] = {
	{ "allow",	required_argument, NULL, OPT_ALLOW },
	{ "config",	required_argument, NULL, OPT_CONFIG },
	{ "db",		required_argument, NULL, OPT_DB },
	CLI_OPT_HELP,
	{ "hold-risk",	required_argument, NULL, OPT_HOLD },
	{ "jobs",	required_argument, NULL, OPT_JOBS },
	{ "map",	required_argument, NULL, OPT_MAP },
	CLI_OPT_NO_PROGRESS,
	{ "now",	required_argument, NULL, OPT_NOW },
	{ "payments",	required_argument, NULL, OPT_PAYMENTS },
	CLI_OPT_PROGRESS,
	{ "provider",	required_argument, NULL, OPT_PROVIDER },
	CLI_OPT_REJECTS,
	{ "report",	required_argument, NULL, OPT_REPORT },
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	{ "tz",		required_argument, NULL, OPT_TZ },
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

/* --help: what the page says, a line each. */
static const struct cli_item help_options[] = {
	{ "--allow CODE,...", "pass an order with these errors, as warnings" },
	{ "--config FILE", "the configuration: source profiles (orderkit.conf(5))" },
	{ "--db PATH|URL", "the store: a SQLite file or a postgresql:// URL" },
	CLI_ITEM_HELP,
	{ "--hold-risk SCORE",
	    "reject orders whose risk score is SCORE or more" },
	{ "--jobs N", "accepted as order-validate takes it; one thread for now" },
	{ "--map FILE", "read CSV reports through this map" },
	CLI_ITEM_NO_PROGRESS,
	{ "--now TIME", "the time of the run (RFC 3339)" },
	{ "--payments FILE", "a provider's report of transactions" },
	CLI_ITEM_PROGRESS,
	{ "--provider NAME", "the provider of every --payments file" },
	CLI_ITEM_REJECTS,
	{ "--report FILE", "write the report of the run to FILE" },
	CLI_ITEM_STATS,
	CLI_ITEM_STRICT,
	{ "--tz ZONE", "the zone of the summaries' days (default: UTC)" },
	CLI_ITEM_VERSION,
	{ NULL, NULL }
};
static const int help_exits[] = { 0, 64, 65, 66, 69, 73, 74, 75, 78, -1 };
static const struct cli_help help_text = {
	"Match orders to what the payment providers report.",
	help_options, help_exits, "pay-reconcile(1)"
};

#define ORDER_CHUNK 512	/* orders looked up at once: few, as they are big */

/* Bits of struct summary's overflow: the sums that do not fit. */
#define SUM_GROSS	1
#define SUM_FEES	2
#define SUM_REFUNDS	4

struct summary {
	char	 currency[4];
	char	 day[11];
	int64_t	 gross, fees, refunds;
	unsigned overflow;	/* SUM_* */
	unsigned long ntxns, counts[PAYMATCH_NCLASSES];
};

struct run {
	struct paymatch	 m;		/* the transactions */
	struct risk	 risk;		/* the orders so far */
	struct profile_set *profiles;	/* what each source guarantees */
	struct allow	 allow;		/* --allow: errors waived */
	struct strmap	 sumidx;	/* "RUB 2026-11-20": its summary */
	struct summary	*sums;
	size_t		 nsums, capsums;
	const struct payment_txn **view; /* an order's, for risk_assess() */
	size_t		 capview;
	FILE		*report;
	const char	*report_path;
	int64_t		 now;
	int		 tz;		/* --tz: minutes east of UTC */
	char		 now_text[32];
	long		 hold;		/* --hold-risk, -1 none */
	unsigned long	 nread, norphans, nconflicts;
	unsigned long	 nout[PAYMATCH_NCLASSES];
};

static const char *const *const class_names = paymatch_class_names;

static void
report_line(struct run *r, json_t *line)
{
	if (line == NULL)
		xnomem();
	if (r->report != NULL)
		jsonl_write(r->report, line);
	json_decref(line);
}

/* A transaction reported again with other figures: a line of the report. */
static void
conflict(void *arg, const struct paymatch_txn *t, const char *message)
{
	struct run *r = arg;

	r->nconflicts++;
	report_line(r, json_pack("{s:s, s:s, s:s, s:s}", "type", "conflict",
	    "provider", t->p.provider, "transaction_id", t->p.id, "message",
	    message));
}

static const char *
jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) && json_string_length(v) > 0 ?
	    json_string_value(v) : NULL;
}

/* The id of order as text (in idnum when it is a number), or NULL. */
static const char *
order_id(const json_t *order, char idnum[32])
{
	const json_t *id = json_object_get(order, "id");

	if (json_is_integer(id)) {
		snprintf(idnum, 32, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(id));
		return idnum;
	}
	return jstr(order, "id");
}

/* The identity of order (paymatch.h): its source and id in buf, or its id
 * alone (in idnum when it is a number); NULL when it has no id. */
static const char *
order_ident(const json_t *order, char idnum[32], char buf[PAYMATCH_KEYLEN])
{
	const char *id = order_id(order, idnum), *source = jstr(order,
	    "source");
	int n;

	if (id == NULL || source == NULL)
		return id;
	n = snprintf(buf, PAYMATCH_KEYLEN, "%s%c%s", source, PAYMATCH_US, id);
	return n >= 0 && n < PAYMATCH_KEYLEN ? buf : id;
}

/* The ids of the transactions found, or of their captured charges. */
static json_t *
txn_ids(const struct paymatch *m, int charges_only)
{
	json_t *a;
	const struct paymatch_txn *t;
	size_t i;

	if ((a = json_array()) == NULL)
		xnomem();
	for (i = 0; i < m->nfound; i++) {
		t = &m->txns[m->found[i]];
		if (charges_only && (t->p.kind != PAYMENT_CHARGE ||
		    t->p.state != PAYMENT_SUCCEEDED))
			continue;
		if (json_array_append_new(a, json_string(t->p.id)) == -1)
			xnomem();
	}
	return a;
}

/* Summaries per currency and day. */

/* The day of epoch in the zone of --tz (UTC by default). */
static void
day_of(int64_t epoch, int tz, char day[11])
{
	char buf[32];

	rfc3339_format(epoch, tz, buf, sizeof(buf));
	memcpy(day, buf, 10);
	day[10] = '\0';
}

static struct summary *
summary_for(struct run *r, const char *currency, int64_t epoch)
{
	char key[32], day[11];
	unsigned long *p;
	struct summary *s;
	int added;

	day_of(epoch != 0 ? epoch : r->now, r->tz, day);
	snprintf(key, sizeof(key), "%s %s", currency, day);
	p = strmap_put(&r->sumidx, key, strlen(key), &added);
	if (!added)
		return &r->sums[*p];
	*p = r->nsums;
	if (r->nsums == r->capsums) {
		r->capsums = r->capsums ? r->capsums * 2 : 64;
		r->sums = xrealloc(r->sums, r->capsums * sizeof(*r->sums));
	}
	s = &r->sums[r->nsums];
	memset(s, 0, sizeof(*s));
	memcpy(s->currency, currency, 4);
	memcpy(s->day, day, 11);
	r->nsums++;
	return s;
}

static int
cmp_summary(const void *a, const void *b)
{
	const struct summary *x = a, *y = b;
	int c = strcmp(x->currency, y->currency);

	return c != 0 ? c : strcmp(x->day, y->day);
}

static void
sum_transactions(struct run *r)
{
	struct summary *s;
	const struct paymatch_txn *t;
	size_t i;
	int64_t extra;

	for (i = 0; i < r->m.ntxns; i++) {
		t = &r->m.txns[i];
		if (!t->in_file || paymatch_superseded(&r->m, t))
			continue;	/* one of its charges counts for it */
		s = summary_for(r, t->p.currency, t->p.created);
		s->ntxns++;
		if (t->p.state != PAYMENT_SUCCEEDED)
			continue;
		if (money_add(s->fees, t->p.fee, &s->fees) == -1)
			s->overflow |= SUM_FEES;
		if (t->p.kind == PAYMENT_CHARGE) {
			if (money_add(s->gross, t->p.amount, &s->gross) == -1)
				s->overflow |= SUM_GROSS;
			if (paymatch_unlinked_refunds(t, &extra) == -1 ||
			    money_add(s->refunds, extra, &s->refunds) == -1)
				s->overflow |= SUM_REFUNDS;
		} else if (t->p.kind == PAYMENT_REFUND &&
		    money_add(s->refunds, t->p.amount, &s->refunds) == -1)
			s->overflow |= SUM_REFUNDS;
	}
}

/* A sum of the summary: the amount, or null when it does not fit. */
static json_t *
summary_amount(const struct summary *s, unsigned bit, int64_t v)
{
	return s->overflow & bit ? json_null() : json_integer(v);
}

/* The message of amount_overflow: what adds up beyond what int64_t
 * holds, in the currency's units. */
static void
add_overflow(json_t *errors, const char *field, const char *what,
    const char *currency)
{
	const struct money_currency *c = money_currency(currency);
	char max[40];

	reject_addf(errors, "amount_overflow", field, "the %s add up to "
	    "more than %s %s, the most an amount can be", what,
	    money_format(INT64_MAX, c != NULL ? c->exponent : 2, max,
	    sizeof(max)), currency);
}

static void
write_summaries(struct run *r)
{
	struct summary *s;
	json_t *counts, *line, *errors, *net;
	int64_t v;
	size_t i;
	int c;

	if (r->nsums > 1)
		qsort(r->sums, r->nsums, sizeof(*r->sums), cmp_summary);
	for (i = 0; i < r->nsums; i++) {
		s = &r->sums[i];
		if ((counts = json_object()) == NULL ||
		    (errors = json_array()) == NULL)
			xnomem();
		for (c = 0; c < PAYMATCH_NCLASSES; c++)
			jsonx_set_new(counts, class_names[c], json_integer(s->counts[c]));
		if (s->overflow & SUM_GROSS)
			add_overflow(errors, "gross", "captured charges",
			    s->currency);
		if (s->overflow & SUM_FEES)
			add_overflow(errors, "fees", "fees", s->currency);
		if (s->overflow & SUM_REFUNDS)
			add_overflow(errors, "refunds", "refunds",
			    s->currency);
		if (s->overflow != 0)
			net = json_null();
		else if (money_sub(s->gross, s->refunds, &v) == -1 ||
		    money_sub(v, s->fees, &v) == -1) {
			add_overflow(errors, "net", "captured charges less "
			    "refunds and fees", s->currency);
			net = json_null();
		} else
			net = json_integer(v);
		line = json_pack("{s:s, s:s, s:s, s:I, s:o, s:o, s:o, s:o, "
		    "s:o}", "type", "summary", "currency", s->currency, "day",
		    s->day, "transactions", (json_int_t)s->ntxns, "gross",
		    summary_amount(s, SUM_GROSS, s->gross), "fees",
		    summary_amount(s, SUM_FEES, s->fees), "refunds",
		    summary_amount(s, SUM_REFUNDS, s->refunds), "net", net,
		    "orders", counts);
		if (line != NULL && json_array_size(errors) > 0)
			jsonx_set_new(line, "errors", json_incref(errors));
		json_decref(errors);
		report_line(r, line);
	}
}

static void
write_orphans(struct run *r)
{
	struct paymatch_txn *t, *c;
	const char *h;
	json_t *line;
	char when[32];
	size_t i;

	for (i = 0; i < r->m.ntxns; i++) {
		t = &r->m.txns[i];
		if (!t->in_file || t->matched_now ||
		    t->p.kind == PAYMENT_OTHER || t->p.state == PAYMENT_FAILED)
			continue;
		c = t->parent_idx ? &r->m.txns[t->parent_idx - 1] : NULL;
		if (t->matched == NULL && c != NULL && c->matched != NULL) {
			t->matched = c->matched;   /* a refund of an order
						    * settled before */
			t->dirty = 1;
		}
		if (t->matched == NULL &&
		    (h = paymatch_payment_order(&r->m, t)) != NULL) {
			t->matched = h;		/* one payment with a
						 * transaction matched */
			t->dirty = 1;
		}
		if (t->matched != NULL)
			continue;
		if (paymatch_superseded(&r->m, t))
			continue;		/* its charge is reported */
		r->norphans++;
		line = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s}",
		    "type", "orphan", "provider", t->p.provider,
		    "transaction_id", t->p.id, "kind",
		    payment_kind_name(t->p.kind), "status",
		    payment_state_name(t->p.state), "amount",
		    (json_int_t)t->p.amount, "currency", t->p.currency);
		if (line == NULL)
			xnomem();
		if (t->p.created != 0)
			jsonx_set_new(line, "created", json_string(rfc3339_format(
			    t->p.created, 0, when, sizeof(when))));
		if (t->p.order_ref != NULL || t->p.alt_ref != NULL)
			jsonx_set_new(line, "order_ref", json_string(t->p.order_ref ?
			    t->p.order_ref : t->p.alt_ref));
		if (t->p.parent != NULL)
			jsonx_set_new(line, "parent_id", json_string(t->p.parent));
		if (t->file != NULL) {
			jsonx_set_new(line, "file", jsonl_string_lossy(t->file,
			    strlen(t->file)));
			jsonx_set_new(line, "line", json_integer(t->p.line));
		}
		jsonx_set_new(line, "reason", json_string(t->p.order_ref == NULL &&
		    t->p.alt_ref == NULL ? "names no order and no order has "
		    "its id" : "no order read has the id it names"));
		report_line(r, line);
	}
}

/* What an order needs to be reconciled: an id (*id, in idnum when it is a
 * number), a total in minor units (*total) and a known currency, which is
 * returned; else NULL, with the errors in errors. */
static const struct money_currency *
order_checks(const json_t *order, char idnum[32], const char **id,
    int64_t *total, json_t *errors)
{
	const json_t *total_v;
	const struct money_currency *cur = NULL;
	const char *currency;

	*id = order_id(order, idnum);
	total_v = json_object_get(json_object_get(order, "totals"), "total");
	currency = jstr(order, "currency");
	if (*id == NULL)
		reject_add(errors, "missing_field", "id", "the order has no id");
	if (!json_is_integer(total_v))
		reject_add(errors, total_v == NULL ? "missing_field" :
		    "bad_amount", "totals.total", "totals.total must be a "
		    "whole number of minor units");
	else
		*total = json_integer_value(total_v);
	if (currency == NULL || (cur = money_currency(currency)) == NULL)
		reject_add(errors, currency == NULL ? "missing_field" :
		    "bad_currency", "currency", "the order's currency is not "
		    "an ISO 4217 code");
	return json_array_size(errors) > 0 ? NULL : cur;
}

/* A chunk of n orders, before any is written out: what they may need
 * brought in from the store, and the charges each would take claimed.
 * Orders that cannot be reconciled (order_checks()) claim nothing. */
static void
prepare_chunk(struct run *r, json_t *const *orders, size_t n,
    json_t *errors)
{
	const char **ids, **tids, **cids, **ctids, *id;
	char (*idnums)[32], (*idents)[PAYMATCH_KEYLEN];
	int64_t total;
	size_t i, nc = 0;

	ids = xcalloc(n + 1, sizeof(*ids));
	tids = xcalloc(n + 1, sizeof(*tids));
	cids = xcalloc(n + 1, sizeof(*cids));
	ctids = xcalloc(n + 1, sizeof(*ctids));
	idnums = xcalloc(n + 1, sizeof(*idnums));
	idents = xcalloc(n + 1, sizeof(*idents));
	for (i = 0; i < n; i++) {
		ids[i] = order_ident(orders[i], idnums[i], idents[i]);
		tids[i] = jstr(json_object_get(orders[i], "payment"),
		    "transaction_id");
		if (order_checks(orders[i], idnums[i], &id, &total,
		    errors) != NULL) {
			cids[nc] = ids[i];
			ctids[nc++] = tids[i];
		}
		json_array_clear(errors);
	}
	paymatch_load(&r->m, ids, tids, n);
	while (paymatch_claim(&r->m, cids, ctids, nc) > 0)
		continue;
	free(ids);
	free(tids);
	free(cids);
	free(ctids);
	free(idnums);
	free(idents);
}

/* The source of an identity held, in buf. */
static const char *
held_source(const char *held, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)(paymatch_order_id(held) - held - 1),
	    held);
	return buf;
}

/* One order: classify, set its payment and risk, and write it out. */
static void
reconcile(struct run *r, json_t *order, struct reject_stream *rejects,
    json_t *errors)
{
	struct paymatch *m = &r->m;
	json_t *payment, *ids, *risk;
	const struct money_currency *cur;
	const char *id_text, *method, *tid, *key, *h, *ident;
	char idbuf[PAYMATCH_KEYLEN], identbuf[PAYMATCH_KEYLEN], idnum[32];
	char a[40], b[40], srcbuf[64];
	struct paymatch_tally tl;
	enum paymatch_class cls;
	const struct profile *prof;
	int score, offset, named, collected;
	int64_t created = 0;
	size_t i;
	const struct paymatch_txn *t;

	memset(&tl, 0, sizeof(tl));
	if ((cur = order_checks(order, idnum, &id_text, &tl.total,
	    errors)) == NULL) {
		reject_write(rejects, order, errors);
		return;
	}
	tl.currency = cur->code;
	tl.exponent = cur->exponent;
	if ((payment = json_object_get(order, "payment")) == NULL ||
	    !json_is_object(payment)) {
		jsonx_set_new(order, "payment", json_object());
		payment = json_object_get(order, "payment");
	}
	method = jstr(payment, "method");
	tid = jstr(payment, "transaction_id");
	ident = order_ident(order, idnum, identbuf);
	key = paymatch_order_key(ident, idbuf);
	paymatch_find(m, key, tid);
	cls = paymatch_classify(m, method != NULL && strcmp(method, "cod") == 0,
	    &tl);
	/* a channel that collects the money has it when no report says
	 * otherwise; its own payout report, when given, proves it */
	prof = profile_of(r->profiles, order);
	if ((collected = profile_collects(prof, order)) && m->nfound == 0 &&
	    (cls == PAYMATCH_UNPAID || cls == PAYMATCH_COD))
		cls = PAYMATCH_MARKETPLACE_PAID;

	/* the payment section: the class and the numbers, none of which
	 * is right when a sum does not fit or no report was read */
	ids = txn_ids(m, 0);
	jsonx_set_new(payment, "status", json_string(class_names[cls]));
	if (collected) {
		jsonx_set_new(payment, "collected_by",
		    json_string(prof->source));
		jsonx_set_new(payment, "verified", json_boolean(m->nfound > 0));
		if (m->nfound > 0)
			jsonx_set_new(payment, "provider", json_string(
			    m->txns[m->found[0]].p.provider));
	}
	if (cls == PAYMATCH_AMOUNT_OVERFLOW ||
	    cls == PAYMATCH_MARKETPLACE_PAID) {
		json_object_del(payment, "paid");
		json_object_del(payment, "captured");
		json_object_del(payment, "refunded");
		json_object_del(payment, "fees");
	} else {
		jsonx_set_new(payment, "paid", json_integer(tl.net));
		jsonx_set_new(payment, "captured", json_integer(tl.captured));
		jsonx_set_new(payment, "refunded", json_integer(tl.refunded));
		jsonx_set_new(payment, "fees", json_integer(tl.fees));
	}
	jsonx_set_new(payment, "transactions", ids);
	jsonx_set_new(payment, "checked_at", json_string(r->now_text));
	if (m->nfound > r->capview) {
		r->capview = m->nfound;
		r->view = xrealloc(r->view, r->capview * sizeof(*r->view));
	}
	for (i = 0; i < m->nfound; i++)
		r->view[i] = &m->txns[m->found[i]].p;
	risk = risk_assess(&r->risk, order, tl.currency, tl.total, r->view,
	    m->nfound, &score);
	jsonx_set_new(order, "risk", risk);
	paymatch_settle(m, ident, key);
	if (jstr(order, "created_at") == NULL ||
	    rfc3339_parse(jstr(order, "created_at"), &created, &offset) == -1)
		created = 0;
	summary_for(r, tl.currency, created)->counts[cls]++;
	r->nout[cls]++;

	money_format(tl.net, tl.exponent, a, sizeof(a));
	money_format(tl.total, tl.exponent, b, sizeof(b));
	switch (cls) {
	case PAYMATCH_PAID:
	case PAYMATCH_COD:
	case PAYMATCH_MARKETPLACE_PAID:
		break;
	case PAYMATCH_UNPAID:
		reject_addf(errors, "unpaid", "payment", "no payment was "
		    "captured for %s %s", b, tl.currency);
		break;
	case PAYMATCH_PENDING:
		reject_addf(errors, "pending", "payment", "the payment is "
		    "authorised or in progress, not captured");
		break;
	case PAYMATCH_UNDERPAID:
		reject_addf(errors, "underpaid", "payment", "paid %s of %s %s",
		    a, b, tl.currency);
		break;
	case PAYMATCH_OVERPAID:
		reject_addf(errors, "overpaid", "payment", "paid %s for %s %s",
		    a, b, tl.currency);
		break;
	case PAYMATCH_DUPLICATE:
		reject_addf(errors, "duplicate", "payment", "captured %u times,"
		    " %s for %s %s", tl.ncaptured, money_format(tl.captured,
		    tl.exponent, a, sizeof(a)), b, tl.currency);
		break;
	case PAYMATCH_CURRENCY_MISMATCH:
		reject_addf(errors, "currency_mismatch", "payment", "a "
		    "payment is in another currency than the order's %s",
		    tl.currency);
		break;
	case PAYMATCH_REFUNDED:
		reject_addf(errors, "refunded", "payment", "all that was paid "
		    "was refunded");
		break;
	case PAYMATCH_PARTIALLY_REFUNDED:
		reject_addf(errors, "partially_refunded", "payment", "%s of %s "
		    "%s kept after refunds", a, b, tl.currency);
		break;
	case PAYMATCH_AMOUNT_OVERFLOW:
		add_overflow(errors, "payment", tl.overflow, tl.currency);
		break;
	default:
		break;
	}
	for (i = 0; i < m->ntaken; i++) {
		t = &m->txns[m->taken[i]];
		h = paymatch_holder(m, t, &named);
		reject_addf(errors, "transaction_taken", tid != NULL &&
		    (strcmp(tid, t->p.id) == 0 || (t->p.intent != NULL &&
		    strcmp(tid, t->p.intent) == 0)) ? "payment.transaction_id" :
		    "payment", "transaction '%s' belongs to order '%s'%s%s, %s",
		    t->p.id, paymatch_order_id(h), h != paymatch_order_id(h) ?
		    reject_text(" from ") : "", h != paymatch_order_id(h) ?
		    held_source(h, srcbuf, sizeof(srcbuf)) : "",
		    reject_text(named ? "which the provider names" :
		    "which claimed it first"));
	}
	if (cls == PAYMATCH_DUPLICATE)
		report_line(r, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:o}",
		    "type", "duplicate", "order_id", id_text, "currency",
		    tl.currency, "expected", (json_int_t)tl.total, "captured",
		    (json_int_t)tl.captured, "paid", (json_int_t)tl.net,
		    "transactions", txn_ids(m, 1)));
	else if (cls == PAYMATCH_UNDERPAID || cls == PAYMATCH_OVERPAID ||
	    cls == PAYMATCH_CURRENCY_MISMATCH)
		report_line(r, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, "
		    "s:I, s:O}", "type", "mismatch", "order_id", id_text,
		    "class", class_names[cls], "currency", tl.currency,
		    "expected", (json_int_t)tl.total, "paid",
		    (json_int_t)tl.net, "captured", (json_int_t)tl.captured,
		    "refunded", (json_int_t)tl.refunded, "transactions", ids));
	if (json_array_size(errors) == 0 && r->hold >= 0 && score >= r->hold)
		reject_addf(errors, "risk_hold", "risk", "risk score %d is at "
		    "or above --hold-risk %ld: check the order by hand", score,
		    r->hold);
	/* what the shop waives goes on, its class in payment.status and
	 * the reason in warnings */
	allow_apply(&r->allow, prof, order, errors);
	if (json_array_size(errors) == 0) {
		status_move(order, cls == PAYMATCH_COD ? "cod" : "paid", r->now);
		jsonl_write(stdout, order);
	} else {
		status_move(order, class_names[cls], r->now);
		reject_write(rejects, order, errors);
	}
}

/* Input that held no order record: when an operand is a payment report
 * or an orders export, say so and return EX_DATAERR; else 0. */
static int
not_orders(int argc, char *argv[])
{
	const char *what;
	int i, orders;

	for (i = 0; i < argc; i++) {
		if ((what = payment_sniff(argv[i], &orders)) == NULL)
			continue;
		if (orders)
			warnx("'%s' looks like %s orders export, not order "
			    "records: run order-import on it first", argv[i],
			    what);
		else
			warnx("'%s' is a payment report of %s, not order "
			    "records: give it as --payments", argv[i], what);
		return EX_DATAERR;
	}
	return 0;	/* lines that are not JSON: rejects, as ever */
}

static void
run_release(struct run *r)
{
	paymatch_release(&r->m);
	risk_release(&r->risk);
	free(r->view);
	strmap_release(&r->sumidx);
	free(r->sums);
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .usage = usage_text, .help = &help_text };
	struct jsonl_reader in;
	struct reject_stream rejects;
	struct payment_reader *pr;
	struct payment_map *map = NULL;
	struct paystore ps;
	struct run r;
	const char *provider = NULL, *map_path = NULL, *db = NULL;
	const char *config_path = NULL;
	struct conf *conf;
	const char **payments = NULL;
	char errbuf[512], *end;
	size_t npayments = 0, i;
	json_t *order, *errors, **orders;
	size_t norders;
	unsigned long nnew, nrecords = 0;
	int ch, status = 0, st, offset;

	valueblock_install();
	memset(&r, 0, sizeof(r));
	allow_init(&r.allow);
	r.hold = -1;
	r.now = time(NULL);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_ALLOW:
			if (allow_parse(&r.allow, optarg) == -1)
				cli_usage_error(&cli, "--allow '%s' is not a "
				    "list of error codes", optarg);
			break;
		case OPT_CONFIG:
			config_path = optarg;
			break;
		case OPT_DB:
			db = optarg;
			break;
		case OPT_HOLD:
			errno = 0;
			r.hold = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    r.hold < 0 || r.hold > 100)
				cli_usage_error(&cli, "--hold-risk '%s' is not "
				    "a score from 0 to 100", optarg);
			break;
		case OPT_JOBS:
			/* Taken, for pipelines that give every program the
			 * same options: the store's work is one connection's
			 * in input order, and the rest stays beside it. */
			if (pipeline_jobs(optarg) == -1)
				cli_usage_error(&cli, "--jobs '%s' is not a "
				    "number from 1 to 1024", optarg);
			break;
		case OPT_MAP:
			map_path = optarg;
			break;
		case OPT_NOW:
			if (rfc3339_parse(optarg, &r.now, &offset) == -1)
				cli_usage_error(&cli, "--now '%s' is not an "
				    "RFC 3339 time with an offset", optarg);
			break;
		case OPT_PAYMENTS:
			payments = xrealloc(payments, (npayments + 1) *
			    sizeof(*payments));
			payments[npayments++] = optarg;
			break;
		case OPT_PROVIDER:
			if (!payment_provider_valid(optarg))
				cli_usage_error(&cli, "--provider '%s' is not "
				    "stripe, yookassa, paypal, cloudpayments, "
				    "amazon, shopify, ebay, etsy or generic",
				    optarg);
			provider = optarg;
			break;
		case OPT_REPORT:
			r.report_path = optarg;
			break;
		case OPT_TZ:
			if (exporttime_zone(optarg, &r.tz) == -1)
				cli_usage_error(&cli, "unknown or daylight-saving "
				    "zone '%s': give +HH:MM", optarg);
			break;
		default:
			cli_usage_error(&cli, NULL);
		}
	}
	if (provider != NULL && strcmp(provider, "generic") == 0 &&
	    map_path == NULL)
		cli_usage_error(&cli, "--provider generic needs --map FILE");
	if (map_path != NULL && provider == NULL)
		provider = "generic";
	rfc3339_format(r.now, 0, r.now_text, sizeof(r.now_text));

	/* Everything is opened before the first record is read. */
	conf = conf_load(config_path);
	r.profiles = profile_load(conf);
	if (map_path != NULL && (map = payment_map_load(map_path, errbuf,
	    sizeof(errbuf), &st)) == NULL)
		errx(st, "%s", errbuf);
	for (i = 0; i < npayments; i++)
		if (strcmp(payments[i], "-") == 0)
			cli_usage_error(&cli, "--payments cannot be standard "
			    "input: orders come from there");
	cli_need_input(&cli, argc - optind);
	reject_open(&rejects, cli.rejects_path);
	if (r.report_path != NULL && (r.report = fileio_write(r.report_path,
	    0, errbuf, sizeof(errbuf))) == NULL)
		errx(EX_CANTCREAT, "%s", errbuf);
	paystore_open(&ps, db);
	paymatch_init(&r.m, &ps, r.now, conflict, &r);
	for (i = 0; i < npayments; i++) {
		if ((pr = payment_open(payments[i], provider, map,
		    &st)) == NULL) {
			paystore_close(&ps);
			exit(st);
		}
		r.nread += paymatch_read(&r.m, pr, payments[i], &rejects);
		if ((st = payment_close(pr)) == EX_DATAERR) {
			paystore_close(&ps);
			exit(st);	/* orders where payments belong */
		}
		if (st != 0 && status == 0)
			status = st;
	}
	paymatch_index(&r.m);
	/* What was read is kept before any order claims it: a claim then
	 * writes only the order of a row, not the row with its indexes. */
	paymatch_save(&r.m);

	jsonl_open(&in, argc - optind, argv + optind);
	if ((errors = json_array()) == NULL)
		xnomem();
	orders = xcalloc(ORDER_CHUNK, sizeof(*orders));
	do {
		for (norders = 0; norders < ORDER_CHUNK && (order =
		    reject_read(&rejects, &in)) != NULL; norders++)
			orders[norders] = order;
		nrecords += norders;
		prepare_chunk(&r, orders, norders, errors);
		for (i = 0; i < norders; i++) {
			reconcile(&r, orders[i], &rejects, errors);
			json_array_clear(errors);
			json_decref(orders[i]);	/* its only owner */
		}
	} while (norders == ORDER_CHUNK);
	free(orders);
	json_decref(errors);
	if ((st = jsonl_close(&in)) != 0 && status == 0)
		status = st;
	if (nrecords == 0 && in.nlines > 0 && (st = not_orders(argc - optind,
	    argv + optind)) != 0 && status == 0)
		status = st;

	write_orphans(&r);
	sum_transactions(&r);
	write_summaries(&r);
	paymatch_save(&r.m);
	paystore_close(&ps);
	nnew = r.m.nnew;	/* run_release() empties the set */
	run_release(&r);
	profile_free(r.profiles);
	allow_release(&r.allow);
	conf_free(conf);
	payment_map_free(map);
	free(payments);
	valueblock_release();
	if (r.report != NULL && jsonl_finish(r.report, r.report_path) == -1)
		status = EX_IOERR;
	cli_count("orders", in.nlines);
	cli_count("paid", r.nout[PAYMATCH_PAID]);
	cli_count("cod", r.nout[PAYMATCH_COD]);
	cli_count("transactions", r.nread);
	cli_count("marketplace_paid", r.nout[PAYMATCH_MARKETPLACE_PAID]);
	cli_count("new", nnew);
	cli_count("orphans", r.norphans);
	cli_count("conflicts", r.nconflicts);
	return cli_finish(&cli, status, &rejects, "%lu orders: %lu paid, %lu "
	    "cod, %lu marketplace_paid, %lu rejected; %lu transactions read, "
	    "%lu new, %lu orphans, %lu conflicts", in.nlines,
	    r.nout[PAYMATCH_PAID], r.nout[PAYMATCH_COD],
	    r.nout[PAYMATCH_MARKETPLACE_PAID], rejects.count, r.nread, nnew,
	    r.norphans, r.nconflicts);
}
