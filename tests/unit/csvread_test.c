/* csvread_test.c: unit tests of lib/csvread.h, on input in a tmpfile(3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "csvread.h"
#include "unit.h"

/* A growing string, for the rows read. */
struct text {
	char	*s;
	size_t	 len, cap;
};

static void
text_add(struct text *t, const char *s, size_t len)
{
	if (t->len + len + 1 > t->cap) {
		t->cap = (t->len + len + 1) * 2;
		if ((t->s = realloc(t->s, t->cap)) == NULL) {
			perror("realloc");
			exit(2);
		}
	}
	memcpy(t->s + t->len, s, len);
	t->len += len;
	t->s[t->len] = '\0';
}

static FILE *
file_of(const char *in, size_t len)
{
	FILE *fp;

	if ((fp = tmpfile()) == NULL || fwrite(in, 1, len, fp) != len ||
	    fflush(fp) == EOF) {
		perror("tmpfile");
		exit(2);
	}
	rewind(fp);
	return fp;
}

/* All rows of in, each as "LINE:field|field\n", in a new string of length
 * *len; *error gets the reader's error. */
static char *
read_all(const char *in, size_t inlen, char delim, size_t *len, int *error)
{
	struct text out = { NULL, 0, 0 };
	struct csvread r;
	struct csvread_row *row;
	char num[32];
	size_t i;
	FILE *fp = file_of(in, inlen);

	text_add(&out, "", 0);
	csvread_init(&r, fp, "test.csv", delim);
	while ((row = csvread_next(&r)) != NULL) {
		snprintf(num, sizeof(num), "%lu:", row->line);
		text_add(&out, num, strlen(num));
		for (i = 0; i < row->nfields; i++) {
			if (i > 0)
				text_add(&out, "|", 1);
			text_add(&out, row->fields[i], row->lens[i]);
			if (row->fields[i][row->lens[i]] != '\0')
				text_add(&out, "<no NUL>", 8);
		}
		text_add(&out, "\n", 1);
	}
	*error = r.error;
	csvread_release(&r);
	fclose(fp);
	*len = out.len;
	return out.s;
}

static void
expect_rows(const char *what, const char *in, size_t inlen, char delim,
    const char *want, size_t wantlen)
{
	char *got;
	size_t len;
	int error;

	got = read_all(in, inlen, delim, &len, &error);
	expect_mem(what, got, len, want, wantlen);
	expect_int(what, error, 0);
	free(got);
}

#define ROWS(what, in, delim, want) \
	expect_rows(what, in, sizeof(in) - 1, delim, want, sizeof(want) - 1)

static void
test_rows(void)
{
	ROWS("plain rows", "sku,qty\nA,1\nB,2\n", ',',
	    "1:sku|qty\n2:A|1\n3:B|2\n");
	ROWS("a quoted comma", "\"Red, large\",2\n", ',',
	    "1:Red, large|2\n");
	ROWS("doubled quotes", "\"say \"\"hi\"\"\",x\n", ',',
	    "1:say \"hi\"|x\n");
	ROWS("a quoted empty field", "a,\"\",c\n", ',', "1:a||c\n");
	ROWS("empty fields", "a,,c\n,\n", ',', "1:a||c\n2:|\n");
	ROWS("a quoted newline", "id,note\n1,\"line one\nline two\"\n2,x\n",
	    ',', "1:id|note\n2:1|line one\nline two\n4:2|x\n");
	ROWS("a first field over lines", "\"a\nb\",c\nd,e\n", ',',
	    "1:a\nb|c\n3:d|e\n");
	ROWS("a first field over three lines", "h\n\"a\n\nb\",c\nd,e\n", ',',
	    "1:h\n2:a\n\nb|c\n5:d|e\n");
	ROWS("a last field over lines", "a,\"b\nc\"\nd,e\n", ',',
	    "1:a|b\nc\n3:d|e\n");
	ROWS("semicolons", "sku;price\nA;1,50\n", ';',
	    "1:sku|price\n2:A|1,50\n");
	ROWS("tabs", "sku\tname\nA\tRed, large\n", '\t',
	    "1:sku|name\n2:A|Red, large\n");
	ROWS("a quoted tab", "\"a\tb\"\tc\n", '\t', "1:a\tb|c\n");
	ROWS("a BOM", "\xef\xbb\xbfsku,qty\nA,1\n", ',',
	    "1:sku|qty\n2:A|1\n");
	ROWS("a BOM before a quote", "\xef\xbb\xbf\"sku\",qty\n", ',',
	    "1:sku|qty\n");
	ROWS("only a BOM", "\xef\xbb\xbf", ',', "");
	ROWS("a BOM inside is kept", "a,\xef\xbb\xbf" "b\n", ',',
	    "1:a|\xef\xbb\xbf" "b\n");
	ROWS("CRLF", "sku,qty\r\nA,1\r\nB,2\r\n", ',',
	    "1:sku|qty\n2:A|1\n3:B|2\n");
	ROWS("CRLF inside quotes", "\"x\r\ny\",z\r\nw,v\r\n", ',',
	    "1:x\r\ny|z\n3:w|v\n");
	ROWS("empty lines are skipped", "a,b\n\n\nc,d\n\n", ',',
	    "1:a|b\n4:c|d\n");
	ROWS("empty CRLF lines are skipped", "\r\na,b\r\n\r\nc,d\r\n", ',',
	    "2:a|b\n4:c|d\n");
	ROWS("a stray quote in a field", "5\" screen,x\nab\"c,d\n", ',',
	    "1:5\" screen|x\n2:ab\"c|d\n");
	ROWS("a stray quote at the end", "a,b\"\n", ',', "1:a|b\"\n");
	ROWS("no final newline", "a,b\nc,d", ',', "1:a|b\n2:c|d\n");
	ROWS("one row without newline", "a", ',', "1:a\n");
	ROWS("no final newline after CRLF", "a,b\r\nc,d", ',',
	    "1:a|b\n2:c|d\n");
	ROWS("a quoted field at the end, unclosed", "a,\"b\nc", ',',
	    "1:a|b\nc\n");
	ROWS("nothing", "", ',', "");
	ROWS("empty lines only", "\n\n\r\n", ',', "");
	ROWS("a NUL byte", "a\0b,c\n", ',', "1:a\0b|c\n");
	ROWS("UTF-8 text", "\xd0\x9a\xd1\x80\xd0\xb0\xd1\x81\xd0\xbd\xd1\x8b"
	    "\xd0\xb9,\xd0\x81\n", ',',
	    "1:\xd0\x9a\xd1\x80\xd0\xb0\xd1\x81\xd0\xbd\xd1\x8b\xd0\xb9|"
	    "\xd0\x81\n");
	ROWS("a comma when the delimiter is ';'", "a,b;c\n", ';',
	    "1:a,b|c\n");
}

/* Rows past the reader's 64 KiB chunks keep their line numbers, over CRLF
 * and fields of several lines. */
static void
test_many_rows(void)
{
	struct text in = { NULL, 0, 0 }, want = { NULL, 0, 0 };
	char buf[256];
	unsigned long line = 1;
	size_t i;
	int n;

	text_add(&in, "", 0);
	text_add(&want, "", 0);
	for (i = 0; i < 20000; i++) {
		if (i % 7 == 0) {
			n = snprintf(buf, sizeof(buf),
			    "id-%zu,\"note\nover two lines\"\n", i);
			text_add(&in, buf, n);
			n = snprintf(buf, sizeof(buf),
			    "%lu:id-%zu|note\nover two lines\n", line, i);
			line += 2;
		} else if (i % 11 == 0) {
			n = snprintf(buf, sizeof(buf),
			    "\"first\nfield %zu\",x\n\n", i);
			text_add(&in, buf, n);
			n = snprintf(buf, sizeof(buf),
			    "%lu:first\nfield %zu|x\n", line, i);
			line += 3;
		} else {
			n = snprintf(buf, sizeof(buf), "id-%zu,%zu\r\n", i, i);
			text_add(&in, buf, n);
			n = snprintf(buf, sizeof(buf), "%lu:id-%zu|%zu\n", line,
			    i, i);
			line++;
		}
		text_add(&want, buf, n);
	}
	expect_rows("20000 rows over many chunks", in.s, in.len, ',', want.s,
	    want.len);
	free(in.s);
	free(want.s);
}

/* A quoted field of 200 KB over 200 lines, across chunks, is whole; so is
 * a row of 5000 fields; and the rows after them know their lines. */
static void
test_big_fields(void)
{
	struct text in = { NULL, 0, 0 }, want = { NULL, 0, 0 };
	char buf[64];
	size_t i;
	int n;

	text_add(&in, "", 0);
	text_add(&want, "", 0);
	for (i = 0; i < 3000; i++) {
		n = snprintf(buf, sizeof(buf), "r%zu,%zu\n", i, i);
		text_add(&in, buf, n);
		n = snprintf(buf, sizeof(buf), "%zu:r%zu|%zu\n", i + 1, i, i);
		text_add(&want, buf, n);
	}
	text_add(&in, "\"", 1);
	text_add(&want, "3001:", 5);
	for (i = 0; i < 200000; i++) {
		text_add(&in, i % 1000 == 999 ? "\n" : "y", 1);
		text_add(&want, i % 1000 == 999 ? "\n" : "y", 1);
	}
	text_add(&in, "\",end\n", 6);
	text_add(&want, "|end\n", 5);
	text_add(&want, "3202:", 5);
	for (i = 0; i < 5000; i++) {
		text_add(&in, i == 0 ? "f" : ",f", i == 0 ? 1 : 2);
		text_add(&want, i == 0 ? "f" : "|f", i == 0 ? 1 : 2);
	}
	text_add(&in, "\nlast,row", 9);
	text_add(&want, "\n3203:last|row\n", 15);
	expect_rows("a quoted 200 KB field and a row of 5000 fields", in.s,
	    in.len, ',', want.s, want.len);
	free(in.s);
	free(want.s);
}

/* A row's bytes in the file start on its first line, past the empty lines
 * and the row before it, and end before its line's terminator's end. */
static void
test_offsets(void)
{
	static const char in[] = "\xef\xbb\xbf" "a,b\r\n\n  \n\"c\nd\",e\nf";
	static const long long offs[] = { 3, 12, 20 };
	static const size_t lens[] = { 5, 8, 1 };
	static const unsigned long lines[] = { 1, 4, 6 };
	struct csvread r;
	struct csvread_row *row;
	FILE *fp = file_of(in, sizeof(in) - 1);
	size_t i;

	csvread_init(&r, fp, "test.csv", ',');
	for (i = 0; (row = csvread_next(&r)) != NULL && i < 3; i++) {
		expect_int("a row's line", row->line, lines[i]);
		expect_int("a row's offset", row->off, offs[i]);
		expect_int("a row's length", row->len, lens[i]);
	}
	expect_int("rows", i, 3);
	csvread_release(&r);
	fclose(fp);
}

/* A row stays the reader's until the next call; csvread_release() frees
 * what was not read. */
static void
test_partial_read(void)
{
	static const char in[] = "a,b\nc,d\ne,f\n";
	struct csvread r;
	struct csvread_row *row;
	FILE *fp = file_of(in, sizeof(in) - 1);

	csvread_init(&r, fp, "test.csv", ',');
	row = csvread_next(&r);
	if (expect_true("a first row", row != NULL)) {
		expect_int("its fields", row->nfields, 2);
		expect_str("its first field", row->fields[0], "a");
		expect_int("its line", row->line, 1);
	}
	csvread_release(&r);
	fclose(fp);
}

/* A read error ends the rows and says so. */
static void
test_read_error(void)
{
	struct csvread r;
	FILE *fp;

	if ((fp = fopen("/", "r")) == NULL)
		return;		/* the system does not open directories */
	csvread_init(&r, fp, "/", ',');
	expect_true("no row from a directory", csvread_next(&r) == NULL);
	expect_int("error after a read error", r.error, EX_IOERR);
	expect_true("still no row", csvread_next(&r) == NULL);
	csvread_release(&r);
	fclose(fp);
}

int
main(void)
{
	test_rows();
	test_many_rows();
	test_big_fields();
	test_offsets();
	test_partial_read();
	test_read_error();
	return unit_summary("csvread");
}
