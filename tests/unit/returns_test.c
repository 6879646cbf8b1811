/* returns_test.c: unit tests of lib/returns.h: the calendar, the decision
 * and the refund arithmetic; lib/returnsrecv.h: the units a return
 * announced against those that came. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "returns.h"
#include "returnsrecv.h"
#include "rfc3339.h"
#include "unit.h"

static int64_t
day(int y, int m, int d)
{
	return rfc3339_days(y, m, d);
}

static void
test_calendar(void)
{
	struct returns_policy p;
	char buf[16];

	returns_policy_defaults(&p, "EU", 1);
	/* 2026-12-05 is a Saturday, 12-06 a Sunday. */
	expect_int("saturday off", returns_day_off(&p, day(2026, 12, 5)), 1);
	expect_int("sunday off", returns_day_off(&p, day(2026, 12, 6)), 1);
	expect_int("monday on", returns_day_off(&p, day(2026, 12, 7)), 0);
	expect_int("period ending on a saturday moves to monday",
	    returns_period_end(&p, day(2026, 11, 21), 14), day(2026, 12, 7));
	expect_int("period ending on a weekday stays",
	    returns_period_end(&p, day(2026, 11, 20), 14), day(2026, 12, 4));
	p.holidays = malloc(sizeof(*p.holidays));
	p.holidays[0] = day(2026, 12, 7);
	p.nholidays = 1;
	expect_int("a holiday after the weekend moves it on",
	    returns_period_end(&p, day(2026, 11, 21), 14), day(2026, 12, 8));
	returns_policy_release(&p);
	returns_policy_defaults(&p, "RU", 0);
	expect_int("3 months from the 30th of November end on the last of "
	    "February, moved to Monday", returns_period_end_months(&p,
	    day(2026, 11, 30), 3), day(2027, 3, 1));
	expect_str("day format", returns_day_format(day(2026, 2, 28), buf,
	    sizeof(buf)), "2026-02-28");
	expect_int("local day east of UTC", returns_local_day(
	    1764878400 /* 2025-12-04T20:00:00Z */, 300), day(2025, 12, 5));
	expect_int("local day before 1970", returns_local_day(-1, 0), -1);
}

static void
test_defaults(void)
{
	struct returns_policy p;

	returns_policy_defaults(&p, "RU", 1);
	expect_int("RU window", p.window_days, 7);
	expect_int("RU refund", p.refund_days, 10);
	expect_int("RU no used", p.conditions & 1u << RETURNS_USED, 0);
	returns_policy_defaults(&p, "DE", 1);
	expect_str("DE is EU", p.country, "EU");
	expect_int("EU window", p.window_days, 14);
	expect_true("EU takes damaged", p.conditions & 1u << RETURNS_DAMAGED);
	returns_policy_defaults(&p, "UA", 1);
	expect_int("UA window", p.window_days, 14);
	expect_int("UA refund from receipt", p.refund_from_receipt, 1);
}

static void
test_load(void)
{
	static const char text[] = "[shop]\ncountry = RU\n[returns]\n"
	    "window_days = 30\nfinal_sale = SALE-*, category:underwear\n"
	    "restocking_fee_percent = 10\nholidays = 2027-01-01,2026-12-31\n"
	    "conditions = unused\n";
	struct returns_policy p;
	struct conf *c;
	char err[128];

	c = conf_parse("t.conf", text, strlen(text), err, sizeof(err));
	returns_policy_load(&p, c, NULL);
	expect_int("window set", p.window_days, 30);
	expect_int("legal window kept", p.legal_window_days, 7);
	expect_int("fee", p.restocking_percent, 10);
	expect_int("holidays", (int)p.nholidays, 2);
	expect_true("holidays sorted", p.holidays[0] < p.holidays[1]);
	expect_int("glob", returns_final_sale(&p, "SALE-1", NULL), 1);
	expect_int("glob miss", returns_final_sale(&p, "TEE", NULL), 0);
	expect_int("category", returns_final_sale(&p, "BRA", "underwear"), 1);
	expect_int("conditions", (int)p.conditions, 1 << RETURNS_UNUSED);
	returns_policy_release(&p);
	conf_free(c);
}

static void
test_decide(void)
{
	struct returns_policy p;
	struct returns_request rq = { day(2026, 11, 20), 0, 0 };
	struct returns_item it = { "TEE", NULL, 1, RETURNS_CHANGED_MIND,
	    RETURNS_UNUSED, 2, 0 };

	returns_policy_defaults(&p, "EU", 1);
	/* Delivered Friday 11-20: 14 days end Friday 12-04. */
	rq.requested_day = day(2026, 12, 4);
	expect_str("the last day counts", returns_code_name(
	    returns_decide_item(&p, &rq, &it)), "ok");
	rq.requested_day = day(2026, 12, 5);
	expect_str("the day after is closed", returns_code_name(
	    returns_decide_item(&p, &rq, &it)), "window_closed");
	it.reason = RETURNS_DEFECTIVE;
	expect_str("a defect has its own window", returns_code_name(
	    returns_decide_item(&p, &rq, &it)), "ok");
	it.reason = RETURNS_CHANGED_MIND;
	rq.requested_day = day(2026, 11, 25);
	it.qty = 2;
	it.returned = 1;
	expect_str("more than is left", returns_code_name(
	    returns_decide_item(&p, &rq, &it)), "qty_exceeds_purchase");
	it.qty = 1;
	it.bought = 0;
	expect_str("not bought", returns_code_name(
	    returns_decide_item(&p, &rq, &it)), "not_in_order");
	it.bought = 2;
	it.reason = RETURNS_DAMAGED_IN_TRANSIT;
	expect_str("photos", returns_code_name(
	    returns_decide_item(&p, &rq, &it)), "photos_required");
	rq.has_photos = 1;
	expect_str("photos given", returns_code_name(
	    returns_decide_item(&p, &rq, &it)), "ok");
	returns_policy_defaults(&p, "RU", 1);
	it.reason = RETURNS_CHANGED_MIND;
	it.condition = RETURNS_USED;
	expect_str("RU: used is not accepted", returns_code_name(
	    returns_decide_item(&p, &rq, &it)), "condition_not_accepted");
	it.reason = RETURNS_DEFECTIVE;
	expect_str("RU: a used defective one is", returns_code_name(
	    returns_decide_item(&p, &rq, &it)), "ok");
	p.final_sale = malloc(sizeof(*p.final_sale));
	p.final_sale[0] = strdup("TE*");
	p.nfinal_sale = 1;
	expect_str("final sale with a defect", returns_code_name(
	    returns_decide_item(&p, &rq, &it)), "ok");
	it.reason = RETURNS_CHANGED_MIND;
	it.condition = RETURNS_UNUSED;
	expect_str("final sale without", returns_code_name(
	    returns_decide_item(&p, &rq, &it)), "final_sale");
	returns_policy_release(&p);
	/* Fees only beyond the law's 14 days. */
	returns_policy_defaults(&p, "EU", 1);
	p.window_days = 30;
	p.restocking_percent = 10;
	expect_int("no fee within the legal window", returns_fee_applies(&p,
	    day(2026, 11, 20), day(2026, 12, 4), RETURNS_CHANGED_MIND), 0);
	expect_int("fee beyond", returns_fee_applies(&p, day(2026, 11, 20),
	    day(2026, 12, 7), RETURNS_CHANGED_MIND), 1);
	expect_int("never for a fault", returns_fee_applies(&p,
	    day(2026, 11, 20), day(2026, 12, 7), RETURNS_WRONG_ITEM), 0);
}

static void
test_refund(void)
{
	/* 2 x 1000 and 1 x 1001, discount 1000: value 3001; line 1 gets
	 * floor(1000 * 2000 / 3001) = 666, line 2 the rest, 334. */
	struct returns_line l[2] = {
		{ 2, 1000, 0, 1, 0, 0, 0 },
		{ 1, 1001, 0, 0, 0, 0, 0 },
	};
	int64_t fee, ship, r;

	r = returns_refund(l, 2, 1000, 500, 1, 0, 3501, 0, &fee, &ship);
	expect_int("line 1 paid", l[0].paid, 1334);
	expect_int("line 2 paid", l[1].paid, 667);
	expect_int("first unit", r, 667);
	expect_int("no shipping on a part", ship, 0);
	l[0].returned = 1;
	l[0].back = 1;
	l[1].back = 1;
	r = returns_refund(l, 2, 1000, 500, 1, 0, 3501, 667, &fee, &ship);
	expect_int("the rest and the shipping", r, 667 + 667 + 500);
	expect_int("shipping", ship, 500);
	r = returns_refund(l, 2, 1000, 500, 0, 0, 3501, 667, &fee, &ship);
	expect_int("without shipping", r, 667 + 667);
	/* Units: 1000 over 3 units is 333, 333, 334. */
	{
		struct returns_line u = { 3, 0, 0, 2, 1, 0, 0 };

		u.unit_price = 1000;
		r = returns_refund(&u, 1, 2000, 0, 0, 0, 1000, 0, &fee, &ship);
		expect_int("two of three units", r, 666);
		u.returned = 2;
		u.back = 1;
		r = returns_refund(&u, 1, 2000, 0, 0, 0, 1000, 666, &fee, &ship);
		expect_int("the last unit takes the remainder", r, 334);
		u.returned = 0;
		u.back = 3;
		u.fee = 1;
		r = returns_refund(&u, 1, 0, 0, 0, 15, 3000, 0, &fee, &ship);
		expect_int("fee 15% of 3000", fee, 450);
		expect_int("refund less the fee", r, 2550);
		expect_int("half up", returns_percent(5, 10), 1);
		expect_int("below half down", returns_percent(4, 10), 0);
		r = returns_refund(&u, 1, 0, 0, 0, 0, 3000, 2900, &fee, &ship);
		expect_int("never more than is left of what was paid", r, 100);
		u.back = 4;
		r = returns_refund(&u, 1, 0, 0, 0, 0, 3000, 0, &fee, &ship);
		expect_int("more units back than bought", r, -1);
	}
}

static void
test_records(void)
{
	static const char order_text[] = "{\"id\":\"S\",\"items\":["
	    "{\"sku\":\"TEE\",\"qty\":2,\"unit_price\":1000},"
	    "{\"sku\":\"MUG\",\"qty\":1,\"unit_price\":1001}],"
	    "\"totals\":{\"shipping\":500,\"discount\":1000,"
	    "\"total\":2501},\"reservation\":{\"lines\":[{\"sku\":"
	    "\"MUG\",\"warehouse\":\"SPB\",\"qty\":1}]}}";
	struct returns_policy p;
	struct returns_counts c = { NULL, 0 };
	json_t *order, *items, *errors, *ret, *received, *came, *review;
	int64_t fee, ship, amount;

	returns_policy_defaults(&p, "EU", 1);
	order = json_loads(order_text, 0, NULL);
	expect_int("bought", returns_bought(order, "TEE"), 2);
	expect_str("warehouse", returns_warehouse(order, "MUG"), "SPB");
	items = json_loads("[{\"sku\":\"TEE\",\"qty\":1,\"reason\":"
	    "\"changed_mind\"},{\"sku\":\"MUG\",\"qty\":1,\"reason\":"
	    "\"defective\"}]", 0, NULL);
	returns_counts_add(&c, "TEE", "approved", 1);
	returns_counts_add(&c, "TEE", "needs_review", 0);
	amount = returns_order_refund(&p, order, items, &c, 667, 0, 0, 1,
	    &fee, &ship);
	expect_int("the last tee, the mug and the shipping", amount,
	    667 + 667 + 500);
	expect_int("the tee's refund", json_integer_value(json_object_get(
	    json_array_get(items, 0), "refund")), 667);
	expect_int("shipping", ship, 500);
	ret = json_pack("{s:I,s:I,s:O}", "amount", (json_int_t)amount,
	    "shipping_refund", (json_int_t)500, "items", items);
	received = json_pack("{s:i}", "TEE", 1);
	came = json_loads("[{\"sku\":\"TEE\",\"qty\":1,\"condition\":"
	    "\"damaged\"}]", 0, NULL);
	json_object_set_new(json_array_get(items, 0), "condition",
	    json_string("unused"));
	json_object_set_new(json_array_get(items, 1), "condition",
	    json_string("unused"));
	review = json_array();
	expect_int("the mug did not come: its share and the shipping go",
	    returns_receipt_refund(&p, ret, received, came, review), 667);
	expect_int("EU: the damaged tee is a person's", (int)json_array_size(
	    review), 1);
	errors = json_array();
	expect_int("a receipt without rma", returns_check_receipt(came,
	    errors), -1);
	expect_int("its errors", (int)json_array_size(errors), 3);
	returns_counts_release(&c);
	json_decref(errors);
	json_decref(review);
	json_decref(came);
	json_decref(received);
	json_decref(ret);
	json_decref(items);
	json_decref(order);
}

static void
test_identity(void)
{
	json_t *a = json_loads("{\"requested_at\":\"T\",\"items\":["
	    "{\"sku\":\"B\",\"qty\":1},{\"sku\":\"A\",\"qty\":2}]}", 0,
	    NULL);
	json_t *b = json_loads("{\"requested_at\":\"T\",\"items\":["
	    "{\"sku\":\"A\",\"qty\":2},{\"sku\":\"B\",\"qty\":1}]}", 0,
	    NULL);
	char *ka = returns_request_key("S", a), *kb = returns_request_key("S", b);
	char *r1 = returns_rma("S", ka), *r2 = returns_rma("S", kb);
	int off;

	expect_str("items in any order are one request", ka, kb);
	expect_str("one RMA", r1, r2);
	expect_int("RMA form", (int)strlen(r1), (int)strlen("RMA-S-12345678"));
	expect_int("offset", returns_tz_offset("+03:00", 0, &off), 0);
	expect_int("offset minutes", off, 180);
	expect_int("no zone is UTC", returns_tz_offset(NULL, 0, &off) == 0 &&
	    off == 0, 1);
	expect_int("a bad offset", returns_tz_offset("+3", 0, &off), -1);
	free(ka);
	free(kb);
	free(r1);
	free(r2);
	json_decref(a);
	json_decref(b);
}

static void
test_announced(void)
{
	struct returns_announced_list l = { NULL, 0 };
	json_t *got;

	returns_announced_add(&l, "A", 3, 1);
	returns_announced_add(&l, "B", 1, 0);
	expect_int("units left", returns_announced_take(&l, "A", 2), 0);
	expect_int("none left of A", returns_announced_take(&l, "A", 1), -1);
	expect_int("an SKU not announced", returns_announced_take(&l, "C",
	    1), -1);
	expect_int("no SKU", returns_announced_take(&l, NULL, 1), -1);
	got = returns_announced_received(&l);
	expect_int("A received in all", (int)json_integer_value(
	    json_object_get(got, "A")), 3);
	expect_int("B received in all", (int)json_integer_value(
	    json_object_get(got, "B")), 0);
	json_decref(got);
	returns_announced_release(&l);
	expect_int("released", (int)l.n, 0);
}

int
main(void)
{
	test_calendar();
	test_defaults();
	test_load();
	test_decide();
	test_refund();
	test_records();
	test_identity();
	test_announced();
	return unit_summary("returns");
}
