/* paypal.c: PayPal's Transaction Search items, its webhooks' resources
 * and its activity download (in English or German). */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "csvread.h"
#include "payment.h"
#include "payment-int.h"

/* A webhook's resource, with the hint of its event, or a Transaction
 * Search item. */
static int
paypal_is(const json_t *o, int hint)
{
	return hint != PAYMENT_HINT_NONE ||
	    payment_jobj(o, "transaction_info") != NULL;
}

/* PayPal's Transaction Search items: {transaction_info, payer_info, ...}.
 * Event codes T00xx are payments received, T11xx reversals and refunds,
 * T13xx authorisations; the rest moves the shop's own money. */
static int
paypal_search(struct payment_reader *r, const json_t *o,
    struct payment_txn *t, struct payment_problem *pb)
{
	const json_t *ti = payment_jobj(o, "transaction_info"), *amount, *fee;
	const json_t *payer = payment_jobj(o, "payer_info");
	const char *code, *status;
	int exponent;

	t->provider = "paypal";
	if ((t->id = payment_jid(ti, "transaction_id", r->idbuf,
	    sizeof(r->idbuf))) == NULL)
		return payment_fail(pb, "bad_payment", "a PayPal transaction "
		    "without transaction_id");
	amount = payment_jobj(ti, "transaction_amount");
	if (payment_set_currency(t, payment_jstr(amount, "currency_code"), pb,
	    &exponent) == -1 ||
	    payment_json_amount(json_object_get(amount, "value"), 0, exponent,
	    &t->amount, pb, "transaction_amount") == -1)
		return -1;
	if ((fee = payment_jobj(ti, "fee_amount")) != NULL &&
	    payment_json_amount(json_object_get(fee, "value"), 0, exponent,
	    &t->fee, pb, "fee_amount") == -1)
		return -1;
	if (t->fee > 0)				/* as in the download */
		t->fee = 0;
	if (payment_magnitude(&t->fee, t, exponent, pb, "fee_amount") == -1)
		return -1;
	if (payment_time_of(payment_jstr(ti, "transaction_initiation_date"),
	    &t->created, pb, "transaction_initiation_date") == -1)
		return -1;
	code = payment_jstr(ti, "transaction_event_code");
	if (code == NULL)
		code = "";
	if (strncmp(code, "T00", 3) == 0 && t->amount > 0)
		t->kind = PAYMENT_CHARGE;
	else if (strncmp(code, "T11", 3) == 0 && t->amount < 0)
		t->kind = PAYMENT_REFUND;
	else if (strncmp(code, "T13", 3) == 0 && strcmp(code, "T1302") != 0)
		t->kind = PAYMENT_CHARGE;
	else
		t->kind = PAYMENT_OTHER;
	status = payment_jstr(ti, "transaction_status");
	if (status == NULL || strcmp(status, "S") == 0 ||
	    strcmp(status, "V") == 0)
		t->state = strncmp(code, "T13", 3) == 0 ? PAYMENT_AUTHORIZED :
		    PAYMENT_SUCCEEDED;
	else if (strcmp(status, "P") == 0)
		t->state = strncmp(code, "T13", 3) == 0 ? PAYMENT_AUTHORIZED :
		    PAYMENT_PENDING;
	else
		t->state = PAYMENT_FAILED;
	if (payment_magnitude(&t->amount, t, exponent, pb,
	    "transaction_amount") == -1)
		return -1;
	t->order_ref = payment_ref_clean(payment_jstr(ti, "invoice_id"),
	    r->refbuf, sizeof(r->refbuf));
	if (t->order_ref == NULL)
		t->order_ref = payment_ref_clean(payment_jstr(ti,
		    "custom_field"), r->refbuf, sizeof(r->refbuf));
	else
		t->alt_ref = payment_ref_clean(payment_jstr(ti,
		    "custom_field"), r->altbuf, sizeof(r->altbuf));
	if (t->alt_ref == NULL)
		t->alt_ref = payment_ref_find(payment_jstr(ti,
		    "transaction_subject"), r->altbuf, sizeof(r->altbuf));
	t->parent = payment_jid(ti, "paypal_reference_id", r->parentbuf,
	    sizeof(r->parentbuf));
	t->email = payment_jstr(payer, "email_address");
	payment_set_country(t->card_country, payment_jstr(payer,
	    "country_code"));
	return 0;
}

/* PayPal's webhook resources (captures, authorizations, refunds of the
 * Payments v2 API), told apart by the event type. */
static int
paypal_resource(struct payment_reader *r, const json_t *o, int hint,
    struct payment_txn *t, struct payment_problem *pb)
{
	const json_t *amount = payment_jobj(o, "amount"), *links, *l, *fee;
	const char *status = payment_jstr(o, "status"), *href, *rel, *slash;
	int exponent;
	size_t i;

	t->provider = "paypal";
	if ((t->id = payment_jid(o, "id", r->idbuf, sizeof(r->idbuf))) ==
	    NULL)
		return payment_fail(pb, "bad_payment", "a PayPal resource "
		    "without an id");
	if (payment_set_currency(t, payment_jstr(amount, "currency_code"), pb,
	    &exponent) == -1 ||
	    payment_json_amount(json_object_get(amount, "value"), 0, exponent,
	    &t->amount, pb, "amount") == -1)
		return -1;
	fee = payment_jobj(payment_jobj(o, "seller_receivable_breakdown"),
	    "paypal_fee");
	if (payment_json_amount(json_object_get(fee, "value"), 0, exponent,
	    &t->fee, pb, "paypal_fee") == -1)
		t->fee = 0;
	if (payment_time_of(payment_jstr(o, "create_time"), &t->created, pb,
	    "create_time") == -1)
		return -1;
	if (status == NULL)
		status = "";
	t->kind = hint == PAYMENT_HINT_PAYPAL_REFUND ? PAYMENT_REFUND :
	    PAYMENT_CHARGE;
	if (strcmp(status, "COMPLETED") == 0 ||
	    strcmp(status, "REFUNDED") == 0 ||
	    strcmp(status, "PARTIALLY_REFUNDED") == 0)
		t->state = PAYMENT_SUCCEEDED;
	else if (hint == PAYMENT_HINT_PAYPAL_AUTH &&
	    (strcmp(status, "CREATED") == 0 ||
	    strcmp(status, "CAPTURED") == 0 ||
	    strcmp(status, "PARTIALLY_CAPTURED") == 0))
		t->state = strcmp(status, "CREATED") == 0 ?
		    PAYMENT_AUTHORIZED : PAYMENT_FAILED;  /* captured: its
							   * capture counts */
	else if (strcmp(status, "PENDING") == 0)
		t->state = PAYMENT_PENDING;
	else
		t->state = PAYMENT_FAILED;
	t->order_ref = payment_ref_clean(payment_jstr(o, "invoice_id"),
	    r->refbuf, sizeof(r->refbuf));
	if (t->order_ref == NULL)
		t->order_ref = payment_ref_clean(payment_jstr(o, "custom_id"),
		    r->refbuf, sizeof(r->refbuf));
	t->intent = payment_jstr(payment_jobj(payment_jobj(o,
	    "supplementary_data"), "related_ids"), "order_id");
	if (t->kind == PAYMENT_REFUND &&
	    json_is_array(links = json_object_get(o, "links"))) {
		json_array_foreach(links, i, l) {
			if ((href = payment_jstr(l, "href")) == NULL ||
			    (rel = payment_jstr(l, "rel")) == NULL ||
			    strcmp(rel, "up") != 0 ||
			    (slash = strrchr(href, '/')) == NULL ||
			    strlen(slash + 1) >= sizeof(r->parentbuf))
				continue;
			strcpy(r->parentbuf, slash + 1);
			t->parent = r->parentbuf;
		}
	}
	return 0;
}

static int
paypal_json_txn(struct payment_reader *r, const json_t *o, int hint,
    struct payment_txn *t, struct payment_problem *pb)
{
	if (hint != PAYMENT_HINT_NONE)
		return paypal_resource(r, o, hint, t, pb);
	return paypal_search(r, o, t, pb);
}

/* The activity download, in English or German. */
static const char *const activity_cols[PAYCOL_N] = {
	[PAYCOL_DATE] = "date|datum", [PAYCOL_TIME] = "time|uhrzeit",
	[PAYCOL_TZ] = "timezone|time zone|zeitzone",
	[PAYCOL_TYPE] = "type|typ", [PAYCOL_STATUS] = "status",
	[PAYCOL_CURRENCY] = "currency|währung",
	[PAYCOL_GROSS] = "gross|brutto", [PAYCOL_FEE] = "fee|gebühr",
	[PAYCOL_ID] = "transaction id|transaktionscode",
	[PAYCOL_PARENT] = "reference txn id|zugehöriger transaktionscode",
	[PAYCOL_INVOICE] = "invoice number|rechnungsnummer",
	[PAYCOL_CUSTOM] = "custom number|custom field|zollnummer",
	[PAYCOL_TITLE] = "item title|artikelbezeichnung|subject|betreff",
	[PAYCOL_EMAIL] = "from email address|absender e-mail-adresse",
	[PAYCOL_CARD_COUNTRY] = "country code|ländervorwahl",
};

/* Words of the Type and Status columns, in English and German. */
static const char *const refund_words[] = {
	"refund", "reversal", "chargeback", "rückzahlung", "erstattung", NULL
};
static const char *const auth_words[] = { "authori", "autoris", NULL };
static const char *const own_words[] = {
	"deposit", "withdraw", "transfer", "conversion", "hold", "reserve",
	"fee", "payout", "bankgutschrift", "umrechnung", NULL
};
static const char *const done_words[] = {
	"refunded", "reversed", "erstattet", NULL
};

/* Whether s holds one of words, ASCII case ignored. */
static int
any_of(const char *s, const char *const *words)
{
	for (; *words != NULL; words++)
		if (payment_contains(s, *words))
			return 1;
	return 0;
}

static int
activity_is(char *const *fields, size_t n)
{
	return payment_header_has(activity_cols[PAYCOL_ID], fields, n) >= 0 &&
	    payment_header_has(activity_cols[PAYCOL_GROSS], fields, n) >= 0;
}

/* The text of column c of the row, in short. */
#define COL(c)	payment_col(r, row, (c))

static int
activity_row(struct payment_reader *r, struct csvread_row *row,
    struct payment_txn *t, struct payment_problem *pb)
{
	const char *type = COL(PAYCOL_TYPE), *status;
	const char *date = COL(PAYCOL_DATE), *time = COL(PAYCOL_TIME);
	int exponent;
	int64_t gross;

	t->provider = "paypal";
	if ((t->id = COL(PAYCOL_ID)) == NULL)
		return payment_fail(pb, "bad_payment", "Transaction ID is "
		    "empty");
	if (payment_set_currency(t, COL(PAYCOL_CURRENCY), pb,
	    &exponent) == -1 || payment_parse_major(COL(PAYCOL_GROSS),
	    exponent, &gross, pb, "Gross") == -1)
		return -1;
	if (COL(PAYCOL_FEE) != NULL && payment_parse_major(COL(PAYCOL_FEE),
	    exponent, &t->fee, pb, "Fee") == -1)
		return -1;
	/* PayPal writes fees negative; a refund's positive fee is one it
	 * gave back, no cost */
	if (t->fee > 0)
		t->fee = 0;
	if (payment_magnitude(&t->fee, t, exponent, pb, "Fee") == -1)
		return -1;
	if (payment_date_time_zone(date, time, COL(PAYCOL_TZ),
	    &t->created) == -1)
		return payment_fail(pb, "bad_time", "Date '%.20s' Time '%.20s' "
		    "is not a time", date ? date : "", time ? time : "");
	if (type == NULL)
		type = "";
	t->amount = gross;
	if (payment_magnitude(&t->amount, t, exponent, pb, "Gross") == -1)
		return -1;
	if (any_of(type, refund_words))
		t->kind = gross < 0 ? PAYMENT_REFUND : PAYMENT_OTHER;
	else if (any_of(type, auth_words))
		t->kind = PAYMENT_CHARGE;
	else if (any_of(type, own_words))
		t->kind = PAYMENT_OTHER;
	else
		t->kind = gross > 0 ? PAYMENT_CHARGE : PAYMENT_OTHER;
	status = COL(PAYCOL_STATUS);
	if (status == NULL || strcasecmp(status, "Completed") == 0 ||
	    strcasecmp(status, "Abgeschlossen") == 0 ||
	    any_of(status, done_words))
		t->state = PAYMENT_SUCCEEDED;
	else if (strcasecmp(status, "Pending") == 0 ||
	    strcasecmp(status, "Ausstehend") == 0 ||
	    strcasecmp(status, "Unclaimed") == 0)
		t->state = PAYMENT_PENDING;
	else
		t->state = PAYMENT_FAILED;
	if (any_of(type, auth_words))
		t->state = t->state == PAYMENT_FAILED ||
		    payment_contains(type, "void") ? PAYMENT_FAILED :
		    PAYMENT_AUTHORIZED;
	t->order_ref = payment_ref_clean(COL(PAYCOL_INVOICE), r->refbuf,
	    sizeof(r->refbuf));
	if (t->order_ref == NULL)
		t->order_ref = payment_ref_clean(COL(PAYCOL_CUSTOM),
		    r->refbuf, sizeof(r->refbuf));
	t->alt_ref = payment_ref_find(COL(PAYCOL_TITLE), r->altbuf,
	    sizeof(r->altbuf));
	t->parent = COL(PAYCOL_PARENT);
	t->email = COL(PAYCOL_EMAIL);
	payment_set_country(t->card_country, COL(PAYCOL_CARD_COUNTRY));
	return 0;
}

static const struct payment_layout activity_layout = {
	&payment_paypal_ops, activity_cols, activity_is, activity_row, NULL
};
static const struct payment_layout *const paypal_layouts[] = {
	&activity_layout, NULL
};

const struct payment_ops payment_paypal_ops = {
	"paypal", "PayPal", paypal_is, paypal_json_txn, paypal_layouts
};
