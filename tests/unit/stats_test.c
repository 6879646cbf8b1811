/* stats_test.c: unit tests of lib/stats.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "rfc3339.h"
#include "stats.h"
#include "unit.h"

static const char *
period_of(const char *t, int tz, enum stats_by by, char *buf)
{
	int64_t epoch;
	int offset;

	if (rfc3339_parse(t, &epoch, &offset) == -1)
		return "bad time";
	return stats_period(epoch, tz, by, buf);
}

static void
test_periods(void)
{
	static const struct {
		const char	*time;
		int		 tz;
		enum stats_by	 by;
		const char	*want;
	} cases[] = {
		{ "2026-03-30T22:30:00Z", 0, STATS_DAY, "2026-03-30" },
		{ "2026-03-30T22:30:00Z", 180, STATS_DAY, "2026-03-31" },
		{ "2026-03-31T00:30:00+03:00", -300, STATS_DAY, "2026-03-30" },
		{ "2026-03-30T00:00:00Z", 0, STATS_WEEK, "2026-W14" },
		{ "2026-04-05T23:59:59Z", 0, STATS_WEEK, "2026-W14" },
		{ "2026-04-05T22:00:00Z", 180, STATS_WEEK, "2026-W15" },
		{ "2026-01-01T12:00:00Z", 0, STATS_WEEK, "2026-W01" },
		/* a Friday: the last week of the year before */
		{ "2027-01-01T12:00:00Z", 0, STATS_WEEK, "2026-W53" },
		/* a Monday: the first week of the year after */
		{ "2024-12-30T12:00:00Z", 0, STATS_WEEK, "2025-W01" },
		{ "2021-01-03T12:00:00Z", 0, STATS_WEEK, "2020-W53" },
		{ "1969-12-31T12:00:00Z", 0, STATS_WEEK, "1970-W01" },
		{ "2026-03-31T23:00:00Z", 180, STATS_MONTH, "2026-04" },
		{ "2026-03-31T23:00:00Z", 0, STATS_MONTH, "2026-03" },
	};
	char buf[16], what[96];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "%s in %+d by %s", cases[i].time,
		    cases[i].tz, stats_by_name(cases[i].by));
		expect_str(what, period_of(cases[i].time, cases[i].tz,
		    cases[i].by, buf), cases[i].want);
	}
}

static void
test_arithmetic(void)
{
	char buf[32];

	expect_str("2 of 3", stats_percent(2, 3, buf), "66.67");
	expect_str("1 of 3", stats_percent(1, 3, buf), "33.33");
	expect_str("1 of 8, half up", stats_percent(1, 8, buf), "12.50");
	expect_str("1 of 1", stats_percent(1, 1, buf), "100.00");
	expect_str("1 of 20000, half up", stats_percent(1, 20000, buf), "0.01");
	expect_str("1 of 20001", stats_percent(1, 20001, buf), "0.00");
	expect_str("0 of 0", stats_percent(0, 0, buf), "0.00");
	expect_int("5 / 2 half up", stats_div(5, 2), 3);
	expect_int("7 / 3", stats_div(7, 3), 2);
	expect_int("-5 / 2 half up", stats_div(-5, 2), -2);
	expect_int("x / 0", stats_div(7, 0), 0);
}

static void
test_sample(void)
{
	struct stats_sample s;
	int i;

	memset(&s, 0, sizeof(s));
	expect_int("an empty sample's median", stats_sample_rank(&s, 50), 0);
	for (i = 10; i >= 1; i--)
		stats_sample_add(&s, i);
	expect_int("p50 of 1..10", stats_sample_rank(&s, 50), 5);
	expect_int("p90 of 1..10", stats_sample_rank(&s, 90), 9);
	expect_int("p91 of 1..10", stats_sample_rank(&s, 91), 10);
	expect_int("max of 1..10", stats_sample_rank(&s, 100), 10);
	expect_int("exact", stats_sample_approx(&s), 0);
	stats_sample_add(&s, 0);
	expect_int("p50 of 0..10", stats_sample_rank(&s, 50), 5);
	stats_sample_release(&s);
	stats_sample_add(&s, 3600);
	stats_sample_add(&s, 7200);
	expect_int("p50 of two", stats_sample_rank(&s, 50), 3600);
	expect_int("p90 of two", stats_sample_rank(&s, 90), 7200);
	stats_sample_release(&s);
}

static void
merge(struct stats_orders *o, const char *text)
{
	json_t *rec = json_loads(text, 0, NULL);

	if (rec == NULL || stats_orders_merge(o, rec) == -1)
		expect_true(text, 0);
	json_decref(rec);
}

static void
test_merge(void)
{
	static const char *const fields[] = { "items.sku" };
	struct stats_orders o;
	const struct stats_order *x;
	int64_t t;
	int offset;

	stats_orders_init(&o, fields, 1);
	/* the newest line first: an older one fills gaps, wins nothing */
	merge(&o, "{\"id\":\"A\",\"payment\":{\"status\":\"paid\"},"
	    "\"status_history\":[{\"status\":\"validated\",\"at\":"
	    "\"2026-03-30T07:05:00Z\"},{\"status\":\"paid\",\"at\":"
	    "\"2026-03-30T08:00:00Z\"}]}");
	merge(&o, "{\"id\":\"A\",\"currency\":\"RUB\",\"payment\":{\"status\":"
	    "\"pending\",\"provider\":\"yookassa\"},\"items\":[{\"sku\":\"X\"},"
	    "{\"sku\":\"Y\"}],\"status_history\":[{\"status\":\"validated\","
	    "\"at\":\"2026-03-30T10:05:00+03:00\"}]}");
	merge(&o, "{\"id\":\"B\",\"rejected_by\":\"order-validate\","
	    "\"errors\":[{\"code\":\"bad_qty\"},{\"code\":\"bad_qty\"}]}");
	expect_int("two orders", o.n, 2);
	x = &o.v[0];
	expect_str("the newest payment status", x->paystatus, "paid");
	expect_str("the provider from an older line", x->provider,
	    "yookassa");
	expect_str("the currency from an older line", x->currency, "RUB");
	expect_str("the latest status", x->status, "paid");
	rfc3339_parse("2026-03-30T08:00:00Z", &t, &offset);
	expect_true("paid at", x->reached[STATS_PAID] == t);
	expect_int("the SKUs", x->nskus, 2);
	expect_int("the --group-by values",
	    json_array_size(json_array_get(x->dims, 0)), 2);
	expect_int("a reject's code once", o.v[1].nrejects, 1);
	expect_str("its step", o.v[1].rejects[0].step, "order-validate");
	stats_orders_release(&o);
}

int
main(void)
{
	test_periods();
	test_arithmetic();
	test_sample();
	test_merge();
	return unit_summary("stats");
}
