/* status_test.c: unit tests of lib/status.h. */
#include <stdlib.h>

#include <jansson.h>

#include "jsonx.h"
#include "status.h"
#include "unit.h"

static void
expect_json(const char *what, const json_t *v, const char *want)
{
	char *got = jsonx_text(v);

	expect_str(what, got, want);
	free(got);
}

int
main(void)
{
	json_t *rec = json_loads("{\"id\":\"A\",\"status\":\"new\"}", 0, NULL);

	status_move(rec, "validated", 1774854000);
	expect_json("the first entry", rec, "{\"id\":\"A\",\"status\":"
	    "\"validated\",\"status_history\":[{\"status\":\"validated\","
	    "\"at\":\"2026-03-30T07:00:00Z\"}]}");
	status_move(rec, "validated", 1774857600);
	expect_int("the same status again adds nothing", json_array_size(
	    json_object_get(rec, "status_history")), 1);
	status_move(rec, "paid", 1774857600);
	expect_json("a move appends", json_object_get(rec, "status_history"),
	    "[{\"status\":\"validated\",\"at\":\"2026-03-30T07:00:00Z\"},"
	    "{\"status\":\"paid\",\"at\":\"2026-03-30T08:00:00Z\"}]");
	jsonx_set_new(rec, "status_history", json_string("junk"));
	status_move(rec, "booked", 1774857600);
	expect_json("a history that is no array is made anew",
	    json_object_get(rec, "status_history"),
	    "[{\"status\":\"booked\",\"at\":\"2026-03-30T08:00:00Z\"}]");
	json_decref(rec);
	return unit_summary("status");
}
