/* rfc3339_test.c: unit tests of lib/rfc3339.h, run under several distant
 * time zones, which must change nothing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rfc3339.h"
#include "unit.h"

struct parse_case {
	const char	*text;
	int		 rc;
	int64_t		 epoch;		/* when rc is 0 */
	int		 offset;
};

static const struct parse_case parse_cases[] = {
	{ "2026-11-20T10:15:00+03:00", 0, 1795158900, 180 },
	{ "2026-11-20T07:15:00Z", 0, 1795158900, 0 },
	{ "2026-11-20t07:15:00z", 0, 1795158900, 0 },
	{ "2026-11-20 07:15:00Z", 0, 1795158900, 0 },
	{ "2026-11-20T07:15:00+00:00", 0, 1795158900, 0 },
	{ "2026-11-20T07:15:00-00:00", 0, 1795158900, 0 },
	{ "2026-11-20T02:15:00-05:00", 0, 1795158900, -300 },
	{ "2026-11-20T03:45:00-03:30", 0, 1795158900, -210 },
	{ "2026-11-20T13:00:00+05:45", 0, 1795158900, 345 },
	{ "2026-11-20T21:15:00+14:00", 0, 1795158900, 840 },
	{ "2026-11-19T20:15:00-11:00", 0, 1795158900, -660 },
	{ "2026-11-21T07:14:00+23:59", 0, 1795158900, 1439 },
	{ "2026-11-20T07:15:00.5Z", 0, 1795158900, 0 },
	{ "2026-11-20T10:15:00.123456789+03:00", 0, 1795158900, 180 },
	{ "2026-11-20T07:15:00.999Z", 0, 1795158900, 0 },
	{ "1970-01-01T00:00:00Z", 0, 0, 0 },
	{ "1970-01-01T03:00:00+03:00", 0, 0, 180 },
	{ "1969-12-31T23:59:59Z", 0, -1, 0 },
	{ "1969-12-31T21:00:00-03:00", 0, 0, -180 },
	{ "1969-07-20T20:17:40Z", 0, -14182940, 0 },
	{ "1900-01-01T00:00:00Z", 0, -2208988800LL, 0 },
	{ "0001-01-01T00:00:00Z", 0, -62135596800LL, 0 },
	{ "9999-12-31T23:59:59Z", 0, 253402300799LL, 0 },
	{ "2024-02-29T12:00:00Z", 0, 1709208000, 0 },
	{ "2000-02-29T00:00:00Z", 0, 951782400, 0 },
	{ "2016-12-31T23:59:60Z", 0, 1483228799, 0 },	/* leap second */
	{ "2017-01-01T02:59:60+03:00", 0, 1483228799, 180 },
	{ "2026-11-20T10:15:60Z", -1, 0, 0 },	/* only at 23:59 UTC */

	/* Dates that do not exist. */
	{ "2026-02-29T12:00:00Z", -1, 0, 0 },
	{ "1900-02-29T12:00:00Z", -1, 0, 0 },
	{ "2026-04-31T12:00:00Z", -1, 0, 0 },
	{ "2026-02-30T12:00:00Z", -1, 0, 0 },
	{ "2026-13-01T12:00:00Z", -1, 0, 0 },
	{ "2026-00-10T12:00:00Z", -1, 0, 0 },
	{ "2026-01-00T12:00:00Z", -1, 0, 0 },
	{ "2026-01-32T12:00:00Z", -1, 0, 0 },
	{ "2026-01-01T24:00:00Z", -1, 0, 0 },
	{ "2026-01-01T23:60:00Z", -1, 0, 0 },
	{ "2026-01-01T23:59:61Z", -1, 0, 0 },

	/* No offset, or a bad one. */
	{ "2026-11-20T10:15:00", -1, 0, 0 },
	{ "2026-11-20T10:15:00.5", -1, 0, 0 },
	{ "2026-11-20", -1, 0, 0 },
	{ "2026-11-20T10:15", -1, 0, 0 },
	{ "2026-11-20T10:15+03:00", -1, 0, 0 },
	{ "2026-11-20T10:15:00+0300", -1, 0, 0 },
	{ "2026-11-20T10:15:00+03", -1, 0, 0 },
	{ "2026-11-20T10:15:00+3:00", -1, 0, 0 },
	{ "2026-11-20T10:15:00+24:00", -1, 0, 0 },
	{ "2026-11-20T10:15:00+03:60", -1, 0, 0 },
	{ "2026-11-20T10:15:00 +03:00", -1, 0, 0 },
	{ "2026-11-20T10:15:00+03:00x", -1, 0, 0 },
	{ "2026-11-20T10:15:00Zx", -1, 0, 0 },
	{ "2026-11-20T10:15:00ZZ", -1, 0, 0 },
	{ "2026-11-20T10:15:00.Z", -1, 0, 0 },
	{ "2026-11-20T10:15:00,5Z", -1, 0, 0 },
	{ "2026-11-20T10:15:00UTC", -1, 0, 0 },

	/* Not a time at all. */
	{ "", -1, 0, 0 },
	{ "Z", -1, 0, 0 },
	{ "2026-11-20X10:15:00Z", -1, 0, 0 },
	{ "2026/11/20T10:15:00Z", -1, 0, 0 },
	{ "2026-1-20T10:15:00Z+00", -1, 0, 0 },
	{ "26-11-20T10:15:00Z", -1, 0, 0 },
	{ "2026-11-20T1O:15:00Z", -1, 0, 0 },
	{ "+026-11-20T10:15:00Z", -1, 0, 0 },
	{ "2026-11-20T10:15:-1Z", -1, 0, 0 },
	{ "Fri, 20 Nov 2026 10:15:00 +0300", -1, 0, 0 },
};

static void
test_parse(const char *zone)
{
	char what[160];
	size_t i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		int64_t epoch = 42;
		int offset = 42;

		snprintf(what, sizeof(what), "TZ=%s rfc3339_parse(\"%s\")",
		    zone, c->text);
		if (!expect_int(what, rfc3339_parse(c->text, &epoch, &offset),
		    c->rc) || c->rc != 0)
			continue;
		snprintf(what, sizeof(what), "TZ=%s rfc3339_parse(\"%s\") epoch",
		    zone, c->text);
		expect_int(what, epoch, c->epoch);
		snprintf(what, sizeof(what),
		    "TZ=%s rfc3339_parse(\"%s\") offset", zone, c->text);
		expect_int(what, offset, c->offset);
	}
}

static void
test_format(const char *zone)
{
	static const struct {
		int64_t		 epoch;
		int		 offset;
		const char	*want;
	} cases[] = {
		{ 1795158900, 180, "2026-11-20T10:15:00+03:00" },
		{ 1795158900, 0, "2026-11-20T07:15:00Z" },
		{ 1795158900, -300, "2026-11-20T02:15:00-05:00" },
		{ 1795158900, -210, "2026-11-20T03:45:00-03:30" },
		{ 1795158900, -30, "2026-11-20T06:45:00-00:30" },
		{ 1795158900, 345, "2026-11-20T13:00:00+05:45" },
		{ 1795158900, 840, "2026-11-20T21:15:00+14:00" },
		{ 1795158900, -1439, "2026-11-19T07:16:00-23:59" },
		{ 0, 0, "1970-01-01T00:00:00Z" },
		{ 0, -60, "1969-12-31T23:00:00-01:00" },
		{ 0, 60, "1970-01-01T01:00:00+01:00" },
		{ -1, 0, "1969-12-31T23:59:59Z" },
		{ -86400, 0, "1969-12-31T00:00:00Z" },
		{ -86401, 0, "1969-12-30T23:59:59Z" },
		{ -14182940, 0, "1969-07-20T20:17:40Z" },
		{ -14182940, -240, "1969-07-20T16:17:40-04:00" },
		{ -2208988800LL, 0, "1900-01-01T00:00:00Z" },
		{ -2208988800LL, -1, "1899-12-31T23:59:00-00:01" },
		{ -62135596800LL, 0, "0001-01-01T00:00:00Z" },
		{ 253402300799LL, 0, "9999-12-31T23:59:59Z" },
		{ 951782400, 0, "2000-02-29T00:00:00Z" },
		{ 951868799, 0, "2000-02-29T23:59:59Z" },
		{ 1709208000, 720, "2024-03-01T00:00:00+12:00" },
	};
	char buf[32], what[160];
	size_t i;
	int64_t epoch;
	int offset;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "TZ=%s rfc3339_format(%jd, %d)",
		    zone, (intmax_t)cases[i].epoch, cases[i].offset);
		expect_str(what, rfc3339_format(cases[i].epoch,
		    cases[i].offset, buf, 26), cases[i].want);
		snprintf(what, sizeof(what),
		    "TZ=%s rfc3339_parse(rfc3339_format(%jd, %d))",
		    zone, (intmax_t)cases[i].epoch, cases[i].offset);
		epoch = offset = 42;
		expect_int(what, rfc3339_parse(buf, &epoch, &offset), 0);
		expect_int(what, epoch, cases[i].epoch);
		expect_int(what, offset, cases[i].offset);
	}
}

/* Every second-of-day and offset step across years before and after 1970
 * reads back as itself. */
static void
test_round_trip(const char *zone)
{
	static const int offsets[] = { -1439, -720, -210, -1, 0, 1, 330,
	    345, 840, 1439 };
	char buf[32], what[160];
	int64_t t, epoch;
	int offset, bad = 0;
	size_t k;

	for (t = -62135596800LL + 86400; t < 253402300799LL - 86400;
	    t += 7777777 + 3607) {
		for (k = 0; k < sizeof(offsets) / sizeof(offsets[0]); k++) {
			rfc3339_format(t, offsets[k], buf, sizeof(buf));
			if (rfc3339_parse(buf, &epoch, &offset) != 0 ||
			    epoch != t || offset != offsets[k]) {
				snprintf(what, sizeof(what),
				    "TZ=%s round trip of %jd, %d via %s", zone,
				    (intmax_t)t, offsets[k], buf);
				expect_int(what, epoch, t);
				if (++bad > 5)
					return;
			}
		}
	}
	snprintf(what, sizeof(what), "TZ=%s round trips", zone);
	expect_int(what, bad, 0);
}

static void
test_days(void)
{
	expect_int("rfc3339_days(1970, 1, 1)", rfc3339_days(1970, 1, 1), 0);
	expect_int("rfc3339_days(1969, 12, 31)", rfc3339_days(1969, 12, 31),
	    -1);
	expect_int("rfc3339_days(2000, 3, 1)", rfc3339_days(2000, 3, 1), 11017);
	expect_int("rfc3339_days(2024, 2, 29)", rfc3339_days(2024, 2, 29),
	    19782);
	expect_int("rfc3339_days(1, 1, 1)", rfc3339_days(1, 1, 1), -719162);
	expect_int("rfc3339_days(1600, 3, 1)", rfc3339_days(1600, 3, 1),
	    -135080);
}

int
main(void)
{
	/* POSIX zone strings, so no tzdata is needed: +14:00 (Kiritimati),
	 * -03:30 with summer time (St John's), -12:00, +05:45. */
	static const char *zones[] = {
		"UTC0", "<+14>-14", "NST3:30NDT,M3.2.0,M11.1.0", "<-12>12",
		"<+0545>-5:45",
	};
	size_t i;

	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		time_t noon = 1795158900;
		struct tm tm;

		setenv("TZ", zones[i], 1);
		tzset();
		/* Prove the zone took: its offset is what the string says. */
		if (localtime_r(&noon, &tm) != NULL && i > 0)
			expect_true(zones[i], tm.tm_gmtoff != 0);
		test_parse(zones[i]);
		test_format(zones[i]);
		test_round_trip(zones[i]);
	}
	test_days();
	return unit_summary("rfc3339");
}
