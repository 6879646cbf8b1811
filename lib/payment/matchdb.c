/* matchdb.c: the transactions of a paymatch set and the store: read with
 * what the store keeps of them, brought in for orders, claimed, saved. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "payment.h"
#include "paymatch.h"
#include "paymatch-int.h"
#include "paystore.h"
#include "store.h"
#include "xalloc.h"

/* A row of the store: kept unless a transaction of that key is in memory
 * already (it came from the store first, so it is that row). */
static void
load_stored(void *arg, const struct payment_txn *p, const char *matched)
{
	struct paymatch *m = arg;
	char kbuf[512];

	if (paymatch_lookup(m, paymatch_key(p->provider, p->id, kbuf,
	    sizeof(kbuf))) == -1)
		(void)paymatch_add(m, p, NULL, 1, matched);
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
expand(struct paymatch *m, size_t from)
{
	const char **ids = NULL, **parents = NULL, **intents = NULL;
	size_t nids, nparents, nintents, capids = 0, capparents = 0;
	size_t capintents = 0, i, to;
	char kbuf[512];
	struct paymatch_txn *t;
	struct paystore *ps = m->store;

	while (from < m->ntxns) {
		nids = nparents = nintents = 0;
		to = m->ntxns;
		for (i = from; i < to; i++) {
			t = &m->txns[i];
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
			    t->p.parent != NULL && paymatch_lookup(m,
			    paymatch_key(t->p.provider, t->p.parent, kbuf,
			    sizeof(kbuf))) == -1)
				list_add(&ids, &nids, &capids, t->p.parent);
		}
		paystore_find(ps, PAYSTORE_PARENT, parents, nparents,
		    load_stored, m);
		paystore_find(ps, PAYSTORE_ID, ids, nids, load_stored, m);
		paystore_find(ps, PAYSTORE_TID, intents, nintents,
		    load_stored, m);
		from = to;
	}
	free(ids);
	free(parents);
	free(intents);
}

/* A chunk of transactions read from a file: their rows in the store come
 * first, so that what was seen before counts first; then they are added. */
static void
add_chunk(struct paymatch *m, const struct payment_txn *buf, size_t n,
    const char *file)
{
	const char **ids = NULL;
	size_t nids = 0, capids = 0, i, from = m->ntxns;
	char kbuf[512];

	for (i = 0; i < n; i++)
		if (paymatch_lookup(m, paymatch_key(buf[i].provider,
		    buf[i].id, kbuf, sizeof(kbuf))) == -1)
			list_add(&ids, &nids, &capids, buf[i].id);
	paystore_find(m->store, PAYSTORE_ID, ids, nids, load_stored, m);
	free(ids);
	for (i = 0; i < n; i++)
		(void)paymatch_add(m, &buf[i], file, 0, NULL);
	expand(m, from);
}

#define CHUNK	4096	/* transactions looked up at once */

/* The strings of a chunk live in scratch until it is added. */
unsigned long
paymatch_read(struct paymatch *m, struct payment_reader *pr,
    const char *file, struct reject_stream *rejects)
{
	struct payment_txn *buf, p;
	struct arena scratch;
	unsigned long nread = 0;
	size_t n = 0;

	arena_init(&scratch);
	buf = xcalloc(CHUNK, sizeof(*buf));
	while (payment_next(pr, &p, rejects)) {
		nread++;
		buf[n] = p;
		payment_txn_keep(&buf[n], &scratch);
		if (++n == CHUNK) {
			add_chunk(m, buf, n, file);
			arena_release(&scratch);
			n = 0;
		}
	}
	add_chunk(m, buf, n, file);
	arena_release(&scratch);
	free(buf);
	return nread;
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
keyed_add(struct keyed **list, size_t *n, size_t *cap,
    const struct paymatch_txn *t, uint32_t idx, const char *order)
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

void
paymatch_save(struct paymatch *m)
{
	struct paystore *ps = m->store;
	struct keyed *rows = NULL;
	size_t nrows = 0, cap = 0, i;

	for (i = 0; i < m->ntxns; i++)
		if (m->txns[i].dirty)
			keyed_add(&rows, &nrows, &cap, &m->txns[i], i, NULL);
	if (nrows == 0)
		return;
	if (nrows > 1)
		qsort(rows, nrows, sizeof(*rows), cmp_keyed);
	store_begin(ps->store);
	for (i = 0; i < nrows; i++) {
		paystore_save(ps, &m->txns[rows[i].idx].p,
		    m->txns[rows[i].idx].matched, m->now);
		m->txns[rows[i].idx].dirty = 0;
	}
	paystore_flush(ps);
	store_commit(ps->store);
	free(rows);
}

void
paymatch_load(struct paymatch *m, const char *const *ids,
    const char *const *tids, size_t n)
{
	const char **refs = NULL, **tlist = NULL, *id;
	size_t nrefs = 0, ntids = 0, caprefs = 0, captids = 0, i;
	size_t from = m->ntxns;
	struct arena scratch;
	char idbuf[128];

	arena_init(&scratch);
	for (i = 0; i < n; i++) {
		if (ids[i] != NULL && (id = payment_ref_clean(
		    paymatch_order_id(ids[i]), idbuf, sizeof(idbuf))) != NULL)
			list_add(&refs, &nrefs, &caprefs,
			    arena_strdup(&scratch, id));
		if (tids[i] != NULL)
			list_add(&tlist, &ntids, &captids, tids[i]);
	}
	paystore_find(m->store, PAYSTORE_REF, refs, nrefs, load_stored, m);
	paystore_find(m->store, PAYSTORE_TID, tlist, ntids, load_stored, m);
	expand(m, from);
	paymatch_index_from(m, from);
	free(refs);
	free(tlist);
	arena_release(&scratch);
}

/* What the store returns of a transaction while it is claimed: the order
 * it has (another run's, when that run was first) and the order its
 * report names, if this run did not know them. */
static void
refresh_stored(void *arg, const struct payment_txn *p, const char *matched)
{
	struct paymatch *m = arg;
	struct paymatch_txn *t;
	char kbuf[512];
	long i;

	if ((i = paymatch_lookup(m, paymatch_key(p->provider, p->id, kbuf,
	    sizeof(kbuf)))) == -1) {
		(void)paymatch_add(m, p, NULL, 1, matched);
		return;
	}
	t = &m->txns[i];
	if (t->matched == NULL && matched != NULL)
		t->matched = arena_strdup(&m->arena, matched);
	if (t->p.order_ref == NULL && p->order_ref != NULL)
		t->p.order_ref = arena_strdup(&m->arena, p->order_ref);
}

/* The order the store holds a claimed transaction for: the claim's, but
 * for a run that was first after all. */
static void
claimed(void *arg, const char *provider, const char *id, const char *holder)
{
	struct paymatch *m = arg;
	struct paymatch_txn *t;
	char kbuf[512];
	long i;

	if (holder == NULL || (i = paymatch_lookup(m, paymatch_key(provider,
	    id, kbuf, sizeof(kbuf)))) == -1)
		return;
	t = &m->txns[i];
	if (t->matched == NULL || strcmp(t->matched, holder) != 0)
		t->matched = arena_strdup(&m->arena, holder);
}

/* The orders are looked at in their order, as they will be reconciled,
 * each claiming what belongs to no order yet; a charge that another run
 * took is that run's order's here too, and paymatch_find() finds it
 * taken. */
size_t
paymatch_claim(struct paymatch *m, const char *const *ids,
    const char *const *tids, size_t n)
{
	struct keyed *claims = NULL;
	struct payment_txn *rows;
	struct arena scratch;
	const char **keys = NULL, **tidlist = NULL, **owners, *key, *h;
	const char *claimant;
	size_t nclaims = 0, capclaims = 0, nkeys = 0, capkeys = 0, nids = 0;
	size_t capids = 0, nrows = 0, from, i, j;
	char idbuf[PAYMATCH_KEYLEN], kbuf[512];
	struct paystore *ps = m->store;
	struct paymatch_txn *t;
	int named;

	for (i = 0; i < n; i++) {
		key = paymatch_order_key(ids[i], idbuf);
		paymatch_find(m, key, tids[i]);
		for (j = 0, claimant = NULL; j < m->nfound; j++) {
			t = &m->txns[m->found[j]];
			if (t->p.kind != PAYMENT_CHARGE || t->matched != NULL ||
			    t->claim != NULL)
				continue;
			if (claimant == NULL)
				claimant = arena_strdup(&m->arena, ids[i]);
			t->claim = claimant;
			keyed_add(&claims, &nclaims, &capclaims, t,
			    m->found[j], claimant);
		}
	}
	if (nclaims == 0)
		return 0;
	qsort(claims, nclaims, sizeof(*claims), cmp_keyed);

	arena_init(&scratch);
	for (i = 0; i < nclaims; i++) {
		t = &m->txns[claims[i].idx];
		t->claim = NULL;
		list_add(&keys, &nkeys, &capkeys, arena_strdup(&scratch,
		    paymatch_key(t->p.provider, t->p.id, kbuf, sizeof(kbuf))));
		list_add(&tidlist, &nids, &capids, t->p.id);
		if (t->p.intent != NULL) {
			list_add(&keys, &nkeys, &capkeys,
			    arena_strdup(&scratch, paymatch_key(t->p.provider,
			    t->p.intent, kbuf, sizeof(kbuf))));
			list_add(&tidlist, &nids, &capids, t->p.intent);
		}
	}
	store_begin(ps->store);
	paystore_lock(ps, keys, nkeys);
	from = m->ntxns;
	paystore_find(ps, PAYSTORE_TID, tidlist, nids, refresh_stored, m);
	expand(m, from);
	paymatch_index_from(m, from);

	rows = xcalloc(nclaims, sizeof(*rows));
	owners = xcalloc(nclaims, sizeof(*owners));
	for (i = 0; i < nclaims; i++) {
		t = &m->txns[claims[i].idx];
		if ((h = paymatch_holder(m, t, &named)) != NULL &&
		    !paymatch_same_order(h, paymatch_order_key(claims[i].order,
		    idbuf)))
			continue;	/* another run's, or named another */
		t->matched = claims[i].order;
		rows[nrows] = t->p;
		owners[nrows++] = claims[i].order;
	}
	paystore_claim(ps, rows, owners, nrows, m->now, claimed, m);
	store_commit(ps->store);
	free(rows);
	free(owners);
	free(keys);
	free(tidlist);
	free(claims);
	arena_release(&scratch);
	return nclaims;
}
