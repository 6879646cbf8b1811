/* overdue.c: the refunds of open returns that are due, matched against
 * the refunds pay-reconcile stored (return-open --overdue). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payment.h"
#include "paystore.h"
#include "returnsdue.h"
#include "returnstore.h"
#include "rfc3339.h"
#include "strmap.h"
#include "xalloc.h"

struct owed {
	char		*rma, *order_id, *currency, *due_by;
	int64_t		 amount;
};

struct owed_list {
	struct owed	*v;
	size_t		 n, cap;
	int64_t		 horizon;	/* a day number: due by then */
	struct strmap	 seen;		/* order id: refunded, + 1 */
	int64_t		*refunded;
	size_t		 nrefunded;
};

static void
owed_fn(void *arg, const char *rma, const char *order_id, int64_t amount,
    const char *currency, const char *due_by)
{
	struct owed_list *l = arg;
	int y, m, d;

	if (due_by == NULL || sscanf(due_by, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    rfc3339_days(y, m, d) > l->horizon)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n].rma = xstrdup(rma);
	l->v[l->n].order_id = xstrdup(order_id);
	l->v[l->n].currency = xstrdup(currency);
	l->v[l->n].due_by = xstrdup(due_by);
	l->v[l->n++].amount = amount;
}

static void
refund_fn(void *arg, const struct payment_txn *t, const char *matched)
{
	struct owed_list *l = arg;
	const char *order = t->order_ref != NULL ? t->order_ref :
	    t->alt_ref != NULL ? t->alt_ref : matched;
	unsigned long *v;

	if (t->kind != PAYMENT_REFUND || t->state != PAYMENT_SUCCEEDED ||
	    order == NULL || (v = strmap_find(&l->seen, order,
	    strlen(order))) == NULL)
		return;
	l->refunded[*v - 1] += t->amount;
}

void
returns_overdue(struct returnstore *rs, const char *db, int64_t horizon,
    void (*fn)(void *, const struct returns_owed *), void *arg)
{
	struct owed_list l;
	struct returns_owed o;
	struct paystore ps;
	const char **keys;
	unsigned long *v;
	size_t i, nkeys = 0;
	int added;

	memset(&l, 0, sizeof(l));
	l.horizon = horizon;
	returnstore_open_refunds(rs, owed_fn, &l);
	keys = xcalloc(l.n + 1, sizeof(*keys));
	for (i = 0; i < l.n; i++) {
		v = strmap_put(&l.seen, l.v[i].order_id,
		    strlen(l.v[i].order_id), &added);
		if (added) {
			keys[nkeys++] = l.v[i].order_id;
			*v = nkeys;
		}
	}
	l.refunded = xcalloc(nkeys + 1, sizeof(*l.refunded));
	if (nkeys > 0) {
		paystore_open(&ps, db);
		paystore_find(&ps, PAYSTORE_REF, keys, nkeys, refund_fn, &l);
		paystore_close(&ps);
	}
	/* Refunds seen pay the order's returns, earliest due first. */
	for (i = 0; i < l.n; i++) {
		v = strmap_find(&l.seen, l.v[i].order_id,
		    strlen(l.v[i].order_id));
		if (l.refunded[*v - 1] >= l.v[i].amount) {
			l.refunded[*v - 1] -= l.v[i].amount;
			continue;
		}
		o.rma = l.v[i].rma;
		o.order_id = l.v[i].order_id;
		o.currency = l.v[i].currency;
		o.due_by = l.v[i].due_by;
		o.amount = l.v[i].amount;
		fn(arg, &o);
	}
	for (i = 0; i < l.n; i++) {
		free(l.v[i].rma);
		free(l.v[i].order_id);
		free(l.v[i].currency);
		free(l.v[i].due_by);
	}
	free(l.v);
	free(l.refunded);
	free(keys);
	strmap_release(&l.seen);
}
