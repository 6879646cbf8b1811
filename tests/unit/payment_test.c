/* payment_test.c: unit tests of lib/payment.h and of what the files of
 * lib/payment/ share (payment-int.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "payment.h"
#include "payment/payment-int.h"
#include "reject.h"
#include "unit.h"

static void
test_refs(void)
{
	static const struct {
		const char	*text, *clean, *found;
	} cases[] = {
		{ "SHOP-1001", "SHOP-1001", NULL },
		{ " #1001 ", "1001", "1001" },
		{ "\xe2\x84\x96 72", "72", "72" },		/* № 72 */
		{ "Order #SHOP-1001", "Order #SHOP-1001", "SHOP-1001" },
		{ "\xd0\x97\xd0\xb0\xd0\xba\xd0\xb0\xd0\xb7 \xe2\x84\x96" "72",
		    "\xd0\x97\xd0\xb0\xd0\xba\xd0\xb0\xd0\xb7 \xe2\x84\x96" "72",
		    "72" },				/* Заказ №72 */
		{ "Payment for order 1001.", "Payment for order 1001.",
		    "1001" },
		{ "order confirmation", "order confirmation", NULL },
		{ "invoice no. 5", "invoice no. 5", "5" },
		{ "", NULL, NULL },
		{ "#", NULL, NULL },
	};
	char buf[128], what[160];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "payment_ref_clean(\"%s\")",
		    cases[i].text);
		expect_str(what, payment_ref_clean(cases[i].text, buf,
		    sizeof(buf)), cases[i].clean);
		snprintf(what, sizeof(what), "payment_ref_find(\"%s\")",
		    cases[i].text);
		expect_str(what, payment_ref_find(cases[i].text, buf,
		    sizeof(buf)), cases[i].found);
	}
	expect_true("payment_ref_clean(NULL)", payment_ref_clean(NULL, buf,
	    sizeof(buf)) == NULL);
	expect_true("payment_ref_clean() that does not fit",
	    payment_ref_clean("123456", buf, 6) == NULL);
}

static void
test_quote_reals(void)
{
	static const struct {
		const char	*in, *out;
	} cases[] = {
		{ "{\"a\":19.99}", "{\"a\":\"19.99\"}" },
		{ "{\"a\":1200}", "{\"a\":1200}" },
		{ "{\"a\":-1e3}", "{\"a\":\"-1e3\"}" },
		{ "{\"a\":\"1.5\"}", "{\"a\":\"1.5\"}" },
		{ "{\"a\\\"\":2.5}", "{\"a\\\"\":\"2.5\"}" },
		{ "[92233720368547758070]", "[\"92233720368547758070\"]" },
	};
	char what[80], *q;
	size_t i, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		q = payment_quote_reals(cases[i].in, strlen(cases[i].in), &len);
		snprintf(what, sizeof(what), "payment_quote_reals(%s)",
		    cases[i].in);
		expect_mem(what, q, len, cases[i].out, strlen(cases[i].out));
		free(q);
	}
}

static void
test_names(void)
{
	enum payment_kind k;
	enum payment_state s;
	int i;

	for (i = PAYMENT_CHARGE; i <= PAYMENT_OTHER; i++) {
		expect_int("payment_kind_parse(payment_kind_name())",
		    payment_kind_parse(payment_kind_name(i), &k), 0);
		expect_int("the kind read back", k, i);
	}
	for (i = PAYMENT_SUCCEEDED; i <= PAYMENT_FAILED; i++) {
		expect_int("payment_state_parse(payment_state_name())",
		    payment_state_parse(payment_state_name(i), &s), 0);
		expect_int("the state read back", s, i);
	}
	expect_int("payment_kind_parse(\"Charge\")",
	    payment_kind_parse("Charge", &k), -1);
	expect_true("stripe is a provider", payment_provider_valid("stripe"));
	expect_true("generic is a provider",
	    payment_provider_valid("generic"));
	expect_true("square is none", !payment_provider_valid("square"));
}

/* Read the transactions of text (a file's content) with provider; the
 * amounts and ids read, ";"-joined, or "open N" when it cannot open. */
static const char *
read_text(const char *text, const char *provider)
{
	static char out[1024];
	char path[] = "/tmp/payment_test.XXXXXX";
	struct reject_stream rejects;
	struct payment_reader *r;
	struct payment_txn t;
	size_t len = 0;
	int fd, status = 0;
	FILE *fp;

	out[0] = '\0';
	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		unit_failed++;
		return "";
	}
	fputs(text, fp);
	fclose(fp);
	reject_open(&rejects, "/dev/null");
	if ((r = payment_open(path, provider, NULL, &status)) == NULL)
		snprintf(out, sizeof(out), "open %d", status);
	else {
		while (payment_next(r, &t, &rejects) && len < sizeof(out))
			len += snprintf(out + len, sizeof(out) - len,
			    "%s%s %s %s %jd%s", len ? ";" : "", t.provider,
			    t.id, payment_kind_name(t.kind),
			    (intmax_t)t.amount, t.currency);
		payment_close(r);
	}
	reject_close(&rejects);
	unlink(path);
	return out;
}

static void
test_formats(void)
{
	expect_str("a Stripe balance report",
	    read_text("balance_transaction_id,created_utc,currency,gross,fee,"
	    "reporting_category,source_id,charge_id\n"
	    "txn_1,2026-11-20 10:00:00,usd,\"1,250.00\",-36.55,charge,"
	    "ch_1,ch_1\n"
	    "txn_2,2026-11-20 11:00:00,usd,-5.00,0,refund,re_1,ch_1\n", NULL),
	    "stripe ch_1 charge 125000USD;stripe re_1 refund 500USD");
	expect_str("a PayPal activity download",
	    read_text("Date,Time,TimeZone,Type,Status,Currency,Gross,Fee,"
	    "Transaction ID\n10/22/2019,05:07:06,PDT,Express Checkout "
	    "Payment,Completed,USD,\"1,234.56\",-36.10,8AB\n", NULL),
	    "paypal 8AB charge 123456USD");
	expect_str("a PayPal download named stripe",
	    read_text("Date,Time,Currency,Gross,Transaction ID\n", "stripe"),
	    "open 65");
	expect_str("a CSV of no provider",
	    read_text("when,what\n1,2\n", NULL), "open 65");
	expect_str("YooKassa, CloudPayments and a Stripe event in JSON lines",
	    read_text("{\"id\":\"2d\",\"status\":\"succeeded\",\"amount\":"
	    "{\"value\":\"10.00\",\"currency\":\"RUB\"}}\n"
	    "{\"TransactionId\":7,\"Amount\":19.99,\"Currency\":\"RUB\","
	    "\"Status\":\"Completed\"}\n"
	    "{\"object\":\"event\",\"data\":{\"object\":{\"object\":\"charge\","
	    "\"id\":\"ch_9\",\"amount\":500,\"currency\":\"eur\","
	    "\"status\":\"succeeded\"}}}\n"
	    "{\"object\":\"customer\",\"id\":\"cus_1\"}\n", NULL),
	    "yookassa 2d charge 1000RUB;cloudpayments 7 charge 1999RUB;"
	    "stripe ch_9 charge 500EUR");
	expect_str("an empty file has no transactions",
	    read_text("", NULL), "");
}

int
main(void)
{
	int status = 0;

	test_refs();
	test_quote_reals();
	test_names();
	test_formats();
	expect_true("a missing file is 66", payment_open("/nonexistent/x",
	    NULL, NULL, &status) == NULL && status == EX_NOINPUT);
	return unit_summary("payment");
}
