/* ordercheck_test.c: unit tests of lib/ordercheck.h: the checks of an
 * order's form data, their problems and the changes they make. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "conf.h"
#include "jsonl.h"
#include "money.h"
#include "msg.h"
#include "ordercheck.h"
#include "profile.h"
#include "unit.h"

static json_t *
parse(const char *text)
{
	json_t *v = jsonl_parse(text, strlen(text), 0, NULL);

	if (v == NULL) {
		fprintf(stderr, "bad test JSON: %s\n", text);
		exit(1);
	}
	return v;
}

/* The compact JSON of v; the caller frees it. */
static char *
text(const json_t *v)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;

	jsonl_encode(&buf, &cap, &len, v);
	buf = realloc(buf, len + 1);
	buf[len] = '\0';
	return buf;
}

/* "code field: message; ..." of the problems found. */
static void
problems_text(const json_t *errors, char *buf, size_t len)
{
	const json_t *e;
	size_t i, n = 0;

	buf[0] = '\0';
	json_array_foreach(errors, i, e)
		n += snprintf(buf + n, n < len ? len - n : 0, "%s%s %s: %s",
		    i > 0 ? "; " : "",
		    json_string_value(json_object_get(e, "code")),
		    json_string_value(json_object_get(e, "field")),
		    json_string_value(json_object_get(e, "message")));
}

/* Each key once, with a text in each language. */
static void
test_messages(void)
{
	char what[128];
	size_t i, k;
	int lang;

	expect_true("some messages", ordercheck_nmessages > 30);
	for (i = 0; i < ordercheck_nmessages; i++) {
		for (lang = 0; lang < MSG_NLANGS; lang++) {
			snprintf(what, sizeof(what), "%s in language %d",
			    ordercheck_messages[i].key, lang);
			expect_true(what,
			    ordercheck_messages[i].text[lang] != NULL);
		}
		for (k = i + 1; k < ordercheck_nmessages; k++) {
			snprintf(what, sizeof(what), "%s is given once",
			    ordercheck_messages[i].key);
			expect_true(what, strcmp(ordercheck_messages[i].key,
			    ordercheck_messages[k].key) != 0);
		}
	}
}

/* A good customer is normalised, but only when the order passes. */
static void
test_customer(void)
{
	struct ordercheck oc;
	json_t *order;
	char *t;

	ordercheck_init(&oc, MSG_EN);
	order = parse("{\"customer\":{\"email\":\" Ann@Example.COM \","
	    "\"phone\":\"8 (916) 123-45-67\"}}");
	ordercheck_customer(&oc, order, "RU");
	expect_int("no problems", json_array_size(oc.errors), 0);
	expect_int("two changes", oc.nchanges, 2);
	t = text(order);
	expect_str("not made yet", t, "{\"customer\":{\"email\":"
	    "\" Ann@Example.COM \",\"phone\":\"8 (916) 123-45-67\"}}");
	free(t);
	ordercheck_apply(&oc, 1);
	t = text(order);
	expect_str("made", t, "{\"customer\":{\"email\":\"Ann@example.com\","
	    "\"phone\":\"+79161234567\"}}");
	free(t);
	expect_int("and forgotten", oc.nchanges, 0);
	json_decref(order);
	ordercheck_release(&oc);
}

/* Problems in the language asked; a rejected order keeps what it had. */
static void
test_problems(void)
{
	struct ordercheck oc;
	json_t *order;
	char buf[1024], *t;
	const char *country;
	char cc[3];

	ordercheck_init(&oc, MSG_RU);
	order = parse("{\"customer\":{\"email\":\"ann@example\"},"
	    "\"shipping\":{\"method\":\"Pickup\"},\"currency\":\"rub\"}");
	ordercheck_customer(&oc, order, NULL);
	ordercheck_shipping(&oc, order, &country, cc);
	expect_true("a currency", ordercheck_currency(&oc, order) != NULL);
	problems_text(oc.errors, buf, sizeof(buf));
	expect_str("in Russian", buf, "bad_email customer.email: в e-mail "
	    "'ann@example' нет домена верхнего уровня, например .com или .ru; "
	    "missing_field shipping.pickup_point: не указано "
	    "shipping.pickup_point");
	ordercheck_apply(&oc, 0);
	t = text(order);
	expect_str("nothing changed", t, "{\"customer\":{\"email\":"
	    "\"ann@example\"},\"shipping\":{\"method\":\"Pickup\"},"
	    "\"currency\":\"rub\"}");
	free(t);
	json_decref(order);
	ordercheck_release(&oc);
}

/* The address's country, else the default one; its postal code. */
static void
test_shipping(void)
{
	struct ordercheck oc;
	json_t *order;
	const char *country;
	char buf[1024], cc[3], *t;

	ordercheck_init(&oc, MSG_EN);
	oc.country = "PL";
	order = parse("{\"shipping\":{\"method\":\"courier\",\"address\":"
	    "{\"city\":\"Warszawa\",\"line1\":\"Marszałkowska 1\","
	    "\"postal_code\":\"00950\"}}}");
	ordercheck_shipping(&oc, order, &country, cc);
	expect_str("the default country", country, "PL");
	expect_int("no problems", json_array_size(oc.errors), 0);
	ordercheck_apply(&oc, 1);
	t = text(json_object_get(json_object_get(order, "shipping"),
	    "address"));
	expect_str("country and postal code filled in", t,
	    "{\"city\":\"Warszawa\",\"line1\":\"Marszałkowska 1\","
	    "\"postal_code\":\"00-950\",\"country\":\"PL\"}");
	free(t);
	json_decref(order);

	order = parse("{\"shipping\":{\"method\":\"post\",\"address\":"
	    "{\"country\":\"de\",\"city\":\"Berlin\",\"line1\":\"X 1\","
	    "\"postal_code\":\"1011\"}}}");
	ordercheck_shipping(&oc, order, &country, cc);
	expect_str("the address's country, upper-cased", country, "DE");
	problems_text(oc.errors, buf, sizeof(buf));
	expect_str("a postal code of the country", buf, "bad_postal_code "
	    "shipping.address.postal_code: '1011' is not a postal code of DE "
	    "(such as 10115)");
	ordercheck_apply(&oc, 0);
	json_decref(order);
	ordercheck_release(&oc);
}

/* Amounts are whole minor units; a currency beside them is the order's. */
static void
test_amounts(void)
{
	struct ordercheck oc;
	const struct money_currency *rub = money_currency("RUB");
	json_t *totals;
	int64_t amount;
	char buf[1024];

	ordercheck_init(&oc, MSG_EN);
	totals = parse("{\"total\":12.5,\"shipping\":-1,\"tax\":300,"
	    "\"currency\":\"usd\"}");
	expect_int("a fraction", ordercheck_amount(&oc, totals, "total",
	    "totals.total", 1, &amount), -1);
	expect_int("below 0", ordercheck_amount(&oc, totals, "shipping",
	    "totals.shipping", 0, &amount), -1);
	expect_int("absent, not required", ordercheck_amount(&oc, totals,
	    "discount", "totals.discount", 0, &amount), 0);
	expect_int("is 0", amount, 0);
	expect_int("whole", ordercheck_amount(&oc, totals, "tax",
	    "totals.tax", 1, &amount), 0);
	expect_int("is read", amount, 300);
	ordercheck_same_currency(&oc, totals, "totals", rub);
	problems_text(oc.errors, buf, sizeof(buf));
	expect_str("each problem", buf, "bad_amount totals.total: "
	    "totals.total 12.5 is not a whole number of minor units "
	    "(kopecks, cents); negative_amount totals.shipping: "
	    "totals.shipping -1 is negative; currency_mismatch "
	    "totals.currency: totals is in usd, but the order is in RUB");
	json_decref(totals);
	ordercheck_release(&oc);
}

/* The codes ordercheck_source() finds in the record text, "+"-joined. */
static void
source_codes(struct profile_set *set, const char *record, char *buf,
    size_t len)
{
	struct ordercheck oc;
	json_t *order = parse(record), *e;
	size_t i, n = 0;

	ordercheck_init(&oc, MSG_EN);
	oc.source = json_string_value(json_object_get(order, "source"));
	ordercheck_source(&oc, order, profile_of(set, order));
	buf[0] = '\0';
	json_array_foreach(oc.errors, i, e)
		n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
		    i > 0 ? "+" : "",
		    json_string_value(json_object_get(e, "code")));
	ordercheck_release(&oc);
	json_decref(order);
}

static void
test_source(void)
{
	static const struct {
		const char *record, *want;
	} cases[] = {
		{ "{\"items\":[{\"sku\":\"A\"}]}", "" },
		{ "{\"source_status\":{\"fulfillment\":\"unfulfilled\","
		    "\"payment\":\"paid\"},\"items\":[{}]}", "" },
		{ "{\"source_status\":{\"fulfillment\":\"partial\"},"
		    "\"items\":[{\"status\":\"fulfilled\"},"
		    "{\"status\":\"pending\"}]}", "" },
		{ "{\"source_status\":{\"fulfillment\":\"Fulfilled\"},"
		    "\"items\":[{}]}", "already_fulfilled" },
		{ "{\"items\":[{\"status\":\"shipped\"},"
		    "{\"requires_shipping\":false}]}", "already_fulfilled" },
		{ "{\"items\":[{\"status\":\"Unshipped\"}]}", "" },
		{ "{\"source_status\":{\"order\":\"awaiting_packaging\"},"
		    "\"items\":[{}]}", "" },
		{ "{\"source_status\":{\"order\":\"Pending\"},"
		    "\"items\":[{}]}", "unpaid_at_source" },
		{ "{\"source_status\":{\"outstanding\":1},\"items\":[{}]}",
		    "unpaid_at_source" },
		{ "{\"source_status\":{\"payment\":\"partially_refunded\"},"
		    "\"items\":[{}]}", "refunded_at_source" },
		{ "{\"cancelled_at\":\"2026-11-20T10:00:00Z\","
		    "\"source_status\":{\"payment\":\"voided\"},"
		    "\"items\":[{}]}", "cancelled_at_source" },
		{ "{\"fulfilled_by\":\"marketplace\",\"items\":[{}]}",
		    "fulfilled_by_marketplace" },
		{ "{\"fulfilled_by\":\"marketplace\",\"items\":"
		    "[{\"fulfilled_by\":\"shop\"}]}", "" },
		{ "{\"source\":\"amazon\",\"items\":[{}]}",
		    "fulfilled_by_marketplace" },
		{ "{\"source\":\"amazon\",\"fulfilled_by\":\"shop\","
		    "\"items\":[{}]}", "" },
		{ "{\"items\":[{\"requires_shipping\":false}]}",
		    "nothing_to_ship" },
		{ "{\"items\":[]}", "" },
	};
	const char *conf_text = "[source \"amazon\"]\nfulfilled_by = "
	    "marketplace\n";
	char err[128], got[256], what[64];
	struct conf *c;
	struct profile_set *set;
	json_t *line;
	size_t i;

	c = conf_parse("t.conf", conf_text, strlen(conf_text), err,
	    sizeof(err));
	set = profile_load(c);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		source_codes(set, cases[i].record, got, sizeof(got));
		snprintf(what, sizeof(what), "source case %zu", i);
		expect_str(what, got, cases[i].want);
	}
	line = json_pack("{s:s}", "status", "fulfilled");
	expect_true("a line gone out does not ship", !ordercheck_ships(line));
	json_decref(line);
	profile_free(set);
	conf_free(c);
}

int
main(void)
{
	test_messages();
	test_customer();
	test_problems();
	test_shipping();
	test_amounts();
	test_source();
	return unit_summary("ordercheck");
}
