/* xalloc_test.c: unit tests of lib/xalloc.h. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "unit.h"

static char *
through_va_list(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

/* xasprintf() and xvasprintf() make the whole text, however long. */
static void
test_asprintf(void)
{
	char *s, *big;

	s = xasprintf("%s:%zu", "SHOP-1", (size_t)2);
	expect_str("formatted", s, "SHOP-1:2");
	free(s);
	s = xasprintf("%s", "");
	expect_str("empty", s, "");
	free(s);
	big = xmalloc(10001);
	memset(big, 'x', 10000);
	big[10000] = '\0';
	s = through_va_list("<%s>%d", big, 7);
	expect_int("long text, whole", (int)strlen(s), 10003);
	expect_true("its end", strcmp(s + 10000, "x>7") == 0);
	free(s);
	free(big);
}

int
main(void)
{
	test_asprintf();
	return unit_summary("xalloc");
}
