/* cloudpayments.c: CloudPayments' notifications (Pay, Fail, Confirm,
 * Refund, Cancel) and the Model of its API answers. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "payment.h"
#include "payment-int.h"

static int
cloudpayments_is(const json_t *o, int hint)
{
	(void)hint;
	return json_object_get(o, "TransactionId") != NULL;
}

/* A notification without a Status: failed when it gives a reason. */
static enum payment_state
unstated(const json_t *o, enum payment_kind kind)
{
	const json_t *code = json_object_get(o, "ReasonCode");

	if (payment_jstr(o, "Reason") != NULL ||
	    (json_is_integer(code) && json_integer_value(code) != 0))
		return PAYMENT_FAILED;
	return kind == PAYMENT_REFUND ? PAYMENT_SUCCEEDED : PAYMENT_PENDING;
}

/* Amount in major units, often a JSON number. */
static int
cloudpayments_json_txn(struct payment_reader *r, const json_t *o, int hint,
    struct payment_txn *t, struct payment_problem *pb)
{
	const char *status = payment_jstr(o, "Status");
	const char *op = payment_jstr(o, "OperationType");
	const char *when, *currency, *first6, *last4;
	const json_t *fee;
	int exponent;

	(void)hint;
	t->provider = "cloudpayments";
	if ((t->id = payment_jid(o, "TransactionId", r->idbuf,
	    sizeof(r->idbuf))) == NULL)
		return payment_fail(pb, "bad_payment", "a CloudPayments object "
		    "without TransactionId");
	if ((currency = payment_jstr(o, "Currency")) == NULL)
		currency = "RUB";
	if (payment_set_currency(t, currency, pb, &exponent) == -1 ||
	    payment_json_amount(json_object_get(o, "Amount"), 0, exponent,
	    &t->amount, pb, "Amount") == -1)
		return -1;
	if ((fee = json_object_get(o, "TotalFee")) != NULL &&
	    !json_is_null(fee) &&
	    payment_json_amount(fee, 0, exponent, &t->fee, pb,
	    "TotalFee") == -1)
		return -1;
	when = payment_jstr(o, "CreatedDateIso");
	if (when == NULL)
		when = payment_jstr(o, "DateTime");
	if (payment_time_of(when, &t->created, pb, "DateTime") == -1)
		return -1;
	t->kind = op != NULL && strcmp(op, "Refund") == 0 ? PAYMENT_REFUND :
	    op != NULL && strcmp(op, "Payment") != 0 ? PAYMENT_OTHER :
	    PAYMENT_CHARGE;
	if (status == NULL)
		t->state = unstated(o, t->kind);
	else if (strcmp(status, "Completed") == 0)
		t->state = PAYMENT_SUCCEEDED;
	else if (strcmp(status, "Authorized") == 0)
		t->state = PAYMENT_AUTHORIZED;
	else if (strcmp(status, "AwaitingAuthentication") == 0)
		t->state = PAYMENT_PENDING;
	else
		t->state = PAYMENT_FAILED;
	t->order_ref = payment_ref_clean(payment_jstr(o, "InvoiceId"),
	    r->refbuf, sizeof(r->refbuf));
	t->alt_ref = payment_ref_find(payment_jstr(o, "Description"),
	    r->altbuf, sizeof(r->altbuf));
	t->parent = payment_jid(o, "PaymentTransactionId", r->parentbuf,
	    sizeof(r->parentbuf));
	t->email = payment_jstr(o, "Email");
	payment_set_country(t->card_country, payment_jstr(o,
	    "IssuerBankCountry"));
	payment_set_country(t->ip_country, payment_jstr(o, "IpCountry"));
	if ((first6 = payment_jstr(o, "CardFirstSix")) != NULL &&
	    (last4 = payment_jstr(o, "CardLastFour")) != NULL) {
		snprintf(r->cardbuf, sizeof(r->cardbuf), "%s*%s", first6,
		    last4);
		t->card = r->cardbuf;
	}
	if (json_is_true(json_object_get(o, "Refunded")) &&
	    t->kind == PAYMENT_CHARGE)
		t->refunded = t->amount;
	return 0;
}

const struct payment_ops payment_cloudpayments_ops = {
	"cloudpayments", "CloudPayments", cloudpayments_is,
	cloudpayments_json_txn, NULL
};
