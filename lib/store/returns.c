/* returns.c: the returns component of the store (returnstore.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <err.h>

#include "returnstore.h"
#include "store.h"
#include "xalloc.h"

const struct store_migration returnstore_migrations[] = {
	{ "returns", 1,
	    "CREATE TABLE return_requests ("
	    " request_key TEXT PRIMARY KEY,"
	    " order_id TEXT NOT NULL,"
	    " out_line TEXT,"
	    " reject_line TEXT,"
	    " created_at BIGINT NOT NULL);"
	    "CREATE TABLE returns ("
	    " rma TEXT PRIMARY KEY,"
	    " request_key TEXT NOT NULL UNIQUE,"
	    " order_id TEXT NOT NULL,"
	    " decision TEXT NOT NULL CHECK (decision IN ('approved',"
	    " 'needs_review')),"
	    " state TEXT NOT NULL,"
	    " amount BIGINT NOT NULL,"
	    " currency TEXT NOT NULL,"
	    " due_by TEXT,"
	    " record TEXT NOT NULL,"
	    " created_at BIGINT NOT NULL);"
	    "CREATE INDEX returns_order ON returns (order_id);"
	    "CREATE TABLE return_items ("
	    " rma TEXT NOT NULL REFERENCES returns (rma),"
	    " sku TEXT NOT NULL,"
	    " qty BIGINT NOT NULL CHECK (qty > 0),"
	    " received BIGINT NOT NULL DEFAULT 0 CHECK (received <= qty),"
	    " PRIMARY KEY (rma, sku));"
	    "CREATE TABLE return_movements ("
	    " rma TEXT NOT NULL REFERENCES returns (rma),"
	    " sku TEXT NOT NULL,"
	    " warehouse TEXT,"
	    " qty BIGINT NOT NULL CHECK (qty > 0),"
	    " disposition TEXT NOT NULL CHECK (disposition IN ('restock',"
	    " 'write_off')),"
	    " condition TEXT NOT NULL,"
	    " at BIGINT NOT NULL)",
	    NULL },
};

const size_t returnstore_nmigrations =
    sizeof(returnstore_migrations) / sizeof(returnstore_migrations[0]);

void
returnstore_open(struct returnstore *rs, const char *dbarg)
{
	struct store *st;
	char *where;

	struct store_migration *mig;
	size_t n = store_stock_nmigrations + store_tracking_nmigrations +
	    returnstore_nmigrations;

	memset(rs, 0, sizeof(*rs));
	/* One store: the stock the receipts move, the deliveries track-poll
	 * saw, and the returns. */
	mig = xcalloc(n, sizeof(*mig));
	memcpy(mig, store_stock_migrations, store_stock_nmigrations *
	    sizeof(*mig));
	memcpy(mig + store_stock_nmigrations, store_tracking_migrations,
	    store_tracking_nmigrations * sizeof(*mig));
	memcpy(mig + store_stock_nmigrations + store_tracking_nmigrations,
	    returnstore_migrations, returnstore_nmigrations * sizeof(*mig));
	where = store_locate(dbarg);
	rs->st = st = store_open(where, mig, n);
	free(where);
	free(mig);
	if (store_kind(st) == STORE_POSTGRES)
		rs->lock = store_prepare(st,
		    "SELECT count(pg_advisory_xact_lock(h)) FROM"
		    " (SELECT DISTINCT hashtext('return:' || x) AS h"
		    " FROM unnest($1::text[]) AS x ORDER BY 1) AS s", NULL);
	rs->request = store_prepare(st, "SELECT out_line, reject_line FROM"
	    " return_requests WHERE request_key = $1", NULL);
	rs->add_request = store_prepare(st, "INSERT INTO return_requests"
	    " (request_key, order_id, out_line, reject_line, created_at)"
	    " VALUES ($1, $2, $3, $4, $5)", NULL);
	rs->counts = store_prepare(st, "SELECT i.sku, r.decision, SUM(i.qty)"
	    " FROM return_items i JOIN returns r ON r.rma = i.rma"
	    " WHERE r.order_id = $1 GROUP BY i.sku, r.decision", NULL);
	rs->refunded = store_prepare(st, "SELECT COALESCE(SUM(amount), 0)"
	    " FROM returns WHERE order_id = $1 AND decision = 'approved'",
	    NULL);
	rs->add_return = store_prepare(st, "INSERT INTO returns (rma,"
	    " request_key, order_id, decision, state, amount, currency,"
	    " due_by, record, created_at) VALUES ($1, $2, $3, $4, 'open', $5,"
	    " $6, $7, $8, $9)", NULL);
	rs->add_item = store_prepare(st, "INSERT INTO return_items (rma, sku,"
	    " qty) VALUES ($1, $2, $3)", NULL);
	rs->by_rma = store_prepare(st, "SELECT order_id, decision, state,"
	    " amount, currency, due_by, record FROM returns WHERE rma = $1",
	    "SELECT order_id, decision, state, amount, currency, due_by,"
	    " record FROM returns WHERE rma = $1 FOR UPDATE");
	rs->items = store_prepare(st, "SELECT sku, qty, received FROM"
	    " return_items WHERE rma = $1 ORDER BY sku", "SELECT sku, qty,"
	    " received FROM return_items WHERE rma = $1"
	    " ORDER BY sku COLLATE \"C\"");
	rs->receive = store_prepare(st, "UPDATE return_items SET received ="
	    " received + $3 WHERE rma = $1 AND sku = $2", NULL);
	rs->set_return = store_prepare(st, "UPDATE returns SET state = $2,"
	    " amount = $3, due_by = $4, record = $5 WHERE rma = $1", NULL);
	rs->movement = store_prepare(st, "INSERT INTO return_movements (rma,"
	    " sku, warehouse, qty, disposition, condition, at) VALUES ($1, $2,"
	    " $3, $4, $5, $6, $7)", NULL);
	rs->open_refunds = store_prepare(st, "SELECT rma, order_id, amount,"
	    " currency, due_by FROM returns WHERE decision = 'approved'"
	    " AND amount > 0 AND state <> 'refunded' ORDER BY due_by, rma",
	    "SELECT rma, order_id, amount, currency, due_by FROM returns"
	    " WHERE decision = 'approved' AND amount > 0"
	    " AND state <> 'refunded' ORDER BY due_by, rma COLLATE \"C\"");
}

void
returnstore_close(struct returnstore *rs)
{
	store_close(rs->st);
	rs->st = NULL;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
returnstore_lock(struct returnstore *rs, const char *const *ids, size_t n)
{
	const char **sorted;

	if (rs->lock == NULL || n == 0)
		return;
	sorted = xcalloc(n, sizeof(*sorted));
	memcpy(sorted, ids, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_str);
	if (store_query(rs->lock, "S", sorted, n) == -1)
		errx(EX_SOFTWARE, "returns: %s", store_error(rs->st));
	store_done(rs->lock);
	free(sorted);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
must(struct returnstore *rs, long rc)
{
	if (rc == -1)
		errx(EX_SOFTWARE, "returns: %s", store_error(rs->st));
}

int
returnstore_request(struct returnstore *rs, const char *key, char **out,
    char **rej)
{
	int found = 0;

	*out = *rej = NULL;
	must(rs, store_query(rs->request, "s", key));
	if (store_next(rs->request)) {
		found = 1;
		*out = dup_or_null(store_text(rs->request, 0));
		*rej = dup_or_null(store_text(rs->request, 1));
		store_done(rs->request);
	}
	return found;
}

void
returnstore_add_request(struct returnstore *rs, const char *key,
    const char *order_id, const char *out, const char *rej, int64_t now)
{
	must(rs, store_exec(rs->add_request, "ssssi", key, order_id, out, rej,
	    now));
}

void
returnstore_counts(struct returnstore *rs, const char *order_id,
    void (*fn)(void *, const char *, const char *, int64_t), void *arg)
{
	must(rs, store_query(rs->counts, "s", order_id));
	while (store_next(rs->counts))
		fn(arg, store_text(rs->counts, 0), store_text(rs->counts, 1),
		    store_int(rs->counts, 2));
}

int64_t
returnstore_refunded(struct returnstore *rs, const char *order_id)
{
	int64_t v = 0;

	must(rs, store_query(rs->refunded, "s", order_id));
	if (store_next(rs->refunded)) {
		v = store_int(rs->refunded, 0);
		store_done(rs->refunded);
	}
	return v;
}

void
returnstore_add(struct returnstore *rs, const char *rma, const char *key,
    const char *order_id, const char *decision, int64_t amount,
    const char *currency, const char *due_by, const char *record,
    int64_t now)
{
	must(rs, store_exec(rs->add_return, "ssssisssi", rma, key, order_id,
	    decision, amount, currency, due_by, record, now));
}

void
returnstore_add_item(struct returnstore *rs, const char *rma,
    const char *sku, int64_t qty)
{
	must(rs, store_exec(rs->add_item, "ssi", rma, sku, qty));
}

int
returnstore_get(struct returnstore *rs, const char *rma,
    struct returnstore_return *r)
{
	struct store_stmt *q = rs->by_rma;

	memset(r, 0, sizeof(*r));
	must(rs, store_query(q, "s", rma));
	if (!store_next(q))
		return 0;
	r->order_id = dup_or_null(store_text(q, 0));
	r->decision = dup_or_null(store_text(q, 1));
	r->state = dup_or_null(store_text(q, 2));
	r->amount = store_int(q, 3);
	r->currency = dup_or_null(store_text(q, 4));
	r->due_by = dup_or_null(store_text(q, 5));
	r->record = dup_or_null(store_text(q, 6));
	store_done(q);
	return 1;
}

void
returnstore_return_release(struct returnstore_return *r)
{
	free(r->order_id);
	free(r->decision);
	free(r->state);
	free(r->currency);
	free(r->due_by);
	free(r->record);
	memset(r, 0, sizeof(*r));
}

void
returnstore_items(struct returnstore *rs, const char *rma,
    void (*fn)(void *, const char *, int64_t, int64_t), void *arg)
{
	must(rs, store_query(rs->items, "s", rma));
	while (store_next(rs->items))
		fn(arg, store_text(rs->items, 0), store_int(rs->items, 1),
		    store_int(rs->items, 2));
}

void
returnstore_receive(struct returnstore *rs, const char *rma,
    const char *sku, int64_t qty)
{
	must(rs, store_exec(rs->receive, "ssi", rma, sku, qty));
}

void
returnstore_update(struct returnstore *rs, const char *rma,
    const char *state, int64_t amount, const char *due_by,
    const char *record)
{
	must(rs, store_exec(rs->set_return, "ssiss", rma, state, amount,
	    due_by, record));
}

void
returnstore_movement(struct returnstore *rs, const char *rma,
    const char *sku, const char *warehouse, int64_t qty,
    const char *disposition, const char *condition, int64_t at)
{
	must(rs, store_exec(rs->movement, "sssissi", rma, sku, warehouse, qty,
	    disposition, condition, at));
}

void
returnstore_open_refunds(struct returnstore *rs, void (*fn)(void *,
    const char *, const char *, int64_t, const char *, const char *),
    void *arg)
{
	must(rs, store_query(rs->open_refunds, ""));
	while (store_next(rs->open_refunds))
		fn(arg, store_text(rs->open_refunds, 0),
		    store_text(rs->open_refunds, 1),
		    store_int(rs->open_refunds, 2),
		    store_text(rs->open_refunds, 3),
		    store_text(rs->open_refunds, 4));
}
