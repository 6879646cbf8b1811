/* mapfile_test.c: unit tests of lib/mapfile.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapfile.h"
#include "unit.h"

/* Each entry of text as "LINE|KEY|OP|VALUE", one a line. */
static char *
entries(const char *text)
{
	struct mapfile mf;
	struct mapfile_entry e;
	static char out[2048];
	size_t len = 0;

	out[0] = '\0';
	mapfile_init(&mf, text);
	while (mapfile_next(&mf, &e) && len < sizeof(out))
		len += snprintf(out + len, sizeof(out) - len, "%lu|%s|%s|%s\n",
		    e.line, e.key, mapfile_op_name(e.op), e.value);
	mapfile_release(&mf);
	return out;
}

static void
test_lines(void)
{
	static const struct {
		const char	*text;
		const char	*want;
	} cases[] = {
		/* the syntax, and order-import's older settings */
		{ "time_zone = +03:00\ndelimiter = ;\n",
		    "1|time_zone|=|+03:00\n2|delimiter|=|;\n" },
		{ "zone +03:00\ndelimiter ;\n",
		    "1|zone||+03:00\n2|delimiter||;\n" },
		{ "id = Order ID\ntotals.tax += Tax\ncurrency := RUB\n",
		    "1|id|=|Order ID\n2|totals.tax|+=|Tax\n3|currency|:=|RUB\n" },
		{ "footers\n", "1|footers||\n" },
		/* white space, operators without it, '=' and '#' in values */
		{ "\t id=Name \r\n", "1|id|=|Name\n" },
		{ "totals.tax+=Tax\ncurrency:=RUB", "1|totals.tax|+=|Tax\n"
		    "2|currency|:=|RUB\n" },
		{ "id = a = b # c\n", "1|id|=|a = b # c\n" },
		{ "id =\n", "1|id|=|\n" },
		{ "items.extra.a:b = X\n", "1|items.extra.a:b|=|X\n" },
		{ "date %d.%m.%Y %H:%M\n", "1|date||%d.%m.%Y %H:%M\n" },
		/* comments, empty lines, a byte order mark; lines counted */
		{ "\xef\xbb\xbfsource = x\n# c\n\n  # c\r\nid = y",
		    "1|source|=|x\n5|id|=|y\n" },
		{ "", "" },
		{ "\n\n", "" },
		{ "= x\n", "1|=||x\n" },
	};
	char what[160];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "entries of case %zu", i);
		expect_str(what, entries(cases[i].text), cases[i].want);
	}
}

static void
test_settings(void)
{
	static const struct {
		const char	*value;
		int		 rc;
		char		 delim;
	} delims[] = {
		{ ";", 0, ';' }, { ",", 0, ',' }, { "|", 0, '|' },
		{ "tab", 0, '\t' }, { "\\t", 0, '\t' }, { "comma", 0, ',' },
		{ "semicolon", 0, ';' }, { "\"", -1, 0 }, { "", -1, 0 },
		{ ";;", -1, 0 }, { "Tab", -1, 0 },
	};
	char what[80], d;
	size_t i;

	for (i = 0; i < sizeof(delims) / sizeof(delims[0]); i++) {
		d = 0;
		snprintf(what, sizeof(what), "mapfile_delimiter(\"%s\")",
		    delims[i].value);
		expect_int(what, mapfile_delimiter(delims[i].value, &d),
		    delims[i].rc);
		expect_int(what, d, delims[i].delim);
	}
	expect_true("time_zone is the zone", mapfile_is_zone("time_zone"));
	expect_true("zone is the zone", mapfile_is_zone("zone"));
	expect_true("tz is not", !mapfile_is_zone("tz"));
}

static void
test_read(void)
{
	char path[] = "/tmp/mapfile_test.XXXXXX", msg[256], *text;
	int fd, status = 0;

	if ((fd = mkstemp(path)) == -1) {
		perror("mkstemp");
		unit_failed++;
		return;
	}
	if (write(fd, "id = x\n", 7) != 7)
		unit_failed++;
	close(fd);
	text = mapfile_read(path, msg, sizeof(msg), &status);
	expect_str("mapfile_read() text", text, "id = x\n");
	free(text);
	unlink(path);
	text = mapfile_read(path, msg, sizeof(msg), &status);
	expect_true("mapfile_read() of no file", text == NULL);
	expect_int("mapfile_read() of no file: 66", status, 66);
	expect_true("mapfile_read() message", strstr(msg, "cannot open") !=
	    NULL);
	text = mapfile_read("/", msg, sizeof(msg), &status);
	expect_true("mapfile_read() of a directory", text == NULL);
	expect_int("mapfile_read() of a directory: 66", status, 66);
}

int
main(void)
{
	test_lines();
	test_settings();
	test_read();
	return unit_summary("mapfile");
}
