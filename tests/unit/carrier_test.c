/* carrier_test.c: unit tests of lib/carrier.h: carriers' names, their
 * times (Nova Poshta's Kyiv time included), settling events, the query
 * string and HMAC helpers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carrier.h"
#include "unit.h"

/* Its static functions (kyiv_offset, np_time, phone_digits) are tested
 * directly. */
#include "../../lib/carrier/novaposhta.c"

static void
test_names(void)
{
	static const struct {
		const char *written, *name;
	} cases[] = {
		{ "Nova Poshta", "novaposhta" },
		{ "nova-poshta", "novaposhta" },
		{ "Нова Пошта", "novaposhta" },
		{ "НОВА ПОШТА", "novaposhta" },
		{ "np", "novaposhta" },
		{ "СДЭК", "cdek" },
		{ "CDEK", "cdek" },
		{ "Почта России", "russianpost" },
		{ "russian-post", "russianpost" },
		{ "DHL Express", "dhl" },
		{ " Royal Mail ", "royal-mail" },
		{ "UPS", "ups" },
	};
	char *got, what[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = carrier_canonical(cases[i].written);
		snprintf(what, sizeof(what), "canonical '%s'", cases[i].written);
		expect_str(what, got, cases[i].name);
		free(got);
	}
	expect_str("slug of novaposhta", carrier_slug("novaposhta"),
	    "nova-poshta");
	expect_str("slug of ups", carrier_slug("ups"), "ups");
	expect_str("status name", carrier_status_name(CARRIER_FAILED_ATTEMPT),
	    "failed_attempt");
	expect_int("status parse", carrier_status_parse("return_to_sender"),
	    CARRIER_RETURN_TO_SENDER);
	expect_int("not a status", carrier_status_parse("lost"), CARRIER_NONE);
	expect_int("delivered is final", carrier_status_final(
	    CARRIER_DELIVERED), 1);
	expect_int("exception is not", carrier_status_final(
	    CARRIER_EXCEPTION), 0);
}

static void
test_times(void)
{
	static const struct {
		const char *s;
		int def, rc;
		int64_t epoch;
		int offset;
	} cases[] = {
		{ "2026-11-20T10:15:00+03:00", 0, 0, 1795158900, 180 },
		{ "2026-11-20T14:15:00+0700", 0, 0, 1795158900, 420 },
		{ "2026-11-20T02:15:00-0500", 0, 0, 1795158900, -300 },
		{ "2026-11-20T07:15:00Z", 0, 0, 1795158900, 0 },
		{ "2026-11-20T07:15:00.123Z", 0, 0, 1795158900, 0 },
		{ "2026-11-20T10:15:00", 180, 0, 1795158900, 180 },
		{ "2026-11-20 10:15:00", 180, 0, 1795158900, 180 },
		{ "2026-11-20T10:15:00.5", 180, 0, 1795158900, 180 },
		{ "2026-11-20", 0, -1, 0, 0 },
		{ "2026-11-20T10:15:00 garbage", 0, -1, 0, 0 },
		{ "yesterday", 0, -1, 0, 0 },
	};
	int64_t epoch;
	int offset, rc;
	char what[80];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		epoch = 0;
		offset = 0;
		rc = carrier_time(cases[i].s, cases[i].def, &epoch, &offset);
		snprintf(what, sizeof(what), "time '%s'", cases[i].s);
		expect_int(what, rc, cases[i].rc);
		if (rc == 0 && cases[i].rc == 0) {
			expect_int(what, epoch, cases[i].epoch);
			expect_int(what, offset, cases[i].offset);
		}
	}
	expect_int("a NULL time", carrier_time(NULL, 0, &epoch, &offset), -1);
}

static void
test_kyiv(void)
{
	int64_t epoch;
	int offset;
	char *s;

	/* Summer time 2026: 29 March 01:00 UTC to 25 October 01:00 UTC. */
	expect_int("winter", kyiv_offset(2026, 1, 15, 12, 0), 120);
	expect_int("summer", kyiv_offset(2026, 7, 15, 12, 0), 180);
	expect_int("29 March, 02:59", kyiv_offset(2026, 3, 29, 2, 59), 120);
	expect_int("29 March, 04:00", kyiv_offset(2026, 3, 29, 4, 0), 180);
	expect_int("28 March", kyiv_offset(2026, 3, 28, 12, 0), 120);
	expect_int("25 October, 02:59", kyiv_offset(2026, 10, 25, 2, 59), 180);
	expect_int("25 October, 04:00", kyiv_offset(2026, 10, 25, 4, 0), 120);
	expect_int("31 March 2024 was the day", kyiv_offset(2024, 3, 31, 5, 0),
	    180);
	expect_int("24 March 2024 was not", kyiv_offset(2024, 3, 24, 5, 0),
	    120);
	expect_int("np_time, ISO", np_time("2026-07-15 14:20:05", &epoch,
	    &offset), 0);
	expect_int("its offset", offset, 180);
	expect_int("its epoch", epoch, 1784114405);
	expect_int("np_time, dotted", np_time("20.11.2026 10:05:00", &epoch,
	    &offset), 0);
	expect_int("its offset", offset, 120);
	expect_int("np_time, empty", np_time("", &epoch, &offset), -1);
	s = phone_digits("+380 (50) 123-45-67");
	expect_str("phone", s, "380501234567");
	free(s);
	s = phone_digits("067 765 43 21");
	expect_str("national phone", s, "380677654321");
	free(s);
}

static void
test_settle(void)
{
	struct carrier_parcel p;
	struct carrier_event *e;

	memset(&p, 0, sizeof(p));
	e = carrier_event_add(&p);
	e->has_time = 1, e->at = 300, e->status = CARRIER_DELIVERED;
	carrier_set(&e->code, "C");
	e = carrier_event_add(&p);
	e->has_time = 1, e->at = 100, e->status = CARRIER_PRE_TRANSIT;
	carrier_set(&e->code, "A");
	e = carrier_event_add(&p);
	e->has_time = 1, e->at = 200, e->status = CARRIER_IN_TRANSIT;
	carrier_set(&e->code, "B");
	carrier_settle(&p, CARRIER_NONE);
	expect_int("tracked", p.outcome, CARRIER_TRACKED);
	expect_str("oldest first", p.events[0].code, "A");
	expect_str("then", p.events[1].code, "B");
	expect_str("latest last", p.events[2].code, "C");
	expect_int("now is the latest", p.now.status, CARRIER_DELIVERED);
	carrier_settle(&p, CARRIER_EXCEPTION);
	expect_int("the carrier's own status wins", p.now.status,
	    CARRIER_EXCEPTION);
	carrier_parcel_release(&p);
	expect_int("released", p.nevents, 0);
	carrier_reject(&p, "unknown_tracking_number", "not %s", "found");
	expect_str("reject code", p.error_code, "unknown_tracking_number");
	expect_str("reject message", p.error, "not found");
	carrier_parcel_release(&p);
}

static void
test_helpers(void)
{
	static const struct carrier_code t[] = {
		{ "A", CARRIER_IN_TRANSIT },
	};
	unsigned char mac[32];
	char hex[65], b64[45], *v;

	expect_int("mapped", carrier_map(t, 1, "A"), CARRIER_IN_TRANSIT);
	expect_int("unmapped", carrier_map(t, 1, "Z"), CARRIER_UNKNOWN);
	v = carrier_query_param("a=1&token=s%3Dx+y&b", "token");
	expect_str("query param", v, "s=x y");
	free(v);
	expect_true("absent", carrier_query_param("tokens=1", "token") ==
	    NULL);
	expect_true("no query", carrier_query_param(NULL, "token") == NULL);
	/* RFC 4231, test case 2. */
	carrier_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28,
	    mac);
	carrier_hex(mac, 32, hex);
	expect_str("HMAC-SHA256", hex, "5bdcc146bf60754e6a042426089575c7"
	    "5a003f089d2739839dec58b964ec3843");
	carrier_base64(mac, b64);
	expect_str("base64", b64,
	    "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
	expect_int("equal", carrier_equal("abc", "abc"), 1);
	expect_int("differ", carrier_equal("abc", "abd"), 0);
	expect_int("differ in length", carrier_equal("abc", "abcd"), 0);
}

static void
test_shipment(void)
{
	static const char *const parcels[] = {
		"{\"amount\":25400,\"currency\":\"RUB\"}",
		"{\"amount\":300,\"currency\":\"RUB\"}",
		"{\"amount\":300,\"currency\":\"USD\"}",
		"{\"amount\":9223372036854775000,\"currency\":\"RUB\"}",
	};
	json_t *r[4], *s;
	char *text;
	size_t i;

	for (i = 0; i < 4; i++)
		r[i] = json_pack("{s:s,s:s,s:s,s:{s:i,s:o}}", "carrier",
		    "cdek", "service", "137", "booked_at", "2026-11-20T12:00:00Z",
		    "parcel", "n", (int)i + 1, "cost", json_loads(parcels[i], 0,
		    NULL));
	s = carrier_shipment(r, 2);
	text = json_dumps(s, JSON_COMPACT | JSON_PRESERVE_ORDER);
	expect_str("two parcels: their costs summed", text,
	    "{\"carrier\":\"cdek\",\"service\":\"137\","
	    "\"booked_at\":\"2026-11-20T12:00:00Z\",\"cost\":{\"amount\":"
	    "25700,\"currency\":\"RUB\"},\"parcels\":[{\"n\":1,\"cost\":"
	    "{\"amount\":25400,\"currency\":\"RUB\"}},{\"n\":2,\"cost\":"
	    "{\"amount\":300,\"currency\":\"RUB\"}}]}");
	free(text);
	json_decref(s);
	s = carrier_shipment(r + 1, 2);
	expect_true("two currencies: no cost", json_object_get(s, "cost") ==
	    NULL);
	json_decref(s);
	json_decref(r[2]);
	r[2] = r[0];
	s = carrier_shipment(r + 2, 2);
	expect_true("beyond 64 bits: no cost", json_object_get(s, "cost") ==
	    NULL);
	expect_int("the parcels all the same",
	    (int)json_array_size(json_object_get(s, "parcels")), 2);
	json_decref(s);
	json_decref(r[0]);
	json_decref(r[1]);
	json_decref(r[3]);
}

static void
test_cod(void)
{
	static const struct {
		const char *order;
		int64_t due;
	} cases[] = {
		{ "{\"status\":\"cod\",\"totals\":{\"total\":289800}}",
		    289800 },
		{ "{\"status\":\"cod\",\"totals\":{\"total\":289800},"
		    "\"payment\":{\"paid\":100000}}", 189800 },
		{ "{\"status\":\"cod\",\"totals\":{\"total\":1000},"
		    "\"payment\":{\"paid\":1000}}", 0 },
		{ "{\"status\":\"paid\",\"totals\":{\"total\":1000}}", 0 },
		{ "{\"status\":\"cod\",\"totals\":{\"total\":\"10\"}}", 0 },
	};
	json_t *o;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o = json_loads(cases[i].order, 0, NULL);
		expect_int(cases[i].order, carrier_cod_due(o), cases[i].due);
		json_decref(o);
	}
}

int
main(void)
{
	test_names();
	test_times();
	test_kyiv();
	test_settle();
	test_helpers();
	test_shipment();
	test_cod();
	return unit_summary("carrier");
}
