/* reject.c: the reject stream. */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

#include "fileio.h"
#include "jsonl.h"
#include "msg.h"
#include "progress.h"
#include "reject.h"
#include "xalloc.h"

extern char *program_invocation_short_name;

/* The language of messages: -1 until it is known. */
static int reject_lang = -1;

void
reject_set_lang(int lang)
{
	reject_lang = lang;
}

const char *
reject_text(const char *text)
{
	if (reject_lang == -1)
		reject_lang = msg_lang_env();
	if (reject_lang == MSG_EN)
		return text;
	return msg_translate(msg_rejects, msg_nrejects, text, reject_lang);
}

void
reject_open(struct reject_stream *rs, const char *path)
{
	char msg[1024];

	rs->count = 0;
	rs->human = 0;
	if ((rs->codes = json_object()) == NULL)
		xnomem();
	if (path == NULL || *path == '\0') {
		rs->fp = stderr;
		rs->path = "<stderr>";
		rs->human = isatty(STDERR_FILENO);
		return;
	}
	if ((rs->fp = fileio_write(path, 1, msg, sizeof(msg))) == NULL)
		errx(EX_CANTCREAT, "%s", msg);
	rs->path = path;
}

/* reject_add() of a message already in its language. */
static void
add(json_t *errors, const char *code, const char *field, const char *message)
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
reject_add(json_t *errors, const char *code, const char *field,
    const char *message)
{
	add(errors, code, field, reject_text(message));
}

void
reject_addf(json_t *errors, const char *code, const char *field,
    const char *fmt, ...)
{
	va_list ap;
	char *msg;

	fmt = reject_text(fmt);
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	add(errors, code, field, msg);
	free(msg);
}

/* The reject as a person reads it on a terminal: "ID: CODE: MESSAGE",
 * the record's id (else "FILE:LINE" or "line N"), its errors joined by
 * "; ". */
static void
write_human(FILE *fp, const json_t *record, const json_t *errors)
{
	const json_t *id = json_object_get(record, "id");
	const json_t *line = json_object_get(record, "line");
	const json_t *file = json_object_get(record, "file");
	const json_t *e;
	const char *code, *message;
	size_t i;

	if (json_is_string(id))
		fputs(json_string_value(id), fp);
	else if (json_is_integer(id))
		fprintf(fp, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
	else if (json_is_integer(line) && json_is_string(file))
		fprintf(fp, "%s:%" JSON_INTEGER_FORMAT, json_string_value(file),
		    json_integer_value(line));
	else if (json_is_integer(line))
		fprintf(fp, "line %" JSON_INTEGER_FORMAT,
		    json_integer_value(line));
	else
		fputs("(no id)", fp);
	json_array_foreach(errors, i, e) {
		code = json_string_value(json_object_get(e, "code"));
		message = json_string_value(json_object_get(e, "message"));
		fprintf(fp, "%s %s: %s", i == 0 ? ":" : ";",
		    code != NULL ? code : "?", message != NULL ? message : "");
	}
	putc('\n', fp);
}

/* Count each error's code. */
static void
count_codes(struct reject_stream *rs, const json_t *errors)
{
	const json_t *e, *n;
	const char *code;
	size_t i;

	if (rs->codes == NULL)
		return;
	json_array_foreach(errors, i, e) {
		if ((code = json_string_value(json_object_get(e, "code"))) ==
		    NULL)
			continue;
		n = json_object_get(rs->codes, code);
		if (json_object_set_new(rs->codes, code,
		    json_integer(json_integer_value(n) + 1)) == -1)
			xnomem();
	}
}

void
reject_write(struct reject_stream *rs, json_t *record, json_t *errors)
{
	/* the step is named, never guessed from an error's code */
	if (json_object_set_new(record, "rejected_by",
	    json_string(program_invocation_short_name)) == -1 ||
	    json_object_set(record, "errors", errors) == -1)
		xnomem();
	if (rs->fp == stderr)
		progress_clear();
	if (rs->human)
		write_human(rs->fp, record, errors);
	else
		jsonl_write(rs->fp, record);
	if (rs->fp == stderr)
		fflush(stderr);
	count_codes(rs, errors);
	rs->count++;
	progress_rejects++;
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
	add(errors, code, NULL, message);
	reject_write(rs, rec, errors);
	json_decref(errors);
	json_decref(rec);
}

int
reject_close(struct reject_stream *rs)
{
	json_decref(rs->codes);
	rs->codes = NULL;
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
