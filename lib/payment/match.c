/* match.c: payment transactions in memory, indexed and linked, and the
 * transactions of an order (paymatch.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "money.h"
#include "payment.h"
#include "paymatch.h"
#include "paymatch-int.h"
#include "strmap.h"
#include "xalloc.h"

const char *const paymatch_class_names[PAYMATCH_NCLASSES] = {
	"paid", "underpaid", "overpaid", "unpaid", "pending", "duplicate",
	"currency_mismatch", "refunded", "partially_refunded", "cod",
	"amount_overflow", "marketplace_paid"
};

static void
postings_add(struct paymatch_postings *ix, const char *key, uint32_t value)
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
postings_first(const struct paymatch_postings *ix, const char *key)
{
	const unsigned long *head = strmap_find(&ix->heads, key, strlen(key));

	return head != NULL ? (uint32_t)*head : 0;
}

static void
postings_release(struct paymatch_postings *ix)
{
	strmap_release(&ix->heads);
	free(ix->posts);
	memset(ix, 0, sizeof(*ix));
}

long
paymatch_lookup(const struct paymatch *m, const char *key)
{
	const unsigned long *i = strmap_find(&m->by_key, key, strlen(key));

	return i != NULL ? (long)*i : -1;
}

const char *
paymatch_key(const char *provider, const char *id, char *buf, size_t len)
{
	snprintf(buf, len, "%s\x1f%s", provider, id);
	return buf;
}

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

/* Merge what a report says of a transaction already known into it. */
static void
merge(struct paymatch *m, struct paymatch_txn *t,
    const struct payment_txn *p, int from_store)
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
		if (m->conflict != NULL)
			m->conflict(m->arg, t, msg);
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
	t->p.f = arena_strdup(&m->arena, p->f); changed = 1; } } while (0)
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

struct paymatch_txn *
paymatch_add(struct paymatch *m, const struct payment_txn *p,
    const char *file, int from_store, const char *matched)
{
	struct paymatch_txn *t;
	char kbuf[512];
	const char *key;
	long i;

	key = paymatch_key(p->provider, p->id, kbuf, sizeof(kbuf));
	if ((i = paymatch_lookup(m, key)) != -1) {
		t = &m->txns[i];
		merge(m, t, p, from_store);
		if (!from_store && !t->in_file) {
			t->in_file = 1;
			t->file = file;
			t->p.line = p->line;
		}
		return t;
	}
	if (m->ntxns == m->captxns) {
		m->captxns = m->captxns ? m->captxns * 2 : 1024;
		m->txns = xrealloc(m->txns, m->captxns * sizeof(*m->txns));
	}
	t = &m->txns[m->ntxns];
	memset(t, 0, sizeof(*t));
	t->p = *p;
	payment_txn_keep(&t->p, &m->arena);
	t->matched = arena_strdup(&m->arena, matched);
	t->stored = from_store;
	t->in_file = !from_store;
	t->dirty = !from_store;
	t->file = file;
	strmap_add(&m->by_key, key, strlen(key), m->ntxns, NULL);
	if (!from_store)
		m->nnew++;
	m->ntxns++;
	return t;
}

/* Refund i is one of charge ci's. */
static void
link_refund(struct paymatch *m, uint32_t i, uint32_t ci)
{
	struct paymatch_txn *t = &m->txns[i], *c = &m->txns[ci];

	t->parent_idx = ci + 1;
	t->next_sibling = c->first_child;
	c->first_child = i + 1;
	if (t->p.state == PAYMENT_SUCCEEDED &&
	    strcmp(t->p.currency, c->p.currency) == 0 &&
	    money_add(c->linked, t->p.amount, &c->linked) == -1)
		c->linked_overflow = 1;
}

int
paymatch_unlinked_refunds(const struct paymatch_txn *t, int64_t *extra)
{
	if (t->linked_overflow || money_sub(t->p.refunded, t->linked,
	    extra) == -1)
		return -1;
	if (*extra < 0)
		*extra = 0;
	return 0;
}

/* Whether t is a payment intent's own report (a Stripe payment_intent
 * that names no charge): a charge whose id is its payment intent's. */
static int
is_intent(const struct paymatch_txn *t)
{
	return t->p.kind == PAYMENT_CHARGE && t->p.intent != NULL &&
	    strcmp(t->p.intent, t->p.id) == 0;
}

/* Charge ci is one of intent ii's: the two are one payment. */
static void
link_intent(struct paymatch *m, uint32_t ci, uint32_t ii)
{
	struct paymatch_txn *c = &m->txns[ci], *in = &m->txns[ii];

	c->intent_idx = ii + 1;
	c->next_charge = in->first_charge;
	in->first_charge = ci + 1;
}

/* Link charge i to its payment intent, or intent i to its charges, those
 * of them indexed before it. */
static void
index_intent(struct paymatch *m, uint32_t i)
{
	struct paymatch_txn *t = &m->txns[i], *f;
	char kbuf[512];
	uint32_t post, fi;
	long ii;

	if (is_intent(t)) {
		for (post = postings_first(&m->by_tid, t->p.id); post != 0;
		    post = m->by_tid.posts[post - 1].next) {
			fi = m->by_tid.posts[post - 1].value;
			f = &m->txns[fi];
			if (fi != i && f->indexed && f->intent_idx == 0 &&
			    f->p.kind == PAYMENT_CHARGE && !is_intent(f) &&
			    f->p.intent != NULL &&
			    strcmp(f->p.intent, t->p.id) == 0 &&
			    strcmp(f->p.provider, t->p.provider) == 0)
				link_intent(m, fi, i);
		}
		return;
	}
	if (t->p.intent == NULL || (ii = paymatch_lookup(m,
	    paymatch_key(t->p.provider, t->p.intent, kbuf,
	    sizeof(kbuf)))) == -1)
		return;
	if (m->txns[ii].indexed && is_intent(&m->txns[ii]))
		link_intent(m, i, ii);
}

/* Put transaction i in the indexes orders look it up by, and link a refund
 * and its charge, and a charge and its payment intent, whichever of the two
 * comes second. */
static void
index_txn(struct paymatch *m, uint32_t i)
{
	struct paymatch_txn *t = &m->txns[i], *c, *f;
	char kbuf[512];
	uint32_t post;
	long ci;

	if (t->indexed)
		return;
	t->indexed = 1;
	if (t->p.order_ref != NULL)
		postings_add(&m->by_ref, t->p.order_ref, i);
	if (t->p.alt_ref != NULL && (t->p.order_ref == NULL ||
	    strcmp(t->p.alt_ref, t->p.order_ref) != 0))
		postings_add(&m->by_ref, t->p.alt_ref, i);
	postings_add(&m->by_tid, t->p.id, i);
	if (t->p.intent != NULL && strcmp(t->p.intent, t->p.id) != 0)
		postings_add(&m->by_tid, t->p.intent, i);
	if (t->p.kind == PAYMENT_CHARGE) {
		index_intent(m, i);
		paymatch_key(t->p.provider, t->p.id, kbuf, sizeof(kbuf));
		for (post = postings_first(&m->by_parent, kbuf); post != 0;
		    post = m->by_parent.posts[post - 1].next) {
			f = &m->txns[m->by_parent.posts[post - 1].value];
			if (f->indexed && f->parent_idx == 0)
				link_refund(m, m->by_parent.posts[post -
				    1].value, i);
		}
		return;
	}
	if (t->p.kind != PAYMENT_REFUND || t->p.parent == NULL)
		return;
	paymatch_key(t->p.provider, t->p.parent, kbuf, sizeof(kbuf));
	postings_add(&m->by_parent, kbuf, i);
	if ((ci = paymatch_lookup(m, kbuf)) == -1)
		return;
	c = &m->txns[ci];
	if (c->p.kind == PAYMENT_CHARGE && c->indexed)
		link_refund(m, i, ci);
}

void
paymatch_index_from(struct paymatch *m, size_t from)
{
	for (; from < m->ntxns; from++)
		index_txn(m, from);
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

void
paymatch_index(struct paymatch *m)
{
	paymatch_index_from(m, 0);
}

const char *
paymatch_order_id(const char *ident)
{
	const char *us = strchr(ident, PAYMATCH_US);

	return us != NULL ? us + 1 : ident;
}

const char *
paymatch_order_key(const char *ident, char *buf)
{
	const char *id = paymatch_order_id(ident), *key;
	char clean[128];
	int n;

	if ((key = payment_ref_clean(id, clean, sizeof(clean))) == NULL)
		return ident;
	n = snprintf(buf, PAYMATCH_KEYLEN, "%.*s%s", (int)(id - ident), ident,
	    key);
	return n >= 0 && n < PAYMATCH_KEYLEN ? buf : ident;
}

int
paymatch_same_order(const char *held, const char *key)
{
	const char *hid = paymatch_order_id(held), *kid = paymatch_order_id(key);
	const char *c;
	char buf[128];

	/* an order held by id alone (a report's, or a store's from before
	 * sources) is the order of that id from any source */
	if (hid != held && kid != key && (hid - held != kid - key ||
	    memcmp(held, key, hid - held) != 0))
		return 0;
	if ((c = payment_ref_clean(hid, buf, sizeof(buf))) == NULL)
		c = hid;
	return strcmp(c, kid) == 0;
}

/* The payment intent whose payment t is part of, when its report is known
 * and is linked to a charge: t itself, or t's intent; else NULL. */
static const struct paymatch_txn *
intent_of(const struct paymatch *m, const struct paymatch_txn *t)
{
	if (t->intent_idx != 0)
		return &m->txns[t->intent_idx - 1];
	return t->first_charge != 0 ? t : NULL;
}

/* Whether intent in is told by one of its charges, one as far along as it
 * (state_rank()): the charge then stands for the payment, and the intent
 * is not counted beside it. */
static int
superseded(const struct paymatch *m, const struct paymatch_txn *in)
{
	uint32_t k;

	for (k = in->first_charge; k != 0; k = m->txns[k - 1].next_charge)
		if (state_rank(m->txns[k - 1].p.state) >=
		    state_rank(in->p.state))
			return 1;
	return 0;
}

int
paymatch_superseded(const struct paymatch *m, const struct paymatch_txn *t)
{
	return intent_of(m, t) == t && superseded(m, t);
}

/* What held_field() gives of a transaction: the order it was matched to,
 * the one that claims it, the one its report names. */
enum { HELD_MATCHED, HELD_CLAIM, HELD_REF };

static const char *
held_field(const struct paymatch_txn *t, int which)
{
	return which == HELD_MATCHED ? t->matched : which == HELD_CLAIM ?
	    t->claim : t->p.order_ref;
}

/* A field of c's payment: c's, or the first of its intent's and of the
 * intent's charges' when c is part of one. */
static const char *
payment_field(const struct paymatch *m, const struct paymatch_txn *c,
    int which)
{
	const struct paymatch_txn *in;
	const char *v;
	uint32_t k;

	if ((in = intent_of(m, c)) == NULL)
		return held_field(c, which);
	if ((v = held_field(in, which)) != NULL)
		return v;
	for (k = in->first_charge; k != 0; k = m->txns[k - 1].next_charge)
		if ((v = held_field(&m->txns[k - 1], which)) != NULL)
			return v;
	return NULL;
}

/* Whether the report of c's payment (c, or its intent or the intent's
 * charges) names the order held. */
static int
payment_names(const struct paymatch *m, const struct paymatch_txn *c,
    const char *held)
{
	const struct paymatch_txn *in;
	const char *ref;
	uint32_t k;

	if ((in = intent_of(m, c)) == NULL)
		return c->p.order_ref != NULL &&
		    paymatch_same_order(held, c->p.order_ref);
	if (in->p.order_ref != NULL &&
	    paymatch_same_order(held, in->p.order_ref))
		return 1;
	for (k = in->first_charge; k != 0; k = m->txns[k - 1].next_charge)
		if ((ref = m->txns[k - 1].p.order_ref) != NULL &&
		    paymatch_same_order(held, ref))
			return 1;
	return 0;
}

const char *
paymatch_payment_order(const struct paymatch *m,
    const struct paymatch_txn *t)
{
	return payment_field(m, t, HELD_MATCHED);
}

const char *
paymatch_holder(const struct paymatch *m, const struct paymatch_txn *t,
    int *named)
{
	const struct paymatch_txn *c = t;
	const char *h;

	if (t->p.kind == PAYMENT_REFUND && t->parent_idx != 0)
		c = &m->txns[t->parent_idx - 1];
	if ((h = payment_field(m, c, HELD_MATCHED)) == NULL &&
	    (h = payment_field(m, c, HELD_CLAIM)) == NULL &&
	    (h = payment_field(m, c, HELD_REF)) == NULL &&
	    (h = t->matched) == NULL && (h = t->claim) == NULL)
		h = t->p.order_ref;
	*named = h != NULL && (payment_names(m, c, h) ||
	    (t->p.order_ref != NULL &&
	    paymatch_same_order(h, t->p.order_ref)));
	return h;
}

static void	collect(struct paymatch *, uint32_t, const char *, int);

/* Add transaction idx to the order's, and a charge's refunds with it. */
static void
take(struct paymatch *m, uint32_t idx, const char *key)
{
	uint32_t c;

	txn_list_add(&m->found, &m->nfound, &m->capfound, idx);
	if (m->txns[idx].p.kind == PAYMENT_CHARGE)
		for (c = m->txns[idx].first_child; c != 0;
		    c = m->txns[c - 1].next_sibling)
			collect(m, c - 1, key, 1);
}

/* Collect transaction idx, and a charge's refunds, for the order whose
 * cleaned id is key; one that belongs to another order goes to taken.  The
 * refunds of a charge the order holds are its own (refund is 1), whatever
 * order they name.  A payment intent and its charges come together, the
 * intent left out when a charge stands for it (superseded()). */
static void
collect(struct paymatch *m, uint32_t idx, const char *key, int refund)
{
	const struct paymatch_txn *in;
	const char *h;
	uint32_t ii = 0, k;
	int named;

	if (m->txns[idx].mark == m->mark)
		return;
	m->txns[idx].mark = m->mark;
	if ((in = intent_of(m, &m->txns[idx])) != NULL) {
		ii = in - m->txns;
		m->txns[ii].mark = m->mark;
		for (k = in->first_charge; k != 0;
		    k = m->txns[k - 1].next_charge)
			m->txns[k - 1].mark = m->mark;
	}
	if (!refund && (h = paymatch_holder(m, &m->txns[idx], &named)) !=
	    NULL && !paymatch_same_order(h, key)) {
		txn_list_add(&m->taken, &m->ntaken, &m->captaken, idx);
		return;
	}
	if (in == NULL) {
		take(m, idx, key);
		return;
	}
	if (!superseded(m, in))
		take(m, ii, key);
	for (k = in->first_charge; k != 0; k = m->txns[k - 1].next_charge)
		take(m, k - 1, key);
}

void
paymatch_find(struct paymatch *m, const char *key, const char *tid)
{
	uint32_t p;

	m->nfound = m->ntaken = 0;
	m->mark++;
	for (p = postings_first(&m->by_ref, paymatch_order_id(key)); p != 0;
	    p = m->by_ref.posts[p - 1].next)
		collect(m, m->by_ref.posts[p - 1].value, key, 0);
	if (tid != NULL)
		for (p = postings_first(&m->by_tid, tid); p != 0;
		    p = m->by_tid.posts[p - 1].next)
			collect(m, m->by_tid.posts[p - 1].value, key, 0);
}

enum paymatch_class
paymatch_classify(const struct paymatch *m, int cod,
    struct paymatch_tally *tl)
{
	const struct paymatch_txn *t;
	size_t i;
	int64_t extra;

	for (i = 0; i < m->nfound; i++) {
		t = &m->txns[m->found[i]];
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
		if (paymatch_unlinked_refunds(t, &extra) == -1 ||
		    money_add(tl->refunded, extra, &tl->refunded) == -1)
			tl->overflow = "refunds";
	}
	if (tl->overflow == NULL && money_sub(tl->captured, tl->refunded,
	    &tl->net) == -1)
		tl->overflow = "captured charges less refunds";
	if (tl->other_currency)
		return PAYMATCH_CURRENCY_MISMATCH;
	if (tl->overflow != NULL)
		return PAYMATCH_AMOUNT_OVERFLOW;
	if (tl->ncaptured == 0) {
		if (tl->nauthorized > 0 || tl->npending > 0)
			return PAYMATCH_PENDING;
		if (cod && tl->refunded == 0)
			return PAYMATCH_COD;
		if (tl->refunded > 0)
			return PAYMATCH_REFUNDED;
		/* a fully discounted order owes nothing */
		return tl->total == 0 ? PAYMATCH_PAID : PAYMATCH_UNPAID;
	}
	if (tl->refunded > 0 && tl->net <= 0)
		return PAYMATCH_REFUNDED;
	if (tl->net == tl->total)
		return PAYMATCH_PAID;
	if (tl->ncaptured > 1 && tl->net > tl->total)
		return PAYMATCH_DUPLICATE;
	if (tl->refunded > 0 && tl->net < tl->total)
		return PAYMATCH_PARTIALLY_REFUNDED;
	return tl->net < tl->total ? PAYMATCH_UNDERPAID : PAYMATCH_OVERPAID;
}

/* Transaction t is the order's whose id is matched (key cleaned). */
static void
settle(struct paymatch_txn *t, const char *matched, const char *key)
{
	t->matched_now = 1;
	/* a row held by id alone (a store's from before sources) takes
	 * the source of the order it pays */
	if (t->matched == NULL || !paymatch_same_order(t->matched, key) ||
	    (paymatch_order_id(t->matched) == t->matched &&
	    paymatch_order_id(matched) != matched)) {
		t->matched = matched;
		t->dirty = 1;
	}
}

void
paymatch_settle(struct paymatch *m, const char *id, const char *key)
{
	const char *matched = NULL;
	struct paymatch_txn *t;
	size_t i;

	for (i = 0; i < m->nfound; i++) {
		t = &m->txns[m->found[i]];
		if (matched == NULL)
			matched = arena_strdup(&m->arena, id);
		settle(t, matched, key);
		/* an intent one of its charges stands for is the order's too */
		if (t->intent_idx != 0)
			settle(&m->txns[t->intent_idx - 1], matched, key);
	}
}

void
paymatch_init(struct paymatch *m, struct paystore *ps, int64_t now,
    void (*conflict)(void *, const struct paymatch_txn *, const char *),
    void *arg)
{
	memset(m, 0, sizeof(*m));
	m->store = ps;
	m->now = now;
	m->conflict = conflict;
	m->arg = arg;
}

void
paymatch_release(struct paymatch *m)
{
	arena_release(&m->arena);
	free(m->txns);
	strmap_release(&m->by_key);
	postings_release(&m->by_ref);
	postings_release(&m->by_tid);
	postings_release(&m->by_parent);
	free(m->found);
	free(m->taken);
	memset(m, 0, sizeof(*m));
}
