/* import_test.c: unit tests of lib/import.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Twice: a header must survive being included again, as another header
 * that needs it will include it. */
#include "import.h"
#include "import.h"
#include "csvread.h"
#include "unit.h"

static void
test_map_parse(void)
{
	struct import_map map;
	char err[256];

	expect_int("a map parses", import_map_parse(&map,
	    "source excel\ndelimiter ;\nid = Номер\nitems.qty = Кол-во\n",
	    "t.map", err, sizeof(err)), 0);
	expect_str("its source", map.source, "excel");
	expect_int("its delimiter", map.delimiter, ';');
	expect_int("its rules", map.nrules, 2);
	expect_int("the id groups", map.ngroup, 1);
	expect_str("by its column", map.group[0], "Номер");
	import_map_release(&map);
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

/* The scattered keys of in (those whose rows come in more than one run,
 * rows without a key aside) with the last row of each, as csvread_next()
 * counts rows and the reader thread keys them ("ROW ROW "), against what
 * the pre-pass's scanner notes (import_scatter_slot()). */
static void
expect_prepass(const char *what, const char *in, size_t len, char delim,
    long col)
{
	struct import_prepass p;
	struct import_scatter sc;
	struct csvread r;
	struct csvread_row *raw;
	char want[1024] = "", got[1024] = "";
	unsigned long *last;
	uint64_t keys[64], prev = 0;
	size_t n = 0, runs[64], lastrow[64], i, j, fl;
	const char *f;
	FILE *fp = file_of(in, len);

	csvread_init(&r, fp, "t.csv", delim);
	while ((raw = csvread_next(&r)) != NULL && n < 64) {
		keys[n] = 0;
		if ((size_t)col < raw->nfields) {
			f = raw->fields[col];
			fl = raw->lens[col];
			while (fl > 0 && (*f == ' ' || *f == '\t')) {
				f++;
				fl--;
			}
			while (fl > 0 && (f[fl - 1] == ' ' ||
			    f[fl - 1] == '\t' || f[fl - 1] == '\r'))
				fl--;
			if (fl > 0)
				keys[n] = import_key_hash(f, fl);
		}
		n++;
	}
	csvread_release(&r);
	for (i = 1; i < n; i++) {		/* row 1, the header, aside */
		runs[i] = lastrow[i] = 0;
		if (keys[i] == 0)
			continue;
		for (j = 1; j < i && keys[j] != keys[i]; j++)
			;
		if (keys[i] != prev)
			runs[j]++;
		lastrow[j] = i + 1;
		prev = keys[i];
	}
	for (i = 1; i < n; i++)
		if (keys[i] != 0 && runs[i] > 1)
			snprintf(want + strlen(want), sizeof(want) -
			    strlen(want), "%zu ", lastrow[i]);
	memset(&p, 0, sizeof(p));
	import_scatter_init(&sc);
	p.scatter = &sc;
	p.group_col = &col;
	p.ngroup = 1;
	p.header_row = 1;
	expect_int(what, import_prepass(fp, delim, &p), 0);
	expect_int(what, p.row, n);
	for (i = 1; i < n; i++) {
		for (j = 1; j < i && keys[j] != keys[i]; j++)
			;
		if (keys[i] != 0 && j == i &&
		    (last = import_scatter_slot(&sc, keys[i], 0)) != NULL)
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
			    "%lu ", *last);
	}
	expect_str(what, got, want);
	import_scatter_release(&sc);
	fclose(fp);
}

#define PREPASS(what, in, delim, col) \
	expect_prepass(what, in, sizeof(in) - 1, delim, col)

/* The pre-pass's scanner stands in for csvread, which costs 13% of an
 * import more: it must count the rows and find the keys csvread does. */
static void
test_prepass(void)
{
	PREPASS("adjacent rows", "id,x\na,1\na,2\nb,3\n", ',', 0);
	PREPASS("rows apart", "id,x\na,1\nb,2\na,3\nb,4\nc,5\n", ',', 0);
	PREPASS("a key in a later column", "x,id\n1,a\n2,b\n3,a\n", ',', 1);
	PREPASS("empty lines and spaces", "id,x\n\na,1\n   \nb,2\n\n a ,3\n",
	    ',', 0);
	PREPASS("a quoted key over lines", "id,x\n\"a\nb\",1\nc,2\n"
	    "\"a\nb\",3\n", ',', 0);
	PREPASS("quotes inside a key", "id,x\n\"a\"\"b\",1\nc,2\na\"b,3\n"
	    "\"a\"\"b\",4\n", ',', 0);
	PREPASS("a stray quote", "id,x\nab\"c,1\nd,2\nab\"c,3\n", ',', 0);
	PREPASS("CRLF and a BOM", "\xef\xbb\xbfid,x\r\na,1\r\nb,2\r\n"
	    "a,3\r\n", ',', 0);
	PREPASS("tabs", "id\tx\na\t1\nb\t2\na\t3\n", '\t', 0);
	PREPASS("semicolons and a quoted delimiter", "id;x\n\"a;1\";1\n"
	    "b;2\n\"a;1\";3\n", ';', 0);
	PREPASS("a row of one empty quoted field", "id,x\na,1\n\"\"\nb,2\n"
	    "a,3\n", ',', 0);
	PREPASS("empty keys", "id,x\n,1\na,2\n,3\na,4\n", ',', 0);
	PREPASS("no final newline", "id,x\na,1\nb,2\na,3", ',', 0);
	PREPASS("spaces after a closing quote", "id,x\n\"a\"  ,1\nb,2\n"
	    "a,3\n", ',', 0);
	PREPASS("a short row", "id,x,y\na\nb,2,3\na,4,5\n", ',', 0);
}

int
main(void)
{
	test_map_parse();
	test_prepass();
	return unit_summary("import");
}
