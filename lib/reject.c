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

/* Append the C string s. */
static void
out_str(struct jsonl_out *o, const char *s)
{
	jsonl_out_raw(o, s, strlen(s));
}

/* The reject as a person reads it on a terminal: "ID: CODE: MESSAGE",
 * the record's id (else "FILE:LINE" or "line N"), its errors joined by
 * "; ". */
static void
human_text(struct jsonl_out *o, const json_t *record, const json_t *errors)
{
	const json_t *id = json_object_get(record, "id");
	const json_t *line = json_object_get(record, "line");
	const json_t *file = json_object_get(record, "file");
	const json_t *e;
	const char *code, *message;
	char num[32];
	size_t i;

	if (json_is_string(id))
		out_str(o, json_string_value(id));
	else if (json_is_integer(id)) {
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(id));
		out_str(o, num);
	} else if (json_is_integer(line)) {
		if (json_is_string(file)) {
			out_str(o, json_string_value(file));
			out_str(o, ":");
		} else
			out_str(o, "line ");
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(line));
		out_str(o, num);
	} else
		out_str(o, "(no id)");
	json_array_foreach(errors, i, e) {
		code = json_string_value(json_object_get(e, "code"));
		message = json_string_value(json_object_get(e, "message"));
		out_str(o, i == 0 ? ": " : "; ");
		out_str(o, code != NULL ? code : "?");
		out_str(o, ": ");
		out_str(o, message != NULL ? message : "");
	}
	jsonl_out_raw(o, "\n", 1);
}

/* Add record, with its "errors" set to errors, to rb: its text as the
 * stream takes it, and its errors' codes. */
static void
render(const struct reject_stream *rs, struct reject_batch *rb,
    json_t *record, json_t *errors)
{
	const json_t *e;
	const char *code;
	size_t i;

	/* the step is named, never guessed from an error's code */
	if (json_object_set_new(record, "rejected_by",
	    json_string(program_invocation_short_name)) == -1 ||
	    json_object_set(record, "errors", errors) == -1)
		xnomem();
	if (rs->human)
		human_text(&rb->text, record, errors);
	else {
		jsonl_encode(&rb->text.buf, &rb->text.cap, &rb->text.len,
		    record);
		jsonl_out_raw(&rb->text, "\n", 1);
	}
	json_array_foreach(errors, i, e)
		if ((code = json_string_value(json_object_get(e, "code"))) !=
		    NULL)
			jsonl_out_raw(&rb->codes, code, strlen(code) + 1);
	jsonl_out_raw(&rb->codes, "\n", 1);
}

void
reject_batch_add(const struct reject_stream *rs, struct reject_batch *rb,
    json_t *record, json_t *errors)
{
	render(rs, rb, record, errors);
}

void
reject_batch_put(struct reject_stream *rs, const struct reject_batch *rb,
    size_t from, size_t to, size_t cfrom, size_t cto)
{
	const char *p, *end;
	const json_t *n;
	size_t len;

	if (to > from) {
		if (rs->fp == stderr)
			progress_clear();
		fwrite(rb->text.buf + from, 1, to - from, rs->fp);
		if (rs->fp == stderr)
			fflush(stderr);
	}
	/* Count each error's code, and each reject (none when the batch
	 * has no codes buffer yet: NULL + 0 is undefined). */
	if (cto <= cfrom || rb->codes.buf == NULL)
		return;
	for (p = rb->codes.buf + cfrom, end = rb->codes.buf + cto; p < end;
	    p += len + 1) {
		if (*p == '\n') {
			rs->count++;
			progress_rejects++;
			len = 0;
			continue;
		}
		len = strlen(p);
		if (rs->codes == NULL)
			continue;
		n = json_object_get(rs->codes, p);
		if (json_object_set_new(rs->codes, p,
		    json_integer(json_integer_value(n) + 1)) == -1)
			xnomem();
	}
}

void
reject_batch_release(struct reject_batch *rb)
{
	free(rb->text.buf);
	free(rb->codes.buf);
	memset(rb, 0, sizeof(*rb));
}

/* reject_write()'s: records are written one at a time, on one thread. */
static struct reject_batch one;

static void
free_one(void)
{
	reject_batch_release(&one);
}

void
reject_write(struct reject_stream *rs, json_t *record, json_t *errors)
{
	if (one.text.buf == NULL && one.codes.buf == NULL)
		atexit(free_one);
	one.text.len = one.codes.len = 0;
	render(rs, &one, record, errors);
	reject_batch_put(rs, &one, 0, one.text.len, 0, one.codes.len);
}

/* A reject for a line that is no record, written (rb NULL) or added to
 * rb. */
static void
line_reject(struct reject_stream *rs, struct reject_batch *rb,
    const char *file, unsigned long line, const char *raw, size_t len,
    const char *code, const char *message)
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
	if (rb != NULL)
		render(rs, rb, rec, errors);
	else
		reject_write(rs, rec, errors);
	json_decref(errors);
	json_decref(rec);
}

void
reject_line(struct reject_stream *rs, const char *file, unsigned long line,
    const char *raw, size_t len, const char *code, const char *message)
{
	line_reject(rs, NULL, file, line, raw, len, code, message);
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

/* reject_record(), its reject written (rb NULL) or added to rb. */
static json_t *
record_of(struct reject_stream *rs, struct reject_batch *rb,
    const struct jsonl_reader *r, const char *file, unsigned long lineno,
    const char *line, size_t len)
{
	json_error_t error;
	json_t *v;
	char msg[JSON_ERROR_TEXT_LENGTH + 64];
	const char *nul = memchr(line, '\0', len);

	if (nul != NULL) {
		snprintf(msg, sizeof(msg), text(r, "nul"),
		    (size_t)(nul - line) + 1);
		line_reject(rs, rb, file, lineno, line, len, "bad_json", msg);
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
	line_reject(rs, rb, file, lineno, line, len, "bad_json", msg);
	return NULL;
}

json_t *
reject_record(struct reject_stream *rs, const struct jsonl_reader *r,
    const char *file, unsigned long lineno, const char *line, size_t len)
{
	return record_of(rs, NULL, r, file, lineno, line, len);
}

json_t *
reject_batch_record(const struct reject_stream *rs, struct reject_batch *rb,
    const struct jsonl_reader *r, const char *file, unsigned long lineno,
    const char *line, size_t len)
{
	/* With rb, rs is only read. */
	return record_of((struct reject_stream *)rs, rb, r, file, lineno,
	    line, len);
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
