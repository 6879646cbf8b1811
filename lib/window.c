/* window.c: JSON lines read ahead of their turn, in time order, and read
 * again from their files when their turn comes. */
#include <err.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

#include "arena.h"
#include "jsonl.h"
#include "rfc3339.h"
#include "window.h"
#include "xalloc.h"

#define READ_GAP	16384		/* bytes read past rather than seek */
#define READ_SPAN	(4 << 20)	/* bytes a read at most */

void
window_init(struct window *w, size_t max, int pause_ms, const char *time_key)
{
	memset(w, 0, sizeof(*w));
	w->max = max;
	w->pause_ms = pause_ms;
	w->time_key = time_key;
}

/* The time of the line text[0..len-1], from its member key, in epoch
 * seconds; WINDOW_UNTIMED when it has none (or the line is no JSON). */
static int64_t
line_time(const char *key, const char *text, size_t len)
{
	const char *value;
	char buf[64];
	json_t *order = NULL;
	int64_t when = WINDOW_UNTIMED;
	size_t vlen;
	int found, offset;

	found = jsonl_peek(text, len, key, &value, &vlen);
	if (found == -1) {
		/* The scan cannot tell (an escape, or no JSON): parse it. */
		order = jsonl_parse(text, len, JSON_REJECT_DUPLICATES, NULL);
		if ((value = json_string_value(json_object_get(order,
		    key))) != NULL) {
			found = 1;
			vlen = strlen(value);
		}
	}
	if (found == 1 && vlen < sizeof(buf)) {
		memcpy(buf, value, vlen);
		buf[vlen] = '\0';
		if (rfc3339_parse(buf, &when, &offset) == -1)
			when = WINDOW_UNTIMED;
	}
	json_decref(order);
	return when;
}

/* The oldest first, then those without a time; else in input order. */
static int
line_cmp(const void *a, const void *b)
{
	const struct window_line *x = a, *y = b;

	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Put the window's lines in the order of their turns.  An export is most
 * often in time order already. */
static void
sort_lines(struct window *w)
{
	size_t i;

	for (i = 1; i < w->n; i++)
		if (line_cmp(&w->v[i - 1], &w->v[i]) > 0) {
			qsort(w->v, w->n, sizeof(*w->v), line_cmp);
			return;
		}
}

/* The window's input for the reader's current one: a regular file gets
 * a descriptor of our own, to read its lines again after the reader has
 * gone on to the next. */
static size_t
input_of(struct window *w, const struct jsonl_reader *in)
{
	struct window_input *wi;

	if (w->ninputs > 0 && w->inputs[w->ninputs - 1].next == in->next)
		return w->ninputs - 1;
	w->inputs = xrealloc(w->inputs, (w->ninputs + 1) *
	    sizeof(*w->inputs));
	wi = &w->inputs[w->ninputs];
	wi->next = in->next;
	wi->name = in->name;
	wi->file = jsonl_input_name(in);
	wi->fd = -1;
	if (in->offset >= 0 && (wi->fd = dup(fileno(in->fp))) == -1 &&
	    errno != EMFILE)
		err(EX_OSERR, "cannot read '%s' again", in->name);
	return w->ninputs++;
}

void
window_read(struct window *w, struct jsonl_reader *in, int *eof)
{
	struct window_line *p;
	char *line;
	size_t len;

	w->n = 0;
	while (w->n < w->max) {
		if (w->n > 0 && !jsonl_wait(in, w->pause_ms))
			break;
		if ((line = jsonl_line(in, &len)) == NULL) {
			*eof = 1;
			break;
		}
		if (w->n == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 256;
			w->v = xrealloc(w->v, w->cap * sizeof(*w->v));
		}
		p = &w->v[w->n];
		p->input = input_of(w, in);
		p->offset = in->offset;
		p->line = w->inputs[p->input].fd == -1 ?
		    arena_strndup(&w->arena, line, len) : NULL;
		p->len = len;
		p->lineno = in->lineno;
		p->seq = w->n++;
		p->when = w->time_key != NULL ? line_time(w->time_key, line,
		    len) : WINDOW_UNTIMED;
	}
	if (w->time_key != NULL)
		sort_lines(w);
}

void
window_clear(struct window *w)
{
	size_t i;

	for (i = 0; i < w->ninputs; i++)
		if (w->inputs[i].fd != -1)
			close(w->inputs[i].fd);
	w->ninputs = 0;
	w->n = 0;
	arena_release(&w->arena);
}

static int
place_cmp(const void *a, const void *b)
{
	const struct window_line *x = *(struct window_line *const *)a;
	const struct window_line *y = *(struct window_line *const *)b;

	if (x->input != y->input)
		return x->input < y->input ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* The lines of w->order[i..n) that one read takes, from the first: those
 * of its file that follow it closely, up to READ_SPAN bytes.  Their end;
 * the bytes in [*start, *end). */
static size_t
read_group(const struct window *w, size_t i, size_t n, long long *start,
    long long *end)
{
	const struct window_line *p = w->order[i], *q;
	size_t k;

	*start = p->offset;
	*end = p->offset + (long long)p->len;
	for (k = i + 1; k < n; k++) {
		q = w->order[k];
		if (q->input != p->input || q->offset > *end + READ_GAP ||
		    q->offset + (long long)q->len - *start > READ_SPAN)
			break;
		if (q->offset + (long long)q->len > *end)
			*end = q->offset + (long long)q->len;
	}
	return k;
}

/* Read again the lines of w->v[from..to) that were not kept, in their
 * files' order, lines near each other in one read, into w->chunk. */
static void
read_chunk(struct window *w, size_t from, size_t to)
{
	const struct window_input *wi;
	struct window_line *q;
	size_t n = 0, i, k, at, need;
	long long start, end, got;
	ssize_t r;

	if (to - from > w->ordercap)
		w->order = xrealloc(w->order, (w->ordercap = to - from) *
		    sizeof(*w->order));
	for (i = from; i < to; i++)
		if (w->v[i].line == NULL)
			w->order[n++] = &w->v[i];
	for (i = 1; i < n; i++)
		if (place_cmp(&w->order[i - 1], &w->order[i]) > 0) {
			qsort(w->order, n, sizeof(*w->order), place_cmp);
			break;
		}
	for (i = 0, need = 0; i < n; i = k) {
		k = read_group(w, i, n, &start, &end);
		need += end - start;
	}
	if (need > w->chunkcap)
		w->chunk = xrealloc(w->chunk, w->chunkcap = need);
	for (i = 0, at = 0; i < n; i = k) {
		k = read_group(w, i, n, &start, &end);
		wi = &w->inputs[w->order[i]->input];
		for (got = 0; got < end - start; got += r) {
			r = pread(wi->fd, w->chunk + at + got,
			    end - start - got, start + got);
			if (r == -1 && errno == EINTR)
				r = 0;
			else if (r == -1)
				err(EX_IOERR, "cannot read '%s'", wi->name);
			else if (r == 0)
				errx(EX_IOERR, "cannot read '%s': it was cut "
				    "short while it was read", wi->name);
		}
		for (; i < k; i++) {
			q = w->order[i];
			q->line = w->chunk + at + (q->offset - start);
		}
		at += end - start;
	}
}

size_t
window_chunk(struct window *w, size_t from, size_t most)
{
	size_t to = w->n - from > most ? from + most : w->n;

	read_chunk(w, from, to);
	return to;
}

const char *
window_file(const struct window *w, const struct window_line *line)
{
	return w->inputs[line->input].file;
}

void
window_release(struct window *w)
{
	window_clear(w);
	free(w->v);
	free(w->inputs);
	free(w->chunk);
	free(w->order);
	memset(w, 0, sizeof(*w));
}
