/* label_test.c: unit tests of lib/label.h: SSCCs, the ASCII form of ids,
 * safe file names, ZPL's escapes and wrapping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "label.h"
#include "unit.h"

static void
test_gs1(void)
{
	char sscc[19];

	/* An EAN-13 of a real product, 4006381333931. */
	expect_int("gs1 check", label_gs1_check("400638133393", 12), 1);
	expect_int("sscc", label_sscc("4601234", "SHOP-1", 6, 1, sscc), 0);
	expect_int("sscc length", strlen(sscc), 18);
	expect_true("sscc prefix", strncmp(sscc, "04601234", 8) == 0);
	expect_int("sscc check", sscc[17] - '0', label_gs1_check(sscc, 17));
	expect_int("sscc bad prefix", label_sscc("46A1234", "X", 1, 1, sscc),
	    -1);
	expect_int("sscc short prefix", label_sscc("12345", "X", 1, 1, sscc),
	    -1);
}

static void
test_ascii(void)
{
	char *s;

	s = label_ascii_id("SHOP-1", 6);
	expect_str("ascii plain", s, "SHOP-1");
	free(s);
	s = label_ascii_id("A B%\x01", 5);
	expect_str("ascii escaped", s, "A%20B%25%01");
	free(s);
	s = label_ascii_id("\xd0\x97\xd0\xb0\xd0\xba\xd0\xb0\xd0\xb7", 10);
	expect_int("ascii hashed length", strlen(s), 17);
	expect_int("ascii hashed mark", s[0], '#');
	free(s);
}

static void
test_names(void)
{
	char *a, *b;

	a = label_safe_name("SHOP-1", 6);
	expect_str("name plain", a, "SHOP-1");
	free(a);
	a = label_safe_name("../x", 4);
	expect_true("name dots", strncmp(a, "_._x-", 5) == 0 &&
	    strlen(a) == 13);
	free(a);
	a = label_safe_name("-rf", 3);
	expect_int("name dash", a[0], '_');
	free(a);
	a = label_safe_name("a/b", 3);
	b = label_safe_name("a_b", 3);
	expect_true("names differ", strcmp(a, b) != 0);
	free(a);
	free(b);
	a = label_safe_name("a\0b", 3);
	expect_true("name nul", strchr(a, '\0') == a + strlen(a) &&
	    strncmp(a, "a_b-", 4) == 0);
	free(a);
}

static double
measure(void *arg, const char *text, size_t len, double size, int bold)
{
	(void)arg, (void)text, (void)bold;
	return len * size * 0.5;
}

static void
test_zpl(void)
{
	struct label lb;
	struct label_layout l;
	char *buf = NULL, err[128], line1[201];
	size_t cap = 0, len = 0, i, lines = 0;

	memset(&lb, 0, sizeof(lb));
	memset(line1, 'x', 200);
	for (i = 9; i < 200; i += 10)
		line1[i] = ' ';
	line1[200] = '\0';
	lb.to.name = "A_B ^C~D";
	lb.to.line1 = line1;
	lb.order = "1";
	lb.n = lb.of = 1;
	lb.weight_g = -1;
	lb.barcode = "AB^C~D>E";
	label_layout_init(&l, 100, 150, measure, NULL);
	expect_int("layout", label_layout_label(&l, &lb, err, sizeof(err)),
	    0);
	for (i = 0; i < l.n; i++)
		if (l.items[i].kind == LABEL_TEXT &&
		    strspn(l.items[i].text, "x ") == strlen(l.items[i].text) &&
		    strlen(l.items[i].text) > 1) {
			expect_true("line fits", l.items[i].x + l.items[i].w
			    <= 97.01);
			lines++;
		}
	expect_true("200 characters wrapped", lines >= 3);
	label_zpl(&l, 203, &buf, &cap, &len);
	expect_true("one label", strncmp(buf, "^XA\n^CI28\n", 10) == 0 &&
	    strcmp(buf + len - 4, "^XZ\n") == 0);
	expect_true("name escaped", strstr(buf, "^FDA_5FB _5EC_7ED^FS") !=
	    NULL);
	expect_true("code 128 invocations", strstr(buf,
	    "^FD>:AB><C>=D>0E^FS") != NULL);
	free(buf);
	label_layout_release(&l);
}

int
main(void)
{
	test_gs1();
	test_ascii();
	test_names();
	test_zpl();
	return unit_summary("label");
}
