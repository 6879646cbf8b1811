/* jsonl.c: JSON Lines reader and a fast compact writer. */
#include <err.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "fileio.h"
#include "jsonl.h"
#include "msg.h"
#include "progress.h"
#include "utf8.h"
#include "xalloc.h"

void
jsonl_open(struct jsonl_reader *r, int argc, char **argv)
{
	memset(r, 0, sizeof(*r));
	r->paths = argv;
	r->npaths = argc;
	r->lang = msg_lang_env();
}

/* Where the input opened starts, when it is a regular file: its lines
 * can be read again at their offsets (standard input may have been read
 * in part before us). */
static void
note_origin(struct jsonl_reader *r)
{
	struct stat sb;
	off_t at;

	r->origin = -1;
	r->nread = 0;
	if (fstat(fileno(r->fp), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (at = lseek(fileno(r->fp), 0, SEEK_CUR)) != -1)
		r->origin = at;
}

/* Open the next operand; 0 when there is none left. */
static int
next_file(struct jsonl_reader *r)
{
	const char *path;
	char msg[1024];

	for (;;) {
		if (r->npaths == 0 && r->next == 0)
			path = "-";
		else if (r->next < r->npaths)
			path = r->paths[r->next];
		else
			return 0;
		r->next++;
		if (r->npaths == 0)
			r->npaths = -1;		/* stdin read once */
		r->lineno = 0;
		if (strcmp(path, "-") == 0) {
			if ((r->fp = fileio_stdin(msg, sizeof(msg))) != NULL) {
				r->name = "<stdin>";
				note_origin(r);
				return 1;
			}
		} else if ((r->fp = fileio_read(path, msg, sizeof(msg))) !=
		    NULL) {
			r->name = path;
			note_origin(r);
			return 1;
		}
		warnx("%s", msg);
		r->status = EX_NOINPUT;
	}
}

static void
close_file(struct jsonl_reader *r)
{
	if (r->read_errno != 0) {
		errno = r->read_errno;
		warn("cannot read '%s'", r->name);
		if (r->status == 0)
			r->status = EX_IOERR;
	}
	if (r->fp != stdin)
		fclose(r->fp);
	r->fp = NULL;
	r->start = r->end = r->scan = 0;
	r->eof = 0;
	r->read_errno = 0;
}

/*
 * The reader reads the file descriptor itself, into its own buffer, rather
 * than through stdio: it can then tell whether a whole line is there
 * without waiting (jsonl_ready()), which stdio keeps to itself.  The
 * buffer holds the unread bytes buf[start..end); no '\n' lies in
 * buf[start..scan).
 */
#define READ_SIZE	65536

/* Read what the input gives at once after end: the bytes read, 0 at its
 * end (eof set), -1 on an error (read_errno set). */
static ssize_t
fill(struct jsonl_reader *r)
{
	ssize_t n;

	if (r->start == r->end)
		r->start = r->end = r->scan = 0;
	if (r->cap - r->end < READ_SIZE / 4) {
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->end -= r->start;
			r->scan -= r->start;
			r->start = 0;
		}
		if (r->cap - r->end < READ_SIZE / 4) {
			r->cap = r->cap ? r->cap * 2 : READ_SIZE;
			r->buf = xrealloc(r->buf, r->cap);
		}
	}
	/* One byte kept free, for the NUL after a last line. */
	do
		n = read(fileno(r->fp), r->buf + r->end, r->cap - r->end - 1);
	while (n == -1 && errno == EINTR);
	if (n > 0) {
		r->end += n;
		r->nread += n;
	}
	else if (n == 0)
		r->eof = 1;
	else
		r->read_errno = errno;
	return n;
}

/* The next line of the current input, NUL-terminated in the buffer, its
 * length in *lenp; NULL at its end or after an error. */
static char *
next_line(struct jsonl_reader *r, size_t *lenp)
{
	char *line, *nl;

	for (;;) {
		nl = r->end > r->scan ? memchr(r->buf + r->scan, '\n',
		    r->end - r->scan) : NULL;
		if (nl != NULL)
			break;
		r->scan = r->end;
		if (r->eof || r->read_errno != 0 || fill(r) <= 0) {
			if (r->start == r->end || r->read_errno != 0)
				return NULL;
			/* The last line, without its newline. */
			line = r->buf + r->start;
			*lenp = r->end - r->start;
			line[*lenp] = '\0';
			r->start = r->scan = r->end;
			return line;
		}
	}
	line = r->buf + r->start;
	*nl = '\0';
	*lenp = nl - line;
	r->start = r->scan = nl + 1 - r->buf;
	return line;
}

int
jsonl_ready(struct jsonl_reader *r)
{
	return jsonl_wait(r, 0);
}

/* Milliseconds from now to *end, at least 0. */
static int
left_ms(const struct timespec *end)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(end->tv_sec - now.tv_sec) * 1000 +
	    (end->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? (int)ms : 0;
}

int
jsonl_wait(struct jsonl_reader *r, int ms)
{
	struct pollfd pfd;
	struct timespec end;
	int n, left = ms;

	if (ms > 0) {
		clock_gettime(CLOCK_MONOTONIC, &end);
		end.tv_sec += ms / 1000;
		end.tv_nsec += (long)(ms % 1000) * 1000000;
		if (end.tv_nsec >= 1000000000) {
			end.tv_sec++;
			end.tv_nsec -= 1000000000;
		}
	}
	for (;;) {
		if (r->fp == NULL || r->eof || r->read_errno != 0)
			return 1;
		if (r->end > r->scan && memchr(r->buf + r->scan, '\n',
		    r->end - r->scan) != NULL)
			return 1;
		r->scan = r->end;
		pfd.fd = fileno(r->fp);
		pfd.events = POLLIN;
		n = poll(&pfd, 1, left);
		if (ms > 0)
			left = left_ms(&end);
		if (n == -1 && errno == EINTR && left > 0)
			continue;
		if (n != 1)
			return 0;
		/* Readable: read() gives what is there without waiting. */
		fill(r);
	}
}

static int
blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

char *
jsonl_line(struct jsonl_reader *r, size_t *lenp)
{
	size_t n;
	char *s;

	for (;;) {
		if (r->fp == NULL && !next_file(r))
			return NULL;
		if ((s = next_line(r, &n)) == NULL) {
			close_file(r);
			continue;
		}
		r->lineno++;
		/* buf[0] holds the byte at origin + nread - end. */
		r->offset = r->origin < 0 ? -1 : r->origin + r->nread -
		    (long long)r->end + (s - r->buf);
		if (n > 0 && s[n - 1] == '\r')
			s[--n] = '\0';
		if (r->lineno == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			memmove(s, s + 3, n - 2);
			n -= 3;
			if (r->offset >= 0)
				r->offset += 3;
		}
		if (blank(s, n)) {
			r->nblank++;
			continue;
		}
		r->nlines++;
		r->len = n;
		*lenp = n;
		progress(1);
		return s;
	}
}

const char *
jsonl_input_name(const struct jsonl_reader *r)
{
	return r->npaths > 1 ? r->name : NULL;
}

/* Past the JSON string that starts at p (its '"'), within end; whether it
 * held an escape in *escaped.  NULL when it does not end. */
static const char *
skip_string(const char *p, const char *end, int *escaped)
{
	const char *start = ++p, *q;
	size_t n;

	*escaped = 0;
	for (; (q = memchr(p, '"', end - p)) != NULL; p = q + 1) {
		/* A quote after an odd number of backslashes is text. */
		for (n = 0; q - n > start && q[-1 - (long)n] == '\\'; n++)
			continue;
		if (!*escaped && memchr(p, '\\', q - p) != NULL)
			*escaped = 1;
		if (n % 2 == 0)
			return q + 1;
	}
	return NULL;
}

static const char *
skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r'))
		p++;
	return p;
}

/* Past the JSON value at p (a string, an object or an array with all in
 * it, or a scalar), within end; NULL when it does not end there. */
static const char *
skip_value(const char *p, const char *end)
{
	const char *start = p;
	size_t depth = 0;
	int escaped;

	if (p < end && *p == '"')
		return skip_string(p, end, &escaped);
	if (p < end && (*p == '{' || *p == '[')) {
		while (p < end) {
			if (*p == '"') {
				if ((p = skip_string(p, end, &escaped)) == NULL)
					return NULL;
				continue;
			}
			if (*p == '{' || *p == '[')
				depth++;
			else if ((*p == '}' || *p == ']') && --depth == 0)
				return p + 1;
			p++;
		}
		return NULL;
	}
	while (p < end && strchr(",}] \t\n\r", *p) == NULL)
		p++;
	return p > start ? p : NULL;
}

int
jsonl_peek(const char *text, size_t len, const char *key,
    const char **value, size_t *vlen)
{
	const char *p, *end = text + len, *k, *v;
	size_t klen = strlen(key);
	int escaped;

	p = skip_blanks(text, end);
	if (p == end || *p != '{')
		return -1;
	p = skip_blanks(p + 1, end);
	if (p < end && *p == '}')
		return 0;
	for (;;) {
		if (p == end || *p != '"')
			return -1;
		k = p + 1;
		/* An escape in a key may spell key: only a parser can tell. */
		if ((p = skip_string(p, end, &escaped)) == NULL || escaped)
			return -1;
		if ((size_t)(p - 1 - k) == klen && memcmp(k, key, klen) == 0) {
			p = skip_blanks(p, end);
			if (p == end || *p != ':')
				return -1;
			p = skip_blanks(p + 1, end);
			if (p == end)
				return -1;
			if (*p != '"')
				return 0;
			v = p + 1;
			if ((p = skip_string(p, end, &escaped)) == NULL ||
			    escaped)
				return -1;
			*value = v;
			*vlen = p - 1 - v;
			return 1;
		}
		p = skip_blanks(p, end);
		if (p == end || *p != ':')
			return -1;
		if ((p = skip_value(skip_blanks(p + 1, end), end)) == NULL)
			return -1;
		p = skip_blanks(p, end);
		if (p == end)
			return -1;
		if (*p == '}')
			return 0;
		if (*p != ',')
			return -1;
		p = skip_blanks(p + 1, end);
	}
}

int
jsonl_close(struct jsonl_reader *r)
{
	if (r->fp != NULL)
		close_file(r);
	free(r->buf);
	r->buf = NULL;
	return r->status;
}

/* The writer.  jansson's json_dumpf() goes through a strbuffer and
 * snprintf() per number; writing into one reused buffer with our own
 * integer formatting halves the cost of output, which is most of a
 * pass-through program's time. */

static void
grow(char **bufp, size_t *capp, size_t len, size_t need)
{
	size_t cap = *capp;

	if (len + need <= cap)
		return;
	if (cap < 256)
		cap = 256;
	while (cap < len + need) {
		if (cap > SIZE_MAX / 2)
			xnomem();
		cap *= 2;
	}
	*bufp = xrealloc(*bufp, cap);
	*capp = cap;
}

/* Bytes that a JSON string cannot hold as they are: controls, '"', '\\'. */
static const unsigned char needs_escape[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

void
jsonl_encode_string(char **bufp, size_t *capp, size_t *lenp, const char *s,
    size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	const unsigned char *run;
	char *out;
	size_t len = *lenp;

	/* At worst every byte becomes \u00XX. */
	grow(bufp, capp, len, n * 6 + 2);
	out = *bufp;
	out[len++] = '"';
	while (p < end) {
		run = p;
		while (p < end && !needs_escape[*p])
			p++;
		memcpy(out + len, run, p - run);
		len += p - run;
		if (p == end)
			break;
		out[len++] = '\\';
		switch (*p) {
		case '"':  out[len++] = '"'; break;
		case '\\': out[len++] = '\\'; break;
		case '\n': out[len++] = 'n'; break;
		case '\r': out[len++] = 'r'; break;
		case '\t': out[len++] = 't'; break;
		case '\b': out[len++] = 'b'; break;
		case '\f': out[len++] = 'f'; break;
		default:
			out[len++] = 'u';
			out[len++] = '0';
			out[len++] = '0';
			out[len++] = hex[*p >> 4];
			out[len++] = hex[*p & 15];
		}
		p++;
	}
	out[len++] = '"';
	*lenp = len;
}

static void
encode_integer(char **bufp, size_t *capp, size_t *lenp, json_int_t v)
{
	char tmp[24], *t = tmp + sizeof(tmp);
	uint64_t u;

	u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		*--t = '0' + u % 10;
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--t = '-';
	grow(bufp, capp, *lenp, sizeof(tmp));
	memcpy(*bufp + *lenp, t, tmp + sizeof(tmp) - t);
	*lenp += tmp + sizeof(tmp) - t;
}

/* The shortest text that reads back as the same double, as a JSON number
 * (with ".0" when it would look like an integer).  Only values that came in
 * as reals pass here; amounts never do. */
static void
encode_real(char **bufp, size_t *capp, size_t *lenp, double v)
{
	char tmp[40];
	int prec, n;

	for (prec = 15; prec <= 17; prec++) {
		n = snprintf(tmp, sizeof(tmp) - 2, "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	if (strpbrk(tmp, ".eEn") == NULL) {	/* n: nan, inf */
		tmp[n++] = '.';
		tmp[n++] = '0';
		tmp[n] = '\0';
	}
	grow(bufp, capp, *lenp, n);
	memcpy(*bufp + *lenp, tmp, n);
	*lenp += n;
}

static void
put(char **bufp, size_t *capp, size_t *lenp, const char *s, size_t n)
{
	grow(bufp, capp, *lenp, n);
	memcpy(*bufp + *lenp, s, n);
	*lenp += n;
}

void
jsonl_encode(char **bufp, size_t *capp, size_t *lenp, const json_t *v)
{
	const char *key, *raw;
	json_t *elem;
	size_t i, n;
	void *iter;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		put(bufp, capp, lenp, "{", 1);
		n = 0;
		for (iter = json_object_iter((json_t *)v); iter != NULL;
		    iter = json_object_iter_next((json_t *)v, iter)) {
			if (n++ > 0)
				put(bufp, capp, lenp, ",", 1);
			key = json_object_iter_key(iter);
			jsonl_encode_string(bufp, capp, lenp, key,
			    json_object_iter_key_len(iter));
			put(bufp, capp, lenp, ":", 1);
			jsonl_encode(bufp, capp, lenp,
			    json_object_iter_value(iter));
		}
		put(bufp, capp, lenp, "}", 1);
		break;
	case JSON_ARRAY:
		put(bufp, capp, lenp, "[", 1);
		json_array_foreach(v, i, elem) {
			if (i > 0)
				put(bufp, capp, lenp, ",", 1);
			jsonl_encode(bufp, capp, lenp, elem);
		}
		put(bufp, capp, lenp, "]", 1);
		break;
	case JSON_STRING:
		jsonl_encode_string(bufp, capp, lenp, json_string_value(v),
		    json_string_length(v));
		break;
	case JSON_INTEGER:
		encode_integer(bufp, capp, lenp, json_integer_value(v));
		break;
	case JSON_REAL:
		if ((raw = jsonl_number_raw(v)) != NULL)
			put(bufp, capp, lenp, raw, strlen(raw));
		else
			encode_real(bufp, capp, lenp, json_real_value(v));
		break;
	case JSON_TRUE:
		put(bufp, capp, lenp, "true", 4);
		break;
	case JSON_FALSE:
		put(bufp, capp, lenp, "false", 5);
		break;
	case JSON_NULL:
		put(bufp, capp, lenp, "null", 4);
		break;
	}
}

const char *
jsonl_id_text(const json_t *v, char buf[JSONL_ID_BUF], size_t *lenp)
{
	if (json_is_string(v)) {
		*lenp = json_string_length(v);
		return json_string_value(v);
	}
	if (json_is_integer(v)) {
		*lenp = snprintf(buf, JSONL_ID_BUF, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		return buf;
	}
	return NULL;
}

char *
jsonl_id_strdup(const json_t *v)
{
	char buf[JSONL_ID_BUF];
	const char *id;
	size_t len;

	id = jsonl_id_text(v, buf, &len);
	return id != NULL && len > 0 ? xstrdup(id) : NULL;
}

/* ---- records written as they are made ---- */

void
jsonl_out_raw(struct jsonl_out *w, const char *s, size_t n)
{
	grow(&w->buf, &w->cap, w->len, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

/* s as a JSON string, escaped as jsonl_encode() escapes. */
static void
out_string(struct jsonl_out *w, const char *s, size_t n)
{
	jsonl_encode_string(&w->buf, &w->cap, &w->len, s, n);
}

void
jsonl_out_key(struct jsonl_out *w, const char *key)
{
	if (w->members++ > 0)
		jsonl_out_raw(w, ",", 1);
	if (key != NULL) {
		out_string(w, key, strlen(key));
		jsonl_out_raw(w, ":", 1);
	}
}

void
jsonl_out_text(struct jsonl_out *w, const char *key, const char *text)
{
	if (text != NULL && *text != '\0') {
		jsonl_out_key(w, key);
		out_string(w, text, strlen(text));
	}
}

void
jsonl_out_int(struct jsonl_out *w, const char *key, int64_t v)
{
	char tmp[24], *t = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--t = '0' + u % 10;
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--t = '-';
	jsonl_out_key(w, key);
	jsonl_out_raw(w, t, tmp + sizeof(tmp) - t);
}

void
jsonl_out_json(struct jsonl_out *w, const char *key, const json_t *v)
{
	jsonl_out_key(w, key);
	jsonl_encode(&w->buf, &w->cap, &w->len, v);
}

void
jsonl_out_open(struct jsonl_out *w, const char *key, char open,
    struct jsonl_mark *m)
{
	m->len = w->len;
	m->members = w->members;
	jsonl_out_key(w, key);
	jsonl_out_raw(w, &open, 1);
	w->members = 0;
}

void
jsonl_out_drop(struct jsonl_out *w, const struct jsonl_mark *m)
{
	w->len = m->len;
	w->members = m->members;
}

void
jsonl_out_close(struct jsonl_out *w, const struct jsonl_mark *m, char close,
    int drop_empty)
{
	if (w->members == 0 && drop_empty) {
		jsonl_out_drop(w, m);
		return;
	}
	jsonl_out_raw(w, &close, 1);
	w->members = m->members + 1;
}

const char *
jsonl_number_text(const json_t *v, char *buf, size_t len)
{
	const char *raw;
	char *text = NULL;
	size_t cap = 0, n = 0;

	if (!json_is_number(v))
		return NULL;
	if ((raw = jsonl_number_raw(v)) != NULL)
		return raw;
	jsonl_encode(&text, &cap, &n, v);
	snprintf(buf, len, "%.*s", (int)n, text);
	free(text);
	return buf;
}

/* One buffer for all writes: records are written one at a time. */
static char	*wbuf;
static size_t	 wcap;

static void
free_wbuf(void)
{
	free(wbuf);
	wbuf = NULL;
}

int
jsonl_write(FILE *fp, const json_t *value)
{
	size_t len = 0;

	if (wbuf == NULL)
		atexit(free_wbuf);
	jsonl_encode(&wbuf, &wcap, &len, value);
	put(&wbuf, &wcap, &len, "\n", 1);
	if (fwrite(wbuf, 1, len, fp) != len)
		return -1;
	return 0;
}

int
jsonl_finish(FILE *fp, const char *name)
{
	int bad;

	bad = fflush(fp) == EOF || ferror(fp);
	if (fclose(fp) == EOF)
		bad = 1;
	if (bad) {
		warn("cannot write '%s'", name);
		return -1;
	}
	return 0;
}

json_t *
jsonl_string_lossy(const char *s, size_t len)
{
	char *clean;
	size_t n;
	json_t *v;

	clean = utf8_sanitize(s, len, &n);
	if ((v = json_stringn_nocheck(clean, n)) == NULL)
		xnomem();
	free(clean);
	return v;
}

int
jsonl_csv_like(const char *text, size_t len)
{
	size_t i = 0;

	while (i < len && (text[i] == ' ' || text[i] == '\t'))
		i++;
	if (i == len || text[i] == '{' || text[i] == '[' || text[i] == '"')
		return 0;
	for (; i < len; i++)
		if (text[i] == ',' || text[i] == ';' || text[i] == '\t')
			return 1;
	return 0;
}
