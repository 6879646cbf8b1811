/* risk_test.c: unit tests of lib/risk.h. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "payment.h"
#include "risk.h"
#include "unit.h"

/* An order as JSON text: shipping country, e-mail, phone, created_at
 * (each NULL for none). */
static json_t *
order(const char *country, const char *email, const char *phone,
    const char *created)
{
	json_t *o = json_pack("{s:{s:{}}, s:{}}", "shipping", "address",
	    "customer");

	if (country != NULL)
		json_object_set_new(json_object_get(json_object_get(o,
		    "shipping"), "address"), "country", json_string(country));
	if (email != NULL)
		json_object_set_new(json_object_get(o, "customer"), "email",
		    json_string(email));
	if (phone != NULL)
		json_object_set_new(json_object_get(o, "customer"), "phone",
		    json_string(phone));
	if (created != NULL)
		json_object_set_new(o, "created_at", json_string(created));
	return o;
}

/* The score and reasons of assessing o (taken) with the n charges, as
 * "SCORE reason,reason". */
static const char *
assess(struct risk *rk, json_t *o, int64_t total,
    const struct payment_txn *txns, size_t n)
{
	static char out[512];
	const struct payment_txn *p[8];
	json_t *risk, *v;
	size_t i, len;
	int score;

	for (i = 0; i < n && i < 8; i++)
		p[i] = &txns[i];
	risk = risk_assess(rk, o, "RUB", total, p, n, &score);
	len = snprintf(out, sizeof(out), "%d", score);
	json_array_foreach(json_object_get(risk, "reasons"), i, v)
		len += snprintf(out + len, sizeof(out) - len, "%s%s",
		    i ? "," : " ", json_string_value(v));
	if (json_integer_value(json_object_get(risk, "score")) != score)
		unit_failed++;
	json_decref(risk);
	json_decref(o);
	return out;
}

static struct payment_txn
charge(const char *card_country, const char *ip_country, const char *email,
    enum payment_state state)
{
	struct payment_txn t;

	memset(&t, 0, sizeof(t));
	t.provider = "stripe";
	t.id = "ch_1";
	t.kind = PAYMENT_CHARGE;
	t.state = state;
	memcpy(t.currency, "RUB", 4);
	if (card_country != NULL)
		memcpy(t.card_country, card_country, 3);
	if (ip_country != NULL)
		memcpy(t.ip_country, ip_country, 3);
	t.email = email;
	return t;
}

static void
test_charges(void)
{
	struct risk rk;
	struct payment_txn t[3];

	memset(&rk, 0, sizeof(rk));
	expect_str("no signal", assess(&rk, order("RU", "a@b.ru", NULL,
	    NULL), 100, NULL, 0), "0");
	t[0] = charge("US", "DE", "x@y.com", PAYMENT_SUCCEEDED);
	expect_str("card, IP and payer against the order",
	    assess(&rk, order("RU", "a@b.ru", NULL, NULL), 100, t, 1),
	    "70 card_country_mismatch,ip_country_mismatch,"
	    "payer_email_mismatch");
	t[0] = charge("RU", "RU", "A@B.RU", PAYMENT_FAILED);
	t[1] = charge(NULL, NULL, NULL, PAYMENT_FAILED);
	t[2] = charge(NULL, NULL, NULL, PAYMENT_SUCCEEDED);
	t[2].risky = 1;
	expect_str("two failed charges, one the provider flags",
	    assess(&rk, order("RU", "a@b.ru", NULL, NULL), 100, t, 3),
	    "50 failed_attempts,provider_risk");
	t[0] = charge("US", "US", NULL, PAYMENT_SUCCEEDED);
	t[0].kind = PAYMENT_REFUND;
	expect_str("a refund raises nothing", assess(&rk, order("RU", NULL,
	    NULL, NULL), 100, t, 1), "0");
	t[0] = charge("US", "US", "x@y.com", PAYMENT_SUCCEEDED);
	t[0].risky = 1;
	t[1] = t[0];
	t[1].state = PAYMENT_FAILED;
	t[2] = t[1];
	expect_str("the score stops at 100", assess(&rk, order("RU",
	    "a@b.ru", NULL, NULL), 100, t, 3), "100 card_country_mismatch,"
	    "ip_country_mismatch,failed_attempts,payer_email_mismatch,"
	    "provider_risk");
	risk_release(&rk);
}

static void
test_velocity(void)
{
	struct risk rk;
	struct payment_txn t[1];

	memset(&rk, 0, sizeof(rk));
	t[0] = charge(NULL, NULL, NULL, PAYMENT_SUCCEEDED);
	t[0].card = "555555*4444";
	expect_str("the first order", assess(&rk, order(NULL, "Same@x.ru",
	    "+7916", "2026-11-20T10:00:00Z"), 100, t, 1), "0");
	expect_str("the second", assess(&rk, order(NULL, "same@x.ru",
	    "+7916", "2026-11-20T20:00:00Z"), 100, t, 1), "0");
	expect_str("the third within 24 hours", assess(&rk, order(NULL,
	    "SAME@X.RU", "+7916", "2026-11-21T09:59:59Z"), 100, t, 1),
	    "75 email_velocity,phone_velocity,card_velocity");
	expect_str("within 24 hours of the second and third", assess(&rk, order(NULL,
	    "same@x.ru", "+7916", "2026-11-21T19:59:59Z"), 100, t, 1),
	    "75 email_velocity,phone_velocity,card_velocity");
	expect_str("two days on", assess(&rk, order(NULL, "same@x.ru",
	    "+7916", "2026-11-23T20:00:00Z"), 100, t, 1), "0");
	expect_str("no time: no velocity", assess(&rk, order(NULL,
	    "same@x.ru", "+7916", NULL), 100, t, 1), "0");
	risk_release(&rk);
}

static void
test_high_amount(void)
{
	struct risk rk;
	char what[40];
	int i;

	memset(&rk, 0, sizeof(rk));
	expect_str("far above, but first", assess(&rk, order(NULL, NULL,
	    NULL, NULL), 1000000, NULL, 0), "0");
	for (i = 0; i < 19; i++) {
		snprintf(what, sizeof(what), "order %d", i + 2);
		expect_str(what, assess(&rk, order(NULL, NULL, NULL, NULL),
		    1000, NULL, 0), "0");
	}
	/* the mean of 20 is (1000000 + 19 * 1000) / 20 = 50950 */
	expect_str("five times the mean is not above it", assess(&rk,
	    order(NULL, NULL, NULL, NULL), 254750, NULL, 0), "0");
	expect_str("above five times the mean", assess(&rk, order(NULL, NULL,
	    NULL, NULL), 1000000, NULL, 0), "25 high_amount");
	expect_str("a total whose product with the count overflows",
	    assess(&rk, order(NULL, NULL, NULL, NULL), INT64_MAX, NULL, 0),
	    "25 high_amount");
	expect_str("which counts in the mean", assess(&rk, order(NULL, NULL,
	    NULL, NULL), 1000000000000000000LL, NULL, 0), "0");
	risk_release(&rk);
}

int
main(void)
{
	test_charges();
	test_velocity();
	test_high_amount();
	return unit_summary("risk");
}
