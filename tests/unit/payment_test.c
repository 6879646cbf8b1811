/* payment_test.c: unit tests of payment.h: a few lines of each provider's
 * format through the reader (payment_open(), payment_next(),
 * payment_close()), what it rejects, a generic CSV through a map, and the
 * helpers that clean order ids, find them in text, quote reals and read
 * providers' times. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "payment.h"
#include "payment/payment-int.h"
#include "reject.h"
#include "unit.h"

/* One transaction as a line of text: what a test compares. */
static void
txn_text(const struct payment_txn *t, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s %s %s %s%s%s %jd fee=%jd refunded=%jd "
	    "at=%jd order=%s alt=%s parent=%s intent=%s email=%s card=%s "
	    "cc=%s ip=%s risky=%d line=%lu",
	    t->provider, t->id, payment_kind_name(t->kind),
	    payment_state_name(t->state), t->currency, "", "",
	    (intmax_t)t->amount, (intmax_t)t->fee, (intmax_t)t->refunded,
	    (intmax_t)t->created, t->order_ref ? t->order_ref : "-",
	    t->alt_ref ? t->alt_ref : "-", t->parent ? t->parent : "-",
	    t->intent ? t->intent : "-", t->email ? t->email : "-",
	    t->card ? t->card : "-", t->card_country, t->ip_country,
	    t->risky, t->line);
}

/* Read file name (text written first) as provider (NULL: told by the
 * reader) through map: the transactions, one a line, and the rejects'
 * lines and codes ("LINE CODE: message"), one a line. */
static int
read_txns(const char *name, const char *text, const char *provider,
    const struct payment_map *map, char **txns, char **rejects)
{
	struct payment_reader *r;
	struct payment_txn t;
	struct reject_stream rs;
	json_t *rej, *e;
	json_error_t error;
	char *path, *rbuf = NULL, line[1024], *p, *nl;
	size_t rlen = 0, tlen = 0;
	int status;

	path = unit_file(name, text, strlen(text));
	*txns = calloc(1, 1);
	memset(&rs, 0, sizeof(rs));
	rs.fp = open_memstream(&rbuf, &rlen);
	rs.path = "<memory>";
	if ((r = payment_open(path, provider, map, &status)) == NULL) {
		free(path);
		fclose(rs.fp);
		free(rbuf);
		*rejects = calloc(1, 1);
		return status;
	}
	while (payment_next(r, &t, &rs)) {
		txn_text(&t, line, sizeof(line));
		*txns = realloc(*txns, tlen + strlen(line) + 2);
		tlen += sprintf(*txns + tlen, "%s\n", line);
	}
	status = payment_close(r);
	fclose(rs.fp);
	*rejects = calloc(1, 1);
	tlen = 0;
	for (p = rbuf; p != NULL && *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		rej = json_loadb(p, nl - p, 0, &error);
		e = json_array_get(json_object_get(rej, "errors"), 0);
		snprintf(line, sizeof(line), "%jd %s: %s",
		    (intmax_t)json_integer_value(json_object_get(rej, "line")),
		    json_string_value(json_object_get(e, "code")),
		    json_string_value(json_object_get(e, "message")));
		*rejects = realloc(*rejects, tlen + strlen(line) + 2);
		tlen += sprintf(*rejects + tlen, "%s\n", line);
		json_decref(rej);
	}
	free(rbuf);
	free(path);
	return status;
}

struct format_case {
	const char	*name;		/* the file's, and the case's */
	const char	*provider;	/* --provider, or NULL */
	const char	*text;
	const char	*txns;		/* txn_text() lines */
	const char	*rejects;	/* "LINE CODE: message" lines */
};

static const struct format_case cases[] = {
	{ "stripe-charges.jsonl", NULL,
	    /* a charge, an event that wraps one, a refund, a payment
	     * intent, a fraction, a line that is not JSON */
	    "{\"id\":\"ch_1\",\"object\":\"charge\",\"amount\":12000,"
	    "\"amount_captured\":12000,\"amount_refunded\":500,"
	    "\"captured\":true,\"paid\":true,\"status\":\"succeeded\","
	    "\"currency\":\"usd\",\"created\":1795159200,"
	    "\"metadata\":{\"order_id\":\"SHOP-1\"},"
	    "\"description\":\"Order #SHOP-1\",\"payment_intent\":\"pi_1\","
	    "\"billing_details\":{\"email\":\"a@example.com\"},"
	    "\"payment_method_details\":{\"card\":{\"country\":\"GB\","
	    "\"fingerprint\":\"fp1\"}},\"outcome\":{\"risk_level\":"
	    "\"highest\"}}\n"
	    "{\"id\":\"evt_2\",\"object\":\"event\",\"data\":{\"object\":"
	    "{\"id\":\"ch_2\",\"object\":\"charge\",\"amount\":700,"
	    "\"amount_captured\":0,\"captured\":false,\"paid\":true,"
	    "\"status\":\"succeeded\",\"currency\":\"jpy\",\"created\":"
	    "1795159300,\"metadata\":{},\"description\":\"Payment for order "
	    "1002\"}}}\n"
	    "{\"id\":\"re_1\",\"object\":\"refund\",\"amount\":500,"
	    "\"charge\":\"ch_1\",\"currency\":\"usd\",\"status\":"
	    "\"succeeded\",\"created\":1795160000}\n"
	    "\n"
	    "{\"id\":\"ch_3\",\"object\":\"charge\",\"amount\":10.5,"
	    "\"captured\":true,\"paid\":true,\"status\":\"succeeded\","
	    "\"currency\":\"usd\",\"created\":1795159200}\n"
	    "not json\n",
	    "stripe ch_1 charge succeeded USD 12000 fee=0 refunded=500 "
	    "at=1795159200 order=SHOP-1 alt=SHOP-1 parent=- intent=pi_1 "
	    "email=a@example.com card=fp1 cc=GB ip= risky=1 line=1\n"
	    "stripe ch_2 charge authorized JPY 700 fee=0 refunded=0 "
	    "at=1795159300 order=- alt=1002 parent=- intent=- email=- "
	    "card=- cc= ip= risky=0 line=2\n"
	    "stripe re_1 refund succeeded USD 500 fee=0 refunded=0 "
	    "at=1795160000 order=- alt=- parent=ch_1 intent=- email=- "
	    "card=- cc= ip= risky=0 line=3\n",
	    "5 bad_amount: amount '10.5' is not a whole number of minor "
	    "units\n"
	    "6 bad_json: not JSON: '[' or '{' expected near 'not' at line 6\n"
	    },
	{ "stripe-balance.csv", NULL,
	    "balance_transaction_id,created_utc,currency,gross,fee,net,"
	    "reporting_category,source_id,description,charge_id,"
	    "payment_intent_id,customer_email,card_country,"
	    "payment_metadata[order_id]\n"
	    "txn_1,2026-11-21 09:15:02,usd,\"1,250.00\",36.55,\"1,213.45\","
	    "charge,ch_1,Order #SHOP-1,ch_1,pi_1,b@example.com,GB,SHOP-1\n"
	    "txn_2,2026-11-21 11:02:13,usd,-250.00,0.00,-250.00,refund,re_1,"
	    "REFUND FOR CHARGE (Order #SHOP-1),ch_1,pi_1,,,\n"
	    "txn_3,2026-11-21 12:00:00,usd,twelve,0.00,0.00,charge,ch_3,,,,"
	    ",,\n",
	    "stripe ch_1 charge succeeded USD 125000 fee=3655 refunded=0 "
	    "at=1795252502 order=SHOP-1 alt=SHOP-1 parent=- intent=pi_1 "
	    "email=b@example.com card=- cc=GB ip= risky=0 line=2\n"
	    "stripe re_1 refund succeeded USD 25000 fee=0 refunded=0 "
	    "at=1795258933 order=- alt=SHOP-1 parent=ch_1 intent=pi_1 "
	    "email=- card=- cc= ip= risky=0 line=3\n",
	    "4 bad_amount: gross 'twelve' is not an amount\n" },
	{ "stripe-payments.csv", NULL,
	    "id,Description,Created date (UTC),Amount,Amount Refunded,"
	    "Currency,Captured,Fee,Status,Customer Email,Card Issue Country,"
	    "Card Fingerprint,PaymentIntent ID,order_id (metadata)\n"
	    "ch_1,Order SHOP-1,2026-11-22 14:03,49.90,10.00,eur,true,1.70,"
	    "Paid,d@example.de,DE,fpD,pi_1,SHOP-1\n"
	    "ch_2,,2026-11-22 15:00,5.00,0.00,eur,false,0.00,Failed,,,,,\n",
	    "stripe ch_1 charge succeeded EUR 4990 fee=170 refunded=1000 "
	    "at=1795356180 order=SHOP-1 alt=SHOP-1 parent=- intent=pi_1 "
	    "email=d@example.de card=fpD cc=DE ip= risky=0 line=2\n"
	    "stripe ch_2 charge failed EUR 500 fee=0 refunded=0 "
	    "at=1795359600 order=- alt=- parent=- intent=- email=- card=- "
	    "cc= ip= risky=0 line=3\n",
	    "" },
	{ "paypal-activity.csv", NULL,
	    "\"Date\",\"Time\",\"TimeZone\",\"Name\",\"Type\",\"Status\","
	    "\"Currency\",\"Gross\",\"Fee\",\"Net\",\"From Email Address\","
	    "\"Transaction ID\",\"Item Title\",\"Reference Txn ID\","
	    "\"Invoice Number\",\"Country Code\"\n"
	    "\"11/20/2026\",\"23:41:07\",\"PST\",\"Hana Kim\",\"Express "
	    "Checkout Payment\",\"Completed\",\"USD\",\"1,234.56\","
	    "\"-44.39\",\"1,190.17\",\"hana@example.com\",\"5TY05013\","
	    "\"Espresso machine\",\"\",\"PP-6001\",\"US\"\n"
	    "\"11/21/2026\",\"08:00:00\",\"PST\",\"Hana Kim\",\"Payment "
	    "Refund\",\"Completed\",\"USD\",\"-34.56\",\"1.00\",\"-33.56\","
	    "\"\",\"7RF00001\",\"\",\"5TY05013\",\"PP-6001\",\"\"\n",
	    "paypal 5TY05013 charge succeeded USD 123456 fee=4439 "
	    "refunded=0 at=1795246867 order=PP-6001 alt=- parent=- "
	    "intent=- email=hana@example.com card=- cc=US ip= risky=0 "
	    "line=2\n"
	    "paypal 7RF00001 refund succeeded USD 3456 fee=0 refunded=0 "
	    "at=1795276800 order=PP-6001 alt=- parent=5TY05013 intent=- "
	    "email=- card=- cc= ip= risky=0 line=3\n",
	    "" },
	{ "paypal-webhooks.jsonl", NULL,
	    "{\"id\":\"WH-1\",\"event_type\":\"PAYMENT.CAPTURE.COMPLETED\","
	    "\"resource\":{\"id\":\"CAP1\",\"amount\":{\"currency_code\":"
	    "\"USD\",\"value\":\"120.00\"},\"seller_receivable_breakdown\":"
	    "{\"paypal_fee\":{\"currency_code\":\"USD\",\"value\":\"4.31\"}},"
	    "\"invoice_id\":\"PP-1\",\"status\":\"COMPLETED\","
	    "\"supplementary_data\":{\"related_ids\":{\"order_id\":"
	    "\"ORD1\"}},\"create_time\":\"2026-11-22T12:00:01Z\"}}\n"
	    "{\"id\":\"WH-2\",\"event_type\":\"CHECKOUT.ORDER.APPROVED\","
	    "\"resource\":{\"id\":\"ORD1\",\"status\":\"APPROVED\"}}\n",
	    "paypal CAP1 charge succeeded USD 12000 fee=431 refunded=0 "
	    "at=1795348801 order=PP-1 alt=- parent=- intent=ORD1 email=- "
	    "card=- cc= ip= risky=0 line=1\n",
	    "" },
	{ "yookassa.jsonl", NULL,
	    "{\"type\":\"notification\",\"event\":\"payment.succeeded\","
	    "\"object\":{\"id\":\"2d8e-0001\",\"status\":\"succeeded\","
	    "\"amount\":{\"value\":\"2490.00\",\"currency\":\"RUB\"},"
	    "\"income_amount\":{\"value\":\"2403.85\",\"currency\":\"RUB\"},"
	    "\"description\":\"Заказ №RU-5001\",\"paid\":true,"
	    "\"created_at\":\"2026-11-20T09:01:12.345Z\"}}\n"
	    "{\"id\":\"2d8e-0002\",\"status\":\"pending\",\"amount\":"
	    "{\"value\":\"15.5\",\"currency\":\"RUB\"},\"paid\":false,"
	    "\"metadata\":{\"order_id\":\"RU-5002\"},"
	    "\"created_at\":\"2026-11-20T10:00:00Z\"}\n",
	    "yookassa 2d8e-0001 charge succeeded RUB 249000 fee=8615 "
	    "refunded=0 at=1795165272 order=- alt=RU-5001 parent=- intent=- "
	    "email=- card=- cc= ip= risky=0 line=1\n"
	    "yookassa 2d8e-0002 charge pending RUB 1550 fee=0 refunded=0 "
	    "at=1795168800 order=RU-5002 alt=- parent=- intent=- email=- "
	    "card=- cc= ip= risky=0 line=2\n",
	    "" },
	{ "cloudpayments.jsonl", NULL,
	    "{\"TransactionId\":1211506522,\"Amount\":1234.56,\"Currency\":"
	    "\"RUB\",\"DateTime\":\"2026-11-20 09:15:27\",\"CardFirstSix\":"
	    "\"424242\",\"CardLastFour\":\"6522\",\"Status\":\"Completed\","
	    "\"OperationType\":\"Payment\",\"InvoiceId\":\"CP-8001\","
	    "\"Email\":\"ivan@example.ru\",\"IpCountry\":\"RU\","
	    "\"IssuerBankCountry\":\"KZ\",\"TotalFee\":30.86}\n",
	    "cloudpayments 1211506522 charge succeeded RUB 123456 fee=3086 "
	    "refunded=0 at=1795166127 order=CP-8001 alt=- parent=- intent=- "
	    "email=ivan@example.ru card=424242*6522 cc=KZ ip=RU risky=0 "
	    "line=1\n",
	    "" },
};

/* Each format: its transactions, exact to the minor unit, and its
 * rejects with their lines. */
static void
test_formats(void)
{
	char what[128], *txns, *rejects;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "%s: status", cases[i].name);
		expect_int(what, read_txns(cases[i].name, cases[i].text,
		    cases[i].provider, NULL, &txns, &rejects), 0);
		snprintf(what, sizeof(what), "%s: transactions",
		    cases[i].name);
		expect_str(what, txns, cases[i].txns);
		snprintf(what, sizeof(what), "%s: rejects", cases[i].name);
		expect_str(what, rejects, cases[i].rejects);
		free(txns);
		free(rejects);
	}
}

/* A file of no known provider, or not of the one named, is 65 before any
 * transaction; one that cannot be opened 66. */
static void
test_open(void)
{
	char *txns, *rejects, *said, *path;
	int status = 0;

	unit_stderr_begin();
	expect_int("a CSV of no provider", read_txns("other.csv",
	    "a,b,c\n1,2,3\n", NULL, NULL, &txns, &rejects), EX_DATAERR);
	free(txns);
	free(rejects);
	expect_int("a Stripe report read as PayPal's", read_txns(
	    "stripe-as-paypal.csv", "balance_transaction_id,currency,gross\n"
	    "txn_1,usd,1.00\n", "paypal", NULL, &txns, &rejects),
	    EX_DATAERR);
	free(txns);
	free(rejects);
	path = unit_path("none.csv");
	expect_true("no file", payment_open(path, NULL, NULL, &status) ==
	    NULL && status == EX_NOINPUT);
	said = unit_stderr_end();
	expect_true("the warnings name the files",
	    strstr(said, "other.csv' is no payment report known") != NULL &&
	    strstr(said, "stripe-as-paypal.csv' is a Stripe report, not "
	    "paypal") != NULL && strstr(said, "none.csv") != NULL);
	free(said);
	free(path);
	/* an empty file is no transaction, and no error */
	expect_int("an empty file", read_txns("empty.jsonl", "", NULL, NULL,
	    &txns, &rejects), 0);
	expect_str("... nothing in it", txns, "");
	free(txns);
	free(rejects);
}

/* A generic CSV read through a map file: a Russian acquirer's registry
 * with ';', decimal commas, its own words for types and statuses. */
static void
test_map(void)
{
	static const char map_text[] = "# a registry\n"
	    "provider = acquiring\n"
	    "delimiter = ;\n"
	    "id = Номер операции\n"
	    "order = Номер заказа\n"
	    "amount = Сумма\n"
	    "fee = Комиссия\n"
	    "currency = Валюта\n"
	    "type = Тип\n"
	    "status = Статус\n"
	    "created = Дата операции\n"
	    "time_zone = +03:00\n"
	    "charge_types = Оплата\n"
	    "refund_types = Возврат\n"
	    "failed_statuses = Отклонено, Ошибка\n";
	static const char csv[] = "Дата операции;Номер операции;Тип;Статус;"
	    "Номер заказа;Сумма;Комиссия;Валюта\n"
	    "20.11.2026 10:15;OP-1;Оплата;Успешно;G-1;1 234,50;24,69;RUB\n"
	    "20.11.2026 16:40;OP-2;Возврат;Успешно;G-1;-234,50;0,00;RUB\n"
	    "20.11.2026 17:00;OP-3;Оплата;Отклонено;G-2;990,00;0,00;RUB\n"
	    "20.11.2026 17:30;OP-4;Оплата;Успешно;G-3;двадцать;0,00;RUB\n";
	struct payment_map *map;
	char err[256], *path, *txns, *rejects, want[256];
	int status = 0;

	path = unit_file("registry.map", map_text, sizeof(map_text) - 1);
	map = payment_map_load(path, err, sizeof(err), &status);
	expect_true("the map loads", map != NULL);
	free(path);
	if (map == NULL)
		return;
	expect_int("generic CSV", read_txns("registry.csv", csv, "generic",
	    map, &txns, &rejects), 0);
	expect_str("its transactions", txns,
	    "acquiring OP-1 charge succeeded RUB 123450 fee=2469 refunded=0 "
	    "at=1795158900 order=G-1 alt=- parent=- intent=- email=- card=- "
	    "cc= ip= risky=0 line=2\n"
	    "acquiring OP-2 refund succeeded RUB 23450 fee=0 refunded=0 "
	    "at=1795182000 order=G-1 alt=- parent=- intent=- email=- card=- "
	    "cc= ip= risky=0 line=3\n"
	    "acquiring OP-3 charge failed RUB 99000 fee=0 refunded=0 "
	    "at=1795183200 order=G-2 alt=- parent=- intent=- email=- card=- "
	    "cc= ip= risky=0 line=4\n");
	expect_str("its rejects", rejects,
	    "5 bad_amount: amount 'двадцать' is not an amount\n");
	free(txns);
	free(rejects);
	payment_map_free(map);

	/* a map that lacks a column it needs, or a line it cannot read */
	path = unit_file("bad.map", "id = x\namount = y\n", 18);
	expect_true("no currency", payment_map_load(path, err, sizeof(err),
	    &status) == NULL);
	expect_int("... 78", status, EX_CONFIG);
	snprintf(want, sizeof(want), "map '%s' lacks id, amount, or currency "
	    "and default_currency", path);
	expect_str("... saying so", err, want);
	free(path);
	path = unit_file("bad2.map", "id = x\nwhat is this\n", 20);
	expect_true("a bad line", payment_map_load(path, err, sizeof(err),
	    &status) == NULL);
	snprintf(want, sizeof(want), "%s:2: unknown key 'what'", path);
	expect_str("... naming it", err, want);
	free(path);
}

/* payment_ref_clean() and payment_ref_find(): order ids from fields and
 * from free text. */
static void
test_refs(void)
{
	static const struct {
		const char *in, *want;
	} clean[] = {
		{ "  #SHOP-1001 ", "SHOP-1001" },
		{ "\xe2\x84\x96" "72", "72" },
		{ "   ", NULL },
		{ "#", NULL },
	}, find[] = {
		{ "Order #SHOP-1001", "SHOP-1001" },
		{ "Заказ №72", "72" },
		{ "Payment for order 1001", "1001" },
		{ "REFUND FOR CHARGE (Order #SHOP-2002)", "SHOP-2002" },
		{ "a coffee machine", NULL },
	};
	char buf[64], what[96];
	size_t i;

	for (i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
		snprintf(what, sizeof(what), "payment_ref_clean(\"%s\")",
		    clean[i].in);
		expect_str(what, payment_ref_clean(clean[i].in, buf,
		    sizeof(buf)), clean[i].want);
	}
	expect_true("payment_ref_clean() of what does not fit",
	    payment_ref_clean("SHOP-1001", buf, 5) == NULL);
	for (i = 0; i < sizeof(find) / sizeof(find[0]); i++) {
		snprintf(what, sizeof(what), "payment_ref_find(\"%s\")",
		    find[i].in);
		expect_str(what, payment_ref_find(find[i].in, buf,
		    sizeof(buf)), find[i].want);
	}
}

/* payment_quote_reals(): numbers a double would change become strings;
 * integers that fit, and numbers inside strings, stay. */
static void
test_quote_reals(void)
{
	static const char in[] = "{\"a\":1.50,\"b\":2,\"c\":-1e3,\"d\":"
	    "99999999999999999999,\"e\":\"3.25\",\"f\":[0.1,-7]}";
	static const char want[] = "{\"a\":\"1.50\",\"b\":2,\"c\":\"-1e3\","
	    "\"d\":\"99999999999999999999\",\"e\":\"3.25\",\"f\":[\"0.1\","
	    "-7]}";
	char *out;
	size_t len;

	out = payment_quote_reals(in, sizeof(in) - 1, &len);
	expect_mem("payment_quote_reals()", out, len, want, sizeof(want) - 1);
	free(out);
}

/* payment_time_parse(): the forms providers write. */
static void
test_times(void)
{
	static const struct {
		const char	*in;
		int		 rc;
		int64_t		 want;
	} cases[] = {
		{ "2026-11-20T09:01:12Z", 0, 1795165272 },
		{ "2026-11-20T09:01:12.345Z", 0, 1795165272 },
		{ "2026-11-20T12:01:12+03:00", 0, 1795165272 },
		{ "2026-11-22T04:03:52+0000", 0, 1795320232 },
		{ "2026-11-20 09:01:12", 0, 1795165272 },
		{ "2026-11-20 09:01", 0, 1795165260 },
		{ "1795165272", 0, 1795165272 },
		{ "20.11.2026", -1, 0 },
		/* Seconds begun and not given: read past the text before. */
		{ "0300-11-20t10:15:", -1, 0 },
		{ "2026-11-20 10:15:", -1, 0 },
		{ "yesterday", -1, 0 },
		{ "", -1, 0 },
	};
	char what[96];
	int64_t t;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = 0;
		snprintf(what, sizeof(what), "payment_time_parse(\"%s\")",
		    cases[i].in);
		if (expect_int(what, payment_time_parse(cases[i].in, &t),
		    cases[i].rc) && cases[i].rc == 0)
			expect_int(what, t, cases[i].want);
	}
}

/* The names of kinds and states, both ways, and the providers. */
static void
test_names(void)
{
	enum payment_kind k;
	enum payment_state s;

	expect_str("refund's name", payment_kind_name(PAYMENT_REFUND),
	    "refund");
	expect_int("\"other\" parsed", payment_kind_parse("other", &k), 0);
	expect_int("... is PAYMENT_OTHER", k, PAYMENT_OTHER);
	expect_int("\"fee\" is no kind", payment_kind_parse("fee", &k), -1);
	expect_str("authorized's name",
	    payment_state_name(PAYMENT_AUTHORIZED), "authorized");
	expect_int("\"failed\" parsed", payment_state_parse("failed", &s),
	    0);
	expect_int("... is PAYMENT_FAILED", s, PAYMENT_FAILED);
	expect_int("stripe is a provider", payment_provider_valid("stripe"),
	    1);
	expect_int("generic is one", payment_provider_valid("generic"), 1);
	expect_int("square is none", payment_provider_valid("square"), 0);
}

int
main(void)
{
	test_formats();
	test_open();
	test_map();
	test_refs();
	test_quote_reals();
	test_times();
	test_names();
	unit_cleanup();
	return unit_summary("payment");
}
