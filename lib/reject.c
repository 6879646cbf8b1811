/* reject.c: the reject stream. */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <jansson.h>

#include "fileio.h"
#include "jsonl.h"
#include "msg.h"
#include "reject.h"
#include "xalloc.h"

void
reject_open(struct reject_stream *rs, const char *path)
{
	char msg[1024];

	rs->count = 0;
	if (path == NULL || *path == '\0') {
		rs->fp = stderr;
		rs->path = "<stderr>";
		return;
	}
	if ((rs->fp = fileio_write(path, 1, msg, sizeof(msg))) == NULL)
		errx(EX_CANTCREAT, "%s", msg);
	rs->path = path;
}

void
reject_add(json_t *errors, const char *code, const char *field,
    const char *message)
{
	json_t *e;

	if ((e = json_object()) == NULL ||
	    json_object_set_new(e, "code", json_string(code)) == -1 ||
	    (field != NULL &&
	    json_object_set_new(e, "field", json_string(field)) == -1) ||
	    json_object_set_new(e, "message",
	    jsonl_string_lossy(message, strlen(message))) == -1 ||
	    json_array_append_new(errors, e) == -1)
		xnomem();
}

void
reject_addf(json_t *errors, const char *code, const char *field,
    const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	reject_add(errors, code, field, msg);
	free(msg);
}

void
reject_write(struct reject_stream *rs, json_t *record, json_t *errors)
{
	if (json_object_set(record, "errors", errors) == -1)
		xnomem();
	jsonl_write(rs->fp, record);
	if (rs->fp == stderr)
		fflush(stderr);
	rs->count++;
}

void
reject_line(struct reject_stream *rs, const char *file, unsigned long line,
    const char *raw, size_t len, const char *code, const char *message)
{
	json_t *rec, *errors;

	if ((rec = json_object()) == NULL || (errors = json_array()) == NULL)
		xnomem();
	if ((file != NULL &&
	    json_object_set_new(rec, "file",
	    jsonl_string_lossy(file, strlen(file))) == -1) ||
	    json_object_set_new(rec, "line", json_integer(line)) == -1 ||
	    json_object_set_new(rec, "raw", jsonl_string_lossy(raw, len)) == -1)
		xnomem();
	reject_add(errors, code, NULL, message);
	reject_write(rs, rec, errors);
	json_decref(errors);
	json_decref(rec);
}

int
reject_close(struct reject_stream *rs)
{
	if (rs->fp == stderr) {
		if (fflush(stderr) == EOF)
			return -1;
		return 0;
	}
	return jsonl_finish(rs->fp, rs->path);
}

/* reject_read()'s messages, by language (lib/msg.h); the parser's own
 * description of a syntax error (jansson's words) stays English within
 * them. */
static const struct msg messages[] = {
	{ "nul", { "not JSON: a NUL byte at column %zu",
	    "не JSON: байт NUL в столбце %zu",
	    "не JSON: байт NUL у стовпці %zu" } },
	{ "syntax", { "not JSON: %s at column %d",
	    "не JSON: %s (столбец %d)",
	    "не JSON: %s (стовпець %d)" } },
	{ "kind", { "not a JSON object but %s",
	    "не объект JSON, а %s",
	    "не об'єкт JSON, а %s" } },
	{ "array", { "an array", "массив", "масив" } },
	{ "string", { "a string", "строка", "рядок" } },
	{ "number", { "a number", "число", "число" } },
	{ "boolean", { "a boolean", "логическое значение",
	    "логічне значення" } },
	{ "null", { "null", "null", "null" } },
};

static const char *
text(const struct jsonl_reader *r, const char *key)
{
	return msg_format(messages, sizeof(messages) / sizeof(messages[0]),
	    key, r->lang);
}

static const char *
kind_name(const struct jsonl_reader *r, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_ARRAY:	return text(r, "array");
	case JSON_STRING:	return text(r, "string");
	case JSON_INTEGER:
	case JSON_REAL:		return text(r, "number");
	case JSON_TRUE:
	case JSON_FALSE:	return text(r, "boolean");
	default:		return text(r, "null");
	}
}

json_t *
reject_record(struct reject_stream *rs, const struct jsonl_reader *r,
    const char *file, unsigned long lineno, const char *line, size_t len)
{
	json_error_t error;
	json_t *v;
	char msg[JSON_ERROR_TEXT_LENGTH + 64];
	const char *nul = memchr(line, '\0', len);

	if (nul != NULL) {
		snprintf(msg, sizeof(msg), text(r, "nul"),
		    (size_t)(nul - line) + 1);
		reject_line(rs, file, lineno, line, len, "bad_json", msg);
		return NULL;
	}
	/* Any JSON value, so that a number or a string is named as such
	 * rather than called "not JSON". */
	v = jsonl_parse(line, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	    &error);
	if (v != NULL && json_is_object(v))
		return v;
	if (v != NULL) {
		snprintf(msg, sizeof(msg), text(r, "kind"), kind_name(r, v));
		json_decref(v);
	} else
		snprintf(msg, sizeof(msg), text(r, "syntax"), error.text,
		    error.column);
	reject_line(rs, file, lineno, line, len, "bad_json", msg);
	return NULL;
}

json_t *
reject_read(struct reject_stream *rs, struct jsonl_reader *r)
{
	json_t *v;
	char *line;
	size_t len;

	while ((line = jsonl_line(r, &len)) != NULL)
		if ((v = reject_record(rs, r, jsonl_input_name(r), r->lineno,
		    line, len)) != NULL)
			return v;
	return NULL;
}
