/* event.c: which event a record is, for notify-send's --event auto. */
#include <string.h>

#include <jansson.h>

#include "notify.h"

/* Customer events, then the staff's (from "unpaid" on). */
const char *const notify_events[] = {
	"confirmed", "payment_received", "backorder", "shipped",
	"out_for_delivery", "ready_for_pickup", "delivered", "failed_attempt",
	"return_opened", "refund_sent",
	"unpaid", "underpaid", "stuck", "reservation_expired",
	"booking_in_doubt", "notification_failed", "notification_in_doubt",
	"rejected",
	NULL
};

#define FIRST_STAFF	10

int
notify_event_known(const char *name, int *staff)
{
	size_t i;

	for (i = 0; name != NULL && notify_events[i] != NULL; i++)
		if (strcmp(name, notify_events[i]) == 0) {
			*staff = i >= FIRST_STAFF;
			return 1;
		}
	return 0;
}

static const char *
str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int
is(const char *s, const char *t)
{
	return s != NULL && strcmp(s, t) == 0;
}

const char *
notify_event_auto(const json_t *rec, int *staff)
{
	static const struct { const char *from, *to; } by_tracking[] = {
		{ "out_for_delivery", "out_for_delivery" },
		{ "available_for_pickup", "ready_for_pickup" },
		{ "delivered", "delivered" },
		{ "failed_attempt", "failed_attempt" },
	}, by_status[] = {
		{ "validated", "confirmed" }, { "reserved", "confirmed" },
		{ "paid", "payment_received" }, { "cod", "confirmed" },
		{ "backorder", "backorder" },
		{ "labelled", "shipped" }, { "shipped", "shipped" },
		{ "delivered", "delivered" },
	}, staff_status[] = {
		{ "unpaid", "unpaid" }, { "expired", "reservation_expired" },
	};
	const json_t *errors = json_object_get(rec, "errors");
	const char *status = str(rec, "status"), *code, *ts;
	const json_t *ret = json_object_get(rec, "return");
	size_t i;
	int s;

	*staff = 1;
	if (is(str(rec, "type"), "problem")) {
		code = str(rec, "code");
		return notify_event_known(code, &s) && s ? code : "rejected";
	}
	if (json_array_size(errors) > 0) {
		code = str(json_array_get(errors, 0), "code");
		return notify_event_known(code, &s) && s ? code : "rejected";
	}
	for (i = 0; i < sizeof(staff_status) / sizeof(staff_status[0]); i++)
		if (is(status, staff_status[i].from))
			return staff_status[i].to;
	*staff = 0;
	if (is(status, "refunded") || is(str(ret, "status"), "refunded"))
		return "refund_sent";
	if (is(status, "return_open") || is(str(ret, "status"), "open"))
		return "return_opened";
	ts = str(json_object_get(rec, "tracking"), "status");
	for (i = 0; i < sizeof(by_tracking) / sizeof(by_tracking[0]); i++)
		if (is(ts, by_tracking[i].from))
			return by_tracking[i].to;
	for (i = 0; i < sizeof(by_status) / sizeof(by_status[0]); i++)
		if (is(status, by_status[i].from))
			return by_status[i].to;
	return NULL;
}
