/* yookassa.c: YooKassa's payment and refund objects, as its API and its
 * notifications give them. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "money.h"
#include "payment.h"
#include "payment-int.h"

/* An object with an amount {value, currency} and a status. */
static int
yookassa_is(const json_t *o, int hint)
{
	(void)hint;
	return payment_jobj(o, "amount") != NULL &&
	    payment_jstr(o, "status") != NULL;
}

/* A payment's card, e-mail, refunds and fee (amount less income). */
static int
yookassa_payment(struct payment_reader *r, const json_t *o,
    struct payment_txn *t, struct payment_problem *pb, int exponent)
{
	const json_t *v, *card;
	const char *first6, *last4;
	int64_t income;

	if ((v = payment_jobj(o, "refunded_amount")) != NULL &&
	    payment_json_amount(json_object_get(v, "value"), 0, exponent,
	    &t->refunded, pb, "refunded_amount") == -1)
		return -1;
	if ((v = payment_jobj(o, "income_amount")) != NULL) {
		if (payment_json_amount(json_object_get(v, "value"), 0,
		    exponent, &income, pb, "income_amount") == -1)
			return -1;
		if (money_sub(t->amount, income, &t->fee) == -1)
			return payment_fail(pb, "amount_overflow", "the fee, "
			    "amount less income_amount, does not fit");
	}
	card = payment_jobj(payment_jobj(o, "payment_method"), "card");
	payment_set_country(t->card_country, payment_jstr(card,
	    "issuer_country"));
	if ((first6 = payment_jstr(card, "first6")) != NULL &&
	    (last4 = payment_jstr(card, "last4")) != NULL) {
		snprintf(r->cardbuf, sizeof(r->cardbuf), "%s*%s", first6,
		    last4);
		t->card = r->cardbuf;
	}
	t->email = payment_jstr(payment_jobj(payment_jobj(o, "receipt"),
	    "customer"), "email");
	return 0;
}

static int
yookassa_json_txn(struct payment_reader *r, const json_t *o, int hint,
    struct payment_txn *t, struct payment_problem *pb)
{
	const json_t *amount = payment_jobj(o, "amount");
	const char *status = payment_jstr(o, "status"), *when;
	int exponent;

	(void)hint;
	t->provider = "yookassa";
	if ((t->id = payment_jid(o, "id", r->idbuf, sizeof(r->idbuf))) ==
	    NULL)
		return payment_fail(pb, "bad_payment", "a YooKassa object "
		    "without an id");
	if (payment_set_currency(t, payment_jstr(amount, "currency"), pb,
	    &exponent) == -1 ||
	    payment_json_amount(json_object_get(amount, "value"), 0, exponent,
	    &t->amount, pb, "amount") == -1)
		return -1;
	if (status == NULL)
		status = "";
	t->order_ref = payment_meta_order(r, json_object_get(o, "metadata"));
	t->alt_ref = payment_ref_find(payment_jstr(o, "description"),
	    r->altbuf, sizeof(r->altbuf));
	if ((when = payment_jstr(o, "captured_at")) == NULL)
		when = payment_jstr(o, "created_at");
	if (payment_time_of(when, &t->created, pb, "created_at") == -1)
		return -1;
	if (payment_jstr(o, "payment_id") != NULL) {
		t->kind = PAYMENT_REFUND;
		t->parent = payment_jid(o, "payment_id", r->parentbuf,
		    sizeof(r->parentbuf));
		t->state = strcmp(status, "succeeded") == 0 ?
		    PAYMENT_SUCCEEDED : strcmp(status, "pending") == 0 ?
		    PAYMENT_PENDING : PAYMENT_FAILED;
		return 0;
	}
	t->kind = PAYMENT_CHARGE;
	if (strcmp(status, "succeeded") == 0)
		t->state = PAYMENT_SUCCEEDED;
	else if (strcmp(status, "waiting_for_capture") == 0)
		t->state = PAYMENT_AUTHORIZED;
	else if (strcmp(status, "pending") == 0)
		t->state = PAYMENT_PENDING;
	else
		t->state = PAYMENT_FAILED;
	return yookassa_payment(r, o, t, pb, exponent);
}

const struct payment_ops payment_yookassa_ops = {
	"yookassa", "YooKassa", yookassa_is, yookassa_json_txn, NULL
};
