/* csvread_fuzz.c: CSV rows pulled through libcsv.
 *
 * Input: one option byte, then the text.  Bits 0-1 of the byte choose the
 * delimiter: ',', ';', tab or '|'.  Checked: the rows are those libcsv
 * gives for the whole text in one call (csvread feeds it line by line),
 * each field is NUL-terminated at its length, and rows name lines in
 * order, within the text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "csvread.h"
#include "fuzz.h"

static struct fuzz_file file;

/* The rows libcsv makes of the whole text, as one string: each field
 * followed by 0x1f, each row by 0x1e.  The fields' bytes are kept as
 * they are, NUL and all. */
struct flat {
	char	*buf;
	size_t	 len, cap;
	size_t	 rowstart;	/* where the current row began */
	size_t	 nfields;	/* in the current row */
};

static void
flat_put(struct flat *f, const void *s, size_t n)
{
	if (f->len + n + 1 > f->cap) {
		f->cap = (f->len + n + 1) * 2;
		if ((f->buf = realloc(f->buf, f->cap)) == NULL)
			abort();
	}
	memcpy(f->buf + f->len, s, n);
	f->len += n;
}

static void
flat_field(void *s, size_t len, void *data)
{
	struct flat *f = data;

	flat_put(f, s ? s : "", s ? len : 0);
	flat_put(f, "\x1f", 1);
	f->nfields++;
}

static void
flat_row(int c, void *data)
{
	struct flat *f = data;

	(void)c;
	/* csvread skips empty lines: a row of one empty field */
	if (f->nfields == 1 && f->len == f->rowstart + 1)
		f->len = f->rowstart;
	else
		flat_put(f, "\x1e", 1);
	f->rowstart = f->len;
	f->nfields = 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = ",;\t|";
	struct csvread r;
	struct csvread_row *row;
	struct csv_parser p;
	struct flat whole = { 0 }, pulled = { 0 };
	const uint8_t *text;
	FILE *fp;
	unsigned long lines = 1, last = 0;
	size_t i, n, bytes = 0;
	char delim;

	if (size < 1)
		return 0;
	delim = delims[data[0] & 3];
	text = data + 1;
	n = size - 1;
	for (i = 0; i < n; i++)
		lines += text[i] == '\n';

	if ((fp = fopen(fuzz_file_set(&file, text, n), "r")) == NULL)
		abort();
	csvread_init(&r, fp, "fuzz", delim);
	while ((row = csvread_next(&r)) != NULL) {
		fuzz_check(row->line >= 1 && row->line <= lines,
		    "a row's line outside the text");
		fuzz_check(row->line >= last, "rows' lines out of order");
		last = row->line;
		for (i = 0; i < row->nfields; i++) {
			fuzz_check(row->fields[i][row->lens[i]] == '\0' &&
			    strlen(row->fields[i]) <= row->lens[i],
			    "a field not NUL-terminated at its length");
			bytes += row->lens[i];
			flat_field(row->fields[i], row->lens[i], &pulled);
		}
		flat_put(&pulled, "\x1e", 1);
	}
	fuzz_check(r.error == 0, "a read error");
	fuzz_check(bytes <= n, "fields hold more bytes than the text");
	csvread_release(&r);
	fclose(fp);

	if (csv_init(&p, CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0)
		abort();
	csv_set_delim(&p, delim);
	if (n >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		n -= 3;
	}
	fuzz_check(csv_parse(&p, text, n, flat_field, flat_row, &whole) == n,
	    "libcsv failed");
	csv_fini(&p, flat_field, flat_row, &whole);
	csv_free(&p);
	fuzz_check(whole.len == pulled.len && (whole.len == 0 ||
	    memcmp(whole.buf, pulled.buf, whole.len) == 0),
	    "rows differ from libcsv's for the whole text");
	free(whole.buf);
	free(pulled.buf);
	return 0;
}
