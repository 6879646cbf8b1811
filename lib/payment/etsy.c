/* etsy.c: Etsy's payments CSV (Shop Manager, Settings, Options, Download
 * Data, "Etsy Payments Sales", Direct Checkout): a row per order's
 * payment, its fees and what a refund left of it. */
#include <stdint.h>
#include <string.h>

#include "csvread.h"
#include "money.h"
#include "payment.h"
#include "payment-int.h"

#define COL(c)	payment_col(r, row, (c))

static const char *const sales_cols[PAYCOL_N] = {
	[PAYCOL_ID] = "payment id", [PAYCOL_ORDER] = "order id",
	[PAYCOL_GROSS] = "gross amount", [PAYCOL_FEE] = "fees",
	[PAYCOL_AMOUNT] = "adjusted gross amount|adjusted gross",
	[PAYCOL_REFUNDED] = "refund amount|refund",
	[PAYCOL_CURRENCY] = "currency", [PAYCOL_STATUS] = "status",
	[PAYCOL_CREATED] = "order date", [PAYCOL_EMAIL] = "buyer email",
};

static int
sales_is(char *const *fields, size_t n)
{
	return payment_header_has("order id", fields, n) >= 0 &&
	    payment_header_has("gross amount", fields, n) >= 0 &&
	    payment_header_has("net amount", fields, n) >= 0;
}

/* The gross is what the buyer paid; a refund shows as Refund Amount, or
 * as an Adjusted Gross below the gross. */
static int
sales_row(struct payment_reader *r, struct csvread_row *row,
    struct payment_txn *t, struct payment_problem *pb)
{
	const char *status = COL(PAYCOL_STATUS);
	int64_t adjusted;
	int exponent;

	t->provider = "etsy";
	t->order_ref = payment_ref_clean(COL(PAYCOL_ORDER), r->refbuf,
	    sizeof(r->refbuf));
	if ((t->id = COL(PAYCOL_ID)) == NULL && (t->id = t->order_ref) == NULL)
		return payment_fail(pb, "bad_payment", "Payment ID and Order "
		    "ID are empty");
	if (payment_set_currency(t, COL(PAYCOL_CURRENCY), pb,
	    &exponent) == -1 || payment_parse_major(COL(PAYCOL_GROSS),
	    exponent, &t->amount, pb, "Gross Amount") == -1)
		return -1;
	if (COL(PAYCOL_FEE) != NULL && payment_parse_major(COL(PAYCOL_FEE),
	    exponent, &t->fee, pb, "Fees") == -1)
		return -1;
	if (COL(PAYCOL_REFUNDED) != NULL) {
		if (payment_parse_major(COL(PAYCOL_REFUNDED), exponent,
		    &t->refunded, pb, "Refund Amount") == -1)
			return -1;
	} else if (COL(PAYCOL_AMOUNT) != NULL) {
		if (payment_parse_major(COL(PAYCOL_AMOUNT), exponent,
		    &adjusted, pb, "Adjusted Gross Amount") == -1)
			return -1;
		if (adjusted < t->amount && money_sub(t->amount, adjusted,
		    &t->refunded) == -1)
			return payment_fail(pb, "amount_overflow", "the refund "
			    "does not fit");
	}
	if (payment_magnitude(&t->fee, t, exponent, pb, "Fees") == -1 ||
	    payment_magnitude(&t->refunded, t, exponent, pb,
	    "Refund Amount") == -1)
		return -1;
	t->kind = PAYMENT_CHARGE;
	t->state = status != NULL && (payment_contains(status, "pending") ||
	    payment_contains(status, "processing")) ? PAYMENT_PENDING :
	    status != NULL && (payment_contains(status, "failed") ||
	    payment_contains(status, "canceled") ||
	    payment_contains(status, "cancelled")) ? PAYMENT_FAILED :
	    PAYMENT_SUCCEEDED;
	t->email = COL(PAYCOL_EMAIL);
	if (payment_export_time(COL(PAYCOL_CREATED), NULL,
	    &t->created) == -1)
		t->created = 0;
	return 0;
}

static const struct payment_layout sales_layout = {
	&payment_etsy_ops, sales_cols, sales_is, sales_row, NULL
};
static const struct payment_layout *const etsy_layouts[] = {
	&sales_layout, NULL
};

const struct payment_ops payment_etsy_ops = {
	"etsy", "Etsy", NULL, NULL, etsy_layouts
};
