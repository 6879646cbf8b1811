/* csvread.c: a pull reader on top of libcsv's push parser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <csv.h>

#include "csvread.h"
#include "xalloc.h"

static void
row_add(struct csvread_row *row, const char *s, size_t len)
{
	if (row->nfields == row->cap) {
		row->cap = row->cap ? row->cap * 2 : 16;
		row->fields = xrealloc(row->fields,
		    row->cap * sizeof(*row->fields));
		row->lens = xrealloc(row->lens, row->cap * sizeof(*row->lens));
	}
	row->fields[row->nfields] = xmalloc(len + 1);
	memcpy(row->fields[row->nfields], s, len);
	row->fields[row->nfields][len] = '\0';
	row->lens[row->nfields++] = len;
}

static void
row_clear(struct csvread_row *row)
{
	size_t i;

	for (i = 0; i < row->nfields; i++)
		free(row->fields[i]);
	row->nfields = 0;
}

static void
row_free(struct csvread_row *row)
{
	row_clear(row);
	free(row->fields);
	free(row->lens);
	memset(row, 0, sizeof(*row));
}

static void
on_field(void *s, size_t len, void *data)
{
	struct csvread *r = data;
	size_t i;

	/* The field ends on line r->line + 1, where it is passed on; a
	 * quoted one began as many lines before as it holds newlines. */
	if (r->cur.nfields == 0) {
		r->cur.line = r->line + 1;
		for (i = 0; s != NULL && i < len; i++)
			if (((const char *)s)[i] == '\n')
				r->cur.line--;
	}
	row_add(&r->cur, s ? s : "", s ? len : 0);
}

static void
on_row(int c, void *data)
{
	struct csvread *r = data;
	struct csvread_row *dst;

	(void)c;
	if (r->cur.nfields == 1 && r->cur.lens[0] == 0) {
		row_clear(&r->cur);		/* an empty line */
		return;
	}
	if (r->nrows == r->caprows) {
		r->caprows = r->caprows ? r->caprows * 2 : 16;
		r->rows = xrealloc(r->rows, r->caprows * sizeof(*r->rows));
	}
	dst = &r->rows[r->nrows++];
	*dst = r->cur;
	memset(&r->cur, 0, sizeof(r->cur));
}

void
csvread_init(struct csvread *r, FILE *fp, const char *name, char delim)
{
	memset(r, 0, sizeof(*r));
	r->fp = fp;
	r->name = name;
	if (csv_init(&r->parser, CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
		xnomem();
	csv_set_delim(&r->parser, delim);
	csv_set_realloc_func(&r->parser, xrealloc);
}

/* Count newlines so that rows can name their line. */
static void
count_lines(struct csvread *r, const char *buf, size_t n)
{
	const char *p = buf, *end = buf + n;

	while ((p = memchr(p, '\n', end - p)) != NULL) {
		r->line++;
		p++;
	}
}

struct csvread_row *
csvread_next(struct csvread *r)
{
	char buf[65536];
	size_t n, off;

	while (r->first == r->nrows && !r->eof) {
		r->first = r->nrows = 0;
		n = fread(buf, 1, sizeof(buf), r->fp);
		off = 0;
		if (r->nread == 0 && r->line == 0 && n >= 3 &&
		    memcmp(buf, "\xef\xbb\xbf", 3) == 0)
			off = 3;
		if (n == 0) {
			if (ferror(r->fp))
				r->error = EX_IOERR;
			csv_fini(&r->parser, on_field, on_row, r);
			r->eof = 1;
			break;
		}
		/* Line numbers: libcsv calls back while parsing the chunk, so
		 * count up to each row's end would need its offsets; rows are
		 * numbered by the newlines before the chunk plus their own. */
		{
			const char *p = buf + off, *end = buf + n;
			const char *nl;

			while (p < end) {
				nl = memchr(p, '\n', end - p);
				if (nl == NULL)
					nl = end - 1;
				if (csv_parse(&r->parser, p, nl - p + 1, on_field,
				    on_row, r) != (size_t)(nl - p + 1))
					xnomem();
				count_lines(r, p, nl - p + 1);
				p = nl + 1;
			}
		}
	}
	if (r->first == r->nrows)
		return NULL;
	row_free(&r->out);
	r->out = r->rows[r->first++];
	r->nread++;
	return &r->out;
}

void
csvread_release(struct csvread *r)
{
	while (r->first < r->nrows)
		row_free(&r->rows[r->first++]);
	free(r->rows);
	row_free(&r->cur);
	row_free(&r->out);
	csv_free(&r->parser);
}
