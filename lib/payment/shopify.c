/* shopify.c: Shopify Payments' transactions export (Finance, Payouts,
 * Export transactions): a row per charge, refund, adjustment or payout,
 * the order's name beside it; summed per order by gather.c, as the export
 * has no transaction id. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "money.h"
#include "payment.h"
#include "payment-int.h"

#define COL(c)	payment_col(r, row, (c))

static const char *const transactions_cols[PAYCOL_N] = {
	[PAYCOL_CREATED] = "transaction date", [PAYCOL_TYPE] = "type",
	[PAYCOL_ID] = "order", [PAYCOL_AMOUNT] = "amount",
	[PAYCOL_FEE] = "fee", [PAYCOL_GROSS] = "net",
	[PAYCOL_CURRENCY] = "currency", [PAYCOL_STATUS] = "payout status",
};

static int
transactions_is(char *const *fields, size_t n)
{
	return payment_header_has("payout status", fields, n) >= 0 &&
	    payment_header_has("order", fields, n) >= 0 &&
	    payment_header_has("net", fields, n) >= 0;
}

/* A charge, or a refund or chargeback (negative): Amount is what the
 * buyer paid or got back, Net what reached the shop, so the fee is their
 * difference (the export writes Fee unsigned). */
static int
transactions_part(struct payment_reader *r, struct csvread_row *row,
    struct payment_part *pt, struct payment_problem *pb)
{
	const char *type = COL(PAYCOL_TYPE);
	struct payment_txn t;
	int64_t net, fee;
	int exponent;

	if (type == NULL || (pt->order = COL(PAYCOL_ID)) == NULL)
		return PAYMENT_SKIP;
	if (strcasecmp(type, "charge") == 0)
		pt->kind = PAYMENT_CHARGE;
	else if (strcasecmp(type, "refund") == 0 ||
	    strcasecmp(type, "chargeback") == 0)
		pt->kind = PAYMENT_REFUND;
	else
		return PAYMENT_SKIP;	/* payouts, reserves, adjustments */
	memset(&t, 0, sizeof(t));
	if (payment_set_currency(&t, COL(PAYCOL_CURRENCY), pb,
	    &exponent) == -1 || payment_parse_major(COL(PAYCOL_AMOUNT),
	    exponent, &pt->gross, pb, "Amount") == -1)
		return -1;
	memcpy(pt->currency, t.currency, 4);
	if (COL(PAYCOL_GROSS) != NULL) {
		if (payment_parse_major(COL(PAYCOL_GROSS), exponent, &net, pb,
		    "Net") == -1)
			return -1;
		if (money_sub(net, pt->gross, &pt->fee) == -1)
			return payment_fail(pb, "amount_overflow", "Net less "
			    "Amount does not fit");
	} else if (COL(PAYCOL_FEE) != NULL) {
		if (payment_parse_major(COL(PAYCOL_FEE), exponent, &fee, pb,
		    "Fee") == -1)
			return -1;
		if (fee > 0 && money_neg(fee, &fee) == -1)
			return payment_fail(pb, "amount_overflow", "Fee does "
			    "not fit");
		pt->fee = fee;
	}
	if (payment_export_time(COL(PAYCOL_CREATED), NULL,
	    &pt->created) == -1)
		pt->created = 0;
	return 0;
}

static const struct payment_layout transactions_layout = {
	&payment_shopify_ops, transactions_cols, transactions_is, NULL,
	transactions_part
};
static const struct payment_layout *const shopify_layouts[] = {
	&transactions_layout, NULL
};

const struct payment_ops payment_shopify_ops = {
	"shopify", "Shopify Payments", NULL, NULL, shopify_layouts
};
