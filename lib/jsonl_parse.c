/* jsonl_parse.c: a JSON parser that keeps the text of numbers, and the
 * numbers' texts.
 *
 * jansson reads every number into an int64 or a double, so a record's
 * numbers came out rewritten (1e-7 as 1e-07, 100.50 as 100.5, -0 as 0) and
 * an integer beyond int64 (a marketplace's 20-digit id) failed the whole
 * line.  A step must pass what it does not own through as it came, so this
 * parser builds the same jansson values but remembers the text of each
 * number that is not a plain int64: that number is a json_real (no step
 * takes it for an integer, so an amount written so is still refused) whose
 * text jsonl_encode() writes back.
 *
 * jansson has no room in a value for that text: a table beside the values
 * holds it, keyed by the value's address, with a reference to the value so
 * that the address cannot be reused while the entry is there.  An entry
 * whose value only the table still holds is dropped when the table has
 * doubled since it was last swept, so the table stays about twice the size
 * of the numbers alive.  A lock guards it, so that no program need care
 * which thread makes or writes a value (order-import has a second one for
 * CSV); numbers of this kind are rare enough for the lock not to count.
 *
 * The parser is also faster than json_loadb(), which reads its input a byte
 * at a time through a function pointer and copies each string twice. */
#include <float.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jsonl.h"
#include "utf8.h"
#include "xalloc.h"

#define MAX_DEPTH	2048	/* as jansson's JSON_PARSER_MAX_DEPTH */
#define CONTEXT_MAX	20	/* a longer token is not quoted in a message */

/* ---------------------------------------------------------- number texts */

struct raw_entry {
	json_t		*value;		/* a reference; NULL: a free slot */
	char		*text;
};

static struct {
	pthread_mutex_t	 lock;
	struct raw_entry *slots;
	size_t		 cap;		/* a power of two, or 0 */
	size_t		 n;
	size_t		 limit;		/* sweep when n reaches it */
	int		 registered;	/* raw_free_all() is an atexit one */
} raw = { PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0, 0, 0 };

#define RAW_MIN_CAP	64
#define RAW_MIN_LIMIT	64

static size_t
raw_hash(const json_t *v, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)v >> 4;

	h *= UINT64_C(0x9e3779b97f4a7c15);
	return (size_t)(h >> 32) & (cap - 1);
}

static void
raw_place(struct raw_entry *slots, size_t cap, json_t *v, char *text)
{
	size_t i = raw_hash(v, cap);

	while (slots[i].value != NULL)
		i = (i + 1) & (cap - 1);
	slots[i].value = v;
	slots[i].text = text;
}

/* Move the entries to a table of cap slots, dropping (with sweep) those
 * whose value no one else holds. */
static void
raw_rebuild(size_t cap, int sweep)
{
	struct raw_entry *old = raw.slots, *e;
	size_t oldcap = raw.cap, i;

	raw.slots = xcalloc(cap, sizeof(*raw.slots));
	raw.cap = cap;
	raw.n = 0;
	for (i = 0; i < oldcap; i++) {
		e = &old[i];
		if (e->value == NULL)
			continue;
		if (sweep && __atomic_load_n(&e->value->refcount,
		    __ATOMIC_ACQUIRE) == 1) {
			json_decref(e->value);
			free(e->text);
			continue;
		}
		raw_place(raw.slots, cap, e->value, e->text);
		raw.n++;
	}
	free(old);
}

static void
raw_free_all(void)
{
	size_t i;

	pthread_mutex_lock(&raw.lock);
	for (i = 0; i < raw.cap; i++)
		if (raw.slots[i].value != NULL) {
			json_decref(raw.slots[i].value);
			free(raw.slots[i].text);
		}
	free(raw.slots);
	raw.slots = NULL;
	raw.cap = raw.n = raw.limit = 0;
	pthread_mutex_unlock(&raw.lock);
}

/* Remember text (taken over) as the text of the new value v. */
static void
raw_keep(json_t *v, char *text)
{
	pthread_mutex_lock(&raw.lock);
	if (!raw.registered) {
		raw.registered = 1;
		atexit(raw_free_all);
	}
	if (raw.n >= raw.limit && raw.cap > 0) {
		raw_rebuild(raw.cap, 1);
		raw.limit = raw.n * 2 > RAW_MIN_LIMIT ? raw.n * 2 :
		    RAW_MIN_LIMIT;
	}
	if (raw.limit == 0)
		raw.limit = RAW_MIN_LIMIT;
	if ((raw.n + 1) * 2 > raw.cap)
		raw_rebuild(raw.cap ? raw.cap * 2 : RAW_MIN_CAP, 0);
	raw_place(raw.slots, raw.cap, json_incref(v), text);
	raw.n++;
	pthread_mutex_unlock(&raw.lock);
}

const char *
jsonl_number_raw(const json_t *v)
{
	const char *text = NULL;
	size_t i;

	if (!json_is_real(v))
		return NULL;
	pthread_mutex_lock(&raw.lock);
	if (raw.cap > 0)
		for (i = raw_hash(v, raw.cap); raw.slots[i].value != NULL;
		    i = (i + 1) & (raw.cap - 1))
			if (raw.slots[i].value == v) {
				text = raw.slots[i].text;
				break;
			}
	pthread_mutex_unlock(&raw.lock);
	return text;
}

/* A json_real for the number text[0..len-1] (valid JSON), with its text
 * kept.  A magnitude beyond a double's is kept as the largest double: the
 * value is only for a step that reads it as a real, the text is what is
 * written. */
static json_t *
raw_number(const char *text, size_t len)
{
	char *copy = xmalloc(len + 1);
	double d;
	json_t *v;

	memcpy(copy, text, len);
	copy[len] = '\0';
	/* No program calls setlocale(3): the decimal point is '.'. */
	d = strtod(copy, NULL);
	if (d > DBL_MAX)
		d = DBL_MAX;
	else if (d < -DBL_MAX)
		d = -DBL_MAX;
	if ((v = json_real(d)) == NULL)
		xnomem();
	raw_keep(v, copy);
	return v;
}

json_t *
jsonl_copy(const json_t *value)
{
	const char *key, *text;
	json_t *copy, *elem;
	size_t i;
	void *iter;

	switch (json_typeof(value)) {
	case JSON_OBJECT:
		if ((copy = json_object()) == NULL)
			xnomem();
		for (iter = json_object_iter((json_t *)value); iter != NULL;
		    iter = json_object_iter_next((json_t *)value, iter)) {
			key = json_object_iter_key(iter);
			if (json_object_setn_new_nocheck(copy, key,
			    json_object_iter_key_len(iter),
			    jsonl_copy(json_object_iter_value(iter))) == -1)
				xnomem();
		}
		return copy;
	case JSON_ARRAY:
		if ((copy = json_array()) == NULL)
			xnomem();
		json_array_foreach(value, i, elem)
			if (json_array_append_new(copy, jsonl_copy(elem)) == -1)
				xnomem();
		return copy;
	case JSON_STRING:
		copy = json_stringn_nocheck(json_string_value(value),
		    json_string_length(value));
		break;
	case JSON_INTEGER:
		copy = json_integer(json_integer_value(value));
		break;
	case JSON_REAL:
		if ((text = jsonl_number_raw(value)) != NULL)
			return raw_number(text, strlen(text));
		copy = json_real(json_real_value(value));
		break;
	default:	/* true, false, null: jansson's constants */
		return json_incref((json_t *)value);
	}
	if (copy == NULL)
		xnomem();
	return copy;
}

/* ---------------------------------------------------------------- parser */

struct parser {
	const char	*start, *end;	/* the text */
	const char	*p;		/* the next byte to read */
	json_error_t	*error;
	int		 depth;
	char		*scratch;	/* unescaped strings */
	size_t		 scratchcap;
	int		 failed;
	int		 reject_duplicates;
};

/* What each byte is to a string: 0 taken as it is, 1 '"', 2 '\\', 3 a
 * control, 4 the start of a UTF-8 sequence. */
static const unsigned char string_class[256] = {
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
	4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

#define IS_DIGIT(c)	((c) >= '0' && (c) <= '9')
#define IS_XDIGIT(c)	(IS_DIGIT(c) || ((c) >= 'a' && (c) <= 'f') || \
			    ((c) >= 'A' && (c) <= 'F'))
#define IS_ALPHA(c)	(((c) >= 'a' && (c) <= 'z') || \
			    ((c) >= 'A' && (c) <= 'Z'))

static void
skip_space(struct parser *ps)
{
	const char *p = ps->p;

	while (p < ps->end && (*p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r'))
		p++;
	ps->p = p;
}

/* The length of the valid UTF-8 sequence at p, 0 if none. */
static size_t
seqlen(const char *p, const char *end)
{
	const unsigned char *s = (const unsigned char *)p;

	/* Two bytes (Cyrillic, accented Latin) inline: most of it. */
	if (s[0] >= 0xc2 && s[0] <= 0xdf && end - p >= 2 &&
	    (s[1] & 0xc0) == 0x80)
		return 2;
	return utf8_seqlen(s, end - p);
}

/* Scan the number (RFC 8259's grammar) at p: its end, or where it stops
 * being one, in *stop; 0, or -1 when it is not a number.  *plain when it has
 * neither fraction nor exponent. */
static int
scan_number(const char *p, const char *end, const char **stop, int *plain)
{
	int ok = -1;

	*plain = 1;
	if (*p == '-')
		p++;
	if (p < end && *p == '0') {
		p++;
		if (p < end && IS_DIGIT(*p))
			goto out;
	} else if (p < end && IS_DIGIT(*p)) {
		while (p < end && IS_DIGIT(*p))
			p++;
	} else
		goto out;
	if (p < end && *p == '.') {
		*plain = 0;
		p++;
		if (p >= end || !IS_DIGIT(*p))
			goto out;
		while (p < end && IS_DIGIT(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		*plain = 0;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !IS_DIGIT(*p))
			goto out;
		while (p < end && IS_DIGIT(*p))
			p++;
	}
	ok = 0;
out:
	*stop = p;
	return ok;
}

/* Where the token that starts at p ends, as jansson's lexer takes it: for
 * the context of a message. */
static const char *
token_end(const struct parser *ps, const char *p)
{
	const char *end = ps->end;
	size_t n;
	int plain;

	if (p >= end)
		return p;
	switch (*p) {
	case '{': case '}': case '[': case ']': case ':': case ',':
		return p + 1;
	case '"':
		for (p++; p < end && *p != '"'; p++)
			if (*p == '\\' && p + 1 < end)
				p++;
		return p < end ? p + 1 : end;
	}
	if (*p == '-' || IS_DIGIT(*p)) {
		scan_number(p, end, &p, &plain);
		return p;
	}
	if (IS_ALPHA(*p)) {
		while (p < end && IS_ALPHA(*p))
			p++;
		return p;
	}
	if ((unsigned char)*p >= 0x80 && (n = seqlen(p, end)) > 0)
		return p + n;
	return p + 1;
}

/* Fail with the message fmt, "near" the text tok..at when it is short,
 * "near end of file" when there is none left; the column (in characters,
 * from 1) is that of the character before at, as jansson counts. */
static void
fail(struct parser *ps, const char *tok, const char *at,
    enum json_error_code code, const char *fmt, ...)
{
	json_error_t *e = ps->error;
	char msg[JSON_ERROR_TEXT_LENGTH - 48], context[CONTEXT_MAX + 1];
	const char *s, *line;
	va_list ap;
	int col, nline;

	if (ps->failed)
		return;
	ps->failed = 1;
	if (e == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (at > tok && at - tok <= CONTEXT_MAX) {
		memcpy(context, tok, at - tok);
		context[at - tok] = '\0';
		snprintf(e->text, JSON_ERROR_TEXT_LENGTH - 1, "%s near '%s'",
		    msg, context);
	}
	else if (at == tok && at >= ps->end)
		snprintf(e->text, JSON_ERROR_TEXT_LENGTH - 1,
		    "%s near end of file", msg);
	else
		snprintf(e->text, JSON_ERROR_TEXT_LENGTH - 1, "%s", msg);
	e->text[JSON_ERROR_TEXT_LENGTH - 1] = (char)code;
	line = ps->start;
	nline = 1;
	for (s = ps->start; s < at; s++)
		if (*s == '\n') {
			nline++;
			line = s + 1;
		}
	col = 0;
	for (s = line; s < at; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			col++;
	e->line = nline;
	e->column = col;
	e->position = (int)(at - ps->start);
}

static int scan_string(struct parser *, const char **, size_t *, int *);

/* Fail at the token that starts at ps->p, unless the token is broken
 * itself: that is the error then, as jansson's lexer finds it first. */
static void
fail_token(struct parser *ps, enum json_error_code code, const char *msg)
{
	const char *tok = ps->p, *s;
	size_t n;
	int nul;

	if (tok < ps->end && (unsigned char)*tok >= 0x80 &&
	    seqlen(tok, ps->end) == 0) {
		fail(ps, tok, tok, json_error_invalid_utf8,
		    "unable to decode byte 0x%x", (unsigned char)*tok);
		return;
	}
	if (tok < ps->end && *tok == '"' &&
	    scan_string(ps, &s, &n, &nul) == -1)
		return;
	fail(ps, tok, token_end(ps, tok), code, "%s", msg);
}

static void
scratch_put(struct parser *ps, size_t *len, const char *s, size_t n)
{
	size_t cap = ps->scratchcap;

	if (*len + n + 1 > cap) {
		if (cap < 256)
			cap = 256;
		while (cap < *len + n + 1)
			cap *= 2;
		ps->scratch = xrealloc(ps->scratch, cap);
		ps->scratchcap = cap;
	}
	memcpy(ps->scratch + *len, s, n);
	*len += n;
}

static int
hex4(const char *p)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (IS_DIGIT(p[i]))
			v |= p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			v |= p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			v |= p[i] - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* The string whose '"' is at ps->p: its bytes in *sp (in the input when it
 * has no escapes, else in the scratch buffer) and *lenp; *nulp set when it
 * holds U+0000.  -1 after fail(). */
static int
scan_string(struct parser *ps, const char **sp, size_t *lenp, int *nulp)
{
	const char *tok = ps->p, *p = tok + 1, *end = ps->end, *run;
	size_t len = 0, n;
	char utf8[4];
	int escaped = 0, c, c2;

	*nulp = 0;
	for (;;) {
		run = p;
		while (p < end && string_class[(unsigned char)*p] == 0)
			p++;
		if (escaped)
			scratch_put(ps, &len, run, p - run);
		if (p >= end) {
			fail(ps, tok, end, json_error_premature_end_of_input,
			    "premature end of input");
			return -1;
		}
		switch (string_class[(unsigned char)*p]) {
		case 1:
			ps->p = p + 1;
			if (escaped) {
				*sp = ps->scratch;
				*lenp = len;
			} else {
				*sp = tok + 1;
				*lenp = p - (tok + 1);
			}
			return 0;
		case 3:
			if (*p == '\n')
				fail(ps, tok, p, json_error_invalid_syntax,
				    "unexpected newline");
			else
				fail(ps, tok, p, json_error_invalid_syntax,
				    "control character 0x%x", *p);
			return -1;
		case 4:
			if ((n = seqlen(p, end)) == 0) {
				fail(ps, tok, p, json_error_invalid_utf8,
				    "unable to decode byte 0x%x",
				    (unsigned char)*p);
				return -1;
			}
			if (escaped)
				scratch_put(ps, &len, p, n);
			p += n;
			continue;
		}
		/* A backslash: from here on the string is built in scratch. */
		if (!escaped) {
			escaped = 1;
			scratch_put(ps, &len, tok + 1, p - (tok + 1));
		}
		if (p + 1 >= end) {
			fail(ps, tok, end, json_error_invalid_syntax,
			    "invalid escape");
			return -1;
		}
		switch (p[1]) {
		case '"': case '\\': case '/':
			scratch_put(ps, &len, p + 1, 1);
			p += 2;
			continue;
		case 'b': scratch_put(ps, &len, "\b", 1); p += 2; continue;
		case 'f': scratch_put(ps, &len, "\f", 1); p += 2; continue;
		case 'n': scratch_put(ps, &len, "\n", 1); p += 2; continue;
		case 'r': scratch_put(ps, &len, "\r", 1); p += 2; continue;
		case 't': scratch_put(ps, &len, "\t", 1); p += 2; continue;
		case 'u':
			break;
		default:
			if ((unsigned char)p[1] >= 0x80 &&
			    seqlen(p + 1, end) == 0)
				fail(ps, tok, p + 1, json_error_invalid_utf8,
				    "unable to decode byte 0x%x",
				    (unsigned char)p[1]);
			else
				fail(ps, tok, p + 2, json_error_invalid_syntax,
				    "invalid escape");
			return -1;
		}
		for (n = 2; n < 6; n++) {
			if (p + n >= end) {
				fail(ps, tok, end, json_error_invalid_syntax,
				    "invalid escape");
				return -1;
			}
			if (!IS_XDIGIT(p[n])) {
				fail(ps, tok, p + n + 1,
				    json_error_invalid_syntax,
				    "invalid escape");
				return -1;
			}
		}
		c = hex4(p + 2);
		p += 6;
		if (c >= 0xd800 && c <= 0xdbff) {
			if (p + 6 <= end && p[0] == '\\' && p[1] == 'u' &&
			    (c2 = hex4(p + 2)) >= 0) {
				if (c2 < 0xdc00 || c2 > 0xdfff) {
					fail(ps, tok, token_end(ps, tok),
					    json_error_invalid_syntax,
					    "invalid Unicode '\\u%04X\\u%04X'",
					    c, c2);
					return -1;
				}
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (c2 - 0xdc00);
				p += 6;
			} else {
				fail(ps, tok, token_end(ps, tok),
				    json_error_invalid_syntax,
				    "invalid Unicode '\\u%04X'", c);
				return -1;
			}
		} else if (c >= 0xdc00 && c <= 0xdfff) {
			fail(ps, tok, token_end(ps, tok),
			    json_error_invalid_syntax,
			    "invalid Unicode '\\u%04X'", c);
			return -1;
		}
		if (c == 0)
			*nulp = 1;
		if (c < 0x80) {
			utf8[0] = c;
			n = 1;
		} else if (c < 0x800) {
			utf8[0] = 0xc0 | c >> 6;
			utf8[1] = 0x80 | (c & 0x3f);
			n = 2;
		} else if (c < 0x10000) {
			utf8[0] = 0xe0 | c >> 12;
			utf8[1] = 0x80 | (c >> 6 & 0x3f);
			utf8[2] = 0x80 | (c & 0x3f);
			n = 3;
		} else {
			utf8[0] = 0xf0 | c >> 18;
			utf8[1] = 0x80 | (c >> 12 & 0x3f);
			utf8[2] = 0x80 | (c >> 6 & 0x3f);
			utf8[3] = 0x80 | (c & 0x3f);
			n = 4;
		}
		scratch_put(ps, &len, utf8, n);
	}
}

/* The number at ps->p: a json_integer when it is one in int64's range
 * written plainly, else a json_real that keeps its text. */
static json_t *
parse_number(struct parser *ps)
{
	const char *tok = ps->p, *p, *digits;
	uint64_t u = 0, limit;
	int neg = *tok == '-', plain;
	json_t *v;

	if (scan_number(tok, ps->end, &p, &plain) == -1) {
		fail(ps, tok, p, json_error_invalid_syntax, "invalid token");
		return NULL;
	}
	digits = tok + neg;
	ps->p = p;
	if (plain && !(neg && p - digits == 1 && *digits == '0') &&
	    p - digits <= 19) {
		limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
		for (; digits < p; digits++)
			u = u * 10 + (*digits - '0');
		if (u <= limit) {
			v = json_integer(neg ? (json_int_t)(0 - u) :
			    (json_int_t)u);
			if (v == NULL)
				xnomem();
			return v;
		}
	}
	return raw_number(tok, p - tok);
}

static json_t *parse_value(struct parser *);

static json_t *
parse_object(struct parser *ps)
{
	json_t *object, *value;
	const char *key, *keytok, *keyend;
	char *keycopy;
	size_t keylen, size;
	int nul;

	if ((object = json_object()) == NULL)
		xnomem();
	ps->p++;		/* '{' */
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
		return object;
	}
	for (;;) {
		if (ps->p >= ps->end || *ps->p != '"') {
			fail_token(ps, json_error_invalid_syntax,
			    "string or '}' expected");
			goto bad;
		}
		keytok = ps->p;
		if (scan_string(ps, &key, &keylen, &nul) == -1)
			goto bad;
		keyend = ps->p;
		if (nul) {
			fail(ps, keytok, keyend, json_error_null_byte_in_key,
			    "NUL byte in object key not supported");
			goto bad;
		}
		/* An unescaped key is in the input, which stays; an escaped
		 * one is in scratch, which the value may reuse. */
		keycopy = NULL;
		if (key == ps->scratch)
			key = keycopy = xstrndup(key, keylen);
		skip_space(ps);
		if (ps->p >= ps->end || *ps->p != ':') {
			free(keycopy);
			fail_token(ps, json_error_invalid_syntax,
			    "':' expected");
			goto bad;
		}
		ps->p++;
		skip_space(ps);
		if ((value = parse_value(ps)) == NULL) {
			free(keycopy);
			goto bad;
		}
		/* A key already there is replaced, and the size stays: that
		 * is a duplicate, found without a lookup of its own. */
		size = json_object_size(object);
		if (json_object_setn_new_nocheck(object, key, keylen, value) ==
		    -1)
			xnomem();
		free(keycopy);
		if (json_object_size(object) == size && ps->reject_duplicates) {
			fail(ps, keytok, keyend, json_error_duplicate_key,
			    "duplicate object key");
			goto bad;
		}
		skip_space(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			skip_space(ps);
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			return object;
		}
		fail_token(ps, json_error_invalid_syntax, "'}' expected");
		goto bad;
	}
bad:
	json_decref(object);
	return NULL;
}

static json_t *
parse_array(struct parser *ps)
{
	json_t *array, *elem;

	if ((array = json_array()) == NULL)
		xnomem();
	ps->p++;		/* '[' */
	skip_space(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return array;
	}
	for (;;) {
		if (ps->p >= ps->end) {
			fail_token(ps, json_error_invalid_syntax,
			    "']' expected");
			goto bad;
		}
		if ((elem = parse_value(ps)) == NULL)
			goto bad;
		if (json_array_append_new(array, elem) == -1)
			xnomem();
		skip_space(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			skip_space(ps);
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return array;
		}
		fail_token(ps, json_error_invalid_syntax, "']' expected");
		goto bad;
	}
bad:
	json_decref(array);
	return NULL;
}

/* The literal (true, false, null) or invalid word at ps->p. */
static json_t *
parse_word(struct parser *ps)
{
	const char *tok = ps->p, *p = tok;
	size_t n;

	while (p < ps->end && IS_ALPHA(*p))
		p++;
	n = p - tok;
	ps->p = p;
	if (n == 4 && memcmp(tok, "true", 4) == 0)
		return json_true();
	if (n == 5 && memcmp(tok, "false", 5) == 0)
		return json_false();
	if (n == 4 && memcmp(tok, "null", 4) == 0)
		return json_null();
	fail(ps, tok, p, json_error_invalid_syntax, "invalid token");
	return NULL;
}

/* The value at ps->p (white space skipped), or NULL after fail(). */
static json_t *
parse_value(struct parser *ps)
{
	const char *tok = ps->p, *s;
	json_t *v;
	size_t len;
	int nul;

	if (++ps->depth > MAX_DEPTH) {
		fail_token(ps, json_error_stack_overflow,
		    "maximum parsing depth reached");
		return NULL;
	}
	if (tok >= ps->end) {
		fail(ps, tok, tok, json_error_premature_end_of_input,
		    "unexpected token");
		return NULL;
	}
	switch (*tok) {
	case '{':
		v = parse_object(ps);
		break;
	case '[':
		v = parse_array(ps);
		break;
	case '"':
		if (scan_string(ps, &s, &len, &nul) == -1)
			return NULL;
		if (nul) {
			fail(ps, tok, ps->p, json_error_null_character,
			    "\\u0000 is not allowed in a string");
			return NULL;
		}
		if ((v = json_stringn_nocheck(s, len)) == NULL)
			xnomem();
		break;
	case '}': case ']': case ':': case ',':
		fail_token(ps, json_error_invalid_syntax, "unexpected token");
		return NULL;
	default:
		if (*tok == '-' || IS_DIGIT(*tok))
			v = parse_number(ps);
		else if (IS_ALPHA(*tok))
			v = parse_word(ps);
		else {
			fail_token(ps, json_error_invalid_syntax,
			    "invalid token");
			return NULL;
		}
	}
	ps->depth--;
	return v;
}

json_t *
jsonl_parse(const char *buf, size_t len, size_t flags, json_error_t *error)
{
	struct parser ps;
	json_t *v = NULL;

	memset(&ps, 0, sizeof(ps));
	ps.start = ps.p = buf;
	ps.end = buf + len;
	ps.error = error;
	ps.reject_duplicates = (flags & JSON_REJECT_DUPLICATES) != 0;
	if (error != NULL) {
		memset(error, 0, sizeof(*error));
		snprintf(error->source, sizeof(error->source), "<buffer>");
		error->line = error->column = -1;
	}
	skip_space(&ps);
	if (!(flags & JSON_DECODE_ANY) &&
	    (ps.p >= ps.end || (*ps.p != '{' && *ps.p != '[')))
		fail_token(&ps, json_error_invalid_syntax,
		    "'[' or '{' expected");
	else if ((v = parse_value(&ps)) != NULL) {
		skip_space(&ps);
		if (ps.p < ps.end) {
			fail_token(&ps, json_error_end_of_input_expected,
			    "end of file expected");
			json_decref(v);
			v = NULL;
		}
	}
	free(ps.scratch);
	return v;
}
