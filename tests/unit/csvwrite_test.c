/* csvwrite_test.c: unit tests of lib/csvwrite.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvwrite.h"
#include "unit.h"

struct field_case {
	const char	*in;
	size_t		 len;		/* 0: strlen(in) and strlen(want) */
	char		 delimiter;
	int		 guard;
	const char	*want;
};

static const struct field_case field_cases[] = {
	{ "plain", 0, ',', 1, "plain" },
	{ "", 0, ',', 1, "" },
	{ "a,b", 0, ',', 1, "\"a,b\"" },
	{ "a,b", 0, ';', 1, "a,b" },
	{ "a;b", 0, ';', 1, "\"a;b\"" },
	{ "a\tb", 0, '\t', 1, "\"a\tb\"" },
	{ "say \"hi\"", 0, ',', 1, "\"say \"\"hi\"\"\"" },
	{ "\"", 0, ',', 1, "\"\"\"\"" },
	{ "two\nlines", 0, ',', 1, "\"two\nlines\"" },
	{ "cr\rhere", 0, ',', 1, "\"cr\rhere\"" },
	{ "ул. Тверская, 1", 0, ',', 1, "\"ул. Тверская, 1\"" },
	{ "a\0b", 3, ',', 1, "a\0b" },
	/* The guard: a ' before what a spreadsheet would run. */
	{ "=1+1", 0, ',', 1, "'=1+1" },
	{ "=1+1", 0, ',', 0, "=1+1" },
	{ "+cmd|' /C calc'!A0", 0, ',', 1, "'+cmd|' /C calc'!A0" },
	{ "-2+3", 0, ',', 1, "'-2+3" },
	{ "@SUM(A1)", 0, ',', 1, "'@SUM(A1)" },
	{ "\t=1", 0, ',', 1, "'\t=1" },
	{ "\r=1", 0, ',', 1, "\"'\r=1\"" },
	{ "=HYPERLINK(\"http://x\",\"y\")", 0, ',', 1,
	    "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
	{ "-", 0, ',', 1, "'-" },
	{ "+", 0, ',', 1, "'+" },
	{ "+7 916 123-45-67", 0, ',', 1, "'+7 916 123-45-67" },
	/* Numbers are no formulas. */
	{ "-12.50", 0, ',', 1, "-12.50" },
	{ "-12,50", 0, ';', 1, "-12,50" },
	{ "-12,50", 0, ',', 1, "\"-12,50\"" },
	{ "+79161234567", 0, ',', 1, "+79161234567" },
	{ "-1.5e-7", 0, ',', 1, "-1.5e-7" },
	{ "-1.", 0, ',', 1, "'-1." },
	{ "-1e", 0, ',', 1, "'-1e" },
	{ "a=1", 0, ',', 1, "a=1" },
	{ " =1", 0, ',', 1, " =1" },
};

static void
test_field(void)
{
	struct csvwrite cw;
	char *buf = NULL, what[80];
	size_t cap = 0, len, i, n;

	for (i = 0; i < sizeof(field_cases) / sizeof(field_cases[0]); i++) {
		const struct field_case *c = &field_cases[i];

		cw.delimiter = c->delimiter;
		cw.guard = c->guard;
		cw.crlf = 0;
		n = c->len ? c->len : strlen(c->in);
		len = 0;
		csvwrite_field(&cw, &buf, &cap, &len, c->in, n);
		snprintf(what, sizeof(what), "csvwrite_field(case %zu)", i);
		/* The one case with a length writes its field as it is. */
		expect_mem(what, buf, len, c->want, c->len ? n :
		    strlen(c->want));
	}
	free(buf);
}

/* A row: fields, delimiters and the line end, appended after what the
 * buffer holds, growing it many times over. */
static void
test_row(void)
{
	struct csvwrite cw = { ';', 1, 1 };
	char *buf = NULL, *big;
	size_t cap = 0, len = 0, i, n = 100000;

	csvwrite_field(&cw, &buf, &cap, &len, "id", 2);
	csvwrite_delimiter(&cw, &buf, &cap, &len);
	csvwrite_field(&cw, &buf, &cap, &len, "a;b", 3);
	csvwrite_end(&cw, &buf, &cap, &len);
	expect_mem("a row with CRLF", buf, len, "id;\"a;b\"\r\n", 10);
	cw.crlf = 0;
	csvwrite_end(&cw, &buf, &cap, &len);
	expect_mem("then LF", buf + 10, len - 10, "\n", 1);

	big = malloc(n);
	if (big == NULL)
		abort();
	memset(big, '"', n);
	len = 0;
	csvwrite_field(&cw, &buf, &cap, &len, big, n);
	expect_int("a field of quotes doubles", len, 2 * n + 2);
	for (i = 1; i < len - 1 && buf[i] == '"'; i++)
		;
	expect_int("all quotes", i, len - 1);
	free(big);
	free(buf);
}

int
main(void)
{
	test_field();
	test_row();
	return unit_summary("csvwrite");
}
