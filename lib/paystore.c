/* paystore.c: the pay_transactions table: every transaction pay-reconcile
 * has seen, once per provider and id, and the order it paid for. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "payment.h"
#include "paystore.h"
#include "store.h"

const struct store_migration paystore_migrations[] = {
	{ "payments", 1,
	    "CREATE TABLE pay_transactions ("
	    " provider TEXT NOT NULL,"
	    " txn_id TEXT NOT NULL,"
	    " kind TEXT NOT NULL CHECK (kind IN ('charge', 'refund', 'other')),"
	    " state TEXT NOT NULL CHECK (state IN"
	    "  ('succeeded', 'authorized', 'pending', 'failed')),"
	    " currency TEXT NOT NULL,"
	    " amount BIGINT NOT NULL CHECK (amount >= 0),"
	    " refunded BIGINT NOT NULL DEFAULT 0,"
	    " fee BIGINT NOT NULL DEFAULT 0,"
	    " created BIGINT NOT NULL DEFAULT 0,"
	    " parent_id TEXT,"
	    " order_ref TEXT,"
	    " alt_ref TEXT,"
	    " intent TEXT,"
	    " email TEXT,"
	    " card TEXT,"
	    " card_country TEXT,"
	    " ip_country TEXT,"
	    " risky BIGINT NOT NULL DEFAULT 0,"
	    " matched_order TEXT,"
	    " first_seen BIGINT NOT NULL,"
	    " updated BIGINT NOT NULL,"
	    " PRIMARY KEY (provider, txn_id));"
	    "CREATE INDEX pay_transactions_order ON pay_transactions"
	    " (order_ref)",
	    NULL },
};
const size_t paystore_nmigrations =
    sizeof(paystore_migrations) / sizeof(paystore_migrations[0]);

void
paystore_open(struct paystore *ps, const char *dbarg)
{
	char *where;

	memset(ps, 0, sizeof(*ps));
	where = store_locate(dbarg);
	ps->store = store_open(where, paystore_migrations,
	    paystore_nmigrations);
	free(where);
}

void
paystore_close(struct paystore *ps)
{
	store_close(ps->store);
	memset(ps, 0, sizeof(*ps));
}

static void
country(char dst[3], const char *s)
{
	dst[0] = '\0';
	if (s != NULL && strlen(s) == 2)
		memcpy(dst, s, 3);
}

void
paystore_load(struct paystore *ps, void (*fn)(void *,
    const struct payment_txn *, const char *), void *arg)
{
	struct payment_txn t;
	const char *cur;

	if (ps->load == NULL)
		ps->load = store_prepare(ps->store,
		    "SELECT provider, txn_id, kind, state, currency, amount,"
		    " refunded, fee, created, parent_id, order_ref, alt_ref,"
		    " intent, email, card, card_country, ip_country, risky,"
		    " matched_order FROM pay_transactions", NULL);
	store_query(ps->load, "");
	while (store_next(ps->load)) {
		memset(&t, 0, sizeof(t));
		t.provider = store_text(ps->load, 0);
		t.id = store_text(ps->load, 1);
		if (payment_kind_parse(store_text(ps->load, 2), &t.kind) ==
		    -1 || payment_state_parse(store_text(ps->load, 3),
		    &t.state) == -1)
			continue;	/* the CHECKs keep this from happening */
		cur = store_text(ps->load, 4);
		if (cur == NULL || strlen(cur) != 3)
			continue;
		memcpy(t.currency, cur, 4);
		t.amount = store_int(ps->load, 5);
		t.refunded = store_int(ps->load, 6);
		t.fee = store_int(ps->load, 7);
		t.created = store_int(ps->load, 8);
		t.parent = store_text(ps->load, 9);
		t.order_ref = store_text(ps->load, 10);
		t.alt_ref = store_text(ps->load, 11);
		t.intent = store_text(ps->load, 12);
		t.email = store_text(ps->load, 13);
		t.card = store_text(ps->load, 14);
		country(t.card_country, store_text(ps->load, 15));
		country(t.ip_country, store_text(ps->load, 16));
		t.risky = store_int(ps->load, 17) != 0;
		fn(arg, &t, store_text(ps->load, 18));
	}
}

static const char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

void
paystore_save(struct paystore *ps, const struct payment_txn *t,
    const char *matched, int64_t now)
{
	if (ps->save == NULL)
		ps->save = store_prepare(ps->store,
		    "INSERT INTO pay_transactions (provider, txn_id, kind,"
		    " state, currency, amount, refunded, fee, created,"
		    " parent_id, order_ref, alt_ref, intent, email, card,"
		    " card_country, ip_country, risky, matched_order,"
		    " first_seen, updated) VALUES ($1, $2, $3, $4, $5, $6, $7,"
		    " $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
		    " $19, $20, $20)"
		    " ON CONFLICT (provider, txn_id) DO UPDATE SET"
		    " kind = excluded.kind, state = excluded.state,"
		    " currency = excluded.currency, amount = excluded.amount,"
		    " refunded = excluded.refunded, fee = excluded.fee,"
		    " created = excluded.created,"
		    " parent_id = excluded.parent_id,"
		    " order_ref = excluded.order_ref,"
		    " alt_ref = excluded.alt_ref, intent = excluded.intent,"
		    " email = excluded.email, card = excluded.card,"
		    " card_country = excluded.card_country,"
		    " ip_country = excluded.ip_country,"
		    " risky = excluded.risky,"
		    " matched_order = COALESCE(excluded.matched_order,"
		    "  pay_transactions.matched_order),"
		    " updated = excluded.updated", NULL);
	store_exec(ps->save, "sssssiiiissssssssisi", t->provider, t->id, payment_kind_name(t->kind),
	    payment_state_name(t->state), t->currency, t->amount, t->refunded,
	    t->fee, t->created, t->parent, t->order_ref, t->alt_ref, t->intent,
	    t->email, t->card, nonempty(t->card_country),
	    nonempty(t->ip_country), (int64_t)t->risky, matched, now);
}
