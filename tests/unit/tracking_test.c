/* tracking_test.c: unit tests of lib/tracking.h on a SQLite store: the
 * compare-and-set of a change, quiet updates, paging, problems, tokens.
 * (bats runs the same statements on PostgreSQL through track-poll.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "tracking.h"
#include "unit.h"
#include "xalloc.h"

static void
parcel(struct tracking_parcel *p, const char *carrier, const char *number,
    const char *key)
{
	memset(p, 0, sizeof(*p));
	p->carrier = xstrdup(carrier);
	p->number = xstrdup(number);
	p->record_key = xstrdup(key);
	p->order_id = xstrdup(key);
}

static void
seen(struct tracking_parcel *p, const char *status, int64_t at)
{
	free(p->status);
	p->status = xstrdup(status);
	p->has_event = 1;
	p->event_at = at;
	p->printed_at = at;
	p->event_seq++;
}

static void
count(const struct tracking_parcel *p, void *arg)
{
	char **last = arg;

	free(*last);
	*last = xstrdup(p->number);
}

static void
test_change(struct tracking_db *db)
{
	struct tracking_parcel p, q;
	char *rec;

	parcel(&p, "cdek", "1001", "SHOP-1");
	tracking_add(db, &p, "{\"id\":\"SHOP-1\"}", 100, NULL);
	tracking_add(db, &p, NULL, 200, &q);
	expect_str("returned", q.record_key, "SHOP-1");
	tracking_parcel_release(&q);
	expect_int("known", tracking_get(db, "cdek", "1001", &q), 1);
	expect_true("nothing known yet", q.status == NULL && !q.has_event);
	expect_int("first seen kept", q.first_seen, 100);
	expect_int("no printed_at", q.printed_at == INT64_MIN, 1);
	tracking_parcel_release(&q);
	rec = tracking_record(db, "SHOP-1");
	expect_str("the record", rec, "{\"id\":\"SHOP-1\"}");
	free(rec);

	seen(&p, "in_transit", 1000);
	expect_int("a change from nothing", tracking_change(db, &p, NULL), 1);
	expect_int("the same change again loses", tracking_change(db, &p,
	    NULL), 0);
	seen(&p, "delivered", 2000);
	p.final = 1;
	expect_int("from the wrong status loses", tracking_change(db, &p,
	    "pre_transit"), 0);
	expect_int("from the right one wins", tracking_change(db, &p,
	    "in_transit"), 1);
	p.final = 0;
	seen(&p, "exception", 1500);
	expect_int("an older event does not go back",
	    tracking_change(db, &p, "delivered"), 0);
	tracking_get(db, "cdek", "1001", &q);
	expect_str("status", q.status, "delivered");
	expect_int("final", q.final, 1);
	expect_int("event_at", q.event_at, 2000);
	tracking_parcel_release(&q);
	tracking_parcel_release(&p);
}

static void
test_quiet(struct tracking_db *db)
{
	struct tracking_parcel p, q;

	parcel(&p, "dhl", "Q1", "SHOP-2");
	tracking_add(db, &p, NULL, 100, NULL);
	seen(&p, "in_transit", 1000);
	tracking_change(db, &p, NULL);
	p.event_at = 1100;
	p.event_seq++;
	p.failed_attempts = 1;
	free(p.location);
	p.location = xstrdup("Berlin");
	tracking_quiet(db, &p);
	tracking_quiet(db, &p);		/* a second process: no effect */
	tracking_get(db, "dhl", "Q1", &q);
	expect_int("quiet: newer event", q.event_at, 1100);
	expect_int("quiet: printed_at kept", q.printed_at, 1000);
	expect_str("quiet: location", q.location, "Berlin");
	expect_int("quiet: attempts", q.failed_attempts, 1);
	expect_int("quiet: seq", q.event_seq, 2);
	tracking_parcel_release(&q);
	tracking_parcel_release(&p);
}

static void
test_open_and_problems(struct tracking_db *db)
{
	struct tracking_parcel p;
	char *last = NULL;
	size_t n, total = 0;

	/* cdek 1001 is final; dhl Q1 and three more are open. */
	parcel(&p, "dhl", "Q2", "SHOP-3");
	tracking_add(db, &p, NULL, 100, NULL);
	tracking_parcel_release(&p);
	parcel(&p, "dhl", "Q3", "SHOP-3");
	tracking_add(db, &p, NULL, 100, NULL);
	tracking_parcel_release(&p);
	parcel(&p, "novaposhta", "204", "SHOP-4");
	tracking_add(db, &p, NULL, 100, NULL);
	tracking_parcel_release(&p);
	do {
		char *after_c = last != NULL ? xstrdup(last) : NULL;

		n = tracking_each_open(db, "dhl", after_c != NULL ? "dhl" :
		    NULL, after_c, 2, count, &last);
		total += n;
		free(after_c);
	} while (n == 2);
	expect_int("dhl open parcels, paged by two", total, 3);
	expect_str("the last", last, "Q3");
	free(last);
	last = NULL;
	n = tracking_each_open(db, NULL, NULL, NULL, 100, count, &last);
	expect_int("all open parcels", n, 4);
	expect_str("the last is novaposhta's", last, "204");
	free(last);
	last = NULL;

	/* Q2, Q3 and 204 have no event since 100; Q1's is at 1100. */
	tracking_each_problem(db, "dhl", 100 + 86400, 86400, count, &last);
	expect_str("stuck: the last", last, "Q3");
	parcel(&p, "dhl", "Q3", "SHOP-3");
	expect_int("claimed", tracking_claim_stuck(db, &p), 1);
	expect_int("claimed once", tracking_claim_stuck(db, &p), 0);
	tracking_parcel_release(&p);
	free(last);
	last = NULL;
	tracking_each_problem(db, "dhl", 100 + 86400, 86400, count, &last);
	expect_str("Q3 is no longer listed", last, "Q2");
	free(last);
}

static void
count_added(const struct tracking_parcel *p, void *arg)
{
	int *n = arg;

	if (p->first_seen == 777 || strcmp(p->number, "1001") == 0)
		(*n)++;
}

static void
test_many(struct tracking_db *db)
{
	struct tracking_parcel a, b, q;
	const struct tracking_parcel *ps[2] = { &a, &b };
	const char *keys[] = { "SHOP-9", "SHOP-1" };
	const char *recs[] = { "{\"id\":\"SHOP-9\"}", "{\"id\":1}" };
	char *rec;
	int n = 0;

	parcel(&a, "cdek", "1001", "SHOP-1");	/* known: kept */
	parcel(&b, "ups", "1Z9", "SHOP-9");
	free(b.order_id);
	b.order_id = NULL;
	tracking_add_many(db, ps, 2, 777, count_added, &n);
	expect_int("both rows come back", n, 2);
	tracking_get(db, "cdek", "1001", &q);
	expect_str("a known parcel keeps its status", q.status, "delivered");
	expect_int("and its first_seen", q.first_seen, 100);
	tracking_parcel_release(&q);
	tracking_get(db, "ups", "1Z9", &q);
	expect_true("NULL order_id", q.order_id == NULL);
	expect_int("new first_seen", q.first_seen, 777);
	tracking_parcel_release(&q);
	tracking_set_records(db, keys, recs, 2);
	rec = tracking_record(db, "SHOP-1");
	expect_str("record replaced", rec, "{\"id\":1}");
	free(rec);
	rec = tracking_record(db, "SHOP-9");
	expect_str("record added", rec, "{\"id\":\"SHOP-9\"}");
	free(rec);
	tracking_parcel_release(&a);
	tracking_parcel_release(&b);
}

/* A key given twice: the last record counts (an upsert cannot take a key
 * twice). */
static void
test_records_twice(struct tracking_db *db)
{
	const char *keys[] = { "T-2", "T-1", "T-2" };
	const char *recs[] = { "{\"n\":1}", "{\"n\":2}", "{\"n\":3}" };
	char *rec;

	tracking_set_records(db, keys, recs, 3);
	rec = tracking_record(db, "T-2");
	expect_str("the last of a key given twice", rec, "{\"n\":3}");
	free(rec);
	rec = tracking_record(db, "T-1");
	expect_str("the other key", rec, "{\"n\":2}");
	free(rec);
}

static void
test_copy(void)
{
	struct tracking_parcel p, q;

	parcel(&p, "dhl", "0034", "SHOP-7");
	seen(&p, "in_transit", 500);
	tracking_parcel_copy(&q, &p);
	expect_true("strings of its own", q.carrier != p.carrier &&
	    q.status != p.status && q.phone == NULL);
	tracking_parcel_release(&p);
	expect_str("carrier", q.carrier, "dhl");
	expect_str("status", q.status, "in_transit");
	expect_int("event_at", q.event_at, 500);
	expect_int("event_seq", q.event_seq, 1);
	tracking_parcel_release(&q);
}

static void
test_tokens(struct tracking_db *db)
{
	char *t;

	expect_true("no token", tracking_token(db, "cdek", 0) == NULL);
	tracking_set_token(db, "cdek", "abc", 1000);
	t = tracking_token(db, "cdek", 999);
	expect_str("valid", t, "abc");
	free(t);
	expect_true("expired", tracking_token(db, "cdek", 1000) == NULL);
	tracking_set_token(db, "cdek", "def", 5000);
	t = tracking_token(db, "cdek", 1000);
	expect_str("replaced", t, "def");
	free(t);
}

int
main(void)
{
	char path[96] = "/tmp/tracking_test.XXXXXX";
	char db_path[128];
	struct tracking_db db;
	struct store *st;
	int fd;

	if ((fd = mkstemp(path)) == -1)
		return 1;
	close(fd);
	unlink(path);
	snprintf(db_path, sizeof(db_path), "%s.db", path);
	st = store_open(db_path, store_tracking_migrations,
	    store_tracking_nmigrations);
	tracking_init(&db, st);
	test_change(&db);
	test_quiet(&db);
	test_open_and_problems(&db);
	test_many(&db);
	test_records_twice(&db);
	test_copy();
	test_tokens(&db);
	store_close(st);
	unlink(db_path);
	snprintf(db_path + strlen(db_path), 8, "-wal");
	unlink(db_path);
	db_path[strlen(db_path) - 4] = '\0';
	snprintf(db_path + strlen(db_path), 8, "-shm");
	unlink(db_path);
	return unit_summary("tracking");
}
