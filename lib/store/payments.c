/* payments.c: the pay_transactions table: every transaction pay-reconcile
 * has seen, once per provider and id, and the order it paid for. */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "jsonl.h"
#include "jsonx.h"
#include "payment.h"
#include "paymatch.h"
#include "paystore.h"
#include "store.h"
#include "xalloc.h"

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
	/* a run looks up only the rows its inputs name */
	{ "payments", 2,
	    "CREATE INDEX pay_transactions_txn ON pay_transactions (txn_id);"
	    "CREATE INDEX pay_transactions_alt ON pay_transactions (alt_ref);"
	    "CREATE INDEX pay_transactions_intent ON pay_transactions"
	    " (intent);"
	    "CREATE INDEX pay_transactions_parent ON pay_transactions"
	    " (parent_id)",
	    NULL },
	/* A transaction belongs to one order, the one its report names
	 * when it names one.  Before, the last order to claim a transaction
	 * took it over: let go of those that contradict the report, so that
	 * the order it names takes them (a leading '#' is no contradiction,
	 * as payment_ref_clean() takes it off). */
	{ "payments", 3,
	    "UPDATE pay_transactions SET matched_order = NULL"
	    " WHERE order_ref IS NOT NULL AND matched_order IS NOT NULL"
	    " AND matched_order <> order_ref"
	    " AND ltrim(matched_order, '# ') <> order_ref",
	    NULL },
	/* An order is known by its source and its id (paymatch.h), so that
	 * two shops' #1001 are two orders.  Rows matched before hold no
	 * source: they stay the order of that id from any source. */
	{ "payments", 4,
	    "ALTER TABLE pay_transactions ADD COLUMN matched_source TEXT",
	    NULL },
};
const size_t paystore_nmigrations =
    sizeof(paystore_migrations) / sizeof(paystore_migrations[0]);

#define COLUMNS "provider, txn_id, kind, state, currency, amount," \
	" refunded, fee, created, parent_id, order_ref, alt_ref, intent," \
	" email, card, card_country, ip_country, risky, matched_order," \
	" matched_source FROM pay_transactions WHERE "

/* Each lookup on SQLite, where a list is a JSON array, and on PostgreSQL,
 * where it is an array; one index each, so no full scan. */
static const struct {
	const char	*lite, *pg;
} find_sql[PAYSTORE_NBY] = {
	[PAYSTORE_ID] = {
	    "SELECT " COLUMNS "txn_id IN (SELECT value FROM json_each($1))",
	    "SELECT " COLUMNS "txn_id = ANY($1::text[])" },
	[PAYSTORE_REF] = {
	    "SELECT " COLUMNS "order_ref IN (SELECT value FROM json_each($1))"
	    " UNION ALL SELECT " COLUMNS
	    "alt_ref IN (SELECT value FROM json_each($1))",
	    "SELECT " COLUMNS "order_ref = ANY($1::text[])"
	    " OR alt_ref = ANY($1::text[])" },
	[PAYSTORE_TID] = {
	    "SELECT " COLUMNS "txn_id IN (SELECT value FROM json_each($1))"
	    " UNION ALL SELECT " COLUMNS
	    "intent IN (SELECT value FROM json_each($1))",
	    "SELECT " COLUMNS "txn_id = ANY($1::text[])"
	    " OR intent = ANY($1::text[])" },
	[PAYSTORE_PARENT] = {
	    "SELECT " COLUMNS "parent_id IN (SELECT value FROM json_each($1))",
	    "SELECT " COLUMNS "parent_id = ANY($1::text[])" },
};

#define BATCH	1000	/* rows in one INSERT */

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
	json_decref(ps->batch);
	memset(ps, 0, sizeof(*ps));
}

/* The order a row holds, as paymatch.h writes it: its source and id, a
 * unit separator between them, in *buf (grown as needed); or its id, or
 * NULL. */
static const char *
holder_join(const char *source, const char *id, char **buf, size_t *cap)
{
	size_t need;

	if (id == NULL || source == NULL || *source == '\0')
		return id;
	need = strlen(source) + strlen(id) + 2;
	if (need > *cap) {
		*cap = need;
		*buf = xrealloc(*buf, need);
	}
	snprintf(*buf, *cap, "%s%c%s", source, PAYMATCH_US, id);
	return *buf;
}

/* The source of held (NULL: none) and its id, as the store keeps them. */
static const char *
holder_source(const char *held, char *buf, size_t len)
{
	const char *id;

	if (held == NULL || (id = paymatch_order_id(held)) == held ||
	    (size_t)(id - held) > len)
		return NULL;
	memcpy(buf, held, id - held - 1);
	buf[id - held - 1] = '\0';
	return buf;
}

static const char *
holder_id(const char *held)
{
	return held != NULL ? paymatch_order_id(held) : NULL;
}

static void
country(char dst[3], const char *s)
{
	dst[0] = '\0';
	if (s != NULL && strlen(s) == 2)
		memcpy(dst, s, 3);
}

void
paystore_find(struct paystore *ps, enum paystore_by by,
    const char *const *keys, size_t n, void (*fn)(void *,
    const struct payment_txn *, const char *), void *arg)
{
	struct store_stmt *st;
	struct payment_txn t;
	const char *cur;
	char *hbuf = NULL;
	size_t hcap = 0;

	if (n == 0)
		return;
	if ((st = ps->find[by]) == NULL)
		st = ps->find[by] = store_prepare(ps->store, find_sql[by].lite,
		    find_sql[by].pg);
	store_query(st, "S", keys, n);
	while (store_next(st)) {
		memset(&t, 0, sizeof(t));
		t.provider = store_text(st, 0);
		t.id = store_text(st, 1);
		if (t.provider == NULL || t.id == NULL ||
		    payment_kind_parse(store_text(st, 2), &t.kind) == -1 ||
		    payment_state_parse(store_text(st, 3), &t.state) == -1)
			continue;	/* the CHECKs keep this from happening */
		cur = store_text(st, 4);
		if (cur == NULL || strlen(cur) != 3)
			continue;
		memcpy(t.currency, cur, 4);
		t.amount = store_int(st, 5);
		t.refunded = store_int(st, 6);
		t.fee = store_int(st, 7);
		t.created = store_int(st, 8);
		t.parent = store_text(st, 9);
		t.order_ref = store_text(st, 10);
		t.alt_ref = store_text(st, 11);
		t.intent = store_text(st, 12);
		t.email = store_text(st, 13);
		t.card = store_text(st, 14);
		country(t.card_country, store_text(st, 15));
		country(t.ip_country, store_text(st, 16));
		t.risky = store_int(st, 17) != 0;
		fn(arg, &t, holder_join(store_text(st, 19),
		    store_text(st, 18), &hbuf, &hcap));
	}
	free(hbuf);
}

/* A text column's value: null for none, else the text (bytes that are not
 * UTF-8, which JSON cannot carry, become U+FFFD). */
static json_t *
text_or_null(const char *s)
{
	json_t *v;

	if (s == NULL || *s == '\0')
		return json_null();
	if ((v = json_string(s)) == NULL)
		v = jsonl_string_lossy(s, strlen(s));
	return v;
}

/* The columns of a row, in the order of the INSERT, as one JSON array. */
#define SAVE_COLUMNS "provider, txn_id, kind, state, currency, amount," \
	" refunded, fee, created, parent_id, order_ref, alt_ref, intent," \
	" email, card, card_country, ip_country, risky, matched_order," \
	" matched_source, first_seen, updated"
#define SAVE_CONFLICT " ON CONFLICT (provider, txn_id) DO UPDATE SET" \
	" kind = excluded.kind, state = excluded.state," \
	" currency = excluded.currency, amount = excluded.amount," \
	" refunded = excluded.refunded, fee = excluded.fee," \
	" created = excluded.created, parent_id = excluded.parent_id," \
	" order_ref = excluded.order_ref, alt_ref = excluded.alt_ref," \
	" intent = excluded.intent, email = excluded.email," \
	" card = excluded.card, card_country = excluded.card_country," \
	" ip_country = excluded.ip_country, risky = excluded.risky," \
	" matched_source = CASE WHEN pay_transactions.matched_order IS NULL" \
	"  OR (pay_transactions.matched_source IS NULL" \
	"  AND pay_transactions.matched_order = excluded.matched_order)" \
	"  THEN excluded.matched_source ELSE pay_transactions.matched_source" \
	"  END," \
	" matched_order = COALESCE(pay_transactions.matched_order," \
	"  excluded.matched_order)," \
	" updated = excluded.updated"
/* A claim: the row of a transaction not kept, or the order of one kept
 * that has none; an order the row has stays (held by id alone, it takes
 * the source of the order of that id).  Nothing else of a kept row
 * changes, so that only its page is written. */
#define CLAIM_CONFLICT " ON CONFLICT (provider, txn_id) DO UPDATE SET" \
	" matched_source = CASE WHEN pay_transactions.matched_order IS NULL" \
	"  OR (pay_transactions.matched_source IS NULL" \
	"  AND pay_transactions.matched_order = excluded.matched_order)" \
	"  THEN excluded.matched_source ELSE pay_transactions.matched_source" \
	"  END," \
	" matched_order = COALESCE(pay_transactions.matched_order," \
	"  excluded.matched_order)" \
	" RETURNING provider, txn_id, matched_order, matched_source"
#define LITE(i) "json_extract(value, '$[" #i "]')"
#define PG(i) "e->>" #i
#define PGI(i) "(e->>" #i ")::bigint"
/* The rows of a JSON batch ($1, made by row_json()) at time $2. */
#define INSERT_LITE "INSERT INTO pay_transactions (" SAVE_COLUMNS ") SELECT " \
	LITE(0) "," LITE(1) "," LITE(2) "," LITE(3) "," LITE(4) "," \
	LITE(5) "," LITE(6) "," LITE(7) "," LITE(8) "," LITE(9) "," \
	LITE(10) "," LITE(11) "," LITE(12) "," LITE(13) "," \
	LITE(14) "," LITE(15) "," LITE(16) "," LITE(17) "," \
	LITE(18) "," LITE(19) ", $2, $2 FROM json_each($1) WHERE true"
#define INSERT_PG "INSERT INTO pay_transactions (" SAVE_COLUMNS ") SELECT " \
	PG(0) "," PG(1) "," PG(2) "," PG(3) "," PG(4) "," PGI(5) "," \
	PGI(6) "," PGI(7) "," PGI(8) "," PG(9) "," PG(10) "," \
	PG(11) "," PG(12) "," PG(13) "," PG(14) "," PG(15) "," \
	PG(16) "," PGI(17) "," PG(18) "," PG(19) ", $2::bigint, $2::bigint" \
	" FROM json_array_elements($1::json) AS e"
/* One row, its columns as ROW_ARGS() binds them. */
#define INSERT_ONE "INSERT INTO pay_transactions (" SAVE_COLUMNS ") VALUES (" \
	"$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13," \
	" $14, $15, $16, $17, $18, $19, $20, $21, $21)"
#define ROW_FMT "sssssiiiissssssssissi"
#define ROW_ARGS(t, matched, now) \
	empty_null((t)->provider), empty_null((t)->id), \
	payment_kind_name((t)->kind), payment_state_name((t)->state), \
	(t)->currency, (int64_t)(t)->amount, (int64_t)(t)->refunded, \
	(int64_t)(t)->fee, (int64_t)(t)->created, empty_null((t)->parent), \
	empty_null((t)->order_ref), empty_null((t)->alt_ref), \
	empty_null((t)->intent), empty_null((t)->email), \
	empty_null((t)->card), empty_null((t)->card_country), \
	empty_null((t)->ip_country), (int64_t)((t)->risky != 0), \
	empty_null(holder_id(matched)), \
	holder_source(matched, srcbuf, sizeof(srcbuf)), (now)

static const char *
empty_null(const char *s)
{
	return s == NULL || *s == '\0' ? NULL : s;
}

/* A row of a batch: its columns in the order of INSERT_PG. */
static json_t *
row_json(const struct payment_txn *t, const char *matched)
{
	json_t *row;
	char srcbuf[128];

	row = json_pack("[o,o,s,s,s,I,I,I,I,o,o,o,o,o,o,o,o,i,o,o]",
	    text_or_null(t->provider), text_or_null(t->id),
	    payment_kind_name(t->kind), payment_state_name(t->state),
	    t->currency, (json_int_t)t->amount, (json_int_t)t->refunded,
	    (json_int_t)t->fee, (json_int_t)t->created,
	    text_or_null(t->parent), text_or_null(t->order_ref),
	    text_or_null(t->alt_ref), text_or_null(t->intent),
	    text_or_null(t->email), text_or_null(t->card),
	    text_or_null(t->card_country), text_or_null(t->ip_country),
	    t->risky != 0, text_or_null(holder_id(matched)),
	    text_or_null(holder_source(matched, srcbuf, sizeof(srcbuf))));
	if (row == NULL)
		xnomem();
	return row;
}

void
paystore_flush(struct paystore *ps)
{
	char *text;

	if (ps->batch == NULL || json_array_size(ps->batch) == 0)
		return;
	if (ps->save == NULL)
		ps->save = store_prepare(ps->store, INSERT_LITE SAVE_CONFLICT,
		    INSERT_PG SAVE_CONFLICT);
	text = jsonx_text(ps->batch);
	if (store_exec(ps->save, "si", text, ps->batch_now) == -1)
		errx(EX_SOFTWARE, "cannot save transactions: %s",
		    store_error(ps->store));
	free(text);
	json_array_clear(ps->batch);
}

/* SQLite runs in this process: a prepared statement a row costs less than
 * building, writing and parsing a JSON batch.  PostgreSQL gets batches, one
 * round trip for many rows. */
static void
save_one(struct paystore *ps, const struct payment_txn *t,
    const char *matched, int64_t now)
{
	char srcbuf[128];

	if (ps->save_one == NULL)
		ps->save_one = store_prepare(ps->store,
		    INSERT_ONE SAVE_CONFLICT, NULL);
	if (store_exec(ps->save_one, ROW_FMT, ROW_ARGS(t, matched, now)) == -1)
		errx(EX_SOFTWARE, "cannot save transaction '%s': %s", t->id,
		    store_error(ps->store));
}

void
paystore_save(struct paystore *ps, const struct payment_txn *t,
    const char *matched, int64_t now)
{
	if (store_kind(ps->store) == STORE_SQLITE) {
		save_one(ps, t, matched, now);
		return;
	}

	if (ps->batch == NULL && (ps->batch = json_array()) == NULL)
		xnomem();
	if (json_array_size(ps->batch) > 0 && now != ps->batch_now)
		paystore_flush(ps);
	ps->batch_now = now;
	if (json_array_append_new(ps->batch, row_json(t, matched)) == -1)
		xnomem();
	if (json_array_size(ps->batch) >= BATCH)
		paystore_flush(ps);
}

/* Advisory locks of their own: the first key of the two-key form, which
 * no lock of one bigint key meets. */
#define LOCK_CLASS "1885434739"

void
paystore_lock(struct paystore *ps, const char *const *keys, size_t n)
{
	if (n == 0 || store_kind(ps->store) != STORE_POSTGRES)
		return;
	if (ps->lock == NULL)
		ps->lock = store_prepare(ps->store,
		    "SELECT count(pg_advisory_xact_lock(" LOCK_CLASS ", h))"
		    " FROM (SELECT DISTINCT hashtext(x) AS h"
		    " FROM unnest($1::text[]) AS x ORDER BY 1) AS s", NULL);
	store_query(ps->lock, "S", keys, n);
	while (store_next(ps->lock))
		continue;
}

/* The rows a claim returns, to fn. */
static void
claimed(struct store_stmt *st, void (*fn)(void *, const char *,
    const char *, const char *), void *arg)
{
	char *hbuf = NULL;
	size_t hcap = 0;

	while (store_next(st))
		if (store_text(st, 0) != NULL && store_text(st, 1) != NULL)
			fn(arg, store_text(st, 0), store_text(st, 1),
			    holder_join(store_text(st, 3), store_text(st, 2),
			    &hbuf, &hcap));
	free(hbuf);
}

void
paystore_claim(struct paystore *ps, const struct payment_txn *txns,
    const char *const *orders, size_t n, int64_t now, void (*fn)(void *,
    const char *, const char *, const char *), void *arg)
{
	json_t *batch;
	char *text, srcbuf[128];
	size_t i;

	if (store_kind(ps->store) == STORE_SQLITE) {
		if (ps->claim_one == NULL)
			ps->claim_one = store_prepare(ps->store,
			    INSERT_ONE CLAIM_CONFLICT, NULL);
		for (i = 0; i < n; i++) {
			if (store_query(ps->claim_one, ROW_FMT,
			    ROW_ARGS(&txns[i], orders[i], now)) == -1)
				errx(EX_SOFTWARE, "cannot claim transaction "
				    "'%s': %s", txns[i].id,
				    store_error(ps->store));
			claimed(ps->claim_one, fn, arg);
		}
		return;
	}

	if (ps->claim == NULL)
		ps->claim = store_prepare(ps->store, INSERT_LITE CLAIM_CONFLICT,
		    INSERT_PG CLAIM_CONFLICT);
	if ((batch = json_array()) == NULL)
		xnomem();
	for (i = 0; i < n; i++) {
		if (json_array_append_new(batch, row_json(&txns[i],
		    orders[i])) == -1)
			xnomem();
		if (json_array_size(batch) < BATCH && i + 1 < n)
			continue;
		text = jsonx_text(batch);
		if (store_query(ps->claim, "si", text, now) == -1)
			errx(EX_SOFTWARE, "cannot claim transactions: %s",
			    store_error(ps->store));
		free(text);
		claimed(ps->claim, fn, arg);
		json_array_clear(batch);
	}
	json_decref(batch);
}
