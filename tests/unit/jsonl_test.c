/* jsonl_test.c: unit tests of jsonl_parse(), jsonl_copy(), the reader of
 * lines and records over files and standard input, the writer that gives
 * numbers back as they were written, and jsonl_string_lossy(). */
#include <fcntl.h>
#include <float.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "jsonl.h"
#include "msg.h"
#include "reject.h"
#include "unit.h"

/* What reject_read() asks for. */
#define ANY	(JSON_DECODE_ANY | JSON_REJECT_DUPLICATES)

/* The compact text jsonl_encode() gives for v. */
static char *
encode(const json_t *v, size_t *lenp)
{
	char *buf = NULL;
	size_t cap = 0;

	*lenp = 0;
	jsonl_encode(&buf, &cap, lenp, v);
	buf = realloc(buf, *lenp + 1);
	buf[*lenp] = '\0';
	return buf;
}

/* Compact documents come back byte for byte. */
static void
test_round_trip(void)
{
	static const char *const docs[] = {
		"{}",
		"[]",
		"{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
		"{\"z\":1,\"a\":2,\"m\":3}",
		"[\"\",\"x\",\"\\\"\\\\\\n\\r\\t\\b\\f\\u001f\"]",
		"\"\xd0\x9a\xd1\x80\xd0\xb0\xd1\x81\xd0\xbd\xd1\x8b\xd0\xb9\"",
		"\"\xf0\x9f\x98\x80\"",
		"[0,-1,1,42,-42,9223372036854775807,-9223372036854775808]",
		"[1.23456789012345678,1e-7,100.50,-0,12345678901234567890]",
		"[1E400,-1E400,1e-400,-99999999999999999999,"
		    "99999999999999999999999999999999999999]",
		"[1e2,1E2,1e+2,1E-2,0.0,-0.0,0e0,-0E-0,1.0,3.14159]",
		"[9223372036854775808,-9223372036854775809]",
		"{\"id\":\"X\",\"marketplace_id\":12345678901234567890,"
		    "\"items\":[{\"sku\":\"A\",\"weight\":0.250,"
		    "\"extra\":{\"ratio\":1e-7,\"n\":[1.10,[2.20]]}}]}",
		"123",
		"-0",
		"\"only a string\"",
		"true",
		"null",
	};
	json_error_t error;
	json_t *v;
	char what[128], *text;
	size_t i, len;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		snprintf(what, sizeof(what), "round trip of %.80s", docs[i]);
		v = jsonl_parse(docs[i], strlen(docs[i]), ANY, &error);
		if (!expect_true(what, v != NULL)) {
			fprintf(stderr, "\t%s at column %d\n", error.text,
			    error.column);
			continue;
		}
		text = encode(v, &len);
		expect_str(what, text, docs[i]);
		free(text);
		json_decref(v);
	}
}

/* White space between tokens goes; what the escapes mean stays. */
static void
test_normal_forms(void)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ " { \"a\" : [ 1 , 2 ] }\t\r\n", "{\"a\":[1,2]}" },
		{ "\"\\/\"", "\"/\"" },
		{ "\"\\u0041\\u00e9\\u20AC\"", "\"A\xc3\xa9\xe2\x82\xac\"" },
		{ "\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"" },
		{ "\"\\uD834\\uDD1E\"", "\"\xf0\x9d\x84\x9e\"" },
		{ "\"\\udbff\\udfff\"", "\"\xf4\x8f\xbf\xbf\"" },
		{ "\"\\u0001\"", "\"\\u0001\"" },
		{ "\"\\\"x\\\\\"", "\"\\\"x\\\\\"" },
		{ "{\"\\u0061\":1,\"b\\n\":2}", "{\"a\":1,\"b\\n\":2}" },
	};
	json_error_t error;
	json_t *v;
	char what[128], *text;
	size_t i, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "jsonl_parse(%s)", cases[i].in);
		v = jsonl_parse(cases[i].in, strlen(cases[i].in), ANY, &error);
		if (!expect_true(what, v != NULL)) {
			fprintf(stderr, "\t%s\n", error.text);
			continue;
		}
		text = encode(v, &len);
		expect_str(what, text, cases[i].want);
		free(text);
		json_decref(v);
	}
}

/* Each form of number: what type it becomes, and its value. */
static void
test_numbers(void)
{
	static const struct {
		const char	*text;
		int		 integer;	/* a json_integer */
		json_int_t	 ival;
		double		 rval;
	} cases[] = {
		{ "0", 1, 0, 0 },
		{ "7", 1, 7, 0 },
		{ "-7", 1, -7, 0 },
		{ "1000000", 1, 1000000, 0 },
		{ "9223372036854775807", 1, INT64_MAX, 0 },
		{ "-9223372036854775808", 1, INT64_MIN, 0 },
		{ "0000000000000000001", 0, 0, 0 },	/* not JSON */
		{ "-0", 0, 0, -0.0 },
		{ "0.0", 0, 0, 0.0 },
		{ "1.0", 0, 0, 1.0 },
		{ "1e2", 0, 0, 100.0 },
		{ "1E+2", 0, 0, 100.0 },
		{ "1e-7", 0, 0, 1e-7 },
		{ "100.50", 0, 0, 100.5 },
		{ "1.23456789012345678", 0, 0, 1.23456789012345678 },
		{ "9223372036854775808", 0, 0, 9223372036854775808.0 },
		{ "-9223372036854775809", 0, 0, -9223372036854775809.0 },
		{ "12345678901234567890", 0, 0, 12345678901234567890.0 },
		{ "1E400", 0, 0, DBL_MAX },
		{ "-1E400", 0, 0, -DBL_MAX },
		{ "1e-400", 0, 0, 0.0 },
	};
	json_error_t error;
	json_t *v;
	const char *raw;
	char what[128], buf[48];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "number %s", cases[i].text);
		v = jsonl_parse(cases[i].text, strlen(cases[i].text), ANY, &error);
		if (i == 6) {	/* a leading zero */
			expect_true(what, v == NULL);
			expect_str(what, error.text, "invalid token near '0'");
			json_decref(v);
			continue;
		}
		if (!expect_true(what, v != NULL))
			continue;
		if (cases[i].integer) {
			expect_true(what, json_is_integer(v));
			expect_int(what, json_integer_value(v), cases[i].ival);
			expect_true(what, jsonl_number_raw(v) == NULL);
		} else {
			expect_true(what, json_is_real(v));
			expect_true(what, json_real_value(v) == cases[i].rval);
			raw = jsonl_number_raw(v);
			expect_str(what, raw, cases[i].text);
		}
		expect_str(what, jsonl_number_text(v, buf, sizeof(buf)),
		    cases[i].text);
		json_decref(v);
	}
	/* A number a program made has no kept text: its value is it. */
	v = json_real(0.1);
	expect_true("json_real(0.1) has no raw text",
	    jsonl_number_raw(v) == NULL);
	expect_str("json_real(0.1)'s text", jsonl_number_text(v, buf,
	    sizeof(buf)), "0.1");
	json_decref(v);
	v = json_real(100);
	expect_str("json_real(100)'s text", jsonl_number_text(v, buf,
	    sizeof(buf)), "100.0");
	json_decref(v);
	v = json_integer(-12);
	expect_str("json_integer(-12)'s text", jsonl_number_text(v, buf,
	    sizeof(buf)), "-12");
	json_decref(v);
	v = json_string("12");
	expect_true("a string has no number text",
	    jsonl_number_text(v, buf, sizeof(buf)) == NULL);
	json_decref(v);
}

/* What is refused, with jansson's words and column. */
static void
test_errors(void)
{
	static const struct {
		const char	*in;
		const char	*text;
		int		 column;
	} cases[] = {
		{ "this is not json", "invalid token near 'this'", 4 },
		{ "{\"a\":1,\"a\":2}", "duplicate object key near '\"a\"'",
		    10 },
		{ "{\"\xc3\xa9\":1,\"\xc3\xa9\":2}",
		    "duplicate object key near '\"\xc3\xa9\"'", 10 },
		{ "{\"a\":{\"b\":1,\"b\":1}}",
		    "duplicate object key near '\"b\"'", 15 },
		{ "\"a\\u0000b\"",
		    "\\u0000 is not allowed in a string near '\"a\\u0000b\"'",
		    10 },
		{ "{\"a\\u0000\":1}", "NUL byte in object key not supported "
		    "near '\"a\\u0000\"'", 10 },
		{ "\"\\ud800\"", "invalid Unicode '\\uD800' near '\"\\ud800\"'",
		    8 },
		{ "\"\\udc00\"", "invalid Unicode '\\uDC00' near '\"\\udc00\"'",
		    8 },
		{ "\"\\ud800\\u0041\"", "invalid Unicode '\\uD800\\u0041' "
		    "near '\"\\ud800\\u0041\"'", 14 },
		{ "\"\\ude00\\ud83d\"", "invalid Unicode '\\uDE00' "
		    "near '\"\\ude00\\ud83d\"'", 14 },
		{ "\"ab\xff\"", "unable to decode byte 0xff near '\"ab'", 3 },
		{ "\"\xc0\xaf\"", "unable to decode byte 0xc0 near '\"'", 1 },
		{ "\"\xed\xa0\x80\"", "unable to decode byte 0xed near '\"'",
		    1 },
		{ "\"\xf4\x90\x80\x80\"", "unable to decode byte 0xf4 near "
		    "'\"'", 1 },
		{ "\"\xc3\"", "unable to decode byte 0xc3 near '\"'", 1 },
		{ "\xff", "unable to decode byte 0xff", 0 },
		{ "\"a\x01\"", "control character 0x1 near '\"a'", 2 },
		{ "\"a\tb\"", "control character 0x9 near '\"a'", 2 },
		{ "\"a\nb\"", "unexpected newline near '\"a'", 2 },
		{ "\"abc", "premature end of input near '\"abc'", 4 },
		{ "\"abcdefghijklmnopqrstuvwxyz", "premature end of input",
		    27 },
		{ "\"\\x\"", "invalid escape near '\"\\x'", 3 },
		{ "\"\\u12G4\"", "invalid escape near '\"\\u12G'", 6 },
		{ "\"\\u12", "invalid escape near '\"\\u12'", 5 },
		{ "{} x", "end of file expected near 'x'", 4 },
		{ "{\"a\":1}}", "end of file expected near '}'", 8 },
		{ "1.5.2", "end of file expected near '.'", 4 },
		{ "[1,]", "unexpected token near ']'", 4 },
		{ "[1 2]", "']' expected near '2'", 4 },
		{ "[1", "']' expected near end of file", 2 },
		{ "[", "']' expected near end of file", 1 },
		{ "{", "string or '}' expected near end of file", 1 },
		{ "{1:2}", "string or '}' expected near '1'", 2 },
		{ "{\"a\":1,}", "string or '}' expected near '}'", 8 },
		{ "{\"a\" 1}", "':' expected near '1'", 6 },
		{ "{\"a\":", "unexpected token near end of file", 5 },
		{ "{\"a\":1", "'}' expected near end of file", 6 },
		{ "{\"a\":1 \"b\":2}", "'}' expected near '\"b\"'", 10 },
		{ "{\"a\":1 \"b", "premature end of input near '\"b'", 9 },
		{ "01", "invalid token near '0'", 1 },
		{ "-01", "invalid token near '-0'", 2 },
		{ "1.", "invalid token near '1.'", 2 },
		{ "-", "invalid token near '-'", 1 },
		{ "1e", "invalid token near '1e'", 2 },
		{ "1e+", "invalid token near '1e+'", 3 },
		{ "[.5]", "invalid token near '.'", 2 },
		{ "[+1]", "invalid token near '+'", 2 },
		{ "[0x10]", "']' expected near 'x'", 3 },
		{ "[NaN]", "invalid token near 'NaN'", 4 },
		{ "[Infinity]", "invalid token near 'Infinity'", 9 },
		{ "tru", "invalid token near 'tru'", 3 },
		{ "[true false]", "']' expected near 'false'", 11 },
		{ "\xc3\xa9", "invalid token near '\xc3\xa9'", 1 },
		{ "[\"\xd0\xb6\",\xc3\xa9]", "invalid token near '\xc3\xa9'",
		    6 },
		{ "   ", "unexpected token near end of file", 3 },
		{ "", "unexpected token near end of file", 0 },
	};
	json_error_t error;
	json_t *v;
	char what[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "error of %s", cases[i].in);
		v = jsonl_parse(cases[i].in, strlen(cases[i].in), ANY, &error);
		if (!expect_true(what, v == NULL)) {
			json_decref(v);
			continue;
		}
		expect_str(what, error.text, cases[i].text);
		expect_int(what, error.column, cases[i].column);
	}
	/* Only len bytes are read: the rest of a buffer is no input. */
	v = jsonl_parse("[1]]", 3, ANY, &error);
	expect_true("jsonl_parse(\"[1]]\", 3)", json_is_array(v));
	json_decref(v);
	v = jsonl_parse("\"ab\"", 3, ANY, &error);
	expect_true("jsonl_parse(\"\\\"ab\\\"\", 3)", v == NULL);
	expect_str("jsonl_parse(\"\\\"ab\\\"\", 3)", error.text,
	    "premature end of input near '\"ab'");
	/* A NULL error is allowed. */
	expect_true("jsonl_parse(\"x\", ANY, NULL)", jsonl_parse("x", 1, ANY, NULL) ==
	    NULL);
}

/* jansson's flags: without JSON_REJECT_DUPLICATES the last key counts,
 * without JSON_DECODE_ANY only an object or an array is a document. */
static void
test_flags(void)
{
	json_error_t error;
	json_t *v;
	char *text;
	size_t len;

	v = jsonl_parse("{\"a\":1,\"b\":2,\"a\":3e0}", 21, 0, &error);
	if (expect_true("a duplicate key allowed", v != NULL)) {
		text = encode(v, &len);
		expect_str("a duplicate key allowed: the last counts", text,
		    "{\"a\":3e0,\"b\":2}");
		free(text);
	}
	json_decref(v);
	v = jsonl_parse("[1]", 3, 0, &error);
	expect_true("an array without JSON_DECODE_ANY", json_is_array(v));
	json_decref(v);
	v = jsonl_parse(" 12", 3, JSON_REJECT_DUPLICATES, &error);
	expect_true("a number without JSON_DECODE_ANY", v == NULL);
	expect_str("a number without JSON_DECODE_ANY", error.text,
	    "'[' or '{' expected near '12'");
	expect_int("a number without JSON_DECODE_ANY: column", error.column,
	    3);
	v = jsonl_parse(" ", 1, 0, &error);
	expect_str("nothing without JSON_DECODE_ANY", error.text,
	    "'[' or '{' expected near end of file");
}

/* Nesting: 2048 values deep is fine, one more is refused. */
static void
test_depth(void)
{
	char *doc;
	json_error_t error;
	json_t *v;
	size_t i, n;

	for (n = 2047; n <= 2049; n++) {
		doc = malloc(2 * n + 2);
		for (i = 0; i < n; i++) {
			doc[i] = '[';
			doc[n + 1 + i] = ']';
		}
		doc[n] = '1';		/* the number is one level more */
		doc[2 * n + 1] = '\0';
		v = jsonl_parse(doc, 2 * n + 1, ANY, &error);
		if (n + 1 <= 2048)
			expect_true("2048 levels", json_is_array(v));
		else {
			expect_true("2049 levels", v == NULL);
			expect_str("2049 levels", error.text,
			    n == 2048 ?
			    "maximum parsing depth reached near '1'" :
			    "maximum parsing depth reached near '['");
			expect_int("2049 levels' column", error.column, 2049);
		}
		json_decref(v);
		free(doc);
	}
	/* As order-validate's test has it: 10,000 objects deep. */
	n = 10000;
	doc = malloc(6 * n + 2);
	for (i = 0; i < n; i++) {
		memcpy(doc + 5 * i, "{\"a\":", 5);
		doc[5 * n + 1 + i] = '}';
	}
	doc[5 * n] = '1';
	v = jsonl_parse(doc, 6 * n + 1, ANY, &error);
	expect_true("10,000 objects deep", v == NULL);
	expect_str("10,000 objects deep", error.text,
	    "maximum parsing depth reached near '{'");
	expect_int("10,000 objects deep: column", error.column, 10241);
	free(doc);
}

/* jsonl_copy() keeps the numbers' text, json_deep_copy() does not. */
static void
test_copy(void)
{
	static const char doc[] = "{\"a\":[1e-7,100.50,-0,{\"b\":"
	    "12345678901234567890}],\"c\":\"s\",\"d\":null,\"e\":true,"
	    "\"f\":7}";
	json_t *v, *copy;
	char *text;
	size_t len;

	v = jsonl_parse(doc, sizeof(doc) - 1, ANY, NULL);
	copy = jsonl_copy(v);
	json_decref(v);		/* the copy stands alone */
	text = encode(copy, &len);
	expect_str("jsonl_copy()", text, doc);
	free(text);
	expect_true("jsonl_copy() is deep", copy != v);
	json_decref(copy);
	v = json_pack("{s:f}", "x", 0.5);
	copy = jsonl_copy(v);
	text = encode(copy, &len);
	expect_str("jsonl_copy() of a made real", text, "{\"x\":0.5}");
	free(text);
	json_decref(copy);
	json_decref(v);
}

/* Many numbers alive and dead in turn: each keeps its own text, and the
 * table drops the dead ones (the values freed, as valgrind would see). */
static void
test_many_numbers(void)
{
	json_t *keep, *v;
	char doc[64], *text, what[64];
	size_t i, len;
	int round, bad = 0;

	if ((keep = json_array()) == NULL)
		abort();
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 5000; i++) {
			snprintf(doc, sizeof(doc), "[%zu.%d0,1e%zu]", i, round,
			    i % 300);
			v = jsonl_parse(doc, strlen(doc), ANY, NULL);
			if (i % 10 == 0)
				json_array_append(keep, v);
			text = encode(v, &len);
			bad += strcmp(text, doc) != 0;
			free(text);
			json_decref(v);
		}
	}
	expect_int("5000 documents came back as they were", bad, 0);
	/* Those kept are intact after the sweeps. */
	for (i = 0; i < json_array_size(keep); i++) {
		snprintf(doc, sizeof(doc), "[%zu.%zu0,1e%zu]", i % 500 * 10,
		    i / 500, i % 500 * 10 % 300);
		text = encode(json_array_get(keep, i), &len);
		if (strcmp(text, doc) != 0 && bad++ < 3) {
			snprintf(what, sizeof(what), "kept document %zu", i);
			expect_str(what, text, doc);
		}
		free(text);
	}
	expect_int("kept documents intact", bad, 0);
	json_decref(keep);
}

/* A reject stream into memory: its text is in *bufp after fflush(). */
static void
rejects_open(struct reject_stream *rs, char **bufp, size_t *lenp)
{
	memset(rs, 0, sizeof(*rs));
	if ((rs->fp = open_memstream(bufp, lenp)) == NULL) {
		perror("open_memstream");
		exit(1);
	}
	rs->path = "<memory>";
}

/* Read all records of the reader; their compact text, one a line, in a
 * new string. */
static char *
read_all(struct jsonl_reader *r, struct reject_stream *rs)
{
	char *all = NULL, *text;
	size_t len = 0, cap = 0, n;
	json_t *v;

	while ((v = reject_read(rs, r)) != NULL) {
		text = encode(v, &n);
		all = realloc(all, len + n + 2);
		memcpy(all + len, text, n);
		len += n;
		all[len++] = '\n';
		all[len] = '\0';
		cap++;
		free(text);
		json_decref(v);
	}
	return all != NULL ? all : strdup("");
}

/* Two files: their records in turn, each bad line a reject naming its
 * file and its line in that file; CRLF, a BOM on a file's first line and
 * blank lines taken off, a last line without its newline read. */
static void
test_reader_files(void)
{
	static const char a[] = "\xef\xbb\xbf{\"a\":1}\r\n"
	    "\n"
	    " \t \r\n"
	    "[1,2]\n"
	    "not json\n"
	    "{\"b\":2.50}";
	static const char b[] = "{\"c\":\"\xd0\x96\"}\n"
	    "\"x\"\n"
	    "{\"d\":1,\"d\":2}\n"
	    "{\"e\":\"a\\u0000b\"}\n"
	    "\xef\xbb\xbf{\"f\":true}\n";
	struct jsonl_reader r;
	struct reject_stream rs;
	char *paths[2], *got, *rejected = NULL, want[2048];
	size_t rlen = 0;

	paths[0] = unit_file("a.jsonl", a, sizeof(a) - 1);
	paths[1] = unit_file("b.jsonl", b, sizeof(b) - 1);
	rejects_open(&rs, &rejected, &rlen);
	jsonl_open(&r, 2, paths);
	got = read_all(&r, &rs);
	expect_str("records of two files", got,
	    "{\"a\":1}\n{\"b\":2.50}\n{\"c\":\"\xd0\x96\"}\n");
	expect_int("non-blank lines", r.nlines, 9);
	expect_int("blank lines", r.nblank, 2);
	expect_int("status", jsonl_close(&r), 0);
	fflush(rs.fp);
	snprintf(want, sizeof(want),
	    "{\"file\":\"%s\",\"line\":4,\"raw\":\"[1,2]\",\"rejected_by\":\"jsonl_test\",\"errors\":"
	    "[{\"code\":\"bad_json\",\"message\":\"not a JSON object but "
	    "an array\"}]}\n"
	    "{\"file\":\"%s\",\"line\":5,\"raw\":\"not json\",\"rejected_by\":\"jsonl_test\",\"errors\":"
	    "[{\"code\":\"bad_json\",\"message\":\"not JSON: invalid token "
	    "near 'not' at column 3\"}]}\n"
	    "{\"file\":\"%s\",\"line\":2,\"raw\":\"\\\"x\\\"\",\"rejected_by\":\"jsonl_test\",\"errors\":"
	    "[{\"code\":\"bad_json\",\"message\":\"not a JSON object but "
	    "a string\"}]}\n"
	    "{\"file\":\"%s\",\"line\":3,\"raw\":\"{\\\"d\\\":1,\\\"d\\\":2}\","
	    "\"rejected_by\":\"jsonl_test\",\"errors\":[{\"code\":\"bad_json\",\"message\":\"not JSON: "
	    "duplicate object key near '\\\"d\\\"' at column 10\"}]}\n"
	    "{\"file\":\"%s\",\"line\":4,\"raw\":\"{\\\"e\\\":\\\"a\\\\u0000b"
	    "\\\"}\",\"rejected_by\":\"jsonl_test\",\"errors\":[{\"code\":\"bad_json\",\"message\":\"not "
	    "JSON: \\\\u0000 is not allowed in a string near '\\\"a\\\\u0000b"
	    "\\\"' at column 15\"}]}\n"
	    "{\"file\":\"%s\",\"line\":5,\"raw\":\"\xef\xbb\xbf{\\\"f\\\":true}\","
	    "\"rejected_by\":\"jsonl_test\",\"errors\":[{\"code\":\"bad_json\",\"message\":\"not JSON: "
	    "invalid token near '\xef\xbb\xbf' at column 1\"}]}\n",
	    paths[0], paths[0], paths[1], paths[1], paths[1], paths[1]);
	expect_str("rejects of two files", rejected, want);
	expect_int("rejects counted", rs.count, 6);
	fclose(rs.fp);
	free(rejected);
	free(got);
	free(paths[0]);
	free(paths[1]);
}

/* Standard input: read when there is no operand, and for "-"; a reject
 * of one input names no file.  A NUL byte is a reject of its own, in the
 * reader's language. */
static void
test_reader_stdin(void)
{
	static const char in[] = "{\"a\":1}\n"
	    "{\"b\":\"x\0y\"}\n"
	    "\0\n"
	    "42\n";
	struct jsonl_reader r;
	struct reject_stream rs;
	char *path, *got, *rejected = NULL, *dash[1] = { "-" };
	size_t rlen = 0;

	path = unit_file("stdin.jsonl", in, sizeof(in) - 1);
	if (freopen(path, "r", stdin) == NULL) {
		perror(path);
		exit(1);
	}
	rejects_open(&rs, &rejected, &rlen);
	jsonl_open(&r, 0, NULL);
	r.lang = MSG_RU;
	got = read_all(&r, &rs);
	expect_str("records of standard input", got, "{\"a\":1}\n");
	expect_str("its name", r.name, "<stdin>");
	expect_int("status", jsonl_close(&r), 0);
	fflush(rs.fp);
	expect_str("rejects of standard input, in Russian", rejected,
	    "{\"line\":2,\"raw\":\"{\\\"b\\\":\\\"x\\u0000y\\\"}\",\"rejected_by\":\"jsonl_test\",\"errors\":"
	    "[{\"code\":\"bad_json\",\"message\":\"не JSON: байт NUL в "
	    "столбце 8\"}]}\n"
	    "{\"line\":3,\"raw\":\"\\u0000\",\"rejected_by\":\"jsonl_test\",\"errors\":[{\"code\":"
	    "\"bad_json\",\"message\":\"не JSON: байт NUL в столбце 1\"}]}\n"
	    "{\"line\":4,\"raw\":\"42\",\"rejected_by\":\"jsonl_test\",\"errors\":[{\"code\":\"bad_json\","
	    "\"message\":\"не объект JSON, а число\"}]}\n");
	free(got);
	fclose(rs.fp);
	free(rejected);

	/* "-" is standard input too, read again from its start */
	rewind(stdin);
	rejected = NULL;
	rejects_open(&rs, &rejected, &rlen);
	jsonl_open(&r, 1, dash);
	got = read_all(&r, &rs);
	expect_str("records of -", got, "{\"a\":1}\n");
	expect_int("rejects of -", rs.count, 3);
	expect_int("status of -", jsonl_close(&r), 0);
	free(got);
	fclose(rs.fp);
	free(rejected);
	free(path);
	if (freopen("/dev/null", "r", stdin) == NULL)
		perror("/dev/null");
}

/* An operand that cannot be opened, or is a directory, is a warning and a
 * remembered 66; the next operands are still read. */
static void
test_reader_missing(void)
{
	struct jsonl_reader r;
	struct reject_stream rs;
	char *paths[3], *got, *said, *rejected = NULL, want[1024];
	size_t rlen = 0;

	paths[0] = unit_path("none.jsonl");
	paths[1] = strdup(unit_dir());
	paths[2] = unit_file("one.jsonl", "{\"a\":1}\n", 8);
	rejects_open(&rs, &rejected, &rlen);
	jsonl_open(&r, 3, paths);
	unit_stderr_begin();
	got = read_all(&r, &rs);
	said = unit_stderr_end();
	expect_str("records after two bad operands", got, "{\"a\":1}\n");
	expect_int("status", jsonl_close(&r), EX_NOINPUT);
	snprintf(want, sizeof(want), "jsonl_test: cannot open '%s': No such "
	    "file or directory\njsonl_test: cannot read '%s': Is a "
	    "directory\n", paths[0], paths[1]);
	expect_str("warnings", said, want);
	expect_int("no rejects", rs.count, 0);
	fclose(rs.fp);
	free(rejected);
	free(said);
	free(got);
	free(paths[0]);
	free(paths[1]);
	free(paths[2]);
}

/* jsonl_line(): the line without CRLF, and its length, which counts a NUL
 * byte as any other. */
static void
test_line(void)
{
	static const char in[] = "ab\r\n\r\n\0c\n";
	struct jsonl_reader r;
	char *paths[1], *line;
	size_t len = 99;

	paths[0] = unit_file("lines", in, sizeof(in) - 1);
	jsonl_open(&r, 1, paths);
	line = jsonl_line(&r, &len);
	expect_mem("line 1", line, len, "ab", 2);
	expect_int("line 1's number", r.lineno, 1);
	line = jsonl_line(&r, &len);
	expect_mem("line 3", line, len, "\0c", 2);
	expect_int("line 3's number", r.lineno, 3);
	line = jsonl_line(&r, &len);
	expect_true("the end", line == NULL);
	expect_int("status", jsonl_close(&r), 0);
	free(paths[0]);
}

/* The writer: one compact line, keys in their order, UTF-8 as it is,
 * controls and quotes escaped, numbers as they were read or, made by a
 * program, as the shortest text that reads back the same. */
static void
test_writer(void)
{
	static const char doc[] = "{\"z\":\"\xd0\x9a\\u00e9\\t\\\"\\\\\","
	    "\"a\":[100.50,1e-7,-0,12345678901234567890],\"m\":null}";
	json_t *v;
	char *out = NULL, buf[64], *text;
	size_t len = 0, cap = 0;
	FILE *fp;

	if ((fp = open_memstream(&out, &len)) == NULL)
		abort();
	v = jsonl_parse(doc, sizeof(doc) - 1, ANY, NULL);
	expect_int("jsonl_write()", jsonl_write(fp, v), 0);
	json_decref(v);
	v = json_pack("{s:f,s:f,s:I,s:b,s:s#}", "half", 0.5, "third",
	    1.0 / 3, "big", (json_int_t)INT64_MIN, "t", 1, "ctl", "\x01\x7f",
	    2);
	expect_int("jsonl_write() of made values", jsonl_write(fp, v), 0);
	fclose(fp);
	expect_str("written lines", out,
	    "{\"z\":\"\xd0\x9a\xc3\xa9\\t\\\"\\\\\",\"a\":[100.50,1e-7,-0,"
	    "12345678901234567890],\"m\":null}\n"
	    "{\"half\":0.5,\"third\":0.3333333333333333,\"big\":"
	    "-9223372036854775808,\"t\":true,\"ctl\":\"\\u0001\x7f\"}\n");
	free(out);
	expect_str("jsonl_number_text() of a made real",
	    jsonl_number_text(json_object_get(v, "half"), buf, sizeof(buf)),
	    "0.5");
	expect_true("a made real has no raw text",
	    jsonl_number_raw(json_object_get(v, "half")) == NULL);
	expect_str("jsonl_number_text() of an integer",
	    jsonl_number_text(json_object_get(v, "big"), buf, sizeof(buf)),
	    "-9223372036854775808");
	expect_true("jsonl_number_text() of a string",
	    jsonl_number_text(json_object_get(v, "ctl"), buf, sizeof(buf)) ==
	    NULL);
	json_decref(v);
	v = jsonl_parse("[1.10]", 6, ANY, NULL);
	expect_str("jsonl_number_raw() of a parsed real",
	    jsonl_number_raw(json_array_get(v, 0)), "1.10");
	json_decref(v);

	/* jsonl_encode_string(): any bytes, only what JSON needs escaped */
	text = NULL;
	len = 0;
	jsonl_encode_string(&text, &cap, &len, "a\"b\\\n\r\b\f\0\xff", 10);
	expect_mem("jsonl_encode_string()", text, len,
	    "\"a\\\"b\\\\\\n\\r\\b\\f\\u0000\xff\"", 23);
	free(text);

	/* a full device: the write or the finish says so */
	if ((fp = fopen("/dev/full", "w")) != NULL) {
		v = json_pack("{s:s}", "a", "b");
		setvbuf(fp, NULL, _IONBF, 0);
		expect_int("jsonl_write() to /dev/full", jsonl_write(fp, v),
		    -1);
		unit_stderr_begin();
		expect_int("jsonl_finish() of /dev/full",
		    jsonl_finish(fp, "<full>"), -1);
		text = unit_stderr_end();
		expect_str("its warning", text,
		    "jsonl_test: cannot write '<full>': No space left on "
		    "device\n");
		free(text);
		json_decref(v);
	}
	if ((fp = open_memstream(&out, &len)) == NULL)
		abort();
	expect_int("jsonl_finish() of a good stream",
	    jsonl_finish(fp, "<memory>"), 0);
	free(out);
}

/* jsonl_string_lossy(): UTF-8 kept, each byte that starts no valid
 * sequence one U+FFFD, NUL kept. */
static void
test_lossy(void)
{
	static const struct {
		const char	*in;
		size_t		 len;
		const char	*want;
		size_t		 wantlen;
	} cases[] = {
		{ "plain", 5, "plain", 5 },
		{ "\xd0\x96\xf0\x9f\x98\x80", 6, "\xd0\x96\xf0\x9f\x98\x80", 6 },
		{ "a\xff" "b", 3, "a\xef\xbf\xbd" "b", 5 },
		{ "\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd", 6 },
		{ "\xed\xa0\x80", 3,
		    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 9 },
		{ "\xd0", 1, "\xef\xbf\xbd", 3 },
		{ "a\0b", 3, "a\0b", 3 },
		{ "", 0, "", 0 },
	};
	json_t *v;
	char what[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "jsonl_string_lossy() case %zu",
		    i);
		v = jsonl_string_lossy(cases[i].in, cases[i].len);
		expect_true(what, json_is_string(v));
		expect_mem(what, json_string_value(v), json_string_length(v),
		    cases[i].want, cases[i].wantlen);
		json_decref(v);
	}
}

/* The lines of a file, each across the reader's reads: long ones, CRLF, a
 * BOM, blank lines, a NUL byte, no newline at the end. */
static void
test_lines(void)
{
	static const char *const want[] = {
		"{\"a\":1}", "", "{\"b\":2}", "{\"nul\":\"x\0y\"}",
		"{\"last\":true}",
	};
	static const size_t wantlen[] = { 7, 0, 7, 13, 13 };
	char path[] = "/tmp/jsonl_test.XXXXXX", *argv[1], *line, what[64];
	struct jsonl_reader r;
	size_t len, i, n, big = 26 * 8000;
	FILE *fp;
	int fd;

	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		perror("mkstemp");
		exit(1);
	}
	fputs("\xef\xbb\xbf{\"a\":1}\r\n  \t\n", fp);
	/* A line of big bytes (a..z over and over), over the first read and
	 * its growth. */
	fputs("{\"long\":\"", fp);
	for (i = 0; i < big; i++)
		putc('a' + i % 26, fp);
	fputs("\"}\n{\"b\":2}\n", fp);
	fwrite("{\"nul\":\"x\0y\"}\n", 1, 14, fp);
	fputs("{\"last\":true}", fp);
	fclose(fp);
	argv[0] = path;
	jsonl_open(&r, 1, argv);
	for (n = 0; (line = jsonl_line(&r, &len)) != NULL; n++) {
		snprintf(what, sizeof(what), "line %zu", n + 1);
		if (n == 1) {
			expect_int("the long line's length", len, big + 11);
			expect_mem("its end", line + len - 4, 4, "yz\"}", 4);
			expect_int("it is NUL-terminated", line[len], 0);
		} else if (n < 5)
			expect_mem(what, line, len, want[n], wantlen[n]);
	}
	expect_int("five lines, the blank one skipped", n, 5);
	expect_int("one blank", r.nblank, 1);
	expect_int("line numbers count the blank one", r.lineno, 6);
	expect_int("no error", jsonl_close(&r), 0);
	unlink(path);
}

/* jsonl_ready() on a pipe, as order-reserve reads a tail -f: a line read
 * ahead is ready though the pipe is empty, half a line is not. */
static void
test_ready(void)
{
	struct jsonl_reader r;
	int p[2], saved;
	size_t len;
	char *line;

	if (pipe(p) == -1 || (saved = dup(0)) == -1 || dup2(p[0], 0) == -1) {
		perror("pipe");
		exit(1);
	}
	close(p[0]);
	jsonl_open(&r, 0, NULL);
	expect_int("nothing opened yet: ready", jsonl_ready(&r), 1);
	if (write(p[1], "{\"a\":1}\n{\"b\":2}\n", 16) != 16)
		exit(1);
	line = jsonl_line(&r, &len);
	expect_str("the first line", line, "{\"a\":1}");
	expect_int("the second, read ahead: ready", jsonl_ready(&r), 1);
	line = jsonl_line(&r, &len);
	expect_str("the second line", line, "{\"b\":2}");
	expect_int("nothing more: not ready", jsonl_ready(&r), 0);
	if (write(p[1], "{\"c\"", 4) != 4)
		exit(1);
	expect_int("half a line: not ready", jsonl_ready(&r), 0);
	if (write(p[1], ":3}\n{\"d\"", 8) != 8)
		exit(1);
	expect_int("the rest of it: ready", jsonl_ready(&r), 1);
	line = jsonl_line(&r, &len);
	expect_str("the third line", line, "{\"c\":3}");
	expect_int("half the fourth: not ready", jsonl_ready(&r), 0);
	close(p[1]);
	expect_int("the end: ready", jsonl_ready(&r), 1);
	line = jsonl_line(&r, &len);
	expect_str("the fourth, cut short", line, "{\"d\"");
	expect_true("then none", jsonl_line(&r, &len) == NULL);
	expect_int("no error", jsonl_close(&r), 0);
	dup2(saved, 0);
	close(saved);
}

/* A record written member by member reads as jsonl_encode() writes its
 * tree: escapes, empty objects taken back, arrays kept, integers at
 * their bounds. */
static void
test_out(void)
{
	static const char want[] = "{\"id\":\"A\\\"1\\n\",\"n\":"
	    "-9223372036854775808,\"items\":[{\"qty\":2}],\"empty\":[],"
	    "\"extra\":{\"k\":[1,\"v\"]}}\n";
	struct jsonl_out w = { NULL, 0, 0, 0 };
	struct jsonl_mark top, o, items, item, empty;
	json_t *extra = json_pack("{s:[i,s]}", "k", 1, "v");

	jsonl_out_open(&w, NULL, '{', &top);
	jsonl_out_text(&w, "id", "A\"1\n");
	jsonl_out_text(&w, "none", NULL);
	jsonl_out_text(&w, "blank", "");
	jsonl_out_int(&w, "n", INT64_MIN);
	jsonl_out_open(&w, "shipping", '{', &o);
	jsonl_out_close(&w, &o, '}', 1);
	jsonl_out_open(&w, "items", '[', &items);
	jsonl_out_open(&w, NULL, '{', &item);
	jsonl_out_int(&w, "qty", 2);
	jsonl_out_close(&w, &item, '}', 1);
	jsonl_out_close(&w, &items, ']', 0);
	jsonl_out_open(&w, "empty", '[', &empty);
	jsonl_out_close(&w, &empty, ']', 0);
	jsonl_out_open(&w, "dropped", '{', &o);
	jsonl_out_text(&w, "x", "y");
	jsonl_out_drop(&w, &o);
	jsonl_out_json(&w, "extra", extra);
	jsonl_out_close(&w, &top, '}', 0);
	jsonl_out_raw(&w, "\n", 1);
	expect_mem("a record written member by member", w.buf, w.len, want,
	    sizeof(want) - 1);
	json_decref(extra);
	free(w.buf);
}

/* An id is a string as it is or an integer in decimal; nothing else. */
static void
test_id_text(void)
{
	char buf[JSONL_ID_BUF];
	const char *t;
	size_t len = 99;
	json_t *v;

	v = json_stringn("A\0B", 3);
	t = jsonl_id_text(v, buf, &len);
	expect_mem("a string id, NUL and all", t, len, "A\0B", 3);
	json_decref(v);
	v = json_string("");
	t = jsonl_id_text(v, buf, &len);
	expect_true("an empty string id", t != NULL && len == 0);
	json_decref(v);
	v = json_integer(INT64_MIN);
	t = jsonl_id_text(v, buf, &len);
	expect_mem("an integer id", t, len, "-9223372036854775808", 20);
	json_decref(v);
	v = json_real(1.5);
	expect_true("a fraction is no id", jsonl_id_text(v, buf, &len) == NULL);
	json_decref(v);
	expect_true("an absent id", jsonl_id_text(NULL, buf, &len) == NULL);
}

/* jsonl_id_strdup(): the text of a non-empty id, a C string. */
static void
test_id_strdup(void)
{
	json_t *v;
	char *t;

	v = json_integer(42);
	t = jsonl_id_strdup(v);
	expect_str("an integer id", t, "42");
	free(t);
	json_decref(v);
	v = json_string("SHOP-1");
	t = jsonl_id_strdup(v);
	expect_str("a string id", t, "SHOP-1");
	free(t);
	json_decref(v);
	v = json_stringn("A\0B", 3);
	t = jsonl_id_strdup(v);
	expect_str("cut at a NUL byte", t, "A");
	free(t);
	json_decref(v);
	v = json_string("");
	expect_true("an empty id is none", jsonl_id_strdup(v) == NULL);
	json_decref(v);
	expect_true("an absent id is none", jsonl_id_strdup(NULL) == NULL);
}

/* jsonl_line()'s offset: where each line lies in a regular file (a BOM
 * and a CR left out, blank lines skipped, lines longer than a read),
 * counted from the file's start even when standard input was read in
 * part before; -1 for a pipe. */
static void
test_offsets(void)
{
	static const char head[] = "\xef\xbb\xbf{\"a\":1}\r\n\n  \n{\"b\":2}\n";
	struct jsonl_reader r;
	char *text, *path, *line, *dash[1] = { "-" };
	size_t len, n, big = 200000, at;
	int p[2], saved, fd;

	n = sizeof(head) - 1;
	text = malloc(n + big + 16);
	memcpy(text, head, n);
	text[n] = '"';
	memset(text + n + 1, 'x', big);
	memcpy(text + n + 1 + big, "\"\n{\"c\":3}", 9);
	n += big + 10;
	path = unit_file("offsets.jsonl", text, n);
	jsonl_open(&r, 1, &path);
	line = jsonl_line(&r, &len);
	expect_int("after the BOM", r.offset, 3);
	expect_mem("the line there", text + r.offset, len, line, len);
	line = jsonl_line(&r, &len);
	expect_int("blank lines skipped", r.offset, 16);
	expect_mem("the line there", text + r.offset, len, line, len);
	line = jsonl_line(&r, &len);
	at = sizeof(head) - 1;
	expect_int("a long line", r.offset, at);
	expect_int("... whole", len, big + 2);
	line = jsonl_line(&r, &len);
	expect_int("the last, after a long one", r.offset, at + big + 3);
	expect_mem("the line there", text + r.offset, len, line, len);
	jsonl_close(&r);

	/* Standard input that a shell read the first line of. */
	saved = dup(0);
	if ((fd = open(path, O_RDONLY)) == -1 ||
	    lseek(fd, 16, SEEK_SET) != 16 || dup2(fd, 0) == -1) {
		perror(path);
		exit(1);
	}
	close(fd);
	jsonl_open(&r, 1, dash);
	line = jsonl_line(&r, &len);
	expect_int("standard input: from the file's start", r.offset, 16);
	expect_mem("the line there", text + r.offset, len, line, len);
	jsonl_close(&r);

	if (pipe(p) == -1 || dup2(p[0], 0) == -1) {
		perror("pipe");
		exit(1);
	}
	close(p[0]);
	if (write(p[1], "{\"a\":1}\n", 8) != 8)
		exit(1);
	close(p[1]);
	jsonl_open(&r, 0, NULL);
	line = jsonl_line(&r, &len);
	expect_int("a pipe: no offset", r.offset, -1);
	jsonl_close(&r);
	dup2(saved, 0);
	close(saved);
	free(text);
	free(path);
}

/* jsonl_wait(): a line that comes within the wait is ready; a pipe that
 * stays silent is not, after about the time given. */
static void
test_wait(void)
{
	struct jsonl_reader r;
	struct timespec t0, t1;
	int p[2], saved;
	long ms;
	size_t len;
	pid_t pid;

	if (pipe(p) == -1 || (saved = dup(0)) == -1 || dup2(p[0], 0) == -1) {
		perror("pipe");
		exit(1);
	}
	close(p[0]);
	jsonl_open(&r, 0, NULL);
	if (write(p[1], "{\"a\":1}\n", 8) != 8)
		exit(1);
	expect_str("a line", jsonl_line(&r, &len), "{\"a\":1}");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	expect_int("silent: not ready", jsonl_wait(&r, 150), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	expect_true("... after the wait", ms >= 140 && ms < 5000);
	if ((pid = fork()) == -1) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		/* Half a line now, the rest a little later. */
		if (write(p[1], "{\"b\"", 4) != 4)
			_exit(1);
		usleep(100000);
		if (write(p[1], ":2}\n", 4) != 4)
			_exit(1);
		_exit(0);
	}
	expect_int("a line that comes in time: ready", jsonl_wait(&r, 5000),
	    1);
	waitpid(pid, NULL, 0);
	expect_str("... and read", jsonl_line(&r, &len), "{\"b\":2}");
	close(p[1]);
	expect_int("the end: ready at once", jsonl_wait(&r, 5000), 1);
	expect_true("then no line", jsonl_line(&r, &len) == NULL);
	expect_int("no error", jsonl_close(&r), 0);
	dup2(saved, 0);
	close(saved);
}

/* reject_record() on a line kept from jsonl_line(): the record, or the
 * reject reject_read() writes, naming the file and line it was given. */
static void
test_record(void)
{
	struct jsonl_reader r;
	struct reject_stream rs;
	char *rejected = NULL;
	size_t rlen = 0;
	json_t *v;

	rejects_open(&rs, &rejected, &rlen);
	jsonl_open(&r, 0, NULL);
	v = reject_record(&rs, &r, NULL, 7, "{\"a\":1}", 7);
	expect_true("an object", json_is_object(v));
	json_decref(v);
	expect_true("not JSON", reject_record(&rs, &r, "b.jsonl", 9, "{x",
	    2) == NULL);
	expect_true("a NUL", reject_record(&rs, &r, NULL, 3, "{}\0", 3) ==
	    NULL);
	expect_true("an array", reject_record(&rs, &r, NULL, 4, "[1]", 3) ==
	    NULL);
	fflush(rs.fp);
	expect_str("the rejects", rejected,
	    "{\"file\":\"b.jsonl\",\"line\":9,\"raw\":\"{x\",\"rejected_by\":\"jsonl_test\",\"errors\":[{"
	    "\"code\":\"bad_json\",\"message\":\"not JSON: string or '}' "
	    "expected near 'x' at column 2\"}]}\n"
	    "{\"line\":3,\"raw\":\"{}\\u0000\",\"rejected_by\":\"jsonl_test\",\"errors\":[{\"code\":"
	    "\"bad_json\",\"message\":\"not JSON: a NUL byte at column 3\"}]}\n"
	    "{\"line\":4,\"raw\":\"[1]\",\"rejected_by\":\"jsonl_test\",\"errors\":[{\"code\":\"bad_json\","
	    "\"message\":\"not a JSON object but an array\"}]}\n");
	expect_int("counted", rs.count, 3);
	fclose(rs.fp);
	free(rejected);
	jsonl_close(&r);
}

static void
test_peek(void)
{
	static const struct {
		const char	*text;
		int		 found;
		const char	*value;
	} cases[] = {
		{ "{\"id\":1,\"created_at\":\"2026-01-02T03:04:05Z\"}", 1,
		    "2026-01-02T03:04:05Z" },
		{ " { \"created_at\" : \"x\" , \"id\":1}", 1, "x" },
		{ "{\"created_at\":\"\"}", 1, "" },
		{ "{\"a\":{\"created_at\":\"inner\"},\"created_at\":\"outer\"}",
		    1, "outer" },
		{ "{\"a\":[\"created_at\",{\"b\":\"]}\"}],"
		    "\"created_at\":\"t\"}", 1, "t" },
		{ "{\"a\":\"x\\\"y\",\"created_at\":\"t\"}", 1, "t" },
		{ "{\"a\":\"x\\\\\",\"created_at\":\"t\"}", 1, "t" },
		{ "{\"a\":\"\\\\\\\"\\\\\",\"created_at\":\"t\"}", 1,
		    "t" },
		{ "{\"a\":\"x\\\",\"created_at\":\"t\"}", -1, NULL },
		{ "{\"a\":-1.5e3,\"b\":true,\"c\":null,"
		    "\"created_at\":\"t\"}", 1, "t" },
		{ "{\"a\":{\"created_at\":\"inner\"}}", 0, NULL },
		{ "{}", 0, NULL },
		{ "{\"created_at\":null}", 0, NULL },
		{ "{\"created_at\":20260102}", 0, NULL },
		{ "{\"created_atx\":\"t\"}", 0, NULL },
		{ "{\"created_a\":\"t\"}", 0, NULL },
		{ "{\"created_at\":\"a\\u0031\"}", -1, NULL },
		{ "{\"created\\u005fat\":\"t\"}", -1, NULL },
		{ "[\"created_at\"]", -1, NULL },
		{ "{\"created_at\":\"t", -1, NULL },
		{ "{\"a\":1", -1, NULL },
		{ "{\"a\" 1}", -1, NULL },
		{ "not json", -1, NULL },
		{ "", -1, NULL },
	};
	const char *value;
	char what[96];
	size_t i, vlen;
	int got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		value = NULL;
		got = jsonl_peek(cases[i].text, strlen(cases[i].text),
		    "created_at", &value, &vlen);
		snprintf(what, sizeof(what), "peek %s", cases[i].text);
		expect_int(what, got, cases[i].found);
		if (got == 1)
			expect_mem(what, value, vlen, cases[i].value,
			    strlen(cases[i].value));
	}
}

int
main(void)
{
	test_round_trip();
	test_normal_forms();
	test_numbers();
	test_errors();
	test_flags();
	test_depth();
	test_copy();
	test_many_numbers();
	test_reader_files();
	test_reader_stdin();
	test_reader_missing();
	test_line();
	test_writer();
	test_lossy();
	test_lines();
	test_ready();
	test_out();
	test_id_text();
	test_id_strdup();
	test_offsets();
	test_wait();
	test_record();
	test_peek();
	unit_cleanup();
	return unit_summary("jsonl");
}
