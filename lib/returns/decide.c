/* decide.c: the decision on a return request and the refund it owes, as
 * pure functions of the order, the request and the policy. */
#include <stdint.h>
#include <stddef.h>

#include "money.h"
#include "returns.h"

static const char *const code_names[RETURNS_NCODES] = {
	"ok", "window_closed", "final_sale", "condition_not_accepted",
	"qty_exceeds_purchase", "not_in_order", "photos_required"
};

const char *
returns_code_name(enum returns_code c)
{
	return code_names[c];
}

int64_t
returns_window_end(const struct returns_policy *p, int64_t delivered,
    enum returns_reason reason)
{
	if (returns_fault(reason))
		return returns_period_end(p, delivered, p->defect_days);
	if (p->window_months > 0)
		return returns_period_end_months(p, delivered,
		    p->window_months);
	return returns_period_end(p, delivered, p->window_days);
}

int
returns_fee_applies(const struct returns_policy *p, int64_t delivered,
    int64_t requested, enum returns_reason reason)
{
	int64_t legal;

	if (returns_fault(reason) || p->restocking_percent == 0)
		return 0;
	if (p->legal_window_months > 0)
		legal = returns_period_end_months(p, delivered,
		    p->legal_window_months);
	else if (p->legal_window_days > 0)
		legal = returns_period_end(p, delivered, p->legal_window_days);
	else
		return 1;
	return requested > legal;
}

enum returns_code
returns_decide_item(const struct returns_policy *p,
    const struct returns_request *rq, const struct returns_item *it)
{
	if (it->bought <= 0)
		return RETURNS_NOT_IN_ORDER;
	if (it->qty > it->bought - it->returned)
		return RETURNS_QTY_EXCEEDS_PURCHASE;
	if (!returns_fault(it->reason)) {
		if (returns_final_sale(p, it->sku, it->category))
			return RETURNS_FINAL_SALE;
		if ((p->conditions & 1u << it->condition) == 0)
			return RETURNS_CONDITION_NOT_ACCEPTED;
	}
	if (rq->requested_day > returns_window_end(p, rq->delivered_day,
	    it->reason))
		return RETURNS_WINDOW_CLOSED;
	if ((p->photos_for & 1u << it->reason) != 0 && !rq->has_photos)
		return RETURNS_PHOTOS_REQUIRED;
	return RETURNS_OK;
}

int64_t
returns_percent(int64_t amount, int percent)
{
	__int128 x = (__int128)amount * percent;

	return (int64_t)((x + 50) / 100);
}

/* a * b / c rounded down, all >= 0 and c > 0: the share of a line. */
static int64_t
share(int64_t a, int64_t b, int64_t c)
{
	return (int64_t)((__int128)a * b / c);
}

int64_t
returns_refund(struct returns_line *lines, size_t n, int64_t discount,
    int64_t shipping, int with_shipping, int percent, int64_t paid,
    int64_t refunded, int64_t *fee, int64_t *ship)
{
	int64_t value = 0, spread = 0, total = 0, feebase = 0, unit, rem;
	int64_t v, avail;
	size_t i;
	int whole = 1;

	*fee = *ship = 0;
	for (i = 0; i < n; i++) {
		if (lines[i].qty < 0 || lines[i].unit_price < 0 ||
		    lines[i].returned < 0 || lines[i].back < 0 ||
		    lines[i].returned + lines[i].back > lines[i].qty ||
		    money_mul(lines[i].qty, lines[i].unit_price, &v) == -1 ||
		    money_add(value, v, &value) == -1)
			return -1;
	}
	if (discount < 0 || discount > value)
		return -1;
	for (i = 0; i < n; i++) {
		v = lines[i].qty * lines[i].unit_price;
		if (i + 1 < n) {
			lines[i].paid = v - (value > 0 ? share(discount, v,
			    value) : 0);
			spread += v - lines[i].paid;
		} else
			lines[i].paid = v - (discount - spread);
		lines[i].refund = 0;
		if (lines[i].back > 0) {
			unit = lines[i].paid / lines[i].qty;
			rem = lines[i].paid - unit * lines[i].qty;
			lines[i].refund = unit * lines[i].back;
			if (lines[i].returned + lines[i].back == lines[i].qty)
				lines[i].refund += rem;
		}
		if (lines[i].returned + lines[i].back < lines[i].qty)
			whole = 0;
		total += lines[i].refund;
		if (lines[i].fee)
			feebase += lines[i].refund;
	}
	*fee = returns_percent(feebase, percent);
	total -= *fee;
	if (whole && with_shipping && shipping > 0) {
		*ship = shipping;
		if (money_add(total, shipping, &total) == -1)
			return -1;
	}
	avail = paid - refunded;
	if (avail < 0)
		avail = 0;
	if (total > avail)
		total = avail;
	return total;
}
