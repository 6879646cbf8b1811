/* ebay.c: eBay's transaction report (Seller Hub, Payments, Reports): a
 * row per order, refund, claim, fee or payout, lines about the report
 * above its header, "--" for an empty amount; summed per order by
 * gather.c. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "money.h"
#include "payment.h"
#include "payment-int.h"

/* A column's text, none for eBay's "--". */
static const char *
col(struct payment_reader *r, struct csvread_row *row, enum payment_column c)
{
	const char *s = payment_col(r, row, c);

	return s != NULL && strcmp(s, "--") != 0 ? s : NULL;
}

#define COL(c)	col(r, row, (c))

static const char *const report_cols[PAYCOL_N] = {
	[PAYCOL_CREATED] = "transaction creation date", [PAYCOL_TYPE] = "type",
	[PAYCOL_ID] = "order number", [PAYCOL_AMOUNT] = "net amount",
	[PAYCOL_GROSS] = "gross transaction amount",
	[PAYCOL_CURRENCY] = "transaction currency|payout currency",
};

static int
report_is(char *const *fields, size_t n)
{
	return payment_header_has("order number", fields, n) >= 0 &&
	    payment_header_has("gross transaction amount", fields, n) >= 0;
}

/* An order's payment ("Order"), or money back to the buyer ("Refund",
 * "Claim", "Payment dispute", negative): the gross is what the buyer paid
 * or got back, the net what reached the seller, the fees (final value,
 * regulatory, international, ...) their difference. */
static int
report_part(struct payment_reader *r, struct csvread_row *row,
    struct payment_part *pt, struct payment_problem *pb)
{
	const char *type = COL(PAYCOL_TYPE), *gross = COL(PAYCOL_GROSS);
	struct payment_txn t;
	int64_t net;
	int exponent;

	if (type == NULL || (pt->order = COL(PAYCOL_ID)) == NULL)
		return PAYMENT_SKIP;
	if (strcasecmp(type, "Order") == 0)
		pt->kind = PAYMENT_CHARGE;
	else if (strcasecmp(type, "Refund") == 0 ||
	    strcasecmp(type, "Claim") == 0 ||
	    strcasecmp(type, "Payment dispute") == 0)
		pt->kind = PAYMENT_REFUND;
	else
		return PAYMENT_SKIP;	/* labels, payouts, other fees */
	memset(&t, 0, sizeof(t));
	if (payment_set_currency(&t, COL(PAYCOL_CURRENCY), pb,
	    &exponent) == -1 || payment_parse_major(COL(PAYCOL_AMOUNT),
	    exponent, &net, pb, "Net amount") == -1)
		return -1;
	memcpy(pt->currency, t.currency, 4);
	if (gross == NULL)
		pt->gross = net;
	else if (payment_parse_major(gross, exponent, &pt->gross, pb,
	    "Gross transaction amount") == -1)
		return -1;
	if (money_sub(net, pt->gross, &pt->fee) == -1)
		return payment_fail(pb, "amount_overflow", "the net amount "
		    "less the gross does not fit");
	if (payment_export_time(COL(PAYCOL_CREATED), NULL,
	    &pt->created) == -1)
		pt->created = 0;
	return 0;
}

static const struct payment_layout report_layout = {
	&payment_ebay_ops, report_cols, report_is, NULL, report_part
};
static const struct payment_layout *const ebay_layouts[] = {
	&report_layout, NULL
};

const struct payment_ops payment_ebay_ops = {
	"ebay", "eBay", NULL, NULL, ebay_layouts
};
