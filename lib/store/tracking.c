/* tracking.c: the tracking component of the store: its schema and
 * the statements track-poll runs on it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store.h"
#include "tracking.h"
#include "xalloc.h"

/*
 * tracking_parcels holds each parcel followed, with what the last poll or
 * webhook said of it; tracking_records the record (order or plain line)
 * each change is written with, as last written; tracking_tokens the access
 * tokens of carriers that hand them out (CDEK), until they expire.
 */
const struct store_migration store_tracking_migrations[] = {
	{ "tracking", 1,
	    "CREATE TABLE tracking_parcels ("
	    " carrier TEXT NOT NULL,"
	    " tracking_number TEXT NOT NULL,"
	    " record_key TEXT NOT NULL,"
	    " order_id TEXT,"
	    " phone TEXT,"
	    " status TEXT,"
	    " carrier_code TEXT,"
	    " carrier_text TEXT,"
	    " event_time TEXT,"
	    " event_at BIGINT,"
	    " location TEXT,"
	    " message TEXT,"
	    " printed_at BIGINT,"
	    " event_seq BIGINT NOT NULL DEFAULT 0,"
	    " failed_attempts BIGINT NOT NULL DEFAULT 0,"
	    " stuck_seq BIGINT NOT NULL DEFAULT -1,"
	    " failed_reported BIGINT NOT NULL DEFAULT 0,"
	    " final BIGINT NOT NULL DEFAULT 0,"
	    " first_seen BIGINT NOT NULL,"
	    " PRIMARY KEY (carrier, tracking_number));"
	    "CREATE INDEX tracking_parcels_open"
	    " ON tracking_parcels (carrier, tracking_number) WHERE final = 0;"
	    "CREATE INDEX tracking_parcels_record"
	    " ON tracking_parcels (record_key);"
	    "CREATE TABLE tracking_records ("
	    " key TEXT PRIMARY KEY,"
	    " record TEXT NOT NULL);"
	    "CREATE TABLE tracking_tokens ("
	    " service TEXT PRIMARY KEY,"
	    " token TEXT NOT NULL,"
	    " expires_at BIGINT NOT NULL);",
	    NULL },
};

const size_t store_tracking_nmigrations =
    sizeof(store_tracking_migrations) / sizeof(store_tracking_migrations[0]);

#define COLUMNS \
	"carrier, tracking_number, record_key, order_id, phone, status," \
	" carrier_code, carrier_text, event_time, event_at, location," \
	" message, printed_at, event_seq, failed_attempts, stuck_seq," \
	" failed_reported, final, first_seen"

void
tracking_init(struct tracking_db *db, struct store *st)
{
	memset(db, 0, sizeof(*db));
	db->st = st;
	db->get = store_prepare(st, "SELECT " COLUMNS " FROM tracking_parcels"
	    " WHERE carrier = $1 AND tracking_number = $2", NULL);
	db->get_number = store_prepare(st, "SELECT " COLUMNS
	    " FROM tracking_parcels WHERE tracking_number = $1 LIMIT 2", NULL);
	db->add = store_prepare(st,
	    "INSERT INTO tracking_parcels (carrier, tracking_number,"
	    " record_key, order_id, phone, first_seen)"
	    " VALUES ($1, $2, $3, $4, $5, $6)"
	    " ON CONFLICT (carrier, tracking_number) DO UPDATE SET"
	    " record_key = excluded.record_key,"
	    " order_id = COALESCE(excluded.order_id,"
	    "  tracking_parcels.order_id),"
	    " phone = COALESCE(excluded.phone, tracking_parcels.phone)"
	    " RETURNING " COLUMNS, NULL);
	db->change = store_prepare(st,
	    "UPDATE tracking_parcels SET status = $3, carrier_code = $4,"
	    " carrier_text = $5, event_time = $6, event_at = $7,"
	    " location = $8, message = $9, printed_at = $10,"
	    " event_seq = $11, failed_attempts = $12, final = $13"
	    " WHERE carrier = $1 AND tracking_number = $2"
	    " AND (status = $14 OR (status IS NULL AND $14 IS NULL))"
	    " AND (event_at IS NULL OR event_at <= $7)",
	    "UPDATE tracking_parcels SET status = $3, carrier_code = $4,"
	    " carrier_text = $5, event_time = $6, event_at = $7,"
	    " location = $8, message = $9, printed_at = $10,"
	    " event_seq = $11, failed_attempts = $12, final = $13"
	    " WHERE carrier = $1 AND tracking_number = $2"
	    " AND status IS NOT DISTINCT FROM $14::text"
	    " AND (event_at IS NULL OR event_at <= $7)");
	db->quiet = store_prepare(st,
	    "UPDATE tracking_parcels SET carrier_code = $3, carrier_text = $4,"
	    " event_time = $5, event_at = $6, location = $7, message = $8,"
	    " event_seq = $9, failed_attempts = $10"
	    " WHERE carrier = $1 AND tracking_number = $2"
	    " AND (event_at IS NULL OR event_at <= $6)"
	    " AND event_seq < $9", NULL);
	/* Many rows in one statement: a JSON array of rows on SQLite, arrays
	 * side by side on PostgreSQL (the parameters differ: see below). */
	db->add_many = store_prepare(st,
	    "INSERT INTO tracking_parcels (carrier, tracking_number,"
	    " record_key, order_id, phone, first_seen)"
	    " SELECT value ->> 0, value ->> 1, value ->> 2,"
	    "  NULLIF(value ->> 3, ''), NULLIF(value ->> 4, ''), $2"
	    " FROM json_each($1) WHERE true"
	    " ON CONFLICT (carrier, tracking_number) DO UPDATE SET"
	    " record_key = excluded.record_key,"
	    " order_id = COALESCE(excluded.order_id,"
	    "  tracking_parcels.order_id),"
	    " phone = COALESCE(excluded.phone, tracking_parcels.phone)"
	    " RETURNING " COLUMNS,
	    "INSERT INTO tracking_parcels (carrier, tracking_number,"
	    " record_key, order_id, phone, first_seen)"
	    " SELECT u.c, u.n, u.k, NULLIF(u.o, ''), NULLIF(u.p, ''),"
	    "  $6::bigint"
	    " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],"
	    "  $5::text[]) AS u (c, n, k, o, p)"
	    " ON CONFLICT (carrier, tracking_number) DO UPDATE SET"
	    " record_key = excluded.record_key,"
	    " order_id = COALESCE(excluded.order_id,"
	    "  tracking_parcels.order_id),"
	    " phone = COALESCE(excluded.phone, tracking_parcels.phone)"
	    " RETURNING " COLUMNS);
	db->records_many = store_prepare(st,
	    "INSERT INTO tracking_records (key, record)"
	    " SELECT value ->> 0, value ->> 1 FROM json_each($1) WHERE true"
	    " ON CONFLICT (key) DO UPDATE SET record = excluded.record",
	    "INSERT INTO tracking_records (key, record)"
	    " SELECT * FROM unnest($1::text[], $2::text[])"
	    " ON CONFLICT (key) DO UPDATE SET record = excluded.record");
	db->of_record = store_prepare(st, "SELECT " COLUMNS
	    " FROM tracking_parcels WHERE record_key = $1"
	    " ORDER BY tracking_number",
	    "SELECT " COLUMNS " FROM tracking_parcels WHERE record_key = $1"
	    " ORDER BY tracking_number COLLATE \"C\"");
	db->rec_get = store_prepare(st,
	    "SELECT record FROM tracking_records WHERE key = $1", NULL);
	db->rec_put = store_prepare(st,
	    "INSERT INTO tracking_records (key, record) VALUES ($1, $2)"
	    " ON CONFLICT (key) DO UPDATE SET record = excluded.record", NULL);
	db->open = store_prepare(st, "SELECT " COLUMNS " FROM tracking_parcels"
	    " WHERE final = 0 AND ($1 IS NULL OR carrier = $1)"
	    " AND ($2 IS NULL OR (carrier, tracking_number) > ($2, $3))"
	    " ORDER BY carrier, tracking_number LIMIT $4",
	    "SELECT " COLUMNS " FROM tracking_parcels"
	    " WHERE final = 0 AND ($1::text IS NULL OR carrier = $1)"
	    " AND ($2::text IS NULL OR (carrier COLLATE \"C\","
	    "  tracking_number COLLATE \"C\") > ($2, $3::text))"
	    " ORDER BY carrier COLLATE \"C\", tracking_number COLLATE \"C\""
	    " LIMIT $4");
	db->problems = store_prepare(st, "SELECT " COLUMNS
	    " FROM tracking_parcels"
	    " WHERE final = 0 AND ($1 IS NULL OR carrier = $1)"
	    " AND (($3 > 0 AND COALESCE(event_at, first_seen) <= $2 - $3"
	    "   AND stuck_seq <> event_seq)"
	    "  OR (failed_attempts >= 2 AND failed_attempts > failed_reported))"
	    " ORDER BY carrier, tracking_number",
	    "SELECT " COLUMNS " FROM tracking_parcels"
	    " WHERE final = 0 AND ($1::text IS NULL OR carrier = $1)"
	    " AND (($3::bigint > 0"
	    "   AND COALESCE(event_at, first_seen) <= $2::bigint - $3"
	    "   AND stuck_seq <> event_seq)"
	    "  OR (failed_attempts >= 2 AND failed_attempts > failed_reported))"
	    " ORDER BY carrier COLLATE \"C\", tracking_number COLLATE \"C\"");
	db->claim_stuck = store_prepare(st,
	    "UPDATE tracking_parcels SET stuck_seq = event_seq"
	    " WHERE carrier = $1 AND tracking_number = $2 AND event_seq = $3"
	    " AND stuck_seq <> event_seq", NULL);
	db->claim_failed = store_prepare(st,
	    "UPDATE tracking_parcels SET failed_reported = failed_attempts"
	    " WHERE carrier = $1 AND tracking_number = $2"
	    " AND failed_attempts = $3 AND failed_reported < failed_attempts",
	    NULL);
	if (store_kind(st) == STORE_POSTGRES) {
		db->lock_parcels = store_prepare(st, "SELECT 1",
		    "SELECT 1 FROM tracking_parcels p"
		    " JOIN unnest($1::text[], $2::text[]) AS u (c, n)"
		    " ON p.carrier = u.c AND p.tracking_number = u.n"
		    " ORDER BY p.carrier COLLATE \"C\","
		    " p.tracking_number COLLATE \"C\" FOR UPDATE OF p");
		db->lock_records = store_prepare(st, "SELECT 1",
		    "SELECT 1 FROM tracking_records WHERE key = ANY($1::text[])"
		    " ORDER BY key COLLATE \"C\" FOR UPDATE");
	}
	db->tok_get = store_prepare(st, "SELECT token FROM tracking_tokens"
	    " WHERE service = $1 AND expires_at > $2", NULL);
	db->tok_put = store_prepare(st,
	    "INSERT INTO tracking_tokens (service, token, expires_at)"
	    " VALUES ($1, $2, $3) ON CONFLICT (service) DO UPDATE SET"
	    " token = excluded.token, expires_at = excluded.expires_at", NULL);
}

void
tracking_parcel_release(struct tracking_parcel *p)
{
	free(p->carrier);
	free(p->number);
	free(p->record_key);
	free(p->order_id);
	free(p->phone);
	free(p->status);
	free(p->code);
	free(p->text);
	free(p->time);
	free(p->location);
	free(p->message);
	memset(p, 0, sizeof(*p));
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
tracking_parcel_copy(struct tracking_parcel *to,
    const struct tracking_parcel *from)
{
	*to = *from;
	to->carrier = dup_or_null(from->carrier);
	to->number = dup_or_null(from->number);
	to->record_key = dup_or_null(from->record_key);
	to->order_id = dup_or_null(from->order_id);
	to->phone = dup_or_null(from->phone);
	to->status = dup_or_null(from->status);
	to->code = dup_or_null(from->code);
	to->text = dup_or_null(from->text);
	to->time = dup_or_null(from->time);
	to->location = dup_or_null(from->location);
	to->message = dup_or_null(from->message);
}

static char *
dup_text(struct store_stmt *q, int col)
{
	return dup_or_null(store_text(q, col));
}

/* The current row of a "SELECT " COLUMNS query. */
static void
read_row(struct store_stmt *q, struct tracking_parcel *p)
{
	memset(p, 0, sizeof(*p));
	p->carrier = dup_text(q, 0);
	p->number = dup_text(q, 1);
	p->record_key = dup_text(q, 2);
	p->order_id = dup_text(q, 3);
	p->phone = dup_text(q, 4);
	p->status = dup_text(q, 5);
	p->code = dup_text(q, 6);
	p->text = dup_text(q, 7);
	p->time = dup_text(q, 8);
	p->has_event = !store_null(q, 9);
	p->event_at = store_int(q, 9);
	p->location = dup_text(q, 10);
	p->message = dup_text(q, 11);
	p->printed_at = store_null(q, 12) ? INT64_MIN : store_int(q, 12);
	p->event_seq = store_int(q, 13);
	p->failed_attempts = store_int(q, 14);
	p->stuck_seq = store_int(q, 15);
	p->failed_reported = store_int(q, 16);
	p->final = store_int(q, 17) != 0;
	p->first_seen = store_int(q, 18);
}

void
tracking_add(struct tracking_db *db, const struct tracking_parcel *p,
    const char *record, int64_t now, struct tracking_parcel *stored)
{
	store_query(db->add, "sssssi", p->carrier, p->number, p->record_key,
	    p->order_id, p->phone, now);
	while (store_next(db->add))
		if (stored != NULL) {
			tracking_parcel_release(stored);
			read_row(db->add, stored);
		}
	if (record != NULL)
		tracking_set_record(db, p->record_key, record);
}

/* A parcel to lock. */
struct pair {
	const char	*carrier, *number;
};

static int
by_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->carrier, y->carrier);

	return c != 0 ? c : strcmp(x->number, y->number);
}

static int
by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
tracking_lock(struct tracking_db *db, const char *const *carriers,
    const char *const *numbers, size_t n, const char *const *keys,
    size_t nkeys)
{
	struct pair *v;
	const char **cs, **ns, **ks;
	size_t i;

	if (db->lock_parcels == NULL)
		return;
	if (n > 0) {
		v = xcalloc(n, sizeof(*v));
		for (i = 0; i < n; i++) {
			v[i].carrier = carriers[i];
			v[i].number = numbers[i];
		}
		qsort(v, n, sizeof(*v), by_pair);
		cs = xcalloc(n, sizeof(*cs));
		ns = xcalloc(n, sizeof(*ns));
		for (i = 0; i < n; i++) {
			cs[i] = v[i].carrier;
			ns[i] = v[i].number;
		}
		store_query(db->lock_parcels, "SS", cs, n, ns, n);
		store_done(db->lock_parcels);
		free(v);
		free(cs);
		free(ns);
	}
	if (nkeys > 0) {
		ks = xcalloc(nkeys, sizeof(*ks));
		memcpy(ks, keys, nkeys * sizeof(*ks));
		qsort(ks, nkeys, sizeof(*ks), by_string);
		store_query(db->lock_records, "S", ks, nkeys);
		store_done(db->lock_records);
		free(ks);
	}
}

static json_t *
text_or_empty(const char *s)
{
	json_t *v = json_string(s != NULL ? s : "");

	if (v == NULL)
		xnomem();
	return v;
}

void
tracking_add_many(struct tracking_db *db,
    const struct tracking_parcel *const *ps, size_t n, int64_t now,
    void (*fn)(const struct tracking_parcel *, void *), void *arg)
{
	struct tracking_parcel p;
	const char **cs, **ns, **ks, **os, **phs;
	json_t *rows, *row;
	char *text;
	size_t i;

	if (n == 0)
		return;
	if (store_kind(db->st) == STORE_SQLITE) {
		if ((rows = json_array()) == NULL)
			xnomem();
		for (i = 0; i < n; i++) {
			row = json_pack("[o,o,o,o,o]",
			    text_or_empty(ps[i]->carrier),
			    text_or_empty(ps[i]->number),
			    text_or_empty(ps[i]->record_key),
			    text_or_empty(ps[i]->order_id),
			    text_or_empty(ps[i]->phone));
			if (row == NULL || json_array_append_new(rows, row) == -1)
				xnomem();
		}
		if ((text = json_dumps(rows, JSON_COMPACT)) == NULL)
			xnomem();
		json_decref(rows);
		store_query(db->add_many, "si", text, now);
		free(text);
	} else {
		cs = xcalloc(n, sizeof(*cs));
		ns = xcalloc(n, sizeof(*ns));
		ks = xcalloc(n, sizeof(*ks));
		os = xcalloc(n, sizeof(*os));
		phs = xcalloc(n, sizeof(*phs));
		for (i = 0; i < n; i++) {
			cs[i] = ps[i]->carrier;
			ns[i] = ps[i]->number;
			ks[i] = ps[i]->record_key;
			os[i] = ps[i]->order_id != NULL ? ps[i]->order_id : "";
			phs[i] = ps[i]->phone != NULL ? ps[i]->phone : "";
		}
		store_query(db->add_many, "SSSSSi", cs, n, ns, n, ks, n, os, n,
		    phs, n, now);
		free(cs);
		free(ns);
		free(ks);
		free(os);
		free(phs);
	}
	while (store_next(db->add_many)) {
		read_row(db->add_many, &p);
		fn(&p, arg);
		tracking_parcel_release(&p);
	}
}

/* A record to set: its key, and where it was given. */
struct keyed {
	const char	*key;
	size_t		 at;
};

/* By key, the one given last first. */
static int
by_key_last(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->at < y->at ? 1 : x->at > y->at ? -1 : 0;
}

void
tracking_set_records(struct tracking_db *db, const char *const *keys,
    const char *const *records, size_t n)
{
	struct keyed *v;
	const char **ks, **rs;
	json_t *rows, *row;
	char *text;
	size_t i, m = 0;

	if (n == 0)
		return;
	/* One row a key (an upsert may not touch a row twice), in key
	 * order. */
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++) {
		v[i].key = keys[i];
		v[i].at = i;
	}
	qsort(v, n, sizeof(*v), by_key_last);
	ks = xcalloc(n, sizeof(*ks));
	rs = xcalloc(n, sizeof(*rs));
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i].key, v[i - 1].key) != 0) {
			ks[m] = v[i].key;
			rs[m++] = records[v[i].at];
		}
	free(v);
	if (store_kind(db->st) == STORE_POSTGRES)
		store_exec(db->records_many, "SS", ks, m, rs, m);
	else {
		if ((rows = json_array()) == NULL)
			xnomem();
		for (i = 0; i < m; i++) {
			row = json_pack("[s,s]", ks[i], rs[i]);
			if (row == NULL ||
			    json_array_append_new(rows, row) == -1)
				xnomem();
		}
		if ((text = json_dumps(rows, JSON_COMPACT)) == NULL)
			xnomem();
		json_decref(rows);
		store_exec(db->records_many, "s", text);
		free(text);
	}
	free(ks);
	free(rs);
}

int
tracking_get(struct tracking_db *db, const char *carrier, const char *number,
    struct tracking_parcel *p)
{
	int found = 0;

	store_query(db->get, "ss", carrier, number);
	while (store_next(db->get)) {
		read_row(db->get, p);
		found = 1;
	}
	return found;
}

int
tracking_get_number(struct tracking_db *db, const char *number,
    struct tracking_parcel *p)
{
	struct tracking_parcel q;
	int n = 0;

	store_query(db->get_number, "s", number);
	while (store_next(db->get_number)) {
		if (n++ == 0)
			read_row(db->get_number, p);
		else {
			read_row(db->get_number, &q);
			tracking_parcel_release(&q);
		}
	}
	if (n > 1)
		tracking_parcel_release(p);
	return n == 1;
}

int
tracking_change(struct tracking_db *db, const struct tracking_parcel *p,
    const char *old_status)
{
	return store_exec(db->change, "ssssssissiiiis", p->carrier, p->number,
	    p->status, p->code, p->text, p->time, p->event_at, p->location,
	    p->message, p->printed_at, p->event_seq, p->failed_attempts,
	    (int64_t)p->final, old_status) == 1;
}

void
tracking_quiet(struct tracking_db *db, const struct tracking_parcel *p)
{
	store_exec(db->quiet, "sssssissii", p->carrier, p->number, p->code,
	    p->text, p->time, p->event_at, p->location, p->message,
	    p->event_seq, p->failed_attempts);
}

void
tracking_each_of_record(struct tracking_db *db, const char *key,
    void (*fn)(const struct tracking_parcel *, void *), void *arg)
{
	struct tracking_parcel p;

	store_query(db->of_record, "s", key);
	while (store_next(db->of_record)) {
		read_row(db->of_record, &p);
		fn(&p, arg);
		tracking_parcel_release(&p);
	}
}

char *
tracking_record(struct tracking_db *db, const char *key)
{
	char *rec = NULL;

	store_query(db->rec_get, "s", key);
	while (store_next(db->rec_get)) {
		free(rec);
		rec = dup_text(db->rec_get, 0);
	}
	return rec;
}

void
tracking_set_record(struct tracking_db *db, const char *key,
    const char *record)
{
	store_exec(db->rec_put, "ss", key, record);
}

size_t
tracking_each_open(struct tracking_db *db, const char *carrier,
    const char *after_carrier, const char *after_number, size_t limit,
    void (*fn)(const struct tracking_parcel *, void *), void *arg)
{
	struct tracking_parcel *rows;
	size_t n = 0, i;

	/* Read the page first: fn may run other statements. */
	rows = xcalloc(limit ? limit : 1, sizeof(*rows));
	store_query(db->open, "sssi", carrier, after_carrier,
	    after_number != NULL ? after_number : "", (int64_t)limit);
	while (store_next(db->open))
		if (n < limit)
			read_row(db->open, &rows[n++]);
	for (i = 0; i < n; i++) {
		fn(&rows[i], arg);
		tracking_parcel_release(&rows[i]);
	}
	free(rows);
	return n;
}

void
tracking_each_problem(struct tracking_db *db, const char *carrier,
    int64_t now, int64_t stuck,
    void (*fn)(const struct tracking_parcel *, void *), void *arg)
{
	struct tracking_parcel *rows = NULL;
	size_t n = 0, cap = 0, i;

	store_query(db->problems, "sii", carrier, now, stuck);
	while (store_next(db->problems)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			rows = xrealloc(rows, cap * sizeof(*rows));
		}
		read_row(db->problems, &rows[n++]);
	}
	for (i = 0; i < n; i++) {
		fn(&rows[i], arg);
		tracking_parcel_release(&rows[i]);
	}
	free(rows);
}

int
tracking_claim_stuck(struct tracking_db *db, const struct tracking_parcel *p)
{
	return store_exec(db->claim_stuck, "ssi", p->carrier, p->number,
	    p->event_seq) == 1;
}

int
tracking_claim_failed(struct tracking_db *db, const struct tracking_parcel *p)
{
	return store_exec(db->claim_failed, "ssi", p->carrier, p->number,
	    p->failed_attempts) == 1;
}

char *
tracking_token(struct tracking_db *db, const char *service, int64_t now)
{
	char *tok = NULL;

	store_query(db->tok_get, "si", service, now);
	while (store_next(db->tok_get)) {
		free(tok);
		tok = dup_text(db->tok_get, 0);
	}
	return tok;
}

void
tracking_set_token(struct tracking_db *db, const char *service,
    const char *token, int64_t expires_at)
{
	store_exec(db->tok_put, "ssi", service, token, expires_at);
}
