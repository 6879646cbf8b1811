/* paymatch_test.c: unit tests of lib/paymatch.h: transactions linked and
 * found for orders, what they add up to, and a round trip through a
 * SQLite store. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "paymatch.h"
#include "payment.h"
#include "payment/paymatch-int.h"
#include "paystore.h"
#include "reject.h"
#include "unit.h"

static struct payment_txn
txn(const char *id, enum payment_kind kind, int64_t amount,
    const char *order_ref)
{
	struct payment_txn t;

	memset(&t, 0, sizeof(t));
	t.provider = "stripe";
	t.id = id;
	t.kind = kind;
	t.state = PAYMENT_SUCCEEDED;
	t.amount = amount;
	t.order_ref = order_ref;
	memcpy(t.currency, "USD", 4);
	return t;
}

/* The ids found for the order and its class, "id id ... class". */
static const char *
order(struct paymatch *m, const char *id, const char *tid, int64_t total)
{
	static char out[256];
	struct paymatch_tally tl;
	enum paymatch_class cls;
	char key[128];
	size_t i, len = 0;

	paymatch_find(m, paymatch_order_key(id, key), tid);
	memset(&tl, 0, sizeof(tl));
	tl.total = total;
	tl.currency = "USD";
	tl.exponent = 2;
	cls = paymatch_classify(m, 0, &tl);
	out[0] = '\0';
	for (i = 0; i < m->nfound; i++)
		len += snprintf(out + len, sizeof(out) - len, "%s ",
		    m->txns[m->found[i]].p.id);
	for (i = 0; i < m->ntaken; i++)
		len += snprintf(out + len, sizeof(out) - len, "taken:%s ",
		    m->txns[m->taken[i]].p.id);
	snprintf(out + len, sizeof(out) - len, "%s",
	    paymatch_class_names[cls]);
	return out;
}

static void
conflicts(void *arg, const struct paymatch_txn *t, const char *msg)
{
	(void)t;
	snprintf(arg, 256, "%s", msg);
}

static void
test_match(void)
{
	struct paymatch m;
	struct payment_txn t;
	char msg[256] = "";
	int named;

	paymatch_init(&m, NULL, 0, conflicts, msg);
	t = txn("ch_1", PAYMENT_CHARGE, 1000, "A-1");
	paymatch_add(&m, &t, "f", 0, NULL);
	t = txn("re_1", PAYMENT_REFUND, 300, NULL);
	t.parent = "ch_1";
	paymatch_add(&m, &t, "f", 0, NULL);
	t = txn("ch_2", PAYMENT_CHARGE, 500, "B-2");
	paymatch_add(&m, &t, "f", 0, NULL);
	t = txn("ch_3", PAYMENT_CHARGE, 500, "B-2");
	paymatch_add(&m, &t, "f", 0, NULL);
	/* an intent, its charge naming it, reported apart */
	t = txn("pi_4", PAYMENT_CHARGE, 700, "C-3");
	t.intent = "pi_4";
	paymatch_add(&m, &t, "f", 0, NULL);
	t = txn("ch_4", PAYMENT_CHARGE, 700, NULL);
	t.intent = "pi_4";
	paymatch_add(&m, &t, "f", 0, NULL);
	paymatch_index(&m);

	expect_str("a charge and its refund, for the order '#A-1'",
	    order(&m, "#A-1", NULL, 1000), "ch_1 re_1 partially_refunded");
	expect_str("paid twice", order(&m, "B-2", NULL, 500),
	    "ch_3 ch_2 duplicate");
	expect_str("an intent and its charge are one payment",
	    order(&m, "C-3", NULL, 700), "ch_4 paid");
	expect_true("the intent is superseded by its charge",
	    paymatch_superseded(&m, &m.txns[4]));
	expect_str("by payment.transaction_id", order(&m, "Z-9", "ch_2",
	    500), "taken:ch_2 unpaid");
	expect_str("the holder of ch_2",
	    paymatch_holder(&m, &m.txns[2], &named), "B-2");
	expect_int("named by its report", named, 1);
	expect_str("nothing", order(&m, "Q-1", NULL, 100), "unpaid");
	expect_str("a total of 0 owes nothing", order(&m, "Q-1", NULL, 0),
	    "paid");

	order(&m, "#A-1", NULL, 1000);
	paymatch_settle(&m, "#A-1", "A-1");
	expect_str("settled", m.txns[0].matched, "#A-1");
	expect_str("its refund too", m.txns[1].matched, "#A-1");

	t = txn("ch_2", PAYMENT_CHARGE, 501, "B-2");
	paymatch_add(&m, &t, "g", 0, NULL);
	expect_str("a second report with another amount", msg,
	    "reported as charge 5.00 USD and as charge 5.01 USD; the first "
	    "one counts");
	expect_int("the first counts", m.txns[2].p.amount, 500);
	expect_true("same order", paymatch_same_order("#B-2", "B-2"));
	expect_true("not the same", !paymatch_same_order("B-22", "B-2"));
	paymatch_release(&m);
}

static void
test_store(void)
{
	char dir[] = "/tmp/paymatch_test.XXXXXX", db[64], pay[96];
	const char *ids[] = { "SHOP-1" }, *tids[] = { NULL };
	struct reject_stream rejects;
	struct payment_reader *pr;
	struct paystore ps;
	struct paymatch m;
	FILE *fp;
	int st;

	if (mkdtemp(dir) == NULL) {
		unit_failed++;
		return;
	}
	snprintf(db, sizeof(db), "%s/store.db", dir);
	snprintf(pay, sizeof(pay), "%s/p.jsonl", dir);
	if ((fp = fopen(pay, "w")) == NULL) {
		unit_failed++;
		return;
	}
	fputs("{\"object\":\"charge\",\"id\":\"ch_9\",\"amount\":1200,"
	    "\"currency\":\"usd\",\"status\":\"succeeded\",\"metadata\":"
	    "{\"order_id\":\"SHOP-1\"}}\n", fp);
	fclose(fp);
	reject_open(&rejects, "/dev/null");

	paystore_open(&ps, db);
	paymatch_init(&m, &ps, 1000, NULL, NULL);
	if ((pr = payment_open(pay, NULL, NULL, &st)) == NULL) {
		unit_failed++;
		return;
	}
	expect_int("one transaction read", paymatch_read(&m, pr, pay,
	    &rejects), 1);
	payment_close(pr);
	paymatch_index(&m);
	expect_int("new to the store", m.nnew, 1);
	paymatch_save(&m);
	paymatch_release(&m);

	/* a later run that reads nothing finds it for the order */
	paymatch_init(&m, &ps, 2000, NULL, NULL);
	paymatch_load(&m, ids, tids, 1);
	expect_str("the stored charge for its order", order(&m, "SHOP-1",
	    NULL, 1200), "ch_9 paid");
	expect_int("claimed", paymatch_claim(&m, ids, tids, 1), 1);
	expect_str("the order the store holds it for", m.txns[0].matched,
	    "SHOP-1");
	expect_int("nothing more to claim", paymatch_claim(&m, ids, tids, 1),
	    0);
	paymatch_release(&m);
	paystore_close(&ps);
	reject_close(&rejects);
	unlink(pay);
	unlink(db);
	snprintf(pay, sizeof(pay), "%s-wal", db);
	unlink(pay);
	snprintf(pay, sizeof(pay), "%s-shm", db);
	unlink(pay);
	rmdir(dir);
}

int
main(void)
{
	test_match();
	test_store();
	return unit_summary("paymatch");
}
