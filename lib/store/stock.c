/* stock.c: the stock component of the store: its schema (warehouses,
 * stock levels, reservations) and the statements stock-load, order-reserve
 * and stock-levels run on it (stock.h). */
#include <err.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "stock.h"
#include "store.h"
#include "xalloc.h"

/*
 * on_hand is what is on the shelf, reserved what orders hold of it; the
 * checks keep reserved within on_hand whatever a program does, so stock is
 * never oversold even by a bug.  A reservation keeps the order's items
 * ("SKU\tQTY\n" lines, sorted) to tell a changed order from a repeated one,
 * the reservation section it was given, and (with a time to live) the order
 * itself, for --expire to write out.
 */
const struct store_migration store_stock_migrations[] = {
	{ "stock", 1,
	    "CREATE TABLE warehouses ("
	    " id TEXT PRIMARY KEY,"
	    " priority BIGINT NOT NULL DEFAULT 0,"
	    " regions TEXT NOT NULL DEFAULT '');"
	    "CREATE TABLE stock ("
	    " sku TEXT NOT NULL,"
	    " warehouse TEXT NOT NULL REFERENCES warehouses (id),"
	    " on_hand BIGINT NOT NULL CHECK (on_hand >= 0),"
	    " reserved BIGINT NOT NULL DEFAULT 0"
	    "  CHECK (reserved >= 0 AND reserved <= on_hand),"
	    " PRIMARY KEY (sku, warehouse));"
	    "CREATE TABLE reservations ("
	    " order_id TEXT PRIMARY KEY,"
	    " state TEXT NOT NULL CHECK (state IN"
	    "  ('active', 'released', 'committed', 'expired')),"
	    " items TEXT NOT NULL,"
	    " section TEXT NOT NULL,"
	    " record TEXT,"
	    " created_at BIGINT NOT NULL,"
	    " expires_at BIGINT,"
	    " closed_at BIGINT);"
	    "CREATE INDEX reservations_expiry ON reservations (expires_at)"
	    " WHERE state = 'active';"
	    "CREATE TABLE reservation_lines ("
	    " order_id TEXT NOT NULL REFERENCES reservations (order_id),"
	    " sku TEXT NOT NULL,"
	    " warehouse TEXT NOT NULL,"
	    " qty BIGINT NOT NULL CHECK (qty > 0),"
	    " PRIMARY KEY (order_id, sku, warehouse));",
	    NULL },
	/* An order is known by its source and id: two channels, or two
	 * stores of one platform, both have a #1001.  The id leads the key,
	 * so that a batch still finds its reservations by id alone. */
	{ "stock", 2,
	    "ALTER TABLE reservation_lines RENAME TO reservation_lines_v1;"
	    "ALTER TABLE reservations RENAME TO reservations_v1;"
	    "DROP INDEX reservations_expiry;"
	    "CREATE TABLE reservations ("
	    " order_id TEXT NOT NULL,"
	    " source TEXT NOT NULL DEFAULT '',"
	    " state TEXT NOT NULL CHECK (state IN"
	    "  ('active', 'released', 'committed', 'expired')),"
	    " items TEXT NOT NULL,"
	    " section TEXT NOT NULL,"
	    " record TEXT,"
	    " created_at BIGINT NOT NULL,"
	    " expires_at BIGINT,"
	    " closed_at BIGINT,"
	    " PRIMARY KEY (order_id, source));"
	    "INSERT INTO reservations (order_id, source, state, items, section,"
	    " record, created_at, expires_at, closed_at)"
	    " SELECT order_id, '', state, items, section, record, created_at,"
	    " expires_at, closed_at FROM reservations_v1;"
	    "CREATE INDEX reservations_expiry ON reservations (expires_at)"
	    " WHERE state = 'active';"
	    "CREATE TABLE reservation_lines ("
	    " order_id TEXT NOT NULL,"
	    " source TEXT NOT NULL DEFAULT '',"
	    " sku TEXT NOT NULL,"
	    " warehouse TEXT NOT NULL,"
	    " qty BIGINT NOT NULL CHECK (qty > 0),"
	    " PRIMARY KEY (order_id, source, sku, warehouse),"
	    " FOREIGN KEY (order_id, source)"
	    "  REFERENCES reservations (order_id, source)) WITHOUT ROWID;"
	    "INSERT INTO reservation_lines (order_id, source, sku, warehouse,"
	    " qty) SELECT order_id, '', sku, warehouse, qty"
	    " FROM reservation_lines_v1;"
	    "DROP TABLE reservation_lines_v1;"
	    "DROP TABLE reservations_v1;",
	    /* PostgreSQL changes the keys in place. */
	    "ALTER TABLE reservation_lines"
	    " DROP CONSTRAINT reservation_lines_order_id_fkey;"
	    "ALTER TABLE reservation_lines"
	    " DROP CONSTRAINT reservation_lines_pkey;"
	    "ALTER TABLE reservations DROP CONSTRAINT reservations_pkey;"
	    "ALTER TABLE reservations"
	    " ADD COLUMN source TEXT NOT NULL DEFAULT '';"
	    "ALTER TABLE reservation_lines"
	    " ADD COLUMN source TEXT NOT NULL DEFAULT '';"
	    "ALTER TABLE reservations ADD PRIMARY KEY (order_id, source);"
	    "ALTER TABLE reservation_lines"
	    " ADD PRIMARY KEY (order_id, source, sku, warehouse);"
	    "ALTER TABLE reservation_lines ADD FOREIGN KEY (order_id, source)"
	    " REFERENCES reservations (order_id, source);" },
};

const size_t store_stock_nmigrations =
    sizeof(store_stock_migrations) / sizeof(store_stock_migrations[0]);

static void	open_stock(struct stock_db *, const char *, int);

/* A constraint violation from a query, which none of ours can have. */
static void
query_failed(struct stock_db *db)
{
	errx(EX_SOFTWARE, "stock: %s", store_error(db->st));
}

void
stock_open(struct stock_db *db, const char *dbarg)
{
	open_stock(db, dbarg, 0);
}

void
stock_open_existing(struct stock_db *db, const char *dbarg)
{
	open_stock(db, dbarg, 1);
}

static void
open_stock(struct stock_db *db, const char *dbarg, int existing)
{
	struct store *st;
	char *where;

	memset(db, 0, sizeof(*db));
	where = store_locate(dbarg);
	db->st = st = existing ? store_open_existing(where,
	    store_stock_migrations, store_stock_nmigrations) :
	    store_open(where, store_stock_migrations,
	    store_stock_nmigrations);
	free(where);
	stock_attach(db, st);
}

void
stock_attach(struct stock_db *db, struct store *st)
{
	memset(db, 0, sizeof(*db));
	db->st = st;
	if (store_kind(st) == STORE_POSTGRES)
		db->idlock = store_prepare(st,
		    "SELECT count(pg_advisory_xact_lock(h)) FROM"
		    " (SELECT DISTINCT hashtext(x) AS h FROM unnest($1::text[])"
		    " AS x ORDER BY 1) AS s", NULL);
	db->rows = store_prepare(st,
	    "SELECT sku, warehouse, on_hand - reserved FROM stock"
	    " WHERE sku IN (SELECT value FROM json_each($1))",
	    "SELECT sku, warehouse, on_hand - reserved FROM stock"
	    " WHERE sku = ANY($1::text[])"
	    " ORDER BY sku COLLATE \"C\", warehouse COLLATE \"C\" FOR UPDATE");
	db->warehouses = store_prepare(st,
	    "SELECT id, priority, regions FROM warehouses", NULL);
	/* Reserving reads reservations unlocked, having locked the stock;
	 * closing locks them first, then the stock. */
	db->found = store_prepare(st,
	    "SELECT order_id, source, state, items, section FROM reservations"
	    " WHERE order_id IN (SELECT value FROM json_each($1))",
	    "SELECT order_id, source, state, items, section FROM reservations"
	    " WHERE order_id = ANY($1::text[])");
	db->found_lock = store_prepare(st,
	    "SELECT order_id, source, state, items, section FROM reservations"
	    " WHERE order_id IN (SELECT value FROM json_each($1))",
	    "SELECT order_id, source, state, items, section FROM reservations"
	    " WHERE order_id = ANY($1::text[])"
	    " ORDER BY order_id COLLATE \"C\", source COLLATE \"C\""
	    " FOR UPDATE");
	db->expired = store_prepare(st,
	    "SELECT order_id, source, state, section, record FROM reservations"
	    " WHERE state = 'active' AND expires_at <= $1"
	    " ORDER BY order_id, source LIMIT $2",
	    "SELECT order_id, source, state, section, record FROM reservations"
	    " WHERE state = 'active' AND expires_at <= $1"
	    " ORDER BY order_id COLLATE \"C\", source COLLATE \"C\""
	    " LIMIT $2 FOR UPDATE");
	db->lines = store_prepare(st,
	    "SELECT sku, warehouse, qty FROM reservation_lines"
	    " WHERE order_id = $1 AND source = $2 ORDER BY sku, warehouse",
	    "SELECT sku, warehouse, qty FROM reservation_lines"
	    " WHERE order_id = $1 AND source = $2"
	    " ORDER BY sku COLLATE \"C\", warehouse COLLATE \"C\"");
	db->add_res = store_prepare(st,
	    "INSERT INTO reservations (order_id, source, state, items,"
	    " section, record, created_at, expires_at)"
	    " VALUES ($1, $2, 'active', $3, $4, $5, $6, NULLIF($7, 0))", NULL);
	db->add_line = store_prepare(st,
	    "INSERT INTO reservation_lines (order_id, source, sku, warehouse,"
	    " qty) VALUES ($1, $2, $3, $4, $5)", NULL);
	db->reserve = store_prepare(st,
	    "UPDATE stock SET reserved = reserved + $3"
	    " WHERE sku = $1 AND warehouse = $2", NULL);
	db->commit = store_prepare(st,
	    "UPDATE stock SET reserved = reserved + $3, on_hand = on_hand + $3"
	    " WHERE sku = $1 AND warehouse = $2", NULL);
	db->set_state = store_prepare(st,
	    "UPDATE reservations SET state = $3, closed_at = $4"
	    " WHERE order_id = $1 AND source = $2", NULL);
	db->put_warehouse = store_prepare(st,
	    "INSERT INTO warehouses (id, priority, regions) VALUES ($1,"
	    " COALESCE(CAST($2 AS BIGINT), 0), COALESCE($3, ''))"
	    " ON CONFLICT (id) DO UPDATE SET"
	    " priority = COALESCE(CAST($2 AS BIGINT), warehouses.priority),"
	    " regions = COALESCE($3, warehouses.regions)", NULL);
	db->set = store_prepare(st,
	    "INSERT INTO stock (sku, warehouse, on_hand) VALUES ($1, $2, $3)"
	    " ON CONFLICT (sku, warehouse) DO UPDATE"
	    " SET on_hand = excluded.on_hand"
	    " WHERE stock.reserved <= excluded.on_hand", NULL);
	db->add = store_prepare(st,
	    "INSERT INTO stock (sku, warehouse, on_hand) VALUES ($1, $2, $3)"
	    " ON CONFLICT (sku, warehouse) DO UPDATE"
	    " SET on_hand = stock.on_hand + excluded.on_hand", NULL);
	db->sub = store_prepare(st,
	    "UPDATE stock SET on_hand = on_hand + $3"
	    " WHERE sku = $1 AND warehouse = $2 AND on_hand + $3 >= reserved",
	    NULL);
	db->level = store_prepare(st, "SELECT on_hand, reserved FROM stock"
	    " WHERE sku = $1 AND warehouse = $2", NULL);
	db->levels = store_prepare(st,
	    "SELECT sku, warehouse, on_hand, reserved FROM stock"
	    " WHERE ($1 IS NULL OR sku = $1) AND ($2 IS NULL OR warehouse = $2)"
	    " ORDER BY sku, warehouse",
	    "SELECT sku, warehouse, on_hand, reserved FROM stock"
	    " WHERE ($1::text IS NULL OR sku = $1)"
	    " AND ($2::text IS NULL OR warehouse = $2)"
	    " ORDER BY sku COLLATE \"C\", warehouse COLLATE \"C\"");
}

void
stock_close(struct stock_db *db)
{
	store_close(db->st);
	memset(db, 0, sizeof(*db));
}

/* --- levels --------------------------------------------------------------- */

int
stock_warehouse_put(struct stock_db *db, const char *id,
    const int64_t *priority, const char *regions)
{
	char num[24];

	if (priority != NULL)
		snprintf(num, sizeof(num), "%" PRId64, *priority);
	return store_exec(db->put_warehouse, "sss", id,
	    priority != NULL ? num : NULL, regions) == -1 ? -1 : 0;
}

long
stock_set(struct stock_db *db, const char *sku, const char *warehouse,
    int64_t on_hand)
{
	return store_exec(db->set, "ssi", sku, warehouse, on_hand);
}

long
stock_add(struct stock_db *db, const char *sku, const char *warehouse,
    int64_t qty)
{
	return store_exec(qty >= 0 ? db->add : db->sub, "ssi", sku, warehouse,
	    qty);
}

int
stock_level(struct stock_db *db, const char *sku, const char *warehouse,
    struct stock_level *level)
{
	int found;

	if (store_query(db->level, "ss", sku, warehouse) == -1)
		query_failed(db);
	if ((found = store_next(db->level))) {
		level->sku = sku;
		level->warehouse = warehouse;
		level->on_hand = store_int(db->level, 0);
		level->reserved = store_int(db->level, 1);
	}
	store_done(db->level);
	return found;
}

void
stock_levels(struct stock_db *db, const char *sku, const char *warehouse,
    int (*fn)(void *, const struct stock_level *), void *arg)
{
	struct stock_level level;

	if (store_query(db->levels, "ss", sku, warehouse) == -1)
		query_failed(db);
	while (store_next(db->levels)) {
		level.sku = store_text(db->levels, 0);
		level.warehouse = store_text(db->levels, 1);
		level.on_hand = store_int(db->levels, 2);
		level.reserved = store_int(db->levels, 3);
		if (fn(arg, &level) == -1) {
			store_done(db->levels);
			break;
		}
	}
}

json_t *
stock_level_json(const struct stock_level *level)
{
	json_t *out;

	out = json_pack("{s:s,s:s,s:I,s:I,s:I}", "sku", level->sku,
	    "warehouse", level->warehouse,
	    "on_hand", (json_int_t)level->on_hand,
	    "reserved", (json_int_t)level->reserved,
	    "available", (json_int_t)(level->on_hand - level->reserved));
	if (out == NULL)
		xnomem();
	return out;
}

/* --- reservations --------------------------------------------------------- */

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The order of two keys of two strings each (sku and warehouse, order id
 * and source): by the first, then by the second; the comparators below
 * differ only in the struct they read. */
static int
pair_cmp(const char *a1, const char *a2, const char *b1, const char *b2)
{
	int c = strcmp(a1, b1);

	return c != 0 ? c : strcmp(a2, b2);
}

static int
row_cmp(const void *a, const void *b)
{
	const struct stock_row *x = a, *y = b;

	return pair_cmp(x->sku, x->warehouse, y->sku, y->warehouse);
}

static int
reservation_cmp(const void *a, const void *b)
{
	const struct stock_reservation *x = a, *y = b;

	return pair_cmp(x->order_id, x->source, y->order_id, y->source);
}

/* An order's identity, as the batch was asked for it. */
struct wanted {
	const char	*order_id, *source;
};

static int
wanted_cmp(const void *a, const void *b)
{
	const struct wanted *x = a, *y = b;

	return pair_cmp(x->order_id, x->source, y->order_id, y->source);
}

/* The n (source, id) pairs, sorted for bsearch(); NULL sources are "". */
static struct wanted *
wanted_list(const char *const *sources, const char *const *ids, size_t n)
{
	struct wanted *w;
	size_t i;

	w = xcalloc(n + 1, sizeof(*w));
	for (i = 0; i < n; i++) {
		w[i].order_id = ids[i];
		w[i].source = sources[i] != NULL ? sources[i] : "";
	}
	qsort(w, n, sizeof(*w), wanted_cmp);
	return w;
}

static char *
text_or_null(struct store_stmt *q, int col)
{
	return store_null(q, col) ? NULL : xstrdup(store_text(q, col));
}

/* Add the reservations q returns (order_id, source, state, then items
 * and section, or section and record) to the batch, sorted: those of the
 * n orders (sources[i], ids[i]), or all when ids is NULL.  (A query by id
 * finds the orders of other sources that have the same id too.) */
static void
read_reservations(struct stock_batch *b, struct store_stmt *q, int expired,
    const char *const *sources, const char *const *ids, size_t n)
{
	struct stock_reservation *f;
	struct wanted key, *want = NULL;
	size_t cap = b->nfound;

	while (store_next(q)) {
		key.order_id = store_text(q, 0);
		key.source = store_text(q, 1);
		/* Most orders of a batch are new: no list to sort for them. */
		if (ids != NULL && want == NULL)
			want = wanted_list(sources, ids, n);
		if (want != NULL && bsearch(&key, want, n, sizeof(*want),
		    wanted_cmp) == NULL)
			continue;
		if (b->nfound == cap)
			b->found = xrealloc(b->found,
			    (cap = cap ? cap * 2 : 16) * sizeof(*b->found));
		f = &b->found[b->nfound++];
		f->order_id = xstrdup(key.order_id);
		f->source = xstrdup(key.source);
		f->state = xstrdup(store_text(q, 2));
		if (expired) {
			f->items = NULL;
			f->section = xstrdup(store_text(q, 3));
			f->record = text_or_null(q, 4);
		} else {
			f->items = xstrdup(store_text(q, 3));
			f->section = xstrdup(store_text(q, 4));
			f->record = NULL;
		}
	}
	if (b->nfound > 0)
		qsort(b->found, b->nfound, sizeof(*b->found),
		    reservation_cmp);
	free(want);
}

void
stock_batch_load(struct stock_db *db, struct stock_batch *b,
    const char *const *sources, const char *const *ids, size_t n,
    const char *const *skus, size_t nskus)
{
	const char **sorted;
	size_t i, k, cap;

	/* The rows are locked in key order (PostgreSQL sorts them too). */
	sorted = xcalloc(nskus + 1, sizeof(*sorted));
	memcpy(sorted, skus, nskus * sizeof(*sorted));
	qsort(sorted, nskus, sizeof(*sorted), str_cmp);
	for (i = k = 0; i < nskus; i++)
		if (k == 0 || strcmp(sorted[k - 1], sorted[i]) != 0)
			sorted[k++] = sorted[i];
	nskus = k;

	/* Two processes reserving the same new order id lock no common stock
	 * row when the items differ, and both would insert it.  On
	 * PostgreSQL the ids are locked first, in one order for all, so the
	 * second finds the first's reservation; SQLite's BEGIN IMMEDIATE
	 * already makes writers take turns.  The lock is the id's, whatever
	 * the source: two sources' #1001 only take turns. */
	if (db->idlock != NULL) {
		if (store_query(db->idlock, "S", ids, n) == -1)
			query_failed(db);
		while (store_next(db->idlock))
			continue;
	}
	if (store_query(db->rows, "S", sorted, nskus) == -1)
		query_failed(db);
	cap = b->nrows;
	while (store_next(db->rows)) {
		if (b->nrows == cap)
			b->rows = xrealloc(b->rows,
			    (cap = cap ? cap * 2 : 64) * sizeof(*b->rows));
		b->rows[b->nrows].sku = xstrdup(store_text(db->rows, 0));
		b->rows[b->nrows].warehouse = xstrdup(store_text(db->rows, 1));
		b->rows[b->nrows].available = store_int(db->rows, 2);
		b->rows[b->nrows++].taken = 0;
	}
	if (b->nrows > 0)
		qsort(b->rows, b->nrows, sizeof(*b->rows), row_cmp);

	if (store_query(db->warehouses, "") == -1)
		query_failed(db);
	cap = b->nwarehouses;
	while (store_next(db->warehouses)) {
		struct stock_warehouse *w;

		if (b->nwarehouses == cap)
			b->warehouses = xrealloc(b->warehouses,
			    (cap = cap ? cap * 2 : 8) * sizeof(*b->warehouses));
		w = &b->warehouses[b->nwarehouses++];
		w->id = xstrdup(store_text(db->warehouses, 0));
		w->priority = store_int(db->warehouses, 1);
		w->regions = xstrdup(store_text(db->warehouses, 2));
	}

	if (store_query(db->found, "S", ids, n) == -1)
		query_failed(db);
	read_reservations(b, db->found, 0, sources, ids, n);
	free(sorted);
}

struct stock_row *
stock_batch_row(const struct stock_batch *b, const char *sku,
    const char *warehouse)
{
	size_t lo = 0, hi = b->nrows, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		c = strcmp(b->rows[mid].sku, sku);
		if (c == 0)
			c = strcmp(b->rows[mid].warehouse, warehouse);
		if (c == 0)
			return &b->rows[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
stock_batch_stocked(const struct stock_batch *b, const char *sku)
{
	size_t lo = 0, hi = b->nrows, mid;
	int c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(b->rows[mid].sku, sku)) == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

struct stock_reservation *
stock_batch_reservation(const struct stock_batch *b, const char *source,
    const char *order_id)
{
	struct stock_reservation key = { .order_id = (char *)order_id,
	    .source = (char *)(source != NULL ? source : "") };

	if (b->nfound == 0)
		return NULL;
	return bsearch(&key, b->found, b->nfound, sizeof(*b->found),
	    reservation_cmp);
}

void
stock_reservation_add(struct stock_db *db, const char *source,
    const char *order_id, const char *items, const char *section,
    const char *record, int64_t created_at, int64_t expires_at,
    const struct stock_take *takes, size_t n)
{
	size_t k;

	if (source == NULL)
		source = "";
	if (store_exec(db->add_res, "sssssii", order_id, source, items,
	    section, record, created_at, expires_at) != 1)
		errx(EX_SOFTWARE, "cannot record the reservation of '%s': %s",
		    order_id, store_error(db->st));
	for (k = 0; k < n; k++)
		if (store_exec(db->add_line, "ssssi", order_id, source,
		    takes[k].row->sku, takes[k].row->warehouse,
		    takes[k].qty) != 1)
			errx(EX_SOFTWARE, "cannot record a line of '%s': %s",
			    order_id, store_error(db->st));
}

void
stock_batch_save(struct stock_db *db, struct stock_batch *b)
{
	size_t k;

	/* The rows are sorted by key, as they were locked. */
	for (k = 0; k < b->nrows; k++)
		if (b->rows[k].taken > 0 &&
		    store_exec(db->reserve, "ssi", b->rows[k].sku,
		    b->rows[k].warehouse, b->rows[k].taken) != 1)
			errx(EX_SOFTWARE, "cannot reserve '%s' in '%s': %s",
			    b->rows[k].sku, b->rows[k].warehouse,
			    store_error(db->st));
}

void
stock_batch_lock_reservations(struct stock_db *db, struct stock_batch *b,
    const char *const *sources, const char *const *ids, size_t n)
{
	if (store_query(db->found_lock, "S", ids, n) == -1)
		query_failed(db);
	read_reservations(b, db->found_lock, 0, sources, ids, n);
}

size_t
stock_batch_expired(struct stock_db *db, struct stock_batch *b, int64_t now,
    size_t limit)
{
	size_t before = b->nfound;

	if (store_query(db->expired, "ii", now, (int64_t)limit) == -1)
		query_failed(db);
	read_reservations(b, db->expired, 1, NULL, NULL, 0);
	return b->nfound - before;
}

/* Stock given back (or taken away) by closing reservations. */
struct delta {
	char		*sku, *warehouse;
	int64_t		 qty;
};

static int
delta_cmp(const void *a, const void *b)
{
	const struct delta *x = a, *y = b;

	return pair_cmp(x->sku, x->warehouse, y->sku, y->warehouse);
}

/* Add the lines of the reservation of id from source to the deltas. */
static void
collect_lines(struct stock_db *db, const char *source, const char *id,
    struct delta **d, size_t *n)
{
	if (store_query(db->lines, "ss", id, source) == -1)
		query_failed(db);
	while (store_next(db->lines)) {
		*d = xrealloc(*d, (*n + 1) * sizeof(**d));
		(*d)[*n].sku = xstrdup(store_text(db->lines, 0));
		(*d)[*n].warehouse = xstrdup(store_text(db->lines, 1));
		(*d)[(*n)++].qty = store_int(db->lines, 2);
	}
}

/* Give back the deltas' stock: reserved goes down, and on hand too with
 * commit, in key order. */
static void
apply_deltas(struct stock_db *db, struct delta *d, size_t n, int commit)
{
	size_t i, k;
	int64_t sum;

	if (n > 0)
		qsort(d, n, sizeof(*d), delta_cmp);
	for (i = 0; i < n; i = k) {
		for (k = i, sum = 0; k < n && delta_cmp(&d[i], &d[k]) == 0; k++)
			sum += d[k].qty;
		if (store_exec(commit ? db->commit : db->reserve, "ssi",
		    d[i].sku, d[i].warehouse, -sum) != 1)
			errx(EX_SOFTWARE, "cannot give back '%s' in '%s': %s",
			    d[i].sku, d[i].warehouse, store_error(db->st));
	}
	for (i = 0; i < n; i++) {
		free(d[i].sku);
		free(d[i].warehouse);
	}
	free(d);
}

void
stock_batch_close(struct stock_db *db, struct stock_batch *b,
    const char *state, int commit, int64_t now)
{
	struct stock_reservation *f;
	struct delta *d = NULL;
	size_t i, nd = 0;

	for (i = 0; i < b->nfound; i++) {
		f = &b->found[i];
		if (strcmp(f->state, "active") != 0)
			continue;
		collect_lines(db, f->source, f->order_id, &d, &nd);
		if (store_exec(db->set_state, "sssi", f->order_id, f->source,
		    state, now) != 1)
			errx(EX_SOFTWARE, "cannot close the reservation of "
			    "'%s': %s", f->order_id, store_error(db->st));
		free(f->state);
		f->state = xstrdup(state);
	}
	apply_deltas(db, d, nd, commit);
}

void
stock_batch_release(struct stock_batch *b)
{
	size_t i;

	for (i = 0; i < b->nrows; i++) {
		free(b->rows[i].sku);
		free(b->rows[i].warehouse);
	}
	for (i = 0; i < b->nwarehouses; i++) {
		free(b->warehouses[i].id);
		free(b->warehouses[i].regions);
	}
	for (i = 0; i < b->nfound; i++) {
		free(b->found[i].order_id);
		free(b->found[i].source);
		free(b->found[i].state);
		free(b->found[i].items);
		free(b->found[i].section);
		free(b->found[i].record);
	}
	free(b->rows);
	free(b->warehouses);
	free(b->found);
	memset(b, 0, sizeof(*b));
}
