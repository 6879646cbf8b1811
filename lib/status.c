/* status.c: an order's status and the history of when it was reached. */
#include <string.h>

#include <jansson.h>

#include "jsonx.h"
#include "rfc3339.h"
#include "status.h"

void
status_move(json_t *rec, const char *status, int64_t at)
{
	json_t *history, *last;
	const char *was;
	char when[32];

	jsonx_set_new(rec, "status", json_string(status));
	history = json_object_get(rec, "status_history");
	if (!json_is_array(history)) {
		history = json_array();
		jsonx_set_new(rec, "status_history", history);
	}
	last = json_array_get(history, json_array_size(history) - 1);
	was = json_string_value(json_object_get(last, "status"));
	if (was != NULL && strcmp(was, status) == 0)
		return;
	rfc3339_format(at, 0, when, sizeof(when));
	jsonx_append_new(history, json_pack("{s:s, s:s}", "status", status,
	    "at", when));
}
