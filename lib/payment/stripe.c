/* stripe.c: Stripe's API objects (charges, refunds, payment intents,
 * balance transactions) and its two CSV reports, the balance report and
 * the Dashboard's payments export. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "csvread.h"
#include "payment.h"
#include "payment-int.h"

/* Stripe's objects name their kind; the one that is not about money
 * moving for an order (a webhook log holds them too) is skipped. */
static int
stripe_is(const json_t *o, int hint)
{
	return hint == PAYMENT_HINT_NONE && payment_jstr(o, "object") != NULL;
}

static int
stripe_other(const char *type)
{
	return strcmp(type, "charge") != 0 && strcmp(type, "refund") != 0 &&
	    strcmp(type, "payment_intent") != 0 &&
	    strcmp(type, "balance_transaction") != 0;
}

/* A charge: its card, e-mail and risk besides its amount and state. */
static int
stripe_charge(const json_t *o, struct payment_txn *t,
    struct payment_problem *pb, const char *status, int exponent)
{
	const json_t *card, *billing, *bt, *v;
	const char *risk;
	int64_t captured = 0;

	t->kind = PAYMENT_CHARGE;
	t->intent = payment_jstr(o, "payment_intent");
	if (payment_json_amount(json_object_get(o, "amount"), 1, exponent,
	    &t->amount, pb, "amount") == -1)
		return -1;
	if ((v = json_object_get(o, "amount_refunded")) != NULL &&
	    payment_json_amount(v, 1, exponent, &t->refunded, pb,
	    "amount_refunded") == -1)
		return -1;
	if (strcmp(status, "succeeded") == 0 &&
	    json_is_false(json_object_get(o, "captured")))
		t->state = PAYMENT_AUTHORIZED;
	else if (strcmp(status, "succeeded") == 0) {
		t->state = PAYMENT_SUCCEEDED;
		if (payment_opt_minor(json_object_get(o, "amount_captured"),
		    &captured, pb, "amount_captured") == -1)
			return -1;
		if (captured > 0)
			t->amount = captured;
	} else if (strcmp(status, "pending") == 0)
		t->state = PAYMENT_PENDING;
	else
		t->state = PAYMENT_FAILED;
	card = payment_jobj(payment_jobj(o, "payment_method_details"), "card");
	billing = payment_jobj(o, "billing_details");
	payment_set_country(t->card_country, payment_jstr(card, "country"));
	if (t->card_country[0] == '\0')
		payment_set_country(t->card_country, payment_jstr(
		    payment_jobj(billing, "address"), "country"));
	t->card = payment_jstr(card, "fingerprint");
	if ((t->email = payment_jstr(billing, "email")) == NULL)
		t->email = payment_jstr(o, "receipt_email");
	risk = payment_jstr(payment_jobj(o, "outcome"), "risk_level");
	t->risky = risk != NULL && (strcmp(risk, "elevated") == 0 ||
	    strcmp(risk, "highest") == 0);
	if ((bt = payment_jobj(o, "balance_transaction")) != NULL &&
	    payment_opt_minor(json_object_get(bt, "fee"), &t->fee, pb,
	    "fee") == -1)
		return -1;
	return 0;
}

/* A payment intent.  The intent and its charge are one payment: the
 * charge's id, when known, keeps them from counting twice.  It is
 * latest_charge's, an id or the charge expanded, or before API version
 * 2022-11-15 the first (the latest) of the intent's charges list. */
static int
stripe_intent(struct payment_reader *r, const json_t *o,
    struct payment_txn *t, struct payment_problem *pb, const char *status,
    int exponent)
{
	const json_t *first;
	const char *id;
	int64_t captured = 0;

	t->kind = PAYMENT_CHARGE;
	t->intent = payment_jstr(o, "id");
	first = json_array_get(json_object_get(payment_jobj(o, "charges"),
	    "data"), 0);
	if ((id = payment_jid(o, "latest_charge", r->idbuf,
	    sizeof(r->idbuf))) != NULL ||
	    (id = payment_jid(payment_jobj(o, "latest_charge"), "id",
	    r->idbuf, sizeof(r->idbuf))) != NULL ||
	    (id = payment_jid(first, "id", r->idbuf, sizeof(r->idbuf))) !=
	    NULL)
		t->id = id;
	if (payment_json_amount(json_object_get(o, "amount"), 1, exponent,
	    &t->amount, pb, "amount") == -1)
		return -1;
	if (payment_opt_minor(json_object_get(o, "amount_received"),
	    &captured, pb, "amount_received") == -1)
		return -1;
	if (strcmp(status, "succeeded") == 0) {
		t->state = PAYMENT_SUCCEEDED;
		if (captured > 0)
			t->amount = captured;
	} else if (strcmp(status, "requires_capture") == 0)
		t->state = PAYMENT_AUTHORIZED;
	else if (strcmp(status, "canceled") == 0)
		t->state = PAYMENT_FAILED;
	else
		t->state = PAYMENT_PENDING;
	return 0;
}

/* Stripe's API objects: charge, refund, payment_intent,
 * balance_transaction; amounts in minor units, currency in lower case. */
static int
stripe_json_txn(struct payment_reader *r, const json_t *o, int hint,
    struct payment_txn *t, struct payment_problem *pb)
{
	const char *type = payment_jstr(o, "object");
	const char *status = payment_jstr(o, "status");
	const char *cat, *src;
	int exponent;

	(void)hint;
	if (stripe_other(type))
		return PAYMENT_SKIP;
	t->provider = "stripe";
	if ((t->id = payment_jid(o, "id", r->idbuf, sizeof(r->idbuf))) ==
	    NULL)
		return payment_fail(pb, "bad_payment", "a Stripe %s without "
		    "an id", type);
	if (payment_set_currency(t, payment_jstr(o, "currency"), pb,
	    &exponent) == -1)
		return -1;
	if (json_is_integer(json_object_get(o, "created")))
		t->created = json_integer_value(json_object_get(o, "created"));
	t->order_ref = payment_meta_order(r, json_object_get(o, "metadata"));
	t->alt_ref = payment_ref_find(payment_jstr(o, "description"),
	    r->altbuf, sizeof(r->altbuf));
	if (status == NULL)
		status = "";
	if (strcmp(type, "charge") == 0) {
		if (stripe_charge(o, t, pb, status, exponent) == -1)
			return -1;
	} else if (strcmp(type, "refund") == 0) {
		t->kind = PAYMENT_REFUND;
		t->parent = payment_jid(o, "charge", r->parentbuf,
		    sizeof(r->parentbuf));
		t->intent = payment_jstr(o, "payment_intent");
		if (payment_json_amount(json_object_get(o, "amount"), 1,
		    exponent, &t->amount, pb, "amount") == -1)
			return -1;
		if (strcmp(status, "succeeded") == 0)
			t->state = PAYMENT_SUCCEEDED;
		else if (strcmp(status, "pending") == 0 ||
		    strcmp(status, "requires_action") == 0)
			t->state = PAYMENT_PENDING;
		else
			t->state = PAYMENT_FAILED;
	} else if (strcmp(type, "payment_intent") == 0) {
		if (stripe_intent(r, o, t, pb, status, exponent) == -1)
			return -1;
	} else {			/* balance_transaction */
		cat = payment_jstr(o, "reporting_category");
		src = payment_jstr(o, "source");
		if (cat == NULL)
			cat = payment_jstr(o, "type");
		if (cat == NULL)
			cat = "";
		if (payment_json_amount(json_object_get(o, "amount"), 1,
		    exponent, &t->amount, pb, "amount") == -1)
			return -1;
		if (payment_opt_minor(json_object_get(o, "fee"), &t->fee, pb,
		    "fee") == -1)
			return -1;
		t->state = strcmp(status, "pending") == 0 ||
		    strcmp(status, "available") == 0 ? PAYMENT_SUCCEEDED :
		    PAYMENT_FAILED;
		if (strcmp(cat, "charge") == 0 || strcmp(cat, "payment") == 0)
			t->kind = PAYMENT_CHARGE;
		else if (strcmp(cat, "refund") == 0)
			t->kind = PAYMENT_REFUND;
		else
			t->kind = PAYMENT_OTHER;
		if (t->kind != PAYMENT_OTHER && src != NULL)
			t->id = payment_jid(o, "source", r->idbuf,
			    sizeof(r->idbuf));
	}
	if (payment_magnitude(&t->amount, t, exponent, pb, "amount") == -1 ||
	    payment_magnitude(&t->fee, t, exponent, pb, "fee") == -1)
		return -1;
	return 0;
}

/* The text of column c of the row, in short. */
#define COL(c)	payment_col(r, row, (c))

/* The balance report (itemized balance change from activity). */
static const char *const balance_cols[PAYCOL_N] = {
	[PAYCOL_ID] = "balance_transaction_id", [PAYCOL_SOURCE] = "source_id",
	[PAYCOL_CHARGE] = "charge_id",
	[PAYCOL_CREATED] = "created_utc|created",
	[PAYCOL_CURRENCY] = "currency", [PAYCOL_GROSS] = "gross",
	[PAYCOL_FEE] = "fee", [PAYCOL_CATEGORY] = "reporting_category|type",
	[PAYCOL_DESC] = "description",
	[PAYCOL_ORDER] = "payment_metadata[order_id]|"
	    "payment_metadata[orderid]|payment_metadata[order_number]|"
	    "payment_metadata[order]",
	[PAYCOL_REFUND_ORDER] = "refund_metadata[order_id]|"
	    "refund_metadata[orderid]|refund_metadata[order_number]",
	[PAYCOL_INTENT] = "payment_intent_id",
	[PAYCOL_EMAIL] = "customer_email",
	[PAYCOL_CARD_COUNTRY] = "card_country",
};

static int
balance_is(char *const *fields, size_t n)
{
	return payment_header_has("balance_transaction_id", fields, n) >= 0;
}

static int
balance_row(struct payment_reader *r, struct csvread_row *row,
    struct payment_txn *t, struct payment_problem *pb)
{
	const char *cat = COL(PAYCOL_CATEGORY), *src, *chg;
	int exponent;

	t->provider = "stripe";
	t->id = COL(PAYCOL_ID);
	src = COL(PAYCOL_SOURCE);
	chg = COL(PAYCOL_CHARGE);
	if (t->id == NULL)
		return payment_fail(pb, "bad_payment", "balance_transaction_id "
		    "is empty");
	if (payment_set_currency(t, COL(PAYCOL_CURRENCY), pb,
	    &exponent) == -1 || payment_parse_major(COL(PAYCOL_GROSS),
	    exponent, &t->amount, pb, "gross") == -1)
		return -1;
	if (COL(PAYCOL_FEE) != NULL && payment_parse_major(COL(PAYCOL_FEE),
	    exponent, &t->fee, pb, "fee") == -1)
		return -1;
	if (payment_time_of(COL(PAYCOL_CREATED), &t->created, pb,
	    "created_utc") == -1)
		return -1;
	if (cat == NULL)
		cat = "";
	t->state = PAYMENT_SUCCEEDED;
	if (strcmp(cat, "charge") == 0) {
		t->kind = PAYMENT_CHARGE;
		/* the charge's own id, when the report has it, is the one
		 * its API object and events carry */
		if (chg != NULL)
			t->id = chg;
		else if (src != NULL)
			t->id = src;
		t->order_ref = payment_ref_clean(COL(PAYCOL_ORDER),
		    r->refbuf, sizeof(r->refbuf));
	} else if (strcmp(cat, "refund") == 0) {
		t->kind = PAYMENT_REFUND;
		if (src != NULL)
			t->id = src;
		t->parent = chg;
		t->order_ref = payment_ref_clean(COL(PAYCOL_REFUND_ORDER),
		    r->refbuf, sizeof(r->refbuf));
		if (t->order_ref == NULL)
			t->order_ref = payment_ref_clean(COL(PAYCOL_ORDER),
			    r->refbuf, sizeof(r->refbuf));
	} else
		t->kind = PAYMENT_OTHER;
	t->alt_ref = payment_ref_find(COL(PAYCOL_DESC), r->altbuf,
	    sizeof(r->altbuf));
	t->intent = COL(PAYCOL_INTENT);
	t->email = COL(PAYCOL_EMAIL);
	payment_set_country(t->card_country, COL(PAYCOL_CARD_COUNTRY));
	/* a refund's gross is negative */
	if (payment_magnitude(&t->amount, t, exponent, pb, "gross") == -1 ||
	    payment_magnitude(&t->fee, t, exponent, pb, "fee") == -1)
		return -1;
	return 0;
}

/* The Dashboard's payments export. */
static const char *const payments_cols[PAYCOL_N] = {
	[PAYCOL_ID] = "id",
	[PAYCOL_CREATED] = "created date (utc)|created (utc)",
	[PAYCOL_AMOUNT] = "amount", [PAYCOL_REFUNDED] = "amount refunded",
	[PAYCOL_CURRENCY] = "currency", [PAYCOL_CAPTURED] = "captured",
	[PAYCOL_FEE] = "fee", [PAYCOL_STATUS] = "status",
	[PAYCOL_DESC] = "description", [PAYCOL_EMAIL] = "customer email",
	[PAYCOL_CARD_COUNTRY] = "card issue country|card address country",
	[PAYCOL_CARD] = "card fingerprint",
	[PAYCOL_INTENT] = "paymentintent id|payment intent id",
	[PAYCOL_ORDER] = "order_id (metadata)|orderid (metadata)|"
	    "order_number (metadata)|order (metadata)",
	[PAYCOL_INVOICE] = "invoice number",
};

static int
payments_is(char *const *fields, size_t n)
{
	return payment_header_has("id", fields, n) >= 0 &&
	    payment_header_has("amount refunded", fields, n) >= 0;
}

static int
payments_row(struct payment_reader *r, struct csvread_row *row,
    struct payment_txn *t, struct payment_problem *pb)
{
	const char *status = COL(PAYCOL_STATUS);
	const char *captured = COL(PAYCOL_CAPTURED);
	int exponent;

	t->provider = "stripe";
	if ((t->id = COL(PAYCOL_ID)) == NULL)
		return payment_fail(pb, "bad_payment", "id is empty");
	if (payment_set_currency(t, COL(PAYCOL_CURRENCY), pb,
	    &exponent) == -1 || payment_parse_major(COL(PAYCOL_AMOUNT),
	    exponent, &t->amount, pb, "Amount") == -1)
		return -1;
	if (COL(PAYCOL_REFUNDED) != NULL && payment_parse_major(
	    COL(PAYCOL_REFUNDED), exponent, &t->refunded, pb,
	    "Amount Refunded") == -1)
		return -1;
	if (COL(PAYCOL_FEE) != NULL && payment_parse_major(COL(PAYCOL_FEE),
	    exponent, &t->fee, pb, "Fee") == -1)
		return -1;
	if (payment_time_of(COL(PAYCOL_CREATED), &t->created, pb,
	    "Created date (UTC)") == -1)
		return -1;
	t->kind = PAYMENT_CHARGE;
	if (status == NULL)
		status = "Paid";
	if (strcasecmp(status, "Failed") == 0 ||
	    strcasecmp(status, "Canceled") == 0 ||
	    strcasecmp(status, "Blocked") == 0)
		t->state = PAYMENT_FAILED;
	else if (strcasecmp(status, "Uncaptured") == 0 ||
	    (captured != NULL && strcasecmp(captured, "false") == 0))
		t->state = PAYMENT_AUTHORIZED;
	else if (strcasecmp(status, "Pending") == 0 ||
	    strcasecmp(status, "Incomplete") == 0)
		t->state = PAYMENT_PENDING;
	else
		t->state = PAYMENT_SUCCEEDED;	/* Paid, Refunded, ... */
	t->order_ref = payment_ref_clean(COL(PAYCOL_ORDER), r->refbuf,
	    sizeof(r->refbuf));
	if (t->order_ref == NULL)
		t->order_ref = payment_ref_clean(COL(PAYCOL_INVOICE),
		    r->refbuf, sizeof(r->refbuf));
	t->alt_ref = payment_ref_find(COL(PAYCOL_DESC), r->altbuf,
	    sizeof(r->altbuf));
	t->intent = COL(PAYCOL_INTENT);
	t->email = COL(PAYCOL_EMAIL);
	t->card = COL(PAYCOL_CARD);
	payment_set_country(t->card_country, COL(PAYCOL_CARD_COUNTRY));
	return 0;
}

static const struct payment_layout balance_layout = {
	&payment_stripe_ops, balance_cols, balance_is, balance_row, NULL
};
static const struct payment_layout payments_layout = {
	&payment_stripe_ops, payments_cols, payments_is, payments_row,
	NULL
};
static const struct payment_layout *const stripe_layouts[] = {
	&balance_layout, &payments_layout, NULL
};

const struct payment_ops payment_stripe_ops = {
	"stripe", "Stripe", stripe_is, stripe_json_txn, stripe_layouts
};
