/* status.c: an order's status and the history of when it was reached. */
#include <string.h>

#include <jansson.h>

#include "jsonx.h"
#include "rfc3339.h"
#include "status.h"
#include "xalloc.h"

void
status_move(json_t *rec, const char *status, int64_t at)
{
	static _Thread_local char when[32];
	static _Thread_local int64_t when_at;
	json_t *history, *last, *entry;
	const char *was;

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
	/* A run moves every record at one time: written once a thread. */
	if (at != when_at || when[0] == '\0') {
		rfc3339_format(at, 0, when, sizeof(when));
		when_at = at;
	}
	if ((entry = json_object()) == NULL)
		xnomem();
	jsonx_set_new(entry, "status", json_string(status));
	jsonx_set_new(entry, "at", json_string(when));
	jsonx_append_new(history, entry);
}
