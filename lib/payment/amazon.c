/* amazon.c: Amazon's settlement report, flat file V2
 * (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2): tab-separated, a row per
 * amount (the price, the shipping, each fee and promotion), which
 * gather.c sums into an order's sale and its refunds per settlement. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "payment.h"
#include "payment-int.h"

#define COL(c)	payment_col(r, row, (c))

static const char *const settlement_cols[PAYCOL_N] = {
	[PAYCOL_ID] = "order-id", [PAYCOL_SOURCE] = "settlement-id",
	[PAYCOL_TYPE] = "transaction-type", [PAYCOL_CATEGORY] = "amount-type",
	[PAYCOL_DESC] = "amount-description", [PAYCOL_AMOUNT] = "amount",
	[PAYCOL_CURRENCY] = "currency", [PAYCOL_DATE] = "posted-date",
	[PAYCOL_TIME] = "posted-date-time",
};

static int
settlement_is(char *const *fields, size_t n)
{
	return payment_header_has("settlement-id", fields, n) >= 0 &&
	    payment_header_has("amount-type", fields, n) >= 0;
}

/*
 * A row of an order's sale ("Order") or refund ("Refund", "Chargeback
 * Refund"): ItemPrice (Principal, Shipping, Tax, GiftWrap, ...) and
 * Promotion rows are what the buyer paid or got back; every other amount
 * type (ItemFees, ItemWithheldTax, ItemRelatedFees, ...) is what Amazon
 * kept or gave back.  The first row (the settlement's total and deposit)
 * and rows of no order (subscription, storage and other fees) are no
 * order's money.
 */
static int
settlement_part(struct payment_reader *r, struct csvread_row *row,
    struct payment_part *pt, struct payment_problem *pb)
{
	const char *type = COL(PAYCOL_TYPE), *atype = COL(PAYCOL_CATEGORY);
	const char *cur = COL(PAYCOL_CURRENCY), *when;
	struct payment_txn t;
	int64_t v;
	int exponent;

	/* the currency of the summary row stands for rows that leave it
	 * empty */
	if (cur != NULL && strlen(cur) == 3)
		memcpy(r->currency, cur, 4);
	else
		cur = r->currency[0] != '\0' ? r->currency : NULL;
	if (type == NULL || (pt->order = COL(PAYCOL_ID)) == NULL)
		return PAYMENT_SKIP;
	if (strcasecmp(type, "Order") == 0)
		pt->kind = PAYMENT_CHARGE;
	else if (strcasecmp(type, "Refund") == 0 ||
	    strcasecmp(type, "Chargeback Refund") == 0)
		pt->kind = PAYMENT_REFUND;
	else
		return PAYMENT_SKIP;	/* adjustments, reimbursements */
	pt->group = COL(PAYCOL_SOURCE);
	memset(&t, 0, sizeof(t));
	if (payment_set_currency(&t, cur, pb, &exponent) == -1 ||
	    payment_parse_major(COL(PAYCOL_AMOUNT), exponent, &v, pb,
	    "amount") == -1)
		return -1;
	memcpy(pt->currency, t.currency, 4);
	if (atype != NULL && (strcasecmp(atype, "ItemPrice") == 0 ||
	    strcasecmp(atype, "Promotion") == 0))
		pt->gross = v;
	else
		pt->fee = v;
	if ((when = COL(PAYCOL_TIME)) == NULL)
		when = COL(PAYCOL_DATE);
	if (payment_export_time(when, NULL, &pt->created) == -1)
		pt->created = 0;
	return 0;
}

static const struct payment_layout settlement_layout = {
	&payment_amazon_ops, settlement_cols, settlement_is, NULL,
	settlement_part
};
static const struct payment_layout *const amazon_layouts[] = {
	&settlement_layout, NULL
};

const struct payment_ops payment_amazon_ops = {
	"amazon", "Amazon", NULL, NULL, amazon_layouts
};
