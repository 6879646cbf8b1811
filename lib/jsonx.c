/* jsonx.c: jansson calls that exit 71 rather than fail. */
#include <stddef.h>
#include <stdlib.h>

#include <jansson.h>

#include "jsonl.h"
#include "jsonx.h"
#include "xalloc.h"

void
jsonx_set_new(json_t *obj, const char *key, json_t *value)
{
	if (value == NULL || json_object_set_new(obj, key, value) == -1)
		xnomem();
}

void
jsonx_set_text(json_t *obj, const char *key, const char *text)
{
	if (text != NULL && *text != '\0')
		jsonx_set_new(obj, key, json_string(text));
}

json_t *
jsonx_object(void)
{
	json_t *o = json_object();

	if (o == NULL)
		xnomem();
	return o;
}

void
jsonx_append_new(json_t *array, json_t *value)
{
	if (value == NULL || json_array_append_new(array, value) == -1)
		xnomem();
}

json_t *
jsonx_string_or_null(const char *s)
{
	json_t *v = s != NULL ? json_string(s) : json_null();

	if (v == NULL)
		xnomem();
	return v;
}

char *
jsonx_text(const json_t *value)
{
	char *buf = NULL;
	size_t cap = 0, len = 0;

	jsonl_encode(&buf, &cap, &len, value);
	buf = xrealloc(buf, len + 1);	/* the encoder does not end it */
	buf[len] = '\0';
	return buf;
}
