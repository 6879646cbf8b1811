/* gather.c: the payout reports of marketplaces that write an order's
 * payment as several rows (Amazon's settlement report: the price, the
 * shipping, each fee on a row of its own), summed per kind, batch and
 * order into one transaction. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "arena.h"
#include "csvread.h"
#include "money.h"
#include "payment.h"
#include "payment-int.h"
#include "reject.h"
#include "strmap.h"
#include "xalloc.h"

struct gathered {
	enum payment_kind kind;
	const char	*group, *order;	/* in the arena */
	char		 currency[4];
	int64_t		 gross, fee, created;
	unsigned long	 line;		/* of its first row */
};

struct payment_gather {
	struct arena	 arena;
	struct strmap	 idx;		/* kind, group, order: index + 1 */
	struct gathered	*v;
	size_t		 n, cap, next;
};

/* Add the part of row into g: 0, or -1 with the problem in pb. */
static int
gather_part(struct payment_gather *g, const struct payment_part *pt,
    unsigned long line, struct payment_problem *pb)
{
	struct gathered *e;
	unsigned long *slot;
	char key[512];
	int added, n;
	int64_t gross, fee;

	n = snprintf(key, sizeof(key), "%d\x1f%s\x1f%s", (int)pt->kind,
	    pt->group != NULL ? pt->group : "", pt->order);
	if (n < 0 || (size_t)n >= sizeof(key))
		return payment_fail(pb, "bad_payment", "the order id '%.40s' "
		    "is too long", pt->order);
	slot = strmap_put(&g->idx, key, n, &added);
	if (added) {
		if (g->n == g->cap) {
			g->cap = g->cap ? g->cap * 2 : 64;
			g->v = xrealloc(g->v, g->cap * sizeof(*g->v));
		}
		e = &g->v[g->n];
		memset(e, 0, sizeof(*e));
		e->kind = pt->kind;
		e->group = arena_strdup(&g->arena, pt->group != NULL ?
		    pt->group : "");
		e->order = arena_strdup(&g->arena, pt->order);
		memcpy(e->currency, pt->currency, 4);
		e->line = line;
		*slot = ++g->n;
	}
	e = &g->v[*slot - 1];
	if (strcmp(e->currency, pt->currency) != 0)
		return payment_fail(pb, "bad_currency", "order '%s' has rows "
		    "in %s and in %s", pt->order, e->currency, pt->currency);
	if (money_add(e->gross, pt->gross, &gross) == -1 ||
	    money_add(e->fee, pt->fee, &fee) == -1)
		return payment_fail(pb, "amount_overflow", "the amounts of "
		    "order '%s' add up to more than an amount can be",
		    pt->order);
	e->gross = gross;
	e->fee = fee;
	if (pt->created > e->created)
		e->created = pt->created;
	return 0;
}

/* Read every row of the report, the bad ones rejected. */
static void
gather_all(struct payment_reader *r, struct payment_gather *g,
    struct reject_stream *rejects)
{
	struct csvread_row *row;
	struct payment_problem pb;
	struct payment_part pt;
	const char *text;
	size_t len;
	int rc;

	while ((row = csvread_next(&r->csv)) != NULL) {
		memset(&pt, 0, sizeof(pt));
		pb.code = "bad_payment";
		pb.msg[0] = '\0';
		rc = r->layout->part(r, row, &pt, &pb);
		if (rc == PAYMENT_SKIP)
			continue;
		if (rc == 0 && gather_part(g, &pt, row->line, &pb) == 0)
			continue;
		text = payment_row_text(r, row, &len);
		reject_line(rejects, r->path, row->line, text, len, pb.code,
		    pb.msg);
	}
	if (r->csv.error)
		r->status = EX_IOERR;
}

int
payment_gather_next(struct payment_reader *r, struct payment_txn *t,
    struct reject_stream *rejects)
{
	struct payment_gather *g = r->gather;
	const struct gathered *e;
	char *id;
	size_t len;

	if (g == NULL) {
		g = r->gather = xcalloc(1, sizeof(*g));
		gather_all(r, g, rejects);
	}
	if (g->next == g->n)
		return 0;
	e = &g->v[g->next++];
	memset(t, 0, sizeof(*t));
	t->provider = r->layout->provider->name;
	len = strlen(e->group) + strlen(e->order) + 16;
	id = arena_alloc(&g->arena, len);
	snprintf(id, len, "%s%s%s%s", e->group, *e->group ? ":" : "",
	    e->order, e->kind == PAYMENT_REFUND ? ":refund" : "");
	t->id = id;
	t->order_ref = payment_ref_clean(e->order, r->refbuf,
	    sizeof(r->refbuf));
	if (t->order_ref == NULL)
		t->order_ref = e->order;
	t->kind = e->kind;
	t->state = PAYMENT_SUCCEEDED;
	memcpy(t->currency, e->currency, 4);
	/* a sale's gross is what the buyer paid, a refund's what went back
	 * (negative in the report); a fee is what the channel kept, and a
	 * fee given back with a refund is none */
	t->amount = e->gross;
	if (e->kind == PAYMENT_REFUND && money_neg(e->gross, &t->amount) == -1)
		t->amount = 0;
	if (t->amount < 0)
		t->amount = 0;
	if (e->fee >= 0 || money_neg(e->fee, &t->fee) == -1)
		t->fee = 0;
	t->created = e->created;
	t->line = e->line;
	return 1;
}

void
payment_gather_free(struct payment_gather *g)
{
	if (g == NULL)
		return;
	arena_release(&g->arena);
	strmap_release(&g->idx);
	free(g->v);
	free(g);
}
