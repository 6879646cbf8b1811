/* csvread.c: a pull reader on top of libcsv's push parser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <csv.h>

#include "csvread.h"
#include "xalloc.h"

/* libcsv's state between rows (csv.c's ROW_NOT_BEGUN). */
#define PARSER_BETWEEN_ROWS	0

static void
on_field(void *s, size_t len, void *data)
{
	struct csvread *r = data;

	if (s == NULL)
		len = 0;
	if (r->used + len + 1 > r->cap) {
		r->cap = (r->used + len + 1) * 2;
		r->text = xrealloc(r->text, r->cap);
	}
	if (len > 0)
		memcpy(r->text + r->used, s, len);
	r->text[r->used + len] = '\0';
	if (r->nfields == r->capfields) {
		r->capfields = r->capfields ? r->capfields * 2 : 256;
		r->offs = xrealloc(r->offs, r->capfields * sizeof(*r->offs));
		r->lens = xrealloc(r->lens, r->capfields * sizeof(*r->lens));
	}
	r->offs[r->nfields] = r->used;
	r->lens[r->nfields++] = len;
	r->used += len + 1;
}

static void
on_row(int c, void *data)
{
	struct csvread *r = data;

	(void)c;
	if (r->nfields - r->curfirst == 1 && r->lens[r->curfirst] == 0) {
		r->used = r->offs[r->curfirst];	/* one empty field */
		r->nfields = r->curfirst;
		return;
	}
	if (r->nrows == r->caprows) {
		r->caprows = r->caprows ? r->caprows * 2 : 64;
		r->rowfirst = xrealloc(r->rowfirst,
		    r->caprows * sizeof(*r->rowfirst));
		r->rowline = xrealloc(r->rowline,
		    r->caprows * sizeof(*r->rowline));
		r->rowoff = xrealloc(r->rowoff,
		    r->caprows * sizeof(*r->rowoff));
		r->rowlen = xrealloc(r->rowlen,
		    r->caprows * sizeof(*r->rowlen));
	}
	r->rowfirst[r->nrows] = r->curfirst;
	r->rowline[r->nrows] = r->rowstartline;
	r->rowoff[r->nrows] = r->rowstart;
	r->rowlen[r->nrows++] = r->lineend - r->rowstart;
	r->curfirst = r->nfields;
}

void
csvread_init(struct csvread *r, FILE *fp, const char *name, char delim)
{
	memset(r, 0, sizeof(*r));
	r->fp = fp;
	r->name = name;
	r->first = 1;
	r->rowstartline = 1;
	if (csv_init(&r->parser, CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
		xnomem();
	csv_set_delim(&r->parser, delim);
	csv_set_realloc_func(&r->parser, xrealloc);
}

/* Drop the rows handed out; keep the row in progress. */
static void
compact(struct csvread *r)
{
	size_t i, base, nkeep = r->nfields - r->curfirst;

	base = nkeep > 0 ? r->offs[r->curfirst] : r->used;
	if (r->used > base)
		memmove(r->text, r->text + base, r->used - base);
	for (i = 0; i < nkeep; i++) {
		r->offs[i] = r->offs[r->curfirst + i] - base;
		r->lens[i] = r->lens[r->curfirst + i];
	}
	r->used -= base;
	r->nfields = nkeep;
	r->curfirst = 0;
	r->nrows = r->next = 0;
}

/* Parse a chunk line by line, so that a row knows the line and the byte
 * it starts on: the first line after the row before it that is not empty
 * (libcsv skips empty lines without a word). */
static void
parse_chunk(struct csvread *r, const char *buf, size_t off, size_t n)
{
	const char *p, *end, *nl;

	for (p = buf + off, end = buf + n; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', end - p)) == NULL)
			nl = end - 1;
		r->lineend = r->off + (nl + 1 - buf);
		if (csv_parse(&r->parser, p, nl - p + 1, on_field, on_row,
		    r) != (size_t)(nl - p + 1))
			xnomem();
		if (*nl == '\n')
			r->line++;
		if (r->parser.pstate == PARSER_BETWEEN_ROWS &&
		    r->nfields == r->curfirst) {
			r->rowstart = r->lineend;
			r->rowstartline = r->line + 1;
		}
	}
}

struct csvread_row *
csvread_next(struct csvread *r)
{
	char buf[65536];
	size_t n, off, i, first, count;

	while (r->next == r->nrows && !r->eof) {
		compact(r);
		n = fread(buf, 1, sizeof(buf), r->fp);
		off = r->first && n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0 ?
		    3 : 0;
		if (r->first)
			r->rowstart = off;
		r->first = 0;
		if (n == 0) {
			if (ferror(r->fp))
				r->error = EX_IOERR;
			r->lineend = r->off;
			csv_fini(&r->parser, on_field, on_row, r);
			r->eof = 1;
			break;
		}
		parse_chunk(r, buf, off, n);
		r->off += n;
	}
	if (r->next == r->nrows)
		return NULL;
	first = r->rowfirst[r->next];
	count = (r->next + 1 < r->nrows ? r->rowfirst[r->next + 1] :
	    r->curfirst) - first;
	if (r->outcap < count) {
		r->outcap = count * 2;
		r->out.fields = xrealloc(r->out.fields,
		    r->outcap * sizeof(*r->out.fields));
	}
	for (i = 0; i < count; i++)
		r->out.fields[i] = r->text + r->offs[first + i];
	r->out.lens = r->lens + first;
	r->out.nfields = count;
	r->out.line = r->rowline[r->next];
	r->out.off = r->rowoff[r->next];
	r->out.len = r->rowlen[r->next++];
	return &r->out;
}

void
csvread_release(struct csvread *r)
{
	csv_free(&r->parser);
	free(r->text);
	free(r->offs);
	free(r->lens);
	free(r->rowfirst);
	free(r->rowline);
	free(r->rowoff);
	free(r->rowlen);
	free(r->out.fields);
	memset(r, 0, sizeof(*r));
}
