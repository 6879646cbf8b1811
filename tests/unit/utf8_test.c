/* utf8_test.c: unit tests of lib/utf8.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "unit.h"

static void
test_seqlen(void)
{
	static const struct {
		const char	*bytes;
		size_t		 n;		/* bytes available */
		size_t		 want;
		const char	*what;
	} cases[] = {
		{ "A", 1, 1, "ASCII" },
		{ "", 1, 1, "a NUL byte" },
		{ "A", 0, 0, "nothing available" },
		{ "\xc3\xa9", 2, 2, "U+00E9" },
		{ "\xc2\x80", 2, 2, "U+0080" },
		{ "\xdf\xbf", 2, 2, "U+07FF" },
		{ "\xd0\x81", 2, 2, "U+0401" },
		{ "\xc3\xa9", 1, 0, "U+00E9 cut short" },
		{ "\xc0\xaf", 2, 0, "overlong '/' in 2 bytes" },
		{ "\xc1\xbf", 2, 0, "overlong U+007F in 2 bytes" },
		{ "\xc0\x80", 2, 0, "overlong NUL" },
		{ "\xe0\x80\xaf", 3, 0, "overlong '/' in 3 bytes" },
		{ "\xe0\x9f\xbf", 3, 0, "overlong U+07FF in 3 bytes" },
		{ "\xe0\xa0\x80", 3, 3, "U+0800" },
		{ "\xe2\x82\xac", 3, 3, "U+20AC" },
		{ "\xe2\x82\xac", 2, 0, "U+20AC cut short" },
		{ "\xed\x9f\xbf", 3, 3, "U+D7FF" },
		{ "\xed\xa0\x80", 3, 0, "surrogate U+D800" },
		{ "\xed\xb0\x80", 3, 0, "surrogate U+DC00" },
		{ "\xed\xbf\xbf", 3, 0, "surrogate U+DFFF" },
		{ "\xee\x80\x80", 3, 3, "U+E000" },
		{ "\xef\xbf\xbd", 3, 3, "U+FFFD" },
		{ "\xef\xbf\xbf", 3, 3, "U+FFFF" },
		{ "\xf0\x80\x80\x80", 4, 0, "overlong NUL in 4 bytes" },
		{ "\xf0\x8f\xbf\xbf", 4, 0, "overlong U+FFFF in 4 bytes" },
		{ "\xf0\x90\x80\x80", 4, 4, "U+10000" },
		{ "\xf0\x9f\x98\x80", 4, 4, "U+1F600" },
		{ "\xf0\x9f\x98\x80", 3, 0, "U+1F600 cut short" },
		{ "\xf4\x8f\xbf\xbf", 4, 4, "U+10FFFF" },
		{ "\xf4\x90\x80\x80", 4, 0, "U+110000" },
		{ "\xf5\x80\x80\x80", 4, 0, "lead byte F5" },
		{ "\xf8\x88\x80\x80\x80", 5, 0, "a 5-byte form" },
		{ "\xff", 1, 0, "byte FF" },
		{ "\xfe", 1, 0, "byte FE" },
		{ "\x80", 1, 0, "a lone continuation byte" },
		{ "\xbf\x80", 2, 0, "continuation bytes" },
		{ "\xc3\x28", 2, 0, "a lead byte before ASCII" },
		{ "\xe2\x28\xa1", 3, 0, "a bad second byte" },
		{ "\xe2\x82\x28", 3, 0, "a bad third byte" },
		{ "\xf0\x9f\x98\x28", 4, 0, "a bad fourth byte" },
		{ "\xe9", 1, 0, "Latin-1 e-acute" },
	};
	char what[80];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "utf8_seqlen(%s)", cases[i].what);
		expect_int(what, utf8_seqlen((const unsigned char *)
		    cases[i].bytes, cases[i].n), cases[i].want);
	}
}

#define FFFD	"\xef\xbf\xbd"

static void
test_sanitize(void)
{
	static const struct {
		const char	*in;
		size_t		 len;
		const char	*want;
		size_t		 wantlen;
	} cases[] = {
#define C(in, want)	{ in, sizeof(in) - 1, want, sizeof(want) - 1 }
		C("", ""),
		C("plain ASCII", "plain ASCII"),
		C("\xd0\x9a\xd1\x80\xd0\xb0\xd1\x81\xd0\xbd\xd1\x8b\xd0\xb9",
		    "\xd0\x9a\xd1\x80\xd0\xb0\xd1\x81\xd0\xbd\xd1\x8b\xd0\xb9"),
		C("\xf0\x9f\x98\x80 ok", "\xf0\x9f\x98\x80 ok"),
		C("a\xff" "b", "a" FFFD "b"),
		C("caf\xe9", "caf" FFFD),
		C("\xc3", FFFD),
		C("\xc0\xaf", FFFD FFFD),
		C("\xed\xa0\x80", FFFD FFFD FFFD),
		C("\xf0\x9f\x98", FFFD FFFD FFFD),
		C("\xe2\x82\xac\xe2\x82", "\xe2\x82\xac" FFFD FFFD),
		C("a\0b", "a\0b"),
		C("\0", "\0"),
		C("\xff\xff\xff\xff", FFFD FFFD FFFD FFFD),
#undef C
	};
	char what[80];
	size_t i, outlen;
	char *out;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		outlen = 12345;
		out = utf8_sanitize(cases[i].in, cases[i].len, &outlen);
		snprintf(what, sizeof(what), "utf8_sanitize() case %zu", i);
		expect_mem(what, out, outlen, cases[i].want,
		    cases[i].wantlen);
		snprintf(what, sizeof(what), "utf8_sanitize() case %zu ends "
		    "with NUL", i);
		expect_int(what, out[outlen], '\0');
		free(out);
	}
	/* Only the first len bytes are read. */
	out = utf8_sanitize("ab\xff", 2, &outlen);
	expect_mem("utf8_sanitize(\"ab\\xff\", 2)", out, outlen, "ab", 2);
	free(out);
}

static int
sign(int v)
{
	return v < 0 ? -1 : v > 0;
}

static void
test_casecmp(void)
{
	static const struct {
		const char	*a, *b;
		int		 want;		/* its sign */
	} cases[] = {
		/* ASCII and white space around. */
		{ "red", "red", 0 },
		{ "Red", "RED", 0 },
		{ "  Red ", "red", 0 },
		{ "\tXL\t", "xl", 0 },
		{ "", "", 0 },
		{ "", " \t ", 0 },
		{ "a b", "ab", -1 },
		{ "a  b", "a b", -1 },
		{ "red", "blue", 1 },
		{ "blue", "red", -1 },
		{ "a", "B", -1 },
		{ "B", "a", 1 },
		{ "ab", "a", 1 },
		{ "a", "ab", -1 },
		{ "a", "", 1 },
		{ "", "a", -1 },
		{ "M ", " m", 0 },
		{ "[", "{", -1 },
		/* Latin-1 letters. */
		{ "CAF\xc3\x89", "caf\xc3\xa9", 0 },		/* É é */
		{ "\xc3\x80\xc3\x96\xc3\x98\xc3\x9e",		/* ÀÖØÞ */
		  "\xc3\xa0\xc3\xb6\xc3\xb8\xc3\xbe", 0 },	/* àöøþ */
		{ "\xc3\x87", "\xc3\xa7", 0 },			/* Ç ç */
		{ "\xc3\x91", "\xc3\xb1", 0 },			/* Ñ ñ */
		{ "\xc3\x97", "\xc3\xb7", -1 },			/* × ÷ */
		{ "\xc3\x9f", "\xc3\x9f", 0 },			/* ß */
		{ "\xc3\xa9", "e", 1 },				/* é e */
		/* Cyrillic. */
		{ "\xd0\x9a\xd0\xa0\xd0\x90\xd0\xa1\xd0\x9d\xd0\xab\xd0\x99",
		  "\xd0\xba\xd1\x80\xd0\xb0\xd1\x81\xd0\xbd\xd1\x8b\xd0\xb9",
		  0 },						/* КРАСНЫЙ */
		{ "\xd0\x90\xd0\x9f\xd0\xa0\xd0\xaf",		/* АПРЯ */
		  "\xd0\xb0\xd0\xbf\xd1\x80\xd1\x8f", 0 },	/* апря */
		{ "\xd0\x81\xd0\x9b\xd0\x9a\xd0\x90",		/* ЁЛКА */
		  "\xd1\x91\xd0\xbb\xd0\xba\xd0\xb0", 0 },	/* ёлка */
		{ "\xd0\x81", "\xd1\x91", 0 },			/* Ё ё */
		{ "\xd1\x91", "\xd0\x81", 0 },			/* ё Ё */
		{ "\xd0\x81", "\xd0\xb5", 1 },			/* Ё е */
		{ "\xd1\x91", "\xd0\x95", 1 },			/* ё Е */
		{ "\xd0\x87\xd0\x96\xd0\x90\xd0\x9a",		/* ЇЖАК */
		  "\xd1\x97\xd0\xb6\xd0\xb0\xd0\xba", 0 },	/* їжак */
		{ "\xd0\x87", "\xd1\x97", 0 },			/* Ї ї */
		{ "\xd0\x87", "\xd1\x96", 1 },			/* Ї і */
		{ "\xd0\x84\xd0\xb2\xd1\x80\xd0\xbe\xd0\xbf\xd0\xb0", /* Європа */
		  "\xd1\x94\xd0\x92\xd0\xa0\xd0\x9e\xd0\x9f\xd0\x90", 0 },
		{ "\xd0\x84", "\xd1\x94", 0 },			/* Є є */
		{ "\xd0\x86", "\xd1\x96", 0 },			/* І і */
		{ "\xd2\x90\xd0\x90\xd0\x9d\xd0\x9e\xd0\x9a",	/* ҐАНОК */
		  "\xd2\x91\xd0\xb0\xd0\xbd\xd0\xbe\xd0\xba", 0 }, /* ґанок */
		{ "\xd2\x90", "\xd2\x91", 0 },			/* Ґ ґ */
		{ "\xd2\x91", "\xd2\x90", 0 },			/* ґ Ґ */
		{ "\xd2\x90", "\xd0\xb3", 1 },			/* Ґ г */
		{ "\xd0\x8e", "\xd1\x9e", 0 },			/* Ў ў */
		{ "\xd0\x82", "\xd1\x92", 0 },			/* Ђ ђ */
		{ "\xd0\xa0\xd0\xb0\xd0\xb7\xd0\xbc\xd0\xb5\xd1\x80 XL",
		  "\xd1\x80\xd0\x90\xd0\x97\xd0\x9c\xd0\x95\xd0\xa0 xl", 0 },
		{ "  \xd0\xa1\xd0\x98\xd0\x9d\xd0\x98\xd0\x99\t",	/* СИНИЙ */
		  "\xd1\x81\xd0\xb8\xd0\xbd\xd0\xb8\xd0\xb9", 0 },
		{ "\xd0\xba\xd1\x80\xd0\xb0\xd1\x81\xd0\xbd",	/* красн */
		  "\xd0\xba\xd1\x80\xd0\xb0\xd1\x81", 1 },	/* крас */
		{ "\xd0\xb0", "\xd0\xb1", -1 },			/* а б */
		{ "z", "\xd0\xb0", -1 },			/* z а */
		/* A byte that is not UTF-8 is not the character of its value
		 * (é is U+00E9): it sorts after every character. */
		{ "caf\xe9", "caf\xc3\xa9", 1 },
		{ "caf\xc3\xa9", "caf\xe9", -1 },
		{ "\xc9", "\xc3\xa9", 1 },
		{ "\xff", "\xc3\xbf", 1 },
		{ "\xa0", "\xc2\xa0", 1 },
		{ "\xff", "\xf4\x8f\xbf\xbf", 1 },
		{ "\xff", "\xff", 0 },
		{ "\xfe", "\xff", -1 },
	};
	char what[200], *ka, *kb;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "sign of utf8_casecmp(\"%s\", \"%s\")",
		    cases[i].a, cases[i].b);
		expect_int(what, sign(utf8_casecmp(cases[i].a, cases[i].b)),
		    cases[i].want);
		/* The keys of equal names are equal, and only theirs. */
		ka = utf8_casekey(cases[i].a);
		kb = utf8_casekey(cases[i].b);
		snprintf(what, sizeof(what), "utf8_casekey(\"%s\") and "
		    "utf8_casekey(\"%s\") are equal", cases[i].a, cases[i].b);
		expect_int(what, strcmp(ka, kb) == 0, cases[i].want == 0);
		free(ka);
		free(kb);
	}
}

static void
test_lower(void)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "", "" },
		{ "ABC xyz 123", "abc xyz 123" },
		{ "\xd0\x9a\xd0\xa0\xd0\x90\xd0\xa1\xd0\x9d\xd0\xab\xd0\x99",
		  "\xd0\xba\xd1\x80\xd0\xb0\xd1\x81\xd0\xbd\xd1\x8b\xd0\xb9" },
		{ "\xd0\x90\xd0\x9f\xd0\xa0\xd0\xaf",		/* АПРЯ */
		  "\xd0\xb0\xd0\xbf\xd1\x80\xd1\x8f" },
		{ "\xd0\x81\xd0\x96", "\xd1\x91\xd0\xb6" },	/* ЁЖ ёж */
		{ "\xd0\x87\xd0\x84\xd0\x86",			/* ЇЄІ */
		  "\xd1\x97\xd1\x94\xd1\x96" },
		{ "\xd2\x90\xd0\x90\xd0\x9d\xd0\x9e\xd0\x9a",	/* ҐАНОК */
		  "\xd2\x91\xd0\xb0\xd0\xbd\xd0\xbe\xd0\xba" },
		{ "\xd0\x8e\xd0\x82\xd0\x8f",			/* ЎЂЏ */
		  "\xd1\x9e\xd1\x92\xd1\x9f" },
		{ "\xd1\x91\xd1\x97\xd1\x94\xd2\x91\xd0\xb0",	/* already */
		  "\xd1\x91\xd1\x97\xd1\x94\xd2\x91\xd0\xb0" },
		{ "\xc3\x89t\xc3\xa9", "\xc3\x89t\xc3\xa9" },	/* not Latin-1 */
		{ "XL \xd0\xa0\xd0\xb0\xd0\xb7\xd0\xbc\xd0\xb5\xd1\x80",
		  "xl \xd1\x80\xd0\xb0\xd0\xb7\xd0\xbc\xd0\xb5\xd1\x80" },
		{ "A\xd0", "a\xd0" },				/* cut short */
		{ "\xd2", "\xd2" },
		{ "\xffZ", "\xffz" },
	};
	char what[200];
	size_t i;
	char *out;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out = utf8_lower(cases[i].in);
		snprintf(what, sizeof(what), "utf8_lower(\"%s\")", cases[i].in);
		expect_str(what, out, cases[i].want);
		free(out);
	}
}

int
main(void)
{
	test_seqlen();
	test_sanitize();
	test_casecmp();
	test_lower();
	return unit_summary("utf8");
}
