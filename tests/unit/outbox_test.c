/* outbox_test.c: unit tests of lib/outbox.h on a SQLite store: claims,
 * settling, leases of live and dead owners, attempts as fences.  With
 * OUTBOX_TEST_DB set to an empty PostgreSQL schema's URL they run there
 * instead; ship-book's tests run the component on both backends. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "outbox.h"
#include "store.h"
#include "unit.h"

#define NOW	INT64_C(1800000000)

static void
test_claims(struct outbox *ob)
{
	struct outbox_entry e = { 0 };

	expect_int("a new key is claimed",
	    outbox_claim(ob, "k", "A:1", "{\"v\":1}", NOW, &e),
	    OUTBOX_CLAIMED);
	expect_int("first attempt", e.attempts, 1);
	expect_str("its intent", e.intent, "{\"v\":1}");
	expect_int("the lease", e.lease_until, NOW + 60);
	expect_int("claimed again by its holder: busy",
	    outbox_claim(ob, "k", "A:1", NULL, NOW, &e), OUTBOX_BUSY);
	expect_int("another kind is another entry",
	    outbox_claim(ob, "other", "A:1", NULL, NOW, &e), OUTBOX_CLAIMED);
	expect_int("progress of the attempt",
	    outbox_progress(ob, "k", "A:1", 1, "{\"id\":\"x\"}", NOW), 1);
	expect_int("not of another attempt",
	    outbox_progress(ob, "k", "A:1", 2, "{}", NOW), 0);
	expect_int("settled by another attempt: no",
	    outbox_done(ob, "k", "A:1", 2, "{}", NOW), 0);
	expect_int("settled by its attempt",
	    outbox_done(ob, "k", "A:1", 1, "{\"ok\":true}", NOW), 1);
	expect_int("settled twice: no",
	    outbox_done(ob, "k", "A:1", 1, "{}", NOW), 0);
	expect_int("a done entry is settled",
	    outbox_claim(ob, "k", "A:1", NULL, NOW, &e), OUTBOX_SETTLED);
	expect_str("with its result", e.result, "{\"ok\":true}");
	expect_str("and its progress", e.progress, "{\"id\":\"x\"}");

	expect_int("claim B", outbox_claim(ob, "k", "B:1", "{\"v\":1}", NOW,
	    &e), OUTBOX_CLAIMED);
	expect_int("it fails", outbox_fail(ob, "k", "B:1", 1, "{\"e\":1}",
	    NOW), 1);
	expect_int("a failed entry is claimed again",
	    outbox_claim(ob, "k", "B:1", "{\"v\":2}", NOW, &e),
	    OUTBOX_CLAIMED);
	expect_int("as attempt 2", e.attempts, 2);
	expect_str("with the new intent", e.intent, "{\"v\":2}");
	expect_int("held for a person",
	    outbox_hold(ob, "k", "B:1", 2, "{\"why\":1}", NOW), 1);
	expect_int("a held entry stays held",
	    outbox_claim(ob, "k", "B:1", NULL, NOW + 100000, &e),
	    OUTBOX_HOLD);

	/* Retry times, by the records' clock. */
	ob->clock = 1000;
	expect_int("claim R", outbox_claim(ob, "k", "R:1", "{}", NOW, &e),
	    OUTBOX_CLAIMED);
	expect_int("it fails until 1300",
	    outbox_retry(ob, "k", "R:1", 1, "{\"e\":1}", 1300, NOW), 1);
	expect_int("before its time it waits",
	    outbox_claim(ob, "k", "R:1", "{}", NOW, &e), OUTBOX_WAITING);
	expect_int("unchanged", e.attempts, 1);
	expect_int("its retry time", e.retry_at, 1300);
	ob->clock = 1300;
	expect_int("at its time it is claimed",
	    outbox_claim(ob, "k", "R:1", "{}", NOW, &e), OUTBOX_CLAIMED);
	expect_int("as attempt 2", e.attempts, 2);
	expect_int("the retry time is gone", e.retry_at, 0);
	expect_int("fails for good",
	    outbox_retry(ob, "k", "R:1", 2, "{}", INT64_MAX, NOW), 1);
	ob->clock = 0;
	expect_int("without a clock a failed entry is claimed",
	    outbox_claim(ob, "k", "R:1", "{}", NOW, &e), OUTBOX_CLAIMED);
	outbox_entry_release(&e);
}

static void
test_leases(struct store *st)
{
	struct outbox mine, other, dead;
	struct outbox_entry e = { 0 };

	outbox_init(&mine, st, 60);
	outbox_init(&other, st, 60);
	outbox_init(&dead, st, 60);
	snprintf(other.owner, sizeof(other.owner), "elsewhere 1");
	/* A pid of this host that cannot exist. */
	snprintf(dead.owner, sizeof(dead.owner), "%s 2147483646", dead.host);

	expect_int("another host claims C",
	    outbox_claim(&other, "k", "C:1", "{\"sent\":1}", NOW, &e),
	    OUTBOX_CLAIMED);
	expect_int("its lease runs: busy",
	    outbox_claim(&mine, "k", "C:1", NULL, NOW + 59, &e), OUTBOX_BUSY);
	expect_int("its lease has run out: reclaimed, in doubt",
	    outbox_claim(&mine, "k", "C:1", "{\"new\":1}", NOW + 60, &e),
	    OUTBOX_RECLAIMED);
	expect_int("as attempt 2", e.attempts, 2);
	expect_str("keeping what was sent", e.intent, "{\"sent\":1}");
	expect_int("the old owner cannot settle it",
	    outbox_done(&other, "k", "C:1", 1, "{}", NOW + 61), 0);
	expect_int("the new one can",
	    outbox_done(&mine, "k", "C:1", 2, "{}", NOW + 61), 1);

	expect_int("a process of this host claims D",
	    outbox_claim(&dead, "k", "D:1", NULL, NOW, &e), OUTBOX_CLAIMED);
	expect_int("it no longer exists: reclaimed within its lease",
	    outbox_claim(&mine, "k", "D:1", NULL, NOW + 1, &e),
	    OUTBOX_RECLAIMED);
	expect_int("this live process holds it: busy for another",
	    outbox_claim(&other, "k", "D:1", NULL, NOW + 2, &e), OUTBOX_BUSY);
	expect_int("outbox_get", outbox_get(&mine, "k", "D:1", &e), 1);
	expect_int("pending", e.state, OUTBOX_PENDING);
	expect_int("outbox_get of nothing", outbox_get(&mine, "k", "Z", &e),
	    0);
	outbox_entry_release(&e);
}

static void
test_batch(struct store *st)
{
	struct outbox mine, other;
	struct outbox_item a = { "E:1", "{}", 0, { 0 } }, dup = a;
	struct outbox_item b = { "F:1", NULL, 0, { 0 } }, gone = b;
	struct outbox_item theirs = { "G:1", NULL, 0, { 0 } };
	struct outbox_item *items[] = { &b, &a, &dup, &theirs };
	struct outbox_item *waiting[] = { &a, &theirs, &gone, &dup };
	time_t start;

	outbox_init(&mine, st, 60);
	outbox_init(&other, st, 60);
	snprintf(other.owner, sizeof(other.owner), "elsewhere 1");
	expect_int("another host claims G", outbox_claim(&other, "k", "G:1",
	    NULL, NOW, &theirs.e), OUTBOX_CLAIMED);
	outbox_claim_all(&mine, "k", items, 4, NOW);
	expect_int("F is claimed", b.claim, OUTBOX_CLAIMED);
	expect_true("E given twice: claimed once",
	    (a.claim == OUTBOX_CLAIMED && dup.claim == OUTBOX_BUSY) ||
	    (a.claim == OUTBOX_BUSY && dup.claim == OUTBOX_CLAIMED));
	expect_int("G is another's", theirs.claim, OUTBOX_BUSY);
	/* Its first claim settles E; the second waits for it. */
	if (a.claim == OUTBOX_CLAIMED) {
		a.claim = dup.claim;
		dup.claim = OUTBOX_CLAIMED;
	}
	gone.key = "H:1";
	gone.claim = OUTBOX_BUSY;
	start = time(NULL);
	expect_int("E, which this process holds, is not waited for",
	    outbox_wait(&mine, "k", waiting, 1, start + 30), 1);
	expect_true("not for 30 s", time(NULL) - start < 10);
	expect_int("E, G and H (no row) still pending",
	    outbox_wait(&mine, "k", waiting, 4, 0), 3);
	expect_int("E pending", a.e.state, OUTBOX_PENDING);
	expect_str("held by this process", a.e.owner, mine.owner);
	expect_str("G held by the other", theirs.e.owner, "elsewhere 1");
	expect_int("H has no row: pending", gone.e.state, OUTBOX_PENDING);
	expect_int("E settled", outbox_done(&mine, "k", "E:1",
	    dup.e.attempts, "{\"ok\":1}", NOW), 1);
	expect_int("G settled", outbox_fail(&other, "k", "G:1", 1, "{}",
	    NOW), 1);
	expect_int("nothing pending any more but H",
	    outbox_wait(&mine, "k", waiting, 4, 0), 1);
	expect_int("E done", a.e.state, OUTBOX_DONE);
	expect_str("with its result", a.e.result, "{\"ok\":1}");
	expect_int("G failed", theirs.e.state, OUTBOX_FAILED);
	outbox_entry_release(&a.e);
	outbox_entry_release(&dup.e);
	outbox_entry_release(&b.e);
	outbox_entry_release(&gone.e);
	outbox_entry_release(&theirs.e);
}

int
main(void)
{
	char dir[] = "/tmp/outbox_test.XXXXXX", path[512];
	struct store *st;
	struct outbox ob;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (getenv("OUTBOX_TEST_DB") != NULL)
		snprintf(path, sizeof(path), "%s", getenv("OUTBOX_TEST_DB"));
	st = store_open(path, store_outbox_migrations,
	    store_outbox_nmigrations);
	outbox_init(&ob, st, 60);
	test_claims(&ob);
	test_leases(st);
	test_batch(st);
	store_close(st);
	unlink(path);
	snprintf(path, sizeof(path), "%s/t.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/t.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return unit_summary("outbox");
}
