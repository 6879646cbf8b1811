/* track_test.c: unit tests of lib/track.h (what a carrier's answer adds to
 * what the store knew, an order's status, the tracking section) and of
 * the adapters of a run (carrier_list, carrier_track()). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "carrier.h"
#include "conf.h"
#include "http.h"
#include "jsonx.h"
#include "track.h"
#include "tracking.h"
#include "unit.h"
#include "xalloc.h"

/* 2026-11-20T10:00:00Z and an hour, a day later. */
#define T0	1795168800
#define HOUR	3600

static void
event(struct carrier_parcel *cp, enum carrier_status s, int64_t at,
    const char *code)
{
	struct carrier_event *e = carrier_event_add(cp);

	e->status = s;
	e->has_time = at != INT64_MIN;
	e->at = at;
	e->offset = 180;
	carrier_set(&e->code, code);
	carrier_set(&e->text, code);
}

static void
stored(struct tracking_parcel *old, const char *status, int64_t at)
{
	memset(old, 0, sizeof(*old));
	old->printed_at = INT64_MIN;
	if (status != NULL) {
		old->status = xstrdup(status);
		old->has_event = 1;
		old->event_at = old->printed_at = at;
		old->event_seq = 1;
	}
}

static void
test_news(void)
{
	struct tracking_parcel p = { 0 }, old, n;
	struct carrier_parcel cp = { 0 };
	char buf[40];

	p.carrier = "cdek";
	p.number = "1106207236";
	p.record_key = "SHOP-1";

	/* First news: a change, the latest event its time. */
	stored(&old, NULL, 0);
	event(&cp, CARRIER_PRE_TRANSIT, T0, "CREATED");
	event(&cp, CARRIER_IN_TRANSIT, T0 + HOUR, "SENT");
	carrier_settle(&cp, CARRIER_NONE);
	expect_int("first news", track_news(&p, &old, &cp, T0 + 9 * HOUR,
	    &n, buf, sizeof(buf)), TRACK_CHANGE);
	expect_str("status", n.status, "in_transit");
	expect_str("time, the event's offset", n.time,
	    "2026-11-20T14:00:00+03:00");
	expect_int("event_at", n.event_at, T0 + HOUR);
	expect_int("printed_at", n.printed_at, T0 + HOUR);
	expect_int("event_seq", n.event_seq, 1);
	expect_str("record key", n.record_key, "SHOP-1");
	expect_str("code", n.code, "SENT");
	expect_int("not final", n.final, 0);
	tracking_parcel_release(&old);

	/* The same answer again: nothing. */
	stored(&old, "in_transit", T0 + HOUR);
	old.record_key = xstrdup("SHOP-OLD");
	expect_int("the same again", track_news(&p, &old, &cp, T0, &n, buf,
	    sizeof(buf)), TRACK_NOTHING);

	/* A new event, the status the same: quiet; the store's key wins. */
	event(&cp, CARRIER_IN_TRANSIT, T0 + 2 * HOUR, "SENT");
	carrier_settle(&cp, CARRIER_NONE);
	expect_int("new event, same status", track_news(&p, &old, &cp, T0,
	    &n, buf, sizeof(buf)), TRACK_QUIET);
	expect_int("quiet: event_seq", n.event_seq, 2);
	expect_str("the store's record key", n.record_key, "SHOP-OLD");

	/* Two failed attempts at once count two. */
	event(&cp, CARRIER_FAILED_ATTEMPT, T0 + 3 * HOUR, "NOT_HOME");
	event(&cp, CARRIER_FAILED_ATTEMPT, T0 + 4 * HOUR, "NOT_HOME");
	carrier_settle(&cp, CARRIER_NONE);
	expect_int("failed attempts", track_news(&p, &old, &cp, T0, &n, buf,
	    sizeof(buf)), TRACK_CHANGE);
	expect_int("two attempts", n.failed_attempts, 2);
	tracking_parcel_release(&old);

	/* Older news than the store has: nothing, whatever it says. */
	stored(&old, "delivered", T0 + 10 * HOUR);
	expect_int("older news", track_news(&p, &old, &cp, T0, &n, buf,
	    sizeof(buf)), TRACK_NOTHING);
	tracking_parcel_release(&old);
	carrier_parcel_release(&cp);

	/* No list, no time: the current status happened at now. */
	stored(&old, "in_transit", T0);
	cp.now.status = CARRIER_DELIVERED;
	cp.outcome = CARRIER_TRACKED;
	expect_int("a status without time", track_news(&p, &old, &cp,
	    T0 + 5 * HOUR, &n, buf, sizeof(buf)), TRACK_CHANGE);
	expect_str("at now, in UTC", n.time, "2026-11-20T15:00:00Z");
	expect_int("final", n.final, 1);
	expect_int("counted as news", n.event_seq, 2);
	tracking_parcel_release(&old);
	carrier_parcel_release(&cp);
}

static void
test_order_status(void)
{
	static const struct {
		const char	*current;
		int		 n, delivered, moving, returning;
		const char	*want;
	} cases[] = {
		{ "paid", 1, 0, 1, 0, "shipped" },
		{ "labelled", 2, 0, 1, 0, "shipped" },
		{ "shipped", 2, 1, 2, 0, NULL },
		{ "shipped", 2, 2, 2, 0, "delivered" },
		{ "delivered", 1, 0, 1, 0, NULL },	/* never back */
		{ "delivered", 1, 0, 0, 1, "returning" },
		{ "returning", 1, 1, 1, 0, NULL },
		{ "cancelled", 1, 0, 1, 0, NULL },
		{ NULL, 1, 0, 1, 0, "shipped" },
		{ "paid", 1, 0, 0, 0, NULL },		/* pre-transit only */
	};
	struct track_tally t;
	char what[80];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t.n = cases[i].n;
		t.delivered = cases[i].delivered;
		t.moving = cases[i].moving;
		t.returning = cases[i].returning;
		snprintf(what, sizeof(what), "case %zu: from %s", i,
		    cases[i].current ? cases[i].current : "none");
		expect_str(what, track_order_status(cases[i].current, &t),
		    cases[i].want);
	}
	memset(&t, 0, sizeof(t));
	track_tally_add(&t, CARRIER_DELIVERED);
	track_tally_add(&t, CARRIER_OUT_FOR_DELIVERY);
	track_tally_add(&t, CARRIER_PRE_TRANSIT);
	track_tally_add(&t, CARRIER_RETURN_TO_SENDER);
	expect_int("tally n", t.n, 4);
	expect_int("tally delivered", t.delivered, 1);
	expect_int("tally moving", t.moving, 2);
	expect_int("tally returning", t.returning, 1);
}

/* The compact text of v, which is released. */
static char *
text(json_t *v)
{
	char *s = jsonx_text(v);

	json_decref(v);
	return s;
}

static void
test_json(void)
{
	struct tracking_parcel old, n = { 0 }, p = { 0 };
	struct carrier_parcel cp = { 0 };
	char *s;

	event(&cp, CARRIER_PRE_TRANSIT, T0, "CREATED");
	event(&cp, CARRIER_IN_TRANSIT, T0 + HOUR, "SENT");
	carrier_settle(&cp, CARRIER_NONE);
	s = text(track_event_json(&cp.events[1], INT64_MIN, 0));
	expect_str("an event", s, "{\"at\":\"2026-11-20T14:00:00+03:00\","
	    "\"status\":\"in_transit\",\"location\":null,\"message\":null,"
	    "\"carrier_status\":{\"code\":\"SENT\",\"text\":\"SENT\"}}");
	free(s);
	cp.now.has_time = 0;
	s = text(track_event_json(&cp.now, T0, 120));
	expect_str("without a time, at", s, "{\"at\":\"2026-11-20T12:00:00"
	    "+02:00\",\"status\":\"in_transit\",\"location\":null,"
	    "\"message\":null,\"carrier_status\":{\"code\":\"SENT\","
	    "\"text\":\"SENT\"}}");
	free(s);
	s = text(track_event_json(&cp.now, INT64_MIN, 0));
	expect_true("without a time, none", strncmp(s, "{\"at\":null,", 11) ==
	    0);
	free(s);
	cp.now.has_time = 1;

	/* The section: only the events after what was printed. */
	stored(&old, "pre_transit", T0);
	n.number = "1106207236";
	n.status = "in_transit";
	n.time = "2026-11-20T14:00:00+03:00";
	n.event_at = T0 + HOUR;
	s = text(track_section(&n, &old, &cp, json_array()));
	expect_str("a section", s, "{\"tracking_number\":\"1106207236\","
	    "\"status\":\"in_transit\",\"previous_status\":\"pre_transit\","
	    "\"at\":\"2026-11-20T14:00:00+03:00\",\"location\":null,"
	    "\"message\":null,\"carrier_status\":{\"code\":null,"
	    "\"text\":null},\"events\":[{\"at\":\"2026-11-20T14:00:00+03:00\","
	    "\"status\":\"in_transit\",\"location\":null,\"message\":null,"
	    "\"carrier_status\":{\"code\":\"SENT\",\"text\":\"SENT\"}}],"
	    "\"parcels\":[]}");
	free(s);
	tracking_parcel_release(&old);
	carrier_parcel_release(&cp);

	/* No list: the current status is the one event. */
	stored(&old, NULL, 0);
	cp.now.status = CARRIER_DELIVERED;
	s = text(track_section(&n, &old, &cp, json_array()));
	expect_true("no list: the current status at event_at", strstr(s,
	    "\"events\":[{\"at\":\"2026-11-20T11:00:00Z\",\"status\":"
	    "\"delivered\"") != NULL);
	expect_true("no previous status", strstr(s,
	    "\"previous_status\":null") != NULL);
	free(s);
	carrier_parcel_release(&cp);

	p.carrier = "dhl";
	p.number = "0034";
	p.status = "in_transit";
	s = text(track_parcel_json(&p));
	expect_str("a parcel", s, "{\"tracking_number\":\"0034\","
	    "\"status\":\"in_transit\",\"at\":null}");
	free(s);
	s = text(track_plain_record(&p));
	expect_str("a plain record", s,
	    "{\"carrier\":\"dhl\",\"tracking_number\":\"0034\"}");
	free(s);
	p.order_id = "SHOP-1";
	s = text(track_plain_record(&p));
	expect_str("a plain record with its order", s, "{\"order_id\":"
	    "\"SHOP-1\",\"carrier\":\"dhl\",\"tracking_number\":\"0034\"}");
	free(s);
	s = track_record_key("SHOP-1", "dhl", "0034");
	expect_str("the key of an order's parcel", s, "SHOP-1");
	free(s);
	s = track_record_key(NULL, "dhl", "0034");
	expect_str("the key of a plain line", s, "dhl:0034");
	free(s);
}

static size_t calls[8], ncalls;

static void
fake_track(struct carrier *c, struct carrier_parcel **ps, size_t n)
{
	(void)c;
	(void)ps;
	if (ncalls < sizeof(calls) / sizeof(calls[0]))
		calls[ncalls++] = n;
}

static void
test_list(void)
{
	static const char text[] =
	    "[carrier \"aftership\"]\nkey = k\n"
	    "[carrier \"dhl\"]\nkey = k\n"
	    "[carrier \"easypost\"]\nkey = k\n"
	    "[carrier \"ups\"]\nvia = easypost\n";
	static const struct carrier_ops fake = { .name = "fake", .batch = 3,
	    .track = fake_track };
	struct carrier_parcel p[7], *ps[7];
	struct carrier_list l;
	struct carrier c = { .ops = &fake }, *dhl;
	struct http *h;
	struct conf *conf;
	char err[256];
	size_t i;

	if ((conf = conf_parse("t.conf", text, strlen(text), err,
	    sizeof(err))) == NULL)
		abort();
	h = http_new();
	carrier_list_init(&l, conf, h, NULL, T0);
	dhl = carrier_list_tracker(&l, "dhl");
	expect_str("its own adapter", dhl->ops->name, "dhl");
	expect_true("set up once", carrier_list_tracker(&l, "dhl") == dhl);
	expect_str("via", carrier_list_tracker(&l, "ups")->ops->name,
	    "easypost");
	expect_str("else AfterShip", carrier_list_tracker(&l,
	    "royal-mail")->ops->name, "aftership");
	expect_int("three set up", l.n, 3);
	expect_int("no trouble to report", carrier_list_report(&l, "x"), 0);
	carrier_list_release(&l);
	conf_free(conf);

	/* Without an AfterShip key, an unknown carrier has none. */
	if ((conf = conf_parse("t.conf", "", 0, err, sizeof(err))) == NULL)
		abort();
	carrier_list_init(&l, conf, h, NULL, T0);
	expect_true("no adapter", carrier_list_tracker(&l, "royal-mail") ==
	    NULL);
	carrier_list_release(&l);
	conf_free(conf);
	http_free(h);

	for (i = 0; i < 7; i++)
		ps[i] = &p[i];
	carrier_track(&c, ps, 7);
	expect_int("calls of batch size", ncalls, 3);
	expect_int("3", calls[0], 3);
	expect_int("3 more", calls[1], 3);
	expect_int("the rest", calls[2], 1);
}

int
main(void)
{
	test_news();
	test_order_status();
	test_json();
	test_list();
	return unit_summary("track");
}
