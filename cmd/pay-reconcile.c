/* pay-reconcile: match orders to the transactions payment providers
 * report, pass on the paid and cash-on-delivery ones, reject the rest. */
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

#include "arena.h"
#include "cli.h"
#include "fileio.h"
#include "jsonl.h"
#include "money.h"
#include "payment.h"
#include "paystore.h"
#include "reject.h"
#include "rfc3339.h"
#include "risk.h"
#include "store.h"
#include "strmap.h"
#include "utf8.h"
#include "valueblock.h"
#include "xalloc.h"

static const char usage_text[] =
    "usage: pay-reconcile --payments FILE [--payments FILE ...]\n"
    "                     [--provider NAME] [--map FILE] [--db URL]\n"
    "                     [--report FILE] [--rejects FILE] [--hold-risk SCORE]\n"
    "                     [--now TIME] [--stats] [--strict] [FILE ...]\n";

#define OPT_DB		'd'
#define OPT_HOLD	'H'
#define OPT_MAP		'm'
#define OPT_NOW		'n'
#define OPT_PAYMENTS	'p'
#define OPT_PROVIDER	'P'
#define OPT_REPORT	'R'

static const struct option longopts[] = {
	{ "db",		required_argument, NULL, OPT_DB },
	CLI_OPT_HELP,
	{ "hold-risk",	required_argument, NULL, OPT_HOLD },
	{ "map",	required_argument, NULL, OPT_MAP },
	{ "now",	required_argument, NULL, OPT_NOW },
	{ "payments",	required_argument, NULL, OPT_PAYMENTS },
	{ "provider",	required_argument, NULL, OPT_PROVIDER },
	CLI_OPT_REJECTS,
	{ "report",	required_argument, NULL, OPT_REPORT },
	CLI_OPT_STATS,
	CLI_OPT_STRICT,
	CLI_OPT_VERSION,
	{ NULL, 0, NULL, 0 }
};

/* The classes of an order, in the order of the summary's counts. */
enum class {
	PAID, UNDERPAID, OVERPAID, UNPAID, PENDING, DUPLICATE,
	CURRENCY_MISMATCH, REFUNDED, PARTIALLY_REFUNDED, COD, AMOUNT_OVERFLOW,
	NCLASSES
};

static const char *const class_names[NCLASSES] = {
	"paid", "underpaid", "overpaid", "unpaid", "pending", "duplicate",
	"currency_mismatch", "refunded", "partially_refunded", "cod",
	"amount_overflow"
};

/* A transaction in memory: read this run, or kept in the store.  Its
 * strings are in the run's arena. */
struct txn {
	struct payment_txn p;
	const char	*file;		/* the --payments file, or NULL */
	const char	*matched;	/* order it paid for, or NULL */
	const char	*claim;		/* claiming order, not yet stored */
	unsigned char	 in_file;	/* read this run */
	unsigned char	 dirty;		/* to be written to the store */
	unsigned char	 stored;	/* in the store before the run */
	unsigned char	 matched_now;	/* matched this run */
	unsigned char	 indexed;	/* in by_ref, by_tid, linked */
	unsigned char	 expanded;	/* its stored relatives looked up */
	unsigned char	 linked_overflow; /* linked does not fit */
	int64_t		 linked;	/* refund objects that point to it */
	uint32_t	 parent_idx;	/* charge of a refund, +1; 0 none */
	uint32_t	 first_child;	/* first refund of a charge, +1 */
	uint32_t	 next_sibling;	/* next refund of the same charge, +1 */
	uint32_t	 intent_idx;	/* a charge's payment intent, +1 */
	uint32_t	 first_charge;	/* an intent's first charge, +1 */
	uint32_t	 next_charge;	/* next charge of its intent, +1 */
	uint32_t	 mark;		/* last order that collected it */
};

/* Several transactions under one key, for the hash join of orders and
 * transactions: the map holds the key's latest posting + 1, and each
 * posting the one added before it under that key. */
struct postings {
	struct strmap	 heads;
	struct posting {
		uint32_t	 value, next;	/* next: posting + 1 */
	}		*posts;
	size_t		 n, cap;
};

/* Bits of struct summary's overflow: the sums that do not fit. */
#define SUM_GROSS	1
#define SUM_FEES	2
#define SUM_REFUNDS	4

struct summary {
	char	 currency[4];
	char	 day[11];
	int64_t	 gross, fees, refunds;
	unsigned overflow;	/* SUM_* */
	unsigned long ntxns, counts[NCLASSES];
};

struct run {
	struct arena	 arena;		/* strings living as long as the run */
	struct txn	*txns;
	size_t		 ntxns, captxns;
	struct strmap	 by_key;	/* provider\x1fid: its transaction */
	struct postings	 by_ref;	/* order id: transactions naming it */
	struct postings	 by_tid;	/* id and intent: the order's own */
	struct postings	 by_parent;	/* provider\x1fparent: each refund */
	struct risk	 risk;		/* the orders so far */
	struct strmap	 sumidx;	/* "RUB 2026-11-20": its summary */
	struct summary	*sums;
	size_t		 nsums, capsums;
	uint32_t	*found;		/* the current order's transactions */
	size_t		 nfound, capfound;
	const struct payment_txn **view; /* found, for risk_assess() */
	size_t		 capview;
	uint32_t	*taken;		/* those it claims that are another's */
	size_t		 ntaken, captaken;
	uint32_t	 mark;
	FILE		*report;
	const char	*report_path;
	int64_t		 now;
	char		 now_text[32];
	long		 hold;		/* --hold-risk, -1 none */
	unsigned long	 nread, nnew, norphans, nconflicts;
	unsigned long	 nout[NCLASSES];
};

/* Postings. */

static void
postings_add(struct postings *ix, const char *key, uint32_t value)
{
	unsigned long *head = strmap_put(&ix->heads, key, strlen(key), NULL);

	if (ix->n == ix->cap) {
		ix->cap = ix->cap ? ix->cap * 2 : 1024;
		ix->posts = xrealloc(ix->posts, ix->cap * sizeof(*ix->posts));
	}
	ix->posts[ix->n].value = value;
	ix->posts[ix->n].next = (uint32_t)*head;
	*head = ++ix->n;
}

/* The latest posting under key, +1; 0 when there is none. */
static uint32_t
postings_first(const struct postings *ix, const char *key)
{
	const unsigned long *head = strmap_find(&ix->heads, key, strlen(key));

	return head != NULL ? (uint32_t)*head : 0;
}

static void
postings_release(struct postings *ix)
{
	strmap_release(&ix->heads);
	free(ix->posts);
	memset(ix, 0, sizeof(*ix));
}

/* The index of the transaction under key in r->by_key, or -1. */
static long
txn_find(const struct run *r, const char *key)
{
	const unsigned long *i = strmap_find(&r->by_key, key, strlen(key));

	return i != NULL ? (long)*i : -1;
}

/* The key of a transaction: provider, US, id, in buf. */
static const char *
txn_key(const char *provider, const char *id, char *buf, size_t len)
{
	snprintf(buf, len, "%s\x1f%s", provider, id);
	return buf;
}

/* Transactions in. */

/* How far along a payment's life a state is: a later report never takes
 * it back (a captured charge that is refunded stays captured). */
static int
state_rank(int state)
{
	switch (state) {
	case PAYMENT_PENDING:		return 0;
	case PAYMENT_AUTHORIZED:	return 1;
	case PAYMENT_FAILED:		return 2;
	default:			return 3;
	}
}

static void
report_line(struct run *r, json_t *line)
{
	if (line == NULL)
		xnomem();
	if (r->report != NULL)
		jsonl_write(r->report, line);
	json_decref(line);
}

/* Merge what a report says of a transaction already known into it. */
static void
merge(struct run *r, struct txn *t, const struct payment_txn *p,
    int from_store)
{
	int changed = 0;

	if (strcmp(t->p.currency, p->currency) != 0 || t->p.kind != p->kind ||
	    (t->p.state == p->state && t->p.amount != p->amount)) {
		const struct money_currency *c1 = money_currency(t->p.currency);
		const struct money_currency *c2 = money_currency(p->currency);
		char a[40], b[40], msg[160];

		snprintf(msg, sizeof(msg), "reported as %s %s %s and as %s %s "
		    "%s; the first one counts", payment_kind_name(t->p.kind),
		    money_format(t->p.amount, c1 ? c1->exponent : 2, a,
		    sizeof(a)), t->p.currency, payment_kind_name(p->kind),
		    money_format(p->amount, c2 ? c2->exponent : 2, b,
		    sizeof(b)), p->currency);
		r->nconflicts++;
		report_line(r, json_pack("{s:s, s:s, s:s, s:s}", "type",
		    "conflict", "provider", t->p.provider, "transaction_id",
		    t->p.id, "message", msg));
		return;
	}
	if (state_rank(p->state) > state_rank(t->p.state) ||
	    (p->state == PAYMENT_SUCCEEDED && t->p.state != p->state)) {
		t->p.state = p->state;
		t->p.amount = p->amount;
		changed = 1;
	}
	if (p->refunded > t->p.refunded) {
		t->p.refunded = p->refunded;
		changed = 1;
	}
	if (p->fee > t->p.fee) {
		t->p.fee = p->fee;
		changed = 1;
	}
#define FILL(f) do { if (t->p.f == NULL && p->f != NULL) { \
	t->p.f = arena_strdup(&r->arena, p->f); changed = 1; } } while (0)
	FILL(parent);
	FILL(order_ref);
	FILL(alt_ref);
	FILL(intent);
	FILL(email);
	FILL(card);
#undef FILL
	if (t->p.card_country[0] == '\0' && p->card_country[0] != '\0') {
		memcpy(t->p.card_country, p->card_country, 3);
		changed = 1;
	}
	if (t->p.ip_country[0] == '\0' && p->ip_country[0] != '\0') {
		memcpy(t->p.ip_country, p->ip_country, 3);
		changed = 1;
	}
	if (t->p.created == 0 && p->created != 0) {
		t->p.created = p->created;
		changed = 1;
	}
	if (p->risky && !t->p.risky) {
		t->p.risky = 1;
		changed = 1;
	}
	if (changed && !from_store)
		t->dirty = 1;
}

static struct txn *
add_txn(struct run *r, const struct payment_txn *p, const char *file,
    int from_store, const char *matched)
{
	struct txn *t;
	char kbuf[512];
	const char *key;
	long i;

	key = txn_key(p->provider, p->id, kbuf, sizeof(kbuf));
	if ((i = txn_find(r, key)) != -1) {
		t = &r->txns[i];
		merge(r, t, p, from_store);
		if (!from_store && !t->in_file) {
			t->in_file = 1;
			t->file = file;
			t->p.line = p->line;
		}
		return t;
	}
	if (r->ntxns == r->captxns) {
		r->captxns = r->captxns ? r->captxns * 2 : 1024;
		r->txns = xrealloc(r->txns, r->captxns * sizeof(*r->txns));
	}
	t = &r->txns[r->ntxns];
	memset(t, 0, sizeof(*t));
	t->p = *p;
	payment_txn_keep(&t->p, &r->arena);
	t->matched = arena_strdup(&r->arena, matched);
	t->stored = from_store;
	t->in_file = !from_store;
	t->dirty = !from_store;
	t->file = file;
	strmap_add(&r->by_key, key, strlen(key), r->ntxns, NULL);
	if (!from_store)
		r->nnew++;
	r->ntxns++;
	return t;
}

/* Refund i is one of charge ci's. */
static void
link_refund(struct run *r, uint32_t i, uint32_t ci)
{
	struct txn *t = &r->txns[i], *c = &r->txns[ci];

	t->parent_idx = ci + 1;
	t->next_sibling = c->first_child;
	c->first_child = i + 1;
	if (t->p.state == PAYMENT_SUCCEEDED &&
	    strcmp(t->p.currency, c->p.currency) == 0 &&
	    money_add(c->linked, t->p.amount, &c->linked) == -1)
		c->linked_overflow = 1;
}

/* The refunds charge t reports beyond the refund objects linked to it
 * into *extra (0 when none): 0, or -1 when the sums do not fit. */
static int
unlinked_refunds(const struct txn *t, int64_t *extra)
{
	if (t->linked_overflow || money_sub(t->p.refunded, t->linked,
	    extra) == -1)
		return -1;
	if (*extra < 0)
		*extra = 0;
	return 0;
}

/* A row of the store: kept unless a transaction of that key is in memory
 * already (it came from the store first, so it is that row). */
static void
load_stored(void *arg, const struct payment_txn *p, const char *matched)
{
	struct run *r = arg;
	char kbuf[512];

	if (txn_find(r, txn_key(p->provider, p->id, kbuf, sizeof(kbuf))) ==
	    -1)
		add_txn(r, p, NULL, 1, matched);
}

/* Add keys[n] to a growing list; the strings must outlive it. */
static void
list_add(const char ***keys, size_t *n, size_t *cap, const char *key)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*keys = xrealloc(*keys, *cap * sizeof(**keys));
	}
	(*keys)[(*n)++] = key;
}

/* Bring in from the store the relatives of the transactions from index
 * from on: the refunds of each charge and the charge of each refund, a
 * payment intent and its charges, and theirs in turn, so that an order
 * sees all its money. */
static void
expand(struct run *r, struct paystore *ps, size_t from)
{
	const char **ids = NULL, **parents = NULL, **intents = NULL;
	size_t nids, nparents, nintents, capids = 0, capparents = 0;
	size_t capintents = 0, i, to;
	char kbuf[512];
	struct txn *t;

	while (from < r->ntxns) {
		nids = nparents = nintents = 0;
		to = r->ntxns;
		for (i = from; i < to; i++) {
			t = &r->txns[i];
			if (t->expanded)
				continue;
			t->expanded = 1;
			if (t->p.kind == PAYMENT_CHARGE && t->p.intent != NULL)
				list_add(&intents, &nintents, &capintents,
				    t->p.intent);
			if (t->p.kind == PAYMENT_CHARGE)
				list_add(&parents, &nparents, &capparents,
				    t->p.id);
			else if (t->p.kind == PAYMENT_REFUND &&
			    t->p.parent != NULL && txn_find(r,
			    txn_key(t->p.provider, t->p.parent, kbuf,
			    sizeof(kbuf))) == -1)
				list_add(&ids, &nids, &capids, t->p.parent);
		}
		paystore_find(ps, PAYSTORE_PARENT, parents, nparents,
		    load_stored, r);
		paystore_find(ps, PAYSTORE_ID, ids, nids, load_stored, r);
		paystore_find(ps, PAYSTORE_TID, intents, nintents,
		    load_stored, r);
		from = to;
	}
	free(ids);
	free(parents);
	free(intents);
}

/* A chunk of transactions read from a file: their rows in the store come
 * first, so that what was seen before counts first; then they are added. */
static void
add_chunk(struct run *r, struct paystore *ps, const struct payment_txn *buf,
    size_t n, const char *file)
{
	const char **ids = NULL;
	size_t nids = 0, capids = 0, i, from = r->ntxns;
	char kbuf[512];

	for (i = 0; i < n; i++)
		if (txn_find(r, txn_key(buf[i].provider, buf[i].id, kbuf,
		    sizeof(kbuf))) == -1)
			list_add(&ids, &nids, &capids, buf[i].id);
	paystore_find(ps, PAYSTORE_ID, ids, nids, load_stored, r);
	free(ids);
	for (i = 0; i < n; i++)
		add_txn(r, &buf[i], file, 0, NULL);
	expand(r, ps, from);
}

#define CHUNK	4096	/* transactions looked up at once */
#define ORDER_CHUNK 512	/* orders looked up at once: few, as they are big */

/* Read a --payments file in chunks.  The strings of a chunk live in
 * scratch until it is added. */
static void
read_payments(struct run *r, struct paystore *ps, struct payment_reader *pr,
    const char *file, struct reject_stream *rejects)
{
	struct payment_txn *buf, p;
	struct arena scratch;
	size_t n = 0;

	arena_init(&scratch);
	buf = xcalloc(CHUNK, sizeof(*buf));
	while (payment_next(pr, &p, rejects)) {
		r->nread++;
		buf[n] = p;
		payment_txn_keep(&buf[n], &scratch);
		if (++n == CHUNK) {
			add_chunk(r, ps, buf, n, file);
			arena_release(&scratch);
			n = 0;
		}
	}
	add_chunk(r, ps, buf, n, file);
	arena_release(&scratch);
	free(buf);
}

/* Whether t is a payment intent's own report (a Stripe payment_intent
 * that names no charge): a charge whose id is its payment intent's. */
static int
is_intent(const struct txn *t)
{
	return t->p.kind == PAYMENT_CHARGE && t->p.intent != NULL &&
	    strcmp(t->p.intent, t->p.id) == 0;
}

/* Charge ci is one of intent ii's: the two are one payment. */
static void
link_intent(struct run *r, uint32_t ci, uint32_t ii)
{
	struct txn *c = &r->txns[ci], *in = &r->txns[ii];

	c->intent_idx = ii + 1;
	c->next_charge = in->first_charge;
	in->first_charge = ci + 1;
}

/* Link charge i to its payment intent, or intent i to its charges, those
 * of them indexed before it. */
static void
index_intent(struct run *r, uint32_t i)
{
	struct txn *t = &r->txns[i], *f;
	char kbuf[512];
	uint32_t post, fi;
	long ii;

	if (is_intent(t)) {
		for (post = postings_first(&r->by_tid, t->p.id); post != 0;
		    post = r->by_tid.posts[post - 1].next) {
			fi = r->by_tid.posts[post - 1].value;
			f = &r->txns[fi];
			if (fi != i && f->indexed && f->intent_idx == 0 &&
			    f->p.kind == PAYMENT_CHARGE && !is_intent(f) &&
			    f->p.intent != NULL &&
			    strcmp(f->p.intent, t->p.id) == 0 &&
			    strcmp(f->p.provider, t->p.provider) == 0)
				link_intent(r, fi, i);
		}
		return;
	}
	if (t->p.intent == NULL || (ii = txn_find(r, txn_key(t->p.provider,
	    t->p.intent, kbuf, sizeof(kbuf)))) == -1)
		return;
	if (r->txns[ii].indexed && is_intent(&r->txns[ii]))
		link_intent(r, i, ii);
}

/* Put transaction i in the indexes orders look it up by, and link a refund
 * and its charge, and a charge and its payment intent, whichever of the two
 * comes second. */
static void
index_txn(struct run *r, uint32_t i)
{
	struct txn *t = &r->txns[i], *c, *f;
	char kbuf[512];
	uint32_t post;
	long ci;

	if (t->indexed)
		return;
	t->indexed = 1;
	if (t->p.order_ref != NULL)
		postings_add(&r->by_ref, t->p.order_ref, i);
	if (t->p.alt_ref != NULL && (t->p.order_ref == NULL ||
	    strcmp(t->p.alt_ref, t->p.order_ref) != 0))
		postings_add(&r->by_ref, t->p.alt_ref, i);
	postings_add(&r->by_tid, t->p.id, i);
	if (t->p.intent != NULL && strcmp(t->p.intent, t->p.id) != 0)
		postings_add(&r->by_tid, t->p.intent, i);
	if (t->p.kind == PAYMENT_CHARGE) {
		index_intent(r, i);
		txn_key(t->p.provider, t->p.id, kbuf, sizeof(kbuf));
		for (post = postings_first(&r->by_parent, kbuf); post != 0;
		    post = r->by_parent.posts[post - 1].next) {
			f = &r->txns[r->by_parent.posts[post - 1].value];
			if (f->indexed && f->parent_idx == 0)
				link_refund(r, r->by_parent.posts[post -
				    1].value, i);
		}
		return;
	}
	if (t->p.kind != PAYMENT_REFUND || t->p.parent == NULL)
		return;
	txn_key(t->p.provider, t->p.parent, kbuf, sizeof(kbuf));
	postings_add(&r->by_parent, kbuf, i);
	if ((ci = txn_find(r, kbuf)) == -1)
		return;
	c = &r->txns[ci];
	if (c->p.kind == PAYMENT_CHARGE && c->indexed)
		link_refund(r, i, ci);
}

/* Index the transactions from index from on. */
static void
build_indexes(struct run *r, size_t from)
{
	for (; from < r->ntxns; from++)
		index_txn(r, from);
}

/* Orders. */

static const char *
jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) && json_string_length(v) > 0 ?
	    json_string_value(v) : NULL;
}

/* Add idx to a growing list of transactions. */
static void
txn_list_add(uint32_t **list, size_t *n, size_t *cap, uint32_t idx)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*list = xrealloc(*list, *cap * sizeof(**list));
	}
	(*list)[(*n)++] = idx;
}

/* The key an order id is looked up and held by: as payment_ref_clean()
 * leaves it ("#1001" is "1001"), or as it is when that leaves nothing. */
static const char *
order_key(const char *id, char buf[128])
{
	const char *key = payment_ref_clean(id, buf, 128);

	return key != NULL ? key : id;
}

/* Whether held, an order id as the store, a report or an order writes it,
 * is the order whose key is key. */
static int
same_order(const char *held, const char *key)
{
	char buf[128];

	return strcmp(order_key(held, buf), key) == 0;
}

/* The payment intent whose payment t is part of, when its report is known
 * and is linked to a charge: t itself, or t's intent; else NULL. */
static const struct txn *
intent_of(const struct run *r, const struct txn *t)
{
	if (t->intent_idx != 0)
		return &r->txns[t->intent_idx - 1];
	return t->first_charge != 0 ? t : NULL;
}

/* Whether intent in is told by one of its charges, one as far along as it
 * (state_rank()): the charge then stands for the payment, and the intent
 * is not counted beside it. */
static int
superseded(const struct run *r, const struct txn *in)
{
	uint32_t k;

	for (k = in->first_charge; k != 0; k = r->txns[k - 1].next_charge)
		if (state_rank(r->txns[k - 1].p.state) >= state_rank(in->p.state))
			return 1;
	return 0;
}

enum { HELD_MATCHED, HELD_CLAIM, HELD_REF };

static const char *
held_field(const struct txn *t, int which)
{
	return which == HELD_MATCHED ? t->matched : which == HELD_CLAIM ?
	    t->claim : t->p.order_ref;
}

/* A field of c's payment: c's, or the first of its intent's and of the
 * intent's charges' when c is part of one. */
static const char *
payment_field(const struct run *r, const struct txn *c, int which)
{
	const struct txn *in;
	const char *v;
	uint32_t k;

	if ((in = intent_of(r, c)) == NULL)
		return held_field(c, which);
	if ((v = held_field(in, which)) != NULL)
		return v;
	for (k = in->first_charge; k != 0; k = r->txns[k - 1].next_charge)
		if ((v = held_field(&r->txns[k - 1], which)) != NULL)
			return v;
	return NULL;
}

/* Whether the report of c's payment (c, or its intent or the intent's
 * charges) names the order held. */
static int
payment_names(const struct run *r, const struct txn *c, const char *held)
{
	const struct txn *in;
	uint32_t k;

	if ((in = intent_of(r, c)) == NULL)
		return c->p.order_ref != NULL && same_order(held, c->p.order_ref);
	if (in->p.order_ref != NULL && same_order(held, in->p.order_ref))
		return 1;
	for (k = in->first_charge; k != 0; k = r->txns[k - 1].next_charge)
		if (r->txns[k - 1].p.order_ref != NULL && same_order(held,
		    r->txns[k - 1].p.order_ref))
			return 1;
	return 0;
}

/*
 * The order that transaction t belongs to, or NULL while it belongs to
 * none: the one it was matched to, in this run or in the store; else the
 * one that claims it before the store has it (see claim_chunk()); else the
 * one the provider's report names in its metadata, invoice or custom field
 * (order_ref, not a description), whether or not that order has come yet.
 * A refund whose charge is known is that charge's; a payment intent and its
 * charges are one payment, whose order is the first any of them has.
 * *named tells whether the report names the order.
 */
static const char *
holder(const struct run *r, const struct txn *t, int *named)
{
	const struct txn *c = t;
	const char *h;

	if (t->p.kind == PAYMENT_REFUND && t->parent_idx != 0)
		c = &r->txns[t->parent_idx - 1];
	if ((h = payment_field(r, c, HELD_MATCHED)) == NULL &&
	    (h = payment_field(r, c, HELD_CLAIM)) == NULL &&
	    (h = payment_field(r, c, HELD_REF)) == NULL &&
	    (h = t->matched) == NULL && (h = t->claim) == NULL)
		h = t->p.order_ref;
	*named = h != NULL && (payment_names(r, c, h) ||
	    (t->p.order_ref != NULL && same_order(h, t->p.order_ref)));
	return h;
}

static void collect(struct run *, uint32_t, const char *, int);

/* Add transaction idx to the order's, and a charge's refunds with it. */
static void
take(struct run *r, uint32_t idx, const char *key)
{
	uint32_t c;

	txn_list_add(&r->found, &r->nfound, &r->capfound, idx);
	if (r->txns[idx].p.kind == PAYMENT_CHARGE)
		for (c = r->txns[idx].first_child; c != 0;
		    c = r->txns[c - 1].next_sibling)
			collect(r, c - 1, key, 1);
}

/* Collect transaction idx, and a charge's refunds, for the order whose
 * cleaned id is key; one that belongs to another order goes to taken.  The
 * refunds of a charge the order holds are its own (refund is 1), whatever
 * order they name.  A payment intent and its charges come together, the
 * intent left out when a charge stands for it (superseded()). */
static void
collect(struct run *r, uint32_t idx, const char *key, int refund)
{
	const struct txn *in;
	const char *h;
	uint32_t ii = 0, k;
	int named;

	if (r->txns[idx].mark == r->mark)
		return;
	r->txns[idx].mark = r->mark;
	if ((in = intent_of(r, &r->txns[idx])) != NULL) {
		ii = in - r->txns;
		r->txns[ii].mark = r->mark;
		for (k = in->first_charge; k != 0;
		    k = r->txns[k - 1].next_charge)
			r->txns[k - 1].mark = r->mark;
	}
	if (!refund && (h = holder(r, &r->txns[idx], &named)) != NULL &&
	    !same_order(h, key)) {
		txn_list_add(&r->taken, &r->ntaken, &r->captaken, idx);
		return;
	}
	if (in == NULL) {
		take(r, idx, key);
		return;
	}
	if (!superseded(r, in))
		take(r, ii, key);
	for (k = in->first_charge; k != 0; k = r->txns[k - 1].next_charge)
		take(r, k - 1, key);
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

/* The transactions of the order with id key (cleaned, see order_key())
 * and payment.transaction_id tid into r->found, and those of them that
 * belong to another order into r->taken. */
static void
find_txns(struct run *r, const char *key, const char *tid)
{
	uint32_t p;

	r->nfound = r->ntaken = 0;
	r->mark++;
	for (p = postings_first(&r->by_ref, key); p != 0;
	    p = r->by_ref.posts[p - 1].next)
		collect(r, r->by_ref.posts[p - 1].value, key, 0);
	if (tid != NULL)
		for (p = postings_first(&r->by_tid, tid); p != 0;
		    p = r->by_tid.posts[p - 1].next)
			collect(r, r->by_tid.posts[p - 1].value, key, 0);
}

struct tally {
	int64_t		 captured, refunded, fees, net, total;
	unsigned	 ncaptured, nauthorized, npending, nfailed;
	int		 other_currency;
	const char	*overflow;	/* the sum that does not fit, or NULL */
	const char	*currency;
	int		 exponent;
};

static enum class
classify(struct run *r, int cod, struct tally *tl)
{
	struct txn *t;
	size_t i;
	int64_t extra;

	for (i = 0; i < r->nfound; i++) {
		t = &r->txns[r->found[i]];
		if (t->p.kind == PAYMENT_OTHER)
			continue;
		if (t->p.state == PAYMENT_FAILED) {
			tl->nfailed += t->p.kind == PAYMENT_CHARGE;
			continue;
		}
		if (strcmp(t->p.currency, tl->currency) != 0) {
			tl->other_currency = 1;
			continue;
		}
		if (t->p.kind == PAYMENT_REFUND) {
			if (t->p.state == PAYMENT_SUCCEEDED &&
			    money_add(tl->refunded, t->p.amount,
			    &tl->refunded) == -1)
				tl->overflow = "refunds";
			continue;
		}
		if (t->p.state == PAYMENT_AUTHORIZED) {
			tl->nauthorized++;
			continue;
		}
		if (t->p.state == PAYMENT_PENDING) {
			tl->npending++;
			continue;
		}
		tl->ncaptured++;
		if (money_add(tl->captured, t->p.amount, &tl->captured) == -1)
			tl->overflow = "captured charges";
		if (money_add(tl->fees, t->p.fee, &tl->fees) == -1)
			tl->overflow = "fees";
		/* a refund the charge reports and no refund object shows */
		if (unlinked_refunds(t, &extra) == -1 ||
		    money_add(tl->refunded, extra, &tl->refunded) == -1)
			tl->overflow = "refunds";
	}
	if (tl->overflow == NULL && money_sub(tl->captured, tl->refunded,
	    &tl->net) == -1)
		tl->overflow = "captured charges less refunds";
	if (tl->other_currency)
		return CURRENCY_MISMATCH;
	if (tl->overflow != NULL)
		return AMOUNT_OVERFLOW;
	if (tl->ncaptured == 0) {
		if (tl->nauthorized > 0 || tl->npending > 0)
			return PENDING;
		if (cod && tl->refunded == 0)
			return COD;
		if (tl->refunded > 0)
			return REFUNDED;
		/* a fully discounted order owes nothing */
		return tl->total == 0 ? PAID : UNPAID;
	}
	if (tl->refunded > 0 && tl->net <= 0)
		return REFUNDED;
	if (tl->net == tl->total)
		return PAID;
	if (tl->ncaptured > 1 && tl->net > tl->total)
		return DUPLICATE;
	if (tl->refunded > 0 && tl->net < tl->total)
		return PARTIALLY_REFUNDED;
	return tl->net < tl->total ? UNDERPAID : OVERPAID;
}

static json_t *
txn_ids(struct run *r, int charges_only)
{
	json_t *a;
	struct txn *t;
	size_t i;

	if ((a = json_array()) == NULL)
		xnomem();
	for (i = 0; i < r->nfound; i++) {
		t = &r->txns[r->found[i]];
		if (charges_only && (t->p.kind != PAYMENT_CHARGE ||
		    t->p.state != PAYMENT_SUCCEEDED))
			continue;
		if (json_array_append_new(a, json_string(t->p.id)) == -1)
			xnomem();
	}
	return a;
}

static void
set(json_t *o, const char *key, json_t *v)
{
	if (json_object_set_new(o, key, v) == -1)
		xnomem();
}

/* Summaries per currency and day. */

static void
day_of(int64_t epoch, char day[11])
{
	char buf[32];

	rfc3339_format(epoch, 0, buf, sizeof(buf));
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

	day_of(epoch != 0 ? epoch : r->now, day);
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
	struct txn *t;
	size_t i;
	int64_t extra;

	for (i = 0; i < r->ntxns; i++) {
		t = &r->txns[i];
		if (!t->in_file || (intent_of(r, t) == t && superseded(r, t)))
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
			if (unlinked_refunds(t, &extra) == -1 ||
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
		for (c = 0; c < NCLASSES; c++)
			set(counts, class_names[c], json_integer(s->counts[c]));
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
			set(line, "errors", json_incref(errors));
		json_decref(errors);
		report_line(r, line);
	}
}

static void
write_orphans(struct run *r)
{
	struct txn *t, *c;
	const char *h;
	json_t *line;
	char when[32];
	size_t i;

	for (i = 0; i < r->ntxns; i++) {
		t = &r->txns[i];
		if (!t->in_file || t->matched_now || t->p.kind == PAYMENT_OTHER ||
		    t->p.state == PAYMENT_FAILED)
			continue;
		c = t->parent_idx ? &r->txns[t->parent_idx - 1] : NULL;
		if (t->matched == NULL && c != NULL && c->matched != NULL) {
			t->matched = c->matched;   /* a refund of an order
						    * settled before */
			t->dirty = 1;
		}
		if (t->matched == NULL && intent_of(r, t) != NULL &&
		    (h = payment_field(r, t, HELD_MATCHED)) != NULL) {
			t->matched = h;		/* one payment with a
						 * transaction matched */
			t->dirty = 1;
		}
		if (t->matched != NULL)
			continue;
		if (intent_of(r, t) == t && superseded(r, t))
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
			set(line, "created", json_string(rfc3339_format(
			    t->p.created, 0, when, sizeof(when))));
		if (t->p.order_ref != NULL || t->p.alt_ref != NULL)
			set(line, "order_ref", json_string(t->p.order_ref ?
			    t->p.order_ref : t->p.alt_ref));
		if (t->p.parent != NULL)
			set(line, "parent_id", json_string(t->p.parent));
		if (t->file != NULL) {
			set(line, "file", jsonl_string_lossy(t->file,
			    strlen(t->file)));
			set(line, "line", json_integer(t->p.line));
		}
		set(line, "reason", json_string(t->p.order_ref == NULL &&
		    t->p.alt_ref == NULL ? "names no order and no order has "
		    "its id" : "no order read has the id it names"));
		report_line(r, line);
	}
}

/* A transaction to write, and the order it is written for: rows are
 * written sorted by provider and id, the order in which PostgreSQL then
 * locks them, the same in every run, so that two runs cannot deadlock. */
struct keyed {
	const char	*provider, *id, *order;
	uint32_t	 idx;
};

static int
cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->provider, y->provider);

	return c != 0 ? c : strcmp(x->id, y->id);
}

/* Add transaction idx, for order, to a growing list. */
static void
keyed_add(struct keyed **list, size_t *n, size_t *cap, const struct txn *t,
    uint32_t idx, const char *order)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*list = xrealloc(*list, *cap * sizeof(**list));
	}
	(*list)[*n].provider = t->p.provider;
	(*list)[*n].id = t->p.id;
	(*list)[*n].order = order;
	(*list)[(*n)++].idx = idx;
}

/* Write what changed to the store, in one transaction. */
static void
save_store(struct run *r, struct paystore *ps)
{
	struct keyed *rows = NULL;
	size_t nrows = 0, cap = 0, i;

	for (i = 0; i < r->ntxns; i++)
		if (r->txns[i].dirty)
			keyed_add(&rows, &nrows, &cap, &r->txns[i], i, NULL);
	if (nrows == 0)
		return;
	if (nrows > 1)
		qsort(rows, nrows, sizeof(*rows), cmp_keyed);
	store_begin(ps->store);
	for (i = 0; i < nrows; i++) {
		paystore_save(ps, &r->txns[rows[i].idx].p,
		    r->txns[rows[i].idx].matched, r->now);
		r->txns[rows[i].idx].dirty = 0;
	}
	paystore_flush(ps);
	store_commit(ps->store);
	free(rows);
}

/* Bring in from the store what a chunk of orders may need: the
 * transactions that name their ids or have their transaction ids, and
 * their relatives; and index them. */
static void
load_for_orders(struct run *r, struct paystore *ps, json_t *const *orders,
    size_t n)
{
	const char **refs = NULL, **tids = NULL, *id, *tid;
	size_t nrefs = 0, ntids = 0, caprefs = 0, captids = 0, i;
	size_t from = r->ntxns;
	struct arena scratch;
	char idnum[32], idbuf[128];

	arena_init(&scratch);
	for (i = 0; i < n; i++) {
		if ((id = order_id(orders[i], idnum)) != NULL &&
		    (id = payment_ref_clean(id, idbuf, sizeof(idbuf))) != NULL)
			list_add(&refs, &nrefs, &caprefs,
			    arena_strdup(&scratch, id));
		if ((tid = jstr(json_object_get(orders[i], "payment"),
		    "transaction_id")) != NULL)
			list_add(&tids, &ntids, &captids, tid);
	}
	paystore_find(ps, PAYSTORE_REF, refs, nrefs, load_stored, r);
	paystore_find(ps, PAYSTORE_TID, tids, ntids, load_stored, r);
	expand(r, ps, from);
	build_indexes(r, from);
	free(refs);
	free(tids);
	arena_release(&scratch);
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

/* What the store returns of a transaction while it is claimed: the order
 * it has (another run's, when that run was first) and the order its
 * report names, if this run did not know them. */
static void
refresh_stored(void *arg, const struct payment_txn *p, const char *matched)
{
	struct run *r = arg;
	struct txn *t;
	char kbuf[512];
	long i;

	if ((i = txn_find(r, txn_key(p->provider, p->id, kbuf,
	    sizeof(kbuf)))) == -1) {
		add_txn(r, p, NULL, 1, matched);
		return;
	}
	t = &r->txns[i];
	if (t->matched == NULL && matched != NULL)
		t->matched = arena_strdup(&r->arena, matched);
	if (t->p.order_ref == NULL && p->order_ref != NULL)
		t->p.order_ref = arena_strdup(&r->arena, p->order_ref);
}

/* The order the store holds a claimed transaction for: the claim's, but
 * for a run that was first after all. */
static void
claimed(void *arg, const char *provider, const char *id, const char *holder)
{
	struct run *r = arg;
	struct txn *t;
	char kbuf[512];
	long i;

	if (holder == NULL || (i = txn_find(r, txn_key(provider, id, kbuf,
	    sizeof(kbuf)))) == -1)
		return;
	t = &r->txns[i];
	if (t->matched == NULL || strcmp(t->matched, holder) != 0)
		t->matched = arena_strdup(&r->arena, holder);
}

/*
 * Claim in the store, before any order of the chunk is written out, the
 * charges its orders would take, so that another run reconciling at the
 * same time cannot count them too.  The orders are looked at in their
 * order, as reconcile() will, each claiming what belongs to no order yet;
 * then, in one store transaction, the claimed payments are locked by id
 * and payment intent, their rows read again, and each claim that no other
 * run has made since this one read the store is written.  A charge that
 * another run took is that run's order's here too, and reconcile() finds
 * it taken.  Returns the number of claims: the rows read again may bring
 * charges of the orders that no order holds, so the caller calls again
 * until there are none, and reconcile() then counts only charges the store
 * holds for the order.
 */
static size_t
claim_chunk(struct run *r, struct paystore *ps, json_t *const *orders,
    size_t n, json_t *errors)
{
	struct keyed *claims = NULL;
	struct payment_txn *rows;
	struct arena scratch;
	const char **keys = NULL, **ids = NULL, **owners, *id, *key, *h;
	const char *claimant;
	size_t nclaims = 0, capclaims = 0, nkeys = 0, capkeys = 0, nids = 0;
	size_t capids = 0, nrows = 0, from, i, j;
	char idnum[32], idbuf[128], kbuf[512];
	struct txn *t;
	int64_t total;
	int named;

	for (i = 0; i < n; i++) {
		if (order_checks(orders[i], idnum, &id, &total,
		    errors) == NULL) {
			json_array_clear(errors);
			continue;
		}
		key = order_key(id, idbuf);
		find_txns(r, key, jstr(json_object_get(orders[i], "payment"),
		    "transaction_id"));
		for (j = 0, claimant = NULL; j < r->nfound; j++) {
			t = &r->txns[r->found[j]];
			if (t->p.kind != PAYMENT_CHARGE || t->matched != NULL ||
			    t->claim != NULL)
				continue;
			if (claimant == NULL)
				claimant = arena_strdup(&r->arena, id);
			t->claim = claimant;
			keyed_add(&claims, &nclaims, &capclaims, t,
			    r->found[j], claimant);
		}
	}
	if (nclaims == 0)
		return 0;
	qsort(claims, nclaims, sizeof(*claims), cmp_keyed);

	arena_init(&scratch);
	for (i = 0; i < nclaims; i++) {
		t = &r->txns[claims[i].idx];
		t->claim = NULL;
		list_add(&keys, &nkeys, &capkeys, arena_strdup(&scratch,
		    txn_key(t->p.provider, t->p.id, kbuf, sizeof(kbuf))));
		list_add(&ids, &nids, &capids, t->p.id);
		if (t->p.intent != NULL) {
			list_add(&keys, &nkeys, &capkeys, arena_strdup(&scratch,
			    txn_key(t->p.provider, t->p.intent, kbuf,
			    sizeof(kbuf))));
			list_add(&ids, &nids, &capids, t->p.intent);
		}
	}
	store_begin(ps->store);
	paystore_lock(ps, keys, nkeys);
	from = r->ntxns;
	paystore_find(ps, PAYSTORE_TID, ids, nids, refresh_stored, r);
	expand(r, ps, from);
	build_indexes(r, from);

	rows = xcalloc(nclaims, sizeof(*rows));
	owners = xcalloc(nclaims, sizeof(*owners));
	for (i = 0; i < nclaims; i++) {
		t = &r->txns[claims[i].idx];
		if ((h = holder(r, t, &named)) != NULL && !same_order(h,
		    order_key(claims[i].order, idbuf)))
			continue;	/* another run's, or named another */
		t->matched = claims[i].order;
		rows[nrows] = t->p;
		owners[nrows++] = claims[i].order;
	}
	paystore_claim(ps, rows, owners, nrows, r->now, claimed, r);
	store_commit(ps->store);
	free(rows);
	free(owners);
	free(keys);
	free(ids);
	free(claims);
	arena_release(&scratch);
	return nclaims;
}

/* Transaction t is the order's whose id is matched (key cleaned). */
static void
match(struct txn *t, const char *matched, const char *key)
{
	t->matched_now = 1;
	if (t->matched == NULL || !same_order(t->matched, key)) {
		t->matched = matched;
		t->dirty = 1;
	}
}

/* One order: classify, set its payment and risk, and write it out. */
static void
reconcile(struct run *r, json_t *order, struct reject_stream *rejects,
    json_t *errors)
{
	json_t *payment, *ids, *risk;
	const struct money_currency *cur;
	const char *id_text, *method, *tid, *matched = NULL, *key, *h;
	char idbuf[128], idnum[32], a[40], b[40];
	struct tally tl;
	enum class cls;
	int score, offset, named;
	int64_t created = 0;
	size_t i;
	struct txn *t;

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
		set(order, "payment", json_object());
		payment = json_object_get(order, "payment");
	}
	method = jstr(payment, "method");
	tid = jstr(payment, "transaction_id");
	key = order_key(id_text, idbuf);
	find_txns(r, key, tid);
	cls = classify(r, method != NULL && strcmp(method, "cod") == 0, &tl);

	/* the payment section: the class and the numbers, none of which
	 * is right when a sum does not fit */
	ids = txn_ids(r, 0);
	set(payment, "status", json_string(class_names[cls]));
	if (cls == AMOUNT_OVERFLOW) {
		json_object_del(payment, "paid");
		json_object_del(payment, "captured");
		json_object_del(payment, "refunded");
		json_object_del(payment, "fees");
	} else {
		set(payment, "paid", json_integer(tl.net));
		set(payment, "captured", json_integer(tl.captured));
		set(payment, "refunded", json_integer(tl.refunded));
		set(payment, "fees", json_integer(tl.fees));
	}
	set(payment, "transactions", ids);
	set(payment, "checked_at", json_string(r->now_text));
	if (r->nfound > r->capview) {
		r->capview = r->nfound;
		r->view = xrealloc(r->view, r->capview * sizeof(*r->view));
	}
	for (i = 0; i < r->nfound; i++)
		r->view[i] = &r->txns[r->found[i]].p;
	risk = risk_assess(&r->risk, order, tl.currency, tl.total, r->view,
	    r->nfound, &score);
	set(order, "risk", risk);

	matched = NULL;
	for (i = 0; i < r->nfound; i++) {
		t = &r->txns[r->found[i]];
		if (matched == NULL)
			matched = arena_strdup(&r->arena, id_text);
		match(t, matched, key);
		/* an intent one of its charges stands for is the order's too */
		if (t->intent_idx != 0)
			match(&r->txns[t->intent_idx - 1], matched, key);
	}
	if (jstr(order, "created_at") == NULL ||
	    rfc3339_parse(jstr(order, "created_at"), &created, &offset) == -1)
		created = 0;
	summary_for(r, tl.currency, created)->counts[cls]++;
	r->nout[cls]++;

	money_format(tl.net, tl.exponent, a, sizeof(a));
	money_format(tl.total, tl.exponent, b, sizeof(b));
	switch (cls) {
	case PAID:
	case COD:
		break;
	case UNPAID:
		reject_addf(errors, "unpaid", "payment", "no payment was "
		    "captured for %s %s", b, tl.currency);
		break;
	case PENDING:
		reject_addf(errors, "pending", "payment", "the payment is "
		    "authorised or in progress, not captured");
		break;
	case UNDERPAID:
		reject_addf(errors, "underpaid", "payment", "paid %s of %s %s",
		    a, b, tl.currency);
		break;
	case OVERPAID:
		reject_addf(errors, "overpaid", "payment", "paid %s for %s %s",
		    a, b, tl.currency);
		break;
	case DUPLICATE:
		reject_addf(errors, "duplicate", "payment", "captured %u times,"
		    " %s for %s %s", tl.ncaptured, money_format(tl.captured,
		    tl.exponent, a, sizeof(a)), b, tl.currency);
		break;
	case CURRENCY_MISMATCH:
		reject_addf(errors, "currency_mismatch", "payment", "a "
		    "payment is in another currency than the order's %s",
		    tl.currency);
		break;
	case REFUNDED:
		reject_addf(errors, "refunded", "payment", "all that was paid "
		    "was refunded");
		break;
	case PARTIALLY_REFUNDED:
		reject_addf(errors, "partially_refunded", "payment", "%s of %s "
		    "%s kept after refunds", a, b, tl.currency);
		break;
	case AMOUNT_OVERFLOW:
		add_overflow(errors, "payment", tl.overflow, tl.currency);
		break;
	default:
		break;
	}
	for (i = 0; i < r->ntaken; i++) {
		t = &r->txns[r->taken[i]];
		h = holder(r, t, &named);
		reject_addf(errors, "transaction_taken", tid != NULL &&
		    (strcmp(tid, t->p.id) == 0 || (t->p.intent != NULL &&
		    strcmp(tid, t->p.intent) == 0)) ? "payment.transaction_id" :
		    "payment", "transaction '%s' belongs to order '%s', %s",
		    t->p.id, h, named ? "which the provider names" :
		    "which claimed it first");
	}
	if (cls == DUPLICATE)
		report_line(r, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:o}",
		    "type", "duplicate", "order_id", id_text, "currency",
		    tl.currency, "expected", (json_int_t)tl.total, "captured",
		    (json_int_t)tl.captured, "paid", (json_int_t)tl.net,
		    "transactions", txn_ids(r, 1)));
	else if (cls == UNDERPAID || cls == OVERPAID ||
	    cls == CURRENCY_MISMATCH)
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
	if (json_array_size(errors) == 0) {
		set(order, "status", json_string(cls == COD ? "cod" : "paid"));
		jsonl_write(stdout, order);
	} else
		reject_write(rejects, order, errors);
}

static void
run_release(struct run *r)
{
	arena_release(&r->arena);
	free(r->txns);
	strmap_release(&r->by_key);
	postings_release(&r->by_ref);
	postings_release(&r->by_tid);
	postings_release(&r->by_parent);
	risk_release(&r->risk);
	free(r->view);
	strmap_release(&r->sumidx);
	free(r->sums);
	free(r->found);
	free(r->taken);
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .usage = usage_text };
	struct jsonl_reader in;
	struct reject_stream rejects;
	struct payment_reader *pr;
	struct payment_map *map = NULL;
	struct paystore ps;
	struct run r;
	const char *provider = NULL, *map_path = NULL, *db = NULL;
	const char **payments = NULL;
	char errbuf[512], *end;
	size_t npayments = 0, i;
	json_t *order, *errors, **orders;
	size_t norders;
	int ch, status = 0, st, offset;

	valueblock_install();
	memset(&r, 0, sizeof(r));
	r.hold = -1;
	r.now = time(NULL);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
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
				    "stripe, yookassa, paypal, cloudpayments "
				    "or generic", optarg);
			provider = optarg;
			break;
		case OPT_REPORT:
			r.report_path = optarg;
			break;
		default:
			cli_usage_error(&cli, NULL);
		}
	}
	if (npayments == 0)
		cli_usage_error(&cli, "--payments FILE is required");
	if (provider != NULL && strcmp(provider, "generic") == 0 &&
	    map_path == NULL)
		cli_usage_error(&cli, "--provider generic needs --map FILE");
	if (map_path != NULL && provider == NULL)
		provider = "generic";
	rfc3339_format(r.now, 0, r.now_text, sizeof(r.now_text));

	/* Everything is opened before the first record is read. */
	if (map_path != NULL && (map = payment_map_load(map_path, errbuf,
	    sizeof(errbuf), &st)) == NULL)
		errx(st, "%s", errbuf);
	for (i = 0; i < npayments; i++)
		if (strcmp(payments[i], "-") == 0)
			cli_usage_error(&cli, "--payments cannot be standard "
			    "input: orders come from there");
	reject_open(&rejects, cli.rejects_path);
	if (r.report_path != NULL && (r.report = fileio_write(r.report_path,
	    0, errbuf, sizeof(errbuf))) == NULL)
		errx(EX_CANTCREAT, "%s", errbuf);
	paystore_open(&ps, db);
	for (i = 0; i < npayments; i++) {
		if ((pr = payment_open(payments[i], provider, map,
		    &st)) == NULL) {
			paystore_close(&ps);
			exit(st);
		}
		read_payments(&r, &ps, pr, payments[i], &rejects);
		if ((st = payment_close(pr)) != 0 && status == 0)
			status = st;
	}
	build_indexes(&r, 0);
	/* What was read is kept before any order claims it: a claim then
	 * writes only the order of a row, not the row with its indexes. */
	save_store(&r, &ps);

	jsonl_open(&in, argc - optind, argv + optind);
	if ((errors = json_array()) == NULL)
		xnomem();
	orders = xcalloc(ORDER_CHUNK, sizeof(*orders));
	do {
		for (norders = 0; norders < ORDER_CHUNK && (order =
		    reject_read(&rejects, &in)) != NULL; norders++)
			orders[norders] = order;
		load_for_orders(&r, &ps, orders, norders);
		while (claim_chunk(&r, &ps, orders, norders, errors) > 0)
			continue;
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

	write_orphans(&r);
	sum_transactions(&r);
	write_summaries(&r);
	save_store(&r, &ps);
	paystore_close(&ps);
	if (cli.stats)
		fprintf(stderr, "pay-reconcile: %lu orders: %lu paid, %lu cod, "
		    "%lu rejected; %lu transactions read, %lu new, %lu "
		    "orphans, %lu conflicts\n", in.nlines, r.nout[PAID],
		    r.nout[COD], rejects.count, r.nread, r.nnew, r.norphans,
		    r.nconflicts);
	run_release(&r);
	payment_map_free(map);
	free(payments);
	valueblock_release();
	if (r.report != NULL && jsonl_finish(r.report, r.report_path) == -1)
		status = EX_IOERR;
	if (reject_close(&rejects) == -1 && status == 0)
		status = EX_IOERR;
	if (jsonl_finish(stdout, "<stdout>") == -1)
		status = EX_IOERR;
	return cli_status(&cli, status, rejects.count);
}
